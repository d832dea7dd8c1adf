//! Redirect URL rules: what may be registered, and whether a requested URL matches.

use super::Platform;
use std::net::IpAddr;
use url::{Host, Url};

/// Is this host a loopback address written as an IP literal (RFC 8252 §7.3)?
pub fn is_loopback_ip_host(url: &Url) -> bool {
    match url.host() {
        Some(Host::Ipv4(ip)) => IpAddr::V4(ip).is_loopback(),
        Some(Host::Ipv6(ip)) => IpAddr::V6(ip).is_loopback(),
        _ => false,
    }
}

fn is_loopback_host(url: &Url) -> bool {
    is_loopback_ip_host(url) || url.host_str() == Some("localhost")
}

/// Checks one URL an administrator wants to register for a Web or Single-page app.
pub fn check_registered_redirect(raw: &str) -> Result<Url, String> {
    let url = Url::parse(raw).map_err(|e| format!("{raw:?} is not an absolute URL ({e})"))?;
    if url.fragment().is_some() {
        return Err(format!(
            "{raw:?}: redirect URLs cannot contain a fragment (#…)"
        ));
    }
    match url.scheme() {
        "https" => Ok(url),
        "http" if is_loopback_host(&url) => Ok(url),
        _ => Err(format!(
            "{raw:?}: redirect URLs must be https, or http on a loopback address"
        )),
    }
}

/// Does `requested` match one of the `registered` redirect URLs of an app on `platform`?
///
/// Exact string comparison, with one exception from RFC 8252 §7.3: on loopback IP
/// literals over http the port may differ. Native apps register nothing and accept
/// any `http://127.0.0.1:{port}/…` or `http://[::1]:{port}/…`.
pub fn redirect_matches(platform: Platform, registered: &[String], requested: &str) -> bool {
    let Ok(req) = Url::parse(requested) else {
        return false;
    };
    if req.fragment().is_some() {
        return false;
    }
    match platform {
        Platform::ApiServices => false,
        Platform::Native => req.scheme() == "http" && is_loopback_ip_host(&req),
        Platform::Web | Platform::SinglePage => registered.iter().any(|r| {
            if r == requested {
                return true;
            }
            let Ok(reg) = Url::parse(r) else {
                return false;
            };
            reg.scheme() == "http"
                && req.scheme() == "http"
                && is_loopback_ip_host(&reg)
                && reg.host() == req.host()
                && reg.path() == req.path()
                && reg.query() == req.query()
                && reg.username() == req.username()
                && reg.password() == req.password()
        }),
    }
}
