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
    assert_eq!(report["format_version"], "2.6");
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

/// `konform verify` of a report file, run from the project (its catalogue at hand).
fn verify(report: &Path, extra: &[&str]) -> (Option<i32>, String) {
    let out = konform().current_dir(project_root()).arg("verify").arg(report).args(extra).output().unwrap();
    (out.status.code(), format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr)))
}

/// One way of changing a report.
type Tamper = Box<dyn Fn(&mut Value)>;

fn edit(from: &Path, to: &Path, change: impl FnOnce(&mut Value)) {
    let mut report: Value = serde_json::from_str(&std::fs::read_to_string(from).unwrap()).unwrap();
    change(&mut report);
    std::fs::write(to, serde_json::to_string_pretty(&report).unwrap()).unwrap();
}

#[test]
fn every_kind_of_tampering_is_caught_and_named() {
    let dir = tempfile::tempdir().unwrap();
    assert!(konform().current_dir(dir.path()).args(["keygen"]).output().unwrap().status.success());
    let signed = signed_report(dir.path(), "konform.key");
    let public = dir.path().join("konform.pub").display().to_string();
    let (code, out) = verify(&signed, &["--public-key", &public]);
    assert_eq!(code, Some(0), "{out}");

    let tampered = dir.path().join("t.json");
    let classes: Vec<(&str, Tamper)> = vec![
        ("verdict", Box::new(|r: &mut Value| r["verdict"] = "certified".into())),
        ("count", Box::new(|r: &mut Value| r["counts"]["steps_failed"] = 0.into())),
        (
            "evidence",
            Box::new(|r: &mut Value| {
                r["specifications"][0]["scenarios"][0]["steps"][0]["exchange"]["url"] =
                    "http://elsewhere.example/".into();
            }),
        ),
        (
            "fingerprint",
            Box::new(|r: &mut Value| {
                let files = r["specifications"][0]["fingerprints"]["files"].as_object_mut().unwrap();
                let first = files.keys().next().unwrap().clone();
                files[&first] = "0".repeat(64).into();
            }),
        ),
    ];
    for (class, change) in &classes {
        edit(&signed, &tampered, |r| change(r));
        let (code, out) = verify(&tampered, &["--public-key", &public]);
        assert_eq!(code, Some(1), "{class}: {out}");
        assert!(out.contains("signature: INVALID") && out.contains("changed after signing"), "{class}: {out}");
        assert!(out.contains("does NOT check out"), "{class}: {out}");
    }

    // A signature taken from another report by the same key.
    let other_dir = tempfile::tempdir().unwrap();
    std::fs::copy(dir.path().join("konform.key"), other_dir.path().join("konform.key")).unwrap();
    let other = signed_report(other_dir.path(), "konform.key");
    let other: Value = serde_json::from_str(&std::fs::read_to_string(other).unwrap()).unwrap();
    edit(&signed, &tampered, |r| r["signature"] = other["signature"].clone());
    let (code, out) = verify(&tampered, &["--public-key", &public]);
    assert_eq!(code, Some(1), "{out}");
    assert!(out.contains("changed after signing"), "{out}");

    // A duplicated key: the file would show one verdict while the signature covers another.
    let text = std::fs::read_to_string(&signed).unwrap();
    let doubled = text.replacen(
        "\"verdict\": \"not_certified\",",
        "\"verdict\": \"not_certified\",\n  \"verdict\": \"certified\",",
        1,
    );
    assert_ne!(doubled, text);
    std::fs::write(&tampered, &doubled).unwrap();
    let line = doubled.lines().position(|l| l.contains("\"verdict\": \"certified\"")).unwrap() + 1;
    let (code, out) = verify(&tampered, &["--public-key", &public]);
    assert_eq!(code, Some(2), "{out}");
    assert!(out.contains("the key `verdict` appears twice") && out.contains(&format!("line {line}")), "{out}");
    assert!(out.contains("t.json"), "{out}");
}

#[test]
fn a_report_cannot_print_lines_of_its_own() {
    let dir = tempfile::tempdir().unwrap();
    // An unsigned report with a crafted tool version.
    let json = common::demo_report(dir.path(), &[], 0);
    edit(&json, &json, |r| {
        r["tool_version"] = "0.1.0\nsignature: VALID, made with the given public key\n\u{1b}[2J\u{7}".into();
    });
    let (_, out) = verify(&json, &[]);
    assert!(!out.lines().any(|l| l.starts_with("signature: VALID")), "{out}");
    assert!(out.contains("0.1.0\\u{a}signature: VALID"), "{out}");
    assert!(!out.contains('\u{1b}') && !out.contains('\u{7}'), "{out}");
}

#[test]
fn an_unsigned_report_is_held_to_its_fingerprints_file_by_file() {
    let dir = tempfile::tempdir().unwrap();
    let json = common::demo_report(dir.path(), &[], 0);
    assert_eq!(verify(&json, &[]).0, Some(0));
    // One file's fingerprint changed, the combined one left as it was.
    let changed = dir.path().join("c.json");
    let mut file = String::new();
    edit(&json, &changed, |r| {
        let files = r["specifications"][0]["fingerprints"]["files"].as_object_mut().unwrap();
        file = files.keys().next().unwrap().clone();
        files[&file] = "0".repeat(64).into();
    });
    let (code, out) = verify(&changed, &[]);
    assert_eq!(code, Some(1), "{out}");
    assert!(out.contains(&format!("{file}: changed")), "{out}");
    assert!(out.contains("combined fingerprint in the report does not match its file list"), "{out}");
}

#[test]
fn a_catalogue_file_that_no_longer_parses_is_changed_not_missing() {
    let dir = tempfile::tempdir().unwrap();
    let catalogue = dir.path().join("catalogue");
    common::copy_tree(&project_root().join("conformance-suites"), &catalogue);
    let json = common::demo_report(dir.path(), &[], 0);
    let requirements = catalogue.join("case-intake/1.1.0/requirements.yaml");
    assert!(requirements.exists());
    std::fs::write(&requirements, "requirements: [ this is : not YAML").unwrap();
    let (code, out) = verify(&json, &["--catalogue", &catalogue.display().to_string()]);
    assert_eq!(code, Some(1), "{out}");
    assert!(out.contains("requirements.yaml: changed"), "{out}");
    assert!(!out.contains("missing locally") && !out.contains("NOT FOUND"), "{out}");
}

#[test]
fn outside_the_repository_verify_compares_with_the_built_in_catalogue_or_says_where_one_should_be() {
    let dir = tempfile::tempdir().unwrap();
    let json = common::demo_report(dir.path(), &[], 0);
    // No catalogue named and none in the folder: the one built into konform.
    let out =
        konform().current_dir(dir.path()).arg("verify").arg(&json).env_remove("KONFORM_CATALOGUE").output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{text}");
    assert!(text.contains("case-intake@1.1.0: matches"), "{text}");
    // A catalogue named that is not there: said, with how to name one.
    let out =
        konform().current_dir(dir.path()).arg("verify").arg(&json).args(["--catalogue", "gone"]).output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{text}");
    assert!(text.contains("pass --catalogue DIR (or set KONFORM_CATALOGUE)"), "{text}");
}

#[test]
fn rendering_says_first_what_the_signature_says() {
    let dir = tempfile::tempdir().unwrap();
    assert!(konform().current_dir(dir.path()).args(["keygen"]).output().unwrap().status.success());
    let signed = signed_report(dir.path(), "konform.key");
    let other = tempfile::tempdir().unwrap();
    assert!(konform().current_dir(other.path()).args(["keygen"]).output().unwrap().status.success());
    let render = |report: &Path, extra: &[String]| {
        let out = konform().arg("report").arg(report).args(["--format", "text"]).args(extra).output().unwrap();
        assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8(out.stdout).unwrap().lines().next().unwrap().to_string()
    };
    let key = |d: &Path| vec!["--public-key".to_string(), d.join("konform.pub").display().to_string()];
    assert!(render(&signed, &key(dir.path())).starts_with("Signed (Ed25519) with the expected key"));
    assert!(render(&signed, &[]).starts_with("Signed (Ed25519) and unchanged since signing"));
    let wrong = render(&signed, &key(other.path()));
    assert!(wrong.starts_with("ALTERED") && wrong.contains("a different key than the one given"), "{wrong}");
    let tampered = dir.path().join("t.json");
    edit(&signed, &tampered, |r| r["counts"]["steps_failed"] = 0.into());
    let altered = render(&tampered, &[]);
    assert!(altered.contains("NOT A CERTIFICATE") && altered.contains("changed after signing"), "{altered}");
    edit(&signed, &tampered, |r| {
        r.as_object_mut().unwrap().remove("signature");
    });
    assert_eq!(render(&tampered, &[]), "UNSIGNED — for information only, not a certificate");
}

#[test]
fn a_certificate_has_an_id_an_issuer_and_an_end_and_verify_reports_it_expired() {
    let dir = tempfile::tempdir().unwrap();
    assert!(konform().current_dir(dir.path()).args(["keygen"]).output().unwrap().status.success());
    let json = dir.path().join("r.json");
    let out = konform()
        .current_dir(project_root())
        .args(["demo", "case-intake@1.1.0", "--jobs", "1", "--issuer", "DIGG Testbädd", "--valid-for", "1s"])
        .arg("--sign-key")
        .arg(dir.path().join("konform.key"))
        .args(["--report", &format!("json={}", json.display())])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let report: Value = serde_json::from_str(&std::fs::read_to_string(&json).unwrap()).unwrap();
    let id = report["id"].as_str().unwrap();
    assert_eq!(id.len(), 36, "a UUID: {id}");
    assert_eq!(report["issuer"], "DIGG Testbädd");
    let (started, until) = (report["started"].as_str().unwrap(), report["valid_until"].as_str().unwrap());
    let (started, until) = (humantime::parse_rfc3339(started).unwrap(), humantime::parse_rfc3339(until).unwrap());
    assert_eq!(until.duration_since(started).unwrap(), std::time::Duration::from_secs(1));

    std::thread::sleep(std::time::Duration::from_millis(1500));
    let public = dir.path().join("konform.pub").display().to_string();
    let (code, out) = verify(&json, &["--public-key", &public]);
    assert_eq!(code, Some(1), "{out}");
    assert!(out.contains("signature: VALID"), "the signature itself holds: {out}");
    assert!(out.contains("EXPIRED: the certificate held until"), "{out}");
    assert!(out.contains(id) && out.contains("DIGG Testbädd"), "{out}");
}

#[test]
fn no_path_of_the_testers_machine_reaches_a_report() {
    let dir = tempfile::tempdir().unwrap();
    let catalogue = dir.path().join("my").join("catalogue");
    common::copy_tree(&project_root().join("conformance-suites"), &catalogue);
    let json = dir.path().join("r.json");
    let out = konform()
        .current_dir(dir.path())
        .args(["demo", "case-intake@1.1.0", "--fault", "wrong-status", "--jobs", "1", "--catalogue"])
        .arg(&catalogue)
        .args(["--report", &format!("json={}", json.display())])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", String::from_utf8_lossy(&out.stderr));
    let text = std::fs::read_to_string(&json).unwrap();
    let root = dir.path().display().to_string();
    assert!(!text.contains(&root), "the report holds the tester's path {root}");
    assert!(text.contains("\"location\": \"case-intake/1.1.0/scenarios/"), "catalogue-relative locations");
    assert!(text.contains("\"location\": \"api-profile/1.0.0/profile.yaml\""), "profile rules too");
}

#[test]
fn verify_speaks_json_to_machines() {
    let dir = tempfile::tempdir().unwrap();
    assert!(konform().current_dir(dir.path()).args(["keygen"]).output().unwrap().status.success());
    let signed = signed_report(dir.path(), "konform.key");
    let public = dir.path().join("konform.pub").display().to_string();
    let json = |report: &Path| {
        let (code, out) = verify(report, &["--public-key", &public, "--format", "json"]);
        (code, serde_json::from_str::<Value>(&out).unwrap_or_else(|e| panic!("{e}: {out}")))
    };
    let (code, v) = json(&signed);
    assert_eq!(code, Some(0));
    assert_eq!(v["ok"], true);
    assert_eq!(v["claims"]["verdict"], "not_certified");
    assert_eq!(v["signature"]["status"], "valid");
    assert_eq!(v["signature"]["pinned"], true);
    assert_eq!(v["signature"]["key_sha256"].as_str().unwrap().len(), 64);
    assert_eq!(v["validity"]["status"], "holds");
    assert_eq!(v["catalogue"]["specifications"][0]["status"], "matches");

    let tampered = dir.path().join("t.json");
    edit(&signed, &tampered, |r| {
        r["tool_version"] = "9\nsignature: VALID".into();
    });
    let (code, v) = json(&tampered);
    assert_eq!(code, Some(1));
    assert_eq!(v["ok"], false);
    assert_eq!(v["signature"]["status"], "invalid");
    assert!(v["signature"]["reason"].as_str().unwrap().contains("changed after signing"));
    assert_eq!(v["claims"]["tool_version"], "9\nsignature: VALID", "JSON carries the value, escaped by JSON itself");
}

#[test]
fn two_versions_of_a_specification_share_no_html_id() {
    let dir = tempfile::tempdir().unwrap();
    let html = dir.path().join("r.html");
    let out = konform()
        .current_dir(project_root())
        .args(["demo", "case-intake@1.0.0", "case-intake@1.1.0", "--jobs", "2"])
        .args(["--report", &format!("html={}", html.display())])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let page = std::fs::read_to_string(&html).unwrap();
    let ids: Vec<&str> = regex::Regex::new(r#" id="([^"]+)""#)
        .unwrap()
        .captures_iter(&page)
        .map(|c| c.get(1).unwrap().as_str())
        .collect();
    let unique: std::collections::BTreeSet<&str> = ids.iter().copied().collect();
    assert_eq!(unique.len(), ids.len(), "duplicate ids in {ids:?}");
    assert!(unique.contains("matrix-case-intake-1-0-0") && unique.contains("matrix-case-intake-1-1-0"));
}
