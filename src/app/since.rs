//! `run --since OLD-REPORT.json`: the earlier report and the versions it tested are read
//! before anything is sent (a mistake is exit 2), and once the run is judged its report
//! gets what changed since, requirement by requirement (`crate::since` classifies).

use std::path::Path;

use super::Console;
use crate::catalogue::Catalogue;
use crate::diff::{self, Change};
use crate::error::Failure;
use crate::messages::{Lang, Note};
use crate::model::{printable, RunReport, Since, SpecResult, SpecVerdict};
use crate::plan::Plan;
use crate::report::read::{self, ReadError};
use crate::since::{self as classify, Scenarios, Versions};

/// The earlier report and, for each specification of the run it tested an older (or the
/// same) version of, the changes since.
pub(super) struct Prepared {
    file: String,
    id: Option<String>,
    started: String,
    verdict: SpecVerdict,
    pairs: Vec<Pair>,
}

struct Pair {
    /// The specification and version this run tests.
    id: String,
    version: String,
    old: SpecResult,
    catalogue_changed: bool,
    changes: Vec<Change>,
    old_scenarios: Scenarios,
    new_scenarios: Scenarios,
}

/// Reads `path` and the versions it tested from `catalogue` (shown as `shown`), and
/// computes the changes to each planned specification's version.
pub(super) fn prepare(
    io: &mut Console<'_>,
    path: &Path,
    catalogue: &Catalogue,
    shown: &str,
    plan: &Plan,
    lang: Lang,
) -> Result<Prepared, Failure> {
    let refused = |e: ReadError| Failure::InvalidInput(format!("--since: {e}"));
    let (_, old) = read::read(path).map_err(refused)?;
    if old.tool != "konform" {
        return Err(refused(ReadError::NotAReport {
            path: path.to_path_buf(),
            detail: format!("it was made by `{}`, not by konform", printable(&old.tool)),
        }));
    }
    let file = path.file_name().map_or_else(|| path.display().to_string(), |n| n.to_string_lossy().into_owned());
    let mut pairs = Vec::new();
    for planned in &plan.specs {
        let new = &catalogue.specs[planned.spec];
        let Some(earlier) = classify::earlier(&old, &new.meta.id, &new.meta.version) else { continue };
        let wanted = format!("{}@{}", new.meta.id, earlier.version);
        let Ok(old_spec) = catalogue.find(&wanted) else {
            return Err(Failure::InvalidInput(format!(
                "--since: {} tested {}, which the catalogue in use ({shown}) does not have: pass \
                 --catalogue DIR with a catalogue that has that version",
                path.display(),
                printable(&wanted)
            )));
        };
        let catalogue_changed = catalogue.fingerprints_of(old_spec).combined != earlier.fingerprints.combined;
        if catalogue_changed {
            let note = Note::SinceCatalogueChanged { spec: wanted.clone(), report: file.clone() };
            errln!(io, "{}", note.get(lang));
        }
        pairs.push(Pair {
            id: new.meta.id.clone(),
            version: new.meta.version.to_string(),
            old: earlier.clone(),
            catalogue_changed,
            changes: diff::specs(old_spec, new).changes,
            old_scenarios: Scenarios::of(old_spec),
            new_scenarios: Scenarios::of(new),
        });
    }
    if pairs.is_empty() {
        let list = |names: Vec<String>| if names.is_empty() { "nothing".to_string() } else { names.join(", ") };
        let tested = list(old.specifications.iter().map(|s| printable(&format!("{}@{}", s.id, s.version))).collect());
        let runs = list(plan.specs.iter().map(|p| catalogue.specs[p.spec].key()).collect());
        return Err(Failure::InvalidInput(format!(
            "--since: {} tested no specification this run also tests, at its version or an older one: \
             it tested {tested}; this run tests {runs}",
            path.display()
        )));
    }
    Ok(Prepared { file, id: old.id.clone(), started: old.started.clone(), verdict: old.verdict, pairs })
}

/// What changed since the earlier report, for the run's report.
pub(super) fn record(prepared: &Prepared, report: &RunReport) -> Since {
    let specifications = prepared
        .pairs
        .iter()
        .filter_map(|pair| {
            let new = report.specifications.iter().find(|s| s.id == pair.id && s.version == pair.version)?;
            let versions = Versions { changes: &pair.changes, old: &pair.old_scenarios, new: &pair.new_scenarios };
            Some(classify::record(&pair.old, new, pair.catalogue_changed, &versions))
        })
        .collect();
    Since {
        report: prepared.file.clone(),
        report_id: prepared.id.clone(),
        report_started: prepared.started.clone(),
        report_verdict: prepared.verdict,
        specifications,
    }
}
