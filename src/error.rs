//! Exit codes, in one place. README.md documents them; keep the two in step.

/// Certified: every requirement that counts passed (or, for `check`, the catalogue is clean).
pub const EXIT_OK: u8 = 0;
/// The run completed and a requirement that counts failed (for `lint`: a SKALL rule is violated).
pub const EXIT_FAILED: u8 = 1;
/// Invalid input: flags, catalogue, suite, OpenAPI document or config. Nothing was sent.
pub const EXIT_INVALID_INPUT: u8 = 2;
/// The run could not complete: target unreachable, a report could not be written, or the
/// run was interrupted (SIGINT/SIGTERM) or reached `--deadline` (reports are still written).
pub const EXIT_RUN_ERROR: u8 = 3;
