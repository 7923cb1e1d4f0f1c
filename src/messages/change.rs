//! What `konform diff` says, as data: the kind of each change between two versions, its
//! class for the vendor, where in an operation it is, and the diff's own headings and
//! findings. The words are in `en.rs` and `sv.rs` (`change`, `place`, `diff_text`,
//! `diff_note`), each matching every kind exhaustively; `mod.rs` picks the language.

use serde::{Deserialize, Serialize};

/// Every kind of change, by a stable code (`response-property-required-added`). The codes
/// are part of the JSON output and documented in docs/diff.md: never rename one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ChangeKind {
    OperationAdded,
    OperationRemoved,
    OperationMoved,
    OperationDeprecated,
    OperationIdChanged,
    SecurityAdded,
    SecurityRemoved,
    SecurityAlternativeAdded,
    SecurityAlternativeRemoved,
    SecurityScopeAdded,
    SecurityScopeRemoved,
    RequestParameterAdded,
    RequestParameterRequiredAdded,
    RequestParameterRemoved,
    RequestParameterBecameRequired,
    RequestParameterBecameOptional,
    RequestParameterStyleChanged,
    RequestBodyAdded,
    RequestBodyRequiredAdded,
    RequestBodyRemoved,
    RequestBodyBecameRequired,
    RequestBodyBecameOptional,
    RequestMediaTypeAdded,
    RequestMediaTypeRemoved,
    RequestPropertyAdded,
    RequestPropertyRequiredAdded,
    RequestPropertyRemoved,
    RequestPropertyBecameRequired,
    RequestPropertyBecameOptional,
    RequestPropertyDeprecated,
    RequestTypeWidened,
    RequestTypeNarrowed,
    RequestTypeChanged,
    RequestNullAdded,
    RequestNullRemoved,
    RequestEnumValueAdded,
    RequestEnumValueRemoved,
    RequestConstraintTightened,
    RequestConstraintLoosened,
    RequestConstraintChanged,
    RequestAlternativeAdded,
    RequestAlternativeRemoved,
    RequestDefaultChanged,
    ResponseStatusAdded,
    ResponseStatusRemoved,
    ResponseBodyAdded,
    ResponseBodyRemoved,
    ResponseMediaTypeAdded,
    ResponseMediaTypeRemoved,
    ResponseHeaderAdded,
    ResponseHeaderRequiredAdded,
    ResponseHeaderRemoved,
    ResponseHeaderBecameRequired,
    ResponseHeaderBecameOptional,
    ResponsePropertyAdded,
    ResponsePropertyRequiredAdded,
    ResponsePropertyRemoved,
    ResponsePropertyBecameRequired,
    ResponsePropertyBecameOptional,
    ResponsePropertyDeprecated,
    ResponseTypeWidened,
    ResponseTypeNarrowed,
    ResponseTypeChanged,
    ResponseNullAdded,
    ResponseNullRemoved,
    ResponseEnumValueAdded,
    ResponseEnumValueRemoved,
    ResponseConstraintTightened,
    ResponseConstraintLoosened,
    ResponseConstraintChanged,
    ResponseAlternativeAdded,
    ResponseAlternativeRemoved,
    RequirementAdded,
    RequirementRemoved,
    RequirementLevelRaised,
    RequirementLevelLowered,
    RequirementTextChanged,
    ScenarioAdded,
    ScenarioRemoved,
    ScenarioChanged,
}

impl ChangeKind {
    /// The stable code, as in the JSON output.
    pub fn code(self) -> String {
        serde_json::to_value(self).ok().and_then(|v| v.as_str().map(str::to_string)).unwrap_or_default()
    }
}

/// What a change asks of the vendor (the API's provider), most work first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ChangeClass {
    /// A product that met the old version does not meet the new one until it changes.
    MustChange,
    /// The product still meets the new version, but the new version asks for more (new data
    /// to send, a new recommendation, a new test scenario).
    ShouldChange,
    /// Nothing to do: the product still meets the new version as it is.
    NoAction,
}

/// Where in an operation (or in a catalogue specification) a change is. Names are as the
/// document writes them; renderers quote them before words are put around them.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(tag = "is", rename_all = "kebab-case")]
pub enum ChangePlace {
    /// The operation as a whole.
    Operation,
    /// Its security requirements.
    Security,
    /// A parameter (`location`: path, query, header or cookie).
    Parameter { location: String, name: String },
    /// The request body (`media_type` when the change is inside one media type).
    RequestBody { media_type: Option<String> },
    /// A response (`status`: `200`, `4XX`, `default`).
    Response { status: String, media_type: Option<String> },
    /// A header of a response.
    ResponseHeader { status: String, name: String },
    /// A requirement of a catalogue specification.
    Requirement { id: String },
    /// A scenario of a catalogue specification's suites.
    Scenario { id: String },
}

/// One change as the words need it: every name already quoted for the output it goes to,
/// every value already shown as text (levels in the reader's language).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChangeWords {
    pub kind: ChangeKind,
    /// What the change is about inside its place: a property path, a status, a title.
    pub subject: Option<String>,
    /// The schema keyword of a constraint (`maxLength`, `pattern`, `oneOf`).
    pub keyword: Option<String>,
    pub old: Option<String>,
    pub new: Option<String>,
}

/// The diff's own labels and headings.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DiffText {
    MustChange,
    ShouldChange,
    NoAction,
    BreakingForClients,
    Breaking,
    Requirements,
    Scenarios,
    NoChanges,
    Findings,
    Changes,
    Class,
    Count,
    Total,
}

/// A line the diff writes about the two versions as a whole.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "code", rename_all = "kebab-case")]
pub enum DiffNote {
    /// What is compared with what (`old`, `new`: `case-intake 1.0.0` or a file name).
    Comparing { old: String, new: String },
    /// A catalogue page's changelog: the changes since the version before (`konform diff
    /// OLD NEW`, the `command`, lists them).
    ChangesSince { version: String, command: String },
    /// How many changes of each class.
    Counted { total: usize, must: usize, should: usize, none: usize, breaking: usize },
    /// A finding: changes that break clients between versions of one major version.
    BreakingWithinMajor { old_version: String, new_version: String, breaking: usize },
    /// A finding: the documents differ but declare the same version.
    ChangedWithoutNewVersion { version: String, changes: usize },
    /// A finding: the second version is older than the first, so the changes read backwards.
    VersionGoesBack { old_version: String, new_version: String },
}
