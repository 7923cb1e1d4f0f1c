//! A register of results: a folder of plain files that a git repository can hold.
//!
//! ```text
//! DIR/register.toml            the register's name and publisher
//! DIR/keys/NAME.pub            the trusted signing keys (PEM, as `konform keygen` writes them)
//! DIR/reports/ID.json          the accepted reports, byte for byte, by report id
//! DIR/revocations/ID.json      a revoked report's date and reason (the report stays)
//! ```
//!
//! Whether a report may be added is decided by `app::register` (its signature against the
//! trusted keys, its fingerprints against the catalogue); this module keeps the files, and
//! [`registry`] reads them back into what the site ([`site`], [`badge`]) shows.

pub mod badge;
pub mod registry;
pub mod site;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use ed25519_dalek::pkcs8::EncodePublicKey;
use ed25519_dalek::VerifyingKey;
use serde::{Deserialize, Serialize};

use crate::messages::Localized;
use crate::model::Date;

/// The register's configuration file.
pub const CONFIG: &str = "register.toml";

const DEFAULT_CONFIG: &str = r#"# A konform register: signed conformance results, checked when added and kept as plain
# files. See docs/register.md.
#
# Trusted signing keys are the PEM files in keys/; a key's name is its file name without
# `.pub`. Add one with `konform register trust KEY.pub --name NAME --register .`.

[register]
# The register's name on its site, in both languages (optional).
# title = { sv = "Register över provningsresultat", en = "Register of conformance results" }
# Who publishes the register (optional), shown on every page.
# publisher = "Myndigheten för digital förvaltning"
"#;

/// Why the register could not do what it was asked.
#[derive(Debug, thiserror::Error)]
pub enum RegisterError {
    #[error("{} is not a register: it has no {CONFIG} (make one with `konform register init {}`)", .0.display(), .0.display())]
    NotARegister(PathBuf),
    #[error("{} is already a register", .0.display())]
    AlreadyARegister(PathBuf),
    #[error("{}: {detail}", path.display())]
    Invalid { path: PathBuf, detail: String },
    #[error("cannot read {}: {source}", path.display())]
    Unreadable { path: PathBuf, source: std::io::Error },
    #[error("cannot write {}: {source}", path.display())]
    Unwritable { path: PathBuf, source: std::io::Error },
}

impl From<RegisterError> for crate::error::Failure {
    fn from(e: RegisterError) -> crate::error::Failure {
        match e {
            RegisterError::Unwritable { .. } => crate::error::Failure::Incomplete(e.to_string()),
            _ => crate::error::Failure::InvalidInput(e.to_string()),
        }
    }
}

#[derive(Debug, Default, Deserialize)]
struct ConfigFile {
    #[serde(default)]
    register: Settings,
}

/// What `register.toml` says.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct Settings {
    pub title: Option<Localized>,
    pub publisher: Option<String>,
}

/// A signing key the register trusts.
#[derive(Debug, Clone)]
pub struct TrustedKey {
    /// Its file name without `.pub`.
    pub name: String,
    /// SHA-256 of its SPKI DER, as `konform verify` shows it.
    pub sha256: String,
    pub key: VerifyingKey,
}

/// A revoked report: when and why. The report itself stays in the register.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Revocation {
    /// The report's id.
    pub report: String,
    pub date: Date,
    pub reason: String,
}

/// An opened register.
#[derive(Debug)]
pub struct Register {
    pub dir: PathBuf,
    pub settings: Settings,
    /// By name.
    pub keys: Vec<TrustedKey>,
}

/// What storing a report did.
#[derive(Debug, PartialEq, Eq)]
pub enum Stored {
    New,
    /// The same bytes were already there.
    AlreadyThere,
    /// Another report with this id is there.
    IdTaken,
}

fn unreadable(path: &Path) -> impl FnOnce(std::io::Error) -> RegisterError + '_ {
    move |source| RegisterError::Unreadable { path: path.to_path_buf(), source }
}

fn unwritable(path: &Path) -> impl FnOnce(std::io::Error) -> RegisterError + '_ {
    move |source| RegisterError::Unwritable { path: path.to_path_buf(), source }
}

/// A name that can be a file name: letters, digits, `-`, `_` and `.`, not starting with `.`,
/// at most 64 characters. Key names and report ids must be one.
pub fn plain_name(text: &str) -> bool {
    !text.is_empty()
        && text.len() <= 64
        && !text.starts_with('.')
        && text.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
}

/// Writes a file whole or not at all (a temporary file renamed into place).
fn write_file(path: &Path, bytes: &[u8]) -> Result<(), RegisterError> {
    crate::report::write::report_to(path, |w| w.write_all(bytes)).map_err(|e| RegisterError::Unwritable {
        path: path.to_path_buf(),
        source: std::io::Error::other(e.to_string()),
    })
}

impl Register {
    /// Makes a register in `dir` (created if needed): the configuration and empty folders.
    pub fn init(dir: &Path) -> Result<(), RegisterError> {
        let config = dir.join(CONFIG);
        if config.exists() {
            return Err(RegisterError::AlreadyARegister(dir.to_path_buf()));
        }
        for sub in ["keys", "reports", "revocations"] {
            let path = dir.join(sub);
            std::fs::create_dir_all(&path).map_err(unwritable(&path))?;
        }
        write_file(&config, DEFAULT_CONFIG.as_bytes())
    }

    /// Opens the register in `dir`; unknown keys of its configuration are `warnings`.
    pub fn open(dir: &Path, warnings: &mut Vec<String>) -> Result<Register, RegisterError> {
        let config = dir.join(CONFIG);
        if !config.is_file() {
            return Err(RegisterError::NotARegister(dir.to_path_buf()));
        }
        let text = std::fs::read_to_string(&config).map_err(unreadable(&config))?;
        let invalid = |e: toml::de::Error| RegisterError::Invalid { path: config.clone(), detail: e.to_string() };
        let de = toml::Deserializer::parse(&text).map_err(invalid)?;
        let mut unknown = Vec::new();
        let file: ConfigFile = serde_ignored::deserialize(de, |p| unknown.push(p.to_string())).map_err(invalid)?;
        warnings.extend(unknown.into_iter().map(|k| format!("{}: unknown key `{k}` is ignored", config.display())));
        let keys = read_keys(&dir.join("keys"))?;
        Ok(Register { dir: dir.to_path_buf(), settings: file.register, keys })
    }

    /// The trusted key with this fingerprint.
    pub fn trusted(&self, sha256: &str) -> Option<&TrustedKey> {
        self.keys.iter().find(|k| k.sha256 == sha256)
    }

    /// Adds a public key to the trusted keys as `keys/NAME.pub`.
    pub fn trust(&self, public_key: &Path, name: &str) -> Result<TrustedKey, RegisterError> {
        if !plain_name(name) {
            return Err(RegisterError::Invalid {
                path: public_key.to_path_buf(),
                detail: format!(
                    "`{}` cannot name a key: use letters, digits, `-`, `_` and `.`",
                    crate::model::printable(name)
                ),
            });
        }
        let key = crate::report::sign::read_public_key(public_key)
            .map_err(|e| RegisterError::Invalid { path: public_key.to_path_buf(), detail: e.to_string() })?;
        let sha256 = fingerprint(&key);
        if let Some(known) = self.trusted(&sha256) {
            return Err(RegisterError::Invalid {
                path: public_key.to_path_buf(),
                detail: format!("the register already trusts this key as {}", known.name),
            });
        }
        let path = self.dir.join("keys").join(format!("{name}.pub"));
        if path.exists() {
            return Err(RegisterError::Invalid {
                path: public_key.to_path_buf(),
                detail: format!("the register already has a key named {name}"),
            });
        }
        let pem = std::fs::read(public_key).map_err(unreadable(public_key))?;
        std::fs::create_dir_all(self.dir.join("keys")).map_err(unwritable(&path))?;
        write_file(&path, &pem)?;
        Ok(TrustedKey { name: name.to_string(), sha256, key })
    }

    /// Where the report with this id is kept.
    pub fn report_path(&self, id: &str) -> PathBuf {
        self.dir.join("reports").join(format!("{id}.json"))
    }

    /// Keeps a report's bytes as `reports/ID.json`, unless another report holds the id.
    pub fn store(&self, id: &str, bytes: &[u8]) -> Result<Stored, RegisterError> {
        let path = self.report_path(id);
        match std::fs::read(&path) {
            Ok(existing) if existing == bytes => return Ok(Stored::AlreadyThere),
            Ok(_) => return Ok(Stored::IdTaken),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(unreadable(&path)(e)),
        }
        std::fs::create_dir_all(self.dir.join("reports")).map_err(unwritable(&path))?;
        write_file(&path, bytes)?;
        Ok(Stored::New)
    }

    /// The ids of the reports in the register, sorted, with their files.
    pub fn reports(&self) -> Result<Vec<(String, PathBuf)>, RegisterError> {
        Ok(entries(&self.dir.join("reports"), "json")?.into_iter().filter(|(id, _)| plain_name(id)).collect())
    }

    /// Every revocation, by report id.
    pub fn revocations(&self) -> Result<BTreeMap<String, Revocation>, RegisterError> {
        let mut out = BTreeMap::new();
        for (id, path) in entries(&self.dir.join("revocations"), "json")? {
            let text = std::fs::read_to_string(&path).map_err(unreadable(&path))?;
            let revocation: Revocation = serde_json::from_str(&text)
                .map_err(|e| RegisterError::Invalid { path: path.clone(), detail: e.to_string() })?;
            if revocation.report != id {
                return Err(RegisterError::Invalid {
                    path,
                    detail: format!("it revokes {}, not the report its name says", revocation.report),
                });
            }
            out.insert(id, revocation);
        }
        Ok(out)
    }

    /// Marks a report revoked; the report stays. Refused for a report the register does not
    /// hold, or one already revoked.
    pub fn revoke(&self, id: &str, reason: &str, date: Date) -> Result<Revocation, RegisterError> {
        let invalid = |detail: String| RegisterError::Invalid { path: self.dir.clone(), detail };
        if !plain_name(id) || !self.report_path(id).is_file() {
            return Err(invalid(format!("the register holds no report {}", crate::model::printable(id))));
        }
        if reason.trim().is_empty() {
            return Err(invalid("a revocation needs a reason (--reason)".into()));
        }
        let path = self.dir.join("revocations").join(format!("{id}.json"));
        if let Some(known) = self.revocations()?.get(id) {
            return Err(invalid(format!("{id} was already revoked on {}", known.date)));
        }
        let revocation = Revocation { report: id.to_string(), date, reason: reason.to_string() };
        let text = serde_json::to_string_pretty(&revocation).unwrap_or_default() + "\n";
        std::fs::create_dir_all(self.dir.join("revocations")).map_err(unwritable(&path))?;
        write_file(&path, text.as_bytes())?;
        Ok(revocation)
    }
}

/// The fingerprint of a public key: SHA-256 of its SPKI DER.
pub fn fingerprint(key: &VerifyingKey) -> String {
    let der = key.to_public_key_der().map(|d| d.as_bytes().to_vec()).unwrap_or_default();
    crate::source::sha256_hex(&der)
}

/// The trusted keys: every `*.pub` in `keys/`, named by its file name. Two files holding
/// one key, or a file that is not a key, make the register invalid.
fn read_keys(dir: &Path) -> Result<Vec<TrustedKey>, RegisterError> {
    let mut keys: Vec<TrustedKey> = Vec::new();
    for (name, path) in entries(dir, "pub")? {
        let key = crate::report::sign::read_public_key(&path)
            .map_err(|e| RegisterError::Invalid { path: path.clone(), detail: e.to_string() })?;
        let sha256 = fingerprint(&key);
        if let Some(twin) = keys.iter().find(|k| k.sha256 == sha256) {
            return Err(RegisterError::Invalid { path, detail: format!("the same key as keys/{}.pub", twin.name) });
        }
        if !plain_name(&name) {
            return Err(RegisterError::Invalid {
                path,
                detail: "a key's file name must be letters, digits, `-`, `_` and `.`".into(),
            });
        }
        keys.push(TrustedKey { name, sha256, key });
    }
    Ok(keys)
}

/// The files `*.EXT` of a folder (none when it does not exist), by stem, sorted.
fn entries(dir: &Path, ext: &str) -> Result<Vec<(String, PathBuf)>, RegisterError> {
    let read = match std::fs::read_dir(dir) {
        Ok(r) => r,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(unreadable(dir)(e)),
    };
    let mut out = Vec::new();
    for entry in read {
        let path = entry.map_err(unreadable(dir))?.path();
        let stem = path.file_stem().and_then(|s| s.to_str()).map(str::to_string);
        match stem {
            Some(stem) if path.extension().is_some_and(|e| e == ext) && !stem.starts_with('.') && path.is_file() => {
                out.push((stem, path))
            }
            _ => {}
        }
    }
    out.sort();
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_plain_file_names() {
        for good in ["digg", "lab-2", "a.b_c", "3f2a91c0-1d2e-4c5b-9a8f-0123456789ab"] {
            assert!(plain_name(good), "{good}");
        }
        for bad in ["", ".", "..", ".hidden", "a/b", "a\\b", "a b", "å", &"x".repeat(65)] {
            assert!(!plain_name(bad), "{bad}");
        }
    }

    #[test]
    fn a_report_is_kept_once_by_its_id_and_revoked_without_being_deleted() {
        let dir = tempfile::tempdir().unwrap();
        Register::init(dir.path()).unwrap();
        assert!(matches!(Register::init(dir.path()), Err(RegisterError::AlreadyARegister(_))));
        let register = Register::open(dir.path(), &mut Vec::new()).unwrap();
        assert_eq!(register.store("r1", b"{}").unwrap(), Stored::New);
        assert_eq!(register.store("r1", b"{}").unwrap(), Stored::AlreadyThere);
        assert_eq!(register.store("r1", b"{ }").unwrap(), Stored::IdTaken);
        let day: Date = "2027-01-02".parse().unwrap();
        let r = register.revoke("r1", "key stolen", day).unwrap();
        assert_eq!(register.revocations().unwrap().get("r1"), Some(&r));
        assert!(register.revoke("r1", "again", day).is_err(), "revoked twice");
        assert!(register.revoke("r2", "none", day).is_err(), "no such report");
        assert!(register.revoke("../r1", "path", day).is_err());
        assert!(register.report_path("r1").is_file(), "the report stays");
    }
}
