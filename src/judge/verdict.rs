//! The verdict rules of PRODUCT.md, in one place:
//!
//! * a step fails if any check fails; a network error or timeout is `error`, never `pass`;
//! * a scenario fails if a main step failed, is `error` if one could not be completed, and
//!   passes only if every main step passed (cleanup steps are reported but do not decide);
//! * a requirement passes only if every scenario covering it passed; one that no selected
//!   scenario covers is `not_tested`, never `pass`;
//! * a specification is certified only if every requirement that counts (`must`, or
//!   `must` and `should` with `--fail-on should`) passed, and the run was neither partial
//!   (filtered) nor interrupted;
//! * a run is certified only if it was not interrupted and every specification in it is.

use crate::model::Level;
use crate::model::{
    Check, Counts, RequirementResult, RequirementVerdict, ScenarioResult, SpecVerdict, StepResult, Verdict,
};

pub fn step_verdict(checks: &[Check]) -> Verdict {
    if checks.iter().all(|c| c.passed) {
        Verdict::Pass
    } else {
        Verdict::Fail
    }
}

pub fn scenario_verdict(steps: &[StepResult]) -> Verdict {
    let main = || steps.iter().filter(|s| !s.cleanup);
    if main().any(|s| s.verdict == Verdict::Fail) {
        Verdict::Fail
    } else if main().any(|s| matches!(s.verdict, Verdict::Error | Verdict::Skipped)) {
        Verdict::Error
    } else {
        Verdict::Pass
    }
}

pub fn requirement_verdict(scenarios: &[&ScenarioResult]) -> RequirementVerdict {
    if scenarios.is_empty() {
        RequirementVerdict::NotTested
    } else if scenarios.iter().any(|s| s.verdict == Verdict::Fail) {
        RequirementVerdict::Fail
    } else if scenarios.iter().any(|s| s.verdict != Verdict::Pass) {
        RequirementVerdict::Error
    } else {
        RequirementVerdict::Pass
    }
}

/// Whether a requirement of this level decides certification.
pub fn counts_toward(level: Level, fail_on: Level) -> bool {
    level <= fail_on
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
    let all_counting_pass =
        requirements.iter().filter(|r| counts_toward(r.level, fail_on)).all(|r| r.verdict == RequirementVerdict::Pass);
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

pub fn count(requirements: &[RequirementResult], scenarios: &[ScenarioResult]) -> Counts {
    let mut c = Counts { requirements: requirements.len(), scenarios: scenarios.len(), ..Counts::default() };
    for r in requirements {
        match r.verdict {
            RequirementVerdict::Pass => c.requirements_passed += 1,
            RequirementVerdict::Fail => c.requirements_failed += 1,
            RequirementVerdict::NotTested => c.requirements_not_tested += 1,
            RequirementVerdict::Error => c.requirements_error += 1,
        }
    }
    for s in scenarios {
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
    c
}

pub fn add_counts(total: &mut Counts, c: &Counts) {
    total.requirements += c.requirements;
    total.requirements_passed += c.requirements_passed;
    total.requirements_failed += c.requirements_failed;
    total.requirements_not_tested += c.requirements_not_tested;
    total.requirements_error += c.requirements_error;
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
            location: crate::model::Place::default(),
            checks: vec![],
            exchange: None,
        }
    }

    fn scenario(verdict: Verdict) -> ScenarioResult {
        ScenarioResult {
            id: String::new(),
            title: loc(),
            covers: vec![],
            verdict,
            duration_ms: 0.0,
            steps: Default::default(),
        }
    }

    fn req(level: Level, verdict: RequirementVerdict) -> RequirementResult {
        RequirementResult { id: String::new(), level, title: loc(), text: loc(), verdict, scenarios: vec![] }
    }

    #[test]
    fn cleanup_does_not_decide_a_scenario() {
        assert_eq!(scenario_verdict(&[step(Verdict::Pass, false), step(Verdict::Fail, true)]), Verdict::Pass);
        assert_eq!(scenario_verdict(&[step(Verdict::Error, false), step(Verdict::Fail, false)]), Verdict::Fail);
        assert_eq!(scenario_verdict(&[step(Verdict::Pass, false), step(Verdict::Skipped, false)]), Verdict::Error);
    }

    #[test]
    fn requirements_pass_only_when_every_covering_scenario_passed() {
        assert_eq!(requirement_verdict(&[]), RequirementVerdict::NotTested);
        let (p, f, e) = (scenario(Verdict::Pass), scenario(Verdict::Fail), scenario(Verdict::Error));
        assert_eq!(requirement_verdict(&[&p, &p]), RequirementVerdict::Pass);
        assert_eq!(requirement_verdict(&[&p, &f]), RequirementVerdict::Fail);
        assert_eq!(requirement_verdict(&[&p, &e]), RequirementVerdict::Error);
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
        let untested = [req(Level::Must, RequirementVerdict::NotTested)];
        assert_eq!(spec_verdict(&untested, Level::Must, whole), SpecVerdict::NotCertified);
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
