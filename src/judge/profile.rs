//! The live rules of a profile judged on the responses a run recorded: error media types,
//! problem-details members, and date-times in UTC. Pure functions over the evidence.

use regex::Regex;
use serde_json::Value;

use crate::catalogue::profile::LiveCheck;
use crate::model::{media_type_of, shorten};
use crate::model::{Check, CheckKind, Exchange, StepResult};

/// At most this many violations are listed per rule.
const MAX_LISTED: usize = 20;

/// A check of a profile rule.
pub fn check(rule: &str, passed: bool, message: String) -> Check {
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

fn is_problem(ct: Option<&str>) -> bool {
    ct.is_some_and(|c| matches!(media_type_of(c).as_str(), "application/problem+json" | "application/problem+xml"))
}

/// One passive rule, judged incrementally over every recorded response as scenarios
/// finish, so a run's evidence need not be kept in memory for it. What it keeps is
/// bounded: a count of responses seen and at most [`MAX_LISTED`] violations.
#[derive(Debug, Clone)]
pub struct Passive {
    pub rule: String,
    live: LiveCheck,
    seen: usize,
    bad: Vec<String>,
    total_bad: usize,
}

impl Passive {
    /// `None` for rules that are not judged from recorded responses.
    pub fn new(rule: &str, live: LiveCheck) -> Option<Passive> {
        matches!(live, LiveCheck::ProblemJson | LiveCheck::ProblemMembers | LiveCheck::UtcDates).then(|| Passive {
            rule: rule.to_string(),
            live,
            seen: 0,
            bad: Vec::new(),
            total_bad: 0,
        })
    }

    fn violation(&mut self, text: String) {
        self.total_bad += 1;
        if self.bad.len() < MAX_LISTED {
            self.bad.push(shorten(&text, 300));
        }
    }

    /// Takes in every response of a finished scenario.
    pub fn observe_all(&mut self, steps: &[StepResult]) {
        for ex in steps.iter().filter_map(|st| st.exchange.as_ref()) {
            self.observe(ex);
        }
    }

    pub fn observe(&mut self, ex: &Exchange) {
        let Some(status) = ex.status else { return };
        let ct = header(ex, "content-type");
        match self.live {
            LiveCheck::ProblemJson if status >= 400 => {
                self.seen += 1;
                if !is_problem(ct) {
                    self.violation(format!(
                        "{} {} answered {status} as {}",
                        ex.method,
                        ex.url,
                        ct.unwrap_or("(no content type)")
                    ));
                }
            }
            LiveCheck::ProblemMembers if is_problem(ct) && ct.is_some_and(|c| c.contains("json")) => {
                let Some(body) = ex.response_body.as_ref().filter(|b| !b.truncated) else { return };
                self.seen += 1;
                let problem = match serde_json::from_str::<Value>(&body.text) {
                    Ok(Value::Object(m)) => m,
                    _ => {
                        self.violation(format!("{} {}: the problem body is not a JSON object", ex.method, ex.url));
                        return;
                    }
                };
                if !problem.get("title").is_some_and(Value::is_string) {
                    self.violation(format!("{} {}: the problem has no `title`", ex.method, ex.url));
                }
                match problem.get("status").and_then(Value::as_u64) {
                    Some(s) if s == u64::from(status) => {}
                    Some(s) => self.violation(format!(
                        "{} {}: the problem's `status` is {s}, the response's {status}",
                        ex.method, ex.url
                    )),
                    None => self.violation(format!("{} {}: the problem has no numeric `status`", ex.method, ex.url)),
                }
            }
            LiveCheck::UtcDates => {
                let Some(body) = ex.response_body.as_ref().filter(|b| !b.truncated) else { return };
                if !ct.is_some_and(crate::model::is_json_media) {
                    return;
                }
                let Ok(value) = serde_json::from_str::<Value>(&body.text) else { return };
                let mut found = Vec::new();
                date_times(&value, &mut found);
                self.seen += found.len();
                for d in found.into_iter().filter(|d| !(d.ends_with('Z') || d.ends_with('z') || d.ends_with("+00:00")))
                {
                    self.violation(format!("{} {}: `{d}` is not in UTC", ex.method, ex.url));
                }
            }
            _ => {}
        }
    }

    /// The rule's checks; `None` when nothing the rule concerns was observed (the
    /// requirement is then not tested, never passed).
    pub fn finish(self) -> Option<Vec<Check>> {
        if self.seen == 0 {
            return None;
        }
        let rule = &self.rule;
        if self.bad.is_empty() {
            let what = match self.live {
                LiveCheck::ProblemJson => "error responses were problem+json",
                LiveCheck::ProblemMembers => "problem bodies had title and a matching status",
                LiveCheck::UtcDates => "date-times were in UTC",
                _ => "observations held",
            };
            return Some(vec![check(rule, true, format!("all {} {what}", self.seen))]);
        }
        let listed = self.bad.len();
        let mut checks: Vec<Check> = self.bad.into_iter().map(|b| check(rule, false, b)).collect();
        if self.total_bad > listed {
            checks.push(check(rule, false, format!("... and {} more", self.total_bad - listed)));
        }
        Some(checks)
    }
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
