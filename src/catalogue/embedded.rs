//! The catalogue built into konform: every file of `conformance-suites/` at build time
//! (build.rs writes the list, with the catalogue's version and fingerprint), so konform
//! runs from any folder.
//!
//! The loader reads folders and confines every reference to the catalogue's own folder
//! (`source::Boundary`); rather than a second, virtual way of reading files, the embedded
//! catalogue is written out to a fresh temporary folder for the process that needs it and
//! loaded from there like any other (the fingerprints are of bytes, so they are the same).
//! The folder is removed when the command ends. (The reference vendor, which needs only
//! the descriptions it implements, reads them from [`FILES`] through
//! `ApiDoc::load_built_in`: nothing on disk, so nothing to confine.)

use std::io;
use std::path::{Component, Path};

use crate::model::CatalogueIdentity;

/// One embedded file.
pub struct File {
    /// Relative to the catalogue folder, `/`-separated.
    pub path: &'static str,
    /// Lower-case hex SHA-256 of `bytes`.
    pub sha256: &'static str,
    pub bytes: &'static [u8],
}

include!(concat!(env!("OUT_DIR"), "/catalogue.rs"));

/// The embedded catalogue's identity (computed when konform was built).
pub fn identity() -> CatalogueIdentity {
    CatalogueIdentity { version: VERSION.map(str::to_string), fingerprint: FINGERPRINT.to_string(), embedded: true }
}

/// The embedded catalogue written to a new temporary folder, removed when dropped.
pub fn extract() -> io::Result<tempfile::TempDir> {
    let dir = tempfile::Builder::new().prefix("konform-catalogue-").tempdir()?;
    for file in FILES {
        write_file(dir.path(), file)?;
    }
    Ok(dir)
}

/// Why `konform catalogue export` did not write.
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    #[error("{} is not empty: pass --force to write the catalogue into it anyway", .0.display())]
    NotEmpty(std::path::PathBuf),
    #[error("{} is not a folder", .0.display())]
    NotAFolder(std::path::PathBuf),
    #[error("{} is a symlink: konform writes the catalogue only into folders of DIR itself", .0.display())]
    Symlink(std::path::PathBuf),
    #[error("cannot write {}: {source}", path.display())]
    Io { path: std::path::PathBuf, source: io::Error },
}

/// Writes the embedded catalogue into `dir` (created if need be) and returns how many files
/// it wrote. A folder that is not empty is refused unless `force`; then the catalogue's
/// files replace those of the same name (a symlink among them is replaced, not followed),
/// and other files stay.
pub fn export(dir: &Path, force: bool) -> Result<usize, ExportError> {
    let io = |source| ExportError::Io { path: dir.to_path_buf(), source };
    match std::fs::symlink_metadata(dir) {
        Ok(m) if m.is_dir() => {
            let mut entries = std::fs::read_dir(dir).map_err(io)?;
            if entries.next().is_some() && !force {
                return Err(ExportError::NotEmpty(dir.to_path_buf()));
            }
        }
        Ok(m) if m.file_type().is_symlink() && dir.is_dir() => {
            // DIR itself may be a link to a folder: that is where the user asked for it.
            if std::fs::read_dir(dir).map_err(io)?.next().is_some() && !force {
                return Err(ExportError::NotEmpty(dir.to_path_buf()));
            }
        }
        Ok(_) => return Err(ExportError::NotAFolder(dir.to_path_buf())),
        Err(e) if e.kind() == io::ErrorKind::NotFound => std::fs::create_dir_all(dir).map_err(io)?,
        Err(e) => return Err(io(e)),
    }
    for file in FILES {
        replace_file(dir, file)?;
    }
    Ok(FILES.len())
}

/// Creates each folder of `file.path` below `dir` (refusing a symlink or a file in the
/// way), removes what stands at the file's own name, and writes the file.
fn replace_file(dir: &Path, file: &File) -> Result<(), ExportError> {
    let mut at = dir.to_path_buf();
    let parts: Vec<&str> = file.path.split('/').collect();
    let (name, folders) = parts.split_last().expect("a path has a name");
    for folder in folders {
        at.push(folder);
        match std::fs::symlink_metadata(&at) {
            Ok(m) if m.is_dir() => {}
            Ok(m) if m.file_type().is_symlink() => return Err(ExportError::Symlink(at)),
            Ok(_) => return Err(ExportError::NotAFolder(at)),
            Err(e) if e.kind() == io::ErrorKind::NotFound => {
                std::fs::create_dir(&at).map_err(|source| ExportError::Io { path: at.clone(), source })?
            }
            Err(source) => return Err(ExportError::Io { path: at, source }),
        }
    }
    at.push(name);
    match std::fs::symlink_metadata(&at) {
        Ok(m) if m.is_dir() => return Err(ExportError::NotAFolder(at)),
        Ok(_) => std::fs::remove_file(&at).map_err(|source| ExportError::Io { path: at.clone(), source })?,
        Err(_) => {}
    }
    let mut out = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&at)
        .map_err(|source| ExportError::Io { path: at.clone(), source })?;
    io::Write::write_all(&mut out, file.bytes).map_err(|source| ExportError::Io { path: at, source })
}

/// Writes one file into a fresh folder (nothing is in the way).
fn write_file(dir: &Path, file: &File) -> io::Result<()> {
    let relative = Path::new(file.path);
    // build.rs only lists plain names, but a path must never leave the folder.
    if !relative.components().all(|c| matches!(c, Component::Normal(_))) {
        return Err(io::Error::other(format!("{} is not a plain relative path", file.path)));
    }
    let path = dir.join(relative);
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)?;
    }
    std::fs::write(path, file.bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_embedded_catalogue_is_the_project_folder_byte_for_byte() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("conformance-suites");
        let on_disk = super::super::fingerprint::of_folder(&root).unwrap();
        assert_eq!(on_disk, FINGERPRINT, "rebuild: the embedded catalogue is not the folder's");
        for file in FILES {
            assert_eq!(crate::source::sha256_hex(file.bytes), file.sha256, "{}", file.path);
        }
        // The version build.rs read is the one the loader reads.
        let loaded = super::super::lifecycle::CatalogueRules::load(&root).unwrap().unwrap().1;
        assert_eq!(loaded.version.map(|v| v.to_string()).as_deref(), VERSION);
        assert!(VERSION.is_some(), "conformance-suites/catalogue.yaml states its version");
    }

    #[test]
    fn extracted_and_exported_catalogues_have_the_embedded_fingerprint() {
        let extracted = extract().unwrap();
        assert_eq!(super::super::fingerprint::of_folder(extracted.path()).unwrap(), FINGERPRINT);
        let out = tempfile::tempdir().unwrap();
        let target = out.path().join("catalogue");
        assert_eq!(export(&target, false).unwrap(), FILES.len());
        assert_eq!(super::super::fingerprint::of_folder(&target).unwrap(), FINGERPRINT);
        assert!(matches!(export(&target, false), Err(ExportError::NotEmpty(_))));
        // --force writes over an edited file, and through no symlink.
        let edited = target.join("catalogue.yaml");
        std::fs::write(&edited, "edited").unwrap();
        export(&target, true).unwrap();
        assert_eq!(super::super::fingerprint::of_folder(&target).unwrap(), FINGERPRINT);
    }

    #[cfg(unix)]
    #[test]
    fn export_never_writes_through_a_symlink() {
        let out = tempfile::tempdir().unwrap();
        let elsewhere = tempfile::tempdir().unwrap();
        let target = out.path().join("catalogue");
        std::fs::create_dir(&target).unwrap();
        std::os::unix::fs::symlink(elsewhere.path(), target.join("case-intake")).unwrap();
        assert!(matches!(export(&target, true), Err(ExportError::Symlink(_))));
        assert_eq!(std::fs::read_dir(elsewhere.path()).unwrap().count(), 0, "nothing written through the links");
    }
}
