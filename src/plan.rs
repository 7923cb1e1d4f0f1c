//! From a catalogue, the selected specifications and filters to an ordered list of
//! scenarios to run. Pure and synchronous.

use crate::catalogue::{Catalogue, SelectError, Status};

#[derive(Debug, Default, Clone)]
pub struct Filters {
    pub tags: Vec<String>,
    pub scenarios: Vec<String>,
    pub requirements: Vec<String>,
}

impl Filters {
    pub fn is_empty(&self) -> bool {
        self.tags.is_empty() && self.scenarios.is_empty() && self.requirements.is_empty()
    }
}

/// A scenario's place in the catalogue: (suite index, scenario index) within its spec.
pub type ScenarioRef = (usize, usize);

#[derive(Debug, Clone)]
pub struct PlannedSpec {
    /// Index into `Catalogue::specs`.
    pub spec: usize,
    pub scenarios: Vec<ScenarioRef>,
    /// Filters left some scenarios out.
    pub partial: bool,
    /// When filters narrowed the plan, the operations its scenarios call (main steps and
    /// cleanup): the only ones generated checks go to. `None`: every operation. A shard's
    /// slice keeps the whole plan's.
    pub narrowed_to: Option<std::collections::BTreeSet<String>>,
    /// In a shard's slice of a run that generates checks: the places (among the whole
    /// specification's generated units, `generate::units`) of those this shard runs.
    /// `None`: every unit.
    pub units: Option<Vec<usize>>,
}

#[derive(Debug, Clone)]
pub struct Plan {
    pub specs: Vec<PlannedSpec>,
    /// Every scenario runs this many times (`--repeat`), round after round.
    pub repeat: usize,
    /// The profile rules are probed (a shard other than the first leaves them to the first).
    pub probes: bool,
    /// This plan is one shard's slice of a whole plan (`--shard K/N`, see `shard`).
    pub shard: Option<Sliced>,
    /// Checks generated from the OpenAPI descriptions (`--generate`), after the scenarios.
    pub generate: Option<Generation>,
}

/// What `--generate`, `--generate-budget` and `--seed` ask for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Generation {
    pub checks: std::collections::BTreeSet<crate::catalogue::generate::GenCheck>,
    /// At most this many generated requests per operation and check (shrinking not counted).
    pub budget: usize,
    /// The same seed gives the same requests.
    pub seed: u64,
}

impl Generation {
    pub const DEFAULT_BUDGET: usize = 20;

    /// As the report records it.
    pub fn record(&self) -> crate::model::GeneratedRecord {
        crate::model::GeneratedRecord {
            checks: self.checks.iter().map(|c| c.name().to_string()).collect(),
            seed: self.seed,
            budget: self.budget,
        }
    }

    /// From a report's record (`report merge`): an error names a check this konform does
    /// not know.
    pub fn from_record(record: &crate::model::GeneratedRecord) -> Result<Generation, String> {
        let checks = record.checks.iter().map(|c| c.parse()).collect::<Result<_, String>>()?;
        Ok(Generation { checks, budget: record.budget, seed: record.seed })
    }
}

/// What a shard's plan knows of the whole plan it was cut from.
#[derive(Debug, Clone)]
pub struct Sliced {
    /// From 1.
    pub index: usize,
    pub count: usize,
    pub whole: crate::model::PlanRecord,
}

impl Plan {
    /// Scenario runs, repetitions included.
    pub fn scenario_count(&self) -> usize {
        self.specs.iter().map(|s| s.scenarios.len()).sum::<usize>() * self.repeat
    }
}

/// Why nothing can be run: the selectors or filters name nothing in the catalogue.
#[derive(Debug, thiserror::Error)]
pub enum PlanError {
    #[error(transparent)]
    Select(#[from] SelectError),
    #[error("no active specification in the catalogue to run")]
    NothingActive,
    #[error("no selected specification has a scenario {0}")]
    NoSuchScenario(String),
    #[error("no scenario of the selected specifications covers {0}")]
    NoSuchRequirement(String),
    #[error("the filters select no scenario")]
    NothingSelected,
}

impl From<PlanError> for crate::error::Failure {
    fn from(e: PlanError) -> crate::error::Failure {
        crate::error::Failure::InvalidInput(e.to_string())
    }
}

/// Selects specifications (`id` or `id@version`; none means every version in force today:
/// active, or deprecated and not yet past its sunset) and scenarios.
pub fn plan(catalogue: &Catalogue, selectors: &[String], filters: &Filters) -> Result<Plan, PlanError> {
    let mut chosen: Vec<usize> = Vec::new();
    if selectors.is_empty() {
        let today = crate::model::Date::today();
        let in_force = |s: &crate::catalogue::Spec| {
            matches!(s.meta.status, Status::Active | Status::Deprecated) && s.in_force_at(today)
        };
        chosen.extend(catalogue.specs.iter().enumerate().filter(|(_, s)| in_force(s)).map(|(i, _)| i));
    } else {
        for sel in selectors {
            let i = index_of(catalogue, sel)?;
            if !chosen.contains(&i) {
                chosen.push(i);
            }
        }
    }
    if chosen.is_empty() {
        return Err(PlanError::NothingActive);
    }

    let mut known_scenarios = false;
    let mut known_requirements = false;
    let mut specs = Vec::new();
    for i in chosen {
        let spec = &catalogue.specs[i];
        let mut scenarios = Vec::new();
        for (si, suite) in spec.suites.iter().enumerate() {
            for (ci, sc) in suite.scenarios.iter().enumerate() {
                known_scenarios |= filters.scenarios.contains(&sc.id);
                known_requirements |= sc.covers.iter().any(|c| filters.requirements.contains(&c.id));
                let tag_ok = filters.tags.is_empty() || sc.tags.iter().any(|t| filters.tags.contains(t));
                let id_ok = filters.scenarios.is_empty() || filters.scenarios.contains(&sc.id);
                let req_ok =
                    filters.requirements.is_empty() || sc.covers.iter().any(|c| filters.requirements.contains(&c.id));
                if tag_ok && id_ok && req_ok {
                    scenarios.push((si, ci));
                }
            }
        }
        let partial = !filters.is_empty();
        let narrowed_to = partial.then(|| {
            scenarios
                .iter()
                .flat_map(|&(si, ci)| {
                    let sc = &spec.suites[si].scenarios[ci];
                    sc.steps.iter().chain(&sc.cleanup).map(|s| s.operation.clone())
                })
                .collect()
        });
        specs.push(PlannedSpec { spec: i, scenarios, partial, narrowed_to, units: None });
    }
    if !filters.scenarios.is_empty() && !known_scenarios {
        return Err(PlanError::NoSuchScenario(filters.scenarios.join(", ")));
    }
    if !filters.requirements.is_empty() && !known_requirements {
        return Err(PlanError::NoSuchRequirement(filters.requirements.join(", ")));
    }
    let plan = Plan { specs, repeat: 1, probes: true, shard: None, generate: None };
    if plan.scenario_count() == 0 {
        return Err(PlanError::NothingSelected);
    }
    Ok(plan)
}

fn index_of(catalogue: &Catalogue, selector: &str) -> Result<usize, PlanError> {
    let spec = catalogue.find(selector)?;
    Ok(catalogue
        .specs
        .iter()
        .position(|s| std::ptr::eq(s, spec))
        .expect("Catalogue::find returns one of its own specs"))
}
