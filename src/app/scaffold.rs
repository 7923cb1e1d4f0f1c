//! `konform scaffold OPENAPI --id ID`: reads the document, builds the scaffold, writes it.

use std::path::{Path, PathBuf};

use super::{print_diags, Console, MAX_SHOWN_WARNINGS};
use crate::catalogue::openapi::{ApiDoc, LoadOptions};
use crate::diag::Renderer;
use crate::error::{Failure, Outcome, EXIT_OK};
use crate::messages::Note;
use crate::model::Lang;
use crate::scaffold::{self, Options, WriteError};

/// The catalogue folder a scaffold written to `out` goes in (for its catalogue.yaml): the
/// folder above `ID/VERSION`, else the one above `out`; without `out`, the working folder.
pub fn catalogue_of(out: Option<&Path>, id: &str) -> PathBuf {
    let Some(out) = out else { return PathBuf::from(".") };
    let parent = out.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let above = if parent.file_name().is_some_and(|n| n == id) { parent.parent() } else { Some(parent) };
    above.filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new(".")).to_path_buf()
}

pub fn scaffold_command(
    io: &mut Console<'_>,
    openapi: &Path,
    options: Options,
    out: Option<&Path>,
    allow_remote_refs: bool,
    lang: Lang,
    renderer: &Renderer,
) -> Outcome {
    if !scaffold::valid_id(&options.id) {
        return Err(Failure::InvalidInput(Note::ScaffoldBadId { id: options.id }.get(lang)));
    }
    if !openapi.is_file() {
        let file = crate::source::display_path(openapi);
        return Err(Failure::InvalidInput(Note::ScaffoldNoDocument { file }.get(lang)));
    }
    let api = match ApiDoc::load(openapi, &LoadOptions { allow_remote_refs, ..LoadOptions::default() }) {
        Ok(api) => api,
        Err(diags) => {
            print_diags(io, renderer, &diags, Some(MAX_SHOWN_WARNINGS));
            return Err(Failure::Diagnosed);
        }
    };
    let built = scaffold::build(&api, &options);
    let dir: PathBuf = match out {
        Some(dir) => dir.to_path_buf(),
        None => Path::new(&options.id).join(built.version.to_string()),
    };
    scaffold::write(&dir, &built).map_err(|e| match e {
        WriteError::Io { .. } => Failure::Incomplete(e.to_string()),
        WriteError::NotEmpty(dir) => {
            Failure::InvalidInput(Note::ScaffoldNotEmpty { dir: dir.display().to_string() }.get(lang))
        }
        WriteError::NotAFolder(_) => Failure::InvalidInput(e.to_string()),
    })?;
    // The catalogue that holds it: `ID/VERSION`'s parent's parent, else the folder above it.
    let in_layout = dir.ends_with(Path::new(&options.id).join(built.version.to_string()));
    let above = if in_layout { dir.parent().and_then(Path::parent) } else { dir.parent() };
    let catalogue = above.filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let note = Note::Scaffolded {
        dir: dir.display().to_string(),
        document: built.document.clone(),
        catalogue: catalogue.display().to_string(),
        spec: format!("{}@{}", options.id, built.version),
        files: built.files.len(),
        operations: built.operations,
        requirements: built.requirements,
        uncovered: built.uncovered,
        scenarios: built.scenarios,
    };
    errln!(io, "{}", crate::model::text::wrap(&note.get(lang), super::wrap_width(), "", ""));
    Ok(EXIT_OK)
}
