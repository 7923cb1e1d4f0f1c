//! Redaction: secrets never reach any output. Credentials are held as [`Secret`]s, which
//! never print themselves; the [`Redactor`] knows every secret value (tokens obtained during
//! a run, such as OAuth2's, are added as they arrive) and redacts a scenario's evidence once,
//! where it leaves exec, so renderers only ever see redacted data.

use std::fmt;
use std::sync::{Arc, RwLock};

use aho_corasick::{AhoCorasick, MatchKind};
use base64::Engine;
use percent_encoding::{utf8_percent_encode, NON_ALPHANUMERIC};

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
    /// (form of a secret, environment-variable placeholder), in the order learnt.
    secrets: Vec<(String, String)>,
    /// The forms in `secrets`, to tell at once whether one is known.
    known: std::collections::HashSet<String>,
    /// Finds every form at once, leftmost-longest (rebuilt when a secret is learnt), so a
    /// short secret is never found inside the marker that replaced a longer one.
    finder: Option<AhoCorasick>,
    headers: Vec<String>,
}

impl Inner {
    fn learn(&mut self, form: String, placeholder: &str) -> bool {
        if form.is_empty() || !self.known.insert(form.clone()) {
            return false;
        }
        self.secrets.push((form, placeholder.to_string()));
        true
    }

    fn rebuild(&mut self) {
        self.finder = AhoCorasick::builder()
            .match_kind(MatchKind::LeftmostLongest)
            .build(self.secrets.iter().map(|(s, _)| s.as_str()))
            .ok();
    }

    /// `text` with every form replaced by [`REDACTED`].
    fn redacted(&self, text: &str) -> String {
        let Some(finder) = &self.finder else { return text.to_string() };
        let mut out = String::with_capacity(text.len());
        finder.replace_all_with(text, &mut out, |_, _, dst| {
            dst.push_str(REDACTED);
            true
        });
        out
    }
}

/// The forms a secret may come back in: as given, base64 (standard and URL-safe, with and
/// without padding), percent-encoded (as in a URL or a form body, where a space may be `+`)
/// and JSON-escaped (as a vendor echoing it in a JSON string writes it).
fn forms(secret: &str) -> Vec<String> {
    use base64::engine::general_purpose::{STANDARD, STANDARD_NO_PAD, URL_SAFE, URL_SAFE_NO_PAD};
    let mut out = vec![secret.to_string()];
    for engine in [&STANDARD, &STANDARD_NO_PAD, &URL_SAFE, &URL_SAFE_NO_PAD] {
        out.push(engine.encode(secret));
    }
    let encoded = utf8_percent_encode(secret, NON_ALPHANUMERIC).to_string();
    out.push(url::form_urlencoded::byte_serialize(secret.as_bytes()).collect());
    out.push(encoded.replace("%2D", "-").replace("%2E", ".").replace("%5F", "_").replace("%7E", "~"));
    out.push(encoded);
    let json = serde_json::to_string(secret).unwrap_or_else(|_| "\"\"".into());
    out.push(json[1..json.len() - 1].to_string());
    out
}

impl Redactor {
    /// Registers a secret, of any length, in every form it may come back in (see [`forms`]);
    /// `placeholder` names the variable a curl line refers to.
    pub fn add(&self, secret: &str, placeholder: &str) {
        let mut inner = self.inner.write().unwrap_or_else(|e| e.into_inner());
        let mut learnt = false;
        for form in forms(secret) {
            learnt |= inner.learn(form, placeholder);
        }
        if learnt {
            inner.rebuild();
        }
    }

    /// Basic credentials also travel as base64 of `user:password` (and OAuth2 client
    /// credentials as base64 of the form-encoded `id:secret`, RFC 6749 §2.3.1).
    pub fn add_basic(&self, user: &str, password: &str) {
        use base64::engine::general_purpose::STANDARD;
        let form = |s: &str| url::form_urlencoded::byte_serialize(s.as_bytes()).collect::<String>();
        let mut inner = self.inner.write().unwrap_or_else(|e| e.into_inner());
        let mut learnt = false;
        for pair in [format!("{user}:{password}"), format!("{}:{}", form(user), form(password))] {
            learnt |= inner.learn(STANDARD.encode(pair), "KONFORM_BASIC_CREDENTIALS");
        }
        if learnt {
            inner.rebuild();
        }
    }

    /// Whether `value` is already known as a secret (as given).
    pub fn knows(&self, value: &str) -> bool {
        value.is_empty() || self.inner.read().unwrap_or_else(|e| e.into_inner()).known.contains(value)
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
        self.inner.read().unwrap_or_else(|e| e.into_inner()).redacted(text)
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
        let inner = self.inner.read().unwrap_or_else(|e| e.into_inner());
        inner.finder.as_ref().is_some_and(|f| f.is_match(text))
    }

    /// A text with secrets as `$PLACEHOLDER` references (what [`Redactor::pieces`] says, laid
    /// end to end: for tests).
    #[cfg(test)]
    fn placeholders(&self, text: &str) -> String {
        self.pieces(text).into_iter().map(|p| p.unwrap_or_else(|name| format!("${name}"))).collect()
    }

    /// A text cut into what may be shown (`Ok`) and the placeholders of the secrets between
    /// (`Err`), for a shell line that quotes the two differently.
    pub fn pieces(&self, text: &str) -> Vec<Result<String, String>> {
        let inner = self.inner.read().unwrap_or_else(|e| e.into_inner());
        let mut out = Vec::new();
        let mut last = 0;
        if let Some(finder) = &inner.finder {
            for m in finder.find_iter(text) {
                if m.start() > last {
                    out.push(Ok(text[last..m.start()].to_string()));
                }
                out.push(Err(inner.secrets[m.pattern().as_usize()].1.clone()));
                last = m.end();
            }
        }
        if last < text.len() || out.is_empty() {
            out.push(Ok(text[last..].to_string()));
        }
        out
    }

    /// The length of the longest secret known, in any of its forms: evidence cut at a limit
    /// keeps this many bytes more, so a secret that straddles the cut is still whole when it
    /// is redacted (then the text is cut at the limit).
    pub fn longest(&self) -> usize {
        self.inner.read().unwrap_or_else(|e| e.into_inner()).secrets.iter().map(|(s, _)| s.len()).max().unwrap_or(0)
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
    fn every_form_of_a_secret_of_any_length_is_replaced() {
        use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
        let r = Redactor::default();
        let secret = "p+ss:w%rd&=é/ok";
        r.add(secret, "KONFORM_CLIENT_SECRET");
        r.add_basic("client id", secret);
        for form in [
            secret.to_string(),
            STANDARD.encode(secret),
            URL_SAFE_NO_PAD.encode(secret),
            url::form_urlencoded::byte_serialize(secret.as_bytes()).collect(),
            utf8_percent_encode(secret, NON_ALPHANUMERIC).to_string(),
            STANDARD.encode(format!("client id:{secret}")),
            STANDARD.encode("client+id:p%2Bss%3Aw%25rd%26%3D%C3%A9%2Fok"),
        ] {
            assert_eq!(r.text(&format!("[{form}]")), "[<redacted>]", "{form}");
        }
        // A three-character key is redacted too, and never inside the marker itself.
        let r = Redactor::default();
        r.add("abc-long-token", "KONFORM_A");
        r.add("d", "KONFORM_D");
        assert_eq!(r.text("x abc-long-token d red"), "x <redacted> <redacted> re<redacted>");
        assert_eq!(r.placeholders("d abc-long-token"), "$KONFORM_D $KONFORM_A");
        assert_eq!(r.longest(), STANDARD.encode("abc-long-token").len());
    }

    #[test]
    fn a_secret_never_prints_itself() {
        let s: Secret = "hunter2-token".parse().unwrap();
        assert_eq!(format!("{s:?} {s} {:?}", Some(&s)), "[redacted] [redacted] Some([redacted])");
        assert_eq!(s.expose(), "hunter2-token");
    }
}
