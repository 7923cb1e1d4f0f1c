//! The run's results: plain data describing what was sent, what came back and every
//! verdict. Evidence is redacted before it leaves exec, so what renderers read holds no
//! secret. Renderers read it; nothing writes it back.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::steps::{StepResult, Steps, Verdict};
use crate::messages::{Level, Localized};

/// Bumped whenever the JSON shape changes incompatibly.
pub const FORMAT_VERSION: &str = "2.0";

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum RequirementVerdict {
    Pass,
    Fail,
    /// No selected scenario covers it. Never counts as a pass.
    NotTested,
    /// A covering scenario could not be completed. Never counts as a pass.
    Error,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum SpecVerdict {
    Certified,
    NotCertified,
}

#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct ScenarioResult {
    pub id: String,
    pub title: Localized,
    pub covers: Vec<String>,
    /// From the main steps; cleanup steps are reported but do not decide it.
    pub verdict: Verdict,
    pub duration_ms: f64,
    #[schemars(with = "Vec<StepResult>")]
    pub steps: Steps,
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
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema)]
pub struct Counts {
    pub requirements: usize,
    pub requirements_passed: usize,
    pub requirements_failed: usize,
    pub requirements_not_tested: usize,
    pub requirements_error: usize,
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
    pub requirements: Vec<RequirementResult>,
    pub scenarios: Vec<ScenarioResult>,
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
    pub specifications: Vec<SpecResult>,
    pub counts: Counts,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub signature: Option<Signature>,
}
