//! Processes on the command line: `catalogue show PROCESS`, a process's page in the
//! terminal, Markdown (with a Mermaid state diagram), HTML (with an SVG state diagram drawn
//! here, so the page needs nothing from outside) and JSON, and how each specification
//! version implementing it maps its states and transitions.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use super::pages::{page_head, status_both, status_label};
use super::Console;
use crate::catalogue::process::{self, Process, ProcessUse, Transition};
use crate::catalogue::{Catalogue, Spec};
use crate::cli::{CatalogueArgs, PageFormat};
use crate::error::{Outcome, EXIT_OK};
use crate::messages::{ProcessText, Text};
use crate::model::Lang;
use crate::report::html::esc;

/// `catalogue show PROCESS`.
pub fn show(io: &mut Console<'_>, catalogue: &Catalogue, process: &Process, args: &CatalogueArgs) -> Outcome {
    let lang = args.lang;
    let users = process::implementers(catalogue, process);
    match args.format {
        PageFormat::Markdown => out!(io, "{}", markdown(process, &users, lang)),
        PageFormat::Html => out!(io, "{}", html(process, &users, lang)),
        PageFormat::Json => super::print_json(
            io,
            &serde_json::json!({
                "process": process.meta,
                "implemented_by": users.iter().map(|s| serde_json::json!({
                    "specification": s.key(),
                    "mapping": s.meta.process,
                    "derived_requirements": s.requirements.iter().filter(|r| r.id.starts_with(&format!("{}/", process.meta.id))).map(|r| &r.id).collect::<Vec<_>>(),
                })).collect::<Vec<_>>(),
            }),
        ),
        PageFormat::Human => {
            let m = &process.meta;
            outln!(
                io,
                "{} {} ({}) — {}",
                m.id,
                m.version,
                status_label(m.status, lang),
                ProcessText::Heading { name: m.title.get(lang).to_string() }.get(lang)
            );
            if let Some(d) = &m.description {
                outln!(io, "{}", crate::model::text::wrap(d.get(lang), super::wrap_width(), "", ""));
            }
            outln!(io, "{}", implemented_by(&users, lang));
            let mut t = super::table();
            t.set_header(vec![ProcessText::StateColumn.get(lang), String::new()]);
            for s in &m.states {
                t.add_row(vec![format!("{} ({})", s.title.get(lang), s.id), marker(s.initial, s.terminal, lang)]);
            }
            outln!(io, "\n{}\n{t}", ProcessText::StatesHeading.get(lang));
            let mut t = super::table();
            t.set_header(vec![
                ProcessText::TransitionColumn.get(lang),
                ProcessText::FromColumn.get(lang),
                ProcessText::ToColumn.get(lang),
                ProcessText::ActorColumn.get(lang),
            ]);
            for tr in &m.transitions {
                let (from, to) = ends(process, tr, lang);
                t.add_row(vec![
                    format!("{} ({})", tr.title.get(lang), tr.id),
                    from,
                    to,
                    actor(process, &tr.actor, lang),
                ]);
            }
            outln!(io, "\n{}\n{t}", ProcessText::TransitionsHeading.get(lang));
            for spec in &users {
                let Some(usage) = &spec.meta.process else { continue };
                let mut t = super::table();
                t.set_header(vec![ProcessText::TransitionColumn.get(lang), ProcessText::OperationColumn.get(lang)]);
                for tr in &m.transitions {
                    t.add_row(vec![tr.id.clone(), how(usage, &tr.id, lang)]);
                }
                outln!(io, "\n{}\n{t}", ProcessText::Mapping { spec: spec.key() }.get(lang));
            }
        }
    }
    Ok(EXIT_OK)
}

fn implemented_by(users: &[&Spec], lang: Lang) -> String {
    if users.is_empty() {
        ProcessText::ImplementedByNone.get(lang)
    } else {
        ProcessText::ImplementedBy { specs: users.iter().map(|s| s.key()).collect() }.get(lang)
    }
}

fn marker(initial: bool, terminal: bool, lang: Lang) -> String {
    match (initial, terminal) {
        (true, _) => ProcessText::Initial.get(lang),
        (_, true) => ProcessText::Final.get(lang),
        _ => String::new(),
    }
}

fn state_title(process: &Process, id: &str, lang: Lang) -> String {
    process.state(id).map_or(id.to_string(), |s| s.title.get(lang).to_string())
}

fn actor(process: &Process, id: &str, lang: Lang) -> String {
    process.meta.actors.iter().find(|a| a.id == id).map_or(id.to_string(), |a| a.title.get(lang).to_string())
}

/// A transition's ends as a person reads them.
fn ends(process: &Process, t: &Transition, lang: Lang) -> (String, String) {
    let from = if t.from.is_empty() {
        ProcessText::Creates.get(lang)
    } else {
        t.from.iter().map(|s| state_title(process, s, lang)).collect::<Vec<_>>().join(", ")
    };
    let to = t.to.as_deref().map_or_else(|| ProcessText::Stays.get(lang), |s| state_title(process, s, lang));
    (from, to)
}

/// How a specification does a transition: its operation, or outside its API and why.
fn how(usage: &ProcessUse, transition: &str, lang: Lang) -> String {
    match usage.transitions.get(transition) {
        Some(t) => match (&t.operation, &t.outside) {
            (Some(op), _) => op.clone(),
            (None, Some(why)) => ProcessText::Outside { why: why.get(lang).to_string() }.get(lang),
            (None, None) => String::new(),
        },
        None => String::new(),
    }
}

/// A Mermaid state id: letters, digits and underscores.
fn mermaid_id(id: &str) -> String {
    id.chars().map(|c| if c.is_ascii_alphanumeric() { c } else { '_' }).collect()
}

/// The process as a Mermaid state diagram (rendered by GitHub, GitLab and most Markdown
/// viewers; plain text elsewhere).
pub fn mermaid(process: &Process, lang: Lang) -> String {
    let mut out = String::from("```mermaid\nstateDiagram-v2\n");
    for s in &process.meta.states {
        let _ = writeln!(out, "    state \"{}\" as {}", s.title.get(lang).replace('"', "'"), mermaid_id(&s.id));
    }
    for t in &process.meta.transitions {
        let label = t.title.get(lang).replace(':', " ");
        if t.from.is_empty() {
            let _ = writeln!(out, "    [*] --> {}: {label}", mermaid_id(t.to.as_deref().unwrap_or_default()));
        }
        for from in &t.from {
            let to = t.to.as_deref().unwrap_or(from);
            let _ = writeln!(out, "    {} --> {}: {label}", mermaid_id(from), mermaid_id(to));
        }
    }
    for s in process.meta.states.iter().filter(|s| s.terminal) {
        let _ = writeln!(out, "    {} --> [*]", mermaid_id(&s.id));
    }
    out.push_str("```\n");
    out
}

pub fn markdown(process: &Process, users: &[&Spec], lang: Lang) -> String {
    let m = &process.meta;
    let mut out = format!(
        "# {} {} — {} / {}\n\n",
        m.id,
        m.version,
        m.title.sv,
        ProcessText::Heading { name: m.title.en.clone() }.get(Lang::En)
    );
    let _ = writeln!(out, "- **Status:** {}", status_both(m.status));
    if let Some(p) = m.lifecycle.published {
        let _ = writeln!(
            out,
            "- **{} / {}:** {} {p} / {} {p}",
            Text::LifecycleHeading.get(Lang::Sv),
            Text::LifecycleHeading.get(Lang::En),
            Text::PublishedOn.get(Lang::Sv),
            Text::PublishedOn.get(Lang::En)
        );
    }
    let _ = writeln!(out, "- {}\n", implemented_by(users, lang));
    if let Some(d) = &m.description {
        let _ = write!(out, "{}\n\n{}\n\n", d.sv, d.en);
    }
    out.push_str(&mermaid(process, lang));
    let _ = write!(
        out,
        "\n## {}\n\n| Id | {} | | |\n| --- | --- | --- | --- |\n",
        ProcessText::StatesHeading.get(lang),
        ProcessText::StateColumn.get(lang)
    );
    for s in &m.states {
        let _ =
            writeln!(out, "| `{}` | {} | {} | {} |", s.id, s.title.sv, s.title.en, marker(s.initial, s.terminal, lang));
    }
    let _ = write!(
        out,
        "\n## {}\n\n| Id | {} | {} | {} | {} |\n| --- | --- | --- | --- | --- |\n",
        ProcessText::TransitionsHeading.get(lang),
        ProcessText::TransitionColumn.get(lang),
        ProcessText::FromColumn.get(lang),
        ProcessText::ToColumn.get(lang),
        ProcessText::ActorColumn.get(lang)
    );
    for t in &m.transitions {
        let (from, to) = ends(process, t, lang);
        let _ = writeln!(
            out,
            "| `{}` | {} / {} | {from} | {to} | {} |",
            t.id,
            t.title.sv,
            t.title.en,
            actor(process, &t.actor, lang)
        );
    }
    for spec in users {
        let Some(usage) = &spec.meta.process else { continue };
        let _ = write!(
            out,
            "\n## {}\n\n| {} | {} |\n| --- | --- |\n",
            ProcessText::Mapping { spec: spec.key() }.get(lang),
            ProcessText::TransitionColumn.get(lang),
            ProcessText::OperationColumn.get(lang)
        );
        for t in &m.transitions {
            let how = how(usage, &t.id, lang);
            let shown = if usage.transitions.get(&t.id).is_some_and(|h| h.operation.is_some()) {
                format!("`{how}`")
            } else {
                how
            };
            let _ = writeln!(out, "| `{}` | {shown} |", t.id);
        }
        let _ = write!(
            out,
            "\n| {} | {} |\n| --- | --- |\n",
            ProcessText::StateColumn.get(lang),
            ProcessText::StatusValueColumn.get(lang)
        );
        for (state, value) in &usage.states {
            let _ = writeln!(out, "| `{state}` | `{value}` |");
        }
    }
    out
}

pub fn html(process: &Process, users: &[&Spec], lang: Lang) -> String {
    let m = &process.meta;
    let mut out = page_head(lang, &m.id, &m.version, &m.title);
    let _ = writeln!(
        out,
        "<p class=\"muted\">{} · Status: {} · {}</p>",
        ProcessText::Kind.get(lang),
        status_both(m.status),
        esc(&implemented_by(users, lang))
    );
    if let Some(d) = &m.description {
        let _ = writeln!(out, "<p lang=\"sv\">{}</p>\n<p lang=\"en\">{}</p>", esc(&d.sv), esc(&d.en));
    }
    out.push_str(&diagram_svg(process, lang));
    let _ = writeln!(
        out,
        "<h2>{}</h2>\n<table>\n<thead><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr></thead>\n<tbody>",
        ProcessText::TransitionsHeading.get(lang),
        ProcessText::TransitionColumn.get(lang),
        ProcessText::FromColumn.get(lang),
        ProcessText::ToColumn.get(lang),
        ProcessText::ActorColumn.get(lang)
    );
    for t in &m.transitions {
        let (from, to) = ends(process, t, lang);
        let _ = writeln!(
            out,
            "<tr><td>{} <code>{}</code></td><td>{}</td><td>{}</td><td>{}</td></tr>",
            esc(t.title.get(lang)),
            esc(&t.id),
            esc(&from),
            esc(&to),
            esc(&actor(process, &t.actor, lang))
        );
    }
    out.push_str("</tbody>\n</table>\n");
    for spec in users {
        let Some(usage) = &spec.meta.process else { continue };
        let _ = writeln!(
            out,
            "<h2>{}</h2>\n<table>\n<thead><tr><th>{}</th><th>{}</th></tr></thead>\n<tbody>",
            esc(&ProcessText::Mapping { spec: spec.key() }.get(lang)),
            ProcessText::TransitionColumn.get(lang),
            ProcessText::OperationColumn.get(lang)
        );
        for t in &m.transitions {
            let _ = writeln!(
                out,
                "<tr><td><code>{}</code></td><td>{}</td></tr>",
                esc(&t.id),
                esc(&how(usage, &t.id, lang))
            );
        }
        out.push_str("</tbody>\n</table>\n");
    }
    out.push_str("</body>\n</html>\n");
    out
}

const BOX_W: f64 = 180.0;
const BOX_H: f64 = 46.0;
const COL_GAP: f64 = 340.0;
const ROW_GAP: f64 = 150.0;
const MARGIN: f64 = 70.0;

/// The process as an SVG state diagram: states in columns by how many transitions they are
/// from the initial state, a transition as a curved arrow with its title (several between
/// the same two states bend apart), a transition that leaves the state as it is as a loop
/// above it, a dot before the initial state and a ring after each final one.
pub fn diagram_svg(process: &Process, lang: Lang) -> String {
    let m = &process.meta;
    // Columns: breadth-first from the initial state over every transition.
    let mut column: BTreeMap<&str, usize> = BTreeMap::new();
    if let Some(first) = m.states.iter().find(|s| s.initial) {
        column.insert(&first.id, 0);
        let mut queue = std::collections::VecDeque::from([first.id.as_str()]);
        while let Some(s) = queue.pop_front() {
            let c = column[s];
            for t in m.transitions.iter().filter(|t| t.from.iter().any(|f| f == s)) {
                if let Some(to) = t.to.as_deref() {
                    if !column.contains_key(to) {
                        column.insert(to, c + 1);
                        queue.push_back(to);
                    }
                }
            }
        }
    }
    // Final states on the right, after every other.
    let inner =
        m.states.iter().filter(|s| !s.terminal).filter_map(|s| column.get(s.id.as_str())).max().copied().unwrap_or(0);
    for s in m.states.iter().filter(|s| s.terminal) {
        column.insert(&s.id, inner + 1);
    }
    let last = column.values().copied().max().unwrap_or(0);
    let mut rows: Vec<usize> = vec![0; last + 2];
    let mut place: BTreeMap<&str, (f64, f64)> = BTreeMap::new();
    for s in &m.states {
        let c = column.get(s.id.as_str()).copied().unwrap_or(last + 1);
        let r = rows[c];
        rows[c] += 1;
        place.insert(&s.id, (MARGIN + 40.0 + c as f64 * COL_GAP, MARGIN + 40.0 + r as f64 * ROW_GAP));
    }
    let width = MARGIN * 2.0 + 40.0 + (rows.iter().rposition(|&r| r > 0).unwrap_or(0) as f64) * COL_GAP + BOX_W + 40.0;
    let height = MARGIN * 2.0 + 40.0 + (*rows.iter().max().unwrap_or(&1) as f64 - 1.0) * ROW_GAP + BOX_H;
    let mut svg = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" style=\"max-width: 100%; height: auto\" viewBox=\"0 0 {width:.0} {height:.0}\" width=\"{width:.0}\" height=\"{height:.0}\" aria-label=\"{}\">\n<defs><marker id=\"arrow\" viewBox=\"0 0 10 10\" refX=\"9\" refY=\"5\" markerWidth=\"8\" markerHeight=\"8\" orient=\"auto-start-reverse\"><path d=\"M0,0 L10,5 L0,10 z\" fill=\"#57606a\"/></marker></defs>\n",
        esc(&ProcessText::Heading { name: m.title.get(lang).to_string() }.get(lang))
    );
    // Edges, grouped by their two ends so that several bend apart.
    let mut pairs: BTreeMap<(String, String), Vec<String>> = BTreeMap::new();
    let mut loops: BTreeMap<&str, Vec<String>> = BTreeMap::new();
    for t in &m.transitions {
        let label = t.title.get(lang).to_string();
        for from in &t.from {
            match t.to.as_deref() {
                Some(to) => pairs.entry((from.clone(), to.to_string())).or_default().push(label.clone()),
                None => loops.entry(from.as_str()).or_default().push(label.clone()),
            }
        }
    }
    let center = |id: &str| place.get(id).map(|(x, y)| (x + BOX_W / 2.0, y + BOX_H / 2.0));
    // What a label must not cover: the states, and the labels placed before it.
    let mut taken: Vec<Rect> = place.values().map(|&(x, y)| Rect { x, y, w: BOX_W, h: BOX_H }).collect();
    for ((from, to), labels) in &pairs {
        let (Some(a), Some(b)) = (center(from), center(to)) else { continue };
        // Bend: to one side for one direction, the other for the way back.
        let reverse = pairs.contains_key(&(to.clone(), from.clone()));
        let (dx, dy) = (b.0 - a.0, b.1 - a.1);
        let len = (dx * dx + dy * dy).sqrt().max(1.0);
        let bend = if reverse { 40.0 } else { 18.0 };
        let (nx, ny) = (-dy / len * bend, dx / len * bend);
        let control = ((a.0 + b.0) / 2.0 + nx, (a.1 + b.1) / 2.0 + ny);
        let start = clip(a, control);
        let end = clip(b, control);
        let _ = writeln!(
            svg,
            "<path d=\"M{:.1},{:.1} Q{:.1},{:.1} {:.1},{:.1}\" fill=\"none\" stroke=\"#57606a\" stroke-width=\"1.5\" marker-end=\"url(#arrow)\"/>",
            start.0, start.1, control.0, control.1, end.0, end.1
        );
        let text = labels.join(" / ");
        // Beside a steep arrow, on the side it bends to; above a flat one; at the first
        // point along it where the label covers nothing else.
        let label_w = text.chars().count() as f64 * 6.6;
        let spot = |t: f64| {
            let u = 1.0 - t;
            let p = (
                u * u * start.0 + 2.0 * u * t * control.0 + t * t * end.0,
                u * u * start.1 + 2.0 * u * t * control.1 + t * t * end.1,
            );
            if nx.abs() > ny.abs() {
                if nx > 0.0 {
                    ("start", p.0 + 6.0, p.1 + 4.0, Rect { x: p.0 + 6.0, y: p.1 - 9.0, w: label_w, h: 16.0 })
                } else {
                    ("end", p.0 - 6.0, p.1 + 4.0, Rect { x: p.0 - 6.0 - label_w, y: p.1 - 9.0, w: label_w, h: 16.0 })
                }
            } else {
                ("middle", p.0, p.1 - 5.0, Rect { x: p.0 - label_w / 2.0, y: p.1 - 18.0, w: label_w, h: 16.0 })
            }
        };
        let (anchor, x, y, rect) = [0.5, 0.35, 0.65, 0.25, 0.75, 0.15, 0.85]
            .into_iter()
            .map(spot)
            .find(|(_, _, _, r)| !taken.iter().any(|o| o.overlaps(r)))
            .unwrap_or_else(|| spot(0.5));
        taken.push(rect);
        let _ = writeln!(
            svg,
            "<text x=\"{x:.1}\" y=\"{y:.1}\" font-size=\"12\" text-anchor=\"{anchor}\" fill=\"#1f2328\" stroke=\"#ffffff\" stroke-width=\"4\" paint-order=\"stroke\">{}</text>",
            esc(&text)
        );
    }
    for (state, labels) in &loops {
        let Some(&(x, y)) = place.get(state) else { continue };
        let (l, r) = (x + BOX_W * 0.3, x + BOX_W * 0.7);
        let _ = writeln!(
            svg,
            "<path d=\"M{l:.1},{y:.1} C{l:.1},{:.1} {r:.1},{:.1} {r:.1},{y:.1}\" fill=\"none\" stroke=\"#57606a\" stroke-width=\"1.5\" marker-end=\"url(#arrow)\"/>",
            y - 40.0,
            y - 40.0
        );
        let _ = writeln!(
            svg,
            "<text x=\"{:.1}\" y=\"{:.1}\" font-size=\"12\" text-anchor=\"middle\" fill=\"#1f2328\">{}</text>",
            x + BOX_W / 2.0,
            y - 36.0,
            esc(&labels.join(" / "))
        );
    }
    // The start dot, its arrow into the initial state, and the creating transition's title.
    if let (Some(create), Some(first)) = (process.creating(), m.states.iter().find(|s| s.initial)) {
        if let Some(&(x, y)) = place.get(first.id.as_str()) {
            let cy = y + BOX_H / 2.0;
            let _ = writeln!(
                svg,
                "<circle cx=\"{:.1}\" cy=\"{cy:.1}\" r=\"7\" fill=\"#1f2328\"/>\n<path d=\"M{:.1},{cy:.1} L{:.1},{cy:.1}\" stroke=\"#57606a\" stroke-width=\"1.5\" marker-end=\"url(#arrow)\"/>",
                x - 52.0,
                x - 45.0,
                x - 2.0
            );
            let _ = writeln!(
                svg,
                "<text x=\"{:.1}\" y=\"{:.1}\" font-size=\"12\" text-anchor=\"middle\" fill=\"#1f2328\">{}</text>",
                x - 30.0,
                cy + 40.0,
                esc(create.title.get(lang))
            );
        }
    }
    for s in &m.states {
        let Some(&(x, y)) = place.get(s.id.as_str()) else { continue };
        let (fill, stroke) = if s.terminal { ("#f6f8fa", "#1f2328") } else { ("#ddf4ff", "#0969da") };
        let border = if s.terminal { "3" } else { "1.5" };
        let _ = writeln!(
            svg,
            "<rect x=\"{x:.1}\" y=\"{y:.1}\" width=\"{BOX_W}\" height=\"{BOX_H}\" rx=\"12\" fill=\"{fill}\" stroke=\"{stroke}\" stroke-width=\"{border}\"/>\n<text x=\"{:.1}\" y=\"{:.1}\" font-size=\"14\" text-anchor=\"middle\" fill=\"#1f2328\">{}</text>\n<text x=\"{:.1}\" y=\"{:.1}\" font-size=\"11\" text-anchor=\"middle\" fill=\"#5f6368\">{}</text>",
            x + BOX_W / 2.0,
            y + 20.0,
            esc(s.title.get(lang)),
            x + BOX_W / 2.0,
            y + 36.0,
            esc(&s.id)
        );
    }
    svg.push_str("</svg>\n");
    svg
}

/// A rectangle of the diagram, for keeping labels apart.
struct Rect {
    x: f64,
    y: f64,
    w: f64,
    h: f64,
}

impl Rect {
    fn overlaps(&self, o: &Rect) -> bool {
        self.x < o.x + o.w && o.x < self.x + self.w && self.y < o.y + o.h && o.y < self.y + self.h
    }
}

/// Where a line from a box's center towards `toward` leaves the box.
fn clip(center: (f64, f64), toward: (f64, f64)) -> (f64, f64) {
    let (dx, dy) = (toward.0 - center.0, toward.1 - center.1);
    if dx == 0.0 && dy == 0.0 {
        return center;
    }
    let tx = if dx == 0.0 { f64::INFINITY } else { (BOX_W / 2.0 + 3.0) / dx.abs() };
    let ty = if dy == 0.0 { f64::INFINITY } else { (BOX_H / 2.0 + 3.0) / dy.abs() };
    let t = tx.min(ty);
    (center.0 + dx * t, center.1 + dy * t)
}
