//! The register of results: only signed, untampered reports from trusted keys made with
//! the catalogue get in; revocation keeps the report and shows it; the built site is
//! self-contained, renders in Chromium with its history rows and badge colours, and its
//! registry.json fits docs/registry-schema.json; badges are snapshot-tested.

mod common;

use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use std::time::{Duration, SystemTime};

use common::{konform, project_root, Run};
use konform::model::Lang;
use konform::register::badge;
use konform::register::registry::Status;
use serde_json::Value;

/// A day `days` from today (UTC), as YYYY-MM-DD.
fn day_from_today(days: u64) -> String {
    let at = SystemTime::now() + Duration::from_secs(days * 86_400);
    humantime::format_rfc3339_seconds(at).to_string()[..10].to_string()
}

/// Keys, a catalogue whose case-intake 1.0.0 retires in 30 days, and signed demo reports:
///
/// - `acme1.json`, `acme2.json`: Acme AB's Ärendeportal, certified, then with a fault;
/// - `beta.json`: a product with hostile names, certified (revoked by the tests that need it);
/// - `gamma.json`: case-intake 1.0.0 and 1.1.0, certified, valid for 10 days;
/// - `untrusted.json` (another key), `unsigned.json`, `tampered.json` (a verdict edited).
struct Fixture {
    dir: tempfile::TempDir,
}

impl Fixture {
    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }
    fn arg(&self, name: &str) -> String {
        self.path(name).display().to_string()
    }
    fn report(&self, name: &str) -> Value {
        serde_json::from_str(&std::fs::read_to_string(self.path(name)).unwrap()).unwrap()
    }
    fn id(&self, name: &str) -> String {
        self.report(name)["id"].as_str().unwrap().to_string()
    }
    fn catalogue(&self) -> String {
        self.arg("catalogue")
    }
}

fn run(cmd: &mut assert_cmd::Command) -> Run {
    cmd.output().unwrap().into()
}

fn demo(f: &Fixture, out: &str, args: &[&str], code: i32) {
    let r = run(konform()
        .args(["demo", "--jobs", "1", "--catalogue", &f.catalogue()])
        .args(args)
        .args(["--report", &format!("json={}", f.arg(out))]));
    assert_eq!(r.code, code, "{out}: {}", r.stderr);
}

fn fixture() -> &'static Fixture {
    static FIXTURE: OnceLock<Fixture> = OnceLock::new();
    FIXTURE.get_or_init(|| {
        let f = Fixture { dir: tempfile::tempdir().unwrap() };
        common::copy_tree(&project_root().join("conformance-suites"), &f.path("catalogue"));
        common::edit(
            &f.path("catalogue/case-intake/1.0.0/spec.yaml"),
            "sunset: 2027-04-01",
            &format!("sunset: {}", day_from_today(30)),
        );
        for key in ["lab", "other"] {
            let r = run(konform()
                .args(["keygen", "--private", &f.arg(&format!("{key}.key"))])
                .args(["--public", &f.arg(&format!("{key}.pub"))]));
            assert_eq!(r.code, 0, "{}", r.stderr);
        }
        let lab = f.arg("lab.key");
        let acme = ["--sign-key", &lab, "--issuer", "Testlab", "--vendor", "Acme AB", "--product", "Ärendeportal"];
        demo(&f, "acme1.json", &[&["case-intake@1.1.0", "--product-version", "2.3"][..], &acme].concat(), 0);
        demo(
            &f,
            "acme2.json",
            &[&["case-intake@1.1.0", "--product-version", "2.4", "--fault", "missing-field"][..], &acme].concat(),
            1,
        );
        let hostile = ["--vendor", "Beta <script>alert(1)</script>", "--product", "Case&Co \"<b>\""];
        demo(&f, "beta.json", &[&["case-intake@1.1.0", "--sign-key", &lab][..], &hostile].concat(), 0);
        demo(
            &f,
            "gamma.json",
            &["case-intake@1.0.0", "case-intake@1.1.0", "--sign-key", &lab, "--valid-for", "10d", "--vendor", "Gamma"],
            0,
        );
        demo(&f, "untrusted.json", &["case-intake@1.1.0", "--sign-key", &f.arg("other.key")], 0);
        demo(&f, "unsigned.json", &["case-intake@1.1.0"], 0);
        // A verdict edited after signing: a requirement that passed now fails.
        let mut tampered = f.report("acme1.json");
        let verdict = &mut tampered["specifications"][0]["requirements"][0]["verdict"];
        assert_eq!(verdict, "pass");
        *verdict = Value::from("fail");
        std::fs::write(f.path("tampered.json"), serde_json::to_string_pretty(&tampered).unwrap()).unwrap();
        f
    })
}

/// A new register in a temporary folder, trusting the key `lab`.
fn register() -> tempfile::TempDir {
    let f = fixture();
    let dir = tempfile::tempdir().unwrap();
    let reg = dir.path().join("reg").display().to_string();
    let r = run(konform().args(["register", "init", &reg]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    let r = run(konform().args(["register", "trust", &f.arg("lab.pub"), "--name", "lab", "--register", &reg]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    dir
}

fn reg(dir: &tempfile::TempDir) -> String {
    dir.path().join("reg").display().to_string()
}

fn add(dir: &tempfile::TempDir, reports: &[&str]) -> Run {
    let f = fixture();
    let paths: Vec<String> = reports.iter().map(|r| f.arg(r)).collect();
    run(konform().args(["register", "add"]).args(&paths).args(["--register", &reg(dir), "--catalogue", &f.catalogue()]))
}

/// The ids of the reports the register holds.
fn stored(dir: &tempfile::TempDir) -> Vec<String> {
    let mut ids: Vec<String> = std::fs::read_dir(dir.path().join("reg/reports"))
        .unwrap()
        .map(|e| e.unwrap().path().file_stem().unwrap().to_string_lossy().into_owned())
        .collect();
    ids.sort();
    ids
}

/// A register with every good report, Beta's revoked, built as of `at` into `site`.
fn built(at: Option<&str>) -> tempfile::TempDir {
    let f = fixture();
    let dir = register();
    let r = add(&dir, &["acme1.json", "acme2.json", "beta.json", "gamma.json"]);
    assert_eq!(r.code, 0, "{}\n{}", r.stdout, r.stderr);
    let r = run(konform().args(["register", "revoke", &f.id("beta.json"), "--register", &reg(&dir)]).args([
        "--reason",
        "tested against the <wrong> environment & signed",
        "--date",
        &day_from_today(1),
    ]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    let site = dir.path().join("site").display().to_string();
    let mut cmd = konform();
    cmd.args(["register", "build", &reg(&dir), "--out", &site]);
    if let Some(at) = at {
        cmd.args(["--at", at]);
    }
    let r = run(&mut cmd);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.contains("3 products, 4 reports"), "{}", r.stdout);
    dir
}

fn site_file(dir: &tempfile::TempDir, rel: &str) -> String {
    std::fs::read_to_string(dir.path().join("site").join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

fn registry(dir: &tempfile::TempDir) -> Value {
    serde_json::from_str(&site_file(dir, "registry.json")).unwrap()
}

/// The product of registry.json whose vendor is `vendor`.
fn product<'a>(registry: &'a Value, vendor: &str) -> &'a Value {
    registry["products"].as_array().unwrap().iter().find(|p| p["vendor"] == vendor).unwrap()
}

/// Each standing of a product as `spec@version status`.
fn standing(registry: &Value, vendor: &str) -> Vec<String> {
    product(registry, vendor)["standing"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            format!(
                "{}@{} {}",
                s["specification"].as_str().unwrap(),
                s["version"].as_str().unwrap(),
                s["status"].as_str().unwrap()
            )
        })
        .collect()
}

#[test]
fn signed_reports_from_a_trusted_key_are_added_once_by_their_id() {
    let f = fixture();
    let dir = register();
    let r = add(&dir, &["acme1.json", "acme2.json"]);
    assert_eq!(r.code, 0, "{}\n{}", r.stdout, r.stderr);
    for name in ["acme1.json", "acme2.json"] {
        let id = f.id(name);
        assert!(
            r.stdout.contains(&format!(
                "{}: added as {id} (Ärendeportal from Acme AB, signed with the key lab)",
                f.arg(name)
            )),
            "{}",
            r.stdout
        );
        // Kept byte for byte, so its signature still holds in the register.
        let kept = std::fs::read(dir.path().join(format!("reg/reports/{id}.json"))).unwrap();
        assert_eq!(kept, std::fs::read(f.path(name)).unwrap());
    }
    let mut ids = vec![f.id("acme1.json"), f.id("acme2.json")];
    ids.sort();
    assert_eq!(stored(&dir), ids);
    // Adding it again changes nothing.
    let again = add(&dir, &["acme1.json"]);
    assert_eq!(again.code, 0, "{}", again.stderr);
    assert!(again.stdout.contains("already in the register"), "{}", again.stdout);
    assert_eq!(stored(&dir), ids);
}

#[test]
fn unsigned_tampered_and_untrusted_reports_are_refused_naming_the_file_and_why() {
    let dir = register();
    for (name, why) in [
        ("unsigned.json", "refused: it is unsigned; the register accepts only signed reports"),
        ("tampered.json", "refused: its signature does not hold: the signature does not match the report's content"),
        ("untrusted.json", "refused: it is signed with a key the register does not trust (SHA-256 "),
    ] {
        let r = add(&dir, &[name]);
        assert_eq!(r.code, 1, "{name}: {}\n{}", r.stdout, r.stderr);
        let line = format!("{}: {why}", fixture().arg(name));
        assert!(r.stderr.contains(&line), "{name}: expected `{line}` in:\n{}", r.stderr);
        assert_eq!(stored(&dir), Vec::<String>::new(), "{name} was kept");
    }
    // One refused among good ones: the good ones get in, the exit code says one did not.
    let r = add(&dir, &["acme1.json", "tampered.json"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert_eq!(stored(&dir), vec![fixture().id("acme1.json")]);
    // Once its key is trusted, the other report gets in.
    let r = run(konform().args([
        "register",
        "trust",
        &fixture().arg("other.pub"),
        "--name",
        "other-lab",
        "--register",
        &reg(&dir),
    ]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(add(&dir, &["untrusted.json"]).code, 0);
}

#[test]
fn a_report_made_with_other_catalogue_files_is_refused() {
    let f = fixture();
    let dir = register();
    let changed = tempfile::tempdir().unwrap();
    common::copy_tree(&f.path("catalogue"), changed.path());
    let requirements = changed.path().join("case-intake/1.1.0/requirements.yaml");
    let text = std::fs::read_to_string(&requirements).unwrap();
    std::fs::write(&requirements, text + "\n# edited\n").unwrap();
    let r = run(konform()
        .args(["register", "add", &f.arg("acme1.json"), "--register", &reg(&dir), "--catalogue"])
        .arg(changed.path()));
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(
        r.stderr.contains("refused: it was not made with the catalogue at")
            && r.stderr.contains("case-intake@1.1.0 differ"),
        "{}",
        r.stderr
    );
    assert_eq!(stored(&dir), Vec::<String>::new());
}

#[test]
fn bad_input_is_exit_2_naming_the_file() {
    let f = fixture();
    let dir = register();
    let junk = dir.path().join("junk.json");
    std::fs::write(&junk, "{\"verdict\": ").unwrap();
    let r = run(konform().args(["register", "add"]).arg(&junk).args([
        "--register",
        &reg(&dir),
        "--catalogue",
        &f.catalogue(),
    ]));
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains(&format!("{} is not a valid report file", junk.display())), "{}", r.stderr);
    // Not a register.
    let r = run(konform()
        .args(["register", "add", &f.arg("acme1.json"), "--register"])
        .arg(dir.path())
        .args(["--catalogue", &f.catalogue()]));
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains("has no register.toml"), "{}", r.stderr);
    // No catalogue.
    let r = run(konform()
        .args(["register", "add", &f.arg("acme1.json"), "--register", &reg(&dir), "--catalogue"])
        .arg(dir.path().join("nothing")));
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains("no catalogue folder at"), "{}", r.stderr);
    // A key that is not a key, and a name that is not a file name.
    let r = run(konform().args(["register", "trust", &f.arg("lab.key"), "--name", "x", "--register", &reg(&dir)]));
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains("lab.key") && r.stderr.contains("is not an Ed25519 public key"), "{}", r.stderr);
    let r = run(konform().args(["register", "trust", &f.arg("other.pub"), "--name", "../x", "--register", &reg(&dir)]));
    assert_eq!(r.code, 2, "{}", r.stderr);
    // Revoking what is not there, or without a reason.
    let r = run(konform().args(["register", "revoke", "no-such-id", "--reason", "x", "--register", &reg(&dir)]));
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains("holds no report no-such-id"), "{}", r.stderr);
}

#[test]
fn a_report_changed_inside_the_register_stops_the_build() {
    let f = fixture();
    let dir = register();
    assert_eq!(add(&dir, &["acme1.json"]).code, 0);
    let kept = dir.path().join(format!("reg/reports/{}.json", f.id("acme1.json")));
    common::edit(&kept, "\"verdict\": \"pass\"", "\"verdict\": \"fail\"");
    let r = run(konform().args(["register", "build", &reg(&dir), "--out"]).arg(dir.path().join("site")));
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(
        r.stderr.contains(&kept.display().to_string()) && r.stderr.contains("signature does not hold"),
        "{}",
        r.stderr
    );
}

#[test]
fn revocation_keeps_the_report_and_shows_on_the_site_and_badge() {
    let f = fixture();
    let dir = built(None);
    let id = f.id("beta.json");
    assert!(stored(&dir).contains(&id), "the revoked report stays");
    let revocation: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.path().join(format!("reg/revocations/{id}.json"))).unwrap())
            .unwrap();
    assert_eq!(revocation["reason"], "tested against the <wrong> environment & signed");
    // Revoking it again is refused.
    let r = run(konform().args(["register", "revoke", &id, "--reason", "again", "--register", &reg(&dir)]));
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains("already revoked"), "{}", r.stderr);

    let registry = registry(&dir);
    let beta = product(&registry, "Beta <script>alert(1)</script>");
    assert_eq!(beta["standing"][0]["status"], "revoked");
    assert_eq!(beta["standing"][0]["revoked"]["reason"], "tested against the <wrong> environment & signed");
    assert_eq!(beta["runs"][0]["revoked"]["date"], day_from_today(1));
    let slug = beta["slug"].as_str().unwrap();
    let svg = site_file(&dir, &format!("en/badges/{slug}/case-intake-1.1.0.svg"));
    assert!(svg.contains(">revoked</text>") && svg.contains(badge::colour(Status::Revoked)), "{svg}");
    let endpoint: Value =
        serde_json::from_str(&site_file(&dir, &format!("sv/badges/{slug}/case-intake-1.1.0.json"))).unwrap();
    assert_eq!(endpoint["message"], "återkallad");
    let page = site_file(&dir, &format!("en/products/{slug}.html"));
    assert!(page.contains("tested against the &lt;wrong&gt; environment &amp; signed"), "the reason, escaped");
    assert!(page.contains("<tr class=\"revoked\""), "the run is marked revoked in the history");
    let index = site_file(&dir, "sv/index.html");
    assert!(index.contains("<span class=\"status revoked\">återkallad</span>"), "{index}");
}

#[test]
fn the_history_shows_each_run_and_the_requirements_that_changed() {
    let f = fixture();
    let dir = built(None);
    let registry = registry(&dir);
    let acme = product(&registry, "Acme AB");
    let runs = acme["runs"].as_array().unwrap();
    assert_eq!(
        runs.iter().map(|r| r["report"].as_str().unwrap()).collect::<Vec<_>>(),
        [f.id("acme1.json"), f.id("acme2.json")]
    );
    assert_eq!(runs[0]["specifications"][0]["has_previous"], false);
    // The requirements whose verdict changed are exactly those that passed in the first
    // run and did not in the second.
    let verdicts = |name: &str| -> Vec<(String, String)> {
        f.report(name)["specifications"][0]["requirements"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| (r["id"].as_str().unwrap().to_string(), r["verdict"].as_str().unwrap().to_string()))
            .collect()
    };
    let expected: Vec<Value> = verdicts("acme1.json")
        .into_iter()
        .zip(verdicts("acme2.json"))
        .filter(|(a, b)| a.1 != b.1)
        .map(|(a, b)| serde_json::json!({"requirement": a.0, "from": a.1, "to": b.1}))
        .collect();
    assert!(!expected.is_empty(), "the fault changes a verdict");
    let changes: Vec<Value> = runs[1]["specifications"][0]["changes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| serde_json::json!({"requirement": c["requirement"], "from": c["from"], "to": c["to"]}))
        .collect();
    assert_eq!(changes, expected);
    assert_eq!(acme["standing"][0]["status"], "not_certified", "the latest run decides");
    assert_eq!(runs[1]["product_version"], "2.4");
    assert_eq!(runs[1]["issuer"], "Testlab");
    assert_eq!(runs[1]["key"]["name"], "lab");
}

#[test]
fn validity_is_judged_on_the_day_given() {
    let today = registry(&built(None));
    assert_eq!(standing(&today, "Gamma"), ["case-intake@1.0.0 certified", "case-intake@1.1.0 certified"]);
    // Valid for 10 days: expired after them, and 1.0.0 retired after its sunset.
    let later = registry(&built(Some(&day_from_today(20))));
    assert_eq!(later["at"], day_from_today(20));
    assert_eq!(standing(&later, "Gamma"), ["case-intake@1.0.0 expired", "case-intake@1.1.0 expired"]);
    let after_sunset = registry(&built(Some(&day_from_today(31))));
    assert_eq!(standing(&after_sunset, "Gamma"), ["case-intake@1.0.0 retired", "case-intake@1.1.0 expired"]);
    // Whatever the day, not certified stays not certified and revoked stays revoked.
    assert_eq!(standing(&after_sunset, "Acme AB"), ["case-intake@1.1.0 not_certified"]);
    assert_eq!(standing(&after_sunset, "Beta <script>alert(1)</script>"), ["case-intake@1.1.0 revoked"]);
}

#[test]
fn registry_json_fits_its_schema_and_the_committed_schema_is_current() {
    let generated = konform::register::registry::json_schema();
    let committed = std::fs::read_to_string(project_root().join("docs/registry-schema.json")).unwrap();
    assert!(
        committed == generated,
        "docs/registry-schema.json is stale: run `cargo run -- register schema > docs/registry-schema.json`"
    );
    let printed = run(konform().args(["register", "schema"]));
    assert_eq!(printed.stdout, generated);
    let schema = jsonschema::validator_for(&serde_json::from_str(&committed).unwrap()).unwrap();
    let dir = built(None);
    let value = registry(&dir);
    let errors: Vec<String> = schema.iter_errors(&value).map(|e| format!("{}: {e}", e.instance_path())).collect();
    assert!(errors.is_empty(), "registry.json does not fit docs/registry-schema.json: {errors:#?}");
    assert_eq!(value["format"], "konform-registry/1");
    // Every path it names is a file of the site.
    for p in value["products"].as_array().unwrap() {
        let mut paths = vec![p["pages"]["sv"].clone(), p["pages"]["en"].clone()];
        for s in p["standing"].as_array().unwrap() {
            for kind in ["svg", "json"] {
                paths.extend([s["badge"][kind]["sv"].clone(), s["badge"][kind]["en"].clone()]);
            }
        }
        paths.extend(p["runs"].as_array().unwrap().iter().map(|r| r["file"].clone()));
        for path in paths {
            assert!(dir.path().join("site").join(path.as_str().unwrap()).is_file(), "{path}");
        }
    }
}

/// Every `src`/`href`/... of a page, and whether each is a relative link to a file of the
/// site (`None`) or something else (`Some(why)`).
fn links(page: &Path) -> Vec<(String, Option<&'static str>)> {
    let html = std::fs::read_to_string(page).unwrap();
    let mut out = Vec::new();
    for token in html5gum::Tokenizer::new(&html) {
        let Ok(html5gum::Token::StartTag(tag)) = token else { continue };
        for (key, value) in &tag.attributes {
            let key = String::from_utf8_lossy(key).to_ascii_lowercase();
            if !["src", "href", "action", "srcset", "poster", "data", "formaction", "background"]
                .contains(&key.as_str())
            {
                continue;
            }
            let value = String::from_utf8_lossy(&value.value).trim().to_string();
            let target = page.parent().unwrap().join(value.split('#').next().unwrap());
            let why = if value.contains(':') || value.starts_with('/') || value.starts_with('\\') {
                Some("not a relative link")
            } else if !target.is_file() {
                Some("names no file of the site")
            } else {
                None
            };
            out.push((value, why));
        }
    }
    out
}

#[test]
fn the_site_loads_nothing_from_elsewhere_and_every_link_leads_to_a_file_of_it() {
    let dir = built(None);
    let pages = common::files_under(&dir.path().join("site"), &["html"]);
    assert_eq!(pages.len(), 1 + 2 * (1 + 3), "the chooser, and per language an index and three product pages");
    let mut checked = 0;
    for page in &pages {
        let html = std::fs::read_to_string(page).unwrap();
        assert!(!html.contains("<script"), "{}: a script", page.display());
        assert!(
            !html.to_ascii_lowercase().contains("url(") && !html.contains("@import"),
            "{}: CSS that loads",
            page.display()
        );
        for (link, why) in links(page) {
            assert_eq!(why, None, "{}: {link}", page.display());
            checked += 1;
        }
    }
    assert!(checked > 20, "links were found ({checked})");
    // The badges load nothing either.
    for svg in common::files_under(&dir.path().join("site"), &["svg"]) {
        let text = std::fs::read_to_string(&svg).unwrap();
        let without_namespace = text.replace("xmlns=\"http://www.w3.org/2000/svg\"", "");
        assert!(
            !without_namespace.contains("http") && !without_namespace.contains("href"),
            "{}: {text}",
            svg.display()
        );
    }
    // The link finder can fail.
    let bad = dir.path().join("site/bad.html");
    std::fs::write(&bad, r#"<img src="https://x.example/a.png"><a href="//x.example/">x</a><a href="missing.html">m</a><link href="en/index.html">"#).unwrap();
    let found: Vec<Option<&str>> = links(&bad).into_iter().map(|(_, why)| why).collect();
    assert_eq!(
        found,
        [Some("not a relative link"), Some("not a relative link"), Some("names no file of the site"), None]
    );
}

#[test]
fn vendor_values_are_escaped_everywhere() {
    let dir = built(None);
    for page in common::files_under(&dir.path().join("site"), &["html", "svg"]) {
        let text = std::fs::read_to_string(&page).unwrap();
        for raw in ["<script>alert", "<b>", "<wrong>"] {
            assert!(!text.contains(raw), "{} shows {raw} raw", page.display());
        }
    }
    let registry = registry(&dir);
    let slug = product(&registry, "Beta <script>alert(1)</script>")["slug"].as_str().unwrap().to_string();
    let page = site_file(&dir, &format!("en/products/{slug}.html"));
    assert!(
        page.contains("Case&amp;Co &quot;&lt;b&gt;&quot; from Beta &lt;script&gt;alert(1)&lt;/script&gt;"),
        "{page}"
    );
}

#[test]
fn swedish_pages_say_nothing_in_english() {
    let dir = built(None);
    use konform::messages::Reg;
    let english: Vec<String> = [
        Reg::Intro,
        Reg::Products,
        Reg::Specification,
        Reg::LatestRun,
        Reg::ValidUntil,
        Reg::TrustedKeys,
        Reg::TrustedKeysIntro,
        Reg::Standing,
        Reg::History,
        Reg::HistoryIntro,
        Reg::Verdict,
        Reg::ProductVersion,
        Reg::Changes,
        Reg::FirstRun,
        Reg::NoChange,
        Reg::BadgeFiles,
        Reg::BackToIndex,
        Reg::StatusCertified,
        Reg::StatusRevoked,
        Reg::Footer { version: String::new() },
    ]
    .iter()
    .map(|m| m.get(Lang::En))
    .collect();
    let mut pages = common::files_under(&dir.path().join("site/sv"), &["html", "svg"]);
    pages.retain(|p| !p.to_string_lossy().contains("/en/"));
    assert!(pages.len() >= 4);
    // What a person reads: the text, not the markup (class names are English).
    let tags = regex::Regex::new(r"(?s)<style>.*?</style>|<[^>]*>").unwrap();
    for page in pages {
        let html = std::fs::read_to_string(&page).unwrap();
        let text = tags.replace_all(&html, " ");
        for phrase in &english {
            assert!(!text.contains(phrase.trim()), "{} says `{phrase}`", page.display());
        }
        assert!(html.contains("lang=\"sv\"") || html.ends_with("</svg>\n"), "{}", page.display());
    }
}

#[test]
fn badges() {
    let mut all = String::new();
    for lang in [Lang::En, Lang::Sv] {
        for status in [Status::Certified, Status::NotCertified, Status::Expired, Status::Retired, Status::Revoked] {
            all.push_str(&badge::svg("case-intake 1.1.0", status, lang));
            all.push_str(&badge::endpoint("case-intake 1.1.0", status, lang));
        }
    }
    insta::assert_snapshot!("badges", all);
    // The site's badges are these.
    let dir = built(None);
    let registry = registry(&dir);
    let slug = product(&registry, "Acme AB")["slug"].as_str().unwrap().to_string();
    assert_eq!(
        site_file(&dir, &format!("en/badges/{slug}/case-intake-1.1.0.svg")),
        badge::svg("case-intake 1.1.0", Status::NotCertified, Lang::En)
    );
}

/// Chromium, run headless with its files in temporary folders.
struct Browser {
    binary: &'static str,
    home: tempfile::TempDir,
    profile: tempfile::TempDir,
}

impl Browser {
    fn new() -> Browser {
        let binary = ["chromium", "chromium-browser", "google-chrome"]
            .into_iter()
            .find(|c| std::process::Command::new(c).arg("--version").output().is_ok_and(|o| o.status.success()))
            .expect("Chromium is needed for this test; .ci/run installs it (apt-get install chromium)");
        Browser { binary, home: tempfile::tempdir().unwrap(), profile: tempfile::tempdir().unwrap() }
    }

    fn run(&self, args: &[String]) -> std::process::Output {
        let home = self.home.path();
        let out = assert_cmd::Command::new(self.binary)
            .env("HOME", home)
            .env("XDG_CONFIG_HOME", home.join(".config"))
            .env("XDG_CACHE_HOME", home.join(".cache"))
            .env("XDG_DATA_HOME", home.join(".local/share"))
            .timeout(Duration::from_secs(90))
            .args(["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"])
            .args(["--disable-component-update", "--disable-sync", "--hide-scrollbars"])
            // Nothing may be fetched from a network: every name resolves to nowhere.
            .arg("--host-resolver-rules=MAP * ~NOTFOUND")
            .arg(format!("--user-data-dir={}", self.profile.path().display()))
            .args(args)
            .output()
            .unwrap();
        assert!(out.status.success(), "Chromium failed or timed out: {}", String::from_utf8_lossy(&out.stderr));
        out
    }

    fn dom(&self, page: &Path) -> String {
        let out = self.run(&["--dump-dom".into(), format!("file://{}", page.display())]);
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    fn screenshot(&self, page: &Path, width: u32, height: u32) -> Png {
        let png = self.profile.path().join("shot.png");
        self.run(&[
            format!("--screenshot={}", png.display()),
            format!("--window-size={width},{height}"),
            format!("file://{}", page.display()),
        ]);
        Png::decode(&std::fs::read(&png).unwrap())
    }
}

/// A decoded PNG (8-bit RGB or RGBA, not interlaced: what Chromium writes).
struct Png {
    width: usize,
    height: usize,
    rgb: Vec<[u8; 3]>,
}

impl Png {
    fn decode(bytes: &[u8]) -> Png {
        use std::io::Read;
        assert_eq!(&bytes[..8], b"\x89PNG\r\n\x1a\n", "a PNG");
        let (mut at, mut idat, mut ihdr) = (8, Vec::new(), Vec::new());
        while at + 8 <= bytes.len() {
            let len = u32::from_be_bytes(bytes[at..at + 4].try_into().unwrap()) as usize;
            let kind = &bytes[at + 4..at + 8];
            let data = &bytes[at + 8..at + 8 + len];
            match kind {
                b"IHDR" => ihdr = data.to_vec(),
                b"IDAT" => idat.extend_from_slice(data),
                _ => {}
            }
            at += 12 + len;
        }
        let width = u32::from_be_bytes(ihdr[0..4].try_into().unwrap()) as usize;
        let height = u32::from_be_bytes(ihdr[4..8].try_into().unwrap()) as usize;
        assert_eq!((ihdr[8], ihdr[12]), (8, 0), "8-bit, not interlaced");
        let channels = match ihdr[9] {
            2 => 3,
            6 => 4,
            other => panic!("colour type {other}"),
        };
        let mut raw = Vec::new();
        flate2::read::ZlibDecoder::new(&idat[..]).read_to_end(&mut raw).unwrap();
        let stride = width * channels;
        let mut pixels = vec![0u8; stride * height];
        for y in 0..height {
            let filter = raw[y * (stride + 1)];
            let line = &raw[y * (stride + 1) + 1..(y + 1) * (stride + 1)];
            for x in 0..stride {
                let a = if x >= channels { pixels[y * stride + x - channels] as i32 } else { 0 };
                let b = if y > 0 { pixels[(y - 1) * stride + x] as i32 } else { 0 };
                let c = if x >= channels && y > 0 { pixels[(y - 1) * stride + x - channels] as i32 } else { 0 };
                let predicted = match filter {
                    0 => 0,
                    1 => a,
                    2 => b,
                    3 => (a + b) / 2,
                    4 => {
                        let p = a + b - c;
                        let (pa, pb, pc) = ((p - a).abs(), (p - b).abs(), (p - c).abs());
                        if pa <= pb && pa <= pc {
                            a
                        } else if pb <= pc {
                            b
                        } else {
                            c
                        }
                    }
                    other => panic!("filter {other}"),
                };
                pixels[y * stride + x] = (line[x] as i32 + predicted) as u8;
            }
        }
        let rgb = pixels.chunks(channels).map(|p| [p[0], p[1], p[2]]).collect();
        Png { width, height, rgb }
    }

    fn at(&self, x: usize, y: usize) -> [u8; 3] {
        self.rgb[y * self.width + x]
    }

    /// Whether a row has `run` pixels of exactly `colour` side by side.
    fn has_run(&self, colour: [u8; 3], run: usize) -> bool {
        (0..self.height).any(|y| {
            let mut n = 0;
            (0..self.width).any(|x| {
                n = if self.at(x, y) == colour { n + 1 } else { 0 };
                n >= run
            })
        })
    }
}

fn rgb(hex: &str) -> [u8; 3] {
    let v = u32::from_str_radix(hex.trim_start_matches('#'), 16).unwrap();
    [(v >> 16) as u8, (v >> 8) as u8, v as u8]
}

#[test]
fn the_site_renders_in_chromium_with_its_history_rows_and_badge_colours() {
    let dir = built(None);
    let site = dir.path().join("site");
    let registry = registry(&dir);
    let acme = product(&registry, "Acme AB")["slug"].as_str().unwrap().to_string();
    let browser = Browser::new();

    // The product page as rendered: one history row per run, newest first, and the change.
    let dom = browser.dom(&site.join(format!("en/products/{acme}.html")));
    let rows: Vec<&str> = dom.split("<tr").filter(|r| r.contains("data-report=")).collect();
    assert_eq!(rows.len(), 2, "{dom}");
    assert!(rows[0].contains(&fixture().id("acme2.json")) && rows[0].contains("NOT CERTIFIED"), "{}", rows[0]);
    assert!(
        rows[1].contains(&fixture().id("acme1.json")) && rows[1].contains("first run of this version"),
        "{}",
        rows[1]
    );
    assert!(rows[0].contains("<li class=\"change\">"), "{}", rows[0]);
    let index = browser.dom(&site.join("sv/index.html"));
    assert_eq!(index.matches("<tr data-status=").count(), 4, "a row per product and version: {index}");

    // The badges as drawn: the label on grey, the status in its colour.
    for (vendor, version, status) in [
        ("Acme AB", "1.1.0", Status::NotCertified),
        ("Gamma", "1.0.0", Status::Certified),
        ("Beta <script>alert(1)</script>", "1.1.0", Status::Revoked),
    ] {
        let slug = product(&registry, vendor)["slug"].as_str().unwrap().to_string();
        let svg = site.join(format!("en/badges/{slug}/case-intake-{version}.svg"));
        let text = std::fs::read_to_string(&svg).unwrap();
        let width: usize = text.split("width=\"").nth(1).unwrap().split('"').next().unwrap().parse().unwrap();
        let shot = browser.screenshot(&svg, 400, 100);
        assert_eq!(shot.at(4, 2), rgb("#555555"), "{vendor}: the label side");
        assert_eq!(shot.at(width - 5, 2), rgb(badge::colour(status)), "{vendor}: the status side");
        assert_eq!(shot.at(width + 5, 2), [255, 255, 255], "{vendor}: nothing past the badge");
    }
    // And the status pills of the index in theirs.
    let shot = browser.screenshot(&site.join("en/index.html"), 1280, 1000);
    for status in [Status::Certified, Status::NotCertified, Status::Revoked] {
        assert!(shot.has_run(rgb(badge::colour(status)), 30), "no {status:?} pill drawn on the index");
    }
    assert!(!shot.has_run(rgb(badge::colour(Status::Expired)), 30), "no expired pill today");
}
