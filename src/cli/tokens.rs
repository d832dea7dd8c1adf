//! `oauth-console tokens …`: issued tokens, listed and revoked through the admin API.

use super::CliError;
use super::args::TokensCommand;
use super::output::{Output, format_time};
use super::table::{Table, note};
use crate::api::{AdminClient, TokenFilter};
use crate::domain::unix_now;
use crate::domain::wire::TokenPage;
use crate::domain::{TokenRecord, TokenStatus, sanitize_for_terminal};
use serde::Serialize;

/// A guard against a server whose cursors never end.
const MAX_PAGES: usize = 1000;

pub async fn run(
    client: &AdminClient,
    command: TokensCommand,
    out: Output,
) -> Result<(), CliError> {
    match command {
        TokensCommand::List {
            client_id,
            subject,
            active,
        } => {
            let filter = TokenFilter {
                client_id,
                subject,
                active_only: active,
                ..TokenFilter::default()
            };
            let tokens = list_all(client, filter).await?;
            out.print(
                &TokenPage {
                    tokens,
                    next_cursor: None,
                },
                |page| tokens_table(&page.tokens, unix_now()),
            )
        }
        TokensCommand::Revoke { token_id, .. } => {
            client.revoke_token(&token_id).await.map_err(|e| {
                CliError::not_found_as(e, || format!("no token with ID {token_id}"))
            })?;
            out.print(&Revoked { revoked: token_id }, |r| {
                format!("Revoked token {}\n", sanitize_for_terminal(&r.revoked))
            })
        }
    }
}

#[derive(Serialize)]
struct Revoked {
    revoked: String,
}

/// Follows the cursors to the last page.
async fn list_all(
    client: &AdminClient,
    mut filter: TokenFilter,
) -> Result<Vec<TokenRecord>, CliError> {
    let mut tokens = Vec::new();
    for _ in 0..MAX_PAGES {
        let page = client.list_tokens(&filter).await?;
        tokens.extend(page.tokens);
        match page.next_cursor {
            Some(cursor) => filter.cursor = Some(cursor),
            None => return Ok(tokens),
        }
    }
    Err(CliError::Failed(format!(
        "the server returned more than {MAX_PAGES} pages of tokens; narrow the list with --app, --user or --active"
    )))
}

fn tokens_table(tokens: &[TokenRecord], now: i64) -> String {
    if tokens.is_empty() {
        return note("No tokens.\n");
    }
    let mut table = Table::new(&[
        "ID",
        "KIND",
        "CLIENT ID",
        "SUBJECT",
        "SCOPES",
        "STATUS",
        "ISSUED",
        "EXPIRES",
        "FAMILY ENDS",
    ]);
    for token in tokens {
        let status = match token.status(now) {
            TokenStatus::Active => "active",
            TokenStatus::Expired => "expired",
            TokenStatus::Revoked => "revoked",
        };
        let scopes: Vec<&str> = token.scopes.iter().map(|s| s.as_str()).collect();
        table.row(vec![
            token.id.clone(),
            token.kind.as_str().into(),
            token.client_id.clone(),
            token.subject.clone(),
            if scopes.is_empty() {
                "-".into()
            } else {
                scopes.join(",")
            },
            status.into(),
            format_time(token.issued_at),
            format_time(token.expires_at),
            // The refresh family's absolute end: no rotation goes past it.
            token
                .family_expires_at
                .map_or_else(|| "-".into(), format_time),
        ]);
    }
    table.render()
}
