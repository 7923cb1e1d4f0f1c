//! Waiver files: a failing requirement accepted for a time.
//!
//! ```yaml
//! waivers:
//!   - specification: case-intake
//!     version: 1.1.0              # or a range: ">=1.0.0, <2.0.0"
//!     requirement: CASE-008
//!     reason: Withdrawal answers 200; fixed in release 4.3.
//!     reference: SUND-1234
//!     approved_by: Anna Berg, procurement officer, Sundsvall
//!     expires: 2027-03-31         # the last day it holds (UTC)
//!     covers: [fail]              # optional; also `error`, `blocked`
//! ```

use std::sync::Arc;

use serde::Deserialize;

use super::{blank, day_start, matching, requirement_of, spec_versions, unknown_requirement, Versions};
use crate::catalogue::Catalogue;
use crate::diag::{Diag, Placed};
use crate::model::{Level, RequirementVerdict, Waiver};
use crate::source::SourceFile;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct WaiverFile {
    waivers: Vec<Entry>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Entry {
    specification: String,
    version: String,
    requirement: String,
    reason: String,
    reference: String,
    #[serde(default)]
    approved_by: Option<String>,
    expires: String,
    #[serde(default)]
    covers: Option<Vec<Coverable>>,
}

/// The verdicts a waiver may cover: what the run judged and found wanting. Never
/// `not_tested`: a waiver accepts a known deviation, it does not stand in for a test.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
enum Coverable {
    Fail,
    Error,
    Blocked,
}

impl From<Coverable> for RequirementVerdict {
    fn from(c: Coverable) -> RequirementVerdict {
        match c {
            Coverable::Fail => RequirementVerdict::Fail,
            Coverable::Error => RequirementVerdict::Error,
            Coverable::Blocked => RequirementVerdict::Blocked,
        }
    }
}

/// A waiver read and checked: for specification `spec`, the versions `versions` takes in.
#[derive(Debug, Clone)]
pub struct Given {
    pub spec: String,
    pub versions: Versions,
    pub waiver: Waiver,
}

/// Reads one waiver file; every mistake goes to `placed` (at its line) or `diags`.
pub fn load(catalogue: &Catalogue, file: &Arc<SourceFile>, placed: &mut Placed, diags: &mut Vec<Diag>) -> Vec<Given> {
    let parsed = crate::typed::parse(file).and_then(|value| crate::typed::from_value::<WaiverFile>(file, value));
    let parsed = match parsed {
        Ok(p) => p,
        Err(d) => {
            diags.push(d);
            return Vec::new();
        }
    };
    let mut out = Vec::new();
    for (i, e) in parsed.waivers.into_iter().enumerate() {
        let at = |field: &str| format!("/waivers/{i}/{field}");
        let before = placed.len();
        let all = match spec_versions(catalogue, &e.specification) {
            Ok(all) => all,
            Err(d) => {
                placed.push(d, file, &at("specification"));
                continue;
            }
        };
        let (versions, specs) = match matching(&all, &e.specification, &e.version) {
            Ok(found) => found,
            Err(d) => {
                placed.push(d, file, &at("version"));
                continue;
            }
        };
        let levels: Vec<Level> =
            specs.iter().filter_map(|s| requirement_of(catalogue, s, &e.requirement)).map(|(level, _)| level).collect();
        let Some(level) = levels.iter().min().copied() else {
            placed.push(unknown_requirement(catalogue, &specs, &e.requirement), file, &at("requirement"));
            continue;
        };
        for (field, text) in [("reason", &e.reason), ("reference", &e.reference)] {
            if blank(text) {
                let d = Diag::error("waiver::empty", format!("a waiver's `{field}` cannot be empty")).label("empty");
                placed.push(d, file, &at(field));
            }
        }
        let approver = e.approved_by.as_deref().filter(|a| !blank(a));
        if level == Level::Must && approver.is_none() {
            let d = Diag::error(
                "waiver::must-needs-approver",
                format!(
                    "{} is a MUST requirement: a waiver of it needs `approved_by`, naming who approved the deviation",
                    e.requirement
                ),
            )
            .label("a MUST requirement")
            .help("add `approved_by: NAME, ROLE` to this waiver");
            placed.push(d, file, &at("requirement"));
        }
        if day_start(&e.expires).is_none() {
            let d = Diag::error(
                "waiver::not-a-day",
                format!("`expires: {}` is not a day: write the last day the waiver holds as YYYY-MM-DD", e.expires),
            )
            .label("not a day");
            placed.push(d, file, &at("expires"));
        }
        let mut covers: Vec<RequirementVerdict> =
            e.covers.unwrap_or_else(|| vec![Coverable::Fail]).into_iter().map(Into::into).collect();
        covers.dedup();
        if covers.is_empty() {
            let d = Diag::error("waiver::covers-nothing", "`covers` names no verdict: leave it out to cover `fail`")
                .label("empty");
            placed.push(d, file, &at("covers"));
        }
        if placed.len() > before {
            continue;
        }
        out.push(Given {
            spec: e.specification,
            versions,
            waiver: Waiver {
                requirement: e.requirement,
                versions: e.version.trim().to_string(),
                reason: e.reason,
                reference: e.reference,
                approved_by: approver.map(str::to_string),
                expires: e.expires,
                covers,
            },
        });
    }
    out
}
