//! What a person reads in the terminal: progress while the run goes, then a summary table
//! of requirements and, for each failure, expected vs actual, the check, where it is written
//! in the suite and a curl line that reproduces it. Swedish or English.

use crate::messages::{Msg, Note, Seal, Text};
// Every text that came from a vendor or a file is shown with its control characters escaped.
use crate::model::printable as p;
use std::io::Write;
use std::sync::Mutex;

use comfy_table::{presets, Cell, Color, ContentArrangement, Table};

use crate::model::text::{paint, Tone};
use crate::model::Lang;
use crate::model::{
    RequirementVerdict, RunEvent, RunReport, ScenarioResult, SpecResult, SpecVerdict, StepResult, Verdict,
};

/// How much the terminal shows of a run (`-q`, none, `-v`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Detail {
    /// No progress lines; a line per specification instead of its table; failures and the verdict.
    Quiet,
    #[default]
    Normal,
    /// Every step in the progress, passing ones too.
    Verbose,
}

/// How the terminal shows a run: colour, width and detail.
#[derive(Debug, Clone, Copy)]
pub struct Look {
    pub color: bool,
    /// Tables are fitted to this many columns.
    pub width: u16,
    /// Paragraphs are wrapped at words to this many columns (on a terminal only).
    pub wrap: Option<usize>,
    pub detail: Detail,
}

impl Look {
    /// No colour, a width for files and logs, the usual detail: a report rendered as text.
    pub fn plain(width: u16) -> Look {
        Look { color: false, width, wrap: None, detail: Detail::Normal }
    }
}

/// The tone of a step's or scenario's verdict.
fn tone(v: Verdict) -> Tone {
    match v {
        Verdict::Pass => Tone::Good,
        Verdict::Fail | Verdict::Error => Tone::Bad,
        Verdict::Skipped | Verdict::Blocked => Tone::Doubtful,
    }
}

/// The tone of a specification's or run's verdict.
fn spec_tone(v: SpecVerdict) -> Tone {
    match v {
        SpecVerdict::Certified => Tone::Good,
        SpecVerdict::NotCertified => Tone::Bad,
    }
}

/// `count` steps, with the word in the right number: `1 step`, `2 steps`.
pub fn steps(count: usize, lang: Lang) -> String {
    let word = if count == 1 { Text::StepLower } else { Text::StepsLower };
    format!("{count} {}", word.get(lang))
}

/// Texts a person reads, in both languages.
pub struct Texts {
    lang: Lang,
}

impl Texts {
    pub fn new(lang: Lang) -> Texts {
        Texts { lang }
    }
    pub fn spec_verdict(&self, v: SpecVerdict) -> &'static str {
        match v {
            SpecVerdict::Certified => Text::Certified.get(self.lang),
            SpecVerdict::NotCertified => Text::NotCertified.get(self.lang),
        }
    }
    pub fn requirement_verdict(&self, v: RequirementVerdict) -> &'static str {
        super::certificate::verdict_word(v, self.lang)
    }
    pub fn verdict(&self, v: Verdict) -> &'static str {
        match v {
            Verdict::Pass => Text::Pass.get(self.lang),
            Verdict::Fail => Text::Fail.get(self.lang),
            Verdict::Error => Text::ErrorUpper.get(self.lang),
            Verdict::Skipped => Text::SkippedUpper.get(self.lang),
            Verdict::Blocked => Text::Blocked.get(self.lang),
        }
    }
}

/// At most this many scenarios are named in a requirement's row; the rest are counted.
const LISTED_SCENARIOS: usize = 5;

/// A requirement's scenarios as its row shows them: the rounds of one scenario (`--repeat`:
/// `read#1`, `read#2`, ...) as `read ×100`, and past [`LISTED_SCENARIOS`] only a count, so a
/// run of a hundred thousand scenario runs still prints a table of one line a requirement.
fn scenario_list(ids: &[String], lang: Lang) -> String {
    let mut runs: Vec<(&str, usize)> = Vec::new();
    let mut at: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
    for id in ids {
        let base = match id.rsplit_once('#') {
            Some((base, round)) if !round.is_empty() && round.bytes().all(|b| b.is_ascii_digit()) => base,
            _ => id.as_str(),
        };
        match at.get(base) {
            Some(&i) => runs[i].1 += 1,
            None => {
                at.insert(base, runs.len());
                runs.push((base, 1));
            }
        }
    }
    let mut shown: Vec<String> = runs
        .iter()
        .take(LISTED_SCENARIOS)
        .map(|(id, n)| if *n > 1 { format!("{id} ×{n}") } else { id.to_string() })
        .collect();
    if runs.len() > LISTED_SCENARIOS {
        shown.push(Msg::AndMore { count: runs.len() - LISTED_SCENARIOS }.line(lang));
    }
    shown.join(", ")
}

/// Progress: a bar on a terminal, one plain line per scenario otherwise (CI logs). The bar
/// counts the plan's scenario runs, the events it will be told of; probes of profile rules
/// are shown as lines but not counted.
pub struct Progress {
    bar: Option<indicatif::ProgressBar>,
    lang: Lang,
    detail: Detail,
    color: bool,
    out: Mutex<Box<dyn Write + Send>>,
    total: usize,
    done: std::sync::atomic::AtomicUsize,
}

impl Progress {
    pub fn new(total: usize, interactive: bool, lang: Lang, look: Look) -> Progress {
        let bar = (interactive && look.detail != Detail::Quiet).then(|| {
            let bar = indicatif::ProgressBar::new(total as u64);
            bar.set_style(
                indicatif::ProgressStyle::with_template("{spinner} [{elapsed_precise}] {bar:30} {pos}/{len} {msg}")
                    .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
            );
            bar.enable_steady_tick(std::time::Duration::from_millis(120));
            bar
        });
        Progress::to(Box::new(std::io::stderr()), total, bar, lang, look)
    }

    fn to(
        out: Box<dyn Write + Send>,
        total: usize,
        bar: Option<indicatif::ProgressBar>,
        lang: Lang,
        look: Look,
    ) -> Progress {
        Progress {
            bar,
            lang,
            detail: look.detail,
            color: look.color,
            out: Mutex::new(out),
            total,
            done: std::sync::atomic::AtomicUsize::new(0),
        }
    }

    /// Scenario runs finished so far, and how many the plan has.
    pub fn counted(&self) -> (usize, usize) {
        (self.done.load(std::sync::atomic::Ordering::Relaxed), self.total)
    }

    pub fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}

impl Progress {
    /// Shows one event of the run; `spec` names the specification it concerns (`id@version`).
    pub fn show(&self, spec: &str, event: &RunEvent) {
        let result = event.result();
        let counted = matches!(event, RunEvent::ScenarioFinished(_));
        if counted {
            self.done.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        }
        if self.detail == Detail::Quiet {
            return;
        }
        let texts = Texts::new(self.lang);
        let what = match event {
            RunEvent::ScenarioFinished(_) => steps(result.steps.len(), texts.lang),
            RunEvent::SharedFinished(_) => format!(
                "{},{}",
                steps(result.steps.len(), texts.lang),
                super::role_note(result.role, texts.lang).trim_end_matches(')').replace('(', "")
            ),
            _ => Text::ProfileRule.get(texts.lang).into(),
        };
        let word = format!("{:<8}", texts.verdict(result.verdict));
        let mut line = format!(
            "{} {}/{} ({what}, {:.0} ms)",
            paint(&word, tone(result.verdict), self.color),
            p(spec),
            p(&result.id),
            result.duration_ms
        );
        if self.detail == Detail::Verbose {
            if let Ok(steps) = result.steps.load() {
                for step in steps.iter() {
                    line.push_str(&step_line(&texts, step, self.color));
                }
            }
        }
        match &self.bar {
            Some(bar) => {
                if counted {
                    bar.inc(1);
                }
                bar.set_message(format!("{}/{}", p(spec), p(&result.id)));
                if result.verdict != Verdict::Pass || self.detail == Detail::Verbose {
                    bar.println(line);
                }
            }
            None => {
                let mut out = self.out.lock().unwrap_or_else(|e| e.into_inner());
                let _ = writeln!(out, "{line}");
            }
        }
    }
}

/// A step under its scenario's progress line (`-v`): verdict, name, and the request's
/// method, status and time when one was sent.
fn step_line(texts: &Texts, step: &StepResult, color: bool) -> String {
    let word = format!("{:<8}", texts.verdict(step.verdict));
    let role = if step.cleanup {
        Text::CleanupBracketed.get(texts.lang)
    } else if step.setup {
        Text::SetupBracketed.get(texts.lang)
    } else {
        ""
    };
    let exchange = step.exchange.as_ref().map(|ex| {
        let status = ex.status.map_or_else(|| "-".to_string(), |s| s.to_string());
        format!(" ({} {status}, {:.0} ms)", p(&ex.method), ex.timings.total_ms)
    });
    format!("\n  {} {}{role}{}", paint(&word, tone(step.verdict), color), p(&step.name), exchange.unwrap_or_default())
}

/// A line of a suite file, by the file's name in the catalogue and the line number (from
/// 1); `None` when the suite is not at hand (a report rendered later, from its JSON).
pub type SuiteLines<'a> = &'a dyn Fn(&str, usize) -> Option<String>;

/// No suite at hand: failures name their place in the suite without showing it.
pub fn no_suite(_: &str, _: usize) -> Option<String> {
    None
}

/// Writes the end-of-run summary.
pub fn summary(
    report: &RunReport,
    lang: Lang,
    look: Look,
    suite: SuiteLines<'_>,
    seal: Option<&Seal>,
    out: &mut dyn Write,
) -> std::io::Result<()> {
    let texts = Texts::new(lang);
    // A report rendered from a file says first what its signature says.
    if let Some(seal) = seal {
        writeln!(out, "{}", Note::Seal(seal.clone()).get(lang))?;
    }
    let Look { color, width, detail, .. } = look;
    if detail == Detail::Quiet && !report.specifications.is_empty() {
        writeln!(out)?;
    }
    for spec in &report.specifications {
        if detail == Detail::Quiet {
            // One line a specification: what it is, its verdict and its counts.
            let line = format!(
                "{} {} — {}: {}",
                p(&spec.id),
                p(&spec.version),
                p(spec.title.get(lang)),
                counts(&texts, report, spec, color)
            );
            writeln!(out, "{}", prose(&line, look.wrap))?;
            continue;
        }
        writeln!(out)?;
        writeln!(out, "{} {} — {}", p(&spec.id), p(&spec.version), p(spec.title.get(lang)))?;
        if let Some(note) = super::language_note(spec, lang) {
            writeln!(out, "{}", prose(note, look.wrap))?;
        }
        let mut table = table(width, color);
        table.set_header(vec![
            Text::RequirementHeading.get(texts.lang),
            Text::LevelHeading.get(texts.lang),
            Text::VerdictHeading.get(texts.lang),
            Text::TitleHeading.get(texts.lang),
            Text::Scenarios.get(texts.lang),
        ]);
        for r in &spec.requirements {
            let mut verdict = Cell::new(texts.requirement_verdict(r.verdict));
            if color {
                verdict = verdict.fg(match r.verdict {
                    RequirementVerdict::Pass => Color::Green,
                    RequirementVerdict::Fail | RequirementVerdict::Error | RequirementVerdict::Blocked => Color::Red,
                    RequirementVerdict::NotTested | RequirementVerdict::Waived => Color::Yellow,
                    RequirementVerdict::Attested | RequirementVerdict::NotApplicable => Color::Cyan,
                });
            }
            table.add_row(vec![
                Cell::new(p(&r.id)),
                Cell::new(r.level.label(lang)),
                verdict,
                Cell::new(p(r.title.get(lang))),
                Cell::new(p(&scenario_list(&r.scenarios, lang))),
            ]);
        }
        writeln!(out, "{table}")?;
        writeln!(out, "{}: {}", Text::Verdict.get(texts.lang), counts(&texts, report, spec, color))?;
        departures(out, &texts, spec)?;
        declared(out, lang, spec)?;
        since(out, report, spec, lang, color, width)?;
    }

    let mut cap = super::failures::Cap::default();
    for (spec, scenario) in report.specifications.iter().flat_map(|s| s.scenarios.iter().map(move |sc| (s, sc))) {
        let scenario = &*scenario?;
        let tally = scenario.steps.tally();
        if tally.passed == tally.steps {
            continue;
        }
        let steps = scenario.steps.load()?;
        for step in steps.iter().filter(|st| super::failures::listed(st)) {
            if cap.none_yet() {
                writeln!(out)?;
                writeln!(out, "{}:", Text::Failures.get(texts.lang))?;
            }
            if cap.admit() {
                failure(out, &texts, suite, spec, scenario, step, color)?;
            }
        }
    }
    if cap.unlisted() > 0 {
        writeln!(out)?;
        writeln!(out, "{}", Note::MoreFailures { count: cap.unlisted() }.get(lang))?;
    }

    writeln!(out)?;
    let c = &report.counts;
    let interrupted = if report.interrupted { Text::InterruptedSuffix.get(texts.lang) } else { "" };
    let verdict = format!("{}{interrupted}", texts.spec_verdict(report.verdict));
    let tally = tallied(
        &[
            (c.steps_passed, Text::PassedLower),
            (c.steps_failed, Text::FailedLower),
            (c.steps_error, Text::ErrorLower),
            (c.steps_skipped, Text::SkippedLower),
        ],
        texts.lang,
    );
    writeln!(
        out,
        "{}: {} — {}: {tally} ({:.1} s)",
        Text::Run.get(texts.lang),
        paint(&verdict, spec_tone(report.verdict), color),
        steps(c.steps, texts.lang),
        report.duration_ms / 1000.0
    )?;
    // What the run shows, in one sentence, and what decided it.
    writeln!(out, "{}", prose(&p(&super::certificate::statement(report, lang)), look.wrap))?;
    for note in super::certificate::notes(report, lang) {
        writeln!(out, "{}", prose(&p(&note), look.wrap))?;
    }
    // A requirement the certificate rests on that was waived is said with the statement.
    let first = super::certificate::waived_first(report);
    if !first.is_empty() {
        writeln!(out, "{}:", Text::WaivedHeading.get(lang))?;
        for r in first {
            writeln!(out, "  {}", p(&super::certificate::waived(r, lang).unwrap_or_default()))?;
        }
    }
    for rule in super::certificate::rules(report, lang) {
        writeln!(out, "{}", prose(&rule, look.wrap))?;
    }
    Ok(())
}

/// A paragraph wrapped at words to the terminal's width; as it is when not on a terminal
/// (a log or a file keeps one line per paragraph).
fn prose(text: &str, wrap: Option<usize>) -> String {
    crate::model::text::wrap(text, wrap, "", "")
}

/// A specification's verdict (coloured) and its requirements' counts:
/// `NOT CERTIFIED — 17 passed, 1 failed, 0 not tested, 0 error`.
fn counts(texts: &Texts, report: &RunReport, spec: &SpecResult, color: bool) -> String {
    let c = &spec.counts;
    let partial = match (spec.partial, report.shard.is_some()) {
        (false, _) => "",
        (true, false) => Text::PartialRunSuffix.get(texts.lang),
        (true, true) => Text::ShardSuffix.get(texts.lang),
    };
    let verdict = format!("{}{partial}", texts.spec_verdict(spec.verdict));
    let tally = tallied(
        &[
            (c.requirements_passed, Text::PassedLower),
            (c.requirements_failed, Text::FailedLower),
            (c.requirements_not_tested, Text::NotTestedCount),
            (c.requirements_error, Text::ErrorLower),
        ],
        texts.lang,
    );
    format!("{} — {tally}{}", paint(&verdict, spec_tone(spec.verdict), color), rarer_counts(c, texts.lang))
}

/// Counts with their words: `17 passed, 1 failed, 0 not tested`.
fn tallied(counts: &[(usize, Text)], lang: Lang) -> String {
    let said: Vec<String> = counts.iter().map(|(n, word)| format!("{n} {}", word.get(lang))).collect();
    said.join(", ")
}

/// What people declared for a specification: waivers in force and not, attestations, and
/// requirements declared not offered.
fn declared(out: &mut dyn Write, lang: Lang, spec: &SpecResult) -> std::io::Result<()> {
    use super::certificate as c;
    let waived: Vec<String> = spec.requirements.iter().filter_map(|r| c::waived(r, lang)).collect();
    let unused: Vec<String> = spec.unused_waivers.iter().map(|u| c::unused(u, lang)).collect();
    let attested: Vec<String> = spec.attestations.iter().map(|a| c::attested(a, lang)).collect();
    let offered: Vec<String> = spec.requirements.iter().filter_map(|r| c::not_offered(r, lang)).collect();
    for (heading, lines) in [
        (Text::Waivers, waived),
        (Text::UnusedWaivers, unused),
        (Text::Attestations, attested),
        (Text::NotOfferedHeading, offered),
    ] {
        if lines.is_empty() {
            continue;
        }
        writeln!(out, "{}:", heading.get(lang))?;
        for line in lines {
            writeln!(out, "  {}", p(&line))?;
        }
    }
    Ok(())
}

/// `run --since`: from which version and report, and the to-do list: each requirement not
/// met now, and why (new, changed and how, regressed, still not met).
fn since(
    out: &mut dyn Write,
    report: &RunReport,
    spec: &SpecResult,
    lang: Lang,
    color: bool,
    width: u16,
) -> std::io::Result<()> {
    let Some(record) = super::since::of(report, spec) else { return Ok(()) };
    writeln!(out)?;
    writeln!(out, "{}", p(&super::since::heading(report, record, lang)))?;
    let items = super::since::todo(report, spec, record, lang);
    if items.is_empty() {
        writeln!(out, "{}", Note::SinceNothingToDo.get(lang))?;
    } else {
        writeln!(out, "{}:", Note::SinceToDo { count: items.len() }.get(lang))?;
        let mut table = table(width, color);
        table.set_header(vec![
            Text::RequirementHeading.get(lang),
            Text::LevelHeading.get(lang),
            Text::VerdictHeading.get(lang),
            Text::WhyHeading.get(lang),
        ]);
        for item in items {
            table.add_row(vec![
                Cell::new(p(&item.id)),
                Cell::new(item.level.map(|l| l.label(lang)).unwrap_or_default()),
                Cell::new(Texts::new(lang).requirement_verdict(item.verdict)),
                Cell::new(p(&item.why)),
            ]);
        }
        writeln!(out, "{table}")?;
    }
    if let Some(line) = super::since::removed(record, lang) {
        writeln!(out, "{}", p(&line))?;
    }
    Ok(())
}

/// The counts of the verdicts most runs do not have (blocked, waived, attested, not
/// applicable), each only when there is one: `, 2 blocked`.
pub fn rarer_counts(c: &crate::model::Counts, lang: Lang) -> String {
    [
        (c.requirements_blocked, Text::BlockedLower),
        (c.requirements_waived, Text::WaivedLower),
        (c.requirements_attested, Text::AttestedLower),
        (c.requirements_not_applicable, Text::NotApplicableCount),
    ]
    .into_iter()
    .filter(|(n, _)| *n > 0)
    .map(|(n, label)| format!(", {n} {}", label.get(lang)))
    .collect()
}

/// Each distinct departure from the OpenAPI document, once, with how often it was seen.
fn departures(out: &mut dyn Write, texts: &Texts, spec: &SpecResult) -> std::io::Result<()> {
    if spec.departures.is_empty() {
        return Ok(());
    }
    let lang = texts.lang;
    writeln!(out, "{}:", Text::Departures.get(lang))?;
    for d in &spec.departures {
        let status = d.status.map(|s| format!(" {s}")).unwrap_or_default();
        let said = d.said.render(lang);
        writeln!(out, "  {} {}{status} {}: {}", p(&d.id), p(&d.operation), p(&d.check), p(&said.message))?;
        let seen: Vec<String> = d.seen_in.iter().take(4).map(|s| format!("{}/{}", s.scenario, s.step)).collect();
        let more = if d.seen_in.len() > 4 { ", …" } else { "" };
        writeln!(out, "     {}×, {} {}{more}", d.count, Text::SeenIn.get(lang), p(&seen.join(", ")))?;
        if !d.requirements.is_empty() {
            writeln!(out, "     {} {}", Text::AttributedTo.get(lang), p(&d.requirements.join(", ")))?;
        }
    }
    Ok(())
}

/// The suite line an expectation is written on, with a caret under it, the way `konform
/// check` shows a finding.
fn caret(out: &mut dyn Write, line: usize, column: usize, text: &str) -> std::io::Result<()> {
    let number = line.to_string();
    let pad = " ".repeat(number.len());
    let text = text.trim_end();
    // Under the value: from its column to the end of the line, before a trailing comment.
    let start = text.char_indices().nth(column.saturating_sub(1)).map_or(text.len(), |(i, _)| i);
    let rest = &text[start..];
    let value = rest.find(" #").map_or(rest, |i| &rest[..i]).trim_end();
    let width = value.chars().count().max(1);
    let lead: String = text[..start].chars().map(|c| if c == '\t' { '\t' } else { ' ' }).collect();
    writeln!(out, "      {pad} |")?;
    writeln!(out, "      {number} | {text}")?;
    writeln!(out, "      {pad} | {lead}{}", "^".repeat(width))
}

fn failure(
    out: &mut dyn Write,
    texts: &Texts,
    suite: SuiteLines<'_>,
    spec: &SpecResult,
    scenario: &ScenarioResult,
    step: &StepResult,
    color: bool,
) -> std::io::Result<()> {
    let cleanup = if step.cleanup {
        Text::CleanupBracketed.get(texts.lang)
    } else if step.setup {
        Text::SetupBracketed.get(texts.lang)
    } else {
        ""
    };
    writeln!(out)?;
    writeln!(
        out,
        "{} {}@{}/{}/{}{cleanup}  ({})",
        paint(texts.verdict(step.verdict), tone(step.verdict), color),
        p(&spec.id),
        p(&spec.version),
        p(&scenario.id),
        p(&step.name),
        p(&step.location.to_string())
    )?;
    if let Some(reason) = &step.reason {
        if step.checks.iter().all(|c| c.passed) {
            writeln!(out, "    {}", p(&reason.line(texts.lang)))?;
        }
    }
    // The same finding made more than once in a step (a profile rule seeing two requests
    // answered alike) is shown once, with how often.
    let failed: Vec<&crate::model::Check> = step.checks.iter().filter(|c| !c.passed).collect();
    for (i, check) in failed.iter().enumerate() {
        let same = |other: &&crate::model::Check| {
            other.name == check.name && other.said == check.said && other.location == check.location
        };
        if failed[..i].iter().any(same) {
            continue;
        }
        let times = failed[i..].iter().filter(|c| same(c)).count();
        let times = if times > 1 { format!(" ({times}×)") } else { String::new() };
        let said = check.said.render(texts.lang);
        writeln!(out, "    {}: {}{times}", p(&check.name), p(&said.message))?;
        if let Some(e) = &said.expected {
            writeln!(out, "      {}: {}", Text::Expected.get(texts.lang), p(e))?;
        }
        if let Some(a) = &said.actual {
            writeln!(out, "      {}: {}", Text::Actual.get(texts.lang), p(a))?;
        }
        if let Some(requirement) = &check.requirement {
            writeln!(out, "      {}: {}", Text::OnlyFor.get(texts.lang), p(requirement))?;
        }
        if let Some(place) = &check.location {
            writeln!(out, "      {}: {}", Text::At.get(texts.lang), p(&place.to_string()))?;
            if let (Some((line, column)), Some(text)) = (place.at, place.at.and_then(|(l, _)| suite(&place.file, l))) {
                caret(out, line, column, &p(&text))?;
            }
        }
    }
    if let Some(ex) = &step.exchange {
        writeln!(out, "    {}", p(&ex.curl))?;
    }
    Ok(())
}

/// A table fitted to `width` columns, coloured only when `color` says so.
fn table(width: u16, color: bool) -> Table {
    let mut table = Table::new();
    table
        .load_preset(presets::UTF8_FULL_CONDENSED)
        .set_content_arrangement(ContentArrangement::Dynamic)
        .set_width(width);
    // Coloured cells are styled even when the output is not a terminal (`--color always`).
    if color {
        table.enforce_styling();
    } else {
        table.force_no_tty();
    }
    table
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{FinishedProbe, FinishedScenario, Localized, ScenarioResult};

    #[test]
    fn a_requirements_scenarios_are_listed_by_name_with_rounds_counted_and_the_rest_counted() {
        let ids = |list: &[&str]| list.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(scenario_list(&ids(&["read#1", "read#2", "write", "read#3"]), Lang::En), "read ×3, write");
        assert_eq!(scenario_list(&ids(&["a#b", "c#"]), Lang::En), "a#b, c#");
        let many = ids(&["a", "b", "c", "d", "e", "f", "g"]);
        assert_eq!(scenario_list(&many, Lang::En), "a, b, c, d, e, ... and 2 more");
        assert_eq!(scenario_list(&many, Lang::Sv), "a, b, c, d, e, ... och 2 till");
    }

    fn result(id: &str) -> ScenarioResult {
        ScenarioResult {
            id: id.into(),
            role: None,
            title: Localized { sv: String::new(), en: String::new() },
            covers: vec![],
            verdict: Verdict::Pass,
            blocked_by: None,
            verdicts: Default::default(),
            duration_ms: 1.0,
            steps: Default::default(),
        }
    }

    #[derive(Clone, Default)]
    struct Shared(std::sync::Arc<Mutex<Vec<u8>>>);

    impl Write for Shared {
        fn write(&mut self, b: &[u8]) -> std::io::Result<usize> {
            self.0.lock().unwrap().extend_from_slice(b);
            Ok(b.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn progress_counts_the_plans_scenarios_and_shows_probes_apart() {
        let out = Shared::default();
        let progress = Progress::to(Box::new(out.clone()), 2, None, Lang::Sv, Look::plain(80));
        for id in ["a", "b"] {
            let event =
                RunEvent::ScenarioFinished(FinishedScenario { spec: 0, order: 0, result: result(id), found: vec![] });
            progress.show("s", &event);
        }
        for rule in ["VER.06", "FOR.02", "SAK.01"] {
            let event = RunEvent::ProbeFinished(FinishedProbe { spec: 0, rule: rule.into(), result: result(rule) });
            progress.show("s", &event);
        }
        assert_eq!(progress.counted(), (2, 2), "every scenario run counted, no probe");
        let text = String::from_utf8(out.0.lock().unwrap().clone()).unwrap();
        assert_eq!(text.lines().count(), 5, "{text}");
        assert!(text.contains("s/a (0 steg, 1 ms)") && text.contains("s/VER.06 (profilregel, 1 ms)"), "{text}");
    }
}
