//! The query strings of the admin API's list calls, written by the client and read by
//! the server in one place so the two cannot drift apart.

use super::wire::{AuditFilter, TokenFilter};
use std::collections::HashMap;

/// A query string's parameters, each named once.
pub type QueryParams = HashMap<String, String>;

impl TokenFilter {
    /// The query string's pairs; absent filters are left out.
    pub fn to_query(&self) -> Vec<(&'static str, String)> {
        let mut query = Vec::new();
        if let Some(id) = &self.client_id {
            query.push(("client_id", id.clone()));
        }
        if let Some(subject) = &self.subject {
            query.push(("subject", subject.clone()));
        }
        if self.active_only {
            query.push(("active", "true".to_string()));
        }
        push_paging(&mut query, self.limit, &self.cursor);
        query
    }

    /// Reads `client_id`, `subject`, `active` (`true`/`1` or `false`/`0`), `limit` and `cursor`;
    /// other parameters are ignored. The error is a sentence for the caller.
    pub fn from_query(params: &QueryParams) -> Result<TokenFilter, String> {
        let active_only = match params.get("active").map(String::as_str) {
            None | Some("false") | Some("0") => false,
            Some("true") | Some("1") => true,
            Some(other) => return Err(format!("active must be true or false, not {other:?}")),
        };
        Ok(TokenFilter {
            client_id: params.get("client_id").cloned(),
            subject: params.get("subject").cloned(),
            active_only,
            limit: parse_limit(params)?,
            cursor: params.get("cursor").cloned(),
        })
    }
}

impl AuditFilter {
    /// The query string's pairs; absent filters are left out.
    pub fn to_query(&self) -> Vec<(&'static str, String)> {
        let mut query = Vec::new();
        for (name, value) in [
            ("actor", &self.actor),
            ("action", &self.action),
            ("target", &self.target),
        ] {
            if let Some(value) = value {
                query.push((name, value.clone()));
            }
        }
        push_paging(&mut query, self.limit, &self.cursor);
        query
    }

    /// Reads `actor`, `action`, `target`, `limit` and `cursor`; other parameters are
    /// ignored. The error is a sentence for the caller.
    pub fn from_query(params: &QueryParams) -> Result<AuditFilter, String> {
        Ok(AuditFilter {
            actor: params.get("actor").cloned(),
            action: params.get("action").cloned(),
            target: params.get("target").cloned(),
            limit: parse_limit(params)?,
            cursor: params.get("cursor").cloned(),
        })
    }
}

fn push_paging(
    query: &mut Vec<(&'static str, String)>,
    limit: Option<u32>,
    cursor: &Option<String>,
) {
    if let Some(limit) = limit {
        query.push(("limit", limit.to_string()));
    }
    if let Some(cursor) = cursor {
        query.push(("cursor", cursor.clone()));
    }
}

fn parse_limit(params: &QueryParams) -> Result<Option<u32>, String> {
    params
        .get("limit")
        .map(|v| {
            v.parse::<u32>()
                .map_err(|_| format!("limit {v:?} is not a number"))
        })
        .transpose()
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    fn params(pairs: &[(&'static str, String)]) -> QueryParams {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.clone()))
            .collect()
    }

    #[test]
    fn token_filter_survives_the_query_string() {
        let filter = TokenFilter {
            client_id: Some("oc_app".into()),
            subject: Some("alice".into()),
            active_only: true,
            limit: Some(20),
            cursor: Some("tok_9".into()),
        };
        let back = TokenFilter::from_query(&params(&filter.to_query())).unwrap();
        assert_eq!(back, filter);
        let empty = TokenFilter::default();
        assert!(empty.to_query().is_empty());
        assert_eq!(TokenFilter::from_query(&params(&[])).unwrap(), empty);
    }

    #[test]
    fn audit_filter_survives_the_query_string() {
        let filter = AuditFilter {
            actor: Some("ops".into()),
            action: Some("app.update".into()),
            target: None,
            limit: Some(5),
            cursor: Some("41".into()),
        };
        let back = AuditFilter::from_query(&params(&filter.to_query())).unwrap();
        assert_eq!(back, filter);
    }

    #[test]
    fn bad_values_are_refused_with_their_name() {
        let bad_active = params(&[("active", "yes".to_string())]);
        let err = TokenFilter::from_query(&bad_active).unwrap_err();
        assert!(err.contains("active"), "{err}");
        let bad_limit = params(&[("limit", "ten".to_string())]);
        let err = AuditFilter::from_query(&bad_limit).unwrap_err();
        assert!(err.contains("limit \"ten\""), "{err}");
        let one = params(&[("active", "1".to_string())]);
        assert!(TokenFilter::from_query(&one).unwrap().active_only);
    }
}
