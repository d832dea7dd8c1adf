//! The console driven as its screen tests drive it: sample apps and tokens at a fixed
//! moment, and a `Console` that feeds keys through the real keymap and `update`,
//! answers the worker's requests as the worker would, and renders on a `TestBackend`.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use oauth_console::domain::wire::WhoAmI;
use oauth_console::domain::{
    AppUsage, ClientApp, GrantType, ListedApp, Platform, Scope, TokenKind, TokenRecord, UserGrant,
    UserSummary,
};
use oauth_console::tui::{Action, Command, State, keymap, render, start, update};
use oauth_console::worker::{RequestId, WorkerReply, WorkerRequest};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

/// Sat Nov 28 2026 12:00:00 UTC: every screen is drawn at this moment.
pub const NOW: i64 = 1_795_867_200;
pub const DAY: i64 = 86_400;

pub fn app(
    id: &str,
    name: &str,
    platform: Platform,
    scopes: &[Scope],
    grants: &[GrantType],
    age_days: i64,
) -> ClientApp {
    ClientApp {
        client_id: id.to_string(),
        name: name.to_string(),
        platform,
        redirect_urls: match platform {
            Platform::Web => vec!["https://psa.example.com/oauth/callback".into()],
            Platform::SinglePage => vec!["https://portal.example.com/cb".into()],
            _ => Vec::new(),
        },
        scopes: scopes.to_vec(),
        grant_types: grants.to_vec(),
        secret_hash: None,
        previous_secret_hash: None,
        previous_secret_expires_at: None,
        created_at: NOW - age_days * DAY,
        updated_at: NOW - age_days * DAY,
        access_token_ttl: None,
        refresh_token_ttl: None,
    }
}

pub const BILLING_ID: &str = "oc_3fK9aL2mQx7RtY1uWv8ZbC4dE6fG0hJ5kN2pQm2";
pub const PSA_ID: &str = "oc_a81XcV3bN7mL0kJ9hG5fD2sA4qW6eR8tY1u77pQ";
pub const ASSET_ID: &str = "oc_Zq0wE1rT2yU3iO4pA5sD6fG7hJ8kL9zX0cV19cT";
pub const LEGACY_ID: &str = "oc_Pp4sQ9wE8rT7yU6iO5pA4sD3fG2hJ1kL0zX0aaB";

pub fn sample_apps() -> Vec<ClientApp> {
    use GrantType::*;
    use Scope::*;
    vec![
        app(
            BILLING_ID,
            "Billing sync",
            Platform::ApiServices,
            &[Monitoring],
            &[ClientCredentials],
            0,
        ),
        app(
            PSA_ID,
            "PSA connector",
            Platform::Web,
            &[Monitoring, Management, OfflineAccess],
            &[AuthorizationCode, RefreshToken],
            1,
        ),
        app(
            ASSET_ID,
            "Asset inventory",
            Platform::Native,
            &[Monitoring, Management, OfflineAccess],
            &[AuthorizationCode, RefreshToken, DeviceCode],
            1,
        ),
        app(
            LEGACY_ID,
            "Legacy portal",
            Platform::SinglePage,
            &[Monitoring],
            &[AuthorizationCode, Implicit],
            26,
        ),
    ]
}

/// How much each sample app is used: Billing sync a minute ago, PSA connector this
/// morning, Asset inventory days ago, Legacy portal never.
pub fn sample_usage(client_id: &str) -> AppUsage {
    let (last, issued) = match client_id {
        BILLING_ID => (Some(NOW - 90), 412),
        PSA_ID => (Some(NOW - 5 * 3600), 37),
        ASSET_ID => (Some(NOW - 3 * DAY), 0),
        _ => (None, 0),
    };
    AppUsage {
        last_issued_at: last,
        issued_24h: issued,
    }
}

/// Apps as the server lists them, with the sample usage.
pub fn listed(apps: Vec<ClientApp>) -> Vec<ListedApp> {
    apps.into_iter()
        .map(|app| ListedApp {
            usage: sample_usage(&app.client_id),
            active_tokens: 0,
            app,
        })
        .collect()
}

/// The PSA connector's tokens per hour over the last day, oldest first: a working
/// day's bump, quiet at night.
pub fn sample_hourly() -> Vec<u64> {
    vec![
        0, 0, 0, 1, 0, 0, 2, 4, 6, 9, 12, 10, 7, 8, 11, 9, 5, 3, 1, 0, 0, 1, 0, 2,
    ]
}

pub fn user(
    username: &str,
    disabled: bool,
    last_sign_in_ago: Option<i64>,
    active_tokens: u64,
    authorised_apps: u64,
) -> UserSummary {
    UserSummary {
        username: username.to_string(),
        disabled,
        created_at: NOW - 40 * DAY,
        last_sign_in: last_sign_in_ago.map(|ago| NOW - ago),
        active_tokens,
        authorised_apps,
    }
}

/// alice signs in every day; bob has not for weeks; carol never did; dave is
/// disabled.
pub fn sample_users() -> Vec<UserSummary> {
    vec![
        user("alice@example.com", false, Some(300), 3, 2),
        user("bob@example.com", false, Some(19 * DAY), 2, 1),
        user("carol@example.com", false, None, 0, 0),
        user("dave@example.com", true, Some(2 * DAY), 0, 0),
    ]
}

/// alice's authorisations: PSA connector (two tokens) and Asset inventory (one).
pub fn alice_grants() -> Vec<UserGrant> {
    vec![
        UserGrant {
            family_id: "fam_psa_alice".into(),
            client_id: PSA_ID.into(),
            app_name: "PSA connector".into(),
            scopes: vec![Scope::Monitoring, Scope::Management, Scope::OfflineAccess],
            granted_at: NOW - 12 * DAY,
            last_issued_at: NOW - 600,
            active_tokens: 2,
        },
        UserGrant {
            family_id: "fam_asset_alice".into(),
            client_id: ASSET_ID.into(),
            app_name: "Asset inventory".into(),
            scopes: vec![Scope::Monitoring],
            granted_at: NOW - 3 * DAY,
            last_issued_at: NOW - 3 * DAY,
            active_tokens: 1,
        },
    ]
}

#[allow(clippy::too_many_arguments)]
pub fn token(
    id: &str,
    client_id: &str,
    kind: TokenKind,
    grant: GrantType,
    subject: &str,
    issued_ago: i64,
    lifetime: i64,
    revoked: bool,
) -> TokenRecord {
    TokenRecord {
        id: id.to_string(),
        hash: String::new(),
        kind,
        client_id: client_id.to_string(),
        subject: subject.to_string(),
        scopes: vec![Scope::Monitoring, Scope::Management],
        grant,
        issued_at: NOW - issued_ago,
        expires_at: NOW - issued_ago + lifetime,
        family_id: "fam_1".into(),
        revoked_at: revoked.then_some(NOW - 60),
        family_expires_at: None,
        found_by_hash: false,
    }
}

pub fn sample_tokens() -> Vec<TokenRecord> {
    vec![
        token(
            "tok_a1",
            PSA_ID,
            TokenKind::Access,
            GrantType::AuthorizationCode,
            "alice@example.com",
            600,
            3600,
            false,
        ),
        token(
            "tok_r1",
            PSA_ID,
            TokenKind::Refresh,
            GrantType::AuthorizationCode,
            "alice@example.com",
            600,
            30 * DAY,
            false,
        ),
        token(
            "tok_b1",
            BILLING_ID,
            TokenKind::Access,
            GrantType::ClientCredentials,
            BILLING_ID,
            120,
            3600,
            false,
        ),
        token(
            "tok_x1",
            ASSET_ID,
            TokenKind::Access,
            GrantType::DeviceCode,
            "bob@example.com",
            7200,
            3600,
            false,
        ),
        token(
            "tok_v1",
            ASSET_ID,
            TokenKind::Access,
            GrantType::RefreshToken,
            "bob@example.com",
            300,
            3600,
            true,
        ),
    ]
}

/// A console as the runtime drives it: actions in, commands out.
pub struct Console {
    pub state: State,
    pub commands: Vec<Command>,
}

impl Console {
    pub fn new(width: u16, height: u16) -> Console {
        let mut state = State::new("embedded · http://127.0.0.1:41823", NOW, false);
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
        console
    }

    /// A console with the sample apps loaded.
    pub fn with_apps(width: u16, height: u16) -> Console {
        let mut console = Console::new(width, height);
        console.reply(
            |r| matches!(r, WorkerRequest::LoadApps),
            WorkerReply::Apps(Ok(listed(sample_apps()))),
        );
        console
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
        for c in text.chars() {
            self.key(c);
        }
    }

    pub fn special(&mut self, code: KeyCode) {
        self.press(code, KeyModifiers::NONE);
    }

    pub fn ctrl(&mut self, c: char) {
        self.press(KeyCode::Char(c), KeyModifiers::CONTROL);
    }

    /// The id of the last request sent that matches.
    pub fn last_request(
        &self,
        matches: impl Fn(&WorkerRequest) -> bool,
    ) -> Option<(RequestId, WorkerRequest)> {
        self.commands.iter().rev().find_map(|c| match c {
            Command::Worker(id, request) if matches(request) => Some((*id, request.clone())),
            _ => None,
        })
    }

    /// Answers the last matching request as the worker would.
    pub fn reply(&mut self, matches: impl Fn(&WorkerRequest) -> bool, reply: WorkerReply) {
        let (id, _) = self
            .last_request(matches)
            .expect("no such request was sent");
        self.act(Action::WorkerReply(id, reply));
    }

    pub fn draw(&self) -> Terminal<TestBackend> {
        let mut terminal =
            Terminal::new(TestBackend::new(self.state.width, self.state.height)).unwrap();
        terminal.draw(|frame| render(&self.state, frame)).unwrap();
        terminal
    }

    /// The screen row of the first line that shows `text`.
    pub fn screen_line_of(&self, text: &str) -> u16 {
        let row = self
            .screen_text()
            .lines()
            .position(|line| line.contains(text))
            .unwrap_or_else(|| panic!("{text:?} is not on the screen"));
        u16::try_from(row).unwrap()
    }

    /// The first line of the screen that shows `text`.
    pub fn screen_line(&self, text: &str) -> String {
        let row = usize::from(self.screen_line_of(text));
        self.screen_text().lines().nth(row).unwrap().to_string()
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
}
