//! Which operation a request is for: the base path the mock serves under, then the path
//! template (literal segments beat templates).

use std::collections::HashMap;

use axum::http::Method;
use serde_json::Value;

use crate::catalogue::openapi::{ApiDoc, Operation};

/// The path of the first server URL (`https://host/api/v1` → `/api/v1`), with server
/// variables at their defaults; `""` when there is none or it is the root.
pub fn server_base(api: &ApiDoc) -> String {
    let Some(server) = api.docs.first().and_then(|d| d.value.pointer("/servers/0")) else { return String::new() };
    let Some(url) = server.get("url").and_then(Value::as_str) else { return String::new() };
    let mut url = url.to_string();
    for (name, var) in server.get("variables").and_then(Value::as_object).into_iter().flatten() {
        let default = var.get("default").and_then(Value::as_str).unwrap_or("");
        url = url.replace(&format!("{{{name}}}"), default);
    }
    let path = match url.find("://") {
        Some(i) => url[i + 3..].find('/').map(|j| url[i + 3 + j..].to_string()).unwrap_or_default(),
        None => url,
    };
    normalise(path.split(['?', '#']).next().unwrap_or(""))
}

/// A base path as the mock compares it: a leading `/`, no trailing one, `""` for the root.
pub fn normalise(path: &str) -> String {
    let trimmed = path.trim().trim_matches('/');
    if trimmed.is_empty() {
        String::new()
    } else {
        format!("/{trimmed}")
    }
}

/// The request path below the base path, or `None` when it is outside it.
pub fn strip_base<'p>(base: &str, path: &'p str) -> Option<&'p str> {
    if base.is_empty() {
        return Some(path);
    }
    match path.strip_prefix(base) {
        Some("") => Some("/"),
        Some(rest) if rest.starts_with('/') => Some(rest),
        _ => None,
    }
}

/// Finds the operation for a method and path; literal segments beat templates.
pub fn route<'a>(api: &'a ApiDoc, method: &Method, path: &str) -> Option<(&'a Operation, HashMap<String, String>)> {
    let segments: Vec<&str> = path.trim_end_matches('/').split('/').collect();
    let mut best: Option<(usize, &Operation, HashMap<String, String>)> = None;
    for op in api.operations.iter().filter(|op| op.method == method.as_str()) {
        let Some((literal, params)) = matches(&op.path, &segments) else { continue };
        if best.as_ref().is_none_or(|(l, _, _)| literal > *l) {
            best = Some((literal, op, params));
        }
    }
    best.map(|(_, op, params)| (op, params))
}

/// The methods the document has for a path (upper case), for `Allow`.
pub fn methods_of(api: &ApiDoc, path: &str) -> Vec<String> {
    let segments: Vec<&str> = path.trim_end_matches('/').split('/').collect();
    let mut out: Vec<String> = api
        .operations
        .iter()
        .filter(|op| matches(&op.path, &segments).is_some())
        .map(|op| op.method.to_ascii_uppercase())
        .collect();
    out.sort();
    out.dedup();
    out
}

/// Whether a template matches the segments: the count of literal segments and the
/// parameters' values.
fn matches(template: &str, segments: &[&str]) -> Option<(usize, HashMap<String, String>)> {
    let template: Vec<&str> = template.trim_end_matches('/').split('/').collect();
    if template.len() != segments.len() {
        return None;
    }
    let mut params = HashMap::new();
    let mut literal = 0;
    for (t, s) in template.iter().zip(segments) {
        let whole = t.strip_prefix('{').and_then(|t| t.strip_suffix('}')).filter(|n| !n.contains(['{', '}']));
        if let Some(name) = whole {
            if s.is_empty() {
                return None;
            }
            params.insert(name.to_string(), decode(s));
        } else if t.contains('{') {
            params.extend(partial(t, s)?);
        } else if t == s {
            literal += 1;
        } else {
            return None;
        }
    }
    Some((literal, params))
}

fn decode(s: &str) -> String {
    percent_encoding::percent_decode_str(s).decode_utf8_lossy().into_owned()
}

/// A segment with parameters beside literal text (`{id}.json`, `{date}_PI.xml`).
fn partial(template: &str, segment: &str) -> Option<HashMap<String, String>> {
    let mut pattern = String::from("^");
    let mut names = Vec::new();
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        let close = open + rest[open..].find('}')?;
        pattern.push_str(&regex::escape(&rest[..open]));
        pattern.push_str("(.+?)");
        names.push(&rest[open + 1..close]);
        rest = &rest[close + 1..];
    }
    pattern.push_str(&regex::escape(rest));
    pattern.push('$');
    let captures = regex::Regex::new(&pattern).ok()?.captures(segment)?;
    Some(names.iter().enumerate().map(|(i, n)| (n.to_string(), decode(&captures[i + 1]))).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_paths_normalise_and_strip() {
        assert_eq!(normalise("api/v1/"), "/api/v1");
        assert_eq!(normalise("/"), "");
        assert_eq!(strip_base("/api", "/api/things"), Some("/things"));
        assert_eq!(strip_base("/api", "/api"), Some("/"));
        assert_eq!(strip_base("/api", "/apis/things"), None);
        assert_eq!(strip_base("", "/things"), Some("/things"));
    }

    #[test]
    fn segments_with_parameters_beside_text_match() {
        let (_, params) = matches("/id/{fqdn}/{date}_PI.xml", &["", "id", "a.b", "2024_PI.xml"]).unwrap();
        assert_eq!(params["date"], "2024");
        let (_, params) = matches("/h/{id}.{format}", &["", "h", "80.json"]).unwrap();
        assert_eq!((params["id"].as_str(), params["format"].as_str()), ("80", "json"));
        assert!(matches("/h/{id}.json", &["", "h", "80.xml"]).is_none());
    }
}
