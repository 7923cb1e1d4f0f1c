//! Requirements no machine can test are `attested` by a signed attestation (never `pass`),
//! and `not_tested` without one; a vendor's conformance statement makes a `may` requirement
//! `not_applicable` and cannot touch a `must`. Against the reference vendor's
//! building-permit 1.0.0, whose PERMIT-011 (should) is `verification: attestation` and
//! PERMIT-010 a `may`.

mod common;

use std::path::{Path, PathBuf};

use common::{copy_tree, edit, konform, project_root, Run};
use serde_json::Value;

const ATTESTATION: &str = "# Checked by hand.
specification: building-permit
version: 1.0.0
requirements: [PERMIT-011]
by: Karin Lund, systems auditor
date: 2026-11-30
evidence:
  text: Every screen of the officer's interface walked through against the API.
  sha256: 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08
";

const STATEMENT: &str = "vendor: Exempel AB
product: Bygglov Pro
product_version: \"4.2\"
specifications:
  - specification: building-permit
    version: 1.0.0
    not_offered:
      - requirement: PERMIT-010
        reason: Documents are addressed by their place in the application.
";

struct Keys {
    private: String,
    public: String,
}

fn keygen(dir: &Path, stem: &str) -> Keys {
    let p = |n: &str| dir.join(n).display().to_string();
    let (private, public) = (p(&format!("{stem}.key")), p(&format!("{stem}.pub")));
    let run: Run = konform().args(["keygen", "--private", &private, "--public", &public]).output().unwrap().into();
    assert_eq!(run.code, 0, "{}", run.stderr);
    Keys { private, public }
}

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path
}

/// `konform attest sign`, the signed file written beside the unsigned one.
fn sign(dir: &Path, unsigned: &Path, key: &Keys) -> PathBuf {
    let signed = dir.join("signed.yaml");
    let run: Run = konform()
        .args(["attest", "sign"])
        .arg(unsigned)
        .args(["--sign-key", &key.private, "-o"])
        .arg(&signed)
        .output()
        .unwrap()
        .into();
    assert_eq!(run.code, 0, "{}", run.stderr);
    signed
}

/// A demo run of building-permit 1.0.0 with a JSON, HTML and Markdown report in `dir`.
fn demo(dir: &Path, args: &[&str]) -> (Run, Option<Value>) {
    let p = |n: &str| dir.join(n).display().to_string();
    let run: Run = konform()
        .current_dir(project_root())
        .args(["demo", "building-permit@1.0.0", "--jobs", "1"])
        .args(args)
        .args(["--report", &format!("json={}", p("r.json")), "--report", &format!("html={}", p("r.html"))])
        .args(["--report", &format!("markdown={}", p("r.md")), "--report", &format!("junit={}", p("r.xml"))])
        .output()
        .unwrap()
        .into();
    let report = std::fs::read_to_string(dir.join("r.json")).ok().map(|t| serde_json::from_str(&t).unwrap());
    if let Some(report) = &report {
        common::assert_fits_schema(report);
    }
    (run, report)
}

fn requirement<'a>(report: &'a Value, id: &str) -> &'a Value {
    report["specifications"][0]["requirements"].as_array().unwrap().iter().find(|r| r["id"] == id).unwrap()
}

#[test]
fn without_an_attestation_the_requirement_is_not_tested_and_the_demo_still_certifies() {
    let dir = tempfile::tempdir().unwrap();
    let (run, report) = demo(dir.path(), &[]);
    assert_eq!(run.code, 0, "a SHOULD left not tested does not keep the demo from certifying:\n{}", run.stdout);
    let r = requirement(report.as_ref().unwrap(), "PERMIT-011");
    assert_eq!(r["verdict"], "not_tested");
    assert_eq!(r["verification"], "attestation");
    assert_eq!(r["scenarios"], serde_json::json!([]));
    let html = std::fs::read_to_string(dir.path().join("r.html")).unwrap();
    assert!(html.contains("verified by a signed attestation"), "the matrix says what it awaits");
}

#[test]
fn a_valid_attestation_makes_the_requirement_attested_never_pass() {
    let dir = tempfile::tempdir().unwrap();
    let key = keygen(dir.path(), "auditor");
    let signed = sign(dir.path(), &write(dir.path(), "a.yaml", ATTESTATION), &key);
    let text = std::fs::read_to_string(&signed).unwrap();
    assert!(text.starts_with(ATTESTATION) && text.contains("\nsignature:\n  algorithm: ed25519\n"), "{text}");
    let args = ["--attestations", signed.to_str().unwrap(), "--attestation-key", &key.public];
    let (run, report) = demo(dir.path(), &args);
    assert_eq!(run.code, 0, "{}\n{}", run.stdout, run.stderr);
    let report = report.unwrap();
    let r = requirement(&report, "PERMIT-011");
    assert_eq!(r["verdict"], "attested");
    assert_eq!(r["attestation"], "A1");
    let a = &report["specifications"][0]["attestations"][0];
    assert_eq!(a["id"], "A1");
    assert_eq!(a["by"], "Karin Lund, systems auditor");
    assert_eq!(a["date"], "2026-11-30");
    assert_eq!(a["evidence"]["sha256"], "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08");
    assert_eq!(a["document"]["requirements"], serde_json::json!(["PERMIT-011"]));
    assert!(a["document"].get("signature").is_none(), "the document is what was signed");
    assert_eq!(report["counts"]["requirements_attested"], 1);
    assert_eq!(
        report["counts"]["requirements_passed"].as_u64().unwrap() + 1,
        report["counts"]["requirements"].as_u64().unwrap()
    );
    let said = "A1: PERMIT-011 attested by Karin Lund, systems auditor on 2026-11-30";
    assert!(run.stdout.contains(said) && run.stdout.contains("ATTESTED"), "{}", run.stdout);
    for name in ["r.html", "r.md", "r.xml"] {
        let text = std::fs::read_to_string(dir.path().join(name)).unwrap();
        assert!(text.contains("PERMIT-011 attested by Karin Lund"), "{name} shows the attestation");
    }

    // verify checks the attestation's own signature again; an edited one does not hold.
    let json = dir.path().join("r.json");
    let run: Run = konform().current_dir(project_root()).arg("verify").arg(&json).output().unwrap().into();
    assert_eq!(run.code, 0, "{}", run.stdout);
    assert!(
        run.stdout.contains("Attestations:\n  building-permit@1.0.0: A1: PERMIT-011")
            && run.stdout.contains("— signature holds"),
        "{}",
        run.stdout
    );
    let edited = dir.path().join("edited.json");
    let report_text = std::fs::read_to_string(&json).unwrap();
    assert_eq!(
        report_text.matches("\"by\": \"Karin Lund, systems auditor\"").count(),
        2,
        "the record and its document"
    );
    std::fs::write(&edited, report_text.replace("\"by\": \"Karin Lund, systems auditor\"", "\"by\": \"Someone Else\""))
        .unwrap();
    let run: Run = konform().current_dir(project_root()).arg("verify").arg(&edited).output().unwrap().into();
    assert_eq!(run.code, 1, "{}", run.stdout);
    assert!(run.stdout.contains("signature DOES NOT HOLD"), "{}", run.stdout);
}

#[test]
fn an_attestation_that_does_not_hold_is_refused_before_anything_is_sent() {
    let dir = tempfile::tempdir().unwrap();
    let key = keygen(dir.path(), "auditor");
    let other = keygen(dir.path(), "other");
    let signed = sign(dir.path(), &write(dir.path(), "a.yaml", ATTESTATION), &key);
    let text = std::fs::read_to_string(&signed).unwrap();
    let cases = [
        // Edited after signing.
        (text.replace("Karin Lund", "Karin Lundh"), &key, "signed.yaml:11:3", "its signature does not hold"),
        // Signed by a key the run does not trust.
        (text.clone(), &other, "signed.yaml:12:15", "signed by a key the run was not told to trust"),
        // Not signed at all.
        (ATTESTATION.to_string(), &key, "signed.yaml", "is not signed"),
    ];
    for (attestation, trusted, at, said) in cases {
        std::fs::write(&signed, attestation).unwrap();
        let (run, report) =
            demo(dir.path(), &["--attestations", signed.to_str().unwrap(), "--attestation-key", &trusted.public]);
        assert_eq!(run.code, 2, "{said}: {}", run.stderr);
        assert!(report.is_none());
        assert!(run.stderr.contains(at) && run.stderr.contains(said), "expected {at} and {said:?} in:\n{}", run.stderr);
    }
    // Without a trusted key an attestation proves nothing.
    std::fs::write(&signed, &text).unwrap();
    let (run, _) = demo(dir.path(), &["--attestations", signed.to_str().unwrap()]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("attestations were given without a key to check them"), "{}", run.stderr);
}

#[test]
fn an_attestation_cannot_stand_for_a_requirement_konform_tests() {
    let dir = tempfile::tempdir().unwrap();
    let key = keygen(dir.path(), "auditor");
    let unsigned = write(dir.path(), "a.yaml", &ATTESTATION.replace("[PERMIT-011]", "[PERMIT-011, PERMIT-001]"));
    let signed = sign(dir.path(), &unsigned, &key);
    let (run, _) = demo(dir.path(), &["--attestations", signed.to_str().unwrap(), "--attestation-key", &key.public]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("signed.yaml:4:28"), "{}", run.stderr);
    assert!(
        run.stderr.contains("PERMIT-001 of building-permit@1.0.0 is verified by konform's scenarios"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_statement_makes_a_may_requirement_not_applicable_and_refuses_a_must() {
    let dir = tempfile::tempdir().unwrap();
    let statement = write(dir.path(), "s.yaml", STATEMENT);
    let (run, report) = demo(dir.path(), &["--statement", statement.to_str().unwrap()]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let report = report.unwrap();
    let r = requirement(&report, "PERMIT-010");
    assert_eq!(r["verdict"], "not_applicable");
    assert_eq!(r["not_applicable"]["reason"], "Documents are addressed by their place in the application.");
    assert_eq!(r["not_applicable"]["vendor"], "Exempel AB");
    assert_eq!(r["not_applicable"]["product"], "Bygglov Pro 4.2");
    assert_eq!(r["not_applicable"]["tested_verdict"], "pass");
    assert_eq!(report["counts"]["requirements_not_applicable"], 1);
    let said = "PERMIT-010 is not applicable: Exempel AB declares that Bygglov Pro 4.2 does not offer it";
    assert!(run.stdout.contains(said), "{}", run.stdout);
    for name in ["r.html", "r.md", "r.xml"] {
        let text = std::fs::read_to_string(dir.path().join(name)).unwrap();
        assert!(text.contains("PERMIT-010 is not applicable"), "{name} shows it");
    }

    let dir = tempfile::tempdir().unwrap();
    let statement = write(dir.path(), "s.yaml", &STATEMENT.replace("PERMIT-010", "PERMIT-001"));
    let (run, report) = demo(dir.path(), &["--statement", statement.to_str().unwrap()]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(report.is_none());
    assert!(run.stderr.contains("s.yaml:8:22"), "{}", run.stderr);
    assert!(
        run.stderr.contains("PERMIT-001 is a MUST requirement: only a MAY requirement can be declared not offered"),
        "{}",
        run.stderr
    );
}

#[test]
fn check_accepts_an_attested_requirement_and_refuses_a_scenario_covering_it() {
    let dir = tempfile::tempdir().unwrap();
    copy_tree(&project_root().join("conformance-suites"), dir.path());
    let run = common::check_in(dir.path());
    assert_eq!(run.code, 0, "PERMIT-011 has no scenario and is not reported uncovered:\n{}", run.stderr);
    assert!(!run.stderr.contains("PERMIT-011"), "{}", run.stderr);
    let suite = dir.path().join("building-permit/1.0.0/scenarios/applications.yaml");
    let text = std::fs::read_to_string(&suite).unwrap();
    let covers = text.lines().find(|l| l.trim_start().starts_with("covers: [PERMIT-001")).unwrap().to_string();
    edit(&suite, &covers, &covers.replacen("[PERMIT-001", "[PERMIT-011, PERMIT-001", 1));
    let run = common::check_in(dir.path());
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("covers `PERMIT-011`, which building-permit@1.0.0 verifies by"), "{}", run.stderr);
    assert!(run.stderr.contains("building-permit/1.0.0/scenarios/applications.yaml:5:14"), "{}", run.stderr);
}
