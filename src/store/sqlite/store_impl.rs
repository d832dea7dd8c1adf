//! `Store` for `SqliteStore`: each method is one read on the pool or one write on the
//! writer, delegating the SQL to the module of its entity.

use super::app_cache::InvalidateOnDrop;
use super::{
    SqliteStore, accounts, admin_changes, apps, audit, codes, device_codes, forms, purge, tokens,
    usage, user_admin,
};
use crate::domain::{
    AdminKey, AppUsage, AuditRecord, AuthCode, ClientApp, DeviceCode, FormKey, TokenRecord, User,
    UserGrant, UserSummary,
};
use crate::store::{
    AdminChange, AuditQuery, CodeRedemption, DeviceConsumption, DeviceDecision, DevicePoll,
    PurgeCounts, PurgePolicy, RefreshRotation, Store, StoreResult, TokenLookup, TokenQuery,
    UsageHour,
};
use async_trait::async_trait;
use std::collections::HashMap;
use std::sync::Arc;
use std::time::Instant;

impl SqliteStore {
    fn invalidate_app_on_drop(&self, client_id: &str) -> InvalidateOnDrop<'_> {
        InvalidateOnDrop {
            cache: &self.apps,
            client_id: client_id.to_owned(),
        }
    }
}

#[async_trait]
impl Store for SqliteStore {
    async fn write_admin_change(
        &self,
        change: AdminChange,
        record: AuditRecord,
    ) -> StoreResult<u64> {
        let _invalidate =
            admin_changes::app_concerned(&change).map(|id| self.invalidate_app_on_drop(id));
        self.write(move |conn| admin_changes::write(conn, &change, &record))
            .await
    }

    async fn purge_expired(&self, policy: PurgePolicy) -> StoreResult<PurgeCounts> {
        self.write(move |conn| purge::purge(conn, &policy)).await
    }

    async fn insert_app(&self, app: ClientApp) -> StoreResult<()> {
        let _invalidate = self.invalidate_app_on_drop(&app.client_id);
        self.write(move |conn| apps::insert(conn, &app)).await
    }

    async fn update_app(&self, app: ClientApp) -> StoreResult<()> {
        let _invalidate = self.invalidate_app_on_drop(&app.client_id);
        self.write(move |conn| apps::update(conn, &app)).await
    }

    async fn delete_app(&self, client_id: &str) -> StoreResult<()> {
        let _invalidate = self.invalidate_app_on_drop(client_id);
        let client_id = client_id.to_owned();
        self.write(move |conn| apps::delete(conn, &client_id)).await
    }

    async fn get_app(&self, client_id: &str) -> StoreResult<Option<ClientApp>> {
        if let Some(app) = self.apps.get(client_id) {
            return Ok(Some(ClientApp::clone(&app)));
        }
        let generation = self.apps.generation();
        let fetched = Instant::now();
        let id = client_id.to_owned();
        let found = self.read(move |conn| apps::get(conn, &id)).await?;
        if let Some(app) = &found {
            self.apps.fill(Arc::new(app.clone()), generation, fetched);
        }
        Ok(found)
    }

    async fn list_apps(&self) -> StoreResult<Vec<ClientApp>> {
        self.read(apps::list).await
    }

    async fn insert_tokens(&self, new_tokens: Vec<TokenRecord>) -> StoreResult<()> {
        if new_tokens.is_empty() {
            return Ok(());
        }
        self.writer.insert_tokens(new_tokens).await
    }

    async fn find_token(&self, lookup: &TokenLookup) -> StoreResult<Option<TokenRecord>> {
        let Some(id) = &lookup.id else {
            return self.readers.read_now(|conn| tokens::find(conn, lookup));
        };
        let stamp = self.tokens.stamp();
        if let Some(kept) = self.tokens.get(id, stamp) {
            return Ok(lookup.confirm(Some(kept)));
        }
        let found = self.readers.read_now(|conn| tokens::find(conn, lookup))?;
        if let Some(record) = &found {
            self.tokens.fill(record, stamp);
        }
        Ok(found)
    }

    async fn get_token(&self, id: &str) -> StoreResult<Option<TokenRecord>> {
        let id = id.to_owned();
        self.read(move |conn| tokens::get_by_id(conn, &id)).await
    }

    async fn list_tokens(
        &self,
        query: TokenQuery,
    ) -> StoreResult<(Vec<TokenRecord>, Option<String>)> {
        self.read(move |conn| tokens::list(conn, &query)).await
    }

    async fn revoke_token(&self, id: &str, now: i64) -> StoreResult<bool> {
        let id = id.to_owned();
        self.write(move |conn| tokens::revoke(conn, &id, now)).await
    }

    async fn revoke_family(&self, family_id: &str, now: i64) -> StoreResult<u64> {
        let family_id = family_id.to_owned();
        self.write(move |conn| tokens::revoke_family(conn, &family_id, now))
            .await
    }

    async fn revoke_client_tokens(&self, client_id: &str, now: i64) -> StoreResult<u64> {
        let client_id = client_id.to_owned();
        self.write(move |conn| tokens::revoke_client(conn, &client_id, now))
            .await
    }

    async fn count_active_tokens(&self, client_id: &str, now: i64) -> StoreResult<u64> {
        let client_id = client_id.to_owned();
        self.read(move |conn| tokens::count_active(conn, &client_id, now))
            .await
    }

    async fn rotate_refresh_token(
        &self,
        old: &TokenLookup,
        new_tokens: Vec<TokenRecord>,
        now: i64,
    ) -> StoreResult<RefreshRotation> {
        let old = old.clone();
        self.write(move |conn| tokens::rotate_refresh(conn, &old, &new_tokens, now))
            .await
    }

    async fn app_usage(&self, client_id: &str, now: i64) -> StoreResult<(AppUsage, Vec<u64>)> {
        let client_id = client_id.to_owned();
        self.read(move |conn| usage::app_usage(conn, &client_id, now))
            .await
    }

    async fn list_app_usage(&self, now: i64) -> StoreResult<HashMap<String, AppUsage>> {
        self.read(move |conn| usage::list(conn, now)).await
    }

    async fn count_active_tokens_by_app(&self, now: i64) -> StoreResult<HashMap<String, u64>> {
        self.read(move |conn| usage::count_active_by_app(conn, now))
            .await
    }

    async fn list_usage_hours(&self, client_id: &str) -> StoreResult<Vec<UsageHour>> {
        let client_id = client_id.to_owned();
        self.read(move |conn| usage::list_hours(conn, &client_id))
            .await
    }

    async fn replace_usage_hours(&self, client_id: &str, hours: Vec<UsageHour>) -> StoreResult<()> {
        let client_id = client_id.to_owned();
        self.write(move |conn| usage::replace_hours(conn, &client_id, &hours))
            .await
    }

    async fn insert_code(&self, code: AuthCode) -> StoreResult<()> {
        self.write(move |conn| codes::insert(conn, &code)).await
    }

    async fn redeem_code(&self, hash: &str, now: i64) -> StoreResult<CodeRedemption> {
        let hash = hash.to_owned();
        self.write(move |conn| codes::redeem(conn, &hash, now))
            .await
    }

    async fn insert_device_code(&self, code: DeviceCode) -> StoreResult<()> {
        self.write(move |conn| device_codes::insert(conn, &code))
            .await
    }

    async fn get_device_code_by_user_code(
        &self,
        user_code: &str,
    ) -> StoreResult<Option<DeviceCode>> {
        let user_code = user_code.to_owned();
        self.read(move |conn| device_codes::get_by_user_code(conn, &user_code))
            .await
    }

    async fn decide_device_code(
        &self,
        user_code: &str,
        decision: DeviceDecision,
        now: i64,
    ) -> StoreResult<Option<DeviceCode>> {
        let user_code = user_code.to_owned();
        self.write(move |conn| device_codes::decide(conn, &user_code, &decision, now))
            .await
    }

    async fn poll_device_code(
        &self,
        hash: &str,
        client_id: &str,
        now: i64,
    ) -> StoreResult<DevicePoll> {
        let (hash, client_id) = (hash.to_owned(), client_id.to_owned());
        self.write(move |conn| device_codes::poll(conn, &hash, &client_id, now))
            .await
    }

    async fn consume_device_code(
        &self,
        hash: &str,
        new_tokens: Vec<TokenRecord>,
        now: i64,
    ) -> StoreResult<DeviceConsumption> {
        let hash = hash.to_owned();
        self.write(move |conn| device_codes::consume(conn, &hash, &new_tokens, now))
            .await
    }

    async fn insert_user(&self, user: User) -> StoreResult<()> {
        self.write(move |conn| accounts::insert_user(conn, &user))
            .await
    }

    /// On the calling thread, as a lookup by a unique key: introspection and refresh
    /// of a user's token look the user up.
    async fn get_user(&self, username: &str) -> StoreResult<Option<User>> {
        self.readers
            .read_now(|conn| accounts::get_user(conn, username))
    }

    async fn list_user_summaries(&self, now: i64) -> StoreResult<Vec<UserSummary>> {
        self.read(move |conn| user_admin::list_summaries(conn, now))
            .await
    }

    async fn get_user_summary(&self, username: &str, now: i64) -> StoreResult<Option<UserSummary>> {
        let username = username.to_owned();
        self.read(move |conn| user_admin::get_summary(conn, &username, now))
            .await
    }

    async fn list_user_grants(&self, username: &str, now: i64) -> StoreResult<Vec<UserGrant>> {
        let username = username.to_owned();
        self.read(move |conn| user_admin::list_grants(conn, &username, now))
            .await
    }

    async fn record_sign_in(&self, username: &str, at: i64) -> StoreResult<bool> {
        let username = username.to_owned();
        self.write(move |conn| user_admin::record_sign_in(conn, &username, at))
            .await
    }

    async fn insert_admin_key(&self, key: AdminKey) -> StoreResult<()> {
        self.write(move |conn| accounts::insert_admin_key(conn, &key))
            .await
    }

    async fn get_admin_key_by_hash(&self, hash: &str) -> StoreResult<Option<AdminKey>> {
        let hash = hash.to_owned();
        self.read(move |conn| accounts::get_admin_key_by_hash(conn, &hash))
            .await
    }

    async fn list_admin_keys(&self) -> StoreResult<Vec<AdminKey>> {
        self.read(accounts::list_admin_keys).await
    }

    async fn revoke_admin_key(&self, name: &str, now: i64) -> StoreResult<bool> {
        let name = name.to_owned();
        self.write(move |conn| accounts::revoke_admin_key(conn, &name, now))
            .await
    }

    async fn list_users(&self) -> StoreResult<Vec<User>> {
        self.read(accounts::list_users).await
    }

    async fn list_codes(&self) -> StoreResult<Vec<AuthCode>> {
        self.read(codes::list_all).await
    }

    async fn list_device_codes(&self) -> StoreResult<Vec<DeviceCode>> {
        self.read(device_codes::list_all).await
    }

    async fn insert_audit(&self, record: AuditRecord) -> StoreResult<()> {
        self.write(move |conn| audit::insert(conn, &record)).await
    }

    async fn list_audit(
        &self,
        limit: u32,
        before_id: Option<i64>,
    ) -> StoreResult<Vec<AuditRecord>> {
        self.read(move |conn| audit::list(conn, limit, before_id))
            .await
    }

    async fn list_audit_filtered(&self, query: AuditQuery) -> StoreResult<Vec<AuditRecord>> {
        self.read(move |conn| audit::list_filtered(conn, &query))
            .await
    }

    async fn list_form_keys(&self) -> StoreResult<Vec<FormKey>> {
        self.read(forms::list_keys).await
    }

    async fn insert_form_key(&self, key: FormKey, retire_before: i64) -> StoreResult<()> {
        self.write(move |conn| forms::insert_key(conn, &key, retire_before))
            .await
    }

    async fn use_form(&self, form_id: &str, expires_at: i64, now: i64) -> StoreResult<bool> {
        let form_id = form_id.to_owned();
        self.write(move |conn| forms::use_form(conn, &form_id, expires_at, now))
            .await
    }
}
