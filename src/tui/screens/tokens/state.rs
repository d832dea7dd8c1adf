//! The issued tokens and the filtered view of them that the tokens tab shows.

use crate::domain::TokenRecord;
use crate::tui::kit::cursor::Cursor;
use crate::tui::kit::filter::FilterLine;
use crate::tui::screens::apps::state::AppsView;

#[derive(Debug, Clone, Default)]
pub struct TokensView {
    pub tokens: Vec<TokenRecord>,
    /// Positions in `tokens` of the rows shown, newest first.
    pub visible: Vec<usize>,
    /// Filters by app name or client ID.
    pub filter: FilterLine,
    pub cursor: Cursor,
    pub hovered: Option<usize>,
    pub loaded: bool,
    /// Only this user's tokens are listed (asked of the server, and checked here).
    pub subject: Option<String>,
}

impl TokensView {
    pub fn set_tokens(&mut self, tokens: Vec<TokenRecord>, apps: &AppsView) {
        let selected_id = self.selected().map(|t| t.id.clone());
        self.tokens = tokens;
        self.loaded = true;
        self.rebuild_index(apps);
        if let Some(id) = selected_id
            && let Some(row) = self.visible.iter().position(|&i| self.tokens[i].id == id)
        {
            self.cursor.selected = row;
        }
    }

    pub fn row(&self, row: usize) -> Option<&TokenRecord> {
        self.visible.get(row).and_then(|&i| self.tokens.get(i))
    }

    pub fn selected(&self) -> Option<&TokenRecord> {
        self.row(self.cursor.selected)
    }

    /// Marks tokens revoked locally once the server said so, until the next reload.
    pub fn mark_revoked(&mut self, revoked: impl Fn(&TokenRecord) -> bool, now: i64) {
        for token in self.tokens.iter_mut().filter(|t| revoked(t)) {
            token.revoked_at.get_or_insert(now);
        }
    }

    pub fn rebuild_index(&mut self, apps: &AppsView) {
        let needle = self.filter.input.value().trim().to_lowercase();
        let mut visible: Vec<usize> = (0..self.tokens.len())
            .filter(|&i| {
                let token = &self.tokens[i];
                if self.subject.as_ref().is_some_and(|s| *s != token.subject) {
                    return false;
                }
                if needle.is_empty() {
                    return true;
                }
                let name = apps
                    .get(&token.client_id)
                    .map(|a| a.name.as_str())
                    .unwrap_or("");
                token.client_id.to_lowercase().contains(&needle)
                    || name.to_lowercase().contains(&needle)
            })
            .collect();
        let tokens = &self.tokens;
        visible.sort_by(|&a, &b| {
            tokens[b]
                .issued_at
                .cmp(&tokens[a].issued_at)
                .then_with(|| tokens[a].id.cmp(&tokens[b].id))
        });
        self.visible = visible;
        self.hovered = None;
        if self.cursor.selected >= self.visible.len() {
            self.cursor.selected = self.visible.len().saturating_sub(1);
        }
    }
}
