//! `konform catalogue export-requirements`: a specification's requirements for a tender's
//! annex, both languages side by side (a text the specification is not written in is an
//! empty cell).

use super::Table;
use crate::catalogue::Spec;
use crate::messages::{Lang, Text};
use crate::model::Verification;

/// `Svenska / English` of a text of konform's own.
fn both(t: Text) -> String {
    format!("{} / {}", t.get(Lang::Sv), t.get(Lang::En))
}

/// A heading in one language, marked with it: `Rubrik (sv)`.
fn one(t: Text, lang: Lang) -> String {
    format!("{} ({})", t.get(lang), if lang == Lang::Sv { "sv" } else { "en" })
}

/// How a requirement is verified, in both languages.
pub fn verification(v: Verification) -> String {
    let t = if v.is_automatic() { Text::AutomaticTest } else { Text::AttestationNoun };
    both(t)
}

/// The table: one row per requirement, in the catalogue's order.
pub fn table(spec: &Spec) -> Table {
    let header = vec![
        both(Text::Specification),
        both(Text::Version),
        both(Text::RequirementId),
        one(Text::Level, Lang::Sv),
        one(Text::Level, Lang::En),
        one(Text::Title, Lang::Sv),
        one(Text::Title, Lang::En),
        one(Text::RequirementText, Lang::Sv),
        one(Text::RequirementText, Lang::En),
        both(Text::Verification),
    ];
    let rows = spec
        .requirements
        .iter()
        .map(|r| {
            vec![
                spec.meta.id.clone(),
                spec.meta.version.to_string(),
                r.id.clone(),
                r.level.label(Lang::Sv).to_string(),
                r.level.label(Lang::En).to_string(),
                r.title.sv.clone(),
                r.title.en.clone(),
                r.text.sv.clone(),
                r.text.en.clone(),
                verification(r.verification),
            ]
        })
        .collect();
    Table { sheet: super::sheet_name(&format!("{} {}", spec.meta.id, spec.meta.version)), header, rows }
}
