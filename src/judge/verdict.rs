//! The verdict rules of PRODUCT.md, in one place:
//!
//! * a step fails if any check fails; a network error or timeout is `error`, never `pass`;
//! * a scenario fails if a main step failed, is `blocked` if a setup step failed (its point
//!   was never reached), is `error` if a main step could not be completed, and passes only
//!   if every main step passed (cleanup steps are reported but do not decide);
//! * a requirement passes only if every scenario covering it passed and no departure from
//!   the OpenAPI document is attributed to it; one that no selected scenario covers is
//!   `not_tested`, never `pass`; `blocked` and `error` are never a pass either;
//! * a specification is certified only if every requirement that counts (`must`, or
//!   `must` and `should` with `--fail-on should`) is met (passed, or waived, attested or
//!   not applicable: see `declared`), and the run was neither partial (filtered) nor
//!   interrupted;
//! * a run is certified only if it was not interrupted and every specification in it is.

use crate::messages::Msg;
use crate::model::Level;
use crate::model::{
    Check, CheckKind, Counts, RequirementResult, RequirementVerdict, RunReport, ScenarioResult, SpecVerdict,
    StepResult, Verdict,
};

pub fn step_verdict(checks: &[Check]) -> Verdict {
    if checks.iter().all(|c| c.passed) {
        Verdict::Pass
    } else {
        Verdict::Fail
    }
}

/// Whether a setup step's result leaves its scenario without what it needed: it could not
/// be completed, was not run, or failed an expectation or capture the suite wrote. A
/// departure from the OpenAPI document alone does not block (the response was usable); it
/// is attributed to the requirements that test that operation (see `aggregate`).
pub fn blocks(step: &StepResult) -> bool {
    match step.verdict {
        Verdict::Pass => false,
        Verdict::Fail => step.checks.iter().any(|c| !c.passed && c.kind != CheckKind::Openapi),
        Verdict::Error | Verdict::Skipped | Verdict::Blocked => true,
    }
}

/// A scenario fails if a main step failed; is `blocked` if a setup step blocked it; is
/// `error` if a main step could not be completed; is `skipped` (it tested nothing) when no
/// step was run because the run stopped first; and passes only if every main step passed.
/// A scenario kept from running by a failed shared setup scenario is `blocked` too.
/// Setup steps decide only by blocking; cleanup steps never decide.
pub fn scenario_verdict(steps: &[StepResult]) -> Verdict {
    scenario_verdict_by(steps, |s| s.verdict)
}

/// The scenario's verdict for one requirement it covers: as [`scenario_verdict`], but a step
/// that failed only checks made by other requirements alone (`expect.per_requirement`)
/// counts as passed.
pub fn verdict_for(steps: &[StepResult], requirement: &str) -> Verdict {
    scenario_verdict_by(steps, |s| {
        let others_only = |c: &Check| c.requirement.as_deref().is_some_and(|r| r != requirement);
        let failed = || s.checks.iter().filter(|c| !c.passed);
        if s.verdict == Verdict::Fail && failed().next().is_some() && failed().all(others_only) {
            Verdict::Pass
        } else {
            s.verdict
        }
    })
}

/// The covered requirements whose verdict differs from the scenario's `overall` one (see
/// [`verdict_for`]); empty unless some check is made by one requirement alone.
pub fn requirement_verdicts(
    steps: &[StepResult],
    covers: &[String],
    overall: Verdict,
) -> std::collections::BTreeMap<String, Verdict> {
    let restricted = steps.iter().flat_map(|s| &s.checks).any(|c| c.requirement.is_some());
    if !restricted {
        return Default::default();
    }
    covers.iter().map(|r| (r.clone(), verdict_for(steps, r))).filter(|(_, v)| *v != overall).collect()
}

fn scenario_verdict_by(steps: &[StepResult], verdict: impl Fn(&StepResult) -> Verdict) -> Verdict {
    let main = || steps.iter().filter(|s| !s.cleanup && !s.setup);
    let stopped = |s: &StepResult| {
        s.verdict == Verdict::Skipped && matches!(s.reason, Some(Msg::NotRunInterrupted | Msg::NotRunDeadline))
    };
    if main().any(|s| verdict(s) == Verdict::Fail) {
        Verdict::Fail
    } else if steps.iter().filter(|s| !s.cleanup).all(stopped) && steps.iter().any(|s| !s.cleanup) {
        Verdict::Skipped
    } else if steps.iter().any(|s| (s.setup && blocks(s)) || matches!(s.reason, Some(Msg::SharedSetupFailed { .. }))) {
        Verdict::Blocked
    } else if main().any(|s| matches!(verdict(s), Verdict::Error | Verdict::Skipped | Verdict::Blocked)) {
        Verdict::Error
    } else {
        Verdict::Pass
    }
}

/// A requirement fails if a covering scenario failed or a departure is attributed to it;
/// is `blocked` if a covering scenario was blocked; `error` if one could not be completed;
/// `not_tested` if none tested anything (none selected, or the run stopped before them);
/// and passes only if every covering scenario passed.
pub fn requirement_verdict(scenarios: &[Verdict], departures: usize) -> RequirementVerdict {
    let ran: Vec<Verdict> = scenarios.iter().copied().filter(|v| *v != Verdict::Skipped).collect();
    if departures > 0 || ran.contains(&Verdict::Fail) {
        RequirementVerdict::Fail
    } else if ran.is_empty() {
        RequirementVerdict::NotTested
    } else if ran.contains(&Verdict::Blocked) {
        RequirementVerdict::Blocked
    } else if ran.iter().any(|v| *v != Verdict::Pass) || ran.len() < scenarios.len() {
        RequirementVerdict::Error
    } else {
        RequirementVerdict::Pass
    }
}

/// Whether a requirement of this level decides certification.
pub fn counts_toward(level: Level, fail_on: Level) -> bool {
    level <= fail_on
}

/// Whether a requirement's verdict meets it for certification: it passed, a waiver in force
/// accepts its failure, people attested it, or it is an optional feature not offered.
pub fn met(verdict: RequirementVerdict) -> bool {
    matches!(
        verdict,
        RequirementVerdict::Pass
            | RequirementVerdict::Waived
            | RequirementVerdict::Attested
            | RequirementVerdict::NotApplicable
    )
}

/// Whether a selection of the plan (a filtered run, a shard) held: no requirement that
/// counts failed, could not be judged or was blocked. What the selection did not test is
/// not held against it; waived, attested and not-applicable requirements are met as for
/// certification.
pub fn selection_held(report: &RunReport) -> bool {
    report.specifications.iter().flat_map(|s| &s.requirements).all(|r| {
        !counts_toward(r.level, report.fail_on) || met(r.verdict) || r.verdict == RequirementVerdict::NotTested
    })
}

/// How much of the plan ran: a filtered plan is partial, a stopped run is interrupted.
/// Either way the evidence is incomplete, so nothing is certified.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Completeness {
    pub partial: bool,
    pub interrupted: bool,
}

impl Completeness {
    fn whole(self) -> bool {
        !self.partial && !self.interrupted
    }
}

pub fn spec_verdict(requirements: &[RequirementResult], fail_on: Level, run: Completeness) -> SpecVerdict {
    let all_counting_pass = requirements.iter().filter(|r| counts_toward(r.level, fail_on)).all(|r| met(r.verdict));
    if all_counting_pass && run.whole() {
        SpecVerdict::Certified
    } else {
        SpecVerdict::NotCertified
    }
}

/// The run's verdict: certified only when it ran to its end and every specification in it
/// is certified.
pub fn run_verdict(specs: &[SpecVerdict], interrupted: bool) -> SpecVerdict {
    if !interrupted && specs.iter().all(|v| *v == SpecVerdict::Certified) {
        SpecVerdict::Certified
    } else {
        SpecVerdict::NotCertified
    }
}

/// Counts the requirements by verdict (replacing what was counted of them before).
pub fn count_requirements(c: &mut Counts, requirements: &[RequirementResult]) {
    c.requirements = requirements.len();
    c.requirements_passed = 0;
    c.requirements_failed = 0;
    c.requirements_not_tested = 0;
    c.requirements_error = 0;
    c.requirements_blocked = 0;
    c.requirements_waived = 0;
    c.requirements_attested = 0;
    c.requirements_not_applicable = 0;
    for r in requirements {
        match r.verdict {
            RequirementVerdict::Pass => c.requirements_passed += 1,
            RequirementVerdict::Fail => c.requirements_failed += 1,
            RequirementVerdict::NotTested => c.requirements_not_tested += 1,
            RequirementVerdict::Error => c.requirements_error += 1,
            RequirementVerdict::Blocked => c.requirements_blocked += 1,
            RequirementVerdict::Waived => c.requirements_waived += 1,
            RequirementVerdict::Attested => c.requirements_attested += 1,
            RequirementVerdict::NotApplicable => c.requirements_not_applicable += 1,
        }
    }
}

/// Adds one scenario and its steps to the counts.
pub fn count_scenario(c: &mut Counts, s: &ScenarioResult) {
    c.scenarios += 1;
    if s.verdict == Verdict::Pass {
        c.scenarios_passed += 1;
    }
    let t = s.steps.tally();
    c.steps += t.steps;
    c.steps_passed += t.passed;
    c.steps_failed += t.failed;
    c.steps_error += t.error;
    c.steps_skipped += t.skipped;
}

pub fn add_counts(total: &mut Counts, c: &Counts) {
    total.requirements += c.requirements;
    total.requirements_passed += c.requirements_passed;
    total.requirements_failed += c.requirements_failed;
    total.requirements_not_tested += c.requirements_not_tested;
    total.requirements_error += c.requirements_error;
    total.requirements_blocked += c.requirements_blocked;
    total.requirements_waived += c.requirements_waived;
    total.requirements_attested += c.requirements_attested;
    total.requirements_not_applicable += c.requirements_not_applicable;
    total.scenarios += c.scenarios;
    total.scenarios_passed += c.scenarios_passed;
    total.steps += c.steps;
    total.steps_passed += c.steps_passed;
    total.steps_failed += c.steps_failed;
    total.steps_error += c.steps_error;
    total.steps_skipped += c.steps_skipped;
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Localized;

    fn loc() -> Localized {
        Localized { sv: String::new(), en: String::new() }
    }

    fn step(verdict: Verdict, cleanup: bool) -> StepResult {
        StepResult {
            name: String::new(),
            operation: String::new(),
            verdict,
            reason: None,
            cleanup,
            setup: false,
            location: crate::model::Place::default(),
            checks: vec![],
            exchange: None,
        }
    }

    fn req(level: Level, verdict: RequirementVerdict) -> RequirementResult {
        RequirementResult {
            id: String::new(),
            level,
            title: loc(),
            text: loc(),
            verdict,
            scenarios: vec![],
            blocked_by: vec![],
            departures: vec![],
            verification: Default::default(),
            waiver: None,
            attestation: None,
            not_applicable: None,
        }
    }

    #[test]
    fn cleanup_does_not_decide_a_scenario() {
        assert_eq!(scenario_verdict(&[step(Verdict::Pass, false), step(Verdict::Fail, true)]), Verdict::Pass);
        assert_eq!(scenario_verdict(&[step(Verdict::Error, false), step(Verdict::Fail, false)]), Verdict::Fail);
        assert_eq!(scenario_verdict(&[step(Verdict::Pass, false), step(Verdict::Skipped, false)]), Verdict::Error);
    }

    fn setup(verdict: Verdict, failed: Option<CheckKind>) -> StepResult {
        let checks = failed
            .map(|kind| Check {
                name: "c".into(),
                kind,
                passed: false,
                said: Msg::BodyValid,
                location: None,
                pointer: None,
                requirement: None,
            })
            .into_iter()
            .collect();
        StepResult { setup: true, checks, ..step(verdict, false) }
    }

    #[test]
    fn a_failed_setup_step_blocks_and_a_departure_alone_does_not() {
        let point = || step(Verdict::Skipped, false);
        assert_eq!(scenario_verdict(&[setup(Verdict::Error, None), point()]), Verdict::Blocked);
        assert_eq!(scenario_verdict(&[setup(Verdict::Fail, Some(CheckKind::Expect)), point()]), Verdict::Blocked);
        assert_eq!(scenario_verdict(&[setup(Verdict::Fail, Some(CheckKind::Capture)), point()]), Verdict::Blocked);
        // The response was usable: the scenario is decided by its point.
        let departed = setup(Verdict::Fail, Some(CheckKind::Openapi));
        assert_eq!(scenario_verdict(&[departed.clone(), step(Verdict::Pass, false)]), Verdict::Pass);
        assert_eq!(scenario_verdict(&[departed, step(Verdict::Fail, false)]), Verdict::Fail);
        // A main step that failed before a setup step blocked still fails the scenario.
        let failed_first = [step(Verdict::Fail, false), setup(Verdict::Error, None), point()];
        assert_eq!(scenario_verdict(&failed_first), Verdict::Fail);
    }

    #[test]
    fn a_check_made_by_one_requirement_fails_only_that_requirement() {
        let failed = |requirement: Option<&str>| Check {
            name: "body $.text".into(),
            kind: CheckKind::Expect,
            passed: false,
            said: Msg::BodyValid,
            location: None,
            pointer: None,
            requirement: requirement.map(str::to_string),
        };
        let with = |checks: Vec<Check>| StepResult { checks, ..step(Verdict::Fail, false) };
        let covers = ["MUST-1".to_string(), "SHOULD-2".to_string()];
        // Failed only by SHOULD-2's own expectation: MUST-1 passes.
        let steps = [with(vec![failed(Some("SHOULD-2"))]), step(Verdict::Pass, false)];
        assert_eq!(scenario_verdict(&steps), Verdict::Fail);
        assert_eq!(verdict_for(&steps, "SHOULD-2"), Verdict::Fail);
        assert_eq!(verdict_for(&steps, "MUST-1"), Verdict::Pass);
        let by = requirement_verdicts(&steps, &covers, Verdict::Fail);
        assert_eq!(by.into_iter().collect::<Vec<_>>(), [("MUST-1".to_string(), Verdict::Pass)]);
        // A failed check every requirement makes fails them all.
        let steps = [with(vec![failed(Some("SHOULD-2")), failed(None)])];
        assert_eq!(verdict_for(&steps, "MUST-1"), Verdict::Fail);
        assert!(requirement_verdicts(&steps, &covers, Verdict::Fail).is_empty());
        // A step that could not be completed is an error for every requirement.
        assert_eq!(verdict_for(&[step(Verdict::Error, false)], "MUST-1"), Verdict::Error);
    }

    #[test]
    fn a_scenario_the_run_stopped_before_tested_nothing() {
        let stopped = || StepResult { reason: Some(Msg::NotRunInterrupted), ..step(Verdict::Skipped, false) };
        assert_eq!(scenario_verdict(&[stopped(), stopped(), step(Verdict::Pass, true)]), Verdict::Skipped);
        assert_eq!(scenario_verdict(&[step(Verdict::Pass, false), stopped()]), Verdict::Error);
    }

    #[test]
    fn requirements_pass_only_when_every_covering_scenario_passed() {
        assert_eq!(requirement_verdict(&[], 0), RequirementVerdict::NotTested);
        let (p, f, e) = (Verdict::Pass, Verdict::Fail, Verdict::Error);
        let (b, s) = (Verdict::Blocked, Verdict::Skipped);
        assert_eq!(requirement_verdict(&[p, p], 0), RequirementVerdict::Pass);
        assert_eq!(requirement_verdict(&[p, f], 0), RequirementVerdict::Fail);
        assert_eq!(requirement_verdict(&[p, e], 0), RequirementVerdict::Error);
        assert_eq!(requirement_verdict(&[p, b], 0), RequirementVerdict::Blocked);
        assert_eq!(requirement_verdict(&[b, f], 0), RequirementVerdict::Fail);
        // A departure attributed from elsewhere fails it even when its scenarios passed.
        assert_eq!(requirement_verdict(&[p], 1), RequirementVerdict::Fail);
        // Scenarios the run stopped before test nothing; some run, some not: not a pass.
        assert_eq!(requirement_verdict(&[s], 0), RequirementVerdict::NotTested);
        assert_eq!(requirement_verdict(&[p, s], 0), RequirementVerdict::Error);
    }

    #[test]
    fn certification_counts_the_levels_asked_for_and_never_a_partial_run() {
        let reqs = [
            req(Level::Must, RequirementVerdict::Pass),
            req(Level::Should, RequirementVerdict::Fail),
            req(Level::May, RequirementVerdict::NotTested),
        ];
        let whole = Completeness::default();
        let partial = Completeness { partial: true, interrupted: false };
        let interrupted = Completeness { partial: false, interrupted: true };
        assert_eq!(spec_verdict(&reqs, Level::Must, whole), SpecVerdict::Certified);
        assert_eq!(spec_verdict(&reqs, Level::Should, whole), SpecVerdict::NotCertified);
        assert_eq!(spec_verdict(&reqs, Level::Must, partial), SpecVerdict::NotCertified);
        assert_eq!(spec_verdict(&reqs, Level::Must, interrupted), SpecVerdict::NotCertified);
        for met in [RequirementVerdict::Waived, RequirementVerdict::Attested, RequirementVerdict::NotApplicable] {
            assert_eq!(spec_verdict(&[req(Level::Must, met)], Level::Must, whole), SpecVerdict::Certified);
        }
        let blocked = [req(Level::Must, RequirementVerdict::Blocked)];
        assert_eq!(spec_verdict(&blocked, Level::Must, whole), SpecVerdict::NotCertified);
        let untested = [req(Level::Must, RequirementVerdict::NotTested)];
        assert_eq!(spec_verdict(&untested, Level::Must, whole), SpecVerdict::NotCertified);
    }

    #[test]
    fn a_selection_holds_unless_a_requirement_that_counts_is_wanting() {
        use RequirementVerdict::*;
        let held = |level: Level, verdict: RequirementVerdict| {
            let (mut report, _) = crate::spool::tests::sample_reports();
            report.fail_on = Level::Must;
            report.specifications[0].requirements = vec![req(Level::Must, Pass), req(level, verdict)];
            selection_held(&report)
        };
        for verdict in [Pass, NotTested, Waived, Attested, NotApplicable] {
            assert!(held(Level::Must, verdict), "{verdict:?}");
        }
        for verdict in [Fail, Error, Blocked] {
            assert!(!held(Level::Must, verdict), "{verdict:?}");
            assert!(held(Level::Should, verdict), "a should {verdict:?} does not count");
        }
    }

    #[test]
    fn an_interrupted_run_is_never_certified() {
        use SpecVerdict::{Certified, NotCertified};
        assert_eq!(run_verdict(&[Certified, Certified], false), Certified);
        assert_eq!(run_verdict(&[Certified, Certified], true), NotCertified);
        assert_eq!(run_verdict(&[Certified, NotCertified], false), NotCertified);
        assert_eq!(run_verdict(&[], true), NotCertified);
    }
}
