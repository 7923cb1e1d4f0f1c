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
    #[error("the client certificate or key is not usable PEM: {detail}")]
    ClientIdentityUnusable { detail: String },
    #[error("cannot set up the HTTP client: {cause}")]
    Client { cause: String },
}

pub struct HttpClient {
    client: reqwest::Client,
    options: HttpOptions,
    auth: Auth,
    tokens: Option<TokenCache>,
    pub redactor: Redactor,
}

impl HttpClient {
    pub fn new(target: &Target, options: HttpOptions) -> Result<HttpClient, SetupError> {
        crate::net::init_tls();
        let mut builder = reqwest::Client::builder()
            .timeout(options.timeout)
            .connect_timeout(options.timeout.min(Duration::from_secs(10)))
            .redirect(same_origin_redirects())
            .user_agent(concat!("konform/", env!("CARGO_PKG_VERSION")))
            .pool_idle_timeout(Duration::from_secs(30));
        if let Some(ca) = &target.ca_bundle {
            let pem =
                std::fs::read(ca).map_err(|source| SetupError::CaBundleUnreadable { path: ca.clone(), source })?;
            for cert in reqwest::Certificate::from_pem_bundle(&pem)
                .map_err(|e| SetupError::CaBundleNotPem { path: ca.clone(), detail: e.to_string() })?
            {
                builder = builder.add_root_certificate(cert);
            }
        }
        if let (Some(cert), Some(key)) = (&target.client_cert, &target.client_key) {
            let mut pem = std::fs::read(cert)
                .map_err(|source| SetupError::ClientCertificateUnreadable { path: cert.clone(), source })?;
            pem.push(b'\n');
            pem.extend(
                std::fs::read(key).map_err(|source| SetupError::ClientKeyUnreadable { path: key.clone(), source })?,
            );
            let identity = reqwest::Identity::from_pem(&pem)
                .map_err(|e| SetupError::ClientIdentityUnusable { detail: e.to_string() })?;
            builder = builder.identity(identity);
        }
        let client = builder.build().map_err(|e| SetupError::Client { cause: root_cause(&e) })?;
        let tokens = match &target.auth {
            Auth::OAuth2(o) => Some(TokenCache::new(o.clone(), client.clone(), target.redactor.clone())),
            _ => None,
        };
        Ok(HttpClient { client, options, auth: target.auth.clone(), tokens, redactor: target.redactor.clone() })
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
                    }
                }
            };
            let outcome = self.send_once(out, &headers).await;
            match &outcome {
                Err(Failure::Connect(_)) if is_idempotent(&out.method) && attempts <= self.options.retries => {
                    tokio::time::sleep(Duration::from_millis(100 * u64::from(attempts))).await;
                    continue;
                }
                Ok(r) if r.status == 401 && out.send_auth && self.tokens.is_some() && !refreshed => {
                    // The token may have been revoked or expired early: refresh once and resend.
                    if let Some(t) = &self.tokens {
                        t.invalidate().await;
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
            return Sent { outcome, attempts, elapsed: started.elapsed(), headers };
        }
    }

    async fn headers_for(&self, out: &Outgoing, _refreshed: bool) -> Result<Vec<(String, String)>, Msg> {
        let mut headers = out.headers.clone();
        if !out.send_auth {
            return Ok(headers);
        }
        let has = |h: &[(String, String)], name: &str| h.iter().any(|(k, _)| k.eq_ignore_ascii_case(name));
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
                let token = self.tokens.as_ref().expect("token cache for OAuth2").token().await?;
                headers.push(("Authorization".into(), format!("Bearer {}", token.expose())));
            }
            _ => {}
        }
        Ok(headers)
    }

    async fn send_once(&self, out: &Outgoing, headers: &[(String, String)]) -> Result<Response, Failure> {
        let mut req = self.client.request(out.method.clone(), out.url.clone());
        for (k, v) in headers {
            req = req.header(k.as_str(), v.as_str());
        }
        if let Some(body) = &out.body {
            req = req.body(body.clone());
        }
        let mut resp = req.send().await.map_err(|e| classify(&e, self.options.timeout))?;
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
                        return Err(Failure::Body(Msg::BodyOverLimit { limit }, status));
                    }
                    body.extend_from_slice(&chunk);
                }
                Ok(None) => break,
                Err(e) => {
                    let reason = classify(&e, self.options.timeout).into_reason();
                    let reason = Msg::WhileReadingBody { reason: Box::new(reason), after: body.len() };
                    return Err(Failure::Body(reason, status));
                }
            }
        }
        Ok(Response::new(status, headers, Bytes::from(body)))
    }
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

fn classify(e: &reqwest::Error, timeout: Duration) -> Failure {
    let cause = root_cause(e);
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

pub fn human_bytes(n: u64) -> String {
    const MIB: u64 = 1024 * 1024;
    if n >= MIB && n % MIB == 0 {
        format!("{} MiB", n / MIB)
    } else if n >= 1024 && n % 1024 == 0 {
        format!("{} KiB", n / 1024)
    } else {
        format!("{n} bytes")
    }
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
        let shown = if redactor.is_sensitive_header(k) && redactor.placeholders(&line) == line {
            // A sensitive header holding no known secret (set by the suite): keep its name only.
            format!("{k}: $KONFORM_{}", k.to_ascii_uppercase().replace('-', "_"))
        } else {
            line
        };
        parts.push(format!("-H {}", shell_quote(&shown, redactor)));
    }
    if let Some(body) = &out.body {
        parts.push(format!("--data-raw {}", shell_quote(&String::from_utf8_lossy(body), redactor)));
    }
    parts.join(" ")
}

/// Single-quotes text for a POSIX shell, leaving `$KONFORM_*` placeholders expandable.
fn shell_quote(text: &str, redactor: &Redactor) -> String {
    let text = redactor.placeholders(text);
    let mut out = String::new();
    let mut rest = text.as_str();
    while let Some(i) = rest.find("$KONFORM_") {
        let (literal, tail) = rest.split_at(i);
        if !literal.is_empty() {
            out.push_str(&single_quote(literal));
        }
        let end = tail[1..]
            .find(|c: char| !(c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_'))
            .map(|e| e + 1)
            .unwrap_or(tail.len());
        out.push_str(&format!("\"{}\"", &tail[..end]));
        rest = &tail[end..];
    }
    if !rest.is_empty() || out.is_empty() {
        out.push_str(&single_quote(rest));
    }
    out
}

fn single_quote(s: &str) -> String {
    format!("'{}'", s.replace('\'', "'\\''"))
}

#[cfg(test)]
mod tests {
    use super::*;

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
}
