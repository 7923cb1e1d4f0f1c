//! The reference vendor's building-permit (bygglov) implementation.

use std::sync::{Arc, Mutex, OnceLock};

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use axum::routing::{get, post};
use axum::Router;
use serde_json::{json, Value};

use super::{authorize_with, check_municipality, json_response, now, problem, AppState, Fault};
use crate::catalogue::openapi::ApiDoc;

fn api() -> &'static ApiDoc {
    static API: OnceLock<ApiDoc> = OnceLock::new();
    API.get_or_init(|| super::load_built_in("building-permit/1.0.0/openapi.yaml"))
}

fn validate(body: &Bytes, operation: &str) -> Result<Value, String> {
    super::validate_against(api(), body, operation)
}

#[derive(Default)]
pub struct Store {
    applications: Vec<(String, Value)>,
}

impl Store {
    /// A municipality's applications.
    pub fn all<'a>(&'a self, m: &'a str) -> impl Iterator<Item = &'a Value> + 'a {
        self.applications.iter().filter(move |(am, _)| am == m).map(|(_, a)| a)
    }
}

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/{municipality}/applications", post(submit))
        .route("/{municipality}/applications/{id}", get(read))
        .route("/{municipality}/applications/{id}/review", get(review))
        .route("/{municipality}/applications/{id}/supplement-requests", post(request_supplement))
        .route("/{municipality}/applications/{id}/documents", post(add_documents))
        .route("/{municipality}/applications/{id}/decision", get(decision))
}

fn store(state: &AppState) -> std::sync::MutexGuard<'_, Store> {
    state.permits.lock().unwrap_or_else(|e| e.into_inner())
}

fn find<'a>(store: &'a mut Store, m: &str, id: &str) -> Option<&'a mut Value> {
    store.applications.iter_mut().find(|(am, a)| am == m && a["id"] == id).map(|(_, a)| a)
}

fn not_found(id: &str) -> Response {
    problem(StatusCode::NOT_FOUND, "Not Found", &format!("there is no application {id}"))
}

fn guard(state: &AppState, headers: &HeaderMap, m: &str) -> Result<(), Response> {
    authorize_with(state, headers, false).and_then(|_| check_municipality(m))
}

fn with_ids(documents: Option<&Value>) -> Vec<Value> {
    documents
        .and_then(Value::as_array)
        .map(|docs| {
            docs.iter()
                .map(|d| {
                    let mut d = d.clone();
                    d["id"] = json!(uuid::Uuid::new_v4().to_string());
                    d
                })
                .collect()
        })
        .unwrap_or_default()
}

async fn submit(State(state): State<AppState>, Path(m): Path<String>, headers: HeaderMap, body: Bytes) -> Response {
    if let Err(r) = guard(&state, &headers, &m) {
        return r;
    }
    let submission = match validate(&body, "submitApplication") {
        Ok(v) => v,
        Err(detail) => {
            let only_designation = detail.contains("propertyDesignation") || detail.contains("does not match");
            if !(state.has(Fault::PermitAcceptsBadDesignation) && only_designation) {
                return problem(StatusCode::BAD_REQUEST, "Bad Request", &detail);
            }
            serde_json::from_slice(&body).unwrap_or(Value::Null)
        }
    };
    let application = json!({
        "id": uuid::Uuid::new_v4().to_string(),
        "propertyDesignation": submission["propertyDesignation"],
        "applicant": submission["applicant"],
        "measures": submission["measures"],
        "description": submission.get("description").cloned().unwrap_or(json!("")),
        "documents": with_ids(submission.get("documents")),
        "status": "RECEIVED",
        "created": now(),
    });
    store(&state).applications.push((m, application.clone()));
    let mut answered = application;
    if state.has(Fault::PermitNullDescription) {
        answered["description"] = Value::Null;
    }
    json_response(StatusCode::CREATED, &answered)
}

async fn read(State(state): State<AppState>, Path((m, id)): Path<(String, String)>, headers: HeaderMap) -> Response {
    if let Err(r) = guard(&state, &headers, &m) {
        return r;
    }
    match find(&mut store(&state), &m, &id) {
        Some(a) => json_response(StatusCode::OK, a),
        None => not_found(&id),
    }
}

/// The document types an application still lacks.
fn missing(application: &Value) -> Vec<&'static str> {
    let has = |t: &str| application["documents"].as_array().is_some_and(|d| d.iter().any(|x| x["type"] == t));
    let new_building = application["measures"].as_array().is_some_and(|m| m.iter().any(|x| x == "NEW_BUILDING"));
    let mut out = Vec::new();
    for (t, needed) in [("SITE_PLAN", true), ("FLOOR_PLAN", true), ("FACADE_DRAWING", new_building)] {
        if needed && !has(t) {
            out.push(t);
        }
    }
    out
}

async fn review(State(state): State<AppState>, Path((m, id)): Path<(String, String)>, headers: HeaderMap) -> Response {
    if let Err(r) = guard(&state, &headers, &m) {
        return r;
    }
    let mut store = store(&state);
    let Some(a) = find(&mut store, &m, &id) else { return not_found(&id) };
    let lacking = if state.has(Fault::PermitReviewAlwaysComplete) { Vec::new() } else { missing(a) };
    json_response(
        StatusCode::OK,
        &json!({ "applicationId": id, "complete": lacking.is_empty(), "missingDocuments": lacking }),
    )
}

async fn request_supplement(
    State(state): State<AppState>,
    Path((m, id)): Path<(String, String)>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    if let Err(r) = guard(&state, &headers, &m) {
        return r;
    }
    let submission = match validate(&body, "requestSupplement") {
        Ok(v) => v,
        Err(detail) => return problem(StatusCode::BAD_REQUEST, "Bad Request", &detail),
    };
    let mut store = store(&state);
    let Some(a) = find(&mut store, &m, &id) else { return not_found(&id) };
    if !state.has(Fault::PermitSupplementKeepsStatus) {
        a["status"] = json!("SUPPLEMENT_REQUESTED");
    }
    let mut request = json!({
        "id": uuid::Uuid::new_v4().to_string(),
        "message": submission["message"],
        "documentTypes": submission["documentTypes"],
        "created": now(),
    });
    if let Some(due) = submission.get("dueDate") {
        request["dueDate"] = due.clone();
    }
    json_response(StatusCode::CREATED, &request)
}

async fn add_documents(
    State(state): State<AppState>,
    Path((m, id)): Path<(String, String)>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    if let Err(r) = guard(&state, &headers, &m) {
        return r;
    }
    let documents = match validate(&body, "addDocuments") {
        Ok(v) => v,
        Err(detail) => return problem(StatusCode::BAD_REQUEST, "Bad Request", &detail),
    };
    let mut store = store(&state);
    let Some(a) = find(&mut store, &m, &id) else { return not_found(&id) };
    let added = with_ids(Some(&documents));
    a["documents"].as_array_mut().expect("an application's documents are stored as an array").extend(added);
    // The case-handling process: documents that complete a requested supplement move the
    // application on to review; other documents leave it where it is.
    if a["status"] == "SUPPLEMENT_REQUESTED" && missing(a).is_empty() {
        a["status"] = json!("UNDER_REVIEW");
    }
    json_response(StatusCode::CREATED, a)
}

async fn decision(
    State(state): State<AppState>,
    Path((m, id)): Path<(String, String)>,
    headers: HeaderMap,
) -> Response {
    if let Err(r) = guard(&state, &headers, &m) {
        return r;
    }
    match find(&mut store(&state), &m, &id) {
        Some(_) => {
            json_response(StatusCode::OK, &json!({ "applicationId": id, "status": "PENDING", "decidedAt": null }))
        }
        None => not_found(&id),
    }
}

pub type Shared = Arc<Mutex<Store>>;
