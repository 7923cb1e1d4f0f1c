//! What `konform register` and the register's site say: the words, as data; their text is
//! in `en.rs` and `sv.rs` (`register`), like every other message.

use super::text::Broken;

/// The command that checks a report, named the same way in every language.
pub const VERIFY: &str = "konform verify";

/// A text of the register: its commands' lines and its site's headings and labels.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reg {
    // The standing of a product for a specification version (pages and badges).
    StatusCertified,
    StatusNotCertified,
    StatusExpired,
    StatusRetired,
    StatusRevoked,

    // The site.
    /// The register's name when its `register.toml` gives none.
    DefaultTitle,
    /// Validity (expiry, sunsets) was judged on this day (YYYY-MM-DD).
    AsOf {
        date: String,
    },
    /// What the index shows, and what a row means.
    Intro,
    /// The register holds no reports.
    Empty,
    Products,
    Specification,
    Status,
    LatestRun,
    ValidUntil,
    Issuer,
    SigningKey,
    /// The heading of the trusted keys, and what they are.
    TrustedKeys,
    TrustedKeysIntro,
    KeyName,
    /// The heading of a product's page: `product` from `vendor` (either may be "").
    ProductHeading {
        product: String,
        vendor: String,
    },
    /// A vendor or product the report does not state.
    NotStated,
    Standing,
    History,
    HistoryIntro,
    Date,
    Verdict,
    ProductVersion,
    Report,
    /// The requirements whose verdict changed since the previous run of that version.
    Changes,
    FirstRun,
    NoChange,
    /// A requirement absent from one of two runs.
    Absent,
    Badge,
    /// How to show a badge: the files beside it.
    BadgeFiles,
    /// A report was revoked on `date` (YYYY-MM-DD) because of `reason`.
    RevokedBecause {
        date: String,
        reason: String,
    },
    /// The link back to the index.
    BackToIndex,
    /// The link to the same page in the other language (written in that language).
    OtherLanguage,
    /// The page's foot: registry.json for machines, and the tool.
    Footer {
        version: String,
    },
    /// A calendar day (YYYY-MM-DD) as a person reads it.
    Day {
        date: String,
    },

    // The commands.
    Initialised {
        dir: String,
    },
    Trusted {
        name: String,
        sha256: String,
    },
    Added {
        file: String,
        id: String,
        vendor: String,
        product: String,
        key: String,
    },
    AlreadyThere {
        file: String,
        id: String,
    },
    Refused {
        file: String,
        why: Refusal,
    },
    Revoked {
        id: String,
        date: String,
    },
    Built {
        dir: String,
        products: usize,
        reports: usize,
    },
}

/// Why `register add` refused a report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    Unsigned,
    /// Its signature does not hold.
    Altered(Broken),
    /// Signed by a key the register does not trust (its SHA-256).
    UntrustedKey {
        sha256: String,
    },
    /// Made with other catalogue files than the local catalogue's: `specs` as `id@version`.
    CatalogueDiffers {
        specs: Vec<String>,
        catalogue: String,
    },
    /// A report without an id (format 1.x) cannot be cited.
    NoId,
    /// Another report with the same id is already in the register.
    IdTaken {
        id: String,
    },
}
