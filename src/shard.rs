//! Shards: `--shard K/N` runs the K-th of N deterministic slices of a plan, so a large run
//! can be spread over CI runners and put back together with `konform report merge`.
//!
//! Every planned scenario goes to exactly one shard, with all its `--repeat` rounds. The
//! assignment depends only on what is run, never on files: scenarios are taken heaviest
//! first (by their steps, cleanup included: the requests they send), ties broken by
//! `id@version/scenario-id`, and each goes to the shard with the least work so far (the
//! lowest index on a tie). So it is the same on every runner, does not change when suite
//! files are renamed or reordered, and keeps the shards within one scenario of each other's
//! load. The profile's probes (a few requests per specification) are run once, by shard 1,
//! whose load starts with them.
//!
//! Each shard's report records the whole plan ([`PlanRecord`], with its fingerprint), so
//! a merge can tell whether the shards belong together.

use std::collections::BTreeSet;

use sha2::{Digest, Sha256};

use crate::catalogue::Catalogue;
use crate::model::{Level, PlanRecord};
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
/// with nothing in this shard still reports its requirements, untested). A slice of more
/// than one shard is partial; only shard 1 probes the profile rules.
pub fn slice(catalogue: &Catalogue, plan: Plan, shard: Shard, whole: PlanRecord) -> Plan {
    let owner = assign(catalogue, &plan, shard.count);
    let mut specs = plan.specs;
    for (pi, planned) in specs.iter_mut().enumerate() {
        let mut position = 0;
        planned.scenarios.retain(|_| {
            position += 1;
            owner[pi][position - 1] == shard.index - 1
        });
        planned.partial |= shard.count > 1;
    }
    Plan {
        specs,
        repeat: plan.repeat,
        probes: plan.probes && shard.index == 1,
        shard: Some(Sliced { index: shard.index, count: shard.count, whole }),
        // `run` refuses --generate with --shard (merging generated checks is not done yet).
        generate: None,
    }
}

/// For each planned specification, the shard (from 0) of each of its scenarios.
fn assign(catalogue: &Catalogue, plan: &Plan, count: usize) -> Vec<Vec<usize>> {
    let mut items = Vec::new();
    let mut load = vec![0usize; count];
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
            let weight = scenario.steps.len() + scenario.cleanup.len();
            items.push((weight, format!("{}/{}", spec.key(), scenario.id), pi, position));
        }
    }
    items.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
    let mut owner: Vec<Vec<usize>> = plan.specs.iter().map(|p| vec![0; p.scenarios.len()]).collect();
    for (weight, _, pi, position) in items {
        let lightest = (0..count).min_by_key(|&k| (load[k], k)).expect("Shard::from_str refuses 0 shards");
        load[lightest] += weight;
        owner[pi][position] = lightest;
    }
    owner
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
    record.fingerprint = fingerprint(&record, fail_on);
    record
}

/// SHA-256 (hex) of the JSON (RFC 8785) of a plan record's other fields and `fail_on`.
pub fn fingerprint(record: &PlanRecord, fail_on: Level) -> String {
    let value = serde_json::json!({
        "specifications": record.specifications,
        "tags": record.tags,
        "scenarios": record.scenarios,
        "requirements": record.requirements,
        "repeat": record.repeat,
        "fail_on": fail_on,
    });
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

    #[test]
    fn every_scenario_is_in_exactly_one_shard_and_the_shards_are_balanced() {
        let catalogue = catalogue();
        let whole = crate::plan::plan(&catalogue, &[], &Filters::default()).unwrap();
        let record = record(&catalogue, &whole, &Filters::default(), Level::Must);
        let mut all = keys(&catalogue, &whole);
        all.sort();
        let weight = |spec: &crate::catalogue::Spec, (si, ci): (usize, usize)| {
            let s = &spec.suites[si].scenarios[ci];
            s.steps.len() + s.cleanup.len()
        };
        let heaviest = whole
            .specs
            .iter()
            .flat_map(|p| p.scenarios.iter().map(|&at| weight(&catalogue.specs[p.spec], at)))
            .max()
            .unwrap();
        for count in [1, 2, 3, 7] {
            let mut union = Vec::new();
            let mut loads = Vec::new();
            for index in 1..=count {
                let part = slice(&catalogue, whole.clone(), Shard { index, count }, record.clone());
                assert_eq!(part.probes, index == 1);
                assert!(part.specs.iter().all(|p| p.partial == (count > 1)));
                assert_eq!(part.specs.len(), whole.specs.len(), "every specification is kept");
                let probes = if index == 1 { PROBE_REQUESTS * whole.specs.len() } else { 0 };
                let steps: usize = part
                    .specs
                    .iter()
                    .flat_map(|p| p.scenarios.iter().map(|&at| weight(&catalogue.specs[p.spec], at)))
                    .sum();
                loads.push(probes + steps);
                union.extend(keys(&catalogue, &part));
            }
            union.sort();
            assert_eq!(union, all, "{count} shards");
            // Greedy by weight: no shard more than one scenario's work above another.
            let (min, max) = (loads.iter().min().unwrap(), loads.iter().max().unwrap());
            assert!(max - min <= heaviest, "{count} shards: loads {loads:?}, heaviest scenario {heaviest}");
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
    fn the_plan_fingerprint_covers_selection_filters_repeat_and_fail_on() {
        let catalogue = catalogue();
        let whole = crate::plan::plan(&catalogue, &[], &Filters::default()).unwrap();
        let base = record(&catalogue, &whole, &Filters::default(), Level::Must);
        let tagged = Filters { tags: vec!["b".into(), "a".into(), "a".into()], ..Filters::default() };
        let swapped = Filters { tags: vec!["a".into(), "b".into()], ..Filters::default() };
        assert_eq!(record(&catalogue, &whole, &tagged, Level::Must), record(&catalogue, &whole, &swapped, Level::Must));
        let repeated = Plan { repeat: 2, ..whole.clone() };
        let one = crate::plan::plan(&catalogue, &["case-intake@1.1.0".to_string()], &Filters::default()).unwrap();
        for other in [
            record(&catalogue, &whole, &tagged, Level::Must),
            record(&catalogue, &whole, &Filters::default(), Level::Should),
            record(&catalogue, &repeated, &Filters::default(), Level::Must),
            record(&catalogue, &one, &Filters::default(), Level::Must),
        ] {
            assert_ne!(other.fingerprint, base.fingerprint, "{other:?}");
        }
        // A merge recomputes it from the record.
        assert_eq!(fingerprint(&base, Level::Must), base.fingerprint);
    }
}
