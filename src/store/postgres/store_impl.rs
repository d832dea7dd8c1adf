//! `Store` for `PostgresStore`: each method takes a pooled connection and delegates
//! the SQL to the module of its entity; the ones that read before they write run in a
//! transaction that locks what it read.

use super::{
    PostgresStore, accounts, admin_changes, apps, audit, codes, device_codes, forms, purge, schema,
    tokens, usage, user_admin,
};
use crate::domain::{
    AdminKey, AppUsage, AuditRecord, AuthCode, ClientApp, DeviceCode, FormKey, TokenRecord, User,
    UserGrant, UserSummary,
};
use crate::store::{
    AdminChange, AuditQuery, CodeRedemption, DeviceConsumption, DeviceDecision, DevicePoll,
    PurgeCounts, PurgePolicy, RefreshRotation, Store, StoreReadiness, StoreResult, TokenLookup,
    TokenQuery, UsageHour,
};
use async_trait::async_trait;
use std::collections::HashMap;

#[async_trait]
impl Store for PostgresStore {
    async fn check_ready(&self) -> StoreResult<StoreReadiness> {
        let database = schema::schema_version(&self.client().await?).await?;
        Ok(if database == schema::SCHEMA_VERSION {
            StoreReadiness::Ready
        } else {
            StoreReadiness::SchemaMismatch {
                database,
                expected: schema::SCHEMA_VERSION,
            }
        })
    }

    async fn insert_app(&self, app: ClientApp) -> StoreResult<()> {
        apps::insert(&self.client().await?, &app).await
    }

    async fn update_app(&self, app: ClientApp) -> StoreResult<()> {
        apps::update(&self.client().await?, &app).await
    }

    async fn delete_app(&self, client_id: &str) -> StoreResult<()> {
        apps::delete(&self.client().await?, client_id).await
    }

    async fn get_app(&self, client_id: &str) -> StoreResult<Option<ClientApp>> {
        apps::get_one(&self.client().await?, client_id).await
    }

    async fn list_apps(&self) -> StoreResult<Vec<ClientApp>> {
        apps::list_all(&self.client().await?).await
    }

    async fn insert_tokens(&self, new_tokens: Vec<TokenRecord>) -> StoreResult<()> {
        if new_tokens.is_empty() {
            return Ok(());
        }
        match &self.tokens {
            Some(batcher) => batcher.insert(new_tokens).await,
            None => tokens::insert_all(&self.client().await?, &new_tokens).await,
        }
    }

    async fn find_token(&self, lookup: &TokenLookup) -> StoreResult<Option<TokenRecord>> {
        tokens::find(&self.client().await?, lookup).await
    }

    async fn get_token(&self, id: &str) -> StoreResult<Option<TokenRecord>> {
        tokens::get_by_id(&self.client().await?, id).await
    }

    async fn list_tokens(
        &self,
        query: TokenQuery,
    ) -> StoreResult<(Vec<TokenRecord>, Option<String>)> {
        tokens::list(&self.client().await?, &query).await
    }

    async fn revoke_token(&self, id: &str, now: i64) -> StoreResult<bool> {
        tokens::revoke(&self.client().await?, id, now).await
    }

    async fn revoke_family(&self, family_id: &str, now: i64) -> StoreResult<u64> {
        tokens::revoke_family(&self.client().await?, family_id, now).await
    }

    async fn revoke_client_tokens(&self, client_id: &str, now: i64) -> StoreResult<u64> {
        tokens::revoke_client(&self.client().await?, client_id, now).await
    }

    async fn count_active_tokens(&self, client_id: &str, now: i64) -> StoreResult<u64> {
        tokens::count_active(&self.client().await?, client_id, now).await
    }

    async fn rotate_refresh_token(
        &self,
        old: &TokenLookup,
        new_tokens: Vec<TokenRecord>,
        now: i64,
    ) -> StoreResult<RefreshRotation> {
        let mut client = self.client().await?;
        let tx = client.transaction().await?;
        let outcome = tokens::rotate_refresh(&tx, old, &new_tokens, now).await?;
        tx.commit().await?;
        Ok(outcome)
    }

    async fn app_usage(&self, client_id: &str, now: i64) -> StoreResult<(AppUsage, Vec<u64>)> {
        usage::app_usage(&self.client().await?, client_id, now).await
    }

    async fn list_app_usage(&self, now: i64) -> StoreResult<HashMap<String, AppUsage>> {
        usage::list(&self.client().await?, now).await
    }

    async fn count_active_tokens_by_app(&self, now: i64) -> StoreResult<HashMap<String, u64>> {
        usage::count_active_by_app(&self.client().await?, now).await
    }

    async fn list_usage_hours(&self, client_id: &str) -> StoreResult<Vec<UsageHour>> {
        usage::list_hours(&self.client().await?, client_id).await
    }

    async fn replace_usage_hours(&self, client_id: &str, hours: Vec<UsageHour>) -> StoreResult<()> {
        let mut client = self.client().await?;
        let tx = client.transaction().await?;
        usage::replace_hours(&tx, client_id, &hours).await?;
        tx.commit().await?;
        Ok(())
    }

    async fn insert_code(&self, code: AuthCode) -> StoreResult<()> {
        codes::insert(&self.client().await?, &code).await
    }

    async fn redeem_code(&self, hash: &str, now: i64) -> StoreResult<CodeRedemption> {
        codes::redeem(&self.client().await?, hash, now).await
    }

    async fn code_family_reused(&self, family_id: &str) -> StoreResult<bool> {
        codes::family_reused(&self.client().await?, family_id).await
    }

    async fn insert_device_code(&self, code: DeviceCode) -> StoreResult<()> {
        let mut client = self.client().await?;
        let tx = client.transaction().await?;
        device_codes::insert(&tx, &code).await?;
        tx.commit().await?;
        Ok(())
    }

    async fn get_device_code_by_user_code(
        &self,
        user_code: &str,
    ) -> StoreResult<Option<DeviceCode>> {
        device_codes::get_by_user_code(&self.client().await?, user_code).await
    }

    async fn decide_device_code(
        &self,
        user_code: &str,
        decision: DeviceDecision,
        now: i64,
    ) -> StoreResult<Option<DeviceCode>> {
        device_codes::decide(&self.client().await?, user_code, &decision, now).await
    }

    async fn poll_device_code(
        &self,
        hash: &str,
        client_id: &str,
        now: i64,
    ) -> StoreResult<DevicePoll> {
        let mut client = self.client().await?;
        let tx = client.transaction().await?;
        let outcome = device_codes::poll(&tx, hash, client_id, now).await?;
        tx.commit().await?;
        Ok(outcome)
    }

    async fn consume_device_code(
        &self,
        hash: &str,
        new_tokens: Vec<TokenRecord>,
        now: i64,
    ) -> StoreResult<DeviceConsumption> {
        let mut client = self.client().await?;
        let tx = client.transaction().await?;
        let outcome = device_codes::consume(&tx, hash, &new_tokens, now).await?;
        tx.commit().await?;
        Ok(outcome)
    }

    async fn insert_user(&self, user: User) -> StoreResult<()> {
        accounts::insert_user(&self.client().await?, &user).await
    }

    async fn get_user(&self, username: &str) -> StoreResult<Option<User>> {
        accounts::get_user(&self.client().await?, username).await
    }

    async fn list_user_summaries(&self, now: i64) -> StoreResult<Vec<UserSummary>> {
        user_admin::list_summaries(&self.client().await?, now).await
    }

    async fn get_user_summary(&self, username: &str, now: i64) -> StoreResult<Option<UserSummary>> {
        user_admin::get_summary(&self.client().await?, username, now).await
    }

    async fn list_user_grants(&self, username: &str, now: i64) -> StoreResult<Vec<UserGrant>> {
        user_admin::list_grants(&self.client().await?, username, now).await
    }

    async fn record_sign_in(&self, username: &str, at: i64) -> StoreResult<bool> {
        user_admin::record_sign_in(&self.client().await?, username, at).await
    }

    async fn insert_admin_key(&self, key: AdminKey) -> StoreResult<()> {
        accounts::insert_admin_key(&self.client().await?, &key).await
    }

    async fn get_admin_key_by_hash(&self, hash: &str) -> StoreResult<Option<AdminKey>> {
        accounts::get_admin_key_by_hash(&self.client().await?, hash).await
    }

    async fn list_admin_keys(&self) -> StoreResult<Vec<AdminKey>> {
        accounts::list_admin_keys(&self.client().await?).await
    }

    async fn revoke_admin_key(&self, name: &str, now: i64) -> StoreResult<bool> {
        accounts::revoke_admin_key(&self.client().await?, name, now).await
    }

    async fn list_users(&self) -> StoreResult<Vec<User>> {
        accounts::list_users(&self.client().await?).await
    }

    async fn list_codes(&self) -> StoreResult<Vec<AuthCode>> {
        codes::list_all(&self.client().await?).await
    }

    async fn list_device_codes(&self) -> StoreResult<Vec<DeviceCode>> {
        device_codes::list_all(&self.client().await?).await
    }

    async fn insert_audit(&self, record: AuditRecord) -> StoreResult<()> {
        audit::insert(&self.client().await?, &record).await
    }

    async fn list_audit(
        &self,
        limit: u32,
        before_id: Option<i64>,
    ) -> StoreResult<Vec<AuditRecord>> {
        audit::list(&self.client().await?, limit, before_id).await
    }

    async fn list_audit_filtered(&self, query: AuditQuery) -> StoreResult<Vec<AuditRecord>> {
        audit::list_filtered(&self.client().await?, &query).await
    }

    async fn list_form_keys(&self) -> StoreResult<Vec<FormKey>> {
        forms::list_keys(&self.client().await?).await
    }

    async fn insert_form_key(&self, key: FormKey, retire_before: i64) -> StoreResult<()> {
        forms::insert_key(&mut self.client().await?, &key, retire_before).await
    }

    async fn use_form(&self, form_id: &str, expires_at: i64, now: i64) -> StoreResult<bool> {
        forms::use_form(&self.client().await?, form_id, expires_at, now).await
    }

    async fn write_admin_change(
        &self,
        change: AdminChange,
        record: AuditRecord,
    ) -> StoreResult<u64> {
        admin_changes::write(&mut self.client().await?, &change, &record).await
    }

    async fn purge_expired(&self, policy: PurgePolicy) -> StoreResult<PurgeCounts> {
        purge::purge(&self.client().await?, &policy).await
    }
}
