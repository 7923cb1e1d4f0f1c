//! Attestations: people state, and sign, that they verified requirements no machine can
//! test (those the catalogue marks `verification: attestation`).
//!
//! ```yaml
//! specification: building-permit
//! version: 1.0.0
//! requirements: [PERMIT-011]
//! by: Karin Lund, systems auditor, Sundsvall
//! date: 2026-11-30
//! evidence:
//!   text: Every screen of the officer's interface walked through against the API.
//!   url: https://example.org/audit/2026-11
//!   sha256: 5f0c…                   # of the audit protocol
//! signature:                        # added by `konform attest sign`
//!   algorithm: ed25519
//!   public_key: …
//!   value: …
//! ```
//!
//! The signature is Ed25519 over the attestation without its `signature` member, in the
//! JSON Canonicalization Scheme (RFC 8785) — the same form reports are signed in — so the
//! YAML's layout and comments do not matter, and anyone can check it with standard tools.
//! A run trusts only the keys given with `--attestation-key`.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use base64::Engine;
use ed25519_dalek::{SigningKey, Verifier, VerifyingKey};
use serde::Deserialize;
use serde_json::Value;

use super::{blank, moment, requirement_of, spec_versions, unknown_requirement, Clock};
use crate::catalogue::Catalogue;
use crate::diag::{Diag, Placed};
use crate::model::{Attestation, Evidence, Signature, Verification};
use crate::report::sign;
use crate::source::SourceFile;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct AttestationFile {
    specification: String,
    version: String,
    requirements: Vec<String>,
    by: String,
    date: String,
    evidence: Evidence,
    #[serde(default)]
    signature: Option<SignatureField>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SignatureField {
    algorithm: String,
    public_key: String,
    value: String,
}

/// An attestation read, its signature checked by a trusted key, and checked against the
/// catalogue: for `spec` at `version`. Its `id` is given when it is applied.
#[derive(Debug, Clone)]
pub struct Given {
    pub spec: String,
    pub version: semver::Version,
    pub record: Attestation,
}

/// The keys `--attestation-key` names. None given is itself a mistake when attestations are.
pub fn trusted_keys(paths: &[PathBuf], diags: &mut Vec<Diag>) -> Vec<VerifyingKey> {
    if paths.is_empty() {
        diags.push(
            Diag::error(
                "attestation::no-key",
                "attestations were given without a key to check them: pass the public key (PEM) of whoever \
                 signs them with --attestation-key",
            )
            .help("an attestation counts only when a key the run trusts signed it"),
        );
    }
    let mut keys = Vec::new();
    for path in paths {
        match sign::read_public_key(path) {
            Ok(key) => keys.push(key),
            Err(e) => diags.push(Diag::error("attestation::key", e.to_string())),
        }
    }
    keys
}

/// The bytes an attestation's signature covers: the document without `signature`, in JCS.
pub fn signed_bytes(document: &Value) -> Vec<u8> {
    let mut unsigned = document.clone();
    if let Some(map) = unsigned.as_object_mut() {
        map.remove("signature");
    }
    serde_json_canonicalizer::to_vec(&unsigned).expect("a JSON value has a canonical form (no NaN, no duplicate key)")
}

/// Why an attestation's signature does not hold, if it does not.
fn check_signature(
    document: &Value,
    sig: &SignatureField,
    trusted: &[VerifyingKey],
) -> Result<String, (&'static str, String)> {
    let b64 = base64::engine::general_purpose::STANDARD;
    if sig.algorithm != sign::ALGORITHM {
        return Err(("algorithm", format!("the signature's algorithm is `{}`, not ed25519", sig.algorithm)));
    }
    let key = b64
        .decode(sig.public_key.trim())
        .ok()
        .and_then(|b| <[u8; 32]>::try_from(b).ok())
        .and_then(|b| VerifyingKey::from_bytes(&b).ok())
        .ok_or(("public_key", "the public key is not a base64 Ed25519 key".to_string()))?;
    let fingerprint = sign::key_fingerprint(&sig.public_key).unwrap_or_default();
    if !trusted.iter().any(|k| k.to_bytes() == key.to_bytes()) {
        return Err((
            "public_key",
            format!(
                "it is signed by a key the run was not told to trust (SHA-256 {fingerprint}): pass that key's \
                 public half with --attestation-key if you trust who signed it"
            ),
        ));
    }
    let value = b64
        .decode(sig.value.trim())
        .ok()
        .and_then(|b| <[u8; 64]>::try_from(b).ok())
        .ok_or(("value", "the signature value is not 64 bytes of base64".to_string()))?;
    let signature = ed25519_dalek::Signature::from_bytes(&value);
    key.verify(&signed_bytes(document), &signature).map_err(|_| {
        ("", "its signature does not hold: the attestation was changed after it was signed".to_string())
    })?;
    Ok(fingerprint)
}

/// Reads one attestation file; every mistake goes to `placed` (at its line) or `diags`.
pub fn load(
    catalogue: &Catalogue,
    file: &Arc<SourceFile>,
    trusted: &[VerifyingKey],
    clock: Clock,
    placed: &mut Placed,
    diags: &mut Vec<Diag>,
) -> Option<Given> {
    let value = match crate::typed::parse(file) {
        Ok(v) => v,
        Err(d) => {
            diags.push(d);
            return None;
        }
    };
    let parsed = match crate::typed::from_value::<AttestationFile>(file, value.clone()) {
        Ok(p) => p,
        Err(d) => {
            diags.push(d);
            return None;
        }
    };
    let before = placed.len();
    let error = |code: &'static str, message: String, label: &str| Diag::error(code, message).label(label.to_string());
    let Some(sig) = &parsed.signature else {
        let d = error("attestation::unsigned", format!("{} is not signed", file.name), "no signature")
            .help("sign it with `konform attest sign FILE --sign-key KEY`");
        placed.push(d, file, "");
        return None;
    };
    let key_sha256 = match check_signature(&value, sig, trusted) {
        Ok(fingerprint) => fingerprint,
        Err((field, message)) => {
            let pointer = if field.is_empty() { "/signature".to_string() } else { format!("/signature/{field}") };
            placed.push(
                error("attestation::signature", format!("{}: {message}", file.name), "signature"),
                file,
                &pointer,
            );
            return None;
        }
    };
    let all = match spec_versions(catalogue, &parsed.specification) {
        Ok(all) => all,
        Err(d) => {
            placed.push(d, file, "/specification");
            return None;
        }
    };
    let Some(spec) = semver::Version::parse(parsed.version.trim())
        .ok()
        .and_then(|v| all.iter().copied().find(|s| s.meta.version == v))
    else {
        let known: Vec<String> = all.iter().map(|s| s.meta.version.to_string()).collect();
        let message = format!(
            "an attestation is for one version of a specification: `{}` has no version `{}` (the catalogue has {})",
            parsed.specification,
            parsed.version,
            known.join(", ")
        );
        placed.push(error("declared::unknown-version", message, "no such version"), file, "/version");
        return None;
    };
    if parsed.requirements.is_empty() {
        placed.push(error("attestation::nothing", "it attests no requirement".into(), "empty"), file, "/requirements");
    }
    for (j, id) in parsed.requirements.iter().enumerate() {
        let pointer = format!("/requirements/{j}");
        match requirement_of(catalogue, spec, id) {
            None => placed.push(unknown_requirement(catalogue, &[spec], id), file, &pointer),
            Some((_, Verification::Automatic)) => {
                let d = error(
                    "attestation::automatic-requirement",
                    format!(
                        "{id} of {} is verified by konform's scenarios: an attestation cannot stand for it (only a \
                         requirement marked `verification: attestation` can be attested)",
                        spec.key()
                    ),
                    "verified automatically",
                );
                placed.push(d, file, &pointer);
            }
            Some((_, Verification::Attestation)) => {}
        }
    }
    if blank(&parsed.by) {
        placed.push(error("attestation::empty", "`by` must name who verified it".into(), "empty"), file, "/by");
    }
    match moment(parsed.date.trim()) {
        None => placed.push(
            error(
                "attestation::not-a-date",
                format!("`date: {}` is neither a day (YYYY-MM-DD) nor an RFC 3339 UTC time", parsed.date),
                "not a date",
            ),
            file,
            "/date",
        ),
        Some(when) if when > clock.now => placed.push(
            error(
                "attestation::future",
                format!(
                    "`date: {}` is after the moment the run is judged: an attestation cannot be of the future",
                    parsed.date
                ),
                "in the future",
            ),
            file,
            "/date",
        ),
        Some(_) => {}
    }
    let e = &parsed.evidence;
    if [&e.text, &e.url, &e.sha256].iter().all(|f| f.as_deref().is_none_or(blank)) {
        let d = error(
            "attestation::no-evidence",
            "`evidence` needs at least one of `text`, `url` and `sha256` (of the evidence file)".into(),
            "no evidence",
        );
        placed.push(d, file, "/evidence");
    }
    if let Some(hash) = &e.sha256 {
        if hash.len() != 64 || !hash.bytes().all(|b| b.is_ascii_hexdigit()) {
            let d =
                error("attestation::not-a-hash", format!("`{hash}` is not a hex SHA-256 (64 digits)"), "not SHA-256");
            placed.push(d, file, "/evidence/sha256");
        }
    }
    if placed.len() > before {
        return None;
    }
    let mut document = value;
    let signature = document.as_object_mut().and_then(|m| m.remove("signature"));
    let signature: Signature = serde_json::from_value(signature?).ok()?;
    Some(Given {
        spec: parsed.specification,
        version: spec.meta.version.clone(),
        record: Attestation {
            id: String::new(),
            requirements: parsed.requirements,
            by: parsed.by,
            date: parsed.date,
            evidence: parsed.evidence,
            key_sha256,
            document,
            signature,
        },
    })
}

/// Whether an attestation as a report records it is signed by the key it names and unchanged.
pub fn holds(attestation: &Attestation) -> bool {
    let sig = SignatureField {
        algorithm: attestation.signature.algorithm.clone(),
        public_key: attestation.signature.public_key.clone(),
        value: attestation.signature.value.clone(),
    };
    let b64 = base64::engine::general_purpose::STANDARD;
    let embedded = b64.decode(&sig.public_key).ok().and_then(|b| <[u8; 32]>::try_from(b).ok());
    let Some(key) = embedded.and_then(|b| VerifyingKey::from_bytes(&b).ok()) else { return false };
    check_signature(&attestation.document, &sig, &[key]).is_ok_and(|fp| fp == attestation.key_sha256)
}

/// Why an attestation could not be signed.
#[derive(Debug, thiserror::Error)]
pub enum SignError {
    #[error("{0}")]
    Read(String),
    #[error("{file}: {why}")]
    Unsignable { file: String, why: String },
}

/// The attestation file signed: its text with a `signature:` block added (YAML), or its
/// JSON with a `signature` member. The text above the block is kept as written.
pub fn sign_file(path: &Path, key: &SigningKey) -> Result<String, SignError> {
    let file = SourceFile::read(path).map_err(SignError::Read)?;
    let unsignable = |why: &str| SignError::Unsignable { file: file.name.clone(), why: why.to_string() };
    let value = file.parse().map_err(|e| unsignable(&e.message))?;
    let Some(map) = value.as_object() else { return Err(unsignable("an attestation is a mapping of its fields")) };
    if map.contains_key("signature") {
        return Err(unsignable("it is signed already: take its `signature` out to sign it again"));
    }
    let signature = ed25519_dalek::Signer::sign(key, &signed_bytes(&value));
    let b64 = base64::engine::general_purpose::STANDARD;
    let (public_key, value_b64) = (b64.encode(key.verifying_key().to_bytes()), b64.encode(signature.to_bytes()));
    if file.looks_like_json() {
        let mut signed = value.clone();
        signed["signature"] =
            serde_json::json!({"algorithm": sign::ALGORITHM, "public_key": public_key, "value": value_b64});
        let mut text = serde_json::to_string_pretty(&signed).map_err(|e| unsignable(&e.to_string()))?;
        text.push('\n');
        return Ok(text);
    }
    let mut text = file.text.to_string();
    if !text.ends_with('\n') {
        text.push('\n');
    }
    text.push_str(&format!(
        "signature:\n  algorithm: {}\n  public_key: \"{public_key}\"\n  value: \"{value_b64}\"\n",
        sign::ALGORITHM
    ));
    // The block must read back as the signature of the same document (a document whose
    // last line leaves an indented block open would swallow it).
    let back = SourceFile::from_text(path, text.clone()).parse().ok();
    let same = back.as_ref().is_some_and(|b| signed_bytes(b) == signed_bytes(&value) && b.get("signature").is_some());
    if !same {
        return Err(unsignable(
            "a `signature:` block added at its end would not read back: end the file at the top level",
        ));
    }
    Ok(text)
}
