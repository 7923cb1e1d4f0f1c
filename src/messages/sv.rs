//! Svenska: every text konform itself shows, in Swedish.

use super::text::{Broken, Note, Seal, Standing, Unused};
use super::{
    CaptureFrom, CaptureProblem, CaptureSource, Credential, Expectation, JsonProblem, MatchFailure, Misconfigured, Msg,
    OpFailure, Probe, Rendered, Text, TlsProblem, Unreachable,
};

fn said(message: String) -> Rendered {
    Rendered { message, expected: None, actual: None }
}

fn with(message: String, expected: Option<String>, actual: Option<String>) -> Rendered {
    Rendered { message, expected, actual }
}

fn json_problem(p: &JsonProblem) -> String {
    match p {
        JsonProblem::Empty => "kroppen är tom".into(),
        JsonProblem::NotUtf8 { at } => format!("kroppen är inte giltig UTF-8 (vid byte {at})"),
        JsonProblem::NotJson { line, column, .. } => {
            format!("kroppen är inte giltig JSON (rad {line}, kolumn {column})")
        }
    }
}

fn expectation(e: &Expectation) -> String {
    match e {
        Expectation::Exists => "finns".into(),
        Expectation::Absent => "saknas".into(),
        Expectation::Equals { value } => format!("är lika med {value}"),
        Expectation::NotEquals { value } => format!("är skilt från {value}"),
        Expectation::Matches { regex } => format!("matchar /{regex}/"),
        Expectation::OneOf { values } => format!("är ett av [{}]", values.join(", ")),
        Expectation::Type { json_type } => format!("har typen {json_type}"),
        Expectation::Length { bounds } => format!("har längden {}", bounds.join(" och ")),
        Expectation::Compare { bound } => bound.clone(),
        Expectation::Contains { value } => format!("innehåller {value}"),
        Expectation::All { each } => format!("varje träff {}", each_text(each)),
        Expectation::Any { each } => format!("någon träff {}", each_text(each)),
        Expectation::One { each } => format!("exakt en träff, som {}", each_text(each)),
    }
}

fn each_text(each: &[Expectation]) -> String {
    each.iter().map(expectation).collect::<Vec<_>>().join(" och ")
}

/// `$['items'][2] är "C" (förväntade att värdet är ett av ["A", "B"])`.
fn match_failure(m: &MatchFailure) -> String {
    let why: Vec<String> = m.failures.iter().map(op_failure).collect();
    format!("{} är {} ({})", m.at, m.value, why.join("; "))
}

fn op_failure(f: &OpFailure) -> String {
    match f {
        OpFailure::Unmet { expected } => format!("förväntade att värdet {}", expectation(expected)),
        OpFailure::NoValue { expected } => {
            format!("förväntade att värdet {}, men det finns inget värde", expectation(expected))
        }
        OpFailure::NotAString { expected } => format!("förväntade en sträng som {}", expectation(expected)),
        OpFailure::NotANumber { expected } => format!("förväntade ett tal {}", expectation(expected)),
        OpFailure::LengthIs { expected, length } => {
            format!("förväntade att värdet {}, längden är {length}", expectation(expected))
        }
        OpFailure::NoLength { expected, json_type } => {
            format!("förväntade att värdet {}, men värdet har ingen längd ({json_type})", expectation(expected))
        }
        OpFailure::NotAll { expected, failing, matches, first } => format!(
            "förväntade att {}, men {failing} av {matches} gör det inte: {}",
            expectation(expected),
            match_failure(first)
        ),
        OpFailure::NoneOf { expected, matches, example } => {
            let wanted = expectation(expected);
            match (matches, example) {
                (1, Some(m)) => {
                    format!("förväntade att {wanted}, men den enda träffen gör det inte: {}", match_failure(m))
                }
                (n, Some(m)) => format!("förväntade att {wanted}, men ingen av {n} gör det: {}", match_failure(m)),
                (_, None) => format!("förväntade att {wanted}, men sökvägen ger ingen träff"),
            }
        }
        OpFailure::NotOne { expected, matches: 0 } => {
            format!("förväntade {}, men sökvägen ger ingen träff", expectation(expected))
        }
        OpFailure::NotOne { expected, matches } => {
            format!("förväntade {}, men sökvägen ger {matches} träffar", expectation(expected))
        }
        OpFailure::OnlyFails { expected, only } => {
            format!("förväntade {}, men den gör det inte: {}", expectation(expected), match_failure(only))
        }
    }
}

fn capture_from(c: &CaptureFrom) -> String {
    let base = match &c.source {
        CaptureSource::Body { path } => format!("ett värde vid {path}"),
        CaptureSource::Header { name } => format!("huvudet {name}"),
        CaptureSource::BodyText => "kroppens text".into(),
    };
    match &c.regex {
        Some(r) => format!("{base} som matchar /{r}/"),
        None => base,
    }
}

fn capture_problem(p: &CaptureProblem) -> String {
    match p {
        CaptureProblem::Body { problem } => json_problem(problem),
        CaptureProblem::NoValue { path } => format!("inget värde vid {path}"),
        CaptureProblem::NoHeader { name } => format!("inget {name}-huvud"),
        CaptureProblem::NoMatch { regex, text } => format!("/{regex}/ matchar inte {text}"),
    }
}

/// A violated schema keyword, in Swedish, from the keyword and what it asked for.
fn schema_violation(keyword: &str, wanted: Option<&str>) -> String {
    let Some(w) = wanted else {
        return format!("värdet uppfyller inte schemats nyckelord `{keyword}`");
    };
    match keyword {
        "required" => format!("den obligatoriska egenskapen {w} saknas"),
        "type" => format!("värdet har inte typen {w}"),
        "additionalProperties" | "unevaluatedProperties" => format!("egenskaper som schemat inte tillåter: {w}"),
        "enum" => format!("värdet är inte ett av {w}"),
        "const" => format!("värdet är inte {w}"),
        "format" => format!("värdet följer inte formatet {w}"),
        "pattern" => format!("värdet matchar inte mönstret /{w}/"),
        "minimum" => format!("värdet är mindre än {w}"),
        "maximum" => format!("värdet är större än {w}"),
        "exclusiveMinimum" => format!("värdet är inte större än {w}"),
        "exclusiveMaximum" => format!("värdet är inte mindre än {w}"),
        "minLength" => format!("värdet är kortare än {w} tecken"),
        "maxLength" => format!("värdet är längre än {w} tecken"),
        "minItems" => format!("listan har färre än {w} element"),
        "maxItems" => format!("listan har fler än {w} element"),
        "minProperties" => format!("objektet har färre än {w} egenskaper"),
        "maxProperties" => format!("objektet har fler än {w} egenskaper"),
        _ => format!("värdet uppfyller inte schemats nyckelord `{keyword}` ({w})"),
    }
}

pub(super) fn msg(m: &Msg) -> Rendered {
    match m {
        Msg::StatusDocumented { status, documented_as } => {
            said(format!("status {status} är dokumenterad (som {documented_as})"))
        }
        Msg::StatusUndocumented { status, operation, documented } => with(
            format!("status {status} är inte dokumenterad för {operation}"),
            Some(documented.join(", ")),
            Some(status.to_string()),
        ),
        Msg::ContentTypeDocumented { media_type } => said(format!("Content-Type {media_type} är dokumenterad")),
        Msg::ContentTypeUndocumented { status, content_type, documented } => with(
            match content_type {
                Some(mt) => format!("Content-Type {mt} är inte dokumenterad för status {status}"),
                None => format!("svaret har en kropp men ingen Content-Type (status {status})"),
            },
            Some(documented.join(", ")),
            Some(content_type.clone().unwrap_or_else(|| "(ingen)".into())),
        ),
        Msg::BodyMissing { status, documented } => with(
            format!(
                "dokumentet ger svaret med status {status} en kropp ({}), men det kom utan kropp",
                documented.join(", ")
            ),
            Some(format!("en kropp ({})", documented.join(", "))),
            Some("ingen kropp".into()),
        ),
        Msg::BodyUndocumented { status, size, content_type } => with(
            match content_type {
                Some(mt) => format!(
                    "enligt dokumentet har svaret med status {status} ingen kropp, men det hade en kropp på {size} byte ({mt})"
                ),
                None => format!(
                    "enligt dokumentet har svaret med status {status} ingen kropp, men det hade en kropp på {size} byte (ingen Content-Type)"
                ),
            },
            Some("ingen kropp".into()),
            Some(format!("{size} byte")),
        ),
        Msg::BodyNotJson { problem, body } => {
            with(json_problem(problem), Some("en JSON-kropp".into()), Some(body.clone()))
        }
        Msg::SchemaUnusable { .. } => said("svarets schema kan inte användas".into()),
        Msg::BodyValid => said("kroppen följer svarets schema".into()),
        Msg::BodyInvalid { at, keyword, wanted, more, schema, value, .. } => {
            let more = if *more > 0 { format!(" (och {more} till)") } else { String::new() };
            with(
                format!("{at}: {}{more}", schema_violation(keyword, wanted.as_deref())),
                Some(format!("giltigt enligt {schema}")),
                value.clone(),
            )
        }
        Msg::HeadersValid => said("dokumenterade huvuden finns och är giltiga".into()),
        Msg::HeadersInvalid { missing, invalid } => {
            let mut problems = Vec::new();
            if !missing.is_empty() {
                let what =
                    if missing.len() == 1 { "obligatoriskt huvud saknas" } else { "obligatoriska huvuden saknas" };
                problems.push(format!("{what}: {}", missing.join(", ")));
            }
            if !invalid.is_empty() {
                let shown: Vec<String> = invalid.iter().map(|h| format!("{}: {}", h.name, h.value)).collect();
                problems.push(format!("ogiltigt enligt sitt schema: {}", shown.join("; ")));
            }
            with(
                problems.join("; "),
                (!missing.is_empty()).then(|| missing.join(", ")),
                Some("saknas eller ogiltigt".into()),
            )
        }
        Msg::StatusAsExpected { status, allowed } => {
            with(format!("status {status}"), Some(allowed.join(" eller ")), Some(status.to_string()))
        }
        Msg::StatusUnexpected { status, allowed } => {
            let wanted = allowed.join(" eller ");
            with(format!("förväntad status {wanted}, fick {status}"), Some(wanted), Some(status.to_string()))
        }
        Msg::Captured { name, value } => said(format!("fångade {name} = {value}")),
        Msg::CaptureFailed { name, from, problem } => {
            with(format!("kan inte fånga {name}: {}", capture_problem(problem)), Some(capture_from(from)), None)
        }
        // The subject is the check's name, which every renderer puts before the message.
        Msg::Assertion { subject: _, expected, failures, value, missing } => {
            let wanted: Vec<String> = expected.iter().map(expectation).collect();
            let message = if failures.is_empty() {
                wanted.join(", ")
            } else {
                let failed: Vec<String> = failures.iter().map(op_failure).collect();
                // Each failure already says when there is no value; only why is added.
                let said_absent = failures.iter().all(|f| matches!(f, OpFailure::NoValue { .. }));
                let found = match (value, missing) {
                    _ if failures.iter().all(OpFailure::names_the_match) => String::new(),
                    (Some(v), _) => format!("; fick {v}"),
                    (None, Some(why)) if said_absent => format!(" ({})", json_problem(why)),
                    (None, Some(why)) => format!("; inget värde ({})", json_problem(why)),
                    (None, None) if said_absent => String::new(),
                    (None, None) => "; inget värde".into(),
                };
                format!("{}{found}", failed.join("; "))
            };
            with(message, Some(wanted.join(", ")), Some(value.clone().unwrap_or_else(|| "(saknas)".into())))
        }
        Msg::ErrorNotProblemJson { method, url, status, content_type } => said(format!(
            "{method} {url} svarade {status} som {}",
            content_type.as_deref().unwrap_or("(ingen innehållstyp)")
        )),
        Msg::ProblemNotObject { method, url } => {
            said(format!("{method} {url}: problemkroppen är inte ett JSON-objekt"))
        }
        Msg::ProblemWithoutTitle { method, url } => said(format!("{method} {url}: problemet saknar `title`")),
        Msg::ProblemStatusDiffers { method, url, problem_status, status } => {
            said(format!("{method} {url}: problemets `status` är {problem_status}, svarets {status}"))
        }
        Msg::ProblemWithoutStatus { method, url } => {
            said(format!("{method} {url}: problemet saknar numerisk `status`"))
        }
        Msg::DateNotUtc { method, url, value } => said(format!("{method} {url}: `{value}` är inte i UTC")),
        Msg::AndMore { count } => said(format!("... och {count} till")),
        Msg::AllErrorsProblemJson { count } => said(format!("alla {count} felsvar var problem+json")),
        Msg::AllProblemsComplete { count } => {
            said(format!("alla {count} problemkroppar hade title och en status som stämde"))
        }
        Msg::AllDatesUtc { count } => said(format!("alla {count} tidpunkter var i UTC")),
        Msg::SuccessNotJson { method, url, status, content_type } => said(format!(
            "{method} {url} svarade {status} med en kropp som {}, inte JSON",
            content_type.as_deref().unwrap_or("(ingen innehållstyp)")
        )),
        Msg::AllSuccessJson { count } => said(format!("alla {count} lyckade svar med kropp var JSON")),
        Msg::MalformedHeader { method, url, header, value } => {
            said(format!("{method} {url} svarade med fältet \"{header}\" skrivet så som dess RFC inte tillåter: {value}"))
        }
        Msg::AllHeadersWellFormed { count } => {
            said(format!("alla {count} fält \"Date\", \"Last-Modified\", \"ETag\" och \"Cache-Control\" i svaren var välformade"))
        }
        Msg::TraceparentMissing { method, url, status, value } => said(match value {
            Some(v) => format!("{method} {url} svarade {status} med en traceparent som W3C Trace Context inte tillåter: {v}"),
            None => format!("{method} {url} svarade {status} utan headern traceparent"),
        }),
        Msg::AllTraceparent { count } => said(format!("alla {count} svar hade en välformad traceparent")),
        Msg::TraceparentServed { status } => {
            said(format!("GET api-info med en giltig traceparent besvarades med {status}, som utan den"))
        }
        Msg::TraceparentRefused { status } => said(format!(
            "GET api-info med en giltig traceparent besvarades med {status}, fast den lyckades utan"
        )),
        Msg::TraceparentNotJudged { status } => said(format!(
            "inte bedömd: GET api-info utan traceparent {}, så ett svar på en med den skulle inte bevisa något",
            match status {
                Some(s) => format!("besvarades med {s}"),
                None => "fick inget svar".to_string(),
            }
        )),
        Msg::TlsMade => {
            said("https-anslutningen gjordes med TLS 1.2 eller senare (konform erbjuder inget äldre)".into())
        }
        Msg::TlsFailed => said("ingen anslutning med TLS 1.2+ kunde göras".into()),
        Msg::TlsNotObserved { reason } => said(format!(
            "inte bedömd: inget svar kom över https, så de TLS-versioner servern erbjuder sågs inte ({}); \
             ett servercertifikat som konform inte litar på (--ca-cert), ett klientcertifikat som konform inte fick \
             (--client-cert, --client-key) eller en nådd tidsgräns talar inte emot servern",
            msg(reason).message
        )),
        Msg::ApiInfoAnswered { status } => {
            said(format!("GET api-info svarade {}", status.map(|s| s.to_string()).unwrap_or_else(|| "inget".into())))
        }
        Msg::ApiInfoObject => said("svaret är ett JSON-objekt".into()),
        Msg::ApiInfoNotObject => said("svaret är inte ett JSON-objekt".into()),
        Msg::ApiInfoUrl => said("kan inte bilda adressen till api-info".into()),
        Msg::GetBodyRefused { status } => said(format!("en GET med kropp avvisades med {status}")),
        Msg::GetBodyNotJudged { status } => said(format!(
            "inte bedömd: GET api-info utan kropp {}, så att en GET med kropp avvisas bevisar ingenting",
            match status {
                Some(s) => format!("svarade {s}"),
                None => "fick inget svar".to_string(),
            }
        )),
        Msg::GetBodyAnswered { status } => {
            said(format!("en GET med kropp besvarades med {status}: den ska avvisas med en 4XX-kod"))
        }
        Msg::GenInvalidRefused { input, status } => {
            said(format!("{} avvisades med {status}, som dokumenterat", gen_input(input)))
        }
        Msg::GenInvalidAccepted { input, status } => with(
            format!("{} godtogs", gen_input(input)),
            Some("en dokumenterad 4xx-kod".into()),
            Some(status.to_string()),
        ),
        Msg::GenInvalidServerError { input, status } => with(
            format!("{} gav ett serverfel", gen_input(input)),
            Some("en dokumenterad 4xx-kod".into()),
            Some(status.to_string()),
        ),
        Msg::GenInvalidUndocumented { input, status, documented } => with(
            format!("{} avvisades med en kod som operationen inte dokumenterar", gen_input(input)),
            Some(format!("en av {}", documented.join(", "))),
            Some(status.to_string()),
        ),
        Msg::GenValidAnswered { status } => said(format!("giltiga indata besvarades med {status}, som dokumenterat")),
        Msg::GenValidServerError { status } => with(
            "giltiga indata gav ett serverfel".into(),
            Some("en dokumenterad kod under 500".into()),
            Some(status.to_string()),
        ),
        Msg::GenValidUndocumented { status, documented } => with(
            "giltiga indata fick en statuskod som operationen inte dokumenterar".into(),
            Some(format!("en av {}", documented.join(", "))),
            Some(status.to_string()),
        ),
        Msg::GenAuthRefused { credentials, status } => {
            said(format!("en begäran {} avvisades med {status}, som dokumenterat", gen_credentials(credentials)))
        }
        Msg::GenAuthNotRefused { credentials, status } => with(
            format!("en begäran {} avvisades inte", gen_credentials(credentials)),
            Some("401 eller 403".into()),
            Some(status.to_string()),
        ),
        Msg::GenAuthUndocumented { credentials, status } => with(
            format!("en begäran {} avvisades med en kod som operationen inte dokumenterar", gen_credentials(credentials)),
            Some("en dokumenterad 401 eller 403".into()),
            Some(status.to_string()),
        ),
        Msg::GenAuthNotJudged { headers } => said(format!(
            "inte bedömd: extrahuvudena {} bär inloggningsuppgifter som varje begäran skickas med",
            headers.join(", ")
        )),
        Msg::GenMethodRefused { method, status } => {
            said(format!("{method}, som sökvägen inte dokumenterar, avvisades med {status}"))
        }
        Msg::GenMethodNoAllow { method } => with(
            format!("{method}, som sökvägen inte dokumenterar, fick 405 utan Allow-huvud"),
            Some("405 med Allow".into()),
            Some("405 utan Allow".into()),
        ),
        Msg::GenMethodServed { method, status } => with(
            format!("{method}, som sökvägen inte dokumenterar, avvisades inte"),
            Some("405 med Allow, 404 eller 501".into()),
            Some(status.to_string()),
        ),
        Msg::GenCannotGenerate { place, reason } => {
            said(format!("inte skickad: inget värde kunde skapas för schemat i {place} ({reason})"))
        }
        Msg::NoAnswer => said("inget svar".into()),
        Msg::NotRunDeadline => said("kördes inte: körningens --deadline nåddes".into()),
        Msg::NotRunInterrupted => said("kördes inte: körningen avbröts".into()),
        Msg::PreconditionFailed { step } => {
            said(format!("kördes inte: förberedelsesteget `{step}` misslyckades, så det som det förbereder saknas"))
        }
        Msg::SharedSetupFailed { scenario, variable } => said(format!(
            "kördes inte: det delade förberedelsescenariot `{scenario}` misslyckades, och scenariot behöver `{variable}`, som det fångar"
        )),
        Msg::Abandoned => said("övergavs: körningen avbröts igen medan svaret väntades".into()),
        Msg::CutAtDeadline => said("avbröts: körningens tidsgräns nåddes medan svaret väntades".into()),
        Msg::NeedsUncaptured { variable, step } => {
            said(format!("behöver `{variable}`, som steget `{step}` inte fångade"))
        }
        Msg::NeedsUndefined { variable } => {
            said(format!("behöver `{variable}`, som inte är definierad (ange den med --var {variable}=...)"))
        }
        Msg::UnknownOperation { operation } => said(format!("operationen `{operation}` finns inte")),
        Msg::VariableNotSet { variable } => said(format!("variabeln `{variable}` har inget värde")),
        Msg::UrlInvalid { path, detail } => said(format!("kan inte bilda adressen för {path}: {detail}")),
        Msg::CheckFailed { check, detail } => said(format!("{check}: {}", msg(detail).message)),
        Msg::RedirectNotFollowed { origin } => said(format!(
            "omdirigering till ett annat ursprung ({origin}) följdes inte; inloggningsuppgifter skickas aldrig dit"
        )),
        Msg::WithNote { reason, note } => said(format!("{} ({})", msg(reason).message, msg(note).message)),
        Msg::TimedOut { after } => said(format!("tidsgränsen nåddes efter {after} (--timeout)")),
        Msg::ConnectionFailed { cause } => said(format!("anslutningen misslyckades: {cause}")),
        Msg::TlsVersionRefused { cause } => {
            said(format!("servern avvisade TLS 1.2 och 1.3, de enda versioner konform erbjuder: {cause}"))
        }
        Msg::Tls { problem: problem @ TlsProblem::Other { .. }, .. } => said(format!("TLS: {}", tls_problem(problem))),
        Msg::Tls { problem, detail } => said(format!("TLS: {} ({detail})", tls_problem(problem))),
        Msg::RequestNotBuilt { detail } => said(format!(
            "konform kunde inte bygga anropet: {detail} (en header eller URL som byggts av sviten, en variabel eller \
             en flagga är inte giltig HTTP; innehåller ett värde en radbrytning?)"
        )),
        Msg::RedirectsFailed { cause } => said(format!("omdirigeringarna misslyckades: {cause}")),
        Msg::ReadFailed { cause } => said(format!("svaret kunde inte läsas: {cause}")),
        Msg::RequestFailed { cause } => said(format!("anropet misslyckades: {cause}")),
        Msg::BodyOverLimit { limit } => {
            said(format!("svarets kropp är större än läsgränsen {limit} (--max-body); läsningen avbröts"))
        }
        Msg::WhileReadingBody { reason, after } => {
            said(format!("{} (under läsningen av kroppen, efter {after} byte)", msg(reason).message))
        }
        Msg::Attempts { reason, attempts } => said(format!("{} ({attempts} försök)", msg(reason).message)),
        Msg::TokenUnreachable { url, cause } => said(format!("kunde inte hämta en OAuth2-token från {url}: {cause}")),
        Msg::TokenRefused { url, status, body } => {
            said(format!("kunde inte hämta en OAuth2-token från {url}: HTTP {status} {body}"))
        }
        Msg::TokenWithoutAccessToken { url, .. } => said(format!("tokenändpunkten {url} svarade utan access_token")),
        Msg::Text { message, expected, actual } => with(message.clone(), expected.clone(), actual.clone()),
    }
}
pub(super) fn text(t: Text) -> &'static str {
    match t {
        Text::Report => "Rapport",
        Text::SignatureValidWithGivenKey => "signatur: GILTIG, gjord med den angivna publika nyckeln",
        Text::SignatureValidForEmbeddedKey => {
            "signatur: giltig för nyckeln i rapporten; ange --public-key för att kontrollera vem som signerade"
        }
        Text::SignatureUnsigned => {
            "signatur: OSIGNERAD: inget visar vem som gjorde rapporten eller att den är oförändrad"
        }
        Text::SignatureInvalid => "signatur: OGILTIG",
        Text::NotFoundInTheLocalCatalogue => "FINNS INTE i den lokala katalogen",
        Text::MatchesTheLocalCatalogue => "stämmer med den lokala katalogen",
        Text::Files => "filer",
        Text::DiffersFromTheLocalCatalogue => "SKILJER SIG från den lokala katalogen",
        Text::MissingLocally => "använd i rapporten, saknas lokalt",
        Text::Changed => "ändrad",
        Text::AddedLocally => "inte använd i rapporten (tillagd lokalt)",
        Text::CombinedFingerprintMismatch => {
            "rapportens samlade fingeravtryck stämmer inte med fillistan: rapporten har ändrats"
        }
        Text::ReportChecksOut => "Slutsats: rapporten håller.",
        Text::ReportDoesNotCheckOut => "Slutsats: rapporten håller INTE.",
        Text::SpecificationCatalogue => "Specifikationskatalog",
        Text::Version => "Version",
        Text::Status => "Status",
        Text::Title => "Rubrik",
        Text::Coverage => "Täckning",
        Text::Profile => "Profil",
        Text::RulesCheckedLive => "regler som `konform run` prövar live",
        Text::Domain => "Domän",
        Text::Operations => "operationer",
        Text::RequirementsCovered => "krav täckta av ett scenario",
        Text::Level => "Nivå",
        Text::CoveredBy => "Täcks av",
        Text::NotCovered => "— inte täckt",
        Text::NotCoveredPlain => "inte täckt",
        Text::CertificationReport => "Certifieringsrapport",
        Text::NotStated => "ej angiven",
        Text::Vendor => "Leverantör",
        Text::Product => "Produkt",
        Text::ProductVersion => "Produktversion",
        Text::Specification => "Specifikation",
        Text::CatalogueFingerprint => "Katalogens fingeravtryck",
        Text::Catalogue => "Katalog",
        Text::Date => "Datum",
        Text::TestedAddress => "Testad adress",
        Text::Requirements => "Krav",
        Text::PassedLower => "godkända",
        Text::FailedLower => "underkända",
        Text::NotTestedCount => "ej testade",
        Text::ErrorLower => "fel",
        Text::PartialRun => "Delkörning",
        Text::PartialCannotCertify => "ja: filter användes, så den kan inte certifiera",
        Text::ShardCannotCertify => "ja: en del av planen, så den kan inte certifiera ensam",
        Text::Interrupted => "Avbruten",
        Text::NotEveryStepRan => "ja: alla steg kördes inte",
        Text::Unsigned => "osignerad",
        Text::Signature => "Signatur",
        Text::RequirementMatrix => "Kravmatris",
        Text::Id => "Id",
        Text::Verdict => "Resultat",
        Text::Requirement => "Krav",
        Text::Details => "Detaljer",
        Text::Covers => "täcker",
        Text::Step => "Steg",
        Text::Checks => "Kontroller",
        Text::ReportFormat => "rapportformat",
        Text::VerifyHint => "Kontrollera med: konform verify RAPPORT.json --public-key NYCKEL.pub",
        Text::Cleanup => " (städning)",
        Text::SharedSetup => " (gemensam förberedelse)",
        Text::TextsInOtherLanguage => {
            "Specifikationens titlar och texter finns bara på engelska och visas som de är skrivna."
        }
        Text::SharedTeardown => " (gemensam städning)",
        Text::Expected => "förväntat",
        Text::Actual => "faktiskt",
        Text::OnlyFor => "endast för",
        Text::Evidence => "Bevis",
        Text::NoResponse => "inget svar",
        Text::CutRealSize => "avkortad; verklig storlek",
        Text::KonformCertification => "konform-certifiering",
        Text::Target => "Mål",
        Text::Started => "Startad",
        Text::Tool => "Verktyg",
        Text::Partial => "Delkörning",
        Text::FiltersWereUsed => "ja: filter användes",
        Text::OneShardOfThePlan => "ja: en del av planen",
        Text::Yes => "ja",
        Text::Failures => "Fel",
        Text::Steps => "Steg",
        Text::SkippedLower => "överhoppade",
        Text::Certified => "CERTIFIERAD",
        Text::NotCertified => "EJ CERTIFIERAD",
        Text::PassLower => "godkänd",
        Text::Fail => "UNDERKÄND",
        Text::NotTested => "ej testad",
        Text::ErrorUpper => "FEL",
        Text::Pass => "GODKÄND",
        Text::SkippedUpper => "HOPPADES ÖVER",
        Text::StepLower => "steg",
        Text::StepsLower => "steg",
        Text::ProfileRule => "profilregel",
        Text::RequirementHeading => "KRAV",
        Text::LevelHeading => "NIVÅ",
        Text::VerdictHeading => "RESULTAT",
        Text::TitleHeading => "RUBRIK",
        Text::Scenarios => "SCENARIER",
        Text::PartialRunSuffix => " (delkörning: filter användes)",
        Text::ShardSuffix => " (delkörning: en del av planen)",
        Text::InterruptedSuffix => " — AVBRUTEN",
        Text::Run => "Körning",
        Text::CleanupBracketed => " [städning]",
        Text::At => "i",
        Text::Declared => "(enligt den som körde testet)",
        Text::SignedEd25519KeySha256 => "signerad (Ed25519), signeringsnyckelns SHA-256",
        Text::ReportId => "Rapport-id",
        Text::Issuer => "Utfärdare",
        Text::ValidUntil => "Giltig till",
        Text::WhyNotCertified => "Varför den inte är certifierad",
        Text::DeclaredShort => "uppgiven",
        Text::And => "och",
        Text::StatusDraft => "utkast",
        Text::StatusActive => "aktiv",
        Text::StatusDeprecated => "utfasad",
        Text::StatusRetired => "avvecklad",
        Text::PublishedOn => "publicerad",
        Text::DeprecatedOn => "utfasad",
        Text::SunsetOn => "avvecklas",
        Text::ReplacedBy => "ersätts av",
        Text::LifecycleHeading => "Livscykel",
        Text::Blocked => "BLOCKERAD",
        Text::Waived => "UNDANTAGEN",
        Text::Attested => "INTYGAD",
        Text::NotApplicable => "ej tillämplig",
        Text::BlockedLower => "blockerade",
        Text::WaivedLower => "undantagna",
        Text::AttestedLower => "intygade",
        Text::NotApplicableCount => "ej tillämpliga",
        Text::SetupBracketed => " [förberedelse]",
        Text::Departures => "Avvikelser från OpenAPI-dokumentet",
        Text::BlockedBy => "blockerad av en misslyckad förberedelse",
        Text::SeenIn => "sedd i",
        Text::AttributedTo => "tillskrivs",
        Text::Departure => "Avvikelse",
        Text::ByAttestation => "verifieras med ett signerat intyg",
        Text::Waivers => "Undantag",
        Text::UnusedWaivers => "Undantag som inte tillämpades",
        Text::Attestations => "Intyg",
        Text::NotOfferedHeading => "Erbjuds inte, enligt leverantörens överensstämmelseförklaring",
        Text::WaivedHeading => "Undantag: kända avvikelser som godtagits för en tid",
        Text::AsOf => "Bedömd per",
        Text::AttestationHolds => "signaturen håller",
        Text::AttestationDoesNotHold => "signaturen HÅLLER INTE",
        Text::ExitCode => "slutkod",
        Text::FleetCounts => "godk./underk./fel",
        Text::MisconfiguredUpper => "FELKONFIGURERAD",
        Text::NotCompletedUpper => "EJ SLUTFÖRD",
        Text::InterruptedUpper => "AVBRUTEN",
        Text::Operation => "Anrop",
        Text::WhyHeading => "VARFÖR",
        Text::Why => "Varför",
        Text::SinceHeading => "Sedan den tidigare rapporten",
        Text::RequirementId => "Krav-id",
        Text::RequirementText => "Kravtext",
        Text::Verification => "Verifiering",
        Text::AutomaticTest => "automatiskt prov",
        Text::AttestationNoun => "intygande",
        Text::Rule => "Regel",
        Text::EvidenceScenario => "scenario",
        Text::EvidenceDeparture => "avvikelse",
        Text::EvidenceWaiver => "undantag",
        Text::EvidenceAttestation => "intyg",
        Text::EvidenceNotOffered => "erbjuds inte",
        Text::EvidenceBlockedBy => "blockerad av",
        Text::RuleIgnored => "regeln undantogs i denna granskning",
        Text::Document => "Dokument",
        Text::KeyFingerprint => "signeringsnyckel (SHA-256 av dess SPKI DER)",
    }
}

/// A calendar date (`2027-04-01`) as a person reads it.
fn day(date: &str) -> String {
    match super::date_parts(&format!("{date}T00:00Z")) {
        Some((y, m, d, _)) => format!("{d} {} {y}", MONTHS[m - 1]),
        None => date.to_string(),
    }
}

const MONTHS: [&str; 12] = [
    "januari",
    "februari",
    "mars",
    "april",
    "maj",
    "juni",
    "juli",
    "augusti",
    "september",
    "oktober",
    "november",
    "december",
];

pub(super) fn note(n: &Note) -> String {
    match n {
        Note::Wrote { format, path } => format!("skrev {format}-rapporten till {path}"),
        Note::MoreFailures { count } => format!("... och {count} till (alla finns i rapporterna)"),
        Note::MoreFailuresInReport { count, id: None } => {
            format!("... och {count} till. Hela rapporten tar upp alla: JSON-rapporten, eller den som HTML (konform report RAPPORT.json --format html).")
        }
        Note::MoreFailuresInReport { count, id: Some(id) } => format!(
            "... och {count} till. Hela rapporten ({id}) tar upp alla: JSON-rapporten, eller den som HTML (konform report RAPPORT.json --format html)."
        ),
        Note::DoesNotCount { covered, deciding } => format!(
            "godkändes inte men räknas inte: steget prövar bara {covered}-krav, och det är {deciding}-krav som avgör den här körningen"
        ),
        Note::CleanupNotCounted { step, verdict } => {
            format!("städsteg {step}: {verdict} (städsteg räknas inte som tester)")
        }
        Note::ReferenceListening { url, faults } if faults.is_empty() => {
            format!("referensleverantören lyssnar på {url}")
        }
        Note::ReferenceListening { url, faults } => {
            format!("referensleverantören lyssnar på {url} med felen: {}", faults.join(", "))
        }
        Note::Expired { when } => format!("UTGÅNGEN: certifikatet gällde till {when} och gäller inte längre"),
        Note::UnreadableValidity { when } => format!("giltighetstiden `{when}` är inget datum: certifikatet kan inte sägas gälla"),
        Note::DeprecatedVersion { spec, sunset, replaced_by } => {
            let until = sunset.as_deref().map(|s| format!(" till sitt avvecklingsdatum {}", day(s))).unwrap_or_default();
            let to = replaced_by.as_deref().map(|v| format!("; leverantörer måste gå över till {v}")).unwrap_or_default();
            format!("{spec} är utfasad: den gäller{until}{to}. Ett certifikat för den gäller inte längre än den.")
        }
        Note::RetiredVersion { spec, sunset } => {
            format!("{spec} avvecklades på sitt avvecklingsdatum {}: ett certifikat för den gäller inte längre.", day(sunset))
        }
        Note::Statement { standing, product, vendor, levels, specs, date, url } => {
            let product = if product.is_empty() { "Den testade produkten".to_string() } else { product.clone() };
            let from = if vendor.is_empty() { String::new() } else { format!(" från {vendor}") };
            let meets = match standing {
                Standing::Meets => "uppfyller",
                Standing::DoesNotMeet => "uppfyller inte",
                Standing::Shard => {
                    return format!(
                        "{product}{from} testades mot en del av {levels}-kraven i {specs}, {date} mot {url}, som en \
                         del av planen: inget krav som räknas underkändes i den."
                    )
                }
                Standing::Interrupted => {
                    return format!(
                        "{product}{from} testades inte fullständigt mot {levels}-kraven i {specs}: körningen {date} \
                         mot {url} avbröts, och inget krav som räknas underkändes innan den stoppades."
                    )
                }
            };
            format!("{product}{from} {meets} {levels}-kraven i {specs}, testad {date} mot {url}.")
        }
        Note::Rule { levels } => format!(
            "Det som avgör: varje {levels}-krav ska vara godkänt; ett krav som inte testades eller inte kunde \
             bedömas är inte godkänt, och en körning med filter eller en avbruten körning certifierar aldrig. \
             Leverantör och produkt är som den som körde testet uppgav dem."
        ),
        Note::Date { rfc3339 } => match super::date_parts(rfc3339) {
            Some((y, m, d, time)) => format!("{d} {} {y} kl. {time} UTC", MONTHS[m - 1]),
            None => rfc3339.clone(),
        },
        Note::Broken(b) => match b {
            Broken::UnknownAlgorithm => "signaturens algoritm är inte ed25519".into(),
            Broken::MalformedKey => "den publika nyckeln i rapporten är felaktigt kodad".into(),
            Broken::NotAnEd25519Key => "den publika nyckeln i rapporten är ingen giltig Ed25519-nyckel".into(),
            Broken::DifferentKey => "rapporten signerades med en annan nyckel än den angivna".into(),
            Broken::MalformedValue => "signaturens värde är felaktigt kodat".into(),
            Broken::Changed => "signaturen stämmer inte med rapportens innehåll: den har ändrats efter signeringen".into(),
            Broken::FingerprintsDoNotAddUp => {
                "rapportens samlade fingeravtryck stämmer inte med fillistan: rapporten har ändrats".into()
            }
        },
        Note::Seal(Seal::Valid { key, pinned: true }) => {
            format!("Signerad (Ed25519) med den förväntade nyckeln och oförändrad sedan dess. Signeringsnyckelns SHA-256: {key}")
        }
        Note::Seal(Seal::Valid { key, pinned: false }) => format!(
            "Signerad (Ed25519) och oförändrad sedan signeringen. Signeringsnyckelns SHA-256: {key} (jämför med den nyckel du väntar dig)"
        ),
        Note::Seal(Seal::Altered(why)) => format!(
            "ÄNDRAD — rapporten har ändrats efter signeringen eller är inte vad den utger sig för: INGET CERTIFIKAT ({})",
            note(&Note::Broken(*why))
        ),
        Note::Seal(Seal::Unsigned) => "OSIGNERAD — endast som information, inget certifikat".into(),
        Note::CatalogueNotFound { dir } => format!(
            "ingen katalogmapp i {dir}: ange --catalogue MAPP (eller KONFORM_CATALOGUE) för att jämföra fingeravtrycken"
        ),
        Note::LocalCatalogue { dir, version, built_in } => format!(
            "varning: använder katalogen i {dir} ({}): dess filer är inte de i katalogen som är inbyggd i \
             konform ({}); ange --catalogue MAPP för att välja katalog uttryckligen",
            catalogue_version(version),
            catalogue_version(built_in)
        ),
        Note::CatalogueExported { dir, version, files } => format!(
            "skrev den inbyggda katalogen ({}, {files} filer) till {dir}: `konform check {dir}` kontrollerar den, \
             `--catalogue {dir}` använder den",
            catalogue_version(version)
        ),
        Note::Scaffolded { dir, document, catalogue, spec, files, operations, requirements, uncovered, scenarios } => {
            format!(
                "skrev utkastet till specifikationen {spec} i {dir} ({files} filer): {operations} operationer, \
                 {requirements} krav ({uncovered} utan scenario), {scenarios} scenarier. \
                 Det är en utgångspunkt att granska och skriva om, aldrig en färdig svit: \
                 `konform check {dir}` kontrollerar det; `konform mock {dir}/{document} --stateful` serverar dess \
                 dokument och `konform run {spec} --catalogue {catalogue} --base-url URL` kör det"
            )
        }
        Note::ScaffoldBadId { id } => format!(
            "`{id}` kan inte vara en specifikations id: använd små bokstäver och siffror, ord med ett bindestreck \
             emellan, högst 64 tecken (som `case-intake`)"
        ),
        Note::ScaffoldNoDocument { file } => {
            format!("{file} är ingen fil: ange ett OpenAPI-dokument (YAML eller JSON)")
        }
        Note::ScaffoldNotEmpty { dir } => format!(
            "{dir} är inte tom: ingenting skrevs; välj en annan mapp med --out, eller töm den först"
        ),
        Note::ArazzoExported { spec, path, workflows } => {
            format!("skrev scenarierna i {spec} som en Arazzo 1.0.1-beskrivning ({workflows} arbetsflöden) till {path}")
        }
        Note::ArazzoImported { path, scenarios, fixtures, warnings } => format!(
            "skrev {scenarios} {} till {path} ({fixtures} {}); {} \
             `konform check` kontrollerar specifikationens mapp",
            if *scenarios == 1 { "scenario" } else { "scenarier" },
            if *fixtures == 1 { "fixturfil" } else { "fixturfiler" },
            match warnings {
                0 => "allt översattes;".to_string(),
                1 => "1 konstruktion kunde inte översättas (ovan);".to_string(),
                n => format!("{n} konstruktioner kunde inte översättas (ovan);"),
            }
        ),
        Note::Shard { index, count } => format!(
            "Detta är del {index} av {count} av planen: ofullständig och aldrig certifierad ensam. \
             `konform report merge` sätter ihop JSON-rapporterna från alla {count} delar."
        ),
        Note::CatalogueIdentity { version, fingerprint, embedded } => format!(
            "{}{}; fingeravtryck {fingerprint}",
            catalogue_version(version),
            if *embedded { ", inbyggd i konform" } else { "" }
        ),
        Note::ReportCatalogue { version, fingerprint, same: true, here } => format!(
            "Rapporten gjordes med katalogen {} (fingeravtryck {fingerprint}), samma som {here}.",
            catalogue_version(version)
        ),
        Note::ReportCatalogue { version, fingerprint, same: false, here } => format!(
            "Rapporten gjordes med katalogen {} (fingeravtryck {fingerprint}), inte den i {here}: det som avgör \
             är om specifikationerna den certifierar är oförändrade, nedan.",
            catalogue_version(version)
        ),
        Note::Preflight(m) => misconfigured(m),
        Note::PreflightStopped => "Det här gäller konforms konfiguration, inte leverantören: inget mer skickades \
                                   och ingen rapport skrevs (slutkod 4). --no-preflight hoppar över kontrollen."
            .into(),
        Note::Waived { requirement, level, covered, reason, reference, approved_by, until } => {
            let approved = match approved_by {
                Some(who) => format!(", godkänt av {who}"),
                None => String::new(),
            };
            format!(
                "{requirement} ({level}) är UNDANTAGET till och med {} (utan undantaget: {covered}): {reason} \
                 [{reference}{approved}]",
                day(until)
            )
        }
        Note::WaiverUnused { requirement, reference, why } => {
            let why = match why {
                Unused::Expired { on } => format!("det har gått ut: sista dagen var {}", day(on)),
                Unused::Passed => "kravet blev godkänt".to_string(),
                Unused::NotCovered { verdict, covers } => {
                    format!("kravet blev {verdict}, och undantaget gäller bara {covers}")
                }
            };
            format!("undantaget {reference} för {requirement} tillämpades inte: {why}")
        }
        Note::Attested { id, requirements, by, date, text, url, sha256, key } => {
            let mut evidence = Vec::new();
            evidence.extend(text.clone());
            evidence.extend(url.clone());
            evidence.extend(sha256.as_ref().map(|h| format!("filens SHA-256 {h}")));
            format!(
                "{id}: {requirements} intygat av {by} den {date}; underlag: {}; signerat med nyckeln SHA-256 {key}",
                evidence.join("; ")
            )
        }
        Note::NotOffered { requirement, reason, vendor, product } => {
            format!("{requirement} är ej tillämpligt: {vendor} förklarar att {product} inte erbjuder det: {reason}")
        }
        Note::Gate { passed: true } => "--gate selected: inget som urvalet testade underkändes, kunde inte bedömas \
             eller blockerades: slutkod 0. Rapporten certifierar ändå inte."
            .into(),
        Note::Gate { passed: false } => "--gate selected: ett krav som urvalet testade underkändes, kunde inte \
             bedömas eller blockerades (eller så testades ingenting): slutkod 1."
            .into(),
        Note::AsOf { when } => format!(
            "Undantag och intyg bedömdes per {} (satt med --now), inte vid körningens tidpunkt.",
            note(&Note::Date { rfc3339: when.clone() })
        ),
        Note::RuleDeclared => "Ett undantaget krav (en känd avvikelse som den som godkände den godtar till ett visst \
             datum), ett intygat krav (verifierat och signerat av människor) och ett valfritt krav som leverantören \
             förklarar att produkten inte erbjuder räknas som uppfyllda; vart och ett visas med vem som lämnade \
             uppgiften."
            .into(),
        Note::FleetReports { dir } => format!("rapporterna: {dir}"),
        Note::FleetTarget { name, problem } => format!("mål {name}: {problem}"),
        Note::PreflightPastDeadline => {
            "tidsgränsen nåddes medan förhandskontrollen fortfarande väntade på svar: inget scenario kördes".into()
        }
        Note::FleetTargetEnded { name, verdict, code } => format!("{name}: {verdict} (slutkod {code})"),
        Note::FleetExit { code } => format!("slutkod {code}: den sämsta av målens (3 > 4 > 1 > 0)"),
        Note::SinceCatalogueChanged { spec, report } => format!(
            "varning: katalogen som används har andra filer för {spec} än dem {report} gjordes med: det som \
             ändrats sedan dess beräknas från katalogens filer"
        ),
        Note::SinceFrom { from, report, date, changes, must_change, untested, catalogue_changed } => {
            let untested = if *untested > 0 {
                format!(", varav {untested} i operationer som inget scenario testar")
            } else {
                String::new()
            };
            let changed = if *catalogue_changed {
                "; katalogens filer för den har ändrats sedan den rapporten"
            } else {
                ""
            };
            format!(
                "Sedan {from} (testad i {report}, {}): {changes} {}, {must_change} som leverantören måste åtgärda{untested}{changed}.",
                note(&Note::Date { rfc3339: date.clone() }),
                if *changes == 1 { "ändring" } else { "ändringar" }
            )
        }
        Note::SinceToDo { count } => {
            let word = if *count == 1 { "uppfyllt" } else { "uppfyllda" };
            format!("Att göra: {count} krav inte {word}")
        }
        Note::SinceNothingToDo => "Inget att göra: varje krav är uppfyllt.".into(),
        Note::SinceNew { version } => format!("nytt i {version}"),
        Note::SinceChanged { changes } => format!("ändrat: {changes}"),
        Note::SinceRegressed { was, version } => format!("bakåtsteg: {was} i {version}"),
        Note::SinceStillFailing { was, version } => format!("fortfarande inte uppfyllt: {was} i {version}"),
        Note::SinceNoEarlierVerdict { report } => format!("oförändrat, finns inte i {report}"),
        Note::SinceRemoved { to, ids } => format!("Finns inte längre i {to}: {ids}"),
    }
}

/// En katalogs version som en människa läser den.
fn catalogue_version(version: &Option<String>) -> String {
    match version {
        Some(v) => format!("version {v}"),
        None => "utan version".into(),
    }
}

/// Ett TLS-problem i klartext, med flaggan som åtgärdar det där det finns en.
fn tls_problem(p: &TlsProblem) -> String {
    match p {
        TlsProblem::UnknownIssuer => "serverns certifikat är inte utfärdat av en CA som konform litar på; ange \
                                      testmiljöns CA med --ca-cert"
            .into(),
        TlsProblem::WrongName { host } => format!(
            "serverns certifikat är inte utfärdat för {host}; använd ett värdnamn som certifikatet anger i \
             --base-url, eller be leverantören om ett certifikat för {host}"
        ),
        TlsProblem::Expired => "serverns certifikat har gått ut (eller så går den här datorns klocka fel); \
                                leverantören måste förnya det"
            .into(),
        TlsProblem::NotYetValid => "serverns certifikat gäller inte än; kontrollera den här datorns klocka".into(),
        TlsProblem::CaUsedAsEndEntity => "servern visar ett CA-certifikat som sitt eget; den behöver ett \
                                          servercertifikat utfärdat av den CA:n (--ca-cert tar CA:n)"
            .into(),
        TlsProblem::NotForServers => {
            "serverns certifikat är inte avsett för en TLS-server (dess utökade nyckelanvändning)".into()
        }
        TlsProblem::ClientCertificateRequired => {
            "servern kräver ett klientcertifikat (ömsesidig TLS); ange det med --client-cert och --client-key".into()
        }
        TlsProblem::ClientCertificateRefused { alert } => format!(
            "servern godtog inte konforms klientcertifikat ({alert}); kontrollera att --client-cert och --client-key \
             är de som utfärdats för den här miljön"
        ),
        TlsProblem::HandshakeRefused => "servern avbröt TLS-handskakningen (handshake_failure): den kräver kanske \
                                         ett klientcertifikat (--client-cert, --client-key) eller godtar inget som \
                                         konform erbjuder (TLS 1.2 eller senare)"
            .into(),
        TlsProblem::Other { detail } => format!("TLS-handskakningen misslyckades: {detail}"),
    }
}

/// `GET https://… (utan inloggningsuppgifter) svarade 401`.
fn probe(p: &Probe) -> String {
    let anonymous = if p.without_credentials { " (utan inloggningsuppgifter)" } else { "" };
    match p.status {
        Some(status) => format!("{} {}{anonymous} svarade {status}", p.method, p.url),
        None => format!("{} {}{anonymous}", p.method, p.url),
    }
}

fn probes(list: &[Probe]) -> String {
    list.iter().map(probe).collect::<Vec<_>>().join("; ")
}

fn unreachable(u: &Unreachable) -> String {
    match u {
        Unreachable::Refused { host } => format!("{host} vägrade anslutningen (inget lyssnar där)"),
        Unreachable::NoRoute { host } => format!("det finns ingen väg till {host}"),
        Unreachable::NoSuchHost { host } => format!("värdnamnet {host} går inte att slå upp"),
        Unreachable::TimedOut { host, after } => {
            format!("{host} tog inte emot någon anslutning inom {after} (en brandvägg, ett VPN, fel adress?)")
        }
    }
}

fn credential(c: &Credential) -> String {
    match c {
        Credential::Bearer => "en bearer-token (--bearer-token eller KONFORM_BEARER_TOKEN)".into(),
        Credential::ApiKey { header } => {
            format!("en API-nyckel i headern {header} (--api-key eller KONFORM_API_KEY, och --api-key-header)")
        }
        Credential::Basic => {
            "användarnamn och lösenord (--basic-user, och --basic-password eller KONFORM_BASIC_PASSWORD)".into()
        }
        Credential::OAuth2 => "en OAuth2-token (dess client_id, klienthemlighet och scope står i [auth] i \
                               konfigurationsfilen)"
            .into(),
        Credential::Headers { names } => {
            format!("inloggningsuppgifter i {} (--header, eller [headers] i konfigurationsfilen)", names.join(", "))
        }
    }
}

/// Förhandskontrollens fynd: ett stycke som anger vad som visade det och flaggan som åtgärdar det.
fn misconfigured(m: &Misconfigured) -> String {
    match m {
        Misconfigured::Unreachable { probe: p, why } => format!(
            "förhandskontroll: målet går inte att nå: {} fick ingen anslutning: {}. Kontrollera värd och port i \
             --base-url, och att API:et körs där.",
            probe(p),
            unreachable(why)
        ),
        Misconfigured::Tls { probe: p, problem } => {
            format!("förhandskontroll: TLS misslyckades för {}: {}.", probe(p), tls_problem(problem))
        }
        Misconfigured::TokenRefused { url, status, body } => {
            let body = if body.is_empty() { String::new() } else { format!(" {body}") };
            format!(
                "förhandskontroll: OAuth2-tokenändpunkten godtog inte konforms klientuppgifter: POST {url} svarade \
                 {status}{body}. Kontrollera client_id, hemligheten i variabeln som client_secret_env anger, scope \
                 och client_auth i [auth] i konfigurationsfilen (--config). En tokenbegäran gjordes; inget nådde \
                 API:et."
            )
        }
        Misconfigured::CredentialsRefused { probes: list, operation, credential: c } => format!(
            "förhandskontroll: API:et godtog inte inloggningsuppgifterna som konform skickade: {}. \
             OpenAPI-dokumentet säger att {operation} kräver inloggning, och konform skickade {}. Kontrollera dem: \
             gäller de den här miljön, är de fortfarande giltiga och får de göra det sviten gör?",
            probes(list),
            credential(c)
        ),
        Misconfigured::CredentialsMissing { probe: p, operation } => format!(
            "förhandskontroll: API:et kräver inloggning och konform fick inga inloggningsuppgifter: {}. \
             OpenAPI-dokumentet säger att {operation} kräver inloggning: ange dem med --bearer-token, \
             --api-key-header och --api-key, --basic-user och --basic-password, eller [auth] i \
             konfigurationsfilen (--config).",
            probe(p)
        ),
        Misconfigured::NotFound { probes: list, server_path, suggestion, answered } => {
            format!(
                "förhandskontroll: bas-URL:en leder inte till API:et: varje dokumenterad sökväg som konform provade \
                 svarade 404 ({}). Server-URL:en i OpenAPI-dokumentet har sökvägen {server_path}: menade du \
                 --base-url {suggestion}? Där svarade samma {} {answered}.",
                probes(list),
                list[0].method
            )
        }
    }
}

/// Vad en avvikelse från `konform lint` säger.
pub(super) fn lint_finding(m: &super::LintMsg) -> String {
    use super::LintMsg as L;
    match m {
        L::InfoLacks { field } => {
            let what = match *field {
                "title" => "titel",
                "version" => "version",
                "description" => "beskrivning",
                "contact" => "kontaktuppgifter",
                _ => "licens",
            };
            format!("info saknar {what} (info.{field})")
        }
        L::NotBilingual => "beskrivningen verkar inte finnas på både svenska och engelska".into(),
        L::DescriptionTooShort => "beskrivningen är för kort för att beskriva API:et".into(),
        L::RequestNoExample { op, media_type } => format!("{op}: frågekroppen {media_type} saknar exempel"),
        L::ResponseNoExample { op, media_type, status } => {
            format!("{op}: svaret {media_type} ({status}) saknar exempel")
        }
        L::OldOpenApi { version } => format!("OpenAPI {version} är inte den senaste versionen (3.1)"),
        L::Undescribed { op } => format!("{op} har varken summary eller description"),
        L::NoSuccessResponse { op } => format!("{op} dokumenterar inget lyckat svar"),
        L::NoErrorResponse { op } => format!("{op} dokumenterar inget felsvar"),
        L::DateWithoutFormat { name } => {
            format!("`{name}` ser ut som ett datum eller en tid men har inget RFC 3339-format (date eller date-time)")
        }
        L::ExampleNotDateTime { example, name } => {
            format!("exemplet `{example}` för `{name}` är ingen tidpunkt enligt RFC 3339")
        }
        L::ExampleNotUtc { example, name } => format!("exemplet `{example}` för `{name}` är inte i UTC"),
        L::ExampleNotDate { example, name } => {
            format!("exemplet `{example}` för `{name}` är inget datum enligt RFC 3339")
        }
        L::PathExposesPin { path, name } => format!("sökvägen {path} exponerar ett personnummer (`{{{name}}}`)"),
        L::ParamExposesPin { op, location, name } => {
            format!("{op}: parametern `{name}` ({location}) exponerar ett personnummer i URL:en")
        }
        L::ServerPathIncomplete { url } => format!("{url} anger inte både API:et och dess version i sökvägen"),
        L::NotHttps443 { url } => format!("{url} är inte HTTPS på port 443"),
        L::NotHttps { url } => format!("{url} är inte HTTPS"),
        L::UrlTooLong { op } => format!("{op} ger en URL längre än 2048 tecken"),
        L::PathCharacter { path, segment, character } => {
            format!("sökvägen {path}: `{segment}` innehåller `{character}`, utanför a-z, 0-9, '-', '.', '~'")
        }
        L::PathNotHyphenated { path, segment } => {
            format!("sökvägen {path}: skilj orden i `{segment}` med bindestreck")
        }
        L::ServerSpaceOrUnderscore { url } => format!("serverns URL {url} innehåller blanksteg eller understreck"),
        L::PathSpaceOrUnderscore { path } => format!("sökvägen {path} innehåller blanksteg eller understreck"),
        L::NotJson { op, media_type } => format!("{op}: {media_type} är inte JSON"),
        L::BodyNotJson { op, media_types } => format!("{op} tar emot sin kropp bara som {media_types}, inte som JSON"),
        L::FieldCase { name } => format!("fältet `{name}` är varken camelCase eller snake_case"),
        L::BreaksConvention { query, name, majority, camel, snake } => format!(
            "{} `{name}` bryter mot API:ets konvention {majority} ({camel} camelCase, {snake} snake_case)",
            if *query { "sökparametern" } else { "fältet" }
        ),
        L::FieldNotAlphanumeric { name } => format!("fältet `{name}` är inte alfanumeriskt"),
        L::RequestNotUtf8 { op, media_type } => format!("{op}: frågekroppen är inte UTF-8 ({media_type})"),
        L::HeaderPayload { op, name, json_type } => {
            format!("{op}: headern `{name}` bär nyttolast av typen {json_type}")
        }
        L::ProblemLacks { members } => format!("problemschemat saknar {}", members.join(", ")),
        L::ProblemMemberObject { member, wanted } => {
            format!("problemfältet `{member}` är ett objekt, inte {wanted} (RFC 9457)")
        }
        L::ProblemMemberType { member, json_type, wanted } => {
            format!("problemfältet `{member}` är {json_type}, inte {wanted} (RFC 9457)")
        }
        L::ErrorNotProblem { op, status, media_type } => {
            format!("{op}: felsvaret {status} är {media_type}, inte application/problem+json")
        }
        L::ServerNoVersion { url } => format!("serverns URL {url} saknar ett segment v{{N}} med major-version"),
        L::NoApiInfo => "resursen /api-info finns inte".into(),
        L::QueryNotLetter { op, name } => format!("{op}: sökparametern `{name}` börjar inte med en bokstav"),
        L::QueryRequired { op, name } => format!("{op}: sökparametern `{name}` är obligatorisk"),
        L::QueryNotUrlSafe { op, name } => format!("{op}: sökparametern `{name}` är inte URL-säker"),
        L::LimitWithoutPage { op } => format!("{op} pagineras med `limit` utan `page` eller `offset`"),
        L::PageWithoutLimit { op } => format!("{op} pagineras med `page` eller `offset` utan `limit`"),
        L::PageNotFromOne { op } => format!("{op}: `page` börjar inte på 1 (ange minimum: 1)"),
        L::LimitDefaultNot20 { op } => format!("{op}: standardvärdet för `limit` är inte 20"),
        L::BasicOrDigest { scheme } => format!("HTTP-autentiseringen {scheme} används"),
        L::NotBearer { scheme } => format!("HTTP-autentiseringen `{scheme}` är inte Bearer"),
        L::ApiKeyInQuery => "en API-nyckel skickas i frågesträngen".into(),
        L::ApiKeyNotInHeader { location } => format!("API-nyckeln skickas i {location}, inte i en header"),
        L::NoSecurityDeclared { op } => format!("{op} anger inga säkerhetskrav, och dokumentet anger inga för alla"),
        L::VerbInPath { path, segment } => {
            format!("{path}: `{segment}` namnger en handling; namnge resursen och låt metoden säga vad som görs")
        }
        L::RequestIdWithoutTraceparent { op } => format!("{op} använder X-Request-ID men inte traceparent"),
        L::NoTraceparent { op } => format!("{op} tar inte emot headern `traceparent` (W3C Trace Context)"),
        L::ResponseWithoutTraceparent { op, status } => {
            format!("{op}: svaret {status} anger inte headern `traceparent`")
        }
        L::PathWithoutMethod { path } => {
            format!("`{path}` har ingen operation med GET, POST, PUT, PATCH eller DELETE")
        }
        L::OnlyPost { count } => format!(
            "alla {count} operationer använder POST: HTTP-metoderna bär ingen betydelse (Richardsons nivå 1, inte 2)"
        ),
        L::NoHypermedia => "inget svar erbjuder länkar till relaterade resurser (OpenAPI-länkar, eller en egenskap \
                            `links` eller `_links`)"
            .into(),
        L::No415 { op } => {
            format!("{op} tar emot en kropp men dokumenterar inget 415-svar för en kropp av annan mediatyp")
        }
        L::NoOAuth => "inget säkerhetsschema för OAuth 2.0 (eller OpenID Connect) är deklarerat".into(),
        L::GetWithBody { path } => format!("GET {path} tar emot en frågekropp"),
    }
}

/// `konform lint`s rubriker och summeringar.
pub(super) fn lint(t: &super::LintText) -> String {
    use super::LintText;
    match t {
        LintText::Summary { file, must, should, rules } => format!(
            "{file}: {} ({must} SKALL, {should} BÖR) i {}",
            if must + should == 1 { "1 avvikelse".to_string() } else { format!("{} avvikelser", must + should) },
            if *rules == 1 { "1 regel".to_string() } else { format!("{rules} regler") }
        ),
        LintText::Clean { file } => format!("{file}: inga avvikelser; varje kontrollerad regel följs"),
        LintText::Ignored { rules } => format!("inte kontrollerade (undantagna): {}", rules.join(", ")),
        LintText::Violations { count } => {
            if *count == 1 {
                "1 avvikelse".into()
            } else {
                format!("{count} avvikelser")
            }
        }
        LintText::MoreDetail => {
            "varje avvikelse med sina rader: --verbose; reglerna: konform lint --list-rules, docs/api-profile.md".into()
        }
        LintText::NoPosition => "platsen hittades inte".into(),
    }
}

/// Registrets kommandon och webbplats.
pub(super) fn register(r: &super::Reg) -> String {
    use super::register::{Refusal, VERIFY};
    use super::Reg;
    match r {
        Reg::StatusCertified => "certifierad".into(),
        Reg::StatusNotCertified => "ej certifierad".into(),
        Reg::StatusExpired => "utgången".into(),
        Reg::StatusRetired => "avvecklad".into(),
        Reg::StatusRevoked => "återkallad".into(),
        Reg::DefaultTitle => "Register över provningsresultat".into(),
        Reg::AsOf { date } => format!("Giltighet per {}", day(date)),
        Reg::Intro => "Varje rad är det senaste signerade resultatet för en produkt och en version av en \
                       specifikation. Ett resultat tas in bara om dess signatur håller för en betrodd nyckel och \
                       det gjordes med den oförändrade katalogen."
            .into(),
        Reg::Empty => "Registret har inga resultat ännu.".into(),
        Reg::Products => "Produkter".into(),
        Reg::Specification => "Specifikation".into(),
        Reg::Status => "Status".into(),
        Reg::LatestRun => "Senaste körning".into(),
        Reg::ValidUntil => "Giltig till".into(),
        Reg::Issuer => "Utfärdare".into(),
        Reg::SigningKey => "Signeringsnyckel".into(),
        Reg::TrustedKeys => "Betrodda signeringsnycklar".into(),
        Reg::TrustedKeysIntro => "Resultat signerade med dessa nycklar tas in; jämför ett fingeravtryck med det som \
                                  nyckelns innehavare publicerar."
            .into(),
        Reg::KeyName => "Namn".into(),
        Reg::ProductHeading { product, vendor } => {
            let product = if product.is_empty() { "Produkt ej angiven" } else { product };
            if vendor.is_empty() {
                product.to_string()
            } else {
                format!("{product} från {vendor}")
            }
        }
        Reg::NotStated => "ej angiven".into(),
        Reg::Standing => "Ställning".into(),
        Reg::History => "Historik".into(),
        Reg::HistoryIntro => "Alla resultat för produkten, det senaste först, med de krav vars resultat ändrats \
                              sedan förra körningen av samma version."
            .into(),
        Reg::Date => "Datum".into(),
        Reg::Verdict => "Resultat".into(),
        Reg::ProductVersion => "Produktversion".into(),
        Reg::Report => "Rapport".into(),
        Reg::Changes => "Ändrat sedan förra körningen".into(),
        Reg::FirstRun => "första körningen av versionen".into(),
        Reg::NoChange => "ingen ändring".into(),
        Reg::Absent => "saknas".into(),
        Reg::Badge => "Märke".into(),
        Reg::BadgeFiles => "Märkets filer".into(),
        Reg::RevokedBecause { date, reason } => format!("återkallad {}: {reason}", day(date)),
        Reg::BackToIndex => "Alla produkter".into(),
        Reg::OtherLanguage => "In English".into(),
        Reg::Footer { version } => format!(
            "Gjord med konform {version}. För maskiner: registry.json; varje rapport kan kontrolleras med {VERIFY}."
        ),
        Reg::Day { date } => day(date),
        Reg::Initialised { dir } => format!(
            "skapade ett register i {dir}: lägg till de publika nycklar du litar på med `konform register trust NYCKEL.pub --name NAMN --register {dir}`"
        ),
        Reg::Trusted { name, sha256 } => format!("litar nu på nyckeln {name} (SHA-256 {sha256})"),
        Reg::Added { file, id, vendor, product, key } => {
            format!("{file}: införd som {id} ({product} från {vendor}, signerad med nyckeln {key})")
        }
        Reg::AlreadyThere { file, id } => format!("{file}: finns redan i registret som {id}"),
        Reg::Refused { file, why } => {
            let why = match why {
                Refusal::Unsigned => "den är osignerad; registret tar bara in signerade rapporter".to_string(),
                Refusal::Altered(b) => format!("dess signatur håller inte: {}", note(&Note::Broken(*b))),
                Refusal::UntrustedKey { sha256 } => format!(
                    "den är signerad med en nyckel som registret inte litar på (SHA-256 {sha256}); lägg först till \
                     den med `konform register trust`"
                ),
                Refusal::CatalogueDiffers { specs, catalogue } => format!(
                    "den gjordes inte med katalogen i {catalogue}: {} skiljer sig (`{VERIFY}` visar vilka filer)",
                    specs.join(", ")
                ),
                Refusal::NoId => "den saknar rapport-id (en rapport i format 1.x); kör den igen".into(),
                Refusal::IdTaken { id } => format!("en annan rapport med id {id} finns redan i registret"),
            };
            format!("{file}: avvisad: {why}")
        }
        Reg::Revoked { id, date } => format!("återkallade {id} den {}", day(date)),
        Reg::Built { dir, products, reports } => {
            format!("skrev registrets webbplats till {dir}: {products} produkter, {reports} rapporter")
        }
    }
}

// `konform diff`: vad som ändrats mellan två versioner, och vad leverantören gör åt det.

/// Det en schemaändring gäller, före kolonet: egenskapens sökväg (inget för värdet som
/// helhet, som platsen redan namnger).
fn changed_what(w: &super::change::ChangeWords) -> String {
    w.subject.as_ref().map(|s| format!("{s}: ")).unwrap_or_default()
}

fn or_none(v: &Option<String>) -> String {
    v.clone().unwrap_or_else(|| "inget".into())
}

pub(super) fn change(w: &super::change::ChangeWords) -> String {
    use super::change::ChangeKind as K;
    let what = changed_what(w);
    let s = w.subject.clone().unwrap_or_default();
    let (old, new) = (or_none(&w.old), or_none(&w.new));
    let keyword = w.keyword.clone().unwrap_or_default();
    match w.kind {
        K::OperationAdded => "ny operation: implementera den".into(),
        K::OperationRemoved => {
            "operationen är borttagen: den behöver inte längre erbjudas (klienter som anropar den får fel)".into()
        }
        K::OperationMoved => format!("operationen har flyttats från {old} till {new}: tillhandahåll den på sin nya plats (klienter som anropar den gamla får fel)"),
        K::OperationDeprecated => "operationen är föråldrad: fortsätt erbjuda den tills en version tar bort den".into(),
        K::OperationIdChanged => format!("operationId har bytt namn från {old} till {new}: inget ändras i anropen"),
        K::SecurityAdded => format!("autentisering krävs nu ({new}): kräv den"),
        K::SecurityRemoved => "autentisering krävs inte längre: ta emot anrop utan inloggningsuppgifter".into(),
        K::SecurityAlternativeAdded => format!("ett nytt sätt att autentisera ({new}): godta det"),
        K::SecurityAlternativeRemoved => format!("ett sätt att autentisera är borttaget ({old}): det får avvisas"),
        K::SecurityScopeAdded => format!("{s} kräver nu behörigheterna {new}: tokens utan dem får avvisas"),
        K::SecurityScopeRemoved => format!("{s} kräver inte längre behörigheterna {old}: godta tokens utan dem"),
        K::RequestParameterAdded => "ny, valfri: läs den och följ den när den skickas".into(),
        K::RequestParameterRequiredAdded => "ny, obligatorisk: läs den (anrop utan den får avvisas)".into(),
        K::RequestParameterRemoved => "borttagen: den får ignoreras".into(),
        K::RequestParameterBecameRequired => "nu obligatorisk: anrop utan den får avvisas".into(),
        K::RequestParameterBecameOptional => "nu valfri: ta emot anrop utan den".into(),
        K::RequestParameterStyleChanged => {
            format!("serialiseringen har ändrats från {old} till {new}: tolka den nya formen")
        }
        K::RequestBodyAdded => "ny, valfri: ta emot den".into(),
        K::RequestBodyRequiredAdded => "ny, obligatorisk: läs den".into(),
        K::RequestBodyRemoved => "borttagen: den får ignoreras".into(),
        K::RequestBodyBecameRequired => "nu obligatorisk: anrop utan kropp får avvisas".into(),
        K::RequestBodyBecameOptional => "nu valfri: ta emot anrop utan kropp".into(),
        K::RequestMediaTypeAdded => "ny medietyp: ta emot den".into(),
        K::RequestMediaTypeRemoved => "medietypen är borttagen: den får avvisas".into(),
        K::RequestPropertyAdded => format!("ny valfri egenskap {s}: ta emot den"),
        K::RequestPropertyRequiredAdded => {
            format!("ny obligatorisk egenskap {s}: läs den (anrop utan den får avvisas)")
        }
        K::RequestPropertyRemoved => format!("egenskapen {s} är borttagen: den får ignoreras"),
        K::RequestPropertyBecameRequired => format!("egenskapen {s} är nu obligatorisk: anrop utan den får avvisas"),
        K::RequestPropertyBecameOptional => format!("egenskapen {s} är nu valfri: ta emot anrop utan den"),
        K::RequestPropertyDeprecated => format!("{what}föråldrad: fortsätt ta emot den"),
        K::RequestTypeWidened => format!("{what}typen vidgad från {old} till {new}: ta emot de nya typerna"),
        K::RequestTypeNarrowed => format!("{what}typen inskränkt från {old} till {new}: andra typer får avvisas"),
        K::RequestTypeChanged => format!("{what}typen ändrad från {old} till {new}: ta emot den nya typen"),
        K::RequestNullAdded => format!("{what}får nu vara null: ta emot null"),
        K::RequestNullRemoved => format!("{what}får inte längre vara null: null får avvisas"),
        K::RequestEnumValueAdded => format!("{what}nya tillåtna värden {new}: ta emot dem"),
        K::RequestEnumValueRemoved => format!("{what}värden som inte längre är tillåtna {old}: de får avvisas"),
        K::RequestConstraintTightened => {
            format!("{what}{keyword} skärpt från {old} till {new}: det som inte längre passar får avvisas")
        }
        K::RequestConstraintLoosened => {
            format!("{what}{keyword} lättad från {old} till {new}: ta emot det som nu passar")
        }
        K::RequestConstraintChanged => {
            format!("{what}{keyword} ändrad från {old} till {new}: ta emot det som nu passar")
        }
        K::RequestAlternativeAdded => format!("{what}ett nytt alternativ i {keyword}: ta emot det"),
        K::RequestAlternativeRemoved => format!("{what}ett alternativ i {keyword} borttaget: det får avvisas"),
        K::RequestDefaultChanged => {
            format!("{what}standardvärdet ändrat från {old} till {new}: använd det när inget värde skickas")
        }
        K::ResponseStatusAdded => "nu dokumenterad: den får användas i svar".into(),
        K::ResponseStatusRemoved => "inte längre dokumenterad: sluta svara med den".into(),
        K::ResponseBodyAdded => "en svarskropp är nu dokumenterad: skicka den".into(),
        K::ResponseBodyRemoved => "svarskroppen är inte längre dokumenterad: sluta skicka den".into(),
        K::ResponseMediaTypeAdded => "ny medietyp: den får skickas".into(),
        K::ResponseMediaTypeRemoved => "medietypen är borttagen: sluta skicka den".into(),
        K::ResponseHeaderAdded => "nytt, valfritt: skicka det när det gäller".into(),
        K::ResponseHeaderRequiredAdded => "nytt, obligatoriskt: skicka det".into(),
        K::ResponseHeaderRemoved => "borttaget: det behöver inte längre skickas".into(),
        K::ResponseHeaderBecameRequired => "nu obligatoriskt: skicka det alltid".into(),
        K::ResponseHeaderBecameOptional => "nu valfritt: det får utelämnas".into(),
        K::ResponsePropertyAdded => format!("ny valfri egenskap {s}: skicka den när uppgiften finns"),
        K::ResponsePropertyRequiredAdded => format!("ny obligatorisk egenskap {s}: skicka den i varje svar"),
        K::ResponsePropertyRemoved => format!("egenskapen {s} är borttagen: sluta skicka den"),
        K::ResponsePropertyBecameRequired => format!("egenskapen {s} är nu obligatorisk: skicka den alltid"),
        K::ResponsePropertyBecameOptional => format!("egenskapen {s} är nu valfri: den får utelämnas"),
        K::ResponsePropertyDeprecated => {
            format!("{what}föråldrad: fortsätt skicka den tills en version tar bort den")
        }
        K::ResponseTypeWidened => format!("{what}typen vidgad från {old} till {new}: de nya typerna får skickas"),
        K::ResponseTypeNarrowed => format!("{what}typen inskränkt från {old} till {new}: skicka bara {new}"),
        K::ResponseTypeChanged => format!("{what}typen ändrad från {old} till {new}: skicka den nya typen"),
        K::ResponseNullAdded => format!("{what}får nu vara null: null får skickas"),
        K::ResponseNullRemoved => format!("{what}får inte längre vara null: skicka aldrig null"),
        K::ResponseEnumValueAdded => format!("{what}nya tillåtna värden {new}: de får skickas"),
        K::ResponseEnumValueRemoved => format!("{what}värden som inte längre är tillåtna {old}: sluta skicka dem"),
        K::ResponseConstraintTightened => {
            format!("{what}{keyword} skärpt från {old} till {new}: skicka bara det som passar")
        }
        K::ResponseConstraintLoosened => {
            format!("{what}{keyword} lättad från {old} till {new}: det som nu passar får skickas")
        }
        K::ResponseConstraintChanged => {
            format!("{what}{keyword} ändrad från {old} till {new}: skicka bara det som passar")
        }
        K::ResponseAlternativeAdded => format!("{what}ett nytt alternativ i {keyword}: det får skickas"),
        K::ResponseAlternativeRemoved => format!("{what}ett alternativ i {keyword} borttaget: sluta skicka det"),
        K::RequirementAdded => format!("nytt {new}-krav: {s}"),
        K::RequirementRemoved => format!("{old}-kravet är borttaget: {s}"),
        K::RequirementLevelRaised => format!("nivån har höjts från {old} till {new}: {s}"),
        K::RequirementLevelLowered => format!("nivån har sänkts från {old} till {new}: {s}"),
        K::RequirementTextChanged => format!("formuleringen har ändrats, läs den igen: {s}"),
        K::ScenarioAdded => format!("nytt scenario, se till att produkten klarar det: {s}"),
        K::ScenarioRemoved => format!("scenariot är borttaget: {s}"),
        K::ScenarioChanged => format!("scenariot har ändrats, se till att produkten fortfarande klarar det: {s}"),
    }
}

pub(super) fn place(p: &super::change::ChangePlace) -> String {
    use super::change::ChangePlace as P;
    match p {
        P::Operation => "operationen".into(),
        P::Security => "säkerhet".into(),
        P::Parameter { location, name } => {
            let kind = match location.as_str() {
                "path" => "sökvägsparametern",
                "query" => "frågeparametern",
                "header" => "huvudparametern",
                _ => "kakparametern",
            };
            format!("{kind} {name}")
        }
        P::RequestBody { media_type: None } => "anropskropp".into(),
        P::RequestBody { media_type: Some(m) } => format!("anropskropp {m}"),
        P::Response { status, media_type: None } => format!("svar {status}"),
        P::Response { status, media_type: Some(m) } => format!("svar {status} {m}"),
        P::ResponseHeader { status, name } => format!("svar {status} huvud {name}"),
        P::Requirement { id } => format!("krav {id}"),
        P::Scenario { id } => format!("scenario {id}"),
    }
}

pub(super) fn diff_text(t: super::change::DiffText) -> &'static str {
    use super::change::DiffText as D;
    match t {
        D::MustChange => "Måste ändras",
        D::ShouldChange => "Bör ändras",
        D::NoAction => "Ingen åtgärd",
        D::BreakingForClients => "brytande för klienter",
        D::Breaking => "Brytande för klienter",
        D::Requirements => "Krav",
        D::Scenarios => "Scenarier",
        D::NoChanges => "Inga ändringar.",
        D::Findings => "Iakttagelser",
        D::Changes => "Ändringar",
        D::Class => "Klass",
        D::Count => "Antal",
        D::Total => "Totalt",
    }
}

pub(super) fn diff_note(n: &super::change::DiffNote) -> String {
    use super::change::DiffNote as N;
    match n {
        N::Comparing { old, new } => format!("Ändringar från {old} till {new}, för leverantören"),
        N::ChangesSince { version, command } => format!("Ändringar sedan {version} (`{command}` listar dem):"),
        N::Counted { total: 0, .. } => "inga ändringar".into(),
        N::Counted { total, must, should, none, breaking } => format!(
            "{total} {}: {must} måste ändras, {should} bör ändras, {none} ingen åtgärd; {breaking} brytande för klienter",
            if *total == 1 { "ändring" } else { "ändringar" }
        ),
        N::BreakingWithinMajor { old_version, new_version, breaking } => format!(
            "{old_version} till {new_version} behåller huvudversionen, men {breaking} {} för klienter: en brytande ändring kräver en ny huvudversion",
            if *breaking == 1 { "ändring är brytande" } else { "ändringar är brytande" }
        ),
        N::ChangedWithoutNewVersion { version, changes } => format!(
            "båda anger version {version}, men de skiljer sig på {changes} {}: ett ändrat dokument behöver en ny version",
            if *changes == 1 { "punkt" } else { "punkter" }
        ),
        N::VersionGoesBack { old_version, new_version } => {
            format!("{new_version} är äldre än {old_version}: ändringarna läses från den nyare versionen till den äldre")
        }
    }
}

fn gen_input(i: &super::GenInput) -> String {
    use super::InvalidKind as K;
    let how = match i.kind {
        K::MissingRequired => "utan det obligatoriska",
        K::WrongType => "med ett värde av fel typ för",
        K::OutOfRange => "med ett värde utanför gränserna för",
        K::BadFormat => "med ett värde i fel format för",
        K::NoPatternMatch => "med ett värde som inte följer mönstret för",
        K::UnknownEnumValue => "med ett värde utanför uppräkningen för",
        K::ExtraProperty => "med en egenskap som inte är tillåten i",
        K::TooShort => "med ett för kort värde för",
        K::TooLong => "med ett för långt värde för",
    };
    format!("en begäran {how} {}", i.at)
}

fn gen_credentials(c: &super::GenCredentials) -> &'static str {
    match c {
        super::GenCredentials::None => "utan inloggningsuppgifter",
        super::GenCredentials::Invalid => "med ogiltiga inloggningsuppgifter",
    }
}

pub(super) fn model_text(t: &super::ModelText) -> String {
    use super::ModelText as M;
    let list = |items: &[String]| items.join(", ");
    match t {
        M::Heading { name } => format!("{name} (informationsmodell)"),
        M::UsedBy { specs } => format!("Används av: {}", list(specs)),
        M::UsedByNone => "Används inte av någon specifikationsversion".into(),
        M::Affects { old, new, count: 1 } => {
            format!("1 specifikationsversion använder {old}; vad en övergång till {new} innebär för den:")
        }
        M::Affects { old, new, count } => {
            format!(
                "{count} specifikationsversioner använder {old}; vad en övergång till {new} innebär för var och en:"
            )
        }
        M::AffectsNone { old } => {
            format!("Ingen specifikationsversion använder {old}: en övergång påverkar ingen.")
        }
        M::Adopting { spec, new } => format!("{spec}, med {new}"),
        M::Already { new, specs } => format!("Använder redan {new}: {}", list(specs)),
        M::ConceptChanges { count: 1 } => "1 ändring i modellen".into(),
        M::ConceptChanges { count } => format!("{count} ändringar i modellen"),
        M::ConceptAdded { concept } => format!("begreppet {concept} har lagts till"),
        M::ConceptRemoved { concept } => format!("begreppet {concept} har tagits bort"),
        M::PropertyAdded { concept, property, required: true } => {
            format!("{concept}.{property} har lagts till, obligatorisk")
        }
        M::PropertyAdded { concept, property, required: false } => {
            format!("{concept}.{property} har lagts till, valfri")
        }
        M::PropertyRemoved { concept, property } => format!("{concept}.{property} har tagits bort"),
        M::PropertyTypeChanged { concept, property, old, new } => {
            format!("{concept}.{property} har bytt typ: {old} → {new}")
        }
        M::PropertyBecameRequired { concept, property } => format!("{concept}.{property} har blivit obligatorisk"),
        M::PropertyBecameOptional { concept, property } => format!("{concept}.{property} har blivit valfri"),
        M::DefinitionChanged { concept, property: None } => format!("definitionen av {concept} har ändrats"),
        M::DefinitionChanged { concept, property: Some(p) } => format!("definitionen av {concept}.{p} har ändrats"),
        M::Concept { name, key } if key.is_empty() => name.clone(),
        M::Concept { name, key } => format!("{name} (identifieras av {})", list(key)),
        M::Required => "obligatorisk".into(),
        M::Kind => "Informationsmodell".into(),
        M::PropertyColumn => "Egenskap".into(),
        M::UsedByColumn => "Används av".into(),
        M::Models => "Informationsmodeller".into(),
        M::ConceptsColumn => "Begrepp".into(),
        M::Listed { model, title, concepts, users } => {
            format!(
                "informationsmodell {model} — {title}: {}; används av {users} specifikationsversion(er)",
                list(concepts)
            )
        }
    }
}

pub(super) fn process_text(t: &super::ProcessText) -> String {
    use super::ProcessText as P;
    let states = |s: &[String]| s.join(", ");
    match t {
        P::Kind => "Process".into(),
        P::Heading { name } => format!("{name} (process)"),
        P::ImplementedBy { specs } => format!("Implementeras av: {}", specs.join(", ")),
        P::ImplementedByNone => "Ingen specifikationsversion implementerar den".into(),
        P::StatesHeading => "Tillstånd".into(),
        P::TransitionsHeading => "Övergångar".into(),
        P::Mapping { spec } => format!("Hur {spec} implementerar den"),
        P::StateColumn => "Tillstånd".into(),
        P::TransitionColumn => "Övergång".into(),
        P::FromColumn => "Från".into(),
        P::ToColumn => "Till".into(),
        P::ActorColumn => "Aktör".into(),
        P::OperationColumn => "Operation".into(),
        P::StatusValueColumn => "Statusvärde".into(),
        P::Initial => "start".into(),
        P::Final => "slut".into(),
        P::Stays => "(oförändrat)".into(),
        P::Creates => "(nytt ärende)".into(),
        P::Outside { why } => format!("utanför API:t: {why}"),
        P::ReachTitle { transition } => format!("Övergången {transition} går att göra genom API:t"),
        P::ReachText { process, transition, operation, from, to } => {
            let from = if from.is_empty() { "ett nytt ärende".to_string() } else { states(from) };
            let to = match to {
                Some(to) => format!("flyttar ärendet till {to}"),
                None => "lämnar ärendet i det tillstånd det var i".to_string(),
            };
            format!(
                "I processen {process} är {transition} tillåten från {from}. Genom API:t SKALL {operation} göra den från vart och ett av de tillstånden som API:t kan nå, svara med en dokumenterad framgångsstatus, och övergången {to}."
            )
        }
        P::RefuseTitle { transition } => format!("Övergången {transition} avvisas där processen förbjuder den"),
        P::RefuseText { process, transition, operation, status } => format!(
            "I varje tillstånd som processen {process} inte tillåter {transition} från SKALL {operation} avvisas med status {status}, och ärendet SKALL stanna i sitt tillstånd."
        ),
        P::ReachScenario { transition, from: None } => format!("Processkontroll: {transition}"),
        P::ReachScenario { transition, from: Some(from) } => format!("Processkontroll: {transition} från {from}"),
        P::RefuseScenario { operation, state } => format!("Processkontroll: {operation} avvisas i {state}"),
        P::Listed { process, title, states, users } => {
            format!("process {process} — {title}: {states} tillstånd; implementeras av {users} specifikationsversion(er)")
        }
        P::Processes => "Processer".into(),
        P::ImplementedByColumn => "Implementeras av".into(),
    }
}
