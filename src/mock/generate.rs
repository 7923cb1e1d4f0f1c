//! The mock's responses: the documented response for a status, its media type (JSON first),
//! a body that validates against its schema (the document's own example when it does, else
//! a value from `synth`), its required headers; and the errors the mock answers with.

use serde_json::{json, Value};

use super::MockResponse;
use crate::catalogue::openapi::index::{MediaType, Response as Documented};
use crate::catalogue::openapi::{ApiDoc, Operation};
use crate::model::{is_json_media, StatusKey};
use crate::synth::{self, CannotGenerate, Direction};

/// Follows `$ref`s from a location to the value it denotes.
pub fn resolve<'a>(api: &'a ApiDoc, doc: usize, pointer: &str) -> Option<(usize, &'a Value)> {
    let (d, _, v) = api.resolve(doc, pointer).ok()?;
    Some((d, v))
}

/// The document's examples of a media type that validate against its schema, in order:
/// its `example`, then each of its `examples` (an example that does not validate is never
/// served as if it did).
pub fn valid_examples(api: &ApiDoc, media: &MediaType) -> Vec<Value> {
    let (doc, ptr) = &media.at;
    let Some(m) = api.docs.get(*doc).and_then(|d| d.value.pointer(ptr)) else { return Vec::new() };
    let mut out: Vec<Value> = m.get("example").cloned().into_iter().collect();
    for (name, _) in m.get("examples").and_then(Value::as_object).into_iter().flatten() {
        let at = format!("{ptr}/examples/{}", crate::source::escape_pointer(name));
        if let Some(v) = resolve(api, *doc, &at).and_then(|(_, ex)| ex.get("value")) {
            out.push(v.clone());
        }
    }
    match &media.schema {
        Some(schema) => out.into_iter().filter(|v| synth::is_valid(api, schema, v)).collect(),
        None => out,
    }
}

/// A body for a media type: its first valid example, else a value generated from its schema.
pub fn body(api: &ApiDoc, media: &MediaType, seed: u64) -> Result<Value, CannotGenerate> {
    if let Some(example) = valid_examples(api, media).into_iter().next() {
        return Ok(example);
    }
    match &media.schema {
        Some(schema) => synth::value(api, schema, Direction::Response, seed),
        None => Ok(Value::Null),
    }
}

/// A problem+json response (RFC 9457), for what the document does not describe.
pub fn problem(status: u16, title: &str, detail: &str, errors: &[String]) -> MockResponse {
    let mut body = json!({ "type": "about:blank", "title": title, "status": status, "detail": detail });
    if !errors.is_empty() {
        body["errors"] = json!(errors);
    }
    MockResponse {
        status,
        headers: vec![("content-type".into(), "application/problem+json".into())],
        body: body.to_string().into_bytes(),
    }
}

fn cannot_generate(e: &CannotGenerate) -> MockResponse {
    let detail = format!("no value valid against the schema at {} could be generated: {}", e.place, e.reason);
    problem(500, "Cannot Generate", &detail, &e.notes)
}

/// The media type to answer with: JSON first.
fn pick_media(content: &[MediaType]) -> Option<&MediaType> {
    content.iter().find(|m| is_json_media(&m.media_type)).or(content.first())
}

/// The first documented success response (204 when none is documented).
pub fn success(api: &ApiDoc, op: &Operation, seed: u64) -> MockResponse {
    let documented = op
        .responses
        .iter()
        .filter(|r| {
            matches!(r.status, StatusKey::Code(c) if (200..300).contains(&c)) || r.status == StatusKey::Range(2)
        })
        .min_by_key(|r| r.status);
    // Without a documented success: `default` as a 200, else the first documented response
    // (a redirect, say) as it is; 204 when nothing at all is documented.
    let documented = documented
        .or_else(|| op.responses.iter().find(|r| r.status == StatusKey::Default))
        .or_else(|| op.responses.iter().min_by_key(|r| r.status));
    match documented {
        None => MockResponse::empty(204),
        Some(r) => {
            let status = match r.status {
                StatusKey::Code(c) => c,
                StatusKey::Range(n) if n != 2 => n * 100,
                _ => 200,
            };
            respond(api, r, status, seed, |_| {})
        }
    }
}

/// The documented response `r` with status `status`: a body, then `fill` may change it.
pub fn respond(api: &ApiDoc, r: &Documented, status: u16, seed: u64, fill: impl FnOnce(&mut Value)) -> MockResponse {
    let mut out = MockResponse::empty(status);
    if let Some(media) = pick_media(&r.content) {
        let mut value = match body(api, media, seed) {
            Ok(v) => v,
            Err(e) => return cannot_generate(&e),
        };
        fill(&mut value);
        out.headers.push(("content-type".into(), media.media_type.clone()));
        out.body = match value {
            Value::String(s) if !is_json_media(&media.media_type) => s.into_bytes(),
            other => other.to_string().into_bytes(),
        };
    }
    for (i, h) in r.headers.iter().filter(|h| h.required && !h.name.eq_ignore_ascii_case("content-type")).enumerate() {
        let value = match &h.schema {
            Some(s) => match synth::value(api, s, Direction::Response, seed.wrapping_add(i as u64 + 1)) {
                Ok(v) => v,
                Err(e) => return cannot_generate(&e),
            },
            None => Value::String("mock".into()),
        };
        let text = match value {
            Value::String(s) => s,
            other => other.to_string(),
        };
        out.headers.push((h.name.to_ascii_lowercase(), text));
    }
    out
}

/// The status an invalid request is answered with: 400 or 422, whichever the operation
/// documents (400 when both or neither are).
pub fn invalid_request_status(op: &Operation) -> u16 {
    let documents = |c: u16| op.responses.iter().any(|r| r.status == StatusKey::Code(c));
    if !documents(400) && documents(422) {
        422
    } else {
        400
    }
}

/// An error answer with `status`: the operation's documented response for it (exact, range
/// or `default`) with the errors put where its schema has room, else problem+json.
pub fn error(api: &ApiDoc, op: &Operation, status: u16, errors: &[String], seed: u64) -> MockResponse {
    let title = match status {
        401 => "Unauthorized",
        404 => "Not Found",
        422 => "Unprocessable Content",
        _ => "Bad Request",
    };
    let detail = match status {
        401 => format!("{} needs credentials", op.id),
        404 => format!("{} found nothing there", op.id),
        _ => format!("the request does not fit {}", op.id),
    };
    let Some(documented) = op.response_for(status) else { return problem(status, title, &detail, errors) };
    let schema = pick_media(&documented.content).and_then(|m| m.schema.clone());
    respond(api, documented, status, seed, |value| {
        if let Some(schema) = schema {
            put_errors(api, &schema, value, status, &detail, errors);
        }
    })
}

/// Writes the errors into a generated error body wherever the schema accepts them: a text
/// property (`detail`, `message`, …) gets them as one sentence, a list property (`errors`,
/// `violations`, …) one entry each, `status` the status; each change is kept only if the
/// body still validates.
fn put_errors(
    api: &ApiDoc,
    schema: &crate::catalogue::openapi::SchemaLoc,
    value: &mut Value,
    status: u16,
    detail: &str,
    errors: &[String],
) {
    if !value.is_object() {
        return;
    }
    let text = if errors.is_empty() { detail.to_string() } else { format!("{detail}: {}", errors.join("; ")) };
    let try_set = |value: &mut Value, key: &str, candidates: Vec<Value>| {
        for c in candidates {
            let before = value.get(key).cloned();
            value[key] = c;
            if synth::is_valid(api, schema, value) {
                return;
            }
            match before {
                Some(b) => value[key] = b,
                None => {
                    value.as_object_mut().map(|o| o.remove(key));
                }
            }
        }
    };
    let has = |value: &Value, key: &str| value.get(key).is_some();
    if has(value, "status") {
        try_set(value, "status", vec![json!(status)]);
    }
    let texts: Vec<&str> =
        ["detail", "message", "description", "error"].into_iter().filter(|k| has(value, k)).collect();
    for key in texts {
        try_set(value, key, vec![json!(text)]);
    }
    let list = |f: &dyn Fn(&String) -> Value| Value::Array(errors.iter().map(f).collect());
    let lists = ["errors", "violations", "details", "messages"];
    let present: Vec<&str> = lists.into_iter().filter(|k| has(value, k)).collect();
    // Where the body has no list of errors, an `errors` list if the schema allows one.
    let keys = if present.is_empty() { vec!["errors"] } else { present };
    for key in keys {
        if errors.is_empty() {
            break;
        }
        try_set(
            value,
            key,
            vec![list(&|e| json!(e)), list(&|e| json!({ "message": e })), list(&|e| json!({ "detail": e }))],
        );
    }
}
