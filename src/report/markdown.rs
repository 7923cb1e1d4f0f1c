//! Markdown for CI job summaries and pull-request comments.

use std::io::Write;

use super::terminal::Texts;
use crate::model::Lang;
use crate::model::{RequirementVerdict, RunReport, SpecVerdict, Verdict};

fn cell(text: &str) -> String {
    text.replace('|', "\\|").replace('\n', " ")
}

pub fn write(report: &RunReport, lang: Lang, out: &mut dyn Write) -> std::io::Result<()> {
    let t = Texts::new(lang);
    let tr = |en: &'static str, sv: &'static str| if lang == Lang::Sv { sv } else { en };
    let icon = |v: SpecVerdict| if v == SpecVerdict::Certified { "✅" } else { "❌" };
    writeln!(
        out,
        "# {} {}: {}",
        icon(report.verdict),
        tr("konform certification", "konform-certifiering"),
        t.spec_verdict(report.verdict)
    )?;
    writeln!(out)?;
    let target = &report.target;
    let mut facts = vec![(tr("Target", "Mål"), format!("`{}`", target.base_url))];
    if let Some(v) = &target.vendor {
        facts.push((tr("Vendor", "Leverantör"), v.clone()));
    }
    if let Some(p) = &target.product {
        let version = target.product_version.as_deref().map(|v| format!(" {v}")).unwrap_or_default();
        facts.push((tr("Product", "Produkt"), format!("{p}{version}")));
    }
    facts.push((tr("Started", "Startad"), report.started.clone()));
    facts.push((tr("Tool", "Verktyg"), format!("{} {}", report.tool, report.tool_version)));
    if report.partial {
        facts.push((tr("Partial", "Delkörning"), tr("yes: filters were used", "ja: filter användes").to_string()));
    }
    if report.interrupted {
        facts.push((tr("Interrupted", "Avbruten"), tr("yes", "ja").to_string()));
    }
    for (k, v) in facts {
        writeln!(out, "- **{k}:** {v}")?;
    }
    for spec in &report.specifications {
        writeln!(out)?;
        writeln!(
            out,
            "## {} {} {} — {}: {}",
            icon(spec.verdict),
            spec.id,
            spec.version,
            spec.title.get(lang),
            t.spec_verdict(spec.verdict)
        )?;
        writeln!(out)?;
        writeln!(out, "{}: `{}`", tr("Catalogue fingerprint", "Katalogens fingeravtryck"), spec.fingerprints.combined)?;
        writeln!(out)?;
        writeln!(
            out,
            "| {} | {} | {} | {} |",
            tr("Requirement", "Krav"),
            tr("Level", "Nivå"),
            tr("Verdict", "Resultat"),
            tr("Title", "Rubrik")
        )?;
        writeln!(out, "| --- | --- | --- | --- |")?;
        for r in &spec.requirements {
            let mark = match r.verdict {
                RequirementVerdict::Pass => "✅",
                RequirementVerdict::Fail => "❌",
                RequirementVerdict::Error => "⚠️",
                RequirementVerdict::NotTested => "➖",
            };
            writeln!(
                out,
                "| {} | {} | {mark} {} | {} |",
                r.id,
                r.level.label(lang),
                t.requirement_verdict(r.verdict),
                cell(r.title.get(lang))
            )?;
        }
        let mut heading = false;
        for sc in &spec.scenarios {
            let tally = sc.steps.tally();
            if tally.failed + tally.error == 0 {
                continue;
            }
            if !heading {
                heading = true;
                writeln!(out)?;
                writeln!(out, "### {}", tr("Failures", "Fel"))?;
                writeln!(out)?;
            }
            let steps = sc.steps.load()?;
            for st in steps.iter().filter(|st| matches!(st.verdict, Verdict::Fail | Verdict::Error)) {
                let cleanup = if st.cleanup { tr(" (cleanup)", " (städning)") } else { "" };
                writeln!(
                    out,
                    "- **{}** `{} / {}`{cleanup} — `{}`",
                    t.verdict(st.verdict),
                    sc.id,
                    st.name,
                    st.location
                )?;
                if let Some(reason) = &st.reason {
                    writeln!(out, "  - {}", cell(reason))?;
                }
                for c in st.checks.iter().filter(|c| !c.passed) {
                    let expected = c
                        .expected
                        .as_deref()
                        .map(|e| format!("; {}: `{}`", tr("expected", "förväntat"), cell(e)))
                        .unwrap_or_default();
                    let actual = c
                        .actual
                        .as_deref()
                        .map(|a| format!("; {}: `{}`", tr("actual", "faktiskt"), cell(a)))
                        .unwrap_or_default();
                    writeln!(out, "  - `{}`{expected}{actual}", c.name)?;
                }
            }
        }
    }
    writeln!(out)?;
    let c = &report.counts;
    writeln!(
        out,
        "{}: {} · {} {} · {} {} · {} {} · {} {}",
        tr("Steps", "Steg"),
        c.steps,
        c.steps_passed,
        tr("passed", "godkända"),
        c.steps_failed,
        tr("failed", "underkända"),
        c.steps_error,
        tr("error", "fel"),
        c.steps_skipped,
        tr("skipped", "överhoppade")
    )
}
