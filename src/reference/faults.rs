//! Faults the reference vendor can be told to have. Each breaks one thing, so that a test
//! can prove konform catches exactly what it claims to.

use std::collections::BTreeSet;
use std::fmt;
use std::str::FromStr;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Fault {
    WrongStatus,
    MissingField,
    WrongType,
    UndocumentedStatus,
    WrongContentType,
    ServerErrorOnInvalidInput,
    AcceptInvalidInput,
    IgnoreAuth,
    Slow,
    ConnectionReset,
    InvalidJson,
    IgnorePaging,
    AllowDuplicates,
    PermitAcceptsBadDesignation,
    PermitReviewAlwaysComplete,
    PermitSupplementKeepsStatus,
    NoApiInfo,
    GetBodyAccepted,
    MsgIgnoreIdempotency,
    MsgAcceptMissingKey,
    MsgStatusLowercase,
    ExpIgnoresSince,
    ExpBadSinceAccepted,
    ExpManifestWrongType,
    NoLocationHeader,
    PermitNullDescription,
    UnsupportedMethodOk,
    ServerErrorOnValidInput,
    WithdrawnTakesSupplement,
    TraceparentRefused,
    NoTraceparent,
}

impl Fault {
    pub const ALL: [Fault; 31] = [
        Fault::WrongStatus,
        Fault::MissingField,
        Fault::WrongType,
        Fault::UndocumentedStatus,
        Fault::WrongContentType,
        Fault::ServerErrorOnInvalidInput,
        Fault::AcceptInvalidInput,
        Fault::IgnoreAuth,
        Fault::Slow,
        Fault::ConnectionReset,
        Fault::InvalidJson,
        Fault::IgnorePaging,
        Fault::AllowDuplicates,
        Fault::PermitAcceptsBadDesignation,
        Fault::PermitReviewAlwaysComplete,
        Fault::PermitSupplementKeepsStatus,
        Fault::NoApiInfo,
        Fault::GetBodyAccepted,
        Fault::MsgIgnoreIdempotency,
        Fault::MsgAcceptMissingKey,
        Fault::MsgStatusLowercase,
        Fault::ExpIgnoresSince,
        Fault::ExpBadSinceAccepted,
        Fault::ExpManifestWrongType,
        Fault::NoLocationHeader,
        Fault::PermitNullDescription,
        Fault::UnsupportedMethodOk,
        Fault::ServerErrorOnValidInput,
        Fault::WithdrawnTakesSupplement,
        Fault::TraceparentRefused,
        Fault::NoTraceparent,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Fault::WrongStatus => "wrong-status",
            Fault::MissingField => "missing-field",
            Fault::WrongType => "wrong-type",
            Fault::UndocumentedStatus => "undocumented-status",
            Fault::WrongContentType => "wrong-content-type",
            Fault::ServerErrorOnInvalidInput => "server-error-on-invalid-input",
            Fault::AcceptInvalidInput => "accept-invalid-input",
            Fault::IgnoreAuth => "ignore-auth",
            Fault::Slow => "slow",
            Fault::ConnectionReset => "connection-reset",
            Fault::InvalidJson => "invalid-json",
            Fault::IgnorePaging => "ignore-paging",
            Fault::AllowDuplicates => "allow-duplicates",
            Fault::PermitAcceptsBadDesignation => "permit-accepts-bad-designation",
            Fault::PermitReviewAlwaysComplete => "permit-review-always-complete",
            Fault::PermitSupplementKeepsStatus => "permit-supplement-keeps-status",
            Fault::NoApiInfo => "no-api-info",
            Fault::GetBodyAccepted => "get-body-accepted",
            Fault::MsgIgnoreIdempotency => "msg-ignore-idempotency",
            Fault::MsgAcceptMissingKey => "msg-accept-missing-key",
            Fault::MsgStatusLowercase => "msg-status-lowercase",
            Fault::ExpIgnoresSince => "export-ignores-since",
            Fault::ExpBadSinceAccepted => "export-accepts-bad-since",
            Fault::ExpManifestWrongType => "export-manifest-wrong-type",
            Fault::NoLocationHeader => "no-location-header",
            Fault::PermitNullDescription => "permit-null-description",
            Fault::UnsupportedMethodOk => "unsupported-method-ok",
            Fault::ServerErrorOnValidInput => "server-error-on-valid-input",
            Fault::WithdrawnTakesSupplement => "withdrawn-takes-supplement",
            Fault::TraceparentRefused => "traceparent-refused",
            Fault::NoTraceparent => "no-traceparent",
        }
    }

    /// What the fault does, and the requirement it breaks.
    pub fn description(self) -> &'static str {
        match self {
            Fault::WrongStatus => "submitSupplement answers 200 instead of 201 (breaks CASE-008)",
            Fault::MissingField => "getCaseStatus leaves out the required `updated` (breaks CASE-005)",
            Fault::WrongType => "listCases gives `_meta.totalRecords` as a string (breaks CASE-006)",
            Fault::UndocumentedStatus => "getCase answers 410, which is not documented, for an unknown case (breaks CASE-004)",
            Fault::WrongContentType => "case-intake answers 401 as text/plain instead of application/problem+json (breaks CASE-013 and the profile's FEL.02)",
            Fault::ServerErrorOnInvalidInput => "submitCase answers 500 to an invalid case (breaks CASE-003, and CASE-015 of 2.0.0)",
            Fault::AcceptInvalidInput => "submitCase accepts an invalid case with 201 (breaks CASE-003, and CASE-015 of 2.0.0)",
            Fault::IgnoreAuth => "case-intake serves requests without valid credentials (breaks CASE-013)",
            Fault::Slow => "getCaseStatus answers after 5 seconds (breaks CASE-005 with --timeout below that)",
            Fault::ConnectionReset => "listCases breaks the connection in the middle of the body (breaks CASE-006)",
            Fault::InvalidJson => "withdrawCase answers with truncated JSON (breaks CASE-009)",
            Fault::IgnorePaging => "listCases ignores `limit` and returns every case (breaks CASE-006)",
            Fault::AllowDuplicates => "a second case with the same externalId is accepted (breaks CASE-011, a should)",
            Fault::PermitAcceptsBadDesignation => "building-permit accepts an invalid property designation (breaks PERMIT-002)",
            Fault::PermitReviewAlwaysComplete => "the completeness review always says complete (breaks PERMIT-004)",
            Fault::PermitSupplementKeepsStatus => "a supplement request leaves the status unchanged (breaks PERMIT-005)",
            Fault::NoApiInfo => "there is no api-info resource (breaks the REST API profile's VER.06)",
            Fault::GetBodyAccepted => "a GET with a body is served (breaks the REST API profile's FOR.02)",
            Fault::MsgIgnoreIdempotency => "messaging sends again on a repeated Idempotency-Key (breaks MSG-003)",
            Fault::MsgAcceptMissingKey => "messaging accepts a send without an Idempotency-Key (breaks MSG-004)",
            Fault::MsgStatusLowercase => "messaging reports delivery status in lower case, outside the enum (breaks MSG-006)",
            Fault::ExpIgnoresSince => "the export ignores `since` and returns every record (breaks EXP-003)",
            Fault::ExpBadSinceAccepted => "the export accepts a `since` that is not a date-time (breaks EXP-004)",
            Fault::ExpManifestWrongType => "the manifest gives counts as strings (breaks EXP-005)",
            Fault::PermitNullDescription => "submitApplication answers `description: null` where the document says a string (breaks PERMIT-001; the scenarios that submit only to prepare still pass)",
            Fault::UnsupportedMethodOk => "case-intake answers a GET on a case's supplements, which only POST, with 200 (breaks GEN-METHODS of --generate; no written scenario sends it)",
            Fault::ServerErrorOnValidInput => "submitCase answers 500 to a valid case whose formData is empty (breaks GEN-POSITIVE-DATA of --generate where the specification allows writes; no written scenario sends one)",
            Fault::WithdrawnTakesSupplement => "a withdrawn case still takes supplements (breaks case-handling/supplement/refused and case-handling/add-information/refused, departures from the case-handling process, and CASE-010)",
            Fault::TraceparentRefused => {
                "a request with a traceparent header is refused with 400 (breaks the REST API profile's SPA.02)"
            }
            Fault::NoTraceparent => "responses carry no traceparent header (breaks the REST API profile's SPA.04)",
            Fault::NoLocationHeader => "submitCase leaves out the required Location header (breaks CASE-001 and the other requirements that test submitting a case; those that only submit one to prepare still pass)",
        }
    }
}

impl fmt::Display for Fault {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Fault {
    type Err = String;
    fn from_str(s: &str) -> Result<Fault, String> {
        Fault::ALL.iter().copied().find(|f| f.name() == s).ok_or_else(|| {
            let names: Vec<&str> = Fault::ALL.iter().map(|f| f.name()).collect();
            let hint = crate::diag::did_you_mean_aside(s, names.iter().copied());
            format!("unknown fault `{s}`{hint}; --list-faults lists them")
        })
    }
}

pub type Faults = BTreeSet<Fault>;
