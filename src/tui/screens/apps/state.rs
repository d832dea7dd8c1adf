//! The loaded client apps and the filtered, sorted view of them that the tables show.
//! The index is rebuilt in `update` when the apps, the filter or the sort change, never
//! in render: render only reads the rows it shows.

use crate::domain::{AppUsage, ClientApp, ListedApp};
use crate::tui::kit::cursor::Cursor;
use crate::tui::kit::filter::FilterLine;
use std::collections::HashMap;

/// The column the apps are sorted by; `s` cycles through them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SortKey {
    #[default]
    Name,
    Platform,
    ClientId,
    /// Newest first.
    Created,
    /// Never used first, then the longest unused: the apps nobody needs any more.
    IdleFirst,
}

impl SortKey {
    pub fn next(self) -> SortKey {
        match self {
            SortKey::Name => SortKey::Platform,
            SortKey::Platform => SortKey::ClientId,
            SortKey::ClientId => SortKey::Created,
            SortKey::Created => SortKey::IdleFirst,
            SortKey::IdleFirst => SortKey::Name,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            SortKey::Name => "name",
            SortKey::Platform => "platform",
            SortKey::ClientId => "client ID",
            SortKey::Created => "newest",
            SortKey::IdleFirst => "idle first",
        }
    }
}

#[derive(Debug, Clone, Default)]
pub struct AppsView {
    /// Every app, as the server listed it.
    pub apps: Vec<ClientApp>,
    /// Lower-cased `name platform client_id` of each app, for the filter.
    search_keys: Vec<String>,
    /// Position in `apps` of each app, by client ID.
    by_id: HashMap<String, usize>,
    /// Positions in `apps` of the rows shown, filtered and sorted.
    pub visible: Vec<usize>,
    pub sort: SortKey,
    pub filter: FilterLine,
    pub cursor: Cursor,
    /// The row under the mouse pointer, as a position in `visible`.
    pub hovered: Option<usize>,
    /// False until the first list arrives (the table says "loading" meanwhile).
    pub loaded: bool,
    /// The filter `visible` was built with, to narrow instead of rebuild while typing.
    indexed_needle: String,
    /// Each app's usage (last token issued, tokens in 24 h), by client ID, as listed.
    pub usage: HashMap<String, AppUsage>,
}

impl AppsView {
    /// Replaces every app and its usage, as the server lists them.
    pub fn set_listed(&mut self, listed: Vec<ListedApp>) {
        self.usage = listed
            .iter()
            .map(|l| (l.app.client_id.clone(), l.usage))
            .collect();
        self.set_apps(listed.into_iter().map(|l| l.app).collect());
    }

    /// When the app was last issued a token, as far as the list knows.
    pub fn last_used(&self, client_id: &str) -> Option<i64> {
        self.usage.get(client_id).and_then(|u| u.last_issued_at)
    }

    /// Replaces every app, keeping the selection on the same app when it still exists.
    pub fn set_apps(&mut self, apps: Vec<ClientApp>) {
        let selected_id = self.selected().map(|a| a.client_id.clone());
        self.apps = apps;
        self.search_keys = self
            .apps
            .iter()
            .map(|a| format!("{} {} {}", a.name, a.platform.label(), a.client_id).to_lowercase())
            .collect();
        self.by_id = self
            .apps
            .iter()
            .enumerate()
            .map(|(i, a)| (a.client_id.clone(), i))
            .collect();
        self.loaded = true;
        self.rebuild_index();
        if let Some(id) = selected_id {
            self.select_id(&id);
        }
    }

    /// Replaces one app in place (after an edit), or adds it.
    pub fn upsert(&mut self, app: ClientApp) {
        let id = app.client_id.clone();
        match self.by_id.get(&app.client_id) {
            Some(&i) => {
                self.search_keys[i] =
                    format!("{} {} {}", app.name, app.platform.label(), app.client_id)
                        .to_lowercase();
                self.apps[i] = app;
                self.rebuild_index();
            }
            None => {
                let mut apps = std::mem::take(&mut self.apps);
                apps.push(app);
                self.set_apps(apps);
            }
        }
        self.select_id(&id);
    }

    pub fn remove(&mut self, client_id: &str) {
        let apps = std::mem::take(&mut self.apps)
            .into_iter()
            .filter(|a| a.client_id != client_id)
            .collect();
        self.set_apps(apps);
    }

    pub fn get(&self, client_id: &str) -> Option<&ClientApp> {
        self.by_id.get(client_id).and_then(|&i| self.apps.get(i))
    }

    pub fn get_mut(&mut self, client_id: &str) -> Option<&mut ClientApp> {
        self.by_id
            .get(client_id)
            .and_then(|&i| self.apps.get_mut(i))
    }

    /// The app shown in row `row` of the table.
    pub fn row(&self, row: usize) -> Option<&ClientApp> {
        self.visible.get(row).and_then(|&i| self.apps.get(i))
    }

    pub fn selected(&self) -> Option<&ClientApp> {
        self.row(self.cursor.selected)
    }

    /// The row showing `client_id`, if it is shown.
    pub fn row_of(&self, client_id: &str) -> Option<usize> {
        let i = *self.by_id.get(client_id)?;
        self.visible.iter().position(|&v| v == i)
    }

    fn select_id(&mut self, client_id: &str) {
        if let Some(&i) = self.by_id.get(client_id)
            && let Some(row) = self.visible.iter().position(|&v| v == i)
        {
            self.cursor.selected = row;
        }
    }

    /// After the filter changed: when it only grew, keeps the matching rows of the
    /// current index (already in order); otherwise rebuilds. Typing into the filter
    /// over 100,000 apps stays quick.
    pub fn refilter(&mut self) {
        let needle = self.filter.input.value().trim().to_lowercase();
        if self.indexed_needle.is_empty() || !needle.starts_with(&self.indexed_needle) {
            self.rebuild_index();
            return;
        }
        let keys = &self.search_keys;
        self.visible
            .retain(|&i| keys.get(i).is_some_and(|k| k.contains(&needle)));
        self.indexed_needle = needle;
        self.hovered = None;
        if self.cursor.selected >= self.visible.len() {
            self.cursor.selected = self.visible.len().saturating_sub(1);
        }
    }

    /// Recomputes which apps are shown and in which order.
    pub fn rebuild_index(&mut self) {
        let needle = self.filter.input.value().trim().to_lowercase();
        self.indexed_needle = needle.clone();
        let mut visible: Vec<usize> = if needle.is_empty() {
            (0..self.apps.len()).collect()
        } else {
            self.search_keys
                .iter()
                .enumerate()
                .filter(|(_, key)| key.contains(&needle))
                .map(|(i, _)| i)
                .collect()
        };
        let apps = &self.apps;
        match self.sort {
            SortKey::Name => visible.sort_by_cached_key(|&i| apps[i].name.to_lowercase()),
            SortKey::Platform => {
                visible.sort_by_cached_key(|&i| (apps[i].platform, apps[i].name.to_lowercase()))
            }
            SortKey::ClientId => {
                visible.sort_by(|&a, &b| apps[a].client_id.cmp(&apps[b].client_id))
            }
            SortKey::Created => visible.sort_by_key(|&i| std::cmp::Reverse(apps[i].created_at)),
            // `None` (never) sorts before any time.
            SortKey::IdleFirst => {
                let usage = &self.usage;
                visible.sort_by_cached_key(|&i| {
                    let last = usage.get(&apps[i].client_id).and_then(|u| u.last_issued_at);
                    (last, apps[i].name.to_lowercase())
                })
            }
        }
        self.visible = visible;
        self.hovered = None;
        if self.cursor.selected >= self.visible.len() {
            self.cursor.selected = self.visible.len().saturating_sub(1);
        }
    }
}
