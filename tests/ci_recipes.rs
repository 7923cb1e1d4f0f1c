//! The CI recipes in docs/ci/ work as written. Each file is read as its engine reads it (a
//! GitHub Actions workflow, a GitLab CI pipeline, a Kubernetes CronJob), its jobs are run
//! in the engine's order with their matrices expanded, and every shell script in it is run
//! with bash as the engine would run it — with the `konform` this test was built with first
//! on `PATH`, against reference vendors on 127.0.0.1, in one temporary folder standing in
//! for the workspace (so artifacts passed between jobs are simply there). The only lines
//! not run are those installing konform (`cargo install …`). The actions a workflow uses
//! are stood in for by checks of what they would receive: the SARIF file for code
//! scanning, the JUnit file for the checks view, the folder published as pages.
//! Expressions (`${{ secrets.X }}`) and variables the engine would supply are given by the
//! test; one it does not know fails the test, so a recipe cannot drift from what is tested.

mod common;

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::Command;

use common::project_root;
use konform::reference::{self, Fault, Faults};
use konform::serve::Background;
use serde_json::Value;

const TOKEN: &str = "ci-recipe-token";

fn recipe(name: &str) -> (String, Value) {
    let path = project_root().join("docs/ci").join(name);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let value = konform::source::yaml_to_value(&text).unwrap_or_else(|e| panic!("{name} is not YAML: {e:?}"));
    (name.to_string(), value)
}

/// The folder holding the `konform` under test, to put first on `PATH`.
fn konform_dir() -> PathBuf {
    Path::new(env!("CARGO_BIN_EXE_konform")).parent().unwrap().to_path_buf()
}

/// A reference vendor on 127.0.0.1 (with faults, for a vendor that fails).
fn vendor(faults: &[Fault]) -> Background {
    reference::start(SocketAddr::from(([127, 0, 0, 1], 0)), faults.iter().cloned().collect::<Faults>(), TOKEN.into())
        .unwrap()
}

/// A script with the lines that install konform taken out (and checked to be there).
fn without_install(script: &str, installs: &mut usize) -> String {
    script
        .lines()
        .filter(|l| {
            let install = l.trim_start().starts_with("cargo install");
            *installs += usize::from(install);
            !install
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Runs `script` with bash (`-e`, `-o pipefail`, as the engines do) in `dir` with `env`.
fn bash(where_: &str, script: &str, dir: &Path, env: &BTreeMap<String, String>) -> (i32, String) {
    let path = format!("{}:{}", konform_dir().display(), std::env::var("PATH").unwrap_or_default());
    let out = Command::new("bash")
        .args(["--noprofile", "--norc", "-eo", "pipefail", "-c", script])
        .current_dir(dir)
        .env_clear()
        .env("PATH", path)
        .env("HOME", dir)
        .env("LANG", "C.UTF-8")
        .envs(env)
        .output()
        .unwrap();
    let said = format!(
        "{where_}\n--- script\n{script}\n--- stdout\n{}\n--- stderr\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (out.status.code().unwrap_or(-1), said)
}

/// Every combination of a matrix's values (`{a: [1, 2], b: [x]}` → a=1,b=x and a=2,b=x).
fn combinations(matrix: &serde_json::Map<String, Value>) -> Vec<BTreeMap<String, String>> {
    let mut out = vec![BTreeMap::new()];
    for (key, values) in matrix {
        let values: Vec<String> = match values {
            Value::Array(items) => items.iter().map(scalar).collect(),
            other => vec![scalar(other)],
        };
        out = out
            .into_iter()
            .flat_map(|done| {
                values.iter().map(move |v| {
                    let mut next = done.clone();
                    next.insert(key.clone(), v.clone());
                    next
                })
            })
            .collect();
    }
    out
}

fn scalar(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

// ---------------------------------------------------------------------------------------
// GitHub Actions

/// What the test knows of a workflow's context: `secrets.X`, `vars.X`, `github.sha`.
struct GitHub {
    file: String,
    known: BTreeMap<String, String>,
    dir: PathBuf,
    summary: PathBuf,
    installs: usize,
    /// What each stood-in action was given, by action.
    used: Vec<(String, Value)>,
}

impl GitHub {
    /// Replaces every `${{ … }}` with what the context says; `!cancelled()` and `always()`
    /// are true (the run is not cancelled).
    fn expand(&self, text: &str, matrix: &BTreeMap<String, String>) -> String {
        let mut out = String::new();
        let mut rest = text;
        while let Some(start) = rest.find("${{") {
            out.push_str(&rest[..start]);
            let end = rest[start..].find("}}").unwrap_or_else(|| panic!("{}: unclosed ${{{{ in {text}", self.file));
            let expr = rest[start + 3..start + end].trim();
            let value = match expr {
                "!cancelled()" | "always()" => "true".to_string(),
                _ if expr.starts_with("matrix.") => matrix
                    .get(&expr["matrix.".len()..])
                    .cloned()
                    .unwrap_or_else(|| panic!("{}: `{expr}` is not in the matrix", self.file)),
                _ => self
                    .known
                    .get(expr)
                    .cloned()
                    .unwrap_or_else(|| panic!("{}: the test does not know `{expr}`: give it a value", self.file)),
            };
            out.push_str(&value);
            rest = &rest[start + end + 2..];
        }
        out.push_str(rest);
        out
    }

    fn env_of(&self, value: &Value, matrix: &BTreeMap<String, String>, into: &mut BTreeMap<String, String>) {
        if let Some(env) = value.get("env").and_then(Value::as_object) {
            for (k, v) in env {
                into.insert(k.clone(), self.expand(&scalar(v), matrix));
            }
        }
    }

    /// Runs a workflow's jobs in the order `needs` gives, each matrix combination in turn,
    /// and returns every step's exit code by `job[matrix] / step`.
    fn run(&mut self, workflow: &Value) -> Vec<(String, i32, String)> {
        let jobs = workflow["jobs"].as_object().expect("a workflow has jobs");
        let mut done: Vec<String> = Vec::new();
        let mut results = Vec::new();
        while done.len() < jobs.len() {
            let ready: Vec<&String> = jobs
                .iter()
                .filter(|(name, job)| {
                    !done.contains(name)
                        && match &job["needs"] {
                            Value::Null => true,
                            Value::String(n) => done.contains(n),
                            Value::Array(ns) => ns.iter().all(|n| done.contains(&scalar(n))),
                            other => panic!("{}: needs is {other}", self.file),
                        }
                })
                .map(|(name, _)| name)
                .collect();
            assert!(!ready.is_empty(), "{}: jobs wait for each other in a circle", self.file);
            for name in ready {
                let job = &jobs[name];
                let matrices = match job.pointer("/strategy/matrix").and_then(Value::as_object) {
                    Some(m) => combinations(m),
                    None => vec![BTreeMap::new()],
                };
                for matrix in &matrices {
                    let mut env = BTreeMap::new();
                    self.env_of(workflow, matrix, &mut env);
                    self.env_of(job, matrix, &mut env);
                    env.insert("GITHUB_STEP_SUMMARY".into(), self.summary.display().to_string());
                    env.insert("GITHUB_OUTPUT".into(), self.dir.join(".github-output").display().to_string());
                    for step in job["steps"].as_array().expect("a job has steps") {
                        let label = format!(
                            "{}: {name}{matrix:?} / {}",
                            self.file,
                            step["name"].as_str().or(step["uses"].as_str()).unwrap_or("a step")
                        );
                        if let Some(action) = step["uses"].as_str() {
                            let with = step.get("with").cloned().unwrap_or(Value::Null);
                            let with: Value = match with {
                                Value::Object(m) => m
                                    .into_iter()
                                    .map(|(k, v)| (k, Value::String(self.expand(&scalar(&v), matrix))))
                                    .collect(),
                                other => other,
                            };
                            self.used.push((action.to_string(), with));
                            continue;
                        }
                        let script = step["run"].as_str().unwrap_or_else(|| panic!("{label}: neither uses nor run"));
                        let mut step_env = env.clone();
                        self.env_of(step, matrix, &mut step_env);
                        let script = without_install(&self.expand(script, matrix), &mut self.installs);
                        let (code, said) = bash(&label, &script, &self.dir, &step_env);
                        results.push((label, code, said));
                    }
                }
                done.push(name.clone());
            }
        }
        results
    }
}

/// The checks standing in for the actions a workflow uses; an action the test does not
/// know fails it.
fn stand_in_for_actions(used: &[(String, Value)], dir: &Path) {
    for (action, with) in used {
        let name = action.split('@').next().unwrap();
        match name {
            "actions/checkout" | "actions/download-artifact" | "actions/deploy-pages" => {}
            "actions/upload-artifact" => {
                for path in with["path"].as_str().unwrap().lines().filter(|l| !l.trim().is_empty()) {
                    let found = glob_in(dir, path.trim());
                    assert!(!found.is_empty(), "{action}: nothing at {path} to upload");
                }
            }
            "github/codeql-action/upload-sarif" => {
                let file = dir.join(with["sarif_file"].as_str().unwrap());
                let sarif: Value = serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
                assert_eq!(sarif["version"], "2.1.0", "code scanning takes SARIF 2.1.0");
                assert!(sarif["runs"][0]["tool"]["driver"]["name"].is_string());
            }
            "mikepenz/action-junit-report" => {
                let file = dir.join(with["report_paths"].as_str().unwrap());
                let suites = junit_parser::from_reader(std::io::BufReader::new(std::fs::File::open(&file).unwrap()))
                    .unwrap_or_else(|e| panic!("{}: not JUnit XML: {e}", file.display()));
                assert!(suites.tests > 0, "{}: no test cases", file.display());
            }
            "actions/upload-pages-artifact" => {
                let site = dir.join(with["path"].as_str().unwrap());
                assert!(site.join("index.html").is_file(), "{}: no index.html to publish", site.display());
            }
            other => panic!("the test does not know the action {other}: add a stand-in that checks what it is given"),
        }
    }
}

/// Files in `dir` matching a path with at most one `*` in its last part.
fn glob_in(dir: &Path, pattern: &str) -> Vec<PathBuf> {
    let path = dir.join(pattern);
    let name = path.file_name().unwrap().to_string_lossy().into_owned();
    let Some((head, tail)) = name.split_once('*') else {
        return if path.exists() { vec![path] } else { vec![] };
    };
    let parent = path.parent().unwrap();
    std::fs::read_dir(parent)
        .map(|entries| {
            entries
                .map(|e| e.unwrap().path())
                .filter(|p| {
                    let n = p.file_name().unwrap().to_string_lossy();
                    n.starts_with(head) && n.ends_with(tail) && n.len() >= head.len() + tail.len()
                })
                .collect()
        })
        .unwrap_or_default()
}

/// A vendor's repository as the pull-request pipeline checks it out: its OpenAPI
/// description (here the catalogue's own).
fn vendor_repository(dir: &Path) {
    std::fs::copy(project_root().join("conformance-suites/case-intake/2.0.0/openapi.yaml"), dir.join("openapi.yaml"))
        .unwrap();
}

#[test]
fn the_vendor_pull_request_workflow_lints_runs_and_reports() {
    let (file, workflow) = recipe("github-vendor-pr.yml");
    let dir = tempfile::tempdir().unwrap();
    vendor_repository(dir.path());
    let server = vendor(&[]);
    let mut gh = GitHub {
        file,
        known: BTreeMap::from([
            ("vars.TEST_ENV_URL".into(), server.url().to_string()),
            ("secrets.TEST_ENV_TOKEN".into(), TOKEN.into()),
            ("github.sha".into(), "0f3c2a9".into()),
        ]),
        dir: dir.path().to_path_buf(),
        summary: dir.path().join("step-summary.md"),
        installs: 0,
        used: Vec::new(),
    };
    let results = gh.run(&workflow);
    for (_, code, said) in &results {
        assert_eq!(*code, 0, "{said}");
    }
    assert_eq!(gh.installs, 1, "konform is installed once");
    stand_in_for_actions(&gh.used, dir.path());
    let used: Vec<&str> = gh.used.iter().map(|(a, _)| a.as_str()).collect();
    for action in ["github/codeql-action/upload-sarif@v3", "mikepenz/action-junit-report@v5"] {
        assert!(used.contains(&action), "{action} is used: {used:?}");
    }
    let summary = std::fs::read_to_string(&gh.summary).unwrap();
    assert!(summary.contains("case-intake"), "the job summary holds the report: {summary}");
    let report: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.path().join("konform.json")).unwrap()).unwrap();
    assert_eq!(report["target"]["product_version"], "0f3c2a9", "{}", report["target"]);
    assert_eq!(report["specifications"][0]["verdict"], "certified");
    // The token never reaches what is published.
    for published in ["konform.json", "konform.md", "konform-junit.xml", "step-summary.md"] {
        assert!(!std::fs::read_to_string(dir.path().join(published)).unwrap().contains(TOKEN), "{published}");
    }
}

#[test]
fn the_vendor_pull_request_workflow_fails_when_the_product_does_not_conform() {
    let (file, workflow) = recipe("github-vendor-pr.yml");
    let dir = tempfile::tempdir().unwrap();
    vendor_repository(dir.path());
    let server = vendor(&[Fault::MissingField]);
    let mut gh = GitHub {
        file,
        known: BTreeMap::from([
            ("vars.TEST_ENV_URL".into(), server.url().to_string()),
            ("secrets.TEST_ENV_TOKEN".into(), TOKEN.into()),
            ("github.sha".into(), "0f3c2a9".into()),
        ]),
        dir: dir.path().to_path_buf(),
        summary: dir.path().join("step-summary.md"),
        installs: 0,
        used: Vec::new(),
    };
    let results = gh.run(&workflow);
    let failed: Vec<&str> = results.iter().filter(|(_, code, _)| *code != 0).map(|(l, _, _)| l.as_str()).collect();
    assert_eq!(failed.len(), 1, "only the run fails the job: {failed:?}");
    assert!(failed[0].ends_with("Run the catalogue against the test environment"), "{failed:?}");
    // The steps after it still report (`if: !cancelled()`).
    stand_in_for_actions(&gh.used, dir.path());
    assert!(std::fs::read_to_string(&gh.summary).unwrap().contains("case-intake"));
}
