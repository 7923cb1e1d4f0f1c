//! `konform run SPEC --targets fleet.toml --out-dir DIR`: one run against three in-process
//! vendors — the reference vendor (clean), the reference vendor with a fault, and a server
//! that never answers — gives three signed reports with each vendor's own verdict, the
//! hanging vendor's run ended by its deadline (its steps in flight `error`, the run
//! interrupted), the clean vendor's rate limit observed where the requests arrive, each
//! vendor receiving only its own credentials, and a summary table. Bad fleet files are
//! exit 2 naming the file and line, and nothing is sent.

mod common;

use std::net::SocketAddr;
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::extract::Request;
use axum::middleware::Next;
use common::server;
use common::{konform, project_root, Run};
use konform::reference::{self, Fault, Faults};
use konform::serve::Background;
use serde_json::Value;

/// The reference vendor with `faults`, accepting `token`, recording when each request
/// arrives and the `Authorization` it carried.
struct Vendor {
    server: Background,
    arrivals: Arc<Mutex<Vec<(Instant, String)>>>,
}

fn vendor(faults: Faults, token: &str) -> Vendor {
    let arrivals = Arc::new(Mutex::new(Vec::new()));
    let log = arrivals.clone();
    let app = reference::router(faults, token.into()).layer(axum::middleware::from_fn(
        move |request: Request, next: Next| {
            let log = log.clone();
            async move {
                let auth = request.headers().get("authorization").and_then(|v| v.to_str().ok()).unwrap_or("");
                log.lock().unwrap().push((Instant::now(), auth.to_string()));
                next.run(request).await
            }
        },
    ));
    let server = Background::start(SocketAddr::from(([127, 0, 0, 1], 0)), "vendor", app).unwrap();
    Vendor { server, arrivals }
}

/// The most requests that arrived within any one second (half-open windows).
/// Requests may start at most `rate` a second, one interval apart; where they arrive, a
/// one-second window can hold `rate + 1` of them (both ends), and one more when a request is
/// held up on its way by up to an interval (a loaded machine: the server notes the arrival
/// when its task runs). Without the limit, they arrive as fast as the vendor answers.
fn most_in_a_second(rate: usize) -> usize {
    rate + 2
}

fn busiest_second(arrivals: &[Instant]) -> usize {
    let mut sorted = arrivals.to_vec();
    sorted.sort();
    (0..sorted.len())
        .map(|i| sorted[i..].iter().take_while(|at| **at < sorted[i] + Duration::from_secs(1)).count())
        .max()
        .unwrap_or(0)
}

fn json(path: &Path) -> Value {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("no report {} ({e})", path.display()));
    serde_json::from_str(&text).unwrap()
}

/// Every step's reason in a report.
fn reasons(report: &Value) -> Vec<String> {
    report["specifications"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|s| s["scenarios"].as_array().unwrap())
        .flat_map(|s| s["steps"].as_array().unwrap())
        .filter_map(|st| Some(format!("{} {}", st["verdict"].as_str()?, st["reason"].as_str()?)))
        .collect()
}

const RATE: usize = 8;

#[test]
fn three_vendors_three_reports_each_judged_on_its_own() {
    let clean = vendor(Faults::new(), "clean-TOKEN-1111");
    let faulty = vendor(Faults::from([Fault::MissingField]), "faulty-TOKEN-2222");
    // Takes every connection and never answers.
    let hanging = server::start(|_, stream| async move {
        tokio::time::sleep(Duration::from_secs(120)).await;
        drop(stream);
    });

    let dir = tempfile::tempdir().unwrap();
    let key = dir.path().join("key.pem");
    let public = dir.path().join("key.pub");
    let made = konform().args(["keygen", "--private"]).arg(&key).arg("--public").arg(&public).output().unwrap();
    assert!(made.status.success(), "{}", String::from_utf8_lossy(&made.stderr));
    let fleet = dir.path().join("fleet.toml");
    std::fs::write(
        &fleet,
        format!(
            r#"parallel_targets = 3

[defaults]
deadline = "60s"

[[target]]
name = "clean"
base_url = "{clean}"
vendor = "Clean AB"
rate_limit = {RATE}
concurrency = 4
[target.auth]
type = "bearer"
token_env = "FLEET_CLEAN_TOKEN"

[[target]]
name = "faulty"
base_url = "{faulty}"
[target.auth]
type = "bearer"
token_env = "FLEET_FAULTY_TOKEN"

[[target]]
name = "hanging"
base_url = "{hanging}"
deadline = "2s"
preflight = false
"#,
            clean = clean.server.url(),
            faulty = faulty.server.url(),
            hanging = hanging.url(),
        ),
    )
    .unwrap();
    let out = dir.path().join("reports");
    let started = Instant::now();
    let run: Run = konform()
        .current_dir(project_root())
        .args(["run", "case-intake", "--targets"])
        .arg(&fleet)
        .arg("--out-dir")
        .arg(&out)
        .args(["--out-format", "junit", "--timeout", "60s", "--sign-key"])
        .arg(&key)
        .env("FLEET_CLEAN_TOKEN", "clean-TOKEN-1111")
        .env("FLEET_FAULTY_TOKEN", "faulty-TOKEN-2222")
        .env("KONFORM_BEARER_TOKEN", "leftover-TOKEN-9999")
        .env("COLUMNS", "80")
        .timeout(Duration::from_secs(180))
        .output()
        .unwrap()
        .into();
    let took = started.elapsed();
    let said = format!("{}\n{}", run.stdout, run.stderr);

    // The worst of 0 (clean), 1 (faulty) and 3 (hanging, interrupted).
    assert_eq!(run.code, 3, "{said}");
    let clean_report = json(&out.join("clean.json"));
    let faulty_report = json(&out.join("faulty.json"));
    let hanging_report = json(&out.join("hanging.json"));
    assert_eq!(
        (clean_report["verdict"].as_str(), clean_report["interrupted"].as_bool()),
        (Some("certified"), Some(false))
    );
    assert_eq!(clean_report["target"]["vendor"], "Clean AB");
    assert_eq!(faulty_report["verdict"], "not_certified");
    assert_eq!(faulty_report["interrupted"], false);
    assert!(faulty_report["counts"]["requirements_failed"].as_u64().unwrap() > 0, "{}", faulty_report["counts"]);
    assert_eq!(hanging_report["verdict"], "not_certified");
    assert_eq!(hanging_report["interrupted"], true);
    assert_eq!(hanging_report["counts"]["requirements_passed"], 0);
    let cut = reasons(&hanging_report);
    assert!(
        cut.iter().any(|r| r.starts_with("error ") && r.contains("deadline was reached while the answer was awaited")),
        "{cut:?}"
    );
    assert!(!cut.iter().any(|r| r.starts_with("pass ")), "{cut:?}");
    // The hanging vendor held its own run for its 2 s deadline, not for the 60 s request
    // timeout (a generous bound: the machine may be busy).
    assert!(took < Duration::from_secs(45), "the fleet took {took:?}");
    for name in ["clean", "faulty", "hanging"] {
        assert!(out.join(format!("{name}.junit.xml")).is_file(), "{name}.junit.xml");
        let verified: Run = konform()
            .current_dir(project_root())
            .arg("verify")
            .arg(out.join(format!("{name}.json")))
            .arg("--public-key")
            .arg(&public)
            .output()
            .unwrap()
            .into();
        assert!(verified.stdout.contains("signature: VALID"), "{name}: {}", verified.stdout);
    }

    // Each vendor got its own credentials only (and the suites' deliberately wrong ones);
    // the leftover single-target token went nowhere.
    for (v, own, other) in [(&clean, "clean-TOKEN-1111", "faulty-TOKEN"), (&faulty, "faulty-TOKEN-2222", "clean-TOKEN")]
    {
        let seen: Vec<String> = v.arrivals.lock().unwrap().iter().map(|(_, a)| a.clone()).collect();
        assert!(seen.iter().any(|auth| auth == &format!("Bearer {own}")), "{seen:?}");
        assert!(!seen.iter().any(|auth| auth.contains(other) || auth.contains("leftover")), "{seen:?}");
    }
    assert!(!said.contains("TOKEN-"), "a credential was shown:\n{said}");

    // The rate limit, counted where the requests arrive.
    let arrivals: Vec<Instant> = clean.arrivals.lock().unwrap().iter().map(|(at, _)| *at).collect();
    assert!(arrivals.len() > 2 * RATE, "only {} requests: too few to observe a rate", arrivals.len());
    let busiest = busiest_second(&arrivals);
    assert!(busiest <= most_in_a_second(RATE), "{busiest} requests arrived within one second; the limit is {RATE}");

    // The summary: one row per target, in the file's order, within 80 columns.
    let rows: Vec<&str> = run.stdout.lines().collect();
    assert!(rows.iter().all(|l| l.chars().count() <= 80), "{}", run.stdout);
    let row = |name: &str| *rows.iter().find(|l| l.starts_with(name)).unwrap_or_else(|| panic!("{}", run.stdout));
    assert!(row("clean").contains("CERTIFIED") && row("clean").contains("clean.json"), "{}", run.stdout);
    assert!(row("faulty").contains("NOT CERTIFIED"), "{}", run.stdout);
    assert!(row("hanging").contains("INTERRUPTED"), "{}", run.stdout);
    assert!(row("hanging").split_whitespace().any(|w| w == "3"), "{}", run.stdout);
    // Each target says when it ends, before the table.
    for line in ["clean: CERTIFIED (exit 0)", "faulty: NOT CERTIFIED (exit 1)", "hanging: INTERRUPTED (exit 3)"] {
        assert!(run.stderr.contains(line), "{line} missing:\n{}", run.stderr);
    }
}

#[test]
fn a_target_the_preflight_stops_leaves_the_others_judged() {
    let good = vendor(Faults::new(), "good-TOKEN-3333");
    let refusing = vendor(Faults::new(), "other-TOKEN-4444");
    let dir = tempfile::tempdir().unwrap();
    let fleet = dir.path().join("fleet.toml");
    std::fs::write(
        &fleet,
        format!(
            "[defaults.auth]\ntype = \"bearer\"\ntoken_env = \"FLEET_TOKEN\"\n\n[[target]]\nname = \"good\"\nbase_url = \"{}\"\n\n[[target]]\nname = \"wrong-token\"\nbase_url = \"{}\"\n",
            good.server.url(),
            refusing.server.url()
        ),
    )
    .unwrap();
    let out = dir.path().join("out");
    let run: Run = konform()
        .current_dir(project_root())
        .args(["run", "case-intake", "--lang", "sv", "--targets"])
        .arg(&fleet)
        .arg("--out-dir")
        .arg(&out)
        .env("FLEET_TOKEN", "good-TOKEN-3333")
        .env("COLUMNS", "80")
        .output()
        .unwrap()
        .into();
    assert_eq!(run.code, 4, "{}\n{}", run.stdout, run.stderr);
    assert_eq!(json(&out.join("good.json"))["verdict"], "certified");
    assert!(!out.join("wrong-token.json").exists(), "the vendor was not judged: no report");
    assert!(
        run.stdout.lines().any(|l| l.starts_with("wrong-token") && l.contains("FELKONFIGURERAD")),
        "{}",
        run.stdout
    );
    assert!(run.stdout.lines().any(|l| l.starts_with("good") && l.contains("CERTIFIERAD")), "{}", run.stdout);
    assert!(run.stderr.contains("mål wrong-token:"), "{}", run.stderr);
}

/// Bad fleet files: exit 2, the file and line named, and nothing sent to any vendor.
#[test]
fn bad_fleet_files_are_refused_before_anything_is_sent() {
    let listening = server::good_thing();
    let url = listening.url();
    let cases: Vec<(String, &str)> = vec![
        (format!("[[target]]\nname = \"a\"\nbase_url = \"{url}\"\nrate_limt = 3\n"), "fleet.toml:4: unknown key `target.rate_limt`"),
        (
            format!("[[target]]\nname = \"a\"\nbase_url = \"{url}\"\n\n[[target]]\nname = \"a\"\nbase_url = \"{url}\"\n"),
            "fleet.toml:5: target name `a` is used twice",
        ),
        (format!("[[target]]\nname = \"a\"\nbase_url = \"{url}\"\n[[target]]\nname = \"b\"\n"), "fleet.toml:4: target `b` has no `base_url`"),
        (format!("[[target]]\nname = \"a\"\nbase_url = \"{url}\"\nrate_limit = -2\n"), "fleet.toml:4: target `a`: rate_limit: -2 is not a rate"),
        (format!("[[target]]\nname = \"a/b\"\nbase_url = \"{url}\"\n"), "fleet.toml:2: target name `a/b` cannot name a report file"),
        (
            format!("[[target]]\nname = \"a\"\nbase_url = \"{url}\"\n[target.auth]\ntype = \"api_key\"\nheader = \"X-Key\"\nvalue_env = \"FLEET_UNSET_VARIABLE\"\n"),
            "FLEET_UNSET_VARIABLE, which is not set",
        ),
        (
            format!("[[target]]\nname = \"a\"\nbase_url = \"{url}\"\nca_bundle = \"no-such-ca.pem\"\n"),
            "target a: cannot read the CA bundle",
        ),
    ];
    for (text, expected) in cases {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("fleet.toml"), &text).unwrap();
        let run: Run = konform()
            .current_dir(dir.path())
            .args(["run", "thing", "--catalogue"])
            .arg(project_root().join("fixtures/catalogues/hostile"))
            .args(["--targets", "fleet.toml", "--out-dir", "out"])
            .output()
            .unwrap()
            .into();
        assert_eq!(run.code, 2, "{text}\n{}", run.stderr);
        assert!(run.stderr.contains(expected), "{text}\nwanted: {expected}\ngot: {}", run.stderr);
        assert!(!dir.path().join("out").exists(), "nothing is written");
    }
    assert_eq!(listening.request_count(), 0, "nothing was sent");

    // A flag that names one target's settings cannot be given with a fleet.
    let run: Run = konform()
        .args(["run", "thing", "--targets", "fleet.toml", "--out-dir", "out", "--bearer-token", "x"])
        .output()
        .unwrap()
        .into();
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("--bearer-token") && run.stderr.contains("--targets"), "{}", run.stderr);
    let run: Run = konform().args(["run", "thing", "--targets", "fleet.toml"]).output().unwrap().into();
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("--out-dir"), "{}", run.stderr);
}

#[test]
fn a_single_target_run_keeps_its_rate_limit_under_jobs() {
    let v = vendor(Faults::new(), "single-TOKEN-5555");
    let run: Run = konform()
        .current_dir(project_root())
        .args(["run", "case-intake", "--base-url", &v.server.url(), "--jobs", "8", "--rate-limit", "10"])
        .env("KONFORM_BEARER_TOKEN", "single-TOKEN-5555")
        .output()
        .unwrap()
        .into();
    assert_eq!(run.code, 0, "{}\n{}", run.stdout, run.stderr);
    let arrivals: Vec<Instant> = v.arrivals.lock().unwrap().iter().map(|(at, _)| *at).collect();
    assert!(arrivals.len() > 20, "{}", arrivals.len());
    assert!(busiest_second(&arrivals) <= most_in_a_second(10), "{} in one second", busiest_second(&arrivals));

    let run: Run = konform()
        .args(["run", "thing", "--base-url", "http://127.0.0.1:1/", "--rate-limit", "0"])
        .output()
        .unwrap()
        .into();
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("not a rate"), "{}", run.stderr);
}

/// An OAuth2 token endpoint and API on one server, recording when each request arrives.
/// Its tokens expire at once (`expires_in: 0`), so every API request costs a token call.
/// When each request arrived, and whether it was a token call.
type Arrivals = Arc<Mutex<Vec<(Instant, bool)>>>;

fn oauth_vendor() -> (server::RawServer, Arrivals) {
    let arrivals = Arc::new(Mutex::new(Vec::new()));
    let log = arrivals.clone();
    let server = server::start(move |head, stream| {
        let token_call = head.starts_with("POST /token ");
        log.lock().unwrap().push((Instant::now(), token_call));
        async move {
            let body: &[u8] = if token_call {
                br#"{"access_token":"tok-oauth-ACCESS","token_type":"Bearer","expires_in":0}"#
            } else {
                br#"{"name":"thing"}"#
            };
            server::respond(stream, "200 OK", &[("Content-Type", "application/json")], body).await
        }
    });
    (server, arrivals)
}

#[test]
fn token_calls_count_toward_a_targets_rate_limit() {
    let (vendor, arrivals) = oauth_vendor();
    let dir = tempfile::tempdir().unwrap();
    let fleet = dir.path().join("fleet.toml");
    std::fs::write(
        &fleet,
        format!(
            "[[target]]\nname = \"oauth\"\nbase_url = \"{url}\"\nrate_limit = 4\nconcurrency = 4\n[target.auth]\ntype = \"oauth2\"\ntoken_url = \"{url}token\"\nclient_id = \"konform\"\nclient_secret_env = \"FLEET_OAUTH_SECRET\"\n",
            url = vendor.url()
        ),
    )
    .unwrap();
    let run: Run = konform()
        .args(["run", "thing", "--repeat", "2", "--catalogue"])
        .arg(project_root().join("fixtures/catalogues/hostile"))
        .arg("--targets")
        .arg(&fleet)
        .arg("--out-dir")
        .arg(dir.path().join("out"))
        .env("FLEET_OAUTH_SECRET", "oauth-SECRET-6666")
        .output()
        .unwrap()
        .into();
    assert!(run.code == 0 || run.code == 1, "{}\n{}", run.stdout, run.stderr);
    let seen = arrivals.lock().unwrap().clone();
    let tokens = seen.iter().filter(|(_, token_call)| *token_call).count();
    assert!(tokens >= 4 && seen.len() - tokens >= 4, "{tokens} token calls of {} requests", seen.len());
    let all: Vec<Instant> = seen.iter().map(|(at, _)| *at).collect();
    assert!(
        busiest_second(&all) <= most_in_a_second(4),
        "{} requests within one second (token calls included); the limit is 4",
        busiest_second(&all)
    );
}
