//! Property tests of the platform rules (DESIGN §2) that the server, the CLI and the
//! console's form all share.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use oauth_console::domain::redirect::redirect_matches;
use oauth_console::domain::{
    AppDraft, Field, GrantType, Platform, Scope, parse_scope_param, sanitize_for_terminal,
    scope_param, validate_draft,
};
use proptest::prelude::*;

fn platform() -> impl Strategy<Value = Platform> {
    prop::sample::select(Platform::ALL.to_vec())
}

fn grants() -> impl Strategy<Value = Vec<GrantType>> {
    prop::sample::subsequence(GrantType::ALL.to_vec(), 0..=GrantType::ALL.len())
}

fn scopes() -> impl Strategy<Value = Vec<Scope>> {
    prop::sample::subsequence(Scope::ALL.to_vec(), 0..=Scope::ALL.len())
}

/// A draft that follows every rule for its platform.
fn valid_draft() -> impl Strategy<Value = AppDraft> {
    (platform(), any::<bool>(), 1u16..65535, "[a-z]{1,12}").prop_map(
        |(platform, with_refresh, port, path)| {
            let (grant_types, redirect_urls, mut scopes) = match platform {
                Platform::ApiServices => (
                    vec![GrantType::ClientCredentials],
                    vec![],
                    vec![Scope::Monitoring],
                ),
                Platform::Native => (
                    vec![GrantType::AuthorizationCode, GrantType::DeviceCode],
                    vec![],
                    vec![Scope::Control],
                ),
                Platform::Web | Platform::SinglePage => (
                    vec![GrantType::AuthorizationCode],
                    vec![
                        format!("https://app.example.com/{path}"),
                        format!("http://127.0.0.1:{port}/{path}"),
                    ],
                    vec![Scope::Management],
                ),
            };
            let mut grant_types = grant_types;
            if with_refresh && platform != Platform::ApiServices {
                grant_types.push(GrantType::RefreshToken);
                scopes.push(Scope::OfflineAccess);
            }
            AppDraft {
                name: format!("App {path}"),
                platform,
                redirect_urls,
                scopes,
                grant_types,
                access_token_ttl: None,
                refresh_token_ttl: None,
            }
            .normalized()
        },
    )
}

proptest! {
    #[test]
    fn drafts_that_follow_the_table_are_accepted(draft in valid_draft()) {
        prop_assert_eq!(validate_draft(&draft), vec![]);
    }

    #[test]
    fn offline_access_requires_the_refresh_grant(platform in platform(), grants in grants(), scopes in scopes()) {
        let draft = AppDraft {
            name: "x".into(),
            platform,
            redirect_urls: vec![],
            scopes: scopes.clone(),
            grant_types: grants.clone(),
            access_token_ttl: None,
            refresh_token_ttl: None,
        };
        let violations = validate_draft(&draft);
        let scope_errors = violations.iter().filter(|v| v.field == Field::Scopes).count();
        let offline = scopes.contains(&Scope::OfflineAccess);
        // DESIGN §2: a refresh token needs the refresh_token grant, which API services
        // may not enable: offline access is an error for them whatever the grants.
        let expect_error = scopes.is_empty()
            || (offline && platform == Platform::ApiServices)
            || (offline && !grants.contains(&GrantType::RefreshToken));
        prop_assert_eq!(scope_errors > 0, expect_error, "{:?}", violations);
    }

    #[test]
    fn native_accepts_any_loopback_port_and_nothing_else(port in 1u16..65535, path in "/[a-z/]{0,10}") {
        let v4 = format!("http://127.0.0.1:{port}{path}");
        let v6 = format!("http://[::1]:{port}{path}");
        prop_assert!(redirect_matches(Platform::Native, &[], &v4));
        prop_assert!(redirect_matches(Platform::Native, &[], &v6));
        let localhost = format!("http://localhost:{port}{path}");
        let https = format!("https://127.0.0.1:{port}{path}");
        let remote = format!("http://example.com:{port}{path}");
        prop_assert!(!redirect_matches(Platform::Native, &[], &localhost));
        prop_assert!(!redirect_matches(Platform::Native, &[], &https));
        prop_assert!(!redirect_matches(Platform::Native, &[], &remote));
    }

    #[test]
    fn web_redirects_match_exactly(path in "[a-z]{1,10}", extra in "[a-zA-Z0-9]{1,3}") {
        let registered = vec![format!("https://app.example.com/{path}")];
        prop_assert!(redirect_matches(Platform::Web, &registered, &registered[0]));
        let longer = format!("{}{extra}", registered[0]);
        let with_query = format!("{}?x={extra}", registered[0]);
        let other_port = format!("https://app.example.com:8443/{path}");
        prop_assert!(!redirect_matches(Platform::Web, &registered, &longer));
        prop_assert!(!redirect_matches(Platform::Web, &registered, &with_query));
        prop_assert!(!redirect_matches(Platform::SinglePage, &registered, &other_port));
    }

    #[test]
    fn registered_loopback_redirects_of_web_apps_match_only_on_their_port(reg_port in 1u16..65535, port in 1u16..65535) {
        // RFC 8252's any-port rule is for Native apps only.
        let registered = vec![format!("http://127.0.0.1:{reg_port}/cb")];
        let same_path = format!("http://127.0.0.1:{port}/cb");
        let other_path = format!("http://127.0.0.1:{port}/cb2");
        let other_host = format!("http://[::1]:{port}/cb");
        prop_assert_eq!(redirect_matches(Platform::Web, &registered, &same_path), port == reg_port);
        prop_assert!(!redirect_matches(Platform::Web, &registered, &other_path));
        prop_assert!(!redirect_matches(Platform::Web, &registered, &other_host));
    }

    #[test]
    fn native_refuses_userinfo_and_other_loopback_addresses(port in 1u16..65535, user in "[a-z]{1,8}", last in 2u8..255) {
        let with_user = format!("http://{user}@127.0.0.1:{port}/cb");
        let with_password = format!("http://{user}:pw@[::1]:{port}/cb");
        let other_loopback = format!("http://127.0.0.{last}:{port}/cb");
        prop_assert!(!redirect_matches(Platform::Native, &[], &with_user));
        prop_assert!(!redirect_matches(Platform::Native, &[], &with_password));
        prop_assert!(!redirect_matches(Platform::Native, &[], &other_loopback));
    }

    #[test]
    fn sanitized_text_never_holds_control_or_bidi_characters(text in any::<String>()) {
        let shown = sanitize_for_terminal(&text);
        let unsafe_char = shown.chars().find(|&c| {
            c.is_control()
                || matches!(c, '\u{061C}' | '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
        });
        prop_assert_eq!(unsafe_char, None);
    }

    #[test]
    fn printable_text_is_shown_unchanged(text in "[ -~\u{a0}-\u{600}\u{700}-\u{2000}]{0,40}") {
        prop_assert_eq!(sanitize_for_terminal(&text), text.as_str());
    }

    #[test]
    fn scope_params_round_trip(scopes in scopes()) {
        let mut sorted = scopes.clone();
        sorted.sort();
        prop_assert_eq!(parse_scope_param(&scope_param(&scopes)).unwrap(), sorted);
    }
}

#[test]
fn messages_speak_plainly() {
    let api = AppDraft {
        name: "Billing sync".into(),
        platform: Platform::ApiServices,
        redirect_urls: vec!["https://x.example/cb".into()],
        scopes: vec![Scope::Monitoring],
        grant_types: vec![GrantType::ClientCredentials, GrantType::AuthorizationCode],
        access_token_ttl: None,
        refresh_token_ttl: None,
    };
    let messages: Vec<String> = validate_draft(&api)
        .into_iter()
        .map(|v| v.message)
        .collect();
    assert!(
        messages.contains(&"API services apps can only use client credentials".to_string()),
        "{messages:?}"
    );
    assert!(
        messages.contains(&"API services apps have no redirect URLs".to_string()),
        "{messages:?}"
    );

    let web = AppDraft {
        platform: Platform::Web,
        redirect_urls: vec!["http://app.example.com/cb".into()],
        grant_types: vec![GrantType::AuthorizationCode],
        ..api.clone()
    };
    let violations = validate_draft(&web);
    assert_eq!(violations.len(), 1, "{violations:?}");
    assert_eq!(violations[0].field, Field::RedirectUrl(0));
    assert!(
        violations[0]
            .message
            .contains("redirect URLs must be https, or http on a loopback address")
    );

    let native = AppDraft {
        platform: Platform::Native,
        redirect_urls: vec!["http://127.0.0.1/cb".into()],
        grant_types: vec![GrantType::AuthorizationCode],
        ..api
    };
    let messages: Vec<String> = validate_draft(&native)
        .into_iter()
        .map(|v| v.message)
        .collect();
    assert!(
        messages
            .iter()
            .any(|m| m
                .starts_with("Native apps use loopback redirects; redirect URLs cannot be set")),
        "{messages:?}"
    );
}

#[test]
fn unknown_names_are_refused_with_the_choices() {
    let err = "desktop".parse::<Platform>().unwrap_err();
    assert!(
        err.contains("web, native, single-page or api-services"),
        "{err}"
    );
    assert!(
        parse_scope_param("monitoring admin")
            .unwrap_err()
            .contains("\"admin\"")
    );
    assert_eq!(
        "device_code".parse::<GrantType>().unwrap(),
        GrantType::DeviceCode
    );
    assert_eq!(
        "urn:ietf:params:oauth:grant-type:device_code"
            .parse::<GrantType>()
            .unwrap(),
        GrantType::DeviceCode
    );
}
