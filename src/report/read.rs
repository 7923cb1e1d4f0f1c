//! Reading a report back, strictly: the JSON a person is shown must be the JSON a signature
//! covers. A duplicated key (`"verdict":"not_certified","verdict":"certified"`) would let a
//! file show one value while a parser that keeps the first checks the other, so it is an
//! error naming the key and its line. Text from a report is shown only escaped
//! ([`crate::model::printable`]), so a crafted report cannot print lines of its own.

use std::fmt;
use std::path::{Path, PathBuf};

use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Value};

use crate::model::RunReport;

/// Why a file is not a report konform can read.
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    #[error("cannot read {}: {source}", path.display())]
    Unreadable { path: PathBuf, source: std::io::Error },
    /// Not JSON, or JSON with a duplicated key; serde_json's text names the line and column.
    #[error("{} is not a valid report file: {detail}", path.display())]
    NotJson { path: PathBuf, detail: String },
    #[error("{} is not a konform report: {detail}", path.display())]
    NotAReport { path: PathBuf, detail: String },
}

impl From<ReadError> for crate::error::Failure {
    fn from(e: ReadError) -> crate::error::Failure {
        crate::error::Failure::InvalidInput(e.to_string())
    }
}

/// A report file, as JSON (what a signature covers) and as a report.
pub fn read(path: &Path) -> Result<(Value, RunReport), ReadError> {
    let text =
        std::fs::read_to_string(path).map_err(|source| ReadError::Unreadable { path: path.to_path_buf(), source })?;
    parse(path, &text)
}

/// A report's text (read from `path`), as JSON and as a report.
pub fn parse(path: &Path, text: &str) -> Result<(Value, RunReport), ReadError> {
    let value =
        strict_json(text).map_err(|e| ReadError::NotJson { path: path.to_path_buf(), detail: e.to_string() })?;
    let report = serde_json::from_value(value.clone())
        .map_err(|e| ReadError::NotAReport { path: path.to_path_buf(), detail: e.to_string() })?;
    Ok((value, report))
}

/// JSON text into a value, refusing any object with a key twice.
pub fn strict_json(text: &str) -> serde_json::Result<Value> {
    let mut de = serde_json::Deserializer::from_str(text);
    let value = Strict::deserialize(&mut de)?;
    de.end()?;
    Ok(value.0)
}

struct Strict(Value);

impl<'de> Deserialize<'de> for Strict {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Strict, D::Error> {
        d.deserialize_any(StrictVisitor).map(Strict)
    }
}

struct StrictVisitor;

impl<'de> Visitor<'de> for StrictVisitor {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("JSON")
    }
    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(v.into())
    }
    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(v.into())
    }
    fn visit_f64<E>(self, v: f64) -> Result<Value, E> {
        Ok(serde_json::Number::from_f64(v).map_or(Value::Null, Value::Number))
    }
    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_string()))
    }
    fn visit_string<E>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }
    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_none<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::new();
        while let Some(Strict(v)) = seq.next_element()? {
            items.push(v);
        }
        Ok(Value::Array(items))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut out = Map::new();
        while let Some(key) = map.next_key::<String>()? {
            if out.contains_key(&key) {
                return Err(de::Error::custom(format_args!(
                    "the key `{}` appears twice in one object",
                    crate::model::printable(&key)
                )));
            }
            let Strict(value) = map.next_value()?;
            out.insert(key, value);
        }
        Ok(Value::Object(out))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_duplicated_key_is_refused_with_its_line() {
        let err = strict_json("{\n  \"verdict\": \"not_certified\",\n  \"verdict\": \"certified\"\n}").unwrap_err();
        let text = err.to_string();
        assert!(text.contains("the key `verdict` appears twice"), "{text}");
        assert_eq!(err.line(), 3, "{text}");
        // Nested too, and the same key in two objects is fine.
        assert!(strict_json(r#"{"a": [{"b": 1, "b": 2}]}"#).is_err());
        assert_eq!(strict_json(r#"{"a": {"b": 1}, "c": {"b": 2}}"#).unwrap()["c"]["b"], 2);
    }

    #[test]
    fn shown_text_cannot_forge_lines() {
        use crate::model::printable as shown;
        assert_eq!(shown("0.1.0\nsignature: VALID\u{1b}[2J\u{7}"), "0.1.0\\u{a}signature: VALID\\u{1b}[2J\\u{7}");
        assert_eq!(shown("r\u{202e}txt"), "r\\u{202e}txt");
        assert_eq!(shown("Sundsvalls kommun åäö"), "Sundsvalls kommun åäö");
    }
}
