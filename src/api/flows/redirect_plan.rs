//! Where the browser's redirect will land: on a loopback listener of ours (RFC 8252
//! §7.3), or somewhere we cannot listen, so that the user pastes the URL back.

use super::FlowError;
use crate::domain::{ClientApp, Platform};
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use url::{Host, Url};

/// The path our listener serves for Native apps.
pub const NATIVE_CALLBACK_PATH: &str = "/callback";

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RedirectPlan {
    /// Listen on `bind` and serve `path`. `redirect` is the redirect URI to send,
    /// except that when `port_may_vary` and the registered port cannot be had, any free
    /// port on the same loopback IP will do (the server allows any loopback port).
    Listen {
        bind: SocketAddr,
        path: String,
        redirect: Url,
        port_may_vary: bool,
    },
    /// The redirect goes to a site we do not run: the user pastes the URL it reached.
    Paste { redirect_uri: String },
}

/// Chooses the redirect for an authorization code flow of `app`.
pub fn plan_redirect(app: &ClientApp) -> Result<RedirectPlan, FlowError> {
    match app.platform {
        Platform::ApiServices => Err(FlowError::NotAllowed(
            "API services apps have no redirect: use client credentials".into(),
        )),
        Platform::Native => {
            let bind = SocketAddr::new(IpAddr::V4(Ipv4Addr::LOCALHOST), 0);
            let redirect = Url::parse(&format!("http://{bind}{NATIVE_CALLBACK_PATH}"))
                .map_err(|e| FlowError::Protocol(e.to_string()))?;
            Ok(RedirectPlan::Listen {
                bind,
                path: NATIVE_CALLBACK_PATH.into(),
                redirect,
                port_may_vary: true,
            })
        }
        Platform::Web | Platform::SinglePage => {
            let loopback = app.redirect_urls.iter().find_map(|raw| {
                let url = Url::parse(raw).ok()?;
                (url.scheme() == "http").then_some(())?;
                let ip = loopback_ip(&url)?;
                Some((url, ip))
            });
            if let Some((url, ip)) = loopback {
                // The server matches Web and Single-page redirects exactly (the any-port
                // rule is for Native apps only), so the registered port it must be.
                let port_may_vary = false;
                let port = url.port_or_known_default().unwrap_or(80);
                return Ok(RedirectPlan::Listen {
                    bind: SocketAddr::new(ip, port),
                    path: url.path().to_string(),
                    redirect: url,
                    port_may_vary,
                });
            }
            match app.redirect_urls.first() {
                Some(first) => Ok(RedirectPlan::Paste {
                    redirect_uri: first.clone(),
                }),
                None => Err(FlowError::NotAllowed(
                    "the app has no redirect URL registered".into(),
                )),
            }
        }
    }
}

/// The loopback address to listen on for a redirect URL, if it is on this machine.
fn loopback_ip(url: &Url) -> Option<IpAddr> {
    match url.host()? {
        Host::Ipv4(ip) if ip.is_loopback() => Some(IpAddr::V4(ip)),
        Host::Ipv6(ip) if ip.is_loopback() => Some(IpAddr::V6(ip)),
        Host::Domain("localhost") => Some(IpAddr::V4(Ipv4Addr::LOCALHOST)),
        _ => None,
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    fn app(platform: Platform, redirects: &[&str]) -> ClientApp {
        ClientApp {
            client_id: "oc_test".into(),
            name: "Test".into(),
            platform,
            redirect_urls: redirects.iter().map(|s| s.to_string()).collect(),
            scopes: vec![],
            grant_types: vec![],
            secret_hash: None,
            previous_secret_hash: None,
            previous_secret_expires_at: None,
            created_at: 0,
            updated_at: 0,
            access_token_ttl: None,
            refresh_token_ttl: None,
        }
    }

    #[test]
    fn native_apps_listen_on_an_ephemeral_loopback_port() {
        let plan = plan_redirect(&app(Platform::Native, &[])).unwrap();
        let RedirectPlan::Listen { bind, path, .. } = plan else {
            panic!("expected a listener");
        };
        assert_eq!(bind.to_string(), "127.0.0.1:0");
        assert_eq!(path, "/callback");
    }

    #[test]
    fn web_apps_listen_where_their_loopback_redirect_points() {
        let plan = plan_redirect(&app(
            Platform::Web,
            &["https://psa.example/cb", "http://127.0.0.1:7777/oauth/done"],
        ))
        .unwrap();
        let RedirectPlan::Listen { bind, path, .. } = plan else {
            panic!("expected a listener");
        };
        assert_eq!(bind.to_string(), "127.0.0.1:7777");
        assert_eq!(path, "/oauth/done");
    }

    #[test]
    fn web_apps_redirecting_elsewhere_ask_for_the_pasted_url() {
        let plan = plan_redirect(&app(Platform::SinglePage, &["https://spa.example/cb"])).unwrap();
        assert_eq!(
            plan,
            RedirectPlan::Paste {
                redirect_uri: "https://spa.example/cb".into()
            }
        );
    }
}
