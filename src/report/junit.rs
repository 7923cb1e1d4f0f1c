//! JUnit XML for CI test views (GitLab, Jenkins, GitHub): one test suite per specification,
//! one test case per step named `scenario / step`, with class name `spec.scenario`. A failed
//! check is a `<failure>`; a step that could not be completed is an `<error>`.

use std::io::Write;

use quick_xml::events::{BytesDecl, BytesEnd, BytesStart, BytesText, Event};
use quick_xml::Writer;

use super::model::{RunReport, StepResult, Verdict};

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
        if c.steps == 0 {
            w.write_event(Event::Empty(suite))?;
            continue;
        }
        w.write_event(Event::Start(suite))?;
        for scenario in &spec.scenarios {
            let classname = xml_text(&format!("{}.{}", spec.id, scenario.id));
            for (i, step) in scenario.steps.load()?.iter().enumerate() {
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

/// Text as XML 1.0 allows it: control characters other than tab and newlines cannot be
/// written even escaped, so they are replaced.
fn xml_text(text: &str) -> String {
    text.chars().map(|c| if c < ' ' && !matches!(c, '\t' | '\n' | '\r') { '\u{fffd}' } else { c }).collect()
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

fn status(step: &StepResult) -> Option<Status> {
    let (tag, kind) = match step.verdict {
        Verdict::Pass => return None,
        Verdict::Skipped => {
            return Some(Status {
                tag: "skipped",
                message: step.reason.clone().unwrap_or_default(),
                kind: None,
                description: None,
            })
        }
        Verdict::Fail => ("failure", "conformance"),
        Verdict::Error => ("error", "transport"),
    };
    let mut description = format!("at {}\n", step.location);
    for c in step.checks.iter().filter(|c| !c.passed) {
        description.push_str(&format!("{}: {}\n", c.name, c.message));
        if let Some(e) = &c.expected {
            description.push_str(&format!("  expected: {e}\n"));
        }
        if let Some(a) = &c.actual {
            description.push_str(&format!("  actual: {a}\n"));
        }
        if let Some(l) = &c.location {
            description.push_str(&format!("  at: {l}\n"));
        }
    }
    if let Some(ex) = &step.exchange {
        description.push_str(&format!("{}\n", ex.curl));
    }
    Some(Status {
        tag,
        message: step.reason.clone().unwrap_or_default(),
        kind: Some(kind),
        description: Some(description),
    })
}
