//! `konform diff`: every kind of change is found and classified for the vendor as
//! docs/diff.md says, in OpenAPI 3.0 and 3.1 and across them; what only looks different
//! (a schema moved into `components`, a renamed component or security scheme, a renamed
//! path parameter, `nullable` against a type list) is no change; recursive schemas end;
//! case-intake 1.0.0 → 1.1.0 lists exactly its real changes; exit codes and bad input.

mod common;

use std::path::{Path, PathBuf};

use common::{konform, project_root};
use konform::catalogue::openapi::{ApiDoc, LoadOptions};
use konform::diff::{self, Change, ChangeClass};
use serde_json::Value;

use ChangeClass::{MustChange as MUST, NoAction as NONE, ShouldChange as SHOULD};

/// What a fixture pair must produce: (code, class, breaking for clients, subject).
type Expected = &'static [(&'static str, ChangeClass, bool, Option<&'static str>)];

/// Every fixture pair under fixtures/diff/openapi-3.0 and openapi-3.1, and what it must
/// produce, written out here rather than taken from the classifier.
const CASES: &[(&str, Expected)] = &[
    ("operation-added", &[("operation-added", MUST, false, None)]),
    ("operation-removed", &[("operation-removed", NONE, true, None)]),
    ("operation-deprecated", &[("operation-deprecated", NONE, false, None)]),
    ("operation-id-changed", &[("operation-id-changed", NONE, false, None)]),
    // Moved, its operationId kept: compared with its old self, so the parameter it gained shows.
    ("operation-moved", &[("operation-moved", MUST, true, None), ("request-parameter-added", MUST, false, None)]),
    ("security-added", &[("security-added", MUST, true, None)]),
    ("security-removed", &[("security-removed", MUST, false, None)]),
    ("security-alternative-added", &[("security-alternative-added", MUST, false, None)]),
    ("security-alternative-removed", &[("security-alternative-removed", NONE, true, None)]),
    ("security-scope-added", &[("security-scope-added", NONE, true, Some("oauth"))]),
    ("security-scope-removed", &[("security-scope-removed", MUST, false, Some("oauth"))]),
    ("security-scheme-renamed", &[]),
    ("request-parameter-added", &[("request-parameter-added", MUST, false, None)]),
    ("request-parameter-required-added", &[("request-parameter-required-added", MUST, true, None)]),
    ("request-parameter-removed", &[("request-parameter-removed", NONE, true, None)]),
    ("request-parameter-became-required", &[("request-parameter-became-required", NONE, true, None)]),
    ("request-parameter-became-optional", &[("request-parameter-became-optional", MUST, false, None)]),
    ("request-parameter-style-changed", &[("request-parameter-style-changed", MUST, true, None)]),
    ("request-parameter-enum-value-added", &[("request-enum-value-added", MUST, false, None)]),
    ("path-parameter-renamed", &[]),
    ("request-body-added", &[("request-body-added", MUST, false, None)]),
    ("request-body-required-added", &[("request-body-required-added", MUST, true, None)]),
    ("request-body-removed", &[("request-body-removed", NONE, true, None)]),
    ("request-body-became-optional", &[("request-body-became-optional", MUST, false, None)]),
    ("request-body-became-required", &[("request-body-became-required", NONE, true, None)]),
    ("request-media-type-added", &[("request-media-type-added", MUST, false, None)]),
    ("request-media-type-removed", &[("request-media-type-removed", NONE, true, None)]),
    ("request-property-added", &[("request-property-added", MUST, false, Some("tags"))]),
    ("request-property-required-added", &[("request-property-required-added", MUST, true, Some("owner"))]),
    ("request-property-removed", &[("request-property-removed", NONE, true, Some("note"))]),
    ("request-property-became-required", &[("request-property-became-required", NONE, true, Some("colour"))]),
    ("request-property-became-optional", &[("request-property-became-optional", MUST, false, Some("name"))]),
    ("request-property-deprecated", &[("request-property-deprecated", NONE, false, Some("note"))]),
    ("request-type-widened", &[("request-type-widened", MUST, false, Some("size"))]),
    ("request-type-narrowed", &[("request-type-narrowed", NONE, true, Some("size"))]),
    ("request-type-changed", &[("request-type-changed", MUST, true, Some("size"))]),
    ("request-null-added", &[("request-null-added", MUST, false, Some("note"))]),
    ("request-null-removed", &[("request-null-removed", NONE, true, Some("note"))]),
    ("request-enum-value-added", &[("request-enum-value-added", MUST, false, Some("colour"))]),
    ("request-enum-value-removed", &[("request-enum-value-removed", NONE, true, Some("colour"))]),
    ("request-constraint-tightened", &[("request-constraint-tightened", NONE, true, Some("name"))]),
    ("request-constraint-loosened", &[("request-constraint-loosened", MUST, false, Some("name"))]),
    ("request-constraint-changed", &[("request-constraint-changed", MUST, true, Some("note"))]),
    ("request-alternative-added", &[("request-alternative-added", MUST, false, Some("value"))]),
    ("request-alternative-removed", &[("request-alternative-removed", NONE, true, Some("value"))]),
    ("request-default-changed", &[("request-default-changed", MUST, true, Some("size"))]),
    ("response-status-added", &[("response-status-added", NONE, false, Some("409"))]),
    ("response-status-removed", &[("response-status-removed", MUST, false, Some("404"))]),
    ("response-body-added", &[("response-body-added", MUST, false, None)]),
    ("response-body-removed", &[("response-body-removed", MUST, true, None)]),
    ("response-media-type-added", &[("response-media-type-added", NONE, false, None)]),
    ("response-media-type-removed", &[("response-media-type-removed", MUST, true, None)]),
    ("response-header-added", &[("response-header-added", SHOULD, false, Some("X-Rate-Limit"))]),
    ("response-header-required-added", &[("response-header-required-added", MUST, false, Some("Location"))]),
    ("response-header-removed", &[("response-header-removed", NONE, true, Some("ETag"))]),
    ("response-header-became-required", &[("response-header-became-required", MUST, false, Some("ETag"))]),
    ("response-header-became-optional", &[("response-header-became-optional", NONE, true, Some("ETag"))]),
    ("response-property-added", &[("response-property-added", SHOULD, false, Some("tags"))]),
    ("response-property-required-added", &[("response-property-required-added", MUST, false, Some("owner"))]),
    ("response-property-removed", &[("response-property-removed", SHOULD, true, Some("note"))]),
    ("response-property-became-required", &[("response-property-became-required", MUST, false, Some("colour"))]),
    ("response-property-became-optional", &[("response-property-became-optional", NONE, true, Some("name"))]),
    ("response-property-deprecated", &[("response-property-deprecated", NONE, false, Some("note"))]),
    ("response-type-widened", &[("response-type-widened", NONE, true, Some("size"))]),
    ("response-type-narrowed", &[("response-type-narrowed", MUST, false, Some("size"))]),
    ("response-type-changed", &[("response-type-changed", MUST, true, Some("size"))]),
    ("response-null-added", &[("response-null-added", NONE, true, Some("note"))]),
    ("response-null-removed", &[("response-null-removed", MUST, false, Some("note"))]),
    ("response-enum-value-added", &[("response-enum-value-added", NONE, true, Some("colour"))]),
    ("response-enum-value-removed", &[("response-enum-value-removed", MUST, false, Some("colour"))]),
    ("response-constraint-tightened", &[("response-constraint-tightened", MUST, false, Some("name"))]),
    ("response-constraint-loosened", &[("response-constraint-loosened", NONE, true, Some("name"))]),
    ("response-constraint-changed", &[("response-constraint-changed", MUST, true, Some("note"))]),
    ("response-alternative-added", &[("response-alternative-added", NONE, true, Some("value"))]),
    ("response-alternative-removed", &[("response-alternative-removed", MUST, false, Some("value"))]),
    ("moved-into-components", &[]),
    ("ref-renamed", &[]),
    ("wrapped-in-allof", &[]),
    ("recursive-unchanged", &[]),
    ("recursive-property-added", &[("response-property-added", SHOULD, false, Some("label"))]),
    ("allof-property-added", &[("response-property-added", SHOULD, false, Some("created"))]),
    // A read-only property is not part of the request that uses the same schema.
    ("read-only-property-added", &[("response-property-added", SHOULD, false, Some("created"))]),
    ("unchanged", &[]),
];

/// Pairs whose old document is OpenAPI 3.0 and new one 3.1 (fixtures/diff/cross).
const CROSS: &[(&str, Expected)] = &[
    ("unchanged", &[]),
    // `nullable: true` in 3.0 is `type: [string, "null"]` in 3.1.
    ("nullable-is-a-type-list", &[]),
    // `minimum: 0, exclusiveMinimum: true` in 3.0 is `exclusiveMinimum: 0` in 3.1.
    ("exclusive-minimum-as-a-number", &[]),
    ("null-added-across-dialects", &[("response-null-added", NONE, true, Some("note"))]),
];

fn load(path: &Path) -> ApiDoc {
    ApiDoc::load(path, &LoadOptions::default()).unwrap_or_else(|d| {
        panic!("{} does not load: {:?}", path.display(), d.iter().map(|d| &d.message).collect::<Vec<_>>())
    })
}

fn changes_of(dir: &Path) -> Vec<Change> {
    diff::documents(&load(&dir.join("old.yaml")), &load(&dir.join("new.yaml")))
}

fn code(c: &Change) -> String {
    c.code.code()
}

/// Checks each case of a table against its folder, and that every folder has a case.
fn check_table(folder: &str, table: &[(&str, Expected)]) {
    let root = project_root().join("fixtures/diff").join(folder);
    let mut on_disk: Vec<String> =
        std::fs::read_dir(&root).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    on_disk.sort();
    let mut named: Vec<String> = table.iter().map(|(n, _)| n.to_string()).collect();
    named.sort();
    assert_eq!(on_disk, named, "{folder}: every fixture pair has a case in the table, and every case a pair");
    let mut wrong = Vec::new();
    for (name, expected) in table {
        let changes = changes_of(&root.join(name));
        let got: Vec<(String, ChangeClass, bool, Option<String>)> =
            changes.iter().map(|c| (code(c), c.class, c.breaking_for_clients, c.subject.clone())).collect();
        let want: Vec<(String, ChangeClass, bool, Option<String>)> =
            expected.iter().map(|(c, k, b, s)| (c.to_string(), *k, *b, s.map(str::to_string))).collect();
        if got != want {
            wrong.push(format!("{folder}/{name}:\n   got  {got:?}\n   want {want:?}"));
        }
        for c in &changes {
            let at = c.new.as_ref().or(c.old.as_ref()).expect("a change has a position");
            assert!(at.line.is_some(), "{folder}/{name}: {} has no line: {at:?}", code(c));
            assert!(c.operation.is_some(), "{folder}/{name}: {} names no operation", code(c));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn every_kind_of_change_is_classified_for_the_vendor_in_openapi_3_0() {
    check_table("openapi-3.0", CASES);
}

#[test]
fn every_kind_of_change_is_classified_for_the_vendor_in_openapi_3_1() {
    check_table("openapi-3.1", CASES);
}

#[test]
fn one_meaning_written_in_3_0_and_in_3_1_is_no_change() {
    check_table("cross", CROSS);
}

/// A temporary copy of case-intake 1.1.0's description, edited by `edit`, diffed against
/// the original.
fn diff_against_edited(edit: impl Fn(&str) -> String) -> Vec<Change> {
    let original = project_root().join("conformance-suites/case-intake/1.1.0/openapi.yaml");
    let dir = tempfile::tempdir().unwrap();
    let copy = dir.path().join("openapi.yaml");
    let text = std::fs::read_to_string(&original).unwrap();
    let edited = edit(&text);
    assert_ne!(edited, text, "the edit changed nothing");
    std::fs::write(&copy, edited).unwrap();
    diff::documents(&load(&original), &load(&copy))
}

#[test]
fn moving_a_schema_into_components_or_renaming_its_ref_is_no_change() {
    // Rename a component everywhere it is named.
    let renamed = diff_against_edited(|t| {
        t.replace("schemas/Case\"", "schemas/CaseRecord\"").replace("\n    Case:\n", "\n    CaseRecord:\n")
    });
    assert!(renamed.is_empty(), "{:?}", renamed.iter().map(code).collect::<Vec<_>>());
    // Write a referenced schema inline where it is used.
    let inlined = diff_against_edited(|t| {
        t.replace(
            "              $ref: \"#/components/schemas/Withdrawal\"",
            "              type: object\n              additionalProperties: false\n              properties:\n                reason:\n                  type: string\n                  maxLength: 1000",
        )
    });
    assert!(inlined.is_empty(), "{:?}", inlined.iter().map(code).collect::<Vec<_>>());
    // The same inline schema with one constraint changed is a change, found where it is
    // now written: the edits above were seen.
    let changed = diff_against_edited(|t| {
        t.replace(
            "              $ref: \"#/components/schemas/Withdrawal\"",
            "              type: object\n              additionalProperties: false\n              properties:\n                reason:\n                  type: string\n                  maxLength: 500",
        )
    });
    let codes: Vec<String> = changed.iter().map(code).collect();
    assert_eq!(codes, ["request-constraint-tightened"]);
    assert_eq!(changed[0].subject.as_deref(), Some("reason"));
    assert_eq!(changed[0].new.as_ref().unwrap().pointer, "/paths/~1{municipalityId}~1cases~1{caseId}~1withdrawal/post/requestBody/content/application~1json/schema/properties/reason/maxLength");
}

#[test]
fn recursive_schemas_end_and_report_a_change_once() {
    // Two schemas that refer to each other, and a list of themselves, with a change deep
    // inside: each operation hears of it once, by its shortest path.
    let doc = |extra: &str| {
        format!(
            "openapi: 3.1.0\ninfo: {{title: t, version: 1.0.0}}\npaths:\n  /a:\n    get:\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema: {{$ref: '#/components/schemas/A'}}\ncomponents:\n  schemas:\n    A:\n      type: object\n      properties:\n        b: {{$ref: '#/components/schemas/B'}}\n        same: {{type: array, items: {{$ref: '#/components/schemas/A'}}}}\n    B:\n      type: object\n      properties:\n        a: {{$ref: '#/components/schemas/A'}}\n{extra}"
        )
    };
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("old.yaml"), doc("")).unwrap();
    std::fs::write(dir.path().join("new.yaml"), doc("        deep: {type: string}\n")).unwrap();
    let changes = changes_of(dir.path());
    let got: Vec<(String, Option<String>)> = changes.iter().map(|c| (code(c), c.subject.clone())).collect();
    assert_eq!(got, [("response-property-added".to_string(), Some("b.deep".to_string()))]);
    // A document compared with itself: nothing, and it ends.
    let same = diff::documents(&load(&dir.path().join("old.yaml")), &load(&dir.path().join("old.yaml")));
    assert!(same.is_empty());
}

fn case_intake_json(args: &[&str]) -> (Option<i32>, Value, String) {
    let out = konform().current_dir(project_root()).arg("diff").args(args).args(["--format", "json"]).output().unwrap();
    let stdout = String::from_utf8(out.stdout).unwrap();
    let value: Value = serde_json::from_str(&stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {stdout}\n{}", String::from_utf8_lossy(&out.stderr)));
    (out.status.code(), value, stdout)
}

#[test]
fn case_intake_1_0_0_to_1_1_0_lists_exactly_its_real_changes() {
    let (code, value, stdout) = case_intake_json(&["case-intake@1.0.0", "case-intake@1.1.0"]);
    assert_eq!(code, Some(0));
    let expected = [
        ("request-property-added", "submitCase", "preferredLanguage"),
        ("requirement-added", "CASE-014", ""),
        ("scenario-added", "preferred-language", ""),
        ("response-property-added", "submitCase", "preferredLanguage"),
        ("response-property-added", "getCase", "preferredLanguage"),
    ];
    let expected: Vec<(String, String, String)> =
        expected.iter().map(|(a, b, c)| (a.to_string(), b.to_string(), c.to_string())).collect();
    assert_eq!(listed(&value), expected);
    assert!(value["findings"].as_array().unwrap().is_empty(), "1.1.0 breaks no client: {}", value["findings"]);
    insta::assert_snapshot!("diff_case_intake_1_0_0_to_1_1_0_json", stdout);
}

/// The changes a JSON diff lists, as (code, operationId or requirement/scenario id, subject).
fn listed(value: &Value) -> Vec<(String, String, String)> {
    value["changes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            let where_ =
                c["operation"]["operation_id"].as_str().or(c["place"]["id"].as_str()).unwrap_or_default().to_string();
            (c["code"].as_str().unwrap().to_string(), where_, c["subject"].as_str().unwrap_or("").to_string())
        })
        .collect()
}

#[test]
fn case_intake_1_1_0_to_2_0_0_lists_the_breaking_changes_and_nothing_else() {
    let (code, value, stdout) = case_intake_json(&["case-intake@1.1.0", "case-intake@2.0.0"]);
    assert_eq!(code, Some(0));
    // Every path moved under /v2 with its operationId kept: each operation is compared with
    // its old self, so what changed inside it (the identifier, the status names) shows.
    let expected = [
        ("requirement-added", "CASE-015", ""),
        // 2.0.0 implements the case-handling process: the requirements and scenarios derived
        // from it are new (each placed at its `process:` in spec.yaml).
        ("requirement-added", "case-handling/add-information", ""),
        ("requirement-added", "case-handling/add-information/refused", ""),
        ("requirement-added", "case-handling/submit", ""),
        ("requirement-added", "case-handling/supplement/refused", ""),
        ("requirement-added", "case-handling/withdraw", ""),
        ("requirement-added", "case-handling/withdraw/refused", ""),
        ("operation-moved", "listCases", ""),
        ("request-enum-value-added", "listCases", ""),
        ("response-enum-value-removed", "listCases", "cases[].status"),
        ("operation-moved", "submitCase", ""),
        ("request-property-added", "submitCase", "applicant.personId"),
        ("response-constraint-tightened", "submitCase", "applicant"),
        ("response-enum-value-removed", "submitCase", "status"),
        ("operation-moved", "getCase", ""),
        ("response-constraint-tightened", "getCase", "applicant"),
        ("response-enum-value-removed", "getCase", "status"),
        ("operation-moved", "getCaseStatus", ""),
        ("response-enum-value-removed", "getCaseStatus", "status"),
        ("operation-moved", "submitSupplement", ""),
        ("operation-moved", "withdrawCase", ""),
        ("response-enum-value-removed", "withdrawCase", "status"),
        ("requirement-text-changed", "CASE-001", ""),
        ("requirement-text-changed", "CASE-005", ""),
        ("scenario-changed", "attachment-ids", ""),
        ("scenario-changed", "list-page-by-page", ""),
        ("scenario-added", "no-personal-number", ""),
        ("scenario-changed", "no-supplement-after-withdrawal", ""),
        ("scenario-changed", "preferred-language", ""),
        ("scenario-added", "process-add-information-in-submitted", ""),
        ("scenario-added", "process-submit", ""),
        ("scenario-added", "process-submitSupplement-refused-in-withdrawn", ""),
        ("scenario-added", "process-withdraw-in-submitted", ""),
        ("scenario-added", "process-withdrawCase-refused-in-withdrawn", ""),
        ("scenario-changed", "read-back", ""),
        ("scenario-changed", "read-status", ""),
        ("scenario-changed", "submit-case", ""),
        ("scenario-changed", "supplement", ""),
        ("scenario-changed", "withdraw", ""),
        ("response-property-added", "submitCase", "applicant.personId"),
        ("response-property-removed", "submitCase", "applicant.personalNumber"),
        ("response-property-added", "getCase", "applicant.personId"),
        ("response-property-removed", "getCase", "applicant.personalNumber"),
        ("request-enum-value-removed", "listCases", ""),
        ("response-enum-value-added", "listCases", "cases[].status"),
        ("request-constraint-tightened", "submitCase", "applicant"),
        ("request-property-removed", "submitCase", "applicant.personalNumber"),
        ("response-enum-value-added", "submitCase", "status"),
        ("response-enum-value-added", "getCase", "status"),
        ("response-enum-value-added", "getCaseStatus", "status"),
        ("response-enum-value-added", "withdrawCase", "status"),
    ];
    let expected: Vec<(String, String, String)> =
        expected.iter().map(|(a, b, c)| (a.to_string(), b.to_string(), c.to_string())).collect();
    assert_eq!(listed(&value), expected);
    // A major version may break clients: no finding about the version number.
    assert!(value["findings"].as_array().unwrap().is_empty(), "{}", value["findings"]);
    let moved = &value["changes"][7];
    assert_eq!(moved["old_value"], "GET /{municipalityId}/cases");
    assert_eq!(moved["new_value"], "GET /v2/{municipalityId}/cases");
    assert_eq!(moved["breaking_for_clients"], true);
    // Files are named inside the catalogue, wherever it lies.
    assert_eq!(moved["new"]["file"], "case-intake/2.0.0/openapi.yaml");
    assert_eq!(moved["old"]["file"], "case-intake/1.1.0/openapi.yaml");
    insta::assert_snapshot!("diff_case_intake_1_1_0_to_2_0_0_json", stdout);
}

/// A temporary catalogue with case-intake (and the profile it uses).
fn catalogue_copy() -> tempfile::TempDir {
    let catalogue = tempfile::tempdir().unwrap();
    for folder in ["case-intake", "api-profile"] {
        common::copy_tree(&project_root().join("conformance-suites").join(folder), &catalogue.path().join(folder));
    }
    catalogue
}

/// The requirement and scenario changes of case-intake 1.0.0 → 1.1.0 in a catalogue:
/// (code, class, requirement or scenario id).
fn catalogue_changes(catalogue: &Path) -> Vec<(String, String, String)> {
    let out = konform()
        .current_dir(catalogue)
        .args(["diff", "case-intake@1.0.0", "case-intake@1.1.0", "--catalogue", ".", "--format", "json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    v["changes"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["operation"].is_null())
        .map(|c| {
            let s = |v: &Value| v.as_str().unwrap().to_string();
            (s(&c["code"]), s(&c["class"]), s(&c["place"]["id"]))
        })
        .collect()
}

#[test]
fn requirements_and_scenarios_are_compared_by_id() {
    let catalogue = catalogue_copy();
    let new = catalogue.path().join("case-intake/1.1.0");
    let requirements = new.join("requirements.yaml");
    // CASE-007 from BÖR to SKALL, CASE-010 from BÖR to KAN, new words for CASE-012, and
    // CASE-013 gone (its scenario now covers CASE-001).
    common::edit(&requirements, "  - id: CASE-007\n    level: should", "  - id: CASE-007\n    level: must");
    common::edit(&requirements, "  - id: CASE-010\n    level: should", "  - id: CASE-010\n    level: may");
    common::edit(&requirements, "an id of its own,", "an identifier of its own,");
    let text = std::fs::read_to_string(&requirements).unwrap();
    let (start, end) = (text.find("  - id: CASE-013").unwrap(), text.find("  - id: CASE-014").unwrap());
    std::fs::write(&requirements, format!("{}{}", &text[..start], &text[end..])).unwrap();
    common::edit(&new.join("scenarios/submission.yaml"), "covers: [CASE-013]", "covers: [CASE-001]");
    // One scenario's expectation changed, another scenario removed.
    common::edit(&new.join("scenarios/submission.yaml"), "one_of: [RECEIVED, UNDER_REVIEW,", "one_of: [RECEIVED,");
    let lifecycle = new.join("scenarios/lifecycle.yaml");
    let text = std::fs::read_to_string(&lifecycle).unwrap();
    let cut = text.find("  - id: no-supplement-after-withdrawal").unwrap();
    std::fs::write(&lifecycle, &text[..cut]).unwrap();

    let expected = [
        ("requirement-level-raised", "must-change", "CASE-007"),
        ("requirement-text-changed", "should-change", "CASE-012"),
        ("requirement-added", "should-change", "CASE-014"),
        ("scenario-added", "should-change", "preferred-language"),
        ("scenario-changed", "should-change", "read-status"),
        ("scenario-changed", "should-change", "unauthenticated"),
        ("requirement-level-lowered", "no-action", "CASE-010"),
        ("requirement-removed", "no-action", "CASE-013"),
        ("scenario-removed", "no-action", "no-supplement-after-withdrawal"),
    ];
    let expected: Vec<(String, String, String)> =
        expected.iter().map(|(a, b, c)| (a.to_string(), b.to_string(), c.to_string())).collect();
    assert_eq!(catalogue_changes(catalogue.path()), expected);
}

#[test]
fn a_scenario_whose_fixture_changed_has_changed() {
    let catalogue = catalogue_copy();
    let fixture = catalogue.path().join("case-intake/1.1.0/fixtures/building-permit-case.json");
    common::edit(&fixture, "BUILDING_PERMIT", "PARKING_PERMIT");
    let changed: Vec<String> = catalogue_changes(catalogue.path())
        .into_iter()
        .filter(|(code, _, _)| code == "scenario-changed")
        .map(|(_, _, id)| id)
        .collect();
    // Every scenario that sends it, and no other.
    let senders: Vec<String> = {
        let mut ids = Vec::new();
        for file in ["submission.yaml", "lifecycle.yaml"] {
            let text =
                std::fs::read_to_string(catalogue.path().join("case-intake/1.1.0/scenarios").join(file)).unwrap();
            for block in text.split("\n  - id: ").skip(1) {
                if block.contains("building-permit-case.json") {
                    ids.push(block.lines().next().unwrap().trim().to_string());
                }
            }
        }
        ids
    };
    assert!(senders.len() >= 3, "{senders:?}");
    let mut changed_sorted = changed.clone();
    changed_sorted.sort();
    let mut senders_sorted = senders;
    senders_sorted.sort();
    assert_eq!(changed_sorted, senders_sorted);
}

#[test]
fn exit_codes_for_ci() {
    // Default: 0 whatever changed.
    let pair = project_root().join("fixtures/diff/openapi-3.0/operation-removed");
    let (old, new) = (pair.join("old.yaml"), pair.join("new.yaml"));
    let run = |extra: &[&str]| konform().arg("diff").arg(&old).arg(&new).args(extra).output().unwrap();
    assert_eq!(run(&[]).status.code(), Some(0));
    // An operation removed breaks clients, and is no work for the vendor.
    assert_eq!(run(&["--fail-on", "breaking"]).status.code(), Some(1));
    assert_eq!(run(&["--fail-on", "must-change"]).status.code(), Some(0));
    // case-intake 1.1.0 breaks no client, but asks the vendor to accept a new property.
    let ci = |fail_on: &str| {
        konform()
            .current_dir(project_root())
            .args(["diff", "case-intake@1.0.0", "case-intake@1.1.0", "--fail-on", fail_on])
            .output()
            .unwrap()
            .status
            .code()
    };
    assert_eq!(ci("breaking"), Some(0));
    assert_eq!(ci("must-change"), Some(1));
}

#[test]
fn bad_input_exits_2_naming_the_file_and_line() {
    let catalogue = project_root().join("conformance-suites");
    let run = |args: &[&str]| {
        let out = konform().arg("diff").args(args).arg("--catalogue").arg(&catalogue).output().unwrap();
        (out.status.code(), String::from_utf8_lossy(&out.stderr).into_owned(), out.stdout.len())
    };
    let (code, err, written) = run(&["case-intake@1.0.0", "case-intaek@1.1.0"]);
    assert_eq!(code, Some(2), "{err}");
    assert!(err.contains("no specification `case-intaek`") && err.contains("case-intake"), "{err}");
    assert_eq!(written, 0, "nothing on stdout");
    let (code, err, _) = run(&["case-intake@1.0.0", "case-intake@9.9.9"]);
    assert_eq!(code, Some(2), "{err}");
    assert!(err.contains("has no version 9.9.9") && err.contains("1.0.0, 1.1.0"), "{err}");

    let dir = tempfile::tempdir().unwrap();
    let good = project_root().join("fixtures/diff/openapi-3.0/unchanged/old.yaml");
    let broken = dir.path().join("broken.yaml");
    std::fs::write(&broken, "openapi: 3.0.3\ninfo:\n  title: t\n  version: 1\npaths:\n  /a: [unclosed\n").unwrap();
    let out = konform().arg("diff").arg(&good).arg(&broken).output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    // The flow sequence never closes: the parser says so where the file ends.
    assert!(err.contains("invalid YAML") && err.contains("broken.yaml:7:1"), "{err}");

    let swagger = dir.path().join("swagger.yaml");
    std::fs::write(&swagger, "swagger: '2.0'\ninfo: {title: t, version: '1'}\npaths: {}\n").unwrap();
    let out = konform().arg("diff").arg(&swagger).arg(&good).output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("Swagger 2.0") && err.contains("swagger.yaml:1"), "{err}");

    let missing = dir.path().join("missing.yaml");
    let out = konform().arg("diff").arg(&good).arg(&missing).output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("missing.yaml"), "{err}");
}

#[test]
fn a_breaking_change_within_a_major_version_is_a_finding() {
    let dir = tempfile::tempdir().unwrap();
    let pair = project_root().join("fixtures/diff/openapi-3.1/operation-removed");
    let old = std::fs::read_to_string(pair.join("old.yaml")).unwrap();
    let new = std::fs::read_to_string(pair.join("new.yaml")).unwrap().replace("version: 1.0.0", "version: 1.1.0");
    std::fs::write(dir.path().join("old.yaml"), &old).unwrap();
    std::fs::write(dir.path().join("new.yaml"), &new).unwrap();
    let major = new.replace("version: 1.1.0", "version: 2.0.0");
    std::fs::write(dir.path().join("major.yaml"), major).unwrap();
    let findings = |new: &str| {
        let out =
            konform().current_dir(dir.path()).args(["diff", "old.yaml", new, "--format", "json"]).output().unwrap();
        let v: Value = serde_json::from_slice(&out.stdout).unwrap();
        v["findings"].as_array().unwrap().iter().map(|f| f["code"].as_str().unwrap().to_string()).collect::<Vec<_>>()
    };
    assert_eq!(findings("new.yaml"), ["breaking-within-major"]);
    assert!(findings("major.yaml").is_empty());
    // And in a catalogue: case-intake 1.1.0 with an operation removed.
    let catalogue = tempfile::tempdir().unwrap();
    for folder in ["case-intake", "api-profile"] {
        common::copy_tree(&project_root().join("conformance-suites").join(folder), &catalogue.path().join(folder));
    }
    common::edit(
        &catalogue.path().join("case-intake/1.1.0/openapi.yaml"),
        "  /{municipalityId}/cases/{caseId}/status:",
        "  /{municipalityId}/cases/{caseId}/state:",
    );
    let out = konform()
        .current_dir(catalogue.path())
        .args(["diff", "case-intake@1.0.0", "case-intake@1.1.0", "--catalogue", "."])
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(stdout.contains("1.0.0 to 1.1.0 keeps the major version, but 1 change breaks clients"), "{stdout}");
    assert!(stdout.contains("`GET /{municipalityId}/cases/{caseId}/state` (`getCaseStatus`)"), "{stdout}");
}

/// The English phrases of `konform diff`'s words: runs of two or more words in the string
/// literals of the diff's part of src/messages/en.rs.
fn english_diff_phrases() -> Vec<String> {
    let en = std::fs::read_to_string(project_root().join("src/messages/en.rs")).unwrap();
    let start = en.find("// `konform diff`").expect("the diff's words are marked in en.rs");
    let literal = regex::Regex::new(r#""((?:[^"\\]|\\.)*)""#).unwrap();
    let placeholder = regex::Regex::new(r"\{[^}]*\}").unwrap();
    let run = regex::Regex::new(r"[A-Za-z][A-Za-z']+(?: [A-Za-z][A-Za-z']+)+").unwrap();
    let mut phrases = Vec::new();
    for c in literal.captures_iter(&en[start..]) {
        let after = en[start + c.get(0).unwrap().end()..].trim_start();
        if after.starts_with("=>") || after.starts_with('|') {
            continue;
        }
        for piece in placeholder.split(&c[1]) {
            phrases.extend(run.find_iter(piece).map(|m| m.as_str().to_string()));
        }
    }
    phrases.sort();
    phrases.dedup();
    phrases
}

#[test]
fn a_swedish_diff_has_no_english_words_of_konforms_own() {
    let phrases = english_diff_phrases();
    assert!(phrases.len() > 60, "too few phrases: {phrases:?}");
    assert!(phrases.contains(&"new optional property".to_string()), "{phrases:?}");
    // Every kind at once: all fixture pairs of one document, as one diff each.
    let root = project_root().join("fixtures/diff/openapi-3.0");
    let mut shown = String::new();
    for entry in std::fs::read_dir(&root).unwrap() {
        let dir = entry.unwrap().path();
        for format in ["human", "markdown"] {
            let out = konform()
                .arg("diff")
                .arg(dir.join("old.yaml"))
                .arg(dir.join("new.yaml"))
                .args(["--lang", "sv", "--format", format])
                .output()
                .unwrap();
            assert_eq!(out.status.code(), Some(0));
            shown.push_str(&String::from_utf8(out.stdout).unwrap());
        }
    }
    for format in ["human", "markdown"] {
        let out = konform()
            .current_dir(project_root())
            .args(["diff", "case-intake@1.0.0", "case-intake@1.1.0", "--lang", "sv", "--format", format])
            .output()
            .unwrap();
        shown.push_str(&String::from_utf8(out.stdout).unwrap());
    }
    assert!(shown.contains("ny valfri egenskap"), "{shown}");
    // Names from the documents are quoted as code, file names are paths: take them out.
    let data = regex::Regex::new(r"`[^`]*`|\S+\.yaml(:\d+)?").unwrap();
    let own = data.replace_all(&shown, " ");
    let english: Vec<&String> = phrases.iter().filter(|p| own.contains(p.as_str())).collect();
    assert!(english.is_empty(), "English in the Swedish diff: {english:?}");
}

#[test]
fn the_human_output_groups_by_class_then_operation_and_points_at_lines() {
    let out = konform()
        .current_dir(project_root())
        .args(["diff", "case-intake@1.0.0", "case-intake@1.1.0"])
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    let must = text.find("\nMust change (1)").expect("a must-change section");
    let should = text.find("\nShould change (4)").expect("a should-change section");
    assert!(must < should, "{text}");
    assert!(!text.contains("No action ("), "{text}");
    assert!(
        text.contains("request body `application/json`: new optional property `preferredLanguage`: accept it\n      case-intake/1.1.0/openapi.yaml:421"),
        "{text}"
    );
    // One heading per operation in a class.
    assert_eq!(text.matches("`POST /{municipalityId}/cases` (`submitCase`)").count(), 2, "{text}");
}

#[test]
fn names_from_a_document_cannot_form_markdown() {
    let dir = tempfile::tempdir().unwrap();
    let pair = project_root().join("fixtures/diff/openapi-3.0/response-property-added");
    std::fs::copy(pair.join("old.yaml"), dir.path().join("old.yaml")).unwrap();
    let new =
        std::fs::read_to_string(pair.join("new.yaml")).unwrap().replace("tags:", "'[x](https://evil.example/)`*|<b>':");
    std::fs::write(dir.path().join("new.yaml"), new).unwrap();
    let out = konform()
        .current_dir(dir.path())
        .args(["diff", "old.yaml", "new.yaml", "--format", "markdown"])
        .output()
        .unwrap();
    let md = String::from_utf8(out.stdout).unwrap();
    let events: Vec<pulldown_cmark::Event> =
        pulldown_cmark::Parser::new_ext(&md, pulldown_cmark::Options::ENABLE_TABLES).collect();
    let links =
        events.iter().filter(|e| matches!(e, pulldown_cmark::Event::Start(pulldown_cmark::Tag::Link { .. }))).count();
    let html = events
        .iter()
        .filter(|e| matches!(e, pulldown_cmark::Event::Html(_) | pulldown_cmark::Event::InlineHtml(_)))
        .count();
    assert_eq!((links, html), (0, 0), "{md}");
    let code: String = events
        .iter()
        .filter_map(|e| match e {
            pulldown_cmark::Event::Code(c) => Some(c.to_string()),
            _ => None,
        })
        .collect::<Vec<_>>()
        .join("\n");
    assert!(code.contains("[x](https://evil.example/)`*|<b>"), "{md}");
}

/// Two versions of one API in ../shared/corpus, and what the diff finds between them:
/// (old, new, total, must change, should change, no action, breaking for clients).
/// docs/diff.md records and explains each.
const CORPUS_PAIRS: &[(&str, &str, [usize; 5])] = &[
    // Sundsvall's services, each in an older version kept by a client and its own newer one.
    (
        "sundsvall/integrations/messaging-7.9__via-case-data.yaml",
        "sundsvall/api-service-messaging.yaml",
        [290, 100, 183, 7, 266],
    ),
    (
        "sundsvall/integrations/case-data-13.0__via-casemanagement.yaml",
        "sundsvall/api-service-case-data.yaml",
        [2, 2, 0, 0, 0],
    ),
    (
        "sundsvall/integrations/party-2.0__via-messaging.yaml",
        "sundsvall/integrations/party-2.1__via-casemanagement.yaml",
        [30, 10, 20, 0, 26],
    ),
    // Copies of one version kept by different clients.
    (
        "sundsvall/integrations/eventlog-2.1__via-case-data.yaml",
        "sundsvall/integrations/eventlog-2.1__via-casemanagement.yaml",
        [0; 5],
    ),
    (
        "sundsvall/integrations/eventlog-2.1__via-case-data.yaml",
        "sundsvall/integrations/eventlog-2.1__via-support-management.yaml",
        [15, 5, 10, 0, 0],
    ),
    (
        "sundsvall/integrations/eventlog-2.1__via-casemanagement.yaml",
        "sundsvall/integrations/eventlog-2.1__via-support-management.yaml",
        [15, 5, 10, 0, 0],
    ),
    (
        "sundsvall/integrations/email-reader-4.2__via-case-data.yaml",
        "sundsvall/integrations/email-reader-4.2__via-support-management.yaml",
        [0; 5],
    ),
    (
        "sundsvall/integrations/messaging-settings-2.0__via-case-data.yaml",
        "sundsvall/integrations/messaging-settings-2.0__via-support-management.yaml",
        [0; 5],
    ),
    // Stripe's API on two dates, and GitHub Enterprise Server 2.19 and 3.8.
    ("large/stripe-spec3-2022-04-12.json", "large/stripe-spec3-2023-09-12.yaml", [181752, 18139, 127873, 35740, 59362]),
    ("apisguru/github.com__ghes-2.19.json", "apisguru/github.com__ghes-3.8.json", [3054, 854, 1898, 302, 405]),
];

fn corpus_root() -> PathBuf {
    let root = project_root().join("../shared/corpus");
    assert!(
        root.is_dir(),
        "../shared/corpus is absent ({}): the corpus tests need the real descriptions kept beside the project",
        root.display()
    );
    root
}

#[test]
fn corpus_diff_of_every_version_pair_runs_and_counts_as_recorded() {
    let root = corpus_root();
    let mut wrong = Vec::new();
    for (old, new, expected) in CORPUS_PAIRS {
        let out =
            konform().arg("diff").arg(root.join(old)).arg(root.join(new)).args(["--format", "json"]).output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(0), "{old} → {new}: {stderr}");
        let v: Value = serde_json::from_slice(&out.stdout).unwrap();
        let s = &v["summary"];
        let got = ["total", "must_change", "should_change", "no_action", "breaking_for_clients"]
            .map(|k| s[k].as_u64().unwrap() as usize);
        if got != *expected {
            wrong.push(format!("{old} → {new}: {got:?} (recorded: {expected:?})"));
        }
    }
    assert!(wrong.is_empty(), "counts differ from docs/diff.md:\n{}", wrong.join("\n"));
}

#[test]
fn corpus_diff_of_githubs_description_with_itself_is_empty() {
    let github = corpus_root().join("large/github-api.github.com.json");
    let out = konform().arg("diff").arg(&github).arg(&github).args(["--format", "json"]).output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["summary"]["total"], 0);
    assert!(v["findings"].as_array().unwrap().is_empty());
}
