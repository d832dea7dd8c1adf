//! Tokens carry their row's ID (prefix, ID, secret): over real HTTP, the ID alone
//! opens nothing, and tokens an earlier version issued (prefix and secret only, found
//! by hash) keep working after the upgrade: introspection, revocation, refresh.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use oauth_console::service::crypto::sha256_hex;
use reqwest::StatusCode;
use serde_json::Value;
use support::*;

/// `oca_` or `ocr_`, the 22 characters of the ID, the 43 of the secret.
const PREFIX: usize = 4;
const ID: usize = 22;

fn issued(body: &Value, field: &str) -> String {
    body[field]
        .as_str()
        .unwrap_or_else(|| panic!("no {field} in {body}"))
        .to_string()
}

#[tokio::test]
async fn a_token_with_its_secret_altered_or_another_tokens_id_opens_nothing() {
    let t = TestServer::start().await;
    let app = t.create_app(api_app()).await;
    let client = (
        app.app.client_id.as_str(),
        app.client_secret.as_deref().unwrap(),
    );
    let form = [
        ("grant_type", "client_credentials"),
        ("scope", "monitoring"),
    ];
    let (_, _, first) = t.token(&form, Some(client)).await;
    let (_, _, second) = t.token(&form, Some(client)).await;
    let (a, b) = (
        issued(&first, "access_token"),
        issued(&second, "access_token"),
    );
    assert_eq!(a.len(), PREFIX + ID + 43, "{a}");
    let seen = t.introspect(&a).await;
    assert_eq!(seen["active"], Value::Bool(true), "{seen}");
    // The ID in the token is the `jti` introspection reports.
    assert_eq!(seen["jti"], format!("tok_{}", &a[PREFIX..PREFIX + ID]));

    let last = a.chars().last().unwrap();
    let altered = format!(
        "{}{}",
        &a[..a.len() - 1],
        if last == 'A' { 'B' } else { 'A' }
    );
    let b_id_with_a_secret = format!(
        "{}{}{}",
        &a[..PREFIX],
        &b[PREFIX..PREFIX + ID],
        &a[PREFIX + ID..]
    );
    let a_without_its_id = format!("{}{}", &a[..PREFIX], &a[PREFIX + ID..]);
    for forged in [&altered, &b_id_with_a_secret, &a_without_its_id] {
        assert_eq!(
            t.introspect(forged).await,
            serde_json::json!({"active": false}),
            "{forged}"
        );
        // Revoking it answers 200 as for any unknown token, and revokes nothing.
        let (status, _, _) = t
            .post_form("oauth/revoke", &[("token", forged.as_str())], Some(client))
            .await;
        assert_eq!(status, StatusCode::OK);
    }
    assert!(t.is_active(&a).await);
    assert!(t.is_active(&b).await);
}

/// Writes a token row as the previous version did: no `found_by_hash` column given.
fn store_as_earlier_version(t: &TestServer, row: &[(&str, &str)]) {
    let conn = rusqlite::Connection::open(t.database_path()).unwrap();
    conn.busy_timeout(std::time::Duration::from_secs(5))
        .unwrap();
    let columns: Vec<&str> = row.iter().map(|(c, _)| *c).collect();
    let marks = vec!["?"; row.len()].join(", ");
    let values: Vec<&str> = row.iter().map(|(_, v)| *v).collect();
    conn.execute(
        &format!(
            "INSERT INTO tokens ({}) VALUES ({marks})",
            columns.join(", ")
        ),
        rusqlite::params_from_iter(values),
    )
    .unwrap();
}

#[tokio::test]
async fn tokens_an_earlier_version_issued_keep_working_after_the_upgrade() {
    let t = TestServer::start_with_user().await;
    let api = t.create_app(api_app()).await;
    let web = t.create_app(web_app()).await;
    let web_client = (
        web.app.client_id.as_str(),
        web.client_secret.as_deref().unwrap(),
    );
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64;
    let (issued_at, expires_at) = (now.to_string(), (now + 3600).to_string());

    let old_access = format!("oca_{}", "k".repeat(43));
    let hash = sha256_hex(&old_access);
    store_as_earlier_version(
        &t,
        &[
            ("id", "tok_old_access"),
            ("hash", &hash),
            ("kind", "access"),
            ("client_id", &api.app.client_id),
            ("subject", &api.app.client_id),
            ("scopes", "monitoring"),
            ("grant_type", "client_credentials"),
            ("issued_at", &issued_at),
            ("expires_at", &expires_at),
            ("family_id", "fam_old_access"),
        ],
    );
    let seen = t.introspect(&old_access).await;
    assert_eq!(seen["active"], Value::Bool(true), "{seen}");
    assert_eq!(seen["jti"], "tok_old_access");
    let api_client = (
        api.app.client_id.as_str(),
        api.client_secret.as_deref().unwrap(),
    );
    let (status, _, _) = t
        .post_form("oauth/revoke", &[("token", &old_access)], Some(api_client))
        .await;
    assert_eq!(status, StatusCode::OK);
    assert!(!t.is_active(&old_access).await, "revoked by its client");

    // An old refresh token rotates into tokens of the new format; presenting it again
    // is reuse, which revokes the family, new tokens included.
    let old_refresh = format!("ocr_{}", "r".repeat(43));
    let hash = sha256_hex(&old_refresh);
    store_as_earlier_version(
        &t,
        &[
            ("id", "tok_old_refresh"),
            ("hash", &hash),
            ("kind", "refresh"),
            ("client_id", &web.app.client_id),
            ("subject", USERNAME),
            ("scopes", "monitoring offline_access"),
            ("grant_type", "authorization_code"),
            ("issued_at", &issued_at),
            ("expires_at", &expires_at),
            ("family_id", "fam_old_refresh"),
        ],
    );
    let refresh = [
        ("grant_type", "refresh_token"),
        ("refresh_token", old_refresh.as_str()),
    ];
    let (status, _, rotated) = t.token(&refresh, Some(web_client)).await;
    assert_eq!(status, StatusCode::OK, "{rotated}");
    let new_access = issued(&rotated, "access_token");
    let new_refresh = issued(&rotated, "refresh_token");
    assert_eq!(new_refresh.len(), PREFIX + ID + 43, "{new_refresh}");
    assert!(t.is_active(&new_access).await);

    let (status, _, reused) = t.token(&refresh, Some(web_client)).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{reused}");
    assert_eq!(reused["error"], "invalid_grant");
    assert!(!t.is_active(&new_access).await, "the family is revoked");
    assert!(!t.is_active(&new_refresh).await, "the family is revoked");
}
