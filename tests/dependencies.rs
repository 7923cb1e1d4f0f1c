//! No unused dependencies: every crate Cargo.toml declares is named in the code that may
//! use it (the library and binary for `[dependencies]`, the build script for
//! `[build-dependencies]`, tests and benchmarks for `[dev-dependencies]`).
//!
//! This is the check cargo-machete makes (a crate's name, with `-` as `_`, appearing as a
//! path or in a `use`), written here so CI needs nothing installed for it; a dependency
//! kept only for its features or for the linker has to say why below.

mod common;

use std::path::Path;

use common::{files_under, project_root};

/// Declared, and rightly never named in code: the reason each is kept.
const KEPT_UNNAMED: &[(&str, &str)] = &[];

fn declared(table: &toml::Table, section: &str) -> Vec<String> {
    table.get(section).and_then(|t| t.as_table()).map(|t| t.keys().cloned().collect()).unwrap_or_default()
}

fn sources(dirs: &[&str]) -> String {
    let root = project_root();
    let mut text = String::new();
    for dir in dirs {
        let path = root.join(dir);
        let files = if path.is_file() { vec![path] } else { files_under(&path, &["rs"]) };
        for file in files {
            text.push_str(&std::fs::read_to_string(&file).unwrap());
            text.push('\n');
        }
    }
    text
}

/// Whether `code` names the crate: `name::`, `use name`, or `name` as a whole word in an
/// attribute or macro path (`#[serde(...)]` is not a use of a crate called serde; a path is).
fn names(code: &str, krate: &str) -> bool {
    let ident = krate.replace('-', "_");
    let word = |c: Option<char>| c.is_some_and(|c| c.is_ascii_alphanumeric() || c == '_');
    code.match_indices(ident.as_str()).any(|(i, _)| {
        let (before, after) = (&code[..i], &code[i + ident.len()..]);
        let whole = !word(before.chars().next_back()) && !word(after.chars().next());
        whole && (after.starts_with("::") || before.ends_with("use ") || before.ends_with("extern crate "))
    })
}

#[test]
fn every_declared_dependency_is_used() {
    let manifest: toml::Table =
        toml::from_str(&std::fs::read_to_string(project_root().join("Cargo.toml")).unwrap()).unwrap();
    let build = sources(&["build.rs"]);
    let library = sources(&["src"]);
    let dev = format!("{library}{}", sources(&["tests", "benches"]));
    let mut unused = Vec::new();
    for (section, code) in [("dependencies", &library), ("build-dependencies", &build), ("dev-dependencies", &dev)] {
        for krate in declared(&manifest, section) {
            let kept = KEPT_UNNAMED.iter().any(|(name, _)| *name == krate);
            if !names(code, &krate) && !kept {
                unused.push(format!("[{section}] {krate}"));
            }
        }
    }
    assert!(unused.is_empty(), "declared in Cargo.toml and never used:\n{}", unused.join("\n"));
    // The list of exceptions holds only what is declared.
    for (name, _) in KEPT_UNNAMED {
        assert!(
            ["dependencies", "dev-dependencies", "build-dependencies"]
                .iter()
                .any(|s| declared(&manifest, s).contains(&name.to_string())),
            "{name} is excused but not declared"
        );
    }
}

#[test]
fn the_check_finds_a_crate_that_is_not_named() {
    let code = "use serde_json::Value;\nfn f() { let _ = my_crate_x::go(); }\n#[serde(rename = \"x\")]\n";
    assert!(names(code, "serde_json") && names(code, "my-crate-x"));
    assert!(!names(code, "serde"), "an attribute named like a crate is not a use of it");
    assert!(!names(code, "json"), "part of another crate's name is not a use");
    assert!(!names("fn toml_like() {}", "toml"));
    assert!(Path::new(&project_root()).join("Cargo.toml").exists());
}

/// `rust-version` in Cargo.toml is the newest `rust-version` any locked crate that this
/// build compiles declares (each read from its unpacked source in Cargo's registry): the
/// oldest toolchain the build can work with. (No older toolchain can be installed on the
/// CI machine to build with it; clippy's `incompatible_msrv` checks konform's own code
/// against the same version.)
#[test]
fn rust_version_is_the_oldest_the_locked_dependencies_allow() {
    let root = project_root();
    let manifest: toml::Table = toml::from_str(&std::fs::read_to_string(root.join("Cargo.toml")).unwrap()).unwrap();
    let ours = manifest["package"]["rust-version"].as_str().unwrap().to_string();
    let lock: toml::Table = toml::from_str(&std::fs::read_to_string(root.join("Cargo.lock")).unwrap()).unwrap();
    let home = std::env::var_os("CARGO_HOME")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| std::path::PathBuf::from(std::env::var_os("HOME").unwrap()).join(".cargo"));
    let registries: Vec<std::path::PathBuf> = std::fs::read_dir(home.join("registry/src"))
        .expect("Cargo's registry sources, where the build unpacked the dependencies")
        .map(|e| e.unwrap().path())
        .collect();
    let version = |text: &str| -> (u64, u64) {
        let mut parts = text.split('.').map(|p| p.parse::<u64>().unwrap());
        (parts.next().unwrap(), parts.next().unwrap_or(0))
    };
    let mut newest: Option<((u64, u64), String)> = None;
    let mut read = 0;
    for package in lock["package"].as_array().unwrap() {
        if package.get("source").is_none() {
            continue; // konform itself
        }
        let dir = format!("{}-{}", package["name"].as_str().unwrap(), package["version"].as_str().unwrap());
        // Crates for other platforms are locked but never unpacked here: not built, not counted.
        let Some(found) = registries.iter().map(|r| r.join(&dir).join("Cargo.toml")).find(|p| p.exists()) else {
            continue;
        };
        read += 1;
        let theirs: toml::Table = toml::from_str(&std::fs::read_to_string(found).unwrap()).unwrap();
        let declared = theirs.get("package").and_then(|p| p.get("rust-version")).and_then(|v| v.as_str());
        if let Some(v) = declared {
            if newest.as_ref().is_none_or(|(n, _)| version(v) > *n) {
                newest = Some((version(v), dir.clone()));
            }
        }
    }
    assert!(read > 200, "only {read} dependencies found unpacked");
    let (newest, which) = newest.unwrap();
    assert_eq!(
        version(&ours),
        newest,
        "Cargo.toml says rust-version {ours}, the newest any dependency needs is {}.{} ({which})",
        newest.0,
        newest.1
    );
}
