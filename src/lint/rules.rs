//! The rules of the Swedish REST API profile (DIGG's REST API-profil, as listed by its
//! linter RAP-LP) that can be judged from an OpenAPI document alone. Rule ids and levels are
//! DIGG's; the texts are konform's own words. Rules that need a person or a live service
//! (DOK.01, DOK.08, DOK.09, DOK.11, ARQ.03) are not checked statically.

use std::collections::BTreeMap;

use serde_json::Value;

use super::{Ctx, Finding, RuleLevel};
use crate::messages::LintMsg as L;
use crate::model::media_type_of;
use crate::model::Localized;
use crate::model::StatusKey;

/// An operation as findings name it: `GET /loans`.
fn op_name(op: &crate::catalogue::openapi::Operation) -> String {
    format!("{} {}", op.method, op.path)
}

pub struct Rule {
    pub id: &'static str,
    pub level: RuleLevel,
    pub text: fn() -> Localized,
    pub check: fn(&Ctx, &mut Vec<Finding>),
}

fn l(sv: &str, en: &str) -> Localized {
    Localized { sv: sv.into(), en: en.into() }
}

macro_rules! rule {
    ($id:literal, $level:ident, $sv:literal, $en:literal, $check:expr) => {
        Rule { id: $id, level: RuleLevel::$level, text: || l($sv, $en), check: $check }
    };
}

pub fn all() -> Vec<Rule> {
    vec![
        rule!(
            "DOK.03",
            Skall,
            "info SKALL ha titel, version, beskrivning, kontakt och licens.",
            "info MUST have a title, version, description, contact and licence.",
            dok03
        ),
        rule!(
            "DOK.06",
            Bor,
            "Beskrivningen BÖR finnas på både svenska och engelska.",
            "The description SHOULD be given in both Swedish and English.",
            dok06
        ),
        rule!(
            "DOK.07",
            Bor,
            "info.description BÖR beskriva API:et utförligt (minst en mening).",
            "info.description SHOULD describe the API (at least a sentence).",
            dok07
        ),
        rule!(
            "DOK.15",
            Skall,
            "Varje JSON-fråga och JSON-svar SKALL ha ett exempel.",
            "Every JSON request and response MUST have an example.",
            dok15
        ),
        rule!(
            "DOK.17",
            Bor,
            "Dokumentet BÖR använda den senaste OpenAPI-versionen (3.1).",
            "The document SHOULD use the latest OpenAPI version (3.1).",
            dok17
        ),
        rule!(
            "DOK.19",
            Skall,
            "Varje operation SKALL ha summary eller description.",
            "Every operation MUST have a summary or description.",
            dok19
        ),
        rule!(
            "DOK.20",
            Skall,
            "Varje operation SKALL dokumentera både lyckade svar och felsvar.",
            "Every operation MUST document both success and error responses.",
            dok20
        ),
        rule!(
            "DOK.21",
            Skall,
            "Vilka säkerhetskrav som gäller SKALL anges, för hela API:t eller för varje operation.",
            "The security requirements MUST be declared, for the whole API or for each operation.",
            dok21
        ),
        rule!(
            "DOT.02",
            Skall,
            "Datum och tid SKALL anges som RFC 3339 (format date eller date-time, och exempel därefter).",
            "Dates and times MUST be RFC 3339 (format date or date-time, and examples to match).",
            dot02
        ),
        rule!(
            "DOT.04",
            Bor,
            "Tidpunkter som API:et returnerar BÖR vara i UTC (exempel med Z eller +00:00).",
            "Date-times the API returns SHOULD be in UTC (examples with Z or +00:00).",
            dot04
        ),
        rule!(
            "RES.02",
            Bor,
            "Personnummer och liknande BÖR INTE exponeras i URL:er.",
            "Personal identity numbers and the like SHOULD NOT be exposed in URLs.",
            res02
        ),
        rule!(
            "RES.06",
            Skall,
            "Resurser SKALL namnges som substantiv, inte som verb (inte /get-cases eller /create).",
            "Resources MUST be named as nouns, not verbs (not /get-cases or /create).",
            res06
        ),
        rule!(
            "MOG.01",
            Skall,
            "API:et SKALL nå nivå 2 i Richardsons mognadsmodell: resurser, och HTTP-metoder för sin betydelse.",
            "The API MUST reach level 2 of Richardson's maturity model: resources, and HTTP methods for their meaning.",
            mog01
        ),
        rule!(
            "MOG.02",
            Bor,
            "API:et BÖR nå nivå 3 i Richardsons mognadsmodell: svar länkar till relaterade resurser.",
            "The API SHOULD reach level 3 of Richardson's maturity model: responses link to related resources.",
            mog02
        ),
        rule!(
            "SPA.02",
            Skall,
            "Varje operation SKALL ta emot headern traceparent (W3C Trace Context).",
            "Every operation MUST accept the header traceparent (W3C Trace Context).",
            spa02
        ),
        rule!(
            "SPA.04",
            Bor,
            "Svar BÖR innehålla headern traceparent.",
            "Responses SHOULD carry the header traceparent.",
            spa04
        ),
        rule!(
            "SPA.07",
            Skall,
            "X-Request-ID SKALL INTE användas utan traceparent (W3C Trace Context).",
            "X-Request-ID MUST NOT be used without traceparent (W3C Trace Context).",
            spa07
        ),
        rule!(
            "UFN.01",
            Bor,
            "Serverns URL BÖR följa {protokoll}://{domän}/{api}/{version}.",
            "The server URL SHOULD follow {protocol}://{domain}/{api}/{version}.",
            ufn01
        ),
        rule!(
            "UFN.02",
            Skall,
            "API:et SKALL exponeras via HTTPS på port 443.",
            "The API MUST be served over HTTPS on port 443.",
            ufn02
        ),
        rule!(
            "UFN.05",
            Bor,
            "En URL BÖR INTE vara längre än 2048 tecken.",
            "A URL SHOULD NOT be longer than 2048 characters.",
            ufn05
        ),
        rule!(
            "UFN.07",
            Skall,
            "Sökvägar SKALL bara använda a-z, 0-9, '-', '.' och '~'.",
            "Paths MUST only use a-z, 0-9, '-', '.' and '~'.",
            ufn07
        ),
        rule!(
            "UFN.08",
            Skall,
            "Ord i sökvägar SKALL skiljas med bindestreck.",
            "Words in paths MUST be separated by hyphens.",
            ufn08
        ),
        rule!(
            "UFN.09",
            Skall,
            "Blanksteg och understreck SKALL INTE användas i URL:er.",
            "Spaces and underscores MUST NOT be used in URLs.",
            ufn09
        ),
        rule!("AME.01", Bor, "Representationer BÖR vara JSON.", "Representations SHOULD be JSON.", ame01),
        rule!(
            "AME.02",
            Bor,
            "En förfrågans kropp BÖR kunna skickas som JSON.",
            "A request body SHOULD be accepted as JSON.",
            ame02
        ),
        rule!(
            "AME.04",
            Bor,
            "Fältnamn BÖR skrivas i camelCase eller snake_case.",
            "Field names SHOULD be camelCase or snake_case.",
            ame04
        ),
        rule!(
            "AME.05",
            Skall,
            "Fältnamn SKALL följa en och samma konvention i hela API:et.",
            "Field names MUST follow one convention throughout the API.",
            ame05
        ),
        rule!("AME.07", Bor, "Fältnamn BÖR vara alfanumeriska.", "Field names SHOULD be alphanumeric.", ame07),
        rule!("ARQ.01", Bor, "Frågor BÖR skickas i UTF-8.", "Requests SHOULD be sent in UTF-8.", arq01),
        rule!(
            "ARQ.05",
            Skall,
            "Headers SKALL INTE bära nyttolast (objekt eller listor).",
            "Headers MUST NOT carry payload (objects or arrays).",
            arq05
        ),
        rule!(
            "FEL.01",
            Skall,
            "Problemscheman SKALL ha type, title, status, detail och instance (RFC 9457).",
            "Problem schemas MUST have type, title, status, detail and instance (RFC 9457).",
            fel01
        ),
        rule!(
            "FEL.02",
            Skall,
            "Felsvar SKALL använda application/problem+json eller application/problem+xml.",
            "Error responses MUST use application/problem+json or application/problem+xml.",
            fel02
        ),
        rule!(
            "VER.05",
            Bor,
            "Serverns URL BÖR ange major-version som v{N}.",
            "The server URL SHOULD give the major version as v{N}.",
            ver05
        ),
        rule!(
            "VER.06",
            Skall,
            "API:et SKALL ha resursen /api-info i roten.",
            "The API MUST have the resource /api-info at its root.",
            ver06
        ),
        rule!(
            "FNS.01",
            Skall,
            "Sökparametrar SKALL följa en och samma namnkonvention.",
            "Query parameters MUST follow one naming convention.",
            fns01
        ),
        rule!(
            "FNS.03",
            Skall,
            "Sökparametrar SKALL börja med en bokstav.",
            "Query parameters MUST start with a letter.",
            fns03
        ),
        rule!("FNS.05", Bor, "Sökparametrar BÖR vara frivilliga.", "Query parameters SHOULD be optional.", fns05),
        rule!(
            "FNS.06",
            Bor,
            "Sökparametrar BÖR bara använda URL-säkra tecken.",
            "Query parameters SHOULD only use URL-safe characters.",
            fns06
        ),
        rule!(
            "FNS.07",
            Skall,
            "Paginering SKALL använda limit tillsammans med page eller offset.",
            "Paging MUST use limit together with page or offset.",
            fns07
        ),
        rule!("FNS.08", Skall, "page SKALL börja på 1.", "page MUST start at 1.", fns08),
        rule!("FNS.09", Bor, "Standardvärdet för limit BÖR vara 20.", "The default of limit SHOULD be 20.", fns09),
        rule!("SAK.01", Skall, "All transport SKALL ske över HTTPS.", "All transport MUST be over HTTPS.", sak01),
        rule!(
            "SAK.09",
            Skall,
            "Basic- och Digest-autentisering SKALL INTE användas.",
            "Basic and Digest authentication MUST NOT be used.",
            sak09
        ),
        rule!(
            "SAK.10",
            Skall,
            "HTTP-autentisering SKALL använda Authorization: Bearer.",
            "HTTP authentication MUST use Authorization: Bearer.",
            sak10
        ),
        rule!(
            "SAK.15",
            Skall,
            "API-nycklar SKALL INTE skickas i URL eller querysträng.",
            "API keys MUST NOT be sent in the URL or query string.",
            sak15
        ),
        rule!(
            "SAK.16",
            Skall,
            "API-nycklar SKALL skickas i en HTTP-header.",
            "API keys MUST be sent in an HTTP header.",
            sak16
        ),
        rule!(
            "SAK.29",
            Bor,
            "En operation som tar emot en kropp BÖR dokumentera svaret 415 Unsupported Media Type.",
            "An operation that takes a body SHOULD document the response 415 Unsupported Media Type.",
            sak29
        ),
        rule!(
            "SAK.18",
            Bor,
            "OAuth 2.0 eller senare BÖR användas för auktorisation.",
            "OAuth 2.0 or later SHOULD be used for authorisation.",
            sak18
        ),
        rule!(
            "FOR.02",
            Skall,
            "En GET-förfrågan SKALL INTE ta emot en body.",
            "A GET request MUST NOT accept a body.",
            for02
        ),
    ]
}

fn root<'a>(ctx: &Ctx<'a>) -> &'a Value {
    &ctx.api.docs[0].value
}

fn str_at<'a>(v: &'a Value, ptr: &str) -> Option<&'a str> {
    crate::model::pointer::get(v, ptr).and_then(Value::as_str).filter(|s| !s.trim().is_empty())
}

fn dok03(ctx: &Ctx, out: &mut Vec<Finding>) {
    for field in ["title", "version", "description", "contact", "license"] {
        let ptr = format!("/info/{field}");
        if root(ctx).pointer(&ptr).is_none_or(|v| v.is_null() || v.as_str().is_some_and(|s| s.trim().is_empty())) {
            out.push(ctx.finding(0, "/info", L::InfoLacks { field }));
        }
    }
}

fn dok06(ctx: &Ctx, out: &mut Vec<Finding>) {
    let Some(d) = str_at(root(ctx), "/info/description") else { return };
    let lower = format!(" {} ", d.to_lowercase());
    let swedish =
        lower.contains(['å', 'ä', 'ö']) || [" och ", " att ", " för ", " som "].iter().any(|w| lower.contains(w));
    let english = [" the ", " and ", " of ", " to ", " is "].iter().any(|w| lower.contains(w));
    if !(swedish && english) {
        out.push(ctx.finding(0, "/info/description", L::NotBilingual));
    }
}

fn dok07(ctx: &Ctx, out: &mut Vec<Finding>) {
    if str_at(root(ctx), "/info/description").is_some_and(|d| d.split_whitespace().count() < 4) {
        out.push(ctx.finding(0, "/info/description", L::DescriptionTooShort));
    }
}

fn has_example(ctx: &Ctx, media: &(usize, String), schema: Option<&crate::catalogue::openapi::SchemaLoc>) -> bool {
    let m = ctx.value(media);
    if m.is_some_and(|m| {
        m.get("example").is_some() || m.get("examples").is_some_and(|e| e.as_object().is_some_and(|o| !o.is_empty()))
    }) {
        return true;
    }
    // An example on the schema (or the schema it refers to) counts too.
    schema
        .and_then(|s| ctx.resolved(&(s.doc, s.pointer.clone())))
        .is_some_and(|v| v.get("example").is_some() || v.get("examples").is_some())
}

fn dok15(ctx: &Ctx, out: &mut Vec<Finding>) {
    for op in &ctx.api.operations {
        if let Some(rb) = &op.request_body {
            for m in rb.content.iter().filter(|m| crate::model::is_json_media(&m.media_type)) {
                if !has_example(ctx, &m.at, m.schema.as_ref()) {
                    out.push(
                        ctx.finding_at(
                            &m.at,
                            L::RequestNoExample { op: op_name(op), media_type: m.media_type.clone() },
                        ),
                    );
                }
            }
        }
        for r in &op.responses {
            for m in r.content.iter().filter(|m| media_type_of(&m.media_type) == "application/json") {
                if !has_example(ctx, &m.at, m.schema.as_ref()) {
                    out.push(ctx.finding_at(
                        &m.at,
                        L::ResponseNoExample {
                            op: op_name(op),
                            media_type: m.media_type.clone(),
                            status: r.status.to_string(),
                        },
                    ));
                }
            }
        }
    }
}

fn dok17(ctx: &Ctx, out: &mut Vec<Finding>) {
    if ctx.api.version == crate::catalogue::openapi::OasVersion::V30 {
        out.push(ctx.finding(0, "/openapi", L::OldOpenApi { version: ctx.api.declared_version.clone() }));
    }
}

fn dok19(ctx: &Ctx, out: &mut Vec<Finding>) {
    for op in &ctx.api.operations {
        let v = ctx.value(&op.at);
        let described = v.is_some_and(|v| str_at(v, "/summary").is_some() || str_at(v, "/description").is_some());
        if !described {
            out.push(ctx.finding_at(&op.at, L::Undescribed { op: op_name(op) }));
        }
    }
}

fn dok20(ctx: &Ctx, out: &mut Vec<Finding>) {
    for op in &ctx.api.operations {
        let success = op.responses.iter().any(|r| {
            matches!(r.status, StatusKey::Code(c) if c < 400) || matches!(r.status, StatusKey::Range(h) if h < 4)
        });
        let error = op.responses.iter().any(|r| {
            matches!(r.status, StatusKey::Code(c) if c >= 400)
                || matches!(r.status, StatusKey::Range(h) if h >= 4)
                || r.status == StatusKey::Default
        });
        if !success || !error {
            let name = op_name(op);
            let m = if !success { L::NoSuccessResponse { op: name } } else { L::NoErrorResponse { op: name } };
            out.push(ctx.finding_at(&op.at, m));
        }
    }
}

/// DOK.21: without a top-level `security`, every operation says its own (`security: []`
/// is a declaration too: the operation is open).
fn dok21(ctx: &Ctx, out: &mut Vec<Finding>) {
    if root(ctx).get("security").and_then(Value::as_array).is_some_and(|s| !s.is_empty()) {
        return;
    }
    for op in &ctx.api.operations {
        let declared = ctx.api.docs[op.at.0].value.pointer(&op.at.1).is_some_and(|o| o.get("security").is_some());
        if !declared {
            out.push(ctx.finding_at(&op.at, L::NoSecurityDeclared { op: op_name(op) }));
        }
    }
}

/// Calls `f(doc, pointer, name, schema)` for every property of every component schema,
/// however deeply nested.
fn each_property(ctx: &Ctx, f: &mut dyn FnMut(usize, String, &str, &Value)) {
    fn walk(doc: usize, ptr: &str, schema: &Value, depth: usize, f: &mut dyn FnMut(usize, String, &str, &Value)) {
        let Some(map) = schema.as_object() else { return };
        if depth > 32 {
            return;
        }
        if let Some(props) = map.get("properties").and_then(Value::as_object) {
            for (name, p) in props {
                let pp = format!("{ptr}/properties/{}", crate::source::escape_pointer(name));
                f(doc, pp.clone(), name, p);
                walk(doc, &pp, p, depth + 1, f);
            }
        }
        crate::catalogue::openapi::dialect_subschemas(map, ptr, &mut |child, v| {
            if !child.contains("/properties/") || !child.starts_with(&format!("{ptr}/properties/")) {
                walk(doc, &child, v, depth + 1, f);
            }
        });
    }
    for (i, doc) in ctx.api.docs.iter().enumerate() {
        if let Some(schemas) = doc.value.pointer("/components/schemas").and_then(Value::as_object) {
            for (name, s) in schemas {
                walk(i, &format!("/components/schemas/{}", crate::source::escape_pointer(name)), s, 0, f);
            }
        }
    }
}

fn looks_temporal(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    ["date", "time", "timestamp"].iter().any(|w| lower.ends_with(w))
        || lower.ends_with("_at")
        || (name.ends_with("At") && name.len() > 2)
}

/// DOT.02 (RAP-LP 2.0's id; RAP-LP v1 and konform's live check call the rule DOT.01): a
/// string that looks like a date or time has an RFC 3339 format, and its example is one.
fn dot02(ctx: &Ctx, out: &mut Vec<Finding>) {
    each_property(ctx, &mut |doc, ptr, name, p| {
        let is_string = p
            .get("type")
            .is_some_and(|t| t == "string" || t.as_array().is_some_and(|a| a.iter().any(|x| x == "string")));
        let format = p.get("format").and_then(Value::as_str);
        if is_string && looks_temporal(name) && !matches!(format, Some("date" | "date-time" | "time" | "duration")) {
            out.push(ctx.finding(doc, &ptr, L::DateWithoutFormat { name: name.to_string() }));
        }
        if let Some(example) = p.get("example").and_then(Value::as_str) {
            let (example, name) = (example.to_string(), name.to_string());
            let bad = match format {
                Some("date-time") if !is_rfc3339(&example) => Some(L::ExampleNotDateTime { example, name }),
                Some("date") if !is_date(&example) => Some(L::ExampleNotDate { example, name }),
                _ => None,
            };
            if let Some(why) = bad {
                out.push(ctx.finding(doc, &format!("{ptr}/example"), why));
            }
        }
    });
}

/// DOT.04: examples show what the API returns, and the profile wants date-times returned in
/// UTC. An example that is not RFC 3339 at all is DOT.02's finding, not this one's.
fn dot04(ctx: &Ctx, out: &mut Vec<Finding>) {
    each_property(ctx, &mut |doc, ptr, name, p| {
        if p.get("format").and_then(Value::as_str) != Some("date-time") {
            return;
        }
        if let Some(example) = p.get("example").and_then(Value::as_str) {
            if is_rfc3339(example) && !(example.ends_with(['Z', 'z']) || example.ends_with("+00:00")) {
                let why = L::ExampleNotUtc { example: example.to_string(), name: name.to_string() };
                out.push(ctx.finding(doc, &format!("{ptr}/example"), why));
            }
        }
    });
}

fn is_date(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && s.chars().enumerate().all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit())
        && (1..=12).contains(&s[5..7].parse::<u32>().unwrap_or(0))
        && (1..=31).contains(&s[8..10].parse::<u32>().unwrap_or(0))
}

fn is_rfc3339(s: &str) -> bool {
    let Some((date, time)) = s.split_once(['T', 't']) else { return false };
    if !is_date(date) || time.len() < 9 {
        return false;
    }
    let (clock, zone) = match time.find(['Z', 'z', '+', '-']) {
        Some(i) => time.split_at(i),
        None => return false,
    };
    // `get` rather than indexing: a hostile example may put a multibyte character anywhere.
    let clock_ok = clock.get(..8).is_some_and(|c| {
        c.bytes().enumerate().all(|(i, b)| if i == 2 || i == 5 { b == b':' } else { b.is_ascii_digit() })
    });
    let zone_ok = zone.eq_ignore_ascii_case("z") || (zone.len() == 6 && zone.as_bytes()[3] == b':');
    clock_ok && zone_ok
}

fn res02(ctx: &Ctx, out: &mut Vec<Finding>) {
    const PII: [&str; 6] =
        ["personnummer", "personalnumber", "personnumber", "personalidentitynumber", "ssn", "socialsecuritynumber"];
    let norm = |n: &str| -> String { n.to_ascii_lowercase().chars().filter(|c| c.is_ascii_alphanumeric()).collect() };
    if let Some(paths) = root(ctx).get("paths").and_then(Value::as_object) {
        for path in paths.keys() {
            for name in crate::catalogue::openapi::index::path_template_names(path) {
                if PII.contains(&norm(name).as_str()) {
                    out.push(ctx.finding_key(
                        0,
                        &format!("/paths/{}", crate::source::escape_pointer(path)),
                        L::PathExposesPin { path: path.clone(), name: name.to_string() },
                    ));
                }
            }
        }
    }
    for op in &ctx.api.operations {
        for p in op.parameters.iter().filter(|p| p.location == crate::catalogue::openapi::ParamIn::Query) {
            let norm: String = p.name.to_ascii_lowercase().chars().filter(|c| c.is_ascii_alphanumeric()).collect();
            if PII.contains(&norm.as_str()) {
                out.push(ctx.finding_at(
                    &p.at,
                    L::ParamExposesPin { op: op_name(op), location: p.location.to_string(), name: p.name.clone() },
                ));
            }
        }
    }
}

/// RES.06: a path segment that is a verb, or starts with one and a hyphen, names an action
/// where a resource belongs (the method says the action). Lower case and hyphens are
/// UFN.07's and UFN.08's to check.
fn res06(ctx: &Ctx, out: &mut Vec<Finding>) {
    const VERBS: [&str; 15] = [
        "get", "create", "update", "delete", "remove", "add", "set", "fetch", "post", "put", "patch", "save", "insert",
        "modify", "edit",
    ];
    let Some(paths) = root(ctx).get("paths").and_then(Value::as_object) else { return };
    for path in paths.keys() {
        let verb = path.split('/').filter(|s| !s.starts_with('{')).find_map(|segment| {
            let lower = segment.to_ascii_lowercase();
            VERBS.iter().find(|v| lower == **v || lower.starts_with(&format!("{v}-"))).map(|_| segment.to_string())
        });
        if let Some(segment) = verb {
            out.push(ctx.finding_key(
                0,
                &format!("/paths/{}", crate::source::escape_pointer(path)),
                L::VerbInPath { path: path.clone(), segment },
            ));
        }
    }
}

/// SPA.07: an operation that takes or gives X-Request-ID also takes or gives traceparent.
/// SPA.07, in each direction on its own: a request that takes X-Request-ID takes
/// traceparent too, and a response that carries X-Request-ID carries traceparent too.
fn spa07(ctx: &Ctx, out: &mut Vec<Finding>) {
    let lacks = |names: &mut dyn Iterator<Item = &str>| {
        let names: Vec<&str> = names.collect();
        names.iter().any(|n| n.eq_ignore_ascii_case("x-request-id"))
            && !names.iter().any(|n| n.eq_ignore_ascii_case("traceparent"))
    };
    for op in &ctx.api.operations {
        let header = crate::catalogue::openapi::ParamIn::Header;
        let request = lacks(&mut op.parameters.iter().filter(|p| p.location == header).map(|p| p.name.as_str()));
        let response = op.responses.iter().any(|r| lacks(&mut r.headers.iter().map(|h| h.name.as_str())));
        if request || response {
            out.push(ctx.finding_at(&op.at, L::RequestIdWithoutTraceparent { op: op_name(op) }));
        }
    }
}

fn spa02(ctx: &Ctx, out: &mut Vec<Finding>) {
    for op in &ctx.api.operations {
        let header = crate::catalogue::openapi::ParamIn::Header;
        if !op.parameters.iter().any(|p| p.location == header && p.name.eq_ignore_ascii_case("traceparent")) {
            out.push(ctx.finding_at(&op.at, L::NoTraceparent { op: op_name(op) }));
        }
    }
}

fn spa04(ctx: &Ctx, out: &mut Vec<Finding>) {
    for op in &ctx.api.operations {
        for r in &op.responses {
            if !r.headers.iter().any(|h| h.name.eq_ignore_ascii_case("traceparent")) {
                let why = L::ResponseWithoutTraceparent { op: op_name(op), status: r.status.to_string() };
                out.push(ctx.finding_at(&r.at, why));
            }
        }
    }
}

const METHODS: [&str; 5] = ["get", "put", "post", "delete", "patch"];

/// MOG.01. A document shows two signs of an API below level 2: a path that is no resource
/// any standard method acts on, and an API that sends everything through POST (level 0 and
/// 1 tunnel actions through one method). Whether the statuses mean what HTTP says is judged
/// live, by the OpenAPI checks of every response.
fn mog01(ctx: &Ctx, out: &mut Vec<Finding>) {
    let Some(paths) = root(ctx).get("paths").and_then(Value::as_object) else { return };
    for (path, item) in paths {
        let Some(item) = item.as_object() else { continue };
        if item.contains_key("$ref") || METHODS.iter().any(|m| item.contains_key(*m)) {
            continue;
        }
        let ptr = format!("/paths/{}", path.replace('~', "~0").replace('/', "~1"));
        out.push(ctx.finding_key(0, &ptr, L::PathWithoutMethod { path: path.clone() }));
    }
    let ops = &ctx.api.operations;
    if ops.len() > 1 && ops.iter().all(|op| op.method.eq_ignore_ascii_case("post")) {
        out.push(ctx.finding(0, "/paths", L::OnlyPost { count: ops.len() }));
    }
}

/// MOG.02, level 3: some response tells the client where to go next, as OpenAPI `links` or
/// as a `links`/`_links` property (HAL, JSON:API and most REST guides name it so).
fn mog02(ctx: &Ctx, out: &mut Vec<Finding>) {
    let ops = &ctx.api.operations;
    if ops.is_empty() {
        return;
    }
    let mut linked = false;
    for op in ops {
        for r in &op.responses {
            let resolved = ctx.resolved(&r.at);
            if resolved.and_then(|v| v.get("links")).and_then(Value::as_object).is_some_and(|l| !l.is_empty()) {
                linked = true;
            }
        }
    }
    if !linked {
        each_property(ctx, &mut |_, _, name, _| linked |= name == "links" || name == "_links");
    }
    if !linked {
        out.push(ctx.finding(0, "/paths", L::NoHypermedia));
    }
}

fn servers(ctx: &Ctx) -> Vec<(String, String)> {
    root(ctx)
        .get("servers")
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .enumerate()
                .filter_map(|(i, s)| {
                    s.get("url").and_then(Value::as_str).map(|u| (format!("/servers/{i}/url"), u.to_string()))
                })
                .collect()
        })
        .unwrap_or_default()
}

/// A server URL with `{variables}` replaced by their defaults.
fn concrete(ctx: &Ctx, ptr: &str, url: &str) -> String {
    let vars = root(ctx).pointer(&ptr.replace("/url", "/variables"));
    let mut out = url.to_string();
    if let Some(vars) = vars.and_then(Value::as_object) {
        for (k, v) in vars {
            if let Some(d) = v.get("default").and_then(Value::as_str) {
                out = out.replace(&format!("{{{k}}}"), d);
            }
        }
    }
    out
}

fn absolute_servers(ctx: &Ctx) -> Vec<(String, url::Url)> {
    servers(ctx)
        .into_iter()
        .filter_map(|(p, u)| url::Url::parse(&concrete(ctx, &p, &u)).ok().map(|url| (p, url)))
        .collect()
}

fn ufn01(ctx: &Ctx, out: &mut Vec<Finding>) {
    for (p, url) in absolute_servers(ctx) {
        if url.path_segments().map(|s| s.filter(|x| !x.is_empty()).count()).unwrap_or(0) < 2 {
            out.push(ctx.finding(0, &p, L::ServerPathIncomplete { url: url.to_string() }));
        }
    }
}

fn ufn02(ctx: &Ctx, out: &mut Vec<Finding>) {
    for (p, url) in absolute_servers(ctx) {
        if url.scheme() != "https" || url.port().is_some_and(|port| port != 443) {
            out.push(ctx.finding(0, &p, L::NotHttps443 { url: url.to_string() }));
        }
    }
}

fn sak01(ctx: &Ctx, out: &mut Vec<Finding>) {
    for (p, url) in absolute_servers(ctx) {
        if url.scheme() != "https" {
            out.push(ctx.finding(0, &p, L::NotHttps { url: url.to_string() }));
        }
    }
}

fn ufn05(ctx: &Ctx, out: &mut Vec<Finding>) {
    let longest_server = servers(ctx).iter().map(|(_, u)| u.len()).max().unwrap_or(0);
    for op in &ctx.api.operations {
        if longest_server + op.path.len() > 2048 {
            out.push(ctx.finding_at(&op.at, L::UrlTooLong { op: op_name(op) }));
        }
    }
}

/// The literal (non-template) segments of a path, with the pointer of the path item.
fn literal_segments(ctx: &Ctx) -> Vec<(String, String, String)> {
    let mut out = Vec::new();
    if let Some(paths) = root(ctx).get("paths").and_then(Value::as_object) {
        for path in paths.keys().filter(|k| k.starts_with('/')) {
            let ptr = format!("/paths/{}", crate::source::escape_pointer(path));
            for seg in path.split('/').filter(|s| !(s.is_empty() || s.starts_with('{') && s.ends_with('}'))) {
                out.push((ptr.clone(), path.clone(), seg.to_string()));
            }
        }
    }
    out
}

fn ufn07(ctx: &Ctx, out: &mut Vec<Finding>) {
    for (ptr, path, seg) in literal_segments(ctx) {
        if let Some(c) =
            seg.chars().find(|c| !(c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '-' | '.' | '~')))
        {
            out.push(ctx.finding_key(0, &ptr, L::PathCharacter { path, segment: seg, character: c }));
        }
    }
}

fn ufn08(ctx: &Ctx, out: &mut Vec<Finding>) {
    for (ptr, path, seg) in literal_segments(ctx) {
        let camel = seg.chars().zip(seg.chars().skip(1)).any(|(a, b)| a.is_ascii_lowercase() && b.is_ascii_uppercase());
        if camel || seg.contains('_') {
            out.push(ctx.finding_key(0, &ptr, L::PathNotHyphenated { path, segment: seg }));
        }
    }
}

fn ufn09(ctx: &Ctx, out: &mut Vec<Finding>) {
    for (p, u) in servers(ctx) {
        if u.contains([' ', '_']) {
            out.push(ctx.finding(0, &p, L::ServerSpaceOrUnderscore { url: u }));
        }
    }
    if let Some(paths) = root(ctx).get("paths").and_then(Value::as_object) {
        for path in paths.keys().filter(|k| k.contains([' ', '_'])) {
            out.push(ctx.finding_key(
                0,
                &format!("/paths/{}", crate::source::escape_pointer(path)),
                L::PathSpaceOrUnderscore { path: path.clone() },
            ));
        }
    }
}

fn ame01(ctx: &Ctx, out: &mut Vec<Finding>) {
    for op in &ctx.api.operations {
        let bodies = op.request_body.iter().flat_map(|rb| rb.content.iter()).chain(
            op.responses
                .iter()
                .filter(|r| {
                    matches!(r.status, StatusKey::Code(c) if c < 400)
                        || matches!(r.status, StatusKey::Range(h) if h < 4)
                })
                .flat_map(|r| r.content.iter()),
        );
        for m in bodies {
            let mt = media_type_of(&m.media_type);
            let binary = mt.starts_with("application/octet-stream")
                || mt.starts_with("image/")
                || mt.starts_with("multipart/")
                || mt == "application/pdf";
            if !crate::model::is_json_media(&mt) && !binary {
                out.push(ctx.finding_at(&m.at, L::NotJson { op: op_name(op), media_type: m.media_type.clone() }));
            }
        }
    }
}

/// AME.02: a request body can be sent as JSON: among the media types an operation takes,
/// one is JSON (a file upload, binary or multipart only, is left to AME.01's exceptions).
fn ame02(ctx: &Ctx, out: &mut Vec<Finding>) {
    for op in &ctx.api.operations {
        let Some(body) = &op.request_body else { continue };
        let types: Vec<String> = body.content.iter().map(|m| media_type_of(&m.media_type)).collect();
        let binary = |mt: &String| {
            mt.starts_with("application/octet-stream")
                || mt.starts_with("image/")
                || mt.starts_with("multipart/")
                || mt == "application/pdf"
        };
        if !types.is_empty() && !types.iter().any(|mt| crate::model::is_json_media(mt) || binary(mt)) {
            out.push(ctx.finding_at(&op.at, L::BodyNotJson { op: op_name(op), media_types: types.join(", ") }));
        }
    }
}

#[derive(PartialEq, Eq, PartialOrd, Ord, Clone, Copy)]
enum Case {
    Camel,
    Snake,
    Lower,
    Other,
}

fn case_of(name: &str) -> Case {
    let first_ok = name.chars().next().is_some_and(|c| c.is_ascii_lowercase());
    if !first_ok {
        return Case::Other;
    }
    let has_upper = name.chars().any(|c| c.is_ascii_uppercase());
    let has_underscore = name.contains('_');
    let alnum = name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
    match (alnum, has_upper, has_underscore) {
        (false, _, _) => Case::Other,
        (true, true, false) => Case::Camel,
        (true, false, true) => Case::Snake,
        (true, false, false) => Case::Lower,
        (true, true, true) => Case::Other,
    }
}

fn ame04(ctx: &Ctx, out: &mut Vec<Finding>) {
    each_property(ctx, &mut |doc, ptr, name, _| {
        if case_of(name) == Case::Other && !name.starts_with('_') && !name.starts_with('$') && !name.starts_with('@') {
            out.push(ctx.finding_key(doc, &ptr, L::FieldCase { name: name.to_string() }));
        }
    });
}

/// Reports the names of the less common of camelCase and snake_case.
fn mixed_convention(names: Vec<(usize, String, String)>, ctx: &Ctx, query: bool, out: &mut Vec<Finding>) {
    let mut by: BTreeMap<Case, Vec<(usize, String, String)>> = BTreeMap::new();
    for n in names {
        let c = case_of(&n.2);
        if matches!(c, Case::Camel | Case::Snake) {
            by.entry(c).or_default().push(n);
        }
    }
    let (camel, snake) = (by.get(&Case::Camel).map_or(0, Vec::len), by.get(&Case::Snake).map_or(0, Vec::len));
    if camel == 0 || snake == 0 {
        return;
    }
    let (minority, majority) = if snake <= camel { (Case::Snake, "camelCase") } else { (Case::Camel, "snake_case") };
    for (doc, ptr, name) in by.remove(&minority).unwrap_or_default().into_iter().take(20) {
        out.push(ctx.finding_key(doc, &ptr, L::BreaksConvention { query, name, majority, camel, snake }));
    }
}

fn ame05(ctx: &Ctx, out: &mut Vec<Finding>) {
    let mut names = Vec::new();
    each_property(ctx, &mut |doc, ptr, name, _| names.push((doc, ptr, name.to_string())));
    mixed_convention(names, ctx, false, out);
}

fn ame07(ctx: &Ctx, out: &mut Vec<Finding>) {
    each_property(ctx, &mut |doc, ptr, name, _| {
        if !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
            out.push(ctx.finding_key(doc, &ptr, L::FieldNotAlphanumeric { name: name.to_string() }));
        }
    });
}

fn arq01(ctx: &Ctx, out: &mut Vec<Finding>) {
    for op in &ctx.api.operations {
        for m in op.request_body.iter().flat_map(|rb| rb.content.iter()) {
            let charset = crate::model::charset_of(&m.media_type);
            if charset.is_some_and(|c| c != "utf-8" && c != "utf8") {
                out.push(
                    ctx.finding_at(&m.at, L::RequestNotUtf8 { op: op_name(op), media_type: m.media_type.clone() }),
                );
            }
        }
    }
}

fn arq05(ctx: &Ctx, out: &mut Vec<Finding>) {
    for op in &ctx.api.operations {
        for p in op.parameters.iter().filter(|p| p.location == crate::catalogue::openapi::ParamIn::Header) {
            let schema = p.schema.as_ref().and_then(|s| ctx.resolved(&(s.doc, s.pointer.clone())));
            let ty = schema.and_then(|s| s.get("type")).cloned().unwrap_or(Value::Null);
            if ty == "object" || ty == "array" {
                out.push(ctx.finding_at(
                    &p.at,
                    L::HeaderPayload {
                        op: op_name(op),
                        name: p.name.clone(),
                        json_type: ty.as_str().unwrap_or("").to_string(),
                    },
                ));
            }
        }
    }
}

/// The members (properties, merged across `allOf`) of a schema, with where each is written.
fn members(ctx: &Ctx, at: &(usize, String), depth: usize, out: &mut BTreeMap<String, (usize, String)>) {
    let Some((doc, ptr)) = ctx.deref(at) else { return };
    let Some(v) = ctx.value(&(doc, ptr.clone())) else { return };
    if let Some(props) = v.get("properties").and_then(Value::as_object) {
        for k in props.keys() {
            out.entry(k.clone()).or_insert((doc, format!("{ptr}/properties/{}", crate::source::escape_pointer(k))));
        }
    }
    if depth < 8 {
        for (i, _) in v.get("allOf").and_then(Value::as_array).into_iter().flatten().enumerate() {
            members(ctx, &(doc, format!("{ptr}/allOf/{i}")), depth + 1, out);
        }
    }
}

/// The alternatives a schema stands for: itself, or each branch of a `oneOf`/`anyOf`.
fn alternatives(ctx: &Ctx, at: &(usize, String)) -> Vec<(usize, String)> {
    let Some((doc, ptr)) = ctx.deref(at) else { return Vec::new() };
    let v = ctx.value(&(doc, ptr.clone()));
    for key in ["oneOf", "anyOf"] {
        if let Some(branches) = v.and_then(|v| v.get(key)).and_then(Value::as_array) {
            return (0..branches.len()).filter_map(|i| ctx.deref(&(doc, format!("{ptr}/{key}/{i}")))).collect();
        }
    }
    vec![(doc, ptr)]
}

fn fel01(ctx: &Ctx, out: &mut Vec<Finding>) {
    let mut seen = std::collections::HashSet::new();
    for op in &ctx.api.operations {
        for r in &op.responses {
            for m in r.content.iter().filter(|m| crate::model::is_problem_media(&m.media_type)) {
                let Some(s) = &m.schema else { continue };
                for (doc, ptr) in alternatives(ctx, &(s.doc, s.pointer.clone())) {
                    if !seen.insert((doc, ptr.clone())) {
                        continue;
                    }
                    let mut found = BTreeMap::new();
                    members(ctx, &(doc, ptr.clone()), 0, &mut found);
                    let missing: Vec<&str> = ["type", "title", "status", "detail", "instance"]
                        .into_iter()
                        .filter(|k| !found.contains_key(*k))
                        .collect();
                    if !missing.is_empty() {
                        out.push(ctx.finding(doc, &ptr, L::ProblemLacks { members: missing }));
                    }
                    // RFC 9457: `status` is a number, the others are strings.
                    for (member, want) in [
                        ("type", "string"),
                        ("title", "string"),
                        ("status", "integer"),
                        ("detail", "string"),
                        ("instance", "string"),
                    ] {
                        let Some(member_at) = found.get(member) else { continue };
                        let Some(ty) = ctx.resolved(member_at).and_then(|m| m.get("type")) else {
                            if ctx.resolved(member_at).is_some_and(|m| m.get("properties").is_some()) {
                                out.push(ctx.finding(
                                    member_at.0,
                                    &member_at.1,
                                    L::ProblemMemberObject { member, wanted: want },
                                ));
                            }
                            continue;
                        };
                        let ok = ty == want
                            || (want == "integer" && ty == "number")
                            || ty.as_array().is_some_and(|a| a.iter().any(|t| t == want));
                        if !ok {
                            out.push(ctx.finding(
                                member_at.0,
                                &member_at.1,
                                L::ProblemMemberType { member, json_type: ty.to_string(), wanted: want },
                            ));
                        }
                    }
                }
            }
        }
    }
}

fn fel02(ctx: &Ctx, out: &mut Vec<Finding>) {
    for op in &ctx.api.operations {
        for r in op.responses.iter().filter(|r| {
            matches!(r.status, StatusKey::Code(c) if c >= 400)
                || matches!(r.status, StatusKey::Range(h) if h >= 4)
                || r.status == StatusKey::Default
        }) {
            for m in r.content.iter().filter(|m| !crate::model::is_problem_media(&m.media_type)) {
                out.push(ctx.finding_at(
                    &m.at,
                    L::ErrorNotProblem {
                        op: op_name(op),
                        status: r.status.to_string(),
                        media_type: m.media_type.clone(),
                    },
                ));
            }
        }
    }
}

fn ver05(ctx: &Ctx, out: &mut Vec<Finding>) {
    for (p, u) in servers(ctx) {
        let concrete_url = concrete(ctx, &p, &u);
        let has_version = concrete_url
            .split('/')
            .any(|s| s.len() > 1 && s.starts_with('v') && s[1..].chars().all(|c| c.is_ascii_digit()));
        if !has_version {
            out.push(ctx.finding(0, &p, L::ServerNoVersion { url: u }));
        }
    }
}

fn ver06(ctx: &Ctx, out: &mut Vec<Finding>) {
    let has = root(ctx)
        .get("paths")
        .and_then(Value::as_object)
        .is_some_and(|p| p.keys().any(|k| k.trim_end_matches('/') == "/api-info" || k.ends_with("/api-info")));
    if !has {
        out.push(ctx.finding(0, "/paths", L::NoApiInfo));
    }
}

fn query_params<'a>(
    ctx: &Ctx<'a>,
) -> Vec<(&'a crate::catalogue::openapi::Operation, &'a crate::catalogue::openapi::Parameter)> {
    ctx.api
        .operations
        .iter()
        .flat_map(|op| {
            op.parameters
                .iter()
                .filter(|p| p.location == crate::catalogue::openapi::ParamIn::Query)
                .map(move |p| (op, p))
        })
        .collect()
}

fn fns01(ctx: &Ctx, out: &mut Vec<Finding>) {
    let names = query_params(ctx).into_iter().map(|(_, p)| (p.at.0, p.at.1.clone(), p.name.clone())).collect();
    mixed_convention(names, ctx, true, out);
}

fn fns03(ctx: &Ctx, out: &mut Vec<Finding>) {
    for (op, p) in query_params(ctx) {
        if !p.name.chars().next().is_some_and(|c| c.is_ascii_alphabetic()) {
            out.push(ctx.finding_at(&p.at, L::QueryNotLetter { op: op_name(op), name: p.name.clone() }));
        }
    }
}

fn fns05(ctx: &Ctx, out: &mut Vec<Finding>) {
    for (op, p) in query_params(ctx) {
        if p.required {
            out.push(ctx.finding_at(&p.at, L::QueryRequired { op: op_name(op), name: p.name.clone() }));
        }
    }
}

fn fns06(ctx: &Ctx, out: &mut Vec<Finding>) {
    for (op, p) in query_params(ctx) {
        if !p.name.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '.' | '_' | '~')) {
            out.push(ctx.finding_at(&p.at, L::QueryNotUrlSafe { op: op_name(op), name: p.name.clone() }));
        }
    }
}

fn fns07(ctx: &Ctx, out: &mut Vec<Finding>) {
    for op in &ctx.api.operations {
        let has = |n: &str| {
            op.parameters.iter().any(|p| p.location == crate::catalogue::openapi::ParamIn::Query && p.name == n)
        };
        let paging = has("page") || has("offset");
        if has("limit") != paging {
            let m = if has("limit") {
                L::LimitWithoutPage { op: op_name(op) }
            } else {
                L::PageWithoutLimit { op: op_name(op) }
            };
            out.push(ctx.finding_at(&op.at, m));
        }
    }
}

fn param_schema<'a>(ctx: &Ctx<'a>, p: &crate::catalogue::openapi::Parameter) -> Option<&'a Value> {
    p.schema.as_ref().and_then(|s| ctx.resolved(&(s.doc, s.pointer.clone())))
}

fn fns08(ctx: &Ctx, out: &mut Vec<Finding>) {
    for (op, p) in query_params(ctx).into_iter().filter(|(_, p)| p.name == "page") {
        let schema = param_schema(ctx, p);
        let start = schema.and_then(|s| s.get("minimum").or_else(|| s.get("default"))).and_then(Value::as_f64);
        if start != Some(1.0) {
            out.push(ctx.finding_at(&p.at, L::PageNotFromOne { op: op_name(op) }));
        }
    }
}

fn fns09(ctx: &Ctx, out: &mut Vec<Finding>) {
    for (op, p) in query_params(ctx).into_iter().filter(|(_, p)| p.name == "limit") {
        let default = param_schema(ctx, p).and_then(|s| s.get("default")).and_then(Value::as_f64);
        if default != Some(20.0) {
            out.push(ctx.finding_at(&p.at, L::LimitDefaultNot20 { op: op_name(op) }));
        }
    }
}

fn schemes<'a>(ctx: &Ctx<'a>) -> Vec<(usize, String, &'a Value)> {
    let mut out = Vec::new();
    for (i, doc) in ctx.api.docs.iter().enumerate() {
        if let Some(s) = doc.value.pointer("/components/securitySchemes").and_then(Value::as_object) {
            for (name, v) in s {
                out.push((i, format!("/components/securitySchemes/{}", crate::source::escape_pointer(name)), v));
            }
        }
    }
    out
}

fn sak09(ctx: &Ctx, out: &mut Vec<Finding>) {
    for (doc, ptr, s) in schemes(ctx) {
        let scheme = s.get("scheme").and_then(Value::as_str).unwrap_or("").to_ascii_lowercase();
        if s.get("type") == Some(&Value::from("http")) && (scheme == "basic" || scheme == "digest") {
            out.push(ctx.finding(doc, &ptr, L::BasicOrDigest { scheme }));
        }
    }
}

fn sak10(ctx: &Ctx, out: &mut Vec<Finding>) {
    for (doc, ptr, s) in schemes(ctx) {
        let scheme = s.get("scheme").and_then(Value::as_str).unwrap_or("").to_ascii_lowercase();
        if s.get("type") == Some(&Value::from("http")) && scheme != "bearer" {
            out.push(ctx.finding(doc, &ptr, L::NotBearer { scheme }));
        }
    }
}

fn sak15(ctx: &Ctx, out: &mut Vec<Finding>) {
    for (doc, ptr, s) in schemes(ctx) {
        if s.get("type") == Some(&Value::from("apiKey")) && s.get("in") == Some(&Value::from("query")) {
            out.push(ctx.finding(doc, &ptr, L::ApiKeyInQuery));
        }
    }
}

fn sak16(ctx: &Ctx, out: &mut Vec<Finding>) {
    for (doc, ptr, s) in schemes(ctx) {
        if s.get("type") == Some(&Value::from("apiKey")) && s.get("in") != Some(&Value::from("header")) {
            out.push(ctx.finding(
                doc,
                &ptr,
                L::ApiKeyNotInHeader { location: s.get("in").and_then(Value::as_str).unwrap_or("?").to_string() },
            ));
        }
    }
}

/// SAK.29: a body of a type the operation does not take is refused, and the document says
/// how (a `415`, or a `4XX` range that covers it).
fn sak29(ctx: &Ctx, out: &mut Vec<Finding>) {
    for op in ctx.api.operations.iter().filter(|op| op.request_body.is_some()) {
        let documented = op.responses.iter().any(|r| matches!(r.status, StatusKey::Code(415) | StatusKey::Range(4)));
        if !documented {
            out.push(ctx.finding_at(&op.at, L::No415 { op: op_name(op) }));
        }
    }
}

fn sak18(ctx: &Ctx, out: &mut Vec<Finding>) {
    let all = schemes(ctx);
    if !all.is_empty()
        && !all
            .iter()
            .any(|(_, _, s)| matches!(s.get("type").and_then(Value::as_str), Some("oauth2" | "openIdConnect")))
    {
        out.push(ctx.finding(all[0].0, "/components/securitySchemes", L::NoOAuth));
    }
}

fn for02(ctx: &Ctx, out: &mut Vec<Finding>) {
    for op in ctx.api.operations.iter().filter(|op| op.method == "GET") {
        if let Some(rb) = &op.request_body {
            out.push(ctx.finding_at(&rb.at, L::GetWithBody { path: op.path.clone() }));
        }
    }
}
