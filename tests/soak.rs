//! Soak under faults: 20,000 steps at `--jobs 64` against a server that delays, stalls past
//! the timeout, resets, answers 500, sends garbage, truncated bodies, bodies that break the
//! schema and responses that are not HTTP. The fault of each request follows from its
//! request id (`workload::fault_for`), which the report's evidence carries, so every step
//! is checked for the one verdict and the reason its fault calls for; every scenario and
//! requirement verdict is recomputed from its steps by the rules of PRODUCT.md; the counts
//! must add up, the reports must be complete and valid, nothing may hang, and memory must
//! stay flat as the run grows tenfold.
//!
//! One test in its own binary: peak memory is read from `getrusage(RUSAGE_CHILDREN)`, which
//! covers every child this process has waited for.

mod common;

use std::collections::BTreeMap;
use std::path::Path;
use std::time::Duration;

use common::workload::{self, Fault, FaultClass};
use common::{assert_fits_schema, konform, Run};
use serde_json::Value;

/// The peak resident set of the largest child waited for so far, in KiB.
fn peak_rss_of_children_kib() -> i64 {
    // SAFETY: getrusage only writes into the struct it is given.
    unsafe {
        let mut usage: libc::rusage = std::mem::zeroed();
        assert_eq!(libc::getrusage(libc::RUSAGE_CHILDREN, &mut usage), 0);
        usage.ru_maxrss
    }
}

const SEED: u64 = 0x5eed_2026;
/// The client's timeout; a stalled answer comes later (`STALL`). Generous, so that a good
/// answer on a busy two-core machine never times out.
const TIMEOUT: &str = "3s";
const STALL: Duration = Duration::from_secs(4);

struct Soak {
    run: Run,
    json: std::path::PathBuf,
    junit: std::path::PathBuf,
    peak_kib: i64,
}

/// A run's reports, read. Only after every run: a child starts as a copy of this process
/// (fork, then exec), so what this process holds when it starts one counts in that child's
/// peak.
struct Read {
    run: Run,
    report: Value,
    junit: String,
}

impl Soak {
    fn read(self) -> Read {
        let report =
            serde_json::from_str(&std::fs::read_to_string(&self.json).unwrap_or_default()).unwrap_or(Value::Null);
        let junit = std::fs::read_to_string(&self.junit).unwrap_or_default();
        Read { run: self.run, report, junit }
    }
}

fn soak(catalogue: &Path, out: &Path, url: &str, repeat: u32) -> Soak {
    let json = out.join(format!("soak-{repeat}.json"));
    let junit = out.join(format!("soak-{repeat}.xml"));
    let run: Run = konform()
        .args(["run", "soak", "--catalogue"])
        .arg(catalogue)
        .args(["--base-url", url, "--jobs", "64", "--timeout", TIMEOUT, "--retries", "1"])
        .args(["--repeat", &repeat.to_string()])
        .arg("--report")
        .arg(format!("json={}", json.display()))
        .arg("--report")
        .arg(format!("junit={}", junit.display()))
        // Nothing may hang: a run that has not ended in five minutes fails the test.
        .timeout(Duration::from_secs(300))
        .output()
        .unwrap()
        .into();
    Soak { run, json, junit, peak_kib: peak_rss_of_children_kib() }
}

fn count(report: &Value, key: &str) -> u64 {
    report["counts"][key].as_u64().unwrap_or_else(|| panic!("no counts.{key}"))
}

/// The verdict a step that met `fault` must have, and words its reason must contain.
fn expected(fault: Fault) -> (&'static str, &'static str) {
    match fault {
        Fault::None | Fault::Delay => ("pass", ""),
        Fault::Stall => ("error", "timed out after 3s"),
        Fault::Reset => ("error", "Connection reset by peer"),
        Fault::ServerError => ("fail", "status: expected status 200, got 500"),
        Fault::Garbage => ("fail", "not valid JSON"),
        Fault::Truncated => ("error", "while reading the body"),
        Fault::WrongSchema => ("fail", "body-schema"),
        Fault::BadHead => ("error", "invalid HTTP"),
    }
}

fn header<'a>(exchange: &'a Value, name: &str) -> Option<&'a str> {
    exchange["request_headers"]
        .as_array()?
        .iter()
        .find(|h| h[0].as_str().is_some_and(|k| k.eq_ignore_ascii_case(name)))
        .and_then(|h| h[1].as_str())
}

/// Checks every step of a scenario against the fault its request met, and returns the
/// scenario's verdict as the rules derive it from its steps.
fn check_scenario(sc: &Value, mismatches: &mut Vec<String>) -> &'static str {
    let id = sc["id"].as_str().unwrap();
    let steps = sc["steps"].as_array().unwrap();
    assert_eq!(steps.len(), 2, "{id}");
    let mut verdicts = Vec::new();
    let mut captured = true;
    for (n, st) in steps.iter().enumerate() {
        let verdict = st["verdict"].as_str().unwrap();
        let reason = st["reason"].as_str().unwrap_or("");
        let (want, words) = if !captured {
            // The first step captured nothing, so this one cannot be built.
            ("skipped", "did not capture")
        } else {
            let exchange = &st["exchange"];
            let request = header(exchange, "x-request-id").unwrap_or_else(|| panic!("{id} step {n}: no request id"));
            let class = FaultClass::parse(header(exchange, "x-faults").unwrap_or(""));
            let fault = workload::fault_for(SEED, class, request);
            if n == 0 {
                captured = matches!(fault, Fault::None | Fault::Delay);
            }
            expected(fault)
        };
        if verdict != want || !reason.contains(words) || (want != "pass" && reason.is_empty()) {
            mismatches.push(format!("{id} step {n}: expected {want} ({words:?}), got {verdict}: {reason}"));
        }
        verdicts.push(verdict);
    }
    if verdicts.contains(&"fail") {
        "fail"
    } else if verdicts.iter().any(|v| *v != "pass") {
        "error"
    } else {
        "pass"
    }
}

fn check_run(s: &Read, steps: u64) {
    // Faults make the vendor fail certification (exit 1); a crash, a run error or a
    // kill by the timeout would not be 1.
    assert_eq!(s.run.code, 1, "stdout:\n{}\nstderr:\n{}", s.run.stdout, s.run.stderr);
    assert!(!s.run.stderr.contains("panicked"), "{}", s.run.stderr);
    let report = &s.report;
    assert_fits_schema(report);
    assert_eq!(report["interrupted"], false);
    assert_eq!(count(report, "steps"), steps);
    assert_eq!(
        count(report, "steps_passed")
            + count(report, "steps_failed")
            + count(report, "steps_error")
            + count(report, "steps_skipped"),
        steps,
        "the verdict counts add up to the steps"
    );
    // Every step is in the report, once, with the verdict and reason of its fault.
    let spec = &report["specifications"][0];
    let scenarios = spec["scenarios"].as_array().unwrap();
    assert_eq!(scenarios.len() as u64, steps / 2);
    let mut step_verdicts: BTreeMap<String, u64> = BTreeMap::new();
    let mut scenario_verdicts: BTreeMap<String, &'static str> = BTreeMap::new();
    let mut mismatches = Vec::new();
    for sc in scenarios {
        for st in sc["steps"].as_array().unwrap() {
            *step_verdicts.entry(st["verdict"].as_str().unwrap().to_string()).or_default() += 1;
        }
        let derived = check_scenario(sc, &mut mismatches);
        assert_eq!(sc["verdict"], derived, "scenario {} against its steps", sc["id"]);
        let id = sc["id"].as_str().unwrap().to_string();
        assert!(scenario_verdicts.insert(id.clone(), derived).is_none(), "scenario {id} twice");
    }
    assert!(mismatches.is_empty(), "{} steps do not show their fault:\n{}", mismatches.len(), mismatches.join("\n"));
    for (verdict, key) in
        [("pass", "steps_passed"), ("fail", "steps_failed"), ("error", "steps_error"), ("skipped", "steps_skipped")]
    {
        assert_eq!(step_verdicts.get(verdict).copied().unwrap_or(0), count(report, key), "{key}");
        assert!(step_verdicts.get(verdict).copied().unwrap_or(0) > 0, "no {verdict} step: {step_verdicts:?}");
    }
    // Every requirement's verdict is the rule applied to every round of every scenario
    // covering it: SOAK-010's scenarios meet no fault, SOAK-009's only errors.
    for r in spec["requirements"].as_array().unwrap() {
        let id = r["id"].as_str().unwrap();
        let covering: Vec<&str> = scenarios
            .iter()
            .filter(|sc| sc["covers"].as_array().unwrap().iter().any(|c| c == id))
            .map(|sc| scenario_verdicts[sc["id"].as_str().unwrap()])
            .collect();
        assert_eq!(covering.len() as u64, steps / 20, "{id} is covered by a tenth of the scenario runs");
        let derived = if covering.contains(&"fail") {
            "fail"
        } else if covering.iter().any(|v| *v != "pass") {
            "error"
        } else {
            "pass"
        };
        assert_eq!(r["verdict"], derived, "{id}");
        let class = FaultClass::of_requirement(id[5..].parse().unwrap());
        let planned = match class {
            FaultClass::Clean => "pass",
            FaultClass::Errors => "error",
            FaultClass::All => "fail",
        };
        assert_eq!(derived, planned, "{id}: its scenarios met {class:?} faults");
    }
    // The JUnit report has a test case per step.
    assert_eq!(s.junit.matches("<testcase ").count() as u64, steps);
}

#[test]
fn twenty_thousand_steps_under_faults_each_with_its_own_verdict() {
    let dir = tempfile::tempdir().unwrap();
    let catalogue = dir.path().join("catalogue");
    // 10 scenarios of 2 steps: 20 steps a round.
    workload::write_faulty_catalogue(&catalogue, 10, 2);
    let server = workload::serve(Some(SEED), STALL);

    // The small run first, so that the children's peak read after it is its own.
    let small = soak(&catalogue, dir.path(), &server.url(), 100);
    let big = soak(&catalogue, dir.path(), &server.url(), 1000);
    let (small_kib, big_kib) = (small.peak_kib, big.peak_kib);
    eprintln!("peak RSS: 2,000 steps {small_kib} KiB, 20,000 steps {big_kib} KiB");
    check_run(&small.read(), 2_000);
    check_run(&big.read(), 20_000);

    // Memory stays flat: ten times the steps, at most 1.5 times the peak.
    assert!(
        big_kib as f64 <= small_kib as f64 * 1.5,
        "peak RSS grew from {small_kib} KiB (2,000 steps) to {big_kib} KiB (20,000 steps)"
    );
    drop(server);
}
