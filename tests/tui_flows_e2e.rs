//! Getting tokens from the console end to end: a real server in a TempDir, the real
//! worker, and the console's state machine driven by key presses through the keymap
//! and `update`, with the worker's real answers fed back.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use oauth_console::domain::{GrantType, Platform, Scope, TokenKind};
use oauth_console::tui::{Action, Command, FlowDialog, State, keymap, start, update};
use oauth_console::worker::{RequestId, WorkerHandle, WorkerReply, spawn};
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use std::time::{Duration, Instant};
use support::*;
use tokio::sync::mpsc::UnboundedReceiver;

fn now() -> i64 {
    time::OffsetDateTime::now_utc().unix_timestamp()
}

/// The console as the runtime drives it, minus the terminal: commands go to the real
/// worker, its answers come back through `update`.
struct Console {
    state: State,
    worker: WorkerHandle,
    replies: UnboundedReceiver<(RequestId, WorkerReply)>,
    copied: Vec<String>,
}

impl Console {
    fn new(t: &TestServer) -> Console {
        let (worker, replies) = spawn(t.admin.clone());
        let mut state = State::new("e2e", now(), false);
        update(
            &mut state,
            Action::Resize {
                width: 120,
                height: 36,
            },
        );
        let commands = start(&mut state);
        let mut console = Console {
            state,
            worker,
            replies,
            copied: Vec::new(),
        };
        console.run(commands);
        console
    }

    fn run(&mut self, commands: Vec<Command>) {
        for command in commands {
            match command {
                Command::Worker(id, request) => assert!(self.worker.send(id, request)),
                Command::CopyToClipboard { text, .. } => self.copied.push(text),
                _ => {}
            }
        }
    }

    fn act(&mut self, action: Action) {
        let commands = update(&mut self.state, action);
        self.run(commands);
    }

    fn press(&mut self, code: KeyCode) {
        let key = KeyEvent::new(code, KeyModifiers::NONE);
        if let Some(action) = keymap::action_for_key(&self.state, &key) {
            self.act(action);
        }
    }

    fn key(&mut self, c: char) {
        self.press(KeyCode::Char(c));
    }

    /// Feeds the worker's answers to `update` until `done` holds.
    async fn until(&mut self, what: &str, done: impl Fn(&State) -> bool) {
        let deadline = Instant::now() + Duration::from_secs(40);
        while !done(&self.state) {
            let left = deadline.saturating_duration_since(Instant::now());
            assert!(!left.is_zero(), "timed out waiting for {what}");
            let wait = left.min(Duration::from_millis(500));
            if let Ok(Some((id, reply))) = tokio::time::timeout(wait, self.replies.recv()).await {
                self.act(Action::WorkerReply(id, reply));
            }
            self.act(Action::Tick { now: now() });
        }
    }

    async fn select_app(&mut self, client_id: &str) {
        let id = client_id.to_string();
        self.until("the apps", |s| s.apps.get(&id).is_some()).await;
        for _ in 0..20 {
            if self.state.apps.selected().map(|a| a.client_id.as_str()) == Some(client_id) {
                return;
            }
            self.key('j');
        }
        panic!("app {client_id} not in the list");
    }
}

/// Whether the tokens list (as last reloaded) has an active `kind` token of `client_id`.
fn listed_active(state: &State, client_id: &str, kind: TokenKind) -> bool {
    state
        .tokens
        .tokens
        .iter()
        .any(|t| t.client_id == client_id && t.kind == kind && t.is_active(state.now))
}

#[tokio::test]
async fn client_credentials_from_the_console_give_a_token_the_server_lists_as_active() {
    let t = TestServer::start().await;
    let created = t.create_app(api_app()).await;
    let client_id = created.app.client_id.clone();
    let secret = created.client_secret.clone().unwrap();
    let mut c = Console::new(&t);
    c.select_app(&client_id).await;

    c.key('t');
    // Enter without the secret asks for it and moves there.
    c.press(KeyCode::Enter);
    assert!(matches!(c.state.flows.dialog, Some(FlowDialog::Setup(_))));
    for ch in secret.chars() {
        c.key(ch);
    }
    c.press(KeyCode::Enter);
    c.until("the token in this session", |s| !s.flows.session.is_empty())
        .await;
    let id = client_id.clone();
    c.until("the reloaded tokens list", |s| {
        listed_active(s, &id, TokenKind::Access)
    })
    .await;
    let obtained = c.state.flows.session[0].tokens.access_token.clone();
    assert!(t.is_active(obtained.expose()).await);

    // Copy puts the whole token on the clipboard.
    c.key('y');
    assert_eq!(c.copied.last().map(String::as_str), Some(obtained.expose()));

    // Introspection answers through the dialog.
    c.key('i');
    c.until(
        "the introspection answer",
        |s| matches!(&s.flows.dialog, Some(FlowDialog::Introspection(i)) if i.answer.is_some()),
    )
    .await;
    match &c.state.flows.dialog {
        Some(FlowDialog::Introspection(shown)) => {
            let answer = shown.answer.clone().unwrap().unwrap();
            assert!(answer.active);
            assert_eq!(answer.client_id.as_deref(), Some(client_id.as_str()));
        }
        _ => unreachable!(),
    }
    c.press(KeyCode::Esc);

    // Revocation as the client (RFC 7009) ends it on the server too.
    c.key('x');
    c.until("the revocation", |s| s.flows.session[0].revoked)
        .await;
    let id = client_id.clone();
    c.until("the list to show it revoked", |s| {
        !listed_active(s, &id, TokenKind::Access)
    })
    .await;
    assert!(!t.is_active(obtained.expose()).await);
}

/// Opens the device page and approves `user_code` as alice, as a browser would.
async fn approve_on_device_page(t: &TestServer, page_url: &str, user_code: &str) {
    let (status, page) = t
        .answer_device(page_url, user_code, PASSWORD, "approve")
        .await;
    assert!(status.is_success(), "{status}: {page}");
    assert!(page.contains("Device connected"), "{page}");
}

#[tokio::test]
async fn device_flow_from_the_console_gets_tokens_once_approved_and_refresh_rotates_them() {
    let t = TestServer::start_with_user().await;
    let created = t
        .create_app(draft(
            Platform::Native,
            &[],
            &[Scope::Monitoring, Scope::OfflineAccess],
            &[GrantType::DeviceCode, GrantType::RefreshToken],
        ))
        .await;
    let client_id = created.app.client_id.clone();
    let mut c = Console::new(&t);
    c.select_app(&client_id).await;

    c.key('t');
    c.press(KeyCode::Enter);
    c.until(
        "the device code",
        |s| matches!(&s.flows.dialog, Some(FlowDialog::Device(d)) if d.code.is_some()),
    )
    .await;
    let (user_code, page) = match &c.state.flows.dialog {
        Some(FlowDialog::Device(device)) => {
            let code = device.code.as_ref().unwrap();
            (code.user_code.clone(), code.verification_uri.clone())
        }
        _ => unreachable!(),
    };
    // The console keeps answering keys while it waits.
    c.key('c');
    assert_eq!(c.copied.last(), Some(&user_code));

    approve_on_device_page(&t, &page, &user_code).await;
    c.until("the approved tokens", |s| !s.flows.session.is_empty())
        .await;
    assert!(c.state.flows.dialog.is_none());
    let id = client_id.clone();
    c.until("the reloaded tokens list", |s| {
        listed_active(s, &id, TokenKind::Access) && listed_active(s, &id, TokenKind::Refresh)
    })
    .await;

    // Refresh: the rotated refresh token replaces the old one, which the list then
    // shows revoked.
    let old_refresh = c.state.flows.session[0]
        .tokens
        .refresh_token
        .clone()
        .unwrap();
    c.key('f');
    c.until("the refresh", |s| s.flows.session[0].refreshes == 1)
        .await;
    let new_refresh = c.state.flows.session[0]
        .tokens
        .refresh_token
        .clone()
        .unwrap();
    assert_ne!(new_refresh, old_refresh);
    let id = client_id.clone();
    c.until("the old refresh token to show revoked", |s| {
        let refresh: Vec<_> = s
            .tokens
            .tokens
            .iter()
            .filter(|t| t.client_id == id && t.kind == TokenKind::Refresh)
            .collect();
        refresh.len() == 2 && refresh.iter().filter(|t| t.is_active(s.now)).count() == 1
    })
    .await;
}

/// The authorize URL the waiting screen shows, once it arrived.
async fn shown_authorize_url(c: &mut Console) -> url::Url {
    c.until(
        "the authorize URL",
        |s| matches!(&s.flows.dialog, Some(FlowDialog::Browser(w)) if w.url.is_some()),
    )
    .await;
    match &c.state.flows.dialog {
        Some(FlowDialog::Browser(waiting)) => {
            url::Url::parse(waiting.url.as_ref().unwrap()).unwrap()
        }
        _ => unreachable!(),
    }
}

#[tokio::test]
async fn authorization_code_from_the_console_finishes_when_the_browser_reaches_the_listener() {
    let t = TestServer::start_with_user().await;
    let created = t.create_app(native_app()).await;
    let client_id = created.app.client_id.clone();
    let mut c = Console::new(&t);
    c.select_app(&client_id).await;
    c.key('t');
    c.press(KeyCode::Enter);
    let authorize = shown_authorize_url(&mut c).await;
    assert!(matches!(
        &c.state.flows.dialog,
        Some(FlowDialog::Browser(w)) if matches!(w.capture, Some(oauth_console::worker::RedirectCapture::Listening { .. }))
    ));
    // The browser: consent, then follow the redirect to the console's listener.
    let (_, location, page) = t.consent(&authorize, USERNAME, PASSWORD, "approve").await;
    let location = location.unwrap_or_else(|| panic!("no redirect: {page}"));
    assert_eq!(location.host_str(), Some("127.0.0.1"));
    let landed = t.http.get(location).send().await.unwrap();
    assert!(landed.status().is_success(), "{}", landed.status());
    c.until("the tokens", |s| !s.flows.session.is_empty()).await;
    let id = client_id.clone();
    c.until("the reloaded tokens list", |s| {
        listed_active(s, &id, TokenKind::Access)
    })
    .await;
}

#[tokio::test]
async fn a_web_app_flow_finishes_with_the_pasted_redirect_after_refusing_a_forged_one() {
    let t = TestServer::start_with_user().await;
    let created = t.create_app(web_app()).await;
    let client_id = created.app.client_id.clone();
    let secret = created.client_secret.clone().unwrap();
    let mut c = Console::new(&t);
    c.select_app(&client_id).await;
    c.key('t');
    c.press(KeyCode::Enter); // asks for the secret
    for ch in secret.chars() {
        c.key(ch);
    }
    c.press(KeyCode::Enter);
    let authorize = shown_authorize_url(&mut c).await;
    let (_, location, page) = t.consent(&authorize, USERNAME, PASSWORD, "approve").await;
    let location = location.unwrap_or_else(|| panic!("no redirect: {page}"));

    // A redirect with another state is refused inline; the flow keeps waiting.
    let mut forged = location.clone();
    let pairs: Vec<(String, String)> = location
        .query_pairs()
        .map(|(k, v)| {
            let v = if k == "state" {
                "forged".to_string()
            } else {
                v.into_owned()
            };
            (k.into_owned(), v)
        })
        .collect();
    forged.query_pairs_mut().clear().extend_pairs(pairs);
    c.key('p');
    c.act(Action::Paste(forged.to_string()));
    c.press(KeyCode::Enter);
    c.until(
        "the refusal",
        |s| matches!(&s.flows.dialog, Some(FlowDialog::Browser(w)) if w.rejected.is_some()),
    )
    .await;

    // The real one finishes it.
    for _ in 0..forged.as_str().chars().count() {
        c.press(KeyCode::Backspace);
    }
    c.act(Action::Paste(location.to_string()));
    c.press(KeyCode::Enter);
    c.until("the tokens", |s| !s.flows.session.is_empty()).await;
    assert!(c.state.flows.session[0].tokens.refresh_token.is_some());
    // The secret that worked is remembered for the next flow of this app.
    c.key('1');
    c.key('t');
    match &c.state.flows.dialog {
        Some(FlowDialog::Setup(setup)) => assert!(!setup.asks_secret()),
        _ => panic!("no Get token dialog"),
    }
}
