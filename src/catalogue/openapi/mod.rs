//! OpenAPI documents as they really are: 3.0 and 3.1, YAML and JSON, split over several
//! files, with recursive schemas.
//!
//! The document is kept as `serde_json::Value` rather than a typed model: the typed crates
//! model either 3.0 (`openapiv3`) or 3.1 (`oas3`) and reject a whole document over one odd
//! field, while konform must read both versions, keep going past defects to report them all,
//! and point at the JSON pointer (and so the line) of each. The operation index in
//! [`index`] extracts exactly what runs and checks need.

pub mod bundle;
mod dialect;
pub mod index;
mod refs;
pub mod schemas;
pub mod security;
pub mod walk;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde_json::Value;

use crate::diag::Diag;
use crate::source::SourceFile;

pub use dialect::subschema_places as dialect_subschemas;
pub use index::{Operation, ParamIn, Parameter};
pub use refs::Resolver;
pub use schemas::SchemaSet;

/// Where a schema is written: document index and JSON pointer.
#[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize)]
pub struct SchemaLoc {
    pub doc: usize,
    pub pointer: String,
}

impl SchemaLoc {
    pub fn doc_pointer(&self) -> (usize, String) {
        (self.doc, self.pointer.clone())
    }
}

/// The OpenAPI major.minor line a document follows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub enum OasVersion {
    #[serde(rename = "3.0")]
    V30,
    #[serde(rename = "3.1")]
    V31,
}

/// Options for loading.
#[derive(Debug, Clone, Default)]
pub struct LoadOptions {
    /// Fetch `http(s)` references instead of refusing them.
    pub allow_remote_refs: bool,
    /// Report defects that do not stop reading (duplicate operationIds) as warnings.
    /// Used by `lint`, which judges documents rather than running them.
    pub lenient: bool,
    /// The folder referenced files must stay in; `None` means the root document's folder.
    pub boundary: Option<crate::source::Boundary>,
    /// Largest remote document read (`None`: [`crate::net::DEFAULT_MAX_BODY`], as for responses).
    pub max_remote_bytes: Option<usize>,
    /// Files read in place of others (`from`, `to`): a reference into `from` reads `to`, known
    /// by `from`'s URI. How `konform diff` of two information model versions sees a
    /// specification as it would be with the new version.
    pub redirect: Vec<(PathBuf, PathBuf)>,
    /// The root document is a file of the catalogue built into konform: it and every file
    /// it refers to are read from konform itself, never from the disk (the reference
    /// vendor's descriptions, which use the catalogue's information models).
    pub built_in: bool,
}

/// One file of a multi-file description.
#[derive(Debug, Clone)]
pub struct Doc {
    pub file: Arc<SourceFile>,
    /// The URI the file is known by in `$ref`s and in the schema registry.
    pub uri: String,
    pub value: Arc<Value>,
}

/// A loaded, indexed OpenAPI description.
pub struct ApiDoc {
    pub version: OasVersion,
    /// The `openapi` field as written, such as `3.0.3`.
    pub declared_version: String,
    pub title: String,
    /// `docs[0]` is the root document; the rest were reached through `$ref`s.
    pub docs: Vec<Doc>,
    pub operations: Vec<Operation>,
    by_id: HashMap<String, usize>,
    pub schemas: SchemaSet,
    /// Non-fatal findings made while loading (reported by `check`).
    pub warnings: Vec<Diag>,
}

impl std::fmt::Debug for ApiDoc {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ApiDoc").field("title", &self.title).field("operations", &self.operations.len()).finish()
    }
}

impl ApiDoc {
    /// Loads a description and everything it references. Errors are returned all at once.
    pub fn load(path: &Path, options: &LoadOptions) -> Result<ApiDoc, Vec<Diag>> {
        let root = SourceFile::read(path).map_err(|m| vec![Diag::error("openapi::read", m)])?;
        ApiDoc::load_source(root, options)
    }

    /// Loads a description of the catalogue built into konform, named by its path in it
    /// (`case-intake/2.0.0/openapi.yaml`), with the files it refers to.
    pub fn load_built_in(name: &str) -> Result<ApiDoc, Vec<Diag>> {
        let root = refs::built_in_file(name).map_err(|m| vec![Diag::error("openapi::read", m)])?;
        ApiDoc::load_source(root, &LoadOptions { built_in: true, ..LoadOptions::default() })
    }

    pub fn load_source(root: Arc<SourceFile>, options: &LoadOptions) -> Result<ApiDoc, Vec<Diag>> {
        let value = root.parse().map_err(|e| {
            vec![Diag::error("openapi::parse", format!("{}: {}", root.name, e.message)).at(&root, e.span).label("here")]
        })?;
        let (version, declared) = detect_version(&root, &value).map_err(|d| vec![d])?;
        let title = value.pointer("/info/title").and_then(Value::as_str).unwrap_or("").to_string();

        let mut options = options.clone();
        if options.boundary.is_none() {
            options.boundary = Some(crate::source::Boundary::document(&root.path));
        }
        let mut docs = refs::DocSet::new(root, value, options.clone());
        let mut errors = docs.load_referenced();
        errors.extend(docs.check_refs());
        if !errors.is_empty() {
            return Err(errors);
        }
        let docs = docs.into_docs();
        let (operations, mut problems) = index::build(&docs);
        let mut warnings = Vec::new();
        let lenient = options.lenient;
        problems.retain(|d| {
            let keep =
                d.level == crate::diag::Level::Error && !(lenient && d.code == "openapi::duplicate-operation-id");
            if !keep {
                warnings.push(d.clone());
            }
            keep
        });
        if !problems.is_empty() {
            return Err(problems);
        }
        let mut by_id = HashMap::new();
        for (i, op) in operations.iter().enumerate() {
            by_id.insert(op.id.clone(), i);
        }
        let schemas = SchemaSet::new(&docs, version);
        Ok(ApiDoc { version, declared_version: declared, title, docs, operations, by_id, schemas, warnings })
    }

    /// Finds an operation by `operationId`, or by `METHOD /path` when it has none.
    pub fn operation(&self, id: &str) -> Option<&Operation> {
        if let Some(i) = self.by_id.get(id) {
            return Some(&self.operations[*i]);
        }
        let (method, path) = id.split_once(' ')?;
        self.operations.iter().find(|op| op.method.eq_ignore_ascii_case(method) && op.path == path.trim())
    }

    pub fn operation_ids(&self) -> impl Iterator<Item = &str> {
        self.operations.iter().map(|op| op.id.as_str())
    }

    /// Number of named component schemas (`components.schemas`) across all files.
    pub fn component_schema_count(&self) -> usize {
        self.docs
            .iter()
            .filter_map(|d| d.value.pointer("/components/schemas").and_then(Value::as_object))
            .map(|m| m.len())
            .sum()
    }

    pub fn root_path(&self) -> &PathBuf {
        &self.docs[0].file.path
    }

    /// The value at a location, following `$ref`s: (document, pointer, value).
    pub fn resolve(&self, doc: usize, pointer: &str) -> Result<(usize, String, &Value), String> {
        refs::Resolver::new(&self.docs).resolve(doc, pointer)
    }

    /// A resolver of references between the description's files, for walking many of them.
    pub fn resolver(&self) -> Resolver<'_> {
        Resolver::new(&self.docs)
    }

    /// What a `$ref` written in document `doc` denotes.
    pub fn resolve_ref(&self, doc: usize, reference: &str) -> Option<(usize, &Value)> {
        let resolver = refs::Resolver::new(&self.docs);
        let (d, p) = resolver.target(doc, reference).ok()?;
        let (d, _, v) = resolver.resolve(d, &p).ok()?;
        Some((d, v))
    }

    /// Compiles every schema the document declares, returning how many compile and a
    /// diagnostic per failure. The validators are not kept (see [`SchemaSet::compile_check`]).
    pub fn compile_all_schemas(&self) -> (usize, Vec<Diag>) {
        let roots = &self.schemas.places().0;
        let failures = self.schemas.compile_check(roots);
        let mut diags = crate::diag::Placed::default();
        for (i, message) in &failures {
            let loc = &roots[*i];
            diags.push(Diag::error("openapi::schema", message.clone()), &self.docs[loc.doc].file, &loc.pointer);
        }
        (roots.len() - failures.len(), diags.finish())
    }

    /// A diagnostic pointing at a place in one of the files.
    pub fn diag_at(&self, at: &(usize, String), code: &'static str, message: String) -> Diag {
        let doc = &self.docs[at.0];
        let span = doc.file.locate(&[at.1.as_str()]).value(&at.1);
        Diag::error(code, message).at(&doc.file, span)
    }
}

fn detect_version(root: &Arc<SourceFile>, value: &Value) -> Result<(OasVersion, String), Diag> {
    let at = |ptr: &str| root.locate(&[ptr]).key(ptr);
    let Some(map) = value.as_object() else {
        return Err(Diag::error(
            "openapi::not-a-document",
            format!("{} is not an OpenAPI document: expected a mapping at the top", root.name),
        )
        .at(root, root.span_at(1, 0, 1)));
    };
    if let Some(v) = map.get("swagger") {
        let shown = v.as_str().map(str::to_string).unwrap_or_else(|| v.to_string());
        return Err(Diag::error(
            "openapi::swagger2",
            format!("{} is a Swagger {shown} document; konform reads OpenAPI 3.0 and 3.1", root.name),
        )
        .at(root, at("/swagger"))
        .label("Swagger 2.0")
        .help("convert it to OpenAPI 3 first, for example with `npx swagger2openapi in.yaml -o out.yaml`"));
    }
    let Some(declared) = map.get("openapi") else {
        return Err(Diag::error(
            "openapi::no-version",
            format!("{} has no `openapi` field, so it is not an OpenAPI 3 document", root.name),
        )
        .at(root, root.span_at(1, 0, 1))
        .help("an OpenAPI document starts with `openapi: 3.0.3` or `openapi: 3.1.0`"));
    };
    let declared = match declared {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    };
    let version = if declared.starts_with("3.0") {
        OasVersion::V30
    } else if declared.starts_with("3.1") {
        OasVersion::V31
    } else {
        return Err(Diag::error("openapi::unsupported-version", format!("unsupported OpenAPI version `{declared}`"))
            .at(root, at("/openapi"))
            .help("konform reads OpenAPI 3.0.x and 3.1.x"));
    };
    Ok((version, declared))
}
