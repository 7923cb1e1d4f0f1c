//! Redaction: secrets never reach any output. Credentials are held as [`Secret`]s, which
//! never print themselves; the [`Redactor`] knows every secret value (tokens obtained during
//! a run, such as OAuth2's, are added as they arrive) and redacts a scenario's evidence once,
//! where it leaves exec, so renderers only ever see redacted data.

use std::fmt;
use std::sync::{Arc, RwLock};

use base64::Engine;

use crate::messages::Msg;
use crate::model::{Observation, ScenarioResult, StepResult, Steps};

/// Headers whose values are always replaced, whatever they hold.
const SENSITIVE_HEADERS: [&str; 5] = ["authorization", "proxy-authorization", "cookie", "set-cookie", "x-api-key"];

pub const REDACTED: &str = "<redacted>";

/// A credential: a token, a password, an API key, a client secret. `Debug` and `Display`
/// print `[redacted]`, so a secret cannot reach a log, a panic message or an error through
/// formatting; the value is read only where it is sent ([`Secret::expose`]).
#[derive(Clone, PartialEq, Eq, Default)]
pub struct Secret(String);

impl Secret {
    pub fn new(value: impl Into<String>) -> Secret {
        Secret(value.into())
    }

    /// The value itself, for the one place that sends it.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[redacted]")
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[redacted]")
    }
}

impl std::str::FromStr for Secret {
    type Err = std::convert::Infallible;
    fn from_str(s: &str) -> Result<Secret, Self::Err> {
        Ok(Secret(s.to_string()))
    }
}

impl From<String> for Secret {
    fn from(value: String) -> Secret {
        Secret(value)
    }
}

#[derive(Clone, Default)]
pub struct Redactor {
    inner: Arc<RwLock<Inner>>,
}

/// Says how much it knows, never what.
impl fmt::Debug for Redactor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let inner = self.inner.read().unwrap_or_else(|e| e.into_inner());
        f.debug_struct("Redactor").field("secrets", &inner.secrets.len()).field("headers", &inner.headers).finish()
    }
}

#[derive(Default)]
struct Inner {
    /// (secret, environment-variable placeholder), longest first.
    secrets: Vec<(String, String)>,
    headers: Vec<String>,
}

impl Redactor {
    /// Registers a secret value; `placeholder` names the variable a curl line refers to.
    pub fn add(&self, secret: &str, placeholder: &str) {
        if secret.len() < 4 {
            // Too short to replace safely in free text; header redaction still covers it.
            return;
        }
        let mut inner = self.inner.write().unwrap_or_else(|e| e.into_inner());
        for form in [secret.to_string(), base64::engine::general_purpose::STANDARD.encode(secret)] {
            if !inner.secrets.iter().any(|(s, _)| *s == form) {
                inner.secrets.push((form, placeholder.to_string()));
            }
        }
        inner.secrets.sort_by_key(|(s, _)| std::cmp::Reverse(s.len()));
    }

    /// Basic credentials also travel as base64 of `user:password`.
    pub fn add_basic(&self, user: &str, password: &str) {
        let encoded = base64::engine::general_purpose::STANDARD.encode(format!("{user}:{password}"));
        self.add(&encoded, "KONFORM_BASIC_CREDENTIALS");
    }

    /// Marks a header (such as a custom API-key header) as sensitive.
    pub fn add_header(&self, name: &str) {
        let mut inner = self.inner.write().unwrap_or_else(|e| e.into_inner());
        inner.headers.push(name.to_ascii_lowercase());
    }

    pub fn is_sensitive_header(&self, name: &str) -> bool {
        let lower = name.to_ascii_lowercase();
        SENSITIVE_HEADERS.contains(&lower.as_str())
            || self.inner.read().unwrap_or_else(|e| e.into_inner()).headers.contains(&lower)
    }

    /// Replaces every known secret in a text.
    pub fn text(&self, text: &str) -> String {
        let inner = self.inner.read().unwrap_or_else(|e| e.into_inner());
        let mut out = text.to_string();
        for (secret, _) in &inner.secrets {
            if out.contains(secret.as_str()) {
                out = out.replace(secret.as_str(), REDACTED);
            }
        }
        out
    }

    /// A message with every secret in its arguments replaced.
    pub fn msg(&self, m: &mut Msg) {
        if self.inner.read().unwrap_or_else(|e| e.into_inner()).secrets.is_empty() {
            return;
        }
        m.texts_mut(&mut |t| {
            if self.has_secret(t) {
                *t = self.text(t);
            }
        });
    }

    fn has_secret(&self, text: &str) -> bool {
        self.inner.read().unwrap_or_else(|e| e.into_inner()).secrets.iter().any(|(s, _)| text.contains(s.as_str()))
    }

    /// Replaces secrets with `$PLACEHOLDER` references (for reproducible curl lines).
    pub fn placeholders(&self, text: &str) -> String {
        let inner = self.inner.read().unwrap_or_else(|e| e.into_inner());
        let mut out = text.to_string();
        for (secret, placeholder) in &inner.secrets {
            if out.contains(secret.as_str()) {
                out = out.replace(secret.as_str(), &format!("${placeholder}"));
            }
        }
        out
    }

    /// The length of the longest secret known, in any of its forms: evidence cut at a limit
    /// keeps this many bytes more, so a secret that straddles the cut is still whole when it
    /// is redacted (then the text is cut at the limit).
    pub fn longest(&self) -> usize {
        self.inner.read().unwrap_or_else(|e| e.into_inner()).secrets.first().map_or(0, |(s, _)| s.len())
    }

    /// A finished scenario as it may leave exec: every text of its steps (reasons, checks,
    /// evidence) and of what the passive rules found, redacted, and bodies then cut at
    /// `evidence_limit` bytes. Exec calls this once per scenario, where its event is made;
    /// nothing downstream redacts again.
    pub fn scenario(&self, result: &mut ScenarioResult, found: &mut [Observation], evidence_limit: usize) {
        match &mut result.steps {
            Steps::Inline(steps) => steps.iter_mut().for_each(|s| self.step(s, evidence_limit)),
            // Exec redacts a scenario before its steps are stored; stored steps were redacted.
            Steps::Stored(_) => debug_assert!(false, "a scenario's steps are redacted before they are stored"),
        }
        for o in found {
            o.violations.iter_mut().for_each(|v| self.msg(v));
        }
    }

    /// One step, redacted in place; evidence bodies then cut at `evidence_limit` bytes.
    pub fn step(&self, s: &mut StepResult, evidence_limit: usize) {
        if let Some(reason) = &mut s.reason {
            self.msg(reason);
        }
        for c in &mut s.checks {
            self.msg(&mut c.said);
        }
        if let Some(ex) = &mut s.exchange {
            ex.url = self.text(&ex.url);
            ex.curl = self.text(&ex.curl);
            for (k, v) in ex.request_headers.iter_mut().chain(ex.response_headers.iter_mut()) {
                *v = self.header(k, v);
            }
            for body in ex.request_body.iter_mut().chain(ex.response_body.iter_mut()) {
                body.text = self.text(&body.text);
                if body.text.len() > evidence_limit {
                    let mut cut = evidence_limit;
                    while !body.text.is_char_boundary(cut) {
                        cut -= 1;
                    }
                    body.text.truncate(cut);
                }
            }
        }
    }

    /// A header value as it may be shown.
    pub fn header(&self, name: &str, value: &str) -> String {
        if self.is_sensitive_header(name) {
            REDACTED.to_string()
        } else {
            self.text(value)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_and_their_base64_are_replaced() {
        let r = Redactor::default();
        r.add("s3cret-token", "KONFORM_BEARER_TOKEN");
        assert_eq!(r.text("Bearer s3cret-token!"), "Bearer <redacted>!");
        let b64 = base64::engine::general_purpose::STANDARD.encode("s3cret-token");
        assert_eq!(r.text(&b64), REDACTED);
        assert_eq!(
            r.placeholders("-H 'Authorization: Bearer s3cret-token'"),
            "-H 'Authorization: Bearer $KONFORM_BEARER_TOKEN'"
        );
        assert_eq!(r.header("Authorization", "anything"), REDACTED);
        r.add_header("X-Vendor-Key");
        assert_eq!(r.header("x-vendor-key", "abc"), REDACTED);
        assert_eq!(r.header("Accept", "application/json"), "application/json");
        assert!(!format!("{r:?}").contains("s3cret"), "{r:?}");
    }

    #[test]
    fn a_secret_never_prints_itself() {
        let s: Secret = "hunter2-token".parse().unwrap();
        assert_eq!(format!("{s:?} {s} {:?}", Some(&s)), "[redacted] [redacted] Some([redacted])");
        assert_eq!(s.expose(), "hunter2-token");
    }
}
