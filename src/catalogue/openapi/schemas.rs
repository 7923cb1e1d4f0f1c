//! Compiled schema validators, built lazily and cached.
//!
//! All files of a description are registered once in a shared `referencing::Registry`
//! (translated to JSON Schema 2020-12 first when the description is OpenAPI 3.0). A validator
//! for one place is a tiny schema `{"$ref": "<file-uri>#<pointer>"}` compiled against that
//! registry, so compiling costs what the referenced schema costs, not what the whole
//! document costs. Validators are compiled on first use and cached by location.

use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, OnceLock};

use jsonschema::{Draft, Registry, Validator};
use percent_encoding::{utf8_percent_encode, AsciiSet, CONTROLS};
use serde_json::{json, Value};

use super::{dialect, walk, Doc, OasVersion, SchemaLoc};

/// One way a value fails a schema.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Violation {
    /// JSON pointer of the offending value in the instance (`""` for the whole value).
    pub instance_path: String,
    /// The schema keyword that failed (`type`, `required`, `enum`...).
    pub keyword: String,
    /// What the keyword asked for, where that is one short value: the missing property
    /// of `required`, the type of `type`, the limit of `minLength`... (for messages in any
    /// language, where `message` is the validator's English).
    pub wanted: Option<String>,
    pub message: String,
}

/// Characters that must be escaped in a URI fragment holding a JSON pointer.
const FRAGMENT: &AsciiSet = &CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'<')
    .add(b'>')
    .add(b'`')
    .add(b'{')
    .add(b'}')
    .add(b'%')
    .add(b'#')
    .add(b'|')
    .add(b'\\')
    .add(b'^')
    .add(b'[')
    .add(b']');

/// How many schemas `check` compiles as one validator (dropped before the next). One
/// validator for all of them held 218 MB at its peak on GitHub's description, 98 MB on
/// Stripe's; chunks of 500 hold 192 and 74 MB for the same time, and smaller chunks save
/// little more memory and cost time, as shared schemas are compiled again in each
/// (docs/performance.md, "`check` on the largest documents").
pub const CHECK_CHUNK: usize = 500;

pub struct SchemaSet {
    version: OasVersion,
    docs: Vec<Doc>,
    /// Built on first use: the (translated) documents registered under their URIs.
    registry: OnceLock<Result<Registry<'static>, String>>,
    /// Found on first use: the description's schema roots and the `$ref`s that hold one
    /// ([`walk::schema_places`]), which the translation and `check` both need.
    places: OnceLock<(Vec<SchemaLoc>, Vec<SchemaLoc>)>,
    cache: Mutex<HashMap<SchemaLoc, Arc<Validator>>>,
    /// Validators built so far, kept or not (see [`SchemaSet::compilations`]).
    compilations: AtomicUsize,
}

impl SchemaSet {
    pub fn new(docs: &[Doc], version: OasVersion) -> SchemaSet {
        SchemaSet {
            version,
            docs: docs.to_vec(),
            registry: OnceLock::new(),
            places: OnceLock::new(),
            cache: Mutex::new(HashMap::new()),
            compilations: AtomicUsize::new(0),
        }
    }

    fn registry(&self) -> Result<&Registry<'static>, String> {
        self.registry
            .get_or_init(|| {
                let values: Vec<Arc<Value>> = match self.version {
                    OasVersion::V31 => self.docs.iter().map(|d| d.value.clone()).collect(),
                    OasVersion::V30 => {
                        let (roots, holders) = self.places();
                        let places: Vec<SchemaLoc> = roots.iter().chain(holders).cloned().collect();
                        dialect::translate_docs(&self.docs, &places).into_iter().map(Arc::new).collect()
                    }
                };
                let resources = self.docs.iter().map(|d| d.uri.clone()).zip(values);
                Registry::new()
                    .draft(Draft::Draft202012)
                    .extend(resources)
                    .and_then(|b| b.prepare())
                    .map_err(|e| format!("cannot register the description's schemas: {e}"))
            })
            .as_ref()
            .map_err(Clone::clone)
    }

    /// Every top-level schema position of the description, and the places that hold one by
    /// `$ref` ([`walk::schema_places`]), found once.
    pub fn places(&self) -> &(Vec<SchemaLoc>, Vec<SchemaLoc>) {
        self.places.get_or_init(|| walk::schema_places(&self.docs))
    }

    /// The compiled validator for the schema at `loc` (compiled once, then cached).
    pub fn validator(&self, loc: &SchemaLoc) -> Result<Arc<Validator>, String> {
        if let Some(v) = self.cache.lock().unwrap_or_else(|e| e.into_inner()).get(loc) {
            return Ok(v.clone());
        }
        let validator = Arc::new(self.compile_one(loc)?);
        self.cache.lock().unwrap_or_else(|e| e.into_inner()).insert(loc.clone(), validator.clone());
        Ok(validator)
    }

    /// Whether each schema at `locs` compiles: the message of each that does not, by its
    /// index in `locs`. Nothing is cached, and every validator is dropped before this returns.
    ///
    /// They are first compiled together, [`CHECK_CHUNK`] at a time, as one validator referring
    /// to each: within one compilation jsonschema compiles a `$ref`'s target once and shares
    /// it, so a schema that many others use (`simple-user` in GitHub's description, hundreds
    /// of times) costs its compilation once per chunk rather than once per user. Compiling
    /// each alone, as validating does, compiles what it references again each time, and kept
    /// every copy (Stripe's description took 1 GB that way). Only when that fails is each
    /// compiled alone, to say which fail with the same message as when a run compiles it (only
    /// the schemas of a chunk that failed).
    pub fn compile_check(&self, locs: &[SchemaLoc]) -> Vec<(usize, String)> {
        if locs.is_empty() {
            return Vec::new();
        }
        let registry = self.registry().ok();
        let mut failures = Vec::new();
        for (c, part) in locs.chunks(CHECK_CHUNK).enumerate() {
            let together = registry.is_some_and(|registry| {
                let refs: Vec<Value> = part.iter().map(|loc| json!({ "$ref": self.uri_of(loc) })).collect();
                self.compile_with(registry, &json!({ "anyOf": refs })).is_ok()
            });
            if !together {
                // Only this chunk's schemas are compiled alone.
                let first = c * CHECK_CHUNK;
                failures.extend(
                    part.iter().enumerate().filter_map(|(i, loc)| self.compile_one(loc).err().map(|m| (first + i, m))),
                );
            }
        }
        failures
    }

    /// Counts compilations of a schema set by [`SchemaSet::compile_check`] and
    /// [`SchemaSet::validator`] (for tests).
    pub fn compilations(&self) -> usize {
        self.compilations.load(Ordering::Relaxed)
    }

    fn compile_one(&self, loc: &SchemaLoc) -> Result<Validator, String> {
        let registry = self.registry()?;
        self.compile_with(registry, &json!({ "$ref": self.uri_of(loc) })).map_err(|e| {
            format!("the schema at `{}` does not compile: {}", loc.pointer, crate::model::shorten(&e.to_string(), 200))
        })
    }

    fn compile_with(&self, registry: &Registry<'static>, schema: &Value) -> Result<Validator, String> {
        self.compilations.fetch_add(1, Ordering::Relaxed);
        jsonschema::options()
            .with_draft(Draft::Draft202012)
            .with_registry(registry)
            .should_validate_formats(true)
            .build(schema)
            .map_err(|e| e.to_string())
    }

    /// The registry URI of the schema at `loc`.
    fn uri_of(&self, loc: &SchemaLoc) -> String {
        format!("{}#{}", self.docs[loc.doc].uri, utf8_percent_encode(&loc.pointer, FRAGMENT))
    }

    /// Validates a value, returning every violation (empty when valid).
    pub fn validate(&self, loc: &SchemaLoc, instance: &Value) -> Result<Vec<Violation>, String> {
        let validator = self.validator(loc)?;
        // Most responses are valid; `is_valid` stops early and builds no error.
        if validator.is_valid(instance) {
            return Ok(Vec::new());
        }
        Ok(validator
            .iter_errors(instance)
            .take(50)
            .map(|e| Violation {
                instance_path: e.instance_path().to_string(),
                keyword: keyword_of(&e.schema_path().to_string()),
                wanted: wanted_by(e.kind()),
                message: e.to_string(),
            })
            .collect())
    }

    /// A readable name for a schema: the `$ref` it consists of (`#/components/schemas/Case`),
    /// else its pointer.
    pub fn describe(&self, loc: &SchemaLoc) -> String {
        match crate::model::pointer::get(&self.docs[loc.doc].value, &loc.pointer)
            .and_then(|v| v.get("$ref"))
            .and_then(Value::as_str)
        {
            Some(r) => r.to_string(),
            None => format!("#{}", loc.pointer),
        }
    }

    /// Number of compiled validators in the cache (for tests and benchmarks).
    pub fn compiled_count(&self) -> usize {
        self.cache.lock().unwrap_or_else(|e| e.into_inner()).len()
    }
}

/// What a failed keyword asked for, as one short value (see [`Violation::wanted`]).
fn wanted_by(kind: &jsonschema::error::ValidationErrorKind) -> Option<String> {
    use jsonschema::error::{TypeKind, ValidationErrorKind as K};
    Some(match kind {
        K::Required { property } => property.to_string(),
        K::Type { kind: TypeKind::Single(t) } => t.to_string(),
        K::Type { kind: TypeKind::Multiple(set) } => set.iter().map(|t| t.to_string()).collect::<Vec<_>>().join(", "),
        K::AdditionalProperties { unexpected } | K::UnevaluatedProperties { unexpected } => unexpected.join(", "),
        K::Enum { options } => options.to_string(),
        K::Constant { expected_value } => expected_value.to_string(),
        K::Format { format } => format.clone(),
        K::Pattern { pattern } => pattern.clone(),
        K::Minimum { limit } | K::Maximum { limit } | K::ExclusiveMinimum { limit } | K::ExclusiveMaximum { limit } => {
            limit.to_string()
        }
        K::MinLength { limit }
        | K::MaxLength { limit }
        | K::MinItems { limit }
        | K::MaxItems { limit }
        | K::MinProperties { limit }
        | K::MaxProperties { limit } => limit.to_string(),
        _ => return None,
    })
}

/// The last keyword segment of a schema path such as `/properties/a/type`.
fn keyword_of(schema_path: &str) -> String {
    schema_path.rsplit('/').find(|s| !s.is_empty() && s.parse::<usize>().is_err()).unwrap_or("").to_string()
}
