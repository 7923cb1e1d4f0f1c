//! Helpers shared by the integration tests.
#![allow(dead_code)]

pub mod server;
pub mod tls;
pub mod workload;

use std::path::{Path, PathBuf};
use std::process::Output;

use assert_cmd::Command;

pub fn project_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The `konform` binary, with colour off and a stable environment.
pub fn konform() -> Command {
    let mut cmd = Command::cargo_bin("konform").expect("binary builds");
    cmd.env("NO_COLOR", "1").env_remove("KONFORM_CATALOGUE");
    cmd
}

/// Copies a folder tree.
pub fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.path().is_dir() {
            copy_tree(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// A temporary copy of `fixtures/catalogues/minimal`.
pub fn minimal_catalogue() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_tree(&project_root().join("fixtures/catalogues/minimal"), dir.path());
    dir
}

/// The small `thing` catalogue (`fixtures/catalogues/hostile`) with the REST API profile
/// switched on, in a temporary folder.
pub fn catalogue_with_profile() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_tree(&project_root().join("fixtures/catalogues/hostile"), dir.path());
    copy_tree(&project_root().join("conformance-suites/api-profile"), &dir.path().join("api-profile"));
    edit(
        &dir.path().join("thing/1.0.0/spec.yaml"),
        "openapi: openapi.yaml\n",
        "openapi: openapi.yaml\nprofiles: [api-profile]\n",
    );
    dir
}

/// Every file under `root` whose extension is one of `extensions`, sorted.
pub fn files_under(root: &Path, extensions: &[&str]) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut dirs = vec![root.to_path_buf()];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir).unwrap().flatten() {
            let path = entry.path();
            if path.is_dir() {
                dirs.push(path);
            } else if path.extension().and_then(|e| e.to_str()).is_some_and(|e| extensions.contains(&e)) {
                out.push(path);
            }
        }
    }
    out.sort();
    out
}

/// Replaces text in a file, failing loudly if the text is not there.
pub fn edit(path: &Path, from: &str, to: &str) {
    let text = std::fs::read_to_string(path).unwrap();
    assert!(text.contains(from), "{} does not contain {from:?}", path.display());
    std::fs::write(path, text.replacen(from, to, 1)).unwrap();
}

pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl From<Output> for Run {
    fn from(o: Output) -> Run {
        Run {
            code: o.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&o.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&o.stderr).into_owned(),
        }
    }
}

/// Runs `konform check .` inside `dir`, so reported paths are relative to it.
pub fn check_in(dir: &Path) -> Run {
    konform().current_dir(dir).args(["check", "."]).output().unwrap().into()
}

/// Asserts that a JSON report fits docs/report-schema.json.
pub fn assert_fits_schema(report: &serde_json::Value) {
    use std::sync::OnceLock;
    static SCHEMA: OnceLock<jsonschema::Validator> = OnceLock::new();
    let validator = SCHEMA.get_or_init(|| {
        let text = std::fs::read_to_string(project_root().join("docs/report-schema.json")).unwrap();
        jsonschema::validator_for(&serde_json::from_str(&text).unwrap()).unwrap()
    });
    let errors: Vec<String> = validator.iter_errors(report).map(|e| format!("{}: {e}", e.instance_path())).collect();
    assert!(errors.is_empty(), "the report does not fit docs/report-schema.json: {errors:#?}");
}

/// A demo run of case-intake 1.1.0 from the project (its catalogue at hand) with `args`
/// added, its JSON report written to `dir/r.json`; the run must exit with `code`.
pub fn demo_report(dir: &Path, args: &[&str], code: i32) -> PathBuf {
    let json = dir.join("r.json");
    let out = konform()
        .current_dir(project_root())
        .args(["demo", "case-intake@1.1.0", "--jobs", "1"])
        .args(args)
        .args(["--report", &format!("json={}", json.display())])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(code), "{}", String::from_utf8_lossy(&out.stderr));
    json
}

/// Every step of the first specification of a JSON report, in order.
pub fn first_spec_steps(report: &serde_json::Value) -> Vec<&serde_json::Value> {
    report["specifications"][0]["scenarios"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|s| s["steps"].as_array().unwrap())
        .collect()
}
