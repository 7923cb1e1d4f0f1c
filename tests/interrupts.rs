//! Interrupts are never blamed on the vendor: Ctrl-C or SIGTERM while the profile probes run
//! leaves what was cut unjudged and the run marked interrupted (exit 3), never a compliant
//! vendor shown as failing; a second signal abandons requests in flight at once (a hanging
//! vendor does not hold the exit for the whole `--timeout`) and the reports are still
//! written.
//!
//! Each test here was seen to fail with the behaviour it guards broken by hand (tests/README.md).

mod common;

use std::path::Path;
use std::process::{Child, Output, Stdio};
use std::time::{Duration, Instant};

use common::server::{self, respond, RawServer};
use serde_json::Value;

/// A vendor that keeps the contract and answers everything at once, except the probe
/// `GET /api-info` (without a body), which answers after `api_info`, and `GET /thing`,
/// which answers after `thing`.
fn vendor(api_info: Duration, thing: Duration) -> RawServer {
    server::start(move |head, stream| async move {
        let plain_probe = head.starts_with("GET /api-info ") && !head.contains("probe");
        if plain_probe {
            tokio::time::sleep(api_info).await;
        } else if head.starts_with("GET /thing ") {
            tokio::time::sleep(thing).await;
        }
        if head.starts_with("GET /api-info ") && !plain_probe {
            let problem = br#"{"title":"a GET takes no body","status":400}"#;
            respond(stream, "400 Bad Request", &[("Content-Type", "application/problem+json"), TRACE], problem).await;
        } else {
            respond(stream, "200 OK", &[("Content-Type", "application/json"), TRACE], br#"{"name":"thing"}"#).await;
        }
    })
}

/// The profile's SPA.04: every answer says which trace it belongs to.
const TRACE: (&str, &str) = ("traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01");

const NEVER: Duration = Duration::from_secs(600);

/// Starts `konform run thing` (the REST API profile on) with a JSON and a text report (and
/// `extra` arguments), and returns once a request whose head starts with `awaited` has reached the vendor.
fn start_run_until(catalogue: &Path, vendor: &RawServer, dir: &Path, awaited: &str, extra: &[&str]) -> Child {
    let child = std::process::Command::new(assert_cmd::cargo::cargo_bin("konform"))
        .env("NO_COLOR", "1")
        .args(["run", "thing", "--jobs", "1", "--timeout", "60s", "--catalogue"])
        .arg(catalogue)
        .args(["--base-url", &vendor.url(), "--report"])
        .arg(format!("json={}", dir.join("r.json").display()))
        .arg("--report")
        .arg(format!("text={}", dir.join("r.txt").display()))
        .args(extra)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let waited = Instant::now();
    while !vendor.requests.lock().unwrap().iter().any(|r| r.starts_with(awaited)) {
        assert!(waited.elapsed() < Duration::from_secs(30), "`{awaited}` never reached the vendor");
        std::thread::sleep(Duration::from_millis(10));
    }
    child
}

fn signal(child: &Child, signal: libc::c_int) {
    let pid = libc::pid_t::try_from(child.id()).unwrap();
    // SAFETY: kill(2) with the id of a child this test started and has not yet waited for.
    assert_eq!(unsafe { libc::kill(pid, signal) }, 0, "the signal was sent");
}

/// Waits for the run to end, at most `limit`; kills it if it has not.
fn wait_at_most(mut child: Child, limit: Duration) -> (Output, Duration) {
    let started = Instant::now();
    while child.try_wait().unwrap().is_none() {
        if started.elapsed() > limit {
            let _ = child.kill();
            let out = child.wait_with_output().unwrap();
            panic!("still running {limit:?} after the signal\n{}", String::from_utf8_lossy(&out.stderr));
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    let took = started.elapsed();
    (child.wait_with_output().unwrap(), took)
}

fn report(dir: &Path, out: &Output) -> Value {
    let text = std::fs::read_to_string(dir.join("r.json"))
        .unwrap_or_else(|e| panic!("no JSON report ({e}):\n{}", String::from_utf8_lossy(&out.stderr)));
    let report: Value = serde_json::from_str(&text).unwrap();
    common::assert_fits_schema(&report);
    report
}

fn verdict_of(report: &Value, id: &str) -> String {
    let requirements = report["specifications"][0]["requirements"].as_array().unwrap();
    let found = requirements.iter().find(|r| r["id"] == id).unwrap_or_else(|| panic!("no requirement {id}"));
    found["verdict"].as_str().unwrap().to_string()
}

/// Nothing of a compliant vendor fails or errs because the run was stopped.
fn assert_nothing_blamed_on_the_vendor(report: &Value) {
    for r in report["specifications"][0]["requirements"].as_array().unwrap() {
        assert!(r["verdict"] == "pass" || r["verdict"] == "not_tested", "{} is {}", r["id"], r["verdict"]);
    }
}

fn api_info_probes(vendor: &RawServer) -> usize {
    vendor.requests.lock().unwrap().iter().filter(|r| r.starts_with("GET /api-info ")).count()
}

#[test]
fn an_interrupt_during_the_profile_probes_marks_the_run_interrupted_and_blames_nothing_on_the_vendor() {
    for (name, sig) in [("SIGINT", libc::SIGINT), ("SIGTERM", libc::SIGTERM)] {
        let catalogue = common::catalogue_with_profile();
        let vendor = vendor(Duration::from_millis(700), Duration::ZERO);
        let dir = tempfile::tempdir().unwrap();
        let child = start_run_until(catalogue.path(), &vendor, dir.path(), "GET /api-info ", &[]);
        signal(&child, sig);
        let (out, _) = wait_at_most(child, Duration::from_secs(20));
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(3), "{name}: an interrupted run exits 3\n{stderr}");
        let report = report(dir.path(), &out);
        assert_eq!(report["interrupted"], true, "{name}");
        assert_eq!(report["verdict"], "not_certified", "{name}");
        assert_eq!(verdict_of(&report, "THING-001"), "pass", "{name}");
        assert_eq!(verdict_of(&report, "VER.06"), "pass", "{name}: the probe in flight settled and was judged");
        assert_eq!(verdict_of(&report, "FOR.02"), "not_tested", "{name}: its probe never started");
        assert_eq!(api_info_probes(&vendor), 1, "{name}: no probe starts after the stop");
        assert_nothing_blamed_on_the_vendor(&report);
        let text = std::fs::read_to_string(dir.path().join("r.txt")).unwrap();
        assert!(text.contains("INTERRUPTED"), "{name}: {text}");
        // The certificate's statement says the run was cut, not that the product fails.
        let stdout = String::from_utf8_lossy(&out.stdout);
        for said in [&text, &*stdout] {
            assert!(said.contains("was interrupted, and no requirement that counts failed"), "{name}: {said}");
            assert!(!said.contains("does not meet"), "{name}: {said}");
        }
    }
}

/// After the second signal: the run ends at once (not after `--timeout`), exits 3, and its
/// report, marked interrupted, is written.
fn ended_at_once(child: Child, dir: &Path) -> Value {
    let (out, took) = wait_at_most(child, Duration::from_secs(20));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(took < Duration::from_secs(3), "the second signal ends the run at once, not after --timeout: {took:?}");
    assert_eq!(out.status.code(), Some(3), "an interrupted run exits 3\n{stderr}");
    let report = report(dir, &out);
    assert_eq!(report["interrupted"], true);
    report
}

#[test]
fn a_second_signal_abandons_a_hanging_probe_at_once_and_the_reports_are_still_written() {
    let catalogue = common::catalogue_with_profile();
    let vendor = vendor(NEVER, Duration::ZERO);
    let dir = tempfile::tempdir().unwrap();
    let mut child = start_run_until(catalogue.path(), &vendor, dir.path(), "GET /api-info ", &[]);
    signal(&child, libc::SIGINT);
    std::thread::sleep(Duration::from_millis(300));
    assert!(child.try_wait().unwrap().is_none(), "after one signal, the probe in flight is waited for");
    signal(&child, libc::SIGINT);
    let report = ended_at_once(child, dir.path());
    assert_eq!(verdict_of(&report, "THING-001"), "pass");
    assert_eq!(verdict_of(&report, "VER.06"), "not_tested", "the abandoned probe judges nothing");
    assert_eq!(verdict_of(&report, "FOR.02"), "not_tested");
    assert_eq!(api_info_probes(&vendor), 1, "no probe starts after the stop");
    assert_nothing_blamed_on_the_vendor(&report);
    assert!(std::fs::read_to_string(dir.path().join("r.txt")).unwrap().contains("INTERRUPTED"));
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 2, "no temporary files are left");
}

#[test]
fn a_second_signal_abandons_a_hanging_step_and_its_reason_says_so() {
    let catalogue = common::catalogue_with_profile();
    let vendor = vendor(Duration::ZERO, NEVER);
    let dir = tempfile::tempdir().unwrap();
    // The preflight's probe is a `GET /thing` too, and would hang there (a stop during the
    // preflight: tests/preflight.rs): the step is the one awaited here.
    let child = start_run_until(catalogue.path(), &vendor, dir.path(), "GET /thing ", &["--no-preflight"]);
    // SIGTERM then Ctrl-C: the two count together.
    signal(&child, libc::SIGTERM);
    std::thread::sleep(Duration::from_millis(100));
    signal(&child, libc::SIGINT);
    let report = ended_at_once(child, dir.path());
    let step = &report["specifications"][0]["scenarios"][0]["steps"][0];
    assert_eq!(step["verdict"], "skipped", "{step:#}");
    assert!(step["reason"].as_str().unwrap().contains("abandoned"), "{step:#}");
    assert_eq!(vendor.request_count(), 1, "nothing else was sent: {:?}", vendor.requests.lock().unwrap());
    // What the stop cut could not be judged; nothing failed.
    assert_eq!(report["counts"]["steps_failed"], 0, "{}", report["counts"]);
    assert_eq!(report["counts"]["requirements_failed"], 0, "{}", report["counts"]);
}
