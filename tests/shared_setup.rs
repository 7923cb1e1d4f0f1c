//! Shared setup and teardown (`setup:` and `teardown:` in a suite file): a login that runs
//! once before every other scenario of the specification, whose token every scenario sends
//! as its `auth`, and a logout once after them all; with a `per_requirement` expectation
//! beside them, so that one scenario carries a must and a should on the same behaviour.
//! The verdicts are right, concurrency and repetition do not run the setup twice, a failed
//! setup blocks (never fails) exactly the scenarios that need what it captures, and the
//! token the API issued appears in no report.

mod common;

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use common::server::{self, respond};
use common::{konform, Run};
use serde_json::Value;

const TOKEN: &str = "issued-SHARED-4242";
const SUITE: &str = "session/1.0.0/scenarios/main.yaml";

const OPENAPI: &str = r#"openapi: 3.0.3
info: { title: Sessions, version: "1" }
components:
  securitySchemes:
    bearerAuth: { type: http, scheme: bearer }
security: [ { bearerAuth: [] } ]
paths:
  /login:
    post:
      operationId: login
      security: []
      requestBody: { required: true, content: { application/json: { schema: { type: object } } } }
      responses:
        "200": { description: ok, content: { application/json: { schema: { type: object, required: [token] } } } }
        "401": { description: refused }
        "422": { description: refused, content: { application/json: { schema: { type: object } } } }
        "503": { description: unavailable }
  /session:
    delete:
      operationId: logout
      responses:
        "204": { description: logged out }
        "401": { description: not logged in }
  /me:
    get:
      operationId: me
      responses:
        "200": { description: ok, content: { application/json: { schema: { type: object, required: [name] } } } }
        "401": { description: not logged in }
  /health:
    get:
      operationId: health
      security: []
      responses:
        "200": { description: ok, content: { application/json: { schema: { type: object } } } }
"#;

const REQUIREMENTS: &str = r#"requirements:
  - id: AUTH-001
    level: must
    title: { sv: Utfärdad token, en: Issued token }
    text: { sv: En utfärdad token SKALL ge tillgång., en: An issued token MUST give access. }
  - id: AUTH-010
    level: must
    title: { sv: Fel lösenord, en: Wrong password }
    text: { sv: Fel lösenord SKALL nekas., en: A wrong password MUST be refused. }
  - id: AUTH-011
    level: should
    title: { sv: Fel lösenord ger 401, en: Wrong password gives 401 }
    text: { sv: Fel lösenord BÖR nekas med 401., en: A wrong password SHOULD be refused with 401. }
  - id: HEALTH-001
    level: must
    title: { sv: Hälsa, en: Health }
    text: { sv: Hälsan SKALL kunna läsas., en: Health MUST be readable. }
"#;

const SUITE_TEXT: &str = r#"setup:
  - id: log-in
    title: { sv: Logga in, en: Log in }
    steps:
      - name: log in
        operation: login
        auth: none
        body: { user: anna, password: right }
        expect: { status: 200 }
        capture: { token: $.token }
scenarios:
  - id: read-profile
    title: { sv: Läs profilen, en: Read the profile }
    covers: [AUTH-001]
    auth: { bearer: "{{ token }}" }
    steps:
      - operation: me
        expect:
          status: 200
          body: { $.name: anna }
  - id: wrong-password
    title: { sv: Fel lösenord, en: Wrong password }
    covers: [AUTH-010, AUTH-011]
    steps:
      - operation: login
        auth: none
        body: { user: anna, password: wrong }
        expect:
          status: [401, 422]
          per_requirement:
            AUTH-011: { status: 401 }
  - id: health
    title: { sv: Hälsa, en: Health }
    covers: [HEALTH-001]
    steps:
      - operation: health
        expect: { status: 200 }
teardown:
  - id: log-out
    title: { sv: Logga ut, en: Log out }
    auth: { bearer: "{{ token }}" }
    steps:
      - operation: logout
        expect: { status: 204 }
"#;

fn catalogue(suite: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let spec = dir.path().join("session/1.0.0");
    std::fs::create_dir_all(spec.join("scenarios")).unwrap();
    let files = [
        (
            "spec.yaml",
            "id: session\nversion: 1.0.0\nstatus: active\ndomain: testing\ntitle: { sv: Session, en: Session }\n\
             openapi: openapi.yaml\n",
        ),
        ("requirements.yaml", REQUIREMENTS),
        ("openapi.yaml", OPENAPI),
        ("scenarios/main.yaml", suite),
    ];
    for (name, text) in files {
        std::fs::write(spec.join(name), text).unwrap();
    }
    dir
}

/// Issues [`TOKEN`] for the right password (unless `login_down`: then 503), refuses a
/// wrong one with 422 (a must met, a should not); `/me` and `DELETE /session` want the
/// token; `/health` wants nothing. Every answer echoes the request, so a token that leaked
/// into evidence would be seen.
fn vendor(login_down: Arc<AtomicBool>) -> server::RawServer {
    server::start(move |head, stream| {
        let down = login_down.load(Ordering::SeqCst);
        async move {
            let echo = serde_json::to_string(&head).unwrap();
            let authorized = head.contains(&format!("Bearer {TOKEN}"));
            let (status, body) = if head.starts_with("POST /login ") && head.contains("\"wrong\"") {
                ("422 Unprocessable Entity", format!(r#"{{"echo":{echo}}}"#))
            } else if head.starts_with("POST /login ") && down {
                ("503 Service Unavailable", String::new())
            } else if head.starts_with("POST /login ") {
                ("200 OK", format!(r#"{{"token":"{TOKEN}","echo":{echo}}}"#))
            } else if head.starts_with("GET /health ") {
                ("200 OK", r#"{"ok":true}"#.to_string())
            } else if !authorized {
                ("401 Unauthorized", String::new())
            } else if head.starts_with("DELETE /session ") {
                ("204 No Content", String::new())
            } else {
                ("200 OK", format!(r#"{{"name":"anna","echo":{echo}}}"#))
            };
            let headers: &[(&str, &str)] = if body.is_empty() { &[] } else { &[("Content-Type", "application/json")] };
            respond(stream, status, headers, body.as_bytes()).await;
        }
    })
}

struct Ran {
    server: server::RawServer,
    run: Run,
    json: Value,
    /// Every report's text (JSON, JUnit, HTML, Markdown, text).
    reports: String,
}

fn run(suite: &str, login_down: bool, extra: &[&str]) -> Ran {
    let server = vendor(Arc::new(AtomicBool::new(login_down)));
    let catalogue = catalogue(suite);
    let out = tempfile::tempdir().unwrap();
    let mut cmd = konform();
    cmd.args(["run", "session", "--catalogue", &catalogue.path().display().to_string(), "--base-url", &server.url()])
        .args(extra);
    let files = [("json", "r.json"), ("junit", "r.xml"), ("html", "r.html"), ("markdown", "r.md"), ("text", "r.txt")];
    for (format, file) in files {
        cmd.args(["--report", &format!("{format}={}", out.path().join(file).display())]);
    }
    let run: Run = cmd.output().unwrap().into();
    let read = |file: &str| {
        std::fs::read_to_string(out.path().join(file))
            .unwrap_or_else(|e| panic!("no {file} ({e}):\n{}\n{}", run.stdout, run.stderr))
    };
    let json: Value = serde_json::from_str(&read("r.json")).unwrap();
    let reports = files.iter().map(|(_, f)| read(f)).collect::<Vec<_>>().join("\n");
    Ran { server, run, json, reports }
}

fn requirement(json: &Value, id: &str) -> String {
    json["specifications"][0]["requirements"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == id)
        .unwrap_or_else(|| panic!("no requirement {id}"))["verdict"]
        .as_str()
        .unwrap()
        .to_string()
}

fn scenarios(json: &Value) -> Vec<Value> {
    json["specifications"][0]["scenarios"].as_array().unwrap().clone()
}

#[test]
fn a_shared_login_runs_once_before_everything_its_token_serves_every_scenario_and_is_never_shown() {
    let ran = run(SUITE_TEXT, false, &["--jobs", "4", "--repeat", "3"]);
    let Ran { server, run, json, reports } = ran;
    // AUTH-011 (should) fails, which does not keep the product from certification.
    assert_eq!(run.code, 0, "{}\n{}", run.stdout, run.stderr);
    for (id, verdict) in [("AUTH-001", "pass"), ("AUTH-010", "pass"), ("AUTH-011", "fail"), ("HEALTH-001", "pass")] {
        assert_eq!(requirement(&json, id), verdict, "{id}");
    }
    let requests = server.requests.lock().unwrap().clone();
    let logins: Vec<usize> = (0..requests.len())
        .filter(|&i| requests[i].starts_with("POST /login ") && requests[i].contains("\"right\""))
        .collect();
    assert_eq!(logins.len(), 1, "one login for the whole run, however many rounds and jobs: {requests:?}");
    let reads: Vec<usize> = (0..requests.len()).filter(|&i| requests[i].starts_with("GET /me ")).collect();
    assert_eq!(reads.len(), 3, "read-profile ran once a round");
    assert!(reads.iter().all(|&i| i > logins[0]), "no scenario starts before the setup ended: {requests:?}");
    for &i in &reads {
        assert!(
            requests[i].contains(&format!("Authorization: Bearer {TOKEN}"))
                || requests[i].contains(&format!("authorization: Bearer {TOKEN}")),
            "{}",
            requests[i]
        );
    }
    assert!(
        requests.last().unwrap().starts_with("DELETE /session "),
        "the teardown is the run's last request: {requests:?}"
    );
    assert_eq!(requests.iter().filter(|r| r.starts_with("DELETE /session ")).count(), 1);

    // The report lists the setup first and the teardown last, each once, covering nothing.
    let all = scenarios(&json);
    assert_eq!(all.first().unwrap()["id"], "log-in");
    assert_eq!(all.first().unwrap()["role"], "setup");
    assert_eq!(all.first().unwrap()["verdict"], "pass");
    assert_eq!(all.last().unwrap()["id"], "log-out");
    assert_eq!(all.last().unwrap()["role"], "teardown");
    assert_eq!(all.last().unwrap()["verdict"], "pass");
    assert!(all[1..all.len() - 1].iter().all(|s| s.get("role").is_none()));
    assert_eq!(all.len(), 2 + 3 * 3, "setup, three rounds of three scenarios, teardown");
    // One scenario, two levels: the vendor's 422 meets the must and fails the should.
    let wrong = all.iter().find(|s| s["id"] == "wrong-password#1").expect("wrong-password#1");
    assert_eq!(wrong["verdict"], "fail");
    assert_eq!(wrong["verdicts"]["AUTH-010"], "pass");

    assert!(!reports.contains(TOKEN), "the issued token is in a report");
    assert!(!run.stdout.contains(TOKEN) && !run.stderr.contains(TOKEN), "the token is in the terminal");
    let setup = all.first().unwrap().to_string();
    assert!(setup.contains("<redacted>"), "the login's answer is kept, its token redacted: {setup}");
    assert!(reports.contains("(shared setup)") || reports.contains("shared setup"), "reports say which is the setup");
}

#[test]
fn a_failed_shared_setup_blocks_exactly_the_scenarios_that_need_it() {
    let ran = run(SUITE_TEXT, true, &[]);
    let Ran { server, run, json, reports } = ran;
    assert_eq!(run.code, 1, "a blocked must requirement keeps the product from certification\n{}", run.stdout);
    assert_eq!(requirement(&json, "AUTH-001"), "blocked", "blocked, not failed: the vendor was never asked");
    assert_eq!(requirement(&json, "HEALTH-001"), "pass", "a scenario that needs no token runs");
    assert_eq!(requirement(&json, "AUTH-010"), "pass");
    let requests = server.requests.lock().unwrap().clone();
    assert!(!requests.iter().any(|r| r.starts_with("GET /me ")), "nothing that needs the token is sent: {requests:?}");
    assert!(!requests.iter().any(|r| r.starts_with("DELETE /session ")), "nor the teardown that needs it");

    let all = scenarios(&json);
    let setup = &all[0];
    assert_eq!((setup["id"].as_str(), setup["verdict"].as_str()), (Some("log-in"), Some("blocked")));
    let read = all.iter().find(|s| s["id"] == "read-profile").unwrap();
    assert_eq!(read["verdict"], "blocked");
    assert_eq!(read["blocked_by"], "log-in");
    assert_eq!(read["steps"][0]["verdict"], "skipped");
    let blocked_by = &json["specifications"][0]["requirements"][0]["blocked_by"][0];
    assert_eq!(blocked_by["scenario"], "read-profile");
    assert_eq!(blocked_by["step"], "log-in");
    let teardown = all.last().unwrap();
    assert_eq!((teardown["role"].as_str(), teardown["verdict"].as_str()), (Some("teardown"), Some("blocked")));
    assert!(
        reports
            .contains("the shared setup scenario `log-in` failed, and this scenario needs `token`, which it captures"),
        "the reason names the setup and the variable"
    );
}

/// `konform check` of the catalogue with `suite`: its exit code and stderr.
fn check(suite: &str) -> Run {
    let dir = catalogue(suite);
    konform().current_dir(dir.path()).args(["check", "."]).output().unwrap().into()
}

#[test]
fn check_knows_what_a_shared_setup_captures_and_refuses_what_a_shared_scenario_cannot_be() {
    let ok = check(SUITE_TEXT);
    assert_eq!(ok.code, 0, "a scenario may use what the shared setup captures:\n{}", ok.stderr);
    assert!(ok.stdout.contains("5 scenarios, 5 steps"), "shared scenarios are counted: {}", ok.stdout);

    // Without the setup, `token` is used before anything defines it.
    let without = SUITE_TEXT.split_once("scenarios:\n").unwrap().1.split_once("teardown:").unwrap().0;
    let run = check(&format!("scenarios:\n{without}"));
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("suite::undefined-variable"), "{}", run.stderr);
    let words = run.stderr.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(words.contains("or a shared `setup:` scenario"), "the help names shared setup:\n{}", run.stderr);

    let cases = [
        // A shared scenario covers nothing: `covers` is not one of its fields.
        (
            SUITE_TEXT.replace(
                "    title: { sv: Logga in, en: Log in }\n",
                "    title: { sv: Logga in, en: Log in }\n    covers: [AUTH-001]\n",
            ),
            "4:5",
            "unknown field `covers`",
        ),
        // Every step of a setup prepares: saying so, or otherwise, is refused.
        (
            SUITE_TEXT.replace(
                "        auth: none\n        body: { user: anna, password: right }",
                "        auth: none\n        setup: false\n        body: { user: anna, password: right }",
            ),
            "8:16",
            "suite::shared-step-setup",
        ),
        // Ids are unique across setup, scenarios and teardown.
        (SUITE_TEXT.replace("id: log-out", "id: health"), "39:9", "scenario id `health` is used twice"),
    ];
    for (suite, at, message) in cases {
        let run = check(&suite);
        assert_eq!(run.code, 2, "{}", run.stderr);
        let location = format!("{SUITE}:{at}");
        assert!(run.stderr.contains(&location), "expected {location:?} in:\n{}", run.stderr);
        assert!(run.stderr.contains(message), "expected {message:?} in:\n{}", run.stderr);
    }
}

#[test]
fn every_shard_runs_the_shared_setup_and_the_merge_keeps_each_by_its_shard() {
    let server = vendor(Arc::new(AtomicBool::new(false)));
    let catalogue = catalogue(SUITE_TEXT);
    let dir = tempfile::tempdir().unwrap();
    let mut shards = Vec::new();
    for k in 1..=2 {
        let file = dir.path().join(format!("shard{k}.json"));
        let run: Run = konform()
            .args(["run", "session", "--catalogue", &catalogue.path().display().to_string()])
            .args(["--base-url", &server.url(), "--shard", &format!("{k}/2")])
            .args(["--report", &format!("json={}", file.display())])
            .output()
            .unwrap()
            .into();
        assert!(run.code <= 1, "{}\n{}", run.stdout, run.stderr);
        shards.push(file);
    }
    let logins = server.requests.lock().unwrap().iter().filter(|r| r.contains("\"right\"")).count();
    assert_eq!(logins, 2, "each shard logs in once");
    let merged = dir.path().join("merged.json");
    let run: Run = konform()
        .args(["report", "merge", "--catalogue", &catalogue.path().display().to_string()])
        .args(&shards)
        .args(["-o", &merged.display().to_string()])
        .output()
        .unwrap()
        .into();
    assert_eq!(run.code, 0, "{}\n{}", run.stdout, run.stderr);
    let json: Value = serde_json::from_str(&std::fs::read_to_string(&merged).unwrap()).unwrap();
    let ids: Vec<String> = scenarios(&json).iter().map(|s| s["id"].as_str().unwrap().to_string()).collect();
    assert_eq!(ids.first().map(String::as_str), Some("log-in@shard-1"), "{ids:?}");
    assert_eq!(ids.get(1).map(String::as_str), Some("log-in@shard-2"), "{ids:?}");
    assert_eq!(&ids[ids.len() - 2..], ["log-out@shard-1", "log-out@shard-2"], "{ids:?}");
    for (id, verdict) in [("AUTH-001", "pass"), ("AUTH-010", "pass"), ("AUTH-011", "fail"), ("HEALTH-001", "pass")] {
        assert_eq!(requirement(&json, id), verdict, "{id}");
    }
}
