//! Automatic conformance: every response checked against the OpenAPI document, with no line
//! of suite needed. Four named checks:
//!
//! * `status-documented`: the status is documented for the operation (exact code, a `4XX`
//!   range, or `default`);
//! * `content-type-documented`: a response with a body has a Content-Type the documented
//!   response lists;
//! * `body-schema`: a JSON body is valid against the documented schema; a failure names the
//!   JSON pointer of the offending value and the schema keyword;
//! * `required-headers`: headers the response documents as required are present and valid.

use serde_json::Value;

use super::Response;
use crate::catalogue::openapi::index::MediaType;
use crate::catalogue::openapi::{ApiDoc, Operation};
use crate::messages::{Msg, NamedValue};
use crate::model::{is_json_media, media_type_of, shorten};
use crate::model::{Check, CheckKind};

pub const STATUS_DOCUMENTED: &str = "status-documented";
pub const CONTENT_TYPE_DOCUMENTED: &str = "content-type-documented";
pub const BODY_SCHEMA: &str = "body-schema";
pub const REQUIRED_HEADERS: &str = "required-headers";

fn check(name: &str, passed: bool, said: Msg) -> Check {
    Check { name: name.to_string(), kind: CheckKind::Openapi, passed, said, location: None, pointer: None }
}

/// Runs every automatic check that applies to a response.
pub fn judge(api: &ApiDoc, op: &Operation, response: &Response) -> Vec<Check> {
    let mut checks = Vec::new();
    let status = response.status;
    let Some(spec) = op.response_for(status) else {
        let documented = op.responses.iter().map(|r| r.status.to_string()).collect();
        checks.push(check(
            STATUS_DOCUMENTED,
            false,
            Msg::StatusUndocumented { status, operation: op.id.clone(), documented },
        ));
        return checks;
    };
    checks.push(check(
        STATUS_DOCUMENTED,
        true,
        Msg::StatusDocumented { status, documented_as: spec.status.to_string() },
    ));

    let has_body = !response.body.is_empty();
    if has_body && !spec.content.is_empty() {
        let actual = response.media_type();
        let media = actual.as_deref().and_then(|mt| find_media(&spec.content, mt));
        let documented = spec.content.iter().map(|m| m.media_type.clone()).collect();
        match media {
            None => checks.push(check(
                CONTENT_TYPE_DOCUMENTED,
                false,
                Msg::ContentTypeUndocumented { status, content_type: actual.clone(), documented },
            )),
            Some(media) => {
                checks.push(check(
                    CONTENT_TYPE_DOCUMENTED,
                    true,
                    Msg::ContentTypeDocumented { media_type: media.media_type.clone() },
                ));
                if let (Some(schema), true) = (&media.schema, is_json_media(&media.media_type)) {
                    checks.push(body_schema(api, schema, response));
                }
            }
        }
    }

    let mut missing = Vec::new();
    let mut invalid = Vec::new();
    for h in &spec.headers {
        if h.name.eq_ignore_ascii_case("content-type") {
            continue; // described by `content`, per the OpenAPI specification
        }
        match response.header(&h.name) {
            None if h.required => missing.push(h.name.clone()),
            None => {}
            Some(value) => {
                if let Some(schema) = &h.schema {
                    if !header_value_valid(api, schema, value) {
                        invalid.push(NamedValue { name: h.name.clone(), value: shorten(value, 80) });
                    }
                }
            }
        }
    }
    if spec.headers.iter().any(|h| !h.name.eq_ignore_ascii_case("content-type")) {
        let passed = missing.is_empty() && invalid.is_empty();
        let said = if passed { Msg::HeadersValid } else { Msg::HeadersInvalid { missing, invalid } };
        checks.push(check(REQUIRED_HEADERS, passed, said));
    }
    checks
}

/// The documented media type matching an actual one: exact, then `type/*`, then `*/*`.
fn find_media<'a>(content: &'a [MediaType], actual: &str) -> Option<&'a MediaType> {
    let actual = media_type_of(actual);
    let main = actual.split('/').next().unwrap_or("");
    content
        .iter()
        .find(|m| media_type_of(&m.media_type) == actual)
        .or_else(|| content.iter().find(|m| media_type_of(&m.media_type) == format!("{main}/*")))
        .or_else(|| content.iter().find(|m| media_type_of(&m.media_type) == "*/*"))
}

fn body_schema(api: &ApiDoc, schema: &crate::catalogue::openapi::SchemaLoc, response: &Response) -> Check {
    let described = api.schemas.describe(schema);
    let checked = |passed, said| Check { pointer: Some(described.clone()), ..check(BODY_SCHEMA, passed, said) };
    let value = match response.json() {
        Ok(v) => v,
        Err(problem) => {
            let body = shorten(&String::from_utf8_lossy(&response.body), 120);
            return checked(false, Msg::BodyNotJson { problem: problem.clone(), body });
        }
    };
    match api.schemas.validate(schema, value) {
        Err(detail) => checked(false, Msg::SchemaUnusable { detail }),
        Ok(violations) if violations.is_empty() => checked(true, Msg::BodyValid),
        Ok(violations) => {
            let first = &violations[0];
            let at = if first.instance_path.is_empty() { "/" } else { first.instance_path.as_str() };
            checked(
                false,
                Msg::BodyInvalid {
                    at: at.to_string(),
                    keyword: first.keyword.clone(),
                    wanted: first.wanted.as_ref().map(|w| shorten(w, 120)),
                    detail: shorten(&first.message, 200),
                    more: violations.len() - 1,
                    schema: described.clone(),
                    value: value.pointer(&first.instance_path).map(crate::model::show),
                },
            )
        }
    }
}

/// Header values are text; a schema of type number/integer/boolean is checked on the parsed value.
fn header_value_valid(api: &ApiDoc, schema: &crate::catalogue::openapi::SchemaLoc, value: &str) -> bool {
    let as_string = Value::String(value.to_string());
    if api.schemas.validate(schema, &as_string).map(|v| v.is_empty()).unwrap_or(true) {
        return true;
    }
    match serde_json::from_str::<Value>(value.trim()) {
        Ok(parsed) if !parsed.is_string() => {
            api.schemas.validate(schema, &parsed).map(|v| v.is_empty()).unwrap_or(true)
        }
        _ => false,
    }
}
