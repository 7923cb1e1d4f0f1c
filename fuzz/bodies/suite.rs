//! The suite parser: YAML → JSON with positions, the typed suite model, compilation of
//! expectations, captures and templates, and the rendering of every diagnostic.
//!
//! Shared by the fuzz target (`fuzz/fuzz_targets/suite.rs`) and the replay of its seeds in
//! `cargo test` (`tests/fuzz_seeds.rs`): one body, so what CI replays is what is fuzzed.

use konform::diag::Renderer;
use konform::source::SourceFile;
use konform::suite::Suite;
use std::path::Path;
use std::sync::Arc;

/// Returns how much it got through (the steps compiled), so a replay can tell that its
/// seeds reach past the first parse.
pub fn run(data: &[u8]) -> usize {
    let Ok(text) = std::str::from_utf8(data) else { return 0 };
    let file = Arc::new(SourceFile::from_text(Path::new("fuzz-suite.yaml"), text.to_string()));
    let renderer = Renderer::new(false);
    let mut steps = 0;
    let diags = match Suite::from_source(
        file,
        Path::new("/nonexistent/konform-fuzz"),
        &konform::source::Boundary::catalogue(Path::new("/nonexistent")),
    ) {
        Ok((suite, diags)) => {
            for scenario in &suite.scenarios {
                for step in &scenario.steps {
                    steps += 1;
                    let _ = step.variables_used();
                    let _ = step.variables_expected();
                }
            }
            diags
        }
        Err(diags) => diags,
    };
    for d in &diags {
        let _ = renderer.render(d);
        let _ = d.location();
    }
    steps
}
