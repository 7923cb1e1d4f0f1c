//! The built-in reference vendor: an in-memory implementation of the catalogue's
//! `case-intake` (1.1.0, a superset of 1.0.0, so both are served; and 2.0.0 beside them,
//! under `/v2`, with its own cases), `building-permit`,
//! `messaging` and `data-export` specifications, used by `konform demo`, `konform serve reference` and the
//! tests. It validates requests against the catalogue's own request schemas (contract-first,
//! as a careful vendor would) and can be told to have faults (see [`faults`]).

mod export;
pub mod faults;
mod messaging;
mod permit;

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, SystemTime};

use crate::serve::Background;

use axum::body::{Body, Bytes};
use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use serde_json::{json, Value};

use crate::catalogue::openapi::ApiDoc;
pub use faults::{Fault, Faults};

/// The case-intake 1.x description the vendor implements, loaded once.
fn api() -> &'static ApiDoc {
    static API: OnceLock<ApiDoc> = OnceLock::new();
    API.get_or_init(|| load_built_in("case-intake/1.1.0/openapi.yaml"))
}

/// The case-intake 2.0.0 description, loaded once.
fn api_v2() -> &'static ApiDoc {
    static API: OnceLock<ApiDoc> = OnceLock::new();
    API.get_or_init(|| load_built_in("case-intake/2.0.0/openapi.yaml"))
}

/// A description of the catalogue built into konform (the vendor implements the catalogue
/// it ships with; a test checks that they load).
pub(crate) fn load_built_in(name: &str) -> ApiDoc {
    ApiDoc::load_built_in(name).unwrap_or_else(|e| panic!("the built-in {name} loads: {e:?}"))
}

/// A major version of case intake the vendor serves: its description, where its
/// resources live and what a new case's status is called.
#[derive(Clone, Copy)]
struct Intake {
    api: fn() -> &'static ApiDoc,
    prefix: &'static str,
    received: &'static str,
}

const INTAKE_V1: Intake = Intake { api, prefix: "", received: "RECEIVED" };
const INTAKE_V2: Intake = Intake { api: api_v2, prefix: "/v2", received: "SUBMITTED" };

#[derive(Default)]
struct Store {
    /// (municipality, case id) -> case, in submission order.
    cases: Vec<(String, Value)>,
    external_ids: HashMap<(String, String), String>,
}

#[derive(Clone)]
struct AppState {
    store: Arc<Mutex<Store>>,
    permits: permit::Shared,
    messages: messaging::Shared,
    faults: Arc<Faults>,
    token: Arc<String>,
    intake: Intake,
}

impl AppState {
    fn has(&self, f: Fault) -> bool {
        self.faults.contains(&f)
    }
}

/// The vendor's routes.
pub fn router(faults: Faults, token: String) -> Router {
    let state = AppState {
        store: Arc::default(),
        permits: Arc::default(),
        messages: Arc::default(),
        faults: Arc::new(faults),
        token: Arc::new(token),
        intake: INTAKE_V1,
    };
    // 2.0.0 is served beside 1.x, with cases of its own, as a vendor moving between major
    // versions would.
    let v2 = AppState { store: Arc::default(), intake: INTAKE_V2, ..state.clone() };
    Router::new()
        .merge(permit::routes())
        .merge(messaging::routes())
        .merge(export::routes())
        .route("/api-info", get(api_info))
        .merge(intake_routes())
        .nest("/v2", intake_routes().with_state(v2))
        .fallback(|| async { problem(StatusCode::NOT_FOUND, "Not Found", "no such resource") })
        .layer(axum::middleware::from_fn_with_state(state.clone(), refuse_get_with_body))
        .layer(axum::middleware::from_fn_with_state(state.clone(), trace_context))
        .with_state(state)
}

/// The case-intake resources, as each major version serves them.
fn intake_routes() -> Router<AppState> {
    Router::new()
        .route("/{municipality}/cases", post(submit_case).get(list_cases))
        .route("/{municipality}/cases/{id}", get(get_case))
        .route("/{municipality}/cases/{id}/status", get(get_status))
        .route("/{municipality}/cases/{id}/supplements", post(submit_supplement).get(supplements_get))
        .route("/{municipality}/cases/{id}/withdrawal", post(withdraw))
}

/// The REST API profile's SPA.02 and SPA.04: a request's `traceparent` is taken, and every
/// answer carries one, in the request's trace when it came with one (a new span of it),
/// in a new trace when not.
async fn trace_context(
    State(state): State<AppState>,
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> Response {
    let incoming = request.headers().get("traceparent").and_then(|v| v.to_str().ok()).map(str::to_string);
    if incoming.is_some() && state.has(Fault::TraceparentRefused) {
        return problem(StatusCode::BAD_REQUEST, "Bad Request", "the header traceparent is not allowed");
    }
    let mut response = next.run(request).await;
    if state.has(Fault::NoTraceparent) {
        return response;
    }
    let span = &uuid::Uuid::new_v4().simple().to_string()[..16];
    let value = match incoming.filter(|v| crate::judge::profile::is_traceparent(v)) {
        Some(v) => format!("00-{}-{span}-{}", &v[3..35], &v[53..55]),
        None => format!("00-{}-{span}-01", uuid::Uuid::new_v4().simple()),
    };
    if let Ok(value) = header::HeaderValue::from_str(&value) {
        response.headers_mut().insert("traceparent", value);
    }
    response
}

/// The REST API profile's FOR.02: a GET with a body is refused.
async fn refuse_get_with_body(
    State(state): State<AppState>,
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> Response {
    if state.has(Fault::GetBodyAccepted) {
        return next.run(request).await;
    }
    let has_body =
        request.headers().get(header::CONTENT_LENGTH).and_then(|v| v.to_str().ok()).is_some_and(|v| v != "0")
            || request.headers().contains_key(header::TRANSFER_ENCODING);
    if request.method() == axum::http::Method::GET && has_body {
        return problem(StatusCode::BAD_REQUEST, "Bad Request", "a GET request takes no body");
    }
    next.run(request).await
}

/// Starts the reference vendor on `addr` (port 0 picks a free port); it stops when the
/// returned server is dropped.
pub fn start(addr: SocketAddr, faults: Faults, token: String) -> std::io::Result<Background> {
    Background::start(addr, "reference-vendor", router(faults, token))
}

fn now() -> String {
    humantime::format_rfc3339_millis(SystemTime::now()).to_string()
}

fn problem(status: StatusCode, title: &str, detail: &str) -> Response {
    let body = json!({ "type": "about:blank", "title": title, "status": status.as_u16(), "detail": detail });
    (status, [(header::CONTENT_TYPE, "application/problem+json")], body.to_string()).into_response()
}

fn json_response(status: StatusCode, body: &Value) -> Response {
    (status, [(header::CONTENT_TYPE, "application/json")], body.to_string()).into_response()
}

/// Checks the bearer token; `Err` is the 401 answer. The auth faults belong to case-intake.
fn authorize(state: &AppState, headers: &HeaderMap) -> Result<(), Response> {
    authorize_with(state, headers, true)
}

fn authorize_with(state: &AppState, headers: &HeaderMap, apply_faults: bool) -> Result<(), Response> {
    let faulty = |f: Fault| apply_faults && state.has(f);
    if faulty(Fault::IgnoreAuth) {
        return Ok(());
    }
    let expected = format!("Bearer {}", state.token);
    let given = headers.get(header::AUTHORIZATION).and_then(|v| v.to_str().ok());
    if given == Some(expected.as_str()) {
        return Ok(());
    }
    if faulty(Fault::WrongContentType) {
        return Err((StatusCode::UNAUTHORIZED, [(header::CONTENT_TYPE, "text/plain")], "unauthorized").into_response());
    }
    Err(problem(StatusCode::UNAUTHORIZED, "Unauthorized", "a valid bearer token is required"))
}

/// GET on a case's supplements, which the description does not document: 405 with the
/// methods that are (as the router answers any other undocumented method), or 200 with the
/// `unsupported-method-ok` fault.
async fn supplements_get(State(state): State<AppState>) -> Response {
    if state.has(Fault::UnsupportedMethodOk) {
        return json_response(StatusCode::OK, &json!([]));
    }
    let mut refused = problem(StatusCode::METHOD_NOT_ALLOWED, "Method Not Allowed", "only POST is served here");
    refused.headers_mut().insert(header::ALLOW, header::HeaderValue::from_static("POST"));
    refused
}

/// Whether a `status` filter is one of the statuses this version of case intake documents.
fn status_known(intake: Intake, status: &str) -> bool {
    let api = (intake.api)();
    let schema = api
        .operation("listCases")
        .and_then(|op| op.parameter(crate::catalogue::openapi::ParamIn::Query, "status"))
        .and_then(|p| p.schema.as_ref());
    schema.is_none_or(|schema| {
        api.schemas.validate(schema, &Value::String(status.to_string())).is_ok_and(|v| v.is_empty())
    })
}

/// A municipality code is four digits; a path with anything else names no resource (404,
/// which HTTP allows on any operation, documented or not).
fn check_municipality(m: &str) -> Result<(), Response> {
    if m.len() == 4 && m.bytes().all(|b| b.is_ascii_digit()) {
        Ok(())
    } else {
        Err(problem(StatusCode::NOT_FOUND, "Not Found", "there is no municipality with that code: it is four digits"))
    }
}

/// Parses and validates a JSON body against an operation's request schema, in the
/// version of case intake being served.
fn valid_body(state: &AppState, body: &Bytes, operation: &str) -> Result<Value, String> {
    validate_against((state.intake.api)(), body, operation)
}

fn validate_against(api: &ApiDoc, body: &Bytes, operation: &str) -> Result<Value, String> {
    let schema = api
        .operation(operation)
        .and_then(|op| op.request_body.as_ref())
        .and_then(|b| b.content.first())
        .and_then(|m| m.schema.clone())
        .ok_or_else(|| format!("{operation} takes no body"))?;
    let value: Value = serde_json::from_slice(body).map_err(|e| format!("the body is not valid JSON: {e}"))?;
    let violations = api.schemas.validate(&schema, &value)?;
    match violations.first() {
        None => Ok(value),
        Some(v) => Err(format!("{}: {}", if v.instance_path.is_empty() { "/" } else { &v.instance_path }, v.message)),
    }
}

fn find_case<'a>(store: &'a mut Store, municipality: &str, id: &str) -> Option<&'a mut Value> {
    store.cases.iter_mut().find(|(m, c)| m == municipality && c["id"] == id).map(|(_, c)| c)
}

fn not_found(state: &AppState, id: &str) -> Response {
    if state.has(Fault::UndocumentedStatus) {
        return problem(StatusCode::GONE, "Gone", &format!("case {id} is gone"));
    }
    problem(StatusCode::NOT_FOUND, "Not Found", &format!("there is no case {id}"))
}

fn status_of(case: &Value) -> Value {
    json!({ "caseId": case["id"], "status": case["status"], "updated": case["updated"] })
}

/// The REST API profile's `api-info` resource (public).
async fn api_info(State(state): State<AppState>) -> Response {
    if state.has(Fault::NoApiInfo) {
        return problem(StatusCode::NOT_FOUND, "Not Found", "no such resource");
    }
    json_response(
        StatusCode::OK,
        &json!({
            "apiName": "case-intake",
            "apiVersion": "1.1.0",
            "apiDescription": "konform's reference implementation of case intake (ärendemottagning)",
            "specification": "case-intake@1.1.0",
        }),
    )
}

async fn submit_case(
    State(state): State<AppState>,
    Path(m): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    if let Err(r) = authorize(&state, &headers).and_then(|_| check_municipality(&m)) {
        return r;
    }
    let submission = match valid_body(&state, &body, "submitCase") {
        Ok(v) => v,
        Err(detail) => {
            if state.has(Fault::ServerErrorOnInvalidInput) {
                return problem(StatusCode::INTERNAL_SERVER_ERROR, "Internal Server Error", "unexpected input");
            }
            if !state.has(Fault::AcceptInvalidInput) {
                return problem(StatusCode::BAD_REQUEST, "Bad Request", &detail);
            }
            serde_json::from_slice(&body).unwrap_or(Value::Null)
        }
    };
    let empty_form = submission.get("formData").and_then(Value::as_object).is_some_and(|f| f.is_empty());
    if empty_form && state.has(Fault::ServerErrorOnValidInput) {
        return problem(StatusCode::INTERNAL_SERVER_ERROR, "Internal Server Error", "no form data");
    }
    let mut store = state.store.lock().unwrap_or_else(|e| e.into_inner());
    if let Some(ext) = submission.get("externalId").and_then(Value::as_str) {
        let key = (m.clone(), ext.to_string());
        if let Some(existing) = store.external_ids.get(&key) {
            if !state.has(Fault::AllowDuplicates) {
                return problem(
                    StatusCode::CONFLICT,
                    "Conflict",
                    &format!("a case with externalId {ext} exists: {existing}"),
                );
            }
        }
    }
    let id = uuid::Uuid::new_v4().to_string();
    let stamp = now();
    let attachments: Vec<Value> = submission
        .get("attachments")
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .map(|att| {
                    let mut att = att.clone();
                    att["id"] = json!(uuid::Uuid::new_v4().to_string());
                    att
                })
                .collect()
        })
        .unwrap_or_default();
    let mut case = json!({
        "id": id,
        "caseType": submission.get("caseType").cloned().unwrap_or(Value::Null),
        "applicant": submission.get("applicant").cloned().unwrap_or(Value::Null),
        "formData": submission.get("formData").cloned().unwrap_or(json!({})),
        "status": state.intake.received,
        "attachments": attachments,
        "supplements": [],
        "created": stamp,
        "updated": stamp,
    });
    if let Some(language) = submission.get("preferredLanguage") {
        case["preferredLanguage"] = language.clone();
    }
    if let Some(ext) = submission.get("externalId").and_then(Value::as_str) {
        case["externalId"] = json!(ext);
        store.external_ids.insert((m.clone(), ext.to_string()), id.clone());
    }
    store.cases.push((m.clone(), case.clone()));
    let mut response = json_response(StatusCode::CREATED, &case);
    if !state.has(Fault::NoLocationHeader) {
        let location = format!("{}/{m}/cases/{id}", state.intake.prefix);
        response
            .headers_mut()
            .insert(header::LOCATION, location.parse().expect("four digits and a UUID make a valid header value"));
    }
    response
}

async fn list_cases(
    State(state): State<AppState>,
    Path(m): Path<String>,
    Query(query): Query<HashMap<String, String>>,
    headers: HeaderMap,
) -> Response {
    if let Err(r) = authorize(&state, &headers).and_then(|_| check_municipality(&m)) {
        return r;
    }
    let int = |name: &str, default: i64| -> Result<i64, Response> {
        match query.get(name) {
            None => Ok(default),
            Some(v) => v
                .parse::<i64>()
                .map_err(|_| problem(StatusCode::BAD_REQUEST, "Bad Request", &format!("{name} must be an integer"))),
        }
    };
    let (page, limit) = match (int("page", 1), int("limit", 20)) {
        (Ok(p), Ok(l)) => (p, l),
        (Err(r), _) | (_, Err(r)) => return r,
    };
    if page < 1 || !(1..=100).contains(&limit) {
        return problem(StatusCode::BAD_REQUEST, "Bad Request", "page must be at least 1 and limit between 1 and 100");
    }
    let status = query.get("status");
    if let Some(s) = status {
        if !status_known(state.intake, s) {
            return problem(StatusCode::BAD_REQUEST, "Bad Request", "status is not one of the documented statuses");
        }
    }
    let store = state.store.lock().unwrap_or_else(|e| e.into_inner());
    let matching: Vec<&Value> = store
        .cases
        .iter()
        .filter(|(cm, c)| *cm == m && status.is_none_or(|s| c["status"] == **s))
        .map(|(_, c)| c)
        .collect();
    let total = matching.len() as i64;
    let limit = if state.has(Fault::IgnorePaging) { total.max(1) } else { limit };
    let page_items: Vec<Value> = matching
        .iter()
        .skip(((page - 1) * limit) as usize)
        .take(limit as usize)
        .map(|c| json!({ "id": c["id"], "caseType": c["caseType"], "status": c["status"], "created": c["created"] }))
        .collect();
    let total_pages = (total + limit - 1) / limit;
    let mut meta = json!({ "page": page, "limit": limit, "count": page_items.len(), "totalRecords": total, "totalPages": total_pages });
    if state.has(Fault::WrongType) {
        meta["totalRecords"] = json!(total.to_string());
    }
    let body = json!({ "cases": page_items, "_meta": meta });
    if state.has(Fault::ConnectionReset) {
        let text = body.to_string();
        let half = Bytes::from(text.as_bytes()[..text.len() / 2].to_vec());
        let chunks: Vec<Result<Bytes, std::io::Error>> =
            vec![Ok(half), Err(std::io::Error::new(std::io::ErrorKind::ConnectionReset, "reset by fault"))];
        return (
            StatusCode::OK,
            [(header::CONTENT_TYPE, "application/json")],
            Body::from_stream(futures_util::stream::iter(chunks)),
        )
            .into_response();
    }
    json_response(StatusCode::OK, &body)
}

async fn get_case(
    State(state): State<AppState>,
    Path((m, id)): Path<(String, String)>,
    headers: HeaderMap,
) -> Response {
    if let Err(r) = authorize(&state, &headers).and_then(|_| check_municipality(&m)) {
        return r;
    }
    let mut store = state.store.lock().unwrap_or_else(|e| e.into_inner());
    match find_case(&mut store, &m, &id) {
        Some(case) => json_response(StatusCode::OK, case),
        None => not_found(&state, &id),
    }
}

async fn get_status(
    State(state): State<AppState>,
    Path((m, id)): Path<(String, String)>,
    headers: HeaderMap,
) -> Response {
    if let Err(r) = authorize(&state, &headers).and_then(|_| check_municipality(&m)) {
        return r;
    }
    if state.has(Fault::Slow) {
        tokio::time::sleep(Duration::from_secs(5)).await;
    }
    let mut store = state.store.lock().unwrap_or_else(|e| e.into_inner());
    match find_case(&mut store, &m, &id) {
        Some(case) => {
            let mut status = status_of(case);
            if state.has(Fault::MissingField) {
                status.as_object_mut().expect("status_of makes an object").remove("updated");
            }
            json_response(StatusCode::OK, &status)
        }
        None => not_found(&state, &id),
    }
}

async fn submit_supplement(
    State(state): State<AppState>,
    Path((m, id)): Path<(String, String)>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    if let Err(r) = authorize(&state, &headers).and_then(|_| check_municipality(&m)) {
        return r;
    }
    let submission = match valid_body(&state, &body, "submitSupplement") {
        Ok(v) => v,
        Err(detail) => return problem(StatusCode::BAD_REQUEST, "Bad Request", &detail),
    };
    let mut store = state.store.lock().unwrap_or_else(|e| e.into_inner());
    let Some(case) = find_case(&mut store, &m, &id) else { return not_found(&state, &id) };
    if case["status"] == "WITHDRAWN" && !state.has(Fault::WithdrawnTakesSupplement) {
        return problem(StatusCode::CONFLICT, "Conflict", "the case is withdrawn and takes no supplements");
    }
    let stamp = now();
    let supplement = json!({
        "id": uuid::Uuid::new_v4().to_string(),
        "message": submission["message"],
        "attachments": submission.get("attachments").cloned().unwrap_or(json!([])),
        "created": stamp,
    });
    case["supplements"].as_array_mut().expect("a case is stored with a supplements array").push(supplement.clone());
    case["updated"] = json!(stamp);
    let status = if state.has(Fault::WrongStatus) { StatusCode::OK } else { StatusCode::CREATED };
    json_response(status, &supplement)
}

async fn withdraw(
    State(state): State<AppState>,
    Path((m, id)): Path<(String, String)>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    if let Err(r) = authorize(&state, &headers).and_then(|_| check_municipality(&m)) {
        return r;
    }
    if !body.is_empty() {
        if let Err(detail) = valid_body(&state, &body, "withdrawCase") {
            return problem(StatusCode::BAD_REQUEST, "Bad Request", &detail);
        }
    }
    let mut store = state.store.lock().unwrap_or_else(|e| e.into_inner());
    let Some(case) = find_case(&mut store, &m, &id) else { return not_found(&state, &id) };
    if case["status"] == "WITHDRAWN" {
        return problem(StatusCode::CONFLICT, "Conflict", "the case is already withdrawn");
    }
    case["status"] = json!("WITHDRAWN");
    case["updated"] = json!(now());
    let status = status_of(case);
    if state.has(Fault::InvalidJson) {
        let text = status.to_string();
        return (StatusCode::OK, [(header::CONTENT_TYPE, "application/json")], text[..text.len() - 3].to_string())
            .into_response();
    }
    json_response(StatusCode::OK, &status)
}
