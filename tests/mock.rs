//! `konform mock` answers valid requests with responses that pass konform's own automatic
//! conformance checks, and invalid ones with 400 problem+json.

mod common;

use std::net::SocketAddr;
use std::sync::Arc;

use common::project_root;
use konform::catalogue::openapi::{ApiDoc, LoadOptions};
use konform::judge::{auto, Response};
use konform::mock;
use serde_json::{json, Value};

fn sundsvall(file: &str) -> Arc<ApiDoc> {
    let path = project_root().join("../shared/corpus/sundsvall").join(file);
    assert!(path.is_file(), "../shared/corpus is absent: this test mocks a Sundsvall specification");
    Arc::new(ApiDoc::load(&path, &LoadOptions::default()).unwrap())
}

fn send(method: reqwest::Method, url: String, body: Option<Value>) -> Response {
    konform::net::init_tls();
    let client = reqwest::blocking::Client::new();
    let mut req = client.request(method, url);
    if let Some(b) = body {
        req = req.json(&b);
    }
    let r = req.send().unwrap();
    let status = r.status().as_u16();
    let headers = r.headers().iter().map(|(k, v)| (k.to_string(), v.to_str().unwrap_or("").to_string())).collect();
    Response::new(status, headers, r.bytes().unwrap())
}

fn assert_conforms(api: &ApiDoc, op: &str, response: &Response) {
    let op = api.operation(op).unwrap();
    let checks = auto::judge(api, op, response);
    let failed: Vec<String> = checks.iter().filter(|c| !c.passed).map(|c| format!("{}: {}", c.name, c.said)).collect();
    assert!(
        failed.is_empty(),
        "{} answered {}: {failed:#?}\n{}",
        op.id,
        response.status,
        String::from_utf8_lossy(&response.body)
    );
    assert!(checks.iter().any(|c| c.name == auto::BODY_SCHEMA && c.passed), "the body was checked against its schema");
}

#[test]
fn corpus_a_mock_of_a_sundsvall_spec_answers_valid_requests_with_schema_valid_responses() {
    let api = sundsvall("api-service-messaging.yaml");
    let server = mock::start(api.clone(), SocketAddr::from(([127, 0, 0, 1], 0))).unwrap();
    let base = server.url();

    let r = send(reqwest::Method::GET, format!("{base}2281/messages/3f2b8c1e-5d4a-4e7b-9c2d-1a2b3c4d5e6f"), None);
    assert_eq!(r.status, 200);
    assert_conforms(&api, "getMessage", &r);

    let sms = json!({ "message": "Hej", "mobileNumber": "+46701740605", "sender": "Sundsvall" });
    let r = send(reqwest::Method::POST, format!("{base}2281/sms"), Some(sms));
    assert_eq!(r.status, 201, "{}", String::from_utf8_lossy(&r.body));
    assert_conforms(&api, "sendSms", &r);
}

#[test]
fn corpus_invalid_requests_get_400_problem_json_naming_the_defect() {
    let api = sundsvall("api-service-messaging.yaml");
    let server = mock::start(api, SocketAddr::from(([127, 0, 0, 1], 0))).unwrap();
    let base = server.url();

    let r = send(reqwest::Method::POST, format!("{base}2281/sms"), Some(json!({ "nope": 1 })));
    assert_eq!(r.status, 400);
    assert_eq!(r.header("content-type"), Some("application/problem+json"));
    let body: Value = serde_json::from_slice(&r.body).unwrap();
    assert_eq!(body["status"], 400);
    let errors = body["errors"].to_string();
    assert!(errors.contains("\\\"mobileNumber\\\" is a required property"), "{errors}");

    let r = send(reqwest::Method::GET, format!("{base}2281/messages/not-a-uuid"), None);
    assert_eq!(r.status, 400);
    assert!(String::from_utf8_lossy(&r.body).contains("messageId"));

    let r = send(reqwest::Method::GET, format!("{base}nowhere"), None);
    assert_eq!(r.status, 404);
    assert_eq!(r.header("content-type"), Some("application/problem+json"));
}

#[test]
fn a_mock_of_a_catalogue_specification_uses_its_examples_and_passes_its_own_suite_shape() {
    let api = Arc::new(
        ApiDoc::load(
            &project_root().join("conformance-suites/case-intake/1.1.0/openapi.yaml"),
            &LoadOptions::default(),
        )
        .unwrap(),
    );
    let server = mock::start(api.clone(), SocketAddr::from(([127, 0, 0, 1], 0))).unwrap();
    let r = send(reqwest::Method::GET, format!("{}api-info", server.url()), None);
    assert_eq!(r.status, 200);
    let body: Value = serde_json::from_slice(&r.body).unwrap();
    assert_eq!(body["specification"], "case-intake@1.1.0", "the document's example is served");
    assert_conforms(&api, "getApiInfo", &r);
    let case = json!({ "caseType": "OTHER", "applicant": { "type": "PRIVATE", "firstName": "A", "lastName": "B" }, "formData": {} });
    let r = send(reqwest::Method::POST, format!("{}2281/cases", server.url()), Some(case));
    assert_eq!(r.status, 201);
    assert_conforms(&api, "submitCase", &r);
}

#[test]
fn a_malformed_path_template_is_served_not_a_crash() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("odd.yaml");
    std::fs::write(&path, "openapi: 3.1.0\ninfo: { title: Odd, version: '1' }\npaths:\n  /a/{:\n    get:\n      operationId: odd\n      responses:\n        '200': { description: ok }\n").unwrap();
    let api = Arc::new(ApiDoc::load(&path, &LoadOptions { lenient: true, ..LoadOptions::default() }).unwrap());
    let server = mock::start(api, SocketAddr::from(([127, 0, 0, 1], 0))).unwrap();
    let r = send(reqwest::Method::GET, format!("{}a/x", server.url()), None);
    assert_eq!(r.status, 404);
    let r = send(reqwest::Method::GET, format!("{}a/%7B", server.url()), None);
    assert!(r.status < 500, "{}", r.status);
}
