//! The HTTP floor: a trivial axum handler that reads the same POST and answers a fixed
//! JSON, served by a child process (this bench binary run with `--floor-server`), so it
//! shares nothing with the server under test but the machine.

use axum::Router;
use axum::body::Bytes;
use axum::routing::post;
use std::io::{BufRead, BufReader, Read};
use std::net::{Ipv4Addr, SocketAddr};
use std::process::{Child, Command, Stdio};

pub const FLAG: &str = "--floor-server";

/// In the child: serves until stdin closes (the parent exited or dropped the handle).
pub fn serve() {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("tokio runtime");
    runtime.block_on(async {
        let app = Router::new().route(
            "/",
            post(|body: Bytes| async move {
                let _ = body.len();
                ([("content-type", "application/json")], r#"{"ok":true}"#)
            }),
        );
        let listener = tokio::net::TcpListener::bind((Ipv4Addr::LOCALHOST, 0))
            .await
            .expect("bind the floor listener");
        println!("{}", listener.local_addr().expect("floor address"));
        tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        let _ = tokio::task::spawn_blocking(|| std::io::stdin().read_to_end(&mut Vec::new())).await;
    });
}

/// The floor server process; killed when dropped.
pub struct Floor {
    child: Child,
    pub addr: SocketAddr,
}

impl Floor {
    pub fn spawn() -> Floor {
        let mut child = Command::new(std::env::current_exe().expect("own path"))
            .arg(FLAG)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .expect("start the floor server");
        let mut line = String::new();
        BufReader::new(child.stdout.take().expect("floor stdout"))
            .read_line(&mut line)
            .expect("floor address");
        let addr = line.trim().parse().expect("floor address");
        Floor { child, addr }
    }
}

impl Drop for Floor {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
