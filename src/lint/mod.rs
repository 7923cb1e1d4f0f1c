//! `konform lint`: checks an OpenAPI document against the Swedish REST API profile (the
//! catalogue's `api-profile`). Each violated rule is reported with its id, its level
//! (SKALL/BÖR), the JSON pointer and the file:line where it applies.

pub mod output;
pub mod rules;

use serde::Serialize;
use serde_json::Value;

use crate::catalogue::openapi::ApiDoc;

/// A rule's level in the profile.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum RuleLevel {
    /// SKALL: a violation fails the lint (exit 1).
    Skall,
    /// BÖR: reported, does not fail.
    Bor,
}

impl RuleLevel {
    /// The level as DIGG writes it (SKALL/BÖR), whatever the language.
    pub fn label(self) -> &'static str {
        match self {
            RuleLevel::Skall => "SKALL",
            RuleLevel::Bor => "BÖR",
        }
    }

    /// The level as a reader of `lang` reads it: SKALL/BÖR or MUST/SHOULD.
    pub fn label_in(self, lang: crate::model::Lang) -> &'static str {
        self.level().label(lang)
    }

    pub fn level(self) -> crate::model::Level {
        match self {
            RuleLevel::Skall => crate::model::Level::Must,
            RuleLevel::Bor => crate::model::Level::Should,
        }
    }
}

/// Where konform's documentation is read online: the `docs/` folder as published with the
/// crate (`Cargo.toml` includes it), at the version that made the output, so a rule's link
/// describes the rule as this version checks it.
pub const DOCS_URL: &str = concat!("https://docs.rs/crate/konform/", env!("CARGO_PKG_VERSION"), "/source/docs/");

/// konform's page, for SARIF's `informationUri`: the crate, at this version.
pub const HOME_URL: &str = concat!("https://docs.rs/crate/konform/", env!("CARGO_PKG_VERSION"));

/// The link to a rule's entry in `docs/api-profile.md` (each row has the anchor
/// `rule-dok-03` for `DOK.03`).
pub fn rule_url(id: &str) -> String {
    format!("{DOCS_URL}api-profile.md#{}", rule_anchor(id))
}

/// The anchor of a rule's row in `docs/api-profile.md`: `DOK.03` is `rule-dok-03`.
pub fn rule_anchor(id: &str) -> String {
    format!("rule-{}", id.to_ascii_lowercase().replace('.', "-"))
}

/// The ids of every rule, for checking `--ignore` and the settings file.
pub fn rule_ids() -> Vec<&'static str> {
    rules::all().into_iter().map(|r| r.id).collect()
}

/// One violation.
#[derive(Debug, Clone, Serialize)]
pub struct Finding {
    pub rule: &'static str,
    pub level: RuleLevel,
    /// What was found, rendered in the output's language.
    #[serde(skip)]
    pub message: crate::messages::LintMsg,
    /// Which file of the description (index into `ApiDoc::docs`).
    #[serde(skip)]
    pub doc: usize,
    pub pointer: String,
    /// Point at the key (for names) rather than the value.
    #[serde(skip)]
    pub at_key: bool,
}

/// What rules look at.
pub struct Ctx<'a> {
    pub api: &'a ApiDoc,
}

impl<'a> Ctx<'a> {
    fn finding(&self, doc: usize, pointer: &str, message: crate::messages::LintMsg) -> Finding {
        Finding { rule: "", level: RuleLevel::Skall, message, doc, pointer: pointer.to_string(), at_key: false }
    }
    fn finding_key(&self, doc: usize, pointer: &str, message: crate::messages::LintMsg) -> Finding {
        Finding { at_key: true, ..self.finding(doc, pointer, message) }
    }
    fn finding_at(&self, at: &(usize, String), message: crate::messages::LintMsg) -> Finding {
        self.finding(at.0, &at.1, message)
    }
    fn value(&self, at: &(usize, String)) -> Option<&'a Value> {
        crate::model::pointer::get(&self.api.docs.get(at.0)?.value, &at.1)
    }
    /// Follows `$ref`s to where a value really is.
    fn deref(&self, at: &(usize, String)) -> Option<(usize, String)> {
        let mut at = at.clone();
        for _ in 0..32 {
            let v = self.value(&at)?;
            let Some(r) = v.get("$ref").and_then(Value::as_str) else { return Some(at) };
            let (file, fragment) = r.split_once('#').unwrap_or((r, ""));
            if !file.is_empty() {
                let base = url::Url::parse(&self.api.docs[at.0].uri).ok()?;
                let mut target = base.join(file).ok()?;
                target.set_fragment(None);
                at.0 = self.api.docs.iter().position(|d| d.uri == target.as_str())?;
            }
            at.1 = percent_encoding::percent_decode_str(fragment).decode_utf8_lossy().into_owned();
        }
        None
    }
    fn resolved(&self, at: &(usize, String)) -> Option<&'a Value> {
        let at = self.deref(at)?;
        self.value(&at)
    }
}

/// Runs every rule but the `ignored` ones; findings are ordered by rule, then by place.
pub fn lint(api: &ApiDoc, ignored: &[&str]) -> Vec<Finding> {
    let ctx = Ctx { api };
    let mut findings = Vec::new();
    for rule in rules::all().into_iter().filter(|r| !ignored.contains(&r.id)) {
        let mut found = Vec::new();
        (rule.check)(&ctx, &mut found);
        for mut f in found {
            f.rule = rule.id;
            f.level = rule.level;
            findings.push(f);
        }
    }
    findings
}

/// The rule table, for `--list-rules` and the docs.
pub fn rule_table() -> Vec<(&'static str, RuleLevel, crate::model::Localized)> {
    rules::all().into_iter().map(|r| (r.id, r.level, (r.text)())).collect()
}
