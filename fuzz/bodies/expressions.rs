//! Expression evaluation: JSONPath selection, `{{ }}` templates and every expectation
//! operator, on a response body.
//!
//! The input is four sections separated by lines of `---`: a JSONPath, a template, an
//! expectation (YAML, such as `{ length: { ge: 1 }, all: { matches: "^a" } }`) and a JSON body.
//! Missing sections are empty.
//!
//! Shared by the fuzz target (`fuzz/fuzz_targets/expressions.rs`) and the replay of its seeds in
//! `cargo test` (`tests/fuzz_seeds.rs`): one body, so what CI replays is what is fuzzed.

use konform::judge::expect::{evaluate, judge_quantified, select};
use konform::source::yaml_to_value;
use konform::suite::assert::{compile_assertion, compile_capture, parse_json_path};
use konform::suite::template::{render_value, Template};
use konform::suite::Subject;
use serde_json::Value;

/// Returns how much it got through (the expectation operators evaluated), so a replay can
/// tell that its seeds reach past the first parse.
pub fn run(data: &[u8]) -> usize {
    let Ok(text) = std::str::from_utf8(data) else { return 0 };
    let mut parts = text.split("\n---\n");
    let path = parts.next().unwrap_or("");
    let template = parts.next().unwrap_or("");
    let spec = parts.next().unwrap_or("");
    let body = parts.next().unwrap_or("");

    let body: Value = serde_json::from_str(body).unwrap_or(Value::Null);
    // Variables resolve to parts of the body, so templates see every kind of value.
    let mut lookup = |name: &str| -> Option<Value> {
        match name {
            "missing" => None,
            "body" => Some(body.clone()),
            other => body.get(other).cloned().or_else(|| Some(Value::String(other.to_string()))),
        }
    };

    if let Ok(t) = Template::parse(template) {
        let _ = t.variables().count();
        let _ = t.render(&mut lookup);
    }
    let _ = render_value(&Value::String(template.to_string()), &mut lookup);

    let Ok(path) = parse_json_path(path) else { return 0 };
    let actual = select(&path, &body);
    let spec_value = yaml_to_value(spec).unwrap_or_else(|_| Value::String(spec.to_string()));
    let _ = render_value(&spec_value, &mut lookup);
    let mut evaluated = 0;
    if let Ok(assertion) = compile_assertion(Subject::Body(path.clone()), &spec_value, String::new()) {
        for op in &assertion.ops {
            let _ = evaluate(op, actual.as_ref(), &mut lookup);
            let _ = evaluate(op, None, &mut lookup);
            evaluated += 1;
        }
        let matches = path.path.query_located(&body).all();
        for q in &assertion.quantified {
            let _ = judge_quantified(q, &matches, &mut lookup);
            evaluated += q.ops.len();
        }
    }
    let _ = compile_capture("fuzzed".into(), &spec_value, String::new());
    evaluated
}
