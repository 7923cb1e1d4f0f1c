//! The fuzz targets' seed corpora replayed as ordinary tests: every seed in `fuzz/seeds/`
//! goes through the same body the fuzzer runs (`fuzz/bodies/`), so an input that once
//! crashed a target and was kept as a seed stays fixed. The fuzzing itself needs nightly
//! (docs/performance.md); this needs nothing.

#[path = "../fuzz/bodies/expressions.rs"]
mod expressions;
#[path = "../fuzz/bodies/openapi.rs"]
mod openapi;
#[path = "../fuzz/bodies/renderers.rs"]
mod renderers;
#[path = "../fuzz/bodies/suite.rs"]
mod suite;

use std::path::PathBuf;
use std::time::Duration;

/// Replays every seed of a target, naming the seed that panics or runs too long. Each target
/// returns how much of an input it got through; the seeds together must reach past the
/// first parse, or the replay would prove nothing.
fn replay(target: &str, run: fn(&[u8]) -> usize) {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("fuzz/seeds").join(target);
    let mut seeds: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .collect();
    seeds.sort();
    assert!(seeds.len() >= 5, "{target}: only {} seeds in {}", seeds.len(), dir.display());
    let mut reached = Vec::new();
    for seed in &seeds {
        let data = std::fs::read(seed).unwrap();
        // On its own thread, so a seed that hangs fails the test instead of hanging it; the
        // limit is generous for a debug build (the fuzzer's own limit finds slow inputs).
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let outcome = std::panic::catch_unwind(|| run(&data));
            let _ = tx.send(outcome.ok());
        });
        match rx.recv_timeout(Duration::from_secs(20)) {
            Ok(Some(got_through)) => reached.push(got_through),
            Ok(None) => panic!("{target}: the seed {} panics", seed.display()),
            Err(_) => panic!("{target}: the seed {} runs longer than 20 s", seed.display()),
        }
    }
    let deep = reached.iter().filter(|n| **n > 0).count();
    assert!(deep * 2 >= seeds.len(), "{target}: most seeds stop at the first parse: {reached:?}");
}

#[test]
fn the_suite_seeds_replay() {
    replay("suite", suite::run);
}

#[test]
fn the_openapi_seeds_replay() {
    replay("openapi", openapi::run);
}

#[test]
fn the_expressions_seeds_replay() {
    replay("expressions", expressions::run);
}

#[test]
fn the_renderers_seeds_replay() {
    replay("renderers", renderers::run);
}
