//! The refresh token grant (RFC 6749 §6) with rotation and reuse detection
//! (RFC 9700 §4.14.2): every use replaces the token; presenting a replaced one
//! revokes the whole family.

use super::token_format;
use super::tokens::{Grant, resolve_scopes};
use super::{Service, ServiceError, ServiceResult, TokenResponse};
use crate::domain::{ClientApp, GrantType, TokenKind, bound_scopes};
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
        let presented = token_format::lookup(token);
        let old = self
            .store
            .find_token(&presented)
            .await?
            .ok_or_else(invalid)?;
        if old.kind != TokenKind::Refresh || old.client_id != app.client_id {
            return Err(invalid());
        }
        // The user as they are now: a disabled or deleted user cannot refresh.
        if !self.owner_may_use(&old).await? {
            return Err(invalid());
        }
        let now = self.now();
        if old.revoked_at.is_none() && now >= old.expires_at {
            return Err(ServiceError::InvalidGrant(
                "The refresh token has expired".into(),
            ));
        }
        // The family keeps only what the app still allows: a scope the administrator
        // took away is gone from the next tokens, and with nothing left it ends.
        let family_scopes = bound_scopes(app, &old).ok_or_else(|| {
            ServiceError::InvalidGrant(
                "This client is no longer allowed what the refresh token was granted".into(),
            )
        })?;
        // A narrower scope may be asked for the new access token; the refresh token
        // keeps what the user granted (and the app still allows).
        let access_scopes = resolve_scopes(scope, &family_scopes, family_scopes.clone())?;
        let grant = Grant {
            app,
            subject: old.subject.clone(),
            scopes: family_scopes,
            grant: GrantType::RefreshToken,
            family_id: old.family_id.clone(),
            with_refresh: true,
            // Rows from before the limit: the family started with the oldest token
            // we can see, this one, at the latest.
            family_expires_at: Some(old.family_expires_at.unwrap_or_else(|| {
                old.issued_at
                    .saturating_add(self.config.refresh_family_lifetime)
            })),
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
        match self
            .store
            .rotate_refresh_token(&presented, records, now)
            .await?
        {
            RefreshRotation::Rotated(_) => {
                tracing::debug!(client_id = %app.client_id, old_token_id = %old.id, "refresh token rotated");
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
