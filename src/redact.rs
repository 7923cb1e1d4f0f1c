//! Redaction: secrets never reach any output. Every renderer and the evidence recorder go
//! through a [`Redactor`]; tokens obtained during a run (OAuth2) are added as they arrive.

use std::sync::{Arc, RwLock};

use base64::Engine;

/// Headers whose values are always replaced, whatever they hold.
const SENSITIVE_HEADERS: [&str; 5] = ["authorization", "proxy-authorization", "cookie", "set-cookie", "x-api-key"];

pub const REDACTED: &str = "<redacted>";

#[derive(Debug, Clone, Default)]
pub struct Redactor {
    inner: Arc<RwLock<Inner>>,
}

#[derive(Debug, Default)]
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
    }
}
