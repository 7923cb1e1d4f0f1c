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
#[command(long_version = concat!(
    env!("CARGO_PKG_VERSION"),
    "\ncatalogue ",
    env!("KONFORM_CATALOGUE_VERSION"),
    " (built in), fingerprint ",
    env!("KONFORM_CATALOGUE_FINGERPRINT"),
))]
#[command(after_help = "Exit codes: 0 certified / clean, 1 a requirement that counts failed, \
2 invalid input (nothing was sent), 3 the run could not complete, 4 the preflight found the \
tester's configuration at fault (the vendor was not judged).")]
pub struct Cli {
    /// When to use colour: auto (on a terminal; CLICOLOR_FORCE forces it, NO_COLOR turns it
    /// off), always (piped too) or never.
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

impl ColorChoice {
    /// Whether to colour, by the conventions of <https://no-color.org> and
    /// <https://bixense.com/clicolors>: `--color always`/`never` decide; otherwise
    /// `CLICOLOR_FORCE` (set, not `0`) turns colour on, `NO_COLOR` (set, not empty) or
    /// `CLICOLOR=0` off, and else it is on when standard error is a terminal.
    pub fn resolve(self, var: impl Fn(&str) -> Option<std::ffi::OsString>, terminal: bool) -> bool {
        let set = |name: &str, off: &str| var(name).is_some_and(|v| !v.is_empty() && v != off);
        match self {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto if set("CLICOLOR_FORCE", "0") => true,
            ColorChoice::Auto if set("NO_COLOR", "") => false,
            ColorChoice::Auto if var("CLICOLOR").is_some_and(|v| v == "0") => false,
            ColorChoice::Auto => terminal,
        }
    }
}

#[cfg(test)]
mod color_tests {
    use super::ColorChoice;
    use std::ffi::OsString;

    fn resolve(choice: ColorChoice, vars: &[(&str, &str)], terminal: bool) -> bool {
        choice.resolve(|n| vars.iter().find(|(k, _)| *k == n).map(|(_, v)| OsString::from(v)), terminal)
    }

    #[test]
    fn flags_decide_then_the_conventional_variables_then_the_terminal() {
        assert!(resolve(ColorChoice::Always, &[("NO_COLOR", "1")], false));
        assert!(!resolve(ColorChoice::Never, &[("CLICOLOR_FORCE", "1")], true));
        assert!(resolve(ColorChoice::Auto, &[], true));
        assert!(!resolve(ColorChoice::Auto, &[], false));
        assert!(resolve(ColorChoice::Auto, &[("CLICOLOR_FORCE", "1")], false));
        assert!(!resolve(ColorChoice::Auto, &[("CLICOLOR_FORCE", "0")], false));
        assert!(resolve(ColorChoice::Auto, &[("CLICOLOR_FORCE", "1"), ("NO_COLOR", "1")], false));
        assert!(!resolve(ColorChoice::Auto, &[("NO_COLOR", "1")], true));
        assert!(resolve(ColorChoice::Auto, &[("NO_COLOR", "")], true), "an empty NO_COLOR is not set");
        assert!(!resolve(ColorChoice::Auto, &[("CLICOLOR", "0")], true));
    }
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

    /// Write a specification's scenarios in another format (Arazzo 1.0.1).
    #[command(subcommand)]
    Export(ExportCommand),

    /// Read scenarios written in another format (Arazzo 1.0.x) into a suite.
    #[command(subcommand)]
    Import(ImportCommand),

    /// Replay the suites of specifications against a vendor's live API.
    ///
    /// Every response is judged against the scenario's expectations and against the OpenAPI
    /// document. Exit 0 when every selected specification is certified, 1 when a
    /// requirement that counts failed, 2 for invalid input (nothing is sent), 3 when the run
    /// could not complete, 4 when the preflight found the tester's configuration at fault
    /// (credentials, base URL, TLS trust, an unreachable target: the vendor is not judged).
    Run(Box<RunArgs>),

    /// Start the built-in reference vendor and run the catalogue against it (every version in
    /// force today of every specification, unless named).
    Demo(Box<DemoArgs>),

    /// Serve a built-in vendor.
    #[command(subcommand)]
    Serve(ServeCommand),

    /// Render a JSON report in another format (json, junit, html, markdown, text, a
    /// reconciliation sheet as CSV or xlsx), or merge
    /// the reports of a plan's shards (`konform report merge`).
    #[command(args_conflicts_with_subcommands = true, subcommand_negates_reqs = true)]
    Report {
        #[command(subcommand)]
        action: Option<ReportCommand>,
        /// A report written with `--report json=PATH`.
        #[arg(required_unless_present = "schema")]
        report: Option<PathBuf>,
        /// Print the JSON Schema of the JSON report instead.
        #[arg(long, conflicts_with = "report")]
        schema: bool,
        /// The format to write.
        #[arg(long, value_enum, default_value = "json")]
        format: crate::report::render::Format,
        /// Where to write it (default: standard output).
        #[arg(long, short = 'o', value_name = "PATH")]
        output: Option<PathBuf>,
        /// Language of what a person reads.
        #[arg(long, value_enum, default_value_t = crate::model::Lang::En)]
        lang: crate::model::Lang,
        /// Replace timestamps, durations, generated ids and the target's host:port by
        /// placeholders, so two runs can be compared.
        #[arg(long)]
        normalize: bool,
        /// The public key (PEM) the report should be signed with: the page says whether it was.
        #[arg(long, value_name = "PEM")]
        public_key: Option<PathBuf>,
        /// The field separator of `reconciliation-csv` (`semicolon` suits Excel in Swedish settings).
        #[arg(long, value_enum, default_value_t = crate::export::Delimiter::Semicolon)]
        delimiter: crate::export::Delimiter,
    },

    /// Sign attestations: statements that people verified requirements no machine can test.
    #[command(subcommand)]
    Attest(AttestCommand),

    /// Write a new Ed25519 key pair for signing reports.
    Keygen {
        /// The private key file (PKCS#8 PEM, created with mode 0600).
        #[arg(long, default_value = "konform.key", value_name = "PATH")]
        private: PathBuf,
        /// The public key file (PEM), to hand to whoever verifies reports.
        #[arg(long, default_value = "konform.pub", value_name = "PATH")]
        public: PathBuf,
    },

    /// Check a report: its signature, and its fingerprints against the local catalogue.
    Verify {
        /// A JSON report.
        report: PathBuf,
        /// The public key the report must be signed with.
        #[arg(long, value_name = "PEM")]
        public_key: Option<PathBuf>,
        /// The catalogue to compare fingerprints with [default: ./conformance-suites if there
        /// is one, else the catalogue built into konform].
        #[arg(long, env = "KONFORM_CATALOGUE", value_name = "DIR")]
        catalogue: Option<PathBuf>,
        /// Fail an unsigned report.
        #[arg(long)]
        require_signature: bool,
        /// Say whether the certificate holds on this day (YYYY-MM-DD) rather than now: not
        /// after its validity ends, nor once a version it certifies is past its sunset.
        #[arg(long, value_name = "DATE")]
        at: Option<crate::model::Date>,
        /// Language of the verdict.
        #[arg(long, value_enum, default_value_t = crate::model::Lang::En)]
        lang: crate::model::Lang,
        /// `human` (for a person) or `json` (for machines: every check and its result).
        #[arg(long, value_enum, default_value_t = OutputFormat::Human)]
        format: OutputFormat,
    },

    /// Check an OpenAPI document against the Swedish REST API profile (DIGG's rules).
    ///
    /// Exit 1 when a rule at `--fail-severity` or above is violated (by default: a SKALL
    /// rule; BÖR violations are reported but do not fail), 0 otherwise, 2 when the document
    /// or the settings cannot be read, 3 when the output cannot be written.
    Lint(LintArgs),

    /// Serve a mock of an OpenAPI document (or a catalogue specification) for a vendor to
    /// develop against: requests are validated (invalid ones get 400 problem+json), answers
    /// use the document's examples or values generated from its schemas.
    Mock {
        /// An OpenAPI file, or a specification of the catalogue (`id` or `id@version`).
        target: String,
        /// Port to listen on; 0 picks a free one.
        #[arg(long, default_value_t = 0)]
        port: u16,
        /// Address to listen on.
        #[arg(long, default_value = "127.0.0.1")]
        host: std::net::IpAddr,
        /// The catalogue, when TARGET names a specification [default: ./conformance-suites if
        /// there is one, else the catalogue built into konform].
        #[arg(long, env = "KONFORM_CATALOGUE", value_name = "DIR")]
        catalogue: Option<PathBuf>,
        /// Serve the operations under this path [default: the path of the document's first
        /// server URL, with its variables at their defaults; `/` for none].
        #[arg(long, value_name = "PATH")]
        base_path: Option<String>,
        /// Accept requests without credentials on operations the document secures
        /// (otherwise they get 401).
        #[arg(long, conflicts_with = "token")]
        no_auth: bool,
        /// Accept only this bearer token, API key or basic password on secured operations
        /// [default: any credential of the documented kind].
        #[arg(long, env = "KONFORM_MOCK_TOKEN", value_name = "TOKEN", hide_env_values = true)]
        token: Option<String>,
        /// Remember what POST creates: read it back, list, update and delete it (in memory;
        /// docs/mock.md says what is related to what).
        #[arg(long)]
        stateful: bool,
        /// The seed of the generated values (the same seed, the same answers).
        #[arg(long, default_value_t = 0)]
        seed: u64,
    },

    /// Write a new specification folder from an OpenAPI document: a draft to edit.
    ///
    /// spec.yaml (status draft), the document copied in, requirements.yaml (one per
    /// operation and class of documented response, in Swedish and English), scenarios and
    /// fixtures that `konform check` accepts and a conforming API (`konform mock` of the
    /// same document) passes. A starting point an author reviews and rewrites, never a
    /// finished suite: every generated file says so. Exit 2 when the document cannot be
    /// read, the id is not valid or the folder is not empty.
    Scaffold {
        /// The OpenAPI document (3.0 or 3.1, YAML or JSON).
        openapi: PathBuf,
        /// The specification's id: lowercase letters and digits, words joined by dashes.
        #[arg(long)]
        id: String,
        /// Its version [default: the document's info.version as MAJOR.MINOR.PATCH, else 1.0.0].
        #[arg(long, value_name = "VERSION")]
        spec_version: Option<semver::Version>,
        /// The folder to write; it must not exist or be empty [default: ./ID/VERSION].
        #[arg(long, value_name = "DIR")]
        out: Option<PathBuf>,
        /// Fetch `$ref`s to http(s) URLs in the document.
        #[arg(long)]
        allow_remote_refs: bool,
        /// The languages the specification's texts are written in: `sv,en`, `sv` or `en`
        /// [default: the catalogue's, from the catalogue.yaml of the folder it goes in, else
        /// sv,en].
        #[arg(long, value_enum, value_delimiter = ',')]
        languages: Option<Vec<crate::model::Lang>>,
        /// Language of what a person reads.
        #[arg(long, value_enum, default_value_t = crate::model::Lang::En)]
        lang: crate::model::Lang,
    },

    /// What changed between two versions, classified for the vendor (the API's provider).
    ///
    /// Compare two specification versions of the catalogue (`case-intake@1.0.0
    /// case-intake@1.1.0`: requirements, scenarios and the OpenAPI document) or two OpenAPI
    /// files (3.0 or 3.1, also one of each). Each change is `must-change`, `should-change`
    /// or `no-action` for the vendor, and says whether it breaks clients. Exit 0, or 1 with
    /// `--fail-on` when a change of that kind is found; 2 when a version or file cannot be
    /// read.
    Diff(DiffArgs),

    /// Keep a register of signed results and publish it as a static site with badges.
    ///
    /// `init` makes a register folder, `trust` adds a signing key it accepts, `add` takes in
    /// signed reports (exit 1 when one is refused), `revoke` marks a report revoked, `build`
    /// writes the site. See docs/register.md.
    #[command(subcommand)]
    Register(RegisterCommand),

    /// Print a shell completion script.
    Completions {
        /// The shell to complete for.
        shell: clap_complete::Shell,
    },

    /// Print the man page (roff) to standard output, or write one for every command.
    ///
    /// With --dir: konform.1 and a page for each subcommand (konform-run.1,
    /// konform-catalogue-list.1, ...), the folder made if needed; `man -l DIR/konform-run.1`
    /// reads one, and installing them in a MANPATH folder's man1/ makes `man konform-run` work.
    Man {
        /// Write every page into this folder instead.
        #[arg(long, value_name = "DIR")]
        dir: Option<PathBuf>,
    },
}

#[derive(Debug, Subcommand)]
pub enum ReportCommand {
    /// Merge the JSON reports of a plan's shards (`run`/`demo` with `--shard K/N`) into the
    /// report of the whole run: the verdict rules applied to all their scenarios together.
    ///
    /// Refused (exit 2, naming the file) when the shards come from different catalogues,
    /// targets or plans, when one is given twice or one is missing. Exit 0 when the merged
    /// report is certified, 1 when not.
    Merge(Box<MergeArgs>),
}

#[derive(Debug, Args)]
pub struct MergeArgs {
    /// The shards' JSON reports, one per shard.
    #[arg(required = true, value_name = "SHARD.json")]
    pub shards: Vec<PathBuf>,

    /// Where to write the merged JSON report.
    #[arg(long, short = 'o', value_name = "PATH")]
    pub output: PathBuf,

    /// Merge even when some shards are missing: the merged report is then partial (never
    /// certified).
    #[arg(long)]
    pub allow_missing: bool,

    /// The catalogue the shards were made with [default: ./conformance-suites if there is
    /// one, else the catalogue built into konform].
    #[arg(long, env = "KONFORM_CATALOGUE", value_name = "DIR")]
    pub catalogue: Option<PathBuf>,

    /// Sign the merged report with this Ed25519 private key (from `konform keygen`).
    #[arg(long, value_name = "KEY")]
    pub sign_key: Option<PathBuf>,

    /// Who issues the merged report [default: the shards' issuer, when they agree].
    #[arg(long, value_name = "NAME")]
    pub issuer: Option<String>,

    /// Language of what a person reads.
    #[arg(long, value_enum, default_value_t = crate::model::Lang::En)]
    pub lang: crate::model::Lang,

    /// Waivers, attestations and the conformance statement apply to the merged report as
    /// to a run's (those the shards were given are not carried over).
    #[command(flatten)]
    pub declared: DeclaredArgs,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// A catalogue folder, or a single OpenAPI document (YAML or JSON) [default:
    /// ./conformance-suites if there is one, else the catalogue built into konform].
    #[arg(value_name = "PATH")]
    pub path: Option<PathBuf>,

    /// Allow `$ref`s to http(s) URLs to be fetched. Off by default: nothing is fetched silently.
    #[arg(long)]
    pub allow_remote_refs: bool,

    /// Output format for the findings.
    #[arg(long, value_enum, default_value_t = OutputFormat::Human)]
    pub format: OutputFormat,
}

#[derive(Debug, Args)]
pub struct DiffArgs {
    /// The old version: `id@version` (or `id`: its newest active version) or an OpenAPI file.
    #[arg(value_name = "OLD")]
    pub old: String,

    /// The new version: `id@version` (or `id`) or an OpenAPI file.
    #[arg(value_name = "NEW")]
    pub new: String,

    /// The catalogue folder, when a version names a specification (default: the
    /// `conformance-suites` folder here if there is one, else the catalogue built in).
    #[arg(long, env = "KONFORM_CATALOGUE", value_name = "DIR")]
    pub catalogue: Option<PathBuf>,

    /// Output format (`markdown`: a changelog a catalogue page can include).
    #[arg(long, value_enum, default_value_t = DiffFormat::Human)]
    pub format: DiffFormat,

    /// Exit 1 when some change breaks clients (`breaking`) or asks the vendor for work
    /// (`must-change`).
    #[arg(long, value_enum, value_name = "WHAT")]
    pub fail_on: Option<DiffFailOn>,

    /// Language of what a person reads.
    #[arg(long, value_enum, default_value_t = crate::model::Lang::En)]
    pub lang: crate::model::Lang,

    /// Allow `$ref`s to http(s) URLs to be fetched.
    #[arg(long)]
    pub allow_remote_refs: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DiffFormat {
    /// Readable text, grouped by class and operation.
    Human,
    /// JSON on standard output (docs/diff.md describes it).
    Json,
    /// A Markdown changelog.
    Markdown,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DiffFailOn {
    /// Some change breaks clients.
    Breaking,
    /// Some change is work the vendor must do.
    MustChange,
}

#[derive(Debug, Args)]
pub struct LintArgs {
    /// The OpenAPI document.
    #[arg(required_unless_present = "list_rules")]
    pub openapi: Option<PathBuf>,
    /// The profile to check against (the only one is `api-profile`).
    #[arg(long, default_value = "api-profile")]
    pub profile: String,
    /// Output format.
    #[arg(long, value_enum, default_value_t = LintFormat::Human)]
    pub format: LintFormat,
    /// Write the findings to this file instead of standard output (written whole, then
    /// moved into place).
    #[arg(short = 'o', long, value_name = "PATH")]
    pub output: Option<PathBuf>,
    /// The lowest level that fails the lint (exit 1): `error` (SKALL rules), `warning`
    /// (BÖR rules too) or `none` [default: error, or `fail_severity` in the settings file].
    #[arg(long, value_enum)]
    pub fail_severity: Option<FailSeverity>,
    /// A rule not to check, such as `DOK.06` (repeatable; added to the settings file's
    /// `ignore`).
    #[arg(long = "ignore", value_name = "RULE")]
    pub ignore: Vec<String>,
    /// The lint settings file [default: ./konform-lint.toml if there is one].
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Language of the output (rule descriptions, levels, summaries).
    #[arg(long, value_enum, default_value_t = crate::model::Lang::En)]
    pub lang: crate::model::Lang,
    /// Show each finding with the lines of the document around it (human format).
    #[arg(short, long)]
    pub verbose: bool,
    /// List the rules and exit.
    #[arg(long)]
    pub list_rules: bool,
    /// Allow `$ref`s to http(s) URLs to be fetched.
    #[arg(long)]
    pub allow_remote_refs: bool,
    /// The field separator of `reconciliation-csv` (`semicolon` suits Excel in Swedish settings).
    #[arg(long, value_enum, default_value_t = crate::export::Delimiter::Semicolon)]
    pub delimiter: crate::export::Delimiter,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LintFormat {
    /// One line per finding, grouped by rule, with a summary (`--verbose`: with snippets).
    Human,
    /// JSON on standard output.
    Json,
    /// JUnit XML: one test case per rule.
    Junit,
    /// SARIF 2.1.0, for code-scanning views.
    Sarif,
    /// GitHub Actions workflow commands: an annotation per finding.
    GithubActions,
    /// GitLab Code Quality JSON.
    Gitlab,
    /// A reconciliation sheet (CSV): per rule OK / EJ OK / N/A and where its findings are
    /// (docs/procurement.md).
    ReconciliationCsv,
    /// The reconciliation sheet as an Excel workbook (needs -o).
    ReconciliationXlsx,
}

/// The lowest level of finding that fails `konform lint`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum FailSeverity {
    /// A SKALL (must) rule is broken.
    Error,
    /// A SKALL or BÖR (should) rule is broken.
    Warning,
    /// Never: report only.
    None,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum PageFormat {
    /// A table for the terminal.
    Human,
    /// JSON on standard output.
    Json,
    /// A Markdown page.
    Markdown,
    /// A self-contained HTML page.
    Html,
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
    /// The catalogue folder [default: ./conformance-suites if there is one, else the
    /// catalogue built into konform].
    #[arg(long, env = "KONFORM_CATALOGUE", value_name = "DIR")]
    pub catalogue: Option<PathBuf>,

    /// Output format (`markdown` and `html` make a readable page; `html` for `show` only).
    #[arg(long, value_enum, default_value_t = PageFormat::Human)]
    pub format: PageFormat,

    /// Language for titles and requirement texts.
    #[arg(long, value_enum, default_value_t = crate::model::Lang::En)]
    pub lang: crate::model::Lang,

    /// Show the catalogue as it was (or will be) on this day (YYYY-MM-DD): only the versions
    /// in force then, each in the state its lifecycle dates give it.
    #[arg(long, value_name = "DATE")]
    pub at: Option<crate::model::Date>,
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
    /// Write the catalogue built into konform to a folder, for editing (then `--catalogue
    /// DIR` uses it).
    Export {
        /// The folder to write (created if need be; refused when not empty, unless --force).
        #[arg(value_name = "DIR")]
        dir: PathBuf,
        /// Write into a folder that is not empty: the catalogue's files replace those of the
        /// same name, other files stay.
        #[arg(long)]
        force: bool,
        /// Language of what a person reads.
        #[arg(long, value_enum, default_value_t = crate::model::Lang::En)]
        lang: crate::model::Lang,
    },
    /// Write a specification's requirements as a table for a tender's annex: id, level,
    /// title and text in Swedish and English, how each is verified (docs/procurement.md).
    ExportRequirements(ExportRequirementsArgs),
    /// Write a specification's OpenAPI description as one self-contained JSON document, the
    /// catalogue's information models taken in: for a vendor's own repository and tools.
    Bundle {
        /// `id` (newest active version) or `id@version`.
        spec: String,
        /// Where to write it (default: standard output).
        #[arg(long, short = 'o', value_name = "PATH")]
        output: Option<PathBuf>,
        /// The catalogue folder [default: ./conformance-suites if there is one, else the
        /// catalogue built into konform].
        #[arg(long, env = "KONFORM_CATALOGUE", value_name = "DIR")]
        catalogue: Option<PathBuf>,
        /// Language of konform's messages.
        #[arg(long, value_enum, default_value_t = crate::model::Lang::En)]
        lang: crate::model::Lang,
    },
}

#[derive(Debug, Args)]
pub struct ExportRequirementsArgs {
    /// `id` (newest active version) or `id@version`.
    pub spec: String,
    /// The catalogue folder [default: ./conformance-suites if there is one, else the
    /// catalogue built into konform].
    #[arg(long, env = "KONFORM_CATALOGUE", value_name = "DIR")]
    pub catalogue: Option<PathBuf>,
    /// `csv` (UTF-8 with a byte order mark, which Excel needs) or `xlsx` (needs -o).
    #[arg(long, value_enum, default_value_t = SheetFormat::Csv)]
    pub format: SheetFormat,
    /// Where to write it (default: standard output, for csv only).
    #[arg(long, short = 'o', value_name = "PATH")]
    pub output: Option<PathBuf>,
    /// The field separator of the CSV (`semicolon` suits Excel in Swedish settings).
    #[arg(long, value_enum, default_value_t = crate::export::Delimiter::Semicolon)]
    pub delimiter: crate::export::Delimiter,
    /// Language of konform's notes (the table itself has both languages).
    #[arg(long, value_enum, default_value_t = crate::model::Lang::En)]
    pub lang: crate::model::Lang,
}

/// The file format of an exported table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SheetFormat {
    /// Comma- (or semicolon-) separated values, UTF-8 with a byte order mark.
    Csv,
    /// An Excel workbook.
    Xlsx,
}

#[derive(Debug, Subcommand)]
pub enum ExportCommand {
    /// Write a specification's scenarios as an Arazzo 1.0.1 description: a workflow per
    /// scenario, konform-only concepts in `x-konform-*` extensions (docs/arazzo.md).
    Arazzo(ExportArazzoArgs),
}

#[derive(Debug, Args)]
pub struct ExportArazzoArgs {
    /// `id` (newest active version) or `id@version`.
    pub spec: String,

    /// The catalogue folder [default: ./conformance-suites if there is one, else the
    /// catalogue built into konform].
    #[arg(long, env = "KONFORM_CATALOGUE", value_name = "DIR")]
    pub catalogue: Option<PathBuf>,

    /// Write the description to this file instead of standard output.
    #[arg(long, short = 'o', value_name = "FILE")]
    pub out: Option<PathBuf>,

    /// YAML or JSON.
    #[arg(long, value_enum, default_value_t = ArazzoFormat::Yaml)]
    pub format: ArazzoFormat,

    /// Language of the summaries and descriptions (both languages are kept in extensions).
    #[arg(long, value_enum, default_value_t = crate::model::Lang::En)]
    pub lang: crate::model::Lang,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ArazzoFormat {
    Yaml,
    Json,
}

#[derive(Debug, Subcommand)]
pub enum ImportCommand {
    /// Write a konform suite (`scenarios/NAME.yaml`, and the fixtures it sends) from an
    /// Arazzo 1.0.x description, reporting each construct that could not be translated at
    /// its line (docs/arazzo.md).
    Arazzo(ImportArazzoArgs),
}

#[derive(Debug, Args)]
pub struct ImportArazzoArgs {
    /// The Arazzo description (YAML or JSON).
    pub file: PathBuf,

    /// The OpenAPI document whose operations the workflows' steps call.
    #[arg(long, value_name = "DOC")]
    pub openapi: PathBuf,

    /// The specification folder to write into (`scenarios/` and fixtures under it).
    #[arg(long, value_name = "DIR", default_value = ".")]
    pub out: PathBuf,

    /// Replace files that exist and differ.
    #[arg(long)]
    pub force: bool,

    /// Language of the closing line.
    #[arg(long, value_enum, default_value_t = crate::model::Lang::En)]
    pub lang: crate::model::Lang,
}

#[derive(Debug, Args, Clone)]
pub struct RunSettings {
    /// The catalogue folder [default: ./conformance-suites if there is one, else the
    /// catalogue built into konform].
    #[arg(long, env = "KONFORM_CATALOGUE", value_name = "DIR")]
    pub catalogue: Option<PathBuf>,

    /// Scenarios run at once (steps within a scenario always run in order).
    #[arg(long, short = 'j', value_name = "N", value_parser = parse_count)]
    pub jobs: Option<usize>,

    /// Per-request timeout, covering the whole response (e.g. 30s, 500ms).
    #[arg(long, value_name = "DURATION", value_parser = parse_positive_duration)]
    pub timeout: Option<std::time::Duration>,

    /// Stop the run after this long: steps not started are reported as skipped, requests
    /// still awaiting their answer are cut off (`error`).
    #[arg(long, value_name = "DURATION", value_parser = parse_duration)]
    pub deadline: Option<std::time::Duration>,

    /// At most N requests a second to the target (e.g. 5, or 0.5), however many scenarios
    /// run at once: retries, preflight and profile probes and OAuth2 token calls count too.
    #[arg(long, value_name = "N", value_parser = crate::target::parse_rate)]
    pub rate_limit: Option<f64>,

    /// Largest response body read (after decompression), e.g. 10MiB.
    #[arg(long, value_name = "SIZE", default_value = "10MiB", value_parser = parse_size)]
    pub max_body: usize,

    /// Bodies kept as evidence are cut at this size (the real size is noted).
    #[arg(long, value_name = "SIZE", default_value = "64KiB", value_parser = parse_size)]
    pub evidence_limit: usize,

    /// Retries after a connection failure, for idempotent requests only.
    #[arg(long, value_name = "N", default_value_t = 2)]
    pub retries: u32,

    /// Requirements of this level and above decide certification.
    #[arg(long, value_enum, default_value_t = FailOn::Must)]
    pub fail_on: FailOn,

    /// Only scenarios with this tag (repeatable). A filtered run is partial: never certified.
    #[arg(long = "tag", value_name = "TAG")]
    pub tags: Vec<String>,

    /// Only this scenario (repeatable).
    #[arg(long = "scenario", value_name = "ID")]
    pub scenarios: Vec<String>,

    /// Only scenarios covering this requirement (repeatable).
    #[arg(long = "requirement", value_name = "ID")]
    pub requirements: Vec<String>,

    /// Run every selected scenario N times, round after round (for stability and soak runs).
    /// Repetitions are reported as `<scenario>#<round>`; a requirement passes only if every
    /// repetition of every scenario covering it passed.
    #[arg(long, value_name = "N", default_value_t = 1, value_parser = clap::value_parser!(u32).range(1..=1_000_000))]
    pub repeat: u32,

    /// Write a report: FORMAT=PATH, repeatable. Formats: json, junit, html, markdown, text.
    #[arg(long = "report", value_name = "FORMAT=PATH", value_parser = parse_report)]
    pub reports: Vec<(crate::report::render::Format, PathBuf)>,
    /// The field separator of a `reconciliation-csv` report (`semicolon` suits Excel in
    /// Swedish settings).
    #[arg(long, value_enum, default_value_t = crate::export::Delimiter::Semicolon)]
    pub delimiter: crate::export::Delimiter,

    /// Sign the report with this Ed25519 private key (from `konform keygen`).
    #[arg(long, value_name = "KEY")]
    pub sign_key: Option<PathBuf>,

    /// Who issues the report (an organisation), shown on the certificate beside the
    /// signing key.
    #[arg(long, value_name = "NAME")]
    pub issuer: Option<String>,

    /// How long the certificate holds after the run (e.g. 365d, 90d); `verify` reports an
    /// expired one.
    #[arg(long, value_name = "DURATION", value_parser = parse_duration, default_value = "365d")]
    pub valid_for: std::time::Duration,

    /// Language of what a person reads.
    #[arg(long, value_enum, default_value_t = crate::model::Lang::En)]
    pub lang: crate::model::Lang,

    /// Run only the K-th of N deterministic slices of the planned scenarios (e.g. 2/4),
    /// and of the generated checks, for spreading a run over CI runners; each shard's report
    /// is partial, and `konform report merge` puts them together. Shard 1 also runs the
    /// profile's probes.
    #[arg(long, value_name = "K/N")]
    pub shard: Option<crate::shard::Shard>,

    /// Also run checks generated from the OpenAPI descriptions, after the scenarios: a
    /// comma list of negative-data, positive-data, auth, methods, missing-headers, or all.
    /// Each is reported as a requirement (GEN-NEGATIVE-DATA...) at the level the
    /// specification's `generate:` section gives it, else `may` (docs/running.md).
    #[arg(long, value_name = "CHECKS", value_delimiter = ',', value_parser = parse_generate)]
    pub generate: Vec<GenerateArg>,

    /// At most N generated requests per operation and check (shrinking a failing input
    /// takes up to 16 more).
    #[arg(long, value_name = "N", default_value_t = crate::plan::Generation::DEFAULT_BUDGET as u32,
          value_parser = clap::value_parser!(u32).range(1..=100_000))]
    pub generate_budget: u32,

    /// The seed of the generated requests: the same seed, catalogue and variables give the
    /// same requests.
    #[arg(long, value_name = "SEED", default_value_t = 0)]
    pub seed: u64,

    /// Fetch `$ref`s to http(s) URLs in OpenAPI documents.
    #[arg(long)]
    pub allow_remote_refs: bool,

    /// An earlier JSON report of this product (the one it was certified with): the report
    /// also says which requirements are new or changed since the version that report
    /// tested, and which failures are regressions (docs/running.md).
    #[arg(long, value_name = "OLD-REPORT.json")]
    pub since: Option<PathBuf>,

    #[command(flatten)]
    pub declared: DeclaredArgs,

    /// What exit 0 asks for: `certified` (the run certifies), or `selected` (every requirement
    /// that counts among those the selected scenarios tested passed; the report stays partial
    /// and not certified).
    #[arg(long, value_enum, default_value_t = Gate::Certified)]
    pub gate: Gate,

    /// Less in the terminal: no progress lines, one line a specification instead of its
    /// table; failures and the verdict as usual. Reports are not affected.
    #[arg(long, short = 'q', conflicts_with = "verbose")]
    pub quiet: bool,

    /// More in the terminal: every step under its scenario's progress line, passing ones
    /// too, with its request's method, status and time.
    #[arg(long, short = 'v')]
    pub verbose: bool,

    /// Skip the preflight: the few requests that, before the scenarios, tell a problem of
    /// the tester's configuration (unreachable target, TLS trust, credentials, base URL)
    /// from the vendor's, and stop with exit 4 (see docs/running.md).
    #[arg(long)]
    pub no_preflight: bool,
}

/// What people declare beside what konform tests (docs/waivers.md): applied to a run's
/// report, and to a merged one.
#[derive(Debug, Args, Clone, Default)]
pub struct DeclaredArgs {
    /// A waiver file (YAML, repeatable): failing requirements accepted for a time, each with
    /// a reason, a reference, its approver and its last day (docs/waivers.md).
    #[arg(long = "waivers", value_name = "FILE")]
    pub waivers: Vec<PathBuf>,

    /// A signed attestation (YAML, repeatable) that people verified requirements the
    /// catalogue marks `verification: attestation` (docs/waivers.md).
    #[arg(long = "attestations", value_name = "FILE")]
    pub attestations: Vec<PathBuf>,

    /// The public key (PEM) of someone whose attestations the run trusts (repeatable).
    #[arg(long = "attestation-key", value_name = "PEM")]
    pub attestation_keys: Vec<PathBuf>,

    /// The vendor's conformance statement (YAML): the `may` requirements its product does not
    /// offer, which become not applicable.
    #[arg(long, value_name = "FILE")]
    pub statement: Option<PathBuf>,

    /// Judge waivers' expiry (and attestations' dates) as of this day (2027-01-31) or UTC time
    /// (2027-01-31T12:00:00Z) instead of now; the report records it.
    #[arg(long, value_name = "DATE")]
    pub now: Option<String>,
}

impl RunSettings {
    /// How much the terminal shows (`-q`, `-v`).
    pub fn detail(&self) -> crate::report::terminal::Detail {
        use crate::report::terminal::Detail;
        match (self.quiet, self.verbose) {
            (true, _) => Detail::Quiet,
            (false, true) => Detail::Verbose,
            (false, false) => Detail::Normal,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FailOn {
    Must,
    Should,
}

/// What a run's exit code gates on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Gate {
    /// Exit 0 only when the run certifies.
    Certified,
    /// Exit 0 when nothing the selection tested failed, could not be judged or was blocked:
    /// for a CI job that runs a subset (`--tag`, `--scenario`, `--requirement`).
    Selected,
}

#[derive(Debug, Args)]
pub struct RunArgs {
    /// Specifications to run: `id` (newest active version) or `id@version`.
    #[arg(required = true, value_name = "SPEC")]
    pub specs: Vec<String>,

    /// The vendor's base URL; operation paths are appended to it.
    #[arg(long, value_name = "URL")]
    pub base_url: Option<String>,

    /// A konform.toml with target, auth, variables and headers.
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,

    /// A variable for the scenarios, NAME=VALUE (repeatable). Overrides KONFORM_VAR_NAME.
    #[arg(long = "var", value_name = "NAME=VALUE", value_parser = parse_var)]
    pub vars: Vec<(String, String)>,

    /// An extra header for every request, "Name: value" (repeatable); its value is treated
    /// as a secret and redacted everywhere.
    // Held as given and split by `target::parse_header`, so that a malformed one is not
    // echoed in clap's error.
    #[arg(long = "header", short = 'H', value_name = "HEADER")]
    pub headers: Vec<crate::redact::Secret>,

    /// An extra header for every request whose value is shown as it is (X-Request-Id...).
    #[arg(long = "public-header", value_name = "HEADER", value_parser = parse_public_header)]
    pub public_headers: Vec<(String, String)>,

    /// Bearer token for every request [or KONFORM_BEARER_TOKEN].
    #[arg(long, value_name = "TOKEN")]
    pub bearer_token: Option<crate::redact::Secret>,

    /// Header that carries the API key.
    #[arg(long, value_name = "NAME")]
    pub api_key_header: Option<String>,

    /// API key value [or KONFORM_API_KEY].
    #[arg(long, value_name = "KEY")]
    pub api_key: Option<crate::redact::Secret>,

    /// Basic-auth user.
    #[arg(long, value_name = "USER")]
    pub basic_user: Option<String>,

    /// Basic-auth password [or KONFORM_BASIC_PASSWORD].
    #[arg(long, value_name = "PASSWORD")]
    pub basic_password: Option<crate::redact::Secret>,

    /// Extra trusted CA certificates (PEM), for test environments.
    #[arg(long, value_name = "PEM")]
    pub ca_cert: Option<PathBuf>,

    /// Client certificate for mTLS (PEM).
    #[arg(long, value_name = "PEM")]
    pub client_cert: Option<PathBuf>,

    /// Client private key for mTLS (PEM).
    #[arg(long, value_name = "PEM")]
    pub client_key: Option<PathBuf>,

    /// The vendor under test, for the report.
    #[arg(long, value_name = "NAME")]
    pub vendor: Option<String>,

    /// The product under test, for the report.
    #[arg(long, value_name = "NAME")]
    pub product: Option<String>,

    /// The product version under test, for the report.
    #[arg(long, value_name = "VERSION")]
    pub product_version: Option<String>,

    /// A fleet file: run the specifications against each of its targets, each with its own
    /// base URL, credentials, rate limit, concurrency and deadline, and write one report per
    /// target to --out-dir (docs/fleet.md).
    #[arg(long, value_name = "FILE", requires = "out_dir", conflicts_with_all = FLEET_CONFLICTS)]
    pub targets: Option<PathBuf>,

    /// With --targets: the folder for the reports, TARGET.json for each target (made if needed).
    #[arg(long, value_name = "DIR", requires = "targets")]
    pub out_dir: Option<PathBuf>,

    /// With --targets: another format written beside TARGET.json (repeatable): junit
    /// (TARGET.junit.xml), html, markdown (TARGET.md), text (TARGET.txt).
    #[arg(long = "out-format", value_name = "FORMAT", value_enum, requires = "targets")]
    pub out_formats: Vec<crate::report::render::Format>,

    #[command(flatten)]
    pub settings: RunSettings,
}

/// What a fleet file gives per target, or what belongs to one vendor only: not with
/// `--targets`.
const FLEET_CONFLICTS: [&str; 19] = [
    "base_url",
    "config",
    "headers",
    "bearer_token",
    "api_key_header",
    "api_key",
    "basic_user",
    "basic_password",
    "ca_cert",
    "client_cert",
    "client_key",
    "vendor",
    "product",
    "product_version",
    "reports",
    "waivers",
    "attestations",
    "statement",
    "since",
];

#[derive(Debug, Args)]
pub struct DemoArgs {
    /// Specifications to run (`id` or `id@version`); default: every version in force today
    /// (active, or deprecated and not yet past its sunset).
    #[arg(value_name = "SPEC")]
    pub specs: Vec<String>,

    /// Give the reference vendor a fault (repeatable); --list-faults lists them.
    #[arg(long = "fault", value_name = "NAME", value_parser = FaultName, hide_possible_values = true)]
    pub faults: Vec<String>,

    /// List the faults and exit.
    #[arg(long)]
    pub list_faults: bool,

    /// The vendor named in the report (default: konform).
    #[arg(long, value_name = "NAME")]
    pub vendor: Option<String>,

    /// The product named in the report (default: reference vendor).
    #[arg(long, value_name = "NAME")]
    pub product: Option<String>,

    /// The product version named in the report (default: konform's version).
    #[arg(long, value_name = "VERSION")]
    pub product_version: Option<String>,

    #[command(flatten)]
    pub settings: RunSettings,
}

#[derive(Debug, Subcommand)]
pub enum RegisterCommand {
    /// Make a register: DIR/register.toml and the folders keys/, reports/, revocations/.
    Init {
        /// The register's folder (made if needed).
        dir: PathBuf,
        /// Language of what a person reads.
        #[arg(long, value_enum, default_value_t = crate::model::Lang::En)]
        lang: crate::model::Lang,
    },
    /// Trust a signing key: copy a public key (PEM, from `konform keygen`) to keys/NAME.pub.
    Trust {
        /// The public key (PEM).
        key: PathBuf,
        /// The register's name for the key (letters, digits, `-`, `_`, `.`).
        #[arg(long, value_name = "NAME")]
        name: String,
        /// The register's folder.
        #[arg(long, value_name = "DIR")]
        register: PathBuf,
        /// Language of what a person reads.
        #[arg(long, value_enum, default_value_t = crate::model::Lang::En)]
        lang: crate::model::Lang,
    },
    /// Add signed reports. A report is refused (exit 1, naming the file and why) when it is
    /// unsigned, changed after signing, signed with a key the register does not trust, or
    /// made with other catalogue files than the local catalogue's. Exit 2 when a file is
    /// not a report or the register or catalogue cannot be read.
    Add {
        /// JSON reports (`--report json=PATH`, signed with `--sign-key`).
        #[arg(required = true, value_name = "REPORT")]
        reports: Vec<PathBuf>,
        /// The register's folder.
        #[arg(long, value_name = "DIR")]
        register: PathBuf,
        /// The catalogue to compare fingerprints with [default: ./conformance-suites if there
        /// is one, else the catalogue built into konform].
        #[arg(long, env = "KONFORM_CATALOGUE", value_name = "DIR")]
        catalogue: Option<PathBuf>,
        /// Language of what a person reads.
        #[arg(long, value_enum, default_value_t = crate::model::Lang::En)]
        lang: crate::model::Lang,
    },
    /// Revoke a report: it stays in the register, shown as revoked with the date and reason.
    Revoke {
        /// The report's id (its `id`, and its file name in reports/).
        id: String,
        /// Why it is revoked (shown on the site).
        #[arg(long, value_name = "TEXT")]
        reason: String,
        /// The register's folder.
        #[arg(long, value_name = "DIR")]
        register: PathBuf,
        /// The day of the revocation (YYYY-MM-DD; default today).
        #[arg(long, value_name = "DATE")]
        date: Option<crate::model::Date>,
        /// Language of what a person reads.
        #[arg(long, value_enum, default_value_t = crate::model::Lang::En)]
        lang: crate::model::Lang,
    },
    /// Write the register's static site: pages in Swedish and English, a badge per product
    /// and specification version, registry.json and the reports.
    Build {
        /// The register's folder.
        dir: PathBuf,
        /// The folder to write the site to.
        #[arg(long, short = 'o', value_name = "SITE")]
        out: PathBuf,
        /// Judge validity (expiry, sunsets) on this day (YYYY-MM-DD) rather than today.
        #[arg(long, value_name = "DATE")]
        at: Option<crate::model::Date>,
        /// Language of what a person reads in the terminal.
        #[arg(long, value_enum, default_value_t = crate::model::Lang::En)]
        lang: crate::model::Lang,
    },
    /// Print the JSON Schema of the site's registry.json.
    Schema,
}

#[derive(Debug, Subcommand)]
pub enum AttestCommand {
    /// Sign an attestation file with an Ed25519 private key (from `konform keygen`): writes
    /// the file with a `signature` block added, which `konform run --attestations` checks
    /// against `--attestation-key`.
    Sign {
        /// The attestation (YAML or JSON), unsigned.
        file: PathBuf,
        /// The private key (PKCS#8 PEM).
        #[arg(long, value_name = "KEY")]
        sign_key: PathBuf,
        /// Where to write the signed attestation (default: standard output).
        #[arg(long, short = 'o', value_name = "PATH")]
        output: Option<PathBuf>,
    },
}

#[derive(Debug, Subcommand)]
pub enum ServeCommand {
    /// The reference vendor: an in-memory implementation of every specification of the
    /// built-in catalogue (case-intake, building-permit, messaging, data-export).
    Reference {
        /// Port to listen on; 0 picks a free one.
        #[arg(long, default_value_t = 0)]
        port: u16,
        /// Address to listen on.
        #[arg(long, default_value = "127.0.0.1")]
        host: std::net::IpAddr,
        /// The bearer token it accepts.
        #[arg(
            long,
            env = "KONFORM_REFERENCE_TOKEN",
            hide_env_values = true,
            default_value = "konform-reference-token"
        )]
        token: String,
        /// Give it a fault (repeatable); --list-faults lists them.
        #[arg(long = "fault", value_name = "NAME", value_parser = FaultName, hide_possible_values = true)]
        faults: Vec<String>,
        /// List the faults and exit.
        #[arg(long)]
        list_faults: bool,
    },
}

fn parse_duration(s: &str) -> Result<std::time::Duration, String> {
    humantime::parse_duration(s).map_err(|e| format!("`{s}` is not a duration such as 30s or 500ms: {e}"))
}

fn parse_positive_duration(s: &str) -> Result<std::time::Duration, String> {
    match parse_duration(s)? {
        d if d.is_zero() => Err(format!("`{s}` is no time at all: give a duration above 0, such as 30s")),
        d => Ok(d),
    }
}

fn parse_count(s: &str) -> Result<usize, String> {
    match s.parse::<usize>() {
        Ok(0) => Err("0 would run nothing: give 1 or more".into()),
        Ok(n) => Ok(n),
        Err(_) => Err(format!("`{s}` is not a number such as 4")),
    }
}

fn parse_size(s: &str) -> Result<usize, String> {
    let t = s.trim();
    let split = t.find(|c: char| !c.is_ascii_digit()).unwrap_or(t.len());
    let (num, unit) = t.split_at(split);
    let n: usize = num.parse().map_err(|_| format!("`{s}` is not a size such as 10MiB"))?;
    let mult = match unit.trim().to_ascii_lowercase().as_str() {
        "" | "b" => 1,
        "k" | "kb" | "kib" => 1024,
        "m" | "mb" | "mib" => 1024 * 1024,
        "g" | "gb" | "gib" => 1024 * 1024 * 1024,
        other => return Err(format!("unknown size unit `{other}` (use KiB, MiB or GiB)")),
    };
    n.checked_mul(mult).ok_or_else(|| format!("`{s}` is too large"))
}

fn parse_var(s: &str) -> Result<(String, String), String> {
    let (k, v) = s.split_once('=').ok_or_else(|| format!("`{s}` is not NAME=VALUE"))?;
    if k.is_empty() {
        return Err(format!("`{s}` has no name"));
    }
    Ok((k.to_string(), v.to_string()))
}

fn parse_public_header(s: &str) -> Result<(String, String), String> {
    let (k, v) = s.split_once(':').ok_or_else(|| format!("`{s}` is not \"Name: value\""))?;
    Ok((k.trim().to_string(), v.trim().to_string()))
}

/// One item of `--generate`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GenerateArg {
    All,
    One(crate::catalogue::generate::GenCheck),
}

fn parse_generate(s: &str) -> Result<GenerateArg, String> {
    match s.trim() {
        "all" => Ok(GenerateArg::All),
        other => other.parse().map(GenerateArg::One),
    }
}

fn parse_report(s: &str) -> Result<(crate::report::render::Format, PathBuf), String> {
    let (format, path) = s.split_once('=').ok_or_else(|| format!("`{s}` is not FORMAT=PATH, e.g. json=report.json"))?;
    let format = crate::report::render::Format::parse(format)
        .ok_or_else(|| format!("unknown report format `{format}`; formats: json, junit, html, markdown, text, reconciliation-csv, reconciliation-xlsx"))?;
    if path.is_empty() {
        return Err(format!("`{s}` names no file"));
    }
    if path == "-" && format.is_binary() {
        return Err(format!("`{s}`: a workbook is not written to standard output; name a file"));
    }
    Ok((format, PathBuf::from(path)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes() {
        assert_eq!(parse_size("10MiB").unwrap(), 10 * 1024 * 1024);
        assert_eq!(parse_size("512").unwrap(), 512);
        assert!(parse_size("ten").is_err());
    }

    #[test]
    fn parsed_arguments_never_show_a_credential() {
        let secrets = ["bearer-secret-1111", "apikey-secret-2222", "basic-secret-3333", "header-secret-4444"];
        let cli = Cli::try_parse_from([
            "konform",
            "run",
            "x",
            "--bearer-token",
            secrets[0],
            "--api-key-header",
            "X-Key",
            "--api-key",
            secrets[1],
            "--basic-user",
            "u",
            "--basic-password",
            secrets[2],
            "-H",
            "X-Tenant-Token: header-secret-4444",
        ])
        .unwrap();
        let shown = format!("{cli:?}");
        for secret in secrets {
            assert!(!shown.contains(secret), "{secret} is shown: {shown}");
        }
        assert_eq!(shown.matches("[redacted]").count(), 4, "{shown}");
    }
}

/// `--fault NAME`: checked as it is parsed, and offering the faults' names (with what each
/// breaks) to shell completions.
#[derive(Debug, Clone, Copy)]
struct FaultName;

impl clap::builder::TypedValueParser for FaultName {
    type Value = String;

    fn parse_ref(
        &self,
        cmd: &clap::Command,
        _arg: Option<&clap::Arg>,
        value: &std::ffi::OsStr,
    ) -> Result<String, clap::Error> {
        let text = value.to_string_lossy();
        match text.parse::<crate::reference::Fault>() {
            Ok(fault) => Ok(fault.name().to_string()),
            Err(message) => {
                Err(clap::Error::raw(clap::error::ErrorKind::InvalidValue, format!("{message}\n")).with_cmd(cmd))
            }
        }
    }

    fn possible_values(&self) -> Option<Box<dyn Iterator<Item = clap::builder::PossibleValue> + '_>> {
        let faults = crate::reference::Fault::ALL.iter();
        Some(Box::new(faults.map(|f| clap::builder::PossibleValue::new(f.name()).help(f.description()))))
    }
}
