//! Keys as the config file writes them (`"ctrl-s"`, `"G"`, `"f5"`) and as hints show
//! them (`Ctrl-S`, `G`, `F5`).

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

pub type Key = (KeyCode, KeyModifiers);

/// Parses `"q"`, `"G"`, `"ctrl-s"`, `"shift-tab"`, `"enter"`, `"esc"`, `"f5"`, `"space"`.
/// Shift with a character is the capital itself, as the dispatch sees it.
pub fn parse_key(text: &str) -> Option<Key> {
    if text.chars().count() == 1 {
        return text
            .chars()
            .next()
            .map(|c| (KeyCode::Char(c), KeyModifiers::NONE));
    }
    let mut modifiers = KeyModifiers::NONE;
    let mut rest = text;
    // The key itself may be `-` (`ctrl--`), so split modifiers off the front.
    while let Some((head, tail)) = rest.split_once('-') {
        if tail.is_empty() {
            break;
        }
        modifiers |= match head.to_ascii_lowercase().as_str() {
            "ctrl" | "control" | "c" => KeyModifiers::CONTROL,
            "alt" | "meta" | "m" | "a" => KeyModifiers::ALT,
            "shift" | "s" => KeyModifiers::SHIFT,
            _ => return None,
        };
        rest = tail;
    }
    let code = if rest.chars().count() == 1 {
        let c = rest.chars().next()?;
        if modifiers.contains(KeyModifiers::SHIFT) {
            modifiers.remove(KeyModifiers::SHIFT);
            KeyCode::Char(c.to_ascii_uppercase())
        } else if modifiers.contains(KeyModifiers::CONTROL) {
            // Terminals report Ctrl-S as `s`: bind the lower case.
            KeyCode::Char(c.to_ascii_lowercase())
        } else {
            KeyCode::Char(c)
        }
    } else {
        let lower = rest.to_ascii_lowercase();
        match lower.as_str() {
            "enter" | "return" => KeyCode::Enter,
            "esc" | "escape" => KeyCode::Esc,
            "tab" if modifiers.contains(KeyModifiers::SHIFT) => {
                modifiers.remove(KeyModifiers::SHIFT);
                KeyCode::BackTab
            }
            "tab" => KeyCode::Tab,
            "backtab" => KeyCode::BackTab,
            "space" => KeyCode::Char(' '),
            "backspace" => KeyCode::Backspace,
            "delete" | "del" => KeyCode::Delete,
            "insert" | "ins" => KeyCode::Insert,
            "home" => KeyCode::Home,
            "end" => KeyCode::End,
            "pageup" | "pgup" => KeyCode::PageUp,
            "pagedown" | "pgdn" => KeyCode::PageDown,
            "up" => KeyCode::Up,
            "down" => KeyCode::Down,
            "left" => KeyCode::Left,
            "right" => KeyCode::Right,
            f if f.starts_with('f') => match f[1..].parse::<u8>() {
                Ok(n) if (1..=24).contains(&n) => KeyCode::F(n),
                _ => return None,
            },
            _ => return None,
        }
    };
    Some((code, modifiers))
}

/// How a key is written in the footer, help and palette.
pub fn key_label(key: &Key) -> String {
    let (code, modifiers) = key;
    let mut out = String::new();
    if modifiers.contains(KeyModifiers::CONTROL) {
        out.push_str("Ctrl-");
    }
    if modifiers.contains(KeyModifiers::ALT) {
        out.push_str("Alt-");
    }
    if modifiers.contains(KeyModifiers::SHIFT) {
        out.push_str("Shift-");
    }
    let name = match code {
        KeyCode::Char(' ') => "space".to_string(),
        KeyCode::Char(c) if modifiers.contains(KeyModifiers::CONTROL) => {
            c.to_ascii_uppercase().to_string()
        }
        KeyCode::Char(c) => c.to_string(),
        KeyCode::Enter => "⏎".into(),
        KeyCode::Esc => "Esc".into(),
        KeyCode::Tab => "Tab".into(),
        KeyCode::BackTab => "S-Tab".into(),
        KeyCode::Backspace => "Bksp".into(),
        KeyCode::Delete => "Del".into(),
        KeyCode::Insert => "Ins".into(),
        KeyCode::Home => "Home".into(),
        KeyCode::End => "End".into(),
        KeyCode::PageUp => "PgUp".into(),
        KeyCode::PageDown => "PgDn".into(),
        KeyCode::Up => "↑".into(),
        KeyCode::Down => "↓".into(),
        KeyCode::Left => "←".into(),
        KeyCode::Right => "→".into(),
        KeyCode::F(n) => format!("F{n}"),
        other => format!("{other:?}"),
    };
    out.push_str(&name);
    out
}

/// Shift is part of the character itself (`G`, `?`); terminals differ in reporting it.
pub fn normalized(key: &KeyEvent) -> (KeyCode, KeyModifiers) {
    let mut modifiers = key.modifiers;
    if matches!(key.code, KeyCode::Char(_) | KeyCode::BackTab) {
        modifiers.remove(KeyModifiers::SHIFT);
    }
    (key.code, modifiers)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_strings_parse_as_the_dispatch_sees_them() {
        let k = |c| (KeyCode::Char(c), KeyModifiers::NONE);
        assert_eq!(parse_key("q"), Some(k('q')));
        assert_eq!(parse_key("G"), Some(k('G')));
        assert_eq!(parse_key("shift-g"), Some(k('G')));
        assert_eq!(
            parse_key("ctrl-s"),
            Some((KeyCode::Char('s'), KeyModifiers::CONTROL))
        );
        assert_eq!(
            parse_key("shift-tab"),
            Some((KeyCode::BackTab, KeyModifiers::NONE))
        );
        assert_eq!(
            parse_key("enter"),
            Some((KeyCode::Enter, KeyModifiers::NONE))
        );
        assert_eq!(parse_key("esc"), Some((KeyCode::Esc, KeyModifiers::NONE)));
        assert_eq!(parse_key("F5"), Some((KeyCode::F(5), KeyModifiers::NONE)));
        assert_eq!(
            parse_key("ctrl--"),
            Some((KeyCode::Char('-'), KeyModifiers::CONTROL))
        );
        assert_eq!(parse_key("hyper-x"), None);
        assert_eq!(parse_key("f99"), None);
        assert_eq!(parse_key("banana"), None);
        assert_eq!(parse_key(""), None);
    }
}
