//! `konform diff`: every change between two versions of a specification, classified for
//! the vendor (the API's provider), not for its clients.
//!
//! A client asks "will my calls still work?"; a vendor asks "what must my product do now?".
//! The two answers differ: a new required property in a response breaks no client but is
//! work for the vendor, while a property removed from a request breaks clients that send it
//! and asks nothing of the vendor. Each [`Change`] carries both answers: its
//! [`ChangeClass`] (must change, should change, no action) and whether it breaks clients.
//!
//! The result is data: [`documents`] compares two OpenAPI descriptions, [`specs`] two
//! catalogue specification versions (requirements and scenarios too), and the renderers in
//! [`render`] turn a [`Diff`] into text, JSON or Markdown. docs/diff.md lists every kind.

mod catalogue;
mod classify;
mod locate;
pub mod model;
mod operations;
pub mod render;
mod schema;

use std::sync::Arc;

use serde::Serialize;
use serde_json::Value;

use crate::catalogue::openapi::ApiDoc;
use crate::catalogue::Spec;
use crate::messages::Localized;
pub use crate::messages::{ChangeClass, ChangeKind, ChangePlace, DiffNote};
use crate::source::SourceFile;

pub use classify::classify;

/// One change between two versions.
#[derive(Debug, Clone, Serialize)]
pub struct Change {
    pub code: ChangeKind,
    pub class: ChangeClass,
    pub breaking_for_clients: bool,
    /// The operation it belongs to (none for requirements and scenarios).
    pub operation: Option<OperationRef>,
    /// Where in the operation, or which requirement or scenario.
    pub place: ChangePlace,
    /// What it is about inside the place: a property path (`applicant.email`), a status,
    /// a header or a security scheme's name.
    pub subject: Option<String>,
    /// The title of a requirement or scenario, in both languages.
    pub title: Option<Localized>,
    /// The schema keyword of a constraint (`maxLength`, `enum`, `oneOf`).
    pub keyword: Option<String>,
    /// What was there before and after, where one value says it (types, limits, the enum
    /// values added or removed, levels, scopes).
    pub old_value: Option<Value>,
    pub new_value: Option<Value>,
    /// Where it is written in the old and in the new version.
    pub old: Option<Position>,
    pub new: Option<Position>,
}

/// An operation, as the new version names it (the old one, when it was removed).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct OperationRef {
    pub path: String,
    pub method: String,
    pub operation_id: Option<String>,
}

/// A place in a file: its JSON pointer, and its line once located.
#[derive(Debug, Clone, Serialize)]
pub struct Position {
    pub file: String,
    pub pointer: String,
    pub line: Option<usize>,
    #[serde(skip)]
    pub(crate) source: Arc<SourceFile>,
}

impl Position {
    pub fn new(source: &Arc<SourceFile>, pointer: impl Into<String>) -> Position {
        Position { file: source.name.clone(), pointer: pointer.into(), line: None, source: source.clone() }
    }

    /// `file:line` (or the file alone when the line is not known).
    pub fn shown(&self) -> String {
        match self.line {
            Some(line) => format!("{}:{line}", self.file),
            None => self.file.clone(),
        }
    }
}

impl Change {
    /// A change of a kind at a place, classified by its kind.
    pub fn new(code: ChangeKind, place: ChangePlace) -> Change {
        let (class, breaking_for_clients) = classify(code);
        Change {
            code,
            class,
            breaking_for_clients,
            operation: None,
            place,
            subject: None,
            title: None,
            keyword: None,
            old_value: None,
            new_value: None,
            old: None,
            new: None,
        }
    }

    fn sort_key(&self) -> impl Ord + '_ {
        (
            self.class,
            &self.operation,
            &self.place,
            &self.subject,
            self.code,
            self.new.as_ref().map(|p| (&p.file, &p.pointer)),
            self.old.as_ref().map(|p| (&p.file, &p.pointer)),
        )
    }
}

/// One side of a diff, as a person names it.
#[derive(Debug, Clone, Serialize)]
pub struct Side {
    /// `case-intake 1.0.0`, or the file's name.
    pub name: String,
    /// `id@version` for a catalogue specification.
    pub specification: Option<String>,
    /// The OpenAPI document's file.
    pub file: String,
    /// The `openapi` field (`3.0.1`).
    pub openapi: String,
    /// The specification's version, or the document's `info.version`.
    pub version: Option<String>,
}

impl Side {
    pub fn of_document(api: &ApiDoc) -> Side {
        Side {
            name: api.docs[0].file.name.clone(),
            specification: None,
            file: api.docs[0].file.name.clone(),
            openapi: api.declared_version.clone(),
            version: info_version(api),
        }
    }

    pub fn of_spec(spec: &Spec) -> Side {
        Side {
            name: format!("{} {}", spec.meta.id, spec.meta.version),
            specification: Some(spec.key()),
            file: spec
                .api
                .as_ref()
                .and_then(|a| crate::source::catalogue_name(&catalogue_root(spec)?, &a.docs[0].file.path))
                .unwrap_or_else(|| format!("{}/{}/{}", spec.meta.id, spec.meta.version, spec.meta.openapi)),
            openapi: spec.api.as_ref().map(|a| a.declared_version.clone()).unwrap_or_default(),
            version: Some(spec.meta.version.to_string()),
        }
    }
}

fn info_version(api: &ApiDoc) -> Option<String> {
    match api.docs[0].value.pointer("/info/version")? {
        Value::String(s) => Some(s.clone()),
        Value::Null => None,
        other => Some(other.to_string()),
    }
}

/// Everything that changed between two versions.
#[derive(Debug, Clone, Serialize)]
pub struct Diff {
    pub old: Side,
    pub new: Side,
    /// Sorted by class, operation, place, subject and code: the order every output uses.
    pub changes: Vec<Change>,
    /// What the two versions' numbers say against the changes.
    pub findings: Vec<DiffNote>,
}

/// How many changes of each class.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    pub total: usize,
    pub must_change: usize,
    pub should_change: usize,
    pub no_action: usize,
    pub breaking_for_clients: usize,
}

impl Diff {
    pub fn counts(&self) -> Counts {
        let mut c = Counts { total: self.changes.len(), ..Counts::default() };
        for change in &self.changes {
            match change.class {
                ChangeClass::MustChange => c.must_change += 1,
                ChangeClass::ShouldChange => c.should_change += 1,
                ChangeClass::NoAction => c.no_action += 1,
            }
            c.breaking_for_clients += usize::from(change.breaking_for_clients);
        }
        c
    }
}

/// The changes between two OpenAPI descriptions: operations, parameters, bodies,
/// responses, headers, security and schemas, sorted and located (`file:line`).
pub fn documents(old: &ApiDoc, new: &ApiDoc) -> Vec<Change> {
    let mut changes = operations::compare(old, new);
    finish(&mut changes);
    changes
}

/// The diff of two OpenAPI files (their `info.version`s are the versions).
pub fn files(old: &ApiDoc, new: &ApiDoc) -> Diff {
    let (old_side, new_side) = (Side::of_document(old), Side::of_document(new));
    let changes = documents(old, new);
    let findings = findings(old_side.version.as_deref(), new_side.version.as_deref(), &changes);
    Diff { old: old_side, new: new_side, changes, findings }
}

/// The diff of two versions of catalogue specifications: requirements, scenarios and, when
/// both descriptions loaded, the OpenAPI changes.
pub fn specs(old: &Spec, new: &Spec) -> Diff {
    let mut changes = catalogue::requirements(old, new);
    changes.extend(catalogue::scenarios(old, new));
    if let (Some(a), Some(b)) = (&old.api, &new.api) {
        changes.extend(operations::compare(a, b));
    }
    finish(&mut changes);
    in_catalogue(&mut changes, old, new);
    let (old_side, new_side) = (Side::of_spec(old), Side::of_spec(new));
    let findings = findings(old_side.version.as_deref(), new_side.version.as_deref(), &changes);
    Diff { old: old_side, new: new_side, changes, findings }
}

/// The catalogue folder a specification version lies in (`<root>/<id>/<version>`).
fn catalogue_root(spec: &Spec) -> Option<std::path::PathBuf> {
    spec.dir.parent()?.parent().map(std::path::Path::to_path_buf)
}

/// Files named as the catalogue names them (`case-intake/2.0.0/openapi.yaml`), not by where
/// the catalogue happens to be (a temporary folder, for the one built in): a changelog reads
/// the same wherever it was made.
fn in_catalogue(changes: &mut [Change], old: &Spec, new: &Spec) {
    let roots: Vec<_> = [catalogue_root(old), catalogue_root(new)].into_iter().flatten().collect();
    for p in changes.iter_mut().flat_map(|c| c.old.iter_mut().chain(c.new.iter_mut())) {
        if let Some(name) = roots.iter().find_map(|root| crate::source::catalogue_name(root, &p.source.path)) {
            p.file = name;
        }
    }
}

fn finish(changes: &mut Vec<Change>) {
    locate::lines(changes);
    // Sorted by index, then moved once: a change is a few hundred bytes, and a diff of
    // large descriptions holds a hundred thousand of them.
    let mut order: Vec<usize> = (0..changes.len()).collect();
    order.sort_by(|a, b| changes[*a].sort_key().cmp(&changes[*b].sort_key()));
    let mut slots: Vec<Option<Change>> = std::mem::take(changes).into_iter().map(Some).collect();
    changes.extend(order.into_iter().filter_map(|i| slots[i].take()));
}

/// A version as numbers (`7.10` → [7, 10], `v1.2.0` → [1, 2, 0]); `None` when it is not one
/// (a date, a name).
fn numbers(version: &str) -> Option<Vec<u64>> {
    let v = version.trim().trim_start_matches(['v', 'V']);
    // A date (`2022-08-01`) is a name, not a major version 2022.
    let b = v.as_bytes();
    if b.len() >= 10 && b[4] == b'-' && b[7] == b'-' && b[..4].iter().all(u8::is_ascii_digit) {
        return None;
    }
    let core = v.split(['-', '+']).next()?;
    let parts: Option<Vec<u64>> = core.split('.').map(|p| p.parse().ok()).collect();
    parts.filter(|p| !p.is_empty() && p.len() <= 4)
}

/// What the two version numbers say against the changes.
fn findings(old: Option<&str>, new: Option<&str>, changes: &[Change]) -> Vec<DiffNote> {
    let (Some(old), Some(new)) = (old, new) else { return Vec::new() };
    let breaking = changes.iter().filter(|c| c.breaking_for_clients).count();
    let (old_version, new_version) = (old.to_string(), new.to_string());
    let Some((a, b)) = numbers(old).zip(numbers(new)) else {
        if old == new && !changes.is_empty() {
            return vec![DiffNote::ChangedWithoutNewVersion { version: new_version, changes: changes.len() }];
        }
        return Vec::new();
    };
    let pad = |mut v: Vec<u64>| {
        v.resize(3, 0);
        v
    };
    let (a, b) = (pad(a), pad(b));
    if b < a {
        return vec![DiffNote::VersionGoesBack { old_version, new_version }];
    }
    if a == b {
        if changes.is_empty() {
            return Vec::new();
        }
        return vec![DiffNote::ChangedWithoutNewVersion { version: new_version, changes: changes.len() }];
    }
    // Below 1.0.0 the minor number is the one that says "breaking" (semver's 0.y.z).
    let same_line = if a[0] == 0 { b[0] == 0 && a[1] == b[1] } else { a[0] == b[0] };
    if breaking > 0 && same_line {
        return vec![DiffNote::BreakingWithinMajor { old_version, new_version, breaking }];
    }
    Vec::new()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn breaking() -> Change {
        Change::new(ChangeKind::OperationRemoved, ChangePlace::Operation)
    }

    #[test]
    fn version_numbers() {
        assert_eq!(numbers("7.10"), Some(vec![7, 10]));
        assert_eq!(numbers("v1.2.0-beta"), Some(vec![1, 2, 0]));
        assert_eq!(numbers("2022-08-01"), None);
        assert_eq!(numbers("@project.version@"), None);
    }

    #[test]
    fn a_breaking_change_needs_a_new_major_version() {
        let changes = vec![breaking()];
        assert_eq!(
            findings(Some("7.9"), Some("7.10"), &changes),
            vec![DiffNote::BreakingWithinMajor { old_version: "7.9".into(), new_version: "7.10".into(), breaking: 1 }]
        );
        assert!(findings(Some("1.1.0"), Some("2.0.0"), &changes).is_empty());
        // Below 1.0.0 a new minor version may break.
        assert!(findings(Some("0.1.0"), Some("0.2.0"), &changes).is_empty());
        assert_eq!(findings(Some("0.1.0"), Some("0.1.1"), &changes).len(), 1);
    }

    #[test]
    fn changes_under_one_version_number_and_versions_going_back() {
        let changes = vec![Change::new(ChangeKind::OperationAdded, ChangePlace::Operation)];
        assert_eq!(
            findings(Some("2.1"), Some("2.1"), &changes),
            vec![DiffNote::ChangedWithoutNewVersion { version: "2.1".into(), changes: 1 }]
        );
        assert!(findings(Some("2.1"), Some("2.1"), &[]).is_empty());
        assert_eq!(
            findings(Some("1.1.0"), Some("1.0.0"), &changes),
            vec![DiffNote::VersionGoesBack { old_version: "1.1.0".into(), new_version: "1.0.0".into() }]
        );
        assert_eq!(findings(Some("@x@"), Some("@x@"), &changes).len(), 1);
        assert!(findings(Some("2022-04-12"), Some("2023-09-12"), &changes).is_empty());
    }
}
