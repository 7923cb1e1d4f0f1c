//! Every credential, however it reaches konform, stays secret: `--header` values (any
//! name), URL userinfo and query values, `Authorization` set any way, a suite's secret
//! variables and captured tokens, the OAuth2 client secret — as given, base64-encoded
//! alone and in `user:secret`, and URL-encoded, of any length — even when a vendor echoes
//! what it receives. Credentials follow one precedence rule (flag > environment > file);
//! OAuth2 client authentication follows RFC 6749; extra headers go on every request.

mod common;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use common::server::{self, respond};
use common::{konform, project_root, Run};

/// Runs konform with every report format; returns the run and all the reports' text.
fn run_all(args: &[String], env: &[(&str, &str)]) -> (Run, String) {
    let dir = tempfile::tempdir().unwrap();
    let mut cmd = konform();
    cmd.args(args);
    for (format, file) in
        [("json", "r.json"), ("junit", "r.xml"), ("html", "r.html"), ("markdown", "r.md"), ("text", "r.txt")]
    {
        cmd.args(["--report", &format!("{format}={}", dir.path().join(file).display())]);
    }
    for (k, v) in env {
        cmd.env(k, v);
    }
    let run: Run = cmd.output().unwrap().into();
    let mut reports = String::new();
    for file in ["r.json", "r.xml", "r.html", "r.md", "r.txt"] {
        reports.push_str(&std::fs::read_to_string(dir.path().join(file)).unwrap_or_else(|e| {
            panic!("no {file} ({e}):\n{}\n{}", run.stdout, run.stderr);
        }));
    }
    (run, reports)
}

fn assert_nowhere(secret: &str, run: &Run, reports: &str) {
    assert!(!run.stdout.contains(secret), "{secret:?} in stdout:\n{}", run.stdout);
    assert!(!run.stderr.contains(secret), "{secret:?} in stderr:\n{}", run.stderr);
    assert!(!reports.contains(secret), "{secret:?} in a report");
}

fn header_of<'a>(head: &'a str, name: &str) -> Vec<&'a str> {
    head.lines()
        .filter_map(|l| {
            let (k, v) = l.split_once(':')?;
            k.trim().eq_ignore_ascii_case(name).then(|| v.trim())
        })
        .collect()
}

/// A vendor that echoes the whole request it received (head and body) into a JSON body,
/// and its Authorization header into a response header; a 400, so that the evidence,
/// the checks' actual values and the curl lines are all shown.
fn echo_server() -> server::RawServer {
    server::start(|head, stream| async move {
        let auth = header_of(&head, "authorization").first().copied().unwrap_or("").to_string();
        let body = format!(r#"{{"name":7,"seen":{}}}"#, serde_json::to_string(&head).unwrap());
        respond(stream, "400 Bad Request", &[("Content-Type", "application/json"), ("X-Echo", &auth)], body.as_bytes())
            .await;
    })
}

fn hostile() -> String {
    project_root().join("fixtures/catalogues/hostile").display().to_string()
}

#[test]
fn every_credential_given_to_konform_is_redacted_even_when_echoed() {
    let server = echo_server();
    let base = format!("http://url-user:url-PASS-2207@{}/?api_key=query-KEY-3308", server.addr);
    let args: Vec<String> = ["run", "thing", "--catalogue", &hostile(), "--base-url", &base]
        .iter()
        .map(|s| s.to_string())
        .chain(["-H".into(), "X-Auth-Token: header-TOKEN-1101".into()])
        .chain(["-H".into(), "Authorization: Token auth-HDR-4404".into()])
        .chain(["--public-header".into(), "X-Request-Id: shown-as-it-is".into()])
        .chain(["--api-key-header".into(), "X-Key".into(), "--api-key".into(), "k3y".into()])
        .collect();
    let (run, reports) = run_all(&args, &[]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let head = server.requests.lock().unwrap()[0].clone();
    assert_eq!(header_of(&head, "x-auth-token"), ["header-TOKEN-1101"], "the vendor got the header: {head}");
    assert_eq!(header_of(&head, "x-key"), ["k3y"]);
    for secret in [
        "header-TOKEN-1101",
        "auth-HDR-4404",
        "url-PASS-2207",
        "url-user",
        "query-KEY-3308",
        "k3y",
        &STANDARD.encode("url-user:url-PASS-2207"),
        &STANDARD.encode("header-TOKEN-1101"),
    ] {
        assert_nowhere(secret, &run, &reports);
    }
    assert!(reports.contains("shown-as-it-is"), "a public header is shown");
    assert!(reports.contains("$KONFORM_X_AUTH_TOKEN"), "curl lines name the header's placeholder");
}

/// A catalogue whose scenario logs in with a secret password variable, captures the
/// token the API issues (as a secret, or not), and sends it as `Authorization: Token …`.
fn login_catalogue(secret_capture: bool) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let spec = dir.path().join("login/1.0.0");
    std::fs::create_dir_all(spec.join("scenarios")).unwrap();
    let files = [
        (
            "spec.yaml",
            "id: login\nversion: 1.0.0\nstatus: active\ndomain: testing\ntitle: { sv: Inloggning, en: Login }\n\
             openapi: openapi.yaml\nvariables:\n  password: { default: \"pw-VARIABLE-5505\", secret: true }\n",
        ),
        (
            "requirements.yaml",
            "requirements:\n  - id: LOGIN-001\n    level: must\n    title: { sv: Logga in, en: Log in }\n    \
             text: { sv: Inloggning SKALL fungera., en: Login MUST work. }\n",
        ),
        (
            "openapi.yaml",
            "openapi: 3.0.3\ninfo: { title: Login, version: \"1\" }\npaths:\n  /login:\n    post:\n      \
             operationId: login\n      requestBody:\n        required: true\n        content:\n          \
             application/json: { schema: { type: object } }\n      responses:\n        \"200\":\n          \
             description: ok\n          content:\n            application/json: { schema: { type: object } }\n  \
             /me:\n    get:\n      operationId: me\n      responses:\n        \"200\":\n          description: ok\n          \
             content:\n            application/json: { schema: { type: object, required: [name] } }\n",
        ),
        (
            "scenarios/login.yaml",
            "scenarios:\n  - id: login-and-read\n    title: { sv: Logga in och läs, en: Log in and read }\n    \
             covers: [LOGIN-001]\n    steps:\n      - name: login\n        operation: login\n        \
             body: { user: u, password: \"{{ password }}\" }\n        expect: { status: 200 }\n        \
             capture:\n          token: { json: $.token, secret: SECRET }\n      - name: me\n        operation: me\n        \
             headers: { Authorization: \"Token {{ token }}\" }\n        expect: { status: 200 }\n",
        ),
    ];
    for (name, text) in files {
        std::fs::write(spec.join(name), text.replace("SECRET", &secret_capture.to_string())).unwrap();
    }
    dir
}

fn login_server() -> server::RawServer {
    server::start(|head, stream| async move {
        let echo = serde_json::to_string(&head).unwrap();
        let body = if head.starts_with("POST /login ") {
            format!(r#"{{"token":"issued-TOKEN-6606","echo":{echo}}}"#)
        } else {
            // The token echoed back, and no `name`: the step fails and shows it all.
            format!(r#"{{"echo":{echo}}}"#)
        };
        respond(stream, "200 OK", &[("Content-Type", "application/json")], body.as_bytes()).await;
    })
}

/// Runs the login catalogue against the login server: the server, the run, the reports.
fn run_login(secret_capture: bool) -> (server::RawServer, Run, String) {
    let server = login_server();
    let catalogue = login_catalogue(secret_capture);
    let args: Vec<String> =
        ["run", "login", "--catalogue", &catalogue.path().display().to_string(), "--base-url", &server.url()]
            .iter()
            .map(|s| s.to_string())
            .collect();
    let (run, reports) = run_all(&args, &[]);
    assert_eq!(run.code, 1, "{}{}", run.stdout, run.stderr);
    (server, run, reports)
}

#[test]
fn a_token_sent_in_authorization_is_redacted_even_when_the_suite_does_not_say_secret() {
    let (_, run, reports) = run_login(false);
    // Learnt when it was sent, and redacted in the whole scenario: the login response too.
    assert_nowhere("issued-TOKEN-6606", &run, &reports);
}

#[test]
fn a_suites_secret_variable_and_captured_token_are_redacted_everywhere() {
    let (server, run, reports) = run_login(true);
    let requests = server.requests.lock().unwrap().clone();
    // After the preflight's probe (a GET /me without a token): the login, then the read.
    let login = requests.iter().position(|r| r.starts_with("POST /login ")).expect("a login");
    assert!(requests[login].contains("pw-VARIABLE-5505"), "the password was sent");
    assert_eq!(header_of(&requests[login + 1], "authorization"), ["Token issued-TOKEN-6606"], "the token was used");
    for secret in ["pw-VARIABLE-5505", "issued-TOKEN-6606", &STANDARD.encode("issued-TOKEN-6606")] {
        assert_nowhere(secret, &run, &reports);
    }
    assert!(reports.contains("$KONFORM_AUTHORIZATION"), "the curl line names the header's placeholder");
    assert!(
        reports.contains("$KONFORM_VAR_password"),
        "the curl line names the variable's placeholder: {}",
        reports.lines().filter(|l| l.contains("curl")).collect::<Vec<_>>().join("\n")
    );
}

/// The RFC 6749 §2.3.1 reading of HTTP Basic client credentials: base64, split at the
/// first `:`, then each part form-decoded.
fn rfc6749_basic(header: &str) -> Option<(String, String)> {
    let decoded = String::from_utf8(STANDARD.decode(header.strip_prefix("Basic ")?).ok()?).ok()?;
    let (id, secret) = decoded.split_once(':')?;
    let decode = |s: &str| url::form_urlencoded::parse(format!("x={s}").as_bytes()).next().map(|(_, v)| v.into_owned());
    Some((decode(id)?, decode(secret)?))
}

const RESERVED_SECRET: &str = "p+ss:w%rd&=é/ok";

/// A token endpoint that accepts only the right client credentials (read per RFC 6749, in
/// Basic or in the body) and echoes what it received; and an API accepting its token.
fn strict_oauth_server(tokens: Arc<AtomicUsize>) -> server::RawServer {
    server::start(move |head, stream| {
        let tokens = tokens.clone();
        async move {
            if head.starts_with("POST /token ") {
                let basic = header_of(&head, "authorization").first().and_then(|h| rfc6749_basic(h));
                let body = head.split("\r\n\r\n").nth(1).unwrap_or("");
                let form: Vec<(String, String)> = url::form_urlencoded::parse(body.as_bytes()).into_owned().collect();
                let posted = |k: &str| form.iter().find(|(n, _)| n == k).map(|(_, v)| v.clone());
                let client = basic.or_else(|| Some((posted("client_id")?, posted("client_secret")?)));
                if client != Some(("konform client".to_string(), RESERVED_SECRET.to_string())) {
                    return respond(stream, "401 Unauthorized", &[], b"{\"error\":\"invalid_client\"}").await;
                }
                let n = tokens.fetch_add(1, Ordering::SeqCst) + 1;
                let echo = serde_json::to_string(&head).unwrap();
                let reply = format!(r#"{{"access_token":"acc-{n}-TOKEN","expires_in":3600,"echo":{echo}}}"#);
                return respond(stream, "200 OK", &[("Content-Type", "application/json")], reply.as_bytes()).await;
            }
            let ok = header_of(&head, "authorization").first().is_some_and(|a| a.starts_with("Bearer acc-"));
            let (status, body): (&str, &[u8]) =
                if ok { ("200 OK", br#"{"name":"thing"}"#) } else { ("401 Unauthorized", b"") };
            respond(stream, status, &[("Content-Type", "application/json")], body).await
        }
    })
}

fn oauth_config(dir: &std::path::Path, url: &str, client_auth: Option<&str>) -> String {
    let path = dir.join("konform.toml");
    let extra = client_auth.map(|a| format!("client_auth = \"{a}\"\n")).unwrap_or_default();
    std::fs::write(
        &path,
        format!(
            "[target]\nbase_url = \"{url}\"\n[auth]\ntype = \"oauth2\"\ntoken_url = \"{url}token\"\n\
             client_id = \"konform client\"\nclient_secret_env = \"TEST_RESERVED_SECRET\"\n{extra}"
        ),
    )
    .unwrap();
    path.display().to_string()
}

#[test]
fn an_oauth2_secret_with_reserved_characters_is_accepted_and_never_shown() {
    for client_auth in [None, Some("client_secret_post")] {
        let tokens = Arc::new(AtomicUsize::new(0));
        let server = strict_oauth_server(tokens.clone());
        let dir = tempfile::tempdir().unwrap();
        let config = oauth_config(dir.path(), &server.url(), client_auth);
        let args: Vec<String> =
            ["run", "thing", "--catalogue", &hostile(), "--config", &config].iter().map(|s| s.to_string()).collect();
        let (run, reports) = run_all(&args, &[("TEST_RESERVED_SECRET", RESERVED_SECRET)]);
        assert_eq!(run.code, 0, "{client_auth:?}: {}{}", run.stdout, run.stderr);
        assert_eq!(tokens.load(Ordering::SeqCst), 1);
        let form = |s: &str| url::form_urlencoded::byte_serialize(s.as_bytes()).collect::<String>();
        for secret in [
            RESERVED_SECRET.to_string(),
            form(RESERVED_SECRET),
            STANDARD.encode(format!("konform+client:{}", form(RESERVED_SECRET))),
            "acc-1-TOKEN".to_string(),
        ] {
            assert_nowhere(&secret, &run, &reports);
        }
    }
}

#[test]
fn a_token_endpoint_that_echoes_the_client_credentials_leaks_nothing() {
    // The endpoint refuses; its echo of what konform sent is shown in the preflight's
    // paragraph, and (without the preflight) in each step's reason.
    let server = server::start(|head, stream| async move {
        let echo = serde_json::to_string(&head).unwrap();
        let body = format!(r#"{{"error":"invalid_client","you_sent":{echo}}}"#);
        respond(stream, "400 Bad Request", &[("Content-Type", "application/json")], body.as_bytes()).await
    });
    let dir = tempfile::tempdir().unwrap();
    let config = oauth_config(dir.path(), &server.url(), None);
    let secrets = [
        "plain-CLIENT-secret-77".to_string(),
        STANDARD.encode("konform+client:plain-CLIENT-secret-77"),
        STANDARD.encode("plain-CLIENT-secret-77"),
    ];
    // The preflight's paragraph shows the endpoint's answer, echo included.
    let run: Run = konform()
        .args(["run", "thing", "--catalogue", &hostile(), "--config", &config])
        .env("TEST_RESERVED_SECRET", "plain-CLIENT-secret-77")
        .output()
        .unwrap()
        .into();
    assert_eq!(run.code, 4, "{}", run.stderr);
    assert!(run.stderr.contains("authorization: Basic <redacted>"), "the echo is shown, redacted: {}", run.stderr);
    for secret in &secrets {
        assert_nowhere(secret, &run, "");
    }
    // Without the preflight, each step's reason and evidence show it.
    let args: Vec<String> = ["run", "thing", "--catalogue", &hostile(), "--config", &config, "--no-preflight"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    let (run, reports) = run_all(&args, &[("TEST_RESERVED_SECRET", "plain-CLIENT-secret-77")]);
    assert_eq!(run.code, 3, "{}", run.stderr);
    for secret in &secrets {
        assert_nowhere(secret, &run, &reports);
    }
}

#[test]
fn concurrent_401s_cause_one_refresh() {
    let tokens = Arc::new(AtomicUsize::new(0));
    let counter = tokens.clone();
    let server = server::start(move |head, stream| {
        let tokens = counter.clone();
        async move {
            if head.starts_with("POST /token ") {
                let n = tokens.fetch_add(1, Ordering::SeqCst) + 1;
                let body = format!(r#"{{"access_token":"tok-{n}","expires_in":3600}}"#);
                return respond(stream, "200 OK", &[("Content-Type", "application/json")], body.as_bytes()).await;
            }
            if header_of(&head, "authorization") == ["Bearer tok-1"] {
                // Revoked; answered slowly, so that both scenarios' requests are refused together.
                tokio::time::sleep(std::time::Duration::from_millis(300)).await;
                return respond(stream, "401 Unauthorized", &[], b"").await;
            }
            respond(stream, "200 OK", &[("Content-Type", "application/json")], br#"{"name":"thing"}"#).await
        }
    });
    let dir = tempfile::tempdir().unwrap();
    let config = oauth_config(dir.path(), &server.url(), None);
    // The preflight's probe would meet the revoked token first, alone.
    let args: Vec<String> =
        ["run", "thing", "--catalogue", &hostile(), "--config", &config, "--jobs", "4", "--no-preflight"]
            .iter()
            .map(|s| s.to_string())
            .collect();
    let (run, _) = run_all(&args, &[("TEST_RESERVED_SECRET", "s")]);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    assert_eq!(tokens.load(Ordering::SeqCst), 2, "one token, then one refresh for all the 401s");
    let refused = server.requests.lock().unwrap().iter().filter(|h| h.contains("Bearer tok-1")).count();
    assert_eq!(refused, 2, "both scenarios met the revoked token");
}

/// A server that accepts only `Bearer right-TOKEN`.
fn bearer_server() -> server::RawServer {
    server::start(|head, stream| async move {
        let (status, body): (&str, &[u8]) = if header_of(&head, "authorization") == ["Bearer right-TOKEN"] {
            ("200 OK", br#"{"name":"thing"}"#)
        } else {
            ("401 Unauthorized", b"")
        };
        respond(stream, status, &[("Content-Type", "application/json")], body).await
    })
}

fn run_thing(server: &server::RawServer, extra: &[&str], env: &[(&str, &str)]) -> Run {
    let mut cmd = konform();
    cmd.args(["run", "thing", "--catalogue", &hostile(), "--base-url", &server.url()]).args(extra);
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd.output().unwrap().into()
}

#[test]
fn a_flag_wins_and_leftovers_of_another_kind_never_interfere() {
    let server = bearer_server();
    let leftovers = [("KONFORM_API_KEY", "old-key"), ("KONFORM_BASIC_PASSWORD", "old-password")];
    let run = run_thing(&server, &["--bearer-token", "right-TOKEN"], &leftovers);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stderr.contains("KONFORM_API_KEY is set but not used: --bearer-token chooses"), "{}", run.stderr);

    // A flag overrides a file's authentication whose secret variable is not even set.
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("konform.toml");
    std::fs::write(&config, "[auth]\ntype = \"basic\"\nuser = \"u\"\npassword_env = \"TEST_UNSET_PASSWORD_VAR\"\n")
        .unwrap();
    let run = run_thing(&server, &["--config", &config.display().to_string(), "--bearer-token", "right-TOKEN"], &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stderr.contains("is not used: --bearer-token chooses"), "{}", run.stderr);

    // The environment wins over the file.
    let run =
        run_thing(&server, &["--config", &config.display().to_string()], &[("KONFORM_BEARER_TOKEN", "right-TOKEN")]);
    assert_eq!(run.code, 0, "{}", run.stderr);
}

#[test]
fn conflicting_credentials_exit_2_before_anything_is_sent() {
    let server = bearer_server();
    /// Flags, environment, and what the error says.
    type Case<'a> = (&'a [&'a str], &'a [(&'a str, &'a str)], &'a str);
    let cases: [Case; 3] = [
        (
            &["--bearer-token", "t", "--basic-user", "u", "--basic-password", "p"],
            &[],
            "--bearer-token and --basic-user",
        ),
        (&[], &[("KONFORM_BEARER_TOKEN", "t"), ("KONFORM_API_KEY", "k")], "KONFORM_BEARER_TOKEN and KONFORM_API_KEY"),
        (&["--api-key", "k"], &[], "--api-key needs --api-key-header NAME"),
    ];
    for (flags, env, says) in cases {
        let run = run_thing(&server, flags, env);
        assert_eq!(run.code, 2, "{flags:?}: {}", run.stderr);
        assert!(run.stderr.contains(says), "{flags:?}: {}", run.stderr);
    }
    assert_eq!(server.request_count(), 0);
}

#[test]
fn extra_headers_go_on_every_request_probes_included_once_each() {
    let server = server::start(|_, stream| async move {
        respond(stream, "200 OK", &[("Content-Type", "application/json")], br#"{"name":"thing"}"#).await
    });
    let catalogue = common::catalogue_with_profile();
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("konform.toml");
    std::fs::write(&config, "[headers]\nX-Gateway-Key = \"from-file\"\n[public_headers]\nX-Client = \"konform\"\n")
        .unwrap();
    let run: Run = konform()
        .args(["run", "thing", "--catalogue", &catalogue.path().display().to_string(), "--base-url", &server.url()])
        .args(["--config", &config.display().to_string(), "-H", "x-gateway-key: from-flag"])
        .output()
        .unwrap()
        .into();
    assert!(run.code <= 1, "{}", run.stderr);
    let requests = server.requests.lock().unwrap().clone();
    assert!(requests.iter().any(|h| h.starts_with("GET /api-info ")), "the profile probed api-info: {requests:?}");
    for head in &requests {
        assert_eq!(header_of(head, "x-gateway-key"), ["from-flag"], "{head}");
        assert_eq!(header_of(head, "x-client"), ["konform"], "{head}");
    }
}

// ---- auth from the run's own data: a token the API issues, sent as the suite says ----------

const SESSION_TOKEN: &str = "issued-SESSION-7707";
const RUN_WIDE: &str = "RUNWIDE-CRED-8808";
const SESSION_SUITE: &str = "session/1.0.0/scenarios/main.yaml";

/// A catalogue whose description declares bearer, apiKey (header, query) and digest
/// security schemes, with `scenario` (indented as an item of `scenarios:`) as its suite.
fn session_catalogue(scenario: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let spec = dir.path().join("session/1.0.0");
    std::fs::create_dir_all(spec.join("scenarios")).unwrap();
    let openapi = r#"openapi: 3.0.3
info: { title: Sessions, version: "1" }
components:
  securitySchemes:
    bearerAuth: { type: http, scheme: bearer }
    sessionHeader: { type: apiKey, in: header, name: X-Session }
    sessionQuery: { type: apiKey, in: query, name: session }
    digestAuth: { type: http, scheme: digest }
security: [ { bearerAuth: [] } ]
paths:
  /login:
    post:
      operationId: login
      security: []
      requestBody: { required: true, content: { application/json: { schema: { type: object } } } }
      responses:
        "200": { description: ok, content: { application/json: { schema: { type: object } } } }
  /me:
    get:
      operationId: me
      responses:
        "200": { description: ok, content: { application/json: { schema: { type: object, required: [name] } } } }
        "401": { description: not logged in }
"#;
    let files = [
        (
            "spec.yaml",
            "id: session\nversion: 1.0.0\nstatus: active\ndomain: testing\ntitle: { sv: Session, en: Session }\n\
             openapi: openapi.yaml\n",
        ),
        (
            "requirements.yaml",
            "requirements:\n  - id: SESSION-001\n    level: must\n    title: { sv: Session, en: Session }\n    \
             text: { sv: En utfärdad token SKALL fungera., en: An issued token MUST work. }\n",
        ),
        ("openapi.yaml", openapi),
        ("scenarios/main.yaml", &format!("scenarios:\n{scenario}")),
    ];
    for (name, text) in files {
        std::fs::write(spec.join(name), text).unwrap();
    }
    dir
}

/// Logs in without credentials, then reads `/me` three ways: with the scenario's bearer
/// token, and with its own `auth` as the apiKey header and query schemes. `{capture}` is
/// where the token is read from.
const SESSION_SCENARIO: &str = r#"  - id: session
    title: { sv: Session, en: Session }
    covers: [SESSION-001]
    auth: { bearer: "{{ token }}" }
    steps:
      - name: login
        operation: login
        auth: none
        setup: false
        body: { user: u }
        expect: { status: 200 }
        capture: { token: CAPTURE }
      - name: me
        operation: me
        expect: { status: 200 }
      - name: me by header
        operation: me
        auth: { scheme: sessionHeader, value: "{{ token }}" }
        expect: { status: 200 }
      - name: me by query
        operation: me
        auth: { scheme: sessionQuery, value: "{{ token }}" }
        expect: { status: 200 }
"#;

/// Issues [`SESSION_TOKEN`] at login (and echoes the request); `/me` answers 200 to a
/// request that carries the token or the run-wide credential anywhere (echoing it), 401
/// otherwise.
fn session_server() -> server::RawServer {
    server::start(|head, stream| async move {
        let echo = serde_json::to_string(&head).unwrap();
        let (status, body) = if head.starts_with("POST /login ") {
            ("200 OK", format!(r#"{{"token":"{SESSION_TOKEN}","echo":{echo}}}"#))
        } else if head.contains(SESSION_TOKEN) || head.contains(RUN_WIDE) {
            ("200 OK", format!(r#"{{"name":"me","echo":{echo}}}"#))
        } else {
            ("401 Unauthorized", format!(r#"{{"echo":{echo}}}"#))
        };
        respond(stream, status, &[("Content-Type", "application/json")], body.as_bytes()).await;
    })
}

/// Runs the session catalogue, the token read from `capture`, with a run-wide bearer
/// token: the server, the run and every report.
fn run_session(capture: &str) -> (server::RawServer, Run, String) {
    let server = session_server();
    let catalogue = session_catalogue(&SESSION_SCENARIO.replace("CAPTURE", capture));
    let args: Vec<String> = [
        "run",
        "session",
        "--catalogue",
        &catalogue.path().display().to_string(),
        "--base-url",
        &server.url(),
        "--bearer-token",
        RUN_WIDE,
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    let (run, reports) = run_all(&args, &[]);
    (server, run, reports)
}

#[test]
fn a_token_the_api_issues_is_sent_as_the_suite_says_instead_of_the_run_wide_credential_and_never_shown() {
    let (server, run, reports) = run_session("$.token");
    assert_eq!(run.code, 0, "{}\n{}", run.stdout, run.stderr);
    let requests = server.requests.lock().unwrap().clone();
    let login = requests.iter().position(|r| r.starts_with("POST /login ")).expect("a login");
    assert!(!requests[login].contains(RUN_WIDE), "`auth: none` sends no credential:\n{}", requests[login]);
    let after = &requests[login + 1..];
    assert_eq!(after.len(), 3, "{after:?}");
    assert_eq!(header_of(&after[0], "authorization"), [format!("Bearer {SESSION_TOKEN}")], "the scenario's bearer");
    assert_eq!(header_of(&after[1], "x-session"), [SESSION_TOKEN], "the apiKey header scheme");
    assert!(header_of(&after[1], "authorization").is_empty(), "{}", after[1]);
    assert!(after[2].starts_with(&format!("GET /me?session={SESSION_TOKEN} ")), "the apiKey query: {}", after[2]);
    assert!(header_of(&after[2], "authorization").is_empty(), "{}", after[2]);
    for request in after {
        assert!(!request.contains(RUN_WIDE), "the run-wide credential was sent:\n{request}");
    }
    // Not marked `secret: true`, yet sent as a credential: redacted everywhere, the login
    // response and the echoes included.
    for secret in [SESSION_TOKEN, &STANDARD.encode(SESSION_TOKEN), RUN_WIDE] {
        assert_nowhere(secret, &run, &reports);
    }
    assert!(reports.contains("$KONFORM_CAPTURE_TOKEN"), "curl lines name the capture's placeholder");
}

#[test]
fn a_step_whose_credential_was_not_captured_is_skipped_naming_the_variable() {
    let (server, run, reports) = run_session("$.nothing");
    assert_eq!(run.code, 1, "{}\n{}", run.stdout, run.stderr);
    let requests = server.requests.lock().unwrap().clone();
    let login = requests.iter().position(|r| r.starts_with("POST /login ")).expect("a login");
    assert_eq!(requests.len(), login + 1, "nothing is sent after the failed capture: {requests:?}");
    let json: serde_json::Value = serde_json::from_str(reports.split("<?xml").next().unwrap()).unwrap();
    let steps = json.pointer("/specifications/0/scenarios/0/steps").and_then(|s| s.as_array()).expect("steps");
    assert_eq!(steps.len(), 4);
    for step in &steps[1..] {
        assert_eq!(step["verdict"], "skipped", "{step}");
    }
    assert!(
        run.stdout.contains("needs `token`, which step `login` did not capture"),
        "the terminal names the variable:\n{}",
        run.stdout
    );
}

/// `konform check` of the session catalogue with `scenario`: exit 2, `messages` at `at`
/// (line and column) of the suite.
fn assert_session_check(scenario: &str, at: &str, messages: &[&str]) {
    let dir = session_catalogue(scenario);
    let run: Run = konform().current_dir(dir.path()).args(["check", "."]).output().unwrap().into();
    assert_eq!(run.code, 2, "{}\n{}", run.stdout, run.stderr);
    let location = format!("{SESSION_SUITE}:{at}");
    assert!(run.stderr.contains(&location), "expected {location:?} in:\n{}", run.stderr);
    for message in messages {
        assert!(run.stderr.contains(message), "expected {message:?} in:\n{}", run.stderr);
    }
}

#[test]
fn bad_auth_in_a_suite_is_refused_at_its_line() {
    let scenario = SESSION_SCENARIO.replace("CAPTURE", "$.token");
    // The scenario's own lines: `auth:` of the scenario is line 5, of `me by header` 19.
    let cases = [
        (
            scenario.replace("scheme: sessionHeader", "scheme: sessionHeadr"),
            "19:25",
            &["names security scheme `sessionHeadr`", "(did you mean `sessionHeader`?)"][..],
        ),
        (
            scenario.replace("scheme: sessionHeader", "scheme: digestAuth"),
            "19:25",
            &["security scheme `digestAuth` cannot carry a value: it is an `http` scheme `digest`"],
        ),
        (
            scenario.replace("auth: { scheme: sessionHeader,", "auth: { bearer: x, scheme: sessionHeader,"),
            "19:15",
            &["`bearer` or `scheme`, not both"],
        ),
        (scenario.replace("auth: none", "auth: nnoe"), "9:15", &["(did you mean `none`?)"]),
        (scenario.replace("auth: { bearer:", "auth: { baerer:"), "5:13", &["unknown key `auth.baerer`"]),
        // The login step without an `auth` of its own would send the token before it has it.
        (
            scenario.replace("        auth: none\n", ""),
            "5:21",
            &["step `login` sends the scenario's `auth`, which uses `{{ token }}`", "give step `login` `auth: none`"],
        ),
    ];
    for (text, at, message) in cases {
        assert_session_check(&text, at, message);
    }
}

#[test]
fn a_step_that_sets_its_credentials_header_itself_is_warned_of_at_its_line() {
    let scenario = SESSION_SCENARIO.replace("CAPTURE", "$.token").replace(
        "        auth: { scheme: sessionHeader, value: \"{{ token }}\" }\n",
        "        auth: { scheme: sessionHeader, value: \"{{ token }}\" }\n        headers: { X-Session: fixed }\n",
    );
    let dir = session_catalogue(&scenario);
    let run: Run = konform().current_dir(dir.path()).args(["check", "."]).output().unwrap().into();
    assert_eq!(run.code, 0, "a warning only:\n{}\n{}", run.stdout, run.stderr);
    let all = format!("{}{}", run.stdout, run.stderr);
    assert!(all.contains(&format!("{SESSION_SUITE}:20:")), "at the header's line:\n{all}");
    assert!(
        all.contains("step `me by header` sets `X-Session` itself, so the credential of its `auth` is not sent"),
        "{all}"
    );
}
