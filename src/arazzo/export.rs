//! A specification's scenarios as an Arazzo 1.0.1 description: one workflow per scenario,
//! one step per step (cleanup steps last, marked `x-konform-cleanup`), expectations as
//! success criteria and captures as outputs where Arazzo can say them, and the rest in
//! `x-konform-*` extensions (docs/arazzo.md).

use serde_json::{json, Map, Value};

use super::{jsonpath_to_pointer, step_id, ARAZZO_VERSION};
use crate::catalogue::Spec;
use crate::diag::Diag;
use crate::model::Lang;
use crate::source::SourceFile;
use crate::suite::assert::OPERATORS;
use crate::suite::template::{Part, Template};

/// The Arazzo description of a specification's scenarios (text in `lang` where Arazzo has
/// one text; both languages in extensions). `Err` when a suite or fixture cannot be read.
pub fn export(spec: &Spec, lang: Lang) -> Result<Value, Vec<Diag>> {
    let source = source_name(&spec.meta.id);
    let raws: Vec<Value> = spec
        .suites
        .iter()
        .filter(|s| !s.derived)
        .map(|s| crate::typed::parse(&s.file).map_err(|d| vec![d]))
        .collect::<Result<_, _>>()?;
    let listed = |key: &'static str| {
        raws.iter().flat_map(move |raw| raw.get(key).and_then(Value::as_array).into_iter().flatten())
    };
    // What each shared setup scenario captures: the others read it as the setup
    // workflow's output (`$workflows.ID.outputs.NAME`) and depend on that workflow.
    let mut shared: Vec<(String, String)> = Vec::new();
    for setup in listed("setup") {
        let id = setup.get("id").and_then(Value::as_str).unwrap_or_default();
        for step in setup.get("steps").and_then(Value::as_array).into_iter().flatten() {
            for name in step.get("capture").and_then(Value::as_object).into_iter().flat_map(|m| m.keys()) {
                shared.push((name.clone(), id.to_string()));
            }
        }
    }
    let mut workflows = Vec::new();
    // Shared setup first and teardown last, as they run.
    for (key, role) in [("setup", Some("setup")), ("scenarios", None), ("teardown", Some("teardown"))] {
        for scenario in listed(key) {
            let mut w =
                Workflow { spec, source: &source, lang, captured: Vec::new(), step_ids: Vec::new(), shared: &shared };
            workflows.push(w.workflow(scenario, role)?);
        }
    }
    let mut info = Map::new();
    info.insert("title".into(), json!(spec.meta.title.get(lang)));
    if let Some(d) = &spec.meta.description {
        info.insert("description".into(), json!(d.get(lang)));
    }
    info.insert("version".into(), json!(spec.meta.version.to_string()));
    info.insert("x-konform-specification".into(), json!({ "id": spec.meta.id, "title": spec.meta.title }));
    let requirements: Vec<Value> =
        spec.requirements.iter().map(|r| json!({ "id": r.id, "level": r.level, "title": r.title.get(lang) })).collect();
    Ok(json!({
        "arazzo": ARAZZO_VERSION,
        "info": info,
        "sourceDescriptions": [{ "name": source, "url": spec.meta.openapi, "type": "openapi" }],
        "workflows": workflows,
        "x-konform-requirements": requirements,
    }))
}

fn lang_key(lang: Lang) -> &'static str {
    match lang {
        Lang::Sv => "sv",
        Lang::En => "en",
    }
}

/// The source description's name: the specification's id in the characters Arazzo allows.
fn source_name(id: &str) -> String {
    let name: String = id.chars().map(|c| if c.is_ascii_alphanumeric() || c == '-' { c } else { '_' }).collect();
    if name.is_empty() {
        "api".into()
    } else {
        name
    }
}

/// The scenario being written: which step captured each variable so far.
struct Workflow<'a> {
    spec: &'a Spec,
    source: &'a str,
    lang: Lang,
    /// (variable, step id), in the order captured; the last one wins.
    captured: Vec<(String, String)>,
    step_ids: Vec<String>,
    /// (variable, shared setup scenario id): what the shared setup captures, in order.
    shared: &'a [(String, String)],
}

fn fail(spec: &Spec, message: String) -> Vec<Diag> {
    vec![Diag::error("arazzo::export", message).at(&spec.meta_file, None)]
}

impl Workflow<'_> {
    fn workflow(&mut self, scenario: &Value, role: Option<&str>) -> Result<Value, Vec<Diag>> {
        let get = |key: &str| scenario.get(key).filter(|v| !v.is_null());
        let mut w = Map::new();
        w.insert("workflowId".into(), get("id").cloned().unwrap_or(json!("scenario")));
        if let Some(title) = get("title") {
            w.insert("summary".into(), title.get(lang_key(self.lang)).cloned().unwrap_or(Value::Null));
        }
        if let Some(d) = get("description") {
            w.insert("description".into(), d.get(lang_key(self.lang)).cloned().unwrap_or(Value::Null));
        }
        let mut steps = Vec::new();
        for (key, cleanup) in [("steps", false), ("cleanup", true)] {
            for step in get(key).and_then(Value::as_array).into_iter().flatten() {
                steps.push(self.step(step, cleanup)?);
            }
        }
        // The inputs: every `$inputs.NAME` the steps use, fixtures' payloads included.
        let mut inputs = Map::new();
        for name in inputs_used(&Value::Array(steps.clone())) {
            let mut schema = Map::new();
            if let Some(decl) = self.spec.meta.variables.get(&name) {
                if let Some(d) = &decl.description {
                    schema.insert("description".into(), json!(d));
                }
                if let Some(v) = &decl.default {
                    schema.insert("default".into(), v.clone());
                }
            }
            inputs.insert(name, Value::Object(schema));
        }
        if !inputs.is_empty() {
            w.insert("inputs".into(), json!({ "type": "object", "properties": inputs }));
        }
        // The shared setup workflows whose outputs it reads: in its steps, or in what stays
        // in konform's syntax (its `auth`, its `variables`), unless it captures them itself.
        let mut depends = workflows_used(&Value::Array(steps.clone()));
        let mut used = std::collections::BTreeSet::new();
        for key in ["auth", "variables"] {
            if let Some(v) = get(key) {
                let _ = crate::suite::template::variables_in_value(v, &mut used);
            }
        }
        for (name, setup) in self.shared {
            let own = self.captured.iter().any(|(n, _)| n == name);
            if used.contains(name) && !own && !depends.contains(setup) && role != Some("setup") {
                depends.push(setup.clone());
            }
        }
        if !depends.is_empty() {
            w.insert("dependsOn".into(), json!(depends));
        }
        w.insert("steps".into(), Value::Array(steps));
        if role == Some("setup") {
            // What it captures, for the workflows that depend on it.
            let mut outputs = Map::new();
            for (name, step) in &self.captured {
                outputs.insert(name.clone(), json!(format!("$steps.{step}.outputs.{name}")));
            }
            if !outputs.is_empty() {
                w.insert("outputs".into(), Value::Object(outputs));
            }
        }
        if let Some(role) = role {
            w.insert("x-konform-role".into(), json!(role));
        }
        for (key, ext) in [
            ("title", "x-konform-title"),
            ("description", "x-konform-description"),
            ("covers", "x-konform-covers"),
            ("tags", "x-konform-tags"),
            ("variables", "x-konform-variables"),
            ("auth", "x-konform-auth"),
        ] {
            if let Some(v) = get(key) {
                w.insert(ext.into(), v.clone());
            }
        }
        Ok(Value::Object(w))
    }

    fn step(&mut self, step: &Value, cleanup: bool) -> Result<Value, Vec<Diag>> {
        let get = |key: &str| step.get(key).filter(|v| !v.is_null());
        let operation = get("operation").and_then(Value::as_str).unwrap_or_default();
        let name = get("name").and_then(Value::as_str);
        let id = step_id(name.unwrap_or(operation), &mut self.step_ids);
        let mut s = Map::new();
        s.insert("stepId".into(), json!(id));
        if let Some(name) = name {
            s.insert("description".into(), json!(name));
        }
        let (key, target) = self.operation(operation);
        s.insert(key.into(), json!(target));
        let mut parameters = Vec::new();
        for place in ["path", "query", "headers"] {
            let arazzo_in = if place == "headers" { "header" } else { place };
            for (name, value) in get(place).and_then(Value::as_object).into_iter().flatten() {
                parameters.push(json!({ "name": name, "in": arazzo_in, "value": self.value(value) }));
            }
        }
        if !parameters.is_empty() {
            s.insert("parameters".into(), Value::Array(parameters));
        }
        if let Some(body) = self.request_body(step)? {
            s.insert("requestBody".into(), body);
        }
        let expect = get("expect").cloned().unwrap_or(json!({}));
        let (criteria, rest) = self.criteria(&expect);
        if !criteria.is_empty() {
            s.insert("successCriteria".into(), Value::Array(criteria));
        }
        let (outputs, captures) = outputs(get("capture"));
        if !outputs.is_empty() {
            s.insert("outputs".into(), Value::Object(outputs));
        }
        if let Some(path) = get("body_file") {
            s.insert("x-konform-body-file".into(), path.clone());
        }
        for (key, ext) in [("auth", "x-konform-auth"), ("setup", "x-konform-setup")] {
            if let Some(v) = get(key) {
                s.insert(ext.into(), v.clone());
            }
        }
        if !rest.is_empty() {
            s.insert("x-konform-expect".into(), Value::Object(rest));
        }
        if !captures.is_empty() {
            s.insert("x-konform-capture".into(), Value::Object(captures));
        }
        if cleanup {
            s.insert("x-konform-cleanup".into(), json!(true));
        }
        // Captured after the step: later steps read the step's outputs.
        for name in get("capture").and_then(Value::as_object).into_iter().flat_map(|m| m.keys()) {
            self.captured.push((name.clone(), id.clone()));
        }
        Ok(Value::Object(s))
    }

    /// `operationId`, or `operationPath` for an operation the document names `METHOD /path`.
    fn operation(&self, written: &str) -> (&'static str, String) {
        match self.spec.api.as_ref().and_then(|api| api.operation(written)) {
            Some(op) if op.id.contains(' ') => {
                let pointer =
                    format!("/paths/{}/{}", crate::source::escape_pointer(&op.path), op.method.to_lowercase());
                ("operationPath", format!("{{$sourceDescriptions.{}.url}}#{pointer}", self.source))
            }
            Some(op) => ("operationId", op.id.clone()),
            None => ("operationId", written.to_string()),
        }
    }

    fn request_body(&self, step: &Value) -> Result<Option<Value>, Vec<Diag>> {
        let payload = match (step.get("body"), step.get("body_file").and_then(Value::as_str)) {
            (Some(body), _) if !body.is_null() => self.value(body),
            (_, Some(path)) => self.fixture(path)?,
            _ => return Ok(None),
        };
        let mut body = Map::new();
        if let Some(ct) = step.get("content_type").filter(|v| !v.is_null()) {
            body.insert("contentType".into(), ct.clone());
        }
        body.insert("payload".into(), payload);
        Ok(Some(Value::Object(body)))
    }

    /// A fixture's content as the payload: JSON and YAML parsed (templates as runtime
    /// expressions), any other file as its text.
    fn fixture(&self, written: &str) -> Result<Value, Vec<Diag>> {
        let path = self.spec.dir.join(written);
        let structured = matches!(path.extension().and_then(|e| e.to_str()), Some("json" | "yaml" | "yml"));
        if structured {
            let file = SourceFile::read(&path).map_err(|m| fail(self.spec, m))?;
            let value = file.parse().map_err(|e| vec![Diag::error("arazzo::export", e.message).at(&file, e.span)])?;
            return Ok(self.value(&value));
        }
        match std::fs::read(&path).map(String::from_utf8) {
            Ok(Ok(text)) => Ok(Value::String(text)),
            Ok(Err(_)) => Err(fail(self.spec, format!("fixture `{written}` is not text: Arazzo cannot carry it"))),
            Err(e) => Err(fail(self.spec, format!("cannot read fixture `{written}`: {e}"))),
        }
    }

    /// A value with its templates as runtime expressions: a string that is one template
    /// becomes the expression, templates inside text `{$expression}`.
    fn value(&self, value: &Value) -> Value {
        match value {
            Value::String(s) => Value::String(self.text(s)),
            Value::Array(items) => Value::Array(items.iter().map(|v| self.value(v)).collect()),
            Value::Object(map) => Value::Object(map.iter().map(|(k, v)| (k.clone(), self.value(v))).collect()),
            other => other.clone(),
        }
    }

    fn text(&self, s: &str) -> String {
        let Ok(template) = Template::parse(s) else { return s.to_string() };
        if let Some(expr) = template.sole_variable().and_then(|v| self.expression(v)) {
            return expr;
        }
        template
            .parts
            .iter()
            .map(|part| match part {
                Part::Text(t) => t.clone(),
                Part::Var(v) => self.expression(v).map_or_else(|| format!("{{{{ {v} }}}}"), |e| format!("{{{e}}}")),
            })
            .collect()
    }

    /// The runtime expression of a variable: the output of the last step that captured it,
    /// else an input. Built-ins (`$uuid`...) have none.
    fn expression(&self, variable: &str) -> Option<String> {
        if variable.starts_with('$') {
            return None;
        }
        Some(match self.captured.iter().rev().find(|(name, _)| name == variable) {
            Some((_, step)) => format!("$steps.{step}.outputs.{variable}"),
            None => match self.shared.iter().rev().find(|(name, _)| name == variable) {
                Some((_, setup)) => format!("$workflows.{setup}.outputs.{variable}"),
                None => format!("$inputs.{variable}"),
            },
        })
    }

    /// Success criteria for what Arazzo can say of `expect`; the rest (`headers`, `body`,
    /// `per_requirement`) in konform's syntax.
    fn criteria(&self, expect: &Value) -> (Vec<Value>, Map<String, Value>) {
        let mut criteria = Vec::new();
        let mut rest = Map::new();
        if let Some(status) = expect.get("status").filter(|v| !v.is_null()) {
            match status_condition(status) {
                Some(condition) => criteria.push(json!({ "condition": condition })),
                None => {
                    rest.insert("status".into(), status.clone());
                }
            }
        }
        for (key, place) in [("headers", Place::Header), ("body", Place::Body)] {
            let mut left = Map::new();
            for (subject, spec) in expect.get(key).and_then(Value::as_object).into_iter().flatten() {
                match self.assertion(place, subject, spec) {
                    Some(mut c) => criteria.append(&mut c),
                    None => {
                        left.insert(subject.clone(), spec.clone());
                    }
                }
            }
            if !left.is_empty() {
                rest.insert(key.into(), Value::Object(left));
            }
        }
        if let Some(per) = expect.get("per_requirement").filter(|v| !v.is_null()) {
            rest.insert("per_requirement".into(), per.clone());
        }
        (criteria, rest)
    }

    /// The criteria of one assertion, when every operator in it has one.
    fn assertion(&self, place: Place, subject: &str, spec: &Value) -> Option<Vec<Value>> {
        let context = match place {
            Place::Header => format!("$response.header.{subject}"),
            Place::Body => match jsonpath_to_pointer(subject) {
                Some(p) if p.is_empty() => "$response.body".to_string(),
                Some(p) => format!("$response.body#{p}"),
                // A multi-match path: only `exists: true`, as a JSONPath criterion.
                None if *spec == json!({ "exists": true }) => {
                    let c = json!({ "context": "$response.body", "condition": subject, "type": "jsonpath" });
                    return Some(vec![c]);
                }
                None => return None,
            },
        };
        let ops = match spec {
            Value::Object(map) if !map.is_empty() && map.keys().all(|k| OPERATORS.contains(&k.as_str())) => map.clone(),
            Value::Object(_) | Value::Array(_) => return None,
            scalar => Map::from_iter([("equals".to_string(), scalar.clone())]),
        };
        ops.iter().map(|(op, arg)| self.criterion(place, subject, &context, op, arg)).collect()
    }

    fn criterion(&self, place: Place, subject: &str, context: &str, op: &str, arg: &Value) -> Option<Value> {
        let comparison = |symbol: &str| -> Option<Value> {
            let literal = self.literal(arg)?;
            Some(json!({ "condition": format!("{context} {symbol} {literal}") }))
        };
        match op {
            "equals" => comparison("=="),
            "not_equals" => comparison("!="),
            "gt" | "ge" | "lt" | "le" if arg.is_number() => comparison(match op {
                "gt" => ">",
                "ge" => ">=",
                "lt" => "<",
                _ => "<=",
            }),
            "matches" => {
                let regex = arg.as_str()?;
                Some(json!({ "context": context, "condition": regex, "type": "regex" }))
            }
            "exists" if *arg == json!(true) && place == Place::Body => {
                Some(json!({ "context": "$response.body", "condition": subject, "type": "jsonpath" }))
            }
            _ => None,
        }
    }

    /// A literal of a simple condition: a number, `true`, `false`, `null`, a string in single
    /// quotes, or a variable's runtime expression.
    fn literal(&self, value: &Value) -> Option<String> {
        match value {
            Value::Number(_) | Value::Bool(_) | Value::Null => Some(value.to_string()),
            Value::String(s) => {
                let template = Template::parse(s).ok()?;
                if let Some(v) = template.sole_variable() {
                    return self.expression(v);
                }
                let plain = template.is_literal() && !s.contains('\'') && !s.contains(['\n', '\r']);
                plain.then(|| format!("'{s}'"))
            }
            _ => None,
        }
    }
}

#[derive(Clone, Copy, PartialEq)]
enum Place {
    Header,
    Body,
}

/// `$statusCode == 201`, `$statusCode == 200 || $statusCode == 409`, and a range `4XX` as
/// `$statusCode >= 400 && $statusCode < 500`.
pub(super) fn status_condition(status: &Value) -> Option<String> {
    let one = |v: &Value| -> Option<String> {
        let text = match v {
            Value::Number(n) => n.to_string(),
            Value::String(s) => s.clone(),
            _ => return None,
        };
        match crate::model::StatusKey::parse(&text)? {
            crate::model::StatusKey::Code(c) => Some(format!("$statusCode == {c}")),
            crate::model::StatusKey::Range(r) => {
                Some(format!("$statusCode >= {} && $statusCode < {}", r as u32 * 100, (r as u32 + 1) * 100))
            }
            crate::model::StatusKey::Default => None,
        }
    };
    match status {
        Value::Array(items) if !items.is_empty() => {
            let parts: Option<Vec<String>> = items.iter().map(one).collect();
            Some(parts?.join(" || "))
        }
        Value::Array(_) => None,
        other => one(other),
    }
}

/// Captures Arazzo can say as outputs (`$response.body#/pointer`, `$response.header.Name`),
/// and the rest in konform's syntax.
fn outputs(capture: Option<&Value>) -> (Map<String, Value>, Map<String, Value>) {
    let (mut outputs, mut rest) = (Map::new(), Map::new());
    for (name, spec) in capture.and_then(Value::as_object).into_iter().flatten() {
        let expr = match spec {
            Value::String(path) => jsonpath_to_pointer(path).map(|p| {
                if p.is_empty() {
                    "$response.body".to_string()
                } else {
                    format!("$response.body#{p}")
                }
            }),
            Value::Object(map) if map.len() == 1 => {
                map.get("header").and_then(Value::as_str).map(|h| format!("$response.header.{h}"))
            }
            _ => None,
        };
        let simple_name = name.chars().all(|c| c.is_ascii_alphanumeric() || "._-".contains(c));
        match expr {
            Some(e) if simple_name => {
                outputs.insert(name.clone(), json!(e));
            }
            _ => {
                rest.insert(name.clone(), spec.clone());
            }
        }
    }
    (outputs, rest)
}

/// The workflow ids after `$workflows.` in a value's strings, in order of first use.
fn workflows_used(value: &Value) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut walk = vec![value];
    while let Some(v) = walk.pop() {
        match v {
            Value::String(s) => {
                for (i, _) in s.match_indices("$workflows.") {
                    let rest = &s[i + "$workflows.".len()..];
                    let id = rest.split_once(".outputs.").map_or("", |(id, _)| id);
                    if !id.is_empty() && !out.iter().any(|o| o == id) {
                        out.push(id.to_string());
                    }
                }
            }
            Value::Array(items) => walk.extend(items.iter().rev()),
            Value::Object(map) => walk.extend(map.values().rev()),
            _ => {}
        }
    }
    out
}

/// The names after `$inputs.` in a value's strings, in order of first use.
fn inputs_used(value: &Value) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut walk = vec![value];
    while let Some(v) = walk.pop() {
        match v {
            Value::String(s) => {
                for (i, _) in s.match_indices("$inputs.") {
                    let rest = &s[i + "$inputs.".len()..];
                    let end = rest.find(|c: char| !(c.is_alphanumeric() || "_-.".contains(c))).unwrap_or(rest.len());
                    let name = rest[..end].trim_end_matches('.');
                    if !name.is_empty() && !out.iter().any(|o| o == name) {
                        out.push(name.to_string());
                    }
                }
            }
            Value::Array(items) => walk.extend(items.iter().rev()),
            Value::Object(map) => walk.extend(map.values().rev()),
            _ => {}
        }
    }
    out
}
