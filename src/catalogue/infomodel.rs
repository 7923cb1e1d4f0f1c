//! Information models: versioned concepts (a problem, an attachment, a person) defined once
//! for the whole catalogue, with every property defined in the catalogue's languages, and
//! used by specifications through a `$ref` into the model's schemas.
//!
//! A model is a folder `<id>/<version>/` (under `models/` by convention) holding `model.yaml`
//! (id, version, status, lifecycle, title, description) and the schemas file it names: an
//! OpenAPI 3.1 document with `components.schemas` only, so that any OpenAPI tool can follow
//! a specification's reference into it. Each component schema is a *concept*; its
//! `x-konform-definition` and every property's say what it means, and `x-konform-key` names
//! the properties that give the concept away when a specification writes it out again.
//!
//! The loader reads models as it reads specifications (confined to the catalogue, every
//! problem a diagnostic at file:line); [`check_uses`] reports a specification that defines a
//! concept again instead of using the model.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::lifecycle::Lifecycle;
use super::openapi::{ApiDoc, LoadOptions};
use super::{Catalogue, Spec, Status};
use crate::diag::Diag;
use crate::model::{Lang, Localized};
use crate::source::{display_path, escape_pointer, Boundary, SourceFile};

/// The file that marks a folder as one version of an information model.
pub const MODEL_FILE: &str = "model.yaml";

/// The extension that defines a concept or a property in the catalogue's languages.
pub const DEFINITION: &str = "x-konform-definition";
/// The extension naming the properties that identify a concept.
pub const KEY: &str = "x-konform-key";
/// The extension that marks a specification's schema as a documented extension of a concept.
pub const EXTENDS: &str = "x-konform-extends";

/// `model.yaml`.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ModelMeta {
    pub id: String,
    pub version: semver::Version,
    pub status: Status,
    #[serde(default, skip_serializing_if = "Lifecycle::is_empty")]
    pub lifecycle: Lifecycle,
    pub title: Localized,
    #[serde(default)]
    pub description: Option<Localized>,
    /// The schemas file (an OpenAPI document with components only), relative to the folder.
    #[serde(default = "default_schemas")]
    pub schemas: String,
}

fn default_schemas() -> String {
    "schemas.yaml".into()
}

/// One property of a concept.
#[derive(Debug, Clone, Serialize)]
pub struct Property {
    pub name: String,
    /// Its type as a person reads it: `string (uri-reference)`, `integer`, `Attachment`.
    pub shape: String,
    pub required: bool,
    pub definition: Option<Localized>,
    #[serde(skip)]
    pub pointer: String,
}

/// One concept: a component schema of the model.
#[derive(Debug, Clone, Serialize)]
pub struct Concept {
    pub name: String,
    pub definition: Option<Localized>,
    /// The properties that identify it (`x-konform-key`, else its required properties).
    pub key: Vec<String>,
    pub properties: Vec<Property>,
    /// `/components/schemas/<name>` in the schemas file.
    #[serde(skip)]
    pub pointer: String,
}

/// One version of one information model, as loaded.
pub struct InfoModel {
    pub dir: PathBuf,
    pub meta_file: Arc<SourceFile>,
    pub meta: ModelMeta,
    /// `None` when the schemas could not be loaded (their errors are in the diagnostics).
    pub api: Option<ApiDoc>,
    pub concepts: Vec<Concept>,
    /// The languages its texts are written in (the catalogue's).
    pub languages: Vec<Lang>,
}

impl InfoModel {
    /// `id@version`.
    pub fn key(&self) -> String {
        format!("{}@{}", self.meta.id, self.meta.version)
    }

    /// The schemas file, as the loader names it.
    pub fn schemas_path(&self) -> PathBuf {
        self.dir.join(&self.meta.schemas)
    }

    pub fn concept(&self, name: &str) -> Option<&Concept> {
        self.concepts.iter().find(|c| c.name == name)
    }

    /// Whether `path` is this model's schemas file.
    pub fn is_schemas_file(&self, path: &Path) -> bool {
        crate::source::same_file(&self.schemas_path(), path)
    }

    /// Every file it consists of, with the SHA-256 (hex) of the bytes loaded.
    pub fn files(&self) -> Vec<(PathBuf, String)> {
        let mut files = vec![(self.meta_file.path.clone(), self.meta_file.sha256_hex().to_string())];
        if let Some(api) = &self.api {
            files.extend(api.docs.iter().map(|d| (d.file.path.clone(), d.file.sha256_hex().to_string())));
        }
        files.sort();
        files.dedup();
        files
    }
}

/// Loads one `model.yaml` and its schemas; problems go to `diags`.
pub fn load(path: &Path, options: &LoadOptions, boundary: &Boundary, diags: &mut Vec<Diag>) -> Option<InfoModel> {
    let (dir, meta_file, meta) = super::load_entry::<ModelMeta>(
        path,
        ("information model ", "keep each model version in <catalogue>/models/<id>/<version>/"),
        |m| (&m.id, &m.version),
        diags,
    )?;
    let schemas_path = dir.join(&meta.schemas);
    let api = match boundary.admits(&schemas_path) {
        Err(why) => {
            diags.push(
                Diag::error("catalogue::outside", format!("`schemas: {}` {why}", meta.schemas))
                    .at(&meta_file, meta_file.locate(&["/schemas"]).value("/schemas"))
                    .help(boundary.rule()),
            );
            None
        }
        Ok(()) => match ApiDoc::load(&schemas_path, options) {
            Ok(api) => {
                diags.extend(api.warnings.iter().cloned());
                Some(api)
            }
            Err(errors) => {
                diags.extend(errors);
                None
            }
        },
    };
    let concepts = api.as_ref().map(|api| concepts(&meta, api, diags)).unwrap_or_default();
    Some(InfoModel { dir, meta_file, meta, api, concepts, languages: Lang::ALL.to_vec() })
}

/// The concepts of a model's schemas file, each checked: defined, every property defined,
/// its key made of its own properties.
fn concepts(meta: &ModelMeta, api: &ApiDoc, diags: &mut Vec<Diag>) -> Vec<Concept> {
    let root = &api.docs[0].value;
    let Some(schemas) = root.pointer("/components/schemas").and_then(Value::as_object).filter(|m| !m.is_empty()) else {
        diags.push(
            api.diag_at(
                &(0, String::new()),
                "model::no-concepts",
                format!(
                    "the information model {}@{} defines no concept (components.schemas is empty)",
                    meta.id, meta.version
                ),
            )
            .help("define each concept of the model as a schema under components.schemas"),
        );
        return Vec::new();
    };
    let mut out = Vec::new();
    for (name, schema) in schemas {
        let pointer = format!("/components/schemas/{}", escape_pointer(name));
        let definition = definition_of(api, &pointer, schema, &format!("the concept {name}"), diags);
        let required: BTreeSet<&str> = required_of(schema);
        let mut properties = Vec::new();
        for (prop, at, value) in inline_properties(schema, &pointer) {
            let what = format!("the property {name}.{prop}");
            let definition = definition_of(api, &at, value, &what, diags);
            properties.push(Property {
                shape: shape(value),
                required: required.contains(prop.as_str()),
                name: prop,
                definition,
                pointer: at,
            });
        }
        let key = match schema.get(KEY) {
            None => required.iter().map(|s| s.to_string()).collect(),
            Some(Value::Array(items)) if items.iter().all(Value::is_string) => {
                let key: Vec<String> = items.iter().filter_map(Value::as_str).map(str::to_string).collect();
                for (i, k) in key.iter().enumerate() {
                    if !properties.iter().any(|p| &p.name == k) {
                        let names: Vec<&str> = properties.iter().map(|p| p.name.as_str()).collect();
                        let hint = crate::diag::did_you_mean(k, names).map(|h| format!("; {h}")).unwrap_or_default();
                        diags.push(api.diag_at(
                            &(0, format!("{pointer}/{KEY}/{i}")),
                            "model::key",
                            format!("`{KEY}` of {name} names `{k}`, which is not one of its properties{hint}"),
                        ));
                    }
                }
                key
            }
            Some(_) => {
                diags.push(api.diag_at(
                    &(0, format!("{pointer}/{KEY}")),
                    "model::key",
                    format!("`{KEY}` of {name} must be a list of its property names"),
                ));
                Vec::new()
            }
        };
        out.push(Concept { name: name.clone(), definition, key, properties, pointer });
    }
    out
}

/// A schema's `x-konform-definition`, or an error where the schema is written.
fn definition_of(api: &ApiDoc, pointer: &str, schema: &Value, what: &str, diags: &mut Vec<Diag>) -> Option<Localized> {
    match schema.get(DEFINITION) {
        None => {
            diags.push(
                api.diag_at(
                    &(0, pointer.to_string()),
                    "model::definition",
                    format!("{what} has no `{DEFINITION}`: an information model defines everything it holds"),
                )
                .help(format!("add `{DEFINITION}: {{ sv: ..., en: ... }}` saying what it means")),
            );
            None
        }
        Some(v) => match serde_json::from_value::<Localized>(v.clone()) {
            Ok(l) => Some(l),
            Err(e) => {
                diags.push(api.diag_at(
                    &(0, format!("{pointer}/{DEFINITION}")),
                    "model::definition",
                    format!("`{DEFINITION}` of {what} must be texts by language (`sv`, `en`): {e}"),
                ));
                None
            }
        },
    }
}

/// The names in a schema's `required` (and its `allOf` parts' written in place).
fn required_of(schema: &Value) -> BTreeSet<&str> {
    let mut out = BTreeSet::new();
    for part in std::iter::once(schema).chain(all_of(schema)) {
        if let Some(list) = part.get("required").and_then(Value::as_array) {
            out.extend(list.iter().filter_map(Value::as_str));
        }
    }
    out
}

fn all_of(schema: &Value) -> impl Iterator<Item = &Value> {
    schema.get("allOf").and_then(Value::as_array).into_iter().flatten()
}

/// The properties written in a schema itself and in its `allOf` parts written in place
/// (not those reached through a `$ref`): (name, pointer, schema).
pub fn inline_properties<'v>(schema: &'v Value, pointer: &str) -> Vec<(String, String, &'v Value)> {
    let mut out = Vec::new();
    let mut add = |part: &'v Value, at: String| {
        if let Some(props) = part.get("properties").and_then(Value::as_object) {
            for (name, value) in props {
                out.push((name.clone(), format!("{at}/properties/{}", escape_pointer(name)), value));
            }
        }
    };
    add(schema, pointer.to_string());
    for (i, part) in all_of(schema).enumerate() {
        if part.get("$ref").is_none() {
            add(part, format!("{pointer}/allOf/{i}"));
        }
    }
    out
}

/// A property's type as a person reads it.
fn shape(schema: &Value) -> String {
    if let Some(r) = schema.get("$ref").and_then(Value::as_str) {
        return r.rsplit('/').next().unwrap_or(r).to_string();
    }
    let ty = match schema.get("type") {
        Some(Value::String(t)) => t.clone(),
        Some(Value::Array(ts)) => ts.iter().filter_map(Value::as_str).collect::<Vec<_>>().join(" | "),
        _ => "any".into(),
    };
    let ty = match (ty.as_str(), schema.pointer("/items/$ref").and_then(Value::as_str)) {
        ("array", Some(r)) => format!("array of {}", r.rsplit('/').next().unwrap_or(r)),
        _ => ty,
    };
    match schema.get("format").and_then(Value::as_str) {
        Some(f) => format!("{ty} ({f})"),
        None => ty,
    }
}

/// Every text of a model is written in its catalogue's languages.
pub fn check_languages(model: &InfoModel, diags: &mut Vec<Diag>) {
    let mut missing = |file: &Arc<SourceFile>, pointer: &str, what: &str, text: &Localized, at_doc: Option<&ApiDoc>| {
        for lang in &model.languages {
            if text.has(*lang) {
                continue;
            }
            let code = lang.code();
            let message = format!("{what} of the information model {} has no `{code}` text", model.key());
            let diag = match at_doc {
                Some(api) => api.diag_at(&(0, pointer.to_string()), "catalogue::languages", message),
                None => Diag::error("catalogue::languages", message).at(file, file.locate(&[pointer]).value(pointer)),
            };
            diags.push(diag.help("write every text of a model in each language of the catalogue"));
        }
    };
    missing(&model.meta_file, "/title", "the title", &model.meta.title, None);
    if let Some(d) = &model.meta.description {
        missing(&model.meta_file, "/description", "the description", d, None);
    }
    let Some(api) = &model.api else { return };
    for c in &model.concepts {
        if let Some(d) = &c.definition {
            missing(
                &model.meta_file,
                &format!("{}/{DEFINITION}", c.pointer),
                &format!("the definition of {}", c.name),
                d,
                Some(api),
            );
        }
        for p in &c.properties {
            if let Some(d) = &p.definition {
                let what = format!("the definition of {}.{}", c.name, p.name);
                missing(&model.meta_file, &format!("{}/{DEFINITION}", p.pointer), &what, d, Some(api));
            }
        }
    }
}

/// The model versions a specification's description reaches through its `$ref`s.
pub fn used_by_spec<'c>(catalogue: &'c Catalogue, spec: &Spec) -> Vec<&'c InfoModel> {
    let Some(api) = &spec.api else { return Vec::new() };
    catalogue.models.iter().filter(|m| api.docs.iter().any(|d| m.is_schemas_file(&d.file.path))).collect()
}

/// The specification versions whose descriptions use a model version.
pub fn users<'c>(catalogue: &'c Catalogue, model: &InfoModel) -> Vec<&'c Spec> {
    catalogue
        .specs
        .iter()
        .filter(|s| s.api.as_ref().is_some_and(|a| a.docs.iter().any(|d| model.is_schemas_file(&d.file.path))))
        .collect()
}

/// Whether a model binds a specification: it is in force (active or deprecated) and was
/// published no later than the specification (a version published before the model existed
/// is not asked to use it; its next version is). An unpublished side binds.
fn binds(model: &InfoModel, spec: &Spec) -> bool {
    matches!(model.meta.status, Status::Active | Status::Deprecated)
        && match (model.meta.lifecycle.published, spec.meta.lifecycle.published) {
            (Some(m), Some(s)) => m <= s,
            _ => true,
        }
}

/// Reports every schema of a specification's description that defines again a concept a
/// binding model holds, instead of using it (`$ref`, or `allOf` with a `$ref` to add to
/// it), and every `x-konform-extends` that names no concept or drops the concept's key.
pub fn check_uses(catalogue: &Catalogue, diags: &mut Vec<Diag>) {
    for spec in &catalogue.specs {
        let Some(api) = &spec.api else { continue };
        // Per model id, the newest version that binds this specification.
        let mut binding: Vec<&InfoModel> = Vec::new();
        for m in catalogue.models.iter().filter(|m| binds(m, spec)) {
            match binding.iter_mut().find(|b| b.meta.id == m.meta.id) {
                Some(b) if b.meta.version < m.meta.version => *b = m,
                Some(_) => {}
                None => binding.push(m),
            }
        }
        let model_doc = |doc: usize| catalogue.models.iter().any(|m| m.is_schemas_file(&api.docs[doc].file.path));
        for (doc, d) in api.docs.iter().enumerate() {
            if model_doc(doc) {
                continue;
            }
            let Some(schemas) = d.value.pointer("/components/schemas").and_then(Value::as_object) else { continue };
            for (name, schema) in schemas {
                let pointer = format!("/components/schemas/{}", escape_pointer(name));
                if let Some(extends) = schema.get(EXTENDS) {
                    check_extension(catalogue, api, (doc, &pointer), schema, extends, diags);
                    continue;
                }
                if schema.get("$ref").is_some() || uses_a_model(api, doc, schema, &model_doc) {
                    continue;
                }
                let props: BTreeSet<String> = inline_properties(schema, "").into_iter().map(|(n, _, _)| n).collect();
                for model in &binding {
                    for concept in &model.concepts {
                        let by_name = name.eq_ignore_ascii_case(&concept.name);
                        let by_key = !concept.key.is_empty() && concept.key.iter().all(|k| props.contains(k));
                        if !(by_name || by_key) {
                            continue;
                        }
                        let why = if by_key {
                            format!("it has the concept's identifying properties ({})", concept.key.join(", "))
                        } else {
                            "it has the concept's name".to_string()
                        };
                        let target = relative(&d.file.path, &model.schemas_path());
                        diags.push(
                            api.diag_at(
                                &(doc, pointer.clone()),
                                "model::redefined",
                                format!(
                                    "{} defines `{name}` itself, but the catalogue's information model {} defines the \
                                     concept {} ({why})",
                                    spec.key(),
                                    model.key(),
                                    concept.name
                                ),
                            )
                            .help(format!(
                                "use the model: `$ref: \"{target}#{}\"` (inside `allOf` to add properties), or, for a \
                                 documented extension, mark the schema `{EXTENDS}: {}/{}`",
                                concept.pointer, model.meta.id, concept.name
                            )),
                        );
                    }
                }
            }
        }
    }
}

/// Whether a schema's `allOf` has a `$ref` into a model's schemas file.
fn uses_a_model(api: &ApiDoc, doc: usize, schema: &Value, model_doc: &dyn Fn(usize) -> bool) -> bool {
    all_of(schema)
        .filter_map(|p| p.get("$ref").and_then(Value::as_str))
        .any(|r| api.resolve_ref(doc, r).is_some_and(|(target, _)| model_doc(target)))
}

/// `x-konform-extends: <model>/<Concept>`: names a concept of the catalogue, and keeps each
/// of its key properties with the model's type.
fn check_extension(
    catalogue: &Catalogue,
    api: &ApiDoc,
    (doc, pointer): (usize, &str),
    schema: &Value,
    extends: &Value,
    diags: &mut Vec<Diag>,
) {
    let at = (doc, format!("{pointer}/{EXTENDS}"));
    let Some((model_id, concept_name)) = extends.as_str().and_then(|s| s.split_once('/')) else {
        diags.push(api.diag_at(
            &at,
            "model::extends",
            format!("`{EXTENDS}` must be `<model>/<Concept>`, such as `attachment/Attachment`"),
        ));
        return;
    };
    let newest = catalogue
        .models
        .iter()
        .filter(|m| m.meta.id == model_id && m.concept(concept_name).is_some())
        .max_by(|a, b| a.meta.version.cmp(&b.meta.version));
    let Some(model) = newest else {
        let known: Vec<String> = catalogue
            .models
            .iter()
            .flat_map(|m| m.concepts.iter().map(move |c| format!("{}/{}", m.meta.id, c.name)))
            .collect();
        let hint = crate::diag::did_you_mean(&format!("{model_id}/{concept_name}"), known.iter().map(String::as_str))
            .map(|h| format!("; {h}"))
            .unwrap_or_default();
        diags.push(api.diag_at(
            &at,
            "model::extends",
            format!(
                "`{EXTENDS}: {model_id}/{concept_name}` names no concept of the catalogue's information models{hint}"
            ),
        ));
        return;
    };
    let concept = model.concept(concept_name).expect("filtered on it");
    let own: Vec<(String, String, &Value)> = inline_properties(schema, pointer);
    for k in &concept.key {
        let theirs = concept.properties.iter().find(|p| &p.name == k);
        match own.iter().find(|(n, _, _)| n == k) {
            None => diags.push(
                api.diag_at(
                    &(doc, pointer.to_string()),
                    "model::extension-incompatible",
                    format!(
                        "this extension of {}/{} lacks the concept's property `{k}`: an extension keeps what identifies it",
                        model.meta.id, concept.name
                    ),
                )
                .help(format!("add `{k}` as {} defines it", model.key())),
            ),
            Some((_, at, value)) if theirs.is_some_and(|t| t.shape != shape(value)) => diags.push(api.diag_at(
                &(doc, at.clone()),
                "model::extension-incompatible",
                format!(
                    "`{k}` is {} here, but {} in {}/{} ({})",
                    shape(value),
                    theirs.map(|t| t.shape.as_str()).unwrap_or_default(),
                    model.meta.id,
                    concept.name,
                    model.key()
                ),
            )),
            Some(_) => {}
        }
    }
}

/// `to` as a relative reference from the file `from`.
fn relative(from: &Path, to: &Path) -> String {
    let base: Vec<_> = from.parent().map(|p| p.components().collect()).unwrap_or_default();
    let target: Vec<_> = to.components().collect();
    let common = base.iter().zip(&target).take_while(|(a, b)| a == b).count();
    let mut parts: Vec<String> = vec!["..".into(); base.len() - common];
    parts.extend(target[common..].iter().map(|c| c.as_os_str().to_string_lossy().into_owned()));
    parts.join("/")
}

/// A model version, by `id` (its newest active version) or `id@version`.
pub fn find<'c>(catalogue: &'c Catalogue, selector: &str) -> Option<Result<&'c InfoModel, super::SelectError>> {
    super::select(catalogue.models.iter(), selector, |m| (&m.meta.id, &m.meta.version, m.meta.status))
}

/// A model whose id a specification also has, or which is defined twice.
pub fn check_ids(catalogue: &Catalogue, diags: &mut Vec<Diag>) {
    for (i, m) in catalogue.models.iter().enumerate() {
        let at = || m.meta_file.locate(&["/id"]).value("/id");
        if catalogue.specs.iter().any(|s| s.meta.id == m.meta.id) {
            diags.push(
                Diag::error(
                    "catalogue::duplicate-id",
                    format!("`{}` is both an information model and a specification", m.meta.id),
                )
                .at(&m.meta_file, at())
                .help("give the model an id of its own: commands name models and specifications alike"),
            );
        }
        if let Some(first) =
            catalogue.models[..i].iter().find(|o| o.meta.id == m.meta.id && o.meta.version == m.meta.version)
        {
            diags.push(
                Diag::error(
                    "catalogue::duplicate-spec",
                    format!(
                        "{} is defined twice: in {} and {}",
                        m.key(),
                        display_path(&first.meta_file.path),
                        m.meta_file.name
                    ),
                )
                .at(&m.meta_file, m.meta_file.locate(&["/version"]).value("/version")),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_reference_is_relative_to_the_file_it_is_written_in() {
        let from = Path::new("/c/case-intake/2.0.0/openapi.yaml");
        let to = Path::new("/c/models/problem/1.0.0/schemas.yaml");
        assert_eq!(relative(from, to), "../../models/problem/1.0.0/schemas.yaml");
        assert_eq!(relative(Path::new("/c/a/x.yaml"), Path::new("/c/a/y.yaml")), "y.yaml");
    }

    #[test]
    fn a_type_reads_as_a_person_writes_it() {
        assert_eq!(shape(&serde_json::json!({"type": "string", "format": "uri-reference"})), "string (uri-reference)");
        assert_eq!(shape(&serde_json::json!({"$ref": "#/components/schemas/Attachment"})), "Attachment");
        assert_eq!(
            shape(&serde_json::json!({"type": "array", "items": {"$ref": "#/components/schemas/Attachment"}})),
            "array of Attachment"
        );
        assert_eq!(shape(&serde_json::json!({})), "any");
    }
}
