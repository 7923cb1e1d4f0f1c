//! The suite parser: YAML → JSON with positions, the typed suite model, compilation of
//! expectations, captures and templates, and the rendering of every diagnostic.
#![no_main]

use std::path::Path;
use std::sync::Arc;

use konform::diag::Renderer;
use konform::source::SourceFile;
use konform::suite::Suite;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let file = Arc::new(SourceFile::from_text(Path::new("fuzz-suite.yaml"), text.to_string()));
    let renderer = Renderer::new(false);
    let diags = match Suite::from_source(file, Path::new("/nonexistent/konform-fuzz")) {
        Ok((suite, diags)) => {
            for scenario in &suite.scenarios {
                for step in &scenario.steps {
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
});
