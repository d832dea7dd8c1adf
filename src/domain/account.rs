//! People and keys that authenticate to the server: resource owners and administrators.

use super::{GrantType, TokenRecord};
use serde::{Deserialize, Serialize};

/// The fewest characters a user's password may have (`users add`, `users passwd`).
pub const MIN_PASSWORD_CHARS: usize = 8;
/// Argon2 cost grows with input length; cap it so a huge password cannot stall us.
pub const MAX_PASSWORD_BYTES: usize = 1024;

/// Why a new password is refused, if it is; the message never repeats the password.
pub fn password_problem(password: &str) -> Option<String> {
    (password.chars().count() < MIN_PASSWORD_CHARS || password.len() > MAX_PASSWORD_BYTES).then(
        || {
            format!(
                "A password has at least {MIN_PASSWORD_CHARS} characters (and at most {MAX_PASSWORD_BYTES} bytes)"
            )
        },
    )
}

/// Whether a token speaks for a person (its subject a username) rather than for its
/// app: every grant but client credentials, whose subject is the client ID.
pub fn issued_to_a_user(token: &TokenRecord) -> bool {
    token.grant != GrantType::ClientCredentials
}

/// The user as they are now bounds their tokens, as the app as it is now does
/// (`bound_scopes`): a deleted or disabled user's tokens are worth nothing, even one
/// minted in the moment between disabling and revoking.
pub fn user_may_use_tokens(user: Option<&User>) -> bool {
    user.is_some_and(|u| !u.disabled)
}

/// A resource owner who signs in on the consent page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct User {
    pub username: String,
    /// argon2id PHC string: user passwords are low-entropy, so a slow hash.
    pub password_hash: String,
    pub created_at: i64,
    /// A disabled user cannot sign in, and their tokens count as inactive.
    pub disabled: bool,
    /// The last successful sign-in on the consent or device page.
    pub last_sign_in: Option<i64>,
}

/// An admin API key. The key itself is shown once; only its SHA-256 is kept.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AdminKey {
    pub name: String,
    #[serde(skip)]
    pub hash: String,
    pub read_only: bool,
    pub created_at: i64,
    pub revoked_at: Option<i64>,
}
