//! `konform lint`.

use super::Console;
use std::path::Path;

use crate::catalogue::openapi::{ApiDoc, LoadOptions};
use crate::cli::LintFormat;
use crate::diag::Renderer;
use crate::error::{EXIT_FAILED, EXIT_INVALID_INPUT, EXIT_OK, EXIT_RUN_ERROR};
use crate::lint::{self, output, RuleLevel};

pub fn lint_command(
    io: &mut Console<'_>,
    path: Option<&Path>,
    profile: &str,
    format: LintFormat,
    list_rules: bool,
    allow_remote_refs: bool,
    renderer: &Renderer,
) -> u8 {
    if profile != "api-profile" {
        errln!(io, "error: unknown profile `{profile}`; the profile is `api-profile` (DIGG's REST API profile)");
        return EXIT_INVALID_INPUT;
    }
    if list_rules {
        for (id, level, text) in lint::rule_table() {
            outln!(io, "{id}  {:<5}  {}", level.label(), text.en);
        }
        return EXIT_OK;
    }
    let Some(path) = path else { return EXIT_INVALID_INPUT };
    let api = match ApiDoc::load(path, &LoadOptions { allow_remote_refs, lenient: true }) {
        Ok(api) => api,
        Err(diags) => {
            super::print_diags(io, renderer, &diags, Some(20));
            return EXIT_INVALID_INPUT;
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
        errln!(io, "error: cannot write the findings: {e}");
        return EXIT_RUN_ERROR;
    }
    if skall > 0 {
        EXIT_FAILED
    } else {
        EXIT_OK
    }
}
