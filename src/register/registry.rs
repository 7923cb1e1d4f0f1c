//! The register read back: products (by vendor and product, as the reports declare them),
//! their standing for each specification version (from the latest report), and their
//! history. This is `registry.json` (its JSON Schema: `konform register schema`,
//! docs/registry-schema.json), and what the pages and badges show.
//!
//! A product's standing for a version comes from its latest report (by start time) that
//! covers that version: `revoked` when that report is revoked; else `not_certified` when
//! it did not certify the version; else `retired` when the version's sunset has passed,
//! `expired` when the report's validity has ended, and `certified` otherwise. Validity is
//! judged on one day (`--at`, default today), so a build can be reproduced.

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::Serialize;
use serde_json::Value;

use super::{Register, RegisterError, Revocation};
use crate::messages::Localized;
use crate::model::{Date, RequirementVerdict, RunReport, SpecVerdict};
use crate::report::sign::{self, SignatureCheck};

/// The shape's name and version, first in registry.json.
pub const FORMAT: &str = "konform-registry/1";

/// Everything the register holds, as of a day.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct Registry {
    /// `konform-registry/1`.
    pub format: String,
    pub title: Localized,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub publisher: Option<String>,
    /// The day validity was judged on (YYYY-MM-DD).
    pub at: Date,
    pub keys: Vec<Key>,
    /// By vendor, then product.
    pub products: Vec<Product>,
}

/// A signing key.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
pub struct Key {
    /// The register's name for it (its file in `keys/`); absent for a key no longer trusted
    /// (only revoked reports can have one).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// SHA-256 of its SPKI DER.
    pub sha256: String,
}

/// The standing of a product for one specification version.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Certified,
    NotCertified,
    /// Certified, but the report's `valid_until` has passed.
    Expired,
    /// Certified, but the specification version's sunset has passed.
    Retired,
    /// The report was revoked.
    Revoked,
}

/// A vendor's product, as the reports declare them.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct Product {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub vendor: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub product: Option<String>,
    /// Its name in file names: readable, with a hash of the exact vendor and product.
    pub slug: String,
    /// Its page in each language, relative to the site.
    pub pages: Localized,
    /// For each specification version it was tested against, by id and version.
    pub standing: Vec<Standing>,
    /// Every run, oldest first.
    pub runs: Vec<Run>,
}

/// A product's standing for a specification version, from the latest report covering it.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct Standing {
    pub specification: String,
    pub version: String,
    pub title: Localized,
    pub status: Status,
    /// What the latest report found.
    pub verdict: SpecVerdict,
    /// The latest report's id.
    pub report: String,
    /// When its run started (RFC 3339).
    pub started: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub valid_until: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sunset: Option<Date>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub revoked: Option<Revocation>,
    /// The badge (SVG) and its shields.io endpoint (JSON) in each language, relative to
    /// the site.
    pub badge: Badges,
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct Badges {
    pub svg: Localized,
    pub json: Localized,
}

/// One report of a product.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct Run {
    /// The report's id.
    pub report: String,
    /// The report file, relative to the site (a copy of the one in the register).
    pub file: String,
    pub started: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub product_version: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub issuer: Option<String>,
    pub key: Key,
    pub verdict: SpecVerdict,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub valid_until: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub revoked: Option<Revocation>,
    pub specifications: Vec<RunSpec>,
}

/// A specification version in a run.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct RunSpec {
    pub id: String,
    pub version: String,
    pub verdict: SpecVerdict,
    /// False for the product's first run of this version.
    pub has_previous: bool,
    /// The requirements whose verdict differs from the product's previous run of this
    /// version.
    pub changes: Vec<Change>,
}

/// A requirement whose verdict changed between two runs; `from` or `to` is absent when the
/// requirement was not in that run.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct Change {
    pub requirement: String,
    pub title: Localized,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub from: Option<RequirementVerdict>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub to: Option<RequirementVerdict>,
}

/// A report read from the register, checked again.
pub struct Entry {
    pub id: String,
    pub report: RunReport,
    pub key: Key,
    pub revoked: Option<Revocation>,
}

/// Reads every report of the register and checks it again: a file changed since it was
/// added, or a report whose key is no longer trusted and that is not revoked, makes the
/// register invalid (naming the file). Revoked reports need no trusted key.
pub fn entries(register: &Register) -> Result<Vec<Entry>, RegisterError> {
    let revocations = register.revocations()?;
    let mut out = Vec::new();
    for (id, path) in register.reports()? {
        let invalid = |detail: String| RegisterError::Invalid { path: path.clone(), detail };
        let (value, report) = crate::report::read::read(&path).map_err(|e| invalid(e.to_string()))?;
        if report.id.as_deref() != Some(id.as_str()) {
            return Err(invalid("its name is not the report's id".into()));
        }
        let sha256 =
            signer(&value).ok_or_else(|| invalid("it is not signed, or its signature does not hold".into()))?;
        let revoked = revocations.get(&id).cloned();
        let name = register.trusted(&sha256).map(|k| k.name.clone());
        if name.is_none() && revoked.is_none() {
            return Err(invalid(format!(
                "it is signed with a key the register no longer trusts (SHA-256 {sha256}): trust the key again, or revoke the report"
            )));
        }
        out.push(Entry { id, report, key: Key { name, sha256 }, revoked });
    }
    Ok(out)
}

/// The fingerprint of the key a report is validly signed with.
fn signer(value: &Value) -> Option<String> {
    match sign::verify(value, None) {
        SignatureCheck::Valid { .. } => sign::key_fingerprint(value.get("signature")?.get("public_key")?.as_str()?),
        _ => None,
    }
}

/// How products are grouped and ordered: vendor and product without case (for the order),
/// then exactly as written (for the group).
type ProductKey = (String, String, Option<String>, Option<String>);

/// The registry of `entries`, validity judged on `at`.
pub fn build(register: &Register, entries: &[Entry], at: Date) -> Registry {
    let mut groups: BTreeMap<ProductKey, Vec<&Entry>> = BTreeMap::new();
    for e in entries {
        let t = &e.report.target;
        let sort = |v: &Option<String>| v.as_deref().unwrap_or_default().to_lowercase();
        groups.entry((sort(&t.vendor), sort(&t.product), t.vendor.clone(), t.product.clone())).or_default().push(e);
    }
    let products = groups
        .into_iter()
        .map(|((_, _, vendor, product), mut runs)| {
            runs.sort_by(|a, b| (&a.report.started, &a.id).cmp(&(&b.report.started, &b.id)));
            product_of(vendor, product, &runs, at)
        })
        .collect();
    let keys = register.keys.iter().map(|k| Key { name: Some(k.name.clone()), sha256: k.sha256.clone() }).collect();
    let title = register.settings.title.clone().unwrap_or_else(|| Localized {
        sv: crate::messages::Reg::DefaultTitle.get(crate::model::Lang::Sv),
        en: crate::messages::Reg::DefaultTitle.get(crate::model::Lang::En),
    });
    Registry { format: FORMAT.into(), title, publisher: register.settings.publisher.clone(), at, keys, products }
}

/// A file name from text: lower-case ASCII letters, digits and `-` (Swedish letters as
/// their base letters), at most 40 characters.
fn readable(text: &str) -> String {
    let mut out = String::new();
    for c in text.chars().flat_map(char::to_lowercase) {
        let c = match c {
            'å' | 'ä' | 'á' | 'à' => 'a',
            'ö' | 'ø' | 'ó' => 'o',
            'é' | 'è' | 'ë' => 'e',
            'ü' => 'u',
            c if c.is_ascii_alphanumeric() => c,
            _ => '-',
        };
        if !(c == '-' && (out.is_empty() || out.ends_with('-'))) {
            out.push(c);
        }
    }
    out.truncate(40);
    out.trim_end_matches('-').to_string()
}

/// A product's name in file names: readable, and unique by a hash of the exact vendor and
/// product (so a badge's address never changes).
pub fn slug(vendor: Option<&str>, product: Option<&str>) -> String {
    let exact = format!("{}\u{0}{}", vendor.unwrap_or_default(), product.unwrap_or_default());
    let hash = crate::source::sha256_hex(exact.as_bytes());
    let name = readable(&format!("{} {}", vendor.unwrap_or_default(), product.unwrap_or_default()));
    if name.is_empty() {
        hash[..8].to_string()
    } else {
        format!("{name}-{}", &hash[..8])
    }
}

/// A specification version's name in file names (`case-intake-1.1.0`).
pub fn spec_file(id: &str, version: &str) -> String {
    let plain = |s: &str| s.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '.' | '_'));
    let name = format!("{id}-{version}");
    if plain(id) && plain(version) && !name.starts_with('.') {
        name
    } else {
        let hash = crate::source::sha256_hex(format!("{id}\u{0}{version}").as_bytes());
        format!("{}-{}", readable(&name), &hash[..8])
    }
}

fn localized(f: impl Fn(&str) -> String) -> Localized {
    Localized { sv: f("sv"), en: f("en") }
}

fn product_of(vendor: Option<String>, product: Option<String>, runs: &[&Entry], at: Date) -> Product {
    let slug = slug(vendor.as_deref(), product.as_deref());
    let mut history = Vec::new();
    // The latest run of each version so far, to compare the next one with.
    let mut previous: BTreeMap<(String, String), &crate::model::SpecResult> = BTreeMap::new();
    let mut standing: BTreeMap<(String, String), Standing> = BTreeMap::new();
    for entry in runs {
        let r = &entry.report;
        let mut specifications = Vec::new();
        for spec in &r.specifications {
            let key = (spec.id.clone(), spec.version.clone());
            let before = previous.insert(key.clone(), spec);
            specifications.push(RunSpec {
                id: spec.id.clone(),
                version: spec.version.clone(),
                verdict: spec.verdict,
                has_previous: before.is_some(),
                changes: before.map(|b| changes(b, spec)).unwrap_or_default(),
            });
            let file = spec_file(&spec.id, &spec.version);
            standing.insert(
                key,
                Standing {
                    specification: spec.id.clone(),
                    version: spec.version.clone(),
                    title: spec.title.clone(),
                    status: status(entry, spec, at),
                    verdict: spec.verdict,
                    report: entry.id.clone(),
                    started: r.started.clone(),
                    valid_until: r.valid_until.clone(),
                    sunset: spec.lifecycle.as_ref().and_then(|l| l.sunset),
                    revoked: entry.revoked.clone(),
                    badge: Badges {
                        svg: localized(|l| format!("{l}/badges/{slug}/{file}.svg")),
                        json: localized(|l| format!("{l}/badges/{slug}/{file}.json")),
                    },
                },
            );
        }
        history.push(Run {
            report: entry.id.clone(),
            file: format!("reports/{}.json", entry.id),
            started: r.started.clone(),
            product_version: r.target.product_version.clone(),
            issuer: r.issuer.clone(),
            key: entry.key.clone(),
            verdict: r.verdict,
            valid_until: r.valid_until.clone(),
            revoked: entry.revoked.clone(),
            specifications,
        });
    }
    // Versions in semver order (1.9.0 before 1.10.0).
    let mut standing: Vec<Standing> = standing.into_values().collect();
    standing.sort_by(|a, b| {
        let version = |s: &Standing| semver::Version::parse(&s.version).ok();
        (&a.specification, version(a), &a.version).cmp(&(&b.specification, version(b), &b.version))
    });
    Product {
        pages: localized(|l| format!("{l}/products/{slug}.html")),
        vendor,
        product,
        slug,
        standing,
        runs: history,
    }
}

/// The standing a report gives a product for one specification version, on `at`.
fn status(entry: &Entry, spec: &crate::model::SpecResult, at: Date) -> Status {
    if entry.revoked.is_some() {
        return Status::Revoked;
    }
    if spec.verdict != SpecVerdict::Certified {
        return Status::NotCertified;
    }
    if spec.lifecycle.as_ref().and_then(|l| l.sunset).is_some_and(|sunset| sunset <= at) {
        return Status::Retired;
    }
    let ended = entry.report.valid_until.as_deref().map(humantime::parse_rfc3339);
    match ended {
        // A validity that cannot be read holds for nothing.
        Some(Err(_)) => Status::Expired,
        Some(Ok(until)) if until < at.start() => Status::Expired,
        _ => Status::Certified,
    }
}

/// The requirements whose verdict differs between two runs of a version, in the order of
/// the later run (then those only the earlier had).
fn changes(before: &crate::model::SpecResult, after: &crate::model::SpecResult) -> Vec<Change> {
    let old: BTreeMap<&str, &crate::model::RequirementResult> =
        before.requirements.iter().map(|r| (r.id.as_str(), r)).collect();
    let mut out = Vec::new();
    for r in &after.requirements {
        let from = old.get(r.id.as_str()).map(|o| o.verdict);
        if from != Some(r.verdict) {
            out.push(Change { requirement: r.id.clone(), title: r.title.clone(), from, to: Some(r.verdict) });
        }
    }
    for r in &before.requirements {
        if !after.requirements.iter().any(|a| a.id == r.id) {
            out.push(Change { requirement: r.id.clone(), title: r.title.clone(), from: Some(r.verdict), to: None });
        }
    }
    out
}

/// The JSON Schema of registry.json (docs/registry-schema.json is this, committed).
pub fn json_schema() -> String {
    let schema = schemars::schema_for!(Registry);
    serde_json::to_string_pretty(&schema).unwrap_or_default() + "\n"
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_are_readable_stable_and_tell_near_names_apart() {
        let a = slug(Some("Sundsvalls kommun"), Some("Ärendeportal"));
        assert!(a.starts_with("sundsvalls-kommun-arendeportal-"), "{a}");
        assert_eq!(a, slug(Some("Sundsvalls kommun"), Some("Ärendeportal")));
        assert_ne!(slug(Some("Acme AB"), Some("x")), slug(Some("acme-ab"), Some("x")));
        assert_ne!(slug(Some("a"), Some("b c")), slug(Some("a b"), Some("c")));
        let hostile = slug(Some("../../etc"), Some("<script>"));
        assert!(hostile.chars().all(|c| c.is_ascii_alphanumeric() || c == '-'), "{hostile}");
        assert_eq!(slug(None, None).len(), 8);
        assert_eq!(spec_file("case-intake", "1.1.0"), "case-intake-1.1.0");
        let odd = spec_file("..", "/x");
        assert!(!odd.contains('/') && !odd.starts_with('.'), "{odd}");
    }
}
