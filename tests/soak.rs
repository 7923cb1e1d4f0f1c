//! Soak under faults: 20,000 steps at `--jobs 64` against a server that, with a fixed seed,
//! delays, stalls past the timeout, resets, answers 500, sends garbage, truncated bodies,
//! bodies that break the schema and responses that are not HTTP. Every step must get
//! exactly one verdict, the counts must add up, the reports must be complete and valid,
//! nothing may hang, and memory must stay flat as the run grows tenfold.
//!
//! One test in its own binary: peak memory is read from `getrusage(RUSAGE_CHILDREN)`, which
//! covers every child this process has waited for.

mod common;

use std::collections::BTreeMap;
use std::path::Path;
use std::time::Duration;

use common::{assert_fits_schema, konform, workload, Run};
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

struct Soak {
    run: Run,
    report: Value,
    junit: String,
    peak_kib: i64,
}

fn soak(catalogue: &Path, out: &Path, url: &str, repeat: u32) -> Soak {
    let json = out.join(format!("soak-{repeat}.json"));
    let junit = out.join(format!("soak-{repeat}.xml"));
    let run: Run = konform()
        .args(["run", "soak", "--catalogue"])
        .arg(catalogue)
        .args(["--base-url", url, "--jobs", "64", "--timeout", "1s", "--retries", "1"])
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
    let report = serde_json::from_str(&std::fs::read_to_string(&json).unwrap_or_default()).unwrap_or(Value::Null);
    let junit = std::fs::read_to_string(&junit).unwrap_or_default();
    Soak { run, report, junit, peak_kib: peak_rss_of_children_kib() }
}

fn count(report: &Value, key: &str) -> u64 {
    report["counts"][key].as_u64().unwrap_or_else(|| panic!("no counts.{key}"))
}

#[test]
fn twenty_thousand_steps_under_random_faults() {
    let dir = tempfile::tempdir().unwrap();
    let catalogue = dir.path().join("catalogue");
    // 10 scenarios of 2 steps: 20 steps a round.
    workload::write_catalogue(&catalogue, 10, 2);
    let server = workload::serve(Some(0x5eed_2026), Duration::from_millis(1500));

    // The small run first, so that the children's peak read after it is its own.
    let small = soak(&catalogue, dir.path(), &server.url(), 100);
    let big = soak(&catalogue, dir.path(), &server.url(), 1000);
    let (small_kib, big_kib) = (small.peak_kib, big.peak_kib);
    eprintln!("peak RSS: 2,000 steps {small_kib} KiB, 20,000 steps {big_kib} KiB");

    for (s, steps) in [(&small, 2_000u64), (&big, 20_000)] {
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
        // Every step is in the report, once, with one verdict; the counts are the steps'.
        let scenarios = report["specifications"][0]["scenarios"].as_array().unwrap();
        assert_eq!(scenarios.len() as u64, steps / 2);
        let mut verdicts: BTreeMap<String, u64> = BTreeMap::new();
        let mut ids = std::collections::HashSet::new();
        for sc in scenarios {
            assert!(ids.insert(sc["id"].as_str().unwrap().to_string()), "scenario {} twice", sc["id"]);
            let steps = sc["steps"].as_array().unwrap();
            assert_eq!(steps.len(), 2, "{}", sc["id"]);
            for st in steps {
                *verdicts.entry(st["verdict"].as_str().unwrap().to_string()).or_default() += 1;
                if st["verdict"] != "pass" {
                    assert!(st["reason"].as_str().is_some_and(|r| !r.is_empty()), "no reason: {st}");
                }
            }
        }
        assert_eq!(verdicts.get("pass").copied().unwrap_or(0), count(report, "steps_passed"));
        assert_eq!(verdicts.get("fail").copied().unwrap_or(0), count(report, "steps_failed"));
        assert_eq!(verdicts.get("error").copied().unwrap_or(0), count(report, "steps_error"));
        assert_eq!(verdicts.get("skipped").copied().unwrap_or(0), count(report, "steps_skipped"));
        // Every kind of outcome happened: the faults reached konform.
        for verdict in ["pass", "fail", "error", "skipped"] {
            assert!(verdicts.get(verdict).copied().unwrap_or(0) > 0, "no {verdict} step: {verdicts:?}");
        }
        // The JUnit report has a test case per step.
        assert_eq!(s.junit.matches("<testcase ").count() as u64, steps);
    }

    // Every fault kind is reported with its own reason somewhere in the big run.
    let text = big.report.to_string();
    for expected in ["timed out", "status 500", "not valid JSON", "schema"] {
        assert!(text.contains(expected), "no step reports `{expected}`");
    }

    // Memory stays flat: ten times the steps, at most 1.5 times the peak.
    assert!(
        big_kib as f64 <= small_kib as f64 * 1.5,
        "peak RSS grew from {small_kib} KiB (2,000 steps) to {big_kib} KiB (20,000 steps)"
    );
    drop(server);
}
