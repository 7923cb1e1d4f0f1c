//! Waivers accept a known deviation for a time, and say so everywhere; `--gate selected`
//! gates CI on a subset without certifying it. Against the reference vendor's faults:
//! `wrong-status` breaks CASE-008 (must), `allow-duplicates` breaks CASE-011 (should).

mod common;

use std::path::{Path, PathBuf};

use common::{konform, project_root, Run};
use serde_json::Value;

const MUST_WAIVER: &str = "waivers:
  - specification: case-intake
    version: 1.1.0
    requirement: CASE-008
    reason: Supplements are answered 200 instead of 201; fixed in release 4.3.
    reference: SUND-1234
    approved_by: Anna Berg, procurement officer
    expires: 2027-03-31
";

const SHOULD_WAIVER: &str = "waivers:
  - specification: case-intake
    version: \">=1.0.0, <2.0.0\"
    requirement: CASE-011
    reason: Duplicates are merged by hand until the next release.
    reference: SUND-1240
    expires: 2027-06-30
";

/// A demo run of case-intake 1.1.0 in `dir` with every report format; the reports are
/// `r.json`, `r.txt`, `r.xml`, `r.html`, `r.md`.
fn demo(dir: &Path, args: &[&str]) -> (Run, Option<Value>) {
    let p = |n: &str| dir.join(n).display().to_string();
    let run: Run = konform()
        .current_dir(project_root())
        .args(["demo", "case-intake@1.1.0", "--jobs", "1"])
        .args(args)
        .args(["--report", &format!("json={}", p("r.json")), "--report", &format!("text={}", p("r.txt"))])
        .args(["--report", &format!("junit={}", p("r.xml")), "--report", &format!("html={}", p("r.html"))])
        .args(["--report", &format!("markdown={}", p("r.md"))])
        .output()
        .unwrap()
        .into();
    let report = std::fs::read_to_string(dir.join("r.json")).ok().map(|t| serde_json::from_str(&t).unwrap());
    if let Some(report) = &report {
        common::assert_fits_schema(report);
    }
    (run, report)
}

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path
}

fn requirement<'a>(report: &'a Value, id: &str) -> &'a Value {
    report["specifications"][0]["requirements"].as_array().unwrap().iter().find(|r| r["id"] == id).unwrap()
}

fn read(dir: &Path, name: &str) -> String {
    std::fs::read_to_string(dir.join(name)).unwrap()
}

#[test]
fn a_waived_must_requirement_certifies_and_every_format_says_it_was_waived() {
    let dir = tempfile::tempdir().unwrap();
    let waivers = write(dir.path(), "w.yaml", MUST_WAIVER);
    let (run, report) =
        demo(dir.path(), &["--fault", "wrong-status", "--now", "2027-01-15", "--waivers", waivers.to_str().unwrap()]);
    assert_eq!(run.code, 0, "{}\n{}", run.stdout, run.stderr);
    let report = report.unwrap();
    assert_eq!(report["verdict"], "certified");
    let r = requirement(&report, "CASE-008");
    assert_eq!(r["verdict"], "waived");
    let waiver = &r["waiver"];
    assert_eq!(waiver["reason"], "Supplements are answered 200 instead of 201; fixed in release 4.3.");
    assert_eq!(waiver["reference"], "SUND-1234");
    assert_eq!(waiver["approved_by"], "Anna Berg, procurement officer");
    assert_eq!(waiver["expires"], "2027-03-31");
    assert_eq!(waiver["covers_verdict"], "fail", "the verdict it would have had is kept");
    assert_eq!(report["counts"]["requirements_waived"], 1);
    assert_eq!(report["as_of"], "2027-01-15T00:00:00.000Z", "a fixed clock is recorded");
    assert_eq!(report["valid_until"], "2027-03-31T23:59:59.999Z", "the certificate holds no longer than the waiver");

    // The certificate's first page says it: the terminal's statement area, the HTML header,
    // the top of the Markdown; and the matrix, the text report and JUnit say it too.
    let said = "CASE-008 (MUST) is WAIVED until 31 March 2027 (its verdict would be FAIL)";
    let statement = run.stdout.find("meets the MUST requirements").expect("the statement");
    let after = &run.stdout[statement..];
    assert!(after.contains("Waived: known deviations accepted for a time") && after.contains(said), "{}", run.stdout);
    assert!(run.stdout.contains("[SUND-1234, approved by Anna Berg, procurement officer]"), "{}", run.stdout);
    assert!(run.stdout.contains("1 waived"), "{}", run.stdout);
    assert!(read(dir.path(), "r.txt").contains(said));
    let html = read(dir.path(), "r.html");
    let header = &html[..html.find("</header>").unwrap()];
    assert!(header.contains("id=\"waived\"") && header.contains(said), "the HTML header shows the waiver");
    assert!(header.contains("Anna Berg, procurement officer") && header.contains("SUND-1234"));
    let md = read(dir.path(), "r.md");
    let top = &md[..md.find("## ").unwrap()];
    assert!(
        top.contains("**Waived: known deviations accepted for a time**")
            && top.contains("[SUND-1234, approved by Anna Berg"),
        "{md}"
    );
    let junit = read(dir.path(), "r.xml");
    assert!(junit.contains("<property name=\"konform.waived.CASE-008\" value=\"CASE-008 (MUST) is WAIVED"), "{junit}");
}

#[test]
fn a_waived_should_requirement_counts_with_fail_on_should() {
    let dir = tempfile::tempdir().unwrap();
    let waivers = write(dir.path(), "w.yaml", SHOULD_WAIVER);
    let (run, _) = demo(dir.path(), &["--fault", "allow-duplicates", "--fail-on", "should", "--now", "2027-01-15"]);
    assert_eq!(run.code, 1, "without the waiver a failed should fails with --fail-on should");
    let (run, report) = demo(
        dir.path(),
        &[
            "--fault",
            "allow-duplicates",
            "--fail-on",
            "should",
            "--now",
            "2027-01-15",
            "--waivers",
            waivers.to_str().unwrap(),
        ],
    );
    assert_eq!(run.code, 0, "{}\n{}", run.stdout, run.stderr);
    let report = report.unwrap();
    let r = requirement(&report, "CASE-011");
    assert_eq!(r["verdict"], "waived");
    assert!(r["waiver"].get("approved_by").is_none(), "a should needs no approver");
    assert_eq!(r["waiver"]["versions"], ">=1.0.0, <2.0.0");
    // With --fail-on should it is one the certificate rests on: shown with the statement.
    let statement = run.stdout.find("meets the MUST and SHOULD requirements").expect("the statement");
    assert!(run.stdout[statement..].contains("CASE-011 (SHOULD) is WAIVED"), "{}", run.stdout);
}

#[test]
fn a_must_waiver_without_an_approver_is_refused_at_its_line() {
    let dir = tempfile::tempdir().unwrap();
    let waivers =
        write(dir.path(), "w.yaml", &MUST_WAIVER.replace("    approved_by: Anna Berg, procurement officer\n", ""));
    let (run, report) = demo(dir.path(), &["--waivers", waivers.to_str().unwrap()]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(report.is_none(), "nothing was run");
    assert!(run.stderr.contains("w.yaml:4:18"), "names file, line and column:\n{}", run.stderr);
    assert!(
        run.stderr.contains("CASE-008 is a MUST requirement: a waiver of it needs `approved_by`"),
        "{}",
        run.stderr
    );
}

#[test]
fn mistakes_in_a_waiver_file_are_named_at_their_line() {
    let dir = tempfile::tempdir().unwrap();
    let cases = [
        (MUST_WAIVER.replace("CASE-008", "CASE-08"), "w.yaml:4:18", "has no requirement `CASE-08`"),
        (MUST_WAIVER.replace("2027-03-31", "31/03/2027"), "w.yaml:8:14", "is not a day"),
        (MUST_WAIVER.replace("version: 1.1.0", "version: 9.0.0"), "w.yaml:3:14", "has no version 9.0.0"),
        (MUST_WAIVER.replace("specification: case-intake", "specification: case-intak"), "w.yaml:2:20", "did you mean"),
        (MUST_WAIVER.replace("reference:", "ticket:"), "w.yaml:6:5", "unknown field `ticket`"),
        (format!("{MUST_WAIVER}    covers: [not_tested]\n"), "w.yaml:9:14", "unknown variant `not_tested`"),
    ];
    for (text, at, said) in cases {
        let waivers = write(dir.path(), "w.yaml", &text);
        let (run, _) = demo(dir.path(), &["--waivers", waivers.to_str().unwrap()]);
        assert_eq!(run.code, 2, "{said}: {}", run.stderr);
        assert!(run.stderr.contains(at) && run.stderr.contains(said), "expected {at} and {said:?} in:\n{}", run.stderr);
    }
}

#[test]
fn an_expired_waiver_does_not_apply_and_the_report_says_why() {
    let dir = tempfile::tempdir().unwrap();
    let waivers = write(dir.path(), "w.yaml", MUST_WAIVER);
    let args = ["--fault", "wrong-status", "--now", "2027-04-01", "--waivers", waivers.to_str().unwrap()];
    let (run, report) = demo(dir.path(), &args);
    assert_eq!(run.code, 1, "{}", run.stdout);
    let report = report.unwrap();
    assert_eq!(report["verdict"], "not_certified");
    assert_eq!(requirement(&report, "CASE-008")["verdict"], "fail");
    let unused = &report["specifications"][0]["unused_waivers"];
    assert_eq!(unused[0]["requirement"], "CASE-008");
    assert_eq!(unused[0]["why"], serde_json::json!({"is": "expired", "on": "2027-03-31"}));
    let said = "the waiver SUND-1234 of CASE-008 did not apply: it expired: its last day was 31 March 2027";
    assert!(run.stdout.contains(said) && run.stdout.contains("NOT CERTIFIED"), "{}", run.stdout);
    assert!(read(dir.path(), "r.html").contains(said) && read(dir.path(), "r.md").contains("did not apply"));
    // The day before, it held.
    let args = ["--fault", "wrong-status", "--now", "2027-03-31T23:00:00Z", "--waivers", waivers.to_str().unwrap()];
    assert_eq!(demo(dir.path(), &args).0.code, 0);
}

#[test]
fn a_waiver_of_a_passing_requirement_is_listed_as_not_applied() {
    let dir = tempfile::tempdir().unwrap();
    let waivers = write(dir.path(), "w.yaml", MUST_WAIVER);
    let (run, report) = demo(dir.path(), &["--now", "2027-01-15", "--waivers", waivers.to_str().unwrap()]);
    assert_eq!(run.code, 0);
    let report = report.unwrap();
    assert_eq!(requirement(&report, "CASE-008")["verdict"], "pass");
    assert_eq!(report["specifications"][0]["unused_waivers"][0]["why"]["is"], "passed");
    assert_eq!(report["counts"]["requirements_waived"], 0);
    assert!(!report["valid_until"].as_str().unwrap().starts_with("2027-03-31"), "no waiver relied on");
}

fn keygen(dir: &Path) -> (String, String) {
    let p = |n: &str| dir.join(n).display().to_string();
    let run: Run =
        konform().args(["keygen", "--private", &p("k.key"), "--public", &p("k.pub")]).output().unwrap().into();
    assert_eq!(run.code, 0, "{}", run.stderr);
    (p("k.key"), p("k.pub"))
}

fn verify(report: &Path, extra: &[&str]) -> Run {
    konform().current_dir(project_root()).arg("verify").arg(report).args(extra).output().unwrap().into()
}

#[test]
fn verify_lists_the_waivers_and_a_changed_waiver_breaks_the_signature() {
    let dir = tempfile::tempdir().unwrap();
    let (key, public) = keygen(dir.path());
    let waivers = write(dir.path(), "w.yaml", &format!("{MUST_WAIVER}{}", SHOULD_WAIVER.replace("waivers:\n", "")));
    let args =
        ["--fault", "wrong-status", "--now", "2027-01-15", "--sign-key", &key, "--waivers", waivers.to_str().unwrap()];
    let (run, _) = demo(dir.path(), &args);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let json = dir.path().join("r.json");
    let run = verify(&json, &["--public-key", &public]);
    assert_eq!(run.code, 0, "{}", run.stdout);
    assert!(
        run.stdout.contains("Waivers:\n  case-intake@1.1.0: CASE-008 (MUST) is WAIVED until 31 March 2027"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("Waivers that did not apply:\n  case-intake@1.1.0: the waiver SUND-1240 of CASE-011 did not apply: the requirement passed"),
        "{}",
        run.stdout
    );
    assert!(run.stdout.contains("were judged as of 15 January 2027, 00:00 UTC (set with --now)"), "{}", run.stdout);
    let machine = verify(&json, &["--public-key", &public, "--format", "json"]);
    let found: Value = serde_json::from_str(&machine.stdout).unwrap();
    assert_eq!(found["declared"]["waivers"][0]["requirement"], "CASE-008");
    assert_eq!(found["declared"]["waivers"][0]["approved_by"], "Anna Berg, procurement officer");
    assert_eq!(found["declared"]["unused_waivers"][0]["why"]["is"], "passed");
    assert_eq!(found["declared"]["as_of"], "2027-01-15T00:00:00.000Z");

    // A waiver's last day moved a year on, after signing: the signature no longer holds.
    let text = std::fs::read_to_string(&json).unwrap();
    assert_eq!(text.matches("\"expires\": \"2027-03-31\"").count(), 1);
    let edited = dir.path().join("edited.json");
    std::fs::write(&edited, text.replace("\"expires\": \"2027-03-31\"", "\"expires\": \"2028-03-31\"")).unwrap();
    let run = verify(&edited, &["--public-key", &public]);
    assert_eq!(run.code, 1, "{}", run.stdout);
    assert!(
        run.stdout.contains("signature: INVALID") && run.stdout.contains("changed after signing"),
        "{}",
        run.stdout
    );
    // So is the clock it was judged by.
    std::fs::write(&edited, text.replace("2027-01-15T00:00:00.000Z", "2027-01-16T00:00:00.000Z")).unwrap();
    assert_eq!(verify(&edited, &["--public-key", &public]).code, 1);
}

#[test]
fn the_clock_must_be_a_day_or_a_utc_time() {
    let dir = tempfile::tempdir().unwrap();
    let (run, _) = demo(dir.path(), &["--now", "tomorrow"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("--now: `tomorrow` is neither a day"), "{}", run.stderr);
}

#[test]
fn the_subset_gate_passes_a_passing_selection_and_fails_a_failing_one() {
    let dir = tempfile::tempdir().unwrap();
    // The selection passes: exit 0 with the gate, though the report stays partial and
    // not certified; without the gate, exit 1 as before.
    let (run, report) = demo(dir.path(), &["--scenario", "read-status", "--gate", "selected"]);
    assert_eq!(run.code, 0, "{}\n{}", run.stdout, run.stderr);
    let report = report.unwrap();
    assert_eq!(report["partial"], true);
    assert_eq!(report["verdict"], "not_certified");
    assert!(run.stdout.contains("NOT CERTIFIED"), "the certificate wording is unchanged:\n{}", run.stdout);
    assert!(run.stderr.contains("--gate selected: nothing the selection tested failed"), "{}", run.stderr);
    assert_eq!(demo(dir.path(), &["--scenario", "read-status"]).0.code, 1);
    // The selection fails: exit 1 with the gate too.
    let (run, report) =
        demo(dir.path(), &["--scenario", "read-status", "--gate", "selected", "--fault", "missing-field"]);
    assert_eq!(run.code, 1, "{}", run.stdout);
    assert_eq!(requirement(&report.unwrap(), "CASE-005")["verdict"], "fail");
    assert!(run.stderr.contains("--gate selected: a requirement the selection tested failed"), "{}", run.stderr);
    // A failure outside the selection is not held against it.
    let (run, _) = demo(dir.path(), &["--scenario", "read-status", "--gate", "selected", "--fault", "wrong-status"]);
    assert_eq!(run.code, 0, "{}", run.stdout);
}
