//! Certificates that know their time: a run records each version's lifecycle; a
//! certificate for a deprecated version says so and holds no longer than its sunset;
//! `verify --at DATE` says whether a certificate holds on a day, and why not. The dates are
//! set relative to today in a copy of the catalogue, so the tests mean the same every day.

mod common;

use std::path::Path;
use std::time::{Duration, SystemTime};

use common::{konform, project_root, Run};
use serde_json::Value;

const DAY: Duration = Duration::from_secs(86_400);

/// The date `days` from today (negative: ago), as YYYY-MM-DD.
fn day(days: i64) -> String {
    let now = SystemTime::now();
    let at = if days >= 0 { now + DAY * days as u32 } else { now - DAY * (-days) as u32 };
    humantime::format_rfc3339_seconds(at).to_string()[..10].to_string()
}

/// The catalogue, with case-intake 1.0.0 deprecated 30 days ago and retired in 100 days.
fn catalogue() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    common::copy_tree(&project_root().join("conformance-suites"), dir.path());
    let meta = dir.path().join("case-intake/1.0.0/spec.yaml");
    let text = std::fs::read_to_string(&meta).unwrap();
    let start = text.find("  deprecated:").unwrap();
    let end = text.find("  replaced_by:").unwrap();
    let dated = format!("  deprecated: {}\n  sunset: {}\n", day(-30), day(100));
    std::fs::write(&meta, format!("{}{dated}{}", &text[..start], &text[end..])).unwrap();
    dir
}

fn demo(catalogue: &Path, out: &Path, extra: &[&str]) -> (Run, Value) {
    let json = out.join("r.json");
    let run: Run = konform()
        .arg("demo")
        .args(extra)
        .arg("--catalogue")
        .arg(catalogue)
        .args(["--jobs", "1", "--report"])
        .arg(format!("json={}", json.display()))
        .arg("--report")
        .arg(format!("markdown={}", out.join("r.md").display()))
        .arg("--report")
        .arg(format!("html={}", out.join("r.html").display()))
        .output()
        .unwrap()
        .into();
    let report: Value = serde_json::from_str(&std::fs::read_to_string(&json).unwrap()).unwrap();
    common::assert_fits_schema(&report);
    (run, report)
}

fn verify(report: &Path, catalogue: &Path, extra: &[&str]) -> Run {
    konform().arg("verify").arg(report).arg("--catalogue").arg(catalogue).args(extra).output().unwrap().into()
}

#[test]
fn a_certificate_for_a_deprecated_version_says_so_and_ends_at_its_sunset() {
    let catalogue = catalogue();
    let out = tempfile::tempdir().unwrap();
    let (run, report) = demo(catalogue.path(), out.path(), &["case-intake@1.0.0"]);
    assert_eq!(run.code, 0, "{}\n{}", run.stdout, run.stderr);
    let lifecycle = &report["specifications"][0]["lifecycle"];
    assert_eq!(lifecycle["status"], "deprecated");
    assert_eq!(lifecycle["sunset"], day(100));
    assert_eq!(lifecycle["replaced_by"], "2.0.0");
    // --valid-for is a year by default; the sunset comes first.
    assert_eq!(report["valid_until"], format!("{}T00:00:00.000Z", day(100)));
    let said = "case-intake 1.0.0 is deprecated: it is in force until its sunset on";
    assert!(run.stdout.contains(said) && run.stdout.contains("vendors must move to 2.0.0"), "{}", run.stdout);
    for file in ["r.md", "r.html"] {
        let text = std::fs::read_to_string(out.path().join(file)).unwrap();
        assert!(text.contains(said), "{file} says the version is deprecated");
    }
    let (sv, _) = demo(catalogue.path(), out.path(), &["case-intake@1.0.0", "--lang", "sv"]);
    assert!(sv.stdout.contains("case-intake 1.0.0 är utfasad: den gäller till sitt avvecklingsdatum"), "{}", sv.stdout);
    // An active version has no such line, and keeps the full --valid-for.
    let (active, report) = demo(catalogue.path(), out.path(), &["case-intake@1.1.0"]);
    assert_eq!(report["specifications"][0]["lifecycle"]["status"], "active");
    assert!(!active.stdout.contains("is deprecated"), "{}", active.stdout);
    assert!(report["valid_until"].as_str().unwrap() > format!("{}T", day(360)).as_str(), "{}", report["valid_until"]);
}

#[test]
fn verify_at_a_date_says_whether_the_certificate_holds_then_and_why_not() {
    let catalogue = catalogue();
    let out = tempfile::tempdir().unwrap();
    let (_, _) = demo(catalogue.path(), out.path(), &["case-intake@1.0.0"]);
    let report = out.path().join("r.json");
    let holds = verify(&report, catalogue.path(), &["--at", &day(1)]);
    assert_eq!(holds.code, 0, "{}{}", holds.stdout, holds.stderr);
    // Past the sunset: retired, so the certificate no longer holds, and says why.
    let retired = verify(&report, catalogue.path(), &["--at", &day(101)]);
    assert_eq!(retired.code, 1, "{}", retired.stdout);
    assert!(retired.stdout.contains("case-intake 1.0.0 was retired at its sunset on"), "{}", retired.stdout);
    let json = verify(&report, catalogue.path(), &["--at", &day(101), "--format", "json"]);
    let v: Value = serde_json::from_str(&json.stdout).unwrap();
    assert_eq!(v["validity"]["status"], "retired");
    assert_eq!(v["validity"]["at"], format!("{}T00:00:00Z", day(101)));
    // A version without a sunset: the certificate expires at the end of --valid-for.
    let (_, _) = demo(catalogue.path(), out.path(), &["case-intake@1.1.0", "--valid-for", "2days"]);
    assert_eq!(verify(&report, catalogue.path(), &["--at", &day(1)]).code, 0);
    let expired = verify(&report, catalogue.path(), &["--at", &day(3)]);
    assert_eq!(expired.code, 1);
    assert!(expired.stdout.contains("EXPIRED"), "{}", expired.stdout);
    // The catalogue changed since: the report does not check out, whatever the day.
    common::edit(&catalogue.path().join("case-intake/1.1.0/requirements.yaml"), "MUST be", "MUST really be");
    let changed = verify(&report, catalogue.path(), &["--at", &day(1)]);
    assert_eq!(changed.code, 1);
    assert!(changed.stdout.contains("DIFFERS from the local catalogue"), "{}", changed.stdout);
    let bad = verify(&report, catalogue.path(), &["--at", "next week"]);
    assert_eq!(bad.code, 2);
    assert!(bad.stderr.contains("`next week` is not a date"), "{}", bad.stderr);
}
