//! The HTML report, laid out as a certificate: vendor, product, specification and catalogue
//! version, date and verdict first; then the requirement matrix; then details with the
//! evidence folded away. One self-contained file: no scripts, no external assets; it works
//! offline and prints cleanly to PDF.

use crate::messages::{Note, Seal, Text};
use std::io::Write;

use super::terminal::Texts;
use crate::model::Lang;
use crate::model::{RequirementVerdict, RunReport, SpecVerdict, StepResult, Verdict};

const STYLE: &str = r#"
:root { --ok: #1a7f37; --bad: #c62828; --warn: #b26a00; --muted: #5f6368; --line: #d0d7de; }
* { box-sizing: border-box; }
body { font-family: "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; color: #1f2328; margin: 0; background: #f6f8fa; }
main { max-width: 60rem; margin: 2rem auto; background: #fff; padding: 2.5rem 3rem; border: 1px solid var(--line); }
h1 { font-size: 1.6rem; margin: 0 0 .25rem; }
.seal { margin: 0 0 1.5rem; padding: .75rem 1rem; font-weight: 600; border: 2px solid; }
.seal.valid { color: var(--ok); border-color: var(--ok); background: #eef8f0; }
.seal.unsigned { color: var(--warn); border-color: var(--warn); background: #fff7e6; }
.seal.altered { color: #fff; border-color: var(--bad); background: var(--bad); font-size: 1.2rem; }
h2 { font-size: 1.2rem; margin: 2rem 0 .75rem; border-bottom: 1px solid var(--line); padding-bottom: .25rem; }
.subtitle { color: var(--muted); margin: 0 0 1.5rem; }
.verdict { display: inline-block; font-size: 1.4rem; font-weight: 700; padding: .4rem 1.2rem; border-radius: .3rem; color: #fff; letter-spacing: .05em; }
.verdict.certified { background: var(--ok); }
.verdict.not_certified { background: var(--bad); }
table { border-collapse: collapse; width: 100%; font-size: .92rem; }
th, td { text-align: left; padding: .35rem .6rem; border-bottom: 1px solid var(--line); vertical-align: top; }
th { background: #f6f8fa; }
table.facts th { width: 14rem; background: none; color: var(--muted); font-weight: 600; }
.pass { color: var(--ok); font-weight: 600; }
.fail, .error, .blocked { color: var(--bad); font-weight: 600; }
.not_tested, .skipped, .waived { color: var(--warn); font-weight: 600; }
.attested, .not_applicable { font-weight: 600; }
td code { white-space: nowrap; }
code, pre { font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, monospace; font-size: .85rem; }
pre { background: #f6f8fa; padding: .6rem; overflow-x: auto; white-space: pre-wrap; word-break: break-all; border: 1px solid var(--line); }
details { margin: .4rem 0; }
summary { cursor: pointer; }
.note { color: var(--muted); font-size: .85rem; }
footer { margin-top: 2.5rem; color: var(--muted); font-size: .8rem; }
.statement { font-size: 1.05rem; margin: .75rem 0 1rem; }
.why { border: 2px solid var(--bad); padding: .5rem 1rem; margin: 0 0 1rem; }
.why h2 { margin: .25rem 0 .5rem; border: none; color: var(--bad); }
.why li { margin: .2rem 0; }
.rule { color: var(--muted); font-size: .85rem; }
.waivedbox { border: 2px solid var(--warn); padding: .5rem 1rem; margin: 0 0 1rem; }
.waivedbox h2 { margin: .25rem 0 .5rem; border: none; color: var(--warn); }
@page { size: A4; margin: 16mm 14mm 18mm; }
@media print {
  body { background: #fff; }
  main { margin: 0; border: none; max-width: none; padding: 0; }
  tr, .spec-head { page-break-inside: avoid; }
  h2 { page-break-after: avoid; }
  .verdict, .seal, .why, .waivedbox { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
}
"#;

/// Text as a CSS string literal inside a `<style>` element: quotes and backslashes escaped,
/// and anything that could end the element or the line written as a CSS escape.
fn css_string(text: &str) -> String {
    let mut out = String::from("\"");
    for c in text.chars() {
        match c {
            '"' | '\\' | '<' | '>' | '&' => out.push_str(&format!("\\{:x} ", c as u32)),
            c if c.is_control() => out.push_str(&format!("\\{:x} ", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// An HTML id from parts: letters, digits and `-`, so two versions of a specification, or
/// two rounds of a scenario, never share one.
fn anchor(parts: &[&str]) -> String {
    let joined = parts.join("-");
    joined.chars().map(|c| if c.is_ascii_alphanumeric() { c.to_ascii_lowercase() } else { '-' }).collect()
}

/// Escapes text for HTML (in the model, for every renderer of HTML to share).
pub use crate::model::text::esc;

fn verdict_class(v: SpecVerdict) -> &'static str {
    match v {
        SpecVerdict::Certified => "certified",
        SpecVerdict::NotCertified => "not_certified",
    }
}

fn req_class(v: RequirementVerdict) -> &'static str {
    match v {
        RequirementVerdict::Pass => "pass",
        RequirementVerdict::Fail => "fail",
        RequirementVerdict::Error => "error",
        RequirementVerdict::NotTested => "not_tested",
        RequirementVerdict::Blocked => "blocked",
        RequirementVerdict::Waived => "waived",
        RequirementVerdict::Attested => "attested",
        RequirementVerdict::NotApplicable => "not_applicable",
    }
}

fn step_class(v: Verdict) -> &'static str {
    match v {
        Verdict::Pass => "pass",
        Verdict::Fail => "fail",
        Verdict::Error => "error",
        Verdict::Skipped => "skipped",
        Verdict::Blocked => "blocked",
    }
}

/// Each distinct departure from the OpenAPI document, once, with its count.
fn departures(h: &mut dyn Write, spec: &crate::model::SpecResult, lang: Lang) -> std::io::Result<()> {
    if spec.departures.is_empty() {
        return Ok(());
    }
    writeln!(
        h,
        "<h3>{}</h3>\n<table>\n<thead><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr></thead>\n<tbody>",
        Text::Departures.get(lang),
        Text::Id.get(lang),
        Text::Operation.get(lang),
        Text::Departure.get(lang),
        Text::SeenIn.get(lang),
        Text::AttributedTo.get(lang)
    )?;
    for d in &spec.departures {
        let status = d.status.map(|s| format!(" → {s}")).unwrap_or_default();
        let seen: Vec<String> = d.seen_in.iter().map(|s| esc(&format!("{} / {}", s.scenario, s.step))).collect();
        writeln!(
            h,
            "<tr><td><code>{}</code></td><td><code>{}</code>{}</td><td><code>{}</code>: {}</td><td>{}×<br><span class=\"note\">{}</span></td><td>{}</td></tr>",
            esc(&d.id),
            esc(&d.operation),
            esc(&status),
            esc(&d.check),
            esc(&d.said.line(lang)),
            d.count,
            seen.join("<br>"),
            esc(&d.requirements.join(", "))
        )?;
    }
    writeln!(h, "</tbody>\n</table>")
}

/// Writes the page as it goes: a scenario's steps are read (from the spool) and written
/// one scenario at a time, so a large run never has its whole page in memory.
pub fn write(report: &RunReport, lang: Lang, seal: &Seal, h: &mut dyn Write) -> std::io::Result<()> {
    let t = Texts::new(lang);
    let lang_code = if lang == Lang::Sv { "sv" } else { "en" };
    let title = Text::CertificationReport.get(lang);
    write!(h, "<!doctype html>\n<html lang=\"{lang_code}\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>{title}</title>\n<style>{STYLE}</style>\n")?;
    // On paper: the vendor, product and verdict at the top of every page, page numbers at
    // the foot.
    let running = format!(
        "{} · {} · {}",
        report.target.vendor.as_deref().unwrap_or(Text::NotStated.get(lang)),
        report.target.product.as_deref().unwrap_or(Text::NotStated.get(lang)),
        t.spec_verdict(report.verdict)
    );
    write!(
        h,
        "<style>@page {{ @top-left {{ content: {}; font-size: 8pt; color: #5f6368; }} @bottom-right {{ content: counter(page) \" / \" counter(pages); font-size: 8pt; color: #5f6368; }} }}</style>\n</head>\n<body>\n<main>\n",
        css_string(&running)
    )?;

    // What the signature says, first and across the page: a report altered after signing,
    // or an unsigned one, must not look like a certificate.
    let seal_class = match seal {
        Seal::Valid { .. } => "valid",
        Seal::Altered(_) => "altered",
        Seal::Unsigned => "unsigned",
    };
    writeln!(h, "<p class=\"seal {seal_class}\" id=\"seal\">{}</p>", esc(&Note::Seal(seal.clone()).get(lang)))?;

    // The certificate.
    let specs: Vec<String> =
        report.specifications.iter().map(|s| format!("{} {} — {}", s.id, s.version, s.title.get(lang))).collect();
    writeln!(h, "<header>\n<h1>{title}</h1>\n<p class=\"subtitle\">{}</p>", esc(&specs.join(", ")))?;
    writeln!(
        h,
        "<p><span class=\"verdict {}\" id=\"verdict\">{}</span></p>",
        verdict_class(report.verdict),
        t.spec_verdict(report.verdict)
    )?;
    let target = &report.target;
    let date = Note::Date { rfc3339: report.started.clone() }.get(lang);
    let statement = super::certificate::statement(report, lang);
    writeln!(h, "<p class=\"statement\" id=\"statement\">{}</p>", esc(&statement))?;
    for note in super::certificate::notes(report, lang) {
        writeln!(h, "<p class=\"statement lifecycle\"><strong>{}</strong></p>", esc(&note))?;
    }
    why_not_certified(h, report, lang)?;
    waived_first(h, report, lang)?;

    writeln!(h, "<table class=\"facts\">")?;
    let unknown = Text::NotStated.get(lang);
    let declared = format!(" <span class=\"note\">({})</span>", Text::DeclaredShort.get(lang));
    let fact = |h: &mut dyn Write, k: &str, v: &str| writeln!(h, "<tr><th>{}</th><td>{}</td></tr>", esc(k), v);
    if let Some(id) = &report.id {
        fact(h, Text::ReportId.get(lang), &format!("<code>{}</code>", esc(id)))?;
    }
    if let Some(issuer) = &report.issuer {
        fact(h, Text::Issuer.get(lang), &esc(issuer))?;
    }
    fact(h, Text::Vendor.get(lang), &(esc(target.vendor.as_deref().unwrap_or(unknown)) + &declared))?;
    fact(h, Text::Product.get(lang), &(esc(target.product.as_deref().unwrap_or(unknown)) + &declared))?;
    fact(h, Text::ProductVersion.get(lang), &(esc(target.product_version.as_deref().unwrap_or(unknown)) + &declared))?;
    for spec in &report.specifications {
        fact(
            h,
            Text::Specification.get(lang),
            &format!(
                "{} {} ({}) — <span class=\"{}\">{}</span>",
                esc(&spec.id),
                esc(&spec.version),
                esc(spec.title.get(lang)),
                verdict_class(spec.verdict).replace("not_certified", "fail").replace("certified", "pass"),
                t.spec_verdict(spec.verdict)
            ),
        )?;
        fact(h, Text::CatalogueFingerprint.get(lang), &format!("<code>{}</code>", esc(&spec.fingerprints.combined)))?;
    }
    if let Some(catalogue) = super::certificate::catalogue(report, lang) {
        fact(h, Text::Catalogue.get(lang), &esc(&catalogue))?;
    }
    fact(h, Text::Date.get(lang), &esc(&date))?;
    if let Some(when) = &report.as_of {
        fact(h, Text::AsOf.get(lang), &esc(&Note::Date { rfc3339: when.clone() }.get(lang)))?;
    }
    if let Some(until) = &report.valid_until {
        fact(h, Text::ValidUntil.get(lang), &esc(&Note::Date { rfc3339: until.clone() }.get(lang)))?;
    }
    fact(h, Text::TestedAddress.get(lang), &format!("<code>{}</code>", esc(&target.base_url)))?;
    let c = &report.counts;
    fact(
        h,
        Text::Requirements.get(lang),
        &format!(
            "{} {}, {} {}, {} {}, {} {}{}",
            c.requirements_passed,
            Text::PassedLower.get(lang),
            c.requirements_failed,
            Text::FailedLower.get(lang),
            c.requirements_not_tested,
            Text::NotTestedCount.get(lang),
            c.requirements_error,
            Text::ErrorLower.get(lang),
            super::terminal::rarer_counts(c, lang)
        ),
    )?;
    if report.partial {
        let why = if report.shard.is_some() { Text::ShardCannotCertify } else { Text::PartialCannotCertify };
        fact(h, Text::PartialRun.get(lang), why.get(lang))?;
    }
    if report.interrupted {
        fact(h, Text::Interrupted.get(lang), Text::NotEveryStepRan.get(lang))?;
    }
    let signed = match seal {
        Seal::Valid { key, .. } => format!("{} <code>{}</code>", Text::SignedEd25519KeySha256.get(lang), esc(key)),
        Seal::Altered(why) => format!("<strong>{}</strong>", esc(&Note::Broken(*why).get(lang))),
        Seal::Unsigned => Text::Unsigned.get(lang).to_string(),
    };
    fact(h, Text::Signature.get(lang), &signed)?;
    writeln!(h, "</table>")?;
    for rule in super::certificate::rules(report, lang) {
        writeln!(h, "<p class=\"rule\">{}</p>", esc(&rule))?;
    }
    writeln!(h, "</header>")?;

    // The requirement matrix.
    for spec in &report.specifications {
        writeln!(
            h,
            "<section class=\"matrix\">\n<h2 class=\"spec-head\">{} — {} {}</h2>",
            Text::RequirementMatrix.get(lang),
            esc(&spec.id),
            esc(&spec.version)
        )?;
        if let Some(note) = super::language_note(spec, lang) {
            writeln!(h, "<p class=\"note\">{}</p>", esc(note))?;
        }
        writeln!(
            h,
            "<table id=\"{}\">\n<thead><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr></thead>\n<tbody>",
            anchor(&["matrix", &spec.id, &spec.version]),
            Text::Id.get(lang),
            Text::Level.get(lang),
            Text::Verdict.get(lang),
            Text::Requirement.get(lang)
        )?;
        for r in &spec.requirements {
            let mut why = String::new();
            for b in &r.blocked_by {
                why.push_str(&format!(
                    "<br><span class=\"blocked\">{}: {} / {}</span>",
                    Text::BlockedBy.get(lang),
                    esc(&b.scenario),
                    esc(&b.step)
                ));
            }
            if !r.departures.is_empty() {
                let ids: Vec<String> = r.departures.iter().map(|d| esc(d)).collect();
                why.push_str(&format!(
                    "<br><span class=\"fail\">{}: {}</span>",
                    Text::Departures.get(lang),
                    ids.join(", ")
                ));
            }
            why.push_str(&declared_on(spec, r, lang));
            writeln!(
                h,
                "<tr id=\"{}\"><td><code>{}</code></td><td>{}</td><td class=\"{}\">{}</td><td><strong>{}</strong><br><span class=\"note\">{}</span>{why}</td></tr>",
                anchor(&["req", &spec.id, &spec.version, &r.id]),
                esc(&r.id),
                r.level.label(lang),
                req_class(r.verdict),
                t.requirement_verdict(r.verdict),
                esc(r.title.get(lang)),
                esc(r.text.get(lang))
            )?;
        }
        writeln!(h, "</tbody>\n</table>")?;
        departures(h, spec, lang)?;
        declared_below(h, spec, lang)?;
        since(h, report, spec, lang)?;
        writeln!(h, "</section>")?;
    }

    // Details, evidence folded away.
    writeln!(h, "<section class=\"details\">\n<h2>{}</h2>", Text::Details.get(lang))?;
    for spec in &report.specifications {
        // Ordered by requirement, in the catalogue's order: a scenario by the first
        // requirement it covers (a stable sort keeps the run's order within one), then any
        // that cover none.
        let rank: std::collections::HashMap<&str, usize> =
            spec.requirements.iter().enumerate().map(|(i, r)| (r.id.as_str(), i)).collect();
        // Shared setup first, shared teardown last.
        let first = |sc: &crate::model::ScenarioResult| match sc.role {
            Some(crate::model::ScenarioRole::Setup) => 0,
            Some(crate::model::ScenarioRole::Teardown) => usize::MAX,
            None => sc.covers.iter().filter_map(|c| rank.get(c.as_str())).min().copied().unwrap_or(usize::MAX),
        };
        let mut ranks = Vec::with_capacity(spec.scenarios.len());
        for sc in spec.scenarios.iter() {
            ranks.push(first(&*sc?));
        }
        let mut order: Vec<usize> = (0..spec.scenarios.len()).collect();
        order.sort_by_key(|&i| ranks[i]);
        for i in order {
            let sc = spec.scenarios.get(i)?;
            let open = if sc.verdict == Verdict::Pass { "" } else { " open" };
            let note = match sc.role {
                Some(_) => esc(super::role_note(sc.role, lang).trim().trim_matches(['(', ')'])),
                None => format!("{}: {}", Text::Covers.get(lang), esc(&sc.covers.join(", "))),
            };
            writeln!(
                h,
                "<details{open} id=\"{}\">\n<summary><span class=\"{}\">{}</span> {} — {} <span class=\"note\">({note})</span></summary>",
                anchor(&["sc", &spec.id, &spec.version, &sc.id]),
                step_class(sc.verdict),
                t.verdict(sc.verdict),
                esc(&sc.id),
                esc(sc.title.get(lang)),
            )?;
            writeln!(
                h,
                "<table>\n<thead><tr><th>{}</th><th>{}</th><th>{}</th></tr></thead>\n<tbody>",
                Text::Step.get(lang),
                Text::Verdict.get(lang),
                Text::Checks.get(lang)
            )?;
            for st in sc.steps.load()?.iter() {
                step_row(h, st, &t, lang)?;
            }
            writeln!(h, "</tbody>\n</table>\n</details>")?;
        }
    }
    writeln!(h, "</section>")?;
    writeln!(
        h,
        "<footer>{} {} · {} {} · {}</footer>\n</main>\n</body>\n</html>",
        esc(&report.tool),
        esc(&report.tool_version),
        Text::ReportFormat.get(lang),
        esc(&report.format_version),
        Text::VerifyHint.get(lang)
    )
}

/// Beside the verdict, every requirement that failed or could not be judged, with the
/// reason its first failing step gave in plain words and a link to that scenario's details.
fn why_not_certified(h: &mut dyn Write, report: &RunReport, lang: Lang) -> std::io::Result<()> {
    let failed = super::certificate::failed(report, lang)?;
    if failed.is_empty() {
        return Ok(());
    }
    writeln!(h, "<section class=\"why\" id=\"why\">\n<h2>{}</h2>\n<ul>", Text::WhyNotCertified.get(lang))?;
    for f in failed {
        let id = match &f.scenario {
            Some(sc) => format!(
                "<a href=\"#{}\"><code>{}</code></a>",
                anchor(&["sc", &f.spec, &f.version, sc]),
                esc(&f.requirement)
            ),
            None => format!("<code>{}</code>", esc(&f.requirement)),
        };
        writeln!(
            h,
            "<li>{id} ({}) <strong>{}</strong><br><span class=\"note\">{}</span></li>",
            f.level.label(lang),
            esc(&f.title),
            esc(&f.reason)
        )?;
    }
    writeln!(h, "</ul>\n</section>")
}

/// Under a requirement of the matrix: its waiver, attestation or declaration not offered,
/// or that it awaits an attestation.
fn declared_on(spec: &crate::model::SpecResult, r: &crate::model::RequirementResult, lang: Lang) -> String {
    use super::certificate as c;
    let mut out = String::new();
    if let Some(line) = c::waived(r, lang) {
        out.push_str(&format!("<br><span class=\"waived\">{}</span>", esc(&line)));
    }
    if let Some(a) = r.attestation.as_ref().and_then(|id| spec.attestations.iter().find(|a| a.id == *id)) {
        out.push_str(&format!("<br><span class=\"note\">{}</span>", esc(&c::attested(a, lang))));
    } else if !r.verification.is_automatic() {
        out.push_str(&format!("<br><span class=\"note\">{}</span>", Text::ByAttestation.get(lang)));
    }
    if let Some(line) = c::not_offered(r, lang) {
        out.push_str(&format!("<br><span class=\"note\">{}</span>", esc(&line)));
    }
    out
}

/// Below a specification's matrix: the waivers that did not apply, and the attestations.
fn declared_below(h: &mut dyn Write, spec: &crate::model::SpecResult, lang: Lang) -> std::io::Result<()> {
    use super::certificate as c;
    let unused: Vec<String> = spec.unused_waivers.iter().map(|u| c::unused(u, lang)).collect();
    let attested: Vec<String> = spec.attestations.iter().map(|a| c::attested(a, lang)).collect();
    for (heading, lines) in [(Text::UnusedWaivers, unused), (Text::Attestations, attested)] {
        if lines.is_empty() {
            continue;
        }
        writeln!(h, "<h3>{}</h3>\n<ul>", heading.get(lang))?;
        for line in lines {
            writeln!(h, "<li>{}</li>", esc(&line))?;
        }
        writeln!(h, "</ul>")?;
    }
    Ok(())
}

/// `run --since`: from which version and report, and the vendor's to-do list.
fn since(h: &mut dyn Write, report: &RunReport, spec: &crate::model::SpecResult, lang: Lang) -> std::io::Result<()> {
    let Some(record) = super::since::of(report, spec) else { return Ok(()) };
    writeln!(h, "<h3>{}</h3>", Text::SinceHeading.get(lang))?;
    writeln!(h, "<p>{}</p>", esc(&super::since::heading(report, record, lang)))?;
    let items = super::since::todo(report, spec, record, lang);
    if items.is_empty() {
        writeln!(h, "<p>{}</p>", esc(&Note::SinceNothingToDo.get(lang)))?;
    } else {
        writeln!(
            h,
            "<p><strong>{}</strong></p>\n<table>\n<thead><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr></thead>\n<tbody>",
            esc(&Note::SinceToDo { count: items.len() }.get(lang)),
            Text::Id.get(lang),
            Text::Level.get(lang),
            Text::Verdict.get(lang),
            Text::Why.get(lang)
        )?;
        let t = Texts::new(lang);
        for item in items {
            writeln!(
                h,
                "<tr><td><a href=\"#{}\"><code>{}</code></a></td><td>{}</td><td class=\"{}\">{}</td><td>{}</td></tr>",
                anchor(&["req", &spec.id, &spec.version, &item.id]),
                esc(&item.id),
                item.level.map(|l| l.label(lang)).unwrap_or_default(),
                req_class(item.verdict),
                t.requirement_verdict(item.verdict),
                esc(&item.why)
            )?;
        }
        writeln!(h, "</tbody>\n</table>")?;
    }
    if let Some(line) = super::since::removed(record, lang) {
        writeln!(h, "<p>{}</p>", esc(&line))?;
    }
    Ok(())
}

/// Beside the verdict, every waived requirement the certificate rests on: a certificate
/// never hides that one was waived.
fn waived_first(h: &mut dyn Write, report: &RunReport, lang: Lang) -> std::io::Result<()> {
    let first = super::certificate::waived_first(report);
    if first.is_empty() {
        return Ok(());
    }
    writeln!(h, "<section class=\"waivedbox\" id=\"waived\">\n<h2>{}</h2>\n<ul>", Text::WaivedHeading.get(lang))?;
    for r in first {
        writeln!(h, "<li>{}</li>", esc(&super::certificate::waived(r, lang).unwrap_or_default()))?;
    }
    writeln!(h, "</ul>\n</section>")
}

fn step_row(h: &mut dyn Write, st: &StepResult, t: &Texts, lang: Lang) -> std::io::Result<()> {
    let cleanup = if st.cleanup { Text::Cleanup.get(lang) } else { "" };
    write!(
        h,
        "<tr><td>{}{cleanup}<br><span class=\"note\">{}</span></td><td class=\"{}\">{}</td><td>",
        esc(&st.name),
        esc(&st.location.to_string()),
        step_class(st.verdict),
        t.verdict(st.verdict)
    )?;
    if let Some(reason) = &st.reason {
        write!(h, "<div>{}</div>", esc(&reason.line(lang)))?;
    }
    for c in &st.checks {
        let class = if c.passed { "pass" } else { "fail" };
        let said = c.said.render(lang);
        write!(
            h,
            "<div><span class=\"{class}\">{}</span> <code>{}</code> {}",
            if c.passed { "✓" } else { "✗" },
            esc(&c.name),
            esc(&said.message)
        )?;
        if !c.passed {
            if let Some(e) = &said.expected {
                write!(h, "<br><span class=\"note\">{}: {}</span>", Text::Expected.get(lang), esc(e))?;
            }
            if let Some(a) = &said.actual {
                write!(h, "<br><span class=\"note\">{}: {}</span>", Text::Actual.get(lang), esc(a))?;
            }
            if let Some(r) = &c.requirement {
                write!(h, "<br><span class=\"note\">{}: {}</span>", Text::OnlyFor.get(lang), esc(r))?;
            }
            if let Some(place) = &c.location {
                write!(h, "<br><span class=\"note\">{}: {}</span>", Text::At.get(lang), esc(&place.to_string()))?;
            }
        }
        write!(h, "</div>")?;
    }
    if let Some(ex) = &st.exchange {
        // A failing step's evidence is open, so that it prints; a passing one's is folded.
        let open = if st.verdict == Verdict::Pass { "" } else { " open" };
        write!(h, "<details{open}><summary>{}</summary><pre>", Text::Evidence.get(lang))?;
        let mut text = format!("{} {}\n", ex.method, ex.url);
        for (k, v) in &ex.request_headers {
            text.push_str(&format!("{k}: {v}\n"));
        }
        if let Some(b) = &ex.request_body {
            text.push_str(&format!("\n{}\n", b.text));
        }
        text.push_str(&format!(
            "\n→ {}\n",
            ex.status.map(|s| s.to_string()).unwrap_or_else(|| Text::NoResponse.get(lang).into())
        ));
        for (k, v) in &ex.response_headers {
            text.push_str(&format!("{k}: {v}\n"));
        }
        if let Some(b) = &ex.response_body {
            let note = if b.truncated {
                format!("\n[{} {} bytes]", Text::CutRealSize.get(lang), b.size)
            } else {
                String::new()
            };
            text.push_str(&format!("\n{}{note}\n", b.text));
        }
        text.push_str(&format!("\n{}\n", ex.curl));
        write!(h, "{}</pre></details>", esc(&text))?;
    }
    writeln!(h, "</td></tr>")
}
