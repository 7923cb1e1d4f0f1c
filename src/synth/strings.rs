//! Strings: a `format`'s shape, a `pattern` through rand_regex, or letters within the
//! length bounds.

use base64::Engine;
use rand::rngs::StdRng;
use rand::RngExt;
use regex_syntax::hir::{self, Hir, HirKind};
use serde_json::{Map, Value};

/// How many extra repeats `*`, `+` and `{n,}` may take.
const MAX_REPEAT: u32 = 8;
const ALPHABET: &[u8] = b"abcdefghijklmnopqrstuvwxyz0123456789";

pub fn string(rng: &mut StdRng, map: &Map<String, Value>, notes: &mut Vec<String>) -> String {
    let min = map.get("minLength").and_then(Value::as_u64).unwrap_or(0) as usize;
    let max = map.get("maxLength").and_then(Value::as_u64).map(|m| m as usize);
    let formatted = map.get("format").and_then(Value::as_str).and_then(|f| format(rng, f));
    let pattern = map.get("pattern").and_then(Value::as_str);
    if let Some(text) = formatted {
        // A format's value where the pattern (if any) accepts it (as it is, or in upper or
        // lower case: `[0-9A-F]` UUIDs), else the pattern's.
        let Some(pattern) = pattern else { return text };
        if let Ok(r) = regex::Regex::new(&ascii_classes(pattern)) {
            if let Some(fit) =
                [text.clone(), text.to_uppercase(), text.to_lowercase()].into_iter().find(|t| r.is_match(t))
            {
                return fit;
            }
        }
    }
    if let Some(pattern) = pattern {
        match pattern_generator(pattern, MAX_REPEAT.max(min as u32 + MAX_REPEAT)) {
            Ok(generator) => {
                let mut last = String::new();
                for _ in 0..16 {
                    last = rng.sample::<String, _>(&generator);
                    let n = last.chars().count();
                    if n >= min && max.is_none_or(|m| n <= m) {
                        return last;
                    }
                }
                return last;
            }
            Err(e) => notes.push(format!("the pattern `{pattern}` cannot be generated from ({e}); letters instead")),
        }
    }
    let hi = max.unwrap_or(min + 12).min(min + 12).max(min);
    let lo = if hi >= 1 { min.max(1) } else { 0 };
    let len = rng.random_range(lo..=hi.max(lo));
    (0..len).map(|_| ALPHABET[rng.random_range(0..ALPHABET.len())] as char).collect()
}

/// A value of a format; `None` for a format konform does not know (letters then).
fn format(rng: &mut StdRng, format: &str) -> Option<String> {
    let n = |rng: &mut StdRng, lo: u32, hi: u32| rng.random_range(lo..=hi);
    Some(match format {
        "date-time" => format!(
            "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z",
            n(rng, 2000, 2030),
            n(rng, 1, 12),
            n(rng, 1, 28),
            n(rng, 0, 23),
            n(rng, 0, 59),
            n(rng, 0, 59)
        ),
        "date" => format!("{:04}-{:02}-{:02}", n(rng, 2000, 2030), n(rng, 1, 12), n(rng, 1, 28)),
        "time" => format!("{:02}:{:02}:{:02}Z", n(rng, 0, 23), n(rng, 0, 59), n(rng, 0, 59)),
        "duration" => format!("P{}DT{}H", n(rng, 0, 30), n(rng, 0, 23)),
        "uuid" => {
            let mut bytes = [0u8; 16];
            rng.fill(&mut bytes);
            uuid::Builder::from_random_bytes(bytes).into_uuid().to_string()
        }
        "email" | "idn-email" => format!("user{}@example.org", n(rng, 1, 9999)),
        "uri" | "url" | "iri" => format!("https://example.org/{}", word(rng)),
        "uri-reference" | "iri-reference" => format!("/{}", word(rng)),
        "uri-template" => format!("/{}/{{id}}", word(rng)),
        "hostname" | "idn-hostname" => format!("{}.example.org", word(rng)),
        "ipv4" => format!("192.0.2.{}", n(rng, 1, 254)),
        "ipv6" => format!("2001:db8::{:x}", n(rng, 1, 0xfffe)),
        "byte" => {
            let mut bytes = vec![0u8; n(rng, 1, 12) as usize];
            rng.fill(bytes.as_mut_slice());
            base64::engine::general_purpose::STANDARD.encode(bytes)
        }
        "json-pointer" => format!("/{}", word(rng)),
        "relative-json-pointer" => "0".to_string(),
        "regex" => "^[a-z]+$".to_string(),
        _ => return None,
    })
}

fn word(rng: &mut StdRng) -> String {
    (0..rng.random_range(3..=8)).map(|_| ALPHABET[rng.random_range(0..26)] as char).collect()
}

/// A generator for strings matching an ECMA-262 `pattern`. Patterns are unanchored, so a
/// string matching the whole regex matches it too: anchors at its ends are dropped (rand_regex
/// cannot generate them); `\d`, `\w`, `\s` are read as ECMA-262 reads them (ASCII), not as
/// Unicode classes.
pub fn pattern_generator(pattern: &str, max_repeat: u32) -> Result<rand_regex::Regex, String> {
    let hir = regex_syntax::ParserBuilder::new().build().parse(&ascii_classes(pattern)).map_err(|e| e.to_string())?;
    rand_regex::Regex::with_hir(without_anchors(hir)?, max_repeat).map_err(|e| e.to_string())
}

/// `\d`, `\w`, `\s` (and their negations) spelled as ASCII classes.
fn ascii_classes(pattern: &str) -> String {
    let mut out = String::with_capacity(pattern.len());
    let mut chars = pattern.chars();
    let mut in_class = false;
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                let Some(next) = chars.next() else {
                    out.push(c);
                    break;
                };
                let class = match next {
                    'd' => Some("0-9"),
                    'w' => Some("A-Za-z0-9_"),
                    // A space only: tabs and line breaks are \s too, but break headers.
                    's' => Some(" "),
                    _ => None,
                };
                match class {
                    Some(body) if in_class => out.push_str(body),
                    Some(body) => {
                        out.push('[');
                        out.push_str(body);
                        out.push(']');
                    }
                    None => {
                        out.push('\\');
                        out.push(next);
                    }
                }
            }
            '[' if !in_class => {
                in_class = true;
                out.push(c);
            }
            ']' if in_class => {
                in_class = false;
                out.push(c);
            }
            _ => out.push(c),
        }
    }
    out
}

/// The regex with its start and end anchors taken out; a word boundary cannot be.
fn without_anchors(h: Hir) -> Result<Hir, String> {
    Ok(match h.into_kind() {
        HirKind::Look(look) => match look {
            hir::Look::WordAscii
            | hir::Look::WordUnicode
            | hir::Look::WordAsciiNegate
            | hir::Look::WordUnicodeNegate
            | hir::Look::WordStartAscii
            | hir::Look::WordEndAscii
            | hir::Look::WordStartUnicode
            | hir::Look::WordEndUnicode
            | hir::Look::WordStartHalfAscii
            | hir::Look::WordEndHalfAscii
            | hir::Look::WordStartHalfUnicode
            | hir::Look::WordEndHalfUnicode => return Err("a word boundary".into()),
            _ => Hir::empty(),
        },
        HirKind::Capture(c) => {
            Hir::capture(hir::Capture { index: c.index, name: c.name, sub: Box::new(without_anchors(*c.sub)?) })
        }
        HirKind::Repetition(r) => Hir::repetition(hir::Repetition {
            min: r.min,
            max: r.max,
            greedy: r.greedy,
            sub: Box::new(without_anchors(*r.sub)?),
        }),
        HirKind::Concat(hs) => Hir::concat(hs.into_iter().map(without_anchors).collect::<Result<_, _>>()?),
        HirKind::Alternation(hs) => Hir::alternation(hs.into_iter().map(without_anchors).collect::<Result<_, _>>()?),
        HirKind::Empty => Hir::empty(),
        HirKind::Literal(l) => Hir::literal(l.0),
        HirKind::Class(c) => Hir::class(c),
    })
}
