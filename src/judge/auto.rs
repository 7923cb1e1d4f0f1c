//! Automatic conformance: every response checked against the OpenAPI document, with no line
//! of suite needed. Four named checks:
//!
//! * `status-documented`: the status is documented for the operation (exact code, a `4XX`
//!   range, or `default`);
//! * `content-type-documented`: a response with a body has a Content-Type the documented
//!   response lists; a body on a response documented without content fails it;
//! * `body-schema`: a JSON body is valid against the documented schema; a failure names the
//!   JSON pointer of the offending value and the schema keyword. A response that arrives
//!   with no body although every media type documented for it is JSON fails it too (no JSON
//!   text is empty), unless the response can have no body at all (HEAD, 1XX, 204, 205, 304);
//! * `required-headers`: headers the response documents as required are present and valid.

use serde_json::Value;

use super::Response;
use crate::catalogue::openapi::index::{MediaType, Response as DocumentedResponse};
use crate::catalogue::openapi::{ApiDoc, Operation};
use crate::messages::{Msg, NamedValue};
use crate::model::{is_json_media, media_type_of, shorten};
use crate::model::{Check, CheckKind};

pub const STATUS_DOCUMENTED: &str = "status-documented";
pub const CONTENT_TYPE_DOCUMENTED: &str = "content-type-documented";
pub const BODY_SCHEMA: &str = "body-schema";
pub const REQUIRED_HEADERS: &str = "required-headers";

fn check(name: &str, passed: bool, said: Msg) -> Check {
    Check {
        name: name.to_string(),
        kind: CheckKind::Openapi,
        passed,
        said,
        location: None,
        pointer: None,
        requirement: None,
    }
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

    body_checks(api, op, spec, response, &mut checks);

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

/// The checks of a response's body against the content documented for its status.
fn body_checks(api: &ApiDoc, op: &Operation, spec: &DocumentedResponse, response: &Response, checks: &mut Vec<Check>) {
    let status = response.status;
    let documented = || spec.content.iter().map(|m| m.media_type.clone()).collect::<Vec<_>>();
    if response.body.is_empty() {
        // An empty body is a departure only where no documented representation can be
        // empty: konform judges JSON, and no JSON text is empty; an empty text/plain or
        // octet-stream body may well be what the document means.
        let json_only = spec.content.iter().all(|m| is_json_media(&m.media_type));
        if !spec.content.is_empty() && json_only && !never_has_body(&op.method, status) {
            checks.push(check(BODY_SCHEMA, false, Msg::BodyMissing { status, documented: documented() }));
        }
        return;
    }
    let actual = response.media_type();
    if spec.content.is_empty() {
        let size = response.body.len();
        checks.push(check(
            CONTENT_TYPE_DOCUMENTED,
            false,
            Msg::BodyUndocumented { status, size, content_type: actual },
        ));
        return;
    }
    match actual.as_deref().and_then(|mt| find_media(&spec.content, mt)) {
        None => checks.push(check(
            CONTENT_TYPE_DOCUMENTED,
            false,
            Msg::ContentTypeUndocumented { status, content_type: actual.clone(), documented: documented() },
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

/// Whether HTTP lets a response carry no content at all: an answer to HEAD, and the
/// statuses that never have content (1XX, 204, 205, 304; RFC 9110).
fn never_has_body(method: &str, status: u16) -> bool {
    method.eq_ignore_ascii_case("head") || status < 200 || matches!(status, 204 | 205 | 304)
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

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;
    use crate::catalogue::openapi::LoadOptions;
    use crate::messages::Lang;
    use crate::source::SourceFile;

    const DOC: &str = r#"
openapi: 3.1.0
info: { title: bodies, version: "1" }
paths:
  /things:
    get:
      operationId: getThing
      responses:
        "200":
          description: a thing, as JSON
          content: { application/json: { schema: { type: object } } }
        "202":
          description: a note, which may be empty text
          content: { text/plain: { schema: { type: string } }, application/json: {} }
        "204":
          description: documented with content, which a 204 cannot have
          content: { application/json: { schema: { type: object } } }
        "404":
          description: documented without content
        "409":
          description: documented with an empty content map
          content: {}
        "5XX":
          description: problem details
          content: { application/problem+json: {} }
    head:
      operationId: headThing
      responses:
        "200":
          description: the thing's headers
          content: { application/json: { schema: { type: object } } }
"#;

    fn api() -> ApiDoc {
        let file = SourceFile::from_text(std::path::Path::new("bodies.yaml"), DOC.to_string());
        ApiDoc::load_source(Arc::new(file), &LoadOptions::default()).expect("the test document loads")
    }

    fn judged(operation: &str, status: u16, content_type: Option<&str>, body: &str) -> Vec<Check> {
        let api = api();
        let op = api.operation(operation).expect("operation");
        let headers = content_type.map(|ct| vec![("Content-Type".to_string(), ct.to_string())]).unwrap_or_default();
        judge(&api, op, &Response::new(status, headers, bytes::Bytes::from(body.to_string())))
    }

    /// (name, passed) of each check, in order.
    fn names(checks: &[Check]) -> Vec<(&str, bool)> {
        checks.iter().map(|c| (c.name.as_str(), c.passed)).collect()
    }

    #[test]
    fn a_json_response_arriving_without_a_body_fails_body_schema() {
        let checks = judged("getThing", 200, Some("application/json"), "");
        assert_eq!(names(&checks), [(STATUS_DOCUMENTED, true), (BODY_SCHEMA, false)]);
        assert_eq!(
            checks[1].said,
            Msg::BodyMissing { status: 200, documented: vec!["application/json".into()] },
            "{:?}",
            checks[1].said
        );
        assert_eq!(
            checks[1].said.line(Lang::En),
            "the document gives the 200 response a body (application/json), but it arrived with none"
        );
        // Without a Content-Type it is the same one departure.
        let checks = judged("getThing", 200, None, "");
        assert_eq!(names(&checks), [(STATUS_DOCUMENTED, true), (BODY_SCHEMA, false)]);
        // A range's or default's JSON content counts the same way.
        let checks = judged("getThing", 503, None, "");
        assert_eq!(names(&checks), [(STATUS_DOCUMENTED, true), (BODY_SCHEMA, false)]);
    }

    #[test]
    fn an_empty_body_passes_where_it_can_be_meant() {
        // text/plain is documented beside JSON: an empty text is a representation.
        assert_eq!(names(&judged("getThing", 202, Some("text/plain"), "")), [(STATUS_DOCUMENTED, true)]);
        // HTTP gives HEAD answers and 204 no content, whatever the document lists.
        assert_eq!(names(&judged("headThing", 200, Some("application/json"), "")), [(STATUS_DOCUMENTED, true)]);
        assert_eq!(names(&judged("getThing", 204, None, "")), [(STATUS_DOCUMENTED, true)]);
        // Documented without content, none came.
        assert_eq!(names(&judged("getThing", 404, None, "")), [(STATUS_DOCUMENTED, true)]);
        assert_eq!(names(&judged("getThing", 409, Some("application/json"), "")), [(STATUS_DOCUMENTED, true)]);
    }

    #[test]
    fn a_body_on_a_response_documented_without_content_fails_content_type_documented() {
        // `{}` is a body: two bytes the document does not promise.
        let checks = judged("getThing", 404, Some("application/json; charset=utf-8"), "{}");
        assert_eq!(names(&checks), [(STATUS_DOCUMENTED, true), (CONTENT_TYPE_DOCUMENTED, false)]);
        assert_eq!(
            checks[1].said,
            Msg::BodyUndocumented { status: 404, size: 2, content_type: Some("application/json".into()) }
        );
        assert_eq!(
            checks[1].said.line(Lang::En),
            "the document says the 404 response has no body, but it had 2 bytes of application/json"
        );
        // `content: {}` is no content either; a body without a Content-Type is still a body.
        let checks = judged("getThing", 409, None, "x");
        assert_eq!(names(&checks), [(STATUS_DOCUMENTED, true), (CONTENT_TYPE_DOCUMENTED, false)]);
        assert_eq!(
            checks[1].said.line(Lang::En),
            "the document says the 409 response has no body, but it had 1 byte (no Content-Type)"
        );
    }

    #[test]
    fn a_documented_body_is_checked_as_before() {
        let ok = judged("getThing", 200, Some("application/json"), r#"{"a":1}"#);
        assert_eq!(names(&ok), [(STATUS_DOCUMENTED, true), (CONTENT_TYPE_DOCUMENTED, true), (BODY_SCHEMA, true)]);
        let wrong = judged("getThing", 200, Some("application/json"), "[1]");
        assert_eq!(names(&wrong), [(STATUS_DOCUMENTED, true), (CONTENT_TYPE_DOCUMENTED, true), (BODY_SCHEMA, false)]);
        let text = judged("getThing", 200, Some("text/html"), "<p>");
        assert_eq!(names(&text), [(STATUS_DOCUMENTED, true), (CONTENT_TYPE_DOCUMENTED, false)]);
        let undocumented = judged("getThing", 418, Some("application/json"), "{}");
        assert_eq!(names(&undocumented), [(STATUS_DOCUMENTED, false)]);
    }
}
