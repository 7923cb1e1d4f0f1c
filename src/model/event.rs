//! What a run tells as it goes. `exec` emits these events; the aggregator (which builds the
//! report) and the terminal progress consume them. Evidence in them is already redacted.

use super::run::ScenarioResult;

/// One event of a run.
#[derive(Debug)]
pub enum RunEvent {
    /// A scenario of the plan ended.
    ScenarioFinished(FinishedScenario),
    /// A shared setup or teardown scenario of a planned specification ended (its
    /// `result.role` says which; `order` is its place among the specification's setup or
    /// teardown scenarios).
    SharedFinished(FinishedScenario),
    /// A live probe of a profile rule (`api-info`, a GET with a body, TLS) ended.
    ProbeFinished(FinishedProbe),
    /// A generated check (`--generate`) of one operation or path ended.
    GeneratedFinished(FinishedGenerated),
}

#[derive(Debug)]
pub struct FinishedScenario {
    /// The specification's index in the plan.
    pub spec: usize,
    /// The scenario's place among the plan's runs of that specification (rounds included).
    pub order: usize,
    pub result: ScenarioResult,
    /// What each passive rule of the specification found in the scenario's responses, in
    /// the order of the specification's passive rules.
    pub found: Vec<Observation>,
}

#[derive(Debug)]
pub struct FinishedProbe {
    /// The specification's index in the plan.
    pub spec: usize,
    /// The profile rule judged (`VER.06`), covered by the synthetic scenario `result`.
    pub rule: String,
    pub result: ScenarioResult,
}

#[derive(Debug)]
pub struct FinishedGenerated {
    /// The specification's index in the plan.
    pub spec: usize,
    /// Its place among the specification's generated units, so reports list them in the
    /// same order whatever order they ended in.
    pub order: usize,
    /// A synthetic scenario `generated/<check>/<operation or path>`, covering the check's
    /// requirement.
    pub result: ScenarioResult,
}

/// What one passive profile rule found in some responses: how many things it concerned
/// (responses, or date-times) and the violations.
#[derive(Debug, Clone, Default)]
pub struct Observation {
    pub seen: usize,
    pub violations: Vec<crate::messages::Msg>,
}

impl RunEvent {
    /// The specification (index in the plan) the event concerns.
    pub fn spec(&self) -> usize {
        match self {
            RunEvent::ScenarioFinished(s) | RunEvent::SharedFinished(s) => s.spec,
            RunEvent::ProbeFinished(p) => p.spec,
            RunEvent::GeneratedFinished(g) => g.spec,
        }
    }

    pub fn result(&self) -> &ScenarioResult {
        match self {
            RunEvent::ScenarioFinished(s) | RunEvent::SharedFinished(s) => &s.result,
            RunEvent::ProbeFinished(p) => &p.result,
            RunEvent::GeneratedFinished(g) => &g.result,
        }
    }
}
