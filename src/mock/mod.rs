//! `konform mock`: a mock server from any OpenAPI document, for a vendor starting work
//! against a specification. Requests are matched to operations and validated against the
//! document (parameters and body); an invalid request gets 400 `application/problem+json`
//! naming what is wrong. A valid one gets the operation's first documented success
//! response: its example if the document has one, otherwise a value generated from the
//! schema.

pub mod generate;

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Router;
use serde_json::{json, Value};

use crate::catalogue::openapi::index::MediaType;
use crate::catalogue::openapi::{ApiDoc, Operation, ParamIn};
use crate::model::is_json_media;
use crate::model::StatusKey;
use crate::serve::Background;

/// Starts a mock of `api` on `addr` (port 0 picks a free port); it stops when the returned
/// server is dropped.
pub fn start(api: Arc<ApiDoc>, addr: SocketAddr) -> std::io::Result<Background> {
    Background::start(addr, "mock", Router::new().fallback(handle).with_state(api))
}

fn problem(status: StatusCode, title: &str, detail: &str, errors: Vec<String>) -> Response {
    let mut body = json!({ "type": "about:blank", "title": title, "status": status.as_u16(), "detail": detail });
    if !errors.is_empty() {
        body["errors"] = json!(errors);
    }
    (status, [(header::CONTENT_TYPE, "application/problem+json")], body.to_string()).into_response()
}

/// Finds the operation for a method and path; literal segments beat templates.
fn route<'a>(api: &'a ApiDoc, method: &Method, path: &str) -> Option<(&'a Operation, HashMap<String, String>)> {
    let segments: Vec<&str> = path.trim_end_matches('/').split('/').collect();
    let mut best: Option<(usize, &Operation, HashMap<String, String>)> = None;
    for op in api.operations.iter().filter(|op| op.method == method.as_str()) {
        let template: Vec<&str> = op.path.trim_end_matches('/').split('/').collect();
        if template.len() != segments.len() {
            continue;
        }
        let mut params = HashMap::new();
        let mut literal = 0;
        let matched = template.iter().zip(&segments).all(|(t, s)| {
            if let Some(name) = t.strip_prefix('{').and_then(|t| t.strip_suffix('}')) {
                let value = percent_encoding::percent_decode_str(s).decode_utf8_lossy().into_owned();
                params.insert(name.to_string(), value);
                !s.is_empty()
            } else {
                literal += 1;
                t == s
            }
        });
        if matched && best.as_ref().is_none_or(|(l, _, _)| literal > *l) {
            best = Some((literal, op, params));
        }
    }
    best.map(|(_, op, params)| (op, params))
}

/// A parameter's text as the JSON value its schema expects (numbers, booleans).
fn coerce(api: &ApiDoc, op: &Operation, location: ParamIn, name: &str, text: &str) -> Value {
    let schema = op.parameter(location, name).and_then(|p| p.schema.as_ref());
    let ty = schema.and_then(|s| generate::resolve(api, s.doc, &s.pointer)).and_then(|(_, v)| v.get("type").cloned());
    let wants =
        |t: &str| ty.as_ref().is_some_and(|ty| ty == t || ty.as_array().is_some_and(|a| a.iter().any(|x| x == t)));
    if wants("integer") || wants("number") {
        if let Ok(n) = serde_json::from_str::<serde_json::Number>(text) {
            return Value::Number(n);
        }
    }
    if wants("boolean") && (text == "true" || text == "false") {
        return Value::Bool(text == "true");
    }
    Value::String(text.to_string())
}

fn validate_request(
    api: &ApiDoc,
    op: &Operation,
    path_params: &HashMap<String, String>,
    query: &HashMap<String, String>,
    headers: &HeaderMap,
    body: &Bytes,
) -> Vec<String> {
    let mut errors = Vec::new();
    let mut check = |location: ParamIn, name: &str, given: Option<&str>| {
        let Some(p) = op.parameter(location, name) else { return };
        match given {
            None if p.required => errors.push(format!("the required {location} parameter `{name}` is missing")),
            None => {}
            Some(text) => {
                if let Some(schema) = &p.schema {
                    let value = coerce(api, op, location, name, text);
                    if let Ok(violations) = api.schemas.validate(schema, &value) {
                        errors.extend(
                            violations
                                .into_iter()
                                .take(3)
                                .map(|v| format!("{location} parameter `{name}`: {}", v.message)),
                        );
                    }
                }
            }
        }
    };
    for p in &op.parameters {
        match p.location {
            ParamIn::Path => check(ParamIn::Path, &p.name, path_params.get(&p.name).map(String::as_str)),
            ParamIn::Query => check(ParamIn::Query, &p.name, query.get(&p.name).map(String::as_str)),
            ParamIn::Header => {
                check(ParamIn::Header, &p.name, headers.get(p.name.as_str()).and_then(|v| v.to_str().ok()))
            }
            ParamIn::Cookie => {}
        }
    }
    if let Some(rb) = &op.request_body {
        if body.is_empty() {
            if rb.required {
                errors.push("the request body is required".into());
            }
        } else {
            let content_type =
                headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).map(crate::model::media_type_of);
            let media = content_type
                .as_deref()
                .and_then(|ct| rb.content.iter().find(|m| crate::model::media_type_of(&m.media_type) == ct));
            match (media, content_type) {
                (None, ct) => errors
                    .push(format!("the content type {} is not accepted here", ct.unwrap_or_else(|| "(none)".into()))),
                (Some(m), _) if is_json_media(&m.media_type) => match serde_json::from_slice::<Value>(body) {
                    Err(e) => errors.push(format!("the body is not valid JSON: {e}")),
                    Ok(value) => {
                        if let Some(schema) = &m.schema {
                            if let Ok(violations) = api.schemas.validate(schema, &value) {
                                errors.extend(violations.into_iter().take(10).map(|v| {
                                    let at = if v.instance_path.is_empty() { "/".to_string() } else { v.instance_path };
                                    format!("body {at}: {}", v.message)
                                }));
                            }
                        }
                    }
                },
                _ => {}
            }
        }
    }
    errors
}

/// The media type to answer with: JSON first.
fn pick_media(content: &[MediaType]) -> Option<&MediaType> {
    content.iter().find(|m| is_json_media(&m.media_type)).or(content.first())
}

async fn handle(State(api): State<Arc<ApiDoc>>, request: Request) -> Response {
    let method = request.method().clone();
    let path = request.uri().path().to_string();
    let query: HashMap<String, String> = request
        .uri()
        .query()
        .map(|q| url::form_urlencoded::parse(q.as_bytes()).into_owned().collect())
        .unwrap_or_default();
    let headers = request.headers().clone();
    let body = match axum::body::to_bytes(request.into_body(), 16 * 1024 * 1024).await {
        Ok(b) => b,
        Err(_) => {
            return problem(StatusCode::PAYLOAD_TOO_LARGE, "Payload Too Large", "the body is over 16 MiB", vec![])
        }
    };
    let Some((op, path_params)) = route(&api, &method, &path) else {
        return problem(
            StatusCode::NOT_FOUND,
            "Not Found",
            &format!("the description has no operation {method} {path}"),
            vec![],
        );
    };
    let errors = validate_request(&api, op, &path_params, &query, &headers, &body);
    if !errors.is_empty() {
        return problem(StatusCode::BAD_REQUEST, "Bad Request", &format!("the request does not fit {}", op.id), errors);
    }
    let success = op
        .responses
        .iter()
        .filter(|r| {
            matches!(r.status, StatusKey::Code(c) if (200..300).contains(&c)) || r.status == StatusKey::Range(2)
        })
        .min_by_key(|r| r.status);
    let Some(response) = success else {
        return StatusCode::NO_CONTENT.into_response();
    };
    let status = match response.status {
        StatusKey::Code(c) => StatusCode::from_u16(c).unwrap_or(StatusCode::OK),
        _ => StatusCode::OK,
    };
    let mut out = match pick_media(&response.content) {
        None => status.into_response(),
        Some(media) => {
            let value = generate::example_or_generated(&api, media);
            if is_json_media(&media.media_type) {
                (status, [(header::CONTENT_TYPE, media.media_type.clone())], value.to_string()).into_response()
            } else {
                let text = match value {
                    Value::String(s) => s,
                    other => other.to_string(),
                };
                (status, [(header::CONTENT_TYPE, media.media_type.clone())], text).into_response()
            }
        }
    };
    for h in response.headers.iter().filter(|h| h.required && !h.name.eq_ignore_ascii_case("content-type")) {
        let value = h
            .schema
            .as_ref()
            .map(|s| generate::generate(&api, s.doc, &s.pointer))
            .unwrap_or(Value::String("mock".into()));
        let text = match value {
            Value::String(s) => s,
            other => other.to_string(),
        };
        if let (Ok(name), Ok(value)) =
            (axum::http::HeaderName::try_from(h.name.as_str()), axum::http::HeaderValue::try_from(text))
        {
            out.headers_mut().insert(name, value);
        }
    }
    out
}
