//! Realistic data for the screenshots, and a stand-in for the server that answers the
//! console's requests from it the way the admin API would.

use crate::people;
use oauth_console::api::ApiError;
use oauth_console::domain::wire::{
    AppDetails, AuditPage, CreatedApp, RevokedCount, RotatedSecret, TokenPage, WhoAmI,
};
use oauth_console::domain::{
    AppChangeImpact, AppPatch, AuditRecord, ClientApp, GrantType, Platform, Scope, TokenKind,
    TokenRecord,
};
use oauth_console::worker::{RequestId, WorkerReply, WorkerRequest};
use serde_json::json;
use std::time::Duration;

/// 2025-11-29 14:20 UTC: the moment every picture is taken.
pub const NOW: i64 = 1_764_426_000;
const DAY: i64 = 86_400;

pub struct Server {
    apps: Vec<ClientApp>,
    tokens: Vec<TokenRecord>,
}

fn app(
    client_id: &str,
    name: &str,
    platform: Platform,
    redirect_urls: &[&str],
    scopes: &[Scope],
    grant_types: &[GrantType],
    age_days: i64,
) -> ClientApp {
    ClientApp {
        client_id: client_id.into(),
        name: name.into(),
        platform,
        redirect_urls: redirect_urls.iter().map(|u| u.to_string()).collect(),
        scopes: scopes.to_vec(),
        grant_types: grant_types.to_vec(),
        secret_hash: None,
        previous_secret_hash: None,
        previous_secret_expires_at: None,
        created_at: NOW - age_days * DAY,
        updated_at: NOW - age_days * DAY / 2,
        access_token_ttl: None,
        refresh_token_ttl: None,
    }
}

fn apps() -> Vec<ClientApp> {
    use GrantType::*;
    use Platform::*;
    use Scope::*;
    vec![
        app(
            "oc_3fK9wVb2LxQe7TnRz1Qm2A",
            "Billing sync",
            ApiServices,
            &[],
            &[Monitoring],
            &[ClientCredentials],
            1,
        ),
        app(
            "oc_a81XpLk3sN0dYw5Hf77pQg",
            "PSA connector",
            Web,
            &["https://psa.example.com/oauth/callback"],
            &[Monitoring, Management, OfflineAccess],
            &[AuthorizationCode, RefreshToken],
            12,
        ),
        app(
            "oc_Zq0wTg8mRb4Kc2Vj19cTxE",
            "Asset inventory",
            Native,
            &[],
            &[Monitoring, Management, OfflineAccess],
            &[AuthorizationCode, RefreshToken],
            2,
        ),
        app(
            "oc_Pp4sYh6Dn1Wq9Lr3e0aaBk",
            "Legacy portal",
            SinglePage,
            &["https://portal.example.com/"],
            &[Monitoring],
            &[AuthorizationCode, Implicit],
            27,
        ),
        app(
            "oc_Hx7cM2vQe5Ra8Tb0Ku4NdS",
            "Remote support desk",
            Web,
            &[
                "https://support.example.com/auth/done",
                "http://127.0.0.1:8080/auth/done",
            ],
            &[Monitoring, Control, OfflineAccess],
            &[AuthorizationCode, RefreshToken],
            40,
        ),
        app(
            "oc_Lm3nB8cV1xZ6qW9eR4tYuI",
            "Field tech CLI",
            Native,
            &[],
            &[Monitoring, Control],
            &[AuthorizationCode, DeviceCode],
            6,
        ),
        app(
            "oc_Ws5dF2gH7jK0lP3oI8uYtR",
            "Status dashboard",
            SinglePage,
            &["https://status.example.com/callback"],
            &[Monitoring],
            &[AuthorizationCode, RefreshToken],
            9,
        ),
        app(
            "oc_Qa1zX4cV7bN2mL5kJ8hGfD",
            "SIEM export",
            ApiServices,
            &[],
            &[Monitoring],
            &[ClientCredentials],
            63,
        ),
        app(
            "oc_Er6tY9uI2oP5aS8dF1gHjK",
            "Patch orchestrator",
            ApiServices,
            &[],
            &[Monitoring, Management],
            &[ClientCredentials],
            15,
        ),
    ]
}

#[allow(clippy::too_many_arguments)]
fn token(
    n: u32,
    kind: TokenKind,
    client_id: &str,
    subject: &str,
    scopes: &[Scope],
    grant: GrantType,
    issued_minutes_ago: i64,
    lifetime_minutes: i64,
    revoked_minutes_ago: Option<i64>,
) -> TokenRecord {
    let issued_at = NOW - issued_minutes_ago * 60;
    TokenRecord {
        id: format!("tok_{n:02}Rk{}", &client_id[3..12]),
        hash: String::new(),
        kind,
        client_id: client_id.into(),
        subject: subject.into(),
        scopes: scopes.to_vec(),
        grant,
        issued_at,
        expires_at: issued_at + lifetime_minutes * 60,
        family_id: format!("fam_{}", &client_id[3..9]),
        revoked_at: revoked_minutes_ago.map(|m| NOW - m * 60),
        family_expires_at: None,
        found_by_hash: false,
    }
}

fn tokens() -> Vec<TokenRecord> {
    use GrantType::*;
    use Scope::*;
    use TokenKind::*;
    let billing = "oc_3fK9wVb2LxQe7TnRz1Qm2A";
    let psa = "oc_a81XpLk3sN0dYw5Hf77pQg";
    let inventory = "oc_Zq0wTg8mRb4Kc2Vj19cTxE";
    let support = "oc_Hx7cM2vQe5Ra8Tb0Ku4NdS";
    let cli = "oc_Lm3nB8cV1xZ6qW9eR4tYuI";
    let siem = "oc_Qa1zX4cV7bN2mL5kJ8hGfD";
    vec![
        token(
            1,
            Access,
            billing,
            billing,
            &[Monitoring],
            ClientCredentials,
            3,
            60,
            None,
        ),
        token(
            2,
            Access,
            siem,
            siem,
            &[Monitoring],
            ClientCredentials,
            11,
            60,
            None,
        ),
        token(
            3,
            Access,
            psa,
            "dana.okafor",
            &[Monitoring, Management],
            AuthorizationCode,
            25,
            60,
            None,
        ),
        token(
            4,
            Refresh,
            psa,
            "dana.okafor",
            &[Monitoring, Management, OfflineAccess],
            AuthorizationCode,
            25,
            30 * 24 * 60,
            None,
        ),
        token(
            5,
            Access,
            inventory,
            "li.wei",
            &[Monitoring],
            RefreshToken,
            48,
            60,
            None,
        ),
        token(
            6,
            Refresh,
            inventory,
            "li.wei",
            &[Monitoring, OfflineAccess],
            RefreshToken,
            48,
            30 * 24 * 60,
            None,
        ),
        token(
            7,
            Access,
            cli,
            "m.rossi",
            &[Monitoring, Control],
            DeviceCode,
            95,
            60,
            Some(20),
        ),
        token(
            8,
            Access,
            support,
            "a.nowak",
            &[Monitoring, Control],
            AuthorizationCode,
            130,
            60,
            None,
        ),
        token(
            9,
            Refresh,
            support,
            "a.nowak",
            &[Monitoring, Control, OfflineAccess],
            AuthorizationCode,
            130,
            30 * 24 * 60,
            None,
        ),
        token(
            10,
            Access,
            billing,
            billing,
            &[Monitoring],
            ClientCredentials,
            190,
            60,
            None,
        ),
        token(
            11,
            Access,
            psa,
            "j.smith",
            &[Monitoring],
            AuthorizationCode,
            60 * 26,
            60,
            None,
        ),
        token(
            12,
            Refresh,
            psa,
            "j.smith",
            &[Monitoring, OfflineAccess],
            AuthorizationCode,
            60 * 26,
            30 * 24 * 60,
            Some(60 * 3),
        ),
    ]
}

impl Server {
    pub fn new() -> Server {
        Server {
            apps: apps(),
            tokens: tokens(),
        }
    }

    /// The server's answer to a request; `None` for what no picture needs. `id` is the
    /// request's id, which is also a flow's id.
    pub fn answer(&mut self, id: RequestId, request: WorkerRequest) -> Option<WorkerReply> {
        Some(match request {
            WorkerRequest::LoadAudit(_) => WorkerReply::Audit(Ok(AuditPage {
                records: audit_records(),
                next_cursor: None,
            })),
            WorkerRequest::StartDeviceFlow { .. } => WorkerReply::DeviceCode {
                flow_id: id,
                user_code: "WDJB-MJHT".into(),
                verification_uri: "http://127.0.0.1:41823/device".into(),
                verification_uri_complete: Some(
                    "http://127.0.0.1:41823/device?user_code=WDJB-MJHT".into(),
                ),
                expires_at: NOW + 600,
                interval: Duration::from_secs(5),
            },
            WorkerRequest::WhoAmI => WorkerReply::WhoAmI(Ok(WhoAmI {
                name: "admin".into(),
                read_only: false,
            })),
            WorkerRequest::LoadApps => {
                WorkerReply::Apps(Ok(people::listed(&self.apps, &self.tokens, NOW)))
            }
            WorkerRequest::LoadAppDetails { client_id } => {
                WorkerReply::AppDetails(self.find(&client_id).map(|app| AppDetails {
                    active_tokens: self.active_tokens(&app.client_id),
                    usage: people::usage(&self.tokens, &app.client_id),
                    hourly_issued: people::hourly(&self.tokens, &app.client_id),
                    app,
                }))
            }
            WorkerRequest::LoadUsers => WorkerReply::Users(Ok(people::users(&self.tokens, NOW))),
            WorkerRequest::LoadUserDetails { username } => WorkerReply::UserDetails(
                people::details(&self.tokens, &self.apps, &username, NOW)
                    .ok_or_else(|| not_found(&username)),
            ),
            WorkerRequest::CreateApp(draft) => {
                let mut created = app(
                    "oc_Tk2bR7nW4qE9sA1dF6gHzX",
                    &draft.name,
                    draft.platform,
                    &[],
                    &draft.scopes,
                    &draft.grant_types,
                    0,
                );
                created.redirect_urls = draft.redirect_urls.clone();
                self.apps.push(created.clone());
                let secret = draft
                    .platform
                    .is_confidential()
                    .then(|| "ocs_q8Vn2LbX0rTz5KcW7mHd3JfY9pSa1GeU4iOy6NvBkQ".to_string());
                WorkerReply::AppCreated(Ok(CreatedApp {
                    app: created,
                    client_secret: secret,
                }))
            }
            WorkerRequest::UpdateApp { client_id, .. }
            | WorkerRequest::PatchApp { client_id, .. } => {
                let result = self.find(&client_id);
                WorkerReply::AppUpdated { client_id, result }
            }
            WorkerRequest::PreviewAppPatch { client_id, patch } => {
                let result = self.find(&client_id).map(|app| self.impact(&app, &patch));
                WorkerReply::AppChangeImpact { client_id, result }
            }
            WorkerRequest::DeleteApp { client_id } => {
                self.apps.retain(|a| a.client_id != client_id);
                WorkerReply::AppDeleted {
                    client_id,
                    result: Ok(()),
                }
            }
            WorkerRequest::RotateSecret { client_id } => {
                WorkerReply::SecretRotated(self.find(&client_id).map(|app| RotatedSecret {
                    client_id: app.client_id,
                    client_secret: "ocs_Jr5Xw8Kq1Tn4Vb7Mz0Lc3Hd6Gf9Sa2Pe5Ui8Oy1Rt4".into(),
                    previous_secret_expires_at: Some(NOW + DAY),
                }))
            }
            WorkerRequest::LoadTokens(_) => WorkerReply::Tokens(Ok(TokenPage {
                tokens: self.tokens.clone(),
                next_cursor: None,
            })),
            WorkerRequest::RevokeToken { token_id } => WorkerReply::TokenRevoked {
                token_id,
                result: Ok(()),
            },
            WorkerRequest::RevokeAppTokens { client_id } => WorkerReply::AppTokensRevoked {
                client_id,
                result: Ok(RevokedCount { revoked: 0 }),
            },
            _ => return None,
        })
    }

    fn find(&self, client_id: &str) -> Result<ClientApp, ApiError> {
        self.apps
            .iter()
            .find(|a| a.client_id == client_id)
            .cloned()
            .ok_or_else(|| not_found(client_id))
    }

    /// What `patch` would do to the app's active tokens, counted as the server does.
    fn impact(&self, app: &ClientApp, patch: &AppPatch) -> AppChangeImpact {
        let draft = patch.apply_to(&app.draft());
        let mut after = app.clone();
        after.redirect_urls = draft.redirect_urls;
        after.scopes = draft.scopes;
        after.grant_types = draft.grant_types;
        let mut impact = AppChangeImpact::default();
        self.tokens
            .iter()
            .filter(|t| t.client_id == app.client_id && t.is_active(NOW))
            .for_each(|t| impact.count(&after, t));
        impact
    }

    fn active_tokens(&self, client_id: &str) -> u64 {
        self.tokens
            .iter()
            .filter(|t| t.client_id == client_id && t.revoked_at.is_none() && t.expires_at > NOW)
            .count() as u64
    }
}

fn not_found(client_id: &str) -> ApiError {
    ApiError::Server {
        status: 404,
        error: "not_found".into(),
        description: Some(format!("no app {client_id}")),
        violations: Vec::new(),
    }
}

/// What the audit log holds after a morning of administration.
fn audit_records() -> Vec<AuditRecord> {
    let app = |name: &str, scopes: &[&str]| json!({ "name": name, "scopes": scopes });
    let records = [
        (
            9,
            25,
            "admin",
            "app.rotate_secret",
            "oc_a81XcV3bN7mL0kJ9",
            None,
            None,
        ),
        (
            8,
            90,
            "admin",
            "app.update",
            "oc_Zq0wE1rT2yU3iO4p",
            Some(app("Asset inventory", &["monitoring"])),
            Some(app("Asset inventory", &["monitoring", "management"])),
        ),
        (
            7,
            240,
            "ops-readonly",
            "admin_key.create",
            "ops-readonly",
            None,
            None,
        ),
        (
            6,
            600,
            "admin",
            "token.revoke",
            "tok_9fKq2LmX7tY4",
            None,
            None,
        ),
        (
            5,
            1800,
            "admin",
            "app.delete",
            "oc_Old4Portal9x",
            Some(app("Old portal", &["monitoring"])),
            None,
        ),
        (
            4,
            3600,
            "admin",
            "app.create",
            "oc_3fK9aL2mQx7RtY1u",
            None,
            Some(app("Billing sync", &["monitoring"])),
        ),
    ];
    records
        .into_iter()
        .map(
            |(id, ago, actor, action, target, before, after)| AuditRecord {
                id,
                at: NOW - ago,
                actor: actor.into(),
                action: action.into(),
                target: target.into(),
                before,
                after,
            },
        )
        .collect()
}
