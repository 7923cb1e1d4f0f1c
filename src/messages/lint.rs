//! What `konform lint` says around its findings: headings, counts and summaries, as data;
//! their text is in `en.rs` and `sv.rs` (`lint`), like every other message.

/// A text of `konform lint`'s output.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LintText {
    /// The last line of the human format: how many findings of each level, in how many rules.
    Summary { file: String, must: usize, should: usize, rules: usize },
    /// The last line when nothing was found.
    Clean { file: String },
    /// The rules left out by `--ignore` or the lint settings file.
    Ignored { rules: Vec<String> },
    /// How many findings a rule has (JUnit's failure message).
    Violations { count: usize },
    /// The hint under the compact list: the snippet view and the rules' documentation.
    MoreDetail,
    /// A finding whose place in the document could not be found.
    NoPosition,
}

/// What one finding of `konform lint` says, as data. `op` is an operation as `GET /path`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LintMsg {
    /// `field` of `info` (`title`, `version`, `description`, `contact`, `license`) is missing.
    InfoLacks {
        field: &'static str,
    },
    NotBilingual,
    DescriptionTooShort,
    RequestNoExample {
        op: String,
        media_type: String,
    },
    ResponseNoExample {
        op: String,
        media_type: String,
        status: String,
    },
    OldOpenApi {
        version: String,
    },
    Undescribed {
        op: String,
    },
    NoSuccessResponse {
        op: String,
    },
    NoErrorResponse {
        op: String,
    },
    DateWithoutFormat {
        name: String,
    },
    ExampleNotDateTime {
        example: String,
        name: String,
    },
    ExampleNotUtc {
        example: String,
        name: String,
    },
    ExampleNotDate {
        example: String,
        name: String,
    },
    PathExposesPin {
        path: String,
        name: String,
    },
    ParamExposesPin {
        op: String,
        location: String,
        name: String,
    },
    ServerPathIncomplete {
        url: String,
    },
    NotHttps443 {
        url: String,
    },
    NotHttps {
        url: String,
    },
    UrlTooLong {
        op: String,
    },
    PathCharacter {
        path: String,
        segment: String,
        character: char,
    },
    PathNotHyphenated {
        path: String,
        segment: String,
    },
    ServerSpaceOrUnderscore {
        url: String,
    },
    PathSpaceOrUnderscore {
        path: String,
    },
    NotJson {
        op: String,
        media_type: String,
    },
    /// AME.02: an operation takes no JSON body.
    BodyNotJson {
        op: String,
        media_types: String,
    },
    FieldCase {
        name: String,
    },
    /// `query` tells a query parameter from a field.
    BreaksConvention {
        query: bool,
        name: String,
        majority: &'static str,
        camel: usize,
        snake: usize,
    },
    FieldNotAlphanumeric {
        name: String,
    },
    RequestNotUtf8 {
        op: String,
        media_type: String,
    },
    HeaderPayload {
        op: String,
        name: String,
        json_type: String,
    },
    ProblemLacks {
        members: Vec<&'static str>,
    },
    ProblemMemberObject {
        member: &'static str,
        wanted: &'static str,
    },
    ProblemMemberType {
        member: &'static str,
        json_type: String,
        wanted: &'static str,
    },
    ErrorNotProblem {
        op: String,
        status: String,
        media_type: String,
    },
    ServerNoVersion {
        url: String,
    },
    NoApiInfo,
    QueryNotLetter {
        op: String,
        name: String,
    },
    QueryRequired {
        op: String,
        name: String,
    },
    QueryNotUrlSafe {
        op: String,
        name: String,
    },
    LimitWithoutPage {
        op: String,
    },
    PageWithoutLimit {
        op: String,
    },
    PageNotFromOne {
        op: String,
    },
    LimitDefaultNot20 {
        op: String,
    },
    BasicOrDigest {
        scheme: String,
    },
    NotBearer {
        scheme: String,
    },
    ApiKeyInQuery,
    ApiKeyNotInHeader {
        location: String,
    },
    NoOAuth,
    /// SAK.29: an operation taking a body documents no 415.
    No415 {
        op: String,
    },
    /// RES.06: a path segment names an action.
    VerbInPath {
        path: String,
        segment: String,
    },
    /// SPA.07: X-Request-ID without traceparent.
    RequestIdWithoutTraceparent {
        op: String,
    },
    /// SPA.02: an operation does not accept the `traceparent` header.
    NoTraceparent {
        op: String,
    },
    /// SPA.04: a response does not declare the `traceparent` header.
    ResponseWithoutTraceparent {
        op: String,
        status: String,
    },
    /// MOG.01: a path item with no operation of a standard HTTP method.
    PathWithoutMethod {
        path: String,
    },
    /// MOG.01: every operation is a POST, so methods carry no meaning (Richardson level 1).
    OnlyPost {
        count: usize,
    },
    /// MOG.02: no response offers links to related resources.
    NoHypermedia,
    /// DOK.21: neither the document nor the operation says what security applies.
    NoSecurityDeclared {
        op: String,
    },
    GetWithBody {
        path: String,
    },
}
