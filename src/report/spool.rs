//! Step results spooled to disk during a run, so that memory does not grow with the run.
//!
//! A finished scenario's steps (checks and evidence: the bulk of a report) are written to
//! an anonymous temporary file as one JSON document and dropped from memory; the run keeps
//! a handle (offset, length, verdict tally). Renderers read a scenario's steps back one
//! scenario at a time. The file has no name (`tempfile::tempfile` unlinks it at once), so
//! nothing is left behind however the process ends.

use std::borrow::Cow;
use std::fs::File;
use std::io::{Read, Seek, SeekFrom, Write};
use std::sync::{Arc, Mutex};

use serde::{Deserialize, Serialize};

use super::model::{StepResult, Verdict};

/// How many steps a scenario had, by verdict.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Tally {
    pub steps: usize,
    pub passed: usize,
    pub failed: usize,
    pub error: usize,
    pub skipped: usize,
}

impl Tally {
    pub fn of(steps: &[StepResult]) -> Tally {
        let mut t = Tally { steps: steps.len(), ..Tally::default() };
        for s in steps {
            match s.verdict {
                Verdict::Pass => t.passed += 1,
                Verdict::Fail => t.failed += 1,
                Verdict::Error => t.error += 1,
                Verdict::Skipped => t.skipped += 1,
            }
        }
        t
    }
}

/// The spool file of one run.
#[derive(Debug)]
pub struct Spool {
    file: Mutex<File>,
}

impl Spool {
    /// Creates the spool in the system's temporary folder (`TMPDIR`).
    pub fn new() -> Result<Arc<Spool>, String> {
        let file = tempfile::tempfile().map_err(|e| {
            format!("cannot create a temporary file for the run's evidence in {}: {e}", std::env::temp_dir().display())
        })?;
        Ok(Arc::new(Spool { file: Mutex::new(file) }))
    }

    /// Writes the steps out and returns a handle to them; on a write failure (a full disk)
    /// the steps stay in memory rather than being lost.
    pub fn put(self: &Arc<Self>, steps: Vec<StepResult>) -> Steps {
        let tally = Tally::of(&steps);
        let written = serde_json::to_vec(&steps).map_err(std::io::Error::other).and_then(|bytes| {
            let mut file = self.file.lock().unwrap_or_else(|p| p.into_inner());
            let offset = file.seek(SeekFrom::End(0))?;
            file.write_all(&bytes)?;
            Ok((offset, bytes.len()))
        });
        match written {
            Ok((offset, len)) => Steps::Spooled(Spooled { spool: self.clone(), offset, len, tally }),
            Err(_) => Steps::Inline(steps),
        }
    }

    fn read(&self, offset: u64, len: usize) -> std::io::Result<Vec<StepResult>> {
        let mut bytes = vec![0; len];
        {
            let mut file = self.file.lock().unwrap_or_else(|p| p.into_inner());
            file.seek(SeekFrom::Start(offset))?;
            file.read_exact(&mut bytes)?;
        }
        serde_json::from_slice(&bytes).map_err(std::io::Error::other)
    }
}

/// Where a spooled scenario's steps are.
#[derive(Debug, Clone)]
pub struct Spooled {
    spool: Arc<Spool>,
    offset: u64,
    len: usize,
    tally: Tally,
}

/// The steps of a scenario: in memory (a report read back, the profile's probes) or
/// spooled to disk (a run's scenarios). Serialises as a plain list either way.
#[derive(Debug, Clone)]
pub enum Steps {
    Inline(Vec<StepResult>),
    Spooled(Spooled),
}

impl Default for Steps {
    fn default() -> Self {
        Steps::Inline(Vec::new())
    }
}

impl From<Vec<StepResult>> for Steps {
    fn from(steps: Vec<StepResult>) -> Self {
        Steps::Inline(steps)
    }
}

impl Steps {
    pub fn len(&self) -> usize {
        self.tally().steps
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    pub fn tally(&self) -> Tally {
        match self {
            Steps::Inline(steps) => Tally::of(steps),
            Steps::Spooled(s) => s.tally,
        }
    }

    /// The steps, read back from the spool if they were spooled.
    pub fn load(&self) -> std::io::Result<Cow<'_, [StepResult]>> {
        match self {
            Steps::Inline(steps) => Ok(Cow::Borrowed(steps)),
            Steps::Spooled(s) => s.spool.read(s.offset, s.len).map(Cow::Owned).map_err(|e| {
                std::io::Error::new(
                    e.kind(),
                    format!("cannot read the run's evidence back from its temporary file: {e}"),
                )
            }),
        }
    }
}

impl Serialize for Steps {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let steps = self.load().map_err(serde::ser::Error::custom)?;
        steps.serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for Steps {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Vec::<StepResult>::deserialize(deserializer).map(Steps::Inline)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn step(name: &str, verdict: Verdict) -> StepResult {
        StepResult {
            name: name.into(),
            operation: "op".into(),
            verdict,
            reason: None,
            cleanup: false,
            location: "suite.yaml:1:1".into(),
            checks: Vec::new(),
            exchange: None,
        }
    }

    #[test]
    fn spooled_steps_read_back_as_written_and_serialise_like_inline_ones() {
        let spool = Spool::new().unwrap();
        let first = spool.put(vec![step("a", Verdict::Pass), step("b", Verdict::Fail)]);
        let second = spool.put(vec![step("c", Verdict::Skipped)]);
        assert!(matches!(first, Steps::Spooled(_)));
        assert_eq!(first.tally(), Tally { steps: 2, passed: 1, failed: 1, error: 0, skipped: 0 });
        assert_eq!(second.load().unwrap()[0].name, "c");
        assert_eq!(first.load().unwrap()[1].name, "b");
        let inline = Steps::Inline(vec![step("a", Verdict::Pass), step("b", Verdict::Fail)]);
        assert_eq!(serde_json::to_string(&first).unwrap(), serde_json::to_string(&inline).unwrap());
        let back: Steps = serde_json::from_str(&serde_json::to_string(&first).unwrap()).unwrap();
        assert_eq!(back.tally(), first.tally());
    }
}
