//! Diagnostics: findings about input files, rendered like compiler errors.
//!
//! Every static finding (a malformed document, an unknown operation, an uncovered
//! requirement) is a [`Diag`]: a message, a severity, and where it was written. They are
//! collected, not thrown, so one `konform check` reports every mistake at once.

use std::fmt;
use std::sync::Arc;

use miette::{GraphicalReportHandler, GraphicalTheme, LabeledSpan, NamedSource, Severity, SourceCode};

use crate::source::{SourceFile, Span};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    Error,
    Warning,
}

#[derive(Debug, Clone)]
pub struct Diag {
    pub level: Level,
    /// A stable, short code such as `suite::unknown-operation`.
    pub code: &'static str,
    pub message: String,
    pub file: Option<Arc<SourceFile>>,
    pub span: Option<Span>,
    pub label: Option<String>,
    pub help: Option<String>,
    source: Option<NamedSource<Lines>>,
}

impl Diag {
    pub fn error(code: &'static str, message: impl Into<String>) -> Diag {
        Diag {
            level: Level::Error,
            code,
            message: message.into(),
            file: None,
            span: None,
            label: None,
            help: None,
            source: None,
        }
    }

    pub fn warning(code: &'static str, message: impl Into<String>) -> Diag {
        Diag { level: Level::Warning, ..Diag::error(code, message) }
    }

    /// Attaches the file and, when known, the position in it.
    pub fn at(mut self, file: &Arc<SourceFile>, span: Option<Span>) -> Diag {
        self.source = Some(NamedSource::new(file.name.clone(), Lines(file.clone())).with_language(language_of(file)));
        self.file = Some(file.clone());
        self.span = span;
        self
    }

    pub fn label(mut self, label: impl Into<String>) -> Diag {
        self.label = Some(label.into());
        self
    }

    pub fn help(mut self, help: impl Into<String>) -> Diag {
        self.help = Some(help.into());
        self
    }

    pub fn with_help(self, help: Option<String>) -> Diag {
        match help {
            Some(h) => self.help(h),
            None => self,
        }
    }

    /// `file:line:column` (or just the file) for plain one-line output.
    pub fn location(&self) -> Option<String> {
        let file = self.file.as_ref()?;
        Some(match self.span {
            Some(s) => format!("{}:{}:{}", file.name, s.line, s.column),
            None => file.name.clone(),
        })
    }
}

fn language_of(file: &SourceFile) -> &'static str {
    if file.looks_like_json() {
        "json"
    } else {
        "yaml"
    }
}

impl fmt::Display for Diag {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Diag {}

impl miette::Diagnostic for Diag {
    fn code<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        Some(Box::new(self.code))
    }
    fn severity(&self) -> Option<Severity> {
        Some(match self.level {
            Level::Error => Severity::Error,
            Level::Warning => Severity::Warning,
        })
    }
    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        self.help.as_ref().map(|h| Box::new(h) as Box<dyn fmt::Display>)
    }
    fn source_code(&self) -> Option<&dyn SourceCode> {
        self.span?;
        self.source.as_ref().map(|s| s as &dyn SourceCode)
    }
    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        let span = self.span?;
        let label = LabeledSpan::new(Some(self.label.clone().unwrap_or_else(|| "here".into())), span.offset, span.len);
        Some(Box::new(std::iter::once(label)))
    }
}

/// A file as miette reads it for a snippet: only the lines around the span, found through
/// the file's table of line starts. (miette's own `str` source counts lines from the start
/// of the file for every snippet, which made thousands of findings in a 13 MB document take
/// minutes.)
#[derive(Debug, Clone)]
struct Lines(Arc<SourceFile>);

impl SourceCode for Lines {
    fn read_span<'a>(
        &'a self,
        span: &miette::SourceSpan,
        context_lines_before: usize,
        context_lines_after: usize,
    ) -> Result<Box<dyn miette::SpanContents<'a> + 'a>, miette::MietteError> {
        let file = &self.0;
        let first = file.line_index(span.offset()).saturating_sub(context_lines_before);
        let last = file.line_index(span.offset() + span.len().saturating_sub(1)) + context_lines_after + 1;
        let start = file.line_start(first);
        let end = file.line_start(last + 1).min(file.text.len());
        let window = file.text.get(start..end).ok_or(miette::MietteError::OutOfBounds)?;
        let local = miette::SourceSpan::new((span.offset().saturating_sub(start)).into(), span.len());
        let c = window.read_span(&local, context_lines_before, context_lines_after)?;
        let at = miette::SourceSpan::new((c.span().offset() + start).into(), c.span().len());
        Ok(Box::new(miette::MietteSpanContents::new(
            c.data(),
            at,
            c.line() + first,
            c.column(),
            c.line_count() + first,
        )))
    }
}

/// Diagnostics placed by JSON pointer. Finding a pointer's line re-reads its file, so the
/// positions are found in one pass per file when the collection is finished.
#[derive(Default)]
pub struct Placed {
    pending: Vec<(Diag, Arc<SourceFile>, String, bool)>,
}

impl Placed {
    /// A diagnostic about the value at `pointer` in `file`.
    pub fn push(&mut self, diag: Diag, file: &Arc<SourceFile>, pointer: &str) {
        self.pending.push((diag, file.clone(), pointer.to_string(), false));
    }

    pub fn is_empty(&self) -> bool {
        self.pending.is_empty()
    }

    /// How many diagnostics were pushed.
    pub fn len(&self) -> usize {
        self.pending.len()
    }

    /// The diagnostics, in the order pushed, each with its file and position.
    pub fn finish(self) -> Vec<Diag> {
        let mut by_file: Vec<(Arc<SourceFile>, Vec<&str>)> = Vec::new();
        for (_, file, pointer, _) in &self.pending {
            match by_file.iter_mut().find(|(f, _)| Arc::ptr_eq(f, file)) {
                Some((_, pointers)) => pointers.push(pointer),
                None => by_file.push((file.clone(), vec![pointer])),
            }
        }
        let located: Vec<_> = by_file.iter().map(|(f, pointers)| (f.clone(), f.locate(pointers))).collect();
        self.pending
            .into_iter()
            .map(|(diag, file, pointer, at_key)| {
                let loc = located.iter().find(|(f, _)| Arc::ptr_eq(f, &file)).map(|(_, l)| l);
                let span = loc.and_then(|l| if at_key { l.key(&pointer) } else { l.value(&pointer) });
                diag.at(&file, span)
            })
            .collect()
    }
}

/// Lines longer than this are not drawn as a source snippet.
const MAX_SNIPPET_LINE: usize = 400;

/// Renders diagnostics for a terminal or a log.
pub struct Renderer {
    handler: GraphicalReportHandler,
    color: bool,
}

impl Renderer {
    pub fn new(color: bool) -> Renderer {
        let theme = if color { GraphicalTheme::unicode() } else { GraphicalTheme::unicode_nocolor() };
        Renderer { handler: GraphicalReportHandler::new_themed(theme).with_context_lines(1).with_width(100), color }
    }

    /// Whether output is coloured (`--color`), for what is written beside diagnostics.
    pub fn color(&self) -> bool {
        self.color
    }

    pub fn render(&self, diag: &Diag) -> String {
        // miette cannot draw a snippet of an extremely long line (minified JSON): show the
        // position in the message instead.
        if let (Some(file), Some(span)) = (&diag.file, diag.span) {
            if file.line_text(span.line).len() > MAX_SNIPPET_LINE {
                let mut plain = diag.clone();
                plain.message = format!("{} (at {}:{}:{})", diag.message, file.name, span.line, span.column);
                plain.span = None;
                plain.file = None;
                return self.render(&plain);
            }
        }
        let mut out = String::new();
        if self.handler.render_report(&mut out, diag).is_err() {
            out = format!("{}: {}", diag.location().unwrap_or_default(), diag.message);
        }
        // Files without a position still name the file.
        if diag.span.is_none() {
            if let Some(file) = &diag.file {
                out.push_str(&format!("  in {}\n", file.name));
            }
        }
        out
    }
}

/// Suggests the closest candidate for a misspelt name ("did you mean getCase?").
pub fn did_you_mean<'a>(name: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<String> {
    let lower = name.to_lowercase();
    candidates
        .into_iter()
        .map(|c| (strsim::jaro_winkler(&lower, &c.to_lowercase()), c))
        .filter(|(score, _)| *score > 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, c)| format!("did you mean `{c}`?"))
}

/// [`did_you_mean`] for a one-line message: " (did you mean `x`?)", or nothing.
pub fn did_you_mean_aside<'a>(name: &str, candidates: impl IntoIterator<Item = &'a str>) -> String {
    did_you_mean(name, candidates).map(|h| format!(" ({h})")).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_close_names_only() {
        let ops = ["getCase", "listCases", "submitCase"];
        assert_eq!(did_you_mean("getcase", ops).as_deref(), Some("did you mean `getCase`?"));
        assert_eq!(did_you_mean("deleteEverything", ops), None);
    }

    #[test]
    fn renders_file_line_and_caret() {
        let file = Arc::new(SourceFile::from_text(
            std::path::Path::new("suite.yaml"),
            "steps:\n  - operation: getcase\n".into(),
        ));
        let span = file.span_at(2, 15, 7);
        let d = Diag::error("suite::unknown-operation", "unknown operation `getcase`")
            .at(&file, span)
            .help("did you mean `getCase`?");
        let text = Renderer::new(false).render(&d);
        assert!(text.contains("suite.yaml:2:16"), "{text}");
        assert!(text.contains("operation: getcase"), "{text}");
        assert!(text.contains("did you mean `getCase`?"), "{text}");
    }

    #[test]
    fn a_snippet_from_the_lines_around_reads_as_one_from_the_whole_file() {
        let text: String = (1..=40).map(|i| format!("line{i}: {}\r\n", "x".repeat(i % 7))).collect();
        let file = Arc::new(SourceFile::from_text(std::path::Path::new("big.yaml"), text.clone()));
        let handler = GraphicalReportHandler::new_themed(GraphicalTheme::unicode_nocolor()).with_context_lines(1);
        for (line, col, len) in [(1, 0, 5), (2, 3, 4), (20, 0, 6), (39, 2, 3), (40, 0, 6)] {
            let span = file.span_at(line, col, len).unwrap();
            let windowed = Diag::error("x", "m").at(&file, Some(span));
            let mut whole = windowed.clone();
            whole.source = None;
            let plain = miette::Report::new(whole).with_source_code(NamedSource::new("big.yaml", text.clone()));
            let (mut a, mut b) = (String::new(), String::new());
            handler.render_report(&mut a, &windowed).unwrap();
            handler.render_report(&mut b, plain.as_ref()).unwrap();
            assert_eq!(a, b, "line {line}");
            assert!(a.contains(&format!("big.yaml:{line}:{}", col + 1)), "{a}");
        }
    }
}
