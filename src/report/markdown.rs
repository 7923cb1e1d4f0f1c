//! Markdown for CI job summaries and pull-request comments.

use crate::messages::{Note, Seal, Text};
use std::io::Write;

use super::terminal::Texts;
use crate::model::Lang;
use crate::model::{RequirementVerdict, RunReport, SpecVerdict, Verdict};

/// Text from a vendor or a file as Markdown text: control characters escaped, and every
/// character that could start markup backslash-escaped (CommonMark allows the escape for any
/// ASCII punctuation): links and images need `[`, HTML and autolinks `<`, entities `&`,
/// emphasis `*` and `_`, code `` ` ``, tables `|`, strikethrough `~`; a leading `#`, `-`,
/// `+`, `=` or `1.` would start a heading or a list. So the text can form no markup.
fn text(s: &str) -> String {
    let printable = crate::model::printable(s);
    let mut out = String::with_capacity(printable.len() + 8);
    for (i, c) in printable.char_indices() {
        // A list marker at the start: `-`, `+`, or digits then `.` or `)`.
        let ordered = matches!(c, '.' | ')') && i > 0 && printable[..i].bytes().all(|b| b.is_ascii_digit());
        let leading = (i == 0 && matches!(c, '#' | '-' | '+' | '=' | '>')) || ordered;
        if matches!(c, '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '&' | '|' | '~' | '!') || leading {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// Text from a vendor or a file as a code span: fenced with more backticks than the
/// longest run inside it, padded when it starts or ends with one, control characters and
/// table borders escaped.
fn code(s: &str) -> String {
    let body = crate::model::printable(s).replace('|', "\\|");
    let mut longest = 0;
    let mut run = 0;
    for c in body.chars() {
        run = if c == '`' { run + 1 } else { 0 };
        longest = longest.max(run);
    }
    let fence = "`".repeat(longest + 1);
    let pad = if body.starts_with('`') || body.ends_with('`') || body.is_empty() { " " } else { "" };
    format!("{fence}{pad}{body}{pad}{fence}")
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
    writeln!(out, "{}", text(&super::certificate::statement(report, lang)))?;
    for note in super::certificate::notes(report, lang) {
        writeln!(out)?;
        writeln!(out, "**{}**", text(&note))?;
    }
    let failed = super::certificate::failed(report, lang)?;
    if !failed.is_empty() {
        writeln!(out)?;
        writeln!(out, "**{}**", Text::WhyNotCertified.get(lang))?;
        writeln!(out)?;
        for f in failed {
            writeln!(
                out,
                "- {} ({}) **{}** — {}",
                code(&f.requirement),
                f.level.label(lang),
                text(&f.title),
                text(&f.reason)
            )?;
        }
    }
    let first = super::certificate::waived_first(report);
    if !first.is_empty() {
        writeln!(out)?;
        writeln!(out, "**{}**", Text::WaivedHeading.get(lang))?;
        writeln!(out)?;
        for r in first {
            writeln!(out, "- 🟡 {}", text(&super::certificate::waived(r, lang).unwrap_or_default()))?;
        }
    }
    writeln!(out)?;
    let target = &report.target;
    let declared = format!(" ({})", Text::DeclaredShort.get(lang));
    let mut facts = vec![(Text::Target.get(lang), code(&target.base_url))];
    if let Some(id) = &report.id {
        facts.push((Text::ReportId.get(lang), code(id)));
    }
    if let Some(issuer) = &report.issuer {
        facts.push((Text::Issuer.get(lang), text(issuer)));
    }
    if let Some(v) = &target.vendor {
        facts.push((Text::Vendor.get(lang), format!("{}{declared}", text(v))));
    }
    if let Some(p) = &target.product {
        let version = target.product_version.as_deref().map(|v| format!(" {v}")).unwrap_or_default();
        facts.push((Text::Product.get(lang), format!("{}{declared}", text(&format!("{p}{version}")))));
    }
    facts.push((Text::Started.get(lang), Note::Date { rfc3339: report.started.clone() }.get(lang)));
    if let Some(when) = &report.as_of {
        facts.push((Text::AsOf.get(lang), Note::Date { rfc3339: when.clone() }.get(lang)));
    }
    if let Some(until) = &report.valid_until {
        facts.push((Text::ValidUntil.get(lang), Note::Date { rfc3339: until.clone() }.get(lang)));
    }
    facts.push((Text::Tool.get(lang), text(&format!("{} {}", report.tool, report.tool_version))));
    if let Some(catalogue) = super::certificate::catalogue(report, lang) {
        facts.push((Text::Catalogue.get(lang), text(&catalogue)));
    }
    if report.partial {
        let why = if report.shard.is_some() { Text::OneShardOfThePlan } else { Text::FiltersWereUsed };
        facts.push((Text::Partial.get(lang), why.get(lang).to_string()));
    }
    if report.interrupted {
        facts.push((Text::Interrupted.get(lang), Text::Yes.get(lang).to_string()));
    }
    for (k, v) in facts {
        writeln!(out, "- **{k}:** {v}")?;
    }
    for rule in super::certificate::rules(report, lang) {
        writeln!(out)?;
        writeln!(out, "_{}_", text(&rule))?;
    }
    // Failures are listed as the terminal lists them, up to the same limit over the whole run.
    let mut cap = super::failures::Cap::default();
    for spec in &report.specifications {
        writeln!(out)?;
        writeln!(
            out,
            "## {} {} {} — {}: {}",
            icon(spec.verdict),
            text(&spec.id),
            text(&spec.version),
            text(spec.title.get(lang)),
            t.spec_verdict(spec.verdict)
        )?;
        writeln!(out)?;
        if let Some(note) = super::language_note(spec, lang) {
            writeln!(out, "_{}_", text(note))?;
            writeln!(out)?;
        }
        writeln!(out, "{}: {}", Text::CatalogueFingerprint.get(lang), code(&spec.fingerprints.combined))?;
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
                RequirementVerdict::Blocked => "⛔",
                RequirementVerdict::Waived => "🟡",
                RequirementVerdict::Attested => "🖊️",
                RequirementVerdict::NotApplicable => "⚪",
            };
            let mut why = String::new();
            for b in &r.blocked_by {
                why.push_str(&format!(
                    " · {}: {}",
                    Text::BlockedBy.get(lang),
                    code(&format!("{} / {}", b.scenario, b.step))
                ));
            }
            if !r.departures.is_empty() {
                why.push_str(&format!(" · {}: {}", Text::Departures.get(lang), code(&r.departures.join(", "))));
            }
            let attestation = r.attestation.as_ref().and_then(|id| spec.attestations.iter().find(|a| a.id == *id));
            let declared = [
                super::certificate::waived(r, lang),
                attestation.map(|a| super::certificate::attested(a, lang)),
                super::certificate::not_offered(r, lang),
                (attestation.is_none() && !r.verification.is_automatic())
                    .then(|| Text::ByAttestation.get(lang).to_string()),
            ];
            for line in declared.into_iter().flatten() {
                why.push_str(&format!(" · {}", text(&line)));
            }
            writeln!(
                out,
                "| {} | {} | {mark} {} | {}{why} |",
                text(&r.id),
                r.level.label(lang),
                t.requirement_verdict(r.verdict),
                text(r.title.get(lang))
            )?;
        }
        if !spec.departures.is_empty() {
            writeln!(out)?;
            writeln!(out, "### {}", Text::Departures.get(lang))?;
            writeln!(out)?;
            for d in &spec.departures {
                let status = d.status.map(|s| format!(" → {s}")).unwrap_or_default();
                writeln!(
                    out,
                    "- {} {}{status} {}: {} — {}×; {} {}",
                    code(&d.id),
                    code(&d.operation),
                    code(&d.check),
                    text(&d.said.line(lang)),
                    d.count,
                    Text::AttributedTo.get(lang),
                    code(&d.requirements.join(", "))
                )?;
            }
        }
        since(out, report, spec, lang)?;
        let unused: Vec<String> = spec.unused_waivers.iter().map(|u| super::certificate::unused(u, lang)).collect();
        let attested: Vec<String> = spec.attestations.iter().map(|a| super::certificate::attested(a, lang)).collect();
        for (heading, lines) in [(Text::UnusedWaivers, unused), (Text::Attestations, attested)] {
            if lines.is_empty() {
                continue;
            }
            writeln!(out)?;
            writeln!(out, "### {}", heading.get(lang))?;
            writeln!(out)?;
            for line in lines {
                writeln!(out, "- {}", text(&line))?;
            }
        }
        failures(out, report, spec, lang, &mut cap)?;
    }
    if cap.unlisted() > 0 {
        writeln!(out)?;
        let more = Note::MoreFailuresInReport { count: cap.unlisted(), id: report.id.clone() };
        writeln!(out, "{}", text(&more.get(lang)))?;
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

/// A specification's failures: each step with where it is written, the requirements it is
/// evidence for (and, when none of them decides, that it does not count), and its failed
/// checks, an identical line once with how often it was seen.
fn failures(
    out: &mut dyn Write,
    report: &RunReport,
    spec: &crate::model::SpecResult,
    lang: Lang,
    cap: &mut super::failures::Cap,
) -> std::io::Result<()> {
    let t = Texts::new(lang);
    let mut heading = false;
    for sc in spec.scenarios.iter() {
        let sc = &*sc?;
        let tally = sc.steps.tally();
        if tally.passed == tally.steps {
            continue;
        }
        let covered = super::failures::covered(spec, sc);
        let decides = super::failures::decides(&covered, report.fail_on);
        let requirements = covered
            .iter()
            .map(|(id, level)| format!("{} ({})", code(id), level.label(lang)))
            .collect::<Vec<_>>()
            .join(", ");
        let steps = sc.steps.load()?;
        for st in steps.iter().filter(|st| super::failures::listed(st)) {
            if !cap.admit() {
                continue;
            }
            if !heading {
                heading = true;
                writeln!(out)?;
                writeln!(out, "### {}", Text::Failures.get(lang))?;
                writeln!(out)?;
            }
            let cleanup = if st.cleanup { Text::Cleanup.get(lang) } else { "" };
            let covers = if requirements.is_empty() {
                String::new()
            } else {
                format!(" — {}: {requirements}", Text::Requirements.get(lang))
            };
            writeln!(
                out,
                "- **{}** {}{}{cleanup} — {}{covers}",
                t.verdict(st.verdict),
                code(&format!("{} / {}", sc.id, st.name)),
                super::role_note(sc.role, lang),
                code(&st.location.to_string())
            )?;
            if !decides && matches!(st.verdict, Verdict::Fail | Verdict::Error) {
                let note = Note::DoesNotCount {
                    covered: super::failures::levels(&covered, lang),
                    deciding: super::certificate::deciding_levels(report.fail_on, lang),
                };
                writeln!(out, "  - _{}_", text(&note.get(lang)))?;
            }
            if let Some(reason) = st.reason.as_ref().filter(|_| st.checks.iter().all(|c| c.passed)) {
                writeln!(out, "  - {}", text(&reason.line(lang)))?;
            }
            let lines: Vec<String> = st.checks.iter().filter(|c| !c.passed).map(|c| check_line(c, lang)).collect();
            for (line, count) in counted(lines) {
                let times = if count > 1 { format!(" ({count}×)") } else { String::new() };
                writeln!(out, "  - {line}{times}")?;
            }
        }
    }
    Ok(())
}

/// A failed check: its name, then expected and actual when it has them, else what it found.
fn check_line(c: &crate::model::Check, lang: Lang) -> String {
    let said = c.said.render(lang);
    if said.expected.is_none() && said.actual.is_none() {
        return format!("{}: {}", code(&c.name), text(&said.message));
    }
    let expected =
        said.expected.as_deref().map(|e| format!("; {}: {}", Text::Expected.get(lang), code(e))).unwrap_or_default();
    let actual =
        said.actual.as_deref().map(|a| format!("; {}: {}", Text::Actual.get(lang), code(a))).unwrap_or_default();
    let only =
        c.requirement.as_deref().map(|r| format!("; {}: {}", Text::OnlyFor.get(lang), code(r))).unwrap_or_default();
    format!("{}{expected}{actual}{only}", code(&c.name))
}

/// Lines in their first order, each once, with how many times it came.
fn counted(lines: Vec<String>) -> Vec<(String, usize)> {
    let mut out: Vec<(String, usize)> = Vec::new();
    for line in lines {
        match out.iter_mut().find(|(l, _)| *l == line) {
            Some((_, n)) => *n += 1,
            None => out.push((line, 1)),
        }
    }
    out
}

/// `run --since`: from which version and report, and the vendor's to-do list.
fn since(out: &mut dyn Write, report: &RunReport, spec: &crate::model::SpecResult, lang: Lang) -> std::io::Result<()> {
    let Some(record) = super::since::of(report, spec) else { return Ok(()) };
    writeln!(out)?;
    writeln!(out, "### {}", Text::SinceHeading.get(lang))?;
    writeln!(out)?;
    writeln!(out, "{}", text(&super::since::heading(report, record, lang)))?;
    writeln!(out)?;
    let items = super::since::todo(report, spec, record, lang);
    if items.is_empty() {
        writeln!(out, "{}", text(&Note::SinceNothingToDo.get(lang)))?;
    } else {
        writeln!(out, "**{}**", text(&Note::SinceToDo { count: items.len() }.get(lang)))?;
        writeln!(out)?;
        let t = Texts::new(lang);
        for item in items {
            let level = item.level.map(|l| format!(" ({})", l.label(lang))).unwrap_or_default();
            writeln!(
                out,
                "- {}{level} **{}** — {}",
                code(&item.id),
                t.requirement_verdict(item.verdict),
                text(&item.why)
            )?;
        }
    }
    if let Some(line) = super::since::removed(record, lang) {
        writeln!(out)?;
        writeln!(out, "{}", text(&line))?;
    }
    Ok(())
}
