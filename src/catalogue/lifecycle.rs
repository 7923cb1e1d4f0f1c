//! A specification version's lifecycle: the dates it was published, deprecated and retired
//! (its sunset), and the version replacing it; and what the catalogue as a whole says about
//! versions (`catalogue.yaml`: how many may be active at once). `konform check` validates
//! them; `catalogue list --at DATE` shows what was in force on a date; a run records the
//! state of each version it certified.

use std::path::Path;

use serde::{Deserialize, Serialize};

use super::{Catalogue, Spec, Status};
use crate::diag::Diag;
use crate::model::Date;

/// `lifecycle:` in `spec.yaml`.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Lifecycle {
    /// The day it came into force.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub published: Option<Date>,
    /// The day it was deprecated: still in force, but vendors must move to `replaced_by`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deprecated: Option<Date>,
    /// The day it is retired: no longer in force, no certificate for it holds past it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sunset: Option<Date>,
    /// The version that replaces it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub replaced_by: Option<semver::Version>,
}

impl Lifecycle {
    pub fn is_empty(&self) -> bool {
        *self == Lifecycle::default()
    }
}

pub use crate::source::CATALOGUE_FILE;

/// `catalogue.yaml`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CatalogueRules {
    /// The version of the catalogue as a whole, recorded in reports beside its fingerprint
    /// (and shown by `konform --version` for the catalogue built in). Raise it with every
    /// change; the fingerprint tells any two catalogues apart regardless.
    #[serde(default)]
    pub version: Option<semver::Version>,
    /// At most this many versions of one specification may be `active` at once (Sundsvall's
    /// API guidelines: two).
    #[serde(default)]
    pub max_active_versions: Option<usize>,
    /// The languages the catalogue's texts are written in (default: Swedish and English);
    /// a spec.yaml may declare its own.
    #[serde(default)]
    pub languages: Option<Vec<crate::model::Lang>>,
}

impl CatalogueRules {
    /// Reads `catalogue.yaml` at `root`, if there is one.
    pub fn load(root: &Path) -> Result<Option<(std::sync::Arc<crate::source::SourceFile>, CatalogueRules)>, Diag> {
        let path = root.join(CATALOGUE_FILE);
        if !path.is_file() {
            return Ok(None);
        }
        crate::typed::load::<CatalogueRules>(&path).map(Some)
    }
}

impl Spec {
    /// Its state on a day, by its lifecycle dates: `draft` before it was published (or if
    /// it is a draft), `deprecated` from its deprecation, `retired` from its sunset, else
    /// `active`. Without dates, the status its metadata declares.
    pub fn state_at(&self, day: Date) -> Status {
        let (meta, l) = (&self.meta, &self.meta.lifecycle);
        if meta.status == Status::Draft {
            return Status::Draft;
        }
        if l.sunset.is_some_and(|s| day >= s) {
            Status::Retired
        } else if l.deprecated.is_some_and(|d| day >= d) {
            Status::Deprecated
        } else if l.published.is_some_and(|p| day < p) {
            Status::Draft
        } else if l.published.is_some() || l.deprecated.is_some() || l.sunset.is_some() {
            // Dated, and none of its dates has come: it is in force as published.
            match meta.status {
                Status::Retired if l.sunset.is_none() => Status::Retired,
                Status::Deprecated if l.deprecated.is_none() => Status::Deprecated,
                _ => Status::Active,
            }
        } else {
            meta.status
        }
    }

    /// In force on a day: active or deprecated then.
    pub fn in_force_at(&self, day: Date) -> bool {
        matches!(self.state_at(day), Status::Active | Status::Deprecated)
    }
}

/// The lifecycle problems of a loaded catalogue: dates out of order, a deprecated or
/// retired version without the dates and successor it needs, a successor that does not
/// exist or is not newer, more active versions than `catalogue.yaml` allows; and, as
/// warnings, a declared status its own dates have overtaken on `today`.
pub fn check(catalogue: &Catalogue, rules: Option<&CatalogueRules>, today: Date) -> Vec<Diag> {
    let mut diags = Vec::new();
    for spec in &catalogue.specs {
        let (file, meta, l) = (&spec.meta_file, &spec.meta, &spec.meta.lifecycle);
        let at = |ptr: &str| {
            let locations = file.locate(&[ptr, "/lifecycle", "/status"]);
            locations.value(ptr).or_else(|| locations.value("/lifecycle")).or_else(|| locations.value("/status"))
        };
        let dated = [("published", l.published), ("deprecated", l.deprecated), ("sunset", l.sunset)];
        let present: Vec<(&str, Date)> = dated.iter().filter_map(|(n, d)| d.map(|d| (*n, d))).collect();
        for pair in present.windows(2) {
            let ((earlier, a), (later, b)) = (pair[0], pair[1]);
            if b < a {
                diags.push(
                    Diag::error(
                        "catalogue::lifecycle-order",
                        format!("{}: `{later}` ({b}) comes before `{earlier}` ({a})", spec.key()),
                    )
                    .at(file, at(&format!("/lifecycle/{later}")))
                    .help("a version is published, then deprecated, then retired at its sunset"),
                );
            }
        }
        let needs: &[(&str, bool)] = match meta.status {
            Status::Deprecated => &[
                ("deprecated", l.deprecated.is_some()),
                ("sunset", l.sunset.is_some()),
                ("replaced_by", l.replaced_by.is_some()),
            ],
            Status::Retired => &[("sunset", l.sunset.is_some())],
            Status::Draft | Status::Active => &[],
        };
        for (field, given) in needs {
            if !given {
                diags.push(
                    Diag::error(
                        "catalogue::lifecycle-missing",
                        format!("{} is {} but its `lifecycle` has no `{field}`", spec.key(), meta.status),
                    )
                    .at(file, at("/status"))
                    .help(
                        "a deprecated version says when it was deprecated, its sunset and the version replacing it; \
                         a retired one its sunset",
                    ),
                );
            }
        }
        if let Some(successor) = &l.replaced_by {
            let exists = catalogue.specs.iter().any(|s| s.meta.id == meta.id && s.meta.version == *successor);
            let problem = if !exists {
                Some(format!("{} names `replaced_by: {successor}`, a version the catalogue does not have", spec.key()))
            } else if *successor <= meta.version {
                Some(format!("{} names `replaced_by: {successor}`, which is not newer", spec.key()))
            } else {
                None
            };
            if let Some(message) = problem {
                diags.push(
                    Diag::error("catalogue::lifecycle-successor", message).at(file, at("/lifecycle/replaced_by")),
                );
            }
        }
        let by_dates = spec.state_at(today);
        let overtaken = matches!(
            (meta.status, by_dates),
            (Status::Active, Status::Deprecated | Status::Retired) | (Status::Deprecated, Status::Retired)
        );
        if overtaken {
            diags.push(
                Diag::warning(
                    "catalogue::lifecycle-overtaken",
                    format!(
                        "{} says `status: {}`, but by its dates it is {by_dates} since {today} or earlier",
                        spec.key(),
                        meta.status
                    ),
                )
                .at(file, at("/status"))
                .help(format!("set `status: {by_dates}`")),
            );
        }
    }
    if let Some(max) = rules.and_then(|r| r.max_active_versions) {
        let mut ids: Vec<&str> = catalogue.specs.iter().map(|s| s.meta.id.as_str()).collect();
        ids.dedup();
        for id in ids {
            let active: Vec<&Spec> =
                catalogue.specs.iter().filter(|s| s.meta.id == id && s.meta.status == Status::Active).collect();
            if active.len() > max {
                let versions: Vec<String> = active.iter().map(|s| s.meta.version.to_string()).collect();
                // At the oldest: the one to deprecate.
                let oldest = active[0];
                let f = &oldest.meta_file;
                diags.push(
                    Diag::error(
                        "catalogue::too-many-active",
                        format!(
                            "{id} has {} active versions ({}); {CATALOGUE_FILE} allows at most {max}",
                            active.len(),
                            versions.join(", ")
                        ),
                    )
                    .at(f, f.locate(&["/status"]).value("/status"))
                    .help("deprecate the oldest, with its sunset and the version replacing it"),
                );
            }
        }
    }
    diags
}
