//! The reference vendor's data export: every record it holds for a municipality (cases,
//! building-permit applications, messages) and two archived records, so that change
//! tracking can be observed even before anything else was stored.

use std::collections::{BTreeMap, HashMap};
use std::time::SystemTime;

use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use axum::routing::get;
use axum::Router;
use serde_json::{json, Value};

use super::{authorize_with, check_municipality, json_response, now, problem, AppState, Fault};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/{municipality}/export/records", get(records))
        .route("/{municipality}/export/records/{id}", get(record))
        .route("/{municipality}/export/manifest", get(manifest))
}

fn guard(state: &AppState, headers: &HeaderMap, m: &str) -> Result<(), Response> {
    authorize_with(state, headers, false).and_then(|_| check_municipality(m))
}

fn parse_time(s: &str) -> Option<SystemTime> {
    humantime::parse_rfc3339_weak(s.trim_end_matches(['Z', 'z'])).ok()
}

/// Every record of a municipality: (resource type, id, updated, data).
fn all_records(state: &AppState, m: &str) -> Vec<Value> {
    let mut out = vec![
        json!({ "resourceType": "archived-case", "id": format!("archive-{m}-1"), "updated": "2025-06-01T08:00:00.000Z", "data": { "caseType": "OTHER", "status": "DECIDED" } }),
        json!({ "resourceType": "archived-case", "id": format!("archive-{m}-2"), "updated": "2025-09-15T12:30:00.000Z", "data": { "caseType": "COMPLAINT", "status": "DECIDED" } }),
    ];
    let record = |kind: &str, id: &Value, updated: &Value, data: &Value| json!({ "resourceType": kind, "id": id, "updated": updated, "data": data });
    {
        let store = state.store.lock().unwrap_or_else(|e| e.into_inner());
        out.extend(
            store.cases.iter().filter(|(cm, _)| cm == m).map(|(_, c)| record("case", &c["id"], &c["updated"], c)),
        );
    }
    {
        let store = state.permits.lock().unwrap_or_else(|e| e.into_inner());
        out.extend(store.all(m).map(|a| record("building-permit-application", &a["id"], &a["created"], a)));
    }
    {
        let store = state.messages.lock().unwrap_or_else(|e| e.into_inner());
        out.extend(store.all(m).map(|msg| record("message", &msg["messageId"], &msg["updated"], msg)));
    }
    out
}

async fn records(
    State(state): State<AppState>,
    Path(m): Path<String>,
    Query(query): Query<HashMap<String, String>>,
    headers: HeaderMap,
) -> Response {
    if let Err(r) = guard(&state, &headers, &m) {
        return r;
    }
    let int = |name: &str, default: i64| query.get(name).map_or(Some(default), |v| v.parse::<i64>().ok());
    let (Some(page), Some(limit)) = (int("page", 1), int("limit", 20)) else {
        return problem(StatusCode::BAD_REQUEST, "Bad Request", "page and limit must be integers");
    };
    if page < 1 || !(1..=1000).contains(&limit) {
        return problem(StatusCode::BAD_REQUEST, "Bad Request", "page must be at least 1 and limit between 1 and 1000");
    }
    let since = match query.get("since") {
        None => None,
        Some(s) => match parse_time(s) {
            Some(t) => Some(t),
            None if state.has(Fault::ExpBadSinceAccepted) => None,
            None => {
                return problem(
                    StatusCode::BAD_REQUEST,
                    "Bad Request",
                    &format!("since `{s}` is not an RFC 3339 date-time"),
                )
            }
        },
    };
    let mut all = all_records(&state, &m);
    if let (Some(since), false) = (since, state.has(Fault::ExpIgnoresSince)) {
        all.retain(|r| r["updated"].as_str().and_then(parse_time).is_some_and(|t| t >= since));
    }
    let total = all.len() as i64;
    let items: Vec<Value> = all.into_iter().skip(((page - 1) * limit) as usize).take(limit as usize).collect();
    let body = json!({
        "records": items,
        "exportedAt": now(),
        "_meta": { "page": page, "limit": limit, "count": items.len(), "totalRecords": total, "totalPages": (total + limit - 1) / limit },
    });
    json_response(StatusCode::OK, &body)
}

async fn record(State(state): State<AppState>, Path((m, id)): Path<(String, String)>, headers: HeaderMap) -> Response {
    if let Err(r) = guard(&state, &headers, &m) {
        return r;
    }
    match all_records(&state, &m).into_iter().find(|r| r["id"] == id.as_str()) {
        Some(r) => json_response(StatusCode::OK, &r),
        None => problem(StatusCode::NOT_FOUND, "Not Found", &format!("there is no record {id}")),
    }
}

async fn manifest(State(state): State<AppState>, Path(m): Path<String>, headers: HeaderMap) -> Response {
    if let Err(r) = guard(&state, &headers, &m) {
        return r;
    }
    let mut counts: BTreeMap<String, usize> = BTreeMap::new();
    for r in all_records(&state, &m) {
        *counts.entry(r["resourceType"].as_str().unwrap_or("").to_string()).or_default() += 1;
    }
    let resources: Vec<Value> = counts
        .into_iter()
        .map(|(kind, count)| {
            let count = if state.has(Fault::ExpManifestWrongType) { json!(count.to_string()) } else { json!(count) };
            json!({ "resourceType": kind, "count": count })
        })
        .collect();
    json_response(StatusCode::OK, &json!({ "exportedAt": now(), "resources": resources }))
}
