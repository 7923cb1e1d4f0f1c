//! Static checks of a loaded catalogue: everything that can be known wrong before a single
//! request is sent. Each finding points at the line it concerns.

use std::collections::{BTreeSet, HashMap, HashSet};

use serde_json::Value;

use crate::catalogue::openapi::security::{Carrier, SchemeProblem};
use crate::catalogue::openapi::{ApiDoc, Operation, ParamIn, SchemaLoc};
use crate::catalogue::{Catalogue, Spec};
use crate::diag::{did_you_mean, Diag, Level};
use crate::model::StatusKey;
use crate::source::Span;
use crate::suite::template::BUILTINS;
use crate::suite::{Body, FixtureContent, GivenAuth, Param, Role, Scenario, Step, StepAuth, Subject, Suite};

/// Headers a step may always set without the description declaring them.
const TRANSPORT_HEADERS: [&str; 6] =
    ["authorization", "content-type", "accept", "accept-language", "user-agent", "cookie"];

/// Runs every static check on a catalogue (loading problems are reported by the loader).
pub fn check_catalogue(catalogue: &Catalogue) -> Vec<Diag> {
    let mut diags = Vec::new();
    for spec in &catalogue.specs {
        check_spec(spec, &mut diags);
    }
    diags
}

pub fn check_spec(spec: &Spec, diags: &mut Vec<Diag>) {
    check_requirements(spec, diags);
    check_generate_exclusions(spec, diags);
    let mut scenario_ids: HashMap<&str, (&Suite, &Scenario)> = HashMap::new();
    // What the shared setup scenarios capture: every other scenario may use it, and a setup
    // scenario what the setup scenarios before it capture.
    let mut shared: BTreeSet<String> = BTreeSet::new();
    let setups = spec.suites.iter().flat_map(|suite| suite.setup.iter().map(move |s| (suite, s)));
    let tests = spec.suites.iter().flat_map(|suite| suite.scenarios.iter().map(move |s| (suite, s)));
    let teardowns = spec.suites.iter().flat_map(|suite| suite.teardown.iter().map(move |s| (suite, s)));
    for (suite, scenario) in setups.chain(tests).chain(teardowns) {
        if let Some((first_suite, _)) = scenario_ids.get(scenario.id.as_str()) {
            diags.push(
                suite
                    .diag(
                        "suite::duplicate-scenario",
                        &format!("{}/id", scenario.pointer),
                        format!("scenario id `{}` is used twice in {}", scenario.id, spec.key()),
                    )
                    .help(format!(
                        "the first is in {}; scenario ids are unique within a specification version (shared setup and teardown included)",
                        first_suite.file.name
                    )),
            );
        } else {
            scenario_ids.insert(&scenario.id, (suite, scenario));
        }
        check_scenario(spec, suite, scenario, &shared, diags);
        if scenario.role == Role::Setup {
            shared.extend(scenario.steps.iter().flat_map(|s| s.captures.iter().map(|c| c.name.clone())));
        }
    }
}

/// `generate.exclude` in spec.yaml names operations of the description.
fn check_generate_exclusions(spec: &Spec, diags: &mut Vec<Diag>) {
    let (Some(api), Some(meta)) = (&spec.api, &spec.meta.generate) else { return };
    let file = &spec.meta_file;
    for (i, entry) in meta.exclude.iter().enumerate() {
        let (_, id) = crate::catalogue::generate::exclusion(entry);
        if api.operation(id).is_some() {
            continue;
        }
        let pointer = format!("/generate/exclude/{i}");
        let known = api.operations.iter().map(|o| o.id.as_str());
        diags.push(
            Diag::error(
                "catalogue::unknown-operation",
                format!("generate.exclude names `{id}`, which is no operationId of {}", spec.key()),
            )
            .at(file, file.locate(&[&pointer]).value(&pointer))
            .with_help(did_you_mean(id, known)),
        );
    }
}

fn check_requirements(spec: &Spec, diags: &mut Vec<Diag>) {
    let Some(file) = &spec.requirements_file else { return };
    let locations = file.locate_all();
    let mut seen = HashSet::new();
    for (i, req) in spec.requirements.iter().enumerate() {
        let pointer = format!("/requirements/{i}/id");
        if !seen.insert(req.id.as_str()) {
            diags.push(
                Diag::error("catalogue::duplicate-requirement", format!("requirement id `{}` is used twice", req.id))
                    .at(file, locations.value(&pointer)),
            );
        }
        let covering = spec.covering(&req.id);
        // A requirement verified by attestation has no scenario: people verify it.
        let automatic = req.verification.is_automatic();
        // With a suite file unreadable, "uncovered" would only repeat that error.
        if automatic && covering.is_empty() && !spec.suites_incomplete {
            let message = format!("requirement {} ({}) is not covered by any scenario", req.id, req.level);
            // A draft is being written (a scaffold has requirements no scenario covers yet):
            // a warning until the specification is made active.
            let diag = if spec.meta.status == crate::catalogue::Status::Draft {
                Diag::warning("catalogue::uncovered-requirement", message)
            } else {
                Diag::error("catalogue::uncovered-requirement", message)
            };
            diags.push(
                diag.at(file, locations.value(&pointer))
                    .label("no scenario covers this")
                    .help(format!("add `covers: [{}]` to a scenario that tests it", req.id)),
            );
        }
    }
    if spec.requirements.is_empty() {
        diags.push(
            Diag::warning("catalogue::no-requirements", format!("{} declares no requirements", spec.key()))
                .at(file, None),
        );
    }
}

/// `shared`: what the shared setup scenarios run before this one capture.
fn check_scenario(spec: &Spec, suite: &Suite, scenario: &Scenario, shared: &BTreeSet<String>, diags: &mut Vec<Diag>) {
    let known_reqs: Vec<&str> = spec.requirements.iter().map(|r| r.id.as_str()).collect();
    if scenario.role == Role::Test && scenario.covers.is_empty() {
        diags.push(
            Diag::warning("suite::covers-nothing", format!("scenario `{}` covers no requirement", scenario.id))
                .at(&suite.file, suite.span(&format!("{}/covers", scenario.pointer))),
        );
    }
    for c in &scenario.covers {
        if spec.requirement(&c.id).is_some_and(|r| !r.verification.is_automatic()) {
            diags.push(
                suite
                    .diag(
                        "suite::covers-attested-requirement",
                        &c.pointer,
                        format!(
                            "scenario `{}` covers `{}`, which {} verifies by attestation, not by scenarios",
                            scenario.id,
                            c.id,
                            spec.key()
                        ),
                    )
                    .label("verified by attestation")
                    .help(format!(
                        "a signed attestation given with `konform run --attestations` verifies it; take `{}` out of \
                         `covers`, or make the requirement `verification: automatic`",
                        c.id
                    )),
            );
        }
        if !known_reqs.contains(&c.id.as_str()) {
            diags.push(
                suite
                    .diag(
                        "suite::unknown-requirement",
                        &c.pointer,
                        format!(
                            "scenario `{}` covers `{}`, which is not a requirement of {}",
                            scenario.id,
                            c.id,
                            spec.key()
                        ),
                    )
                    .label("unknown requirement")
                    .with_help(did_you_mean(&c.id, known_reqs.iter().copied())),
            );
        }
    }

    // Variables: declared by the specification, built in, captured by a shared setup
    // scenario, or captured by an earlier step.
    let mut defined: BTreeSet<String> = spec.meta.variables.keys().cloned().collect();
    defined.extend(BUILTINS.iter().map(|b| b.to_string()));
    defined.extend(shared.iter().cloned());
    for v in &scenario.variables {
        for used in v.value.variables() {
            if !defined.contains(used) {
                diags.push(
                    suite
                        .diag(
                            "suite::undefined-variable",
                            &v.pointer,
                            format!(
                                "scenario variable `{}` uses `{{{{ {used} }}}}`, which is not defined before it",
                                v.name
                            ),
                        )
                        .label("not defined yet"),
                );
            }
        }
        defined.insert(v.name.clone());
    }
    let captured_anywhere: BTreeSet<String> =
        scenario.steps.iter().flat_map(|s| s.captures.iter().map(|c| c.name.clone())).collect();
    for step in &scenario.steps {
        check_variables(suite, step, &defined, diags);
        defined.extend(step.captures.iter().map(|c| c.name.clone()));
    }
    // Cleanup runs after all steps; a variable any step captures may be used (the cleanup step
    // is skipped at run time if the capture failed).
    let mut cleanup_defined = defined.clone();
    cleanup_defined.extend(captured_anywhere);
    for step in &scenario.cleanup {
        check_variables(suite, step, &cleanup_defined, diags);
        cleanup_defined.extend(step.captures.iter().map(|c| c.name.clone()));
    }

    for step in scenario.steps.iter().chain(&scenario.cleanup) {
        check_paths(suite, step, diags);
    }
    if let Some(api) = &spec.api {
        for step in scenario.steps.iter().chain(&scenario.cleanup) {
            check_step(api, suite, step, diags);
        }
        // Each `auth:` once, where it is written (a scenario's, not again for every step).
        if let Some(StepAuth::Given(given)) = &scenario.auth {
            check_scheme(api, suite, given, diags);
        }
        for step in scenario.steps.iter().chain(&scenario.cleanup) {
            match &step.auth {
                StepAuth::Given(given) if !given.from_scenario => check_scheme(api, suite, given, diags),
                _ => {}
            }
            check_credential_header(api, suite, step, diags);
        }
    }
}

/// Warns of a step whose own `headers:` set the header its `auth` credential goes in: the
/// step's header is sent, and the credential is not.
fn check_credential_header(api: &ApiDoc, suite: &Suite, step: &Step, diags: &mut Vec<Diag>) {
    let StepAuth::Given(given) = &step.auth else { return };
    let carrier = match &given.scheme {
        None => Carrier::Bearer,
        Some(name) => match api.credential_carrier(name) {
            Ok(c) => c,
            Err(_) => return,
        },
    };
    let header = match &carrier {
        Carrier::Bearer | Carrier::Basic => "Authorization",
        Carrier::Header(name) => name.as_str(),
        Carrier::Query(_) | Carrier::Cookie(_) => return,
    };
    let Some(set) = step.headers.iter().find(|h| h.name.eq_ignore_ascii_case(header)) else { return };
    diags.push(
        Diag::warning(
            "suite::auth-header-set",
            format!("step `{}` sets `{}` itself, so the credential of its `auth` is not sent", step.name, set.name),
        )
        .at(&suite.file, suite.span(&set.pointer))
        .label("sent instead of the `auth` credential")
        .help(format!("remove `{}` from `headers:`, or give the step `auth: none`", set.name)),
    );
}

/// The security scheme an `auth: { scheme: NAME }` names is in the description, and a
/// value can meet it.
fn check_scheme(api: &ApiDoc, suite: &Suite, given: &GivenAuth, diags: &mut Vec<Diag>) {
    let Some(name) = &given.scheme else { return };
    let at = format!("{}/scheme", given.pointer);
    match api.credential_carrier(name) {
        Ok(_) => {}
        Err(SchemeProblem::Unknown) => {
            let names = api.security_scheme_names();
            let known = if names.is_empty() { "none".to_string() } else { names.join(", ") };
            diags.push(
                suite
                    .diag(
                        "suite::unknown-scheme",
                        &at,
                        format!(
                            "`auth` names security scheme `{name}`, which {} does not define{}",
                            api.docs[0].file.name,
                            crate::diag::did_you_mean_aside(name, names.iter().copied())
                        ),
                    )
                    .label("unknown security scheme")
                    .help(format!(
                        "the description's components.securitySchemes: {known}; or write `auth: {{ bearer: ... }}`"
                    )),
            );
        }
        Err(SchemeProblem::CannotCarry(why)) => diags.push(
            suite
                .diag(
                    "suite::scheme-without-value",
                    &at,
                    format!("security scheme `{name}` cannot carry a value: {why}"),
                )
                .label("no value can meet it")
                .help("`auth` sends a value as an http bearer or basic scheme, oauth2, openIdConnect or an apiKey"),
        ),
    }
}

/// Warns of body expectations whose result would depend on how many values a JSONPath
/// matches were it read naively: a multi-match path (`$.items[*].status`) with an operator
/// that only makes sense on one value (it judges the list of matches), and `all`, `any` or
/// `one` on a singular path (they judge its one match, not the items of an array).
fn check_paths(suite: &Suite, step: &Step, diags: &mut Vec<Diag>) {
    for a in step.expect.blocks().flat_map(|e| &e.body) {
        let Subject::Body(path) = &a.subject else { continue };
        let at = suite.key_span(&a.pointer);
        let single: Vec<&str> = a.ops.iter().filter(|op| op.wants_one_value()).map(|op| op.key()).collect();
        if !path.singular && !single.is_empty() {
            let ops = single.join("`, `");
            diags.push(
                Diag::warning(
                    "suite::multi-match-path",
                    format!(
                        "`{}` can match several values, and `{ops}` judges the list of them, which is never one value",
                        path.text
                    ),
                )
                .at(&suite.file, at)
                .label("multi-match path")
                .help(format!(
                    "write `all: {{ {}: ... }}` (every match must pass) or `any: {{ ... }}` (some match must), or a \
                     path that selects one value (name and index selectors only, such as `$.items[0].status`)",
                    single[0]
                )),
            );
        }
        if let (true, Some(q)) = (path.singular, a.quantified.first()) {
            let key = q.quantifier.key();
            diags.push(
                Diag::warning(
                    "suite::quantifier-on-singular-path",
                    format!(
                        "`{}` selects at most one value, so `{key}` judges that value, not the items of an array",
                        path.text
                    ),
                )
                .at(&suite.file, at)
                .label("singular path")
                .help(format!("to judge each item of an array, select them: `{}[*]`", path.text)),
            );
        }
    }
}

fn check_variables(suite: &Suite, step: &Step, defined: &BTreeSet<String>, diags: &mut Vec<Diag>) {
    // Expectations are evaluated after the step's own captures.
    let mut after = defined.clone();
    after.extend(step.captures.iter().map(|c| c.name.clone()));
    let used = step.variables_used().into_iter().map(|v| (v, defined));
    let expected = step.variables_expected().into_iter().map(|v| (v, &after));
    for (var, known) in used.chain(expected) {
        if known.contains(&var) {
            continue;
        }
        let at = find_variable_use(suite, step, &var);
        let mut help = match did_you_mean(&var, defined.iter().map(String::as_str)) {
            Some(h) => format!("{h} Otherwise capture `{var}` in an earlier step or a shared `setup:` scenario, or declare it under `variables:` in spec.yaml"),
            None => format!("capture `{var}` in an earlier step or a shared `setup:` scenario, or declare it under `variables:` in spec.yaml so it can be given with --var {var}=..."),
        };
        let inherited = match &step.auth {
            StepAuth::Given(g) if g.from_scenario && g.value.variables().any(|v| v == var) => Some(g),
            _ => None,
        };
        let what = match inherited {
            Some(_) => format!(
                "step `{}` sends the scenario's `auth`, which uses `{{{{ {var} }}}}` before any step captures it",
                step.name
            ),
            None => format!("step `{}` uses `{{{{ {var} }}}}` before any step captures it", step.name),
        };
        if inherited.is_some() {
            help = format!(
                "a step's own `auth` overrides its scenario's: give step `{}` `auth: none` or `auth: default` (as a login step needs); or {help}",
                step.name
            );
        }
        diags.push(
            Diag::error("suite::undefined-variable", what).at(&suite.file, at).label("not defined yet").help(help),
        );
    }
}

/// The span of the first place in a step that names a variable.
fn find_variable_use(suite: &Suite, step: &Step, var: &str) -> Option<Span> {
    for p in step.path_params.iter().chain(&step.query).chain(&step.headers) {
        if p.value.variables().any(|v| v == var) {
            return suite.span(&p.pointer);
        }
    }
    for a in step.expect.blocks().flat_map(|e| e.headers.iter().chain(&e.body)) {
        let mut vars = BTreeSet::new();
        for v in a.every_op().flat_map(crate::suite::Op::values) {
            let _ = crate::suite::template::variables_in_value(v, &mut vars);
        }
        if vars.contains(var) {
            return suite.span(&a.pointer);
        }
    }
    if let StepAuth::Given(g) = &step.auth {
        if g.value.variables().any(|v| v == var) {
            return suite.span(&g.value_pointer());
        }
    }
    if let Some(Body::Inline { pointer, .. }) = &step.body {
        // Search the body text region for the exact use.
        let start = suite.span(pointer)?;
        let needle_pos = suite.file.text[start.offset..].find(var)?;
        let offset = start.offset + needle_pos;
        let line = suite.file.text[..offset].matches('\n').count() + 1;
        let line_start = suite.file.text[..offset].rfind('\n').map(|i| i + 1).unwrap_or(0);
        let col = suite.file.text[line_start..offset].chars().count();
        return suite.file.span_at(line, col, var.chars().count());
    }
    if let Some(Body::File { pointer, .. }) = &step.body {
        return suite.span(pointer);
    }
    suite.span(&step.pointer)
}

fn check_step(api: &ApiDoc, suite: &Suite, step: &Step, diags: &mut Vec<Diag>) {
    let op_pointer = format!("{}/operation", step.pointer);
    let Some(op) = api.operation(&step.operation) else {
        diags.push(
            suite
                .diag(
                    "suite::unknown-operation",
                    &op_pointer,
                    format!(
                        "step `{}` names operation `{}`, which {} does not define",
                        step.name, step.operation, api.docs[0].file.name
                    ),
                )
                .label("unknown operationId")
                .with_help(did_you_mean(&step.operation, api.operation_ids())),
        );
        return;
    };

    check_params(suite, step, op, ParamIn::Path, &step.path_params, "path", diags);
    check_params(suite, step, op, ParamIn::Query, &step.query, "query", diags);
    check_params(suite, step, op, ParamIn::Header, &step.headers, "headers", diags);

    let negative = step.expect.status.as_ref().is_some_and(|s| s.is_negative());
    match (&op.request_body, &step.body) {
        (None, Some(_)) => diags.push(
            suite
                .diag(
                    "suite::unexpected-body",
                    &format!("{}/body", step.pointer),
                    format!("operation `{}` takes no request body", op.id),
                )
                .help("remove `body`/`body_file`"),
        ),
        (Some(rb), None) if rb.required && !negative => diags.push(
            suite
                .diag(
                    "suite::missing-body",
                    &step.pointer,
                    format!("operation `{}` requires a request body, and step `{}` sends none", op.id, step.name),
                )
                .help("add `body:` or `body_file:`"),
        ),
        (Some(rb), Some(body)) => {
            let media = match &step.content_type {
                Some(ct) => match rb.content.iter().find(|m| m.media_type.eq_ignore_ascii_case(ct)) {
                    Some(m) => Some(m),
                    None => {
                        let documented: Vec<&str> = rb.content.iter().map(|m| m.media_type.as_str()).collect();
                        diags.push(
                            suite
                                .diag(
                                    "suite::content-type",
                                    &format!("{}/content_type", step.pointer),
                                    format!("operation `{}` does not accept `{ct}`", op.id),
                                )
                                .help(format!("documented request content types: {}", documented.join(", "))),
                        );
                        None
                    }
                },
                None => rb.content.iter().find(|m| crate::model::is_json_media(&m.media_type)).or(rb.content.first()),
            };
            if let (Some(media), false) = (media, negative || body.is_templated()) {
                if let (Some(schema), Some(value)) = (&media.schema, body.json()) {
                    check_fixture(api, suite, step, body, schema, value, diags);
                }
            }
        }
        _ => {}
    }

    for status in step.expect.blocks().filter_map(|e| e.status.as_ref()) {
        check_expected_statuses(suite, step, op, status, diags);
    }
}

/// Warns of each expected status (a code, or a range such as `4XX`) that no documented
/// response covers, since the automatic conformance check fails a response with an
/// undocumented status. A range is documented when any documented code, the same range or
/// `default` falls in it: `4XX` with 401 and 422 documented is fine (a 404 would still fail
/// `status-documented`, but the step may well never see one).
fn check_expected_statuses(
    suite: &Suite,
    step: &Step,
    op: &Operation,
    status: &crate::suite::StatusExpect,
    diags: &mut Vec<Diag>,
) {
    for (i, key) in status.allowed.iter().enumerate() {
        if op.responses.iter().any(|r| overlaps(*key, r.status)) {
            continue;
        }
        let documented: Vec<String> = op.responses.iter().map(|r| r.status.to_string()).collect();
        let what = match key {
            StatusKey::Range(_) => format!("status {key}, and operation `{}` documents no status in that range", op.id),
            _ => format!("status {key}, which operation `{}` does not document", op.id),
        };
        // An item of a list `[200, 409]` is pointed at itself; a single status at the value.
        let item = format!("{}/{i}", status.pointer);
        let span = suite.span(&item).or_else(|| suite.span(&status.pointer));
        diags.push(
            Diag::warning("suite::undocumented-status", format!("step `{}` expects {what}", step.name))
                .at(&suite.file, span)
                .help(format!(
                    "documented: {}; the automatic conformance check (`status-documented`) will fail such a response",
                    documented.join(", ")
                )),
        );
    }
}

/// Whether an expected status and a documented response key have a status in common.
fn overlaps(expected: StatusKey, documented: StatusKey) -> bool {
    match (expected, documented) {
        (_, StatusKey::Default) => true,
        (StatusKey::Code(c), doc) => doc.matches(c),
        (StatusKey::Range(h), StatusKey::Range(d)) => h == d,
        (StatusKey::Range(h), StatusKey::Code(c)) => c / 100 == h,
        // A suite's `expect.status` cannot be `default`.
        (StatusKey::Default, _) => false,
    }
}

fn check_params(
    suite: &Suite,
    step: &Step,
    op: &Operation,
    location: ParamIn,
    given: &[Param],
    key: &str,
    diags: &mut Vec<Diag>,
) {
    for p in given {
        if op.parameter(location, &p.name).is_some() {
            continue;
        }
        if location == ParamIn::Header && TRANSPORT_HEADERS.contains(&p.name.to_ascii_lowercase().as_str()) {
            continue;
        }
        let candidates: Vec<&str> =
            op.parameters.iter().filter(|q| q.location == location).map(|q| q.name.as_str()).collect();
        let message = format!("operation `{}` has no {location} parameter `{}`", op.id, p.name);
        let d = if location == ParamIn::Header {
            Diag::warning("suite::unknown-parameter", message)
        } else {
            Diag::error("suite::unknown-parameter", message)
        };
        let help = did_you_mean(&p.name, candidates.iter().copied()).or_else(|| {
            (!candidates.is_empty()).then(|| format!("its {location} parameters are: {}", candidates.join(", ")))
        });
        diags.push(d.at(&suite.file, suite.key_span(&p.pointer)).with_help(help));
    }
    let negative = step.expect.status.as_ref().is_some_and(|s| s.is_negative());
    for required in op.parameters.iter().filter(|q| q.location == location && q.required) {
        let given_it = given.iter().any(|p| {
            if location == ParamIn::Header {
                p.name.eq_ignore_ascii_case(&required.name)
            } else {
                p.name == required.name
            }
        });
        // A negative step may leave out a required query/header parameter on purpose; a path
        // parameter can never be left out (there would be no URL).
        if !given_it && (location == ParamIn::Path || !negative) {
            diags.push(
                suite
                    .diag(
                        "suite::missing-parameter",
                        &step.pointer,
                        format!(
                            "step `{}` does not give the required {location} parameter `{}` of `{}`",
                            step.name, required.name, op.id
                        ),
                    )
                    .label("in this step")
                    .help(format!("add `{key}: {{ {}: ... }}`", required.name)),
            );
        }
    }
}

fn check_fixture(
    api: &ApiDoc,
    suite: &Suite,
    step: &Step,
    body: &Body,
    schema: &SchemaLoc,
    value: &Value,
    diags: &mut Vec<Diag>,
) {
    let violations = match api.schemas.validate(schema, value) {
        Ok(v) => v,
        Err(message) => {
            diags.push(api.diag_at(&schema.doc_pointer(), "openapi::schema", message));
            return;
        }
    };
    for v in violations.into_iter().take(10) {
        let what = if v.instance_path.is_empty() { String::from("the body") } else { format!("`{}`", v.instance_path) };
        let message = format!(
            "request body of step `{}` is invalid against the `{}` request schema: {what}: {}",
            step.name, step.operation, v.message
        );
        let d = match body {
            Body::Inline { pointer, .. } => {
                let at = format!("{pointer}{}", v.instance_path);
                Diag::error("suite::invalid-fixture", message).at(&suite.file, suite.span(&at))
            }
            Body::File { content: FixtureContent::Json { file, .. }, .. } => {
                let at = file.locate(&[v.instance_path.as_str()]).value(&v.instance_path);
                Diag::error("suite::invalid-fixture", message).at(file, at.or_else(|| file.span_at(1, 0, 1)))
            }
            Body::File { pointer, .. } => {
                Diag::error("suite::invalid-fixture", message).at(&suite.file, suite.span(pointer))
            }
        };
        diags.push(
            d.label(format!("fails `{}`", v.keyword))
                .help("a step that expects a 4XX status may send invalid input on purpose; otherwise fix the fixture"),
        );
    }
}

/// Counts for the summary line.
#[derive(Debug, Default, serde::Serialize)]
pub struct Summary {
    pub specifications: usize,
    pub requirements: usize,
    pub scenarios: usize,
    pub steps: usize,
    pub errors: usize,
    pub warnings: usize,
}

pub fn summarize(catalogue: &Catalogue, diags: &[Diag]) -> Summary {
    Summary {
        specifications: catalogue.specs.len(),
        requirements: catalogue.specs.iter().map(|s| s.requirements.len()).sum(),
        // Shared setup and teardown scenarios included: `check` checked them too.
        scenarios: catalogue.specs.iter().flat_map(|s| &s.suites).map(|su| su.all_scenarios().count()).sum(),
        steps: catalogue
            .specs
            .iter()
            .flat_map(|s| s.suites.iter().flat_map(|su| su.all_scenarios()))
            .map(|sc| sc.steps.len() + sc.cleanup.len())
            .sum(),
        errors: diags.iter().filter(|d| d.level == Level::Error).count(),
        warnings: diags.iter().filter(|d| d.level == Level::Warning).count(),
    }
}
