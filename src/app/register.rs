//! `konform register`: a register of signed results (`init`, `trust`, `add`, `revoke`) and
//! its static site (`build`). What a register holds is `crate::register`; here is what may
//! enter it: a report whose signature holds for a key the register trusts
//! (`report::sign::verify`) and whose fingerprints match the catalogue (`verify`'s
//! comparison, `super::report::compare_catalogue`).

use std::path::Path;

use super::Console;
use crate::cli::RegisterCommand;
use crate::error::{Failure, Outcome, EXIT_FAILED, EXIT_OK};
use crate::messages::{Refusal, Reg};
use crate::model::{printable as shown, Date, Lang};
use crate::register::{registry, site, Register, Stored};
use crate::report::sign::{self, SignatureCheck};

pub fn register_command(io: &mut Console<'_>, command: RegisterCommand) -> Outcome {
    match command {
        RegisterCommand::Init { dir, lang } => {
            Register::init(&dir)?;
            outln!(io, "{}", Reg::Initialised { dir: dir.display().to_string() }.get(lang));
            Ok(EXIT_OK)
        }
        RegisterCommand::Trust { key, name, register, lang } => {
            let register = open(io, &register)?;
            let trusted = register.trust(&key, &name)?;
            outln!(io, "{}", Reg::Trusted { name: trusted.name, sha256: trusted.sha256 }.get(lang));
            Ok(EXIT_OK)
        }
        RegisterCommand::Add { reports, register, catalogue, lang } => add(io, &reports, &register, &catalogue, lang),
        RegisterCommand::Revoke { id, reason, register, date, lang } => {
            let register = open(io, &register)?;
            let revocation = register.revoke(&id, &reason, date.unwrap_or_else(Date::today))?;
            outln!(io, "{}", Reg::Revoked { id: revocation.report, date: revocation.date.to_string() }.get(lang));
            Ok(EXIT_OK)
        }
        RegisterCommand::Build { dir, out, at, lang } => build(io, &dir, &out, at.unwrap_or_else(Date::today), lang),
        RegisterCommand::Schema => {
            out!(io, "{}", registry::json_schema());
            Ok(EXIT_OK)
        }
    }
}

fn open(io: &mut Console<'_>, dir: &Path) -> Result<Register, Failure> {
    let mut warnings = Vec::new();
    let register = Register::open(dir, &mut warnings);
    for w in warnings {
        errln!(io, "warning: {w}");
    }
    Ok(register?)
}

/// Adds each report the register accepts; exit 1 when one was refused.
fn add(io: &mut Console<'_>, reports: &[std::path::PathBuf], dir: &Path, catalogue: &Path, lang: Lang) -> Outcome {
    let register = open(io, dir)?;
    if !catalogue.is_dir() {
        return Err(Failure::InvalidInput(format!(
            "no catalogue folder at {}: pass --catalogue DIR (or set KONFORM_CATALOGUE) to compare the reports' fingerprints with",
            catalogue.display()
        )));
    }
    let mut refused = false;
    for path in reports {
        let file = path.display().to_string();
        match add_one(&register, path, catalogue)? {
            Ok(kept) if kept.stored == Stored::AlreadyThere => {
                outln!(io, "{}", Reg::AlreadyThere { file, id: kept.id }.get(lang))
            }
            Ok(kept) => {
                let t = &kept.report.target;
                let or_none = |v: &Option<String>| v.as_deref().map(shown).unwrap_or_else(|| Reg::NotStated.get(lang));
                let said = Reg::Added {
                    file,
                    id: kept.id,
                    vendor: or_none(&t.vendor),
                    product: or_none(&t.product),
                    key: kept.key,
                };
                outln!(io, "{}", said.get(lang));
            }
            Err(why) => {
                refused = true;
                errln!(io, "{}", Reg::Refused { file, why }.get(lang));
            }
        }
    }
    Ok(if refused { EXIT_FAILED } else { EXIT_OK })
}

/// A report the register keeps (or already kept).
struct Kept {
    id: String,
    stored: Stored,
    report: crate::model::RunReport,
    /// The name of the trusted key it is signed with.
    key: String,
}

/// Checks one report and keeps it: `Err` says why the register refuses it. The bytes
/// checked are the bytes kept.
fn add_one(register: &Register, path: &Path, catalogue: &Path) -> Result<Result<Kept, Refusal>, Failure> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| Failure::InvalidInput(format!("cannot read {}: {e}", path.display())))?;
    let (value, report) = crate::report::read::parse(path, &text)?;
    let sha256 = match sign::verify(&value, None) {
        SignatureCheck::Unsigned => return Ok(Err(Refusal::Unsigned)),
        SignatureCheck::Invalid(why) => return Ok(Err(Refusal::Altered(why))),
        SignatureCheck::Valid { .. } => {
            report.signature.as_ref().and_then(|s| sign::key_fingerprint(&s.public_key)).unwrap_or_default()
        }
    };
    let Some(trusted) = register.trusted(&sha256) else { return Ok(Err(Refusal::UntrustedKey { sha256 })) };
    if sign::verify(&value, Some(&trusted.key)) != (SignatureCheck::Valid { trusted: true }) {
        return Ok(Err(Refusal::UntrustedKey { sha256 }));
    }
    let differs: Vec<String> = super::report::compare_catalogue(&report, catalogue)
        .specifications
        .iter()
        .filter(|s| s.status != "matches")
        .map(|s| format!("{}@{}", shown(&s.id), shown(&s.version)))
        .collect();
    if !differs.is_empty() || report.specifications.is_empty() {
        return Ok(Err(Refusal::CatalogueDiffers { specs: differs, catalogue: catalogue.display().to_string() }));
    }
    let Some(id) = report.id.clone().filter(|id| crate::register::plain_name(id)) else {
        return Ok(Err(Refusal::NoId));
    };
    let key = trusted.name.clone();
    match register.store(&id, text.as_bytes())? {
        Stored::IdTaken => Ok(Err(Refusal::IdTaken { id })),
        stored => Ok(Ok(Kept { id, stored, report, key })),
    }
}

/// Writes the site: pages, badges, registry.json, and a copy of every report.
fn build(io: &mut Console<'_>, dir: &Path, out: &Path, at: Date, lang: Lang) -> Outcome {
    let register = open(io, dir)?;
    let entries = registry::entries(&register)?;
    let registry = registry::build(&register, &entries, at);
    let write = |rel: &str, bytes: &[u8]| -> Result<(), Failure> {
        let path = out.join(rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)
                .map_err(|e| Failure::Incomplete(format!("cannot make {}: {e}", parent.display())))?;
        }
        crate::report::write::report_to(&path, |w| w.write_all(bytes)).map_err(Failure::from)
    };
    for file in site::files(&registry) {
        write(&file.path, &file.bytes)?;
    }
    for entry in &entries {
        let from = register.report_path(&entry.id);
        let bytes =
            std::fs::read(&from).map_err(|e| Failure::InvalidInput(format!("cannot read {}: {e}", from.display())))?;
        write(&format!("reports/{}.json", entry.id), &bytes)?;
    }
    let said = Reg::Built { dir: out.display().to_string(), products: registry.products.len(), reports: entries.len() };
    outln!(io, "{}", said.get(lang));
    Ok(EXIT_OK)
}
