//! The schema, as an ordered list of migrations. `PRAGMA user_version` records how
//! many have been applied; adding a table (e.g. `device_codes`) means appending one
//! entry to `MIGRATIONS`, never editing an applied one.

use crate::store::StoreError;
use rusqlite::{Connection, TransactionBehavior};
use std::path::Path;

/// Migration `i` takes the schema from version `i` to version `i + 1`.
const MIGRATIONS: &[&str] = &[
    V1_INITIAL,
    V2_DEVICE_CODES,
    V3_SEALED_FORMS,
    V4_REFRESH_FAMILY_END,
    V5_APP_USAGE,
    V6_USER_ADMINISTRATION,
    V7_TOKENS_FOUND_BY_ID,
];

/// The schema version this build writes.
pub const SCHEMA_VERSION: u32 = MIGRATIONS.len() as u32;

const V1_INITIAL: &str = "
CREATE TABLE apps (
    client_id                  TEXT PRIMARY KEY NOT NULL,
    name                       TEXT NOT NULL,
    platform                   TEXT NOT NULL,
    redirect_urls              TEXT NOT NULL, -- JSON array of strings
    scopes                     TEXT NOT NULL, -- space-separated scope tokens
    grant_types                TEXT NOT NULL, -- space-separated grant_type values
    secret_hash                TEXT,
    previous_secret_hash       TEXT,
    previous_secret_expires_at INTEGER,
    created_at                 INTEGER NOT NULL,
    updated_at                 INTEGER NOT NULL,
    access_token_ttl           INTEGER,
    refresh_token_ttl          INTEGER
);
CREATE INDEX apps_created ON apps (created_at);

CREATE TABLE tokens (
    id         TEXT PRIMARY KEY NOT NULL,
    hash       TEXT NOT NULL,
    kind       TEXT NOT NULL CHECK (kind IN ('access', 'refresh')),
    client_id  TEXT NOT NULL REFERENCES apps (client_id) ON DELETE CASCADE,
    subject    TEXT NOT NULL,
    scopes     TEXT NOT NULL,
    grant_type TEXT NOT NULL,
    issued_at  INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    family_id  TEXT NOT NULL,
    revoked_at INTEGER
);
-- Introspection looks tokens up by hash at high rates.
CREATE UNIQUE INDEX tokens_hash ON tokens (hash);
-- Listing, newest first, per client and across all clients.
CREATE INDEX tokens_client_issued ON tokens (client_id, issued_at, id);
CREATE INDEX tokens_issued ON tokens (issued_at, id);
-- Reuse detection revokes a whole family.
CREATE INDEX tokens_family ON tokens (family_id);

CREATE TABLE auth_codes (
    hash                  TEXT PRIMARY KEY NOT NULL,
    client_id             TEXT NOT NULL REFERENCES apps (client_id) ON DELETE CASCADE,
    subject               TEXT NOT NULL,
    redirect_uri          TEXT NOT NULL,
    scopes                TEXT NOT NULL,
    code_challenge        TEXT,
    code_challenge_method TEXT,
    issued_at             INTEGER NOT NULL,
    expires_at            INTEGER NOT NULL,
    used_at               INTEGER,
    family_id             TEXT NOT NULL
);
CREATE INDEX auth_codes_client ON auth_codes (client_id);

CREATE TABLE users (
    username      TEXT PRIMARY KEY NOT NULL,
    password_hash TEXT NOT NULL,
    created_at    INTEGER NOT NULL
);

CREATE TABLE admin_keys (
    name       TEXT PRIMARY KEY NOT NULL,
    hash       TEXT NOT NULL UNIQUE,
    read_only  INTEGER NOT NULL,
    created_at INTEGER NOT NULL,
    revoked_at INTEGER
);

CREATE TABLE audit (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    at          INTEGER NOT NULL,
    actor       TEXT NOT NULL,
    action      TEXT NOT NULL,
    target      TEXT NOT NULL,
    before_json TEXT,
    after_json  TEXT
);
";

/// RFC 8628 device codes, and the audit log's filters.
const V2_DEVICE_CODES: &str = "
CREATE TABLE device_codes (
    hash           TEXT PRIMARY KEY NOT NULL,
    user_code      TEXT NOT NULL UNIQUE, -- normalised: 8 letters, no dash
    client_id      TEXT NOT NULL REFERENCES apps (client_id) ON DELETE CASCADE,
    scopes         TEXT NOT NULL,
    issued_at      INTEGER NOT NULL,
    expires_at     INTEGER NOT NULL,
    interval       INTEGER NOT NULL,
    last_polled_at INTEGER,
    status         TEXT NOT NULL
                   CHECK (status IN ('pending', 'approved', 'denied', 'consumed')),
    subject        TEXT,
    family_id      TEXT NOT NULL
);
CREATE INDEX device_codes_client ON device_codes (client_id);
CREATE INDEX device_codes_expires ON device_codes (expires_at);

CREATE INDEX audit_actor ON audit (actor, id);
CREATE INDEX audit_action ON audit (action, id);
CREATE INDEX audit_target ON audit (target, id);
";

/// Keys that seal the sign-in forms (shared by every process on the database), and
/// the forms already submitted, until they would have expired anyway.
const V3_SEALED_FORMS: &str = "
CREATE TABLE form_keys (
    id         TEXT PRIMARY KEY NOT NULL,
    secret     BLOB NOT NULL,
    created_at INTEGER NOT NULL
);
CREATE TABLE used_forms (
    id         TEXT PRIMARY KEY NOT NULL,
    expires_at INTEGER NOT NULL
);
CREATE INDEX used_forms_expires ON used_forms (expires_at);
";

/// The absolute end of a refresh family (rotation never passes it), and indexes for
/// the cleanup task, which deletes by expiry.
const V4_REFRESH_FAMILY_END: &str = "
ALTER TABLE tokens ADD COLUMN family_expires_at INTEGER;
CREATE INDEX tokens_expires ON tokens (expires_at);
CREATE INDEX tokens_revoked ON tokens (revoked_at) WHERE revoked_at IS NOT NULL;
CREATE INDEX auth_codes_expires ON auth_codes (expires_at);
CREATE INDEX audit_at ON audit (at);
";

/// Per-app, per-hour counters of access tokens issued, added to in the transaction that
/// stores the tokens; and the index that counts every app's active tokens in one pass
/// over the tokens not revoked, without reading the table.
const V5_APP_USAGE: &str = "
CREATE INDEX tokens_active_by_client ON tokens (client_id, expires_at) WHERE revoked_at IS NULL;
CREATE TABLE app_usage (
    client_id      TEXT NOT NULL REFERENCES apps (client_id) ON DELETE CASCADE,
    hour           INTEGER NOT NULL, -- Unix seconds / 3600
    issued         INTEGER NOT NULL, -- access tokens issued in the hour
    last_issued_at INTEGER NOT NULL,
    PRIMARY KEY (client_id, hour)
) WITHOUT ROWID;
";

/// Users can be disabled and show when they last signed in; a user's tokens are
/// found by subject. The index is partial: client-credentials tokens (the subject is
/// the client ID, and most tokens at high rates) are not in it, so issuing them costs
/// nothing more. Queries must repeat its condition word for word to use it.
const V6_USER_ADMINISTRATION: &str = "
ALTER TABLE users ADD COLUMN disabled INTEGER NOT NULL DEFAULT 0;
ALTER TABLE users ADD COLUMN last_sign_in INTEGER;
CREATE INDEX tokens_user_subject ON tokens (subject, issued_at, id)
    WHERE grant_type <> 'client_credentials';
";

/// Tokens now carry their row's ID and are found by it (`service::token_format`), so
/// the unique index on `hash`, whose random keys made every insert write a page
/// somewhere in a large B-tree, keeps only the rows issued before: those are found by
/// hash alone. New rows say `found_by_hash = 0`; old ones take the default.
const V7_TOKENS_FOUND_BY_ID: &str = "
ALTER TABLE tokens ADD COLUMN found_by_hash INTEGER NOT NULL DEFAULT 1;
DROP INDEX tokens_hash;
CREATE UNIQUE INDEX tokens_hash_found_by_hash ON tokens (hash) WHERE found_by_hash = 1;
";

/// Brings the database up to `SCHEMA_VERSION`. Safe against another process migrating
/// at the same moment: the version is read again under the write lock.
pub(super) fn migrate(conn: &mut Connection, path: &Path) -> Result<(), StoreError> {
    apply_migrations(conn, path, MIGRATIONS)
}

fn apply_migrations(
    conn: &mut Connection,
    path: &Path,
    migrations: &[&str],
) -> Result<(), StoreError> {
    let known = migrations.len() as u32;
    let failed = |e: rusqlite::Error| {
        StoreError::Backend(format!("cannot migrate database {}: {e}", path.display()))
    };
    let tx = conn
        .transaction_with_behavior(TransactionBehavior::Immediate)
        .map_err(failed)?;
    let current: u32 = tx
        .query_row("PRAGMA user_version", [], |row| row.get(0))
        .map_err(failed)?;
    if current > known {
        return Err(StoreError::Backend(format!(
            "database {} has schema version {current}, newer than this build knows \
             ({known}); upgrade oauth-console",
            path.display()
        )));
    }
    for (index, migration) in migrations.iter().enumerate().skip(current as usize) {
        tx.execute_batch(migration).map_err(failed)?;
        tx.pragma_update(None, "user_version", index as u32 + 1)
            .map_err(failed)?;
    }
    tx.commit().map_err(failed)
}

/// The schema version recorded in the file.
pub(super) fn schema_version(conn: &Connection) -> Result<u32, StoreError> {
    Ok(conn.query_row("PRAGMA user_version", [], |row| row.get(0))?)
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;
    use crate::store::TokenLookup;

    fn query_plan(conn: &Connection, sql: &str) -> String {
        let mut statement = conn.prepare(&format!("EXPLAIN QUERY PLAN {sql}")).unwrap();
        let details = statement
            .query_map([], |row| row.get::<_, String>(3))
            .unwrap()
            .collect::<Result<Vec<_>, _>>()
            .unwrap();
        details.join("; ")
    }

    #[test]
    fn tokens_stored_before_ids_were_carried_are_still_found_by_hash_after_the_upgrade() {
        let dir = tempfile::TempDir::new().unwrap();
        let path = dir.path().join("upgrade.db");
        let mut conn = Connection::open(&path).unwrap();
        apply_migrations(&mut conn, &path, &MIGRATIONS[..6]).unwrap();
        // A row as the previous version wrote it.
        conn.execute_batch(
            "INSERT INTO apps (client_id, name, platform, redirect_urls, scopes, grant_types, \
                               created_at, updated_at) \
             VALUES ('oc_a', 'A', 'api_services', '[]', 'monitoring', 'client_credentials', 1, 1);
             INSERT INTO tokens (id, hash, kind, client_id, subject, scopes, grant_type, \
                                 issued_at, expires_at, family_id) \
             VALUES ('tok_old', 'oldhash', 'access', 'oc_a', 'oc_a', 'monitoring', \
                     'client_credentials', 1, 2, 'fam_old');",
        )
        .unwrap();

        migrate(&mut conn, &path).unwrap();
        let old = super::super::tokens::find(&conn, &TokenLookup::by_hash("oldhash"))
            .unwrap()
            .expect("the old token is found by its hash");
        assert_eq!(old.id, "tok_old");
        assert!(old.found_by_hash);
        // Naming its ID is not enough: it carries none.
        let named = TokenLookup::by_id("tok_old", "oldhash");
        assert_eq!(super::super::tokens::find(&conn, &named).unwrap(), None);

        // Each lookup reads one index, never the whole table.
        let by_hash = query_plan(
            &conn,
            "SELECT id FROM tokens WHERE hash = 'x' AND found_by_hash = 1",
        );
        assert!(by_hash.contains("tokens_hash_found_by_hash"), "{by_hash}");
        let by_id = query_plan(&conn, "SELECT hash FROM tokens WHERE id = 'x'");
        assert!(by_id.contains("sqlite_autoindex_tokens_1"), "{by_id}");
        // The index of every hash is gone: new rows are not written to it.
        let indexed: Vec<String> = conn
            .prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'tokens'")
            .unwrap()
            .query_map([], |row| row.get(0))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        assert!(
            !indexed.iter().any(|name| name == "tokens_hash"),
            "{indexed:?}"
        );
    }

    #[test]
    fn a_later_migration_applies_once_on_top_of_existing_data() {
        let dir = tempfile::TempDir::new().unwrap();
        let path = dir.path().join("migrate.db");
        let mut conn = Connection::open(&path).unwrap();
        apply_migrations(&mut conn, &path, MIGRATIONS).unwrap();
        conn.execute(
            "INSERT INTO users (username, password_hash, created_at) VALUES ('u', 'p', 1)",
            [],
        )
        .unwrap();

        // What adding a table looks like: one more entry.
        let later_table = "CREATE TABLE later_feature (id TEXT PRIMARY KEY NOT NULL);";
        let later: Vec<&str> = MIGRATIONS.iter().copied().chain([later_table]).collect();
        apply_migrations(&mut conn, &path, &later).unwrap();
        // Applying again is a no-op, not a "table already exists" error.
        apply_migrations(&mut conn, &path, &later).unwrap();

        assert_eq!(schema_version(&conn).unwrap(), SCHEMA_VERSION + 1);
        let users: i64 = conn
            .query_row("SELECT COUNT(*) FROM users", [], |row| row.get(0))
            .unwrap();
        assert_eq!(users, 1);
        conn.execute("INSERT INTO later_feature VALUES ('d')", [])
            .unwrap();
        // The older list now refuses the newer file instead of misreading it.
        let error = apply_migrations(&mut conn, &path, MIGRATIONS).unwrap_err();
        assert!(
            error.to_string().contains("newer than this build"),
            "{error}"
        );
    }
}
