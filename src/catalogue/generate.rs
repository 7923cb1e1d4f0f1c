//! A specification's `generate:` section: which checks generated from its OpenAPI
//! description count for it (and at which level), and which methods generated requests may
//! use. The generated checks themselves are `generate` (what to send), `judge::generated`
//! (what the answer means) and `exec::generated` (sending, shrinking).

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::model::{Level, Localized};

/// A kind of generated check; each is one requirement of a specification (`GEN-…`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum GenCheck {
    /// Inputs that break the schema in one way each are refused with a documented 4xx.
    NegativeData,
    /// Inputs valid by construction get no 5xx and no undocumented status.
    PositiveData,
    /// Secured operations refuse a request without credentials, and one with invalid ones.
    Auth,
    /// A method a path does not document is refused (405 with `Allow`, 404 or 501).
    Methods,
    /// A request without a required header is refused with a documented 4xx.
    MissingHeaders,
}

impl GenCheck {
    pub const ALL: [GenCheck; 5] =
        [GenCheck::NegativeData, GenCheck::PositiveData, GenCheck::Auth, GenCheck::Methods, GenCheck::MissingHeaders];

    /// The check's name, as `--generate` and the `generate:` section spell it.
    pub fn name(self) -> &'static str {
        match self {
            GenCheck::NegativeData => "negative-data",
            GenCheck::PositiveData => "positive-data",
            GenCheck::Auth => "auth",
            GenCheck::Methods => "methods",
            GenCheck::MissingHeaders => "missing-headers",
        }
    }

    /// The id of the requirement it is reported under, in every specification.
    pub fn requirement(self) -> &'static str {
        match self {
            GenCheck::NegativeData => "GEN-NEGATIVE-DATA",
            GenCheck::PositiveData => "GEN-POSITIVE-DATA",
            GenCheck::Auth => "GEN-AUTH",
            GenCheck::Methods => "GEN-METHODS",
            GenCheck::MissingHeaders => "GEN-MISSING-HEADERS",
        }
    }

    /// The requirement's title and text, in both languages.
    pub fn words(self) -> (Localized, Localized) {
        let l = |sv: &str, en: &str| Localized { sv: sv.into(), en: en.into() };
        match self {
            GenCheck::NegativeData => (
                l("Ogiltiga indata avvisas", "Invalid input is refused"),
                l(
                    "En begäran vars parametrar eller kropp bryter mot beskrivningens schema på ett sätt \
                     avvisas med en dokumenterad 4xx-kod, aldrig 2xx och aldrig 5xx.",
                    "A request whose parameters or body break the description's schema in one way is \
                     refused with a documented 4xx code, never 2xx and never 5xx.",
                ),
            ),
            GenCheck::PositiveData => (
                l("Giltiga indata besvaras som dokumenterat", "Valid input is answered as documented"),
                l(
                    "En begäran som är giltig enligt beskrivningens scheman får ingen 5xx-kod och ingen \
                     odokumenterad statuskod.",
                    "A request valid against the description's schemas gets no 5xx code and no \
                     undocumented status.",
                ),
            ),
            GenCheck::Auth => (
                l("Skyddade operationer kräver giltiga uppgifter", "Secured operations require valid credentials"),
                l(
                    "En operation som beskrivningen skyddar avvisar en begäran utan inloggningsuppgifter \
                     och en med ogiltiga med 401 eller 403, som dokumenterat.",
                    "An operation the description secures refuses a request without credentials, and one \
                     with invalid credentials, with 401 or 403 as documented.",
                ),
            ),
            GenCheck::Methods => (
                l("Odokumenterade metoder avvisas", "Undocumented methods are refused"),
                l(
                    "En metod som en sökväg inte dokumenterar besvaras med 405 och Allow, eller 404 eller 501.",
                    "A method a path does not document is answered 405 with Allow, or 404 or 501.",
                ),
            ),
            GenCheck::MissingHeaders => (
                l("Saknade obligatoriska huvuden avvisas", "Missing required headers are refused"),
                l(
                    "En begäran utan ett obligatoriskt huvud avvisas med en dokumenterad 4xx-kod.",
                    "A request without a required header is refused with a documented 4xx code.",
                ),
            ),
        }
    }
}

impl fmt::Display for GenCheck {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for GenCheck {
    type Err = String;
    fn from_str(s: &str) -> Result<GenCheck, String> {
        GenCheck::ALL.iter().copied().find(|c| c.name() == s).ok_or_else(|| {
            let names: Vec<&str> = GenCheck::ALL.iter().map(|c| c.name()).collect();
            let hint = crate::diag::did_you_mean_aside(s, names.iter().copied().chain(["all"]));
            format!("unknown generated check `{s}`{hint}: one of {}, or `all`", names.join(", "))
        })
    }
}

/// Which methods generated requests may use (`writes:`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Writes {
    /// Only GET (the default): nothing generated can change the vendor's data, even when
    /// the vendor wrongly accepts what it should refuse.
    #[default]
    None,
    /// Also POST, PUT and PATCH, and undocumented DELETE, but only in requests a conforming
    /// vendor refuses (invalid input, no or invalid credentials, a missing header, an
    /// undocumented method): a vendor that accepts them may have changed its data.
    Refused,
    /// Every method, valid input included (positive data creates and changes resources,
    /// and documented DELETE operations are called): for test environments only.
    All,
}

impl Writes {
    /// The value as `writes:` spells it.
    pub fn name(self) -> &'static str {
        match self {
            Writes::None => "none",
            Writes::Refused => "refused",
            Writes::All => "all",
        }
    }
}

/// `generate:` in `spec.yaml`.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct GenerateMeta {
    /// The generated checks that count for this specification: each is a requirement at
    /// `level`, `not_tested` in a run that does not generate it.
    #[serde(default)]
    pub checks: Vec<GenCheck>,
    #[serde(default = "must")]
    pub level: Level,
    #[serde(default)]
    pub writes: Writes,
    /// Operations (`operationId`) nothing is generated for, or `CHECK/operationId` for one
    /// check only (e.g. `negative-data/withdrawCase`).
    #[serde(default)]
    pub exclude: Vec<String>,
}

/// One entry of `generate.exclude`: the check it is limited to (`None`: every check) and
/// the operation. An entry whose part before `/` is no check's name is an operationId.
pub fn exclusion(entry: &str) -> (Option<GenCheck>, &str) {
    match entry.split_once('/') {
        Some((check, op)) => match check.parse() {
            Ok(check) => (Some(check), op),
            Err(_) => (None, entry),
        },
        None => (None, entry),
    }
}

fn must() -> Level {
    Level::Must
}

impl GenerateMeta {
    /// Whether the section leaves `operation` out of `check` (`None`: out of every check).
    pub fn excludes(&self, check: Option<GenCheck>, operation: &str) -> bool {
        self.exclude.iter().map(|e| exclusion(e)).any(|(c, op)| op == operation && (c.is_none() || c == check))
    }

    /// The level of a generated check's requirement for this specification: the section's
    /// level for the checks it lists, `may` (reported, never deciding) for the others.
    pub fn level_of(meta: Option<&GenerateMeta>, check: GenCheck) -> Level {
        match meta {
            Some(m) if m.checks.contains(&check) => m.level,
            _ => Level::May,
        }
    }
}
