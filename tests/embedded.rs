//! The catalogue ships with the binary: from a folder outside the repository (a fresh
//! temporary one, as after `cargo install`), `demo`, `run`, `catalogue list`, `check` and
//! `verify` use the catalogue built in, and reports say so (its version and fingerprint);
//! `--catalogue`/`KONFORM_CATALOGUE` and a `./conformance-suites` override it;
//! `catalogue export` writes a folder `check` accepts, with the same fingerprint.

mod common;

use std::net::SocketAddr;
use std::path::Path;

use common::{konform, project_root, Run};
use konform::reference::{self, Faults};
use serde_json::Value;

/// The fingerprint of the project's catalogue folder: what was built in.
fn project_fingerprint() -> String {
    konform::catalogue::fingerprint::of_folder(&project_root().join("conformance-suites")).unwrap()
}

/// The `version:` of the project's catalogue.yaml.
fn project_version() -> String {
    let text = std::fs::read_to_string(project_root().join("conformance-suites/catalogue.yaml")).unwrap();
    let line = text.lines().find_map(|l| l.strip_prefix("version:")).expect("catalogue.yaml has a version");
    line.trim().to_string()
}

fn run_in(dir: &Path, args: &[&str]) -> Run {
    konform().current_dir(dir).args(args).output().unwrap().into()
}

fn json(path: &Path) -> Value {
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

#[test]
fn version_names_the_built_in_catalogue() {
    let out = run_in(&std::env::temp_dir(), &["--version"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let expected = format!(
        "konform {}\ncatalogue {} (built in), fingerprint {}\n",
        env!("CARGO_PKG_VERSION"),
        project_version(),
        project_fingerprint()
    );
    assert_eq!(out.stdout, expected);
}

#[test]
fn outside_the_repository_every_command_uses_the_built_in_catalogue() {
    let cwd = tempfile::tempdir().unwrap();
    let (fingerprint, version) = (project_fingerprint(), project_version());

    let list = run_in(cwd.path(), &["catalogue", "list", "--format", "json"]);
    assert_eq!(list.code, 0, "{}", list.stderr);
    assert!(list.stderr.is_empty(), "no warning: {}", list.stderr);
    let list: Value = serde_json::from_str(&list.stdout).unwrap();
    assert_eq!(list["embedded"], true);
    assert_eq!(list["version"], version.as_str());
    assert_eq!(list["fingerprint"], fingerprint.as_str());
    assert_eq!(list["specifications"].as_array().unwrap().len(), 6, "{list}");

    let check = run_in(cwd.path(), &["check"]);
    assert_eq!(check.code, 0, "{}\n{}", check.stdout, check.stderr);
    assert!(
        check.stdout.contains(&format!("checked built-in catalogue {version} (6 specifications")),
        "{}",
        check.stdout
    );

    let report = cwd.path().join("demo.json");
    let demo = run_in(cwd.path(), &["demo", "--report", &format!("json={}", report.display())]);
    assert_eq!(demo.code, 0, "{}", demo.stderr);
    let made = json(&report);
    common::assert_fits_schema(&made);
    assert_eq!(
        made["catalogue"],
        serde_json::json!({ "version": version, "fingerprint": fingerprint, "embedded": true })
    );
    assert_eq!(made["specifications"].as_array().unwrap().len(), 6);

    // `verify` compares with the built-in catalogue: every specification matches.
    let verify = run_in(cwd.path(), &["verify", "demo.json", "--format", "json"]);
    assert_eq!(verify.code, 0, "{}\n{}", verify.stdout, verify.stderr);
    let found: Value = serde_json::from_str(&verify.stdout).unwrap();
    assert_eq!(found["catalogue"]["same_catalogue"], true);
    assert_eq!(found["catalogue"]["identity"]["embedded"], true);
    let statuses: Vec<&str> = found["catalogue"]["specifications"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["status"].as_str().unwrap())
        .collect();
    assert_eq!(statuses, vec!["matches"; 6]);
    let human = run_in(cwd.path(), &["verify", "demo.json"]);
    assert!(human.stdout.contains(&format!("the same as built-in catalogue {version}")), "{}", human.stdout);

    // Nothing is left behind: the folder is as the test made it.
    let left: Vec<String> =
        std::fs::read_dir(cwd.path()).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    assert_eq!(left, vec!["demo.json".to_string()]);
}

#[test]
fn run_against_a_vendor_uses_the_built_in_catalogue() {
    let cwd = tempfile::tempdir().unwrap();
    let token = "embedded-test-token";
    let server = reference::start(SocketAddr::from(([127, 0, 0, 1], 0)), Faults::new(), token.into()).unwrap();
    let out = run_in(
        cwd.path(),
        &["run", "case-intake@1.1.0", "--base-url", &server.url(), "--bearer-token", token, "--report", "json=r.json"],
    );
    assert_eq!(out.code, 0, "{}\n{}", out.stdout, out.stderr);
    let report = json(&cwd.path().join("r.json"));
    assert_eq!(report["catalogue"]["embedded"], true);
    assert_eq!(report["catalogue"]["fingerprint"], project_fingerprint().as_str());
    // The specification's own fingerprints are those of the project's files.
    let local = konform::catalogue::Catalogue::load(&project_root().join("conformance-suites"), &Default::default()).0;
    let spec = local.find("case-intake@1.1.0").unwrap();
    let expected = serde_json::to_value(local.fingerprints_of(spec)).unwrap();
    assert_eq!(report["specifications"][0]["fingerprints"], expected);
}

/// A copy of the built-in catalogue, written by `catalogue export`, with one comment added.
fn edited_export(into: &Path) -> std::path::PathBuf {
    let dir = into.join("edited");
    let out = run_in(into, &["catalogue", "export", "edited"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    common::edit(&dir.join("case-intake/1.1.0/spec.yaml"), "id: case-intake", "# edited\nid: case-intake");
    dir
}

#[test]
fn the_catalogue_flag_and_variable_override_the_built_in_one() {
    let cwd = tempfile::tempdir().unwrap();
    let edited = edited_export(cwd.path());
    let edited_fingerprint = konform::catalogue::fingerprint::of_folder(&edited).unwrap();
    assert_ne!(edited_fingerprint, project_fingerprint());
    let by_flag =
        run_in(cwd.path(), &["demo", "case-intake@1.1.0", "--catalogue", "edited", "--report", "json=a.json"]);
    assert_eq!(by_flag.code, 0, "{}", by_flag.stderr);
    let by_env: Run = konform()
        .current_dir(cwd.path())
        .env("KONFORM_CATALOGUE", &edited)
        .args(["demo", "case-intake@1.1.0", "--report", "json=b.json"])
        .output()
        .unwrap()
        .into();
    assert_eq!(by_env.code, 0, "{}", by_env.stderr);
    for name in ["a.json", "b.json"] {
        let report = json(&cwd.path().join(name));
        assert_eq!(report["catalogue"]["embedded"], false, "{name}");
        assert_eq!(report["catalogue"]["fingerprint"], edited_fingerprint.as_str(), "{name}");
    }
    // A report made with the edited copy does not check out against the built-in catalogue,
    // and `verify` names the file and says the catalogue is another one.
    let verify = run_in(cwd.path(), &["verify", "a.json"]);
    assert_eq!(verify.code, 1, "{}", verify.stdout);
    assert!(verify.stdout.contains("case-intake/1.1.0/spec.yaml: changed"), "{}", verify.stdout);
    assert!(verify.stdout.contains("not the one of built-in catalogue"), "{}", verify.stdout);

    // A folder that does not exist is named, with the way to name another.
    let missing = run_in(cwd.path(), &["catalogue", "list", "--catalogue", "no-such-folder"]);
    assert_eq!(missing.code, 2);
    assert!(missing.stderr.contains("catalogue folder no-such-folder does not exist"), "{}", missing.stderr);
    assert!(missing.stderr.contains("--catalogue DIR or KONFORM_CATALOGUE"), "{}", missing.stderr);
}

#[test]
fn a_local_conformance_suites_folder_is_used_and_a_different_one_is_warned_of() {
    let cwd = tempfile::tempdir().unwrap();
    // The same catalogue as built in: used, and nothing to warn of.
    let same = run_in(cwd.path(), &["catalogue", "export", "conformance-suites"]);
    assert_eq!(same.code, 0, "{}", same.stderr);
    let list = run_in(cwd.path(), &["catalogue", "list", "--format", "json"]);
    assert!(list.stderr.is_empty(), "{}", list.stderr);
    let listed: Value = serde_json::from_str(&list.stdout).unwrap();
    assert_eq!((listed["catalogue"].as_str(), listed["embedded"].as_bool()), (Some("conformance-suites"), Some(false)));
    // Edited: still used (it is the catalogue being worked on), with a warning.
    common::edit(
        &cwd.path().join("conformance-suites/case-intake/1.1.0/spec.yaml"),
        "id: case-intake",
        "# edited\nid: case-intake",
    );
    let demo = run_in(cwd.path(), &["demo", "case-intake@1.1.0", "--report", "json=r.json"]);
    assert_eq!(demo.code, 0, "{}", demo.stderr);
    assert!(
        demo.stderr.contains("warning: using the catalogue in conformance-suites (version")
            && demo.stderr.contains("pass --catalogue DIR"),
        "{}",
        demo.stderr
    );
    let report = json(&cwd.path().join("r.json"));
    assert_eq!(report["catalogue"]["embedded"], false);
    assert_ne!(report["catalogue"]["fingerprint"], project_fingerprint().as_str());
    // In Swedish when asked.
    let sv = run_in(cwd.path(), &["catalogue", "list", "--lang", "sv"]);
    assert!(sv.stderr.contains("varning: använder katalogen i conformance-suites"), "{}", sv.stderr);
}

#[test]
fn export_writes_a_catalogue_that_checks_with_the_same_fingerprint() {
    let cwd = tempfile::tempdir().unwrap();
    let out = run_in(cwd.path(), &["catalogue", "export", "copy"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(out.stderr.contains("wrote the built-in catalogue"), "{}", out.stderr);
    let copy = cwd.path().join("copy");
    assert_eq!(konform::catalogue::fingerprint::of_folder(&copy).unwrap(), project_fingerprint());
    // Byte for byte the project's files, and every one of them.
    let ours = common::files_under(&project_root().join("conformance-suites"), &["yaml", "json"]);
    let theirs = common::files_under(&copy, &["yaml", "json"]);
    assert_eq!(ours.len(), theirs.len());
    for (a, b) in ours.iter().zip(&theirs) {
        assert_eq!(std::fs::read(a).unwrap(), std::fs::read(b).unwrap(), "{}", b.display());
    }
    let check = run_in(cwd.path(), &["check", "copy"]);
    assert_eq!(check.code, 0, "{}\n{}", check.stdout, check.stderr);
    assert!(check.stdout.contains("checked copy (6 specifications"), "{}", check.stdout);

    // A folder that is not empty is refused, and named; --force writes over what is there.
    common::edit(&copy.join("catalogue.yaml"), "version:", "# edited\nversion:");
    let again = run_in(cwd.path(), &["catalogue", "export", "copy"]);
    assert_eq!(again.code, 2);
    assert!(again.stderr.contains("copy is not empty: pass --force"), "{}", again.stderr);
    let forced = run_in(cwd.path(), &["catalogue", "export", "copy", "--force"]);
    assert_eq!(forced.code, 0, "{}", forced.stderr);
    assert_eq!(konform::catalogue::fingerprint::of_folder(&copy).unwrap(), project_fingerprint());
    // A file is not a folder to export into.
    std::fs::write(cwd.path().join("file"), "x").unwrap();
    let file = run_in(cwd.path(), &["catalogue", "export", "file"]);
    assert_eq!(file.code, 2);
    assert!(file.stderr.contains("file is not a folder"), "{}", file.stderr);
}
