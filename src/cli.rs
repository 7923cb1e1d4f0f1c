//! Command-line arguments. Plain clap types; `app` turns them into work.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

/// Certifies vendors' APIs against a national catalogue of API specifications.
///
/// konform loads catalogue specifications (an OpenAPI document, numbered requirements and
/// scenario suites), replays the scenarios against a vendor's API, checks every response
/// against the scenario and the OpenAPI document, and reports a verdict per requirement.
#[derive(Debug, Parser)]
#[command(name = "konform", version, propagate_version = true, max_term_width = 100)]
#[command(after_help = "Exit codes: 0 certified / clean, 1 a requirement that counts failed, \
2 invalid input (nothing was sent), 3 the run could not complete.")]
pub struct Cli {
    /// When to use colour: auto (a terminal, and NO_COLOR unset), always or never.
    #[arg(long, global = true, value_enum, default_value_t = ColorChoice::Auto, value_name = "WHEN")]
    pub color: ColorChoice,

    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Check a catalogue (or one OpenAPI document) without sending anything.
    ///
    /// On a catalogue folder: every document parses, `$ref`s resolve, every step names an
    /// existing operation with valid parameters, fixtures exist and fit the request schema,
    /// no variable is used before it is captured, and every requirement is covered.
    /// On an OpenAPI file: it parses, its references resolve and every schema compiles.
    Check(CheckArgs),

    /// Browse the catalogue.
    #[command(subcommand)]
    Catalogue(CatalogueCommand),

    /// Print a shell completion script.
    Completions {
        /// The shell to complete for.
        shell: clap_complete::Shell,
    },

    /// Print the man page (roff) to standard output.
    Man,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// A catalogue folder, or a single OpenAPI document (YAML or JSON).
    #[arg(default_value = "conformance-suites", value_name = "PATH")]
    pub path: PathBuf,

    /// Allow `$ref`s to http(s) URLs to be fetched. Off by default: nothing is fetched silently.
    #[arg(long)]
    pub allow_remote_refs: bool,

    /// Output format for the findings.
    #[arg(long, value_enum, default_value_t = OutputFormat::Human)]
    pub format: OutputFormat,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum OutputFormat {
    /// Readable text (tables and diagnostics).
    Human,
    /// JSON on standard output.
    Json,
}

#[derive(Debug, Args)]
pub struct CatalogueArgs {
    /// The catalogue folder.
    #[arg(long, env = "KONFORM_CATALOGUE", default_value = "conformance-suites", value_name = "DIR")]
    pub catalogue: PathBuf,

    /// Output format.
    #[arg(long, value_enum, default_value_t = OutputFormat::Human)]
    pub format: OutputFormat,

    /// Language for titles and requirement texts.
    #[arg(long, value_enum, default_value_t = crate::catalogue::Lang::En)]
    pub lang: crate::catalogue::Lang,
}

#[derive(Debug, Subcommand)]
pub enum CatalogueCommand {
    /// List the specifications: id, version, status, requirements by level, coverage.
    List(CatalogueArgs),
    /// Show one specification's requirements and the scenarios covering each.
    Show {
        /// `id` (newest active version) or `id@version`.
        spec: String,
        #[command(flatten)]
        args: CatalogueArgs,
    },
}
