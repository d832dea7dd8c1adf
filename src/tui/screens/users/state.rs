//! The loaded users and the filtered, sorted view of them that the Users tab shows.
//! The index is rebuilt when the users, the filter or the sort change, never in render.

use crate::domain::UserSummary;
use crate::tui::kit::cursor::Cursor;
use crate::tui::kit::filter::FilterLine;
use std::cmp::Reverse;
use std::collections::HashMap;

/// The order of the users; `s` cycles through them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum UserSort {
    #[default]
    Name,
    /// Never signed in first, then the longest ago: accounts nobody uses.
    IdleFirst,
    /// Most active tokens first.
    MostTokens,
    /// Disabled users first.
    Disabled,
}

impl UserSort {
    pub fn next(self) -> UserSort {
        match self {
            UserSort::Name => UserSort::IdleFirst,
            UserSort::IdleFirst => UserSort::MostTokens,
            UserSort::MostTokens => UserSort::Disabled,
            UserSort::Disabled => UserSort::Name,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            UserSort::Name => "name",
            UserSort::IdleFirst => "idle first",
            UserSort::MostTokens => "most tokens",
            UserSort::Disabled => "disabled first",
        }
    }
}

#[derive(Debug, Clone, Default)]
pub struct UsersView {
    /// Every user, as the server listed them.
    pub users: Vec<UserSummary>,
    /// Position in `users` of each user, by name.
    by_name: HashMap<String, usize>,
    /// Lower-cased username of each user, for the filter.
    search_keys: Vec<String>,
    /// Positions in `users` of the rows shown, filtered and sorted.
    pub visible: Vec<usize>,
    pub sort: UserSort,
    pub filter: FilterLine,
    pub cursor: Cursor,
    /// The row under the mouse pointer, as a position in `visible`.
    pub hovered: Option<usize>,
    /// False until the first list arrives.
    pub loaded: bool,
}

impl UsersView {
    /// Replaces every user, keeping the selection on the same user (by name) when they
    /// are still there: a reload never moves the cursor to someone else.
    pub fn set_users(&mut self, users: Vec<UserSummary>) {
        let selected = self.selected().map(|u| u.username.clone());
        self.users = users;
        self.by_name = self
            .users
            .iter()
            .enumerate()
            .map(|(i, u)| (u.username.clone(), i))
            .collect();
        self.search_keys = self
            .users
            .iter()
            .map(|u| u.username.to_lowercase())
            .collect();
        self.loaded = true;
        self.rebuild_index();
        if let Some(name) = selected {
            self.select_name(&name);
        }
    }

    /// Replaces one user in place (after a change the server confirmed).
    pub fn upsert(&mut self, user: UserSummary) {
        match self.by_name.get(&user.username) {
            Some(&i) => {
                self.users[i] = user;
                let selected = self.selected().map(|u| u.username.clone());
                self.rebuild_index();
                if let Some(name) = selected {
                    self.select_name(&name);
                }
            }
            None => {
                let mut users = std::mem::take(&mut self.users);
                users.push(user);
                self.set_users(users);
            }
        }
    }

    pub fn remove(&mut self, username: &str) {
        let users = std::mem::take(&mut self.users)
            .into_iter()
            .filter(|u| u.username != username)
            .collect();
        self.set_users(users);
    }

    pub fn get(&self, username: &str) -> Option<&UserSummary> {
        self.by_name.get(username).and_then(|&i| self.users.get(i))
    }

    pub fn get_mut(&mut self, username: &str) -> Option<&mut UserSummary> {
        self.by_name
            .get(username)
            .and_then(|&i| self.users.get_mut(i))
    }

    pub fn row(&self, row: usize) -> Option<&UserSummary> {
        self.visible.get(row).and_then(|&i| self.users.get(i))
    }

    pub fn selected(&self) -> Option<&UserSummary> {
        self.row(self.cursor.selected)
    }

    fn select_name(&mut self, username: &str) {
        if let Some(&i) = self.by_name.get(username)
            && let Some(row) = self.visible.iter().position(|&v| v == i)
        {
            self.cursor.selected = row;
        }
    }

    /// Recomputes which users are shown and in which order.
    pub fn rebuild_index(&mut self) {
        let needle = self.filter.input.value().trim().to_lowercase();
        let mut visible: Vec<usize> = self
            .search_keys
            .iter()
            .enumerate()
            .filter(|(_, key)| needle.is_empty() || key.contains(&needle))
            .map(|(i, _)| i)
            .collect();
        let users = &self.users;
        let keys = &self.search_keys;
        match self.sort {
            UserSort::Name => visible.sort_by(|&a, &b| keys[a].cmp(&keys[b])),
            // `None` (never) sorts before every time.
            UserSort::IdleFirst => visible.sort_by(|&a, &b| {
                (users[a].last_sign_in, &keys[a]).cmp(&(users[b].last_sign_in, &keys[b]))
            }),
            UserSort::MostTokens => visible.sort_by(|&a, &b| {
                (Reverse(users[a].active_tokens), &keys[a])
                    .cmp(&(Reverse(users[b].active_tokens), &keys[b]))
            }),
            UserSort::Disabled => visible.sort_by(|&a, &b| {
                (!users[a].disabled, &keys[a]).cmp(&(!users[b].disabled, &keys[b]))
            }),
        }
        self.visible = visible;
        self.hovered = None;
        if self.cursor.selected >= self.visible.len() {
            self.cursor.selected = self.visible.len().saturating_sub(1);
        }
    }
}
