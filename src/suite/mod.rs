//! Scenario suites: YAML files of scenarios, compiled into a syntax tree in which every
//! step, expectation and capture knows where it was written.
//!
//! Loading happens in two layers: serde reads the file's shape (unknown keys and wrong types
//! are reported at their line), then each piece is compiled (JSONPath, regex, templates,
//! fixture files), reporting every mistake with its position.

pub mod assert;
pub mod template;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde::Deserialize;
use serde_json::{Map, Value};

use crate::diag::Diag;
use crate::model::Localized;
use crate::model::{Place, StatusKey};
use crate::source::{escape_pointer, Boundary, Locations, SourceFile, Span};
use crate::typed;
pub use assert::{Assertion, Capture, CaptureSource, Op, Subject};
use template::{Template, TemplateError};

// ---- the file's shape, as serde reads it -------------------------------------------------

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSuite {
    /// Shared setup: run once, before every other scenario of the specification.
    #[serde(default)]
    setup: Vec<RawShared>,
    #[serde(default)]
    scenarios: Vec<RawScenario>,
    /// Shared teardown: run once, after every other scenario of the specification.
    #[serde(default)]
    teardown: Vec<RawShared>,
}

/// A shared setup or teardown scenario: it tests nothing (no `covers`, no `tags`) and has no
/// `cleanup` of its own (a setup's undoing is a teardown).
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawShared {
    id: String,
    title: Localized,
    #[serde(default)]
    description: Option<Localized>,
    #[serde(default)]
    variables: Map<String, Value>,
    #[serde(default)]
    auth: Option<Value>,
    steps: Vec<RawStep>,
}

impl From<RawShared> for RawScenario {
    fn from(s: RawShared) -> RawScenario {
        RawScenario {
            id: s.id,
            title: s.title,
            description: s.description,
            covers: Vec::new(),
            tags: Vec::new(),
            variables: s.variables,
            auth: s.auth,
            steps: s.steps,
            cleanup: Vec::new(),
        }
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawScenario {
    id: String,
    title: Localized,
    #[serde(default)]
    description: Option<Localized>,
    covers: Vec<String>,
    #[serde(default)]
    tags: Vec<String>,
    #[serde(default)]
    variables: Map<String, Value>,
    #[serde(default)]
    auth: Option<Value>,
    steps: Vec<RawStep>,
    #[serde(default)]
    cleanup: Vec<RawStep>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawStep {
    #[serde(default)]
    name: Option<String>,
    operation: String,
    #[serde(default)]
    path: Map<String, Value>,
    #[serde(default)]
    query: Map<String, Value>,
    #[serde(default)]
    headers: Map<String, Value>,
    #[serde(default)]
    body: Option<Value>,
    #[serde(default)]
    body_file: Option<String>,
    #[serde(default)]
    content_type: Option<String>,
    #[serde(default)]
    auth: Option<Value>,
    #[serde(default)]
    expect: RawExpect,
    #[serde(default)]
    capture: Map<String, Value>,
    #[serde(default)]
    setup: Option<bool>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawExpect {
    #[serde(default)]
    status: Option<Value>,
    #[serde(default)]
    headers: Map<String, Value>,
    #[serde(default)]
    body: Map<String, Value>,
    /// Expectations that only one of the scenario's requirements makes (by its id); not
    /// nested (refused when compiled).
    #[serde(default)]
    per_requirement: std::collections::BTreeMap<String, RawExpect>,
}

// ---- the compiled syntax tree --------------------------------------------------------------

/// Which of a scenario's steps are setup steps. When any step says `setup:`, exactly those
/// marked `setup: true`. Otherwise the leading steps that only prepare: each captures a
/// value, expects at most a status (no header or body expectations), and is not the last
/// step; the first step that does not qualify ends the setup.
pub fn setup_steps(said: &[Option<bool>], steps: &[Step]) -> Vec<bool> {
    if said.iter().any(Option::is_some) {
        return said.iter().map(|s| s.unwrap_or(false)).collect();
    }
    let mut leading = true;
    steps
        .iter()
        .enumerate()
        .map(|(i, step)| {
            let prepares = !step.captures.is_empty()
                && step.expect.headers.is_empty()
                && step.expect.body.is_empty()
                && step.expect.per_requirement.is_empty()
                && i + 1 < steps.len();
            leading = leading && prepares;
            leading
        })
        .collect()
}

/// Which credentials a step sends: `default` (the target's), `none`, or a value of the run's
/// own (`{ bearer: "{{ token }}" }`, `{ scheme: NAME, value: ... }`), written on the step
/// or, for every step that does not say, on its scenario.
#[derive(Debug, Clone, PartialEq, Default)]
pub enum StepAuth {
    /// Send the credentials configured for the target (if any).
    #[default]
    Default,
    /// Send no credentials (for "missing credentials gives 401" scenarios).
    None,
    /// Send this credential, and not the target's.
    Given(GivenAuth),
}

/// A credential a suite gives from its variables; whatever it renders to is a secret.
#[derive(Debug, Clone, PartialEq)]
pub struct GivenAuth {
    /// The security scheme of the description it is sent as; `None`: `bearer`.
    pub scheme: Option<String>,
    pub value: Template,
    /// Pointer of the `auth` mapping.
    pub pointer: String,
    /// Written on the scenario, not on the step.
    pub from_scenario: bool,
}

impl GivenAuth {
    /// Pointer of the value (`bearer` or `value`).
    pub fn value_pointer(&self) -> String {
        let key = if self.scheme.is_some() { "value" } else { "bearer" };
        format!("{}/{key}", self.pointer)
    }
}

/// One suite file.
pub struct Suite {
    pub file: Arc<SourceFile>,
    /// The file's name in reports: relative to the catalogue folder (the specification
    /// folder's grandparent), else as read.
    pub report_name: String,
    locations: Locations,
    /// Shared setup scenarios (`setup:`), in the file's order.
    pub setup: Vec<Scenario>,
    pub scenarios: Vec<Scenario>,
    /// Shared teardown scenarios (`teardown:`), in the file's order.
    pub teardown: Vec<Scenario>,
    /// Written by konform from the process the specification implements, not by a person
    /// (`catalogue::process`): no such file exists, and exports leave it out.
    pub derived: bool,
}

/// What a scenario is for: a test of requirements, or a shared setup or teardown of its
/// specification (run once, before or after all the others).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    Test,
    Setup,
    Teardown,
}

pub struct Scenario {
    pub id: String,
    pub role: Role,
    pub title: Localized,
    pub description: Option<Localized>,
    pub covers: Vec<Covered>,
    pub tags: Vec<String>,
    /// Evaluated once, in order, when the scenario starts (e.g. `externalId: "e-{{ $uuid }}"`).
    pub variables: Vec<Param>,
    /// The scenario's `auth`, which its steps send unless they say otherwise.
    pub auth: Option<StepAuth>,
    pub steps: Vec<Step>,
    pub cleanup: Vec<Step>,
    pub pointer: String,
}

/// A requirement id named in `covers`, with where it was written.
pub struct Covered {
    pub id: String,
    pub pointer: String,
}

pub struct Step {
    pub name: String,
    pub operation: String,
    pub path_params: Vec<Param>,
    pub query: Vec<Param>,
    pub headers: Vec<Param>,
    pub body: Option<Body>,
    pub content_type: Option<String>,
    /// The step's own `auth`, else its scenario's, else `default`.
    pub auth: StepAuth,
    pub expect: Expect,
    pub captures: Vec<Capture>,
    /// Pointer of the step in its suite file.
    pub pointer: String,
    /// Where the step is written, for reports (worked out once, at load).
    pub location: Place,
    pub is_cleanup: bool,
    /// The step may still start after one stop request (a cleanup step, a shared teardown's
    /// step): it undoes what the run created.
    pub after_stop: bool,
    /// A setup step: it prepares what the later steps need; when it fails, the scenario
    /// is blocked (see [`setup_steps`]).
    pub is_setup: bool,
}

/// A path, query or header parameter given by a step.
pub struct Param {
    pub name: String,
    pub value: Template,
    pub pointer: String,
}

pub enum Body {
    /// Written in the suite.
    Inline { value: Value, pointer: String },
    /// Read from a fixture file (path relative to the specification folder).
    File { path: PathBuf, written: String, content: FixtureContent, pointer: String },
}

pub enum FixtureContent {
    /// A `.json`/`.yaml` fixture, parsed.
    Json { file: Arc<SourceFile>, value: Value },
    /// Any other file, sent as it is.
    Raw(Vec<u8>),
}

impl FixtureContent {
    /// SHA-256 (hex) of the fixture's bytes as read.
    pub fn sha256_hex(&self) -> String {
        match self {
            FixtureContent::Json { file, .. } => file.sha256_hex().to_string(),
            FixtureContent::Raw(bytes) => {
                use sha2::{Digest, Sha256};
                hex::encode(Sha256::digest(bytes))
            }
        }
    }
}

impl Body {
    /// The JSON value the body holds, if it is JSON.
    pub fn json(&self) -> Option<&Value> {
        match self {
            Body::Inline { value, .. } => Some(value),
            Body::File { content: FixtureContent::Json { value, .. }, .. } => Some(value),
            Body::File { .. } => None,
        }
    }

    pub fn is_templated(&self) -> bool {
        let mut vars = BTreeSet::new();
        self.json().is_some_and(|v| template::variables_in_value(v, &mut vars).is_ok() && !vars.is_empty())
    }
}

#[derive(Default)]
pub struct Expect {
    pub status: Option<StatusExpect>,
    pub headers: Vec<Assertion>,
    pub body: Vec<Assertion>,
    /// Expectations made by one requirement of the scenario only: when they fail, that
    /// requirement fails and the scenario's others do not (empty in a `per_requirement` block).
    pub per_requirement: Vec<RequirementExpect>,
}

/// One entry of `expect.per_requirement`.
pub struct RequirementExpect {
    /// The requirement's id: one the scenario covers.
    pub requirement: String,
    pub pointer: String,
    pub expect: Expect,
}

impl Expect {
    /// This block and each requirement's, in order (for checks that look at every expectation).
    pub fn blocks(&self) -> impl Iterator<Item = &Expect> {
        std::iter::once(self).chain(self.per_requirement.iter().map(|r| &r.expect))
    }
}

pub struct StatusExpect {
    pub allowed: Vec<StatusKey>,
    pub pointer: String,
    /// Where it is written, for reports.
    pub location: Place,
}

impl StatusExpect {
    pub fn matches(&self, status: u16) -> bool {
        self.allowed.iter().any(|k| k.matches(status))
    }
    /// Whether every allowed status is a client error: the step sends deliberately bad input.
    pub fn is_negative(&self) -> bool {
        !self.allowed.is_empty()
            && self
                .allowed
                .iter()
                .all(|k| matches!(k, StatusKey::Code(c) if (400..500).contains(c)) || *k == StatusKey::Range(4))
    }
}

impl Step {
    /// Every variable the step needs before it can be sent.
    pub fn variables_used(&self) -> BTreeSet<String> {
        let mut out = BTreeSet::new();
        for p in self.path_params.iter().chain(&self.query).chain(&self.headers) {
            out.extend(p.value.variables().map(str::to_string));
        }
        if let Some(v) = self.body.as_ref().and_then(Body::json) {
            let _ = template::variables_in_value(v, &mut out);
        }
        out.extend(self.auth_variables().map(str::to_string));
        out
    }

    /// Variables the step's `auth` needs (its own or its scenario's).
    pub fn auth_variables(&self) -> impl Iterator<Item = &str> {
        let given = match &self.auth {
            StepAuth::Given(g) => Some(g),
            _ => None,
        };
        given.into_iter().flat_map(|g| g.value.variables())
    }

    /// Variables used by the step's expectations (compared after the response arrives).
    pub fn variables_expected(&self) -> BTreeSet<String> {
        let mut out = BTreeSet::new();
        for a in self.expect.blocks().flat_map(|e| e.headers.iter().chain(&e.body)) {
            for v in a.every_op().flat_map(Op::values) {
                let _ = template::variables_in_value(v, &mut out);
            }
        }
        out
    }
}

impl Suite {
    /// Loads and compiles a suite. `spec_dir` is the folder fixtures are relative to; they
    /// must lie inside `boundary` (the catalogue folder).
    /// `Err` when the file cannot be read at all; otherwise the suite and its problems.
    pub fn load(path: &Path, spec_dir: &Path, boundary: &Boundary) -> Result<(Suite, Vec<Diag>), Vec<Diag>> {
        let file = SourceFile::read(path).map_err(|m| vec![Diag::error("file::read", m)])?;
        Suite::from_source(file, spec_dir, boundary)
    }

    /// Compiles a suite already read into memory (used by `load` and by the fuzz targets).
    pub fn from_source(
        file: Arc<SourceFile>,
        spec_dir: &Path,
        boundary: &Boundary,
    ) -> Result<(Suite, Vec<Diag>), Vec<Diag>> {
        let (value, locations) = typed::parse_located(&file).map_err(|d| vec![d])?;
        let raw: RawSuite = typed::from_value(&file, value).map_err(|d| vec![d])?;
        let report_name = spec_dir
            .parent()
            .and_then(Path::parent)
            .and_then(|root| crate::source::catalogue_name(root, &file.path))
            .unwrap_or_else(|| file.name.clone());
        let mut c = Compiler {
            file: &file,
            report_name: &report_name,
            locations: &locations,
            spec_dir,
            boundary,
            diags: Vec::new(),
        };
        let setup = raw.setup.into_iter().enumerate().map(|(i, s)| c.scenario(i, s.into(), Role::Setup)).collect();
        let scenarios = raw.scenarios.into_iter().enumerate().map(|(i, s)| c.scenario(i, s, Role::Test)).collect();
        let teardown =
            raw.teardown.into_iter().enumerate().map(|(i, s)| c.scenario(i, s.into(), Role::Teardown)).collect();
        let diags = c.diags;
        Ok((Suite { file, report_name, locations, setup, scenarios, teardown, derived: false }, diags))
    }

    /// Where a pointer in this suite is written.
    pub fn span(&self, pointer: &str) -> Option<Span> {
        self.locations.value(pointer)
    }

    pub fn key_span(&self, pointer: &str) -> Option<Span> {
        self.locations.key(pointer)
    }

    pub fn diag(&self, code: &'static str, pointer: &str, message: impl Into<String>) -> Diag {
        Diag::error(code, message).at(&self.file, self.span(pointer))
    }

    /// Every scenario of the file: shared setup, tests, shared teardown.
    pub fn all_scenarios(&self) -> impl Iterator<Item = &Scenario> {
        self.setup.iter().chain(&self.scenarios).chain(&self.teardown)
    }

    /// Fixture files the suite read, each with the SHA-256 (hex) of the bytes read.
    pub fn fixture_files(&self) -> Vec<(PathBuf, String)> {
        self.all_scenarios()
            .flat_map(|s| s.steps.iter().chain(&s.cleanup))
            .filter_map(|st| match &st.body {
                Some(Body::File { path, content, .. }) => Some((path.clone(), content.sha256_hex())),
                _ => None,
            })
            .collect()
    }
}

struct Compiler<'a> {
    file: &'a Arc<SourceFile>,
    report_name: &'a str,
    locations: &'a Locations,
    spec_dir: &'a Path,
    boundary: &'a Boundary,
    diags: Vec<Diag>,
}

impl Compiler<'_> {
    /// `file:line:column` of a pointer, for reports (worked out once, here, not per check).
    fn location(&self, pointer: &str) -> Place {
        match self.locations.value(pointer) {
            Some(s) => Place::new(self.report_name, s.line, s.column),
            None => Place { file: self.report_name.to_string(), at: None },
        }
    }

    fn error(&mut self, code: &'static str, pointer: &str, message: String) -> &mut Diag {
        let d = Diag::error(code, message).at(self.file, self.locations.value(pointer));
        self.diags.push(d);
        self.diags.last_mut().expect("just pushed")
    }

    fn scenario(&mut self, index: usize, raw: RawScenario, role: Role) -> Scenario {
        let pointer = match role {
            Role::Setup => format!("/setup/{index}"),
            Role::Test => format!("/scenarios/{index}"),
            Role::Teardown => format!("/teardown/{index}"),
        };
        let covers: Vec<Covered> = raw
            .covers
            .into_iter()
            .enumerate()
            .map(|(i, id)| Covered { id, pointer: format!("{pointer}/covers/{i}") })
            .collect();
        let variables = self.params(&format!("{pointer}/variables"), raw.variables);
        for v in &variables {
            if !template::is_variable_name(&v.name) || v.name.starts_with('$') {
                self.error("suite::variable", &v.pointer, format!("`{}` is not a valid variable name", v.name));
            }
        }
        let auth = raw.auth.and_then(|v| self.auth(&format!("{pointer}/auth"), v, true));
        let said: Vec<Option<bool>> = raw.steps.iter().map(|s| s.setup).collect();
        let mut steps: Vec<Step> = raw
            .steps
            .into_iter()
            .enumerate()
            .map(|(i, s)| self.step(format!("{pointer}/steps/{i}"), s, false, auth.as_ref()))
            .collect();
        match role {
            Role::Test => {
                let setup = setup_steps(&said, &steps);
                for (step, setup) in steps.iter_mut().zip(setup) {
                    step.is_setup = setup;
                }
            }
            // Every step of a shared setup prepares; a teardown's steps are what it does (a
            // failure there fails it, and no requirement).
            Role::Setup | Role::Teardown => {
                for (i, said) in said.iter().enumerate().filter(|(_, s)| s.is_some()) {
                    let which = if role == Role::Setup { "shared setup" } else { "shared teardown" };
                    let d = self.error(
                        "suite::shared-step-setup",
                        &format!("{pointer}/steps/{i}/setup"),
                        format!("`setup: {}` has no meaning in a {which} scenario", said.unwrap_or(false)),
                    );
                    *d = d
                        .clone()
                        .help("every step of a `setup:` scenario prepares, and none of a `teardown:` scenario does");
                }
                for step in &mut steps {
                    step.is_setup = role == Role::Setup;
                    step.after_stop = role == Role::Teardown;
                }
            }
        }
        for step in &steps {
            for block in &step.expect.per_requirement {
                let at = self.locations.key(&block.pointer);
                if step.is_setup {
                    let message = format!(
                        "step `{}` is a setup step: its expectations are preconditions of every requirement the scenario covers, so none can be `{}`'s alone",
                        step.name, block.requirement
                    );
                    self.diags.push(
                        Diag::error("suite::per-requirement", message)
                            .at(self.file, at)
                            .label("here")
                            .help("move these expectations to a step that is the scenario's point"),
                    );
                } else if !covers.iter().any(|c| c.id == block.requirement) {
                    let listed = covers.iter().map(|c| c.id.as_str()).collect::<Vec<_>>().join(", ");
                    let message = format!(
                        "`{}` is not among the requirements this scenario covers ({listed})",
                        block.requirement
                    );
                    self.diags.push(
                        Diag::error("suite::per-requirement", message)
                            .at(self.file, at)
                            .label("not covered")
                            .help("add it to the scenario's `covers`, or name one of those"),
                    );
                }
            }
        }
        if role == Role::Test && !steps.is_empty() && steps.iter().all(|s| s.is_setup) {
            let d = self.error(
                "suite::all-setup",
                &format!("{pointer}/steps"),
                "every step of this scenario is `setup: true`: it prepares and tests nothing".into(),
            );
            *d = d.clone().help("mark only the steps that prepare `setup: true`: the others are the scenario's point");
        }
        let mut cleanup: Vec<Step> = raw
            .cleanup
            .into_iter()
            .enumerate()
            .map(|(i, s)| {
                let at = format!("{pointer}/cleanup/{i}");
                if s.setup.is_some() {
                    self.error(
                        "suite::cleanup-setup",
                        &format!("{at}/setup"),
                        "a cleanup step cannot be a setup step".into(),
                    );
                }
                self.step(at, s, true, auth.as_ref())
            })
            .collect();
        credentials_are_secret(&mut steps, &mut cleanup);
        Scenario {
            id: raw.id,
            role,
            title: raw.title,
            description: raw.description,
            covers,
            tags: raw.tags,
            variables,
            auth,
            steps,
            cleanup,
            pointer,
        }
    }

    /// An `auth:` as written: `default`, `none`, `{ bearer: VALUE }` or
    /// `{ scheme: NAME, value: VALUE }`, the value a template. `None` after reporting why not.
    fn auth(&mut self, pointer: &str, raw: Value, from_scenario: bool) -> Option<StepAuth> {
        const SHAPE: &str =
            "`auth` is `default`, `none`, `{ bearer: VALUE }` or `{ scheme: NAME, value: VALUE }` (NAME: \
                             a security scheme of the description)";
        let mut map = match raw {
            Value::String(s) if s == "default" => return Some(StepAuth::Default),
            Value::String(s) if s == "none" => return Some(StepAuth::None),
            Value::Object(map) => map,
            other => {
                let aside = match &other {
                    Value::String(s) => crate::diag::did_you_mean_aside(s, ["default", "none"]),
                    _ => String::new(),
                };
                self.error("suite::auth", pointer, format!("`auth` cannot be {other}{aside}")).help =
                    Some(SHAPE.into());
                return None;
            }
        };
        let text = |c: &mut Self, key: &str, map: &mut Map<String, Value>| -> Option<String> {
            let at = format!("{pointer}/{key}");
            match map.remove(key)? {
                Value::String(s) => Some(s),
                other => {
                    c.error("suite::auth", &at, format!("`auth.{key}` is a string, not {other}")).help =
                        Some(SHAPE.into());
                    None
                }
            }
        };
        let (bearer, scheme, value) =
            (text(self, "bearer", &mut map), text(self, "scheme", &mut map), text(self, "value", &mut map));
        if let Some(key) = map.keys().next() {
            let aside = crate::diag::did_you_mean_aside(key, ["bearer", "scheme", "value"]);
            let at = format!("{pointer}/{}", escape_pointer(key));
            let span = self.locations.key(&at);
            let d = Diag::error("suite::auth", format!("unknown key `auth.{key}`{aside}")).at(self.file, span);
            self.diags.push(d.help(SHAPE));
            return None;
        }
        let (scheme, value, key) = match (bearer, scheme, value) {
            (Some(v), None, None) => (None, v, "bearer"),
            (None, Some(s), Some(v)) => (Some(s), v, "value"),
            (None, Some(_), None) => {
                self.error("suite::auth", pointer, "`auth.scheme` needs a `value` to send".into()).help =
                    Some(SHAPE.into());
                return None;
            }
            (None, None, Some(_)) => {
                self.error("suite::auth", pointer, "`auth.value` needs the `scheme` it is sent as".into()).help =
                    Some(SHAPE.into());
                return None;
            }
            _ => {
                self.error("suite::auth", pointer, "`auth` gives `bearer` or `scheme`, not both".into()).help =
                    Some(SHAPE.into());
                return None;
            }
        };
        let at = format!("{pointer}/{key}");
        match Template::parse(&value) {
            Ok(value) => {
                Some(StepAuth::Given(GivenAuth { scheme, value, pointer: pointer.to_string(), from_scenario }))
            }
            Err(e) => {
                self.template_error(&at, e);
                None
            }
        }
    }

    fn step(&mut self, pointer: String, raw: RawStep, is_cleanup: bool, inherited: Option<&StepAuth>) -> Step {
        let auth = match raw.auth {
            Some(v) => self.auth(&format!("{pointer}/auth"), v, false).unwrap_or_default(),
            None => inherited.cloned().unwrap_or_default(),
        };
        let path_params = self.params(&format!("{pointer}/path"), raw.path);
        let query = self.params(&format!("{pointer}/query"), raw.query);
        let headers = self.params(&format!("{pointer}/headers"), raw.headers);
        let body = match (raw.body, raw.body_file) {
            (Some(_), Some(_)) => {
                self.error(
                    "suite::body",
                    &format!("{pointer}/body_file"),
                    "a step has either `body` or `body_file`, not both".into(),
                );
                None
            }
            (Some(value), None) => {
                let bp = format!("{pointer}/body");
                self.check_templates(&bp, &value);
                Some(Body::Inline { value, pointer: bp })
            }
            (None, Some(written)) => self.fixture(&format!("{pointer}/body_file"), written),
            (None, None) => None,
        };
        let expect = self.expect(&format!("{pointer}/expect"), raw.expect);
        let captures = raw
            .capture
            .into_iter()
            .filter_map(|(name, spec)| {
                let cp = format!("{pointer}/capture/{}", escape_pointer(&name));
                if !template::is_variable_name(&name) || name.starts_with('$') {
                    self.error("suite::capture", &cp, format!("`{name}` is not a valid variable name"));
                    return None;
                }
                match assert::compile_capture(name, &spec, cp.clone()) {
                    Ok(c) => Some(Capture { location: self.location(&cp), ..c }),
                    Err(m) => {
                        self.error("suite::capture", &cp, m);
                        None
                    }
                }
            })
            .collect();
        Step {
            name: raw.name.unwrap_or_else(|| raw.operation.clone()),
            operation: raw.operation,
            path_params,
            query,
            headers,
            body,
            content_type: raw.content_type,
            auth,
            expect,
            captures,
            location: self.location(&pointer),
            pointer,
            is_cleanup,
            after_stop: is_cleanup,
            is_setup: false,
        }
    }

    fn params(&mut self, base: &str, map: Map<String, Value>) -> Vec<Param> {
        let mut out = Vec::new();
        for (name, value) in map {
            let pointer = format!("{base}/{}", escape_pointer(&name));
            let text = match value {
                Value::String(s) => s,
                Value::Number(n) => n.to_string(),
                Value::Bool(b) => b.to_string(),
                Value::Array(_) | Value::Object(_) | Value::Null => {
                    self.error(
                        "suite::param",
                        &pointer,
                        format!("parameter `{name}` must be a string, number or boolean"),
                    );
                    continue;
                }
            };
            match Template::parse(&text) {
                Ok(value) => out.push(Param { name, value, pointer }),
                Err(e) => self.template_error(&pointer, e),
            }
        }
        out
    }

    fn template_error(&mut self, pointer: &str, e: TemplateError) {
        let file = self.file.clone();
        let mut span = self.locations.value(pointer);
        if let Some(at) = span {
            // Point at the `{{` inside the string (after an opening quote, if any).
            let quoted = file.text[at.offset..].starts_with(['"', '\'']);
            let shift = e.offset + usize::from(quoted);
            span = file.span_at(at.line, at.column - 1 + shift, 2).or(span);
        }
        self.diags.push(Diag::error("suite::template", format!("invalid template: {}", e.message)).at(&file, span));
    }

    fn check_templates(&mut self, pointer: &str, value: &Value) {
        let mut vars = BTreeSet::new();
        if let Err(e) = template::variables_in_value(value, &mut vars) {
            self.template_error(pointer, e);
        }
    }

    fn fixture(&mut self, pointer: &str, written: String) -> Option<Body> {
        let path = self.spec_dir.join(&written);
        if !path.is_file() {
            self.error(
                "suite::missing-fixture",
                pointer,
                format!("fixture `{written}` does not exist (looked for {})", crate::source::display_path(&path)),
            )
            .help = Some("fixture paths are relative to the specification's folder (where spec.yaml is)".into());
            return None;
        }
        if let Err(why) = self.boundary.admits(&path) {
            let rule = self.boundary.rule();
            self.error("suite::fixture-outside", pointer, format!("fixture `{written}` {why}")).help =
                Some(rule.into());
            return None;
        }
        let is_structured = matches!(path.extension().and_then(|e| e.to_str()), Some("json" | "yaml" | "yml"));
        let content = if is_structured {
            let file = match SourceFile::read(&path) {
                Ok(f) => f,
                Err(m) => {
                    self.error("suite::fixture", pointer, m);
                    return None;
                }
            };
            match file.parse() {
                Ok(value) => {
                    let mut vars = BTreeSet::new();
                    if let Err(e) = template::variables_in_value(&value, &mut vars) {
                        self.diags.push(
                            Diag::error("suite::template", format!("invalid template in fixture: {}", e.message))
                                .at(&file, None),
                        );
                    }
                    FixtureContent::Json { file, value }
                }
                Err(e) => {
                    self.diags
                        .push(Diag::error("suite::fixture", format!("{}: {}", file.name, e.message)).at(&file, e.span));
                    return None;
                }
            }
        } else {
            match std::fs::read(&path) {
                Ok(bytes) => FixtureContent::Raw(bytes),
                Err(e) => {
                    self.error("suite::fixture", pointer, format!("cannot read fixture `{written}`: {e}"));
                    return None;
                }
            }
        };
        Some(Body::File { path, written, content, pointer: pointer.to_string() })
    }

    fn expect(&mut self, pointer: &str, mut raw: RawExpect) -> Expect {
        let blocks = std::mem::take(&mut raw.per_requirement);
        let mut expect = self.own_expect(pointer, raw);
        for (requirement, raw) in blocks {
            let rp = format!("{pointer}/per_requirement/{}", escape_pointer(&requirement));
            if !raw.per_requirement.is_empty() {
                self.error(
                    "suite::per-requirement",
                    &format!("{rp}/per_requirement"),
                    "`per_requirement` cannot be nested: a requirement's own expectations are `status`, `headers` and `body`".into(),
                );
            }
            let block = self.own_expect(&rp, raw);
            expect.per_requirement.push(RequirementExpect { requirement, pointer: rp, expect: block });
        }
        expect
    }

    /// `status`, `headers` and `body` of an `expect` (its `per_requirement` is `expect`'s).
    fn own_expect(&mut self, pointer: &str, raw: RawExpect) -> Expect {
        let status = raw.status.and_then(|v| {
            let sp = format!("{pointer}/status");
            match parse_status(&v) {
                Ok(allowed) => Some(StatusExpect { allowed, location: self.location(&sp), pointer: sp }),
                Err(m) => {
                    self.error("suite::status", &sp, m);
                    None
                }
            }
        });
        let mut headers = Vec::new();
        for (name, spec) in raw.headers {
            let ap = format!("{pointer}/headers/{}", escape_pointer(&name));
            self.check_templates(&ap, &spec);
            match assert::compile_assertion(Subject::Header(name), &spec, ap.clone()) {
                Ok(a) => headers.push(Assertion { location: self.location(&ap), ..a }),
                Err(e) => {
                    self.error("suite::assertion", &format!("{ap}{}", e.at), e.message);
                }
            }
        }
        let mut body = Vec::new();
        for (path, spec) in raw.body {
            let ap = format!("{pointer}/body/{}", escape_pointer(&path));
            let subject = match assert::parse_json_path(&path) {
                Ok(p) => p,
                Err(m) => {
                    let at = self.locations.key(&ap);
                    self.diags.push(Diag::error("suite::jsonpath", m).at(self.file, at).label("JSONPath"));
                    continue;
                }
            };
            self.check_templates(&ap, &spec);
            match assert::compile_assertion(Subject::Body(subject), &spec, ap.clone()) {
                Ok(a) => body.push(Assertion { location: self.location(&ap), ..a }),
                Err(e) => {
                    self.error("suite::assertion", &format!("{ap}{}", e.at), e.message);
                }
            }
        }
        Expect { status, headers, body, per_requirement: Vec::new() }
    }
}

/// A value a scenario's steps send as a credential is a secret wherever it comes back, so
/// a capture of one is `secret: true` whether or not it says so (it is redacted from the
/// moment it is captured, even if no step gets to send it).
fn credentials_are_secret(steps: &mut [Step], cleanup: &mut [Step]) {
    let sent: BTreeSet<String> =
        steps.iter().chain(cleanup.iter()).flat_map(Step::auth_variables).map(str::to_string).collect();
    for capture in steps.iter_mut().chain(cleanup.iter_mut()).flat_map(|s| s.captures.iter_mut()) {
        capture.secret |= sent.contains(&capture.name);
    }
}

/// A shared setup scenario's capture that any scenario of the specification sends as a
/// credential is secret from the moment the setup captures it, as one a scenario's own
/// step captures is (`credentials_are_secret`).
pub fn shared_credentials_are_secret(suites: &mut [Suite]) {
    let sent: BTreeSet<String> = suites
        .iter()
        .flat_map(Suite::all_scenarios)
        .flat_map(|sc| sc.steps.iter().chain(&sc.cleanup))
        .flat_map(Step::auth_variables)
        .map(str::to_string)
        .collect();
    let setups = suites.iter_mut().flat_map(|s| s.setup.iter_mut());
    for capture in setups.flat_map(|sc| sc.steps.iter_mut()).flat_map(|s| s.captures.iter_mut()) {
        capture.secret |= sent.contains(&capture.name);
    }
}

/// `200`, `"2XX"`, or a list of those.
fn parse_status(v: &Value) -> Result<Vec<StatusKey>, String> {
    let one = |v: &Value| -> Result<StatusKey, String> {
        let text = match v {
            Value::Number(n) => n.to_string(),
            Value::String(s) => s.clone(),
            _ => return Err("a status is a code such as 201 or a range such as \"4XX\"".into()),
        };
        match StatusKey::parse(&text) {
            Some(StatusKey::Default) | None => {
                Err(format!("`{text}` is not a status code (100-599) or a range such as \"4XX\""))
            }
            Some(k) => Ok(k),
        }
    };
    match v {
        Value::Array(items) if !items.is_empty() => items.iter().map(one).collect(),
        Value::Array(_) => Err("the list of statuses is empty".into()),
        other => Ok(vec![one(other)?]),
    }
}
