//! JUnit XML for CI test views (GitLab, Jenkins, GitHub): one test suite per specification,
//! one test case per step named `scenario / NN step`, with class name `spec.scenario`, the
//! step's `file` and `line`, and `<properties>` naming the requirements (and levels) it is
//! evidence for. A failed check is a `<failure>`; a step that could not be completed is an
//! `<error>`. A failure that cannot decide certification (every requirement it covers is
//! below `--fail-on`) is `<skipped>` with the reason, and its details in `<system-out>`, so
//! a certified run stays green in CI views. Cleanup steps are not test cases; one that did
//! not pass is told in the `<system-out>` of its scenario's last test case.
use std::borrow::Cow;
use std::io::Write;

use quick_xml::events::{BytesDecl, BytesEnd, BytesStart, BytesText, Event};
use quick_xml::Writer;

use serde::Deserialize;

use crate::messages::{Lang, Level, Note, Text};
use crate::model::{Place, RunReport, ScenarioResult, SpecResult, StepResult, Verdict};

// quick-junit (used by `lint`) builds the whole report in memory before writing it; a run
// can have 100,000 steps, so the run's report is streamed with quick-xml (the XML writer
// quick-junit itself uses), one scenario's steps at a time, in the same layout.
pub fn write(report: &RunReport, out: &mut dyn Write) -> std::io::Result<()> {
    let mut w = Writer::new_with_indent(out, b' ', 4);
    w.write_event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)))?;
    // The counts come first in the XML, so a first pass over the steps counts them as the
    // test cases will show them (cleanup steps left out, failures that do not count skipped).
    let tallies = report.specifications.iter().map(|s| tally(report, s)).collect::<std::io::Result<Vec<_>>>()?;
    let total = tallies.iter().fold(CaseTally::default(), |a, b| a.plus(b));
    let mut suites = BytesStart::new("testsuites");
    suites.push_attribute(("name", "konform"));
    total.push(&mut suites);
    suites.push_attribute(("time", format!("{:.3}", report.duration_ms / 1000.0).as_str()));
    w.write_event(Event::Start(suites))?;
    for (spec, tally) in report.specifications.iter().zip(&tallies) {
        let mut suite = BytesStart::new("testsuite");
        suite.push_attribute(("name", format!("{}@{}", spec.id, spec.version).as_str()));
        tally.push(&mut suite);
        let properties = declared(spec);
        if spec.counts.steps == 0 && properties.is_empty() {
            w.write_event(Event::Empty(suite))?;
            continue;
        }
        w.write_event(Event::Start(suite))?;
        write_properties(&mut w, &properties)?;
        // Cleanup steps that did not pass in a scenario with no other step.
        let mut orphans = Vec::new();
        for scenario in spec.scenarios.iter() {
            let scenario = &*scenario?;
            let covered = super::failures::covered(spec, scenario);
            let decides = super::failures::decides(&covered, report.fail_on);
            let classname = xml_text(&format!("{}.{}", spec.id, scenario.id));
            with_cases(scenario, |cases| {
                let cleanup = cleanup_notes(cases);
                let Some(last) = cases.iter().rposition(|c| !c.cleanup) else {
                    orphans.extend(cleanup);
                    return Ok(());
                };
                for (i, step) in cases.iter().enumerate().filter(|(_, c)| !c.cleanup) {
                    let name = format!("{} / {:02} {}", scenario.id, i + 1, step.name);
                    let told = if i == last { cleanup.as_slice() } else { &[] };
                    let role = scenario.role;
                    let scenario = ScenarioFacts { classname: &classname, covered: &covered, decides, role };
                    write_case(&mut w, &name, step, &scenario, report.fail_on, told)?;
                }
                Ok(())
            })?;
        }
        if !orphans.is_empty() {
            w.write_event(Event::Start(BytesStart::new("system-out")))?;
            w.write_event(Event::Text(BytesText::new(&xml_text(&(orphans.join("\n") + "\n")))))?;
            w.write_event(Event::End(BytesEnd::new("system-out")))?;
        }
        w.write_event(Event::End(BytesEnd::new("testsuite")))?;
    }
    w.write_event(Event::End(BytesEnd::new("testsuites")))?;
    w.write_indent()
}

/// A scenario's steps as test cases: parsed from the spool (borrowing their text; the
/// evidence's headers and bodies are skipped unread), or taken from memory.
fn with_cases(scenario: &ScenarioResult, f: impl FnOnce(&[Case<'_>]) -> std::io::Result<()>) -> std::io::Result<()> {
    match scenario.steps.stored_json()? {
        Some(json) => {
            let cases: Vec<Case<'_>> = serde_json::from_slice(&json).map_err(std::io::Error::other)?;
            f(&cases)
        }
        None => {
            let steps = scenario.steps.load()?;
            let cases: Vec<Case<'_>> = steps.iter().map(Case::from).collect();
            f(&cases)
        }
    }
}

/// The test cases of a specification, by how a CI view counts them.
#[derive(Debug, Default, Clone, Copy)]
struct CaseTally {
    tests: usize,
    failures: usize,
    errors: usize,
    skipped: usize,
}

impl CaseTally {
    fn plus(self, other: &CaseTally) -> CaseTally {
        CaseTally {
            tests: self.tests + other.tests,
            failures: self.failures + other.failures,
            errors: self.errors + other.errors,
            skipped: self.skipped + other.skipped,
        }
    }

    fn push(&self, tag: &mut BytesStart<'_>) {
        tag.push_attribute(("tests", self.tests.to_string().as_str()));
        tag.push_attribute(("skipped", self.skipped.to_string().as_str()));
        tag.push_attribute(("failures", self.failures.to_string().as_str()));
        tag.push_attribute(("errors", self.errors.to_string().as_str()));
    }
}

fn tally(report: &RunReport, spec: &SpecResult) -> std::io::Result<CaseTally> {
    let mut t = CaseTally::default();
    for scenario in spec.scenarios.iter() {
        let scenario = &*scenario?;
        let decides = super::failures::decides(&super::failures::covered(spec, scenario), report.fail_on);
        for (verdict, cleanup) in verdicts(scenario)? {
            if cleanup {
                continue;
            }
            t.tests += 1;
            match (verdict, decides) {
                (Verdict::Pass, _) => {}
                (Verdict::Fail, true) => t.failures += 1,
                (Verdict::Error, true) => t.errors += 1,
                _ => t.skipped += 1,
            }
        }
    }
    Ok(t)
}

/// Each step's verdict and whether it is a cleanup step, read without the rest.
fn verdicts(scenario: &ScenarioResult) -> std::io::Result<Vec<(Verdict, bool)>> {
    #[derive(Deserialize)]
    struct Brief {
        verdict: Verdict,
        cleanup: bool,
    }
    Ok(match scenario.steps.stored_json()? {
        Some(json) => serde_json::from_slice::<Vec<Brief>>(&json)
            .map_err(std::io::Error::other)?
            .into_iter()
            .map(|b| (b.verdict, b.cleanup))
            .collect(),
        None => scenario.steps.load()?.iter().map(|s| (s.verdict, s.cleanup)).collect(),
    })
}

/// What every test case of a scenario shares.
struct ScenarioFacts<'a> {
    classname: &'a str,
    covered: &'a [(&'a str, Level)],
    /// A failure of its steps can decide certification.
    decides: bool,
    /// A shared setup or teardown scenario.
    role: Option<crate::model::ScenarioRole>,
}

fn write_case<W: Write>(
    w: &mut Writer<W>,
    name: &str,
    step: &Case<'_>,
    scenario: &ScenarioFacts<'_>,
    fail_on: Level,
    cleanup: &[String],
) -> std::io::Result<()> {
    let mut case = BytesStart::new("testcase");
    case.push_attribute(("name", xml_text(name).as_str()));
    case.push_attribute(("classname", scenario.classname));
    // Where the step is written, relative to the catalogue folder (GitLab shows `file`;
    // GitHub annotators put their annotation at `file` and `line`).
    let place = Place::from(step.location.as_ref());
    case.push_attribute(("file", xml_text(&place.file).as_str()));
    if let Some((line, _)) = place.at {
        case.push_attribute(("line", line.to_string().as_str()));
    }
    if let Some(ex) = &step.exchange {
        case.push_attribute(("time", format!("{:.3}", ex.timings.total_ms / 1000.0).as_str()));
    }
    let failed = matches!(step.verdict, Verdict::Fail | Verdict::Error);
    let mut properties = Vec::new();
    if let Some(role) = scenario.role {
        let role = if role == crate::model::ScenarioRole::Setup { "setup" } else { "teardown" };
        properties.push(("konform.role".to_string(), role.to_string()));
    }
    if !scenario.covered.is_empty() {
        properties.push(("requirements".to_string(), super::failures::ids(scenario.covered)));
        for (id, level) in scenario.covered {
            properties.push((format!("konform.requirement.{id}"), level.label(Lang::En).to_string()));
        }
    }
    let (status, mut said) = match (failed, scenario.decides) {
        (true, false) => {
            let why = does_not_count(scenario.covered, fail_on);
            properties.push(("konform.counts".to_string(), "false".to_string()));
            let said = status(step).and_then(|s| s.description).into_iter().collect();
            (Some(Status { tag: "skipped", message: why.clone(), kind: None, description: Some(why) }), said)
        }
        _ => (status(step), Vec::new()),
    };
    said.extend(cleanup.iter().cloned());
    if properties.is_empty() && status.is_none() && said.is_empty() {
        return w.write_event(Event::Empty(case));
    }
    w.write_event(Event::Start(case))?;
    write_properties(w, &properties)?;
    if let Some(status) = status {
        status.write(w)?;
    }
    if !said.is_empty() {
        let mut text = said.join("\n");
        if !text.ends_with('\n') {
            text.push('\n');
        }
        w.write_event(Event::Start(BytesStart::new("system-out")))?;
        w.write_event(Event::Text(BytesText::new(&xml_text(&text))))?;
        w.write_event(Event::End(BytesEnd::new("system-out")))?;
    }
    w.write_event(Event::End(BytesEnd::new("testcase")))
}

/// Why a failure does not count, in English as CI views are read.
fn does_not_count(covered: &[(&str, Level)], fail_on: Level) -> String {
    let lang = Lang::En;
    let covered = super::failures::levels(covered, lang);
    let deciding = super::certificate::deciding_levels(fail_on, lang);
    Note::DoesNotCount { covered, deciding }.get(lang)
}

/// A line for each cleanup step that did not pass.
fn cleanup_notes(cases: &[Case<'_>]) -> Vec<String> {
    let texts = super::terminal::Texts::new(Lang::En);
    cases
        .iter()
        .enumerate()
        .filter(|(_, c)| c.cleanup && c.verdict != Verdict::Pass)
        .map(|(i, c)| {
            let reason = c.reason.as_deref().map(|r| format!(" — {r}")).unwrap_or_default();
            Note::CleanupNotCounted {
                step: format!("{:02} {}", i + 1, c.name),
                verdict: format!("{}{reason}", texts.verdict(c.verdict)),
            }
            .get(Lang::En)
        })
        .collect()
}

fn write_properties<W: Write>(w: &mut Writer<W>, properties: &[(String, String)]) -> std::io::Result<()> {
    if properties.is_empty() {
        return Ok(());
    }
    w.write_event(Event::Start(BytesStart::new("properties")))?;
    for (name, value) in properties {
        let mut property = BytesStart::new("property");
        property.push_attribute(("name", xml_text(name).as_str()));
        property.push_attribute(("value", xml_text(value).as_str()));
        w.write_event(Event::Empty(property))?;
    }
    w.write_event(Event::End(BytesEnd::new("properties")))
}

/// What people declared for a specification, as test-suite properties (in English, as CI
/// views are read): each waiver in force and not, attestation and requirement not offered.
/// The failing steps of a waived requirement stay failures: the waiver accepts them, it
/// does not undo them.
fn declared(spec: &crate::model::SpecResult) -> Vec<(String, String)> {
    use super::certificate as c;
    let lang = Lang::En;
    let mut out = Vec::new();
    for r in &spec.requirements {
        out.extend(c::waived(r, lang).map(|line| (format!("konform.waived.{}", r.id), line)));
        out.extend(c::not_offered(r, lang).map(|line| (format!("konform.not-applicable.{}", r.id), line)));
    }
    for u in &spec.unused_waivers {
        out.push((format!("konform.waiver-not-applied.{}", u.waiver.requirement), c::unused(u, lang)));
    }
    for a in &spec.attestations {
        out.push((format!("konform.attested.{}", a.id), c::attested(a, lang)));
    }
    out
}

/// Text as XML 1.0 allows it: control characters other than tab and newlines cannot be
/// written even escaped, so they are replaced.
fn xml_text(text: &str) -> String {
    text.chars().map(|c| if c < ' ' && !matches!(c, '\t' | '\n' | '\r') { '\u{fffd}' } else { c }).collect()
}

/// What a test case shows of a step.
#[derive(Deserialize)]
struct Case<'a> {
    #[serde(borrow)]
    name: Cow<'a, str>,
    verdict: Verdict,
    #[serde(borrow, default)]
    reason: Option<Cow<'a, str>>,
    cleanup: bool,
    #[serde(borrow)]
    location: Cow<'a, str>,
    #[serde(borrow)]
    checks: Vec<CaseCheck<'a>>,
    #[serde(borrow, default)]
    exchange: Option<CaseExchange<'a>>,
}

#[derive(Deserialize)]
struct CaseCheck<'a> {
    #[serde(borrow)]
    name: Cow<'a, str>,
    passed: bool,
    #[serde(borrow)]
    message: Cow<'a, str>,
    #[serde(borrow, default)]
    expected: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    actual: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    location: Option<Cow<'a, str>>,
}

#[derive(Deserialize)]
struct CaseExchange<'a> {
    timings: crate::model::Timings,
    #[serde(borrow)]
    curl: Cow<'a, str>,
}

impl<'a> From<&'a StepResult> for Case<'a> {
    fn from(s: &'a StepResult) -> Case<'a> {
        let text = |t: &'a String| Cow::Borrowed(t.as_str());
        Case {
            name: text(&s.name),
            verdict: s.verdict,
            // The English text, as the JSON report (which spooled steps are read from) has it.
            reason: s.reason.as_ref().map(|r| Cow::Owned(r.line(Lang::En))),
            cleanup: s.cleanup,
            location: Cow::Owned(s.location.to_string()),
            checks: s
                .checks
                .iter()
                .map(|c| {
                    let said = c.said.render(Lang::En);
                    CaseCheck {
                        name: text(&c.name),
                        passed: c.passed,
                        message: Cow::Owned(said.message),
                        expected: said.expected.map(Cow::Owned),
                        actual: said.actual.map(Cow::Owned),
                        location: c.location.as_ref().map(|l| Cow::Owned(l.to_string())),
                    }
                })
                .collect(),
            exchange: s.exchange.as_ref().map(|e| CaseExchange { timings: e.timings.clone(), curl: text(&e.curl) }),
        }
    }
}

/// A test case's `<failure>`, `<error>` or `<skipped>`.
struct Status {
    tag: &'static str,
    message: String,
    kind: Option<&'static str>,
    description: Option<String>,
}

impl Status {
    fn write<W: Write>(&self, w: &mut Writer<W>) -> std::io::Result<()> {
        let mut tag = BytesStart::new(self.tag);
        tag.push_attribute(("message", xml_text(&self.message).as_str()));
        if let Some(kind) = self.kind {
            tag.push_attribute(("type", kind));
        }
        match &self.description {
            Some(text) => {
                w.write_event(Event::Start(tag))?;
                w.write_event(Event::Text(BytesText::new(&xml_text(text))))?;
                w.write_event(Event::End(BytesEnd::new(self.tag)))
            }
            None => w.write_event(Event::Empty(tag)),
        }
    }
}

fn status(step: &Case<'_>) -> Option<Status> {
    let (tag, kind) = match step.verdict {
        Verdict::Pass => return None,
        Verdict::Skipped | Verdict::Blocked => {
            return Some(Status {
                tag: "skipped",
                message: step.reason.as_deref().unwrap_or_default().to_string(),
                kind: None,
                description: None,
            })
        }
        Verdict::Fail => ("failure", "conformance"),
        Verdict::Error => ("error", "transport"),
    };
    // CI views are read in English: the JSON's English texts, and the English labels.
    let (at, expected, actual) = (Text::At.get(Lang::En), Text::Expected.get(Lang::En), Text::Actual.get(Lang::En));
    let mut description = format!("{at} {}\n", step.location);
    for c in step.checks.iter().filter(|c| !c.passed) {
        description.push_str(&format!("{}: {}\n", c.name, c.message));
        if let Some(e) = &c.expected {
            description.push_str(&format!("  {expected}: {e}\n"));
        }
        if let Some(a) = &c.actual {
            description.push_str(&format!("  {actual}: {a}\n"));
        }
        if let Some(l) = &c.location {
            description.push_str(&format!("  {at}: {l}\n"));
        }
    }
    if let Some(ex) = &step.exchange {
        description.push_str(&format!("{}\n", ex.curl));
    }
    Some(Status {
        tag,
        message: step.reason.as_deref().unwrap_or_default().to_string(),
        kind: Some(kind),
        description: Some(description),
    })
}

#[cfg(test)]
mod tests {
    /// Spooled steps (parsed into test cases straight from the spool) and steps in memory
    /// give the same JUnit text.
    #[test]
    fn spooled_and_inline_steps_render_alike() {
        let (inline, spooled) = crate::spool::tests::sample_reports();
        let (mut a, mut b) = (Vec::new(), Vec::new());
        super::write(&inline, &mut a).unwrap();
        super::write(&spooled, &mut b).unwrap();
        let (a, b) = (String::from_utf8(a).unwrap(), String::from_utf8(b).unwrap());
        assert_eq!(b, a);
        assert!(a.contains("<failure message=\"status: 500\" type=\"conformance\">"), "{a}");
        // The skipped cleanup step is no test case; it is told beside the scenario's last one.
        assert!(!a.contains("02 empty\""), "{a}");
        assert!(a.contains("<system-out>cleanup step 02 empty: SKIPPED — needs `id` (cleanup steps"), "{a}");
        assert!(a.contains("tests=\"2\" skipped=\"0\" failures=\"1\""), "{a}");
        assert!(a.contains("got 500\n  expected: 200\n  actual: 500\n  at: s.yaml:5:9"), "{a}");
        assert!(a.contains("name=\"one / 03 fine\" classname=\"a.one\" file=\"s.yaml\" line=\"12\""), "{a}");
    }
}
