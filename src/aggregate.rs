//! The aggregator: consumes a run's events and builds its report. Finished scenarios go to
//! the spool at once (memory stays flat with the evidence); the passive profile rules add
//! up what the scenarios found; at the end the verdict rules (`judge::verdict`) turn
//! scenarios into requirement, specification and run verdicts.
//!
//! Fingerprints are taken when the aggregator is made, before anything is sent, from the
//! bytes the catalogue was loaded from.

use std::sync::Arc;

use crate::catalogue::profile::LiveCheck;
use crate::catalogue::{Catalogue, Spec};
use crate::judge::profile::{rule_scenario, Passive};
use crate::judge::verdict;
use crate::model::{
    self, Fingerprints, FinishedScenario, Level, Localized, RequirementResult, RunEvent, RunReport, ScenarioResult,
    SpecResult, Steps,
};
use crate::plan::Plan;
use crate::spool::Spool;

/// What the run itself knows at its end, for the report's head.
pub struct RunFacts {
    pub target: model::Target,
    /// RFC 3339.
    pub started: String,
    pub finished: String,
    pub duration_ms: f64,
    pub fail_on: Level,
    /// The run was stopped (signal or deadline).
    pub interrupted: bool,
    /// The target is https (the TLS rule is judged only then).
    pub https: bool,
    /// `--issuer`.
    pub issuer: Option<String>,
    /// RFC 3339: `started` plus `--valid-for`.
    pub valid_until: String,
}

/// One planned specification's part of the run.
struct SpecRun {
    spec: usize,
    partial: bool,
    fingerprints: Fingerprints,
    /// By order: the plan's scenario runs, rounds included.
    scenarios: Vec<Option<ScenarioResult>>,
    /// Probed profile rules, by rule id.
    probes: Vec<(String, ScenarioResult)>,
    /// Passive profile rules: (profile id, rule), in the order exec observes them.
    passives: Vec<(String, Passive)>,
}

pub struct Aggregator<'a> {
    catalogue: &'a Catalogue,
    spool: Arc<Spool>,
    specs: Vec<SpecRun>,
}

impl<'a> Aggregator<'a> {
    pub fn new(catalogue: &'a Catalogue, plan: &Plan) -> Result<Aggregator<'a>, crate::spool::SpoolError> {
        let repeat = plan.repeat.max(1);
        let specs = plan
            .specs
            .iter()
            .map(|planned| {
                let spec = &catalogue.specs[planned.spec];
                SpecRun {
                    spec: planned.spec,
                    partial: planned.partial,
                    fingerprints: catalogue.fingerprints_of(spec),
                    scenarios: vec![None; planned.scenarios.len() * repeat],
                    probes: Vec::new(),
                    passives: passive_rules(catalogue, spec),
                }
            })
            .collect();
        Ok(Aggregator { catalogue, spool: Spool::new()?, specs })
    }

    /// Takes in one event.
    pub fn take(&mut self, event: RunEvent) {
        match event {
            RunEvent::ScenarioFinished(FinishedScenario { spec, order, mut result, found }) => {
                let run = &mut self.specs[spec];
                for ((_, passive), observation) in run.passives.iter_mut().zip(found) {
                    passive.add(observation);
                }
                if let Steps::Inline(steps) = std::mem::take(&mut result.steps) {
                    result.steps = crate::cpu::measure(crate::cpu::Phase::Evidence, || self.spool.put(steps));
                }
                run.scenarios[order] = Some(result);
            }
            RunEvent::ProbeFinished(probe) => self.specs[probe.spec].probes.push((probe.rule, probe.result)),
        }
    }

    /// Applies the verdict rules and builds the report.
    pub fn finish(self, facts: RunFacts) -> RunReport {
        let mut counts = model::Counts::default();
        let mut specifications = Vec::new();
        for run in self.specs {
            let spec = &self.catalogue.specs[run.spec];
            let mut scenarios: Vec<ScenarioResult> = run.scenarios.into_iter().flatten().collect();
            let mut extra = Vec::new();
            let (mut probes, mut passives) = (run.probes, run.passives);
            for (file, profile) in self.catalogue.profiles_of(spec) {
                for rule in &profile.rules {
                    if rule.check == LiveCheck::Tls && !facts.https {
                        continue; // judged only for https targets
                    }
                    extra.push((rule.id.clone(), rule.level, rule.title.clone(), rule.text.clone()));
                    if let Some(at) = passives.iter().position(|(p, r)| *p == profile.id && r.rule == rule.id) {
                        // A rule with nothing to observe has no scenario: it is not tested.
                        if let Some(checks) = passives.swap_remove(at).1.finish() {
                            scenarios.push(rule_scenario(
                                profile,
                                &self.catalogue.report_name(file),
                                rule,
                                checks,
                                None,
                                None,
                                0.0,
                            ));
                        }
                    } else if let Some(at) = probes.iter().position(|(r, _)| *r == rule.id) {
                        scenarios.push(probes.swap_remove(at).1);
                    }
                }
            }
            let completeness = verdict::Completeness { partial: run.partial, interrupted: facts.interrupted };
            let result = spec_result(spec, scenarios, &extra, run.fingerprints, completeness, facts.fail_on);
            verdict::add_counts(&mut counts, &result.counts);
            specifications.push(result);
        }
        let spec_verdicts: Vec<model::SpecVerdict> = specifications.iter().map(|s| s.verdict).collect();
        RunReport {
            format_version: model::FORMAT_VERSION.into(),
            id: Some(uuid::Uuid::new_v4().to_string()),
            issuer: facts.issuer,
            valid_until: Some(facts.valid_until),
            tool: "konform".into(),
            tool_version: env!("CARGO_PKG_VERSION").into(),
            target: facts.target,
            started: facts.started,
            finished: facts.finished,
            duration_ms: facts.duration_ms,
            fail_on: facts.fail_on,
            verdict: verdict::run_verdict(&spec_verdicts, facts.interrupted),
            partial: specifications.iter().any(|s| s.partial),
            interrupted: facts.interrupted,
            specifications,
            counts,
            signature: None,
        }
    }
}

fn passive_rules(catalogue: &Catalogue, spec: &Spec) -> Vec<(String, Passive)> {
    crate::judge::profile::passive_rules(catalogue, spec)
        .into_iter()
        .filter_map(|(profile, rule, live)| Passive::new(&rule, live).map(|p| (profile, p)))
        .collect()
}

type ExtraRequirement = (String, Level, Localized, Localized);

fn spec_result(
    spec: &Spec,
    scenarios: Vec<ScenarioResult>,
    extra: &[ExtraRequirement],
    fingerprints: Fingerprints,
    run: verdict::Completeness,
    fail_on: Level,
) -> SpecResult {
    let own = spec.requirements.iter().map(|r| (r.id.clone(), r.level, r.title.clone(), r.text.clone()));
    let requirements: Vec<RequirementResult> = own
        .chain(extra.iter().cloned())
        .map(|(id, level, title, text)| {
            let covering: Vec<&ScenarioResult> = scenarios.iter().filter(|s| s.covers.contains(&id)).collect();
            RequirementResult {
                verdict: verdict::requirement_verdict(&covering),
                scenarios: covering.iter().map(|s| s.id.clone()).collect(),
                id,
                level,
                title,
                text,
            }
        })
        .collect();
    let counts = verdict::count(&requirements, &scenarios);
    SpecResult {
        id: spec.meta.id.clone(),
        version: spec.meta.version.to_string(),
        title: spec.meta.title.clone(),
        fingerprints,
        verdict: verdict::spec_verdict(&requirements, fail_on, run),
        partial: run.partial,
        requirements,
        scenarios,
        counts,
    }
}
