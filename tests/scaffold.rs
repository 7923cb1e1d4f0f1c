//! `konform scaffold OPENAPI --id ID` writes a draft specification that `konform check`
//! accepts (every Sundsvall document of the corpus) and that `konform run` passes against
//! `konform mock --stateful` of the same document, with no departure from the document;
//! the same input gives the same files (a snapshot of a small one); bad input is exit 2
//! naming the file, the id or the folder.

mod common;

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use common::{konform, project_root};
use konform::catalogue::openapi::{ApiDoc, LoadOptions};
use konform::mock::{self, Auth, Options};
use serde_json::Value;

/// Runs a command in this process, as `main` does, with buffers for stdout and stderr.
fn in_process(args: &[&str]) -> (u8, String, String) {
    use clap::Parser;
    let cli = konform::cli::Cli::try_parse_from(std::iter::once("konform").chain(args.iter().copied())).unwrap();
    let (mut out, mut err) = (Vec::new(), Vec::new());
    let mut console = konform::app::Console { out: &mut out, err: &mut err };
    let code = konform::app::run(cli.command, false, &mut console);
    (code, String::from_utf8(out).unwrap(), String::from_utf8(err).unwrap())
}

fn text(path: &Path) -> String {
    path.display().to_string()
}

fn sundsvall_root() -> PathBuf {
    let root = project_root().join("../shared/corpus/sundsvall");
    assert!(
        root.is_dir(),
        "../shared/corpus is absent ({}): this test scaffolds the real Sundsvall descriptions kept beside the project",
        root.display()
    );
    root
}

/// Scaffolds `document` as `id` into `catalogue/id/1.0.0`, in this process.
fn scaffold(document: &Path, id: &str, catalogue: &Path) -> PathBuf {
    let out = catalogue.join(id).join("1.0.0");
    let (code, _, err) =
        in_process(&["scaffold", &text(document), "--id", id, "--spec-version", "1.0.0", "--out", &text(&out)]);
    assert_eq!(code, 0, "{}: {err}", document.display());
    assert!(err.contains("wrote the draft specification"), "{err}");
    out
}

/// `konform check --format json` of a catalogue, in this process: (exit code, summary, diagnostics).
fn check(catalogue: &Path) -> (u8, Value, Vec<Value>) {
    let (code, out, _) = in_process(&["check", &text(catalogue), "--format", "json"]);
    let json: Value = serde_json::from_str(&out).unwrap();
    (code, json["summary"].clone(), json["diagnostics"].as_array().unwrap().clone())
}

#[test]
fn corpus_every_sundsvall_document_scaffolds_into_a_specification_check_accepts() {
    let root = sundsvall_root();
    let documents = common::files_under(&root, &["yaml", "yml", "json"]);
    assert_eq!(documents.len(), 37, "Sundsvall documents in the corpus: update the count when it changes");
    let dir = tempfile::tempdir().unwrap();
    for (i, document) in documents.iter().enumerate() {
        scaffold(document, &format!("sundsvall-{i}"), dir.path());
    }
    let (code, summary, diagnostics) = check(dir.path());
    let errors: Vec<&Value> = diagnostics.iter().filter(|d| d["level"] == "error").collect();
    assert_eq!(code, 0, "{errors:#?}");
    assert!(errors.is_empty(), "{errors:#?}");
    assert_eq!(summary["specifications"], 37);
    // Every warning is a requirement no generated scenario covers (a 5xx, a 404 the
    // scaffold cannot provoke...): a warning while the specification is a draft.
    assert!(
        diagnostics.iter().all(|d| d["code"] == "catalogue::uncovered-requirement" && d["level"] == "warning"),
        "{diagnostics:#?}"
    );
    let covered = summary["requirements"].as_u64().unwrap() - diagnostics.len() as u64;
    assert_eq!(
        (summary["requirements"].as_u64(), covered, summary["scenarios"].as_u64(), summary["steps"].as_u64()),
        (Some(2041), 906, Some(906), Some(1406)),
        "requirements, covered requirements, scenarios, steps"
    );
}

/// Serves a stateful mock of the scaffold's own copy of the document, runs the scaffold
/// against it in this process, and returns the exit code and the JSON report.
fn run_against_mock(catalogue: &Path, spec: &str, document: &Path, auth: Auth, extra: &[&str]) -> (u8, Value) {
    let api = Arc::new(ApiDoc::load(document, &LoadOptions::default()).unwrap());
    let options = Options { stateful: true, auth, ..Options::default() };
    let mock = mock::Mock::new(api, options);
    let base = mock.base_path().to_string();
    let server = mock::serve(mock, SocketAddr::from(([127, 0, 0, 1], 0))).unwrap();
    let url = format!("{}{}", server.url(), base.trim_start_matches('/'));
    let report = catalogue.join("report.json");
    let (json, catalogue) = (format!("json={}", text(&report)), text(catalogue));
    let mut args = vec!["run", spec, "--catalogue", &catalogue, "--base-url", &url, "--report", &json, "-q"];
    args.extend_from_slice(extra);
    let (code, _, err) = in_process(&args);
    drop(server);
    let report: Value =
        serde_json::from_str(&std::fs::read_to_string(&report).unwrap_or_else(|e| panic!("{e}: {err}"))).unwrap();
    (code, report)
}

/// The counts of a report's only specification, and its departures from the document.
fn counts(report: &Value) -> (Value, Vec<Value>) {
    let spec = &report["specifications"][0];
    (spec["counts"].clone(), spec["departures"].as_array().cloned().unwrap_or_default())
}

fn count(counts: &Value, name: &str) -> u64 {
    counts[name].as_u64().unwrap_or_else(|| panic!("no count {name} in {counts}"))
}

#[test]
fn corpus_scaffolds_of_sundsvall_documents_pass_against_a_mock_of_the_same_document() {
    let root = sundsvall_root();
    // messaging: 44 operations, no create to chain; contract: creates chained by `Location`.
    // contract's multipart upload gets no scenario: its success requirement, a MUST, is not
    // tested, so that run is not certified (exit 1) though nothing failed.
    for (file, requirements, scenarios, steps, exit) in
        [("api-service-messaging.yaml", 88, 44, 49, 0), ("api-service-contract.yaml", 34, 11, 18, 1)]
    {
        let dir = tempfile::tempdir().unwrap();
        let id = file.trim_end_matches(".yaml");
        let out = scaffold(&root.join(file), id, dir.path());
        let (code, report) = run_against_mock(dir.path(), &format!("{id}@1.0.0"), &out.join(file), Auth::Off, &[]);
        let (counts, departures) = counts(&report);
        assert!(departures.is_empty(), "{file}: the mock's answers depart from the document: {departures:#?}");
        assert_eq!(
            [count(&counts, "requirements"), count(&counts, "scenarios"), count(&counts, "steps")],
            [requirements, scenarios, steps],
            "{file}: {counts}"
        );
        assert_eq!(count(&counts, "scenarios_passed"), scenarios, "{file}: {counts}");
        assert_eq!(count(&counts, "steps_passed"), steps, "{file}: {counts}");
        // Each operation's success requirement passes; the others (5xx...) are not tested.
        assert_eq!(count(&counts, "requirements_failed") + count(&counts, "requirements_blocked"), 0, "{counts}");
        assert_eq!(
            count(&counts, "requirements_passed") + count(&counts, "requirements_not_tested"),
            requirements,
            "{counts}"
        );
        assert_eq!(code, exit, "{file}: {counts}");
    }
}

#[test]
fn a_scaffold_of_a_secured_document_refuses_missing_credentials_and_invalid_data_against_its_mock() {
    let document = project_root().join("conformance-suites/case-intake/1.1.0/openapi.yaml");
    let dir = tempfile::tempdir().unwrap();
    let out = scaffold(&document, "intake", dir.path());
    let (code, report) = run_against_mock(
        dir.path(),
        "intake@1.0.0",
        &out.join("openapi.yaml"),
        Auth::Token("s3cret".into()),
        &["--bearer-token", "s3cret"],
    );
    let (counts, departures) = counts(&report);
    assert!(departures.is_empty(), "{departures:#?}");
    let scenarios: Vec<&str> = report["specifications"][0]["scenarios"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["id"].as_str().unwrap())
        .collect();
    assert!(scenarios.contains(&"submit-case-invalid-data") && scenarios.contains(&"get-case-no-credentials"));
    assert_eq!(
        [
            count(&counts, "scenarios"),
            count(&counts, "scenarios_passed"),
            count(&counts, "steps"),
            count(&counts, "steps_passed")
        ],
        [15, 15, 24, 24],
        "{counts}"
    );
    assert_eq!(
        [
            count(&counts, "requirements"),
            count(&counts, "requirements_passed"),
            count(&counts, "requirements_not_tested")
        ],
        [20, 13, 7],
        "{counts}"
    );
    assert_eq!(code, 0);
}

/// A small document: a secured collection whose create answers `201` with `Location`, an
/// item read by id, a body large enough for a fixture, and an operation without a success.
const THINGS: &str = r##"openapi: 3.0.3
info: { title: Things, version: "2.1" }
servers: [{ url: "https://api.example.org/things-api" }]
security: [{ bearer: [] }]
paths:
  /things:
    post:
      operationId: createThing
      tags: [things]
      requestBody:
        required: true
        content:
          application/json:
            schema: { $ref: "#/components/schemas/NewThing" }
            example:
              name: A thing with a long description
              description: >-
                This description is long on purpose, so that the body does not fit on a line
                of a scenario and goes to a fixture file instead, where an author can edit it
                without scrolling through the scenario; it says nothing else of interest, and
                goes on for a while longer only to be sure that it is long enough to be moved
                out of the scenario into a fixture of its own.
      responses:
        "201":
          description: created
          headers: { Location: { schema: { type: string } } }
        "400": { description: invalid, content: { application/problem+json: { schema: { type: object } } } }
        "401": { description: no credentials }
        "500": { description: failed }
  /things/{thingId}:
    get:
      operationId: getThing
      tags: [things]
      parameters:
        - { name: thingId, in: path, required: true, schema: { type: integer, minimum: 1 } }
        - { name: fields, in: query, required: true, schema: { type: string, enum: [all, short] } }
      responses:
        "200":
          description: the thing
          content: { application/json: { schema: { $ref: "#/components/schemas/Thing" } } }
        "404": { description: unknown }
  /health:
    get:
      operationId: health
      security: []
      responses:
        "503": { description: down }
components:
  securitySchemes:
    bearer: { type: http, scheme: bearer }
  schemas:
    NewThing:
      type: object
      required: [name]
      properties:
        name: { type: string, minLength: 1 }
        description: { type: string }
    Thing:
      type: object
      required: [id, name]
      properties:
        id: { type: integer }
        name: { type: string }
"##;

fn files(dir: &Path) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = common::files_under(dir, &["yaml", "json"])
        .into_iter()
        .map(|p| {
            let name = p.strip_prefix(dir).unwrap().to_string_lossy().replace('\\', "/");
            (name, std::fs::read_to_string(&p).unwrap())
        })
        .collect();
    out.sort();
    out
}

#[test]
fn a_small_scaffold_is_the_same_every_time_and_each_generated_file_says_it_is_a_draft() {
    let dir = tempfile::tempdir().unwrap();
    let document = dir.path().join("things.yaml");
    std::fs::write(&document, THINGS).unwrap();
    let (first, second) = (dir.path().join("a/things/2.1.0"), dir.path().join("b"));
    for out in [&first, &second] {
        let (code, _, err) = in_process(&["scaffold", &text(&document), "--id", "things", "--out", &text(out)]);
        assert_eq!(code, 0, "{err}");
    }
    let written = files(&first);
    assert_eq!(written, files(&second), "the same document gives the same files");
    let mut shown = String::new();
    for (name, content) in &written {
        if name == "things.yaml" {
            assert_eq!(content, THINGS, "the document is copied as it is");
            continue;
        }
        assert!(
            content.starts_with("# UTKAST genererat av `konform scaffold`")
                && content.contains("\n# DRAFT generated by"),
            "{name} does not start by saying it is a draft:\n{content}"
        );
        shown.push_str(&format!("=== {name}\n{content}"));
    }
    insta::assert_snapshot!("scaffold_things", shown);
    let (code, summary, diagnostics) = check(&dir.path().join("a"));
    assert_eq!(code, 0, "{diagnostics:#?}");
    assert_eq!((summary["requirements"].as_u64(), summary["scenarios"].as_u64()), (Some(6), Some(4)), "{summary}");
    let uncovered: Vec<&str> = diagnostics.iter().map(|d| d["message"].as_str().unwrap()).collect();
    assert_eq!(
        uncovered,
        [
            "requirement THINGS-003 (should) is not covered by any scenario",
            "requirement THINGS-005 (should) is not covered by any scenario",
            "requirement THINGS-006 (should) is not covered by any scenario"
        ],
        "the 5xx of createThing and health, and getThing's 404, are left to the author"
    );
}

#[test]
fn the_scaffold_of_a_small_document_passes_against_its_mock() {
    let dir = tempfile::tempdir().unwrap();
    let document = dir.path().join("things.yaml");
    std::fs::write(&document, THINGS).unwrap();
    let catalogue = dir.path().join("catalogue");
    let (code, _, err) =
        in_process(&["scaffold", &text(&document), "--id", "things", "--out", &text(&catalogue.join("things/2.1.0"))]);
    assert_eq!(code, 0, "{err}");
    let (code, report) = run_against_mock(
        &catalogue,
        "things@2.1.0",
        &catalogue.join("things/2.1.0/things.yaml"),
        Auth::Any,
        &["--bearer-token", "any"],
    );
    let (counts, departures) = counts(&report);
    assert!(departures.is_empty(), "{departures:#?}");
    assert_eq!([count(&counts, "scenarios"), count(&counts, "scenarios_passed")], [4, 4], "{counts}");
    assert_eq!(code, 0, "{counts}");
}

#[test]
fn bad_input_is_exit_2_naming_the_file_the_id_or_the_folder() {
    let dir = tempfile::tempdir().unwrap();
    let document = dir.path().join("things.yaml");
    std::fs::write(&document, THINGS).unwrap();
    let not_openapi = dir.path().join("notes.yaml");
    std::fs::write(&not_openapi, "title: not an OpenAPI document\nitems: [1, 2]\n").unwrap();
    let busy = dir.path().join("busy");
    std::fs::create_dir(&busy).unwrap();
    std::fs::write(busy.join("keep.txt"), "mine").unwrap();
    let missing = dir.path().join("missing.yaml");
    let cases: Vec<(Vec<String>, &str)> = vec![
        (vec![text(&missing), "--id".into(), "things".into()], "missing.yaml is not a file"),
        (vec![text(&not_openapi), "--id".into(), "things".into()], "notes.yaml"),
        (vec![text(&document), "--id".into(), "Things_1".into()], "`Things_1` cannot be a specification's id"),
        (
            vec![text(&document), "--id".into(), "things".into(), "--out".into(), text(&busy)],
            "busy is not empty: nothing was written",
        ),
    ];
    for (args, said) in cases {
        let output = konform().current_dir(dir.path()).arg("scaffold").args(&args).output().unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(stderr.contains(said), "{args:?}: expected {said:?} in:\n{stderr}");
    }
    assert_eq!(std::fs::read_dir(&busy).unwrap().count(), 1, "nothing was written into the busy folder");
    assert!(!dir.path().join("things").exists(), "nothing was written for bad input");
    let output = konform()
        .current_dir(dir.path())
        .args(["scaffold", &text(&document), "--id", "things", "--out", &text(&busy), "--lang", "sv"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("är inte tom: ingenting skrevs"));
}

/// An order's answer links to its shipment, on a path of its own: the link says where the
/// shipment's id is.
const LINKED: &str = r##"openapi: 3.1.0
info: { title: Orders, version: "1.0.0" }
paths:
  /orders:
    post:
      operationId: placeOrder
      requestBody:
        required: true
        content: { application/json: { schema: { type: object, required: [item], properties: { item: { type: string } } } } }
      responses:
        "201":
          description: placed
          content:
            application/json:
              schema:
                type: object
                required: [orderNumber, shipmentId]
                properties: { orderNumber: { type: integer }, shipmentId: { type: string, pattern: "^S[0-9]{6}$" } }
          links:
            TrackShipment:
              operationId: trackShipment
              parameters: { shipmentId: "$response.body#/shipmentId" }
  /shipments/{shipmentId}:
    get:
      operationId: trackShipment
      parameters: [{ name: shipmentId, in: path, required: true, schema: { type: string, pattern: "^S[0-9]{6}$" } }]
      responses:
        "200": { description: where it is, content: { application/json: { schema: { type: object } } } }
"##;

#[test]
fn an_openapi_link_from_a_create_chains_it_before_the_operation_it_names() {
    let dir = tempfile::tempdir().unwrap();
    let document = dir.path().join("orders.yaml");
    std::fs::write(&document, LINKED).unwrap();
    let catalogue = dir.path().join("catalogue");
    let out = catalogue.join("orders/1.0.0");
    let (code, _, err) = in_process(&["scaffold", &text(&document), "--id", "orders", "--out", &text(&out)]);
    assert_eq!(code, 0, "{err}");
    let suite = std::fs::read_to_string(out.join("scenarios/operations.yaml")).unwrap();
    let track = &suite[suite.find("- id: track-shipment").unwrap()..];
    assert!(
        track.contains("operation: placeOrder")
            && track.contains("capture:\n          shipmentId: \"$.shipmentId\"")
            && track.contains("shipmentId: \"{{ shipmentId }}\""),
        "{track}"
    );
    let (code, report) = run_against_mock(&catalogue, "orders@1.0.0", &out.join("orders.yaml"), Auth::Off, &[]);
    let (counts, departures) = counts(&report);
    assert!(departures.is_empty(), "{departures:#?}");
    assert_eq!([count(&counts, "steps"), count(&counts, "steps_passed")], [3, 3], "{counts}");
    assert_eq!(code, 0, "{counts}");
}

#[test]
fn a_document_in_several_files_is_copied_with_the_files_it_references() {
    let dir = tempfile::tempdir().unwrap();
    let document = project_root().join("fixtures/openapi/split/root.yaml");
    let out = dir.path().join("split/1.0.0");
    let (code, _, err) = in_process(&["scaffold", &text(&document), "--id", "split", "--out", &text(&out)]);
    assert_eq!(code, 0, "{err}");
    for file in ["root.yaml", "common.yaml", "schemas/thing.yaml"] {
        let copied = std::fs::read_to_string(out.join(file)).unwrap();
        let original = std::fs::read_to_string(project_root().join("fixtures/openapi/split").join(file)).unwrap();
        assert_eq!(copied, original, "{file}");
    }
    let (code, summary, diagnostics) = check(dir.path());
    assert_eq!(code, 0, "{diagnostics:#?}");
    assert_eq!(summary["scenarios"], 1, "{summary}");
}

/// Headers konform usually sets itself, declared as required parameters (as loket.nl's
/// description does): `Authorization`, `Accept`, `Content-Type`.
const HEADERS: &str = r##"openapi: 3.0.3
info: { title: Headers, version: "1.0.0" }
paths:
  /notes:
    post:
      operationId: addNote
      parameters:
        - { name: Authorization, in: header, required: true, schema: { type: string, pattern: "^Bearer [a-z]+$" } }
        - { name: Accept, in: header, required: true, schema: { type: string, example: "application/json;version=2018-01-01" } }
        - { name: Content-Type, in: header, required: true, schema: { type: string } }
      requestBody:
        required: true
        content: { application/json: { schema: { type: object, required: [text], properties: { text: { type: string } } } } }
      responses:
        "201": { description: added }
"##;

#[test]
fn required_header_parameters_are_given_and_a_declared_authorization_comes_from_a_secret_variable() {
    let dir = tempfile::tempdir().unwrap();
    let document = dir.path().join("headers.yaml");
    std::fs::write(&document, HEADERS).unwrap();
    let catalogue = dir.path().join("catalogue");
    let out = catalogue.join("headers/1.0.0");
    let (code, _, err) = in_process(&["scaffold", &text(&document), "--id", "headers", "--out", &text(&out)]);
    assert_eq!(code, 0, "{err}");
    let suite = std::fs::read_to_string(out.join("scenarios/operations.yaml")).unwrap();
    for given in [
        "Authorization: \"{{ authorizationHeader }}\"",
        "Accept: \"application/json;version=2018-01-01\"",
        "Content-Type: application/json",
    ] {
        assert!(suite.contains(given), "{given} in:\n{suite}");
    }
    let spec = std::fs::read_to_string(out.join("spec.yaml")).unwrap();
    assert!(spec.contains("  authorizationHeader:\n    default: Bearer "), "{spec}");
    assert!(spec.contains("    secret: true\n"), "{spec}");
    let (code, _, diagnostics) = check(&catalogue);
    assert_eq!(code, 0, "{diagnostics:#?}");
    let (code, report) = run_against_mock(&catalogue, "headers@1.0.0", &out.join("headers.yaml"), Auth::Off, &[]);
    let (counts, departures) = counts(&report);
    assert!(departures.is_empty(), "{departures:#?}");
    assert_eq!([count(&counts, "steps"), count(&counts, "steps_passed")], [1, 1], "{counts}");
    assert_eq!(code, 0, "{counts}");
    let shown = serde_json::to_string(&report).unwrap();
    let secret = spec.split("default: Bearer ").nth(1).unwrap().lines().next().unwrap();
    assert!(!shown.contains(secret), "the Authorization value is a secret: {secret} in the report");
}

#[test]
fn a_scaffold_in_the_catalogues_one_language_declares_it_and_checks_clean() {
    let dir = tempfile::tempdir().unwrap();
    let document = dir.path().join("things.yaml");
    std::fs::write(&document, THINGS).unwrap();
    let out = dir.path().join("cat/things/2.1.0");
    let (code, _, err) =
        in_process(&["scaffold", &text(&document), "--id", "things", "--out", &text(&out), "--languages", "en"]);
    assert_eq!(code, 0, "{err}");
    let spec: Value = konform::source::yaml_to_value(&text_of(&out.join("spec.yaml"))).unwrap();
    assert_eq!(spec["languages"], serde_json::json!(["en"]));
    let requirements: Value = konform::source::yaml_to_value(&text_of(&out.join("requirements.yaml"))).unwrap();
    for r in requirements["requirements"].as_array().unwrap() {
        assert!(r["title"].get("sv").is_none() && r["title"]["en"].is_string(), "{r}");
        assert!(r["text"].get("sv").is_none() && r["text"]["en"].is_string(), "{r}");
    }
    let (code, summary, diagnostics) = check(&dir.path().join("cat"));
    assert_eq!(code, 0, "{diagnostics:#?}");
    assert!(
        diagnostics.iter().all(|d| !d.to_string().contains("language")),
        "no language is missing or undeclared: {diagnostics:#?}"
    );
    assert_eq!(summary["requirements"].as_u64(), Some(6), "{summary}");

    // Without `--languages`, the languages of the catalogue it goes in.
    std::fs::write(dir.path().join("cat/catalogue.yaml"), "version: 1.0.0\nlanguages: [en]\n").unwrap();
    let again = dir.path().join("cat/again/1.0.0");
    let (code, _, err) = in_process(&["scaffold", &text(&document), "--id", "again", "--out", &text(&again)]);
    assert_eq!(code, 0, "{err}");
    let requirements: Value = konform::source::yaml_to_value(&text_of(&again.join("requirements.yaml"))).unwrap();
    assert!(requirements["requirements"][0]["title"].get("sv").is_none(), "{requirements}");
    let (code, _, diagnostics) = check(&dir.path().join("cat"));
    assert_eq!(code, 0, "{diagnostics:#?}");
    assert!(diagnostics.iter().all(|d| !d.to_string().contains("language")), "{diagnostics:#?}");
}

fn text_of(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap()
}
