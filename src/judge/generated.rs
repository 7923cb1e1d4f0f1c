//! What the answer to a generated request means (`run --generate`): one check named after
//! the generated check (`negative-data`, `positive-data`, `auth`, `methods`,
//! `missing-headers`), beside the automatic checks of the answer against the description.

use super::Response;
use crate::catalogue::generate::GenCheck;
use crate::catalogue::openapi::Operation;
use crate::generate::Expect;
use crate::messages::Msg;
use crate::model::{Check, CheckKind};

/// The check of one generated request's answer. `op` is the operation the request was
/// made for (for `methods`, the path's documented one, whose statuses do not apply).
pub fn judge(check: GenCheck, op: &Operation, method: &str, expect: &Expect, response: &Response) -> Check {
    let status = response.status;
    let documented = || op.responses.iter().map(|r| r.status.to_string()).collect::<Vec<_>>();
    let is_documented = op.response_for(status).is_some();
    let (passed, said) = match expect {
        Expect::Refused { input, .. } => {
            let input = input.clone();
            match status {
                400..=499 if is_documented => (true, Msg::GenInvalidRefused { input, status }),
                // A path that breaks its parameter's schema names no resource: HTTP lets
                // any operation answer 404 to it.
                404 if input.at.starts_with("path ") => (true, Msg::GenInvalidRefused { input, status }),
                400..=499 => (false, Msg::GenInvalidUndocumented { input, status, documented: documented() }),
                500.. => (false, Msg::GenInvalidServerError { input, status }),
                _ => (false, Msg::GenInvalidAccepted { input, status }),
            }
        }
        Expect::Answered { .. } => match status {
            500.. => (false, Msg::GenValidServerError { status }),
            _ if !is_documented => (false, Msg::GenValidUndocumented { status, documented: documented() }),
            _ => (true, Msg::GenValidAnswered { status }),
        },
        Expect::Unauthorized(credentials) => {
            let credentials = *credentials;
            match status {
                401 | 403 if is_documented => (true, Msg::GenAuthRefused { credentials, status }),
                401 | 403 => (false, Msg::GenAuthUndocumented { credentials, status }),
                _ => (false, Msg::GenAuthNotRefused { credentials, status }),
            }
        }
        Expect::MethodRefused => {
            let method = method.to_string();
            match status {
                405 if response.header("allow").is_none() => (false, Msg::GenMethodNoAllow { method }),
                404 | 405 | 501 => (true, Msg::GenMethodRefused { method, status }),
                _ => (false, Msg::GenMethodServed { method, status }),
            }
        }
    };
    Check {
        name: check.name().to_string(),
        kind: CheckKind::Generated,
        passed,
        said,
        location: None,
        pointer: None,
        requirement: None,
    }
}

/// Whether two checks fail the same way (a shrunk input must fail as the original did).
pub fn same_failure(a: &Check, b: &Check) -> bool {
    !a.passed && !b.passed && std::mem::discriminant(&a.said) == std::mem::discriminant(&b.said)
}
