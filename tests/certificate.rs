//! A certificate anyone can check with standard tools: konform's keys are read by OpenSSL,
//! keys OpenSSL makes sign reports konform verifies, and a signed report verifies with
//! `openssl pkeyutl` over JCS (RFC 8785) bytes made by a JCS implementation that is not the
//! one konform uses (serde_jcs here, serde_json_canonicalizer in konform).

mod common;

use std::path::Path;
use std::process::Command;

use base64::Engine;
use common::{konform, project_root};
use serde_json::Value;

fn openssl(args: &[&str], dir: &Path) -> std::process::Output {
    let out = Command::new("openssl")
        .args(args)
        .current_dir(dir)
        .output()
        .expect("the openssl command is needed for this test; .ci/run installs it");
    assert!(
        out.status.success(),
        "openssl {args:?} failed:\n{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

/// A signed demo run with a fault (so the report has failures, numbers, every kind of value).
fn signed_report(dir: &Path, key: &str) -> std::path::PathBuf {
    let json = dir.join("r.json");
    let out = konform()
        .current_dir(project_root())
        .args(["demo", "case-intake@1.1.0", "--fault", "missing-field", "--jobs", "1", "--sign-key"])
        .arg(dir.join(key))
        .args(["--report", &format!("json={}", json.display())])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", String::from_utf8_lossy(&out.stderr));
    json
}

#[test]
fn openssl_reads_konforms_keys() {
    let dir = tempfile::tempdir().unwrap();
    let out = konform().current_dir(dir.path()).args(["keygen"]).output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    openssl(&["pkey", "-in", "konform.key", "-noout"], dir.path());
    // The public key OpenSSL derives from the private one is konform's public key file.
    let derived = openssl(&["pkey", "-in", "konform.key", "-pubout"], dir.path());
    assert_eq!(
        String::from_utf8(derived.stdout).unwrap(),
        std::fs::read_to_string(dir.path().join("konform.pub")).unwrap()
    );
}

#[test]
fn a_signed_report_verifies_with_openssl_over_independent_jcs_bytes() {
    let dir = tempfile::tempdir().unwrap();
    assert!(konform().current_dir(dir.path()).args(["keygen"]).output().unwrap().status.success());
    let json = signed_report(dir.path(), "konform.key");
    let mut report: Value = serde_json::from_str(&std::fs::read_to_string(&json).unwrap()).unwrap();
    assert_eq!(report["format_version"], "2.0");
    let signature = report.as_object_mut().unwrap().remove("signature").expect("signed");
    let b64 = base64::engine::general_purpose::STANDARD;
    std::fs::write(dir.path().join("sig.bin"), b64.decode(signature["value"].as_str().unwrap()).unwrap()).unwrap();
    std::fs::write(dir.path().join("canonical.json"), serde_jcs::to_vec(&report).unwrap()).unwrap();
    // The recipe of docs/report-format.md, to the letter.
    let out = openssl(
        &[
            "pkeyutl",
            "-verify",
            "-pubin",
            "-inkey",
            "konform.pub",
            "-rawin",
            "-in",
            "canonical.json",
            "-sigfile",
            "sig.bin",
        ],
        dir.path(),
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("Signature Verified Successfully"));

    // One changed value, and OpenSSL says no.
    report["verdict"] = "certified".into();
    std::fs::write(dir.path().join("canonical.json"), serde_jcs::to_vec(&report).unwrap()).unwrap();
    let out = Command::new("openssl")
        .args(["pkeyutl", "-verify", "-pubin", "-inkey", "konform.pub", "-rawin", "-in", "canonical.json"])
        .args(["-sigfile", "sig.bin"])
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert!(!out.status.success(), "{}", String::from_utf8_lossy(&out.stdout));
}

#[test]
fn a_key_made_by_openssl_signs_reports_konform_verifies() {
    let dir = tempfile::tempdir().unwrap();
    openssl(&["genpkey", "-algorithm", "ed25519", "-out", "openssl.key"], dir.path());
    openssl(&["pkey", "-in", "openssl.key", "-pubout", "-out", "openssl.pub"], dir.path());
    let json = signed_report(dir.path(), "openssl.key");
    let out =
        konform().arg("verify").arg(&json).arg("--public-key").arg(dir.path().join("openssl.pub")).output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("signature: VALID"), "{stdout}");
}
