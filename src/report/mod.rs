//! The renderers of the run model (`crate::model`). Renderers write to any `Write`; files are written to a
//! temporary name and renamed into place.

pub mod certificate;
pub mod failures;
pub mod html;
pub mod junit;
pub mod markdown;
pub mod read;
pub mod render;
pub mod sign;
pub mod since;
pub mod stable;
pub mod terminal;
pub mod write;

/// A note for a specification whose titles and texts are not written in `lang` (they are
/// shown in the language they are written in).
pub fn language_note(spec: &crate::model::SpecResult, lang: crate::model::Lang) -> Option<&'static str> {
    let written = spec.languages.as_ref()?;
    (!written.contains(&lang)).then(|| crate::messages::Text::TextsInOtherLanguage.get(lang))
}

/// What follows a shared setup or teardown scenario's id where scenarios are listed
/// (" (shared setup)"); empty for a scenario that tests requirements.
pub fn role_note(role: Option<crate::model::ScenarioRole>, lang: crate::model::Lang) -> &'static str {
    use crate::messages::Text;
    match role {
        None => "",
        Some(crate::model::ScenarioRole::Setup) => Text::SharedSetup.get(lang),
        Some(crate::model::ScenarioRole::Teardown) => Text::SharedTeardown.get(lang),
    }
}
