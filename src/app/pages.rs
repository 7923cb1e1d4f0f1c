//! Readable pages of the catalogue: one per specification version, with every requirement
//! in Swedish and English, its level and the scenarios covering it.

use crate::catalogue::infomodel::InfoModel;
use crate::catalogue::{Catalogue, Spec, Status};
use crate::diff::Diff;
use crate::messages::{ModelText, ProcessText, Text};
use crate::model::{Lang, Level};
use crate::report::html::esc;

/// A status in a language.
pub fn status_label(status: Status, lang: Lang) -> &'static str {
    match status {
        Status::Draft => Text::StatusDraft,
        Status::Active => Text::StatusActive,
        Status::Deprecated => Text::StatusDeprecated,
        Status::Retired => Text::StatusRetired,
    }
    .get(lang)
}

/// A status in both languages: `aktiv / active`.
pub fn status_both(status: Status) -> String {
    format!("{} / {}", status_label(status, Lang::Sv), status_label(status, Lang::En))
}

/// The lifecycle dates in a language: `published 2025-06-01; sunset 2027-06-01; replaced by 1.1.0`.
pub fn lifecycle_line(spec: &Spec, lang: Lang) -> String {
    let l = &spec.meta.lifecycle;
    let mut parts = Vec::new();
    for (label, date) in
        [(Text::PublishedOn, l.published), (Text::DeprecatedOn, l.deprecated), (Text::SunsetOn, l.sunset)]
    {
        if let Some(d) = date {
            parts.push(format!("{} {d}", label.get(lang)));
        }
    }
    if let Some(v) = &l.replaced_by {
        parts.push(format!("{} {v}", Text::ReplacedBy.get(lang)));
    }
    parts.join("; ")
}

fn cell(text: &str) -> String {
    text.replace('|', "\\|").replace('\n', " ")
}

fn level_both(level: Level) -> String {
    format!("{} / {}", level.label(Lang::Sv), level.label(Lang::En))
}

pub fn list_markdown(catalogue: &Catalogue, lang: Lang) -> String {
    let mut out = format!("# {}\n\n", Text::SpecificationCatalogue.get(lang));
    out.push_str(&format!(
        "| Id | {} | {} | {} | {} | SKALL/MUST | BÖR/SHOULD | KAN/MAY | {} |\n| --- | --- | --- | --- | --- | --- | --- | --- | --- |\n",
        Text::Version.get(lang),
        Text::Status.get(lang),
        Text::LifecycleHeading.get(lang),
        Text::Title.get(lang),
        Text::Coverage.get(lang)
    ));
    for spec in &catalogue.specs {
        let count = |l: Level| spec.requirements.iter().filter(|r| r.level == l).count();
        let covered = spec.covered_count();
        out.push_str(&format!(
            "| [{id}]({id}-{v}.md) | {v} | {} | {} | {} | {} | {} | {} | {covered}/{} |\n",
            status_both(spec.meta.status),
            cell(&lifecycle_line(spec, lang)),
            cell(spec.meta.title.get(lang)),
            count(Level::Must),
            count(Level::Should),
            count(Level::May),
            spec.requirements.len(),
            id = spec.meta.id,
            v = spec.meta.version,
        ));
    }
    if !catalogue.models.is_empty() {
        out.push_str(&format!(
            "\n## {}\n\n| Id | {} | {} | {} | {} | {} |\n| --- | --- | --- | --- | --- | --- |\n",
            ModelText::Models.get(lang),
            Text::Version.get(lang),
            Text::Status.get(lang),
            Text::Title.get(lang),
            ModelText::ConceptsColumn.get(lang),
            ModelText::UsedByColumn.get(lang),
        ));
        for model in &catalogue.models {
            let users: Vec<String> =
                crate::catalogue::infomodel::users(catalogue, model).iter().map(|s| s.key()).collect();
            let concepts: Vec<&str> = model.concepts.iter().map(|c| c.name.as_str()).collect();
            out.push_str(&format!(
                "| [{id}]({id}-{v}.md) | {v} | {} | {} | {} | {} |\n",
                status_both(model.meta.status),
                cell(model.meta.title.get(lang)),
                concepts.join(", "),
                cell(&users.join(", ")),
                id = model.meta.id,
                v = model.meta.version,
            ));
        }
    }
    if !catalogue.processes.is_empty() {
        out.push_str(&format!(
            "\n## {}\n\n| Id | {} | {} | {} | {} |\n| --- | --- | --- | --- | --- |\n",
            ProcessText::Processes.get(lang),
            Text::Version.get(lang),
            Text::Status.get(lang),
            Text::Title.get(lang),
            ProcessText::ImplementedByColumn.get(lang),
        ));
        for p in &catalogue.processes {
            let users: Vec<String> =
                crate::catalogue::process::implementers(catalogue, p).iter().map(|s| s.key()).collect();
            out.push_str(&format!(
                "| [{id}]({id}-{v}.md) | {v} | {} | {} | {} |\n",
                status_both(p.meta.status),
                cell(p.meta.title.get(lang)),
                cell(&users.join(", ")),
                id = p.meta.id,
                v = p.meta.version,
            ));
        }
    }
    for (_, p) in &catalogue.profiles {
        out.push_str(&format!(
            "\n{} **{}** {} — {} / {}: {} {} ([api-profile.md](../api-profile.md)).\n",
            Text::Profile.get(lang),
            p.id,
            p.version,
            p.title.sv,
            p.title.en,
            p.rules.len(),
            Text::RulesCheckedLive.get(lang)
        ));
    }
    out
}

/// A specification version's page in Markdown, with its `changelog` (the diff from the
/// version before) when it has one.
pub fn show_markdown(spec: &Spec, changelog: Option<&Diff>, lang: Lang) -> String {
    let m = &spec.meta;
    let mut out = format!("# {} {} — {} / {}\n\n", m.id, m.version, m.title.sv, m.title.en);
    out.push_str(&format!("- **Status:** {}\n", status_both(m.status)));
    if !m.lifecycle.is_empty() {
        out.push_str(&format!(
            "- **{} / {}:** {} / {}\n",
            Text::LifecycleHeading.get(Lang::Sv),
            Text::LifecycleHeading.get(Lang::En),
            lifecycle_line(spec, Lang::Sv),
            lifecycle_line(spec, Lang::En)
        ));
    }
    out.push_str(&format!("- **{}:** {}\n", Text::Domain.get(lang), m.domain));
    if let Some(api) = &spec.api {
        out.push_str(&format!(
            "- **OpenAPI:** {} ({} {})\n",
            api.declared_version,
            api.operations.len(),
            Text::Operations.get(lang)
        ));
    }
    if let Some(usage) = &m.process {
        // The process it implements: its requirements `<process>/...` are derived from it.
        let id = usage.implements.split('@').next().unwrap_or_default();
        out.push_str(&format!(
            "- **{}:** [{}]({}-{}.md)\n",
            ProcessText::Kind.get(lang),
            usage.implements,
            id,
            spec.process_file
                .as_ref()
                .and_then(|f| f.path.parent().and_then(|p| p.file_name()).map(|v| v.to_string_lossy().into_owned()))
                .unwrap_or_default()
        ));
    }
    let covered = spec.covered_count();
    out.push_str(&format!(
        "- **{}:** {covered}/{} {}\n\n",
        Text::Coverage.get(lang),
        spec.requirements.len(),
        Text::RequirementsCovered.get(lang)
    ));
    if let Some(d) = &m.description {
        out.push_str(&format!("{}\n\n{}\n\n", d.sv, d.en));
    }
    out.push_str(&format!(
        "| Id | {} | Krav (svenska) | Requirement (English) | {} |\n| --- | --- | --- | --- | --- |\n",
        Text::Level.get(lang),
        Text::CoveredBy.get(lang)
    ));
    for r in &spec.requirements {
        let by = spec.covering(&r.id);
        let by = if !r.verification.is_automatic() {
            Text::ByAttestation.get(lang).to_string()
        } else if by.is_empty() {
            Text::NotCovered.get(lang).to_string()
        } else {
            by.iter().map(|s| format!("`{s}`")).collect::<Vec<_>>().join(", ")
        };
        out.push_str(&format!(
            "| {} | {} | **{}** {} | **{}** {} | {by} |\n",
            r.id,
            level_both(r.level),
            cell(&r.title.sv),
            cell(&r.text.sv),
            cell(&r.title.en),
            cell(&r.text.en)
        ));
    }
    if let Some(diff) = changelog {
        let mut md = Vec::new();
        // Writing into memory cannot fail.
        let _ = crate::diff::render::markdown(diff, lang, &mut md);
        out.push('\n');
        out.push_str(&String::from_utf8_lossy(&md));
    }
    out
}

/// A specification version's page in HTML, with its `changelog` when it has one.
pub fn show_html(spec: &Spec, changelog: Option<&Diff>, lang: Lang) -> String {
    let m = &spec.meta;
    let mut out = page_head(lang, &m.id, &m.version, &m.title);
    let covered = spec.covered_count();
    out.push_str(&format!(
        "<p class=\"muted\">Status: {}{} · {}: {} · {}: {covered}/{}</p>\n",
        status_both(m.status),
        if m.lifecycle.is_empty() { String::new() } else { format!(" · {}", esc(&lifecycle_line(spec, lang))) },
        Text::Domain.get(lang),
        esc(&m.domain),
        Text::Coverage.get(lang),
        spec.requirements.len()
    ));
    if let Some(d) = &m.description {
        out.push_str(&format!("<p lang=\"sv\">{}</p>\n<p lang=\"en\">{}</p>\n", esc(&d.sv), esc(&d.en)));
    }
    out.push_str(&format!(
        "<table>\n<thead><tr><th>Id</th><th>{}</th><th lang=\"sv\">Krav</th><th lang=\"en\">Requirement</th><th>{}</th></tr></thead>\n<tbody>\n",
        Text::Level.get(lang),
        Text::CoveredBy.get(lang)
    ));
    for r in &spec.requirements {
        let by = spec.covering(&r.id);
        let by = if !r.verification.is_automatic() {
            Text::ByAttestation.get(lang).to_string()
        } else if by.is_empty() {
            Text::NotCoveredPlain.get(lang).to_string()
        } else {
            by.iter().map(|s| format!("<code>{}</code>", esc(s))).collect::<Vec<_>>().join("<br>")
        };
        out.push_str(&format!(
            "<tr><td><code>{}</code></td><td>{}</td><td lang=\"sv\"><strong>{}</strong><br>{}</td><td lang=\"en\"><strong>{}</strong><br>{}</td><td>{by}</td></tr>\n",
            esc(&r.id),
            level_both(r.level),
            esc(&r.title.sv),
            esc(&r.text.sv),
            esc(&r.title.en),
            esc(&r.text.en)
        ));
    }
    out.push_str("</tbody>\n</table>\n");
    if let Some(diff) = changelog {
        out.push_str(&crate::diff::render::html(diff, lang));
    }
    out.push_str("</body>\n</html>\n");
    out
}

/// The specification versions using a model, as a page shows them.
/// The start of a catalogue page in HTML, up to its heading: self-contained (no external
/// asset), the same for specifications, information models and processes.
pub fn page_head(lang: Lang, id: &str, version: &semver::Version, title: &crate::model::Localized) -> String {
    let code = if lang == Lang::Sv { "sv" } else { "en" };
    format!(
        "<!doctype html>\n<html lang=\"{code}\">\n<head>\n<meta charset=\"utf-8\">\n<title>{id} {v}</title>\n<style>\nbody {{ font-family: \"Segoe UI\", Roboto, Arial, sans-serif; max-width: 70rem; margin: 2rem auto; color: #1f2328; }}\ntable {{ border-collapse: collapse; width: 100%; font-size: .92rem; }}\nth, td {{ text-align: left; vertical-align: top; padding: .4rem .6rem; border-bottom: 1px solid #d0d7de; }}\nth {{ background: #f6f8fa; }}\ntd code {{ white-space: nowrap; }}\n.muted {{ color: #5f6368; }}\nsvg text {{ font-family: \"Segoe UI\", Roboto, Arial, sans-serif; }}\n</style>\n</head>\n<body>\n<h1>{id} {v} — {sv} / {en}</h1>\n",
        id = esc(id),
        v = version,
        sv = esc(&title.sv),
        en = esc(&title.en),
    )
}

fn used_by(users: &[String], lang: Lang) -> String {
    if users.is_empty() {
        ModelText::UsedByNone.get(lang)
    } else {
        ModelText::UsedBy { specs: users.to_vec() }.get(lang)
    }
}

/// An information model version's page in Markdown: each concept with its properties,
/// types and definitions in Swedish and English, and the specifications using it.
pub fn model_markdown(model: &InfoModel, users: &[String], lang: Lang) -> String {
    let m = &model.meta;
    let mut out = format!(
        "# {} {} — {} / {}\n\n",
        m.id,
        m.version,
        m.title.sv,
        ModelText::Heading { name: m.title.en.clone() }.get(Lang::En)
    );
    out.push_str(&format!("- **Status:** {}\n", status_both(m.status)));
    if let Some(p) = m.lifecycle.published {
        out.push_str(&format!(
            "- **{} / {}:** {} {p} / {} {p}\n",
            Text::LifecycleHeading.get(Lang::Sv),
            Text::LifecycleHeading.get(Lang::En),
            Text::PublishedOn.get(Lang::Sv),
            Text::PublishedOn.get(Lang::En)
        ));
    }
    out.push_str(&format!(
        "- **{}:** {}\n\n",
        ModelText::UsedByColumn.get(lang),
        if users.is_empty() { "—".to_string() } else { users.join(", ") }
    ));
    if let Some(d) = &m.description {
        out.push_str(&format!("{}\n\n{}\n\n", d.sv, d.en));
    }
    for c in &model.concepts {
        out.push_str(&format!("## {}\n\n", ModelText::Concept { name: c.name.clone(), key: c.key.clone() }.get(lang)));
        if let Some(d) = &c.definition {
            out.push_str(&format!("{}\n\n{}\n\n", d.sv, d.en));
        }
        out.push_str(&format!(
            "| {} | Typ / Type | | Definition (svenska) | Definition (English) |\n| --- | --- | --- | --- | --- |\n",
            ModelText::PropertyColumn.get(lang)
        ));
        for p in &c.properties {
            let (sv, en) = p.definition.as_ref().map(|d| (d.sv.as_str(), d.en.as_str())).unwrap_or_default();
            out.push_str(&format!(
                "| `{}` | {} | {} | {} | {} |\n",
                p.name,
                cell(&p.shape),
                if p.required { ModelText::Required.get(lang) } else { String::new() },
                cell(sv),
                cell(en)
            ));
        }
        out.push('\n');
    }
    out
}

/// An information model version's page in HTML.
pub fn model_html(model: &InfoModel, users: &[String], lang: Lang) -> String {
    let m = &model.meta;
    let mut out = page_head(lang, &m.id, &m.version, &m.title);
    out.push_str(&format!(
        "<p class=\"muted\">{} · Status: {} · {}</p>\n",
        ModelText::Kind.get(lang),
        status_both(m.status),
        esc(&used_by(users, lang))
    ));
    if let Some(d) = &m.description {
        out.push_str(&format!("<p lang=\"sv\">{}</p>\n<p lang=\"en\">{}</p>\n", esc(&d.sv), esc(&d.en)));
    }
    for c in &model.concepts {
        out.push_str(&format!(
            "<h2>{}</h2>\n",
            esc(&ModelText::Concept { name: c.name.clone(), key: c.key.clone() }.get(lang))
        ));
        if let Some(d) = &c.definition {
            out.push_str(&format!("<p lang=\"sv\">{}</p>\n<p lang=\"en\">{}</p>\n", esc(&d.sv), esc(&d.en)));
        }
        out.push_str(&format!(
            "<table>\n<thead><tr><th>{}</th><th>Typ / Type</th><th></th><th lang=\"sv\">Definition</th><th lang=\"en\">Definition</th></tr></thead>\n<tbody>\n",
            ModelText::PropertyColumn.get(lang)
        ));
        for p in &c.properties {
            let (sv, en) = p.definition.as_ref().map(|d| (d.sv.as_str(), d.en.as_str())).unwrap_or_default();
            out.push_str(&format!(
                "<tr><td><code>{}</code></td><td>{}</td><td>{}</td><td lang=\"sv\">{}</td><td lang=\"en\">{}</td></tr>\n",
                esc(&p.name),
                esc(&p.shape),
                if p.required { ModelText::Required.get(lang) } else { String::new() },
                esc(sv),
                esc(en)
            ));
        }
        out.push_str("</tbody>\n</table>\n");
    }
    out.push_str("</body>\n</html>\n");
    out
}
