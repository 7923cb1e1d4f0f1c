//! Expectations and captures: their syntax and compilation.
//!
//! An expectation names a subject (a JSONPath into the body, or a header) and one or more
//! operators. A bare value is shorthand for `equals`:
//!
//! ```yaml
//! body:
//!   $.status: received                 # equals
//!   $.id: { exists: true, type: string }
//!   $.items: { type: array, length: { le: 20 } }
//!   $.total: { ge: 0 }
//! ```

use std::collections::HashMap;
use std::sync::Arc;

use regex::Regex;
use serde_json::{Map, Value};
use serde_json_path::JsonPath;

use crate::model::Place;

/// A JSONPath, kept with the text it was written as.
#[derive(Debug, Clone)]
pub struct JsonPathExpr {
    pub text: String,
    pub path: JsonPath,
    /// Singular in RFC 9535's sense (only name and index selectors, no descendant
    /// segment): it selects at most one value. Otherwise it is multi-match.
    pub singular: bool,
}

#[derive(Debug, Clone)]
pub enum Subject {
    Body(JsonPathExpr),
    Header(String),
}

impl Subject {
    pub fn describe(&self) -> String {
        match self {
            Subject::Body(p) => format!("body {}", p.text),
            Subject::Header(h) => format!("header {h}"),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum JsonType {
    String,
    Number,
    Integer,
    Boolean,
    Array,
    Object,
    Null,
}

impl JsonType {
    fn parse(s: &str) -> Option<JsonType> {
        Some(match s {
            "string" => JsonType::String,
            "number" => JsonType::Number,
            "integer" => JsonType::Integer,
            "boolean" => JsonType::Boolean,
            "array" => JsonType::Array,
            "object" => JsonType::Object,
            "null" => JsonType::Null,
            _ => return None,
        })
    }

    pub fn name(self) -> &'static str {
        match self {
            JsonType::String => "string",
            JsonType::Number => "number",
            JsonType::Integer => "integer",
            JsonType::Boolean => "boolean",
            JsonType::Array => "array",
            JsonType::Object => "object",
            JsonType::Null => "null",
        }
    }

    pub fn of(v: &Value) -> JsonType {
        match v {
            Value::String(_) => JsonType::String,
            Value::Number(n) if n.is_i64() || n.is_u64() => JsonType::Integer,
            Value::Number(_) => JsonType::Number,
            Value::Bool(_) => JsonType::Boolean,
            Value::Array(_) => JsonType::Array,
            Value::Object(_) => JsonType::Object,
            Value::Null => JsonType::Null,
        }
    }

    pub fn accepts(self, v: &Value) -> bool {
        let actual = JsonType::of(v);
        actual == self || (self == JsonType::Number && actual == JsonType::Integer)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CmpOp {
    Gt,
    Ge,
    Lt,
    Le,
}

impl CmpOp {
    pub fn symbol(self) -> &'static str {
        match self {
            CmpOp::Gt => ">",
            CmpOp::Ge => ">=",
            CmpOp::Lt => "<",
            CmpOp::Le => "<=",
        }
    }
    pub fn holds(self, actual: f64, limit: f64) -> bool {
        match self {
            CmpOp::Gt => actual > limit,
            CmpOp::Ge => actual >= limit,
            CmpOp::Lt => actual < limit,
            CmpOp::Le => actual <= limit,
        }
    }
}

/// A comparison of a count or a number: `equals` or an ordering.
#[derive(Debug, Clone, PartialEq)]
pub enum Bound {
    Equals(f64),
    Cmp(CmpOp, f64),
}

#[derive(Debug, Clone)]
pub enum Op {
    Equals(Value),
    NotEquals(Value),
    Exists(bool),
    /// Shared, not cloned: a cloned `Regex` starts an empty match-cache pool, and building
    /// a cache costs more than the match.
    Matches(Arc<Regex>),
    OneOf(Vec<Value>),
    Type(JsonType),
    Length(Vec<Bound>),
    Compare(CmpOp, f64),
    Contains(Value),
}

/// Which of a JSONPath's matches a quantified expectation's operators must hold for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Quantifier {
    /// Every match (none at all passes).
    All,
    /// At least one match.
    Any,
    /// Exactly one match, which must satisfy them.
    One,
}

impl Quantifier {
    fn parse(key: &str) -> Option<Quantifier> {
        Some(match key {
            "all" => Quantifier::All,
            "any" => Quantifier::Any,
            "one" => Quantifier::One,
            _ => return None,
        })
    }

    pub fn key(self) -> &'static str {
        match self {
            Quantifier::All => "all",
            Quantifier::Any => "any",
            Quantifier::One => "one",
        }
    }
}

/// `all: { ... }`, `any: { ... }` or `one: { ... }`: operators applied to matches.
#[derive(Debug, Clone)]
pub struct Quantified {
    pub quantifier: Quantifier,
    pub ops: Vec<Op>,
}

/// One expectation: a subject and the operators it must satisfy.
#[derive(Debug, Clone)]
pub struct Assertion {
    pub subject: Subject,
    /// Applied to the value of a header or singular path, or to the list of a multi-match
    /// path's matches.
    pub ops: Vec<Op>,
    /// Applied to the matches of a body path, one by one.
    pub quantified: Vec<Quantified>,
    /// Where it is written in the suite.
    pub pointer: String,
    /// Where it is written, for reports (set when the suite is compiled).
    pub location: Place,
}

impl Assertion {
    /// Every operator, those inside `all`, `any` and `one` included.
    pub fn every_op(&self) -> impl Iterator<Item = &Op> {
        self.ops.iter().chain(self.quantified.iter().flat_map(|q| &q.ops))
    }
}

impl Op {
    /// The values the suite wrote for this operator (they may hold templates).
    pub fn values(&self) -> &[Value] {
        match self {
            Op::Equals(v) | Op::NotEquals(v) | Op::Contains(v) => std::slice::from_ref(v),
            Op::OneOf(items) => items,
            _ => &[],
        }
    }

    /// The operator's name as a suite writes it.
    pub fn key(&self) -> &'static str {
        match self {
            Op::Equals(_) => "equals",
            Op::NotEquals(_) => "not_equals",
            Op::Exists(_) => "exists",
            Op::Matches(_) => "matches",
            Op::OneOf(_) => "one_of",
            Op::Type(_) => "type",
            Op::Length(_) => "length",
            Op::Compare(CmpOp::Gt, _) => "gt",
            Op::Compare(CmpOp::Ge, _) => "ge",
            Op::Compare(CmpOp::Lt, _) => "lt",
            Op::Compare(CmpOp::Le, _) => "le",
            Op::Contains(_) => "contains",
        }
    }

    /// Whether the operator only makes sense on one value: on the list of a multi-match
    /// path's matches it would always fail (or, for `not_equals`, always pass).
    pub fn wants_one_value(&self) -> bool {
        match self {
            Op::Matches(_) | Op::OneOf(_) | Op::Compare(..) => true,
            Op::Equals(v) | Op::NotEquals(v) => !v.is_array(),
            Op::Type(t) => *t != JsonType::Array,
            Op::Exists(_) | Op::Length(_) | Op::Contains(_) => false,
        }
    }
}

pub const OPERATORS: [&str; 12] =
    ["equals", "not_equals", "exists", "matches", "one_of", "type", "length", "gt", "ge", "lt", "le", "contains"];

/// Keys that apply operators to a JSONPath's matches one by one.
pub const QUANTIFIERS: [&str; 3] = ["all", "any", "one"];

/// A mistake in an expectation: what is wrong, and where below the expectation's own
/// pointer (`""`: the expectation's value; `/all/equls`: a key inside it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refused {
    pub at: String,
    pub message: String,
}

impl From<String> for Refused {
    fn from(message: String) -> Refused {
        Refused { at: String::new(), message }
    }
}

impl From<&str> for Refused {
    fn from(message: &str) -> Refused {
        Refused::from(message.to_string())
    }
}

/// How deep brackets may nest in a JSONPath. serde_json_path's parser backtracks, and each
/// further level of nested, unclosed brackets multiplies the time it takes to reject a
/// path by about four (7 levels: 50 ms; 12: about a minute; found by fuzzing). Real
/// paths nest two or three deep.
pub const MAX_JSONPATH_DEPTH: usize = 6;

pub fn parse_json_path(text: &str) -> Result<JsonPathExpr, String> {
    let depth = bracket_depth(text);
    if depth > MAX_JSONPATH_DEPTH {
        return Err(format!(
            "`{}` nests brackets {depth} deep; a JSONPath may nest them at most {MAX_JSONPATH_DEPTH} deep",
            crate::model::shorten(text, 80)
        ));
    }
    JsonPath::parse(text)
        .map(|path| JsonPathExpr { text: text.to_string(), path, singular: is_singular(text) })
        .map_err(|e| format!("`{text}` is not a valid JSONPath (RFC 9535): {e}"))
}

/// Whether a valid JSONPath is a singular query (RFC 9535, section 2.3.5.1: name and index
/// selectors only, no descendant segment). serde_json_path decides this but keeps it to
/// itself; it does enforce it where the RFC only allows a singular query, as an operand of
/// a comparison in a filter, so the path is put there and the parser asked.
fn is_singular(text: &str) -> bool {
    JsonPath::parse(&format!("$[?{text} == null]")).is_ok()
}

/// The deepest nesting of `[` in a JSONPath, outside quoted names and strings.
fn bracket_depth(text: &str) -> usize {
    let (mut depth, mut deepest, mut quote, mut escaped) = (0usize, 0, None, false);
    for c in text.chars() {
        match quote {
            Some(q) => {
                if escaped {
                    escaped = false;
                } else if c == '\\' {
                    escaped = true;
                } else if c == q {
                    quote = None;
                }
            }
            None => match c {
                '\'' | '"' => quote = Some(c),
                '[' => {
                    depth += 1;
                    deepest = deepest.max(depth);
                }
                ']' => depth = depth.saturating_sub(1),
                _ => {}
            },
        }
    }
    deepest
}

fn is_key(key: &str) -> bool {
    OPERATORS.contains(&key) || QUANTIFIERS.contains(&key)
}

fn is_operator_map(map: &Map<String, Value>) -> bool {
    !map.is_empty() && map.keys().all(|k| is_key(k))
}

/// "unknown operator `x` (did you mean `y`?); operators are ..." for the first key that is none.
fn unknown_operator<'a>(keys: impl Iterator<Item = &'a str>, known: &[&str]) -> String {
    let unknown: Vec<&str> = keys.filter(|k| !known.contains(k)).collect();
    let hint = unknown.first().map(|u| crate::diag::did_you_mean_aside(u, known.iter().copied())).unwrap_or_default();
    format!("unknown operator `{}`{hint}; operators are {}", unknown.join("`, `"), known.join(", "))
}

pub fn compile_assertion(subject: Subject, spec: &Value, pointer: String) -> Result<Assertion, Refused> {
    let mut ops = Vec::new();
    let mut quantified = Vec::new();
    match spec {
        Value::Object(map) if is_operator_map(map) => {
            for (key, arg) in map {
                match Quantifier::parse(key) {
                    Some(q) => quantified.push(compile_quantified(q, arg)?),
                    None => ops.push(compile_op(key, arg)?),
                }
            }
        }
        Value::Object(map) if map.keys().any(|k| is_key(k)) => {
            let known: Vec<&str> = OPERATORS.iter().chain(&QUANTIFIERS).copied().collect();
            return Err(unknown_operator(map.keys().map(String::as_str), &known).into());
        }
        other => ops.push(Op::Equals(other.clone())),
    }
    if let Subject::Header(_) = subject {
        for op in &ops {
            if matches!(op, Op::Type(_) | Op::Length(_)) {
                return Err("header values are text: `type` and `length` apply to body values only".into());
            }
        }
        if let Some(q) = quantified.first() {
            return Err(Refused {
                at: format!("/{}", q.quantifier.key()),
                message: format!(
                    "`{}` applies to the matches of a body JSONPath; a header has one value, so write its operators \
                     without it",
                    q.quantifier.key()
                ),
            });
        }
    }
    Ok(Assertion { subject, ops, quantified, pointer, location: Place::default() })
}

/// `all: { ... }`: a non-empty map of operators, none of them `exists` or a quantifier.
fn compile_quantified(quantifier: Quantifier, arg: &Value) -> Result<Quantified, Refused> {
    let key = quantifier.key();
    let at = format!("/{key}");
    let Value::Object(map) = arg else {
        return Err(Refused {
            at,
            message: format!(
                "`{key}` takes a map of operators applied to each match, such as `{key}: {{ equals: {} }}`",
                crate::model::shorten(&value_text(arg), 40)
            ),
        });
    };
    if map.is_empty() {
        return Err(Refused {
            at,
            message: format!("`{key}` needs at least one operator, such as `{key}: {{ type: string }}`"),
        });
    }
    let mut ops = Vec::new();
    for (name, value) in map {
        let at = format!("{at}/{}", crate::source::escape_pointer(name));
        let message = if QUANTIFIERS.contains(&name.as_str()) {
            format!(
                "`{name}` inside `{key}`: quantifiers apply to the path's matches and do not nest; select deeper \
                 in the path instead (`$.a[*].b[*]`)"
            )
        } else if name == "exists" {
            format!(
                "`exists` inside `{key}` says nothing of a match (each one exists); write it beside `{key}`, \
                 where it says whether the path matches anything"
            )
        } else if !OPERATORS.contains(&name.as_str()) {
            unknown_operator(std::iter::once(name.as_str()), &OPERATORS)
        } else {
            match compile_op(name, value) {
                Ok(op) => {
                    ops.push(op);
                    continue;
                }
                Err(message) => message,
            }
        };
        return Err(Refused { at, message });
    }
    Ok(Quantified { quantifier, ops })
}

fn compile_op(key: &str, arg: &Value) -> Result<Op, String> {
    Ok(match key {
        "equals" => Op::Equals(arg.clone()),
        "not_equals" => Op::NotEquals(arg.clone()),
        "exists" => Op::Exists(arg.as_bool().ok_or("`exists` takes true or false")?),
        "matches" => {
            let pattern = arg.as_str().ok_or("`matches` takes a regular expression string")?;
            Op::Matches(compile_regex(pattern)?)
        }
        "one_of" => match arg {
            Value::Array(items) if !items.is_empty() => Op::OneOf(items.clone()),
            _ => return Err("`one_of` takes a non-empty list of values".into()),
        },
        "type" => {
            let name = arg.as_str().unwrap_or("");
            Op::Type(JsonType::parse(name).ok_or_else(|| {
                format!(
                    "`type` is one of string, number, integer, boolean, array, object, null (got `{}`)",
                    value_text(arg)
                )
            })?)
        }
        "length" => Op::Length(compile_bounds(arg)?),
        "gt" | "ge" | "lt" | "le" => {
            let limit = arg.as_f64().ok_or_else(|| format!("`{key}` takes a number"))?;
            Op::Compare(cmp_op(key), limit)
        }
        "contains" => Op::Contains(arg.clone()),
        other => return Err(format!("unknown operator `{other}`")),
    })
}

fn cmp_op(key: &str) -> CmpOp {
    match key {
        "gt" => CmpOp::Gt,
        "ge" => CmpOp::Ge,
        "lt" => CmpOp::Lt,
        _ => CmpOp::Le,
    }
}

fn compile_bounds(arg: &Value) -> Result<Vec<Bound>, String> {
    match arg {
        Value::Number(n) => Ok(vec![Bound::Equals(n.as_f64().unwrap_or(0.0))]),
        Value::Object(map) if !map.is_empty() => map
            .iter()
            .map(|(k, v)| {
                let limit = v.as_f64().ok_or_else(|| format!("`length.{k}` takes a number"))?;
                match k.as_str() {
                    "equals" => Ok(Bound::Equals(limit)),
                    "gt" | "ge" | "lt" | "le" => Ok(Bound::Cmp(cmp_op(k), limit)),
                    other => Err(format!("`length` takes equals, gt, ge, lt or le, not `{other}`")),
                }
            })
            .collect(),
        _ => Err("`length` takes a number or a map such as `{ ge: 1 }`".into()),
    }
}

/// Compiles a pattern, once per thread: suites repeat the same `matches` in step after
/// step. Steps share the compiled regex, and with it its pool of match caches.
pub fn compile_regex(pattern: &str) -> Result<Arc<Regex>, String> {
    thread_local! {
        static COMPILED: std::cell::RefCell<HashMap<String, Arc<Regex>>> = Default::default();
    }
    if let Some(re) = COMPILED.with_borrow(|c| c.get(pattern).cloned()) {
        return Ok(re);
    }
    let re = Arc::new(Regex::new(pattern).map_err(|e| {
        let detail = e.to_string();
        let last = detail.lines().rfind(|l| !l.trim().is_empty()).unwrap_or("").trim().to_string();
        format!("invalid regular expression `{pattern}`: {last}")
    })?);
    COMPILED.with_borrow_mut(|c| {
        if c.len() >= 1024 {
            c.clear();
        }
        c.insert(pattern.to_string(), re.clone());
    });
    Ok(re)
}

fn value_text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// Where a captured value comes from.
#[derive(Debug, Clone)]
pub enum CaptureSource {
    Body(JsonPathExpr),
    Header(String),
    /// The whole body as text (used with `regex`).
    BodyText,
}

#[derive(Debug, Clone)]
pub struct Capture {
    pub name: String,
    pub source: CaptureSource,
    /// Applied to the source's text; the first group (or the whole match) is captured.
    pub regex: Option<Arc<Regex>>,
    pub pointer: String,
    /// Where it is written, for reports (set when the suite is compiled).
    pub location: Place,
    /// `secret: true`: the captured value is redacted everywhere from then on.
    pub secret: bool,
}

/// `name: $.path`, or `name: { json: $.path | header: Name | regex: R, [regex: R], [secret: true] }`.
pub fn compile_capture(name: String, spec: &Value, pointer: String) -> Result<Capture, String> {
    let mut secret = false;
    let (source, regex) = match spec {
        Value::String(path) => (CaptureSource::Body(parse_json_path(path)?), None),
        Value::Object(map) => {
            for key in map.keys() {
                if !matches!(key.as_str(), "json" | "header" | "regex" | "secret") {
                    return Err(format!("unknown capture key `{key}`; use `json`, `header`, `regex` and/or `secret`"));
                }
            }
            secret = match map.get("secret") {
                None => false,
                Some(Value::Bool(b)) => *b,
                Some(_) => return Err("`secret` takes true or false".into()),
            };
            let regex = match map.get("regex") {
                Some(Value::String(r)) => Some(compile_regex(r)?),
                Some(_) => return Err("`regex` takes a string".into()),
                None => None,
            };
            let source = match (map.get("json"), map.get("header")) {
                (Some(Value::String(p)), None) => CaptureSource::Body(parse_json_path(p)?),
                (None, Some(Value::String(h))) => CaptureSource::Header(h.clone()),
                (None, None) if regex.is_some() => CaptureSource::BodyText,
                (Some(_), Some(_)) => return Err("a capture takes `json` or `header`, not both".into()),
                _ => return Err("a capture needs `json: <JSONPath>`, `header: <name>` or `regex: <pattern>`".into()),
            };
            (source, regex)
        }
        _ => return Err("a capture is a JSONPath string or a map with `json`, `header` or `regex`".into()),
    };
    Ok(Capture { name, source, regex, pointer, location: Place::default(), secret })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn compile(spec: Value) -> Result<Assertion, String> {
        compile_assertion(Subject::Body(parse_json_path("$.a").unwrap()), &spec, String::new()).map_err(|e| e.message)
    }

    fn refused(spec: Value) -> Refused {
        compile_assertion(Subject::Body(parse_json_path("$.a[*]").unwrap()), &spec, String::new()).unwrap_err()
    }

    /// RFC 9535's singular queries: name and index selectors only.
    #[test]
    fn singular_paths_are_told_from_multi_match_ones() {
        for singular in ["$", "$.a", "$.a.b[0]", "$['a']['b'][-1]", "$[\"a b\"].c", "$['x[*]']", "$['a'][\"?@\"]"] {
            assert!(parse_json_path(singular).unwrap().singular, "{singular}");
        }
        for multi in
            ["$.*", "$.a[*]", "$.a[*].b", "$..a", "$.a[0:2]", "$.a[0,1]", "$['a','b']", "$.a[?@.b == 1]", "$.a.*.b"]
        {
            assert!(!parse_json_path(multi).unwrap().singular, "{multi}");
        }
        // A singular path nested as deep as allowed is still told apart quickly.
        assert!(!parse_json_path("$.a[?@.b[?@.c[?@.d[?@.e[?@.f]]]]]").unwrap().singular);
    }

    #[test]
    fn quantifiers_compile() {
        let a =
            compile(json!({"exists": true, "all": {"type": "string", "matches": "^a"}, "any": {"equals": 1}})).unwrap();
        assert!(matches!(a.ops[..], [Op::Exists(true)]));
        let kinds: Vec<(Quantifier, usize)> = a.quantified.iter().map(|q| (q.quantifier, q.ops.len())).collect();
        assert_eq!(kinds, [(Quantifier::All, 2), (Quantifier::Any, 1)]);
        assert_eq!(compile(json!({"one": {"one_of": [1, 2]}})).unwrap().quantified[0].quantifier, Quantifier::One);
        assert_eq!(a.every_op().count(), 4);
    }

    /// Mistakes inside `all`, `any` and `one` are refused, pointing at where they are written.
    #[test]
    fn bad_quantifiers_are_refused_where_they_are() {
        let r = refused(json!({"all": "OPEN"}));
        assert_eq!(r.at, "/all");
        assert_eq!(r.message, "`all` takes a map of operators applied to each match, such as `all: { equals: OPEN }`");
        assert_eq!(refused(json!({"any": {}})).at, "/any");
        let r = refused(json!({"all": {"equls": 1}}));
        assert_eq!(r.at, "/all/equls");
        assert!(
            r.message.starts_with("unknown operator `equls` (did you mean `equals`?); operators are equals,"),
            "{}",
            r.message
        );
        let r = refused(json!({"one": {"all": {"equals": 1}}}));
        assert_eq!(r.at, "/one/all");
        assert!(r.message.contains("do not nest"), "{}", r.message);
        let r = refused(json!({"any": {"exists": true}}));
        assert_eq!(r.at, "/any/exists");
        assert!(r.message.contains("write it beside `any`"), "{}", r.message);
        let r = refused(json!({"all": {"matches": "(open"}}));
        assert_eq!(r.at, "/all/matches");
        assert!(r.message.contains("invalid regular expression"), "{}", r.message);
        let r = refused(json!({"al": {"equals": 1}, "exists": true}));
        assert_eq!(r.at, "");
        assert!(r.message.contains("(did you mean `all`?)"), "{}", r.message);
        // Headers have one value: no quantifiers.
        let r = compile_assertion(Subject::Header("Location".into()), &json!({"any": {"matches": "x"}}), String::new())
            .unwrap_err();
        assert_eq!(r.at, "/any");
        assert!(r.message.contains("a header has one value"), "{}", r.message);
    }

    /// Regression (fuzzing, `expressions`): nested unclosed filters made the JSONPath
    /// parser take seconds to reject a 260-byte path, growing fourfold with each level.
    #[test]
    fn deeply_nested_jsonpaths_are_refused_before_parsing() {
        let found = "$.tutusfffitems[?@.statusfffffgems[?@.stasffutfitems[?@.statusfffffgfffff..[?@.tfiffffffffftj.js[?@..[?@.titems[?@.statusfffffgems[?@.stasffutfitems[?@.statusfffffgfffff..[?@.tfiffffffffftj.js[?@..[?@.tfitems[?@.js[?@..[?@.s[?@..[?ame";
        let err = parse_json_path(found).unwrap_err();
        assert!(err.contains("nests brackets 17 deep; a JSONPath may nest them at most 6 deep"), "{err}");
        let twelve = format!("$.a{}", "[?@..[?@.b".repeat(6));
        assert!(parse_json_path(&twelve).unwrap_err().contains("12 deep"));
        // Brackets inside names and strings do not count; real paths still parse.
        assert!(parse_json_path("$['[[[[[[[[']").is_ok());
        assert!(parse_json_path("$.items[?@.tags[?@ == '[[[[[[[[']]").is_ok());
        assert!(parse_json_path("$.a[?@.b[?@.c[?@.d[?@.e[?@.f]]]]]").is_ok());
        assert_eq!(bracket_depth(r#"$["a\"[[["][0]"#), 1);
    }

    #[test]
    fn shorthand_is_equals() {
        assert!(matches!(compile(json!("x")).unwrap().ops[..], [Op::Equals(_)]));
        // A map that is not made of operators is compared literally.
        assert!(matches!(compile(json!({"name": "x"})).unwrap().ops[..], [Op::Equals(_)]));
    }

    #[test]
    fn operators_compile() {
        let a = compile(json!({"type": "array", "length": {"ge": 1, "le": 10}})).unwrap();
        assert_eq!(a.ops.len(), 2);
        assert!(compile(json!({"matches": "(unclosed"})).unwrap_err().contains("invalid regular expression"));
        assert!(compile(json!({"type": "text"})).unwrap_err().contains("`type` is one of"));
        assert!(compile(json!({"exists": true, "equls": 1})).unwrap_err().contains("did you mean `equals`?"));
    }

    #[test]
    fn bad_jsonpath_is_an_error() {
        assert!(parse_json_path("$.[").is_err());
        assert!(parse_json_path("$.items[0].id").is_ok());
    }

    #[test]
    fn captures() {
        assert!(matches!(
            compile_capture("id".into(), &json!("$.id"), String::new()).unwrap().source,
            CaptureSource::Body(_)
        ));
        let c = compile_capture("n".into(), &json!({"header": "Location", "regex": "/cases/(.+)$"}), String::new())
            .unwrap();
        assert!(matches!(c.source, CaptureSource::Header(_)) && c.regex.is_some());
        assert!(compile_capture("n".into(), &json!({"jsn": "$.x"}), String::new()).is_err());
    }
}
