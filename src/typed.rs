//! Typed loading of small YAML files (metadata, requirements, suites) whose deserialisation
//! errors point at the line and column of the offending key or value.

use std::path::Path;
use std::sync::Arc;

use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::diag::Diag;
use crate::source::{escape_pointer, SourceFile};

/// Reads and parses a file into `T`.
pub fn load<T: DeserializeOwned>(path: &Path) -> Result<(Arc<SourceFile>, T), Diag> {
    let file = SourceFile::read(path).map_err(|m| Diag::error("file::read", m))?;
    let value = parse(&file)?;
    let typed = from_value(&file, value)?;
    Ok((file, typed))
}

/// Parses a file into a JSON value, or a diagnostic at the syntax error.
pub fn parse(file: &Arc<SourceFile>) -> Result<Value, Diag> {
    file.parse().map_err(|e| Diag::error("file::syntax", format!("{}: {}", file.name, e.message)).at(file, e.span))
}

/// As [`parse`], with where every node is written, from one pass over the file.
pub fn parse_located(file: &Arc<SourceFile>) -> Result<(Value, crate::source::Locations), Diag> {
    file.parse_located()
        .map_err(|e| Diag::error("file::syntax", format!("{}: {}", file.name, e.message)).at(file, e.span))
}

/// Deserialises a value read from `file`, mapping an error to the place it concerns.
pub fn from_value<T: DeserializeOwned>(file: &Arc<SourceFile>, value: Value) -> Result<T, Diag> {
    serde_path_to_error::deserialize(value).map_err(|err| {
        let pointer = path_to_pointer(err.path());
        let inner = err.inner().to_string();
        let locations = file.locate_all();
        let unknown_field = inner.starts_with("unknown field");
        let span = if unknown_field { locations.key(&pointer) } else { locations.value(&pointer) };
        let shown = if pointer.is_empty() {
            String::from("the top level")
        } else {
            format!("`{}`", pointer_to_dotted(&pointer))
        };
        Diag::error("file::schema", format!("{}: {inner} (at {shown})", file.name))
            .at(file, span)
            .label(short_label(&inner))
            .with_help(closest_expected(&inner))
    })
}

/// For serde's "unknown field/variant `x`, expected one of `a`, `b`": the closest of the
/// expected names, as a "did you mean" hint.
fn closest_expected(inner: &str) -> Option<String> {
    let (given, expected) = inner.split_once(", expected")?;
    let given = given.split('`').nth(1)?;
    let names: Vec<&str> = expected.split('`').skip(1).step_by(2).collect();
    crate::diag::did_you_mean(given, names)
}

fn short_label(inner: &str) -> String {
    inner.split(", expected").next().unwrap_or(inner).to_string()
}

fn path_to_pointer(path: &serde_path_to_error::Path) -> String {
    use serde_path_to_error::Segment;
    let mut out = String::new();
    for seg in path.iter() {
        match seg {
            Segment::Seq { index } => {
                out.push('/');
                out.push_str(&index.to_string());
            }
            Segment::Map { key } | Segment::Enum { variant: key } => {
                out.push('/');
                out.push_str(&escape_pointer(key));
            }
            Segment::Unknown => {}
        }
    }
    out
}

/// `/scenarios/0/steps/1/expect` as `scenarios[0].steps[1].expect` for messages.
pub fn pointer_to_dotted(pointer: &str) -> String {
    let mut out = String::new();
    for seg in pointer.split('/').skip(1) {
        let seg = crate::source::unescape_pointer(seg);
        if seg.parse::<usize>().is_ok() {
            out.push_str(&format!("[{seg}]"));
        } else {
            if !out.is_empty() {
                out.push('.');
            }
            out.push_str(&seg);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Meta {
        checks: Vec<Kind>,
    }

    #[derive(Debug, serde::Deserialize)]
    #[serde(rename_all = "kebab-case")]
    enum Kind {
        NegativeData,
        Auth,
    }

    fn error(text: &str) -> Diag {
        let file = Arc::new(SourceFile::from_text(Path::new("spec.yaml"), text.into()));
        let value = parse(&file).unwrap();
        from_value::<Meta>(&file, value).unwrap_err()
    }

    #[test]
    fn a_misspelt_name_gets_the_closest_expected_one_as_a_hint() {
        let d = error("checks: [negative-dta]\n");
        assert!(d.message.contains("unknown variant `negative-dta`"), "{}", d.message);
        assert_eq!(d.help.as_deref(), Some("did you mean `negative-data`?"));
        assert_eq!(error("chekcs: []\n").help.as_deref(), Some("did you mean `checks`?"));
        // Nothing close: no hint, only serde's list.
        assert_eq!(error("checks: [everything-else]\n").help, None);
    }
}
