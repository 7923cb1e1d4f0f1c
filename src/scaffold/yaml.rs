//! A small YAML writer for the scaffold's files: block mappings and sequences, scalars
//! plain where YAML reads them back as the same string, else double-quoted (JSON's string
//! syntax, which YAML's double-quoted style accepts). Keys keep their order.

use serde_json::Value;

/// `value` as a YAML document (no leading `---`), ending with a newline.
pub fn to_string(value: &Value) -> String {
    let mut out = String::new();
    match value {
        Value::Object(m) if !m.is_empty() => mapping(&mut out, m, 0),
        Value::Array(a) if !a.is_empty() => sequence(&mut out, a, 0),
        other => {
            out.push_str(&scalar(other));
            out.push('\n');
        }
    }
    out
}

fn indent(out: &mut String, n: usize) {
    out.extend(std::iter::repeat_n(' ', n));
}

fn mapping(out: &mut String, m: &serde_json::Map<String, Value>, depth: usize) {
    for (k, v) in m {
        indent(out, depth);
        out.push_str(&string(k));
        out.push(':');
        child(out, v, depth);
    }
}

fn sequence(out: &mut String, a: &[Value], depth: usize) {
    for v in a {
        indent(out, depth);
        out.push('-');
        match v {
            Value::Object(m) if !m.is_empty() => {
                // The first key on the dash's line, the others below it.
                let mut inner = String::new();
                mapping(&mut inner, m, depth + 2);
                out.push(' ');
                out.push_str(&inner[depth + 2..]);
            }
            _ => child(out, v, depth),
        }
    }
}

/// What follows `key:` or `-`: a scalar on the same line, or a nested block.
fn child(out: &mut String, v: &Value, depth: usize) {
    match v {
        Value::Object(m) if !m.is_empty() => {
            out.push('\n');
            mapping(out, m, depth + 2);
        }
        Value::Array(a) if !a.is_empty() => {
            out.push('\n');
            sequence(out, a, depth + 2);
        }
        other => {
            out.push(' ');
            out.push_str(&scalar(other));
            out.push('\n');
        }
    }
}

fn scalar(v: &Value) -> String {
    match v {
        Value::Null => "null".into(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => n.to_string(),
        Value::String(s) => string(s),
        Value::Array(_) => "[]".into(),
        Value::Object(_) => "{}".into(),
    }
}

/// Words YAML (1.1 or 1.2) may read as something other than a string.
const RESERVED: &[&str] = &["true", "false", "null", "yes", "no", "on", "off", "y", "n", "~"];

/// A string, plain when that is unambiguous, else double-quoted.
fn string(s: &str) -> String {
    let plain = !s.is_empty()
        && s.chars().next().is_some_and(|c| c.is_ascii_alphabetic() || c == '_' || c == '/')
        && s.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.' | '/' | ' '))
        && !s.ends_with(' ')
        && !RESERVED.contains(&s.to_ascii_lowercase().as_str());
    if plain {
        s.to_string()
    } else {
        Value::String(s.to_string()).to_string()
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::to_string;

    #[test]
    fn what_is_written_reads_back_as_the_same_value() {
        let value = json!({
            "scenarios": [
                { "id": "get-case", "covers": ["X-001"], "steps": [
                    { "operation": "getCase", "path": { "id": "{{ id }}" }, "expect": { "status": [200, 201] } },
                    { "body": { "a": null, "b": true, "c": "yes", "d": "", "e": "12", "f": 1.5, "g": [], "h": {} } }
                ]},
                "plain text",
                [1, [2, 3]],
                { "k: v": "line\nbreak", "quote\"s": "#not a comment", " lead": "trail ", "é": "ö" }
            ]
        });
        let text = to_string(&value);
        assert_eq!(crate::source::yaml_to_value(&text).unwrap(), value, "{text}");
        assert!(text.contains("  - id: get-case\n    covers:\n      - X-001\n"), "{text}");
    }
}
