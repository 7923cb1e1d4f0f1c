//! The register's static site: an index of products and their standing, a page per
//! product with its history, a badge per product and specification version, the reports
//! themselves and `registry.json`, in Swedish and English. Every page is one file with its
//! style inline: no script, nothing loaded from elsewhere, every link relative. Every value
//! from a report is escaped.
//!
//! ```text
//! index.html                         the choice of language
//! registry.json                      for machines (docs/register.md)
//! reports/ID.json                    each report, as added
//! {sv,en}/index.html                 the products and their standing
//! {sv,en}/products/SLUG.html         a product's standing and history
//! {sv,en}/badges/SLUG/SPEC-VER.svg   its badge, and the shields.io endpoint (.json)
//! ```

use super::badge;
use super::registry::{Change, Key, Product, Registry, Run, Standing, Status};
use super::Revocation;
use crate::messages::{Note, Reg};
use crate::model::{Lang, RequirementVerdict};
use crate::report::html::esc;
use crate::report::terminal::Texts;

const STYLE: &str = r#"
:root { --muted: #5f6368; --line: #d0d7de; }
* { box-sizing: border-box; }
body { font-family: "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; color: #1f2328; margin: 0; background: #f6f8fa; }
main { max-width: 72rem; margin: 2rem auto; background: #fff; padding: 2rem 2.5rem; border: 1px solid var(--line); }
nav { display: flex; justify-content: space-between; font-size: .9rem; margin-bottom: 1rem; }
h1 { font-size: 1.6rem; margin: 0 0 .25rem; }
h2 { font-size: 1.2rem; margin: 2rem 0 .75rem; border-bottom: 1px solid var(--line); padding-bottom: .25rem; }
.subtitle, .note { color: var(--muted); }
.note { font-size: .85rem; }
table { border-collapse: collapse; width: 100%; font-size: .92rem; }
th, td { text-align: left; padding: .4rem .6rem; border-bottom: 1px solid var(--line); vertical-align: top; }
th { background: #f6f8fa; }
code { font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, monospace; font-size: .85rem; word-break: break-all; }
.status { display: inline-block; color: #fff; font-weight: 600; padding: .1rem .5rem; border-radius: .25rem; white-space: nowrap; }
.status.certified { background: #1a7f37; }
.status.not_certified { background: #c62828; }
.status.expired { background: #9a6700; }
.status.retired { background: #6e7781; }
.status.revoked { background: #1f2328; }
.verdict.certified { color: #1a7f37; font-weight: 600; }
.verdict.not_certified { color: #c62828; font-weight: 600; }
code.spec, code.key { white-space: nowrap; word-break: normal; }
tr.revoked td { background: #f6f8fa; }
tr.revoked .verdict-word { text-decoration: line-through; }
.revocation { color: #1f2328; font-weight: 600; }
ul.changes { margin: 0; padding-left: 1.1rem; }
footer { margin-top: 2.5rem; color: var(--muted); font-size: .8rem; }
"#;

/// A file of the site: its path relative to the site, and its content.
pub struct File {
    pub path: String,
    pub bytes: Vec<u8>,
}

fn file(path: String, text: String) -> File {
    File { path, bytes: text.into_bytes() }
}

const LANGS: [Lang; 2] = [Lang::Sv, Lang::En];

fn code(lang: Lang) -> &'static str {
    match lang {
        Lang::Sv => "sv",
        Lang::En => "en",
    }
}

fn other(lang: Lang) -> Lang {
    match lang {
        Lang::Sv => Lang::En,
        Lang::En => Lang::Sv,
    }
}

/// Every file of the site but the reports (which the caller copies from the register).
pub fn files(registry: &Registry) -> Vec<File> {
    let mut out = vec![file("index.html".into(), chooser(registry))];
    let json = serde_json::to_string_pretty(registry).unwrap_or_default() + "\n";
    out.push(file("registry.json".into(), json));
    for lang in LANGS {
        let l = code(lang);
        out.push(file(format!("{l}/index.html"), index(registry, lang)));
        for p in &registry.products {
            out.push(file(format!("{l}/products/{}.html", p.slug), product_page(registry, p, lang)));
            for s in &p.standing {
                let label = format!("{} {}", s.specification, s.version);
                out.push(file(s.badge.svg.get(lang).to_string(), badge::svg(&label, s.status, lang)));
                out.push(file(s.badge.json.get(lang).to_string(), badge::endpoint(&label, s.status, lang)));
            }
        }
    }
    out
}

fn head(title: &str, lang: Lang) -> String {
    format!(
        "<!doctype html>\n<html lang=\"{}\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>{}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n<main>\n",
        code(lang),
        esc(title)
    )
}

fn foot(lang: Lang, up: &str) -> String {
    let text = esc(&Reg::Footer { version: env!("CARGO_PKG_VERSION").into() }.get(lang));
    let text = text.replacen("registry.json", &format!("<a href=\"{up}registry.json\">registry.json</a>"), 1);
    format!("<footer>{text}</footer>\n</main>\n</body>\n</html>\n")
}

/// The site's front door: the register's name in both languages, and a link to each.
fn chooser(registry: &Registry) -> String {
    let mut h = head(&format!("{} · {}", registry.title.sv, registry.title.en), Lang::Sv);
    for lang in LANGS {
        h.push_str(&format!(
            "<h1 lang=\"{l}\"><a href=\"{l}/index.html\">{}</a></h1>\n",
            esc(registry.title.get(lang)),
            l = code(lang)
        ));
    }
    if let Some(publisher) = &registry.publisher {
        h.push_str(&format!("<p class=\"subtitle\">{}</p>\n", esc(publisher)));
    }
    h + &foot(Lang::Sv, "")
}

fn day(rfc3339_or_date: &str, lang: Lang) -> String {
    let date = rfc3339_or_date.get(..10).unwrap_or(rfc3339_or_date);
    Reg::Day { date: date.into() }.get(lang)
}

fn status(s: Status, lang: Lang) -> String {
    format!("<span class=\"status {}\">{}</span>", snake(s), esc(&badge::word(s, lang)))
}

/// A value's name as serde writes it (`not_certified`), for a class or a data attribute.
fn snake(value: impl serde::Serialize) -> String {
    serde_json::to_value(value).ok().and_then(|v| v.as_str().map(str::to_string)).unwrap_or_default()
}

/// A table with its id and its column headings (escaped already), open for its rows; the
/// rows end with [`TABLE_END`].
fn table(id: &str, headings: &[String]) -> String {
    let headings: String = headings.iter().map(|h| format!("<th>{h}</th>")).collect();
    format!("<table id=\"{id}\">\n<thead><tr>{headings}</tr></thead>\n<tbody>\n")
}

const TABLE_END: &str = "</tbody>\n</table>\n";

/// A section's heading and the note that introduces it.
fn section(title: &str, intro: &str) -> String {
    format!("<h2>{title}</h2>\n<p class=\"note\">{intro}</p>\n")
}

/// Why a standing or a run was revoked, on a line of its own in its cell; nothing if it
/// was not.
fn revocation(revoked: Option<&Revocation>, lang: Lang) -> String {
    let Some(r) = revoked else { return String::new() };
    let said = Reg::RevokedBecause { date: r.date.to_string(), reason: r.reason.clone() }.get(lang);
    format!("<br><span class=\"revocation\">{}</span>", esc(&said))
}

/// A specification version's cell: its id and version, its title below.
fn spec_cell(s: &Standing, lang: Lang) -> String {
    format!(
        "<td><code class=\"spec\">{} {}</code><br><span class=\"note\">{}</span></td>",
        esc(&s.specification),
        esc(&s.version),
        esc(s.title.get(lang))
    )
}

/// A standing's status, its revocation, the day of its latest run and how long it holds:
/// the cells the index and the product page share.
fn standing_cells(s: &Standing, lang: Lang) -> String {
    let until = s.valid_until.as_deref().map(|u| esc(&day(u, lang))).unwrap_or_default();
    format!(
        "<td>{}{}</td><td>{}</td><td>{until}</td>",
        status(s.status, lang),
        revocation(s.revoked.as_ref(), lang),
        esc(&day(&s.started, lang))
    )
}

/// "As of DATE", escaped.
fn as_of(registry: &Registry, lang: Lang) -> String {
    esc(&Reg::AsOf { date: registry.at.to_string() }.get(lang))
}

fn shown(value: &Option<String>, lang: Lang) -> String {
    match value {
        Some(v) => esc(v),
        None => format!("<span class=\"note\">{}</span>", esc(&Reg::NotStated.get(lang))),
    }
}

/// A signing key, short: its name and the start of its fingerprint (all of it on hover).
fn key(k: &Key) -> String {
    let name = k.name.as_deref().map(esc).unwrap_or_else(|| "—".into());
    let short = esc(&k.sha256[..k.sha256.len().min(12)]);
    format!("<span class=\"note\">{name} · <code class=\"key\" title=\"{}\">{short}…</code></span>", esc(&k.sha256))
}

fn nav(lang: Lang, back: Option<&str>, other_page: &str) -> String {
    let back = back.map(|href| format!("<a href=\"{href}\">← {}</a>", esc(&Reg::BackToIndex.get(lang))));
    format!(
        "<nav><span>{}</span><a href=\"{other_page}\" lang=\"{}\">{}</a></nav>\n",
        back.unwrap_or_default(),
        code(other(lang)),
        esc(&Reg::OtherLanguage.get(lang))
    )
}

fn heading(registry: &Registry, lang: Lang) -> String {
    let mut h = format!("<h1>{}</h1>\n", esc(registry.title.get(lang)));
    let publisher = registry.publisher.as_deref().map(|p| format!("{} · ", esc(p))).unwrap_or_default();
    h.push_str(&format!("<p class=\"subtitle\">{publisher}{}</p>\n", as_of(registry, lang)));
    h
}

/// The index: every product and specification version with its standing.
fn index(registry: &Registry, lang: Lang) -> String {
    let r = |m: Reg| esc(&m.get(lang));
    let mut h = head(registry.title.get(lang), lang);
    h.push_str(&nav(lang, None, &format!("../{}/index.html", code(other(lang)))));
    h.push_str(&heading(registry, lang));
    h.push_str(&format!("<p>{}</p>\n<h2>{}</h2>\n", r(Reg::Intro), r(Reg::Products)));
    if registry.products.is_empty() {
        h.push_str(&format!("<p id=\"empty\">{}</p>\n", r(Reg::Empty)));
    } else {
        h.push_str(&table(
            "products",
            &[
                esc(crate::messages::Text::Vendor.get(lang)),
                esc(crate::messages::Text::Product.get(lang)),
                r(Reg::Specification),
                r(Reg::Status),
                r(Reg::LatestRun),
                r(Reg::ValidUntil),
            ],
        ));
        for p in &registry.products {
            for s in &p.standing {
                h.push_str(&index_row(p, s, lang));
            }
        }
        h.push_str(TABLE_END);
    }
    h.push_str(&keys(registry, lang));
    h + &foot(lang, "../")
}

fn index_row(p: &Product, s: &Standing, lang: Lang) -> String {
    let product = format!("<a href=\"products/{}.html\">{}</a>", esc(&p.slug), shown(&p.product, lang));
    format!(
        "<tr data-status=\"{}\"><td>{}</td><td>{product}</td>{}{}</tr>\n",
        snake(s.status),
        shown(&p.vendor, lang),
        spec_cell(s, lang),
        standing_cells(s, lang),
    )
}

fn keys(registry: &Registry, lang: Lang) -> String {
    let r = |m: Reg| esc(&m.get(lang));
    let mut h = section(&r(Reg::TrustedKeys), &r(Reg::TrustedKeysIntro));
    h.push_str(&table("keys", &[r(Reg::KeyName), "SHA-256".into()]));
    for k in &registry.keys {
        h.push_str(&format!(
            "<tr><td>{}</td><td><code>{}</code></td></tr>\n",
            esc(k.name.as_deref().unwrap_or_default()),
            esc(&k.sha256)
        ));
    }
    h + TABLE_END
}

/// A product's page: its standing per specification version, with badges, and its history.
fn product_page(registry: &Registry, p: &Product, lang: Lang) -> String {
    let r = |m: Reg| esc(&m.get(lang));
    let name = Reg::ProductHeading {
        product: p.product.clone().unwrap_or_default(),
        vendor: p.vendor.clone().unwrap_or_default(),
    }
    .get(lang);
    let mut h = head(&format!("{name} · {}", registry.title.get(lang)), lang);
    h.push_str(&nav(lang, Some("../index.html"), &format!("../../{}/products/{}.html", code(other(lang)), p.slug)));
    h.push_str(&format!("<h1>{}</h1>\n", esc(&name)));
    h.push_str(&format!("<p class=\"subtitle\">{}</p>\n", as_of(registry, lang)));
    h.push_str(&format!("<h2>{}</h2>\n", r(Reg::Standing)));
    h.push_str(&table(
        "standing",
        &[r(Reg::Specification), r(Reg::Status), r(Reg::LatestRun), r(Reg::ValidUntil), r(Reg::Badge)],
    ));
    for s in &p.standing {
        h.push_str(&standing_row(s, lang));
    }
    h.push_str(TABLE_END);
    h.push_str(&history(p, lang));
    h + &foot(lang, "../../")
}

fn standing_row(s: &Standing, lang: Lang) -> String {
    // Badge paths are relative to the site; this page is two folders down.
    let svg = format!("../../{}", s.badge.svg.get(lang));
    let json = format!("../../{}", s.badge.json.get(lang));
    let alt = format!("{} {}: {}", s.specification, s.version, badge::word(s.status, lang));
    format!(
        "<tr>{}{}<td><img src=\"{}\" alt=\"{}\"><br><span class=\"note\">{}: <a href=\"{}\">SVG</a> · <a href=\"{}\">shields.io JSON</a></span></td></tr>\n",
        spec_cell(s, lang),
        standing_cells(s, lang),
        esc(&svg),
        esc(&alt),
        esc(&Reg::BadgeFiles.get(lang)),
        esc(&svg),
        esc(&json),
    )
}

/// Every run, newest first: one row per specification version in it.
fn history(p: &Product, lang: Lang) -> String {
    let r = |m: Reg| esc(&m.get(lang));
    let mut h = section(&r(Reg::History), &r(Reg::HistoryIntro));
    h.push_str(&table(
        "history",
        &[
            r(Reg::Date),
            r(Reg::Specification),
            r(Reg::Verdict),
            r(Reg::Changes),
            r(Reg::ProductVersion),
            r(Reg::Issuer),
            r(Reg::Report),
        ],
    ));
    for run in p.runs.iter().rev() {
        h.push_str(&run_rows(run, lang));
    }
    h + TABLE_END
}

fn run_rows(run: &Run, lang: Lang) -> String {
    let t = Texts::new(lang);
    let class = if run.revoked.is_some() { " class=\"revoked\"" } else { "" };
    let revoked = revocation(run.revoked.as_ref(), lang);
    let when = esc(&Note::Date { rfc3339: run.started.clone() }.get(lang));
    let issuer = format!("{}<br>{}", shown(&run.issuer, lang), key(&run.key));
    let report = format!("<a href=\"../../{}\"><code>{}</code></a>", esc(&run.file), esc(&run.report));
    let mut h = String::new();
    for s in &run.specifications {
        h.push_str(&format!(
            "<tr{class} data-report=\"{}\"><td>{when}</td><td><code class=\"spec\">{} {}</code></td><td class=\"verdict {}\"><span class=\"verdict-word\">{}</span>{revoked}</td><td>{}</td><td>{}</td><td>{issuer}</td><td>{report}</td></tr>\n",
            esc(&run.report),
            esc(&s.id),
            esc(&s.version),
            snake(s.verdict),
            t.spec_verdict(s.verdict),
            changes(&s.changes, s.has_previous, lang),
            shown(&run.product_version, lang),
        ));
    }
    h
}

fn changes(list: &[Change], has_previous: bool, lang: Lang) -> String {
    if !has_previous {
        return format!("<span class=\"note\">{}</span>", esc(&Reg::FirstRun.get(lang)));
    }
    if list.is_empty() {
        return format!("<span class=\"note\">{}</span>", esc(&Reg::NoChange.get(lang)));
    }
    let t = Texts::new(lang);
    let verdict = |v: Option<RequirementVerdict>| match v {
        Some(v) => t.requirement_verdict(v).to_string(),
        None => Reg::Absent.get(lang),
    };
    let items: Vec<String> = list
        .iter()
        .map(|c| {
            format!(
                "<li class=\"change\"><code>{}</code> {} → {} <span class=\"note\">{}</span></li>",
                esc(&c.requirement),
                esc(&verdict(c.from)),
                esc(&verdict(c.to)),
                esc(c.title.get(lang))
            )
        })
        .collect();
    format!("<ul class=\"changes\">{}</ul>", items.join(""))
}
