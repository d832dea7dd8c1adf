//! `oauth-console users …`: resource owners who sign in on the consent page: who they
//! are, what they have authorised, and cutting them off.

use super::CliError;
use super::args::UsersCommand;
use super::confirm;
use super::output::{Output, format_time};
use super::table::{Table, fields, note};
use crate::api::{AdminClient, ApiError};
use crate::domain::wire::RevokedCount;
use crate::domain::{
    UserChanged, UserDetails, UserList, UserPatch, UserSummary, password_problem,
    sanitize_for_terminal,
};
use serde::Serialize;
use std::io::BufRead;

pub async fn run(client: &AdminClient, command: UsersCommand, out: Output) -> Result<(), CliError> {
    match command {
        UsersCommand::Add { username, .. } => {
            let password = read_password_line(std::io::stdin().lock())?;
            client.create_user(&username, &password).await?;
            out.print(&Added { added: username }, |a| {
                format!("Added user {}\n", sanitize_for_terminal(&a.added))
            })
        }
        UsersCommand::List => {
            let users = client.list_users().await?;
            out.print(&UserList { users }, |list| users_table(&list.users))
        }
        UsersCommand::Show { username } => {
            let details = lookup(client, &username).await?;
            out.print(&details, show_details)
        }
        UsersCommand::Disable { username } => {
            let changed = patch(client, &username, disabled(true)).await?;
            out.print(&changed, |c| {
                format!(
                    "Disabled user {}: they can no longer sign in; {} revoked\n",
                    sanitize_for_terminal(&c.user.username),
                    tokens_in_words(c.revoked_tokens)
                )
            })
        }
        UsersCommand::Enable { username } => {
            let changed = patch(client, &username, disabled(false)).await?;
            out.print(&changed, |c| {
                format!(
                    "Enabled user {}: they can sign in again\n",
                    sanitize_for_terminal(&c.user.username)
                )
            })
        }
        UsersCommand::Passwd { username, .. } => {
            let password = read_password_line(std::io::stdin().lock())?;
            // Checked here too, so a short password is refused before anything is sent.
            if let Some(problem) = password_problem(&password) {
                return Err(CliError::Usage(problem));
            }
            let patch_body = UserPatch {
                password: Some(password),
                ..UserPatch::default()
            };
            let changed = patch(client, &username, patch_body).await?;
            out.print(&changed, |c| {
                format!(
                    "Changed the password of user {}\n",
                    sanitize_for_terminal(&c.user.username)
                )
            })
        }
        UsersCommand::Delete { username, yes } => {
            if !yes {
                let details = lookup(client, &username).await?;
                confirm::ask(&format!(
                    "Delete user {username}, revoking {}",
                    what_is_revoked(&details.user)
                ))?;
            }
            let count = client
                .delete_user(&username)
                .await
                .map_err(|e| no_such_user(e, &username))?;
            let deleted = Deleted {
                deleted: username,
                revoked: count.revoked,
            };
            out.print(&deleted, |d| {
                format!(
                    "Deleted user {}; {} revoked\n",
                    sanitize_for_terminal(&d.deleted),
                    tokens_in_words(d.revoked)
                )
            })
        }
        UsersCommand::RevokeTokens { username, yes } => {
            if !yes {
                let details = lookup(client, &username).await?;
                confirm::ask(&format!(
                    "Revoke {} of user {username}",
                    what_is_revoked(&details.user)
                ))?;
            }
            let RevokedCount { revoked } = client
                .revoke_user_tokens(&username)
                .await
                .map_err(|e| no_such_user(e, &username))?;
            let result = TokensRevoked { username, revoked };
            out.print(&result, |r| {
                format!(
                    "Revoked {} of user {}\n",
                    tokens_in_words(r.revoked),
                    sanitize_for_terminal(&r.username)
                )
            })
        }
    }
}

#[derive(Serialize)]
struct Added {
    added: String,
}

#[derive(Serialize)]
struct Deleted {
    deleted: String,
    revoked: u64,
}

#[derive(Serialize)]
struct TokensRevoked {
    username: String,
    revoked: u64,
}

fn disabled(disabled: bool) -> UserPatch {
    UserPatch {
        disabled: Some(disabled),
        ..UserPatch::default()
    }
}

fn no_such_user(error: ApiError, username: &str) -> CliError {
    CliError::not_found_as(error, || format!("no user named {username}"))
}

async fn lookup(client: &AdminClient, username: &str) -> Result<UserDetails, CliError> {
    client
        .get_user(username)
        .await
        .map_err(|e| no_such_user(e, username))
}

async fn patch(
    client: &AdminClient,
    username: &str,
    patch: UserPatch,
) -> Result<UserChanged, CliError> {
    client
        .patch_user(username, &patch)
        .await
        .map_err(|e| no_such_user(e, username))
}

fn tokens_in_words(n: u64) -> String {
    match n {
        1 => "1 token".to_string(),
        n => format!("{n} tokens"),
    }
}

/// "3 active tokens held by 2 apps", for the question before a revocation.
fn what_is_revoked(user: &UserSummary) -> String {
    let apps = match user.authorised_apps {
        1 => "1 app".to_string(),
        n => format!("{n} apps"),
    };
    format!(
        "{} active {} held by {apps}",
        user.active_tokens,
        if user.active_tokens == 1 {
            "token"
        } else {
            "tokens"
        }
    )
}

fn status(user: &UserSummary) -> &'static str {
    if user.disabled { "disabled" } else { "active" }
}

fn last_sign_in(user: &UserSummary) -> String {
    user.last_sign_in
        .map_or_else(|| "never".to_string(), format_time)
}

fn users_table(users: &[UserSummary]) -> String {
    if users.is_empty() {
        return note("No users. Add one with `oauth-console users add NAME --password-stdin`.\n");
    }
    let mut table = Table::new(&[
        "USERNAME",
        "STATUS",
        "TOKENS",
        "APPS",
        "LAST SIGN-IN",
        "CREATED",
    ]);
    for user in users {
        table.row(vec![
            user.username.clone(),
            status(user).into(),
            user.active_tokens.to_string(),
            user.authorised_apps.to_string(),
            last_sign_in(user),
            format_time(user.created_at),
        ]);
    }
    table.render()
}

fn show_details(details: &UserDetails) -> String {
    let user = &details.user;
    let mut text = fields(&[
        ("Username", user.username.clone()),
        ("Status", status(user).into()),
        ("Active tokens", user.active_tokens.to_string()),
        ("Authorised apps", user.authorised_apps.to_string()),
        ("Last sign-in", last_sign_in(user)),
        ("Created", format_time(user.created_at)),
    ]);
    if details.grants.is_empty() {
        text.push_str(&note("\nNo app holds an active token of this user.\n"));
        return text;
    }
    text.push_str(&note("\nAuthorised apps:\n"));
    let mut table = Table::new(&[
        "APP",
        "CLIENT ID",
        "SCOPES",
        "TOKENS",
        "GRANTED",
        "LAST ISSUED",
        "FAMILY",
    ]);
    for grant in &details.grants {
        let scopes: Vec<&str> = grant.scopes.iter().map(|s| s.as_str()).collect();
        table.row(vec![
            grant.app_name.clone(),
            grant.client_id.clone(),
            if scopes.is_empty() {
                "-".into()
            } else {
                scopes.join(",")
            },
            grant.active_tokens.to_string(),
            format_time(grant.granted_at),
            format_time(grant.last_issued_at),
            grant.family_id.clone(),
        ]);
    }
    text.push_str(&table.render());
    text
}

/// The first line of `input`, without its line ending; an empty password is refused.
fn read_password_line(mut input: impl BufRead) -> Result<String, CliError> {
    let mut line = String::new();
    input
        .read_line(&mut line)
        .map_err(|e| CliError::Failed(format!("cannot read the password from stdin: {e}")))?;
    let password = line.trim_end_matches(['\n', '\r']);
    if password.is_empty() {
        return Err(CliError::Usage(
            "no password on stdin: pipe it in, e.g. `printf '%s\\n' \"$PW\" | oauth-console users add NAME --password-stdin`"
                .into(),
        ));
    }
    Ok(password.to_string())
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    #[test]
    fn the_password_is_the_first_line_without_its_newline() {
        let pw = read_password_line(&b"s3cret pass\r\nsecond\n"[..]).unwrap();
        assert_eq!(pw, "s3cret pass");
    }

    #[test]
    fn an_empty_stdin_is_a_usage_error() {
        let error = read_password_line(&b""[..]).unwrap_err();
        assert_eq!(error.exit_code(), 2);
    }

    #[test]
    fn the_question_names_tokens_and_apps() {
        let user = UserSummary {
            username: "ann".into(),
            disabled: false,
            created_at: 0,
            last_sign_in: None,
            active_tokens: 1,
            authorised_apps: 2,
        };
        assert_eq!(what_is_revoked(&user), "1 active token held by 2 apps");
    }
}
