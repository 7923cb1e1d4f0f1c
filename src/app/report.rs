//! `konform report`, `konform keygen` and `konform verify`.

use super::Console;
use crate::messages::Text;
use std::path::Path;

use serde_json::Value;

use crate::catalogue::openapi::LoadOptions;
use crate::catalogue::Catalogue;
use crate::error::{Failure, Outcome, EXIT_FAILED, EXIT_OK};
use crate::model::Lang;
use crate::model::RunReport;
use crate::report::render::{self, Format};
use crate::report::sign::{self, SignatureCheck};
use crate::report::terminal::no_suite;
use crate::report::{stable, write};

/// A report file, as JSON and as a report; a file that is neither is invalid input.
fn read_report(path: &Path) -> Result<(Value, RunReport), Failure> {
    let invalid = |m: String| Failure::InvalidInput(m);
    let text = std::fs::read_to_string(path).map_err(|e| invalid(format!("cannot read {}: {e}", path.display())))?;
    let value: Value =
        serde_json::from_str(&text).map_err(|e| invalid(format!("{} is not JSON: {e}", path.display())))?;
    let report: RunReport = serde_json::from_value(value.clone())
        .map_err(|e| invalid(format!("{} is not a konform report: {e}", path.display())))?;
    Ok((value, report))
}

pub fn report_command(
    io: &mut Console<'_>,
    path: &Path,
    format: Format,
    output: Option<&Path>,
    lang: Lang,
    normalize: bool,
) -> Outcome {
    let (_, mut report) = read_report(path)?;
    if normalize {
        report = stable::normalize(&report).map_err(|e| Failure::InvalidInput(format!("{}: {e}", path.display())))?;
    }
    match output {
        Some(out) => write::atomically(out, |w| render::render(format, &report, lang, &no_suite, w))?,
        None => render::render(format, &report, lang, &no_suite, &mut io.out)
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
    let (value, report) = read_report(path)?;
    let key = public_key.map(sign::read_public_key).transpose()?;
    let mut ok = true;
    outln!(
        io,
        "{}: {} ({} {}, {})",
        Text::Report.get(lang),
        path.display(),
        report.tool,
        report.tool_version,
        report.started
    );

    match sign::verify(&value, key.as_ref()) {
        SignatureCheck::Valid { trusted: true } => outln!(io, "  {}", Text::SignatureValidWithGivenKey.get(lang)),
        SignatureCheck::Valid { trusted: false } => outln!(io, "  {}", Text::SignatureValidForEmbeddedKey.get(lang)),
        SignatureCheck::Unsigned => {
            outln!(io, "  {}", Text::SignatureUnsigned.get(lang));
            if require_signature || key.is_some() {
                ok = false;
            }
        }
        SignatureCheck::Invalid(why) => {
            outln!(io, "  {}: {why}", Text::SignatureInvalid.get(lang));
            ok = false;
        }
    }

    let (catalogue, _) = Catalogue::load(catalogue_dir, &LoadOptions::default());
    for spec in &report.specifications {
        let key = format!("{}@{}", spec.id, spec.version);
        let local = catalogue.specs.iter().find(|s| s.meta.id == spec.id && s.meta.version.to_string() == spec.version);
        let Some(local) = local else {
            outln!(io, "  {key}: {} {}", Text::NotFoundInTheLocalCatalogue.get(lang), catalogue_dir.display());
            ok = false;
            continue;
        };
        let local_prints = catalogue.fingerprints_of(local);
        if local_prints.combined == spec.fingerprints.combined {
            outln!(
                io,
                "  {key}: {} ({} {})",
                Text::MatchesTheLocalCatalogue.get(lang),
                spec.fingerprints.files.len(),
                Text::Files.get(lang)
            );
            continue;
        }
        ok = false;
        outln!(io, "  {key}: {}", Text::DiffersFromTheLocalCatalogue.get(lang));
        let dir = crate::source::display_path(&local.dir);
        for (file, hash) in &spec.fingerprints.files {
            match local_prints.files.get(file) {
                None => outln!(io, "    {dir}/{file}: {}", Text::MissingLocally.get(lang)),
                Some(h) if h != hash => outln!(io, "    {dir}/{file}: {}", Text::Changed.get(lang)),
                Some(_) => {}
            }
        }
        for file in local_prints.files.keys().filter(|f| !spec.fingerprints.files.contains_key(*f)) {
            outln!(io, "    {dir}/{file}: {}", Text::AddedLocally.get(lang));
        }
        if spec.fingerprints.files.iter().all(|(f, h)| local_prints.files.get(f) == Some(h))
            && local_prints.files.len() == spec.fingerprints.files.len()
        {
            outln!(io, "    {}", Text::CombinedFingerprintMismatch.get(lang));
        }
    }

    if ok {
        outln!(io, "{}", Text::ReportChecksOut.get(lang));
        Ok(EXIT_OK)
    } else {
        outln!(io, "{}", Text::ReportDoesNotCheckOut.get(lang));
        Ok(EXIT_FAILED)
    }
}
