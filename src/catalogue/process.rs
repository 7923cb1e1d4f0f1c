//! Processes: how a case moves from state to state (submitted, in review, decided...), who
//! moves it and through which transition, defined once for the whole catalogue beside the
//! specifications that implement it.
//!
//! A process is a folder `<id>/<version>/` (under `processes/` by convention) holding
//! `process.yaml`: actors, states (one initial, some final) and transitions (each from some
//! states to one, or leaving the state as it is; one creates the case). A specification
//! says in its `spec.yaml` (`process:`) which process it implements, which of its status
//! values each state is, and which operation causes each transition (or that a
//! transition happens outside its API, and why). [`check_uses`] holds it to that;
//! [`derive`] turns the mapping into requirements and scenarios that `konform run` checks
//! like any other: every allowed transition the API can reach works, and every operation
//! is refused in the reachable states the process forbids it in.

use std::collections::{BTreeMap, BTreeSet, VecDeque};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde::{Deserialize, Serialize};
use serde_json::{json, Map, Value};

use super::lifecycle::Lifecycle;
use super::{Catalogue, Requirement, Spec, Status};
use crate::diag::Diag;
use crate::messages::ProcessText;
use crate::model::{Lang, Level, Localized};
use crate::source::{Boundary, SourceFile};

/// The file that marks a folder as one version of a process.
pub const PROCESS_FILE: &str = "process.yaml";

/// `process.yaml`.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ProcessMeta {
    pub id: String,
    pub version: semver::Version,
    pub status: Status,
    #[serde(default, skip_serializing_if = "Lifecycle::is_empty")]
    pub lifecycle: Lifecycle,
    pub title: Localized,
    #[serde(default)]
    pub description: Option<Localized>,
    pub actors: Vec<Actor>,
    pub states: Vec<State>,
    pub transitions: Vec<Transition>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Actor {
    pub id: String,
    pub title: Localized,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct State {
    pub id: String,
    pub title: Localized,
    /// The state a new case is in (exactly one).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub initial: bool,
    /// No transition leaves it.
    #[serde(default, rename = "final", skip_serializing_if = "std::ops::Not::not")]
    pub terminal: bool,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Transition {
    pub id: String,
    /// The states it is allowed from; empty for the transition that creates the case.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub from: Vec<String>,
    /// The state it leads to; `None`: the case stays in the state it was in.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub to: Option<String>,
    pub actor: String,
    pub title: Localized,
}

/// One version of a process, as loaded.
pub struct Process {
    pub dir: PathBuf,
    pub file: Arc<SourceFile>,
    pub meta: ProcessMeta,
}

impl Process {
    /// `id@version`.
    pub fn key(&self) -> String {
        format!("{}@{}", self.meta.id, self.meta.version)
    }

    pub fn state(&self, id: &str) -> Option<&State> {
        self.meta.states.iter().find(|s| s.id == id)
    }

    pub fn transition(&self, id: &str) -> Option<&Transition> {
        self.meta.transitions.iter().find(|t| t.id == id)
    }

    /// The transition that creates a case.
    pub fn creating(&self) -> Option<&Transition> {
        self.meta.transitions.iter().find(|t| t.from.is_empty())
    }

    fn diag(&self, code: &'static str, pointer: &str, message: String) -> Diag {
        Diag::error(code, message).at(&self.file, self.file.locate(&[pointer]).value(pointer))
    }
}

/// `process:` in a `spec.yaml`: how the specification implements a process.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ProcessUse {
    /// `id@version`, or `id` for its newest active version.
    pub implements: String,
    /// A reference into the OpenAPI description to the schema whose `enum` lists the
    /// specification's status values, such as `#/components/schemas/CaseStatus`.
    pub status: String,
    /// Each state of the process → the specification's status value for it.
    pub states: BTreeMap<String, String>,
    /// How the live checks address one case.
    pub instance: Instance,
    /// The status a transition the process forbids is refused with.
    #[serde(default = "default_refused")]
    pub refused: u16,
    /// Each transition of the process → how the specification does it.
    pub transitions: BTreeMap<String, TransitionUse>,
    /// A transition the live checks end each case with (such as a withdrawal), so they
    /// leave nothing open behind them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cleanup: Option<String>,
}

fn default_refused() -> u16 {
    409
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Instance {
    /// Where the new case's id is in the creating operation's response (JSONPath).
    pub id: String,
    /// The path parameter the id goes in.
    pub parameter: String,
    /// The other path parameters every operation takes (templates allowed).
    #[serde(default)]
    pub path: BTreeMap<String, Value>,
    /// How a case's state is read.
    pub state: StateRead,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct StateRead {
    pub operation: String,
    /// Where the status value is in its response (JSONPath).
    pub value: String,
}

/// How a specification does one transition: an operation (with the body the live checks
/// send), or `outside` its API, with why.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct TransitionUse {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub operation: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub body: Option<Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub body_file: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub outside: Option<Localized>,
}

/// Reads a `process.yaml` and checks it on its own: ids unique, one initial state, one
/// creating transition into it, every state and actor a transition names declared.
pub fn load(path: &Path, diags: &mut Vec<Diag>) -> Option<Process> {
    let (dir, file, meta) = super::load_entry::<ProcessMeta>(
        path,
        ("process ", "keep each process version in <catalogue>/processes/<id>/<version>/"),
        |p| (&p.id, &p.version),
        diags,
    )?;
    let process = Process { dir, file, meta };
    check_process(&process, diags);
    Some(process)
}

fn check_process(p: &Process, diags: &mut Vec<Diag>) {
    let m = &p.meta;
    let mut seen = BTreeSet::new();
    for (i, s) in m.states.iter().enumerate() {
        if !seen.insert(s.id.as_str()) {
            diags.push(p.diag(
                "process::duplicate",
                &format!("/states/{i}/id"),
                format!("state `{}` is declared twice", s.id),
            ));
        }
    }
    let initial: Vec<&State> = m.states.iter().filter(|s| s.initial).collect();
    if initial.len() != 1 {
        diags.push(p.diag(
            "process::initial",
            "/states",
            format!("a process has exactly one initial state (`initial: true`); {} has {}", p.key(), initial.len()),
        ));
    }
    let actor = |id: &str| m.actors.iter().any(|a| a.id == id);
    let state = |id: &str| m.states.iter().any(|s| s.id == id);
    let mut seen = BTreeSet::new();
    for (i, t) in m.transitions.iter().enumerate() {
        let at = format!("/transitions/{i}");
        if !seen.insert(t.id.as_str()) {
            diags.push(p.diag(
                "process::duplicate",
                &format!("{at}/id"),
                format!("transition `{}` is declared twice", t.id),
            ));
        }
        if !actor(&t.actor) {
            let known: Vec<&str> = m.actors.iter().map(|a| a.id.as_str()).collect();
            diags.push(p.diag(
                "process::unknown-actor",
                &format!("{at}/actor"),
                format!(
                    "transition `{}` names actor `{}`, which the process does not declare ({})",
                    t.id,
                    t.actor,
                    known.join(", ")
                ),
            ));
        }
        for (j, s) in t.from.iter().enumerate() {
            if !state(s) {
                diags.push(p.diag(
                    "process::unknown-state",
                    &format!("{at}/from/{j}"),
                    format!("transition `{}` starts from `{s}`, which is no state of the process", t.id),
                ));
            } else if m.states.iter().any(|x| &x.id == s && x.terminal) {
                diags.push(p.diag(
                    "process::from-final",
                    &format!("{at}/from/{j}"),
                    format!("transition `{}` starts from `{s}`, a final state, which nothing leaves", t.id),
                ));
            }
        }
        if let Some(to) = &t.to {
            if !state(to) {
                diags.push(p.diag(
                    "process::unknown-state",
                    &format!("{at}/to"),
                    format!("transition `{}` leads to `{to}`, which is no state of the process", t.id),
                ));
            }
        }
    }
    let creating: Vec<&Transition> = m.transitions.iter().filter(|t| t.from.is_empty()).collect();
    let into_initial =
        creating.len() == 1 && initial.len() == 1 && creating[0].to.as_deref() == Some(initial[0].id.as_str());
    if !into_initial {
        diags.push(p.diag(
            "process::creating",
            "/transitions",
            format!(
                "a process has exactly one transition without `from` (the one that creates a case), leading to the \
                 initial state; {} has {}",
                p.key(),
                creating.len()
            ),
        ));
    }
}

/// A process version, by `id` (its newest active version) or `id@version`.
pub fn find<'c>(catalogue: &'c Catalogue, selector: &str) -> Option<Result<&'c Process, super::SelectError>> {
    super::select(catalogue.processes.iter(), selector, |p| (&p.meta.id, &p.meta.version, p.meta.status))
}

/// The process a specification implements, when it names one the catalogue has.
pub fn of_spec<'c>(processes: &'c [Process], spec: &Spec) -> Option<&'c Process> {
    let usage = spec.meta.process.as_ref()?;
    let (id, version) = match usage.implements.split_once('@') {
        Some((id, v)) => (id, semver::Version::parse(v).ok()),
        None => (usage.implements.as_str(), None),
    };
    processes
        .iter()
        .filter(|p| p.meta.id == id && version.as_ref().is_none_or(|v| &p.meta.version == v))
        .filter(|p| version.is_some() || p.meta.status == Status::Active)
        .max_by(|a, b| a.meta.version.cmp(&b.meta.version))
}

/// The specification versions implementing a process version.
pub fn implementers<'c>(catalogue: &'c Catalogue, process: &Process) -> Vec<&'c Spec> {
    catalogue
        .specs
        .iter()
        .filter(|s| of_spec(&catalogue.processes, s).is_some_and(|p| std::ptr::eq(p, process)))
        .collect()
}

/// A process id that is also a specification's or a model's, or a version defined twice.
pub fn check_ids(catalogue: &Catalogue, diags: &mut Vec<Diag>) {
    for (i, p) in catalogue.processes.iter().enumerate() {
        let at = || p.file.locate(&["/id"]).value("/id");
        let taken = catalogue.specs.iter().any(|s| s.meta.id == p.meta.id)
            || catalogue.models.iter().any(|m| m.meta.id == p.meta.id);
        if taken {
            diags.push(
                Diag::error(
                    "catalogue::duplicate-id",
                    format!("`{}` is both a process and a specification or information model", p.meta.id),
                )
                .at(&p.file, at())
                .help("give the process an id of its own: commands name processes, models and specifications alike"),
            );
        }
        if catalogue.processes[..i].iter().any(|o| o.meta.id == p.meta.id && o.meta.version == p.meta.version) {
            diags.push(
                Diag::error("catalogue::duplicate-spec", format!("{} is defined twice", p.key()))
                    .at(&p.file, p.file.locate(&["/version"]).value("/version")),
            );
        }
    }
}

/// Checks every specification's `process:` against its process and its OpenAPI
/// description; for each one that holds, adds the requirements and the scenarios derived
/// from it to the specification.
pub fn check_uses(catalogue: &mut Catalogue, boundary: &Boundary, diags: &mut Vec<Diag>) {
    let processes = &catalogue.processes;
    for spec in &mut catalogue.specs {
        let Some(usage) = spec.meta.process.clone() else { continue };
        let at = |pointer: &str| spec.meta_file.locate(&[pointer]).value(pointer);
        let Some(process) = of_spec(processes, spec) else {
            let known: Vec<String> = processes.iter().map(Process::key).collect();
            let hint = crate::diag::did_you_mean(&usage.implements, known.iter().map(String::as_str))
                .map(|h| format!("; {h}"))
                .unwrap_or_default();
            diags.push(
                Diag::error(
                    "process::unknown",
                    format!(
                        "{} implements `{}`, which is no process of the catalogue{hint}",
                        spec.key(),
                        usage.implements
                    ),
                )
                .at(&spec.meta_file, at("/process/implements")),
            );
            continue;
        };
        spec.process_file = Some(process.file.clone());
        let before = diags.len();
        check_use(spec, process, &usage, diags);
        let clean = diags[before..].iter().all(|d| d.level != crate::diag::Level::Error);
        if clean && spec.api.is_some() {
            match derive(spec, process, &usage, boundary) {
                Ok(Some((requirements, suite))) => {
                    spec.requirements.extend(requirements);
                    spec.suites.push(suite);
                }
                Ok(None) => {}
                Err(problems) => diags.extend(problems),
            }
        }
    }
}

fn check_use(spec: &Spec, process: &Process, usage: &ProcessUse, diags: &mut Vec<Diag>) {
    let file = &spec.meta_file;
    let err = |code: &'static str, pointer: &str, message: String| {
        Diag::error(code, message).at(file, file.locate(&[pointer]).value(pointer))
    };
    let key_err = |code: &'static str, pointer: &str, message: String| {
        let located = file.locate(&[pointer]);
        Diag::error(code, message).at(file, located.key(pointer).or_else(|| located.value(pointer)))
    };
    let pkey = process.key();
    // States: every state has a status value, and the status values are exactly the states'.
    for s in &process.meta.states {
        if !usage.states.contains_key(&s.id) {
            diags.push(key_err(
                "process::states",
                "/process/states",
                format!("{} gives no status value for the state `{}` of {pkey}", spec.key(), s.id),
            ));
        }
    }
    for state in usage.states.keys() {
        if process.state(state).is_none() {
            diags.push(key_err(
                "process::states",
                &format!("/process/states/{state}"),
                format!("`{state}` is no state of {pkey}"),
            ));
        }
    }
    let mut seen: BTreeMap<&str, &str> = BTreeMap::new();
    for (state, value) in &usage.states {
        if let Some(other) = seen.insert(value.as_str(), state.as_str()) {
            diags.push(err(
                "process::states",
                &format!("/process/states/{state}"),
                format!("`{value}` is the status value of both `{other}` and `{state}`: each state needs its own"),
            ));
        }
    }
    if let Some(api) = &spec.api {
        match status_values(api, &usage.status) {
            Err(why) => diags.push(err("process::status-schema", "/process/status", why)),
            Ok(values) => {
                for (state, value) in &usage.states {
                    if !values.contains(value) {
                        diags.push(err(
                            "process::states",
                            &format!("/process/states/{state}"),
                            format!(
                                "`{value}` (state `{state}`) is not among the status values of `{}` ({})",
                                usage.status,
                                values.iter().cloned().collect::<Vec<_>>().join(", ")
                            ),
                        ));
                    }
                }
                for value in &values {
                    if !usage.states.values().any(|v| v == value) {
                        diags.push(err(
                            "process::states",
                            "/process/status",
                            format!(
                                "the status value `{value}` of `{}` is no state of {pkey}: the specification's status \
                                 values must be exactly the process's states",
                                usage.status
                            ),
                        ));
                    }
                }
            }
        }
        let operation = |pointer: &str, id: &str, diags: &mut Vec<Diag>| {
            if api.operation(id).is_none() {
                let hint =
                    crate::diag::did_you_mean(id, api.operation_ids()).map(|h| format!("; {h}")).unwrap_or_default();
                diags.push(err(
                    "process::unknown-operation",
                    pointer,
                    format!("`{id}` is no operation of {}'s OpenAPI description{hint}", spec.key()),
                ));
            }
        };
        operation("/process/instance/state/operation", &usage.instance.state.operation, diags);
        for (t, how) in &usage.transitions {
            if let Some(op) = &how.operation {
                operation(&format!("/process/transitions/{t}/operation"), op, diags);
            }
        }
    }
    // Transitions: every one mapped, to an operation or declared outside the API.
    for t in &process.meta.transitions {
        if !usage.transitions.contains_key(&t.id) {
            diags.push(
                key_err(
                    "process::unmapped-transition",
                    "/process/transitions",
                    format!(
                        "{} does not say how it does the transition `{}` of {pkey} ({} → {})",
                        spec.key(),
                        t.id,
                        if t.from.is_empty() { "new".to_string() } else { t.from.join("|") },
                        t.to.as_deref().unwrap_or("same state")
                    ),
                )
                .help(format!(
                    "map it to the operation that causes it (`{}: {{ operation: OPERATION_ID }}`), or say that it \
                     happens outside the API (`{}: {{ outside: {{ sv: ..., en: ... }} }}`)",
                    t.id, t.id
                )),
            );
        }
    }
    for (t, how) in &usage.transitions {
        let pointer = format!("/process/transitions/{t}");
        if process.transition(t).is_none() {
            diags.push(key_err("process::unknown-transition", &pointer, format!("`{t}` is no transition of {pkey}")));
            continue;
        }
        if how.operation.is_some() == how.outside.is_some() {
            diags.push(err(
                "process::transition",
                &pointer,
                format!("`{t}` needs exactly one of `operation` (the operation that causes it) and `outside` (why the API does not)"),
            ));
        }
        if how.outside.is_some() && (how.body.is_some() || how.body_file.is_some()) {
            diags.push(err("process::transition", &pointer, format!("`{t}` happens outside the API: it has no body")));
        }
    }
    if let Some(c) = &usage.cleanup {
        let through_api = usage.transitions.get(c).is_some_and(|h| h.operation.is_some());
        if !through_api {
            diags.push(err(
                "process::cleanup",
                "/process/cleanup",
                format!("`cleanup: {c}` must name a transition the specification does through an operation"),
            ));
        }
    }
}

/// The `enum` of the status schema a `process.status` reference names.
fn status_values(api: &crate::catalogue::openapi::ApiDoc, reference: &str) -> Result<BTreeSet<String>, String> {
    let (_, schema) = api
        .resolve_ref(0, reference)
        .ok_or_else(|| format!("`status: {reference}` names nothing in the OpenAPI description"))?;
    let values = schema
        .get("enum")
        .and_then(Value::as_array)
        .ok_or_else(|| format!("`status: {reference}` names a schema without an `enum` of status values"))?;
    values
        .iter()
        .map(|v| {
            v.as_str()
                .map(str::to_string)
                .ok_or_else(|| format!("`{reference}` has a status value that is not a string: {v}"))
        })
        .collect()
}

/// The id of the requirement that a transition works through the API.
pub fn reach_requirement(process: &Process, transition: &str) -> String {
    format!("{}/{transition}", process.meta.id)
}

/// The id of the requirement that a transition is refused where the process forbids it.
pub fn refuse_requirement(process: &Process, transition: &str) -> String {
    format!("{}/{transition}/refused", process.meta.id)
}

/// The path under which the derived scenarios are reported (no such file exists).
pub fn derived_suite_path(spec: &Spec, process: &Process) -> PathBuf {
    spec.dir.join(format!("process-{}-{}.derived.yaml", process.meta.id, process.meta.version))
}

/// Where the API can take a case: for each state reachable through transitions the
/// specification does by operations, the transitions that get there from a new case
/// (shortest first found).
fn reachable<'p>(process: &'p Process, usage: &ProcessUse) -> BTreeMap<String, Vec<&'p Transition>> {
    let mut paths: BTreeMap<String, Vec<&Transition>> = BTreeMap::new();
    let Some(create) = process.creating() else { return paths };
    let Some(first) = &create.to else { return paths };
    let through_api = |t: &Transition| usage.transitions.get(&t.id).is_some_and(|h| h.operation.is_some());
    if !through_api(create) {
        return paths;
    }
    paths.insert(first.clone(), Vec::new());
    let mut queue = VecDeque::from([first.clone()]);
    while let Some(state) = queue.pop_front() {
        for t in process.meta.transitions.iter().filter(|t| through_api(t) && t.from.contains(&state)) {
            let Some(to) = &t.to else { continue };
            if !paths.contains_key(to) {
                let mut path = paths[&state].clone();
                path.push(t);
                paths.insert(to.clone(), path);
                queue.push_back(to.clone());
            }
        }
    }
    paths
}

/// The requirements and the suite a specification's process mapping gives `konform run`:
/// `None` when the API cannot create a case (nothing can be checked live).
fn derive(
    spec: &Spec,
    process: &Process,
    usage: &ProcessUse,
    boundary: &Boundary,
) -> Result<Option<(Vec<Requirement>, crate::suite::Suite)>, Vec<Diag>> {
    let Some(api) = &spec.api else { return Ok(None) };
    let paths = reachable(process, usage);
    let Some(create) = process.creating().filter(|_| !paths.is_empty()) else { return Ok(None) };
    let op_of = |t: &Transition| usage.transitions.get(&t.id).and_then(|h| h.operation.clone());
    let success = |op: &str| -> Vec<u16> {
        let codes: Vec<u16> = api
            .operation(op)
            .map(|o| {
                o.responses
                    .iter()
                    .filter_map(|r| match r.status {
                        crate::model::StatusKey::Code(c) if (200..300).contains(&c) => Some(c),
                        _ => None,
                    })
                    .collect()
            })
            .unwrap_or_default();
        if codes.is_empty() {
            vec![200, 201, 202, 204]
        } else {
            codes
        }
    };
    let both = |f: &dyn Fn(Lang) -> String| Localized { sv: f(Lang::Sv), en: f(Lang::En) };
    let state_title =
        |id: &str, lang: Lang| process.state(id).map_or(id.to_string(), |s| s.title.get(lang).to_string());
    let path_params = |with_instance: bool| {
        let mut path: Map<String, Value> = usage.instance.path.iter().map(|(k, v)| (k.clone(), v.clone())).collect();
        if with_instance {
            path.insert(usage.instance.parameter.clone(), json!("{{ processInstance }}"));
        }
        Value::Object(path)
    };
    // Steps have no names: a step name is one text, and the scenario titles say what a
    // scenario does in each language; the report names each step by its operation.
    let call = |t: &Transition, expect: Value| {
        let how = &usage.transitions[&t.id];
        let op = how.operation.clone().unwrap_or_default();
        let mut step = Map::new();
        step.insert("operation".into(), json!(op));
        step.insert("path".into(), path_params(!t.from.is_empty()));
        if let Some(body) = &how.body {
            step.insert("body".into(), body.clone());
        }
        if let Some(file) = &how.body_file {
            step.insert("body_file".into(), json!(file));
        }
        step.insert("expect".into(), expect);
        if t.from.is_empty() {
            step.insert("capture".into(), json!({ "processInstance": usage.instance.id }));
        }
        Value::Object(step)
    };
    let read = |state: &str| {
        let op = &usage.instance.state.operation;
        let mut body = Map::new();
        body.insert(usage.instance.state.value.clone(), json!(usage.states[state]));
        json!({
            "operation": op,
            "path": path_params(true),
            "expect": { "status": success(op), "body": body },
        })
    };
    let cleanup = || -> Vec<Value> {
        let Some(t) = usage.cleanup.as_deref().and_then(|c| process.transition(c)) else { return Vec::new() };
        let op = op_of(t).unwrap_or_default();
        let mut codes = success(&op);
        codes.push(usage.refused);
        vec![call(t, json!({ "status": codes }))]
    };
    // The steps that create a case and take it to `state`: setup steps (they prepare, what
    // the scenario tests comes after them), unless the creation is what is tested.
    // On the way, the state is read after each move: an API that does not get there
    // leaves the scenario blocked (it cannot judge what it tests), not failed.
    let walk = |state: &str, setup: bool| -> Vec<Value> {
        let mut steps = vec![call(create, json!({ "status": success(&op_of(create).unwrap_or_default()) }))];
        let mut at = create.to.clone().unwrap_or_default();
        for t in &paths[state] {
            steps.push(read(&at));
            steps.push(call(t, json!({ "status": success(&op_of(t).unwrap_or_default()) })));
            at = t.to.clone().unwrap_or(at);
        }
        if !paths[state].is_empty() {
            steps.push(read(&at));
        }
        for step in &mut steps {
            step["setup"] = json!(setup);
        }
        steps
    };

    let pkey = process.key();
    let mut requirements = Vec::new();
    let mut scenarios = Vec::new();
    for t in &process.meta.transitions {
        let Some(op) = op_of(t) else { continue };
        let reach_id = reach_requirement(process, &t.id);
        let title = |lang: Lang| t.title.get(lang).to_string();
        let mut covered = false;
        if t.from.is_empty() {
            let to = t.to.as_deref().unwrap_or_default();
            let mut steps = walk(to, false);
            steps.push(read(to));
            scenarios.push(json!({
                "id": format!("process-{}", t.id),
                "title": both(&|l| ProcessText::ReachScenario { transition: title(l), from: None }.get(l)),
                "covers": [reach_id],
                "steps": steps,
                "cleanup": cleanup(),
            }));
            covered = true;
        }
        for from in t.from.iter().filter(|s| paths.contains_key(*s)) {
            let mut steps = walk(from, true);
            steps.push(call(t, json!({ "status": success(&op) })));
            steps.push(read(t.to.as_deref().unwrap_or(from)));
            scenarios.push(json!({
                "id": format!("process-{}-in-{from}", t.id),
                "title": both(&|l| ProcessText::ReachScenario { transition: title(l), from: Some(state_title(from, l)) }.get(l)),
                "covers": [reach_id],
                "steps": steps,
                "cleanup": cleanup(),
            }));
            covered = true;
        }
        if covered {
            requirements.push(Requirement {
                id: reach_id,
                level: Level::Must,
                title: both(&|l| ProcessText::ReachTitle { transition: title(l) }.get(l)),
                text: both(&|l| {
                    ProcessText::ReachText {
                        process: pkey.clone(),
                        transition: title(l),
                        operation: op.clone(),
                        from: t.from.iter().map(|s| state_title(s, l)).collect(),
                        to: t.to.as_deref().map(|s| state_title(s, l)),
                    }
                    .get(l)
                }),
                verification: Default::default(),
                derived: true,
            });
        }
    }
    // Refusals: each operation, in every reachable state no transition it causes is allowed from.
    let mut by_operation: BTreeMap<String, Vec<&Transition>> = BTreeMap::new();
    for t in process.meta.transitions.iter().filter(|t| !t.from.is_empty()) {
        if let Some(op) = op_of(t) {
            by_operation.entry(op).or_default().push(t);
        }
    }
    for (op, transitions) in &by_operation {
        let allowed: BTreeSet<&str> = transitions.iter().flat_map(|t| t.from.iter().map(String::as_str)).collect();
        let forbidden: Vec<&String> = paths.keys().filter(|s| !allowed.contains(s.as_str())).collect();
        if forbidden.is_empty() {
            continue;
        }
        let covers: Vec<String> = transitions.iter().map(|t| refuse_requirement(process, &t.id)).collect();
        for state in forbidden {
            let mut steps = walk(state, true);
            let t = transitions[0];
            steps.push(call(t, json!({ "status": usage.refused })));
            steps.push(read(state));
            scenarios.push(json!({
                "id": format!("process-{op}-refused-in-{state}"),
                "title": both(&|l| ProcessText::RefuseScenario { operation: op.clone(), state: state_title(state, l) }.get(l)),
                "covers": covers,
                "steps": steps,
                "cleanup": cleanup(),
            }));
        }
        for t in transitions {
            requirements.push(Requirement {
                id: refuse_requirement(process, &t.id),
                level: Level::Must,
                title: both(&|l| ProcessText::RefuseTitle { transition: t.title.get(l).to_string() }.get(l)),
                text: both(&|l| {
                    ProcessText::RefuseText {
                        process: pkey.clone(),
                        transition: t.title.get(l).to_string(),
                        operation: op.clone(),
                        status: usage.refused,
                    }
                    .get(l)
                }),
                verification: Default::default(),
                derived: true,
            });
        }
    }
    if scenarios.is_empty() {
        return Ok(None);
    }
    let text = serde_json::to_string_pretty(&json!({ "scenarios": scenarios })).map_err(|e| {
        vec![Diag::error("process::derive", format!("the scenarios derived from {pkey} cannot be written: {e}"))]
    })?;
    let file = Arc::new(SourceFile::from_text(&derived_suite_path(spec, process), text));
    let (mut suite, problems) = crate::suite::Suite::from_source(file, &spec.dir, boundary)?;
    suite.derived = true;
    if problems.iter().any(|d| d.level == crate::diag::Level::Error) {
        return Err(problems);
    }
    Ok(Some((requirements, suite)))
}
