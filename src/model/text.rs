//! Short, single-line renderings of values and text for messages.

use serde_json::Value;

/// A short, single-line rendering of a JSON value for messages.
pub fn show(value: &Value) -> String {
    let text = match value {
        Value::String(s) => format!("\"{s}\""),
        other => other.to_string(),
    };
    shorten(&text, 200)
}

pub fn shorten(text: &str, max: usize) -> String {
    let one_line: String = text.chars().map(|c| if c == '\n' || c == '\r' { ' ' } else { c }).collect();
    if one_line.chars().count() <= max {
        one_line
    } else {
        let cut: String = one_line.chars().take(max).collect();
        format!("{cut}…")
    }
}

/// Text fit to print on one line of a terminal or a text file: control characters
/// (newlines, escape sequences, BEL, NUL, C1 controls) and the Unicode controls that reorder
/// or hide text are written as `\u{…}`, so text from a vendor or a file can neither end a
/// line nor drive the terminal.
pub fn printable(text: &str) -> String {
    if !text.chars().any(needs_escape) {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if needs_escape(c) {
            out.push_str(&format!("\\u{{{:x}}}", c as u32));
        } else {
            out.push(c);
        }
    }
    out
}

fn needs_escape(c: char) -> bool {
    c.is_control() || matches!(c, '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// Escapes text for HTML.
pub fn esc(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// `text` after `lead`, broken at spaces into lines of at most `width` columns, each later
/// line after `pad` (colour codes take no room). A word longer than a line, such as a URL
/// or `case-intake@1.0.0`, keeps a line of its own, unbroken. Without a width (a log, a
/// file) the text stays on one line.
pub fn wrap(text: &str, width: Option<usize>, lead: &str, pad: &str) -> String {
    let Some(width) = width else { return format!("{lead}{text}") };
    let options = textwrap::Options::new(width)
        .initial_indent(lead)
        .subsequent_indent(pad)
        .word_separator(textwrap::WordSeparator::AsciiSpace)
        .word_splitter(textwrap::WordSplitter::NoHyphenation)
        .break_words(false);
    textwrap::fill(text, options)
}

/// The colour a verdict or a level is shown in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tone {
    /// Passed, certified: green.
    Good,
    /// Failed, not certified, a MUST: bold red.
    Bad,
    /// Skipped, blocked, a SHOULD: yellow.
    Doubtful,
}

/// `text` in the tone's colour, when colour is on (`--color`); as it is otherwise.
pub fn paint(text: &str, tone: Tone, color: bool) -> String {
    use anstyle::{AnsiColor, Style};
    let style = match tone {
        Tone::Good => Style::new().fg_color(Some(AnsiColor::Green.into())),
        Tone::Bad => Style::new().fg_color(Some(AnsiColor::Red.into())).bold(),
        Tone::Doubtful => Style::new().fg_color(Some(AnsiColor::Yellow.into())),
    };
    if color {
        format!("{style}{text}{style:#}")
    } else {
        text.to_string()
    }
}
