//! A stable view of a report: volatile values (timestamps, durations, the target's host and
//! port, generated ids, trace context) replaced by placeholders, so two runs can be compared line by line
//! (`konform report --normalize`) and snapshot tests see only what matters.

use regex::Regex;
use serde_json::Value;

use crate::model::RunReport;

const DURATION_KEYS: [&str; 2] = ["duration_ms", "total_ms"];
const TIMESTAMP_KEYS: [&str; 2] = ["started", "finished"];

/// The report with its volatile values replaced (an error only if the report does not
/// survive a round trip through JSON, which a report konform read never fails).
pub fn normalize(report: &RunReport) -> Result<RunReport, serde_json::Error> {
    let origin =
        url::Url::parse(&report.target.base_url).ok().map(|u| u.origin().ascii_serialization()).filter(|o| o != "null");
    let mut value = serde_json::to_value(report)?;
    let patterns = Patterns {
        uuid: Regex::new(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")
            .expect("valid"),
        cut_hex: Regex::new(r"[0-9a-fA-F]{4}[0-9a-fA-F-]*…").expect("valid"),
        timestamp: Regex::new(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})").expect("valid"),
        cut_timestamp: Regex::new(r"\d{4}-\d{2}-\d{2}T[0-9:.]*…").expect("valid"),
        traceparent: Regex::new(r"\b[0-9a-f]{2}-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}\b").expect("valid"),
        host_port: origin.as_deref().and_then(|o| o.split_once("://")).map(|(_, hp)| hp.to_string()),
    };
    walk(&mut value, None, &patterns);
    serde_json::from_value(value)
}

struct Patterns {
    uuid: Regex,
    /// An id cut short by a shortened message (`c69f5fe…`).
    cut_hex: Regex,
    timestamp: Regex,
    /// A timestamp cut short by a shortened message (`2026-11-23T04:…`).
    cut_timestamp: Regex,
    /// A W3C `traceparent` written into a string (a curl line).
    traceparent: Regex,
    host_port: Option<String>,
}

fn walk(value: &mut Value, key: Option<&str>, p: &Patterns) {
    match value {
        Value::Object(map) => {
            // Response headers that only carry the time of the answer.
            for (k, v) in map.iter_mut() {
                walk(v, Some(k), p);
            }
        }
        Value::Array(items) => {
            if items.len() == 2 && items[0].as_str().is_some_and(|h| h.eq_ignore_ascii_case("date")) {
                items[1] = Value::String("<date>".into());
                return;
            }
            // A trace id and span id are new for every request.
            if items.len() == 2 && items[0].as_str().is_some_and(|h| h.eq_ignore_ascii_case("traceparent")) {
                items[1] = Value::String("<traceparent>".into());
                return;
            }
            for v in items {
                walk(v, key, p);
            }
        }
        Value::Number(_) if key.is_some_and(|k| DURATION_KEYS.contains(&k)) => *value = Value::from(0),
        Value::String(s) if key.is_some_and(|k| TIMESTAMP_KEYS.contains(&k)) => *s = "<timestamp>".into(),
        Value::String(s) => {
            let mut out = p.uuid.replace_all(s, "<uuid>").into_owned();
            out = p.cut_hex.replace_all(&out, "<hex>…").into_owned();
            out = p.timestamp.replace_all(&out, "<timestamp>").into_owned();
            out = p.cut_timestamp.replace_all(&out, "<timestamp>…").into_owned();
            out = p.traceparent.replace_all(&out, "<traceparent>").into_owned();
            if let Some(hp) = &p.host_port {
                out = out.replace(hp.as_str(), "<host>");
            }
            *s = out;
        }
        _ => {}
    }
}
