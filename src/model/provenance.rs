//! Where a report comes from beyond its specifications: the catalogue as a whole, and for a
//! shard's report, which slice of which plan it ran (so `konform report merge` can put the
//! shards of one plan back together and refuse anything else).

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// The catalogue a run was made with, as a whole.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct CatalogueIdentity {
    /// `version:` in the catalogue's `catalogue.yaml`, when it has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    /// Lower-case hex SHA-256 over the sorted `path NUL sha256 LF` lines of every file of
    /// the catalogue folder (paths relative to it, `/`-separated; hidden files left out).
    pub fingerprint: String,
    /// The catalogue built into konform (no `--catalogue`, no `./conformance-suites`).
    pub embedded: bool,
}

/// A shard's slice of a plan (`--shard K/N`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct ShardRecord {
    /// K: this shard, from 1.
    pub index: usize,
    /// N: how many shards the plan was cut into.
    pub count: usize,
    pub plan: PlanRecord,
    /// What every shard of the plan must have tested: the base URL, or for `konform demo`
    /// the reference vendor and its faults (its address changes with every start).
    pub target: String,
    /// What each passive profile rule observed in this shard's responses, to be added up
    /// across shards. The violations listed are in the rule's scenario.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub passive: Vec<PassiveRecord>,
}

/// The whole plan a shard is a slice of: what was selected and how it is judged.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct PlanRecord {
    /// Lower-case hex SHA-256 of the JSON (RFC 8785) of the other fields and `fail_on`.
    pub fingerprint: String,
    /// The specification versions, `id@version`, in the plan's order.
    pub specifications: Vec<String>,
    /// `--tag`, `--scenario` and `--requirement`, sorted.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub scenarios: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub requirements: Vec<String>,
    /// `--repeat`.
    pub repeat: usize,
}

/// One passive profile rule of one specification in one shard.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct PassiveRecord {
    /// `id@version`.
    pub specification: String,
    pub profile: String,
    pub rule: String,
    /// How many things it concerned (responses, or date-times).
    pub seen: usize,
    /// How many of them violated it.
    pub violations: usize,
}

/// What `run --generate` asked for: the generated checks, and what makes their requests
/// the same again (`--seed`, `--generate-budget`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct GeneratedRecord {
    /// The checks, as `--generate` names them (`negative-data`, `auth`...).
    pub checks: Vec<String>,
    /// The seed of the generated values: the same seed, catalogue and variables give the
    /// same requests.
    pub seed: u64,
    /// At most this many generated requests per operation and check (shrinking not counted).
    pub budget: usize,
}
