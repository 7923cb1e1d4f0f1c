//! `konform export arazzo` and `konform import arazzo` (docs/arazzo.md).
use std::path::{Path, PathBuf};

use super::{print_diags, source, Console};
use crate::arazzo;
use crate::catalogue::openapi::{ApiDoc, LoadOptions};
use crate::catalogue::Catalogue;
use crate::cli::{ArazzoFormat, ExportArazzoArgs, ImportArazzoArgs};
use crate::diag::{self, Renderer};
use crate::error::{Failure, Outcome, EXIT_OK};
use crate::messages::Note;
use crate::source::{display_path, SourceFile};

pub(super) fn export_command(io: &mut Console<'_>, args: &ExportArazzoArgs, renderer: &Renderer) -> Outcome {
    let source = source::resolve(args.catalogue.as_deref(), io, args.lang)?;
    let (catalogue, diags) = Catalogue::load(&source.root, &LoadOptions::default());
    let spec = catalogue.find(&args.spec)?;
    // The specification's own files must load: a suite with errors is not exported.
    let own: Vec<_> = diags
        .into_iter()
        .filter(|d| d.level == diag::Level::Error && d.file.as_ref().is_some_and(|f| f.path.starts_with(&spec.dir)))
        .collect();
    if !own.is_empty() {
        print_diags(io, renderer, &own, None);
        return Err(Failure::Diagnosed);
    }
    let document = arazzo::export::export(spec, args.lang).map_err(|d| {
        print_diags(io, renderer, &d, None);
        Failure::Diagnosed
    })?;
    // What konform writes is valid Arazzo; a departure is konform's own fault.
    if let Some((pointer, message)) = arazzo::schema_errors(&document, 1).into_iter().next() {
        return Err(Failure::Incomplete(format!(
            "the Arazzo description made for {} is not valid at {pointer}: {message} (a konform bug)",
            spec.key()
        )));
    }
    let text = match args.format {
        ArazzoFormat::Yaml => format!(
            "# The scenarios of {} as an Arazzo 1.0.1 description, written by `konform export arazzo`\n\
             # (docs/arazzo.md). `konform import arazzo` reads it back.\n{}",
            spec.key(),
            arazzo::yaml::to_yaml(&document)
        ),
        ArazzoFormat::Json => {
            format!("{}\n", serde_json::to_string_pretty(&document).map_err(|e| Failure::Incomplete(e.to_string()))?)
        }
    };
    let workflows = document["workflows"].as_array().map_or(0, Vec::len);
    match &args.out {
        None => io.out.write_all(text.as_bytes()).map_err(|e| Failure::writing("the description", &e))?,
        Some(path) => {
            write_file(path, text.as_bytes())?;
            let note = Note::ArazzoExported { spec: spec.key(), path: display_path(path), workflows };
            errln!(io, "{}", crate::model::text::wrap(&note.get(args.lang), super::wrap_width(), "", ""));
        }
    }
    Ok(EXIT_OK)
}

pub(super) fn import_command(io: &mut Console<'_>, args: &ImportArazzoArgs, renderer: &Renderer) -> Outcome {
    let file = SourceFile::read(&args.file).map_err(Failure::InvalidInput)?;
    let api = ApiDoc::load(&args.openapi, &LoadOptions::default()).map_err(|d| {
        print_diags(io, renderer, &d, None);
        Failure::Diagnosed
    })?;
    let imported = arazzo::import::import(&file, &api).map_err(|d| {
        print_diags(io, renderer, &d, None);
        Failure::Diagnosed
    })?;
    let mut diags = imported.diags.clone();
    diags.sort_by_key(|d| (d.level, d.span.map(|s| (s.line, s.column))));
    print_diags(io, renderer, &diags, None);
    if imported.has_errors() {
        return Err(Failure::Diagnosed);
    }
    let suite_path = args.out.join("scenarios").join(format!("{}.yaml", stem(&args.file)));
    let text = format!(
        "# Imported from {} by `konform import arazzo` (docs/arazzo.md).\n{}",
        args.file.file_name().map_or(file.name.clone(), |n| n.to_string_lossy().into_owned()),
        arazzo::yaml::to_yaml(&imported.suite)
    );
    let mut files: Vec<(PathBuf, Vec<u8>)> = vec![(suite_path.clone(), text.into_bytes())];
    files.extend(imported.fixtures.iter().map(|(p, bytes)| (args.out.join(p), bytes.clone())));
    if !args.force {
        let clashes: Vec<String> = files
            .iter()
            .filter(|(p, bytes)| std::fs::read(p).is_ok_and(|old| old != *bytes))
            .map(|(p, _)| display_path(p))
            .collect();
        if !clashes.is_empty() {
            return Err(Failure::InvalidInput(format!(
                "{} already exist{} with other content; --force replaces {}",
                clashes.join(", "),
                if clashes.len() == 1 { "s" } else { "" },
                if clashes.len() == 1 { "it" } else { "them" }
            )));
        }
    }
    for (path, bytes) in &files {
        write_file(path, bytes)?;
    }
    let warnings = diags.iter().filter(|d| d.level == diag::Level::Warning).count();
    let note = Note::ArazzoImported {
        path: display_path(&suite_path),
        scenarios: imported.suite["scenarios"].as_array().map_or(0, Vec::len),
        fixtures: imported.fixtures.len(),
        warnings,
    };
    errln!(io, "{}", crate::model::text::wrap(&note.get(args.lang), super::wrap_width(), "", ""));
    Ok(EXIT_OK)
}

/// The suite's name: the description's file name without `.arazzo`, `.yaml`, `.json`.
fn stem(path: &Path) -> String {
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("arazzo");
    let name = [".yaml", ".yml", ".json"].iter().find_map(|e| name.strip_suffix(e)).unwrap_or(name);
    let name = name.strip_suffix(".arazzo").unwrap_or(name);
    if name.is_empty() {
        "arazzo".into()
    } else {
        name.into()
    }
}

fn write_file(path: &Path, bytes: &[u8]) -> Result<(), Failure> {
    let failed = |e: std::io::Error| Failure::Incomplete(format!("cannot write {}: {e}", display_path(path)));
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(failed)?;
    }
    std::fs::write(path, bytes).map_err(failed)
}
