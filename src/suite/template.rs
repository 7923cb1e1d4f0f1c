//! `{{ name }}` templates in step parameters, headers and bodies.
//!
//! A deliberately small language (variable substitution and a few built-in generators), so
//! it is parsed here with exact error positions rather than pulled in as a general template
//! engine whose conditionals and loops a conformance suite should not need.

use std::collections::BTreeSet;

use serde_json::Value;

/// Generators available in every scenario. Each call yields a fresh value.
pub const BUILTINS: [&str; 4] = ["$uuid", "$now", "$timestamp", "$random"];

#[derive(Debug, Clone, PartialEq)]
pub enum Part {
    Text(String),
    Var(String),
}

/// A parsed template string.
#[derive(Debug, Clone, PartialEq)]
pub struct Template {
    pub parts: Vec<Part>,
}

/// A template error: message and the character offset in the template text.
#[derive(Debug, Clone, PartialEq)]
pub struct TemplateError {
    pub message: String,
    pub offset: usize,
}

impl Template {
    pub fn parse(text: &str) -> Result<Template, TemplateError> {
        let mut parts = Vec::new();
        let mut rest = text;
        let mut consumed = 0;
        while let Some(start) = rest.find("{{") {
            if start > 0 {
                parts.push(Part::Text(rest[..start].to_string()));
            }
            let after = &rest[start + 2..];
            let Some(end) = after.find("}}") else {
                return Err(TemplateError { message: "`{{` is not closed by `}}`".into(), offset: consumed + start });
            };
            let name = after[..end].trim();
            if !is_variable_name(name) {
                return Err(TemplateError {
                    message: format!(
                        "`{name}` is not a variable name (letters, digits, `_`, `-`, `.`; built-ins start with `$`)"
                    ),
                    offset: consumed + start,
                });
            }
            if name.starts_with('$') && !BUILTINS.contains(&name) {
                return Err(TemplateError {
                    message: format!("unknown built-in `{name}`; the built-ins are {}", BUILTINS.join(", ")),
                    offset: consumed + start,
                });
            }
            parts.push(Part::Var(name.to_string()));
            let advance = start + 2 + end + 2;
            consumed += advance;
            rest = &rest[advance..];
        }
        if !rest.is_empty() {
            parts.push(Part::Text(rest.to_string()));
        }
        Ok(Template { parts })
    }

    pub fn is_literal(&self) -> bool {
        self.parts.iter().all(|p| matches!(p, Part::Text(_)))
    }

    pub fn variables(&self) -> impl Iterator<Item = &str> {
        self.parts.iter().filter_map(|p| match p {
            Part::Var(v) => Some(v.as_str()),
            Part::Text(_) => None,
        })
    }

    /// The single variable when the template is exactly `{{ name }}` (its value keeps its type).
    pub fn sole_variable(&self) -> Option<&str> {
        match self.parts.as_slice() {
            [Part::Var(v)] => Some(v),
            _ => None,
        }
    }

    /// Renders with a lookup that returns a variable's value, or `None` when it is unset.
    pub fn render(&self, lookup: &mut dyn FnMut(&str) -> Option<Value>) -> Result<String, RenderError> {
        let mut out = String::new();
        for part in &self.parts {
            match part {
                Part::Text(t) => out.push_str(t),
                Part::Var(name) => match lookup(name) {
                    Some(Value::String(s)) => out.push_str(&s),
                    Some(other) => out.push_str(&other.to_string()),
                    None => return Err(RenderError::Unset(name.clone())),
                },
            }
        }
        Ok(out)
    }
}

pub fn is_variable_name(name: &str) -> bool {
    let body = name.strip_prefix('$').unwrap_or(name);
    let mut chars = body.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'))
}

/// Every variable named by templates anywhere inside a JSON value (strings only).
pub fn variables_in_value(value: &Value, out: &mut BTreeSet<String>) -> Result<(), TemplateError> {
    match value {
        Value::String(s) if s.contains("{{") => {
            out.extend(Template::parse(s)?.variables().map(str::to_string));
        }
        Value::Array(items) => {
            for v in items {
                variables_in_value(v, out)?;
            }
        }
        Value::Object(map) => {
            for v in map.values() {
                variables_in_value(v, out)?;
            }
        }
        _ => {}
    }
    Ok(())
}

/// Why a template could not be rendered.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RenderError {
    /// A variable it uses has no value.
    #[error("variable `{0}` is not set")]
    Unset(String),
    /// The text is not a template (`check` reports these before a run).
    #[error("{0}")]
    Template(String),
}

/// Substitutes templates inside a JSON value. A string that is exactly one `{{ var }}`
/// takes the variable's value with its type (a captured number stays a number).
pub fn render_value(value: &Value, lookup: &mut dyn FnMut(&str) -> Option<Value>) -> Result<Value, RenderError> {
    Ok(match value {
        Value::String(s) if s.contains("{{") => {
            let t = Template::parse(s).map_err(|e| RenderError::Template(e.message))?;
            match t.sole_variable() {
                Some(name) => lookup(name).ok_or_else(|| RenderError::Unset(name.to_string()))?,
                None => Value::String(t.render(lookup)?),
            }
        }
        Value::Array(items) => Value::Array(items.iter().map(|v| render_value(v, lookup)).collect::<Result<_, _>>()?),
        Value::Object(map) => {
            let mut out = serde_json::Map::new();
            for (k, v) in map {
                out.insert(k.clone(), render_value(v, lookup)?);
            }
            Value::Object(out)
        }
        other => other.clone(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn parses_and_renders() {
        let t = Template::parse("/cases/{{ caseId }}?x={{n}}").unwrap();
        assert_eq!(t.variables().collect::<Vec<_>>(), vec!["caseId", "n"]);
        let out = t.render(&mut |n| Some(if n == "n" { json!(3) } else { json!("abc") })).unwrap();
        assert_eq!(out, "/cases/abc?x=3");
    }

    #[test]
    fn errors_carry_offsets() {
        assert_eq!(Template::parse("ab {{ x").unwrap_err().offset, 3);
        assert!(Template::parse("{{ not valid }}").is_err());
        assert!(Template::parse("{{ $nope }}").unwrap_err().message.contains("unknown built-in"));
    }

    #[test]
    fn sole_variables_keep_their_type() {
        let v = render_value(&json!({"count": "{{ n }}", "label": "n={{ n }}"}), &mut |_| Some(json!(7))).unwrap();
        assert_eq!(v, json!({"count": 7, "label": "n=7"}));
    }

    #[test]
    fn unset_variables_are_reported_by_name() {
        assert_eq!(
            render_value(&json!("{{ missing }}"), &mut |_| None).unwrap_err(),
            RenderError::Unset("missing".into())
        );
    }
}
