//! `konform report merge`: the shards' reports read, put together (`crate::merge`), signed
//! if asked, shown and written like a run's.

use super::Console;
use crate::catalogue::openapi::LoadOptions;
use crate::catalogue::Catalogue;
use crate::cli::MergeArgs;
use crate::diag::Renderer;
use crate::error::{Failure, Outcome, EXIT_FAILED, EXIT_OK, EXIT_RUN_ERROR};
use crate::merge::{MergeOptions, ShardReport};
use crate::model::SpecVerdict;
use crate::report::render::Format;
use crate::report::sign::{self, SignatureCheck};

pub fn merge_command(io: &mut Console<'_>, args: &MergeArgs, renderer: &Renderer, color: bool) -> Outcome {
    crate::report::write::Destination::of(&args.output).map_err(|e| Failure::InvalidInput(e.to_string()))?;
    let signing_key = args.sign_key.as_deref().map(sign::read_signing_key).transpose()?;
    let mut shards = Vec::new();
    for path in &args.shards {
        let (value, report) = crate::report::read::read(path)?;
        let file = path.display().to_string();
        // A signed shard that was changed since is not merged into something signed anew.
        if let SignatureCheck::Invalid(why) = sign::verify(&value, None) {
            let why = crate::messages::Note::Broken(why).get(crate::model::Lang::En);
            return Err(Failure::InvalidInput(format!("{file}: its signature does not hold: {why}")));
        }
        shards.push(ShardReport { file, report });
    }
    let source = super::source::resolve(args.catalogue.as_deref(), io, args.lang)?;
    let (catalogue, _) = Catalogue::load(&source.root, &LoadOptions::default());
    let identity = source.identity()?;
    // Declarations apply to the merged report as to a run's: the shards' own are judged again.
    let (declarations, clock) = super::run::declarations(io, renderer, &catalogue, &args.declared)?;
    let options = MergeOptions {
        catalogue: &catalogue,
        identity: &identity,
        catalogue_shown: &source.shown(),
        allow_missing: args.allow_missing,
        issuer: args.issuer.clone(),
    };
    let mut report = crate::merge::merge(shards, &options).map_err(|e| Failure::InvalidInput(e.to_string()))?;
    crate::declared::apply(&mut report, &declarations, clock);
    if let Some(key) = &signing_key {
        sign::sign(&mut report, key)?;
    }
    let reports = [(Format::Json, args.output.clone())];
    let look = crate::report::terminal::Look {
        color,
        width: super::terminal_width(),
        wrap: super::wrap_width(),
        detail: crate::report::terminal::Detail::Normal,
    };
    let problems =
        super::run::deliver(io, &report, &catalogue, args.lang, look, (&reports, crate::export::Delimiter::default()));
    if !problems.is_empty() {
        return Err(Failure::Incomplete(problems.join("\nerror: ")));
    }
    Ok(if report.interrupted {
        EXIT_RUN_ERROR
    } else if report.verdict == SpecVerdict::Certified {
        EXIT_OK
    } else {
        EXIT_FAILED
    })
}
