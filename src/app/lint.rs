//! `konform lint`.

use super::Console;
use std::io::Write;
use std::path::{Path, PathBuf};

use crate::catalogue::openapi::{ApiDoc, LoadOptions};
use crate::cli::{FailSeverity, LintArgs, LintFormat};
use crate::diag::Renderer;
use crate::error::{Failure, Outcome, EXIT_FAILED, EXIT_OK};
use crate::lint::{self, output, RuleLevel};

/// The settings file `konform lint` reads from the working directory when `--config` names
/// none.
pub const SETTINGS_FILE: &str = "konform-lint.toml";

/// `konform-lint.toml`.
#[derive(Debug, Default, serde::Deserialize)]
struct Settings {
    /// Rules not to check.
    #[serde(default)]
    ignore: Vec<String>,
    fail_severity: Option<FailSeverity>,
}

fn read_settings(path: &Path, io: &mut Console<'_>) -> Result<Settings, Failure> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| Failure::InvalidInput(format!("cannot read the lint settings {}: {e}", path.display())))?;
    let invalid = |e: toml::de::Error| Failure::InvalidInput(format!("{}: {e}", path.display()));
    let de = toml::Deserializer::parse(&text).map_err(invalid)?;
    let mut unknown = Vec::new();
    let settings: Settings = serde_ignored::deserialize(de, |p| unknown.push(p.to_string())).map_err(invalid)?;
    for key in unknown {
        errln!(io, "warning: {}: unknown key `{key}` is ignored", path.display());
    }
    Ok(settings)
}

/// The settings: `--config`, else `./konform-lint.toml` when there is one.
fn settings(args: &LintArgs, io: &mut Console<'_>) -> Result<(Settings, Option<PathBuf>), Failure> {
    let path = match &args.config {
        Some(p) => Some(p.clone()),
        None => Some(PathBuf::from(SETTINGS_FILE)).filter(|p| p.is_file()),
    };
    match path {
        Some(p) => Ok((read_settings(&p, io)?, Some(p))),
        None => Ok((Settings::default(), None)),
    }
}

/// The rules to leave out, each checked against the profile's rule ids.
fn ignored(args: &LintArgs, settings: &Settings, from: Option<&Path>) -> Result<Vec<&'static str>, Failure> {
    let ids = lint::rule_ids();
    let mut out = Vec::new();
    let named = args.ignore.iter().map(|r| (r, None)).chain(settings.ignore.iter().map(|r| (r, from)));
    for (rule, file) in named {
        let Some(id) = ids.iter().find(|id| id.eq_ignore_ascii_case(rule.trim())) else {
            let place = file.map(|f| format!("{}: ", f.display())).unwrap_or_default();
            let hint = crate::diag::did_you_mean_aside(rule, ids.iter().copied());
            return Err(Failure::InvalidInput(format!(
                "{place}unknown rule `{rule}` to ignore{hint}; `konform lint --list-rules` lists them"
            )));
        };
        if !out.contains(id) {
            out.push(*id);
        }
    }
    Ok(out)
}

pub fn lint_command(io: &mut Console<'_>, args: &LintArgs, renderer: &Renderer) -> Outcome {
    if args.profile != "api-profile" {
        return Err(Failure::InvalidInput(format!(
            "unknown profile `{}`; the profile is `api-profile` (DIGG's REST API profile)",
            args.profile
        )));
    }
    if args.format == LintFormat::ReconciliationXlsx && args.output.as_ref().is_none_or(|o| o.as_os_str() == "-") {
        return Err(Failure::InvalidInput(
            "`--format reconciliation-xlsx` writes a workbook, not text: name the file with -o PATH".into(),
        ));
    }
    if args.list_rules {
        for (id, level, text) in lint::rule_table() {
            outln!(io, "{id}  {:<6}  {}", level.label_in(args.lang), text.get(args.lang));
        }
        return Ok(EXIT_OK);
    }
    let Some(path) = args.openapi.as_deref() else {
        return Err(Failure::InvalidInput("name the OpenAPI document to lint (or pass --list-rules)".into()));
    };
    let (settings, settings_path) = settings(args, io)?;
    let ignored = ignored(args, &settings, settings_path.as_deref())?;
    let fail = args.fail_severity.or(settings.fail_severity).unwrap_or(FailSeverity::Error);
    if let Some(out) = &args.output {
        check_output_path(out)?;
    }
    let options = LoadOptions { allow_remote_refs: args.allow_remote_refs, lenient: true, ..LoadOptions::default() };
    let api = match ApiDoc::load(path, &options) {
        Ok(api) => api,
        Err(diags) => {
            super::print_diags(io, renderer, &diags, Some(20));
            return Err(Failure::Diagnosed);
        }
    };
    let findings = lint::lint(&api, &ignored);
    let linted = output::Linted::new(&api, &findings, &ignored, args.lang);
    let render = |out: &mut dyn Write| -> std::io::Result<()> {
        match args.format {
            LintFormat::Human if args.verbose => {
                // The file gets no colour; the terminal gets the renderer's.
                let plain;
                let r = if args.output.is_some() {
                    plain = Renderer::new(false);
                    &plain
                } else {
                    renderer
                };
                for d in output::diags(&linted) {
                    out.write_all(r.render(&d).as_bytes())?;
                }
                writeln!(out, "{}", linted.summary())
            }
            // Wrapped to the terminal's width only when written to the terminal.
            LintFormat::Human => {
                let width = args.output.is_none().then(super::wrap_width).flatten();
                output::compact(&linted, width, args.output.is_none() && renderer.color(), out)
            }
            LintFormat::Json => output::json(&linted, out),
            LintFormat::Junit => output::junit(&linted, out),
            LintFormat::Sarif => output::sarif(&linted, out),
            LintFormat::GithubActions => output::github_actions(&linted, out),
            LintFormat::Gitlab => output::gitlab(&linted, out),
            LintFormat::ReconciliationCsv => crate::export::csv(&output::reconciliation(&linted), args.delimiter, out),
            LintFormat::ReconciliationXlsx => {
                out.write_all(&crate::export::xlsx(&output::reconciliation(&linted)).map_err(std::io::Error::other)?)
            }
        }
    };
    match &args.output {
        Some(file) => write_atomically(file, render)
            .map_err(|e| Failure::Incomplete(format!("cannot write the findings to {}: {e}", file.display())))?,
        None => {
            let mut out = std::io::BufWriter::new(&mut *io.out);
            render(&mut out).and_then(|()| out.flush()).map_err(|e| Failure::writing("the findings", &e))?;
        }
    }
    let fails = findings.iter().any(|f| match fail {
        FailSeverity::Error => f.level == RuleLevel::Skall,
        FailSeverity::Warning => true,
        FailSeverity::None => false,
    });
    Ok(if fails { EXIT_FAILED } else { EXIT_OK })
}

/// `-o` into a folder that does not exist, or onto a folder, is found before any work.
fn check_output_path(path: &Path) -> Result<(), Failure> {
    let dir = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    if path.is_dir() {
        return Err(Failure::InvalidInput(format!("-o {}: is a folder, not a file", path.display())));
    }
    if !dir.is_dir() {
        return Err(Failure::InvalidInput(format!(
            "-o {}: the folder {} does not exist",
            path.display(),
            dir.display()
        )));
    }
    Ok(())
}

/// Writes the output whole to a temporary file beside `path`, then renames it into place,
/// so a reader never sees half of it.
fn write_atomically(path: &Path, render: impl FnOnce(&mut dyn Write) -> std::io::Result<()>) -> std::io::Result<()> {
    let dir = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let mut tmp = tempfile::NamedTempFile::new_in(dir)?;
    {
        let mut out = std::io::BufWriter::new(tmp.as_file_mut());
        render(&mut out)?;
        out.flush()?;
    }
    tmp.persist(path).map(|_| ()).map_err(|e| e.error)
}
