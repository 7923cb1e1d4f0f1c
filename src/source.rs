//! Source files and their positions.
//!
//! Every document konform reads (OpenAPI descriptions, specification metadata, requirement
//! lists, scenario suites) is parsed into a `serde_json::Value`, and every later stage refers
//! to places in it by JSON pointer. A pointer is turned back into `file:line:column` only when
//! a diagnostic needs it, by streaming the source through the YAML parser once more. This keeps
//! loading fast and lean for multi-megabyte descriptions while every error can still point at
//! the exact line.
//!
//! The YAML-to-JSON conversion is written here rather than taken from a serde YAML crate
//! because we need both a JSON value and source positions for arbitrary pointers; the maintained
//! YAML crates give one or the other. The tokenizer itself is `saphyr-parser`.

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use saphyr_parser::{Event, Parser, ScalarStyle, Span as YamlSpan};
use serde_json::{Map, Number, Value};

/// Deepest nesting accepted in a YAML or JSON document. Real descriptions stay far below;
/// the limit keeps recursive walkers (and `Drop`) well inside the stack.
pub const MAX_DEPTH: usize = 200;
/// Upper bound on nodes produced by alias expansion ("billion laughs" protection).
const MAX_ALIAS_NODES: usize = 5_000_000;
/// Upper bound on the bytes of text (strings and keys) alias expansion may copy: a few
/// aliases of one huge string are as much a bomb as millions of tiny nodes.
pub const MAX_ALIAS_BYTES: usize = 64 * 1024 * 1024;

/// A file read into memory, with a table of line starts for position conversion.
#[derive(Debug)]
pub struct SourceFile {
    pub path: PathBuf,
    /// The path as shown to users (relative to the working directory when possible).
    pub name: String,
    /// The text, without a UTF-8 byte-order mark.
    pub text: Arc<str>,
    line_starts: Vec<usize>,
    /// The file began with a UTF-8 byte-order mark (stripped from `text`).
    bom: bool,
    /// SHA-256 of the bytes as read, lower-case hex, on first use.
    digest: std::sync::OnceLock<String>,
    /// The text as handed to the YAML parser (see [`relax_quoted_indentation`]).
    yaml_text: std::sync::OnceLock<Result<Arc<str>, YamlError>>,
    /// How many times positions were looked for by reading the whole file (`locate*`):
    /// what must stay bounded however many findings a file has.
    scans: std::sync::atomic::AtomicUsize,
}

/// A byte range in a source file, with its 1-based line and column for display.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Span {
    pub offset: usize,
    pub len: usize,
    pub line: usize,
    pub column: usize,
}

/// Why a document could not be read or parsed.
#[derive(Debug, Clone)]
pub struct ParseError {
    pub message: String,
    pub span: Option<Span>,
}

impl SourceFile {
    /// Reads a file. Invalid UTF-8 and I/O failures become plain messages.
    pub fn read(path: &Path) -> Result<Arc<SourceFile>, String> {
        let bytes = std::fs::read(path).map_err(|e| format!("cannot read {}: {e}", display_path(path)))?;
        let text = String::from_utf8(bytes).map_err(|e| {
            format!("{} is not valid UTF-8 (byte {})", display_path(path), e.utf8_error().valid_up_to())
        })?;
        Ok(Arc::new(SourceFile::from_text(path, text)))
    }

    pub fn from_text(path: &Path, text: String) -> SourceFile {
        let bom = text.starts_with('\u{feff}');
        let text = match text.strip_prefix('\u{feff}') {
            Some(rest) => rest.to_string(),
            None => text,
        };
        let mut line_starts = vec![0];
        line_starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        SourceFile {
            path: path.to_path_buf(),
            name: display_path(path),
            text: text.into(),
            line_starts,
            bom,
            digest: std::sync::OnceLock::new(),
            yaml_text: std::sync::OnceLock::new(),
            scans: std::sync::atomic::AtomicUsize::new(0),
        }
    }

    /// How many times the whole file was read to find positions (see `locate`).
    pub fn scans(&self) -> usize {
        self.scans.load(std::sync::atomic::Ordering::Relaxed)
    }

    /// SHA-256 of the file's bytes as they were read (lower-case hex): the fingerprint of
    /// what was loaded, whatever happens to the file afterwards.
    pub fn sha256_hex(&self) -> &str {
        self.digest.get_or_init(|| {
            use sha2::{Digest, Sha256};
            let mut hasher = Sha256::new();
            if self.bom {
                hasher.update("\u{feff}".as_bytes());
            }
            hasher.update(self.text.as_bytes());
            hex::encode(hasher.finalize())
        })
    }

    /// Whether the content should be read as JSON (by extension, else by its first character).
    pub fn looks_like_json(&self) -> bool {
        match self.path.extension().and_then(|e| e.to_str()) {
            Some("json") => true,
            Some("yaml" | "yml") => false,
            _ => self.text.trim_start().starts_with(['{', '[']),
        }
    }

    /// Parses the file as JSON or YAML into a JSON value.
    pub fn parse(&self) -> Result<Value, ParseError> {
        if self.looks_like_json() {
            match serde_json::from_str::<Value>(&self.text) {
                Ok(v) => return Ok(v),
                Err(e) => {
                    // Some ".json" files are really YAML-ish (comments, trailing commas are not
                    // YAML either); report the JSON error, which names line and column.
                    let span = self.span_at(e.line(), e.column().saturating_sub(1), 1);
                    return Err(ParseError {
                        message: format!("invalid JSON: {}", strip_serde_position(&e.to_string())),
                        span,
                    });
                }
            }
        }
        // The file as it is first: only a file the parser refuses for a quoted scalar's
        // indentation needs the relaxed text, so the others are not parsed an extra time to
        // find out (a third of loading a suite).
        if self.yaml_text.get().is_none() {
            match yaml_to_value(&self.text) {
                Err((message, _)) if message == format!("invalid YAML: {QUOTED_INDENTATION}") => {}
                parsed => {
                    let _ = self.yaml_text.set(Ok(self.text.clone()));
                    return parsed.map_err(|(message, marker)| ParseError {
                        message,
                        span: marker.and_then(|(line, col)| self.span_at(line, col, 1)),
                    });
                }
            }
        }
        let text = self.yaml_text().map_err(|(message, marker)| ParseError {
            message,
            span: marker.and_then(|(line, col)| self.span_at(line, col, 1)),
        })?;
        yaml_to_value(&text).map_err(|(message, marker)| ParseError {
            message,
            span: marker.and_then(|(line, col)| self.span_at(line, col, 1)),
        })
    }

    /// Parses the file as [`parse`](Self::parse) does, and notes where every node is
    /// written as [`locate_all`](Self::locate_all) does, in one pass over the YAML parser's
    /// events where `parse` and `locate_all` make two (a JSON file is parsed as JSON and
    /// located as before).
    pub fn parse_located(&self) -> Result<(Value, Locations), ParseError> {
        if self.looks_like_json() {
            let value = self.parse()?;
            return Ok((value, self.locate_all()));
        }
        let error = |(message, marker): YamlError| ParseError {
            message,
            span: marker.and_then(|(line, col)| self.span_at(line, col, 1)),
        };
        if self.yaml_text.get().is_none() {
            match self.value_and_locations(&self.text) {
                Err((message, _)) if message == format!("invalid YAML: {QUOTED_INDENTATION}") => {}
                parsed => {
                    let _ = self.yaml_text.set(Ok(self.text.clone()));
                    return parsed.map_err(error);
                }
            }
        }
        let text = self.yaml_text().map_err(error)?;
        self.value_and_locations(&text).map_err(error)
    }

    fn value_and_locations(&self, text: &str) -> Result<(Value, Locations), YamlError> {
        self.scans.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let mut builder = ValueBuilder::default();
        let mut out = Locations::default();
        let mut walker = PathWalker::default();
        let mut columns = Columns::new(self);
        for item in Parser::new_from_str(text) {
            let (event, span) = item.map_err(parser_error)?;
            if let Some((pointer, is_key)) = walker.step(&event) {
                note_span(&mut out, &mut columns, pointer, is_key, &event, &span);
            }
            builder.feed(event, span)?;
        }
        Ok((builder.finish(), out))
    }

    /// The text the YAML parser reads: the file's text, with over-strict indentation errors
    /// of quoted scalars relaxed.
    fn yaml_text(&self) -> Result<Arc<str>, YamlError> {
        self.yaml_text.get_or_init(|| relax_quoted_indentation(&self.text)).clone()
    }

    /// Converts a 1-based line and a 0-based character column into a span.
    pub fn span_at(&self, line: usize, col_chars: usize, len_chars: usize) -> Option<Span> {
        Columns::new(self).span(line, col_chars, len_chars)
    }

    fn line_end(&self, idx: usize) -> usize {
        self.line_starts.get(idx + 1).map(|s| s - 1).unwrap_or(self.text.len())
    }

    /// The 0-based line that holds a byte offset.
    pub fn line_index(&self, offset: usize) -> usize {
        self.line_starts.partition_point(|&s| s <= offset).saturating_sub(1)
    }

    /// Where a 0-based line starts (the text's length past the last line).
    pub fn line_start(&self, index: usize) -> usize {
        self.line_starts.get(index).copied().unwrap_or(self.text.len())
    }

    /// The text of a 1-based line (for plain-text messages).
    pub fn line_text(&self, line: usize) -> &str {
        match line.checked_sub(1).and_then(|i| self.line_starts.get(i).map(|s| (i, *s))) {
            Some((i, s)) => self.text[s..self.line_end(i)].trim_end_matches('\r'),
            None => "",
        }
    }

    /// Finds where the values (and keys) at the given JSON pointers are written.
    pub fn locate(&self, pointers: &[&str]) -> Locations {
        let wanted: HashSet<&str> = pointers.iter().copied().collect();
        self.locate_filtered(Some(&wanted))
    }

    /// Positions of every node. Meant for small files (suites, metadata).
    pub fn locate_all(&self) -> Locations {
        self.locate_filtered(None)
    }

    fn locate_filtered(&self, wanted: Option<&HashSet<&str>>) -> Locations {
        self.scans.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let mut out = Locations::default();
        let mut walker = PathWalker::default();
        let mut columns = Columns::new(self);
        let text = self.yaml_text().unwrap_or_else(|_| self.text.clone());
        for item in Parser::new_from_str(&text) {
            let Ok((event, span)) = item else { break };
            let Some((pointer, is_key)) = walker.step(&event) else { continue };
            if wanted.is_none_or(|w| w.contains(pointer.as_str())) {
                note_span(&mut out, &mut columns, pointer, is_key, &event, &span);
            }
        }
        out
    }
}

/// Notes where the node an event starts is written (a scalar's whole text, a collection's
/// first character).
fn note_span(
    out: &mut Locations,
    columns: &mut Columns<'_>,
    pointer: String,
    is_key: bool,
    event: &Event<'_>,
    span: &YamlSpan,
) {
    let len = match event {
        Event::Scalar(..) | Event::Alias(_) => span.end.index().saturating_sub(span.start.index()),
        _ => 1,
    };
    if let Some(s) = columns.span(span.start.line(), span.start.col(), len) {
        let entry = out.map.entry(pointer).or_default();
        if is_key {
            entry.key = Some(s);
        } else {
            entry.value = Some(s);
        }
    }
}

/// Turns (line, character column) positions of a file into spans, remembering the last
/// one: a position after it on the same line is reached by scanning the text between the
/// two, not the line from its start. The parser's events come in the order of the text, so
/// locating any number of nodes costs one scan of the file, even when the file is one long
/// line (minified JSON), where scanning from the line's start for each node would cost the
/// line's length per node.
struct Columns<'a> {
    file: &'a SourceFile,
    /// The last position: its line (from 1), its column in characters and its byte offset.
    last: Option<(usize, usize, usize)>,
}

impl<'a> Columns<'a> {
    fn new(file: &'a SourceFile) -> Columns<'a> {
        Columns { file, last: None }
    }

    /// The span at a 1-based line and a 0-based character column (past the line's end: at
    /// its end), `len_chars` long (at least one character, where there is one).
    fn span(&mut self, line: usize, col_chars: usize, len_chars: usize) -> Option<Span> {
        let line_start = *self.file.line_starts.get(line.checked_sub(1)?)?;
        let line_end = self.file.line_end(line - 1);
        let (from_chars, from_byte) = match self.last {
            Some((l, chars, byte)) if l == line && chars <= col_chars => (chars, byte),
            _ => (0, line_start),
        };
        let offset = from_byte + char_to_byte(&self.file.text[from_byte..line_end], col_chars - from_chars);
        self.last = Some((line, col_chars, offset));
        let rest = &self.file.text[offset..];
        let len = char_to_byte(rest, len_chars.max(1)).max(usize::from(!rest.is_empty()));
        Some(Span { offset, len, line, column: col_chars + 1 })
    }
}

fn char_to_byte(s: &str, chars: usize) -> usize {
    s.char_indices().nth(chars).map(|(i, _)| i).unwrap_or(s.len())
}

fn strip_serde_position(msg: &str) -> String {
    match msg.rfind(" at line ") {
        Some(i) => msg[..i].to_string(),
        None => msg.to_string(),
    }
}

/// Shows a path relative to the current directory when it lies below it.
pub fn display_path(path: &Path) -> String {
    let relative = || {
        if let Ok(rest) = path.strip_prefix(".") {
            return Some(rest.display().to_string());
        }
        let cwd = std::env::current_dir().ok()?;
        path.strip_prefix(&cwd).ok().map(|rel| rel.display().to_string())
    };
    match relative() {
        // The working directory itself.
        Some(rel) if rel.is_empty() => ".".into(),
        Some(rel) => rel,
        None => path.display().to_string(),
    }
}

/// Where a node is written: the value itself and, for mapping entries, its key.
#[derive(Debug, Default, Clone, Copy)]
pub struct NodeSpan {
    pub key: Option<Span>,
    pub value: Option<Span>,
}

#[derive(Debug, Default)]
pub struct Locations {
    map: foldhash::HashMap<String, NodeSpan>,
}

impl Locations {
    /// The value's position; falls back to the nearest ancestor that was located.
    pub fn value(&self, pointer: &str) -> Option<Span> {
        self.nearest(pointer, |n| n.value.or(n.key))
    }
    /// The key's position (for "unknown key" messages); falls back to the value, then ancestors.
    pub fn key(&self, pointer: &str) -> Option<Span> {
        self.nearest(pointer, |n| n.key.or(n.value))
    }
    fn nearest(&self, pointer: &str, pick: impl Fn(&NodeSpan) -> Option<Span>) -> Option<Span> {
        let mut p = pointer;
        loop {
            if let Some(s) = self.map.get(p).and_then(&pick) {
                return Some(s);
            }
            match p.rfind('/') {
                Some(i) => p = &p[..i],
                None => return None,
            }
        }
    }
}

/// Escapes one JSON-pointer segment (RFC 6901).
pub fn escape_pointer(segment: &str) -> Cow<'_, str> {
    if segment.contains(['~', '/']) {
        Cow::Owned(segment.replace('~', "~0").replace('/', "~1"))
    } else {
        Cow::Borrowed(segment)
    }
}

pub fn unescape_pointer(segment: &str) -> String {
    segment.replace("~1", "/").replace("~0", "~")
}

/// Tracks the JSON pointer of the node each parser event starts.
#[derive(Default)]
struct PathWalker {
    /// One frame per open collection: (is_mapping, next index or pending key, expecting_key).
    frames: Vec<Frame>,
    /// Segments of the current path, one per open collection plus the current child.
    segments: Vec<String>,
}

struct Frame {
    mapping: bool,
    index: usize,
    expecting_key: bool,
    /// Depth of key-collections to skip (complex keys are not addressable).
    skipping: usize,
}

impl PathWalker {
    /// Returns the pointer of the node this event starts, and whether it is a mapping key.
    fn step(&mut self, event: &Event<'_>) -> Option<(String, bool)> {
        match event {
            Event::SequenceEnd | Event::MappingEnd => {
                if let Some(top) = self.frames.last_mut() {
                    if top.skipping > 0 {
                        top.skipping -= 1;
                        return None;
                    }
                }
                self.frames.pop();
                self.segments.pop();
                self.after_child();
                None
            }
            Event::Scalar(..) | Event::Alias(_) | Event::SequenceStart(..) | Event::MappingStart(..) => {
                if let Some(top) = self.frames.last_mut() {
                    if top.skipping > 0 {
                        if matches!(event, Event::SequenceStart(..) | Event::MappingStart(..)) {
                            top.skipping += 1;
                        }
                        return None;
                    }
                    if top.mapping && top.expecting_key {
                        match event {
                            Event::Scalar(text, ..) => {
                                let seg = escape_pointer(text).into_owned();
                                *self.segments.last_mut().expect("segment per frame") = seg;
                                top.expecting_key = false;
                                return Some((self.pointer(), true));
                            }
                            Event::SequenceStart(..) | Event::MappingStart(..) => {
                                top.skipping = 1;
                                top.expecting_key = false;
                                *self.segments.last_mut().expect("segment per frame") = String::from("?");
                                return None;
                            }
                            _ => {
                                top.expecting_key = false;
                                return None;
                            }
                        }
                    }
                    if !top.mapping {
                        let idx = top.index;
                        *self.segments.last_mut().expect("segment per frame") = idx.to_string();
                    }
                }
                let pointer = self.pointer();
                match event {
                    Event::SequenceStart(..) | Event::MappingStart(..) => {
                        let mapping = matches!(event, Event::MappingStart(..));
                        self.frames.push(Frame { mapping, index: 0, expecting_key: mapping, skipping: 0 });
                        self.segments.push(String::new());
                    }
                    _ => self.after_child(),
                }
                Some((pointer, false))
            }
            _ => None,
        }
    }

    fn after_child(&mut self) {
        if let Some(top) = self.frames.last_mut() {
            if top.mapping {
                top.expecting_key = true;
            } else {
                top.index += 1;
            }
        }
    }

    fn pointer(&self) -> String {
        // The last segment belongs to the current child; frames' own segments precede it.
        let mut p = String::new();
        for s in &self.segments {
            p.push('/');
            p.push_str(s);
        }
        p
    }
}

type YamlError = (String, Option<(usize, usize)>);

/// At most this many quoted scalars are re-indented before the parser's error stands.
const MAX_RELAXED_SCALARS: usize = 200;

/// Accepts multi-line quoted scalars whose continuation lines are indented no deeper than
/// their key, as libyaml and SnakeYAML do (and emit): real descriptions contain them.
///
/// The YAML spec wants continuation lines indented deeper than the parent; `saphyr` enforces
/// that. Leading white space on continuation lines of a quoted scalar is folded away, so
/// indenting those lines further does not change the value, and no node can start on them,
/// so positions of every node stay the same. Each retry fixes one scalar; the number of
/// retries is bounded so a hostile file cannot make this quadratic without limit.
/// The YAML parser's complaint that [`relax_quoted_indentation`] answers.
const QUOTED_INDENTATION: &str = "invalid indentation in quoted scalar";

fn relax_quoted_indentation(text: &str) -> Result<Arc<str>, YamlError> {
    let mut current: Arc<str> = Arc::from(text);
    for _ in 0..=MAX_RELAXED_SCALARS {
        let error = Parser::new_from_str(&current).find_map(Result::err);
        let Some(error) = error else { return Ok(current) };
        let (line, col) = (error.marker().line(), error.marker().col());
        if error.info() != QUOTED_INDENTATION {
            return Ok(current);
        }
        match reindent_scalar(&current, line, col) {
            Some(fixed) => current = Arc::from(fixed),
            None => return Ok(current),
        }
    }
    Ok(current)
}

/// Re-indents the continuation lines of the quoted scalar starting at (line, col).
fn reindent_scalar(text: &str, line: usize, col: usize) -> Option<String> {
    let line_start = text.split_inclusive('\n').take(line - 1).map(str::len).sum::<usize>();
    let start = line_start + char_to_byte(&text[line_start..], col);
    let quote = text[start..].chars().next().filter(|c| *c == '"' || *c == '\'')?;
    // Find the closing quote.
    let bytes = text.as_bytes();
    let mut i = start + 1;
    let end = loop {
        let b = *bytes.get(i)?;
        if quote == '"' && b == b'\\' {
            i += 2;
            continue;
        }
        if b == quote as u8 {
            if quote == '\'' && bytes.get(i + 1) == Some(&b'\'') {
                i += 2;
                continue;
            }
            break i;
        }
        i += 1;
    };
    let indent = " ".repeat(col + 1);
    let mut out = String::with_capacity(text.len() + 64);
    out.push_str(&text[..start]);
    let mut first = true;
    for piece in text[start..=end].split_inclusive('\n') {
        if first {
            out.push_str(piece);
            first = false;
            continue;
        }
        let trimmed = piece.trim_start_matches([' ', '\t']);
        if trimmed.starts_with(['\n', '\r']) || trimmed.is_empty() {
            out.push_str(piece);
        } else {
            out.push_str(&indent);
            out.push_str(trimmed);
        }
    }
    out.push_str(&text[end + 1..]);
    Some(out)
}

/// Converts YAML text into a JSON value with the YAML 1.2 core schema.
///
/// Mapping keys become strings (`200:` becomes `"200"`, as OpenAPI expects); anchors and
/// aliases are expanded with a size limit; `<<` merge keys are honoured.
pub fn yaml_to_value(text: &str) -> Result<Value, YamlError> {
    let mut builder = ValueBuilder::default();
    for item in Parser::new_from_str(text) {
        let (event, span) = item.map_err(parser_error)?;
        builder.feed(event, span)?;
    }
    Ok(builder.finish())
}

fn parser_error(e: saphyr_parser::ScanError) -> YamlError {
    (format!("invalid YAML: {}", e.info()), Some((e.marker().line(), e.marker().col())))
}

/// Builds a JSON value from the YAML parser's events, one at a time (so that one pass over
/// the events can also note where each node is written, [`SourceFile::parse_located`]).
#[derive(Default)]
struct ValueBuilder {
    stack: Vec<Building>,
    anchors: HashMap<usize, Value>,
    root: Option<Value>,
    documents: usize,
    alias_nodes: usize,
    alias_bytes: usize,
}

enum Building {
    Seq(Vec<Value>, usize),
    /// The map, the key awaiting its value, the anchor, and keys that came from `<<` merges.
    Map(Map<String, Value>, Option<String>, usize, HashSet<String>),
}

impl ValueBuilder {
    fn finish(self) -> Value {
        self.root.unwrap_or(Value::Null)
    }

    fn feed(&mut self, event: Event<'_>, span: YamlSpan) -> Result<(), YamlError> {
        let pos = |s: &YamlSpan| (s.start.line(), s.start.col());
        let stack = &mut self.stack;
        let (value, anchor) = match event {
            Event::DocumentStart(_) => {
                self.documents += 1;
                if self.documents > 1 {
                    return Err(("expected a single YAML document, found a second one".into(), Some(pos(&span))));
                }
                return Ok(());
            }
            Event::SequenceStart(anchor, _) => {
                if stack.len() >= MAX_DEPTH {
                    return Err((format!("nesting deeper than {MAX_DEPTH} levels"), Some(pos(&span))));
                }
                stack.push(Building::Seq(Vec::new(), anchor));
                return Ok(());
            }
            Event::MappingStart(anchor, _) => {
                if stack.len() >= MAX_DEPTH {
                    return Err((format!("nesting deeper than {MAX_DEPTH} levels"), Some(pos(&span))));
                }
                stack.push(Building::Map(Map::new(), None, anchor, HashSet::new()));
                return Ok(());
            }
            Event::SequenceEnd => match stack.pop() {
                Some(Building::Seq(items, anchor)) => (Value::Array(items), anchor),
                _ => return Err(("unbalanced sequence".into(), Some(pos(&span)))),
            },
            Event::MappingEnd => match stack.pop() {
                Some(Building::Map(map, _, anchor, _)) => (Value::Object(map), anchor),
                _ => return Err(("unbalanced mapping".into(), Some(pos(&span)))),
            },
            Event::Scalar(text, style, anchor, tag) => {
                let tag_suffix = tag.as_ref().map(|t| t.suffix.as_str());
                (scalar_value(&text, style, tag_suffix), anchor)
            }
            Event::Alias(id) => {
                let v = self
                    .anchors
                    .get(&id)
                    .cloned()
                    .ok_or_else(|| ("alias to an unknown anchor".to_string(), Some(pos(&span))))?;
                let (nodes, bytes) = weigh(&v);
                self.alias_nodes += nodes;
                self.alias_bytes += bytes;
                if self.alias_nodes > MAX_ALIAS_NODES {
                    return Err(("aliases expand to too many nodes (possible alias bomb)".into(), Some(pos(&span))));
                }
                if self.alias_bytes > MAX_ALIAS_BYTES {
                    return Err((
                        format!(
                            "aliases expand to more than {} MiB of text (possible alias bomb)",
                            MAX_ALIAS_BYTES / (1024 * 1024)
                        ),
                        Some(pos(&span)),
                    ));
                }
                (v, 0)
            }
            _ => return Ok(()),
        };
        if anchor > 0 {
            self.anchors.insert(anchor, value.clone());
        }
        match stack.last_mut() {
            None => self.root = Some(value),
            Some(Building::Seq(items, _)) => items.push(value),
            Some(Building::Map(map, pending, _, merged)) => match pending.take() {
                None => {
                    let key = match value {
                        Value::String(s) => s,
                        Value::Null => "null".into(),
                        Value::Bool(b) => b.to_string(),
                        Value::Number(n) => n.to_string(),
                        _ => {
                            return Err(("mapping keys must be plain values, not collections".into(), Some(pos(&span))))
                        }
                    };
                    if map.contains_key(&key) && key != "<<" && !merged.remove(&key) {
                        return Err((format!("duplicate key `{key}`"), Some(pos(&span))));
                    }
                    *pending = Some(key);
                }
                Some(key) if key == "<<" => merge_into(map, merged, value).map_err(|m| (m, Some(pos(&span))))?,
                Some(key) => {
                    map.insert(key, value);
                }
            },
        }
        Ok(())
    }
}

fn merge_into(map: &mut Map<String, Value>, merged: &mut HashSet<String>, value: Value) -> Result<(), String> {
    let sources = match value {
        Value::Object(m) => vec![m],
        Value::Array(items) => items
            .into_iter()
            .map(|v| match v {
                Value::Object(m) => Ok(m),
                _ => Err("a `<<` merge list may only hold mappings".to_string()),
            })
            .collect::<Result<_, _>>()?,
        _ => return Err("a `<<` merge key needs a mapping".into()),
    };
    for source in sources {
        for (k, v) in source {
            if !map.contains_key(&k) {
                merged.insert(k.clone());
                map.insert(k, v);
            }
        }
    }
    Ok(())
}

/// Nodes in a value and the bytes of text (strings and keys) it holds.
fn weigh(v: &Value) -> (usize, usize) {
    let add = |(n, b): (usize, usize), (n2, b2): (usize, usize)| (n + n2, b + b2);
    match v {
        Value::Array(a) => a.iter().map(weigh).fold((1, 0), add),
        Value::Object(m) => m.iter().map(|(k, v)| add((0, k.len()), weigh(v))).fold((1, 0), add),
        Value::String(s) => (1, s.len()),
        _ => (1, 0),
    }
}

/// Resolves a scalar by the YAML 1.2 core schema; quoted and block scalars are strings.
fn scalar_value(text: &str, style: ScalarStyle, tag: Option<&str>) -> Value {
    match tag {
        Some("str") => return Value::String(text.to_string()),
        Some("null") => return Value::Null,
        _ => {}
    }
    if style != ScalarStyle::Plain {
        return Value::String(text.to_string());
    }
    match text {
        "" | "~" | "null" | "Null" | "NULL" => return Value::Null,
        "true" | "True" | "TRUE" => return Value::Bool(true),
        "false" | "False" | "FALSE" => return Value::Bool(false),
        _ => {}
    }
    if let Some(n) = parse_int(text) {
        return Value::Number(n);
    }
    if is_float(text) {
        if let Some(n) = text.parse::<f64>().ok().and_then(Number::from_f64) {
            return Value::Number(n);
        }
    }
    Value::String(text.to_string())
}

fn parse_int(text: &str) -> Option<Number> {
    let (neg, digits) = match text.as_bytes().first()? {
        b'-' => (true, &text[1..]),
        b'+' => (false, &text[1..]),
        _ => (false, text),
    };
    let (radix, body) = if let Some(h) = digits.strip_prefix("0x") {
        (16, h)
    } else if let Some(o) = digits.strip_prefix("0o") {
        (8, o)
    } else {
        (10, digits)
    };
    if body.is_empty() || !body.chars().all(|c| c.is_digit(radix)) || (radix != 10 && text.starts_with(['-', '+'])) {
        return None;
    }
    if neg {
        i64::from_str_radix(body, radix).ok().map(|v| Number::from(-v))
    } else {
        u64::from_str_radix(body, radix).ok().map(Number::from)
    }
}

fn is_float(text: &str) -> bool {
    let t = text.strip_prefix(['-', '+']).unwrap_or(text);
    let (mantissa, exp) = match t.find(['e', 'E']) {
        Some(i) => (&t[..i], Some(&t[i + 1..])),
        None => (t, None),
    };
    let mantissa_ok = match mantissa.split_once('.') {
        Some((a, b)) => {
            (!a.is_empty() || !b.is_empty())
                && a.bytes().all(|c| c.is_ascii_digit())
                && b.bytes().all(|c| c.is_ascii_digit())
        }
        None => !mantissa.is_empty() && mantissa.bytes().all(|c| c.is_ascii_digit()),
    };
    let exp_ok = exp.is_none_or(|e| {
        let e = e.strip_prefix(['-', '+']).unwrap_or(e);
        !e.is_empty() && e.bytes().all(|c| c.is_ascii_digit())
    });
    mantissa_ok && exp_ok
}

/// The folder every file a catalogue or a document names must stay inside: OpenAPI
/// documents, `$ref` targets, requirement lists, suites and fixtures.
///
/// Checked after symlinks are resolved, so a link inside the folder that points elsewhere is
/// as much outside as `../../etc/passwd`, `/srv/app/.env` or `file:///…`. The check never
/// reads the file it refuses, so no byte of it can reach a diagnostic.
#[derive(Debug, Clone)]
pub struct Boundary {
    /// The folder, with symlinks resolved (as given when it cannot be resolved).
    root: PathBuf,
    /// The folder as the user named it, for messages.
    shown: String,
    of_catalogue: bool,
}

/// The file at the catalogue's root that speaks for the whole catalogue.
pub const CATALOGUE_FILE: &str = "catalogue.yaml";

impl Boundary {
    /// Files named inside a catalogue stay inside its folder.
    pub fn catalogue(dir: &Path) -> Boundary {
        Boundary {
            root: std::fs::canonicalize(dir).unwrap_or_else(|_| dir.to_path_buf()),
            shown: display_path(dir),
            of_catalogue: true,
        }
    }

    /// Files a single document refers to stay inside the folder tree the document is in, or,
    /// for a document inside a catalogue (a folder above it holds `catalogue.yaml`), inside
    /// that catalogue: a specification's description may use the catalogue's information
    /// models wherever it is checked from.
    pub fn document(path: &Path) -> Boundary {
        let real = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
        let dir = real.parent().map(Path::to_path_buf).unwrap_or_default();
        if let Some(catalogue) = dir.ancestors().find(|d| d.join(CATALOGUE_FILE).is_file()) {
            let up = dir.strip_prefix(catalogue).map(|rel| rel.components().count()).unwrap_or(0);
            let named = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
            let shown = display_path(&(0..up).fold(named.to_path_buf(), |p, _| p.join("..")));
            return Boundary { root: catalogue.to_path_buf(), shown, of_catalogue: true };
        }
        let shown = match path.parent() {
            Some(p) if !p.as_os_str().is_empty() => display_path(p),
            _ => ".".into(),
        };
        Boundary { root: dir, shown, of_catalogue: false }
    }

    /// `Ok` when `path` lies inside the folder, or does not exist (reading it will say so);
    /// otherwise why not, in words that name the folder but nothing of the file.
    pub fn admits(&self, path: &Path) -> Result<(), String> {
        let Ok(real) = std::fs::canonicalize(path) else { return Ok(()) };
        if real.starts_with(&self.root) {
            return Ok(());
        }
        let link = std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink());
        let how = if link { "is a symlink to a file outside" } else { "lies outside" };
        Err(if self.of_catalogue {
            format!("{how} the catalogue folder `{}`", self.shown)
        } else {
            format!("{how} the folder of the document (`{}`)", self.shown)
        })
    }

    /// The rule, for a diagnostic's help line.
    pub fn rule(&self) -> &'static str {
        if self.of_catalogue {
            "a catalogue may only name files inside its own folder (after symlinks are followed): copy the file in"
        } else {
            "a document may only refer to files in its own folder or below it (after symlinks are followed)"
        }
    }
}

/// A file's name as reports give it: relative to the catalogue folder `root`, with `/`
/// separators (`case-intake/1.1.0/scenarios/submission.yaml`), so that no path of the
/// tester's machine reaches a report. `None` when the file is not under `root`.
pub fn catalogue_name(root: &Path, path: &Path) -> Option<String> {
    let rel = path.strip_prefix(root).ok()?;
    let parts: Vec<String> = rel.components().map(|c| c.as_os_str().to_string_lossy().into_owned()).collect();
    (!parts.is_empty()).then(|| parts.join("/"))
}

/// SHA-256 of bytes, lower-case hex (as [`SourceFile::sha256_hex`] gives for a file read).
pub fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::{Digest, Sha256};
    hex::encode(Sha256::digest(bytes))
}

/// Whether two paths name the same file (as written, or once resolved).
pub fn same_file(a: &Path, b: &Path) -> bool {
    a == b || matches!((a.canonicalize(), b.canonicalize()), (Ok(x), Ok(y)) if x == y)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn src(text: &str) -> SourceFile {
        SourceFile::from_text(Path::new("t.yaml"), text.to_string())
    }

    #[test]
    fn core_schema_scalars() {
        let v = yaml_to_value("a: 1\nb: '1'\nc: 1.5\nd: true\ne: ~\nf: 0x1F\ng: 1e3\nh: yes\n200: ok\n").unwrap();
        assert_eq!(
            v,
            json!({"a": 1, "b": "1", "c": 1.5, "d": true, "e": null, "f": 31, "g": 1000.0, "h": "yes", "200": "ok"})
        );
    }

    #[test]
    fn anchors_and_merge_keys() {
        let v = yaml_to_value("base: &b {x: 1, y: 2}\nmore:\n  <<: *b\n  y: 3\n").unwrap();
        assert_eq!(v["more"], json!({"x": 1, "y": 3}));
    }

    #[test]
    fn duplicate_keys_are_errors_with_position() {
        let (msg, pos) = yaml_to_value("a: 1\nb: 2\na: 3\n").unwrap_err();
        assert!(msg.contains("duplicate key `a`"), "{msg}");
        assert_eq!(pos, Some((3, 0)));
    }

    #[test]
    fn syntax_errors_have_positions() {
        let f = src("a: [1, 2\nb: 3\n");
        let err = f.parse().unwrap_err();
        assert!(err.message.starts_with("invalid YAML"), "{}", err.message);
        assert!(err.span.is_some());
    }

    #[test]
    fn bom_is_stripped() {
        let f = SourceFile::from_text(Path::new("x.json"), "\u{feff}{\"a\": 1}".into());
        assert_eq!(f.parse().unwrap(), json!({"a": 1}));
    }

    #[test]
    fn deep_nesting_is_refused_not_overflowed() {
        let text = "[".repeat(10_000);
        assert!(yaml_to_value(&text).is_err());
    }

    #[test]
    fn alias_bomb_is_refused() {
        let mut text = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
        for i in 1..9 {
            let p = i - 1;
            text.push_str(&format!(
                "a{i}: &a{i} [*a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}]\n"
            ));
        }
        let (msg, _) = yaml_to_value(&text).unwrap_err();
        assert!(msg.contains("alias bomb"), "{msg}");
    }

    #[test]
    fn alias_bomb_by_bytes_is_refused_at_its_line() {
        // Few nodes, much text: one 1 MiB string aliased a hundred times.
        let mut text = format!("big: &big \"{}\"\nuses:\n", "x".repeat(1024 * 1024));
        for _ in 0..100 {
            text.push_str("  - *big\n");
        }
        let (msg, at) = yaml_to_value(&text).unwrap_err();
        assert!(msg.contains("MiB of text"), "{msg}");
        assert_eq!(at.map(|(line, _)| line), Some(3 + MAX_ALIAS_BYTES / (1024 * 1024)), "{msg}");
        // Some reuse of a large string stays fine.
        let ok = format!("big: &big \"{}\"\nuses: [*big, *big]\n", "x".repeat(1024 * 1024));
        assert!(yaml_to_value(&ok).is_ok());
    }

    /// One pass gives what `parse` and `locate_all` give in two: for a plain file, one the
    /// parser first refuses for a quoted scalar's indentation, and one it refuses outright.
    #[test]
    fn parse_located_is_parse_and_locate_all_in_one_pass() {
        let texts = [
            "paths:\n  /cases/{id}:\n    get: { operationId: getCase, x: [1, &a 2, *a] }\nlist:\n  - a\n  - b: 1\n",
            "a:\n  - name: x\n    d: \"Issuer will\\\n    \\ be removed\"\n    e: 'one\n    two'\n",
        ];
        for text in texts {
            let (one, two) = (src(text), src(text));
            let (value, located) = one.parse_located().unwrap();
            assert_eq!(value, two.parse().unwrap(), "{text}");
            let all = two.locate_all();
            assert_eq!(located.map.len(), all.map.len(), "{text}");
            for pointer in all.map.keys() {
                assert_eq!(located.value(pointer), all.value(pointer), "{pointer} in {text}");
                assert_eq!(located.key(pointer), all.key(pointer), "{pointer} in {text}");
            }
        }
        let refused = src("a: [1, 2\nb: 3\n");
        assert_eq!(refused.parse_located().unwrap_err().message, src("a: [1, 2\nb: 3\n").parse().unwrap_err().message);
    }

    #[test]
    fn locates_values_and_keys() {
        let f = src("paths:\n  /cases/{id}:\n    get:\n      operationId: getCase\nlist:\n  - a\n  - b: 1\n");
        let loc = f.locate_all();
        let v = loc.value("/paths/~1cases~1{id}/get/operationId").unwrap();
        assert_eq!((v.line, v.column), (4, 20));
        assert_eq!(&f.text[v.offset..v.offset + v.len], "getCase");
        let k = loc.key("/paths/~1cases~1{id}/get/operationId").unwrap();
        assert_eq!((k.line, k.column), (4, 7));
        let b = loc.value("/list/1/b").unwrap();
        assert_eq!(b.line, 7);
        // Unknown pointers fall back to the nearest located ancestor.
        assert_eq!(loc.value("/list/1/nope").unwrap().line, 7);
    }

    #[test]
    fn quoted_scalars_indented_like_libyaml_are_accepted() {
        let text = "a:\n  - name: x\n    d: \"Issuer will\\\n    \\ be removed\"\n    e: 'one\n    two'\n";
        let f = src(text);
        assert_eq!(f.parse().unwrap(), json!({"a": [{"name": "x", "d": "Issuer will be removed", "e": "one two"}]}));
        // Positions are those of the original text.
        assert_eq!(f.locate_all().value("/a/0/e").unwrap().line, 5);
    }

    #[test]
    fn locates_only_the_pointers_asked_for() {
        let f = src("a:\n  b: 1\n  c:\n    - x\n    - y\n");
        let loc = f.locate(&["/a/b", "/a/c", "/a/c/1", "/nope"]);
        let line = |p: &str| loc.key(p).map(|s| s.line);
        assert_eq!((line("/a/b"), line("/a/c"), line("/a/c/1")), (Some(2), Some(3), Some(5)));
        // A pointer not asked for falls back to the nearest ancestor that was asked for.
        assert_eq!((line("/a/c/0"), line("/nope"), line("/a")), (Some(3), None, None));
    }

    #[test]
    fn locates_every_node_of_one_long_line() {
        // Minified JSON with characters of two, three and four bytes before, between and
        // inside the located nodes: each span is the node's own text.
        let text = r#"{"år":"ä","b":[1,{"ö":"€x"}],"c":"𝄞","d":{"e":[true,null]}}"#;
        let f = SourceFile::from_text(Path::new("x.json"), text.into());
        let loc = f.locate_all();
        let at = |span: Span| &f.text[span.offset..span.offset + span.len];
        let value = |p: &str| at(loc.value(p).unwrap());
        assert_eq!(at(loc.key("/år").unwrap()), "\"år\"");
        assert_eq!(value("/år"), "\"ä\"");
        assert_eq!(value("/b/0"), "1");
        assert_eq!(at(loc.key("/b/1/ö").unwrap()), "\"ö\"");
        assert_eq!(value("/b/1/ö"), "\"€x\"");
        assert_eq!(value("/c"), "\"𝄞\"");
        assert_eq!(value("/d/e/1"), "null");
        // Columns count characters, as the span of a single position does.
        for p in ["/år", "/b/1/ö", "/c", "/d/e/1"] {
            let s = loc.value(p).unwrap();
            assert_eq!(s.line, 1);
            assert_eq!(f.span_at(1, s.column - 1, 1).unwrap().offset, s.offset, "{p}");
        }
        // Asked for out of the text's order, positions are still right.
        let mut columns = Columns::new(&f);
        let later = columns.span(1, 30, 1).unwrap();
        let earlier = columns.span(1, 3, 1).unwrap();
        assert_eq!(&f.text[earlier.offset..earlier.offset + earlier.len], "r");
        assert_eq!(later.offset, f.span_at(1, 30, 1).unwrap().offset);
    }

    #[test]
    fn locates_in_json() {
        let f = SourceFile::from_text(Path::new("x.json"), "{\n  \"a\": {\n    \"b\": [1, 2]\n  }\n}\n".into());
        let loc = f.locate(&["/a/b/1"]);
        let s = loc.value("/a/b/1").unwrap();
        assert_eq!((s.line, s.column), (3, 14));
    }
}
