//! A key that seals the sign-in forms the server hands out, so that the request a
//! form answers travels in the form rather than in server memory.

/// A sealing key. The secret never leaves the store and the server.
#[derive(Clone, PartialEq, Eq)]
pub struct FormKey {
    /// Short, public: named in every sealed form so the right key opens it.
    pub id: String,
    /// 32 random bytes.
    pub secret: Vec<u8>,
    pub created_at: i64,
}

impl std::fmt::Debug for FormKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FormKey")
            .field("id", &self.id)
            .field("created_at", &self.created_at)
            .finish_non_exhaustive()
    }
}
