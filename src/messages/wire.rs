//! How a message is written in the JSON report: its English text where format 1.0 had it
//! (`message`, `expected`, `actual` of a check; `reason` of a step), for readers that do not
//! render messages themselves, and the message as data beside it (`message_data`,
//! `reason_data`: `{"key", "args"}`), from which `konform report --lang sv` renders. A report
//! of format 1.0 has no data; its English text is then shown as it is.

use schemars::JsonSchema;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::{Lang, Msg};

/// A check's message (used with `#[serde(flatten, with = "...")]`).
pub mod check {
    use super::*;

    #[derive(Serialize)]
    struct Out<'a> {
        message: String,
        #[serde(skip_serializing_if = "Option::is_none")]
        expected: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        actual: Option<String>,
        message_data: &'a Msg,
    }

    #[derive(Deserialize)]
    struct In {
        message: String,
        expected: Option<String>,
        actual: Option<String>,
        message_data: Option<Msg>,
    }

    /// The schema of the members written.
    #[derive(JsonSchema)]
    #[allow(dead_code)]
    pub struct Members {
        /// The message in English.
        message: String,
        /// What was expected, in English.
        expected: Option<String>,
        /// What was there, in English.
        actual: Option<String>,
        /// The message as data (format 1.1 and later).
        message_data: Option<Msg>,
    }

    pub fn serialize<S: Serializer>(m: &Msg, s: S) -> Result<S::Ok, S::Error> {
        let english = m.render(Lang::En);
        Out { message: english.message, expected: english.expected, actual: english.actual, message_data: m }
            .serialize(s)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Msg, D::Error> {
        let read = In::deserialize(d)?;
        Ok(read.message_data.unwrap_or(Msg::Text {
            message: read.message,
            expected: read.expected,
            actual: read.actual,
        }))
    }
}

/// A step's reason (used with `#[serde(flatten, with = "...")]`).
pub mod reason {
    use super::*;

    #[derive(Serialize)]
    struct Out<'a> {
        reason: String,
        reason_data: &'a Msg,
    }

    #[derive(Deserialize)]
    struct In {
        reason: Option<String>,
        reason_data: Option<Msg>,
    }

    /// The schema of the members written.
    #[derive(JsonSchema)]
    #[allow(dead_code)]
    pub struct Members {
        /// One line, in English: why the step did not pass (or was skipped).
        reason: Option<String>,
        /// The reason as data (format 1.1 and later).
        reason_data: Option<Msg>,
    }

    pub fn serialize<S: Serializer>(m: &Option<Msg>, s: S) -> Result<S::Ok, S::Error> {
        match m {
            Some(m) => Out { reason: m.line(Lang::En), reason_data: m }.serialize(s),
            None => s.serialize_unit_struct("NoReason"),
        }
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Msg>, D::Error> {
        let read = In::deserialize(d)?;
        Ok(read.reason_data.or(read.reason.map(|message| Msg::Text { message, expected: None, actual: None })))
    }
}
