//! What an app allows *now* bounds every token it issued: a token carries only the
//! scopes its app still has, a refresh token lives only while the app keeps the
//! refresh grant and `offline_access`. The same rules tell an administrator, before
//! saving, what a change does to the tokens out there.

use super::{ClientApp, GrantType, Scope, TokenKind, TokenRecord};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The scopes of `granted` that `app` still has, in `granted`'s order.
pub fn scopes_still_allowed(app: &ClientApp, granted: &[Scope]) -> Vec<Scope> {
    granted
        .iter()
        .copied()
        .filter(|s| app.has_scope(*s))
        .collect()
}

/// Does a set of scopes grant anything? `offline_access` alone does not: it only
/// asks for a refresh token.
pub fn grants_access(scopes: &[Scope]) -> bool {
    scopes.iter().any(|s| *s != Scope::OfflineAccess)
}

/// May the app still refresh? Only with the refresh grant and `offline_access`.
pub fn may_refresh(app: &ClientApp) -> bool {
    app.has_grant(GrantType::RefreshToken) && app.has_scope(Scope::OfflineAccess)
}

/// The scopes a token carries under its app as it is now; `None` when the token is
/// worth nothing any more (no scope left, or a refresh token the app may not use).
pub fn bound_scopes(app: &ClientApp, token: &TokenRecord) -> Option<Vec<Scope>> {
    if token.client_id != app.client_id {
        return None;
    }
    if token.kind == TokenKind::Refresh && !may_refresh(app) {
        return None;
    }
    let scopes = scopes_still_allowed(app, &token.scopes);
    grants_access(&scopes).then_some(scopes)
}

/// What saving a change to an app does to its active tokens.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AppChangeImpact {
    /// Active tokens of the app, before the change.
    pub active_tokens: u64,
    /// Active tokens the change narrows or ends.
    pub affected_tokens: u64,
    /// Of those, tokens that become worthless (no scope left, or a refresh token
    /// whose app may no longer refresh).
    pub ended_tokens: u64,
    /// For each scope taken away: how many active tokens carry it and lose it now.
    #[serde(default)]
    pub losing_scope: BTreeMap<Scope, u64>,
}

impl AppChangeImpact {
    /// Adds one active token, judged against the app as it will be.
    pub fn count(&mut self, after: &ClientApp, token: &TokenRecord) {
        self.active_tokens += 1;
        let mut affected = false;
        for scope in token.scopes.iter().filter(|s| !after.has_scope(**s)) {
            *self.losing_scope.entry(*scope).or_default() += 1;
            affected = true;
        }
        if bound_scopes(after, token).is_none() {
            self.ended_tokens += 1;
            affected = true;
        }
        if affected {
            self.affected_tokens += 1;
        }
    }

    /// One line for people: "12 active tokens carry Control; they lose it now".
    pub fn summary(&self) -> String {
        if self.affected_tokens == 0 {
            return format!(
                "No active token is affected ({} active)",
                self.active_tokens
            );
        }
        let mut parts: Vec<String> = self
            .losing_scope
            .iter()
            .map(|(scope, n)| {
                let (tokens, carry) = if *n == 1 {
                    ("token", "carries")
                } else {
                    ("tokens", "carry")
                };
                format!("{n} active {tokens} {carry} {}", scope.label())
            })
            .collect();
        if parts.is_empty() {
            parts.push(format!("{} active tokens", self.affected_tokens));
        }
        let who = if self.affected_tokens == 1 {
            "it loses"
        } else {
            "they lose"
        };
        let what = if self.losing_scope.len() > 1 {
            "them"
        } else {
            "it"
        };
        let mut line = format!("{}; {who} {what} now", parts.join(", "));
        if self.ended_tokens > 0 {
            let verb = if self.ended_tokens == 1 {
                "stops"
            } else {
                "stop"
            };
            line.push_str(&format!(" ({} {verb} working)", self.ended_tokens));
        }
        line
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;
    use crate::domain::Platform;

    fn app(scopes: &[Scope], grants: &[GrantType]) -> ClientApp {
        ClientApp {
            client_id: "oc_a".into(),
            name: "A".into(),
            platform: Platform::Web,
            redirect_urls: vec![],
            scopes: scopes.to_vec(),
            grant_types: grants.to_vec(),
            secret_hash: None,
            previous_secret_hash: None,
            previous_secret_expires_at: None,
            created_at: 0,
            updated_at: 0,
            access_token_ttl: None,
            refresh_token_ttl: None,
        }
    }

    fn token(kind: TokenKind, scopes: &[Scope]) -> TokenRecord {
        TokenRecord {
            id: "tok_1".into(),
            hash: "h".into(),
            kind,
            client_id: "oc_a".into(),
            subject: "alice".into(),
            scopes: scopes.to_vec(),
            grant: GrantType::AuthorizationCode,
            issued_at: 0,
            expires_at: 10,
            family_id: "fam_1".into(),
            revoked_at: None,
            family_expires_at: None,
            found_by_hash: false,
        }
    }

    use Scope::{Control, Monitoring, OfflineAccess};

    #[test]
    fn a_removed_scope_is_taken_from_the_token() {
        let after = app(&[Monitoring], &[GrantType::AuthorizationCode]);
        let t = token(TokenKind::Access, &[Monitoring, Control]);
        assert_eq!(bound_scopes(&after, &t), Some(vec![Monitoring]));
    }

    #[test]
    fn nothing_left_or_offline_access_alone_ends_the_token() {
        let after = app(&[OfflineAccess], &[GrantType::RefreshToken]);
        assert_eq!(
            bound_scopes(&after, &token(TokenKind::Access, &[Control, OfflineAccess])),
            None
        );
    }

    #[test]
    fn a_refresh_token_ends_with_the_refresh_grant() {
        let t = token(TokenKind::Refresh, &[Monitoring, OfflineAccess]);
        let with = app(&[Monitoring, OfflineAccess], &[GrantType::RefreshToken]);
        let without = app(
            &[Monitoring, OfflineAccess],
            &[GrantType::AuthorizationCode],
        );
        assert!(bound_scopes(&with, &t).is_some());
        assert_eq!(bound_scopes(&without, &t), None);
    }

    #[test]
    fn the_impact_counts_tokens_per_lost_scope() {
        let after = app(&[Monitoring], &[GrantType::AuthorizationCode]);
        let mut impact = AppChangeImpact::default();
        impact.count(&after, &token(TokenKind::Access, &[Monitoring, Control]));
        impact.count(&after, &token(TokenKind::Access, &[Control]));
        impact.count(&after, &token(TokenKind::Access, &[Monitoring]));
        assert_eq!(impact.active_tokens, 3);
        assert_eq!(impact.affected_tokens, 2);
        assert_eq!(impact.ended_tokens, 1);
        assert_eq!(impact.losing_scope.get(&Control), Some(&2));
        assert_eq!(
            impact.summary(),
            "2 active tokens carry Control; they lose it now (1 stops working)"
        );

        let mut one = AppChangeImpact::default();
        one.count(&after, &token(TokenKind::Access, &[Monitoring, Control]));
        assert_eq!(
            one.summary(),
            "1 active token carries Control; it loses it now"
        );
        let after = app(&[Scope::OfflineAccess], &[GrantType::AuthorizationCode]);
        let mut two = AppChangeImpact::default();
        two.count(&after, &token(TokenKind::Access, &[Monitoring, Control]));
        two.count(&after, &token(TokenKind::Access, &[Monitoring]));
        assert_eq!(
            two.summary(),
            "2 active tokens carry Monitoring, 1 active token carries Control; they lose them now (2 stop working)"
        );
    }
}
