//! `oauth-console apps …`: client apps through the admin API.

use super::CliError;
use super::args::{AppSettings, AppsCommand, CreateArgs};
use super::output::{Output, format_time};
use super::table::{Table, fields, note};
use crate::api::AdminClient;
use crate::domain::wire::{AppDetails, CreatedApp, RotatedSecret};
use crate::domain::{
    AppDraft, AppPatch, ClientApp, GrantType, ListedApp, Platform, sanitize_for_terminal,
    validate_draft,
};
use serde::Serialize;

pub async fn run(client: &AdminClient, command: AppsCommand, out: Output) -> Result<(), CliError> {
    match command {
        AppsCommand::List => {
            let apps = client.list_apps_with_usage().await?;
            out.print(&crate::domain::wire::AppList { apps }, |list| {
                apps_table(&list.apps)
            })
        }
        AppsCommand::Show { client_id } => {
            let details = client
                .get_app(&client_id)
                .await
                .map_err(|e| no_such_app(e, &client_id))?;
            out.print(&details, show_details)
        }
        AppsCommand::Create(args) => create(client, args, out).await,
        AppsCommand::Update {
            client_id,
            name,
            settings,
        } => update(client, &client_id, name, settings, out).await,
        AppsCommand::Delete { client_id, .. } => {
            client
                .delete_app(&client_id)
                .await
                .map_err(|e| no_such_app(e, &client_id))?;
            out.print(&Deleted { deleted: client_id }, |d| {
                format!("Deleted app {}\n", sanitize_for_terminal(&d.deleted))
            })
        }
        AppsCommand::RotateSecret { client_id, grace } => {
            let rotated = client
                .rotate_secret_with_grace(&client_id, grace)
                .await
                .map_err(|e| no_such_app(e, &client_id))?;
            out.print(&rotated, show_rotated)
        }
        AppsCommand::Export => super::apps_apply::export(client, out).await,
        AppsCommand::Apply {
            file,
            dry_run,
            prune,
        } => {
            let args = super::apps_apply::ApplyArgs {
                file: &file,
                dry_run,
                prune,
            };
            super::apps_apply::apply(client, args, out).await
        }
        AppsCommand::EndGrace { client_id } => {
            let app = client
                .end_secret_grace(&client_id)
                .await
                .map_err(|e| no_such_app(e, &client_id))?;
            out.print(&app, show_grace_ended)
        }
    }
}

#[derive(Serialize)]
struct Deleted {
    deleted: String,
}

async fn create(client: &AdminClient, args: CreateArgs, out: Output) -> Result<(), CliError> {
    let settings = args.settings;
    let grant_types = if settings.grants.is_empty() {
        vec![default_grant(args.platform)]
    } else {
        settings.grants
    };
    let draft = AppDraft {
        name: args.name,
        platform: args.platform,
        redirect_urls: settings.redirect_urls,
        scopes: settings.scopes,
        grant_types,
        access_token_ttl: settings.access_token_ttl,
        refresh_token_ttl: settings.refresh_token_ttl,
    }
    .normalized();
    check(&draft)?;
    let created = client.create_app(&draft).await?;
    out.print(&created, show_created)
}

async fn update(
    client: &AdminClient,
    client_id: &str,
    name: Option<String>,
    settings: AppSettings,
    out: Output,
) -> Result<(), CliError> {
    let patch = AppPatch {
        name,
        redirect_urls: non_empty(settings.redirect_urls),
        scopes: non_empty(settings.scopes),
        grant_types: non_empty(settings.grants),
        access_token_ttl: settings.access_token_ttl.map(Some),
        refresh_token_ttl: settings.refresh_token_ttl.map(Some),
    };
    if patch == AppPatch::default() {
        return Err(CliError::Usage(
            "nothing to change: give at least one of --name, --redirect-url, --scope, --grant, \
             --access-token-ttl, --refresh-token-ttl"
                .into(),
        ));
    }
    // Check the rules against what the app would become, before sending anything.
    let current = client
        .get_app(client_id)
        .await
        .map_err(|e| no_such_app(e, client_id))?;
    check(&patch.apply_to(&current.app.draft()).normalized())?;
    let updated = client
        .patch_app(client_id, &patch)
        .await
        .map_err(|e| no_such_app(e, client_id))?;
    out.print(&updated, show_app)
}

/// The same rules the server applies, so a broken app is refused without a round trip.
fn check(draft: &AppDraft) -> Result<(), CliError> {
    let violations = validate_draft(draft);
    if violations.is_empty() {
        Ok(())
    } else {
        Err(CliError::Invalid(violations))
    }
}

/// The grant almost every app of a platform starts with.
fn default_grant(platform: Platform) -> GrantType {
    match platform {
        Platform::ApiServices => GrantType::ClientCredentials,
        Platform::Web | Platform::Native | Platform::SinglePage => GrantType::AuthorizationCode,
    }
}

fn non_empty<T>(list: Vec<T>) -> Option<Vec<T>> {
    (!list.is_empty()).then_some(list)
}

fn no_such_app(error: crate::api::ApiError, client_id: &str) -> CliError {
    CliError::not_found_as(error, || format!("no app with client ID {client_id}"))
}

fn apps_table(apps: &[ListedApp]) -> String {
    if apps.is_empty() {
        return note("No client apps yet. Create one: oauth-console apps create --help\n");
    }
    let mut table = Table::new(&[
        "NAME",
        "PLATFORM",
        "CLIENT ID",
        "SCOPES",
        "GRANTS",
        "CREATED",
        "LAST USED",
        "24H",
        "ACTIVE",
    ]);
    for listed in apps {
        let app = &listed.app;
        table.row(vec![
            app.name.clone(),
            app.platform.label().into(),
            app.client_id.clone(),
            join(app.scopes.iter().map(|s| s.as_str())),
            join(app.grant_types.iter().map(|g| g.cli_name())),
            format_time(app.created_at),
            last_used(listed.usage.last_issued_at),
            listed.usage.issued_24h.to_string(),
            listed.active_tokens.to_string(),
        ]);
    }
    table.render()
}

/// When the app last got a token, as the CLI shows times; "never" if it never did.
fn last_used(last_issued_at: Option<i64>) -> String {
    last_issued_at.map_or_else(|| "never".into(), format_time)
}

fn join<'a>(items: impl Iterator<Item = &'a str>) -> String {
    let joined = items.collect::<Vec<_>>().join(",");
    if joined.is_empty() {
        "-".into()
    } else {
        joined
    }
}

fn app_fields(app: &ClientApp) -> Vec<(&'static str, String)> {
    let ttl = |t: Option<i64>| t.map_or_else(|| "server default".into(), |s| format!("{s} s"));
    let mut pairs = vec![
        ("Name", app.name.clone()),
        ("Client ID", app.client_id.clone()),
        ("Platform", app.platform.label().into()),
        ("Scopes", join(app.scopes.iter().map(|s| s.as_str()))),
        ("Grants", join(app.grant_types.iter().map(|g| g.cli_name()))),
        ("Access token TTL", ttl(app.access_token_ttl)),
        ("Refresh token TTL", ttl(app.refresh_token_ttl)),
        ("Created", format_time(app.created_at)),
        ("Updated", format_time(app.updated_at)),
    ];
    if let Some(until) = app.previous_secret_expires_at {
        pairs.push(("Previous secret until", format_time(until)));
    }
    for (i, url) in app.redirect_urls.iter().enumerate() {
        let label = if i == 0 { "Redirect URLs" } else { "" };
        pairs.insert(3 + i, (label, url.clone()));
    }
    pairs
}

fn show_app(app: &ClientApp) -> String {
    fields(&app_fields(app))
}

fn show_details(details: &AppDetails) -> String {
    let mut pairs = app_fields(&details.app);
    pairs.push(("Active tokens", details.active_tokens.to_string()));
    pairs.push(("Last used", last_used(details.usage.last_issued_at)));
    pairs.push(("Issued (24 h)", details.usage.issued_24h.to_string()));
    fields(&pairs)
}

fn show_created(created: &CreatedApp) -> String {
    let mut text = show_app(&created.app);
    if let Some(secret) = &created.client_secret {
        text.push_str(&secret_notice(secret));
    }
    text
}

fn show_rotated(rotated: &RotatedSecret) -> String {
    let mut text = fields(&[("Client ID", rotated.client_id.clone())]);
    text.push_str(&secret_notice(&rotated.client_secret));
    if let Some(until) = rotated.previous_secret_expires_at {
        text.push_str(&format!(
            "The previous secret keeps working until {}.\n",
            format_time(until)
        ));
    } else {
        text.push_str("The previous secret no longer works.\n");
    }
    text
}

fn secret_notice(secret: &str) -> String {
    format!(
        "\nClient secret: {}\nShown this once: only its hash is kept. Store it now.\n",
        sanitize_for_terminal(secret)
    )
}

/// `apps end-grace`: what the operator sees once the previous secret is cut off.
pub fn show_grace_ended(app: &ClientApp) -> String {
    let mut text = super::table::fields(&[
        ("Name", app.name.clone()),
        ("Client ID", app.client_id.clone()),
    ]);
    text.push_str("The previous secret no longer works; only the current one does.\n");
    text
}
