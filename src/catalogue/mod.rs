//! The catalogue: a folder tree of specifications, each versioned, each with metadata,
//! an OpenAPI description, numbered requirements, scenario suites and fixtures.
//!
//! Loading never stops at the first mistake: every problem becomes a [`Diag`] and loading
//! goes on with what could be read, so `konform check` reports everything at once.

pub mod embedded;
pub mod fingerprint;
pub mod generate;
pub mod infomodel;
pub mod languages;
pub mod lifecycle;
pub mod openapi;
pub mod process;
pub mod profile;

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use crate::diag::Diag;
use crate::model::{Level, Localized};
use crate::source::{display_path, Boundary, SourceFile};
use crate::suite::Suite;
use crate::typed;
use openapi::{ApiDoc, LoadOptions};

/// The file that marks a folder as one version of a specification.
pub const SPEC_FILE: &str = "spec.yaml";

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    Draft,
    Active,
    Deprecated,
    /// Past its sunset: no longer in force.
    Retired,
}

impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Status::Draft => "draft",
            Status::Active => "active",
            Status::Deprecated => "deprecated",
            Status::Retired => "retired",
        })
    }
}

/// A variable a specification's scenarios may use, settable with `--var`.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct VariableDecl {
    #[serde(default)]
    pub default: Option<serde_json::Value>,
    #[serde(default)]
    pub description: Option<String>,
    /// A password, a key: its value (given or default) is redacted everywhere.
    #[serde(default)]
    pub secret: bool,
}

/// `spec.yaml`.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct SpecMeta {
    pub id: String,
    pub version: semver::Version,
    pub status: Status,
    /// When it entered each state, and what replaces it.
    #[serde(default, skip_serializing_if = "lifecycle::Lifecycle::is_empty")]
    pub lifecycle: lifecycle::Lifecycle,
    pub domain: String,
    pub title: Localized,
    #[serde(default)]
    pub description: Option<Localized>,
    /// The languages its texts are written in, overriding catalogue.yaml's (`languages`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub languages: Option<Vec<crate::model::Lang>>,
    /// The OpenAPI description, relative to the folder.
    pub openapi: String,
    #[serde(default = "default_requirements")]
    pub requirements: String,
    /// The folder holding scenario suites.
    #[serde(default = "default_scenarios")]
    pub scenarios: String,
    #[serde(default)]
    pub variables: BTreeMap<String, VariableDecl>,
    /// Profiles whose live rules apply to this specification (e.g. `api-profile`).
    #[serde(default)]
    pub profiles: Vec<String>,
    /// The checks generated from the OpenAPI description that count for it, and the
    /// methods they may use (`generate::GenerateMeta`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub generate: Option<generate::GenerateMeta>,
    /// The catalogue process it implements, and how (`process::ProcessUse`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub process: Option<process::ProcessUse>,
}

fn default_requirements() -> String {
    "requirements.yaml".into()
}
fn default_scenarios() -> String {
    "scenarios".into()
}

/// `requirements.yaml`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RequirementsFile {
    pub requirements: Vec<Requirement>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Requirement {
    pub id: String,
    pub level: Level,
    pub title: Localized,
    pub text: Localized,
    /// `automatic` (by scenarios, the default) or `attestation` (by people: a signed
    /// attestation given at run time).
    #[serde(default, skip_serializing_if = "crate::model::Verification::is_automatic")]
    pub verification: crate::model::Verification,
    /// Derived from the process the specification implements (`process::derive`), not
    /// written in requirements.yaml.
    #[serde(skip)]
    pub derived: bool,
}

/// One version of one specification, as loaded.
pub struct Spec {
    pub dir: PathBuf,
    pub meta_file: Arc<SourceFile>,
    pub meta: SpecMeta,
    pub requirements_file: Option<Arc<SourceFile>>,
    pub requirements: Vec<Requirement>,
    /// `None` when the description could not be loaded (its errors are in the diagnostics).
    pub api: Option<ApiDoc>,
    pub suites: Vec<Suite>,
    /// Some suite file could not be read; coverage cannot be judged.
    pub suites_incomplete: bool,
    /// The languages its texts are written in (`languages::resolve`), in `Lang` order.
    pub languages: Vec<crate::model::Lang>,
    /// The `process.yaml` of the process it implements (a part of its fingerprint).
    pub process_file: Option<Arc<SourceFile>>,
}

impl Spec {
    /// `id@version`.
    pub fn key(&self) -> String {
        format!("{}@{}", self.meta.id, self.meta.version)
    }

    pub fn requirement(&self, id: &str) -> Option<&Requirement> {
        self.requirements.iter().find(|r| r.id == id)
    }

    /// Ids of the scenarios covering a requirement.
    pub fn covering(&self, requirement: &str) -> Vec<&str> {
        self.suites
            .iter()
            .flat_map(|s| s.scenarios.iter())
            .filter(|sc| sc.covers.iter().any(|c| c.id == requirement))
            .map(|sc| sc.id.as_str())
            .collect()
    }

    pub fn scenario_count(&self) -> usize {
        self.suites.iter().map(|s| s.scenarios.len()).sum()
    }

    /// How many requirements some scenario covers, or an attestation is to verify.
    pub fn covered_count(&self) -> usize {
        self.requirements.iter().filter(|r| !r.verification.is_automatic() || !self.covering(&r.id).is_empty()).count()
    }

    /// Every file the specification consists of, each with the SHA-256 (hex) of the bytes
    /// loaded from it: what a run used, even if the file changes while it runs.
    pub fn files(&self) -> Vec<(PathBuf, String)> {
        let loaded = |f: &Arc<SourceFile>| (f.path.clone(), f.sha256_hex().to_string());
        let mut files = vec![loaded(&self.meta_file)];
        if let Some(r) = &self.requirements_file {
            files.push(loaded(r));
        }
        if let Some(p) = &self.process_file {
            files.push(loaded(p));
        }
        if let Some(api) = &self.api {
            files.extend(api.docs.iter().map(|d| loaded(&d.file)));
        }
        for suite in &self.suites {
            // A suite derived from the process is no file: what it is made of (spec.yaml,
            // process.yaml, the description) is fingerprinted already.
            if !suite.derived {
                files.push(loaded(&suite.file));
            }
            files.extend(suite.fixture_files());
        }
        files.sort();
        files.dedup();
        files
    }
}

/// A loaded catalogue.
pub struct Catalogue {
    pub root: PathBuf,
    pub specs: Vec<Spec>,
    pub profiles: Vec<(Arc<SourceFile>, profile::Profile)>,
    /// The information models (`infomodel`), sorted by id and version.
    pub models: Vec<infomodel::InfoModel>,
    /// The processes (`process`), sorted by id and version.
    pub processes: Vec<process::Process>,
}

impl Catalogue {
    /// Loads every specification under `root`. Problems are returned beside what loaded.
    pub fn load(root: &Path, options: &LoadOptions) -> (Catalogue, Vec<Diag>) {
        let mut diags = Vec::new();
        let mut specs = Vec::new();
        if !root.is_dir() {
            diags.push(
                Diag::error("catalogue::missing", format!("catalogue folder {} does not exist", root.display())).help(
                    "pass the catalogue folder with --catalogue DIR or KONFORM_CATALOGUE; without either, \
                         konform uses ./conformance-suites if there is one, else the catalogue built into it",
                ),
            );
            return (
                Catalogue {
                    root: root.to_path_buf(),
                    specs,
                    profiles: Vec::new(),
                    models: Vec::new(),
                    processes: Vec::new(),
                },
                diags,
            );
        }
        let mut spec_files = Vec::new();
        let mut profile_files = Vec::new();
        let mut model_files = Vec::new();
        let mut process_files = Vec::new();
        find_spec_files(root, 0, &mut spec_files, &mut (&mut profile_files, &mut model_files, &mut process_files));
        spec_files.sort();
        profile_files.sort();
        model_files.sort();
        process_files.sort();
        let mut profiles = Vec::new();
        for path in profile_files {
            match typed::load::<profile::Profile>(&path) {
                Ok(p) => profiles.push(p),
                Err(d) => diags.push(d),
            }
        }
        if spec_files.is_empty() {
            diags.push(Diag::error(
                "catalogue::empty",
                format!("no specification found under {} (no {SPEC_FILE} files)", root.display()),
            ));
        }
        let mut options = options.clone();
        let boundary = crate::source::Boundary::catalogue(root);
        options.boundary = Some(boundary.clone());
        for path in spec_files {
            if let Err(why) = boundary.admits(&path) {
                diags.push(
                    Diag::error("catalogue::outside", format!("{} {why}", display_path(&path))).help(boundary.rule()),
                );
                continue;
            }
            if let Some(spec) = load_spec(&path, &options, &boundary, &mut diags) {
                specs.push(spec);
            }
        }
        // A model or process file reached through a symlink out of the catalogue is not read.
        let admitted = |path: &PathBuf, diags: &mut Vec<Diag>| match boundary.admits(path) {
            Ok(()) => true,
            Err(why) => {
                let message = format!("{} {why}", display_path(path));
                diags.push(Diag::error("catalogue::outside", message).help(boundary.rule()));
                false
            }
        };
        let mut models = Vec::new();
        for path in model_files {
            if admitted(&path, &mut diags) {
                models.extend(infomodel::load(&path, &options, &boundary, &mut diags));
            }
        }
        models.sort_by(|a, b| a.meta.id.cmp(&b.meta.id).then(a.meta.version.cmp(&b.meta.version)));
        let mut processes = Vec::new();
        for path in process_files {
            if admitted(&path, &mut diags) {
                processes.extend(process::load(&path, &mut diags));
            }
        }
        processes.sort_by(|a, b| a.meta.id.cmp(&b.meta.id).then(a.meta.version.cmp(&b.meta.version)));
        for spec in &specs {
            for (i, name) in spec.meta.profiles.iter().enumerate() {
                if !profiles.iter().any(|(_, p)| &p.id == name) {
                    let ptr = format!("/profiles/{i}");
                    diags.push(
                        Diag::error(
                            "catalogue::unknown-profile",
                            format!("{} names profile `{name}`, which the catalogue does not have", spec.key()),
                        )
                        .at(&spec.meta_file, spec.meta_file.locate(&[ptr.as_str()]).value(&ptr)),
                    );
                }
            }
        }
        let mut catalogue = Catalogue { root: root.to_path_buf(), specs, profiles, models, processes };
        catalogue.specs.sort_by(|a, b| a.meta.id.cmp(&b.meta.id).then(a.meta.version.cmp(&b.meta.version)));
        for pair in catalogue.specs.windows(2) {
            if pair[0].meta.id == pair[1].meta.id && pair[0].meta.version == pair[1].meta.version {
                let f = &pair[1].meta_file;
                diags.push(
                    Diag::error(
                        "catalogue::duplicate-spec",
                        format!("{} is defined twice: in {} and {}", pair[1].key(), pair[0].meta_file.name, f.name),
                    )
                    .at(f, f.locate(&["/version"]).value("/version")),
                );
            }
        }
        match lifecycle::CatalogueRules::load(&catalogue.root) {
            Ok(rules) => {
                if let Some((file, r)) = &rules {
                    languages::check_declared(file, r.languages.as_deref(), &mut diags);
                }
                let rules = rules.map(|(_, r)| r);
                let declared = rules.as_ref().and_then(|r| r.languages.as_deref());
                for spec in &mut catalogue.specs {
                    spec.languages = languages::resolve(spec.meta.languages.as_deref(), declared);
                }
                for model in &mut catalogue.models {
                    model.languages = languages::resolve(None, declared);
                }
                diags.extend(lifecycle::check(&catalogue, rules.as_ref(), crate::model::Date::today()));
            }
            Err(d) => diags.push(d),
        }
        for spec in &catalogue.specs {
            languages::check(spec, &mut diags);
        }
        for model in &catalogue.models {
            infomodel::check_languages(model, &mut diags);
        }
        infomodel::check_ids(&catalogue, &mut diags);
        infomodel::check_uses(&catalogue, &mut diags);
        process::check_ids(&catalogue, &mut diags);
        process::check_uses(&mut catalogue, &boundary, &mut diags);
        (catalogue, diags)
    }

    /// Fingerprints of a specification's files and of the profiles it uses, as loaded.
    pub fn fingerprints_of(&self, spec: &Spec) -> crate::model::Fingerprints {
        let mut files = spec.files();
        files.extend(self.profiles_of(spec).iter().map(|(f, _)| (f.path.clone(), f.sha256_hex().to_string())));
        fingerprint::of_loaded(&spec.dir, &files)
    }

    /// A line (from 1) of a suite file, by the file's name: for showing where a failed
    /// expectation is written.
    pub fn suite_line(&self, file: &str, line: usize) -> Option<String> {
        let suite = self.specs.iter().flat_map(|s| &s.suites).find(|s| s.report_name == file)?;
        let text = suite.file.line_text(line);
        (!text.is_empty()).then(|| text.to_string())
    }

    /// A catalogue file's name in reports (relative to the catalogue folder).
    pub fn report_name(&self, file: &SourceFile) -> String {
        crate::source::catalogue_name(&self.root, &file.path).unwrap_or_else(|| file.name.clone())
    }

    /// The profiles a specification opts into.
    pub fn profiles_of(&self, spec: &Spec) -> Vec<&(Arc<SourceFile>, profile::Profile)> {
        self.profiles.iter().filter(|(_, p)| spec.meta.profiles.contains(&p.id)).collect()
    }

    /// The version of the same specification just before `spec` (whatever its status): the
    /// one a changelog compares it with.
    pub fn previous(&self, spec: &Spec) -> Option<&Spec> {
        self.specs
            .iter()
            .filter(|s| s.meta.id == spec.meta.id && s.meta.version < spec.meta.version)
            .max_by(|a, b| a.meta.version.cmp(&b.meta.version))
    }

    /// Finds `id` (newest active version) or `id@version`.
    pub fn find(&self, selector: &str) -> Result<&Spec, SelectError> {
        select(self.specs.iter(), selector, |s| (&s.meta.id, &s.meta.version, s.meta.status)).unwrap_or_else(|| {
            let id = selector.split_once('@').map_or(selector, |(id, _)| id);
            let ids: Vec<&str> = self.specs.iter().map(|s| s.meta.id.as_str()).collect();
            let hint = crate::diag::did_you_mean(id, ids).map(|h| format!("; {h}")).unwrap_or_default();
            Err(SelectError::UnknownSpecification { id: id.to_string(), hint })
        })
    }
}

/// The version of a catalogue entry (a specification, an information model, a process) a
/// selector names: `id@version`, or `id` for its newest active version. `None` when no
/// entry has the id; `entry` gives an entry's id, version and status.
pub(crate) fn select<'c, T: 'c>(
    entries: impl Iterator<Item = &'c T>,
    selector: &str,
    entry: impl Fn(&T) -> (&str, &semver::Version, Status),
) -> Option<Result<&'c T, SelectError>> {
    let (id, version) = match selector.split_once('@') {
        Some((id, v)) => (id, Some(v)),
        None => (selector, None),
    };
    let candidates: Vec<&T> = entries.filter(|e| entry(e).0 == id).collect();
    if candidates.is_empty() {
        return None;
    }
    Some(match version {
        Some(v) => semver::Version::parse(v)
            .map_err(|e| SelectError::NotAVersion { version: v.to_string(), detail: e.to_string() })
            .and_then(|wanted| {
                candidates.iter().find(|e| *entry(e).1 == wanted).copied().ok_or_else(|| {
                    let known: Vec<String> = candidates.iter().map(|e| entry(e).1.to_string()).collect();
                    SelectError::UnknownVersion { id: id.into(), version: v.into(), known: known.join(", ") }
                })
            }),
        None => candidates
            .into_iter()
            .filter(|e| entry(e).2 == Status::Active)
            .max_by(|a, b| entry(a).1.cmp(entry(b).1))
            .ok_or_else(|| SelectError::NoActiveVersion { id: id.to_string() }),
    })
}

/// Finds every spec.yaml, and (`others`) every profile.yaml and model.yaml, under `dir`.
fn find_spec_files(
    dir: &Path,
    depth: usize,
    out: &mut Vec<PathBuf>,
    others: &mut (&mut Vec<PathBuf>, &mut Vec<PathBuf>, &mut Vec<PathBuf>),
) {
    if depth > 4 {
        return;
    }
    let candidate = dir.join(SPEC_FILE);
    if candidate.is_file() {
        out.push(candidate);
        return;
    }
    let profile = dir.join(profile::PROFILE_FILE);
    if profile.is_file() {
        others.0.push(profile);
        return;
    }
    let model = dir.join(infomodel::MODEL_FILE);
    if model.is_file() {
        others.1.push(model);
        return;
    }
    let process = dir.join(process::PROCESS_FILE);
    if process.is_file() {
        others.2.push(process);
        return;
    }
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for entry in entries.flatten() {
        let path = entry.path();
        let hidden = entry.file_name().to_string_lossy().starts_with('.');
        if path.is_dir() && !hidden {
            find_spec_files(&path, depth + 1, out, others);
        }
    }
}

/// Whether the file `spec.yaml` names as `key: written` (found at `path`) lies inside the
/// catalogue; if not, says so at the line naming it.
fn inside(
    boundary: &Boundary,
    meta_file: &Arc<SourceFile>,
    (key, written): (&str, &str),
    path: &Path,
    diags: &mut Vec<Diag>,
) -> bool {
    let Err(why) = boundary.admits(path) else { return true };
    let pointer = format!("/{key}");
    diags.push(
        Diag::error("catalogue::outside", format!("`{key}: {written}` {why}"))
            .at(meta_file, meta_file.locate(&[&pointer]).value(&pointer))
            .help(boundary.rule()),
    );
    false
}

fn load_spec(path: &Path, options: &LoadOptions, boundary: &Boundary, diags: &mut Vec<Diag>) -> Option<Spec> {
    let dir = path.parent().unwrap_or(Path::new(".")).to_path_buf();
    let (meta_file, meta) = match typed::load::<SpecMeta>(path) {
        Ok(x) => x,
        Err(d) => {
            diags.push(d);
            return None;
        }
    };
    check_layout(
        &dir,
        &meta_file,
        ("", &meta.id, &meta.version),
        "keep each specification version in <catalogue>/<id>/<version>/",
        diags,
    );

    let req_path = dir.join(&meta.requirements);
    let (requirements_file, requirements) =
        match inside(boundary, &meta_file, ("requirements", &meta.requirements), &req_path, diags)
            .then(|| typed::load::<RequirementsFile>(&req_path))
        {
            Some(Ok((file, r))) => (Some(file), r.requirements),
            Some(Err(d)) => {
                diags.push(d);
                (None, Vec::new())
            }
            None => (None, Vec::new()),
        };

    let api_path = dir.join(&meta.openapi);
    let api = match inside(boundary, &meta_file, ("openapi", &meta.openapi), &api_path, diags)
        .then(|| ApiDoc::load(&api_path, options))
    {
        Some(Ok(api)) => {
            diags.extend(api.warnings.iter().cloned());
            Some(api)
        }
        Some(Err(errors)) => {
            diags.extend(errors);
            None
        }
        None => None,
    };

    let mut suites = Vec::new();
    let scenario_dir = dir.join(&meta.scenarios);
    if !inside(boundary, &meta_file, ("scenarios", &meta.scenarios), &scenario_dir, diags) {
        return Some(Spec {
            dir,
            meta_file,
            meta,
            requirements_file,
            requirements,
            api,
            suites,
            suites_incomplete: true,
            languages: languages::resolve(None, None),
            process_file: None,
        });
    }
    let mut suite_files: Vec<PathBuf> = std::fs::read_dir(&scenario_dir)
        .map(|rd| {
            rd.flatten()
                .map(|e| e.path())
                .filter(|p| matches!(p.extension().and_then(|e| e.to_str()), Some("yaml" | "yml")))
                .collect()
        })
        .unwrap_or_default();
    suite_files.sort();
    if suite_files.is_empty() {
        let at = meta_file.locate(&["/scenarios"]).value("/scenarios");
        diags.push(
            Diag::warning(
                "catalogue::no-scenarios",
                format!("{} has no scenario files in {}", meta.id, crate::source::display_path(&scenario_dir)),
            )
            .at(&meta_file, at),
        );
    }
    let mut suites_incomplete = false;
    for file in suite_files {
        if let Err(why) = boundary.admits(&file) {
            suites_incomplete = true;
            diags.push(
                Diag::error("catalogue::outside", format!("{} {why}", display_path(&file))).help(boundary.rule()),
            );
            continue;
        }
        match Suite::load(&file, &dir, boundary) {
            Ok((suite, problems)) => {
                diags.extend(problems);
                suites.push(suite);
            }
            Err(d) => {
                suites_incomplete = true;
                diags.extend(d);
            }
        }
    }
    crate::suite::shared_credentials_are_secret(&mut suites);
    languages::check_declared(&meta_file, meta.languages.as_deref(), diags);
    let languages = languages::resolve(meta.languages.as_deref(), None);
    Some(Spec {
        dir,
        meta_file,
        meta,
        requirements_file,
        requirements,
        api,
        suites,
        suites_incomplete,
        languages,
        process_file: None,
    })
}

/// Reads the metadata file of a catalogue entry beside the specifications (an information
/// model's `model.yaml`, a process's `process.yaml`) and warns when its folder disagrees
/// with its id and version (`what`, `help`: as for [`check_layout`]). `None`, with the
/// problem in `diags`, when it cannot be read.
pub(crate) fn load_entry<T: serde::de::DeserializeOwned>(
    path: &Path,
    (what, help): (&str, &str),
    id_version: impl Fn(&T) -> (&str, &semver::Version),
    diags: &mut Vec<Diag>,
) -> Option<(PathBuf, Arc<SourceFile>, T)> {
    let dir = path.parent().unwrap_or(Path::new(".")).to_path_buf();
    let (file, meta) = crate::typed::load::<T>(path).map_err(|d| diags.push(d)).ok()?;
    let (id, version) = id_version(&meta);
    check_layout(&dir, &file, (what, id, version), help, diags);
    Some((dir, file, meta))
}

/// Warns when the folder layout `<id>/<version>/` disagrees with the metadata (`what`:
/// how the message names the entry, such as `information model `; `help` where it belongs).
pub(crate) fn check_layout(
    dir: &Path,
    file: &Arc<SourceFile>,
    (what, id, version): (&str, &str, &semver::Version),
    help: &str,
    diags: &mut Vec<Diag>,
) {
    let version_dir = dir.file_name().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
    let id_dir = dir.parent().and_then(|p| p.file_name()).map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
    if version_dir != version.to_string() || id_dir != id {
        diags.push(
            Diag::warning(
                "catalogue::layout",
                format!("{what}{id} {version} lives in {id_dir}/{version_dir}, not {id}/{version}"),
            )
            .at(file, file.locate(&["/id"]).value("/id"))
            .help(help.to_string()),
        );
    }
}

/// Why a selector (`id` or `id@version`) names no specification of the catalogue.
#[derive(Debug, thiserror::Error)]
pub enum SelectError {
    #[error("no specification `{id}` in the catalogue{hint}")]
    UnknownSpecification { id: String, hint: String },
    #[error("`{version}` is not a semantic version: {detail}")]
    NotAVersion { version: String, detail: String },
    #[error("`{id}` has no version {version}; the catalogue has {known}")]
    UnknownVersion { id: String, version: String, known: String },
    #[error("`{id}` has no active version; name one as `{id}@VERSION`")]
    NoActiveVersion { id: String },
}

impl From<SelectError> for crate::error::Failure {
    fn from(e: SelectError) -> crate::error::Failure {
        crate::error::Failure::InvalidInput(e.to_string())
    }
}
