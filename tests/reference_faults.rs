//! The reference vendor is certified when clean; each fault is caught as the requirement and
//! check it breaks, and no other must requirement changes verdict.

mod common;

use common::{konform, project_root, Run};
use serde_json::Value;

fn demo(extra: &[&str]) -> (Run, Value) {
    let dir = tempfile::tempdir().unwrap();
    let report = dir.path().join("report.json");
    let mut args = vec!["demo".to_string(), "--report".into(), format!("json={}", report.display())];
    args.extend(extra.iter().map(|s| s.to_string()));
    let run: Run = konform().current_dir(project_root()).args(&args).output().unwrap().into();
    let text =
        std::fs::read_to_string(&report).unwrap_or_else(|e| panic!("no report ({e}):\n{}\n{}", run.stdout, run.stderr));
    let report: Value = serde_json::from_str(&text).unwrap();
    common::assert_fits_schema(&report);
    (run, report)
}

/// (requirement id, level, verdict, specification@version) across every specification run.
fn requirements(report: &Value) -> Vec<(String, String, String, String)> {
    let mut out = Vec::new();
    for spec in report["specifications"].as_array().unwrap() {
        let key = format!("{}@{}", spec["id"].as_str().unwrap(), spec["version"].as_str().unwrap());
        for r in spec["requirements"].as_array().unwrap() {
            out.push((
                r["id"].as_str().unwrap().to_string(),
                r["level"].as_str().unwrap().to_string(),
                r["verdict"].as_str().unwrap().to_string(),
                key.clone(),
            ));
        }
    }
    out
}

#[test]
fn the_clean_reference_vendor_is_certified() {
    let (run, report) = demo(&[]);
    assert_eq!(run.code, 0, "{}\n{}", run.stdout, run.stderr);
    assert_eq!(report["verdict"], "certified");
    assert_eq!(report["partial"], false);
    assert_eq!(report["interrupted"], false);
    let all = requirements(&report);
    // Every version in force today, as the catalogue's own listing for today says.
    let today = humantime::format_rfc3339_seconds(std::time::SystemTime::now()).to_string()[..10].to_string();
    let listing = konform()
        .current_dir(project_root())
        .args(["catalogue", "list", "--format", "json", "--at", &today])
        .output()
        .unwrap();
    let listing: Value = serde_json::from_slice(&listing.stdout).unwrap();
    let in_force: Vec<String> = listing["specifications"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| format!("{}@{}", s["id"].as_str().unwrap(), s["version"].as_str().unwrap()))
        .collect();
    assert!(in_force.len() >= 5 && in_force.contains(&"case-intake@2.0.0".to_string()), "{in_force:?}");
    for spec in &in_force {
        assert!(all.iter().any(|r| r.3 == *spec), "demo runs every version in force: {spec} is missing");
    }
    // A requirement people verify (`verification: attestation`) is not tested without an
    // attestation; every other one passes.
    let by_people: Vec<String> = report["specifications"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|s| {
            let key = format!("{}@{}", s["id"].as_str().unwrap(), s["version"].as_str().unwrap());
            let reqs = s["requirements"].as_array().unwrap().iter();
            reqs.filter(|r| r["verification"] == "attestation")
                .map(move |r| format!("{key} {}", r["id"].as_str().unwrap()))
        })
        .collect();
    assert_eq!(by_people, ["building-permit@1.0.0 PERMIT-011"]);
    for (id, _, verdict, spec) in all {
        let expected = if by_people.contains(&format!("{spec} {id}")) { "not_tested" } else { "pass" };
        assert_eq!(verdict, expected, "{spec} {id}");
    }
    assert!(run.stdout.contains("CERTIFIED"), "{}", run.stdout);
    assert_eq!(report["counts"]["steps_failed"], 0);
}

/// (fault, requirements it breaks (comma-separated), verdict, the failing check's name,
/// text in its message or the step reason)
const FAULTS: [(&str, &str, &str, &str, &str); 27] = [
    // The process requirements (`case-handling/...`, derived from the case-handling process)
    // a fault breaks too: their scenarios test the same operations.
    ("wrong-status", "CASE-008,case-handling/add-information", "fail", "status", "expected status 201, got 200"),
    (
        "missing-field",
        "CASE-005,case-handling/submit,case-handling/add-information,case-handling/withdraw,case-handling/supplement/refused,case-handling/add-information/refused,case-handling/withdraw/refused",
        "fail",
        "body-schema",
        "the required property \"updated\" is missing",
    ),
    ("wrong-type", "CASE-006", "fail", "body-schema", "/_meta/totalRecords"),
    ("undocumented-status", "CASE-004", "fail", "status-documented", "status 410 is not documented"),
    (
        "wrong-content-type",
        "CASE-013,FEL.02",
        "fail",
        "content-type-documented",
        "Content-Type text/plain is not documented",
    ),
    ("server-error-on-invalid-input", "CASE-003,CASE-015", "fail", "status", "expected status 400, got 500"),
    ("accept-invalid-input", "CASE-003,CASE-015", "fail", "status", "expected status 400, got 201"),
    ("ignore-auth", "CASE-013", "fail", "status", "expected status 401, got 200"),
    ("slow", "CASE-005", "error", "", "timed out after 1s"),
    ("connection-reset", "CASE-006", "error", "", "connection"),
    ("invalid-json", "CASE-009,case-handling/withdraw", "fail", "body-schema", "not valid JSON"),
    ("ignore-paging", "CASE-006", "fail", "body $.cases", "length = 1"),
    ("permit-accepts-bad-designation", "PERMIT-002", "fail", "status", "expected status 400, got 201"),
    ("permit-review-always-complete", "PERMIT-004", "fail", "body $.complete", "equals false"),
    (
        "permit-supplement-keeps-status",
        "PERMIT-005,case-handling/request-supplement",
        "fail",
        "body $.status",
        "SUPPLEMENT_REQUESTED",
    ),
    ("no-api-info", "VER.06", "fail", "profile VER.06", "GET api-info answered 404"),
    ("get-body-accepted", "FOR.02", "fail", "profile FOR.02", "a GET with a body was answered 200"),
    (
        "traceparent-refused",
        "SPA.02",
        "fail",
        "profile SPA.02",
        "GET api-info with a valid traceparent was answered 400, though it succeeded without one",
    ),
    ("msg-ignore-idempotency", "MSG-003", "fail", "body $.messageId", "equals"),
    ("msg-accept-missing-key", "MSG-004", "fail", "status", "expected status 400, got 202"),
    ("msg-status-lowercase", "MSG-006", "fail", "body-schema", "/status"),
    ("export-ignores-since", "EXP-003", "fail", "body $.records", "length = 0"),
    ("export-accepts-bad-since", "EXP-004", "fail", "status", "expected status 400, got 200"),
    ("export-manifest-wrong-type", "EXP-005", "fail", "body-schema", "/count"),
    // Only in what submitApplication answers: the scenarios testing it (a main step answered
    // 201) fail; the eight others that submit an application to prepare pass.
    ("permit-null-description", "PERMIT-001,PERMIT-010,case-handling/submit", "fail", "body-schema", "/description"),
    // Every scenario that submits a case meets it, but only those that test submitting
    // (a main step answered 201) fail: the others submit to prepare, and still pass.
    (
        "no-location-header",
        "CASE-001,CASE-012,CASE-014,case-handling/submit",
        "fail",
        "required-headers",
        "missing required header Location",
    ),
    // The case-handling process forbids a supplement to a withdrawn case (MUST); the
    // specification's own CASE-010 says it as a SHOULD.
    (
        "withdrawn-takes-supplement",
        "case-handling/supplement/refused,case-handling/add-information/refused,CASE-010",
        "fail",
        "status",
        "expected status 409, got 201",
    ),
];

fn failing_evidence(report: &Value, requirement: &str) -> Vec<(String, String)> {
    // (check name or "", message or reason) of every non-passing main step of the scenarios covering it.
    let mut out = Vec::new();
    for sc in report["specifications"].as_array().unwrap().iter().flat_map(|s| s["scenarios"].as_array().unwrap()) {
        if !sc["covers"].as_array().unwrap().iter().any(|c| c == requirement) {
            continue;
        }
        for st in sc["steps"].as_array().unwrap() {
            if st["cleanup"] == true || st["verdict"] == "pass" {
                continue;
            }
            for c in st["checks"].as_array().unwrap() {
                if c["passed"] == false {
                    out.push((c["name"].as_str().unwrap().to_string(), c["message"].as_str().unwrap().to_string()));
                }
            }
            if let Some(reason) = st["reason"].as_str() {
                out.push((String::new(), reason.to_string()));
            }
        }
    }
    out
}

/// (fault, requirement) that a fault leaves without the evidence to judge it: `error`, not
/// `fail` (without api-info, a refused GET with a body proves nothing about bodies).
const UNJUDGED: [(&str, &str); 10] = [
    ("no-api-info", "FOR.02"),
    ("no-api-info", "SPA.02"),
    // Every process scenario of case-intake submits a case: a slow submission times out.
    ("slow", "case-handling/submit"),
    ("slow", "case-handling/add-information"),
    ("slow", "case-handling/withdraw"),
    ("slow", "case-handling/supplement/refused"),
    ("slow", "case-handling/add-information/refused"),
    ("slow", "case-handling/withdraw/refused"),
    // A supplement request that leaves the status as it was never reaches the states these
    // transitions start from: they cannot be judged.
    ("permit-supplement-keeps-status", "case-handling/supplement"),
    ("permit-supplement-keeps-status", "case-handling/add-information"),
];

#[test]
fn each_fault_is_caught_as_the_requirement_it_breaks() {
    let (_, clean) = demo(&[]);
    let clean = requirements(&clean);
    for (fault, breaks, verdict, check, text) in FAULTS {
        let broken: Vec<&str> = breaks.split(',').collect();
        let requirement = broken[0];
        let (run, report) = demo(&["--fault", fault, "--timeout", "1s"]);
        assert_eq!(run.code, 1, "{fault}: exit code\n{}\n{}", run.stdout, run.stderr);
        assert_eq!(report["verdict"], "not_certified", "{fault}");
        let now = requirements(&report);
        assert_eq!(now.len(), clean.len());
        for ((id, level, now, spec), (_, _, before, _)) in now.into_iter().zip(&clean) {
            if id == requirement {
                assert_eq!(now, verdict, "{fault}: {spec} {id}");
            } else if broken.contains(&id.as_str()) {
                // A further requirement the fault also breaks, in the specifications it
                // concerns (checked below); elsewhere it may keep its verdict.
                assert!(now == "fail" || &now == before, "{fault}: {spec} {id} is {now}");
            } else if UNJUDGED.contains(&(fault, id.as_str())) {
                // Not judged for want of evidence (an error, or blocked by a step that
                // prepares), never failed for it.
                assert!(now == "error" || now == "blocked" || &now == before, "{fault}: {spec} {id} is {now}");
            } else if level == "must" {
                assert_eq!(&now, before, "{fault} changed the verdict of {spec} {id}, which it should not touch");
            }
        }
        let verdicts = requirements(&report);
        for also in &broken[1..] {
            assert!(
                verdicts.iter().any(|r| r.0 == *also && r.2 == "fail"),
                "{fault}: {also} fails in no specification"
            );
        }
        let evidence = failing_evidence(&report, requirement);
        assert!(
            evidence.iter().any(|(name, message)| (check.is_empty() || name == check) && message.contains(text)),
            "{fault}: expected a failing `{check}` mentioning {text:?}, found {evidence:#?}"
        );
        // A long id (a process requirement's) wraps in the terminal's table: its start is on one line.
        let shown = &requirement[..requirement.len().min(30)];
        assert!(run.stdout.contains(shown) && run.stdout.contains("NOT CERTIFIED"), "{fault}:\n{}", run.stdout);
    }
}

#[test]
fn a_departure_in_setup_steps_is_listed_once_and_fails_only_the_requirements_testing_it() {
    let (_, report) = demo(&["--fault", "permit-null-description"]);
    let permit = report["specifications"].as_array().unwrap().iter().find(|s| s["id"] == "building-permit").unwrap();
    let departures = permit["departures"].as_array().unwrap();
    assert_eq!(departures.len(), 1, "listed once: {departures:#?}");
    let d = &departures[0];
    assert_eq!(d["operation"], "submitApplication");
    assert_eq!(d["status"], 201);
    assert_eq!(d["check"], "body-schema");
    assert!(d["message"].as_str().unwrap().contains("/description"), "{d:#}");
    // Its count is every response that showed it: every submitApplication answered 201.
    let mut submitted = 0;
    let mut in_setup = 0;
    for sc in permit["scenarios"].as_array().unwrap() {
        for st in sc["steps"].as_array().unwrap() {
            if st["operation"] == "submitApplication" && st["exchange"]["status"] == 201 {
                submitted += 1;
                in_setup += usize::from(st["setup"] == true);
            }
        }
    }
    assert!(in_setup >= 5, "most scenarios submit only to prepare: {in_setup}");
    assert_eq!(d["count"], submitted);
    assert_eq!(d["seen_in"].as_array().unwrap().len(), submitted);
    // The process check of submitting tests it too.
    assert_eq!(d["requirements"], serde_json::json!(["PERMIT-001", "PERMIT-010", "case-handling/submit"]));
    let failed: Vec<&str> = permit["requirements"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["verdict"] != "pass" && r["verification"] != "attestation")
        .map(|r| r["id"].as_str().unwrap())
        .collect();
    assert_eq!(
        failed,
        ["PERMIT-001", "PERMIT-010", "case-handling/submit"],
        "no other requirement is failed or blocked by it"
    );
}

#[test]
fn responses_without_traceparent_fail_spa_04_a_should_everywhere_the_profile_applies() {
    let (run, report) = demo(&["--fault", "no-traceparent"]);
    assert_eq!(run.code, 0, "SPA.04 is a BÖR: the run still certifies\n{}", run.stdout);
    let spa04: Vec<_> = requirements(&report).into_iter().filter(|r| r.0 == "SPA.04").collect();
    assert!(!spa04.is_empty());
    for r in &spa04 {
        assert_eq!((r.1.as_str(), r.2.as_str()), ("should", "fail"), "{}", r.3);
    }
    let evidence = failing_evidence(&report, "SPA.04");
    // The step's reason (no check name) repeats its first failing check.
    assert!(evidence.iter().all(|(check, _)| check.is_empty() || check == "profile SPA.04"), "{evidence:?}");
    assert!(evidence.iter().any(|(_, text)| text.contains("without a traceparent header")), "{evidence:?}");
    assert!(requirements(&report).iter().all(|r| r.0 == "SPA.04" || r.2 != "fail"), "nothing else fails");
}

#[test]
fn a_should_fault_counts_only_with_fail_on_should() {
    let (run, report) = demo(&["--fault", "allow-duplicates"]);
    assert_eq!(run.code, 0, "a failed should does not fail certification by default\n{}", run.stdout);
    for dup in requirements(&report).into_iter().filter(|r| r.0 == "CASE-011") {
        assert_eq!(dup.2, "fail", "{}", dup.3);
    }
    let (run, report) = demo(&["--fault", "allow-duplicates", "--fail-on", "should"]);
    assert_eq!(run.code, 1);
    assert_eq!(report["verdict"], "not_certified");
}

#[test]
fn faults_are_listed_and_unknown_ones_refused() {
    let run: Run = konform().args(["demo", "--list-faults"]).output().unwrap().into();
    assert_eq!(run.code, 0);
    for (fault, breaks, ..) in FAULTS {
        let requirement = breaks.split(',').next().unwrap();
        assert!(run.stdout.contains(fault) && run.stdout.contains(requirement), "{fault} missing:\n{}", run.stdout);
    }
    let run: Run =
        konform().current_dir(project_root()).args(["demo", "--fault", "wrong-stauts"]).output().unwrap().into();
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("did you mean `wrong-status`?"), "{}", run.stderr);
}

#[test]
fn a_filtered_run_is_partial_and_never_certified() {
    let (run, report) = demo(&["--tag", "smoke"]);
    assert_eq!(run.code, 1, "{}", run.stdout);
    assert_eq!(report["partial"], true);
    assert_eq!(report["specifications"][0]["verdict"], "not_certified");
    let reqs = requirements(&report);
    assert_eq!(reqs.iter().find(|r| r.0 == "CASE-001").unwrap().2, "pass");
    assert_eq!(reqs.iter().find(|r| r.0 == "CASE-002").unwrap().2, "not_tested");
}

#[test]
fn the_deadline_stops_the_run_and_marks_it_interrupted() {
    let (run, report) = demo(&["--fault", "slow", "--timeout", "3s", "--deadline", "1s", "--jobs", "1"]);
    assert_eq!(run.code, 3, "an interrupted run could not complete\n{}", run.stdout);
    assert_eq!(report["interrupted"], true);
    let skipped = report["counts"]["steps_skipped"].as_u64().unwrap();
    assert!(skipped > 0, "steps after the deadline are skipped");
    let reasons: Vec<&str> = report["specifications"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|spec| spec["scenarios"].as_array().unwrap().iter())
        .flat_map(|s| s["steps"].as_array().unwrap().iter())
        .filter_map(|st| st["reason"].as_str())
        .collect();
    assert!(reasons.iter().any(|r| r.contains("--deadline was reached")), "{reasons:?}");
    assert_eq!(report["verdict"], "not_certified");
    assert!(run.stdout.contains("INTERRUPTED"), "{}", run.stdout);
}

#[test]
fn variables_come_from_the_environment_and_var_overrides_it() {
    let dir = tempfile::tempdir().unwrap();
    let report_path = dir.path().join("r.json");
    let urls = |report: &Value| -> Vec<String> {
        let urls: Vec<String> = report["specifications"]
            .as_array()
            .unwrap()
            .iter()
            .flat_map(|spec| spec["scenarios"].as_array().unwrap().iter())
            .flat_map(|s| s["steps"].as_array().unwrap().iter())
            .filter_map(|st| st["exchange"]["url"].as_str().map(str::to_string))
            .filter(|u| !u.ends_with("/api-info"))
            .collect();
        assert!(!urls.is_empty(), "the run sent requests");
        urls
    };
    let run: Run = konform()
        .current_dir(project_root())
        .env("KONFORM_VAR_municipalityId", "0999")
        .args(["demo", "--scenario", "submit-case", "--report", &format!("json={}", report_path.display())])
        .output()
        .unwrap()
        .into();
    let report: Value = serde_json::from_str(&std::fs::read_to_string(&report_path).unwrap()).unwrap();
    assert!(urls(&report).iter().all(|u| u.contains("/0999/cases")), "{:?}\n{}", urls(&report), run.stderr);

    // `demo` takes no --var; `run` does: check precedence there.
    let server = konform::reference::start(
        std::net::SocketAddr::from(([127, 0, 0, 1], 0)),
        Default::default(),
        "t0ken-for-vars".into(),
    )
    .unwrap();
    let _: Run = konform()
        .current_dir(project_root())
        .env("KONFORM_VAR_municipalityId", "0999")
        .env("KONFORM_BEARER_TOKEN", "t0ken-for-vars")
        .args([
            "run",
            "case-intake",
            "--base-url",
            &server.url(),
            "--var",
            "municipalityId=1234",
            "--scenario",
            "submit-case",
            "--report",
            &format!("json={}", report_path.display()),
        ])
        .output()
        .unwrap()
        .into();
    let report: Value = serde_json::from_str(&std::fs::read_to_string(&report_path).unwrap()).unwrap();
    assert!(urls(&report).iter().all(|u| u.contains("/1234/cases")), "{:?}", urls(&report));
}

#[test]
fn the_reference_vendor_serves_api_info_without_credentials() {
    let server =
        konform::reference::start(std::net::SocketAddr::from(([127, 0, 0, 1], 0)), Default::default(), "t".into())
            .unwrap();
    konform::net::init_tls();
    let response = reqwest::blocking::get(format!("{}api-info", server.url())).unwrap();
    assert_eq!(response.status().as_u16(), 200);
    let body: Value = response.json().unwrap();
    assert_eq!(body["apiName"], "case-intake");
    assert_eq!(body["specification"], "case-intake@1.1.0");
}

#[test]
fn a_requirement_that_does_not_count_is_not_given_as_why_a_product_is_not_certified() {
    // A failed `should` (CASE-011) and a failed `may` (PERMIT-010) are in the matrix but do
    // not decide: a certified run has no "why not" section, and a failed run lists only the
    // `must` that kept it from certification.
    let dir = tempfile::tempdir().unwrap();
    let html = dir.path().join("r.html");
    let run = |faults: &[&str]| -> (i32, String) {
        let mut args = vec!["demo", "--jobs", "2"];
        for f in faults {
            args.extend(["--fault", f]);
        }
        let report = format!("html={}", html.display());
        args.extend(["--report", &report]);
        let out = konform().current_dir(project_root()).args(&args).output().unwrap();
        (out.status.code().unwrap_or(-1), std::fs::read_to_string(&html).unwrap())
    };
    let (code, page) = run(&["allow-duplicates"]);
    assert_eq!(code, 0);
    assert!(!page.contains("id=\"why\""), "a certified product has no why-not section");
    let (code, page) = run(&["allow-duplicates", "permit-null-description"]);
    assert_eq!(code, 1);
    let why = &page[page.find("id=\"why\"").expect("a why-not section")..];
    let why = &why[..why.find("</section>").unwrap()];
    assert!(why.contains("PERMIT-001"), "{why}");
    assert!(!why.contains("PERMIT-010") && !why.contains("CASE-011"), "{why}");
}
