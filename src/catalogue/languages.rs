//! The languages a catalogue's texts are written in: `languages:` in a spec.yaml, else in
//! catalogue.yaml, else Swedish and English. Every title and text of a specification (its
//! own, its requirements', its scenarios') must be written in each of them; one written in
//! another language as well is warned of. Reports in a language a specification is not
//! written in show its texts in the other and say so.

use crate::diag::Diag;
use crate::model::{Lang, Localized};
use std::sync::Arc;

use crate::source::SourceFile;

use super::Spec;

/// The languages of a specification: its own declaration, else its catalogue's, else both.
pub fn resolve(spec: Option<&[Lang]>, catalogue: Option<&[Lang]>) -> Vec<Lang> {
    let mut langs = spec.or(catalogue).filter(|l| !l.is_empty()).map(<[Lang]>::to_vec).unwrap_or(Lang::ALL.to_vec());
    langs.sort();
    langs.dedup();
    langs
}

/// A `languages:` list that names none is refused where it is written.
pub fn check_declared(file: &Arc<SourceFile>, declared: Option<&[Lang]>, diags: &mut Vec<Diag>) {
    if declared.is_some_and(<[Lang]>::is_empty) {
        diags.push(
            Diag::error("catalogue::languages", "`languages` names no language")
                .at(file, file.locate(&["/languages"]).value("/languages"))
                .help("name the languages the texts are written in: `[sv, en]`, `[sv]` or `[en]`"),
        );
    }
}

fn list(langs: &[Lang]) -> String {
    langs.iter().map(|l| l.code()).collect::<Vec<_>>().join(", ")
}

/// Every text of `spec` is written in exactly its languages (`spec.languages`).
pub fn check(spec: &Spec, diags: &mut Vec<Diag>) {
    let mut texts: Vec<(&Arc<SourceFile>, String, &Localized)> = Vec::new();
    texts.push((&spec.meta_file, "/title".into(), &spec.meta.title));
    if let Some(d) = &spec.meta.description {
        texts.push((&spec.meta_file, "/description".into(), d));
    }
    if let Some(file) = &spec.requirements_file {
        for (i, r) in spec.requirements.iter().enumerate() {
            texts.push((file, format!("/requirements/{i}/title"), &r.title));
            texts.push((file, format!("/requirements/{i}/text"), &r.text));
        }
    }
    for suite in &spec.suites {
        for sc in suite.all_scenarios() {
            texts.push((&suite.file, format!("{}/title", sc.pointer), &sc.title));
            if let Some(d) = &sc.description {
                texts.push((&suite.file, format!("{}/description", sc.pointer), d));
            }
        }
    }
    let langs = &spec.languages;
    for (file, pointer, text) in texts {
        let field = pointer.rsplit('/').next().unwrap_or_default();
        for lang in Lang::ALL {
            let declared = langs.contains(&lang);
            if declared == text.has(lang) {
                continue;
            }
            let at = || file.locate(&[pointer.as_str()]).value(&pointer);
            let code = lang.code();
            diags.push(if declared {
                Diag::error(
                    "catalogue::languages",
                    format!("this `{field}` has no `{code}` text, and {} is written in {}", spec.key(), list(langs)),
                )
                .at(file, at())
                .label(format!("no `{code}`"))
                .help(format!(
                    "write it in every language of the specification, or declare the languages it is written in with \
                     `languages:` in its spec.yaml or in catalogue.yaml (now {})",
                    list(langs)
                ))
            } else {
                Diag::warning(
                    "catalogue::language-undeclared",
                    format!(
                        "this `{field}` has a `{code}` text, but {} is written in {} only: reports show it, checks do not ask for it",
                        spec.key(),
                        list(langs)
                    ),
                )
                .at(file, at())
                .help(format!("add `{code}` to `languages:` when the specification is written in it"))
            });
        }
    }
}
