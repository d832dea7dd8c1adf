//! The import graph of a folder of `src`, read from its sources.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// A module: its path below `src/tui` without `.rs` (`screens/apps/update`); `""` is
/// `src/tui/mod.rs`, a folder's `mod.rs` is the folder (`screens/apps`).
pub type Module = String;

fn sources(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            sources(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

fn module_of(root: &Path, file: &Path) -> Module {
    let relative = file.strip_prefix(root).unwrap_or(file).with_extension("");
    let mut parts: Vec<String> = relative
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    if parts.last().is_some_and(|p| p == "mod") {
        parts.pop();
    }
    parts.join("/")
}

pub fn segments(module: &str) -> Vec<String> {
    module
        .split('/')
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect()
}

/// The code of a file that counts: no comments, nothing from `#[cfg(test)]` on.
fn code_lines(text: &str) -> Vec<String> {
    let mut lines = Vec::new();
    for line in text.lines() {
        let trimmed = line.trim_start();
        if trimmed.starts_with("#[cfg(test)]") {
            break;
        }
        if trimmed.starts_with("//") {
            continue;
        }
        let code = match line.find("//") {
            // A `//` inside a string literal is rare here; cutting it only loses text.
            Some(at) => &line[..at],
            None => line,
        };
        lines.push(code.to_string());
    }
    lines
}

/// The `use` statements (joined across lines) and the rest of the code. In a
/// `mod.rs` facade, `pub use` re-exports are left out.
fn split_uses(lines: &[String], facade: bool) -> (Vec<String>, String) {
    let mut uses = Vec::new();
    let mut rest = String::new();
    let mut current: Option<String> = None;
    let mut skipping = false;
    for line in lines {
        let trimmed = line.trim();
        if skipping {
            skipping = !trimmed.ends_with(';');
            continue;
        }
        if let Some(open) = &mut current {
            open.push(' ');
            open.push_str(trimmed);
            if trimmed.ends_with(';') {
                uses.extend(current.take());
            }
            continue;
        }
        if trimmed.starts_with("mod ") || trimmed.starts_with("pub mod ") {
            continue;
        }
        let re_export = trimmed.starts_with("pub use ") || trimmed.starts_with("pub(crate) use ");
        if facade && re_export {
            skipping = !trimmed.ends_with(';');
            continue;
        }
        if trimmed.starts_with("use ") || re_export {
            let body = trimmed
                .split_once("use ")
                .map_or("", |(_, b)| b)
                .to_string();
            if trimmed.ends_with(';') {
                uses.push(body);
            } else {
                current = Some(body);
            }
            continue;
        }
        rest.push_str(line);
        rest.push('\n');
    }
    (uses, rest)
}

/// Expands `a::{b, c::{d, e as f}}` into `(path, name in scope)` pairs.
pub fn expand(tree: &str) -> Vec<(Vec<String>, String)> {
    // `as` is the one place whitespace matters: mark it, then drop the whitespace.
    let tree = tree.replace(" as ", "@");
    let tree: String = tree.chars().filter(|c| !c.is_whitespace()).collect();
    let mut out = Vec::new();
    expand_into(&[], tree.trim_end_matches(';'), &mut out);
    out
}

fn expand_into(prefix: &[String], tree: &str, out: &mut Vec<(Vec<String>, String)>) {
    if let Some(open) = tree.find('{') {
        let head: Vec<String> = tree[..open]
            .split("::")
            .filter(|s| !s.is_empty())
            .map(str::to_string)
            .collect();
        let inner = &tree[open + 1..tree.len().saturating_sub(1)];
        let mut base = prefix.to_vec();
        base.extend(head);
        let mut depth = 0;
        let mut start = 0;
        for (i, c) in inner.char_indices() {
            match c {
                '{' => depth += 1,
                '}' => depth -= 1,
                ',' if depth == 0 => {
                    expand_into(&base, &inner[start..i], out);
                    start = i + 1;
                }
                _ => {}
            }
        }
        expand_into(&base, &inner[start..], out);
        return;
    }
    if tree.is_empty() {
        return;
    }
    let (path, alias) = tree.split_once('@').unwrap_or((tree, ""));
    let mut full = prefix.to_vec();
    full.extend(
        path.split("::")
            .filter(|s| !s.is_empty())
            .map(str::to_string),
    );
    let name = if alias.is_empty() {
        full.last().cloned().unwrap_or_default()
    } else {
        alias.to_string()
    };
    if full.last().is_some_and(|s| s == "self") {
        full.pop();
    }
    out.push((full, name));
}

/// `path` as segments from `src/{within}`, if it points there.
fn resolve(within: &str, module: &str, path: &[String]) -> Option<Vec<String>> {
    let here = segments(module);
    let first = path.first()?;
    match first.as_str() {
        "crate" => {
            if path.get(1).map(String::as_str) == Some(within) {
                Some(path[2..].to_vec())
            } else {
                None
            }
        }
        "super" | "self" => {
            // A file's `self` is the module itself; `super` is its parent.
            let mut base = here;
            let mut rest = path;
            while let Some(head) = rest.first() {
                match head.as_str() {
                    "super" => {
                        base.pop();
                    }
                    "self" => {}
                    _ => break,
                }
                rest = &rest[1..];
            }
            base.extend(rest.iter().cloned());
            Some(base)
        }
        _ => None,
    }
}

/// The module `path` lands in: its longest prefix that is a module.
fn landing(modules: &BTreeSet<Module>, path: &[String]) -> Option<Module> {
    (0..=path.len())
        .rev()
        .map(|n| path[..n].join("/"))
        .find(|candidate| modules.contains(candidate))
}

/// Every `ident::ident…` path in `code`.
fn paths_in(code: &str) -> Vec<Vec<String>> {
    let mut out = Vec::new();
    let chars: Vec<char> = code.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let starts_word = chars[i].is_alphabetic() || chars[i] == '_';
        let after_word = i > 0 && (chars[i - 1].is_alphanumeric() || chars[i - 1] == '_');
        let after_path = i > 1 && chars[i - 1] == ':' && chars[i - 2] == ':';
        if !starts_word || after_word || after_path {
            i += 1;
            continue;
        }
        let mut path = Vec::new();
        let mut j = i;
        loop {
            let start = j;
            while j < chars.len() && (chars[j].is_alphanumeric() || chars[j] == '_') {
                j += 1;
            }
            path.push(chars[start..j].iter().collect::<String>());
            let more = j + 2 < chars.len()
                && chars[j] == ':'
                && chars[j + 1] == ':'
                && (chars[j + 2].is_alphabetic() || chars[j + 2] == '_');
            if !more {
                break;
            }
            j += 2;
        }
        if path.len() > 1 {
            out.push(path);
        }
        i = j.max(i + 1);
    }
    out
}

/// Who imports whom among the modules of `src/{within}` (`tui`, `worker`).
pub fn import_graph(within: &str) -> BTreeMap<Module, BTreeSet<Module>> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("src")
        .join(within);
    let mut files = Vec::new();
    sources(&root, &mut files);
    let modules: BTreeSet<Module> = files.iter().map(|f| module_of(&root, f)).collect();
    let mut graph = BTreeMap::new();
    for file in &files {
        let module = module_of(&root, file);
        let text = std::fs::read_to_string(file).unwrap_or_default();
        let facade = file.file_name().is_some_and(|n| n == "mod.rs");
        let (uses, rest) = split_uses(&code_lines(&text), facade);
        let mut edges = BTreeSet::new();
        let mut aliases: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for tree in &uses {
            for (path, name) in expand(tree) {
                let Some(target) = resolve(within, &module, &path) else {
                    continue;
                };
                let Some(landed) = landing(&modules, &target) else {
                    continue;
                };
                if landed == target.join("/") {
                    // A module brought into scope: what counts is what is used
                    // through it, below.
                    aliases.insert(name, target.clone());
                } else {
                    edges.insert(landed);
                }
            }
        }
        for path in paths_in(&rest) {
            let target = match aliases.get(&path[0]) {
                Some(base) => {
                    let mut full = base.clone();
                    full.extend(path[1..].iter().cloned());
                    Some(full)
                }
                None => resolve(within, &module, &path),
            };
            if let Some(landed) = target.and_then(|t| landing(&modules, &t)) {
                edges.insert(landed);
            }
        }
        edges.remove(&module);
        graph.insert(module, edges);
    }
    graph
}

/// A circle of imports, if there is one.
pub fn find_cycle(graph: &BTreeMap<Module, BTreeSet<Module>>) -> Option<Vec<Module>> {
    fn visit(
        node: &Module,
        graph: &BTreeMap<Module, BTreeSet<Module>>,
        stack: &mut Vec<Module>,
        done: &mut BTreeSet<Module>,
    ) -> Option<Vec<Module>> {
        if let Some(at) = stack.iter().position(|n| n == node) {
            let mut cycle = stack[at..].to_vec();
            cycle.push(node.clone());
            return Some(cycle);
        }
        if done.contains(node) {
            return None;
        }
        stack.push(node.clone());
        for next in graph.get(node).into_iter().flatten() {
            if let Some(cycle) = visit(next, graph, stack, done) {
                return Some(cycle);
            }
        }
        stack.pop();
        done.insert(node.clone());
        None
    }
    let mut done = BTreeSet::new();
    for node in graph.keys() {
        if let Some(cycle) = visit(node, graph, &mut Vec::new(), &mut done) {
            return Some(cycle);
        }
    }
    None
}
