//! Opens a URL in the local browser for the token flows. Only called where
//! `api::flows::should_open_browser` said it can work; the browser's own output must
//! never reach the terminal the console draws on.

use std::process::{Command, Stdio};

/// Starts the platform's opener on `url` and returns at once.
pub fn open(url: &str) -> Result<(), String> {
    let opener = if cfg!(target_os = "macos") {
        "open"
    } else {
        "xdg-open"
    };
    let mut child = Command::new(opener)
        .arg(url)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| format!("cannot run {opener}: {e}"))?;
    // Reaped on a thread so the console never waits for the browser.
    std::thread::spawn(move || {
        let _ = child.wait();
    });
    Ok(())
}
