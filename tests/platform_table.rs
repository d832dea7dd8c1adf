//! The platform table of DESIGN §2 written out by hand, and the domain's answers
//! compared with it: client type, secret, redirect URLs, the grants each platform may
//! enable, PKCE. The expected answers come from the design, never from the functions
//! under test.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use oauth_console::domain::redirect::redirect_matches;
use oauth_console::domain::rules::{
    allowed_grants, grant_forbidden_reason, redirect_urls_fixed_reason,
};
use oauth_console::domain::{AppDraft, Field, GrantType, Platform, Scope, validate_draft};
use proptest::prelude::*;

fn platform() -> impl Strategy<Value = Platform> {
    prop::sample::select(Platform::ALL.to_vec())
}

fn grants() -> impl Strategy<Value = Vec<GrantType>> {
    prop::sample::subsequence(GrantType::ALL.to_vec(), 0..=GrantType::ALL.len())
}

/// How an app of a platform gets its redirect URLs (DESIGN §2, "redirect URLs").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Redirects {
    /// Required; matched exactly.
    Registered,
    /// Not configurable: any loopback port.
    Loopback,
    /// None at all.
    Absent,
}

/// One row of the platform table in DESIGN §2, written out by hand: the expected
/// answers come from the design, not from the functions under test.
struct DesignRow {
    platform: Platform,
    confidential: bool,
    redirects: Redirects,
    grants: &'static [GrantType],
    pkce_required: bool,
}

const DESIGN_TABLE: [DesignRow; 4] = [
    DesignRow {
        platform: Platform::Web,
        confidential: true,
        redirects: Redirects::Registered,
        grants: &[
            GrantType::AuthorizationCode,
            GrantType::RefreshToken,
            GrantType::Implicit,
        ],
        // "enforced when a challenge is sent": not required.
        pkce_required: false,
    },
    DesignRow {
        platform: Platform::Native,
        confidential: false,
        redirects: Redirects::Loopback,
        grants: &[
            GrantType::AuthorizationCode,
            GrantType::RefreshToken,
            GrantType::DeviceCode,
        ],
        pkce_required: true,
    },
    DesignRow {
        platform: Platform::SinglePage,
        confidential: false,
        redirects: Redirects::Registered,
        grants: &[
            GrantType::AuthorizationCode,
            GrantType::RefreshToken,
            GrantType::Implicit,
        ],
        pkce_required: true,
    },
    DesignRow {
        platform: Platform::ApiServices,
        confidential: true,
        redirects: Redirects::Absent,
        grants: &[GrantType::ClientCredentials],
        // "n/a": no authorization request to protect.
        pkce_required: false,
    },
];

fn design_row(platform: Platform) -> &'static DesignRow {
    DESIGN_TABLE
        .iter()
        .find(|row| row.platform == platform)
        .unwrap_or_else(|| panic!("{platform:?} is not in DESIGN §2"))
}

#[test]
fn every_platform_follows_its_row_of_the_design_table() {
    assert_eq!(
        Platform::ALL.len(),
        DESIGN_TABLE.len(),
        "a platform is missing"
    );
    for row in &DESIGN_TABLE {
        let p = row.platform;
        assert_eq!(p.is_confidential(), row.confidential, "{p:?}: client type");
        assert_eq!(p.requires_pkce(), row.pkce_required, "{p:?}: PKCE");
        let mut allowed = allowed_grants(p).to_vec();
        let mut expected = row.grants.to_vec();
        allowed.sort_by_key(|g| format!("{g:?}"));
        expected.sort_by_key(|g| format!("{g:?}"));
        assert_eq!(allowed, expected, "{p:?}: grants");
        for grant in GrantType::ALL {
            assert_eq!(
                grant_forbidden_reason(p, grant).is_none(),
                row.grants.contains(&grant),
                "{p:?}: may it enable {grant:?}?"
            );
        }
        // Redirect URLs: settable only where they are registered.
        assert_eq!(
            redirect_urls_fixed_reason(p).is_none(),
            row.redirects == Redirects::Registered,
            "{p:?}: redirect URLs editable?"
        );
        let loopback = "http://127.0.0.1:49152/callback";
        let registered = vec!["https://app.example.com/cb".to_string()];
        match row.redirects {
            Redirects::Registered => {
                assert!(redirect_matches(
                    p,
                    &registered,
                    "https://app.example.com/cb"
                ));
                assert!(!redirect_matches(
                    p,
                    &registered,
                    "https://app.example.com/cb2"
                ));
                assert!(
                    !redirect_matches(p, &[], loopback),
                    "{p:?}: nothing registered"
                );
                // Required: a code flow without one is refused.
                let draft = AppDraft {
                    name: "x".into(),
                    platform: p,
                    redirect_urls: vec![],
                    scopes: vec![Scope::Monitoring],
                    grant_types: vec![GrantType::AuthorizationCode],
                    access_token_ttl: None,
                    refresh_token_ttl: None,
                };
                assert!(
                    validate_draft(&draft)
                        .iter()
                        .any(|v| v.field == Field::RedirectUrls),
                    "{p:?}: a redirect URL is required"
                );
            }
            Redirects::Loopback => {
                assert!(redirect_matches(p, &[], loopback));
                assert!(redirect_matches(p, &[], "http://[::1]:8080/cb"));
                assert!(!redirect_matches(p, &[], "https://app.example.com/cb"));
            }
            Redirects::Absent => {
                assert!(!redirect_matches(p, &[], loopback));
                assert!(!redirect_matches(
                    p,
                    &registered,
                    "https://app.example.com/cb"
                ));
            }
        }
    }
}

proptest! {
    #[test]
    fn a_forbidden_grant_is_always_reported_with_its_reason(platform in platform(), grants in grants()) {
        let draft = AppDraft {
            name: "x".into(),
            platform,
            redirect_urls: vec![],
            scopes: vec![Scope::Monitoring],
            grant_types: grants.clone(),
            access_token_ttl: None,
            refresh_token_ttl: None,
        };
        let violations = validate_draft(&draft);
        let row = design_row(platform);
        let forbidden: Vec<GrantType> =
            grants.iter().copied().filter(|g| !row.grants.contains(g)).collect();
        for &grant in &grants {
            let reason = grant_forbidden_reason(platform, grant);
            if forbidden.contains(&grant) {
                let reason = reason.unwrap_or_else(|| panic!("{grant:?} on {platform:?} has no reason"));
                prop_assert!(
                    violations.iter().any(|v| v.field == Field::GrantTypes && v.message == reason),
                    "{grant:?} on {platform:?} not reported: {violations:?}"
                );
            } else {
                prop_assert_eq!(reason, None, "{:?} is allowed on {:?}", grant, platform);
            }
        }
        // Nothing else is said about the grants but the two rules that need no table.
        let none_chosen = grants.is_empty();
        let refresh_alone = grants.contains(&GrantType::RefreshToken)
            && !grants.contains(&GrantType::AuthorizationCode)
            && !grants.contains(&GrantType::DeviceCode);
        let grant_violations = violations.iter().filter(|v| v.field == Field::GrantTypes).count();
        prop_assert_eq!(
            grant_violations,
            forbidden.len() + usize::from(none_chosen) + usize::from(refresh_alone),
            "{:?}", violations
        );
    }
}
