//! Signing and verifying reports with Ed25519.
//!
//! The signed bytes are the **canonical report**: the report's JSON without its `signature`
//! member, in the JSON Canonicalization Scheme (JCS, RFC 8785: keys sorted by UTF-16 code
//! units, numbers and strings written one way, no white space), so anyone can recompute
//! them with any JCS implementation and check the signature with standard tools
//! (`openssl pkeyutl -verify -rawin`). Any change to any value (one byte of a verdict, a
//! fingerprint, a timestamp) changes them. Keys are PKCS#8 v1 (private) and SPKI (public)
//! PEM files, which OpenSSL reads and writes.
//!
//! Reports of format 1.x were signed over an earlier canonical form (keys sorted, values as
//! serde_json writes them: `0.0` where JCS writes `0`); they still verify, by that form.

use std::io::{self, Write};
use std::path::Path;

use base64::Engine;
use ed25519_dalek::hazmat::{raw_sign_byupdate, ExpandedSecretKey};
use ed25519_dalek::pkcs8::{
    spki::der::pem::LineEnding, DecodePrivateKey, DecodePublicKey, EncodePrivateKey, EncodePublicKey, KeypairBytes,
};
use ed25519_dalek::{SignatureError, SigningKey, Verifier, VerifyingKey};
use serde_json::{Map, Value};
use sha2::{Digest, Sha512};

pub use crate::messages::{Broken, Seal};
use crate::model::{RunReport, Signature, SpecResult};

pub const ALGORITHM: &str = "ed25519";

/// A value in JCS, written by serde_json_canonicalizer.
fn jcs<W: Write>(value: &Value, out: &mut W) -> io::Result<()> {
    serde_json_canonicalizer::to_writer(value, out).map_err(io::Error::other)
}

/// A member written by a function instead of from the map: a list too large to hold.
type Streamed<'a, W> = (&'a str, &'a dyn Fn(&mut W) -> io::Result<()>);

/// An object in JCS whose member `streamed` is written in its place by a function, so that
/// the list it holds never has to be in memory at once. Keys are sorted as JCS sorts them
/// (by UTF-16 code units) and written, like every value, by the JCS crate.
fn write_object<W: Write>(map: &Map<String, Value>, streamed: Streamed<'_, W>, out: &mut W) -> io::Result<()> {
    let mut keys: Vec<&str> = map.keys().map(String::as_str).filter(|k| *k != streamed.0).collect();
    keys.push(streamed.0);
    keys.sort_unstable_by(|a, b| a.encode_utf16().cmp(b.encode_utf16()));
    out.write_all(b"{")?;
    for (i, key) in keys.into_iter().enumerate() {
        if i > 0 {
            out.write_all(b",")?;
        }
        jcs(&Value::String(key.to_string()), out)?;
        out.write_all(b":")?;
        if key == streamed.0 {
            (streamed.1)(out)?;
        } else {
            jcs(&map[key], out)?;
        }
    }
    out.write_all(b"}")
}

/// Whether a report's format is signed over the canonical form of format 1.x.
fn legacy_format(report: &Value) -> bool {
    report.get("format_version").and_then(Value::as_str).is_some_and(|v| v.starts_with("1."))
}

/// The bytes a signature covers, for a report read back as a value: JCS of the report
/// without its `signature` (for format 1.x, the earlier canonical form).
pub fn signed_bytes(report: &Value) -> Vec<u8> {
    let mut unsigned = report.clone();
    if let Some(map) = unsigned.as_object_mut() {
        map.remove("signature");
    }
    if legacy_format(report) {
        return legacy::canonical(&unsigned).into_bytes();
    }
    serde_json_canonicalizer::to_vec(&unsigned).expect("a JSON value has a canonical form (no NaN, no duplicate key)")
}

/// The canonical form reports of format 1.x were signed over: keys sorted by bytes, values
/// as serde_json writes them. Kept only to verify those reports.
mod legacy {
    use std::io::{self, Write};

    use serde_json::Value;

    pub fn canonical(value: &Value) -> String {
        let mut out = Vec::new();
        write(value, &mut out).expect("writing to a Vec cannot fail");
        String::from_utf8(out).expect("serde_json writes UTF-8")
    }

    fn write(value: &Value, out: &mut Vec<u8>) -> io::Result<()> {
        match value {
            Value::Object(map) => {
                let mut keys: Vec<&String> = map.keys().collect();
                keys.sort_unstable();
                out.write_all(b"{")?;
                for (i, key) in keys.into_iter().enumerate() {
                    if i > 0 {
                        out.write_all(b",")?;
                    }
                    serde_json::to_writer(&mut *out, key).map_err(io::Error::other)?;
                    out.write_all(b":")?;
                    write(&map[key], out)?;
                }
                out.write_all(b"}")
            }
            Value::Array(items) => {
                out.write_all(b"[")?;
                for (i, v) in items.iter().enumerate() {
                    if i > 0 {
                        out.write_all(b",")?;
                    }
                    write(v, out)?;
                }
                out.write_all(b"]")
            }
            scalar => serde_json::to_writer(out, scalar).map_err(io::Error::other),
        }
    }
}

/// The canonical report (what [`signed_bytes`] gives for it) written as it is produced:
/// the report and each specification without their lists of scenarios become small
/// values, and the scenarios follow one at a time, each with its steps read back from the
/// spool. Memory holds one scenario, not the report.
pub fn write_canonical_report<W: Write>(report: &RunReport, out: &mut W) -> io::Result<()> {
    let shell = |value: Value, drop: &[&str]| -> io::Result<Map<String, Value>> {
        let Value::Object(mut map) = value else { return Err(io::Error::other("not a JSON object")) };
        for key in drop {
            map.shift_remove(*key);
        }
        Ok(map)
    };
    let top = shell(serde_json::to_value(top_level(report)).map_err(io::Error::other)?, &["specifications"])?;
    let specs = |out: &mut W| -> io::Result<()> {
        out.write_all(b"[")?;
        for (i, spec) in report.specifications.iter().enumerate() {
            if i > 0 {
                out.write_all(b",")?;
            }
            let map = shell(serde_json::to_value(spec_level(spec)).map_err(io::Error::other)?, &["scenarios"])?;
            let scenarios = |out: &mut W| -> io::Result<()> {
                out.write_all(b"[")?;
                for (j, scenario) in spec.scenarios.iter().enumerate() {
                    if j > 0 {
                        out.write_all(b",")?;
                    }
                    jcs(&serde_json::to_value(&*scenario?).map_err(io::Error::other)?, out)?;
                }
                out.write_all(b"]")
            };
            write_object(&map, ("scenarios", &scenarios), out)?;
        }
        out.write_all(b"]")
    };
    write_object(&top, ("specifications", &specs), out)
}

/// The report without its specifications (and signature). Every field is named, so a new
/// one cannot be left out of the signature unnoticed: the struct literal would not compile.
fn top_level(r: &RunReport) -> RunReport {
    RunReport {
        format_version: r.format_version.clone(),
        id: r.id.clone(),
        issuer: r.issuer.clone(),
        valid_until: r.valid_until.clone(),
        tool: r.tool.clone(),
        tool_version: r.tool_version.clone(),
        target: r.target.clone(),
        started: r.started.clone(),
        finished: r.finished.clone(),
        duration_ms: r.duration_ms,
        fail_on: r.fail_on,
        verdict: r.verdict,
        partial: r.partial,
        interrupted: r.interrupted,
        catalogue: r.catalogue.clone(),
        shard: r.shard.clone(),
        as_of: r.as_of.clone(),
        since: r.since.clone(),
        generated: r.generated.clone(),
        specifications: Vec::new(),
        counts: r.counts.clone(),
        signature: None,
    }
}

/// A specification without its scenarios; every field named, as in [`top_level`].
fn spec_level(s: &SpecResult) -> SpecResult {
    SpecResult {
        id: s.id.clone(),
        version: s.version.clone(),
        title: s.title.clone(),
        fingerprints: s.fingerprints.clone(),
        verdict: s.verdict,
        partial: s.partial,
        lifecycle: s.lifecycle.clone(),
        languages: s.languages.clone(),
        requirements: s.requirements.clone(),
        scenarios: Default::default(),
        departures: s.departures.clone(),
        attestations: s.attestations.clone(),
        unused_waivers: s.unused_waivers.clone(),
        counts: s.counts.clone(),
    }
}

/// Why a key could not be made or read, or a report not signed.
#[derive(Debug, thiserror::Error)]
pub enum SignError {
    #[error("no randomness for a key: {0}")]
    NoRandomness(String),
    #[error("cannot encode the {which} key: {reason}")]
    Encode { which: &'static str, reason: String },
    #[error("{} exists; konform does not overwrite keys", .0.display())]
    KeyExists(std::path::PathBuf),
    #[error("cannot write {}: {source}", path.display())]
    Write { path: std::path::PathBuf, source: io::Error },
    #[error("cannot read the {which} key {}: {source}", path.display())]
    Read { which: &'static str, path: std::path::PathBuf, source: io::Error },
    #[error("{} is not an Ed25519 {what}: {reason}", path.display())]
    NotAKey { path: std::path::PathBuf, what: &'static str, reason: String },
    /// The run's evidence could not be read back from the spool while signing.
    #[error("cannot read the run's evidence back to sign the report")]
    Evidence,
}

impl SignError {
    /// A key the user named is missing, unreadable or not a key (their input), rather than
    /// a failure to finish the job.
    pub fn is_input(&self) -> bool {
        matches!(self, SignError::KeyExists(_) | SignError::Read { .. } | SignError::NotAKey { .. })
    }
}

impl From<SignError> for crate::error::Failure {
    fn from(e: SignError) -> crate::error::Failure {
        if e.is_input() {
            crate::error::Failure::InvalidInput(e.to_string())
        } else {
            crate::error::Failure::Incomplete(e.to_string())
        }
    }
}

/// The fingerprint of a report's embedded public key (base64 of the raw key): SHA-256 of
/// the key's SPKI DER, as `openssl pkey -pubin -in KEY.pub -outform DER | sha256sum` gives.
pub fn key_fingerprint(public_key_b64: &str) -> Option<String> {
    let bytes: [u8; 32] = base64::engine::general_purpose::STANDARD.decode(public_key_b64).ok()?.try_into().ok()?;
    let der = VerifyingKey::from_bytes(&bytes).ok()?.to_public_key_der().ok()?;
    Some(crate::source::sha256_hex(der.as_bytes()))
}

/// What a report read from disk shows about itself when rendered: its signature checked
/// (against `pinned`, the key the reader expects, when given), and its fingerprints added
/// up, so that rendering never launders an altered report.
pub fn seal(value: &Value, report: &RunReport, pinned: Option<&VerifyingKey>) -> Seal {
    let adds_up = report
        .specifications
        .iter()
        .all(|s| crate::catalogue::fingerprint::combine(&s.fingerprints.files) == s.fingerprints.combined);
    match verify(value, pinned) {
        SignatureCheck::Invalid(why) => Seal::Altered(why),
        _ if !adds_up => Seal::Altered(Broken::FingerprintsDoNotAddUp),
        SignatureCheck::Unsigned => Seal::Unsigned,
        SignatureCheck::Valid { trusted } => {
            match report.signature.as_ref().and_then(|s| key_fingerprint(&s.public_key)) {
                Some(key) => Seal::Valid { key, pinned: trusted },
                None => Seal::Altered(Broken::MalformedKey),
            }
        }
    }
}

/// The seal of a report konform has just made (and signed, or not) in this run.
pub fn seal_of_run(report: &RunReport) -> Seal {
    match report.signature.as_ref().and_then(|s| key_fingerprint(&s.public_key)) {
        Some(key) => Seal::Valid { key, pinned: false },
        None => Seal::Unsigned,
    }
}

/// Writes a new key pair: `<stem>.key` (private, mode 0600) and `<stem>.pub`.
pub fn keygen(private_path: &Path, public_path: &Path) -> Result<(), SignError> {
    let mut seed = [0u8; 32];
    getrandom::fill(&mut seed).map_err(|e| SignError::NoRandomness(e.to_string()))?;
    let key = SigningKey::from_bytes(&seed);
    // PKCS#8 v1 (the private key alone), which every OpenSSL reads; v2 also carries the
    // public key, which OpenSSL 3.0 rejects for Ed25519.
    let private = KeypairBytes { secret_key: key.to_bytes(), public_key: None }
        .to_pkcs8_pem(LineEnding::LF)
        .map_err(|e| SignError::Encode { which: "private", reason: e.to_string() })?;
    let public = key
        .verifying_key()
        .to_public_key_pem(LineEnding::LF)
        .map_err(|e| SignError::Encode { which: "public", reason: e.to_string() })?;
    for path in [private_path, public_path] {
        if path.exists() {
            return Err(SignError::KeyExists(path.to_path_buf()));
        }
    }
    write_private(private_path, private.as_bytes())?;
    std::fs::write(public_path, public).map_err(|source| SignError::Write { path: public_path.into(), source })?;
    Ok(())
}

#[cfg(unix)]
fn write_private(path: &Path, bytes: &[u8]) -> Result<(), SignError> {
    use std::os::unix::fs::OpenOptionsExt;
    let write = |source| SignError::Write { path: path.into(), source };
    let mut f = std::fs::OpenOptions::new().write(true).create_new(true).mode(0o600).open(path).map_err(write)?;
    f.write_all(bytes).map_err(|source| SignError::Write { path: path.into(), source })
}

#[cfg(not(unix))]
fn write_private(path: &Path, bytes: &[u8]) -> Result<(), SignError> {
    std::fs::write(path, bytes).map_err(|source| SignError::Write { path: path.into(), source })
}

pub fn read_signing_key(path: &Path) -> Result<SigningKey, SignError> {
    let text = std::fs::read_to_string(path).map_err(|source| SignError::Read {
        which: "signing",
        path: path.into(),
        source,
    })?;
    SigningKey::from_pkcs8_pem(&text).map_err(|e| SignError::NotAKey {
        path: path.into(),
        what: "private key (PKCS#8 PEM)",
        reason: e.to_string(),
    })
}

pub fn read_public_key(path: &Path) -> Result<VerifyingKey, SignError> {
    let text = std::fs::read_to_string(path).map_err(|source| SignError::Read {
        which: "public",
        path: path.into(),
        source,
    })?;
    VerifyingKey::from_public_key_pem(&text).map_err(|e| SignError::NotAKey {
        path: path.into(),
        what: "public key (PEM)",
        reason: e.to_string(),
    })
}

/// Signs a report in place. The canonical report streams through the hash (twice, as
/// Ed25519 hashes the message twice), so signing holds one scenario at a time in memory.
pub fn sign(report: &mut RunReport, key: &SigningKey) -> Result<(), SignError> {
    report.signature = None;
    // What konform signs is of its own format (JCS), whatever the report was read as.
    report.format_version = crate::model::FORMAT_VERSION.into();
    let expanded = ExpandedSecretKey::from(key.as_bytes());
    let stream = |hasher: &mut Sha512| {
        let mut out = io::BufWriter::with_capacity(64 * 1024, HashWriter(hasher));
        write_canonical_report(report, &mut out).and_then(|()| out.flush()).map_err(|_| SignatureError::new())
    };
    let signature =
        raw_sign_byupdate::<Sha512, _>(&expanded, stream, &key.verifying_key()).map_err(|_| SignError::Evidence)?;
    let b64 = base64::engine::general_purpose::STANDARD;
    report.signature = Some(Signature {
        algorithm: ALGORITHM.into(),
        public_key: b64.encode(key.verifying_key().to_bytes()),
        value: b64.encode(signature.to_bytes()),
    });
    Ok(())
}

/// Bytes written into a hash.
struct HashWriter<'a>(&'a mut Sha512);

impl Write for HashWriter<'_> {
    fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
        self.0.update(bytes);
        Ok(bytes.len())
    }
    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// The result of checking a report's signature.
#[derive(Debug, PartialEq, Eq)]
pub enum SignatureCheck {
    Unsigned,
    /// Valid; `trusted` when it was made by the public key the caller gave.
    Valid {
        trusted: bool,
    },
    Invalid(Broken),
}

/// Checks the signature of a report read from disk (as JSON).
pub fn verify(report: &Value, expected: Option<&VerifyingKey>) -> SignatureCheck {
    let Some(sig) = report.get("signature").filter(|s| !s.is_null()) else { return SignatureCheck::Unsigned };
    let b64 = base64::engine::general_purpose::STANDARD;
    let field = |name: &str| sig.get(name).and_then(Value::as_str).unwrap_or("");
    if field("algorithm") != ALGORITHM {
        return SignatureCheck::Invalid(Broken::UnknownAlgorithm);
    }
    let key_bytes: [u8; 32] = match b64.decode(field("public_key")).ok().and_then(|b| b.try_into().ok()) {
        Some(b) => b,
        None => return SignatureCheck::Invalid(Broken::MalformedKey),
    };
    let embedded = match VerifyingKey::from_bytes(&key_bytes) {
        Ok(k) => k,
        Err(_) => return SignatureCheck::Invalid(Broken::NotAnEd25519Key),
    };
    if let Some(expected) = expected {
        if expected.to_bytes() != embedded.to_bytes() {
            return SignatureCheck::Invalid(Broken::DifferentKey);
        }
    }
    let sig_bytes: [u8; 64] = match b64.decode(field("value")).ok().and_then(|b| b.try_into().ok()) {
        Some(b) => b,
        None => return SignatureCheck::Invalid(Broken::MalformedValue),
    };
    let signature = ed25519_dalek::Signature::from_bytes(&sig_bytes);
    match embedded.verify(&signed_bytes(report), &signature) {
        Ok(()) => SignatureCheck::Valid { trusted: expected.is_some() },
        Err(_) => SignatureCheck::Invalid(Broken::Changed),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn the_canonical_form_is_jcs() {
        let report =
            json!({"b": [1, {"d": 1.0, "c": "x\u{1f}"}], "a": null, "format_version": "2.0", "é": 1e21, "z": 0.5});
        assert_eq!(
            String::from_utf8(signed_bytes(&report)).unwrap(),
            r#"{"a":null,"b":[1,{"c":"x\u001f","d":1}],"format_version":"2.0","z":0.5,"é":1e+21}"#
        );
        // Format 1.x keeps its own form, so its signatures still verify.
        let old = json!({"b": 1.0, "a": 0, "format_version": "1.0"});
        assert_eq!(String::from_utf8(signed_bytes(&old)).unwrap(), r#"{"a":0,"b":1.0,"format_version":"1.0"}"#);
    }

    #[test]
    fn a_report_of_format_1_signed_over_its_form_still_verifies() {
        let key = SigningKey::from_bytes(&[5u8; 32]);
        let mut report = json!({"format_version": "1.1", "verdict": "certified", "duration_ms": 12.0});
        // As konform 0.1 signed: keys sorted, `12.0` as serde_json writes it.
        let bytes = br#"{"duration_ms":12.0,"format_version":"1.1","verdict":"certified"}"#;
        let sig = ed25519_dalek::Signer::sign(&key, bytes);
        let b64 = base64::engine::general_purpose::STANDARD;
        report["signature"] = json!({"algorithm": "ed25519", "public_key": b64.encode(key.verifying_key().to_bytes()), "value": b64.encode(sig.to_bytes())});
        assert_eq!(verify(&report, Some(&key.verifying_key())), SignatureCheck::Valid { trusted: true });
        // Claiming the JCS format does not let the same signature through.
        report["format_version"] = json!("2.0");
        assert!(matches!(verify(&report, None), SignatureCheck::Invalid(_)));
    }

    #[test]
    fn the_streamed_canonical_report_is_the_canonical_value() {
        let (inline, spooled) = crate::spool::tests::sample_reports();
        for mut report in [inline, spooled] {
            let mut streamed = Vec::new();
            write_canonical_report(&report, &mut streamed).unwrap();
            let value = serde_json::to_value(&report).unwrap();
            assert_eq!(String::from_utf8(streamed).unwrap(), String::from_utf8(signed_bytes(&value)).unwrap());
            // And a streamed signature verifies on the report read back as a value.
            let key = SigningKey::from_bytes(&[9u8; 32]);
            sign(&mut report, &key).unwrap();
            let back = serde_json::to_value(&report).unwrap();
            assert_eq!(verify(&back, Some(&key.verifying_key())), SignatureCheck::Valid { trusted: true });
        }
    }

    #[test]
    fn signatures_cover_every_value() {
        let key = SigningKey::from_bytes(&[7u8; 32]);
        let mut report = json!({"verdict": "certified", "n": 1});
        let sig = ed25519_dalek::Signer::sign(&key, &signed_bytes(&report));
        let b64 = base64::engine::general_purpose::STANDARD;
        report["signature"] = json!({"algorithm": "ed25519", "public_key": b64.encode(key.verifying_key().to_bytes()), "value": b64.encode(sig.to_bytes())});
        assert_eq!(verify(&report, Some(&key.verifying_key())), SignatureCheck::Valid { trusted: true });
        let mut changed = report.clone();
        changed["verdict"] = json!("certifieD");
        assert!(matches!(verify(&changed, None), SignatureCheck::Invalid(_)));
        let other = SigningKey::from_bytes(&[8u8; 32]);
        assert!(matches!(verify(&report, Some(&other.verifying_key())), SignatureCheck::Invalid(Broken::DifferentKey)));
    }
}
