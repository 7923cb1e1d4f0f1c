//! A [`Diff`] for people and machines: `human` (the terminal, grouped by class and then
//! operation), `json` (every field, in the diff's order, with the English text beside the
//! data) and `markdown` (a changelog a catalogue page can include). Every text is from the
//! message catalogue; every name from a document is quoted for the output it goes to, with
//! control characters escaped.

use std::io::{self, Write};

use serde_json::{json, Value};

use super::{Change, ChangeClass, ChangeKind, ChangePlace, Diff, DiffNote};
use crate::messages::{ChangeWords, DiffText, Lang, Level};
use crate::model::printable;
use crate::model::text::esc;

/// How names and texts are quoted for one output.
struct Quote {
    code: fn(&str) -> String,
    text: fn(&str) -> String,
}

const TERMINAL: Quote = Quote { code: |s| format!("`{}`", printable(s)), text: printable };

const MARKDOWN: Quote = Quote { code: md_code, text: md_text };

const HTML: Quote = Quote { code: |s| format!("<code>{}</code>", esc(&printable(s))), text: |s| esc(&printable(s)) };

/// A value as the words show it: strings and numbers quoted as code, lists joined.
fn value(v: &Value, q: &Quote) -> String {
    match v {
        Value::String(s) => (q.code)(s),
        Value::Array(items) => items.iter().map(|i| value(i, q)).collect::<Vec<_>>().join(", "),
        other => (q.code)(&other.to_string()),
    }
}

fn is_requirement(kind: ChangeKind) -> bool {
    matches!(
        kind,
        ChangeKind::RequirementAdded
            | ChangeKind::RequirementRemoved
            | ChangeKind::RequirementLevelRaised
            | ChangeKind::RequirementLevelLowered
            | ChangeKind::RequirementTextChanged
    )
}

fn level(v: &Value, lang: Lang) -> Option<String> {
    serde_json::from_value::<Level>(v.clone()).ok().map(|l| l.label(lang).to_string())
}

/// The change's sentence in a language.
fn sentence(c: &Change, lang: Lang, q: &Quote) -> String {
    let titled = is_requirement(c.code) || matches!(c.place, ChangePlace::Scenario { .. });
    let shown = |v: &Option<Value>| {
        v.as_ref()
            .map(|v| if is_requirement(c.code) { level(v, lang).unwrap_or_else(|| value(v, q)) } else { value(v, q) })
    };
    let subject =
        if titled { c.title.as_ref().map(|t| (q.text)(t.get(lang))) } else { c.subject.as_ref().map(|s| (q.code)(s)) };
    ChangeWords {
        kind: c.code,
        subject,
        keyword: c.keyword.as_ref().map(|k| (q.code)(k)),
        old: shown(&c.old_value),
        new: shown(&c.new_value),
    }
    .line(lang)
}

/// Where the change is, in words (none for the operation as a whole).
fn place(c: &Change, lang: Lang, q: &Quote) -> Option<String> {
    let code = |s: &String| (q.code)(s);
    let quoted = match &c.place {
        ChangePlace::Operation => return None,
        ChangePlace::Security => ChangePlace::Security,
        ChangePlace::Parameter { location, name } => {
            ChangePlace::Parameter { location: location.clone(), name: code(name) }
        }
        ChangePlace::RequestBody { media_type } => {
            ChangePlace::RequestBody { media_type: media_type.as_ref().map(code) }
        }
        ChangePlace::Response { status, media_type } => {
            ChangePlace::Response { status: code(status), media_type: media_type.as_ref().map(code) }
        }
        ChangePlace::ResponseHeader { status, name } => {
            ChangePlace::ResponseHeader { status: code(status), name: code(name) }
        }
        ChangePlace::Requirement { id } => ChangePlace::Requirement { id: code(id) },
        ChangePlace::Scenario { id } => ChangePlace::Scenario { id: code(id) },
    };
    Some(quoted.line(lang))
}

/// The change's line: where, what, and whether it breaks clients.
fn line(c: &Change, lang: Lang, q: &Quote) -> String {
    let mut out = match place(c, lang, q) {
        Some(p) => format!("{p}: {}", sentence(c, lang, q)),
        None => sentence(c, lang, q),
    };
    if c.breaking_for_clients {
        out.push_str(&format!(" [{}]", DiffText::BreakingForClients.get(lang)));
    }
    out
}

/// Where to look: the old position for something removed, else the new one.
fn shown_position(c: &Change) -> Option<String> {
    let removed = c.code.code().ends_with("-removed");
    let first = if removed { c.old.as_ref().or(c.new.as_ref()) } else { c.new.as_ref().or(c.old.as_ref()) };
    first.map(|p| printable(&p.shown()))
}

/// The heading of a group of changes: an operation, or the requirements or scenarios.
fn group(c: &Change, lang: Lang, q: &Quote) -> String {
    match (&c.operation, &c.place) {
        (Some(op), _) => {
            let id = op.operation_id.as_ref().map(|id| format!(" ({})", (q.code)(id))).unwrap_or_default();
            format!("{}{id}", (q.code)(&format!("{} {}", op.method, op.path)))
        }
        (None, ChangePlace::Requirement { .. }) => DiffText::Requirements.get(lang).to_string(),
        (None, _) => DiffText::Scenarios.get(lang).to_string(),
    }
}

fn group_key(c: &Change) -> (ChangeClass, Option<&super::OperationRef>, bool) {
    (c.class, c.operation.as_ref(), matches!(c.place, ChangePlace::Requirement { .. }))
}

/// How many changes of each class, as a line.
pub fn counted(diff: &Diff) -> DiffNote {
    let c = diff.counts();
    DiffNote::Counted {
        total: c.total,
        must: c.must_change,
        should: c.should_change,
        none: c.no_action,
        breaking: c.breaking_for_clients,
    }
}

fn comparing(diff: &Diff, q: &Quote) -> DiffNote {
    DiffNote::Comparing { old: (q.text)(&diff.old.name), new: (q.text)(&diff.new.name) }
}

/// For the terminal: a summary line, the findings, then every change grouped by class and
/// operation, each with the `file:line` to look at (two columns further in). With a
/// `width`, lines are wrapped at spaces to it, continued four columns further in.
pub fn human(diff: &Diff, lang: Lang, width: Option<usize>, out: &mut dyn Write) -> io::Result<()> {
    let q = &TERMINAL;
    let mut put = |indent: usize, text: &str| writeln!(out, "{}", wrap(indent, text, width));
    put(0, &comparing(diff, q).line(lang))?;
    put(0, &counted(diff).line(lang))?;
    for finding in &diff.findings {
        put(0, &format!("! {}", finding.line(lang)))?;
    }
    let mut last_class = None;
    let mut last_group = None;
    for c in &diff.changes {
        if last_class != Some(c.class) {
            let n = diff.changes.iter().filter(|x| x.class == c.class).count();
            put(0, &format!("\n{} ({n})", c.class.label(lang)))?;
            last_class = Some(c.class);
            last_group = None;
        }
        if last_group != Some(group_key(c)) {
            put(2, &group(c, lang, q))?;
            last_group = Some(group_key(c));
        }
        put(4, &line(c, lang, q))?;
        if let Some(at) = shown_position(c) {
            put(6, &at)?;
        }
    }
    Ok(())
}

/// A line indented by `indent`, wrapped at spaces to `width` columns (a word longer than a
/// line stands alone), its continuations four columns further in.
fn wrap(indent: usize, text: &str, width: Option<usize>) -> String {
    crate::model::text::wrap(text, width, &" ".repeat(indent), &" ".repeat(indent + 4))
}

/// A changelog in Markdown: a table of counts, the findings, then the changes by class and
/// operation.
pub fn markdown(diff: &Diff, lang: Lang, out: &mut dyn Write) -> io::Result<()> {
    let q = &MARKDOWN;
    writeln!(out, "## {}\n", comparing(diff, q).line(lang))?;
    let counts = diff.counts();
    writeln!(out, "| {} | {} |", DiffText::Class.get(lang), DiffText::Count.get(lang))?;
    writeln!(out, "| --- | ---: |")?;
    for (label, n) in [
        (DiffText::MustChange, counts.must_change),
        (DiffText::ShouldChange, counts.should_change),
        (DiffText::NoAction, counts.no_action),
        (DiffText::Total, counts.total),
        (DiffText::Breaking, counts.breaking_for_clients),
    ] {
        writeln!(out, "| {} | {n} |", label.get(lang))?;
    }
    if !diff.findings.is_empty() {
        writeln!(out, "\n### {}\n", DiffText::Findings.get(lang))?;
        for finding in &diff.findings {
            writeln!(out, "- {}", md_text(&finding.line(lang)))?;
        }
    }
    if diff.changes.is_empty() {
        writeln!(out, "\n{}", DiffText::NoChanges.get(lang))?;
    }
    let mut last_class = None;
    let mut last_group = None;
    for c in &diff.changes {
        if last_class != Some(c.class) {
            writeln!(out, "\n### {}", c.class.label(lang))?;
            last_class = Some(c.class);
            last_group = None;
        }
        if last_group != Some(group_key(c)) {
            writeln!(out, "\n#### {}\n", group(c, lang, q))?;
            last_group = Some(group_key(c));
        }
        let at = shown_position(c).map(|p| format!(" ({})", md_code(&p))).unwrap_or_default();
        writeln!(out, "- {}{at}", line(c, lang, q))?;
    }
    Ok(())
}

/// The diff as JSON: both sides, the counts, the findings and every change in the diff's
/// order, each with its English text (`message`) beside the data. docs/diff.md describes it.
/// Written change by change (a diff of large descriptions can hold a hundred thousand), as
/// the very text `serde_json` would write for the whole document.
pub fn json(diff: &Diff, out: &mut dyn Write) -> io::Result<()> {
    let head = json!({
        "old": diff.old,
        "new": diff.new,
        "summary": diff.counts(),
        "findings": findings_value(diff),
        "changes": [],
    });
    let head = serde_json::to_string_pretty(&head).map_err(io::Error::other)?;
    let Some(open) = head.strip_suffix("[]\n}") else { return writeln!(out, "{head}") };
    if diff.changes.is_empty() {
        return writeln!(out, "{head}");
    }
    write!(out, "{open}[")?;
    for (i, c) in diff.changes.iter().enumerate() {
        let v = change_value(c).map_err(io::Error::other)?;
        let text = serde_json::to_string_pretty(&v).map_err(io::Error::other)?;
        let sep = if i == 0 { "" } else { "," };
        write!(out, "{sep}\n    {}", text.replace('\n', "\n    "))?;
    }
    writeln!(out, "\n  ]\n}}")
}

/// The diff as a section of an HTML page (a catalogue page's changelog): a heading, the
/// counts, the findings, then a list per class and operation, each change with its
/// `file:line`. Everything from a document is escaped.
pub fn html(diff: &Diff, lang: Lang) -> String {
    let q = &HTML;
    let mut out = format!(
        "<section class=\"changelog\">\n<h2>{}</h2>\n<p>{}</p>\n",
        comparing(diff, q).line(lang),
        esc(&counted(diff).line(lang))
    );
    if !diff.findings.is_empty() {
        out.push_str(&format!("<h3>{}</h3>\n<ul>\n", DiffText::Findings.get(lang)));
        for finding in &diff.findings {
            out.push_str(&format!("<li>{}</li>\n", esc(&printable(&finding.line(lang)))));
        }
        out.push_str("</ul>\n");
    }
    let mut last_class = None;
    let mut last_group = None;
    for c in &diff.changes {
        if last_class != Some(c.class) {
            if last_class.is_some() {
                out.push_str("</ul>\n");
            }
            let n = diff.changes.iter().filter(|x| x.class == c.class).count();
            out.push_str(&format!("<h3>{} ({n})</h3>\n", c.class.label(lang)));
            last_class = Some(c.class);
            last_group = None;
        }
        if last_group != Some(group_key(c)) {
            if last_group.is_some() {
                out.push_str("</ul>\n");
            }
            out.push_str(&format!("<h4>{}</h4>\n<ul>\n", group(c, lang, q)));
            last_group = Some(group_key(c));
        }
        let at = shown_position(c).map(|p| format!(" <span class=\"muted\">{}</span>", esc(&p))).unwrap_or_default();
        out.push_str(&format!("<li>{}{at}</li>\n", line(c, lang, q)));
    }
    if last_class.is_some() {
        out.push_str("</ul>\n");
    }
    out.push_str("</section>\n");
    out
}

/// The diff as one JSON value, as [`json`] writes it (for a diff small enough to hold
/// twice: a catalogue page's changelog).
pub fn json_value(diff: &Diff) -> Result<Value, serde_json::Error> {
    let changes = diff.changes.iter().map(change_value).collect::<Result<Vec<_>, _>>()?;
    Ok(json!({
        "old": diff.old,
        "new": diff.new,
        "summary": diff.counts(),
        "findings": findings_value(diff),
        "changes": changes,
    }))
}

fn findings_value(diff: &Diff) -> Vec<Value> {
    diff.findings
        .iter()
        .map(|f| {
            let mut v = serde_json::to_value(f).unwrap_or(Value::Null);
            if let Some(map) = v.as_object_mut() {
                map.insert("message".into(), Value::String(f.line(Lang::En)));
            }
            v
        })
        .collect()
}

/// A change with its English text (`message`) beside the data, and no empty fields.
fn change_value(c: &Change) -> Result<Value, serde_json::Error> {
    let mut v = serde_json::to_value(c)?;
    if let Some(map) = v.as_object_mut() {
        map.insert("message".into(), Value::String(line(c, Lang::En, &TERMINAL)));
        map.retain(|_, v| !v.is_null());
    }
    Ok(v)
}

/// Text from a document as Markdown text: control characters escaped, and every character
/// that could start markup backslash-escaped, so it can form none.
fn md_text(s: &str) -> String {
    let printable = printable(s);
    let mut out = String::with_capacity(printable.len() + 8);
    for (i, c) in printable.char_indices() {
        let leading = i == 0 && matches!(c, '#' | '-' | '+' | '=' | '>');
        if matches!(c, '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '&' | '|' | '~' | '!') || leading {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// A name from a document as a Markdown code span: fenced with more backticks than the
/// longest run inside it (never used inside a table, so `|` needs no escape).
fn md_code(s: &str) -> String {
    let body = printable(s);
    let mut longest = 0;
    let mut run = 0;
    for c in body.chars() {
        run = if c == '`' { run + 1 } else { 0 };
        longest = longest.max(run);
    }
    let fence = "`".repeat(longest + 1);
    let pad = if body.starts_with('`') || body.ends_with('`') || body.is_empty() { " " } else { "" };
    format!("{fence}{pad}{body}{pad}{fence}")
}

#[cfg(test)]
mod tests {
    use super::wrap;

    #[test]
    fn lines_wrap_at_spaces_with_a_hanging_indent() {
        assert_eq!(wrap(4, "one two three four", Some(14)), "    one two\n        three\n        four");
        assert_eq!(wrap(2, "a-very-long-word b", Some(8)), "  a-very-long-word\n      b");
        assert_eq!(wrap(2, "åäö åäö", Some(9)), "  åäö åäö", "columns are characters");
        assert_eq!(wrap(2, "not wrapped at all", None), "  not wrapped at all");
    }
}
