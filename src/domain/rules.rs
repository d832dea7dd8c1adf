//! The platform rules table of DESIGN §2, in one place: used by the server, the CLI and
//! the console's form alike.

use super::redirect::check_registered_redirect;
use super::{AppDraft, GrantType, Platform, Scope};
use serde::{Deserialize, Serialize};
use std::fmt;

/// Bounds for per-app token lifetimes, in seconds.
pub const ACCESS_TTL_RANGE: (i64, i64) = (60, 24 * 3600);
pub const REFRESH_TTL_RANGE: (i64, i64) = (300, 90 * 24 * 3600);
pub const MAX_NAME_CHARS: usize = 100;
pub const MAX_REDIRECT_URLS: usize = 20;

/// Which field of a draft a rule speaks of, so a form can show the message beside it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "field", content = "index")]
pub enum Field {
    Name,
    Platform,
    RedirectUrls,
    /// One redirect URL, by its position in the list.
    RedirectUrl(usize),
    Scopes,
    GrantTypes,
    AccessTokenTtl,
    RefreshTokenTtl,
}

/// One broken rule, in words a person understands.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RuleViolation {
    pub field: Field,
    pub message: String,
}

impl fmt::Display for RuleViolation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

/// The grants each platform may enable.
pub fn allowed_grants(platform: Platform) -> &'static [GrantType] {
    match platform {
        Platform::Web | Platform::SinglePage => &[
            GrantType::AuthorizationCode,
            GrantType::RefreshToken,
            GrantType::Implicit,
        ],
        Platform::Native => &[
            GrantType::AuthorizationCode,
            GrantType::RefreshToken,
            GrantType::DeviceCode,
        ],
        Platform::ApiServices => &[GrantType::ClientCredentials],
    }
}

/// Why `platform` may not enable `grant`, or `None` when it may.
pub fn grant_forbidden_reason(platform: Platform, grant: GrantType) -> Option<&'static str> {
    if allowed_grants(platform).contains(&grant) {
        return None;
    }
    Some(match (platform, grant) {
        (Platform::ApiServices, _) => "API services apps can only use client credentials",
        (_, GrantType::ClientCredentials) => {
            "Client credentials is for API services apps, which act as themselves"
        }
        (Platform::Native, GrantType::Implicit) => {
            "Native apps use authorization code with PKCE, never implicit"
        }
        (_, GrantType::DeviceCode) => "The device code grant is for Native apps",
        _ => "Not available for this platform",
    })
}

/// Why `platform` may not ask for `scope`, or `None` when it may.
pub fn scope_forbidden_reason(platform: Platform, scope: Scope) -> Option<&'static str> {
    match (platform, scope) {
        (Platform::ApiServices, Scope::OfflineAccess) => {
            Some("API services apps get no refresh tokens: they ask for a new token instead")
        }
        _ => None,
    }
}

/// Why redirect URLs cannot be edited on `platform`, or `None` when they can.
pub fn redirect_urls_fixed_reason(platform: Platform) -> Option<&'static str> {
    match platform {
        Platform::Native => Some(
            "Native apps use loopback redirects; redirect URLs cannot be set (http://127.0.0.1:{any port}/… and http://[::1]:{any port}/… are accepted)",
        ),
        Platform::ApiServices => Some("API services apps have no redirect URLs"),
        Platform::Web | Platform::SinglePage => None,
    }
}

/// Every rule a draft breaks; empty when it may be saved. Expects a normalized draft.
pub fn validate_draft(draft: &AppDraft) -> Vec<RuleViolation> {
    let mut out = Vec::new();
    let mut push = |field: Field, message: String| out.push(RuleViolation { field, message });

    let name_chars = draft.name.trim().chars().count();
    if name_chars == 0 {
        push(Field::Name, "Give the app a name".into());
    } else if name_chars > MAX_NAME_CHARS {
        push(
            Field::Name,
            format!("Names are at most {MAX_NAME_CHARS} characters"),
        );
    }

    if draft.scopes.is_empty() {
        push(Field::Scopes, "Choose at least one scope".into());
    }
    for &scope in &draft.scopes {
        if let Some(reason) = scope_forbidden_reason(draft.platform, scope) {
            push(Field::Scopes, reason.into());
        }
    }
    if draft.scopes.contains(&Scope::OfflineAccess)
        && !draft.grant_types.contains(&GrantType::RefreshToken)
        && scope_forbidden_reason(draft.platform, Scope::OfflineAccess).is_none()
    {
        push(
            Field::Scopes,
            "The Refresh Token scope needs the Refresh Token grant".into(),
        );
    }

    if draft.grant_types.is_empty() {
        push(Field::GrantTypes, "Choose at least one grant type".into());
    }
    for &grant in &draft.grant_types {
        if let Some(reason) = grant_forbidden_reason(draft.platform, grant) {
            push(Field::GrantTypes, reason.into());
        }
    }
    let issues_refresh_tokens = draft
        .grant_types
        .iter()
        .any(|g| matches!(g, GrantType::AuthorizationCode | GrantType::DeviceCode));
    if draft.grant_types.contains(&GrantType::RefreshToken) && !issues_refresh_tokens {
        push(
            Field::GrantTypes,
            "The Refresh Token grant needs a grant that signs a user in (authorization code or device code)".into(),
        );
    }

    match redirect_urls_fixed_reason(draft.platform) {
        Some(reason) => {
            if !draft.redirect_urls.is_empty() {
                push(Field::RedirectUrls, reason.into());
            }
        }
        None => {
            let needs_redirect = draft
                .grant_types
                .iter()
                .any(|g| matches!(g, GrantType::AuthorizationCode | GrantType::Implicit));
            if needs_redirect && draft.redirect_urls.is_empty() {
                push(
                    Field::RedirectUrls,
                    format!(
                        "{} apps need at least one redirect URL",
                        draft.platform.label()
                    ),
                );
            }
            if draft.redirect_urls.len() > MAX_REDIRECT_URLS {
                push(
                    Field::RedirectUrls,
                    format!("At most {MAX_REDIRECT_URLS} redirect URLs"),
                );
            }
            for (i, url) in draft.redirect_urls.iter().enumerate() {
                if let Err(message) = check_registered_redirect(url) {
                    push(Field::RedirectUrl(i), message);
                }
            }
        }
    }

    check_ttl(
        draft.access_token_ttl,
        ACCESS_TTL_RANGE,
        Field::AccessTokenTtl,
        "Access token lifetime",
        &mut out,
    );
    check_ttl(
        draft.refresh_token_ttl,
        REFRESH_TTL_RANGE,
        Field::RefreshTokenTtl,
        "Refresh token lifetime",
        &mut out,
    );
    out
}

fn check_ttl(
    ttl: Option<i64>,
    (min, max): (i64, i64),
    field: Field,
    what: &str,
    out: &mut Vec<RuleViolation>,
) {
    if let Some(ttl) = ttl
        && !(min..=max).contains(&ttl)
    {
        out.push(RuleViolation {
            field,
            message: format!("{what} must be between {min} and {max} seconds"),
        });
    }
}
