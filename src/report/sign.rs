//! Signing and verifying reports with Ed25519.
//!
//! The signed bytes are the **canonical report**: the report's JSON without its `signature`
//! member, serialised with object keys sorted and no insignificant white space. Any change
//! to any value (one byte of a verdict, a fingerprint, a timestamp) changes them. Keys are
//! stored as standard PKCS#8 / SPKI PEM files, readable by OpenSSL.

use std::path::Path;

use base64::Engine;
use ed25519_dalek::pkcs8::{
    spki::der::pem::LineEnding, DecodePrivateKey, DecodePublicKey, EncodePrivateKey, EncodePublicKey,
};
use ed25519_dalek::{Signer, SigningKey, Verifier, VerifyingKey};
use serde_json::Value;

use crate::model::{RunReport, Signature};

pub const ALGORITHM: &str = "ed25519";

/// Serialises a JSON value with sorted keys and no white space.
pub fn canonical(value: &Value) -> String {
    let mut out = String::new();
    write_canonical(value, &mut out);
    out
}

fn write_canonical(value: &Value, out: &mut String) {
    match value {
        Value::Object(map) => {
            let mut keys: Vec<&String> = map.keys().collect();
            keys.sort();
            out.push('{');
            for (i, k) in keys.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                out.push_str(&Value::String((*k).clone()).to_string());
                out.push(':');
                write_canonical(&map[*k], out);
            }
            out.push('}');
        }
        Value::Array(items) => {
            out.push('[');
            for (i, v) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_canonical(v, out);
            }
            out.push(']');
        }
        scalar => out.push_str(&scalar.to_string()),
    }
}

/// The bytes a signature covers.
pub fn signed_bytes(report: &Value) -> Vec<u8> {
    let mut unsigned = report.clone();
    if let Some(map) = unsigned.as_object_mut() {
        map.remove("signature");
    }
    canonical(&unsigned).into_bytes()
}

/// Writes a new key pair: `<stem>.key` (private, mode 0600) and `<stem>.pub`.
pub fn keygen(private_path: &Path, public_path: &Path) -> Result<(), String> {
    let mut seed = [0u8; 32];
    getrandom::fill(&mut seed).map_err(|e| format!("no randomness for a key: {e}"))?;
    let key = SigningKey::from_bytes(&seed);
    let private = key.to_pkcs8_pem(LineEnding::LF).map_err(|e| format!("cannot encode the private key: {e}"))?;
    let public = key
        .verifying_key()
        .to_public_key_pem(LineEnding::LF)
        .map_err(|e| format!("cannot encode the public key: {e}"))?;
    for path in [private_path, public_path] {
        if path.exists() {
            return Err(format!("{} exists; konform does not overwrite keys", path.display()));
        }
    }
    write_private(private_path, private.as_bytes())?;
    std::fs::write(public_path, public).map_err(|e| format!("cannot write {}: {e}", public_path.display()))?;
    Ok(())
}

#[cfg(unix)]
fn write_private(path: &Path, bytes: &[u8]) -> Result<(), String> {
    use std::io::Write;
    use std::os::unix::fs::OpenOptionsExt;
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)
        .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    f.write_all(bytes).map_err(|e| format!("cannot write {}: {e}", path.display()))
}

#[cfg(not(unix))]
fn write_private(path: &Path, bytes: &[u8]) -> Result<(), String> {
    std::fs::write(path, bytes).map_err(|e| format!("cannot write {}: {e}", path.display()))
}

pub fn read_signing_key(path: &Path) -> Result<SigningKey, String> {
    let text =
        std::fs::read_to_string(path).map_err(|e| format!("cannot read the signing key {}: {e}", path.display()))?;
    SigningKey::from_pkcs8_pem(&text)
        .map_err(|e| format!("{} is not an Ed25519 private key (PKCS#8 PEM): {e}", path.display()))
}

pub fn read_public_key(path: &Path) -> Result<VerifyingKey, String> {
    let text =
        std::fs::read_to_string(path).map_err(|e| format!("cannot read the public key {}: {e}", path.display()))?;
    VerifyingKey::from_public_key_pem(&text)
        .map_err(|e| format!("{} is not an Ed25519 public key (PEM): {e}", path.display()))
}

/// Signs a report in place.
pub fn sign(report: &mut RunReport, key: &SigningKey) -> Result<(), String> {
    report.signature = None;
    let value = serde_json::to_value(&*report).map_err(|e| e.to_string())?;
    let signature = key.sign(&signed_bytes(&value));
    let b64 = base64::engine::general_purpose::STANDARD;
    report.signature = Some(Signature {
        algorithm: ALGORITHM.into(),
        public_key: b64.encode(key.verifying_key().to_bytes()),
        value: b64.encode(signature.to_bytes()),
    });
    Ok(())
}

/// The result of checking a report's signature.
#[derive(Debug, PartialEq, Eq)]
pub enum SignatureCheck {
    Unsigned,
    /// Valid; `trusted` when it was made by the public key the caller gave.
    Valid {
        trusted: bool,
    },
    Invalid(String),
}

/// Checks the signature of a report read from disk (as JSON).
pub fn verify(report: &Value, expected: Option<&VerifyingKey>) -> SignatureCheck {
    let Some(sig) = report.get("signature").filter(|s| !s.is_null()) else { return SignatureCheck::Unsigned };
    let b64 = base64::engine::general_purpose::STANDARD;
    let field = |name: &str| sig.get(name).and_then(Value::as_str).unwrap_or("");
    if field("algorithm") != ALGORITHM {
        return SignatureCheck::Invalid(format!("unknown signature algorithm `{}`", field("algorithm")));
    }
    let key_bytes: [u8; 32] = match b64.decode(field("public_key")).ok().and_then(|b| b.try_into().ok()) {
        Some(b) => b,
        None => return SignatureCheck::Invalid("the embedded public key is malformed".into()),
    };
    let embedded = match VerifyingKey::from_bytes(&key_bytes) {
        Ok(k) => k,
        Err(_) => return SignatureCheck::Invalid("the embedded public key is not a valid Ed25519 key".into()),
    };
    if let Some(expected) = expected {
        if expected.to_bytes() != embedded.to_bytes() {
            return SignatureCheck::Invalid("the report was signed with a different key than the one given".into());
        }
    }
    let sig_bytes: [u8; 64] = match b64.decode(field("value")).ok().and_then(|b| b.try_into().ok()) {
        Some(b) => b,
        None => return SignatureCheck::Invalid("the signature value is malformed".into()),
    };
    let signature = ed25519_dalek::Signature::from_bytes(&sig_bytes);
    match embedded.verify(&signed_bytes(report), &signature) {
        Ok(()) => SignatureCheck::Valid { trusted: expected.is_some() },
        Err(_) => SignatureCheck::Invalid(
            "the signature does not match the report's content: it was changed after signing".into(),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn canonical_form_sorts_keys() {
        assert_eq!(
            canonical(&json!({"b": [1, {"d": 1, "c": "x"}], "a": null})),
            r#"{"a":null,"b":[1,{"c":"x","d":1}]}"#
        );
    }

    #[test]
    fn signatures_cover_every_value() {
        let key = SigningKey::from_bytes(&[7u8; 32]);
        let mut report = json!({"verdict": "certified", "n": 1});
        let sig = key.sign(&signed_bytes(&report));
        let b64 = base64::engine::general_purpose::STANDARD;
        report["signature"] = json!({"algorithm": "ed25519", "public_key": b64.encode(key.verifying_key().to_bytes()), "value": b64.encode(sig.to_bytes())});
        assert_eq!(verify(&report, Some(&key.verifying_key())), SignatureCheck::Valid { trusted: true });
        let mut changed = report.clone();
        changed["verdict"] = json!("certifieD");
        assert!(matches!(verify(&changed, None), SignatureCheck::Invalid(_)));
        let other = SigningKey::from_bytes(&[8u8; 32]);
        assert!(
            matches!(verify(&report, Some(&other.verifying_key())), SignatureCheck::Invalid(m) if m.contains("different key"))
        );
    }
}
