//! Languages, text in both of them, and requirement levels: what every stage that shows
//! something to a person shares.

use std::fmt;

use serde::{Deserialize, Serialize};

/// Text in Swedish and English. A catalogue text is required in exactly the languages its
/// catalogue (or specification) declares, Swedish and English unless it says otherwise
/// (checked when the catalogue loads, `catalogue::languages`); a language it lacks is empty
/// (and absent from reports), and is shown in the other language.
#[derive(Debug, Clone, Default, Deserialize, Serialize, PartialEq, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Localized {
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub sv: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub en: String,
}

impl Localized {
    /// The text in `lang`, or, when it has none in `lang`, in the other language.
    pub fn get(&self, lang: Lang) -> &str {
        let (asked, other) = match lang {
            Lang::Sv => (&self.sv, &self.en),
            Lang::En => (&self.en, &self.sv),
        };
        if asked.is_empty() {
            other
        } else {
            asked
        }
    }

    /// Whether it is written in `lang`.
    pub fn has(&self, lang: Lang) -> bool {
        !match lang {
            Lang::Sv => &self.sv,
            Lang::En => &self.en,
        }
        .trim()
        .is_empty()
    }
}

#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Default,
    Serialize,
    Deserialize,
    clap::ValueEnum,
    schemars::JsonSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    Sv,
    #[default]
    En,
}

impl Lang {
    pub const ALL: [Lang; 2] = [Lang::Sv, Lang::En];

    pub fn code(self) -> &'static str {
        match self {
            Lang::Sv => "sv",
            Lang::En => "en",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    Must,
    Should,
    May,
}

impl Level {
    /// The level as a person reads it: SKALL/BÖR/KAN or MUST/SHOULD/MAY.
    pub fn label(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (Level::Must, Lang::Sv) => "SKALL",
            (Level::Should, Lang::Sv) => "BÖR",
            (Level::May, Lang::Sv) => "KAN",
            (Level::Must, Lang::En) => "MUST",
            (Level::Should, Lang::En) => "SHOULD",
            (Level::May, Lang::En) => "MAY",
        }
    }
}

impl fmt::Display for Level {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Level::Must => "must",
            Level::Should => "should",
            Level::May => "may",
        })
    }
}
