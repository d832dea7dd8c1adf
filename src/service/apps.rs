//! What administrators do through the admin API: apps, their secrets and tokens, and
//! the audit trail every change leaves.

use super::accounts::audit_record;
use super::crypto::{random_token, sha256_hex};
use super::{Service, ServiceError, ServiceResult};
use crate::domain::wire::{
    AppDetails, AuditFilter, AuditPage, CreatedApp, RevokedCount, RotatedSecret, TokenPage,
};
use crate::domain::{
    AppChangeImpact, AppDraft, AppPatch, CLIENT_ID_PREFIX, CLIENT_SECRET_PREFIX, ClientApp, Field,
    RuleViolation, TokenRecord, validate_draft,
};
use crate::store::{AdminChange, AuditQuery, StoreError, TokenQuery};

const DEFAULT_PAGE: u32 = 50;
const MAX_PAGE: u32 = 500;
/// The longest grace a rotated-out secret may get: 30 days.
const MAX_SECRET_GRACE: i64 = 30 * 24 * 3600;

/// Which tokens an administrator lists.
#[derive(Debug, Clone, Default)]
pub struct TokenListing {
    pub client_id: Option<String>,
    pub active_only: bool,
    pub limit: Option<u32>,
    pub cursor: Option<String>,
}

fn page_size(limit: Option<u32>) -> u32 {
    limit.unwrap_or(DEFAULT_PAGE).clamp(1, MAX_PAGE)
}

fn snapshot(app: &ClientApp) -> Option<serde_json::Value> {
    // ClientApp skips its secret hashes when serialized: nothing secret gets audited.
    serde_json::to_value(app).ok()
}

/// The audit's `after` of an app change, with how many active tokens it narrowed or
/// ended (`affected_tokens`) and how (`impact`).
fn with_impact(
    after: Option<serde_json::Value>,
    impact: &AppChangeImpact,
) -> Option<serde_json::Value> {
    let mut after = after?;
    if let Some(object) = after.as_object_mut() {
        object.insert("affected_tokens".into(), impact.affected_tokens.into());
        if let Ok(details) = serde_json::to_value(impact) {
            object.insert("impact".into(), details);
        }
    }
    Some(after)
}

fn checked(draft: AppDraft) -> ServiceResult<AppDraft> {
    let draft = draft.normalized();
    let violations = validate_draft(&draft);
    if violations.is_empty() {
        Ok(draft)
    } else {
        Err(ServiceError::InvalidApp(violations))
    }
}

fn not_found(client_id: &str) -> ServiceError {
    ServiceError::NotFound(format!("No app with client ID {client_id:?}"))
}

impl Service {
    pub async fn list_apps(&self) -> ServiceResult<Vec<ClientApp>> {
        Ok(self.store.list_apps().await?)
    }

    pub(super) async fn require_app(&self, client_id: &str) -> ServiceResult<ClientApp> {
        self.store
            .get_app(client_id)
            .await?
            .ok_or_else(|| not_found(client_id))
    }

    pub async fn app_details(&self, client_id: &str) -> ServiceResult<AppDetails> {
        let app = self.require_app(client_id).await?;
        let active_tokens = self
            .store
            .count_active_tokens(client_id, self.now())
            .await?;
        Ok(AppDetails { app, active_tokens })
    }

    /// Registers an app; confidential apps get a secret, returned here only.
    pub async fn create_app(&self, actor: &str, draft: AppDraft) -> ServiceResult<CreatedApp> {
        let draft = checked(draft)?;
        let now = self.now();
        let secret = if draft.platform.is_confidential() {
            Some(random_token(CLIENT_SECRET_PREFIX, 32)?)
        } else {
            None
        };
        let app = ClientApp {
            client_id: random_token(CLIENT_ID_PREFIX, 16)?,
            name: draft.name,
            platform: draft.platform,
            redirect_urls: draft.redirect_urls,
            scopes: draft.scopes,
            grant_types: draft.grant_types,
            secret_hash: secret.as_deref().map(sha256_hex),
            previous_secret_hash: None,
            previous_secret_expires_at: None,
            created_at: now,
            updated_at: now,
            access_token_ttl: draft.access_token_ttl,
            refresh_token_ttl: draft.refresh_token_ttl,
        };
        self.store
            .write_admin_change(
                AdminChange::InsertApp(app.clone()),
                audit_record(
                    actor,
                    "app.create",
                    &app.client_id,
                    None,
                    snapshot(&app),
                    now,
                ),
            )
            .await?;
        tracing::info!(actor, client_id = %app.client_id, "app created");
        Ok(CreatedApp {
            app,
            client_secret: secret,
        })
    }

    /// Full update: every editable field. The platform cannot change.
    pub async fn update_app(
        &self,
        actor: &str,
        client_id: &str,
        draft: AppDraft,
    ) -> ServiceResult<ClientApp> {
        let before = self.require_app(client_id).await?;
        if draft.platform != before.platform {
            return Err(ServiceError::InvalidApp(vec![RuleViolation {
                field: Field::Platform,
                message: format!(
                    "The platform of an app cannot change (it is {}); create a new app instead",
                    before.platform.label()
                ),
            }]));
        }
        self.save_update(actor, before, draft).await
    }

    /// Partial update: only the fields present change.
    pub async fn patch_app(
        &self,
        actor: &str,
        client_id: &str,
        patch: AppPatch,
    ) -> ServiceResult<ClientApp> {
        let before = self.require_app(client_id).await?;
        let draft = patch.apply_to(&before.draft());
        self.save_update(actor, before, draft).await
    }

    /// The app `before` becomes with `draft` saved (checked, not stored).
    pub(super) fn updated_app(
        &self,
        before: &ClientApp,
        draft: AppDraft,
    ) -> ServiceResult<ClientApp> {
        let draft = checked(draft)?;
        Ok(ClientApp {
            name: draft.name,
            redirect_urls: draft.redirect_urls,
            scopes: draft.scopes,
            grant_types: draft.grant_types,
            access_token_ttl: draft.access_token_ttl,
            refresh_token_ttl: draft.refresh_token_ttl,
            updated_at: self.now(),
            ..before.clone()
        })
    }

    async fn save_update(
        &self,
        actor: &str,
        before: ClientApp,
        draft: AppDraft,
    ) -> ServiceResult<ClientApp> {
        let after = self.updated_app(&before, draft)?;
        let now = after.updated_at;
        // Counted before the change: the tokens it narrows from now on.
        let impact = self.impact_of(&after.client_id, Some(&after)).await?;
        let record = audit_record(
            actor,
            "app.update",
            &after.client_id,
            snapshot(&before),
            with_impact(snapshot(&after), &impact),
            now,
        );
        self.store
            .write_admin_change(AdminChange::UpdateApp(after.clone()), record)
            .await
            .map_err(|e| match e {
                StoreError::NotFound => not_found(&before.client_id),
                other => other.into(),
            })?;
        tracing::info!(actor, client_id = %after.client_id, affected_tokens = impact.affected_tokens, "app updated");
        Ok(after)
    }

    /// Deletes the app with its tokens and codes.
    pub async fn delete_app(&self, actor: &str, client_id: &str) -> ServiceResult<()> {
        let before = self.require_app(client_id).await?;
        let impact = self.impact_of(client_id, None).await?;
        let record = audit_record(
            actor,
            "app.delete",
            client_id,
            snapshot(&before),
            with_impact(Some(serde_json::json!({ "deleted": true })), &impact),
            self.now(),
        );
        let change = AdminChange::DeleteApp {
            client_id: client_id.to_string(),
        };
        self.store
            .write_admin_change(change, record)
            .await
            .map_err(|e| match e {
                StoreError::NotFound => not_found(client_id),
                other => other.into(),
            })?;
        tracing::info!(
            actor,
            client_id,
            affected_tokens = impact.affected_tokens,
            "app deleted"
        );
        Ok(())
    }

    /// Replaces a confidential app's secret; the old one keeps working for the
    /// server's default grace period.
    pub async fn rotate_secret(
        &self,
        actor: &str,
        client_id: &str,
    ) -> ServiceResult<RotatedSecret> {
        self.rotate_secret_with_grace(actor, client_id, None).await
    }

    /// Replaces a confidential app's secret. The replaced one keeps working for
    /// `grace_seconds` (the server's default when `None`; 0 ends it at once), so
    /// clients can be moved over without an outage.
    pub async fn rotate_secret_with_grace(
        &self,
        actor: &str,
        client_id: &str,
        grace_seconds: Option<i64>,
    ) -> ServiceResult<RotatedSecret> {
        let grace = grace_seconds.unwrap_or(self.config.secret_grace_seconds);
        if !(0..=MAX_SECRET_GRACE).contains(&grace) {
            return Err(ServiceError::InvalidRequest(format!(
                "grace_seconds must be between 0 and {MAX_SECRET_GRACE}"
            )));
        }
        let before = self.require_app(client_id).await?;
        if !before.platform.is_confidential() {
            return Err(ServiceError::InvalidRequest(format!(
                "{} apps are public clients and have no secret",
                before.platform.label()
            )));
        }
        let secret = random_token(CLIENT_SECRET_PREFIX, 32)?;
        let now = self.now();
        let (previous_secret_hash, previous_secret_expires_at) = if grace > 0 {
            (before.secret_hash.clone(), Some(now.saturating_add(grace)))
        } else {
            (None, None)
        };
        let after = ClientApp {
            secret_hash: Some(sha256_hex(&secret)),
            previous_secret_expires_at: previous_secret_hash
                .as_ref()
                .and(previous_secret_expires_at),
            previous_secret_hash,
            updated_at: now,
            ..before.clone()
        };
        let record = audit_record(
            actor,
            "app.rotate_secret",
            client_id,
            snapshot(&before),
            snapshot(&after),
            now,
        );
        self.store
            .write_admin_change(AdminChange::UpdateApp(after.clone()), record)
            .await?;
        tracing::info!(actor, client_id, grace, "client secret rotated");
        Ok(RotatedSecret {
            client_id: client_id.to_string(),
            client_secret: secret,
            previous_secret_expires_at: after.previous_secret_expires_at,
        })
    }

    /// Ends the grace period of the previous secret now. Idempotent.
    pub async fn end_secret_grace(&self, actor: &str, client_id: &str) -> ServiceResult<ClientApp> {
        let before = self.require_app(client_id).await?;
        if before.previous_secret_hash.is_none() && before.previous_secret_expires_at.is_none() {
            return Ok(before);
        }
        let now = self.now();
        let after = ClientApp {
            previous_secret_hash: None,
            previous_secret_expires_at: None,
            updated_at: now,
            ..before.clone()
        };
        let record = audit_record(
            actor,
            "app.end_secret_grace",
            client_id,
            snapshot(&before),
            snapshot(&after),
            now,
        );
        self.store
            .write_admin_change(AdminChange::UpdateApp(after.clone()), record)
            .await?;
        tracing::info!(actor, client_id, "previous client secret cut off");
        Ok(after)
    }

    pub async fn list_tokens(&self, listing: TokenListing) -> ServiceResult<TokenPage> {
        let (tokens, next_cursor) = self
            .store
            .list_tokens(TokenQuery {
                client_id: listing.client_id,
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

    /// Newest first; the cursor is the ID of the last record of the previous page.
    pub async fn list_audit(
        &self,
        limit: Option<u32>,
        cursor: Option<&str>,
    ) -> ServiceResult<AuditPage> {
        self.list_audit_filtered(AuditFilter {
            limit,
            cursor: cursor.map(str::to_string),
            ..AuditFilter::default()
        })
        .await
    }

    /// Newest first, only records whose actor, action and target equal the filter's
    /// (where given); paged like `list_audit`.
    pub async fn list_audit_filtered(&self, filter: AuditFilter) -> ServiceResult<AuditPage> {
        let limit = page_size(filter.limit);
        let before_id = match filter.cursor.as_deref() {
            Some(c) => Some(c.parse::<i64>().map_err(|_| {
                ServiceError::InvalidRequest(format!(
                    "cursor {c:?} is not a cursor this server gave out"
                ))
            })?),
            None => None,
        };
        let records = self
            .store
            .list_audit_filtered(AuditQuery {
                actor: filter.actor,
                action: filter.action,
                target: filter.target,
                limit,
                before_id,
            })
            .await?;
        let next_cursor = if records.len() >= limit as usize {
            records.last().map(|r| r.id.to_string())
        } else {
            None
        };
        Ok(AuditPage {
            records,
            next_cursor,
        })
    }
}
