//! `konform export arazzo` and `konform import arazzo` (docs/arazzo.md): every catalogue
//! specification exports a description valid against the vendored Arazzo 1.0 JSON Schema;
//! export → import → export gives the same bytes, and the imported suite passes `konform
//! check` with the same coverage; a hand-written description is translated, with each
//! construct that does not translate reported at its line; bad input exits 2 naming it.

mod common;

use std::path::{Path, PathBuf};

use common::{copy_tree, konform, project_root};
use serde_json::{json, Value};

/// Every `id@version` of the catalogue (folders holding a spec.yaml).
fn specifications() -> Vec<(String, PathBuf)> {
    let root = project_root().join("conformance-suites");
    let mut out = Vec::new();
    for spec in common::files_under(&root, &["yaml"]).into_iter().filter(|p| p.ends_with("spec.yaml")) {
        let dir = spec.parent().unwrap().to_path_buf();
        let version = dir.file_name().unwrap().to_string_lossy().into_owned();
        let id = dir.parent().unwrap().file_name().unwrap().to_string_lossy().into_owned();
        out.push((format!("{id}@{version}"), dir));
    }
    assert!(out.len() >= 5, "the catalogue has its specifications: {out:?}");
    out
}

fn yaml(path: &Path) -> Value {
    konform::source::yaml_to_value(&std::fs::read_to_string(path).unwrap()).unwrap()
}

/// The vendored schema, compiled here on its own (not through konform's code).
fn arazzo_schema() -> jsonschema::Validator {
    let schema = yaml(&project_root().join("src/arazzo/schema-1.0.yaml"));
    assert_eq!(schema["$id"], "https://spec.openapis.org/arazzo/1.0/schema/2024-08-01");
    jsonschema::options().with_draft(jsonschema::Draft::Draft202012).build(&schema).unwrap()
}

fn export(spec: &str, catalogue: &Path, format: &str) -> String {
    let out =
        konform().args(["export", "arazzo", spec, "--format", format, "--catalogue"]).arg(catalogue).output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap()
}

/// (scenarios, steps with cleanup steps) of a specification's suites as written.
fn suite_counts(dir: &Path) -> (usize, usize) {
    let (mut scenarios, mut steps) = (0, 0);
    for file in common::files_under(&dir.join("scenarios"), &["yaml"]) {
        for s in yaml(&file)["scenarios"].as_array().unwrap() {
            scenarios += 1;
            steps += ["steps", "cleanup"].iter().filter_map(|k| s[k].as_array()).map(Vec::len).sum::<usize>();
        }
    }
    (scenarios, steps)
}

#[test]
fn every_catalogue_specification_exports_valid_arazzo() {
    let validator = arazzo_schema();
    let catalogue = project_root().join("conformance-suites");
    for (spec, dir) in specifications() {
        let document: Value = serde_json::from_str(&export(&spec, &catalogue, "json")).unwrap();
        let errors: Vec<String> =
            validator.iter_errors(&document).map(|e| format!("{} at {}", e, e.instance_path())).collect();
        assert!(errors.is_empty(), "{spec}: {errors:#?}");
        assert_eq!(document["arazzo"], "1.0.1");
        let workflows = document["workflows"].as_array().unwrap();
        let steps: usize = workflows.iter().map(|w| w["steps"].as_array().unwrap().len()).sum();
        assert_eq!((workflows.len(), steps), suite_counts(&dir), "{spec}: a workflow per scenario, a step per step");
        for step in workflows.iter().flat_map(|w| w["steps"].as_array().unwrap()) {
            let criteria = step["successCriteria"].as_array().map_or(0, Vec::len);
            assert!(criteria > 0, "{spec}: every step expects a status, said in Arazzo: {step:#}");
        }
        // The YAML says the same as the JSON.
        let text = export(&spec, &catalogue, "yaml");
        assert_eq!(konform::source::yaml_to_value(&text).unwrap(), document, "{spec}");
    }
}

#[test]
fn a_suite_says_in_arazzo_what_arazzo_can_say() {
    let catalogue = project_root().join("conformance-suites");
    let document: Value = serde_json::from_str(&export("case-intake@2.0.0", &catalogue, "json")).unwrap();
    let workflow = |id: &str| document["workflows"].as_array().unwrap().iter().find(|w| w["workflowId"] == id).unwrap();
    let submit = workflow("submit-case");
    assert_eq!(submit["summary"], "Submit a case");
    assert_eq!(submit["x-konform-title"]["sv"], "Lämna in ett ärende");
    assert_eq!(submit["x-konform-covers"], json!(["CASE-001"]));
    let step = &submit["steps"][0];
    assert_eq!(step["operationId"], "submitCase");
    assert_eq!(
        step["parameters"][0],
        json!({"name": "municipalityId", "in": "path", "value": "$inputs.municipalityId"})
    );
    assert_eq!(step["x-konform-body-file"], "fixtures/building-permit-case.json");
    assert_eq!(step["requestBody"]["payload"]["caseType"], "BUILDING_PERMIT");
    assert_eq!(
        step["successCriteria"],
        json!([
            {"condition": "$statusCode == 201"},
            {"context": "$response.header.Location", "condition": "/cases/[0-9a-f-]{36}$", "type": "regex"},
            {"condition": "$response.body#/status == 'SUBMITTED'"},
        ])
    );
    assert_eq!(step["x-konform-expect"], json!({"body": {"$.id": {"type": "string"}}}));
    assert_eq!(step["outputs"], json!({"caseId": "$response.body#/id"}));
    let cleanup = &submit["steps"][1];
    assert_eq!(cleanup["x-konform-cleanup"], true);
    assert_eq!(cleanup["parameters"][1]["value"], "$steps.submit-a-building-permit-case.outputs.caseId");
    assert_eq!(cleanup["successCriteria"], json!([{"condition": "$statusCode == 200 || $statusCode == 409"}]));
    // A multi-match path with more than `exists: true` stays in konform's syntax.
    let attachments = &workflow("attachment-ids")["steps"][0];
    assert_eq!(
        attachments["x-konform-expect"],
        json!({"body": {"$.attachments": {"length": 2}, "$.attachments[*].id": {"exists": true, "length": 2}}})
    );
}

/// Copies the catalogue and imports `description` into `id/version` of the copy with its
/// scenarios and fixtures taken out.
fn import_into_copy(description: &Path, spec_dir: &str, keep_suites: bool) -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let cat = tmp.path().join("cat");
    copy_tree(&project_root().join("conformance-suites"), &cat);
    let dir = cat.join(spec_dir);
    if !keep_suites {
        std::fs::remove_dir_all(dir.join("scenarios")).unwrap();
        let _ = std::fs::remove_dir_all(dir.join("fixtures"));
    }
    let out = konform()
        .args(["import", "arazzo"])
        .arg(description)
        .arg("--openapi")
        .arg(dir.join("openapi.yaml"))
        .arg("--out")
        .arg(&dir)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    (tmp, cat)
}

fn check(catalogue: &Path) -> (i32, String) {
    let out = konform().arg("check").arg(catalogue).output().unwrap();
    let text = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    (out.status.code().unwrap(), text)
}

/// Each requirement's covering scenarios, as `catalogue show` lists them.
fn coverage(spec: &str, catalogue: &Path) -> Value {
    let out =
        konform().args(["catalogue", "show", spec, "--format", "json", "--catalogue"]).arg(catalogue).output().unwrap();
    let shown: Value = serde_json::from_slice(&out.stdout).unwrap();
    shown["requirements"].as_array().unwrap().iter().map(|r| json!([r["id"], r["covered_by"]])).collect()
}

#[test]
fn export_import_export_is_identical_and_the_suite_passes_check() {
    let original = project_root().join("conformance-suites");
    for (spec, dir) in specifications() {
        let tmp = tempfile::tempdir().unwrap();
        let first = tmp.path().join(format!("{}.arazzo.yaml", spec.replace('@', "-")));
        std::fs::write(&first, export(&spec, &original, "yaml")).unwrap();
        let spec_dir = dir.strip_prefix(&original).unwrap().to_string_lossy().into_owned();
        let (_keep, cat) = import_into_copy(&first, &spec_dir, false);
        let written = common::files_under(&cat.join(&spec_dir).join("scenarios"), &["yaml"]);
        assert_eq!(written.len(), 1, "{spec}: one suite file");
        let (code, text) = check(&cat);
        assert_eq!(code, 0, "{spec}: {text}");
        assert!(text.contains("0 errors, 0 warnings"), "{spec}: {text}");
        assert_eq!(coverage(&spec, &cat), coverage(&spec, &original), "{spec}: the same scenarios cover the same");
        assert_eq!(suite_counts(&cat.join(&spec_dir)), suite_counts(&dir), "{spec}");
        let second = export(&spec, &cat, "yaml");
        assert_eq!(second, std::fs::read_to_string(&first).unwrap(), "{spec}: export → import → export");
    }
}

/// The diagnostics of a command's stderr, one block each.
fn blocks(stderr: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for line in stderr.lines() {
        if line.starts_with("arazzo::") || out.is_empty() {
            out.push(String::new());
        }
        let last = out.last_mut().unwrap();
        last.push_str(line);
        last.push('\n');
    }
    out
}

/// Asserts one block says `what` at `file:line:column`.
fn reported(stderr: &str, what: &str, at: &str) {
    let flat: Vec<String> =
        blocks(stderr).iter().map(|b| b.replace("\n  │ ", " ").replace('\n', " ").replace("  ", " ")).collect();
    assert!(flat.iter().any(|b| b.contains(what) && b.contains(at)), "`{what}` at {at} in:\n{stderr}");
}

#[test]
fn a_hand_written_description_is_translated_and_what_is_not_is_reported_at_its_line() {
    let description = project_root().join("fixtures/arazzo/hand-written.arazzo.yaml");
    let tmp = tempfile::tempdir().unwrap();
    let out = konform()
        .current_dir(project_root())
        .args(["import", "arazzo", "fixtures/arazzo/hand-written.arazzo.yaml", "--openapi"])
        .arg(project_root().join("conformance-suites/case-intake/2.0.0/openapi.yaml"))
        .arg("--out")
        .arg(tmp.path())
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    let file = "fixtures/arazzo/hand-written.arazzo.yaml";
    for (what, line) in [
        ("no `x-konform-title`", "13:5"),
        ("the cookie parameter `session`", "27:13"),
        ("request body `replacements`: not translated", "36:11"),
        ("the xpath criterion `/case/id`: not translated", "45:13"),
        ("step `onSuccess`: not translated", "48:9"),
        ("the output `code`: \"$statusCode\"", "54:11"),
        ("the simple criterion `$response.body#/id != null && $statusCode == 200`", "73:13"),
        ("workflow `outputs`: not translated", "74:5"),
    ] {
        reported(&stderr, what, &format!("{file}:{line}"));
    }
    assert_eq!(blocks(&stderr).iter().filter(|b| b.contains('⚠')).count(), 8, "nothing else is reported: {stderr}");
    assert!(stderr.contains("wrote 1 scenario to"), "{stderr}");
    assert!(stderr.contains("8 constructs were not translated"), "{stderr}");

    let suite = yaml(&tmp.path().join("scenarios/hand-written.yaml"));
    let scenario = &suite["scenarios"][0];
    assert_eq!(scenario["id"], "arazzo-submit-and-read");
    assert_eq!(
        scenario["title"],
        json!({"sv": "Submit a case and read it back", "en": "Submit a case and read it back"})
    );
    assert_eq!(scenario["covers"], json!(["CASE-002"]));
    let submit = &scenario["steps"][0];
    assert_eq!(submit["name"], "submit");
    assert_eq!(submit["path"], json!({"municipalityId": "{{ municipalityId }}"}));
    assert_eq!(submit["content_type"], "application/json");
    assert_eq!(
        submit["expect"],
        json!({"status": 201, "headers": {"Location": {"matches": "/cases/[0-9a-f-]{36}$"}}, "body": {"$.status": "SUBMITTED"}})
    );
    assert_eq!(submit["capture"], json!({"caseId": "$.id", "location": {"header": "Location"}}));
    let read = &scenario["steps"][1];
    assert_eq!(read["operation"], "getCase", "found by its operationPath");
    assert_eq!(read["headers"], json!({"X-Trace": "trace-{{ caseId }}"}));
    assert_eq!(
        read["expect"],
        json!({"status": 200, "body": {"$.id": "{{ caseId }}", "$.attachments[*].id": {"exists": true}}})
    );

    // Beside case-intake 2.0.0's own suites it passes `konform check` (a warning for the
    // header the operation does not declare).
    let (_keep, cat) = import_into_copy(&description, "case-intake/2.0.0", true);
    let (code, text) = check(&cat);
    assert_eq!(code, 0, "{text}");
    assert!(text.contains("0 errors, 1 warning"), "{text}");
    assert!(text.contains("has no header parameter `X-Trace`"), "{text}");
}

fn import(description: &Path, out: &Path, extra: &[&str]) -> (i32, String) {
    let o = konform()
        .args(["import", "arazzo"])
        .arg(description)
        .arg("--openapi")
        .arg(project_root().join("conformance-suites/case-intake/2.0.0/openapi.yaml"))
        .arg("--out")
        .arg(out)
        .args(extra)
        .output()
        .unwrap();
    (o.status.code().unwrap(), String::from_utf8_lossy(&o.stderr).into_owned())
}

#[test]
fn bad_input_exits_2_naming_the_file_and_line_and_writes_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    let write = |name: &str, text: &str| {
        let path = tmp.path().join(name);
        std::fs::write(&path, text).unwrap();
        path
    };
    let head =
        "arazzo: 1.0.1\ninfo: { title: t, version: '1' }\nsourceDescriptions:\n  - { name: api, url: openapi.yaml }\n";

    let (code, err) = import(&tmp.path().join("missing.arazzo.yaml"), &out, &[]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("missing.arazzo.yaml"), "{err}");

    let not_arazzo = project_root().join("conformance-suites/case-intake/2.0.0/spec.yaml");
    let (code, err) = import(&not_arazzo, &out, &[]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("spec.yaml is not an Arazzo description"), "{err}");

    let version = write("v2.arazzo.yaml", "arazzo: 2.0.0\n");
    let (code, err) = import(&version, &out, &[]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("Arazzo 2.0.0 is not supported") && err.contains("v2.arazzo.yaml:1:9"), "{err}");

    let invalid = write("invalid.arazzo.yaml", &format!("{head}workflows:\n  - workflowId: w\n    steps: []\n"));
    let (code, err) = import(&invalid, &out, &[]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("not valid Arazzo 1.0") && err.contains("invalid.arazzo.yaml:7:12"), "{err}");

    let broken = write("broken.arazzo.yaml", "arazzo: 1.0.1\ninfo: [\n");
    let (code, err) = import(&broken, &out, &[]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("broken.arazzo.yaml:"), "{err}");

    let steps = "workflows:\n  - workflowId: w\n    steps:\n      - stepId: a\n        operationId: submitCas\n      - stepId: b\n        workflowId: other\n";
    let untranslatable = write("steps.arazzo.yaml", &format!("{head}{steps}"));
    let (code, err) = import(&untranslatable, &out, &[]);
    assert_eq!(code, 2, "{err}");
    reported(&err, "no operation `submitCas` (did you mean `submitCase`?)", "steps.arazzo.yaml:9:22");
    reported(&err, "a step that runs another workflow cannot be translated", "steps.arazzo.yaml:11:21");

    let outside = "workflows:\n  - workflowId: w\n    steps:\n      - stepId: a\n        operationId: submitCase\n        requestBody: { payload: {} }\n        x-konform-body-file: ../secret.json\n";
    let outside = write("outside.arazzo.yaml", &format!("{head}{outside}"));
    let (code, err) = import(&outside, &out, &[]);
    assert_eq!(code, 2, "{err}");
    reported(&err, "must be relative and inside the specification folder", "outside.arazzo.yaml:11:30");
    assert!(!out.exists(), "nothing is written after an error");

    // A suite that exists with other content is replaced only with --force.
    let ok = write(
        "ok.arazzo.yaml",
        &format!("{head}workflows:\n  - workflowId: w\n    steps:\n      - {{ stepId: a, operationId: getApiInfo }}\n"),
    );
    let (code, err) = import(&ok, &out, &["--lang", "sv"]);
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("skrev 1 scenario till"), "{err}");
    std::fs::write(out.join("scenarios/ok.yaml"), "scenarios: []\n").unwrap();
    let (code, err) = import(&ok, &out, &[]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("ok.yaml already exists with other content; --force replaces it"), "{err}");
    let (code, err) = import(&ok, &out, &["--force"]);
    assert_eq!(code, 0, "{err}");
    assert!(std::fs::read_to_string(out.join("scenarios/ok.yaml")).unwrap().contains("operation: getApiInfo"));
}

#[test]
fn export_of_an_unknown_specification_exits_2() {
    let catalogue = project_root().join("conformance-suites");
    for (spec, says) in [("case-intak", "case-intake"), ("case-intake@9.9.9", "9.9.9")] {
        let out = konform().args(["export", "arazzo", spec, "--catalogue"]).arg(&catalogue).output().unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{err}");
        assert!(err.contains(says), "{err}");
        assert!(out.stdout.is_empty());
    }
    // Into a file, with a note on stderr in the language asked for.
    let tmp = tempfile::tempdir().unwrap();
    let file = tmp.path().join("messaging.arazzo.json");
    let out = konform()
        .args(["export", "arazzo", "messaging@1.0.0", "--format", "json", "--lang", "sv", "--catalogue"])
        .arg(&catalogue)
        .arg("--out")
        .arg(&file)
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{err}");
    assert!(err.contains("skrev scenarierna i messaging@1.0.0 som en Arazzo 1.0.1-beskrivning"), "{err}");
    let document: Value = serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
    assert_eq!(document["info"]["version"], "1.0.0");
}

/// A specification with a shared login (`setup:`) whose token a scenario and the teardown
/// send: the login is a workflow with outputs, the others depend on it and read
/// `$workflows.log-in.outputs.token`; the round trip keeps setup and teardown.
#[test]
fn shared_setup_and_teardown_are_workflows_the_others_depend_on_and_round_trip() {
    let tmp = tempfile::tempdir().unwrap();
    let spec = tmp.path().join("cat/session/1.0.0");
    std::fs::create_dir_all(spec.join("scenarios")).unwrap();
    let files = [
        (
            "spec.yaml",
            "id: session\nversion: 1.0.0\nstatus: active\ndomain: testing\ntitle: { sv: Session, en: Session }\nopenapi: openapi.yaml\n",
        ),
        (
            "requirements.yaml",
            "requirements:\n  - id: S-1\n    level: must\n    title: { sv: Profil, en: Profile }\n    text: { sv: Profilen SKALL kunna läsas., en: The profile MUST be readable. }\n",
        ),
        (
            "openapi.yaml",
            "openapi: 3.0.3\ninfo: { title: S, version: \"1\" }\ncomponents:\n  securitySchemes:\n    bearerAuth: { type: http, scheme: bearer }\nsecurity: [ { bearerAuth: [] } ]\npaths:\n  /login:\n    post:\n      operationId: login\n      security: []\n      requestBody: { required: true, content: { application/json: { schema: { type: object } } } }\n      responses:\n        \"200\": { description: ok, content: { application/json: { schema: { type: object } } } }\n  /me:\n    get:\n      operationId: me\n      responses:\n        \"200\": { description: ok }\n  /session:\n    delete:\n      operationId: logout\n      responses:\n        \"204\": { description: gone }\n",
        ),
        (
            "scenarios/main.yaml",
            "setup:\n  - id: log-in\n    title: { sv: Logga in, en: Log in }\n    steps:\n      - operation: login\n        auth: none\n        body: { user: anna }\n        expect: { status: 200 }\n        capture: { token: $.token }\nscenarios:\n  - id: read\n    title: { sv: Läs, en: Read }\n    covers: [S-1]\n    auth: { bearer: \"{{ token }}\" }\n    steps:\n      - operation: me\n        expect: { status: 200 }\nteardown:\n  - id: log-out\n    title: { sv: Logga ut, en: Log out }\n    auth: { bearer: \"{{ token }}\" }\n    steps:\n      - operation: logout\n        expect: { status: 204 }\n",
        ),
    ];
    for (name, text) in files {
        std::fs::write(spec.join(name), text).unwrap();
    }
    let catalogue = tmp.path().join("cat");
    let first = export("session", &catalogue, "json");
    let description: Value = serde_json::from_str(&first).unwrap();
    let errors: Vec<String> = arazzo_schema().iter_errors(&description).map(|e| e.to_string()).collect();
    assert!(errors.is_empty(), "{errors:?}");
    let workflows = description["workflows"].as_array().unwrap();
    let ids: Vec<&str> = workflows.iter().map(|w| w["workflowId"].as_str().unwrap()).collect();
    assert_eq!(ids, ["log-in", "read", "log-out"]);
    assert_eq!(workflows[0]["x-konform-role"], "setup");
    assert_eq!(workflows[0]["outputs"]["token"], "$steps.login.outputs.token");
    assert_eq!(workflows[1]["dependsOn"], json!(["log-in"]));
    assert_eq!(workflows[2]["dependsOn"], json!(["log-in"]));
    assert_eq!(workflows[2]["x-konform-role"], "teardown");
    assert_eq!(workflows[1]["x-konform-auth"], json!({ "bearer": "{{ token }}" }));

    // Into a fresh copy of the folder without its suite, and back out again.
    let file = tmp.path().join("session.arazzo.json");
    std::fs::write(&file, &first).unwrap();
    std::fs::remove_dir_all(spec.join("scenarios")).unwrap();
    let out = konform()
        .args(["import", "arazzo"])
        .arg(&file)
        .arg("--openapi")
        .arg(spec.join("openapi.yaml"))
        .arg("--out")
        .arg(&spec)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(!stderr.contains("not translated"), "nothing is lost: {stderr}");
    let (code, text) = check(&catalogue);
    assert_eq!((code, text.contains("0 errors, 0 warnings")), (0, true), "{text}");
    let written = common::files_under(&spec.join("scenarios"), &["yaml"]);
    let suite = yaml(&written[0]);
    assert_eq!(suite["setup"][0]["id"], "log-in");
    assert_eq!(suite["teardown"][0]["id"], "log-out");
    assert_eq!(export("session", &catalogue, "json"), first, "export → import → export");
}
