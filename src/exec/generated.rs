//! Sending the generated checks (`run --generate`): each unit of `generate::units` (one
//! check of one operation or path) is a task like a scenario, its requests sent in order,
//! each answer judged by `judge::generated` and the automatic checks; a failing input is
//! shrunk (smaller bodies that fail the same way, up to [`SHRINK_SENDS`] more requests) and
//! the smallest is reported, with its curl line. Each unit ends as a synthetic scenario
//! covering its check's requirement, redacted where it leaves exec like any scenario.

use std::collections::BTreeMap;
use std::sync::atomic::Ordering;
use std::sync::{Arc, Mutex};
use std::time::Instant;

use reqwest::Method;
use serde_json::Value;

use super::http::{Outcome, Outgoing};
use super::{ms, Ctx};
use crate::catalogue::generate::GenCheck;
use crate::catalogue::openapi::{ApiDoc, Operation};
use crate::catalogue::Spec;
use crate::generate::{self, Case, Expect, Unit};
use crate::judge::{self, Response};
use crate::messages::Msg;
use crate::model::{Check, Localized, Place, ScenarioResult, StepResult, Verdict};
use crate::plan::Generation;

/// At most this many requests are spent shrinking one failing input.
pub const SHRINK_SENDS: usize = 16;

/// Values the scenarios of each planned specification ended with (their variables and
/// captures), for path parameters of the same name: the first scenario in plan order that
/// has a name gives its value, so the choice does not depend on which scenario ended first.
#[derive(Default)]
pub struct Captured {
    by_spec: Mutex<BTreeMap<usize, Values>>,
}

/// Variables by name, each with the plan order of the scenario it came from.
type Values = BTreeMap<String, (usize, Value)>;

impl Captured {
    pub fn add(&self, spec: usize, order: usize, values: &BTreeMap<String, Value>) {
        let mut by_spec = self.by_spec.lock().unwrap_or_else(|e| e.into_inner());
        let known = by_spec.entry(spec).or_default();
        for (name, value) in values {
            match known.get(name) {
                Some((o, _)) if *o <= order => {}
                _ => {
                    known.insert(name.clone(), (order, value.clone()));
                }
            }
        }
    }

    fn of(&self, spec: usize) -> BTreeMap<String, Value> {
        let by_spec = self.by_spec.lock().unwrap_or_else(|e| e.into_inner());
        by_spec.get(&spec).map(|m| m.iter().map(|(k, (_, v))| (k.clone(), v.clone())).collect()).unwrap_or_default()
    }
}

/// Runs one unit and returns its synthetic scenario, unredacted.
pub async fn run_unit(
    ctx: &Ctx,
    spec: &Spec,
    plan_spec: usize,
    unit: &Unit,
    generation: &Generation,
    captured: &Captured,
) -> ScenarioResult {
    let started = Instant::now();
    let api = spec.api.as_ref().expect("units are made only for specifications whose description loaded");
    let op = api.operation(&unit.operation).expect("units name operations of the description");
    let mut values = super::spec_vars(&ctx.target, spec).values;
    values.extend(captured.of(plan_spec));
    let lookup = |name: &str| values.get(name).cloned();
    let file = api.docs.first().map(|d| ctx.catalogue.report_name(&d.file)).unwrap_or_default();
    let place = Place { file, at: None };
    let mut steps = Vec::new();
    match generate::cases(api, unit, generation, &lookup) {
        Err(reason) => steps.push(not_sent(op, &place, "generate".into(), reason)),
        Ok(cases) => {
            let credential_headers = ctx.client.credential_headers();
            for case in cases {
                if unit.check == GenCheck::Auth && !credential_headers.is_empty() {
                    let reason = Msg::GenAuthNotJudged { headers: credential_headers.clone() };
                    steps.push(not_sent(op, &place, case.name.clone(), reason));
                    continue;
                }
                if let Some(reason) = ctx.cut(false) {
                    steps.push(not_sent(op, &place, case.name.clone(), reason));
                    continue;
                }
                steps.push(run_case(ctx, api, op, unit.check, &case, &place).await);
            }
        }
    }
    let (title, _) = unit.check.words();
    let what = match unit.check {
        GenCheck::Methods => op.path.clone(),
        _ => op.id.clone(),
    };
    ScenarioResult {
        id: unit.scenario_id(api),
        role: None,
        title: Localized { sv: format!("{}: {what}", title.sv), en: format!("{}: {what}", title.en) },
        covers: vec![unit.check.requirement().to_string()],
        verdict: judge::verdict::scenario_verdict(&steps),
        blocked_by: None,
        verdicts: Default::default(),
        duration_ms: ms(started.elapsed()),
        steps: steps.into(),
    }
}

fn not_sent(op: &Operation, place: &Place, name: String, reason: Msg) -> StepResult {
    StepResult {
        name,
        operation: op.id.clone(),
        verdict: Verdict::Skipped,
        reason: Some(reason),
        cleanup: false,
        setup: false,
        location: place.clone(),
        checks: Vec::new(),
        exchange: None,
    }
}

/// Sends a case and, when its generated check fails, shrinks its body.
async fn run_case(ctx: &Ctx, api: &ApiDoc, op: &Operation, check: GenCheck, case: &Case, place: &Place) -> StepResult {
    let (mut step, failed) = send_case(ctx, api, op, check, case, place).await;
    let Some(first) = failed else { return step };
    let mut current = case.clone();
    let mut sends = 0;
    'shrinking: while sends < SHRINK_SENDS {
        let Some((media, body)) = &current.request.body else { break };
        let candidates = match &current.expect {
            Expect::Refused { body: Some((schema, signature)), .. } => {
                generate::shrink::still_invalid(api, schema, body, signature)
            }
            Expect::Answered { body: Some(schema) } => generate::shrink::still_valid(api, schema, body),
            _ => break,
        };
        for candidate in candidates {
            if sends >= SHRINK_SENDS || ctx.cut(false).is_some() {
                break 'shrinking;
            }
            sends += 1;
            let mut smaller = current.clone();
            smaller.request.body = Some((media.clone(), candidate));
            let (s, f) = send_case(ctx, api, op, check, &smaller, place).await;
            if f.as_ref().is_some_and(|f| judge::generated::same_failure(f, &first)) {
                current = smaller;
                step = s;
                continue 'shrinking;
            }
        }
        break;
    }
    step
}

/// Sends one request and judges it: the step, and the generated check when it failed.
async fn send_case(
    ctx: &Ctx,
    api: &ApiDoc,
    op: &Operation,
    check: GenCheck,
    case: &Case,
    place: &Place,
) -> (StepResult, Option<Check>) {
    let base = StepResult {
        name: case.name.clone(),
        operation: op.id.clone(),
        verdict: Verdict::Error,
        reason: None,
        cleanup: false,
        setup: false,
        location: place.clone(),
        checks: Vec::new(),
        exchange: None,
    };
    let out = match outgoing(ctx, &case.request) {
        Ok(out) => out,
        Err(reason) => return (StepResult { reason: Some(reason), ..base }, None),
    };
    let sent = match ctx.send(&out).await {
        Ok(sent) => sent,
        Err(reason) => return (StepResult { reason: Some(reason), ..base }, None),
    };
    let exchange = super::evidence(ctx, &out, &sent);
    let response: Response = match sent.outcome {
        Outcome::Failed(reason, status) => {
            if status.is_some() {
                ctx.any_response.store(true, Ordering::SeqCst);
            }
            return (StepResult { reason: Some(reason), exchange: Some(exchange), ..base }, None);
        }
        Outcome::Response(r) => r,
    };
    ctx.any_response.store(true, Ordering::SeqCst);
    let generated = judge::generated::judge(check, op, &case.request.method, &case.expect, &response);
    let failed = (!generated.passed).then(|| generated.clone());
    let mut checks = vec![generated];
    // The answer is also held to the description, as every answer is, where the request
    // was one the operation documents (not an undocumented method).
    // Only on a documented status: whether the status is documented is the generated
    // check's own question (a 404 to an invalid path may rightly be undocumented).
    if check != GenCheck::Methods && op.response_for(response.status).is_some() {
        checks.extend(judge::auto::judge(api, op, &response));
    }
    let verdict = judge::verdict::step_verdict(&checks);
    let reason = checks
        .iter()
        .find(|c| !c.passed)
        .map(|c| Msg::CheckFailed { check: c.name.clone(), detail: Box::new(c.said.clone()) });
    (StepResult { verdict, reason, checks, exchange: Some(exchange), ..base }, failed)
}

/// The request to send: the path's parameters put in, the query, headers and body.
fn outgoing(ctx: &Ctx, request: &generate::Request) -> Result<Outgoing, Msg> {
    let url = super::url_for(&ctx.target.base_url, &request.path, &request.path_params, &request.query)?;
    let mut headers = request.headers.clone();
    let body = match &request.body {
        Some((media, value)) => {
            headers.push(("Content-Type".into(), media.clone()));
            Some(serde_json::to_vec(value).map_err(|e| Msg::RequestFailed { cause: e.to_string() })?)
        }
        None => None,
    };
    let method =
        Method::from_bytes(request.method.as_bytes()).map_err(|e| Msg::RequestFailed { cause: e.to_string() })?;
    Ok(Outgoing { method, url, headers, body, send_auth: request.send_auth, public: request.public_headers.clone() })
}

/// Runs every unit of the plan's generated checks (a shard its share) and emits each as it
/// ends: as the scenarios run, `jobs` workers each take the next unit as they finish one.
pub async fn run_all(
    ctx: &Arc<Ctx>,
    plan: &crate::plan::Plan,
    generation: &Generation,
    captured: &Arc<Captured>,
    emit: &mut dyn FnMut(crate::model::RunEvent),
) -> Result<(), super::ExecError> {
    // (planned specification, the unit's place among all of it, the unit), in plan order.
    let mut units = Vec::new();
    for (pi, planned) in plan.specs.iter().enumerate() {
        let spec = &ctx.catalogue.specs[planned.spec];
        let all = generate::units(spec, planned, generation).into_iter().enumerate();
        // A shard runs its share, each unit keeping its place among them all.
        let share = all.filter(|(order, _)| planned.units.as_ref().is_none_or(|mine| mine.contains(order)));
        units.extend(share.map(|(order, unit)| (pi, planned.spec, order, unit)));
    }
    let units = Arc::new(units);
    let next = Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let generation = Arc::new(generation.clone());
    let jobs = ctx.options.jobs.max(1).min(units.len().max(1));
    let (done, mut finished) = tokio::sync::mpsc::channel(jobs * 2);
    let mut workers = tokio::task::JoinSet::new();
    for _ in 0..jobs {
        let (ctx, units, next, generation, captured, done) =
            (ctx.clone(), units.clone(), next.clone(), generation.clone(), captured.clone(), done.clone());
        workers.spawn(async move {
            while let Some((pi, spec_index, order, unit)) = units.get(next.fetch_add(1, Ordering::Relaxed)) {
                let spec = &ctx.catalogue.specs[*spec_index];
                let mut result = run_unit(&ctx, spec, *pi, unit, &generation, &captured).await;
                ctx.client.redactor.scenario(&mut result, &mut [], ctx.options.evidence_limit);
                let event = crate::model::FinishedGenerated { spec: *pi, order: *order, result };
                if done.send(event).await.is_err() {
                    break;
                }
            }
        });
    }
    drop(done);
    while let Some(event) = finished.recv().await {
        emit(crate::model::RunEvent::GeneratedFinished(event));
    }
    while let Some(joined) = workers.join_next().await {
        joined.map_err(|e| super::ExecError::Task(e.to_string()))?;
    }
    Ok(())
}
