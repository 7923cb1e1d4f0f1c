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

/// Keywords whose value is one subschema.
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
/// Keywords whose value maps names to subschemas.
const MAPS: [&str; 5] = ["properties", "patternProperties", "$defs", "definitions", "dependentSchemas"];
/// Keywords whose value is a list of subschemas (`items` in drafts before 2020-12).
const LISTS: [&str; 5] = ["allOf", "anyOf", "oneOf", "prefixItems", "items"];

/// Calls `f` with every direct subschema of a schema.
fn subschemas<'a>(schema: &'a Map<String, Value>, f: &mut dyn FnMut(&'a Value)) {
    for (key, value) in schema {
        let key = key.as_str();
        match value {
            Value::Object(_) if SINGLE.contains(&key) => f(value),
            Value::Object(map) if MAPS.contains(&key) => map.values().filter(|v| v.is_object()).for_each(&mut *f),
            Value::Array(items) if LISTS.contains(&key) => items.iter().filter(|v| v.is_object()).for_each(&mut *f),
            _ => {}
        }
    }
}

/// Calls `f` with the pointer and the value of every direct subschema of a schema.
pub fn subschema_places<'a>(schema: &'a Map<String, Value>, pointer: &str, f: &mut dyn FnMut(String, &'a Value)) {
    for (key, value) in schema {
        let k = key.as_str();
        match value {
            Value::Object(_) if SINGLE.contains(&k) => f(format!("{pointer}/{k}"), value),
            Value::Object(map) if MAPS.contains(&k) => {
                for (name, v) in map.iter().filter(|(_, v)| v.is_object()) {
                    f(format!("{pointer}/{k}/{}", escape_pointer(name)), v);
                }
            }
            Value::Array(items) if LISTS.contains(&k) => {
                for (i, v) in items.iter().enumerate().filter(|(_, v)| v.is_object()) {
                    f(format!("{pointer}/{k}/{i}"), v);
                }
            }
            _ => {}
        }
    }
}

/// The places translation starts from: the roots and every schema a `$ref` reachable from
/// them names (through subschemas and other `$ref`s), each once. Everything else to
/// translate lies inside one of them, at a subschema position ([`translate_tree`]).
///
/// The walk reads each subschema from its parent and builds no pointer for it: only a
/// `$ref`'s target is looked up from the top of its document (GitHub's description has about
/// 100,000 subschemas and 4,000 distinct targets).
fn reachable_roots(docs: &[Doc], roots: &[SchemaLoc]) -> Vec<(usize, String)> {
    let resolver = Resolver::new(docs);
    let mut seen: HashSet<(usize, String)> = HashSet::new();
    let mut starts: Vec<(usize, String)> = roots.iter().map(|r| (r.doc, r.pointer.clone())).collect();
    let mut found = Vec::new();
    let mut stack: Vec<(&Value, usize)> = Vec::new();
    while let Some((doc, pointer)) = starts.pop() {
        if !seen.insert((doc, pointer.clone())) {
            continue;
        }
        let Some(value) = resolver.value(doc, &pointer) else { continue };
        found.push((doc, pointer));
        stack.push((value, 0));
        while let Some((value, depth)) = stack.pop() {
            let Value::Object(schema) = value else { continue };
            if let Some(r) = schema.get("$ref").and_then(Value::as_str) {
                if let Ok(target) = resolver.target(doc, r) {
                    if !seen.contains(&target) {
                        starts.push(target);
                    }
                }
            }
            if depth < MAX_DEPTH {
                subschemas(schema, &mut |v| stack.push((v, depth + 1)));
            }
        }
    }
    found
}

/// Returns translated copies of the documents' schemas: each copy holds every schema
/// reachable from `roots` (which must include every place a validator is asked for, such as
/// a media type's `schema` that is a `$ref`) at its own pointer and nothing else (no descriptions of operations,
/// no examples outside schemas), so a `$ref` into it finds what it would find in the whole
/// document at a fraction of the memory (GitHub's description is 55 % outside its schemas).
pub fn translate_docs(docs: &[Doc], roots: &[SchemaLoc]) -> Vec<Value> {
    let mut starts = reachable_roots(docs, roots);
    starts.sort_unstable();
    let mut out: Vec<Value> = docs.iter().map(|_| Value::Object(Map::new())).collect();
    let mut copied: Option<&(usize, String)> = None;
    for start in &starts {
        // Sorted, a place comes right before those inside it, which its copy holds already.
        if copied.is_some_and(|(doc, outer)| *doc == start.0 && is_inside(&start.1, outer)) {
            continue;
        }
        if copy_at(&docs[start.0].value, &mut out[start.0], &start.1) {
            copied = Some(start);
        }
    }
    // A place inside another is translated twice, which changes nothing the second time.
    for (doc, pointer) in &starts {
        if let Some(Value::Object(schema)) = crate::model::pointer::get_mut(&mut out[*doc], pointer) {
            translate_tree(schema, 0);
        }
    }
    out
}

/// Translates a schema and, to [`MAX_DEPTH`] below it, every subschema in it.
fn translate_tree(schema: &mut Map<String, Value>, depth: usize) {
    translate_schema(schema);
    if depth >= MAX_DEPTH {
        return;
    }
    for (key, value) in schema.iter_mut() {
        let key = key.as_str();
        match value {
            Value::Object(child) if SINGLE.contains(&key) => translate_tree(child, depth + 1),
            Value::Object(map) if MAPS.contains(&key) => {
                for child in map.values_mut() {
                    if let Value::Object(child) = child {
                        translate_tree(child, depth + 1);
                    }
                }
            }
            Value::Array(items) if LISTS.contains(&key) => {
                for child in items {
                    if let Value::Object(child) = child {
                        translate_tree(child, depth + 1);
                    }
                }
            }
            _ => {}
        }
    }
}

/// Whether `pointer` is `outer` or a place inside it.
fn is_inside(pointer: &str, outer: &str) -> bool {
    pointer.strip_prefix(outer).is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
}

/// Copies the value at `pointer` in `from` to the same place in `to`, making the objects and
/// arrays that lead to it where `to` lacks them. False when `from` has nothing there.
fn copy_at(from: &Value, to: &mut Value, pointer: &str) -> bool {
    // serde_json's reading of the pointer decides (it refuses an index such as `01`).
    if crate::model::pointer::get(from, pointer).is_none() {
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
