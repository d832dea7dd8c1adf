//! What `apps apply` would do: the difference between the apps a file wants and the
//! apps the server has. Pure: no I/O, so every case is a unit test.

use super::apps_file::DesiredApp;
use crate::domain::{AppDraft, ClientApp, sanitize_for_terminal};
use serde::Serialize;
use serde_json::{Value, json};
use std::collections::HashSet;

#[derive(Debug, Default, Serialize)]
pub struct Plan {
    pub create: Vec<Create>,
    pub update: Vec<Update>,
    /// Only with `--prune`.
    pub delete: Vec<AppRef>,
    /// Client IDs that already match the file.
    pub unchanged: Vec<String>,
    /// On the server, not in the file, and kept because `--prune` was not given.
    pub not_in_file: Vec<AppRef>,
}

#[derive(Debug, Serialize)]
pub struct Create {
    pub name: String,
    pub platform: String,
    #[serde(skip)]
    pub draft: AppDraft,
}

#[derive(Debug, Serialize)]
pub struct Update {
    pub client_id: String,
    pub name: String,
    pub changes: Vec<Change>,
    #[serde(skip)]
    pub draft: AppDraft,
}

/// One field that changes, with its value before and after.
#[derive(Debug, PartialEq, Serialize)]
pub struct Change {
    pub field: &'static str,
    pub from: Value,
    pub to: Value,
}

#[derive(Debug, Clone, Serialize)]
pub struct AppRef {
    pub client_id: String,
    pub name: String,
}

impl Plan {
    pub fn is_empty(&self) -> bool {
        self.create.is_empty() && self.update.is_empty() && self.delete.is_empty()
    }

    /// The plan for people: one line per app, one indented line per changed field.
    pub fn describe(&self, source: &str) -> String {
        let clean = |text: &str| sanitize_for_terminal(text).into_owned();
        let mut text = format!(
            "Plan for {}: {} to create, {} to update, {} to delete, {} unchanged\n",
            clean(source),
            self.create.len(),
            self.update.len(),
            self.delete.len(),
            self.unchanged.len()
        );
        for app in &self.create {
            text.push_str(&format!(
                "+ create {:?} ({})\n",
                clean(&app.name),
                app.platform
            ));
        }
        for app in &self.update {
            text.push_str(&format!(
                "~ update {:?} ({})\n",
                clean(&app.name),
                app.client_id
            ));
            for change in &app.changes {
                text.push_str(&format!(
                    "    {}: {} → {}\n",
                    change.field,
                    clean(&show(&change.from)),
                    clean(&show(&change.to))
                ));
            }
        }
        for app in &self.delete {
            text.push_str(&format!(
                "- delete {:?} ({})\n",
                clean(&app.name),
                app.client_id
            ));
        }
        for app in &self.not_in_file {
            text.push_str(&format!(
                "  keep   {:?} ({}): not in the file; --prune would delete it\n",
                clean(&app.name),
                app.client_id
            ));
        }
        text
    }
}

/// A value as the plan shows it: lists comma-separated, absent as `server default`.
fn show(value: &Value) -> String {
    match value {
        Value::Null => "server default".to_string(),
        Value::Array(items) if items.is_empty() => "(none)".to_string(),
        Value::Array(items) => items.iter().map(show).collect::<Vec<_>>().join(", "),
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// Matches each wanted app to a server app (by client ID when given, else by name) and
/// lists what differs. Every problem that stops the plan is one line.
pub fn plan(
    desired: Vec<DesiredApp>,
    current: &[ClientApp],
    prune: bool,
) -> Result<Plan, Vec<String>> {
    let mut plan = Plan::default();
    let mut problems = Vec::new();
    let claimed: HashSet<String> = desired.iter().filter_map(|d| d.client_id.clone()).collect();
    let mut matched: HashSet<String> = HashSet::new();
    for wanted in desired {
        let found = match &wanted.client_id {
            Some(id) => match current.iter().find(|app| &app.client_id == id) {
                Some(app) => Some(app),
                None => {
                    problems.push(format!(
                        "app {:?}: no app with client ID {id} on the server (leave client_id \
                         out to create it)",
                        wanted.draft.name
                    ));
                    continue;
                }
            },
            None => {
                let same_name: Vec<&ClientApp> = current
                    .iter()
                    .filter(|app| {
                        app.name == wanted.draft.name && !claimed.contains(&app.client_id)
                    })
                    .collect();
                if same_name.len() > 1 {
                    let ids: Vec<&str> = same_name.iter().map(|a| a.client_id.as_str()).collect();
                    problems.push(format!(
                        "app {:?}: {} apps on the server have this name ({}): add client_id \
                         to say which one",
                        wanted.draft.name,
                        ids.len(),
                        ids.join(", ")
                    ));
                    continue;
                }
                same_name.first().copied()
            }
        };
        let Some(app) = found else {
            plan.create.push(Create {
                name: wanted.draft.name.clone(),
                platform: wanted.draft.platform.as_str().to_string(),
                draft: wanted.draft,
            });
            continue;
        };
        matched.insert(app.client_id.clone());
        if app.platform != wanted.draft.platform {
            problems.push(format!(
                "app {:?} ({}): the platform cannot change ({} → {}): delete the app and \
                 create a new one",
                app.name,
                app.client_id,
                app.platform.as_str(),
                wanted.draft.platform.as_str()
            ));
            continue;
        }
        let changes = changes(&app.draft().normalized(), &wanted.draft);
        if changes.is_empty() {
            plan.unchanged.push(app.client_id.clone());
        } else {
            plan.update.push(Update {
                client_id: app.client_id.clone(),
                name: app.name.clone(),
                changes,
                draft: wanted.draft,
            });
        }
    }
    for app in current.iter().filter(|a| !matched.contains(&a.client_id)) {
        let reference = AppRef {
            client_id: app.client_id.clone(),
            name: app.name.clone(),
        };
        if prune {
            plan.delete.push(reference);
        } else {
            plan.not_in_file.push(reference);
        }
    }
    if problems.is_empty() {
        Ok(plan)
    } else {
        Err(problems)
    }
}

/// The fields of `to` that differ from `from` (the platform is never among them).
fn changes(from: &AppDraft, to: &AppDraft) -> Vec<Change> {
    let mut list = Vec::new();
    let mut compare = |field: &'static str, before: Value, after: Value| {
        if before != after {
            list.push(Change {
                field,
                from: before,
                to: after,
            });
        }
    };
    compare("name", json!(from.name), json!(to.name));
    compare(
        "redirect_urls",
        json!(from.redirect_urls),
        json!(to.redirect_urls),
    );
    compare("scopes", json!(from.scopes), json!(to.scopes));
    let grants = |d: &AppDraft| {
        json!(
            d.grant_types
                .iter()
                .map(|g| g.cli_name())
                .collect::<Vec<_>>()
        )
    };
    compare("grant_types", grants(from), grants(to));
    compare(
        "access_token_ttl",
        json!(from.access_token_ttl),
        json!(to.access_token_ttl),
    );
    compare(
        "refresh_token_ttl",
        json!(from.refresh_token_ttl),
        json!(to.refresh_token_ttl),
    );
    list
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;
    use crate::domain::{GrantType, Platform, Scope};

    fn server_app(client_id: &str, name: &str) -> ClientApp {
        ClientApp {
            client_id: client_id.into(),
            name: name.into(),
            platform: Platform::ApiServices,
            redirect_urls: vec![],
            scopes: vec![Scope::Monitoring],
            grant_types: vec![GrantType::ClientCredentials],
            secret_hash: None,
            previous_secret_hash: None,
            previous_secret_expires_at: None,
            created_at: 0,
            updated_at: 0,
            access_token_ttl: None,
            refresh_token_ttl: None,
        }
    }

    fn wanted(client_id: Option<&str>, name: &str) -> DesiredApp {
        DesiredApp {
            client_id: client_id.map(String::from),
            draft: server_app("", name).draft(),
        }
    }

    #[test]
    fn by_id_by_name_new_and_left_over() {
        let current = vec![
            server_app("oc_a", "Billing"),
            server_app("oc_b", "Inventory"),
            server_app("oc_c", "Legacy"),
        ];
        let mut renamed = wanted(Some("oc_a"), "Billing sync");
        renamed.draft.scopes = vec![Scope::Monitoring, Scope::Management];
        let desired = vec![renamed, wanted(None, "Inventory"), wanted(None, "New")];
        let plan = plan(desired, &current, false).unwrap();
        assert_eq!(plan.create.len(), 1);
        assert_eq!(plan.create[0].name, "New");
        assert_eq!(plan.update.len(), 1);
        let fields: Vec<_> = plan.update[0].changes.iter().map(|c| c.field).collect();
        assert_eq!(fields, ["name", "scopes"]);
        assert_eq!(plan.unchanged, ["oc_b"]);
        assert!(plan.delete.is_empty());
        assert_eq!(plan.not_in_file[0].client_id, "oc_c");
        let text = plan.describe("f");
        assert!(text.contains("name: Billing → Billing sync"), "{text}");
        assert!(
            text.contains("scopes: monitoring → monitoring, management"),
            "{text}"
        );
    }

    #[test]
    fn prune_deletes_what_the_file_does_not_name() {
        let current = vec![server_app("oc_a", "A"), server_app("oc_b", "B")];
        let plan = plan(vec![wanted(None, "A")], &current, true).unwrap();
        assert_eq!(plan.delete.len(), 1);
        assert_eq!(plan.delete[0].client_id, "oc_b");
    }

    #[test]
    fn ambiguous_names_unknown_ids_and_platform_changes_are_refused() {
        let current = vec![server_app("oc_a", "Twin"), server_app("oc_b", "Twin")];
        let problems = plan(vec![wanted(None, "Twin")], &current, false).unwrap_err();
        assert!(problems[0].contains("oc_a, oc_b"), "{problems:?}");
        let problems = plan(vec![wanted(Some("oc_zz"), "X")], &current, false).unwrap_err();
        assert!(problems[0].contains("oc_zz"), "{problems:?}");
        let mut web = wanted(Some("oc_a"), "Twin");
        web.draft.platform = Platform::Web;
        let problems = plan(vec![web], &current, false).unwrap_err();
        assert!(
            problems[0].contains("platform cannot change"),
            "{problems:?}"
        );
    }

    #[test]
    fn a_name_claimed_by_id_elsewhere_in_the_file_is_not_ambiguous() {
        let current = vec![server_app("oc_a", "Twin"), server_app("oc_b", "Twin")];
        let desired = vec![wanted(Some("oc_a"), "Twin"), wanted(None, "Twin")];
        let plan = plan(desired, &current, false).unwrap();
        assert_eq!(plan.unchanged, ["oc_a", "oc_b"]);
    }
}
