//! Which catalogue a command uses, when it was not named with a path:
//!
//! 1. `--catalogue DIR`, or else `KONFORM_CATALOGUE` (what the user said);
//! 2. else `./conformance-suites`, when the working folder has one (a catalogue being
//!    edited, or konform's own repository): with a warning when it is not the catalogue
//!    built into konform, so that a stale copy lying around is never used silently;
//! 3. else the catalogue built into konform, written to a temporary folder that is removed
//!    when the command ends.
//!
//! Every report records which one it was (version, fingerprint, built in or not).

use std::path::{Path, PathBuf};

use super::Console;
use crate::catalogue::embedded;
use crate::error::Failure;
use crate::messages::{Lang, Note};
use crate::model::CatalogueIdentity;

/// The folder used when no catalogue is named and the working folder has one.
pub const LOCAL: &str = "conformance-suites";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Origin {
    /// `--catalogue`, `KONFORM_CATALOGUE`, or a command's own path argument.
    Given,
    /// `./conformance-suites`.
    Local,
    /// Built into konform.
    Embedded,
}

/// The catalogue a command reads, and the temporary folder holding it when it is the one
/// built in (removed when this is dropped).
pub struct CatalogueSource {
    pub root: PathBuf,
    pub origin: Origin,
    _extracted: Option<tempfile::TempDir>,
}

impl CatalogueSource {
    /// How it is named to a person: the folder as given, or the built-in catalogue.
    pub fn shown(&self) -> String {
        match self.origin {
            Origin::Embedded => {
                format!("built-in catalogue {}", embedded::VERSION.unwrap_or("(unversioned)"))
            }
            Origin::Given | Origin::Local => crate::source::display_path(&self.root),
        }
    }

    /// A path below the catalogue as shown to a person (`<shown>/case-intake/1.1.0`).
    pub fn show_path(&self, path: &Path) -> String {
        match crate::source::catalogue_name(&self.root, path) {
            Some(rest) if self.origin == Origin::Embedded => format!("{}/{rest}", self.shown()),
            _ => crate::source::display_path(path),
        }
    }

    /// Its version and fingerprint (for a folder, of its files as they are now).
    pub fn identity(&self) -> Result<CatalogueIdentity, Failure> {
        if self.origin == Origin::Embedded {
            return Ok(embedded::identity());
        }
        folder_identity(&self.root)
    }
}

/// A catalogue folder's version and fingerprint.
fn folder_identity(root: &Path) -> Result<CatalogueIdentity, Failure> {
    let fingerprint = crate::catalogue::fingerprint::of_folder(root).map_err(|e| {
        Failure::InvalidInput(format!("cannot fingerprint the catalogue {}: {e}", crate::source::display_path(root)))
    })?;
    // A `catalogue.yaml` that does not load is reported by `check` and the loader.
    let version = crate::catalogue::lifecycle::CatalogueRules::load(root)
        .ok()
        .flatten()
        .and_then(|(_, rules)| rules.version)
        .map(|v| v.to_string());
    Ok(CatalogueIdentity { version, fingerprint, embedded: false })
}

/// The catalogue to use: `given` (a flag or `KONFORM_CATALOGUE`), else `./conformance-suites`,
/// else the one built in. A local folder that is not the built-in catalogue is used with a
/// warning (in `lang`).
pub fn resolve(given: Option<&Path>, io: &mut Console<'_>, lang: Lang) -> Result<CatalogueSource, Failure> {
    if let Some(dir) = given {
        return Ok(CatalogueSource { root: dir.to_path_buf(), origin: Origin::Given, _extracted: None });
    }
    let local = Path::new(LOCAL);
    if local.is_dir() {
        let same = crate::catalogue::fingerprint::of_folder(local).is_ok_and(|f| f == embedded::FINGERPRINT);
        if !same {
            let version = folder_identity(local).ok().and_then(|i| i.version);
            let built_in = embedded::VERSION.map(str::to_string);
            let note = Note::LocalCatalogue { dir: LOCAL.into(), version, built_in };
            errln!(io, "{}", note.get(lang));
        }
        return Ok(CatalogueSource { root: local.to_path_buf(), origin: Origin::Local, _extracted: None });
    }
    let extracted = embedded::extract()
        .map_err(|e| Failure::Incomplete(format!("cannot write the built-in catalogue to a temporary folder: {e}")))?;
    Ok(CatalogueSource { root: extracted.path().to_path_buf(), origin: Origin::Embedded, _extracted: Some(extracted) })
}
