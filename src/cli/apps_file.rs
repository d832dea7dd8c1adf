//! The apps file (`apps export` writes it, `apps apply` reads it): every client app as
//! a `[[apps]]` table, the way teams keep their registrations in git. Secrets are never
//! part of it.

use crate::domain::{AppDraft, ClientApp, GrantType, Platform, Scope, validate_draft};
use serde::{Deserialize, Serialize};
use std::collections::HashSet;

const HEADER: &str = "\
# Client apps, as `oauth-console apps export` wrote them. Secrets are never exported.
# `oauth-console apps apply FILE --dry-run` shows what applying this file would change.
# An app without client_id is matched by name, or created.
";

#[derive(Debug, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct AppsFile {
    #[serde(default)]
    apps: Vec<FileApp>,
}

/// One app as written in the file: names, not enums, so that a typo is reported as
/// the word the user wrote.
#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileApp {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    client_id: Option<String>,
    name: String,
    platform: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    redirect_urls: Vec<String>,
    #[serde(default)]
    scopes: Vec<String>,
    #[serde(default)]
    grant_types: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    access_token_ttl: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    refresh_token_ttl: Option<i64>,
}

/// An app as the file wants it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DesiredApp {
    /// Matches the server's app with this ID; `None` matches by name.
    pub client_id: Option<String>,
    /// Normalised, and valid by the platform rules.
    pub draft: AppDraft,
}

/// The file for `apps`, in the server's order.
pub fn render(apps: &[ClientApp]) -> Result<String, String> {
    let body = toml::to_string(&document(apps)).map_err(|e| format!("cannot write TOML: {e}"))?;
    Ok(format!("{HEADER}\n{body}"))
}

/// The same content as `render`, for `--json`: `{"apps": [...]}`.
pub fn document(apps: &[ClientApp]) -> impl Serialize + use<> {
    AppsFile {
        apps: apps.iter().map(file_app).collect(),
    }
}

fn file_app(app: &ClientApp) -> FileApp {
    FileApp {
        client_id: Some(app.client_id.clone()),
        name: app.name.clone(),
        platform: app.platform.as_str().to_string(),
        redirect_urls: app.redirect_urls.clone(),
        scopes: app.scopes.iter().map(|s| s.as_str().to_string()).collect(),
        grant_types: app
            .grant_types
            .iter()
            .map(|g| g.cli_name().to_string())
            .collect(),
        access_token_ttl: app.access_token_ttl,
        refresh_token_ttl: app.refresh_token_ttl,
    }
}

/// Reads the file named `source` (for messages). Every problem found is one line that
/// names the file and the app.
pub fn parse(source: &str, text: &str) -> Result<Vec<DesiredApp>, Vec<String>> {
    let file: AppsFile = toml::from_str(text).map_err(|e| vec![syntax_error(source, text, &e)])?;
    let mut problems = Vec::new();
    let mut desired = Vec::new();
    for (index, app) in file.apps.into_iter().enumerate() {
        let label = format!("{source}: app {} ({:?})", index + 1, app.name);
        match desired_app(app) {
            Ok(app) => {
                problems.extend(
                    validate_draft(&app.draft)
                        .into_iter()
                        .map(|v| format!("{label}: {}", v.message)),
                );
                desired.push(app);
            }
            Err(errors) => problems.extend(errors.into_iter().map(|e| format!("{label}: {e}"))),
        }
    }
    problems.extend(duplicates(source, &desired));
    if problems.is_empty() {
        Ok(desired)
    } else {
        Err(problems)
    }
}

fn desired_app(app: FileApp) -> Result<DesiredApp, Vec<String>> {
    let mut errors = Vec::new();
    let platform = app
        .platform
        .parse::<Platform>()
        .map_err(|e| errors.push(e))
        .ok();
    let scopes = parse_all::<Scope>(&app.scopes, &mut errors);
    let grant_types = parse_all::<GrantType>(&app.grant_types, &mut errors);
    let client_id = app.client_id.map(|id| id.trim().to_string());
    if client_id.as_deref() == Some("") {
        errors.push("client_id is empty: leave it out to match by name".to_string());
    }
    match platform {
        Some(platform) if errors.is_empty() => Ok(DesiredApp {
            client_id,
            draft: AppDraft {
                name: app.name,
                platform,
                redirect_urls: app.redirect_urls,
                scopes,
                grant_types,
                access_token_ttl: app.access_token_ttl,
                refresh_token_ttl: app.refresh_token_ttl,
            }
            .normalized(),
        }),
        _ => Err(errors),
    }
}

fn parse_all<T: std::str::FromStr<Err = String>>(
    words: &[String],
    errors: &mut Vec<String>,
) -> Vec<T> {
    words
        .iter()
        .filter_map(|word| word.trim().parse::<T>().map_err(|e| errors.push(e)).ok())
        .collect()
}

/// Two entries for one client ID, or two unnamed-by-ID entries with one name, would
/// make the file say two things about one app.
fn duplicates(source: &str, apps: &[DesiredApp]) -> Vec<String> {
    let mut problems = Vec::new();
    let mut ids = HashSet::new();
    let mut names = HashSet::new();
    for app in apps {
        match &app.client_id {
            Some(id) if !ids.insert(id.as_str()) => {
                problems.push(format!("{source}: client_id {id} appears more than once"));
            }
            None if !names.insert(app.draft.name.as_str()) => problems.push(format!(
                "{source}: the name {:?} appears more than once without a client_id: add \
                 client_id to say which app each one is",
                app.draft.name
            )),
            _ => {}
        }
    }
    problems
}

/// `FILE: line L, column C: message`, on one line.
fn syntax_error(source: &str, text: &str, error: &toml::de::Error) -> String {
    let message = error.message().trim().replace('\n', " ");
    match error.span() {
        Some(span) => {
            let before = &text[..span.start.min(text.len())];
            let line = before.matches('\n').count() + 1;
            let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
            format!("{source}: line {line}, column {column}: {message}")
        }
        None => format!("{source}: {message}"),
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    fn app(client_id: &str, name: &str) -> ClientApp {
        ClientApp {
            client_id: client_id.into(),
            name: name.into(),
            platform: Platform::Native,
            redirect_urls: vec![],
            scopes: vec![Scope::Monitoring, Scope::OfflineAccess],
            grant_types: vec![
                GrantType::AuthorizationCode,
                GrantType::RefreshToken,
                GrantType::DeviceCode,
            ],
            secret_hash: Some("a hash that must never be written".into()),
            previous_secret_hash: None,
            previous_secret_expires_at: None,
            created_at: 1,
            updated_at: 2,
            access_token_ttl: Some(600),
            refresh_token_ttl: None,
        }
    }

    #[test]
    fn what_is_written_reads_back_as_the_same_apps() {
        let apps = vec![app("oc_one", "Asset inventory"), app("oc_two", "Other")];
        let text = render(&apps).unwrap();
        assert!(!text.contains("hash"), "{text}");
        assert!(text.contains("device_code"), "short grant names: {text}");
        let read = parse("apps.toml", &text).unwrap();
        assert_eq!(read.len(), 2);
        assert_eq!(read[0].client_id.as_deref(), Some("oc_one"));
        assert_eq!(read[0].draft, apps[0].draft().normalized());
    }

    #[test]
    fn a_syntax_error_names_the_line() {
        let errors = parse("apps.toml", "[[apps]]\nname = \"x\"\nplatform = web\n").unwrap_err();
        assert_eq!(errors.len(), 1);
        assert!(
            errors[0].starts_with("apps.toml: line 3, column"),
            "{errors:?}"
        );
    }

    #[test]
    fn unknown_fields_and_words_are_refused_one_line_each() {
        let text = "[[apps]]\nname = \"x\"\nplatform = \"web\"\nclient_secret = \"s\"\n";
        let errors = parse("f", text).unwrap_err();
        assert!(errors[0].contains("client_secret"), "{errors:?}");
        let text = "[[apps]]\nname = \"x\"\nplatform = \"desktop\"\nscopes = [\"root\"]\n";
        let errors = parse("f", text).unwrap_err();
        assert_eq!(errors.len(), 2, "{errors:?}");
        assert!(errors.iter().all(|e| e.starts_with("f: app 1 (\"x\"): ")));
    }

    #[test]
    fn platform_rules_and_duplicates_are_checked_before_anything_is_sent() {
        let text = "[[apps]]\nname = \"Portal\"\nplatform = \"web\"\nscopes = [\"monitoring\"]\n\
                    grant_types = [\"client_credentials\"]\nredirect_urls = [\"https://a/cb\"]\n";
        let errors = parse("f", text).unwrap_err();
        assert!(!errors.is_empty());
        let text = "[[apps]]\nname = \"A\"\nplatform = \"api-services\"\nscopes = [\"monitoring\"]\n\
                    grant_types = [\"client_credentials\"]\n\n[[apps]]\nname = \"A\"\n\
                    platform = \"api-services\"\nscopes = [\"monitoring\"]\n\
                    grant_types = [\"client_credentials\"]\n";
        let errors = parse("f", text).unwrap_err();
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert!(errors[0].contains("more than once"));
    }
}
