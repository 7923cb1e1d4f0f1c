//! What the renderers share about failures: which steps are listed as failures, how many are
//! listed before the rest are only counted, and which requirements (and levels) a step is
//! evidence for, so that a failure can say whether it decides certification.

use crate::judge::verdict::counts_toward;
use crate::messages::{Lang, Level, Text};
use crate::model::{ScenarioResult, SpecResult, StepResult, Verdict};

/// At most this many failures are listed in the terminal and in Markdown; the JSON, HTML and
/// JUnit reports hold every one.
pub const MAX_LISTED: usize = 100;

/// Whether a step is listed among the failures: it failed, could not complete, or (not a
/// cleanup step) was skipped. A setup step that only departed from the document is listed
/// with the departures; the steps a failed setup step kept from running, by that step.
pub fn listed(step: &StepResult) -> bool {
    let elsewhere = (step.setup && !crate::judge::verdict::blocks(step))
        || matches!(
            step.reason,
            Some(crate::messages::Msg::PreconditionFailed { .. } | crate::messages::Msg::SharedSetupFailed { .. })
        );
    (matches!(step.verdict, Verdict::Fail | Verdict::Error) || (step.verdict == Verdict::Skipped && !step.cleanup))
        && !elsewhere
}

/// Counts the failures listed so far and those past `MAX_LISTED`.
#[derive(Debug, Default)]
pub struct Cap {
    listed: usize,
    unlisted: usize,
}

impl Cap {
    /// Whether one more failure is listed; past the limit it is only counted.
    pub fn admit(&mut self) -> bool {
        if self.listed == MAX_LISTED {
            self.unlisted += 1;
            false
        } else {
            self.listed += 1;
            true
        }
    }

    /// No failure was listed yet (the heading comes before the first).
    pub fn none_yet(&self) -> bool {
        self.listed == 0
    }

    /// Failures counted past the limit.
    pub fn unlisted(&self) -> usize {
        self.unlisted
    }
}

/// The requirements a scenario's failures are evidence for, with their levels, in the order
/// the scenario names them (a requirement the specification does not list is left out):
/// those it did not pass for, when its verdict differs by requirement (a failed check made
/// by one requirement alone fails only that one); else every one it covers.
pub fn covered<'a>(spec: &'a SpecResult, scenario: &ScenarioResult) -> Vec<(&'a str, Level)> {
    let all: Vec<(&str, Level)> = scenario
        .covers
        .iter()
        .filter_map(|id| spec.requirements.iter().find(|r| r.id == *id))
        .map(|r| (r.id.as_str(), r.level))
        .collect();
    let verdict = |id: &str| scenario.verdicts.get(id).copied().unwrap_or(scenario.verdict);
    let failed: Vec<(&str, Level)> = all.iter().copied().filter(|(id, _)| verdict(id) != Verdict::Pass).collect();
    if failed.is_empty() {
        all
    } else {
        failed
    }
}

/// Whether a failure among these requirements can decide certification: one of them is at a
/// level the run fails on. A step that covers no known requirement is taken to decide, so a
/// failure is never hidden for want of a requirement.
pub fn decides(covered: &[(&str, Level)], fail_on: Level) -> bool {
    covered.is_empty() || covered.iter().any(|(_, level)| counts_toward(*level, fail_on))
}

/// The requirement ids, comma-separated: `CASE-013, FEL.02`.
pub fn ids(covered: &[(&str, Level)]) -> String {
    covered.iter().map(|(id, _)| *id).collect::<Vec<_>>().join(", ")
}

/// The distinct levels of some requirements, as a person reads them: "BÖR", or "SKALL och BÖR".
pub fn levels(covered: &[(&str, Level)], lang: Lang) -> String {
    let mut levels: Vec<Level> = covered.iter().map(|(_, l)| *l).collect();
    levels.sort();
    levels.dedup();
    levels.iter().map(|l| l.label(lang)).collect::<Vec<_>>().join(&format!(" {} ", Text::And.get(lang)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_failure_decides_when_one_requirement_is_at_a_counting_level() {
        let should = [("CASE-011", Level::Should)];
        assert!(!decides(&should, Level::Must));
        assert!(decides(&should, Level::Should));
        assert!(decides(&[("CASE-011", Level::Should), ("CASE-001", Level::Must)], Level::Must));
        assert!(!decides(&[("CASE-012", Level::May)], Level::Should));
        assert!(decides(&[], Level::Must), "no known requirement: shown as deciding");
        assert_eq!(ids(&[("A", Level::Must), ("B", Level::May)]), "A, B");
        let both = [("A", Level::Should), ("B", Level::Must), ("C", Level::Should)];
        assert_eq!(levels(&both, Lang::En), "MUST and SHOULD");
        assert_eq!(levels(&both, Lang::Sv), "SKALL och BÖR");
    }

    #[test]
    fn the_cap_lists_up_to_the_limit_then_counts() {
        let mut cap = Cap::default();
        assert!(cap.none_yet());
        let admitted = (0..MAX_LISTED + 3).filter(|_| cap.admit()).count();
        assert_eq!(admitted, MAX_LISTED);
        assert_eq!(cap.unlisted(), 3);
        assert!(!cap.none_yet());
    }
}
