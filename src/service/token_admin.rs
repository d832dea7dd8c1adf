//! Tokens as administrators see them: listed page by page, revoked one by one or all
//! of an app's at once.

use super::accounts::audit_record;
use super::apps::page_size;
use super::{Service, ServiceError, ServiceResult};
use crate::domain::TokenRecord;
use crate::domain::wire::{RevokedCount, TokenFilter, TokenPage};
use crate::store::{AdminChange, StoreError, TokenQuery};

impl Service {
    pub async fn list_tokens(&self, listing: TokenFilter) -> ServiceResult<TokenPage> {
        let (tokens, next_cursor) = self
            .store
            .list_tokens(TokenQuery {
                client_id: listing.client_id,
                subject: listing.subject,
                active_only: listing.active_only,
                now: self.now(),
                limit: page_size(listing.limit),
                cursor: listing.cursor,
            })
            .await?;
        Ok(TokenPage {
            tokens,
            next_cursor,
        })
    }

    /// Revokes one token by its public ID (not the token itself).
    pub async fn admin_revoke_token(&self, actor: &str, token_id: &str) -> ServiceResult<()> {
        let token = self
            .store
            .get_token(token_id)
            .await?
            .ok_or_else(|| ServiceError::NotFound(format!("No token with ID {token_id:?}")))?;
        let now = self.now();
        let after = TokenRecord {
            revoked_at: Some(now),
            ..token.clone()
        };
        let record = audit_record(
            actor,
            "token.revoke",
            token_id,
            serde_json::to_value(&token).ok(),
            serde_json::to_value(&after).ok(),
            now,
        );
        let change = AdminChange::RevokeToken {
            id: token_id.to_string(),
            now,
        };
        match self.store.write_admin_change(change, record).await {
            Ok(_) => {
                tracing::info!(actor, token_id, client_id = %token.client_id, "token revoked");
                Ok(())
            }
            // Revoked already: nothing changed, nothing to record.
            Err(StoreError::NotFound) => Ok(()),
            Err(e) => Err(e.into()),
        }
    }

    /// Revokes every token of one app.
    pub async fn revoke_app_tokens(
        &self,
        actor: &str,
        client_id: &str,
    ) -> ServiceResult<RevokedCount> {
        self.require_app(client_id).await?;
        let now = self.now();
        // The record states the count read just before: tokens issued between that read
        // and the change are revoked too, but not counted.
        let active = self.store.count_active_tokens(client_id, now).await?;
        let record = audit_record(
            actor,
            "app.revoke_tokens",
            client_id,
            None,
            Some(serde_json::json!({ "revoked": active })),
            now,
        );
        let change = AdminChange::RevokeClientTokens {
            client_id: client_id.to_string(),
            now,
        };
        let revoked = self.store.write_admin_change(change, record).await?;
        tracing::info!(actor, client_id, revoked, "app tokens revoked");
        Ok(RevokedCount { revoked })
    }
}
