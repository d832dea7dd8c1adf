//! The loopback listener (RFC 8252 §7.3): a tiny HTTP server on 127.0.0.1 that the
//! browser is redirected to. It checks `state`, answers with a page saying the tab can
//! be closed, and hands the code (or the server's error) to the waiting flow.

use super::callback::code_from_query;
use super::{FlowError, PendingAuthorization, SecretString};
use crate::domain::escape_html;
use axum::Router;
use axum::extract::State;
use axum::http::{StatusCode, Uri, header};
use axum::response::{Html, IntoResponse, Response};
use std::net::SocketAddr;
use std::sync::Arc;
use tokio::net::TcpListener;
use tokio::sync::mpsc;
use tokio::task::JoinHandle;
use url::Url;

/// A bound socket that does not serve yet: its port decides the redirect URI, which
/// the authorization request needs before anything can be served.
#[derive(Debug)]
pub struct BoundLoopback {
    listener: TcpListener,
    path: String,
    redirect: Url,
}

impl BoundLoopback {
    /// Binds `bind`. When `port_may_vary` and that port is taken (or is 0), a free
    /// port on the same address is used and the redirect URI says so.
    pub async fn bind(
        bind: SocketAddr,
        path: &str,
        redirect: &Url,
        port_may_vary: bool,
    ) -> Result<BoundLoopback, FlowError> {
        let listener = match TcpListener::bind(bind).await {
            Ok(listener) => listener,
            Err(_) if port_may_vary && bind.port() != 0 => {
                TcpListener::bind(SocketAddr::new(bind.ip(), 0))
                    .await
                    .map_err(|e| listen_error(bind, &e))?
            }
            Err(e) => return Err(listen_error(bind, &e)),
        };
        let local = listener.local_addr().map_err(|e| listen_error(bind, &e))?;
        let mut redirect = redirect.clone();
        if port_may_vary || redirect.port().is_some() {
            redirect
                .set_port(Some(local.port()))
                .map_err(|()| FlowError::Protocol(format!("cannot set a port on {redirect}")))?;
        }
        Ok(BoundLoopback {
            listener,
            path: path.to_string(),
            redirect,
        })
    }

    /// The redirect URI to put in the authorization request.
    pub fn redirect_uri(&self) -> &str {
        self.redirect.as_str()
    }

    /// Starts answering the browser for `pending`.
    pub fn serve(self, pending: PendingAuthorization) -> Result<LoopbackListener, FlowError> {
        let local_addr = self
            .listener
            .local_addr()
            .map_err(|e| FlowError::Protocol(e.to_string()))?;
        let (outcomes_tx, outcomes) = mpsc::channel(1);
        let state = Arc::new(CallbackState {
            path: self.path,
            pending,
            outcomes: outcomes_tx,
        });
        let app = Router::new().fallback(answer_browser).with_state(state);
        let listener = self.listener;
        let server = tokio::spawn(async move {
            // Errors here only mean the socket went away; the flow notices by timing out.
            let _ = axum::serve(listener, app).await;
        });
        Ok(LoopbackListener {
            local_addr,
            outcomes,
            server,
        })
    }
}

/// A listener serving the redirect. Dropping it stops listening; [`close`] also
/// waits until the port is released.
///
/// [`close`]: LoopbackListener::close
#[derive(Debug)]
pub struct LoopbackListener {
    local_addr: SocketAddr,
    outcomes: mpsc::Receiver<Result<SecretString, FlowError>>,
    server: JoinHandle<()>,
}

impl LoopbackListener {
    pub fn local_addr(&self) -> SocketAddr {
        self.local_addr
    }

    /// Waits for the redirect: the code, or the error the server sent back.
    /// Redirects with a wrong `state` are answered and ignored.
    pub async fn next_outcome(&mut self) -> Result<SecretString, FlowError> {
        match self.outcomes.recv().await {
            Some(outcome) => outcome,
            None => Err(FlowError::Listener {
                address: self.local_addr.to_string(),
                reason: "the listener stopped".into(),
            }),
        }
    }

    /// Stops listening and waits until the socket is closed.
    pub async fn close(mut self) {
        self.server.abort();
        // Once the aborted task is awaited, its future (and the socket) has been dropped.
        let _ = (&mut self.server).await;
    }
}

impl Drop for LoopbackListener {
    fn drop(&mut self) {
        self.server.abort();
    }
}

struct CallbackState {
    path: String,
    pending: PendingAuthorization,
    outcomes: mpsc::Sender<Result<SecretString, FlowError>>,
}

async fn answer_browser(State(state): State<Arc<CallbackState>>, uri: Uri) -> Response {
    if uri.path() != state.path {
        return page(
            StatusCode::NOT_FOUND,
            "Not found",
            "Nothing is waiting here.",
        );
    }
    let outcome = code_from_query(uri.query().unwrap_or(""), &state.pending);
    let (status, title, body) = match &outcome {
        Ok(_) => (
            StatusCode::OK,
            "Signed in",
            "oauth-console received the authorization. You can close this tab.".to_string(),
        ),
        Err(FlowError::OAuth { error, description }) => (
            StatusCode::OK,
            "Sign-in not completed",
            format!(
                "The server answered {}{}. You can close this tab.",
                error,
                description
                    .as_deref()
                    .map(|d| format!(": {d}"))
                    .unwrap_or_default()
            ),
        ),
        Err(e) => {
            return page(
                StatusCode::BAD_REQUEST,
                "Not this sign-in",
                &format!("{e}. oauth-console is still waiting for its own sign-in."),
            );
        }
    };
    if state.outcomes.try_send(outcome).is_err() {
        return page(
            StatusCode::OK,
            "Already done",
            "oauth-console already received an answer. You can close this tab.",
        );
    }
    page(status, title, &body)
}

fn page(status: StatusCode, title: &str, message: &str) -> Response {
    let html = format!(
        "<!doctype html><html><head><meta charset=\"utf-8\"><title>{t} · oauth-console</title></head>\
         <body style=\"font-family:sans-serif;max-width:36em;margin:4em auto\">\
         <h1>{t}</h1><p>{m}</p></body></html>",
        t = escape_html(title),
        m = escape_html(message),
    );
    (
        status,
        [
            (header::CACHE_CONTROL, "no-store"),
            (header::REFERRER_POLICY, "no-referrer"),
        ],
        Html(html),
    )
        .into_response()
}

fn listen_error(bind: SocketAddr, e: &std::io::Error) -> FlowError {
    FlowError::Listener {
        address: bind.to_string(),
        reason: e.to_string(),
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;
    use crate::api::flows::ServerMetadata;
    use crate::domain::ResponseType;

    async fn listening() -> (LoopbackListener, String, PendingAuthorization) {
        let metadata: ServerMetadata = serde_json::from_value(serde_json::json!({
            "issuer": "http://127.0.0.1:9",
            "authorization_endpoint": "http://127.0.0.1:9/oauth/authorize",
            "token_endpoint": "http://127.0.0.1:9/oauth/token",
        }))
        .unwrap();
        let redirect = Url::parse("http://127.0.0.1:0/callback").unwrap();
        let bound =
            BoundLoopback::bind("127.0.0.1:0".parse().unwrap(), "/callback", &redirect, true)
                .await
                .unwrap();
        let redirect_uri = bound.redirect_uri().to_string();
        let pending = PendingAuthorization::new(
            &metadata,
            ResponseType::Code,
            "oc_app",
            None,
            &redirect_uri,
            &[],
        )
        .unwrap();
        let listener = bound.serve(pending.clone()).unwrap();
        (listener, redirect_uri, pending)
    }

    #[tokio::test]
    async fn the_browser_gets_an_escaped_page_and_the_flow_gets_the_servers_error() {
        let (mut listener, redirect_uri, pending) = listening().await;
        assert_ne!(listener.local_addr().port(), 0);
        let url = format!(
            "{redirect_uri}?error=access_denied&error_description=%3Cscript%3Ex%3C%2Fscript%3E&state={}",
            pending.state.expose()
        );
        let response = reqwest::get(&url).await.unwrap();
        assert_eq!(response.status(), 200);
        let body = response.text().await.unwrap();
        assert!(body.contains("&lt;script&gt;"), "{body}");
        assert!(!body.contains("<script>"), "{body}");
        assert!(body.contains("You can close this tab"));
        let outcome = listener.next_outcome().await.unwrap_err();
        assert_eq!(outcome.oauth_code(), Some("access_denied"));
    }

    #[tokio::test]
    async fn a_redirect_with_a_wrong_state_is_refused_and_the_wait_goes_on() {
        let (mut listener, redirect_uri, pending) = listening().await;
        let forged = reqwest::get(format!("{redirect_uri}?code=evil&state=forged"))
            .await
            .unwrap();
        assert_eq!(forged.status(), 400);
        let elsewhere = reqwest::get(redirect_uri.replace("/callback", "/other"))
            .await
            .unwrap();
        assert_eq!(elsewhere.status(), 404);
        let good = format!("{redirect_uri}?code=good&state={}", pending.state.expose());
        assert_eq!(reqwest::get(&good).await.unwrap().status(), 200);
        assert_eq!(listener.next_outcome().await.unwrap().expose(), "good");
        let addr = listener.local_addr();
        listener.close().await;
        assert!(tokio::net::TcpStream::connect(addr).await.is_err());
    }
}
