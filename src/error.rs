//! Exit codes, in one place. README.md documents them; keep the two in step.

/// Certified: every requirement that counts passed (or, for `check`, the catalogue is clean).
pub const EXIT_OK: u8 = 0;
/// The run completed and a requirement that counts failed (for `lint`: a SKALL rule is violated;
/// for `diff --fail-on`: a change of that kind was found).
pub const EXIT_FAILED: u8 = 1;
/// Invalid input: flags, catalogue, suite, OpenAPI document or config. Nothing was sent.
pub const EXIT_INVALID_INPUT: u8 = 2;
/// The run could not complete: target unreachable, a report could not be written, or the
/// run was interrupted (SIGINT/SIGTERM) or reached `--deadline` (reports are still written).
pub const EXIT_RUN_ERROR: u8 = 3;
/// The target rejected the tester's configuration in preflight (credentials, base URL, TLS
/// trust, an unreachable address): the vendor was not judged, nothing else was sent and no
/// report was written.
pub const EXIT_PREFLIGHT: u8 = 4;
/// Whoever read the output stopped reading (`konform report r.json | head -1`): the
/// status a shell shows for a process ended by SIGPIPE (128 + 13), without a message.
pub const EXIT_BROKEN_PIPE: u8 = 141;

/// Why a command could not do its job. Each kind has one exit code
/// ([`Failure::exit_code`]); `app::run` is the one place that shows a failure and turns it
/// into its code.
#[derive(Debug, thiserror::Error)]
pub enum Failure {
    /// Flags, catalogue, suite, OpenAPI document, config, key or report file: nothing was sent.
    #[error("{0}")]
    InvalidInput(String),
    /// The command could not complete: the target is unreachable, a file could not be
    /// written, the runtime or a server could not start.
    #[error("{0}")]
    Incomplete(String),
    /// The preflight found the tester's configuration at fault (its paragraph, in the run's
    /// language, shown as it is): the vendor was not judged.
    #[error("{0}")]
    Preflight(String),
    /// Invalid input whose diagnostics were already written (file, line, column).
    #[error("the input has errors")]
    Diagnosed,
    /// The reader of the output went away: nothing more to say, to no one.
    #[error("broken pipe")]
    BrokenPipe,
}

impl Failure {
    /// A failed write of output: quiet when the reader went away, else `Incomplete`.
    pub fn writing(what: &str, e: &std::io::Error) -> Failure {
        if e.kind() == std::io::ErrorKind::BrokenPipe {
            Failure::BrokenPipe
        } else {
            Failure::Incomplete(format!("cannot write {what}: {e}"))
        }
    }
}

impl Failure {
    pub fn exit_code(&self) -> u8 {
        match self {
            Failure::InvalidInput(_) | Failure::Diagnosed => EXIT_INVALID_INPUT,
            Failure::Incomplete(_) => EXIT_RUN_ERROR,
            Failure::Preflight(_) => EXIT_PREFLIGHT,
            Failure::BrokenPipe => EXIT_BROKEN_PIPE,
        }
    }
}

/// What a command returns: its own exit code when it did its job (`0`, `1`, or `3` for an
/// interrupted run, whose reports are still written), or why it could not.
pub type Outcome = Result<u8, Failure>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_kind_of_failure_has_one_exit_code() {
        assert_eq!(Failure::InvalidInput("x".into()).exit_code(), EXIT_INVALID_INPUT);
        assert_eq!(Failure::Diagnosed.exit_code(), EXIT_INVALID_INPUT);
        assert_eq!(Failure::Incomplete("x".into()).exit_code(), EXIT_RUN_ERROR);
        assert_eq!(Failure::Preflight("x".into()).exit_code(), EXIT_PREFLIGHT);
        let pipe = std::io::Error::from(std::io::ErrorKind::BrokenPipe);
        assert_eq!(Failure::writing("the report", &pipe).exit_code(), EXIT_BROKEN_PIPE);
    }
}
