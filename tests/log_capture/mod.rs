//! The test process's own log, captured in memory: a test binary that installs the
//! global tracing subscriber reads back what the server wrote.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use std::io::Write;
use std::sync::{Arc, Mutex};

/// Everything logged so far, shared with the subscriber that writes it.
#[derive(Clone, Default)]
pub struct CapturedLog(Arc<Mutex<Vec<u8>>>);

impl CapturedLog {
    /// Installs the global subscriber at `level`, without colours, writing here. Once
    /// a process: each test binary that captures its log holds one such test.
    pub fn install(level: tracing::Level) -> CapturedLog {
        let log = CapturedLog::default();
        let writer = log.clone();
        tracing_subscriber::fmt()
            .with_max_level(level)
            .with_ansi(false)
            .with_writer(move || writer.clone())
            .init();
        log
    }

    /// Bytes written so far.
    pub fn len(&self) -> usize {
        self.0.lock().unwrap().len()
    }

    /// The text written since `start` bytes.
    pub fn text_since(&self, start: usize) -> String {
        String::from_utf8_lossy(&self.0.lock().unwrap()[start..]).to_string()
    }

    /// Everything written.
    pub fn text(&self) -> String {
        self.text_since(0)
    }
}

impl Write for CapturedLog {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}
