//! Lint findings as a compact list (terminal), diagnostics with snippets (`--verbose`),
//! JSON, JUnit, SARIF 2.1.0, GitHub Actions workflow commands and GitLab Code Quality JSON.
//! Every renderer reads one [`Linted`]: the findings, where each is written (found once, in
//! one pass per file), and the language of the output.

use std::io::Write;

use serde_json::json;

use super::{Finding, RuleLevel};
use crate::catalogue::openapi::ApiDoc;
use crate::diag::{Diag, Level};
use crate::messages::{Lang, LintText, Localized};
use crate::source::Span;

/// What the renderers show: the findings of one document and where each is written.
pub struct Linted<'a> {
    pub api: &'a ApiDoc,
    pub findings: &'a [Finding],
    /// The rules left out (`--ignore`, the settings file).
    pub ignored: &'a [&'static str],
    pub lang: Lang,
    spans: Vec<Option<Span>>,
}

impl<'a> Linted<'a> {
    pub fn new(api: &'a ApiDoc, findings: &'a [Finding], ignored: &'a [&'static str], lang: Lang) -> Linted<'a> {
        Linted { api, findings, ignored, lang, spans: spans(api, findings) }
    }

    /// The findings with their places.
    fn located(&self) -> impl Iterator<Item = (&'a Finding, Option<Span>)> + '_ {
        self.findings.iter().zip(self.spans.iter().copied())
    }

    /// The findings with their places, by rule in the profile's order, then in the order of
    /// the document.
    fn ordered(&self) -> Vec<(&'a Finding, Option<Span>)> {
        let ids = super::rule_ids();
        let order = |id: &str| ids.iter().position(|r| *r == id).unwrap_or(usize::MAX);
        let mut located: Vec<_> = self.located().collect();
        located.sort_by_key(|(f, s)| (order(f.rule), f.doc, s.map_or(usize::MAX, |s| s.offset)));
        located
    }

    /// The rules that were checked, with their levels and texts.
    fn rules(&self) -> Vec<(&'static str, RuleLevel, Localized)> {
        super::rule_table().into_iter().filter(|(id, _, _)| !self.ignored.contains(id)).collect()
    }

    fn file_name(&self, f: &Finding) -> &str {
        &self.api.docs[f.doc].file.name
    }

    fn counts(&self) -> (usize, usize, usize) {
        let must = self.findings.iter().filter(|f| f.level == RuleLevel::Skall).count();
        let rules: std::collections::BTreeSet<&str> = self.findings.iter().map(|f| f.rule).collect();
        (must, self.findings.len() - must, rules.len())
    }

    /// The last line: how many findings of each level in how many rules.
    pub fn summary(&self) -> String {
        let file = self.api.docs[0].file.name.clone();
        let (must, should, rules) = self.counts();
        if self.findings.is_empty() {
            LintText::Clean { file }.get(self.lang)
        } else {
            LintText::Summary { file, must, should, rules }.get(self.lang)
        }
    }
}

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

/// `text` after `lead` (as wide as `lead`), wrapped at spaces to `width` columns with its
/// continuations under the text; one line whatever its length without a width (logs, files).
fn wrapped(lead: &str, text: &str, width: Option<usize>) -> String {
    // As wide as the lead looks: its colour codes take no room.
    let pad = " ".repeat(textwrap::core::display_width(lead));
    crate::model::text::wrap(text, width.map(|w| w.max(pad.len() + 20)), lead, &pad)
}

/// One line per finding, grouped by rule (a heading with the rule's id, level, text and
/// count), places as `line:column` in the root document (`file:line:column` in another),
/// then the ignored rules and the summary. With a `width` (a terminal's), long lines wrap
/// with their continuations indented under the text.
pub fn compact(l: &Linted, width: Option<usize>, color: bool, out: &mut dyn Write) -> std::io::Result<()> {
    let texts = super::rule_table();
    let located = l.ordered();
    let root = &l.api.docs[0].file.name;
    if !located.is_empty() {
        writeln!(out, "{root}")?;
    }
    let mut i = 0;
    while i < located.len() {
        let rule = located[i].0.rule;
        let group: Vec<_> = located[i..].iter().take_while(|(f, _)| f.rule == rule).collect();
        i += group.len();
        let (level, text) = texts
            .iter()
            .find(|(id, _, _)| *id == rule)
            .map(|(_, level, text)| (*level, text.get(l.lang)))
            .unwrap_or((RuleLevel::Skall, ""));
        writeln!(out)?;
        // The rule's id and level in the level's colour: red for SKALL, yellow for BÖR.
        let tone = match level {
            RuleLevel::Skall => crate::model::text::Tone::Bad,
            _ => crate::model::text::Tone::Doubtful,
        };
        let head = format!("{rule} {}", level.label_in(l.lang));
        let lead = format!("{} ({}) ", crate::model::text::paint(&head, tone, color), group.len());
        writeln!(out, "{}", wrapped(&lead, text, width))?;
        let places: Vec<String> = group
            .iter()
            .map(|(f, s)| {
                let at = match s {
                    Some(s) => format!("{}:{}", s.line, s.column),
                    None => LintText::NoPosition.get(l.lang),
                };
                if f.doc == 0 {
                    at
                } else {
                    format!("{}:{at}", l.file_name(f))
                }
            })
            .collect();
        let places_width = places.iter().map(|p| p.chars().count()).max().unwrap_or(0);
        for ((f, _), place) in group.iter().zip(&places) {
            let lead = format!("  {place:<places_width$}  ");
            writeln!(out, "{}", wrapped(&lead, &f.message.get(l.lang), width))?;
        }
    }
    if !located.is_empty() {
        writeln!(out)?;
    }
    if !l.ignored.is_empty() {
        let rules = l.ignored.iter().map(|r| r.to_string()).collect();
        writeln!(out, "{}", LintText::Ignored { rules }.get(l.lang))?;
    }
    writeln!(out, "{}", wrapped("", &l.summary(), width))?;
    if !located.is_empty() {
        writeln!(out, "{}", wrapped("", &LintText::MoreDetail.get(l.lang), width))?;
    }
    Ok(())
}

/// Each finding as a diagnostic with the lines around it (`--verbose`): the rule's id as
/// its code, the rule's text as its help.
pub fn diags(l: &Linted) -> Vec<Diag> {
    let texts = super::rule_table();
    l.ordered()
        .into_iter()
        .map(|(f, span)| {
            let file = &l.api.docs[f.doc].file;
            let help = texts.iter().find(|(id, _, _)| *id == f.rule).map(|(_, _, t)| t.get(l.lang).to_string());
            let mut d = Diag::error(f.rule, f.message.get(l.lang))
                .at(file, span)
                .label(f.level.label_in(l.lang))
                .with_help(help);
            if f.level == RuleLevel::Bor {
                d.level = Level::Warning;
            }
            d
        })
        .collect()
}

pub fn json(l: &Linted, out: &mut dyn Write) -> std::io::Result<()> {
    let items: Vec<_> = l
        .located()
        .map(|(f, s)| {
            json!({
                "rule": f.rule, "level": f.level, "message": f.message.get(l.lang), "pointer": f.pointer,
                "file": l.file_name(f), "line": s.map(|s| s.line), "column": s.map(|s| s.column),
            })
        })
        .collect();
    let (must, should, _) = l.counts();
    let doc = json!({
        "file": l.api.docs[0].file.name, "skall_violations": must, "bor_violations": should,
        "ignored_rules": l.ignored, "findings": items,
    });
    serde_json::to_writer_pretty(&mut *out, &doc).map_err(std::io::Error::other)?;
    writeln!(out)
}

/// One test case per rule checked; a broken rule fails, its findings in the failure's text.
pub fn junit(l: &Linted, out: &mut dyn Write) -> std::io::Result<()> {
    use quick_junit::{NonSuccessKind, Report, TestCase, TestCaseStatus, TestSuite};
    let mut report = Report::new("konform lint");
    let mut suite = TestSuite::new(l.api.docs[0].file.name.clone());
    let located: Vec<(&Finding, Option<Span>)> = l.located().collect();
    for (id, level, text) in l.rules() {
        let mine: Vec<&(&Finding, Option<Span>)> = located.iter().filter(|(f, _)| f.rule == id).collect();
        let status = if mine.is_empty() {
            TestCaseStatus::success()
        } else {
            let mut s = TestCaseStatus::non_success(NonSuccessKind::Failure);
            s.set_message(LintText::Violations { count: mine.len() }.get(l.lang));
            let lines: Vec<String> = mine
                .iter()
                .map(|(f, span)| {
                    let at = span.map(|s| format!("{}:{}:{}", l.file_name(f), s.line, s.column)).unwrap_or_default();
                    format!("{at} {} — {}", f.pointer, f.message.get(l.lang))
                })
                .collect();
            s.set_description(lines.join("\n"));
            s.set_type(level.label_in(l.lang));
            s
        };
        let mut case = TestCase::new(format!("{id} ({}) {}", level.label_in(l.lang), text.get(l.lang)), status);
        case.set_classname("api-profile");
        suite.add_test_case(case);
    }
    report.add_test_suite(suite);
    out.write_all(report.to_string().map_err(std::io::Error::other)?.as_bytes())
}

fn sarif_level(level: RuleLevel) -> &'static str {
    match level {
        RuleLevel::Skall => "error",
        RuleLevel::Bor => "warning",
    }
}

/// Where a file is, for SARIF: relative to the working directory (`uriBaseId` `SRCROOT`,
/// which code-scanning views read as the repository's root) when it is inside it, else its
/// absolute URI (`file://`, or the URL it was fetched from).
fn artifact_location(l: &Linted, doc: usize) -> serde_json::Value {
    let d = &l.api.docs[doc];
    let cwd = std::env::current_dir().ok();
    let absolute =
        if d.file.path.is_absolute() { Some(d.file.path.clone()) } else { cwd.as_ref().map(|c| c.join(&d.file.path)) };
    let relative = match (&cwd, &absolute) {
        (Some(c), Some(a)) if d.uri.starts_with("file:") => a.strip_prefix(c).ok().map(|r| {
            r.components()
                .filter_map(|c| match c {
                    std::path::Component::Normal(s) => {
                        Some(percent_encoding::utf8_percent_encode(&s.to_string_lossy(), URI_SEGMENT).to_string())
                    }
                    _ => None,
                })
                .collect::<Vec<_>>()
                .join("/")
        }),
        _ => None,
    };
    match relative {
        Some(r) if !r.is_empty() => json!({ "uri": r, "uriBaseId": "SRCROOT" }),
        _ => json!({ "uri": d.uri }),
    }
}

/// The characters a path segment of a URI reference must escape (RFC 3986: everything but
/// unreserved characters and sub-delimiters that paths keep).
const URI_SEGMENT: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~')
    .remove(b'!')
    .remove(b'$')
    .remove(b'&')
    .remove(b'\'')
    .remove(b'(')
    .remove(b')')
    .remove(b'*')
    .remove(b'+')
    .remove(b',')
    .remove(b';')
    .remove(b'=')
    .remove(b'@');

pub fn sarif(l: &Linted, out: &mut dyn Write) -> std::io::Result<()> {
    let checked = l.rules();
    let rules: Vec<_> = checked
        .iter()
        .map(|(id, level, text)| {
            json!({
                "id": id,
                "shortDescription": { "text": format!("{id} ({}) {}", level.label_in(l.lang), text.get(l.lang)) },
                "fullDescription": { "text": text.get(l.lang) },
                "helpUri": super::rule_url(id),
                "defaultConfiguration": { "level": sarif_level(*level) },
                "properties": { "tags": ["api-profile", level.label()] },
            })
        })
        .collect();
    let results: Vec<_> = l
        .located()
        .map(|(f, s)| {
            let mut physical = json!({ "artifactLocation": artifact_location(l, f.doc) });
            if let Some(s) = s {
                physical["region"] = json!({ "startLine": s.line, "startColumn": s.column });
            }
            let mut result = json!({
                "ruleId": f.rule,
                "level": sarif_level(f.level),
                "message": { "text": f.message.get(l.lang) },
                "locations": [{
                    "physicalLocation": physical,
                    "logicalLocations": [{ "fullyQualifiedName": f.pointer, "kind": "member" }],
                }],
            });
            if let Some(i) = checked.iter().position(|(id, _, _)| *id == f.rule) {
                result["ruleIndex"] = json!(i);
            }
            result
        })
        .collect();
    let mut run = json!({
        "tool": { "driver": {
            "name": "konform",
            "version": env!("CARGO_PKG_VERSION"),
            "semanticVersion": env!("CARGO_PKG_VERSION"),
            "informationUri": super::HOME_URL,
            "rules": rules,
        } },
        "language": match l.lang { Lang::Sv => "sv-SE", Lang::En => "en-US" },
        "results": results,
    });
    if let Ok(cwd) = std::env::current_dir() {
        if let Ok(mut base) = url::Url::from_directory_path(&cwd) {
            base.set_fragment(None);
            run["originalUriBaseIds"] = json!({ "SRCROOT": { "uri": base.as_str() } });
        }
    }
    let doc = json!({
        "$schema": "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json",
        "version": "2.1.0",
        "runs": [run],
    });
    serde_json::to_writer_pretty(&mut *out, &doc).map_err(std::io::Error::other)?;
    writeln!(out)
}

/// Escapes the message of a GitHub Actions workflow command.
fn gha_data(s: &str) -> String {
    s.replace('%', "%25").replace('\r', "%0D").replace('\n', "%0A")
}

/// Escapes a property (`file=`, `title=`) of a GitHub Actions workflow command.
fn gha_property(s: &str) -> String {
    gha_data(s).replace(':', "%3A").replace(',', "%2C")
}

/// A workflow command per finding (`::error` for SKALL, `::warning` for BÖR), which GitHub
/// shows as an annotation on the file and line, then the summary as a plain line.
pub fn github_actions(l: &Linted, out: &mut dyn Write) -> std::io::Result<()> {
    for (f, s) in l.ordered() {
        let command = match f.level {
            RuleLevel::Skall => "error",
            RuleLevel::Bor => "warning",
        };
        let mut props = format!("file={}", gha_property(l.file_name(f)));
        if let Some(s) = s {
            props.push_str(&format!(",line={},col={}", s.line, s.column));
        }
        let title = format!("{} ({})", f.rule, f.level.label_in(l.lang));
        writeln!(out, "::{command} {props},title={}::{}", gha_property(&title), gha_data(&f.message.get(l.lang)))?;
    }
    writeln!(out, "{}", l.summary())
}

/// GitLab Code Quality JSON: an issue per finding, SKALL as `major` and BÖR as `minor`,
/// with a fingerprint that stays the same while the finding does (the rule, the file and
/// the JSON pointer, not the line).
pub fn gitlab(l: &Linted, out: &mut dyn Write) -> std::io::Result<()> {
    use sha2::{Digest, Sha256};
    let mut seen = std::collections::HashSet::new();
    let issues: Vec<_> = l
        .located()
        .map(|(f, s)| {
            let path = l.file_name(f).trim_start_matches("./").replace('\\', "/");
            // In English whatever `--lang` says, so the fingerprint does not change with it.
            let english = f.message.get(Lang::En);
            let mut n = 0;
            let fingerprint = loop {
                let mut h = Sha256::new();
                for part in [f.rule, path.as_str(), f.pointer.as_str(), english.as_str()] {
                    h.update(part.as_bytes());
                    h.update([0]);
                }
                h.update(n.to_string().as_bytes());
                let hex = hex::encode(h.finalize());
                if seen.insert(hex.clone()) {
                    break hex[..32].to_string();
                }
                n += 1;
            };
            json!({
                "description": format!("{} ({}): {}", f.rule, f.level.label_in(l.lang), f.message.get(l.lang)),
                "check_name": f.rule,
                "fingerprint": fingerprint,
                "severity": match f.level { RuleLevel::Skall => "major", RuleLevel::Bor => "minor" },
                "location": { "path": path, "lines": { "begin": s.map_or(1, |s| s.line) } },
            })
        })
        .collect();
    serde_json::to_writer_pretty(&mut *out, &issues).map_err(std::io::Error::other)?;
    writeln!(out)
}

/// The reconciliation sheet of a lint (docs/procurement.md): one row per rule of the
/// profile, broken (EJ OK, `fail`) with the places of its findings as evidence, kept (OK,
/// `pass`), or left out by `--ignore` or the settings file (N/A, `ignored`).
pub fn reconciliation(l: &Linted) -> crate::export::Table {
    use crate::export::reconciliation::Status;
    use crate::messages::Text;
    let located: Vec<(&Finding, Option<Span>)> = l.located().collect();
    let file = &l.api.docs[0].file.name;
    let rows = super::rule_table()
        .into_iter()
        .map(|(id, level, text)| {
            let places: Vec<String> = located
                .iter()
                .filter(|(f, _)| f.rule == id)
                .map(|(f, s)| match s {
                    Some(s) => format!("{}:{}", l.file_name(f), s.line),
                    None => format!("{}#{}", l.file_name(f), f.pointer),
                })
                .collect();
            let (status, verdict, evidence) = if l.ignored.contains(&id) {
                (Status::NotApplicable, "ignored", Text::RuleIgnored.get(l.lang).to_string())
            } else if places.is_empty() {
                (Status::Ok, "pass", String::new())
            } else {
                (Status::NotOk, "fail", places.join(", "))
            };
            let cells = [file, id, level.label_in(l.lang), text.get(l.lang), status.word(), verdict, &evidence];
            cells.into_iter().map(str::to_string).collect()
        })
        .collect();
    let header = [Text::Document, Text::Rule, Text::Level, Text::Title, Text::Status, Text::Verdict, Text::Evidence]
        .into_iter()
        .map(|t| t.get(l.lang).to_string())
        .collect();
    crate::export::Table { sheet: "api-profile".into(), header, rows }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_terminal_gets_long_lines_wrapped_under_their_text_and_a_log_gets_them_whole() {
        let text = "GET /{municipalityId}/contracts: `page` does not start at 1 (set minimum: 1)";
        let lines: Vec<String> = wrapped("  245:9  ", text, Some(40)).lines().map(String::from).collect();
        assert!(lines.len() > 1 && lines.iter().all(|l| l.chars().count() <= 40), "{lines:?}");
        assert!(lines[0].starts_with("  245:9  GET") && lines[1].starts_with("         "), "{lines:?}");
        assert_eq!(wrapped("  245:9  ", text, None), format!("  245:9  {text}"));
    }

    /// Thousands of findings in one file are placed, listed and shown with their snippets
    /// reading the file a bounded number of times (once to place them all), not once per
    /// finding: what made the human format take minutes on GitHub's description.
    #[test]
    fn thousands_of_findings_read_their_file_a_bounded_number_of_times() {
        let mut text = String::from("openapi: 3.0.3\ninfo:\n  title: Many\n  version: 1.0.0\npaths:\n");
        for i in 0..1500 {
            text.push_str(&format!(
                "  /things{i}:\n    get:\n      operationId: getThing{i}\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema: {{ type: object }}\n"
            ));
        }
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("many.yaml");
        std::fs::write(&path, &text).unwrap();
        let api = ApiDoc::load(&path, &Default::default()).unwrap();
        let file = api.docs[0].file.clone();
        let findings = super::super::lint(&api, &[]);
        assert!(findings.len() >= 3000, "{} findings", findings.len());
        let before = file.scans();
        let linted = Linted::new(&api, &findings, &[], Lang::En);
        let mut out = Vec::new();
        compact(&linted, Some(80), false, &mut out).unwrap();
        let renderer = crate::diag::Renderer::new(false);
        let shown: usize = diags(&linted).iter().map(|d| renderer.render(d).len()).sum();
        assert!(shown > 0 && !out.is_empty());
        let scans = file.scans() - before;
        assert!(scans <= 2, "{scans} scans of the file for {} findings", findings.len());
    }

    #[test]
    fn workflow_command_values_are_escaped() {
        assert_eq!(gha_data("50%\r\nnext: a, b"), "50%25%0D%0Anext: a, b");
        assert_eq!(gha_property("a: b, c%\n"), "a%3A b%2C c%25%0A");
    }
}
