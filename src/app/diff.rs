//! `konform diff`: two versions (catalogue specifications or OpenAPI files) in, their
//! changes out, classified for the vendor.

use std::path::Path;

use super::Console;
use crate::catalogue::openapi::{ApiDoc, LoadOptions};
use crate::catalogue::{Catalogue, Spec};
use crate::cli::{DiffArgs, DiffFailOn, DiffFormat};
use crate::diag::{self, Renderer};
use crate::diff::{self, Diff, Side};
use crate::error::{Failure, Outcome, EXIT_FAILED, EXIT_OK};

/// One side of the diff as named on the command line.
enum Version<'c> {
    Spec(&'c Spec),
    File(Box<ApiDoc>),
}

impl Version<'_> {
    fn api(&self) -> Option<&ApiDoc> {
        match self {
            Version::Spec(s) => s.api.as_ref(),
            Version::File(api) => Some(api),
        }
    }

    fn side(&self) -> Option<Side> {
        match self {
            Version::Spec(s) => Some(Side::of_spec(s)),
            Version::File(_) => None,
        }
    }
}

/// Whether an argument names a file rather than a specification.
fn names_a_file(arg: &str) -> bool {
    let path = Path::new(arg);
    path.is_file()
        || arg.contains(['/', '\\'])
        || path.extension().and_then(|e| e.to_str()).is_some_and(|e| matches!(e, "yaml" | "yml" | "json"))
}

pub fn diff_command(io: &mut Console<'_>, args: &DiffArgs, renderer: &Renderer) -> Outcome {
    let options = LoadOptions { allow_remote_refs: args.allow_remote_refs, ..LoadOptions::default() };
    // Kept for the whole command: a built-in catalogue lives in a temporary folder.
    let source = if names_a_file(&args.old) && names_a_file(&args.new) {
        None
    } else {
        Some(super::source::resolve(args.catalogue.as_deref(), io, args.lang)?)
    };
    let catalogue = match &source {
        None => None,
        Some(source) => Some(load_catalogue(io, &source.root, &options, renderer)?),
    };
    if let Some((catalogue, problems)) = &catalogue {
        if let Some(old) = crate::catalogue::infomodel::find(catalogue, &args.old) {
            let old = old?;
            let new = match crate::catalogue::infomodel::find(catalogue, &args.new) {
                Some(new) => new?,
                None => {
                    return Err(Failure::InvalidInput(format!(
                        "`{}` is an information model: compare it with another version of it, not with `{}`",
                        args.old, args.new
                    )))
                }
            };
            for model in [old, new] {
                readable(io, renderer, problems, (&model.dir, &model.key()), model.api.is_some())?;
            }
            return super::models::diff(io, catalogue, (old, new), args, renderer);
        }
    }
    let old = version(io, &args.old, catalogue.as_ref(), &options, renderer)?;
    let new = version(io, &args.new, catalogue.as_ref(), &options, renderer)?;
    let diff = match (&old, &new) {
        (Version::Spec(a), Version::Spec(b)) => diff::specs(a, b),
        _ => {
            let (Some(a), Some(b)) = (old.api(), new.api()) else { return Err(Failure::Diagnosed) };
            let mut d = diff::files(a, b);
            d.old = old.side().unwrap_or(d.old);
            d.new = new.side().unwrap_or(d.new);
            d
        }
    };
    write(io, &diff, args)?;
    let counts = diff.counts();
    let failed = match args.fail_on {
        Some(DiffFailOn::Breaking) => counts.breaking_for_clients > 0,
        Some(DiffFailOn::MustChange) => counts.must_change > 0,
        None => false,
    };
    Ok(if failed { EXIT_FAILED } else { EXIT_OK })
}

fn write(io: &mut Console<'_>, diff: &Diff, args: &DiffArgs) -> Result<(), Failure> {
    let written = match args.format {
        DiffFormat::Human => diff::render::human(diff, args.lang, super::wrap_width(), &mut io.out),
        DiffFormat::Json => diff::render::json(diff, &mut io.out),
        DiffFormat::Markdown => diff::render::markdown(diff, args.lang, &mut io.out),
    };
    written.map_err(|e| Failure::writing("the diff", &e))
}

fn load_catalogue(
    io: &mut Console<'_>,
    dir: &Path,
    options: &LoadOptions,
    renderer: &Renderer,
) -> Result<(Catalogue, Vec<diag::Diag>), Failure> {
    let (catalogue, diags) = Catalogue::load(dir, options);
    if catalogue.specs.is_empty() {
        super::print_diags(io, renderer, &diags, None);
        return Err(Failure::Diagnosed);
    }
    // Problems in specifications the diff does not read are not its business; those in
    // the ones it reads are shown when they are selected.
    Ok((catalogue, diags))
}

fn version<'c>(
    io: &mut Console<'_>,
    arg: &str,
    catalogue: Option<&'c (Catalogue, Vec<diag::Diag>)>,
    options: &LoadOptions,
    renderer: &Renderer,
) -> Result<Version<'c>, Failure> {
    if names_a_file(arg) {
        let options = LoadOptions { lenient: true, ..options.clone() };
        return match ApiDoc::load(Path::new(arg), &options) {
            Ok(api) => Ok(Version::File(Box::new(api))),
            Err(diags) => {
                super::print_diags(io, renderer, &diags, Some(20));
                Err(Failure::Diagnosed)
            }
        };
    }
    let Some((catalogue, problems)) = catalogue else { return Err(Failure::Diagnosed) };
    let spec = catalogue.find(arg)?;
    readable(io, renderer, problems, (&spec.dir, &spec.key()), spec.api.is_some())?;
    Ok(Version::Spec(spec))
}

/// A selected catalogue entry (a specification or a model, in `dir`) loaded its description
/// (`loaded`) and has no errors of its own; else they are shown and the diff stops.
fn readable(
    io: &mut Console<'_>,
    renderer: &Renderer,
    problems: &[diag::Diag],
    (dir, key): (&Path, &str),
    loaded: bool,
) -> Result<(), Failure> {
    let own: Vec<diag::Diag> = problems
        .iter()
        .filter(|d| d.level == diag::Level::Error)
        .filter(|d| d.file.as_ref().is_some_and(|f| f.path.starts_with(dir)))
        .cloned()
        .collect();
    if loaded && own.is_empty() {
        return Ok(());
    }
    super::print_diags(io, renderer, &own, None);
    errln!(io, "error: {key} cannot be read; `konform check` shows every problem");
    Err(Failure::Diagnosed)
}
