//! JUnit XML for CI test views (GitLab, Jenkins, GitHub): one test suite per specification,
//! one test case per step named `scenario / step`, with class name `spec.scenario`. A failed
//! check is a `<failure>`; a step that could not be completed is an `<error>`.

use std::io::Write;
use std::time::Duration;

use quick_junit::{NonSuccessKind, Report, TestCase, TestCaseStatus, TestSuite};

use super::model::{RunReport, StepResult, Verdict};

pub fn write(report: &RunReport, out: &mut dyn Write) -> std::io::Result<()> {
    let mut junit = Report::new("konform");
    junit.set_time(Duration::from_secs_f64(report.duration_ms / 1000.0));
    for spec in &report.specifications {
        let mut suite = TestSuite::new(format!("{}@{}", spec.id, spec.version));
        for scenario in &spec.scenarios {
            for (i, step) in scenario.steps.load()?.iter().enumerate() {
                // Numbered, so two steps calling the same operation stay distinct.
                let name = format!(
                    "{} / {:02} {}{}",
                    scenario.id,
                    i + 1,
                    step.name,
                    if step.cleanup { " [cleanup]" } else { "" }
                );
                let mut case = TestCase::new(name, status(step));
                case.set_classname(format!("{}.{}", spec.id, scenario.id));
                if let Some(ex) = &step.exchange {
                    case.set_time(Duration::from_secs_f64(ex.timings.total_ms / 1000.0));
                }
                suite.add_test_case(case);
            }
        }
        junit.add_test_suite(suite);
    }
    let xml = junit.to_string().map_err(std::io::Error::other)?;
    out.write_all(xml.as_bytes())
}

fn status(step: &StepResult) -> TestCaseStatus {
    let kind = match step.verdict {
        Verdict::Pass => return TestCaseStatus::success(),
        Verdict::Skipped => {
            let mut s = TestCaseStatus::skipped();
            if let Some(r) = &step.reason {
                s.set_message(r.clone());
            }
            return s;
        }
        Verdict::Fail => NonSuccessKind::Failure,
        Verdict::Error => NonSuccessKind::Error,
    };
    let mut s = TestCaseStatus::non_success(kind);
    s.set_message(step.reason.clone().unwrap_or_default());
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
    s.set_description(description);
    s.set_type(match kind {
        NonSuccessKind::Failure => "conformance",
        NonSuccessKind::Error => "transport",
    });
    s
}
