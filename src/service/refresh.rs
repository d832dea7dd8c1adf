//! The refresh token grant (RFC 6749 §6) with rotation and reuse detection
//! (RFC 9700 §4.14.2): every use replaces the token; presenting a replaced one
//! revokes the whole family.

use super::crypto::sha256_hex;
use super::tokens::{Grant, resolve_scopes};
use super::{Service, ServiceError, ServiceResult, TokenResponse};
use crate::domain::{ClientApp, GrantType, TokenKind};
use crate::store::RefreshRotation;

fn invalid() -> ServiceError {
    ServiceError::InvalidGrant("The refresh token is not valid".into())
}

impl Service {
    pub async fn refresh_grant(
        &self,
        app: &ClientApp,
        refresh_token: Option<&str>,
        scope: Option<&str>,
    ) -> ServiceResult<TokenResponse> {
        if !app.has_grant(GrantType::RefreshToken) {
            return Err(ServiceError::UnauthorizedClient(
                "This client may not use the refresh token grant".into(),
            ));
        }
        let token = refresh_token
            .ok_or_else(|| ServiceError::InvalidRequest("refresh_token is missing".into()))?;
        let hash = sha256_hex(token);
        let old = self
            .store
            .get_token_by_hash(&hash)
            .await?
            .ok_or_else(invalid)?;
        if old.kind != TokenKind::Refresh || old.client_id != app.client_id {
            return Err(invalid());
        }
        let now = self.now();
        if old.revoked_at.is_none() && now >= old.expires_at {
            return Err(ServiceError::InvalidGrant(
                "The refresh token has expired".into(),
            ));
        }
        // A narrower scope may be asked for the new access token; the refresh token
        // keeps what the user granted.
        let access_scopes = resolve_scopes(scope, &old.scopes, old.scopes.clone())?;
        let grant = Grant {
            app,
            subject: old.subject.clone(),
            scopes: old.scopes.clone(),
            grant: GrantType::RefreshToken,
            family_id: old.family_id.clone(),
            with_refresh: true,
        };
        let (mut response, mut records) = self.mint(&grant)?;
        if let Some(access) = records.iter_mut().find(|r| r.kind == TokenKind::Access) {
            access.scopes = access_scopes.clone();
        }
        response.scope = crate::domain::scope_param(&access_scopes);
        if response.refresh_token.is_none() {
            // The family was granted offline access, so rotation always yields one.
            return Err(ServiceError::Internal(
                "rotation produced no refresh token".into(),
            ));
        }
        match self.store.rotate_refresh_token(&hash, records, now).await? {
            RefreshRotation::Rotated(_) => {
                tracing::info!(client_id = %app.client_id, old_token_id = %old.id, "refresh token rotated");
                Ok(response)
            }
            RefreshRotation::Reused { family_id, revoked } => {
                tracing::warn!(client_id = %app.client_id, token_id = %old.id, family_id, revoked, "refresh token reused; its family is revoked");
                Err(invalid())
            }
            RefreshRotation::NotFound => Err(invalid()),
        }
    }
}
