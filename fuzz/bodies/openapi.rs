//! The OpenAPI loader: parsing, version detection, `$ref` resolution (internal and, through
//! a file that does not exist, external), the operation index, and compiling every schema
//! the index points at; then one validation per schema against a fixed instance.
//!
//! Shared by the fuzz target (`fuzz/fuzz_targets/openapi.rs`) and the replay of its seeds in
//! `cargo test` (`tests/fuzz_seeds.rs`): one body, so what CI replays is what is fuzzed.

use konform::catalogue::openapi::{ApiDoc, LoadOptions};
use konform::diag::Renderer;
use konform::source::SourceFile;
use std::path::Path;
use std::sync::Arc;

/// Returns how much it got through (operations indexed and schemas compiled), so a replay
/// can tell that its seeds reach past the first parse.
pub fn run(data: &[u8]) -> usize {
    let Ok(text) = std::str::from_utf8(data) else { return 0 };
    let file = Arc::new(SourceFile::from_text(Path::new("/nonexistent/konform-fuzz/openapi.yaml"), text.to_string()));
    let renderer = Renderer::new(false);
    match ApiDoc::load_source(file, &LoadOptions::default()) {
        Ok(api) => {
            let (compiled, diags) = api.compile_all_schemas();
            for d in diags.iter().chain(&api.warnings) {
                let _ = renderer.render(d);
            }
            let instance = serde_json::json!({"id": "x", "items": [1, "two", null], "n": 1.5});
            for op in &api.operations {
                let bodies = op.responses.iter().flat_map(|r| &r.content);
                let requests = op.request_body.iter().flat_map(|b| &b.content);
                for media in bodies.chain(requests) {
                    if let Some(schema) = &media.schema {
                        let _ = api.schemas.validate(schema, &instance);
                    }
                }
                for parameter in &op.parameters {
                    if let Some(schema) = &parameter.schema {
                        let _ = api.schemas.validate(schema, &serde_json::json!("1"));
                    }
                }
            }
            api.operations.len() + compiled
        }
        Err(diags) => {
            for d in &diags {
                let _ = renderer.render(d);
            }
            0
        }
    }
}
