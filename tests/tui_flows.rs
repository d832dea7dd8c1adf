//! Getting tokens from the console: the Get token dialog, the screens that
//! wait for a browser or a device, and this session's tokens — driven through the real
//! keymap and `update`, with the worker's answers fed in as the worker sends them.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use oauth_console::api::flows::{
    DevicePollEvent, FlowError, Introspection, IssuedTokens, SecretString,
};
use oauth_console::domain::Scope;
use oauth_console::domain::wire::{RotatedSecret, TokenPage};
use oauth_console::tui::{Action, Command, FlowDialog, Tab};
use oauth_console::worker::{RedirectCapture, RequestId, WorkerReply, WorkerRequest};
use ratatui::crossterm::event::KeyCode;
use std::time::Duration;

mod tui_support;
use tui_support::*;

/// Snapshots the screen `setup` leads to at 80×24 and 120×36.
fn snapshot_both(name: &str, setup: impl Fn(&mut Console)) {
    for (width, height) in [(80, 24), (120, 36)] {
        let mut console = Console::with_apps(width, height);
        setup(&mut console);
        let terminal = console.draw();
        insta::assert_snapshot!(format!("{name}_{width}x{height}"), terminal.backend());
    }
}

const SECRET: &str = "ocs_B1ll1ngS3cr3tB1ll1ngS3cr3tB1ll1ngS3cr3t";
const ACCESS: &str = "oca_Acc3ssT0k3nAcc3ssT0k3nAcc3ssT0k3nAcc3ss";
const REFRESH: &str = "ocr_R3fr3shT0k3nR3fr3shT0k3nR3fr3shT0k3nR3f";
const AUTHORIZE_URL: &str = "http://127.0.0.1:41823/oauth/authorize?response_type=code&client_id=oc_a81XcV3bN7mL0kJ9hG5fD2sA4qW6eR8tY1u77pQ&redirect_uri=https%3A%2F%2Fpsa.example.com%2Foauth%2Fcallback&scope=monitoring+management&state=st_9f8e7d6c5b4a&code_challenge=E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM&code_challenge_method=S256";

impl Console {
    /// Moves the cursor of the Client apps tab to the app named `name`.
    fn select_app(&mut self, name: &str) {
        for _ in 0..10 {
            if self.state.apps.selected().map(|a| a.name.as_str()) == Some(name) {
                return;
            }
            self.key('j');
        }
        panic!("no app named {name}");
    }

    fn commands_since(&self, from: usize) -> &[Command] {
        &self.commands[from..]
    }

    fn dialog(&self) -> Option<&FlowDialog> {
        self.state.flows.dialog.as_ref()
    }
}

fn issued(scopes: &[&str], refresh: bool) -> IssuedTokens {
    IssuedTokens {
        access_token: SecretString::new(ACCESS),
        refresh_token: refresh.then(|| SecretString::new(REFRESH)),
        expires_at: Some(NOW + 3600),
        scopes: scopes.iter().map(|s| s.to_string()).collect(),
        token_type: "Bearer".into(),
    }
}

fn flow_id_of(console: &Console, matches: impl Fn(&WorkerRequest) -> bool) -> RequestId {
    console
        .last_request(matches)
        .expect("the flow was not started")
        .0
}

fn is_code_flow(r: &WorkerRequest) -> bool {
    matches!(r, WorkerRequest::StartAuthorizationCode { .. })
}

fn is_device_flow(r: &WorkerRequest) -> bool {
    matches!(r, WorkerRequest::StartDeviceFlow { .. })
}

/// The Get token dialog for Billing sync, its secret typed.
fn typed_secret_dialog(c: &mut Console) {
    c.select_app("Billing sync");
    c.key('t');
    c.special(KeyCode::Tab); // Monitoring
    c.special(KeyCode::Tab); // Secret
    c.keys("ocs_typed");
}

/// PSA connector's authorization code flow, waiting with `capture`.
fn waiting_for_browser(c: &mut Console, capture: RedirectCapture) {
    c.state.flows.remember_secret(PSA_ID, SECRET);
    c.select_app("PSA connector");
    c.key('t');
    c.special(KeyCode::Enter);
    let flow_id = flow_id_of(c, is_code_flow);
    c.act(Action::WorkerReply(
        flow_id,
        WorkerReply::AuthorizationUrl {
            flow_id,
            url: AUTHORIZE_URL.into(),
            capture,
            expires_at: NOW + 600,
            legacy: false,
        },
    ));
    c.act(Action::Tick { now: NOW + 2 });
}

fn device_code(c: &mut Console, complete: bool) {
    c.select_app("Asset inventory");
    c.key('t');
    c.key('l'); // Device code
    c.special(KeyCode::Enter);
    let flow_id = flow_id_of(c, is_device_flow);
    c.act(Action::WorkerReply(
        flow_id,
        WorkerReply::DeviceCode {
            flow_id,
            user_code: "WDJB-MJHT".into(),
            verification_uri: "http://127.0.0.1:41823/device".into(),
            verification_uri_complete: complete
                .then(|| "http://127.0.0.1:41823/device?user_code=WDJB-MJHT".into()),
            expires_at: NOW + 900,
            interval: Duration::from_secs(5),
        },
    ));
    c.act(Action::WorkerReply(
        flow_id,
        WorkerReply::DevicePolling {
            flow_id,
            event: DevicePollEvent::SlowDown {
                interval: Duration::from_secs(10),
            },
        },
    ));
}

/// A client credentials token obtained for Billing sync, on the Active tokens tab.
fn session_token(c: &mut Console) {
    c.state.flows.remember_secret(BILLING_ID, SECRET);
    c.select_app("Billing sync");
    c.key('t');
    c.special(KeyCode::Enter);
    let flow_id = flow_id_of(c, |r| matches!(r, WorkerRequest::ClientCredentials { .. }));
    c.act(Action::WorkerReply(
        flow_id,
        WorkerReply::FlowFinished {
            flow_id,
            result: Ok(issued(&["monitoring"], false)),
        },
    ));
    c.reply(
        |r| matches!(r, WorkerRequest::LoadTokens(_)),
        WorkerReply::Tokens(Ok(TokenPage {
            tokens: sample_tokens(),
            next_cursor: None,
        })),
    );
}

// ---- Screens ----

#[test]
fn get_token_dialog_masks_the_typed_secret() {
    snapshot_both("flow_get_token_secret", typed_secret_dialog);
    let mut c = Console::with_apps(80, 24);
    typed_secret_dialog(&mut c);
    let screen = c.screen_text();
    assert!(screen.contains("•••••••••"), "{screen}");
    assert!(!screen.contains("ocs_typed"), "{screen}");
}

#[test]
fn get_token_dialog_warns_that_the_implicit_grant_is_legacy() {
    snapshot_both("flow_get_token_implicit", |c| {
        c.select_app("Legacy portal");
        c.key('t');
        c.key('l');
    });
}

#[test]
fn waiting_screen_shows_the_url_the_listener_and_a_countdown() {
    snapshot_both("flow_waiting_listening", |c| {
        waiting_for_browser(
            c,
            RedirectCapture::Listening {
                redirect_uri: "http://127.0.0.1:53682/callback".into(),
            },
        )
    });
}

#[test]
fn waiting_screen_in_paste_mode_shows_the_refusal_inline() {
    snapshot_both("flow_waiting_paste", |c| {
        waiting_for_browser(
            c,
            RedirectCapture::Paste {
                redirect_uri: "https://psa.example.com/oauth/callback".into(),
            },
        );
        c.key('p');
        c.act(Action::Paste(
            "https://psa.example.com/oauth/callback?code=abc&state=forged\n".into(),
        ));
        c.special(KeyCode::Enter);
        let flow_id = flow_id_of(c, is_code_flow);
        c.act(Action::WorkerReply(
            99,
            WorkerReply::PastedUrlRejected {
                flow_id,
                error: FlowError::StateMismatch,
            },
        ));
    });
}

#[test]
fn device_screen_shows_the_code_big_and_a_qr_code() {
    snapshot_both("flow_device_qr", |c| device_code(c, true));
    let mut c = Console::with_apps(120, 36);
    device_code(&mut c, true);
    let screen = c.screen_text();
    assert!(screen.contains("W D J B - M J H T"), "{screen}");
    assert!(screen.contains('▀') && screen.contains('▄'), "{screen}");
    assert!(screen.contains("every 10s"), "{screen}");
    // At 80×24 the QR code does not fit: its snapshot shows the code and the link.
    let mut c = Console::with_apps(80, 24);
    device_code(&mut c, true);
    let screen = c.screen_text();
    assert!(screen.contains("W D J B - M J H T"), "{screen}");
    assert!(!screen.contains('▄'), "{screen}");
    assert!(screen.contains("or open (y copies)"), "{screen}");
}

#[test]
fn device_screen_without_a_complete_url_has_no_qr_code() {
    snapshot_both("flow_device_no_qr", |c| device_code(c, false));
    let mut c = Console::with_apps(120, 36);
    device_code(&mut c, false);
    assert!(!c.screen_text().contains('▄'));
}

#[test]
fn device_screen_skips_the_qr_code_when_the_terminal_is_small() {
    let mut c = Console::with_apps(70, 20);
    device_code(&mut c, true);
    let screen = c.screen_text();
    assert!(screen.contains("W D J B - M J H T"), "{screen}");
    assert!(!screen.contains('▄'), "{screen}");
}

#[test]
fn session_tokens_show_on_top_of_the_active_tokens_tab() {
    snapshot_both("flow_session_tokens", session_token);
}

#[test]
fn introspection_dialog_shows_the_servers_answer() {
    snapshot_both("flow_introspection", |c| {
        session_token(c);
        c.key('i');
        c.reply(
            |r| matches!(r, WorkerRequest::Introspect { .. }),
            WorkerReply::Introspected(Ok(Introspection {
                active: true,
                scope: Some("monitoring".into()),
                client_id: Some(BILLING_ID.into()),
                username: None,
                sub: Some(BILLING_ID.into()),
                token_type: Some("Bearer".into()),
                exp: Some(NOW + 3600),
                iat: Some(NOW),
            })),
        );
    });
}

// ---- Behaviour ----

#[test]
fn api_services_app_offers_only_client_credentials_and_asks_for_the_secret() {
    let mut c = Console::with_apps(80, 24);
    c.select_app("Billing sync");
    c.key('t');
    let Some(FlowDialog::Setup(setup)) = c.dialog() else {
        panic!("no Get token dialog");
    };
    assert_eq!(
        setup.flows,
        vec![oauth_console::api::flows::FlowKind::ClientCredentials]
    );
    assert!(setup.asks_secret());
    // Enter without a secret sends nothing and says why.
    let before = c.commands.len();
    c.special(KeyCode::Enter);
    assert!(c.commands_since(before).is_empty());
    assert!(c.screen_text().contains("Type the client secret"));
    c.keys("ocs_typed");
    c.special(KeyCode::Enter);
    match c.last_request(|r| matches!(r, WorkerRequest::ClientCredentials { .. })) {
        Some((
            _,
            WorkerRequest::ClientCredentials {
                client_id,
                secret,
                scopes,
            },
        )) => {
            assert_eq!(client_id, BILLING_ID);
            assert_eq!(secret.expose(), "ocs_typed");
            assert_eq!(scopes, vec![Scope::Monitoring]);
        }
        other => panic!("expected client credentials, got {other:?}"),
    }
}

#[test]
fn a_secret_seen_at_rotation_is_reused_and_not_asked_again() {
    let mut c = Console::with_apps(80, 24);
    c.select_app("Billing sync");
    c.key('S');
    c.key('y');
    c.reply(
        |r| matches!(r, WorkerRequest::RotateSecret { .. }),
        WorkerReply::SecretRotated(Ok(RotatedSecret {
            client_id: BILLING_ID.into(),
            client_secret: SECRET.into(),
            previous_secret_expires_at: None,
        })),
    );
    c.special(KeyCode::Esc);
    c.key('t');
    let Some(FlowDialog::Setup(setup)) = c.dialog() else {
        panic!("no Get token dialog");
    };
    assert!(!setup.asks_secret());
    assert!(c.screen_text().contains("remembered"));
    c.special(KeyCode::Enter);
    match c.last_request(|r| matches!(r, WorkerRequest::ClientCredentials { .. })) {
        Some((_, WorkerRequest::ClientCredentials { secret, .. })) => {
            assert_eq!(secret.expose(), SECRET)
        }
        other => panic!("expected client credentials, got {other:?}"),
    }
}

#[test]
fn esc_on_a_waiting_flow_cancels_that_flow() {
    let mut c = Console::with_apps(80, 24);
    waiting_for_browser(
        &mut c,
        RedirectCapture::Listening {
            redirect_uri: "http://127.0.0.1:53682/callback".into(),
        },
    );
    let flow_id = flow_id_of(&c, is_code_flow);
    c.special(KeyCode::Esc);
    assert!(c.dialog().is_none());
    match c.last_request(|r| matches!(r, WorkerRequest::CancelFlow { .. })) {
        Some((_, WorkerRequest::CancelFlow { flow_id: cancelled })) => {
            assert_eq!(cancelled, flow_id)
        }
        other => panic!("expected a cancel, got {other:?}"),
    }
    // Its late end changes nothing.
    c.act(Action::WorkerReply(
        flow_id,
        WorkerReply::FlowFinished {
            flow_id,
            result: Err(FlowError::Cancelled),
        },
    ));
    assert!(c.state.flows.session.is_empty());
    assert!(!c.state.requests.busy());
}

#[test]
fn replies_about_another_flow_are_ignored() {
    let mut c = Console::with_apps(80, 24);
    device_code(&mut c, true);
    let flow_id = flow_id_of(&c, is_device_flow);
    let stale = flow_id + 1000;
    c.act(Action::WorkerReply(
        stale,
        WorkerReply::FlowFinished {
            flow_id: stale,
            result: Ok(issued(&["monitoring"], true)),
        },
    ));
    c.act(Action::WorkerReply(
        stale,
        WorkerReply::DeviceCode {
            flow_id: stale,
            user_code: "ZZZZ-ZZZZ".into(),
            verification_uri: "http://evil.example/device".into(),
            verification_uri_complete: None,
            expires_at: NOW + 900,
            interval: Duration::from_secs(5),
        },
    ));
    assert!(c.state.flows.session.is_empty());
    let screen = c.screen_text();
    assert!(screen.contains("W D J B - M J H T"), "{screen}");
    assert!(!screen.contains("evil"), "{screen}");
    assert!(matches!(c.dialog(), Some(FlowDialog::Device(_))));
}

#[test]
fn copying_the_access_token_copies_the_whole_token() {
    let mut c = Console::with_apps(80, 24);
    session_token(&mut c);
    assert_eq!(c.state.tab, Tab::ActiveTokens);
    c.key('y');
    match c.commands.last() {
        Some(Command::CopyToClipboard { text, what }) => {
            assert_eq!(text, ACCESS);
            assert_eq!(what, "Access token");
        }
        other => panic!("expected a copy, got {other:?}"),
    }
    // The screen never shows the token.
    assert!(!c.screen_text().contains("oca_"));
}

#[test]
fn refreshing_replaces_the_refresh_token_with_the_rotated_one() {
    let mut c = Console::with_apps(80, 24);
    c.select_app("Asset inventory");
    c.key('t');
    c.special(KeyCode::Enter);
    let flow_id = flow_id_of(&c, is_code_flow);
    c.act(Action::WorkerReply(
        flow_id,
        WorkerReply::FlowFinished {
            flow_id,
            result: Ok(issued(&["monitoring", "offline_access"], true)),
        },
    ));
    c.key('f');
    match c.last_request(|r| matches!(r, WorkerRequest::Refresh { .. })) {
        Some((
            _,
            WorkerRequest::Refresh {
                refresh_token,
                client_id,
                ..
            },
        )) => {
            assert_eq!(refresh_token.expose(), REFRESH);
            assert_eq!(client_id, ASSET_ID);
        }
        other => panic!("expected a refresh, got {other:?}"),
    }
    let mut rotated = issued(&["monitoring", "offline_access"], true);
    rotated.refresh_token = Some(SecretString::new("ocr_rotated"));
    let before = c.commands.len();
    c.reply(
        |r| matches!(r, WorkerRequest::Refresh { .. }),
        WorkerReply::Refreshed(Ok(rotated)),
    );
    let token = &c.state.flows.session[0];
    assert_eq!(
        token.tokens.refresh_token.as_ref().map(|t| t.expose()),
        Some("ocr_rotated")
    );
    assert_eq!(token.refreshes, 1);
    // The list reloads, so the spent refresh token shows as revoked.
    assert!(
        c.commands_since(before)
            .iter()
            .any(|cmd| matches!(cmd, Command::Worker(_, WorkerRequest::LoadTokens(_))))
    );
}

#[test]
fn revoking_a_session_token_uses_rfc_7009_and_marks_it_revoked() {
    let mut c = Console::with_apps(80, 24);
    session_token(&mut c);
    c.key('x');
    let (id, request) = c
        .last_request(|r| matches!(r, WorkerRequest::Revoke { .. }))
        .expect("no revoke sent");
    let WorkerRequest::Revoke { token, secret, .. } = request else {
        unreachable!()
    };
    assert_eq!(token.expose(), ACCESS);
    assert_eq!(
        secret.map(|s| s.expose().to_string()),
        Some(SECRET.to_string())
    );
    c.act(Action::WorkerReply(id, WorkerReply::Revoked(Ok(()))));
    assert!(c.state.flows.session[0].revoked);
    assert!(c.screen_text().contains("revoked"));
}

#[test]
fn a_failed_flow_is_a_toast_and_leaves_no_token() {
    let mut c = Console::with_apps(80, 24);
    c.state.flows.remember_secret(BILLING_ID, SECRET);
    c.select_app("Billing sync");
    c.key('t');
    c.special(KeyCode::Enter);
    let flow_id = flow_id_of(&c, |r| matches!(r, WorkerRequest::ClientCredentials { .. }));
    c.act(Action::WorkerReply(
        flow_id,
        WorkerReply::FlowFinished {
            flow_id,
            result: Err(FlowError::oauth("invalid_client", None)),
        },
    ));
    assert!(c.dialog().is_none());
    assert!(c.state.flows.session.is_empty());
    let toast = c.state.toast.as_ref().expect("no toast");
    assert!(toast.text.contains("invalid_client"), "{}", toast.text);
}

#[test]
fn debug_output_of_the_state_shows_no_token_or_secret() {
    let mut c = Console::with_apps(80, 24);
    typed_secret_dialog(&mut c);
    let typing = format!("{:?}", c.state);
    assert!(!typing.contains("ocs_typed"), "typed secret in Debug");
    c.special(KeyCode::Esc);
    session_token(&mut c);
    let shown = format!("{:?}", c.state);
    assert!(!shown.contains(ACCESS), "access token in Debug");
    assert!(!shown.contains(SECRET), "secret in Debug");
    assert!(shown.contains("Billing sync"));
}

#[test]
fn an_older_introspection_answer_does_not_fill_a_newer_dialog() {
    let mut c = Console::with_apps(80, 24);
    session_token(&mut c);
    c.key('i');
    let (first, _) = c
        .last_request(|r| matches!(r, WorkerRequest::Introspect { .. }))
        .unwrap();
    c.special(KeyCode::Esc);
    c.key('i');
    c.act(Action::WorkerReply(
        first,
        WorkerReply::Introspected(Ok(Introspection {
            active: false,
            scope: None,
            client_id: None,
            username: None,
            sub: None,
            token_type: None,
            exp: None,
            iat: None,
        })),
    ));
    match c.dialog() {
        Some(FlowDialog::Introspection(shown)) => assert!(shown.answer.is_none()),
        _ => panic!("the introspection dialog closed"),
    }
}

#[test]
fn o_opens_a_browser_only_where_one_can_show_up() {
    let capture = RedirectCapture::Listening {
        redirect_uri: "http://127.0.0.1:53682/callback".into(),
    };
    let mut over_ssh = Console::with_apps(80, 24);
    waiting_for_browser(&mut over_ssh, capture.clone());
    let before = over_ssh.commands.len();
    over_ssh.key('o');
    assert!(over_ssh.commands_since(before).is_empty());
    assert!(
        over_ssh
            .state
            .toast
            .as_ref()
            .unwrap()
            .text
            .contains("copies the URL")
    );

    let mut desktop = Console::with_apps(80, 24);
    desktop.state.flows.can_open_browser = true;
    waiting_for_browser(&mut desktop, capture);
    desktop.key('o');
    match desktop.commands.last() {
        Some(Command::OpenBrowser { url }) => assert_eq!(url, AUTHORIZE_URL),
        other => panic!("expected the browser to open, got {other:?}"),
    }
    // And `y` copies the whole URL, however the screen wraps it.
    desktop.key('y');
    match desktop.commands.last() {
        Some(Command::CopyToClipboard { text, .. }) => assert_eq!(text, AUTHORIZE_URL),
        other => panic!("expected a copy, got {other:?}"),
    }
}
