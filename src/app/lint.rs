//! `konform lint`.

use super::Console;
use std::path::Path;

use crate::catalogue::openapi::{ApiDoc, LoadOptions};
use crate::cli::LintFormat;
use crate::diag::Renderer;
use crate::error::{Failure, Outcome, EXIT_FAILED, EXIT_OK};
use crate::lint::{self, output, RuleLevel};

pub fn lint_command(
    io: &mut Console<'_>,
    path: Option<&Path>,
    profile: &str,
    format: LintFormat,
    list_rules: bool,
    allow_remote_refs: bool,
    renderer: &Renderer,
) -> Outcome {
    if profile != "api-profile" {
        return Err(Failure::InvalidInput(format!(
            "unknown profile `{profile}`; the profile is `api-profile` (DIGG's REST API profile)"
        )));
    }
    if list_rules {
        for (id, level, text) in lint::rule_table() {
            outln!(io, "{id}  {:<5}  {}", level.label(), text.en);
        }
        return Ok(EXIT_OK);
    }
    let Some(path) = path else {
        return Err(Failure::InvalidInput("name the OpenAPI document to lint (or pass --list-rules)".into()));
    };
    let api = match ApiDoc::load(path, &LoadOptions { allow_remote_refs, lenient: true, ..LoadOptions::default() }) {
        Ok(api) => api,
        Err(diags) => {
            super::print_diags(io, renderer, &diags, Some(20));
            return Err(Failure::Diagnosed);
        }
    };
    let findings = lint::lint(&api);
    let skall = findings.iter().filter(|f| f.level == RuleLevel::Skall).count();
    let written = match format {
        LintFormat::Human => {
            super::print_diags(io, renderer, &output::diags(&api, &findings), None);
            let rules: std::collections::BTreeSet<&str> = findings.iter().map(|f| f.rule).collect();
            outln!(
                io,
                "{}: {} SKALL and {} BÖR violations of the REST API profile ({} rules broken)",
                api.docs[0].file.name,
                skall,
                findings.len() - skall,
                rules.len()
            );
            Ok(())
        }
        LintFormat::Json => output::json(&api, &findings, &mut io.out),
        LintFormat::Junit => output::junit(&api, &findings, &mut io.out),
        LintFormat::Sarif => output::sarif(&api, &findings, &mut io.out),
    };
    if let Err(e) = written {
        return Err(Failure::writing("the findings", &e));
    }
    if skall > 0 {
        Ok(EXIT_FAILED)
    } else {
        Ok(EXIT_OK)
    }
}
