//! What can go wrong in an OAuth flow, in words fit for a toast.

/// The outcome of a flow that did not end with tokens.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FlowError {
    /// The server's RFC 8414 metadata could not be fetched or read.
    #[error("cannot read the server's OAuth metadata: {0}")]
    Discovery(String),
    /// The app, its platform or the server does not allow this flow.
    #[error("{0}")]
    NotAllowed(String),
    /// The server could not be reached or did not answer in time.
    #[error("cannot reach {url}: {reason}")]
    Unreachable { url: String, reason: String },
    /// The authorization server answered with an OAuth error (RFC 6749 §4.1.2.1, §5.2;
    /// RFC 8628 §3.5).
    #[error("{}", oauth_message(.error, .description.as_deref()))]
    OAuth {
        error: String,
        description: Option<String>,
    },
    /// A redirect came back with a `state` that is not this flow's: possibly forged.
    #[error("the redirect's state does not match this sign-in; it was ignored")]
    StateMismatch,
    /// A pasted or received redirect URL could not be read.
    #[error("not a redirect from this sign-in: {0}")]
    InvalidCallback(String),
    /// Nobody finished the sign-in before the flow's deadline.
    #[error("the sign-in was not finished in time")]
    TimedOut,
    /// The user cancelled the flow.
    #[error("cancelled")]
    Cancelled,
    /// No flow with that id is waiting (it finished, or never started).
    #[error("no such sign-in is waiting")]
    UnknownFlow,
    /// The loopback listener could not be opened.
    #[error("cannot listen for the redirect on {address}: {reason}")]
    Listener { address: String, reason: String },
    /// The server answered something this client cannot read.
    #[error("unexpected answer from the server: {0}")]
    Protocol(String),
}

impl FlowError {
    /// The OAuth `error` code, when the server sent one (`access_denied`, `invalid_grant`…).
    pub fn oauth_code(&self) -> Option<&str> {
        match self {
            FlowError::OAuth { error, .. } => Some(error),
            _ => None,
        }
    }

    pub fn oauth(error: impl Into<String>, description: Option<String>) -> FlowError {
        FlowError::OAuth {
            error: error.into(),
            description,
        }
    }

    pub(crate) fn unreachable(url: &str, e: &reqwest::Error) -> FlowError {
        let reason = if e.is_timeout() {
            "timed out".to_string()
        } else if e.is_connect() {
            "connection refused or unreachable".to_string()
        } else {
            e.to_string()
        };
        FlowError::Unreachable {
            url: url.to_string(),
            reason,
        }
    }
}

fn oauth_message(error: &str, description: Option<&str>) -> String {
    let plain = match error {
        "access_denied" => "access was denied",
        "expired_token" => "the code expired before anyone approved it",
        "invalid_client" => "the server did not accept the client's credentials",
        "invalid_grant" => "the grant or refresh token was refused (used, expired or revoked)",
        "invalid_scope" => "the app may not ask for these scopes",
        "unauthorized_client" => "the app may not use this grant",
        "unsupported_grant_type" => "the server does not support this grant",
        _ => "",
    };
    match (plain.is_empty(), description) {
        (_, Some(d)) if !d.is_empty() => format!("{error}: {d}"),
        (false, _) => format!("{error}: {plain}"),
        (true, _) => error.to_string(),
    }
}
