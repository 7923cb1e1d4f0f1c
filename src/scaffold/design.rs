//! What the scaffold proposes for a document: a requirement per operation and class of
//! documented response, and the scenarios a conforming API can pass: each operation's
//! success path, invalid data refused, a request without credentials refused. A step whose
//! path names a resource a create operation makes (`POST /things` before `/things/{id}`)
//! is preceded by that create, its id captured from a required `id` in the answer or the
//! `Location` header; an OpenAPI link from a create's answer to a parameter of another
//! operation chains them the same way, whatever their paths.

use std::collections::{BTreeMap, HashMap};

use serde_json::{json, Map, Value};

use super::values;
use super::words::{self, Aim, Class};
use crate::catalogue::openapi::index::ParamIn;
use crate::catalogue::openapi::{ApiDoc, Operation};
use crate::model::StatusKey;
use crate::suite::template::is_variable_name;

/// Request bodies longer than this (as JSON text) go to a fixture file.
const INLINE_BODY: usize = 400;

pub struct Requirement {
    pub id: String,
    pub level: &'static str,
    pub title: Value,
    pub text: Value,
    pub covered: bool,
}

pub struct Scenario {
    /// The suite file it goes in (a slug of the operation's first tag).
    pub group: String,
    pub value: Value,
}

#[derive(Default)]
pub struct Design {
    pub requirements: Vec<Requirement>,
    pub scenarios: Vec<Scenario>,
    /// Fixture files: name → body.
    pub fixtures: Vec<(String, String, Value)>,
    /// Path parameters given as `{{ name }}`, with their default values.
    pub variables: BTreeMap<String, Value>,
    /// Credentials given as `{{ name }}` (a required `Authorization` header parameter), with
    /// a placeholder default.
    pub secrets: BTreeMap<String, Value>,
}

/// The variable a required `Authorization` header parameter is given from.
const AUTHORIZATION: &str = "authorizationHeader";

/// A create operation, and the capture that takes the id of what it made from its answer.
type Create<'a> = (&'a Operation, Value);

/// The create operations that precede a step: by the path they are on (`POST /things` before
/// `/things/{id}`), and by the OpenAPI links that name a parameter of another operation.
struct Creates<'a> {
    by_path: HashMap<&'a str, Create<'a>>,
    by_link: HashMap<(String, String), Create<'a>>,
}

pub fn design(api: &ApiDoc, prefix: &str) -> Design {
    let creates = creates(api);
    let mut d = Design::default();
    let mut taken = HashMap::new();
    let slugs: HashMap<&str, String> =
        api.operations.iter().map(|op| (op.id.as_str(), unique(&mut taken, &slug(&op.id)))).collect();
    for op in &api.operations {
        let classes = classes(op);
        let mut reqs: BTreeMap<u16, usize> = BTreeMap::new();
        for (class, statuses) in &classes {
            let n = d.requirements.len() + 1;
            reqs.insert(*class, d.requirements.len());
            d.requirements.push(Requirement {
                id: format!("{prefix}-{n:03}"),
                level: if *class == 2 { "must" } else { "should" },
                title: words::requirement_title(&op.id, Class(*class)),
                text: words::requirement_text(&op.method, &op.path, Class(*class), statuses),
                covered: false,
            });
        }
        let group = group(api, op);
        let slug = slugs[op.id.as_str()].clone();
        let Some(before) = preconditions(api, op, &creates, &slugs, &mut d) else { continue };
        let Some(request) = request(api, op, &mut d) else { continue };
        let mut wanted: Vec<(Aim, usize, Map<String, Value>)> = Vec::new();
        if let (Some(&r), Some(status)) = (reqs.get(&2), success_status(op)) {
            let mut step = request.clone();
            step.insert("expect".into(), json!({ "status": status }));
            wanted.push((Aim::Success, r, step));
        }
        if let (Some(&r), Some((step, status))) = (reqs.get(&4), invalid(api, op, &request)) {
            let mut step = step;
            step.insert("expect".into(), json!({ "status": status }));
            wanted.push((Aim::InvalidInput, r, step));
        }
        let sets_credentials = request
            .get("headers")
            .and_then(Value::as_object)
            .is_some_and(|h| h.keys().any(|k| k.eq_ignore_ascii_case("authorization")));
        if let (Some(&r), true) = (reqs.get(&4), op.secured && documents(op, 401) && !sets_credentials) {
            let mut step = request.clone();
            step.insert("auth".into(), json!("none"));
            step.insert("expect".into(), json!({ "status": 401 }));
            wanted.push((Aim::NoCredentials, r, step));
        }
        for (aim, r, mut step) in wanted {
            let id = match aim {
                Aim::Success => slug.clone(),
                Aim::InvalidInput => format!("{slug}-invalid-data"),
                Aim::NoCredentials => format!("{slug}-no-credentials"),
            };
            body_to_fixture(&mut step, &slug, &op.id, &mut d);
            d.requirements[r].covered = true;
            let mut steps = before.clone();
            steps.push(Value::Object(step));
            d.scenarios.push(Scenario {
                group: group.clone(),
                value: json!({
                    "id": id,
                    "title": words::scenario_title(&op.id, aim),
                    "covers": [d.requirements[r].id],
                    "steps": steps,
                }),
            });
        }
    }
    d
}

/// The classes of response an operation documents (2 for 2xx...), each with its statuses
/// as text; `default` alone stands for success.
fn classes(op: &Operation) -> BTreeMap<u16, String> {
    let mut out: BTreeMap<u16, Vec<String>> = BTreeMap::new();
    for r in &op.responses {
        match r.status {
            StatusKey::Code(c) => out.entry(c / 100).or_default().push(c.to_string()),
            StatusKey::Range(n) => out.entry(n).or_default().push(format!("{n}XX")),
            StatusKey::Default => {}
        }
    }
    if !out.contains_key(&2) && op.responses.iter().any(|r| r.status == StatusKey::Default) {
        out.insert(2, vec!["default".into()]);
    }
    out.into_iter().filter(|(c, _)| (1..=5).contains(c)).map(|(c, s)| (c, s.join(", "))).collect()
}

fn documents(op: &Operation, code: u16) -> bool {
    op.responses.iter().any(|r| r.status == StatusKey::Code(code))
}

/// The success statuses a step expects: the documented 2xx codes, else `2XX`.
fn success_status(op: &Operation) -> Option<Value> {
    let mut codes: Vec<u16> = op
        .responses
        .iter()
        .filter_map(|r| match r.status {
            StatusKey::Code(c) if (200..300).contains(&c) => Some(c),
            _ => None,
        })
        .collect();
    codes.sort_unstable();
    match codes.as_slice() {
        [one] => Some(json!(one)),
        [] if op.responses.iter().any(|r| matches!(r.status, StatusKey::Range(2) | StatusKey::Default)) => {
            Some(json!("2XX"))
        }
        [] => None,
        many => Some(json!(many)),
    }
}

/// The statuses an invalid request may get: 400 and 422 as documented, else a `4XX` range.
fn refusal_status(op: &Operation) -> Option<Value> {
    let codes: Vec<u16> = [400, 422].into_iter().filter(|c| documents(op, *c)).collect();
    match codes.as_slice() {
        [] if op.responses.iter().any(|r| r.status == StatusKey::Range(4)) => Some(json!("4XX")),
        [] => None,
        [one] => Some(json!(one)),
        both => Some(json!(both)),
    }
}

/// A step the operation must refuse: its body replaced by one the schema refuses, else a
/// required query parameter left out.
fn invalid(api: &ApiDoc, op: &Operation, request: &Map<String, Value>) -> Option<(Map<String, Value>, Value)> {
    let status = refusal_status(op)?;
    let mut step = request.clone();
    if request.contains_key("body") {
        let media = op.request_body.as_ref().and_then(|b| values::json_media(&b.content))?;
        step.insert("body".into(), values::invalid_body(api, media)?);
        return Some((step, status));
    }
    let query = step.get_mut("query").and_then(Value::as_object_mut)?;
    let first = query.keys().next()?.clone();
    query.remove(&first);
    if query.is_empty() {
        step.remove("query");
    }
    Some((step, status))
}

/// The capture of an id from a `Location` header: its last segment.
fn location() -> Value {
    json!({ "header": "Location", "regex": "([^/]+)/?$" })
}

/// The create operations: `POST` on a path, with how their answer names what they made (a
/// required `id`, else a documented `Location`), and the links of their answers.
fn creates(api: &ApiDoc) -> Creates<'_> {
    let mut out = Creates { by_path: HashMap::new(), by_link: HashMap::new() };
    for op in api.operations.iter().filter(|o| o.method.eq_ignore_ascii_case("post")) {
        let successes: Vec<_> =
            op.responses.iter().filter(|r| matches!(r.status, StatusKey::Code(c) if (200..300).contains(&c))).collect();
        let requires = |name: &str| {
            successes.iter().any(|r| {
                values::json_media(&r.content).and_then(|m| m.schema.as_ref()).is_some_and(|s| requires(api, s, name))
            })
        };
        let has_location = successes.iter().any(|r| r.headers.iter().any(|h| h.name.eq_ignore_ascii_case("location")));
        if requires("id") {
            out.by_path.insert(op.path.as_str(), (op, json!("$.id")));
        } else if has_location {
            out.by_path.insert(op.path.as_str(), (op, location()));
        }
        for r in &successes {
            for (target, parameter, expression) in links(api, &r.at) {
                let capture = match expression.strip_prefix("$response.body#") {
                    Some(pointer) => match body_path(pointer) {
                        // A top-level property is used only when the answer must carry it.
                        Some((path, Some(top))) if requires(&top) => json!(path),
                        Some((path, None)) => json!(path),
                        _ => continue,
                    },
                    None => match expression.strip_prefix("$response.header.") {
                        Some(h) if h.eq_ignore_ascii_case("location") => location(),
                        Some(h) => json!({ "header": h }),
                        None => continue,
                    },
                };
                out.by_link.entry((target, parameter)).or_insert((op, capture));
            }
        }
    }
    out
}

/// The links of a response: (target operationId, parameter name, runtime expression).
fn links(api: &ApiDoc, at: &(usize, String)) -> Vec<(String, String, String)> {
    let Ok((doc, pointer, response)) = api.resolve(at.0, &at.1) else { return Vec::new() };
    let mut out = Vec::new();
    for (name, _) in response.get("links").and_then(Value::as_object).into_iter().flatten() {
        let at = format!("{pointer}/links/{}", crate::source::escape_pointer(name));
        let Ok((_, _, link)) = api.resolve(doc, &at) else { continue };
        let Some(target) = link.get("operationId").and_then(Value::as_str) else { continue };
        for (parameter, expression) in link.get("parameters").and_then(Value::as_object).into_iter().flatten() {
            let Some(expression) = expression.as_str() else { continue };
            let parameter = parameter.strip_prefix("path.").unwrap_or(parameter);
            out.push((target.to_string(), parameter.to_string(), expression.to_string()));
        }
    }
    out.sort();
    out
}

/// A JSON pointer into a body as a JSONPath (`/data/id` → `$.data.id`), with its property
/// when the pointer has only one (to be checked as required). `None` for a pointer whose
/// names are not plain words.
fn body_path(pointer: &str) -> Option<(String, Option<String>)> {
    let segments: Vec<String> = pointer.strip_prefix('/')?.split('/').map(crate::source::unescape_pointer).collect();
    let mut path = String::from("$");
    for s in &segments {
        if let Ok(i) = s.parse::<usize>() {
            path.push_str(&format!("[{i}]"));
        } else if !s.is_empty() && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
            path.push('.');
            path.push_str(s);
        } else {
            return None;
        }
    }
    let top = (segments.len() == 1).then(|| segments[0].clone());
    Some((path, top))
}

/// Whether a schema is an object that requires the property `name` (directly or in `allOf`).
fn requires(api: &ApiDoc, schema: &crate::catalogue::openapi::SchemaLoc, name: &str) -> bool {
    fn walk(api: &ApiDoc, doc: usize, pointer: &str, name: &str, depth: usize) -> bool {
        let Ok((doc, pointer, s)) = api.resolve(doc, pointer) else { return false };
        let required = s.get("required").and_then(Value::as_array).is_some_and(|r| r.iter().any(|x| x == name));
        if required && s.get("properties").and_then(|p| p.get(name)).is_some() {
            return true;
        }
        depth < 8
            && s.get("allOf").and_then(Value::as_array).is_some_and(|all| {
                (0..all.len()).any(|i| walk(api, doc, &format!("{pointer}/allOf/{i}"), name, depth + 1))
            })
    }
    walk(api, schema.doc, &schema.pointer, name, 0)
}

/// The steps that create what the operation's path names, each capturing its id into the
/// path parameter's variable. `None` when a create these steps need cannot be written.
fn preconditions(
    api: &ApiDoc,
    op: &Operation,
    creates: &Creates<'_>,
    slugs: &HashMap<&str, String>,
    d: &mut Design,
) -> Option<Vec<Value>> {
    let mut steps = Vec::new();
    let segments: Vec<&str> = op.path.split('/').collect();
    for (i, segment) in segments.iter().enumerate() {
        let Some(name) = segment.strip_prefix('{').and_then(|s| s.strip_suffix('}')) else { continue };
        let prefix = segments[..i].join("/");
        let linked = creates.by_link.get(&(op.id.clone(), name.to_string()));
        let Some((create, capture)) = linked.or_else(|| creates.by_path.get(prefix.as_str())) else { continue };
        if create.id == op.id || !is_variable_name(name) {
            continue;
        }
        let mut step = request(api, create, d)?;
        let mut named = Map::new();
        named.insert("name".into(), json!(words::create_step(&create.id, name)));
        named.append(&mut step);
        named.insert("expect".into(), json!({ "status": success_status(create)? }));
        named.insert("capture".into(), json!({ name: capture.clone() }));
        body_to_fixture(&mut named, &slugs[create.id.as_str()], &create.id, d);
        steps.push(Value::Object(named));
    }
    Some(steps)
}

/// A valid request to the operation as a step (`operation`, `path`, `query`, `headers`,
/// `body`), or `None` when the scaffold cannot write one (a path template naming no
/// declared parameter, a required cookie, a required body that is not JSON...).
fn request(api: &ApiDoc, op: &Operation, d: &mut Design) -> Option<Map<String, Value>> {
    let mut step = Map::new();
    step.insert("operation".into(), json!(op.id));
    let (mut path, mut query, mut headers) = (Map::new(), Map::new(), Map::new());
    for name in op.path.split('/').filter_map(|s| s.strip_prefix('{').and_then(|s| s.strip_suffix('}'))) {
        op.parameter(ParamIn::Path, name)?;
    }
    for p in &op.parameters {
        if p.location != ParamIn::Path && !p.required {
            continue;
        }
        match p.location {
            ParamIn::Path => {
                let value = values::parameter(api, op, p)?;
                if is_variable_name(&p.name) {
                    let default = d.variables.entry(p.name.clone()).or_insert(value.clone());
                    if values::fits(api, p, default) {
                        path.insert(p.name.clone(), json!(format!("{{{{ {} }}}}", p.name)));
                        continue;
                    }
                }
                path.insert(p.name.clone(), value);
            }
            ParamIn::Query => {
                query.insert(p.name.clone(), values::parameter(api, op, p)?);
            }
            // A required `Authorization` the document declares as a parameter: a secret
            // variable, sent instead of the target's credentials.
            ParamIn::Header if p.name.eq_ignore_ascii_case("authorization") => {
                let value = values::parameter(api, op, p)?;
                d.secrets.entry(AUTHORIZATION.into()).or_insert(value);
                headers.insert(p.name.clone(), json!(format!("{{{{ {AUTHORIZATION} }}}}")));
            }
            ParamIn::Header => {
                headers.insert(p.name.clone(), values::parameter(api, op, p)?);
            }
            ParamIn::Cookie => return None,
        }
    }
    for (key, map) in [("path", path), ("query", query), ("headers", headers)] {
        if !map.is_empty() {
            step.insert(key.into(), Value::Object(map));
        }
    }
    if let Some(body) = op.request_body.as_ref().filter(|b| b.required) {
        let media = values::json_media(&body.content)?;
        step.insert("body".into(), values::body(api, op, media)?);
        // A required `Content-Type` parameter says what the body is, when its schema allows.
        let declared = op
            .parameters
            .iter()
            .find(|p| p.location == ParamIn::Header && p.required && p.name.eq_ignore_ascii_case("content-type"));
        let fits = |p: &&crate::catalogue::openapi::index::Parameter| {
            values::fits(api, p, &Value::String(media.media_type.clone()))
        };
        if let (Some(p), Some(headers)) =
            (declared.filter(fits), step.get_mut("headers").and_then(Value::as_object_mut))
        {
            headers.insert(p.name.clone(), json!(media.media_type));
        }
    }
    Some(step)
}

/// Moves a large inline body into a fixture file, one per operation (its valid body is
/// the same in every scenario; an invalid one is small and stays inline).
fn body_to_fixture(step: &mut Map<String, Value>, name: &str, op: &str, d: &mut Design) {
    let Some(body) = step.get("body") else { return };
    if body.to_string().len() <= INLINE_BODY {
        return;
    }
    let file = format!("fixtures/{name}.yaml");
    if !d.fixtures.iter().any(|(f, _, _)| *f == file) {
        d.fixtures.push((file.clone(), op.to_string(), body.clone()));
    }
    let at = step.keys().position(|k| k == "body").unwrap_or(step.len());
    step.shift_remove("body");
    step.shift_insert(at, "body_file".into(), json!(file));
}

/// The suite file an operation's scenarios go in: its first tag, as a file name.
fn group(api: &ApiDoc, op: &Operation) -> String {
    let tag = api
        .docs
        .get(op.at.0)
        .and_then(|doc| doc.value.pointer(&op.at.1))
        .and_then(|o| o.pointer("/tags/0"))
        .and_then(Value::as_str)
        .map(slug)
        .filter(|s| !s.is_empty());
    tag.unwrap_or_else(|| "operations".into())
}

/// Lower-case letters, digits and dashes.
pub fn slug(text: &str) -> String {
    let mut out = String::new();
    let mut prev_lower = false;
    for c in text.chars() {
        if c.is_ascii_uppercase() && prev_lower {
            out.push('-');
        }
        prev_lower = c.is_ascii_lowercase() || c.is_ascii_digit();
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    out.trim_end_matches('-').to_string()
}

/// `slug`, or `slug-2`, `slug-3`... when taken.
fn unique(taken: &mut HashMap<String, usize>, slug: &str) -> String {
    let base = if slug.is_empty() { "operation".to_string() } else { slug.to_string() };
    let n = taken.entry(base.clone()).or_insert(0);
    *n += 1;
    if *n == 1 {
        base
    } else {
        format!("{base}-{n}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn api(text: &str) -> (tempfile::TempDir, ApiDoc) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("api.yaml");
        std::fs::write(&path, text).unwrap();
        let api = ApiDoc::load(&path, &crate::catalogue::openapi::LoadOptions::default()).unwrap();
        (dir, api)
    }

    #[test]
    fn link_pointers_become_json_paths_and_odd_names_are_not_guessed() {
        assert_eq!(body_path("/id"), Some(("$.id".into(), Some("id".into()))));
        assert_eq!(body_path("/data/items/0/id"), Some(("$.data.items[0].id".into(), None)));
        assert_eq!(body_path("/a~1b"), None, "a name with a slash");
        assert_eq!(body_path("/with space"), None);
        assert_eq!(body_path(""), None, "the whole body is no id");
    }

    #[test]
    fn classes_statuses_and_refusals_follow_what_is_documented() {
        let (_dir, api) = api(r#"openapi: 3.0.3
info: { title: T, version: "1" }
paths:
  /a:
    get:
      operationId: a
      responses: { "200": { description: ok }, "201": { description: ok }, "404": { description: no }, "5XX": { description: no } }
  /b:
    get:
      operationId: b
      responses: { default: { description: any } }
  /c:
    post:
      operationId: c
      responses: { "2XX": { description: ok }, "422": { description: no }, "400": { description: no } }
"#);
        let op = |id: &str| api.operation(id).unwrap();
        let classes = |id: &str| classes(op(id)).into_iter().collect::<Vec<_>>();
        assert_eq!(classes("a"), [(2, "200, 201".into()), (4, "404".into()), (5, "5XX".into())]);
        assert_eq!(classes("b"), [(2, "default".into())], "default alone stands for success");
        assert_eq!(success_status(op("a")), Some(json!([200, 201])));
        assert_eq!(success_status(op("b")), Some(json!("2XX")));
        assert_eq!(success_status(op("c")), Some(json!("2XX")));
        assert_eq!(refusal_status(op("a")), None, "no 400, 422 or 4XX: invalid data is not asked about");
        assert_eq!(refusal_status(op("c")), Some(json!([400, 422])));
    }
}
