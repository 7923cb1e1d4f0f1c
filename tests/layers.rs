//! The module tree reads as the pipeline: every `crate::` reference in `src/` goes from a
//! module to one on a lower layer of the order written in docs/architecture.md, and no
//! files import each other in a circle. A new import that runs back up, or closes a
//! circle, fails this test with the file and the path that does it.

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use common::project_root;

/// The layers of docs/architecture.md, top first: the fenced block marked `layers`.
fn layers() -> Vec<Vec<String>> {
    let doc = std::fs::read_to_string(project_root().join("docs/architecture.md")).unwrap();
    let start = doc.find("```layers\n").expect("docs/architecture.md has a ```layers block");
    let block = &doc[start + "```layers\n".len()..];
    let block = &block[..block.find("```").expect("the layers block ends")];
    block
        .lines()
        .map(|l| l.split('#').next().unwrap_or("").split_whitespace().map(str::to_string).collect::<Vec<_>>())
        .filter(|l| !l.is_empty())
        .collect()
}

/// A module path (`["report", "spool"]`) for each file of `src/`.
fn modules() -> BTreeMap<Vec<String>, PathBuf> {
    let src = project_root().join("src");
    let mut out = BTreeMap::new();
    for path in common::files_under(&src, &["rs"]) {
        let rel = path.strip_prefix(&src).unwrap().with_extension("");
        let mut segments: Vec<String> = rel.iter().map(|s| s.to_string_lossy().into_owned()).collect();
        if segments.last().is_some_and(|s| s == "mod" || s == "lib") {
            segments.pop();
        }
        out.insert(segments, path);
    }
    out
}

/// Every path a file names through `use` trees and inline `crate::`/`super::` paths, as
/// written (segments), with `konform::` in the binary read as `crate::`.
fn referenced_paths(text: &str) -> Vec<Vec<String>> {
    let text: String = text.lines().filter(|l| !l.trim_start().starts_with("//")).collect::<Vec<_>>().join("\n");
    let mut out = Vec::new();
    let mut rest = text.as_str();
    while let Some(at) = find_use(rest) {
        let after = &rest[at..];
        let end = after.find(';').unwrap_or(after.len());
        expand(&squeeze(&after[..end]), &mut Vec::new(), &mut out);
        rest = &after[end..];
    }
    for prefix in ["crate::", "konform::", "super::"] {
        let mut from = 0;
        while let Some(i) = text[from..].find(prefix) {
            let start = from + i;
            from = start + prefix.len();
            let before = text[..start].chars().next_back();
            if before.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == ':') {
                continue;
            }
            let tail: String =
                text[start..].chars().take_while(|c| c.is_alphanumeric() || *c == '_' || *c == ':').collect();
            out.push(tail.split("::").filter(|s| !s.is_empty()).map(str::to_string).collect());
        }
    }
    out
}

/// A `use` tree without white space, except the single spaces around `as`.
fn squeeze(tree: &str) -> String {
    let words: Vec<&str> = tree.split_whitespace().collect();
    let mut out = String::new();
    for (i, word) in words.iter().enumerate() {
        if *word == "as" || words.get(i.wrapping_sub(1)) == Some(&"as") {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

/// Where the next `use` statement's tree starts.
fn find_use(text: &str) -> Option<usize> {
    let mut from = 0;
    while let Some(i) = text[from..].find("use ") {
        let start = from + i;
        from = start + 4;
        let line_start = text[..start].rfind('\n').map_or(0, |n| n + 1);
        let lead = text[line_start..start].trim();
        if lead.is_empty() || lead == "pub" || lead.starts_with("pub(") {
            return Some(start + 4);
        }
    }
    None
}

/// Expands a `use` tree (`a::{b, c::{d}}`) into paths.
fn expand(tree: &str, prefix: &mut Vec<String>, out: &mut Vec<Vec<String>>) {
    let (head, group) = match tree.find('{') {
        Some(i) => (&tree[..i], Some(&tree[i + 1..tree.rfind('}').unwrap_or(tree.len())])),
        None => (tree, None),
    };
    let depth = prefix.len();
    prefix.extend(head.split("::").filter(|s| !s.is_empty()).map(|s| s.split(" as ").next().unwrap().to_string()));
    match group {
        None => out.push(prefix.clone()),
        Some(group) => {
            let mut level = 0;
            let mut start = 0;
            for (i, c) in group.char_indices() {
                match c {
                    '{' => level += 1,
                    '}' => level -= 1,
                    ',' if level == 0 => {
                        expand(&group[start..i], prefix, out);
                        start = i + 1;
                    }
                    _ => {}
                }
            }
            if start < group.len() {
                expand(&group[start..], prefix, out);
            }
        }
    }
    prefix.truncate(depth);
}

/// The module of `src/` that a path names: the longest prefix that is a file's module.
fn resolve(
    from: &[String],
    is_dir_module: bool,
    path: &[String],
    modules: &BTreeMap<Vec<String>, PathBuf>,
) -> Option<Vec<String>> {
    let mut absolute: Vec<String> = match path.first().map(String::as_str) {
        Some("crate" | "konform") => path[1..].to_vec(),
        Some("self") => [from, &path[1..]].concat(),
        Some("super") => {
            let mut base = from.to_vec();
            let mut rest = path;
            while rest.first().is_some_and(|s| s == "super") {
                base.pop();
                rest = &rest[1..];
            }
            [base.as_slice(), rest].concat()
        }
        // `use child::Item` in a folder's mod.rs names a child module.
        Some(first) if is_dir_module && modules.contains_key(&[from, &[first.to_string()]].concat()) => {
            [from, path].concat()
        }
        _ => return None,
    };
    while !absolute.is_empty() {
        if modules.contains_key(&absolute) {
            return Some(absolute);
        }
        absolute.pop();
    }
    None
}

/// Module → the modules it references (other than itself).
fn graph() -> BTreeMap<Vec<String>, BTreeSet<Vec<String>>> {
    let modules = modules();
    let mut graph = BTreeMap::new();
    for (module, file) in &modules {
        let text = std::fs::read_to_string(file).unwrap();
        let is_dir_module = file.file_name().is_some_and(|n| n == "mod.rs");
        let mut targets = BTreeSet::new();
        for path in referenced_paths(&text) {
            if let Some(target) = resolve(module, is_dir_module, &path, &modules) {
                if &target != module && !target.is_empty() {
                    targets.insert(target);
                }
            }
        }
        graph.insert(module.clone(), targets);
    }
    graph
}

fn name(module: &[String]) -> String {
    if module.is_empty() {
        "lib".into()
    } else {
        module.join("::")
    }
}

/// The top-level module a module belongs to; the binary's `main` is its own.
fn top(module: &[String]) -> &str {
    module.first().map_or("lib", String::as_str)
}

#[test]
fn every_module_imports_only_from_lower_layers() {
    let layers = layers();
    let count = layers.len();
    let layer_of: BTreeMap<&str, usize> =
        layers.iter().enumerate().flat_map(|(i, names)| names.iter().map(move |n| (n.as_str(), count - i))).collect();
    let graph = graph();
    let mut unplaced = BTreeSet::new();
    let mut upward: Vec<(String, String)> = Vec::new();
    for (module, targets) in &graph {
        let from = top(module);
        if from == "lib" {
            continue;
        }
        let Some(&here) = layer_of.get(from) else {
            unplaced.insert(from.to_string());
            continue;
        };
        for target in targets {
            let to = top(target);
            if to == from {
                continue;
            }
            let Some(&there) = layer_of.get(to) else {
                unplaced.insert(to.to_string());
                continue;
            };
            if there >= here {
                upward.push((
                    format!("{} -> {}", name(module), name(target)),
                    format!("{from} is on layer {here}, {to} on {there}"),
                ));
            }
        }
    }
    assert!(unplaced.is_empty(), "modules missing from the layers in docs/architecture.md: {unplaced:?}");
    let upward: Vec<String> = upward.into_iter().map(|(edge, why)| format!("{edge} ({why})")).collect();
    assert!(upward.is_empty(), "imports that do not go down the layers:\n{}", upward.join("\n"));
}

#[test]
fn no_files_import_each_other_in_a_circle() {
    let graph = graph();
    // A folder's mod.rs and the files in it are one module: a child using its parent's items
    // (or the parent its children's) is not a circle.
    let related = |a: &[String], b: &[String]| a.starts_with(b) || b.starts_with(a);
    let mut circles = BTreeSet::new();
    for start in graph.keys() {
        // Depth-first search for a path back to `start`.
        let mut stack: Vec<(Vec<String>, Vec<Vec<String>>)> = vec![(start.clone(), vec![start.clone()])];
        let mut seen = BTreeSet::new();
        while let Some((at, trail)) = stack.pop() {
            for next in graph.get(&at).into_iter().flatten() {
                if related(&at, next) {
                    continue;
                }
                if next == start {
                    let mut members: Vec<String> = trail.iter().map(|m| name(m)).collect();
                    let lowest = members.iter().enumerate().min_by_key(|(_, m)| (*m).clone()).map_or(0, |(i, _)| i);
                    members.rotate_left(lowest);
                    circles.insert(members.join(" -> "));
                } else if seen.insert(next.clone()) {
                    let mut longer = trail.clone();
                    longer.push(next.clone());
                    stack.push((next.clone(), longer));
                }
            }
        }
    }
    assert!(
        circles.is_empty(),
        "files that import each other in a circle:\n{}",
        circles.into_iter().collect::<Vec<_>>().join("\n")
    );
}

#[test]
fn the_reader_finds_imports_in_every_form() {
    // The parser above guards the layering: show that it reads each form it must.
    let text = "use crate::model::{self, Check, run::{Verdict as V}};\npub(crate) use super::spool::Steps;\n\
                fn f() { crate::judge::verdict::count(); }\n// use crate::commented::Out;\n";
    let paths: Vec<String> = referenced_paths(text).iter().map(|p| p.join("::")).collect();
    for want in [
        "crate::model::self",
        "crate::model::Check",
        "crate::model::run::Verdict",
        "super::spool::Steps",
        "crate::judge::verdict::count",
    ] {
        assert!(paths.iter().any(|p| p == want), "{want} not read from {paths:?}");
    }
    assert!(!paths.iter().any(|p| p.contains("commented")), "a comment is not an import: {paths:?}");
    let modules = modules();
    let at = |s: &str| s.split("::").map(str::to_string).collect::<Vec<_>>();
    assert_eq!(resolve(&at("exec"), true, &at("crate::report::sign::sign"), &modules), Some(at("report::sign")));
    assert_eq!(resolve(&at("exec::http"), false, &at("super::oauth::TokenCache"), &modules), Some(at("exec::oauth")));
    assert_eq!(resolve(&at("catalogue"), true, &at("openapi::ApiDoc"), &modules), Some(at("catalogue::openapi")));
    assert!(Path::new(&modules[&at("model")]).ends_with("src/model/mod.rs"));
}
