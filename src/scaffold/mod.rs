//! `konform scaffold OPENAPI --id ID`: a new specification folder from an OpenAPI
//! document, which `konform check` accepts and a conforming API passes: `spec.yaml`
//! (status `draft`), the document copied in, `requirements.yaml` (one per operation and
//! class of documented response, in every catalogue language, each saying it is a draft),
//! `scenarios/*.yaml` and `fixtures/`. A starting point an author edits, never a finished
//! suite: every generated file says so in its first lines.
//!
//! [`build`] is pure and deterministic (the same document and options give the same
//! files); [`write`] puts them in a folder that must be new or empty.

mod design;
mod values;
mod words;
mod yaml;

use std::path::{Path, PathBuf};

use serde_json::{json, Map, Value};

use crate::catalogue::openapi::ApiDoc;

/// What to scaffold.
pub struct Options {
    /// The specification's id (lowercase letters, digits and dashes).
    pub id: String,
    /// Its version; by default the document's `info.version` as `MAJOR.MINOR.PATCH`.
    pub version: Option<semver::Version>,
    /// The languages its texts are written in (the catalogue's, `--languages`); when not
    /// both, spec.yaml declares them.
    pub languages: Vec<crate::model::Lang>,
}

/// Keeps only `languages` of a text written in every language (`{sv, en}`).
fn written_in(mut text: Value, languages: &[crate::model::Lang]) -> Value {
    if let Some(map) = text.as_object_mut() {
        map.retain(|k, _| languages.iter().any(|l| l.code() == k));
    }
    text
}

/// A file of the scaffold, relative to its folder.
pub struct File {
    pub path: String,
    pub text: String,
}

/// The files of a new specification, and what they hold.
pub struct Scaffold {
    pub version: semver::Version,
    /// The OpenAPI document's file name in the folder.
    pub document: String,
    pub files: Vec<File>,
    pub operations: usize,
    pub requirements: usize,
    pub uncovered: usize,
    pub scenarios: usize,
}

/// Whether `id` can name a specification: lowercase letters and digits in words joined by
/// single dashes, at most 64 characters.
pub fn valid_id(id: &str) -> bool {
    id.len() <= 64
        && !id.is_empty()
        && id.split('-').all(|w| !w.is_empty() && w.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit()))
}

/// The version a document's `info.version` suggests: `1.2.3` as it is, `1.2` as `1.2.0`,
/// `3` as `3.0.0`; anything else `1.0.0`.
pub fn version_of(api: &ApiDoc) -> semver::Version {
    let declared = api.docs[0].value.pointer("/info/version").and_then(Value::as_str).unwrap_or("");
    let numbers: Vec<u64> = declared.trim_start_matches('v').split('.').map_while(|n| n.parse().ok()).collect();
    let whole = declared.trim_start_matches('v').split('.').count() == numbers.len();
    match numbers.as_slice() {
        [major] if whole => semver::Version::new(*major, 0, 0),
        [major, minor] if whole => semver::Version::new(*major, *minor, 0),
        [major, minor, patch] if whole => semver::Version::new(*major, *minor, *patch),
        _ => semver::Version::new(1, 0, 0),
    }
}

/// The scaffold of a specification for `api`.
pub fn build(api: &ApiDoc, options: &Options) -> Scaffold {
    let version = options.version.clone().unwrap_or_else(|| version_of(api));
    let root = &api.docs[0].file;
    let document = root.path.file_name().map_or_else(|| "openapi.yaml".into(), |n| n.to_string_lossy().into_owned());
    let prefix = options.id.to_ascii_uppercase();
    let mut d = design::design(api, &prefix);
    let langs = &options.languages;
    for r in &mut d.requirements {
        r.title = written_in(std::mem::take(&mut r.title), langs);
        r.text = written_in(std::mem::take(&mut r.text), langs);
    }
    for s in &mut d.scenarios {
        if let Some(title) = s.value.get_mut("title") {
            *title = written_in(std::mem::take(title), langs);
        }
    }
    let mut files = vec![File {
        path: "spec.yaml".into(),
        text: format!(
            "{}{}",
            words::header(&words::spec_comment()),
            yaml::to_string(&spec(api, options, &version, &document, &d))
        ),
    }];
    files.extend(documents(api));
    let requirements: Vec<Value> = d
        .requirements
        .iter()
        .map(|r| json!({ "id": r.id, "level": r.level, "title": r.title, "text": r.text }))
        .collect();
    files.push(File {
        path: "requirements.yaml".into(),
        text: format!(
            "{}{}",
            words::header(&words::requirements_comment(&document)),
            yaml::to_string(&json!({ "requirements": requirements }))
        ),
    });
    let mut groups: Vec<(&str, Vec<&Value>)> = Vec::new();
    for s in &d.scenarios {
        match groups.iter_mut().find(|(g, _)| *g == s.group) {
            Some((_, list)) => list.push(&s.value),
            None => groups.push((&s.group, vec![&s.value])),
        }
    }
    for (group, scenarios) in &groups {
        files.push(File {
            path: format!("scenarios/{group}.yaml"),
            text: format!(
                "{}{}",
                words::header(&words::suite_comment(group)),
                yaml::to_string(&json!({ "scenarios": scenarios }))
            ),
        });
    }
    for (path, op, body) in &d.fixtures {
        files.push(File {
            path: path.clone(),
            text: format!("{}{}", words::header(&words::fixture_comment(op)), yaml::to_string(body)),
        });
    }
    Scaffold {
        version,
        document,
        files,
        operations: api.operations.len(),
        requirements: d.requirements.len(),
        uncovered: d.requirements.iter().filter(|r| !r.covered).count(),
        scenarios: d.scenarios.len(),
    }
}

fn spec(api: &ApiDoc, options: &Options, version: &semver::Version, document: &str, d: &design::Design) -> Value {
    let id = options.id.as_str();
    let title = if api.title.trim().is_empty() { id } else { api.title.trim() };
    let langs = &options.languages;
    let mut spec = json!({
        "id": id,
        "version": version.to_string(),
        "status": "draft",
        "domain": "draft",
        "title": written_in(words::same_in_every_language(title), langs),
        "description": written_in(words::spec_description(document), langs),
        "openapi": document,
        "requirements": "requirements.yaml",
        "scenarios": "scenarios",
    });
    if langs.as_slice() != crate::model::Lang::ALL {
        spec["languages"] = json!(langs.iter().map(|l| l.code()).collect::<Vec<_>>());
    }
    if !d.variables.is_empty() {
        let mut variables = Map::new();
        for (name, default) in &d.variables {
            let default = match default {
                Value::String(s) => s.clone(),
                other => other.to_string(),
            };
            variables
                .insert(name.clone(), json!({ "default": default, "description": words::variable_description(name) }));
        }
        spec["variables"] = Value::Object(variables);
    }
    for (name, default) in &d.secrets {
        let default = match default {
            Value::String(s) => s.clone(),
            other => other.to_string(),
        };
        let entry = json!({ "default": default, "secret": true, "description": words::secret_description(name) });
        match spec.get_mut("variables").and_then(Value::as_object_mut) {
            Some(variables) => {
                variables.insert(name.clone(), entry);
            }
            None => spec["variables"] = json!({ name: entry }),
        }
    }
    spec
}

/// The document and the files it references, copied as they are, at their places relative
/// to the document's folder (the loader keeps references inside that folder).
fn documents(api: &ApiDoc) -> Vec<File> {
    let root = api.docs[0].file.path.parent().map(Path::to_path_buf).unwrap_or_default();
    let mut out: Vec<File> = Vec::new();
    for doc in &api.docs {
        let relative = doc
            .file
            .path
            .strip_prefix(&root)
            .map(Path::to_path_buf)
            .unwrap_or_else(|_| PathBuf::from(doc.file.path.file_name().unwrap_or_default()));
        let path = relative.to_string_lossy().replace('\\', "/");
        if !out.iter().any(|f| f.path == path) {
            out.push(File { path, text: doc.file.text.to_string() });
        }
    }
    out
}

/// Why a scaffold could not be written.
#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    #[error("{} is not empty: choose another folder with --out, or empty it first", .0.display())]
    NotEmpty(PathBuf),
    #[error("{} exists and is not a folder", .0.display())]
    NotAFolder(PathBuf),
    #[error("cannot write {}: {source}", .path.display())]
    Io { path: PathBuf, source: std::io::Error },
}

/// Writes the scaffold's files into `dir`, which must not exist or be empty.
pub fn write(dir: &Path, scaffold: &Scaffold) -> Result<(), WriteError> {
    let io = |path: &Path| {
        let path = path.to_path_buf();
        move |source| WriteError::Io { path, source }
    };
    match std::fs::metadata(dir) {
        Ok(m) if !m.is_dir() => return Err(WriteError::NotAFolder(dir.to_path_buf())),
        Ok(_) => {
            if std::fs::read_dir(dir).map_err(io(dir))?.next().is_some() {
                return Err(WriteError::NotEmpty(dir.to_path_buf()));
            }
        }
        Err(_) => std::fs::create_dir_all(dir).map_err(io(dir))?,
    }
    for file in &scaffold.files {
        let path = dir.join(&file.path);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(io(parent))?;
        }
        std::fs::write(&path, &file.text).map_err(io(&path))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_lowercase_words_joined_by_dashes() {
        for good in ["pets", "case-intake", "api2-x"] {
            assert!(valid_id(good), "{good}");
        }
        for bad in ["", "Pets", "case_intake", "-x", "x-", "a--b", "a b", "ärende", &"a".repeat(65)] {
            assert!(!valid_id(bad), "{bad}");
        }
    }

    #[test]
    fn slugs_split_words() {
        assert_eq!(design::slug("getCaseById"), "get-case-by-id");
        assert_eq!(design::slug("GET /{municipalityId}/cases"), "get-municipality-id-cases");
        assert_eq!(design::slug("Cases & notes"), "cases-notes");
    }
}
