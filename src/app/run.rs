//! `konform run`, `konform demo` and `konform serve`.

use super::Console;
use std::io::IsTerminal;
use std::net::SocketAddr;
use std::sync::Arc;

use crate::aggregate::{Aggregator, RunFacts};
use crate::catalogue::openapi::LoadOptions;
use crate::catalogue::Catalogue;
use crate::check;
use crate::cli::{DemoArgs, FailOn, Gate, RunArgs, RunSettings, ServeCommand};
use crate::declared::{Clock, Declared};
use crate::diag::{self, Diag, Renderer};
use crate::error::{Failure, Outcome, EXIT_FAILED, EXIT_OK, EXIT_RUN_ERROR};
use crate::exec::preflight::Preflight;
use crate::exec::{self, RunOptions, Stop};
use crate::judge::verdict;
use crate::messages::{Lang, Misconfigured, Note};
use crate::model::Level;
use crate::model::{RequirementVerdict, RunEvent, RunReport, SpecVerdict};
use crate::plan::{self, Filters, Plan};
use crate::reference::{self, Fault, Faults};
use crate::report::{terminal, write};
use crate::target::{self, Target, TargetFlags};

pub fn run_command(io: &mut Console<'_>, args: &RunArgs, renderer: &Renderer, color: bool) -> Outcome {
    let flags = TargetFlags {
        base_url: args.base_url.clone(),
        vars: args.vars.clone(),
        headers: args.headers.iter().map(target::parse_header).collect::<Result<_, _>>()?,
        public_headers: args.public_headers.clone(),
        bearer_token: args.bearer_token.clone(),
        api_key_header: args.api_key_header.clone(),
        api_key: args.api_key.clone(),
        basic_user: args.basic_user.clone(),
        basic_password: args.basic_password.clone(),
        ca_bundle: args.ca_cert.clone(),
        client_cert: args.client_cert.clone(),
        client_key: args.client_key.clone(),
        vendor: args.vendor.clone(),
        product: args.product.clone(),
        product_version: args.product_version.clone(),
    };
    // Warnings (an unknown config key, an unused credential) come first, even when the
    // target then cannot be resolved: a typo is often why.
    let mut warnings = Vec::new();
    let resolved = target::resolve(args.config.as_deref(), &flags, &target::Env::process(), &mut warnings);
    for w in warnings {
        errln!(io, "warning: {w}");
    }
    let target = resolved?;
    // Shards of one plan must all have tested this (the base URL as reports show it).
    let identity = target.redactor.text(target.base_url.as_str());
    run_with(io, &args.specs, target, identity, &args.settings, renderer, color)
}

/// Loads, checks, plans, runs and reports. Shared by `run` and `demo`.
fn run_with(
    io: &mut Console<'_>,
    selectors: &[String],
    target: Target,
    target_identity: String,
    settings: &RunSettings,
    renderer: &Renderer,
    color: bool,
) -> Outcome {
    let Prepared { source, catalogue, plan, fail_on } = prepare(io, selectors, settings, renderer)?;
    check_variables(&catalogue, &plan, &target)?;

    // Waivers, attestations and the conformance statement are input: checked before anything is sent.
    let (declarations, clock) = declarations(io, renderer, &catalogue, &settings.declared)?;
    // An earlier report to compare with (`--since`) is input too.
    let shown = source.shown();
    let since =
        settings.since.as_deref().map(|p| super::since::prepare(io, p, &catalogue, &shown, &plan, settings.lang));
    let since = since.transpose()?;
    for (_, path) in &settings.reports {
        // A report path that cannot take a report (a folder, a loop of links) is known now:
        // say so before anything is sent rather than after the run.
        write::Destination::of(path).map_err(|e| Failure::InvalidInput(e.to_string()))?;
    }
    let signing_key = settings.sign_key.as_deref().map(crate::report::sign::read_signing_key).transpose()?;
    if signing_key.is_some() && !settings.reports.iter().any(|(f, _)| *f == crate::report::render::Format::Json) {
        // The signature lives in the JSON report: without one, nothing would carry it.
        return Err(Failure::InvalidInput(
            "--sign-key signs the JSON report, and no --report json=PATH is given: add one, or leave out --sign-key"
                .into(),
        ));
    }
    let run_options = RunOptions {
        jobs: settings.jobs.unwrap_or_else(|| RunOptions::default().jobs),
        timeout: settings.timeout.or(target.timeout).unwrap_or(RunOptions::default().timeout),
        deadline: settings.deadline,
        max_body: settings.max_body,
        evidence_limit: settings.evidence_limit,
        retries: settings.retries,
        fail_on,
        rate_limit: settings.rate_limit.or(target.rate_limit),
    };
    // The catalogue as a whole, like the specifications' fingerprints: before anything is sent.
    let identity = source.identity()?;
    let interactive = std::io::stderr().is_terminal();
    let look =
        terminal::Look { color, width: super::terminal_width(), wrap: super::wrap_width(), detail: settings.detail() };
    let progress = terminal::Progress::new(plan.scenario_count(), interactive, settings.lang, look);
    let stop = Stop::default();
    // One job runs on one thread: its requests, their connection and the aggregator hand
    // work to each other without waking another thread (about one context switch per
    // request, docs/performance.md); more jobs share the cores.
    let mut builder = match run_options.jobs {
        1 => tokio::runtime::Builder::new_current_thread(),
        _ => tokio::runtime::Builder::new_multi_thread(),
    };
    let runtime = match builder.enable_all().build() {
        Ok(r) => r,
        Err(e) => {
            return Err(Failure::Incomplete(format!("cannot start the runtime: {e}")));
        }
    };
    let catalogue = Arc::new(catalogue);
    // Exec emits an event as each scenario and probe ends; the progress shows it and the
    // aggregator builds the report from it.
    let mut aggregator = Aggregator::new(&catalogue, &plan)?;
    // `case-intake@1.0.0`: two versions of a specification in one run are told apart.
    let spec_ids: Vec<String> = plan
        .specs
        .iter()
        .map(|p| {
            let meta = &catalogue.specs[p.spec].meta;
            format!("{}@{}", meta.id, meta.version)
        })
        .collect();
    let mut emit = |event: RunEvent| {
        progress.show(&spec_ids[event.spec()], &event);
        aggregator.take(event);
    };
    let preflight = !settings.no_preflight && target.preflight;
    let ran = runtime.block_on(async {
        stop_on_signals(&stop);
        let client = exec::client(&target, &run_options).map_err(Halted::Setup)?;
        if preflight {
            // A stop during the preflight lets the run go on to report itself interrupted.
            let found = exec::preflight::preflight(&client, &catalogue, &plan, &target, &stop).await;
            if let Preflight::Misconfigured(m) = found {
                return Err(Halted::Preflight(m));
            }
        }
        let executed = exec::execute(catalogue.clone(), &plan, client, &target, &run_options, &mut emit, stop.clone());
        executed.await.map_err(Halted::Exec)
    });
    runtime.shutdown_background();
    progress.finish();
    let ran = match ran {
        Ok(r) => r,
        // The client is set up before any request: a CA bundle or client certificate it
        // cannot use is the tester's input, and nothing was sent.
        Err(Halted::Setup(e)) => return Err(Failure::InvalidInput(e.to_string())),
        Err(Halted::Preflight(m)) => return Err(misconfigured(&m, settings.lang)),
        Err(Halted::Exec(e)) => {
            return Err(Failure::Incomplete(target.redactor.text(&e.to_string())));
        }
    };
    let facts = RunFacts {
        target: crate::model::Target {
            base_url: target.redactor.text(target.base_url.as_str()),
            vendor: target.vendor.clone(),
            product: target.product.clone(),
            product_version: target.product_version.clone(),
        },
        started: humantime::format_rfc3339_millis(ran.started).to_string(),
        finished: humantime::format_rfc3339_millis(std::time::SystemTime::now()).to_string(),
        duration_ms: exec::ms(ran.elapsed),
        fail_on: run_options.fail_on,
        interrupted: ran.interrupted,
        https: target.base_url.scheme() == "https",
        issuer: settings.issuer.clone(),
        valid_until: humantime::format_rfc3339_millis(valid_until(&catalogue, &plan, ran.started, settings.valid_for))
            .to_string(),
        catalogue: Some(identity),
        target_identity,
    };
    let mut report = aggregator.finish(facts).map_err(|e| Failure::Incomplete(e.to_string()))?;
    crate::declared::apply(&mut report, &declarations, clock);
    report.since = since.map(|since| super::since::record(&since, &report));
    let unreachable = !ran.any_response && report.counts.steps_error > 0;
    if let Some(key) = &signing_key {
        crate::report::sign::sign(&mut report, key)?;
    }

    let mut problems = deliver(io, &report, &catalogue, settings.lang, look, (&settings.reports, settings.delimiter));
    crate::cpu::print();
    if unreachable {
        let base = &report.target.base_url;
        problems.push(format!("no response was received from {base}: the target is unreachable"));
    }
    if !problems.is_empty() {
        return Err(Failure::Incomplete(problems.join("\nerror: ")));
    }
    if settings.gate == Gate::Selected && !report.interrupted {
        errln!(io, "{}", Note::Gate { passed: selection_passed(&report) }.get(settings.lang));
    }
    Ok(exit_code(&report, settings.gate))
}

/// Every variable the planned specifications declare has a value for `target` (else exit
/// 2: nothing is sent); the values of those declared secret are learnt for redaction.
pub(super) fn check_variables(catalogue: &Catalogue, plan: &Plan, target: &Target) -> Result<(), Failure> {
    for planned in &plan.specs {
        let spec = &catalogue.specs[planned.spec];
        for (name, decl) in &spec.meta.variables {
            let value = target.variables.get(name).or(decl.default.as_ref());
            match value {
                None => {
                    return Err(Failure::InvalidInput(format!(
                        "{} needs the variable `{name}`: pass --var {name}=VALUE",
                        spec.key()
                    )))
                }
                Some(value) if decl.secret => {
                    let text = value.as_str().map_or_else(|| value.to_string(), str::to_string);
                    target.redactor.add(&text, &format!("KONFORM_VAR_{name}"));
                }
                Some(_) => {}
            }
        }
    }
    Ok(())
}

/// Reads and checks `--waivers`, `--attestations` and `--statement` against the catalogue,
/// with the clock `--now` sets (else the time now). A mistake is shown at its line: exit 2.
pub(super) fn declarations(
    io: &mut Console<'_>,
    renderer: &Renderer,
    catalogue: &Catalogue,
    args: &crate::cli::DeclaredArgs,
) -> Result<(Declared, Clock), Failure> {
    let clock = match &args.now {
        Some(text) => Clock::fixed(text).map_err(|e| Failure::InvalidInput(format!("--now: {e}")))?,
        None => Clock::real(),
    };
    let sources = crate::declared::Sources {
        waivers: &args.waivers,
        attestations: &args.attestations,
        attestation_keys: &args.attestation_keys,
        statement: args.statement.as_deref(),
    };
    match crate::declared::load(catalogue, &sources, clock) {
        Ok(declared) => Ok((declared, clock)),
        Err(diags) => {
            super::print_diags(io, renderer, &diags, None);
            Err(Failure::Diagnosed)
        }
    }
}

/// Shows the run's summary and writes its reports (every one is attempted): what could not
/// be written, as problems.
pub(super) fn deliver(
    io: &mut Console<'_>,
    report: &RunReport,
    catalogue: &Catalogue,
    lang: Lang,
    look: terminal::Look,
    (reports, delimiter): (&[(crate::report::render::Format, std::path::PathBuf)], crate::export::Delimiter),
) -> Vec<String> {
    let suite = &|file: &str, line: usize| catalogue.suite_line(file, line);
    let seal = crate::report::sign::seal_of_run(report);
    let mut summary = Vec::new();
    crate::cpu::measure(crate::cpu::Phase::Report, || {
        let _ = terminal::summary(report, lang, look, suite, None, &mut summary);
    });
    // Everything in the report was redacted where it left exec: the summary is shown as is.
    // A report written to standard output (`-`) keeps it to itself: the summary goes to stderr.
    if reports.iter().any(|(_, path)| path.as_os_str() == "-") {
        let _ = write!(io.err, "{}", String::from_utf8_lossy(&summary));
    } else {
        out!(io, "{}", String::from_utf8_lossy(&summary));
    }

    // Every report is attempted; what could not be written, and an unreachable target,
    // make the run incomplete (exit 3).
    let mut problems = Vec::new();
    for (format, path) in reports {
        let written = crate::cpu::measure(crate::cpu::Phase::Report, || {
            write::report_to(path, |w| crate::report::render::render(*format, report, lang, suite, &seal, delimiter, w))
        });
        match written {
            Ok(()) => {
                let note = Note::Wrote { format: format.name().into(), path: path.display().to_string() };
                errln!(io, "{}", note.get(lang))
            }
            Err(e) => problems.push(e.to_string()),
        }
    }
    problems
}

/// Why a run stopped before its report.
enum Halted {
    Setup(exec::http::SetupError),
    Preflight(Misconfigured),
    Exec(exec::ExecError),
}

/// The preflight's finding as the tester reads it: its paragraph, then what was not done,
/// each fit to the terminal's width. No report is written: the vendor was not judged.
fn misconfigured(found: &Misconfigured, lang: Lang) -> Failure {
    let width = usize::from(super::terminal_width());
    let finding = wrap(&Note::Preflight(found.clone()).get(lang), width);
    let stopped = wrap(&Note::PreflightStopped.get(lang), width);
    Failure::Preflight(format!("{finding}\n{stopped}"))
}

/// Text broken into lines of at most `width` characters at spaces (a longer word, such as
/// a URL, keeps a line of its own, unbroken).
pub(super) fn wrap(text: &str, width: usize) -> String {
    crate::model::text::wrap(text, Some(width), "", "")
}

/// Each Ctrl-C or SIGTERM asks the run to stop once more (the first stops what has not
/// started, the second abandons requests in flight: [`Stop`]). Listening starts before
/// this returns, so no signal is missed once the run has begun; call it on the runtime.
#[cfg(unix)]
pub(super) fn stop_on_signals(stop: &Stop) {
    use tokio::signal::unix::{signal, SignalKind};
    for kind in [SignalKind::interrupt(), SignalKind::terminate()] {
        // Without a listener the signal keeps its default: it ends the process.
        if let Ok(mut signals) = signal(kind) {
            let stop = stop.clone();
            tokio::spawn(async move {
                while signals.recv().await.is_some() {
                    stop.request();
                }
            });
        }
    }
}

#[cfg(not(unix))]
pub(super) fn stop_on_signals(stop: &Stop) {
    let stop = stop.clone();
    tokio::spawn(async move {
        while tokio::signal::ctrl_c().await.is_ok() {
            stop.request();
        }
    });
}

pub(super) fn exit_code(report: &RunReport, gate: Gate) -> u8 {
    let passed = match gate {
        Gate::Certified => report.verdict == SpecVerdict::Certified,
        Gate::Selected => selection_passed(report),
    };
    if report.interrupted {
        EXIT_RUN_ERROR
    } else if passed {
        EXIT_OK
    } else {
        EXIT_FAILED
    }
}

/// `--gate selected`: something was tested, and no requirement that counts failed, could
/// not be judged or was blocked. What the selection did not test is not held against it;
/// waived, attested and not-applicable requirements are met as for certification.
fn selection_passed(report: &RunReport) -> bool {
    let requirements = || report.specifications.iter().flat_map(|s| &s.requirements);
    let tested = requirements().any(|r| {
        !matches!(
            r.verdict,
            RequirementVerdict::NotTested | RequirementVerdict::Attested | RequirementVerdict::NotApplicable
        )
    });
    tested && verdict::selection_held(report)
}

/// What every run starts from, one target or a fleet: the catalogue (from where the
/// settings say), and the plan of the selected specifications (repeated, cut to a shard),
/// with no error in what it would run.
pub(super) struct Prepared {
    pub source: super::source::CatalogueSource,
    pub catalogue: Catalogue,
    pub plan: Plan,
    pub fail_on: Level,
}

pub(super) fn prepare(
    io: &mut Console<'_>,
    selectors: &[String],
    settings: &RunSettings,
    renderer: &Renderer,
) -> Result<Prepared, Failure> {
    let options = LoadOptions {
        allow_remote_refs: settings.allow_remote_refs,
        max_remote_bytes: Some(settings.max_body),
        ..LoadOptions::default()
    };
    crate::cpu::enable_from_env();
    let source = super::source::resolve(settings.catalogue.as_deref(), io, settings.lang)?;
    let (catalogue, load_diags) =
        crate::cpu::measure(crate::cpu::Phase::Load, || Catalogue::load(&source.root, &options));
    let filters = Filters {
        tags: settings.tags.clone(),
        scenarios: settings.scenarios.clone(),
        requirements: settings.requirements.clone(),
    };
    let plan = match plan::plan(&catalogue, selectors, &filters) {
        Ok(p) => Plan { repeat: settings.repeat as usize, ..p },
        Err(e) => {
            super::print_diags(io, renderer, &load_diags, None);
            return Err(e.into());
        }
    };
    let fail_on = match settings.fail_on {
        FailOn::Must => Level::Must,
        FailOn::Should => Level::Should,
    };
    let plan = Plan { generate: generation(settings)?, ..plan };
    let plan = match settings.shard {
        Some(shard) => {
            let whole = crate::shard::record(&catalogue, &plan, &filters, fail_on);
            crate::shard::slice(&catalogue, plan, shard, whole)
        }
        None => plan,
    };
    let errors = static_errors(&catalogue, &plan, load_diags);
    if !errors.is_empty() {
        super::print_diags(io, renderer, &errors, None);
        return Err(Failure::InvalidInput(format!(
            "the catalogue has {} error(s); nothing was sent (run `konform check` for details)",
            errors.len()
        )));
    }
    Ok(Prepared { source, catalogue, plan, fail_on })
}

/// What `--generate`, `--generate-budget` and `--seed` ask for; `None` without `--generate`.
fn generation(settings: &RunSettings) -> Result<Option<plan::Generation>, Failure> {
    use crate::catalogue::generate::GenCheck;
    use crate::cli::GenerateArg;
    if settings.generate.is_empty() {
        return Ok(None);
    }
    let checks = settings
        .generate
        .iter()
        .flat_map(|g| match g {
            GenerateArg::All => GenCheck::ALL.to_vec(),
            GenerateArg::One(c) => vec![*c],
        })
        .collect();
    Ok(Some(plan::Generation { checks, budget: settings.generate_budget as usize, seed: settings.seed }))
}

/// Errors of the selected specifications (loading and static checks); warnings are dropped.
pub(super) fn static_errors(catalogue: &Catalogue, plan: &Plan, load_diags: Vec<Diag>) -> Vec<Diag> {
    let dirs: Vec<&std::path::Path> = plan.specs.iter().map(|p| catalogue.specs[p.spec].dir.as_path()).collect();
    let mut errors: Vec<Diag> = load_diags
        .into_iter()
        .filter(|d| d.level == diag::Level::Error)
        .filter(|d| d.file.as_ref().is_none_or(|f| dirs.iter().any(|dir| f.path.starts_with(dir))))
        .collect();
    for planned in &plan.specs {
        let spec = &catalogue.specs[planned.spec];
        if spec.api.is_none() {
            continue;
        }
        let mut diags = Vec::new();
        check::check_spec(spec, &mut diags);
        diags.extend(crate::generate::section_findings(spec));
        errors.extend(diags.into_iter().filter(|d| d.level == diag::Level::Error));
    }
    errors
}

fn parse_faults(names: &[String]) -> Result<Faults, Failure> {
    names.iter().map(|n| n.parse::<Fault>()).collect::<Result<_, _>>().map_err(Failure::InvalidInput)
}

fn list_faults(io: &mut Console<'_>) -> u8 {
    for f in Fault::ALL {
        outln!(io, "{:<32} {}", f.name(), f.description());
    }
    EXIT_OK
}

pub fn demo_command(io: &mut Console<'_>, args: &DemoArgs, renderer: &Renderer, color: bool) -> Outcome {
    if args.list_faults {
        return Ok(list_faults(io));
    }
    let faults = parse_faults(&args.faults)?;
    let token = format!("demo-{}", uuid::Uuid::new_v4().simple());
    let server = match reference::start(SocketAddr::from(([127, 0, 0, 1], 0)), faults.clone(), token.clone()) {
        Ok(s) => s,
        Err(e) => {
            return Err(Failure::Incomplete(format!("cannot start the reference vendor: {e}")));
        }
    };
    let faults_named = faults.iter().map(|f| f.name().to_string()).collect();
    let note = Note::ReferenceListening { url: server.url().to_string(), faults: faults_named };
    errln!(io, "{}", note.get(args.settings.lang));
    let flags = TargetFlags {
        base_url: Some(server.url()),
        bearer_token: Some(crate::redact::Secret::new(token)),
        vendor: Some(args.vendor.clone().unwrap_or_else(|| "konform".into())),
        product: Some(args.product.clone().unwrap_or_else(|| "reference vendor".into())),
        product_version: Some(args.product_version.clone().unwrap_or_else(|| env!("CARGO_PKG_VERSION").into())),
        ..TargetFlags::default()
    };
    let target = target::resolve(None, &flags, &target::Env::process(), &mut Vec::new())?;
    // Each demo starts its own reference vendor, at another address: what shards of a demo
    // must share is the vendor and its faults.
    let mut named: Vec<&str> = faults.iter().map(|f| f.name()).collect();
    named.sort_unstable();
    named.dedup();
    let identity = format!("konform {} reference vendor, faults: [{}]", env!("CARGO_PKG_VERSION"), named.join(", "));
    let code = run_with(io, &args.specs, target, identity, &args.settings, renderer, color);
    drop(server);
    code
}

pub fn serve_command(io: &mut Console<'_>, cmd: ServeCommand) -> Outcome {
    let ServeCommand::Reference { port, host, token, faults, list_faults: list } = cmd;
    if list {
        return Ok(list_faults(io));
    }
    let faults = parse_faults(&faults)?;
    let server = match reference::start(SocketAddr::new(host, port), faults, token) {
        Ok(s) => s,
        Err(e) => {
            return Err(Failure::Incomplete(format!("cannot listen on {host}:{port}: {e}")));
        }
    };
    outln!(io, "{}", server.url());
    errln!(
        io,
        "reference vendor listening on {} (every specification of the built-in catalogue); Ctrl-C stops it",
        server.url()
    );
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build();
    if let Ok(rt) = runtime {
        rt.block_on(async {
            let _ = tokio::signal::ctrl_c().await;
        });
    }
    drop(server);
    Ok(EXIT_OK)
}

/// When the certificate stops holding: `--valid-for` after the start, but never past the
/// sunset of a specification version it certifies (a retired version certifies nothing).
pub(super) fn valid_until(
    catalogue: &crate::catalogue::Catalogue,
    plan: &crate::plan::Plan,
    started: std::time::SystemTime,
    valid_for: std::time::Duration,
) -> std::time::SystemTime {
    let sunsets = plan.specs.iter().filter_map(|p| catalogue.specs[p.spec].meta.lifecycle.sunset);
    sunsets.map(crate::model::Date::start).fold(started + valid_for, std::cmp::min)
}
