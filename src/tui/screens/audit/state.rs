//! The audit log tab: the records loaded so far (newest first, a page at a time),
//! the filtered view of them, and how a record's before/after is summarised. Only
//! known fields are ever shown: the server never puts secrets in these values, and the
//! console does not trust that blindly.

use crate::domain::AuditRecord;
use crate::tui::kit::cursor::Cursor;
use crate::tui::kit::filter::FilterLine;
use crate::tui::kit::text::date_time;
use serde_json::{Map, Value};

/// How many records one load asks for.
pub const AUDIT_PAGE: u32 = 100;

/// The fields of apps, tokens and admin keys that records may show.
const KNOWN_FIELDS: &[&str] = &[
    "client_id",
    "name",
    "platform",
    "redirect_urls",
    "scopes",
    "grant_types",
    "access_token_ttl",
    "refresh_token_ttl",
    "created_at",
    "updated_at",
    "previous_secret_expires_at",
    "id",
    "kind",
    "subject",
    "grant",
    "issued_at",
    "expires_at",
    "family_id",
    "revoked_at",
    "revoked",
    "read_only",
];

#[derive(Debug, Clone, Default)]
pub struct AuditView {
    pub records: Vec<AuditRecord>,
    /// Positions in `records` of the rows shown.
    pub visible: Vec<usize>,
    pub filter: FilterLine,
    pub cursor: Cursor,
    pub hovered: Option<usize>,
    pub loaded: bool,
    /// Where the next page starts; `None` when everything is loaded.
    pub next_cursor: Option<String>,
    /// True while a next page is on its way (the answer is appended).
    pub loading_more: bool,
    /// The dialog with the selected record's full before/after is open.
    pub record_open: bool,
    /// Why the last load failed, shown while nothing is loaded.
    pub error: Option<String>,
}

impl AuditView {
    /// Takes a page from the server: the first page replaces, later ones append.
    pub fn add_page(&mut self, records: Vec<AuditRecord>, next_cursor: Option<String>) {
        if self.loading_more {
            self.records.extend(records);
        } else {
            self.records = records;
            self.cursor.first();
        }
        self.loading_more = false;
        self.next_cursor = next_cursor;
        self.loaded = true;
        self.error = None;
        self.refilter();
    }

    /// Rebuilds `visible` from the filter: every word must appear in when, who,
    /// action or target.
    pub fn refilter(&mut self) {
        let needle = self.filter.input.value().to_lowercase();
        let words: Vec<&str> = needle.split_whitespace().collect();
        self.visible = self
            .records
            .iter()
            .enumerate()
            .filter(|(_, r)| {
                let hay = format!(
                    "{} {} {} {} {}",
                    date_time(r.at),
                    r.actor,
                    r.action,
                    r.target,
                    summary(r)
                )
                .to_lowercase();
                words.iter().all(|w| hay.contains(w))
            })
            .map(|(i, _)| i)
            .collect();
        if self.cursor.selected >= self.visible.len() {
            self.cursor.selected = self.visible.len().saturating_sub(1);
        }
    }

    pub fn row(&self, row: usize) -> Option<&AuditRecord> {
        self.visible.get(row).and_then(|&i| self.records.get(i))
    }

    pub fn selected(&self) -> Option<&AuditRecord> {
        self.row(self.cursor.selected)
    }

    /// Whether moving past the last row should fetch the next page.
    pub fn wants_more(&self) -> bool {
        self.next_cursor.is_some()
            && !self.loading_more
            && self.cursor.selected + 1 >= self.visible.len()
    }
}

/// `value` with only known fields kept, recursively for objects.
pub fn sanitised(value: &Value) -> Value {
    match value {
        Value::Object(map) => {
            let kept: Map<String, Value> = map
                .iter()
                .filter(|(k, _)| KNOWN_FIELDS.contains(&k.as_str()))
                .map(|(k, v)| (k.clone(), sanitised(v)))
                .collect();
            Value::Object(kept)
        }
        Value::Array(items) => Value::Array(items.iter().map(sanitised).collect()),
        other => other.clone(),
    }
}

/// One line saying what changed: `created`, `deleted`, `name: "A" → "B"`, or the
/// changed fields' names.
pub fn summary(record: &AuditRecord) -> String {
    let before = record.before.as_ref().map(sanitised);
    let after = record.after.as_ref().map(sanitised);
    match (&before, &after) {
        (None, None) => String::new(),
        (None, Some(after)) => match after.get("name").and_then(Value::as_str) {
            Some(name) => format!("created “{name}”"),
            None => format!("created {}", compact(after)),
        },
        (Some(before), None) => match before.get("name").and_then(Value::as_str) {
            Some(name) => format!("deleted “{name}”"),
            None => "deleted".to_string(),
        },
        (Some(Value::Object(b)), Some(Value::Object(a))) => {
            let mut changed: Vec<&String> = a
                .keys()
                .chain(b.keys().filter(|k| !a.contains_key(*k)))
                .filter(|k| a.get(*k) != b.get(*k) && k.as_str() != "updated_at")
                .collect();
            changed.dedup();
            match changed.as_slice() {
                [] => "no visible change".to_string(),
                [one] => format!(
                    "{one}: {} → {}",
                    b.get(*one).map_or("—".into(), compact),
                    a.get(*one).map_or("—".into(), compact)
                ),
                many => {
                    let names: Vec<&str> = many.iter().map(|k| k.as_str()).collect();
                    format!("changed {}", names.join(", "))
                }
            }
        }
        (Some(_), Some(after)) => compact(after),
    }
}

/// A value on one line, strings without quotes.
fn compact(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        Value::Null => "none".to_string(),
        other => other.to_string(),
    }
}

/// The pretty JSON of one side of a record, sanitised; `—` when absent.
pub fn pretty(value: Option<&Value>) -> String {
    match value {
        Some(value) => {
            serde_json::to_string_pretty(&sanitised(value)).unwrap_or_else(|e| e.to_string())
        }
        None => "—".to_string(),
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;
    use serde_json::json;

    fn record(before: Option<Value>, after: Option<Value>) -> AuditRecord {
        AuditRecord {
            id: 1,
            at: 0,
            actor: "ops".into(),
            action: "app.update".into(),
            target: "oc_x".into(),
            before,
            after,
        }
    }

    #[test]
    fn unknown_fields_never_reach_the_screen() {
        let shown = pretty(Some(&json!({
            "name": "A", "secret_hash": "abc", "client_secret": "ocs_x",
            "nested": {"secret": "s"}
        })));
        assert!(shown.contains("\"name\""));
        assert!(!shown.contains("abc") && !shown.contains("ocs_x") && !shown.contains("secret"));
    }

    #[test]
    fn a_rename_is_summarised_as_old_to_new() {
        let r = record(
            Some(json!({"name": "Old", "updated_at": 1})),
            Some(json!({"name": "New", "updated_at": 2})),
        );
        assert_eq!(summary(&r), "name: Old → New");
        let created = record(None, Some(json!({"name": "Billing"})));
        assert_eq!(summary(&created), "created “Billing”");
    }
}
