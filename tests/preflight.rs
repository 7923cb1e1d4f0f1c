//! The preflight tells the tester's configuration problems from the vendor's before any
//! scenario runs: a wrong bearer token, a wrong OAuth2 client secret (one token request), a
//! base URL without its path prefix, an unreachable address, a CA not trusted, a client
//! certificate not given: each exits 4 with one paragraph naming the option that fixes it,
//! no scenario step reaches the vendor and no report is written. A correct configuration
//! gets the same report as without the preflight; a broken or hostile vendor (500, 401 or
//! 404 to everything, garbage, resets) still gets vendor verdicts, never exit 4; and
//! `--no-preflight` (or `preflight = false`) skips it.
//!
//! The vendor is the reference vendor (`src/reference`), recording the request line of
//! every request it receives, behind an in-process TLS front where TLS matters.

mod common;

use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use axum::extract::Request;
use axum::middleware::Next;
use common::server::{self, respond};
use common::{konform, project_root, Run};
use konform::reference::{self, Faults};
use konform::serve::Background;
use serde_json::Value;

const TOKEN: &str = "right-TOKEN-4711";

/// The reference vendor at `prefix` (`""`: the root), recording `METHOD /path?query` of
/// every request it receives.
struct Vendor {
    server: Background,
    seen: Arc<Mutex<Vec<String>>>,
}

impl Vendor {
    fn url(&self) -> String {
        self.server.url()
    }

    fn seen(&self) -> Vec<String> {
        self.seen.lock().unwrap().clone()
    }
}

fn vendor_with(prefix: &str, faults: Faults) -> Vendor {
    let seen = Arc::new(Mutex::new(Vec::new()));
    let log = seen.clone();
    let app = reference::router(faults, TOKEN.into());
    let app = if prefix.is_empty() { app } else { axum::Router::new().nest(prefix, app) };
    let app = app.layer(axum::middleware::from_fn(move |request: Request, next: Next| {
        let log = log.clone();
        async move {
            log.lock().unwrap().push(format!("{} {}", request.method(), request.uri()));
            next.run(request).await
        }
    }));
    let server = Background::start(SocketAddr::from(([127, 0, 0, 1], 0)), "vendor", app).unwrap();
    Vendor { server, seen }
}

fn vendor() -> Vendor {
    vendor_with("", Faults::new())
}

/// `konform run SPEC` from a folder outside the project, against the project's catalogue,
/// with a JSON report asked for; the run (stderr's whitespace made single spaces, so that
/// phrases can be found across the wrapped lines) and the report, if one was written.
fn run_spec(spec: &str, args: &[&str], env: &[(&str, &str)]) -> (Run, Option<Value>) {
    run_in(&project_root().join("conformance-suites"), spec, args, env)
}

/// As [`run_spec`], with another catalogue.
fn run_in(catalogue: &std::path::Path, spec: &str, args: &[&str], env: &[(&str, &str)]) -> (Run, Option<Value>) {
    let dir = tempfile::tempdir().unwrap();
    let report = dir.path().join("r.json");
    let mut cmd = konform();
    cmd.current_dir(dir.path())
        .args(["run", spec, "--catalogue"])
        .arg(catalogue)
        .args(["--jobs", "2", "--timeout", "5s", "--report"])
        .arg(format!("json={}", report.display()))
        .args(args);
    for (k, v) in env {
        cmd.env(k, v);
    }
    let mut run: Run = cmd.output().unwrap().into();
    run.stderr = run.stderr.split_whitespace().collect::<Vec<_>>().join(" ");
    let report = std::fs::read_to_string(&report).ok().map(|t| serde_json::from_str(&t).unwrap());
    (run, report)
}

/// The run stopped in preflight: exit 4, the paragraph says each of `says`, the closing line
/// says that nothing was judged, and no report was written.
fn assert_misconfigured(run: &Run, report: &Option<Value>, says: &[&str]) {
    assert_eq!(run.code, 4, "stdout:\n{}\nstderr:\n{}", run.stdout, run.stderr);
    for said in says {
        assert!(run.stderr.contains(said), "expected {said:?} in:\n{}", run.stderr);
    }
    assert!(run.stderr.starts_with("preflight: "), "one paragraph, first: {}", run.stderr);
    assert!(run.stderr.contains("not a verdict on the vendor: nothing else was sent and no report was written"));
    assert!(run.stderr.contains("--no-preflight skips this check"), "{}", run.stderr);
    assert!(report.is_none(), "no report is written when the vendor was not judged");
    assert!(run.stdout.is_empty(), "no summary: {}", run.stdout);
}

/// A run that judged the vendor: the report exists and its exit code is `code`.
fn assert_judged(run: &Run, report: &Option<Value>, code: i32) -> Value {
    assert_eq!(run.code, code, "stdout:\n{}\nstderr:\n{}", run.stdout, run.stderr);
    assert!(!run.stderr.contains("preflight"), "{}", run.stderr);
    let report =
        report.clone().unwrap_or_else(|| panic!("the vendor was judged, so there is a report:\n{}", run.stderr));
    common::assert_fits_schema(&report);
    report
}

/// The probe of the plan: case-intake's first GET that can be sent as it is.
const LIST: &str = "GET /2281/cases?page=1&limit=1";

#[test]
fn a_wrong_bearer_token_stops_the_run_before_any_scenario() {
    let vendor = vendor();
    let (run, report) =
        run_spec("case-intake@1.1.0", &["--base-url", &vendor.url(), "--bearer-token", "wrong-TOKEN-0815"], &[]);
    assert_misconfigured(
        &run,
        &report,
        &[
            "preflight: the API refused the credentials konform sent",
            &format!("GET {}2281/cases?page=1&limit=1 answered 401", vendor.url()),
            "(without credentials) answered 401",
            "says listCases needs credentials",
            "a bearer token (--bearer-token or KONFORM_BEARER_TOKEN)",
        ],
    );
    assert!(!run.stderr.contains("wrong-TOKEN-0815"), "the token is never shown");
    // With the token, without it, and the public api-info (which answers: the vendor does
    // not refuse everything). No scenario step.
    assert_eq!(vendor.seen(), [LIST, LIST, "GET /api-info"]);
}

#[test]
fn missing_credentials_are_named_when_the_plan_needs_them() {
    let vendor = vendor();
    let (run, report) = run_spec("case-intake@1.1.0", &["--base-url", &vendor.url()], &[]);
    assert_misconfigured(
        &run,
        &report,
        &["the API needs credentials and konform was given none", "answered 401", "--bearer-token", "[auth]"],
    );
    assert_eq!(vendor.seen(), [LIST]);
}

/// A token endpoint that issues the reference vendor's token to `konform` with the secret
/// `right-SECRET`, refuses anyone else (401 `invalid_client`), and counts the requests.
fn token_endpoint(requests: Arc<AtomicUsize>) -> server::RawServer {
    use base64::Engine;
    server::start(move |head, stream| {
        let requests = requests.clone();
        async move {
            requests.fetch_add(1, Ordering::SeqCst);
            let basic = base64::engine::general_purpose::STANDARD.encode("konform:right-SECRET");
            if head.contains(&format!("Basic {basic}")) {
                let body = format!(r#"{{"access_token":"{TOKEN}","token_type":"Bearer","expires_in":3600}}"#);
                respond(stream, "200 OK", &[("Content-Type", "application/json")], body.as_bytes()).await
            } else {
                let body = br#"{"error":"invalid_client"}"#;
                respond(stream, "401 Unauthorized", &[("Content-Type", "application/json")], body).await
            }
        }
    })
}

fn oauth_config(dir: &std::path::Path, token_url: &str) -> String {
    let path = dir.join("konform.toml");
    std::fs::write(
        &path,
        format!(
            "[auth]\ntype = \"oauth2\"\ntoken_url = \"{token_url}token\"\nclient_id = \"konform\"\n\
             client_secret_env = \"TEST_PREFLIGHT_SECRET\"\n"
        ),
    )
    .unwrap();
    path.display().to_string()
}

#[test]
fn a_wrong_oauth2_client_secret_is_one_token_request_and_nothing_else() {
    let vendor = vendor();
    let requests = Arc::new(AtomicUsize::new(0));
    let idp = token_endpoint(requests.clone());
    let dir = tempfile::tempdir().unwrap();
    let config = oauth_config(dir.path(), &idp.url());
    let args = ["--base-url", &vendor.url(), "--config", &config];
    let (run, report) = run_spec("case-intake@1.1.0", &args, &[("TEST_PREFLIGHT_SECRET", "wrong-SECRET")]);
    assert_misconfigured(
        &run,
        &report,
        &[
            "the OAuth2 token endpoint refused konform's client credentials",
            &format!("POST {}token answered 401 {{\"error\":\"invalid_client\"}}", idp.url()),
            "client_id",
            "[auth]",
        ],
    );
    assert!(!run.stderr.contains("wrong-SECRET"));
    assert_eq!(requests.load(Ordering::SeqCst), 1, "one token request, not one per step");
    assert!(vendor.seen().is_empty(), "nothing reached the API: {:?}", vendor.seen());

    // With the right secret, the token the preflight got serves the whole run.
    let (run, report) = run_spec("case-intake@1.1.0", &args, &[("TEST_PREFLIGHT_SECRET", "right-SECRET")]);
    assert_judged(&run, &report, 0);
    assert_eq!(requests.load(Ordering::SeqCst), 2, "one more token request for the whole run");
}

#[test]
fn a_base_url_without_its_path_prefix_is_named_with_the_prefix_to_add() {
    // The vendor serves the API where its document's server URL says: under /case-intake/1.1.
    let vendor = vendor_with("/case-intake/1.1", Faults::new());
    let (run, report) = run_spec("case-intake@1.1.0", &["--base-url", &vendor.url(), "--bearer-token", TOKEN], &[]);
    let suggestion = format!("{}case-intake/1.1/", vendor.url());
    assert_misconfigured(
        &run,
        &report,
        &[
            "the base URL does not lead to the API: every documented path konform tried answered 404",
            "server URL has the path /case-intake/1.1",
            &format!("did you mean --base-url {suggestion}? There, the same GET answered 200."),
        ],
    );
    assert_eq!(vendor.seen(), [LIST, "GET /api-info", "GET /case-intake/1.1/2281/cases?page=1&limit=1"]);

    // The suggestion is right.
    let (run, report) = run_spec("case-intake@1.1.0", &["--base-url", &suggestion, "--bearer-token", TOKEN], &[]);
    assert_judged(&run, &report, 0);
}

#[test]
fn an_unreachable_target_is_one_paragraph_not_a_step_error_each() {
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let base = format!("http://127.0.0.1:{port}/");
    let (run, report) = run_spec("case-intake@1.1.0", &["--base-url", &base, "--bearer-token", TOKEN], &[]);
    assert_misconfigured(
        &run,
        &report,
        &[
            "the target is unreachable",
            &format!("127.0.0.1:{port} refused the connection"),
            "Check the host and port in --base-url",
        ],
    );
}

#[test]
fn a_server_certificate_from_an_unknown_ca_names_ca_cert() {
    let vendor = vendor();
    let pki = common::tls::pki();
    let front = common::tls::front(pki.server_config(false), vendor.server.addr);
    let args = ["--base-url", &front.url(), "--bearer-token", TOKEN];
    let (run, report) = run_spec("case-intake@1.1.0", &args, &[]);
    assert_misconfigured(
        &run,
        &report,
        &[
            "preflight: TLS failed for GET",
            "the server's certificate is not signed by a CA konform trusts; pass the test environment's CA with \
             --ca-cert.",
        ],
    );
    assert_eq!(front.passed(), 0, "no TLS session was made");
    assert!(vendor.seen().is_empty());

    // With the CA: the same run is certified (SAK.01, TLS, included).
    let ca = pki.path("ca.pem");
    let (run, report) = run_spec("case-intake@1.1.0", &[&args[..], &["--ca-cert", &ca]].concat(), &[]);
    let report = assert_judged(&run, &report, 0);
    let sak = report["specifications"][0]["requirements"].as_array().unwrap().iter().find(|r| r["id"] == "SAK.01");
    assert_eq!(sak.unwrap()["verdict"], "pass");
}

#[test]
fn a_server_certificate_for_another_name_names_the_host() {
    let vendor = vendor();
    let pki = common::tls::pki_naming(&["vendor.test"]);
    let front = common::tls::front(pki.server_config(false), vendor.server.addr);
    let ca = pki.path("ca.pem");
    let (run, report) = run_spec("case-intake@1.1.0", &["--base-url", &front.url(), "--ca-cert", &ca], &[]);
    assert_misconfigured(
        &run,
        &report,
        &["the server's certificate is not made out for 127.0.0.1; use a host name the certificate names in --base-url"],
    );
    assert!(vendor.seen().is_empty());
}

#[test]
fn a_ca_certificate_presented_as_the_servers_own_is_said_in_plain_words() {
    let vendor = vendor();
    let pki = common::tls::pki();
    let front = common::tls::front(pki.ca_as_server_config(), vendor.server.addr);
    let ca = pki.path("ca.pem");
    let (run, report) = run_spec("case-intake@1.1.0", &["--base-url", &front.url(), "--ca-cert", &ca], &[]);
    assert_misconfigured(
        &run,
        &report,
        &["the server presents a CA certificate as its own; it needs a server certificate issued by that CA"],
    );
    assert!(!run.stderr.contains("CaUsedAsEndEntity"), "{}", run.stderr);
}

#[test]
fn a_server_demanding_a_client_certificate_names_client_cert_and_client_key() {
    let vendor = vendor();
    let pki = common::tls::pki();
    let front = common::tls::front(pki.server_config(true), vendor.server.addr);
    let ca = pki.path("ca.pem");
    let args = ["--base-url", &front.url(), "--bearer-token", TOKEN, "--ca-cert", &ca];
    let (run, report) = run_spec("case-intake@1.1.0", &args, &[]);
    assert_misconfigured(
        &run,
        &report,
        &["the server demands a client certificate (mutual TLS); pass it with --client-cert and --client-key."],
    );
    assert_eq!(front.passed(), 0);
    assert!(vendor.seen().is_empty());

    let (cert, key) = (pki.path("client.pem"), pki.path("client-key.pem"));
    let (run, report) =
        run_spec("case-intake@1.1.0", &[&args[..], &["--client-cert", &cert, "--client-key", &key]].concat(), &[]);
    assert_judged(&run, &report, 0);
}

#[test]
fn a_gateway_that_hangs_up_without_a_client_certificate_is_recognised_by_its_handshake() {
    // No certificate_required alert reaches konform, only a reset after the handshake: the
    // server's request for a client certificate, in the handshake itself, is what tells.
    let vendor = vendor();
    let pki = common::tls::pki();
    let config = pki.server_config_asking_for_client_auth();
    let front = common::tls::front_resetting_without_client_cert(config, vendor.server.addr);
    let ca = pki.path("ca.pem");
    let args = ["--base-url", &front.url(), "--bearer-token", TOKEN, "--ca-cert", &ca];
    let (run, report) = run_spec("case-intake@1.1.0", &args, &[]);
    assert_misconfigured(
        &run,
        &report,
        &["the server demands a client certificate (mutual TLS); pass it with --client-cert and --client-key."],
    );
    assert!(vendor.seen().is_empty());
    let (cert, key) = (pki.path("client.pem"), pki.path("client-key.pem"));
    let (run, report) =
        run_spec("case-intake@1.1.0", &[&args[..], &["--client-cert", &cert, "--client-key", &key]].concat(), &[]);
    assert_judged(&run, &report, 0);
}

#[test]
fn a_server_resetting_every_connection_without_asking_for_a_certificate_is_judged() {
    // The same resets from a server that never asks for a client certificate: nothing the
    // tester can fix, so the vendor is judged.
    let vendor = vendor();
    let pki = common::tls::pki();
    let front = common::tls::front_resetting_without_client_cert(pki.server_config(false), vendor.server.addr);
    let ca = pki.path("ca.pem");
    let args = ["--base-url", &front.url(), "--bearer-token", TOKEN, "--ca-cert", &ca];
    let (run, report) = run_spec("case-intake@1.1.0", &args, &[]);
    assert_judged(&run, &report, 3);
}

/// A demo run of case-intake 1.1.0 with a fault, its report normalised (timestamps, ports,
/// generated ids) as `konform report --normalize` writes it.
fn normalised_demo(extra: &[&str]) -> String {
    let dir = tempfile::tempdir().unwrap();
    let args: Vec<&str> = [&["--fault", "wrong-status"][..], extra].concat();
    let json = common::demo_report(dir.path(), &args, 1);
    let out = konform().arg("report").arg(&json).arg("--normalize").output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn a_correct_configuration_gets_the_report_it_gets_without_the_preflight() {
    let with = normalised_demo(&[]);
    let without = normalised_demo(&["--no-preflight"]);
    assert!(with.contains("\"verdict\": \"not_certified\""), "the fault is judged: {with}");
    assert_eq!(with, without, "the preflight changes nothing in the report");
}

/// A scripted vendor answering every request with `status`, `content_type` and `body`.
fn answering(status: &'static str, content_type: &'static str, body: &'static [u8]) -> server::RawServer {
    server::start(
        move |_, stream| async move { respond(stream, status, &[("Content-Type", content_type)], body).await },
    )
}

fn hostile_thing(base: &str, extra: &[&str]) -> (Run, Option<Value>) {
    thing(&project_root().join("fixtures/catalogues/hostile"), base, extra)
}

fn thing(catalogue: &std::path::Path, base: &str, extra: &[&str]) -> (Run, Option<Value>) {
    let args: Vec<&str> = [&["--base-url", base, "--bearer-token", TOKEN, "--retries", "0"][..], extra].concat();
    run_in(catalogue, "thing", &args, &[])
}

fn first_step(report: &Value) -> &Value {
    &report["specifications"][0]["scenarios"][0]["steps"][0]
}

#[test]
fn a_vendor_answering_500_or_garbage_is_judged() {
    let broken = answering("500 Internal Server Error", "text/plain", b"boom");
    let (run, report) = hostile_thing(&broken.url(), &[]);
    let report = assert_judged(&run, &report, 1);
    assert_eq!(first_step(&report)["verdict"], "fail");

    let garbage = answering("200 OK", "application/json", b"<html>\x1b[2J not json");
    let (run, report) = hostile_thing(&garbage.url(), &[]);
    let report = assert_judged(&run, &report, 1);
    assert!(first_step(&report)["reason"].as_str().unwrap().contains("not valid JSON"), "{}", first_step(&report));
}

#[test]
fn a_vendor_refusing_everything_is_judged_not_the_credentials() {
    // An operation the document says needs no credentials, refused with 401: the vendor's.
    let dir = tempfile::tempdir().unwrap();
    common::copy_tree(&project_root().join("fixtures/catalogues/hostile"), dir.path());
    common::edit(&dir.path().join("thing/1.0.0/openapi.yaml"), "security:\n  - bearer: []\n", "");
    let refusing = answering("401 Unauthorized", "application/json", b"{}");
    let (run, report) = thing(dir.path(), &refusing.url(), &[]);
    let report = assert_judged(&run, &report, 1);
    assert_eq!(first_step(&report)["verdict"], "fail");

    // case-intake's secured operations refused, and its public api-info too: a vendor that
    // refuses everything, whatever konform sends.
    let refusing = answering("401 Unauthorized", "application/problem+json", br#"{"title":"no","status":401}"#);
    let (run, report) = run_spec("case-intake@1.1.0", &["--base-url", &refusing.url(), "--bearer-token", TOKEN], &[]);
    assert_judged(&run, &report, 1);
}

#[test]
fn a_vendor_answering_404_everywhere_is_judged_not_the_base_url() {
    // The document's server path differs from the base URL's, but the suggested base URL
    // answers 404 too: nothing shows the base URL is wrong.
    let missing = answering("404 Not Found", "application/problem+json", br#"{"title":"gone","status":404}"#);
    let (run, report) = run_spec("case-intake@1.1.0", &["--base-url", &missing.url(), "--bearer-token", TOKEN], &[]);
    assert_judged(&run, &report, 1);
    let lines: Vec<String> =
        missing.requests.lock().unwrap().iter().map(|h| h.lines().next().unwrap_or("").to_string()).collect();
    assert!(
        lines.iter().any(|l| l.starts_with("GET /case-intake/1.1/2281/cases?page=1&limit=1 ")),
        "the suggestion was tried: {lines:?}"
    );
}

#[test]
fn a_vendor_that_resets_or_hangs_up_during_tls_is_judged() {
    // Every connection accepted and closed at once: no response at all, each step an error
    // (exit 3, the run could not complete), never a configuration problem.
    let closing = server::listen(|stream| async move { drop(stream) });
    for base in [format!("http://{}/", closing.addr), format!("https://{}/", closing.addr)] {
        let (run, report) = hostile_thing(&base, &["--scenario", "get-thing"]);
        let report = assert_judged(&run, &report, 3);
        assert_eq!(first_step(&report)["verdict"], "error", "{base}");
        assert!(run.stderr.contains("the target is unreachable"), "{base}: {}", run.stderr);
    }
}

#[test]
fn no_preflight_skips_it_from_the_flag_or_the_config_file() {
    let vendor = vendor();
    let url = vendor.url();
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("konform.toml");
    std::fs::write(&config, "[target]\npreflight = false\n").unwrap();
    let config = config.display().to_string();
    for skip in [&["--no-preflight"][..], &["--config", &config]] {
        let args = [&["--base-url", &url, "--bearer-token", "wrong-TOKEN-0815"][..], skip].concat();
        let (run, report) = run_spec("case-intake@1.1.0", &args, &[]);
        let report = assert_judged(&run, &report, 1);
        // Today's behaviour: every authenticated step fails with the vendor's 401.
        assert!(report["counts"]["steps_failed"].as_u64().unwrap() > 10, "{skip:?}: {}", report["counts"]);
        assert!(run.stdout.contains("got 401"), "{skip:?}");
        assert!(!vendor.seen().is_empty());
        vendor.seen.lock().unwrap().clear();
    }
}

#[test]
fn the_paragraph_is_in_the_run_language() {
    let vendor = vendor();
    let args = ["--base-url", &vendor.url(), "--bearer-token", "wrong-TOKEN-0815", "--lang", "sv"];
    let (run, report) = run_spec("case-intake@1.1.0", &args, &[]);
    assert_eq!(run.code, 4, "{}", run.stderr);
    assert!(report.is_none());
    assert!(
        run.stderr.starts_with("förhandskontroll: API:et godtog inte inloggningsuppgifterna som konform skickade"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("en bearer-token (--bearer-token eller KONFORM_BEARER_TOKEN)"), "{}", run.stderr);
    assert!(run.stderr.contains("ingen rapport skrevs (slutkod 4)"), "{}", run.stderr);
}

#[test]
fn a_stop_during_the_preflight_is_an_interrupted_run_with_nothing_judged() {
    // A vendor that never answers the probe: Ctrl-C twice abandons it; the run is reported
    // interrupted (exit 3), its steps not run, nothing blamed on the vendor.
    let hanging = server::start(|_, stream| async move {
        tokio::time::sleep(std::time::Duration::from_secs(600)).await;
        drop(stream);
    });
    let dir = tempfile::tempdir().unwrap();
    let json = dir.path().join("r.json");
    let catalogue = project_root().join("fixtures/catalogues/hostile");
    let child = std::process::Command::new(assert_cmd::cargo::cargo_bin("konform"))
        .env("NO_COLOR", "1")
        .args(["run", "thing", "--timeout", "60s", "--catalogue"])
        .arg(&catalogue)
        .args(["--base-url", &hanging.url(), "--report"])
        .arg(format!("json={}", json.display()))
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let waited = std::time::Instant::now();
    while hanging.request_count() == 0 {
        assert!(waited.elapsed() < std::time::Duration::from_secs(30), "the probe never arrived");
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    let pid = libc::pid_t::try_from(child.id()).unwrap();
    for _ in 0..2 {
        // SAFETY: kill(2) with the id of a child this test started and has not waited for.
        assert_eq!(unsafe { libc::kill(pid, libc::SIGINT) }, 0);
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(3), "{}", String::from_utf8_lossy(&out.stderr));
    let report: Value = serde_json::from_str(&std::fs::read_to_string(&json).unwrap()).unwrap();
    assert_eq!(report["interrupted"], true);
    assert_eq!(report["counts"]["steps_skipped"], report["counts"]["steps"], "{}", report["counts"]);
    assert_eq!(hanging.request_count(), 1, "only the probe was sent");
}
