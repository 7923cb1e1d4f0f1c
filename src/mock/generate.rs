//! Values for mock responses: the document's own examples first, otherwise a value
//! generated from the schema (enum, const, default, then by type and format, honouring
//! bounds), with recursion cut at a fixed depth.

use serde_json::{json, Map, Value};

use crate::catalogue::openapi::index::MediaType;
use crate::catalogue::openapi::ApiDoc;

const MAX_DEPTH: usize = 8;

/// Follows `$ref`s from a location to the value it denotes.
pub fn resolve<'a>(api: &'a ApiDoc, doc: usize, pointer: &str) -> Option<(usize, &'a Value)> {
    let (d, _, v) = api.resolve(doc, pointer).ok()?;
    Some((d, v))
}

/// The example of a media type (its `example`, the first of its `examples`, or its schema's
/// example), or a value generated from its schema.
pub fn example_or_generated(api: &ApiDoc, media: &MediaType) -> Value {
    let (doc, ptr) = &media.at;
    if let Some(m) = api.docs.get(*doc).and_then(|d| d.value.pointer(ptr)) {
        if let Some(e) = m.get("example") {
            return e.clone();
        }
        if let Some(examples) = m.get("examples").and_then(Value::as_object) {
            for (name, _) in examples {
                let at = format!("{ptr}/examples/{}", crate::source::escape_pointer(name));
                if let Some((_, ex)) = resolve(api, *doc, &at) {
                    if let Some(v) = ex.get("value") {
                        return v.clone();
                    }
                }
            }
        }
    }
    match &media.schema {
        Some(s) => generate(api, s.doc, &s.pointer),
        None => Value::Null,
    }
}

/// A value for the schema at a location.
pub fn generate(api: &ApiDoc, doc: usize, pointer: &str) -> Value {
    match resolve(api, doc, pointer) {
        Some((d, schema)) => value_for(api, d, schema, 0),
        None => Value::Null,
    }
}

fn value_for(api: &ApiDoc, doc: usize, schema: &Value, depth: usize) -> Value {
    let Some(map) = schema.as_object() else { return Value::Null };
    if let Some(r) = map.get("$ref").and_then(Value::as_str) {
        if depth >= MAX_DEPTH {
            return Value::Null;
        }
        return match api.resolve_ref(doc, r) {
            Some((d, v)) => value_for(api, d, v, depth + 1),
            None => Value::Null,
        };
    }
    if let Some(e) = map.get("example") {
        return e.clone();
    }
    if let Some(e) = map.get("examples").and_then(Value::as_array).and_then(|a| a.first()) {
        return e.clone();
    }
    if let Some(c) = map.get("const") {
        return c.clone();
    }
    if let Some(e) =
        map.get("enum").and_then(Value::as_array).and_then(|a| a.iter().find(|v| !v.is_null()).or(a.first()))
    {
        return e.clone();
    }
    if let Some(d) = map.get("default") {
        return d.clone();
    }
    if let Some(all) = map.get("allOf").and_then(Value::as_array) {
        let mut merged = Map::new();
        for part in all {
            if let Value::Object(o) = value_for(api, doc, part, depth + 1) {
                merged.extend(o);
            }
        }
        return Value::Object(merged);
    }
    for key in ["oneOf", "anyOf"] {
        if let Some(first) = map
            .get(key)
            .and_then(Value::as_array)
            .and_then(|a| a.iter().find(|b| b.get("type") != Some(&json!("null"))))
        {
            return value_for(api, doc, first, depth + 1);
        }
    }
    let ty = match map.get("type") {
        Some(Value::String(t)) => t.as_str(),
        Some(Value::Array(ts)) => ts.iter().filter_map(Value::as_str).find(|t| *t != "null").unwrap_or("null"),
        _ if map.contains_key("properties") => "object",
        _ if map.contains_key("items") => "array",
        _ => "object",
    };
    match ty {
        "object" => {
            let mut out = Map::new();
            if depth < MAX_DEPTH {
                if let Some(props) = map.get("properties").and_then(Value::as_object) {
                    for (name, p) in props {
                        out.insert(name.clone(), value_for(api, doc, p, depth + 1));
                    }
                }
            }
            Value::Object(out)
        }
        "array" => {
            let count = map.get("minItems").and_then(Value::as_u64).unwrap_or(1).max(1) as usize;
            if depth >= MAX_DEPTH {
                return json!([]);
            }
            let item = map.get("items").map(|i| value_for(api, doc, i, depth + 1)).unwrap_or(Value::Null);
            Value::Array(vec![item; count.min(10)])
        }
        "string" => string_for(map),
        "integer" => json!(number_for(map).round() as i64),
        "number" => json!(number_for(map)),
        "boolean" => json!(true),
        _ => Value::Null,
    }
}

fn string_for(map: &Map<String, Value>) -> Value {
    let text = match map.get("format").and_then(Value::as_str) {
        Some("date-time") => humantime::format_rfc3339_seconds(std::time::SystemTime::now()).to_string(),
        Some("date") => "2026-01-01".to_string(),
        Some("time") => "12:00:00Z".to_string(),
        Some("uuid") => uuid::Uuid::new_v4().to_string(),
        Some("email") => "mock@example.org".to_string(),
        Some("uri" | "url") => "https://example.org/".to_string(),
        Some("uri-reference") => "/example".to_string(),
        Some("hostname") => "example.org".to_string(),
        Some("ipv4") => "192.0.2.1".to_string(),
        Some("byte") => "bW9jaw==".to_string(),
        _ => {
            let min = map.get("minLength").and_then(Value::as_u64).unwrap_or(0) as usize;
            let max = map.get("maxLength").and_then(Value::as_u64).map(|m| m as usize).unwrap_or(usize::MAX);
            let base = "string";
            if min > base.len() {
                "x".repeat(min)
            } else {
                base[..base.len().min(max)].to_string()
            }
        }
    };
    Value::String(text)
}

fn number_for(map: &Map<String, Value>) -> f64 {
    let num = |k: &str| map.get(k).and_then(Value::as_f64);
    let exclusive = |k: &str| map.get(k).and_then(Value::as_bool).unwrap_or(false);
    // 3.1 numeric exclusive bounds, or 3.0 boolean ones.
    let min = num("exclusiveMinimum")
        .map(|m| m + 1.0)
        .or_else(|| num("minimum").map(|m| if exclusive("exclusiveMinimum") { m + 1.0 } else { m }));
    let max = num("exclusiveMaximum")
        .map(|m| m - 1.0)
        .or_else(|| num("maximum").map(|m| if exclusive("exclusiveMaximum") { m - 1.0 } else { m }));
    match (min, max) {
        (Some(lo), _) => lo,
        (None, Some(hi)) => hi.min(1.0),
        (None, None) => 1.0,
    }
}
