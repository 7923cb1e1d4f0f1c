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
use crate::model::{is_json_media, media_type_of, shorten};
use crate::model::{Check, CheckKind};

pub const STATUS_DOCUMENTED: &str = "status-documented";
pub const CONTENT_TYPE_DOCUMENTED: &str = "content-type-documented";
pub const BODY_SCHEMA: &str = "body-schema";
pub const REQUIRED_HEADERS: &str = "required-headers";

fn check(name: &str, passed: bool, message: String, expected: Option<String>, actual: Option<String>) -> Check {
    Check { name: name.to_string(), kind: CheckKind::Openapi, passed, message, expected, actual, location: None }
}

/// Runs every automatic check that applies to a response.
pub fn judge(api: &ApiDoc, op: &Operation, response: &Response) -> Vec<Check> {
    let mut checks = Vec::new();
    let Some(spec) = op.response_for(response.status) else {
        let documented: Vec<String> = op.responses.iter().map(|r| r.status.to_string()).collect();
        checks.push(check(
            STATUS_DOCUMENTED,
            false,
            format!("status {} is not documented for {}", response.status, op.id),
            Some(documented.join(", ")),
            Some(response.status.to_string()),
        ));
        return checks;
    };
    checks.push(check(
        STATUS_DOCUMENTED,
        true,
        format!("status {} is documented (as {})", response.status, spec.status),
        None,
        None,
    ));

    let has_body = !response.body.is_empty();
    if has_body && !spec.content.is_empty() {
        let actual = response.media_type();
        let media = actual.as_deref().and_then(|mt| find_media(&spec.content, mt));
        let listed: Vec<&str> = spec.content.iter().map(|m| m.media_type.as_str()).collect();
        match media {
            None => checks.push(check(
                CONTENT_TYPE_DOCUMENTED,
                false,
                match &actual {
                    Some(mt) => format!("Content-Type {mt} is not documented for status {}", response.status),
                    None => format!("the response has a body but no Content-Type (status {})", response.status),
                },
                Some(listed.join(", ")),
                Some(actual.clone().unwrap_or_else(|| "(none)".into())),
            )),
            Some(media) => {
                checks.push(check(
                    CONTENT_TYPE_DOCUMENTED,
                    true,
                    format!("Content-Type {} is documented", media.media_type),
                    None,
                    None,
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
                        invalid.push(format!("{}: {}", h.name, shorten(value, 80)));
                    }
                }
            }
        }
    }
    if spec.headers.iter().any(|h| !h.name.eq_ignore_ascii_case("content-type")) {
        let passed = missing.is_empty() && invalid.is_empty();
        let mut problems = Vec::new();
        if !missing.is_empty() {
            problems.push(format!(
                "missing required header{} {}",
                if missing.len() == 1 { "" } else { "s" },
                missing.join(", ")
            ));
        }
        if !invalid.is_empty() {
            problems.push(format!("invalid against its schema: {}", invalid.join("; ")));
        }
        let message = if passed { "documented headers are present and valid".to_string() } else { problems.join("; ") };
        let expected = (!missing.is_empty()).then(|| missing.join(", "));
        checks.push(check(
            REQUIRED_HEADERS,
            passed,
            message,
            expected,
            (!passed).then(|| "absent or invalid".to_string()),
        ));
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
    let value = match response.json() {
        Ok(v) => v,
        Err(reason) => {
            return check(
                BODY_SCHEMA,
                false,
                reason.to_string(),
                Some("a JSON body".into()),
                Some(shorten(&String::from_utf8_lossy(&response.body), 120)),
            )
        }
    };
    match api.schemas.validate(schema, value) {
        Err(message) => check(BODY_SCHEMA, false, format!("the response schema cannot be used: {message}"), None, None),
        Ok(violations) if violations.is_empty() => {
            check(BODY_SCHEMA, true, "the body is valid against the response schema".into(), None, None)
        }
        Ok(violations) => {
            let first = &violations[0];
            let at = if first.instance_path.is_empty() { "/" } else { first.instance_path.as_str() };
            let more =
                if violations.len() > 1 { format!(" (and {} more)", violations.len() - 1) } else { String::new() };
            let actual = value.pointer(&first.instance_path).map(crate::model::show);
            check(
                BODY_SCHEMA,
                false,
                format!("{at}: {} [keyword `{}`]{more}", shorten(&first.message, 200), first.keyword),
                Some(format!("valid against {}", api.schemas.describe(schema))),
                actual,
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
