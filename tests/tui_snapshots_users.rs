//! Snapshots of the Users tab, one user's details, an app's details with its day of
//! usage, the Active tokens tab filtered by user, and the palette's highlighted
//! matches, at 80×24 and 120×36.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use oauth_console::domain::wire::{AppDetails, TokenPage};
use oauth_console::domain::{UserDetails, UserSummary};
use oauth_console::worker::{WorkerReply, WorkerRequest};
use ratatui::crossterm::event::KeyCode;

mod tui_support;
use tui_support::*;

fn snapshot_both(name: &str, setup: impl Fn(&mut Console)) {
    for (width, height) in [(80, 24), (120, 36)] {
        let mut console = Console::with_apps(width, height);
        setup(&mut console);
        insta::assert_snapshot!(format!("{name}_{width}x{height}"), console.draw().backend());
    }
}

fn open_users(c: &mut Console) {
    c.key('5');
    c.reply(
        |r| matches!(r, WorkerRequest::LoadUsers),
        WorkerReply::Users(Ok(sample_users())),
    );
}

fn alice() -> UserSummary {
    sample_users().remove(0)
}

#[test]
fn users_tab() {
    snapshot_both("users_tab", |c| {
        open_users(c);
        c.key('j');
    });
}

#[test]
fn user_details_list_the_authorised_apps() {
    snapshot_both("user_details", |c| {
        open_users(c);
        c.special(KeyCode::Enter);
        c.reply(
            |r| matches!(r, WorkerRequest::LoadUserDetails { .. }),
            WorkerReply::UserDetails(Ok(UserDetails {
                user: alice(),
                grants: alice_grants(),
            })),
        );
        c.key('j');
    });
}

#[test]
fn app_details_chart_a_day_of_tokens() {
    snapshot_both("app_details_usage", |c| {
        c.key('G'); // PSA connector
        c.special(KeyCode::Enter);
        let app = sample_apps()
            .into_iter()
            .find(|a| a.client_id == PSA_ID)
            .unwrap();
        let hourly = sample_hourly();
        c.reply(
            |r| matches!(r, WorkerRequest::LoadAppDetails { .. }),
            WorkerReply::AppDetails(Ok(AppDetails {
                app,
                active_tokens: 2,
                usage: oauth_console::domain::AppUsage {
                    last_issued_at: Some(NOW - 5 * 60),
                    issued_24h: hourly.iter().sum(),
                },
                hourly_issued: hourly,
            })),
        );
    });
}

#[test]
fn active_tokens_of_one_user() {
    snapshot_both("tokens_of_user", |c| {
        open_users(c);
        c.key('t');
        c.reply(
            |r| matches!(r, WorkerRequest::LoadTokens(_)),
            WorkerReply::Tokens(Ok(TokenPage {
                tokens: sample_tokens(),
                next_cursor: None,
            })),
        );
    });
}

#[test]
fn palette_highlights_the_letters_that_matched() {
    snapshot_both("palette_highlight", |c| {
        open_users(c);
        c.key(':');
        c.keys("revall");
    });
}
