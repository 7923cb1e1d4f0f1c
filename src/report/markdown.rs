//! Markdown for CI job summaries and pull-request comments.

use crate::messages::{Note, Seal, Text};
use std::io::Write;

use super::terminal::Texts;
use crate::model::Lang;
use crate::model::{RequirementVerdict, RunReport, SpecVerdict, Verdict};

fn cell(text: &str) -> String {
    text.replace('|', "\\|").replace('\n', " ")
}

pub fn write(report: &RunReport, lang: Lang, seal: &Seal, out: &mut dyn Write) -> std::io::Result<()> {
    let t = Texts::new(lang);
    // What the signature says, before anything else.
    let mark = match seal {
        Seal::Valid { .. } => "🔏",
        Seal::Altered(_) | Seal::Unsigned => "⚠️",
    };
    writeln!(out, "> {mark} **{}**", Note::Seal(seal.clone()).get(lang))?;
    writeln!(out)?;
    let icon = |v: SpecVerdict| if v == SpecVerdict::Certified { "✅" } else { "❌" };
    writeln!(
        out,
        "# {} {}: {}",
        icon(report.verdict),
        Text::KonformCertification.get(lang),
        t.spec_verdict(report.verdict)
    )?;
    writeln!(out)?;
    writeln!(out, "{}", super::certificate::statement(report, lang))?;
    let failed = super::certificate::failed(report, lang)?;
    if !failed.is_empty() {
        writeln!(out)?;
        writeln!(out, "**{}**", Text::WhyNotCertified.get(lang))?;
        writeln!(out)?;
        for f in failed {
            writeln!(
                out,
                "- `{}` ({}) **{}** — {}",
                f.requirement,
                f.level.label(lang),
                cell(&f.title),
                cell(&f.reason)
            )?;
        }
    }
    writeln!(out)?;
    let target = &report.target;
    let declared = format!(" ({})", Text::DeclaredShort.get(lang));
    let mut facts = vec![(Text::Target.get(lang), format!("`{}`", target.base_url))];
    if let Some(id) = &report.id {
        facts.push((Text::ReportId.get(lang), format!("`{id}`")));
    }
    if let Some(issuer) = &report.issuer {
        facts.push((Text::Issuer.get(lang), issuer.clone()));
    }
    if let Some(v) = &target.vendor {
        facts.push((Text::Vendor.get(lang), format!("{v}{declared}")));
    }
    if let Some(p) = &target.product {
        let version = target.product_version.as_deref().map(|v| format!(" {v}")).unwrap_or_default();
        facts.push((Text::Product.get(lang), format!("{p}{version}{declared}")));
    }
    facts.push((Text::Started.get(lang), Note::Date { rfc3339: report.started.clone() }.get(lang)));
    if let Some(until) = &report.valid_until {
        facts.push((Text::ValidUntil.get(lang), Note::Date { rfc3339: until.clone() }.get(lang)));
    }
    facts.push((Text::Tool.get(lang), format!("{} {}", report.tool, report.tool_version)));
    if report.partial {
        facts.push((Text::Partial.get(lang), Text::FiltersWereUsed.get(lang).to_string()));
    }
    if report.interrupted {
        facts.push((Text::Interrupted.get(lang), Text::Yes.get(lang).to_string()));
    }
    for (k, v) in facts {
        writeln!(out, "- **{k}:** {v}")?;
    }
    writeln!(out)?;
    writeln!(out, "_{}_", super::certificate::rule(report, lang))?;
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
        writeln!(out, "{}: `{}`", Text::CatalogueFingerprint.get(lang), spec.fingerprints.combined)?;
        writeln!(out)?;
        writeln!(
            out,
            "| {} | {} | {} | {} |",
            Text::Requirement.get(lang),
            Text::Level.get(lang),
            Text::Verdict.get(lang),
            Text::Title.get(lang)
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
                writeln!(out, "### {}", Text::Failures.get(lang))?;
                writeln!(out)?;
            }
            let steps = sc.steps.load()?;
            for st in steps.iter().filter(|st| matches!(st.verdict, Verdict::Fail | Verdict::Error)) {
                let cleanup = if st.cleanup { Text::Cleanup.get(lang) } else { "" };
                writeln!(
                    out,
                    "- **{}** `{} / {}`{cleanup} — `{}`",
                    t.verdict(st.verdict),
                    sc.id,
                    st.name,
                    st.location
                )?;
                if let Some(reason) = &st.reason {
                    writeln!(out, "  - {}", cell(&reason.line(lang)))?;
                }
                for c in st.checks.iter().filter(|c| !c.passed) {
                    let said = c.said.render(lang);
                    let expected = said
                        .expected
                        .as_deref()
                        .map(|e| format!("; {}: `{}`", Text::Expected.get(lang), cell(e)))
                        .unwrap_or_default();
                    let actual = said
                        .actual
                        .as_deref()
                        .map(|a| format!("; {}: `{}`", Text::Actual.get(lang), cell(a)))
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
        Text::Steps.get(lang),
        c.steps,
        c.steps_passed,
        Text::PassedLower.get(lang),
        c.steps_failed,
        Text::FailedLower.get(lang),
        c.steps_error,
        Text::ErrorLower.get(lang),
        c.steps_skipped,
        Text::SkippedLower.get(lang)
    )
}
