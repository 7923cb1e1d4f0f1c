//! Information models on the command line: `catalogue show MODEL` (a model's page) and
//! `konform diff MODEL@A MODEL@B` (what moving to another version means for every
//! specification version that uses the model).

use super::Console;
use crate::catalogue::infomodel::{self, InfoModel};
use crate::catalogue::openapi::{ApiDoc, LoadOptions};
use crate::catalogue::Catalogue;
use crate::cli::{CatalogueArgs, DiffArgs, DiffFailOn, DiffFormat, PageFormat};
use crate::diag::Renderer;
use crate::diff::model::{self as model_diff, ModelDiff};
use crate::error::{Failure, Outcome, EXIT_FAILED, EXIT_OK};
use crate::messages::ModelText;

/// `catalogue show MODEL`.
pub fn show(io: &mut Console<'_>, catalogue: &Catalogue, model: &InfoModel, args: &CatalogueArgs) -> Outcome {
    let lang = args.lang;
    let users: Vec<String> = infomodel::users(catalogue, model).iter().map(|s| s.key()).collect();
    match args.format {
        PageFormat::Markdown => out!(io, "{}", super::pages::model_markdown(model, &users, lang)),
        PageFormat::Html => out!(io, "{}", super::pages::model_html(model, &users, lang)),
        PageFormat::Json => super::print_json(
            io,
            &serde_json::json!({
                "model": {
                    "id": model.meta.id,
                    "version": model.meta.version.to_string(),
                    "status": model.meta.status,
                    "lifecycle": model.meta.lifecycle,
                    "title": model.meta.title.get(lang),
                    "description": model.meta.description.as_ref().map(|d| d.get(lang)),
                    "schemas": catalogue.report_name(&model.meta_file).replace("model.yaml", &model.meta.schemas),
                },
                "concepts": model.concepts,
                "used_by": users,
            }),
        ),
        PageFormat::Human => {
            let m = &model.meta;
            outln!(
                io,
                "{} {} ({}) — {}",
                m.id,
                m.version,
                super::pages::status_label(m.status, lang),
                ModelText::Heading { name: m.title.get(lang).to_string() }.get(lang)
            );
            if let Some(d) = &m.description {
                outln!(io, "{}", crate::model::text::wrap(d.get(lang), super::wrap_width(), "", ""));
            }
            outln!(
                io,
                "{}",
                if users.is_empty() { ModelText::UsedByNone } else { ModelText::UsedBy { specs: users.clone() } }
                    .get(lang)
            );
            for c in &model.concepts {
                outln!(io, "\n{}", ModelText::Concept { name: c.name.clone(), key: c.key.clone() }.get(lang));
                if let Some(d) = &c.definition {
                    outln!(io, "{}", crate::model::text::wrap(d.get(lang), super::wrap_width(), "", ""));
                }
                let mut t = super::table();
                for p in &c.properties {
                    let required = if p.required { ModelText::Required.get(lang) } else { String::new() };
                    let text = p.definition.as_ref().map(|d| d.get(lang).to_string()).unwrap_or_default();
                    t.add_row(vec![p.name.clone(), p.shape.clone(), required, text]);
                }
                outln!(io, "{t}");
            }
        }
    }
    Ok(EXIT_OK)
}

/// `konform diff MODEL@A MODEL@B`: the model's own changes, and each user's.
pub fn diff(
    io: &mut Console<'_>,
    catalogue: &Catalogue,
    (old, new): (&InfoModel, &InfoModel),
    args: &DiffArgs,
    renderer: &Renderer,
) -> Outcome {
    let options = LoadOptions {
        allow_remote_refs: args.allow_remote_refs,
        boundary: Some(crate::source::Boundary::catalogue(&catalogue.root)),
        redirect: vec![(old.schemas_path(), new.schemas_path())],
        ..LoadOptions::default()
    };
    let mut affected = Vec::new();
    for spec in infomodel::users(catalogue, old) {
        let Some(api) = &spec.api else { continue };
        let moved = match ApiDoc::load(&api.docs[0].file.path, &options) {
            Ok(moved) => moved,
            Err(diags) => {
                super::print_diags(io, renderer, &diags, Some(20));
                errln!(io, "error: {} cannot be read with {}", spec.key(), new.key());
                return Err(Failure::Diagnosed);
            }
        };
        affected.extend(model_diff::adopting(spec, old, new, &moved, &catalogue.root));
    }
    let result = ModelDiff {
        old: old.key(),
        new: new.key(),
        model_changes: model_diff::concepts(old, new),
        affected,
        already: infomodel::users(catalogue, new).iter().map(|s| s.key()).collect(),
    };
    let written = match args.format {
        DiffFormat::Human => model_diff::human(&result, args.lang, super::wrap_width(), &mut io.out),
        DiffFormat::Json => model_diff::json(&result, &mut io.out),
        DiffFormat::Markdown => model_diff::markdown(&result, args.lang, &mut io.out),
    };
    written.map_err(|e| Failure::writing("the diff", &e))?;
    let failed = match args.fail_on {
        Some(DiffFailOn::Breaking) => result.breaking(),
        Some(DiffFailOn::MustChange) => result.must_change(),
        None => false,
    };
    Ok(if failed { EXIT_FAILED } else { EXIT_OK })
}
