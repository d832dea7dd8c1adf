//! The console's header says whether the server is ready, from the readiness checks
//! the runtime asks the worker for: ready, not ready (with the server's reason), or
//! unreachable. Pure state: the checks' answers are fed by hand.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod tui_support;

use oauth_console::api::ServerHealth;
use oauth_console::tui::Action;
use oauth_console::worker::WorkerReply;
use tui_support::Console;

/// The header line, without the padding after it.
fn header(c: &Console) -> String {
    c.screen_text()
        .lines()
        .next()
        .unwrap()
        .trim_end()
        .to_string()
}

#[test]
fn the_header_shows_the_last_readiness_check() {
    let mut c = Console::with_apps(120, 36);
    assert!(header(&c).contains("connected"), "{}", header(&c));

    c.act(Action::WorkerReply(
        u64::MAX,
        WorkerReply::Health(ServerHealth::Ready),
    ));
    assert!(
        header(&c).contains("●") && header(&c).ends_with("  ready"),
        "{}",
        header(&c)
    );

    let not_ready = ServerHealth::NotReady("database unreachable".into());
    c.act(Action::WorkerReply(
        u64::MAX,
        WorkerReply::Health(not_ready),
    ));
    assert!(
        header(&c).ends_with("  not ready: database unreachable"),
        "{}",
        header(&c)
    );
    insta::assert_snapshot!("header_not_ready_120x36", c.draw().backend());

    c.act(Action::WorkerReply(
        u64::MAX,
        WorkerReply::Health(ServerHealth::Unreachable),
    ));
    assert!(
        header(&c).contains("✗") && header(&c).ends_with("  unreachable"),
        "{}",
        header(&c)
    );

    // The server's words are untrusted: control characters are shown, not obeyed.
    let hostile = ServerHealth::NotReady("db\u{1b}[2J".into());
    c.act(Action::WorkerReply(u64::MAX, WorkerReply::Health(hostile)));
    assert!(!header(&c).contains('\u{1b}'), "{}", header(&c));
    assert!(header(&c).contains("not ready: db^["), "{}", header(&c));
}

#[test]
fn the_console_asks_for_readiness_through_the_worker() {
    use oauth_console::api::{AdminClient, ServerTrust};
    let runtime = tokio::runtime::Runtime::new().unwrap();
    runtime.block_on(async {
        let dir = tempfile::TempDir::new().unwrap();
        let server = oauth_console::server::start(oauth_console::server::ServerConfig {
            listen: "127.0.0.1:0".parse().unwrap(),
            data_dir: dir.path().to_path_buf(),
            issuer: None,
            database: None,
            limits: Default::default(),
        })
        .await
        .unwrap();
        let key = oauth_console::server::read_admin_key(server.admin_key_file()).unwrap();
        let client =
            AdminClient::with_trust(server.base_url(), key, false, ServerTrust::default()).unwrap();
        let (worker, mut replies) = oauth_console::worker::spawn(client);
        worker.send(7, oauth_console::worker::WorkerRequest::CheckHealth);
        let (id, reply) = tokio::time::timeout(std::time::Duration::from_secs(10), replies.recv())
            .await
            .unwrap()
            .unwrap();
        assert_eq!(id, 7);
        assert!(
            matches!(reply, WorkerReply::Health(ServerHealth::Ready)),
            "{reply:?}"
        );
        server.shutdown().await;
        worker.send(8, oauth_console::worker::WorkerRequest::CheckHealth);
        let (_, reply) = tokio::time::timeout(std::time::Duration::from_secs(30), replies.recv())
            .await
            .unwrap()
            .unwrap();
        assert!(
            matches!(reply, WorkerReply::Health(ServerHealth::Unreachable)),
            "{reply:?}"
        );
    });
}
