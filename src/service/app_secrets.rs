//! Rotating a confidential app's client secret, and the grace period during which the
//! replaced secret keeps working so clients can move over without an outage.

use super::accounts::audit_record;
use super::apps::snapshot;
use super::crypto::{random_token, sha256_hex};
use super::{Service, ServiceError, ServiceResult};
use crate::domain::wire::RotatedSecret;
use crate::domain::{CLIENT_SECRET_PREFIX, ClientApp};
use crate::store::AdminChange;

/// The longest grace a rotated-out secret may get: 30 days.
const MAX_SECRET_GRACE: i64 = 30 * 24 * 3600;

impl Service {
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
        self.save_secret_change(actor, "app.rotate_secret", &before, &after)
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
        self.save_secret_change(actor, "app.end_secret_grace", &before, &after)
            .await?;
        tracing::info!(actor, client_id, "previous client secret cut off");
        Ok(after)
    }

    /// Stores `after` with the audit record of `action` (before and after, never a
    /// secret: snapshots leave the hashes out).
    async fn save_secret_change(
        &self,
        actor: &str,
        action: &str,
        before: &ClientApp,
        after: &ClientApp,
    ) -> ServiceResult<()> {
        let record = audit_record(
            actor,
            action,
            &after.client_id,
            snapshot(before),
            snapshot(after),
            after.updated_at,
        );
        self.store
            .write_admin_change(AdminChange::UpdateApp(after.clone()), record)
            .await?;
        Ok(())
    }
}
