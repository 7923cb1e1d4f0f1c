//! Languages by catalogue: `languages:` in catalogue.yaml (or a spec.yaml) declares what a
//! specification's titles and texts are written in (Swedish and English unless it says
//! otherwise); `check` asks for exactly those, at the text's line; a report in a language a
//! specification is not written in shows its texts as written and says so.

mod common;

use common::server;
use common::{konform, Run};
use serde_json::Value;

const OPENAPI: &str = r#"openapi: 3.0.3
info: { title: Things, version: "1" }
paths:
  /thing:
    get:
      operationId: getThing
      responses:
        "200": { description: ok, content: { application/json: { schema: { type: object, required: [name] } } } }
"#;

/// A catalogue whose catalogue.yaml says `catalogue_langs` (none: no catalogue.yaml), whose
/// spec.yaml adds `spec_extra`, with `title` as the requirement's and the scenario's title.
fn catalogue(catalogue_langs: Option<&str>, spec_extra: &str, title: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let spec = dir.path().join("thing/1.0.0");
    std::fs::create_dir_all(spec.join("scenarios")).unwrap();
    if let Some(langs) = catalogue_langs {
        std::fs::write(dir.path().join("catalogue.yaml"), format!("version: 1.0.0\nlanguages: {langs}\n")).unwrap();
    }
    let files = [
        (
            "spec.yaml",
            format!(
                "id: thing\nversion: 1.0.0\nstatus: active\ndomain: testing\ntitle: {{ en: Things }}\n{spec_extra}openapi: openapi.yaml\n"
            ),
        ),
        (
            "requirements.yaml",
            format!(
                "requirements:\n  - id: THING-001\n    level: must\n    title: {title}\n    text: {{ en: A thing MUST be readable. }}\n"
            ),
        ),
        ("openapi.yaml", OPENAPI.to_string()),
        (
            "scenarios/main.yaml",
            format!(
                "scenarios:\n  - id: read\n    title: {title}\n    covers: [THING-001]\n    steps:\n      - operation: getThing\n        expect: {{ status: 200 }}\n"
            ),
        ),
    ];
    for (name, text) in files {
        std::fs::write(spec.join(name), text).unwrap();
    }
    dir
}

fn check(dir: &tempfile::TempDir) -> Run {
    konform().current_dir(dir.path()).args(["check", "."]).output().unwrap().into()
}

#[test]
fn an_english_only_catalogue_checks_clean_and_a_swedish_report_says_its_texts_are_english() {
    let dir = catalogue(Some("[en]"), "", "{ en: Read a thing }");
    let run = check(&dir);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.contains("0 errors, 0 warnings"), "{}", run.stdout);

    let server = server::good_thing();
    let out = tempfile::tempdir().unwrap();
    let report = |f: &str| out.path().join(f).display().to_string();
    let run: Run = konform()
        .args(["run", "thing", "--catalogue", &dir.path().display().to_string(), "--base-url", &server.url()])
        .args(["--lang", "sv", "--report", &format!("json={}", report("r.json"))])
        .args(["--report", &format!("markdown={}", report("r.md")), "--report", &format!("html={}", report("r.html"))])
        .output()
        .unwrap()
        .into();
    assert_eq!(run.code, 0, "{}\n{}", run.stdout, run.stderr);
    let note = "Specifikationens titlar och texter finns bara på engelska och visas som de är skrivna.";
    assert!(run.stdout.contains("Specifikationens titlar och texter finns bara på engelska"), "{}", run.stdout);
    let markdown = std::fs::read_to_string(report("r.md")).unwrap();
    assert!(markdown.contains(note), "{markdown}");
    assert!(markdown.contains("Read a thing"), "the English title, as written: {markdown}");
    let html = std::fs::read_to_string(report("r.html")).unwrap();
    assert!(html.contains(note), "the HTML says it too");
    let json: Value = serde_json::from_str(&std::fs::read_to_string(report("r.json")).unwrap()).unwrap();
    let spec = &json["specifications"][0];
    assert_eq!(spec["languages"], serde_json::json!(["en"]));
    assert_eq!(spec["requirements"][0]["title"], serde_json::json!({ "en": "Read a thing" }), "no empty `sv`");

    // In English, the report has nothing to say about languages.
    let run: Run = konform()
        .args(["run", "thing", "--catalogue", &dir.path().display().to_string(), "--base-url", &server.url()])
        .output()
        .unwrap()
        .into();
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(!run.stdout.contains("written in Swedish only"), "{}", run.stdout);
}

/// `check` exits `code`, naming `code_name` and `message` at `at` (file:line:column).
fn assert_check(dir: &tempfile::TempDir, code: i32, at: &str, code_name: &str, message: &str) {
    let run = check(dir);
    assert_eq!(run.code, code, "{}", run.stderr);
    assert!(run.stderr.contains(at), "expected {at:?} in:\n{}", run.stderr);
    assert!(run.stderr.contains(code_name), "expected {code_name:?} in:\n{}", run.stderr);
    let words = run.stderr.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(words.contains(message), "expected {message:?} in:\n{}", run.stderr);
}

#[test]
fn a_text_missing_a_declared_language_is_refused_at_its_line() {
    // The default is Swedish and English: the spec title lacks `sv`.
    let dir = catalogue(None, "", "{ sv: Läs, en: Read }");
    assert_check(
        &dir,
        2,
        "thing/1.0.0/spec.yaml:5:8",
        "catalogue::languages",
        "this `title` has no `sv` text, and thing@1.0.0 is written in sv, en",
    );
    // English only: a requirement's title without `en`.
    let dir = catalogue(Some("[en]"), "", "{ sv: Läs }");
    assert_check(
        &dir,
        2,
        "thing/1.0.0/requirements.yaml:4:12",
        "catalogue::languages",
        "this `title` has no `en` text, and thing@1.0.0 is written in en",
    );
    // A specification's own `languages` wins over the catalogue's.
    let dir = catalogue(Some("[en]"), "languages: [sv, en]\n", "{ en: Read }");
    assert_check(&dir, 2, "thing/1.0.0/scenarios/main.yaml:3:12", "catalogue::languages", "has no `sv` text");
    // A list naming nothing.
    let dir = catalogue(Some("[]"), "", "{ en: Read }");
    assert_check(&dir, 2, "catalogue.yaml:2:12", "catalogue::languages", "`languages` names no language");
    // A language konform does not render.
    let dir = catalogue(Some("[en, de]"), "", "{ en: Read }");
    let run = check(&dir);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("catalogue.yaml"), "{}", run.stderr);
    assert!(run.stderr.contains("unknown variant `de`"), "{}", run.stderr);
}

#[test]
fn a_text_in_an_undeclared_language_is_only_warned_of() {
    let dir = catalogue(Some("[en]"), "", "{ sv: Läs, en: Read }");
    assert_check(
        &dir,
        0,
        "thing/1.0.0/requirements.yaml:4:12",
        "catalogue::language-undeclared",
        "this `title` has a `sv` text, but thing@1.0.0 is written in en only",
    );
}
