//! The operation index: what a run and the static checks need of each operation, with
//! every `$ref` already followed and every schema kept as a location for the validators.

use std::collections::HashMap;
use std::fmt;

use serde::Serialize;
use serde_json::Value;

use super::refs::Resolver;
use super::walk::METHODS;
use super::Doc;
use super::SchemaLoc;
use crate::diag::{Diag, Placed};
use crate::model::StatusKey;
use crate::source::escape_pointer;

#[derive(Debug, Clone, Serialize)]
pub struct Operation {
    /// The `operationId`, or `METHOD /path` for an operation without one.
    pub id: String,
    pub method: String,
    pub path: String,
    pub summary: Option<String>,
    pub parameters: Vec<Parameter>,
    pub request_body: Option<RequestBody>,
    pub responses: Vec<Response>,
    /// Whether the operation (or the document) requires some security scheme.
    pub secured: bool,
    /// Where the operation object is written: (document, pointer).
    #[serde(skip)]
    pub at: (usize, String),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ParamIn {
    Path,
    Query,
    Header,
    Cookie,
}

impl fmt::Display for ParamIn {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            ParamIn::Path => "path",
            ParamIn::Query => "query",
            ParamIn::Header => "header",
            ParamIn::Cookie => "cookie",
        })
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Parameter {
    #[serde(skip)]
    pub at: (usize, String),
    pub name: String,
    pub location: ParamIn,
    pub required: bool,
    pub schema: Option<SchemaLoc>,
    pub style: Option<String>,
    pub explode: Option<bool>,
}

#[derive(Debug, Clone, Serialize)]
pub struct RequestBody {
    #[serde(skip)]
    pub at: (usize, String),
    pub required: bool,
    pub content: Vec<MediaType>,
}

#[derive(Debug, Clone, Serialize)]
pub struct MediaType {
    pub media_type: String,
    pub schema: Option<SchemaLoc>,
    /// Where the Media Type Object is written.
    #[serde(skip)]
    pub at: (usize, String),
}

#[derive(Debug, Clone, Serialize)]
pub struct Response {
    pub status: StatusKey,
    #[serde(skip)]
    pub at: (usize, String),
    pub content: Vec<MediaType>,
    pub headers: Vec<HeaderSpec>,
}

#[derive(Debug, Clone, Serialize)]
pub struct HeaderSpec {
    pub name: String,
    pub required: bool,
    pub schema: Option<SchemaLoc>,
}

impl Operation {
    /// The response documented for a status: an exact code first, then its range, then `default`.
    pub fn response_for(&self, status: u16) -> Option<&Response> {
        let pick =
            |want: fn(&StatusKey) -> bool| self.responses.iter().find(|r| want(&r.status) && r.status.matches(status));
        pick(|k| matches!(k, StatusKey::Code(_)))
            .or_else(|| pick(|k| matches!(k, StatusKey::Range(_))))
            .or_else(|| pick(|k| matches!(k, StatusKey::Default)))
    }

    pub fn parameter(&self, location: ParamIn, name: &str) -> Option<&Parameter> {
        self.parameters.iter().find(|p| {
            p.location == location
                && if location == ParamIn::Header { p.name.eq_ignore_ascii_case(name) } else { p.name == name }
        })
    }
}

/// Builds the index. Returns the operations and any problems found (errors and warnings).
pub fn build(docs: &[Doc]) -> (Vec<Operation>, Vec<Diag>) {
    let resolver = Resolver::new(docs);
    let mut b = Builder { docs, resolver: &resolver, diags: Placed::default() };
    let mut ops = Vec::new();
    let root = &docs[0].value;
    let global_security = root.get("security").and_then(Value::as_array).is_some_and(|s| !s.is_empty());
    if let Some(paths) = root.get("paths").and_then(Value::as_object) {
        for (path, _) in paths.iter().filter(|(k, _)| !k.starts_with("x-")) {
            let item_ptr = format!("/paths/{}", escape_pointer(path));
            let Some((doc, item_ptr, item)) = b.resolve(0, &item_ptr) else { continue };
            let Some(item) = item.as_object() else { continue };
            let shared = b.parameters(doc, &format!("{item_ptr}/parameters"), item.get("parameters"));
            for method in METHODS {
                let Some(op) = item.get(method).and_then(Value::as_object) else { continue };
                let op_ptr = format!("{item_ptr}/{method}");
                let mut parameters = shared.clone();
                for p in b.parameters(doc, &format!("{op_ptr}/parameters"), op.get("parameters")) {
                    parameters.retain(|q| !(q.name == p.name && q.location == p.location));
                    parameters.push(p);
                }
                let id = match op.get("operationId").and_then(Value::as_str) {
                    Some(id) if !id.is_empty() => id.to_string(),
                    _ => format!("{} {path}", method.to_uppercase()),
                };
                let secured = match op.get("security").and_then(Value::as_array) {
                    Some(s) => !s.is_empty() && !s.iter().any(|r| r.as_object().is_some_and(|m| m.is_empty())),
                    None => global_security,
                };
                let request_body = if op.contains_key("requestBody") {
                    b.request_body(doc, &format!("{op_ptr}/requestBody"))
                } else {
                    None
                };
                let responses = b.responses(doc, &format!("{op_ptr}/responses"), op.get("responses"));
                b.check_path_params(doc, &op_ptr, path, &parameters);
                ops.push(Operation {
                    id,
                    method: method.to_uppercase(),
                    path: path.clone(),
                    summary: op.get("summary").and_then(Value::as_str).map(str::to_string),
                    parameters,
                    request_body,
                    responses,
                    secured,
                    at: (doc, op_ptr),
                });
            }
        }
    }
    let mut seen: HashMap<&str, usize> = HashMap::new();
    for (i, op) in ops.iter().enumerate() {
        if let Some(first) = seen.insert(op.id.as_str(), i) {
            let first = &ops[first];
            let d = Diag::error(
                "openapi::duplicate-operation-id",
                format!(
                    "operationId `{}` is used twice: by {} {} and by {} {}",
                    op.id, first.method, first.path, op.method, op.path
                ),
            );
            b.diags.push(
                d.help("operationIds must be unique within a description"),
                &docs[op.at.0].file,
                &format!("{}/operationId", op.at.1),
            );
        }
    }
    (ops, b.diags.finish())
}

struct Builder<'a> {
    docs: &'a [Doc],
    resolver: &'a Resolver<'a>,
    diags: Placed,
}

impl<'a> Builder<'a> {
    fn resolve(&mut self, doc: usize, pointer: &str) -> Option<(usize, String, &'a Value)> {
        match self.resolver.resolve(doc, pointer) {
            Ok(r) => Some(r),
            Err(m) => {
                self.diags.push(Diag::error("openapi::unresolved-ref", m), &self.docs[doc].file, pointer);
                None
            }
        }
    }

    fn warn(&mut self, at: &(usize, String), code: &'static str, message: String) {
        self.diags.push(Diag::warning(code, message), &self.docs[at.0].file, &at.1);
    }

    fn parameters(&mut self, doc: usize, base: &str, list: Option<&Value>) -> Vec<Parameter> {
        let mut out = Vec::new();
        let Some(items) = list.and_then(Value::as_array) else { return out };
        for i in 0..items.len() {
            let Some((d, ptr, p)) = self.resolve(doc, &format!("{base}/{i}")) else { continue };
            let name = p.get("name").and_then(Value::as_str);
            let location = match p.get("in").and_then(Value::as_str) {
                Some("path") => Some(ParamIn::Path),
                Some("query") => Some(ParamIn::Query),
                Some("header") => Some(ParamIn::Header),
                Some("cookie") => Some(ParamIn::Cookie),
                _ => None,
            };
            let (Some(name), Some(location)) = (name, location) else {
                self.warn(
                    &(d, ptr),
                    "openapi::bad-parameter",
                    "a parameter without a valid `name` and `in` is ignored".into(),
                );
                continue;
            };
            let schema = if p.get("schema").is_some() {
                Some(SchemaLoc { doc: d, pointer: format!("{ptr}/schema") })
            } else {
                p.get("content")
                    .and_then(Value::as_object)
                    .and_then(|c| c.keys().next())
                    .map(|mt| SchemaLoc { doc: d, pointer: format!("{ptr}/content/{}/schema", escape_pointer(mt)) })
            };
            out.push(Parameter {
                at: (d, ptr.clone()),
                name: name.to_string(),
                location,
                required: location == ParamIn::Path || p.get("required") == Some(&Value::Bool(true)),
                schema,
                style: p.get("style").and_then(Value::as_str).map(str::to_string),
                explode: p.get("explode").and_then(Value::as_bool),
            });
        }
        out
    }

    fn content(&mut self, doc: usize, base: &str, content: Option<&Value>) -> Vec<MediaType> {
        let Some(map) = content.and_then(Value::as_object) else { return Vec::new() };
        map.iter()
            .map(|(mt, v)| MediaType {
                media_type: mt.clone(),
                schema: v
                    .get("schema")
                    .map(|_| SchemaLoc { doc, pointer: format!("{base}/{}/schema", escape_pointer(mt)) }),
                at: (doc, format!("{base}/{}", escape_pointer(mt))),
            })
            .collect()
    }

    fn request_body(&mut self, doc: usize, pointer: &str) -> Option<RequestBody> {
        let (d, ptr, body) = self.resolve(doc, pointer)?;
        Some(RequestBody {
            at: (d, ptr.clone()),
            required: body.get("required") == Some(&Value::Bool(true)),
            content: self.content(d, &format!("{ptr}/content"), body.get("content")),
        })
    }

    fn responses(&mut self, doc: usize, base: &str, responses: Option<&Value>) -> Vec<Response> {
        let mut out = Vec::new();
        let Some(map) = responses.and_then(Value::as_object) else { return out };
        for key in map.keys().filter(|k| !k.starts_with("x-")) {
            let at = format!("{base}/{}", escape_pointer(key));
            let Some(status) = StatusKey::parse(key) else {
                self.warn(
                    &(doc, at),
                    "openapi::bad-status",
                    format!("`{key}` is not a status code, a range like `4XX`, or `default`"),
                );
                continue;
            };
            let Some((d, ptr, r)) = self.resolve(doc, &at) else { continue };
            let content = self.content(d, &format!("{ptr}/content"), r.get("content"));
            let mut headers = Vec::new();
            if let Some(hs) = r.get("headers").and_then(Value::as_object) {
                for name in hs.keys() {
                    let Some((hd, hptr, h)) = self.resolve(d, &format!("{ptr}/headers/{}", escape_pointer(name)))
                    else {
                        continue;
                    };
                    headers.push(HeaderSpec {
                        name: name.clone(),
                        required: h.get("required") == Some(&Value::Bool(true)),
                        schema: h.get("schema").map(|_| SchemaLoc { doc: hd, pointer: format!("{hptr}/schema") }),
                    });
                }
            }
            out.push(Response { status, content, headers, at: (d, ptr.clone()) });
        }
        out
    }

    fn check_path_params(&mut self, doc: usize, op_ptr: &str, path: &str, params: &[Parameter]) {
        for name in path_template_names(path) {
            if !params.iter().any(|p| p.location == ParamIn::Path && p.name == name) {
                self.warn(
                    &(doc, op_ptr.to_string()),
                    "openapi::undeclared-path-parameter",
                    format!("path `{path}` uses `{{{name}}}` but the operation declares no path parameter `{name}`"),
                );
            }
        }
    }
}

/// The `{name}` placeholders of a path template.
pub fn path_template_names(path: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut rest = path;
    while let Some(start) = rest.find('{') {
        let Some(len) = rest[start..].find('}') else { break };
        out.push(&rest[start + 1..start + len]);
        rest = &rest[start + len + 1..];
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn status_keys() {
        assert_eq!(StatusKey::parse("404"), Some(StatusKey::Code(404)));
        assert_eq!(StatusKey::parse("4XX"), Some(StatusKey::Range(4)));
        assert_eq!(StatusKey::parse("4xx"), Some(StatusKey::Range(4)));
        assert_eq!(StatusKey::parse("default"), Some(StatusKey::Default));
        assert_eq!(StatusKey::parse("600"), None);
        assert!(StatusKey::Range(4).matches(418));
        assert!(!StatusKey::Range(4).matches(500));
    }

    #[test]
    fn template_names() {
        assert_eq!(path_template_names("/{municipalityId}/cases/{id}"), vec!["municipalityId", "id"]);
    }
}
