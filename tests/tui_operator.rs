//! The console's operator features: keymap overrides from the config, the `:`
//! palette, themes, read-only mode, the audit log tab and the secret grace period in
//! details. Driven through the real keymap and `update`, rendered on a `TestBackend`.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod operator_console;

use oauth_console::config::ThemeName;
use oauth_console::domain::Platform;
use oauth_console::domain::wire::{AuditPage, WhoAmI};
use oauth_console::tui::{Action, Command, StartOptions, Tab, palette_entries, start};
use oauth_console::worker::{WorkerReply, WorkerRequest};
use operator_console::*;
use ratatui::crossterm::event::{KeyCode, KeyModifiers};
use serde_json::json;

fn snapshot_both(name: &str, make: impl Fn(u16, u16) -> Console, setup: impl Fn(&mut Console)) {
    for (width, height) in [(80, 24), (120, 36)] {
        let mut console = make(width, height);
        setup(&mut console);
        insta::assert_snapshot!(format!("{name}_{width}x{height}"), console.draw().backend());
    }
}

// --- Snapshots -------------------------------------------------------------------

#[test]
fn palette_lists_every_action_of_the_screen_with_its_keys() {
    snapshot_both("palette_empty", Console::new, |c| c.key(':'));
    // At 120×36 every entry is on the screen (at 80×24 the list scrolls).
    let mut c = Console::new(120, 36);
    c.key(':');
    let screen = c.screen_text();
    for entry in palette_entries(&c.state) {
        assert!(
            screen.contains(entry.name),
            "{} missing:\n{screen}",
            entry.name
        );
    }
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
    // Whatever read-only button sits there now (copying the ID), nothing reaches the
    // server.
    assert!(
        !c.commands[sent..]
            .iter()
            .any(|command| matches!(command, Command::Worker(..))),
        "{:?}",
        &c.commands[sent..]
    );
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

#[test]
fn the_new_secret_after_a_rotation_says_how_long_the_old_one_still_works() {
    let mut c = Console::new(120, 36);
    c.key('j');
    c.key('S');
    c.key('y');
    c.reply(
        |r| matches!(r, WorkerRequest::RotateSecret { .. }),
        WorkerReply::SecretRotated(Ok(oauth_console::domain::wire::RotatedSecret {
            client_id: PSA_ID.into(),
            client_secret: "ocs_new".into(),
            previous_secret_expires_at: Some(NOW + DAY),
        })),
    );
    let screen = c.screen_text();
    assert!(
        screen.contains("The old secret still works until 2026-11-29 12:00 UTC (in 24h 00m)."),
        "{screen}"
    );
}

#[test]
fn get_token_can_be_rebound_like_any_named_action() {
    let config = config_with_keys("[keys]\nget_token = \"G\"\n");
    let (_, warnings) = Console::with(80, 24, &config, &StartOptions::default());
    // `G` is "last" in every list: the override is refused, not silently shadowed.
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert!(warnings[0].contains("last"), "{warnings:?}");
    let config = config_with_keys("[keys]\nget_token = \"T\"\n");
    let (mut c, warnings) = Console::with(80, 24, &config, &StartOptions::default());
    assert!(warnings.is_empty(), "{warnings:?}");
    assert!(c.footer().contains("T get token"), "{}", c.footer());
    c.key('t');
    assert!(c.state.flows.dialog.is_none());
    c.key('T');
    assert!(c.state.flows.dialog.is_some());
}
