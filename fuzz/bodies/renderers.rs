//! The renderers with hostile vendor text: whatever a vendor puts in a response body, a
//! response header or a reason, the terminal summary, the text report and the Markdown
//! report never carry a control character, and the Markdown keeps the structure it has
//! with harmless text (no link, image or HTML appears, no block opens or closes).
//!
//! The input is three sections separated by lines of `---`: the response body, a response
//! header (`Name: value`) and the step's reason. They go into the first step of a real
//! report (`fixtures/reports/failing.json`).
//!
//! Shared by the fuzz target (`fuzz/fuzz_targets/renderers.rs`) and the replay of its seeds
//! in `cargo test` (`tests/fuzz_seeds.rs`).

use konform::messages::Lang;
use konform::model::RunReport;
use konform::report::render::{render, Format};
use konform::report::terminal::{no_suite, summary, Look};
use pulldown_cmark::{Event, Parser, Tag};
use serde_json::Value;

const REPORT: &str = include_str!("../../fixtures/reports/failing.json");

/// Returns 1 when the input reached the renderers, 0 when it could not be placed.
pub fn run(data: &[u8]) -> usize {
    let text = String::from_utf8_lossy(data);
    let mut parts = text.splitn(3, "\n---\n");
    let (body, header, reason) = (parts.next().unwrap_or(""), parts.next().unwrap_or(""), parts.next().unwrap_or(""));
    let Some(hostile) = report_with(body, header, reason) else { return 0 };
    let benign = report_with("x", "X-Vendor: x", "x").expect("the fixture report loads");
    for lang in [Lang::En, Lang::Sv] {
        let (terminal, text, markdown) = rendered(&hostile, lang);
        for (what, out) in [("terminal", &terminal), ("text", &text), ("markdown", &markdown)] {
            if let Some(c) = out.chars().find(|c| c.is_control() && *c != '\n') {
                panic!("a control character {c:?} in the {what} output");
            }
        }
        let (_, _, plain) = rendered(&benign, lang);
        assert_eq!(structure(&markdown), structure(&plain), "vendor text changed the Markdown's structure");
    }
    1
}

/// The report with the vendor's text in its first step (each prefixed, so none is empty):
/// every text argument of its reason and checks (the values a failure shows as `actual`,
/// the validator's words, the place in the body) and its evidence.
fn report_with(body: &str, header: &str, reason: &str) -> Option<RunReport> {
    let mut value: Value = serde_json::from_str(REPORT).ok()?;
    let step = value.pointer_mut("/specifications/0/scenarios/0/steps/0")?;
    let (name, header_value) = header.split_once(':').unwrap_or((header, ""));
    let texts = [format!("x{body}"), format!("x{reason}"), format!("x{header_value}")];
    let mut turn = 0;
    if let Some(data) = step.get_mut("reason_data") {
        vendor_args(data, &texts, &mut turn);
    }
    for check in step.get_mut("checks")?.as_array_mut()? {
        if let Some(data) = check.get_mut("message_data") {
            vendor_args(data, &texts, &mut turn);
        }
    }
    let exchange = step.get_mut("exchange")?;
    exchange["response_body"]["text"] = Value::String(format!("x{body}"));
    exchange["response_headers"]
        .as_array_mut()?
        .push(Value::Array(vec![Value::String(format!("x{name}")), Value::String(format!("x{header_value}"))]));
    serde_json::from_value(value).ok()
}

/// Replaces the text arguments of a message (and of the messages inside it) by `texts`,
/// in turn; keys (which message) stay.
fn vendor_args(message: &mut Value, texts: &[String], turn: &mut usize) {
    let Some(args) = message.get_mut("args").and_then(Value::as_object_mut) else { return };
    for (_, arg) in args.iter_mut() {
        match arg {
            Value::String(s) => {
                *s = texts[*turn % texts.len()].clone();
                *turn += 1;
            }
            Value::Object(_) => vendor_args(arg, texts, turn),
            _ => {}
        }
    }
}

fn rendered(report: &RunReport, lang: Lang) -> (String, String, String) {
    let seal = konform::report::sign::seal_of_run(report);
    let mut terminal = Vec::new();
    summary(report, lang, Look::plain(80), &no_suite, None, &mut terminal).expect("writing to memory");
    let mut outputs = [Vec::new(), Vec::new()];
    for (format, out) in [Format::Text, Format::Markdown].into_iter().zip(outputs.iter_mut()) {
        render(format, report, lang, &no_suite, &seal, konform::export::Delimiter::default(), out)
            .expect("writing to memory");
    }
    let [text, markdown] = outputs.map(|o| String::from_utf8(o).expect("UTF-8"));
    (String::from_utf8(terminal).expect("UTF-8"), text, markdown)
}

/// The Markdown's blocks and every link, image and piece of HTML, in order.
fn structure(markdown: &str) -> Vec<String> {
    Parser::new(markdown)
        .filter_map(|event| match event {
            Event::Start(Tag::Link { .. } | Tag::Image { .. }) => Some("link or image".to_string()),
            Event::Html(_) | Event::InlineHtml(_) => Some("html".to_string()),
            Event::Start(
                tag @ (Tag::Heading { .. }
                | Tag::List(_)
                | Tag::Item
                | Tag::Table(_)
                | Tag::TableRow
                | Tag::CodeBlock(_)
                | Tag::BlockQuote(_)),
            ) => Some(format!("{tag:?}").split(['(', ' ', '{']).next().unwrap_or("").to_string()),
            _ => None,
        })
        .collect()
}
