//! `konform run SPEC... --targets fleet.toml --out-dir DIR`: the same plan against many
//! vendors' targets at once. Everything that can be checked before a request is sent (the
//! fleet file, every target's credentials, CA bundles and client certificates, the
//! catalogue, the variables, the output folder) is checked for every target first: one
//! mistake is exit 2 and nothing is sent to anyone. Then each target runs on its own (its
//! own HTTP client, credentials, rate limit, concurrency and deadline), up to
//! `parallel_targets` at once; one target's preflight finding, failure or hang ends only
//! that target's run. Each target's report is written as it ends, `DIR/NAME.json` (signed
//! with `--sign-key`) and the `--out-format`s beside it; a summary table follows, and the
//! exit code is the worst of the targets' (3 > 4 > 1 > 0).

use super::Console;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Instant, SystemTime};

use futures_util::future::join_all;
use tokio::sync::Semaphore;

use crate::aggregate::{Aggregator, RunFacts};
use crate::catalogue::Catalogue;
use crate::cli::{RunArgs, RunSettings};
use crate::declared::{Clock, Declared};
use crate::diag::Renderer;
use crate::error::{Failure, Outcome, EXIT_FAILED, EXIT_OK, EXIT_PREFLIGHT, EXIT_RUN_ERROR};
use crate::exec::http::HttpClient;
use crate::exec::preflight::Preflight;
use crate::exec::{self, RunOptions, Stop};
use crate::fleet::{self, FleetTarget};
use crate::messages::{Lang, Misconfigured, Note, Text};
use crate::model::{CatalogueIdentity, Level, RunReport, SpecVerdict};
use crate::plan::Plan;
use crate::report::render::Format;
use crate::report::write;
use crate::target::{self, TargetFlags};

/// What every target's run shares.
struct Shared {
    catalogue: Arc<Catalogue>,
    plan: Plan,
    identity: CatalogueIdentity,
    declarations: Declared,
    clock: Clock,
    signing_key: Option<ed25519_dalek::SigningKey>,
    fail_on: Level,
    out_dir: PathBuf,
    formats: Vec<Format>,
    /// The field separator of `reconciliation-csv` reports.
    delimiter: crate::export::Delimiter,
}

/// How one target's run ended.
enum Ended {
    /// Judged: its report, and what went wrong writing it or reaching the target.
    Judged { report: Box<RunReport>, problems: Vec<String>, json: PathBuf },
    /// The preflight found the tester's configuration at fault: no report.
    Misconfigured(Misconfigured),
    /// The run could not go on (a task failed, the spool could not be made): no report.
    Failed(String),
}

pub fn fleet_command(
    io: &mut Console<'_>,
    args: &RunArgs,
    file: &Path,
    out_dir: &Path,
    renderer: &Renderer,
) -> Outcome {
    let settings = &args.settings;
    let flags =
        TargetFlags { vars: args.vars.clone(), public_headers: args.public_headers.clone(), ..TargetFlags::default() };
    let mut warnings = Vec::new();
    let read = fleet::read(file, &flags, &target::Env::process(), &mut warnings);
    for w in warnings {
        errln!(io, "warning: {w}");
    }
    let fleet = read?;
    let shared = prepare(io, &args.specs, settings, out_dir, &args.out_formats, renderer)?;
    for t in &fleet.targets {
        super::run::check_variables(&shared.catalogue, &shared.plan, &t.target)
            .map_err(|e| Failure::InvalidInput(format!("target {}: {e}", t.name)))?;
    }
    // Clients are set up before anything is sent: a CA bundle or client certificate one
    // target cannot use is the tester's input (exit 2), for the whole fleet.
    let mut clients = Vec::new();
    for t in &fleet.targets {
        let options = options_for(t, settings, shared.fail_on);
        let client =
            exec::client(&t.target, &options).map_err(|e| Failure::InvalidInput(format!("target {}: {e}", t.name)))?;
        clients.push((client, options));
    }
    // The last check: the folder is made only once nothing else can refuse the fleet.
    std::fs::create_dir_all(out_dir)
        .map_err(|e| Failure::InvalidInput(format!("cannot make the report folder {}: {e}", out_dir.display())))?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| Failure::Incomplete(format!("cannot start the runtime: {e}")))?;
    let stop = Stop::default();
    let at_once = Arc::new(Semaphore::new(fleet.parallel));
    // The targets' runs are polled on this thread (`join_all`), so each may say on the
    // console that it ended, as it ends.
    let console = std::cell::RefCell::new(&mut *io);
    let ended: Vec<Ended> = runtime.block_on(async {
        super::run::stop_on_signals(&stop);
        let runs = fleet.targets.iter().zip(clients).map(|(t, (client, options))| {
            let (shared, stop, at_once, console) = (&shared, stop.clone(), at_once.clone(), &console);
            async move {
                let _turn = at_once.acquire_owned().await.expect("semaphore open");
                let ended = run_target(shared, t, client, options, settings, stop).await;
                let row = row(t, &ended, code_of(&ended, settings), settings.lang);
                let note = Note::FleetTargetEnded { name: row.name, verdict: row.verdict, code: row.code };
                errln!(console.borrow_mut(), "{}", note.get(settings.lang));
                ended
            }
        });
        join_all(runs).await
    });
    runtime.shutdown_background();
    Ok(summarise(io, &fleet.targets, &ended, &shared.out_dir, settings))
}

/// Loads and checks the catalogue, plans, reads the declarations and the signing key: what
/// every target's run shares, before anything is sent.
fn prepare(
    io: &mut Console<'_>,
    selectors: &[String],
    settings: &RunSettings,
    out_dir: &Path,
    formats: &[Format],
    renderer: &Renderer,
) -> Result<Shared, Failure> {
    let super::run::Prepared { source, catalogue, plan, fail_on } =
        super::run::prepare(io, selectors, settings, renderer)?;
    let (declarations, clock) = super::run::declarations(io, renderer, &catalogue, &settings.declared)?;
    let signing_key = settings.sign_key.as_deref().map(crate::report::sign::read_signing_key).transpose()?;
    let mut formats: Vec<Format> = formats.iter().copied().filter(|f| *f != Format::Json).collect();
    formats.dedup();
    let identity = source.identity()?;
    Ok(Shared {
        catalogue: Arc::new(catalogue),
        plan,
        identity,
        declarations,
        clock,
        signing_key,
        fail_on,
        out_dir: out_dir.to_path_buf(),
        formats,
        delimiter: settings.delimiter,
    })
}

/// A target's run options: its own concurrency, deadline and rate limit over the flags'.
fn options_for(t: &FleetTarget, settings: &RunSettings, fail_on: Level) -> RunOptions {
    let default = RunOptions::default();
    RunOptions {
        jobs: t.concurrency.or(settings.jobs).unwrap_or(default.jobs),
        timeout: settings.timeout.or(t.target.timeout).unwrap_or(default.timeout),
        deadline: t.deadline.or(settings.deadline),
        max_body: settings.max_body,
        evidence_limit: settings.evidence_limit,
        retries: settings.retries,
        fail_on,
        rate_limit: t.target.rate_limit.or(settings.rate_limit),
    }
}

/// The file of a target's report in `format`.
fn report_path(dir: &Path, name: &str, format: Format) -> PathBuf {
    let extension = match format {
        Format::Json => "json",
        Format::Junit => "junit.xml",
        Format::Html => "html",
        Format::Markdown => "md",
        Format::Text => "txt",
        Format::ReconciliationCsv => "reconciliation.csv",
        Format::ReconciliationXlsx => "reconciliation.xlsx",
    };
    dir.join(format!("{name}.{extension}"))
}

/// One target: preflight, scenarios and report, all within its deadline (counted from the
/// moment it starts, the preflight included).
async fn run_target(
    shared: &Shared,
    t: &FleetTarget,
    client: HttpClient,
    options: RunOptions,
    settings: &RunSettings,
    stop: Stop,
) -> Ended {
    let started = Instant::now();
    let deadline = options.deadline.map(|d| started + d);
    let mut aggregator = match Aggregator::new(&shared.catalogue, &shared.plan) {
        Ok(a) => a,
        Err(e) => return Ended::Failed(e.to_string()),
    };
    let mut late = None;
    if !settings.no_preflight && t.target.preflight {
        let probing = exec::preflight::preflight(&client, &shared.catalogue, &shared.plan, &t.target, &stop);
        // A preflight still waiting at the deadline leaves the scenarios no time: they are
        // reported as not run, and the run as interrupted.
        let found = match deadline {
            Some(at) => tokio::time::timeout_at(at.into(), probing).await.ok(),
            None => Some(probing.await),
        };
        match found {
            Some(Preflight::Misconfigured(m)) => return Ended::Misconfigured(m),
            Some(_) => {}
            None => late = Some(Note::PreflightPastDeadline.get(settings.lang)),
        }
    }
    let remaining = deadline.map(|at| at.saturating_duration_since(Instant::now()));
    let options = RunOptions { deadline: remaining, ..options };
    let mut emit = |event| aggregator.take(event);
    let executed =
        exec::execute(shared.catalogue.clone(), &shared.plan, client, &t.target, &options, &mut emit, stop).await;
    let ran = match executed {
        Ok(ran) => ran,
        Err(e) => return Ended::Failed(t.target.redactor.text(&e.to_string())),
    };
    let mut report = match aggregator.finish(facts(shared, t, &ran, settings)) {
        Ok(report) => report,
        Err(e) => return Ended::Failed(e.to_string()),
    };
    crate::declared::apply(&mut report, &shared.declarations, shared.clock);
    let mut problems: Vec<String> = late.into_iter().collect();
    if !ran.any_response && problems.is_empty() && report.counts.steps_error > 0 {
        problems.push(format!("no response was received from {}: the target is unreachable", report.target.base_url));
    }
    if let Some(key) = &shared.signing_key {
        if let Err(e) = crate::report::sign::sign(&mut report, key) {
            return Ended::Failed(e.to_string());
        }
    }
    let json = report_path(&shared.out_dir, &t.name, Format::Json);
    problems.extend(write_reports(shared, &t.name, &report, settings.lang));
    Ended::Judged { report: Box::new(report), problems, json }
}

fn facts(shared: &Shared, t: &FleetTarget, ran: &exec::Ran, settings: &RunSettings) -> RunFacts {
    let target = &t.target;
    let valid_until = super::run::valid_until(&shared.catalogue, &shared.plan, ran.started, settings.valid_for);
    RunFacts {
        target: crate::model::Target {
            base_url: target.redactor.text(target.base_url.as_str()),
            vendor: target.vendor.clone(),
            product: target.product.clone(),
            product_version: target.product_version.clone(),
        },
        started: humantime::format_rfc3339_millis(ran.started).to_string(),
        finished: humantime::format_rfc3339_millis(SystemTime::now()).to_string(),
        duration_ms: exec::ms(ran.elapsed),
        fail_on: shared.fail_on,
        interrupted: ran.interrupted,
        https: target.base_url.scheme() == "https",
        issuer: settings.issuer.clone(),
        valid_until: humantime::format_rfc3339_millis(valid_until).to_string(),
        catalogue: Some(shared.identity.clone()),
        target_identity: target.redactor.text(target.base_url.as_str()),
    }
}

/// Writes a target's JSON report and its other formats; what could not be written, as problems.
fn write_reports(shared: &Shared, name: &str, report: &RunReport, lang: Lang) -> Vec<String> {
    let suite = &|file: &str, line: usize| shared.catalogue.suite_line(file, line);
    let seal = crate::report::sign::seal_of_run(report);
    let formats = std::iter::once(Format::Json).chain(shared.formats.iter().copied());
    formats
        .filter_map(|format| {
            let path = report_path(&shared.out_dir, name, format);
            write::report_to(&path, |w| {
                crate::report::render::render(format, report, lang, suite, &seal, shared.delimiter, w)
            })
            .err()
            .map(|e| e.to_string())
        })
        .collect()
}

/// A target's exit code, by the run's contract.
fn code_of(ended: &Ended, settings: &RunSettings) -> u8 {
    match ended {
        Ended::Judged { problems, .. } if !problems.is_empty() => EXIT_RUN_ERROR,
        Ended::Judged { report, .. } => super::run::exit_code(report, settings.gate),
        Ended::Misconfigured(_) => EXIT_PREFLIGHT,
        Ended::Failed(_) => EXIT_RUN_ERROR,
    }
}

/// The fleet's exit code: the worst of its targets', worst first 3 (a run that could not
/// complete: nothing is known of that vendor), 4 (the tester's configuration of a target is
/// at fault), 1 (a vendor failed), 0.
pub fn worst(codes: impl IntoIterator<Item = u8>) -> u8 {
    let rank = |code: u8| match code {
        EXIT_OK => 0,
        EXIT_FAILED => 1,
        EXIT_PREFLIGHT => 2,
        _ => 3,
    };
    codes.into_iter().max_by_key(|c| rank(*c)).unwrap_or(EXIT_OK)
}

/// Says what went wrong per target (stderr), then the table (stdout); returns the exit code.
fn summarise(
    io: &mut Console<'_>,
    targets: &[FleetTarget],
    ended: &[Ended],
    out_dir: &Path,
    settings: &RunSettings,
) -> u8 {
    let lang = settings.lang;
    let width = usize::from(super::terminal_width()).min(100);
    for (t, e) in targets.iter().zip(ended) {
        let problems: Vec<String> = match e {
            Ended::Judged { problems, .. } => problems.clone(),
            Ended::Misconfigured(m) => vec![Note::Preflight(m.clone()).get(lang)],
            Ended::Failed(why) => vec![why.clone()],
        };
        for problem in problems {
            let said = Note::FleetTarget { name: t.name.clone(), problem }.get(lang);
            errln!(io, "{}", super::run::wrap(&said, width));
        }
    }
    let codes: Vec<u8> = ended.iter().map(|e| code_of(e, settings)).collect();
    let rows: Vec<Row> = targets.iter().zip(ended).zip(&codes).map(|((t, e), code)| row(t, e, *code, lang)).collect();
    out!(io, "{}", table(&rows, lang, width));
    outln!(io, "{}", Note::FleetReports { dir: out_dir.display().to_string() }.get(lang));
    let code = worst(codes);
    errln!(io, "{}", Note::FleetExit { code }.get(lang));
    code
}

/// One line of the summary.
struct Row {
    name: String,
    verdict: String,
    counts: Option<[usize; 3]>,
    code: u8,
    file: String,
}

fn row(t: &FleetTarget, ended: &Ended, code: u8, lang: Lang) -> Row {
    let (verdict, counts, file) = match ended {
        Ended::Judged { report, json, .. } => {
            let c = &report.counts;
            let verdict = if report.interrupted {
                Text::InterruptedUpper
            } else if code == EXIT_RUN_ERROR {
                Text::NotCompletedUpper
            } else if report.verdict == SpecVerdict::Certified {
                Text::Certified
            } else {
                Text::NotCertified
            };
            let file = json.file_name().map(|f| f.to_string_lossy().into_owned()).unwrap_or_default();
            (
                verdict,
                Some([c.requirements_passed, c.requirements_failed, c.requirements_error + c.requirements_blocked]),
                file,
            )
        }
        Ended::Misconfigured(_) => (Text::MisconfiguredUpper, None, "-".into()),
        Ended::Failed(_) => (Text::NotCompletedUpper, None, "-".into()),
    };
    Row { name: t.name.clone(), verdict: verdict.get(lang).to_string(), counts, code, file }
}

/// The table, its columns as wide as their widest cell; the report column is left out
/// when the table would be wider than `width` (the files are named by the targets).
fn table(rows: &[Row], lang: Lang, width: usize) -> String {
    let heads = [
        Text::Target.get(lang),
        Text::Verdict.get(lang),
        Text::FleetCounts.get(lang),
        Text::ExitCode.get(lang),
        Text::Report.get(lang),
    ];
    let cells: Vec<[String; 5]> = rows
        .iter()
        .map(|r| {
            let counts = r.counts.map_or("-".to_string(), |[p, f, e]| format!("{p}/{f}/{e}"));
            [r.name.clone(), r.verdict.clone(), counts, r.code.to_string(), r.file.clone()]
        })
        .collect();
    let chars = |s: &str| s.chars().count();
    let widths: Vec<usize> =
        (0..5).map(|i| cells.iter().map(|c| chars(&c[i])).chain([chars(heads[i])]).max().unwrap_or(0)).collect();
    let full: usize = widths.iter().sum::<usize>() + 2 * 4;
    let columns = if full > width { 4 } else { 5 };
    let line = |cells: &[&str]| {
        let mut out = String::new();
        for (i, cell) in cells.iter().enumerate().take(columns) {
            let pad = widths[i].saturating_sub(chars(cell));
            let numeric = (2..=3).contains(&i);
            let gap = if i == 0 { "" } else { "  " };
            if numeric {
                out.push_str(&format!("{gap}{}{cell}", " ".repeat(pad)));
            } else if i + 1 == columns {
                out.push_str(&format!("{gap}{cell}"));
            } else {
                out.push_str(&format!("{gap}{cell}{}", " ".repeat(pad)));
            }
        }
        out.push('\n');
        out
    };
    let mut out = line(&heads);
    for c in &cells {
        out.push_str(&line(&c.each_ref().map(String::as_str)));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_worst_code_wins() {
        assert_eq!(worst([0, 1, 0]), 1);
        assert_eq!(worst([1, 4, 0]), 4);
        assert_eq!(worst([4, 3, 1]), 3);
        assert_eq!(worst([0, 0]), 0);
    }

    #[test]
    fn the_table_fits_80_columns_in_both_languages() {
        let name = "a".repeat(32);
        let rows = [
            Row {
                name: name.clone(),
                verdict: Text::NotCertified.get(Lang::Sv).into(),
                counts: Some([123, 45, 6]),
                code: 1,
                file: format!("{name}.json"),
            },
            Row {
                name: "b".into(),
                verdict: Text::MisconfiguredUpper.get(Lang::Sv).into(),
                counts: None,
                code: 4,
                file: "-".into(),
            },
        ];
        for lang in [Lang::En, Lang::Sv] {
            let text = table(&rows, lang, 80);
            assert!(text.lines().all(|l| l.chars().count() <= 80), "{text}");
            assert_eq!(text.lines().count(), 3, "{text}");
        }
        let short = [Row {
            name: "acme".into(),
            verdict: "CERTIFIED".into(),
            counts: Some([9, 0, 0]),
            code: 0,
            file: "acme.json".into(),
        }];
        let text = table(&short, Lang::En, 80);
        assert!(text.lines().nth(1).unwrap().ends_with("acme.json"), "{text}");
    }

    #[test]
    fn every_format_has_its_own_file_named_by_the_target() {
        let dir = Path::new("out");
        let files: Vec<PathBuf> = [Format::Json, Format::Junit, Format::Html, Format::Markdown, Format::Text]
            .map(|f| report_path(dir, "acme", f))
            .into();
        assert_eq!(
            files.iter().map(|p| p.display().to_string()).collect::<Vec<_>>(),
            ["out/acme.json", "out/acme.junit.xml", "out/acme.html", "out/acme.md", "out/acme.txt"]
        );
    }
}
