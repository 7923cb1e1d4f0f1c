//! `--stateful`: what a POST creates can be read back, listed, updated and deleted.
//!
//! A *collection* is a path a POST operation is documented on (`/cases`) that also has
//! operations one segment below it (`/cases/{id}`). A POST to it stores the resource it
//! answers with (a generated body with the request's fields laid over it, each kept only if
//! the response still validates) under its `id` (the `id` property, else the first
//! `…Id`/`…_id` one, else a generated UUID) and points `Location` at it. Below a
//! collection, GET answers the stored resource, PUT replaces and PATCH merges into it
//! (a JSON merge of the body's properties), DELETE removes it, and an id never created gets
//! the documented 404. A GET of the collection lists what is stored, in the response's
//! array (or the first array property of its object) when the resources validate there.
//! Everything is in memory, per mock, lost when it stops; nothing else is related
//! (a resource of one collection is not seen in another, nested or not).

use std::collections::HashMap;

use axum::http::Method;
use serde_json::{Map, Value};

use super::{generate, route, MockResponse};
use crate::catalogue::openapi::index::Response as Documented;
use crate::catalogue::openapi::{ApiDoc, Operation, SchemaLoc};
use crate::model::{is_json_media, StatusKey};
use crate::synth;

/// What is escaped in a path segment: all but RFC 3986's unreserved characters.
const SEGMENT: &percent_encoding::AsciiSet =
    &percent_encoding::NON_ALPHANUMERIC.remove(b'-').remove(b'.').remove(b'_').remove(b'~');

#[derive(Default)]
pub struct Store {
    collections: HashMap<String, Vec<(String, Value)>>,
    /// How many resources were created: each create's values (its id first) are seeded
    /// with it too, so two creates of the same request make two resources, not one twice.
    created: u64,
}

#[allow(clippy::too_many_arguments)]
pub fn answer(
    store: &mut Store,
    api: &ApiDoc,
    op: &Operation,
    method: &Method,
    path: &str,
    body: Option<Value>,
    seed: u64,
    base: &str,
) -> Option<MockResponse> {
    let path = path.trim_end_matches('/');
    if is_collection(api, path) {
        return match *method {
            Method::POST => Some(create(store, api, op, path, body, seed, base)),
            Method::GET => list(store, api, op, path, seed),
            _ => None,
        };
    }
    let (parent, id) = path.rsplit_once('/')?;
    if !is_collection(api, parent) || !addresses_an_item(api, op, parent) {
        return None;
    }
    let id = percent_encoding::percent_decode_str(id).decode_utf8_lossy().into_owned();
    let items = store.collections.entry(parent.to_string()).or_default();
    let Some(at) = items.iter().position(|(i, _)| *i == id) else {
        // Only a documented 404: an operation that documents none is answered as without
        // `--stateful` (the mock never answers what the document does not allow).
        op.response_for(404)?;
        let errors = vec![format!("nothing was created at {path}")];
        return Some(generate::error(api, op, 404, &errors, seed));
    };
    match *method {
        Method::GET => Some(serve(api, op, &items[at].1, seed)),
        Method::DELETE => {
            items.remove(at);
            Some(generate::success(api, op, seed))
        }
        Method::PUT | Method::PATCH => {
            let resource = &mut items[at].1;
            if let (Some(Value::Object(changes)), Value::Object(stored)) = (body, &mut *resource) {
                if *method == Method::PUT {
                    let keep = id_key(stored).map(|k| (k.clone(), stored[&k].clone()));
                    stored.clear();
                    stored.extend(keep);
                }
                merge(stored, changes);
            }
            Some(serve(api, op, resource, seed))
        }
        _ => None,
    }
}

/// Whether `op` addresses one item of the collection at `parent`: its path is the
/// collection's POST path and one `{parameter}` (`/cases/{id}`), not a literal route beside
/// the items (`/cases/count`, `/messages/external`).
fn addresses_an_item(api: &ApiDoc, op: &Operation, parent: &str) -> bool {
    let Some((template, last)) = op.path.trim_end_matches('/').rsplit_once('/') else { return false };
    let is_parameter = last.starts_with('{') && last.ends_with('}');
    is_parameter && route::route(api, &Method::POST, parent).is_some_and(|(post, _)| post.path == template)
}

fn is_collection(api: &ApiDoc, path: &str) -> bool {
    route::route(api, &Method::POST, path).is_some()
        && !route::methods_of(api, &format!("{path}/konform-mock-id")).is_empty()
}

/// The first documented success response with a JSON schema, and that schema.
fn json_success(op: &Operation) -> Option<(&Documented, u16, SchemaLoc)> {
    let r = op
        .responses
        .iter()
        .filter(|r| {
            matches!(r.status, StatusKey::Code(c) if (200..300).contains(&c)) || r.status == StatusKey::Range(2)
        })
        .min_by_key(|r| r.status)?;
    let status = match r.status {
        StatusKey::Code(c) => c,
        _ => 200,
    };
    let schema = r.content.iter().find(|m| is_json_media(&m.media_type)).and_then(|m| m.schema.clone())?;
    Some((r, status, schema))
}

/// The operation's success response with `resource` as its body when it validates there.
fn serve(api: &ApiDoc, op: &Operation, resource: &Value, seed: u64) -> MockResponse {
    match json_success(op) {
        Some((r, status, schema)) if synth::is_valid(api, &schema, resource) => {
            generate::respond(api, r, status, seed, |v| *v = resource.clone())
        }
        _ => generate::success(api, op, seed),
    }
}

#[allow(clippy::too_many_arguments)]
fn create(
    store: &mut Store,
    api: &ApiDoc,
    op: &Operation,
    path: &str,
    body: Option<Value>,
    seed: u64,
    base: &str,
) -> MockResponse {
    store.created += 1;
    let seed = seed.wrapping_add(store.created.wrapping_mul(0x9E37_79B9_7F4A_7C15));
    let mut resource = match json_success(op) {
        Some((_, _, schema)) => match synth::value(api, &schema, synth::Direction::Response, seed) {
            Ok(mut v) => {
                if let Some(Value::Object(fields)) = &body {
                    for (k, given) in fields {
                        let before = v.get(k).cloned();
                        v[k] = given.clone();
                        if !synth::is_valid(api, &schema, &v) {
                            match before {
                                Some(b) => v[k] = b,
                                None => {
                                    v.as_object_mut().map(|o| o.remove(k));
                                }
                            }
                        }
                    }
                }
                v
            }
            Err(_) => return generate::success(api, op, seed),
        },
        None => body.unwrap_or(Value::Object(Map::new())),
    };
    // Its `id`, else a value of the path parameter that addresses the items, else another
    // `…Id` property (an answer without a body would otherwise be named by whatever `…Id`
    // the request happened to carry, such as an `externalCaseId`).
    let key = resource.as_object().and_then(id_key);
    let text = |k: &String| match &resource[k] {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    };
    let id = match key.filter(|k| k == "id") {
        Some(k) => text(&k),
        None => item_id(api, path, seed)
            .or_else(|| resource.as_object().and_then(id_key).map(|k| text(&k)))
            .unwrap_or_else(|| uuid_from(seed)),
    };
    let items = store.collections.entry(path.to_string()).or_default();
    items.retain(|(i, _)| *i != id);
    items.push((id.clone(), resource.clone()));
    let location = format!("{base}{path}/{}", percent_encoding::utf8_percent_encode(&id, SEGMENT));
    let out = match json_success(op) {
        Some((r, status, _)) => generate::respond(api, r, status, seed, |v| *v = std::mem::take(&mut resource)),
        None => generate::success(api, op, seed),
    };
    out.with_header("location", location)
}

/// The collection's resources in the list operation's response, where they validate.
fn list(store: &Store, api: &ApiDoc, op: &Operation, path: &str, seed: u64) -> Option<MockResponse> {
    let items: Vec<Value> = store.collections.get(path)?.iter().map(|(_, v)| v.clone()).collect();
    let (r, status, schema) = json_success(op)?;
    let generated = synth::value(api, &schema, synth::Direction::Response, seed).ok()?;
    let candidate = match &generated {
        Value::Array(_) => Some(Value::Array(items.clone())),
        Value::Object(o) => o.iter().find(|(_, v)| v.is_array()).map(|(k, _)| {
            let mut page = generated.clone();
            page[k] = Value::Array(items.clone());
            page
        }),
        _ => None,
    };
    let candidate = candidate.filter(|c| synth::is_valid(api, &schema, c))?;
    Some(generate::respond(api, r, status, seed, |v| *v = candidate))
}

/// An id for a resource whose answer names none: a value of the path parameter that
/// addresses the collection's items (`{errandId}`, an integer, say), so that the `Location`
/// it gets can be read back.
fn item_id(api: &ApiDoc, collection: &str, seed: u64) -> Option<String> {
    const MARK: &str = "konform-mock-id";
    let item = format!("{collection}/{MARK}");
    let method = route::methods_of(api, &item).into_iter().next()?;
    let (op, params) = route::route(api, &Method::from_bytes(method.as_bytes()).ok()?, &item)?;
    let name = params.iter().find(|(_, v)| v.as_str() == MARK).map(|(k, _)| k)?;
    let schema = op.parameter(crate::catalogue::openapi::index::ParamIn::Path, name)?.schema.as_ref()?;
    let value = synth::value(api, schema, synth::Direction::Request, seed).ok()?;
    let text = crate::generate::params::text(&value);
    (!text.is_empty() && !text.contains('/')).then_some(text)
}

/// The property that names a resource: `id`, else the first `…Id` or `…_id`.
fn id_key(resource: &Map<String, Value>) -> Option<String> {
    let usable = |v: &Value| v.is_string() || v.is_number();
    if resource.get("id").is_some_and(usable) {
        return Some("id".into());
    }
    resource.iter().find(|(k, v)| (k.ends_with("Id") || k.ends_with("_id")) && usable(v)).map(|(k, _)| k.clone())
}

fn merge(into: &mut Map<String, Value>, changes: Map<String, Value>) {
    for (k, v) in changes {
        match (into.get_mut(&k), v) {
            (_, Value::Null) => {
                into.remove(&k);
            }
            (Some(Value::Object(inner)), Value::Object(more)) => merge(inner, more),
            (_, v) => {
                into.insert(k, v);
            }
        }
    }
}

fn uuid_from(seed: u64) -> String {
    let mut bytes = [0u8; 16];
    bytes[..8].copy_from_slice(&seed.to_le_bytes());
    bytes[8..].copy_from_slice(&seed.rotate_left(29).to_le_bytes());
    uuid::Builder::from_random_bytes(bytes).into_uuid().to_string()
}
