//! The message catalogue: every text konform itself shows a person, in each language. What
//! judging and exec produce is data (a [`Msg`]: a key with typed arguments); text is made
//! only when something is rendered, in the report's language, from one file per language
//! ([`en`], [`sv`]). Both match every message exhaustively, so a message cannot exist in one
//! language only. (Texts a catalogue supplies, such as requirement titles and the step
//! names written in suites, are data and come in the catalogue's own words.)

pub mod change;
mod en;
pub mod lang;
pub mod lint;
pub mod model;
pub mod preflight;
pub mod process;
pub mod register;
mod sv;
mod text;
pub mod wire;

use std::fmt;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

pub use change::{ChangeClass, ChangeKind, ChangePlace, ChangeWords, DiffNote, DiffText};
pub use lang::{Lang, Level, Localized};
pub use lint::{LintMsg, LintText};
pub use model::ModelText;
pub use preflight::{Credential, Misconfigured, Probe, TlsProblem, Unreachable};
pub use process::ProcessText;
pub use register::{Refusal, Reg};
pub use text::{Broken, Note, Seal, Standing, Text, Unused};

/// A message as rendered in one language: one line saying what was found, and what was
/// expected and what was there, where the message has them.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Rendered {
    pub message: String,
    pub expected: Option<String>,
    pub actual: Option<String>,
}

/// What konform says about a check or a step, as data. Serialised as
/// `{"key": "status-unexpected", "args": {...}}`; the keys are stable.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(tag = "key", content = "args", rename_all = "kebab-case")]
pub enum Msg {
    // The automatic checks against the OpenAPI document.
    StatusDocumented {
        status: u16,
        documented_as: String,
    },
    StatusUndocumented {
        status: u16,
        operation: String,
        documented: Vec<String>,
    },
    ContentTypeDocumented {
        media_type: String,
    },
    /// `content_type` is `None` when a response with a body had no Content-Type.
    ContentTypeUndocumented {
        status: u16,
        content_type: Option<String>,
        documented: Vec<String>,
    },
    /// A response for which the document lists only JSON media types arrived with no body.
    BodyMissing {
        status: u16,
        documented: Vec<String>,
    },
    /// A response the document gives no content arrived with a body of `size` bytes
    /// (`content_type` is `None` when it had no Content-Type).
    BodyUndocumented {
        status: u16,
        size: usize,
        content_type: Option<String>,
    },
    BodyNotJson {
        problem: JsonProblem,
        body: String,
    },
    SchemaUnusable {
        detail: String,
    },
    BodyValid,
    /// The first violation of the response schema: where (`at`, a JSON pointer), the schema
    /// keyword and what it asked for, the validator's own (English) words (`detail`), how
    /// many more, the schema and the value.
    BodyInvalid {
        at: String,
        keyword: String,
        /// What the keyword asked for (the missing property, the type, the limit).
        wanted: Option<String>,
        detail: String,
        more: usize,
        schema: String,
        value: Option<String>,
    },
    HeadersValid,
    HeadersInvalid {
        missing: Vec<String>,
        invalid: Vec<NamedValue>,
    },

    // The suite's expectations and captures.
    StatusAsExpected {
        status: u16,
        allowed: Vec<String>,
    },
    StatusUnexpected {
        status: u16,
        allowed: Vec<String>,
    },
    Captured {
        name: String,
        value: String,
    },
    CaptureFailed {
        name: String,
        from: CaptureFrom,
        problem: CaptureProblem,
    },
    /// A header or body expectation: every operator, the failed ones, and what was there
    /// (`missing` says why there was no value, when the body was not JSON).
    Assertion {
        subject: Subject,
        expected: Vec<Expectation>,
        failures: Vec<OpFailure>,
        value: Option<String>,
        missing: Option<JsonProblem>,
    },

    // The passive rules of a profile, judged on the run's responses.
    ErrorNotProblemJson {
        method: String,
        url: String,
        status: u16,
        content_type: Option<String>,
    },
    ProblemNotObject {
        method: String,
        url: String,
    },
    ProblemWithoutTitle {
        method: String,
        url: String,
    },
    ProblemStatusDiffers {
        method: String,
        url: String,
        problem_status: u64,
        status: u16,
    },
    ProblemWithoutStatus {
        method: String,
        url: String,
    },
    DateNotUtc {
        method: String,
        url: String,
        value: String,
    },
    SuccessNotJson {
        method: String,
        url: String,
        status: u16,
        content_type: Option<String>,
    },
    /// ARQ.03: a standard header (lower-case name) not written as its RFC says.
    MalformedHeader {
        method: String,
        url: String,
        header: String,
        value: String,
    },
    /// SPA.04: a response without a well-formed `traceparent` (`value`: what it had).
    TraceparentMissing {
        method: String,
        url: String,
        status: u16,
        value: Option<String>,
    },
    AndMore {
        count: usize,
    },
    AllErrorsProblemJson {
        count: usize,
    },
    AllProblemsComplete {
        count: usize,
    },
    AllDatesUtc {
        count: usize,
    },
    AllSuccessJson {
        count: usize,
    },
    AllHeadersWellFormed {
        count: usize,
    },
    AllTraceparent {
        count: usize,
    },

    // The probed rules of a profile.
    TlsMade,
    /// Written by reports before SAK.01 judged only what it observed (they said this on any
    /// failed connection); no longer made.
    TlsFailed,
    /// No answer came over https, for a reason that says nothing about the TLS versions the
    /// server offers (a certificate konform does not trust, a client certificate it was
    /// not given, a timeout).
    TlsNotObserved {
        reason: Box<Msg>,
    },
    ApiInfoAnswered {
        status: Option<u16>,
    },
    ApiInfoObject,
    ApiInfoNotObject,
    ApiInfoUrl,
    GetBodyRefused {
        status: u16,
    },
    /// FOR.02 not judged: the same GET without a body did not succeed, so a refusal of the
    /// GET with a body proves nothing (`status`: what the plain GET got, if anything).
    GetBodyNotJudged {
        status: Option<u16>,
    },
    GetBodyAnswered {
        status: u16,
    },
    /// SPA.02: GET api-info with a valid `traceparent` was answered `status`.
    TraceparentServed {
        status: u16,
    },
    TraceparentRefused {
        status: u16,
    },
    /// SPA.02 not judged: GET api-info without the header did not succeed.
    TraceparentNotJudged {
        status: Option<u16>,
    },
    // The generated checks (`--generate`). `input` says what one generated input breaks.
    /// An invalid input was refused with a documented 4xx code.
    GenInvalidRefused {
        input: GenInput,
        status: u16,
    },
    /// An invalid input was accepted (a 2xx or 3xx code).
    GenInvalidAccepted {
        input: GenInput,
        status: u16,
    },
    /// An invalid input got a 5xx code.
    GenInvalidServerError {
        input: GenInput,
        status: u16,
    },
    /// An invalid input was refused with a 4xx code the operation does not document.
    GenInvalidUndocumented {
        input: GenInput,
        status: u16,
        documented: Vec<String>,
    },
    /// A valid input got a documented status below 500.
    GenValidAnswered {
        status: u16,
    },
    GenValidServerError {
        status: u16,
    },
    GenValidUndocumented {
        status: u16,
        documented: Vec<String>,
    },
    /// A secured operation called without credentials, or with invalid ones, refused with
    /// a documented 401 or 403.
    GenAuthRefused {
        credentials: GenCredentials,
        status: u16,
    },
    /// ... and served, or answered with something else than 401 or 403.
    GenAuthNotRefused {
        credentials: GenCredentials,
        status: u16,
    },
    /// ... refused with 401 or 403, which the operation does not document.
    GenAuthUndocumented {
        credentials: GenCredentials,
        status: u16,
    },
    /// Not judged: the target's extra headers (`--header`) carry credentials konform
    /// cannot leave out of a request.
    GenAuthNotJudged {
        headers: Vec<String>,
    },
    /// An undocumented method was refused (405 with Allow, 404 or 501).
    GenMethodRefused {
        method: String,
        status: u16,
    },
    /// ... 405 without an `Allow` header.
    GenMethodNoAllow {
        method: String,
    },
    /// ... answered with something else.
    GenMethodServed {
        method: String,
        status: u16,
    },
    /// Nothing could be generated for a schema (`place`), so the requests that needed it
    /// were not sent.
    GenCannotGenerate {
        place: String,
        reason: String,
    },
    NoAnswer,

    // Why a step did not pass.
    NotRunDeadline,
    NotRunInterrupted,
    /// The run was stopped a second time while the step's request was in flight.
    Abandoned,
    /// The run's deadline passed while the step's request was in flight (a hanging vendor).
    CutAtDeadline,
    /// A setup step before it failed (a precondition), so it was not sent.
    PreconditionFailed {
        step: String,
    },
    /// A shared setup scenario of the specification did not pass, and the step's scenario
    /// needs a variable it captures: the scenario is blocked, none of its steps is sent.
    SharedSetupFailed {
        scenario: String,
        variable: String,
    },
    NeedsUncaptured {
        variable: String,
        step: String,
    },
    NeedsUndefined {
        variable: String,
    },
    UnknownOperation {
        operation: String,
    },
    VariableNotSet {
        variable: String,
    },
    UrlInvalid {
        path: String,
        detail: String,
    },
    /// A step failed by its first failed check.
    CheckFailed {
        check: String,
        detail: Box<Msg>,
    },
    RedirectNotFollowed {
        origin: String,
    },
    /// A reason with a note after it, in brackets.
    WithNote {
        reason: Box<Msg>,
        note: Box<Msg>,
    },
    TimedOut {
        after: String,
    },
    /// The server refused both TLS versions konform offers (1.2 and 1.3): it answered the
    /// handshake with a `protocol_version` alert or chose an older version.
    TlsVersionRefused {
        cause: String,
    },
    ConnectionFailed {
        cause: String,
    },
    /// The TLS handshake failed: what on, in plain words, and rustls' own (`detail`).
    Tls {
        problem: TlsProblem,
        detail: String,
    },
    /// The request could not be built (a header or URL that is not valid HTTP).
    RequestNotBuilt {
        detail: String,
    },
    RedirectsFailed {
        cause: String,
    },
    ReadFailed {
        cause: String,
    },
    RequestFailed {
        cause: String,
    },
    BodyOverLimit {
        limit: String,
    },
    WhileReadingBody {
        reason: Box<Msg>,
        after: usize,
    },
    Attempts {
        reason: Box<Msg>,
        attempts: u32,
    },
    TokenUnreachable {
        url: String,
        cause: String,
    },
    TokenRefused {
        url: String,
        status: u16,
        body: String,
    },
    TokenWithoutAccessToken {
        url: String,
        detail: String,
    },

    /// A message from a report written before messages were data (format 1.0): its English
    /// text, shown as it is in every language.
    Text {
        message: String,
        expected: Option<String>,
        actual: Option<String>,
    },
}

/// One generated invalid input: where it breaks the schema and how.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct GenInput {
    /// `body /applicant/firstName`, `query limit`, `path caseId`, `header Idempotency-Key`.
    pub at: String,
    pub kind: InvalidKind,
}

/// How a generated input breaks its schema.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum InvalidKind {
    MissingRequired,
    WrongType,
    OutOfRange,
    BadFormat,
    NoPatternMatch,
    UnknownEnumValue,
    ExtraProperty,
    TooShort,
    TooLong,
}

/// The credentials a generated request was sent with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum GenCredentials {
    None,
    Invalid,
}

/// Why a body is not JSON.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(tag = "is", rename_all = "kebab-case")]
pub enum JsonProblem {
    Empty,
    NotUtf8 {
        at: usize,
    },
    /// `detail` is the parser's own (English) description.
    NotJson {
        line: usize,
        column: usize,
        detail: String,
    },
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct NamedValue {
    pub name: String,
    pub value: String,
}

/// What an expectation is about.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(tag = "is", rename_all = "kebab-case")]
pub enum Subject {
    Header { name: String },
    Body { path: String },
}

impl fmt::Display for Subject {
    /// The subject as the suite wrote it: `header Location`, `body $.id` (the check's name).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Subject::Header { name } => write!(f, "header {name}"),
            Subject::Body { path } => write!(f, "body {path}"),
        }
    }
}

/// One operator of an expectation, with its value as shown (JSON).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(tag = "op", rename_all = "snake_case")]
pub enum Expectation {
    Exists,
    Absent,
    Equals {
        value: String,
    },
    NotEquals {
        value: String,
    },
    Matches {
        regex: String,
    },
    OneOf {
        values: Vec<String>,
    },
    Type {
        json_type: String,
    },
    /// Bounds such as `>= 1`, `= 2`, all of which must hold.
    Length {
        bounds: Vec<String>,
    },
    Compare {
        bound: String,
    },
    Contains {
        value: String,
    },
    /// Operators that every match of a JSONPath must satisfy (`all`).
    All {
        each: Vec<Expectation>,
    },
    /// Operators that some match must satisfy (`any`).
    Any {
        each: Vec<Expectation>,
    },
    /// Exactly one match, which must satisfy the operators (`one`).
    One {
        each: Vec<Expectation>,
    },
}

/// One match of a JSONPath that failed its operators: where it is (a normalized path,
/// `$['items'][2]['status']`), what it is, and why it failed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct MatchFailure {
    pub at: String,
    pub value: String,
    pub failures: Vec<OpFailure>,
}

/// Why one operator failed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(tag = "why", rename_all = "snake_case")]
pub enum OpFailure {
    Unmet {
        expected: Expectation,
    },
    NoValue {
        expected: Expectation,
    },
    NotAString {
        expected: Expectation,
    },
    NotANumber {
        expected: Expectation,
    },
    LengthIs {
        expected: Expectation,
        length: usize,
    },
    NoLength {
        expected: Expectation,
        json_type: String,
    },
    /// `all`: `failing` of the path's `matches` matches fail; the first of them.
    NotAll {
        expected: Expectation,
        failing: usize,
        matches: usize,
        first: MatchFailure,
    },
    /// `any`: none of the path's `matches` matches passes; the first as an example (none
    /// when nothing matched).
    NoneOf {
        expected: Expectation,
        matches: usize,
        example: Option<MatchFailure>,
    },
    /// `one`: the path has `matches` matches, not one.
    NotOne {
        expected: Expectation,
        matches: usize,
    },
    /// `one`: the path's only match fails.
    OnlyFails {
        expected: Expectation,
        only: MatchFailure,
    },
}

impl OpFailure {
    /// Whether the failure says itself what it found (the failing match, or how many
    /// matched), so the message need not add the value.
    pub fn names_the_match(&self) -> bool {
        matches!(
            self,
            OpFailure::NotAll { .. }
                | OpFailure::NoneOf { .. }
                | OpFailure::NotOne { .. }
                | OpFailure::OnlyFails { .. }
        )
    }
}

/// Where a capture takes its value from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct CaptureFrom {
    pub source: CaptureSource,
    pub regex: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(tag = "is", rename_all = "kebab-case")]
pub enum CaptureSource {
    Body { path: String },
    Header { name: String },
    BodyText,
}

/// Why a capture found nothing.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(tag = "is", rename_all = "kebab-case")]
pub enum CaptureProblem {
    Body { problem: JsonProblem },
    NoValue { path: String },
    NoHeader { name: String },
    NoMatch { regex: String, text: String },
}

impl Text {
    /// The text in a language.
    pub fn get(self, lang: Lang) -> &'static str {
        match lang {
            Lang::En => en::text(self),
            Lang::Sv => sv::text(self),
        }
    }
}

impl Reg {
    /// The text in a language.
    pub fn get(&self, lang: Lang) -> String {
        match lang {
            Lang::En => en::register(self),
            Lang::Sv => sv::register(self),
        }
    }
}

impl LintText {
    /// The text in a language.
    pub fn get(&self, lang: Lang) -> String {
        match lang {
            Lang::En => en::lint(self),
            Lang::Sv => sv::lint(self),
        }
    }
}

impl ProcessText {
    pub fn get(&self, lang: Lang) -> String {
        match lang {
            Lang::En => en::process_text(self),
            Lang::Sv => sv::process_text(self),
        }
    }
}

impl ModelText {
    /// The text in a language.
    pub fn get(&self, lang: Lang) -> String {
        match lang {
            Lang::En => en::model_text(self),
            Lang::Sv => sv::model_text(self),
        }
    }
}

impl LintMsg {
    /// The finding in a language.
    pub fn get(&self, lang: Lang) -> String {
        match lang {
            Lang::En => en::lint_finding(self),
            Lang::Sv => sv::lint_finding(self),
        }
    }
}

impl Note {
    /// The line in a language.
    pub fn get(&self, lang: Lang) -> String {
        match lang {
            Lang::En => en::note(self),
            Lang::Sv => sv::note(self),
        }
    }
}

/// Year, month (1-12), day and `HH:MM` of an RFC 3339 UTC timestamp as konform writes them
/// (`2026-12-02T15:33:11.911Z`); `None` for anything else.
pub(crate) fn date_parts(rfc3339: &str) -> Option<(u32, usize, u32, &str)> {
    let b = rfc3339.as_bytes();
    if b.len() < 17 || b[4] != b'-' || b[7] != b'-' || !matches!(b[10], b'T' | b't') || !rfc3339.ends_with(['Z', 'z']) {
        return None;
    }
    let year = rfc3339.get(0..4)?.parse().ok()?;
    let month: usize = rfc3339.get(5..7)?.parse().ok()?;
    let day = rfc3339.get(8..10)?.parse().ok()?;
    (1..=12).contains(&month).then_some((year, month, day, rfc3339.get(11..16)?))
}

// `konform diff`'s messages (`change.rs`) in a language.

impl ChangeWords {
    /// The change in a language: what changed and what the vendor does about it.
    pub fn line(&self, lang: Lang) -> String {
        match lang {
            Lang::En => en::change(self),
            Lang::Sv => sv::change(self),
        }
    }
}

impl ChangePlace {
    /// The place in a language (its names as they stand: quote them first).
    pub fn line(&self, lang: Lang) -> String {
        match lang {
            Lang::En => en::place(self),
            Lang::Sv => sv::place(self),
        }
    }
}

impl DiffText {
    pub fn get(self, lang: Lang) -> &'static str {
        match lang {
            Lang::En => en::diff_text(self),
            Lang::Sv => sv::diff_text(self),
        }
    }
}

impl ChangeClass {
    /// The class as a heading.
    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            ChangeClass::MustChange => DiffText::MustChange.get(lang),
            ChangeClass::ShouldChange => DiffText::ShouldChange.get(lang),
            ChangeClass::NoAction => DiffText::NoAction.get(lang),
        }
    }
}

impl DiffNote {
    pub fn line(&self, lang: Lang) -> String {
        match lang {
            Lang::En => en::diff_note(self),
            Lang::Sv => sv::diff_note(self),
        }
    }
}

impl Msg {
    /// The message in a language.
    pub fn render(&self, lang: Lang) -> Rendered {
        match lang {
            Lang::En => en::msg(self),
            Lang::Sv => sv::msg(self),
        }
    }

    /// The one-line message in a language.
    pub fn line(&self, lang: Lang) -> String {
        self.render(lang).message
    }

    /// Every text argument, for redaction: a secret a vendor echoes can be in any of them.
    pub fn texts_mut(&mut self, f: &mut dyn FnMut(&mut String)) {
        // Through the serialised form, so that no argument added later can be missed.
        let Ok(mut value) = serde_json::to_value(&*self) else { return };
        fn walk(v: &mut serde_json::Value, f: &mut dyn FnMut(&mut String)) {
            match v {
                serde_json::Value::String(s) => f(s),
                serde_json::Value::Array(items) => items.iter_mut().for_each(|i| walk(i, f)),
                serde_json::Value::Object(map) => map.values_mut().for_each(|i| walk(i, f)),
                _ => {}
            }
        }
        if let Some(args) = value.get_mut("args") {
            walk(args, f);
        }
        if let Ok(back) = serde_json::from_value(value) {
            *self = back;
        }
    }
}

impl fmt::Display for Msg {
    /// The English line (logs, test failures).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.line(Lang::En))
    }
}
