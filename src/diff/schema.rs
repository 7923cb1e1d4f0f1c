//! Schemas compared by meaning.
//!
//! Both sides are read through their `$ref`s, so a schema moved into `components` or a
//! renamed component is the same schema. Each pair of schemas that correspond (the old and
//! the new body of a response, then their properties with the same name, their items...)
//! is a node of a graph, keyed by the two locations after every `$ref` is followed; a node
//! holds what differs in that pair's own keywords (an [`Event`]) and its edges to the pairs
//! below it. Every pair is compared once, however many operations use it, and a recursive
//! schema is a cycle in the graph, not an endless descent.
//!
//! Reading the changes an operation sees is then a breadth-first walk from the operation's
//! pair, which gives each change the shortest property path that reaches it, restricted to
//! pairs from which a changed pair can be reached at all (so two identical documents cost
//! one pass over their schemas and no walk).

use std::collections::{HashMap, HashSet, VecDeque};

use serde_json::{Map, Value};

use crate::catalogue::openapi::{ApiDoc, OasVersion, Resolver};
use crate::source::escape_pointer;

/// A place in one side's documents: (document index, JSON pointer).
pub type Loc = (usize, String);

/// A pair of corresponding schemas, by their interned locations.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Pair {
    old: u32,
    new: u32,
}

/// How a pair is reached from its parent: the parts of a property path.
#[derive(Debug, Clone)]
enum Step {
    Property(String),
    Items,
    PrefixItem(usize),
    AdditionalProperties,
    /// A branch of `allOf`: it describes the same value, so it adds nothing to the path.
    AllOf,
    /// An alternative of `oneOf` or `anyOf`, by its position in the new document.
    Alternative(&'static str, usize),
}

/// What differs in one pair's own keywords, before it is known whether the schema is read
/// by the vendor (a request) or written by it (a response).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EventKind {
    PropertyAdded { required: bool },
    PropertyRemoved,
    BecameRequired,
    BecameOptional,
    Deprecated,
    TypeWidened,
    TypeNarrowed,
    TypeChanged,
    NullAdded,
    NullRemoved,
    EnumValuesAdded,
    EnumValuesRemoved,
    Tightened,
    Loosened,
    ConstraintChanged,
    AlternativeAdded,
    AlternativeRemoved,
    DefaultChanged,
}

#[derive(Debug, Clone)]
pub struct Event {
    pub kind: EventKind,
    /// For events about a property of the schema: its name.
    pub property: Option<String>,
    pub keyword: Option<String>,
    pub old_value: Option<Value>,
    pub new_value: Option<Value>,
    pub old_at: Loc,
    pub new_at: Loc,
    /// The property is `readOnly` (it does not appear in requests) or `writeOnly` (it
    /// does not appear in responses).
    pub read_only: bool,
    pub write_only: bool,
}

#[derive(Default)]
struct Node {
    events: Vec<Event>,
    children: Vec<(Step, Pair)>,
}

/// One side's documents and the locations met on it, interned.
struct Side<'a> {
    resolver: Resolver<'a>,
    api: &'a ApiDoc,
    ids: HashMap<Loc, u32>,
    locs: Vec<Loc>,
}

impl<'a> Side<'a> {
    fn new(api: &'a ApiDoc) -> Side<'a> {
        Side { resolver: api.resolver(), api, ids: HashMap::new(), locs: Vec::new() }
    }

    fn intern(&mut self, loc: Loc) -> u32 {
        if let Some(id) = self.ids.get(&loc) {
            return *id;
        }
        let id = self.locs.len() as u32;
        self.locs.push(loc.clone());
        self.ids.insert(loc, id);
        id
    }

    fn value(&self, id: u32) -> Option<&'a Map<String, Value>> {
        let (doc, pointer) = &self.locs[id as usize];
        crate::model::pointer::get(&self.api.docs[*doc].value, pointer).and_then(Value::as_object)
    }

    /// Where a schema really is: `$ref`s followed, and a lone `allOf` wrapper (with nothing
    /// but annotations beside it, the usual way to describe a reference) read as the
    /// schema it wraps. (A lone `oneOf` or `anyOf` stays a list of alternatives, so that
    /// one alternative going is read as such.)
    fn follow(&self, doc: usize, pointer: &str) -> Option<Loc> {
        let mut at = self.resolver.deref(doc, pointer).ok()?;
        for _ in 0..16 {
            let Some(map) = crate::model::pointer::get(&self.api.docs[at.0].value, &at.1).and_then(Value::as_object)
            else {
                break;
            };
            let Some(key) = lone_wrapper(map) else { break };
            at = self.resolver.deref(at.0, &format!("{}/{key}/0", at.1)).ok()?;
        }
        Some(at)
    }
}

/// Keywords that say something about a schema without constraining its values.
const ANNOTATIONS: [&str; 8] =
    ["description", "title", "example", "examples", "externalDocs", "$comment", "xml", "discriminator"];

fn lone_wrapper(map: &Map<String, Value>) -> Option<&'static str> {
    let mut found = None;
    for (k, v) in map {
        match k.as_str() {
            "allOf" if v.as_array().is_some_and(|a| a.len() == 1) => found = Some("allOf"),
            k if ANNOTATIONS.contains(&k) || k.starts_with("x-") => {}
            _ => return None,
        }
    }
    found
}

/// The schema graph of two descriptions.
pub struct SchemaDiff<'a> {
    old: Side<'a>,
    new: Side<'a>,
    nodes: HashMap<Pair, Node>,
    /// Pairs from which some pair with events can be reached.
    relevant: HashSet<Pair>,
}

impl<'a> SchemaDiff<'a> {
    pub fn new(old: &'a ApiDoc, new: &'a ApiDoc) -> SchemaDiff<'a> {
        SchemaDiff { old: Side::new(old), new: Side::new(new), nodes: HashMap::new(), relevant: HashSet::new() }
    }

    /// Adds the pair of schemas at two locations (with everything below it) to the graph.
    pub fn root(&mut self, old: &Loc, new: &Loc) -> Option<Pair> {
        let pair = self.pair(old, new)?;
        let mut work = vec![pair];
        while let Some(pair) = work.pop() {
            if self.nodes.contains_key(&pair) {
                continue;
            }
            let node = self.compare(pair);
            work.extend(node.children.iter().map(|(_, p)| *p));
            self.nodes.insert(pair, node);
        }
        Some(pair)
    }

    fn pair(&mut self, old: &Loc, new: &Loc) -> Option<Pair> {
        let o = self.old.follow(old.0, &old.1)?;
        let n = self.new.follow(new.0, &new.1)?;
        Some(Pair { old: self.old.intern(o), new: self.new.intern(n) })
    }

    /// Marks the pairs from which a change can be reached. Call after the last root.
    pub fn finish(&mut self) {
        let mut parents: HashMap<Pair, Vec<Pair>> = HashMap::new();
        for (pair, node) in &self.nodes {
            for (_, child) in &node.children {
                parents.entry(*child).or_default().push(*pair);
            }
        }
        let mut work: Vec<Pair> = self.nodes.iter().filter(|(_, n)| !n.events.is_empty()).map(|(p, _)| *p).collect();
        while let Some(pair) = work.pop() {
            if self.relevant.insert(pair) {
                work.extend(parents.get(&pair).into_iter().flatten().copied());
            }
        }
    }

    /// Every event below a root, each once, with the property path that reaches it first.
    pub fn events(&self, root: Pair) -> Vec<(String, &Event)> {
        let mut out = Vec::new();
        if !self.relevant.contains(&root) {
            return out;
        }
        let mut seen = HashSet::from([root]);
        let mut queue = VecDeque::from([(root, String::new())]);
        while let Some((pair, path)) = queue.pop_front() {
            let Some(node) = self.nodes.get(&pair) else { continue };
            for event in &node.events {
                let at = match &event.property {
                    Some(name) => join(&path, &Step::Property(name.clone())),
                    None => path.clone(),
                };
                out.push((at, event));
            }
            for (step, child) in &node.children {
                if self.relevant.contains(child) && seen.insert(*child) {
                    queue.push_back((*child, join(&path, step)));
                }
            }
        }
        out
    }

    /// One pair's own differences and its children.
    fn compare(&mut self, pair: Pair) -> Node {
        let (Some(old), Some(new)) = (self.old.value(pair.old), self.new.value(pair.new)) else {
            return Node::default();
        };
        let old_loc = self.old.locs[pair.old as usize].clone();
        let new_loc = self.new.locs[pair.new as usize].clone();
        let mut c = Comparison {
            old,
            new,
            old_loc,
            new_loc,
            old_dialect: self.old.api.version,
            new_dialect: self.new.api.version,
            node: Node::default(),
            wanted: Vec::new(),
        };
        c.keywords();
        if c.both_allow(OBJECT) {
            c.properties(self);
        }
        if c.both_allow(ARRAY) {
            c.items();
        }
        c.compositions(self);
        let Comparison { mut node, wanted, .. } = c;
        for (step, old, new) in wanted {
            if let Some(child) = self.pair(&old, &new) {
                node.children.push((step, child));
            }
        }
        node
    }

    fn flags(&self, side_new: bool, loc: &Loc) -> (bool, bool) {
        let side = if side_new { &self.new } else { &self.old };
        let Some(at) = side.follow(loc.0, &loc.1) else { return (false, false) };
        let map = crate::model::pointer::get(&side.api.docs[at.0].value, &at.1).and_then(Value::as_object);
        let flag = |k: &str| map.and_then(|m| m.get(k)).and_then(Value::as_bool).unwrap_or(false);
        (flag("readOnly"), flag("writeOnly"))
    }

    fn deref_new(&self, loc: &Loc) -> Option<Loc> {
        self.new.follow(loc.0, &loc.1)
    }

    fn deref_old(&self, loc: &Loc) -> Option<Loc> {
        self.old.follow(loc.0, &loc.1)
    }
}

fn join(path: &str, step: &Step) -> String {
    match step {
        Step::Property(name) if path.is_empty() => name.clone(),
        Step::Property(name) => format!("{path}.{name}"),
        Step::Items => format!("{path}[]"),
        Step::PrefixItem(i) => format!("{path}[{i}]"),
        Step::AdditionalProperties if path.is_empty() => "*".into(),
        Step::AdditionalProperties => format!("{path}.*"),
        Step::AllOf => path.to_string(),
        Step::Alternative(keyword, i) if path.is_empty() => format!("{keyword}[{i}]"),
        Step::Alternative(keyword, i) => format!("{path}.{keyword}[{i}]"),
    }
}

/// The comparison of one pair of schema objects.
struct Comparison<'v> {
    old: &'v Map<String, Value>,
    new: &'v Map<String, Value>,
    old_loc: Loc,
    new_loc: Loc,
    old_dialect: OasVersion,
    new_dialect: OasVersion,
    node: Node,
    /// Children to pair up once the comparison ends: (step, old location, new location).
    wanted: Vec<(Step, Loc, Loc)>,
}

const STRING: u8 = 1;
const NUMBER: u8 = 2;
const INTEGER: u8 = 4;
const BOOLEAN: u8 = 8;
const ARRAY: u8 = 16;
const OBJECT: u8 = 32;
const NULL: u8 = 64;
const TYPES: [(u8, &str); 7] = [
    (STRING, "string"),
    (NUMBER, "number"),
    (INTEGER, "integer"),
    (BOOLEAN, "boolean"),
    (ARRAY, "array"),
    (OBJECT, "object"),
    (NULL, "null"),
];

/// The types a schema allows, as bits; `None` when it does not say (any type).
fn type_bits(schema: &Map<String, Value>, dialect: OasVersion) -> Option<u8> {
    let bit = |name: &str| TYPES.iter().find(|(_, n)| *n == name).map_or(0, |(b, _)| *b);
    let mut bits = match schema.get("type")? {
        Value::String(s) => bit(s),
        Value::Array(items) => items.iter().filter_map(Value::as_str).map(bit).fold(0, |a, b| a | b),
        _ => return None,
    };
    if dialect == OasVersion::V30 && schema.get("nullable") == Some(&Value::Bool(true)) {
        bits |= NULL;
    }
    Some(bits)
}

fn type_names(bits: u8) -> Value {
    let names: Vec<Value> =
        TYPES.iter().filter(|(b, _)| bits & b != 0).map(|(_, n)| Value::String((*n).to_string())).collect();
    match names.len() {
        1 => names.into_iter().next().unwrap_or(Value::Null),
        _ => Value::Array(names),
    }
}

/// `number` allows every integer.
fn with_integers(bits: u8) -> u8 {
    if bits & NUMBER != 0 {
        bits | INTEGER
    } else {
        bits
    }
}

/// The values an `enum` (or a `const`) allows, less `null` (which the types speak for).
fn enum_values(schema: &Map<String, Value>) -> Option<Vec<&Value>> {
    if let Some(Value::Array(items)) = schema.get("enum") {
        return Some(items.iter().filter(|v| !v.is_null()).collect());
    }
    schema.get("const").filter(|v| !v.is_null()).map(|v| vec![v])
}

/// A bound on numbers: the limit and whether it is exclusive.
type Bound = (f64, bool);

/// The lower (`min`) or upper bound, from either dialect's way of writing it.
fn bound(schema: &Map<String, Value>, lower: bool) -> Option<Bound> {
    let (inclusive, exclusive) = if lower { ("minimum", "exclusiveMinimum") } else { ("maximum", "exclusiveMaximum") };
    let plain = schema.get(inclusive).and_then(Value::as_f64);
    match schema.get(exclusive) {
        Some(Value::Bool(true)) => plain.map(|v| (v, true)),
        Some(Value::Number(n)) => {
            let e = n.as_f64().map(|v| (v, true));
            match (plain, e) {
                (Some(p), Some(e)) => Some(if stricter((p, false), e, lower) { (p, false) } else { e }),
                (p, e) => e.or(p.map(|v| (v, false))),
            }
        }
        _ => plain.map(|v| (v, false)),
    }
}

/// Whether bound `a` admits fewer values than bound `b`.
fn stricter(a: Bound, b: Bound, lower: bool) -> bool {
    if a.0 == b.0 {
        return a.1 && !b.1;
    }
    if lower {
        a.0 > b.0
    } else {
        a.0 < b.0
    }
}

fn show_bound(b: Bound, lower: bool) -> Value {
    let op = match (lower, b.1) {
        (true, false) => ">=",
        (true, true) => ">",
        (false, false) => "<=",
        (false, true) => "<",
    };
    Value::String(format!("{op} {}", number_text(b.0)))
}

fn number_text(v: f64) -> String {
    if v.fract() == 0.0 && v.abs() < 1e15 {
        format!("{}", v as i64)
    } else {
        format!("{v}")
    }
}

/// `additionalProperties` (or `unevaluatedProperties` where that is all there is).
#[derive(PartialEq)]
enum Extra {
    Open,
    Closed,
    Schema(&'static str),
}

fn extra(schema: &Map<String, Value>) -> Extra {
    for key in ["additionalProperties", "unevaluatedProperties"] {
        match schema.get(key) {
            Some(Value::Bool(false)) => return Extra::Closed,
            Some(Value::Object(_)) => {
                return Extra::Schema(if key == "additionalProperties" {
                    "additionalProperties"
                } else {
                    "unevaluatedProperties"
                })
            }
            Some(_) => return Extra::Open,
            None => {}
        }
    }
    Extra::Open
}

impl<'v> Comparison<'v> {
    fn at(loc: &Loc, map: &Map<String, Value>, key: &str) -> Loc {
        if map.contains_key(key) {
            (loc.0, format!("{}/{}", loc.1, escape_pointer(key)))
        } else {
            loc.clone()
        }
    }

    fn event(&mut self, kind: EventKind, keyword: &str, old_value: Option<Value>, new_value: Option<Value>) {
        let old_at = Self::at(&self.old_loc, self.old, keyword);
        let new_at = Self::at(&self.new_loc, self.new, keyword);
        self.node.events.push(Event {
            kind,
            property: None,
            keyword: (!keyword.is_empty()).then(|| keyword.to_string()),
            old_value,
            new_value,
            old_at,
            new_at,
            read_only: false,
            write_only: false,
        });
    }

    /// Whether both sides allow a type (a schema without `type` allows every one): the
    /// keywords of a type that one side no longer has are gone with the type, and the type
    /// change says it.
    fn both_allow(&self, bits: u8) -> bool {
        let allows = |m: &Map<String, Value>, d| type_bits(m, d).is_none_or(|t| with_integers(t) & bits != 0);
        allows(self.old, self.old_dialect) && allows(self.new, self.new_dialect)
    }

    fn keywords(&mut self) {
        self.types();
        self.enums();
        let (numbers, strings) = (self.both_allow(NUMBER | INTEGER), self.both_allow(STRING));
        let (arrays, objects) = (self.both_allow(ARRAY), self.both_allow(OBJECT));
        if numbers {
            for lower in [true, false] {
                self.bounds(lower);
            }
            self.multiple_of();
        }
        for (key, is_min, applies) in [
            ("minLength", true, strings),
            ("maxLength", false, strings),
            ("minItems", true, arrays),
            ("maxItems", false, arrays),
            ("minProperties", true, objects),
            ("maxProperties", false, objects),
        ] {
            if applies {
                self.count(key, is_min);
            }
        }
        if strings {
            self.text("pattern");
        }
        if strings || numbers {
            self.text("format");
        }
        if arrays {
            self.unique_items();
        }
        if objects {
            self.extra();
        }
        let (old_default, new_default) = (self.old.get("default"), self.new.get("default"));
        if old_default != new_default {
            self.event(EventKind::DefaultChanged, "default", old_default.cloned(), new_default.cloned());
        }
        let deprecated = |m: &Map<String, Value>| m.get("deprecated") == Some(&Value::Bool(true));
        if deprecated(self.new) && !deprecated(self.old) {
            self.event(EventKind::Deprecated, "deprecated", None, Some(Value::Bool(true)));
        }
    }

    fn types(&mut self) {
        match (type_bits(self.old, self.old_dialect), type_bits(self.new, self.new_dialect)) {
            (Some(o), Some(n)) => {
                let (oe, ne) = (with_integers(o) & !NULL, with_integers(n) & !NULL);
                if oe != ne {
                    let kind = if ne & oe == oe {
                        EventKind::TypeWidened
                    } else if ne & oe == ne {
                        EventKind::TypeNarrowed
                    } else {
                        EventKind::TypeChanged
                    };
                    self.event(kind, "type", Some(type_names(o & !NULL)), Some(type_names(n & !NULL)));
                }
                match (o & NULL != 0, n & NULL != 0) {
                    (false, true) => self.event(EventKind::NullAdded, "type", None, None),
                    (true, false) => self.event(EventKind::NullRemoved, "type", None, None),
                    _ => {}
                }
            }
            (None, Some(n)) => self.event(EventKind::Tightened, "type", None, Some(type_names(n))),
            (Some(o), None) => self.event(EventKind::Loosened, "type", Some(type_names(o)), None),
            (None, None) => {}
        }
    }

    fn enums(&mut self) {
        match (enum_values(self.old), enum_values(self.new)) {
            (Some(o), Some(n)) => {
                let added: Vec<Value> = n.iter().filter(|v| !o.contains(v)).map(|v| (*v).clone()).collect();
                let removed: Vec<Value> = o.iter().filter(|v| !n.contains(v)).map(|v| (*v).clone()).collect();
                if !added.is_empty() {
                    self.event(EventKind::EnumValuesAdded, enum_key(self.new), None, Some(Value::Array(added)));
                }
                if !removed.is_empty() {
                    self.event(EventKind::EnumValuesRemoved, enum_key(self.old), Some(Value::Array(removed)), None);
                }
            }
            (None, Some(n)) => {
                let values = Value::Array(n.into_iter().cloned().collect());
                self.event(EventKind::Tightened, enum_key(self.new), None, Some(values));
            }
            (Some(o), None) => {
                let values = Value::Array(o.into_iter().cloned().collect());
                self.event(EventKind::Loosened, enum_key(self.old), Some(values), None);
            }
            (None, None) => {}
        }
    }

    fn bounds(&mut self, lower: bool) {
        let (o, n) = (bound(self.old, lower), bound(self.new, lower));
        let keyword = if lower { "minimum" } else { "maximum" };
        let show = |b: Option<Bound>| b.map(|b| show_bound(b, lower));
        let kind = match (o, n) {
            (None, Some(_)) => EventKind::Tightened,
            (Some(_), None) => EventKind::Loosened,
            (Some(a), Some(b)) if stricter(b, a, lower) => EventKind::Tightened,
            (Some(a), Some(b)) if stricter(a, b, lower) => EventKind::Loosened,
            _ => return,
        };
        let keyword = if self.new.contains_key(keyword) || self.old.contains_key(keyword) {
            keyword
        } else if lower {
            "exclusiveMinimum"
        } else {
            "exclusiveMaximum"
        };
        self.event(kind, keyword, show(o), show(n));
    }

    /// `minLength` and the like: a missing minimum is 0, a missing maximum no limit.
    fn count(&mut self, key: &str, is_min: bool) {
        let read = |m: &Map<String, Value>| m.get(key).and_then(Value::as_f64);
        let (o, n) = (read(self.old), read(self.new));
        let norm = |v: Option<f64>| if is_min { v.unwrap_or(0.0) } else { v.unwrap_or(f64::INFINITY) };
        let (a, b) = (norm(o), norm(n));
        if a == b {
            return;
        }
        let tighter = if is_min { b > a } else { b < a };
        let kind = if tighter { EventKind::Tightened } else { EventKind::Loosened };
        let show = |v: Option<f64>| v.map(|v| Value::from(number_text(v).parse::<i64>().unwrap_or(v as i64)));
        self.event(kind, key, show(o), show(n));
    }

    fn multiple_of(&mut self) {
        let read = |m: &Map<String, Value>| m.get("multipleOf").and_then(Value::as_f64).filter(|v| *v > 0.0);
        let (o, n) = (read(self.old), read(self.new));
        let divides = |a: f64, b: f64| (b / a).fract() == 0.0;
        let kind = match (o, n) {
            (None, Some(_)) => EventKind::Tightened,
            (Some(_), None) => EventKind::Loosened,
            (Some(a), Some(b)) if a == b => return,
            (Some(a), Some(b)) if divides(a, b) => EventKind::Tightened,
            (Some(a), Some(b)) if divides(b, a) => EventKind::Loosened,
            (Some(_), Some(_)) => EventKind::ConstraintChanged,
            (None, None) => return,
        };
        let (ov, nv) = (self.old.get("multipleOf").cloned(), self.new.get("multipleOf").cloned());
        self.event(kind, "multipleOf", ov, nv);
    }

    /// `pattern` and `format`: added tightens, removed loosens, changed is a new rule.
    fn text(&mut self, key: &str) {
        let (o, n) = (self.old.get(key), self.new.get(key));
        let kind = match (o, n) {
            (None, Some(_)) => EventKind::Tightened,
            (Some(_), None) => EventKind::Loosened,
            (Some(a), Some(b)) if a != b => EventKind::ConstraintChanged,
            _ => return,
        };
        self.event(kind, key, o.cloned(), n.cloned());
    }

    fn unique_items(&mut self) {
        let read = |m: &Map<String, Value>| m.get("uniqueItems") == Some(&Value::Bool(true));
        match (read(self.old), read(self.new)) {
            (false, true) => self.event(EventKind::Tightened, "uniqueItems", None, Some(Value::Bool(true))),
            (true, false) => self.event(EventKind::Loosened, "uniqueItems", Some(Value::Bool(true)), None),
            _ => {}
        }
    }

    fn extra(&mut self) {
        let (o, n) = (extra(self.old), extra(self.new));
        let shown = |e: &Extra| match e {
            Extra::Open => Value::Bool(true),
            Extra::Closed => Value::Bool(false),
            Extra::Schema(_) => Value::String("{…}".into()),
        };
        let kind = match (&o, &n) {
            (Extra::Schema(a), Extra::Schema(b)) => {
                let (old_at, new_at) = (
                    (self.old_loc.0, format!("{}/{a}", self.old_loc.1)),
                    (self.new_loc.0, format!("{}/{b}", self.new_loc.1)),
                );
                self.wanted.push((Step::AdditionalProperties, old_at, new_at));
                return;
            }
            (a, b) if a == b => return,
            (Extra::Open, _) | (Extra::Schema(_), Extra::Closed) => EventKind::Tightened,
            _ => EventKind::Loosened,
        };
        let key = match (&o, &n) {
            (_, Extra::Schema(k)) | (Extra::Schema(k), _) => k,
            _ if self.new.contains_key("unevaluatedProperties") || self.old.contains_key("unevaluatedProperties") => {
                "unevaluatedProperties"
            }
            _ => "additionalProperties",
        };
        self.event(kind, key, Some(shown(&o)), Some(shown(&n)));
    }

    fn properties(&mut self, graph: &SchemaDiff<'_>) {
        let empty = Map::new();
        let props = |m: &'v Map<String, Value>| m.get("properties").and_then(Value::as_object);
        let (old_props, new_props) = (props(self.old).unwrap_or(&empty), props(self.new).unwrap_or(&empty));
        let required = |m: &Map<String, Value>| -> Vec<String> {
            m.get("required")
                .and_then(Value::as_array)
                .map(|a| a.iter().filter_map(Value::as_str).map(str::to_string).collect())
                .unwrap_or_default()
        };
        let (old_req, new_req) = (required(self.old), required(self.new));
        let prop_at = |loc: &Loc, name: &str| (loc.0, format!("{}/properties/{}", loc.1, escape_pointer(name)));
        let mut names: Vec<&String> = old_props.keys().collect();
        names.extend(new_props.keys().filter(|k| !old_props.contains_key(*k)));
        for name in names {
            let (in_old, in_new) = (old_props.contains_key(name), new_props.contains_key(name));
            let (was, is) = (old_req.contains(name), new_req.contains(name));
            let old_at =
                if in_old { prop_at(&self.old_loc, name) } else { Self::at(&self.old_loc, self.old, "properties") };
            let new_at =
                if in_new { prop_at(&self.new_loc, name) } else { Self::at(&self.new_loc, self.new, "properties") };
            let kind = match (in_old, in_new) {
                (true, true) => {
                    self.wanted.push((Step::Property(name.clone()), old_at.clone(), new_at.clone()));
                    match (was, is) {
                        (false, true) => EventKind::BecameRequired,
                        (true, false) => EventKind::BecameOptional,
                        _ => continue,
                    }
                }
                (false, true) => EventKind::PropertyAdded { required: is },
                (true, false) => EventKind::PropertyRemoved,
                (false, false) => continue,
            };
            let (read_only, write_only) = if in_new { graph.flags(true, &new_at) } else { graph.flags(false, &old_at) };
            self.node.events.push(Event {
                kind,
                property: Some(name.clone()),
                keyword: None,
                old_value: None,
                new_value: None,
                old_at,
                new_at,
                read_only,
                write_only,
            });
        }
        // Names required without a property schema on either side.
        for (name, kind) in new_req
            .iter()
            .filter(|n| !old_req.contains(n))
            .map(|n| (n, EventKind::BecameRequired))
            .chain(old_req.iter().filter(|n| !new_req.contains(n)).map(|n| (n, EventKind::BecameOptional)))
        {
            if old_props.contains_key(name) || new_props.contains_key(name) {
                continue;
            }
            let (old_at, new_at) =
                (Self::at(&self.old_loc, self.old, "required"), Self::at(&self.new_loc, self.new, "required"));
            self.node.events.push(Event {
                kind,
                property: Some(name.clone()),
                keyword: None,
                old_value: None,
                new_value: None,
                old_at,
                new_at,
                read_only: false,
                write_only: false,
            });
        }
    }

    fn items(&mut self) {
        match (self.old.get("items"), self.new.get("items")) {
            (Some(Value::Object(_)), Some(Value::Object(_))) => {
                let (o, n) = (
                    (self.old_loc.0, format!("{}/items", self.old_loc.1)),
                    (self.new_loc.0, format!("{}/items", self.new_loc.1)),
                );
                self.wanted.push((Step::Items, o, n));
            }
            (None, Some(Value::Object(_))) => self.event(EventKind::Tightened, "items", None, Some("{…}".into())),
            (Some(Value::Object(_)), None) => self.event(EventKind::Loosened, "items", Some("{…}".into()), None),
            _ => {}
        }
        let prefix = |m: &Map<String, Value>| m.get("prefixItems").and_then(Value::as_array).map_or(0, Vec::len);
        for i in 0..prefix(self.old).min(prefix(self.new)) {
            let (o, n) = (
                (self.old_loc.0, format!("{}/prefixItems/{i}", self.old_loc.1)),
                (self.new_loc.0, format!("{}/prefixItems/{i}", self.new_loc.1)),
            );
            self.wanted.push((Step::PrefixItem(i), o, n));
        }
    }

    /// `allOf`, `anyOf`, `oneOf`: entries that name the same component are paired first,
    /// the rest by position; what is left over was added or removed.
    fn compositions(&mut self, graph: &SchemaDiff<'_>) {
        for key in ["allOf", "anyOf", "oneOf"] {
            let list = |m: &Map<String, Value>| m.get(key).and_then(Value::as_array).map_or(0, Vec::len);
            let (n_old, n_new) = (list(self.old), list(self.new));
            if n_old == 0 && n_new == 0 {
                continue;
            }
            let entry = |loc: &Loc, i: usize| (loc.0, format!("{}/{key}/{i}", loc.1));
            let name = |at: Option<Loc>| at.and_then(|(_, p)| p.rsplit('/').next().map(str::to_string));
            let old_names: Vec<Option<String>> =
                (0..n_old).map(|i| name(graph.deref_old(&entry(&self.old_loc, i)))).collect();
            let new_names: Vec<Option<String>> =
                (0..n_new).map(|i| name(graph.deref_new(&entry(&self.new_loc, i)))).collect();
            let mut new_used = vec![false; n_new];
            let mut matches: Vec<(usize, usize)> = Vec::new();
            let mut unmatched_old = Vec::new();
            for (i, n) in old_names.iter().enumerate() {
                let found = (0..n_new)
                    .find(|j| !new_used[*j] && n.is_some() && new_names[*j] == *n && is_ref(self.new, key, *j));
                match found.filter(|_| is_ref(self.old, key, i)) {
                    Some(j) => {
                        new_used[j] = true;
                        matches.push((i, j));
                    }
                    None => unmatched_old.push(i),
                }
            }
            let mut free_new = (0..n_new).filter(|j| !new_used[*j]);
            let mut removed = Vec::new();
            for i in unmatched_old {
                match free_new.next() {
                    Some(j) => matches.push((i, j)),
                    None => removed.push(i),
                }
            }
            let added: Vec<usize> = free_new.collect();
            for (i, j) in matches {
                let step = if key == "allOf" { Step::AllOf } else { Step::Alternative(key_name(key), j) };
                self.wanted.push((step, entry(&self.old_loc, i), entry(&self.new_loc, j)));
            }
            let (grow, shrink) = if key == "allOf" {
                (EventKind::Tightened, EventKind::Loosened)
            } else {
                (EventKind::AlternativeAdded, EventKind::AlternativeRemoved)
            };
            for j in added {
                let (old_at, new_at) = (Self::at(&self.old_loc, self.old, key), entry(&self.new_loc, j));
                self.push_at(grow, key, old_at, new_at);
            }
            for i in removed {
                let (old_at, new_at) = (entry(&self.old_loc, i), Self::at(&self.new_loc, self.new, key));
                self.push_at(shrink, key, old_at, new_at);
            }
        }
    }

    fn push_at(&mut self, kind: EventKind, keyword: &str, old_at: Loc, new_at: Loc) {
        self.node.events.push(Event {
            kind,
            property: None,
            keyword: Some(keyword.to_string()),
            old_value: None,
            new_value: None,
            old_at,
            new_at,
            read_only: false,
            write_only: false,
        });
    }
}

fn key_name(key: &str) -> &'static str {
    match key {
        "anyOf" => "anyOf",
        "oneOf" => "oneOf",
        _ => "allOf",
    }
}

fn is_ref(map: &Map<String, Value>, key: &str, i: usize) -> bool {
    map.get(key).and_then(|l| l.get(i)).is_some_and(|e| e.get("$ref").is_some())
}

fn enum_key(map: &Map<String, Value>) -> &'static str {
    if map.contains_key("enum") {
        "enum"
    } else {
        "const"
    }
}
