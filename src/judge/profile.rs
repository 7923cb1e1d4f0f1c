//! The passive rules of a profile, judged on every response of a run as it arrives (whole,
//! before evidence is redacted or cut at `--evidence-limit`): error media types,
//! problem-details members, and date-times in UTC. Pure functions of the response.

use regex::Regex;
use serde_json::Value;

use super::Response;
use crate::catalogue::profile::LiveCheck;
use crate::messages::Msg;
use crate::model::shorten;
use crate::model::{Check, CheckKind, Observation, Place, ScenarioResult, StepResult, Verdict};

/// At most this many violations are listed per rule.
const MAX_LISTED: usize = 20;

/// The synthetic scenario `<profile>/<rule>` that covers a profile rule: one step holding
/// the rule's checks (and the probe's exchange, for a live probe).
pub fn rule_scenario(
    profile: &crate::catalogue::profile::Profile,
    file: &str,
    rule: &crate::catalogue::profile::ProfileRule,
    checks: Vec<Check>,
    exchange: Option<crate::model::Exchange>,
    failure: Option<Msg>,
    duration_ms: f64,
) -> ScenarioResult {
    let verdict = if failure.is_some() { Verdict::Error } else { super::verdict::step_verdict(&checks) };
    let reason = failure.or_else(|| checks.iter().find(|c| !c.passed).map(|c| c.said.clone()));
    let step = StepResult {
        name: rule.title.en.clone(),
        operation: format!("{} live check", rule.id),
        verdict,
        reason,
        cleanup: false,
        setup: false,
        location: Place { file: file.to_string(), at: None },
        checks,
        exchange,
    };
    ScenarioResult {
        id: format!("{}/{}", profile.id, rule.id),
        role: None,
        title: rule.title.clone(),
        covers: vec![rule.id.clone()],
        verdict: super::verdict::scenario_verdict(std::slice::from_ref(&step)),
        blocked_by: None,
        verdicts: Default::default(),
        duration_ms,
        steps: vec![step].into(),
    }
}

/// The passive rules of a specification's profiles: (profile id, rule id, what it checks),
/// in the order the profiles list them. Exec observes responses for them in this order, and
/// the aggregator adds the observations up in the same order.
pub fn passive_rules(
    catalogue: &crate::catalogue::Catalogue,
    spec: &crate::catalogue::Spec,
) -> Vec<(String, String, LiveCheck)> {
    catalogue
        .profiles_of(spec)
        .into_iter()
        .flat_map(|(_, p)| p.rules.iter().map(move |r| (p.id.clone(), r.id.clone(), r.check)))
        .filter(|(_, _, live)| is_passive(*live))
        .collect()
}

/// Whether a rule is judged on the run's own responses (the others are probed).
pub fn is_passive(live: LiveCheck) -> bool {
    matches!(
        live,
        LiveCheck::ProblemJson
            | LiveCheck::ProblemMembers
            | LiveCheck::UtcDates
            | LiveCheck::JsonBodies
            | LiveCheck::StandardHeaders
            | LiveCheck::TraceparentReturned
    )
}

/// A check of a profile rule.
pub fn check(rule: &str, passed: bool, said: Msg) -> Check {
    Check {
        name: format!("profile {rule}"),
        kind: CheckKind::Profile,
        passed,
        said,
        location: None,
        pointer: None,
        requirement: None,
    }
}

fn is_problem(ct: Option<&str>) -> bool {
    ct.is_some_and(crate::model::is_problem_media)
}

/// One response as the passive rules see it: the response whole, and the request that was
/// sent (the findings are redacted with the rest of the scenario when it leaves exec).
pub struct Observed<'a> {
    pub method: &'a str,
    pub url: &'a str,
    pub response: &'a Response,
}

/// Judges one response by a passive rule and adds what it finds to `found`.
pub fn observe(found: &mut Observation, live: LiveCheck, r: &Observed<'_>) {
    let status = r.response.status;
    let ct = r.response.header("content-type");
    // Long URLs are cut: a violation is one line of a report.
    let (method, url) = (r.method.to_string(), shorten(r.url, 200));
    match live {
        LiveCheck::ProblemJson if status >= 400 => {
            found.seen += 1;
            if !is_problem(ct) {
                let content_type = ct.map(|c| shorten(c, 80));
                found.violations.push(Msg::ErrorNotProblemJson { method, url, status, content_type });
            }
        }
        LiveCheck::ProblemMembers if is_problem(ct) && ct.is_some_and(|c| c.contains("json")) => {
            found.seen += 1;
            let Ok(Value::Object(problem)) = r.response.json() else {
                found.violations.push(Msg::ProblemNotObject { method, url });
                return;
            };
            if !problem.get("title").is_some_and(Value::is_string) {
                found.violations.push(Msg::ProblemWithoutTitle { method: method.clone(), url: url.clone() });
            }
            match problem.get("status").and_then(Value::as_u64) {
                Some(s) if s == u64::from(status) => {}
                Some(problem_status) => {
                    found.violations.push(Msg::ProblemStatusDiffers { method, url, problem_status, status })
                }
                None => found.violations.push(Msg::ProblemWithoutStatus { method, url }),
            }
        }
        LiveCheck::UtcDates if ct.is_some_and(crate::model::is_json_media) => {
            let Ok(value) = r.response.json() else { return };
            let mut dates = Vec::new();
            date_times(value, &mut dates);
            found.seen += dates.len();
            for d in dates.into_iter().filter(|d| !(d.ends_with('Z') || d.ends_with('z') || d.ends_with("+00:00"))) {
                found.violations.push(Msg::DateNotUtc { method: method.clone(), url: url.clone(), value: d });
            }
        }
        // ARQ.03: the standard headers a response carries are written as their RFCs say, so
        // that clients and caches read them as meant.
        LiveCheck::StandardHeaders => {
            for name in STANDARD_HEADERS {
                let Some(value) = r.response.header(name) else { continue };
                found.seen += 1;
                if !well_formed(name, value) {
                    let (header, value) = (name.to_string(), shorten(value, 120));
                    found.violations.push(Msg::MalformedHeader {
                        method: method.clone(),
                        url: url.clone(),
                        header,
                        value,
                    });
                }
            }
        }
        // SPA.04: every response says which trace it belongs to.
        LiveCheck::TraceparentReturned => {
            found.seen += 1;
            let value = r.response.header("traceparent");
            if !value.is_some_and(is_traceparent) {
                let value = value.map(|v| shorten(v, 80));
                found.violations.push(Msg::TraceparentMissing { method, url, status, value });
            }
        }
        // AME.01: a representation the API returns is JSON. Only successful responses that
        // carry a body concern it (a 204 or an empty 200 shows no representation).
        LiveCheck::JsonBodies if (200..300).contains(&status) && !r.response.body.is_empty() => {
            found.seen += 1;
            if !ct.is_some_and(crate::model::is_json_media) {
                let content_type = ct.map(|c| shorten(c, 80));
                found.violations.push(Msg::SuccessNotJson { method, url, status, content_type });
            }
        }
        _ => {}
    }
}

/// A `traceparent` as W3C Trace Context writes it: `version-traceid-parentid-flags` in
/// lowercase hex, version 00 (or a later one, which may append fields), neither id all
/// zeros, and version ff never.
pub fn is_traceparent(value: &str) -> bool {
    let hex = |s: &str, n: usize| s.len() == n && s.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'));
    let zero = |s: &str| s.bytes().all(|b| b == b'0');
    let parts: Vec<&str> = value.trim().split('-').collect();
    let [version, trace, parent, flags, rest @ ..] = parts.as_slice() else { return false };
    hex(version, 2)
        && *version != "ff"
        && (rest.is_empty() || *version != "00")
        && hex(trace, 32)
        && !zero(trace)
        && hex(parent, 16)
        && !zero(parent)
        && hex(flags, 2)
}

/// One passive rule over a whole run: the observations of its scenarios added up as they
/// finish. What it keeps is bounded: a count of what it saw and at most [`MAX_LISTED`]
/// violations.
#[derive(Debug, Clone)]
pub struct Passive {
    pub rule: String,
    pub live: LiveCheck,
    seen: usize,
    bad: Vec<Msg>,
    total_bad: usize,
}

impl Passive {
    /// `None` for rules that are not judged from the run's responses.
    pub fn new(rule: &str, live: LiveCheck) -> Option<Passive> {
        is_passive(live).then(|| Passive { rule: rule.to_string(), live, seen: 0, bad: Vec::new(), total_bad: 0 })
    }

    /// Adds what the rule found in one scenario.
    pub fn add(&mut self, observation: Observation) {
        self.seen += observation.seen;
        for violation in observation.violations {
            self.total_bad += 1;
            if self.bad.len() < MAX_LISTED {
                self.bad.push(violation);
            }
        }
    }

    /// Adds what the rule found elsewhere (a shard being merged): `seen` things, `violations`
    /// of them, the first of which are `listed`.
    pub fn add_counted(&mut self, seen: usize, listed: Vec<Msg>, violations: usize) {
        self.seen += seen;
        self.total_bad += violations.max(listed.len());
        let room = MAX_LISTED.saturating_sub(self.bad.len());
        self.bad.extend(listed.into_iter().take(room));
    }

    /// How many things it concerned so far (responses, or date-times).
    pub fn seen(&self) -> usize {
        self.seen
    }

    /// How many violations it found so far.
    pub fn violations(&self) -> usize {
        self.total_bad
    }

    /// The rule's checks; `None` when nothing the rule concerns was observed (the
    /// requirement is then not tested, never passed).
    pub fn finish(self) -> Option<Vec<Check>> {
        if self.seen == 0 {
            return None;
        }
        let rule = &self.rule;
        if self.bad.is_empty() {
            let count = self.seen;
            let held = match self.live {
                LiveCheck::ProblemMembers => Msg::AllProblemsComplete { count },
                LiveCheck::UtcDates => Msg::AllDatesUtc { count },
                LiveCheck::JsonBodies => Msg::AllSuccessJson { count },
                LiveCheck::StandardHeaders => Msg::AllHeadersWellFormed { count },
                LiveCheck::TraceparentReturned => Msg::AllTraceparent { count },
                // `new` admits only the passive rules.
                _ => Msg::AllErrorsProblemJson { count },
            };
            return Some(vec![check(rule, true, held)]);
        }
        let listed = self.bad.len();
        let mut checks: Vec<Check> = self.bad.into_iter().map(|b| check(rule, false, b)).collect();
        if self.total_bad > listed {
            checks.push(check(rule, false, Msg::AndMore { count: self.total_bad - listed }));
        }
        Some(checks)
    }
}

/// The headers ARQ.03 reads, lower case.
const STANDARD_HEADERS: [&str; 4] = ["date", "last-modified", "etag", "cache-control"];

/// Whether a standard header's value is written as its RFC says a sender writes it:
/// dates as IMF-fixdate (RFC 9110 5.6.7; the obsolete forms are for recipients to accept,
/// not for senders to send), an entity tag quoted (RFC 9110 8.8.3), and Cache-Control as
/// comma-separated directives, each a token with an optional token or quoted value (RFC
/// 9111 5.2).
fn well_formed(name: &str, value: &str) -> bool {
    static DATE: std::sync::OnceLock<Regex> = std::sync::OnceLock::new();
    static ETAG: std::sync::OnceLock<Regex> = std::sync::OnceLock::new();
    static DIRECTIVE: std::sync::OnceLock<Regex> = std::sync::OnceLock::new();
    match name {
        "date" | "last-modified" => DATE
            .get_or_init(|| {
                Regex::new(
                    r"^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), (0[1-9]|[12]\d|3[01]) (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4} ([01]\d|2[0-3]):[0-5]\d:([0-5]\d|60) GMT$",
                )
                .expect("valid")
            })
            .is_match(value),
        "etag" => ETAG.get_or_init(|| Regex::new(r#"^(W/)?"[\x21\x23-\x7E\x80-\xFF]*"$"#).expect("valid")).is_match(value),
        "cache-control" => {
            let directive = DIRECTIVE.get_or_init(|| {
                Regex::new(r#"^[!#$%&'*+.^_`|~0-9A-Za-z-]+(=([!#$%&'*+.^_`|~0-9A-Za-z-]+|"([^"\\]|\\.)*"))?$"#)
                    .expect("valid")
            });
            value.split(',').map(str::trim).all(|d| directive.is_match(d))
        }
        _ => true,
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

#[cfg(test)]
mod tests {
    use super::*;

    fn violation(n: usize) -> Msg {
        Msg::DateNotUtc { method: "GET".into(), url: format!("/{n}"), value: "2026-01-01T00:00:00+01:00".into() }
    }

    #[test]
    fn what_shards_observed_adds_up_as_one_run() {
        // Two shards: 15 violations each, all listed; 40 and 60 date-times seen.
        let mut merged = Passive::new("DOT.01", LiveCheck::UtcDates).unwrap();
        merged.add_counted(40, (0..15).map(violation).collect(), 15);
        merged.add_counted(60, (15..30).map(violation).collect(), 15);
        // One run seeing the same.
        let mut whole = Passive::new("DOT.01", LiveCheck::UtcDates).unwrap();
        whole.add(Observation { seen: 100, violations: (0..30).map(violation).collect() });
        assert_eq!((merged.seen(), merged.violations()), (100, 30));
        let (merged, whole) = (merged.finish().unwrap(), whole.finish().unwrap());
        assert_eq!(merged.len(), 21, "20 listed and one for the rest");
        assert_eq!(merged.last().unwrap().said, Msg::AndMore { count: 10 });
        let said = |checks: &[Check]| checks.iter().map(|c| (c.passed, c.said.clone())).collect::<Vec<_>>();
        assert_eq!(said(&merged), said(&whole));
        // Nothing violated: the count of what was seen.
        let mut clean = Passive::new("DOT.01", LiveCheck::UtcDates).unwrap();
        clean.add_counted(3, Vec::new(), 0);
        clean.add_counted(0, Vec::new(), 0);
        assert_eq!(clean.finish().unwrap()[0].said, Msg::AllDatesUtc { count: 3 });
    }

    fn seen_by_json_bodies(status: u16, content_type: Option<&str>, body: &'static str) -> Observation {
        let headers = content_type.map(|c| ("Content-Type".to_string(), c.to_string())).into_iter().collect();
        let response = Response::new(status, headers, bytes::Bytes::from_static(body.as_bytes()));
        let mut found = Observation::default();
        observe(&mut found, LiveCheck::JsonBodies, &Observed { method: "GET", url: "/x", response: &response });
        found
    }

    #[test]
    fn json_bodies_judges_successful_responses_with_a_body() {
        let clean = seen_by_json_bodies(200, Some("application/json; charset=utf-8"), "{}");
        let vendor_json = seen_by_json_bodies(201, Some("application/vnd.x+json"), "{}");
        let csv = seen_by_json_bodies(200, Some("text/csv"), "a,b");
        let untyped = seen_by_json_bodies(200, None, "a");
        for (found, bad) in [(&clean, 0), (&vendor_json, 0), (&csv, 1), (&untyped, 1)] {
            assert_eq!((found.seen, found.violations.len()), (1, bad), "{found:?}");
        }
        assert_eq!(
            csv.violations[0],
            Msg::SuccessNotJson {
                method: "GET".into(),
                url: "/x".into(),
                status: 200,
                content_type: Some("text/csv".into())
            }
        );
        let mut rule = Passive::new("AME.01", LiveCheck::JsonBodies).unwrap();
        rule.add(clean);
        assert_eq!(rule.finish().unwrap()[0].said, Msg::AllSuccessJson { count: 1 });
        let mut rule = Passive::new("AME.01", LiveCheck::JsonBodies).unwrap();
        rule.add(csv);
        assert!(!rule.finish().unwrap()[0].passed);
    }

    fn seen_by_standard_headers(headers: &[(&str, &str)]) -> Observation {
        let headers = headers.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        let response = Response::new(200, headers, bytes::Bytes::new());
        let mut found = Observation::default();
        observe(&mut found, LiveCheck::StandardHeaders, &Observed { method: "GET", url: "/x", response: &response });
        found
    }

    #[test]
    fn standard_headers_are_judged_as_their_rfcs_write_them() {
        let clean = seen_by_standard_headers(&[
            ("Date", "Fri, 04 Dec 2026 15:31:39 GMT"),
            ("Last-Modified", "Tue, 01 Dec 2026 08:00:00 GMT"),
            ("ETag", "W/\"a1b2\""),
            ("Cache-Control", "private, max-age=60, no-cache=\"Set-Cookie\""),
        ]);
        assert_eq!((clean.seen, clean.violations.len()), (4, 0), "{clean:?}");
        for (name, bad) in [
            ("Date", "2026-12-04T15:31:39Z"),
            ("Date", "Fri, 4 Dec 2026 15:31:39 GMT"),
            ("Last-Modified", "Friday, 04-Dec-26 15:31:39 GMT"),
            ("ETag", "a1b2"),
            ("Cache-Control", "max-age=60;private"),
            ("Cache-Control", "max-age=\"60"),
        ] {
            let found = seen_by_standard_headers(&[(name, bad)]);
            assert_eq!((found.seen, found.violations.len()), (1, 1), "{name}: {bad}");
            assert_eq!(
                found.violations[0],
                Msg::MalformedHeader {
                    method: "GET".into(),
                    url: "/x".into(),
                    header: name.to_ascii_lowercase(),
                    value: bad.into()
                }
            );
        }
        let mut rule = Passive::new("ARQ.03", LiveCheck::StandardHeaders).unwrap();
        rule.add(clean);
        assert_eq!(rule.finish().unwrap()[0].said, Msg::AllHeadersWellFormed { count: 4 });
        // A response without any of them says nothing: not tested, never a pass.
        let mut rule = Passive::new("ARQ.03", LiveCheck::StandardHeaders).unwrap();
        rule.add(seen_by_standard_headers(&[("Content-Type", "application/json")]));
        assert!(rule.finish().is_none());
    }

    #[test]
    fn traceparent_on_responses_is_judged_as_w3c_trace_context_writes_it() {
        let seen = |headers: &[(&str, &str)]| {
            let headers = headers.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
            let response = Response::new(404, headers, bytes::Bytes::new());
            let mut found = Observation::default();
            let r = Observed { method: "GET", url: "/x", response: &response };
            observe(&mut found, LiveCheck::TraceparentReturned, &r);
            found
        };
        let clean = seen(&[("traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01")]);
        assert_eq!((clean.seen, clean.violations.len()), (1, 0), "{clean:?}");
        // A later version may append fields; version 00 may not.
        let later = seen(&[("traceparent", "01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-extra")]);
        assert_eq!(later.violations.len(), 0, "{later:?}");
        for bad in [
            "00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01",
            "00-00000000000000000000000000000000-00f067aa0ba902b7-01",
            "00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01",
            "ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
            "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-extra",
            "4bf92f3577b34da6a3ce929d0e0e4736",
        ] {
            let found = seen(&[("traceparent", bad)]);
            assert_eq!((found.seen, found.violations.len()), (1, 1), "{bad}");
        }
        let missing = seen(&[("content-type", "application/json")]);
        assert_eq!(
            missing.violations,
            [Msg::TraceparentMissing { method: "GET".into(), url: "/x".into(), status: 404, value: None }]
        );
        let mut rule = Passive::new("SPA.04", LiveCheck::TraceparentReturned).unwrap();
        rule.add(clean);
        assert_eq!(rule.finish().unwrap()[0].said, Msg::AllTraceparent { count: 1 });
        let mut rule = Passive::new("SPA.04", LiveCheck::TraceparentReturned).unwrap();
        rule.add(missing);
        assert!(!rule.finish().unwrap()[0].passed);
    }

    #[test]
    fn json_bodies_is_not_tested_when_no_successful_response_had_a_body() {
        let mut rule = Passive::new("AME.01", LiveCheck::JsonBodies).unwrap();
        // An empty 204, an empty 200 and an error say nothing about representations.
        for (status, body) in [(204, ""), (200, ""), (404, "not found")] {
            let found = seen_by_json_bodies(status, Some("text/plain"), body);
            assert_eq!((found.seen, found.violations.len()), (0, 0), "{status}");
            rule.add(found);
        }
        assert!(rule.finish().is_none(), "nothing observed is not tested, never a pass");
    }
}
