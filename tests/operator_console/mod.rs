//! The console as the runtime drives it, with sample apps and audit records, for the
//! operator-feature tests.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use oauth_console::config::{self, Config};
use oauth_console::domain::wire::{AppDetails, AuditPage, WhoAmI};
use oauth_console::domain::{AuditRecord, ClientApp, GrantType, Platform, Scope};
use oauth_console::tui::{
    Action, Command, StartOptions, State, apply_config, keymap, render, start, update,
};
use oauth_console::worker::{RequestId, WorkerReply, WorkerRequest};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use serde_json::json;
use std::path::Path;

/// Sat Nov 28 2026 12:00:00 UTC.
pub const NOW: i64 = 1_795_867_200;
pub const DAY: i64 = 86_400;
pub const PSA_ID: &str = "oc_a81XcV3bN7mL0kJ9hG5fD2sA4qW6eR8tY1u77pQ";
pub const BILLING_ID: &str = "oc_3fK9aL2mQx7RtY1uWv8ZbC4dE6fG0hJ5kN2pQm2";

pub fn app(id: &str, name: &str, platform: Platform) -> ClientApp {
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

/// Apps as the server lists them (no usage yet).
pub fn listed(apps: Vec<ClientApp>) -> Vec<oauth_console::domain::ListedApp> {
    apps.into_iter()
        .map(|app| oauth_console::domain::ListedApp {
            app,
            usage: Default::default(),
            active_tokens: 0,
        })
        .collect()
}

pub fn sample_apps() -> Vec<ClientApp> {
    vec![
        app(BILLING_ID, "Billing sync", Platform::ApiServices),
        app(PSA_ID, "PSA connector", Platform::Web),
    ]
}

pub fn record(
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

pub fn sample_audit() -> Vec<AuditRecord> {
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
pub struct Console {
    pub state: State,
    pub commands: Vec<Command>,
}

impl Console {
    pub fn with(
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
            WorkerReply::Apps(Ok(listed(sample_apps()))),
        );
        (console, warnings)
    }

    pub fn new(width: u16, height: u16) -> Console {
        Console::with(width, height, &Config::default(), &StartOptions::default()).0
    }

    pub fn read_only(width: u16, height: u16) -> Console {
        let options = StartOptions {
            read_only_flag: true,
            ..StartOptions::default()
        };
        Console::with(width, height, &Config::default(), &options).0
    }

    pub fn act(&mut self, action: Action) {
        let commands = update(&mut self.state, action);
        self.commands.extend(commands);
    }

    pub fn press(&mut self, code: KeyCode, modifiers: KeyModifiers) {
        let action = keymap::action_for_key(&self.state, &KeyEvent::new(code, modifiers));
        if let Some(action) = action {
            self.act(action);
        }
    }

    pub fn key(&mut self, c: char) {
        self.press(KeyCode::Char(c), KeyModifiers::NONE);
    }

    pub fn keys(&mut self, text: &str) {
        text.chars().for_each(|c| self.key(c));
    }

    pub fn special(&mut self, code: KeyCode) {
        self.press(code, KeyModifiers::NONE);
    }

    pub fn last_request(
        &self,
        matches: impl Fn(&WorkerRequest) -> bool,
    ) -> Option<(RequestId, WorkerRequest)> {
        self.commands.iter().rev().find_map(|c| match c {
            Command::Worker(id, request) if matches(request) => Some((*id, request.clone())),
            _ => None,
        })
    }

    pub fn reply(&mut self, matches: impl Fn(&WorkerRequest) -> bool, reply: WorkerReply) {
        let (id, _) = self
            .last_request(matches)
            .expect("no such request was sent");
        self.act(Action::WorkerReply(id, reply));
    }

    pub fn open_audit(&mut self, records: Vec<AuditRecord>, next_cursor: Option<String>) {
        self.key('4');
        self.reply(
            |r| matches!(r, WorkerRequest::LoadAudit(_)),
            WorkerReply::Audit(Ok(AuditPage {
                records,
                next_cursor,
            })),
        );
    }

    pub fn draw(&self) -> Terminal<TestBackend> {
        let mut terminal =
            Terminal::new(TestBackend::new(self.state.width, self.state.height)).unwrap();
        terminal.draw(|frame| render(&self.state, frame)).unwrap();
        terminal
    }

    pub fn screen_text(&self) -> String {
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

    pub fn footer(&self) -> String {
        self.screen_text()
            .lines()
            .last()
            .unwrap_or_default()
            .to_string()
    }
}

pub fn config_with_keys(text: &str) -> Config {
    config::parse(Path::new("config.toml"), text).unwrap()
}

pub fn psa_in_grace() -> ClientApp {
    let mut psa = app(PSA_ID, "PSA connector", Platform::Web);
    psa.previous_secret_expires_at = Some(NOW + DAY - 60);
    psa
}

pub fn open_details_in_grace(c: &mut Console) {
    c.keys("j");
    c.special(KeyCode::Enter);
    c.reply(
        |r| matches!(r, WorkerRequest::LoadAppDetails { .. }),
        WorkerReply::AppDetails(Ok(AppDetails {
            app: psa_in_grace(),
            active_tokens: 2,
            usage: Default::default(),
            hourly_issued: Vec::new(),
        })),
    );
}
