//! Values for requests: a parameter's or a body's example from the document when it is
//! valid, else a value `synth` generates from the schema. Nothing here is a second
//! generator: examples are read as the mock reads them, values come from `synth`.

use serde_json::Value;

use crate::catalogue::openapi::index::{MediaType, Parameter};
use crate::catalogue::openapi::{ApiDoc, Operation};
use crate::generate::params;
use crate::model::is_json_media;
use crate::synth::{self, Direction};

/// A stable seed for a name (FNV-1a): the same operation gets the same values on every run.
pub fn seed(name: &str) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in name.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h
}

/// A parameter's value as a step writes it (a string, number or boolean): the parameter's
/// own `example` or `examples` when valid, else one from its schema. `None` when no value
/// can be written (no schema, an object, a value that would read as a template).
pub fn parameter(api: &ApiDoc, op: &Operation, p: &Parameter) -> Option<Value> {
    let schema = p.schema.as_ref()?;
    let declared = api.resolve(p.at.0, &p.at.1).ok().map(|(_, _, v)| v);
    let mut candidates: Vec<Value> = Vec::new();
    if let Some(d) = declared {
        candidates.extend(d.get("example").cloned());
        for e in d.get("examples").and_then(Value::as_object).into_iter().flat_map(|m| m.values()) {
            candidates.extend(e.get("value").cloned());
        }
    }
    let seed = seed(&format!("{} {}", op.id, p.name));
    candidates.extend(synth::value(api, schema, Direction::Request, seed).ok());
    candidates.into_iter().find_map(|v| {
        let written = match v {
            Value::String(_) | Value::Number(_) | Value::Bool(_) => v,
            Value::Array(ref items) if items.iter().all(|i| !i.is_object() && !i.is_array()) => {
                Value::String(params::text(&v))
            }
            _ => return None,
        };
        let text = params::text(&written);
        (!text.is_empty() && !text.contains("{{") && params::valid_text(api, schema, &text)).then_some(written)
    })
}

/// Whether a value written as text is valid for the parameter.
pub fn fits(api: &ApiDoc, p: &Parameter, value: &Value) -> bool {
    p.schema.as_ref().is_some_and(|s| params::valid_text(api, s, &params::text(value)))
}

/// The JSON media type a request body is sent as, when the operation takes one.
pub fn json_media(content: &[MediaType]) -> Option<&MediaType> {
    content.iter().find(|m| is_json_media(&m.media_type))
}

/// A body for a request: the document's first valid example, else a generated value.
pub fn body(api: &ApiDoc, op: &Operation, media: &MediaType) -> Option<Value> {
    let value = match crate::mock::generate::valid_examples(api, media).into_iter().next() {
        Some(example) => example,
        None => synth::value(api, media.schema.as_ref()?, Direction::Request, seed(&op.id)).ok()?,
    };
    // A `null` body reads as none at all (`konform check` would say a required body is missing).
    (!value.is_null() && !has_template(&value)).then_some(value)
}

/// A body the operation's schema refuses: an empty object, an empty list, or a text.
pub fn invalid_body(api: &ApiDoc, media: &MediaType) -> Option<Value> {
    let schema = media.schema.as_ref()?;
    [Value::Object(Default::default()), Value::Array(Vec::new()), Value::String("not a valid body".into())]
        .into_iter()
        .find(|v| api.schemas.validate(schema, v).is_ok_and(|violations| !violations.is_empty()))
}

/// Whether some string in the value would be read as a `{{ template }}`.
fn has_template(value: &Value) -> bool {
    match value {
        Value::String(s) => s.contains("{{"),
        Value::Array(items) => items.iter().any(has_template),
        Value::Object(m) => m.iter().any(|(k, v)| k.contains("{{") || has_template(v)),
        _ => false,
    }
}
