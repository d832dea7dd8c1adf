//! Resource owners as administrators manage them: who can sign in and what they have
//! authorised; disabling, a new password, deleting, and revoking their tokens. Every
//! change is written with its audit record in one transaction.

use super::accounts::{audit_record, hash_new_password};
use super::{Service, ServiceError, ServiceResult};
use crate::domain::wire::RevokedCount;
use crate::domain::{
    TokenRecord, UserChanged, UserDetails, UserList, UserPatch, UserSummary, issued_to_a_user,
    user_may_use_tokens,
};
use crate::store::{AdminChange, StoreError};
use serde_json::json;

fn no_such_user(username: &str) -> ServiceError {
    ServiceError::NotFound(format!("No user named {username:?}"))
}

impl Service {
    /// Every user with their active tokens and authorised apps, oldest first.
    pub async fn list_users(&self) -> ServiceResult<UserList> {
        let users = self.store.list_user_summaries(self.now()).await?;
        Ok(UserList { users })
    }

    /// One user and the authorisations they gave (token families with active tokens).
    pub async fn user_details(&self, username: &str) -> ServiceResult<UserDetails> {
        let now = self.now();
        let user = self.require_user(username, now).await?;
        let grants = self.store.list_user_grants(username, now).await?;
        Ok(UserDetails { user, grants })
    }

    async fn require_user(&self, username: &str, now: i64) -> ServiceResult<UserSummary> {
        self.store
            .get_user_summary(username, now)
            .await?
            .ok_or_else(|| no_such_user(username))
    }

    /// Disables or enables a user and/or sets their password. Disabling revokes every
    /// token of theirs at once. The whole patch is checked before anything changes.
    pub async fn patch_user(
        &self,
        actor: &str,
        username: &str,
        patch: UserPatch,
    ) -> ServiceResult<UserChanged> {
        if patch.disabled.is_none() && patch.password.is_none() {
            return Err(ServiceError::InvalidRequest(
                "Nothing to change: give `disabled` or `password`".into(),
            ));
        }
        let password_hash = match &patch.password {
            Some(password) => Some(hash_new_password(password).await?),
            None => None,
        };
        let now = self.now();
        let before = self.require_user(username, now).await?;
        let mut revoked_tokens = 0;
        if let Some(disabled) = patch.disabled {
            let (action, after) = if disabled {
                // The count read just before: tokens issued between that read and the
                // change are revoked too, but not counted.
                let after = json!({ "disabled": true, "revoked": before.active_tokens });
                ("user.disable", after)
            } else {
                ("user.enable", json!({ "disabled": false }))
            };
            let record = audit_record(
                actor,
                action,
                username,
                Some(json!({ "disabled": before.disabled })),
                Some(after),
                now,
            );
            let change = AdminChange::SetUserDisabled {
                username: username.to_string(),
                disabled,
                now,
            };
            revoked_tokens = self.user_change(username, change, record).await?;
            tracing::info!(
                actor,
                username,
                disabled,
                revoked_tokens,
                "user access changed"
            );
        }
        if let Some(password_hash) = password_hash {
            // Neither the password nor its hash goes into the record or the log.
            let record = audit_record(
                actor,
                "user.password",
                username,
                None,
                Some(json!({ "password": "changed" })),
                now,
            );
            let change = AdminChange::SetUserPassword {
                username: username.to_string(),
                password_hash,
            };
            self.user_change(username, change, record).await?;
            tracing::info!(actor, username, "user password changed");
        }
        let user = self.require_user(username, self.now()).await?;
        Ok(UserChanged {
            user,
            revoked_tokens,
        })
    }

    /// Deletes a user and revokes their tokens.
    pub async fn delete_user(&self, actor: &str, username: &str) -> ServiceResult<RevokedCount> {
        let now = self.now();
        let before = self.require_user(username, now).await?;
        let record = audit_record(
            actor,
            "user.delete",
            username,
            serde_json::to_value(&before).ok(),
            Some(json!({ "revoked": before.active_tokens })),
            now,
        );
        let change = AdminChange::DeleteUser {
            username: username.to_string(),
            now,
        };
        let revoked = self.user_change(username, change, record).await?;
        tracing::info!(actor, username, revoked, "user deleted");
        Ok(RevokedCount { revoked })
    }

    /// Revokes every token of the user (never an app's own client-credentials tokens,
    /// whatever the username).
    pub async fn revoke_user_tokens(
        &self,
        actor: &str,
        username: &str,
    ) -> ServiceResult<RevokedCount> {
        let now = self.now();
        let before = self.require_user(username, now).await?;
        let record = audit_record(
            actor,
            "user.revoke_tokens",
            username,
            None,
            Some(json!({ "revoked": before.active_tokens })),
            now,
        );
        let change = AdminChange::RevokeUserTokens {
            username: username.to_string(),
            now,
        };
        let revoked = self.user_change(username, change, record).await?;
        tracing::info!(actor, username, revoked, "user tokens revoked");
        Ok(RevokedCount { revoked })
    }

    /// Revokes one authorisation of the user: the active tokens of one token family.
    /// Another user's family is as unknown as a family that does not exist.
    pub async fn revoke_user_grant(
        &self,
        actor: &str,
        username: &str,
        family_id: &str,
    ) -> ServiceResult<RevokedCount> {
        let now = self.now();
        self.require_user(username, now).await?;
        let grants = self.store.list_user_grants(username, now).await?;
        let no_grant = || {
            ServiceError::NotFound(format!(
                "User {username:?} has no active grant {family_id:?}"
            ))
        };
        let grant = grants
            .into_iter()
            .find(|g| g.family_id == family_id)
            .ok_or_else(no_grant)?;
        let record = audit_record(
            actor,
            "user.revoke_grant",
            username,
            None,
            Some(json!({
                "family_id": family_id,
                "client_id": grant.client_id,
                "revoked": grant.active_tokens,
            })),
            now,
        );
        let change = AdminChange::RevokeUserFamily {
            username: username.to_string(),
            family_id: family_id.to_string(),
            now,
        };
        let revoked = match self.store.write_admin_change(change, record).await {
            Ok(revoked) => revoked,
            // Revoked or expired meanwhile.
            Err(StoreError::NotFound) => return Err(no_grant()),
            Err(e) => return Err(e.into()),
        };
        tracing::info!(actor, username, family_id, revoked, "user grant revoked");
        Ok(RevokedCount { revoked })
    }

    async fn user_change(
        &self,
        username: &str,
        change: AdminChange,
        record: crate::domain::AuditRecord,
    ) -> ServiceResult<u64> {
        self.store
            .write_admin_change(change, record)
            .await
            .map_err(|e| match e {
                // Deleted meanwhile.
                StoreError::NotFound => no_such_user(username),
                other => other.into(),
            })
    }

    /// Whether the owner of `token` may still use it: always for an app's own
    /// client-credentials token (no lookup, so that hot path costs nothing more);
    /// for a person's token, only while they exist and are not disabled.
    pub(super) async fn owner_may_use(&self, token: &TokenRecord) -> ServiceResult<bool> {
        if !issued_to_a_user(token) {
            return Ok(true);
        }
        self.subject_may_use_tokens(&token.subject).await
    }

    /// Whether the user `subject` exists and is not disabled.
    pub(super) async fn subject_may_use_tokens(&self, subject: &str) -> ServiceResult<bool> {
        let user = self.store.get_user(subject).await?;
        Ok(user_may_use_tokens(user.as_ref()))
    }
}
