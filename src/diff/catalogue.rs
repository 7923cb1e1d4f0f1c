//! What changed in a specification beside its OpenAPI document: its requirements (by id)
//! and its scenarios (by id).

use std::collections::HashMap;
use std::sync::Arc;

use serde_json::Value;

use super::classify::requirement_class;
use super::{Change, ChangeKind, ChangePlace, Position};
use crate::catalogue::{Requirement, Spec};
use crate::messages::Level;
use crate::source::SourceFile;
use crate::suite::{Body, FixtureContent, Scenario, Step};

/// Where requirement `i` of a specification is written.
fn requirement_at(spec: &Spec, i: usize, field: &str) -> Option<Position> {
    if spec.requirements.get(i).is_some_and(|r| r.derived) {
        // Derived from the process the specification implements: where it says so.
        return Some(Position::new(&spec.meta_file, "/process".to_string()));
    }
    let file = spec.requirements_file.as_ref()?;
    let pointer = if field.is_empty() { format!("/requirements/{i}") } else { format!("/requirements/{i}/{field}") };
    Some(Position::new(file, pointer))
}

fn level_value(level: Level) -> Value {
    Value::String(level.to_string())
}

/// Requirements added, removed, with a new level or new words.
pub fn requirements(old: &Spec, new: &Spec) -> Vec<Change> {
    let mut out = Vec::new();
    let index = |spec: &Spec| -> HashMap<String, usize> {
        spec.requirements.iter().enumerate().map(|(i, r)| (r.id.clone(), i)).collect()
    };
    let (old_index, new_index) = (index(old), index(new));
    for (j, r) in new.requirements.iter().enumerate() {
        let place = ChangePlace::Requirement { id: r.id.clone() };
        let Some(&i) = old_index.get(&r.id) else {
            let mut c = Change::new(ChangeKind::RequirementAdded, place);
            c.class = requirement_class(r.level);
            c.title = Some(r.title.clone());
            c.new_value = Some(level_value(r.level));
            c.new = requirement_at(new, j, "");
            out.push(c);
            continue;
        };
        let before: &Requirement = &old.requirements[i];
        if before.level != r.level {
            // `Level` orders must < should < may: a smaller level is a stronger one.
            let raised = r.level < before.level;
            let kind = if raised { ChangeKind::RequirementLevelRaised } else { ChangeKind::RequirementLevelLowered };
            let mut c = Change::new(kind, place.clone());
            if raised {
                c.class = requirement_class(r.level);
            }
            c.title = Some(r.title.clone());
            c.old_value = Some(level_value(before.level));
            c.new_value = Some(level_value(r.level));
            c.old = requirement_at(old, i, "level");
            c.new = requirement_at(new, j, "level");
            out.push(c);
        }
        if before.title != r.title || before.text != r.text {
            let mut c = Change::new(ChangeKind::RequirementTextChanged, place);
            c.title = Some(r.title.clone());
            let field = if before.text != r.text { "text" } else { "title" };
            c.old = requirement_at(old, i, field);
            c.new = requirement_at(new, j, field);
            out.push(c);
        }
    }
    for (i, r) in old.requirements.iter().enumerate() {
        if !new_index.contains_key(&r.id) {
            let mut c = Change::new(ChangeKind::RequirementRemoved, ChangePlace::Requirement { id: r.id.clone() });
            c.title = Some(r.title.clone());
            c.old_value = Some(level_value(r.level));
            c.old = requirement_at(old, i, "");
            out.push(c);
        }
    }
    out
}

/// A scenario as written, and the fixtures it sends: what makes it the same test.
struct Written<'s> {
    scenario: &'s Scenario,
    file: Arc<SourceFile>,
    /// The pointer in `file` where it is written.
    at: String,
    content: Vec<Value>,
}

fn written(spec: &Spec) -> Vec<Written<'_>> {
    let mut out = Vec::new();
    for suite in &spec.suites {
        let parsed = suite.file.parse().unwrap_or(Value::Null);
        for scenario in suite.all_scenarios() {
            let mut content = vec![parsed.pointer(&scenario.pointer).cloned().unwrap_or(Value::Null)];
            content.extend(scenario.steps.iter().chain(&scenario.cleanup).filter_map(fixture));
            // A scenario derived from the process is written nowhere: its place is the
            // specification's `process:`.
            let (file, at) = if suite.derived {
                (spec.meta_file.clone(), "/process".to_string())
            } else {
                (suite.file.clone(), scenario.pointer.clone())
            };
            out.push(Written { scenario, file, at, content });
        }
    }
    out
}

fn fixture(step: &Step) -> Option<Value> {
    match &step.body {
        Some(Body::File { content: FixtureContent::Json { value, .. }, .. }) => Some(value.clone()),
        Some(Body::File { content, .. }) => Some(Value::String(content.sha256_hex())),
        _ => None,
    }
}

/// Scenarios added, removed, or changed (their steps, expectations or fixtures).
pub fn scenarios(old: &Spec, new: &Spec) -> Vec<Change> {
    let (before, after) = (written(old), written(new));
    let mut out = Vec::new();
    for w in &after {
        let place = ChangePlace::Scenario { id: w.scenario.id.clone() };
        let kind = match before.iter().find(|b| b.scenario.id == w.scenario.id) {
            None => ChangeKind::ScenarioAdded,
            Some(b) if b.content != w.content => ChangeKind::ScenarioChanged,
            Some(_) => continue,
        };
        let mut c = Change::new(kind, place);
        c.title = Some(w.scenario.title.clone());
        c.new = Some(Position::new(&w.file, w.at.clone()));
        if let Some(b) = before.iter().find(|b| b.scenario.id == w.scenario.id) {
            c.old = Some(Position::new(&b.file, b.at.clone()));
        }
        out.push(c);
    }
    for b in &before {
        if !after.iter().any(|w| w.scenario.id == b.scenario.id) {
            let mut c = Change::new(ChangeKind::ScenarioRemoved, ChangePlace::Scenario { id: b.scenario.id.clone() });
            c.title = Some(b.scenario.title.clone());
            c.old = Some(Position::new(&b.file, b.at.clone()));
            out.push(c);
        }
    }
    out
}
