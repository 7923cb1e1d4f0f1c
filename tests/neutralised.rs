//! What a vendor sends is data, never markup or terminal control: a hostile vendor's escape
//! sequences, BEL, NUL and C1 controls reach neither the terminal nor the text report raw,
//! and its Markdown reaches the Markdown report only as text (checked with a CommonMark
//! parser: no link, image or HTML node carries it).

mod common;

use common::{konform, project_root};
use pulldown_cmark::{Event, Parser, Tag};

/// A body that is not JSON (so it is shown as it came) full of terminal controls and markup.
/// (Short enough to be shown whole: a body shown as it came is cut at 120 characters.)
const HOSTILE: &str = "` [two](http://x.example/) ` \u{1b}]0;owned\u{7}\u{1b}[2J\u{0}\u{85}\u{9b}31m \
                       [click](javascript:alert(1)) <img src=x onerror=alert(1)> ``` ![i](http://x.example/i.png)";

fn controls(text: &str) -> Vec<char> {
    text.chars().filter(|c| c.is_control() && *c != '\n' && *c != '\t' && *c != '\r').collect()
}

#[test]
fn a_hostile_vendor_reaches_neither_terminal_nor_markup() {
    let server = common::server::start(|_, stream| async move {
        common::server::respond(stream, "200 OK", &[("Content-Type", "application/json")], HOSTILE.as_bytes()).await;
    });
    let dir = tempfile::tempdir().unwrap();
    let (text, md) = (dir.path().join("r.txt"), dir.path().join("r.md"));
    let out = konform()
        .args(["run", "thing", "--catalogue"])
        .arg(project_root().join("fixtures/catalogues/hostile"))
        .args(["--base-url", &server.url(), "--jobs", "1", "--color", "never"])
        .args(["--report", &format!("text={}", text.display())])
        .args(["--report", &format!("markdown={}", md.display())])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", String::from_utf8_lossy(&out.stderr));
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    let text = std::fs::read_to_string(&text).unwrap();
    let md = std::fs::read_to_string(&md).unwrap();
    // The vendor's words are there, escaped: a failure names what came back.
    assert!(stdout.contains("\\u{1b}]0;owned\\u{7}"), "{stdout}");
    for (what, output) in [("stdout", &stdout), ("stderr", &stderr), ("text", &text), ("markdown", &md)] {
        assert!(controls(output).is_empty(), "raw control characters in {what}: {:?}", controls(output));
    }

    // Markdown: parsed as CommonMark, the vendor's link, image and HTML are text only.
    let mut inside_link = 0;
    let mut bad = Vec::new();
    for event in Parser::new(&md) {
        match event {
            Event::Start(Tag::Link { dest_url, .. }) | Event::Start(Tag::Image { dest_url, .. }) => {
                inside_link += 1;
                bad.push(format!("link or image to {dest_url}"));
            }
            Event::End(pulldown_cmark::TagEnd::Link | pulldown_cmark::TagEnd::Image) => inside_link -= 1,
            Event::Html(h) | Event::InlineHtml(h) => bad.push(format!("HTML {h}")),
            _ => {}
        }
    }
    assert_eq!(inside_link, 0);
    assert!(bad.is_empty(), "markup from the vendor in the Markdown report: {bad:?}\n{md}");
    assert!(md.contains("javascript:alert"), "the vendor's text is still shown: {md}");
}
