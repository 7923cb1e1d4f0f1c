//! Lines for the changes' positions: each file is streamed through the parser once, for
//! all the pointers the changes hold in it (see `SourceFile::locate`), and only when some
//! change is in it, so two identical documents cost no locating at all.

use std::collections::HashMap;
use std::sync::Arc;

use super::{Change, Position};
use crate::source::SourceFile;

pub fn lines(changes: &mut [Change]) {
    let mut by_file: HashMap<*const SourceFile, (Arc<SourceFile>, Vec<String>)> = HashMap::new();
    for p in changes.iter().flat_map(|c| c.old.iter().chain(c.new.iter())) {
        let entry = by_file.entry(Arc::as_ptr(&p.source)).or_insert_with(|| (p.source.clone(), Vec::new()));
        entry.1.push(p.pointer.clone());
    }
    let mut lines: HashMap<(*const SourceFile, String), Option<usize>> = HashMap::new();
    for (key, (file, mut pointers)) in by_file {
        pointers.sort();
        pointers.dedup();
        // Ancestors too, so a pointer that is not written (a position given as "where it
        // would be") falls back to the nearest one that is.
        let mut wanted: Vec<&str> = Vec::new();
        for pointer in &pointers {
            let mut p = pointer.as_str();
            wanted.push(p);
            while let Some(i) = p.rfind('/') {
                p = &p[..i];
                wanted.push(p);
            }
        }
        let found = file.locate(&wanted);
        for pointer in &pointers {
            lines.insert((key, pointer.clone()), found.key(pointer).map(|s| s.line));
        }
    }
    let mut fill = |p: &mut Position| {
        p.line = lines.get(&(Arc::as_ptr(&p.source), p.pointer.clone())).copied().flatten();
    };
    for c in changes.iter_mut() {
        c.old.iter_mut().chain(c.new.iter_mut()).for_each(&mut fill);
    }
}
