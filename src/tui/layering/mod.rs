//! Tests that read the console's own sources and checks how its modules import one
//! another: no circle among them, and every import goes down the layers of
//! `README.md` (runtime → app → screens/*, dialogs/* → state, geometry, keymap → shared
//! → input → action → kit), with screens and dialogs never importing each other's
//! logic (another's `state.rs`, plain data, is allowed).
//!
//! What counts as an import: `use` items and paths in code (`super::x::y`,
//! `crate::tui::x`, or a path through a module brought in by `use`). Comments, test
//! modules (`#[cfg(test)]` to the end of the file), `mod` lines and the `pub use`
//! re-exports of `mod.rs` facades do not count.

mod graph;

use graph::{Module, expand, find_cycle, import_graph, segments};
use std::collections::{BTreeMap, BTreeSet};

/// A screen's or dialog's folder (`screens/apps`), for its files.
fn part(module: &str) -> Option<String> {
    let parts = segments(module);
    match parts.first().map(String::as_str) {
        Some("screens" | "dialogs") if parts.len() >= 3 => Some(parts[..2].join("/")),
        _ => None,
    }
}

fn file_name(module: &str) -> &str {
    module.rsplit('/').next().unwrap_or("")
}

/// How high a module that is not part of a screen or dialog sits.
fn rank(module: &str) -> u8 {
    match segments(module).first().map(String::as_str) {
        Some("kit") => 0,
        Some("action") => 1,
        Some("input") => 2,
        Some("shared") => 3,
        Some("state" | "geometry" | "keymap") => 5,
        Some("screens" | "dialogs") => 6,
        Some("app") => 7,
        Some("runtime") => 8,
        _ => 9,
    }
}

/// Why the import `from` → `to` goes against the layers, if it does.
fn against_the_layers(from: &str, to: &str) -> Option<&'static str> {
    match (part(from), part(to)) {
        (Some(a), Some(b)) if a != b && file_name(to) != "state" => {
            Some("screens and dialogs import no other's logic (only its state.rs)")
        }
        (Some(_), Some(_)) => None,
        (Some(_), None) if rank(to) > 5 => Some("a screen or dialog imports only what is below it"),
        (None, Some(_)) if rank(from) == 5 => match file_name(to) {
            "state" | "keys" | "layout" => None,
            _ => Some("the model takes only a part's state, keys and layout"),
        },
        (None, Some(_)) if rank(from) < 5 => Some("the bottom layers know no screen or dialog"),
        (None, None) if rank(from) < rank(to) => Some("an import goes up the layers"),
        _ => None,
    }
}

#[test]
fn no_module_of_the_console_imports_in_a_circle() {
    let graph = import_graph("tui");
    assert!(graph.len() > 40, "the sources were not found: {graph:?}");
    assert!(
        graph
            .get("app/update")
            .is_some_and(|edges| edges.contains("screens/apps/update")),
        "the import graph misses the dispatcher's edges: {:?}",
        graph.get("app/update")
    );
    if let Some(cycle) = find_cycle(&graph) {
        panic!(
            "modules import each other in a circle: {}",
            cycle.join(" → ")
        );
    }
}

#[test]
fn every_import_goes_down_the_layers() {
    let graph = import_graph("tui");
    let wrong: Vec<String> = graph
        .iter()
        .flat_map(|(from, edges)| {
            edges.iter().filter_map(move |to| {
                against_the_layers(from, to).map(|why| format!("{from} → {to}: {why}"))
            })
        })
        .collect();
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn no_module_of_the_worker_imports_in_a_circle() {
    let graph = import_graph("worker");
    assert!(graph.len() > 5, "the sources were not found: {graph:?}");
    if let Some(cycle) = find_cycle(&graph) {
        panic!(
            "modules import each other in a circle: {}",
            cycle.join(" → ")
        );
    }
}

#[test]
fn the_checker_sees_a_circle_and_a_wrong_import() {
    let mut graph: BTreeMap<Module, BTreeSet<Module>> = BTreeMap::new();
    graph.insert("a".into(), ["b".to_string()].into());
    graph.insert("b".into(), ["a".to_string()].into());
    assert!(find_cycle(&graph).is_some());
    assert!(against_the_layers("screens/apps/update", "screens/tokens/update").is_some());
    assert!(against_the_layers("screens/tokens/state", "screens/apps/state").is_none());
    assert!(against_the_layers("kit/text", "state").is_some());
    assert!(against_the_layers("app/update", "screens/apps/update").is_none());
    assert_eq!(
        expand("crate::tui::kit::{columns::{GAP, list_area}, text as t}"),
        vec![
            (
                ["crate", "tui", "kit", "columns", "GAP"]
                    .map(String::from)
                    .to_vec(),
                "GAP".to_string()
            ),
            (
                ["crate", "tui", "kit", "columns", "list_area"]
                    .map(String::from)
                    .to_vec(),
                "list_area".to_string()
            ),
            (
                ["crate", "tui", "kit", "text"].map(String::from).to_vec(),
                "t".to_string()
            ),
        ]
    );
}
