//! `konform report merge`: the reports of a plan's shards put back together into the report
//! of the whole run.
//!
//! The shards must belong together: the same catalogue (fingerprint), the same target, the
//! same plan (its fingerprint: specifications, filters, `--repeat`, `--fail-on`, and the
//! generated checks with their seed and budget), each
//! index once, and none missing (unless asked for a partial merge). The catalogue at hand
//! must be the one the shards were made with, since the merge judges with it.
//!
//! The merge does not add up verdicts: it replays the shards' scenarios, in the plan's order,
//! into the same [`Aggregator`] a run uses, so the verdict rules, the departures from the
//! OpenAPI document (attributed across all scenarios), blocked requirements and the profile
//! rules are applied to the union exactly as to an unsharded run. The passive profile rules
//! are added up from what each shard recorded they observed; the probes come from shard 1,
//! the one that runs them; each generated check's unit comes from the one shard that ran it.

use std::collections::{BTreeMap, BTreeSet};

use crate::aggregate::{Aggregator, RunFacts};
use crate::catalogue::Catalogue;
use crate::messages::Msg;
use crate::model::{
    CatalogueIdentity, FinishedGenerated, FinishedProbe, FinishedScenario, RunEvent, RunReport, ScenarioResult,
    ScenarioRole, ShardRecord, Steps,
};
use crate::plan::Plan;

/// A shard's report, with the name of its file as shown to a person.
pub struct ShardReport {
    pub file: String,
    pub report: RunReport,
}

/// Why shards were not merged (exit 2): names the file at fault.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct Refused(pub String);

/// What the merge is asked.
pub struct MergeOptions<'a> {
    /// The catalogue at hand, as loaded, and its identity.
    pub catalogue: &'a Catalogue,
    pub identity: &'a CatalogueIdentity,
    /// How the catalogue at hand is named, for messages.
    pub catalogue_shown: &'a str,
    /// Merge what is there when shards are missing (a partial report).
    pub allow_missing: bool,
    /// `--issuer`; by default the shards' own, when they agree.
    pub issuer: Option<String>,
}

/// The merged report of the whole run.
pub fn merge(shards: Vec<ShardReport>, options: &MergeOptions<'_>) -> Result<RunReport, Refused> {
    let first = shards.first().ok_or_else(|| Refused("no shard's report to merge".into()))?;
    let record = shard_of(first)?.clone();
    for other in &shards {
        belongs_with(other, first)?;
    }
    let missing = missing(&shards, record.count)?;
    if !missing.is_empty() && !options.allow_missing {
        let named: Vec<String> = missing.iter().map(usize::to_string).collect();
        return Err(Refused(format!(
            "shard{} {} of {} {} missing (given: {}): merge all of them, or pass --allow-missing for a partial report",
            if missing.len() == 1 { "" } else { "s" },
            named.join(", "),
            record.count,
            if missing.len() == 1 { "is" } else { "are" },
            shards.iter().map(|s| s.file.as_str()).collect::<Vec<_>>().join(", ")
        )));
    }
    let made_with = catalogue_of(first)?;
    if made_with.fingerprint != options.identity.fingerprint {
        return Err(Refused(format!(
            "{} was made with catalogue {} (fingerprint {}), but the catalogue here is {} (fingerprint {}): pass \
             --catalogue with the catalogue the shards were made with",
            first.file,
            made_with.version.as_deref().unwrap_or("without a version"),
            made_with.fingerprint,
            options.catalogue_shown,
            options.identity.fingerprint
        )));
    }
    let mut plan = whole_plan(options.catalogue, &record, first)?;
    if !missing.is_empty() {
        for planned in &mut plan.specs {
            planned.partial = true;
        }
    }
    let mut aggregator = Aggregator::new(options.catalogue, &plan)
        .map_err(|e| Refused(format!("cannot keep the merged scenarios: {e}")))?;
    replay(&shards, options.catalogue, &plan, &record.plan.specifications, &mut aggregator)?;
    let facts = facts(&shards, options, made_with);
    aggregator.finish(facts).map_err(|e| Refused(format!("cannot read the merged scenarios back: {e}")))
}

/// The shard record of a report that has one, and names its catalogue.
fn shard_of(s: &ShardReport) -> Result<&ShardRecord, Refused> {
    let record = s
        .report
        .shard
        .as_ref()
        .ok_or_else(|| Refused(format!("{} is not a shard's report: it was made without --shard", s.file)))?;
    catalogue_of(s)?;
    let recomputed = crate::shard::fingerprint(&record.plan, s.report.fail_on, s.report.generated.as_ref());
    if recomputed != record.plan.fingerprint {
        return Err(Refused(format!(
            "{}: its plan does not match its plan's fingerprint (the report was edited)",
            s.file
        )));
    }
    Ok(record)
}

/// The catalogue a shard's report was made with.
fn catalogue_of(s: &ShardReport) -> Result<&CatalogueIdentity, Refused> {
    s.report
        .catalogue
        .as_ref()
        .ok_or_else(|| Refused(format!("{} does not name its catalogue (a report older than format 2.2)", s.file)))
}

/// Refuses a shard that does not belong with the first: another catalogue, plan, target or
/// count of shards.
fn belongs_with(s: &ShardReport, first: &ShardReport) -> Result<(), Refused> {
    let (a, b) = (shard_of(s)?, shard_of(first)?);
    let refuse = |what: &str, here: &str, there: &str| {
        Err(Refused(format!("{} {what} {here}, but {} {there}: they are not shards of one run", s.file, first.file)))
    };
    let (ca, cb) = (catalogue_of(s)?, catalogue_of(first)?);
    if ca.fingerprint != cb.fingerprint {
        let show = |c: &CatalogueIdentity| {
            format!("catalogue {} (fingerprint {})", c.version.as_deref().unwrap_or("without a version"), c.fingerprint)
        };
        return refuse("was made with", &show(ca), &format!("with {}", show(cb)));
    }
    if a.count != b.count {
        return refuse("is a shard of", &format!("{} shards", a.count), &format!("of {}", b.count));
    }
    if a.plan.fingerprint != b.plan.fingerprint {
        let show = |r: &ShardRecord,
                    fail_on: crate::model::Level,
                    generated: Option<&crate::model::GeneratedRecord>| {
            let mut parts = vec![r.plan.specifications.join(" ")];
            for (flag, values) in
                [("--tag", &r.plan.tags), ("--scenario", &r.plan.scenarios), ("--requirement", &r.plan.requirements)]
            {
                parts.extend(values.iter().map(|v| format!("{flag} {v}")));
            }
            parts.push(format!("--repeat {}", r.plan.repeat));
            parts.push(format!("--fail-on {fail_on}"));
            if let Some(g) = generated {
                parts.push(format!(
                    "--generate {} --seed {} --generate-budget {}",
                    g.checks.join(","),
                    g.seed,
                    g.budget
                ));
            }
            format!("`{}`", parts.join(" "))
        };
        let (here, there) = (
            show(a, s.report.fail_on, s.report.generated.as_ref()),
            show(b, first.report.fail_on, first.report.generated.as_ref()),
        );
        return refuse("ran the plan", &here, &format!("ran {there}"));
    }
    let (ta, tb) = (&s.report.target, &first.report.target);
    let target = |t: &crate::model::Target, identity: &str| {
        let named = [&t.vendor, &t.product, &t.product_version].iter().filter_map(|v| v.as_deref()).collect::<Vec<_>>();
        if named.is_empty() {
            identity.to_string()
        } else {
            format!("{identity} ({})", named.join(" "))
        }
    };
    let same_product = (&ta.vendor, &ta.product, &ta.product_version) == (&tb.vendor, &tb.product, &tb.product_version);
    if a.target != b.target || !same_product {
        return refuse("tested", &target(ta, &a.target), &format!("tested {}", target(tb, &b.target)));
    }
    Ok(())
}

/// The indexes no shard has; refuses an index given twice or out of range.
fn missing(shards: &[ShardReport], count: usize) -> Result<Vec<usize>, Refused> {
    let mut given: BTreeMap<usize, &str> = BTreeMap::new();
    for s in shards {
        let index = shard_of(s)?.index;
        if index == 0 || index > count {
            return Err(Refused(format!("{} says it is shard {index} of {count}, which cannot be", s.file)));
        }
        if let Some(other) = given.insert(index, &s.file) {
            return Err(Refused(format!(
                "{} is shard {index} of {count}, and so is {other}: give each shard once",
                s.file
            )));
        }
    }
    Ok((1..=count).filter(|k| !given.contains_key(k)).collect())
}

/// The whole plan the shards were cut from, made again from the catalogue; it must be the
/// one they recorded.
fn whole_plan(catalogue: &Catalogue, record: &ShardRecord, first: &ShardReport) -> Result<Plan, Refused> {
    let filters = crate::shard::filters(&record.plan);
    let plan = crate::plan::plan(catalogue, &record.plan.specifications, &filters)
        .map_err(|e| Refused(format!("{}: its plan cannot be made from this catalogue: {e}", first.file)))?;
    let generate = first
        .report
        .generated
        .as_ref()
        .map(crate::plan::Generation::from_record)
        .transpose()
        .map_err(|e| Refused(format!("{}: its generated checks: {e}", first.file)))?;
    let plan = Plan { repeat: record.plan.repeat.max(1), generate, ..plan };
    let again = crate::shard::record(catalogue, &plan, &filters, first.report.fail_on);
    if again.fingerprint != record.plan.fingerprint {
        return Err(Refused(format!("{}: its plan is not the one this catalogue makes of it", first.file)));
    }
    Ok(plan)
}

/// A finished scenario or probe of a shard, and where it goes in the whole plan.
enum Replayed {
    Scenario {
        spec: usize,
        order: usize,
        result: ScenarioResult,
    },
    /// A shared setup or teardown scenario, which every shard runs: its place among the
    /// specification's (shard after shard).
    Shared {
        spec: usize,
        order: usize,
        result: ScenarioResult,
    },
    Probe {
        spec: usize,
        rule: String,
        result: ScenarioResult,
    },
    Generated {
        spec: usize,
        order: usize,
        result: ScenarioResult,
    },
}

/// Feeds every shard's scenarios to the aggregator, in the whole plan's order, and what each
/// shard's passive rules observed. Refuses a scenario the plan does not have, or one that two
/// shards ran.
fn replay(
    shards: &[ShardReport],
    catalogue: &Catalogue,
    plan: &Plan,
    keys: &[String],
    aggregator: &mut Aggregator<'_>,
) -> Result<(), Refused> {
    // (planned specification, a generated unit, its order): who ran it.
    let mut taken: BTreeMap<(usize, bool, usize), &str> = BTreeMap::new();
    let mut probed: BTreeMap<(usize, String), &str> = BTreeMap::new();
    let mut replayed = Vec::new();
    for s in shards {
        for spec in &s.report.specifications {
            let key = format!("{}@{}", spec.id, spec.version);
            let pi = keys
                .iter()
                .position(|k| *k == key)
                .ok_or_else(|| Refused(format!("{}: {key} is not in the plan of its shard record", s.file)))?;
            let planned = &plan.specs[pi];
            let catalogue_spec = &catalogue.specs[planned.spec];
            let ids: Vec<&str> =
                planned.scenarios.iter().map(|&(si, ci)| catalogue_spec.suites[si].scenarios[ci].id.as_str()).collect();
            let (passive, probes) = profile_rules(catalogue, catalogue_spec);
            let units: Vec<String> = match (&plan.generate, &catalogue_spec.api) {
                (Some(generation), Some(api)) => crate::generate::units(catalogue_spec, planned, generation)
                    .iter()
                    .map(|u| u.scenario_id(api))
                    .collect(),
                _ => Vec::new(),
            };
            for scenario in spec.scenarios.iter() {
                let scenario = scenario.map_err(|e| Refused(format!("{}: {e}", s.file)))?;
                if passive.contains(&scenario.id) {
                    continue; // judged again below, from what every shard observed
                }
                if let Some(rule) = probes.get(&scenario.id) {
                    if let Some(other) = probed.insert((pi, rule.clone()), &s.file) {
                        return Err(Refused(format!(
                            "{}: {key} {} was probed by {other} too: give each shard once",
                            s.file, scenario.id
                        )));
                    }
                    let (rule, result) = (rule.clone(), scenario.into_owned());
                    replayed.push(Replayed::Probe { spec: pi, rule, result });
                    continue;
                }
                // Requirements are judged again here; a scenario's own verdict must be the
                // one its steps give.
                if let Steps::Inline(steps) = &scenario.steps {
                    let by_requirement =
                        crate::judge::verdict::requirement_verdicts(steps, &scenario.covers, scenario.verdict);
                    if crate::judge::verdict::scenario_verdict(steps) != scenario.verdict
                        || by_requirement != scenario.verdicts
                    {
                        return Err(Refused(format!(
                            "{}: {key} {}: its verdict is not the one its steps give (the report was edited)",
                            s.file, scenario.id
                        )));
                    }
                }
                if let Some(role) = scenario.role {
                    let shared: Vec<&str> = catalogue_spec
                        .suites
                        .iter()
                        .flat_map(|su| match role {
                            ScenarioRole::Setup => &su.setup,
                            ScenarioRole::Teardown => &su.teardown,
                        })
                        .map(|sc| sc.id.as_str())
                        .collect();
                    let at = shared.iter().position(|id| *id == scenario.id).ok_or_else(|| {
                        Refused(format!("{}: {key} has no shared scenario {} in the catalogue", s.file, scenario.id))
                    })?;
                    let shard = shard_of(s)?.index;
                    let mut result = scenario.into_owned();
                    // Each shard ran it: which one, in the merged report.
                    result.id = format!("{}@shard-{shard}", result.id);
                    let order = (shard - 1) * shared.len() + at;
                    replayed.push(Replayed::Shared { spec: pi, order, result });
                    continue;
                }
                let unit = units.iter().position(|id| *id == scenario.id);
                let order = match unit {
                    Some(order) => order,
                    None => order_of(&scenario.id, &ids, plan.repeat).ok_or_else(|| {
                        Refused(format!("{}: {key} has no scenario {} in the plan", s.file, scenario.id))
                    })?,
                };
                if let Some(other) = taken.insert((pi, unit.is_some(), order), &s.file) {
                    return Err(Refused(format!(
                        "{}: {key} {} was run by {other} too: give each shard once",
                        s.file, scenario.id
                    )));
                }
                let result = scenario.into_owned();
                replayed.push(match unit {
                    Some(_) => Replayed::Generated { spec: pi, order, result },
                    None => Replayed::Scenario { spec: pi, order, result },
                });
            }
        }
        for observed in &shard_of(s)?.passive {
            let pi = keys.iter().position(|k| *k == observed.specification).ok_or_else(|| {
                Refused(format!("{}: {} is not in the plan of its shard record", s.file, observed.specification))
            })?;
            let listed = listed_violations(&s.report, &observed.specification, &observed.profile, &observed.rule);
            let rule = (observed.profile.as_str(), observed.rule.as_str());
            if !aggregator.take_passive(pi, rule, listed, observed.seen, observed.violations) {
                return Err(Refused(format!(
                    "{}: {} has no passive profile rule {}/{}",
                    s.file, observed.specification, observed.profile, observed.rule
                )));
            }
        }
    }
    // In the plan's order, as a run with one job takes them (the scenarios, the probes, then
    // the generated checks): departures are numbered as they are first seen.
    replayed.sort_by_key(|r| match r {
        Replayed::Shared { spec, order, result } if result.role == Some(ScenarioRole::Setup) => {
            (*spec, 0, *order, String::new())
        }
        Replayed::Scenario { spec, order, .. } => (*spec, 1, *order, String::new()),
        Replayed::Probe { spec, rule, .. } => (*spec, 2, 0, rule.clone()),
        Replayed::Generated { spec, order, .. } => (*spec, 3, *order, String::new()),
        Replayed::Shared { spec, order, .. } => (*spec, 4, *order, String::new()),
    });
    for r in replayed {
        aggregator.take(match r {
            Replayed::Scenario { spec, order, result } => {
                RunEvent::ScenarioFinished(FinishedScenario { spec, order, result, found: Vec::new() })
            }
            Replayed::Shared { spec, order, result } => {
                RunEvent::SharedFinished(FinishedScenario { spec, order, result, found: Vec::new() })
            }
            Replayed::Probe { spec, rule, result } => RunEvent::ProbeFinished(FinishedProbe { spec, rule, result }),
            Replayed::Generated { spec, order, result } => {
                RunEvent::GeneratedFinished(FinishedGenerated { spec, order, result })
            }
        });
    }
    Ok(())
}

/// A specification's profile rule scenarios (`<profile>/<rule>`): the passive ones, and the
/// probed ones with their rule id.
fn profile_rules(catalogue: &Catalogue, spec: &crate::catalogue::Spec) -> (BTreeSet<String>, BTreeMap<String, String>) {
    let mut passive = BTreeSet::new();
    let mut probed = BTreeMap::new();
    for (_, profile) in catalogue.profiles_of(spec) {
        for rule in &profile.rules {
            let id = format!("{}/{}", profile.id, rule.id);
            if crate::judge::profile::is_passive(rule.check) {
                passive.insert(id);
            } else {
                probed.insert(id, rule.id.clone());
            }
        }
    }
    (passive, probed)
}

/// A scenario's place among a specification's runs in the whole plan: `id` (or `id#round`
/// with `--repeat`) at its position among the planned `ids`.
fn order_of(id: &str, ids: &[&str], repeat: usize) -> Option<usize> {
    let (base, round) = if repeat > 1 {
        let (base, round) = id.rsplit_once('#')?;
        (base, round.parse::<usize>().ok().filter(|r| (1..=repeat).contains(r))?)
    } else {
        (id, 1)
    };
    let position = ids.iter().position(|i| *i == base)?;
    Some((round - 1) * ids.len() + position)
}

/// The violations a passive rule's scenario in a shard's report lists (the first of them;
/// the record counts them all).
fn listed_violations(report: &RunReport, spec_key: &str, profile: &str, rule: &str) -> Vec<Msg> {
    let id = format!("{profile}/{rule}");
    let scenario = report
        .specifications
        .iter()
        .filter(|s| format!("{}@{}", s.id, s.version) == spec_key)
        .flat_map(|s| s.scenarios.iter().flatten())
        .find(|s| s.id == id);
    let Some(Steps::Inline(steps)) = scenario.as_ref().map(|s| &s.steps) else { return Vec::new() };
    steps
        .iter()
        .flat_map(|step| &step.checks)
        .filter(|c| !c.passed && !matches!(c.said, Msg::AndMore { .. }))
        .map(|c| c.said.clone())
        .collect()
}

/// The merged run's head: the first shard's target, the earliest start and latest end, the
/// earliest validity; interrupted when any shard was.
fn facts(shards: &[ShardReport], options: &MergeOptions<'_>, made_with: &CatalogueIdentity) -> RunFacts {
    let reports: Vec<&RunReport> = shards.iter().map(|s| &s.report).collect();
    let first = reports[0];
    // RFC 3339 in UTC with the same precision: their order is the order of the text.
    let started = reports.iter().map(|r| r.started.clone()).min().unwrap_or_default();
    let finished = reports.iter().map(|r| r.finished.clone()).max().unwrap_or_default();
    let span = humantime::parse_rfc3339(&started).ok().zip(humantime::parse_rfc3339(&finished).ok());
    let duration_ms = match span.and_then(|(a, b)| b.duration_since(a).ok()) {
        Some(d) => crate::exec::ms(d),
        None => reports.iter().map(|r| r.duration_ms).sum(),
    };
    let issuers: BTreeSet<Option<&String>> = reports.iter().map(|r| r.issuer.as_ref()).collect();
    let common_issuer = if issuers.len() == 1 { first.issuer.clone() } else { None };
    RunFacts {
        target: first.target.clone(),
        started,
        finished: finished.clone(),
        duration_ms,
        fail_on: first.fail_on,
        interrupted: reports.iter().any(|r| r.interrupted),
        https: first.target.base_url.starts_with("https:"),
        issuer: options.issuer.clone().or(common_issuer),
        valid_until: reports.iter().filter_map(|r| r.valid_until.clone()).min().unwrap_or(finished),
        catalogue: Some(CatalogueIdentity {
            embedded: reports.iter().all(|r| r.catalogue.as_ref().is_some_and(|c| c.embedded)),
            ..made_with.clone()
        }),
        target_identity: shard_of(&shards[0]).map(|r| r.target.clone()).unwrap_or_default(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_scenario_finds_its_place_in_the_whole_plan() {
        let ids = ["a", "b", "c"];
        assert_eq!(order_of("b", &ids, 1), Some(1));
        assert_eq!(order_of("x", &ids, 1), None);
        assert_eq!(order_of("c#2", &ids, 2), Some(5));
        assert_eq!(order_of("a#1", &ids, 2), Some(0));
        assert_eq!(order_of("a#3", &ids, 2), None);
        assert_eq!(order_of("a", &ids, 2), None);
    }
}
