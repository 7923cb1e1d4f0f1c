//! konform's own texts that take no arguments: headings, labels, verdict words.

/// One text of konform's own, by what it says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Text {
    Report,
    SignatureValidWithGivenKey,
    SignatureValidForEmbeddedKey,
    SignatureUnsigned,
    SignatureInvalid,
    NotFoundInTheLocalCatalogue,
    MatchesTheLocalCatalogue,
    Files,
    DiffersFromTheLocalCatalogue,
    MissingLocally,
    Changed,
    AddedLocally,
    CombinedFingerprintMismatch,
    ReportChecksOut,
    ReportDoesNotCheckOut,
    SpecificationCatalogue,
    Version,
    Status,
    Title,
    Coverage,
    Profile,
    RulesCheckedLive,
    Domain,
    Operations,
    RequirementsCovered,
    Level,
    CoveredBy,
    NotCovered,
    NotCoveredPlain,
    CertificationReport,
    NotStated,
    Vendor,
    Product,
    ProductVersion,
    Specification,
    CatalogueFingerprint,
    /// The catalogue as a whole (a report's fact).
    Catalogue,
    Date,
    TestedAddress,
    Requirements,
    PassedLower,
    FailedLower,
    NotTestedCount,
    ErrorLower,
    PartialRun,
    PartialCannotCertify,
    /// A shard's report: partial as one slice of the plan (not by filters).
    ShardCannotCertify,
    Interrupted,
    NotEveryStepRan,
    Unsigned,
    Signature,
    RequirementMatrix,
    Id,
    Verdict,
    Requirement,
    Details,
    Covers,
    Step,
    Checks,
    ReportFormat,
    VerifyHint,
    Cleanup,
    /// After a shared setup scenario's id or name.
    SharedSetup,
    /// A specification whose texts are not written in the report's language.
    TextsInOtherLanguage,
    /// After a shared teardown scenario's id or name.
    SharedTeardown,
    Expected,
    Actual,
    /// Before the requirement a check is made by alone (`per_requirement`).
    OnlyFor,
    Evidence,
    NoResponse,
    CutRealSize,
    KonformCertification,
    Target,
    Started,
    Tool,
    Partial,
    FiltersWereUsed,
    OneShardOfThePlan,
    Yes,
    Failures,
    Steps,
    SkippedLower,
    Certified,
    NotCertified,
    PassLower,
    Fail,
    NotTested,
    ErrorUpper,
    Pass,
    SkippedUpper,
    StepLower,
    StepsLower,
    ProfileRule,
    RequirementHeading,
    LevelHeading,
    VerdictHeading,
    TitleHeading,
    Scenarios,
    PartialRunSuffix,
    ShardSuffix,
    InterruptedSuffix,
    Run,
    CleanupBracketed,
    At,
    Declared,
    KeyFingerprint,
    SignedEd25519KeySha256,
    ReportId,
    Issuer,
    ValidUntil,
    WhyNotCertified,
    DeclaredShort,
    And,
    StatusDraft,
    StatusActive,
    StatusDeprecated,
    StatusRetired,
    PublishedOn,
    DeprecatedOn,
    SunsetOn,
    ReplacedBy,
    LifecycleHeading,
    Blocked,
    Waived,
    Attested,
    NotApplicable,
    BlockedLower,
    WaivedLower,
    AttestedLower,
    NotApplicableCount,
    SetupBracketed,
    Departures,
    BlockedBy,
    SeenIn,
    AttributedTo,
    Departure,
    Operation,
    ByAttestation,
    Waivers,
    UnusedWaivers,
    Attestations,
    NotOfferedHeading,
    WaivedHeading,
    AsOf,
    AttestationHolds,
    AttestationDoesNotHold,
    /// The fleet summary's column of exit codes.
    ExitCode,
    /// The fleet summary's column of requirement counts: passed/failed/error.
    FleetCounts,
    /// A fleet target the preflight stopped (exit 4).
    MisconfiguredUpper,
    /// A fleet target whose run could not complete (exit 3) without being interrupted.
    NotCompletedUpper,
    /// A fleet target's run stopped by its deadline or a signal.
    InterruptedUpper,
    /// `run --since`: the column saying why a requirement is on the to-do list.
    WhyHeading,
    /// The same, in a report's table.
    Why,
    /// `run --since`: the section's heading in reports.
    SinceHeading,
    // Procurement exports (src/export): column headings and evidence labels.
    RequirementId,
    RequirementText,
    Verification,
    AutomaticTest,
    AttestationNoun,
    Rule,
    EvidenceScenario,
    EvidenceDeparture,
    EvidenceWaiver,
    EvidenceAttestation,
    EvidenceNotOffered,
    EvidenceBlockedBy,
    RuleIgnored,
    Document,
}

/// A line konform writes about its own work, with its arguments.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Note {
    /// A report was written.
    Wrote {
        format: String,
        path: String,
    },
    /// Failures past the terminal's listing limit.
    MoreFailures {
        count: usize,
    },
    /// Failures past the listing limit in a report that lists some (Markdown), and where
    /// the rest are: the full report, by its id when it has one.
    MoreFailuresInReport {
        count: usize,
        id: Option<String>,
    },
    /// A step that did not pass but cannot decide certification: `covered` the levels of the
    /// requirements it is evidence for ("BÖR"), `deciding` the levels that decide ("SKALL").
    DoesNotCount {
        covered: String,
        deciding: String,
    },
    /// A cleanup step that did not pass, told beside the scenario's last test case in JUnit
    /// (cleanup steps are not test cases there). `step` is "03 withdrawCase".
    CleanupNotCounted {
        step: String,
        verdict: String,
    },
    /// The reference vendor of `konform demo` is up (`faults`: the faults it injects).
    ReferenceListening {
        url: String,
        faults: Vec<String>,
    },
    /// `verify` found no catalogue folder to compare with.
    CatalogueNotFound {
        dir: String,
    },
    /// Why a signature does not hold.
    Broken(Broken),
    /// The certificate's one-sentence statement. `product` and `vendor` as declared (empty
    /// when not stated), `levels` the levels that decide ("SKALL" or "SKALL och BÖR"),
    /// `specs` "case-intake 1.1.0", `date` a human date, `url` the tested address.
    Statement {
        standing: Standing,
        product: String,
        vendor: String,
        levels: String,
        specs: String,
        date: String,
        url: String,
    },
    /// The rule that decided, for the levels that count.
    Rule {
        levels: String,
    },
    /// An RFC 3339 UTC timestamp as a person reads it.
    Date {
        rfc3339: String,
    },
    /// The certificate's validity ended at `when` (RFC 3339), or cannot be read.
    Expired {
        when: String,
    },
    UnreadableValidity {
        when: String,
    },
    /// A certified specification version was deprecated when the run started: in force
    /// until its `sunset` (YYYY-MM-DD), to be replaced by `replaced_by`.
    DeprecatedVersion {
        spec: String,
        sunset: Option<String>,
        replaced_by: Option<String>,
    },
    /// A specification version was retired (past its `sunset`) on the day in question.
    RetiredVersion {
        spec: String,
        sunset: String,
    },
    /// What a rendered report's signature says, at the top of the page.
    Seal(Seal),
    /// The preflight's finding: one paragraph naming the option to fix.
    Preflight(super::Misconfigured),
    /// After a finding: what was (not) done, and how to skip the preflight.
    PreflightStopped,
    /// No catalogue was named and `dir` (`./conformance-suites`) is used, which is not the
    /// catalogue built into konform: `version` is its version, `built_in` the built-in one's.
    LocalCatalogue {
        dir: String,
        version: Option<String>,
        built_in: Option<String>,
    },
    /// `konform catalogue export` wrote the built-in catalogue.
    CatalogueExported {
        dir: String,
        version: Option<String>,
        files: usize,
    },
    /// `konform scaffold` wrote a specification folder.
    Scaffolded {
        dir: String,
        /// The OpenAPI document's file in `dir`.
        document: String,
        /// The catalogue folder that holds `dir`, for `--catalogue`.
        catalogue: String,
        spec: String,
        files: usize,
        operations: usize,
        requirements: usize,
        uncovered: usize,
        scenarios: usize,
    },
    /// `konform scaffold --id` was given an id a specification cannot have.
    ScaffoldBadId {
        id: String,
    },
    /// `konform scaffold` was given a path that is not a file.
    ScaffoldNoDocument {
        file: String,
    },
    /// `konform scaffold` would write into a folder that is not empty.
    ScaffoldNotEmpty {
        dir: String,
    },
    /// `konform export arazzo` wrote a description to a file.
    ArazzoExported {
        spec: String,
        path: String,
        workflows: usize,
    },
    /// `konform import arazzo` wrote a suite (and `fixtures` fixture files); `warnings`
    /// constructs were not translated.
    ArazzoImported {
        path: String,
        scenarios: usize,
        fixtures: usize,
        warnings: usize,
    },
    /// A shard's report: the K-th of N slices of a plan, partial on its own.
    Shard {
        index: usize,
        count: usize,
    },
    /// The catalogue a report was made with, as a whole: version, built in or not, fingerprint.
    CatalogueIdentity {
        version: Option<String>,
        fingerprint: String,
        embedded: bool,
    },
    /// `verify`: the catalogue a report was made with, and whether it is the one it is
    /// compared with (`here`, as shown).
    ReportCatalogue {
        version: Option<String>,
        fingerprint: String,
        same: bool,
        here: String,
    },
    /// A waiver in force on a requirement: `level` as labelled, `covered` the verdict word
    /// it covers, `until` its last day (`YYYY-MM-DD`).
    Waived {
        requirement: String,
        level: String,
        covered: String,
        reason: String,
        reference: String,
        approved_by: Option<String>,
        until: String,
    },
    /// A waiver that did not apply, and why.
    WaiverUnused {
        requirement: String,
        reference: String,
        why: Unused,
    },
    /// A signed attestation: `requirements` joined, `date` as written, `key` the signing
    /// key's SHA-256.
    Attested {
        id: String,
        requirements: String,
        by: String,
        date: String,
        text: Option<String>,
        url: Option<String>,
        sha256: Option<String>,
        key: String,
    },
    /// A `may` requirement the vendor's conformance statement declares not offered.
    NotOffered {
        requirement: String,
        reason: String,
        vendor: String,
        product: String,
    },
    /// `--gate selected` decided the exit code: whether the selection passed.
    Gate {
        passed: bool,
    },
    /// `--now` set the moment waivers and attestations were judged at (RFC 3339).
    AsOf {
        when: String,
    },
    /// How waived, attested and not-applicable requirements count, beside the rule.
    RuleDeclared,
    /// Under the fleet summary: where the reports are.
    FleetReports {
        dir: String,
    },
    /// A fleet target's name, before what konform says of it (`problem`).
    FleetTarget {
        name: String,
        problem: String,
    },
    /// A fleet target's deadline came while its preflight still waited for answers: no
    /// scenario ran.
    PreflightPastDeadline,
    /// A fleet target's run ended (said as it ends, before the summary).
    FleetTargetEnded {
        name: String,
        verdict: String,
        code: u8,
    },
    /// The fleet's exit code, the worst of its targets'.
    FleetExit {
        code: u8,
    },
    /// `run --since`: the catalogue's files for `spec` (`id@version`) are not those the
    /// earlier report `report` (a file name) was made with.
    SinceCatalogueChanged {
        spec: String,
        report: String,
    },
    /// `run --since`: what changed from `from` ("case-intake 1.0.0", tested in `report` on
    /// `date`, RFC 3339): how many changes, how many the vendor must act on, and how many of
    /// those are on operations no scenario tests.
    SinceFrom {
        from: String,
        report: String,
        date: String,
        changes: usize,
        must_change: usize,
        untested: usize,
        catalogue_changed: bool,
    },
    /// The to-do list's heading: `count` requirements not met in this run.
    SinceToDo {
        count: usize,
    },
    /// Every requirement is met in this run.
    SinceNothingToDo,
    /// Why a requirement is on the to-do list: new in `version`.
    SinceNew {
        version: String,
    },
    /// Changed: `changes`, the change codes joined.
    SinceChanged {
        changes: String,
    },
    /// Unchanged, and its verdict was `was` (a verdict word) in `version`: met then.
    SinceRegressed {
        was: String,
        version: String,
    },
    /// Unchanged, and not met in `version` either (`was`).
    SinceStillFailing {
        was: String,
        version: String,
    },
    /// Unchanged, and the earlier report `report` does not list it.
    SinceNoEarlierVerdict {
        report: String,
    },
    /// Requirements (`ids`, joined) that version `to` no longer has.
    SinceRemoved {
        to: String,
        ids: String,
    },
}

/// Why a waiver did not apply, as said: `on` a day (`YYYY-MM-DD`), `verdict` and `covers`
/// verdict words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Unused {
    Expired { on: String },
    Passed,
    NotCovered { verdict: String, covers: String },
}

/// Why a signature does not hold (the signature checker's finding, named here so that it
/// can be said in each language).
/// What a run says of the product, in its certificate's statement.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Standing {
    /// Certified.
    Meets,
    /// A requirement that counts failed, or the run was filtered.
    DoesNotMeet,
    /// Interrupted before it ended, and no requirement that counts failed before the stop:
    /// what the stop left unjudged is not held against the product.
    Interrupted,
    /// One shard of a plan, in which no requirement that counts failed: the rest of the
    /// plan is in the other shards.
    Shard,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Broken {
    UnknownAlgorithm,
    MalformedKey,
    NotAnEd25519Key,
    DifferentKey,
    MalformedValue,
    Changed,
    /// Unsigned, but its combined fingerprint is not the one of its own file list.
    FingerprintsDoNotAddUp,
}

/// What a rendered report shows about its own trustworthiness, prominently: rendering
/// never launders a report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Seal {
    /// Signed and intact; `pinned` when made by the key the reader gave. `key`: the signing
    /// key's fingerprint (SHA-256 of its SPKI DER).
    Valid { key: String, pinned: bool },
    /// Altered after signing, or signed by another key than the one given: not a certificate.
    Altered(Broken),
    /// Unsigned: for information, not a certificate.
    Unsigned,
}
