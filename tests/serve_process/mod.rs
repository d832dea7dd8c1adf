//! A real `oauth-console serve` child process on 127.0.0.1:0, for tests that measure
//! the server's own memory (/proc/<pid>/status) or run two servers on one data dir.
//! Killed when dropped.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use url::Url;

pub struct ServeProcess {
    child: Child,
    pub base: Url,
    pub data: PathBuf,
}

impl ServeProcess {
    /// Starts `serve` on `data` with `extra` flags; returns once it has announced itself.
    pub fn start(data: &Path, extra: &[&str]) -> ServeProcess {
        let mut child = Command::new(env!("CARGO_BIN_EXE_oauth-console"))
            .args(["serve", "--listen", "127.0.0.1:0", "--data-dir"])
            .arg(data)
            .args(extra)
            .env("RUST_LOG", "warn")
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let mut err = child.stderr.take().unwrap();
        // Drained so that a full pipe never blocks the server.
        std::thread::spawn(move || std::io::copy(&mut err, &mut std::io::sink()));
        let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
        let mut banner = String::new();
        while !banner.contains("admin key file") {
            match lines.next() {
                Some(line) => {
                    banner.push_str(&line.unwrap());
                    banner.push('\n');
                }
                None => panic!("serve ended before announcing itself: {banner}"),
            }
        }
        std::thread::spawn(move || for _ in lines {});
        let start = banner.find("http://").expect("a URL in the banner");
        let base = banner[start..]
            .split([' ', ')', '\n'])
            .next()
            .unwrap()
            .to_string();
        ServeProcess {
            child,
            base: Url::parse(&base).unwrap(),
            data: data.to_path_buf(),
        }
    }

    pub fn url(&self, path: &str) -> Url {
        self.base.join(path).unwrap()
    }

    pub fn admin_key(&self) -> String {
        std::fs::read_to_string(self.data.join("admin.key"))
            .unwrap()
            .trim()
            .to_string()
    }

    fn status_kib(&self, field: &str) -> u64 {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id())).unwrap();
        let line = status
            .lines()
            .find(|l| l.starts_with(field))
            .unwrap_or_else(|| panic!("no {field} in /proc status"));
        line.split_whitespace().nth(1).unwrap().parse().unwrap()
    }

    /// Resident memory now, in KiB.
    pub fn rss_kib(&self) -> u64 {
        self.status_kib("VmRSS:")
    }

    /// The most resident memory the process ever had, in KiB.
    pub fn peak_rss_kib(&self) -> u64 {
        self.status_kib("VmHWM:")
    }
}

impl Drop for ServeProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
