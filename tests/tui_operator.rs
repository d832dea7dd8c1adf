//! The console's operator features (issue 5): keymap overrides from the config, the `:`
//! palette, themes, read-only mode, the audit log tab and the secret grace period in
//! details. Driven through the real keymap and `update`, rendered on a `TestBackend`;
//! the last test runs against a real server through the real worker.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use oauth_console::api::AdminClient;
use oauth_console::config::{self, Config, ThemeName};
use oauth_console::domain::wire::{AppDetails, AuditPage, WhoAmI};
use oauth_console::domain::{AppDraft, AuditRecord, ClientApp, GrantType, Platform, Scope};
use oauth_console::tui::{
    Action, Command, StartOptions, State, Tab, apply_config, keymap, palette_entries, render,
    start, update,
};
use oauth_console::worker::{self, RequestId, WorkerReply, WorkerRequest};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use serde_json::json;
use std::path::Path;
use std::time::Duration;

/// Sat Nov 28 2026 12:00:00 UTC.
const NOW: i64 = 1_795_867_200;
const DAY: i64 = 86_400;
const PSA_ID: &str = "oc_a81XcV3bN7mL0kJ9hG5fD2sA4qW6eR8tY1u77pQ";
const BILLING_ID: &str = "oc_3fK9aL2mQx7RtY1uWv8ZbC4dE6fG0hJ5kN2pQm2";

fn app(id: &str, name: &str, platform: Platform) -> ClientApp {
    let (scopes, grants, urls) = match platform {
        Platform::Web => (
            vec![Scope::Monitoring, Scope::OfflineAccess],
            vec![GrantType::AuthorizationCode, GrantType::RefreshToken],
            vec!["https://psa.example.com/oauth/callback".to_string()],
        ),
        _ => (
            vec![Scope::Monitoring],
            vec![GrantType::ClientCredentials],
            Vec::new(),
        ),
    };
    ClientApp {
        client_id: id.into(),
        name: name.into(),
        platform,
        redirect_urls: urls,
        scopes,
        grant_types: grants,
        secret_hash: None,
        previous_secret_hash: None,
        previous_secret_expires_at: None,
        created_at: NOW - DAY,
        updated_at: NOW - DAY,
        access_token_ttl: None,
        refresh_token_ttl: None,
    }
}

fn sample_apps() -> Vec<ClientApp> {
    vec![
        app(BILLING_ID, "Billing sync", Platform::ApiServices),
        app(PSA_ID, "PSA connector", Platform::Web),
    ]
}

fn record(
    id: i64,
    ago: i64,
    action: &str,
    target: &str,
    before: Option<serde_json::Value>,
    after: Option<serde_json::Value>,
) -> AuditRecord {
    AuditRecord {
        id,
        at: NOW - ago,
        actor: "default".into(),
        action: action.into(),
        target: target.into(),
        before,
        after,
    }
}

fn sample_audit() -> Vec<AuditRecord> {
    vec![
        record(
            3,
            60,
            "app.update",
            PSA_ID,
            Some(
                json!({"client_id": PSA_ID, "name": "PSA", "scopes": ["monitoring"], "updated_at": NOW - DAY}),
            ),
            Some(
                json!({"client_id": PSA_ID, "name": "PSA connector", "scopes": ["monitoring"], "updated_at": NOW - 60}),
            ),
        ),
        record(2, 3600, "app.rotate_secret", PSA_ID, None, None),
        record(
            1,
            DAY,
            "app.create",
            BILLING_ID,
            None,
            Some(
                json!({"client_id": BILLING_ID, "name": "Billing sync", "platform": "api_services", "secret_hash": "never shown"}),
            ),
        ),
    ]
}

/// A console as the runtime drives it: actions in, commands out.
struct Console {
    state: State,
    commands: Vec<Command>,
}

impl Console {
    fn with(
        width: u16,
        height: u16,
        config: &Config,
        options: &StartOptions,
    ) -> (Console, Vec<String>) {
        let mut state = State::new("embedded · http://127.0.0.1:41823", NOW, false);
        let warnings = apply_config(&mut state, config, options)
            .into_iter()
            .map(|w| w.to_string())
            .collect();
        update(&mut state, Action::Resize { width, height });
        let commands = start(&mut state);
        let mut console = Console { state, commands };
        console.reply(
            |r| matches!(r, WorkerRequest::WhoAmI),
            WorkerReply::WhoAmI(Ok(WhoAmI {
                name: "default".into(),
                read_only: false,
            })),
        );
        console.reply(
            |r| matches!(r, WorkerRequest::LoadApps),
            WorkerReply::Apps(Ok(sample_apps())),
        );
        (console, warnings)
    }

    fn new(width: u16, height: u16) -> Console {
        Console::with(width, height, &Config::default(), &StartOptions::default()).0
    }

    fn read_only(width: u16, height: u16) -> Console {
        let options = StartOptions {
            read_only_flag: true,
            ..StartOptions::default()
        };
        Console::with(width, height, &Config::default(), &options).0
    }

    fn act(&mut self, action: Action) {
        let commands = update(&mut self.state, action);
        self.commands.extend(commands);
    }

    fn press(&mut self, code: KeyCode, modifiers: KeyModifiers) {
        let action = keymap::action_for_key(&self.state, &KeyEvent::new(code, modifiers));
        if let Some(action) = action {
            self.act(action);
        }
    }

    fn key(&mut self, c: char) {
        self.press(KeyCode::Char(c), KeyModifiers::NONE);
    }

    fn keys(&mut self, text: &str) {
        text.chars().for_each(|c| self.key(c));
    }

    fn special(&mut self, code: KeyCode) {
        self.press(code, KeyModifiers::NONE);
    }

    fn last_request(
        &self,
        matches: impl Fn(&WorkerRequest) -> bool,
    ) -> Option<(RequestId, WorkerRequest)> {
        self.commands.iter().rev().find_map(|c| match c {
            Command::Worker(id, request) if matches(request) => Some((*id, request.clone())),
            _ => None,
        })
    }

    fn reply(&mut self, matches: impl Fn(&WorkerRequest) -> bool, reply: WorkerReply) {
        let (id, _) = self
            .last_request(matches)
            .expect("no such request was sent");
        self.act(Action::WorkerReply(id, reply));
    }

    fn open_audit(&mut self, records: Vec<AuditRecord>, next_cursor: Option<String>) {
        self.key('4');
        self.reply(
            |r| matches!(r, WorkerRequest::LoadAudit(_)),
            WorkerReply::Audit(Ok(AuditPage {
                records,
                next_cursor,
            })),
        );
    }

    fn draw(&self) -> Terminal<TestBackend> {
        let mut terminal =
            Terminal::new(TestBackend::new(self.state.width, self.state.height)).unwrap();
        terminal.draw(|frame| render(&self.state, frame)).unwrap();
        terminal
    }

    fn screen_text(&self) -> String {
        let terminal = self.draw();
        let buffer = terminal.backend().buffer();
        let mut out = String::new();
        for y in 0..buffer.area.height {
            for x in 0..buffer.area.width {
                out.push_str(buffer[(x, y)].symbol());
            }
            out.push('\n');
        }
        out
    }

    fn footer(&self) -> String {
        self.screen_text()
            .lines()
            .last()
            .unwrap_or_default()
            .to_string()
    }
}

fn snapshot_both(name: &str, make: impl Fn(u16, u16) -> Console, setup: impl Fn(&mut Console)) {
    for (width, height) in [(80, 24), (120, 36)] {
        let mut console = make(width, height);
        setup(&mut console);
        insta::assert_snapshot!(format!("{name}_{width}x{height}"), console.draw().backend());
    }
}

fn config_with_keys(text: &str) -> Config {
    config::parse(Path::new("config.toml"), text).unwrap()
}

// --- Snapshots -------------------------------------------------------------------

#[test]
fn palette_lists_every_action_of_the_screen_with_its_keys() {
    snapshot_both("palette_empty", Console::new, |c| c.key(':'));
}

#[test]
fn palette_narrows_to_fuzzy_matches_as_you_type() {
    snapshot_both("palette_filtered", Console::new, |c| {
        c.key(':');
        c.keys("rot");
    });
}

#[test]
fn audit_tab_lists_who_did_what_with_a_change_summary() {
    snapshot_both("audit_tab", Console::new, |c| {
        c.open_audit(sample_audit(), Some("cursor-2".into()));
    });
}

#[test]
fn audit_record_dialog_shows_before_and_after_without_unknown_fields() {
    snapshot_both("audit_record", Console::new, |c| {
        c.open_audit(sample_audit(), None);
        c.special(KeyCode::Enter);
    });
    let mut c = Console::new(120, 36);
    c.open_audit(sample_audit(), None);
    c.keys("G");
    c.special(KeyCode::Enter);
    let screen = c.screen_text();
    assert!(screen.contains("Billing sync"), "{screen}");
    assert!(
        !screen.contains("never shown") && !screen.contains("secret_hash"),
        "{screen}"
    );
}

#[test]
fn read_only_footer_has_no_writing_keys() {
    snapshot_both("read_only_apps", Console::read_only, |_| {});
}

#[test]
fn read_only_help_lists_no_writing_keys() {
    snapshot_both("read_only_help", Console::read_only, |c| c.key('?'));
}

fn psa_in_grace() -> ClientApp {
    let mut psa = app(PSA_ID, "PSA connector", Platform::Web);
    psa.previous_secret_expires_at = Some(NOW + DAY - 60);
    psa
}

fn open_details_in_grace(c: &mut Console) {
    c.keys("j");
    c.special(KeyCode::Enter);
    c.reply(
        |r| matches!(r, WorkerRequest::LoadAppDetails { .. }),
        WorkerReply::AppDetails(Ok(AppDetails {
            app: psa_in_grace(),
            active_tokens: 2,
        })),
    );
}

#[test]
fn details_count_down_the_old_secrets_grace_period() {
    snapshot_both("details_grace", Console::new, open_details_in_grace);
    let mut c = Console::new(120, 36);
    open_details_in_grace(&mut c);
    assert!(c.screen_text().contains("(in 23h 59m)"));
    c.act(Action::Tick {
        now: NOW + 2 * 3600,
    });
    assert!(c.screen_text().contains("(in 21h 59m)"));
}

// --- Behaviour ---------------------------------------------------------------------

#[test]
fn a_key_override_rebinds_the_action_everywhere_it_is_shown() {
    let config = config_with_keys("[keys]\ncopy_id = \"c\"\n");
    let (mut c, warnings) = Console::with(120, 36, &config, &StartOptions::default());
    assert!(warnings.is_empty(), "{warnings:?}");
    c.key('y');
    assert!(
        c.commands
            .iter()
            .all(|cmd| !matches!(cmd, Command::CopyToClipboard { .. }))
    );
    c.key('c');
    assert!(
        matches!(c.commands.last(), Some(Command::CopyToClipboard { what, .. }) if what == "Client ID")
    );
    assert!(c.footer().contains("c copy ID"), "{}", c.footer());
    c.key('?');
    let help = c.screen_text();
    assert!(help.contains("c       copy ID"), "{help}");
    assert!(!help.contains("y       copy ID"), "{help}");
}

#[test]
fn unknown_actions_and_conflicts_are_warned_about_and_not_applied() {
    let config =
        config_with_keys("[keys]\nfrobnicate = \"x\"\ndelete = \"n\"\nsave = \"ctrl-banana\"\n");
    let (mut c, warnings) = Console::with(80, 24, &config, &StartOptions::default());
    assert_eq!(warnings.len(), 3, "{warnings:?}");
    assert!(
        warnings.iter().any(|w| w.contains("frobnicate")),
        "{warnings:?}"
    );
    assert!(
        warnings
            .iter()
            .any(|w| w.contains("delete") && w.contains("new_app")),
        "{warnings:?}"
    );
    assert!(
        warnings.iter().any(|w| w.contains("ctrl-banana")),
        "{warnings:?}"
    );
    // The first warning is a toast too.
    assert!(
        c.state
            .toast
            .as_ref()
            .is_some_and(|t| t.text.contains("+2 more"))
    );
    // `d` still deletes and `n` still makes a new app.
    c.key('d');
    assert!(c.screen_text().contains("Delete “Billing sync”?"));
    c.key('n');
    c.key('n');
    assert!(c.state.form.is_some());
}

#[test]
fn swapping_two_keys_is_not_a_conflict() {
    let config = config_with_keys("[keys]\ndelete = \"y\"\ncopy_id = \"d\"\n");
    let (mut c, warnings) = Console::with(80, 24, &config, &StartOptions::default());
    assert!(warnings.is_empty(), "{warnings:?}");
    c.key('d');
    assert!(matches!(
        c.commands.last(),
        Some(Command::CopyToClipboard { .. })
    ));
}

#[test]
fn read_only_refuses_delete_with_a_toast_and_sends_nothing() {
    let mut c = Console::read_only(120, 36);
    assert!(
        c.screen_text()
            .lines()
            .next()
            .unwrap()
            .contains("read-only")
    );
    let sent = c.commands.len();
    c.key('d');
    c.key('n');
    c.key('S');
    assert_eq!(c.commands.len(), sent);
    assert!(c.state.modal.is_none() && c.state.form.is_none());
    assert!(c.state.toast.as_ref().unwrap().text.contains("read-only"));
    // The row's delete button is gone; a click where it is in a read-write console
    // does nothing.
    let screen = c.screen_text();
    assert!(!screen.contains("d Delete"), "{screen}");
    let writable = Console::new(120, 36).screen_text();
    let (row, line) = writable
        .lines()
        .enumerate()
        .find(|(_, l)| l.contains("d Delete"))
        .unwrap();
    let column = line[..line.find("d Delete").unwrap()].chars().count() as u16;
    c.act(Action::MouseClicked {
        column,
        row: row as u16,
    });
    assert_eq!(c.commands.len(), sent);
    assert!(c.state.modal.is_none());
}

#[test]
fn whoami_of_a_read_only_key_switches_the_console_to_read_only() {
    let mut c = Console::new(80, 24);
    assert!(c.footer().contains("n new"));
    c.act(Action::Refresh);
    let commands = start(&mut c.state);
    c.commands.extend(commands);
    c.reply(
        |r| matches!(r, WorkerRequest::WhoAmI),
        WorkerReply::WhoAmI(Ok(WhoAmI {
            name: "auditor".into(),
            read_only: true,
        })),
    );
    assert!(c.state.read_only);
    assert!(!c.footer().contains("n new"), "{}", c.footer());
    assert!(c.screen_text().contains("read-only"));
}

#[test]
fn the_palette_runs_the_chosen_action() {
    let mut c = Console::new(80, 24);
    c.key(':');
    c.keys("copy");
    c.special(KeyCode::Enter);
    assert!(c.state.palette.is_none());
    assert!(
        matches!(c.commands.last(), Some(Command::CopyToClipboard { text, .. }) if text == BILLING_ID)
    );
    c.key(':');
    c.keys("audit");
    c.special(KeyCode::Enter);
    assert_eq!(c.state.tab, Tab::AuditLog);
    c.key(':');
    c.special(KeyCode::Esc);
    assert!(c.state.palette.is_none());
}

#[test]
fn read_only_palette_offers_no_writing_actions() {
    let mut c = Console::read_only(80, 24);
    c.key(':');
    let names: Vec<&str> = palette_entries(&c.state).iter().map(|e| e.name).collect();
    assert!(names.contains(&"copy_id"), "{names:?}");
    for write in ["new_app", "edit", "delete", "rotate_secret"] {
        assert!(!names.contains(&write), "{write} offered: {names:?}");
    }
}

#[test]
fn config_profile_theme_and_no_color_reach_the_state() {
    let config = config_with_keys(
        "theme = \"light\"\n[profiles.prod]\nserver = \"https://auth.example.com\"\nread_only = true\n",
    );
    let options = StartOptions {
        profile: Some("prod".into()),
        ..StartOptions::default()
    };
    let (c, _) = Console::with(120, 36, &config, &options);
    assert_eq!(c.state.theme, ThemeName::Light);
    assert!(!c.state.monochrome);
    assert!(c.state.read_only);
    let header = c.screen_text().lines().next().unwrap().to_string();
    assert!(
        header.contains("[prod]") && header.contains("read-only"),
        "{header}"
    );
    let no_color = StartOptions {
        no_color: true,
        ..options
    };
    let (c, _) = Console::with(80, 24, &config, &no_color);
    assert!(c.state.monochrome);
}

#[test]
fn audit_log_loads_the_next_page_at_the_end_and_filters() {
    let mut c = Console::new(80, 24);
    c.open_audit(sample_audit(), Some("next-page".into()));
    c.keys("jj");
    let (_, request) = c
        .last_request(|r| matches!(r, WorkerRequest::LoadAudit(_)))
        .unwrap();
    let WorkerRequest::LoadAudit(filter) = request else {
        unreachable!()
    };
    assert_eq!(filter.cursor.as_deref(), Some("next-page"));
    c.reply(
        |r| matches!(r, WorkerRequest::LoadAudit(_)),
        WorkerReply::Audit(Ok(AuditPage {
            records: vec![record(
                0,
                2 * DAY,
                "admin_key.create",
                "auditor",
                None,
                Some(json!({"name": "auditor", "read_only": true})),
            )],
            next_cursor: None,
        })),
    );
    assert_eq!(c.state.audit.records.len(), 4);
    assert!(c.screen_text().contains("admin_key.create"));
    c.key('/');
    c.keys("rotate");
    assert_eq!(c.state.audit.visible.len(), 1);
    assert!(!c.screen_text().contains("app.create"));
}

#[test]
fn ending_the_grace_period_asks_first_then_asks_the_server() {
    let mut c = Console::new(80, 24);
    open_details_in_grace(&mut c);
    c.key('X');
    assert!(c.screen_text().contains("Stop accepting the old secret"));
    c.key('y');
    let (_, request) = c
        .last_request(|r| matches!(r, WorkerRequest::EndSecretGrace { .. }))
        .unwrap();
    assert_eq!(
        request,
        WorkerRequest::EndSecretGrace {
            client_id: PSA_ID.into()
        }
    );
    c.reply(
        |r| matches!(r, WorkerRequest::EndSecretGrace { .. }),
        WorkerReply::SecretGraceEnded {
            client_id: PSA_ID.into(),
            result: Ok(app(PSA_ID, "PSA connector", Platform::Web)),
        },
    );
    assert!(
        c.state
            .toast
            .as_ref()
            .unwrap()
            .text
            .contains("no longer works")
    );
}

// --- Against a real server ---------------------------------------------------------

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

#[test]
fn rebinding_quit_and_help_keeps_ctrl_c_and_esc_as_ways_out() {
    let config = config_with_keys("[keys]\nquit = \"Q\"\nhelp = \"f1\"\n");
    let (mut c, warnings) = Console::with(80, 24, &config, &StartOptions::default());
    assert!(warnings.is_empty(), "{warnings:?}");
    c.key('q');
    assert!(!c.state.quit, "q no longer quits");
    c.special(KeyCode::F(1));
    assert!(c.state.help_open);
    c.special(KeyCode::Esc);
    assert!(!c.state.help_open);
    c.press(KeyCode::Char('c'), KeyModifiers::CONTROL);
    assert!(c.state.quit);
}

#[test]
fn the_runtime_keeps_ticking_while_details_count_down_a_grace_period() {
    let mut c = Console::new(80, 24);
    c.act(Action::Tick { now: NOW + 10 });
    assert!(!c.state.wants_tick());
    open_details_in_grace(&mut c);
    assert!(c.state.wants_tick());
}

#[test]
fn a_failed_audit_load_says_why_instead_of_loading_forever() {
    let mut c = Console::new(80, 24);
    c.key('4');
    c.reply(
        |r| matches!(r, WorkerRequest::LoadAudit(_)),
        WorkerReply::Audit(Err(oauth_console::api::ApiError::Unreachable {
            url: "http://127.0.0.1:9".into(),
            reason: "connection refused".into(),
        })),
    );
    let screen = c.screen_text();
    assert!(screen.contains("Could not load the audit log"), "{screen}");
    assert!(!screen.contains("Loading the audit log"), "{screen}");
}
