//! Small text helpers for cells: fitting to a width, shortening IDs, dates, durations.

use crate::domain::{GrantType, Scope, sanitize_for_terminal};
use std::borrow::Cow;
use time::OffsetDateTime;
use unicode_segmentation::UnicodeSegmentation;
use unicode_width::UnicodeWidthStr;

/// Untrusted text made safe to draw (see `domain::sanitize_for_terminal`).
pub fn safe(text: &str) -> Cow<'_, str> {
    sanitize_for_terminal(text)
}

pub fn width(text: &str) -> usize {
    text.width()
}

/// `text` cut to `max` columns, ending in `…` when cut. Cuts fall between graphemes
/// (an emoji with VS16, a flag, a ZWJ sequence stays whole), measured as the terminal
/// draws them.
pub fn truncate(text: &str, max: usize) -> Cow<'_, str> {
    if text.width() <= max {
        return Cow::Borrowed(text);
    }
    if max == 0 {
        return Cow::Borrowed("");
    }
    let mut out = prefix_within(text, max - 1).to_string();
    out.push('…');
    Cow::Owned(out)
}

/// The longest start of `text` at most `cols` columns wide, cut between graphemes.
fn prefix_within(text: &str, cols: usize) -> &str {
    let mut used = 0;
    let mut end = 0;
    for (at, grapheme) in text.grapheme_indices(true) {
        used += grapheme.width();
        if used > cols {
            break;
        }
        end = at + grapheme.len();
    }
    &text[..end]
}

/// The longest end of `text` at most `cols` columns wide, cut between graphemes.
fn suffix_within(text: &str, cols: usize) -> &str {
    let mut used = 0;
    let mut start = text.len();
    for (at, grapheme) in text.grapheme_indices(true).rev() {
        used += grapheme.width();
        if used > cols {
            break;
        }
        start = at;
    }
    &text[start..]
}

/// `text` broken into lines of at most `cols` columns, between words where it can;
/// a word wider than `cols` is cut between graphemes. Never empty.
pub fn wrap_words(text: &str, cols: usize) -> Vec<String> {
    let cols = cols.max(1);
    let mut lines = vec![String::new()];
    for word in text.split(' ') {
        let mut word = word;
        loop {
            let Some(line) = lines.last_mut() else {
                return lines;
            };
            let room = cols.saturating_sub(line.width());
            let gap = usize::from(!line.is_empty());
            if word.width() + gap <= room {
                if gap == 1 {
                    line.push(' ');
                }
                line.push_str(word);
                break;
            }
            if line.is_empty() {
                // Wider than a whole line: as much as fits, the rest on the next.
                let head = match prefix_within(word, cols).len() {
                    0 => word.graphemes(true).next().map_or(word.len(), str::len),
                    fits => fits,
                };
                line.push_str(&word[..head]);
                word = &word[head..];
                if word.is_empty() {
                    break;
                }
            }
            lines.push(String::new());
        }
    }
    lines
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
    if id.width() <= max || max < 5 {
        return truncate(id, max);
    }
    let tail = (max - 1) / 3;
    let head = max - 1 - tail;
    Cow::Owned(format!(
        "{}…{}",
        prefix_within(id, head),
        suffix_within(id, tail)
    ))
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

/// `in 23h 59m` until `until`, from `now`; `expired` once past.
pub fn time_left(until: i64, now: i64) -> String {
    let left = until - now;
    if left <= 0 {
        return "expired".to_string();
    }
    // Hours up to two days: a default grace period reads `in 24h 00m`, not `in 1d 0h`.
    let (hours, m) = (left / 3_600, left % 3_600 / 60);
    match hours {
        0 => format!("in {}m {:02}s", m, left % 60),
        1..48 => format!("in {hours}h {m:02}m"),
        _ => format!("in {}d {}h", hours / 24, hours % 24),
    }
}

/// How long ago `ts` was, from `now`: `just now`, `5m ago`, `3h ago`, `12d ago`;
/// `never` for no time at all.
pub fn ago(ts: Option<i64>, now: i64) -> String {
    let Some(ts) = ts else {
        return "never".to_string();
    };
    let past = (now - ts).max(0);
    match past {
        0..60 => "just now".to_string(),
        60..3_600 => format!("{}m ago", past / 60),
        3_600..86_400 => format!("{}h ago", past / 3_600),
        _ => format!("{}d ago", past / 86_400),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_ago_read_naturally() {
        assert_eq!(ago(None, 1_000), "never");
        assert_eq!(ago(Some(1_000), 1_030), "just now");
        assert_eq!(ago(Some(1_000), 1_000 + 5 * 60 + 10), "5m ago");
        assert_eq!(ago(Some(1_000), 1_000 + 3 * 3_600), "3h ago");
        assert_eq!(ago(Some(1_000), 1_000 + 12 * 86_400), "12d ago");
    }

    #[test]
    fn ids_are_shortened_in_the_middle() {
        assert_eq!(
            shorten_middle("oc_abcdefghijklmnopqrstuvwxyz", 12),
            "oc_abcde…xyz"
        );
        assert_eq!(shorten_middle("oc_short", 12), "oc_short");
    }

    /// Every grapheme of `cut` (but the ellipsis) is a whole grapheme of `text`.
    fn whole_graphemes(text: &str, cut: &str) -> bool {
        let source: Vec<&str> = text.graphemes(true).collect();
        cut.graphemes(true)
            .filter(|g| *g != "…")
            .all(|g| source.contains(&g))
    }

    #[test]
    fn cuts_fall_between_graphemes_and_never_overflow() {
        let cases = [
            "ab❤\u{fe0f}cd",                      // emoji with VS16: 2 columns
            "🇫🇷🇩🇪🇯🇵 flags",                       // regional-indicator pairs
            "dev 👩\u{200d}💻 team",              // ZWJ sequence
            "アプリケーションの名前がとても長い", // CJK, 2 columns each
        ];
        for text in cases {
            for max in 1..=text.width() + 1 {
                let cut = truncate(text, max);
                assert!(cut.width() <= max, "{text:?} at {max}: {cut:?}");
                assert!(whole_graphemes(text, &cut), "{text:?} at {max}: {cut:?}");
                assert_eq!(fit(text, max).width(), max, "{text:?} at {max}");
            }
        }
        assert_eq!(truncate("ab❤\u{fe0f}cd", 4), "ab…");
        assert_eq!(truncate("🇫🇷🇩🇪🇯🇵 flags", 4), "🇫🇷…");
    }

    #[test]
    fn middle_shortening_counts_columns_not_characters() {
        let name = "アプリケーションの名前がとても長い";
        for max in 5..20 {
            let short = shorten_middle(name, max);
            assert!(short.width() <= max, "{max}: {short:?}");
            assert!(short.contains('…'), "{max}: {short:?}");
            assert!(whole_graphemes(name, &short), "{max}: {short:?}");
        }
        assert_eq!(
            shorten_middle("oc_👩\u{200d}💻abcdefghij", 9),
            "oc_👩\u{200d}💻a…ij"
        );
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

    #[test]
    fn grace_countdowns_read_naturally() {
        assert_eq!(time_left(100, 100), "expired");
        assert_eq!(time_left(100 + 90, 100), "in 1m 30s");
        assert_eq!(time_left(100 + 86_400 - 60, 100), "in 23h 59m");
        assert_eq!(time_left(100 + 86_400, 100), "in 24h 00m");
        assert_eq!(time_left(100 + 3 * 86_400 + 7_200, 100), "in 3d 2h");
    }

    #[test]
    fn words_wrap_between_words_and_long_words_are_cut() {
        assert_eq!(
            wrap_words(
                "API services — Machine-to-machine; client credentials only",
                50
            ),
            [
                "API services — Machine-to-machine; client",
                "credentials only"
            ]
        );
        assert_eq!(wrap_words("short", 50), ["short"]);
        assert_eq!(wrap_words("", 10), [""]);
        assert_eq!(wrap_words("abcdefgh ij", 3), ["abc", "def", "gh", "ij"]);
        // A grapheme wider than the line still goes somewhere: no endless loop.
        assert_eq!(wrap_words("中文", 1), ["中", "文"]);
        for line in wrap_words("a bb ccc dddd eeeee ffffff", 4) {
            assert!(width(&line) <= 4, "{line:?}");
        }
    }
}
