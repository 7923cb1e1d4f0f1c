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

/// A script that ran: where it is (file, job, step), its exit code, and all it said.
type Ran = (String, i32, String);

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

/// Runs `script` with bash in `dir` with `env`: `-e` and `-o pipefail` as the engines do,
/// and `-u` too, so a variable the recipe uses and the test does not give fails it.
fn bash(where_: &str, script: &str, dir: &Path, env: &BTreeMap<String, String>) -> (i32, String) {
    let path = format!("{}:{}", konform_dir().display(), std::env::var("PATH").unwrap_or_default());
    let out = Command::new("bash")
        .args(["--noprofile", "--norc", "-euo", "pipefail", "-c", script])
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
    /// The context of a pull request's workflow against the test environment at `url`.
    fn for_pull_request(file: String, dir: &Path, url: &str) -> GitHub {
        GitHub {
            file,
            known: BTreeMap::from([
                ("vars.TEST_ENV_URL".into(), url.to_string()),
                ("secrets.TEST_ENV_TOKEN".into(), TOKEN.into()),
                ("github.sha".into(), "0f3c2a9".into()),
            ]),
            dir: dir.to_path_buf(),
            summary: dir.join("step-summary.md"),
            installs: 0,
            used: Vec::new(),
        }
    }

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
    fn run(&mut self, workflow: &Value) -> Vec<Ran> {
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
/// description, here the catalogue's own as a vendor takes it (docs/ci.md): one file,
/// bundled with the information models it uses.
fn vendor_repository(dir: &Path) {
    let out = common::konform()
        .args(["catalogue", "bundle", "case-intake@2.0.0", "--catalogue"])
        .arg(project_root().join("conformance-suites"))
        .arg("-o")
        .arg(dir.join("openapi.yaml"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
}

#[test]
fn the_vendor_pull_request_workflow_lints_runs_and_reports() {
    let (file, workflow) = recipe("github-vendor-pr.yml");
    let dir = tempfile::tempdir().unwrap();
    vendor_repository(dir.path());
    let server = vendor(&[]);
    let mut gh = GitHub::for_pull_request(file, dir.path(), &server.url());
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
    let mut gh = GitHub::for_pull_request(file, dir.path(), &server.url());
    let results = gh.run(&workflow);
    let failed: Vec<&str> = results.iter().filter(|(_, code, _)| *code != 0).map(|(l, _, _)| l.as_str()).collect();
    assert_eq!(failed.len(), 1, "only the run fails the job: {failed:?}");
    assert!(failed[0].ends_with("Run the catalogue against the test environment"), "{failed:?}");
    // The steps after it still report (`if: !cancelled()`).
    stand_in_for_actions(&gh.used, dir.path());
    assert!(std::fs::read_to_string(&gh.summary).unwrap().contains("case-intake"));
}

// ---------------------------------------------------------------------------------------
// The fleet: the nightly recipes verify docs/ci/fleet.toml's vendors

/// The fleet file with its vendors' addresses pointed at reference vendors: `acme`, clean,
/// and `bolaget`, with a fault (so one is certified and one is not).
struct Fleet {
    _acme: Background,
    _bolaget: Background,
    toml: String,
    env: BTreeMap<String, String>,
}

fn fleet() -> Fleet {
    let acme = vendor(&[]);
    let bolaget = vendor(&[Fault::MissingField]);
    let text = std::fs::read_to_string(project_root().join("docs/ci/fleet.toml")).unwrap();
    let mut toml = text.clone();
    for (from, to) in
        [("https://test.acme.example/api", acme.url()), ("https://api-test.bolaget.example/", bolaget.url())]
    {
        assert!(toml.contains(from), "docs/ci/fleet.toml names {from}");
        toml = toml.replace(from, &to);
    }
    let env = BTreeMap::from([("ACME_TOKEN".into(), TOKEN.into()), ("BOLAGET_TOKEN".into(), TOKEN.into())]);
    Fleet { _acme: acme, _bolaget: bolaget, toml, env }
}

/// A signing key pair, as `konform keygen` writes it.
fn keys(dir: &Path) -> (PathBuf, PathBuf) {
    let (private, public) = (dir.join("verifier.key"), dir.join("verifier.pub"));
    let out =
        common::konform().args(["keygen", "--private"]).arg(&private).arg("--public").arg(&public).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    (private, public)
}

fn reports_in(register: &Path) -> Vec<Value> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(register.join("reports")).unwrap() {
        out.push(serde_json::from_str(&std::fs::read_to_string(entry.unwrap().path()).unwrap()).unwrap());
    }
    out
}

/// Vendor → verdict of its (only) specification, for the reports in a register.
fn verdicts(reports: &[Value]) -> BTreeMap<String, String> {
    reports
        .iter()
        .map(|r| {
            (
                r["target"]["vendor"].as_str().unwrap().to_string(),
                r["specifications"][0]["verdict"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

// ---------------------------------------------------------------------------------------
// GitLab CI

/// Keys of a pipeline that are not jobs.
const GITLAB_KEYWORDS: &[&str] = &["stages", "default", "variables", "workflow", "include", "image", "services"];

/// Runs a pipeline's jobs stage by stage, each `parallel: N` job N times with
/// `CI_NODE_INDEX`/`CI_NODE_TOTAL`, its `before_script` and `script` lines in one bash, as
/// GitLab's shell runner does. Each job instance starts in a fresh copy of `repo` (under
/// `root/NAME-K`) with the artifacts of the jobs it `needs` (else of every earlier stage)
/// copied in; its own `artifacts: paths` must be there when it ends. Returns each job's
/// label, exit code and output, and the folder each job ran in.
fn gitlab(
    file: &str,
    pipeline: &Value,
    repo: &Path,
    root: &Path,
    known: &BTreeMap<String, String>,
) -> (Vec<Ran>, BTreeMap<String, Vec<PathBuf>>) {
    let top = pipeline.as_object().expect("a pipeline is a mapping");
    for key in top.keys() {
        assert!(
            GITLAB_KEYWORDS.contains(&key.as_str()) || top[key].get("script").is_some() || key.starts_with('.'),
            "{file}: `{key}` is neither a keyword the test knows nor a job"
        );
    }
    let stages: Vec<String> = pipeline["stages"].as_array().expect("stages").iter().map(scalar).collect();
    let lines = |v: &Value| -> Vec<String> {
        match v {
            Value::Array(items) => items.iter().map(scalar).collect(),
            Value::Null => vec![],
            other => vec![scalar(other)],
        }
    };
    let mut results = Vec::new();
    let mut installs = 0;
    // Each job's artifacts: the workspace it ran in and the paths it keeps.
    let mut artifacts: Vec<(String, String, PathBuf, Vec<String>)> = Vec::new();
    let mut ran: BTreeMap<String, Vec<PathBuf>> = BTreeMap::new();
    for stage in &stages {
        for (name, job) in top.iter().filter(|(k, j)| !GITLAB_KEYWORDS.contains(&k.as_str()) && j["stage"] == **stage) {
            let instances: Vec<BTreeMap<String, String>> = match &job["parallel"] {
                Value::Null => vec![BTreeMap::new()],
                Value::Number(n) => {
                    let total = n.as_u64().unwrap();
                    (1..=total)
                        .map(|i| {
                            BTreeMap::from([
                                ("CI_NODE_INDEX".to_string(), i.to_string()),
                                ("CI_NODE_TOTAL".to_string(), total.to_string()),
                            ])
                        })
                        .collect()
                }
                other => panic!("{file}: {name}: parallel {other} is not known to the test"),
            };
            let needs: Option<Vec<String>> = job["needs"].as_array().map(|n| n.iter().map(scalar).collect());
            let kept: Vec<String> = job
                .pointer("/artifacts/paths")
                .and_then(Value::as_array)
                .map(|p| p.iter().map(scalar).collect())
                .unwrap_or_default();
            for instance in instances {
                let dir = root.join(format!("{name}-{}", instance.get("CI_NODE_INDEX").map_or("1", String::as_str)));
                common::copy_tree(repo, &dir);
                for (from_job, from_stage, workspace, paths) in &artifacts {
                    let wanted = match &needs {
                        Some(needs) => needs.contains(from_job),
                        None => stages.iter().position(|s| s == from_stage) < stages.iter().position(|s| s == stage),
                    };
                    for found in
                        paths.iter().filter(|_| wanted).flat_map(|p| glob_in(workspace, p.trim_end_matches('/')))
                    {
                        let to = dir.join(found.strip_prefix(workspace).unwrap());
                        if found.is_dir() {
                            common::copy_tree(&found, &to);
                        } else {
                            std::fs::copy(&found, &to).unwrap();
                        }
                    }
                }
                let mut env = known.clone();
                for vars in [&pipeline["variables"], &job["variables"]] {
                    if let Some(vars) = vars.as_object() {
                        env.extend(vars.iter().map(|(k, v)| (k.clone(), scalar(v))));
                    }
                }
                env.extend(instance.clone());
                let before = if job.get("before_script").is_some() {
                    lines(&job["before_script"])
                } else {
                    lines(&pipeline["default"]["before_script"])
                };
                let script: Vec<String> = before.into_iter().chain(lines(&job["script"])).collect();
                let script = without_install(&script.join("\n"), &mut installs);
                let label = format!("{file}: {name}{instance:?}");
                let (code, said) = bash(&label, &script, &dir, &env);
                results.push((label, code, said));
                for path in &kept {
                    let found = glob_in(&dir, path.trim_end_matches('/'));
                    assert!(!found.is_empty(), "{file}: {name}: its artifact {path} is not there");
                }
                if name == "pages" {
                    assert!(
                        dir.join("public/index.html").is_file(),
                        "{file}: pages publishes public/ with an index.html"
                    );
                }
                artifacts.push((name.clone(), stage.clone(), dir.clone(), kept.clone()));
                ran.entry(name.clone()).or_default().push(dir);
            }
        }
    }
    let jobs = top.iter().filter(|(k, j)| !k.starts_with('.') && j.get("script").is_some()).count();
    assert_eq!(installs, results.len(), "{file}: every job installs konform once ({jobs} jobs)");
    (results, ran)
}

/// A git repository for the register, as `REGISTER_REPO` names it: a bare one holding a
/// register that trusts the verifier's key.
fn register_repository(dir: &Path, public_key: &Path) -> PathBuf {
    let work = dir.join("register-setup");
    let git = |args: &[&str], at: &Path| {
        let out = Command::new("git").args(args).current_dir(at).output().unwrap();
        assert!(out.status.success(), "git {args:?}: {}", String::from_utf8_lossy(&out.stderr));
    };
    let konform = |args: &[&str]| {
        let out = common::konform().args(args).output().unwrap();
        assert!(out.status.success(), "konform {args:?}: {}", String::from_utf8_lossy(&out.stderr));
    };
    konform(&["register", "init", work.to_str().unwrap()]);
    konform(&[
        "register",
        "trust",
        public_key.to_str().unwrap(),
        "--name",
        "verifier",
        "--register",
        work.to_str().unwrap(),
    ]);
    git(&["init", "--quiet", "--initial-branch=main"], &work);
    git(&["add", "-A"], &work);
    git(&["-c", "user.name=t", "-c", "user.email=t@invalid", "commit", "--quiet", "-m", "register"], &work);
    let bare = dir.join("register.git");
    git(&["clone", "--quiet", "--bare", work.to_str().unwrap(), bare.to_str().unwrap()], dir);
    bare
}

#[test]
fn the_nightly_gitlab_pipeline_verifies_the_fleet_in_shards_registers_and_publishes() {
    let (file, pipeline) = recipe("gitlab-nightly.yml");
    let repo = tempfile::tempdir().unwrap();
    let root = tempfile::tempdir().unwrap();
    let secrets = tempfile::tempdir().unwrap();
    let fleet = fleet();
    std::fs::write(repo.path().join("fleet.toml"), &fleet.toml).unwrap();
    let (private, public) = keys(secrets.path());
    let remote = register_repository(secrets.path(), &public);
    let mut known = fleet.env.clone();
    known.insert("KONFORM_SIGN_KEY".into(), private.display().to_string());
    known.insert("REGISTER_REPO".into(), remote.display().to_string());
    let (results, ran) = gitlab(&file, &pipeline, repo.path(), root.path(), &known);
    for (_, code, said) in &results {
        assert_eq!(*code, 0, "{said}");
    }
    assert_eq!(results.len(), 5, "three verify jobs, register, pages");
    // Each shard ran both vendors; each vendor's shards were merged and signed.
    for (k, shard) in ran["verify"].iter().enumerate() {
        for vendor in ["acme", "bolaget"] {
            assert!(shard.join(format!("shard-{}/{vendor}.json", k + 1)).is_file(), "shard {} of {vendor}", k + 1);
        }
    }
    // The register (as pushed) holds one signed report per vendor, with its verdict.
    let pushed = secrets.path().join("pushed");
    let out = Command::new("git").arg("clone").arg("--quiet").arg(&remote).arg(&pushed).output().unwrap();
    assert!(out.status.success());
    let reports = reports_in(&pushed);
    assert_eq!(
        verdicts(&reports),
        BTreeMap::from([
            ("Acme AB".to_string(), "certified".to_string()),
            ("Bolaget i Norr AB".to_string(), "not_certified".to_string())
        ])
    );
    assert!(reports.iter().all(|r| r["signature"].is_object()), "merged reports are signed");
    // The site names both vendors.
    let index = std::fs::read_to_string(ran["pages"][0].join("public/sv/index.html")).unwrap();
    for vendor in ["Acme AB", "Bolaget i Norr AB"] {
        assert!(index.contains(vendor), "{vendor} on the published site");
    }
}

// ---------------------------------------------------------------------------------------
// Kubernetes

/// Runs a CronJob's container as the kubelet would: its command with its args, its `env`
/// and `envFrom` secrets (given by the test by name), and each volume mounted — here a
/// folder per volume, its mount path in the script replaced by the folder's.
fn cronjob(
    file: &str,
    manifest: &Value,
    volumes: &BTreeMap<String, PathBuf>,
    secrets: &BTreeMap<String, BTreeMap<String, String>>,
    dir: &Path,
) -> (i32, String) {
    assert_eq!(manifest["kind"], "CronJob", "{file}");
    let pod = &manifest["spec"]["jobTemplate"]["spec"]["template"]["spec"];
    let containers = pod["containers"].as_array().unwrap();
    assert_eq!(containers.len(), 1, "{file}: one container");
    let c = &containers[0];
    let mut env = BTreeMap::new();
    for e in c["env"].as_array().into_iter().flatten() {
        env.insert(scalar(&e["name"]), scalar(&e["value"]));
    }
    for from in c["envFrom"].as_array().into_iter().flatten() {
        let name = from["secretRef"]["name"].as_str().expect("envFrom a secret");
        env.extend(secrets.get(name).unwrap_or_else(|| panic!("{file}: the test has no secret {name}")).clone());
    }
    let declared: Vec<&str> = pod["volumes"].as_array().unwrap().iter().map(|v| v["name"].as_str().unwrap()).collect();
    let mut mounts: Vec<(String, PathBuf)> = c["volumeMounts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| {
            let name = m["name"].as_str().unwrap();
            assert!(declared.contains(&name), "{file}: the mount {name} has a volume");
            let folder = volumes.get(name).unwrap_or_else(|| panic!("{file}: the test has no volume {name}")).clone();
            (scalar(&m["mountPath"]), folder)
        })
        .collect();
    // Longest first: /etc/konform-key before /etc/konform.
    mounts.sort_by_key(|(path, _)| std::cmp::Reverse(path.len()));
    let command: Vec<String> = c["command"].as_array().unwrap().iter().map(scalar).collect();
    assert_eq!(command, ["/bin/bash", "-c"], "{file}: the script runs in bash");
    let mut script = scalar(&c["args"][0]);
    for (path, folder) in &mounts {
        script = script.replace(path.as_str(), &folder.display().to_string());
    }
    bash(&format!("{file}: container {}", c["name"]), &script, dir, &env)
}

#[test]
fn the_kubernetes_cronjob_verifies_the_fleet_and_keeps_the_register_night_after_night() {
    let (file, manifest) = recipe("kubernetes-cronjob.yaml");
    let dir = tempfile::tempdir().unwrap();
    let fleet = fleet();
    let volumes: BTreeMap<String, PathBuf> =
        ["fleet", "key", "data"].iter().map(|v| (v.to_string(), dir.path().join(v))).collect();
    for folder in volumes.values() {
        std::fs::create_dir_all(folder).unwrap();
    }
    std::fs::write(volumes["fleet"].join("fleet.toml"), &fleet.toml).unwrap();
    keys(&volumes["key"]);
    let secrets = BTreeMap::from([("konform-vendors".to_string(), fleet.env.clone())]);
    let work = dir.path().join("work");
    std::fs::create_dir_all(&work).unwrap();
    // The first night makes the register; the second adds to it.
    for night in 1..=2 {
        let (code, said) = cronjob(&file, &manifest, &volumes, &secrets, &work);
        assert_eq!(code, 0, "night {night}: {said}");
        let reports = reports_in(&volumes["data"].join("register"));
        assert_eq!(reports.len(), 2 * night, "night {night}: two vendors a night");
        assert_eq!(
            verdicts(&reports),
            BTreeMap::from([
                ("Acme AB".to_string(), "certified".to_string()),
                ("Bolaget i Norr AB".to_string(), "not_certified".to_string())
            ])
        );
    }
    let index = std::fs::read_to_string(volumes["data"].join("site/en/index.html")).unwrap();
    for vendor in ["Acme AB", "Bolaget i Norr AB"] {
        assert!(index.contains(vendor), "{vendor} on the site");
    }
    let data_files = common::files_under(&volumes["data"], &["json", "html", "svg"]);
    for f in data_files {
        assert!(!std::fs::read_to_string(&f).unwrap().contains(TOKEN), "{} holds a token", f.display());
    }
}
