//! `$ref` handling: loading the files a description refers to, and resolving references.
//!
//! References are resolved relative to the file they are written in. Remote (`http(s)`)
//! references are refused unless the caller explicitly allows them; konform never fetches
//! anything silently.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::path::Path;
use std::sync::Arc;

use percent_encoding::percent_decode_str;
use serde_json::Value;
use url::Url;

use super::{Doc, LoadOptions};
use crate::diag::{did_you_mean, Diag, Placed};
use crate::source::{escape_pointer, unescape_pointer, SourceFile};

/// Longest chain of `$ref`s to `$ref`s followed before calling it a cycle.
const MAX_HOPS: usize = 64;

/// One `$ref` as written: in which document, at which pointer (of the object holding it).
struct RefSite {
    doc: usize,
    pointer: String,
    reference: String,
}

pub struct DocSet {
    docs: Vec<Doc>,
    sites: Vec<RefSite>,
    options: LoadOptions,
    /// Files that could not be loaded (already reported): references into them are skipped.
    failed: std::collections::HashSet<String>,
}

impl DocSet {
    pub fn new(root: Arc<SourceFile>, value: Value, options: LoadOptions) -> DocSet {
        let uri = if options.built_in {
            Url::from_file_path(Path::new(BUILT_IN_ROOT).join(&root.path))
                .map(|u| u.to_string())
                .unwrap_or_else(|_| file_uri(&root.path))
        } else {
            file_uri(&root.path)
        };
        DocSet {
            docs: vec![Doc { file: root, uri, value: Arc::new(value) }],
            sites: Vec::new(),
            options,
            failed: Default::default(),
        }
    }

    pub fn into_docs(self) -> Vec<Doc> {
        self.docs
    }

    /// Loads, transitively, every file named by a `$ref`.
    pub fn load_referenced(&mut self) -> Vec<Diag> {
        let mut errors = Placed::default();
        let mut next = 0;
        while next < self.docs.len() {
            let doc = next;
            next += 1;
            let mut found = Vec::new();
            collect_refs(&self.docs[doc].value, &mut String::new(), &mut found, 0);
            for (pointer, reference) in found {
                let site = RefSite { doc, pointer, reference };
                if let Some(target) = self.file_part(&site) {
                    match target {
                        Ok(url) => {
                            let key = url.as_str().to_string();
                            if self.doc_by_uri(&key).is_none() && !self.failed.contains(&key) {
                                if let Err(diag) = self.load_confined(&url, &site.reference) {
                                    self.failed.insert(key);
                                    self.site_diag(&mut errors, &site, diag);
                                }
                            }
                        }
                        Err(message) => {
                            self.failed.insert(site.reference.clone());
                            let help = "download the file next to the description and refer to it by a relative path, or pass --allow-remote-refs";
                            self.site_diag(&mut errors, &site, Diag::error("openapi::remote-ref", message).help(help));
                        }
                    }
                }
                self.sites.push(site);
            }
        }
        errors.finish()
    }

    /// The file a reference names, if it names another file than its own.
    fn file_part(&self, site: &RefSite) -> Option<Result<Url, String>> {
        let file = site.reference.split('#').next().unwrap_or("");
        if file.is_empty() {
            return None;
        }
        let base = Url::parse(&self.docs[site.doc].uri).ok()?;
        let url = match base.join(file) {
            Ok(u) => u,
            Err(e) => return Some(Err(format!("`$ref: {}` is not a valid reference: {e}", site.reference))),
        };
        let mut url = url;
        url.set_fragment(None);
        if matches!(url.scheme(), "http" | "https") && !self.options.allow_remote_refs {
            return Some(Err(format!(
                "`$ref: {}` points at a remote document, which konform does not fetch",
                site.reference
            )));
        }
        Some(Ok(url))
    }

    /// Loads the file a reference names, if it is not a local file outside the boundary.
    fn load_confined(&mut self, url: &Url, reference: &str) -> Result<(), Diag> {
        if self.options.built_in {
            let name = url
                .to_file_path()
                .ok()
                .and_then(|p| p.strip_prefix(BUILT_IN_ROOT).ok().map(Path::to_path_buf))
                .map(|p| {
                    p.components().map(|c| c.as_os_str().to_string_lossy().into_owned()).collect::<Vec<_>>().join("/")
                })
                .ok_or_else(|| {
                    Diag::error(
                        "openapi::ref-outside",
                        format!("`$ref: {reference}` lies outside the built-in catalogue"),
                    )
                })?;
            let file = built_in_file(&name).map_err(|m| Diag::error("openapi::ref-file", m))?;
            return self.add(file, url).map_err(|m| Diag::error("openapi::ref-file", m));
        }
        if let ("file", Ok(path), Some(boundary)) = (url.scheme(), url.to_file_path(), &self.options.boundary) {
            if let Err(outside) = boundary.admits(&path) {
                let message = format!("`$ref: {reference}` {outside}");
                return Err(Diag::error("openapi::ref-outside", message).help(boundary.rule()));
            }
        }
        self.load_url(url).map_err(|message| Diag::error("openapi::ref-file", message))
    }

    fn load_url(&mut self, url: &Url) -> Result<(), String> {
        let file = match url.scheme() {
            "file" => {
                let path = url.to_file_path().map_err(|_| format!("cannot turn {url} into a file path"))?;
                let redirected = self.options.redirect.iter().find(|(from, _)| crate::source::same_file(from, &path));
                SourceFile::read(redirected.map_or(&path, |(_, to)| to))?
            }
            "http" | "https" => {
                fetch_remote(url, self.options.max_remote_bytes.unwrap_or(crate::net::DEFAULT_MAX_BODY))?
            }
            other => return Err(format!("unsupported reference scheme `{other}`")),
        };
        self.add(file, url)
    }

    /// Parses a file read for a reference and adds it to the set.
    fn add(&mut self, file: Arc<SourceFile>, url: &Url) -> Result<(), String> {
        let value = file.parse().map_err(|e| {
            let at = e.span.map(|s| format!(":{}:{}", s.line, s.column)).unwrap_or_default();
            format!("{}{at}: {}", file.name, e.message)
        })?;
        if !matches!(value, Value::Object(_) | Value::Array(_) | Value::Bool(_)) {
            // A `.env` or a password file reads as one YAML string: refuse it without
            // echoing it (a schema compiler's error would quote the whole value).
            return Err(format!(
                "{} is not a YAML or JSON document (it holds a single {})",
                file.name,
                kind_of(&value)
            ));
        }
        self.docs.push(Doc { file, uri: url.as_str().to_string(), value: Arc::new(value) });
        Ok(())
    }

    fn doc_by_uri(&self, uri: &str) -> Option<usize> {
        self.docs.iter().position(|d| d.uri == uri)
    }

    /// Checks that every reference resolves and that no chain of references loops.
    pub fn check_refs(&self) -> Vec<Diag> {
        let resolver = Resolver::new(&self.docs);
        let mut errors = Placed::default();
        for site in &self.sites {
            if self.failed.contains(&site.reference) || self.target_file_failed(site) {
                continue;
            }
            match resolver.target(site.doc, &site.reference) {
                Err(message) => {
                    let help = resolver.suggest(site.doc, &site.reference);
                    self.site_diag(&mut errors, site, Diag::error("openapi::unresolved-ref", message).with_help(help));
                }
                Ok((doc, pointer)) => {
                    if let Err(message) = resolver.deref(doc, &pointer) {
                        self.site_diag(&mut errors, site, Diag::error("openapi::ref-cycle", message));
                    }
                }
            }
        }
        errors.finish()
    }

    fn target_file_failed(&self, site: &RefSite) -> bool {
        matches!(self.file_part(site), Some(Ok(url)) if self.failed.contains(url.as_str()))
    }

    fn site_diag(&self, errors: &mut Placed, site: &RefSite, diag: Diag) {
        let diag = diag.label(format!("$ref: {}", site.reference));
        errors.push(diag, &self.docs[site.doc].file, &format!("{}/$ref", site.pointer));
    }
}

fn kind_of(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::String(_) => "string",
        Value::Number(_) => "number",
        _ => "value",
    }
}

fn fetch_remote(url: &Url, limit: usize) -> Result<Arc<SourceFile>, String> {
    crate::net::fetch_text(url.as_str(), limit)
        .map(|text| Arc::new(SourceFile::from_text(std::path::Path::new(url.as_str()), text)))
        .map_err(|e| e.to_string())
}

/// Collects `(pointer of the object, reference)` for every `$ref` in a value.
fn collect_refs(value: &Value, pointer: &mut String, out: &mut Vec<(String, String)>, depth: usize) {
    if depth > crate::source::MAX_DEPTH {
        return;
    }
    match value {
        Value::Object(map) => {
            // A linear look at the keys: most objects are small, and hashing `$ref` for
            // each of them cost more than comparing (a sixth of loading GitHub's description).
            if let Some((_, Value::String(r))) = map.iter().find(|(k, _)| k.as_str() == "$ref") {
                out.push((pointer.clone(), r.clone()));
            }
            for (k, v) in map {
                if v.is_object() || v.is_array() {
                    let len = pointer.len();
                    pointer.push('/');
                    pointer.push_str(&escape_pointer(k));
                    collect_refs(v, pointer, out, depth + 1);
                    pointer.truncate(len);
                }
            }
        }
        Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                if v.is_object() || v.is_array() {
                    let len = pointer.len();
                    pointer.push('/');
                    let _ = write!(pointer, "{i}");
                    collect_refs(v, pointer, out, depth + 1);
                    pointer.truncate(len);
                }
            }
        }
        _ => {}
    }
}

/// The URI a local file is known by.
/// Where the files of the built-in catalogue are said to be (nothing is read there).
const BUILT_IN_ROOT: &str = "/konform-built-in-catalogue";

/// A file of the catalogue built into konform, by its path in it.
pub fn built_in_file(name: &str) -> Result<Arc<SourceFile>, String> {
    let file = crate::catalogue::embedded::FILES
        .iter()
        .find(|f| f.path == name)
        .ok_or_else(|| format!("the built-in catalogue has no file {name}"))?;
    let text = std::str::from_utf8(file.bytes).map_err(|_| format!("{name} in the built-in catalogue is not UTF-8"))?;
    Ok(Arc::new(SourceFile::from_text(Path::new(name), text.to_string())))
}

pub fn file_uri(path: &std::path::Path) -> String {
    let abs = std::fs::canonicalize(path)
        .unwrap_or_else(|_| std::env::current_dir().map(|d| d.join(path)).unwrap_or_else(|_| path.to_path_buf()));
    Url::from_file_path(&abs).map(|u| u.to_string()).unwrap_or_else(|_| format!("file://{}", abs.display()))
}

/// Resolves references between loaded documents.
pub struct Resolver<'a> {
    docs: &'a [Doc],
    by_uri: HashMap<&'a str, usize>,
}

impl<'a> Resolver<'a> {
    pub fn new(docs: &'a [Doc]) -> Resolver<'a> {
        Resolver { docs, by_uri: docs.iter().enumerate().map(|(i, d)| (d.uri.as_str(), i)).collect() }
    }

    /// Where a reference written in document `from` points: (document, JSON pointer).
    pub fn target(&self, from: usize, reference: &str) -> Result<(usize, String), String> {
        let (file, fragment) = reference.split_once('#').unwrap_or((reference, ""));
        let doc = if file.is_empty() {
            from
        } else {
            let base = Url::parse(&self.docs[from].uri).map_err(|e| e.to_string())?;
            let mut url = base.join(file).map_err(|e| format!("`$ref: {reference}` is not a valid reference: {e}"))?;
            url.set_fragment(None);
            *self.by_uri.get(url.as_str()).ok_or_else(|| format!("`$ref: {reference}`: the file was not loaded"))?
        };
        let pointer = percent_decode_str(fragment).decode_utf8_lossy().into_owned();
        if !pointer.is_empty() && !pointer.starts_with('/') {
            // A plain-name fragment (`#foo`) addresses a 3.1 `$anchor`; leave it to the validator.
            return Ok((doc, String::new()));
        }
        if crate::model::pointer::get(&self.docs[doc].value, &pointer).is_none() {
            let where_ = if file.is_empty() { String::from("this document") } else { self.docs[doc].file.name.clone() };
            return Err(format!("unresolved `$ref: {reference}`: there is no `{pointer}` in {where_}"));
        }
        Ok((doc, pointer))
    }

    /// Follows a chain of references from a location to the object it finally denotes.
    pub fn deref(&self, doc: usize, pointer: &str) -> Result<(usize, String), String> {
        self.resolve(doc, pointer).map(|(d, p, _)| (d, p))
    }

    /// The value at a location, following references (each place looked up once).
    pub fn resolve(&self, doc: usize, pointer: &str) -> Result<(usize, String, &'a Value), String> {
        let (mut doc, mut pointer) = (doc, pointer.to_string());
        for _ in 0..MAX_HOPS {
            let value = crate::model::pointer::get(&self.docs[doc].value, &pointer)
                .ok_or_else(|| format!("nothing at `{pointer}`"))?;
            match value.get("$ref").and_then(Value::as_str) {
                Some(r) => (doc, pointer) = self.target(doc, r)?,
                None => return Ok((doc, pointer, value)),
            }
        }
        Err(format!("cyclic `$ref` chain starting at `{pointer}`: each reference only names another reference"))
    }

    pub fn value(&self, doc: usize, pointer: &str) -> Option<&'a Value> {
        crate::model::pointer::get(&self.docs[doc].value, pointer)
    }

    /// Suggests a close name for the last segment of an unresolved pointer.
    fn suggest(&self, from: usize, reference: &str) -> Option<String> {
        let (file, fragment) = reference.split_once('#')?;
        let doc = if file.is_empty() { from } else { self.target(from, file).ok()?.0 };
        let pointer = percent_decode_str(fragment).decode_utf8_lossy().into_owned();
        let (parent, last) = pointer.rsplit_once('/')?;
        let siblings = crate::model::pointer::get(&self.docs[doc].value, parent)?.as_object()?;
        did_you_mean(&unescape_pointer(last), siblings.keys().map(String::as_str))
    }
}
