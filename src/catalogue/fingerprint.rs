//! Fingerprints: SHA-256 of every file of a specification version, and one combined hash,
//! so a report shows exactly which catalogue it was made with and `konform verify` can
//! name a file that was edited since.

use std::collections::BTreeMap;
use std::path::{Component, Path, PathBuf};

use sha2::{Digest, Sha256};

use crate::model::Fingerprints;

/// Fingerprints of files already loaded: each path with the SHA-256 (hex) of its bytes as
/// read. Nothing is read again, so a file edited or deleted after loading changes nothing.
pub fn of_loaded(dir: &Path, files: &[(PathBuf, String)]) -> Fingerprints {
    let map: BTreeMap<String, String> =
        files.iter().map(|(file, hash)| (relative_name(dir, file), hash.clone())).collect();
    Fingerprints { combined: combine(&map), files: map }
}

/// The fingerprint of a whole catalogue folder: the [`combine`]d hash of every file below
/// it, named relative to it. Hidden files and folders (names starting with `.`) are left
/// out, symlinks to folders are not followed, and a file a symlink leads to outside the
/// folder is left out (and not read). build.rs applies the same definition to the
/// catalogue it embeds.
pub fn of_folder(root: &Path) -> std::io::Result<String> {
    let boundary = crate::source::Boundary::catalogue(root);
    let mut files = BTreeMap::new();
    let mut folders = vec![(root.to_path_buf(), String::new())];
    while let Some((dir, prefix)) = folders.pop() {
        for entry in std::fs::read_dir(&dir)? {
            let entry = entry?;
            let name = entry.file_name().to_string_lossy().into_owned();
            if name.starts_with('.') {
                continue;
            }
            let name = if prefix.is_empty() { name } else { format!("{prefix}/{name}") };
            let (path, kind) = (entry.path(), entry.file_type()?);
            if kind.is_dir() {
                folders.push((path, name));
            } else if kind.is_file() || (kind.is_symlink() && path.is_file() && boundary.admits(&path).is_ok()) {
                files.insert(name, crate::source::sha256_hex(&std::fs::read(&path)?));
            }
        }
    }
    Ok(combine(&files))
}

/// The combined hash over `path NUL hash LF` lines in path order.
pub fn combine(files: &BTreeMap<String, String>) -> String {
    let mut hasher = Sha256::new();
    for (path, hash) in files {
        hasher.update(path.as_bytes());
        hasher.update([0u8]);
        hasher.update(hash.as_bytes());
        hasher.update([b'\n']);
    }
    hex::encode(hasher.finalize())
}

/// A file's name relative to the specification folder, `/`-separated.
fn relative_name(dir: &Path, file: &Path) -> String {
    let abs = |p: &Path| std::fs::canonicalize(p).unwrap_or_else(|_| p.to_path_buf());
    let (dir, file) = (abs(dir), abs(file));
    let rel = match file.strip_prefix(&dir) {
        Ok(r) => r.to_path_buf(),
        Err(_) => {
            // Outside the folder: express it with `..` from the folder.
            let common = dir.ancestors().find(|a| file.starts_with(a)).unwrap_or(Path::new("/"));
            let ups = dir.strip_prefix(common).map(|r| r.components().count()).unwrap_or(0);
            let mut p = PathBuf::new();
            for _ in 0..ups {
                p.push("..");
            }
            p.join(file.strip_prefix(common).unwrap_or(&file))
        }
    };
    rel.components()
        .filter_map(|c| match c {
            Component::Normal(s) => Some(s.to_string_lossy().into_owned()),
            Component::ParentDir => Some("..".into()),
            _ => None,
        })
        .collect::<Vec<_>>()
        .join("/")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fingerprints_name_files_relative_to_the_folder() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("spec/fixtures")).unwrap();
        std::fs::write(dir.path().join("spec/a.yaml"), "a").unwrap();
        std::fs::write(dir.path().join("spec/fixtures/b.json"), "b").unwrap();
        std::fs::write(dir.path().join("shared.yaml"), "s").unwrap();
        let hash = |p: PathBuf| {
            let digest = hex::encode(Sha256::digest(std::fs::read(&p).unwrap()));
            (p, digest)
        };
        let files = [
            hash(dir.path().join("spec/a.yaml")),
            hash(dir.path().join("spec/fixtures/b.json")),
            hash(dir.path().join("shared.yaml")),
        ];
        let f = of_loaded(&dir.path().join("spec"), &files);
        let names: Vec<&str> = f.files.keys().map(String::as_str).collect();
        assert_eq!(names, vec!["../shared.yaml", "a.yaml", "fixtures/b.json"]);
        assert_eq!(f.files["a.yaml"], "ca978112ca1bbdcafac231b39a23dc4da786eff8147c4e72b9807785afee48bb");
        let mut changed = f.files.clone();
        changed.insert("a.yaml".into(), "0".into());
        assert_ne!(combine(&changed), f.combined);
    }
}
