//! Durations on the command line: `90d`, `12h`, `30m`, `45s` or bare seconds, for
//! every flag that takes one.

/// Seconds in `text`, e.g. `90d` → 7,776,000.
pub fn parse_seconds(text: &str) -> Result<i64, String> {
    let text = text.trim();
    let (number, unit) = match text.char_indices().last() {
        Some((at, c)) if c.is_ascii_alphabetic() => (&text[..at], c),
        _ => (text, 's'),
    };
    let per_unit: i64 = match unit {
        's' => 1,
        'm' => 60,
        'h' => 3600,
        'd' => 24 * 3600,
        _ => {
            return Err(format!(
                "{text:?}: use a number with s, m, h or d (e.g. 90d)"
            ));
        }
    };
    let n: i64 = number
        .parse()
        .map_err(|_| format!("{text:?}: use a number with s, m, h or d (e.g. 90d)"))?;
    if n <= 0 {
        return Err(format!("{text:?}: a duration is more than zero"));
    }
    n.checked_mul(per_unit)
        .ok_or_else(|| format!("{text:?} is too long"))
}

/// Like `parse_seconds`, where `0` (or `0s`, `0d` …) also means "none at all".
pub fn parse_seconds_or_zero(text: &str) -> Result<i64, String> {
    let digits = text.trim().trim_end_matches(['s', 'm', 'h', 'd']);
    if !digits.is_empty() && digits.bytes().all(|b| b == b'0') {
        return Ok(0);
    }
    parse_seconds(text)
}

/// How long something is kept: seconds, or forever (`None`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Retention(pub Option<i64>);

/// Like `parse_seconds`, or `forever`.
pub fn parse_retention(text: &str) -> Result<Retention, String> {
    if text.trim().eq_ignore_ascii_case("forever") {
        Ok(Retention(None))
    } else {
        parse_seconds(text).map(|s| Retention(Some(s)))
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn units_and_bare_seconds() {
        assert_eq!(parse_seconds("90d").unwrap(), 90 * 86_400);
        assert_eq!(parse_seconds("12h").unwrap(), 43_200);
        assert_eq!(parse_seconds("5m").unwrap(), 300);
        assert_eq!(parse_seconds("45").unwrap(), 45);
        assert!(parse_seconds("0d").is_err());
        assert!(parse_seconds("3w").is_err());
        assert!(parse_seconds("d").is_err());
        assert_eq!(parse_retention("forever").unwrap(), Retention(None));
        assert_eq!(parse_seconds("90s").unwrap(), 90);
        assert_eq!(parse_seconds("15m").unwrap(), 900);
        assert_eq!(parse_seconds("24h").unwrap(), 86_400);
        assert_eq!(parse_seconds("7d").unwrap(), 604_800);
    }

    #[test]
    fn zero_is_allowed_where_it_means_none() {
        assert_eq!(parse_seconds_or_zero("0").unwrap(), 0);
        assert_eq!(parse_seconds_or_zero("0s").unwrap(), 0);
        assert_eq!(parse_seconds_or_zero("15m").unwrap(), 900);
        assert!(parse_seconds_or_zero("-5").is_err());
        assert!(parse_seconds_or_zero("s").is_err());
    }
}
