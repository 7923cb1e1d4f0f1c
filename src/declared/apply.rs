//! Applies what was declared to a run's report, before it is signed:
//!
//! 1. a requirement the conformance statement declares not offered becomes `not_applicable`
//!    (the verdict the run gave it is kept beside);
//! 2. a requirement verified by attestation that a valid attestation names becomes
//!    `attested` (never `pass`); without one it stays `not_tested`;
//! 3. a waiver in force (its last day not before the clock) turns a covered verdict (`fail`,
//!    or `error`/`blocked` when it says so) into `waived`, keeping the verdict it covers; a
//!    waiver that does not apply is listed in `unused_waivers` with why;
//!
//! then the counts and the specification and run verdicts are worked out again by the
//! verdict rules (`judge::verdict`), and the certificate's validity ends no later than the
//! last day of a waiver it relies on.

use std::time::SystemTime;

use super::{day_end, Clock, Declared};
use crate::judge::verdict;
use crate::model::{
    AppliedWaiver, NotOffered, RequirementResult, RequirementVerdict, RunReport, SpecResult, UnusedWaiver, WhyUnused,
};

pub fn apply(report: &mut RunReport, declared: &Declared, clock: Clock) {
    if clock.fixed {
        report.as_of = Some(humantime::format_rfc3339_millis(clock.now).to_string());
    }
    let mut ends: Vec<SystemTime> = Vec::new();
    for spec in &mut report.specifications {
        let Ok(version) = semver::Version::parse(&spec.version) else { continue };
        not_applicable(spec, declared, &version);
        attested(spec, declared, &version);
        waived(spec, declared, &version, clock);
        for r in spec.requirements.iter().filter(|r| verdict::counts_toward(r.level, report.fail_on)) {
            ends.extend(r.waiver.as_ref().and_then(|w| day_end(&w.waiver.expires)));
        }
        verdict::count_requirements(&mut spec.counts, &spec.requirements);
        let run = verdict::Completeness { partial: spec.partial, interrupted: report.interrupted };
        spec.verdict = verdict::spec_verdict(&spec.requirements, report.fail_on, run);
    }
    let mut counts = crate::model::Counts::default();
    for spec in &report.specifications {
        verdict::add_counts(&mut counts, &spec.counts);
    }
    report.counts = counts;
    let verdicts: Vec<_> = report.specifications.iter().map(|s| s.verdict).collect();
    report.verdict = verdict::run_verdict(&verdicts, report.interrupted);
    // A certificate that rests on a waiver holds no longer than the waiver.
    if let Some(end) = ends.into_iter().min() {
        let until = report.valid_until.as_deref().and_then(|u| humantime::parse_rfc3339(u).ok());
        if until.is_none_or(|until| end < until) {
            report.valid_until = Some(humantime::format_rfc3339_millis(end).to_string());
        }
    }
}

fn requirement<'s>(spec: &'s mut SpecResult, id: &str) -> Option<&'s mut RequirementResult> {
    spec.requirements.iter_mut().find(|r| r.id == id)
}

fn not_applicable(spec: &mut SpecResult, declared: &Declared, version: &semver::Version) {
    let Some(statement) = &declared.statement else { return };
    let id = spec.id.clone();
    for entry in statement.not_offered.iter().filter(|e| e.spec == id && e.versions.matches(version)) {
        let Some(r) = requirement(spec, &entry.requirement) else { continue };
        if r.not_applicable.is_some() {
            continue;
        }
        r.not_applicable = Some(NotOffered {
            reason: entry.reason.clone(),
            vendor: statement.vendor.clone(),
            product: statement.product.clone(),
            tested_verdict: r.verdict,
        });
        r.verdict = RequirementVerdict::NotApplicable;
    }
}

fn attested(spec: &mut SpecResult, declared: &Declared, version: &semver::Version) {
    let spec_id = spec.id.clone();
    for given in declared.attestations.iter().filter(|a| a.spec == spec_id && a.version == *version) {
        let id = format!("A{}", spec.attestations.len() + 1);
        for req in &given.record.requirements {
            let Some(r) = requirement(spec, req) else { continue };
            if r.verdict == RequirementVerdict::NotTested && !r.verification.is_automatic() {
                r.verdict = RequirementVerdict::Attested;
                r.attestation = Some(id.clone());
            }
        }
        spec.attestations.push(crate::model::Attestation { id, ..given.record.clone() });
    }
}

fn waived(spec: &mut SpecResult, declared: &Declared, version: &semver::Version, clock: Clock) {
    let id = spec.id.clone();
    for given in declared.waivers.iter().filter(|w| w.spec == id && w.versions.matches(version)) {
        let waiver = &given.waiver;
        // A range may take in versions without the requirement: nothing to say of those.
        let Some(r) = requirement(spec, &waiver.requirement) else { continue };
        let expired = day_end(&waiver.expires).is_none_or(|end| clock.now > end);
        let why = if expired {
            Some(WhyUnused::Expired { on: waiver.expires.clone() })
        } else if r.verdict == RequirementVerdict::Pass {
            Some(WhyUnused::Passed)
        } else if waiver.covers.contains(&r.verdict) && r.waiver.is_none() {
            r.waiver = Some(AppliedWaiver { waiver: waiver.clone(), covers_verdict: r.verdict });
            r.verdict = RequirementVerdict::Waived;
            None
        } else {
            Some(WhyUnused::NotCovered { verdict: r.verdict })
        };
        if let Some(why) = why {
            spec.unused_waivers.push(UnusedWaiver { waiver: waiver.clone(), why });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::declared::{waivers, Versions};
    use crate::model::{Level, Localized, SpecVerdict, Waiver};

    fn report(requirements: Vec<(&str, Level, RequirementVerdict)>) -> RunReport {
        let (mut report, _) = crate::spool::tests::sample_reports();
        report.valid_until = Some("2030-01-01T00:00:00.000Z".into());
        let title = Localized { sv: "K".into(), en: "R".into() };
        report.specifications[0].version = "1.0.0".into();
        report.specifications[0].requirements = requirements
            .into_iter()
            .map(|(id, level, verdict)| RequirementResult {
                id: id.into(),
                level,
                title: title.clone(),
                text: title.clone(),
                verdict,
                scenarios: vec![],
                blocked_by: vec![],
                departures: vec![],
                verification: Default::default(),
                waiver: None,
                attestation: None,
                not_applicable: None,
            })
            .collect();
        report
    }

    fn waiver(requirement: &str, expires: &str) -> waivers::Given {
        waivers::Given {
            spec: "a".into(),
            versions: Versions::parse("1.0.0").unwrap(),
            waiver: Waiver {
                requirement: requirement.into(),
                versions: "1.0.0".into(),
                reason: "known".into(),
                reference: "T-1".into(),
                approved_by: Some("A".into()),
                expires: expires.into(),
                covers: vec![RequirementVerdict::Fail],
            },
        }
    }

    fn at(day: &str) -> Clock {
        Clock::fixed(day).unwrap()
    }

    #[test]
    fn a_waiver_in_force_certifies_until_its_last_day_and_not_after() {
        let declared = Declared { waivers: vec![waiver("R-1", "2027-03-31")], ..Declared::default() };
        let mut r = report(vec![("R-1", Level::Must, RequirementVerdict::Fail)]);
        apply(&mut r, &declared, at("2027-03-31T23:00:00Z"));
        let req = &r.specifications[0].requirements[0];
        assert_eq!(req.verdict, RequirementVerdict::Waived);
        assert_eq!(req.waiver.as_ref().unwrap().covers_verdict, RequirementVerdict::Fail);
        assert_eq!(r.verdict, SpecVerdict::Certified);
        assert_eq!(r.counts.requirements_waived, 1);
        assert_eq!(r.valid_until.as_deref(), Some("2027-03-31T23:59:59.999Z"), "no longer than the waiver");
        assert_eq!(r.as_of.as_deref(), Some("2027-03-31T23:00:00.000Z"));

        let mut r = report(vec![("R-1", Level::Must, RequirementVerdict::Fail)]);
        apply(&mut r, &declared, at("2027-04-01"));
        assert_eq!(r.specifications[0].requirements[0].verdict, RequirementVerdict::Fail);
        assert_eq!(r.verdict, SpecVerdict::NotCertified);
        let unused = &r.specifications[0].unused_waivers;
        assert_eq!(unused[0].why, WhyUnused::Expired { on: "2027-03-31".into() });
    }

    #[test]
    fn a_waiver_covers_only_the_verdicts_it_names_and_never_not_tested() {
        let declared = Declared {
            waivers: vec![waiver("R-1", "2099-01-01"), waiver("R-2", "2099-01-01"), waiver("R-3", "2099-01-01")],
            ..Declared::default()
        };
        let mut r = report(vec![
            ("R-1", Level::Must, RequirementVerdict::Pass),
            ("R-2", Level::Must, RequirementVerdict::NotTested),
            ("R-3", Level::Must, RequirementVerdict::Blocked),
        ]);
        apply(&mut r, &declared, at("2027-01-01"));
        let verdicts: Vec<_> = r.specifications[0].requirements.iter().map(|r| r.verdict).collect();
        assert_eq!(verdicts, [RequirementVerdict::Pass, RequirementVerdict::NotTested, RequirementVerdict::Blocked]);
        let why: Vec<_> = r.specifications[0].unused_waivers.iter().map(|u| u.why.clone()).collect();
        assert_eq!(
            why,
            [
                WhyUnused::Passed,
                WhyUnused::NotCovered { verdict: RequirementVerdict::NotTested },
                WhyUnused::NotCovered { verdict: RequirementVerdict::Blocked }
            ]
        );
        assert_eq!(r.verdict, SpecVerdict::NotCertified);
        assert_eq!(r.valid_until.as_deref(), Some("2030-01-01T00:00:00.000Z"), "no waiver relied on");
        assert_eq!(r.as_of.as_deref(), Some("2027-01-01T00:00:00.000Z"));
    }
}
