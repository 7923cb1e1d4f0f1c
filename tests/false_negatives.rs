//! Departures the automatic conformance check once let pass, and a `konform check` warning
//! that once misled, against the `thing` specification (`fixtures/catalogues/hostile`,
//! copied so a test can add to it) and scripted vendors:
//!
//! * a response documented with JSON content that arrives with no body fails `body-schema`;
//! * a response documented without content that arrives with a body fails
//!   `content-type-documented`, and one without a body passes;
//! * `expect.status: 4XX` is documented when some documented code falls in 4XX; the warning
//!   stays where none does, and a list's undocumented item is pointed at itself.
//! * a multi-match JSONPath means the same whatever the number of matches (issue 21): plain
//!   operators judge the list of matches, `all`, `any` and `one` each match, and `check`
//!   warns of an operator that only makes sense on one value.

mod common;

use std::path::Path;

use common::server::{self, respond};
use common::{check_in, copy_tree, edit, konform, project_root, Run};
use serde_json::Value;

const SUITE: &str = "thing/1.0.0/scenarios/thing.yaml";
const OPENAPI: &str = "thing/1.0.0/openapi.yaml";

/// A copy of the `thing` catalogue.
fn thing() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_tree(&project_root().join("fixtures/catalogues/hostile"), dir.path());
    dir
}

/// A copy of the `thing` catalogue with one more scenario: a GET without credentials,
/// expecting the 401 the document gives no content.
fn catalogue() -> tempfile::TempDir {
    let dir = thing();
    let suite = dir.path().join(SUITE);
    let mut text = std::fs::read_to_string(&suite).unwrap();
    text.push_str(
        r#"  - id: unauthenticated
    title: { sv: Utan inloggning, en: Without credentials }
    covers: [THING-001]
    steps:
      - operation: getThing
        auth: none
        expect: { status: 401 }
"#,
    );
    std::fs::write(&suite, text).unwrap();
    dir
}

/// A vendor that answers a GET with the bearer token 200 with `thing` as JSON, and one
/// without it 401 with `unauthorized` (each: content type, body).
fn vendor(thing: (&'static str, &'static [u8]), unauthorized: (&'static str, &'static [u8])) -> server::RawServer {
    server::start(move |head, stream| {
        let authorized = head.lines().any(|l| l.eq_ignore_ascii_case("authorization: Bearer t0ken"));
        let ((content_type, body), status) =
            if authorized { (thing, "200 OK") } else { (unauthorized, "401 Unauthorized") };
        let headers: &[(&str, &str)] = if content_type.is_empty() { &[] } else { &[("Content-Type", content_type)] };
        let headers = headers.to_vec();
        async move { respond(stream, status, &headers, body).await }
    })
}

const THING: (&str, &[u8]) = ("application/json", br#"{"name":"thing"}"#);

/// Runs every scenario of `thing` (no filter, so a clean run is certified).
fn run(catalogue: &Path, url: &str) -> (Run, Value) {
    let dir = tempfile::tempdir().unwrap();
    let json = dir.path().join("r.json");
    let run: Run = konform()
        .args(["run", "thing", "--catalogue", &catalogue.display().to_string(), "--base-url", url])
        .args(["--bearer-token", "t0ken", "--jobs", "1", "--timeout", "5s"])
        .arg("--report")
        .arg(format!("json={}", json.display()))
        .output()
        .unwrap()
        .into();
    let text = std::fs::read_to_string(&json).unwrap_or_else(|e| panic!("no report ({e}):\n{}", run.stderr));
    let report: Value = serde_json::from_str(&text).unwrap();
    common::assert_fits_schema(&report);
    (run, report)
}

/// (name, passed) of every check of every step of a scenario.
fn checks(report: &Value, scenario: &str) -> Vec<Vec<(String, bool)>> {
    let scenario = report["specifications"][0]["scenarios"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["id"] == scenario)
        .unwrap_or_else(|| panic!("no scenario {scenario}"));
    scenario["steps"]
        .as_array()
        .unwrap()
        .iter()
        .map(|step| {
            step["checks"]
                .as_array()
                .unwrap()
                .iter()
                .map(|c| (c["name"].as_str().unwrap().to_string(), c["passed"].as_bool().unwrap()))
                .collect()
        })
        .collect()
}

/// "check: message" of each failed check of a scenario.
fn failed_messages(report: &Value, scenario: &str) -> Vec<String> {
    let mut out = Vec::new();
    for scenario in report["specifications"][0]["scenarios"].as_array().unwrap().iter().filter(|s| s["id"] == scenario)
    {
        for step in scenario["steps"].as_array().unwrap() {
            for c in step["checks"].as_array().unwrap().iter().filter(|c| c["passed"] == false) {
                out.push(format!("{}: {}", c["name"].as_str().unwrap(), c["message"].as_str().unwrap()));
            }
        }
    }
    out
}

fn owned(list: &[(&str, bool)]) -> Vec<(String, bool)> {
    list.iter().map(|(n, p)| (n.to_string(), *p)).collect()
}

#[test]
fn a_json_response_without_a_body_fails_body_schema() {
    // GET /thing answers 200 as application/json, with nothing in it. `get-thing-three-times`
    // expects only the status, so nothing but the automatic check can see the departure.
    let vendor = vendor(("application/json", b""), ("", b""));
    let dir = catalogue();
    let (run, report) = run(dir.path(), &vendor.url());
    assert_eq!(run.code, 1, "{}\n{}", run.stdout, run.stderr);
    let expected = owned(&[("status-documented", true), ("body-schema", false), ("status", true)]);
    assert_eq!(checks(&report, "get-thing-three-times"), vec![expected; 3]);
    let said = "body-schema: the document gives the 200 response a body (application/json), but it arrived with none";
    assert_eq!(failed_messages(&report, "get-thing-three-times"), vec![said.to_string(); 3]);
    assert_eq!(report["specifications"][0]["requirements"][0]["verdict"], "fail");
    assert!(run.stdout.contains(said), "the terminal says it:\n{}", run.stdout);
    // The 401 the document gives no content came without one: that step passes.
    assert_eq!(checks(&report, "unauthenticated"), vec![owned(&[("status-documented", true), ("status", true)])]);
}

#[test]
fn a_body_on_a_response_documented_without_content_fails_content_type_documented() {
    // The document gives 401 no content; this vendor sends problem details anyway.
    const PROBLEM: &[u8] = br#"{"title":"Unauthorized","status":401}"#;
    let vendor = vendor(THING, ("application/problem+json", PROBLEM));
    let dir = catalogue();
    let (run, report) = run(dir.path(), &vendor.url());
    assert_eq!(run.code, 1, "{}\n{}", run.stdout, run.stderr);
    let expected = owned(&[("status-documented", true), ("content-type-documented", false), ("status", true)]);
    assert_eq!(checks(&report, "unauthenticated"), vec![expected]);
    let said = format!(
        "content-type-documented: the document says the 401 response has no body, but it had {} bytes of \
         application/problem+json",
        PROBLEM.len()
    );
    assert_eq!(failed_messages(&report, "unauthenticated"), vec![said]);
    assert_eq!(report["specifications"][0]["requirements"][0]["verdict"], "fail");
}

#[test]
fn the_same_vendor_without_the_departures_is_certified() {
    let vendor = vendor(THING, ("", b""));
    let dir = catalogue();
    let (run, report) = run(dir.path(), &vendor.url());
    assert_eq!(run.code, 0, "{}\n{}", run.stdout, run.stderr);
    assert_eq!(report["verdict"], "certified");
    assert_eq!(checks(&report, "unauthenticated"), vec![owned(&[("status-documented", true), ("status", true)])]);
}

/// The copied catalogue with the `get-thing` step expecting `status` (YAML) instead of 200.
fn expecting(status: &str) -> tempfile::TempDir {
    let dir = thing();
    edit(
        &dir.path().join(SUITE),
        "      - operation: getThing\n        expect:\n          status: 200",
        &format!("      - operation: getThing\n        expect:\n          status: {status}"),
    );
    dir
}

fn assert_no_warning(run: &Run) {
    assert_eq!(run.code, 0, "{}\n{}", run.stdout, run.stderr);
    assert!(run.stdout.contains("0 errors, 0 warnings"), "{}\n{}", run.stdout, run.stderr);
    assert!(!run.stderr.contains("undocumented-status"), "{}", run.stderr);
}

#[test]
fn a_status_range_is_documented_by_the_codes_it_covers() {
    // 401 and 422 are documented (no 4XX key): a step expecting 4XX gets no warning.
    let dir = expecting("4XX");
    edit(
        &dir.path().join(OPENAPI),
        "        \"401\":\n          description: no valid credentials\n",
        "        \"401\":\n          description: no valid credentials\n        \"422\":\n          description: invalid\n",
    );
    assert_no_warning(&check_in(dir.path()));
    // A list whose every item is documented, a code within a range, likewise.
    assert_no_warning(&check_in(expecting("[200, 401]").path()));
}

#[test]
fn a_status_range_with_no_documented_code_in_it_is_still_warned_of() {
    // Without the 401, nothing documented falls in 4XX.
    let dir = expecting("\"4XX\"");
    edit(&dir.path().join(OPENAPI), "        \"401\":\n          description: no valid credentials\n", "");
    let run = check_in(dir.path());
    assert_eq!(run.code, 0, "a warning is not an error\n{}\n{}", run.stdout, run.stderr);
    assert!(run.stdout.contains("0 errors, 1 warning"), "{}", run.stdout);
    for wanted in [
        "suite::undocumented-status",
        "step `getThing` expects status 4XX, and operation `getThing` documents no status in that range",
        &format!("{SUITE}:8:19"),
        "documented: 200;",
    ] {
        assert!(run.stderr.contains(wanted), "{wanted:?} in:\n{}", run.stderr);
    }
}

#[test]
fn an_undocumented_item_of_a_status_list_is_pointed_at() {
    let run = check_in(expecting("[200, 409]").path());
    assert_eq!(run.code, 0, "{}\n{}", run.stdout, run.stderr);
    assert!(run.stdout.contains("0 errors, 1 warning"), "{}", run.stdout);
    for wanted in [
        "step `getThing` expects status 409, which operation `getThing` does not document",
        // Line 8, column 25: the 409 itself, not the list.
        &format!("{SUITE}:8:25"),
        "documented: 200, 401;",
    ] {
        assert!(run.stderr.contains(wanted), "{wanted:?} in:\n{}", run.stderr);
    }
}

/// The copied catalogue with a scenario judging `items` by multi-match JSONPaths, in each
/// form: plain operators on the list of matches, `all`, `any` and `one`.
fn with_items() -> tempfile::TempDir {
    let dir = thing();
    let suite = dir.path().join(SUITE);
    let mut text = std::fs::read_to_string(&suite).unwrap();
    text.push_str(
        r#"  - id: items
    title: { sv: Sakens delar, en: The thing's items }
    covers: [THING-001]
    steps:
      - operation: getThing
        expect:
          status: 200
          body:
            $.items[*].count: { contains: 1 }
            $.items[*].status: { all: { one_of: [OPEN, CLOSED] } }
            $.items[*]['count']: { any: { equals: 1 } }
            "$.items[?@.status == 'OPEN'].count": { one: { ge: 1 } }
"#,
    );
    std::fs::write(&suite, text).unwrap();
    dir
}

/// The failed expectations of the `items` scenario, each as "check: message".
fn items_failures(body: &'static [u8]) -> (Run, Vec<String>) {
    let vendor = vendor(("application/json", body), ("", b""));
    let dir = with_items();
    let (run, report) = run(dir.path(), &vendor.url());
    (run, failed_messages(&report, "items"))
}

/// Regression (issue 21): `$.items[*].count: { contains: 1 }` failed with "expected contains
/// 1; got 1" when one item matched. Each form now means the same for 0, 1 and many matches.
#[test]
fn multi_match_paths_mean_the_same_for_any_number_of_matches() {
    // One item, as the issue found it: everything holds.
    let (run, failed) = items_failures(br#"{"name":"thing","items":[{"count":1,"status":"OPEN"}]}"#);
    assert_eq!(run.code, 0, "{failed:?}\n{}", run.stderr);
    assert!(failed.is_empty(), "{failed:?}");

    // Three items, one with a status the suite does not allow and none with count 1.
    let (run, failed) = items_failures(
        br#"{"name":"thing","items":[{"count":2,"status":"OPEN"},{"count":3,"status":"CLOSED"},{"count":4,"status":"LOST"}]}"#,
    );
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_eq!(
        failed,
        [
            "body $.items[*].count: expected contains 1; got [2,3,4]",
            "body $.items[*].status: expected every match one of [\"OPEN\", \"CLOSED\"], but 1 of 3 do not: \
             $['items'][2]['status'] is \"LOST\" (expected one of [\"OPEN\", \"CLOSED\"])",
            "body $.items[*]['count']: expected some match equals 1, but none of 3 does: $['items'][0]['count'] is 2 \
             (expected equals 1)",
        ]
    );
    assert!(run.stdout.contains("$['items'][2]['status'] is \"LOST\""), "the terminal says it:\n{}", run.stdout);

    // No item: `all` holds of none, while `any`, `one` and `contains` cannot.
    let (run, failed) = items_failures(br#"{"name":"thing","items":[]}"#);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_eq!(
        failed,
        [
            "body $.items[*].count: expected contains 1; got []",
            "body $.items[*]['count']: expected some match equals 1, but the path matches nothing",
            "body $.items[?@.status == 'OPEN'].count: expected exactly one match, >= 1, but the path matches nothing",
        ]
    );

    // Two OPEN items: `one` names how many matched.
    let (_, failed) =
        items_failures(br#"{"name":"thing","items":[{"count":1,"status":"OPEN"},{"count":5,"status":"OPEN"}]}"#);
    assert_eq!(
        failed,
        ["body $.items[?@.status == 'OPEN'].count: expected exactly one match, >= 1, but the path has 2 matches"]
    );
}

/// `konform check` warns, at the path, of a multi-match path with an operator that only
/// makes sense on one value, and of a quantifier on a singular path; exit 0.
#[test]
fn check_warns_of_a_multi_match_path_judged_as_one_value() {
    let dir = with_items();
    let suite = dir.path().join(SUITE);
    edit(
        &suite,
        "            $.items[*].count: { contains: 1 }\n",
        "            $.items[*].count: { contains: 1 }\n            $.items[*]['status']: OPEN\n            \
         $.items..count: { gt: 0, length: 2 }\n            $.items: { all: { type: object } }\n",
    );
    let run = check_in(dir.path());
    assert_eq!(run.code, 0, "a warning is not an error\n{}\n{}", run.stdout, run.stderr);
    assert!(run.stdout.contains("0 errors, 3 warnings"), "{}\n{}", run.stdout, run.stderr);
    let line = |text: &str| {
        let n =
            std::fs::read_to_string(&suite).unwrap().lines().position(|l| l.trim_start().starts_with(text)).unwrap();
        format!("{SUITE}:{}:13", n + 1)
    };
    for wanted in [
        "suite::multi-match-path".to_string(),
        line("$.items[*]['status']: OPEN"),
        "`$.items[*]['status']` can match several values, and `equals` judges the list of them".into(),
        "write `all: { equals: ... }` (every match must pass)".into(),
        line("$.items..count"),
        "and `gt` judges the list".into(),
        "suite::quantifier-on-singular-path".into(),
        line("$.items: { all"),
        "`$.items` selects at most one value, so `all` judges that value, not the items of an array".into(),
    ] {
        assert!(run.stderr.contains(&wanted), "{wanted:?} in:\n{}", run.stderr);
    }
    // Only those: the quantified and list-judging expectations of `items` are not warned of.
    assert_eq!(run.stderr.matches("suite::multi-match-path").count(), 2, "{}", run.stderr);
}
