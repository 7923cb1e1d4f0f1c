//! Credentials: bearer, basic, API key, OAuth2 client credentials (cached, refreshed on
//! expiry and once on a 401), mTLS with a custom CA. No secret ever appears in stdout,
//! stderr or the JSON report.

mod common;

use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use common::server::{self, respond};
use common::{konform, project_root, Run};
use konform::reference::{self, Fault, Faults};
use serde_json::Value;

fn hostile_catalogue() -> String {
    project_root().join("fixtures/catalogues/hostile").display().to_string()
}

/// Runs konform with every report format written and returns the run, the text of all the
/// reports (JSON first) and the parsed JSON report.
fn run_with(args: &[String], env: &[(&str, &str)]) -> (Run, String, Value) {
    let dir = tempfile::tempdir().unwrap();
    let report = dir.path().join("r.json");
    let mut all: Vec<String> = args.to_vec();
    for (format, file) in
        [("json", "r.json"), ("junit", "r.xml"), ("html", "r.html"), ("markdown", "r.md"), ("text", "r.txt")]
    {
        all.push("--report".into());
        all.push(format!("{format}={}", dir.path().join(file).display()));
    }
    let mut cmd = konform();
    cmd.current_dir(project_root()).args(&all);
    for (k, v) in env {
        cmd.env(k, v);
    }
    let run: Run = cmd.output().unwrap().into();
    let text =
        std::fs::read_to_string(&report).unwrap_or_else(|e| panic!("no report ({e}):\n{}\n{}", run.stdout, run.stderr));
    let parsed = serde_json::from_str(&text).unwrap();
    common::assert_fits_schema(&parsed);
    let mut all_reports = text;
    for file in ["r.xml", "r.html", "r.md", "r.txt"] {
        all_reports.push_str(&std::fs::read_to_string(dir.path().join(file)).unwrap());
    }
    (run, all_reports, parsed)
}

fn assert_secret_absent(secret: &str, run: &Run, report: &str) {
    assert!(!run.stdout.contains(secret), "secret in stdout:\n{}", run.stdout);
    assert!(!run.stderr.contains(secret), "secret in stderr:\n{}", run.stderr);
    assert!(!report.contains(secret), "secret in the report");
}

fn header_of<'a>(head: &'a str, name: &str) -> Option<&'a str> {
    head.lines().find_map(|l| {
        let (k, v) = l.split_once(':')?;
        k.trim().eq_ignore_ascii_case(name).then(|| v.trim())
    })
}

#[test]
fn a_bearer_token_never_appears_in_any_output() {
    let secret = "bearer-SECRET-4711-abcdef";
    // A fault makes konform print failures with curl lines and evidence.
    let server =
        reference::start(SocketAddr::from(([127, 0, 0, 1], 0)), Faults::from([Fault::WrongType]), secret.into())
            .unwrap();
    let args: Vec<String> = ["run", "case-intake", "--base-url", &server.url(), "--bearer-token", secret]
        .iter()
        .map(|s| s.to_string())
        .collect();
    let (run, text, report) = run_with(&args, &[]);
    assert_eq!(run.code, 1, "{}\n{}", run.stdout, run.stderr);
    // Authenticated requests worked: only the fault's requirement failed.
    assert_eq!(report["counts"]["requirements_failed"], 1, "{}", run.stdout);
    assert!(run.stdout.contains("$KONFORM_BEARER_TOKEN"), "the curl line names the token's variable:\n{}", run.stdout);
    assert!(text.contains("<redacted>"));
    assert_secret_absent(secret, &run, &text);
}

#[test]
fn a_credential_echoed_by_the_vendor_is_redacted_everywhere() {
    // A vendor that echoes the Authorization header and a tenant token into a body field, a
    // response header, an error response and a problem body, with the REST API profile on:
    // the credentials reach checks' actual values, evidence, passive-rule findings and
    // curl lines, and must be redacted in every output.
    let (token, tenant) = ("echo-SECRET-token-9981", "tenant-SECRET-5522");
    let server = server::start(|head, stream| async move {
        let auth = header_of(&head, "authorization").unwrap_or("").to_string();
        let tenant = header_of(&head, "x-tenant-token").unwrap_or("").to_string();
        let body = format!(r#"{{"name":{},"seen":"{tenant} at 2026-01-01T10:00:00+02:00 {auth}"}}"#, 7);
        server::respond(
            stream,
            "400 Bad Request",
            &[("Content-Type", "application/json"), ("X-Echo", &auth), ("X-Tenant-Echo", &tenant)],
            body.as_bytes(),
        )
        .await;
    });
    let catalogue = common::catalogue_with_profile();
    let args: Vec<String> =
        ["run", "thing", "--catalogue", &catalogue.path().display().to_string(), "--base-url", &server.url()]
            .iter()
            .map(|s| s.to_string())
            .chain(["--bearer-token".into(), token.into(), "-H".into(), format!("X-Tenant-Token: {tenant}")])
            .collect();
    let (run, text, _) = run_with(&args, &[]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(text.contains("<redacted>"), "the echoes are in the evidence, redacted");
    assert!(text.contains("$KONFORM_X_TENANT_TOKEN"), "the curl line refers to the tenant token by name");
    for secret in [token, tenant] {
        assert_secret_absent(secret, &run, &text);
    }
}

#[test]
fn a_credential_across_the_evidence_limit_is_not_cut_in_half() {
    // The echoed token starts 9 bytes before the 1 KiB evidence limit: cut first and
    // redacted after, its first 9 bytes would be shown.
    let token = "straddle-SECRET-0042";
    let server = server::start(move |_, stream| async move {
        let body = format!(r#"{{"name":"thing","pad":"{}","t":"{token}"}}"#, "x".repeat(985));
        assert_eq!(body.find(token), Some(1015));
        server::respond(stream, "200 OK", &[("Content-Type", "application/json")], body.as_bytes()).await;
    });
    let args: Vec<String> = ["run", "thing", "--scenario", "get-thing", "--catalogue", &hostile_catalogue()]
        .iter()
        .map(|s| s.to_string())
        .chain(["--base-url".into(), server.url(), "--bearer-token".into(), token.into()])
        .chain(["--evidence-limit".into(), "1KiB".into()])
        .collect();
    let (run, text, report) = run_with(&args, &[]);
    let body = &report["specifications"][0]["scenarios"][0]["steps"][0]["exchange"]["response_body"];
    assert_eq!(body["truncated"], true, "{body}");
    assert!(body["text"].as_str().unwrap().len() <= 1024, "the evidence is cut at the limit");
    assert_secret_absent(&token[..9], &run, &text);
}

#[test]
fn the_bearer_token_can_come_from_the_environment() {
    let secret = "env-bearer-SECRET-0815";
    let server = reference::start(SocketAddr::from(([127, 0, 0, 1], 0)), Faults::new(), secret.into()).unwrap();
    let args: Vec<String> = ["run", "case-intake", "--base-url", &server.url()].iter().map(|s| s.to_string()).collect();
    let (run, text, _) = run_with(&args, &[("KONFORM_BEARER_TOKEN", secret)]);
    assert_eq!(run.code, 0, "{}\n{}", run.stdout, run.stderr);
    assert_secret_absent(secret, &run, &text);
}

#[test]
fn basic_credentials_never_appear_in_any_output() {
    let password = "basic-PASSWORD-9911";
    let server = server::start(|_, stream| respond(stream, "500 Internal Server Error", &[], b"boom"));
    let args: Vec<String> = [
        "run",
        "thing",
        "--catalogue",
        &hostile_catalogue(),
        "--base-url",
        &server.url(),
        "--basic-user",
        "vendor",
        "--basic-password",
        password,
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    let (run, text, _) = run_with(&args, &[]);
    assert_eq!(run.code, 1);
    let head = server.requests.lock().unwrap()[0].clone();
    use base64::Engine;
    let encoded = base64::engine::general_purpose::STANDARD.encode(format!("vendor:{password}"));
    assert_eq!(
        header_of(&head, "authorization"),
        Some(format!("Basic {encoded}").as_str()),
        "the server got the credentials"
    );
    assert_secret_absent(password, &run, &text);
    assert_secret_absent(&encoded, &run, &text);
}

#[test]
fn an_api_key_never_appears_in_any_output() {
    let key = "api-KEY-value-31337";
    let server = server::start(|_, stream| respond(stream, "500 Internal Server Error", &[], b"boom"));
    let args: Vec<String> = [
        "run",
        "thing",
        "--catalogue",
        &hostile_catalogue(),
        "--base-url",
        &server.url(),
        "--api-key-header",
        "X-Vendor-Key",
        "--api-key",
        key,
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    let (run, text, _) = run_with(&args, &[]);
    let head = server.requests.lock().unwrap()[0].clone();
    assert_eq!(header_of(&head, "x-vendor-key"), Some(key));
    assert_secret_absent(key, &run, &text);
}

/// An OAuth2 token endpoint and API on one server. Tokens are `tok-N`; `revoke_first` makes
/// the API refuse `tok-1`, as if it had been revoked.
fn oauth_server(expires_in: u64, revoke_first: bool, tokens: Arc<AtomicUsize>) -> server::RawServer {
    server::start(move |head, stream| {
        let tokens = tokens.clone();
        async move {
            if head.starts_with("POST /token ") {
                let auth = header_of(&head, "authorization").unwrap_or("").to_string();
                if !auth.starts_with("Basic ") {
                    return respond(stream, "401 Unauthorized", &[], b"client authentication required").await;
                }
                let n = tokens.fetch_add(1, Ordering::SeqCst) + 1;
                let body = format!(
                    r#"{{"access_token":"tok-{n}-oauth-ACCESS","token_type":"Bearer","expires_in":{expires_in}}}"#
                );
                return respond(stream, "200 OK", &[("Content-Type", "application/json")], body.as_bytes()).await;
            }
            let auth = header_of(&head, "authorization").unwrap_or("").to_string();
            let ok = auth.starts_with("Bearer tok-") && !(revoke_first && auth == "Bearer tok-1-oauth-ACCESS");
            if ok {
                respond(stream, "200 OK", &[("Content-Type", "application/json")], br#"{"name":"thing"}"#).await
            } else {
                respond(stream, "401 Unauthorized", &[], b"").await
            }
        }
    })
}

fn oauth_run(server: &server::RawServer, jobs: &str) -> (Run, String, Value) {
    oauth_run_with(server, jobs, &[])
}

fn oauth_run_with(server: &server::RawServer, jobs: &str, extra: &[&str]) -> (Run, String, Value) {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("konform.toml");
    std::fs::write(
        &config,
        format!(
            "[target]\nbase_url = \"{url}\"\n\n[auth]\ntype = \"oauth2\"\ntoken_url = \"{url}token\"\nclient_id = \"konform\"\nclient_secret_env = \"TEST_OAUTH_CLIENT_SECRET\"\nscope = \"things\"\n",
            url = server.url()
        ),
    )
    .unwrap();
    let args: Vec<String> = [
        "run",
        "thing",
        "--catalogue",
        &hostile_catalogue(),
        "--config",
        &config.display().to_string(),
        "--jobs",
        jobs,
    ]
    .iter()
    .chain(extra)
    .map(|s| s.to_string())
    .collect();
    run_with(&args, &[("TEST_OAUTH_CLIENT_SECRET", "oauth-CLIENT-secret-2024")])
}

#[test]
fn oauth2_tokens_are_fetched_once_and_cached() {
    let tokens = Arc::new(AtomicUsize::new(0));
    let server = oauth_server(3600, false, tokens.clone());
    let (run, text, report) = oauth_run(&server, "4");
    assert_eq!(run.code, 0, "{}\n{}", run.stdout, run.stderr);
    assert_eq!(report["counts"]["steps_passed"], 4);
    assert_eq!(tokens.load(Ordering::SeqCst), 1, "one token for four requests");
    assert_secret_absent("oauth-CLIENT-secret-2024", &run, &text);
    assert_secret_absent("tok-1-oauth-ACCESS", &run, &text);
}

#[test]
fn oauth2_expired_tokens_are_refreshed() {
    let tokens = Arc::new(AtomicUsize::new(0));
    // Tokens that expire at once (`expires_in: 0`) serve one request each.
    let server = oauth_server(0, false, tokens.clone());
    let (run, _, _) = oauth_run(&server, "1");
    assert_eq!(run.code, 0, "{}\n{}", run.stdout, run.stderr);
    assert_eq!(tokens.load(Ordering::SeqCst), 5, "one for each of the four steps and the preflight's probe");
}

#[test]
fn oauth2_short_lived_tokens_serve_most_of_their_life() {
    let tokens = Arc::new(AtomicUsize::new(0));
    // A token for 2 s is kept for 1.8 s (a tenth of its life as margin, not the 5 s margin
    // of long-lived tokens): four quick requests need one, two if the machine is slow.
    let server = oauth_server(2, false, tokens.clone());
    let (run, _, _) = oauth_run(&server, "1");
    assert_eq!(run.code, 0, "{}\n{}", run.stdout, run.stderr);
    assert!(tokens.load(Ordering::SeqCst) <= 2, "{} token requests for 4 calls", tokens.load(Ordering::SeqCst));
}

#[test]
fn oauth2_refreshes_once_on_a_401() {
    let tokens = Arc::new(AtomicUsize::new(0));
    let server = oauth_server(3600, true, tokens.clone());
    let (run, _, report) = oauth_run(&server, "1");
    assert_eq!(run.code, 0, "{}\n{}", run.stdout, run.stderr);
    assert_eq!(tokens.load(Ordering::SeqCst), 2, "the revoked token was replaced once");
    assert_eq!(report["counts"]["steps_passed"], 4);
}

#[test]
fn oauth2_token_endpoint_failure_is_an_error_with_a_reason() {
    let server = server::start(|_, stream| {
        respond(stream, "400 Bad Request", &[("Content-Type", "application/json")], br#"{"error":"invalid_client"}"#)
    });
    // The preflight stops at the first refusal: one token request, exit 4, no report
    // (tests/preflight.rs). Without it, every step is an error with the endpoint's answer.
    let (run, text, report) = oauth_run_with(&server, "1", &["--no-preflight"]);
    assert_eq!(run.code, 3, "no response from the API itself: {}", run.stderr);
    let reason = report["specifications"][0]["scenarios"][0]["steps"][0]["reason"].as_str().unwrap();
    assert!(reason.contains("could not obtain an OAuth2 token") && reason.contains("HTTP 400"), "{reason}");
    assert_secret_absent("oauth-CLIENT-secret-2024", &run, &text);
}

/// HTTPS servers answering by themselves, for the certificates of `common::tls::pki()`.
mod https {
    use super::*;
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    use tokio_rustls::rustls;

    /// An HTTPS server that answers every request with a thing (the requests served are
    /// counted); stopped when dropped.
    pub fn serve(config: Arc<rustls::ServerConfig>) -> (SocketAddr, Arc<AtomicUsize>, server::Listener) {
        serve_as(config, true)
    }

    /// An HTTPS server like [`serve`] that completes every handshake, reads the request and
    /// never answers it (the handshakes are counted).
    pub fn serve_silent(config: Arc<rustls::ServerConfig>) -> (SocketAddr, Arc<AtomicUsize>, server::Listener) {
        serve_as(config, false)
    }

    fn serve_as(config: Arc<rustls::ServerConfig>, answer: bool) -> (SocketAddr, Arc<AtomicUsize>, server::Listener) {
        let acceptor = tokio_rustls::TlsAcceptor::from(config);
        let served = Arc::new(AtomicUsize::new(0));
        let counter = served.clone();
        let listener = server::listen(move |tcp| {
            let acceptor = acceptor.clone();
            let counter = counter.clone();
            async move {
                let Ok(mut tls) = acceptor.accept(tcp).await else { return };
                let mut buf = vec![0u8; 8192];
                if !answer {
                    counter.fetch_add(1, Ordering::SeqCst);
                    let _ = tls.read(&mut buf).await;
                    tokio::time::sleep(std::time::Duration::from_secs(20)).await;
                    return;
                }
                let _ = tls.read(&mut buf).await;
                counter.fetch_add(1, Ordering::SeqCst);
                let body = br#"{"name":"thing"}"#;
                let head = format!("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n", body.len());
                let _ = tls.write_all(head.as_bytes()).await;
                let _ = tls.write_all(body).await;
                let _ = tls.shutdown().await;
            }
        });
        (listener.addr, served, listener)
    }
}

fn tls_args(addr: SocketAddr, extra: &[String]) -> Vec<String> {
    let mut args: Vec<String> = [
        "run",
        "thing",
        "--catalogue",
        &hostile_catalogue(),
        "--base-url",
        &format!("https://127.0.0.1:{}/", addr.port()),
        "--timeout",
        "5s",
        "--scenario",
        "get-thing",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    args.extend(extra.iter().cloned());
    args
}

#[test]
fn mtls_with_a_custom_ca_works_and_fails_without_the_client_certificate() {
    let pki = common::tls::pki();
    let (addr, served, _handle) = https::serve(pki.server_config(true));

    let with_cert = tls_args(
        addr,
        &[
            "--ca-cert".into(),
            pki.path("ca.pem"),
            "--client-cert".into(),
            pki.path("client.pem"),
            "--client-key".into(),
            pki.path("client-key.pem"),
        ],
    );
    let (run, text, report) = run_with(&with_cert, &[]);
    let step = &report["specifications"][0]["scenarios"][0]["steps"][0];
    assert_eq!(step["verdict"], "pass", "{step:#}\n{}", run.stderr);
    assert_eq!(served.load(Ordering::SeqCst), 2, "the preflight's probe and the step");
    let key_text = std::fs::read_to_string(pki.dir.path().join("client-key.pem")).unwrap();
    let key_line = key_text.lines().nth(1).unwrap();
    assert_secret_absent(key_line, &run, &text);

    // Without the client certificate the preflight stops the run (exit 4, tests/preflight.rs);
    // without the preflight, the step is an error saying what to pass.
    let without_cert = tls_args(
        addr,
        &["--ca-cert".into(), pki.path("ca.pem"), "--retries".into(), "0".into(), "--no-preflight".into()],
    );
    let (_, _, report) = run_with(&without_cert, &[]);
    let step = &report["specifications"][0]["scenarios"][0]["steps"][0];
    assert_eq!(step["verdict"], "error", "{step:#}");
    assert!(step["reason"].as_str().unwrap().contains("--client-cert and --client-key"), "{step:#}");
    assert_eq!(served.load(Ordering::SeqCst), 2, "no request is served without a client certificate");
}

#[test]
fn an_untrusted_server_certificate_is_a_tls_error() {
    let pki = common::tls::pki();
    let (addr, served, _handle) = https::serve(pki.server_config(true));
    // The preflight would stop the run first (exit 4, tests/preflight.rs): the step's own
    // error is what is looked at here.
    let (run, _, report) = run_with(&tls_args(addr, &["--retries".into(), "0".into(), "--no-preflight".into()]), &[]);
    let step = &report["specifications"][0]["scenarios"][0]["steps"][0];
    assert_eq!(step["verdict"], "error", "{step:#}");
    let reason = step["reason"].as_str().unwrap();
    assert!(
        reason.contains("not signed by a CA konform trusts; pass the test environment's CA with --ca-cert"),
        "{reason}"
    );
    assert_eq!(run.code, 3);
    assert_eq!(served.load(Ordering::SeqCst), 0);
}

fn requirement<'a>(report: &'a Value, id: &str) -> Option<&'a Value> {
    report["specifications"][0]["requirements"].as_array().unwrap().iter().find(|r| r["id"] == id)
}

#[test]
fn the_profile_judges_tls_only_for_https_targets() {
    let catalogue = common::catalogue_with_profile();
    let pki = common::tls::pki();
    let (addr, _served, _handle) = https::serve(pki.server_config(true));
    let args: Vec<String> = [
        "run",
        "thing",
        "--catalogue",
        &catalogue.path().display().to_string(),
        "--base-url",
        &format!("https://127.0.0.1:{}/", addr.port()),
        "--ca-cert",
        &pki.path("ca.pem"),
        "--client-cert",
        &pki.path("client.pem"),
        "--client-key",
        &pki.path("client-key.pem"),
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    let (_, _, report) = run_with(&args, &[]);
    let sak = requirement(&report, "SAK.01").expect("SAK.01 is judged for an https target");
    assert_eq!(sak["verdict"], "pass", "{sak:#}");
    // This server answers every GET, bodies included: FOR.02 fails, api-info passes.
    assert_eq!(requirement(&report, "FOR.02").unwrap()["verdict"], "fail");
    assert_eq!(requirement(&report, "VER.06").unwrap()["verdict"], "pass");

    let plain = server::good_thing();
    let args: Vec<String> =
        ["run", "thing", "--catalogue", &catalogue.path().display().to_string(), "--base-url", &plain.url()]
            .iter()
            .map(|s| s.to_string())
            .collect();
    let (_, _, report) = run_with(&args, &[]);
    assert!(requirement(&report, "SAK.01").is_none(), "SAK.01 is not judged for an http target");
    // No error response was observed: FEL.02 is not tested, never passed.
    assert_eq!(requirement(&report, "FEL.02").unwrap()["verdict"], "not_tested");
}

/// A run of `thing` with the REST API profile (one scenario, `--retries 0`, `--timeout 1s`)
/// against an https server on `addr`, with `extra` arguments; the SAK.01 requirement.
fn sak01_run(addr: SocketAddr, extra: &[String]) -> (Run, Value) {
    let catalogue = common::catalogue_with_profile();
    let mut args: Vec<String> = ["run", "thing", "--catalogue", &catalogue.path().display().to_string()]
        .iter()
        .map(|s| s.to_string())
        .collect();
    args.extend(["--base-url".into(), format!("https://127.0.0.1:{}/", addr.port())]);
    args.extend(["--scenario", "get-thing", "--retries", "0", "--timeout", "1s"].iter().map(|s| s.to_string()));
    args.extend(extra.iter().cloned());
    let (run, _, report) = run_with(&args, &[]);
    (run, report)
}

/// SAK.01 was not judged: `error` (never `fail`), its one step naming why, and one of
/// `reasons` among the words.
fn assert_sak01_not_judged(run: &Run, report: &Value, reasons: &[&str]) {
    let sak = requirement(report, "SAK.01").expect("SAK.01 is listed for an https target");
    assert_eq!(sak["verdict"], "error", "{sak:#}\n{}", run.stdout);
    let step = probe_step(report, "SAK.01");
    assert_eq!(step["verdict"], "error", "{step:#}");
    assert_eq!(step["checks"], serde_json::json!([]), "nothing was observed, so nothing was checked: {step:#}");
    let said = step["reason"].as_str().unwrap();
    assert!(said.starts_with("not judged: no answer came over https"), "{said}");
    assert!(said.contains("no evidence against the server"), "{said}");
    assert!(reasons.iter().any(|r| said.contains(r)), "one of {reasons:?} in {said}");
    // Nothing was observed of api-info or of a GET with a body either.
    for rule in ["VER.06", "FOR.02"] {
        assert_eq!(requirement(report, rule).unwrap()["verdict"], "error", "{rule}");
        assert_eq!(probe_step(report, rule)["checks"], serde_json::json!([]), "{rule}");
    }
}

/// The one step of the probed rule's scenario `api-profile/<rule>`.
fn probe_step<'a>(report: &'a Value, rule: &str) -> &'a Value {
    let id = format!("api-profile/{rule}");
    let scenario = report["specifications"][0]["scenarios"].as_array().unwrap().iter().find(|s| s["id"] == id);
    &scenario.unwrap_or_else(|| panic!("no scenario {id}"))["steps"][0]
}

#[test]
fn sak01_is_not_failed_when_konform_does_not_trust_the_server_certificate() {
    let pki = common::tls::pki();
    let (addr, _served, _handle) = https::serve(pki.server_config(true));
    // No --ca-cert: the server's issuer is unknown to konform. (The preflight would stop the
    // run with exit 4 and no report; this is what a run without it judges.)
    let (run, report) = sak01_run(addr, &["--no-preflight".into()]);
    assert_eq!(run.code, 3, "nothing answered: {}", run.stderr);
    assert_sak01_not_judged(&run, &report, &["UnknownIssuer"]);
}

#[test]
fn sak01_is_not_failed_when_konform_lacks_the_client_certificate() {
    let pki = common::tls::pki();
    let (addr, _served, _handle) = https::serve(pki.server_config(true));
    let (run, report) = sak01_run(addr, &["--ca-cert".into(), pki.path("ca.pem"), "--no-preflight".into()]);
    assert_eq!(run.code, 3, "nothing answered: {}", run.stderr);
    // In TLS 1.3 the client's handshake is over before the server looks at its certificate:
    // the server's alert races the request, so the client sees either the alert or a
    // connection closed under it. Both are the missing certificate; neither judges SAK.01.
    assert_sak01_not_judged(&run, &report, &["CertificateRequired", "connection was not ready", "connection closed"]);
}

#[test]
fn sak01_is_not_failed_when_requests_time_out_after_the_handshake() {
    let pki = common::tls::pki();
    let (addr, handshakes, _handle) = https::serve_silent(pki.server_config(true));
    let trusted = [
        "--ca-cert".into(),
        pki.path("ca.pem"),
        "--client-cert".into(),
        pki.path("client.pem"),
        "--client-key".into(),
        pki.path("client-key.pem"),
    ];
    let (run, report) = sak01_run(addr, &trusted);
    assert_eq!(run.code, 3, "nothing answered: {}", run.stderr);
    // The step and the api-info probe (the GET with a body is not sent when the plain GET
    // got no answer: it could prove nothing).
    assert!(handshakes.load(Ordering::SeqCst) >= 2, "the step and the probe completed their handshakes");
    assert_sak01_not_judged(&run, &report, &["timed out after 1s"]);
}

#[test]
fn sak01_fails_when_the_server_refuses_tls_1_2_and_1_3() {
    // A server that answers every hello with a fatal protocol_version alert, as one
    // offering only TLS 1.0 or 1.1 does: the one thing SAK.01 can see against a server.
    let listener = server::listen(|mut stream| async move {
        use tokio::io::{AsyncReadExt, AsyncWriteExt};
        let mut hello = [0u8; 4096];
        let _ = stream.read(&mut hello).await;
        // An alert record (21), TLS 1.0, two bytes: fatal (2), protocol_version (70).
        let _ = stream.write_all(&[21, 3, 1, 0, 2, 2, 70]).await;
        let _ = stream.shutdown().await;
    });
    let (run, report) = sak01_run(listener.addr, &[]);
    let sak = requirement(&report, "SAK.01").unwrap();
    assert_eq!(sak["verdict"], "fail", "{sak:#}\n{}", run.stdout);
    let step = probe_step(&report, "SAK.01");
    let message = step["checks"][0]["message"].as_str().unwrap();
    assert!(message.starts_with("the server refused TLS 1.2 and 1.3, the only versions konform offers"), "{message}");
    // The run's own step met the same refusal, and says so.
    let thing = report["specifications"][0]["scenarios"].as_array().unwrap().iter().find(|s| s["id"] == "get-thing");
    let reason = thing.unwrap()["steps"][0]["reason"].as_str().unwrap();
    assert!(reason.starts_with("the server refused TLS 1.2 and 1.3"), "{reason}");
}

#[test]
fn an_api_key_in_the_base_urls_query_reaches_every_request() {
    // A gateway that wants `?api_key=` on every call: a base URL carrying it must send it on
    // every step and probe (a plain URL join would drop it), and it stays a secret.
    let key = "q-KEY-7731";
    let server = server::start(move |head, stream| async move {
        let line = head.lines().next().unwrap_or("").to_string();
        if line.contains(&format!("api_key={key}")) {
            server::respond(stream, "200 OK", &[("Content-Type", "application/json")], br#"{"name":"thing"}"#).await;
        } else {
            server::respond(stream, "403 Forbidden", &[], b"").await;
        }
    });
    let url = format!("{}?api_key={key}", server.url());
    let args: Vec<String> = ["run", "thing", "--scenario", "get-thing", "--catalogue", &hostile_catalogue()]
        .iter()
        .map(|s| s.to_string())
        .chain(["--base-url".into(), url, "--no-preflight".into()])
        .collect();
    let (run, text, report) = run_with(&args, &[]);
    assert_eq!(run.code, 1, "a filtered run never certifies\n{}\n{}", run.stdout, run.stderr);
    assert_eq!(report["counts"]["steps_passed"], report["counts"]["steps"], "every step passed: {}", run.stdout);
    let lines = server.requests.lock().unwrap().clone();
    assert!(!lines.is_empty());
    for head in &lines {
        assert!(head.lines().next().unwrap().contains(&format!("api_key={key}")), "{head}");
    }
    assert_secret_absent(key, &run, &text);
}
