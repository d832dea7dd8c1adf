//! The load generator: wrk in its own process, driven with a small Lua script that
//! sends one request (a form POST, or a GET) with one Authorization header and prints
//! what it measured.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

/// The script: the request comes from the environment, the summary goes to stdout.
const SCRIPT: &str = r#"
wrk.method = os.getenv("BENCH_METHOD")
wrk.body = os.getenv("BENCH_BODY")
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
wrk.headers["Authorization"] = os.getenv("BENCH_AUTHORIZATION")
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("BENCH_RESULT %d %d %d %d %d %d\n",
    summary.requests, summary.duration, e.connect + e.read + e.write + e.timeout,
    e.status, latency:percentile(50), latency:percentile(99)))
end
"#;

/// One request, repeated by every connection.
pub struct Post {
    /// `POST`, or `GET` (whose body is empty).
    pub method: &'static str,
    pub url: String,
    pub authorization: String,
    pub body: String,
}

/// What one wrk run measured.
#[derive(Clone, Copy, Debug, Default)]
pub struct Measured {
    pub requests: u64,
    pub seconds: f64,
    /// Socket errors and timeouts, plus answers that were not 2xx/3xx.
    pub errors: u64,
    pub p50: Duration,
    pub p99: Duration,
}

impl Measured {
    pub fn per_second(&self) -> f64 {
        self.requests as f64 / self.seconds.max(1e-9)
    }
}

pub struct Wrk {
    script: PathBuf,
    threads: usize,
}

impl Wrk {
    /// None when `wrk` is not installed (`apt-get install -y wrk`).
    pub fn find(dir: &Path) -> Option<Wrk> {
        let found = Command::new("wrk").arg("--version").output().ok()?;
        // `wrk --version` prints its banner and exits 1; any output means it is there.
        if found.stdout.is_empty() && found.stderr.is_empty() {
            return None;
        }
        let script = dir.join("post.lua");
        std::fs::write(&script, SCRIPT).ok()?;
        let threads = std::thread::available_parallelism().map_or(2, |n| n.get().min(2));
        Some(Wrk { script, threads })
    }

    pub fn run(&self, post: &Post, connections: usize, duration: Duration) -> Measured {
        let output = Command::new("wrk")
            .arg(format!("-t{}", self.threads.min(connections)))
            .arg(format!("-c{connections}"))
            .arg(format!("-d{}s", duration.as_secs().max(1)))
            .arg("--timeout")
            .arg("5s")
            .arg("-s")
            .arg(&self.script)
            .arg(&post.url)
            .env("BENCH_METHOD", post.method)
            .env("BENCH_BODY", &post.body)
            .env("BENCH_AUTHORIZATION", &post.authorization)
            .output()
            .expect("run wrk");
        let stdout = String::from_utf8_lossy(&output.stdout);
        let line = stdout
            .lines()
            .find_map(|l| l.strip_prefix("BENCH_RESULT "))
            .unwrap_or_else(|| panic!("wrk printed no result: {stdout}"));
        let n: Vec<u64> = line
            .split_whitespace()
            .map(|v| v.parse().expect("wrk number"))
            .collect();
        Measured {
            requests: n[0],
            seconds: n[1] as f64 / 1e6,
            errors: n[2] + n[3],
            p50: Duration::from_micros(n[4]),
            p99: Duration::from_micros(n[5]),
        }
    }
}
