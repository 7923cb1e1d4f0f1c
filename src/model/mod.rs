//! The run's vocabulary: results, checks, verdicts, fingerprints, levels, languages, media
//! types, status keys. Plain data that every stage may use; it uses no stage (one exception is left, the
//! spooled steps of `ScenarioResult`, until the spool moves behind a handle).

pub mod lang;
pub mod media;
pub mod run;
pub mod status;
pub mod text;

pub use lang::{Lang, Level, Localized};
pub use media::{is_json_media, media_type_of};
pub use run::*;
pub use status::StatusKey;
pub use text::{shorten, show};
