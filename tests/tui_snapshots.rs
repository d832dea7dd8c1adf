//! The console's screens, driven through the real keymap and `update` (with the worker's
//! answers fed in as the worker would send them), rendered on a `TestBackend`.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use oauth_console::api::ApiError;
use oauth_console::domain::Scope;
use oauth_console::domain::wire::{AppDetails, CreatedApp, RotatedSecret, TokenPage, WhoAmI};
use oauth_console::tui::{Action, ClipboardOutcome, Command, State, start};
use oauth_console::worker::{WorkerReply, WorkerRequest};
use ratatui::crossterm::event::KeyCode;

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

fn load_tokens(console: &mut Console) {
    console.reply(
        |r| matches!(r, WorkerRequest::LoadTokens(_)),
        WorkerReply::Tokens(Ok(TokenPage {
            tokens: sample_tokens(),
            next_cursor: None,
        })),
    );
}

fn details_of(client_id: &str, active_tokens: u64) -> WorkerReply {
    let app = sample_apps()
        .into_iter()
        .find(|a| a.client_id == client_id)
        .unwrap();
    WorkerReply::AppDetails(Ok(AppDetails {
        app,
        active_tokens,
        usage: Default::default(),
        hourly_issued: Vec::new(),
    }))
}

// ---- Screens ----

#[test]
fn client_apps_tab_lists_apps_with_row_actions_on_the_selected_row() {
    snapshot_both("apps_tab", |c| c.key('j'));
}

#[test]
fn empty_server_invites_to_create_the_first_app() {
    for (width, height) in [(80, 24), (120, 36)] {
        let mut console = Console::new(width, height);
        console.reply(
            |r| matches!(r, WorkerRequest::LoadApps),
            WorkerReply::Apps(Ok(Vec::new())),
        );
        insta::assert_snapshot!(
            format!("apps_empty_{width}x{height}"),
            console.draw().backend()
        );
    }
}

#[test]
fn scopes_and_grants_tab_shows_the_matrix_and_a_legend() {
    snapshot_both("matrix_tab", |c| {
        c.key('2');
        c.key('j');
        c.key('l');
    });
}

#[test]
fn matrix_says_why_a_greyed_cell_is_forbidden() {
    snapshot_both("matrix_forbidden_cell", |c| {
        c.key('2');
        // Row 1 is Billing sync (API services); the RT column is forbidden for it.
        c.key('j');
        c.keys("lll");
    });
}

#[test]
fn active_tokens_tab_counts_down_to_expiry() {
    snapshot_both("tokens_tab", |c| {
        c.key('3');
        load_tokens(c);
    });
}

#[test]
fn new_web_app_form_shows_redirect_urls_scopes_and_grants() {
    snapshot_both("form_new_web", |c| {
        c.key('n');
        c.keys("Ticket portal");
        c.special(KeyCode::Tab); // platform
        c.special(KeyCode::Tab); // + Add URL
        c.special(KeyCode::Enter);
        c.keys("app.example.com/cb");
    });
}

#[test]
fn native_app_form_explains_loopback_redirects() {
    snapshot_both("form_native", |c| {
        c.key('n');
        c.keys("Desktop agent");
        c.special(KeyCode::Tab);
        c.special(KeyCode::Right);
    });
}

#[test]
fn api_services_form_hides_redirects_and_greys_forbidden_grants() {
    snapshot_both("form_api_services", |c| {
        c.key('n');
        c.keys("Nightly export");
        c.special(KeyCode::Tab);
        c.special(KeyCode::Left);
        // Down to the Authorization Code grant, which API services may not use.
        for _ in 0..5 {
            c.special(KeyCode::Tab);
        }
    });
}

#[test]
fn edit_form_starts_from_the_app_and_fixes_the_platform() {
    snapshot_both("form_edit", |c| {
        c.key('G'); // PSA connector.
        c.key('e');
    });
}

#[test]
fn hovered_row_shows_its_actions_too() {
    snapshot_both("apps_hover", |c| {
        // Legacy portal (row 2) under the pointer, wherever the layout puts it; row 0
        // (Asset inventory) stays selected. Both show their actions.
        let row = c.screen_line_of("Legacy portal");
        c.act(Action::MouseMoved { column: 10, row });
        let hovered = c
            .screen_text()
            .lines()
            .nth(usize::from(row))
            .unwrap()
            .to_string();
        assert!(
            hovered.contains("Legacy portal") && hovered.contains("e Edit"),
            "{hovered}"
        );
        assert!(
            !c.screen_line("Billing sync").contains("e Edit"),
            "only the hovered row"
        );
    });
}

#[test]
fn saving_an_invalid_form_shows_errors_beside_the_fields() {
    snapshot_both("form_validation_error", |c| {
        c.key('n');
        c.ctrl('s');
    });
}

#[test]
fn deleting_asks_first_and_names_the_tokens_that_go_with_the_app() {
    snapshot_both("confirm_delete", |c| {
        c.key('G'); // PSA connector, last by name.
        c.key('d');
        c.reply(
            |r| matches!(r, WorkerRequest::LoadAppDetails { .. }),
            details_of(PSA_ID, 3),
        );
    });
}

#[test]
fn rotating_a_secret_asks_first() {
    snapshot_both("confirm_rotate", |c| {
        c.key('G'); // PSA connector, a Web app.
        c.key('S');
    });
}

#[test]
fn leaving_a_changed_form_shows_the_discard_question() {
    snapshot_both("confirm_discard", |c| {
        c.key('n');
        c.keys("Half done");
        c.special(KeyCode::Esc);
    });
}

#[test]
fn revoking_a_token_asks_first() {
    snapshot_both("confirm_revoke", |c| {
        c.key('3');
        load_tokens(c);
        c.key('r');
    });
}

#[test]
fn new_secret_is_shown_once_after_create() {
    snapshot_both("secret_modal", |c| {
        c.key('n');
        c.keys("Ticket portal");
        c.special(KeyCode::Tab);
        c.special(KeyCode::Tab);
        c.special(KeyCode::Enter);
        c.keys("app.example.com/cb");
        c.ctrl('s');
        let draft = match c.last_request(|r| matches!(r, WorkerRequest::CreateApp(_))) {
            Some((_, WorkerRequest::CreateApp(draft))) => draft,
            other => panic!("expected a create request, got {other:?}"),
        };
        let mut created = app(
            "oc_NEW0000000000000000000000000000000000001",
            &draft.name,
            draft.platform,
            &draft.scopes,
            &draft.grant_types,
            0,
        );
        created.redirect_urls = draft.redirect_urls;
        c.reply(
            |r| matches!(r, WorkerRequest::CreateApp(_)),
            WorkerReply::AppCreated(Ok(CreatedApp {
                app: created,
                client_secret: Some("ocs_S3cr3tS3cr3tS3cr3tS3cr3tS3cr3tS3cr3tS3cr3t".into()),
            })),
        );
    });
}

#[test]
fn help_overlay_lists_the_keys_of_the_screen() {
    snapshot_both("help", |c| c.key('?'));
}

#[test]
fn copying_an_id_shows_a_toast_saying_how() {
    snapshot_both("toast_copied", |c| {
        c.key('y');
        c.act(Action::Clipboard(ClipboardOutcome {
            what: "Client ID".into(),
            result: Ok("OSC 52".into()),
        }));
    });
}

#[test]
fn details_show_every_field_and_the_active_token_count() {
    snapshot_both("details", |c| {
        c.key('G');
        c.special(KeyCode::Enter);
        c.reply(
            |r| matches!(r, WorkerRequest::LoadAppDetails { .. }),
            details_of(PSA_ID, 2),
        );
    });
}

#[test]
fn unreachable_server_is_shown_in_the_header() {
    snapshot_both("unreachable", |c| {
        c.ctrl('r');
        c.reply(
            |r| matches!(r, WorkerRequest::LoadApps),
            WorkerReply::Apps(Err(ApiError::Unreachable {
                url: "http://127.0.0.1:41823/".into(),
                reason: "connection refused".into(),
            })),
        );
    });
}

// ---- Behaviour ----

#[test]
fn filter_narrows_the_rows_as_you_type() {
    let mut c = Console::with_apps(120, 36);
    c.key('/');
    c.keys("LEGACY");
    assert_eq!(c.state.apps.visible.len(), 1);
    let screen = c.screen_text();
    assert!(screen.contains("Legacy portal"));
    assert!(!screen.contains("Billing sync"));
    // Esc clears the filter and every app is back.
    c.special(KeyCode::Esc);
    assert_eq!(c.state.apps.visible.len(), 4);
}

#[test]
fn deleting_filter_characters_brings_rows_back() {
    let mut c = Console::with_apps(120, 36);
    c.key('/');
    c.keys("portalx");
    assert_eq!(c.state.apps.visible.len(), 0);
    assert!(c.screen_text().contains("No app matches the filter"));
    c.special(KeyCode::Backspace);
    assert_eq!(c.state.apps.visible.len(), 1);
    for _ in 0..6 {
        c.special(KeyCode::Backspace);
    }
    assert_eq!(
        c.state.apps.visible.len(),
        4,
        "an empty filter shows every app"
    );
}

#[test]
fn filter_matches_platform_and_client_id_too() {
    let mut c = Console::with_apps(120, 36);
    c.key('/');
    c.keys("native");
    assert_eq!(c.state.apps.selected().unwrap().client_id, ASSET_ID);
    c.special(KeyCode::Esc);
    c.key('/');
    c.keys(&PSA_ID[..12]);
    assert_eq!(c.state.apps.visible.len(), 1);
}

#[test]
fn stale_apps_reply_is_ignored() {
    let mut c = Console::new(120, 36);
    let (first, _) = c
        .last_request(|r| matches!(r, WorkerRequest::LoadApps))
        .unwrap();
    c.ctrl('r');
    let (second, _) = c
        .last_request(|r| matches!(r, WorkerRequest::LoadApps))
        .unwrap();
    assert!(second > first);
    c.act(Action::WorkerReply(
        second,
        WorkerReply::Apps(Ok(listed(sample_apps()))),
    ));
    // The older answer arrives late, with one app only: it must not replace the newer.
    c.act(Action::WorkerReply(
        first,
        WorkerReply::Apps(Ok(listed(sample_apps()[..1].to_vec()))),
    ));
    assert_eq!(c.state.apps.apps.len(), 4);
}

#[test]
fn copy_id_copies_the_full_id_even_when_the_table_shortens_it() {
    let mut c = Console::with_apps(80, 24);
    c.key('j'); // Billing sync selected: Asset inventory's row shows its ID.
    let screen = c.screen_text();
    assert!(
        !screen.contains(ASSET_ID),
        "the narrow table should shorten the ID"
    );
    assert!(screen.contains("oc_Zq0wE…"), "{screen}");
    c.key('k'); // Asset inventory, first by name.
    c.commands.clear();
    c.key('y');
    let copies: Vec<_> = c
        .commands
        .iter()
        .filter_map(|cmd| match cmd {
            Command::CopyToClipboard { text, what } => Some((text.clone(), what.clone())),
            _ => None,
        })
        .collect();
    assert_eq!(
        copies,
        vec![(ASSET_ID.to_string(), "Client ID".to_string())]
    );
}

#[test]
fn hostile_app_name_is_shown_visibly_and_never_as_escape_codes() {
    let mut c = Console::new(120, 36);
    let mut apps = sample_apps();
    apps[0].name = "\x1b]0;x\x07evil\x1b[31m".into();
    c.reply(
        |r| matches!(r, WorkerRequest::LoadApps),
        WorkerReply::Apps(Ok(listed(apps))),
    );
    let screen = c.screen_text();
    assert!(screen.contains("^[]0;x^Gevil^[[31m"), "{screen}");
    assert!(!screen.contains('\x1b'));
    assert!(!screen.contains('\x07'));
}

#[test]
fn refused_matrix_toggle_is_rolled_back_with_a_toast() {
    let mut c = Console::with_apps(120, 36);
    c.key('2');
    c.key('j'); // Billing sync: by name, row 1.
    let app_id = c
        .state
        .apps
        .row(c.state.matrix.cursor.selected)
        .unwrap()
        .client_id
        .clone();
    let had = c.state.apps.get(&app_id).unwrap().has_scope(Scope::Control);
    c.keys("ll"); // Ctl column.
    c.key(' ');
    assert_eq!(
        c.state.apps.get(&app_id).unwrap().has_scope(Scope::Control),
        !had,
        "toggled at once"
    );
    let (id, request) = c
        .last_request(|r| matches!(r, WorkerRequest::PatchApp { .. }))
        .unwrap();
    assert!(matches!(request, WorkerRequest::PatchApp { client_id, .. } if client_id == app_id));
    c.act(Action::WorkerReply(
        id,
        WorkerReply::AppUpdated {
            client_id: app_id.clone(),
            result: Err(ApiError::Server {
                status: 403,
                error: "forbidden".into(),
                description: Some("this admin key is read-only".into()),
                violations: Vec::new(),
            }),
        },
    ));
    assert_eq!(
        c.state.apps.get(&app_id).unwrap().has_scope(Scope::Control),
        had,
        "rolled back"
    );
    let toast = c.state.toast.as_ref().unwrap();
    assert!(toast.text.contains("read-only"), "{}", toast.text);
}

#[test]
fn confirmed_delete_sends_the_request_and_removes_the_app() {
    let mut c = Console::with_apps(120, 36);
    c.key('G'); // PSA connector.
    c.key('d');
    assert!(
        c.last_request(|r| matches!(r, WorkerRequest::DeleteApp { .. }))
            .is_none(),
        "nothing deleted before confirming"
    );
    c.key('y');
    let (id, request) = c
        .last_request(|r| matches!(r, WorkerRequest::DeleteApp { .. }))
        .unwrap();
    let WorkerRequest::DeleteApp { client_id } = request else {
        unreachable!()
    };
    assert_eq!(client_id, PSA_ID);
    c.act(Action::WorkerReply(
        id,
        WorkerReply::AppDeleted {
            client_id: PSA_ID.into(),
            result: Ok(()),
        },
    ));
    assert!(c.state.apps.get(PSA_ID).is_none());
    assert!(c.state.modal.is_none());
}

#[test]
fn declined_delete_sends_nothing() {
    let mut c = Console::with_apps(120, 36);
    c.key('d');
    c.key('n');
    assert!(c.state.modal.is_none());
    assert!(
        c.last_request(|r| matches!(r, WorkerRequest::DeleteApp { .. }))
            .is_none()
    );
}

#[test]
fn rotated_secret_is_copyable_and_gone_once_the_modal_closes() {
    let mut c = Console::with_apps(120, 36);
    c.key('G'); // PSA connector, a Web app.
    c.key('S');
    c.key('y');
    c.reply(
        |r| matches!(r, WorkerRequest::RotateSecret { .. }),
        WorkerReply::SecretRotated(Ok(RotatedSecret {
            client_id: PSA_ID.into(),
            client_secret: "ocs_rotated".into(),
            previous_secret_expires_at: None,
        })),
    );
    assert!(c.screen_text().contains("ocs_rotated"));
    c.commands.clear();
    c.key('s');
    assert!(
        matches!(&c.commands[..], [Command::CopyToClipboard { text, .. }] if text == "ocs_rotated")
    );
    assert!(
        !format!("{:?}", c.commands).contains("ocs_rotated"),
        "Debug never prints a secret"
    );
    c.special(KeyCode::Esc);
    assert!(c.state.modal.is_none());
    assert!(!c.screen_text().contains("ocs_rotated"));
}

#[test]
fn leaving_a_changed_form_asks_first() {
    let mut c = Console::with_apps(120, 36);
    c.key('n');
    c.keys("Half done");
    c.special(KeyCode::Esc);
    assert!(
        c.state.form.is_some(),
        "the form stays until the user confirms"
    );
    assert!(c.screen_text().contains("lose your changes"));
    c.key('y');
    assert!(c.state.form.is_none());
}

#[test]
fn server_violations_appear_beside_their_fields() {
    let mut c = Console::with_apps(120, 36);
    c.key('n');
    c.keys("Billing sync");
    c.special(KeyCode::Tab);
    c.special(KeyCode::Left); // API services: no redirect URL needed.
    c.ctrl('s');
    c.reply(
        |r| matches!(r, WorkerRequest::CreateApp(_)),
        WorkerReply::AppCreated(Err(ApiError::Server {
            status: 422,
            error: "invalid_app".into(),
            description: Some("name taken".into()),
            violations: vec![oauth_console::domain::RuleViolation {
                field: oauth_console::domain::Field::Name,
                message: "An app with this name exists".into(),
            }],
        })),
    );
    let screen = c.screen_text();
    assert!(
        screen.contains("✗ An app with this name exists"),
        "{screen}"
    );
    assert!(c.state.form.is_some());
}

#[test]
fn token_expiry_counts_down_with_the_clock() {
    let mut c = Console::with_apps(120, 36);
    c.key('3');
    load_tokens(&mut c);
    assert!(c.screen_text().contains("50m 00s"));
    c.act(Action::Tick { now: NOW + 61 });
    assert!(c.screen_text().contains("48m 59s"));
}

#[test]
fn mouse_hover_shows_row_actions_and_clicking_delete_asks_to_confirm() {
    let mut c = Console::with_apps(120, 36);
    // At 120 columns: header, tabs, top border, column titles, then rows; row 2 (by
    // name: Legacy portal) is on screen line 6.
    c.act(Action::MouseMoved { column: 10, row: 6 });
    assert_eq!(c.state.apps.hovered, Some(2));
    let screen = c.screen_text();
    let line = screen.lines().nth(6).unwrap();
    let byte = line
        .find("d Delete")
        .unwrap_or_else(|| panic!("no row actions on the hovered row: {line}"));
    let column = line[..byte].chars().count() as u16;
    c.act(Action::MouseClicked { column, row: 6 });
    assert_eq!(c.state.apps.cursor.selected, 2);
    assert!(c.screen_text().contains("Delete “Legacy portal”?"));
}

#[test]
fn no_color_draws_without_colours() {
    let mut c = Console::with_apps(80, 24);
    c.state.monochrome = true;
    c.key('j');
    let terminal = c.draw();
    let buffer = terminal.backend().buffer();
    for cell in buffer.content() {
        assert_eq!(cell.fg, ratatui::style::Color::Reset);
        assert_eq!(cell.bg, ratatui::style::Color::Reset);
    }
}

#[test]
fn toasts_go_away_after_a_few_seconds() {
    let mut c = Console::with_apps(80, 24);
    c.act(Action::Clipboard(ClipboardOutcome {
        what: "Client ID".into(),
        result: Err("no clipboard here".into()),
    }));
    assert!(
        c.screen_text()
            .contains("✗ Client ID not copied: no clipboard here")
    );
    c.act(Action::Tick { now: NOW + 2 });
    assert!(c.state.toast.is_some());
    c.act(Action::Tick { now: NOW + 5 });
    assert!(!c.screen_text().contains("not copied"));
}

#[test]
fn clicking_a_tab_opens_it_and_loads_tokens() {
    let mut c = Console::with_apps(120, 36);
    let screen = c.screen_text();
    let tabs = screen.lines().nth(1).unwrap();
    let byte = tabs.find("3 Active tokens").unwrap();
    let column = tabs[..byte].chars().count() as u16;
    c.act(Action::MouseClicked { column, row: 1 });
    assert_eq!(c.state.tab, oauth_console::tui::Tab::ActiveTokens);
    assert!(
        c.last_request(|r| matches!(r, WorkerRequest::LoadTokens(_)))
            .is_some()
    );
}

#[test]
fn tokens_filter_by_app_name_and_revoke_all_of_that_app() {
    let mut c = Console::with_apps(120, 36);
    c.key('3');
    load_tokens(&mut c);
    c.key('f');
    c.keys("psa");
    c.special(KeyCode::Enter);
    assert_eq!(c.state.tokens.visible.len(), 2);
    c.key('R');
    assert!(
        c.screen_text()
            .contains("Revoke every token of “PSA connector” (2 active")
    );
    c.key('y');
    c.reply(
        |r| matches!(r, WorkerRequest::RevokeAppTokens { client_id } if client_id == PSA_ID),
        WorkerReply::AppTokensRevoked {
            client_id: PSA_ID.into(),
            result: Ok(oauth_console::domain::wire::RevokedCount { revoked: 2 }),
        },
    );
    let screen = c.screen_text();
    assert!(
        screen.contains("✓ Revoked 2 tokens of PSA connector"),
        "{screen}"
    );
    assert_eq!(screen.matches("revoked").count(), 2, "{screen}");
}

#[test]
fn a_stray_enter_does_not_close_the_secret_shown_once() {
    let mut c = Console::with_apps(120, 36);
    c.key('j'); // Billing sync, API services.
    c.key('S');
    c.key('y');
    c.reply(
        |r| matches!(r, WorkerRequest::RotateSecret { .. }),
        WorkerReply::SecretRotated(Ok(RotatedSecret {
            client_id: BILLING_ID.into(),
            client_secret: "ocs_once".into(),
            previous_secret_expires_at: None,
        })),
    );
    assert!(c.screen_text().contains("ocs_once"), "{}", c.screen_text());
    c.special(KeyCode::Enter);
    assert!(c.screen_text().contains("ocs_once"));
}

#[test]
fn public_apps_have_no_secret_to_rotate() {
    let mut c = Console::with_apps(120, 36);
    c.key('g'); // Asset inventory, a Native app.
    c.key('S');
    assert!(c.state.modal.is_none());
    assert!(
        c.screen_text()
            .contains("Native apps have no secret to rotate")
    );
}

#[test]
fn read_only_keys_cannot_open_the_form() {
    let mut state = State::new("remote", NOW, false);
    let commands = start(&mut state);
    let mut c = Console { state, commands };
    c.reply(
        |r| matches!(r, WorkerRequest::WhoAmI),
        WorkerReply::WhoAmI(Ok(WhoAmI {
            name: "auditor".into(),
            read_only: true,
        })),
    );
    c.act(Action::Resize {
        width: 120,
        height: 36,
    });
    c.key('n');
    assert!(c.state.form.is_none());
    assert!(c.screen_text().contains("read-only"));
}

#[test]
fn tiny_terminals_draw_without_panicking() {
    let screens: [&dyn Fn(&mut Console); 7] = [
        &|_| {},
        &|c| c.key('2'),
        &|c| {
            c.key('3');
            load_tokens(c);
        },
        &|c| c.key('n'),
        &|c| c.key('?'),
        &|c| c.key('d'),
        &|c| {
            c.key('G');
            c.special(KeyCode::Enter);
        },
    ];
    let mut failures = Vec::new();
    for (i, setup) in screens.iter().enumerate() {
        for width in [0u16, 1, 2, 5, 10, 20, 33, 47] {
            for height in [0u16, 1, 2, 3, 4, 6, 9] {
                let mut c = Console::with_apps(80, 24);
                setup(&mut c);
                c.act(Action::Resize { width, height });
                c.key('j');
                let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| c.draw()));
                if result.is_err() {
                    failures.push(format!("screen {i} at {width}x{height}"));
                }
            }
        }
    }
    assert!(failures.is_empty(), "panicked: {failures:?}");
}

#[test]
fn a_long_name_scrolls_inside_its_field_and_the_cursor_follows() {
    let mut c = Console::with_apps(80, 24);
    c.key('n');
    let name = "A very long application name that will not fit in the field at all, ending here";
    c.keys(name);
    let mut terminal = c.draw();
    let cursor = terminal.get_cursor_position().unwrap();
    let screen = c.screen_text();
    let line = screen.lines().nth(usize::from(cursor.y)).unwrap();
    assert!(line.contains("ending here"), "{line}");
    assert!(cursor.x < 79, "cursor inside the frame: {cursor:?}");
    let before: String = line.chars().take(usize::from(cursor.x)).collect();
    assert!(
        before.ends_with("ending here"),
        "cursor right after the text: {before:?}"
    );
}

#[test]
fn a_matrix_toggle_landing_while_the_form_saves_leaves_the_form_open() {
    let mut c = Console::with_apps(120, 36);
    c.key('2');
    c.key('j'); // Billing sync.
    c.keys("ll");
    c.key(' ');
    let (patch_id, _) = c
        .last_request(|r| matches!(r, WorkerRequest::PatchApp { .. }))
        .unwrap();
    c.key('1');
    c.key('G');
    c.key('e');
    c.keys(" v2");
    c.ctrl('s');
    assert!(c.state.form.as_ref().unwrap().saving);
    let mut patched = sample_apps()[0].clone();
    patched.scopes.push(Scope::Control);
    c.act(Action::WorkerReply(
        patch_id,
        WorkerReply::AppUpdated {
            client_id: BILLING_ID.into(),
            result: Ok(patched),
        },
    ));
    assert!(c.state.form.is_some(), "the form waits for its own answer");
}
