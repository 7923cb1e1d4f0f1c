//! Sending one request and reading its response, defensively: a hostile or broken vendor
//! cannot crash or hang a run. Timeouts cover the whole exchange (a slow drip times out),
//! bodies are read up to a limit (after decompression, so a gzip bomb stops there),
//! redirects are followed only within the same origin (credentials never travel elsewhere),
//! and connection failures of idempotent requests are retried a bounded number of times.

use std::time::{Duration, Instant};

use bytes::{Bytes, BytesMut};
use reqwest::redirect::Policy;
use reqwest::Method;
use url::Url;

use super::oauth::TokenCache;
use super::transport::{transport, Transport};
use crate::judge::Response;
use crate::messages::Msg;
use crate::net::root_cause;
use crate::redact::Redactor;
use crate::target::{Auth, Target};

#[derive(Debug, Clone)]
pub struct HttpOptions {
    pub timeout: Duration,
    /// Largest response body read, in bytes (after decompression).
    pub max_body: usize,
    /// Retries after a connection failure (idempotent methods only).
    pub retries: u32,
    /// The target's rate limit, shared by every request to it (token calls included).
    pub rate: Option<super::rate::RateLimit>,
}

/// A request ready to send (templates rendered).
#[derive(Debug, Clone)]
pub struct Outgoing {
    pub method: Method,
    pub url: Url,
    pub headers: Vec<(String, String)>,
    pub body: Option<Vec<u8>>,
    /// Whether the target's credentials are added.
    pub send_auth: bool,
    /// Headers of `headers` konform made up itself (the generated auth check's invalid
    /// credentials): nobody's secret, so never learnt as one, and shown in the curl line as
    /// sent so that it reproduces the request.
    pub public: Vec<String>,
}

pub enum Outcome {
    Response(Response),
    /// No usable response: why, and the status if the vendor got as far as sending one.
    Failed(Msg, Option<u16>),
}

pub struct Sent {
    pub outcome: Outcome,
    pub attempts: u32,
    pub elapsed: Duration,
    /// The headers actually sent, credentials included (redact before showing).
    pub headers: Vec<(String, String)>,
    /// What the last attempt met, when it got no response for a reason the preflight
    /// looks for (a connection not made, a TLS handshake that failed).
    pub transport: Option<Transport>,
}

/// Why the HTTP client cannot be set up (nothing was sent).
#[derive(Debug, thiserror::Error)]
pub enum SetupError {
    #[error("cannot read the CA bundle {}: {source}", path.display())]
    CaBundleUnreadable { path: std::path::PathBuf, source: std::io::Error },
    #[error("{} is not a PEM certificate bundle: {detail}", path.display())]
    CaBundleNotPem { path: std::path::PathBuf, detail: String },
    #[error("cannot read the client certificate {}: {source}", path.display())]
    ClientCertificateUnreadable { path: std::path::PathBuf, source: std::io::Error },
    #[error("cannot read the client key {}: {source}", path.display())]
    ClientKeyUnreadable { path: std::path::PathBuf, source: std::io::Error },
    #[error("the client certificate {} and key {} cannot be used: {detail}", cert.display(), key.display())]
    ClientIdentityUnusable { cert: std::path::PathBuf, key: std::path::PathBuf, detail: String },
    #[error("{} is not a usable PEM {what}: {detail}", path.display())]
    NotPem { path: std::path::PathBuf, what: &'static str, detail: String },
    #[error("cannot set up the HTTP client: {cause}")]
    Client { cause: String },
}

/// Whether `bytes` hold a PEM block of one of `labels` that konform can use (an encrypted
/// key cannot be: there is no passphrase to give).
fn check_pem(path: &std::path::Path, bytes: &[u8], what: &'static str, labels: &[&str]) -> Result<(), SetupError> {
    let text = String::from_utf8_lossy(bytes);
    let fail = |detail: &str| Err(SetupError::NotPem { path: path.to_path_buf(), what, detail: detail.to_string() });
    if text.contains("-----BEGIN ENCRYPTED PRIVATE KEY-----") || text.contains("Proc-Type: 4,ENCRYPTED") {
        return fail("it is encrypted; konform needs an unencrypted key (openssl pkey -in KEY -out KEY.pem)");
    }
    if !labels.iter().any(|l| text.contains(&format!("-----BEGIN {l}-----"))) {
        let label = labels[0];
        return if text.contains("-----BEGIN ") {
            fail(&format!("it holds no -----BEGIN {label}----- block"))
        } else {
            fail(&format!(
                "it is not PEM (DER? convert it: openssl {} -inform der -in FILE -out FILE.pem)",
                if what == "certificate" { "x509" } else { "pkey" }
            ))
        };
    }
    Ok(())
}

pub struct HttpClient {
    client: reqwest::Client,
    options: HttpOptions,
    auth: Auth,
    tokens: Option<TokenCache>,
    extra_headers: Vec<(String, String)>,
    /// A client certificate is presented (mutual TLS).
    has_identity: bool,
    pub redactor: Redactor,
}

impl HttpClient {
    /// Whether a client certificate is configured (`--client-cert`, `--client-key`).
    pub fn has_identity(&self) -> bool {
        self.has_identity
    }

    pub fn new(target: &Target, options: HttpOptions) -> Result<HttpClient, SetupError> {
        crate::net::init_tls();
        let mut builder = reqwest::Client::builder()
            .timeout(options.timeout)
            .connect_timeout(connect_timeout(&options))
            .redirect(same_origin_redirects())
            .user_agent(concat!("konform/", env!("CARGO_PKG_VERSION")))
            .pool_idle_timeout(Duration::from_secs(30));
        if let Some(ca) = &target.ca_bundle {
            let pem =
                std::fs::read(ca).map_err(|source| SetupError::CaBundleUnreadable { path: ca.clone(), source })?;
            let certs = reqwest::Certificate::from_pem_bundle(&pem)
                .map_err(|e| SetupError::CaBundleNotPem { path: ca.clone(), detail: e.to_string() })?;
            if certs.is_empty() {
                let detail = "it holds no -----BEGIN CERTIFICATE----- block".to_string();
                return Err(SetupError::CaBundleNotPem { path: ca.clone(), detail });
            }
            for cert in certs {
                builder = builder.add_root_certificate(cert);
            }
        }
        let identity = match (&target.client_cert, &target.client_key) {
            (Some(cert), Some(key)) => Some((cert, key)),
            _ => None,
        };
        if let Some((cert, key)) = identity {
            let mut pem = std::fs::read(cert)
                .map_err(|source| SetupError::ClientCertificateUnreadable { path: cert.clone(), source })?;
            let key_pem =
                std::fs::read(key).map_err(|source| SetupError::ClientKeyUnreadable { path: key.clone(), source })?;
            check_pem(cert, &pem, "certificate", &["CERTIFICATE"])?;
            check_pem(key, &key_pem, "private key", &["PRIVATE KEY", "RSA PRIVATE KEY", "EC PRIVATE KEY"])?;
            pem.push(b'\n');
            pem.extend(key_pem);
            let identity = reqwest::Identity::from_pem(&pem).map_err(|e| SetupError::ClientIdentityUnusable {
                cert: cert.clone(),
                key: key.clone(),
                detail: root_cause(&e),
            })?;
            builder = builder.identity(identity);
        }
        let client = builder.build().map_err(|e| match identity {
            // The only thing left to go wrong with the files is a key of another certificate.
            Some((cert, key)) if root_cause(&e).contains("consistent") => SetupError::ClientIdentityUnusable {
                cert: cert.clone(),
                key: key.clone(),
                detail: "the key is not the certificate's (they do not belong together)".into(),
            },
            _ => SetupError::Client { cause: root_cause(&e) },
        })?;
        let tokens = match &target.auth {
            Auth::OAuth2(o) => {
                Some(TokenCache::new(o.clone(), client.clone(), target.redactor.clone(), options.rate.clone()))
            }
            _ => None,
        };
        Ok(HttpClient {
            client,
            options,
            auth: target.auth.clone(),
            tokens,
            extra_headers: target.headers.clone(),
            has_identity: identity.is_some(),
            redactor: target.redactor.clone(),
        })
    }

    /// Sends a request (with bounded retries and one OAuth2 refresh on 401) and reads the response.
    pub async fn send(&self, out: &Outgoing) -> Sent {
        let started = Instant::now();
        let mut attempts = 0;
        let mut refreshed = false;
        loop {
            attempts += 1;
            let headers = match self.headers_for(out, refreshed).await {
                Ok(h) => h,
                Err(reason) => {
                    return Sent {
                        outcome: Outcome::Failed(reason, None),
                        attempts,
                        elapsed: started.elapsed(),
                        headers: out.headers.clone(),
                        transport: None,
                    }
                }
            };
            let (outcome, met) = match self.send_once(out, &headers).await {
                Ok(r) => (Ok(r), None),
                Err((failure, met)) => (Err(failure), met),
            };
            match &outcome {
                Err(Failure::Connect(_)) if is_idempotent(&out.method) && attempts <= self.options.retries => {
                    tokio::time::sleep(Duration::from_millis(100 * u64::from(attempts))).await;
                    continue;
                }
                Ok(r) if r.status == 401 && out.send_auth && self.tokens.is_some() && !refreshed => {
                    // The token may have been revoked or expired early: refresh once and resend.
                    let used = headers.iter().find(|(k, _)| k.eq_ignore_ascii_case("authorization"));
                    if let (Some(t), Some((_, value))) = (&self.tokens, used) {
                        t.invalidate(value.strip_prefix("Bearer ").unwrap_or(value)).await;
                    }
                    refreshed = true;
                    continue;
                }
                _ => {}
            }
            let outcome = match outcome {
                Ok(r) => Outcome::Response(r),
                Err(Failure::Body(reason, status)) => Outcome::Failed(reason, Some(status)),
                Err(f) => Outcome::Failed(f.into_reason(), None),
            };
            return Sent { outcome, attempts, elapsed: started.elapsed(), headers, transport: met };
        }
    }

    /// The headers a request is sent with: its own, then the extra headers of the target
    /// (each once, unless the request sets it), then the credentials. Every value sent in a
    /// header that carries credentials is learnt as a secret, however it got there (a suite's
    /// `Authorization: Token {{token}}`, a `-H`), so an echo of it is redacted too.
    async fn headers_for(&self, out: &Outgoing, _refreshed: bool) -> Result<Vec<(String, String)>, Msg> {
        let has = |h: &[(String, String)], name: &str| h.iter().any(|(k, _)| k.eq_ignore_ascii_case(name));
        let mut headers = out.headers.clone();
        for (k, v) in &self.extra_headers {
            if !has(&headers, k) {
                headers.push((k.clone(), v.clone()));
            }
        }
        self.learn_credentials(&headers, &out.public);
        if !out.send_auth {
            return Ok(headers);
        }
        match &self.auth {
            Auth::None => {}
            Auth::Bearer { token } if !has(&headers, "authorization") => {
                headers.push(("Authorization".into(), format!("Bearer {}", token.expose())))
            }
            Auth::Basic { user, password } if !has(&headers, "authorization") => {
                use base64::Engine;
                let encoded = base64::engine::general_purpose::STANDARD.encode(format!("{user}:{}", password.expose()));
                headers.push(("Authorization".into(), format!("Basic {encoded}")));
            }
            Auth::ApiKey { header, value } if !has(&headers, header) => {
                headers.push((header.clone(), value.expose().to_string()))
            }
            Auth::OAuth2(_) if !has(&headers, "authorization") => {
                let token =
                    self.tokens.as_ref().expect("HttpClient::new makes a token cache for OAuth2").token().await?;
                headers.push(("Authorization".into(), format!("Bearer {}", token.expose())));
            }
            _ => {}
        }
        Ok(headers)
    }

    fn learn_credentials(&self, headers: &[(String, String)], public: &[String]) {
        for (k, v) in headers {
            if self.redactor.is_sensitive_header(k) && !self.redactor.knows(v) && !is_public(k, public) {
                let placeholder = crate::target::header_placeholder(k);
                self.redactor.add(v, &placeholder);
                // `Token abc`, `Bearer abc`: the credential alone comes back too.
                if let Some((_, credential)) = v.split_once(' ') {
                    self.redactor.add(credential.trim(), &placeholder);
                }
            }
        }
    }

    /// How long a connection may take to be made.
    pub fn connect_timeout(&self) -> Duration {
        connect_timeout(&self.options)
    }

    /// The credentials this client adds, for the preflight to name (`Auth::None`: none).
    pub fn auth(&self) -> &Auth {
        &self.auth
    }

    /// The extra headers that carry credentials (their names).
    pub fn credential_headers(&self) -> Vec<String> {
        self.extra_headers
            .iter()
            .filter(|(k, _)| self.redactor.is_sensitive_header(k))
            .map(|(k, _)| k.clone())
            .collect()
    }

    /// One attempt. A failure before a response says what it met on the way, when that is a
    /// connection or TLS problem.
    async fn send_once(
        &self,
        out: &Outgoing,
        headers: &[(String, String)],
    ) -> Result<Response, (Failure, Option<Transport>)> {
        if let Some(rate) = &self.options.rate {
            rate.acquire().await;
        }
        let mut req = self.client.request(out.method.clone(), out.url.clone());
        for (k, v) in headers {
            req = req.header(k.as_str(), v.as_str());
        }
        if let Some(body) = &out.body {
            req = req.body(body.clone());
        }
        let mut resp = req.send().await.map_err(|e| {
            let met = transport(&e, out.url.host_str().unwrap_or_default(), self.has_identity);
            (classify(&e, self.options.timeout, met.as_ref()), met)
        })?;
        let status = resp.status().as_u16();
        let headers: Vec<(String, String)> = resp
            .headers()
            .iter()
            .map(|(k, v)| (k.as_str().to_string(), String::from_utf8_lossy(v.as_bytes()).into_owned()))
            .collect();
        let mut body = BytesMut::new();
        loop {
            match resp.chunk().await {
                Ok(Some(chunk)) => {
                    if body.len() + chunk.len() > self.options.max_body {
                        let limit = human_bytes(self.options.max_body as u64);
                        return Err((Failure::Body(Msg::BodyOverLimit { limit }, status), None));
                    }
                    body.extend_from_slice(&chunk);
                }
                Ok(None) => break,
                Err(e) => {
                    let reason = classify(&e, self.options.timeout, None).into_reason();
                    let reason = Msg::WhileReadingBody { reason: Box::new(reason), after: body.len() };
                    return Err((Failure::Body(reason, status), None));
                }
            }
        }
        Ok(Response::new(status, headers, Bytes::from(body)))
    }
}

fn connect_timeout(options: &HttpOptions) -> Duration {
    options.timeout.min(Duration::from_secs(10))
}

pub fn is_idempotent(method: &Method) -> bool {
    matches!(*method, Method::GET | Method::HEAD | Method::PUT | Method::DELETE | Method::OPTIONS | Method::TRACE)
}

/// Follow redirects only to the same origin (scheme, host and port), at most five.
fn same_origin_redirects() -> Policy {
    Policy::custom(|attempt| {
        let first = attempt.previous().first().map(|u| u.origin());
        if attempt.previous().len() > 5 {
            attempt.error("more than 5 redirects")
        } else if first.as_ref() == Some(&attempt.url().origin()) {
            attempt.follow()
        } else {
            attempt.stop()
        }
    })
}

enum Failure {
    Connect(Msg),
    /// The status line and headers arrived; the body could not be read.
    Body(Msg, u16),
    Other(Msg),
}

impl Failure {
    fn into_reason(self) -> Msg {
        match self {
            Failure::Connect(r) | Failure::Other(r) | Failure::Body(r, _) => r,
        }
    }
}

/// Why a request failed, as a step's reason. A failed TLS handshake is said in plain words
/// with the option that fixes it, and not retried (it would fail the same way again); a
/// request that could not be built says what cannot be.
fn classify(e: &reqwest::Error, timeout: Duration, met: Option<&Transport>) -> Failure {
    let cause = root_cause(e);
    if tls_version_refused(e) {
        // An answer, not a passing failure: sending again would meet the same refusal. (Before
        // the general TLS problems: SAK.01 judges this one against the server.)
        return Failure::Other(Msg::TlsVersionRefused { cause });
    }
    if let Some(Transport::Tls(problem)) = met {
        return Failure::Other(Msg::Tls { problem: problem.clone(), detail: cause });
    }
    if e.is_builder() {
        return Failure::Other(Msg::RequestNotBuilt { detail: cause });
    }
    if e.is_timeout() {
        return Failure::Other(Msg::TimedOut { after: humantime::format_duration(timeout).to_string() });
    }
    if e.is_connect() {
        return Failure::Connect(Msg::ConnectionFailed { cause });
    }
    if e.is_redirect() {
        return Failure::Other(Msg::RedirectsFailed { cause });
    }
    if e.is_body() || e.is_decode() {
        return Failure::Other(Msg::ReadFailed { cause });
    }
    Failure::Other(Msg::RequestFailed { cause })
}

/// Whether an error shows the server refusing every TLS version konform offers (1.2 and
/// 1.3): a `protocol_version` alert in answer to the hello, or a hello choosing an older
/// version. Other handshake failures (an untrusted certificate, a client certificate asked
/// for) are not about the versions.
fn tls_version_refused(e: &(dyn std::error::Error + 'static)) -> bool {
    use rustls::{AlertDescription, PeerIncompatible};
    let mut next = Some(e);
    while let Some(err) = next {
        if let Some(tls) = err.downcast_ref::<rustls::Error>() {
            return matches!(
                tls,
                rustls::Error::AlertReceived(AlertDescription::ProtocolVersion)
                    | rustls::Error::PeerIncompatible(PeerIncompatible::ServerDoesNotSupportTls12Or13)
            );
        }
        // An io::Error's `source` skips the error it wraps (and the connector wraps rustls'
        // error in two of them), so step into it.
        next = match err.downcast_ref::<std::io::Error>().and_then(std::io::Error::get_ref) {
            Some(inner) => Some(inner as &(dyn std::error::Error + 'static)),
            None => err.source(),
        };
    }
    false
}

pub fn human_bytes(n: u64) -> String {
    const MIB: u64 = 1024 * 1024;
    if n >= MIB && n.is_multiple_of(MIB) {
        format!("{} MiB", n / MIB)
    } else if n >= 1024 && n.is_multiple_of(1024) {
        format!("{} KiB", n / 1024)
    } else {
        format!("{n} bytes")
    }
}

/// Whether a header is one the request marks as made up by konform.
fn is_public(name: &str, public: &[String]) -> bool {
    public.iter().any(|p| p.eq_ignore_ascii_case(name))
}

/// A `curl` command reproducing a request, with secrets as `$KONFORM_...` variables.
pub fn curl_line(out: &Outgoing, sent_headers: &[(String, String)], redactor: &Redactor) -> String {
    let mut parts = vec![String::from("curl")];
    if out.method != Method::GET {
        parts.push(format!("-X {}", out.method));
    }
    parts.push(shell_quote(out.url.as_str(), redactor));
    for (k, v) in sent_headers {
        let line = format!("{k}: {v}");
        if redactor.is_sensitive_header(k)
            && redactor.pieces(&line).iter().all(Result::is_ok)
            && !is_public(k, &out.public)
        {
            // A sensitive header holding no known secret: keep its name only.
            let placeholder = crate::target::header_placeholder(k);
            parts.push(format!("-H {}\"${placeholder}\"", single_quote(&format!("{k}: "))));
        } else {
            parts.push(format!("-H {}", shell_quote(&line, redactor)));
        }
    }
    if let Some(body) = &out.body {
        parts.push(format!("--data-raw {}", shell_quote(&String::from_utf8_lossy(body), redactor)));
    }
    parts.join(" ")
}

/// Single-quotes text for a POSIX shell, leaving `$KONFORM_*` placeholders expandable.
fn shell_quote(text: &str, redactor: &Redactor) -> String {
    redactor
        .pieces(text)
        .into_iter()
        .map(|piece| match piece {
            Ok(literal) => single_quote(&literal),
            Err(placeholder) => format!("\"${placeholder}\""),
        })
        .collect()
}

fn single_quote(s: &str) -> String {
    format!("'{}'", s.replace('\'', "'\\''"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_request_that_cannot_be_built_says_what_and_why_not_builder_error() {
        crate::net::init_tls();
        let e = reqwest::Client::new().get("http://127.0.0.1:1/").header("X-Tenant", "a\nb").build().unwrap_err();
        let reason = classify(&e, Duration::from_secs(1), None).into_reason();
        assert!(matches!(reason, Msg::RequestNotBuilt { .. }), "{reason:?}");
        let said = reason.to_string();
        assert!(said.starts_with("konform could not build the request: failed to parse header value"), "{said}");
        assert!(!said.contains("builder error"), "{said}");
    }

    #[test]
    fn curl_lines_hide_secrets_behind_variables() {
        let r = Redactor::default();
        r.add("tok-123456", "KONFORM_BEARER_TOKEN");
        let out = Outgoing {
            method: Method::POST,
            url: Url::parse("http://127.0.0.1:8080/2281/cases").unwrap(),
            headers: vec![],
            body: Some(b"{\"a\":\"it's\"}".to_vec()),
            send_auth: true,
            public: Vec::new(),
        };
        let sent = vec![
            ("Authorization".to_string(), "Bearer tok-123456".to_string()),
            ("Content-Type".into(), "application/json".into()),
        ];
        let line = curl_line(&out, &sent, &r);
        assert_eq!(
            line,
            "curl -X POST 'http://127.0.0.1:8080/2281/cases' -H 'Authorization: Bearer '\"$KONFORM_BEARER_TOKEN\" -H 'Content-Type: application/json' --data-raw '{\"a\":\"it'\\''s\"}'"
        );
        assert!(!line.contains("tok-123456"));
    }

    #[test]
    fn a_header_konform_made_up_is_shown_as_sent_and_another_sensitive_one_by_name() {
        let r = Redactor::default();
        let out = Outgoing {
            method: Method::GET,
            url: Url::parse("http://127.0.0.1:8080/cases").unwrap(),
            headers: vec![],
            body: None,
            send_auth: false,
            public: vec!["authorization".into()],
        };
        let sent = vec![
            ("Authorization".to_string(), "Bearer konform-invalid-credential".to_string()),
            ("X-Api-Key".into(), "someone's".into()),
        ];
        assert_eq!(
            curl_line(&out, &sent, &r),
            "curl 'http://127.0.0.1:8080/cases' -H 'Authorization: Bearer konform-invalid-credential' -H 'X-Api-Key: '\"$KONFORM_X_API_KEY\""
        );
    }
}
