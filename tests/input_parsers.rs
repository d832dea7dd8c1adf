//! Property tests over the same untrusted-input parsers the fuzz targets in `fuzz/`
//! exercise (form bodies, the Authorization header, redirect URLs, PKCE verifiers,
//! page cursors, the config file, sealed forms), so CI keeps covering them without a nightly
//! toolchain: arbitrary bytes never panic, and each parser's invariants hold.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use oauth_console::fuzzing;
use proptest::prelude::*;

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn form_bodies(data in proptest::collection::vec(any::<u8>(), 0..256)) {
        fuzzing::form_body(&data);
    }

    #[test]
    fn form_bodies_shaped_like_forms(pairs in proptest::collection::vec(("[a-z_%+]{0,8}", "[a-zA-Z0-9%+=&:/.]{0,16}"), 0..8)) {
        let body: Vec<String> = pairs.iter().map(|(k, v)| format!("{k}={v}")).collect();
        fuzzing::form_body(body.join("&").as_bytes());
    }

    #[test]
    fn authorization_headers(data in proptest::collection::vec(any::<u8>(), 0..128)) {
        fuzzing::basic_auth(&data);
    }

    #[test]
    fn basic_credentials(id in "[ -~]{0,20}", secret in "[ -~]{0,20}") {
        use base64::Engine;
        let encoded = base64::engine::general_purpose::STANDARD.encode(format!("{id}:{secret}"));
        fuzzing::basic_auth(format!("Basic {encoded}").as_bytes());
    }

    #[test]
    fn redirect_urls(registered in "(https?://)?[a-z0-9.:@\\[\\]]{0,20}(/[a-z%#?=]{0,10})?", requested in "(https?://)?[a-z0-9.:@\\[\\]]{0,20}(/[a-z%#?=]{0,10})?") {
        fuzzing::redirect(format!("{registered}\n{requested}").as_bytes());
        fuzzing::redirect(format!("http://127.0.0.1:{}/cb\n{requested}", registered.len()).as_bytes());
    }

    #[test]
    fn pkce_verifiers(verifier in "[A-Za-z0-9._~-]{0,140}", junk in ".{0,64}") {
        fuzzing::pkce(verifier.as_bytes());
        fuzzing::pkce(junk.as_bytes());
    }

    #[test]
    fn page_cursors(text in ".{0,64}", issued_at in any::<i64>(), id in ".{0,20}") {
        use base64::Engine;
        fuzzing::page_cursor(text.as_bytes());
        let encoded = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(format!("{issued_at}:{id}"));
        fuzzing::page_cursor(encoded.as_bytes());
    }

    #[test]
    fn sealed_forms(data in proptest::collection::vec(any::<u8>(), 0..512), text in "(v1\\.fuzz\\.)?[A-Za-z0-9_.-]{0,80}") {
        fuzzing::sealed_form(&data);
        fuzzing::sealed_form(text.as_bytes());
    }

    #[test]
    fn config_files(text in "([a-z_\\[\\]. =\"\\n0-9]|true|false|profiles|keys){0,120}") {
        fuzzing::config_file(text.as_bytes());
    }
}
