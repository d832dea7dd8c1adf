//! A real headless Chromium, driven over WebDriver (chromedriver on a free port) by
//! `fantoccini`. Without Chromium or chromedriver the tests say so loudly and skip;
//! under CI (the `CI` variable set) that is a failure instead.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::json;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use tempfile::TempDir;

pub const PHONE: (u32, u32) = (390, 844);
pub const DESKTOP: (u32, u32) = (1280, 900);

pub struct Chrome {
    pub client: Client,
    /// The screen width the pages are laid out for now.
    width: std::sync::atomic::AtomicU32,
    driver: Child,
    _profile: TempDir,
}

fn find(names: &[&str]) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    names.iter().find_map(|name| {
        std::env::split_paths(&path)
            .map(|dir| dir.join(name))
            .find(|candidate| candidate.is_file())
    })
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

impl Chrome {
    /// A fresh browser (new profile), or `None` where none is installed (not under CI).
    pub async fn start(test: &str) -> Option<Chrome> {
        let (Some(driver), Some(chromium)) = (
            find(&["chromedriver"]),
            find(&["chromium", "chromium-browser", "google-chrome"]),
        ) else {
            if std::env::var_os("CI").is_some() {
                panic!("{test}: chromium and chromedriver are required under CI");
            }
            eprintln!(
                "\n!!! SKIPPED {test}: chromium or chromedriver is not installed \
                 (apt-get install chromium chromium-driver) !!!\n"
            );
            return None;
        };
        let port = free_port();
        let mut child = Command::new(driver)
            .arg(format!("--port={port}"))
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        // chromedriver says when it listens.
        let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
        loop {
            match lines.next() {
                Some(Ok(line)) if line.contains("started successfully") => break,
                Some(_) => {}
                None => panic!("chromedriver ended before it started"),
            }
        }
        std::thread::spawn(move || for _ in lines {});
        let profile = TempDir::new().unwrap();
        let mut capabilities = serde_json::Map::new();
        capabilities.insert(
            "goog:chromeOptions".into(),
            json!({
                "binary": chromium,
                "args": [
                    "--headless",
                    "--no-sandbox",
                    "--disable-gpu",
                    "--disable-quic",
                    "--no-first-run",
                    "--disable-background-networking",
                    "--disable-component-update",
                    "--disable-sync",
                    "--disable-dev-shm-usage",
                    format!("--user-data-dir={}", profile.path().display()),
                    format!("--window-size={},{}", PHONE.0, PHONE.1),
                ],
            }),
        );
        // The test build has two rustls crypto providers (reqwest's and fantoccini's):
        // name one. The driver is reached over plain HTTP anyway.
        let _ = rustls::crypto::ring::default_provider().install_default();
        let client = ClientBuilder::rustls()
            .unwrap()
            .capabilities(capabilities)
            .connect(&format!("http://127.0.0.1:{port}"))
            .await
            .expect("chromedriver starts a Chromium session");
        let chrome = Chrome {
            client,
            width: std::sync::atomic::AtomicU32::new(PHONE.0),
            driver: child,
            _profile: profile,
        };
        chrome.client.goto("about:blank").await.unwrap();
        chrome.resize(PHONE).await;
        Some(chrome)
    }

    /// Lays the page out at this size. Headless Chromium keeps windows at least
    /// 500 px wide, so the size is set as the device's screen (DevTools emulation).
    pub async fn resize(&self, (width, height): (u32, u32)) {
        let phone = width < 600;
        self.client
            .issue_cmd(Cdp {
                cmd: "Emulation.setDeviceMetricsOverride",
                params: json!({
                    "width": width,
                    "height": height,
                    "deviceScaleFactor": 1,
                    "mobile": phone,
                }),
            })
            .await
            .unwrap();
        self.width.store(width, std::sync::atomic::Ordering::SeqCst);
    }

    /// Saves what the browser shows to `screenshots/<name>.png`.
    pub async fn screenshot(&self, name: &str) {
        let png = self.client.screenshot().await.unwrap();
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("screenshots");
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join(format!("{name}.png")), png).unwrap();
    }

    /// Runs `script` (which returns a value) in the page.
    pub async fn eval(&self, script: &str) -> serde_json::Value {
        self.client.execute(script, Vec::new()).await.unwrap()
    }

    /// Types into the field with this id, as a person would.
    pub async fn type_into(&self, id: &str, text: &str) {
        let field = self.client.find(Locator::Id(id)).await.unwrap();
        field.click().await.unwrap();
        field.send_keys(text).await.unwrap();
    }

    /// Clicks the button named `decision` with this value, and waits until the page
    /// it leads to has replaced this one.
    pub async fn click_decision(&self, value: &str) {
        self.eval("window.__before_click = true; return null;")
            .await;
        let selector = format!("button[name=decision][value={value}]");
        self.client
            .find(Locator::Css(&selector))
            .await
            .unwrap()
            .click()
            .await
            .unwrap();
        let replaced = tokio::time::timeout(std::time::Duration::from_secs(20), async {
            loop {
                let state = self
                    .client
                    .execute(
                        "return document.readyState === 'complete' && !window.__before_click;",
                        Vec::new(),
                    )
                    .await;
                // While the old page unloads the script may fail: not there yet.
                if matches!(state, Ok(serde_json::Value::Bool(true))) {
                    break;
                }
            }
        })
        .await;
        assert!(replaced.is_ok(), "the click on {value} led to a new page");
    }

    pub async fn page_text(&self) -> String {
        self.client
            .find(Locator::Css("body"))
            .await
            .unwrap()
            .text()
            .await
            .unwrap()
    }

    /// The page is laid out for the screen's width and fits it: nothing to scroll
    /// sideways.
    pub async fn assert_no_horizontal_scroll(&self) {
        let widths = self
            .eval("return [document.scrollingElement.scrollWidth, window.innerWidth];")
            .await;
        let scroll = widths[0].as_u64().unwrap();
        let inner = widths[1].as_u64().unwrap();
        let screen = u64::from(self.width.load(std::sync::atomic::Ordering::SeqCst));
        assert_eq!(
            inner, screen,
            "the page is laid out for a {screen} px screen"
        );
        assert!(scroll <= screen, "scrollWidth {scroll} > {screen}");
    }

    /// Every button is at least 44 px tall and every text input uses 16 px type.
    pub async fn assert_thumb_sized(&self) {
        let sizes = self
            .eval(
                "return [Math.min(...[...document.querySelectorAll('button')].map(b => b.getBoundingClientRect().height)), \
                 [...document.querySelectorAll('input:not([type=hidden])')].map(i => getComputedStyle(i).fontSize)];",
            )
            .await;
        let shortest = sizes[0].as_f64().unwrap();
        assert!(shortest >= 44.0, "a button is {shortest} px tall");
        for size in sizes[1].as_array().unwrap() {
            assert_eq!(size.as_str(), Some("16px"));
        }
    }

    /// The id of the element that has the keyboard focus.
    pub async fn focused_id(&self) -> String {
        self.eval("return document.activeElement ? document.activeElement.id : '';")
            .await
            .as_str()
            .unwrap_or_default()
            .to_string()
    }

    /// Ends the session (Chromium exits), then chromedriver.
    pub async fn close(self) {
        let _ = self.client.clone().close().await;
    }
}

/// A DevTools command sent through chromedriver's `goog/cdp/execute`.
#[derive(Debug)]
struct Cdp {
    cmd: &'static str,
    params: serde_json::Value,
}

impl fantoccini::wd::WebDriverCompatibleCommand for Cdp {
    fn endpoint(
        &self,
        base: &url::Url,
        session: Option<&str>,
    ) -> Result<url::Url, url::ParseError> {
        base.join(&format!(
            "session/{}/goog/cdp/execute",
            session.unwrap_or_default()
        ))
    }

    fn method_and_body(&self, _: &url::Url) -> (axum::http::Method, Option<String>) {
        let body = json!({ "cmd": self.cmd, "params": self.params });
        (axum::http::Method::POST, Some(body.to_string()))
    }
}

impl Drop for Chrome {
    fn drop(&mut self) {
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}
