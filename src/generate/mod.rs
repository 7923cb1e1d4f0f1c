//! Checks generated from a specification's OpenAPI description (`run --generate`): which
//! operations and paths get which checks ([`units`]), and the requests of each
//! ([`cases`]), pure and seeded: the same seed, description and variables give the same
//! requests. Exec sends them (`exec::generated`), `judge::generated` says what each answer
//! means, and each unit becomes a synthetic scenario covering its check's requirement.
//!
//! What may be sent is the specification's decision (`generate:` in `spec.yaml`,
//! [`Writes`]): by default only GET requests are generated, so nothing generated can change
//! the vendor's data even when it wrongly accepts what it should refuse.

pub mod negative;
pub mod params;
pub mod security;
pub mod shrink;

use rand::rngs::StdRng;
use rand::seq::SliceRandom;
use rand::{RngExt, SeedableRng};
use serde_json::Value;

use crate::catalogue::generate::{GenCheck, GenerateMeta, Writes};
use crate::catalogue::openapi::{ApiDoc, Operation, ParamIn, SchemaLoc};
use crate::catalogue::Spec;
use crate::messages::{GenCredentials, GenInput, InvalidKind, Msg};
use crate::plan::{Generation, PlannedSpec};
use crate::synth::{self, Direction};

/// Methods the methods check may try on a path that does not document them.
const TRIED_METHODS: [&str; 5] = ["GET", "POST", "PUT", "PATCH", "DELETE"];

/// One generated check of one operation (or, for `methods`, one path): a synthetic
/// scenario in the report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unit {
    pub check: GenCheck,
    /// The operation (`operationId`); for `methods`, the first operation of the path, whose
    /// path parameters are used.
    pub operation: String,
    /// For `methods`: the undocumented methods to try.
    pub methods: Vec<String>,
}

impl Unit {
    /// The synthetic scenario's id: `generated/<check>/<operation>` (`methods`: the path).
    pub fn scenario_id(&self, api: &ApiDoc) -> String {
        match self.check {
            GenCheck::Methods => {
                let path = api.operation(&self.operation).map_or(self.operation.as_str(), |o| o.path.as_str());
                format!("generated/{}/{path}", self.check)
            }
            _ => format!("generated/{}/{}", self.check, self.operation),
        }
    }

    /// About how many requests the unit sends under `budget` (shrinking not counted),
    /// known without its cases: what a shard's share is balanced by.
    pub fn weight(&self, budget: usize) -> usize {
        match self.check {
            GenCheck::Auth => 2,
            GenCheck::Methods => self.methods.len().min(budget.max(1)),
            _ => budget.max(1),
        }
    }
}

/// Whether a method may be sent for a purpose under a specification's `writes`.
fn may_send(method: &str, writes: Writes, refused: bool) -> bool {
    match method {
        "GET" | "HEAD" | "OPTIONS" => true,
        _ if refused => writes >= Writes::Refused,
        _ => writes == Writes::All,
    }
}

/// `konform check`'s findings about a specification's `generate:` section: a listed check
/// the description gives nothing to test under its `writes` (e.g. `missing-headers` where no
/// operation has a required header) would stay `not_tested` in every run, so the
/// specification could never be certified. An error at the check's line in `spec.yaml`.
pub fn section_findings(spec: &Spec) -> Vec<crate::diag::Diag> {
    let (Some(api), Some(meta)) = (&spec.api, &spec.meta.generate) else { return Vec::new() };
    let file = &spec.meta_file;
    let mut out = Vec::new();
    for (i, &check) in meta.checks.iter().enumerate() {
        let alone = Generation { checks: [check].into(), budget: Generation::DEFAULT_BUDGET, seed: 0 };
        if units_of(api, Some(meta), None, &alone).is_empty() {
            let pointer = format!("/generate/checks/{i}");
            out.push(
                crate::diag::Diag::error(
                    "catalogue::generated-check-untestable",
                    format!(
                        "`{check}` has nothing to test in {} under `writes: {}`: it would stay not tested in every run, \
                         and the specification could never be certified",
                        spec.key(),
                        meta.writes.name()
                    ),
                )
                .at(file, file.locate(&[&pointer]).value(&pointer))
                .help("list only the checks the description gives something to test (docs/running.md#generated-checks---generate)"),
            );
        }
    }
    out
}

/// The generated checks of one planned specification, in a stable order: by check, then
/// by the description's order of operations. Only operations the plan allows: every
/// operation when no filter narrowed the plan, else those its scenarios call; never those
/// the specification excludes. A shard's slice gives the whole plan's units (it runs its
/// share of them, `PlannedSpec::units`).
pub fn units(spec: &Spec, planned: &PlannedSpec, generation: &Generation) -> Vec<Unit> {
    let Some(api) = &spec.api else { return Vec::new() };
    units_of(api, spec.meta.generate.as_ref(), planned.narrowed_to.as_ref(), generation)
}

/// [`units`] of a description: `called`, when the plan was narrowed, names the operations
/// its scenarios call.
pub fn units_of(
    api: &ApiDoc,
    meta: Option<&GenerateMeta>,
    called: Option<&std::collections::BTreeSet<String>>,
    generation: &Generation,
) -> Vec<Unit> {
    let writes = meta.map(|m| m.writes).unwrap_or_default();
    let excluded = |check: Option<GenCheck>, op: &Operation| meta.is_some_and(|m| m.excludes(check, &op.id));
    let allowed: Vec<&Operation> =
        api.operations.iter().filter(|op| !excluded(None, op) && called.is_none_or(|c| c.contains(&op.id))).collect();
    let mut out = Vec::new();
    for &check in &generation.checks {
        if check == GenCheck::Methods {
            let mut seen_paths: Vec<&str> = Vec::new();
            for op in &allowed {
                if seen_paths.contains(&op.path.as_str()) {
                    continue;
                }
                seen_paths.push(&op.path);
                // `methods/OPERATION` leaves out the path of that operation.
                if api.operations.iter().any(|o| o.path == op.path && excluded(Some(check), o)) {
                    continue;
                }
                let documented: Vec<&str> =
                    api.operations.iter().filter(|o| o.path == op.path).map(|o| o.method.as_str()).collect();
                let methods: Vec<String> = TRIED_METHODS
                    .iter()
                    .filter(|m| !documented.iter().any(|d| d.eq_ignore_ascii_case(m)) && may_send(m, writes, true))
                    .map(|m| m.to_string())
                    .collect();
                if !methods.is_empty() {
                    out.push(Unit { check, operation: op.id.clone(), methods });
                }
            }
            continue;
        }
        for op in allowed.iter().filter(|op| !excluded(Some(check), op)) {
            let method = op.method.to_ascii_uppercase();
            let applies = match check {
                GenCheck::NegativeData => {
                    may_send(&method, writes, true)
                        && (op.parameters.iter().any(|p| p.schema.is_some() && p.location != ParamIn::Cookie)
                            || json_body(op).is_some())
                }
                GenCheck::PositiveData => may_send(&method, writes, false),
                GenCheck::Auth => op.secured && may_send(&method, writes, true),
                GenCheck::MissingHeaders => {
                    may_send(&method, writes, true) && op.parameters.iter().any(required_header)
                }
                GenCheck::Methods => false,
            };
            if applies {
                out.push(Unit { check, operation: op.id.clone(), methods: Vec::new() });
            }
        }
    }
    out
}

/// A required header parameter konform can leave out (OpenAPI ignores parameters named
/// Accept, Content-Type and Authorization).
fn required_header(p: &crate::catalogue::openapi::Parameter) -> bool {
    p.location == ParamIn::Header && p.required && sendable_header(&p.name)
}

/// Header parameters a generated request may carry (not those HTTP itself or credentials
/// use, which OpenAPI ignores as parameters).
fn sendable_header(name: &str) -> bool {
    !["accept", "content-type", "authorization"].contains(&name.to_ascii_lowercase().as_str())
}

/// The first JSON media type of an operation's request body, with its schema.
fn json_body(op: &Operation) -> Option<(&str, &SchemaLoc)> {
    let body = op.request_body.as_ref()?;
    body.content
        .iter()
        .find(|m| crate::model::is_json_media(&m.media_type))
        .and_then(|m| Some((m.media_type.as_str(), m.schema.as_ref()?)))
}

/// A generated request, before the target's base URL and credentials are added.
#[derive(Debug, Clone, PartialEq)]
pub struct Request {
    pub method: String,
    /// The operation's path template.
    pub path: String,
    pub path_params: Vec<(String, String)>,
    pub query: Vec<(String, String)>,
    pub headers: Vec<(String, String)>,
    /// (media type, body).
    pub body: Option<(String, Value)>,
    /// The target's credentials are added.
    pub send_auth: bool,
    /// Headers konform made up (the auth check's invalid credentials): nobody's secret, so
    /// never learnt as one, and shown in the curl line as sent.
    pub public_headers: Vec<String>,
}

/// What the answer to a generated request must be.
#[derive(Debug, Clone, PartialEq)]
pub enum Expect {
    /// Refused with a documented 4xx; `body` is the schema the body broke (so the input
    /// can be shrunk) with the violations it must keep.
    Refused { input: GenInput, body: Option<(SchemaLoc, Vec<String>)> },
    /// No 5xx, a documented status; `body` is the schema the body is valid against.
    Answered { body: Option<SchemaLoc> },
    /// 401 or 403, documented.
    Unauthorized(GenCredentials),
    /// 405 with Allow, 404 or 501.
    MethodRefused,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Case {
    /// The step's name: what the request tries, as a short technical label.
    pub name: String,
    pub request: Request,
    pub expect: Expect,
}

/// A stable 64-bit mix of a seed and a name (FNV-1a), so each unit's requests depend on the
/// seed and the unit, not on the order units run in.
pub fn mix(seed: u64, name: &str) -> u64 {
    let mut h = 0xcbf2_9ce4_8422_2325u64 ^ seed;
    for b in name.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x100_0000_01b3);
    }
    h
}

/// The requests of one unit, at most `budget` of them (the auth check always sends its
/// two). `lookup` gives variables (the target's, and values the scenarios captured) by
/// name: a path parameter of the same name takes one that fits its schema, so that
/// generated requests address resources that exist.
pub fn cases(
    api: &ApiDoc,
    unit: &Unit,
    generation: &Generation,
    lookup: &dyn Fn(&str) -> Option<Value>,
) -> Result<Vec<Case>, Msg> {
    let Some(op) = api.operation(&unit.operation) else { return Ok(Vec::new()) };
    let seed = mix(generation.seed, &unit.scenario_id(api));
    let base = base_request(api, op, seed, lookup)?;
    let budget = generation.budget.max(1);
    Ok(match unit.check {
        GenCheck::NegativeData => sample(negative_cases(api, op, &base)?, budget, seed),
        GenCheck::PositiveData => positive_cases(api, op, &base, seed, budget)?,
        GenCheck::Auth => auth_cases(api, op, &base),
        GenCheck::Methods => unit
            .methods
            .iter()
            .map(|m| Case {
                name: format!("{m} {}", op.path),
                request: Request {
                    method: m.clone(),
                    query: Vec::new(),
                    headers: Vec::new(),
                    body: None,
                    ..base.clone()
                },
                expect: Expect::MethodRefused,
            })
            .take(budget)
            .collect(),
        GenCheck::MissingHeaders => op
            .parameters
            .iter()
            .filter(|p| required_header(p))
            .map(|p| {
                let mut request = base.clone();
                request.headers.retain(|(k, _)| !k.eq_ignore_ascii_case(&p.name));
                let input = GenInput { at: format!("header {}", p.name), kind: InvalidKind::MissingRequired };
                Case {
                    name: format!("without header {}", p.name),
                    request,
                    expect: Expect::Refused { input, body: None },
                }
            })
            .take(budget)
            .collect(),
    })
}

/// At most `budget` cases, chosen by the seed, kept in their order.
fn sample(cases: Vec<Case>, budget: usize, seed: u64) -> Vec<Case> {
    if cases.len() <= budget {
        return cases;
    }
    let mut picked: Vec<usize> = (0..cases.len()).collect();
    picked.shuffle(&mut StdRng::seed_from_u64(seed));
    picked.truncate(budget);
    picked.sort_unstable();
    let mut cases: Vec<Option<Case>> = cases.into_iter().map(Some).collect();
    picked.into_iter().filter_map(|i| cases[i].take()).collect()
}

fn cannot(e: synth::CannotGenerate) -> Msg {
    Msg::GenCannotGenerate { place: e.place, reason: e.reason }
}

/// A value for a parameter: a variable of its name that fits its schema, else one
/// generated from the schema.
fn param_value(
    api: &ApiDoc,
    p: &crate::catalogue::openapi::Parameter,
    seed: u64,
    lookup: &dyn Fn(&str) -> Option<Value>,
) -> Result<String, Msg> {
    let Some(schema) = &p.schema else {
        return Ok(lookup(&p.name).map(|v| params::text(&v)).unwrap_or_else(|| "konform".into()));
    };
    if let Some(v) = lookup(&p.name) {
        let text = params::text(&v);
        if params::valid_text(api, schema, &text) {
            return Ok(text);
        }
    }
    let value = synth::value(api, schema, Direction::Request, mix(seed, &p.name)).map_err(cannot)?;
    Ok(params::text(&value))
}

/// A valid request with the required parameters and a body.
fn base_request(
    api: &ApiDoc,
    op: &Operation,
    seed: u64,
    lookup: &dyn Fn(&str) -> Option<Value>,
) -> Result<Request, Msg> {
    let mut request = Request {
        method: op.method.to_ascii_uppercase(),
        path: op.path.clone(),
        path_params: Vec::new(),
        query: Vec::new(),
        headers: Vec::new(),
        body: None,
        send_auth: true,
        public_headers: Vec::new(),
    };
    for p in &op.parameters {
        match p.location {
            ParamIn::Path => request.path_params.push((p.name.clone(), param_value(api, p, seed, lookup)?)),
            ParamIn::Query if p.required => request.query.push((p.name.clone(), param_value(api, p, seed, lookup)?)),
            ParamIn::Header if required_header(p) => {
                request.headers.push((p.name.clone(), param_value(api, p, seed, lookup)?))
            }
            _ => {}
        }
    }
    if let Some((media, schema)) = json_body(op) {
        let value = synth::value(api, schema, Direction::Request, seed).map_err(cannot)?;
        request.body = Some((media.to_string(), value));
    }
    Ok(request)
}

fn negative_cases(api: &ApiDoc, op: &Operation, base: &Request) -> Result<Vec<Case>, Msg> {
    let mut out = Vec::new();
    for p in op.parameters.iter().filter(|p| p.location != ParamIn::Cookie) {
        let Some(schema) = &p.schema else { continue };
        let given = match p.location {
            ParamIn::Path => base.path_params.iter().find(|(k, _)| *k == p.name).map(|(_, v)| v.clone()),
            ParamIn::Query => base.query.iter().find(|(k, _)| *k == p.name).map(|(_, v)| v.clone()),
            ParamIn::Header => {
                base.headers.iter().find(|(k, _)| k.eq_ignore_ascii_case(&p.name)).map(|(_, v)| v.clone())
            }
            ParamIn::Cookie => None,
        };
        // An optional parameter is broken from a valid value of its own.
        let given = match given {
            Some(g) => g,
            None => params::text(&synth::value(api, schema, Direction::Request, mix(0, &p.name)).map_err(cannot)?),
        };
        let value = params::coerce(api, schema, &given);
        let Ok((_, _, resolved)) = api.resolve(schema.doc, &schema.pointer) else { continue };
        let Some(map) = resolved.as_object() else { continue };
        let mut texts: Vec<(String, InvalidKind)> = Vec::new();
        for (broken, kind) in negative::breaks(map, &value) {
            let text = params::text(&broken);
            // Invalid as the parameter travels: read back as its schema wants, and rejected.
            let typed_already = kind == InvalidKind::WrongType && texts.iter().any(|(_, k)| *k == kind);
            if typed_already || text.is_empty() || texts.iter().any(|(t, _)| *t == text) {
                continue;
            }
            if !params::valid_text(api, schema, &text) {
                texts.push((text, kind));
            }
        }
        for (text, kind) in texts {
            let mut request = base.clone();
            let slot = match p.location {
                ParamIn::Path => &mut request.path_params,
                ParamIn::Query => &mut request.query,
                _ => &mut request.headers,
            };
            slot.retain(|(k, _)| !k.eq_ignore_ascii_case(&p.name));
            slot.push((p.name.clone(), text));
            let input = GenInput { at: format!("{} {}", p.location, p.name), kind };
            out.push(Case { name: label(&input), request, expect: Expect::Refused { input, body: None } });
        }
        if p.location == ParamIn::Query && p.required && !has_default(api, schema) {
            let mut request = base.clone();
            request.query.retain(|(k, _)| *k != p.name);
            let input = GenInput { at: format!("query {}", p.name), kind: InvalidKind::MissingRequired };
            out.push(Case { name: label(&input), request, expect: Expect::Refused { input, body: None } });
        }
    }
    if let (Some((media, schema)), Some((_, body))) = (json_body(op), &base.body) {
        for m in negative::mutants(api, schema, body) {
            let signature = shrink::signature(api, schema, &m.value);
            let mut request = base.clone();
            request.body = Some((media.to_string(), m.value));
            let at = if m.at.is_empty() { "body /".to_string() } else { format!("body {}", m.at) };
            let input = GenInput { at, kind: m.kind };
            out.push(Case {
                name: label(&input),
                request,
                expect: Expect::Refused { input, body: Some((schema.clone(), signature)) },
            });
        }
    }
    Ok(out)
}

fn has_default(api: &ApiDoc, schema: &SchemaLoc) -> bool {
    api.resolve(schema.doc, &schema.pointer).is_ok_and(|(_, _, s)| s.get("default").is_some())
}

/// A step name for an invalid input: `body /applicant: missing-required`.
fn label(input: &GenInput) -> String {
    let kind = serde_json::to_value(input.kind).ok().and_then(|v| v.as_str().map(str::to_string)).unwrap_or_default();
    format!("{}: {kind}", input.at)
}

fn positive_cases(api: &ApiDoc, op: &Operation, base: &Request, seed: u64, budget: usize) -> Result<Vec<Case>, Msg> {
    let mut out: Vec<Case> = Vec::new();
    let body = json_body(op);
    for i in 0..budget as u64 {
        let seed = mix(seed, &format!("positive {i}"));
        let mut rng = StdRng::seed_from_u64(seed);
        let mut request = base.clone();
        for p in &op.parameters {
            let optional = !p.required && matches!(p.location, ParamIn::Query | ParamIn::Header);
            if optional && (p.location != ParamIn::Header || sendable_header(&p.name)) && rng.random_bool(0.5) {
                let text = param_value(api, p, seed, &|_| None)?;
                match p.location {
                    ParamIn::Query => request.query.push((p.name.clone(), text)),
                    _ => request.headers.push((p.name.clone(), text)),
                }
            }
        }
        if let Some((media, schema)) = body {
            let options = synth::Options { examples: i == 0, optional: 0.5 };
            let value = synth::value_with(api, schema, Direction::Request, seed, options).map_err(cannot)?;
            request.body = Some((media.to_string(), value));
        }
        if out.iter().any(|c| c.request == request) {
            continue;
        }
        out.push(Case {
            name: format!("valid input #{}", out.len() + 1),
            request,
            expect: Expect::Answered { body: body.map(|(_, s)| s.clone()) },
        });
    }
    Ok(out)
}

fn auth_cases(api: &ApiDoc, op: &Operation, base: &Request) -> Vec<Case> {
    let without = Request { send_auth: false, ..base.clone() };
    let mut invalid = without.clone();
    for c in security::invalid_credentials(api, op) {
        match c {
            security::Credential::Header(k, v) => {
                invalid.public_headers.push(k.clone());
                invalid.headers.push((k, v));
            }
            security::Credential::Query(k, v) => invalid.query.push((k, v)),
        }
    }
    vec![
        Case {
            name: "without credentials".into(),
            request: without,
            expect: Expect::Unauthorized(GenCredentials::None),
        },
        Case {
            name: "with invalid credentials".into(),
            request: invalid,
            expect: Expect::Unauthorized(GenCredentials::Invalid),
        },
    ]
}

#[cfg(test)]
mod tests;
