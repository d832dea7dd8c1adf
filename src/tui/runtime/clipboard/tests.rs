//! The clipboard's choices of way, tested without touching the real clipboard.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use super::*;

fn local_desktop() -> ClipboardEnv {
    ClipboardEnv {
        over_ssh: false,
        has_display: true,
        in_tmux: false,
        term: Some("xterm-256color".into()),
        stdout_is_terminal: true,
    }
}

#[test]
fn auto_over_ssh_uses_osc52_even_with_a_display() {
    let env = ClipboardEnv {
        over_ssh: true,
        ..local_desktop()
    };
    assert_eq!(
        choose_route(ClipboardMode::Auto, &env).unwrap(),
        Route::Osc52 {
            reason: Osc52Reason::Ssh,
            multiplexer: Multiplexer::None
        }
    );
}

#[test]
fn auto_without_a_display_uses_osc52() {
    let env = ClipboardEnv {
        has_display: false,
        ..local_desktop()
    };
    assert!(matches!(
        choose_route(ClipboardMode::Auto, &env).unwrap(),
        Route::Osc52 {
            reason: Osc52Reason::NoDisplay,
            ..
        }
    ));
}

#[test]
fn auto_on_a_local_desktop_uses_the_system_clipboard() {
    assert_eq!(
        choose_route(ClipboardMode::Auto, &local_desktop()).unwrap(),
        Route::System
    );
}

#[test]
fn no_osc52_when_stdout_is_not_a_terminal() {
    let env = ClipboardEnv {
        over_ssh: true,
        stdout_is_terminal: false,
        ..local_desktop()
    };
    assert!(matches!(
        choose_route(ClipboardMode::Auto, &env),
        Err(ClipboardError::NotATerminal)
    ));
    assert!(matches!(
        choose_route(ClipboardMode::Osc52, &env),
        Err(ClipboardError::NotATerminal)
    ));
    let mut out = Vec::new();
    let result = Clipboard::new(ClipboardMode::Osc52, env).copy("oc_abc", &mut out);
    assert!(matches!(result, Err(ClipboardError::NotATerminal)));
    assert!(out.is_empty(), "nothing may be written: {out:?}");
}

#[test]
fn off_copies_nothing_and_says_so() {
    let mut out = Vec::new();
    let err = Clipboard::new(ClipboardMode::Off, local_desktop())
        .copy("oc_abc", &mut out)
        .unwrap_err();
    assert!(err.to_string().contains("clipboard is off"));
    assert!(out.is_empty());
}

#[test]
fn plain_osc52_bytes_are_exact() {
    // base64("oc_abc") = "b2NfYWJj"
    assert_eq!(
        osc52_bytes("oc_abc", Multiplexer::None),
        b"\x1b]52;c;b2NfYWJj\x07".to_vec()
    );
}

#[test]
fn tmux_wrapping_bytes_are_exact() {
    let expected = b"\x1b]52;c;b2NfYWJj\x07\x1bPtmux;\x1b\x1b]52;c;b2NfYWJj\x07\x1b\\".to_vec();
    assert_eq!(osc52_bytes("oc_abc", Multiplexer::Tmux), expected);
}

#[test]
fn screen_wrapping_splits_into_short_dcs_chunks() {
    let text = "x".repeat(200);
    let bytes = String::from_utf8(osc52_bytes(&text, Multiplexer::Screen)).unwrap();
    assert!(bytes.starts_with("\x1bP\x1b]52;c;"));
    assert!(bytes.ends_with("\x07\x1b\\"));
    let unwrapped: String = bytes
        .split("\x1b\\")
        .filter(|chunk| !chunk.is_empty())
        .map(|chunk| {
            let inner = chunk.strip_prefix("\x1bP").unwrap();
            assert!(inner.len() <= SCREEN_CHUNK);
            inner
        })
        .collect();
    assert_eq!(
        unwrapped,
        format!("\x1b]52;c;{}\x07", BASE64.encode(text.as_bytes()))
    );
}

#[test]
fn tmux_wins_over_a_screen_term_and_screen_is_recognised() {
    let in_tmux = ClipboardEnv {
        over_ssh: true,
        in_tmux: true,
        term: Some("screen-256color".into()),
        ..local_desktop()
    };
    let in_screen = ClipboardEnv {
        in_tmux: false,
        ..in_tmux.clone()
    };
    let multiplexer = |env| match choose_route(ClipboardMode::Auto, env).unwrap() {
        Route::Osc52 { multiplexer, .. } => multiplexer,
        Route::System => panic!("expected OSC 52"),
    };
    assert_eq!(multiplexer(&in_tmux), Multiplexer::Tmux);
    assert_eq!(multiplexer(&in_screen), Multiplexer::Screen);
}

#[test]
fn text_over_the_cap_is_refused_with_a_clear_message() {
    let env = ClipboardEnv {
        over_ssh: true,
        ..local_desktop()
    };
    let mut out = Vec::new();
    let err = Clipboard::new(ClipboardMode::Auto, env)
        .copy(&"a".repeat(MAX_COPY_BYTES + 1), &mut out)
        .unwrap_err();
    assert!(matches!(err, ClipboardError::TooLarge { .. }));
    assert!(err.to_string().contains("100000"), "{err}");
    assert!(out.is_empty());
}

#[test]
fn copy_over_ssh_writes_osc52_and_says_which_way() {
    let env = ClipboardEnv {
        over_ssh: true,
        ..local_desktop()
    };
    let mut out = Vec::new();
    let outcome = Clipboard::new(ClipboardMode::Auto, env)
        .copy("oc_abc", &mut out)
        .unwrap();
    assert_eq!(out, b"\x1b]52;c;b2NfYWJj\x07".to_vec());
    assert_eq!(outcome.to_string(), "copied via OSC 52 (SSH)");
    assert_eq!(outcome.how(), "OSC 52 · SSH");
}

#[test]
fn the_config_setting_picks_the_mode() {
    assert_eq!(
        ClipboardMode::from(ClipboardSetting::Osc52),
        ClipboardMode::Osc52
    );
    assert_eq!(
        ClipboardMode::from(ClipboardSetting::Off),
        ClipboardMode::Off
    );
}
