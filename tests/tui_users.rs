//! The Users tab driven by keys and by the mouse through the real keymap and `update`,
//! with the worker's answers fed in as the worker sends them: disabling, passwords,
//! deletion, one user's authorised apps, their tokens, read-only mode, sorting,
//! filtering, and the lists reloading by themselves without losing the selection.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use oauth_console::api::ApiError;
use oauth_console::domain::wire::{RevokedCount, TokenPage, WhoAmI};
use oauth_console::domain::{UserChanged, UserDetails, UserPatch};
use oauth_console::tui::{Action, Command, Modal, Tab, start, update};
use oauth_console::worker::{WorkerReply, WorkerRequest};
use ratatui::crossterm::event::KeyCode;

mod tui_support;
use tui_support::*;

const ALICE: &str = "alice@example.com";
const BOB: &str = "bob@example.com";

/// The console on the Users tab with the sample users loaded.
fn users_tab(width: u16, height: u16) -> Console {
    let mut c = Console::with_apps(width, height);
    c.key('5');
    assert_eq!(c.state.tab, Tab::Users);
    c.reply(
        |r| matches!(r, WorkerRequest::LoadUsers),
        WorkerReply::Users(Ok(sample_users())),
    );
    c
}

fn selected_user(c: &Console) -> String {
    c.state.users.selected().unwrap().username.clone()
}

fn last_patch(c: &Console) -> (String, UserPatch) {
    match c.last_request(|r| matches!(r, WorkerRequest::PatchUser { .. })) {
        Some((_, WorkerRequest::PatchUser { username, patch })) => (username, patch),
        _ => panic!("no PatchUser was sent"),
    }
}

fn sent(c: &Console, what: impl Fn(&WorkerRequest) -> bool) -> bool {
    c.last_request(what).is_some()
}

fn changed(username: &str, disabled: bool, revoked: u64) -> WorkerReply {
    let mut user = sample_users()
        .into_iter()
        .find(|u| u.username == username)
        .unwrap();
    user.disabled = disabled;
    if disabled {
        user.active_tokens = 0;
        user.authorised_apps = 0;
    }
    WorkerReply::UserChanged {
        username: username.into(),
        result: Ok(UserChanged {
            user,
            revoked_tokens: revoked,
        }),
    }
}

fn alice_details() -> WorkerReply {
    WorkerReply::UserDetails(Ok(UserDetails {
        user: sample_users().remove(0),
        grants: alice_grants(),
    }))
}

#[test]
fn the_tab_lists_status_last_sign_in_tokens_and_apps_of_each_user() {
    let c = users_tab(120, 36);
    let screen = c.screen_text();
    assert!(screen.contains(" 5 Users "), "{screen}");
    let carol = c.screen_line("carol@example.com");
    assert!(carol.contains("never"), "{carol}");
    assert!(carol.contains("active"), "{carol}");
    let dave = c.screen_line("dave@example.com");
    assert!(dave.contains("disabled"), "{dave}");
    assert!(dave.contains("2d ago"), "{dave}");
    // alice is selected: her row shows its actions instead of the trailing cells.
    let alice = c.screen_line(ALICE);
    assert!(alice.contains("e Disable"), "{alice}");
    assert!(alice.contains("d Delete"), "{alice}");
    let bob = c.screen_line(BOB);
    assert!(bob.contains("19d ago"), "{bob}");
}

#[test]
fn disabling_asks_first_naming_the_tokens_it_revokes_then_patches_the_user() {
    let mut c = users_tab(120, 36);
    c.key('e');
    let screen = c.screen_text();
    assert!(
        screen.contains("Disable alice@example.com? They can no longer sign in."),
        "{screen}"
    );
    assert!(
        screen.contains("3 active tokens of 2 apps are revoked."),
        "{screen}"
    );
    assert!(!sent(&c, |r| matches!(r, WorkerRequest::PatchUser { .. })));
    c.key('y');
    let (username, patch) = last_patch(&c);
    assert_eq!(username, ALICE);
    assert_eq!(patch.disabled, Some(true));
    assert_eq!(patch.password, None);
    c.reply(
        |r| matches!(r, WorkerRequest::PatchUser { .. }),
        changed(ALICE, true, 3),
    );
    assert!(c.state.users.get(ALICE).unwrap().disabled);
    let toast = &c.state.toast.as_ref().unwrap().text;
    assert!(
        toast.contains("Disabled alice@example.com; 3 tokens revoked"),
        "{toast}"
    );
    // Fresh counts are asked for.
    assert!(sent(&c, |r| matches!(r, WorkerRequest::LoadUsers)));
    assert_eq!(selected_user(&c), ALICE, "the selection stays on alice");
}

#[test]
fn enabling_a_disabled_user_asks_nothing() {
    let mut c = users_tab(120, 36);
    c.key('G');
    assert_eq!(selected_user(&c), "dave@example.com");
    assert!(c.screen_line("dave@example.com").contains("e Enable"));
    c.key('e');
    assert!(c.state.modal.is_none());
    let (username, patch) = last_patch(&c);
    assert_eq!(username, "dave@example.com");
    assert_eq!(patch.disabled, Some(false));
}

#[test]
fn delete_names_what_will_be_revoked_and_removes_the_user_once_done() {
    let mut c = users_tab(80, 24);
    c.key('d');
    let screen = c.screen_text();
    assert!(screen.contains("Delete alice@example.com?"), "{screen}");
    assert!(screen.contains("3 active tokens of 2 apps are"), "{screen}");
    c.key('y');
    let (_, request) = c
        .last_request(|r| matches!(r, WorkerRequest::DeleteUser { .. }))
        .expect("delete sent after yes");
    assert_eq!(
        request,
        WorkerRequest::DeleteUser {
            username: ALICE.into()
        }
    );
    c.reply(
        |r| matches!(r, WorkerRequest::DeleteUser { .. }),
        WorkerReply::UserDeleted {
            username: ALICE.into(),
            result: Ok(RevokedCount { revoked: 3 }),
        },
    );
    assert!(c.state.users.get(ALICE).is_none());
    let screen = c.screen_text();
    assert!(
        !screen.contains("│▌alice") && !screen.contains("│ alice"),
        "{screen}"
    );
    assert_eq!(selected_user(&c), BOB);
}

#[test]
fn n_in_the_confirm_dialog_deletes_nothing() {
    let mut c = users_tab(120, 36);
    c.key('d');
    c.key('n');
    assert!(c.state.modal.is_none());
    assert!(!sent(&c, |r| matches!(r, WorkerRequest::DeleteUser { .. })));
}

#[test]
fn a_new_password_is_typed_masked_and_the_servers_refusal_is_shown_in_the_dialog() {
    let mut c = users_tab(80, 24);
    c.key('j'); // bob
    c.key('p');
    assert!(matches!(c.state.modal, Some(Modal::Prompt(_))));
    c.keys("short");
    let screen = c.screen_text();
    assert!(
        screen.contains("New password for “bob@example.com”"),
        "{screen}"
    );
    assert!(screen.contains("•••••"), "{screen}");
    assert!(
        !screen.contains("short"),
        "the password must never show: {screen}"
    );
    assert!(
        !format!("{:?}", c.state.modal).contains("short"),
        "nor in debug output"
    );
    c.special(KeyCode::Enter);
    let (username, patch) = last_patch(&c);
    assert_eq!(username, BOB);
    assert_eq!(patch.password.as_deref(), Some("short"));
    assert_eq!(patch.disabled, None);
    c.reply(
        |r| matches!(r, WorkerRequest::PatchUser { .. }),
        WorkerReply::UserChanged {
            username: BOB.into(),
            result: Err(ApiError::Server {
                status: 400,
                error: "invalid_request".into(),
                description: Some("the password needs at least 12 characters".into()),
                violations: Vec::new(),
            }),
        },
    );
    assert!(
        matches!(c.state.modal, Some(Modal::Prompt(_))),
        "still open"
    );
    let screen = c.screen_text();
    assert!(screen.contains("at least 12 characters"), "{screen}");

    // Longer this time: accepted, the dialog closes and says so.
    c.keys(" and longer now");
    c.special(KeyCode::Enter);
    assert_eq!(
        last_patch(&c).1.password.as_deref(),
        Some("short and longer now")
    );
    c.reply(
        |r| matches!(r, WorkerRequest::PatchUser { .. }),
        changed(BOB, false, 0),
    );
    assert!(c.state.modal.is_none());
    let toast = &c.state.toast.as_ref().unwrap().text;
    assert!(
        toast.contains("New password set for bob@example.com"),
        "{toast}"
    );
}

#[test]
fn an_empty_password_is_not_sent() {
    let mut c = users_tab(120, 36);
    c.key('p');
    c.special(KeyCode::Enter);
    assert!(!sent(&c, |r| matches!(r, WorkerRequest::PatchUser { .. })));
    assert!(c.screen_text().contains("Type the new password first."));
    c.special(KeyCode::Esc);
    assert!(c.state.modal.is_none());
}

#[test]
fn enter_shows_the_apps_a_user_authorised_and_r_revokes_one_after_asking() {
    let mut c = users_tab(80, 24);
    c.special(KeyCode::Enter);
    assert!(sent(&c, |r| matches!(
        r,
        WorkerRequest::LoadUserDetails { username } if username == ALICE
    )));
    c.reply(
        |r| matches!(r, WorkerRequest::LoadUserDetails { .. }),
        alice_details(),
    );
    let screen = c.screen_text();
    assert!(screen.contains("PSA connector"), "{screen}");
    assert!(screen.contains("Asset inventory"), "{screen}");
    assert!(screen.contains("Mon Mgt RT"), "{screen}");
    assert!(screen.contains("3, held by 2 apps"), "{screen}");

    c.key('j');
    c.key('r');
    let screen = c.screen_text();
    assert!(
        screen.contains("Revoke alice@example.com's authorisation of “Asset"),
        "{screen}"
    );
    assert!(
        screen.contains("1 active token stops working at once."),
        "{screen}"
    );
    c.key('y');
    let (_, request) = c
        .last_request(|r| matches!(r, WorkerRequest::RevokeUserGrant { .. }))
        .unwrap();
    assert_eq!(
        request,
        WorkerRequest::RevokeUserGrant {
            username: ALICE.into(),
            family_id: "fam_asset_alice".into()
        }
    );
    // The details stay open under the confirm dialog, and reload after the revocation.
    assert!(c.state.user_details.is_some());
    c.reply(
        |r| matches!(r, WorkerRequest::RevokeUserGrant { .. }),
        WorkerReply::UserGrantRevoked {
            username: ALICE.into(),
            family_id: "fam_asset_alice".into(),
            result: Ok(RevokedCount { revoked: 1 }),
        },
    );
    assert!(sent(&c, |r| matches!(
        r,
        WorkerRequest::LoadUserDetails { .. }
    )));
    c.special(KeyCode::Esc);
    assert!(c.state.user_details.is_none());
}

#[test]
fn t_shows_the_users_tokens_on_active_tokens_and_esc_shows_everyones_again() {
    let mut c = users_tab(120, 36);
    c.key('t');
    assert_eq!(c.state.tab, Tab::ActiveTokens);
    let (_, request) = c
        .last_request(|r| matches!(r, WorkerRequest::LoadTokens(_)))
        .unwrap();
    let WorkerRequest::LoadTokens(filter) = request else {
        unreachable!()
    };
    assert_eq!(filter.subject.as_deref(), Some(ALICE));
    // Whatever the server sends, only alice's tokens are listed.
    c.reply(
        |r| matches!(r, WorkerRequest::LoadTokens(_)),
        WorkerReply::Tokens(Ok(TokenPage {
            tokens: sample_tokens(),
            next_cursor: None,
        })),
    );
    assert_eq!(c.state.tokens.visible.len(), 2);
    let screen = c.screen_text();
    assert!(
        screen.contains("Active tokens of user alice@example.com"),
        "{screen}"
    );
    assert!(!screen.contains("bob@example.com"), "{screen}");

    c.special(KeyCode::Esc);
    assert_eq!(c.state.tokens.subject, None);
    let (_, request) = c
        .last_request(|r| matches!(r, WorkerRequest::LoadTokens(_)))
        .unwrap();
    assert!(matches!(request, WorkerRequest::LoadTokens(f) if f.subject.is_none()));
    assert_eq!(c.state.tokens.visible.len(), 5);
}

#[test]
fn u_on_active_tokens_asks_for_a_user_and_capital_u_revokes_all_of_theirs() {
    let mut c = Console::with_apps(120, 36);
    c.key('3');
    c.key('u');
    c.keys(BOB);
    c.special(KeyCode::Enter);
    let (_, request) = c
        .last_request(|r| matches!(r, WorkerRequest::LoadTokens(_)))
        .unwrap();
    assert!(matches!(&request, WorkerRequest::LoadTokens(f) if f.subject.as_deref() == Some(BOB)));
    c.reply(
        |r| matches!(r, WorkerRequest::LoadTokens(_)),
        WorkerReply::Tokens(Ok(TokenPage {
            tokens: sample_tokens(),
            next_cursor: None,
        })),
    );
    assert!(
        c.screen_text()
            .contains("Active tokens of user bob@example.com")
    );
    c.key('U');
    assert!(
        c.screen_text()
            .contains("Revoke every token of bob@example.com?")
    );
    c.key('y');
    let (_, request) = c
        .last_request(|r| matches!(r, WorkerRequest::RevokeUserTokens { .. }))
        .unwrap();
    assert_eq!(
        request,
        WorkerRequest::RevokeUserTokens {
            username: BOB.into()
        }
    );
    c.reply(
        |r| matches!(r, WorkerRequest::RevokeUserTokens { .. }),
        WorkerReply::UserTokensRevoked {
            username: BOB.into(),
            result: Ok(RevokedCount { revoked: 1 }),
        },
    );
    let active = c
        .state
        .tokens
        .tokens
        .iter()
        .filter(|t| t.subject == BOB && t.is_active(NOW))
        .count();
    assert_eq!(active, 0, "shown revoked until the next load");
}

#[test]
fn capital_u_on_an_apps_own_token_says_it_belongs_to_no_user() {
    let mut c = Console::with_apps(120, 36);
    c.key('3');
    c.reply(
        |r| matches!(r, WorkerRequest::LoadTokens(_)),
        WorkerReply::Tokens(Ok(TokenPage {
            tokens: sample_tokens(),
            next_cursor: None,
        })),
    );
    // Newest first: Billing sync's client-credentials token is on top.
    assert_eq!(c.state.tokens.selected().unwrap().id, "tok_b1");
    c.key('U');
    assert!(c.state.modal.is_none());
    let toast = &c.state.toast.as_ref().unwrap().text;
    assert!(toast.contains("issued to an app"), "{toast}");
}

#[test]
fn a_read_only_key_hides_and_refuses_the_writing_row_actions() {
    let mut state = oauth_console::tui::State::new("test", NOW, false);
    update(
        &mut state,
        Action::Resize {
            width: 120,
            height: 36,
        },
    );
    let commands = start(&mut state);
    let mut c = Console { state, commands };
    c.reply(
        |r| matches!(r, WorkerRequest::WhoAmI),
        WorkerReply::WhoAmI(Ok(WhoAmI {
            name: "auditor".into(),
            read_only: true,
        })),
    );
    assert!(c.state.read_only);
    c.key('5');
    c.reply(
        |r| matches!(r, WorkerRequest::LoadUsers),
        WorkerReply::Users(Ok(sample_users())),
    );
    let alice = c.screen_line(ALICE);
    assert!(alice.contains("Details"), "{alice}");
    assert!(!alice.contains("Disable"), "{alice}");
    assert!(!alice.contains("Delete"), "{alice}");
    let before = c.commands.len();
    for key in ['e', 'p', 'd', 'R'] {
        c.key(key);
        assert!(c.state.modal.is_none(), "{key} opened a dialog");
        let toast = &c.state.toast.as_ref().unwrap().text;
        assert_eq!(toast, "This admin key is read-only");
    }
    assert_eq!(c.commands.len(), before, "nothing was sent");
    // Reading still works.
    c.special(KeyCode::Enter);
    assert!(c.state.user_details.is_some());
}

#[test]
fn hovering_a_row_shows_its_actions_and_a_click_on_one_runs_it() {
    let mut c = users_tab(120, 36);
    let row = c.screen_line_of(BOB);
    let bob_line = c.screen_line(BOB);
    assert!(!bob_line.contains("Delete"), "{bob_line}");
    c.act(Action::MouseMoved { column: 10, row });
    let bob_line = c.screen_line(BOB);
    assert!(bob_line.contains("d Delete"), "{bob_line}");
    // The screen column of the button's label (one column per character here).
    let delete_at = bob_line
        .char_indices()
        .find(|(i, _)| bob_line[*i..].starts_with("Delete"))
        .map(|(i, _)| bob_line[..i].chars().count())
        .unwrap();
    c.act(Action::MouseClicked {
        column: delete_at as u16,
        row,
    });
    assert_eq!(selected_user(&c), BOB, "the click selects the row too");
    match &c.state.modal {
        Some(Modal::Confirm { action, .. }) => assert!(
            matches!(&**action, Action::DeleteUser { username } if username == BOB),
            "{action:?}"
        ),
        other => panic!("expected the confirm dialog, got {other:?}"),
    }
    // A click on the name cell of another row only selects it.
    c.special(KeyCode::Esc);
    let carol = c.screen_line_of("carol@example.com");
    c.act(Action::MouseClicked {
        column: 5,
        row: carol,
    });
    assert_eq!(selected_user(&c), "carol@example.com");
    assert!(c.state.modal.is_none());
}

#[test]
fn s_sorts_idle_users_first_and_slash_filters_by_name() {
    let mut c = users_tab(120, 36);
    c.key('s');
    assert_eq!(c.state.users.row(0).unwrap().username, "carol@example.com");
    assert_eq!(c.state.users.row(1).unwrap().username, BOB);
    assert!(c.screen_text().contains("sorted by idle first"));
    c.key('/');
    c.keys("bo");
    assert_eq!(c.state.users.visible.len(), 1);
    assert_eq!(selected_user(&c), BOB);
    c.special(KeyCode::Esc);
    assert_eq!(c.state.users.visible.len(), 4);
}

#[test]
fn hostile_usernames_are_shown_visibly() {
    let mut c = Console::with_apps(120, 36);
    c.key('5');
    let mut users = sample_users();
    users[0].username = "eve\x1b[31m\x07".into();
    c.reply(
        |r| matches!(r, WorkerRequest::LoadUsers),
        WorkerReply::Users(Ok(users)),
    );
    let screen = c.screen_text();
    assert!(screen.contains("eve^[[31m^G"), "{screen}");
    assert!(!screen.contains('\x1b'));
}

#[test]
fn auto_refresh_reloads_the_current_list_and_keeps_the_selected_user_and_dialog() {
    let mut c = users_tab(120, 36);
    c.key('j');
    assert_eq!(selected_user(&c), BOB);
    c.key('d'); // a dialog is open while the list reloads
    let before = c.commands.len();
    c.act(Action::AutoRefresh);
    let (older, _) = c
        .last_request(|r| matches!(r, WorkerRequest::LoadUsers))
        .unwrap();
    assert_eq!(c.commands.len(), before + 1);
    // A second tick while the first is unanswered sends nothing more.
    c.act(Action::AutoRefresh);
    assert_eq!(c.commands.len(), before + 1);
    // A new user sorts above bob: he stays selected, by name, not by row.
    let mut users = sample_users();
    users.push(user("aaron@example.com", false, Some(60), 1, 1));
    c.act(Action::WorkerReply(older, WorkerReply::Users(Ok(users))));
    assert_eq!(c.state.users.users.len(), 5);
    assert_eq!(selected_user(&c), BOB);
    assert!(
        matches!(&c.state.modal, Some(Modal::Confirm { action, .. })
            if matches!(&**action, Action::DeleteUser { username } if username == BOB)),
        "the dialog is left as it was"
    );
}

#[test]
fn a_stale_users_answer_is_dropped() {
    let mut c = users_tab(120, 36);
    c.act(Action::Refresh);
    let (first, _) = c
        .last_request(|r| matches!(r, WorkerRequest::LoadUsers))
        .unwrap();
    c.act(Action::Refresh);
    let (second, _) = c
        .last_request(|r| matches!(r, WorkerRequest::LoadUsers))
        .unwrap();
    c.act(Action::WorkerReply(
        second,
        WorkerReply::Users(Ok(sample_users())),
    ));
    c.act(Action::WorkerReply(
        first,
        WorkerReply::Users(Ok(sample_users()[..1].to_vec())),
    ));
    assert_eq!(c.state.users.users.len(), 4);
}

#[test]
fn auto_refresh_of_active_tokens_keeps_the_selected_token() {
    let mut c = Console::with_apps(120, 36);
    c.key('3');
    c.reply(
        |r| matches!(r, WorkerRequest::LoadTokens(_)),
        WorkerReply::Tokens(Ok(TokenPage {
            tokens: sample_tokens(),
            next_cursor: None,
        })),
    );
    c.key('j');
    let selected = c.state.tokens.selected().unwrap().id.clone();
    c.act(Action::AutoRefresh);
    let mut tokens = sample_tokens();
    let mut newer = tokens[0].clone();
    newer.id = "tok_new".into();
    newer.issued_at = NOW;
    tokens.push(newer);
    c.reply(
        |r| matches!(r, WorkerRequest::LoadTokens(_)),
        WorkerReply::Tokens(Ok(TokenPage {
            tokens,
            next_cursor: None,
        })),
    );
    assert_eq!(c.state.tokens.visible.len(), 6);
    assert_eq!(c.state.tokens.selected().unwrap().id, selected);
}

#[test]
fn auto_refresh_of_the_apps_keeps_the_selected_app() {
    let mut c = Console::with_apps(120, 36);
    c.key('G');
    let selected = c.state.apps.selected().unwrap().client_id.clone();
    c.act(Action::AutoRefresh);
    let mut apps = sample_apps();
    let mut first = apps[0].clone();
    first.client_id = "oc_aaaa".into();
    first.name = "Aardvark".into();
    apps.push(first);
    c.reply(
        |r| matches!(r, WorkerRequest::LoadApps),
        WorkerReply::Apps(Ok(listed(apps))),
    );
    assert_eq!(c.state.apps.apps.len(), 5);
    assert_eq!(c.state.apps.selected().unwrap().client_id, selected);
}

#[test]
fn ctrl_z_asks_the_runtime_to_suspend() {
    let mut c = users_tab(80, 24);
    c.ctrl('z');
    assert!(matches!(c.commands.last(), Some(Command::Suspend)));
}

#[test]
fn the_users_actions_are_in_the_help_and_the_palette() {
    let mut c = users_tab(120, 36);
    c.key(':');
    c.keys("reset");
    let entries = oauth_console::tui::palette_entries(&c.state);
    assert_eq!(entries[0].name, "reset_password", "{entries:?}");
    c.special(KeyCode::Enter);
    assert!(matches!(c.state.modal, Some(Modal::Prompt(_))));
    c.special(KeyCode::Esc);
    c.key('?');
    let screen = c.screen_text();
    assert!(screen.contains("disable/enable"), "{screen}");
}

#[test]
fn the_palette_underlines_the_letters_that_matched() {
    use ratatui::style::Modifier;
    let mut c = users_tab(120, 36);
    c.key(':');
    c.keys("rvall");
    let terminal = c.draw();
    let buffer = terminal.backend().buffer();
    let y = c.screen_line_of("revoke all tokens");
    let line = c.screen_line("revoke all tokens");
    let start = line
        .char_indices()
        .find(|(i, _)| line[*i..].starts_with("revoke all tokens"))
        .map(|(i, _)| line[..i].chars().count() as u16)
        .unwrap();
    let underlined = |offset: u16| {
        buffer[(start + offset, y)]
            .modifier
            .contains(Modifier::UNDERLINED)
    };
    // r·v·····a·l·l: "revoke all"
    let hits: Vec<u16> = (0..17).filter(|&i| underlined(i)).collect();
    assert_eq!(hits, vec![0, 2, 7, 8, 9], "{line}");
}
