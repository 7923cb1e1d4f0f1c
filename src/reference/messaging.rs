//! The reference vendor's messaging implementation: messages are "delivered" at once.

use std::collections::HashMap;
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
    API.get_or_init(|| super::load_built_in("messaging/1.0.0/openapi.yaml"))
}

#[derive(Default)]
pub struct Store {
    messages: Vec<(String, Value)>,
    /// (municipality, idempotency key) -> message id
    keys: HashMap<(String, String), String>,
}

impl Store {
    /// A municipality's messages.
    pub fn all<'a>(&'a self, m: &'a str) -> impl Iterator<Item = &'a Value> + 'a {
        self.messages.iter().filter(move |(mm, _)| mm == m).map(|(_, msg)| msg)
    }
}

pub type Shared = Arc<Mutex<Store>>;

pub fn routes() -> Router<AppState> {
    Router::new().route("/{municipality}/messages", post(send)).route("/{municipality}/messages/{id}", get(status))
}

fn guard(state: &AppState, headers: &HeaderMap, m: &str) -> Result<(), Response> {
    authorize_with(state, headers, false).and_then(|_| check_municipality(m))
}

async fn send(State(state): State<AppState>, Path(m): Path<String>, headers: HeaderMap, body: Bytes) -> Response {
    if let Err(r) = guard(&state, &headers, &m) {
        return r;
    }
    let key = headers.get("idempotency-key").and_then(|v| v.to_str().ok()).map(str::to_string);
    if key.as_ref().is_none_or(|k| k.len() < 8 || k.len() > 128) && !state.has(Fault::MsgAcceptMissingKey) {
        return problem(
            StatusCode::BAD_REQUEST,
            "Bad Request",
            "an Idempotency-Key header of 8 to 128 characters is required",
        );
    }
    let submission = match super::validate_against(api(), &body, "sendMessage") {
        Ok(v) => v,
        Err(detail) => return problem(StatusCode::BAD_REQUEST, "Bad Request", &detail),
    };
    let mut store = state.messages.lock().unwrap_or_else(|e| e.into_inner());
    if let Some(key) = &key {
        if !state.has(Fault::MsgIgnoreIdempotency) {
            if let Some(id) = store.keys.get(&(m.clone(), key.clone())).cloned() {
                let first =
                    store.messages.iter().find(|(_, msg)| msg["messageId"] == id.as_str()).map(|(_, msg)| msg.clone());
                if let Some(first) = first {
                    return json_response(StatusCode::ACCEPTED, &first);
                }
            }
        }
    }
    let id = uuid::Uuid::new_v4().to_string();
    let message = json!({ "messageId": id, "channel": submission["channel"], "status": "QUEUED", "updated": now() });
    if let Some(key) = key {
        store.keys.insert((m.clone(), key), id);
    }
    store.messages.push((m, message.clone()));
    json_response(StatusCode::ACCEPTED, &message)
}

async fn status(State(state): State<AppState>, Path((m, id)): Path<(String, String)>, headers: HeaderMap) -> Response {
    if let Err(r) = guard(&state, &headers, &m) {
        return r;
    }
    let store = state.messages.lock().unwrap_or_else(|e| e.into_inner());
    match store.messages.iter().find(|(mm, msg)| *mm == m && msg["messageId"] == id.as_str()) {
        Some((_, msg)) => {
            let mut msg = msg.clone();
            msg["status"] = json!(if state.has(Fault::MsgStatusLowercase) { "delivered" } else { "DELIVERED" });
            json_response(StatusCode::OK, &msg)
        }
        None => problem(StatusCode::NOT_FOUND, "Not Found", &format!("there is no message {id}")),
    }
}
