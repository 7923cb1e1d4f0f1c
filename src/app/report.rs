//! `konform report`, `konform keygen` and `konform verify`.

use super::Console;
use crate::messages::{Note, Text};
use crate::report::read::shown;
use std::path::Path;

use crate::catalogue::openapi::LoadOptions;
use crate::catalogue::Catalogue;
use crate::error::{Failure, Outcome, EXIT_FAILED, EXIT_OK};
use crate::model::Lang;
use crate::report::render::{self, Format};
use crate::report::sign::{self, SignatureCheck};
use crate::report::terminal::no_suite;
use crate::report::{stable, write};

pub fn report_command(
    io: &mut Console<'_>,
    path: &Path,
    format: Format,
    output: Option<&Path>,
    lang: Lang,
    normalize: bool,
    public_key: Option<&Path>,
) -> Outcome {
    let (value, mut report) = crate::report::read::read(path)?;
    let key = public_key.map(sign::read_public_key).transpose()?;
    // Checked on the report as read, before anything (normalising) changes it.
    let seal = sign::seal(&value, &report, key.as_ref());
    if normalize {
        report = stable::normalize(&report).map_err(|e| Failure::InvalidInput(format!("{}: {e}", path.display())))?;
    }
    match output {
        Some(out) => write::atomically(out, |w| render::render(format, &report, lang, &no_suite, &seal, w))?,
        None => render::render(format, &report, lang, &no_suite, &seal, &mut io.out)
            .map_err(|e| Failure::Incomplete(format!("cannot write the report: {e}")))?,
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

pub fn verify_command(
    io: &mut Console<'_>,
    path: &Path,
    public_key: Option<&Path>,
    catalogue_dir: &Path,
    require_signature: bool,
    lang: Lang,
) -> Outcome {
    let (value, report) = crate::report::read::read(path)?;
    let key = public_key.map(sign::read_public_key).transpose()?;
    let mut ok = true;

    // First what the report says, as an officer reads it; every value from the report is
    // shown escaped, so the report cannot print lines of its own.
    let t = |text: Text| text.get(lang);
    let declared = t(Text::Declared);
    let or_unstated = |v: &Option<String>| v.as_deref().map(shown).unwrap_or_else(|| t(Text::NotStated).to_string());
    outln!(io, "{}: {}", t(Text::Report), path.display());
    if let Some(id) = &report.id {
        outln!(io, "  {:<16} {}", format!("{}:", t(Text::ReportId)), shown(id));
    }
    if let Some(issuer) = &report.issuer {
        outln!(io, "  {:<16} {}", format!("{}:", t(Text::Issuer)), shown(issuer));
    }
    let verdict = match report.verdict {
        crate::model::SpecVerdict::Certified => t(Text::Certified),
        crate::model::SpecVerdict::NotCertified => t(Text::NotCertified),
    };
    let interrupted = if report.interrupted { t(Text::InterruptedSuffix) } else { "" };
    let partial = if report.partial { t(Text::PartialRunSuffix) } else { "" };
    outln!(io, "  {:<16} {verdict}{partial}{interrupted}", format!("{}:", t(Text::Verdict)));
    outln!(io, "  {:<16} {} {declared}", format!("{}:", t(Text::Vendor)), or_unstated(&report.target.vendor));
    let product = match &report.target.product_version {
        Some(v) => format!("{} {}", or_unstated(&report.target.product), shown(v)),
        None => or_unstated(&report.target.product),
    };
    outln!(io, "  {:<16} {product} {declared}", format!("{}:", t(Text::Product)));
    outln!(io, "  {:<16} {}", format!("{}:", t(Text::Date)), shown(&report.started));
    outln!(io, "  {:<16} {}", format!("{}:", t(Text::TestedAddress)), shown(&report.target.base_url));
    for spec in &report.specifications {
        let verdict = match spec.verdict {
            crate::model::SpecVerdict::Certified => t(Text::Certified),
            crate::model::SpecVerdict::NotCertified => t(Text::NotCertified),
        };
        outln!(
            io,
            "  {:<16} {} {} — {verdict}",
            format!("{}:", t(Text::Specification)),
            shown(&spec.id),
            shown(&spec.version)
        );
    }
    outln!(io, "  {:<16} {} {}", format!("{}:", t(Text::Tool)), shown(&report.tool), shown(&report.tool_version));
    if let Some(until) = &report.valid_until {
        outln!(io, "  {:<16} {}", format!("{}:", t(Text::ValidUntil)), shown(until));
        match humantime::parse_rfc3339(until) {
            Ok(end) if end >= std::time::SystemTime::now() => {}
            Ok(_) => {
                outln!(io, "{}", Note::Expired { when: shown(until) }.get(lang));
                ok = false;
            }
            Err(_) => {
                outln!(io, "{}", Note::UnreadableValidity { when: shown(until) }.get(lang));
                ok = false;
            }
        }
    }

    let check = sign::verify(&value, key.as_ref());
    match &check {
        SignatureCheck::Valid { trusted: true } => outln!(io, "{}", t(Text::SignatureValidWithGivenKey)),
        SignatureCheck::Valid { trusted: false } => outln!(io, "{}", t(Text::SignatureValidForEmbeddedKey)),
        SignatureCheck::Unsigned => {
            outln!(io, "{}", t(Text::SignatureUnsigned));
            if require_signature || key.is_some() {
                ok = false;
            }
        }
        SignatureCheck::Invalid(why) => {
            outln!(io, "{}: {}", t(Text::SignatureInvalid), Note::Broken(*why).get(lang));
            ok = false;
        }
    }
    if let Some(fingerprint) = report.signature.as_ref().and_then(|s| sign::key_fingerprint(&s.public_key)) {
        outln!(io, "  {}: {fingerprint}", t(Text::KeyFingerprint));
    }

    let (catalogue, _) = Catalogue::load(catalogue_dir, &LoadOptions::default());
    if !catalogue_dir.is_dir() {
        let hint = Note::CatalogueNotFound { dir: catalogue_dir.display().to_string() };
        outln!(io, "{}", hint.get(lang));
    }
    for spec in &report.specifications {
        let name = format!("{}@{}", shown(&spec.id), shown(&spec.version));
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
        let Some(dir) = dir else {
            outln!(io, "  {name}: {} {}", t(Text::NotFoundInTheLocalCatalogue), catalogue_dir.display());
            ok = false;
            continue;
        };
        let mut problems = Vec::new();
        let shown_dir = crate::source::display_path(&dir);
        for (file, hash) in &spec.fingerprints.files {
            let local = dir.join(file);
            match std::fs::read(&local) {
                Ok(bytes) if crate::source::sha256_hex(&bytes) == *hash => {}
                Ok(_) => problems.push(format!("    {shown_dir}/{}: {}", shown(file), t(Text::Changed))),
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                    problems.push(format!("    {shown_dir}/{}: {}", shown(file), t(Text::MissingLocally)))
                }
                Err(_) => problems.push(format!("    {shown_dir}/{}: {}", shown(file), t(Text::Changed))),
            }
        }
        if let Some(local) = loaded {
            for file in
                catalogue.fingerprints_of(local).files.keys().filter(|f| !spec.fingerprints.files.contains_key(*f))
            {
                problems.push(format!("    {shown_dir}/{file}: {}", t(Text::AddedLocally)));
            }
        }
        // The combined fingerprint must be the one of the report's own file list.
        if crate::catalogue::fingerprint::combine(&spec.fingerprints.files) != spec.fingerprints.combined {
            problems.push(format!("    {}", t(Text::CombinedFingerprintMismatch)));
        }
        if problems.is_empty() {
            outln!(
                io,
                "  {name}: {} ({} {})",
                t(Text::MatchesTheLocalCatalogue),
                spec.fingerprints.files.len(),
                t(Text::Files)
            );
        } else {
            ok = false;
            outln!(io, "  {name}: {}", t(Text::DiffersFromTheLocalCatalogue));
            for p in problems {
                outln!(io, "{p}");
            }
        }
    }

    if ok {
        outln!(io, "{}", t(Text::ReportChecksOut));
        Ok(EXIT_OK)
    } else {
        outln!(io, "{}", t(Text::ReportDoesNotCheckOut));
        Ok(EXIT_FAILED)
    }
}

/// A specification id or version from a report, if it can name a folder: one plain path
/// segment (a report cannot send `verify` to read `../../etc`).
fn safe_segment(text: &str) -> Option<&str> {
    let plain = !text.is_empty() && text != "." && text != ".." && !text.contains(['/', '\\', '\0']);
    plain.then_some(text)
}
