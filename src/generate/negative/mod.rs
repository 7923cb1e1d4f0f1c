//! Invalid inputs: a valid value broken in one way at a time, guided by its schema, and
//! kept only when the schema's own compiled validator rejects the result. So an input the
//! schema does not forbid (a `oneOf` branch the change happens to match, a type list with
//! `null`, a wider `anyOf`) is never sent as invalid.
//!
//! What JSON Schema forbids but OpenAPI lets a server accept is left alone too: nothing
//! under a `readOnly` property is changed (a server ignores such properties in requests),
//! and a required property that has a `default` is never left out (a server may apply it).

use serde_json::{json, Map, Value};

use crate::catalogue::openapi::{ApiDoc, SchemaLoc};
use crate::messages::InvalidKind;
use crate::source::escape_pointer;

/// Past this depth the schema is not followed (cuts `$ref` cycles).
const DEEPEST: usize = 24;

/// One broken value: the whole value, and where and how it breaks the schema (`at` is a
/// JSON pointer into the value).
#[derive(Debug, Clone, PartialEq)]
pub struct Mutant {
    pub value: Value,
    pub at: String,
    pub kind: InvalidKind,
}

/// The invalid variants of `base` (valid against `schema`), each rejected by the schema's
/// validator, in a stable order without duplicates.
pub fn mutants(api: &ApiDoc, schema: &SchemaLoc, base: &Value) -> Vec<Mutant> {
    let mut walk = Walk { api, root: base, out: Vec::new() };
    walk.node(schema.doc, &schema.pointer, "", base, 0);
    let mut kept: Vec<Mutant> = Vec::new();
    for m in walk.out {
        // One value per place for a wrong type: the first the schema rejects.
        let typed_already = m.kind == InvalidKind::WrongType && kept.iter().any(|k| k.at == m.at && k.kind == m.kind);
        if typed_already || kept.iter().any(|k| k.value == m.value) {
            continue;
        }
        if api.schemas.validate(schema, &m.value).is_ok_and(|v| !v.is_empty()) {
            kept.push(m);
        }
    }
    kept
}

struct Walk<'a> {
    api: &'a ApiDoc,
    root: &'a Value,
    out: Vec<Mutant>,
}

impl Walk<'_> {
    fn node(&mut self, doc: usize, pointer: &str, at: &str, value: &Value, depth: usize) {
        if depth > DEEPEST {
            return;
        }
        let Ok((doc, pointer, schema)) = self.api.resolve(doc, pointer) else { return };
        let Some(map) = schema.as_object() else { return };
        if map.get("readOnly") == Some(&Value::Bool(true)) {
            return;
        }
        for key in ["allOf", "oneOf", "anyOf"] {
            let count = map.get(key).and_then(Value::as_array).map_or(0, Vec::len);
            for i in 0..count {
                self.node(doc, &format!("{pointer}/{key}/{i}"), at, value, depth + 1);
            }
        }
        self.leaf(map, at, value);
        match value {
            Value::Object(object) => self.object(doc, &pointer, map, at, object, depth),
            Value::Array(items) if !items.is_empty() && map.get("items").is_some_and(Value::is_object) => {
                self.node(doc, &format!("{pointer}/items"), &format!("{at}/0"), &items[0], depth + 1);
            }
            _ => {}
        }
    }

    fn object(
        &mut self,
        doc: usize,
        pointer: &str,
        map: &Map<String, Value>,
        at: &str,
        object: &Map<String, Value>,
        depth: usize,
    ) {
        let property = |name: &str| format!("{pointer}/properties/{}", escape_pointer(name));
        let required = map.get("required").and_then(Value::as_array).into_iter().flatten().filter_map(Value::as_str);
        for name in required {
            if object.contains_key(name) && !self.lenient_property(doc, &property(name)) {
                let mut without = object.clone();
                without.remove(name);
                self.push(
                    at,
                    Value::Object(without),
                    &format!("{at}/{}", escape_pointer(name)),
                    InvalidKind::MissingRequired,
                );
            }
        }
        let closed = |k: &str| map.get(k) == Some(&Value::Bool(false));
        if closed("additionalProperties") || closed("unevaluatedProperties") {
            let mut extra = object.clone();
            extra.insert("konformUnexpected".into(), json!("konform"));
            self.push(at, Value::Object(extra), at, InvalidKind::ExtraProperty);
        }
        let Some(properties) = map.get("properties").and_then(Value::as_object) else { return };
        for (name, value) in object {
            if properties.contains_key(name) {
                self.node(doc, &property(name), &format!("{at}/{}", escape_pointer(name)), value, depth + 1);
            }
        }
    }

    /// A property a server may rightly do without: `readOnly`, or with a `default`.
    fn lenient_property(&self, doc: usize, pointer: &str) -> bool {
        let Ok((doc, pointer, schema)) = self.api.resolve(doc, pointer) else { return true };
        let has = |s: &Value| s.get("readOnly") == Some(&Value::Bool(true)) || s.get("default").is_some();
        if has(schema) {
            return true;
        }
        // A `$ref` wrapped in `allOf` to add keywords beside it.
        let branches = schema.get("allOf").and_then(Value::as_array).map_or(0, Vec::len);
        (0..branches)
            .any(|i| self.api.resolve(doc, &format!("{pointer}/allOf/{i}")).is_ok_and(|(_, _, branch)| has(branch)))
    }

    /// The one-keyword breaks of a value against its schema's own keywords.
    fn leaf(&mut self, map: &Map<String, Value>, at: &str, value: &Value) {
        for (replacement, kind) in breaks(map, value) {
            self.push_replace(at, replacement, kind);
        }
    }

    /// Records `at` replaced by `replacement` in the root.
    fn push_replace(&mut self, at: &str, replacement: Value, kind: InvalidKind) {
        let mut root = self.root.clone();
        let Some(slot) = root.pointer_mut(at) else { return };
        *slot = replacement;
        self.out.push(Mutant { value: root, at: at.to_string(), kind });
    }

    /// Records the node at `node` replaced by `replacement`, described as `at`.
    fn push(&mut self, node: &str, replacement: Value, at: &str, kind: InvalidKind) {
        let mut root = self.root.clone();
        let Some(slot) = root.pointer_mut(node) else { return };
        *slot = replacement;
        self.out.push(Mutant { value: root, at: at.to_string(), kind });
    }
}

/// Values that break one keyword of `map` where `value` stands: a wrong type, a value out
/// of range, too short or long, outside the enum, not matching the pattern or format.
pub fn breaks(map: &Map<String, Value>, value: &Value) -> Vec<(Value, InvalidKind)> {
    let mut out = Vec::new();
    out.extend(wrong_types(map).into_iter().map(|v| (v, InvalidKind::WrongType)));
    if let Some(allowed) = map.get("enum").and_then(Value::as_array) {
        let outside = match value {
            Value::Number(_) => json!(allowed.iter().filter_map(Value::as_f64).fold(0.0, f64::max).floor() + 1.0),
            _ => json!("KONFORM-NOT-IN-ENUM"),
        };
        out.push((as_integer_when_whole(outside), InvalidKind::UnknownEnumValue));
    }
    if value.is_number() {
        let integer = map.get("type").is_some_and(|t| t == "integer");
        let step = if integer { 1.0 } else { 0.5 };
        let bound = |k: &str| map.get(k).and_then(Value::as_f64);
        let exclusive = |k: &str| map.get(k) == Some(&Value::Bool(true));
        if let Some(min) = bound("minimum") {
            let below = if exclusive("exclusiveMinimum") { min } else { min - step };
            out.push((as_integer_when_whole(json!(below)), InvalidKind::OutOfRange));
        }
        if let Some(min) = bound("exclusiveMinimum") {
            out.push((as_integer_when_whole(json!(min)), InvalidKind::OutOfRange));
        }
        if let Some(max) = bound("maximum") {
            let above = if exclusive("exclusiveMaximum") { max } else { max + step };
            out.push((as_integer_when_whole(json!(above)), InvalidKind::OutOfRange));
        }
        if let Some(max) = bound("exclusiveMaximum") {
            out.push((as_integer_when_whole(json!(max)), InvalidKind::OutOfRange));
        }
    }
    if let Value::String(text) = value {
        let length = |k: &str| map.get(k).and_then(Value::as_u64).map(|n| n as usize);
        if let Some(min) = length("minLength").filter(|n| *n > 0) {
            out.push((json!(text.chars().take(min - 1).collect::<String>()), InvalidKind::TooShort));
        }
        if let Some(max) = length("maxLength").filter(|n| *n < 100_000) {
            out.push((json!("x".repeat(max + 1)), InvalidKind::TooLong));
        }
        if map.contains_key("pattern") {
            out.push((json!("~konform~"), InvalidKind::NoPatternMatch));
        }
        if let Some(bad) = map.get("format").and_then(Value::as_str).and_then(bad_format) {
            out.push((json!(bad), InvalidKind::BadFormat));
        }
    }
    if let Value::Array(items) = value {
        let count = |k: &str| map.get(k).and_then(Value::as_u64).map(|n| n as usize);
        if count("minItems").is_some_and(|n| n > 0) {
            out.push((json!([]), InvalidKind::TooShort));
        }
        if let (Some(max), Some(first)) = (count("maxItems").filter(|n| *n < 1000), items.first()) {
            out.push((Value::Array(vec![first.clone(); max + 1]), InvalidKind::TooLong));
        }
    }
    out
}

/// Values of types the schema's `type` does not allow, in a fixed order (never `null`: a
/// nullable schema must not be broken by it, and a non-nullable one is broken by the others
/// as well). Callers keep the first one the schema's validator rejects.
fn wrong_types(map: &Map<String, Value>) -> Vec<Value> {
    let declared: Vec<&str> = match map.get("type") {
        Some(Value::String(t)) => vec![t.as_str()],
        Some(Value::Array(ts)) => ts.iter().filter_map(Value::as_str).collect(),
        _ => return Vec::new(),
    };
    let allows = |t: &str| declared.contains(&t) || (t == "integer" && declared.contains(&"number"));
    let candidates = [
        ("string", json!("konform")),
        ("integer", json!(7)),
        ("boolean", json!(true)),
        ("object", json!({})),
        ("array", json!([])),
    ];
    candidates.into_iter().filter(|(t, _)| !allows(t)).map(|(_, v)| v).collect()
}

/// A string that is not of the format, for the formats konform's validator asserts.
fn bad_format(format: &str) -> Option<&'static str> {
    Some(match format {
        "date-time" => "not-a-date-time",
        "date" => "2024-13-45",
        "time" => "25:61:61",
        "email" => "not-an-email",
        "uuid" => "not-a-uuid",
        "uri" => "not a uri",
        "ipv4" => "999.1.1.1",
        "ipv6" => "not-an-ipv6",
        "hostname" => "-not-a-hostname-",
        "duration" => "not-a-duration",
        _ => return None,
    })
}

fn as_integer_when_whole(v: Value) -> Value {
    match v.as_f64() {
        Some(f) if f.fract() == 0.0 && f.abs() < 9.0e15 => json!(f as i64),
        _ => v,
    }
}

#[cfg(test)]
mod tests;
