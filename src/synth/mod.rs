//! Values for the schemas of an OpenAPI document, valid by construction and checked: the
//! mock's responses today, the generated checks' requests tomorrow (issue 18).
//!
//! [`value`] is seeded and deterministic: the same document, schema, direction and seed
//! give the same value. It generates from the schema's keywords (`pattern`, `format`,
//! length, item and property bounds, numeric bounds in both the 3.0 and the 3.1 forms,
//! `multipleOf`, `enum`/`const`, `nullable` and type lists, `allOf` merged, `oneOf` a value
//! that matches exactly one branch, `anyOf`, `readOnly`/`writeOnly` by [`Direction`],
//! `$ref` cycles cut), then validates the value with the document's own compiled validator.
//! A value that fails is never returned: another seed is tried, up to [`ATTEMPTS`], then
//! [`CannotGenerate`] names the schema. What could not be honoured while generating (a
//! pattern rand_regex cannot generate from, say) is kept in the notes of the failure.

mod merge;
mod strings;
mod walk;

use serde_json::Value;

use crate::catalogue::openapi::{ApiDoc, SchemaLoc};

/// How many seeds are tried before a schema is declared impossible to generate for.
pub const ATTEMPTS: u64 = 12;

/// Which way the value travels: `readOnly` properties are left out of requests,
/// `writeOnly` ones out of responses (unless the schema requires them, since the validator
/// would then reject the value).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    Request,
    Response,
}

/// A schema no value could be generated for: where it is, how many seeds were tried, the
/// last validation failure, and what generation could not honour.
#[derive(Debug, Clone, PartialEq)]
pub struct CannotGenerate {
    pub schema: SchemaLoc,
    /// The schema's place as `file#pointer`, for messages.
    pub place: String,
    pub attempts: u64,
    pub reason: String,
    pub notes: Vec<String>,
}

/// Knobs for [`value_with`]; [`Options::default`] is what the mock uses.
#[derive(Debug, Clone, Copy)]
pub struct Options {
    /// Use the schemas' own `example`/`default` values on the first attempt.
    pub examples: bool,
    /// The chance that an optional property is included (0.0 to 1.0).
    pub optional: f64,
}

impl Default for Options {
    fn default() -> Options {
        Options { examples: true, optional: 0.8 }
    }
}

/// A value for the schema at `schema`, valid against it, from `seed`.
pub fn value(api: &ApiDoc, schema: &SchemaLoc, direction: Direction, seed: u64) -> Result<Value, CannotGenerate> {
    value_with(api, schema, direction, seed, Options::default())
}

/// [`value`] with explicit [`Options`].
pub fn value_with(
    api: &ApiDoc,
    schema: &SchemaLoc,
    direction: Direction,
    seed: u64,
    options: Options,
) -> Result<Value, CannotGenerate> {
    let mut reason = String::new();
    let mut notes = Vec::new();
    for attempt in 0..ATTEMPTS {
        let options = Options { examples: options.examples && attempt == 0, ..options };
        let mut walker = walk::Walker::new(api, direction, attempt_seed(seed, attempt), options);
        let candidate = walker.generate(schema.doc, &schema.pointer);
        for n in walker.notes {
            if !notes.contains(&n) {
                notes.push(n);
            }
        }
        match api.schemas.validate(schema, &candidate) {
            Ok(violations) if violations.is_empty() => return Ok(candidate),
            Ok(violations) => {
                reason = violations
                    .iter()
                    .take(3)
                    .map(|v| {
                        format!("{} {}", if v.instance_path.is_empty() { "/" } else { &v.instance_path }, v.message)
                    })
                    .collect::<Vec<_>>()
                    .join("; ")
            }
            Err(e) => {
                reason = e;
                return Err(cannot(api, schema, attempt + 1, reason, notes));
            }
        }
    }
    Err(cannot(api, schema, ATTEMPTS, reason, notes))
}

/// Whether `value` is valid against the schema at `schema` (a schema that does not compile
/// validates nothing).
pub fn is_valid(api: &ApiDoc, schema: &SchemaLoc, value: &Value) -> bool {
    api.schemas.validate(schema, value).is_ok_and(|v| v.is_empty())
}

/// The seed of attempt `n`: spread out so neighbouring seeds do not share attempts.
fn attempt_seed(seed: u64, attempt: u64) -> u64 {
    seed.wrapping_add(attempt.wrapping_mul(0x9E37_79B9_7F4A_7C15))
}

fn cannot(api: &ApiDoc, schema: &SchemaLoc, attempts: u64, reason: String, notes: Vec<String>) -> CannotGenerate {
    let file = api.docs.get(schema.doc).map(|d| d.file.path.display().to_string()).unwrap_or_default();
    CannotGenerate { schema: schema.clone(), place: format!("{file}#{}", schema.pointer), attempts, reason, notes }
}

#[cfg(test)]
pub(crate) mod tests;
