//! Languages, text in both of them, and requirement levels: what every stage that shows
//! something to a person shares.

use std::fmt;

use serde::{Deserialize, Serialize};

/// Text in Swedish and English. Both are required: reports come in either language.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Localized {
    pub sv: String,
    pub en: String,
}

impl Localized {
    pub fn get(&self, lang: Lang) -> &str {
        match lang {
            Lang::Sv => &self.sv,
            Lang::En => &self.en,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    Sv,
    #[default]
    En,
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
