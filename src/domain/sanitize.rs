//! Untrusted text (names, URLs, anything from a server) made safe to put on a terminal:
//! control characters and bidi overrides are shown visibly instead of being written.

use std::borrow::Cow;

fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{061C}' | '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

fn needs_escape(c: char) -> bool {
    c.is_control() || is_bidi_control(c)
}

/// Returns `text` with C0 controls as caret notation (`^[`, `^J`), DEL as `^?`, and C1
/// controls and bidi overrides as `<U+XXXX>`. Borrows when nothing needs escaping.
pub fn sanitize_for_terminal(text: &str) -> Cow<'_, str> {
    if !text.chars().any(needs_escape) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '\u{0}'..='\u{1F}' => {
                out.push('^');
                out.push(char::from(b'@' + c as u8));
            }
            '\u{7F}' => out.push_str("^?"),
            c if needs_escape(c) => out.push_str(&format!("<U+{:04X}>", c as u32)),
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_text_is_borrowed_unchanged() {
        assert!(matches!(
            sanitize_for_terminal("Billing sync ✓"),
            Cow::Borrowed("Billing sync ✓")
        ));
    }

    #[test]
    fn escape_sequences_become_visible() {
        let shown = sanitize_for_terminal("\x1b]0;x\x07evil\x1b[31m");
        assert_eq!(shown, "^[]0;x^Gevil^[[31m");
        assert!(!shown.contains('\x1b'));
    }

    #[test]
    fn del_c1_and_bidi_are_visible() {
        assert_eq!(sanitize_for_terminal("a\x7fb"), "a^?b");
        assert_eq!(sanitize_for_terminal("a\u{9b}b"), "a<U+009B>b");
        assert_eq!(sanitize_for_terminal("a\u{202E}b"), "a<U+202E>b");
        assert_eq!(sanitize_for_terminal("line\nnext"), "line^Jnext");
    }
}
