//! `konform report`, `konform keygen` and `konform verify`.

use super::Console;
use crate::messages::{Note, Text};
use crate::model::printable as shown;
use std::path::Path;

use crate::catalogue::openapi::LoadOptions;
use crate::catalogue::Catalogue;
use crate::error::{Failure, Outcome, EXIT_FAILED, EXIT_OK};
use crate::model::Lang;
use crate::report::render::{self, Format};
use crate::report::sign::{self, SignatureCheck};
use crate::report::terminal::no_suite;
use crate::report::{stable, write};

/// How `konform report` renders a saved report.
pub struct RenderOptions {
    pub format: Format,
    pub lang: Lang,
    pub normalize: bool,
    /// The field separator of `reconciliation-csv`.
    pub delimiter: crate::export::Delimiter,
}

pub fn report_command(
    io: &mut Console<'_>,
    path: &Path,
    options: &RenderOptions,
    output: Option<&Path>,
    public_key: Option<&Path>,
) -> Outcome {
    let (format, lang) = (options.format, options.lang);
    if format.is_binary() && output.is_none_or(|o| o.as_os_str() == "-") {
        return Err(Failure::InvalidInput(format!(
            "`--format {}` writes a workbook, not text: name the file with -o PATH",
            format.name()
        )));
    }
    let (value, mut report) = crate::report::read::read(path)?;
    let key = public_key.map(sign::read_public_key).transpose()?;
    // Checked on the report as read, before anything (normalising) changes it.
    let seal = sign::seal(&value, &report, key.as_ref());
    if options.normalize {
        report = stable::normalize(&report).map_err(|e| Failure::InvalidInput(format!("{}: {e}", path.display())))?;
    }
    let render =
        |w: &mut dyn std::io::Write| render::render(format, &report, lang, &no_suite, &seal, options.delimiter, w);
    match output {
        Some(out) => write::report_to(out, render)?,
        None => render(&mut io.out).map_err(|e| Failure::writing("the report", &e))?,
    }
    Ok(EXIT_OK)
}

pub fn keygen_command(io: &mut Console<'_>, private: &Path, public: &Path) -> Outcome {
    sign::keygen(private, public)?;
    outln!(
        io,
        "wrote the private key to {} (keep it secret) and the public key to {}",
        private.display(),
        public.display()
    );
    Ok(EXIT_OK)
}

/// `konform attest sign`: the attestation with its signature, to a file or standard output.
pub fn attest_sign_command(io: &mut Console<'_>, file: &Path, key: &Path, output: Option<&Path>) -> Outcome {
    let key = sign::read_signing_key(key)?;
    let signed = crate::declared::attest::sign_file(file, &key).map_err(|e| Failure::InvalidInput(e.to_string()))?;
    match output {
        Some(out) => {
            write::report_to(out, |w| w.write_all(signed.as_bytes()))?;
            errln!(io, "wrote the signed attestation to {}", out.display());
        }
        None => out!(io, "{signed}"),
    }
    Ok(EXIT_OK)
}

/// What `verify` is asked to check against.
pub struct VerifyOptions<'a> {
    pub public_key: Option<&'a Path>,
    pub catalogue: &'a super::source::CatalogueSource,
    pub require_signature: bool,
    /// Judge validity on this day (its start, UTC) instead of now.
    pub at: Option<crate::model::Date>,
}

/// Everything `verify` found, for a person (text) or a machine (`--format json`).
#[derive(serde::Serialize)]
struct Verified {
    report: String,
    /// What the report says about itself (its claims, not yet checked).
    claims: Claims,
    signature: SignatureFinding,
    validity: Validity,
    catalogue: CatalogueFinding,
    /// What people declared: waivers, attestations, requirements not offered.
    declared: DeclaredFinding,
    /// Every check holds.
    ok: bool,
}

#[derive(serde::Serialize, Default)]
struct DeclaredFinding {
    /// The moment `--now` set for judging waivers, when it was not the run's own time.
    as_of: Option<String>,
    /// Waivers in force: each waived requirement with its waiver.
    waivers: Vec<Declared<crate::model::AppliedWaiver>>,
    /// Waivers that did not apply, and why.
    unused_waivers: Vec<Declared<crate::model::UnusedWaiver>>,
    attestations: Vec<AttestationFinding>,
    not_applicable: Vec<Declared<crate::model::NotOffered>>,
}

#[derive(serde::Serialize)]
struct Declared<T> {
    specification: String,
    version: String,
    requirement: String,
    #[serde(flatten)]
    declared: T,
}

impl<T> Declared<T> {
    fn on(spec: &crate::model::SpecResult, requirement: &str, declared: T) -> Declared<T> {
        Declared {
            specification: spec.id.clone(),
            version: spec.version.clone(),
            requirement: requirement.into(),
            declared,
        }
    }
}

#[derive(serde::Serialize)]
struct AttestationFinding {
    specification: String,
    version: String,
    id: String,
    requirements: Vec<String>,
    by: String,
    date: String,
    key_sha256: String,
    /// Its signature holds for the document the report records, by the key it names.
    holds: bool,
}

#[derive(serde::Serialize)]
struct Claims {
    verdict: crate::model::SpecVerdict,
    partial: bool,
    interrupted: bool,
    id: Option<String>,
    issuer: Option<String>,
    vendor: Option<String>,
    product: Option<String>,
    product_version: Option<String>,
    started: String,
    base_url: String,
    tool: String,
    tool_version: String,
    /// The catalogue as a whole, as the report names it (absent before format 2.2).
    #[serde(skip_serializing_if = "Option::is_none")]
    catalogue: Option<crate::model::CatalogueIdentity>,
    /// The report is a shard's slice of a plan: partial.
    #[serde(skip_serializing_if = "Option::is_none")]
    shard: Option<(usize, usize)>,
    specifications: Vec<ClaimedSpec>,
}

#[derive(serde::Serialize)]
struct ClaimedSpec {
    id: String,
    version: String,
    verdict: crate::model::SpecVerdict,
}

#[derive(serde::Serialize)]
struct SignatureFinding {
    /// `valid`, `invalid` or `unsigned`.
    status: &'static str,
    /// Valid and made with the key given by `--public-key`.
    pinned: bool,
    /// Why it is invalid, in English.
    reason: Option<String>,
    /// SHA-256 of the signing key's SPKI DER.
    key_sha256: Option<String>,
    /// An unsigned report counts as failing (`--public-key` or `--require-signature`).
    required: bool,
}

#[derive(serde::Serialize)]
struct Validity {
    /// `holds`, `expired`, `retired` (a certified version is past its sunset), `unreadable`,
    /// or `absent` (a report of format 1.x).
    status: &'static str,
    until: Option<String>,
    /// The moment judged (RFC 3339): now, or the start of `--at`.
    at: String,
    /// The certified versions past their sunset at that moment: `id version` and the sunset.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    retired: Vec<(String, String)>,
}

#[derive(serde::Serialize)]
pub(super) struct CatalogueFinding {
    dir: String,
    found: bool,
    /// The catalogue compared with, as a whole (absent when there is none).
    #[serde(skip_serializing_if = "Option::is_none")]
    identity: Option<crate::model::CatalogueIdentity>,
    /// The report was made with this very catalogue (same fingerprint); absent when the
    /// report does not say (before format 2.2). Informative: the specifications decide.
    #[serde(skip_serializing_if = "Option::is_none")]
    same_catalogue: Option<bool>,
    pub(super) specifications: Vec<SpecFinding>,
}

#[derive(serde::Serialize)]
pub(super) struct SpecFinding {
    pub(super) id: String,
    pub(super) version: String,
    /// `matches`, `differs` or `not_found`.
    pub(super) status: &'static str,
    files: Vec<FileFinding>,
    /// The report's combined fingerprint is the one of its own file list.
    combined_adds_up: bool,
    /// The specification folder compared with, as shown.
    dir: Option<String>,
    /// How many files the report lists.
    compared: usize,
}

#[derive(serde::Serialize)]
struct FileFinding {
    path: String,
    /// `changed`, `missing` (used by the report, missing locally) or `added` (locally).
    status: &'static str,
}

pub fn verify_command(
    io: &mut Console<'_>,
    path: &Path,
    options: &VerifyOptions<'_>,
    lang: Lang,
    format: crate::cli::OutputFormat,
) -> Outcome {
    let (value, report) = crate::report::read::read(path)?;
    let key = options.public_key.map(sign::read_public_key).transpose()?;
    let verified = check(path, &value, &report, key.as_ref(), options);
    match format {
        crate::cli::OutputFormat::Json => {
            let text = serde_json::to_string_pretty(&verified).map_err(|e| Failure::Incomplete(e.to_string()))?;
            outln!(io, "{text}");
        }
        crate::cli::OutputFormat::Human => show_verified(io, &verified, &report, lang),
    }
    Ok(if verified.ok { EXIT_OK } else { EXIT_FAILED })
}

/// Every check of `verify`, done.
fn check(
    path: &Path,
    value: &serde_json::Value,
    report: &crate::model::RunReport,
    key: Option<&ed25519_dalek::VerifyingKey>,
    options: &VerifyOptions<'_>,
) -> Verified {
    let t = &report.target;
    let claims = Claims {
        verdict: report.verdict,
        partial: report.partial,
        interrupted: report.interrupted,
        id: report.id.clone(),
        issuer: report.issuer.clone(),
        vendor: t.vendor.clone(),
        product: t.product.clone(),
        product_version: t.product_version.clone(),
        started: report.started.clone(),
        base_url: t.base_url.clone(),
        tool: report.tool.clone(),
        tool_version: report.tool_version.clone(),
        catalogue: report.catalogue.clone(),
        shard: report.shard.as_ref().map(|s| (s.index, s.count)),
        specifications: report
            .specifications
            .iter()
            .map(|s| ClaimedSpec { id: s.id.clone(), version: s.version.clone(), verdict: s.verdict })
            .collect(),
    };
    let required = options.require_signature || key.is_some();
    let key_sha256 = report.signature.as_ref().and_then(|s| sign::key_fingerprint(&s.public_key));
    let signature = match sign::verify(value, key) {
        SignatureCheck::Valid { trusted } => {
            SignatureFinding { status: "valid", pinned: trusted, reason: None, key_sha256, required }
        }
        SignatureCheck::Unsigned => {
            SignatureFinding { status: "unsigned", pinned: false, reason: None, key_sha256: None, required }
        }
        SignatureCheck::Invalid(why) => SignatureFinding {
            status: "invalid",
            pinned: false,
            reason: Some(Note::Broken(why).get(Lang::En)),
            key_sha256,
            required,
        },
    };
    let at = options.at.map_or_else(std::time::SystemTime::now, crate::model::Date::start);
    let today = crate::model::Date::of(at);
    let retired: Vec<(String, String)> = report
        .specifications
        .iter()
        .filter_map(|s| {
            let sunset = s.lifecycle.as_ref()?.sunset?;
            (sunset <= today).then(|| (format!("{} {}", s.id, s.version), sunset.to_string()))
        })
        .collect();
    let at_text = humantime::format_rfc3339_seconds(at).to_string();
    let validity = match &report.valid_until {
        None => Validity { status: "absent", until: None, at: at_text, retired },
        Some(until) => {
            let status = match humantime::parse_rfc3339(until) {
                Ok(_) if !retired.is_empty() => "retired",
                Ok(end) if end >= at => "holds",
                Ok(_) => "expired",
                Err(_) => "unreadable",
            };
            Validity { status, until: Some(until.clone()), at: at_text, retired }
        }
    };
    let catalogue = compare_catalogue(report, options.catalogue);
    let declared = declared_in(report);
    let ok = declared.attestations.iter().all(|a| a.holds)
        && match signature.status {
            "valid" => true,
            "unsigned" => !required,
            _ => false,
        }
        && matches!(validity.status, "holds" | "absent")
        && catalogue.specifications.iter().all(|s| s.status == "matches");
    Verified { report: path.display().to_string(), claims, signature, validity, catalogue, declared, ok }
}

/// Every declaration the report records, each attestation's signature checked again.
fn declared_in(report: &crate::model::RunReport) -> DeclaredFinding {
    let mut found = DeclaredFinding { as_of: report.as_of.clone(), ..DeclaredFinding::default() };
    for s in &report.specifications {
        for r in &s.requirements {
            found.waivers.extend(r.waiver.clone().map(|w| Declared::on(s, &r.id, w)));
            found.not_applicable.extend(r.not_applicable.clone().map(|n| Declared::on(s, &r.id, n)));
        }
        found.unused_waivers.extend(s.unused_waivers.iter().map(|u| Declared::on(s, &u.waiver.requirement, u.clone())));
        for a in &s.attestations {
            found.attestations.push(AttestationFinding {
                specification: s.id.clone(),
                version: s.version.clone(),
                id: a.id.clone(),
                requirements: a.requirements.clone(),
                by: a.by.clone(),
                date: a.date.clone(),
                key_sha256: a.key_sha256.clone(),
                holds: crate::declared::attest::holds(a),
            });
        }
    }
    found
}

/// The report's fingerprints against the local catalogue, file by file from disk (also what
/// `register add` checks).
pub(super) fn compare_catalogue(
    report: &crate::model::RunReport,
    source: &super::source::CatalogueSource,
) -> CatalogueFinding {
    let catalogue_dir = source.root.as_path();
    let (catalogue, _) = Catalogue::load(catalogue_dir, &LoadOptions::default());
    let mut specifications = Vec::new();
    for spec in &report.specifications {
        let loaded =
            catalogue.specs.iter().find(|s| s.meta.id == spec.id && s.meta.version.to_string() == spec.version);
        // A specification that no longer loads (a file that does not parse) is still compared
        // file by file, from its folder.
        let dir = match loaded {
            Some(local) => Some(local.dir.clone()),
            None => safe_segment(&spec.id)
                .zip(safe_segment(&spec.version))
                .map(|(id, version)| catalogue_dir.join(id).join(version))
                .filter(|d| d.is_dir()),
        };
        let combined_adds_up =
            crate::catalogue::fingerprint::combine(&spec.fingerprints.files) == spec.fingerprints.combined;
        let Some(dir) = dir else {
            specifications.push(SpecFinding {
                id: spec.id.clone(),
                version: spec.version.clone(),
                status: "not_found",
                files: Vec::new(),
                combined_adds_up,
                dir: None,
                compared: spec.fingerprints.files.len(),
            });
            continue;
        };
        let mut files = Vec::new();
        for (file, hash) in &spec.fingerprints.files {
            let status = match std::fs::read(dir.join(file)) {
                Ok(bytes) if crate::source::sha256_hex(&bytes) == *hash => continue,
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => "missing",
                _ => "changed",
            };
            files.push(FileFinding { path: file.clone(), status });
        }
        if let Some(local) = loaded {
            for file in catalogue.fingerprints_of(local).files.into_keys() {
                if !spec.fingerprints.files.contains_key(&file) {
                    files.push(FileFinding { path: file, status: "added" });
                }
            }
        }
        let status = if files.is_empty() && combined_adds_up { "matches" } else { "differs" };
        specifications.push(SpecFinding {
            id: spec.id.clone(),
            version: spec.version.clone(),
            status,
            files,
            combined_adds_up,
            dir: Some(source.show_path(&dir)),
            compared: spec.fingerprints.files.len(),
        });
    }
    let found = catalogue_dir.is_dir();
    let identity = if found { source.identity().ok() } else { None };
    let same_catalogue = report.catalogue.as_ref().zip(identity.as_ref()).map(|(a, b)| a.fingerprint == b.fingerprint);
    CatalogueFinding { dir: source.shown(), found, identity, same_catalogue, specifications }
}

/// `verify`'s findings for a person: first what the report claims, then the signature,
/// then the catalogue. Every value from the report is shown escaped, so the report cannot
/// print lines of its own.
fn show_verified(io: &mut Console<'_>, v: &Verified, report: &crate::model::RunReport, lang: Lang) {
    let t = |text: Text| text.get(lang);
    let c = &v.claims;
    let declared = t(Text::Declared);
    let or_unstated = |v: &Option<String>| v.as_deref().map(shown).unwrap_or_else(|| t(Text::NotStated).to_string());
    let verdict = |v: crate::model::SpecVerdict| match v {
        crate::model::SpecVerdict::Certified => t(Text::Certified),
        crate::model::SpecVerdict::NotCertified => t(Text::NotCertified),
    };
    let label = |text: Text| format!("{}:", t(text));
    outln!(io, "{}: {}", t(Text::Report), v.report);
    if let Some(id) = &c.id {
        outln!(io, "  {:<16} {}", label(Text::ReportId), shown(id));
    }
    if let Some(issuer) = &c.issuer {
        outln!(io, "  {:<16} {}", label(Text::Issuer), shown(issuer));
    }
    let interrupted = if c.interrupted { t(Text::InterruptedSuffix) } else { "" };
    let partial = match (c.partial, c.shard.is_some()) {
        (false, _) => "",
        (true, false) => t(Text::PartialRunSuffix),
        (true, true) => t(Text::ShardSuffix),
    };
    outln!(io, "  {:<16} {}{partial}{interrupted}", label(Text::Verdict), verdict(c.verdict));
    if let Some((index, count)) = c.shard {
        outln!(io, "  {}", Note::Shard { index, count }.get(lang));
    }
    outln!(io, "  {:<16} {} {declared}", label(Text::Vendor), or_unstated(&c.vendor));
    let product = match &c.product_version {
        Some(version) => format!("{} {}", or_unstated(&c.product), shown(version)),
        None => or_unstated(&c.product),
    };
    outln!(io, "  {:<16} {product} {declared}", label(Text::Product));
    let date = |when: &str| Note::Date { rfc3339: shown(when) }.get(lang);
    outln!(io, "  {:<16} {}", label(Text::Date), date(&c.started));
    outln!(io, "  {:<16} {}", label(Text::TestedAddress), shown(&c.base_url));
    for s in &c.specifications {
        outln!(
            io,
            "  {:<16} {} {} — {}",
            label(Text::Specification),
            shown(&s.id),
            shown(&s.version),
            verdict(s.verdict)
        );
    }
    outln!(io, "  {:<16} {} {}", label(Text::Tool), shown(&c.tool), shown(&c.tool_version));
    if let Some(until) = &v.validity.until {
        outln!(io, "  {:<16} {}", label(Text::ValidUntil), date(until));
        for (spec, sunset) in &v.validity.retired {
            outln!(io, "{}", Note::RetiredVersion { spec: shown(spec), sunset: shown(sunset) }.get(lang));
        }
        match v.validity.status {
            "expired" => outln!(io, "{}", Note::Expired { when: shown(until) }.get(lang)),
            "unreadable" => outln!(io, "{}", Note::UnreadableValidity { when: shown(until) }.get(lang)),
            _ => {}
        }
    }
    show_declared(io, &v.declared, report, lang);

    let s = &v.signature;
    match (s.status, s.pinned) {
        ("valid", true) => outln!(io, "{}", t(Text::SignatureValidWithGivenKey)),
        ("valid", false) => outln!(io, "{}", t(Text::SignatureValidForEmbeddedKey)),
        ("unsigned", _) => outln!(io, "{}", t(Text::SignatureUnsigned)),
        _ => outln!(io, "{}: {}", t(Text::SignatureInvalid), s.reason.as_deref().unwrap_or_default()),
    }
    if let Some(key) = &s.key_sha256 {
        outln!(io, "  {}: {key}", t(Text::KeyFingerprint));
    }

    if !v.catalogue.found {
        outln!(io, "{}", Note::CatalogueNotFound { dir: v.catalogue.dir.clone() }.get(lang));
    }
    if let (Some(made), Some(same)) = (&c.catalogue, v.catalogue.same_catalogue) {
        let note = Note::ReportCatalogue {
            version: made.version.as_deref().map(shown),
            fingerprint: shown(&made.fingerprint),
            same,
            here: v.catalogue.dir.clone(),
        };
        outln!(io, "{}", note.get(lang));
    }
    for spec in &v.catalogue.specifications {
        let name = format!("{}@{}", shown(&spec.id), shown(&spec.version));
        match spec.status {
            "not_found" => {
                outln!(io, "  {name}: {} {}", t(Text::NotFoundInTheLocalCatalogue), v.catalogue.dir);
                continue;
            }
            "matches" => {
                outln!(io, "  {name}: {} ({} {})", t(Text::MatchesTheLocalCatalogue), spec.compared, t(Text::Files));
                continue;
            }
            _ => {}
        }
        outln!(io, "  {name}: {}", t(Text::DiffersFromTheLocalCatalogue));
        let dir = spec.dir.as_deref().unwrap_or_default();
        for f in &spec.files {
            let said = match f.status {
                "changed" => t(Text::Changed),
                "missing" => t(Text::MissingLocally),
                _ => t(Text::AddedLocally),
            };
            outln!(io, "    {dir}/{}: {said}", shown(&f.path));
        }
        if !spec.combined_adds_up {
            outln!(io, "    {}", t(Text::CombinedFingerprintMismatch));
        }
    }
    outln!(io, "{}", if v.ok { t(Text::ReportChecksOut) } else { t(Text::ReportDoesNotCheckOut) });
}

/// The report's waivers (in force and not), attestations (each signature checked again)
/// and requirements not offered, each said as the certificate says it.
fn show_declared(io: &mut Console<'_>, d: &DeclaredFinding, report: &crate::model::RunReport, lang: Lang) {
    use crate::report::certificate as c;
    let t = |text: Text| text.get(lang);
    let key = |spec: &str, version: &str| format!("{}@{}", shown(spec), shown(version));
    let heading = |io: &mut Console<'_>, text: Text, shown_yet: &mut bool| {
        if !*shown_yet {
            *shown_yet = true;
            outln!(io, "{}:", t(text));
        }
    };
    if let Some(when) = &d.as_of {
        outln!(io, "{}", shown(&Note::AsOf { when: when.clone() }.get(lang)));
    }
    let mut once = false;
    for s in &report.specifications {
        for r in &s.requirements {
            if let Some(line) = c::waived(r, lang) {
                heading(io, Text::Waivers, &mut once);
                outln!(io, "  {}: {}", key(&s.id, &s.version), shown(&line));
            }
        }
    }
    let mut once = false;
    for s in &report.specifications {
        for u in &s.unused_waivers {
            heading(io, Text::UnusedWaivers, &mut once);
            outln!(io, "  {}: {}", key(&s.id, &s.version), shown(&c::unused(u, lang)));
        }
    }
    let mut once = false;
    for s in &report.specifications {
        for a in &s.attestations {
            heading(io, Text::Attestations, &mut once);
            let holds = d
                .attestations
                .iter()
                .any(|f| f.id == a.id && f.specification == s.id && f.version == s.version && f.holds);
            let said = if holds { t(Text::AttestationHolds) } else { t(Text::AttestationDoesNotHold) };
            outln!(io, "  {}: {} — {said}", key(&s.id, &s.version), shown(&c::attested(a, lang)));
        }
    }
    let mut once = false;
    for s in &report.specifications {
        for r in &s.requirements {
            if let Some(line) = c::not_offered(r, lang) {
                heading(io, Text::NotOfferedHeading, &mut once);
                outln!(io, "  {}: {}", key(&s.id, &s.version), shown(&line));
            }
        }
    }
}

/// A specification id or version from a report, if it can name a folder: one plain path
/// segment (a report cannot send `verify` to read `../../etc`).
fn safe_segment(text: &str) -> Option<&str> {
    let plain = !text.is_empty() && text != "." && text != ".." && !text.contains(['/', '\\', '\0']);
    plain.then_some(text)
}
