//! What people declare beside what konform tests, read from files given at run time and
//! applied to the run's report:
//!
//! * `waivers` (`--waivers FILE`): a failing requirement accepted for a time, with a reason,
//!   a reference, who approved it and the last day it holds;
//! * `attest` (`--attestations FILE`, `--attestation-key PEM`): a signed statement that people
//!   verified requirements the catalogue marks `verification: attestation`;
//! * `statement` (`--statement FILE`): a vendor's conformance statement of the `may`
//!   requirements its product does not offer.
//!
//! Every file is checked against the catalogue before anything is sent: a mistake is a
//! diagnostic at its file, line and column (exit 2). `apply` then turns the report's
//! verdicts into `waived`, `attested` and `not_applicable` and recomputes what follows
//! from them, before the report is signed, so the signature covers every declaration.

pub mod apply;
pub mod attest;
pub mod statement;
pub mod waivers;

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use crate::catalogue::{Catalogue, Spec};
use crate::diag::{did_you_mean, Diag, Placed};
use crate::model::{Level, Verification};
use crate::source::SourceFile;

pub use apply::apply;

/// The files a run was given.
#[derive(Debug, Default, Clone, Copy)]
pub struct Sources<'a> {
    pub waivers: &'a [PathBuf],
    pub attestations: &'a [PathBuf],
    pub attestation_keys: &'a [PathBuf],
    pub statement: Option<&'a Path>,
}

impl Sources<'_> {
    pub fn is_empty(&self) -> bool {
        self.waivers.is_empty() && self.attestations.is_empty() && self.statement.is_none()
    }
}

/// Everything declared, read and checked against the catalogue.
#[derive(Debug, Default)]
pub struct Declared {
    pub waivers: Vec<waivers::Given>,
    pub attestations: Vec<attest::Given>,
    pub statement: Option<statement::Given>,
}

/// The moment against which waivers' expiry and attestations' dates are judged: `--now`
/// when it was given (recorded in the report as `as_of`), else the run's own time.
#[derive(Debug, Clone, Copy)]
pub struct Clock {
    pub now: SystemTime,
    pub fixed: bool,
}

impl Clock {
    pub fn real() -> Clock {
        Clock { now: SystemTime::now(), fixed: false }
    }

    /// `--now`: a day (`2027-01-31`, its start in UTC) or an RFC 3339 UTC time.
    pub fn fixed(text: &str) -> Result<Clock, String> {
        moment(text).map(|now| Clock { now, fixed: true }).ok_or_else(|| {
            format!("`{text}` is neither a day such as 2027-01-31 nor a UTC time such as 2027-01-31T12:00:00Z")
        })
    }
}

/// Reads every file and checks it against the catalogue. All mistakes are returned at once.
pub fn load(catalogue: &Catalogue, sources: &Sources<'_>, clock: Clock) -> Result<Declared, Vec<Diag>> {
    let mut diags = Vec::new();
    let mut placed = Placed::default();
    let mut declared = Declared::default();
    for path in sources.waivers {
        if let Some(file) = read(path, &mut diags) {
            declared.waivers.extend(waivers::load(catalogue, &file, &mut placed, &mut diags));
        }
    }
    if !sources.attestations.is_empty() {
        let keys = attest::trusted_keys(sources.attestation_keys, &mut diags);
        // Without a key the run trusts, no attestation can hold: that one mistake is enough.
        let checked = if sources.attestation_keys.is_empty() { &[][..] } else { sources.attestations };
        for path in checked {
            if let Some(file) = read(path, &mut diags) {
                declared.attestations.extend(attest::load(catalogue, &file, &keys, clock, &mut placed, &mut diags));
            }
        }
    }
    if let Some(path) = sources.statement {
        if let Some(file) = read(path, &mut diags) {
            declared.statement = statement::load(catalogue, &file, &mut placed, &mut diags);
        }
    }
    diags.extend(placed.finish());
    if diags.is_empty() {
        Ok(declared)
    } else {
        Err(diags)
    }
}

fn read(path: &Path, diags: &mut Vec<Diag>) -> Option<Arc<SourceFile>> {
    match SourceFile::read(path) {
        Ok(file) => Some(file),
        Err(message) => {
            diags.push(Diag::error("file::read", message));
            None
        }
    }
}

/// The specification versions a waiver or statement names.
#[derive(Debug, Clone)]
pub enum Versions {
    Exact(semver::Version),
    Range(semver::VersionReq),
}

impl Versions {
    /// One version (`1.1.0`, exactly that one) or a range (`>=1.0.0, <2.0.0`, `1.x`).
    pub fn parse(text: &str) -> Option<Versions> {
        let text = text.trim();
        semver::Version::parse(text)
            .map(Versions::Exact)
            .ok()
            .or_else(|| semver::VersionReq::parse(text).ok().map(Versions::Range))
    }

    pub fn matches(&self, version: &semver::Version) -> bool {
        match self {
            Versions::Exact(v) => v == version,
            Versions::Range(r) => r.matches(version),
        }
    }
}

/// The versions of specification `id` in the catalogue, or a diagnostic at `pointer`
/// saying it has none (with the closest id).
fn spec_versions<'c>(catalogue: &'c Catalogue, id: &str) -> Result<Vec<&'c Spec>, Diag> {
    let found: Vec<&Spec> = catalogue.specs.iter().filter(|s| s.meta.id == id).collect();
    if found.is_empty() {
        let ids: Vec<&str> = catalogue.specs.iter().map(|s| s.meta.id.as_str()).collect();
        return Err(Diag::error(
            "declared::unknown-specification",
            format!("the catalogue has no specification `{id}`"),
        )
        .label("unknown specification")
        .with_help(did_you_mean(id, ids)));
    }
    Ok(found)
}

/// `versions` read, and the versions it takes in; or a diagnostic naming the versions there
/// are.
fn matching<'c>(specs: &[&'c Spec], id: &str, versions: &str) -> Result<(Versions, Vec<&'c Spec>), Diag> {
    let Some(wanted) = Versions::parse(versions) else {
        return Err(Diag::error(
            "declared::not-a-version",
            format!("`{versions}` is neither a version (1.1.0) nor a range of versions (>=1.0.0, <2.0.0)"),
        )
        .label("not a version"));
    };
    let found: Vec<&Spec> = specs.iter().copied().filter(|s| wanted.matches(&s.meta.version)).collect();
    if found.is_empty() {
        let known: Vec<String> = specs.iter().map(|s| s.meta.version.to_string()).collect();
        return Err(Diag::error(
            "declared::unknown-version",
            format!("`{id}` has no version {versions}; the catalogue has {}", known.join(", ")),
        )
        .label("no such version"));
    }
    Ok((wanted, found))
}

/// A requirement of a specification version: its own, or a rule of a profile it uses.
/// Its level and how it is verified.
fn requirement_of(catalogue: &Catalogue, spec: &Spec, id: &str) -> Option<(Level, Verification)> {
    if let Some(r) = spec.requirement(id) {
        return Some((r.level, r.verification));
    }
    catalogue
        .profiles_of(spec)
        .into_iter()
        .flat_map(|(_, p)| &p.rules)
        .find(|r| r.id == id)
        .map(|r| (r.level, Verification::Automatic))
}

/// A diagnostic for a requirement none of `specs` has, with the closest id.
fn unknown_requirement(catalogue: &Catalogue, specs: &[&Spec], id: &str) -> Diag {
    let mut ids: Vec<&str> = specs.iter().flat_map(|s| s.requirements.iter().map(|r| r.id.as_str())).collect();
    for spec in specs {
        ids.extend(catalogue.profiles_of(spec).into_iter().flat_map(|(_, p)| p.rules.iter().map(|r| r.id.as_str())));
    }
    let names: Vec<String> = specs.iter().map(|s| s.key()).collect();
    Diag::error("declared::unknown-requirement", format!("{} has no requirement `{id}`", names.join(", ")))
        .label("unknown requirement")
        .with_help(did_you_mean(id, ids))
}

/// `YYYY-MM-DD` as the moment that day starts (UTC); `None` for anything else.
pub fn day_start(day: &str) -> Option<SystemTime> {
    let b = day.as_bytes();
    let shaped = b.len() == 10
        && b.iter().enumerate().all(|(i, c)| if i == 4 || i == 7 { *c == b'-' } else { c.is_ascii_digit() });
    if !shaped {
        return None;
    }
    humantime::parse_rfc3339(&format!("{day}T00:00:00Z")).ok()
}

/// The last moment of a day (`23:59:59.999` UTC).
pub fn day_end(day: &str) -> Option<SystemTime> {
    day_start(day).map(|t| t + Duration::from_secs(86_400) - Duration::from_millis(1))
}

/// A day (its start) or an RFC 3339 UTC time.
pub fn moment(text: &str) -> Option<SystemTime> {
    day_start(text).or_else(|| humantime::parse_rfc3339(text).ok())
}

/// Text that must say something.
fn blank(text: &str) -> bool {
    text.trim().is_empty()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_are_real_calendar_days() {
        assert!(day_start("2027-03-31").is_some());
        assert!(day_start("2028-02-29").is_some(), "a leap day");
        for bad in ["2027-02-29", "2027-13-01", "2027-3-31", "31.03.2027", "2027-03-31T00:00:00Z", ""] {
            assert!(day_start(bad).is_none(), "{bad}");
        }
        let end = day_end("2027-03-31").unwrap();
        assert_eq!(humantime::format_rfc3339_millis(end).to_string(), "2027-03-31T23:59:59.999Z");
        assert!(moment("2027-03-31T12:00:00Z").is_some());
        assert!(Clock::fixed("yesterday").is_err());
    }

    #[test]
    fn a_bare_version_is_exactly_that_version() {
        let v = |s: &str| semver::Version::parse(s).unwrap();
        let exact = Versions::parse("1.1.0").unwrap();
        assert!(exact.matches(&v("1.1.0")) && !exact.matches(&v("1.2.0")), "not ^1.1.0");
        let range = Versions::parse(">=1.0.0, <2.0.0").unwrap();
        assert!(range.matches(&v("1.0.0")) && range.matches(&v("1.9.3")) && !range.matches(&v("2.0.0")));
        assert!(Versions::parse("one").is_none());
    }
}
