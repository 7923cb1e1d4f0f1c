//! Commands: each turns parsed arguments into work and returns an exit code. Every command
//! writes to a [`Console`]: the process's stdout and stderr in `main`, buffers in tests, so
//! each command's output can be tested in-process.

/// Writes a line to the console's output (stdout): what the command produces.
macro_rules! outln {
    ($io:expr) => {{
        let _ = writeln!($io.out);
    }};
    ($io:expr, $($arg:tt)*) => {{
        let _ = writeln!($io.out, $($arg)*);
    }};
}

/// Writes to the console's output without a line end.
macro_rules! out {
    ($io:expr, $($arg:tt)*) => {{
        let _ = write!($io.out, $($arg)*);
    }};
}

/// Writes a line to the console's error stream (stderr): what the command tells.
macro_rules! errln {
    ($io:expr) => {{
        let _ = writeln!($io.err);
    }};
    ($io:expr, $($arg:tt)*) => {{
        let _ = writeln!($io.err, $($arg)*);
    }};
}

mod arazzo;
mod diff;
mod fleet;
mod lint;
mod merge;
mod models;
mod processes;
mod register;
mod report;
mod run;
mod scaffold;
mod since;
mod source;

use std::io::Write;
use std::path::Path;

use clap::CommandFactory;
use comfy_table::{presets, Cell, ContentArrangement, Table};
use serde::Serialize;

use crate::catalogue::openapi::{ApiDoc, LoadOptions};
use crate::catalogue::{Catalogue, Spec};
use crate::check;
use crate::cli::{CatalogueArgs, CatalogueCommand, CheckArgs, Cli, Command, OutputFormat, PageFormat, ReportCommand};
use crate::model::{Lang, Level};
mod pages;
use crate::diag::{self, Diag, Renderer};
use crate::error::{Failure, Outcome, EXIT_INVALID_INPUT, EXIT_OK};

/// How many warnings a large OpenAPI document shows before summarising the rest.
const MAX_SHOWN_WARNINGS: usize = 20;

/// Where a command writes: `out` for what it produces (stdout), `err` for what it tells
/// (stderr: diagnostics, warnings, progress notes).
pub struct Console<'a> {
    pub out: &'a mut dyn Write,
    pub err: &'a mut dyn Write,
}

/// Runs a command; the one place where a failure is shown and becomes its exit code.
pub fn run(command: Command, color: bool, io: &mut Console<'_>) -> u8 {
    match dispatch(command, color, io) {
        Ok(code) => code,
        Err(Failure::Diagnosed) => EXIT_INVALID_INPUT,
        Err(Failure::BrokenPipe) => crate::error::EXIT_BROKEN_PIPE,
        // The preflight's paragraph is complete, in the run's language.
        Err(failure @ Failure::Preflight(_)) => {
            errln!(io, "{failure}");
            failure.exit_code()
        }
        Err(failure) => {
            errln!(io, "error: {failure}");
            failure.exit_code()
        }
    }
}

fn dispatch(command: Command, color: bool, io: &mut Console<'_>) -> Outcome {
    let renderer = Renderer::new(color);
    match command {
        Command::Check(args) => check_command(io, &args, &renderer),
        Command::Catalogue(CatalogueCommand::List(args)) => catalogue_list(io, &args, &renderer),
        Command::Catalogue(CatalogueCommand::Show { spec, args }) => catalogue_show(io, &spec, &args, &renderer),
        Command::Catalogue(CatalogueCommand::Export { dir, force, lang }) => catalogue_export(io, &dir, force, lang),
        Command::Catalogue(CatalogueCommand::Bundle { spec, output, catalogue, lang }) => {
            let args = CatalogueArgs { catalogue, format: PageFormat::Human, lang, at: None };
            catalogue_bundle(io, &spec, output.as_deref(), &args, &renderer)
        }
        Command::Catalogue(CatalogueCommand::ExportRequirements(args)) => {
            catalogue_export_requirements(io, &args, &renderer)
        }
        Command::Export(crate::cli::ExportCommand::Arazzo(args)) => arazzo::export_command(io, &args, &renderer),
        Command::Import(crate::cli::ImportCommand::Arazzo(args)) => arazzo::import_command(io, &args, &renderer),
        Command::Run(args) => match (&args.targets, &args.out_dir) {
            (Some(fleet), Some(out_dir)) => fleet::fleet_command(io, &args, fleet, out_dir, &renderer),
            _ => run::run_command(io, &args, &renderer, color),
        },
        Command::Demo(args) => run::demo_command(io, &args, &renderer, color),
        Command::Serve(cmd) => run::serve_command(io, cmd),
        Command::Report { action: Some(ReportCommand::Merge(args)), .. } => {
            merge::merge_command(io, &args, &renderer, color)
        }
        Command::Report { schema: true, .. } => {
            out!(io, "{}", crate::report::render::json_schema());
            Ok(EXIT_OK)
        }
        Command::Report { report: Some(report), format, output, lang, normalize, public_key, delimiter, .. } => {
            let options = report::RenderOptions { format, lang, normalize, delimiter };
            report::report_command(io, &report, &options, output.as_deref(), public_key.as_deref())
        }
        Command::Report { report: None, .. } => Err(Failure::InvalidInput("name a report, or pass --schema".into())),
        Command::Keygen { private, public } => report::keygen_command(io, &private, &public),
        Command::Attest(crate::cli::AttestCommand::Sign { file, sign_key, output }) => {
            report::attest_sign_command(io, &file, &sign_key, output.as_deref())
        }
        Command::Verify { report, public_key, catalogue, require_signature, at, lang, format } => {
            let catalogue = source::resolve(catalogue.as_deref(), io, lang)?;
            let options = report::VerifyOptions {
                public_key: public_key.as_deref(),
                catalogue: &catalogue,
                require_signature,
                at,
            };
            report::verify_command(io, &report, &options, lang, format)
        }
        Command::Lint(args) => lint::lint_command(io, &args, &renderer),
        Command::Mock { target, port, host, catalogue, base_path, no_auth, token, stateful, seed } => {
            let auth = match (no_auth, token) {
                (true, _) => crate::mock::Auth::Off,
                (false, Some(t)) => crate::mock::Auth::Token(t),
                (false, None) => crate::mock::Auth::Any,
            };
            let options = crate::mock::Options { base_path, auth, stateful, seed };
            mock_command(io, &target, std::net::SocketAddr::new(host, port), catalogue.as_deref(), options, &renderer)
        }
        Command::Scaffold { openapi, id, spec_version, out, allow_remote_refs, languages, lang } => {
            let catalogue = scaffold::catalogue_of(out.as_deref(), &id);
            let declared = crate::catalogue::lifecycle::CatalogueRules::load(&catalogue)
                .ok()
                .flatten()
                .and_then(|(_, rules)| rules.languages);
            let languages = crate::catalogue::languages::resolve(languages.as_deref(), declared.as_deref());
            let options = crate::scaffold::Options { id, version: spec_version, languages };
            scaffold::scaffold_command(io, &openapi, options, out.as_deref(), allow_remote_refs, lang, &renderer)
        }
        Command::Diff(args) => diff::diff_command(io, &args, &renderer),
        Command::Register(command) => register::register_command(io, command),
        Command::Completions { shell } => {
            clap_complete::generate(shell, &mut Cli::command(), "konform", &mut io.out);
            Ok(EXIT_OK)
        }
        Command::Man { dir: None } => {
            let page = clap_mangen::Man::new(Cli::command());
            page.render(&mut io.out)
                .map(|()| EXIT_OK)
                .map_err(|e| Failure::Incomplete(format!("cannot write the man page: {e}")))
        }
        Command::Man { dir: Some(dir) } => {
            let failed =
                |e: std::io::Error| Failure::Incomplete(format!("cannot write man pages into {}: {e}", dir.display()));
            std::fs::create_dir_all(&dir).map_err(failed)?;
            clap_mangen::generate_to(Cli::command(), &dir).map_err(failed)?;
            errln!(io, "wrote {} man pages into {}", man_pages(&Cli::command()), dir.display());
            Ok(EXIT_OK)
        }
    }
}

/// How many pages `clap_mangen::generate_to` writes: one for the command and one for each
/// subcommand it does not hide, at every depth.
fn man_pages(cmd: &clap::Command) -> usize {
    1 + cmd.get_subcommands().filter(|s| !s.is_hide_set() && s.get_name() != "help").map(man_pages).sum::<usize>()
}

pub(crate) fn print_diags(io: &mut Console<'_>, renderer: &Renderer, diags: &[Diag], limit_warnings: Option<usize>) {
    let stderr = &mut *io.err;
    let mut shown_warnings = 0;
    let mut hidden = 0;
    for d in diags {
        if d.level == diag::Level::Warning {
            if limit_warnings.is_some_and(|l| shown_warnings >= l) {
                hidden += 1;
                continue;
            }
            shown_warnings += 1;
        }
        let _ = write!(stderr, "{}", renderer.render(d));
    }
    if hidden > 0 {
        let _ = writeln!(stderr, "... and {hidden} more warnings");
    }
}

#[derive(Serialize)]
struct DiagJson<'a> {
    level: diag::Level,
    code: &'a str,
    message: &'a str,
    file: Option<&'a str>,
    line: Option<usize>,
    column: Option<usize>,
    help: Option<&'a str>,
}

fn diags_json(diags: &[Diag]) -> Vec<DiagJson<'_>> {
    diags
        .iter()
        .map(|d| DiagJson {
            level: d.level,
            code: d.code,
            message: &d.message,
            file: d.file.as_ref().map(|f| f.name.as_str()),
            line: d.span.map(|s| s.line),
            column: d.span.map(|s| s.column),
            help: d.help.as_deref(),
        })
        .collect()
}

fn print_json<T: Serialize>(io: &mut Console<'_>, value: &T) {
    let _ = serde_json::to_writer_pretty(&mut io.out, value);
    outln!(io);
}

fn has_errors(diags: &[Diag]) -> bool {
    diags.iter().any(|d| d.level == diag::Level::Error)
}

fn check_command(io: &mut Console<'_>, args: &CheckArgs, renderer: &Renderer) -> Outcome {
    let options = LoadOptions { allow_remote_refs: args.allow_remote_refs, ..LoadOptions::default() };
    if let Some(path) = args.path.as_deref().filter(|p| p.is_file()) {
        return Ok(check_openapi_file(io, path, &options, args.format, renderer));
    }
    let source = source::resolve(args.path.as_deref(), io, Lang::En)?;
    let (catalogue, mut diags) = Catalogue::load(&source.root, &options);
    for spec in &catalogue.specs {
        if let Some(api) = &spec.api {
            diags.extend(api.compile_all_schemas().1);
        }
    }
    diags.extend(check::check_catalogue(&catalogue));
    for spec in &catalogue.specs {
        diags.extend(crate::generate::section_findings(spec));
    }
    diags.sort_by_key(|d| d.level);
    let summary = check::summarize(&catalogue, &diags);
    match args.format {
        OutputFormat::Json => {
            print_json(io, &serde_json::json!({ "summary": summary, "diagnostics": diags_json(&diags) }))
        }
        OutputFormat::Human => {
            print_diags(io, renderer, &diags, None);
            outln!(
                io,
                "checked {} ({} specification{}, {} requirements, {} scenarios, {} steps): {} error{}, {} warning{}",
                source.shown(),
                summary.specifications,
                plural(summary.specifications),
                summary.requirements,
                summary.scenarios,
                summary.steps,
                summary.errors,
                plural(summary.errors),
                summary.warnings,
                plural(summary.warnings),
            );
        }
    }
    Ok(if has_errors(&diags) { EXIT_INVALID_INPUT } else { EXIT_OK })
}

fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

#[derive(Serialize)]
struct OpenApiSummary<'a> {
    file: &'a str,
    openapi: &'a str,
    title: &'a str,
    operations: usize,
    schemas: usize,
    compiled_schemas: usize,
    files: usize,
}

fn check_openapi_file(
    io: &mut Console<'_>,
    path: &Path,
    options: &LoadOptions,
    format: OutputFormat,
    renderer: &Renderer,
) -> u8 {
    let name = crate::source::display_path(path);
    let api = match ApiDoc::load(path, options) {
        Ok(api) => api,
        Err(diags) => {
            match format {
                OutputFormat::Json => {
                    print_json(io, &serde_json::json!({ "file": name, "ok": false, "diagnostics": diags_json(&diags) }))
                }
                OutputFormat::Human => {
                    print_diags(io, renderer, &diags, Some(MAX_SHOWN_WARNINGS));
                    outln!(io, "{name}: invalid ({} error{})", diags.len(), plural(diags.len()));
                }
            }
            return EXIT_INVALID_INPUT;
        }
    };
    let (compiled, mut diags) = api.compile_all_schemas();
    diags.extend(api.warnings.iter().cloned());
    diags.sort_by_key(|d| d.level);
    let summary = OpenApiSummary {
        file: &name,
        openapi: &api.declared_version,
        title: &api.title,
        operations: api.operations.len(),
        schemas: api.component_schema_count(),
        compiled_schemas: compiled,
        files: api.docs.len(),
    };
    let ok = !has_errors(&diags);
    match format {
        OutputFormat::Json => {
            print_json(io, &serde_json::json!({ "summary": summary, "ok": ok, "diagnostics": diags_json(&diags) }))
        }
        OutputFormat::Human => {
            print_diags(io, renderer, &diags, Some(MAX_SHOWN_WARNINGS));
            let files = if api.docs.len() > 1 { format!(", {} files", api.docs.len()) } else { String::new() };
            let warnings = diags.iter().filter(|d| d.level == diag::Level::Warning).count();
            let verdict = if ok { "ok" } else { "invalid" };
            outln!(
                io,
                "{name}: {verdict}: OpenAPI {}, {} operations, {} schemas ({} compiled){files}, {} warning{}",
                api.declared_version,
                summary.operations,
                summary.schemas,
                compiled,
                warnings,
                plural(warnings)
            );
        }
    }
    if ok {
        EXIT_OK
    } else {
        EXIT_INVALID_INPUT
    }
}

/// Loads the catalogue for browsing; problems are summarised, not fatal, unless nothing
/// loaded (then the diagnostics are shown and the command fails).
fn load_for_browsing(
    io: &mut Console<'_>,
    args: &CatalogueArgs,
    renderer: &Renderer,
) -> Result<(source::CatalogueSource, Catalogue), Failure> {
    let source = source::resolve(args.catalogue.as_deref(), io, args.lang)?;
    let (catalogue, diags) = Catalogue::load(&source.root, &LoadOptions::default());
    let errors = diags.iter().filter(|d| d.level == diag::Level::Error).count();
    if catalogue.specs.is_empty() {
        print_diags(io, renderer, &diags, None);
        return Err(Failure::Diagnosed);
    }
    if errors > 0 {
        errln!(
            io,
            "warning: the catalogue has {errors} error{}; run `konform check {}` for details",
            plural(errors),
            source.shown()
        );
    }
    Ok((source, catalogue))
}

#[derive(Serialize)]
struct SpecListing<'a> {
    id: &'a str,
    version: String,
    /// The declared status, or with `--at` the state on that day.
    status: String,
    #[serde(skip_serializing_if = "crate::catalogue::lifecycle::Lifecycle::is_empty")]
    lifecycle: &'a crate::catalogue::lifecycle::Lifecycle,
    domain: &'a str,
    title: &'a str,
    requirements: LevelCounts,
    scenarios: usize,
    covered: usize,
    coverage_percent: f64,
}

#[derive(Serialize, Default)]
struct LevelCounts {
    must: usize,
    should: usize,
    may: usize,
}

fn listing<'a>(spec: &'a Spec, lang: Lang, at: Option<crate::model::Date>) -> SpecListing<'a> {
    let mut counts = LevelCounts::default();
    for r in &spec.requirements {
        match r.level {
            Level::Must => counts.must += 1,
            Level::Should => counts.should += 1,
            Level::May => counts.may += 1,
        }
    }
    let covered = spec.covered_count();
    let coverage_percent = if spec.requirements.is_empty() {
        0.0
    } else {
        (covered as f64 * 1000.0 / spec.requirements.len() as f64).round() / 10.0
    };
    SpecListing {
        id: &spec.meta.id,
        version: spec.meta.version.to_string(),
        status: at.map_or(spec.meta.status, |day| spec.state_at(day)).to_string(),
        lifecycle: &spec.meta.lifecycle,
        domain: &spec.meta.domain,
        title: spec.meta.title.get(lang),
        requirements: counts,
        scenarios: spec.scenario_count(),
        covered,
        coverage_percent,
    }
}

fn table() -> Table {
    let mut t = Table::new();
    t.load_preset(presets::UTF8_FULL_CONDENSED).set_content_arrangement(ContentArrangement::Dynamic);
    t.set_width(terminal_width());
    t
}

/// Width for tables: `COLUMNS` when set, else the terminal's, else 120.
pub(crate) fn terminal_width() -> u16 {
    columns_set().or_else(|| terminal_size::terminal_size().map(|(w, _)| w.0)).unwrap_or(120)
}

/// How wide the terminal is, to wrap text to: `COLUMNS` when set, else what the terminal
/// says. Output into a pipe or a file is never wrapped (`None`).
pub(crate) fn wrap_width() -> Option<usize> {
    use std::io::IsTerminal;
    if !std::io::stdout().is_terminal() {
        return None;
    }
    columns_set().or_else(|| terminal_size::terminal_size().map(|(w, _)| w.0)).filter(|n| *n > 20).map(usize::from)
}

fn columns_set() -> Option<u16> {
    std::env::var("COLUMNS").ok().and_then(|c| c.parse().ok()).filter(|n| *n > 20)
}

fn catalogue_list(io: &mut Console<'_>, args: &CatalogueArgs, renderer: &Renderer) -> Outcome {
    let (source, catalogue) = load_for_browsing(io, args, renderer)?;
    // With `--at`: what was in force that day, in the state it was in.
    let in_force = |s: &&Spec| args.at.is_none_or(|day| s.in_force_at(day));
    let rows: Vec<SpecListing> =
        catalogue.specs.iter().filter(in_force).map(|s| listing(s, args.lang, args.at)).collect();
    match args.format {
        PageFormat::Html => {
            return Err(Failure::InvalidInput(
                "`catalogue list` writes human, json or markdown; `catalogue show SPEC --format html` makes a page"
                    .into(),
            ));
        }
        PageFormat::Markdown => out!(io, "{}", pages::list_markdown(&catalogue, args.lang)),
        PageFormat::Json => {
            let profiles: Vec<_> = catalogue
                .profiles
                .iter()
                .map(|(_, p)| {
                    let used_by: Vec<String> = catalogue.specs.iter().filter(|s| s.meta.profiles.contains(&p.id)).map(Spec::key).collect();
                    serde_json::json!({ "id": p.id, "version": p.version.to_string(), "title": p.title.get(args.lang), "live_rules": p.rules.len(), "used_by": used_by })
                })
                .collect();
            let identity = source.identity()?;
            print_json(
                io,
                &serde_json::json!({
                    "catalogue": source.shown(),
                    "version": identity.version,
                    "fingerprint": identity.fingerprint,
                    "embedded": identity.embedded,
                    "specifications": rows,
                    "profiles": profiles,
                    "models": catalogue.models.iter().map(|m| serde_json::json!({
                        "id": m.meta.id,
                        "version": m.meta.version.to_string(),
                        "status": m.meta.status,
                        "title": m.meta.title.get(args.lang),
                        "concepts": m.concepts.iter().map(|c| c.name.as_str()).collect::<Vec<_>>(),
                        "used_by": crate::catalogue::infomodel::users(&catalogue, m).iter().map(|s| s.key()).collect::<Vec<_>>(),
                    })).collect::<Vec<_>>(),
                    "processes": catalogue.processes.iter().map(|p| serde_json::json!({
                        "id": p.meta.id,
                        "version": p.meta.version.to_string(),
                        "status": p.meta.status,
                        "title": p.meta.title.get(args.lang),
                        "states": p.meta.states.len(),
                        "transitions": p.meta.transitions.len(),
                        "implemented_by": crate::catalogue::process::implementers(&catalogue, p).iter().map(|s| s.key()).collect::<Vec<_>>(),
                    })).collect::<Vec<_>>(),
                }),
            )
        }
        PageFormat::Human => {
            let (must, should, may) =
                (Level::Must.label(args.lang), Level::Should.label(args.lang), Level::May.label(args.lang));
            let mut t = table();
            t.set_header(vec!["ID", "VERSION", "STATUS", "TITLE", must, should, may, "SCENARIOS", "COVERAGE"]);
            let specs = catalogue.specs.iter().filter(in_force);
            for (r, spec) in rows.iter().zip(specs) {
                let state = args.at.map_or(spec.meta.status, |day| spec.state_at(day));
                let lifecycle = pages::lifecycle_line(spec, args.lang);
                let status = if lifecycle.is_empty() {
                    pages::status_label(state, args.lang).to_string()
                } else {
                    format!("{}\n{lifecycle}", pages::status_label(state, args.lang))
                };
                t.add_row(vec![
                    Cell::new(r.id),
                    Cell::new(&r.version),
                    Cell::new(status),
                    Cell::new(r.title),
                    Cell::new(r.requirements.must),
                    Cell::new(r.requirements.should),
                    Cell::new(r.requirements.may),
                    Cell::new(r.scenarios),
                    Cell::new(format!(
                        "{}/{} ({}%)",
                        r.covered,
                        r.requirements.must + r.requirements.should + r.requirements.may,
                        r.coverage_percent
                    )),
                ]);
            }
            outln!(io, "{t}");
            for m in &catalogue.models {
                let line = crate::messages::ModelText::Listed {
                    model: m.key(),
                    title: m.meta.title.get(args.lang).to_string(),
                    concepts: m.concepts.iter().map(|c| c.name.clone()).collect(),
                    users: crate::catalogue::infomodel::users(&catalogue, m).len(),
                };
                outln!(io, "{}", line.get(args.lang));
            }
            for p in &catalogue.processes {
                let line = crate::messages::ProcessText::Listed {
                    process: p.key(),
                    title: p.meta.title.get(args.lang).to_string(),
                    states: p.meta.states.len(),
                    users: crate::catalogue::process::implementers(&catalogue, p).len(),
                };
                outln!(io, "{}", line.get(args.lang));
            }
            for (_, p) in &catalogue.profiles {
                let users = catalogue.specs.iter().filter(|s| s.meta.profiles.contains(&p.id)).count();
                outln!(
                    io,
                    "profile {} {} — {}: {} live rules, used by {users} specification version(s)",
                    p.id,
                    p.version,
                    p.title.get(args.lang),
                    p.rules.len()
                );
            }
        }
    }
    Ok(EXIT_OK)
}

#[derive(Serialize)]
struct RequirementListing<'a> {
    id: &'a str,
    level: Level,
    title: &'a str,
    text: &'a str,
    covered_by: Vec<&'a str>,
    /// Verified by a signed attestation, not by scenarios.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    attestation: bool,
}

fn catalogue_show(io: &mut Console<'_>, selector: &str, args: &CatalogueArgs, renderer: &Renderer) -> Outcome {
    let (_source, catalogue) = load_for_browsing(io, args, renderer)?;
    if let Some(model) = crate::catalogue::infomodel::find(&catalogue, selector) {
        return models::show(io, &catalogue, model?, args);
    }
    if let Some(process) = crate::catalogue::process::find(&catalogue, selector) {
        return processes::show(io, &catalogue, process?, args);
    }
    let spec = match catalogue.find(selector) {
        Ok(s) => s,
        Err(message) => {
            return Err(message.into());
        }
    };
    let lang = args.lang;
    let reqs: Vec<RequirementListing> = spec
        .requirements
        .iter()
        .map(|r| RequirementListing {
            id: &r.id,
            level: r.level,
            title: r.title.get(lang),
            text: r.text.get(lang),
            covered_by: spec.covering(&r.id),
            attestation: !r.verification.is_automatic(),
        })
        .collect();
    let head = listing(spec, lang, args.at);
    // What changed since the version before: the page's changelog.
    let previous = catalogue.previous(spec);
    let changelog = previous.map(|p| crate::diff::specs(p, spec));
    match args.format {
        PageFormat::Markdown => out!(io, "{}", pages::show_markdown(spec, changelog.as_ref(), lang)),
        PageFormat::Html => out!(io, "{}", pages::show_html(spec, changelog.as_ref(), lang)),
        PageFormat::Json => print_json(
            io,
            &serde_json::json!({
                "specification": head,
                "openapi": spec.api.as_ref().map(|a| serde_json::json!({
                    "file": a.docs[0].file.name, "version": a.declared_version, "operations": a.operations.len()
                })),
                "requirements": reqs,
                "changes_since_previous": changelog.as_ref().map(crate::diff::render::json_value).transpose()
                    .map_err(|e| Failure::writing("the changelog", &std::io::Error::other(e)))?,
            }),
        ),
        PageFormat::Human => {
            let state = args.at.map_or(spec.meta.status, |day| spec.state_at(day));
            outln!(io, "{} {} ({}) — {}", head.id, head.version, pages::status_label(state, lang), head.title);
            let lifecycle = pages::lifecycle_line(spec, lang);
            if !lifecycle.is_empty() {
                outln!(io, "{}: {lifecycle}", crate::messages::Text::LifecycleHeading.get(lang));
            }
            if let Some(d) = &spec.meta.description {
                outln!(io, "{}", crate::model::text::wrap(d.get(lang), wrap_width(), "", ""));
            }
            if let Some(api) = &spec.api {
                outln!(
                    io,
                    "OpenAPI {}: {} ({} operations)",
                    api.declared_version,
                    api.docs[0].file.name,
                    api.operations.len()
                );
            }
            outln!(
                io,
                "coverage: {}/{} requirements ({}%), {} scenarios",
                head.covered,
                reqs.len(),
                head.coverage_percent,
                head.scenarios
            );
            let mut t = table();
            t.set_header(vec!["ID", "LEVEL", "REQUIREMENT", "COVERED BY"]);
            for r in &reqs {
                let covered = if r.attestation {
                    crate::messages::Text::ByAttestation.get(lang).to_string()
                } else if r.covered_by.is_empty() {
                    String::from("— not covered")
                } else {
                    r.covered_by.join("\n")
                };
                t.add_row(vec![
                    Cell::new(r.id),
                    Cell::new(r.level.label(lang)),
                    Cell::new(format!("{}\n{}", r.title, r.text)),
                    Cell::new(covered),
                ]);
            }
            outln!(io, "{t}");
            if let (Some(previous), Some(diff)) = (previous, &changelog) {
                let command = format!("konform diff {} {}", previous.key(), spec.key());
                let since = crate::diff::DiffNote::ChangesSince { version: previous.meta.version.to_string(), command };
                outln!(io, "\n{}", since.line(lang));
                outln!(io, "  {}", crate::diff::render::counted(diff).line(lang));
            }
        }
    }
    Ok(EXIT_OK)
}

fn mock_command(
    io: &mut Console<'_>,
    target: &str,
    addr: std::net::SocketAddr,
    catalogue_dir: Option<&Path>,
    options: crate::mock::Options,
    renderer: &Renderer,
) -> Outcome {
    let path = Path::new(target);
    let api = if path.is_file() {
        match ApiDoc::load(path, &LoadOptions { lenient: true, ..LoadOptions::default() }) {
            Ok(api) => api,
            Err(diags) => {
                print_diags(io, renderer, &diags, Some(MAX_SHOWN_WARNINGS));
                return Err(Failure::Diagnosed);
            }
        }
    } else {
        let source = source::resolve(catalogue_dir, io, Lang::En)?;
        let (catalogue, _) = Catalogue::load(&source.root, &LoadOptions::default());
        let spec = match catalogue.find(target) {
            Ok(s) => s,
            Err(m) => {
                return Err(Failure::InvalidInput(format!("{target} is neither a file nor a specification: {m}")));
            }
        };
        match ApiDoc::load(&spec.dir.join(&spec.meta.openapi), &LoadOptions::default()) {
            Ok(api) => api,
            Err(diags) => {
                print_diags(io, renderer, &diags, None);
                return Err(Failure::Diagnosed);
            }
        }
    };
    let operations = api.operations.len();
    let mock = crate::mock::Mock::new(std::sync::Arc::new(api), options);
    let base = mock.base_path().to_string();
    let server = match crate::mock::serve(mock, addr) {
        Ok(s) => s,
        Err(e) => return Err(Failure::Incomplete(format!("cannot listen on {addr}: {e}"))),
    };
    let url = format!("{}{}", server.url(), base.trim_start_matches('/'));
    outln!(io, "{url}");
    errln!(io, "mock of {target} ({operations} operations) listening on {url}; Ctrl-C stops it");
    if let Ok(rt) = tokio::runtime::Builder::new_current_thread().enable_all().build() {
        rt.block_on(async {
            let _ = tokio::signal::ctrl_c().await;
        });
    }
    drop(server);
    Ok(EXIT_OK)
}

/// `konform catalogue export DIR`: the catalogue built into konform, written out for editing.
fn catalogue_export(io: &mut Console<'_>, dir: &Path, force: bool, lang: Lang) -> Outcome {
    use crate::catalogue::embedded::{self, ExportError};
    let files = embedded::export(dir, force).map_err(|e| match e {
        ExportError::Io { .. } => Failure::Incomplete(e.to_string()),
        _ => Failure::InvalidInput(e.to_string()),
    })?;
    let version = embedded::VERSION.map(str::to_string);
    let note = crate::messages::Note::CatalogueExported { dir: dir.display().to_string(), version, files };
    errln!(io, "{}", note.get(lang));
    Ok(EXIT_OK)
}

/// `konform catalogue export-requirements SPEC`: the requirements as CSV or xlsx.
/// `konform catalogue bundle SPEC`: the description as one document.
fn catalogue_bundle(
    io: &mut Console<'_>,
    spec: &str,
    output: Option<&Path>,
    args: &CatalogueArgs,
    renderer: &Renderer,
) -> Outcome {
    let (_source, catalogue) = load_for_browsing(io, args, renderer)?;
    let spec = catalogue.find(spec)?;
    let Some(api) = &spec.api else {
        return Err(Failure::InvalidInput(format!("{} has no OpenAPI description that loads", spec.key())));
    };
    let bundled = crate::catalogue::openapi::bundle::bundle(api)
        .map_err(|e| Failure::InvalidInput(format!("{}: cannot bundle the description: {e}", spec.key())))?;
    let render = |w: &mut dyn Write| {
        serde_json::to_writer_pretty(&mut *w, &bundled).map_err(std::io::Error::other)?;
        writeln!(w)
    };
    match output.filter(|o| o.as_os_str() != "-") {
        Some(path) => crate::report::write::report_to(path, render)?,
        None => render(&mut io.out).map_err(|e| Failure::writing("the description", &e))?,
    }
    Ok(EXIT_OK)
}

fn catalogue_export_requirements(
    io: &mut Console<'_>,
    args: &crate::cli::ExportRequirementsArgs,
    renderer: &Renderer,
) -> Outcome {
    use crate::cli::SheetFormat;
    if args.format == SheetFormat::Xlsx && args.output.as_ref().is_none_or(|o| o.as_os_str() == "-") {
        return Err(Failure::InvalidInput(
            "`--format xlsx` writes a workbook, not text: name the file with -o PATH".into(),
        ));
    }
    let browse =
        CatalogueArgs { catalogue: args.catalogue.clone(), format: PageFormat::Human, lang: args.lang, at: None };
    let (_source, catalogue) = load_for_browsing(io, &browse, renderer)?;
    let spec = catalogue.find(&args.spec)?;
    let table = crate::export::requirements::table(spec);
    let render = |w: &mut dyn Write| match args.format {
        SheetFormat::Csv => crate::export::csv(&table, args.delimiter, w),
        SheetFormat::Xlsx => w.write_all(&crate::export::xlsx(&table).map_err(std::io::Error::other)?),
    };
    match &args.output {
        Some(path) => crate::report::write::report_to(path, render)?,
        None => render(&mut io.out).map_err(|e| Failure::writing("the requirements", &e))?,
    }
    Ok(EXIT_OK)
}
