//! Small text helpers for cells: fitting to a width, shortening IDs, dates, durations.

use crate::domain::{GrantType, Scope, sanitize_for_terminal};
use std::borrow::Cow;
use time::OffsetDateTime;
use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

/// Untrusted text made safe to draw (see `domain::sanitize_for_terminal`).
pub fn safe(text: &str) -> Cow<'_, str> {
    sanitize_for_terminal(text)
}

pub fn width(text: &str) -> usize {
    text.width()
}

/// `text` cut to `max` columns, ending in `…` when cut.
pub fn truncate(text: &str, max: usize) -> Cow<'_, str> {
    if text.width() <= max {
        return Cow::Borrowed(text);
    }
    if max == 0 {
        return Cow::Borrowed("");
    }
    let mut out = String::new();
    let mut used = 0;
    for c in text.chars() {
        let w = c.width().unwrap_or(0);
        if used + w > max - 1 {
            break;
        }
        used += w;
        out.push(c);
    }
    out.push('…');
    Cow::Owned(out)
}

/// `text` fitted to exactly `cols` columns: cut with `…` or padded with spaces.
pub fn fit(text: &str, cols: usize) -> String {
    let cut = truncate(text, cols);
    let pad = cols.saturating_sub(cut.width());
    let mut out = String::with_capacity(cut.len() + pad);
    out.push_str(&cut);
    out.extend(std::iter::repeat_n(' ', pad));
    out
}

/// A client ID shortened in the middle (`oc_3fK9…Qm2`) to fit `max` columns. Only for
/// display: what is copied is always the full ID.
pub fn shorten_middle(id: &str, max: usize) -> Cow<'_, str> {
    let chars: Vec<char> = id.chars().collect();
    if chars.len() <= max || max < 5 {
        return truncate(id, max);
    }
    let tail = (max - 1) / 3;
    let head = max - 1 - tail;
    let mut out: String = chars[..head].iter().collect();
    out.push('…');
    out.extend(&chars[chars.len() - tail..]);
    Cow::Owned(out)
}

pub fn scope_labels(scopes: &[Scope]) -> String {
    Scope::ALL
        .iter()
        .filter(|s| scopes.contains(s))
        .map(|s| s.short_label())
        .collect::<Vec<_>>()
        .join(" ")
}

pub fn grant_labels(grants: &[GrantType]) -> String {
    GrantType::ALL
        .iter()
        .filter(|g| grants.contains(g))
        .map(|g| g.short_label())
        .collect::<Vec<_>>()
        .join(" · ")
}

fn datetime(ts: i64) -> Option<OffsetDateTime> {
    OffsetDateTime::from_unix_timestamp(ts).ok()
}

const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// `Nov 28` in the current year, `2025-11` before it (UTC).
pub fn short_date(ts: i64, now: i64) -> String {
    let (Some(at), Some(today)) = (datetime(ts), datetime(now)) else {
        return "?".into();
    };
    let month = MONTHS[usize::from(u8::from(at.month())) - 1];
    if at.year() == today.year() {
        format!("{month} {:02}", at.day())
    } else {
        format!("{}-{:02}", at.year(), u8::from(at.month()))
    }
}

/// `Nov 28 14:03` (UTC).
pub fn date_time(ts: i64) -> String {
    match datetime(ts) {
        Some(at) => format!(
            "{} {:02} {:02}:{:02}",
            MONTHS[usize::from(u8::from(at.month())) - 1],
            at.day(),
            at.hour(),
            at.minute()
        ),
        None => "?".into(),
    }
}

/// `2026-11-28 14:03 UTC`.
pub fn full_date_time(ts: i64) -> String {
    match datetime(ts) {
        Some(at) => format!(
            "{}-{:02}-{:02} {:02}:{:02} UTC",
            at.year(),
            u8::from(at.month()),
            at.day(),
            at.hour(),
            at.minute()
        ),
        None => "?".into(),
    }
}

/// A countdown: `59m 08s`, `3h 05m`, `2d 04h`.
pub fn countdown(seconds: i64) -> String {
    let s = seconds.max(0);
    if s < 3600 {
        format!("{}m {:02}s", s / 60, s % 60)
    } else if s < 86_400 {
        format!("{}h {:02}m", s / 3600, (s % 3600) / 60)
    } else {
        format!("{}d {:02}h", s / 86_400, (s % 86_400) / 3600)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_shortened_in_the_middle() {
        assert_eq!(
            shorten_middle("oc_abcdefghijklmnopqrstuvwxyz", 12),
            "oc_abcde…xyz"
        );
        assert_eq!(shorten_middle("oc_short", 12), "oc_short");
    }

    #[test]
    fn fit_pads_and_cuts() {
        assert_eq!(fit("abc", 5), "abc  ");
        assert_eq!(fit("abcdef", 4), "abc…");
    }

    #[test]
    fn countdowns_read_naturally() {
        assert_eq!(countdown(3599), "59m 59s");
        assert_eq!(countdown(3 * 3600 + 300), "3h 05m");
        assert_eq!(countdown(2 * 86_400 + 4 * 3600), "2d 04h");
    }
}
