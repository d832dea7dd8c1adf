//! The real binary as an operator runs it: a `serve` process on 127.0.0.1:0 with the
//! flags a test chooses, and the CLI pointed at it with `--server`.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

pub mod certificates;
pub mod sustained_issuance;

use serde_json::Value;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

pub const BIN: &str = env!("CARGO_BIN_EXE_oauth-console");

/// `apps create` for an API services app (client credentials, Monitoring), printed as
/// JSON with its client ID and secret.
pub const API_SERVICES_APP: &[&str] = &[
    "apps",
    "create",
    "--json",
    "--name",
    "Billing sync",
    "--platform",
    "api-services",
    "--scope",
    "monitoring",
];

/// The binary with none of the caller's configuration leaking in.
pub fn oauth_console() -> Command {
    let mut command = Command::new(BIN);
    for var in [
        "OAUTH_CONSOLE_DATA_DIR",
        "OAUTH_CONSOLE_ADMIN_KEY",
        "OAUTH_CONSOLE_CONFIG",
        "OAUTH_CONSOLE_DATABASE_URL",
        "RUST_LOG",
    ] {
        command.env_remove(var);
    }
    command.stdin(Stdio::null());
    command
}

/// A `serve` process; killed on drop if the test did not stop it.
pub struct Served {
    child: Child,
    pub data_dir: PathBuf,
    pub base_url: String,
    /// `http://ADDR/metrics` when started with `--metrics-listen`.
    pub metrics_url: Option<String>,
    /// The admin listener's base URL when started with `--admin-listen`.
    pub admin_url: Option<String>,
    pub banner: String,
    /// The private CA the CLI is told to trust (`--ca-file`) when serving over TLS.
    pub ca_file: Option<PathBuf>,
    stderr: Option<std::thread::JoinHandle<String>>,
}

impl Served {
    /// `serve --listen 127.0.0.1:0 --data-dir DATA` plus `extra`; returns once the
    /// banner is out (the server is listening by then).
    pub fn start(data: &Path, extra: &[&str]) -> Served {
        Served::start_with_env(data, extra, &[])
    }

    /// As `start`, over TLS with `cert`; the CLI trusts `ca_file`.
    pub fn start_tls(
        data: &Path,
        cert: &certificates::ServerCertificate,
        ca_file: &Path,
        extra: &[&str],
    ) -> Served {
        let mut args = vec![
            "--tls-cert",
            cert.cert_file.to_str().unwrap(),
            "--tls-key",
            cert.key_file.to_str().unwrap(),
        ];
        args.extend_from_slice(extra);
        let mut served = Served::start_with_env(data, &args, &[]);
        served.ca_file = Some(ca_file.to_path_buf());
        served
    }

    /// As `start`, with environment variables set (e.g. `RUST_LOG`).
    pub fn start_with_env(data: &Path, extra: &[&str], env: &[(&str, &str)]) -> Served {
        let mut child = oauth_console()
            .args(["serve", "--listen", "127.0.0.1:0", "--data-dir"])
            .arg(data)
            .args(extra)
            .envs(env.iter().copied())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let mut err = child.stderr.take().unwrap();
        // Drains stderr (the server's log) so a full pipe never blocks the server.
        let stderr = std::thread::spawn(move || {
            let mut text = String::new();
            let _ = std::io::Read::read_to_string(&mut err, &mut text);
            text
        });
        let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
        let mut banner = String::new();
        while !banner.contains("database:") {
            match lines.next() {
                Some(line) => {
                    banner.push_str(&line.unwrap());
                    banner.push('\n');
                }
                None => panic!("serve ended before announcing itself: {banner}"),
            }
        }
        let url_after = |prefix: &str| {
            banner.find(prefix).map(|start| {
                banner[start + prefix.len()..]
                    .split([' ', ')', '\n'])
                    .next()
                    .unwrap()
                    .to_string()
            })
        };
        let base_url = url_after("(").expect("a URL in the banner");
        let metrics_url = url_after("metrics: ");
        let admin_url = url_after("admin API: ");
        Served {
            child,
            data_dir: data.to_path_buf(),
            base_url,
            metrics_url,
            admin_url,
            banner,
            ca_file: None,
            stderr: Some(stderr),
        }
    }

    /// `serve` on the PostgreSQL database at `database_url` (no config file), with its
    /// own data dir `data` as if on its own machine.
    pub fn start_on_database(data: &Path, database_url: &str) -> Served {
        let no_config = data.with_extension("no-config.toml");
        let no_config = no_config.to_str().unwrap();
        let served = Served::start_with_env(
            data,
            &[],
            &[
                ("OAUTH_CONSOLE_DATABASE_URL", database_url),
                ("OAUTH_CONSOLE_CONFIG", no_config),
            ],
        );
        assert!(served.banner.contains("postgres://"), "{}", served.banner);
        served
    }

    /// SIGKILL: no shutdown, no flush, as when a machine dies.
    pub fn kill_9(&mut self) {
        self.child.kill().unwrap();
        self.child.wait().unwrap();
    }

    /// The server's base URL.
    pub fn base(&self) -> url::Url {
        url::Url::parse(&self.base_url).unwrap()
    }

    pub fn url(&self, path: &str) -> url::Url {
        self.base().join(path).unwrap()
    }

    /// The first admin key, as `serve` wrote it to the data dir.
    pub fn admin_key(&self) -> String {
        std::fs::read_to_string(self.admin_key_file())
            .unwrap()
            .trim()
            .to_string()
    }

    /// Resident memory now, in KiB.
    pub fn rss_kib(&self) -> u64 {
        self.status_kib("VmRSS:")
    }

    /// The most resident memory the process ever had, in KiB.
    pub fn peak_rss_kib(&self) -> u64 {
        self.status_kib("VmHWM:")
    }

    fn status_kib(&self, field: &str) -> u64 {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id())).unwrap();
        let line = status
            .lines()
            .find(|l| l.starts_with(field))
            .unwrap_or_else(|| panic!("no {field} in /proc status"));
        line.split_whitespace().nth(1).unwrap().parse().unwrap()
    }

    pub fn admin_key_file(&self) -> PathBuf {
        self.data_dir.join("admin.key")
    }

    /// The CLI against this server: `--server URL --admin-key-file PATH ARGS…` (the
    /// admin listener's URL when it has one), and `--ca-file` when it serves TLS.
    pub fn cli(&self, args: &[&str]) -> Output {
        let server = self.admin_url.as_deref().unwrap_or(&self.base_url);
        let mut command = oauth_console();
        command
            .args(["--server", server, "--admin-key-file"])
            .arg(self.admin_key_file());
        if let Some(ca) = &self.ca_file {
            command.arg("--ca-file").arg(ca);
        }
        command.args(args).output().unwrap()
    }

    /// Sends SIGHUP (reload the TLS certificate).
    pub fn hang_up(&self) {
        let status = Command::new("kill")
            .args(["-HUP", &self.child.id().to_string()])
            .status()
            .unwrap();
        assert!(status.success());
    }

    /// Stops the server with SIGTERM and returns everything it logged on stderr.
    pub fn stop(mut self) -> String {
        self.stop_with("TERM");
        self.take_log()
    }

    /// Sends `signal` (e.g. `INT`) with kill(1) and waits up to 10 s for the exit.
    pub fn stop_with(&mut self, signal: &str) -> std::process::ExitStatus {
        let status = Command::new("kill")
            .args([format!("-{signal}"), self.child.id().to_string()])
            .status()
            .unwrap();
        assert!(status.success());
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                return status;
            }
            assert!(
                Instant::now() < deadline,
                "serve did not stop on SIG{signal}"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// Everything the server logged on stderr, once it has stopped.
    pub fn take_log(&mut self) -> String {
        self.stderr.take().unwrap().join().unwrap()
    }
}

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A subcommand on the data dir `data`, through its in-process server (no `serve`).
pub fn run_local(data: &Path, args: &[&str]) -> Output {
    oauth_console()
        .arg("--data-dir")
        .arg(data)
        .args(args)
        .output()
        .unwrap()
}

pub fn stdout(out: &Output) -> String {
    String::from_utf8(out.stdout.clone()).unwrap()
}

pub fn stderr(out: &Output) -> String {
    String::from_utf8(out.stderr.clone()).unwrap()
}

/// Asserts success and returns stdout.
pub fn ok(out: &Output) -> String {
    assert!(
        out.status.success(),
        "exit {:?}, stderr: {}",
        out.status.code(),
        stderr(out)
    );
    stdout(out)
}

/// Asserts success and parses stdout as one JSON document.
pub fn json(out: &Output) -> Value {
    let text = ok(out);
    serde_json::from_str(&text)
        .unwrap_or_else(|e| panic!("stdout is not one JSON document ({e}): {text}"))
}

/// A form POST with HTTP Basic client authentication; the status and JSON body.
pub fn post_form(url: &str, client: (&str, &str), form: &[(&str, &str)]) -> (u16, Value) {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    runtime.block_on(async {
        let response = reqwest::Client::new()
            .post(url)
            .basic_auth(client.0, Some(client.1))
            .form(form)
            .send()
            .await
            .unwrap();
        let status = response.status().as_u16();
        (status, response.json().await.unwrap_or(Value::Null))
    })
}

/// GET `url`; the status and body text.
pub fn get(url: &str) -> (u16, String) {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    runtime.block_on(async {
        let response = reqwest::get(url).await.unwrap();
        let status = response.status().as_u16();
        (status, response.text().await.unwrap())
    })
}
