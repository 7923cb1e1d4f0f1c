//! The preflight: before the scenarios, a few requests that tell a problem of the tester's
//! configuration (an unreachable address, a CA or client certificate not given, credentials
//! or a base URL the target refuses) from a vendor's, so that the run does not judge a
//! vendor by the tester's mistake.
//!
//! It is conservative: it says "configuration" only when the evidence points at the tester,
//! and otherwise lets the run judge the vendor. A vendor that answers 500, resets, sends
//! garbage, times out after connecting, or refuses even what its document says is public,
//! is the vendor's to answer for.
//!
//! What is probed: the first GET step of the plan that can be sent as it is (its templates
//! filled from the run's variables, no capture needed, sending the target's credentials,
//! expecting a 2XX answer), preferring an operation the document secures; else a documented
//! GET that needs no parameter; else the base URL itself (then only whether a connection and
//! a token can be had is looked at). In a healthy run that is one request (and the OAuth2
//! token the run then uses). Only a suspicious answer leads to a few more:
//!
//! - 401/403, on an operation the document secures: the same request without credentials,
//!   another secured operation, and a public one. The credentials are refused when the
//!   secured requests are all refused, with credentials and without, while a public
//!   operation is not (a vendor refusing even that refuses everything). With no credentials
//!   given, a refused step of the plan is enough.
//! - 404: another documented path, then the first under the path of the document's server
//!   URL. The base URL lacks that path when every documented path answers 404 and the
//!   suggested base URL answers the first with something else.

use std::collections::HashSet;

use reqwest::Method;
use url::Url;

use super::http::{HttpClient, Outcome, Outgoing, Sent};
use super::transport::Transport;
use super::{build_request, scenario_vars, Stop};
use crate::catalogue::openapi::{ApiDoc, Operation, ParamIn};
use crate::catalogue::Catalogue;
use crate::messages::{Credential, Misconfigured, Msg, Probe, Unreachable};
use crate::model::{printable, StatusKey};
use crate::plan::Plan;
use crate::suite::{Step, StepAuth};
use crate::target::{Auth, Target};

/// What the preflight concluded.
#[derive(Debug)]
pub enum Preflight {
    /// Nothing points at the tester: the scenarios may run.
    Passed,
    /// A stop came first: the run goes on to be reported as interrupted.
    Stopped,
    /// The tester's configuration is at fault: nothing more is sent.
    Misconfigured(Misconfigured),
}

/// A request the preflight may send.
struct Candidate<'a> {
    /// The documented operation; `None` for the base URL itself.
    op: Option<&'a Operation>,
    api: Option<&'a ApiDoc>,
    out: Outgoing,
    /// A step of the plan (not merely documented).
    from_plan: bool,
}

impl Candidate<'_> {
    fn secured(&self) -> bool {
        self.op.is_some_and(|o| o.secured)
    }
}

/// Probes the target; see the module's description.
pub async fn preflight(
    client: &HttpClient,
    catalogue: &Catalogue,
    plan: &Plan,
    target: &Target,
    stop: &Stop,
) -> Preflight {
    let candidates = candidates(catalogue, plan, target);
    let probe = Prober { client, stop };
    match check(&probe, &candidates, target).await {
        Some(found) => found,
        None => Preflight::Stopped,
    }
}

struct Prober<'a> {
    client: &'a HttpClient,
    stop: &'a Stop,
}

impl Prober<'_> {
    /// Sends a request; `None` when the run was stopped before or during it.
    async fn send(&self, out: &Outgoing) -> Option<Sent> {
        if self.stop.requested() {
            return None;
        }
        self.stop.unless_aborted(self.client.send(out)).await
    }

    /// The status of a request, `None` for no response (`Err` when stopped).
    async fn status(&self, out: &Outgoing) -> Result<Option<u16>, ()> {
        let sent = self.send(out).await.ok_or(())?;
        Ok(match sent.outcome {
            Outcome::Response(r) => Some(r.status),
            Outcome::Failed(..) => None,
        })
    }

    /// A request as the finding shows it: redacted, printable.
    fn shown(&self, out: &Outgoing, status: Option<u16>) -> Probe {
        Probe {
            method: out.method.to_string(),
            url: printable(&self.client.redactor.text(out.url.as_str())),
            status,
            without_credentials: !out.send_auth,
        }
    }
}

/// The decision; `None` when the run was stopped.
async fn check(probe: &Prober<'_>, candidates: &[Candidate<'_>], target: &Target) -> Option<Preflight> {
    let first = &candidates[0];
    let sent = probe.send(&first.out).await?;
    let status = match &sent.outcome {
        Outcome::Failed(reason, _) => return Some(failed(probe, first, &sent, reason).await),
        Outcome::Response(r) => r.status,
    };
    match (first.op, status) {
        (Some(op), 401 | 403) if op.secured => refused(probe, candidates, target, status).await,
        (Some(_), 404) => not_found(probe, candidates, target).await,
        _ => Some(Preflight::Passed),
    }
}

/// A request that got no response: the tester's when no connection, no TLS session or no
/// token could be had for a reason the tester can fix.
async fn failed(probe: &Prober<'_>, first: &Candidate<'_>, sent: &Sent, reason: &Msg) -> Preflight {
    if let Msg::TokenRefused { url, status: status @ (400 | 401 | 403), body } = reason {
        let url = printable(&probe.client.redactor.text(url));
        let body = printable(&probe.client.redactor.text(body));
        return Preflight::Misconfigured(Misconfigured::TokenRefused { url, status: *status, body });
    }
    let url = &first.out.url;
    let host = match (url.host_str(), url.port_or_known_default()) {
        (Some(h), Some(p)) => format!("{h}:{p}"),
        (h, _) => h.unwrap_or_default().to_string(),
    };
    let why = match &sent.transport {
        Some(Transport::Refused) => Unreachable::Refused { host },
        Some(Transport::NoRoute) => Unreachable::NoRoute { host },
        Some(Transport::NoSuchHost) => Unreachable::NoSuchHost { host: url.host_str().unwrap_or_default().into() },
        Some(Transport::ConnectTimeout) => {
            let after = humantime::format_duration(probe.client.connect_timeout()).to_string();
            Unreachable::TimedOut { host, after }
        }
        Some(Transport::Tls(problem)) if problem.is_configuration() => {
            let shown = probe.shown(&first.out, None);
            return Preflight::Misconfigured(Misconfigured::Tls { probe: shown, problem: problem.clone() });
        }
        Some(Transport::Tls(_)) | None if url.scheme() == "https" && !probe.client.has_identity() => {
            // A connection ended without a reason konform could read: a server that demands a
            // client certificate may have hung up before its alert was read. Ask its handshake.
            let port = url.port_or_known_default().unwrap_or(443);
            let host = url.host_str().unwrap_or_default();
            if super::transport::asks_for_client_certificate(host, port, probe.client.connect_timeout()).await {
                let shown = probe.shown(&first.out, None);
                let problem = crate::messages::TlsProblem::ClientCertificateRequired;
                return Preflight::Misconfigured(Misconfigured::Tls { probe: shown, problem });
            }
            return Preflight::Passed;
        }
        Some(Transport::Tls(_)) | None => return Preflight::Passed,
    };
    Preflight::Misconfigured(Misconfigured::Unreachable { probe: probe.shown(&first.out, None), why })
}

fn is_refusal(status: Option<u16>) -> bool {
    matches!(status, Some(401 | 403))
}

/// The first probe, of an operation the document secures, was refused with `status`.
async fn refused(probe: &Prober<'_>, candidates: &[Candidate<'_>], target: &Target, status: u16) -> Option<Preflight> {
    let first = &candidates[0];
    let operation = first.op.map(|o| o.id.clone()).unwrap_or_default();
    let mut shown = vec![probe.shown(&first.out, Some(status))];
    if target.base_url.username() != "" {
        // Credentials in the URL itself: what was sent cannot be named.
        return Some(Preflight::Passed);
    }
    let Some(credential) = credential(probe.client) else {
        // Only a step of the plan shows that the run would be refused without credentials.
        return Some(if first.from_plan {
            Preflight::Misconfigured(Misconfigured::CredentialsMissing { probe: shown.remove(0), operation })
        } else {
            Preflight::Passed
        });
    };
    // The same request without credentials must be refused too (only credentials konform
    // adds itself can be left out).
    if !matches!(credential, Credential::Headers { .. }) {
        let anonymous = Outgoing { send_auth: false, ..first.out.clone() };
        let status = probe.status(&anonymous).await.ok()?;
        if !is_refusal(status) {
            return Some(Preflight::Passed);
        }
        shown.push(probe.shown(&anonymous, status));
    }
    // Another secured operation is refused as well.
    if let Some(other) =
        candidates.iter().skip(1).find(|c| c.secured() && c.op.map(|o| &o.id) != first.op.map(|o| &o.id))
    {
        let status = probe.status(&other.out).await.ok()?;
        if !is_refusal(status) {
            return Some(Preflight::Passed);
        }
        shown.push(probe.shown(&other.out, status));
    }
    // A public operation is not: a vendor that refuses even those refuses everything.
    if let Some(public) = candidates.iter().find(|c| c.op.is_some_and(|o| !o.secured)) {
        if is_refusal(probe.status(&public.out).await.ok()?) {
            return Some(Preflight::Passed);
        }
    }
    Some(Preflight::Misconfigured(Misconfigured::CredentialsRefused { probes: shown, operation, credential }))
}

/// What credentials the client sends, by the option that set them.
fn credential(client: &HttpClient) -> Option<Credential> {
    Some(match client.auth() {
        Auth::Bearer { .. } => Credential::Bearer,
        Auth::ApiKey { header, .. } => Credential::ApiKey { header: header.clone() },
        Auth::Basic { .. } => Credential::Basic,
        Auth::OAuth2(_) => Credential::OAuth2,
        Auth::None => {
            let names = client.credential_headers();
            if names.is_empty() {
                return None;
            }
            Credential::Headers { names }
        }
    })
}

/// The first probe, of a documented path, answered 404.
async fn not_found(probe: &Prober<'_>, candidates: &[Candidate<'_>], target: &Target) -> Option<Preflight> {
    let first = &candidates[0];
    let (Some(op), Some(api)) = (first.op, first.api) else { return Some(Preflight::Passed) };
    let base = &target.base_url;
    let Some(server_path) = server_path(api).filter(|p| !ends_with_path(base.path(), p)) else {
        return Some(Preflight::Passed);
    };
    let mut shown = vec![probe.shown(&first.out, Some(404))];
    if let Some(other) = candidates.iter().find(|c| c.op.is_some_and(|o| o.path != op.path)) {
        let status = probe.status(&other.out).await.ok()?;
        if status != Some(404) {
            return Some(Preflight::Passed);
        }
        shown.push(probe.shown(&other.out, status));
    }
    let Some((suggestion, moved)) = under(base, &server_path, &first.out.url) else {
        return Some(Preflight::Passed);
    };
    let answered = probe.status(&Outgoing { url: moved, ..first.out.clone() }).await.ok()?;
    Some(match answered {
        Some(status) if status != 404 => {
            let suggestion = printable(&probe.client.redactor.text(suggestion.as_str()));
            Preflight::Misconfigured(Misconfigured::NotFound {
                probes: shown,
                server_path,
                suggestion,
                answered: status,
            })
        }
        _ => Preflight::Passed,
    })
}

/// The path of the document's first server URL with one (`/case-intake/1.1`), absolute or
/// relative; none for a server URL with variables.
fn server_path(api: &ApiDoc) -> Option<String> {
    let servers = api.docs.first()?.value.get("servers")?.as_array()?;
    servers.iter().filter_map(|s| s.get("url")?.as_str()).find_map(|url| {
        if url.contains('{') {
            return None;
        }
        let path = match Url::parse(url) {
            Ok(u) => u.path().to_string(),
            Err(_) if url.starts_with('/') => url.split(['?', '#']).next().unwrap_or_default().to_string(),
            Err(_) => return None,
        };
        let path = path.trim_end_matches('/');
        (!path.is_empty()).then(|| path.to_string())
    })
}

/// Whether a base URL's path already ends with a server path (which starts with `/`, so
/// only whole segments match).
fn ends_with_path(base: &str, server: &str) -> bool {
    base.trim_end_matches('/').ends_with(server)
}

/// The base URL with the server path added (`http://h/` + `/case-intake/1.1` →
/// `http://h/case-intake/1.1/`), and `url` (under `base`) moved under it.
fn under(base: &Url, server_path: &str, url: &Url) -> Option<(Url, Url)> {
    let mut suggestion = base.clone();
    suggestion.set_path(&format!("{}{}/", base.path(), server_path.trim_start_matches('/')));
    let rest = url.as_str().strip_prefix(base.as_str())?;
    let moved = Url::parse(&format!("{suggestion}{rest}")).ok()?;
    Some((suggestion, moved))
}

/// Every request the preflight may send, best first: GET steps of the plan that can be sent
/// as they are (secured operations first), then documented GETs that need no parameter,
/// then the base URL. Never empty.
fn candidates<'a>(catalogue: &'a Catalogue, plan: &Plan, target: &Target) -> Vec<Candidate<'a>> {
    let mut found: Vec<Candidate<'a>> = Vec::new();
    for planned in &plan.specs {
        let spec = &catalogue.specs[planned.spec];
        let Some(api) = spec.api.as_ref() else { continue };
        for &(si, ci) in &planned.scenarios {
            let scenario = &spec.suites[si].scenarios[ci];
            let vars = scenario_vars(target, spec, scenario);
            let mut captured = HashSet::new();
            for step in &scenario.steps {
                let usable = sendable(step).then(|| api.operation(&step.operation)).flatten();
                let needs = step.variables_used();
                let ready = needs.iter().all(|v| !captured.contains(v) && vars.lookup(v).is_some());
                if let (Some(op), true) = (usable.filter(|op| op.method == "GET"), ready) {
                    // `sendable`: the step sends the target's credentials, none of its own.
                    if let Ok((out, _)) = build_request(&target.base_url, api, op, step, &vars) {
                        found.push(Candidate { op: Some(op), api: Some(api), out, from_plan: true });
                    }
                }
                captured.extend(step.captures.iter().map(|c| c.name.clone()));
            }
        }
    }
    for planned in &plan.specs {
        let Some(api) = catalogue.specs[planned.spec].api.as_ref() else { continue };
        for op in api.operations.iter().filter(|op| documented_probe(op)) {
            if let Ok(url) = crate::target::endpoint(&target.base_url, &op.path) {
                let out = Outgoing {
                    method: Method::GET,
                    url,
                    headers: Vec::new(),
                    body: None,
                    send_auth: true,
                    public: Vec::new(),
                };
                found.push(Candidate { op: Some(op), api: Some(api), out, from_plan: false });
            }
        }
    }
    let mut seen = HashSet::new();
    found.retain(|c| seen.insert(c.out.url.to_string()));
    // Stable: plan order within each group.
    found.sort_by_key(|c| (!c.from_plan, !c.secured()));
    let base = Outgoing {
        method: Method::GET,
        url: target.base_url.clone(),
        headers: Vec::new(),
        body: None,
        send_auth: true,
        public: Vec::new(),
    };
    found.push(Candidate { op: None, api: None, out: base, from_plan: false });
    found
}

/// A step whose request the preflight may send as it is: a main step with no body, sending
/// the target's credentials, expecting a 2XX answer (or not saying).
fn sendable(step: &Step) -> bool {
    let success = |k: &StatusKey| match k {
        StatusKey::Code(c) => (200..300).contains(c),
        StatusKey::Range(h) => *h == 2,
        StatusKey::Default => false,
    };
    !step.is_cleanup
        && step.body.is_none()
        && step.auth == StepAuth::Default
        && step.expect.status.as_ref().is_none_or(|s| s.allowed.iter().all(success))
}

/// A documented GET that needs no parameter: no path template, nothing required.
fn documented_probe(op: &Operation) -> bool {
    op.method == "GET"
        && !op.path.contains('{')
        && !op.parameters.iter().any(|p| p.required && p.location != ParamIn::Path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_base_url_ends_with_a_server_path_only_at_a_segment() {
        assert!(ends_with_path("/case-intake/1.1/", "/case-intake/1.1"));
        assert!(ends_with_path("/gw/case-intake/1.1", "/case-intake/1.1"));
        assert!(!ends_with_path("/", "/case-intake/1.1"));
        assert!(!ends_with_path("/xcase-intake/1.1/", "/case-intake/1.1"));
    }

    #[test]
    fn the_suggestion_adds_the_server_path_to_the_base_url() {
        let base = Url::parse("http://127.0.0.1:8080/").unwrap();
        let url = Url::parse("http://127.0.0.1:8080/2281/cases?page=1").unwrap();
        let (suggestion, moved) = under(&base, "/case-intake/1.1", &url).unwrap();
        assert_eq!(suggestion.as_str(), "http://127.0.0.1:8080/case-intake/1.1/");
        assert_eq!(moved.as_str(), "http://127.0.0.1:8080/case-intake/1.1/2281/cases?page=1");
    }
}
