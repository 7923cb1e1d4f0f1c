//! The passive rules of a profile, judged on every response of a run as it arrives (whole,
//! before evidence is redacted or cut at `--evidence-limit`): error media types,
//! problem-details members, and date-times in UTC. Pure functions of the response.

use regex::Regex;
use serde_json::Value;

use super::Response;
use crate::catalogue::profile::LiveCheck;
use crate::model::{media_type_of, shorten};
use crate::model::{Check, CheckKind};

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

fn is_problem(ct: Option<&str>) -> bool {
    ct.is_some_and(|c| matches!(media_type_of(c).as_str(), "application/problem+json" | "application/problem+xml"))
}

/// One response as the passive rules see it: the response whole, and the request named
/// as it may be shown (`url` already redacted).
pub struct Observed<'a> {
    pub method: &'a str,
    pub url: &'a str,
    pub response: &'a Response,
}

/// What one passive rule found in the responses of one scenario.
#[derive(Debug, Clone, Default)]
pub struct Observation {
    /// Responses (or values, for date-times) the rule concerned.
    seen: usize,
    violations: Vec<String>,
}

impl Observation {
    /// Judges one response by a rule and adds what it finds.
    pub fn observe(&mut self, live: LiveCheck, r: &Observed<'_>) {
        let status = r.response.status;
        let ct = r.response.header("content-type");
        let (method, url) = (r.method, r.url);
        match live {
            LiveCheck::ProblemJson if status >= 400 => {
                self.seen += 1;
                if !is_problem(ct) {
                    let shown = ct.unwrap_or("(no content type)");
                    self.violations.push(format!("{method} {url} answered {status} as {shown}"));
                }
            }
            LiveCheck::ProblemMembers if is_problem(ct) && ct.is_some_and(|c| c.contains("json")) => {
                self.seen += 1;
                let Ok(Value::Object(problem)) = r.response.json() else {
                    self.violations.push(format!("{method} {url}: the problem body is not a JSON object"));
                    return;
                };
                if !problem.get("title").is_some_and(Value::is_string) {
                    self.violations.push(format!("{method} {url}: the problem has no `title`"));
                }
                match problem.get("status").and_then(Value::as_u64) {
                    Some(s) if s == u64::from(status) => {}
                    Some(s) => self
                        .violations
                        .push(format!("{method} {url}: the problem's `status` is {s}, the response's {status}")),
                    None => self.violations.push(format!("{method} {url}: the problem has no numeric `status`")),
                }
            }
            LiveCheck::UtcDates if ct.is_some_and(crate::model::is_json_media) => {
                let Ok(value) = r.response.json() else { return };
                let mut found = Vec::new();
                date_times(value, &mut found);
                self.seen += found.len();
                for d in found.into_iter().filter(|d| !(d.ends_with('Z') || d.ends_with('z') || d.ends_with("+00:00")))
                {
                    self.violations.push(format!("{method} {url}: `{d}` is not in UTC"));
                }
            }
            _ => {}
        }
    }
}

/// One passive rule over a whole run: the observations of its scenarios added up as they
/// finish. What it keeps is bounded: a count of what it saw and at most [`MAX_LISTED`]
/// violations.
#[derive(Debug, Clone)]
pub struct Passive {
    pub rule: String,
    pub live: LiveCheck,
    seen: usize,
    bad: Vec<String>,
    total_bad: usize,
}

impl Passive {
    /// `None` for rules that are not judged from the run's responses.
    pub fn new(rule: &str, live: LiveCheck) -> Option<Passive> {
        matches!(live, LiveCheck::ProblemJson | LiveCheck::ProblemMembers | LiveCheck::UtcDates).then(|| Passive {
            rule: rule.to_string(),
            live,
            seen: 0,
            bad: Vec::new(),
            total_bad: 0,
        })
    }

    /// Adds what the rule found in one scenario.
    pub fn add(&mut self, observation: Observation) {
        self.seen += observation.seen;
        for text in observation.violations {
            self.total_bad += 1;
            if self.bad.len() < MAX_LISTED {
                self.bad.push(shorten(&text, 300));
            }
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
