//! The row action added by the README's recipe, *Copy redirect URL*: keyed, in the
//! help and the palette, drawn on the selected row and clickable there.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use super::{render, start, update};
use crate::domain::{ClientApp, Platform, Scope, rules::allowed_grants};
use crate::tui::action::{Action, Command};
use crate::tui::dialogs::palette::update::all_entries;
use crate::tui::geometry::current_list;
use crate::tui::keymap::{action_for_key, help_sections};
use crate::tui::kit::columns::place_columns;
use crate::tui::screens::apps::layout::{APP_COLUMNS, row_actions};
use crate::tui::state::State;
use crate::worker::{WorkerReply, WorkerRequest};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

const NOW: i64 = 1_795_867_200;
const URL: &str = "https://billing.example.com/callback";

fn app(client_id: &str, name: &str, platform: Platform, redirect_urls: &[&str]) -> ClientApp {
    ClientApp {
        client_id: client_id.into(),
        name: name.into(),
        platform,
        redirect_urls: redirect_urls.iter().map(|u| u.to_string()).collect(),
        scopes: vec![Scope::Monitoring],
        grant_types: allowed_grants(platform).to_vec(),
        secret_hash: None,
        previous_secret_hash: None,
        previous_secret_expires_at: None,
        created_at: NOW,
        updated_at: NOW,
        access_token_ttl: None,
        refresh_token_ttl: None,
    }
}

/// A console `width` columns wide with `apps` loaded.
fn console(width: u16, apps: Vec<ClientApp>) -> State {
    let mut state = State::new("test", NOW, false);
    update(&mut state, Action::Resize { width, height: 30 });
    for command in start(&mut state) {
        if let Command::Worker(id, WorkerRequest::LoadApps) = command {
            let listed = apps
                .iter()
                .map(|app| crate::domain::ListedApp {
                    app: app.clone(),
                    usage: Default::default(),
                    active_tokens: 0,
                })
                .collect();
            let reply = WorkerReply::Apps(Ok(listed));
            update(&mut state, Action::WorkerReply(id, reply));
        }
    }
    state
}

fn copied(commands: &[Command]) -> Option<(&str, &str)> {
    commands.iter().find_map(|c| match c {
        Command::CopyToClipboard { text, what } => Some((text.as_str(), what.as_str())),
        _ => None,
    })
}

#[test]
fn u_copies_the_selected_apps_redirect_url() {
    let mut state = console(120, vec![app("oc_a", "Billing", Platform::Web, &[URL])]);
    let u = KeyEvent::new(KeyCode::Char('u'), KeyModifiers::NONE);
    let action = action_for_key(&state, &u).expect("u is bound on the apps tab");
    let commands = update(&mut state, action);
    assert_eq!(copied(&commands), Some((URL, "Redirect URL")));
}

#[test]
fn an_app_without_redirect_url_says_so_and_copies_nothing() {
    let mut state = console(120, vec![app("oc_m", "Sync", Platform::ApiServices, &[])]);
    let commands = update(&mut state, Action::CopyRedirectUrl);
    assert_eq!(copied(&commands), None);
    let toast = state.toast.as_ref().expect("a toast says why");
    assert!(toast.text.contains("no redirect URL"), "{}", toast.text);
}

#[test]
fn copy_redirect_url_is_in_the_help_and_the_palette() {
    let state = console(120, vec![app("oc_a", "Billing", Platform::Web, &[URL])]);
    let in_help = help_sections(&state).iter().any(|(_, bindings)| {
        bindings
            .iter()
            .any(|b| b.description == "copy redirect URL")
    });
    assert!(in_help);
    let entry = all_entries(&state)
        .into_iter()
        .find(|e| e.name == "copy_redirect_url")
        .expect("listed in the palette");
    assert_eq!(entry.keys, "u");
}

#[test]
fn a_wide_row_shows_the_button_and_a_click_on_it_copies() {
    let mut state = console(200, vec![app("oc_a", "Billing", Platform::Web, &[URL])]);
    let mut terminal = Terminal::new(TestBackend::new(200, 30)).unwrap();
    terminal.draw(|frame| render(&state, frame)).unwrap();
    let list = current_list(&state);
    let row: String = (0..200)
        .map(|x| {
            terminal.backend().buffer()[(x, list.rows.y)]
                .symbol()
                .to_string()
        })
        .collect();
    assert!(row.contains("u Copy URL"), "{row}");

    let columns = place_columns(&APP_COLUMNS, list.rows.width);
    let (x, _, _) = row_actions(&state, &columns, list.rows.width)
        .buttons
        .into_iter()
        .find(|(_, _, action)| matches!(action, Action::CopyRedirectUrl))
        .expect("the button is placed");
    let click = Action::MouseClicked {
        column: list.rows.x + x,
        row: list.rows.y,
    };
    let commands = update(&mut state, click);
    assert_eq!(copied(&commands), Some((URL, "Redirect URL")));
}

#[test]
fn narrow_rows_keep_their_cells_rather_than_show_the_button() {
    let state = console(120, vec![app("oc_a", "Billing", Platform::Web, &[URL])]);
    let list = current_list(&state);
    let columns = place_columns(&APP_COLUMNS, list.rows.width);
    let buttons = row_actions(&state, &columns, list.rows.width).buttons;
    assert!(
        !buttons
            .iter()
            .any(|(_, _, action)| matches!(action, Action::CopyRedirectUrl))
    );
}
