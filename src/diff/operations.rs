//! Operations compared: which were added or removed, and for those in both versions their
//! security, parameters, request body, responses, headers and media types; the schemas
//! under them go to [`super::schema`], and what it finds comes back here to be read in the
//! direction it travels (a request is read by the vendor, a response written by it).

use std::collections::{BTreeMap, BTreeSet, HashMap};

use serde_json::Value;

use super::schema::{Event, EventKind, Loc, Pair, SchemaDiff};
use super::{Change, ChangeKind, ChangePlace, OperationRef, Position};
use crate::catalogue::openapi::index::{HeaderSpec, MediaType, RequestBody, Response};
use crate::catalogue::openapi::{ApiDoc, Operation, ParamIn, Parameter};
use crate::source::escape_pointer;

/// Which way a schema's values travel.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Direction {
    /// To the vendor: parameters and request bodies.
    Request,
    /// From the vendor: response bodies and headers.
    Response,
}

/// A schema an operation uses, whose changes are read once the graph is complete.
struct Root {
    pair: Pair,
    operation: OperationRef,
    place: ChangePlace,
    direction: Direction,
}

struct Ctx<'a> {
    old: &'a ApiDoc,
    new: &'a ApiDoc,
    schemas: SchemaDiff<'a>,
    roots: Vec<Root>,
    changes: Vec<Change>,
}

/// Every change between two descriptions' operations (unsorted, not yet located).
pub fn compare(old: &ApiDoc, new: &ApiDoc) -> Vec<Change> {
    let mut ctx = Ctx { old, new, schemas: SchemaDiff::new(old, new), roots: Vec::new(), changes: Vec::new() };
    let mut by_key: HashMap<(String, String), &Operation> = HashMap::new();
    for op in &new.operations {
        by_key.entry((op.method.clone(), normal_path(&op.path))).or_insert(op);
    }
    let mut matched = BTreeSet::new();
    let mut unmatched_old = Vec::new();
    for op in &old.operations {
        let key = (op.method.clone(), normal_path(&op.path));
        match by_key.get(&key) {
            Some(n) if matched.insert(key.clone()) => ctx.operation(op, n),
            _ => unmatched_old.push(op),
        }
    }
    let mut unmatched_new: Vec<&Operation> =
        new.operations.iter().filter(|op| !matched.contains(&(op.method.clone(), normal_path(&op.path)))).collect();
    // An operation whose path or method changed but whose operationId did not is the same
    // operation moved (a version prefix added to every path, say): compared as one, so the
    // changes inside it are not hidden behind "removed" and "added".
    for (o, n) in moved(old, new, &unmatched_old, &unmatched_new) {
        let op = op_ref(new, n);
        let c = ctx.push(ChangeKind::OperationMoved, &op, ChangePlace::Operation, &o.at, &n.at);
        c.old_value = Some(Value::String(format!("{} {}", o.method.to_uppercase(), o.path)));
        c.new_value = Some(Value::String(format!("{} {}", n.method.to_uppercase(), n.path)));
        ctx.operation(o, n);
        unmatched_old.retain(|x| !std::ptr::eq(*x, o));
        unmatched_new.retain(|x| !std::ptr::eq(*x, n));
    }
    for op in unmatched_old {
        let mut c = Change::new(ChangeKind::OperationRemoved, ChangePlace::Operation);
        c.operation = Some(op_ref(old, op));
        c.old = Some(position(old, &op.at));
        ctx.changes.push(c);
    }
    for op in unmatched_new {
        let mut c = Change::new(ChangeKind::OperationAdded, ChangePlace::Operation);
        c.operation = Some(op_ref(new, op));
        c.new = Some(position(new, &op.at));
        ctx.changes.push(c);
    }
    ctx.schemas.finish();
    let roots = std::mem::take(&mut ctx.roots);
    for root in &roots {
        for (path, event) in ctx.schemas.events(root.pair) {
            if let Some(change) = schema_change(old, new, root, &path, event) {
                ctx.changes.push(change);
            }
        }
    }
    ctx.changes
}

/// Pairs of operations left unmatched by method and path that share an operationId, where
/// that id names one operation on each side.
fn moved<'o>(
    old: &ApiDoc,
    new: &ApiDoc,
    olds: &[&'o Operation],
    news: &[&'o Operation],
) -> Vec<(&'o Operation, &'o Operation)> {
    let ids = |api: &ApiDoc, ops: &[&'o Operation]| -> HashMap<String, Vec<&'o Operation>> {
        let mut by_id: HashMap<String, Vec<&'o Operation>> = HashMap::new();
        for op in ops {
            if let Some(id) = op_ref(api, op).operation_id {
                by_id.entry(id).or_default().push(op);
            }
        }
        by_id
    };
    let new_ids = ids(new, news);
    let mut pairs = Vec::new();
    for (id, o) in ids(old, olds) {
        if let ([o], Some([n])) = (o.as_slice(), new_ids.get(&id).map(Vec::as_slice)) {
            pairs.push((*o, *n));
        }
    }
    pairs.sort_by(|a, b| (&a.0.path, &a.0.method).cmp(&(&b.0.path, &b.0.method)));
    pairs
}

/// A path with its parameters' names blanked: `/{municipalityId}/cases/{id}` and
/// `/{mid}/cases/{caseId}` are one path on the wire.
fn normal_path(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    let mut inside = false;
    for c in path.chars() {
        match c {
            '{' => {
                inside = true;
                out.push('{');
            }
            '}' => {
                inside = false;
                out.push('}');
            }
            _ if inside => {}
            _ => out.push(c),
        }
    }
    out
}

fn raw<'a>(api: &'a ApiDoc, at: &Loc) -> Option<&'a Value> {
    crate::model::pointer::get(&api.docs.get(at.0)?.value, &at.1)
}

fn op_ref(api: &ApiDoc, op: &Operation) -> OperationRef {
    let id = raw(api, &op.at).and_then(|o| o.get("operationId")).and_then(Value::as_str).map(str::to_string);
    OperationRef { path: op.path.clone(), method: op.method.clone(), operation_id: id }
}

fn position(api: &ApiDoc, at: &Loc) -> Position {
    let doc = at.0.min(api.docs.len() - 1);
    Position::new(&api.docs[doc].file, at.1.clone())
}

fn child(at: &Loc, key: &str) -> Loc {
    (at.0, format!("{}/{}", at.1, escape_pointer(key)))
}

impl<'a> Ctx<'a> {
    /// A change in an operation, with its positions in both versions.
    fn push(
        &mut self,
        kind: ChangeKind,
        op: &OperationRef,
        place: ChangePlace,
        old_at: &Loc,
        new_at: &Loc,
    ) -> &mut Change {
        let mut c = Change::new(kind, place);
        c.operation = Some(op.clone());
        c.old = Some(position(self.old, old_at));
        c.new = Some(position(self.new, new_at));
        self.changes.push(c);
        self.changes.last_mut().expect("just pushed")
    }

    fn root(&mut self, old: &Loc, new: &Loc, op: &OperationRef, place: ChangePlace, direction: Direction) {
        if let Some(pair) = self.schemas.root(old, new) {
            self.roots.push(Root { pair, operation: op.clone(), place, direction });
        }
    }

    fn operation(&mut self, o: &Operation, n: &Operation) {
        let op = op_ref(self.new, n);
        let (old_raw, new_raw) = (raw(self.old, &o.at), raw(self.new, &n.at));
        let id = |v: Option<&Value>| v.and_then(|o| o.get("operationId")).and_then(Value::as_str).map(str::to_string);
        if let (Some(a), Some(b)) = (id(old_raw), id(new_raw)) {
            if a != b {
                let c = self.push(
                    ChangeKind::OperationIdChanged,
                    &op,
                    ChangePlace::Operation,
                    &child(&o.at, "operationId"),
                    &child(&n.at, "operationId"),
                );
                c.old_value = Some(Value::String(a));
                c.new_value = Some(Value::String(b));
            }
        }
        let deprecated = |v: Option<&Value>| v.and_then(|o| o.get("deprecated")) == Some(&Value::Bool(true));
        if deprecated(new_raw) && !deprecated(old_raw) {
            self.push(ChangeKind::OperationDeprecated, &op, ChangePlace::Operation, &o.at, &child(&n.at, "deprecated"));
        }
        self.security(o, n, &op);
        self.parameters(o, n, &op);
        self.request_body(o, n, &op);
        self.responses(o, n, &op);
    }

    fn security(&mut self, o: &Operation, n: &Operation, op: &OperationRef) {
        let (old, new) = (security_of(self.old, o), security_of(self.new, n));
        let (old_at, new_at) = (old.at.clone(), new.at.clone());
        let names = |alt: &Alternative| alt.values().map(|(name, _)| name.clone()).collect::<Vec<_>>().join(" + ");
        let list = |alts: &BTreeMap<Vec<String>, Alternative>| {
            Value::Array(alts.values().map(|a| Value::String(names(a))).collect())
        };
        if old.open && !new.open {
            let c = self.push(ChangeKind::SecurityAdded, op, ChangePlace::Security, &old_at, &new_at);
            c.new_value = Some(list(&new.alternatives));
            return;
        }
        if new.open && !old.open {
            let c = self.push(ChangeKind::SecurityRemoved, op, ChangePlace::Security, &old_at, &new_at);
            c.old_value = Some(list(&old.alternatives));
            return;
        }
        for (key, alt) in &new.alternatives {
            let Some(before) = old.alternatives.get(key) else {
                let c = self.push(ChangeKind::SecurityAlternativeAdded, op, ChangePlace::Security, &old_at, &new_at);
                c.new_value = Some(Value::String(names(alt)));
                continue;
            };
            for (scheme, (name, scopes)) in alt {
                let Some((_, old_scopes)) = before.get(scheme) else { continue };
                let added: Vec<Value> = scopes.difference(old_scopes).map(|s| Value::String(s.clone())).collect();
                let removed: Vec<Value> = old_scopes.difference(scopes).map(|s| Value::String(s.clone())).collect();
                if !added.is_empty() {
                    let c = self.push(ChangeKind::SecurityScopeAdded, op, ChangePlace::Security, &old_at, &new_at);
                    c.subject = Some(name.clone());
                    c.new_value = Some(Value::Array(added));
                }
                if !removed.is_empty() {
                    let c = self.push(ChangeKind::SecurityScopeRemoved, op, ChangePlace::Security, &old_at, &new_at);
                    c.subject = Some(name.clone());
                    c.old_value = Some(Value::Array(removed));
                }
            }
        }
        for (key, alt) in &old.alternatives {
            if !new.alternatives.contains_key(key) {
                let c = self.push(ChangeKind::SecurityAlternativeRemoved, op, ChangePlace::Security, &old_at, &new_at);
                c.old_value = Some(Value::String(names(alt)));
            }
        }
    }

    fn parameters(&mut self, o: &Operation, n: &Operation, op: &OperationRef) {
        let old_params: Vec<(ParamKey, &Parameter)> = o.parameters.iter().map(|p| (param_key(o, p), p)).collect();
        let new_params: Vec<(ParamKey, &Parameter)> = n.parameters.iter().map(|p| (param_key(n, p), p)).collect();
        for (key, np) in &new_params {
            let place = ChangePlace::Parameter { location: np.location.to_string(), name: np.name.clone() };
            let Some((_, op_old)) = old_params.iter().find(|(k, _)| k == key) else {
                let kind = if np.required {
                    ChangeKind::RequestParameterRequiredAdded
                } else {
                    ChangeKind::RequestParameterAdded
                };
                let old_at = (o.at.0, o.at.1.clone());
                self.push(kind, op, place, &old_at, &np.at);
                continue;
            };
            match (op_old.required, np.required) {
                (false, true) => {
                    self.push(ChangeKind::RequestParameterBecameRequired, op, place.clone(), &op_old.at, &np.at);
                }
                (true, false) => {
                    self.push(ChangeKind::RequestParameterBecameOptional, op, place.clone(), &op_old.at, &np.at);
                }
                _ => {}
            }
            let (old_style, new_style) = (style(op_old), style(np));
            if old_style != new_style {
                let c = self.push(ChangeKind::RequestParameterStyleChanged, op, place.clone(), &op_old.at, &np.at);
                c.old_value = Some(Value::String(old_style));
                c.new_value = Some(Value::String(new_style));
            }
            if let (Some(a), Some(b)) = (&op_old.schema, &np.schema) {
                self.root(&(a.doc, a.pointer.clone()), &(b.doc, b.pointer.clone()), op, place, Direction::Request);
            }
        }
        for (key, p) in &old_params {
            if !new_params.iter().any(|(k, _)| k == key) {
                let place = ChangePlace::Parameter { location: p.location.to_string(), name: p.name.clone() };
                self.push(ChangeKind::RequestParameterRemoved, op, place, &p.at, &n.at);
            }
        }
    }

    fn request_body(&mut self, o: &Operation, n: &Operation, op: &OperationRef) {
        let place = ChangePlace::RequestBody { media_type: None };
        match (&o.request_body, &n.request_body) {
            (None, None) => {}
            (None, Some(b)) => {
                let kind = if b.required { ChangeKind::RequestBodyRequiredAdded } else { ChangeKind::RequestBodyAdded };
                self.push(kind, op, place, &o.at, &b.at);
            }
            (Some(a), None) => {
                self.push(ChangeKind::RequestBodyRemoved, op, place, &a.at, &n.at);
            }
            (Some(a), Some(b)) => {
                match (a.required, b.required) {
                    (false, true) => {
                        self.push(ChangeKind::RequestBodyBecameRequired, op, place, &a.at, &b.at);
                    }
                    (true, false) => {
                        self.push(ChangeKind::RequestBodyBecameOptional, op, place, &a.at, &b.at);
                    }
                    _ => {}
                }
                self.request_media(a, b, op);
            }
        }
    }

    fn request_media(&mut self, a: &RequestBody, b: &RequestBody, op: &OperationRef) {
        let place = |m: &MediaType| ChangePlace::RequestBody { media_type: Some(m.media_type.clone()) };
        let (added, removed, pairs) = media_pairs(&a.content, &b.content);
        for m in added {
            self.push(ChangeKind::RequestMediaTypeAdded, op, place(m), &a.at, &m.at);
        }
        for m in removed {
            self.push(ChangeKind::RequestMediaTypeRemoved, op, place(m), &m.at, &b.at);
        }
        for (x, y) in pairs {
            self.media_schemas(x, y, op, place(y), Direction::Request);
        }
    }

    /// The schemas of two corresponding media types; a schema given on one side only is a
    /// constraint added or removed.
    fn media_schemas(&mut self, x: &MediaType, y: &MediaType, op: &OperationRef, place: ChangePlace, dir: Direction) {
        let (kind_added, kind_removed) = match dir {
            Direction::Request => (ChangeKind::RequestConstraintTightened, ChangeKind::RequestConstraintLoosened),
            Direction::Response => (ChangeKind::ResponseConstraintTightened, ChangeKind::ResponseConstraintLoosened),
        };
        match (&x.schema, &y.schema) {
            (Some(a), Some(b)) => self.root(&(a.doc, a.pointer.clone()), &(b.doc, b.pointer.clone()), op, place, dir),
            (None, Some(b)) => {
                let c = self.push(kind_added, op, place, &x.at, &(b.doc, b.pointer.clone()));
                c.keyword = Some("schema".into());
            }
            (Some(a), None) => {
                let c = self.push(kind_removed, op, place, &(a.doc, a.pointer.clone()), &y.at);
                c.keyword = Some("schema".into());
            }
            (None, None) => {}
        }
    }

    fn responses(&mut self, o: &Operation, n: &Operation, op: &OperationRef) {
        let key = |r: &Response| r.status.to_string();
        for r in &n.responses {
            let status = key(r);
            let place = ChangePlace::Response { status: status.clone(), media_type: None };
            match o.responses.iter().find(|x| key(x) == status) {
                None => {
                    let c = self.push(ChangeKind::ResponseStatusAdded, op, place, &child(&o.at, "responses"), &r.at);
                    c.subject = Some(status);
                }
                Some(before) => self.response(before, r, op, &status),
            }
        }
        for r in &o.responses {
            let status = key(r);
            if !n.responses.iter().any(|x| key(x) == status) {
                let place = ChangePlace::Response { status: status.clone(), media_type: None };
                let c = self.push(ChangeKind::ResponseStatusRemoved, op, place, &r.at, &child(&n.at, "responses"));
                c.subject = Some(status);
            }
        }
    }

    fn response(&mut self, a: &Response, b: &Response, op: &OperationRef, status: &str) {
        let place = |m: Option<&MediaType>| ChangePlace::Response {
            status: status.to_string(),
            media_type: m.map(|m| m.media_type.clone()),
        };
        match (a.content.is_empty(), b.content.is_empty()) {
            (true, false) => {
                self.push(ChangeKind::ResponseBodyAdded, op, place(None), &a.at, &child(&b.at, "content"));
            }
            (false, true) => {
                self.push(ChangeKind::ResponseBodyRemoved, op, place(None), &child(&a.at, "content"), &b.at);
            }
            (false, false) => {
                let (added, removed, pairs) = media_pairs(&a.content, &b.content);
                for m in added {
                    self.push(ChangeKind::ResponseMediaTypeAdded, op, place(Some(m)), &a.at, &m.at);
                }
                for m in removed {
                    self.push(ChangeKind::ResponseMediaTypeRemoved, op, place(Some(m)), &m.at, &b.at);
                }
                for (x, y) in pairs {
                    self.media_schemas(x, y, op, place(Some(y)), Direction::Response);
                }
            }
            (true, true) => {}
        }
        self.headers(a, b, op, status);
    }

    fn headers(&mut self, a: &Response, b: &Response, op: &OperationRef, status: &str) {
        let documented = |h: &&HeaderSpec| !h.name.eq_ignore_ascii_case("content-type");
        let at = |r: &Response, h: &HeaderSpec| (r.at.0, format!("{}/headers/{}", r.at.1, escape_pointer(&h.name)));
        for h in b.headers.iter().filter(documented) {
            let place = ChangePlace::ResponseHeader { status: status.to_string(), name: h.name.clone() };
            let Some(before) = a.headers.iter().filter(documented).find(|x| x.name.eq_ignore_ascii_case(&h.name))
            else {
                let kind =
                    if h.required { ChangeKind::ResponseHeaderRequiredAdded } else { ChangeKind::ResponseHeaderAdded };
                let c = self.push(kind, op, place, &a.at, &at(b, h));
                c.subject = Some(h.name.clone());
                continue;
            };
            let kind = match (before.required, h.required) {
                (false, true) => Some(ChangeKind::ResponseHeaderBecameRequired),
                (true, false) => Some(ChangeKind::ResponseHeaderBecameOptional),
                _ => None,
            };
            if let Some(kind) = kind {
                let c = self.push(kind, op, place.clone(), &at(a, before), &at(b, h));
                c.subject = Some(h.name.clone());
            }
            if let (Some(x), Some(y)) = (&before.schema, &h.schema) {
                self.root(&(x.doc, x.pointer.clone()), &(y.doc, y.pointer.clone()), op, place, Direction::Response);
            }
        }
        for h in a.headers.iter().filter(documented) {
            if !b.headers.iter().any(|x| x.name.eq_ignore_ascii_case(&h.name)) {
                let place = ChangePlace::ResponseHeader { status: status.to_string(), name: h.name.clone() };
                let c = self.push(ChangeKind::ResponseHeaderRemoved, op, place, &at(a, h), &b.at);
                c.subject = Some(h.name.clone());
            }
        }
    }
}

/// Media types added, removed and in both (by name, case and spaces aside). When each side
/// has exactly one and they differ, they are also compared as one another's successor.
fn media_pairs<'m>(
    a: &'m [MediaType],
    b: &'m [MediaType],
) -> (Vec<&'m MediaType>, Vec<&'m MediaType>, Vec<(&'m MediaType, &'m MediaType)>) {
    let norm = |m: &MediaType| m.media_type.to_ascii_lowercase().replace(' ', "");
    let added: Vec<&MediaType> = b.iter().filter(|y| !a.iter().any(|x| norm(x) == norm(y))).collect();
    let removed: Vec<&MediaType> = a.iter().filter(|x| !b.iter().any(|y| norm(x) == norm(y))).collect();
    let mut pairs: Vec<(&MediaType, &MediaType)> =
        a.iter().filter_map(|x| b.iter().find(|y| norm(x) == norm(y)).map(|y| (x, y))).collect();
    if a.len() == 1 && b.len() == 1 && pairs.is_empty() {
        pairs.push((&a[0], &b[0]));
    }
    (added, removed, pairs)
}

/// A parameter's identity on the wire: where it goes and its name (path parameters by
/// their position in the path, header names without case).
#[derive(Debug, PartialEq, Eq)]
struct ParamKey(ParamIn, String);

fn param_key(op: &Operation, p: &Parameter) -> ParamKey {
    let name = match p.location {
        ParamIn::Path => {
            let names = crate::catalogue::openapi::index::path_template_names(&op.path);
            match names.iter().position(|n| *n == p.name) {
                Some(i) => format!("#{i}"),
                None => p.name.clone(),
            }
        }
        ParamIn::Header => p.name.to_ascii_lowercase(),
        _ => p.name.clone(),
    };
    ParamKey(p.location, name)
}

/// `style` and `explode` with OpenAPI's defaults filled in.
fn style(p: &Parameter) -> String {
    let default = match p.location {
        ParamIn::Query | ParamIn::Cookie => "form",
        ParamIn::Path | ParamIn::Header => "simple",
    };
    let style = p.style.clone().unwrap_or_else(|| default.to_string());
    let explode = p.explode.unwrap_or(style == "form");
    if explode {
        format!("{style}, explode")
    } else {
        style
    }
}

/// One way to authenticate: each scheme (by its definition, so a renamed scheme is the same
/// scheme) with the name this version gives it and the scopes it asks for.
type Alternative = BTreeMap<String, (String, BTreeSet<String>)>;

struct Security {
    /// Calls without credentials are allowed.
    open: bool,
    /// Keyed by the definitions of their schemes.
    alternatives: BTreeMap<Vec<String>, Alternative>,
    at: Loc,
}

fn security_of(api: &ApiDoc, op: &Operation) -> Security {
    let own = raw(api, &op.at).and_then(|o| o.get("security"));
    let (list, at) = match own {
        Some(list) => (Some(list), child(&op.at, "security")),
        None => (api.docs[0].value.get("security"), (0, "/security".to_string())),
    };
    let at = if raw(api, &at).is_some() { at } else { op.at.clone() };
    let items: &[Value] = list.and_then(Value::as_array).map(Vec::as_slice).unwrap_or(&[]);
    let mut open = items.is_empty();
    let mut alternatives = BTreeMap::new();
    for item in items {
        let Some(map) = item.as_object() else { continue };
        if map.is_empty() {
            open = true;
            continue;
        }
        let mut alt = Alternative::new();
        for (name, scopes) in map {
            let scopes: BTreeSet<String> =
                scopes.as_array().into_iter().flatten().filter_map(Value::as_str).map(str::to_string).collect();
            alt.insert(scheme_definition(api, name), (name.clone(), scopes));
        }
        alternatives.insert(alt.keys().cloned().collect(), alt);
    }
    Security { open, alternatives, at }
}

/// A security scheme's definition as canonical JSON, without its description and
/// extensions; the name itself when the document does not define it.
fn scheme_definition(api: &ApiDoc, name: &str) -> String {
    let pointer = format!("/components/securitySchemes/{}", escape_pointer(name));
    let Ok((_, _, value)) = api.resolve(0, &pointer) else { return format!("unknown:{name}") };
    let mut value = value.clone();
    if let Some(map) = value.as_object_mut() {
        map.retain(|k, _| k != "description" && !k.starts_with("x-"));
    }
    serde_json_canonicalizer::to_string(&value).unwrap_or_else(|_| format!("unknown:{name}"))
}

/// A schema event read in the direction its schema travels.
fn schema_change(old: &ApiDoc, new: &ApiDoc, root: &Root, path: &str, event: &Event) -> Option<Change> {
    use ChangeKind as K;
    use EventKind as E;
    let request = root.direction == Direction::Request;
    // A read-only property is not part of a request, nor a write-only one of a response.
    if event.property.is_some() && ((request && event.read_only) || (!request && event.write_only)) {
        return None;
    }
    let kind = match (event.kind, request) {
        (E::PropertyAdded { required: false }, true) => K::RequestPropertyAdded,
        (E::PropertyAdded { required: true }, true) => K::RequestPropertyRequiredAdded,
        (E::PropertyRemoved, true) => K::RequestPropertyRemoved,
        (E::BecameRequired, true) => K::RequestPropertyBecameRequired,
        (E::BecameOptional, true) => K::RequestPropertyBecameOptional,
        (E::Deprecated, true) => K::RequestPropertyDeprecated,
        (E::TypeWidened, true) => K::RequestTypeWidened,
        (E::TypeNarrowed, true) => K::RequestTypeNarrowed,
        (E::TypeChanged, true) => K::RequestTypeChanged,
        (E::NullAdded, true) => K::RequestNullAdded,
        (E::NullRemoved, true) => K::RequestNullRemoved,
        (E::EnumValuesAdded, true) => K::RequestEnumValueAdded,
        (E::EnumValuesRemoved, true) => K::RequestEnumValueRemoved,
        (E::Tightened, true) => K::RequestConstraintTightened,
        (E::Loosened, true) => K::RequestConstraintLoosened,
        (E::ConstraintChanged, true) => K::RequestConstraintChanged,
        (E::AlternativeAdded, true) => K::RequestAlternativeAdded,
        (E::AlternativeRemoved, true) => K::RequestAlternativeRemoved,
        (E::DefaultChanged, true) => K::RequestDefaultChanged,
        (E::PropertyAdded { required: false }, false) => K::ResponsePropertyAdded,
        (E::PropertyAdded { required: true }, false) => K::ResponsePropertyRequiredAdded,
        (E::PropertyRemoved, false) => K::ResponsePropertyRemoved,
        (E::BecameRequired, false) => K::ResponsePropertyBecameRequired,
        (E::BecameOptional, false) => K::ResponsePropertyBecameOptional,
        (E::Deprecated, false) => K::ResponsePropertyDeprecated,
        (E::TypeWidened, false) => K::ResponseTypeWidened,
        (E::TypeNarrowed, false) => K::ResponseTypeNarrowed,
        (E::TypeChanged, false) => K::ResponseTypeChanged,
        (E::NullAdded, false) => K::ResponseNullAdded,
        (E::NullRemoved, false) => K::ResponseNullRemoved,
        (E::EnumValuesAdded, false) => K::ResponseEnumValueAdded,
        (E::EnumValuesRemoved, false) => K::ResponseEnumValueRemoved,
        (E::Tightened, false) => K::ResponseConstraintTightened,
        (E::Loosened, false) => K::ResponseConstraintLoosened,
        (E::ConstraintChanged, false) => K::ResponseConstraintChanged,
        (E::AlternativeAdded, false) => K::ResponseAlternativeAdded,
        (E::AlternativeRemoved, false) => K::ResponseAlternativeRemoved,
        // A default means nothing in what the vendor sends.
        (E::DefaultChanged, false) => return None,
    };
    let mut c = Change::new(kind, root.place.clone());
    c.operation = Some(root.operation.clone());
    c.subject = (!path.is_empty()).then(|| path.to_string());
    c.keyword = event.keyword.clone();
    c.old_value = event.old_value.clone();
    c.new_value = event.new_value.clone();
    c.old = Some(position(old, &event.old_at));
    c.new = Some(position(new, &event.new_at));
    Some(c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_match_whatever_their_parameters_are_called() {
        assert_eq!(normal_path("/{municipalityId}/cases/{id}"), normal_path("/{mid}/cases/{caseId}"));
        assert_ne!(normal_path("/{mid}/cases"), normal_path("/{mid}/case"));
    }
}
