//! Every invalid configuration is exit 2 with a message naming the file or option, before
//! anything is sent (the server sees no request); unknown config keys are warnings printed
//! first; a reader that stops reading ends konform quietly.

mod common;

use common::{konform, project_root, server, Run};
use rcgen::{CertificateParams, KeyPair};

fn run_thing(extra: &[String]) -> (Run, usize) {
    let thing = server::good_thing();
    let run: Run = konform()
        .args(["run", "thing", "--catalogue"])
        .arg(project_root().join("fixtures/catalogues/hostile"))
        .args(["--base-url", &thing.url()])
        .args(extra)
        .output()
        .unwrap()
        .into();
    (run, thing.request_count())
}

fn args(list: &[&str]) -> Vec<String> {
    list.iter().map(|s| s.to_string()).collect()
}

#[test]
fn invalid_tls_files_are_exit_2_naming_the_file_and_nothing_is_sent() {
    let dir = tempfile::tempdir().unwrap();
    let path = |name: &str| dir.path().join(name).display().to_string();
    let key = KeyPair::generate().unwrap();
    let cert = CertificateParams::new(vec!["client".to_string()]).unwrap().self_signed(&key).unwrap();
    let other_key = KeyPair::generate().unwrap();
    std::fs::write(path("cert.pem"), cert.pem()).unwrap();
    std::fs::write(path("key.pem"), key.serialize_pem()).unwrap();
    std::fs::write(path("other-key.pem"), other_key.serialize_pem()).unwrap();
    std::fs::write(path("cert.der"), cert.der().as_ref()).unwrap();
    std::fs::write(path("notes.txt"), "not a certificate\n").unwrap();
    std::fs::write(
        path("encrypted.pem"),
        "-----BEGIN ENCRYPTED PRIVATE KEY-----\nMIIBvTBXBgkqhkiG9w0BBQ0wSjApBgkqhkiG9w0BBQwwHAQI\n-----END ENCRYPTED PRIVATE KEY-----\n",
    )
    .unwrap();
    let cases: Vec<(Vec<String>, Vec<String>)> = vec![
        (
            args(&["--ca-cert", &path("missing.pem")]),
            vec![format!("cannot read the CA bundle {}", path("missing.pem"))],
        ),
        (
            args(&["--ca-cert", &path("notes.txt")]),
            vec![format!("{} is not a PEM certificate bundle", path("notes.txt"))],
        ),
        (
            args(&["--client-cert", &path("cert.der"), "--client-key", &path("key.pem")]),
            vec![format!("{} is not a usable PEM certificate", path("cert.der")), "openssl x509 -inform der".into()],
        ),
        (
            args(&["--client-cert", &path("cert.pem"), "--client-key", &path("encrypted.pem")]),
            vec![format!("{} is not a usable PEM private key", path("encrypted.pem")), "encrypted".into()],
        ),
        (
            args(&["--client-cert", &path("cert.pem"), "--client-key", &path("other-key.pem")]),
            vec![path("cert.pem"), path("other-key.pem"), "do not belong together".into()],
        ),
        (args(&["--client-cert", &path("cert.pem")]), vec!["--client-cert needs --client-key".into()]),
    ];
    for (extra, says) in cases {
        let (run, requests) = run_thing(&extra);
        assert_eq!(run.code, 2, "{extra:?}: {}", run.stderr);
        for s in &says {
            assert!(run.stderr.contains(s.as_str()), "{extra:?} should say {s:?}: {}", run.stderr);
        }
        assert_eq!(requests, 0, "{extra:?}: something was sent");
    }
    // The right pair works (the server is plain HTTP: the certificate is simply not asked for).
    let (run, _) = run_thing(&args(&["--client-cert", &path("cert.pem"), "--client-key", &path("key.pem")]));
    assert_eq!(run.code, 0, "{}", run.stderr);
}

#[test]
fn invalid_options_are_exit_2_and_nothing_is_sent() {
    let cases: [(Vec<String>, &str); 6] = [
        (args(&["-H", "X-A: a\r\nX-Injected: b"]), "header `X-A` (from --header) has a line break"),
        (args(&["--public-header", "X-B: b\nc"]), "header `X-B` (from --public-header) has a line break"),
        (args(&["-H", "Bearer-NO-COLON-SECRET"]), "a --header has no `:`"),
        (args(&["-H", "Bad Name: x"]), "is not a valid header name"),
        (args(&["--jobs", "0"]), "0 would run nothing"),
        (args(&["--timeout", "0s"]), "is no time at all"),
    ];
    for (extra, says) in cases {
        let (run, requests) = run_thing(&extra);
        assert_eq!(run.code, 2, "{extra:?}: {}", run.stderr);
        assert!(run.stderr.contains(says), "{extra:?} should say {says:?}: {}", run.stderr);
        assert!(!run.stderr.contains("NO-COLON-SECRET"), "a malformed header is not echoed: {}", run.stderr);
        assert_eq!(requests, 0, "{extra:?}: something was sent");
    }
}

#[test]
fn unknown_config_keys_are_warnings_everywhere_and_come_first() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("konform.toml");
    std::fs::write(
        &config,
        "[target]\nbase_ulr = \"http://127.0.0.1:9/\"\n[auth]\ntype = \"oauth2\"\ntoken_url = \"http://127.0.0.1:9/t\"\n\
         client_id = \"c\"\nclient_secret_env = \"X\"\nscopes = \"typo\"\nclient_secret = \"literal-SECRET\"\n[extras]\nx = 1\n",
    )
    .unwrap();
    let run: Run = konform()
        .args(["run", "thing", "--catalogue"])
        .arg(project_root().join("fixtures/catalogues/hostile"))
        .args(["--config", &config.display().to_string()])
        .output()
        .unwrap()
        .into();
    assert_eq!(run.code, 2, "{}", run.stderr);
    let first_error = run.stderr.find("error:").expect("an error");
    for warning in [
        "unknown key `target.base_ulr` is ignored",
        "unknown key `auth.scopes` is ignored",
        "`auth.client_secret` is ignored: konform reads secrets only from the environment",
        "unknown key `extras` is ignored",
    ] {
        let at = run.stderr.find(warning).unwrap_or_else(|| panic!("no warning {warning:?}: {}", run.stderr));
        assert!(at < first_error, "the warning comes before the error: {}", run.stderr);
    }
    assert!(run.stderr.contains("no target: pass --base-url"), "{}", run.stderr);
    assert!(!run.stderr.contains("literal-SECRET"), "{}", run.stderr);
}

#[test]
fn a_reader_that_stops_reading_ends_konform_quietly() {
    let dir = tempfile::tempdir().unwrap();
    let report = common::demo_report(dir.path(), &[], 0);
    // A pipe whose reader is gone before konform writes a byte, as `| head -0` leaves it.
    let mut fds = [0; 2];
    // SAFETY: `fds` has room for the two descriptors pipe(2) writes.
    assert_eq!(unsafe { libc::pipe(fds.as_mut_ptr()) }, 0);
    // SAFETY: both descriptors were just made by pipe(2) and are owned here alone.
    let (reader, writer) = unsafe {
        use std::os::fd::FromRawFd;
        (std::os::fd::OwnedFd::from_raw_fd(fds[0]), std::os::fd::OwnedFd::from_raw_fd(fds[1]))
    };
    drop(reader);
    let out = std::process::Command::new(assert_cmd::cargo::cargo_bin("konform"))
        .args(["report", &report.display().to_string(), "--format", "markdown"])
        .stdout(std::process::Stdio::from(writer))
        .stderr(std::process::Stdio::piped())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(141), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(out.stderr.is_empty(), "nothing said: {}", String::from_utf8_lossy(&out.stderr));
}
