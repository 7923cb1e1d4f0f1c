//! Walks the structure of an OpenAPI description (paths, operations, parameters, bodies,
//! responses, headers, components, callbacks) and finds every place that holds a Schema
//! Object, following `$ref`s into other files. Schema positions matter because only there do
//! keywords such as `nullable` mean something; a property called `nullable` does not.

use std::collections::HashSet;

use serde_json::Value;

use super::refs::Resolver;
use super::Doc;
use super::SchemaLoc;
use crate::source::escape_pointer;

pub const METHODS: [&str; 8] = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Kind {
    PathItem,
    Operation,
    Parameter,
    RequestBody,
    Response,
    Header,
    MediaType,
    Schema,
    Callback,
}

/// Every top-level schema position (not the subschemas inside a schema), deduplicated, and
/// the places that hold a schema by `$ref` as they are written (the `schema` of a media type
/// that is `{"$ref": ...}`), which the operation index points at.
pub fn schema_places(docs: &[Doc]) -> (Vec<SchemaLoc>, Vec<SchemaLoc>) {
    let resolver = Resolver::new(docs);
    let mut walker = Walker {
        resolver: &resolver,
        seen: HashSet::new(),
        work: Vec::new(),
        schemas: Vec::new(),
        schema_seen: HashSet::new(),
        holders: Vec::new(),
    };
    let root = &docs[0].value;
    if let Some(paths) = root.get("paths").and_then(Value::as_object) {
        for key in paths.keys() {
            walker.push(0, format!("/paths/{}", escape_pointer(key)), Kind::PathItem);
        }
    }
    if let Some(hooks) = root.get("webhooks").and_then(Value::as_object) {
        for key in hooks.keys() {
            walker.push(0, format!("/webhooks/{}", escape_pointer(key)), Kind::PathItem);
        }
    }
    for (doc_index, doc) in docs.iter().enumerate() {
        let Some(components) = doc.value.get("components").and_then(Value::as_object) else { continue };
        let groups: [(&str, Kind); 7] = [
            ("schemas", Kind::Schema),
            ("parameters", Kind::Parameter),
            ("requestBodies", Kind::RequestBody),
            ("responses", Kind::Response),
            ("headers", Kind::Header),
            ("callbacks", Kind::Callback),
            ("pathItems", Kind::PathItem),
        ];
        for (group, kind) in groups {
            if let Some(entries) = components.get(group).and_then(Value::as_object) {
                for key in entries.keys() {
                    walker.push(doc_index, format!("/components/{group}/{}", escape_pointer(key)), kind);
                }
            }
        }
    }
    walker.run();
    (walker.schemas, walker.holders)
}

struct Walker<'a> {
    resolver: &'a Resolver<'a>,
    seen: HashSet<(usize, String, Kind)>,
    work: Vec<(usize, String, Kind)>,
    schemas: Vec<SchemaLoc>,
    schema_seen: HashSet<(usize, String)>,
    /// Schema places written as a `$ref` (before it was followed).
    holders: Vec<SchemaLoc>,
}

impl Walker<'_> {
    fn push(&mut self, doc: usize, pointer: String, kind: Kind) {
        if self.seen.insert((doc, pointer.clone(), kind)) {
            self.work.push((doc, pointer, kind));
        }
    }

    fn run(&mut self) {
        while let Some((written_doc, written, kind)) = self.work.pop() {
            let Ok((doc, pointer, value)) = self.resolver.resolve(written_doc, &written) else { continue };
            if kind == Kind::Schema {
                if (written_doc, written.as_str()) != (doc, pointer.as_str()) {
                    self.holders.push(SchemaLoc { doc: written_doc, pointer: written });
                }
                if self.schema_seen.insert((doc, pointer.clone())) {
                    self.schemas.push(SchemaLoc { doc, pointer });
                }
                continue;
            }
            let Some(map) = value.as_object() else { continue };
            let child = |key: &str| format!("{pointer}/{}", escape_pointer(key));
            match kind {
                Kind::PathItem => {
                    self.each_item(doc, &child("parameters"), map.get("parameters"), Kind::Parameter);
                    for m in METHODS {
                        if map.contains_key(m) {
                            self.push(doc, child(m), Kind::Operation);
                        }
                    }
                }
                Kind::Operation => {
                    self.each_item(doc, &child("parameters"), map.get("parameters"), Kind::Parameter);
                    if map.contains_key("requestBody") {
                        self.push(doc, child("requestBody"), Kind::RequestBody);
                    }
                    self.each_entry(doc, &child("responses"), map.get("responses"), Kind::Response);
                    self.each_entry(doc, &child("callbacks"), map.get("callbacks"), Kind::Callback);
                }
                Kind::Callback => {
                    for key in map.keys() {
                        self.push(doc, child(key), Kind::PathItem);
                    }
                }
                Kind::Parameter | Kind::Header => {
                    if map.contains_key("schema") {
                        self.push(doc, child("schema"), Kind::Schema);
                    }
                    self.each_entry(doc, &child("content"), map.get("content"), Kind::MediaType);
                }
                Kind::RequestBody => self.each_entry(doc, &child("content"), map.get("content"), Kind::MediaType),
                Kind::Response => {
                    self.each_entry(doc, &child("content"), map.get("content"), Kind::MediaType);
                    self.each_entry(doc, &child("headers"), map.get("headers"), Kind::Header);
                }
                Kind::MediaType => {
                    if map.contains_key("schema") {
                        self.push(doc, child("schema"), Kind::Schema);
                    }
                    if let Some(enc) = map.get("encoding").and_then(Value::as_object) {
                        for key in enc.keys() {
                            let base = format!("{}/{}/headers", child("encoding"), escape_pointer(key));
                            self.each_entry(doc, &base, enc[key].get("headers"), Kind::Header);
                        }
                    }
                }
                Kind::Schema => {}
            }
        }
    }

    fn each_item(&mut self, doc: usize, base: &str, value: Option<&Value>, kind: Kind) {
        if let Some(items) = value.and_then(Value::as_array) {
            for i in 0..items.len() {
                self.push(doc, format!("{base}/{i}"), kind);
            }
        }
    }

    fn each_entry(&mut self, doc: usize, base: &str, value: Option<&Value>, kind: Kind) {
        if let Some(map) = value.and_then(Value::as_object) {
            for key in map.keys() {
                if !key.starts_with("x-") {
                    self.push(doc, format!("{base}/{}", escape_pointer(key)), kind);
                }
            }
        }
    }
}
