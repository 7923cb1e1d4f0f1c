//! Shards: `--shard K/N` runs the K-th of N deterministic slices of a plan, so a large run
//! can be spread over CI runners and put back together with `konform report merge`.
//!
//! Every planned scenario goes to exactly one shard, with all its `--repeat` rounds, and so
//! does every generated check's unit (`--generate`: one check of one operation). The
//! assignment depends only on what is run, never on files: the pieces of work are taken
//! heaviest first (by the requests they send: a scenario's steps, cleanup included, times
//! its rounds; a unit's budget, `generate::Unit::weight`), ties broken by
//! `id@version/scenario-id` (a unit's synthetic scenario id), and each goes to the shard
//! with the least work so far (the lowest index on a tie). So it is the same on every
//! runner, does not change when suite files are renamed or reordered, and keeps the shards
//! within one piece of work of each other's load. The profile's probes (a few requests per
//! specification) are run once, by shard 1, whose load starts with them.
//!
//! A generated unit fills its path parameters from what the scenarios of its own shard
//! captured (and the target's variables): a shard cannot see another's captures, so where a
//! unit needs a resource only another shard's scenario creates, it uses a generated value
//! (docs/running.md says what that can change).
//!
//! Each shard's report records the whole plan ([`PlanRecord`], with its fingerprint, which
//! covers the generated checks too), so a merge can tell whether the shards belong together.

use std::collections::BTreeSet;

use sha2::{Digest, Sha256};

use crate::catalogue::Catalogue;
use crate::model::{GeneratedRecord, Level, PlanRecord};
use crate::plan::{Filters, Plan, Sliced};

/// `K/N`: the K-th (from 1) of N shards.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shard {
    pub index: usize,
    pub count: usize,
}

impl std::str::FromStr for Shard {
    type Err = String;

    fn from_str(s: &str) -> Result<Shard, String> {
        let shape = || format!("`{s}` is not K/N, such as 2/4 (the second of four shards)");
        let (k, n) = s.split_once('/').ok_or_else(shape)?;
        let (index, count): (usize, usize) =
            (k.trim().parse().map_err(|_| shape())?, n.trim().parse().map_err(|_| shape())?);
        if count == 0 {
            return Err(format!("`{s}`: a plan is cut into 1 shard or more"));
        }
        if index == 0 || index > count {
            return Err(format!("`{s}`: K counts from 1 to N ({count})"));
        }
        Ok(Shard { index, count })
    }
}

/// The probe requests a specification's profiles send (they go to shard 1).
const PROBE_REQUESTS: usize = 2;

/// The K-th slice of `plan`: the scenarios assigned to it, every specification kept (one
/// with nothing in this shard still reports its requirements, untested), and its share of
/// the generated checks. A slice of more than one shard is partial; only shard 1 probes the
/// profile rules.
pub fn slice(catalogue: &Catalogue, plan: Plan, shard: Shard, whole: PlanRecord) -> Plan {
    let owners = assign(catalogue, &plan, shard.count);
    let mine = shard.index - 1;
    let generating = plan.generate.is_some();
    let mut specs = plan.specs;
    for ((planned, scenarios), units) in specs.iter_mut().zip(owners.scenarios).zip(owners.units) {
        let mut owner = scenarios.into_iter();
        planned.scenarios.retain(|_| owner.next() == Some(mine));
        if generating {
            planned.units =
                Some(units.iter().enumerate().filter(|&(_, &k)| k == mine).map(|(order, _)| order).collect());
        }
        planned.partial |= shard.count > 1;
    }
    Plan {
        specs,
        repeat: plan.repeat,
        probes: plan.probes && shard.index == 1,
        shard: Some(Sliced { index: shard.index, count: shard.count, whole }),
        generate: plan.generate,
    }
}

/// For each planned specification, the shard (from 0) of each of its scenarios and of each
/// of its generated units.
struct Owners {
    scenarios: Vec<Vec<usize>>,
    units: Vec<Vec<usize>>,
}

/// What one piece of work is.
enum Work {
    Scenario(usize),
    Unit(usize),
}

fn assign(catalogue: &Catalogue, plan: &Plan, count: usize) -> Owners {
    let mut items = Vec::new();
    let mut load = vec![0usize; count];
    let mut owners = Owners { scenarios: Vec::new(), units: Vec::new() };
    for (pi, planned) in plan.specs.iter().enumerate() {
        let spec = &catalogue.specs[planned.spec];
        if catalogue
            .profiles_of(spec)
            .iter()
            .any(|(_, p)| p.rules.iter().any(|r| !crate::judge::profile::is_passive(r.check)))
        {
            load[0] += PROBE_REQUESTS;
        }
        for (position, &(si, ci)) in planned.scenarios.iter().enumerate() {
            let scenario = &spec.suites[si].scenarios[ci];
            let weight = (scenario.steps.len() + scenario.cleanup.len()) * plan.repeat.max(1);
            items.push((weight, format!("{}/{}", spec.key(), scenario.id), pi, Work::Scenario(position)));
        }
        owners.scenarios.push(vec![0; planned.scenarios.len()]);
        let units = match (&plan.generate, &spec.api) {
            (Some(generation), Some(api)) => {
                let units = crate::generate::units(spec, planned, generation);
                for (order, unit) in units.iter().enumerate() {
                    let key = format!("{}/{}", spec.key(), unit.scenario_id(api));
                    items.push((unit.weight(generation.budget), key, pi, Work::Unit(order)));
                }
                units.len()
            }
            _ => 0,
        };
        owners.units.push(vec![0; units]);
    }
    items.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
    for (weight, _, pi, work) in items {
        let lightest = (0..count).min_by_key(|&k| (load[k], k)).expect("Shard::from_str refuses 0 shards");
        load[lightest] += weight;
        match work {
            Work::Scenario(position) => owners.scenarios[pi][position] = lightest,
            Work::Unit(order) => owners.units[pi][order] = lightest,
        }
    }
    owners
}

/// The record of the whole plan: what it selects and how it is judged, with its fingerprint.
pub fn record(catalogue: &Catalogue, plan: &Plan, filters: &Filters, fail_on: Level) -> PlanRecord {
    let sorted = |v: &[String]| v.iter().cloned().collect::<BTreeSet<_>>().into_iter().collect::<Vec<_>>();
    let mut record = PlanRecord {
        fingerprint: String::new(),
        specifications: plan.specs.iter().map(|p| catalogue.specs[p.spec].key()).collect(),
        tags: sorted(&filters.tags),
        scenarios: sorted(&filters.scenarios),
        requirements: sorted(&filters.requirements),
        repeat: plan.repeat.max(1),
    };
    let generated = plan.generate.as_ref().map(crate::plan::Generation::record);
    record.fingerprint = fingerprint(&record, fail_on, generated.as_ref());
    record
}

/// SHA-256 (hex) of the JSON (RFC 8785) of a plan record's other fields, `fail_on`, and
/// what the run generated (`generated`, only when it generated checks: a plan without them
/// keeps the fingerprint it had before generated checks could be sharded).
pub fn fingerprint(record: &PlanRecord, fail_on: Level, generated: Option<&GeneratedRecord>) -> String {
    let mut value = serde_json::json!({
        "specifications": record.specifications,
        "tags": record.tags,
        "scenarios": record.scenarios,
        "requirements": record.requirements,
        "repeat": record.repeat,
        "fail_on": fail_on,
    });
    if let Some(generated) = generated {
        value["generated"] = serde_json::to_value(generated).expect("a generated record is plain JSON");
    }
    let bytes =
        serde_json_canonicalizer::to_vec(&value).expect("a JSON value has a canonical form (no NaN, no duplicate key)");
    hex::encode(Sha256::digest(bytes))
}

/// The filters a plan record names.
pub fn filters(record: &PlanRecord) -> Filters {
    Filters {
        tags: record.tags.clone(),
        scenarios: record.scenarios.clone(),
        requirements: record.requirements.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shards_are_written_k_of_n() {
        assert_eq!("2/3".parse::<Shard>(), Ok(Shard { index: 2, count: 3 }));
        assert_eq!("1/1".parse::<Shard>(), Ok(Shard { index: 1, count: 1 }));
        for bad in ["0/3", "4/3", "1/0", "3", "a/b", "-1/2", ""] {
            assert!(bad.parse::<Shard>().is_err(), "{bad}");
        }
    }

    fn catalogue() -> Catalogue {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("conformance-suites");
        Catalogue::load(&root, &Default::default()).0
    }

    /// Every scenario of the plan, as `spec@version/id`, in one shard's slice.
    fn keys(catalogue: &Catalogue, plan: &Plan) -> Vec<String> {
        plan.specs
            .iter()
            .flat_map(|p| {
                let spec = &catalogue.specs[p.spec];
                p.scenarios.iter().map(move |&(si, ci)| format!("{}/{}", spec.key(), spec.suites[si].scenarios[ci].id))
            })
            .collect()
    }

    fn generating() -> crate::plan::Generation {
        crate::plan::Generation {
            checks: crate::catalogue::generate::GenCheck::ALL.into(),
            budget: crate::plan::Generation::DEFAULT_BUDGET,
            seed: 7,
        }
    }

    /// Every generated unit of the plan, as `spec@version/generated/...`, that a slice runs.
    fn unit_keys(catalogue: &Catalogue, plan: &Plan) -> Vec<(String, usize)> {
        let Some(generation) = &plan.generate else { return Vec::new() };
        plan.specs
            .iter()
            .flat_map(|p| {
                let spec = &catalogue.specs[p.spec];
                let api = spec.api.as_ref();
                crate::generate::units(spec, p, generation)
                    .into_iter()
                    .enumerate()
                    .filter(|(order, _)| p.units.as_ref().is_none_or(|share| share.contains(order)))
                    .map(move |(_, u)| {
                        (format!("{}/{}", spec.key(), u.scenario_id(api.unwrap())), u.weight(generation.budget))
                    })
                    .collect::<Vec<_>>()
            })
            .collect()
    }

    #[test]
    fn every_scenario_and_generated_unit_is_in_exactly_one_shard_and_the_shards_are_balanced() {
        let catalogue = catalogue();
        let plain = crate::plan::plan(&catalogue, &[], &Filters::default()).unwrap();
        for whole in [plain.clone(), Plan { generate: Some(generating()), ..plain }] {
            let record = record(&catalogue, &whole, &Filters::default(), Level::Must);
            let mut all = keys(&catalogue, &whole);
            all.sort();
            let mut all_units: Vec<String> = unit_keys(&catalogue, &whole).into_iter().map(|(k, _)| k).collect();
            all_units.sort();
            assert_eq!(all_units.is_empty(), whole.generate.is_none());
            let weight = |spec: &crate::catalogue::Spec, (si, ci): (usize, usize)| {
                let s = &spec.suites[si].scenarios[ci];
                s.steps.len() + s.cleanup.len()
            };
            let heaviest = whole
                .specs
                .iter()
                .flat_map(|p| p.scenarios.iter().map(|&at| weight(&catalogue.specs[p.spec], at)))
                .chain(unit_keys(&catalogue, &whole).into_iter().map(|(_, w)| w))
                .max()
                .unwrap();
            for count in [1, 2, 3, 7] {
                let (mut union, mut union_units, mut loads) = (Vec::new(), Vec::new(), Vec::new());
                for index in 1..=count {
                    let part = slice(&catalogue, whole.clone(), Shard { index, count }, record.clone());
                    assert_eq!(part.probes, index == 1);
                    assert_eq!(part.generate, whole.generate);
                    assert!(part.specs.iter().all(|p| p.partial == (count > 1)));
                    assert_eq!(part.specs.len(), whole.specs.len(), "every specification is kept");
                    let probes = if index == 1 { PROBE_REQUESTS * whole.specs.len() } else { 0 };
                    let steps: usize = part
                        .specs
                        .iter()
                        .flat_map(|p| p.scenarios.iter().map(|&at| weight(&catalogue.specs[p.spec], at)))
                        .sum();
                    let units = unit_keys(&catalogue, &part);
                    loads.push(probes + steps + units.iter().map(|(_, w)| w).sum::<usize>());
                    union.extend(keys(&catalogue, &part));
                    union_units.extend(units.into_iter().map(|(k, _)| k));
                }
                union.sort();
                union_units.sort();
                assert_eq!(union, all, "{count} shards");
                assert_eq!(union_units, all_units, "{count} shards");
                // Greedy by weight: no shard more than one piece of work above another.
                let (min, max) = (loads.iter().min().unwrap(), loads.iter().max().unwrap());
                assert!(max - min <= heaviest, "{count} shards: loads {loads:?}, heaviest piece {heaviest}");
            }
        }
    }

    #[test]
    fn the_assignment_does_not_depend_on_the_order_of_files() {
        let catalogue = catalogue();
        let whole = crate::plan::plan(&catalogue, &[], &Filters::default()).unwrap();
        let record = record(&catalogue, &whole, &Filters::default(), Level::Must);
        // The same plan with every specification's scenarios in reverse order, and the
        // specifications reversed: as if every suite file had been renamed and reordered.
        let mut reordered = whole.clone();
        reordered.specs.reverse();
        for p in &mut reordered.specs {
            p.scenarios.reverse();
        }
        for index in 1..=3 {
            let shard = Shard { index, count: 3 };
            let mut a = keys(&catalogue, &slice(&catalogue, whole.clone(), shard, record.clone()));
            let mut b = keys(&catalogue, &slice(&catalogue, reordered.clone(), shard, record.clone()));
            a.sort();
            b.sort();
            assert_eq!(a, b, "shard {index}/3");
        }
    }

    #[test]
    fn the_plan_fingerprint_covers_selection_filters_repeat_fail_on_and_generated_checks() {
        let catalogue = catalogue();
        let whole = crate::plan::plan(&catalogue, &[], &Filters::default()).unwrap();
        let base = record(&catalogue, &whole, &Filters::default(), Level::Must);
        let tagged = Filters { tags: vec!["b".into(), "a".into(), "a".into()], ..Filters::default() };
        let swapped = Filters { tags: vec!["a".into(), "b".into()], ..Filters::default() };
        assert_eq!(record(&catalogue, &whole, &tagged, Level::Must), record(&catalogue, &whole, &swapped, Level::Must));
        let repeated = Plan { repeat: 2, ..whole.clone() };
        let generated = Plan { generate: Some(generating()), ..whole.clone() };
        let reseeded = Plan { generate: Some(crate::plan::Generation { seed: 8, ..generating() }), ..whole.clone() };
        let one = crate::plan::plan(&catalogue, &["case-intake@1.1.0".to_string()], &Filters::default()).unwrap();
        for other in [
            record(&catalogue, &whole, &tagged, Level::Must),
            record(&catalogue, &whole, &Filters::default(), Level::Should),
            record(&catalogue, &repeated, &Filters::default(), Level::Must),
            record(&catalogue, &one, &Filters::default(), Level::Must),
            record(&catalogue, &generated, &Filters::default(), Level::Must),
        ] {
            assert_ne!(other.fingerprint, base.fingerprint, "{other:?}");
        }
        assert_ne!(
            record(&catalogue, &generated, &Filters::default(), Level::Must).fingerprint,
            record(&catalogue, &reseeded, &Filters::default(), Level::Must).fingerprint,
            "the seed makes other requests"
        );
        // A merge recomputes it from the record (and the report's `generated`).
        assert_eq!(fingerprint(&base, Level::Must, None), base.fingerprint);
        let with = record(&catalogue, &generated, &Filters::default(), Level::Must);
        assert_eq!(fingerprint(&with, Level::Must, Some(&generating().record())), with.fingerprint);
    }
}
