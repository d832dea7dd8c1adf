//! Redirect URL rules: what may be registered, and whether a requested URL matches.

use super::Platform;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};
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

/// Is this a redirect a Native app may use (RFC 8252 §7.3, §8.3): `http` to the
/// loopback IP literal `127.0.0.1` or `[::1]` (not `localhost`, not other 127/8
/// addresses), any port, any path, no userinfo and no fragment?
pub fn is_native_loopback_redirect(url: &Url) -> bool {
    let loopback_literal = match url.host() {
        Some(Host::Ipv4(ip)) => ip == Ipv4Addr::LOCALHOST,
        Some(Host::Ipv6(ip)) => ip == Ipv6Addr::LOCALHOST,
        _ => false,
    };
    url.scheme() == "http"
        && loopback_literal
        && url.username().is_empty()
        && url.password().is_none()
        && url.fragment().is_none()
}

/// Does `requested` match one of the `registered` redirect URLs of an app on `platform`?
///
/// Web and Single-page apps: exact string comparison with a registered URL. Native
/// apps register nothing and accept any loopback redirect on any port (RFC 8252
/// §7.3): the port rule is theirs alone, since only they listen on a port chosen
/// when the request is made.
pub fn redirect_matches(platform: Platform, registered: &[String], requested: &str) -> bool {
    match platform {
        Platform::ApiServices => false,
        Platform::Native => {
            Url::parse(requested).is_ok_and(|url| is_native_loopback_redirect(&url))
        }
        Platform::Web | Platform::SinglePage => {
            !requested.contains('#') && registered.iter().any(|r| r == requested)
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    #[test]
    fn native_takes_the_two_loopback_literals_on_any_port_and_nothing_else() {
        let native = |u: &str| redirect_matches(Platform::Native, &[], u);
        assert!(native("http://127.0.0.1:49152/cb"));
        assert!(native("http://127.0.0.1/cb"));
        assert!(native("http://[::1]:8080/callback?x=1"));
        for refused in [
            "http://127.0.0.2:8080/cb",
            "http://localhost:8080/cb",
            "https://127.0.0.1:8080/cb",
            "http://user@127.0.0.1:8080/cb",
            "http://user:pw@[::1]:8080/cb",
            "http://127.0.0.1:8080/cb#frag",
            "http://[::ffff:127.0.0.1]:8080/cb",
        ] {
            assert!(!native(refused), "{refused}");
        }
    }

    #[test]
    fn web_loopback_redirects_match_exactly_port_included() {
        let registered = vec!["http://127.0.0.1:8080/cb".to_string()];
        assert!(redirect_matches(
            Platform::Web,
            &registered,
            "http://127.0.0.1:8080/cb"
        ));
        assert!(!redirect_matches(
            Platform::Web,
            &registered,
            "http://127.0.0.1:9090/cb"
        ));
        assert!(!redirect_matches(
            Platform::SinglePage,
            &registered,
            "http://127.0.0.1:9090/cb"
        ));
    }
}
