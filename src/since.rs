//! `run --since OLD-REPORT.json`: what changed since the version a product was certified
//! for, requirement by requirement, and the vendor's to-do list.
//!
//! Pure data in and out: the changes `konform diff` found between the two versions, what
//! each version's scenarios cover and test, and the verdicts of the earlier report and of
//! this run. A requirement is `added` (new in the new version), `changed` (its level or
//! words changed, a scenario covering it was added, changed or removed, or an operation its
//! scenarios test changed in a way the vendor must or should act on) or `unchanged`. A
//! requirement not met now is on the to-do list: new, changed, regressed (unchanged and
//! met before) or still failing (unchanged and not met before either).
//!
//! An operation a scenario *tests* is one of its main steps' operations: a setup step only
//! prepares (every scenario submits a case first), and a cleanup step only tidies up, so a
//! change to them would make every requirement "changed" and hide each regression. A change
//! the vendor need not act on (`no_action`) cannot make a conforming product fail, so it
//! does not make a requirement changed either.

use std::collections::{BTreeMap, BTreeSet};

use crate::catalogue::Spec;
use crate::diff::{Change, ChangeClass, ChangeKind, ChangePlace};
use crate::judge::verdict::met;
use crate::model::{RequirementVerdict, RunReport, SinceClass, SinceRequirement, SinceSpec, SpecResult, Todo};

/// What one version's scenarios cover and test.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Scenarios {
    /// Scenario id → the requirements it covers.
    pub covers: BTreeMap<String, BTreeSet<String>>,
    /// Scenario id → the operation ids its main steps call (not setup, not cleanup).
    pub tests: BTreeMap<String, BTreeSet<String>>,
}

impl Scenarios {
    pub fn of(spec: &Spec) -> Scenarios {
        let mut out = Scenarios::default();
        for scenario in spec.suites.iter().flat_map(|s| &s.scenarios) {
            let covers = scenario.covers.iter().map(|c| c.id.clone()).collect();
            let tests = scenario.steps.iter().filter(|s| !s.is_setup).map(|s| s.operation.clone()).collect();
            out.covers.insert(scenario.id.clone(), covers);
            out.tests.insert(scenario.id.clone(), tests);
        }
        out
    }

    /// The operation ids the scenarios covering `requirement` test.
    fn tested_for(&self, requirement: &str) -> BTreeSet<&str> {
        self.covers
            .iter()
            .filter(|(_, covers)| covers.contains(requirement))
            .flat_map(|(id, _)| self.tests.get(id).into_iter().flatten())
            .map(String::as_str)
            .collect()
    }

    /// Whether a scenario covers a requirement.
    fn covers(&self, scenario: &str, requirement: &str) -> bool {
        self.covers.get(scenario).is_some_and(|c| c.contains(requirement))
    }

    /// Whether any scenario tests an operation.
    fn tests_operation(&self, operation: &str) -> bool {
        self.tests.values().any(|ops| ops.contains(operation))
    }
}

/// The earlier report's result for the specification `id`: the newest version it tested
/// that is not newer than `version`.
pub fn earlier<'r>(old: &'r RunReport, id: &str, version: &semver::Version) -> Option<&'r SpecResult> {
    old.specifications
        .iter()
        .filter(|s| s.id == id)
        .filter_map(|s| semver::Version::parse(&s.version).ok().map(|v| (v, s)))
        .filter(|(v, _)| v <= version)
        .max_by(|a, b| a.0.cmp(&b.0))
        .map(|(_, s)| s)
}

/// The two versions' scenarios and the changes between them: what `compare` reads beside
/// the verdicts.
pub struct Versions<'a> {
    pub changes: &'a [Change],
    pub old: &'a Scenarios,
    pub new: &'a Scenarios,
}

/// Each requirement of the new version (`now`: its id and verdict in this run, in order),
/// classified against the changes, with its verdict in the earlier report (`before`).
pub fn classify(
    versions: &Versions<'_>,
    before: &[(String, RequirementVerdict)],
    now: &[(String, RequirementVerdict)],
) -> Classified {
    let mut attributed = vec![false; versions.changes.len()];
    let mut requirements = Vec::new();
    for (id, verdict) in now {
        let mut added = false;
        let mut codes: BTreeSet<ChangeKind> = BTreeSet::new();
        let tested = versions.new.tested_for(id);
        for (i, change) in versions.changes.iter().enumerate() {
            let concerns = match (&change.place, &change.operation) {
                (ChangePlace::Requirement { id: r }, _) => r == id,
                (ChangePlace::Scenario { id: s }, _) if change.code == ChangeKind::ScenarioRemoved => {
                    versions.old.covers(s, id)
                }
                (ChangePlace::Scenario { id: s }, _) => versions.new.covers(s, id),
                (_, Some(op)) => {
                    change.class != ChangeClass::NoAction
                        && op.operation_id.as_deref().is_some_and(|o| tested.contains(o))
                }
                (_, None) => false,
            };
            if !concerns {
                continue;
            }
            attributed[i] = true;
            if change.code == ChangeKind::RequirementAdded {
                added = true;
            } else {
                codes.insert(change.code);
            }
        }
        let class = if added {
            SinceClass::Added
        } else if codes.is_empty() {
            SinceClass::Unchanged
        } else {
            SinceClass::Changed
        };
        let old_verdict = if added { None } else { before.iter().find(|(b, _)| b == id).map(|(_, v)| *v) };
        let todo = (!met(*verdict)).then_some(match (class, old_verdict) {
            (SinceClass::Added, _) => Todo::New,
            (SinceClass::Changed, _) => Todo::Changed,
            (SinceClass::Unchanged, Some(v)) if met(v) => Todo::Regressed,
            (SinceClass::Unchanged, Some(_)) => Todo::StillFailing,
            (SinceClass::Unchanged, None) => Todo::NoEarlierVerdict,
        });
        requirements.push(SinceRequirement {
            id: id.clone(),
            class,
            old_verdict,
            verdict: *verdict,
            changes: codes.iter().map(|c| code(*c)).collect(),
            todo,
        });
    }
    let must = |c: &&Change| c.class == ChangeClass::MustChange;
    let removed = versions
        .changes
        .iter()
        .filter(|c| c.code == ChangeKind::RequirementRemoved)
        .filter_map(|c| match &c.place {
            ChangePlace::Requirement { id } => Some(id.clone()),
            _ => None,
        })
        .collect();
    let untested = versions
        .changes
        .iter()
        .zip(&attributed)
        .filter(|(c, seen)| must(c) && !**seen)
        // A change to an operation some scenario tests, though none of a requirement in
        // this run (a scenario covering nothing), is still tested.
        .filter(|(c, _)| {
            !c.operation
                .as_ref()
                .and_then(|o| o.operation_id.as_deref())
                .is_some_and(|o| versions.new.tests_operation(o))
        })
        .count();
    Classified {
        requirements,
        removed,
        changes: versions.changes.len(),
        must_change: versions.changes.iter().filter(must).count(),
        must_change_untested: untested,
    }
}

/// A change's code as `konform diff` writes it (`request-property-added`).
fn code(kind: ChangeKind) -> String {
    match serde_json::to_value(kind) {
        Ok(serde_json::Value::String(s)) => s,
        _ => format!("{kind:?}"),
    }
}

/// The requirements of the new version, classified, and what the changes add up to.
#[derive(Debug, Clone, PartialEq)]
pub struct Classified {
    pub requirements: Vec<SinceRequirement>,
    pub removed: Vec<String>,
    pub changes: usize,
    pub must_change: usize,
    pub must_change_untested: usize,
}

/// One specification's record: the earlier report's result for the old version, this
/// run's for the new one, and the classification.
pub fn record(old: &SpecResult, new: &SpecResult, catalogue_changed: bool, versions: &Versions<'_>) -> SinceSpec {
    let verdicts = |s: &SpecResult| s.requirements.iter().map(|r| (r.id.clone(), r.verdict)).collect::<Vec<_>>();
    let c = classify(versions, &verdicts(old), &verdicts(new));
    SinceSpec {
        id: new.id.clone(),
        from_version: old.version.clone(),
        to_version: new.version.clone(),
        from_fingerprint: old.fingerprints.combined.clone(),
        catalogue_changed,
        changes: c.changes,
        must_change: c.must_change,
        must_change_untested: c.must_change_untested,
        requirements: c.requirements,
        removed: c.removed,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diff::OperationRef;
    use RequirementVerdict::{Fail, NotTested, Pass, Waived};

    fn scenarios(list: &[(&str, &[&str], &[&str])]) -> Scenarios {
        let mut s = Scenarios::default();
        for (id, covers, tests) in list {
            s.covers.insert(id.to_string(), covers.iter().map(|c| c.to_string()).collect());
            s.tests.insert(id.to_string(), tests.iter().map(|t| t.to_string()).collect());
        }
        s
    }

    fn on(kind: ChangeKind, operation: &str) -> Change {
        let mut c = Change::new(kind, ChangePlace::Operation);
        c.operation =
            Some(OperationRef { path: "/x".into(), method: "post".into(), operation_id: Some(operation.into()) });
        c
    }

    fn verdicts(list: &[(&str, RequirementVerdict)]) -> Vec<(String, RequirementVerdict)> {
        list.iter().map(|(id, v)| (id.to_string(), *v)).collect()
    }

    fn find<'c>(c: &'c Classified, id: &str) -> &'c SinceRequirement {
        c.requirements.iter().find(|r| r.id == id).unwrap()
    }

    #[test]
    fn each_requirement_is_added_changed_or_unchanged_and_the_failures_say_why() {
        let old = scenarios(&[("s1", &["R1"], &["submit"]), ("s2", &["R2"], &["list"]), ("s3", &["R3"], &["get"])]);
        let new = scenarios(&[
            ("s1", &["R1"], &["submit"]),
            ("s2", &["R2"], &["list"]),
            ("s3", &["R3"], &["get"]),
            ("s4", &["R4"], &["submit"]),
        ]);
        let mut level = Change::new(ChangeKind::RequirementLevelRaised, ChangePlace::Requirement { id: "R3".into() });
        level.class = ChangeClass::MustChange;
        let changes = vec![
            on(ChangeKind::RequestPropertyAdded, "submit"),
            Change::new(ChangeKind::RequirementAdded, ChangePlace::Requirement { id: "R4".into() }),
            Change::new(ChangeKind::ScenarioAdded, ChangePlace::Scenario { id: "s4".into() }),
            level,
        ];
        let versions = Versions { changes: &changes, old: &old, new: &new };
        let before = verdicts(&[("R1", Pass), ("R2", Fail), ("R3", Pass)]);
        let now = verdicts(&[("R1", Fail), ("R2", Fail), ("R3", Fail), ("R4", Fail)]);
        let c = classify(&versions, &before, &now);
        let r1 = find(&c, "R1");
        assert_eq!((r1.class, r1.todo, r1.old_verdict), (SinceClass::Changed, Some(Todo::Changed), Some(Pass)));
        assert_eq!(r1.changes, ["request-property-added"]);
        let r2 = find(&c, "R2");
        assert_eq!((r2.class, r2.todo), (SinceClass::Unchanged, Some(Todo::StillFailing)));
        assert!(r2.changes.is_empty());
        let r3 = find(&c, "R3");
        assert_eq!((r3.class, r3.todo), (SinceClass::Changed, Some(Todo::Changed)));
        assert_eq!(r3.changes, ["requirement-level-raised"]);
        let r4 = find(&c, "R4");
        assert_eq!((r4.class, r4.todo, r4.old_verdict), (SinceClass::Added, Some(Todo::New), None));
        // The scenario added with it is a change too, said beside "added".
        assert_eq!(r4.changes, ["request-property-added", "scenario-added"]);
        assert_eq!((c.changes, c.must_change, c.must_change_untested), (4, 2, 0));
    }

    #[test]
    fn a_requirement_met_before_and_unchanged_that_fails_now_regressed() {
        let s = scenarios(&[("s1", &["R1"], &["get"]), ("s2", &["R2"], &["get"])]);
        let changes = vec![];
        let versions = Versions { changes: &changes, old: &s, new: &s };
        let before = verdicts(&[("R1", Waived), ("R2", Pass)]);
        let now = verdicts(&[("R1", Fail), ("R2", Pass), ("R3", NotTested)]);
        let c = classify(&versions, &before, &now);
        assert_eq!(find(&c, "R1").todo, Some(Todo::Regressed), "a waived failure counted as met");
        assert_eq!(find(&c, "R2").todo, None, "met now: not on the list");
        assert_eq!(find(&c, "R3").todo, Some(Todo::NoEarlierVerdict));
    }

    #[test]
    fn setup_operations_and_changes_needing_no_action_change_no_requirement() {
        // s1 submits only to prepare (its test is `get`); a no-action change on `get`.
        let s = scenarios(&[("s1", &["R1"], &["get"])]);
        let changes = vec![
            on(ChangeKind::RequestPropertyAdded, "submit"),
            on(ChangeKind::ResponseStatusAdded, "get"),
            on(ChangeKind::OperationAdded, "export"),
        ];
        let versions = Versions { changes: &changes, old: &s, new: &s };
        let c = classify(&versions, &verdicts(&[("R1", Pass)]), &verdicts(&[("R1", Fail)]));
        assert_eq!(find(&c, "R1").class, SinceClass::Unchanged);
        assert_eq!(find(&c, "R1").todo, Some(Todo::Regressed));
        // `submit` and the new `export` are must-change, and no scenario tests them.
        assert_eq!((c.must_change, c.must_change_untested), (2, 2));
    }

    #[test]
    fn a_removed_scenario_changes_what_it_covered_and_removed_requirements_are_listed() {
        let old = scenarios(&[("s1", &["R1"], &["get"]), ("gone", &["R1", "R9"], &["get"])]);
        let new = scenarios(&[("s1", &["R1"], &["get"])]);
        let changes = vec![
            Change::new(ChangeKind::ScenarioRemoved, ChangePlace::Scenario { id: "gone".into() }),
            Change::new(ChangeKind::RequirementRemoved, ChangePlace::Requirement { id: "R9".into() }),
        ];
        let versions = Versions { changes: &changes, old: &old, new: &new };
        let c = classify(&versions, &verdicts(&[("R1", Fail), ("R9", Fail)]), &verdicts(&[("R1", Fail)]));
        assert_eq!(find(&c, "R1").changes, ["scenario-removed"]);
        assert_eq!(find(&c, "R1").todo, Some(Todo::Changed));
        assert_eq!(c.removed, ["R9"]);
    }

    #[test]
    fn the_earlier_version_is_the_newest_not_newer_than_this_run() {
        let (mut report, _) = crate::spool::tests::sample_reports();
        let template = report.specifications[0].clone();
        report.specifications = ["1.0.0", "1.1.0", "2.0.0", "not-a-version"]
            .iter()
            .map(|v| SpecResult { version: v.to_string(), ..template.clone() })
            .collect();
        let id = template.id.clone();
        let v = |s: &str| semver::Version::parse(s).unwrap();
        assert_eq!(earlier(&report, &id, &v("1.1.0")).map(|s| s.version.as_str()), Some("1.1.0"));
        assert_eq!(earlier(&report, &id, &v("1.5.0")).map(|s| s.version.as_str()), Some("1.1.0"));
        assert_eq!(earlier(&report, &id, &v("0.9.0")).map(|s| s.version.as_str()), None);
        assert!(earlier(&report, "other", &v("9.0.0")).is_none());
    }
}
