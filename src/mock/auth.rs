//! The document's security, enforced: an operation's security requirements (or the
//! document's) are alternatives; one is met when every scheme it names is. A scheme is met
//! by a credential of its kind: `http` bearer, `oauth2` and `openIdConnect` by
//! `Authorization: Bearer …`, `http` basic by `Authorization: Basic …`, `apiKey` by its
//! header, query parameter or cookie. With [`Auth::Token`] the token (or key, or basic
//! password) must also be that value. `mutualTLS` and schemes the document does not define
//! cannot be checked over plain HTTP and count as met.

use std::collections::HashMap;

use axum::http::{header, HeaderMap};
use base64::Engine;
use serde_json::{Map, Value};

use super::Auth;
use crate::catalogue::openapi::{ApiDoc, Operation};

/// `None` when the request may proceed, else the `WWW-Authenticate` challenge to refuse it
/// with.
pub fn refused(
    api: &ApiDoc,
    op: &Operation,
    headers: &HeaderMap,
    query: &HashMap<String, String>,
    auth: &Auth,
) -> Option<String> {
    if *auth == Auth::Off || !op.secured {
        return None;
    }
    let (doc, ptr) = &op.at;
    let root = &api.docs.first()?.value;
    let requirements = api.docs.get(*doc)?.value.pointer(&format!("{ptr}/security")).or_else(|| root.get("security"));
    let requirements = requirements.and_then(Value::as_array)?;
    let schemes = root.pointer("/components/securitySchemes").and_then(Value::as_object);
    let met = |name: &str| {
        let scheme = schemes
            .and_then(|s| s.get(name))
            .and_then(|s| match s.get("$ref").and_then(Value::as_str) {
                Some(r) => api.resolve_ref(0, r).map(|(_, v)| v),
                None => Some(s),
            })
            .and_then(Value::as_object);
        scheme.is_none_or(|s| scheme_met(s, headers, query, auth))
    };
    let ok = requirements.iter().filter_map(Value::as_object).any(|req| req.keys().all(|name| met(name)));
    if ok {
        return None;
    }
    Some(challenge(requirements, schemes))
}

fn scheme_met(scheme: &Map<String, Value>, headers: &HeaderMap, query: &HashMap<String, String>, auth: &Auth) -> bool {
    let text = |k: &str| scheme.get(k).and_then(Value::as_str).unwrap_or("");
    let authorization = headers.get(header::AUTHORIZATION).and_then(|v| v.to_str().ok()).unwrap_or("");
    let accepts = |given: &str| {
        !given.is_empty()
            && match auth {
                Auth::Token(t) => given == t,
                _ => true,
            }
    };
    match text("type") {
        "http" if text("scheme").eq_ignore_ascii_case("basic") => {
            let Some(encoded) = credential(authorization, "basic") else { return false };
            let decoded = base64::engine::general_purpose::STANDARD.decode(encoded.trim()).unwrap_or_default();
            let decoded = String::from_utf8_lossy(&decoded);
            let Some((_, password)) = decoded.split_once(':') else { return false };
            match auth {
                Auth::Token(t) => password == t,
                _ => true,
            }
        }
        "http" => credential(authorization, text("scheme")).is_some_and(accepts),
        "oauth2" | "openIdConnect" => credential(authorization, "bearer").is_some_and(accepts),
        "apiKey" => {
            let name = text("name");
            let given = match text("in") {
                "header" => headers.get(name).and_then(|v| v.to_str().ok()).map(str::to_string),
                "query" => query.get(name).cloned(),
                "cookie" => cookie(headers, name),
                _ => return true,
            };
            given.is_some_and(|g| accepts(&g))
        }
        _ => true,
    }
}

/// The credentials after an `Authorization` scheme (case-insensitive).
fn credential<'h>(authorization: &'h str, scheme: &str) -> Option<&'h str> {
    let (given, rest) = authorization.split_once(' ')?;
    given.eq_ignore_ascii_case(scheme).then(|| rest.trim())
}

fn cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers.get_all(header::COOKIE).iter().filter_map(|v| v.to_str().ok()).flat_map(|v| v.split(';')).find_map(|c| {
        let (k, v) = c.trim().split_once('=')?;
        (k == name).then(|| v.to_string())
    })
}

/// The challenge of the first scheme an `Authorization` header could meet.
fn challenge(requirements: &[Value], schemes: Option<&Map<String, Value>>) -> String {
    let first = requirements.iter().filter_map(Value::as_object).flat_map(|r| r.keys()).find_map(|name| {
        let s = schemes?.get(name)?;
        match s.get("type").and_then(Value::as_str)? {
            "http" => s.get("scheme").and_then(Value::as_str).map(capitalised),
            "oauth2" | "openIdConnect" => Some("Bearer".to_string()),
            _ => None,
        }
    });
    format!("{} realm=\"konform mock\"", first.unwrap_or_else(|| "Bearer".into()))
}

fn capitalised(s: &str) -> String {
    let mut c = s.chars();
    c.next().map(|f| f.to_uppercase().chain(c.flat_map(char::to_lowercase)).collect()).unwrap_or_default()
}
