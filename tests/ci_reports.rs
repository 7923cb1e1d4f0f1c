//! JUnit and Markdown as CI systems read them: test cases carry their requirements, levels,
//! file and line; cleanup steps are no test cases; a failure that cannot decide
//! certification keeps a certified run green; Markdown names requirement ids and caps its
//! failures as the terminal does, pointing to the full report. Runs of the reference vendor
//! with faults: a MUST failure (missing-field, CASE-005), a SHOULD-only failure
//! (allow-duplicates, CASE-011) and a profile failure (wrong-content-type, FEL.02 and
//! CASE-013).

mod common;

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use common::{konform, project_root, Run};
use serde_json::Value;

/// A demo run's JSON report in a temp folder, with the run's exit code.
struct Demo {
    dir: tempfile::TempDir,
    code: i32,
}

impl Demo {
    fn json(&self) -> PathBuf {
        self.dir.path().join("r.json")
    }

    fn report(&self) -> Value {
        serde_json::from_str(&std::fs::read_to_string(self.json()).unwrap()).unwrap()
    }

    /// The report rendered as `format` in `lang`, volatile values normalised.
    fn render(&self, format: &str, lang: &str) -> String {
        render(&self.json(), format, lang)
    }
}

fn render(json: &Path, format: &str, lang: &str) -> String {
    let out: Run = konform()
        .args(["report"])
        .arg(json)
        .args(["--normalize", "--format", format, "--lang", lang])
        .output()
        .unwrap()
        .into();
    assert_eq!(out.code, 0, "{}", out.stderr);
    out.stdout
}

fn demo(faults: &[&str]) -> Demo {
    let dir = tempfile::tempdir().unwrap();
    let json = dir.path().join("r.json");
    let mut cmd = konform();
    cmd.current_dir(project_root()).args(["demo", "case-intake@1.1.0", "--jobs", "1"]);
    for fault in faults {
        cmd.args(["--fault", fault]);
    }
    let run: Run = cmd.arg("--report").arg(format!("json={}", json.display())).output().unwrap().into();
    assert!(run.code == 0 || run.code == 1, "{}\n{}", run.stdout, run.stderr);
    Demo { dir, code: run.code }
}

/// A MUST failure, a SHOULD-only failure and a profile failure in one run.
fn three_faults() -> &'static Demo {
    static DEMO: OnceLock<Demo> = OnceLock::new();
    DEMO.get_or_init(|| demo(&["missing-field", "allow-duplicates", "wrong-content-type"]))
}

fn junit(text: &str) -> junit_parser::TestSuites {
    junit_parser::from_reader(text.as_bytes()).unwrap()
}

fn case<'a>(suite: &'a junit_parser::TestSuite, name: &str) -> &'a junit_parser::TestCase {
    suite.cases.iter().find(|c| c.original_name == name).unwrap_or_else(|| panic!("no test case {name}"))
}

fn property<'a>(case: &'a junit_parser::TestCase, name: &str) -> Option<&'a str> {
    case.properties.vec.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_str())
}

#[test]
fn junit_test_cases_carry_requirements_levels_file_and_line_and_leave_cleanup_out() {
    let demo = three_faults();
    assert_eq!(demo.code, 1, "a MUST requirement failed");
    let report = demo.report();
    let xml = demo.render("junit", "en");
    let suites = junit(&xml);
    let suite = &suites.suites[0];
    let scenarios = report["specifications"][0]["scenarios"].as_array().unwrap();

    // One test case per step that is not a cleanup step, and the counts are those cases'.
    let steps: Vec<(&Value, usize, &Value)> = scenarios
        .iter()
        .flat_map(|sc| sc["steps"].as_array().unwrap().iter().enumerate().map(move |(i, st)| (sc, i + 1, st)))
        .collect();
    let main: Vec<&(&Value, usize, &Value)> = steps.iter().filter(|(_, _, st)| st["cleanup"] == false).collect();
    assert!(main.len() < steps.len(), "the run has cleanup steps");
    assert_eq!(suite.cases.len(), main.len());
    assert_eq!((suites.tests, suite.tests), (main.len() as u64, main.len() as u64));
    assert!(suite.cases.iter().all(|c| !c.original_name.contains("cleanup")), "no cleanup step is a test case");
    let failed = suite.cases.iter().filter(|c| c.status.is_failure()).count() as u64;
    let skipped = suite.cases.iter().filter(|c| c.status.is_skipped()).count() as u64;
    assert_eq!((suite.failures, suites.failures, suite.skipped), (failed, failed, skipped));

    // Every test case names the requirements its scenario covers, with their levels, and
    // where its step is written.
    for (scenario, n, step) in &main {
        let name = format!("{} / {n:02} {}", scenario["id"].as_str().unwrap(), step["name"].as_str().unwrap());
        let location = step["location"].as_str().unwrap();
        let case = case(suite, &name);
        assert!(location.starts_with(case.file.as_deref().unwrap()), "{location} {:?}", case.file);
        if let Some(line) = location.split(':').nth(1) {
            assert_eq!(case.line, Some(line.parse().unwrap()), "{location}");
        }
        let covers: Vec<&str> = scenario["covers"].as_array().unwrap().iter().map(|c| c.as_str().unwrap()).collect();
        assert_eq!(property(case, "requirements"), Some(covers.join(", ").as_str()), "{}", case.original_name);
        for id in covers {
            let level = report["specifications"][0]["requirements"]
                .as_array()
                .unwrap()
                .iter()
                .find(|r| r["id"] == id)
                .map(|r| r["level"].as_str().unwrap().to_uppercase())
                .unwrap();
            assert_eq!(property(case, &format!("konform.requirement.{id}")), Some(level.as_str()));
        }
    }

    // The MUST failure and the profile failure are failures, with their requirements.
    let must = case(suite, "read-status / 02 read the status");
    assert!(must.status.is_failure());
    assert_eq!(property(must, "konform.requirement.CASE-005"), Some("MUST"));
    let profile = case(suite, "api-profile/FEL.02 / 01 Errors as problem+json");
    assert!(profile.status.is_failure());
    assert_eq!(profile.file.as_deref(), Some("api-profile/1.0.0/profile.yaml"));
    assert_eq!(profile.line, None, "a profile rule has no line");
    assert_eq!(property(profile, "konform.requirement.FEL.02"), Some("MUST"));

    // The SHOULD-only failure is no failure: skipped, saying why, its details kept.
    let should = case(suite, "duplicate-external-id / 02 submit it again");
    let junit_parser::TestStatus::Skipped(skipped) = &should.status else { panic!("{:?}", should.status) };
    assert!(skipped.message.contains("does not count") && skipped.message.contains("SHOULD"), "{skipped:?}");
    assert_eq!(skipped.text, skipped.message, "GitLab shows the element's text");
    assert_eq!(property(should, "konform.counts"), Some("false"));
    assert_eq!(property(should, "konform.requirement.CASE-011"), Some("SHOULD"));
    let out = should.system_out.as_deref().unwrap();
    assert!(out.contains("status: expected status 409, got 201") && out.contains("curl "), "{out}");

    insta::assert_snapshot!("ci_junit_three_faults", xml);
}

#[test]
fn a_should_only_failure_keeps_a_certified_run_green_in_junit() {
    let demo = demo(&["allow-duplicates"]);
    assert_eq!(demo.code, 0, "a SHOULD failure does not keep the product from certification");
    let report = demo.report();
    assert_eq!(report["verdict"], "certified");
    assert_eq!(report["counts"]["steps_failed"], 1, "the step did fail");
    let suites = junit(&demo.render("junit", "en"));
    // What CI views count as failed (GitLab, dorny/test-reporter and Jenkins: a test case
    // with <failure> or <error>; mikepenz/action-junit-report: one without <skipped>).
    let failed = suites.suites[0].cases.iter().filter(|c| c.status.is_failure() || c.status.is_error()).count();
    assert_eq!((suites.failures, suites.errors, failed), (0, 0, 0));
    assert_eq!(suites.skipped, 1);
    // With --fail-on should the same failure decides, and is a failure again.
    let mut value = report.clone();
    value["fail_on"] = "should".into();
    let strict = demo.dir.path().join("strict.json");
    std::fs::write(&strict, serde_json::to_string(&value).unwrap()).unwrap();
    let suites = junit(&render(&strict, "junit", "en"));
    let case = case(&suites.suites[0], "duplicate-external-id / 02 submit it again");
    assert!(case.status.is_failure(), "{:?}", case.status);
    assert_eq!((suites.failures, suites.skipped), (1, 0));
}

/// The Markdown's failures section, to the counts line.
fn failures_section(markdown: &str, heading: &str) -> String {
    let start = markdown.find(&format!("### {heading}\n")).unwrap_or_else(|| panic!("no failures in {markdown}"));
    markdown[start..].to_string()
}

#[test]
fn markdown_failures_name_their_requirements_and_say_what_does_not_count() {
    let demo = three_faults();
    let en = failures_section(&demo.render("markdown", "en"), "Failures");
    assert!(en.contains("`read-status / read the status`"), "{en}");
    assert!(en.contains("Requirements: `CASE-005` (MUST)"), "{en}");
    assert!(en.contains("Requirements: `FEL.02` (MUST)"), "{en}");
    assert!(en.contains("Requirements: `CASE-011` (SHOULD)\n  - _did not pass, and does not count"), "{en}");
    // A profile rule's check says what it found, once with how often.
    assert!(en.contains("`profile FEL.02`: GET http://\\<host\\>/2281/cases answered 401 as text/plain (2×)"), "{en}");
    insta::assert_snapshot!("ci_markdown_failures_en", en);
    let sv = failures_section(&demo.render("markdown", "sv"), "Fel");
    assert!(sv.contains("Krav: `CASE-011` (BÖR)\n  - _godkändes inte men räknas inte"), "{sv}");
    insta::assert_snapshot!("ci_markdown_failures_sv", sv);
}

#[test]
fn markdown_caps_failures_as_the_terminal_does_and_points_to_the_full_report() {
    let demo = three_faults();
    let mut report = demo.report();
    // The scenario with two failing steps, 60 times more: 120 failures beside the run's own.
    let scenarios = report["specifications"][0]["scenarios"].as_array_mut().unwrap();
    let twice = scenarios.iter().find(|s| s["id"] == "unauthenticated").unwrap().clone();
    for i in 0..60 {
        let mut copy = twice.clone();
        copy["id"] = format!("unauthenticated-{i:02}").into();
        scenarios.push(copy);
    }
    let many = demo.dir.path().join("many.json");
    std::fs::write(&many, serde_json::to_string(&report).unwrap()).unwrap();
    let own = failures_section(&demo.render("markdown", "en"), "Failures").matches("\n- **").count();
    let all = own + 120;
    assert!(all > 100);

    let markdown = render(&many, "markdown", "en");
    let listed = markdown.matches("\n- **FAIL**").count() + markdown.matches("\n- **ERROR**").count();
    assert_eq!(listed, 100, "the terminal's limit");
    // The report's id, normalised.
    let more = format!("... and {} more. The full report (\\<uuid\\>) lists every one", all - 100);
    let tail = markdown.lines().rev().nth(2).unwrap();
    assert!(tail.starts_with(&more), "{tail}");
    // The terminal lists as many and counts the same rest.
    let text = render(&many, "text", "en");
    assert!(text.contains(&format!("... and {} more (every one is in the reports)", all - 100)), "{text}");
    insta::assert_snapshot!("ci_markdown_more_failures", tail);
}
