//! `AdminClient`: one method per admin API call (DESIGN §5).

use super::{ApiError, ServerTrust, describe_http_error};
use crate::domain::wire::{
    AdminKeyList, AppDetails, AppList, AuditFilter, AuditPage, CreatedAdminKey, CreatedApp,
    ErrorBody, NewAdminKey, RevokedCount, RotatedSecret, SecretRotation, TokenFilter, TokenPage,
    WhoAmI,
};
use crate::domain::{
    AppChangeImpact, AppDraft, AppPatch, ClientApp, ListedApp, UserChanged, UserDetails, UserList,
    UserPatch, UserSummary,
};
use reqwest::{Method, RequestBuilder, Response};
use serde::de::DeserializeOwned;
use url::Url;

/// A client of one server's admin API, authenticated by one admin key. Cheap to clone.
#[derive(Clone)]
pub struct AdminClient {
    http: reqwest::Client,
    trust: ServerTrust,
    base: Url,
    admin_key: String,
}

impl std::fmt::Debug for AdminClient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The admin key is a credential: never print it.
        f.debug_struct("AdminClient")
            .field("base", &self.base.as_str())
            .finish()
    }
}

/// May an admin key be sent to `base`? Over https, or plain http to a loopback
/// address (`127.0.0.0/8`, `[::1]`, `localhost`) only, unless `insecure_http`: the key
/// is a bearer credential and anyone on the path could replay it.
pub fn check_admin_transport(base: &Url, insecure_http: bool) -> Result<(), ApiError> {
    if base.scheme() != "http" || insecure_http {
        return Ok(());
    }
    let loopback = match base.host() {
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        Some(url::Host::Domain(name)) => name.eq_ignore_ascii_case("localhost"),
        None => false,
    };
    if loopback {
        Ok(())
    } else {
        Err(ApiError::InsecureTransport {
            host: base.host_str().unwrap_or_default().to_string(),
        })
    }
}

impl AdminClient {
    /// A client for `base`; refuses plain http:// to another machine
    /// (`check_admin_transport`).
    pub fn new(base: Url, admin_key: String) -> Result<AdminClient, ApiError> {
        AdminClient::with_insecure_http(base, admin_key, false)
    }

    /// As `new`; with `insecure_http`, plain http:// to any host is allowed (the user
    /// said `--insecure-http`).
    pub fn with_insecure_http(
        base: Url,
        admin_key: String,
        insecure_http: bool,
    ) -> Result<AdminClient, ApiError> {
        AdminClient::with_trust(base, admin_key, insecure_http, ServerTrust::default())
    }

    /// As `with_insecure_http`, accepting server certificates that chain to `trust`
    /// (`--ca-file`). The console's OAuth flows trust the same roots.
    pub fn with_trust(
        base: Url,
        admin_key: String,
        insecure_http: bool,
        trust: ServerTrust,
    ) -> Result<AdminClient, ApiError> {
        check_admin_transport(&base, insecure_http)?;
        let http = trust
            .client_builder()
            .build()
            .map_err(|e| ApiError::Protocol(e.to_string()))?;
        Ok(AdminClient {
            http,
            trust,
            base,
            admin_key,
        })
    }

    /// The HTTP client, for calls outside the admin API (`/readyz`).
    pub(super) fn http(&self) -> &reqwest::Client {
        &self.http
    }

    /// The roots this client accepts, for other clients of the same server.
    pub fn trust(&self) -> &ServerTrust {
        &self.trust
    }

    /// The admin key, for OAuth endpoints that accept it as a bearer (introspection).
    pub(crate) fn admin_key(&self) -> &str {
        &self.admin_key
    }

    /// The server's base URL, e.g. `http://127.0.0.1:8414/`.
    pub fn base_url(&self) -> &Url {
        &self.base
    }

    fn request(&self, method: Method, path: &str) -> Result<RequestBuilder, ApiError> {
        let url = self
            .base
            .join(path)
            .map_err(|e| ApiError::Protocol(format!("bad URL {path}: {e}")))?;
        Ok(self.http.request(method, url).bearer_auth(&self.admin_key))
    }

    async fn send(&self, request: RequestBuilder) -> Result<Response, ApiError> {
        let response = request.send().await.map_err(|e| ApiError::Unreachable {
            url: self.base.to_string(),
            reason: describe_reqwest_error(&e),
        })?;
        if response.status().is_success() {
            return Ok(response);
        }
        let status = response.status().as_u16();
        let text = response.text().await.unwrap_or_default();
        Err(match serde_json::from_str::<ErrorBody>(&text) {
            Ok(body) => ApiError::Server {
                status,
                error: body.error,
                description: body.error_description,
                violations: body.violations,
            },
            Err(_) => ApiError::Server {
                status,
                error: format!("HTTP {status}"),
                description: None,
                violations: Vec::new(),
            },
        })
    }

    async fn json<T: DeserializeOwned>(&self, request: RequestBuilder) -> Result<T, ApiError> {
        let response = self.send(request).await?;
        response
            .json::<T>()
            .await
            .map_err(|e| ApiError::Protocol(e.to_string()))
    }

    pub async fn whoami(&self) -> Result<WhoAmI, ApiError> {
        self.json(self.request(Method::GET, "admin/v1/whoami")?)
            .await
    }

    pub async fn list_apps(&self) -> Result<Vec<ClientApp>, ApiError> {
        let apps = self.list_apps_with_usage().await?;
        Ok(apps.into_iter().map(|listed| listed.app).collect())
    }

    /// Every app with its usage (last token issued, tokens in 24 h, active tokens).
    pub async fn list_apps_with_usage(&self) -> Result<Vec<ListedApp>, ApiError> {
        let list: AppList = self
            .json(self.request(Method::GET, "admin/v1/apps")?)
            .await?;
        Ok(list.apps)
    }

    pub async fn get_app(&self, client_id: &str) -> Result<AppDetails, ApiError> {
        let path = format!("admin/v1/apps/{}", encode(client_id));
        self.json(self.request(Method::GET, &path)?).await
    }

    pub async fn create_app(&self, draft: &AppDraft) -> Result<CreatedApp, ApiError> {
        self.json(self.request(Method::POST, "admin/v1/apps")?.json(draft))
            .await
    }

    /// Full update (`PUT`): every editable field. The platform cannot change.
    pub async fn update_app(
        &self,
        client_id: &str,
        draft: &AppDraft,
    ) -> Result<ClientApp, ApiError> {
        let path = format!("admin/v1/apps/{}", encode(client_id));
        self.json(self.request(Method::PUT, &path)?.json(draft))
            .await
    }

    /// Partial update (`PATCH`).
    pub async fn patch_app(
        &self,
        client_id: &str,
        patch: &AppPatch,
    ) -> Result<ClientApp, ApiError> {
        let path = format!("admin/v1/apps/{}", encode(client_id));
        self.json(self.request(Method::PATCH, &path)?.json(patch))
            .await
    }

    /// What `patch_app` with `patch` would do to the app's active tokens, without
    /// saving it: e.g. "12 active tokens carry Control; they lose it now"
    /// (`AppChangeImpact::summary`). For the form and the Scopes & grants matrix.
    pub async fn preview_app_patch(
        &self,
        client_id: &str,
        patch: &AppPatch,
    ) -> Result<AppChangeImpact, ApiError> {
        let path = format!("admin/v1/apps/{}/impact", encode(client_id));
        self.json(self.request(Method::POST, &path)?.json(patch))
            .await
    }

    pub async fn delete_app(&self, client_id: &str) -> Result<(), ApiError> {
        let path = format!("admin/v1/apps/{}", encode(client_id));
        self.send(self.request(Method::DELETE, &path)?).await?;
        Ok(())
    }

    pub async fn rotate_secret(&self, client_id: &str) -> Result<RotatedSecret, ApiError> {
        let path = format!("admin/v1/apps/{}/secret", encode(client_id));
        self.json(self.request(Method::POST, &path)?).await
    }

    pub async fn list_tokens(&self, filter: &TokenFilter) -> Result<TokenPage, ApiError> {
        let query = filter.to_query();
        self.json(self.request(Method::GET, "admin/v1/tokens")?.query(&query))
            .await
    }

    pub async fn revoke_token(&self, token_id: &str) -> Result<(), ApiError> {
        let path = format!("admin/v1/tokens/{}", encode(token_id));
        self.send(self.request(Method::DELETE, &path)?).await?;
        Ok(())
    }

    pub async fn revoke_app_tokens(&self, client_id: &str) -> Result<RevokedCount, ApiError> {
        let path = format!("admin/v1/apps/{}/tokens", encode(client_id));
        self.json(self.request(Method::DELETE, &path)?).await
    }

    pub async fn list_audit(
        &self,
        limit: Option<u32>,
        cursor: Option<&str>,
    ) -> Result<AuditPage, ApiError> {
        self.list_audit_filtered(&AuditFilter {
            limit,
            cursor: cursor.map(str::to_string),
            ..AuditFilter::default()
        })
        .await
    }

    /// Adds a resource owner who can sign in on the consent page.
    pub async fn create_user(&self, username: &str, password: &str) -> Result<(), ApiError> {
        let body = serde_json::json!({ "username": username, "password": password });
        self.send(self.request(Method::POST, "admin/v1/users")?.json(&body))
            .await?;
        Ok(())
    }

    /// Every resource owner, oldest first.
    pub async fn list_users(&self) -> Result<Vec<UserSummary>, ApiError> {
        let list: UserList = self
            .json(self.request(Method::GET, "admin/v1/users")?)
            .await?;
        Ok(list.users)
    }

    /// One user and the apps they have authorised.
    pub async fn get_user(&self, username: &str) -> Result<UserDetails, ApiError> {
        let path = format!("admin/v1/users/{}", encode_path_segment(username));
        self.json(self.request(Method::GET, &path)?).await
    }

    /// Disables or enables a user, or sets their password.
    pub async fn patch_user(
        &self,
        username: &str,
        patch: &UserPatch,
    ) -> Result<UserChanged, ApiError> {
        let path = format!("admin/v1/users/{}", encode_path_segment(username));
        self.json(self.request(Method::PATCH, &path)?.json(patch))
            .await
    }

    /// Deletes a user; answers how many of their tokens were revoked with them.
    pub async fn delete_user(&self, username: &str) -> Result<RevokedCount, ApiError> {
        let path = format!("admin/v1/users/{}", encode_path_segment(username));
        self.json(self.request(Method::DELETE, &path)?).await
    }

    /// Revokes every token issued to the user.
    pub async fn revoke_user_tokens(&self, username: &str) -> Result<RevokedCount, ApiError> {
        let path = format!("admin/v1/users/{}/tokens", encode_path_segment(username));
        self.json(self.request(Method::DELETE, &path)?).await
    }

    /// Revokes one authorisation of the user: the token family `family_id`.
    pub async fn revoke_user_grant(
        &self,
        username: &str,
        family_id: &str,
    ) -> Result<RevokedCount, ApiError> {
        let path = format!(
            "admin/v1/users/{}/grants/{}",
            encode_path_segment(username),
            encode_path_segment(family_id)
        );
        self.json(self.request(Method::DELETE, &path)?).await
    }

    pub async fn list_admin_keys(&self) -> Result<AdminKeyList, ApiError> {
        self.json(self.request(Method::GET, "admin/v1/admin-keys")?)
            .await
    }

    /// Creates an admin key (a read-write key is needed); the key is in the answer,
    /// the only time it is shown.
    pub async fn create_admin_key(
        &self,
        name: &str,
        read_only: bool,
    ) -> Result<CreatedAdminKey, ApiError> {
        let body = NewAdminKey {
            name: name.to_string(),
            read_only,
        };
        self.json(
            self.request(Method::POST, "admin/v1/admin-keys")?
                .json(&body),
        )
        .await
    }

    /// Revokes an admin key by name; the key this client uses cannot revoke itself.
    pub async fn revoke_admin_key(&self, name: &str) -> Result<(), ApiError> {
        let path = format!("admin/v1/admin-keys/{}", encode_path_segment(name));
        self.send(self.request(Method::DELETE, &path)?).await?;
        Ok(())
    }

    /// Rotates the secret; the previous one keeps working for `grace_seconds` (the
    /// server's default when `None`, 0 to cut it off at once).
    pub async fn rotate_secret_with_grace(
        &self,
        client_id: &str,
        grace_seconds: Option<i64>,
    ) -> Result<RotatedSecret, ApiError> {
        let path = format!("admin/v1/apps/{}/secret", encode(client_id));
        let body = SecretRotation { grace_seconds };
        self.json(self.request(Method::POST, &path)?.json(&body))
            .await
    }

    /// Ends the previous secret's grace period now.
    pub async fn end_secret_grace(&self, client_id: &str) -> Result<ClientApp, ApiError> {
        let path = format!("admin/v1/apps/{}/previous-secret", encode(client_id));
        self.json(self.request(Method::DELETE, &path)?).await
    }

    /// The audit log, newest first, filtered by exact actor, action and target.
    pub async fn list_audit_filtered(&self, filter: &AuditFilter) -> Result<AuditPage, ApiError> {
        let query = filter.to_query();
        self.json(self.request(Method::GET, "admin/v1/audit")?.query(&query))
            .await
    }
}

/// Path segments are IDs we generated, but a user may type anything: encode them.
fn encode(segment: &str) -> String {
    url::form_urlencoded::byte_serialize(segment.as_bytes()).collect()
}

/// A path segment with every reserved byte percent-encoded (spaces as `%20`, which
/// a path needs, not `+`).
fn encode_path_segment(segment: &str) -> String {
    encode(segment).replace('+', "%20")
}

fn describe_reqwest_error(e: &reqwest::Error) -> String {
    describe_http_error(e)
}
