//! A vendor's conformance statement: the optional (`may`) requirements its product does not
//! offer, each with a reason. Only a `may` can be declared not offered: a `must` or `should`
//! is what the framework agreement asks of every product.
//!
//! ```yaml
//! vendor: Exempel AB
//! product: Bygglov Pro
//! product_version: "4.2"          # optional
//! specifications:
//!   - specification: building-permit
//!     version: 1.0.0              # or a range
//!     not_offered:
//!       - requirement: PERMIT-010
//!         reason: Documents are addressed by their place in the application.
//! ```

use std::sync::Arc;

use serde::Deserialize;

use super::{blank, matching, requirement_of, spec_versions, unknown_requirement, Versions};
use crate::catalogue::Catalogue;
use crate::diag::{Diag, Placed};
use crate::model::Level;
use crate::source::SourceFile;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct StatementFile {
    vendor: String,
    product: String,
    #[serde(default)]
    product_version: Option<String>,
    specifications: Vec<ForSpec>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ForSpec {
    specification: String,
    version: String,
    not_offered: Vec<NotOfferedEntry>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct NotOfferedEntry {
    requirement: String,
    reason: String,
}

/// The statement, read and checked.
#[derive(Debug, Clone)]
pub struct Given {
    pub vendor: String,
    /// The product, with its version when the statement gives one.
    pub product: String,
    pub not_offered: Vec<NotOffered>,
}

/// One requirement declared not offered, for specification `spec` at `versions`.
#[derive(Debug, Clone)]
pub struct NotOffered {
    pub spec: String,
    pub versions: Versions,
    pub requirement: String,
    pub reason: String,
}

/// Reads the statement; every mistake goes to `placed` (at its line) or `diags`.
pub fn load(
    catalogue: &Catalogue,
    file: &Arc<SourceFile>,
    placed: &mut Placed,
    diags: &mut Vec<Diag>,
) -> Option<Given> {
    let parsed = crate::typed::parse(file).and_then(|value| crate::typed::from_value::<StatementFile>(file, value));
    let parsed = match parsed {
        Ok(p) => p,
        Err(d) => {
            diags.push(d);
            return None;
        }
    };
    let before = placed.len();
    for (field, text) in [("vendor", &parsed.vendor), ("product", &parsed.product)] {
        if blank(text) {
            let d =
                Diag::error("statement::empty", format!("the statement's `{field}` cannot be empty")).label("empty");
            placed.push(d, file, &format!("/{field}"));
        }
    }
    let mut not_offered = Vec::new();
    for (i, s) in parsed.specifications.iter().enumerate() {
        let at = |field: &str| format!("/specifications/{i}/{field}");
        let all = match spec_versions(catalogue, &s.specification) {
            Ok(all) => all,
            Err(d) => {
                placed.push(d, file, &at("specification"));
                continue;
            }
        };
        let (versions, specs) = match matching(&all, &s.specification, &s.version) {
            Ok(found) => found,
            Err(d) => {
                placed.push(d, file, &at("version"));
                continue;
            }
        };
        for (j, entry) in s.not_offered.iter().enumerate() {
            let pointer = at(&format!("not_offered/{j}/requirement"));
            let levels: Vec<Level> = specs
                .iter()
                .filter_map(|spec| requirement_of(catalogue, spec, &entry.requirement))
                .map(|(level, _)| level)
                .collect();
            let Some(level) = levels.iter().min().copied() else {
                placed.push(unknown_requirement(catalogue, &specs, &entry.requirement), file, &pointer);
                continue;
            };
            if level != Level::May {
                let d = Diag::error(
                    "statement::not-optional",
                    format!(
                        "{} is a {} requirement: only a MAY requirement can be declared not offered",
                        entry.requirement,
                        level.to_string().to_uppercase()
                    ),
                )
                .label("not optional")
                .help("a MUST or SHOULD requirement is asked of every product; a waiver can accept a known deviation for a time");
                placed.push(d, file, &pointer);
                continue;
            }
            if blank(&entry.reason) {
                let d = Diag::error("statement::empty", "a requirement not offered needs a `reason`").label("empty");
                placed.push(d, file, &at(&format!("not_offered/{j}/reason")));
                continue;
            }
            not_offered.push(NotOffered {
                spec: s.specification.clone(),
                versions: versions.clone(),
                requirement: entry.requirement.clone(),
                reason: entry.reason.clone(),
            });
        }
    }
    if placed.len() > before {
        return None;
    }
    let product = match parsed.product_version.as_deref().map(str::trim).filter(|v| !v.is_empty()) {
        Some(version) => format!("{} {version}", parsed.product),
        None => parsed.product,
    };
    Some(Given { vendor: parsed.vendor, product, not_offered })
}
