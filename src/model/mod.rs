//! The run's vocabulary: results, checks, verdicts, fingerprints, levels, languages, media
//! types, status keys, and the handle to steps stored outside memory. Plain data that
//! every stage may use; it uses no stage.

pub mod date;
pub mod event;
pub mod media;
pub mod pointer;
pub mod provenance;
pub mod run;
pub mod scenarios;
pub mod since;
pub mod status;
pub mod steps;
pub mod text;

pub use crate::messages::{Lang, Level, Localized};
pub use date::Date;
pub use event::{FinishedGenerated, FinishedProbe, FinishedScenario, Observation, RunEvent};
pub use media::{charset_of, is_json_media, is_problem_media, media_type_of};
pub use provenance::{CatalogueIdentity, GeneratedRecord, PassiveRecord, PlanRecord, ShardRecord};
pub use run::*;
pub use scenarios::Scenarios;
pub use since::{Since, SinceClass, SinceRequirement, SinceSpec, Todo};
pub use status::StatusKey;
pub use steps::{
    Body, Check, CheckKind, Exchange, Place, StepResult, StepStore, Steps, StoredSteps, Tally, Timings, Verdict,
};
pub use text::{printable, shorten, show};
