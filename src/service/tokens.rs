//! Issuing access and refresh tokens, the client credentials grant, introspection
//! (RFC 7662) and revocation (RFC 7009).

use super::crypto::{sha256_hex, time_ordered_id};
use super::token_format;
use super::{Service, ServiceError, ServiceResult};
use crate::domain::{
    ClientApp, GrantType, Scope, TokenKind, TokenRecord, bound_scopes, parse_scope_param,
    scope_param,
};
use serde::Serialize;

/// The token endpoint's success body (RFC 6749 §5.1).
#[derive(Clone, Serialize)]
pub struct TokenResponse {
    pub access_token: String,
    pub token_type: &'static str,
    pub expires_in: i64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub refresh_token: Option<String>,
    pub scope: String,
}

impl std::fmt::Debug for TokenResponse {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Tokens are credentials: never print them.
        f.debug_struct("TokenResponse")
            .field("expires_in", &self.expires_in)
            .field("has_refresh_token", &self.refresh_token.is_some())
            .field("scope", &self.scope)
            .finish()
    }
}

/// The introspection body (RFC 7662 §2.2). Inactive tokens serialize to exactly
/// `{"active": false}`: nothing about them is revealed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Introspection {
    pub active: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub scope: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub client_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub username: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sub: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub token_type: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub exp: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub iat: Option<i64>,
    /// The token's public ID (`tok_…`), so an administrator can find it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub jti: Option<String>,
}

impl Introspection {
    pub fn inactive() -> Introspection {
        Introspection::default()
    }
}

/// Who asks to introspect: an administrator sees every token, a client only its own.
#[derive(Debug, Clone)]
pub enum Introspector {
    Admin,
    Client(String),
}

/// What a set of tokens is issued for.
pub(super) struct Grant<'a> {
    pub app: &'a ClientApp,
    pub subject: String,
    pub scopes: Vec<Scope>,
    pub grant: GrantType,
    pub family_id: String,
    /// Whether a refresh token may be part of it; `wants_refresh` decides the rest.
    pub with_refresh: bool,
    /// The end of the refresh family these tokens continue; `None` starts a new
    /// family now (it ends `refresh_family_lifetime` later).
    pub family_expires_at: Option<i64>,
}

/// Should this grant come with a refresh token? Only when the app has the refresh
/// grant and the request asked for `offline_access` (DESIGN §2).
pub(super) fn wants_refresh(app: &ClientApp, scopes: &[Scope]) -> bool {
    app.has_grant(GrantType::RefreshToken) && scopes.contains(&Scope::OfflineAccess)
}

/// A new family's ID. Like token IDs, family IDs sort by time, so the store's
/// indexes on them grow at one end (see `time_ordered_id`).
pub(super) fn new_family_id() -> ServiceResult<String> {
    time_ordered_id("fam_", 10)
}

/// What a request that names no scope gets: every scope of the app but
/// `offline_access`, which must be asked for (a refresh token is never implied).
pub(super) fn default_scopes(app: &ClientApp) -> Vec<Scope> {
    app.scopes
        .iter()
        .copied()
        .filter(|s| *s != Scope::OfflineAccess)
        .collect()
}

/// The scopes a request ends up with: the requested ones if each is allowed, else
/// `default` when nothing was asked for.
pub(super) fn resolve_scopes(
    requested: Option<&str>,
    allowed: &[Scope],
    default: Vec<Scope>,
) -> ServiceResult<Vec<Scope>> {
    let scopes = match requested {
        None => default,
        Some(param) => parse_scope_param(param).map_err(ServiceError::InvalidScope)?,
    };
    if scopes.is_empty() {
        return Err(ServiceError::InvalidScope("No scope was requested".into()));
    }
    if let Some(extra) = scopes.iter().find(|s| !allowed.contains(s)) {
        return Err(ServiceError::InvalidScope(format!(
            "The scope {extra} is not granted to this client"
        )));
    }
    Ok(scopes)
}

impl Service {
    fn new_record(
        &self,
        kind: TokenKind,
        grant: &Grant<'_>,
        now: i64,
        family_expires_at: Option<i64>,
    ) -> ServiceResult<(String, TokenRecord)> {
        let ttl = match kind {
            TokenKind::Access => grant
                .app
                .access_token_ttl
                .unwrap_or(self.config.access_token_ttl),
            TokenKind::Refresh => grant
                .app
                .refresh_token_ttl
                .unwrap_or(self.config.refresh_token_ttl),
        };
        let (id, token) = token_format::new_token(kind)?;
        let record = TokenRecord {
            id,
            hash: sha256_hex(&token),
            kind,
            client_id: grant.app.client_id.clone(),
            subject: grant.subject.clone(),
            scopes: grant.scopes.clone(),
            grant: grant.grant,
            issued_at: now,
            // Rotation never carries a family past its absolute end.
            expires_at: now
                .saturating_add(ttl)
                .min(family_expires_at.unwrap_or(i64::MAX)),
            family_id: grant.family_id.clone(),
            revoked_at: None,
            family_expires_at,
            found_by_hash: false,
        };
        Ok((token, record))
    }

    /// New tokens for a grant, not yet stored: the response and the records to store.
    pub(super) fn mint(
        &self,
        grant: &Grant<'_>,
    ) -> ServiceResult<(TokenResponse, Vec<TokenRecord>)> {
        let now = self.now();
        let refreshable = grant.with_refresh && wants_refresh(grant.app, &grant.scopes);
        let family_expires_at = refreshable.then(|| {
            grant
                .family_expires_at
                .unwrap_or_else(|| now.saturating_add(self.config.refresh_family_lifetime))
        });
        if family_expires_at.is_some_and(|end| now >= end) {
            return Err(ServiceError::InvalidGrant(
                "The refresh token has reached the end of its lifetime; sign in again".into(),
            ));
        }
        let (access_token, access) =
            self.new_record(TokenKind::Access, grant, now, family_expires_at)?;
        let expires_in = access.expires_at - now;
        let mut records = vec![access];
        let refresh_token = if refreshable {
            let (token, record) =
                self.new_record(TokenKind::Refresh, grant, now, family_expires_at)?;
            records.push(record);
            Some(token)
        } else {
            None
        };
        let response = TokenResponse {
            access_token,
            token_type: "Bearer",
            expires_in,
            refresh_token,
            scope: scope_param(&grant.scopes),
        };
        Ok((response, records))
    }

    /// Mints and durably stores tokens; answers only once they are stored.
    pub(super) async fn issue(&self, grant: &Grant<'_>) -> ServiceResult<TokenResponse> {
        let (response, records) = self.mint(grant)?;
        let ids: Vec<&str> = records.iter().map(|r| r.id.as_str()).collect();
        tracing::debug!(client_id = %grant.app.client_id, grant = %grant.grant, token_ids = ?ids, "tokens issued");
        self.store.insert_tokens(records).await?;
        Ok(response)
    }

    /// RFC 6749 §4.4: a confidential client acts as itself.
    pub async fn client_credentials_grant(
        &self,
        app: &ClientApp,
        scope: Option<&str>,
    ) -> ServiceResult<TokenResponse> {
        if !app.platform.is_confidential() {
            return Err(ServiceError::UnauthorizedClient(
                "Public clients cannot use the client credentials grant".into(),
            ));
        }
        if !app.has_grant(GrantType::ClientCredentials) {
            return Err(ServiceError::UnauthorizedClient(
                "This client may not use the client credentials grant".into(),
            ));
        }
        let scopes = resolve_scopes(scope, &app.scopes, default_scopes(app))?;
        self.issue(&Grant {
            app,
            subject: app.client_id.clone(),
            scopes,
            grant: GrantType::ClientCredentials,
            family_id: new_family_id()?,
            with_refresh: false,
            family_expires_at: None,
        })
        .await
    }

    /// RFC 7662. Unknown, expired, revoked and other clients' tokens are all inactive.
    pub async fn introspect(
        &self,
        who: &Introspector,
        token: &str,
    ) -> ServiceResult<Introspection> {
        let Some(record) = self.store.find_token(&token_format::lookup(token)).await? else {
            return Ok(Introspection::inactive());
        };
        if let Introspector::Client(client_id) = who
            && *client_id != record.client_id
        {
            return Ok(Introspection::inactive());
        }
        if !record.is_active(self.now()) {
            return Ok(Introspection::inactive());
        }
        // The app as it is now bounds the token: a deleted app's tokens are inactive,
        // a scope taken away is not reported, and with none left the token is inactive.
        let Some(app) = self.store.get_app(&record.client_id).await? else {
            return Ok(Introspection::inactive());
        };
        let Some(scopes) = bound_scopes(&app, &record) else {
            return Ok(Introspection::inactive());
        };
        // And the user as they are now: a disabled or deleted user's token is inactive.
        if !self.owner_may_use(&record).await? {
            return Ok(Introspection::inactive());
        }
        let is_user = record.grant != GrantType::ClientCredentials;
        Ok(Introspection {
            active: true,
            scope: Some(scope_param(&scopes)),
            client_id: Some(record.client_id),
            username: is_user.then(|| record.subject.clone()),
            sub: Some(record.subject),
            token_type: Some(match record.kind {
                TokenKind::Access => "Bearer".to_string(),
                TokenKind::Refresh => "refresh_token".to_string(),
            }),
            exp: Some(record.expires_at),
            iat: Some(record.issued_at),
            jti: Some(record.id),
        })
    }

    /// RFC 7009: revokes a token the client owns. Unknown tokens and other clients'
    /// tokens are ignored, so the answer reveals nothing. Revoking a refresh token
    /// revokes its family (the access tokens issued with it too).
    pub async fn revoke(&self, app: &ClientApp, token: &str) -> ServiceResult<()> {
        let Some(record) = self.store.find_token(&token_format::lookup(token)).await? else {
            return Ok(());
        };
        if record.client_id != app.client_id {
            tracing::info!(client_id = %app.client_id, "revocation of another client's token ignored");
            return Ok(());
        }
        let now = self.now();
        match record.kind {
            TokenKind::Access => {
                self.store.revoke_token(&record.id, now).await?;
            }
            TokenKind::Refresh => {
                self.store.revoke_family(&record.family_id, now).await?;
            }
        }
        tracing::info!(client_id = %app.client_id, token_id = %record.id, "token revoked by its client");
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_output_never_shows_tokens() {
        let response = TokenResponse {
            access_token: "oca_secret-access".into(),
            token_type: "Bearer",
            expires_in: 60,
            refresh_token: Some("ocr_secret-refresh".into()),
            scope: "monitoring".into(),
        };
        let shown = format!("{response:?}");
        assert!(!shown.contains("secret-access") && !shown.contains("secret-refresh"));
    }

    #[test]
    fn an_inactive_answer_says_nothing_else() {
        assert_eq!(
            serde_json::to_value(Introspection::inactive()).ok(),
            Some(serde_json::json!({"active": false}))
        );
    }
}
