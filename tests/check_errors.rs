//! Every bad input `konform check` promises to handle: exit code 2 and a message that names
//! the file, line and column (and, where it helps, a suggestion).

mod common;

use common::{check_in, edit, konform, minimal_catalogue, project_root};

const SUITE: &str = "pets/1.0.0/scenarios/main.yaml";

fn assert_invalid(run: &common::Run, location: &str, message: &str) {
    assert_eq!(run.code, 2, "exit code\nstdout:\n{}\nstderr:\n{}", run.stdout, run.stderr);
    assert!(run.stderr.contains(location), "expected location {location:?} in:\n{}", run.stderr);
    assert!(run.stderr.contains(message), "expected {message:?} in:\n{}", run.stderr);
}

#[test]
fn the_minimal_catalogue_is_clean() {
    let dir = minimal_catalogue();
    let run = check_in(dir.path());
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.contains("0 errors"), "{}", run.stdout);
    // `konform check .` names the folder it checked as `.`, not as nothing.
    assert!(run.stdout.starts_with("checked . (1 specification"), "{}", run.stdout);
}

#[test]
fn malformed_yaml() {
    let dir = minimal_catalogue();
    edit(&dir.path().join(SUITE), "expect:\n          status: 201", "expect:\n          status: [201");
    let run = check_in(dir.path());
    assert_invalid(&run, &format!("{SUITE}:12:"), "invalid YAML");
    assert!(
        !run.stderr.contains("is not covered"),
        "no cascade of coverage errors from an unreadable suite:\n{}",
        run.stderr
    );
}

#[test]
fn unknown_key_in_a_suite() {
    let dir = minimal_catalogue();
    edit(&dir.path().join(SUITE), "        expect:\n          status: 201", "        expct:\n          status: 201");
    let run = check_in(dir.path());
    assert_invalid(&run, &format!("{SUITE}:10:9"), "unknown field `expct`");
}

#[test]
fn unknown_operation_id_with_suggestion() {
    let dir = minimal_catalogue();
    edit(&dir.path().join(SUITE), "operation: getPet", "operation: getpet");
    let run = check_in(dir.path());
    assert_invalid(&run, &format!("{SUITE}:15:20"), "names operation `getpet`");
    assert!(run.stderr.contains("did you mean `getPet`?"), "{}", run.stderr);
}

#[test]
fn missing_ref_target() {
    let dir = minimal_catalogue();
    edit(&dir.path().join("pets/1.0.0/openapi.yaml"), "schemas/NewPet\" }", "schemas/NewPett\" }");
    let run = check_in(dir.path());
    assert_invalid(&run, "pets/1.0.0/openapi.yaml:13:", "unresolved `$ref: #/components/schemas/NewPett`");
    assert!(run.stderr.contains("did you mean `NewPet`?"), "{}", run.stderr);
}

#[test]
fn swagger_2_document() {
    let run: common::Run = konform()
        .current_dir(project_root())
        .args(["check", "fixtures/openapi/swagger2.yaml"])
        .output()
        .unwrap()
        .into();
    assert_invalid(
        &run,
        "fixtures/openapi/swagger2.yaml:1:1",
        "is a Swagger 2.0 document; konform reads OpenAPI 3.0 and 3.1",
    );
}

#[test]
fn swagger_2_document_inside_a_catalogue() {
    let dir = minimal_catalogue();
    std::fs::copy(project_root().join("fixtures/openapi/swagger2.yaml"), dir.path().join("pets/1.0.0/openapi.yaml"))
        .unwrap();
    let run = check_in(dir.path());
    assert_invalid(&run, "pets/1.0.0/openapi.yaml:1:1", "Swagger 2.0");
}

#[test]
fn missing_fixture() {
    let dir = minimal_catalogue();
    edit(&dir.path().join(SUITE), "fixtures/pet.json", "fixtures/cat.json");
    let run = check_in(dir.path());
    assert_invalid(&run, &format!("{SUITE}:9:20"), "fixture `fixtures/cat.json` does not exist");
}

#[test]
fn fixture_invalid_against_the_request_schema() {
    let dir = minimal_catalogue();
    std::fs::write(dir.path().join("pets/1.0.0/fixtures/pet.json"), "{\n  \"name\": \"Fido\",\n  \"age\": 0\n}\n")
        .unwrap();
    let run = check_in(dir.path());
    // `age` has minimum 0 with the OpenAPI 3.0 boolean exclusiveMinimum: 0 is out of range.
    assert_invalid(
        &run,
        "pets/1.0.0/fixtures/pet.json:3:10",
        "is invalid against the `createPet` request schema: `/age`",
    );
}

#[test]
fn fixture_with_a_wrong_type() {
    let dir = minimal_catalogue();
    std::fs::write(dir.path().join("pets/1.0.0/fixtures/pet.json"), "{ \"name\": 7 }\n").unwrap();
    let run = check_in(dir.path());
    assert_invalid(&run, "pets/1.0.0/fixtures/pet.json:1:11", "`/name`");
}

#[test]
fn nullable_is_honoured_for_openapi_3_0() {
    let dir = minimal_catalogue();
    std::fs::write(dir.path().join("pets/1.0.0/fixtures/pet.json"), "{ \"name\": \"Fido\", \"age\": null }\n").unwrap();
    let run = check_in(dir.path());
    assert_eq!(run.code, 0, "{}", run.stderr);
}

#[test]
fn uncovered_requirement() {
    let dir = minimal_catalogue();
    edit(&dir.path().join(SUITE), "covers: [PET-001, PET-002]", "covers: [PET-001]");
    let run = check_in(dir.path());
    assert_invalid(
        &run,
        "pets/1.0.0/requirements.yaml:6:9",
        "requirement PET-002 (should) is not covered by any scenario",
    );
}

#[test]
fn an_uncovered_requirement_of_a_draft_is_a_warning() {
    let dir = minimal_catalogue();
    edit(&dir.path().join(SUITE), "covers: [PET-001, PET-002]", "covers: [PET-001]");
    edit(&dir.path().join("pets/1.0.0/spec.yaml"), "status: active", "status: draft");
    let run = check_in(dir.path());
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stderr.contains("requirement PET-002 (should) is not covered by any scenario"), "{}", run.stderr);
    assert!(run.stdout.contains("0 errors, 1 warning"), "{}", run.stdout);
}

#[test]
fn unknown_requirement_in_covers() {
    let dir = minimal_catalogue();
    edit(&dir.path().join(SUITE), "covers: [PET-001, PET-002]", "covers: [PET-001, PET-002, PET-02]");
    let run = check_in(dir.path());
    assert_invalid(&run, &format!("{SUITE}:4:32"), "covers `PET-02`, which is not a requirement of pets@1.0.0");
}

#[test]
fn variable_used_before_capture() {
    let dir = minimal_catalogue();
    edit(&dir.path().join(SUITE), "petId: $.id", "id: $.id");
    let run = check_in(dir.path());
    assert_invalid(&run, &format!("{SUITE}:16:"), "uses `{{ petId }}` before any step captures it");
}

#[test]
fn unknown_query_parameter() {
    let dir = minimal_catalogue();
    edit(
        &dir.path().join(SUITE),
        "        expect:\n          status: 200",
        "        query: { verbos: true }\n        expect:\n          status: 200",
    );
    let run = check_in(dir.path());
    assert_invalid(&run, &format!("{SUITE}:17:18"), "has no query parameter `verbos`");
    assert!(run.stderr.contains("did you mean `verbose`?"), "{}", run.stderr);
}

#[test]
fn missing_path_parameter() {
    let dir = minimal_catalogue();
    edit(
        &dir.path().join(SUITE),
        "path: { shop: \"{{ shop }}\", petId: \"{{ petId }}\" }",
        "path: { shop: \"{{ shop }}\" }",
    );
    let run = check_in(dir.path());
    assert_invalid(&run, &format!("{SUITE}:14:9"), "does not give the required path parameter `petId`");
}

#[test]
fn invalid_jsonpath_and_regex() {
    let dir = minimal_catalogue();
    edit(
        &dir.path().join(SUITE),
        "            $.name: Fido",
        "            $.name[: Fido\n            $.id: { matches: \"(open\" }",
    );
    let run = check_in(dir.path());
    assert_invalid(&run, &format!("{SUITE}:20:13"), "is not a valid JSONPath");
    assert!(run.stderr.contains(&format!("{SUITE}:21:19")), "{}", run.stderr);
    assert!(run.stderr.contains("invalid regular expression `(open`"), "{}", run.stderr);
}

/// A path nesting brackets deeper than the limit is refused before the JSONPath parser,
/// whose time to reject it grows fourfold per level (found by fuzzing).
#[test]
fn deeply_nested_jsonpath() {
    let dir = minimal_catalogue();
    let deep = format!("$.a{}", "[?@..[?@.b".repeat(10));
    edit(&dir.path().join(SUITE), "            $.name: Fido", &format!("            \"{deep}\": Fido"));
    let started = std::time::Instant::now();
    let run = check_in(dir.path());
    // (miette wraps the message's line after "nests".)
    assert_invalid(&run, &format!("{SUITE}:20:13"), "brackets 20 deep; a JSONPath may nest them at most 6 deep");
    // Not a timing test: parsing this path unguarded takes hours, so a hang would show.
    assert!(started.elapsed() < std::time::Duration::from_secs(120));
}

#[test]
fn unclosed_template() {
    let dir = minimal_catalogue();
    edit(&dir.path().join(SUITE), "path: { shop: \"{{ shop }}\" }", "path: { shop: \"{{ shop \" }");
    let run = check_in(dir.path());
    assert_invalid(&run, &format!("{SUITE}:8:24"), "`{{` is not closed by `}}`");
}

#[test]
fn duplicate_scenario_and_requirement_ids() {
    let dir = minimal_catalogue();
    let req = dir.path().join("pets/1.0.0/requirements.yaml");
    edit(&req, "  - id: PET-002", "  - id: PET-001");
    let run = check_in(dir.path());
    assert_invalid(&run, "pets/1.0.0/requirements.yaml:6:9", "requirement id `PET-001` is used twice");

    let dir = minimal_catalogue();
    let suite = dir.path().join(SUITE);
    let mut text = std::fs::read_to_string(&suite).unwrap();
    let lines = text.lines().count();
    text.push_str(
        "  - id: create-and-read\n    title: { sv: Igen, en: Again }\n    covers: [PET-001]\n    steps:\n      - operation: getPet\n        path: { shop: \"{{ shop }}\", petId: \"1\" }\n        expect: { status: 200 }\n",
    );
    std::fs::write(&suite, text).unwrap();
    let run = check_in(dir.path());
    let at = format!("{SUITE}:{}:9", lines + 1);
    assert_invalid(&run, &at, "scenario id `create-and-read` is used twice in pets@1.0.0");
}

#[test]
fn invalid_metadata() {
    let dir = minimal_catalogue();
    edit(&dir.path().join("pets/1.0.0/spec.yaml"), "status: active", "status: released");
    let run = check_in(dir.path());
    assert_invalid(&run, "pets/1.0.0/spec.yaml:3:9", "unknown variant `released`");
}

#[test]
fn remote_refs_are_not_fetched() {
    let dir = minimal_catalogue();
    edit(
        &dir.path().join("pets/1.0.0/openapi.yaml"),
        "\"#/components/schemas/NewPet\" }",
        "\"https://example.org/pet.yaml#/NewPet\" }",
    );
    let run = check_in(dir.path());
    assert_invalid(&run, "pets/1.0.0/openapi.yaml:13:", "points at a remote document");
}

#[test]
fn a_missing_catalogue_folder() {
    let run: common::Run = konform().args(["check", "/nonexistent/catalogue"]).output().unwrap().into();
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("does not exist"), "{}", run.stderr);
}

#[test]
fn the_project_catalogue_is_clean() {
    let run: common::Run =
        konform().current_dir(project_root()).args(["check", "conformance-suites"]).output().unwrap().into();
    assert_eq!(run.code, 0, "{}\n{}", run.stdout, run.stderr);
    // The one warning time alone can bring: a version whose sunset has passed still says
    // `status: deprecated` (the maintainers' cue to retire it). Any other is a defect.
    let overtaken = run.stderr.matches("catalogue::lifecycle-overtaken").count();
    let expected =
        if overtaken == 0 { "0 errors, 0 warnings".to_string() } else { format!("0 errors, {overtaken} warning") };
    assert!(run.stdout.contains(&expected), "{}\n{}", run.stdout, run.stderr);
}

#[test]
fn variable_in_an_expectation_that_nothing_defines() {
    let dir = minimal_catalogue();
    edit(&dir.path().join(SUITE), "            $.name: Fido", "            $.name: \"{{ petNme }}\"");
    let run = check_in(dir.path());
    assert_invalid(&run, &format!("{SUITE}:20:21"), "uses `{{ petNme }}` before any step captures it");
}

#[test]
fn a_scenario_whose_every_step_is_setup() {
    let dir = minimal_catalogue();
    let suite = dir.path().join(SUITE);
    edit(&suite, "          petId: $.id\n", "          petId: $.id\n        setup: true\n");
    edit(&suite, "            $.name: Fido\n", "            $.name: Fido\n        setup: true\n");
    let run = check_in(dir.path());
    assert_invalid(&run, &format!("{SUITE}:6:7"), "every step of this scenario is `setup: true`");
}

#[test]
fn a_cleanup_step_marked_setup() {
    let dir = minimal_catalogue();
    let suite = dir.path().join(SUITE);
    let cleanup = "    cleanup:\n      - operation: getPet\n        path: { shop: \"{{ shop }}\", petId: \"{{ petId }}\" }\n        setup: true\n";
    let mut text = std::fs::read_to_string(&suite).unwrap();
    text.push_str(cleanup);
    std::fs::write(&suite, text).unwrap();
    let run = check_in(dir.path());
    assert_invalid(&run, &format!("{SUITE}:24:16"), "a cleanup step cannot be a setup step");
}

const META: &str = "pets/1.0.0/spec.yaml";

/// The minimal catalogue with its spec.yaml's `status: active` line replaced.
fn with_lifecycle(status_and_lifecycle: &str) -> tempfile::TempDir {
    let dir = minimal_catalogue();
    edit(&dir.path().join(META), "status: active\n", status_and_lifecycle);
    dir
}

#[test]
fn lifecycle_dates_out_of_order() {
    let dir = with_lifecycle("status: active\nlifecycle:\n  published: 2026-05-01\n  sunset: 2026-04-30\n");
    let run = check_in(dir.path());
    assert_invalid(&run, &format!("{META}:6:11"), "`sunset` (2026-04-30) comes before `published` (2026-05-01)");
}

#[test]
fn lifecycle_date_that_is_not_a_date() {
    let dir = with_lifecycle("status: active\nlifecycle:\n  published: 2026-13-01\n");
    let run = check_in(dir.path());
    assert_invalid(&run, &format!("{META}:5:14"), "`2026-13-01` is not a date");
}

#[test]
fn a_deprecated_version_without_its_sunset_and_successor() {
    let dir = with_lifecycle("status: deprecated\nlifecycle:\n  deprecated: 2026-01-01\n");
    let run = check_in(dir.path());
    assert_invalid(&run, &format!("{META}:3:9"), "pets@1.0.0 is deprecated but its `lifecycle` has no `sunset`");
    assert!(run.stderr.contains("has no `replaced_by`"), "{}", run.stderr);
}

#[test]
fn a_successor_the_catalogue_does_not_have() {
    let dir = with_lifecycle(
        "status: deprecated\nlifecycle:\n  deprecated: 2026-01-01\n  sunset: 2026-07-01\n  replaced_by: 2.0.0\n",
    );
    let run = check_in(dir.path());
    assert_invalid(&run, &format!("{META}:7:16"), "names `replaced_by: 2.0.0`, a version the catalogue does not have");
}

#[test]
fn more_active_versions_than_the_catalogue_allows() {
    let dir = minimal_catalogue();
    for v in ["1.1.0", "1.2.0"] {
        common::copy_tree(&dir.path().join("pets/1.0.0"), &dir.path().join("pets").join(v));
        edit(&dir.path().join("pets").join(v).join("spec.yaml"), "version: 1.0.0", &format!("version: {v}"));
    }
    assert_eq!(check_in(dir.path()).code, 0, "no limit without catalogue.yaml");
    std::fs::write(dir.path().join("catalogue.yaml"), "max_active_versions: 2\n").unwrap();
    let run = check_in(dir.path());
    assert_invalid(
        &run,
        &format!("{META}:3:9"),
        "pets has 3 active versions (1.0.0, 1.1.0, 1.2.0); catalogue.yaml allows at most 2",
    );
    std::fs::write(dir.path().join("catalogue.yaml"), "max_active: 2\n").unwrap();
    assert_invalid(&check_in(dir.path()), "catalogue.yaml:1:1", "unknown field `max_active`");
}

#[test]
fn a_status_its_own_dates_have_overtaken_is_a_warning() {
    let dir = with_lifecycle("status: active\nlifecycle:\n  published: 2020-01-01\n  deprecated: 2021-01-01\n  sunset: 2099-01-01\n  replaced_by: 1.0.1\n");
    let run = check_in(dir.path());
    assert_eq!(run.code, 2, "replaced_by 1.0.1 does not exist: {}", run.stderr);
    assert!(run.stderr.contains("says `status: active`, but by its dates it is deprecated"), "{}", run.stderr);
    assert!(run.stderr.contains("set `status: deprecated`"), "{}", run.stderr);
}

#[test]
fn a_generate_section_that_names_no_operation_or_lists_a_check_with_nothing_to_test() {
    let dir = minimal_catalogue();
    let spec = dir.path().join("pets/1.0.0/spec.yaml");
    let text = std::fs::read_to_string(&spec).unwrap();
    // Line 10: the checks; line 11: the exclusions. The pets description has no required
    // header, so `missing-headers` would stay not tested in every run.
    std::fs::write(
        &spec,
        format!("{text}generate:\n  checks: [negative-data, missing-headers]\n  exclude: [getpet, auth/getPett]\n"),
    )
    .unwrap();
    let run = check_in(dir.path());
    assert_invalid(&run, "pets/1.0.0/spec.yaml:11:13", "generate.exclude names `getpet`, which is no operationId");
    // One check's exclusion names its operation after the check.
    assert_invalid(&run, "pets/1.0.0/spec.yaml:11:21", "generate.exclude names `getPett`, which is no operationId");
    assert!(run.stderr.contains("did you mean `getPet`?"), "{}", run.stderr);
    assert_invalid(&run, "pets/1.0.0/spec.yaml:10:27", "`missing-headers` has nothing to test in pets@1.0.0");
    assert!(!run.stderr.contains("`negative-data` has nothing"), "{}", run.stderr);
    // `run` refuses it too, before anything is sent.
    let run: common::Run = konform()
        .current_dir(dir.path())
        .args(["run", "pets", "--base-url", "http://127.0.0.1:9/", "--catalogue", "."])
        .output()
        .unwrap()
        .into();
    assert_invalid(&run, "spec.yaml:10:27", "`missing-headers` has nothing to test");
}

/// `all`, `any` and `one` take a map of known operators; a mistake inside one is pointed at.
#[test]
fn bad_quantified_expectations() {
    let dir = minimal_catalogue();
    edit(
        &dir.path().join(SUITE),
        "            $.name: Fido",
        "            $.name: Fido\n            $.tags[*]:\n              all:\n                equls: 1\n            \
         $.toys[*]: { any: small }\n            $.ids[*]: { one: { exists: true } }",
    );
    let run = check_in(dir.path());
    assert_invalid(&run, &format!("{SUITE}:23:24"), "unknown operator `equls` (did you mean `equals`?)");
    for wanted in [
        format!("{SUITE}:24:31"),
        "`any` takes a map of operators applied to each match, such as `any: { equals: small }`".into(),
        format!("{SUITE}:25:40"),
        "`exists` inside `one` says nothing of a match".into(),
    ] {
        assert!(run.stderr.contains(&wanted), "{wanted:?} in:\n{}", run.stderr);
    }
}
