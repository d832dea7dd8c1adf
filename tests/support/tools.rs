//! What a test does when a tool or service it needs (tmux, PostgreSQL, Chromium) is
//! missing: on a developer's machine it skips with a note that libtest cannot hide;
//! under CI (`CI` set, as `.ci/run` does) it fails, because CI installs everything and
//! a silent skip there would pass for a check that never ran.
//!
//! Standard library only, so any test file can use it through `mod support;` or
//! `#[path = "support/tools.rs"] mod tools;`.
#![allow(dead_code)]

use std::io::Write;
use std::process::{Command, Stdio};

/// True when the environment says this is CI: `CI` set to anything but empty, `0`
/// or `false`.
pub fn under_ci() -> bool {
    std::env::var("CI").is_ok_and(|v| !matches!(v.trim(), "" | "0" | "false"))
}

/// True if `tool` runs (`tool --version`, or `tool -V` for tmux which knows no
/// `--version`). When it does not: panics under CI, else notes the skip and returns
/// false, and the test returns early.
pub fn require_tool(tool: &str) -> bool {
    let flag = if tool == "tmux" { "-V" } else { "--version" };
    let runs = Command::new(tool)
        .arg(flag)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    require(&format!("the `{tool}` command"), runs)
}

/// The rule itself, for services probed some other way (a PostgreSQL server that
/// answers, a browser that starts): `available` says whether `what` was found.
pub fn require(what: &str, available: bool) -> bool {
    if available {
        return true;
    }
    let test = std::thread::current()
        .name()
        .unwrap_or("this test")
        .to_string();
    assert!(
        !under_ci(),
        "{test}: {what} is missing, and CI must provide it (see .ci/run)"
    );
    // Straight to the process's stderr: libtest captures eprintln! of passing tests.
    let _ = writeln!(
        std::io::stderr(),
        "\n*** SKIPPED {test}: {what} is missing (under CI this fails) ***\n"
    );
    false
}
