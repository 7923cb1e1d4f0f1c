//! A specification's scenario runs: held in memory (a report read back, a test's report), or
//! kept by a store outside the model (a run's spool on disk) and read back one at a time, so
//! that a run of a hundred thousand scenarios keeps a few bytes per scenario rather than its
//! summary. A stored scenario's record holds its summary and the key of its steps in the same
//! store (their own record); reading it back reads the summary only.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::io;
use std::sync::Arc;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::steps::{StepResult, StepStore, Steps, StoredSteps, Tally, Verdict};
use crate::messages::Localized;

/// What a shared scenario does for its specification: a setup run once before every other
/// scenario, or a teardown run once after them. It covers no requirement.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ScenarioRole {
    Setup,
    Teardown,
}

#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct ScenarioResult {
    pub id: String,
    /// A shared setup or teardown scenario; absent for a scenario that tests requirements.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role: Option<ScenarioRole>,
    pub title: Localized,
    pub covers: Vec<String>,
    /// From the main steps; cleanup steps are reported but do not decide it. `blocked`
    /// when a setup step failed.
    pub verdict: Verdict,
    /// The setup step whose failure blocked the scenario.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub blocked_by: Option<String>,
    /// The scenario's verdict for a requirement it covers, where that differs from
    /// `verdict`: a failed check made by another requirement alone (`Check::requirement`)
    /// does not fail it. Absent when every covered requirement has the scenario's verdict.
    #[serde(default, skip_serializing_if = "std::collections::BTreeMap::is_empty")]
    pub verdicts: std::collections::BTreeMap<String, Verdict>,
    pub duration_ms: f64,
    #[schemars(with = "Vec<StepResult>")]
    pub steps: Steps,
}

/// The scenario runs of a specification, in the report's order. Serialises as a plain list
/// of [`ScenarioResult`] either way.
#[derive(Debug, Clone, Default)]
pub struct Scenarios {
    items: Vec<Item>,
    /// Where `Item::Stored` records are read from.
    store: Option<Arc<dyn StepStore>>,
}

#[derive(Debug, Clone)]
enum Item {
    Held(Box<ScenarioResult>),
    /// The key of the scenario's record in the store.
    Stored(u64),
}

impl From<Vec<ScenarioResult>> for Scenarios {
    fn from(scenarios: Vec<ScenarioResult>) -> Self {
        Scenarios { items: scenarios.into_iter().map(|s| Item::Held(Box::new(s))).collect(), store: None }
    }
}

impl Scenarios {
    /// An empty list whose stored scenarios are read from `store`.
    pub fn stored_in(store: Arc<dyn StepStore>) -> Scenarios {
        Scenarios { items: Vec::new(), store: Some(store) }
    }

    /// Appends a scenario held in memory.
    pub fn push(&mut self, scenario: ScenarioResult) {
        self.items.push(Item::Held(Box::new(scenario)));
    }

    /// Appends a scenario stored under `key` (see [`record`]) in this list's store.
    pub fn push_stored(&mut self, key: u64) {
        debug_assert!(self.store.is_some(), "a stored scenario needs the list's store");
        self.items.push(Item::Stored(key));
    }

    pub fn len(&self) -> usize {
        self.items.len()
    }

    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// The scenario at `index`, read back from the store if it was stored.
    pub fn get(&self, index: usize) -> io::Result<Cow<'_, ScenarioResult>> {
        match &self.items[index] {
            Item::Held(scenario) => Ok(Cow::Borrowed(scenario)),
            Item::Stored(key) => {
                let store =
                    self.store.as_ref().ok_or_else(|| io::Error::other("a stored scenario without its store"))?;
                let bytes = super::steps::read_back(&**store, *key)?;
                let record: Record = serde_json::from_slice(&bytes).map_err(io::Error::other)?;
                Ok(Cow::Owned(record.into_result(store)))
            }
        }
    }

    /// Each scenario in order, read back one at a time.
    pub fn iter(&self) -> impl Iterator<Item = io::Result<Cow<'_, ScenarioResult>>> + '_ {
        (0..self.items.len()).map(|i| self.get(i))
    }
}

impl Serialize for Scenarios {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeSeq;
        let mut seq = serializer.serialize_seq(Some(self.len()))?;
        for scenario in self.iter() {
            seq.serialize_element(&*scenario.map_err(serde::ser::Error::custom)?)?;
        }
        seq.end()
    }
}

impl<'de> Deserialize<'de> for Scenarios {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Vec::<ScenarioResult>::deserialize(deserializer).map(Scenarios::from)
    }
}

/// A stored scenario's record: its summary, and its steps as the key of their own record in
/// the same store (or, when they could not be stored, the steps themselves).
#[derive(Serialize, Deserialize)]
struct Record<'a> {
    id: Cow<'a, str>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    role: Option<ScenarioRole>,
    title: Cow<'a, Localized>,
    covers: Cow<'a, [String]>,
    verdict: Verdict,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    blocked_by: Option<Cow<'a, str>>,
    #[serde(default, skip_serializing_if = "no_verdicts")]
    verdicts: Cow<'a, BTreeMap<String, Verdict>>,
    duration_ms: f64,
    steps: RecordSteps<'a>,
}

#[allow(clippy::ptr_arg)] // serde's skip_serializing_if passes the field as it is
fn no_verdicts(verdicts: &Cow<'_, BTreeMap<String, Verdict>>) -> bool {
    verdicts.is_empty()
}

#[derive(Serialize, Deserialize)]
enum RecordSteps<'a> {
    /// Key and tally (steps, passed, failed, error, skipped).
    Stored(u64, [usize; 5]),
    Held(Cow<'a, [StepResult]>),
}

/// The record to store for `scenario`. Its steps, if stored, must be in the store the record
/// goes to (the record keeps only their key).
pub fn record(scenario: &ScenarioResult) -> serde_json::Result<Vec<u8>> {
    let steps = match &scenario.steps {
        Steps::Inline(steps) => RecordSteps::Held(Cow::Borrowed(steps)),
        Steps::Stored(stored) => {
            let t = stored.tally();
            RecordSteps::Stored(stored.key(), [t.steps, t.passed, t.failed, t.error, t.skipped])
        }
    };
    serde_json::to_vec(&Record {
        id: Cow::Borrowed(&scenario.id),
        role: scenario.role,
        title: Cow::Borrowed(&scenario.title),
        covers: Cow::Borrowed(&scenario.covers),
        verdict: scenario.verdict,
        blocked_by: scenario.blocked_by.as_deref().map(Cow::Borrowed),
        verdicts: Cow::Borrowed(&scenario.verdicts),
        duration_ms: scenario.duration_ms,
        steps,
    })
}

impl Record<'_> {
    fn into_result(self, store: &Arc<dyn StepStore>) -> ScenarioResult {
        let steps = match self.steps {
            RecordSteps::Held(steps) => Steps::Inline(steps.into_owned()),
            RecordSteps::Stored(key, [steps, passed, failed, error, skipped]) => {
                let tally = Tally { steps, passed, failed, error, skipped };
                Steps::Stored(StoredSteps::new(store.clone(), key, tally))
            }
        };
        ScenarioResult {
            id: self.id.into_owned(),
            role: self.role,
            title: self.title.into_owned(),
            covers: self.covers.into_owned(),
            verdict: self.verdict,
            blocked_by: self.blocked_by.map(Cow::into_owned),
            verdicts: self.verdicts.into_owned(),
            duration_ms: self.duration_ms,
            steps,
        }
    }
}
