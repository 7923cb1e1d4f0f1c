//! A hostile or broken vendor cannot crash or hang a run: each case gets a verdict with a
//! one-line reason, the run completes within a bound, and the report is written.

mod common;

use std::time::{Duration, Instant};

use common::server::{self, respond, RawServer};
use common::{konform, project_root, Run};
use serde_json::Value;
use tokio::io::AsyncWriteExt;

/// Time any single hostile case may take, with a 1 s request timeout.
const BOUND: Duration = Duration::from_secs(20);

fn run_against(base_url: &str, extra: &[&str]) -> (Run, Value, Duration) {
    let dir = tempfile::tempdir().unwrap();
    let report = dir.path().join("r.json");
    let catalogue = project_root().join("fixtures/catalogues/hostile");
    let mut args: Vec<String> = vec![
        "run".into(),
        "thing".into(),
        "--catalogue".into(),
        catalogue.display().to_string(),
        "--base-url".into(),
        base_url.into(),
        "--scenario".into(),
        "get-thing".into(),
        "--timeout".into(),
        "1s".into(),
        "--max-body".into(),
        "1MiB".into(),
        "--bearer-token".into(),
        "hostile-test-token-123".into(),
        "--report".into(),
        format!("json={}", report.display()),
    ];
    args.extend(extra.iter().map(|s| s.to_string()));
    let started = Instant::now();
    let run: Run = konform().args(&args).output().unwrap().into();
    let elapsed = started.elapsed();
    let text =
        std::fs::read_to_string(&report).unwrap_or_else(|e| panic!("no report ({e}):\n{}\n{}", run.stdout, run.stderr));
    assert!(elapsed < BOUND, "the run took {elapsed:?}");
    let report: Value = serde_json::from_str(&text).unwrap();
    common::assert_fits_schema(&report);
    (run, report, elapsed)
}

fn step(report: &Value) -> &Value {
    &report["specifications"][0]["scenarios"][0]["steps"][0]
}

fn assert_step(report: &Value, verdict: &str, reason: &str) {
    let s = step(report);
    assert_eq!(s["verdict"], verdict, "{s:#}");
    let text = s["reason"].as_str().unwrap_or("");
    assert!(text.contains(reason), "expected reason containing {reason:?}, got {text:?}");
    assert!(!text.contains('\n'), "the reason is one line: {text:?}");
}

#[test]
fn connection_refused_is_an_error_retried_and_the_run_exits_3() {
    // The preflight stops a target refusing every connection before any step (exit 4,
    // tests/preflight.rs); without it, each step is an error with its reason.
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let (run, report, _) = run_against(&format!("http://127.0.0.1:{port}/"), &["--no-preflight"]);
    assert_step(&report, "error", "connection failed");
    assert_eq!(step(&report)["exchange"]["attempts"], 3, "a GET is retried twice after a connection failure");
    assert_eq!(run.code, 3, "unreachable target\n{}", run.stderr);
    assert!(run.stderr.contains("unreachable"), "{}", run.stderr);
}

#[test]
fn a_reset_in_the_middle_of_the_body_is_an_error() {
    let server = server::start(|_, mut stream| async move {
        let _ = stream
            .write_all(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{\"name\":")
            .await;
        let _ = stream.flush().await;
        // A zero linger makes the close a reset (RST); it does not block here.
        #[allow(deprecated)]
        let _ = stream.set_linger(Some(Duration::ZERO));
        drop(stream);
    });
    let (run, report, _) = run_against(&server.url(), &[]);
    assert_step(&report, "error", "while reading the body");
    assert_eq!(run.code, 1);
}

#[test]
fn no_answer_times_out() {
    let server = server::start(|_, stream| async move {
        tokio::time::sleep(Duration::from_secs(30)).await;
        drop(stream);
    });
    let (_, report, elapsed) = run_against(&server.url(), &["--retries", "0"]);
    assert_step(&report, "error", "timed out after 1s");
    assert!(elapsed < Duration::from_secs(10), "{elapsed:?}");
}

#[test]
fn a_slow_drip_times_out() {
    let server = server::start(|_, mut stream| async move {
        let _ = stream
            .write_all(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n")
            .await;
        for _ in 0..300 {
            if stream.write_all(b" ").await.is_err() {
                break;
            }
            let _ = stream.flush().await;
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    });
    let (_, report, elapsed) = run_against(&server.url(), &[]);
    assert_step(&report, "error", "timed out after 1s");
    assert!(elapsed < Duration::from_secs(10), "{elapsed:?}");
}

#[test]
fn non_json_where_json_is_documented_fails() {
    let server = server::start(|_, stream| {
        respond(stream, "200 OK", &[("Content-Type", "application/json")], b"<html>oops</html>")
    });
    let (_, report, _) = run_against(&server.url(), &[]);
    assert_step(&report, "fail", "body-schema: the body is not valid JSON");
}

#[test]
fn invalid_utf8_fails() {
    let server = server::start(|_, stream| {
        respond(stream, "200 OK", &[("Content-Type", "application/json")], b"{\"name\": \"\xff\xfe\"}")
    });
    let (_, report, _) = run_against(&server.url(), &[]);
    assert_step(&report, "fail", "not valid UTF-8");
}

#[test]
fn a_100_mb_body_stops_at_the_read_limit() {
    let server = server::start(|_, mut stream| async move {
        let _ = stream
            .write_all(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 104857600\r\n\r\n")
            .await;
        let chunk = vec![b' '; 64 * 1024];
        for _ in 0..1600 {
            if stream.write_all(&chunk).await.is_err() {
                break;
            }
        }
    });
    let (_, report, _) = run_against(&server.url(), &[]);
    assert_step(&report, "error", "exceeds the read limit of 1 MiB");
}

#[test]
fn a_gzip_bomb_stops_at_the_read_limit() {
    use std::io::Write;
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    let zeros = vec![b'0'; 1024 * 1024];
    for _ in 0..64 {
        encoder.write_all(&zeros).unwrap();
    }
    let bomb = std::sync::Arc::new(encoder.finish().unwrap());
    assert!(bomb.len() < 1024 * 1024, "the compressed bomb is small: {}", bomb.len());
    let server = server::start(move |_, stream| {
        let bomb = bomb.clone();
        async move {
            respond(stream, "200 OK", &[("Content-Type", "application/json"), ("Content-Encoding", "gzip")], &bomb)
                .await
        }
    });
    let (_, report, _) = run_against(&server.url(), &[]);
    assert_step(&report, "error", "exceeds the read limit of 1 MiB");
}

#[test]
fn a_redirect_to_another_origin_is_not_followed_and_gets_no_credentials() {
    let elsewhere = server::good_thing();
    let location = format!("http://{}/thing", elsewhere.addr);
    let server = server::start(move |_, stream| {
        let location = location.clone();
        async move { respond(stream, "302 Found", &[("Location", &location)], b"").await }
    });
    let (_, report, _) = run_against(&server.url(), &[]);
    assert_step(&report, "fail", "redirect to another origin");
    assert_eq!(elsewhere.request_count(), 0, "the other origin must not be contacted");
}

#[test]
fn a_redirect_within_the_origin_is_followed() {
    let server: RawServer = server::start(|head, stream| async move {
        if head.starts_with("GET /thing ") {
            respond(stream, "302 Found", &[("Location", "/real-thing")], b"").await
        } else {
            respond(stream, "200 OK", &[("Content-Type", "application/json")], br#"{"name":"thing"}"#).await
        }
    });
    let (_, report, _) = run_against(&server.url(), &[]);
    assert_eq!(step(&report)["verdict"], "pass", "{:#}", step(&report));
    let requests = server.requests.lock().unwrap().clone();
    // The preflight's probe (the same GET) and the step, each redirected once.
    assert_eq!(requests.len(), 4, "{requests:?}");
    for pair in requests.chunks(2) {
        assert!(pair[0].starts_with("GET /thing ") && pair[1].starts_with("GET /real-thing "), "{requests:?}");
    }
}

#[test]
fn an_invalid_catalogue_sends_nothing_and_exits_2() {
    let server = server::good_thing();
    let dir = tempfile::tempdir().unwrap();
    common::copy_tree(&project_root().join("fixtures/catalogues/hostile"), dir.path());
    common::edit(&dir.path().join("thing/1.0.0/scenarios/thing.yaml"), "operation: getThing", "operation: getThin");
    let run: Run = konform()
        .current_dir(dir.path())
        .args(["run", "thing", "--catalogue", ".", "--base-url", &server.url()])
        .output()
        .unwrap()
        .into();
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("thing/1.0.0/scenarios/thing.yaml:6:20"), "{}", run.stderr);
    assert!(run.stderr.contains("nothing was sent"), "{}", run.stderr);
    assert_eq!(server.request_count(), 0);
}

#[test]
fn bad_run_input_exits_2() {
    let catalogue = project_root().join("fixtures/catalogues/hostile").display().to_string();
    let cases: [(&[&str], &str); 5] = [
        (&["run", "thing", "--catalogue", &catalogue], "no target: pass --base-url"),
        (&["run", "thing", "--catalogue", &catalogue, "--base-url", "ftp://x"], "must be http or https"),
        (&["run", "thingy", "--catalogue", &catalogue, "--base-url", "http://127.0.0.1:9/"], "did you mean `thing`?"),
        (
            &["run", "thing", "--catalogue", &catalogue, "--base-url", "http://127.0.0.1:9/", "--scenario", "nope"],
            "no selected specification has a scenario nope",
        ),
        (
            &["run", "thing", "--catalogue", &catalogue, "--base-url", "http://127.0.0.1:9/", "--report", "pdf=x.pdf"],
            "unknown report format `pdf`",
        ),
    ];
    for (args, message) in cases {
        let run: Run = konform().args(args).output().unwrap().into();
        assert_eq!(run.code, 2, "{args:?}: {}", run.stderr);
        assert!(run.stderr.contains(message), "{args:?}: expected {message:?} in {}", run.stderr);
    }
}

/// A report into a folder that does not exist is known before the run: exit 2, not a run
/// whose report is lost at the end (exit 3 is left for what fails while writing).
#[test]
fn a_report_into_a_missing_folder_exits_2_before_the_run() {
    let server = server::good_thing();
    let catalogue = project_root().join("fixtures/catalogues/hostile").display().to_string();
    let run: Run = konform()
        .args([
            "run",
            "thing",
            "--catalogue",
            &catalogue,
            "--base-url",
            &server.url(),
            "--report",
            "json=/nonexistent-dir/r.json",
        ])
        .output()
        .unwrap()
        .into();
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("cannot write the report /nonexistent-dir/r.json: the folder /nonexistent-dir does not exist"),
        "{}",
        run.stderr
    );
    assert!(!run.stderr.contains("PASS"), "nothing ran: {}", run.stderr);
}
