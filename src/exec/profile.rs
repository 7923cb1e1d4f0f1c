//! The live rules of a profile, for one specification: two probes (`api-info`, and a GET
//! with a body) and the passive rules judged over the responses its scenarios recorded.
//! Each rule becomes a requirement of the specification's result, covered by one
//! synthetic scenario `<profile>/<rule>`; a rule with nothing to observe is `not_tested`.

use std::time::Instant;

use reqwest::Method;
use serde_json::Value;

use super::http::{Outcome, Outgoing};
use super::{ms, Ctx};
use crate::catalogue::profile::{LiveCheck, Profile};
use crate::judge;
use crate::judge::profile::{check, Passive};
use crate::model::{Check, Exchange, ScenarioResult, StepResult, Verdict};
use crate::model::{Level, Localized};

pub struct ProfileOutcome {
    pub requirements: Vec<(String, Level, Localized, Localized)>,
    pub scenarios: Vec<ScenarioResult>,
}

struct Probe {
    exchange: Option<Exchange>,
    status: Option<u16>,
    body: Option<Value>,
    failure: Option<String>,
}

async fn probe(ctx: &Ctx, with_body: bool) -> Probe {
    let Ok(url) = ctx.target.base_url.join("api-info") else {
        return Probe {
            exchange: None,
            status: None,
            body: None,
            failure: Some("cannot build the api-info URL".into()),
        };
    };
    let mut headers = vec![("Accept".to_string(), "application/json".to_string())];
    let body = with_body.then(|| {
        headers.push(("Content-Type".into(), "application/json".into()));
        b"{\"probe\":\"a GET must not take a body\"}".to_vec()
    });
    let out = Outgoing { method: Method::GET, url, headers, body, send_auth: true };
    let sent = ctx.client.send(&out).await;
    let exchange = Some(super::evidence(ctx, &out, &sent));
    match sent.outcome {
        Outcome::Failed(reason, status) => {
            Probe { exchange, status, body: None, failure: Some(ctx.client.redactor.text(&reason)) }
        }
        Outcome::Response(r) => Probe { exchange, status: Some(r.status), body: r.json().ok().cloned(), failure: None },
    }
}

fn scenario(
    profile: &Profile,
    file: &str,
    rule: &crate::catalogue::profile::ProfileRule,
    checks: Vec<Check>,
    exchange: Option<Exchange>,
    failure: Option<String>,
    started: Instant,
) -> ScenarioResult {
    let verdict = if failure.is_some() { Verdict::Error } else { judge::verdict::step_verdict(&checks) };
    let reason = failure.or_else(|| checks.iter().find(|c| !c.passed).map(|c| c.message.clone()));
    let step = StepResult {
        name: rule.title.en.clone(),
        operation: format!("{} live check", rule.id),
        verdict,
        reason,
        cleanup: false,
        location: file.to_string(),
        checks,
        exchange,
    };
    ScenarioResult {
        id: format!("{}/{}", profile.id, rule.id),
        title: rule.title.clone(),
        covers: vec![rule.id.clone()],
        verdict: judge::verdict::scenario_verdict(std::slice::from_ref(&step)),
        duration_ms: ms(started.elapsed()),
        steps: vec![step].into(),
    }
}

/// Probes and judges the live rules. `passives` are the passive rules, keyed by profile id,
/// that have already seen every recorded response.
pub async fn run(ctx: &Ctx, profiles: &[(String, Profile)], mut passives: Vec<(String, Passive)>) -> ProfileOutcome {
    let mut out = ProfileOutcome { requirements: Vec::new(), scenarios: Vec::new() };
    let stopped = ctx.stop.requested() || ctx.deadline.is_some_and(|d| Instant::now() >= d);
    let https = ctx.target.base_url.scheme() == "https";
    let mut info: Option<Probe> = None;
    let mut with_body: Option<Probe> = None;
    for (file, profile) in profiles {
        for rule in &profile.rules {
            if rule.check == LiveCheck::Tls && !https {
                continue; // judged only for https targets
            }
            out.requirements.push((rule.id.clone(), rule.level, rule.title.clone(), rule.text.clone()));
            let started = Instant::now();
            match rule.check {
                LiveCheck::ProblemJson | LiveCheck::ProblemMembers | LiveCheck::UtcDates => {
                    let at = passives.iter().position(|(p, r)| *p == profile.id && r.rule == rule.id);
                    let checks = at.and_then(|i| passives.swap_remove(i).1.finish());
                    if let Some(checks) = checks {
                        out.scenarios.push(scenario(profile, file, rule, checks, None, None, started));
                    }
                }
                _ if stopped => {}
                LiveCheck::ApiInfo | LiveCheck::Tls => {
                    if info.is_none() {
                        info = Some(probe(ctx, false).await);
                    }
                    let p = info.as_ref().expect("probed");
                    let checks = if rule.check == LiveCheck::Tls {
                        let ok = p.status.is_some();
                        vec![check(
                            &rule.id,
                            ok,
                            if ok {
                                "the https connection was made with TLS 1.2 or later (konform offers nothing older)"
                                    .into()
                            } else {
                                "no TLS 1.2+ connection could be made".into()
                            },
                        )]
                    } else {
                        let ok_status = p.status == Some(200);
                        let ok_body = p.body.as_ref().is_some_and(Value::is_object);
                        vec![
                            check(
                                &rule.id,
                                ok_status,
                                format!(
                                    "GET api-info answered {}",
                                    p.status.map(|s| s.to_string()).unwrap_or_else(|| "nothing".into())
                                ),
                            ),
                            check(
                                &rule.id,
                                ok_body,
                                if ok_body {
                                    "the answer is a JSON object".into()
                                } else {
                                    "the answer is not a JSON object".into()
                                },
                            ),
                        ]
                    };
                    let failure = if rule.check == LiveCheck::Tls { None } else { p.failure.clone() };
                    out.scenarios.push(scenario(profile, file, rule, checks, p.exchange.clone(), failure, started));
                }
                LiveCheck::GetBodyRefused => {
                    if with_body.is_none() {
                        with_body = Some(probe(ctx, true).await);
                    }
                    let p = with_body.as_ref().expect("probed");
                    let refused = p.status.is_some_and(|s| (400..500).contains(&s));
                    let message = match p.status {
                        Some(s) if refused => format!("a GET with a body was refused with {s}"),
                        Some(s) => format!("a GET with a body was answered {s}: it must be refused with a 4XX code"),
                        None => "no answer".into(),
                    };
                    out.scenarios.push(scenario(
                        profile,
                        file,
                        rule,
                        vec![check(&rule.id, refused, message)],
                        p.exchange.clone(),
                        p.failure.clone(),
                        started,
                    ));
                }
            }
        }
    }
    out
}
