//! The issuer identifier (RFC 8414 §2): kept exactly as the operator wrote it, since
//! clients compare it as a string (RFC 8414 §3.3, RFC 9207 §2.4) and `url::Url`
//! would add a trailing slash to a bare host.

use std::fmt;
use std::str::FromStr;
use url::Url;

/// An `https` (or `http`) URL with no query and no fragment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Issuer {
    text: String,
    url: Url,
}

impl Issuer {
    /// Exactly as given: what the metadata's `issuer` and the `iss` parameter say.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    pub fn url(&self) -> &Url {
        &self.url
    }

    /// The issuer's path without its slashes, e.g. `tenant1` for
    /// `https://auth.example/tenant1`; `None` at the host root.
    pub fn path(&self) -> Option<&str> {
        let path = self.url.path().trim_matches('/');
        (!path.is_empty()).then_some(path)
    }

    /// An endpoint's absolute URL under the issuer.
    pub fn endpoint(&self, path: &str) -> String {
        format!(
            "{}/{}",
            self.text.trim_end_matches('/'),
            path.trim_start_matches('/')
        )
    }
}

impl FromStr for Issuer {
    type Err = String;

    fn from_str(text: &str) -> Result<Issuer, String> {
        let url = Url::parse(text).map_err(|e| format!("{text:?} is not an absolute URL ({e})"))?;
        if !matches!(url.scheme(), "https" | "http") {
            return Err(format!("{text:?}: an issuer is an https URL"));
        }
        if url.query().is_some() || url.fragment().is_some() || text.contains('#') {
            return Err(format!(
                "{text:?}: an issuer has no query or fragment (RFC 8414 §2)"
            ));
        }
        if !url.username().is_empty() || url.password().is_some() {
            return Err(format!("{text:?}: an issuer has no user name or password"));
        }
        Ok(Issuer {
            text: text.to_string(),
            url,
        })
    }
}

impl From<Url> for Issuer {
    fn from(url: Url) -> Issuer {
        Issuer {
            text: url.as_str().to_string(),
            url,
        }
    }
}

impl fmt::Display for Issuer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    #[test]
    fn an_issuer_is_kept_as_written() {
        let bare: Issuer = "http://127.0.0.1:8414".parse().unwrap();
        assert_eq!(bare.as_str(), "http://127.0.0.1:8414");
        assert_eq!(
            bare.endpoint("oauth/token"),
            "http://127.0.0.1:8414/oauth/token"
        );
        assert_eq!(bare.path(), None);
        let tenant: Issuer = "https://auth.example/tenant1".parse().unwrap();
        assert_eq!(tenant.path(), Some("tenant1"));
        assert_eq!(
            tenant.endpoint("/oauth/token"),
            "https://auth.example/tenant1/oauth/token"
        );
    }

    #[test]
    fn queries_fragments_and_other_schemes_are_refused() {
        for bad in [
            "https://a.example/?x=1",
            "https://a.example/#f",
            "ftp://a.example",
            "a.example",
            "https://u:p@a.example",
        ] {
            assert!(bad.parse::<Issuer>().is_err(), "{bad}");
        }
    }
}
