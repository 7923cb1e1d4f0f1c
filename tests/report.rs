//! The certification report: schema, formats, signatures, tampering, interruption.

mod common;

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use common::{konform, project_root, Run};
use serde_json::Value;

/// One signed demo run with a fault, shared by the tests that only read its reports.
struct Reports {
    dir: tempfile::TempDir,
    run: Run,
}

impl Reports {
    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }
    fn text(&self, name: &str) -> String {
        std::fs::read_to_string(self.path(name)).unwrap()
    }
}

fn reports() -> &'static Reports {
    static REPORTS: OnceLock<Reports> = OnceLock::new();
    REPORTS.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        let p = |n: &str| dir.path().join(n).display().to_string();
        let keygen: Run =
            konform().args(["keygen", "--private", &p("k.key"), "--public", &p("k.pub")]).output().unwrap().into();
        assert_eq!(keygen.code, 0, "{}", keygen.stderr);
        let run: Run = konform()
            .current_dir(project_root())
            .args(["demo", "case-intake@1.1.0", "--fault", "missing-field", "--jobs", "1", "--sign-key", &p("k.key")])
            .args(["--report", &format!("json={}", p("r.json")), "--report", &format!("junit={}", p("r.xml"))])
            .args(["--report", &format!("html={}", p("r.html")), "--report", &format!("markdown={}", p("r.md"))])
            .output()
            .unwrap()
            .into();
        assert_eq!(run.code, 1, "{}\n{}", run.stdout, run.stderr);
        Reports { dir, run }
    })
}

fn schema() -> jsonschema::Validator {
    let schema: Value =
        serde_json::from_str(&std::fs::read_to_string(project_root().join("docs/report-schema.json")).unwrap())
            .unwrap();
    jsonschema::validator_for(&schema).unwrap()
}

fn assert_valid_report(text: &str) {
    let value: Value = serde_json::from_str(text).unwrap();
    let validator = schema();
    let errors: Vec<String> = validator.iter_errors(&value).map(|e| format!("{}: {e}", e.instance_path())).collect();
    assert!(errors.is_empty(), "the report does not fit docs/report-schema.json: {errors:#?}");
}

#[test]
fn the_committed_schema_is_current() {
    let generated = konform::report::render::json_schema();
    let path = project_root().join("docs/report-schema.json");
    let committed = std::fs::read_to_string(&path).unwrap();
    assert!(
        committed == generated,
        "docs/report-schema.json is stale: run `cargo run -- report --schema > docs/report-schema.json`"
    );
}

#[test]
fn emitted_reports_fit_the_schema() {
    assert_valid_report(&reports().text("r.json"));
    // An unsigned, clean, Swedish run too.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("clean.json");
    let run: Run = konform()
        .current_dir(project_root())
        .args(["demo", "--lang", "sv", "--report", &format!("json={}", path.display())])
        .output()
        .unwrap()
        .into();
    assert_eq!(run.code, 0);
    assert_valid_report(&std::fs::read_to_string(&path).unwrap());
}

#[test]
fn the_report_carries_fingerprints_target_and_verdicts() {
    let report: Value = serde_json::from_str(&reports().text("r.json")).unwrap();
    assert_eq!(report["format_version"], "2.6");
    assert_eq!(report["target"]["vendor"], "konform");
    let spec = &report["specifications"][0];
    let files = spec["fingerprints"]["files"].as_object().unwrap();
    for name in [
        "spec.yaml",
        "openapi.yaml",
        "requirements.yaml",
        "scenarios/submission.yaml",
        "fixtures/building-permit-case.json",
    ] {
        assert!(files.contains_key(name), "{name} has no fingerprint: {:?}", files.keys().collect::<Vec<_>>());
    }
    assert_eq!(spec["fingerprints"]["combined"].as_str().unwrap().len(), 64);
    let failed: Vec<&str> = spec["requirements"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["verdict"] == "fail")
        .map(|r| r["id"].as_str().unwrap())
        .collect();
    assert_eq!(failed, vec!["CASE-005"]);
    assert_eq!(report["signature"]["algorithm"], "ed25519");
}

fn verify(report: &Path, extra: &[&str]) -> Run {
    konform().current_dir(project_root()).arg("verify").arg(report).args(extra).output().unwrap().into()
}

#[test]
fn a_signed_report_verifies_with_its_key() {
    let r = reports();
    let run = verify(&r.path("r.json"), &["--public-key", &r.path("k.pub").display().to_string()]);
    assert_eq!(run.code, 0, "{}\n{}", run.stdout, run.stderr);
    assert!(
        run.stdout.contains("signature: VALID")
            && run.stdout.contains("matches the local catalogue")
            && run.stdout.contains("checks out"),
        "{}",
        run.stdout
    );
}

#[test]
fn one_changed_byte_breaks_the_signature() {
    let r = reports();
    let text = r.text("r.json");
    let dir = tempfile::tempdir().unwrap();
    let doctored = dir.path().join("doctored.json");
    // Turn the failed requirement into a pass: one byte, "fail" -> "pail" would not parse as a
    // verdict, so change a digit of a duration instead, then the verdict in a second copy.
    let i = text.find("\"duration_ms\": ").unwrap() + "\"duration_ms\": ".len();
    let mut bytes = text.clone().into_bytes();
    bytes[i] = if bytes[i] == b'9' { b'8' } else { b'9' };
    std::fs::write(&doctored, &bytes).unwrap();
    let run = verify(&doctored, &["--public-key", &r.path("k.pub").display().to_string()]);
    assert_eq!(run.code, 1, "{}", run.stdout);
    assert!(run.stdout.contains("signature: INVALID"), "{}", run.stdout);

    let forged = text.replacen("\"verdict\": \"fail\"", "\"verdict\": \"pass\"", 1);
    std::fs::write(&doctored, forged).unwrap();
    let run = verify(&doctored, &["--public-key", &r.path("k.pub").display().to_string()]);
    assert_eq!(run.code, 1);
    assert!(run.stdout.contains("changed after signing"), "{}", run.stdout);
}

#[test]
fn a_wrong_public_key_fails() {
    let r = reports();
    let dir = tempfile::tempdir().unwrap();
    let p = |n: &str| dir.path().join(n).display().to_string();
    let _: Run =
        konform().args(["keygen", "--private", &p("other.key"), "--public", &p("other.pub")]).output().unwrap().into();
    let run = verify(&r.path("r.json"), &["--public-key", &p("other.pub")]);
    assert_eq!(run.code, 1);
    assert!(run.stdout.contains("signed with a different key"), "{}", run.stdout);
}

#[test]
fn a_changed_suite_file_is_named() {
    let r = reports();
    let dir = tempfile::tempdir().unwrap();
    common::copy_tree(&project_root().join("conformance-suites"), dir.path());
    let suite = dir.path().join("case-intake/1.1.0/scenarios/submission.yaml");
    common::edit(&suite, "$.status: RECEIVED", "$.status: { exists: true }");
    let run = verify(
        &r.path("r.json"),
        &["--public-key", &r.path("k.pub").display().to_string(), "--catalogue", &dir.path().display().to_string()],
    );
    assert_eq!(run.code, 1, "{}", run.stdout);
    assert!(run.stdout.contains("DIFFERS from the local catalogue"), "{}", run.stdout);
    assert!(run.stdout.contains("case-intake/1.1.0/scenarios/submission.yaml: changed"), "{}", run.stdout);
    assert!(!run.stdout.contains("requirements.yaml: changed"), "only the edited file is named:\n{}", run.stdout);
}

#[test]
fn an_unsigned_report_is_checked_for_fingerprints_and_said_to_be_unsigned() {
    let r = reports();
    let mut value: Value = serde_json::from_str(&r.text("r.json")).unwrap();
    value.as_object_mut().unwrap().remove("signature");
    let dir = tempfile::tempdir().unwrap();
    let unsigned = dir.path().join("unsigned.json");
    std::fs::write(&unsigned, serde_json::to_string_pretty(&value).unwrap()).unwrap();
    let run = verify(&unsigned, &[]);
    assert_eq!(run.code, 0, "{}", run.stdout);
    assert!(run.stdout.contains("UNSIGNED") && run.stdout.contains("matches the local catalogue"), "{}", run.stdout);
    let run = verify(&unsigned, &["--require-signature"]);
    assert_eq!(run.code, 1);
    // A public key asks who signed: an unsigned report cannot answer, so it does not check out.
    let run = verify(&unsigned, &["--public-key", &r.path("k.pub").display().to_string()]);
    assert_eq!(run.code, 1, "{}", run.stdout);
    assert!(run.stdout.contains("UNSIGNED") && run.stdout.contains("does NOT check out"), "{}", run.stdout);
}

/// Runs a command in this process, as `main` does, with buffers for stdout and stderr.
fn in_process(args: &[&str]) -> (u8, String, String) {
    use clap::Parser;
    let cli = konform::cli::Cli::try_parse_from(std::iter::once("konform").chain(args.iter().copied())).unwrap();
    let (mut out, mut err) = (Vec::new(), Vec::new());
    let mut console = konform::app::Console { out: &mut out, err: &mut err };
    let code = konform::app::run(cli.command, false, &mut console);
    (code, String::from_utf8(out).unwrap(), String::from_utf8(err).unwrap())
}

#[test]
fn verify_runs_in_process_and_writes_only_to_its_console() {
    let r = reports();
    let catalogue = project_root().join("conformance-suites").display().to_string();
    let report = r.path("r.json").display().to_string();
    let key = r.path("k.pub").display().to_string();
    let (code, out, err) = in_process(&["verify", &report, "--public-key", &key, "--catalogue", &catalogue]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.contains("signature: VALID") && out.contains("Conclusion: the report checks out."), "{out}");
    let (code, out, _) =
        in_process(&["verify", &report, "--catalogue", &catalogue, "--lang", "sv", "--require-signature"]);
    assert_eq!(code, 0);
    assert!(out.contains("Slutsats: rapporten håller."), "{out}");
    let (code, out, err) = in_process(&["verify", "/nonexistent/r.json"]);
    assert_eq!((code, out.as_str()), (2, ""), "an unreadable report is an error, on stderr");
    assert!(err.contains("/nonexistent/r.json"), "{err}");
}

#[test]
fn key_files_that_exist_are_missing_or_are_not_keys_are_errors_naming_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let p = |n: &str| dir.path().join(n).display().to_string();
    std::fs::write(p("taken.key"), "keep me").unwrap();
    let (code, _, err) = in_process(&["keygen", "--private", &p("taken.key"), "--public", &p("new.pub")]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains(&p("taken.key")) && err.contains("does not overwrite"), "{err}");
    assert_eq!(std::fs::read_to_string(p("taken.key")).unwrap(), "keep me");

    let report = reports().path("r.json").display().to_string();
    std::fs::write(p("garbage.pub"), "not a key").unwrap();
    for (key, says) in
        [(p("garbage.pub"), "is not an Ed25519 public key"), (p("missing.pub"), "cannot read the public key")]
    {
        let (code, out, err) = in_process(&["verify", &report, "--public-key", &key]);
        assert_eq!((code, out.as_str()), (2, ""), "{err}");
        assert!(err.contains(&key) && err.contains(says), "{err}");
    }
    let run: Run = konform()
        .args(["run", "thing", "--base-url", "http://127.0.0.1:9/", "--sign-key", &p("missing.key"), "--catalogue"])
        .arg(project_root().join("fixtures/catalogues/hostile"))
        .output()
        .unwrap()
        .into();
    assert_eq!(run.code, 2, "a signing key that cannot be read stops the run before anything is sent\n{}", run.stderr);
    assert!(
        run.stderr.contains(&p("missing.key")) && run.stderr.contains("cannot read the signing key"),
        "{}",
        run.stderr
    );
}

#[test]
fn junit_is_read_by_a_junit_parser() {
    let r = reports();
    let report: Value = serde_json::from_str(&r.text("r.json")).unwrap();
    let suites =
        junit_parser::from_reader(std::io::BufReader::new(std::fs::File::open(r.path("r.xml")).unwrap())).unwrap();
    assert_eq!(suites.suites.len(), 1);
    let suite = &suites.suites[0];
    assert_eq!(suite.name, "case-intake@1.1.0");
    // Cleanup steps are not test cases; every other step is one.
    let steps = common::first_spec_steps(&report);
    let main = steps.iter().filter(|s| s["cleanup"] == false).count();
    assert!(main < steps.len(), "the run has cleanup steps");
    assert_eq!(suite.tests, main as u64);
    assert_eq!(suite.cases.len(), main);
    assert_eq!(suite.failures, report["counts"]["steps_failed"].as_u64().unwrap());
    assert_eq!(suite.errors, report["counts"]["steps_error"].as_u64().unwrap());
    let failed: Vec<&junit_parser::TestCase> = suite.cases.iter().filter(|c| c.status.is_failure()).collect();
    assert_eq!(failed.len(), 1);
    assert_eq!(failed[0].original_name, "read-status / 02 read the status");
    assert_eq!(failed[0].classname.as_deref(), Some("case-intake.read-status"));
    assert_eq!(failed[0].file.as_deref(), Some("case-intake/1.1.0/scenarios/submission.yaml"));
    assert_eq!(failed[0].line, Some(68));
    let properties = &failed[0].properties.vec;
    assert!(properties.contains(&("requirements".into(), "CASE-005".into())), "{properties:?}");
    assert!(properties.contains(&("konform.requirement.CASE-005".into(), "MUST".into())), "{properties:?}");
    let names: std::collections::HashSet<&str> = suite.cases.iter().map(|c| c.original_name.as_str()).collect();
    assert_eq!(names.len(), suite.cases.len(), "test names are unique within the suite");
}

#[test]
fn markdown_and_html_say_the_signature_then_the_verdict_first() {
    let r = reports();
    let md = r.text("r.md");
    let mut lines = md.lines();
    assert!(lines.next().unwrap().starts_with("> 🔏 **Signed (Ed25519) and unchanged since signing."), "{md}");
    assert!(md.contains("\n# ❌ konform certification: NOT CERTIFIED\n"), "{md}");
    assert!(md.contains("| CASE-005 | MUST | ❌ FAIL |"), "{md}");
    let html = r.text("r.html");
    assert!(!html.contains("<script"), "the HTML report has no scripts");
    let outside = outside_references(&html);
    assert!(outside.is_empty(), "the HTML report reaches outside itself: {outside:?}");
    let verdict = html.find("id=\"verdict\"").unwrap();
    assert!(verdict < html.find("id=\"matrix-case-intake-1-1-0\"").unwrap(), "the verdict comes before the matrix");
}

/// Everything in an HTML page that would make a browser fetch or go somewhere: attributes
/// holding a URL other than a fragment or `data:` (`href`, `src`, `srcset`, `action`, ...),
/// and `url(...)` or `@import` in a `<style>` element or a `style` attribute.
fn outside_references(html: &str) -> Vec<String> {
    const URL_ATTRIBUTES: [&str; 9] =
        ["href", "src", "srcset", "action", "formaction", "poster", "data", "background", "xlink:href"];
    let mut found = Vec::new();
    let mut in_style = false;
    let css_reaches_out = |css: &str| {
        let css = css.to_ascii_lowercase();
        css.contains("@import")
            || css.split("url(").skip(1).any(|rest| !rest.trim_start_matches(['\'', '"']).starts_with("data:"))
    };
    for token in html5gum::Tokenizer::new(html) {
        let Ok(token) = token;
        match token {
            html5gum::Token::StartTag(tag) => {
                let name = String::from_utf8_lossy(&tag.name).to_ascii_lowercase();
                in_style = name == "style";
                for (key, value) in &tag.attributes {
                    let key = String::from_utf8_lossy(key).to_ascii_lowercase();
                    let value = String::from_utf8_lossy(&value.value).trim().to_string();
                    let url = URL_ATTRIBUTES.contains(&key.as_str())
                        && !(value.starts_with('#') || value.to_ascii_lowercase().starts_with("data:"));
                    if url || (key == "style" && css_reaches_out(&value)) {
                        found.push(format!("<{name} {key}=\"{value}\">"));
                    }
                }
                if name == "meta"
                    && tag.attributes.values().any(|v| v.value.to_ascii_lowercase().starts_with(b"refresh"))
                {
                    found.push("<meta http-equiv=refresh>".into());
                }
            }
            html5gum::Token::EndTag(_) => in_style = false,
            html5gum::Token::String(text) if in_style => {
                let css = String::from_utf8_lossy(&text.value).into_owned();
                if css_reaches_out(&css) {
                    found.push(format!("<style> {}", css.chars().take(200).collect::<String>()));
                }
            }
            _ => {}
        }
    }
    found
}

#[test]
fn the_outside_reference_finder_finds_what_a_browser_would_fetch() {
    // The finder guards the HTML report; this shows it can fail.
    for page in [
        r#"<link rel="stylesheet" href="https://cdn.example/x.css">"#,
        r#"<img src="http://127.0.0.1/x.png">"#,
        r#"<IMG SRC='//tracker.example/p.gif'>"#,
        "<style>body { background: url(https://x.example/b.png) }</style>",
        "<style>@import 'x.css';</style>",
        r#"<div style="background:url('http://x')"></div>"#,
        r#"<a href="mailto:x@example.org">x</a>"#,
        r#"<form action="/submit"></form>"#,
    ] {
        assert!(!outside_references(page).is_empty(), "not found in {page}");
    }
    let inert = r##"<a href="#matrix">m</a><img src="data:image/png;base64,AAAA"><style>a{color:red}</style>
        <p>http://127.0.0.1:8080/ is text, not a link</p>"##;
    assert_eq!(outside_references(inert), Vec::<String>::new());
}

#[test]
fn reports_are_available_in_swedish() {
    let r = reports();
    for (format, needle) in [("markdown", "EJ CERTIFIERAD"), ("html", "Certifieringsrapport"), ("text", "UNDERKÄND")] {
        let out: Run = konform()
            .args(["report"])
            .arg(r.path("r.json"))
            .args(["--format", format, "--lang", "sv"])
            .output()
            .unwrap()
            .into();
        assert_eq!(out.code, 0, "{format}: {}", out.stderr);
        assert!(out.stdout.contains(needle), "{format}: {needle} missing");
        // Requirement texts come in Swedish too.
        if format != "text" {
            assert!(out.stdout.contains("Ärendets status kan hämtas"), "{format}");
        }
    }
}

/// Snapshots of what users read, with volatile values replaced by the production
/// normaliser (`konform report --normalize`).
#[test]
fn snapshots_of_every_format() {
    let r = reports();
    // Fingerprints change with every catalogue edit; they have their own tests.
    let mut value: Value = serde_json::from_str(&r.text("r.json")).unwrap();
    value.as_object_mut().unwrap().remove("signature");
    // (Placeholders for each file, and the combined fingerprint of that list, so the
    // rendered report is a consistent unsigned one.)
    for spec in value["specifications"].as_array_mut().unwrap() {
        let mut files = std::collections::BTreeMap::new();
        for (k, v) in spec["fingerprints"]["files"].as_object_mut().unwrap() {
            *v = Value::String("<sha256>".into());
            files.insert(k.clone(), "<sha256>".to_string());
        }
        spec["fingerprints"]["combined"] = konform::catalogue::fingerprint::combine(&files).into();
    }
    // The whole catalogue's fingerprint too (its version stays: it changes only on purpose).
    value["catalogue"]["fingerprint"] = Value::String("<sha256>".into());
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("r.json");
    std::fs::write(&input, serde_json::to_string(&value).unwrap()).unwrap();
    for (format, lang) in [
        ("json", "en"),
        ("junit", "en"),
        ("markdown", "en"),
        ("markdown", "sv"),
        ("html", "en"),
        ("html", "sv"),
        ("text", "en"),
        ("text", "sv"),
    ] {
        let out: Run = konform()
            .args(["report"])
            .arg(&input)
            .args(["--normalize", "--format", format, "--lang", lang])
            .output()
            .unwrap()
            .into();
        assert_eq!(out.code, 0, "{}", out.stderr);
        assert!(!out.stdout.contains("127.0.0.1:"), "{format}: the port is normalised");
        insta::assert_snapshot!(format!("report_{format}_{lang}"), out.stdout);
    }
}

#[test]
fn the_html_report_renders_in_a_real_browser() {
    let chromium = ["chromium", "chromium-browser", "google-chrome"]
        .into_iter()
        .find(|c| std::process::Command::new(c).arg("--version").output().is_ok_and(|o| o.status.success()));
    let chromium = chromium
        .expect("Chromium is needed for this test; .ci/run installs it (apt-get install chromium poppler-utils)");
    let r = reports();
    let profile = tempfile::tempdir().unwrap();
    let url = format!("file://{}", r.path("r.html").display());
    let flags = [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--enable-logging=stderr",
        "--v=0",
    ];
    let profile_flag = format!("--user-data-dir={}", profile.path().display());
    // Chromium writes caches and settings under $HOME and the XDG folders: all of them go to
    // a temporary home, and a browser that hangs is killed instead of hanging the suite.
    let home = tempfile::tempdir().unwrap();
    let browser = || {
        let mut cmd = assert_cmd::Command::new(chromium);
        cmd.env("HOME", home.path())
            .env("XDG_CONFIG_HOME", home.path().join(".config"))
            .env("XDG_CACHE_HOME", home.path().join(".cache"))
            .env("XDG_DATA_HOME", home.path().join(".local/share"))
            .timeout(std::time::Duration::from_secs(90))
            .args(flags)
            .arg(&profile_flag);
        cmd
    };
    // The DOM as rendered, and the console.
    let out = browser().arg("--dump-dom").arg(&url).output().unwrap();
    assert!(out.status.success(), "Chromium failed or timed out: {}", String::from_utf8_lossy(&out.stderr));
    let dom = String::from_utf8_lossy(&out.stdout);
    let console = String::from_utf8_lossy(&out.stderr);
    assert!(dom.contains("id=\"verdict\">NOT CERTIFIED<"), "the verdict is rendered:\n{}", &dom[..dom.len().min(2000)]);
    assert!(dom.contains("CASE-005") && dom.contains("id=\"matrix-case-intake-1-1-0\""), "the matrix is rendered");
    for bad in ["Uncaught", "SyntaxError", "TypeError", "ReferenceError"] {
        assert!(!console.contains(bad), "script error in the console:\n{console}");
    }
    // Printed to PDF, and the PDF's text holds the verdict and the matrix.
    let pdf = r.dir.path().join("r.pdf");
    let out = browser()
        .arg("--no-pdf-header-footer")
        .arg(format!("--print-to-pdf={}", pdf.display()))
        .arg(&url)
        .output()
        .unwrap();
    assert!(out.status.success(), "Chromium failed or timed out: {}", String::from_utf8_lossy(&out.stderr));
    assert!(pdf.is_file(), "no PDF: {}", String::from_utf8_lossy(&out.stderr));
    let bytes = std::fs::read(&pdf).unwrap();
    assert!(bytes.starts_with(b"%PDF"), "not a PDF");
    let text = std::process::Command::new("pdftotext")
        .arg(&pdf)
        .arg("-")
        .output()
        .expect("pdftotext (poppler-utils) is installed by .ci/run");
    let text = String::from_utf8_lossy(&text.stdout);
    assert!(
        text.contains("NOT CERTIFIED") && text.contains("CASE-005") && text.contains("CASE-013"),
        "the PDF shows the verdict and the matrix:\n{text}"
    );
    assert!(dom.contains("class=\"seal valid\""), "the signed run's page says it is signed");
    // On paper: A4, numbered pages with the vendor, product and verdict at the top, and the
    // failed requirement with its reason on the first page.
    let info = std::process::Command::new("pdfinfo").arg(&pdf).output().expect("pdfinfo (poppler-utils)");
    let info = String::from_utf8_lossy(&info.stdout);
    assert!(info.contains("(A4)"), "{info}");
    let pages: usize = info.lines().find_map(|l| l.strip_prefix("Pages:")).unwrap().trim().parse().unwrap();
    let page_one =
        std::process::Command::new("pdftotext").args(["-f", "1", "-l", "1"]).arg(&pdf).arg("-").output().unwrap();
    let page_one = String::from_utf8_lossy(&page_one.stdout);
    assert!(
        page_one.contains(&format!("1/{pages}")) || page_one.contains(&format!("1 / {pages}")),
        "page numbers:\n{page_one}"
    );
    assert!(page_one.contains("konform · reference vendor · NOT CERTIFIED"), "running header:\n{page_one}");
    assert!(
        page_one.contains("Why it is not certified")
            && page_one.contains("CASE-005")
            && page_one.contains("the required property \"updated\" is missing"),
        "the failed requirement and its reason on page 1:\n{page_one}"
    );

    // Rendering never launders: a report altered after signing, rendered again, says so
    // across the top of the page, in the DOM the browser built.
    let mut altered: serde_json::Value = serde_json::from_str(&r.text("r.json")).unwrap();
    altered["verdict"] = "certified".into();
    altered["specifications"][0]["verdict"] = "certified".into();
    let altered_json = r.dir.path().join("altered.json");
    std::fs::write(&altered_json, serde_json::to_string_pretty(&altered).unwrap()).unwrap();
    let altered_html = r.dir.path().join("altered.html");
    let out = konform()
        .arg("report")
        .arg(&altered_json)
        .args(["--format", "html", "-o"])
        .arg(&altered_html)
        .args(["--public-key", &r.path("k.pub").display().to_string()])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let out = browser().arg("--dump-dom").arg(format!("file://{}", altered_html.display())).output().unwrap();
    let dom = String::from_utf8_lossy(&out.stdout);
    let banner = dom.find("class=\"seal altered\"").expect("the altered banner is on the page");
    assert!(banner < dom.find("id=\"verdict\"").unwrap(), "the banner comes before the verdict");
    assert!(
        dom.contains("NOT A CERTIFICATE") && dom.contains("changed after signing"),
        "{}",
        &dom[..dom.len().min(3000)]
    );
}

#[test]
fn the_run_summary_goes_to_stdout_with_failures_and_curl_lines() {
    let r = reports();
    assert!(r.run.stdout.contains("NOT CERTIFIED"));
    assert!(r.run.stdout.contains("expected: valid against #/components/schemas/CaseStatus"), "{}", r.run.stdout);
    assert!(r.run.stdout.contains("curl 'http://127.0.0.1:"), "{}", r.run.stdout);
    assert!(r.run.stderr.contains("wrote the html report to"), "{}", r.run.stderr);
}

#[test]
fn sigint_settles_in_flight_requests_and_writes_reports_marked_interrupted() {
    use std::time::{Duration, Instant};
    // Every answer takes 700 ms: the run is still going when the signal arrives.
    let asked = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let counted = asked.clone();
    let server = common::server::start(move |_, stream| {
        counted.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        async move {
            tokio::time::sleep(Duration::from_millis(700)).await;
            common::server::respond(stream, "200 OK", &[("Content-Type", "application/json")], br#"{"name":"thing"}"#)
                .await;
        }
    });
    let dir = tempfile::tempdir().unwrap();
    let json = dir.path().join("r.json");
    let html = dir.path().join("r.html");
    let catalogue = project_root().join("fixtures/catalogues/hostile");
    let bin = assert_cmd::cargo::cargo_bin("konform");
    let child = std::process::Command::new(bin)
        .env("NO_COLOR", "1")
        .args(["run", "thing", "--jobs", "1", "--timeout", "10s", "--catalogue"])
        .arg(&catalogue)
        .args([
            "--base-url",
            &server.url(),
            "--report",
            &format!("json={}", json.display()),
            "--report",
            &format!("html={}", html.display()),
        ])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    // The signal comes while the first step's request is in flight: once the vendor has it
    // (the preflight's GET came first; a slow start on a loaded machine must not leave
    // nothing in flight), well within its 700 ms.
    let waiting = Instant::now();
    while asked.load(std::sync::atomic::Ordering::SeqCst) < 2 {
        assert!(waiting.elapsed() < Duration::from_secs(60), "no request reached the vendor");
        std::thread::sleep(Duration::from_millis(10));
    }
    std::thread::sleep(Duration::from_millis(100));
    let started = Instant::now();
    let kill = std::process::Command::new("kill").args(["-INT", &child.id().to_string()]).status().unwrap();
    assert!(kill.success());
    let out = child.wait_with_output().unwrap();
    assert!(started.elapsed() < Duration::from_secs(5), "the run stops promptly after SIGINT");
    assert_eq!(out.status.code(), Some(3), "an interrupted run exits 3\n{}", String::from_utf8_lossy(&out.stderr));
    let text = std::fs::read_to_string(&json).expect("the JSON report is written");
    assert_valid_report(&text);
    let report: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(report["interrupted"], true);
    assert_eq!(report["verdict"], "not_certified");
    assert!(report["counts"]["steps_passed"].as_u64().unwrap() >= 1, "the step in flight settled and was judged");
    assert!(report["counts"]["steps_skipped"].as_u64().unwrap() >= 1, "later steps did not start");
    assert!(std::fs::read_to_string(&html).unwrap().contains("Interrupted"));
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 2, "no temporary files are left");
}
