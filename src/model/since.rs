//! What changed since an earlier report (`run --since OLD-REPORT.json`), as the report
//! records it: for each specification of the run, the version the earlier report tested,
//! and for each requirement whether it is new, changed or unchanged since then, its
//! verdict then and now, and why it is on the vendor's to-do list when it is not met now.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::RequirementVerdict;

/// The earlier report a run was compared with, and what changed since, per specification.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Since {
    /// The earlier report's file name (without its folder).
    pub report: String,
    /// The earlier report's own id (absent when it has none: before format 2.0).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub report_id: Option<String>,
    /// When the earlier run started (RFC 3339).
    pub report_started: String,
    /// The earlier report's verdict.
    pub report_verdict: super::SpecVerdict,
    /// One entry per specification of this run that the earlier report tested an older
    /// (or the same) version of, in this run's order.
    pub specifications: Vec<SinceSpec>,
}

/// One specification: from which version to which, and each requirement of the new one.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct SinceSpec {
    pub id: String,
    /// The version the earlier report tested.
    pub from_version: String,
    /// The version this run tested.
    pub to_version: String,
    /// The earlier report's combined fingerprint of `from_version`.
    pub from_fingerprint: String,
    /// The catalogue this run used holds `from_version` with other files than the earlier
    /// report was made with: the changes are computed from the catalogue's files.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub catalogue_changed: bool,
    /// How many changes between the two versions, and how many of those the vendor must act
    /// on (`must_change`, as `konform diff` classes them).
    pub changes: usize,
    pub must_change: usize,
    /// Must-change changes no requirement of `to_version` is tested through: changes to
    /// operations no scenario tests, which no verdict of this run speaks for.
    pub must_change_untested: usize,
    /// Every requirement of `to_version`, in the report's order.
    pub requirements: Vec<SinceRequirement>,
    /// Requirements of `from_version` that `to_version` no longer has.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub removed: Vec<String>,
}

/// One requirement of the new version.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct SinceRequirement {
    pub id: String,
    pub class: SinceClass,
    /// Its verdict in the earlier report (absent when new, or when the earlier report does
    /// not list it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub old_verdict: Option<RequirementVerdict>,
    /// Its verdict in this run.
    pub verdict: RequirementVerdict,
    /// The codes of the changes that make it `changed` (`konform diff`'s codes, such as
    /// `requirement-level-raised`, `scenario-changed`, `request-property-added`), each once.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub changes: Vec<String>,
    /// When it is not met in this run: why it is on the vendor's to-do list.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub todo: Option<Todo>,
}

/// What happened to a requirement between the two versions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum SinceClass {
    /// New in the new version.
    Added,
    /// Its level or words changed, a scenario covering it was added, changed or removed, or
    /// an operation its scenarios test changed in a way the vendor must or should act on.
    Changed,
    Unchanged,
}

/// Why a requirement not met in this run is on the to-do list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Todo {
    /// It is new in this version.
    New,
    /// It changed since the earlier version (`changes` says how).
    Changed,
    /// Unchanged, and met in the earlier report: the product went back.
    Regressed,
    /// Unchanged, and not met in the earlier report either.
    StillFailing,
    /// Unchanged, but the earlier report does not list it.
    NoEarlierVerdict,
}
