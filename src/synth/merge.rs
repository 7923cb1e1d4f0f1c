//! `allOf` (and a 3.1 `$ref` with sibling keywords) as one schema: the branches' keywords
//! merged, bounds tightened, properties combined, so one value can satisfy them all.

use serde_json::{json, Map, Value};

const LOWER: [&str; 4] = ["minimum", "minLength", "minItems", "minProperties"];
const UPPER: [&str; 4] = ["maximum", "maxLength", "maxItems", "maxProperties"];

/// `b`'s keywords merged into `a`.
pub fn merge(mut a: Map<String, Value>, b: &Map<String, Value>) -> Map<String, Value> {
    for (key, vb) in b {
        let Some(va) = a.get(key).cloned() else {
            a.insert(key.clone(), vb.clone());
            continue;
        };
        let merged = match key.as_str() {
            "properties" => properties(&va, vb),
            "required" => union(&va, vb),
            "type" => types(&va, vb),
            "enum" => both(&va, vb),
            "exclusiveMinimum" | "exclusiveMaximum" if va.is_boolean() || vb.is_boolean() => {
                json!(va.as_bool().unwrap_or(false) || vb.as_bool().unwrap_or(false))
            }
            "exclusiveMinimum" => tighter(&va, vb, true),
            "exclusiveMaximum" => tighter(&va, vb, false),
            k if LOWER.contains(&k) => tighter(&va, vb, true),
            k if UPPER.contains(&k) => tighter(&va, vb, false),
            "additionalProperties" if vb == &Value::Bool(false) => vb.clone(),
            "items" | "additionalProperties" if va.is_object() && vb.is_object() && va != *vb => {
                json!({ "allOf": [va, vb] })
            }
            _ => va,
        };
        a.insert(key.clone(), merged);
    }
    a
}

fn properties(a: &Value, b: &Value) -> Value {
    let mut out = a.as_object().cloned().unwrap_or_default();
    for (name, pb) in b.as_object().into_iter().flatten() {
        let p = match out.get(name) {
            Some(pa) if pa != pb => json!({ "allOf": [pa, pb] }),
            _ => pb.clone(),
        };
        out.insert(name.clone(), p);
    }
    Value::Object(out)
}

fn union(a: &Value, b: &Value) -> Value {
    let mut out = a.as_array().cloned().unwrap_or_default();
    for v in b.as_array().into_iter().flatten() {
        if !out.contains(v) {
            out.push(v.clone());
        }
    }
    Value::Array(out)
}

/// The values both enums allow (none at all when they share none).
fn both(a: &Value, b: &Value) -> Value {
    let (Some(x), Some(y)) = (a.as_array(), b.as_array()) else { return a.clone() };
    Value::Array(x.iter().filter(|v| y.contains(v)).cloned().collect())
}

fn type_list(t: &Value) -> Vec<&str> {
    match t {
        Value::String(s) => vec![s.as_str()],
        Value::Array(a) => a.iter().filter_map(Value::as_str).collect(),
        _ => Vec::new(),
    }
}

/// The types both allow (`integer` is a `number`).
fn types(a: &Value, b: &Value) -> Value {
    let (ta, tb) = (type_list(a), type_list(b));
    let mut out = Vec::new();
    for t in &ta {
        if tb.contains(t) {
            out.push(*t);
        } else if *t == "integer" && tb.contains(&"number") || *t == "number" && tb.contains(&"integer") {
            out.push("integer");
        }
    }
    match out.as_slice() {
        [] => a.clone(),
        [one] => json!(one),
        many => json!(many),
    }
}

fn tighter(a: &Value, b: &Value, lower: bool) -> Value {
    match (a.as_f64(), b.as_f64()) {
        (Some(x), Some(y)) if (lower && y > x) || (!lower && y < x) => b.clone(),
        (Some(_), _) => a.clone(),
        _ => b.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn map(v: Value) -> Map<String, Value> {
        v.as_object().unwrap().clone()
    }

    #[test]
    fn bounds_tighten_and_required_and_properties_combine() {
        let a =
            map(json!({"type": "object", "required": ["a"], "properties": {"a": {"minimum": 1}}, "maxProperties": 5}));
        let b = map(json!({"required": ["b"], "properties": {"a": {"maximum": 3}, "b": {}}, "maxProperties": 2}));
        let m = merge(a, &b);
        assert_eq!(m["required"], json!(["a", "b"]));
        assert_eq!(m["maxProperties"], json!(2));
        assert_eq!(m["properties"]["a"], json!({"allOf": [{"minimum": 1}, {"maximum": 3}]}));
        assert_eq!(m["properties"]["b"], json!({}));
    }

    #[test]
    fn number_and_integer_meet_in_integer() {
        let m = merge(map(json!({"type": "number"})), &map(json!({"type": ["integer", "null"]})));
        assert_eq!(m["type"], json!("integer"));
    }
}
