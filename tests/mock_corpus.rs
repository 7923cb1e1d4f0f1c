//! The mock keeps its documents' promises, on real documents: for every OpenAPI document of
//! ../shared/corpus (INDEX.tsv) that loads, a mock of it answers a GET on each GET operation
//! (path, required query and header parameters generated from their schemas) with a
//! success response that passes konform's own automatic conformance checks
//! (`judge::auto::judge`, what `konform run` applies to every response).
//!
//! For speed the requests go to `mock::answer` in-process, without a socket (the HTTP layer
//! around it is tests/mock.rs's business), and at most `PER_DOCUMENT` GET operations of a
//! document are asked (spread over the document). Security is off (`Auth::Off`): this test
//! is about responses; tests/mock.rs covers the 401s.

mod common;

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Arc;

use axum::http::{HeaderMap, HeaderName, HeaderValue, Method};
use common::project_root;
use konform::catalogue::openapi::{ApiDoc, LoadOptions, Operation, ParamIn};
use konform::judge::{auto, Response};
use konform::mock::{self, Auth, Mock, MockRequest};
use konform::synth::{self, Direction};
use serde_json::Value;

const PER_DOCUMENT: usize = 40;

/// Operations whose documented success response no value can satisfy, so the mock answers
/// 500 "Cannot Generate" naming the schema (docs/mock.md lists them): each is the
/// document's defect, not the mock's.
const UNSATISFIABLE: [(&str, &str, &str); 4] = [
    (
        "apisguru/vercel.com.json",
        "getEdgeConfigItems",
        "EdgeConfigItemValue is `type: null` beside a oneOf none of whose branches accepts null",
    ),
    (
        "apisguru/vercel.com.json",
        "GET /v1/integrations/search-repo",
        "namespaceId is `type: null` beside a oneOf none of whose branches accepts null",
    ),
    (
        "sundsvall/integrations/messaging-settings-2.0__via-case-data.yaml",
        "getSenderInfoByNamespaceAndDepartmentName",
        "documents only errors; its 400 is a oneOf of Problem and ConstraintViolationProblem, which accept the same values",
    ),
    (
        "sundsvall/integrations/messaging-settings-2.0__via-support-management.yaml",
        "getSenderInfoByNamespaceAndDepartmentName",
        "the same document as above, as the support-management repository keeps it",
    ),
];

fn corpus_root() -> PathBuf {
    let root = project_root().join("../shared/corpus");
    assert!(
        root.join("INDEX.tsv").is_file(),
        "../shared/corpus is absent ({}): this test mocks the real descriptions kept beside the project",
        root.display()
    );
    root
}

/// A parameter's value as text (simple style: arrays joined with commas).
fn text(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s.clone()),
        Value::Array(a) => a.iter().map(text).collect::<Option<Vec<_>>>().map(|v| v.join(",")),
        Value::Object(_) => None,
        other => Some(other.to_string()),
    }
}

/// A request for a GET operation with generated parameters; `None` when a parameter cannot
/// be written in a URL this simply (objects) or generated at all.
fn request(api: &ApiDoc, mock: &Mock, op: &Operation, seed: u64) -> Result<MockRequest, String> {
    let mut path = op.path.clone();
    let mut query = HashMap::new();
    let mut headers = HeaderMap::new();
    for p in op.parameters.iter().filter(|p| p.required || p.location == ParamIn::Path) {
        let Some(schema) = &p.schema else { continue };
        let value = synth::value(api, schema, Direction::Request, seed).map_err(|e| format!("{e:?}"))?;
        let t = text(&value).ok_or_else(|| format!("parameter {} is an object", p.name))?;
        match p.location {
            ParamIn::Path => {
                let encoded = percent_encoding::utf8_percent_encode(&t, percent_encoding::NON_ALPHANUMERIC).to_string();
                path = path.replace(&format!("{{{}}}", p.name), &encoded);
            }
            ParamIn::Query => {
                query.insert(p.name.clone(), t);
            }
            ParamIn::Header => {
                let name = HeaderName::try_from(p.name.as_str()).map_err(|e| e.to_string())?;
                headers.insert(name, HeaderValue::try_from(t).map_err(|e| e.to_string())?);
            }
            ParamIn::Cookie => {}
        }
    }
    let path = format!("{}{path}", mock.base_path());
    Ok(MockRequest { method: Method::GET, path, query, headers, body: Default::default() })
}

/// Why an operation cannot be mocked conformingly because of its document, found by
/// looking: a path template naming a parameter the operation does not declare (its value
/// can never arrive), or a success response schema the validator cannot compile.
fn document_defect(api: &ApiDoc, op: &Operation) -> Option<String> {
    let mut rest = op.path.as_str();
    while let Some(open) = rest.find('{') {
        let close = open + rest[open..].find('}')?;
        let name = &rest[open + 1..close];
        if !op.parameters.iter().any(|p| p.location == ParamIn::Path && p.name == name) {
            return Some(format!("the path template names `{name}`, which the operation does not declare"));
        }
        rest = &rest[close + 1..];
    }
    let success = op.responses.iter().filter(|r| r.status.to_string().starts_with('2'));
    for media in success.flat_map(|r| &r.content) {
        if let Some(Err(e)) = media.schema.as_ref().map(|s| api.schemas.validator(s)) {
            return Some(e);
        }
    }
    None
}

#[derive(Default)]
struct Counts {
    documents: usize,
    not_loaded: usize,
    operations: usize,
    passed: usize,
    skipped: Vec<String>,
    failed: Vec<String>,
}

fn mock_document(root: &std::path::Path, file: &str, counts: &mut Counts) {
    let path = root.join(file);
    let Ok(api) = ApiDoc::load(&path, &LoadOptions { lenient: true, ..LoadOptions::default() }) else {
        counts.not_loaded += 1;
        return;
    };
    counts.documents += 1;
    let api = Arc::new(api);
    let mock = Mock::new(api.clone(), mock::Options { auth: Auth::Off, ..mock::Options::default() });
    let gets: Vec<&Operation> = api.operations.iter().filter(|op| op.method.eq_ignore_ascii_case("get")).collect();
    let step = gets.len().div_ceil(PER_DOCUMENT).max(1);
    for (i, op) in gets.iter().step_by(step).enumerate() {
        counts.operations += 1;
        if let Some(why) = document_defect(&api, op) {
            counts.skipped.push(format!("{file} {}: {why}", op.id));
            continue;
        }
        let req = match request(&api, &mock, op, i as u64) {
            Ok(r) => r,
            Err(e) => {
                counts.skipped.push(format!("{file} {}: {e}", op.id));
                continue;
            }
        };
        let answer = mock::answer(&mock, &req);
        let response = Response::new(answer.status, answer.headers.clone(), answer.body.clone().into());
        let failed: Vec<String> = auto::judge(&api, op, &response)
            .into_iter()
            .filter(|c| !c.passed)
            .map(|c| format!("{}: {}", c.name, c.said))
            .collect();
        let documents_success = op.responses.iter().any(|r| r.status.to_string().starts_with('2'));
        let expected_status = (200..300).contains(&answer.status) || !documents_success;
        if expected_status && failed.is_empty() {
            counts.passed += 1;
        } else if let Some((_, _, why)) = UNSATISFIABLE.iter().find(|(f, o, _)| *f == file && *o == op.id) {
            counts.skipped.push(format!("{file} {}: {why}", op.id));
        } else {
            let body = String::from_utf8_lossy(&answer.body);
            let body: String = body.chars().take(1500).collect();
            counts.failed.push(format!("{file} GET {} ({}) → {}: {failed:?} {body}", req.path, op.id, answer.status));
        }
    }
}

#[test]
fn corpus_a_mock_answers_every_get_operation_of_every_document_conformingly() {
    let root = corpus_root();
    let index = std::fs::read_to_string(root.join("INDEX.tsv")).unwrap();
    let mut counts = Counts::default();
    for line in index.lines().skip(1) {
        let cols: Vec<&str> = line.split('\t').collect();
        let (Some(file), Some(version)) = (cols.first(), cols.get(4)) else { continue };
        if !version.starts_with("OpenAPI 3") {
            continue;
        }
        mock_document(&root, file, &mut counts);
    }
    eprintln!(
        "mocked {} documents ({} did not load), {} GET operations: {} conforming, {} skipped, {} failed",
        counts.documents,
        counts.not_loaded,
        counts.operations,
        counts.passed,
        counts.skipped.len(),
        counts.failed.len()
    );
    for s in &counts.skipped {
        eprintln!("skipped: {s}");
    }
    assert!(counts.documents > 100, "the corpus has over a hundred OpenAPI 3 documents that load");
    assert!(counts.operations > 1000, "over a thousand GET operations are asked");
    assert!(counts.failed.is_empty(), "{} failures:\n{}", counts.failed.len(), counts.failed.join("\n"));
}
