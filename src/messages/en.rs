//! English: every text konform itself shows, in English.

use super::text::{Broken, Note, Seal, Standing, Unused};
use super::{
    CaptureFrom, CaptureProblem, CaptureSource, Credential, Expectation, JsonProblem, MatchFailure, Misconfigured, Msg,
    OpFailure, Probe, Rendered, Text, TlsProblem, Unreachable,
};

fn said(message: String) -> Rendered {
    Rendered { message, expected: None, actual: None }
}

fn with(message: String, expected: Option<String>, actual: Option<String>) -> Rendered {
    Rendered { message, expected, actual }
}

fn json_problem(p: &JsonProblem) -> String {
    match p {
        JsonProblem::Empty => "the body is empty".into(),
        JsonProblem::NotUtf8 { at } => format!("the body is not valid UTF-8 (at byte {at})"),
        JsonProblem::NotJson { detail, .. } => format!("the body is not valid JSON: {detail}"),
    }
}

fn expectation(e: &Expectation) -> String {
    match e {
        Expectation::Exists => "exists".into(),
        Expectation::Absent => "absent".into(),
        Expectation::Equals { value } => format!("equals {value}"),
        Expectation::NotEquals { value } => format!("not equal to {value}"),
        Expectation::Matches { regex } => format!("matches /{regex}/"),
        Expectation::OneOf { values } => format!("one of [{}]", values.join(", ")),
        Expectation::Type { json_type } => format!("type {json_type}"),
        Expectation::Length { bounds } => format!("length {}", bounds.join(" and ")),
        Expectation::Compare { bound } => bound.clone(),
        Expectation::Contains { value } => format!("contains {value}"),
        Expectation::All { each } => format!("every match {}", each_text(each)),
        Expectation::Any { each } => format!("some match {}", each_text(each)),
        Expectation::One { each } => format!("exactly one match, {}", each_text(each)),
    }
}

fn each_text(each: &[Expectation]) -> String {
    each.iter().map(expectation).collect::<Vec<_>>().join(" and ")
}

/// `$['items'][2] is "C" (expected one of ["A", "B"])`.
fn match_failure(m: &MatchFailure) -> String {
    let why: Vec<String> = m.failures.iter().map(op_failure).collect();
    format!("{} is {} ({})", m.at, m.value, why.join("; "))
}

fn op_failure(f: &OpFailure) -> String {
    match f {
        OpFailure::Unmet { expected } => format!("expected {}", expectation(expected)),
        OpFailure::NoValue { expected } => format!("expected {}, but there is no value", expectation(expected)),
        OpFailure::NotAString { expected } => format!("expected a string that {}", expectation(expected)),
        OpFailure::NotANumber { expected } => format!("expected a number {}", expectation(expected)),
        OpFailure::LengthIs { expected, length } => {
            format!("expected {}, the length is {length}", expectation(expected))
        }
        OpFailure::NoLength { expected, json_type } => {
            format!("expected {}, but the value has no length ({json_type} )", expectation(expected))
        }
        OpFailure::NotAll { expected, failing, matches, first } => {
            format!("expected {}, but {failing} of {matches} do not: {}", expectation(expected), match_failure(first))
        }
        OpFailure::NoneOf { expected, matches, example } => {
            let wanted = expectation(expected);
            match (matches, example) {
                (1, Some(m)) => format!("expected {wanted}, but the only match does not: {}", match_failure(m)),
                (n, Some(m)) => format!("expected {wanted}, but none of {n} does: {}", match_failure(m)),
                (_, None) => format!("expected {wanted}, but the path matches nothing"),
            }
        }
        OpFailure::NotOne { expected, matches: 0 } => {
            format!("expected {}, but the path matches nothing", expectation(expected))
        }
        OpFailure::NotOne { expected, matches } => {
            format!("expected {}, but the path has {matches} matches", expectation(expected))
        }
        OpFailure::OnlyFails { expected, only } => {
            format!("expected {}, but it does not: {}", expectation(expected), match_failure(only))
        }
    }
}

fn capture_from(c: &CaptureFrom) -> String {
    let base = match &c.source {
        CaptureSource::Body { path } => format!("a value at {path}"),
        CaptureSource::Header { name } => format!("header {name}"),
        CaptureSource::BodyText => "the body text".into(),
    };
    match &c.regex {
        Some(r) => format!("{base} matching /{r}/"),
        None => base,
    }
}

fn capture_problem(p: &CaptureProblem) -> String {
    match p {
        CaptureProblem::Body { problem } => json_problem(problem),
        CaptureProblem::NoValue { path } => format!("no value at {path}"),
        CaptureProblem::NoHeader { name } => format!("no {name} header"),
        CaptureProblem::NoMatch { regex, text } => format!("/{regex}/ does not match {text}"),
    }
}

fn plural(n: usize, one: &str, many: &str) -> String {
    if n == 1 {
        one.to_string()
    } else {
        many.to_string()
    }
}

/// A violated schema keyword in plain words, from the keyword and what it asked for.
fn schema_violation(keyword: &str, w: &str) -> String {
    match keyword {
        "required" => format!("the required property {w} is missing"),
        "type" => format!("the value is not of type {w}"),
        "additionalProperties" | "unevaluatedProperties" => format!("properties the schema does not allow: {w}"),
        "enum" => format!("the value is not one of {w}"),
        "const" => format!("the value is not {w}"),
        "format" => format!("the value is not in the format {w}"),
        "pattern" => format!("the value does not match the pattern /{w}/"),
        "minimum" => format!("the value is less than {w}"),
        "maximum" => format!("the value is greater than {w}"),
        "exclusiveMinimum" => format!("the value is not greater than {w}"),
        "exclusiveMaximum" => format!("the value is not less than {w}"),
        "minLength" => format!("the value is shorter than {w} characters"),
        "maxLength" => format!("the value is longer than {w} characters"),
        "minItems" => format!("the list has fewer than {w} items"),
        "maxItems" => format!("the list has more than {w} items"),
        "minProperties" => format!("the object has fewer than {w} properties"),
        "maxProperties" => format!("the object has more than {w} properties"),
        _ => format!("the value breaks the schema's `{keyword}` ({w})"),
    }
}

pub(super) fn msg(m: &Msg) -> Rendered {
    match m {
        Msg::StatusDocumented { status, documented_as } => {
            said(format!("status {status} is documented (as {documented_as})"))
        }
        Msg::StatusUndocumented { status, operation, documented } => with(
            format!("status {status} is not documented for {operation}"),
            Some(documented.join(", ")),
            Some(status.to_string()),
        ),
        Msg::ContentTypeDocumented { media_type } => said(format!("Content-Type {media_type} is documented")),
        Msg::ContentTypeUndocumented { status, content_type, documented } => with(
            match content_type {
                Some(mt) => format!("Content-Type {mt} is not documented for status {status}"),
                None => format!("the response has a body but no Content-Type (status {status})"),
            },
            Some(documented.join(", ")),
            Some(content_type.clone().unwrap_or_else(|| "(none)".into())),
        ),
        Msg::BodyMissing { status, documented } => with(
            format!(
                "the document gives the {status} response a body ({}), but it arrived with none",
                documented.join(", ")
            ),
            Some(format!("a body ({})", documented.join(", "))),
            Some("no body".into()),
        ),
        Msg::BodyUndocumented { status, size, content_type } => with(
            match content_type {
                Some(mt) => format!(
                    "the document says the {status} response has no body, but it had {size} {} of {mt}",
                    plural(*size, "byte", "bytes")
                ),
                None => format!(
                    "the document says the {status} response has no body, but it had {size} {} (no Content-Type)",
                    plural(*size, "byte", "bytes")
                ),
            },
            Some("no body".into()),
            Some(format!("{size} {}", plural(*size, "byte", "bytes"))),
        ),
        Msg::BodyNotJson { problem, body } => {
            with(json_problem(problem), Some("a JSON body".into()), Some(body.clone()))
        }
        Msg::SchemaUnusable { detail } => said(format!("the response schema cannot be used: {detail}")),
        Msg::BodyValid => said("the body is valid against the response schema".into()),
        Msg::BodyInvalid { at, keyword, wanted, detail, more, schema, value } => {
            let more = if *more > 0 { format!(" (and {more} more)") } else { String::new() };
            let said = match wanted {
                Some(w) => schema_violation(keyword, w),
                // No single value says what the keyword wanted: the validator's own words.
                None => format!("{detail} [keyword `{keyword}`]"),
            };
            with(format!("{at}: {said}{more}"), Some(format!("valid against {schema}")), value.clone())
        }
        Msg::HeadersValid => said("documented headers are present and valid".into()),
        Msg::HeadersInvalid { missing, invalid } => {
            let mut problems = Vec::new();
            if !missing.is_empty() {
                problems.push(format!(
                    "missing required {} {}",
                    plural(missing.len(), "header", "headers"),
                    missing.join(", ")
                ));
            }
            if !invalid.is_empty() {
                let shown: Vec<String> = invalid.iter().map(|h| format!("{}: {}", h.name, h.value)).collect();
                problems.push(format!("invalid against its schema: {}", shown.join("; ")));
            }
            with(
                problems.join("; "),
                (!missing.is_empty()).then(|| missing.join(", ")),
                Some("absent or invalid".into()),
            )
        }
        Msg::StatusAsExpected { status, allowed } => {
            with(format!("status {status}"), Some(allowed.join(" or ")), Some(status.to_string()))
        }
        Msg::StatusUnexpected { status, allowed } => {
            let wanted = allowed.join(" or ");
            with(format!("expected status {wanted}, got {status}"), Some(wanted), Some(status.to_string()))
        }
        Msg::Captured { name, value } => said(format!("captured {name} = {value}")),
        Msg::CaptureFailed { name, from, problem } => {
            with(format!("cannot capture {name}: {}", capture_problem(problem)), Some(capture_from(from)), None)
        }
        // The subject is the check's name, which every renderer puts before the message.
        Msg::Assertion { subject: _, expected, failures, value, missing } => {
            let wanted: Vec<String> = expected.iter().map(expectation).collect();
            let message = if failures.is_empty() {
                wanted.join(", ")
            } else {
                let failed: Vec<String> = failures.iter().map(op_failure).collect();
                // Each failure already says when there is no value; only why is added.
                let said_absent = failures.iter().all(|f| matches!(f, OpFailure::NoValue { .. }));
                let found = match (value, missing) {
                    _ if failures.iter().all(OpFailure::names_the_match) => String::new(),
                    (Some(v), _) => format!("; got {v}"),
                    (None, Some(why)) if said_absent => format!(" ({})", json_problem(why)),
                    (None, Some(why)) => format!("; no value ({})", json_problem(why)),
                    (None, None) if said_absent => String::new(),
                    (None, None) => "; no value".into(),
                };
                format!("{}{found}", failed.join("; "))
            };
            with(message, Some(wanted.join(", ")), Some(value.clone().unwrap_or_else(|| "(absent)".into())))
        }
        Msg::ErrorNotProblemJson { method, url, status, content_type } => said(format!(
            "{method} {url} answered {status} as {}",
            content_type.as_deref().unwrap_or("(no content type)")
        )),
        Msg::ProblemNotObject { method, url } => said(format!("{method} {url}: the problem body is not a JSON object")),
        Msg::ProblemWithoutTitle { method, url } => said(format!("{method} {url}: the problem has no `title`")),
        Msg::ProblemStatusDiffers { method, url, problem_status, status } => {
            said(format!("{method} {url}: the problem's `status` is {problem_status}, the response's {status}"))
        }
        Msg::ProblemWithoutStatus { method, url } => {
            said(format!("{method} {url}: the problem has no numeric `status`"))
        }
        Msg::DateNotUtc { method, url, value } => said(format!("{method} {url}: `{value}` is not in UTC")),
        Msg::AndMore { count } => said(format!("... and {count} more")),
        Msg::AllErrorsProblemJson { count } => said(format!("all {count} error responses were problem+json")),
        Msg::AllProblemsComplete { count } => {
            said(format!("all {count} problem bodies had title and a matching status"))
        }
        Msg::AllDatesUtc { count } => said(format!("all {count} date-times were in UTC")),
        Msg::SuccessNotJson { method, url, status, content_type } => said(format!(
            "{method} {url} answered {status} with a body as {}, not JSON",
            content_type.as_deref().unwrap_or("(no content type)")
        )),
        Msg::AllSuccessJson { count } => said(format!("all {count} successful responses with a body were JSON")),
        Msg::MalformedHeader { method, url, header, value } => {
            said(format!("{method} {url} answered with a {header} header its RFC does not allow: {value}"))
        }
        Msg::AllHeadersWellFormed { count } => {
            said(format!("all {count} Date, Last-Modified, ETag and Cache-Control headers were well-formed"))
        }
        Msg::TraceparentMissing { method, url, status, value } => said(match value {
            Some(v) => format!("{method} {url} answered {status} with a traceparent W3C Trace Context does not allow: {v}"),
            None => format!("{method} {url} answered {status} without a traceparent header"),
        }),
        Msg::AllTraceparent { count } => said(format!("all {count} responses carried a well-formed traceparent")),
        Msg::TraceparentServed { status } => {
            said(format!("GET api-info with a valid traceparent was answered {status}, as without one"))
        }
        Msg::TraceparentRefused { status } => {
            said(format!("GET api-info with a valid traceparent was answered {status}, though it succeeded without one"))
        }
        Msg::TraceparentNotJudged { status } => said(format!(
            "not judged: GET api-info without a traceparent {}, so an answer to one with it would prove nothing",
            match status {
                Some(s) => format!("answered {s}"),
                None => "got no answer".to_string(),
            }
        )),
        Msg::TlsMade => {
            said("the https connection was made with TLS 1.2 or later (konform offers nothing older)".into())
        }
        Msg::TlsFailed => said("no TLS 1.2+ connection could be made".into()),
        Msg::TlsNotObserved { reason } => said(format!(
            "not judged: no answer came over https, so the TLS versions the server offers were not observed ({}); \
             a server certificate konform does not trust (--ca-cert), a client certificate it was not given \
             (--client-cert, --client-key) or a timeout is no evidence against the server",
            msg(reason).message
        )),
        Msg::ApiInfoAnswered { status } => {
            said(format!("GET api-info answered {}", status.map(|s| s.to_string()).unwrap_or_else(|| "nothing".into())))
        }
        Msg::ApiInfoObject => said("the answer is a JSON object".into()),
        Msg::ApiInfoNotObject => said("the answer is not a JSON object".into()),
        Msg::ApiInfoUrl => said("cannot build the api-info URL".into()),
        Msg::GetBodyRefused { status } => said(format!("a GET with a body was refused with {status}")),
        Msg::GetBodyNotJudged { status } => said(format!(
            "not judged: GET api-info without a body {}, so a refusal of the GET with a body would prove nothing",
            match status {
                Some(s) => format!("answered {s}"),
                None => "got no answer".to_string(),
            }
        )),
        Msg::GetBodyAnswered { status } => {
            said(format!("a GET with a body was answered {status}: it must be refused with a 4XX code"))
        }
        Msg::GenInvalidRefused { input, status } => {
            said(format!("{} was refused with {status}, as documented", gen_input(input)))
        }
        Msg::GenInvalidAccepted { input, status } => with(
            format!("{} was accepted", gen_input(input)),
            Some("a documented 4xx code".into()),
            Some(status.to_string()),
        ),
        Msg::GenInvalidServerError { input, status } => with(
            format!("{} got a server error", gen_input(input)),
            Some("a documented 4xx code".into()),
            Some(status.to_string()),
        ),
        Msg::GenInvalidUndocumented { input, status, documented } => with(
            format!("{} was refused with a code the operation does not document", gen_input(input)),
            Some(format!("one of {}", documented.join(", "))),
            Some(status.to_string()),
        ),
        Msg::GenValidAnswered { status } => said(format!("a valid input was answered {status}, as documented")),
        Msg::GenValidServerError { status } => with(
            "a valid input got a server error".into(),
            Some("a documented code below 500".into()),
            Some(status.to_string()),
        ),
        Msg::GenValidUndocumented { status, documented } => with(
            "a valid input got a status the operation does not document".into(),
            Some(format!("one of {}", documented.join(", "))),
            Some(status.to_string()),
        ),
        Msg::GenAuthRefused { credentials, status } => {
            said(format!("a request {} was refused with {status}, as documented", gen_credentials(credentials)))
        }
        Msg::GenAuthNotRefused { credentials, status } => with(
            format!("a request {} was not refused", gen_credentials(credentials)),
            Some("401 or 403".into()),
            Some(status.to_string()),
        ),
        Msg::GenAuthUndocumented { credentials, status } => with(
            format!(
                "a request {} was refused with a code the operation does not document",
                gen_credentials(credentials)
            ),
            Some("a documented 401 or 403".into()),
            Some(status.to_string()),
        ),
        Msg::GenAuthNotJudged { headers } => said(format!(
            "not judged: the extra headers {} carry credentials that every request is sent with",
            headers.join(", ")
        )),
        Msg::GenMethodRefused { method, status } => {
            said(format!("{method}, which the path does not document, was refused with {status}"))
        }
        Msg::GenMethodNoAllow { method } => with(
            format!("{method}, which the path does not document, got 405 without an Allow header"),
            Some("405 with Allow".into()),
            Some("405 without Allow".into()),
        ),
        Msg::GenMethodServed { method, status } => with(
            format!("{method}, which the path does not document, was not refused"),
            Some("405 with Allow, 404 or 501".into()),
            Some(status.to_string()),
        ),
        Msg::GenCannotGenerate { place, reason } => {
            said(format!("not sent: no value could be generated for the schema at {place} ({reason})"))
        }
        Msg::NoAnswer => said("no answer".into()),
        Msg::NotRunDeadline => said("not run: the run's --deadline was reached".into()),
        Msg::NotRunInterrupted => said("not run: the run was interrupted".into()),
        Msg::PreconditionFailed { step } => {
            said(format!("not run: the setup step `{step}` failed, so what it prepares is missing"))
        }
        Msg::SharedSetupFailed { scenario, variable } => said(format!(
            "not run: the shared setup scenario `{scenario}` failed, and this scenario needs `{variable}`, which it captures"
        )),
        Msg::Abandoned => said("abandoned: the run was interrupted again while the answer was awaited".into()),
        Msg::CutAtDeadline => said("cut off: the run's deadline was reached while the answer was awaited".into()),
        Msg::NeedsUncaptured { variable, step } => {
            said(format!("needs `{variable}`, which step `{step}` did not capture"))
        }
        Msg::NeedsUndefined { variable } => {
            said(format!("needs `{variable}`, which is not defined (give it with --var {variable}=...)"))
        }
        Msg::UnknownOperation { operation } => said(format!("operation `{operation}` does not exist")),
        Msg::VariableNotSet { variable } => said(format!("variable `{variable}` is not set")),
        Msg::UrlInvalid { path, detail } => said(format!("cannot build the URL for {path}: {detail}")),
        Msg::CheckFailed { check, detail } => said(format!("{check}: {}", msg(detail).message)),
        Msg::RedirectNotFollowed { origin } => {
            said(format!("redirect to another origin ({origin}) not followed; credentials are never sent there"))
        }
        Msg::WithNote { reason, note } => said(format!("{} ({})", msg(reason).message, msg(note).message)),
        Msg::TimedOut { after } => said(format!("timed out after {after} (--timeout)")),
        Msg::ConnectionFailed { cause } => said(format!("connection failed: {cause}")),
        Msg::TlsVersionRefused { cause } => {
            said(format!("the server refused TLS 1.2 and 1.3, the only versions konform offers: {cause}"))
        }
        Msg::Tls { problem: problem @ TlsProblem::Other { .. }, .. } => said(format!("TLS: {}", tls_problem(problem))),
        Msg::Tls { problem, detail } => said(format!("TLS: {} ({detail})", tls_problem(problem))),
        Msg::RequestNotBuilt { detail } => said(format!(
            "konform could not build the request: {detail} (a header or URL made from the suite, a variable or a \
             flag is not valid HTTP; does a value hold a line break?)"
        )),
        Msg::RedirectsFailed { cause } => said(format!("redirects failed: {cause}")),
        Msg::ReadFailed { cause } => said(format!("reading the response failed: {cause}")),
        Msg::RequestFailed { cause } => said(format!("the request failed: {cause}")),
        Msg::BodyOverLimit { limit } => {
            said(format!("the response body exceeds the read limit of {limit} (--max-body); reading stopped"))
        }
        Msg::WhileReadingBody { reason, after } => {
            said(format!("{} (while reading the body, after {after} bytes)", msg(reason).message))
        }
        Msg::Attempts { reason, attempts } => said(format!("{} ({attempts} attempts)", msg(reason).message)),
        Msg::TokenUnreachable { url, cause } => said(format!("could not obtain an OAuth2 token from {url}: {cause}")),
        Msg::TokenRefused { url, status, body } => {
            said(format!("could not obtain an OAuth2 token from {url}: HTTP {status} {body}"))
        }
        Msg::TokenWithoutAccessToken { url, detail } => {
            said(format!("the token endpoint {url} answered without an access_token: {detail}"))
        }
        Msg::Text { message, expected, actual } => with(message.clone(), expected.clone(), actual.clone()),
    }
}
pub(super) fn text(t: Text) -> &'static str {
    match t {
        Text::Report => "Report",
        Text::SignatureValidWithGivenKey => "signature: VALID, made with the given public key",
        Text::SignatureValidForEmbeddedKey => {
            "signature: valid for the key inside the report; pass --public-key to check who signed it"
        }
        Text::SignatureUnsigned => "signature: UNSIGNED: nothing shows who made the report or that it is unchanged",
        Text::SignatureInvalid => "signature: INVALID",
        Text::NotFoundInTheLocalCatalogue => "NOT FOUND in the local catalogue",
        Text::MatchesTheLocalCatalogue => "matches the local catalogue",
        Text::Files => "files",
        Text::DiffersFromTheLocalCatalogue => "DIFFERS from the local catalogue",
        Text::MissingLocally => "used by the report, missing locally",
        Text::Changed => "changed",
        Text::AddedLocally => "not used by the report (added locally)",
        Text::CombinedFingerprintMismatch => {
            "the combined fingerprint in the report does not match its file list: the report was edited"
        }
        Text::ReportChecksOut => "Conclusion: the report checks out.",
        Text::ReportDoesNotCheckOut => "Conclusion: the report does NOT check out.",
        Text::SpecificationCatalogue => "Specification catalogue",
        Text::Version => "Version",
        Text::Status => "Status",
        Text::Title => "Title",
        Text::Coverage => "Coverage",
        Text::Profile => "Profile",
        Text::RulesCheckedLive => "rules checked live by `konform run`",
        Text::Domain => "Domain",
        Text::Operations => "operations",
        Text::RequirementsCovered => "requirements covered by a scenario",
        Text::Level => "Level",
        Text::CoveredBy => "Covered by",
        Text::NotCovered => "— not covered",
        Text::NotCoveredPlain => "not covered",
        Text::CertificationReport => "Certification report",
        Text::NotStated => "not stated",
        Text::Vendor => "Vendor",
        Text::Product => "Product",
        Text::ProductVersion => "Product version",
        Text::Specification => "Specification",
        Text::CatalogueFingerprint => "Catalogue fingerprint",
        Text::Catalogue => "Catalogue",
        Text::Date => "Date",
        Text::TestedAddress => "Tested address",
        Text::Requirements => "Requirements",
        Text::PassedLower => "passed",
        Text::FailedLower => "failed",
        Text::NotTestedCount => "not tested",
        Text::ErrorLower => "error",
        Text::PartialRun => "Partial run",
        Text::PartialCannotCertify => "yes: filters were used, so it cannot certify",
        Text::ShardCannotCertify => "yes: one shard of the plan, so it cannot certify on its own",
        Text::Interrupted => "Interrupted",
        Text::NotEveryStepRan => "yes: not every step ran",
        Text::Unsigned => "unsigned",
        Text::Signature => "Signature",
        Text::RequirementMatrix => "Requirements",
        Text::Id => "Id",
        Text::Verdict => "Verdict",
        Text::Requirement => "Requirement",
        Text::Details => "Details",
        Text::Covers => "covers",
        Text::Step => "Step",
        Text::Checks => "Checks",
        Text::ReportFormat => "report format",
        Text::VerifyHint => "Verify with: konform verify REPORT.json --public-key KEY.pub",
        Text::Cleanup => " (cleanup)",
        Text::SharedSetup => " (shared setup)",
        Text::TextsInOtherLanguage => "Its titles and texts are written in Swedish only, and are shown as written.",
        Text::SharedTeardown => " (shared teardown)",
        Text::Expected => "expected",
        Text::Actual => "actual",
        Text::OnlyFor => "only for",
        Text::Evidence => "Evidence",
        Text::NoResponse => "no response",
        Text::CutRealSize => "cut; real size",
        Text::KonformCertification => "konform certification",
        Text::Target => "Target",
        Text::Started => "Started",
        Text::Tool => "Tool",
        Text::Partial => "Partial",
        Text::FiltersWereUsed => "yes: filters were used",
        Text::OneShardOfThePlan => "yes: one shard of the plan",
        Text::Yes => "yes",
        Text::Failures => "Failures",
        Text::Steps => "Steps",
        Text::SkippedLower => "skipped",
        Text::Certified => "CERTIFIED",
        Text::NotCertified => "NOT CERTIFIED",
        Text::PassLower => "pass",
        Text::Fail => "FAIL",
        Text::NotTested => "not tested",
        Text::ErrorUpper => "ERROR",
        Text::Pass => "PASS",
        Text::SkippedUpper => "SKIPPED",
        Text::StepLower => "step",
        Text::StepsLower => "steps",
        Text::ProfileRule => "profile rule",
        Text::RequirementHeading => "REQUIREMENT",
        Text::LevelHeading => "LEVEL",
        Text::VerdictHeading => "VERDICT",
        Text::TitleHeading => "TITLE",
        Text::Scenarios => "SCENARIOS",
        Text::PartialRunSuffix => " (partial run: filters were used)",
        Text::ShardSuffix => " (partial run: one shard of the plan)",
        Text::InterruptedSuffix => " — INTERRUPTED",
        Text::Run => "Run",
        Text::CleanupBracketed => " [cleanup]",
        Text::At => "at",
        Text::Declared => "(as declared by whoever ran the test)",
        Text::SignedEd25519KeySha256 => "signed (Ed25519), signing key SHA-256",
        Text::ReportId => "Report id",
        Text::Issuer => "Issuer",
        Text::ValidUntil => "Valid until",
        Text::WhyNotCertified => "Why it is not certified",
        Text::DeclaredShort => "declared",
        Text::And => "and",
        Text::StatusDraft => "draft",
        Text::StatusActive => "active",
        Text::StatusDeprecated => "deprecated",
        Text::StatusRetired => "retired",
        Text::PublishedOn => "published",
        Text::DeprecatedOn => "deprecated",
        Text::SunsetOn => "sunset",
        Text::ReplacedBy => "replaced by",
        Text::LifecycleHeading => "Lifecycle",
        Text::Blocked => "BLOCKED",
        Text::Waived => "WAIVED",
        Text::Attested => "ATTESTED",
        Text::NotApplicable => "not applicable",
        Text::BlockedLower => "blocked",
        Text::WaivedLower => "waived",
        Text::AttestedLower => "attested",
        Text::NotApplicableCount => "not applicable",
        Text::SetupBracketed => " [setup]",
        Text::Departures => "Departures from the OpenAPI document",
        Text::BlockedBy => "blocked by a failed setup",
        Text::SeenIn => "seen in",
        Text::AttributedTo => "attributed to",
        Text::Departure => "Departure",
        Text::Operation => "Operation",
        Text::ByAttestation => "verified by a signed attestation",
        Text::Waivers => "Waivers",
        Text::UnusedWaivers => "Waivers that did not apply",
        Text::Attestations => "Attestations",
        Text::NotOfferedHeading => "Not offered, by the vendor's conformance statement",
        Text::WaivedHeading => "Waived: known deviations accepted for a time",
        Text::AsOf => "Judged as of",
        Text::AttestationHolds => "signature holds",
        Text::AttestationDoesNotHold => "signature DOES NOT HOLD",
        Text::ExitCode => "exit",
        Text::FleetCounts => "pass/fail/error",
        Text::MisconfiguredUpper => "MISCONFIGURED",
        Text::NotCompletedUpper => "NOT COMPLETED",
        Text::InterruptedUpper => "INTERRUPTED",
        Text::WhyHeading => "WHY",
        Text::Why => "Why",
        Text::SinceHeading => "Since the earlier report",
        Text::RequirementId => "Requirement id",
        Text::RequirementText => "Requirement text",
        Text::Verification => "Verification",
        Text::AutomaticTest => "automatic test",
        Text::AttestationNoun => "attestation",
        Text::Rule => "Rule",
        Text::EvidenceScenario => "scenario",
        Text::EvidenceDeparture => "departure",
        Text::EvidenceWaiver => "waiver",
        Text::EvidenceAttestation => "attestation",
        Text::EvidenceNotOffered => "not offered",
        Text::EvidenceBlockedBy => "blocked by",
        Text::RuleIgnored => "rule ignored in this lint",
        Text::Document => "Document",
        Text::KeyFingerprint => "signing key (SHA-256 of its SPKI DER)",
    }
}

/// A calendar date (`2027-04-01`) as a person reads it.
fn day(date: &str) -> String {
    match super::date_parts(&format!("{date}T00:00Z")) {
        Some((y, m, d, _)) => format!("{d} {} {y}", MONTHS[m - 1]),
        None => date.to_string(),
    }
}

const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

pub(super) fn note(n: &Note) -> String {
    match n {
        Note::Wrote { format, path } => format!("wrote the {format} report to {path}"),
        Note::MoreFailures { count } => format!("... and {count} more (every one is in the reports)"),
        Note::MoreFailuresInReport { count, id: None } => {
            format!("... and {count} more. The full report lists every one: the JSON report, or its HTML rendering (konform report REPORT.json --format html).")
        }
        Note::MoreFailuresInReport { count, id: Some(id) } => format!(
            "... and {count} more. The full report ({id}) lists every one: the JSON report, or its HTML rendering (konform report REPORT.json --format html)."
        ),
        Note::DoesNotCount { covered, deciding } => format!(
            "did not pass, and does not count: it tests only {covered} requirements, and {deciding} requirements decide this run"
        ),
        Note::CleanupNotCounted { step, verdict } => {
            format!("cleanup step {step}: {verdict} (cleanup steps are not counted as tests)")
        }
        Note::ReferenceListening { url, faults } if faults.is_empty() => {
            format!("reference vendor listening on {url}")
        }
        Note::ReferenceListening { url, faults } => {
            format!("reference vendor listening on {url} with faults: {}", faults.join(", "))
        }
        Note::Expired { when } => format!("EXPIRED: the certificate held until {when} and no longer holds"),
        Note::UnreadableValidity { when } => format!("the validity `{when}` is not a date: the certificate cannot be said to hold"),
        Note::DeprecatedVersion { spec, sunset, replaced_by } => {
            let until = sunset.as_deref().map(|s| format!(" until its sunset on {}", day(s))).unwrap_or_default();
            let to = replaced_by.as_deref().map(|v| format!("; vendors must move to {v}")).unwrap_or_default();
            format!("{spec} is deprecated: it is in force{until}{to}. A certificate for it holds no longer than it does.")
        }
        Note::RetiredVersion { spec, sunset } => {
            format!("{spec} was retired at its sunset on {}: a certificate for it no longer holds.", day(sunset))
        }
        Note::Statement { standing, product, vendor, levels, specs, date, url } => {
            let product = if product.is_empty() { "The product under test".to_string() } else { product.clone() };
            let from = if vendor.is_empty() { String::new() } else { format!(" from {vendor}") };
            let meets = match standing {
                Standing::Meets => "meets",
                Standing::DoesNotMeet => "does not meet",
                Standing::Shard => {
                    return format!(
                        "{product}{from} was tested against part of the {levels} requirements of {specs}, on {date} \
                         against {url}, as one shard of the plan: no requirement that counts failed in it."
                    )
                }
                Standing::Interrupted => {
                    return format!(
                        "{product}{from} was not fully tested against the {levels} requirements of {specs}: the run \
                         on {date} against {url} was interrupted, and no requirement that counts failed before it \
                         stopped."
                    )
                }
            };
            format!("{product}{from} {meets} the {levels} requirements of {specs}, tested on {date} against {url}.")
        }
        Note::Rule { levels } => format!(
            "What decides: every {levels} requirement must pass; one that was not tested or could not be judged does \
             not pass, and a run with filters or an interrupted run never certifies. Vendor and product are as \
             declared by whoever ran the test."
        ),
        Note::Date { rfc3339 } => match super::date_parts(rfc3339) {
            Some((y, m, d, time)) => format!("{d} {} {y}, {time} UTC", MONTHS[m - 1]),
            None => rfc3339.clone(),
        },
        Note::Broken(b) => match b {
            Broken::UnknownAlgorithm => "the signature's algorithm is not ed25519".into(),
            Broken::MalformedKey => "the embedded public key is malformed".into(),
            Broken::NotAnEd25519Key => "the embedded public key is not a valid Ed25519 key".into(),
            Broken::DifferentKey => "the report was signed with a different key than the one given".into(),
            Broken::MalformedValue => "the signature value is malformed".into(),
            Broken::Changed => "the signature does not match the report's content: it was changed after signing".into(),
            Broken::FingerprintsDoNotAddUp => {
                "the combined fingerprint in the report does not match its file list: the report was edited".into()
            }
        },
        Note::Seal(Seal::Valid { key, pinned: true }) => {
            format!("Signed (Ed25519) with the expected key, and unchanged since. Signing key SHA-256: {key}")
        }
        Note::Seal(Seal::Valid { key, pinned: false }) => format!(
            "Signed (Ed25519) and unchanged since signing. Signing key SHA-256: {key} (compare it with the key you expect)"
        ),
        Note::Seal(Seal::Altered(why)) => format!(
            "ALTERED — this report was changed after signing or is not what it claims: NOT A CERTIFICATE ({})",
            note(&Note::Broken(*why))
        ),
        Note::Seal(Seal::Unsigned) => "UNSIGNED — for information only, not a certificate".into(),
        Note::CatalogueNotFound { dir } => format!(
            "no catalogue folder at {dir}: pass --catalogue DIR (or set KONFORM_CATALOGUE) to compare the fingerprints"
        ),
        Note::LocalCatalogue { dir, version, built_in } => format!(
            "warning: using the catalogue in {dir} ({}): its files are not those of the catalogue built into \
             konform ({}); pass --catalogue DIR to choose a catalogue explicitly",
            catalogue_version(version),
            catalogue_version(built_in)
        ),
        Note::CatalogueExported { dir, version, files } => format!(
            "wrote the built-in catalogue ({}, {files} files) to {dir}: `konform check {dir}` checks it, \
             `--catalogue {dir}` uses it",
            catalogue_version(version)
        ),
        Note::Scaffolded { dir, document, catalogue, spec, files, operations, requirements, uncovered, scenarios } => {
            format!(
                "wrote the draft specification {spec} to {dir} ({files} files): {operations} operations, \
                 {requirements} requirements ({uncovered} not covered by a scenario), {scenarios} scenarios. \
                 It is a starting point to review and rewrite, never a finished suite: \
                 `konform check {dir}` checks it; `konform mock {dir}/{document} --stateful` serves its document \
                 and `konform run {spec} --catalogue {catalogue} --base-url URL` runs it"
            )
        }
        Note::ScaffoldBadId { id } => format!(
            "`{id}` cannot be a specification's id: use lowercase letters and digits, words joined by single \
             dashes, at most 64 characters (such as `case-intake`)"
        ),
        Note::ScaffoldNoDocument { file } => format!("{file} is not a file: name an OpenAPI document (YAML or JSON)"),
        Note::ScaffoldNotEmpty { dir } => format!(
            "{dir} is not empty: nothing was written; choose another folder with --out, or empty it first"
        ),
        Note::ArazzoExported { spec, path, workflows } => {
            format!("wrote the scenarios of {spec} as an Arazzo 1.0.1 description ({workflows} workflows) to {path}")
        }
        Note::ArazzoImported { path, scenarios, fixtures, warnings } => format!(
            "wrote {scenarios} scenario{} to {path} ({fixtures} fixture file{}); {} \
             `konform check` checks the specification folder",
            if *scenarios == 1 { "" } else { "s" },
            if *fixtures == 1 { "" } else { "s" },
            match warnings {
                0 => "everything was translated;".to_string(),
                1 => "1 construct was not translated (above);".to_string(),
                n => format!("{n} constructs were not translated (above);"),
            }
        ),
        Note::Shard { index, count } => format!(
            "This is shard {index} of {count}: a slice of the plan, partial and never certified on its own. \
             `konform report merge` puts the JSON reports of all {count} shards together."
        ),
        Note::CatalogueIdentity { version, fingerprint, embedded } => format!(
            "{}{}; fingerprint {fingerprint}",
            catalogue_version(version),
            if *embedded { ", built into konform" } else { "" }
        ),
        Note::ReportCatalogue { version, fingerprint, same: true, here } => format!(
            "The report was made with catalogue {} (fingerprint {fingerprint}), the same as {here}.",
            catalogue_version(version)
        ),
        Note::ReportCatalogue { version, fingerprint, same: false, here } => format!(
            "The report was made with catalogue {} (fingerprint {fingerprint}), not the one of {here}: what \
             decides is whether the specifications it certifies are unchanged, below.",
            catalogue_version(version)
        ),
        Note::Preflight(m) => misconfigured(m),
        Note::PreflightStopped => "This is about konform's configuration, not a verdict on the vendor: nothing else \
                                   was sent and no report was written (exit code 4). --no-preflight skips this check."
            .into(),
        Note::Waived { requirement, level, covered, reason, reference, approved_by, until } => {
            let approved = match approved_by {
                Some(who) => format!(", approved by {who}"),
                None => String::new(),
            };
            format!(
                "{requirement} ({level}) is WAIVED until {} (its verdict would be {covered}): {reason} \
                 [{reference}{approved}]",
                day(until)
            )
        }
        Note::WaiverUnused { requirement, reference, why } => {
            let why = match why {
                Unused::Expired { on } => format!("it expired: its last day was {}", day(on)),
                Unused::Passed => "the requirement passed".to_string(),
                Unused::NotCovered { verdict, covers } => {
                    format!("the requirement is {verdict}, and the waiver covers only {covers}")
                }
            };
            format!("the waiver {reference} of {requirement} did not apply: {why}")
        }
        Note::Attested { id, requirements, by, date, text, url, sha256, key } => {
            let mut evidence = Vec::new();
            evidence.extend(text.clone());
            evidence.extend(url.clone());
            evidence.extend(sha256.as_ref().map(|h| format!("file SHA-256 {h}")));
            format!(
                "{id}: {requirements} attested by {by} on {date}; evidence: {}; signed with the key SHA-256 {key}",
                evidence.join("; ")
            )
        }
        Note::NotOffered { requirement, reason, vendor, product } => {
            format!("{requirement} is not applicable: {vendor} declares that {product} does not offer it: {reason}")
        }
        Note::Gate { passed: true } => "--gate selected: nothing the selection tested failed, could not be judged or \
             was blocked: exit 0. The report still does not certify."
            .into(),
        Note::Gate { passed: false } => "--gate selected: a requirement the selection tested failed, could not be \
             judged or was blocked (or nothing was tested): exit 1."
            .into(),
        Note::AsOf { when } => format!(
            "Waivers and attestations were judged as of {} (set with --now), not at the time of the run.",
            note(&Note::Date { rfc3339: when.clone() })
        ),
        Note::RuleDeclared => "A waived requirement (a known deviation its approver accepted until a set day), an \
             attested one (verified and signed by people) and an optional one the vendor declares not offered count \
             as met; each is shown with who declared it."
            .into(),
        Note::FleetReports { dir } => format!("reports: {dir}"),
        Note::FleetTarget { name, problem } => format!("target {name}: {problem}"),
        Note::PreflightPastDeadline => {
            "its deadline came while the preflight still awaited answers: no scenario ran".into()
        }
        Note::FleetTargetEnded { name, verdict, code } => format!("{name}: {verdict} (exit {code})"),
        Note::FleetExit { code } => format!("exit {code}: the worst of the targets' (3 > 4 > 1 > 0)"),
        Note::SinceCatalogueChanged { spec, report } => format!(
            "warning: the catalogue in use has other files for {spec} than {report} was made with: what changed \
             since is computed from the catalogue's files"
        ),
        Note::SinceFrom { from, report, date, changes, must_change, untested, catalogue_changed } => {
            let untested = if *untested > 0 {
                format!(", {untested} of them on operations no scenario tests")
            } else {
                String::new()
            };
            let changed = if *catalogue_changed {
                "; the catalogue's files for it have changed since that report"
            } else {
                ""
            };
            format!(
                "Since {from} (tested in {report}, {}): {changes} {}, {must_change} the vendor must act on{untested}{changed}.",
                note(&Note::Date { rfc3339: date.clone() }),
                plural(*changes, "change", "changes")
            )
        }
        Note::SinceToDo { count } => {
            format!("To do: {count} {} not met", plural(*count, "requirement", "requirements"))
        }
        Note::SinceNothingToDo => "Nothing to do: every requirement is met.".into(),
        Note::SinceNew { version } => format!("new in {version}"),
        Note::SinceChanged { changes } => format!("changed: {changes}"),
        Note::SinceRegressed { was, version } => format!("regressed: {was} in {version}"),
        Note::SinceStillFailing { was, version } => format!("still not met: {was} in {version}"),
        Note::SinceNoEarlierVerdict { report } => format!("unchanged, not in {report}"),
        Note::SinceRemoved { to, ids } => format!("No longer in {to}: {ids}"),
    }
}

/// A catalogue's version as a person reads it.
fn catalogue_version(version: &Option<String>) -> String {
    match version {
        Some(v) => format!("version {v}"),
        None => "without a version".into(),
    }
}

/// A TLS problem in plain words, with the option that fixes it where there is one.
fn tls_problem(p: &TlsProblem) -> String {
    match p {
        TlsProblem::UnknownIssuer => {
            "the server's certificate is not signed by a CA konform trusts; pass the test environment's CA with \
             --ca-cert"
                .into()
        }
        TlsProblem::WrongName { host } => format!(
            "the server's certificate is not made out for {host}; use a host name the certificate names in \
             --base-url, or have the vendor issue one for {host}"
        ),
        TlsProblem::Expired => {
            "the server's certificate has expired (or this machine's clock is wrong); the vendor must renew it".into()
        }
        TlsProblem::NotYetValid => "the server's certificate is not valid yet; check this machine's clock".into(),
        TlsProblem::CaUsedAsEndEntity => "the server presents a CA certificate as its own; it needs a server \
                                          certificate issued by that CA (--ca-cert takes the CA)"
            .into(),
        TlsProblem::NotForServers => {
            "the server's certificate is not meant for a TLS server (its extended key usage)".into()
        }
        TlsProblem::ClientCertificateRequired => {
            "the server demands a client certificate (mutual TLS); pass it with --client-cert and --client-key".into()
        }
        TlsProblem::ClientCertificateRefused { alert } => format!(
            "the server refused konform's client certificate ({alert}); check that --client-cert and --client-key \
             are the ones issued for this environment"
        ),
        TlsProblem::HandshakeRefused => "the server ended the TLS handshake (handshake_failure): it may demand a \
                                         client certificate (--client-cert, --client-key), or accept nothing konform \
                                         offers (TLS 1.2 or later)"
            .into(),
        TlsProblem::Other { detail } => format!("the TLS handshake failed: {detail}"),
    }
}

/// `GET https://… (without credentials) answered 401`.
fn probe(p: &Probe) -> String {
    let anonymous = if p.without_credentials { " (without credentials)" } else { "" };
    match p.status {
        Some(status) => format!("{} {}{anonymous} answered {status}", p.method, p.url),
        None => format!("{} {}{anonymous}", p.method, p.url),
    }
}

fn probes(list: &[Probe]) -> String {
    list.iter().map(probe).collect::<Vec<_>>().join("; ")
}

fn unreachable(u: &Unreachable) -> String {
    match u {
        Unreachable::Refused { host } => format!("{host} refused the connection (nothing listens there)"),
        Unreachable::NoRoute { host } => format!("there is no route to {host}"),
        Unreachable::NoSuchHost { host } => format!("the host name {host} does not resolve"),
        Unreachable::TimedOut { host, after } => {
            format!("{host} accepted no connection within {after} (a firewall, a VPN, a wrong address?)")
        }
    }
}

fn credential(c: &Credential) -> String {
    match c {
        Credential::Bearer => "a bearer token (--bearer-token or KONFORM_BEARER_TOKEN)".into(),
        Credential::ApiKey { header } => {
            format!("an API key in the {header} header (--api-key or KONFORM_API_KEY, and --api-key-header)")
        }
        Credential::Basic => "basic credentials (--basic-user, and --basic-password or KONFORM_BASIC_PASSWORD)".into(),
        Credential::OAuth2 => {
            "an OAuth2 access token (its client_id, client secret and scope are in [auth] of the config file)".into()
        }
        Credential::Headers { names } => {
            format!("credentials in {} (--header, or [headers] of the config file)", names.join(", "))
        }
    }
}

/// The preflight's finding: one paragraph, naming what showed it and the option to fix.
fn misconfigured(m: &Misconfigured) -> String {
    match m {
        Misconfigured::Unreachable { probe: p, why } => format!(
            "preflight: the target is unreachable: {} could not connect: {}. Check the host and port in \
             --base-url, and that the API is running there.",
            probe(p),
            unreachable(why)
        ),
        Misconfigured::Tls { probe: p, problem } => {
            format!("preflight: TLS failed for {}: {}.", probe(p), tls_problem(problem))
        }
        Misconfigured::TokenRefused { url, status, body } => {
            let body = if body.is_empty() { String::new() } else { format!(" {body}") };
            format!(
                "preflight: the OAuth2 token endpoint refused konform's client credentials: POST {url} answered \
                 {status}{body}. Check client_id, the secret in the variable client_secret_env names, scope and \
                 client_auth in [auth] of the config file (--config). One token request was made; nothing reached \
                 the API."
            )
        }
        Misconfigured::CredentialsRefused { probes: list, operation, credential: c } => format!(
            "preflight: the API refused the credentials konform sent: {}. The OpenAPI document says {operation} \
             needs credentials, and konform sent {}. Check them: are they for this environment, still valid, and \
             allowed what the suite does?",
            probes(list),
            credential(c)
        ),
        Misconfigured::CredentialsMissing { probe: p, operation } => format!(
            "preflight: the API needs credentials and konform was given none: {}. The OpenAPI document says \
             {operation} needs credentials: pass them with --bearer-token, --api-key-header and --api-key, \
             --basic-user and --basic-password, or [auth] in the config file (--config).",
            probe(p)
        ),
        Misconfigured::NotFound { probes: list, server_path, suggestion, answered } => {
            format!(
                "preflight: the base URL does not lead to the API: every documented path konform tried answered \
                 404 ({}). The OpenAPI document's server URL has the path {server_path}: did you mean --base-url \
                 {suggestion}? There, the same {} answered {answered}.",
                probes(list),
                list[0].method
            )
        }
    }
}

/// What a finding of `konform lint` says.
pub(super) fn lint_finding(m: &super::LintMsg) -> String {
    use super::LintMsg as L;
    match m {
        L::InfoLacks { field } => {
            let what = match *field {
                "title" => "a title",
                "version" => "a version",
                "description" => "a description",
                "contact" => "contact details",
                _ => "a licence",
            };
            format!("info lacks {what} (info.{field})")
        }
        L::NotBilingual => "the description does not appear to be in both Swedish and English".into(),
        L::DescriptionTooShort => "the description is too short to describe the API".into(),
        L::RequestNoExample { op, media_type } => format!("{op}: the {media_type} request body has no example"),
        L::ResponseNoExample { op, media_type, status } => {
            format!("{op}: the {media_type} response ({status}) has no example")
        }
        L::OldOpenApi { version } => format!("OpenAPI {version} is not the latest version (3.1)"),
        L::Undescribed { op } => format!("{op} has neither summary nor description"),
        L::NoSuccessResponse { op } => format!("{op} documents no success response"),
        L::NoErrorResponse { op } => format!("{op} documents no error response"),
        L::DateWithoutFormat { name } => {
            format!("`{name}` looks like a date or time but has no RFC 3339 format (date or date-time)")
        }
        L::ExampleNotDateTime { example, name } => {
            format!("the example `{example}` of `{name}` is not an RFC 3339 date-time")
        }
        L::ExampleNotUtc { example, name } => format!("the example `{example}` of `{name}` is not in UTC"),
        L::ExampleNotDate { example, name } => format!("the example `{example}` of `{name}` is not an RFC 3339 date"),
        L::PathExposesPin { path, name } => format!("path {path} exposes a personal identity number (`{{{name}}}`)"),
        L::ParamExposesPin { op, location, name } => {
            format!("{op}: the {location} parameter `{name}` exposes a personal identity number in the URL")
        }
        L::ServerPathIncomplete { url } => format!("{url} does not name both the API and its version in the path"),
        L::NotHttps443 { url } => format!("{url} is not HTTPS on port 443"),
        L::NotHttps { url } => format!("{url} is not HTTPS"),
        L::UrlTooLong { op } => format!("{op} makes a URL longer than 2048 characters"),
        L::PathCharacter { path, segment, character } => {
            format!("path {path}: `{segment}` uses `{character}`, outside a-z, 0-9, '-', '.', '~'")
        }
        L::PathNotHyphenated { path, segment } => {
            format!("path {path}: separate the words of `{segment}` with hyphens")
        }
        L::ServerSpaceOrUnderscore { url } => format!("server URL {url} contains a space or underscore"),
        L::PathSpaceOrUnderscore { path } => format!("path {path} contains a space or underscore"),
        L::NotJson { op, media_type } => format!("{op}: {media_type} is not JSON"),
        L::BodyNotJson { op, media_types } => format!("{op} takes its body only as {media_types}, not as JSON"),
        L::FieldCase { name } => format!("field `{name}` is neither camelCase nor snake_case"),
        L::BreaksConvention { query, name, majority, camel, snake } => format!(
            "{} `{name}` breaks the API's {majority} convention ({camel} camelCase, {snake} snake_case)",
            if *query { "query parameter" } else { "field" }
        ),
        L::FieldNotAlphanumeric { name } => format!("field `{name}` is not alphanumeric"),
        L::RequestNotUtf8 { op, media_type } => format!("{op}: the request body is not UTF-8 ({media_type})"),
        L::HeaderPayload { op, name, json_type } => format!("{op}: header `{name}` carries an {json_type} as payload"),
        L::ProblemLacks { members } => format!("the problem schema lacks {}", members.join(", ")),
        L::ProblemMemberObject { member, wanted } => {
            format!("the problem member `{member}` is an object, not {wanted} (RFC 9457)")
        }
        L::ProblemMemberType { member, json_type, wanted } => {
            format!("the problem member `{member}` is {json_type}, not {wanted} (RFC 9457)")
        }
        L::ErrorNotProblem { op, status, media_type } => {
            format!("{op}: the {status} error response is {media_type}, not application/problem+json")
        }
        L::ServerNoVersion { url } => format!("server URL {url} has no v{{N}} major-version segment"),
        L::NoApiInfo => "there is no /api-info resource".into(),
        L::QueryNotLetter { op, name } => format!("{op}: query parameter `{name}` does not start with a letter"),
        L::QueryRequired { op, name } => format!("{op}: query parameter `{name}` is required"),
        L::QueryNotUrlSafe { op, name } => format!("{op}: query parameter `{name}` is not URL-safe"),
        L::LimitWithoutPage { op } => format!("{op} pages with `limit` without `page` or `offset`"),
        L::PageWithoutLimit { op } => format!("{op} pages with `page` or `offset` without `limit`"),
        L::PageNotFromOne { op } => format!("{op}: `page` does not start at 1 (set minimum: 1)"),
        L::LimitDefaultNot20 { op } => format!("{op}: the default of `limit` is not 20"),
        L::BasicOrDigest { scheme } => format!("HTTP {scheme} authentication is used"),
        L::NotBearer { scheme } => format!("HTTP authentication scheme `{scheme}` is not Bearer"),
        L::ApiKeyInQuery => "an API key is sent in the query string".into(),
        L::ApiKeyNotInHeader { location } => format!("the API key is sent in the {location}, not a header"),
        L::NoSecurityDeclared { op } => {
            format!("{op} declares no security requirement, and the document declares none for all")
        }
        L::VerbInPath { path, segment } => {
            format!("{path}: `{segment}` names an action; name the resource and let the method say what is done")
        }
        L::RequestIdWithoutTraceparent { op } => format!("{op} uses X-Request-ID but not traceparent"),
        L::NoTraceparent { op } => format!("{op} does not accept the header `traceparent` (W3C Trace Context)"),
        L::ResponseWithoutTraceparent { op, status } => {
            format!("{op}: the response {status} does not declare the header `traceparent`")
        }
        L::PathWithoutMethod { path } => format!("`{path}` has no operation with GET, POST, PUT, PATCH or DELETE"),
        L::OnlyPost { count } => {
            format!("all {count} operations use POST: the HTTP methods carry no meaning (Richardson level 1, not 2)")
        }
        L::NoHypermedia => "no response offers links to related resources (OpenAPI links, or a property `links` or \
                            `_links`)"
            .into(),
        L::No415 { op } => format!("{op} takes a body but documents no 415 response for one of another media type"),
        L::NoOAuth => "no OAuth 2.0 (or OpenID Connect) security scheme is declared".into(),
        L::GetWithBody { path } => format!("GET {path} accepts a request body"),
    }
}

/// `konform lint`'s headings and summaries.
pub(super) fn lint(t: &super::LintText) -> String {
    use super::LintText;
    match t {
        LintText::Summary { file, must, should, rules } => format!(
            "{file}: {} {} ({must} MUST, {should} SHOULD) of {rules} {}",
            must + should,
            plural(must + should, "finding", "findings"),
            plural(*rules, "rule", "rules")
        ),
        LintText::Clean { file } => format!("{file}: no finding; every rule checked is followed"),
        LintText::Ignored { rules } => format!("not checked (ignored): {}", rules.join(", ")),
        LintText::Violations { count } => format!("{count} {}", plural(*count, "violation", "violations")),
        LintText::MoreDetail => {
            "each finding with its lines: --verbose; the rules: konform lint --list-rules, docs/api-profile.md".into()
        }
        LintText::NoPosition => "place not found".into(),
    }
}

/// The register's commands and site.
pub(super) fn register(r: &super::Reg) -> String {
    use super::register::{Refusal, VERIFY};
    use super::Reg;
    match r {
        Reg::StatusCertified => "certified".into(),
        Reg::StatusNotCertified => "not certified".into(),
        Reg::StatusExpired => "expired".into(),
        Reg::StatusRetired => "retired".into(),
        Reg::StatusRevoked => "revoked".into(),
        Reg::DefaultTitle => "Register of conformance results".into(),
        Reg::AsOf { date } => format!("Validity as of {}", day(date)),
        Reg::Intro => "Each row is the latest signed result for a product and a version of a specification. A \
                       result is added only when its signature holds for a trusted key and it was made with the \
                       unchanged catalogue."
            .into(),
        Reg::Empty => "The register holds no results yet.".into(),
        Reg::Products => "Products".into(),
        Reg::Specification => "Specification".into(),
        Reg::Status => "Status".into(),
        Reg::LatestRun => "Latest run".into(),
        Reg::ValidUntil => "Valid until".into(),
        Reg::Issuer => "Issuer".into(),
        Reg::SigningKey => "Signing key".into(),
        Reg::TrustedKeys => "Trusted signing keys".into(),
        Reg::TrustedKeysIntro => {
            "Results signed with these keys are accepted; compare a fingerprint with the one its holder publishes."
                .into()
        }
        Reg::KeyName => "Name".into(),
        Reg::ProductHeading { product, vendor } => {
            let product = if product.is_empty() { "Product not stated" } else { product };
            if vendor.is_empty() {
                product.to_string()
            } else {
                format!("{product} from {vendor}")
            }
        }
        Reg::NotStated => "not stated".into(),
        Reg::Standing => "Standing".into(),
        Reg::History => "History".into(),
        Reg::HistoryIntro => "Every result for this product, newest first, with the requirements whose verdict \
                              changed since the previous run of the same version."
            .into(),
        Reg::Date => "Date".into(),
        Reg::Verdict => "Verdict".into(),
        Reg::ProductVersion => "Product version".into(),
        Reg::Report => "Report".into(),
        Reg::Changes => "Changed since the previous run".into(),
        Reg::FirstRun => "first run of this version".into(),
        Reg::NoChange => "no change".into(),
        Reg::Absent => "absent".into(),
        Reg::Badge => "Badge".into(),
        Reg::BadgeFiles => "Badge files".into(),
        Reg::RevokedBecause { date, reason } => format!("revoked on {}: {reason}", day(date)),
        Reg::BackToIndex => "All products".into(),
        Reg::OtherLanguage => "På svenska".into(),
        Reg::Footer { version } => {
            format!("Made with konform {version}. For machines: registry.json; each report can be checked with {VERIFY}.")
        }
        Reg::Day { date } => day(date),
        Reg::Initialised { dir } => format!(
            "made a register in {dir}: add the public keys you trust with `konform register trust KEY.pub --name NAME --register {dir}`"
        ),
        Reg::Trusted { name, sha256 } => format!("trusted the key {name} (SHA-256 {sha256})"),
        Reg::Added { file, id, vendor, product, key } => {
            format!("{file}: added as {id} ({product} from {vendor}, signed with the key {key})")
        }
        Reg::AlreadyThere { file, id } => format!("{file}: already in the register as {id}"),
        Reg::Refused { file, why } => {
            let why = match why {
                Refusal::Unsigned => "it is unsigned; the register accepts only signed reports".to_string(),
                Refusal::Altered(b) => format!("its signature does not hold: {}", note(&Note::Broken(*b))),
                Refusal::UntrustedKey { sha256 } => format!(
                    "it is signed with a key the register does not trust (SHA-256 {sha256}); trust it first with \
                     `konform register trust`"
                ),
                Refusal::CatalogueDiffers { specs, catalogue } => format!(
                    "it was not made with the catalogue at {catalogue}: {} differ (`{VERIFY}` shows which files)",
                    specs.join(", ")
                ),
                Refusal::NoId => "it has no report id (a report of format 1.x); run it again".into(),
                Refusal::IdTaken { id } => format!("another report with the id {id} is already in the register"),
            };
            format!("{file}: refused: {why}")
        }
        Reg::Revoked { id, date } => format!("revoked {id} on {}", day(date)),
        Reg::Built { dir, products, reports } => {
            format!("wrote the register's site to {dir}: {products} products, {reports} reports")
        }
    }
}

// `konform diff`: what changed between two versions, and what the vendor does about it.

/// What a schema change is about, before the colon: its property path (nothing for the
/// value as a whole, which its place already names).
fn changed_what(w: &super::change::ChangeWords) -> String {
    w.subject.as_ref().map(|s| format!("{s}: ")).unwrap_or_default()
}

fn or_none(v: &Option<String>) -> String {
    v.clone().unwrap_or_else(|| "none".into())
}

pub(super) fn change(w: &super::change::ChangeWords) -> String {
    use super::change::ChangeKind as K;
    let what = changed_what(w);
    let s = w.subject.clone().unwrap_or_default();
    let (old, new) = (or_none(&w.old), or_none(&w.new));
    let keyword = w.keyword.clone().unwrap_or_default();
    match w.kind {
        K::OperationAdded => "new operation: implement it".into(),
        K::OperationRemoved => "operation removed: you may stop serving it (clients that call it will fail)".into(),
        K::OperationMoved => format!(
            "operation moved from {old} to {new}: serve it at its new place (clients calling the old one will fail)"
        ),
        K::OperationDeprecated => "operation deprecated: keep serving it until a version removes it".into(),
        K::OperationIdChanged => format!("operationId renamed from {old} to {new}: nothing changes on the wire"),
        K::SecurityAdded => format!("authentication is now required ({new}): enforce it"),
        K::SecurityRemoved => "authentication is no longer required: accept requests without credentials".into(),
        K::SecurityAlternativeAdded => format!("a new way to authenticate ({new}): accept it"),
        K::SecurityAlternativeRemoved => format!("a way to authenticate was removed ({old}): you may refuse it"),
        K::SecurityScopeAdded => format!("{s} now needs the scopes {new}: you may refuse tokens without them"),
        K::SecurityScopeRemoved => format!("{s} no longer needs the scopes {old}: accept tokens without them"),
        K::RequestParameterAdded => "new, optional: read it and honour it when it is sent".into(),
        K::RequestParameterRequiredAdded => "new, required: read it (requests without it may be refused)".into(),
        K::RequestParameterRemoved => "removed: you may ignore it".into(),
        K::RequestParameterBecameRequired => "now required: you may refuse requests without it".into(),
        K::RequestParameterBecameOptional => "now optional: accept requests without it".into(),
        K::RequestParameterStyleChanged => {
            format!("its serialisation changed from {old} to {new}: parse the new form")
        }
        K::RequestBodyAdded => "new, optional: accept it".into(),
        K::RequestBodyRequiredAdded => "new, required: read it".into(),
        K::RequestBodyRemoved => "removed: you may ignore it".into(),
        K::RequestBodyBecameRequired => "now required: you may refuse requests without one".into(),
        K::RequestBodyBecameOptional => "now optional: accept requests without one".into(),
        K::RequestMediaTypeAdded => "new media type: accept it".into(),
        K::RequestMediaTypeRemoved => "media type removed: you may refuse it".into(),
        K::RequestPropertyAdded => format!("new optional property {s}: accept it"),
        K::RequestPropertyRequiredAdded => {
            format!("new required property {s}: read it (requests without it may be refused)")
        }
        K::RequestPropertyRemoved => format!("property {s} removed: you may ignore it"),
        K::RequestPropertyBecameRequired => {
            format!("property {s} is now required: you may refuse requests without it")
        }
        K::RequestPropertyBecameOptional => format!("property {s} is now optional: accept requests without it"),
        K::RequestPropertyDeprecated => format!("{what}deprecated: keep accepting it"),
        K::RequestTypeWidened => format!("{what}type widened from {old} to {new}: accept the new types"),
        K::RequestTypeNarrowed => format!("{what}type narrowed from {old} to {new}: you may refuse other types"),
        K::RequestTypeChanged => format!("{what}type changed from {old} to {new}: accept the new type"),
        K::RequestNullAdded => format!("{what}may now be null: accept null"),
        K::RequestNullRemoved => format!("{what}may no longer be null: you may refuse null"),
        K::RequestEnumValueAdded => format!("{what}new allowed values {new}: accept them"),
        K::RequestEnumValueRemoved => format!("{what}values no longer allowed {old}: you may refuse them"),
        K::RequestConstraintTightened => {
            format!("{what}{keyword} tightened from {old} to {new}: you may refuse what no longer fits")
        }
        K::RequestConstraintLoosened => format!("{what}{keyword} loosened from {old} to {new}: accept what now fits"),
        K::RequestConstraintChanged => format!("{what}{keyword} changed from {old} to {new}: accept what now fits"),
        K::RequestAlternativeAdded => format!("{what}a new alternative in {keyword}: accept it"),
        K::RequestAlternativeRemoved => format!("{what}an alternative of {keyword} removed: you may refuse it"),
        K::RequestDefaultChanged => {
            format!("{what}default changed from {old} to {new}: apply it when no value is sent")
        }
        K::ResponseStatusAdded => "now documented: you may answer with it".into(),
        K::ResponseStatusRemoved => "no longer documented: stop answering with it".into(),
        K::ResponseBodyAdded => "a body is now documented: send it".into(),
        K::ResponseBodyRemoved => "the body is no longer documented: stop sending it".into(),
        K::ResponseMediaTypeAdded => "new media type: you may send it".into(),
        K::ResponseMediaTypeRemoved => "media type removed: stop sending it".into(),
        K::ResponseHeaderAdded => "new, optional: send it when it applies".into(),
        K::ResponseHeaderRequiredAdded => "new, required: send it".into(),
        K::ResponseHeaderRemoved => "removed: you may stop sending it".into(),
        K::ResponseHeaderBecameRequired => "now required: always send it".into(),
        K::ResponseHeaderBecameOptional => "now optional: you may leave it out".into(),
        K::ResponsePropertyAdded => format!("new optional property {s}: send it when you have it"),
        K::ResponsePropertyRequiredAdded => format!("new required property {s}: send it in every response"),
        K::ResponsePropertyRemoved => format!("property {s} removed: stop sending it"),
        K::ResponsePropertyBecameRequired => format!("property {s} is now required: always send it"),
        K::ResponsePropertyBecameOptional => format!("property {s} is now optional: you may leave it out"),
        K::ResponsePropertyDeprecated => format!("{what}deprecated: keep sending it until a version removes it"),
        K::ResponseTypeWidened => format!("{what}type widened from {old} to {new}: you may send the new types"),
        K::ResponseTypeNarrowed => format!("{what}type narrowed from {old} to {new}: send only {new}"),
        K::ResponseTypeChanged => format!("{what}type changed from {old} to {new}: send the new type"),
        K::ResponseNullAdded => format!("{what}may now be null: you may send null"),
        K::ResponseNullRemoved => format!("{what}may no longer be null: never send null"),
        K::ResponseEnumValueAdded => format!("{what}new allowed values {new}: you may send them"),
        K::ResponseEnumValueRemoved => format!("{what}values no longer allowed {old}: stop sending them"),
        K::ResponseConstraintTightened => format!("{what}{keyword} tightened from {old} to {new}: send only what fits"),
        K::ResponseConstraintLoosened => {
            format!("{what}{keyword} loosened from {old} to {new}: you may send what now fits")
        }
        K::ResponseConstraintChanged => format!("{what}{keyword} changed from {old} to {new}: send only what fits"),
        K::ResponseAlternativeAdded => format!("{what}a new alternative in {keyword}: you may send it"),
        K::ResponseAlternativeRemoved => format!("{what}an alternative of {keyword} removed: stop sending it"),
        K::RequirementAdded => format!("new {new} requirement: {s}"),
        K::RequirementRemoved => format!("{old} requirement removed: {s}"),
        K::RequirementLevelRaised => format!("level raised from {old} to {new}: {s}"),
        K::RequirementLevelLowered => format!("level lowered from {old} to {new}: {s}"),
        K::RequirementTextChanged => format!("wording changed, read it again: {s}"),
        K::ScenarioAdded => format!("new scenario, make sure your product passes it: {s}"),
        K::ScenarioRemoved => format!("scenario removed: {s}"),
        K::ScenarioChanged => format!("scenario changed, make sure your product still passes it: {s}"),
    }
}

pub(super) fn place(p: &super::change::ChangePlace) -> String {
    use super::change::ChangePlace as P;
    match p {
        P::Operation => "the operation".into(),
        P::Security => "security".into(),
        P::Parameter { location, name } => format!("{location} parameter {name}"),
        P::RequestBody { media_type: None } => "request body".into(),
        P::RequestBody { media_type: Some(m) } => format!("request body {m}"),
        P::Response { status, media_type: None } => format!("response {status}"),
        P::Response { status, media_type: Some(m) } => format!("response {status} {m}"),
        P::ResponseHeader { status, name } => format!("response {status} header {name}"),
        P::Requirement { id } => format!("requirement {id}"),
        P::Scenario { id } => format!("scenario {id}"),
    }
}

pub(super) fn diff_text(t: super::change::DiffText) -> &'static str {
    use super::change::DiffText as D;
    match t {
        D::MustChange => "Must change",
        D::ShouldChange => "Should change",
        D::NoAction => "No action",
        D::BreakingForClients => "breaking for clients",
        D::Breaking => "Breaking for clients",
        D::Requirements => "Requirements",
        D::Scenarios => "Scenarios",
        D::NoChanges => "No changes.",
        D::Findings => "Findings",
        D::Changes => "Changes",
        D::Class => "Class",
        D::Count => "Count",
        D::Total => "Total",
    }
}

pub(super) fn diff_note(n: &super::change::DiffNote) -> String {
    use super::change::DiffNote as N;
    match n {
        N::Comparing { old, new } => format!("Changes from {old} to {new}, for the vendor"),
        N::ChangesSince { version, command } => format!("Changes since {version} (`{command}` lists them):"),
        N::Counted { total: 0, .. } => "no changes".into(),
        N::Counted { total, must, should, none, breaking } => format!(
            "{total} {}: {must} must change, {should} should change, {none} no action; {breaking} breaking for clients",
            if *total == 1 { "change" } else { "changes" }
        ),
        N::BreakingWithinMajor { old_version, new_version, breaking } => format!(
            "{old_version} to {new_version} keeps the major version, but {breaking} {} clients: a breaking change needs a new major version",
            if *breaking == 1 { "change breaks" } else { "changes break" }
        ),
        N::ChangedWithoutNewVersion { version, changes } => format!(
            "both declare version {version}, but they differ in {changes} {}: a changed document needs a new version",
            if *changes == 1 { "way" } else { "ways" }
        ),
        N::VersionGoesBack { old_version, new_version } => format!(
            "{new_version} is older than {old_version}: the changes are read from the newer version to the older"
        ),
    }
}

fn gen_input(i: &super::GenInput) -> String {
    use super::InvalidKind as K;
    let how = match i.kind {
        K::MissingRequired => "without the required",
        K::WrongType => "with a value of the wrong type for",
        K::OutOfRange => "with a value out of range for",
        K::BadFormat => "with a value of the wrong format for",
        K::NoPatternMatch => "with a value not matching the pattern of",
        K::UnknownEnumValue => "with a value outside the enum of",
        K::ExtraProperty => "with a property not allowed in",
        K::TooShort => "with too short a value for",
        K::TooLong => "with too long a value for",
    };
    format!("a request {how} {}", i.at)
}

fn gen_credentials(c: &super::GenCredentials) -> &'static str {
    match c {
        super::GenCredentials::None => "without credentials",
        super::GenCredentials::Invalid => "with invalid credentials",
    }
}

pub(super) fn model_text(t: &super::ModelText) -> String {
    use super::ModelText as M;
    let list = |items: &[String]| items.join(", ");
    match t {
        M::Heading { name } => format!("{name} (information model)"),
        M::UsedBy { specs } => format!("Used by: {}", list(specs)),
        M::UsedByNone => "Used by no specification version".into(),
        M::Affects { old, new, count: 1 } => {
            format!("1 specification version uses {old}; what moving to {new} means for it:")
        }
        M::Affects { old, new, count } => {
            format!("{count} specification versions use {old}; what moving to {new} means for each:")
        }
        M::AffectsNone { old } => format!("No specification version uses {old}: moving affects none."),
        M::Adopting { spec, new } => format!("{spec}, with {new}"),
        M::Already { new, specs } => format!("Already on {new}: {}", list(specs)),
        M::ConceptChanges { count: 1 } => "1 change to the model".into(),
        M::ConceptChanges { count } => format!("{count} changes to the model"),
        M::ConceptAdded { concept } => format!("concept {concept} added"),
        M::ConceptRemoved { concept } => format!("concept {concept} removed"),
        M::PropertyAdded { concept, property, required: true } => {
            format!("{concept}.{property} added, required")
        }
        M::PropertyAdded { concept, property, required: false } => {
            format!("{concept}.{property} added, optional")
        }
        M::PropertyRemoved { concept, property } => format!("{concept}.{property} removed"),
        M::PropertyTypeChanged { concept, property, old, new } => {
            format!("{concept}.{property} changed type: {old} → {new}")
        }
        M::PropertyBecameRequired { concept, property } => format!("{concept}.{property} became required"),
        M::PropertyBecameOptional { concept, property } => format!("{concept}.{property} became optional"),
        M::DefinitionChanged { concept, property: None } => format!("the definition of {concept} changed"),
        M::DefinitionChanged { concept, property: Some(p) } => format!("the definition of {concept}.{p} changed"),
        M::Concept { name, key } if key.is_empty() => name.clone(),
        M::Concept { name, key } => format!("{name} (identified by {})", list(key)),
        M::Required => "required".into(),
        M::Kind => "Information model".into(),
        M::PropertyColumn => "Property".into(),
        M::UsedByColumn => "Used by".into(),
        M::Models => "Information models".into(),
        M::ConceptsColumn => "Concepts".into(),
        M::Listed { model, title, concepts, users } => {
            format!(
                "information model {model} — {title}: {}; used by {users} specification version(s)",
                concepts.join(", ")
            )
        }
    }
}

pub(super) fn process_text(t: &super::ProcessText) -> String {
    use super::ProcessText as P;
    let states = |s: &[String]| s.join(", ");
    match t {
        P::Kind => "Process".into(),
        P::Heading { name } => format!("{name} (process)"),
        P::ImplementedBy { specs } => format!("Implemented by: {}", specs.join(", ")),
        P::ImplementedByNone => "No specification version implements it".into(),
        P::StatesHeading => "States".into(),
        P::TransitionsHeading => "Transitions".into(),
        P::Mapping { spec } => format!("How {spec} implements it"),
        P::StateColumn => "State".into(),
        P::TransitionColumn => "Transition".into(),
        P::FromColumn => "From".into(),
        P::ToColumn => "To".into(),
        P::ActorColumn => "Actor".into(),
        P::OperationColumn => "Operation".into(),
        P::StatusValueColumn => "Status value".into(),
        P::Initial => "initial".into(),
        P::Final => "final".into(),
        P::Stays => "(stays)".into(),
        P::Creates => "(new case)".into(),
        P::Outside { why } => format!("outside the API: {why}"),
        P::ReachTitle { transition } => format!("The transition {transition} works through the API"),
        P::ReachText { process, transition, operation, from, to } => {
            let from = if from.is_empty() { "a new case".to_string() } else { states(from) };
            let to = match to {
                Some(to) => format!("moves the case to {to}"),
                None => "leaves the case in the state it was in".to_string(),
            };
            format!(
                "In the process {process}, {transition} is allowed from {from}. Through the API, {operation} MUST do it from each of those states the API can reach, answer with a documented success status, and the transition {to}."
            )
        }
        P::RefuseTitle { transition } => format!("The transition {transition} is refused where the process forbids it"),
        P::RefuseText { process, transition, operation, status } => format!(
            "In every state the process {process} does not allow {transition} from, {operation} MUST be refused with status {status}, and the case MUST stay in its state."
        ),
        P::ReachScenario { transition, from: None } => format!("Process: {transition}"),
        P::ReachScenario { transition, from: Some(from) } => format!("Process: {transition} from {from}"),
        P::RefuseScenario { operation, state } => format!("Process: {operation} is refused in {state}"),
        P::Listed { process, title, states, users } => {
            format!("process {process} — {title}: {states} states; implemented by {users} specification version(s)")
        }
        P::Processes => "Processes".into(),
        P::ImplementedByColumn => "Implemented by".into(),
    }
}
