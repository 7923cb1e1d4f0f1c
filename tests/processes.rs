//! Processes: `check` holds a specification's `process:` mapping to its process and its
//! OpenAPI description, every problem at its file and line; `konform run` derives the live
//! process checks from the mapping; the reference vendor passes them, and a vendor that
//! lets a withdrawn case take a supplement departs from the process.

mod common;

use common::{check_in, copy_tree, edit, konform, project_root, Run};
use serde_json::Value;

/// A copy of the catalogue, to break.
fn catalogue() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_tree(&project_root().join("conformance-suites"), dir.path());
    dir
}

const INTAKE: &str = "case-intake/2.0.0/spec.yaml";
const PROCESS: &str = "processes/case-handling/1.0.0/process.yaml";

/// The line (from 1) of the first line of `path` in the catalogue copy holding `text`.
fn line_of(dir: &std::path::Path, path: &str, text: &str) -> usize {
    let content = std::fs::read_to_string(dir.join(path)).unwrap();
    content.lines().position(|l| l.contains(text)).unwrap_or_else(|| panic!("{path} has no {text:?}")) + 1
}

fn failed_check(dir: &std::path::Path, code: &str, at: &str) -> Run {
    let run = check_in(dir);
    assert_eq!(run.code, 2, "{code}: exit 2\n{}\n{}", run.stdout, run.stderr);
    assert!(run.stderr.contains(code), "{code} is reported: {}", run.stderr);
    assert!(run.stderr.contains(at), "{code} is reported at {at}: {}", run.stderr);
    run
}

#[test]
fn the_catalogue_implements_its_process_cleanly() {
    let run: Run = konform().args(["check"]).arg(project_root().join("conformance-suites")).output().unwrap().into();
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
}

#[test]
fn a_transition_the_specification_does_not_map_is_an_error_at_its_line() {
    let dir = catalogue();
    edit(&dir.path().join(INTAKE), "    decide:\n", "    decided-elsewhere:\n");
    let line = line_of(dir.path(), INTAKE, "  transitions:");
    let run = failed_check(dir.path(), "process::unmapped-transition", &format!("{INTAKE}:{line}:"));
    assert!(
        run.stderr.contains("does not say how it does the transition `decide` of case-handling@1.0.0"),
        "{}",
        run.stderr
    );
    // The name it used instead is no transition of the process, at its own line.
    let line = line_of(dir.path(), INTAKE, "decided-elsewhere:");
    assert!(run.stderr.contains("process::unknown-transition"), "{}", run.stderr);
    assert!(run.stderr.contains(&format!("{INTAKE}:{line}:5")), "{}", run.stderr);
}

#[test]
fn status_values_that_are_not_exactly_the_process_states_are_an_error() {
    // A status value no state stands for.
    let dir = catalogue();
    edit(
        &dir.path().join("case-intake/2.0.0/openapi.yaml"),
        "enum: [SUBMITTED, IN_PROGRESS, AWAITING_SUPPLEMENT, DECIDED, WITHDRAWN]",
        "enum: [SUBMITTED, IN_PROGRESS, AWAITING_SUPPLEMENT, DECIDED, WITHDRAWN, ARCHIVED]",
    );
    let line = line_of(dir.path(), INTAKE, "  status: \"#/components/schemas/CaseStatusValue\"");
    let run = failed_check(dir.path(), "process::states", &format!("{INTAKE}:{line}:"));
    assert!(run.stderr.contains("the status value `ARCHIVED`"), "{}", run.stderr);

    // A state without a status value.
    let dir = catalogue();
    edit(&dir.path().join(INTAKE), "    decided: DECIDED\n", "");
    let run = failed_check(dir.path(), "process::states", INTAKE);
    assert!(run.stderr.contains("gives no status value for the state `decided`"), "{}", run.stderr);
    assert!(run.stderr.contains("the status value `DECIDED`"), "and DECIDED stands for no state: {}", run.stderr);

    // A status value the description does not have.
    let dir = catalogue();
    edit(&dir.path().join(INTAKE), "    decided: DECIDED\n", "    decided: CLOSED\n");
    let line = line_of(dir.path(), INTAKE, "decided: CLOSED");
    let run = failed_check(dir.path(), "process::states", &format!("{INTAKE}:{line}:"));
    assert!(run.stderr.contains("`CLOSED` (state `decided`) is not among the status values"), "{}", run.stderr);
}

#[test]
fn an_operation_or_process_that_does_not_exist_is_an_error_at_its_line() {
    let dir = catalogue();
    edit(&dir.path().join(INTAKE), "withdraw: { operation: withdrawCase,", "withdraw: { operation: withdrawCas,");
    let line = line_of(dir.path(), INTAKE, "operation: withdrawCas,");
    let run = failed_check(dir.path(), "process::unknown-operation", &format!("{INTAKE}:{line}:"));
    assert!(run.stderr.contains("`withdrawCase`?"), "a suggestion: {}", run.stderr);

    let dir = catalogue();
    edit(&dir.path().join(INTAKE), "implements: case-handling@1.0.0", "implements: case-handlin@1.0.0");
    let line = line_of(dir.path(), INTAKE, "implements:");
    failed_check(dir.path(), "process::unknown", &format!("{INTAKE}:{line}:"));
}

#[test]
fn a_process_naming_an_undeclared_state_or_actor_is_an_error_at_its_line() {
    let dir = catalogue();
    edit(
        &dir.path().join(PROCESS),
        "    from: [in-review]\n    to: decided\n    actor: case-officer",
        "    from: [in-review]\n    to: decided\n    actor: board",
    );
    let line = line_of(dir.path(), PROCESS, "actor: board");
    failed_check(dir.path(), "process::unknown-actor", &format!("{PROCESS}:{line}:"));

    let dir = catalogue();
    edit(
        &dir.path().join(PROCESS),
        "    from: [in-review]\n    to: decided",
        "    from: [in-review]\n    to: archived",
    );
    let line = line_of(dir.path(), PROCESS, "to: archived");
    failed_check(dir.path(), "process::unknown-state", &format!("{PROCESS}:{line}:"));
}

/// The requirements of a report's specification version, by id: (verdict, level).
fn verdicts(report: &Value, spec: &str) -> Vec<(String, String, String)> {
    let s = report["specifications"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| format!("{}@{}", s["id"].as_str().unwrap(), s["version"].as_str().unwrap()) == spec)
        .unwrap_or_else(|| panic!("{spec} is in the report"));
    s["requirements"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["id"].as_str().unwrap().to_string(),
                r["verdict"].as_str().unwrap().to_string(),
                r["level"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

fn demo(dir: &std::path::Path, args: &[&str]) -> (Run, Value) {
    let report = dir.join("report.json");
    let run: Run = konform()
        .current_dir(dir)
        .args(["demo", "case-intake@2.0.0", "building-permit@1.0.0", "--catalogue"])
        .arg(project_root().join("conformance-suites"))
        .args(["--report", &format!("json={}", report.display())])
        .args(args)
        .output()
        .unwrap()
        .into();
    let report = serde_json::from_str(&std::fs::read_to_string(&report).unwrap_or_default()).unwrap_or(Value::Null);
    (run, report)
}

#[test]
fn the_reference_vendor_follows_the_process_and_a_departure_is_reported_against_it() {
    let dir = tempfile::tempdir().unwrap();
    let (run, report) = demo(dir.path(), &[]);
    assert_eq!(run.code, 0, "{}\n{}", run.stdout, run.stderr);
    let process_reqs = |spec: &str| -> Vec<(String, String, String)> {
        verdicts(&report, spec).into_iter().filter(|(id, _, _)| id.starts_with("case-handling/")).collect()
    };
    let intake: Vec<String> =
        process_reqs("case-intake@2.0.0").into_iter().map(|(id, v, _)| format!("{id} {v}")).collect();
    assert_eq!(
        intake,
        [
            "case-handling/submit pass",
            "case-handling/add-information pass",
            "case-handling/withdraw pass",
            "case-handling/supplement/refused pass",
            "case-handling/add-information/refused pass",
            "case-handling/withdraw/refused pass",
        ],
        "case-intake reaches what its API can: a supplement waits for the case officer, outside it"
    );
    let permit: Vec<String> =
        process_reqs("building-permit@1.0.0").into_iter().map(|(id, v, _)| format!("{id} {v}")).collect();
    assert_eq!(
        permit,
        [
            "case-handling/submit pass",
            "case-handling/request-supplement pass",
            "case-handling/supplement pass",
            "case-handling/add-information pass",
        ],
        "building-permit asks for supplements through its API, and forbids nothing it can reach"
    );

    // The fault: a withdrawn case still takes a supplement. The process forbids it (MUST),
    // so the run is not certified, whatever the specification's own SHOULD says.
    let (run, report) = demo(dir.path(), &["--fault", "withdrawn-takes-supplement"]);
    assert_eq!(run.code, 1, "{}\n{}", run.stdout, run.stderr);
    let failed: Vec<(String, String)> = verdicts(&report, "case-intake@2.0.0")
        .into_iter()
        .filter(|(_, v, _)| v == "fail")
        .map(|(id, _, level)| (id, level))
        .collect();
    assert_eq!(
        failed,
        [
            ("CASE-010".to_string(), "should".to_string()),
            ("case-handling/supplement/refused".to_string(), "must".to_string()),
            ("case-handling/add-information/refused".to_string(), "must".to_string()),
        ]
    );
    assert!(run.stdout.contains("process-submitSupplement-refused-in-withdrawn"), "{}", run.stdout);
    assert!(run.stdout.contains("expected status 409, got 201"), "{}", run.stdout);
}

#[test]
fn the_process_page_draws_the_state_machine_and_each_implementation() {
    let catalogue = project_root().join("conformance-suites");
    let show = |format: &str, lang: &str| -> String {
        let run: Run = konform()
            .args(["catalogue", "show", "case-handling", "--format", format, "--lang", lang, "--catalogue"])
            .arg(&catalogue)
            .output()
            .unwrap()
            .into();
        assert_eq!(run.code, 0, "{}", run.stderr);
        run.stdout
    };
    let markdown = show("markdown", "en");
    let mermaid = &markdown[markdown.find("```mermaid\nstateDiagram-v2\n").expect("a Mermaid state diagram")..];
    for edge in [
        "[*] --> submitted: Submit the case",
        "submitted --> withdrawn: Withdraw the case",
        "awaiting_supplement --> in_review: Supplement the case",
        "in_review --> in_review: Add information",
        "decided --> [*]",
    ] {
        assert!(mermaid.contains(edge), "{edge}: {mermaid}");
    }
    assert!(markdown.contains("| `withdraw` | `withdrawCase` |"), "case-intake's mapping: {markdown}");
    assert!(
        markdown
            .contains("| `withdraw` | outside the API: The applicant withdraws the application with the municipality"),
        "building-permit's: {markdown}"
    );

    let html = show("html", "sv");
    let svg = &html[html.find("<svg").expect("an inline SVG diagram")..html.find("</svg>").unwrap()];
    for state in ["Inlämnat", "Under handläggning", "Väntar på komplettering", "Avgjort", "Återkallat"] {
        assert!(svg.contains(&format!(">{state}</text>")), "{state}: {svg}");
    }
    assert!(svg.contains("Återkalla ärendet"), "transitions are labelled: {svg}");
    assert!(!html.contains("<script") && !html.contains("src=") && !html.contains("href=\"http"), "no external assets");

    let json: Value = serde_json::from_str(&show("json", "en")).unwrap();
    assert_eq!(json["process"]["states"].as_array().unwrap().len(), 5);
    let implementations: Vec<&str> =
        json["implemented_by"].as_array().unwrap().iter().map(|i| i["specification"].as_str().unwrap()).collect();
    assert_eq!(implementations, ["building-permit@1.0.0", "case-intake@2.0.0"]);
    assert_eq!(json["implemented_by"][1]["mapping"]["states"]["in-review"], "IN_PROGRESS");
    assert_eq!(json["implemented_by"][1]["derived_requirements"].as_array().unwrap().len(), 6);

    let human = show("human", "sv");
    assert!(human.contains("Implementeras av: building-permit@1.0.0, case-intake@2.0.0"), "{human}");
    assert!(human.contains("utanför API:t: Beslutet fattas i verksamhetssystemet."), "{human}");
}
