//! The diff of two versions of an information model: what changed in the model itself
//! (concepts and properties, by name), and, for every specification version that uses the
//! old version, every change moving to the new one would bring it, classified for the vendor
//! exactly as `konform diff` classifies a specification's own changes. The specification's
//! description as it would be with the new version is loaded by the caller (the model's
//! schemas file read in place of the old one); this module compares what is loaded.

use std::io::{self, Write};
use std::path::Path;

use serde::Serialize;
use serde_json::{json, Value};

use super::{documents, Diff, Side};
use crate::catalogue::infomodel::{Concept, InfoModel};
use crate::catalogue::openapi::ApiDoc;
use crate::catalogue::Spec;
use crate::messages::{Lang, ModelText};

/// One change to the model itself.
#[derive(Debug, Clone, Serialize)]
pub struct ConceptChange {
    /// `concept-added`, `property-type-changed`...
    pub code: &'static str,
    pub concept: String,
    pub property: Option<String>,
    pub old_value: Option<String>,
    pub new_value: Option<String>,
    #[serde(skip)]
    words: ModelText,
}

impl ConceptChange {
    pub fn text(&self, lang: Lang) -> String {
        self.words.get(lang)
    }
}

/// What moving from one model version to another changes.
#[derive(Debug, Clone, Serialize)]
pub struct ModelDiff {
    /// `attachment@1.0.0`.
    pub old: String,
    pub new: String,
    pub model_changes: Vec<ConceptChange>,
    /// For each specification version using the old version: its changes with the new one.
    pub affected: Vec<Diff>,
    /// The specification versions already using the new version.
    pub already: Vec<String>,
}

/// The changes between two versions of a model's concepts, by name.
pub fn concepts(old: &InfoModel, new: &InfoModel) -> Vec<ConceptChange> {
    let mut out = Vec::new();
    let change =
        |code, concept: &str, property: Option<&str>, values: (Option<&str>, Option<&str>), words| ConceptChange {
            code,
            concept: concept.to_string(),
            property: property.map(str::to_string),
            old_value: values.0.map(str::to_string),
            new_value: values.1.map(str::to_string),
            words,
        };
    for o in &old.concepts {
        if new.concept(&o.name).is_none() {
            out.push(change(
                "concept-removed",
                &o.name,
                None,
                (None, None),
                ModelText::ConceptRemoved { concept: o.name.clone() },
            ));
        }
    }
    for n in &new.concepts {
        match old.concept(&n.name) {
            None => out.push(change(
                "concept-added",
                &n.name,
                None,
                (None, None),
                ModelText::ConceptAdded { concept: n.name.clone() },
            )),
            Some(o) => properties(o, n, &mut out, &change),
        }
    }
    out
}

type Make<'a> = dyn Fn(&'static str, &str, Option<&str>, (Option<&str>, Option<&str>), ModelText) -> ConceptChange + 'a;

fn properties(o: &Concept, n: &Concept, out: &mut Vec<ConceptChange>, change: &Make<'_>) {
    let c = n.name.clone();
    if o.definition != n.definition {
        out.push(change(
            "definition-changed",
            &c,
            None,
            (None, None),
            ModelText::DefinitionChanged { concept: c.clone(), property: None },
        ));
    }
    for op in &o.properties {
        if !n.properties.iter().any(|p| p.name == op.name) {
            let words = ModelText::PropertyRemoved { concept: c.clone(), property: op.name.clone() };
            out.push(change("property-removed", &c, Some(&op.name), (Some(&op.shape), None), words));
        }
    }
    for np in &n.properties {
        let p = np.name.clone();
        let Some(op) = o.properties.iter().find(|x| x.name == np.name) else {
            let words = ModelText::PropertyAdded { concept: c.clone(), property: p.clone(), required: np.required };
            out.push(change("property-added", &c, Some(&p), (None, Some(&np.shape)), words));
            continue;
        };
        if op.shape != np.shape {
            let words = ModelText::PropertyTypeChanged {
                concept: c.clone(),
                property: p.clone(),
                old: op.shape.clone(),
                new: np.shape.clone(),
            };
            out.push(change("property-type-changed", &c, Some(&p), (Some(&op.shape), Some(&np.shape)), words));
        }
        match (op.required, np.required) {
            (false, true) => out.push(change(
                "property-became-required",
                &c,
                Some(&p),
                (None, None),
                ModelText::PropertyBecameRequired { concept: c.clone(), property: p.clone() },
            )),
            (true, false) => out.push(change(
                "property-became-optional",
                &c,
                Some(&p),
                (None, None),
                ModelText::PropertyBecameOptional { concept: c.clone(), property: p.clone() },
            )),
            _ => {}
        }
        if op.definition != np.definition {
            let words = ModelText::DefinitionChanged { concept: c.clone(), property: Some(p.clone()) };
            out.push(change("definition-changed", &c, Some(&p), (None, None), words));
        }
    }
}

/// A specification version's changes when its description uses `new` where it used `old`:
/// `moved` is its description loaded with the new model version's schemas.
pub fn adopting(spec: &Spec, old: &InfoModel, new: &InfoModel, moved: &ApiDoc, root: &Path) -> Option<Diff> {
    let api = spec.api.as_ref()?;
    let mut changes = documents(api, moved);
    for p in changes.iter_mut().flat_map(|c| c.old.iter_mut().chain(c.new.iter_mut())) {
        if let Some(name) = crate::source::catalogue_name(root, &p.source.path) {
            p.file = name;
        }
    }
    let side = |model: &InfoModel| {
        let mut s = Side::of_spec(spec);
        s.name = format!("{} {} ({} {})", spec.meta.id, spec.meta.version, model.meta.id, model.meta.version);
        s
    };
    Some(Diff { old: side(old), new: side(new), changes, findings: Vec::new() })
}

impl ModelDiff {
    /// Whether some affected specification has a change breaking clients.
    pub fn breaking(&self) -> bool {
        self.affected.iter().any(|d| d.counts().breaking_for_clients > 0)
    }

    /// Whether some affected specification has a change asking the vendor for work.
    pub fn must_change(&self) -> bool {
        self.affected.iter().any(|d| d.counts().must_change > 0)
    }

    fn summary(&self) -> ModelText {
        if self.affected.is_empty() {
            ModelText::AffectsNone { old: self.old.clone() }
        } else {
            ModelText::Affects { old: self.old.clone(), new: self.new.clone(), count: self.affected.len() }
        }
    }
}

pub fn human(d: &ModelDiff, lang: Lang, width: Option<usize>, out: &mut dyn Write) -> io::Result<()> {
    writeln!(out, "{}", ModelText::Heading { name: format!("{} → {}", d.old, d.new) }.get(lang))?;
    writeln!(out, "{}", ModelText::ConceptChanges { count: d.model_changes.len() }.get(lang))?;
    for c in &d.model_changes {
        writeln!(out, "  - {}", c.text(lang))?;
    }
    writeln!(out, "\n{}", d.summary().get(lang))?;
    for diff in &d.affected {
        writeln!(out, "\n── {}", diff.new.name)?;
        super::render::human(diff, lang, width, out)?;
    }
    if !d.already.is_empty() {
        writeln!(out, "\n{}", ModelText::Already { new: d.new.clone(), specs: d.already.clone() }.get(lang))?;
    }
    Ok(())
}

pub fn markdown(d: &ModelDiff, lang: Lang, out: &mut dyn Write) -> io::Result<()> {
    writeln!(out, "# {}\n", ModelText::Heading { name: format!("{} → {}", d.old, d.new) }.get(lang))?;
    writeln!(out, "{}\n", ModelText::ConceptChanges { count: d.model_changes.len() }.get(lang))?;
    for c in &d.model_changes {
        writeln!(out, "- {}", c.text(lang).replace('|', "\\|"))?;
    }
    writeln!(out, "\n{}", d.summary().get(lang))?;
    for diff in &d.affected {
        writeln!(
            out,
            "\n## {}\n",
            ModelText::Adopting { spec: diff.old.specification.clone().unwrap_or_default(), new: d.new.clone() }
                .get(lang)
        )?;
        let mut md = Vec::new();
        super::render::markdown(diff, lang, &mut md)?;
        // The section's own headings go one level down.
        for line in String::from_utf8_lossy(&md).lines() {
            if line.starts_with('#') {
                writeln!(out, "#{line}")?;
            } else {
                writeln!(out, "{line}")?;
            }
        }
    }
    if !d.already.is_empty() {
        writeln!(out, "\n{}", ModelText::Already { new: d.new.clone(), specs: d.already.clone() }.get(lang))?;
    }
    Ok(())
}

pub fn json(d: &ModelDiff, out: &mut dyn Write) -> io::Result<()> {
    let affected: Result<Vec<Value>, _> = d
        .affected
        .iter()
        .map(|diff| {
            super::render::json_value(diff).map(|v| json!({ "specification": diff.old.specification, "changes": v }))
        })
        .collect();
    let changes: Vec<Value> = d
        .model_changes
        .iter()
        .map(|c| {
            let mut v = serde_json::to_value(c).unwrap_or(Value::Null);
            v["text"] = Value::String(c.text(Lang::En));
            v
        })
        .collect();
    let value = json!({
        "old": d.old,
        "new": d.new,
        "model_changes": changes,
        "affected": affected.map_err(io::Error::other)?,
        "already": d.already,
        "summary": {
            "affected": d.affected.len(),
            "breaking_for_clients": d.breaking(),
            "must_change": d.must_change(),
        },
    });
    serde_json::to_writer_pretty(&mut *out, &value).map_err(io::Error::other)?;
    writeln!(out)
}
