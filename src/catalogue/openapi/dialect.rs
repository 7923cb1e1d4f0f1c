//! OpenAPI 3.0's schema dialect, translated into JSON Schema 2020-12.
//!
//! OpenAPI 3.0 schemas are an extended subset of JSON Schema draft 5 with their own meaning
//! for some keywords. Validating them as plain JSON Schema would be wrong in both directions,
//! so before compiling, 3.0 schemas are rewritten to mean the same thing in 2020-12:
//!
//! * `nullable: true` adds `"null"` to `type` (only when `type` is given, as OpenAPI 3.0.3
//!   specifies; an `enum` without `null` still refuses null).
//! * boolean `exclusiveMinimum`/`exclusiveMaximum` become the numeric 2020-12 form.
//! * a Schema Object with `$ref` is the referenced schema alone: 3.0 ignores siblings of
//!   `$ref`, while 2020-12 would apply them.
//!
//! Annotations (`example`, `discriminator`, `xml`, `externalDocs`, `deprecated`) are unknown
//! keywords to the validator and are ignored, as they should be. 3.1 documents are already
//! 2020-12 and are used as they are.

use std::collections::HashSet;

use serde_json::{Map, Value};

use super::refs::Resolver;
use super::Doc;
use super::SchemaLoc;
use crate::source::{escape_pointer, MAX_DEPTH};

/// Calls `f` with the pointer of every direct subschema of a schema.
pub fn subschemas(schema: &Map<String, Value>, pointer: &str, f: &mut dyn FnMut(String)) {
    const SINGLE: [&str; 11] = [
        "additionalProperties",
        "not",
        "contains",
        "propertyNames",
        "if",
        "then",
        "else",
        "unevaluatedItems",
        "unevaluatedProperties",
        "additionalItems",
        "items",
    ];
    const MAPS: [&str; 5] = ["properties", "patternProperties", "$defs", "definitions", "dependentSchemas"];
    const LISTS: [&str; 5] = ["allOf", "anyOf", "oneOf", "prefixItems", "items"];
    for key in SINGLE {
        if schema.get(key).is_some_and(Value::is_object) {
            f(format!("{pointer}/{key}"));
        }
    }
    for key in MAPS {
        if let Some(m) = schema.get(key).and_then(Value::as_object) {
            for (name, v) in m {
                if v.is_object() {
                    f(format!("{pointer}/{key}/{}", escape_pointer(name)));
                }
            }
        }
    }
    for key in LISTS {
        if let Some(items) = schema.get(key).and_then(Value::as_array) {
            for (i, v) in items.iter().enumerate() {
                if v.is_object() {
                    f(format!("{pointer}/{key}/{i}"));
                }
            }
        }
    }
}

/// Every schema location (roots and everything reachable from them through subschemas and
/// `$ref`s), so that translation touches schemas and nothing else.
fn reachable_schemas(docs: &[Doc], roots: &[SchemaLoc]) -> HashSet<(usize, String)> {
    let resolver = Resolver::new(docs);
    let mut seen: HashSet<(usize, String)> = HashSet::new();
    let mut work: Vec<(usize, String, usize)> = roots.iter().map(|r| (r.doc, r.pointer.clone(), 0)).collect();
    while let Some((doc, pointer, depth)) = work.pop() {
        if depth > MAX_DEPTH || !seen.insert((doc, pointer.clone())) {
            continue;
        }
        let Some(Value::Object(schema)) = resolver.value(doc, &pointer) else { continue };
        if let Some(r) = schema.get("$ref").and_then(Value::as_str) {
            if let Ok((d, p)) = resolver.target(doc, r) {
                work.push((d, p, 0));
            }
        }
        subschemas(schema, &pointer, &mut |child| work.push((doc, child, depth + 1)));
    }
    seen
}

/// Returns translated copies of the documents.
pub fn translate_docs(docs: &[Doc], roots: &[SchemaLoc]) -> Vec<Value> {
    let targets = reachable_schemas(docs, roots);
    let mut out: Vec<Value> = docs.iter().map(|d| (*d.value).clone()).collect();
    for (doc, pointer) in targets {
        if let Some(Value::Object(schema)) = out[doc].pointer_mut(&pointer) {
            translate_schema(schema);
        }
    }
    out
}

/// Rewrites one schema object in place (not its subschemas; those are visited on their own).
pub fn translate_schema(schema: &mut Map<String, Value>) {
    if let Some(r) = schema.get("$ref").cloned() {
        schema.clear();
        schema.insert("$ref".into(), r);
        return;
    }
    if let Some(nullable) = schema.remove("nullable") {
        if nullable == Value::Bool(true) {
            if let Some(Value::String(t)) = schema.get("type").cloned() {
                schema.insert("type".into(), Value::Array(vec![Value::String(t), Value::String("null".into())]));
            }
        }
    }
    for (exclusive, bound) in [("exclusiveMinimum", "minimum"), ("exclusiveMaximum", "maximum")] {
        if let Some(Value::Bool(flag)) = schema.get(exclusive).cloned() {
            schema.remove(exclusive);
            if flag {
                if let Some(limit) = schema.remove(bound) {
                    schema.insert(exclusive.into(), limit);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn translated(v: Value) -> Value {
        let mut v = v;
        translate_schema(v.as_object_mut().unwrap());
        v
    }

    #[test]
    fn nullable_adds_null_to_type() {
        assert_eq!(translated(json!({"type": "string", "nullable": true})), json!({"type": ["string", "null"]}));
        assert_eq!(translated(json!({"type": "string", "nullable": false})), json!({"type": "string"}));
        // Without `type`, nullable has no effect in OpenAPI 3.0.3.
        assert_eq!(translated(json!({"nullable": true, "enum": ["a"]})), json!({"enum": ["a"]}));
    }

    #[test]
    fn boolean_exclusive_bounds_become_numeric() {
        assert_eq!(
            translated(
                json!({"type": "integer", "minimum": 0, "exclusiveMinimum": true, "maximum": 9, "exclusiveMaximum": false})
            ),
            json!({"type": "integer", "exclusiveMinimum": 0, "maximum": 9})
        );
    }

    #[test]
    fn ref_siblings_are_dropped() {
        assert_eq!(translated(json!({"$ref": "#/x", "description": "d", "nullable": true})), json!({"$ref": "#/x"}));
    }
}
