//! The screenshots' users and app usage, worked out from the fixtures' tokens the way
//! the server counts them: a user's active tokens and the apps holding them, and each
//! app's last token and tokens per hour.

use oauth_console::domain::{
    AppUsage, ClientApp, GrantType, ListedApp, TokenRecord, USAGE_HOURS, UserDetails, UserGrant,
    UserSummary,
};
use std::collections::BTreeMap;

const DAY: i64 = 86_400;

/// People who sign in but hold no token now: one who never did, one who left.
const QUIET: [(&str, bool, Option<i64>); 3] = [
    ("new.hire", false, None),
    ("former.contractor", true, Some(41 * DAY)),
    ("j.smith", false, Some(6 * DAY)),
];

fn is_user_token(token: &TokenRecord) -> bool {
    token.grant != GrantType::ClientCredentials
}

/// Every user: those holding tokens, and the quiet ones.
pub fn users(tokens: &[TokenRecord], now: i64) -> Vec<UserSummary> {
    let mut by_name: BTreeMap<String, UserSummary> = BTreeMap::new();
    for token in tokens.iter().filter(|t| is_user_token(t)) {
        let user = by_name
            .entry(token.subject.clone())
            .or_insert_with(|| UserSummary {
                username: token.subject.clone(),
                disabled: false,
                created_at: now - 90 * DAY,
                last_sign_in: None,
                active_tokens: 0,
                authorised_apps: 0,
            });
        user.last_sign_in = user.last_sign_in.max(Some(token.issued_at));
        if token.is_active(now) {
            user.active_tokens += 1;
        }
    }
    for user in by_name.values_mut() {
        user.authorised_apps = grants(tokens, &user.username, now, &[]).len() as u64;
    }
    for (name, disabled, ago) in QUIET {
        by_name.entry(name.to_string()).or_insert(UserSummary {
            username: name.to_string(),
            disabled,
            created_at: now - 120 * DAY,
            last_sign_in: ago.map(|a| now - a),
            active_tokens: 0,
            authorised_apps: 0,
        });
    }
    by_name.into_values().collect()
}

/// One user's authorisations: their active token families, newest first.
fn grants(tokens: &[TokenRecord], username: &str, now: i64, apps: &[ClientApp]) -> Vec<UserGrant> {
    let mut families: BTreeMap<String, UserGrant> = BTreeMap::new();
    for token in tokens
        .iter()
        .filter(|t| is_user_token(t) && t.subject == username && t.is_active(now))
    {
        let app_name = apps
            .iter()
            .find(|a| a.client_id == token.client_id)
            .map_or_else(|| token.client_id.clone(), |a| a.name.clone());
        let grant = families
            .entry(token.family_id.clone())
            .or_insert_with(|| UserGrant {
                family_id: token.family_id.clone(),
                client_id: token.client_id.clone(),
                app_name,
                scopes: token.scopes.clone(),
                // Signed in a while before the oldest token still alive.
                granted_at: token.issued_at - 9 * DAY,
                last_issued_at: token.issued_at,
                active_tokens: 0,
            });
        grant.active_tokens += 1;
        if token.issued_at > grant.last_issued_at {
            grant.last_issued_at = token.issued_at;
            grant.scopes = token.scopes.clone();
        }
    }
    let mut grants: Vec<UserGrant> = families.into_values().collect();
    grants.sort_by_key(|g| std::cmp::Reverse(g.last_issued_at));
    grants
}

pub fn details(
    tokens: &[TokenRecord],
    apps: &[ClientApp],
    username: &str,
    now: i64,
) -> Option<UserDetails> {
    let user = users(tokens, now)
        .into_iter()
        .find(|u| u.username == username)?;
    Some(UserDetails {
        grants: grants(tokens, username, now, apps),
        user,
    })
}

/// Tokens issued per hour over the last day, oldest first: a working day's curve,
/// scaled per app so that no two look alike; apps without tokens issued none.
pub fn hourly(tokens: &[TokenRecord], client_id: &str) -> Vec<u64> {
    if !tokens.iter().any(|t| t.client_id == client_id) {
        return vec![0; USAGE_HOURS];
    }
    const DAYLIGHT: [u64; USAGE_HOURS] = [
        1, 0, 0, 0, 1, 2, 4, 9, 14, 17, 15, 12, 10, 13, 16, 14, 11, 7, 4, 3, 2, 2, 1, 3,
    ];
    let scale = client_id.bytes().map(u64::from).sum::<u64>() % 4 + 1;
    DAYLIGHT.iter().map(|n| n * scale).collect()
}

pub fn usage(tokens: &[TokenRecord], client_id: &str) -> AppUsage {
    AppUsage {
        last_issued_at: tokens
            .iter()
            .filter(|t| t.client_id == client_id)
            .map(|t| t.issued_at)
            .max(),
        issued_24h: hourly(tokens, client_id).iter().sum(),
    }
}

pub fn listed(apps: &[ClientApp], tokens: &[TokenRecord], now: i64) -> Vec<ListedApp> {
    apps.iter()
        .map(|app| ListedApp {
            app: app.clone(),
            usage: usage(tokens, &app.client_id),
            active_tokens: tokens
                .iter()
                .filter(|t| t.client_id == app.client_id && t.is_active(now))
                .count() as u64,
        })
        .collect()
}
