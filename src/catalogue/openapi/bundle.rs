//! One self-contained document from a description spread over several files: what a vendor
//! copies into its own repository and tools (a linter, a code generator, an API gateway),
//! none of which can follow a `$ref` back into the catalogue's information models.
//!
//! A reference to a component of another file (`../../models/problem/1.0.0/schemas.yaml#/
//! components/schemas/Problem`) becomes a component of the bundle under the same name
//! (`#/components/schemas/Problem`), or, when the description already has a different one
//! of that name, the name with a number after it (`Problem2`). A reference to anything else
//! in another file is written out in place. References inside a taken-in file are rewritten
//! the same way, so the bundle validates exactly what the files did.

use std::collections::{BTreeMap, HashMap};

use serde_json::{Map, Value};

use super::ApiDoc;
use crate::source::{escape_pointer, unescape_pointer};

/// How deep references written out in place may nest before the bundle gives up (a loop
/// of references outside `components` cannot be written out).
const MAX_INLINE_DEPTH: usize = 64;

/// The description as one document.
pub fn bundle(api: &ApiDoc) -> Result<Value, String> {
    let mut b = Bundler { api, names: HashMap::new(), taken: BTreeMap::new(), queue: Vec::new() };
    b.aliases();
    let mut root = b.rewrite(&api.docs[0].value, 0, 0)?;
    let mut added: Vec<(String, String, Value)> = Vec::new();
    while let Some((doc, pointer, kind, name)) = b.queue.pop() {
        let target = api.docs[doc].value.pointer(&pointer).ok_or_else(|| format!("{pointer} is gone"))?;
        let value = b.rewrite(target, doc, 0)?;
        added.push((kind, name, value));
    }
    if !added.is_empty() {
        let object = root.as_object_mut().ok_or("the description is not an object")?;
        let components = object.entry("components").or_insert_with(|| Value::Object(Map::new()));
        let components = components.as_object_mut().ok_or("`components` is not an object")?;
        added.sort_by(|a, b| (&a.0, &a.1).cmp(&(&b.0, &b.1)));
        for (kind, name, value) in added {
            let section = components.entry(kind).or_insert_with(|| Value::Object(Map::new()));
            if let Some(section) = section.as_object_mut() {
                section.insert(name, value);
            }
        }
    }
    Ok(root)
}

struct Bundler<'a> {
    api: &'a ApiDoc,
    /// (file, pointer) of a component taken in → its name in the bundle.
    names: HashMap<(usize, String), String>,
    /// Names taken per kind of component, by the description itself or the bundle.
    taken: BTreeMap<String, Vec<String>>,
    /// Components still to write: (file, pointer, kind, name in the bundle).
    queue: Vec<(usize, String, String, String)>,
}

impl Bundler<'_> {
    fn rewrite(&mut self, value: &Value, doc: usize, depth: usize) -> Result<Value, String> {
        match value {
            Value::Array(items) => {
                items.iter().map(|v| self.rewrite(v, doc, depth)).collect::<Result<_, _>>().map(Value::Array)
            }
            Value::Object(object) => {
                if let Some(Value::String(reference)) = object.get("$ref") {
                    if let Some(replaced) = self.reference(object, reference, doc, depth)? {
                        return Ok(replaced);
                    }
                }
                let mut out = Map::new();
                for (k, v) in object {
                    // Examples and extensions are data, not schemas: copied as they are.
                    let v = if k == "example" || k == "examples" || k.starts_with("x-") {
                        v.clone()
                    } else {
                        self.rewrite(v, doc, depth)?
                    };
                    out.insert(k.clone(), v);
                }
                Ok(Value::Object(out))
            }
            other => Ok(other.clone()),
        }
    }

    /// The object holding `$ref`, rewritten; `None` when the reference stays as it is.
    fn reference(
        &mut self,
        object: &Map<String, Value>,
        reference: &str,
        doc: usize,
        depth: usize,
    ) -> Result<Option<Value>, String> {
        let resolver = super::refs::Resolver::new(&self.api.docs);
        let (target, pointer) = resolver.target(doc, reference)?;
        if target == 0 {
            if doc == 0 {
                return Ok(None);
            }
            let mut out = object.clone();
            out.insert("$ref".into(), Value::String(format!("#{pointer}")));
            return Ok(Some(Value::Object(out)));
        }
        let parts: Vec<&str> = pointer.split('/').collect();
        if let ["", "components", kind, name] = parts[..] {
            let local = self.component(target, &pointer, kind, &unescape_pointer(name));
            let mut out = object.clone();
            out.insert("$ref".into(), Value::String(format!("#/components/{kind}/{}", escape_pointer(&local))));
            return Ok(Some(Value::Object(out)));
        }
        if depth >= MAX_INLINE_DEPTH {
            return Err(format!("`$ref: {reference}` loops outside `components`, which one document cannot hold"));
        }
        let value = self.api.docs[target]
            .value
            .pointer(&pointer)
            .ok_or_else(|| format!("`$ref: {reference}` names nothing"))?;
        let mut written = self.rewrite(value, target, depth + 1)?;
        // Siblings of the reference (a description, in OpenAPI 3.1) stay beside what it names.
        if let Value::Object(w) = &mut written {
            for (k, v) in object.iter().filter(|(k, _)| k.as_str() != "$ref") {
                w.insert(k.clone(), v.clone());
            }
        }
        Ok(Some(written))
    }

    /// A component of the description that is only a reference to a component of another
    /// file (`Problem: {$ref: ../../models/problem/...#/components/schemas/Problem}`) is
    /// replaced by what it names, under its own name.
    fn aliases(&mut self) {
        let resolver = super::refs::Resolver::new(&self.api.docs);
        let Some(components) = self.api.docs[0].value.get("components").and_then(Value::as_object) else { return };
        for (kind, section) in components {
            let Some(section) = section.as_object() else { continue };
            for (name, value) in section {
                let Some(Value::String(reference)) = value.get("$ref") else { continue };
                if value.as_object().is_some_and(|o| o.len() > 1) {
                    continue;
                }
                let Ok((target, pointer)) = resolver.target(0, reference) else { continue };
                let other_component =
                    pointer.strip_prefix(&format!("/components/{kind}/")).is_some_and(|n| !n.contains('/'));
                if target == 0 || !other_component || self.names.contains_key(&(target, pointer.clone())) {
                    continue;
                }
                self.names.insert((target, pointer.clone()), name.clone());
                self.queue.push((target, pointer, kind.clone(), name.clone()));
            }
        }
    }

    /// The bundle's name for a component of another file, queued to be written once.
    fn component(&mut self, doc: usize, pointer: &str, kind: &str, name: &str) -> String {
        if let Some(local) = self.names.get(&(doc, pointer.to_string())) {
            return local.clone();
        }
        let api = self.api;
        let taken = self.taken.entry(kind.to_string()).or_insert_with(|| {
            api.docs[0]
                .value
                .pointer(&format!("/components/{kind}"))
                .and_then(Value::as_object)
                .map(|o| o.keys().cloned().collect())
                .unwrap_or_default()
        });
        let local = std::iter::once(name.to_string())
            .chain((2..).map(|n| format!("{name}{n}")))
            .find(|candidate| !taken.contains(candidate))
            .expect("an unbounded sequence has a free name");
        taken.push(local.clone());
        self.names.insert((doc, pointer.to_string()), local.clone());
        self.queue.push((doc, pointer.to_string(), kind.to_string(), local.clone()));
        local
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalogue::openapi::LoadOptions;

    const ROOT: &str = r##"openapi: 3.1.0
info: { title: t, version: "1" }
paths:
  /a:
    get:
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema: { $ref: "shared.yaml#/components/schemas/Problem" }
        "400":
          description: bad
          content:
            application/json:
              schema: { $ref: "#/components/schemas/Wrapped" }
components:
  schemas:
    Problem: { type: string }
    Wrapped: { $ref: "shared.yaml#/components/schemas/Wrapper" }
"##;
    const SHARED: &str = r##"openapi: 3.1.0
info: { title: s, version: "1" }
components:
  schemas:
    Problem:
      type: object
      properties: { code: { $ref: "#/$defs/Code" } }
    Wrapper:
      type: object
      properties: { inner: { $ref: "#/components/schemas/Problem" } }
"##;

    #[test]
    fn components_of_other_files_are_taken_in_under_free_names_and_inline_the_rest() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("openapi.yaml"), ROOT).unwrap();
        std::fs::write(
            dir.path().join("shared.yaml"),
            SHARED.replace("components:\n", "$defs:\n  Code: { type: integer }\ncomponents:\n"),
        )
        .unwrap();
        let api = ApiDoc::load(&dir.path().join("openapi.yaml"), &LoadOptions::default()).unwrap();
        let b = bundle(&api).unwrap();
        let schemas = &b["components"]["schemas"];
        // The description's own Problem keeps its name; the other file's becomes Problem2.
        assert_eq!(schemas["Problem"], serde_json::json!({ "type": "string" }));
        assert_eq!(
            b.pointer("/paths/~1a/get/responses/200/content/application~1json/schema/$ref").unwrap(),
            "#/components/schemas/Problem2"
        );
        // A component that only named another file's is replaced by what it named.
        assert_eq!(schemas["Wrapped"]["properties"]["inner"]["$ref"], "#/components/schemas/Problem2");
        // Not a component: written out in place.
        assert_eq!(schemas["Problem2"]["properties"]["code"], serde_json::json!({ "type": "integer" }));
        assert!(!serde_json::to_string(&b).unwrap().contains("shared.yaml"));
    }
}
