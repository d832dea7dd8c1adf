//! Which certificates the console and the CLI accept from a server, and the one place
//! their HTTP clients are built: the system's roots and Mozilla's (built in), plus a
//! private CA from `--ca-file` (or a profile's `ca_file`).

use super::ApiError;
use rustls::pki_types::CertificateDer;
use rustls::pki_types::pem::PemObject;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

/// The roots a server's certificate may chain to. The default is the built-in ones
/// only. Cheap to clone.
#[derive(Clone, Default)]
pub struct ServerTrust {
    extra: Arc<Vec<reqwest::Certificate>>,
    ca_file: Option<PathBuf>,
}

impl std::fmt::Debug for ServerTrust {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ServerTrust")
            .field("ca_file", &self.ca_file)
            .field("extra_roots", &self.extra.len())
            .finish()
    }
}

impl ServerTrust {
    /// The built-in roots plus every certificate in `path` (PEM). A file that cannot
    /// be read or holds no certificate is an error: a typo must not fall back quietly.
    pub fn with_ca_file(path: &Path) -> Result<ServerTrust, ApiError> {
        let bad = |reason: String| ApiError::CaFile {
            path: path.to_path_buf(),
            reason,
        };
        let pem = std::fs::read(path).map_err(|e| bad(format!("cannot read it: {e}")))?;
        let mut extra = Vec::new();
        for der in CertificateDer::pem_slice_iter(&pem) {
            let der = der.map_err(|e| bad(format!("not valid PEM: {e}")))?;
            let cert = reqwest::Certificate::from_der(&der)
                .map_err(|e| bad(format!("not a certificate: {e}")))?;
            extra.push(cert);
        }
        if extra.is_empty() {
            return Err(bad("no CERTIFICATE section in the file".into()));
        }
        Ok(ServerTrust {
            extra: Arc::new(extra),
            ca_file: Some(path.to_path_buf()),
        })
    }

    /// The `--ca-file` these roots came from, if any.
    pub fn ca_file(&self) -> Option<&Path> {
        self.ca_file.as_deref()
    }

    /// A client builder trusting these roots, with the timeouts every call of ours has.
    pub fn client_builder(&self) -> reqwest::ClientBuilder {
        let mut builder = reqwest::Client::builder()
            .connect_timeout(Duration::from_secs(5))
            .timeout(Duration::from_secs(20));
        for cert in self.extra.iter() {
            builder = builder.add_root_certificate(cert.clone());
        }
        builder
    }
}

/// One line for a failed request: a certificate the roots do not accept is named as
/// such (with the way out), not hidden behind "connection refused".
pub fn describe_http_error(e: &reqwest::Error) -> String {
    if e.is_timeout() {
        return "timed out".into();
    }
    let chain = error_chain(e);
    if chain.contains("certificate") {
        return format!(
            "the server's TLS certificate is not trusted ({}); if a private CA issued it, \
             pass --ca-file PEM",
            innermost(e)
        );
    }
    if e.is_connect() {
        return "connection refused or unreachable".into();
    }
    e.to_string()
}

/// An error with every source under it, joined by ": ".
pub(crate) fn error_chain(e: &dyn std::error::Error) -> String {
    let mut text = e.to_string();
    let mut source = e.source();
    while let Some(inner) = source {
        text.push_str(": ");
        text.push_str(&inner.to_string());
        source = inner.source();
    }
    text
}

fn innermost(e: &dyn std::error::Error) -> String {
    let mut last = e;
    while let Some(inner) = last.source() {
        last = inner;
    }
    last.to_string()
}
