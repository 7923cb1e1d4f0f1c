//! The live rules of a profile judged on the responses a run recorded: error media types,
//! problem-details members, and date-times in UTC. Pure functions over the evidence.

use regex::Regex;
use serde_json::Value;

use super::{media_type_of, shorten};
use crate::catalogue::profile::LiveCheck;
use crate::report::model::{Check, CheckKind, Exchange, ScenarioResult};

/// At most this many violations are listed per rule.
const MAX_LISTED: usize = 20;

fn check(rule: &str, passed: bool, message: String) -> Check {
    Check {
        name: format!("profile {rule}"),
        kind: CheckKind::Profile,
        passed,
        message,
        expected: None,
        actual: None,
        location: None,
    }
}

fn header<'a>(ex: &'a Exchange, name: &str) -> Option<&'a str> {
    ex.response_headers.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
}

fn exchanges(scenarios: &[ScenarioResult]) -> impl Iterator<Item = &Exchange> {
    scenarios.iter().flat_map(|s| s.steps.iter()).filter_map(|st| st.exchange.as_ref()).filter(|ex| ex.status.is_some())
}

fn is_problem(ct: Option<&str>) -> bool {
    ct.is_some_and(|c| matches!(media_type_of(c).as_str(), "application/problem+json" | "application/problem+xml"))
}

/// Judges one passive rule over every recorded response; `None` when nothing the rule
/// concerns was observed (the requirement is then not tested, never passed).
pub fn passive(rule: &str, live: LiveCheck, scenarios: &[ScenarioResult]) -> Option<Vec<Check>> {
    let mut seen = 0usize;
    let mut bad = Vec::new();
    for ex in exchanges(scenarios) {
        let status = ex.status.unwrap_or(0);
        let ct = header(ex, "content-type");
        match live {
            LiveCheck::ProblemJson if status >= 400 => {
                seen += 1;
                if !is_problem(ct) {
                    bad.push(format!(
                        "{} {} answered {status} as {}",
                        ex.method,
                        ex.url,
                        ct.unwrap_or("(no content type)")
                    ));
                }
            }
            LiveCheck::ProblemMembers if is_problem(ct) && ct.is_some_and(|c| c.contains("json")) => {
                let Some(body) = ex.response_body.as_ref().filter(|b| !b.truncated) else { continue };
                seen += 1;
                let problem = match serde_json::from_str::<Value>(&body.text) {
                    Ok(Value::Object(m)) => m,
                    _ => {
                        bad.push(format!("{} {}: the problem body is not a JSON object", ex.method, ex.url));
                        continue;
                    }
                };
                if !problem.get("title").is_some_and(Value::is_string) {
                    bad.push(format!("{} {}: the problem has no `title`", ex.method, ex.url));
                }
                match problem.get("status").and_then(Value::as_u64) {
                    Some(s) if s == u64::from(status) => {}
                    Some(s) => bad.push(format!(
                        "{} {}: the problem's `status` is {s}, the response's {status}",
                        ex.method, ex.url
                    )),
                    None => bad.push(format!("{} {}: the problem has no numeric `status`", ex.method, ex.url)),
                }
            }
            LiveCheck::UtcDates => {
                let Some(body) = ex.response_body.as_ref().filter(|b| !b.truncated) else { continue };
                if !ct.is_some_and(super::is_json_media) {
                    continue;
                }
                let Ok(value) = serde_json::from_str::<Value>(&body.text) else { continue };
                let mut found = Vec::new();
                date_times(&value, &mut found);
                seen += found.len();
                for d in found.into_iter().filter(|d| !(d.ends_with('Z') || d.ends_with('z') || d.ends_with("+00:00")))
                {
                    bad.push(format!("{} {}: `{d}` is not in UTC", ex.method, ex.url));
                }
            }
            _ => {}
        }
    }
    if seen == 0 {
        return None;
    }
    if bad.is_empty() {
        let what = match live {
            LiveCheck::ProblemJson => "error responses were problem+json",
            LiveCheck::ProblemMembers => "problem bodies had title and a matching status",
            LiveCheck::UtcDates => "date-times were in UTC",
            _ => "observations held",
        };
        return Some(vec![check(rule, true, format!("all {seen} {what}"))]);
    }
    let total = bad.len();
    let mut checks: Vec<Check> =
        bad.into_iter().take(MAX_LISTED).map(|b| check(rule, false, shorten(&b, 300))).collect();
    if total > MAX_LISTED {
        checks.push(check(rule, false, format!("... and {} more", total - MAX_LISTED)));
    }
    Some(checks)
}

fn date_times(value: &Value, out: &mut Vec<String>) {
    static PATTERN: std::sync::OnceLock<Regex> = std::sync::OnceLock::new();
    let re = PATTERN.get_or_init(|| {
        Regex::new(r"^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$").expect("valid")
    });
    match value {
        Value::String(s) if re.is_match(s) => out.push(s.clone()),
        Value::Array(items) => items.iter().for_each(|v| date_times(v, out)),
        Value::Object(map) => map.values().for_each(|v| date_times(v, out)),
        _ => {}
    }
}
