//! Whether opening a browser on this machine can work: not over SSH (it would open on
//! the far machine, or nowhere), and only with a display or on macOS.

/// `env` looks up an environment variable, e.g. `|k| std::env::var(k).ok()`.
pub fn should_open_browser(env: impl Fn(&str) -> Option<String>) -> bool {
    decide(env, cfg!(target_os = "macos"))
}

fn decide(env: impl Fn(&str) -> Option<String>, is_macos: bool) -> bool {
    let set = |name: &str| env(name).is_some_and(|v| !v.is_empty());
    if set("SSH_CONNECTION") || set("SSH_TTY") || set("SSH_CLIENT") {
        return false;
    }
    is_macos || set("DISPLAY") || set("WAYLAND_DISPLAY")
}

#[cfg(test)]
mod tests {
    use super::decide;

    fn env<'a>(vars: &'a [(&'a str, &'a str)]) -> impl Fn(&str) -> Option<String> + 'a {
        move |k| {
            vars.iter()
                .find(|(n, _)| *n == k)
                .map(|(_, v)| v.to_string())
        }
    }

    #[test]
    fn opens_a_browser_only_with_a_local_display_or_on_macos() {
        assert!(decide(env(&[("DISPLAY", ":0")]), false));
        assert!(decide(env(&[("WAYLAND_DISPLAY", "wayland-0")]), false));
        assert!(decide(env(&[]), true));
        assert!(!decide(env(&[]), false));
    }

    #[test]
    fn never_opens_a_browser_over_ssh() {
        assert!(!decide(
            env(&[("DISPLAY", ":0"), ("SSH_CONNECTION", "1 2 3 4")]),
            false
        ));
        assert!(!decide(env(&[("SSH_TTY", "/dev/pts/1")]), true));
    }
}
