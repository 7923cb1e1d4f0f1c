//! Execution: scenarios run concurrently (up to `--jobs`), steps of a scenario in order,
//! cleanup steps always. Each response is judged by `judge` as it arrives, whole; then its
//! evidence is redacted and recorded. The runner emits an event as each scenario and probe
//! ends ([`RunEvent`]); it never prints and builds no report.

mod credential;
mod generated;
pub mod http;
pub mod oauth;
pub mod preflight;
mod profile;
pub mod rate;
mod stop;
pub mod transport;

use std::collections::{BTreeMap, HashMap};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime};

use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
use reqwest::Method;
use serde_json::Value;
use url::Url;

use crate::catalogue::openapi::{ApiDoc, Operation};
use crate::catalogue::profile::LiveCheck;
use crate::catalogue::{Catalogue, Spec};
use crate::judge::profile::Observed;
use crate::judge::{self, auto, expect, verdict, Response};
use crate::messages::Msg;
use crate::model::{
    self, Body as EvidenceBody, Check, FinishedProbe, FinishedScenario, Level, Observation, RunEvent, ScenarioResult,
    ScenarioRole, StepResult, Timings, Verdict,
};
use crate::plan::Plan;
use crate::suite::template::{render_value, RenderError, Template};
use crate::suite::{Body, FixtureContent, Role, Scenario, Step, StepAuth};
use crate::target::Target;
use http::{HttpClient, HttpOptions, Outcome, Outgoing};
pub use stop::Stop;

#[derive(Debug, Clone)]
pub struct RunOptions {
    pub jobs: usize,
    pub timeout: Duration,
    pub deadline: Option<Duration>,
    pub max_body: usize,
    /// Bodies in evidence are cut at this many bytes (the real size is noted).
    pub evidence_limit: usize,
    pub retries: u32,
    pub fail_on: Level,
    /// At most this many requests a second to the target (`--rate-limit`), however many
    /// scenarios run at once.
    pub rate_limit: Option<f64>,
}

impl Default for RunOptions {
    fn default() -> Self {
        RunOptions {
            jobs: std::thread::available_parallelism().map(|n| n.get()).unwrap_or(2),
            timeout: Duration::from_secs(30),
            deadline: None,
            max_body: 10 * 1024 * 1024,
            evidence_limit: 64 * 1024,
            retries: 2,
            fail_on: Level::Must,
            rate_limit: None,
        }
    }
}

struct Ctx {
    catalogue: Arc<Catalogue>,
    client: HttpClient,
    target: Target,
    options: RunOptions,
    stop: Stop,
    deadline: Option<Instant>,
    interrupted: AtomicBool,
    any_response: AtomicBool,
}

impl Ctx {
    /// Why nothing more may start (a stop, the deadline), marking the run interrupted; a
    /// cleanup step may still start after one stop request, as it undoes what its scenario
    /// created.
    fn cut(&self, cleanup: bool) -> Option<Msg> {
        let reason = if self.deadline.is_some_and(|d| Instant::now() >= d) {
            Msg::NotRunDeadline
        } else if self.stop.aborted() || (self.stop.requested() && !cleanup) {
            Msg::NotRunInterrupted
        } else {
            return None;
        };
        self.interrupted.store(true, Ordering::SeqCst);
        Some(reason)
    }

    /// Sends a request; it is abandoned, and the run marked interrupted, when the stop is
    /// asked again while it is in flight (`Msg::Abandoned`) or the deadline passes before
    /// its answer came (`Msg::CutAtDeadline`): a hanging vendor holds a run no longer than
    /// its deadline.
    async fn send(&self, out: &Outgoing) -> Result<http::Sent, Msg> {
        let sending = self.stop.unless_aborted(self.client.send(out));
        let sent = match self.deadline {
            Some(deadline) => match tokio::time::timeout_at(deadline.into(), sending).await {
                Ok(sent) => sent.ok_or(Msg::Abandoned),
                Err(_) => Err(Msg::CutAtDeadline),
            },
            None => sending.await.ok_or(Msg::Abandoned),
        };
        if sent.is_err() {
            self.interrupted.store(true, Ordering::SeqCst);
        }
        sent
    }
}

/// What the run itself knows when it ends; the report is the aggregator's.
pub struct Ran {
    pub started: SystemTime,
    pub elapsed: Duration,
    /// Stopped by a signal or the deadline: a stop request means the run did not end on its
    /// own, even when no step was cut.
    pub interrupted: bool,
    /// Some step received a response.
    pub any_response: bool,
}

/// Why a run could not go on (exit 3; reports of what ran are not written).
#[derive(Debug, thiserror::Error)]
pub enum ExecError {
    #[error("a scenario task failed: {0}")]
    Task(String),
}

/// The HTTP client of a run, shared by the preflight and the scenarios (so an OAuth2 token
/// fetched by one serves the other). Set up before any request: a CA bundle or client
/// certificate it cannot use is the tester's input, and nothing is sent.
pub fn client(target: &Target, options: &RunOptions) -> Result<HttpClient, http::SetupError> {
    HttpClient::new(
        target,
        HttpOptions {
            timeout: options.timeout,
            max_body: options.max_body,
            retries: options.retries,
            rate: options.rate_limit.map(rate::RateLimit::new),
        },
    )
}

/// Runs the plan and emits an event for each scenario and each probe as it ends; `emit`
/// is called on this task, never concurrently. Nothing is judged here beyond each response
/// (`judge`), and nothing is aggregated.
pub async fn execute(
    catalogue: Arc<Catalogue>,
    plan: &Plan,
    client: HttpClient,
    target: &Target,
    options: &RunOptions,
    emit: &mut dyn FnMut(RunEvent),
    stop: Stop,
) -> Result<Ran, ExecError> {
    let started_wall = SystemTime::now();
    let started = Instant::now();
    let ctx = Arc::new(Ctx {
        catalogue: catalogue.clone(),
        client,
        target: target.clone(),
        options: options.clone(),
        stop,
        deadline: options.deadline.map(|d| started + d),
        interrupted: AtomicBool::new(false),
        any_response: AtomicBool::new(false),
    });

    // The passive rules judge every response as it arrives; each scenario gets the rules of
    // its specification and returns what they found.
    let rules: Arc<Vec<Arc<[LiveCheck]>>> = Arc::new(
        plan.specs
            .iter()
            .map(|p| {
                let spec = &catalogue.specs[p.spec];
                judge::profile::passive_rules(&catalogue, spec).into_iter().map(|(_, _, live)| live).collect()
            })
            .collect(),
    );
    // Shared setup: each planned specification's setup scenarios, once and in order, before
    // any other scenario starts; every scenario of the specification starts with what they
    // captured.
    let mut shared = Vec::with_capacity(plan.specs.len());
    for (pi, planned) in plan.specs.iter().enumerate() {
        let spec = &catalogue.specs[planned.spec];
        let mut state = Shared::default();
        for (order, scenario) in spec.suites.iter().flat_map(|s| &s.setup).enumerate() {
            let (result, found, values) = run_shared(&ctx, spec, scenario, &state, &rules[pi]).await;
            state.absorb(scenario, result.verdict, values);
            emit(RunEvent::SharedFinished(FinishedScenario { spec: pi, order, result, found }));
        }
        shared.push(state);
    }
    let shared = Arc::new(shared);
    // What the scenarios end with, for the generated checks' path parameters.
    let captured = Arc::new(generated::Captured::default());
    let generating = plan.generate.is_some();
    let order = Arc::new(RunOrder::of(plan));
    // One worker per job, each taking the plan's next scenario run as it finishes one: they
    // start in plan order, at most `jobs` at once, with no task spawned per scenario and no
    // permit to wait for. A finished scenario is handed on at once, through a short queue
    // (which holds the workers back should the aggregator fall behind), so its evidence
    // leaves memory rather than waiting for the whole plan.
    let jobs = options.jobs.max(1).min(order.total.max(1));
    let (done, mut finished) = tokio::sync::mpsc::channel::<FinishedScenario>(jobs * 2);
    let mut workers = tokio::task::JoinSet::new();
    for _ in 0..jobs {
        let (ctx, order, rules, captured, done, shared) =
            (ctx.clone(), order.clone(), rules.clone(), captured.clone(), done.clone(), shared.clone());
        workers.spawn(async move {
            while let Some((round, pi, i)) = order.next() {
                let (spec_index, (si, ci)) = (order.specs[pi].0, order.specs[pi].1[i]);
                let spec = &ctx.catalogue.specs[spec_index];
                let mut watch = Watch::new(&rules[pi]);
                let scenario = &spec.suites[si].scenarios[ci];
                let (mut result, values) = run_scenario(&ctx, spec, scenario, &shared[pi], &mut watch).await;
                let order_in_spec = round * order.specs[pi].1.len() + i;
                if generating {
                    captured.add(pi, order_in_spec, &values);
                }
                if order.repeat > 1 {
                    result.id = format!("{}#{}", result.id, round + 1);
                }
                // Where the scenario leaves exec: the one place its evidence is redacted.
                let mut found = watch.found;
                ctx.client.redactor.scenario(&mut result, &mut found, ctx.options.evidence_limit);
                if done.send(FinishedScenario { spec: pi, order: order_in_spec, result, found }).await.is_err() {
                    break;
                }
            }
        });
    }
    drop(done);
    while let Some(scenario) = finished.recv().await {
        emit(RunEvent::ScenarioFinished(scenario));
    }
    while let Some(joined) = workers.join_next().await {
        joined.map_err(|e| ExecError::Task(e.to_string()))?;
    }
    // A shard other than the first leaves the probes to the first.
    let probed = plan.specs.iter().enumerate().filter(|_| plan.probes);
    for (pi, planned) in probed {
        let spec = &catalogue.specs[planned.spec];
        for (rule, result) in profile::probe_rules(&ctx, &catalogue, spec).await {
            emit(RunEvent::ProbeFinished(FinishedProbe { spec: pi, rule, result }));
        }
    }
    if let Some(generation) = &plan.generate {
        generated::run_all(&ctx, plan, generation, &captured, emit).await?;
    }
    // Shared teardown, once everything else of the run has ended; its steps may start after
    // one stop request, as cleanup steps may.
    for (pi, planned) in plan.specs.iter().enumerate() {
        let spec = &catalogue.specs[planned.spec];
        for (order, scenario) in spec.suites.iter().flat_map(|s| &s.teardown).enumerate() {
            let (result, found, _) = run_shared(&ctx, spec, scenario, &shared[pi], &rules[pi]).await;
            emit(RunEvent::SharedFinished(FinishedScenario { spec: pi, order, result, found }));
        }
    }
    Ok(Ran {
        started: started_wall,
        elapsed: started.elapsed(),
        interrupted: ctx.interrupted.load(Ordering::SeqCst) || ctx.stop.requested(),
        any_response: ctx.any_response.load(Ordering::SeqCst),
    })
}

/// The plan's scenario runs in order, round after round, handed out one at a time to the
/// workers without listing them (a `--repeat` of 100,000 runs takes no more memory than one).
struct RunOrder {
    /// Per planned specification: its index in the catalogue, and its scenarios.
    specs: Vec<(usize, Vec<crate::plan::ScenarioRef>)>,
    /// Where each planned specification's scenarios start within a round.
    starts: Vec<usize>,
    per_round: usize,
    repeat: usize,
    total: usize,
    next: std::sync::atomic::AtomicUsize,
}

impl RunOrder {
    fn of(plan: &Plan) -> RunOrder {
        let specs: Vec<_> = plan.specs.iter().map(|p| (p.spec, p.scenarios.clone())).collect();
        let starts = specs
            .iter()
            .scan(0, |at, (_, scenarios)| {
                let start = *at;
                *at += scenarios.len();
                Some(start)
            })
            .collect();
        let per_round = specs.iter().map(|(_, s)| s.len()).sum::<usize>();
        let repeat = plan.repeat.max(1);
        RunOrder { specs, starts, per_round, repeat, total: per_round * repeat, next: Default::default() }
    }

    /// The next run: (round, planned specification, scenario within it).
    fn next(&self) -> Option<(usize, usize, usize)> {
        let k = self.next.fetch_add(1, Ordering::Relaxed);
        if k >= self.total {
            return None;
        }
        let (round, at) = (k / self.per_round, k % self.per_round);
        // The last specification starting at or before `at` (one with no scenario in this
        // plan, a shard's, starts where the next does and is passed over).
        let pi = self.starts.partition_point(|&start| start <= at) - 1;
        Some((round, pi, at - self.starts[pi]))
    }
}

pub fn ms(d: Duration) -> f64 {
    (d.as_secs_f64() * 100_000.0).round() / 100.0
}

/// Variables of one scenario run: declared defaults, target variables, scenario variables,
/// captures. A name maps to `None` after a failed capture (with the step that failed).
struct Vars {
    values: BTreeMap<String, Value>,
    failed: HashMap<String, String>,
}

impl Vars {
    fn lookup(&self, name: &str) -> Option<Value> {
        builtin(name).or_else(|| self.values.get(name).cloned())
    }
}

fn builtin(name: &str) -> Option<Value> {
    Some(match name {
        "$uuid" => Value::String(uuid::Uuid::new_v4().to_string()),
        "$now" => Value::String(humantime::format_rfc3339_seconds(SystemTime::now()).to_string()),
        "$timestamp" => {
            Value::from(SystemTime::now().duration_since(SystemTime::UNIX_EPOCH).map(|d| d.as_secs()).unwrap_or(0))
        }
        "$random" => {
            let bytes = uuid::Uuid::new_v4().into_bytes();
            Value::from(u32::from_le_bytes([bytes[0], bytes[1], bytes[2], bytes[3]]) & 0x7fff_ffff)
        }
        _ => return None,
    })
}

/// The passive rules of a scenario's specification, and what each found in its responses.
struct Watch<'a> {
    rules: &'a [LiveCheck],
    found: Vec<Observation>,
}

impl Watch<'_> {
    fn new(rules: &[LiveCheck]) -> Watch<'_> {
        Watch { rules, found: vec![Observation::default(); rules.len()] }
    }

    fn observe(&mut self, seen: &Observed<'_>) {
        for (live, found) in self.rules.iter().zip(&mut self.found) {
            judge::profile::observe(found, *live, seen);
        }
    }
}

/// The variables every scenario of a specification starts with: declared defaults, then
/// the target's.
fn spec_vars(target: &Target, spec: &Spec) -> Vars {
    let mut vars = Vars { values: BTreeMap::new(), failed: HashMap::new() };
    for (name, decl) in &spec.meta.variables {
        if let Some(d) = &decl.default {
            vars.values.insert(name.clone(), d.clone());
        }
    }
    for (k, v) in &target.variables {
        vars.values.insert(k.clone(), v.clone());
    }
    vars
}

/// What a specification's shared setup scenarios left for the others.
#[derive(Debug, Default)]
struct Shared {
    /// What they captured.
    values: BTreeMap<String, Value>,
    /// A variable a setup scenario that did not pass was to capture → that scenario's id.
    failed: BTreeMap<String, String>,
}

impl Shared {
    /// Takes in what a setup scenario ended with: its captures when it passed; otherwise
    /// none of them is there for the scenarios that need them (they are blocked).
    fn absorb(&mut self, scenario: &Scenario, verdict: Verdict, mut values: BTreeMap<String, Value>) {
        for name in scenario.steps.iter().flat_map(|s| s.captures.iter().map(|c| &c.name)) {
            match values.remove(name).filter(|_| verdict == Verdict::Pass) {
                Some(value) => {
                    self.failed.remove(name);
                    self.values.insert(name.clone(), value);
                }
                None => {
                    self.values.remove(name);
                    self.failed.insert(name.clone(), scenario.id.clone());
                }
            }
        }
    }

    /// The failed setup scenario a scenario needs something of, and the variable: the first
    /// in the scenario's order of use.
    fn blocking(&self, scenario: &Scenario) -> Option<(&str, &str)> {
        if self.failed.is_empty() {
            return None;
        }
        let own = scenario.variables.iter().flat_map(|v| v.value.variables().map(str::to_string));
        let steps = scenario.steps.iter().chain(&scenario.cleanup).flat_map(|s| s.variables_used());
        own.chain(steps).find_map(|v| self.failed.get_key_value(&v).map(|(k, by)| (by.as_str(), k.as_str())))
    }
}

/// Runs a shared setup or teardown scenario with its own watch: its result (redacted), what
/// the passive rules found, and the variables it ended with.
async fn run_shared(
    ctx: &Ctx,
    spec: &Spec,
    scenario: &Scenario,
    shared: &Shared,
    rules: &[LiveCheck],
) -> (ScenarioResult, Vec<Observation>, BTreeMap<String, Value>) {
    let mut watch = Watch::new(rules);
    let (mut result, values) = run_scenario(ctx, spec, scenario, shared, &mut watch).await;
    let mut found = watch.found;
    ctx.client.redactor.scenario(&mut result, &mut found, ctx.options.evidence_limit);
    (result, found, values)
}

/// The variables a scenario starts with: declared defaults, the target's, then its own.
fn scenario_vars(target: &Target, spec: &Spec, scenario: &Scenario) -> Vars {
    scenario_vars_with(target, spec, &Shared::default(), scenario)
}

/// The variables a scenario starts with: declared defaults, the target's, what the shared
/// setup captured, then its own.
fn scenario_vars_with(target: &Target, spec: &Spec, shared: &Shared, scenario: &Scenario) -> Vars {
    let mut vars = spec_vars(target, spec);
    vars.values.extend(shared.values.iter().map(|(k, v)| (k.clone(), v.clone())));
    for v in &scenario.variables {
        if let Ok(text) = v.value.render(&mut |n| vars.lookup(n)) {
            vars.values.insert(v.name.clone(), Value::String(text));
        }
    }
    vars
}

/// Runs a scenario: its result, and the variables it ended with (for generated checks).
async fn run_scenario(
    ctx: &Ctx,
    spec: &Spec,
    scenario: &Scenario,
    shared: &Shared,
    watch: &mut Watch<'_>,
) -> (ScenarioResult, BTreeMap<String, Value>) {
    let started = Instant::now();
    let mut vars = scenario_vars_with(&ctx.target, spec, shared, scenario);
    let mut steps = Vec::new();
    // Once a setup step failed, the steps it prepared are not sent: their verdicts would
    // only repeat that failure. A failed shared setup scenario whose captures this scenario
    // needs keeps every step of it from being sent, cleanup included.
    let mut blocked_by: Option<String> = None;
    if let Some((by, variable)) = shared.blocking(scenario) {
        let reason = Msg::SharedSetupFailed { scenario: by.to_string(), variable: variable.to_string() };
        steps.extend(scenario.steps.iter().chain(&scenario.cleanup).map(|s| skipped(s, reason.clone())));
        blocked_by = Some(by.to_string());
    } else {
        for step in &scenario.steps {
            let result = match &blocked_by {
                Some(by) => skipped(step, Msg::PreconditionFailed { step: by.clone() }),
                None => run_step(ctx, spec, step, &mut vars, watch).await,
            };
            if step.is_setup && blocked_by.is_none() && verdict::blocks(&result) {
                blocked_by = Some(step.name.clone());
            }
            steps.push(result);
        }
        for step in &scenario.cleanup {
            steps.push(run_step(ctx, spec, step, &mut vars, watch).await);
        }
    }
    let verdict = verdict::scenario_verdict(&steps);
    let covers: Vec<String> = scenario.covers.iter().map(|c| c.id.clone()).collect();
    let result = ScenarioResult {
        id: scenario.id.clone(),
        role: match scenario.role {
            Role::Test => None,
            Role::Setup => Some(ScenarioRole::Setup),
            Role::Teardown => Some(ScenarioRole::Teardown),
        },
        title: scenario.title.clone(),
        verdicts: verdict::requirement_verdicts(&steps, &covers, verdict),
        covers,
        verdict,
        blocked_by: blocked_by.filter(|_| verdict == Verdict::Blocked),
        duration_ms: ms(started.elapsed()),
        steps: steps.into(),
    };
    (result, vars.values)
}

fn skipped(step: &Step, reason: Msg) -> StepResult {
    StepResult {
        name: step.name.clone(),
        operation: step.operation.clone(),
        verdict: Verdict::Skipped,
        reason: Some(reason),
        cleanup: step.is_cleanup,
        setup: step.is_setup,
        location: step.location.clone(),
        checks: Vec::new(),
        exchange: None,
    }
}

async fn run_step(ctx: &Ctx, spec: &Spec, step: &Step, vars: &mut Vars, watch: &mut Watch<'_>) -> StepResult {
    if let Some(reason) = ctx.cut(step.after_stop) {
        return skipped(step, reason);
    }
    for needed in step.variables_used() {
        if vars.lookup(&needed).is_none() {
            let reason = match vars.failed.get(&needed) {
                Some(by) => Msg::NeedsUncaptured { variable: needed.clone(), step: by.clone() },
                None => Msg::NeedsUndefined { variable: needed.clone() },
            };
            return skipped(step, reason);
        }
    }
    // A run refuses a specification whose description did not load, so `api` is there; were
    // it not, the operation would be as unknown as one the description lacks.
    let Some((api, op)) = spec.api.as_ref().and_then(|api| Some((api, api.operation(&step.operation)?))) else {
        return skipped(step, Msg::UnknownOperation { operation: step.operation.clone() });
    };
    let outgoing = match build_request(&ctx.target.base_url, api, op, step, vars) {
        Ok((o, credential)) => {
            // The step's own credential is a secret from before it is sent.
            if let (Some(value), StepAuth::Given(given)) = (credential, &step.auth) {
                for (secret, placeholder) in credential::secrets(given, value, &|n| vars.lookup(n)) {
                    ctx.client.redactor.add(&secret, &placeholder);
                }
            }
            o
        }
        Err(reason) => {
            let mut r = skipped(step, reason);
            r.verdict = Verdict::Error;
            return r;
        }
    };

    let sent = match ctx.send(&outgoing).await {
        Ok(sent) => sent,
        // Cut off at the deadline: the step was sent and could not be completed.
        Err(reason @ Msg::CutAtDeadline) => return StepResult { verdict: Verdict::Error, ..skipped(step, reason) },
        Err(reason) => return skipped(step, reason),
    };
    let exchange = crate::cpu::measure(crate::cpu::Phase::Evidence, || evidence(ctx, &outgoing, &sent));
    let base = StepResult {
        name: step.name.clone(),
        operation: op.id.clone(),
        verdict: Verdict::Error,
        reason: None,
        cleanup: step.is_cleanup,
        setup: step.is_setup,
        location: step.location.clone(),
        checks: Vec::new(),
        exchange: None,
    };
    let response = match sent.outcome {
        Outcome::Failed(reason, status) => {
            if status.is_some() {
                ctx.any_response.store(true, Ordering::SeqCst);
            }
            for c in &step.captures {
                vars.failed.insert(c.name.clone(), step.name.clone());
                vars.values.remove(&c.name);
            }
            let reason = if sent.attempts > 1 {
                Msg::Attempts { reason: Box::new(reason), attempts: sent.attempts }
            } else {
                reason
            };
            return StepResult { reason: Some(reason), exchange: Some(exchange), ..base };
        }
        Outcome::Response(r) => r,
    };
    ctx.any_response.store(true, Ordering::SeqCst);
    if !watch.rules.is_empty() {
        watch.observe(&Observed { method: outgoing.method.as_str(), url: outgoing.url.as_str(), response: &response });
    }

    let checks = crate::cpu::measure(crate::cpu::Phase::Validate, || judge_response(api, op, step, &response, vars));
    // A value captured as `secret: true` (a token the API issued, a password it set) is
    // redacted from here on, in this scenario's evidence and every later one.
    for c in step.captures.iter().filter(|c| c.secret) {
        if let Some(value) = vars.values.get(&c.name) {
            let text = match value {
                Value::String(s) => s.clone(),
                other => other.to_string(),
            };
            ctx.client.redactor.add(&text, &format!("KONFORM_CAPTURE_{}", c.name.to_ascii_uppercase()));
        }
    }
    let verdict = verdict::step_verdict(&checks);
    let mut reason = checks
        .iter()
        .find(|c| !c.passed)
        .map(|c| Msg::CheckFailed { check: c.name.clone(), detail: Box::new(c.said.clone()) });
    if let Some(note) = redirect_note(&outgoing.url, &response) {
        reason = Some(match reason {
            Some(r) => Msg::WithNote { reason: Box::new(r), note: Box::new(note) },
            None => note,
        });
    }
    StepResult { verdict, reason, checks, exchange: Some(exchange), ..base }
}

fn judge_response(
    api: &crate::catalogue::openapi::ApiDoc,
    op: &Operation,
    step: &Step,
    response: &Response,
    vars: &mut Vars,
) -> Vec<Check> {
    let mut checks = auto::judge(api, op, response);
    if let Some(status) = &step.expect.status {
        checks.push(expect::judge_status(status, response.status));
    }
    let (captured, capture_checks) = expect::capture(step, response);
    for c in &step.captures {
        if !captured.iter().any(|(n, _)| *n == c.name) {
            vars.failed.insert(c.name.clone(), step.name.clone());
            vars.values.remove(&c.name);
        }
    }
    for (name, value) in captured {
        vars.failed.remove(&name);
        vars.values.insert(name, value);
    }
    checks.extend(capture_checks);
    checks.extend(expect::judge_expectations(&step.expect, response, &mut |n| vars.lookup(n)));
    // Each requirement's own expectations, marked as its alone.
    for block in &step.expect.per_requirement {
        let mut own = Vec::new();
        if let Some(status) = &block.expect.status {
            own.push(expect::judge_status(status, response.status));
        }
        own.extend(expect::judge_expectations(&block.expect, response, &mut |n| vars.lookup(n)));
        checks.extend(own.into_iter().map(|c| Check { requirement: Some(block.requirement.clone()), ..c }));
    }
    checks
}

fn redirect_note(url: &Url, response: &Response) -> Option<Msg> {
    if !(300..400).contains(&response.status) {
        return None;
    }
    let location = response.header("location")?;
    let target = url.join(location).ok()?;
    (target.origin() != url.origin())
        .then(|| Msg::RedirectNotFollowed { origin: target.origin().ascii_serialization() })
}

/// The evidence of one exchange, bodies cut at the evidence limit. Redacted later, once,
/// with the rest of the scenario ([`crate::redact::Redactor::scenario`]); the curl line
/// already refers to secrets as `$KONFORM_...` placeholders.
fn evidence(ctx: &Ctx, out: &Outgoing, sent: &http::Sent) -> model::Exchange {
    let limit = ctx.options.evidence_limit;
    // Kept past the limit by the longest secret, so redaction sees a straddling secret whole.
    let keep = limit + ctx.client.redactor.longest();
    let mut exchange = model::Exchange {
        method: out.method.to_string(),
        url: out.url.to_string(),
        request_headers: sent.headers.clone(),
        request_body: out.body.as_ref().map(|b| evidence_body(b, limit, keep)),
        status: None,
        response_headers: Vec::new(),
        response_body: None,
        timings: Timings { total_ms: ms(sent.elapsed) },
        attempts: sent.attempts,
        curl: http::curl_line(out, &sent.headers, &ctx.client.redactor),
    };
    match &sent.outcome {
        Outcome::Failed(_, status) => exchange.status = *status,
        Outcome::Response(r) => {
            exchange.status = Some(r.status);
            exchange.response_headers = r.headers.clone();
            exchange.response_body = Some(evidence_body(&r.body, limit, keep));
        }
    }
    exchange
}

/// A body as evidence: `truncated` when longer than `limit`; `keep` bytes of it are kept
/// until it is redacted, then it is cut at `limit`.
fn evidence_body(bytes: &[u8], limit: usize, keep: usize) -> EvidenceBody {
    let truncated = bytes.len() > limit;
    let shown = &bytes[..bytes.len().min(keep)];
    EvidenceBody { text: String::from_utf8_lossy(shown).into_owned(), size: bytes.len() as u64, truncated }
}

/// Characters escaped in a path segment.
const SEGMENT: &AsciiSet = &NON_ALPHANUMERIC.remove(b'-').remove(b'.').remove(b'_').remove(b'~');

/// Why a step's template could not be rendered, as a step's reason.
fn unrendered(e: RenderError) -> Msg {
    match e {
        RenderError::Unset(variable) => Msg::VariableNotSet { variable },
        RenderError::Template(detail) => Msg::RequestFailed { cause: detail },
    }
}

/// The request a step sends to the API at `base`, and the credential of its own it carries
/// (to be redacted); why not, when it cannot be built (a step error).
fn build_request(
    base: &Url,
    api: &ApiDoc,
    op: &Operation,
    step: &Step,
    vars: &Vars,
) -> Result<(Outgoing, Option<String>), Msg> {
    let render = |t: &Template| t.render(&mut |n| vars.lookup(n)).map_err(unrendered);
    let rendered = |params: &[crate::suite::Param]| -> Result<Vec<(String, String)>, Msg> {
        params.iter().map(|p| Ok((p.name.clone(), render(&p.value)?))).collect()
    };
    let mut url = url_for(base, &op.path, &rendered(&step.path_params)?, &rendered(&step.query)?)?;
    // The target's extra headers are added by the client, to every request it sends.
    let mut headers: Vec<(String, String)> = Vec::new();
    for h in &step.headers {
        let value = render(&h.value)?;
        headers.retain(|(k, _)| !k.eq_ignore_ascii_case(&h.name));
        headers.push((h.name.clone(), value));
    }
    let body = match &step.body {
        None => None,
        Some(body) => {
            let content_type = step.content_type.clone().unwrap_or_else(|| default_content_type(op));
            if !headers.iter().any(|(k, _)| k.eq_ignore_ascii_case("content-type")) {
                headers.push(("Content-Type".into(), content_type));
            }
            Some(match body {
                Body::File { content: FixtureContent::Raw(bytes), .. } => bytes.clone(),
                other => {
                    let value = other.json().expect("an inline body and a JSON fixture hold JSON");
                    let rendered = render_value(value, &mut |n| vars.lookup(n)).map_err(unrendered)?;
                    serde_json::to_vec(&rendered).map_err(|e| Msg::RequestFailed { cause: e.to_string() })?
                }
            })
        }
    };
    let credential = match &step.auth {
        StepAuth::Given(given) => {
            let value = render(&given.value)?;
            credential::apply(&credential::carrier(api, given)?, &value, &mut url, &mut headers);
            Some(value)
        }
        StepAuth::Default | StepAuth::None => None,
    };
    let method = Method::from_bytes(op.method.as_bytes()).map_err(|e| Msg::RequestFailed { cause: e.to_string() })?;
    let send_auth = step.auth == StepAuth::Default;
    Ok((Outgoing { method, url, headers, body, send_auth, public: Vec::new() }, credential))
}

/// The URL of a request: the path template's parameters put in (each percent-encoded as a
/// segment), under the base URL, with the query.
fn url_for(base: &Url, template: &str, path: &[(String, String)], query: &[(String, String)]) -> Result<Url, Msg> {
    let mut filled = template.to_string();
    for (name, value) in path {
        filled = filled.replace(&format!("{{{name}}}"), &utf8_percent_encode(value, SEGMENT).to_string());
    }
    let mut url = crate::target::endpoint(base, &filled)
        .map_err(|e| Msg::UrlInvalid { path: filled.clone(), detail: e.to_string() })?;
    if !query.is_empty() {
        let mut pairs = url.query_pairs_mut();
        for (k, v) in query {
            pairs.append_pair(k, v);
        }
    }
    Ok(url)
}

fn default_content_type(op: &Operation) -> String {
    op.request_body
        .as_ref()
        .and_then(|rb| rb.content.iter().find(|m| crate::model::is_json_media(&m.media_type)).or(rb.content.first()))
        .map(|m| m.media_type.clone())
        .unwrap_or_else(|| "application/json".into())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plan::PlannedSpec;

    #[test]
    fn runs_are_handed_out_in_plan_order_round_after_round_passing_empty_specifications() {
        let planned = |spec, n: usize| PlannedSpec {
            spec,
            scenarios: (0..n).map(|c| (0, c)).collect(),
            partial: false,
            narrowed_to: None,
            units: None,
        };
        let plan = Plan {
            specs: vec![planned(4, 2), planned(5, 0), planned(6, 1)],
            repeat: 2,
            probes: true,
            shard: None,
            generate: None,
        };
        let order = RunOrder::of(&plan);
        let runs: Vec<_> = std::iter::from_fn(|| order.next()).collect();
        assert_eq!(runs, [(0, 0, 0), (0, 0, 1), (0, 2, 0), (1, 0, 0), (1, 0, 1), (1, 2, 0)]);
        assert_eq!(order.next(), None, "and stays ended");
    }
}
