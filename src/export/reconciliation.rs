//! The reconciliation sheet of a run (`konform report R.json --format reconciliation-csv`)
//! or a lint (`konform lint DOC --format reconciliation-csv`): per requirement or rule its
//! level, title, status as RAP-LP writes it (OK / EJ OK / N/A), the verdict, and where the
//! evidence is.

use super::Table;
use crate::messages::{Lang, Text};
use crate::model::{RequirementResult, RequirementVerdict, RunReport};

/// A reconciliation status, in the words RAP-LP's sheets use (Swedish in every language).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    Ok,
    NotOk,
    NotApplicable,
}

impl Status {
    pub fn word(self) -> &'static str {
        match self {
            Status::Ok => "OK",
            Status::NotOk => "EJ OK",
            Status::NotApplicable => "N/A",
        }
    }
}

/// Every verdict's status (docs/procurement.md): met for certification is OK; not offered
/// by the vendor's statement is N/A; everything else, `not_tested` included (a requirement
/// nobody showed to hold is not fulfilled, and certification counts it so), is EJ OK.
pub fn status(verdict: RequirementVerdict) -> Status {
    match verdict {
        RequirementVerdict::Pass | RequirementVerdict::Waived | RequirementVerdict::Attested => Status::Ok,
        RequirementVerdict::NotApplicable => Status::NotApplicable,
        RequirementVerdict::Fail
        | RequirementVerdict::Error
        | RequirementVerdict::Blocked
        | RequirementVerdict::NotTested => Status::NotOk,
    }
}

/// The verdict as the JSON report names it (`pass`, `not_tested`...).
fn verdict_name(verdict: RequirementVerdict) -> String {
    serde_json::to_value(verdict).ok().and_then(|v| v.as_str().map(str::to_string)).unwrap_or_default()
}

/// The headings of a reconciliation sheet in `lang`; `item` names the first column
/// (a requirement, or a lint's rule).
pub fn header(item: Text, lang: Lang) -> Vec<String> {
    [Text::Specification, Text::Version, item, Text::Level, Text::Title, Text::Status, Text::Verdict, Text::Evidence]
        .into_iter()
        .map(|t| t.get(lang).to_string())
        .collect()
}

/// `label: a, b`, or nothing when there is nothing to list.
fn listed(label: Text, items: &[String], lang: Lang) -> Option<String> {
    (!items.is_empty()).then(|| format!("{}: {}", label.get(lang), items.join(", ")))
}

/// Where the evidence of a requirement's verdict is: the scenarios that cover it, the
/// setup steps that blocked it, the departures attributed to it, and the waiver,
/// attestation or conformance statement that decided it.
pub fn evidence(r: &RequirementResult, lang: Lang) -> String {
    let blocked: Vec<String> = r.blocked_by.iter().map(|p| format!("{}/{}", p.scenario, p.step)).collect();
    let mut parts = vec![
        listed(Text::EvidenceScenario, &r.scenarios, lang),
        listed(Text::EvidenceBlockedBy, &blocked, lang),
        listed(Text::EvidenceDeparture, &r.departures, lang),
    ];
    if let Some(w) = &r.waiver {
        parts.push(Some(format!("{}: {} ({})", Text::EvidenceWaiver.get(lang), w.waiver.reference, w.waiver.expires)));
    }
    if let Some(a) = &r.attestation {
        parts.push(Some(format!("{}: {a}", Text::EvidenceAttestation.get(lang))));
    }
    if let Some(n) = &r.not_applicable {
        parts.push(Some(format!("{}: {}", Text::EvidenceNotOffered.get(lang), n.reason)));
    }
    parts.into_iter().flatten().collect::<Vec<_>>().join("; ")
}

/// The sheet of a run's report: one row per requirement of each specification, in the
/// report's order.
pub fn of_report(report: &RunReport, lang: Lang) -> Table {
    let rows = report
        .specifications
        .iter()
        .flat_map(|spec| {
            spec.requirements.iter().map(move |r| {
                vec![
                    spec.id.clone(),
                    spec.version.clone(),
                    r.id.clone(),
                    r.level.label(lang).to_string(),
                    r.title.get(lang).to_string(),
                    status(r.verdict).word().to_string(),
                    verdict_name(r.verdict),
                    evidence(r, lang),
                ]
            })
        })
        .collect();
    let sheet = match report.specifications.as_slice() {
        [one] => super::sheet_name(&format!("{} {}", one.id, one.version)),
        _ => "konform".to_string(),
    };
    Table { sheet, header: header(Text::Requirement, lang), rows }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_verdict_has_its_status() {
        use RequirementVerdict::*;
        let words: Vec<&str> = [Pass, Waived, Attested, NotApplicable, Fail, Error, Blocked, NotTested]
            .into_iter()
            .map(|v| status(v).word())
            .collect();
        assert_eq!(words, ["OK", "OK", "OK", "N/A", "EJ OK", "EJ OK", "EJ OK", "EJ OK"]);
    }

    #[test]
    fn verdicts_are_named_as_in_the_json_report() {
        assert_eq!(verdict_name(RequirementVerdict::NotTested), "not_tested");
        assert_eq!(verdict_name(RequirementVerdict::NotApplicable), "not_applicable");
    }
}
