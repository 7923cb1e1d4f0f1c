//! An Arazzo 1.0.x description read into a konform suite: each workflow a scenario, each
//! step a step, success criteria and outputs that konform can judge as expectations and
//! captures, and konform's own `x-konform-*` extensions back as they were written.
//!
//! What cannot be translated is reported at its line. A construct whose loss leaves a
//! weaker but valid suite (an action, a criterion of another kind, a workflow's outputs) is
//! a warning and the suite is still written; one the suite cannot do without (a step that
//! calls a workflow, an operation the OpenAPI document does not have, a fixture path
//! outside the folder) is an error, and nothing is written.

use std::sync::Arc;

use serde_json::{json, Map, Value};

use super::{pointer_to_jsonpath, schema_errors, step_id};
use crate::catalogue::openapi::ApiDoc;
use crate::diag::{Diag, Level};
use crate::source::{escape_pointer, unescape_pointer, Locations, SourceFile};

/// What an import made: the suite (its YAML value), the fixture files it sends (path
/// relative to the specification folder, and bytes), and what could not be translated.
pub struct Imported {
    pub suite: Value,
    pub fixtures: Vec<(String, Vec<u8>)>,
    pub diags: Vec<Diag>,
}

impl Imported {
    pub fn has_errors(&self) -> bool {
        self.diags.iter().any(|d| d.level == Level::Error)
    }
}

/// Reads an Arazzo description against the OpenAPI document its steps call. `Err` when the
/// file is not an Arazzo 1.0 description at all (not parsed, no `arazzo: 1.0.x`, or invalid
/// against the Arazzo JSON Schema).
pub fn import(file: &Arc<SourceFile>, api: &ApiDoc) -> Result<Imported, Vec<Diag>> {
    let value = crate::typed::parse(file).map_err(|d| vec![d])?;
    let locations = file.locate_all();
    let mut im = Importer { file, locations: &locations, api, diags: Vec::new(), fixtures: Vec::new() };
    match value.get("arazzo").and_then(Value::as_str) {
        Some(v) if v.starts_with("1.0.") => {}
        Some(v) => {
            im.error("arazzo::version", "/arazzo", format!("Arazzo {v} is not supported: konform reads Arazzo 1.0.x"));
            return Err(im.diags);
        }
        None => {
            let d = Diag::error("arazzo::not-arazzo", format!("{} is not an Arazzo description", file.name))
                .at(file, None)
                .help(
                    "an Arazzo description starts with `arazzo: 1.0.1` (https://spec.openapis.org/arazzo/v1.0.1.html)",
                );
            return Err(vec![d]);
        }
    }
    for (pointer, message) in schema_errors(&value, 20) {
        im.error("arazzo::schema", &pointer, format!("not valid Arazzo 1.0: {message}"));
    }
    if !im.diags.is_empty() {
        return Err(im.diags);
    }
    im.document(&value);
    // A workflow marked `x-konform-role` is a shared setup or teardown scenario.
    let mut suite = Map::new();
    for (i, w) in value["workflows"].as_array().into_iter().flatten().enumerate() {
        let key = match w["x-konform-role"].as_str() {
            Some("setup") => "setup",
            Some("teardown") => "teardown",
            _ => "scenarios",
        };
        let scenario = im.workflow(&format!("/workflows/{i}"), w);
        suite.entry(key).or_insert_with(|| json!([])).as_array_mut().expect("a list").push(scenario);
    }
    let mut ordered = Map::new();
    for key in ["setup", "scenarios", "teardown"] {
        if let Some(list) = suite.remove(key) {
            ordered.insert(key.into(), list);
        }
    }
    if ordered.is_empty() {
        ordered.insert("scenarios".into(), json!([]));
    }
    Ok(Imported { suite: Value::Object(ordered), fixtures: im.fixtures, diags: im.diags })
}

struct Importer<'a> {
    file: &'a Arc<SourceFile>,
    locations: &'a Locations,
    api: &'a ApiDoc,
    diags: Vec<Diag>,
    fixtures: Vec<(String, Vec<u8>)>,
}

/// Keys of an object this import reads; any other is reported as not translated.
fn unread(object: &Value, read: &[&str]) -> Vec<String> {
    object.as_object().into_iter().flat_map(|m| m.keys()).filter(|k| !read.contains(&k.as_str())).cloned().collect()
}

impl Importer<'_> {
    /// At the key of `pointer` (what was left out), else its value.
    fn push(&mut self, d: Diag, pointer: &str) {
        let span = self.locations.key(pointer).or_else(|| self.locations.value(pointer));
        self.diags.push(d.at(self.file, span));
    }

    /// At the value of `pointer` (what is wrong), else its key.
    fn error(&mut self, code: &'static str, pointer: &str, message: String) {
        let span = self.locations.value(pointer).or_else(|| self.locations.key(pointer));
        self.diags.push(Diag::error(code, message).at(self.file, span));
    }

    /// A construct left out of the suite.
    fn dropped(&mut self, pointer: &str, what: String) {
        self.push(Diag::warning("arazzo::not-translated", format!("{what}: not translated")), pointer);
    }

    fn unread_keys(&mut self, pointer: &str, object: &Value, read: &[&str], what: &str) {
        for key in unread(object, read) {
            self.dropped(&format!("{pointer}/{}", escape_pointer(&key)), format!("{what} `{key}`"));
        }
    }

    fn document(&mut self, doc: &Value) {
        let read = ["arazzo", "info", "sourceDescriptions", "workflows", "x-konform-requirements"];
        self.unread_keys("", doc, &read, "the description's");
        let sources = doc["sourceDescriptions"].as_array().map_or(0, Vec::len);
        if sources > 1 {
            let what = "source descriptions after the first (every step is looked up in --openapi)".to_string();
            self.dropped("/sourceDescriptions/1", what);
        }
    }

    fn workflow(&mut self, at: &str, w: &Value) -> Value {
        let read = [
            "workflowId",
            "summary",
            "description",
            "inputs",
            "steps",
            "x-konform-title",
            "x-konform-description",
            "x-konform-covers",
            "x-konform-tags",
            "x-konform-variables",
            "x-konform-auth",
            "x-konform-role",
            // What a shared setup workflow leaves (its outputs) and who reads it (dependsOn)
            // are the suite's captures and `{{ variable }}` uses again.
            "dependsOn",
            "outputs",
        ];
        let shared = w["x-konform-role"].is_string();
        // A test workflow's own outputs have no place in a suite.
        let read = if shared { &read[..] } else { &read[..read.len() - 1] };
        self.unread_keys(at, w, read, "workflow");
        let id = w["workflowId"].as_str().unwrap_or_default().to_string();
        let mut s = Map::new();
        s.insert("id".into(), json!(id));
        let title = match &w["x-konform-title"] {
            Value::Null => {
                let text = w["summary"].as_str().unwrap_or(&id).to_string();
                let what = "no `x-konform-title`: the summary (or workflowId) is the title in both languages";
                self.push(Diag::warning("arazzo::language", what), &format!("{at}/workflowId"));
                json!({ "sv": text, "en": text })
            }
            given => given.clone(),
        };
        s.insert("title".into(), title);
        match (&w["x-konform-description"], w["description"].as_str()) {
            (Value::Null, Some(d)) => {
                s.insert("description".into(), json!({ "sv": d, "en": d }));
            }
            (Value::Null, None) => {}
            (given, _) => {
                s.insert("description".into(), given.clone());
            }
        }
        match &w["x-konform-covers"] {
            Value::Null if shared => {}
            Value::Null => {
                let what = "no `x-konform-covers`: the scenario covers no requirement until `covers` names some";
                self.push(Diag::warning("arazzo::covers", what), &format!("{at}/workflowId"));
                s.insert("covers".into(), json!([]));
            }
            given => {
                s.insert("covers".into(), given.clone());
            }
        }
        for (ext, key) in [("x-konform-tags", "tags"), ("x-konform-variables", "variables"), ("x-konform-auth", "auth")]
        {
            if !w[ext].is_null() {
                s.insert(key.into(), w[ext].clone());
            }
        }
        let (mut steps, mut cleanup) = (Vec::new(), Vec::new());
        let mut taken = Vec::new();
        for (i, step) in w["steps"].as_array().into_iter().flatten().enumerate() {
            let sp = format!("{at}/steps/{i}");
            let Some(translated) = self.step(&sp, step, &mut taken) else { continue };
            if step["x-konform-cleanup"] == json!(true) {
                cleanup.push(translated);
            } else {
                steps.push(translated);
            }
        }
        s.insert("steps".into(), Value::Array(steps));
        if !cleanup.is_empty() {
            s.insert("cleanup".into(), Value::Array(cleanup));
        }
        Value::Object(s)
    }

    fn step(&mut self, at: &str, step: &Value, taken: &mut Vec<String>) -> Option<Value> {
        let read = [
            "stepId",
            "description",
            "operationId",
            "operationPath",
            "parameters",
            "requestBody",
            "successCriteria",
            "outputs",
            "x-konform-body-file",
            "x-konform-auth",
            "x-konform-setup",
            "x-konform-expect",
            "x-konform-capture",
            "x-konform-cleanup",
        ];
        if !step["workflowId"].is_null() {
            let m = "a step that runs another workflow cannot be translated: konform's steps call operations";
            self.error("arazzo::workflow-step", &format!("{at}/workflowId"), m.into());
            return None;
        }
        self.unread_keys(at, step, &read, "step");
        let operation = self.operation(at, step)?;
        let mut s = Map::new();
        // A step without a description is named by its stepId, unless that is the id the
        // export gives a step named by its operation.
        let sid = step["stepId"].as_str().unwrap_or_default();
        let name = match step["description"].as_str() {
            Some(d) => Some(d.to_string()),
            None if step_id(&operation, &mut taken.clone()) != sid => Some(sid.to_string()),
            None => None,
        };
        if let Some(name) = &name {
            s.insert("name".into(), json!(name));
        }
        step_id(name.as_deref().unwrap_or(&operation), taken);
        s.insert("operation".into(), json!(operation));
        let op = self.api.operation(&operation).cloned();
        for (i, p) in step["parameters"].as_array().into_iter().flatten().enumerate() {
            self.parameter(&format!("{at}/parameters/{i}"), p, op.as_ref(), &mut s);
        }
        if !step["requestBody"].is_null() {
            self.request_body(&format!("{at}/requestBody"), step, &mut s)?;
        }
        for (ext, key) in [("x-konform-auth", "auth"), ("x-konform-setup", "setup")] {
            if !step[ext].is_null() {
                s.insert(key.into(), step[ext].clone());
            }
        }
        let expect = self.expect(at, step);
        if !expect.is_empty() {
            s.insert("expect".into(), Value::Object(expect));
        }
        let capture = self.capture(at, step);
        if !capture.is_empty() {
            s.insert("capture".into(), Value::Object(capture));
        }
        Some(Value::Object(s))
    }

    /// The konform operation a step calls: its `operationId`, or the `METHOD /path` (or
    /// operationId) of the operation its `operationPath` points at.
    fn operation(&mut self, at: &str, step: &Value) -> Option<String> {
        if let Some(id) = step["operationId"].as_str() {
            // `$sourceDescriptions.NAME.operationId` names the source too.
            let bare = id.strip_prefix("$sourceDescriptions.").and_then(|r| r.split_once('.')).map_or(id, |(_, op)| op);
            if let Some(op) = self.api.operation(bare) {
                return Some(op.id.clone());
            }
            let aside = crate::diag::did_you_mean_aside(bare, self.api.operation_ids());
            self.error(
                "arazzo::operation",
                &format!("{at}/operationId"),
                format!("the OpenAPI document has no operation `{bare}`{aside}"),
            );
            return None;
        }
        let path = step["operationPath"].as_str()?;
        let pointer = path.split_once('#').map_or(path, |(_, f)| f);
        let segments: Vec<String> = pointer.split('/').map(unescape_pointer).collect();
        let found = match segments.as_slice() {
            [empty, paths, route, method] if empty.is_empty() && paths == "paths" => {
                self.api.operations.iter().find(|op| op.path == *route && op.method.eq_ignore_ascii_case(method))
            }
            _ => None,
        };
        match found {
            Some(op) => Some(op.id.clone()),
            None => {
                let m = format!("`{path}` points at no operation of the OpenAPI document (`#/paths/<path>/<method>`)");
                self.error("arazzo::operation", &format!("{at}/operationPath"), m);
                None
            }
        }
    }

    fn parameter(
        &mut self,
        at: &str,
        p: &Value,
        op: Option<&crate::catalogue::openapi::index::Operation>,
        s: &mut Map<String, Value>,
    ) {
        if !p["reference"].is_null() {
            self.dropped(at, "a parameter from `components` (`reference`)".into());
            return;
        }
        let name = p["name"].as_str().unwrap_or_default();
        let declared = op.and_then(|op| op.parameters.iter().find(|d| d.name == name)).map(|d| d.location.to_string());
        let place = p["in"].as_str().map(str::to_string).or(declared);
        let key = match place.as_deref() {
            Some("path") => "path",
            Some("query") => "query",
            Some("header") => "headers",
            Some(other) => {
                self.dropped(
                    at,
                    format!("the {other} parameter `{name}` (konform sends path, query and header parameters)"),
                );
                return;
            }
            None => {
                self.dropped(
                    at,
                    format!("the parameter `{name}`, whose `in` is not given and not declared by the operation"),
                );
                return;
            }
        };
        let value = match &p["value"] {
            v @ (Value::String(_) | Value::Number(_) | Value::Bool(_)) => self.value(&format!("{at}/value"), v),
            other => {
                self.dropped(
                    &format!("{at}/value"),
                    format!("the value {other} of parameter `{name}` (a parameter is a string, number or boolean)"),
                );
                return;
            }
        };
        let map = s.entry(key).or_insert_with(|| json!({}));
        if let Some(m) = map.as_object_mut() {
            m.insert(name.to_string(), value);
        }
    }

    fn request_body(&mut self, at: &str, step: &Value, s: &mut Map<String, Value>) -> Option<()> {
        let body = &step["requestBody"];
        self.unread_keys(at, body, &["contentType", "payload"], "request body");
        let payload = self.value(&format!("{at}/payload"), &body["payload"]);
        match step["x-konform-body-file"].as_str() {
            Some(path) => {
                let fp = format!("{}/x-konform-body-file", at.trim_end_matches("/requestBody"));
                let bytes = self.fixture_bytes(&fp, path, &payload)?;
                match self.fixtures.iter().find(|(p, _)| p == path) {
                    Some((_, earlier)) if *earlier != bytes => {
                        let m = format!("fixture `{path}` is given two different payloads");
                        self.error("arazzo::fixture", &fp, m);
                        return None;
                    }
                    Some(_) => {}
                    None => self.fixtures.push((path.to_string(), bytes)),
                }
                s.insert("body_file".into(), json!(path));
            }
            None => {
                s.insert("body".into(), payload);
            }
        }
        if let Some(ct) = body["contentType"].as_str() {
            s.insert("content_type".into(), json!(ct));
        }
        Some(())
    }

    /// A fixture's bytes: JSON or YAML by its extension, any other file the payload's text.
    fn fixture_bytes(&mut self, at: &str, path: &str, payload: &Value) -> Option<Vec<u8>> {
        let p = std::path::Path::new(path);
        let inside = !path.is_empty()
            && p.components().all(|c| matches!(c, std::path::Component::Normal(_) | std::path::Component::CurDir));
        if !inside {
            let m = format!("fixture path `{path}` must be relative and inside the specification folder (no `..`)");
            self.error("arazzo::fixture", at, m);
            return None;
        }
        Some(match p.extension().and_then(|e| e.to_str()) {
            Some("json") => format!("{}\n", serde_json::to_string_pretty(payload).unwrap_or_default()).into_bytes(),
            Some("yaml" | "yml") => super::yaml::to_yaml(payload).into_bytes(),
            _ => match payload {
                Value::String(text) => text.clone().into_bytes(),
                other => other.to_string().into_bytes(),
            },
        })
    }

    /// A value with runtime expressions as templates: `$inputs.x` and `$steps.s.outputs.x`
    /// (whole, or `{...}` inside text) become `{{ x }}`. Any other expression is reported.
    fn value(&mut self, at: &str, value: &Value) -> Value {
        match value {
            Value::String(s) => Value::String(self.text(at, s)),
            Value::Array(items) => {
                Value::Array(items.iter().enumerate().map(|(i, v)| self.value(&format!("{at}/{i}"), v)).collect())
            }
            Value::Object(map) => Value::Object(
                map.iter().map(|(k, v)| (k.clone(), self.value(&format!("{at}/{}", escape_pointer(k)), v))).collect(),
            ),
            other => other.clone(),
        }
    }

    fn text(&mut self, at: &str, s: &str) -> String {
        if let Some(t) = variable_template(s) {
            return t;
        }
        if is_runtime_expression(s) {
            self.dropped(at, format!("the runtime expression `{s}` (sent as text)"));
            return s.to_string();
        }
        let mut out = String::new();
        let mut rest = s;
        while let Some(start) = rest.find("{$") {
            let Some(len) = rest[start..].find('}') else { break };
            let expr = &rest[start + 1..start + len];
            out.push_str(&rest[..start]);
            match variable_template(expr) {
                Some(t) => out.push_str(&t),
                None => {
                    self.dropped(at, format!("the runtime expression `{expr}` (sent as text)"));
                    out.push_str(&rest[start..=start + len]);
                }
            }
            rest = &rest[start + len + 1..];
        }
        out.push_str(rest);
        out
    }

    /// `expect` from the success criteria konform can judge, and `x-konform-expect`.
    fn expect(&mut self, at: &str, step: &Value) -> Map<String, Value> {
        let mut status: Option<Value> = None;
        let mut headers: Vec<(String, Vec<(String, Value)>)> = Vec::new();
        let mut body: Vec<(String, Vec<(String, Value)>)> = Vec::new();
        for (i, c) in step["successCriteria"].as_array().into_iter().flatten().enumerate() {
            let cp = format!("{at}/successCriteria/{i}");
            match self.criterion(&cp, c) {
                Some(Judged::Status(v)) if status.is_none() => status = Some(v),
                Some(Judged::Status(_)) => self.dropped(&cp, "a second status criterion".into()),
                Some(Judged::Header(name, op, arg)) => add(&mut headers, name, op, arg),
                Some(Judged::Body(path, op, arg)) => add(&mut body, path, op, arg),
                None => {}
            }
        }
        let mut expect = Map::new();
        if let Some(status) = status {
            expect.insert("status".into(), status);
        }
        let konform = &step["x-konform-expect"];
        if expect.get("status").is_none() && !konform["status"].is_null() {
            expect.insert("status".into(), konform["status"].clone());
        }
        for (key, judged) in [("headers", headers), ("body", body)] {
            let mut map: Map<String, Value> = judged.into_iter().map(|(k, ops)| (k, assertion(ops))).collect();
            for (k, v) in konform[key].as_object().into_iter().flatten() {
                map.insert(k.clone(), v.clone());
            }
            if !map.is_empty() {
                expect.insert(key.into(), Value::Object(map));
            }
        }
        if !konform["per_requirement"].is_null() {
            expect.insert("per_requirement".into(), konform["per_requirement"].clone());
        }
        expect
    }

    fn criterion(&mut self, at: &str, c: &Value) -> Option<Judged> {
        let condition = c["condition"].as_str().unwrap_or_default();
        let kind = match &c["type"] {
            Value::Null => "simple",
            Value::String(s) => s.as_str(),
            other => other["type"].as_str().unwrap_or_default(),
        };
        let context = c["context"].as_str();
        let judged = match (kind, context) {
            ("simple", None) if condition.contains("$statusCode") => status_from(condition).map(Judged::Status),
            ("simple", None) => simple(condition),
            ("regex", Some(ctx)) => subject(ctx).map(|sub| sub.judge("matches", json!(condition))),
            ("jsonpath", Some("$response.body")) if crate::suite::assert::parse_json_path(condition).is_ok() => {
                Some(Judged::Body(condition.to_string(), "exists".into(), json!(true)))
            }
            _ => None,
        };
        if judged.is_none() {
            self.dropped(at, format!("the {kind} criterion `{condition}`"));
        }
        judged
    }

    /// `capture` from the step's outputs konform can take, and `x-konform-capture`.
    fn capture(&mut self, at: &str, step: &Value) -> Map<String, Value> {
        let mut capture = Map::new();
        for (name, expr) in step["outputs"].as_object().into_iter().flatten() {
            let op = format!("{at}/outputs/{}", escape_pointer(name));
            let taken = match (expr.as_str().and_then(subject), crate::suite::template::is_variable_name(name)) {
                (Some(Subject::Body(path)), true) => json!(path),
                (Some(Subject::Header(h)), true) => json!({ "header": h }),
                (_, false) => {
                    self.dropped(&op, format!("the output `{name}` (not a konform variable name)"));
                    continue;
                }
                (None, true) => {
                    self.dropped(
                        &op,
                        format!("the output `{name}`: {expr} (konform captures from the response's body and headers)"),
                    );
                    continue;
                }
            };
            capture.insert(name.clone(), taken);
        }
        for (k, v) in step["x-konform-capture"].as_object().into_iter().flatten() {
            capture.insert(k.clone(), v.clone());
        }
        capture
    }
}

/// What a criterion says, in konform's terms.
enum Judged {
    Status(Value),
    Header(String, String, Value),
    Body(String, String, Value),
}

enum Subject {
    Header(String),
    Body(String),
}

impl Subject {
    fn judge(self, op: &str, arg: Value) -> Judged {
        match self {
            Subject::Header(h) => Judged::Header(h, op.into(), arg),
            Subject::Body(p) => Judged::Body(p, op.into(), arg),
        }
    }
}

/// `$response.header.Name` or `$response.body#/pointer` (`$response.body`: the whole body).
fn subject(expr: &str) -> Option<Subject> {
    if let Some(name) = expr.strip_prefix("$response.header.") {
        return (!name.is_empty()).then(|| Subject::Header(name.to_string()));
    }
    let rest = expr.strip_prefix("$response.body")?;
    let pointer = if rest.is_empty() { "" } else { rest.strip_prefix('#')? };
    pointer_to_jsonpath(pointer).map(Subject::Body)
}

fn add(list: &mut Vec<(String, Vec<(String, Value)>)>, key: String, op: String, arg: Value) {
    match list.iter_mut().find(|(k, _)| *k == key) {
        Some((_, ops)) => ops.push((op, arg)),
        None => list.push((key, vec![(op, arg)])),
    }
}

/// One `equals` is written bare; several operators as a map.
fn assertion(ops: Vec<(String, Value)>) -> Value {
    match ops.as_slice() {
        [(op, arg)] if op == "equals" && !arg.is_object() && !arg.is_array() => arg.clone(),
        _ => Value::Object(ops.into_iter().collect()),
    }
}

/// `$statusCode == 201`, joined by `||`, and `$statusCode >= 400 && $statusCode < 500` for
/// the range `4XX`.
fn status_from(condition: &str) -> Option<Value> {
    let mut statuses = Vec::new();
    for part in condition.split("||").map(str::trim) {
        if let Some(code) = part.strip_prefix("$statusCode ==").map(str::trim) {
            let code: u16 = code.parse().ok().filter(|c| (100..600).contains(c))?;
            statuses.push(json!(code));
            continue;
        }
        let (low, high) = part.split_once("&&")?;
        let low: u16 = low.trim().strip_prefix("$statusCode >=")?.trim().parse().ok()?;
        let high: u16 = high.trim().strip_prefix("$statusCode <")?.trim().parse().ok()?;
        if !low.is_multiple_of(100) || high != low + 100 || !(100..600).contains(&low) {
            return None;
        }
        statuses.push(json!(format!("{}XX", low / 100)));
    }
    match statuses.len() {
        0 => None,
        1 => statuses.pop(),
        _ => Some(Value::Array(statuses)),
    }
}

/// `CONTEXT OP LITERAL` with a header or body context and one comparison.
fn simple(condition: &str) -> Option<Judged> {
    if condition.contains("&&") || condition.contains("||") {
        return None;
    }
    const SYMBOLS: [(&str, &str); 6] =
        [(" == ", "equals"), (" != ", "not_equals"), (" >= ", "ge"), (" <= ", "le"), (" > ", "gt"), (" < ", "lt")];
    let (at, symbol, op) =
        SYMBOLS.iter().filter_map(|(s, op)| condition.find(s).map(|i| (i, *s, *op))).min_by_key(|(i, _, _)| *i)?;
    let sub = subject(condition[..at].trim())?;
    let arg = literal(condition[at + symbol.len()..].trim())?;
    if matches!(op, "gt" | "ge" | "lt" | "le") && !arg.is_number() {
        return None;
    }
    Some(sub.judge(op, arg))
}

/// A literal: `'text'`, a number, `true`, `false`, `null`, or a variable's expression.
fn literal(text: &str) -> Option<Value> {
    if let Some(inner) = text.strip_prefix('\'').and_then(|t| t.strip_suffix('\'')) {
        return (!inner.contains('\'')).then(|| json!(inner));
    }
    if let Some(t) = variable_template(text) {
        return Some(json!(t));
    }
    match serde_json::from_str::<Value>(text).ok()? {
        v @ (Value::Number(_) | Value::Bool(_) | Value::Null) => Some(v),
        _ => None,
    }
}

/// `{{ x }}` for `$inputs.x`, `$steps.STEP.outputs.x` and `$workflows.W.outputs.x` (a shared
/// setup's capture).
fn variable_template(expr: &str) -> Option<String> {
    let name = expr
        .strip_prefix("$inputs.")
        .or_else(|| expr.strip_prefix("$steps.").and_then(|r| r.split_once(".outputs.")).map(|(_, n)| n))
        .or_else(|| expr.strip_prefix("$workflows.").and_then(|r| r.split_once(".outputs.")).map(|(_, n)| n))?;
    crate::suite::template::is_variable_name(name).then(|| format!("{{{{ {name} }}}}"))
}

/// A string that is an Arazzo runtime expression other than a variable's.
fn is_runtime_expression(s: &str) -> bool {
    const ROOTS: [&str; 11] = [
        "$url",
        "$method",
        "$statusCode",
        "$request.",
        "$response.",
        "$inputs.",
        "$outputs.",
        "$steps.",
        "$workflows.",
        "$sourceDescriptions.",
        "$components.",
    ];
    ROOTS.iter().any(|r| s.starts_with(r))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_read_back() {
        assert_eq!(status_from("$statusCode == 201"), Some(json!(201)));
        assert_eq!(status_from("$statusCode == 200 || $statusCode == 409"), Some(json!([200, 409])));
        assert_eq!(status_from("$statusCode >= 400 && $statusCode < 500"), Some(json!("4XX")));
        assert_eq!(status_from("$statusCode >= 400 && $statusCode < 600"), None);
        assert_eq!(status_from("$statusCode == 2000"), None);
        for status in [json!(201), json!([200, 409]), json!("4XX"), json!([201, "5XX"])] {
            let condition = super::super::export::status_condition(&status).unwrap();
            assert_eq!(status_from(&condition), Some(status), "{condition}");
        }
    }

    #[test]
    fn simple_conditions_read_back() {
        let body = |c: &str| match simple(c) {
            Some(Judged::Body(p, op, arg)) => Some((p, op, arg)),
            _ => None,
        };
        assert_eq!(body("$response.body#/status == 'OPEN'"), Some(("$.status".into(), "equals".into(), json!("OPEN"))));
        assert_eq!(body("$response.body#/items/0/n >= 2"), Some(("$.items[0].n".into(), "ge".into(), json!(2))));
        assert_eq!(
            body("$response.body#/id == $steps.submit.outputs.caseId"),
            Some(("$.id".into(), "equals".into(), json!("{{ caseId }}")))
        );
        assert!(body("$response.body#/n > 'x'").is_none());
        assert!(body("$response.body#/a == 1 && $response.body#/b == 2").is_none());
        assert!(body("$url == 'x'").is_none());
        assert!(
            matches!(simple("$response.header.ETag != null"), Some(Judged::Header(h, op, _)) if h == "ETag" && op == "not_equals")
        );
    }

    #[test]
    fn expressions_in_text_become_templates() {
        assert_eq!(variable_template("$inputs.municipalityId").as_deref(), Some("{{ municipalityId }}"));
        assert_eq!(variable_template("$steps.login.outputs.token").as_deref(), Some("{{ token }}"));
        assert_eq!(variable_template("$response.body#/id"), None);
    }
}
