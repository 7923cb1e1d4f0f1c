//! Shards: `demo --shard K/N` over the whole catalogue, for N = 1, 2, 3 and 7, each shard
//! with its own reference vendor, merged by `konform report merge`, gives the verdicts and
//! counts of the unsharded run: per requirement, per scenario, the departures from the
//! OpenAPI document (attributed across scenarios of different shards), and the passive
//! profile rules added up across shards; clean, with a departure seen in setup steps
//! (`permit-null-description`) and with error responses of the wrong media type
//! (`wrong-content-type`, FEL.02). Shards that do not belong together are refused with
//! exit 2 naming the file; a merged report can be signed.

mod common;

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use common::{konform, Run};
use serde_json::Value;

fn json(path: &Path) -> Value {
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

/// `konform demo` in `dir` with `args`, its JSON report at `dir/name`.
fn demo(dir: &Path, name: &str, args: &[&str]) -> (Run, PathBuf) {
    let path = dir.join(name);
    let out: Run = konform()
        .current_dir(dir)
        .arg("demo")
        .args(args)
        .args(["--report", &format!("json={}", path.display())])
        .output()
        .unwrap()
        .into();
    (out, path)
}

fn merge(dir: &Path, shards: &[&Path], extra: &[&str]) -> Run {
    konform().current_dir(dir).args(["report", "merge"]).args(shards).args(extra).output().unwrap().into()
}

/// What a run decided, in a form two runs can be compared by: per specification, its
/// verdict and counts, each requirement's verdict and departures, each scenario's verdict
/// (and for the profile rules, how many checks said what), and each departure's operation,
/// status, check, count and requirements.
fn decided(report: &Value) -> Value {
    let specs: Vec<Value> = report["specifications"]
        .as_array()
        .unwrap()
        .iter()
        .map(|spec| {
            // Departures are numbered as first seen, which depends on which scenario ended
            // first: they are named by what they are instead.
            let departures: BTreeMap<String, Value> = spec["departures"]
                .as_array()
                .map(|ds| {
                    ds.iter()
                        .map(|d| {
                            let what = serde_json::json!([d["operation"], d["status"], d["check"], d["message_data"]]);
                            (d["id"].as_str().unwrap().to_string(), what)
                        })
                        .collect()
                })
                .unwrap_or_default();
            let requirements: BTreeMap<String, Value> = spec["requirements"]
                .as_array()
                .unwrap()
                .iter()
                .map(|r| {
                    let mut attributed: Vec<String> = r["departures"]
                        .as_array()
                        .map(|ids| ids.iter().map(|id| departures[id.as_str().unwrap()].to_string()).collect())
                        .unwrap_or_default();
                    attributed.sort();
                    (
                        r["id"].as_str().unwrap().to_string(),
                        serde_json::json!([r["verdict"], attributed, r["scenarios"]]),
                    )
                })
                .collect();
            let scenarios: BTreeMap<String, Value> = spec["scenarios"]
                .as_array()
                .unwrap()
                .iter()
                .map(|s| {
                    let id = s["id"].as_str().unwrap().to_string();
                    let steps = s["steps"].as_array().unwrap();
                    // The profile rules' synthetic scenarios: what their checks said, by kind
                    // (which violations are listed first may differ; how many things a passive
                    // rule saw depends on the vendor's state, which differs when every shard
                    // has a vendor of its own: `passive_counts_add_up` checks those counts).
                    let said: Vec<Value> = if id.starts_with("api-profile/") {
                        steps
                            .iter()
                            .flat_map(|st| st["checks"].as_array().unwrap())
                            .map(|c| serde_json::json!([c["passed"], c["message_data"]["key"]]))
                            .collect()
                    } else {
                        Vec::new()
                    };
                    (id, serde_json::json!([s["verdict"], s["blocked_by"], steps.len(), said]))
                })
                .collect();
            let mut departures: Vec<String> = spec["departures"]
                .as_array()
                .map(|ds| {
                    ds.iter()
                        .map(|d| {
                            let what = [&d["operation"], &d["status"], &d["check"], &d["message_data"]];
                            serde_json::json!([what, d["count"], d["requirements"]]).to_string()
                        })
                        .collect()
                })
                .unwrap_or_default();
            departures.sort();
            serde_json::json!({
                "spec": format!("{}@{}", spec["id"].as_str().unwrap(), spec["version"].as_str().unwrap()),
                "verdict": spec["verdict"],
                "partial": spec["partial"],
                "counts": spec["counts"],
                "requirements": requirements,
                "scenarios": scenarios,
                "departures": departures,
            })
        })
        .collect();
    serde_json::json!({ "verdict": report["verdict"], "partial": report["partial"], "counts": report["counts"], "specifications": specs })
}

/// The unsharded demo and the merges of its shards for N = 1, 2, 3, 7, with `faults`:
/// the same decisions. Returns the unsharded report.
fn shards_merge_to_the_unsharded_run(faults: &[&str]) -> Value {
    let dir = tempfile::tempdir().unwrap();
    let fault_args: Vec<&str> = faults.iter().flat_map(|f| ["--fault", f]).collect();
    let (whole_run, whole) = demo(dir.path(), "whole.json", &fault_args);
    let whole = json(&whole);
    assert!(whole.get("shard").is_none());
    let expected_code = if whole["verdict"] == "certified" { 0 } else { 1 };
    assert_eq!(whole_run.code, expected_code, "{}", whole_run.stderr);
    for count in [1, 2, 3, 7] {
        let mut paths = Vec::new();
        let mut scenarios = 0;
        for index in 1..=count {
            let shard = format!("{index}/{count}");
            let args = [fault_args.as_slice(), &["--shard", &shard]].concat();
            let (out, path) = demo(dir.path(), &format!("shard-{index}-of-{count}.json"), &args);
            assert!(out.code == 0 || out.code == 1, "shard {shard}: {}", out.stderr);
            let report = json(&path);
            common::assert_fits_schema(&report);
            assert_eq!(report["shard"]["index"], index);
            assert_eq!(report["shard"]["count"], count);
            assert_eq!(report["partial"], count > 1, "shard {shard}");
            if count > 1 {
                assert_eq!(report["verdict"], "not_certified", "a shard is never certified on its own");
                assert!(out.stdout.contains(&format!("This is shard {index} of {count}")), "{}", out.stdout);
            }
            // Only shard 1 probes the profile rules.
            let probed = report["specifications"][0]["scenarios"]
                .as_array()
                .unwrap()
                .iter()
                .any(|s| s["id"] == "api-profile/VER.06");
            assert_eq!(probed, index == 1, "shard {shard}");
            scenarios += report["specifications"]
                .as_array()
                .unwrap()
                .iter()
                .flat_map(|s| s["scenarios"].as_array().unwrap())
                .filter(|s| !s["id"].as_str().unwrap().starts_with("api-profile/"))
                .count();
            paths.push(path);
        }
        let own = whole["specifications"]
            .as_array()
            .unwrap()
            .iter()
            .flat_map(|s| s["scenarios"].as_array().unwrap())
            .filter(|s| !s["id"].as_str().unwrap().starts_with("api-profile/"))
            .count();
        assert_eq!(scenarios, own, "{count} shards run every scenario once");
        let merged_path = dir.path().join(format!("merged-{count}.json"));
        let shards: Vec<&Path> = paths.iter().map(PathBuf::as_path).collect();
        let out = merge(dir.path(), &shards, &["-o", merged_path.to_str().unwrap()]);
        assert_eq!(out.code, expected_code, "merging {count} shards: {}\n{}", out.stdout, out.stderr);
        let merged = json(&merged_path);
        common::assert_fits_schema(&merged);
        assert!(merged.get("shard").is_none(), "the merged report is not a shard");
        assert_eq!(merged["catalogue"], whole["catalogue"]);
        assert_eq!(decided(&merged), decided(&whole), "{count} shards merged differ from the unsharded run");
        passive_counts_add_up(&paths, &merged);
    }
    whole
}

/// Each passive profile rule of the merged report counts what the shards observed, added
/// up: all `seen` when none violated it, else the violations (the first 20 listed, the
/// rest in one `and-more` check).
fn passive_counts_add_up(shards: &[PathBuf], merged: &Value) {
    let mut seen: BTreeMap<(String, String), (u64, u64)> = BTreeMap::new();
    for path in shards {
        for p in json(path)["shard"]["passive"].as_array().unwrap() {
            let key = (
                p["specification"].as_str().unwrap().to_string(),
                format!("{}/{}", p["profile"].as_str().unwrap(), p["rule"].as_str().unwrap()),
            );
            let entry = seen.entry(key).or_default();
            entry.0 += p["seen"].as_u64().unwrap();
            entry.1 += p["violations"].as_u64().unwrap();
        }
    }
    assert!(!seen.is_empty());
    for spec in merged["specifications"].as_array().unwrap() {
        let key = format!("{}@{}", spec["id"].as_str().unwrap(), spec["version"].as_str().unwrap());
        for ((of, rule), (seen, violations)) in seen.iter().filter(|((of, _), _)| *of == key) {
            let scenario = spec["scenarios"].as_array().unwrap().iter().find(|s| s["id"] == rule.as_str());
            let Some(scenario) = scenario else {
                assert_eq!(*seen, 0, "{of} {rule}: seen {seen} times, yet not judged");
                continue;
            };
            let checks = scenario["steps"][0]["checks"].as_array().unwrap();
            if *violations == 0 {
                assert_eq!(checks.len(), 1, "{of} {rule}");
                assert_eq!(checks[0]["message_data"]["args"]["count"], *seen, "{of} {rule}");
            } else {
                let listed = checks.iter().filter(|c| c["message_data"]["key"] != "and-more").count() as u64;
                let more = checks
                    .iter()
                    .find(|c| c["message_data"]["key"] == "and-more")
                    .map_or(0, |c| c["message_data"]["args"]["count"].as_u64().unwrap());
                assert_eq!((listed, listed + more), (violations.min(&20).to_owned(), *violations), "{of} {rule}");
            }
        }
    }
}

#[test]
fn clean_shards_merge_to_the_certified_unsharded_run() {
    let whole = shards_merge_to_the_unsharded_run(&[]);
    assert_eq!(whole["verdict"], "certified");
}

#[test]
fn a_departure_seen_across_shards_is_counted_and_attributed_as_unsharded() {
    let whole = shards_merge_to_the_unsharded_run(&["permit-null-description"]);
    // The test means something only if the departure is there, seen more than once.
    let permit = whole["specifications"].as_array().unwrap().iter().find(|s| s["id"] == "building-permit").unwrap();
    let departures = permit["departures"].as_array().unwrap();
    assert!(!departures.is_empty() && departures[0]["count"].as_u64().unwrap() > 1, "{departures:?}");
    assert_eq!(whole["verdict"], "not_certified");
}

#[test]
fn the_passive_profile_rules_add_up_across_shards() {
    let whole = shards_merge_to_the_unsharded_run(&["wrong-content-type"]);
    // FEL.02 fails in the unsharded run, from error responses in several scenarios.
    let fel02: Vec<&Value> = whole["specifications"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|s| s["requirements"].as_array().unwrap())
        .filter(|r| r["id"] == "FEL.02")
        .collect();
    assert!(fel02.iter().any(|r| r["verdict"] == "fail"), "{fel02:?}");
}

#[test]
fn the_probed_profile_rules_come_from_shard_1() {
    let whole = shards_merge_to_the_unsharded_run(&["no-api-info"]);
    // VER.06 is judged on the probe alone, and does not pass: the merge took shard 1's.
    let ver06: Vec<&Value> = whole["specifications"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|s| s["requirements"].as_array().unwrap())
        .filter(|r| r["id"] == "VER.06")
        .collect();
    assert!(!ver06.is_empty() && ver06.iter().all(|r| r["verdict"] != "pass"), "{ver06:?}");
}

#[test]
fn repetitions_are_merged_round_by_round() {
    let dir = tempfile::tempdir().unwrap();
    let args = ["case-intake@1.1.0", "--repeat", "2"];
    let (_, whole) = demo(dir.path(), "whole.json", &args);
    let a = demo(dir.path(), "a.json", &[&args[..], &["--shard", "1/2"]].concat()).1;
    let b = demo(dir.path(), "b.json", &[&args[..], &["--shard", "2/2"]].concat()).1;
    let out = merge(dir.path(), &[&b, &a], &["-o", "m.json"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let (whole, merged) = (json(&whole), json(&dir.path().join("m.json")));
    assert_eq!(decided(&merged), decided(&whole));
    // In the plan's order: every scenario of round 1, then of round 2.
    let ids = |r: &Value| -> Vec<String> {
        r["specifications"][0]["scenarios"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s["id"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(ids(&merged), ids(&whole));
}

#[test]
fn renaming_suite_files_does_not_move_scenarios_between_shards() {
    let dir = tempfile::tempdir().unwrap();
    let catalogue = dir.path().join("catalogue");
    assert_eq!(
        konform().current_dir(dir.path()).args(["catalogue", "export", "catalogue"]).output().unwrap().status.code(),
        Some(0)
    );
    let (_, before) =
        demo(dir.path(), "before.json", &["case-intake@1.1.0", "--catalogue", "catalogue", "--shard", "2/3"]);
    // Every suite file renamed, so they sort in another order.
    let scenarios = catalogue.join("case-intake/1.1.0/scenarios");
    for (from, to) in [
        ("language.yaml", "z-language.yaml"),
        ("submission.yaml", "a-submission.yaml"),
        ("lifecycle.yaml", "m-lifecycle.yaml"),
    ] {
        std::fs::rename(scenarios.join(from), scenarios.join(to)).unwrap();
    }
    let (_, after) =
        demo(dir.path(), "after.json", &["case-intake@1.1.0", "--catalogue", "catalogue", "--shard", "2/3"]);
    let ran = |path: &Path| -> Vec<String> {
        let mut ids: Vec<String> = json(path)["specifications"][0]["scenarios"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s["id"].as_str().unwrap().to_string())
            .collect();
        ids.sort();
        ids
    };
    let (before, after) = (ran(&before), ran(&after));
    assert!(before.len() > 2, "{before:?}");
    assert_eq!(before, after);
}

#[test]
fn with_gate_selected_a_shard_exits_by_its_slice_and_without_it_never_0() {
    let dir = tempfile::tempdir().unwrap();
    // `wrong-status` breaks a case-intake scenario; some shard has it, another may not.
    let mut codes = Vec::new();
    for index in 1..=3 {
        let shard = format!("{index}/3");
        let (out, path) = demo(
            dir.path(),
            &format!("{index}.json"),
            &["case-intake@1.1.0", "--fault", "wrong-status", "--shard", &shard, "--gate", "selected"],
        );
        let report = json(&path);
        let failed = report["specifications"][0]["requirements"]
            .as_array()
            .unwrap()
            .iter()
            .any(|r| r["level"] == "must" && !["pass", "not_tested"].contains(&r["verdict"].as_str().unwrap()));
        assert_eq!(out.code, if failed { 1 } else { 0 }, "shard {shard}: {}", out.stderr);
        codes.push(out.code);
        // What the certificate says of a shard: tested against part of the requirements,
        // unless a requirement that counts failed in it.
        let part = out.stdout.contains("was tested against part of the MUST requirements of case-intake 1.1.0");
        assert_eq!(part, !failed, "shard {shard}: {}", out.stdout);
    }
    assert!(codes.contains(&1), "some shard has the failing scenario: {codes:?}");
    let clean = demo(dir.path(), "clean.json", &["case-intake@1.1.0", "--shard", "2/3", "--gate", "selected"]).0;
    assert_eq!(clean.code, 0, "{}", clean.stderr);
    // A shard is never certified: without `--gate selected` it exits 1 however clean.
    let certified_gate = demo(dir.path(), "gate.json", &["case-intake@1.1.0", "--shard", "2/3"]).0;
    assert_eq!(certified_gate.code, 1, "{}", certified_gate.stderr);
}

#[test]
fn waivers_apply_to_the_merged_report_as_to_the_unsharded_run() {
    let dir = tempfile::tempdir().unwrap();
    // `wrong-status` breaks CASE-008 of case-intake 1.1.0; the waiver accepts it.
    let waiver = dir.path().join("w.yaml");
    std::fs::write(
        &waiver,
        "waivers:\n  - specification: case-intake\n    version: 1.1.0\n    requirement: CASE-008\n    \
         reason: Supplements are answered 200 instead of 201.\n    reference: SUND-1234\n    \
         approved_by: Anna Berg\n    expires: 2027-03-31\n",
    )
    .unwrap();
    let declared = ["--waivers", "w.yaml", "--now", "2027-01-15"];
    let run = ["case-intake@1.1.0", "--fault", "wrong-status"];
    let (whole_run, whole) = demo(dir.path(), "whole.json", &[&run[..], &declared].concat());
    assert_eq!(whole_run.code, 0, "{}", whole_run.stderr);
    // The shards are run without the waiver: the merge is given it.
    let a = demo(dir.path(), "a.json", &[&run[..], &["--shard", "1/2"]].concat()).1;
    let b = demo(dir.path(), "b.json", &[&run[..], &["--shard", "2/2"]].concat()).1;
    let out = merge(dir.path(), &[&a, &b], &[&["-o", "m.json"][..], &declared].concat());
    assert_eq!(out.code, 0, "{}\n{}", out.stdout, out.stderr);
    let (whole, merged) = (json(&whole), json(&dir.path().join("m.json")));
    assert_eq!(decided(&merged), decided(&whole));
    let case008 = |r: &Value| {
        r["specifications"][0]["requirements"]
            .as_array()
            .unwrap()
            .iter()
            .find(|q| q["id"] == "CASE-008")
            .unwrap()
            .clone()
    };
    assert_eq!(case008(&merged)["verdict"], "waived");
    assert_eq!(case008(&merged)["waiver"], case008(&whole)["waiver"]);
    assert_eq!((merged["as_of"].as_str(), merged["verdict"].as_str()), (whole["as_of"].as_str(), Some("certified")));
    // Without the waiver, the merge does not certify.
    let without = merge(dir.path(), &[&a, &b], &["-o", "m2.json"]);
    assert_eq!(without.code, 1, "{}", without.stderr);
}

/// Two shards of the whole catalogue's plan, clean, in `dir`: 1/2 and 2/2.
fn two_shards(dir: &Path) -> (PathBuf, PathBuf) {
    let one = demo(dir, "one.json", &["--shard", "1/2"]).1;
    let two = demo(dir, "two.json", &["--shard", "2/2"]).1;
    (one, two)
}

fn assert_refused(out: &Run, file: &Path, because: &str) {
    assert_eq!(out.code, 2, "{}\n{}", out.stdout, out.stderr);
    let name = file.display().to_string();
    assert!(out.stderr.contains(&name), "the message names {name}: {}", out.stderr);
    assert!(out.stderr.contains(because), "the message says `{because}`: {}", out.stderr);
}

#[test]
fn shards_that_do_not_belong_together_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let (one, two) = two_shards(dir.path());
    let out = |shards: &[&Path]| merge(dir.path(), shards, &["-o", "merged.json"]);

    // Another plan: one specification only.
    let other_plan = demo(dir.path(), "plan.json", &["case-intake@1.1.0", "--shard", "2/2"]).1;
    assert_refused(
        &out(&[&one, &other_plan]),
        &other_plan,
        "ran the plan `case-intake@1.1.0 --repeat 1 --fail-on must`",
    );
    // Another --fail-on is another plan too.
    let fail_on = demo(dir.path(), "fail-on.json", &["--fail-on", "should", "--shard", "2/2"]).1;
    assert_refused(&out(&[&one, &fail_on]), &fail_on, "--fail-on should");
    // Another target: the reference vendor with a fault.
    let faulty = demo(dir.path(), "faulty.json", &["--fault", "wrong-status", "--shard", "2/2"]).1;
    assert_refused(&out(&[&one, &faulty]), &faulty, "faults: [wrong-status]");
    // Another count of shards.
    let thirds = demo(dir.path(), "thirds.json", &["--shard", "2/3"]).1;
    assert_refused(&out(&[&one, &thirds]), &thirds, "is a shard of 3 shards");
    // Another catalogue: an exported copy with one comment added.
    let export = konform().current_dir(dir.path()).args(["catalogue", "export", "edited"]).output().unwrap();
    assert_eq!(export.status.code(), Some(0));
    common::edit(&dir.path().join("edited/messaging/1.0.0/spec.yaml"), "id: messaging", "# edited\nid: messaging");
    let edited = demo(dir.path(), "edited.json", &["--catalogue", "edited", "--shard", "2/2"]).1;
    let catalogue_yaml =
        std::fs::read_to_string(common::project_root().join("conformance-suites/catalogue.yaml")).unwrap();
    let version = catalogue_yaml.lines().find_map(|l| l.strip_prefix("version: ")).unwrap().trim();
    assert_refused(&out(&[&one, &edited]), &edited, &format!("was made with catalogue {version} (fingerprint"));
    // The same shard twice, and a shard missing.
    assert_refused(&out(&[&one, &two, &one]), &one, "is shard 1 of 2, and so is");
    let missing = out(&[&one]);
    assert_eq!(missing.code, 2);
    assert!(missing.stderr.contains("shard 2 of 2 is missing"), "{}", missing.stderr);
    assert!(missing.stderr.contains("--allow-missing"), "{}", missing.stderr);
    // An unsigned shard whose scenario was edited to another verdict than its steps give.
    let mut edited_verdict = json(&one);
    let scenario = &mut edited_verdict["specifications"][0]["scenarios"][0];
    assert_eq!(scenario["verdict"], "pass");
    scenario["verdict"] = "fail".into();
    let changed = dir.path().join("changed.json");
    std::fs::write(&changed, serde_json::to_string_pretty(&edited_verdict).unwrap()).unwrap();
    assert_refused(&out(&[&changed, &two]), &changed, "its verdict is not the one its steps give");
    // A report made without --shard.
    let whole = demo(dir.path(), "whole.json", &[]).1;
    assert_refused(&out(&[&one, &whole]), &whole, "is not a shard's report");
    // Shards of the edited catalogue merged with the built-in one at hand.
    let edited_one = demo(dir.path(), "edited-one.json", &["--catalogue", "edited", "--shard", "1/2"]).1;
    assert_refused(
        &out(&[&edited_one, &edited]),
        &edited_one,
        "pass --catalogue with the catalogue the shards were made with",
    );
    let with_it = merge(dir.path(), &[&edited_one, &edited], &["-o", "edited-merged.json", "--catalogue", "edited"]);
    assert_eq!(with_it.code, 0, "{}", with_it.stderr);
    // Nothing was written by a refused merge.
    assert!(!dir.path().join("merged.json").exists());
}

#[test]
fn shards_of_runs_against_different_vendors_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let token = "shard-test-token";
    let start =
        || konform::reference::start(SocketAddr::from(([127, 0, 0, 1], 0)), Default::default(), token.into()).unwrap();
    let (a, b) = (start(), start());
    let run = |url: &str, shard: &str, name: &str| {
        let out: Run = konform()
            .current_dir(dir.path())
            .args(["run", "case-intake@1.1.0", "--base-url", url, "--bearer-token", token, "--shard", shard])
            .args(["--gate", "selected"])
            .args(["--report", &format!("json={name}")])
            .output()
            .unwrap()
            .into();
        assert_eq!(out.code, 0, "{}", out.stderr);
        dir.path().join(name)
    };
    let one = run(&a.url(), "1/2", "one.json");
    let two = run(&a.url(), "2/2", "two.json");
    let elsewhere = run(&b.url(), "2/2", "elsewhere.json");
    let refused = merge(dir.path(), &[&one, &elsewhere], &["-o", "m.json"]);
    assert_refused(&refused, &elsewhere, &format!("tested {}", b.url()));
    let merged = merge(dir.path(), &[&two, &one], &["-o", "m.json"]);
    assert_eq!(merged.code, 0, "{}", merged.stderr);
    assert_eq!(json(&dir.path().join("m.json"))["verdict"], "certified");
}

#[test]
fn a_partial_merge_is_never_certified() {
    let dir = tempfile::tempdir().unwrap();
    let one = demo(dir.path(), "one.json", &["--shard", "1/3"]).1;
    let three = demo(dir.path(), "three.json", &["--shard", "3/3"]).1;
    let out = merge(dir.path(), &[&one, &three], &["-o", "partial.json", "--allow-missing"]);
    assert_eq!(out.code, 1, "{}", out.stderr);
    let merged = json(&dir.path().join("partial.json"));
    assert_eq!(merged["partial"], true);
    assert_eq!(merged["verdict"], "not_certified");
}

#[test]
fn a_merged_report_can_be_signed_and_a_changed_signed_shard_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let keys = konform().current_dir(dir.path()).args(["keygen"]).output().unwrap();
    assert_eq!(keys.status.code(), Some(0));
    let one = demo(dir.path(), "one.json", &["--shard", "1/2", "--sign-key", "konform.key"]).1;
    let two = demo(dir.path(), "two.json", &["--shard", "2/2"]).1;
    let out =
        merge(dir.path(), &[&one, &two], &["-o", "merged.json", "--sign-key", "konform.key", "--issuer", "Verifier"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let merged = json(&dir.path().join("merged.json"));
    assert_eq!(merged["issuer"], "Verifier");
    let verify: Run = konform()
        .current_dir(dir.path())
        .args(["verify", "merged.json", "--public-key", "konform.pub"])
        .output()
        .unwrap()
        .into();
    assert_eq!(verify.code, 0, "{}\n{}", verify.stdout, verify.stderr);
    assert!(verify.stdout.contains("CERTIFIED"), "{}", verify.stdout);
    // A signed shard changed after signing.
    let text = std::fs::read_to_string(&one).unwrap();
    let changed = dir.path().join("changed.json");
    std::fs::write(&changed, text.replacen("\"steps_passed\": ", "\"steps_passed\": 1", 1)).unwrap();
    assert_refused(&merge(dir.path(), &[&changed, &two], &["-o", "x.json"]), &changed, "signature does not hold");
}
