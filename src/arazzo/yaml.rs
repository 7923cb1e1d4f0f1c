//! A JSON value written as block-style YAML, for the Arazzo documents and suites konform
//! writes. Strings that could be read as anything but themselves (numbers, booleans, null,
//! YAML indicators, `: `, `#`) are written as JSON strings, which YAML reads as its
//! double-quoted scalars; everything else is plain. Reading the text back gives the value.

use serde_json::Value;

/// The value as YAML, ending with a line end.
pub fn to_yaml(value: &Value) -> String {
    let mut out = String::new();
    match value {
        Value::Object(map) if !map.is_empty() => mapping(map, 0, &mut out),
        Value::Array(items) if !items.is_empty() => sequence(items, 0, &mut out),
        other => {
            out.push_str(&scalar(other));
            out.push('\n');
        }
    }
    out
}

fn mapping(map: &serde_json::Map<String, Value>, indent: usize, out: &mut String) {
    for (key, value) in map {
        out.push_str(&" ".repeat(indent));
        out.push_str(&string(key));
        out.push(':');
        nested(value, indent + 2, out);
    }
}

fn sequence(items: &[Value], indent: usize, out: &mut String) {
    for item in items {
        out.push_str(&" ".repeat(indent));
        out.push('-');
        match item {
            // `- key: value` with the mapping's other keys under the first.
            Value::Object(map) if !map.is_empty() => {
                let mut first = true;
                for (key, value) in map {
                    if first {
                        out.push(' ');
                        first = false;
                    } else {
                        out.push_str(&" ".repeat(indent + 2));
                    }
                    out.push_str(&string(key));
                    out.push(':');
                    nested(value, indent + 4, out);
                }
            }
            other => nested(other, indent + 2, out),
        }
    }
}

/// What follows `key:` or `-`: a scalar on the same line, or a block on the next lines.
fn nested(value: &Value, indent: usize, out: &mut String) {
    match value {
        Value::Object(map) if !map.is_empty() => {
            out.push('\n');
            mapping(map, indent, out);
        }
        Value::Array(items) if items.iter().all(is_flow_item) => {
            let items: Vec<String> = items.iter().map(scalar).collect();
            out.push_str(&format!(" [{}]\n", items.join(", ")));
        }
        Value::Array(items) => {
            out.push('\n');
            sequence(items, indent, out);
        }
        other => {
            out.push(' ');
            out.push_str(&scalar(other));
            out.push('\n');
        }
    }
}

/// A list item written in a flow list (`[200, 409]`, `[CASE-001, CASE-002]`): a number, a
/// boolean, or a plain string without a comma.
fn is_flow_item(value: &Value) -> bool {
    match value {
        Value::Number(_) | Value::Bool(_) => true,
        Value::String(s) => is_plain(s) && !s.contains(','),
        _ => false,
    }
}

fn scalar(value: &Value) -> String {
    match value {
        Value::String(s) => string(s),
        Value::Object(_) => "{}".into(),
        Value::Array(_) => "[]".into(),
        other => other.to_string(),
    }
}

/// A string plain when YAML reads it back as the same string, else JSON-quoted.
fn string(s: &str) -> String {
    if is_plain(s) {
        s.to_string()
    } else {
        Value::String(s.to_string()).to_string()
    }
}

fn is_plain(s: &str) -> bool {
    const RESERVED: [&str; 13] =
        ["true", "false", "null", "yes", "no", "on", "off", "y", "n", "~", "nan", "inf", "infinity"];
    let Some(first) = s.chars().next() else { return false };
    let allowed = |c: char| c.is_alphanumeric() || " _-./()$+,@".contains(c);
    (first.is_alphabetic() || first == '$' || first == '_' || first == '/')
        && s.chars().all(allowed)
        && !s.ends_with(' ')
        && !RESERVED.contains(&s.trim_start_matches(['.', '-', '+']).to_ascii_lowercase().as_str())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn what_is_written_reads_back_as_the_same_value() {
        let value = json!({
            "arazzo": "1.0.1",
            "plain": "submit a building-permit case",
            "tricky": ["yes", "No", "2281", "1.0", "", " lead", "trail ", "a: b", "# c", "- d", "{{ caseId }}",
                       "x #y", "it's", "line\nbreak", "SUNDSVALL NORRMALM 3:12", "$.id", "ü", "-", "@at", "null", "~"],
            "numbers": [1, -2.5, 0, 1e30],
            "flags": [true, false, null],
            "flow": [200, "4XX", "CASE-001", true],
            "commas": ["a,b", "c"],
            "empty": {"map": {}, "list": []},
            "nested": [{"a": 1, "b": [{"c": "d", "e": {"f": "g"}}, [1, [2]]]}, "s"],
            "$.items[*].id": {"exists": true},
        });
        let text = to_yaml(&value);
        assert_eq!(crate::source::yaml_to_value(&text).unwrap(), value, "{text}");
        assert!(text.contains("plain: submit a building-permit case\n"), "{text}");
    }
}
