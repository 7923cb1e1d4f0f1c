//! JUnit XML for CI test views (GitLab, Jenkins, GitHub): one test suite per specification,
//! one test case per step named `scenario / step`, with class name `spec.scenario`. A failed
//! check is a `<failure>`; a step that could not be completed is an `<error>`.

use std::borrow::Cow;
use std::io::Write;

use quick_xml::events::{BytesDecl, BytesEnd, BytesStart, BytesText, Event};
use quick_xml::Writer;

use serde::Deserialize;

use crate::messages::{Lang, Text};
use crate::model::{RunReport, StepResult, Verdict};

// quick-junit (used by `lint`) builds the whole report in memory before writing it; a run
// can have 100,000 steps, so the run's report is streamed with quick-xml (the XML writer
// quick-junit itself uses), one scenario's steps at a time, in the same layout.
pub fn write(report: &RunReport, out: &mut dyn Write) -> std::io::Result<()> {
    let mut w = Writer::new_with_indent(out, b' ', 4);
    w.write_event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)))?;
    let c = &report.counts;
    let mut suites = BytesStart::new("testsuites");
    suites.push_attribute(("name", "konform"));
    suites.push_attribute(("tests", c.steps.to_string().as_str()));
    suites.push_attribute(("skipped", c.steps_skipped.to_string().as_str()));
    suites.push_attribute(("failures", c.steps_failed.to_string().as_str()));
    suites.push_attribute(("errors", c.steps_error.to_string().as_str()));
    suites.push_attribute(("time", format!("{:.3}", report.duration_ms / 1000.0).as_str()));
    w.write_event(Event::Start(suites))?;
    for spec in &report.specifications {
        let mut suite = BytesStart::new("testsuite");
        suite.push_attribute(("name", format!("{}@{}", spec.id, spec.version).as_str()));
        let c = &spec.counts;
        suite.push_attribute(("tests", c.steps.to_string().as_str()));
        suite.push_attribute(("skipped", c.steps_skipped.to_string().as_str()));
        suite.push_attribute(("errors", c.steps_error.to_string().as_str()));
        suite.push_attribute(("failures", c.steps_failed.to_string().as_str()));
        let properties = declared(spec);
        if c.steps == 0 && properties.is_empty() {
            w.write_event(Event::Empty(suite))?;
            continue;
        }
        w.write_event(Event::Start(suite))?;
        if !properties.is_empty() {
            w.write_event(Event::Start(BytesStart::new("properties")))?;
            for (name, value) in properties {
                let mut property = BytesStart::new("property");
                property.push_attribute(("name", xml_text(&name).as_str()));
                property.push_attribute(("value", xml_text(&value).as_str()));
                w.write_event(Event::Empty(property))?;
            }
            w.write_event(Event::End(BytesEnd::new("properties")))?;
        }
        for scenario in &spec.scenarios {
            let classname = xml_text(&format!("{}.{}", spec.id, scenario.id));
            // Spooled steps are parsed into the few fields a test case shows, borrowing
            // their text; the evidence's headers and bodies are skipped unread.
            let spooled = scenario.steps.stored_json()?;
            let inline;
            let cases: Vec<Case<'_>> = match &spooled {
                Some(json) => serde_json::from_slice(json).map_err(std::io::Error::other)?,
                None => {
                    inline = scenario.steps.load()?;
                    inline.iter().map(Case::from).collect()
                }
            };
            for (i, step) in cases.iter().enumerate() {
                // Numbered, so two steps calling the same operation stay distinct.
                let name = format!(
                    "{} / {:02} {}{}",
                    scenario.id,
                    i + 1,
                    step.name,
                    if step.cleanup { " [cleanup]" } else { "" }
                );
                let mut case = BytesStart::new("testcase");
                case.push_attribute(("name", xml_text(&name).as_str()));
                case.push_attribute(("classname", classname.as_str()));
                if let Some(ex) = &step.exchange {
                    case.push_attribute(("time", format!("{:.3}", ex.timings.total_ms / 1000.0).as_str()));
                }
                match status(step) {
                    None => w.write_event(Event::Empty(case))?,
                    Some(status) => {
                        w.write_event(Event::Start(case))?;
                        status.write(&mut w)?;
                        w.write_event(Event::End(BytesEnd::new("testcase")))?;
                    }
                }
            }
        }
        w.write_event(Event::End(BytesEnd::new("testsuite")))?;
    }
    w.write_event(Event::End(BytesEnd::new("testsuites")))?;
    w.write_indent()
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
        assert!(a.contains("<skipped message=\"needs `id`\"/>"), "{a}");
        assert!(a.contains("got 500\n  expected: 200\n  actual: 500\n  at: s.yaml:5:9"), "{a}");
        assert!(a.contains("name=\"one / 03 fine\" classname=\"a.one\""), "{a}");
    }
}
