//! `konform mock` keeps the document's promises: valid requests get responses that pass
//! konform's own automatic conformance checks; invalid ones the operation's documented 4xx
//! (problem+json only when none is documented); it serves under the server URL's path,
//! enforces the documented security, and with `--stateful` remembers what POST creates.

mod common;

use std::net::SocketAddr;
use std::sync::Arc;

use common::project_root;
use konform::catalogue::openapi::{ApiDoc, LoadOptions};
use konform::judge::{auto, Response};
use konform::mock::{self, Auth, Options};
use serde_json::{json, Value};

fn sundsvall(file: &str) -> Arc<ApiDoc> {
    let path = project_root().join("../shared/corpus/sundsvall").join(file);
    assert!(path.is_file(), "../shared/corpus is absent: this test mocks a Sundsvall specification");
    Arc::new(ApiDoc::load(&path, &LoadOptions::default()).unwrap())
}

fn send(method: reqwest::Method, url: String, body: Option<Value>) -> Response {
    send_with(method, url, body, None)
}

fn send_with(method: reqwest::Method, url: String, body: Option<Value>, bearer: Option<&str>) -> Response {
    konform::net::init_tls();
    let client = reqwest::blocking::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
    let mut req = client.request(method, url);
    if let Some(b) = body {
        req = req.json(&b);
    }
    if let Some(token) = bearer {
        req = req.bearer_auth(token);
    }
    let r = req.send().unwrap();
    let status = r.status().as_u16();
    let headers = r.headers().iter().map(|(k, v)| (k.to_string(), v.to_str().unwrap_or("").to_string())).collect();
    Response::new(status, headers, r.bytes().unwrap())
}

fn local() -> SocketAddr {
    SocketAddr::from(([127, 0, 0, 1], 0))
}

/// A small document written for these tests (YAML text).
fn document(text: &str) -> (tempfile::TempDir, Arc<ApiDoc>) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("things.yaml");
    std::fs::write(&path, text).unwrap();
    let api = Arc::new(ApiDoc::load(&path, &LoadOptions::default()).unwrap());
    (dir, api)
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
    let server = mock::start(api.clone(), local()).unwrap();
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
fn corpus_invalid_requests_get_the_documented_400_with_the_defects_in_it() {
    let api = sundsvall("api-service-messaging.yaml");
    let server = mock::start(api.clone(), local()).unwrap();
    let base = server.url();

    // The document describes its 400 as application/problem+json, a oneOf of Problem and
    // ConstraintViolationProblem: the answer is that, valid against it, with the defects.
    let r = send(reqwest::Method::POST, format!("{base}2281/sms"), Some(json!({ "nope": 1 })));
    assert_eq!(r.status, 400);
    assert_eq!(r.header("content-type"), Some("application/problem+json"));
    assert_conforms(&api, "sendSms", &r);
    let body = String::from_utf8_lossy(&r.body);
    assert!(body.contains("mobileNumber") && body.contains("is a required property"), "{body}");

    let r = send(reqwest::Method::GET, format!("{base}2281/messages/not-a-uuid"), None);
    assert_eq!(r.status, 400);
    assert_conforms(&api, "getMessage", &r);
    assert!(String::from_utf8_lossy(&r.body).contains("messageId"));

    let r = send(reqwest::Method::GET, format!("{base}nowhere"), None);
    assert_eq!(r.status, 404);
    assert_eq!(r.header("content-type"), Some("application/problem+json"));

    let r = send(reqwest::Method::DELETE, format!("{base}2281/sms"), None);
    assert_eq!(r.status, 405);
    assert_eq!(r.header("allow"), Some("POST"));
}

#[test]
fn a_mock_of_a_catalogue_specification_serves_under_its_server_path_and_enforces_its_security() {
    let api = Arc::new(
        ApiDoc::load(
            &project_root().join("conformance-suites/case-intake/1.1.0/openapi.yaml"),
            &LoadOptions::default(),
        )
        .unwrap(),
    );
    let server = mock::start(api.clone(), local()).unwrap();
    // servers[0].url is https://api.example.org/case-intake/1.1: its path is the base.
    let base = format!("{}case-intake/1.1/", server.url());
    let r = send(reqwest::Method::GET, format!("{}api-info", server.url()), None);
    assert_eq!(r.status, 404, "nothing is served outside the base path");

    let r = send(reqwest::Method::GET, format!("{base}api-info"), None);
    assert_eq!(r.status, 200, "api-info is documented with `security: []`");
    let body: Value = serde_json::from_slice(&r.body).unwrap();
    assert_eq!(body["specification"], "case-intake@1.1.0", "the document's example is served");
    assert_conforms(&api, "getApiInfo", &r);

    let case = json!({ "caseType": "OTHER", "applicant": { "type": "PRIVATE", "firstName": "A", "lastName": "B" }, "formData": {} });
    let r = send(reqwest::Method::POST, format!("{base}2281/cases"), Some(case.clone()));
    assert_eq!(r.status, 401, "the document secures submitCase with a bearer token");
    assert_eq!(r.header("www-authenticate"), Some("Bearer realm=\"konform mock\""));
    assert_conforms(&api, "submitCase", &r);
    let r = send_with(reqwest::Method::POST, format!("{base}2281/cases"), Some(case.clone()), Some("anything"));
    assert_eq!(r.status, 201, "any bearer token is accepted without --token");
    assert_conforms(&api, "submitCase", &r);

    let only = Options { auth: Auth::Token("s3cret".into()), ..Options::default() };
    let strict = mock::start_with(api.clone(), local(), only).unwrap();
    let url = format!("{}case-intake/1.1/2281/cases", strict.url());
    let r = send_with(reqwest::Method::POST, url.clone(), Some(case.clone()), Some("anything"));
    assert_eq!(r.status, 401, "with --token only that token is accepted");
    let r = send_with(reqwest::Method::POST, url, Some(case.clone()), Some("s3cret"));
    assert_eq!(r.status, 201);

    let open = Options { auth: Auth::Off, base_path: Some("/".into()), ..Options::default() };
    let open = mock::start_with(api, local(), open).unwrap();
    let r = send(reqwest::Method::POST, format!("{}2281/cases", open.url()), Some(case));
    assert_eq!(r.status, 201, "--no-auth and --base-path /");
}

const THINGS: &str = r##"
openapi: 3.1.0
info: { title: Things, version: "1" }
servers:
  - url: "{scheme}://example.org/{root}/v1"
    variables:
      scheme: { default: https }
      root: { default: things-api }
paths:
  /things:
    get:
      operationId: listThings
      responses:
        "200":
          description: the things
          content:
            application/json:
              schema: { type: array, items: { $ref: "#/components/schemas/Thing" } }
    post:
      operationId: createThing
      requestBody:
        required: true
        content:
          application/json:
            schema: { $ref: "#/components/schemas/NewThing" }
      responses:
        "201":
          description: created
          content:
            application/json:
              schema: { $ref: "#/components/schemas/Thing" }
              example: { id: "not a uuid", code: "lowercase" }
        "422":
          description: the request is not acceptable
          content:
            application/json:
              schema: { $ref: "#/components/schemas/Error" }
  /things/{id}:
    parameters:
      - { name: id, in: path, required: true, schema: { type: string, format: uuid } }
    get:
      operationId: getThing
      responses:
        "200":
          description: the thing
          content:
            application/json:
              schema: { $ref: "#/components/schemas/Thing" }
        "404":
          description: no such thing
          content:
            application/json:
              schema: { $ref: "#/components/schemas/Error" }
    patch:
      operationId: changeThing
      requestBody:
        content:
          application/json:
            schema: { $ref: "#/components/schemas/NewThing" }
      responses:
        "200":
          description: changed
          content:
            application/json:
              schema: { $ref: "#/components/schemas/Thing" }
    delete:
      operationId: deleteThing
      responses:
        "204": { description: deleted }
        "404":
          description: no such thing
          content:
            application/json:
              schema: { $ref: "#/components/schemas/Error" }
components:
  schemas:
    NewThing:
      type: object
      additionalProperties: false
      required: [code]
      properties:
        code: { type: string, pattern: "^[A-Z]{2}-[0-9]{3}$" }
        weight: { type: number, exclusiveMinimum: 0, maximum: 10, multipleOf: 0.5 }
    Thing:
      type: object
      required: [id, code]
      properties:
        id: { type: string, format: uuid, readOnly: true }
        code: { type: string, pattern: "^[A-Z]{2}-[0-9]{3}$" }
        weight: { type: number, exclusiveMinimum: 0, maximum: 10, multipleOf: 0.5 }
    Error:
      type: object
      additionalProperties: false
      required: [code, message]
      properties:
        code: { type: string, enum: [INVALID, NOT_FOUND, UNAUTHORIZED] }
        message: { type: string }
        errors: { type: array, items: { type: string } }
"##;

#[test]
fn generated_bodies_keep_the_schema_and_an_invalid_example_is_not_served() {
    let (_dir, api) = document(THINGS);
    let server = mock::start(api.clone(), local()).unwrap();
    let base = format!("{}things-api/v1", server.url());
    let r = send(reqwest::Method::POST, format!("{base}/things"), Some(json!({ "code": "AB-123" })));
    assert_eq!(r.status, 201, "{}", String::from_utf8_lossy(&r.body));
    assert_conforms(&api, "createThing", &r);
    let body: Value = serde_json::from_slice(&r.body).unwrap();
    assert_ne!(body["id"], "not a uuid", "the document's example does not validate: it is not served");
    let r = send(reqwest::Method::GET, format!("{base}/things/{}", uuid::Uuid::new_v4()), None);
    assert_eq!(r.status, 200);
    assert_conforms(&api, "getThing", &r);
    let again = send(reqwest::Method::GET, format!("{base}/things/{}", uuid::Uuid::nil()), None);
    let twice = send(reqwest::Method::GET, format!("{base}/things/{}", uuid::Uuid::nil()), None);
    assert_eq!(again.body, twice.body, "the same request gets the same generated value");
}

#[test]
fn an_invalid_request_gets_the_documented_422_with_its_schema_and_the_errors() {
    let (_dir, api) = document(THINGS);
    let server = mock::start(api.clone(), local()).unwrap();
    let url = format!("{}things-api/v1/things", server.url());
    let r = send(reqwest::Method::POST, url, Some(json!({ "code": "lowercase", "colour": "red" })));
    assert_eq!(r.status, 422, "the operation documents 422, not 400");
    assert_eq!(r.header("content-type"), Some("application/json"), "its documented media type, not problem+json");
    assert_conforms(&api, "createThing", &r);
    let body: Value = serde_json::from_slice(&r.body).unwrap();
    let message = body["message"].as_str().unwrap();
    assert!(message.contains("does not match") && message.contains("colour"), "{body}");
    assert_eq!(body["errors"].as_array().map(Vec::len), Some(2), "{body}");
}

#[test]
fn stateful_what_post_creates_is_read_listed_changed_and_deleted() {
    let (_dir, api) = document(THINGS);
    let options = Options { stateful: true, ..Options::default() };
    let server = mock::start_with(api.clone(), local(), options).unwrap();
    let base = format!("{}things-api/v1", server.url());
    let r = send(reqwest::Method::POST, format!("{base}/things"), Some(json!({ "code": "AB-123", "weight": 2.5 })));
    assert_eq!(r.status, 201);
    let created: Value = serde_json::from_slice(&r.body).unwrap();
    assert_eq!(
        (&created["code"], &created["weight"]),
        (&json!("AB-123"), &json!(2.5)),
        "the request's fields are kept"
    );
    let location = r.header("location").unwrap().to_string();
    assert_eq!(location, format!("/things-api/v1/things/{}", created["id"].as_str().unwrap()));
    let origin = server.url();
    let at = format!("{}{}", origin.trim_end_matches('/'), location);

    let r = send(reqwest::Method::GET, at.clone(), None);
    assert_eq!(serde_json::from_slice::<Value>(&r.body).unwrap(), created, "read back");
    let r = send(reqwest::Method::GET, format!("{base}/things"), None);
    assert_eq!(serde_json::from_slice::<Value>(&r.body).unwrap(), json!([created]), "listed");
    assert_conforms(&api, "listThings", &r);

    let r = send(reqwest::Method::PATCH, at.clone(), Some(json!({ "code": "CD-456" })));
    assert_eq!(r.status, 200);
    assert_conforms(&api, "changeThing", &r);
    let r = send(reqwest::Method::GET, at.clone(), None);
    let changed: Value = serde_json::from_slice(&r.body).unwrap();
    assert_eq!((&changed["code"], &changed["id"]), (&json!("CD-456"), &created["id"]));

    let r = send(reqwest::Method::DELETE, at.clone(), None);
    assert_eq!(r.status, 204);
    let r = send(reqwest::Method::GET, at, None);
    assert_eq!(r.status, 404, "deleted");
    assert_conforms(&api, "getThing", &r);
    let r = send(reqwest::Method::GET, format!("{base}/things/{}", uuid::Uuid::nil()), None);
    assert_eq!(r.status, 404, "an id never created");
}

#[test]
fn a_malformed_path_template_is_served_not_a_crash() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("odd.yaml");
    std::fs::write(&path, "openapi: 3.1.0\ninfo: { title: Odd, version: '1' }\npaths:\n  /a/{:\n    get:\n      operationId: odd\n      responses:\n        '200': { description: ok }\n").unwrap();
    let api = Arc::new(ApiDoc::load(&path, &LoadOptions { lenient: true, ..LoadOptions::default() }).unwrap());
    let server = mock::start(api, local()).unwrap();
    let r = send(reqwest::Method::GET, format!("{}a/x", server.url()), None);
    assert_eq!(r.status, 404);
    let r = send(reqwest::Method::GET, format!("{}a/%7B", server.url()), None);
    assert!(r.status < 500, "{}", r.status);
}

/// A collection whose create answers with no body (only `Location`), items addressed by an
/// integer, a literal route beside the items, and an item operation without a documented 404.
const ORDERS: &str = r#"
openapi: 3.0.3
info: { title: Orders, version: "1" }
paths:
  /orders:
    post:
      operationId: createOrder
      requestBody:
        required: true
        content:
          application/json:
            schema: { type: object, required: [customerId], properties: { customerId: { type: string } } }
      responses:
        "201":
          description: created
          headers: { Location: { schema: { type: string } } }
  /orders/{orderId}:
    get:
      operationId: getOrder
      parameters: [{ name: orderId, in: path, required: true, schema: { type: integer, format: int64 } }]
      responses:
        "200": { description: ok, content: { application/json: { schema: { type: object } } } }
        "404": { description: none }
    delete:
      operationId: deleteOrder
      parameters: [{ name: orderId, in: path, required: true, schema: { type: integer, format: int64 } }]
      responses:
        "204": { description: deleted }
  /orders/count:
    get:
      operationId: countOrders
      responses:
        "200": { description: ok, content: { application/json: { schema: { type: integer } } } }
"#;

#[test]
fn stateful_each_create_gets_its_own_id_of_the_items_parameter_and_only_documented_404s() {
    let (_dir, api) = document(ORDERS);
    let options = Options { stateful: true, ..Options::default() };
    let server = mock::start_with(api.clone(), local(), options).unwrap();
    let base = server.url();
    let create = || {
        let r = send(reqwest::Method::POST, format!("{base}orders"), Some(json!({ "customerId": "c-1" })));
        assert_eq!(r.status, 201);
        r.header("location").unwrap().to_string()
    };
    let (first, second) = (create(), create());
    assert_ne!(first, second, "the same request twice creates two resources");
    let id = first.rsplit('/').next().unwrap();
    assert!(id.parse::<i64>().is_ok(), "the id fits the items' path parameter (an integer), not `customerId`: {first}");
    let r = send(reqwest::Method::GET, format!("{}{}", base.trim_end_matches('/'), first), None);
    assert_eq!(r.status, 200, "read back");

    let r = send(reqwest::Method::GET, format!("{base}orders/count"), None);
    assert_eq!(r.status, 200, "a literal route beside the items is not an item");
    assert_conforms(&api, "countOrders", &r);
    let r = send(reqwest::Method::GET, format!("{base}orders/12345"), None);
    assert_eq!(r.status, 404, "an id never created, where 404 is documented");
    let r = send(reqwest::Method::DELETE, format!("{base}orders/12345"), None);
    assert_eq!(r.status, 204, "deleteOrder documents no 404: answered as without --stateful");
    let checks = auto::judge(&api, api.operation("deleteOrder").unwrap(), &r);
    assert!(checks.iter().all(|c| c.passed), "{checks:?}");
}
