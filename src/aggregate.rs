//! The aggregator: consumes a run's events and builds its report. Finished scenarios go to
//! the spool at once (memory stays flat with the evidence); the passive profile rules add
//! up what the scenarios found; at the end the verdict rules (`judge::verdict`) turn
//! scenarios into requirement, specification and run verdicts.
//!
//! Fingerprints are taken when the aggregator is made, before anything is sent, from the
//! bytes the catalogue was loaded from.

use std::collections::{BTreeSet, HashMap};
use std::sync::Arc;

use crate::catalogue::generate::{GenCheck, GenerateMeta};
use crate::catalogue::profile::LiveCheck;
use crate::catalogue::{Catalogue, Spec};
use crate::judge::profile::{rule_scenario, Passive};
use crate::judge::verdict;
use crate::messages::Msg;
use crate::model::{
    self, CheckKind, Departure, Fingerprints, FinishedGenerated, FinishedScenario, Level, Localized, Precondition,
    RequirementResult, RunEvent, RunReport, ScenarioResult, SpecResult, StepRef, StepResult, Steps,
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
    /// The catalogue as a whole, taken before anything was sent.
    pub catalogue: Option<model::CatalogueIdentity>,
    /// For a shard's report: what every shard of the plan must have tested (see
    /// [`model::ShardRecord::target`]).
    pub target_identity: String,
}

/// One planned specification's part of the run.
struct SpecRun {
    spec: usize,
    partial: bool,
    fingerprints: Fingerprints,
    /// The shared setup scenarios, in order.
    setup: Vec<Slot>,
    /// By order: the plan's scenario runs, rounds included.
    scenarios: Vec<Slot>,
    /// The shared teardown scenarios, in order.
    teardown: Vec<Slot>,
    /// Probed profile rules, by rule id.
    probes: Vec<(String, ScenarioResult)>,
    /// Generated checks' scenarios, with their place among the specification's units.
    generated: Vec<(usize, Slot)>,
    /// Passive profile rules: (profile id, rule), in the order exec observes them.
    passives: Vec<(String, Passive)>,
    departures: Departures,
}

/// A finished scenario: its record on the spool, or (when it could not be written: a full
/// disk) the scenario itself.
#[derive(Clone)]
enum Slot {
    NotRun,
    Stored(u64),
    Held(Box<ScenarioResult>),
}

/// At most this many distinct departures are told apart per specification; past it, they
/// are told apart only by operation, status and check (none is lost: each still counts
/// and is attributed).
const MAX_DISTINCT_DEPARTURES: usize = 500;
/// At most this many steps are named for one departure.
const MAX_SEEN_IN: usize = 20;

/// The departures from the OpenAPI document seen so far, and which requirements test which
/// operation (so that a departure seen in a setup step is attributed to them).
#[derive(Default)]
struct Departures {
    found: Vec<Found>,
    by_key: HashMap<String, usize>,
    /// Operation → the requirements covered by scenarios that call it in a main step.
    tested_by: HashMap<String, BTreeSet<String>>,
    /// Operation → status → the same, for the responses of that status.
    tested_with: HashMap<String, HashMap<Option<u16>, BTreeSet<String>>>,
}

struct Found {
    departure: Departure,
    /// Requirements of the scenarios that saw it in a main step (they fail through it).
    in_main: BTreeSet<String>,
    /// Requirements of the scenarios that saw it in a setup step: the fallback when no
    /// requirement tests the operation.
    in_setup: BTreeSet<String>,
    seen_in_setup_or_cleanup: bool,
}

impl Departures {
    /// Takes in a finished scenario's steps.
    fn add(&mut self, scenario: &ScenarioResult, steps: &[StepResult]) {
        // Looked up before inserting: most steps call an operation seen before, with
        // requirements already listed, and then nothing is allocated.
        fn note(set: &mut BTreeSet<String>, covers: &[String]) {
            for id in covers {
                if !set.contains(id) {
                    set.insert(id.clone());
                }
            }
        }
        for step in steps.iter().filter(|s| !s.setup && !s.cleanup) {
            match self.tested_by.get_mut(&step.operation) {
                Some(set) => note(set, &scenario.covers),
                None => note(self.tested_by.entry(step.operation.clone()).or_default(), &scenario.covers),
            }
            let status = step.exchange.as_ref().and_then(|e| e.status);
            let by_status = match self.tested_with.get_mut(&step.operation) {
                Some(by_status) => by_status,
                None => self.tested_with.entry(step.operation.clone()).or_default(),
            };
            note(by_status.entry(status).or_default(), &scenario.covers);
        }
        for step in steps {
            let status = step.exchange.as_ref().and_then(|e| e.status);
            for check in step.checks.iter().filter(|c| !c.passed && c.kind == CheckKind::Openapi) {
                let mut key = format!("{}\0{status:?}\0{}", step.operation, check.name);
                let coarse = key.clone();
                key.push('\0');
                key.push_str(&detail_key(&check.said));
                let at = match self.by_key.get(&key).or_else(|| self.by_key.get(&coarse)) {
                    Some(at) => *at,
                    None => {
                        let key = if self.found.len() < MAX_DISTINCT_DEPARTURES { key } else { coarse };
                        self.found.push(Found {
                            departure: Departure {
                                id: format!("D{}", self.found.len() + 1),
                                operation: step.operation.clone(),
                                status,
                                check: check.name.clone(),
                                said: check.said.clone(),
                                count: 0,
                                seen_in: Vec::new(),
                                requirements: Vec::new(),
                            },
                            in_main: BTreeSet::new(),
                            in_setup: BTreeSet::new(),
                            seen_in_setup_or_cleanup: false,
                        });
                        self.by_key.insert(key, self.found.len() - 1);
                        self.found.len() - 1
                    }
                };
                let found = &mut self.found[at];
                found.departure.count += 1;
                let seen = StepRef { scenario: scenario.id.clone(), step: step.name.clone() };
                if found.departure.seen_in.len() < MAX_SEEN_IN && !found.departure.seen_in.contains(&seen) {
                    found.departure.seen_in.push(seen);
                }
                if step.setup || step.cleanup {
                    found.seen_in_setup_or_cleanup = true;
                }
                if step.setup {
                    found.in_setup.extend(scenario.covers.iter().cloned());
                } else if !step.cleanup {
                    found.in_main.extend(scenario.covers.iter().cloned());
                }
            }
        }
    }

    /// Each departure with the requirements it is attributed to: those whose scenarios saw
    /// it in a main step, and, when it was seen in a setup or cleanup step, those whose
    /// scenarios test its operation in a main step and got the same status there — else
    /// those that test its operation at all — else, for a setup step, those of the
    /// scenarios it was seen in (a departure is never left unattributed because only setup
    /// steps call the operation).
    fn finish(self) -> Vec<Departure> {
        let (tested_by, tested_with) = (self.tested_by, self.tested_with);
        self.found
            .into_iter()
            .map(|f| {
                let mut requirements = f.in_main;
                if f.seen_in_setup_or_cleanup {
                    let op = &f.departure.operation;
                    let testing = tested_with
                        .get(op)
                        .and_then(|by_status| by_status.get(&f.departure.status))
                        .or_else(|| tested_by.get(op))
                        .filter(|t| !t.is_empty());
                    match testing {
                        Some(testing) => requirements.extend(testing.iter().cloned()),
                        None => requirements.extend(f.in_setup),
                    }
                }
                let mut seen_in = f.departure.seen_in;
                seen_in.sort_by(|a, b| (&a.scenario, &a.step).cmp(&(&b.scenario, &b.step)));
                Departure { requirements: requirements.into_iter().collect(), seen_in, ..f.departure }
            })
            .collect()
    }
}

/// What tells one departure from another of the same operation, status and check: where in
/// the body (array indexes left out) and which keyword, the content type, the headers.
fn detail_key(said: &Msg) -> String {
    match said {
        Msg::BodyInvalid { at, keyword, .. } => {
            let at: Vec<&str> = at
                .split('/')
                .map(|s| if !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()) { "*" } else { s })
                .collect();
            format!("{} {keyword}", at.join("/"))
        }
        Msg::ContentTypeUndocumented { content_type, .. } => format!("{content_type:?}"),
        Msg::HeadersInvalid { missing, invalid } => {
            let invalid: Vec<&str> = invalid.iter().map(|v| v.name.as_str()).collect();
            format!("{missing:?} {invalid:?}")
        }
        Msg::BodyNotJson { .. } => "not json".into(),
        Msg::SchemaUnusable { detail } => detail.clone(),
        _ => String::new(),
    }
}

pub struct Aggregator<'a> {
    catalogue: &'a Catalogue,
    spool: Arc<Spool>,
    specs: Vec<SpecRun>,
    /// The plan is a shard's slice: the report records it.
    shard: Option<crate::plan::Sliced>,
    /// The checks the run generates (`--generate`).
    generating: BTreeSet<GenCheck>,
    /// What `--generate` asked for, as the report records it.
    generation: Option<model::GeneratedRecord>,
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
                    setup: Vec::new(),
                    scenarios: vec![Slot::NotRun; planned.scenarios.len() * repeat],
                    teardown: Vec::new(),
                    probes: Vec::new(),
                    generated: Vec::new(),
                    passives: passive_rules(catalogue, spec),
                    departures: Departures::default(),
                }
            })
            .collect();
        let generating = plan.generate.as_ref().map(|g| g.checks.clone()).unwrap_or_default();
        let generation = plan.generate.as_ref().map(crate::plan::Generation::record);
        Ok(Aggregator { catalogue, spool: Spool::new()?, specs, shard: plan.shard.clone(), generating, generation })
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
                    run.departures.add(&result, &steps);
                    result.steps = crate::cpu::measure(crate::cpu::Phase::Evidence, || self.spool.put(steps));
                }
                run.scenarios[order] = spooled(&self.spool, result);
            }
            RunEvent::SharedFinished(FinishedScenario { spec, order, mut result, found }) => {
                let run = &mut self.specs[spec];
                for ((_, passive), observation) in run.passives.iter_mut().zip(found) {
                    passive.add(observation);
                }
                if let Steps::Inline(steps) = std::mem::take(&mut result.steps) {
                    run.departures.add(&result, &steps);
                    result.steps = crate::cpu::measure(crate::cpu::Phase::Evidence, || self.spool.put(steps));
                }
                let slots = match result.role {
                    Some(model::ScenarioRole::Teardown) => &mut run.teardown,
                    _ => &mut run.setup,
                };
                if slots.len() <= order {
                    slots.resize(order + 1, Slot::NotRun);
                }
                slots[order] = spooled(&self.spool, result);
            }
            RunEvent::ProbeFinished(probe) => self.specs[probe.spec].probes.push((probe.rule, probe.result)),
            RunEvent::GeneratedFinished(FinishedGenerated { spec, order, mut result }) => {
                let run = &mut self.specs[spec];
                if let Steps::Inline(steps) = std::mem::take(&mut result.steps) {
                    run.departures.add(&result, &steps);
                    result.steps = crate::cpu::measure(crate::cpu::Phase::Evidence, || self.spool.put(steps));
                }
                run.generated.push((order, spooled(&self.spool, result)));
            }
        }
    }

    /// Takes in what a passive profile rule (profile id, rule id) of a planned specification
    /// observed elsewhere (in a shard being merged): `seen` things, `violations` of them, the
    /// first of which are `listed`. `false` when the specification has no such passive rule.
    pub fn take_passive(
        &mut self,
        spec: usize,
        rule: (&str, &str),
        listed: Vec<Msg>,
        seen: usize,
        violations: usize,
    ) -> bool {
        let (profile, rule) = rule;
        let passives = &mut self.specs[spec].passives;
        let Some((_, passive)) = passives.iter_mut().find(|(p, r)| p == profile && r.rule == rule) else {
            return false;
        };
        passive.add_counted(seen, listed, violations);
        true
    }

    /// Applies the verdict rules and builds the report. Fails only when the spool cannot be
    /// read back.
    pub fn finish(self, facts: RunFacts) -> std::io::Result<RunReport> {
        let mut counts = model::Counts::default();
        let mut specifications = Vec::new();
        let mut observed = Vec::new();
        for run in self.specs {
            let spec = &self.catalogue.specs[run.spec];
            // Shared setup first and shared teardown last, as they ran.
            let mut scenarios = model::Scenarios::stored_in(self.spool.clone());
            for slot in run.setup.into_iter().chain(run.scenarios) {
                slot.push_to(&mut scenarios);
            }
            let mut extra = Vec::new();
            let (mut probes, mut passives) = (run.probes, run.passives);
            for (file, profile) in self.catalogue.profiles_of(spec) {
                for rule in &profile.rules {
                    if rule.check == LiveCheck::Tls && !facts.https {
                        continue; // judged only for https targets
                    }
                    extra.push((rule.id.clone(), rule.level, rule.title.clone(), rule.text.clone()));
                    if let Some(at) = passives.iter().position(|(p, r)| *p == profile.id && r.rule == rule.id) {
                        let passive = passives.swap_remove(at).1;
                        observed.push(model::PassiveRecord {
                            specification: spec.key(),
                            profile: profile.id.clone(),
                            rule: rule.id.clone(),
                            seen: passive.seen(),
                            violations: passive.violations(),
                        });
                        // A rule with nothing to observe has no scenario: it is not tested.
                        if let Some(checks) = passive.finish() {
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
            // The generated checks: those the specification lists at its level, the others
            // the run generates at `may`; their scenarios in the order of their units.
            let meta = spec.meta.generate.as_ref();
            for check in GenCheck::ALL {
                if self.generating.contains(&check) || meta.is_some_and(|m| m.checks.contains(&check)) {
                    let (title, text) = check.words();
                    let level = GenerateMeta::level_of(meta, check);
                    extra.push((check.requirement().to_string(), level, title, text));
                }
            }
            let mut generated = run.generated;
            generated.sort_by_key(|(order, _)| *order);
            for (_, slot) in generated {
                slot.push_to(&mut scenarios);
            }
            for slot in run.teardown {
                slot.push_to(&mut scenarios);
            }
            let departures = run.departures.finish();
            let result = spec_result(spec, scenarios, departures, &extra, run.fingerprints, run.partial, &facts)?;
            verdict::add_counts(&mut counts, &result.counts);
            specifications.push(result);
        }
        let spec_verdicts: Vec<model::SpecVerdict> = specifications.iter().map(|s| s.verdict).collect();
        Ok(RunReport {
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
            catalogue: facts.catalogue,
            shard: self.shard.map(|s| model::ShardRecord {
                index: s.index,
                count: s.count,
                plan: s.whole,
                target: facts.target_identity,
                passive: observed,
            }),
            as_of: None,
            since: None,
            generated: self.generation,
            specifications,
            counts,
            signature: None,
        })
    }
}

/// A finished scenario (its steps already spooled) onto the spool as well, keeping only its
/// record number; kept whole when it cannot be written.
fn spooled(spool: &Spool, result: ScenarioResult) -> Slot {
    match crate::cpu::measure(crate::cpu::Phase::Evidence, || spool.put_scenario(&result)) {
        Ok(key) => Slot::Stored(key),
        Err(_) => Slot::Held(Box::new(result)),
    }
}

impl Slot {
    fn push_to(self, scenarios: &mut model::Scenarios) {
        match self {
            Slot::NotRun => {}
            Slot::Stored(key) => scenarios.push_stored(key),
            Slot::Held(result) => scenarios.push(*result),
        }
    }
}

/// A specification version's lifecycle on the day the run started.
fn lifecycle_of(spec: &Spec, started: &str) -> model::SpecLifecycle {
    let l = &spec.meta.lifecycle;
    let day = model::Date::of_rfc3339(started).unwrap_or_else(model::Date::today);
    model::SpecLifecycle {
        status: spec.state_at(day).to_string(),
        published: l.published,
        deprecated: l.deprecated,
        sunset: l.sunset,
        replaced_by: l.replaced_by.as_ref().map(ToString::to_string),
    }
}

fn passive_rules(catalogue: &Catalogue, spec: &Spec) -> Vec<(String, Passive)> {
    crate::judge::profile::passive_rules(catalogue, spec)
        .into_iter()
        .filter_map(|(profile, rule, live)| Passive::new(&rule, live).map(|p| (profile, p)))
        .collect()
}

type ExtraRequirement = (String, Level, Localized, Localized);

/// A specification version's result: `partial` when the plan was filtered; `facts` give
/// the levels that count, whether the run was stopped and the day its lifecycle is read on.
/// The scenarios are read back once, in order.
fn spec_result(
    spec: &Spec,
    scenarios: model::Scenarios,
    departures: Vec<Departure>,
    extra: &[ExtraRequirement],
    fingerprints: Fingerprints,
    partial: bool,
    facts: &RunFacts,
) -> std::io::Result<SpecResult> {
    let run = verdict::Completeness { partial, interrupted: facts.interrupted };
    let own = spec.requirements.iter().map(|r| (r.id.clone(), r.level, r.title.clone(), r.text.clone()));
    let listed: Vec<ExtraRequirement> = own.chain(extra.iter().cloned()).collect();
    // What each requirement's covering scenarios gave: their ids, verdicts and blocked steps.
    let index: HashMap<&str, usize> = listed.iter().enumerate().map(|(i, r)| (r.0.as_str(), i)).collect();
    let mut coverage: Vec<Coverage> = listed.iter().map(|_| Coverage::default()).collect();
    let mut counts = model::Counts::default();
    for scenario in scenarios.iter() {
        let scenario = scenario?;
        verdict::count_scenario(&mut counts, &scenario);
        for (i, id) in scenario.covers.iter().enumerate() {
            if scenario.covers[..i].contains(id) {
                continue;
            }
            if let Some(c) = index.get(id.as_str()).map(|&i| &mut coverage[i]) {
                c.scenarios.push(scenario.id.clone());
                c.verdicts.push(scenario.verdicts.get(id).copied().unwrap_or(scenario.verdict));
                if let Some(step) = &scenario.blocked_by {
                    c.blocked_by.push(Precondition { scenario: scenario.id.clone(), step: step.clone() });
                }
            }
        }
    }
    let requirements: Vec<RequirementResult> = listed
        .into_iter()
        .zip(coverage)
        .map(|((id, level, title, text), covering)| {
            let verification = spec.requirement(&id).map(|r| r.verification).unwrap_or_default();
            let attributed: Vec<String> =
                departures.iter().filter(|d| d.requirements.contains(&id)).map(|d| d.id.clone()).collect();
            RequirementResult {
                verdict: verdict::requirement_verdict(&covering.verdicts, attributed.len()),
                scenarios: covering.scenarios,
                blocked_by: covering.blocked_by,
                departures: attributed,
                verification,
                waiver: None,
                attestation: None,
                not_applicable: None,
                id,
                level,
                title,
                text,
            }
        })
        .collect();
    verdict::count_requirements(&mut counts, &requirements);
    Ok(SpecResult {
        id: spec.meta.id.clone(),
        version: spec.meta.version.to_string(),
        title: spec.meta.title.clone(),
        fingerprints,
        verdict: verdict::spec_verdict(&requirements, facts.fail_on, run),
        partial,
        lifecycle: Some(lifecycle_of(spec, &facts.started)),
        languages: (spec.languages != crate::model::Lang::ALL).then(|| spec.languages.clone()),
        requirements,
        scenarios,
        departures,
        attestations: Vec::new(),
        unused_waivers: Vec::new(),
        counts,
    })
}

/// What the scenarios covering one requirement gave, in the report's order.
#[derive(Default)]
struct Coverage {
    scenarios: Vec<String>,
    verdicts: Vec<model::Verdict>,
    blocked_by: Vec<Precondition>,
}
