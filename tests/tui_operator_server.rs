//! The console's operator features against a real server, through the real worker:
//! a read-only admin key makes the console read-only, and the audit log tab shows what
//! was done.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use oauth_console::api::AdminClient;
use oauth_console::domain::{AppDraft, GrantType, Platform, Scope};
use oauth_console::tui::{Action, Command, State, Tab, keymap, render, start, update};
use oauth_console::worker::{self, RequestId, WorkerReply};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use std::time::Duration;

/// Sat Nov 28 2026 12:00:00 UTC.
const NOW: i64 = 1_795_867_200;

/// Sends the console's worker commands to the real worker and feeds every answer back
/// through `update`, until nothing is in flight.
async fn pump(
    state: &mut State,
    worker: &worker::WorkerHandle,
    replies: &mut tokio::sync::mpsc::UnboundedReceiver<(RequestId, WorkerReply)>,
    mut commands: Vec<Command>,
) -> Vec<Command> {
    let mut others = Vec::new();
    let mut waiting = 0;
    loop {
        for command in commands.drain(..) {
            match command {
                Command::Worker(id, request) => {
                    assert!(worker.send(id, request));
                    waiting += 1;
                }
                other => others.push(other),
            }
        }
        if waiting == 0 {
            return others;
        }
        let (id, reply) = tokio::time::timeout(Duration::from_secs(10), replies.recv())
            .await
            .expect("the worker answers")
            .expect("the worker runs");
        waiting -= 1;
        commands = update(state, Action::WorkerReply(id, reply));
    }
}

/// Sizes the console to 120×36 and runs its first requests (who am I, the apps).
async fn open_at_120x36(
    state: &mut State,
    worker: &worker::WorkerHandle,
    replies: &mut tokio::sync::mpsc::UnboundedReceiver<(RequestId, WorkerReply)>,
) {
    update(
        state,
        Action::Resize {
            width: 120,
            height: 36,
        },
    );
    let commands = start(state);
    pump(state, worker, replies, commands).await;
}

#[tokio::test]
async fn a_read_only_admin_key_makes_the_console_read_only_and_the_audit_log_shows_app_creation() {
    let server = support::TestServer::start().await;
    server
        .admin
        .create_app(&AppDraft {
            name: "Nightly export".into(),
            platform: Platform::ApiServices,
            redirect_urls: Vec::new(),
            scopes: vec![Scope::Monitoring],
            grant_types: vec![GrantType::ClientCredentials],
            access_token_ttl: None,
            refresh_token_ttl: None,
        })
        .await
        .unwrap();
    let key = server
        .admin
        .create_admin_key("auditor", true)
        .await
        .unwrap();
    let client = AdminClient::new(server.server.base_url(), key.key.clone()).unwrap();
    let (worker, mut replies) = worker::spawn(client);

    let mut state = State::new("test", NOW, false);
    open_at_120x36(&mut state, &worker, &mut replies).await;
    assert!(state.read_only, "the auditor key is read-only");
    assert_eq!(state.apps.apps.len(), 1);

    // Writing keys are refused before anything reaches the server.
    for c in ['n', 'd', 'S'] {
        let action =
            keymap::action_for_key(&state, &KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE));
        if let Some(action) = action {
            assert!(update(&mut state, action).is_empty(), "{c} sent something");
        }
    }

    let commands = update(&mut state, Action::GoToTab(Tab::AuditLog));
    pump(&mut state, &worker, &mut replies, commands).await;
    let created = state
        .audit
        .records
        .iter()
        .find(|r| r.action == "app.create")
        .expect("the creation is in the audit log");
    assert_eq!(created.actor, "default");
    let screen = screen_of(&state);
    assert!(screen.contains("app.create"), "{screen}");
    assert!(screen.contains("created “Nightly export”"), "{screen}");
    assert!(screen.contains("read-only"), "{screen}");
}

/// The screen `state` draws at its size, as one string.
fn screen_of(state: &State) -> String {
    let mut terminal = Terminal::new(TestBackend::new(state.width, state.height)).unwrap();
    terminal.draw(|frame| render(state, frame)).unwrap();
    terminal
        .backend()
        .buffer()
        .content()
        .iter()
        .map(|c| c.symbol())
        .collect()
}

/// Presses `c` and sends what it asks for, feeding the answers back.
async fn press(
    state: &mut State,
    worker: &worker::WorkerHandle,
    replies: &mut tokio::sync::mpsc::UnboundedReceiver<(RequestId, WorkerReply)>,
    code: KeyCode,
) {
    let action = keymap::action_for_key(state, &KeyEvent::new(code, KeyModifiers::NONE))
        .unwrap_or_else(|| panic!("{code:?} does nothing here"));
    let commands = update(state, action);
    pump(state, worker, replies, commands).await;
}

#[tokio::test]
async fn rotating_keeps_the_old_secret_for_a_grace_period_that_details_can_end() {
    let server = support::TestServer::start().await;
    server
        .admin
        .create_app(&AppDraft {
            name: "PSA connector".into(),
            platform: Platform::Web,
            redirect_urls: vec!["https://psa.example.com/oauth/callback".into()],
            scopes: vec![Scope::Monitoring],
            grant_types: vec![GrantType::AuthorizationCode],
            access_token_ttl: None,
            refresh_token_ttl: None,
        })
        .await
        .unwrap();
    let (worker, mut replies) = worker::spawn(server.admin.clone());
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64;
    let mut state = State::new("test", now, false);
    open_at_120x36(&mut state, &worker, &mut replies).await;

    // S, then y in the confirm dialog, which says how long the old secret lasts.
    press(&mut state, &worker, &mut replies, KeyCode::Char('S')).await;
    assert!(screen_of(&state).contains("The old one keeps working for"));
    press(&mut state, &worker, &mut replies, KeyCode::Char('y')).await;
    let screen = screen_of(&state);
    assert!(
        screen.contains("The old secret still works until"),
        "{screen}"
    );
    assert!(
        screen.contains("(in 23h 59m)") || screen.contains("(in 24h 00m)"),
        "{screen}"
    );
    press(&mut state, &worker, &mut replies, KeyCode::Esc).await;

    // Details count down the grace period; X (confirmed) ends it on the server.
    press(&mut state, &worker, &mut replies, KeyCode::Enter).await;
    let screen = screen_of(&state);
    assert!(screen.contains("Previous secret valid until"), "{screen}");
    press(&mut state, &worker, &mut replies, KeyCode::Char('X')).await;
    press(&mut state, &worker, &mut replies, KeyCode::Char('y')).await;
    let client_id = state.apps.apps[0].client_id.clone();
    let app = server.admin.get_app(&client_id).await.unwrap().app;
    assert_eq!(app.previous_secret_expires_at, None, "the server ended it");
    let screen = screen_of(&state);
    assert!(!screen.contains("Previous secret valid until"), "{screen}");

    // The audit log has both, newest first.
    press(&mut state, &worker, &mut replies, KeyCode::Esc).await;
    press(&mut state, &worker, &mut replies, KeyCode::Char('4')).await;
    let actions: Vec<&str> = state
        .audit
        .records
        .iter()
        .map(|r| r.action.as_str())
        .collect();
    assert_eq!(
        actions[..3],
        ["app.end_secret_grace", "app.rotate_secret", "app.create"],
        "{actions:?}"
    );
}

/// An API services app allowed Monitoring and Control, and `count` active tokens that
/// carry both; the console started against the server, on the Client apps tab.
async fn console_with_active_tokens(
    count: usize,
) -> (
    support::TestServer,
    State,
    worker::WorkerHandle,
    tokio::sync::mpsc::UnboundedReceiver<(RequestId, WorkerReply)>,
    Vec<String>,
) {
    let server = support::TestServer::start().await;
    let created = server
        .create_app(AppDraft {
            name: "Nightly export".into(),
            platform: Platform::ApiServices,
            redirect_urls: Vec::new(),
            scopes: vec![Scope::Monitoring, Scope::Control],
            grant_types: vec![GrantType::ClientCredentials],
            access_token_ttl: None,
            refresh_token_ttl: None,
        })
        .await;
    let secret = created.client_secret.clone().unwrap();
    let mut tokens = Vec::new();
    for _ in 0..count {
        let (status, _, body) = server
            .token(
                &[
                    ("grant_type", "client_credentials"),
                    ("scope", "monitoring control"),
                ],
                Some((&created.app.client_id, &secret)),
            )
            .await;
        assert_eq!(status, 200, "{body}");
        tokens.push(body["access_token"].as_str().unwrap().to_string());
    }
    let (worker, mut replies) = worker::spawn(server.admin.clone());
    let mut state = State::new("test", NOW, false);
    open_at_120x36(&mut state, &worker, &mut replies).await;
    (server, state, worker, replies, tokens)
}

#[tokio::test]
async fn taking_a_scope_away_in_the_matrix_says_how_many_tokens_lose_it_before_saving() {
    let (server, mut state, worker, mut replies, tokens) = console_with_active_tokens(3).await;
    let client_id = state.apps.apps[0].client_id.clone();
    press(&mut state, &worker, &mut replies, KeyCode::Char('2')).await;
    press(&mut state, &worker, &mut replies, KeyCode::Char('l')).await;
    press(&mut state, &worker, &mut replies, KeyCode::Char('l')).await; // Control.
    press(&mut state, &worker, &mut replies, KeyCode::Char(' ')).await;

    // Nothing is saved yet: the server counted, and the admin is asked.
    let screen = screen_of(&state);
    assert!(
        screen.contains("3 active tokens carry Control; they lose it now"),
        "{screen}"
    );
    let app = server.admin.get_app(&client_id).await.unwrap().app;
    assert!(app.has_scope(Scope::Control), "not saved before the answer");

    // n keeps everything; the same toggle and y takes Control away from the tokens.
    press(&mut state, &worker, &mut replies, KeyCode::Char('n')).await;
    assert!(state.apps.apps[0].has_scope(Scope::Control));
    press(&mut state, &worker, &mut replies, KeyCode::Char(' ')).await;
    press(&mut state, &worker, &mut replies, KeyCode::Char('y')).await;
    let app = server.admin.get_app(&client_id).await.unwrap().app;
    assert!(!app.has_scope(Scope::Control), "saved after yes");
    assert!(!state.apps.apps[0].has_scope(Scope::Control));
    let introspected = server.introspect(&tokens[0]).await;
    assert_eq!(introspected["scope"], "monitoring", "{introspected}");

    // Giving it back asks nothing, and the tokens carry Control again: what a token
    // may do is what it was granted and its app still has.
    press(&mut state, &worker, &mut replies, KeyCode::Char(' ')).await;
    assert!(state.modal.is_none());
    assert!(
        server
            .admin
            .get_app(&client_id)
            .await
            .unwrap()
            .app
            .has_scope(Scope::Control)
    );
    press(&mut state, &worker, &mut replies, KeyCode::Char(' ')).await;
    assert!(screen_of(&state).contains("3 active tokens carry Control"));
    press(&mut state, &worker, &mut replies, KeyCode::Char('n')).await;

    // With no active token left, taking it away is saved at once.
    server.admin.revoke_app_tokens(&client_id).await.unwrap();
    press(&mut state, &worker, &mut replies, KeyCode::Char(' ')).await;
    assert!(
        state.modal.is_none(),
        "no token carries Control: saved at once"
    );
    let app = server.admin.get_app(&client_id).await.unwrap().app;
    assert!(!app.has_scope(Scope::Control));
}

#[tokio::test]
async fn the_form_shows_what_an_edit_takes_away_from_active_tokens_as_it_is_made() {
    let (server, mut state, worker, mut replies, _tokens) = console_with_active_tokens(2).await;
    press(&mut state, &worker, &mut replies, KeyCode::Char('e')).await;
    assert!(!screen_of(&state).contains("they lose it now"));
    // Name → Monitoring → Management → Control, then uncheck it.
    for _ in 0..3 {
        let commands = update(&mut state, Action::FormNext);
        pump(&mut state, &worker, &mut replies, commands).await;
    }
    let commands = update(&mut state, Action::FormToggle);
    pump(&mut state, &worker, &mut replies, commands).await;
    let screen = screen_of(&state);
    assert!(
        screen.contains("2 active tokens carry Control; they lose it now"),
        "{screen}"
    );
    // Checked again: the edit takes nothing away, and the line goes.
    let commands = update(&mut state, Action::FormToggle);
    pump(&mut state, &worker, &mut replies, commands).await;
    assert!(!screen_of(&state).contains("they lose it now"));
    let client_id = state.apps.apps[0].client_id.clone();
    assert!(
        server
            .admin
            .get_app(&client_id)
            .await
            .unwrap()
            .app
            .has_scope(Scope::Control)
    );
}

/// alice signs in on the consent page of a Web app and gets a token for it.
async fn alice_token(server: &support::TestServer) -> String {
    let app = server.create_app(support::web_app()).await;
    let secret = app.client_secret.clone().unwrap();
    let url = server.authorize_url(&[
        ("response_type", "code"),
        ("client_id", &app.app.client_id),
        ("redirect_uri", support::WEB_REDIRECT),
        ("scope", "monitoring"),
    ]);
    let code = server.approve_code(&url).await;
    let (status, _, body) = server
        .token(
            &[
                ("grant_type", "authorization_code"),
                ("code", &code),
                ("redirect_uri", support::WEB_REDIRECT),
            ],
            Some((&app.app.client_id, &secret)),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    body["access_token"].as_str().unwrap().to_string()
}

#[tokio::test]
async fn disabling_a_user_on_the_users_tab_makes_the_server_refuse_their_token() {
    let server = support::TestServer::start_with_user().await;
    let token = alice_token(&server).await;
    assert!(server.is_active(&token).await);
    let (worker, mut replies) = worker::spawn(server.admin.clone());
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64;
    let mut state = State::new("test", now, false);
    open_at_120x36(&mut state, &worker, &mut replies).await;

    press(&mut state, &worker, &mut replies, KeyCode::Char('5')).await;
    let screen = screen_of(&state);
    assert!(screen.contains(support::USERNAME), "{screen}");
    let alice = state.users.get(support::USERNAME).expect("alice is listed");
    assert_eq!(alice.active_tokens, 1, "{alice:?}");
    assert_eq!(alice.authorised_apps, 1, "{alice:?}");

    // Her authorised app, from the details.
    press(&mut state, &worker, &mut replies, KeyCode::Enter).await;
    let screen = screen_of(&state);
    assert!(screen.contains("Test Web"), "{screen}");
    press(&mut state, &worker, &mut replies, KeyCode::Esc).await;

    // e asks, naming what goes; y disables her on the server.
    press(&mut state, &worker, &mut replies, KeyCode::Char('e')).await;
    assert!(
        screen_of(&state).contains("1 active token of 1 app is revoked."),
        "{}",
        screen_of(&state)
    );
    press(&mut state, &worker, &mut replies, KeyCode::Char('y')).await;
    assert!(state.users.get(support::USERNAME).unwrap().disabled);
    let introspected = server.introspect(&token).await;
    assert_eq!(introspected["active"], false, "{introspected}");
    let listed = server.admin.list_users().await.unwrap();
    assert!(
        listed
            .iter()
            .any(|u| u.username == support::USERNAME && u.disabled)
    );
    assert!(screen_of(&state).contains("disabled"));

    // The audit log has the change, in the admin's name.
    press(&mut state, &worker, &mut replies, KeyCode::Char('4')).await;
    assert!(
        state
            .audit
            .records
            .iter()
            .any(|r| r.action.starts_with("user.")),
        "{:?}",
        state.audit.records
    );
}

#[tokio::test]
async fn a_password_the_server_finds_too_short_is_refused_in_the_dialog() {
    let server = support::TestServer::start_with_user().await;
    let (worker, mut replies) = worker::spawn(server.admin.clone());
    let mut state = State::new("test", NOW, false);
    open_at_120x36(&mut state, &worker, &mut replies).await;
    press(&mut state, &worker, &mut replies, KeyCode::Char('5')).await;
    press(&mut state, &worker, &mut replies, KeyCode::Char('p')).await;
    for c in "abc".chars() {
        press(&mut state, &worker, &mut replies, KeyCode::Char(c)).await;
    }
    press(&mut state, &worker, &mut replies, KeyCode::Enter).await;
    assert!(state.modal.is_some(), "the dialog stays open");
    let screen = screen_of(&state);
    assert!(!screen.contains("abc"), "{screen}");
    assert!(screen.contains("password"), "the server's reason: {screen}");

    // A long one is taken: alice signs in with it.
    for c in "defghijklmnopq".chars() {
        press(&mut state, &worker, &mut replies, KeyCode::Char(c)).await;
    }
    press(&mut state, &worker, &mut replies, KeyCode::Enter).await;
    assert!(state.modal.is_none(), "{}", screen_of(&state));
    let app = server.create_app(support::web_app()).await;
    let url = server.authorize_url(&[
        ("response_type", "code"),
        ("client_id", &app.app.client_id),
        ("redirect_uri", support::WEB_REDIRECT),
        ("scope", "monitoring"),
    ]);
    let (_, location, page) = server
        .consent(&url, support::USERNAME, "abcdefghijklmnopq", "approve")
        .await;
    assert!(location.is_some(), "the new password signs in: {page}");
}

#[tokio::test]
async fn the_apps_list_and_details_show_when_an_app_was_last_used() {
    let (_server, mut state, worker, mut replies, _tokens) = console_with_active_tokens(3).await;
    let screen = screen_of(&state);
    assert!(screen.contains("Last used"), "{screen}");
    let client_id = state.apps.apps[0].client_id.clone();
    assert!(state.apps.last_used(&client_id).is_some(), "{screen}");
    press(&mut state, &worker, &mut replies, KeyCode::Enter).await;
    let screen = screen_of(&state);
    assert!(screen.contains("Issued in 24 h  3 tokens"), "{screen}");
    assert!(screen.contains("24h ago"), "{screen}");
}
