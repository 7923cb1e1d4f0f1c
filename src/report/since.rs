//! What every format says of `run --since`: for a specification, the line saying from which
//! version and report, the vendor's to-do list (each requirement not met now, and why), and
//! the requirements the new version no longer has. The words come from the message
//! catalogue; each renderer lays them out (and escapes them) its own way.

use crate::messages::{Lang, Level, Note};
use crate::model::{RunReport, SinceSpec, SpecResult, Todo};

/// One requirement on the to-do list.
pub struct Item {
    pub id: String,
    pub level: Option<Level>,
    pub verdict: crate::model::RequirementVerdict,
    pub why: String,
}

/// The `since` record of a specification of the report, with the report's own result.
pub fn of<'r>(report: &'r RunReport, spec: &SpecResult) -> Option<&'r SinceSpec> {
    let since = report.since.as_ref()?;
    since.specifications.iter().find(|s| s.id == spec.id && s.to_version == spec.version)
}

/// "Since case-intake 1.0.0 (tested in old.json, …): 5 changes, …".
pub fn heading(report: &RunReport, spec: &SinceSpec, lang: Lang) -> String {
    let Some(since) = &report.since else { return String::new() };
    Note::SinceFrom {
        from: format!("{} {}", spec.id, spec.from_version),
        report: since.report.clone(),
        date: since.report_started.clone(),
        changes: spec.changes,
        must_change: spec.must_change,
        untested: spec.must_change_untested,
        catalogue_changed: spec.catalogue_changed,
    }
    .get(lang)
}

/// The requirements not met now, new first, then changed, regressed, still not met.
pub fn todo(report: &RunReport, result: &SpecResult, spec: &SinceSpec, lang: Lang) -> Vec<Item> {
    let file = report.since.as_ref().map(|s| s.report.clone()).unwrap_or_default();
    let verdict = |v| super::certificate::verdict_word(v, lang).to_string();
    let mut items: Vec<(Todo, Item)> = spec
        .requirements
        .iter()
        .filter_map(|r| {
            let todo = r.todo?;
            let was = r.old_verdict.map(verdict).unwrap_or_default();
            let version = spec.from_version.clone();
            let why = match todo {
                Todo::New => Note::SinceNew { version: spec.to_version.clone() },
                Todo::Changed => Note::SinceChanged { changes: r.changes.join(", ") },
                Todo::Regressed => Note::SinceRegressed { was, version },
                Todo::StillFailing => Note::SinceStillFailing { was, version },
                Todo::NoEarlierVerdict => Note::SinceNoEarlierVerdict { report: file.clone() },
            };
            let level = result.requirements.iter().find(|x| x.id == r.id).map(|x| x.level);
            Some((todo, Item { id: r.id.clone(), level, verdict: r.verdict, why: why.get(lang) }))
        })
        .collect();
    items.sort_by_key(|(todo, _)| *todo as u8);
    items.into_iter().map(|(_, item)| item).collect()
}

/// "No longer in 2.0.0: CASE-099", when the new version dropped requirements.
pub fn removed(spec: &SinceSpec, lang: Lang) -> Option<String> {
    (!spec.removed.is_empty())
        .then(|| Note::SinceRemoved { to: spec.to_version.clone(), ids: spec.removed.join(", ") }.get(lang))
}
