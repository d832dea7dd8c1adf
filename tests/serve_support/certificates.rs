//! Certificates made in the test: a private CA and server certificates it issues for
//! 127.0.0.1 and localhost, written as PEM files the way an operator would have them.

use rcgen::{
    BasicConstraints, CertificateParams, CertifiedIssuer, DnType, IsCa, KeyPair, KeyUsagePurpose,
};
use std::path::{Path, PathBuf};

/// A private certificate authority.
pub struct TestCa {
    issuer: CertifiedIssuer<'static, KeyPair>,
    /// The CA's certificate as PEM, for `--ca-file`.
    pub pem_file: PathBuf,
}

/// A server certificate and its key, as files, and the certificate's DER bytes (what a
/// client sees in the handshake).
pub struct ServerCertificate {
    pub cert_file: PathBuf,
    pub key_file: PathBuf,
    pub der: Vec<u8>,
}

impl TestCa {
    /// A new CA named `name`; its certificate is written to `dir/<name>-ca.pem`.
    pub fn new(dir: &Path, name: &str) -> TestCa {
        let mut params = CertificateParams::new(Vec::<String>::new()).unwrap();
        params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        params
            .distinguished_name
            .push(DnType::CommonName, format!("{name} test CA"));
        params.key_usages = vec![
            KeyUsagePurpose::KeyCertSign,
            KeyUsagePurpose::CrlSign,
            KeyUsagePurpose::DigitalSignature,
        ];
        let issuer = CertifiedIssuer::self_signed(params, KeyPair::generate().unwrap()).unwrap();
        let pem_file = dir.join(format!("{name}-ca.pem"));
        std::fs::write(&pem_file, issuer.pem()).unwrap();
        TestCa { issuer, pem_file }
    }

    /// A server certificate for 127.0.0.1 and localhost, written to `cert_file` and
    /// `key_file` (replacing what they held).
    pub fn issue_to(&self, cert_file: &Path, key_file: &Path) -> ServerCertificate {
        let params =
            CertificateParams::new(vec!["127.0.0.1".to_string(), "localhost".to_string()]).unwrap();
        let key = KeyPair::generate().unwrap();
        let cert = params.signed_by(&key, &self.issuer).unwrap();
        std::fs::write(cert_file, cert.pem()).unwrap();
        std::fs::write(key_file, key.serialize_pem()).unwrap();
        ServerCertificate {
            cert_file: cert_file.to_path_buf(),
            key_file: key_file.to_path_buf(),
            der: cert.der().to_vec(),
        }
    }

    /// A server certificate written to `dir/server.pem` and `dir/server.key`.
    pub fn issue(&self, dir: &Path) -> ServerCertificate {
        self.issue_to(&dir.join("server.pem"), &dir.join("server.key"))
    }

    /// The CA's certificate as reqwest takes it.
    pub fn reqwest_certificate(&self) -> reqwest::Certificate {
        reqwest::Certificate::from_der(self.issuer.der()).unwrap()
    }
}
