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
    update(
        &mut state,
        Action::Resize {
            width: 120,
            height: 36,
        },
    );
    let commands = start(&mut state);
    pump(&mut state, &worker, &mut replies, commands).await;
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
    let mut terminal = Terminal::new(TestBackend::new(120, 36)).unwrap();
    terminal.draw(|frame| render(&state, frame)).unwrap();
    let screen: String = terminal
        .backend()
        .buffer()
        .content()
        .iter()
        .map(|c| c.symbol())
        .collect();
    assert!(screen.contains("app.create"), "{screen}");
    assert!(screen.contains("created “Nightly export”"), "{screen}");
    assert!(screen.contains("read-only"), "{screen}");
}
