//! The user details dialog: whose, what the server said, and which grant is selected.

use crate::domain::UserDetails;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UserDetailsState {
    pub username: String,
    /// `None` until the server answers.
    pub details: Option<UserDetails>,
    /// The selected grant, a position in `details.grants`.
    pub selected: usize,
}

impl UserDetailsState {
    pub fn new(username: String) -> UserDetailsState {
        UserDetailsState {
            username,
            details: None,
            selected: 0,
        }
    }

    /// Takes a fresh answer, keeping the same grant (by family) selected.
    pub fn set(&mut self, details: UserDetails) {
        let family = self.selected_family().map(str::to_string);
        self.details = Some(details);
        let grants = self.details.as_ref().map_or(&[][..], |d| &d.grants[..]);
        self.selected = family
            .and_then(|f| grants.iter().position(|g| g.family_id == f))
            .unwrap_or(self.selected)
            .min(grants.len().saturating_sub(1));
    }

    pub fn selected_family(&self) -> Option<&str> {
        self.details
            .as_ref()
            .and_then(|d| d.grants.get(self.selected))
            .map(|g| g.family_id.as_str())
    }

    pub fn move_by(&mut self, delta: isize) {
        let len = self.details.as_ref().map_or(0, |d| d.grants.len());
        if len == 0 {
            self.selected = 0;
            return;
        }
        self.selected = (self.selected as isize + delta).clamp(0, len as isize - 1) as usize;
    }
}
