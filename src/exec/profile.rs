//! The probed rules of a specification's profiles: three probes (`api-info`, a GET of it
//! with a body, and one with a `traceparent`) judge VER.06, FOR.02, SPA.02 and, for https
//! targets, SAK.01. Each probed rule becomes a
//! synthetic scenario `<profile>/<rule>`, judged only on what the probe observed: a probe
//! that got no whole answer makes its rules `error`, with its reason, never `fail`. (The passive rules are judged on the scenarios'
//! own responses as they arrive; the aggregator turns them into scenarios.)

use std::time::Instant;

use reqwest::Method;
use serde_json::Value;

use super::http::{Outcome, Outgoing};
use super::{ms, Ctx};
use crate::catalogue::profile::LiveCheck;
use crate::catalogue::{Catalogue, Spec};
use crate::judge::profile::{check, rule_scenario};
use crate::messages::Msg;
use crate::model::{Check, Exchange, ScenarioResult};

struct Probe {
    exchange: Option<Exchange>,
    status: Option<u16>,
    body: Option<Value>,
    failure: Option<Msg>,
}

/// The GETs of `api-info` the probed rules need: plain, with a body (FOR.02), and with a
/// `traceparent` (SPA.02).
#[derive(Clone, Copy, PartialEq, Eq)]
enum ProbeKind {
    Plain,
    WithBody,
    Traced,
}

/// A fresh, valid W3C `traceparent`: version 00, a random trace id and parent id, sampled.
fn new_traceparent() -> String {
    let trace = uuid::Uuid::new_v4().simple().to_string();
    let parent = &uuid::Uuid::new_v4().simple().to_string()[..16];
    format!("00-{trace}-{parent}-01")
}

/// Sends a probe; `None` when a stop or the deadline came before it started, or a second
/// stop or the deadline while it was in flight (the run is then marked interrupted, and the rules that
/// needed it are not judged).
async fn probe(ctx: &Ctx, kind: ProbeKind) -> Option<Probe> {
    if ctx.cut(false).is_some() {
        return None;
    }
    let Ok(url) = crate::target::endpoint(&ctx.target.base_url, "api-info") else {
        return Some(Probe { exchange: None, status: None, body: None, failure: Some(Msg::ApiInfoUrl) });
    };
    let mut headers = vec![("Accept".to_string(), "application/json".to_string())];
    let body = (kind == ProbeKind::WithBody).then(|| {
        headers.push(("Content-Type".into(), "application/json".into()));
        b"{\"probe\":\"a GET must not take a body\"}".to_vec()
    });
    if kind == ProbeKind::Traced {
        headers.push(("traceparent".into(), new_traceparent()));
    }
    let out = Outgoing { method: Method::GET, url, headers, body, send_auth: true, public: Vec::new() };
    let sent = ctx.send(&out).await.ok()?;
    let exchange = Some(super::evidence(ctx, &out, &sent));
    Some(match sent.outcome {
        Outcome::Failed(reason, status) => Probe { exchange, status, body: None, failure: Some(reason) },
        Outcome::Response(r) => Probe { exchange, status: Some(r.status), body: r.json().ok().cloned(), failure: None },
    })
}

/// Probes and judges the probed rules of a specification's profiles: (rule id, its
/// scenario) for each. No probe starts once the run was stopped, and one abandoned by a
/// second stop judges nothing: the rules that needed it have no scenario (not tested) and
/// the run is marked interrupted.
pub async fn probe_rules(ctx: &Ctx, catalogue: &Catalogue, spec: &Spec) -> Vec<(String, ScenarioResult)> {
    let mut out = Vec::new();
    let https = ctx.target.base_url.scheme() == "https";
    // Each probe is sent at most once, when a rule first needs it.
    let mut info: Option<Option<Probe>> = None;
    let mut with_body: Option<Option<Probe>> = None;
    let mut traced: Option<Option<Probe>> = None;
    for (file, profile) in catalogue.profiles_of(spec) {
        let file = &catalogue.report_name(file);
        for rule in &profile.rules {
            if rule.check == LiveCheck::Tls && !https {
                continue; // judged only for https targets
            }
            let started = Instant::now();
            // Where the probe's scenario leaves exec: the one place its evidence is redacted.
            let scenario = |checks, exchange, failure| {
                let mut result = rule_scenario(profile, file, rule, checks, exchange, failure, ms(started.elapsed()));
                ctx.client.redactor.scenario(&mut result, &mut [], ctx.options.evidence_limit);
                (rule.id.clone(), result)
            };
            match rule.check {
                LiveCheck::ProblemJson
                | LiveCheck::ProblemMembers
                | LiveCheck::UtcDates
                | LiveCheck::JsonBodies
                | LiveCheck::StandardHeaders
                | LiveCheck::TraceparentReturned => {}
                LiveCheck::ApiInfo | LiveCheck::Tls => {
                    if info.is_none() {
                        info = Some(probe(ctx, ProbeKind::Plain).await);
                    }
                    let Some(Some(p)) = &info else { continue };
                    let (checks, failure) = if rule.check == LiveCheck::Tls {
                        judge_tls(&rule.id, p)
                    } else {
                        observed(p, || {
                            let ok_status = p.status == Some(200);
                            let ok_body = p.body.as_ref().is_some_and(Value::is_object);
                            vec![
                                check(&rule.id, ok_status, Msg::ApiInfoAnswered { status: p.status }),
                                check(
                                    &rule.id,
                                    ok_body,
                                    if ok_body { Msg::ApiInfoObject } else { Msg::ApiInfoNotObject },
                                ),
                            ]
                        })
                    };
                    out.push(scenario(checks, p.exchange.clone(), failure));
                }
                LiveCheck::GetBodyRefused => {
                    // A refusal is evidence only where the same GET without a body works:
                    // a 404 or 401 to both says nothing about bodies.
                    if info.is_none() {
                        info = Some(probe(ctx, ProbeKind::Plain).await);
                    }
                    let Some(Some(plain)) = &info else { continue };
                    if !plain.status.is_some_and(|s| (200..300).contains(&s)) {
                        let reason = Msg::GetBodyNotJudged { status: plain.status };
                        out.push(scenario(Vec::new(), plain.exchange.clone(), Some(reason)));
                        continue;
                    }
                    if with_body.is_none() {
                        with_body = Some(probe(ctx, ProbeKind::WithBody).await);
                    }
                    let Some(Some(p)) = &with_body else { continue };
                    let (checks, failure) = observed(p, || {
                        let status = p.status.unwrap_or_default();
                        let refused = (400..500).contains(&status);
                        let message =
                            if refused { Msg::GetBodyRefused { status } } else { Msg::GetBodyAnswered { status } };
                        vec![check(&rule.id, refused, message)]
                    });
                    out.push(scenario(checks, p.exchange.clone(), failure));
                }
                LiveCheck::TraceparentAccepted => {
                    // As for FOR.02: an answer to the traced GET is evidence only where the
                    // plain one succeeded.
                    if info.is_none() {
                        info = Some(probe(ctx, ProbeKind::Plain).await);
                    }
                    let Some(Some(plain)) = &info else { continue };
                    if !plain.status.is_some_and(|s| (200..300).contains(&s)) {
                        let reason = Msg::TraceparentNotJudged { status: plain.status };
                        out.push(scenario(Vec::new(), plain.exchange.clone(), Some(reason)));
                        continue;
                    }
                    if traced.is_none() {
                        traced = Some(probe(ctx, ProbeKind::Traced).await);
                    }
                    let Some(Some(p)) = &traced else { continue };
                    let (checks, failure) = observed(p, || {
                        let status = p.status.unwrap_or_default();
                        let served = (200..300).contains(&status);
                        let message =
                            if served { Msg::TraceparentServed { status } } else { Msg::TraceparentRefused { status } };
                        vec![check(&rule.id, served, message)]
                    });
                    out.push(scenario(checks, p.exchange.clone(), failure));
                }
            }
        }
    }
    out
}

/// A probed rule's checks, judged only on a response that arrived whole: when the probe
/// failed (no answer, a timeout, a body that broke off), nothing was observed, and the rule
/// is `error` with the probe's reason, never `fail`.
fn observed(p: &Probe, judge: impl FnOnce() -> Vec<Check>) -> (Vec<Check>, Option<Msg>) {
    match &p.failure {
        Some(reason) => (Vec::new(), Some(reason.clone())),
        None => (judge(), None),
    }
}

/// SAK.01 (TLS 1.2 or later): a pass when the probe got an answer over https (konform
/// offers only TLS 1.2 and 1.3, so the handshake proves the version); a failure only when
/// the server was seen to refuse both versions. Anything else (a certificate konform does
/// not trust, a client certificate it was not given, a timeout after the handshake) says
/// nothing about the server's TLS versions: the rule is `error`, with the reason.
fn judge_tls(rule: &str, p: &Probe) -> (Vec<Check>, Option<Msg>) {
    match (&p.status, &p.failure) {
        (Some(_), _) => (vec![check(rule, true, Msg::TlsMade)], None),
        (None, Some(refused @ Msg::TlsVersionRefused { .. })) => (vec![check(rule, false, refused.clone())], None),
        (None, Some(reason)) => (Vec::new(), Some(Msg::TlsNotObserved { reason: Box::new(reason.clone()) })),
        (None, None) => (Vec::new(), Some(Msg::TlsNotObserved { reason: Box::new(Msg::NoAnswer) })),
    }
}
