//! Step results spooled to disk during a run, so that memory does not grow with the run.
//!
//! A finished scenario's steps (checks and evidence: the bulk of a report) are written to
//! an anonymous temporary file as one JSON document and dropped from memory; the run keeps
//! a handle (offset, length, verdict tally). Renderers read a scenario's steps back one
//! scenario at a time. The file has no name (`tempfile::tempfile` unlinks it at once), so
//! nothing is left behind however the process ends.
//!
//! The steps are spooled as pretty JSON indented exactly as they stand in the pretty JSON
//! report, so writing that report copies them through verbatim (as a
//! `serde_json::value::RawValue`) instead of parsing and re-serialising every step.

use std::borrow::Cow;
use std::fs::File;
use std::io::{Read, Seek, SeekFrom, Write};
use std::sync::{Arc, Mutex};

use serde::{Deserialize, Serialize};

use crate::model::{StepResult, Verdict};

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

/// How deep a scenario's `steps` list stands in the pretty JSON report: the report object,
/// its `specifications` list, a specification, its `scenarios` list and a scenario. The
/// test `spliced_report_is_byte_identical` holds this to what serde_json writes.
const STEPS_DEPTH: usize = 5;

/// `steps` as pretty JSON, indented as if written at [`STEPS_DEPTH`].
fn pretty_in_place(steps: &[StepResult]) -> serde_json::Result<Vec<u8>> {
    let mut out = Vec::with_capacity(4096);
    let mut ser = serde_json::Serializer::with_formatter(&mut out, InPlace { depth: STEPS_DEPTH, has_value: false });
    steps.serialize(&mut ser)?;
    Ok(out)
}

/// serde_json's `PrettyFormatter` (two spaces), starting at a given depth. serde_json
/// offers no way to start its formatter deeper, hence this copy of its layout rules.
struct InPlace {
    depth: usize,
    has_value: bool,
}

impl InPlace {
    fn newline<W: ?Sized + Write>(&self, w: &mut W) -> std::io::Result<()> {
        const SPACES: &[u8] = &[b' '; 64];
        w.write_all(b"\n")?;
        let mut left = self.depth * 2;
        while left > 0 {
            let n = left.min(SPACES.len());
            w.write_all(&SPACES[..n])?;
            left -= n;
        }
        Ok(())
    }
}

impl InPlace {
    fn open<W: ?Sized + Write>(&mut self, w: &mut W, bracket: &[u8]) -> std::io::Result<()> {
        self.depth += 1;
        self.has_value = false;
        w.write_all(bracket)
    }
    fn close<W: ?Sized + Write>(&mut self, w: &mut W, bracket: &[u8]) -> std::io::Result<()> {
        self.depth -= 1;
        if self.has_value {
            self.newline(w)?;
        }
        w.write_all(bracket)
    }
    fn next_item<W: ?Sized + Write>(&mut self, w: &mut W, first: bool) -> std::io::Result<()> {
        if !first {
            w.write_all(b",")?;
        }
        self.newline(w)
    }
}

impl serde_json::ser::Formatter for InPlace {
    fn begin_array<W: ?Sized + Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.open(w, b"[")
    }
    fn end_array<W: ?Sized + Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.close(w, b"]")
    }
    fn begin_array_value<W: ?Sized + Write>(&mut self, w: &mut W, first: bool) -> std::io::Result<()> {
        self.next_item(w, first)
    }
    fn end_array_value<W: ?Sized + Write>(&mut self, _: &mut W) -> std::io::Result<()> {
        self.has_value = true;
        Ok(())
    }
    fn begin_object<W: ?Sized + Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.open(w, b"{")
    }
    fn end_object<W: ?Sized + Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.close(w, b"}")
    }
    fn begin_object_key<W: ?Sized + Write>(&mut self, w: &mut W, first: bool) -> std::io::Result<()> {
        self.next_item(w, first)
    }
    fn begin_object_value<W: ?Sized + Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        w.write_all(b": ")
    }
    fn end_object_value<W: ?Sized + Write>(&mut self, _: &mut W) -> std::io::Result<()> {
        self.has_value = true;
        Ok(())
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
        let written = pretty_in_place(&steps).map_err(std::io::Error::other).and_then(|bytes| {
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

    fn read_bytes(&self, offset: u64, len: usize) -> std::io::Result<Vec<u8>> {
        let mut bytes = vec![0; len];
        let mut file = self.file.lock().unwrap_or_else(|p| p.into_inner());
        file.seek(SeekFrom::Start(offset))?;
        file.read_exact(&mut bytes)?;
        Ok(bytes)
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

    /// The spooled JSON text of the steps (a list of [`StepResult`]), for a renderer that
    /// reads only some fields and can skip the rest while parsing; `None` when in memory.
    pub fn spooled_json(&self) -> std::io::Result<Option<Vec<u8>>> {
        match self {
            Steps::Inline(_) => Ok(None),
            Steps::Spooled(s) => s.read().map(Some),
        }
    }

    /// The steps, read back from the spool if they were spooled.
    pub fn load(&self) -> std::io::Result<Cow<'_, [StepResult]>> {
        match self {
            Steps::Inline(steps) => Ok(Cow::Borrowed(steps)),
            Steps::Spooled(s) => {
                let bytes = s.read()?;
                serde_json::from_slice(&bytes).map(Cow::Owned).map_err(|e| unreadable(e.into()))
            }
        }
    }
}

impl Spooled {
    fn read(&self) -> std::io::Result<Vec<u8>> {
        self.spool.read_bytes(self.offset, self.len).map_err(unreadable)
    }
}

fn unreadable(e: std::io::Error) -> std::io::Error {
    std::io::Error::new(e.kind(), format!("cannot read the run's evidence back from its temporary file: {e}"))
}

impl Serialize for Steps {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Steps::Inline(steps) => steps.serialize(serializer),
            // Spliced as written: byte-identical in the pretty JSON report, the same value
            // anywhere else (serde_json re-reads a RawValue into a Value, for example).
            Steps::Spooled(s) => {
                let text = s.read().and_then(|b| String::from_utf8(b).map_err(std::io::Error::other));
                let text = text.map_err(serde::ser::Error::custom)?;
                let raw = serde_json::value::RawValue::from_string(text).map_err(serde::ser::Error::custom)?;
                raw.serialize(serializer)
            }
        }
    }
}

impl<'de> Deserialize<'de> for Steps {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Vec::<StepResult>::deserialize(deserializer).map(Steps::Inline)
    }
}

#[cfg(test)]
pub(crate) mod tests {
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
        assert_eq!(serde_json::to_value(&first).unwrap(), serde_json::to_value(&inline).unwrap());
        let back: Steps = serde_json::from_str(&serde_json::to_string(&first).unwrap()).unwrap();
        assert_eq!(back.tally(), first.tally());
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
            "format_version": "1.0", "tool": "konform", "tool_version": "0", "target": {"base_url": "http://x/"},
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
        for scenario in &mut spooled.specifications[0].scenarios {
            let steps = scenario.steps.load().unwrap().into_owned();
            scenario.steps = spool.put(steps);
            assert!(matches!(scenario.steps, Steps::Spooled(_)));
        }
        (inline, spooled)
    }

    /// The pretty JSON report with spooled steps spliced in is the very text serde_json
    /// writes for the same report held in memory.
    #[test]
    fn spliced_report_is_byte_identical() {
        let (inline, spooled) = sample_reports();
        let (mut a, mut b) = (Vec::new(), Vec::new());
        crate::report::write::json(&inline, &mut a).unwrap();
        crate::report::write::json(&spooled, &mut b).unwrap();
        assert_eq!(String::from_utf8(b).unwrap(), String::from_utf8(a).unwrap());
    }
}
