//! Client apps as administrators manage them: registered, read, changed and deleted,
//! each change recorded in the audit trail. Secrets: `app_secrets`; tokens:
//! `token_admin`; reading the trail: `audit_trail`.

use super::accounts::audit_record;
use super::crypto::{random_token, sha256_hex};
use super::{Service, ServiceError, ServiceResult};
use crate::domain::wire::{AppDetails, CreatedApp};
use crate::domain::{
    AppChangeImpact, AppDraft, AppPatch, CLIENT_ID_PREFIX, CLIENT_SECRET_PREFIX, ClientApp, Field,
    ListedApp, RuleViolation, validate_draft,
};
use crate::store::{AdminChange, StoreError};

const DEFAULT_PAGE: u32 = 50;
const MAX_PAGE: u32 = 500;

pub(super) fn page_size(limit: Option<u32>) -> u32 {
    limit.unwrap_or(DEFAULT_PAGE).clamp(1, MAX_PAGE)
}

pub(super) fn snapshot(app: &ClientApp) -> Option<serde_json::Value> {
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

    /// Every app with its usage, oldest first: three reads, whatever the number of apps.
    pub async fn list_apps_with_usage(&self) -> ServiceResult<Vec<ListedApp>> {
        let now = self.now();
        let apps = self.store.list_apps().await?;
        let mut usage = self.store.list_app_usage(now).await?;
        let mut active = self.store.count_active_tokens_by_app(now).await?;
        Ok(apps
            .into_iter()
            .map(|app| ListedApp {
                usage: usage.remove(&app.client_id).unwrap_or_default(),
                active_tokens: active.remove(&app.client_id).unwrap_or(0),
                app,
            })
            .collect())
    }

    pub async fn app_details(&self, client_id: &str) -> ServiceResult<AppDetails> {
        let app = self.require_app(client_id).await?;
        let now = self.now();
        let active_tokens = self.store.count_active_tokens(client_id, now).await?;
        let (usage, hourly_issued) = self.store.app_usage(client_id, now).await?;
        Ok(AppDetails {
            app,
            active_tokens,
            usage,
            hourly_issued,
        })
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
}
