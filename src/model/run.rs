//! The run's results: plain data describing what was sent, what came back and every
//! verdict. Evidence is redacted before it leaves exec, so what renderers read holds no
//! secret. Renderers read it; nothing writes it back.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

pub use super::scenarios::{ScenarioResult, ScenarioRole};
use crate::messages::{Level, Localized};

/// Bumped whenever the JSON shape changes incompatibly.
pub const FORMAT_VERSION: &str = "2.6";

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum RequirementVerdict {
    Pass,
    Fail,
    /// No selected scenario covers it. Never counts as a pass.
    NotTested,
    /// A covering scenario could not be completed. Never counts as a pass.
    Error,
    /// A precondition failed: a setup step of a covering scenario did not give what the
    /// scenario's point needed, so the requirement was not judged. Counts against
    /// certification like `error`; `blocked_by` names the failed steps.
    Blocked,
    /// It did not pass, and a waiver in force accepts that for a time (`waiver` says who,
    /// why and until when). Counts as met for certification, and is always shown.
    Waived,
    /// Verified by people, not by konform: a signed attestation says who checked it, when,
    /// and with what evidence. Never `pass`; counts as met for certification.
    Attested,
    /// A `may` requirement the vendor's conformance statement declares not offered.
    NotApplicable,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum SpecVerdict {
    Certified,
    NotCertified,
}

#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct RequirementResult {
    pub id: String,
    pub level: Level,
    pub title: Localized,
    pub text: Localized,
    pub verdict: RequirementVerdict,
    /// The scenarios covering it in this run.
    pub scenarios: Vec<String>,
    /// When `blocked`: the setup steps that failed.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub blocked_by: Vec<Precondition>,
    /// The ids of the specification's `departures` attributed to it: departures from the
    /// OpenAPI document seen in its scenarios' own steps, or in setup steps anywhere that
    /// call an operation its scenarios test.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub departures: Vec<String>,
    /// How it is verified; absent for `automatic` (by konform's scenarios).
    #[serde(default, skip_serializing_if = "Verification::is_automatic")]
    pub verification: Verification,
    /// When `waived`: the waiver in force, and the verdict it covers.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub waiver: Option<AppliedWaiver>,
    /// When `attested`: the id of the specification's `attestations` entry that attests it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attestation: Option<String>,
    /// When `not_applicable`: what the vendor's conformance statement says.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub not_applicable: Option<NotOffered>,
}

/// A specification version's lifecycle as the catalogue stated it when the run started.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct SpecLifecycle {
    /// Its state that day: `draft`, `active`, `deprecated` or `retired`.
    pub status: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub published: Option<super::Date>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deprecated: Option<super::Date>,
    /// The day it is retired: a certificate for it holds no later than that.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sunset: Option<super::Date>,
    /// The version that replaces it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub replaced_by: Option<String>,
}

/// A setup step that failed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Precondition {
    pub scenario: String,
    pub step: String,
}

/// One distinct departure from the OpenAPI document (an automatic check that failed),
/// reported once however often it was seen.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct Departure {
    /// `D1`, `D2`... within the specification, in the order first seen.
    pub id: String,
    /// The operation id.
    pub operation: String,
    /// The response status it was seen on.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<u16>,
    /// The automatic check: `status-documented`, `content-type-documented`, `body-schema`,
    /// `required-headers`.
    pub check: String,
    /// What the first occurrence found, as a check's message.
    #[serde(flatten, with = "crate::messages::wire::check")]
    #[schemars(with = "crate::messages::wire::check::Members")]
    pub said: crate::messages::Msg,
    /// How many responses showed it.
    pub count: usize,
    /// The steps that saw it (the first 20).
    pub seen_in: Vec<StepRef>,
    /// The requirements it is attributed to.
    pub requirements: Vec<String>,
}

/// A step of a scenario.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct StepRef {
    pub scenario: String,
    pub step: String,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema)]
pub struct Counts {
    pub requirements: usize,
    pub requirements_passed: usize,
    pub requirements_failed: usize,
    pub requirements_not_tested: usize,
    pub requirements_error: usize,
    #[serde(default)]
    pub requirements_blocked: usize,
    #[serde(default)]
    pub requirements_waived: usize,
    #[serde(default)]
    pub requirements_attested: usize,
    #[serde(default)]
    pub requirements_not_applicable: usize,
    pub scenarios: usize,
    pub scenarios_passed: usize,
    pub steps: usize,
    pub steps_passed: usize,
    pub steps_failed: usize,
    pub steps_error: usize,
    pub steps_skipped: usize,
}

#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct SpecResult {
    pub id: String,
    pub version: String,
    pub title: Localized,
    pub fingerprints: Fingerprints,
    pub verdict: SpecVerdict,
    /// Only some scenarios were selected (filters): never certified.
    pub partial: bool,
    /// The version's lifecycle on the day the run started (absent before format 2.1).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lifecycle: Option<SpecLifecycle>,
    /// The languages its titles and texts are written in, when not both Swedish and
    /// English (format 2.6): in another language they are shown as written.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub languages: Option<Vec<crate::messages::Lang>>,
    pub requirements: Vec<RequirementResult>,
    // In a run, stored on its spool and read back one at a time.
    #[schemars(with = "Vec<ScenarioResult>")]
    pub scenarios: super::scenarios::Scenarios,
    /// Each distinct departure from the OpenAPI document seen in the run, once.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub departures: Vec<Departure>,
    /// The signed attestations given for this specification version (`--attestations`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub attestations: Vec<Attestation>,
    /// Waivers given for this specification version that did not apply, and why.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub unused_waivers: Vec<UnusedWaiver>,
    pub counts: Counts,
}

#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct Target {
    pub base_url: String,
    /// The vendor, product and product version under test, as declared by whoever ran.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vendor: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub product: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub product_version: Option<String>,
}

/// SHA-256 fingerprints of every catalogue file a specification consists of.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema, PartialEq)]
pub struct Fingerprints {
    /// Lower-case hex SHA-256 over the sorted `path NUL hash LF` lines of `files`.
    pub combined: String,
    /// Path relative to the specification folder (`/` separated) → lower-case hex SHA-256.
    pub files: std::collections::BTreeMap<String, String>,
}

/// An Ed25519 signature over the canonical report (the report without `signature`,
/// serialised with sorted keys and no white space).
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct Signature {
    pub algorithm: String,
    /// Base64 of the 32-byte public key.
    pub public_key: String,
    /// Base64 of the 64-byte signature.
    pub value: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct RunReport {
    pub format_version: String,
    /// This report's own id (a random UUID), to cite it by (absent before format 2.0).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// Who issued it, as `--issuer` named them (the signing key identifies them).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub issuer: Option<String>,
    /// RFC 3339: the certificate holds until then (`--valid-for` after `started`); `verify`
    /// reports an expired one (absent before format 2.0).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub valid_until: Option<String>,
    pub tool: String,
    pub tool_version: String,
    pub target: Target,
    /// RFC 3339 timestamps.
    pub started: String,
    pub finished: String,
    pub duration_ms: f64,
    /// The level from which failed requirements count (`must` or `should`).
    pub fail_on: Level,
    pub verdict: SpecVerdict,
    pub partial: bool,
    /// The run was stopped (signal or deadline) before every step ran.
    pub interrupted: bool,
    /// The catalogue as a whole: its version and fingerprint (absent before format 2.2).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub catalogue: Option<super::CatalogueIdentity>,
    /// This report is one shard's slice of a plan (`--shard K/N`): partial, never
    /// certified on its own; `konform report merge` puts the shards together.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shard: Option<super::ShardRecord>,
    /// RFC 3339: the moment `--now` set for deciding which waivers were in force, instead
    /// of the run's own time; absent when the run's own time decided.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub as_of: Option<String>,
    /// What changed since an earlier report (`run --since`), per specification and
    /// requirement: the vendor's to-do list (absent before format 2.3).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub since: Option<super::Since>,
    /// The generated checks the run made (`--generate`), with their seed and budget, so
    /// that their requests can be made again (absent before format 2.4, and without
    /// `--generate`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub generated: Option<super::GeneratedRecord>,
    pub specifications: Vec<SpecResult>,
    pub counts: Counts,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub signature: Option<Signature>,
}

// What people declared beside what konform tested, as the report records it: waivers that
// accept a known deviation for a time, attestations of requirements no machine can test,
// and a vendor's conformance statement of optional features it does not offer. Each is a
// field of the report, so the report's signature covers it.

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
