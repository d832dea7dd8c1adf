//! What the console needs to start, and how it fails to.

use crate::api::AdminClient;
use crate::config::Config;
use std::time::Duration;

/// How often the lists reload by themselves when neither `--refresh` nor the config's
/// `refresh` says otherwise.
pub const DEFAULT_REFRESH: Duration = Duration::from_secs(10);

/// What the console needs to start: a client of the server it administers, and how to
/// name that server in the header (e.g. `embedded · http://127.0.0.1:41823`).
pub struct TuiOptions {
    pub client: AdminClient,
    pub server_label: String,
    /// Changes are refused (`--read-only`, or a read-only profile); false by default.
    pub read_only: bool,
    /// The profile the server came from (`--profile` or the config's default), shown
    /// in the header; its `read_only` setting applies too.
    pub profile: Option<String>,
    /// The config file as the command line read it (defaults when there is none).
    pub config: Config,
    /// How often the current tab's list reloads by itself; `None`: never.
    pub refresh: Option<Duration>,
}

impl TuiOptions {
    pub fn new(client: AdminClient, server_label: String) -> TuiOptions {
        TuiOptions {
            client,
            server_label,
            read_only: false,
            profile: None,
            config: Config::default(),
            refresh: Some(DEFAULT_REFRESH),
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum TuiError {
    #[error("the console needs a terminal: {0}")]
    NotATerminal(String),
    #[error("terminal error: {0}")]
    Terminal(#[from] std::io::Error),
}

/// Reads a refresh interval: `5s`, `500ms`, `2m`, or a bare number of seconds; `0`
/// (or `off`) turns auto refresh off (`None`). Intervals under a second are refused:
/// they would keep the server busy for nothing.
pub fn parse_refresh(text: &str) -> Result<Option<Duration>, String> {
    let text = text.trim();
    if text == "off" {
        return Ok(None);
    }
    let split = text
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(text.len());
    let (number, unit) = text.split_at(split);
    let why = || format!("{text:?} is not an interval: write e.g. 5s, 2m, or 0 for off");
    let number: u64 = number.parse().map_err(|_| why())?;
    let interval = match unit {
        "" | "s" => Duration::from_secs(number),
        "ms" => Duration::from_millis(number),
        "m" => Duration::from_secs(number.saturating_mul(60)),
        _ => return Err(why()),
    };
    if interval.is_zero() {
        return Ok(None);
    }
    if interval < Duration::from_secs(1) {
        return Err(format!(
            "{text:?} is too often: at least 1s (0 turns it off)"
        ));
    }
    Ok(Some(interval))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refresh_intervals_read_as_written() {
        assert_eq!(parse_refresh("5s"), Ok(Some(Duration::from_secs(5))));
        assert_eq!(parse_refresh("2m"), Ok(Some(Duration::from_secs(120))));
        assert_eq!(
            parse_refresh("1500ms"),
            Ok(Some(Duration::from_millis(1500)))
        );
        assert_eq!(parse_refresh("30"), Ok(Some(Duration::from_secs(30))));
        assert_eq!(parse_refresh("0"), Ok(None));
        assert_eq!(parse_refresh("0s"), Ok(None));
        assert_eq!(parse_refresh("off"), Ok(None));
        assert!(parse_refresh("fast").is_err());
        assert!(parse_refresh("5h").is_err());
        assert!(parse_refresh("200ms").is_err());
        assert!(parse_refresh("").is_err());
    }
}
