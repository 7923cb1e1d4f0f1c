//! Shrinking a failing input: smaller bodies (one property or array item fewer), kept only
//! when they still break the schema in exactly the same way (an invalid input) or are still
//! valid (a valid one). Exec sends each in turn and keeps the first that still fails.

use serde_json::Value;

use crate::catalogue::openapi::{ApiDoc, SchemaLoc};

/// What a value breaks in its schema: each violation's place and keyword, sorted.
pub fn signature(api: &ApiDoc, schema: &SchemaLoc, value: &Value) -> Vec<String> {
    let mut out: Vec<String> = api
        .schemas
        .validate(schema, value)
        .unwrap_or_default()
        .into_iter()
        .map(|v| format!("{} {}", v.instance_path, v.keyword))
        .collect();
    out.sort();
    out.dedup();
    out
}

/// Values one step smaller than `value`: one object property left out, or an array cut to
/// its first item, anywhere in it; largest cuts first.
pub fn smaller(value: &Value) -> Vec<Value> {
    let mut places = Vec::new();
    collect(value, String::new(), &mut places);
    // Cutting near the root removes most: try those first.
    places.sort_by_key(|(at, _)| at.matches('/').count());
    places
        .into_iter()
        .filter_map(|(at, cut)| {
            let mut v = value.clone();
            apply(&mut v, &at, &cut)?;
            Some(v)
        })
        .collect()
}

enum Cut {
    Remove(String),
    Truncate,
}

fn collect(value: &Value, at: String, out: &mut Vec<(String, Cut)>) {
    match value {
        Value::Object(map) => {
            for (k, v) in map {
                out.push((at.clone(), Cut::Remove(k.clone())));
                collect(v, format!("{at}/{}", crate::source::escape_pointer(k)), out);
            }
        }
        Value::Array(items) => {
            if items.len() > 1 {
                out.push((at.clone(), Cut::Truncate));
            }
            if let Some(first) = items.first() {
                collect(first, format!("{at}/0"), out);
            }
        }
        _ => {}
    }
}

fn apply(value: &mut Value, at: &str, cut: &Cut) -> Option<()> {
    let node = value.pointer_mut(at)?;
    match (node, cut) {
        (Value::Object(map), Cut::Remove(k)) => {
            map.shift_remove(k)?;
        }
        (Value::Array(items), Cut::Truncate) => items.truncate(1),
        _ => return None,
    }
    Some(())
}

/// The smaller candidates of an invalid body that break its schema exactly as it does.
pub fn still_invalid(api: &ApiDoc, schema: &SchemaLoc, value: &Value, wanted: &[String]) -> Vec<Value> {
    smaller(value).into_iter().filter(|v| signature(api, schema, v) == wanted).collect()
}

/// The smaller candidates of a valid body that are still valid.
pub fn still_valid(api: &ApiDoc, schema: &SchemaLoc, value: &Value) -> Vec<Value> {
    smaller(value).into_iter().filter(|v| crate::synth::is_valid(api, schema, v)).collect()
}
