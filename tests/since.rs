//! `run --since OLD-REPORT.json`: upgrading a certified product, the report says which
//! failed requirements are new in the version run now, which changed since the version the
//! earlier report tested (and how), which regressed (unchanged, met before) and which were
//! not met before either; in the JSON (fitting the schema), the terminal (both languages,
//! 80 columns), Markdown and HTML. A bad earlier report, or one whose version the catalogue
//! does not have, is exit 2 naming the file. Runs go to the reference vendor with faults:
//! case-intake 1.0.0 with `ignore-paging` (CASE-006 fails), then 1.1.0 with `ignore-paging`,
//! `ignore-auth` (CASE-013, unchanged since 1.0.0, fails) and `no-location-header` (CASE-001
//! and CASE-014, new in 1.1.0, fail). Versions are named, so the day does not matter.

mod common;

use std::path::{Path, PathBuf};

use common::{konform, project_root, Run};
use serde_json::Value;

/// A demo run from the project (its catalogue at hand), reports written into `dir` as
/// `name.json` (and `.md`, `.html`); the terminal 80 columns wide.
fn demo(dir: &Path, name: &str, args: &[&str]) -> (Run, Option<Value>) {
    let json = dir.join(format!("{name}.json"));
    let run: Run = konform()
        .current_dir(project_root())
        .env("COLUMNS", "80")
        .args(["demo", "--jobs", "1"])
        .args(args)
        .arg("--report")
        .arg(format!("json={}", json.display()))
        .arg("--report")
        .arg(format!("markdown={}", dir.join(format!("{name}.md")).display()))
        .arg("--report")
        .arg(format!("html={}", dir.join(format!("{name}.html")).display()))
        .output()
        .unwrap()
        .into();
    let report = std::fs::read_to_string(&json).ok().map(|t| serde_json::from_str::<Value>(&t).unwrap());
    if let Some(r) = &report {
        common::assert_fits_schema(r);
    }
    (run, report)
}

/// The report of case-intake 1.0.0 with listing broken: what the product was certified with.
fn earlier(dir: &Path) -> (PathBuf, Value) {
    let (run, report) = demo(dir, "old", &["case-intake@1.0.0", "--fault", "ignore-paging"]);
    assert_eq!(run.code, 1, "{}\n{}", run.stdout, run.stderr);
    (dir.join("old.json"), report.unwrap())
}

const UPGRADED: [&str; 7] =
    ["case-intake@1.1.0", "--fault", "ignore-paging", "--fault", "ignore-auth", "--fault", "no-location-header"];

/// The `since` entry of a requirement.
fn entry<'r>(spec: &'r Value, id: &str) -> &'r Value {
    spec["requirements"].as_array().unwrap().iter().find(|r| r["id"] == id).unwrap_or_else(|| panic!("no {id}"))
}

fn strings(v: &Value) -> Vec<&str> {
    v.as_array().map(|a| a.iter().map(|s| s.as_str().unwrap()).collect()).unwrap_or_default()
}

#[test]
fn upgrading_says_what_is_new_changed_regressed_and_still_not_met() {
    let dir = tempfile::tempdir().unwrap();
    let (old_path, old) = earlier(dir.path());
    let mut args = UPGRADED.to_vec();
    let since = old_path.display().to_string();
    args.extend(["--since", &since]);
    let (run, report) = demo(dir.path(), "new", &args);
    assert_eq!(run.code, 1, "{}\n{}", run.stdout, run.stderr);
    let report = report.unwrap();
    assert_eq!(report["format_version"], "2.6");

    // Which report, by its file name (not its path), id and date.
    let s = &report["since"];
    assert_eq!(s["report"], "old.json");
    assert_eq!(s["report_id"], old["id"]);
    assert_eq!(s["report_started"], old["started"]);
    assert_eq!(s["report_verdict"], "not_certified");
    let specs = s["specifications"].as_array().unwrap();
    assert_eq!(specs.len(), 1);
    let spec = &specs[0];
    assert_eq!((spec["id"].as_str(), spec["from_version"].as_str()), (Some("case-intake"), Some("1.0.0")));
    assert_eq!(spec["to_version"], "1.1.0");
    assert_eq!(spec["from_fingerprint"], old["specifications"][0]["fingerprints"]["combined"]);
    assert!(spec.get("catalogue_changed").is_none(), "the catalogue is the one the old report used");

    // The counts are those `konform diff` gives for the two versions.
    let diff = konform()
        .current_dir(project_root())
        .args(["diff", "case-intake@1.0.0", "case-intake@1.1.0", "--format", "json"])
        .output()
        .unwrap();
    let diff: Value = serde_json::from_slice(&diff.stdout).unwrap();
    let changes = diff["changes"].as_array().unwrap();
    assert_eq!(spec["changes"], changes.len());
    assert_eq!(spec["must_change"], changes.iter().filter(|c| c["class"] == "must-change").count());
    assert_eq!(spec["must_change_untested"], 0, "submitCase, the one must change, is tested");

    // Every requirement of the run, once, in the run's order, with its verdict now.
    let run_requirements = report["specifications"][0]["requirements"].as_array().unwrap();
    let ids: Vec<&Value> = run_requirements.iter().map(|r| &r["id"]).collect();
    let listed: Vec<&Value> = spec["requirements"].as_array().unwrap().iter().map(|r| &r["id"]).collect();
    assert_eq!(ids, listed);
    for r in run_requirements {
        assert_eq!(entry(spec, r["id"].as_str().unwrap())["verdict"], r["verdict"]);
    }

    // New in 1.1.0, failing: on the list as new, with no verdict before.
    let case14 = entry(spec, "CASE-014");
    assert_eq!((case14["class"].as_str(), case14["todo"].as_str()), (Some("added"), Some("new")));
    assert_eq!(case14["verdict"], "fail");
    assert!(case14.get("old_verdict").is_none());
    // Submitting changed (a new optional property to accept): changed, and how.
    let case01 = entry(spec, "CASE-001");
    assert_eq!((case01["class"].as_str(), case01["todo"].as_str()), (Some("changed"), Some("changed")));
    assert!(strings(&case01["changes"]).contains(&"request-property-added"), "{case01}");
    assert_eq!(case01["old_verdict"], "pass");
    // Listing is unchanged: failing then and now; the authentication passed then.
    let case06 = entry(spec, "CASE-006");
    assert_eq!((case06["class"].as_str(), case06["todo"].as_str()), (Some("unchanged"), Some("still_failing")));
    assert_eq!((case06["old_verdict"].as_str(), case06["verdict"].as_str()), (Some("fail"), Some("fail")));
    assert!(case06.get("changes").is_none());
    let case13 = entry(spec, "CASE-013");
    assert_eq!((case13["class"].as_str(), case13["todo"].as_str()), (Some("unchanged"), Some("regressed")));
    assert_eq!((case13["old_verdict"].as_str(), case13["verdict"].as_str()), (Some("pass"), Some("fail")));
    // Met now: not on the list, whatever changed.
    let case05 = entry(spec, "CASE-005");
    assert_eq!((case05["class"].as_str(), case05["verdict"].as_str()), (Some("unchanged"), Some("pass")));
    assert!(case05.get("todo").is_none());
    let on_list = spec["requirements"].as_array().unwrap().iter().filter(|r| r.get("todo").is_some()).count();
    let not_met = run_requirements.iter().filter(|r| r["verdict"] != "pass").count();
    assert_eq!(on_list, not_met);

    // The terminal: the line saying since what, and the to-do list, 80 columns wide.
    let out = &run.stdout;
    assert!(out.contains("Since case-intake 1.0.0 (tested in old.json, "), "{out}");
    assert!(out.contains(&format!("To do: {not_met} requirements not met:")), "{out}");
    for why in
        ["new in 1.1.0", "changed: request-property-added", "regressed: pass in 1.0.0", "still not met: FAIL in 1.0.0"]
    {
        assert!(out.contains(why), "{why}:\n{out}");
    }
    let todo = &out[out.find("To do:").unwrap()..];
    let todo = &todo[..todo.find("\n\n").unwrap_or(todo.len())];
    assert!(todo.lines().all(|l| l.chars().count() <= 80), "{todo}");
    // New first, then changed, regressed, still not met.
    let at = |s: &str| todo.find(s).unwrap_or_else(|| panic!("{s} not in {todo}"));
    assert!(at("CASE-014") < at("CASE-001") && at("CASE-001") < at("CASE-013") && at("CASE-013") < at("CASE-006"));

    // Markdown and HTML say the same.
    let md = std::fs::read_to_string(dir.path().join("new.md")).unwrap();
    assert!(md.contains("### Since the earlier report"), "{md}");
    assert!(md.contains("- `CASE-013` (MUST) **FAIL** — regressed: pass in 1.0.0"), "{md}");
    assert!(md.contains("- `CASE-014` (SHOULD) **FAIL** — new in 1.1.0"), "{md}");
    let html = std::fs::read_to_string(dir.path().join("new.html")).unwrap();
    assert!(html.contains("<h3>Since the earlier report</h3>"), "{html}");
    assert!(html.contains("<td>still not met: FAIL in 1.0.0</td>"), "{html}");
    assert!(html.contains("<th>Why</th>"), "{html}");
    assert!(html.contains("<a href=\"#req-case-intake-1-1-0-case-013\"><code>CASE-013</code></a>"), "{html}");
}

#[test]
fn the_to_do_list_in_swedish() {
    let dir = tempfile::tempdir().unwrap();
    let (old_path, _) = earlier(dir.path());
    let mut args = UPGRADED.to_vec();
    let since = old_path.display().to_string();
    args.extend(["--since", &since, "--lang", "sv"]);
    let (run, _) = demo(dir.path(), "new", &args);
    assert_eq!(run.code, 1, "{}\n{}", run.stdout, run.stderr);
    for said in [
        "Sedan case-intake 1.0.0 (testad i old.json, ",
        "Att göra: 5 krav inte uppfyllda:",
        "nytt i 1.1.0",
        "ändrat: request-property-added",
        "bakåtsteg: godkänd i 1.0.0",
        "fortfarande inte uppfyllt: UNDERKÄND i 1.0.0",
    ] {
        assert!(run.stdout.contains(said), "{said}:\n{}", run.stdout);
    }
    let md = std::fs::read_to_string(dir.path().join("new.md")).unwrap();
    assert!(md.contains("### Sedan den tidigare rapporten"), "{md}");
    let html = std::fs::read_to_string(dir.path().join("new.html")).unwrap();
    for english in ["Since ", "To do", "new in", "changed:", "regressed", "still not met", "WHY", "<th>Why</th>"] {
        for (name, text) in [("terminal", &run.stdout), ("markdown", &md), ("html", &html)] {
            assert!(!text.contains(english), "{name} says {english:?} in Swedish");
        }
    }
}

#[test]
fn upgrading_to_the_next_major_version() {
    let dir = tempfile::tempdir().unwrap();
    let (run, old) = demo(dir.path(), "v1", &["case-intake@1.1.0", "--fault", "ignore-paging"]);
    assert_eq!(run.code, 1, "{}\n{}", run.stdout, run.stderr);
    let old = old.unwrap();
    let since = dir.path().join("v1.json").display().to_string();
    let args = [
        "case-intake@2.0.0",
        "--fault",
        "ignore-paging",
        "--fault",
        "ignore-auth",
        "--fault",
        "accept-invalid-input",
        "--since",
        &since,
    ];
    let (run, report) = demo(dir.path(), "v2", &args);
    assert_eq!(run.code, 1, "{}\n{}", run.stdout, run.stderr);
    let spec = &report.as_ref().unwrap()["since"]["specifications"][0];
    assert_eq!((spec["from_version"].as_str(), spec["to_version"].as_str()), (Some("1.1.0"), Some("2.0.0")));
    assert_eq!(spec["from_fingerprint"], old["specifications"][0]["fingerprints"]["combined"]);
    assert!(spec["must_change"].as_u64().unwrap() > 0, "{spec}");
    // CASE-015 is new in 2.0.0, and the fault breaks it.
    let case15 = entry(spec, "CASE-015");
    assert_eq!((case15["class"].as_str(), case15["todo"].as_str()), (Some("added"), Some("new")));
    // Paging failed before and fails now, and its scenario changed for /v2.
    let case06 = entry(spec, "CASE-006");
    assert_eq!(case06["todo"], "changed");
    assert!(strings(&case06["changes"]).contains(&"scenario-changed"), "{case06}");
    assert_eq!(case06["old_verdict"], "fail");
    // Authentication passed before: on the list, with its verdict then.
    let case13 = entry(spec, "CASE-013");
    assert_eq!((case13["old_verdict"].as_str(), case13["verdict"].as_str()), (Some("pass"), Some("fail")));
    assert!(case13["todo"] == "changed" || case13["todo"] == "regressed", "{case13}");
    assert!(run.stdout.contains("Since case-intake 1.1.0 (tested in v1.json, "), "{}", run.stdout);
    assert!(run.stdout.contains("new in 2.0.0"), "{}", run.stdout);
}

#[test]
fn nothing_to_do_when_every_requirement_is_met() {
    let dir = tempfile::tempdir().unwrap();
    let (run, _) = demo(dir.path(), "old", &["case-intake@1.0.0"]);
    assert_eq!(run.code, 0, "{}\n{}", run.stdout, run.stderr);
    let since = dir.path().join("old.json").display().to_string();
    let (run, report) = demo(dir.path(), "new", &["case-intake@1.1.0", "--since", &since]);
    assert_eq!(run.code, 0, "{}\n{}", run.stdout, run.stderr);
    assert!(run.stdout.contains("Nothing to do: every requirement is met."), "{}", run.stdout);
    let spec = &report.unwrap()["since"]["specifications"][0];
    assert!(spec["requirements"].as_array().unwrap().iter().all(|r| r.get("todo").is_none()), "{spec}");
    assert_eq!(entry(spec, "CASE-014")["class"], "added");
}

#[test]
fn a_catalogue_changed_since_the_earlier_report_is_said_and_the_run_goes_on() {
    let dir = tempfile::tempdir().unwrap();
    let (old_path, _) = earlier(dir.path());
    let catalogue = tempfile::tempdir().unwrap();
    common::copy_tree(&project_root().join("conformance-suites"), catalogue.path());
    let meta = catalogue.path().join("case-intake/1.0.0/spec.yaml");
    let text = std::fs::read_to_string(&meta).unwrap();
    std::fs::write(&meta, format!("{text}\n# edited after the report\n")).unwrap();
    let cat = catalogue.path().display().to_string();
    let since = old_path.display().to_string();
    let (run, report) = demo(dir.path(), "new", &["case-intake@1.1.0", "--catalogue", &cat, "--since", &since]);
    assert_eq!(run.code, 0, "{}\n{}", run.stdout, run.stderr);
    assert!(
        run.stderr.contains(
            "warning: the catalogue in use has other files for case-intake@1.0.0 than old.json was made with"
        ),
        "{}",
        run.stderr
    );
    assert_eq!(report.unwrap()["since"]["specifications"][0]["catalogue_changed"], true);
    assert!(run.stdout.contains("the catalogue's files for it have changed since that report"), "{}", run.stdout);
}

/// `konform run` with `--since`, against an address where nothing listens: a bad earlier
/// report is found before anything is sent, so the error is about the file.
fn run_since(dir: &Path, since: &Path, extra: &[&str]) -> Run {
    konform()
        .current_dir(dir)
        .args(["run", "case-intake@1.1.0", "--base-url", "http://127.0.0.1:9/", "--since"])
        .arg(since)
        .args(extra)
        .output()
        .unwrap()
        .into()
}

fn assert_refused(run: &Run, said: &[&str]) {
    assert_eq!(run.code, 2, "{}\n{}", run.stdout, run.stderr);
    for s in said {
        assert!(run.stderr.contains(s), "{s}:\n{}", run.stderr);
    }
    assert!(!run.stderr.contains("unreachable") && !run.stderr.contains("panicked"), "{}", run.stderr);
}

#[test]
fn a_bad_earlier_report_is_exit_2_naming_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let run = run_since(d, &d.join("missing.json"), &[]);
    assert_refused(&run, &["--since: cannot read ", "missing.json"]);

    std::fs::write(d.join("broken.json"), "{\n  \"format_version\": \"2.3\",\n  \"tool\": \n").unwrap();
    let run = run_since(d, &d.join("broken.json"), &[]);
    assert_refused(&run, &["broken.json is not a valid report file", "line 4"]);

    std::fs::write(d.join("other.json"), r#"{"openapi": "3.1.0"}"#).unwrap();
    let run = run_since(d, &d.join("other.json"), &[]);
    assert_refused(&run, &["other.json is not a konform report", "format_version"]);

    // A report of other specifications only, or of a newer version only.
    let (_, old) = earlier(d);
    let mut messaging = old.clone();
    messaging["specifications"][0]["id"] = "messaging".into();
    std::fs::write(d.join("messaging.json"), serde_json::to_string(&messaging).unwrap()).unwrap();
    let run = run_since(d, &d.join("messaging.json"), &[]);
    assert_refused(
        &run,
        &[
            "messaging.json tested no specification this run also tests",
            "it tested messaging@1.0.0",
            "case-intake@1.1.0",
        ],
    );
    let mut newer = old.clone();
    newer["specifications"][0]["version"] = "3.0.0".into();
    std::fs::write(d.join("newer.json"), serde_json::to_string(&newer).unwrap()).unwrap();
    let run = run_since(d, &d.join("newer.json"), &[]);
    assert_refused(&run, &["newer.json tested no specification this run also tests", "case-intake@3.0.0"]);
}

#[test]
fn an_earlier_version_the_catalogue_does_not_have_is_exit_2_pointing_at_catalogue() {
    let dir = tempfile::tempdir().unwrap();
    let (old_path, _) = earlier(dir.path());
    let catalogue = tempfile::tempdir().unwrap();
    common::copy_tree(&project_root().join("conformance-suites"), catalogue.path());
    std::fs::remove_dir_all(catalogue.path().join("case-intake/1.0.0")).unwrap();
    let cat = catalogue.path().display().to_string();
    let run = run_since(dir.path(), &old_path, &["--catalogue", &cat]);
    assert_refused(&run, &["old.json tested case-intake@1.0.0, which the catalogue in use", "--catalogue DIR"]);
}
