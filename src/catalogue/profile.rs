//! Profiles: rule sets that apply across specifications (the Swedish REST API profile).
//! A specification opts in with `profiles: [api-profile]` in its spec.yaml; `konform run`
//! then checks the profile's live rules against the target as well.

use serde::{Deserialize, Serialize};

use crate::model::{Level, Localized};

/// The file that marks a folder as a profile.
pub const PROFILE_FILE: &str = "profile.yaml";

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Profile {
    pub id: String,
    pub version: semver::Version,
    pub title: Localized,
    pub rules: Vec<ProfileRule>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ProfileRule {
    pub id: String,
    pub level: Level,
    /// How the rule is observed on a live service.
    pub check: LiveCheck,
    pub title: Localized,
    pub text: Localized,
}

/// The live checks konform knows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum LiveCheck {
    /// Every 4XX/5XX response observed is application/problem+json (or +xml).
    ProblemJson,
    /// Every problem+json body observed has `title` and a `status` equal to the HTTP status.
    ProblemMembers,
    /// `GET <base>/api-info` answers 200 with a JSON object.
    ApiInfo,
    /// `GET <base>/api-info` with a body is answered 4XX.
    GetBodyRefused,
    /// Every RFC 3339 date-time in a JSON response is in UTC.
    UtcDates,
    /// Every 2XX response observed with a body has a JSON media type.
    JsonBodies,
    /// Every Date, Last-Modified, ETag and Cache-Control header observed is well-formed
    /// (RFC 9110, RFC 9111).
    StandardHeaders,
    /// An https target is reached with TLS 1.2 or later (judged only for https targets).
    Tls,
    /// `GET <base>/api-info` with a valid `traceparent` is served as it is without one.
    TraceparentAccepted,
    /// Every response observed carries a well-formed `traceparent` (W3C Trace Context).
    TraceparentReturned,
}
