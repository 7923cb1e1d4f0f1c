//! konform: certifies vendors' APIs against a catalogue of API specifications.
//!
//! The pipeline reads in one direction:
//! `catalogue` (specifications, OpenAPI) -> `suite` (scenarios) -> `check` (static checks)
//! -> run stages. `app` wires the commands; `cli` holds the argument types only.

// Diagnostics are returned by value on the cold error path; boxing them buys nothing.
#![allow(clippy::result_large_err)]

pub mod aggregate;
pub mod app;
pub mod arazzo;
pub mod catalogue;
pub mod check;
pub mod cli;
pub mod cpu;
pub mod declared;
pub mod diag;
pub mod diff;
pub mod error;
pub mod exec;
pub mod export;
pub mod fleet;
pub mod generate;
pub mod judge;
pub mod lint;
pub mod merge;
pub mod messages;
pub mod mock;
pub mod model;
pub mod net;
pub mod plan;
pub mod redact;
pub mod reference;
pub mod register;
pub mod report;
pub mod scaffold;
pub mod serve;
pub mod shard;
pub mod since;
pub mod source;
pub mod spool;
pub mod suite;
pub mod synth;
pub mod target;
pub mod typed;
