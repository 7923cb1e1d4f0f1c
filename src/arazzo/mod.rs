//! Arazzo 1.0.1 (<https://spec.openapis.org/arazzo/v1.0.1.html>): a specification's
//! scenarios written as Arazzo workflows (`konform export arazzo`), and an Arazzo
//! description read back into a konform suite (`konform import arazzo`).
//!
//! Both directions work on the suite as written (its YAML values), not on the compiled
//! syntax tree, so that what a suite says is what the workflow says. What Arazzo can express
//! is written in Arazzo's own constructs (steps, parameters, request bodies, success
//! criteria, outputs, runtime expressions); what only konform knows is kept in `x-konform-*`
//! extensions in konform's own syntax, which the import reads back. docs/arazzo.md has the
//! mapping.
//!
//! The Arazzo JSON Schema (`schema-1.0.yaml`) is the official one, vendored unchanged.

pub mod export;
pub mod import;
pub mod yaml;

use serde_json::Value;

use crate::source::{escape_pointer, unescape_pointer};

/// The Arazzo version written.
pub const ARAZZO_VERSION: &str = "1.0.1";

/// The Arazzo 1.0.x JSON Schema (2024-08-01), as published by the OpenAPI Initiative.
pub const SCHEMA_YAML: &str = include_str!("schema-1.0.yaml");

/// The Arazzo JSON Schema as a value.
pub fn schema() -> Value {
    crate::source::yaml_to_value(SCHEMA_YAML).expect("the vendored Arazzo schema parses")
}

/// Problems of a document against the Arazzo JSON Schema: (JSON pointer, message), at most
/// `limit` of them.
pub fn schema_errors(document: &Value, limit: usize) -> Vec<(String, String)> {
    let schema = schema();
    let validator = match jsonschema::options().with_draft(jsonschema::Draft::Draft202012).build(&schema) {
        Ok(v) => v,
        Err(e) => return vec![(String::new(), format!("the vendored Arazzo schema does not compile: {e}"))],
    };
    validator.iter_errors(document).take(limit).map(|e| (e.instance_path().to_string(), e.to_string())).collect()
}

/// A singular JSONPath (`$`, `$.a.b`, `$.items[0]`, `$['a b']`) as the JSON pointer of the
/// value it selects; `None` for any other path.
pub fn jsonpath_to_pointer(path: &str) -> Option<String> {
    let mut rest = path.strip_prefix('$')?;
    let mut pointer = String::new();
    while !rest.is_empty() {
        let segment;
        if let Some(after) = rest.strip_prefix('.') {
            let end = after.find(['.', '[']).unwrap_or(after.len());
            segment = &after[..end];
            let ok = segment.chars().next().is_some_and(|c| c.is_alphabetic() || c == '_')
                && segment.chars().all(|c| c.is_alphanumeric() || c == '_');
            if !ok {
                return None;
            }
            rest = &after[end..];
        } else if let Some(after) = rest.strip_prefix('[') {
            let end = after.find(']')?;
            let inner = &after[..end];
            let quoted = |q: char| inner.len() >= 2 && inner.starts_with(q) && inner.ends_with(q);
            if quoted('\'') || quoted('"') {
                segment = &inner[1..inner.len() - 1];
                if segment.contains(['\\', '\'', '"']) {
                    return None;
                }
            } else if !inner.is_empty() && inner.chars().all(|c| c.is_ascii_digit()) {
                segment = inner;
            } else {
                return None;
            }
            rest = &after[end + 1..];
        } else {
            return None;
        }
        pointer.push('/');
        pointer.push_str(&escape_pointer(segment));
    }
    Some(pointer)
}

/// A JSON pointer as a singular JSONPath: `/items/0/id` is `$.items[0].id`.
pub fn pointer_to_jsonpath(pointer: &str) -> Option<String> {
    let mut out = String::from("$");
    if pointer.is_empty() {
        return Some(out);
    }
    for raw in pointer.strip_prefix('/')?.split('/') {
        let segment = unescape_pointer(raw);
        let identifier = segment.chars().next().is_some_and(|c| c.is_alphabetic() || c == '_')
            && segment.chars().all(|c| c.is_alphanumeric() || c == '_');
        if !segment.is_empty() && segment.chars().all(|c| c.is_ascii_digit()) {
            out.push_str(&format!("[{segment}]"));
        } else if identifier {
            out.push('.');
            out.push_str(&segment);
        } else if segment.contains(['\\', '\'']) {
            return None;
        } else {
            out.push_str(&format!("['{segment}']"));
        }
    }
    Some(out)
}

/// A step id made from a step's name: letters, digits, `-` and `_` (the characters Arazzo
/// recommends), unique among `taken`.
pub fn step_id(name: &str, taken: &mut Vec<String>) -> String {
    let mut id = String::new();
    for c in name.chars() {
        if c.is_ascii_alphanumeric() || c == '_' {
            id.push(c);
        } else if !id.is_empty() && !id.ends_with('-') {
            id.push('-');
        }
    }
    let base = id.trim_end_matches('-').to_string();
    let base = if base.is_empty() { "step".to_string() } else { base };
    let mut id = base.clone();
    let mut n = 2;
    while taken.contains(&id) {
        id = format!("{base}-{n}");
        n += 1;
    }
    taken.push(id.clone());
    id
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn singular_paths_and_pointers_go_both_ways() {
        for (path, pointer) in [
            ("$", ""),
            ("$.id", "/id"),
            ("$.items[0].id", "/items/0/id"),
            ("$['a b'].c", "/a b/c"),
            ("$['a/b']", "/a~1b"),
        ] {
            assert_eq!(jsonpath_to_pointer(path).as_deref(), Some(pointer), "{path}");
            assert_eq!(pointer_to_jsonpath(pointer).as_deref(), Some(path), "{pointer}");
        }
        assert_eq!(jsonpath_to_pointer("$['items'][0]").as_deref(), Some("/items/0"));
        for multi in ["$.items[*].id", "$..id", "$.a[0:2]", "$.a[-1]", "$[?@.a]", "$.a[0,1]", "id"] {
            assert_eq!(jsonpath_to_pointer(multi), None, "{multi}");
        }
    }

    #[test]
    fn step_ids_are_plain_and_unique() {
        let mut taken = Vec::new();
        assert_eq!(step_id("submit a building-permit case", &mut taken), "submit-a-building-permit-case");
        assert_eq!(step_id("GET /cases/{id}", &mut taken), "GET-cases-id");
        assert_eq!(step_id("GET /cases/{id}", &mut taken), "GET-cases-id-2");
        assert_eq!(step_id("åäö", &mut taken), "step");
    }

    #[test]
    fn the_vendored_schema_compiles_and_judges() {
        assert!(schema_errors(&serde_json::json!({"arazzo": "1.0.1"}), 10).iter().any(|(_, m)| m.contains("info")));
        let minimal = serde_json::json!({
            "arazzo": "1.0.1", "info": {"title": "t", "version": "1"},
            "sourceDescriptions": [{"name": "api", "url": "openapi.yaml", "type": "openapi"}],
            "workflows": [{"workflowId": "w", "steps": [{"stepId": "s", "operationId": "op"}]}]
        });
        assert_eq!(schema_errors(&minimal, 10), Vec::<(String, String)>::new());
    }
}
