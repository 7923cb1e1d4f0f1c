//! Whether a request fits its operation: parameters (coerced to the types their schemas
//! want) and the body, each against its schema; every defect as a sentence.

use std::collections::HashMap;

use axum::body::Bytes;
use axum::http::{header, HeaderMap};
use serde_json::Value;

use crate::catalogue::openapi::{ApiDoc, Operation, ParamIn};
use crate::model::is_json_media;

/// A parameter's text as the JSON value its schema expects (numbers, booleans; arrays from
/// comma-separated items, which is also how repeated query parameters arrive): read as the
/// generated checks read what they send.
fn coerce(api: &ApiDoc, op: &Operation, location: ParamIn, name: &str, text: &str) -> Value {
    match op.parameter(location, name).and_then(|p| p.schema.as_ref()) {
        Some(s) => crate::generate::params::coerce(api, s, text),
        None => Value::String(text.to_string()),
    }
}

pub fn validate(
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
