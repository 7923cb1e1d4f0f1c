//! The message catalogue: a Swedish run has no English left in konform's own words.
//!
//! konform's English texts are read from `src/messages/en.rs` (every phrase of two or more
//! words in its string literals, and every one-word text, less the few that Swedish says the
//! same way, such as `Status`). A Swedish demo run against a reference vendor
//! with many faults must show none of them: not in the terminal, nor in the text, Markdown
//! or HTML report. What is data stays as written and is taken out before looking: the step
//! names and scenario ids of the suites, check names (stable identifiers such as
//! `required-headers`), the paths of catalogue files, what the vendor sent (`faktiskt:` values, curl
//! lines, evidence), and the causes the operating system gives for a broken connection.

mod common;

use std::collections::BTreeSet;

use common::{konform, project_root};
use regex::Regex;
use serde_json::Value;

const FAULTS: &[&str] = &[
    "wrong-status",
    "missing-field",
    "wrong-type",
    "undocumented-status",
    "wrong-content-type",
    "connection-reset",
    "invalid-json",
    "no-api-info",
    "get-body-accepted",
    "ignore-paging",
    "no-location-header",
];

/// English phrases that Swedish says the same way (or that name something: `GET api-info`,
/// the problem member `title`, the command `konform run`).
const SAME_IN_BOTH: &[&str] = &[
    "Status",
    "Version",
    "Process",
    "GET api",
    "konform run",
    "Title",
    "TITLE",
    "April",
    "September",
    "November",
    "December",
];

/// The string literals of a Rust source file.
fn literals(source: &str) -> Vec<String> {
    // `(?s)`: an escaped line break (a literal continued on the next line) is part of it.
    let re = Regex::new(r#"(?s)"((?:[^"\\]|\\.)*)""#).unwrap();
    let continued = Regex::new(r"\\\n\s*").unwrap();
    // Comments are not texts.
    let code: String = source.lines().filter(|l| !l.trim_start().starts_with("//")).collect::<Vec<_>>().join("\n");
    // A literal that is a match pattern (`"required" => ...`) is a key being matched, not
    // a text shown.
    re.captures_iter(&code)
        .filter(|c| {
            let after = code[c.get(0).unwrap().end()..].trim_start();
            !(after.starts_with("=>") || after.starts_with('|'))
        })
        .map(|c| continued.replace_all(&c[1], "").into_owned())
        .collect()
}

/// The English phrases konform can show: runs of two or more words between placeholders,
/// and texts that are one word.
fn english_phrases() -> BTreeSet<String> {
    let en = std::fs::read_to_string(project_root().join("src/messages/en.rs")).unwrap();
    let placeholder = Regex::new(r"\{[^}]*\}").unwrap();
    let run = Regex::new(r"[A-Za-z][A-Za-z']+(?: [A-Za-z][A-Za-z']+)+").unwrap();
    let one_word = Regex::new(r"^[A-Za-z]{4,}$").unwrap();
    let mut phrases = BTreeSet::new();
    for literal in literals(&en) {
        for piece in placeholder.split(&literal) {
            for m in run.find_iter(piece) {
                phrases.insert(m.as_str().to_string());
            }
        }
        let trimmed = literal.trim();
        if one_word.is_match(trimmed) {
            phrases.insert(trimmed.to_string());
        }
    }
    phrases.retain(|p| !SAME_IN_BOTH.contains(&p.as_str()));
    phrases
}

/// The names and texts the catalogue and the run's options give (data, shown as written),
/// longest first.
fn suite_names(report: &Value) -> Vec<String> {
    let mut names = BTreeSet::new();
    // What the run was told about the product.
    names.insert(report["target"]["product"].as_str().unwrap().to_string());
    for spec in report["specifications"].as_array().unwrap() {
        // Requirement texts are the catalogue's words.
        for requirement in spec["requirements"].as_array().unwrap() {
            for field in ["title", "text"] {
                if let Some(sv) = requirement[field]["sv"].as_str() {
                    names.insert(sv.to_string());
                }
            }
        }
        for scenario in spec["scenarios"].as_array().unwrap() {
            names.insert(scenario["id"].as_str().unwrap().to_string());
            for step in scenario["steps"].as_array().unwrap() {
                names.insert(step["name"].as_str().unwrap().to_string());
                // Check names are stable identifiers (`required-headers`, `header Location`).
                for check in step["checks"].as_array().unwrap() {
                    names.insert(check["name"].as_str().unwrap().to_string());
                }
            }
        }
    }
    let mut names: Vec<String> = names.into_iter().collect();
    names.sort_by_key(|n| std::cmp::Reverse(n.len()));
    names
}

/// A rendering with the data taken out: what is left is konform's own words.
fn own_words(text: &str, names: &[String]) -> String {
    // Evidence, markup, the paths of catalogue files, and JSON strings (values the suite
    // expects or the vendor sent).
    let evidence = Regex::new(
        r#"(?s)<pre>.*?</pre>|<style>.*?</style>|<[^>]*>|conformance-suites/[^\s`)<]*|[\w.-]+/\d+\.\d+\.\d+/[^\s`)<]*|&quot;.*?&quot;|"[^"\n]*""#,
    )
    .unwrap();
    let mut text = evidence.replace_all(text, " ").to_string();
    for name in names {
        text = text.replace(name.as_str(), " ");
    }
    // The OS's or HTTP library's own words for a broken connection are data too.
    let cause = Regex::new(r"(anropet misslyckades|anslutningen misslyckades|svaret kunde inte läsas): .*").unwrap();
    text.lines()
        .filter(|l| !l.trim_start().starts_with("curl ") && !l.trim_start().starts_with("- `curl "))
        .map(|l| match l.find("faktiskt:") {
            Some(i) => l[..i].to_string(),
            None => cause.replace(l, "$1").to_string(),
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// The texts of the declarations below: data, shown as written.
const DECLARED_DATA: &[&str] = &[
    "Kompletteringar besvaras med 200; rättas i version 4.3.",
    "Dubbletter slås ihop för hand.",
    "SUND-1234",
    "SUND-1240",
    "Anna Berg, upphandlare",
    "Karin Lund, systemrevisor",
    "Varje skärmbild i handläggarens gränssnitt gicks igenom mot API:t.",
    "2026-11-30",
    "Exempel AB",
    "Bygglov Pro 4.2",
    "Handlingar pekas ut med sin plats i ansökan.",
];

/// Arguments for a waiver of CASE-008 (in force), one of CASE-011 (expired), a signed
/// attestation of PERMIT-011 and a statement that PERMIT-010 is not offered, written in `dir`.
fn declarations(dir: &std::path::Path) -> Vec<String> {
    let p = |n: &str| dir.join(n).display().to_string();
    let d = DECLARED_DATA;
    let waivers = format!(
        "waivers:\n  - {{specification: case-intake, version: \">=1.0.0\", requirement: CASE-008, reason: \"{}\", \
         reference: {}, approved_by: \"{}\", expires: 2027-03-31}}\n  - {{specification: case-intake, version: 1.1.0, \
         requirement: CASE-011, reason: {}, reference: {}, expires: 2027-01-01}}\n",
        d[0], d[2], d[4], d[1], d[3]
    );
    std::fs::write(p("w.yaml"), waivers).unwrap();
    let attestation = format!(
        "specification: building-permit\nversion: 1.0.0\nrequirements: [PERMIT-011]\nby: {}\ndate: {}\nevidence:\n  text: {}\n",
        d[5], d[7], d[6]
    );
    std::fs::write(p("a.yaml"), attestation).unwrap();
    let statement = format!(
        "vendor: {}\nproduct: Bygglov Pro\nproduct_version: \"4.2\"\nspecifications:\n  - specification: building-permit\n    \
         version: 1.0.0\n    not_offered:\n      - {{requirement: PERMIT-010, reason: {}}}\n",
        d[8], d[10]
    );
    std::fs::write(p("s.yaml"), statement).unwrap();
    let ok = |out: std::process::Output| assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    ok(konform().args(["keygen", "--private", &p("k.key"), "--public", &p("k.pub")]).output().unwrap());
    ok(konform()
        .args(["attest", "sign", &p("a.yaml"), "--sign-key", &p("k.key"), "-o", &p("a.signed.yaml")])
        .output()
        .unwrap());
    ["--waivers", &p("w.yaml"), "--attestations", &p("a.signed.yaml"), "--attestation-key", &p("k.pub")]
        .into_iter()
        .map(str::to_string)
        .chain(["--statement".into(), p("s.yaml"), "--now".into(), "2027-01-15".into()])
        .collect()
}

#[test]
fn a_swedish_run_against_a_faulty_vendor_has_no_english_of_konforms_own() {
    let phrases = english_phrases();
    assert!(phrases.len() > 100, "too few English phrases found in src/messages/en.rs: {}", phrases.len());
    assert!(phrases.contains("is not documented for"), "{phrases:?}");

    let dir = tempfile::tempdir().unwrap();
    let path = |name: &str| dir.path().join(name).display().to_string();
    let mut cmd = konform();
    cmd.current_dir(project_root()).args(["demo", "--lang", "sv", "--jobs", "2"]);
    for fault in FAULTS {
        cmd.args(["--fault", fault]);
    }
    // What people declare is said in Swedish too: a waiver in force and one expired, an
    // attestation, a requirement not offered, the clock they were judged by.
    cmd.args(declarations(dir.path()));
    for (format, file) in [("json", "r.json"), ("text", "r.txt"), ("markdown", "r.md"), ("html", "r.html")] {
        cmd.args(["--report", &format!("{format}={}", path(file))]);
    }
    let output = cmd.output().unwrap();
    assert_eq!(output.status.code(), Some(1), "{}", String::from_utf8_lossy(&output.stderr));

    let report: Value = serde_json::from_str(&std::fs::read_to_string(path("r.json")).unwrap()).unwrap();
    // The fault names the reference vendor lists are data too, and so is what people declared.
    let mut names = suite_names(&report);
    names.extend(DECLARED_DATA.iter().map(|d| d.to_string()));
    names.sort_by_key(|n| std::cmp::Reverse(n.len()));
    names.extend(FAULTS.iter().map(|f| f.to_string()));
    let renderings = [
        ("the terminal", String::from_utf8_lossy(&output.stdout).into_owned()),
        ("the terminal's stderr", String::from_utf8_lossy(&output.stderr).into_owned()),
        ("the text report", std::fs::read_to_string(path("r.txt")).unwrap()),
        ("the Markdown report", std::fs::read_to_string(path("r.md")).unwrap()),
        ("the HTML report", std::fs::read_to_string(path("r.html")).unwrap()),
    ];
    // The declarations show, in Swedish.
    for said in [
        "CASE-008 (SKALL) är UNDANTAGET till och med 31 mars 2027",
        "det har gått ut: sista dagen var 1 januari 2027",
        "A1: PERMIT-011 intygat av",
        "PERMIT-010 är ej tillämpligt",
        "bedömdes per 15 januari 2027",
    ] {
        for (what, text) in &renderings[2..] {
            assert!(text.contains(said), "{what} does not say {said:?}");
        }
    }
    // The faults show: this is a run full of failures, each with a message.
    assert!(renderings[0].1.contains("förväntad status 201, fick 200"), "{}", renderings[0].1);
    assert!(renderings[0].1.contains("den obligatoriska egenskapen \"updated\" saknas"), "{}", renderings[0].1);

    let mut found = Vec::new();
    for (what, text) in &renderings {
        let own = own_words(text, &names).to_lowercase();
        for phrase in &phrases {
            let pattern = format!(r"\b{}\b", regex::escape(&phrase.to_lowercase()));
            if let Some(m) = Regex::new(&pattern).unwrap().find(&own) {
                let line = own[..m.start()].rsplit('\n').next().unwrap_or("").to_string() + &own[m.start()..];
                found.push(format!("{what}: `{phrase}` in: {}", line.lines().next().unwrap_or("")));
            }
        }
    }
    assert!(found.is_empty(), "English in a Swedish run:\n{}", found.join("\n"));
}

#[test]
fn the_english_renderings_read_as_they_did_before_messages_were_data() {
    // The JSON keeps the English text beside the data, for readers of format 1.0.
    let dir = tempfile::tempdir().unwrap();
    let json = common::demo_report(dir.path(), &["--fault", "wrong-status"], 1);
    let report: Value = serde_json::from_str(&std::fs::read_to_string(&json).unwrap()).unwrap();
    let steps = common::first_spec_steps(&report);
    let check = steps
        .iter()
        .flat_map(|s| s["checks"].as_array().unwrap())
        .find(|c| c["name"] == "status" && c["passed"] == false)
        .expect("a failed status check");
    assert_eq!(check["message"], "expected status 201, got 200");
    assert_eq!(check["expected"], "201");
    assert_eq!(check["actual"], "200");
    assert_eq!(check["message_data"]["key"], "status-unexpected");
    assert_eq!(check["message_data"]["args"]["status"], 200);
    let place = Regex::new(r"\.yaml:\d+:\d+$").unwrap();
    assert!(place.is_match(check["location"].as_str().unwrap()), "{check}");
    let failed = steps.iter().find(|s| s["reason_data"]["key"] == "check-failed").expect("a failed step");
    assert!(failed["reason"].as_str().unwrap().starts_with("status-documented: status 200 is not documented"));
}

#[test]
fn a_failed_expectation_shows_its_suite_line_with_a_caret() {
    let output = konform()
        .current_dir(project_root())
        .args(["demo", "case-intake@1.1.0", "--fault", "wrong-status", "--jobs", "1"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let stdout = String::from_utf8_lossy(&output.stdout);
    // `status: expected status 201, got 200`, where it is written, the line, a caret under
    // the value.
    let block = Regex::new(
        r"(?m)^    status: expected status 201, got 200\n      expected: 201\n      actual: 200\n      at: (\S+\.yaml):(\d+):(\d+)\n +\|\n +(\d+) \| (.*)\n +\| ( *)(\^+)$",
    )
    .unwrap();
    let c = block.captures(&stdout).unwrap_or_else(|| panic!("no caret block in:\n{stdout}"));
    assert_eq!(c[2], c[4], "the line shown is the line named");
    let (column, text) = (c[3].parse::<usize>().unwrap(), &c[5]);
    assert_eq!(c[6].len(), column - 1, "the caret starts at the column named");
    assert_eq!(&text[column - 1..], "201", "the caret is under the expected status: {text}");
    assert_eq!(c[7].len(), 3);
    // The suite file says so too.
    let suite = std::fs::read_to_string(project_root().join("conformance-suites").join(&c[1])).unwrap();
    assert!(c[1].starts_with("case-intake/1.1.0/"), "catalogue-relative: {}", &c[1]);
    assert_eq!(suite.lines().nth(c[2].parse::<usize>().unwrap() - 1).unwrap(), text);
}

#[test]
fn a_saved_report_renders_in_either_language_and_a_format_1_0_report_in_its_english() {
    let dir = tempfile::tempdir().unwrap();
    let json = common::demo_report(dir.path(), &["--fault", "wrong-status"], 1);
    let render = |path: &std::path::Path, lang: &str| {
        let out = konform().args(["report"]).arg(path).args(["--format", "markdown", "--lang", lang]).output().unwrap();
        assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8(out.stdout).unwrap()
    };
    assert!(render(&json, "sv").contains("förväntat: `201`; faktiskt: `200`"));
    assert!(render(&json, "en").contains("expected: `201`; actual: `200`"));

    // Format 1.0 had the English text only: it is shown as it is, labels in Swedish.
    let mut report: Value = serde_json::from_str(&std::fs::read_to_string(&json).unwrap()).unwrap();
    report["format_version"] = "1.0".into();
    fn strip(v: &mut Value) {
        match v {
            Value::Object(map) => {
                map.remove("message_data");
                map.remove("reason_data");
                map.remove("pointer");
                map.values_mut().for_each(strip);
            }
            Value::Array(items) => items.iter_mut().for_each(strip),
            _ => {}
        }
    }
    strip(&mut report);
    let old = dir.path().join("old.json");
    std::fs::write(&old, serde_json::to_string(&report).unwrap()).unwrap();
    let sv = render(&old, "sv");
    assert!(sv.contains("förväntat: `201`; faktiskt: `200`"), "{sv}");
    // (The step's reason, among the reasons it is not certified; its failures show the checks.)
    assert!(sv.contains("add a supplement: status 200 is not documented for submitSupplement"), "{sv}");
}

#[test]
fn a_swedish_preflight_finding_has_no_english_of_konforms_own() {
    let phrases = english_phrases();
    assert!(phrases.contains("the API refused the credentials konform sent"), "{phrases:?}");
    let vendor = konform::reference::start(
        std::net::SocketAddr::from(([127, 0, 0, 1], 0)),
        konform::reference::Faults::new(),
        "right-TOKEN".into(),
    )
    .unwrap();
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap();
    let url = vendor.url();
    let closed = format!("http://{closed}/");
    // Credentials refused, credentials missing, an unreachable target.
    let cases: [&[&str]; 3] =
        [&["--base-url", &url, "--bearer-token", "wrong-TOKEN"], &["--base-url", &url], &["--base-url", &closed]];
    // URLs are data, and so are the operation the document names and the options.
    let data = Regex::new(r"https?://\S+|--[a-z-]+|KONFORM_[A-Z_]+").unwrap();
    let mut found = Vec::new();
    for args in cases {
        let output = konform()
            .current_dir(project_root())
            .args(["run", "case-intake@1.1.0", "--lang", "sv"])
            .args(args)
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
        assert_eq!(output.status.code(), Some(4), "{args:?}: {stderr}");
        assert!(stderr.starts_with("förhandskontroll: "), "{stderr}");
        let own = own_words(&data.replace_all(&stderr, " "), &["listCases".to_string()]).to_lowercase();
        let own = own.split_whitespace().collect::<Vec<_>>().join(" ");
        for phrase in &phrases {
            let pattern = format!(r"\b{}\b", regex::escape(&phrase.to_lowercase()));
            if Regex::new(&pattern).unwrap().is_match(&own) {
                found.push(format!("{args:?}: `{phrase}` in: {own}"));
            }
        }
    }
    assert!(found.is_empty(), "English in a Swedish preflight finding:\n{}", found.join("\n"));
}
