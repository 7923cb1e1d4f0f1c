//! What people declared beside what konform tested, as the report records it: waivers that
//! accept a known deviation for a time, attestations of requirements no machine can test,
//! and a vendor's conformance statement of optional features it does not offer. Each is
//! a field of the report, so the report's signature covers it.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::run::{RequirementVerdict, Signature};

/// How a requirement is verified (`verification:` in the catalogue's requirements.yaml).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Verification {
    /// By konform, through the scenarios that cover it.
    #[default]
    Automatic,
    /// By people: a signed attestation given at run time (`--attestations`) makes it
    /// `attested`; without one it is `not_tested`.
    Attestation,
}

impl Verification {
    pub fn is_automatic(&self) -> bool {
        *self == Verification::Automatic
    }
}

/// A waiver as its file states it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Waiver {
    /// The requirement it waives.
    pub requirement: String,
    /// The specification versions it is for, as written: one version (`1.1.0`) or a
    /// semantic-version range (`>=1.0.0, <2.0.0`).
    pub versions: String,
    /// Why the deviation is accepted.
    pub reason: String,
    /// Where it was decided or is tracked (a ticket, a decision number).
    pub reference: String,
    /// Who approved it; always present for a `must` requirement.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub approved_by: Option<String>,
    /// The last day it is in force (`YYYY-MM-DD`, UTC).
    pub expires: String,
    /// The verdicts it may turn into `waived` (`fail`, and `error` or `blocked` when its
    /// file says so).
    pub covers: Vec<RequirementVerdict>,
}

/// A waiver in force on a requirement, with the verdict the requirement had without it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct AppliedWaiver {
    #[serde(flatten)]
    pub waiver: Waiver,
    /// The verdict the run gave the requirement (`fail`, `error` or `blocked`).
    pub covers_verdict: RequirementVerdict,
}

/// A waiver given for a specification of the run that did not apply, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct UnusedWaiver {
    #[serde(flatten)]
    pub waiver: Waiver,
    pub why: WhyUnused,
}

/// Why a waiver did not apply.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(tag = "is", rename_all = "snake_case")]
pub enum WhyUnused {
    /// Its last day (`on`) was before the moment the run was judged (`as_of`, else the
    /// run's own time).
    Expired { on: String },
    /// The requirement passed: there was nothing to waive.
    Passed,
    /// The requirement's verdict is one the waiver does not cover (a waiver never covers
    /// `not_tested`, nor a requirement already waived, attested or not applicable).
    NotCovered { verdict: RequirementVerdict },
}

/// A signed attestation that people verified requirements no machine can test.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct Attestation {
    /// `A1`, `A2`... within the specification; requirements name it in `attestation`.
    pub id: String,
    /// The requirements it attests.
    pub requirements: Vec<String>,
    /// Who checked.
    pub by: String,
    /// When they checked: a date (`YYYY-MM-DD`) or an RFC 3339 time, as written.
    pub date: String,
    pub evidence: Evidence,
    /// SHA-256 of the signing key's SPKI DER (the key given with `--attestation-key`).
    pub key_sha256: String,
    /// The attestation as it was signed: its file without `signature`, as JSON. The
    /// signature is over its JCS form (RFC 8785), so anyone can check it again.
    pub document: serde_json::Value,
    pub signature: Signature,
}

/// What the attestation rests on: text, a URL, the SHA-256 of a file; at least one.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Evidence {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// Lower-case hex SHA-256 of the evidence file.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sha256: Option<String>,
}

/// A `may` requirement the vendor's conformance statement declares not offered.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct NotOffered {
    /// Why the product does not offer it, as the statement says.
    pub reason: String,
    /// The vendor and product the statement is from, as it declares them.
    pub vendor: String,
    pub product: String,
    /// The verdict the run gave the requirement.
    pub tested_verdict: RequirementVerdict,
}
