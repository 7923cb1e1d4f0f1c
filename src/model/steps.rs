//! What a step produced (its verdict, checks and evidence), and the steps of a scenario:
//! in memory, or kept by a store outside the model (a run's spool on disk) and read back
//! through a handle. The model knows the handle, not the store.

use std::borrow::Cow;
use std::fmt;
use std::io;
use std::sync::Arc;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::messages::Msg;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    Pass,
    Fail,
    /// The check could not be made: network error, timeout, unreadable response.
    Error,
    /// Not run: a variable it needs was not captured, a setup step before it failed, or
    /// the run stopped first.
    Skipped,
    /// Scenarios only: a setup step (a precondition) failed, so the steps whose
    /// expectations are the point were not judged.
    Blocked,
}

/// Where a check came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum CheckKind {
    /// Automatic conformance against the OpenAPI document.
    Openapi,
    /// An expectation written in the suite.
    Expect,
    /// A capture written in the suite.
    Capture,
    /// A live rule of a profile (the Swedish REST API profile).
    Profile,
    /// A check generated from the OpenAPI document (`--generate`).
    Generated,
}

#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct Check {
    /// A stable name: `status-documented`, `content-type-documented`, `body-schema`,
    /// `required-headers`, `status`, `header Location`, `body $.id`, `capture caseId`.
    pub name: String,
    pub kind: CheckKind,
    pub passed: bool,
    /// What was found, as data: rendered in the report's language only when shown. Written
    /// as `message`, `expected` and `actual` in English, and `message_data`.
    #[serde(flatten, with = "crate::messages::wire::check")]
    #[schemars(with = "crate::messages::wire::check::Members")]
    pub said: Msg,
    /// Where the expectation is written in the suite (suite checks only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub location: Option<Place>,
    /// The OpenAPI schema a body was checked against (`#/components/schemas/Case`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pointer: Option<String>,
    /// The one requirement this expectation is made by (`expect.per_requirement`): when it
    /// fails, that requirement fails and the scenario's others do not. Absent otherwise.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub requirement: Option<String>,
}

/// A place in a suite file: `file:line:column` (just `file` when the line is not known).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Place {
    /// The file as the catalogue names it.
    pub file: String,
    /// Line and column, from 1.
    pub at: Option<(usize, usize)>,
}

impl Place {
    pub fn new(file: &str, line: usize, column: usize) -> Place {
        Place { file: file.to_string(), at: Some((line, column)) }
    }
}

impl fmt::Display for Place {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.at {
            Some((line, column)) => write!(f, "{}:{line}:{column}", self.file),
            None => f.write_str(&self.file),
        }
    }
}

impl std::str::FromStr for Place {
    type Err = std::convert::Infallible;
    fn from_str(s: &str) -> Result<Place, Self::Err> {
        let mut parts = s.rsplitn(3, ':');
        let (column, line, file) = (parts.next(), parts.next(), parts.next());
        if let (Some(c), Some(l), Some(file)) = (column, line, file) {
            if let (Ok(line), Ok(column)) = (l.parse(), c.parse()) {
                return Ok(Place { file: file.to_string(), at: Some((line, column)) });
            }
        }
        Ok(Place { file: s.to_string(), at: None })
    }
}

impl From<&str> for Place {
    fn from(s: &str) -> Place {
        s.parse().unwrap_or_default()
    }
}

impl Serialize for Place {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Place {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Place, D::Error> {
        let text = Cow::<str>::deserialize(d)?;
        Ok(text.parse().unwrap_or_default())
    }
}

impl JsonSchema for Place {
    fn schema_name() -> Cow<'static, str> {
        "Place".into()
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({ "type": "string", "description": "file:line:column in the suite" })
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct Body {
    /// The body as text (lossy UTF-8), truncated at the evidence limit.
    pub text: String,
    /// The real size in bytes.
    pub size: u64,
    pub truncated: bool,
}

#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct Timings {
    /// From sending the request to the last byte of the response.
    pub total_ms: f64,
}

/// One request and its response, as evidence.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct Exchange {
    pub method: String,
    pub url: String,
    pub request_headers: Vec<(String, String)>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub request_body: Option<Body>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<u16>,
    pub response_headers: Vec<(String, String)>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub response_body: Option<Body>,
    pub timings: Timings,
    /// Attempts made (more than 1 when a connection failure was retried).
    pub attempts: u32,
    /// A command that reproduces the request, with secrets as `$KONFORM_...` placeholders.
    pub curl: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct StepResult {
    pub name: String,
    pub operation: String,
    pub verdict: Verdict,
    /// Why the step did not pass (or was skipped), as data. Written as `reason` in English,
    /// and `reason_data`.
    #[serde(flatten, with = "crate::messages::wire::reason")]
    #[schemars(with = "crate::messages::wire::reason::Members")]
    pub reason: Option<Msg>,
    pub cleanup: bool,
    /// A setup step: it prepares what the scenario's point needs. When it fails, the
    /// scenario is `blocked`, not failed (absent when false).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub setup: bool,
    /// Where the step is written in its suite.
    pub location: Place,
    pub checks: Vec<Check>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub exchange: Option<Exchange>,
}

/// How many steps a scenario had, by verdict.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Tally {
    pub steps: usize,
    pub passed: usize,
    pub failed: usize,
    pub error: usize,
    pub skipped: usize,
}

impl Tally {
    pub fn of(steps: &[StepResult]) -> Tally {
        let mut t = Tally { steps: steps.len(), ..Tally::default() };
        for s in steps {
            match s.verdict {
                Verdict::Pass => t.passed += 1,
                Verdict::Fail => t.failed += 1,
                Verdict::Error => t.error += 1,
                Verdict::Skipped | Verdict::Blocked => t.skipped += 1,
            }
        }
        t
    }
}

/// Where steps kept outside memory are read back from.
pub trait StepStore: Send + Sync + fmt::Debug {
    /// The record stored under `key`: compact JSON (a list of [`StepResult`], or a stored
    /// scenario's record: see [`super::scenarios`]).
    fn read(&self, key: u64) -> io::Result<Vec<u8>>;
}

/// A handle to steps kept by a [`StepStore`].
#[derive(Debug, Clone)]
pub struct StoredSteps {
    store: Arc<dyn StepStore>,
    key: u64,
    tally: Tally,
}

impl StoredSteps {
    pub fn new(store: Arc<dyn StepStore>, key: u64, tally: Tally) -> StoredSteps {
        StoredSteps { store, key, tally }
    }

    /// The steps' key in their store.
    pub fn key(&self) -> u64 {
        self.key
    }

    pub fn tally(&self) -> Tally {
        self.tally
    }

    fn read(&self) -> io::Result<Vec<u8>> {
        read_back(&*self.store, self.key)
    }
}

/// A record of `store` read back, its error saying what failed (steps and stored scenarios).
pub(crate) fn read_back(store: &dyn StepStore, key: u64) -> io::Result<Vec<u8>> {
    store.read(key).map_err(|e| {
        io::Error::new(e.kind(), format!("cannot read the run's evidence back from its temporary file: {e}"))
    })
}

/// The steps of a scenario: in memory (a report read back, the profile's probes) or
/// stored outside it (a run's scenarios). Serialises as a plain list either way.
#[derive(Debug, Clone)]
pub enum Steps {
    Inline(Vec<StepResult>),
    Stored(StoredSteps),
}

impl Default for Steps {
    fn default() -> Self {
        Steps::Inline(Vec::new())
    }
}

impl From<Vec<StepResult>> for Steps {
    fn from(steps: Vec<StepResult>) -> Self {
        Steps::Inline(steps)
    }
}

impl Steps {
    pub fn len(&self) -> usize {
        self.tally().steps
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    pub fn tally(&self) -> Tally {
        match self {
            Steps::Inline(steps) => Tally::of(steps),
            Steps::Stored(s) => s.tally,
        }
    }

    /// The stored JSON text of the steps (a list of [`StepResult`]), for a renderer that
    /// reads only some fields and can skip the rest while parsing; `None` when in memory.
    pub fn stored_json(&self) -> io::Result<Option<Vec<u8>>> {
        match self {
            Steps::Inline(_) => Ok(None),
            Steps::Stored(s) => s.read().map(Some),
        }
    }

    /// The steps, read back from their store if they were stored.
    pub fn load(&self) -> io::Result<Cow<'_, [StepResult]>> {
        match self {
            Steps::Inline(steps) => Ok(Cow::Borrowed(steps)),
            Steps::Stored(s) => {
                let bytes = s.read()?;
                serde_json::from_slice(&bytes).map(Cow::Owned).map_err(io::Error::other)
            }
        }
    }
}

impl Serialize for Steps {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Steps::Inline(steps) => steps.serialize(serializer),
            // Passed on as stored (a RawValue): the JSON report writer lays it out in place,
            // and anywhere else it is the same value (serde_json reads a RawValue into a Value).
            Steps::Stored(s) => {
                let text = s.read().and_then(|b| String::from_utf8(b).map_err(io::Error::other));
                let text = text.map_err(serde::ser::Error::custom)?;
                let raw = serde_json::value::RawValue::from_string(text).map_err(serde::ser::Error::custom)?;
                raw.serialize(serializer)
            }
        }
    }
}

impl<'de> Deserialize<'de> for Steps {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Vec::<StepResult>::deserialize(deserializer).map(Steps::Inline)
    }
}
