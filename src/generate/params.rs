//! Parameters as they travel: text in a path, query or header, read back as the JSON value
//! their schema wants (numbers, booleans, comma-separated arrays) before they are validated.

use serde_json::Value;

use crate::catalogue::openapi::{ApiDoc, SchemaLoc};

/// A parameter's text as the JSON value its schema expects.
pub fn coerce(api: &ApiDoc, schema: &SchemaLoc, text: &str) -> Value {
    coerce_to(api, schema.doc, &schema.pointer, text, 0)
}

fn coerce_to(api: &ApiDoc, doc: usize, pointer: &str, text: &str, depth: usize) -> Value {
    let Ok((doc, pointer, schema)) = api.resolve(doc, pointer) else { return Value::String(text.to_string()) };
    let ty = schema.get("type");
    let wants = |t: &str| ty.is_some_and(|ty| ty == t || ty.as_array().is_some_and(|a| a.iter().any(|x| x == t)));
    if wants("array") && depth == 0 {
        let items = format!("{pointer}/items");
        return Value::Array(text.split(',').map(|t| coerce_to(api, doc, &items, t, depth + 1)).collect());
    }
    if wants("integer") || wants("number") {
        if let Ok(n) = serde_json::from_str::<serde_json::Number>(text) {
            return Value::Number(n);
        }
    }
    if wants("boolean") && (text == "true" || text == "false") {
        return Value::Bool(text == "true");
    }
    Value::String(text.to_string())
}

/// A JSON value as a parameter's text (arrays comma-separated, the form `style: simple` and
/// `form` without explode share).
pub fn text(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        Value::Array(items) => items.iter().map(text).collect::<Vec<_>>().join(","),
        other => other.to_string(),
    }
}

/// Whether `text`, read as its schema wants, is valid against it.
pub fn valid_text(api: &ApiDoc, schema: &SchemaLoc, text: &str) -> bool {
    crate::synth::is_valid(api, schema, &coerce(api, schema, text))
}
