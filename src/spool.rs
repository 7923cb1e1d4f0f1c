//! Step results and scenario summaries spooled to disk during a run, so that memory does not
//! grow with the run.
//!
//! A finished scenario's steps (checks and evidence: the bulk of a report) are written to
//! an anonymous temporary file as one compact JSON document and dropped from memory; the
//! run keeps a handle ([`StoredSteps`]: a record number and a verdict tally). Its summary
//! (id, title, covers, verdict: see [`crate::model::scenarios`]) follows as a record of its
//! own, and the run keeps only that record's number. Renderers read them back one scenario
//! at a time. The file has no name
//! (`tempfile::tempfile` unlinks it at once), so nothing is left behind however the
//! process ends.

use std::fs::File;
use std::io::{Read, Seek, SeekFrom, Write};
use std::sync::{Arc, Mutex};

use crate::model::{ScenarioResult, StepResult, StepStore, Steps, StoredSteps, Tally};

/// The spool file of one run, and where each record is in it (8 bytes a record, two records
/// a scenario).
#[derive(Debug)]
pub struct Spool {
    file: Mutex<Store>,
}

/// Records are gathered in `pending` and written [`FLUSH_AT`] bytes at a time: one write
/// per many scenarios rather than a seek and a write for each (a one-step scenario's
/// evidence is a few KB).
#[derive(Debug)]
struct Store {
    file: File,
    /// Where each record starts, counting `pending` as if written. Records are contiguous: one
    /// ends where the next starts (the last where `pending` ends).
    records: Vec<u64>,
    /// Bytes in the file.
    written: u64,
    pending: Vec<u8>,
}

const FLUSH_AT: usize = 64 * 1024;

impl Spool {
    /// Creates the spool in the system's temporary folder (`TMPDIR`).
    pub fn new() -> Result<Arc<Spool>, SpoolError> {
        let file = tempfile::tempfile().map_err(|source| SpoolError { dir: std::env::temp_dir(), source })?;
        let store = Store { file, records: Vec::new(), written: 0, pending: Vec::new() };
        Ok(Arc::new(Spool { file: Mutex::new(store) }))
    }

    /// Writes the steps out and returns a handle to them; on a write failure (a full disk)
    /// the steps stay in memory rather than being lost.
    pub fn put(self: &Arc<Self>, steps: Vec<StepResult>) -> Steps {
        let tally = Tally::of(&steps);
        let written = serde_json::to_vec(&steps).map_err(std::io::Error::other).and_then(|b| self.append(&b));
        match written {
            Ok(record) => Steps::Stored(StoredSteps::new(self.clone(), record, tally)),
            Err(_) => Steps::Inline(steps),
        }
    }

    /// Writes a finished scenario's summary out (its steps are spooled first, by [`put`]),
    /// and returns its record number for [`Scenarios::push_stored`]; on a write failure the
    /// caller keeps the scenario in memory.
    ///
    /// [`put`]: Spool::put
    /// [`Scenarios::push_stored`]: crate::model::Scenarios::push_stored
    pub fn put_scenario(&self, scenario: &ScenarioResult) -> std::io::Result<u64> {
        let bytes = crate::model::scenarios::record(scenario).map_err(std::io::Error::other)?;
        self.append(&bytes)
    }

    fn append(&self, bytes: &[u8]) -> std::io::Result<u64> {
        let mut guard = self.file.lock().unwrap_or_else(|p| p.into_inner());
        let store = &mut *guard;
        let before = store.pending.len();
        let offset = store.written + before as u64;
        store.pending.extend_from_slice(bytes);
        if store.pending.len() >= FLUSH_AT {
            if let Err(e) = store.flush() {
                // This record stays with its caller, in memory; the earlier ones pending too.
                store.pending.truncate(before);
                return Err(e);
            }
        }
        store.records.push(offset);
        Ok(store.records.len() as u64 - 1)
    }
}

/// The spool could not be made: the run cannot keep its evidence (exit 3; nothing is sent).
#[derive(Debug, thiserror::Error)]
#[error("cannot create a temporary file for the run's evidence in {}: {source}", dir.display())]
pub struct SpoolError {
    dir: std::path::PathBuf,
    source: std::io::Error,
}

impl From<SpoolError> for crate::error::Failure {
    fn from(e: SpoolError) -> crate::error::Failure {
        crate::error::Failure::Incomplete(e.to_string())
    }
}

impl Store {
    /// Writes what is pending at the end of the file. On a failure (a full disk) nothing of
    /// it counts as written, and the records it holds stay readable from memory.
    fn flush(&mut self) -> std::io::Result<()> {
        if self.pending.is_empty() {
            return Ok(());
        }
        self.file.seek(SeekFrom::Start(self.written))?;
        self.file.write_all(&self.pending)?;
        self.written += self.pending.len() as u64;
        self.pending.clear();
        Ok(())
    }
}

impl StepStore for Spool {
    fn read(&self, record: u64) -> std::io::Result<Vec<u8>> {
        let mut guard = self.file.lock().unwrap_or_else(|p| p.into_inner());
        let store = &mut *guard;
        let record = record as usize;
        let &offset = store
            .records
            .get(record)
            .ok_or_else(|| std::io::Error::new(std::io::ErrorKind::NotFound, "no such record in the spool"))?;
        let end = store.records.get(record + 1).copied().unwrap_or(store.written + store.pending.len() as u64);
        let len = (end - offset) as usize;
        if offset >= store.written {
            let at = (offset - store.written) as usize;
            return Ok(store.pending[at..at + len].to_vec());
        }
        let mut bytes = vec![0; len];
        store.file.seek(SeekFrom::Start(offset))?;
        store.file.read_exact(&mut bytes)?;
        Ok(bytes)
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::model::Verdict;

    fn step(name: &str, verdict: Verdict) -> StepResult {
        StepResult {
            name: name.into(),
            operation: "op".into(),
            verdict,
            reason: None,
            cleanup: false,
            setup: false,
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
        assert!(matches!(first, Steps::Stored(_)));
        assert_eq!(first.tally(), Tally { steps: 2, passed: 1, failed: 1, error: 0, skipped: 0 });
        assert_eq!(second.load().unwrap()[0].name, "c");
        assert_eq!(first.load().unwrap()[1].name, "b");
        let inline = Steps::Inline(vec![step("a", Verdict::Pass), step("b", Verdict::Fail)]);
        assert_eq!(serde_json::to_value(&first).unwrap(), serde_json::to_value(&inline).unwrap());
        let back: Steps = serde_json::from_str(&serde_json::to_string(&first).unwrap()).unwrap();
        assert_eq!(back.tally(), first.tally());
    }

    #[test]
    fn records_read_back_whether_written_out_or_still_pending() {
        let spool = Spool::new().unwrap();
        // Enough scenarios for several writes of FLUSH_AT bytes, and some left pending.
        let big = "x".repeat(5_000);
        let stored: Vec<Steps> = (0..40).map(|i| spool.put(vec![step(&format!("{i}{big}"), Verdict::Pass)])).collect();
        let store = spool.file.lock().unwrap();
        assert!(
            store.written > 0 && !store.pending.is_empty(),
            "{} written, {} pending",
            store.written,
            store.pending.len()
        );
        drop(store);
        for (i, steps) in stored.iter().enumerate().rev() {
            assert_eq!(steps.load().unwrap()[0].name, format!("{i}{big}"));
        }
    }

    #[test]
    fn scenarios_stored_read_back_as_held_ones_whether_their_steps_were_stored_or_not() {
        let (inline, _) = sample_reports();
        let held: Vec<crate::model::ScenarioResult> =
            inline.specifications[0].scenarios.iter().map(|s| s.unwrap().into_owned()).collect();
        let spool = Spool::new().unwrap();
        let mut mixed = crate::model::Scenarios::stored_in(spool.clone());
        // The first with its steps spooled apart, the second with its steps in its own record,
        // then one kept in memory (as when the spool cannot be written).
        let mut first = held[0].clone();
        first.steps = spool.put(first.steps.load().unwrap().into_owned());
        mixed.push_stored(spool.put_scenario(&first).unwrap());
        mixed.push_stored(spool.put_scenario(&held[1]).unwrap());
        mixed.push(held[0].clone());
        let expected = serde_json::json!([held[0], held[1], held[0]]);
        assert_eq!(serde_json::to_value(&mixed).unwrap(), expected);
        let second = mixed.get(1).unwrap();
        assert_eq!((second.id.as_str(), second.covers.as_slice()), ("none", &["R-1".to_string()][..]));
        assert!(matches!(mixed.get(0).unwrap().steps, Steps::Stored(_)));
        assert_eq!(mixed.get(0).unwrap().steps.tally().failed, 1);
    }

    /// A small report with a failed step (escapes, line breaks, evidence) and an empty
    /// scenario, held in memory; and the same report with its steps spooled.
    pub(crate) fn sample_reports() -> (crate::model::RunReport, crate::model::RunReport) {
        let title = serde_json::json!({"sv": "Läs", "en": "Read"});
        let counts = serde_json::to_value(crate::model::Counts::default()).unwrap();
        let steps = serde_json::json!([
            {"name": "read \"it\"\nagain", "operation": "getItem", "verdict": "fail", "reason": "status: 500",
             "cleanup": false, "location": "s.yaml:3:7",
             "checks": [{"name": "status", "kind": "expect", "passed": false, "message": "got 500",
                         "expected": "200", "actual": "500", "location": "s.yaml:5:9"},
                        {"name": "body-schema", "kind": "openapi", "passed": true, "message": "valid <&>"}],
             "exchange": {"method": "GET", "url": "http://127.0.0.1:1/items/1", "request_headers": [["accept", "*/*"]],
                          "status": 500, "response_headers": [],
                          "response_body": {"text": "{\"a\":\n [1]}\t", "size": 12, "truncated": false},
                          "timings": {"total_ms": 1.5}, "attempts": 1, "curl": "curl 'http://127.0.0.1:1/items/1'"}},
            {"name": "empty", "operation": "getItem", "verdict": "skipped", "reason": "needs `id`",
             "cleanup": true, "location": "s.yaml:9:7", "checks": []},
            {"name": "fine", "operation": "getItem", "verdict": "pass", "cleanup": false, "location": "s.yaml:12:7",
             "checks": []}
        ]);
        let scenario = |id: &str, steps: &serde_json::Value| {
            serde_json::json!({"id": id, "title": title, "covers": ["R-1"], "verdict": "fail", "duration_ms": 2.0,
                               "steps": steps})
        };
        let mut spec_counts = counts.clone();
        spec_counts["steps"] = 3.into();
        let report = serde_json::json!({
            "format_version": crate::model::FORMAT_VERSION, "tool": "konform", "tool_version": "0", "target": {"base_url": "http://x/"},
            "started": "s", "finished": "f", "duration_ms": 1.0, "fail_on": "must", "verdict": "not_certified",
            "partial": false, "interrupted": false, "counts": spec_counts,
            "specifications": [{"id": "a", "version": "1", "title": title,
                "fingerprints": {"combined": "c", "files": {}}, "verdict": "not_certified", "partial": false,
                "requirements": [], "counts": spec_counts,
                "scenarios": [scenario("one", &steps), scenario("none", &serde_json::json!([]))]}]
        });
        let inline: crate::model::RunReport = serde_json::from_value(report).unwrap();
        let mut spooled = inline.clone();
        let spool = Spool::new().unwrap();
        let mut stored = crate::model::Scenarios::stored_in(spool.clone());
        for scenario in inline.specifications[0].scenarios.iter() {
            let mut scenario = scenario.unwrap().into_owned();
            let steps = scenario.steps.load().unwrap().into_owned();
            scenario.steps = spool.put(steps);
            assert!(matches!(scenario.steps, Steps::Stored(_)));
            stored.push_stored(spool.put_scenario(&scenario).unwrap());
        }
        spooled.specifications[0].scenarios = stored;
        (inline, spooled)
    }
}
