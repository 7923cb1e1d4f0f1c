//! One attempt at a value: a walk down the schema with a seeded generator.

use rand::rngs::StdRng;
use rand::{RngExt, SeedableRng};
use serde_json::{json, Map, Number, Value};

use super::{merge, strings, Direction, Options};
use crate::catalogue::openapi::{ApiDoc, OasVersion, SchemaLoc};

/// Past this depth only what the schema requires is generated (cuts `$ref` cycles).
const SHALLOW: usize = 5;
/// Past this depth nothing is generated at all.
const DEEPEST: usize = 40;
/// How many branches of a `oneOf` are tried for a value matching exactly one.
const ONE_OF_TRIES: usize = 8;

pub struct Walker<'a> {
    api: &'a ApiDoc,
    direction: Direction,
    rng: StdRng,
    options: Options,
    /// Set when a schema allows no value at all (enums that share none once merged): an
    /// optional property with such a schema is left out.
    impossible: bool,
    /// Unbounded numbers range over negatives too: set while retrying a `oneOf` whose
    /// branches overlap on the usual, non-negative values.
    wide: bool,
    pub notes: Vec<String>,
}

/// A schema as the walker sees it: its keywords, and where it is written (for validating a
/// `oneOf` branch), `None` once merged from several places.
struct At<'s> {
    doc: usize,
    pointer: Option<String>,
    map: std::borrow::Cow<'s, Map<String, Value>>,
}

impl<'a> Walker<'a> {
    pub fn new(api: &'a ApiDoc, direction: Direction, seed: u64, options: Options) -> Walker<'a> {
        Walker {
            api,
            direction,
            rng: StdRng::seed_from_u64(seed),
            options,
            impossible: false,
            wide: false,
            notes: Vec::new(),
        }
    }

    pub fn generate(&mut self, doc: usize, pointer: &str) -> Value {
        match self.api.resolve(doc, pointer) {
            Ok((d, p, v)) => self.schema(d, Some(p), v, 0),
            Err(e) => {
                self.notes.push(e);
                Value::Null
            }
        }
    }

    fn schema(&mut self, doc: usize, pointer: Option<String>, schema: &Value, depth: usize) -> Value {
        if depth > DEEPEST {
            return Value::Null;
        }
        let map = match schema {
            Value::Object(m) => m,
            Value::Bool(true) => return json!("konform"),
            _ => return Value::Null,
        };
        let Some(at) = self.flatten(doc, pointer, map, depth) else { return Value::Null };
        self.flat(at, depth)
    }

    /// Follows `$ref`s and merges `allOf` (and a `$ref`'s sibling keywords) into one map.
    fn flatten<'s>(
        &mut self,
        doc: usize,
        pointer: Option<String>,
        map: &'s Map<String, Value>,
        depth: usize,
    ) -> Option<At<'s>>
    where
        'a: 's,
    {
        if let Some(r) = map.get("$ref").and_then(Value::as_str) {
            let (d, p) = self.api.resolver().target(doc, r).ok()?;
            let (d, p, target) = self.api.resolve(d, &p).ok()?;
            let target = target.as_object()?;
            let siblings: Map<String, Value> = map
                .iter()
                // 3.0 ignores a `$ref`'s siblings; 3.1 applies them too.
                .filter(|(k, _)| self.api.version == OasVersion::V31 && !is_annotation(k) && *k != "$ref")
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect();
            let at = self.flatten(d, Some(p), target, depth + 1)?;
            if siblings.is_empty() {
                return Some(at);
            }
            let merged = merge::merge(at.map.into_owned(), &siblings);
            return Some(At {
                doc,
                pointer: None,
                map: std::borrow::Cow::Owned(self.expand_all_of(doc, merged, depth)),
            });
        }
        if map.contains_key("allOf") {
            let merged = self.expand_all_of(doc, map.clone(), depth);
            return Some(At { doc, pointer: None, map: std::borrow::Cow::Owned(merged) });
        }
        Some(At { doc, pointer, map: std::borrow::Cow::Borrowed(map) })
    }

    fn expand_all_of(&mut self, doc: usize, mut map: Map<String, Value>, depth: usize) -> Map<String, Value> {
        let Some(Value::Array(branches)) = map.remove("allOf") else { return map };
        for branch in &branches {
            let Some(b) = branch.as_object() else { continue };
            if depth > DEEPEST {
                break;
            }
            if let Some(at) = self.flatten(doc, None, b, depth + 1) {
                map = merge::merge(map, &at.map);
            }
        }
        map
    }

    fn flat(&mut self, at: At<'_>, depth: usize) -> Value {
        let map = &*at.map;
        if self.options.examples {
            let example = map.get("example").or_else(|| map.get("examples").and_then(|e| e.get(0)));
            if let Some(e) = example.or_else(|| map.get("default")) {
                return e.clone();
            }
        }
        if let Some(c) = map.get("const") {
            return c.clone();
        }
        if map.get("enum").and_then(Value::as_array).is_some_and(Vec::is_empty) {
            self.impossible = true;
            return Value::Null;
        }
        if let Some(Value::Array(values)) = map.get("enum") {
            let usable: Vec<&Value> = values.iter().filter(|v| !v.is_null()).collect();
            let pool = if usable.is_empty() { values.iter().collect() } else { usable };
            if !pool.is_empty() {
                return pool[self.rng.random_range(0..pool.len())].clone();
            }
        }
        if let Some(Value::Array(branches)) = map.get("oneOf") {
            return self.one_of(&at, branches, depth);
        }
        if depth >= SHALLOW && self.nullable(map) {
            return Value::Null; // the cheapest way out of a deep or cyclic structure
        }
        if let Some(Value::Array(branches)) = map.get("anyOf") {
            if !branches.is_empty() {
                let i = match self.scalar_branch(at.doc, branches) {
                    Some(i) if depth >= SHALLOW => i,
                    _ => self.rng.random_range(0..branches.len()),
                };
                return self.branch(&at, "anyOf", i, &branches[i], depth);
            }
        }
        match self.pick_type(map) {
            "null" => Value::Null,
            "boolean" => json!(self.rng.random_bool(0.5)),
            "integer" => number(&mut self.rng, map, true, self.wide),
            "number" => number(&mut self.rng, map, false, self.wide),
            "string" => json!(strings::string(&mut self.rng, map, &mut self.notes)),
            "array" => self.array(&at, depth),
            _ => self.object(&at, depth),
        }
    }

    /// A branch of `oneOf`/`anyOf` with the keywords beside it (`{type: object, oneOf: …}`).
    fn branch(&mut self, at: &At<'_>, key: &str, i: usize, branch: &Value, depth: usize) -> Value {
        let mut rest = at.map.clone().into_owned();
        rest.remove("oneOf");
        rest.remove("anyOf");
        rest.retain(|k, _| !is_annotation(k));
        if !rest.contains_key("type") {
            rest.remove("nullable"); // without a `type` beside it, 3.0's `nullable` means nothing
        }
        let Some(b) = branch.as_object() else { return self.schema(at.doc, None, branch, depth + 1) };
        let pointer = at.pointer.as_ref().map(|p| format!("{p}/{key}/{i}"));
        let Some(flat) = self.flatten(at.doc, pointer, b, depth + 1) else { return Value::Null };
        if rest.is_empty() {
            return self.flat(flat, depth + 1);
        }
        let merged = merge::merge(flat.map.into_owned(), &rest);
        self.flat(At { doc: at.doc, pointer: None, map: std::borrow::Cow::Owned(merged) }, depth + 1)
    }

    /// A value matching exactly one branch: branches in a seeded order, each value checked
    /// against every branch (where the branches are written in the document).
    fn one_of(&mut self, at: &At<'_>, branches: &[Value], depth: usize) -> Value {
        let mut order: Vec<usize> = (0..branches.len()).collect();
        for i in (1..order.len()).rev() {
            order.swap(i, self.rng.random_range(0..=i));
        }
        if let Some(scalar) = self.scalar_branch(at.doc, branches).filter(|_| depth >= SHALLOW) {
            order.retain(|i| *i != scalar);
            order.insert(0, scalar);
        }
        let mut last = Value::Null;
        let wide = self.wide;
        let optional = self.options.optional;
        for (n, &i) in order.iter().cycle().take(ONE_OF_TRIES.max(order.len())).enumerate() {
            // Retries reach further: negative numbers, and every optional property (where
            // branches that overlap usually differ).
            self.wide = wide || n >= order.len();
            if n >= order.len() {
                self.options.optional = 1.0;
            }
            last = self.branch(at, "oneOf", i, &branches[i], depth);
            self.wide = wide;
            self.options.optional = optional;
            let Some(pointer) = &at.pointer else { return last };
            let matching = self.matching(at.doc, pointer, branches.len(), &last);
            if matching.len() == 1 {
                return last;
            }
            if let Some(v) = self.set_apart(at.doc, pointer, (i, branches.len()), &matching, &last, depth) {
                return v;
            }
        }
        last
    }

    /// The `oneOf` branches (by index) a value is valid against.
    fn matching(&self, doc: usize, pointer: &str, count: usize, value: &Value) -> Vec<usize> {
        (0..count)
            .filter(|j| super::is_valid(self.api, &SchemaLoc { doc, pointer: format!("{pointer}/oneOf/{j}") }, value))
            .collect()
    }

    /// Branch `i`'s object value made invalid for the other branches it also matches: a
    /// property another branch declares and branch `i` does not gets a value of a type the
    /// other branch refuses (`{violations: "…"}` sets a `Problem` apart from a
    /// `ConstraintViolationProblem` that declares `violations` as an array).
    fn set_apart(
        &mut self,
        doc: usize,
        pointer: &str,
        (i, count): (usize, usize),
        matching: &[usize],
        value: &Value,
        depth: usize,
    ) -> Option<Value> {
        let mut value = value.as_object()?.clone();
        let mine = self.branch_map(doc, &format!("{pointer}/oneOf/{i}"), depth)?;
        if mine.get("additionalProperties") == Some(&Value::Bool(false)) {
            return None;
        }
        let declared = |m: &Map<String, Value>, k: &str| m.get("properties").and_then(|p| p.get(k)).is_some();
        for &j in matching.iter().filter(|j| **j != i) {
            let other = self.branch_map(doc, &format!("{pointer}/oneOf/{j}"), depth)?;
            let props = other.get("properties").and_then(Value::as_object)?;
            let (name, schema) = props.iter().find(|(k, _)| !declared(&mine, k) && !value.contains_key(*k))?;
            let refused = match schema.get("type").and_then(Value::as_str) {
                Some("string") => json!(0),
                _ => json!("konform"),
            };
            value.insert(name.clone(), refused);
        }
        let value = Value::Object(value);
        (self.matching(doc, pointer, count, &value) == [i]).then_some(value)
    }

    /// A branch's keywords, its `$ref`s followed and `allOf` merged.
    fn branch_map(&mut self, doc: usize, pointer: &str, depth: usize) -> Option<Map<String, Value>> {
        let (d, p, v) = self.api.resolve(doc, pointer).ok()?;
        let map = v.as_object()?;
        self.flatten(d, Some(p), map, depth + 1).map(|at| at.map.into_owned())
    }

    /// Whether null is allowed by `type`: a list with `"null"`, or (3.0) `nullable: true`
    /// beside a `type`, which is all OpenAPI 3.0.3 (and konform's validator) lets it mean.
    fn nullable(&self, map: &Map<String, Value>) -> bool {
        let v30 = self.api.version == OasVersion::V30;
        v30 && map.get("nullable") == Some(&Value::Bool(true)) && map.get("type").is_some_and(Value::is_string)
            || map.get("type").and_then(Value::as_array).is_some_and(|t| t.iter().any(|t| t == "null"))
    }

    /// The first branch that is not an object or an array (after its `$ref`), to end a deep
    /// structure.
    fn scalar_branch(&self, doc: usize, branches: &[Value]) -> Option<usize> {
        branches.iter().position(|b| {
            let b = match b.get("$ref").and_then(Value::as_str) {
                Some(r) => self.api.resolve_ref(doc, r).map(|(_, v)| v),
                None => Some(b),
            };
            b.and_then(|b| b.get("type")).and_then(Value::as_str).is_some_and(|t| t != "object" && t != "array")
        })
    }

    fn pick_type(&mut self, map: &Map<String, Value>) -> &'static str {
        const TYPES: [&str; 7] = ["object", "array", "string", "integer", "number", "boolean", "null"];
        let nullable = self.nullable(map);
        let mut listed: Vec<&'static str> = match map.get("type") {
            Some(Value::String(t)) => TYPES.iter().copied().filter(|x| x == t).collect(),
            Some(Value::Array(ts)) => TYPES.iter().copied().filter(|x| ts.iter().any(|t| t == x)).collect(),
            _ => vec![inferred(map)],
        };
        if nullable && !listed.contains(&"null") {
            listed.push("null");
        }
        let non_null: Vec<&'static str> = listed.iter().copied().filter(|t| *t != "null").collect();
        if non_null.is_empty() {
            return "null";
        }
        if listed.len() > non_null.len() && self.rng.random_ratio(1, 8) {
            return "null";
        }
        non_null[self.rng.random_range(0..non_null.len())]
    }

    fn array(&mut self, at: &At<'_>, depth: usize) -> Value {
        let map = &*at.map;
        let min = map.get("minItems").and_then(Value::as_u64).unwrap_or(0) as usize;
        let max = map.get("maxItems").and_then(Value::as_u64).map(|m| m as usize).unwrap_or(min + 3);
        let lo = if depth < SHALLOW && max >= 1 { min.max(1) } else { min };
        let hi = if depth < SHALLOW { max.min(lo + 2).max(lo) } else { lo };
        let count = self.rng.random_range(lo..=hi);
        let unique = map.get("uniqueItems") == Some(&Value::Bool(true));
        let prefix = map.get("prefixItems").and_then(Value::as_array).cloned().unwrap_or_default();
        let items = map.get("items").cloned();
        let pointer = at.pointer.clone();
        let mut out: Vec<Value> = Vec::with_capacity(count);
        let mut tries = 0;
        while out.len() < count && tries < count * 4 + 4 {
            tries += 1;
            let i = out.len();
            let (schema, ptr) = match prefix.get(i) {
                Some(p) => (p.clone(), pointer.as_ref().map(|x| format!("{x}/prefixItems/{i}"))),
                None => (items.clone().unwrap_or(json!({})), pointer.as_ref().map(|x| format!("{x}/items"))),
            };
            let outer = std::mem::replace(&mut self.impossible, false);
            let item = self.schema(at.doc, ptr, &schema, depth + 1);
            if self.impossible {
                // No item can be valid: as few as allowed (none, unless minItems says so).
                self.impossible = outer || out.len() < min;
                break;
            }
            self.impossible = outer;
            if unique && out.contains(&item) {
                continue;
            }
            out.push(item);
        }
        Value::Array(out)
    }

    fn object(&mut self, at: &At<'_>, depth: usize) -> Value {
        let map = &*at.map;
        let required: Vec<&str> =
            map.get("required").and_then(Value::as_array).into_iter().flatten().filter_map(Value::as_str).collect();
        let props = map.get("properties").and_then(Value::as_object).cloned().unwrap_or_default();
        let min = map.get("minProperties").and_then(Value::as_u64).unwrap_or(0) as usize;
        let max = map.get("maxProperties").and_then(Value::as_u64).map(|m| m as usize).unwrap_or(usize::MAX);
        let additional = map.get("additionalProperties").cloned();
        let mut out = Map::new();
        for name in &required {
            let value = match props.get(*name) {
                Some(p) => self.property(at, name, p, depth),
                None => self.additional(at, additional.as_ref(), depth),
            };
            out.insert(name.to_string(), value);
        }
        for (name, p) in &props {
            if out.contains_key(name) || out.len() >= max {
                continue;
            }
            let wanted = out.len() < min
                || depth < SHALLOW && self.rng.random_bool(self.options.optional) && !self.hidden(at.doc, p);
            if wanted {
                let outer = std::mem::replace(&mut self.impossible, false);
                let value = self.property(at, name, p, depth);
                if !self.impossible {
                    out.insert(name.clone(), value);
                }
                self.impossible = outer;
            }
        }
        let open = additional.as_ref() != Some(&Value::Bool(false));
        let mut n = 0;
        let extra = props.is_empty() && open && additional.as_ref().is_some_and(Value::is_object) && depth < SHALLOW;
        while open && out.len() < max && (out.len() < min || extra && n < 2) && n < 64 {
            n += 1;
            let value = self.additional(at, additional.as_ref(), depth);
            out.insert(format!("key{n}"), value);
        }
        Value::Object(out)
    }

    fn property(&mut self, at: &At<'_>, name: &str, schema: &Value, depth: usize) -> Value {
        let pointer = at.pointer.as_ref().map(|p| format!("{p}/properties/{}", crate::source::escape_pointer(name)));
        self.schema(at.doc, pointer, schema, depth + 1)
    }

    fn additional(&mut self, at: &At<'_>, schema: Option<&Value>, depth: usize) -> Value {
        match schema {
            Some(s @ Value::Object(_)) => {
                let pointer = at.pointer.as_ref().map(|p| format!("{p}/additionalProperties"));
                self.schema(at.doc, pointer, s, depth + 1)
            }
            _ => json!("konform"),
        }
    }

    /// Whether an optional property is one the direction leaves out (`readOnly` in a
    /// request, `writeOnly` in a response).
    fn hidden(&self, doc: usize, schema: &Value) -> bool {
        let key = match self.direction {
            Direction::Request => "readOnly",
            Direction::Response => "writeOnly",
        };
        if schema.get(key) == Some(&Value::Bool(true)) {
            return true;
        }
        let target = schema.get("$ref").and_then(Value::as_str).and_then(|r| self.api.resolve_ref(doc, r));
        target.is_some_and(|(_, v)| v.get(key) == Some(&Value::Bool(true)))
    }
}

fn is_annotation(key: &str) -> bool {
    matches!(key, "description" | "title" | "summary" | "example" | "examples" | "deprecated" | "externalDocs" | "xml")
        || key.starts_with("x-")
}

/// The type a schema without `type` is about, from its other keywords.
fn inferred(map: &Map<String, Value>) -> &'static str {
    let has = |keys: &[&str]| keys.iter().any(|k| map.contains_key(*k));
    if has(&["properties", "required", "additionalProperties", "minProperties", "maxProperties", "patternProperties"]) {
        "object"
    } else if has(&["items", "prefixItems", "minItems", "maxItems", "uniqueItems"]) {
        "array"
    } else if has(&["pattern", "format", "minLength", "maxLength"]) {
        "string"
    } else if has(&["minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf"]) {
        "number"
    } else {
        "object"
    }
}

/// A number within the bounds (3.0 boolean and 3.1 numeric exclusive ones) and a multiple
/// of `multipleOf`, rounded to its decimals.
fn number(rng: &mut StdRng, map: &Map<String, Value>, integer: bool, wide: bool) -> Value {
    let num = |k: &str| map.get(k).and_then(Value::as_f64);
    let flag = |k: &str| map.get(k) == Some(&Value::Bool(true));
    let lo =
        num("exclusiveMinimum").map(|m| (m, true)).or_else(|| num("minimum").map(|m| (m, flag("exclusiveMinimum"))));
    let hi =
        num("exclusiveMaximum").map(|m| (m, true)).or_else(|| num("maximum").map(|m| (m, flag("exclusiveMaximum"))));
    let step = num("multipleOf").filter(|m| *m > 0.0);
    // Integers and multiples are counted in steps; other numbers in hundredths.
    let unit = match (step, integer) {
        (Some(m), true) if m.fract() == 0.0 => m,
        (Some(m), true) => m.max(1.0).ceil(),
        (Some(m), false) => m,
        (None, true) => 1.0,
        (None, false) => 0.01,
    };
    let first = |(b, excl): (f64, bool)| {
        let k = (b / unit).ceil();
        if excl && k * unit <= b {
            k + 1.0
        } else {
            k
        }
    };
    let last = |(b, excl): (f64, bool)| {
        let k = (b / unit).floor();
        if excl && k * unit >= b {
            k - 1.0
        } else {
            k
        }
    };
    let span = if integer { 100.0 } else { 10_000.0 };
    let (k_lo, k_hi) = match (lo.map(first), hi.map(last)) {
        (Some(a), Some(b)) => (a, b),
        (Some(a), None) => (a, a + span),
        (None, Some(b)) => (b - span, b),
        (None, None) if wide => (-span, span),
        (None, None) => (0.0, span),
    };
    let k = if k_hi > k_lo && (k_hi - k_lo) < 1e15 { rng.random_range(k_lo as i64..=k_hi as i64) as f64 } else { k_lo };
    let value = k * unit;
    if integer || value.fract() == 0.0 && value.abs() < 9.0e15 && step.is_none_or(|m| m.fract() == 0.0) {
        return json!(value as i64);
    }
    let decimals = decimals_of(unit);
    let factor = 10f64.powi(decimals);
    Number::from_f64((value * factor).round() / factor).map(Value::Number).unwrap_or(Value::Null)
}

/// Decimal places of a step as written (0.05 → 2).
fn decimals_of(step: f64) -> i32 {
    let text = format!("{step}");
    text.split_once('.').map(|(_, f)| f.len() as i32).unwrap_or(0).min(12)
}
