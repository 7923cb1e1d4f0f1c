//! Writing reports: to a temporary file beside the target, then renamed into place, so a
//! reader never sees half a report and an existing report is never half-overwritten.
//!
//! Only regular files are replaced that way. A symlink is written through (its target is
//! replaced, the link stays); a character device, FIFO or socket (`/dev/null`,
//! `/dev/stdout`, a pipe a reader waits on) is written to directly, never replaced; `-` is
//! standard output.

use std::io::Write;
use std::path::{Path, PathBuf};

use crate::model::RunReport;

/// Where a report named by a path really goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Destination {
    /// `-`.
    Stdout,
    /// A regular file, or none yet: written beside it, then renamed into place.
    Replace(PathBuf),
    /// A device, FIFO or socket: opened and written as it is.
    Direct(PathBuf),
}

impl Destination {
    /// Where `path` leads, following symlinks (a dangling one to where it points).
    pub fn of(path: &Path) -> Result<Destination, WriteError> {
        if path.as_os_str() == "-" {
            return Ok(Destination::Stdout);
        }
        let real = follow_links(path).map_err(|source| WriteError::Io { path: path.to_path_buf(), source })?;
        match std::fs::metadata(&real) {
            Ok(m) if m.is_dir() => Err(WriteError::NotAFile(path.to_path_buf())),
            Ok(m) if m.is_file() => Ok(Destination::Replace(real)),
            Ok(_) => Ok(Destination::Direct(real)),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                // A new file: its folder must be there, or the report is lost after the run.
                let folder = match real.parent() {
                    Some(f) if !f.as_os_str().is_empty() => f,
                    _ => Path::new("."),
                };
                if !folder.is_dir() {
                    return Err(WriteError::NoFolder { path: path.to_path_buf(), folder: folder.to_path_buf() });
                }
                Ok(Destination::Replace(real))
            }
            Err(source) => Err(WriteError::Io { path: path.to_path_buf(), source }),
        }
    }
}

/// The path a chain of symlinks ends at (itself when it is no symlink).
fn follow_links(path: &Path) -> std::io::Result<PathBuf> {
    let mut at = path.to_path_buf();
    for _ in 0..40 {
        match std::fs::symlink_metadata(&at) {
            Ok(m) if m.file_type().is_symlink() => {
                let to = std::fs::read_link(&at)?;
                at = match at.parent() {
                    Some(dir) if to.is_relative() => dir.join(to),
                    _ => to,
                };
            }
            _ => return Ok(at),
        }
    }
    Err(std::io::Error::other("too many levels of symbolic links"))
}

/// Writes `render`'s output to the report path `path` (see [`Destination`]).
pub fn report_to(path: &Path, render: impl FnOnce(&mut dyn Write) -> std::io::Result<()>) -> Result<(), WriteError> {
    let io = |source| WriteError::Io { path: path.to_path_buf(), source };
    match Destination::of(path)? {
        Destination::Replace(real) => atomically(&real, render).map_err(|e| match e {
            WriteError::Io { source, .. } => io(source),
            other => other,
        }),
        Destination::Direct(real) => {
            let file = std::fs::OpenOptions::new().write(true).open(real).map_err(io)?;
            let mut buffered = std::io::BufWriter::new(file);
            render(&mut buffered).and_then(|()| buffered.flush()).map_err(io)
        }
        Destination::Stdout => {
            let mut out = std::io::BufWriter::new(std::io::stdout().lock());
            render(&mut out).and_then(|()| out.flush()).map_err(io)
        }
    }
}

/// Writes `render`'s output to `path` atomically (a regular file, or none yet).
fn atomically(path: &Path, render: impl FnOnce(&mut dyn Write) -> std::io::Result<()>) -> Result<(), WriteError> {
    let dir = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let name = path.file_name().ok_or_else(|| WriteError::NotAFile(path.to_path_buf()))?;
    let tmp = dir.join(format!(".{}.{}.tmp", name.to_string_lossy(), std::process::id()));
    let result = (|| {
        let file = std::fs::File::create(&tmp)?;
        let mut buffered = std::io::BufWriter::new(file);
        render(&mut buffered)?;
        let file = buffered.into_inner().map_err(|e| e.into_error())?;
        file.sync_all()?;
        std::fs::rename(&tmp, path)
    })();
    result.map_err(|source| {
        let _ = std::fs::remove_file(&tmp);
        WriteError::Io { path: path.to_path_buf(), source }
    })
}

/// Why a report could not be written.
#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    #[error("{} is not a file path", .0.display())]
    NotAFile(std::path::PathBuf),
    #[error("cannot write the report {}: the folder {} does not exist", path.display(), folder.display())]
    NoFolder { path: std::path::PathBuf, folder: std::path::PathBuf },
    #[error("cannot write the report {}: {source}", path.display())]
    Io { path: std::path::PathBuf, source: std::io::Error },
}

impl From<WriteError> for crate::error::Failure {
    fn from(e: WriteError) -> crate::error::Failure {
        match e {
            WriteError::Io { source, .. } if source.kind() == std::io::ErrorKind::BrokenPipe => {
                crate::error::Failure::BrokenPipe
            }
            e => crate::error::Failure::Incomplete(e.to_string()),
        }
    }
}

/// The pretty JSON report. Spooled steps arrive as compact raw JSON and are laid out where
/// they stand, so the file is the very text serde_json's pretty printer writes for the
/// report held in memory.
pub fn json(report: &RunReport, out: &mut dyn Write) -> std::io::Result<()> {
    let mut ser = serde_json::Serializer::with_formatter(&mut *out, Pretty { depth: 0, has_value: false });
    serde::Serialize::serialize(report, &mut ser).map_err(std::io::Error::other)?;
    writeln!(out)
}

/// serde_json's `PrettyFormatter` (two spaces), which also lays out raw fragments (steps
/// read back from the spool as compact JSON) at the depth they stand at. serde_json's own
/// formatter writes a raw fragment as it is and keeps its depth private, hence this copy
/// of its layout rules.
struct Pretty {
    depth: usize,
    has_value: bool,
}

impl Pretty {
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

impl Pretty {
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

impl serde_json::ser::Formatter for Pretty {
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
    fn write_raw_fragment<W: ?Sized + Write>(&mut self, w: &mut W, fragment: &str) -> std::io::Result<()> {
        reindent(fragment.as_bytes(), self.depth, w)
    }
}

/// Lays out compact JSON as serde_json's pretty printer would at `depth`: a line per
/// member and item, two spaces an indent, `": "` after keys, empty `[]` and `{}` kept.
/// Strings (most of a step's evidence) are passed over with `memchr` to their closing quote,
/// and the text is laid out in one buffer and written once.
fn reindent<W: ?Sized + Write>(compact: &[u8], mut depth: usize, w: &mut W) -> std::io::Result<()> {
    fn newline(out: &mut Vec<u8>, depth: usize) {
        out.push(b'\n');
        out.resize(out.len() + 2 * depth, b' ');
    }
    let mut out = Vec::with_capacity(compact.len() + compact.len() / 4 + 64);
    let mut i = 0;
    while i < compact.len() {
        // Up to the next byte that is laid out (outside strings, nothing else is: compact
        // JSON has no whitespace between tokens).
        let Some(skip) = compact[i..].iter().position(|b| matches!(b, b'{' | b'[' | b'}' | b']' | b',' | b':' | b'"'))
        else {
            out.extend_from_slice(&compact[i..]);
            break;
        };
        out.extend_from_slice(&compact[i..i + skip]);
        i += skip;
        let b = compact[i];
        match b {
            b'"' => {
                // To the closing quote: the first `"` not escaped by a backslash.
                let mut j = i + 1;
                loop {
                    match memchr::memchr2(b'"', b'\\', &compact[j..]) {
                        Some(k) if compact[j + k] == b'\\' => j += k + 2,
                        Some(k) => {
                            j += k + 1;
                            break;
                        }
                        None => {
                            j = compact.len();
                            break;
                        }
                    }
                }
                let j = j.min(compact.len());
                out.extend_from_slice(&compact[i..j]);
                i = j;
                continue;
            }
            b'{' | b'[' if matches!(compact.get(i + 1), Some(b'}' | b']')) => {
                out.extend_from_slice(&compact[i..i + 2]);
                i += 1;
            }
            b'{' | b'[' => {
                depth += 1;
                out.push(b);
                newline(&mut out, depth);
            }
            b'}' | b']' => {
                depth = depth.saturating_sub(1);
                newline(&mut out, depth);
                out.push(b);
            }
            b',' => {
                out.push(b',');
                newline(&mut out, depth);
            }
            _ => out.extend_from_slice(b": "),
        }
        i += 1;
    }
    w.write_all(&out)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Compact JSON laid out at a depth is what serde_json's pretty printer writes, strings
    /// with escaped quotes and backslashes, empty containers and deep nesting included.
    #[test]
    fn reindented_compact_json_is_serde_jsons_pretty_text() {
        let values = [
            serde_json::json!({"a": "x\\\"y", "b": ["\\", "\"", "{[,:]}", "a\\\\\"b"], "c": {}, "d": [], "e": null}),
            serde_json::json!([[[]], [{}], {"k": [1, 2.5, -3, true, false, "ünïcödé ✓"]}]),
            serde_json::json!("a lone string with \"quotes\" and \\ slashes"),
            serde_json::json!({"deep": {"er": {"est": [{"x": {"y": [1]}}]}}}),
        ];
        for value in values {
            let compact = serde_json::to_vec(&value).unwrap();
            let mut laid = Vec::new();
            reindent(&compact, 0, &mut laid).unwrap();
            assert_eq!(String::from_utf8(laid).unwrap(), serde_json::to_string_pretty(&value).unwrap(), "{value}");
        }
    }

    #[test]
    fn writes_and_replaces_atomically() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("r.json");
        atomically(&path, |w| w.write_all(b"one")).unwrap();
        atomically(&path, |w| w.write_all(b"two")).unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "two");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1, "no temporary file left behind");
        let err = atomically(&dir.path().join("missing/r.json"), |w| w.write_all(b"x")).unwrap_err();
        assert!(err.to_string().contains("cannot write the report"), "{err}");
    }

    #[test]
    fn special_files_are_written_to_and_symlinks_through() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("real.json");
        let link = dir.path().join("link.json");
        std::os::unix::fs::symlink("real.json", &link).unwrap();
        // A dangling link: the file it names is created, the link stays a link.
        report_to(&link, |w| w.write_all(b"one")).unwrap();
        assert!(std::fs::symlink_metadata(&link).unwrap().file_type().is_symlink());
        assert_eq!(std::fs::read_to_string(&file).unwrap(), "one");
        report_to(&link, |w| w.write_all(b"two")).unwrap();
        assert!(std::fs::symlink_metadata(&link).unwrap().file_type().is_symlink());
        assert_eq!(std::fs::read_to_string(&file).unwrap(), "two");

        assert_eq!(Destination::of(Path::new("-")).unwrap(), Destination::Stdout);
        assert_eq!(
            Destination::of(dir.path()).unwrap_err().to_string(),
            format!("{} is not a file path", dir.path().display())
        );
        let lost = dir.path().join("missing/r.json");
        assert_eq!(
            Destination::of(&lost).unwrap_err().to_string(),
            format!(
                "cannot write the report {}: the folder {} does not exist",
                lost.display(),
                dir.path().join("missing").display()
            )
        );
        let fifo = dir.path().join("fifo");
        assert!(std::process::Command::new("mkfifo").arg(&fifo).status().unwrap().success());
        assert_eq!(Destination::of(&fifo).unwrap(), Destination::Direct(fifo));
    }

    /// The pretty JSON report with spooled steps laid out in place is the very text
    /// serde_json writes for the same report held in memory.
    #[test]
    fn spooled_steps_are_laid_out_as_if_held_in_memory() {
        let (inline, spooled) = crate::spool::tests::sample_reports();
        let mut a = Vec::new();
        serde_json::to_writer_pretty(&mut a, &inline).unwrap();
        a.push(b'\n');
        let (mut b, mut c) = (Vec::new(), Vec::new());
        json(&inline, &mut b).unwrap();
        json(&spooled, &mut c).unwrap();
        assert_eq!(String::from_utf8(b).unwrap(), String::from_utf8(a.clone()).unwrap());
        assert_eq!(String::from_utf8(c).unwrap(), String::from_utf8(a).unwrap());
    }
}
