//! Invalid credentials for an operation the description secures, of the kind its first
//! security requirement names (a bearer token, basic credentials, an API key in a header,
//! the query or a cookie).

use base64::Engine;
use serde_json::Value;

use crate::catalogue::openapi::{ApiDoc, Operation};

/// The made-up credential every invalid request carries.
pub const INVALID: &str = "konform-invalid-credential";

/// [`INVALID`] as HTTP basic credentials (`konform:` and it, in base64), made once.
static INVALID_BASIC: std::sync::LazyLock<String> =
    std::sync::LazyLock::new(|| base64::engine::general_purpose::STANDARD.encode(format!("konform:{INVALID}")));

/// Where an invalid credential goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Credential {
    Header(String, String),
    Query(String, String),
}

/// Invalid credentials meeting the form of the operation's first security requirement;
/// an `Authorization: Bearer` one when the document names no scheme konform can read.
pub fn invalid_credentials(api: &ApiDoc, op: &Operation) -> Vec<Credential> {
    let bearer = || vec![Credential::Header("Authorization".into(), format!("Bearer {INVALID}"))];
    let Some(root) = api.docs.first().map(|d| &d.value) else { return bearer() };
    let (doc, ptr) = &op.at;
    let requirements = api.docs.get(*doc).and_then(|d| d.value.pointer(&format!("{ptr}/security")));
    let requirements = requirements.or_else(|| root.get("security")).and_then(Value::as_array);
    let first = requirements.into_iter().flatten().filter_map(Value::as_object).find(|r| !r.is_empty());
    let Some(first) = first else { return bearer() };
    let schemes = root.pointer("/components/securitySchemes").and_then(Value::as_object);
    let mut out = Vec::new();
    for name in first.keys() {
        let scheme = schemes.and_then(|s| s.get(name)).and_then(|s| match s.get("$ref").and_then(Value::as_str) {
            Some(r) => api.resolve_ref(0, r).map(|(_, v)| v),
            None => Some(s),
        });
        let text = |k: &str| scheme.and_then(|s| s.get(k)).and_then(Value::as_str).unwrap_or("");
        let credential = match text("type") {
            "http" if text("scheme").eq_ignore_ascii_case("basic") => {
                Credential::Header("Authorization".into(), format!("Basic {}", *INVALID_BASIC))
            }
            "http" if !text("scheme").is_empty() => {
                Credential::Header("Authorization".into(), format!("{} {INVALID}", capitalised(text("scheme"))))
            }
            "apiKey" if text("in") == "header" => Credential::Header(text("name").into(), INVALID.into()),
            "apiKey" if text("in") == "query" => Credential::Query(text("name").into(), INVALID.into()),
            "apiKey" if text("in") == "cookie" => {
                Credential::Header("Cookie".into(), format!("{}={INVALID}", text("name")))
            }
            _ => Credential::Header("Authorization".into(), format!("Bearer {INVALID}")),
        };
        if !out.contains(&credential) {
            out.push(credential);
        }
    }
    if out.is_empty() {
        bearer()
    } else {
        out
    }
}

fn capitalised(s: &str) -> String {
    let mut c = s.chars();
    c.next().map(|f| f.to_uppercase().chain(c.flat_map(char::to_lowercase)).collect()).unwrap_or_default()
}
