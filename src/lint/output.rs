//! Lint findings as diagnostics (terminal), JSON, JUnit and SARIF 2.1.0.

use std::io::Write;

use serde_json::json;

use super::{Finding, RuleLevel};
use crate::catalogue::openapi::ApiDoc;
use crate::diag::{Diag, Level};
use crate::source::Span;

/// Where each finding is written. One pass over each file locates all of its findings
/// (locating re-reads the file, so doing it per finding would be quadratic).
fn spans(api: &ApiDoc, findings: &[Finding]) -> Vec<Option<Span>> {
    let located: Vec<_> = api
        .docs
        .iter()
        .enumerate()
        .map(|(i, d)| {
            let pointers: Vec<&str> = findings.iter().filter(|f| f.doc == i).map(|f| f.pointer.as_str()).collect();
            (!pointers.is_empty()).then(|| d.file.locate(&pointers))
        })
        .collect();
    findings
        .iter()
        .map(|f| {
            let loc = located.get(f.doc)?.as_ref()?;
            if f.at_key {
                loc.key(&f.pointer)
            } else {
                loc.value(&f.pointer)
            }
        })
        .collect()
}

pub fn diags(api: &ApiDoc, findings: &[Finding]) -> Vec<Diag> {
    findings
        .iter()
        .zip(spans(api, findings))
        .map(|(f, span)| {
            let file = &api.docs[f.doc].file;
            let mut d = Diag::error("lint", format!("{} ({}): {}", f.rule, f.level.label(), f.message))
                .at(file, span)
                .label(f.rule);
            if f.level == RuleLevel::Bor {
                d.level = Level::Warning;
            }
            d
        })
        .collect()
}

pub fn json(api: &ApiDoc, findings: &[Finding], out: &mut dyn Write) -> std::io::Result<()> {
    let items: Vec<_> = findings
        .iter()
        .zip(spans(api, findings))
        .map(|(f, s)| {
            json!({
                "rule": f.rule, "level": f.level, "message": f.message, "pointer": f.pointer,
                "file": api.docs[f.doc].file.name, "line": s.map(|s| s.line), "column": s.map(|s| s.column),
            })
        })
        .collect();
    let skall = findings.iter().filter(|f| f.level == RuleLevel::Skall).count();
    let doc = json!({ "file": api.docs[0].file.name, "skall_violations": skall, "bor_violations": findings.len() - skall, "findings": items });
    serde_json::to_writer_pretty(&mut *out, &doc).map_err(std::io::Error::other)?;
    writeln!(out)
}

pub fn junit(api: &ApiDoc, findings: &[Finding], out: &mut dyn Write) -> std::io::Result<()> {
    use quick_junit::{NonSuccessKind, Report, TestCase, TestCaseStatus, TestSuite};
    let mut report = Report::new("konform lint");
    let mut suite = TestSuite::new(api.docs[0].file.name.clone());
    let located: Vec<(&Finding, Option<Span>)> = findings.iter().zip(spans(api, findings)).collect();
    for (id, level, text) in super::rule_table() {
        let mine: Vec<&(&Finding, Option<Span>)> = located.iter().filter(|(f, _)| f.rule == id).collect();
        let status = if mine.is_empty() {
            TestCaseStatus::success()
        } else {
            let mut s = TestCaseStatus::non_success(NonSuccessKind::Failure);
            s.set_message(format!("{} violation(s)", mine.len()));
            let lines: Vec<String> = mine
                .iter()
                .map(|(f, span)| {
                    let at = span
                        .map(|s| format!("{}:{}:{}", api.docs[f.doc].file.name, s.line, s.column))
                        .unwrap_or_default();
                    format!("{at} {} — {}", f.pointer, f.message)
                })
                .collect();
            s.set_description(lines.join("\n"));
            if level == RuleLevel::Bor {
                s.set_type("BÖR");
            } else {
                s.set_type("SKALL");
            }
            s
        };
        let mut case = TestCase::new(format!("{id} ({}) {}", level.label(), text.en), status);
        case.set_classname("api-profile");
        suite.add_test_case(case);
    }
    report.add_test_suite(suite);
    out.write_all(report.to_string().map_err(std::io::Error::other)?.as_bytes())
}

pub fn sarif(api: &ApiDoc, findings: &[Finding], out: &mut dyn Write) -> std::io::Result<()> {
    let rules: Vec<_> = super::rule_table()
        .into_iter()
        .map(|(id, level, text)| {
            json!({
                "id": id,
                "shortDescription": { "text": text.en },
                "fullDescription": { "text": text.sv },
                "defaultConfiguration": { "level": if level == RuleLevel::Skall { "error" } else { "warning" } },
            })
        })
        .collect();
    let results: Vec<_> = findings
        .iter()
        .zip(spans(api, findings))
        .map(|(f, s)| {
            let mut region = json!({});
            if let Some(s) = s {
                region = json!({ "startLine": s.line, "startColumn": s.column });
            }
            json!({
                "ruleId": f.rule,
                "level": if f.level == RuleLevel::Skall { "error" } else { "warning" },
                "message": { "text": f.message },
                "locations": [{
                    "physicalLocation": { "artifactLocation": { "uri": api.docs[f.doc].file.name }, "region": region },
                    "logicalLocations": [{ "fullyQualifiedName": f.pointer, "kind": "member" }],
                }],
            })
        })
        .collect();
    let doc = json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": { "driver": { "name": "konform", "version": env!("CARGO_PKG_VERSION"), "informationUri": "https://github.com/", "rules": rules } },
            "results": results,
        }],
    });
    serde_json::to_writer_pretty(&mut *out, &doc).map_err(std::io::Error::other)?;
    writeln!(out)
}
