//! Judging: pure functions from what came back to checks and verdicts. No I/O.

pub mod auto;
pub mod expect;
pub mod generated;
pub mod profile;
pub mod verdict;

use serde_json::Value;

use crate::messages::JsonProblem;

/// A response as the judge sees it.
#[derive(Debug, Clone)]
pub struct Response {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: bytes::Bytes,
    /// The body parsed as JSON on first use: the schema check, captures and expectations
    /// all read it, and parsing is the costly part.
    parsed: std::sync::OnceLock<Result<Value, JsonProblem>>,
}

impl Response {
    pub fn new(status: u16, headers: Vec<(String, String)>, body: bytes::Bytes) -> Response {
        Response { status, headers, body, parsed: std::sync::OnceLock::new() }
    }

    /// The first value of a header (names compare case-insensitively).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }

    /// The media type without parameters, lower-cased.
    pub fn media_type(&self) -> Option<String> {
        self.header("content-type").map(crate::model::media_type_of)
    }

    /// The body parsed as JSON, or why it is not JSON.
    pub fn json(&self) -> Result<&Value, &JsonProblem> {
        self.parsed.get_or_init(|| parse_json(&self.body)).as_ref()
    }
}

fn parse_json(body: &[u8]) -> Result<Value, JsonProblem> {
    if body.is_empty() {
        return Err(JsonProblem::Empty);
    }
    let text = std::str::from_utf8(body).map_err(|e| JsonProblem::NotUtf8 { at: e.valid_up_to() })?;
    serde_json::from_str(text).map_err(|e| JsonProblem::NotJson {
        line: e.line(),
        column: e.column(),
        detail: e.to_string(),
    })
}
