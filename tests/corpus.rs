//! Every OpenAPI document in ../shared/corpus loads, or is rejected exactly as pinned here,
//! with an error that names the file and line; none panics. Runs the real binary so a panic
//! anywhere (including rendering) shows.
//!
//! The corpus is real descriptions written by others, kept beside the project, never
//! copied into it. Without it these tests fail and say so (`.ci/run` skips them by name,
//! with a warning, where it is absent).

mod common;

use std::collections::BTreeMap;
use std::path::PathBuf;

use common::{konform, project_root};

/// Documents in the corpus today, and how many of them load.
const DOCUMENTS: usize = 166;
const LOADED: usize = 157;

/// The rejected documents, each with the codes of its errors: Swagger 2.0 files, DIGG test
/// specs that are not valid YAML or use an operationId twice (on purpose: they are lint
/// fixtures), and one description whose schemas do not compile.
const REJECTED: [(&str, &[&str]); 9] = [
    ("apisguru/codat.io__accounting.json", &["openapi::schema"]),
    ("digg/rap-lp-apis/fns-api.yaml", &["openapi::duplicate-operation-id"]),
    ("digg/rap-lp-apis/for-api.yaml", &["openapi::parse"]),
    ("digg/rap-lp-apis/for.yaml", &["openapi::parse"]),
    ("digg/rap-lp-apis/ufn-api.yaml", &["openapi::parse"]),
    ("digg/rap-lp-apis/ver-api.yaml", &["openapi::duplicate-operation-id"]),
    ("extra/okta-management-swagger2.json", &["openapi::swagger2"]),
    ("extra/okta-management-swagger2.yaml", &["openapi::swagger2"]),
    ("large/kubernetes-1.13-swagger.json", &["openapi::swagger2"]),
];

fn corpus_root() -> PathBuf {
    let root = project_root().join("../shared/corpus");
    assert!(
        root.is_dir(),
        "../shared/corpus is absent ({}): the corpus tests need the real descriptions kept beside the project",
        root.display()
    );
    root
}

#[test]
fn corpus_documents_load_or_are_rejected_exactly_as_pinned() {
    let root = corpus_root();
    let files = common::files_under(&root, &["json", "yaml", "yml"]);
    let mut loaded = 0;
    let mut rejected: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for file in &files {
        let name = file.strip_prefix(&root).unwrap().display().to_string();
        let out = konform().args(["check", "--format", "json"]).arg(file).output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(!stderr.contains("panicked"), "{name} panicked:\n{stderr}");
        match out.status.code() {
            Some(0) => loaded += 1,
            Some(2) => {
                let report: serde_json::Value = serde_json::from_slice(&out.stdout)
                    .unwrap_or_else(|e| panic!("{name}: exit 2 without a JSON report ({e}):\n{stderr}"));
                let errors: Vec<&serde_json::Value> =
                    report["diagnostics"].as_array().unwrap().iter().filter(|d| d["level"] == "error").collect();
                assert!(!errors.is_empty(), "{name}: rejected without an error diagnostic");
                for e in &errors {
                    assert!(e["message"].as_str().is_some_and(|m| !m.is_empty()), "{name}: {e}");
                    assert!(
                        e["file"].as_str().is_some_and(|f| f.ends_with(&name)),
                        "{name}: the error names the file: {e}"
                    );
                    assert!(e["line"].as_u64().is_some_and(|l| l > 0), "{name}: the error names the line: {e}");
                }
                let mut codes: Vec<String> = errors.iter().map(|e| e["code"].as_str().unwrap().to_string()).collect();
                codes.sort();
                codes.dedup();
                rejected.insert(name, codes);
            }
            other => panic!("{name}: unexpected exit {other:?}\n{stderr}"),
        }
    }
    let pinned: BTreeMap<String, Vec<String>> =
        REJECTED.iter().map(|(f, codes)| (f.to_string(), codes.iter().map(|c| c.to_string()).collect())).collect();
    assert_eq!(rejected, pinned, "the rejected documents and their error codes");
    assert_eq!(files.len(), DOCUMENTS, "documents in the corpus: update DOCUMENTS and LOADED when it changes");
    assert_eq!(loaded, LOADED, "documents that load");
}
