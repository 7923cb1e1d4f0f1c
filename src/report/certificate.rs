//! What a certificate says, whatever its format: the one-sentence statement, the levels
//! that decide, and each requirement that kept the product from certification with the
//! plain reason its first failing step gave. HTML, Markdown and text lay these out.

use crate::judge::verdict;
use crate::messages::{Lang, Level, Note, Standing, Text, Unused};
use crate::model::{
    Attestation, RequirementResult, RequirementVerdict, RunReport, SpecVerdict, UnusedWaiver, Verdict, WhyUnused,
};

/// The levels whose failures decide (`SKALL`, or `SKALL och BÖR` with `--fail-on should`).
pub fn levels(report: &RunReport, lang: Lang) -> String {
    deciding_levels(report.fail_on, lang)
}

/// The levels whose failures decide with `--fail-on fail_on`.
pub fn deciding_levels(fail_on: Level, lang: Lang) -> String {
    match fail_on {
        Level::Must => Level::Must.label(lang).to_string(),
        other => format!("{} {} {}", Level::Must.label(lang), Text::And.get(lang), other.label(lang)),
    }
}

/// "Product X version Y from vendor Z meets the SKALL requirements of case-intake 1.1.0,
/// tested on DATE against URL."
pub fn statement(report: &RunReport, lang: Lang) -> String {
    let target = &report.target;
    let product = match (&target.product, &target.product_version) {
        (Some(p), Some(v)) => format!("{p} {v}"),
        (Some(p), None) => p.clone(),
        (None, _) => String::new(),
    };
    Note::Statement {
        standing: standing(report),
        product,
        vendor: target.vendor.clone().unwrap_or_default(),
        levels: levels(report, lang),
        specs: report.specifications.iter().map(|s| format!("{} {}", s.id, s.version)).collect::<Vec<_>>().join(", "),
        date: Note::Date { rfc3339: report.started.clone() }.get(lang),
        url: target.base_url.clone(),
    }
    .get(lang)
}

/// Certified; or interrupted with nothing that counts failed before the stop (what the
/// stop left unjudged is not held against the product); or not meeting the requirements.
fn standing(report: &RunReport) -> Standing {
    let failed = |r: &RequirementResult| {
        r.verdict == RequirementVerdict::Fail && verdict::counts_toward(r.level, report.fail_on)
    };
    if report.verdict == SpecVerdict::Certified {
        Standing::Meets
    } else if report.shard.as_ref().is_some_and(|s| s.count > 1)
        && !report.interrupted
        && verdict::selection_held(report)
    {
        Standing::Shard
    } else if report.interrupted && !report.specifications.iter().flat_map(|s| &s.requirements).any(failed) {
        Standing::Interrupted
    } else {
        Standing::DoesNotMeet
    }
}

/// What the certificate's scope means: for a shard, that it is one; then a line for each
/// certified version that was deprecated (or already retired) when the run started.
pub fn notes(report: &RunReport, lang: Lang) -> Vec<String> {
    let shard = report.shard.as_ref().map(|s| Note::Shard { index: s.index, count: s.count }.get(lang));
    let lifecycle = report
        .specifications
        .iter()
        .filter_map(|s| {
            let l = s.lifecycle.as_ref()?;
            let spec = format!("{} {}", s.id, s.version);
            let sunset = l.sunset.map(|d| d.to_string());
            match l.status.as_str() {
                "deprecated" => Some(Note::DeprecatedVersion { spec, sunset, replaced_by: l.replaced_by.clone() }),
                "retired" => Some(Note::RetiredVersion { spec, sunset: sunset.unwrap_or_default() }),
                _ => None,
            }
        })
        .map(|note| note.get(lang));
    shard.into_iter().chain(lifecycle).collect()
}

/// The catalogue as a whole, as a report's fact: its version, whether built in, its
/// fingerprint (`None` for a report older than format 2.2).
pub fn catalogue(report: &RunReport, lang: Lang) -> Option<String> {
    let c = report.catalogue.as_ref()?;
    let note = Note::CatalogueIdentity {
        version: c.version.clone(),
        fingerprint: c.fingerprint.clone(),
        embedded: c.embedded,
    };
    Some(note.get(lang))
}

/// The rule that decided, in words.
pub fn rule(report: &RunReport, lang: Lang) -> String {
    Note::Rule { levels: levels(report, lang) }.get(lang)
}

/// A requirement's verdict as a word.
pub fn verdict_word(v: RequirementVerdict, lang: Lang) -> &'static str {
    match v {
        RequirementVerdict::Pass => Text::PassLower.get(lang),
        RequirementVerdict::Fail => Text::Fail.get(lang),
        RequirementVerdict::NotTested => Text::NotTested.get(lang),
        RequirementVerdict::Error => Text::ErrorUpper.get(lang),
        RequirementVerdict::Blocked => Text::Blocked.get(lang),
        RequirementVerdict::Waived => Text::Waived.get(lang),
        RequirementVerdict::Attested => Text::Attested.get(lang),
        RequirementVerdict::NotApplicable => Text::NotApplicable.get(lang),
    }
}

/// A waiver in force on a requirement, in words.
pub fn waived(r: &RequirementResult, lang: Lang) -> Option<String> {
    let w = r.waiver.as_ref()?;
    Some(
        Note::Waived {
            requirement: r.id.clone(),
            level: r.level.label(lang).to_string(),
            covered: verdict_word(w.covers_verdict, lang).to_string(),
            reason: w.waiver.reason.clone(),
            reference: w.waiver.reference.clone(),
            approved_by: w.waiver.approved_by.clone(),
            until: w.waiver.expires.clone(),
        }
        .get(lang),
    )
}

/// A waiver that did not apply, and why, in words.
pub fn unused(u: &UnusedWaiver, lang: Lang) -> String {
    let words = |vs: &[RequirementVerdict]| vs.iter().map(|v| verdict_word(*v, lang)).collect::<Vec<_>>().join(", ");
    let why = match &u.why {
        WhyUnused::Expired { on } => Unused::Expired { on: on.clone() },
        WhyUnused::Passed => Unused::Passed,
        WhyUnused::NotCovered { verdict } => {
            Unused::NotCovered { verdict: words(&[*verdict]), covers: words(&u.waiver.covers) }
        }
    };
    Note::WaiverUnused { requirement: u.waiver.requirement.clone(), reference: u.waiver.reference.clone(), why }
        .get(lang)
}

/// A signed attestation, in words.
pub fn attested(a: &Attestation, lang: Lang) -> String {
    Note::Attested {
        id: a.id.clone(),
        requirements: a.requirements.join(", "),
        by: a.by.clone(),
        date: a.date.clone(),
        text: a.evidence.text.clone(),
        url: a.evidence.url.clone(),
        sha256: a.evidence.sha256.clone(),
        key: a.key_sha256.clone(),
    }
    .get(lang)
}

/// A requirement the vendor declares not offered, in words.
pub fn not_offered(r: &RequirementResult, lang: Lang) -> Option<String> {
    let n = r.not_applicable.as_ref()?;
    Some(
        Note::NotOffered {
            requirement: r.id.clone(),
            reason: n.reason.clone(),
            vendor: n.vendor.clone(),
            product: n.product.clone(),
        }
        .get(lang),
    )
}

/// The waived requirements that count toward certification (every waived `must`, and
/// `should` with `--fail-on should`): a certificate shows them on its first page, so it
/// never hides that a requirement it rests on was waived.
pub fn waived_first(report: &RunReport) -> Vec<&RequirementResult> {
    report
        .specifications
        .iter()
        .flat_map(|s| &s.requirements)
        .filter(|r| r.waiver.is_some() && (r.level == Level::Must || verdict::counts_toward(r.level, report.fail_on)))
        .collect()
}

/// The rule that decided and, when the report has any, how waived, attested and
/// not-applicable requirements count.
pub fn rules(report: &RunReport, lang: Lang) -> Vec<String> {
    let mut out = vec![rule(report, lang)];
    let declared = report.specifications.iter().flat_map(|s| &s.requirements).any(|r| {
        matches!(
            r.verdict,
            RequirementVerdict::Waived | RequirementVerdict::Attested | RequirementVerdict::NotApplicable
        )
    });
    if declared {
        out.push(Note::RuleDeclared.get(lang));
    }
    if let Some(when) = &report.as_of {
        out.push(Note::AsOf { when: when.clone() }.get(lang));
    }
    out
}

/// A requirement that failed or could not be judged, and why.
pub struct Failed {
    pub spec: String,
    pub version: String,
    pub requirement: String,
    pub level: Level,
    pub title: String,
    /// `step: what its first failed check said`, in the report's language.
    pub reason: String,
    /// The first covering scenario that did not pass.
    pub scenario: Option<String>,
}

/// Every requirement that counts and failed or could not be judged, in the order of the
/// catalogue.
/// Reads the failing scenarios' steps (one scenario at a time, from the spool).
pub fn failed(report: &RunReport, lang: Lang) -> std::io::Result<Vec<Failed>> {
    let mut out = Vec::new();
    for spec in &report.specifications {
        // Only the requirements that decide: a failed `may` (or `should`, without `--fail-on
        // should`) is in the matrix, but did not keep the product from certification.
        let judged = |r: &&crate::model::RequirementResult| {
            matches!(r.verdict, RequirementVerdict::Fail | RequirementVerdict::Error | RequirementVerdict::Blocked)
                && verdict::counts_toward(r.level, report.fail_on)
        };
        // Each such requirement's first scenario that did not pass for it, in one pass over
        // the scenarios (read back from the spool once, not once per requirement).
        let mut first: std::collections::HashMap<&str, std::borrow::Cow<'_, crate::model::ScenarioResult>> =
            std::collections::HashMap::new();
        let wanted: Vec<&str> = spec.requirements.iter().filter(judged).map(|r| r.id.as_str()).collect();
        if !wanted.is_empty() {
            for sc in spec.scenarios.iter() {
                let sc = sc?;
                let failed_for = |id: &str| {
                    let verdict = sc.verdicts.get(id).copied().unwrap_or(sc.verdict);
                    !matches!(verdict, Verdict::Pass | Verdict::Skipped) && sc.covers.iter().any(|c| c == id)
                };
                let new: Vec<&str> =
                    wanted.iter().copied().filter(|id| !first.contains_key(id) && failed_for(id)).collect();
                if let Some((last, rest)) = new.split_last() {
                    for id in rest {
                        first.insert(id, sc.clone());
                    }
                    first.insert(last, sc);
                }
                if first.len() == wanted.len() {
                    break;
                }
            }
        }
        for r in spec.requirements.iter().filter(judged) {
            let scenario = first.get(r.id.as_str());
            let mut reason = String::new();
            if let Some(sc) = &scenario {
                let steps = sc.steps.load()?;
                // The step that decided: the failed setup step of a blocked scenario, else the
                // first main step that did not pass for this requirement (a check made by
                // another requirement alone does not decide it).
                let ours = |c: &&crate::model::Check| !c.passed && c.requirement.as_ref().is_none_or(|q| *q == r.id);
                let decided = |st: &&crate::model::StepResult| match &sc.blocked_by {
                    Some(name) => st.setup && st.name == *name,
                    None => {
                        !st.setup
                            && !st.cleanup
                            && (st.verdict == Verdict::Error
                                || (st.verdict == Verdict::Fail && st.checks.iter().any(|c| ours(&c))))
                    }
                };
                if let Some(step) = steps.iter().find(decided) {
                    let said = step
                        .checks
                        .iter()
                        .find(ours)
                        .map(|c| c.said.line(lang))
                        .or_else(|| step.reason.as_ref().map(|m| m.line(lang)))
                        .unwrap_or_default();
                    reason = format!("{}: {said}", step.name);
                }
            } else if let Some(d) = r.departures.first().and_then(|id| spec.departures.iter().find(|d| d.id == *id)) {
                // Its own scenarios passed; a departure seen in another scenario's setup
                // step, on an operation it tests, failed it.
                reason = format!("{} {}: {}", d.id, d.operation, d.said.line(lang));
            }
            out.push(Failed {
                spec: spec.id.clone(),
                version: spec.version.clone(),
                requirement: r.id.clone(),
                level: r.level,
                title: r.title.get(lang).to_string(),
                reason,
                scenario: scenario.as_ref().map(|sc| sc.id.clone()),
            });
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn requirement(level: Level, verdict: RequirementVerdict) -> RequirementResult {
        let title = crate::messages::Localized { sv: "Krav".into(), en: "Requirement".into() };
        let id = "R-1".into();
        RequirementResult {
            id,
            level,
            title: title.clone(),
            text: title,
            verdict,
            scenarios: Vec::new(),
            blocked_by: Vec::new(),
            departures: Vec::new(),
            verification: Default::default(),
            waiver: None,
            attestation: None,
            not_applicable: None,
        }
    }

    fn standing_of(interrupted: bool, requirements: Vec<RequirementResult>) -> Standing {
        let (mut report, _) = crate::spool::tests::sample_reports();
        report.interrupted = interrupted;
        report.specifications[0].requirements = requirements;
        standing(&report)
    }

    #[test]
    fn a_stop_is_not_held_against_the_product_but_a_failure_before_it_is() {
        let not_tested = || vec![requirement(Level::Must, RequirementVerdict::NotTested)];
        assert_eq!(standing_of(true, not_tested()), Standing::Interrupted);
        assert_eq!(standing_of(false, not_tested()), Standing::DoesNotMeet);
        let failed = vec![requirement(Level::Must, RequirementVerdict::Fail)];
        assert_eq!(standing_of(true, failed), Standing::DoesNotMeet, "it failed before the stop");
        let should_failed = vec![requirement(Level::Should, RequirementVerdict::Fail)];
        assert_eq!(standing_of(true, should_failed), Standing::Interrupted, "a `should` does not count here");
    }

    #[test]
    fn a_shard_is_held_only_to_what_it_tested() {
        let shard_of = |count: usize, verdicts: &[RequirementVerdict]| {
            let (mut report, _) = crate::spool::tests::sample_reports();
            report.specifications[0].requirements = verdicts.iter().map(|v| requirement(Level::Must, *v)).collect();
            report.shard = Some(crate::model::ShardRecord {
                index: 1,
                count,
                plan: crate::model::PlanRecord {
                    fingerprint: String::new(),
                    specifications: Vec::new(),
                    tags: Vec::new(),
                    scenarios: Vec::new(),
                    requirements: Vec::new(),
                    repeat: 1,
                },
                target: String::new(),
                passive: Vec::new(),
            });
            (standing(&report), verdict::selection_held(&report))
        };
        use RequirementVerdict::{Error, Fail, NotTested, Pass};
        assert_eq!(shard_of(3, &[Pass, NotTested]), (Standing::Shard, true));
        assert_eq!(shard_of(3, &[Pass, Fail]), (Standing::DoesNotMeet, false));
        assert_eq!(shard_of(3, &[Error, NotTested]), (Standing::DoesNotMeet, false));
        // One shard of one is the whole plan.
        assert_eq!(shard_of(1, &[Pass, NotTested]).0, Standing::DoesNotMeet);
    }
}
