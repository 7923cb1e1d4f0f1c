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
use crate::source::{escape_pointer, unescape_pointer, MAX_DEPTH};

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

/// Returns translated copies of the documents' schemas: each copy holds every schema
/// reachable from `roots` (which must include every place a validator is asked for, such as
/// a media type's `schema` that is a `$ref`) at its own pointer and nothing else (no descriptions of operations,
/// no examples outside schemas), so a `$ref` into it finds what it would find in the whole
/// document at a fraction of the memory (GitHub's description is 55 % outside its schemas).
pub fn translate_docs(docs: &[Doc], roots: &[SchemaLoc]) -> Vec<Value> {
    let targets = reachable_schemas(docs, roots);
    let mut sorted: Vec<&(usize, String)> = targets.iter().collect();
    sorted.sort_unstable();
    let mut out: Vec<Value> = docs.iter().map(|_| Value::Object(Map::new())).collect();
    let mut copied: Option<&(usize, String)> = None;
    for target in sorted {
        // Sorted, a schema comes right before those inside it, which its copy holds already.
        if copied.is_some_and(|(doc, outer)| *doc == target.0 && is_inside(&target.1, outer)) {
            continue;
        }
        if copy_at(&docs[target.0].value, &mut out[target.0], &target.1) {
            copied = Some(target);
        }
    }
    for (doc, pointer) in targets {
        if let Some(Value::Object(schema)) = out[doc].pointer_mut(&pointer) {
            translate_schema(schema);
        }
    }
    out
}

/// Whether `pointer` is `outer` or a place inside it.
fn is_inside(pointer: &str, outer: &str) -> bool {
    pointer.strip_prefix(outer).is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
}

/// Copies the value at `pointer` in `from` to the same place in `to`, making the objects and
/// arrays that lead to it where `to` lacks them. False when `from` has nothing there.
fn copy_at(from: &Value, to: &mut Value, pointer: &str) -> bool {
    // serde_json's reading of the pointer decides (it refuses an index such as `01`).
    if from.pointer(pointer).is_none() {
        return false;
    }
    let (mut from, mut to) = (from, to);
    for segment in pointer.split('/').skip(1) {
        let key = unescape_pointer(segment);
        (from, to) = match from {
            Value::Object(map) => {
                let Some(next) = map.get(&key) else { return false };
                if !to.is_object() {
                    *to = Value::Object(Map::new());
                }
                let Value::Object(into) = to else { return false };
                (next, into.entry(key).or_insert(Value::Null))
            }
            Value::Array(items) => {
                let Some((i, next)) = key.parse::<usize>().ok().and_then(|i| Some((i, items.get(i)?))) else {
                    return false;
                };
                if !to.is_array() {
                    *to = Value::Array(Vec::new());
                }
                let Value::Array(into) = to else { return false };
                if into.len() <= i {
                    into.resize(i + 1, Value::Null);
                }
                (next, &mut into[i])
            }
            _ => return false,
        };
    }
    *to = from.clone();
    true
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
    use std::sync::Arc;

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

    #[test]
    fn translated_documents_hold_their_schemas_at_their_places_and_nothing_else() {
        let value = json!({
            "openapi": "3.0.3",
            "info": {"title": "t", "version": "1", "description": "long prose"},
            "paths": {"/a/{id}": {"get": {
                "description": "more prose",
                "parameters": [
                    {"name": "x", "in": "query", "example": "e"},
                    {"name": "id", "in": "path", "schema": {"type": "string", "nullable": true}}
                ],
                "responses": {"200": {"description": "ok", "content": {"application/json": {
                    "schema": {"$ref": "#/components/schemas/A", "description": "dropped"},
                    "examples": {"big": {"value": {"huge": true}}}
                }}}}
            }}},
            "components": {
                "schemas": {"A": {"type": "object", "properties": {"b": {"$ref": "#/components/schemas/B/properties/c"}}},
                            "B": {"properties": {"c": {"type": "integer", "minimum": 0, "exclusiveMinimum": true}}}},
                "examples": {"E": {"value": "unused"}}
            }
        });
        let file =
            Arc::new(crate::source::SourceFile::from_text(std::path::Path::new("/x/api.json"), value.to_string()));
        let docs = [Doc { file, uri: "file:///x/api.json".into(), value: Arc::new(value) }];
        // As the registry does: the schemas, and the places holding one by `$ref`.
        let (mut places, holders) = super::super::walk::schema_places(&docs);
        places.extend(holders);
        let out = translate_docs(&docs, &places);
        assert_eq!(
            out[0],
            json!({
                "paths": {"/a/{id}": {"get": {
                    "parameters": [null, {"schema": {"type": ["string", "null"]}}],
                    "responses": {"200": {"content": {"application/json": {
                        "schema": {"$ref": "#/components/schemas/A"}
                    }}}}
                }}},
                "components": {"schemas": {
                    "A": {"type": "object", "properties": {"b": {"$ref": "#/components/schemas/B/properties/c"}}},
                    "B": {"properties": {"c": {"type": "integer", "exclusiveMinimum": 0}}}
                }}
            })
        );
    }
}
