//! Suite expectations and captures, evaluated on a response.

use serde_json::Value;

use super::Response;
use crate::messages::{self, CaptureFrom, CaptureProblem, Expectation, JsonProblem, Msg, OpFailure};
use crate::model::show;
use crate::model::{Check, CheckKind};
use crate::suite::assert::{Bound, JsonType};
use crate::suite::template::render_value;
use crate::suite::{Assertion, Capture, CaptureSource, Op, StatusExpect, Step, Subject};

/// Lookup for variables used in expected values.
pub type Lookup<'a> = dyn FnMut(&str) -> Option<Value> + 'a;

/// The status expectation.
pub fn judge_status(expect: &StatusExpect, status: u16) -> Check {
    let allowed = expect.allowed.iter().map(ToString::to_string).collect();
    let passed = expect.matches(status);
    Check {
        name: "status".into(),
        kind: CheckKind::Expect,
        passed,
        said: if passed {
            Msg::StatusAsExpected { status, allowed }
        } else {
            Msg::StatusUnexpected { status, allowed }
        },
        location: Some(expect.location.clone()),
        pointer: None,
    }
}

/// Evaluates captures: the values captured, and a check per capture.
pub fn capture(step: &Step, response: &Response) -> (Vec<(String, Value)>, Vec<Check>) {
    let mut values = Vec::new();
    let mut checks = Vec::new();
    let json = response.json();
    for c in &step.captures {
        let result = capture_one(c, response, &json);
        let (passed, said) = match result {
            Ok(v) => {
                let said = Msg::Captured { name: c.name.clone(), value: show(&v) };
                values.push((c.name.clone(), v));
                (true, said)
            }
            Err(problem) => (false, Msg::CaptureFailed { name: c.name.clone(), from: capture_from(c), problem }),
        };
        checks.push(Check {
            name: format!("capture {}", c.name),
            kind: CheckKind::Capture,
            passed,
            said,
            location: Some(c.location.clone()),
            pointer: None,
        });
    }
    (values, checks)
}

fn capture_from(c: &Capture) -> CaptureFrom {
    let source = match &c.source {
        CaptureSource::Body(p) => messages::CaptureSource::Body { path: p.text.clone() },
        CaptureSource::Header(h) => messages::CaptureSource::Header { name: h.clone() },
        CaptureSource::BodyText => messages::CaptureSource::BodyText,
    };
    CaptureFrom { source, regex: c.regex.as_ref().map(|r| r.as_str().to_string()) }
}

fn capture_one(c: &Capture, response: &Response, json: &Result<&Value, &JsonProblem>) -> Result<Value, CaptureProblem> {
    let source: Value = match &c.source {
        CaptureSource::Body(path) => {
            let json = json.map_err(|problem| CaptureProblem::Body { problem: problem.clone() })?;
            select(path, json).ok_or_else(|| CaptureProblem::NoValue { path: path.text.clone() })?
        }
        CaptureSource::Header(name) => Value::String(
            response.header(name).ok_or_else(|| CaptureProblem::NoHeader { name: name.clone() })?.to_string(),
        ),
        CaptureSource::BodyText => Value::String(String::from_utf8_lossy(&response.body).into_owned()),
    };
    let Some(regex) = &c.regex else { return Ok(source) };
    let text = match &source {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    };
    let caps = regex.captures(&text).ok_or_else(|| CaptureProblem::NoMatch {
        regex: regex.as_str().to_string(),
        text: crate::model::shorten(&text, 80),
    })?;
    let m = caps.get(1).or_else(|| caps.get(0)).map(|m| m.as_str()).unwrap_or("");
    Ok(Value::String(m.to_string()))
}

/// Selects with a JSONPath: one node is itself; several are a list; none is `None`.
pub fn select(path: &crate::suite::assert::JsonPathExpr, json: &Value) -> Option<Value> {
    let nodes = path.path.query(json).all();
    match nodes.len() {
        0 => None,
        1 => Some(nodes[0].clone()),
        _ => Some(Value::Array(nodes.into_iter().cloned().collect())),
    }
}

/// Evaluates the header and body expectations.
pub fn judge_expectations(step: &Step, response: &Response, lookup: &mut Lookup<'_>) -> Vec<Check> {
    let mut checks = Vec::new();
    for a in &step.expect.headers {
        let Subject::Header(name) = &a.subject else { continue };
        let actual = response.header(name).map(|v| Value::String(v.to_string()));
        checks.push(judge_assertion(a, actual.as_ref(), None, lookup));
    }
    if !step.expect.body.is_empty() {
        let json = response.json();
        for a in &step.expect.body {
            let Subject::Body(path) = &a.subject else { continue };
            let (actual, missing) = match &json {
                Ok(v) => (select(path, v), None),
                Err(problem) => (None, Some((*problem).clone())),
            };
            checks.push(judge_assertion(a, actual.as_ref(), missing, lookup));
        }
    }
    checks
}

fn judge_assertion(
    a: &Assertion,
    actual: Option<&Value>,
    missing: Option<JsonProblem>,
    lookup: &mut Lookup<'_>,
) -> Check {
    let subject = match &a.subject {
        Subject::Header(h) => messages::Subject::Header { name: h.clone() },
        Subject::Body(p) => messages::Subject::Body { path: p.text.clone() },
    };
    let mut failures = Vec::new();
    let mut expected = Vec::new();
    for op in &a.ops {
        let (passed, wanted, failure) = evaluate(op, actual, lookup);
        if !passed {
            failures.push(failure.unwrap_or(OpFailure::Unmet { expected: wanted.clone() }));
        }
        expected.push(wanted);
    }
    Check {
        name: subject.to_string(),
        kind: CheckKind::Expect,
        passed: failures.is_empty(),
        said: Msg::Assertion { subject, expected, failures, value: actual.map(show), missing },
        location: Some(a.location.clone()),
        pointer: None,
    }
}

/// One operator: (passed, what was expected, why it failed when that says more than "expected ...").
pub fn evaluate(op: &Op, actual: Option<&Value>, lookup: &mut Lookup<'_>) -> (bool, Expectation, Option<OpFailure>) {
    let render = |v: &Value, lookup: &mut Lookup<'_>| render_value(v, lookup).unwrap_or_else(|_| v.clone());
    match op {
        Op::Exists(want) => {
            let expected = if *want { Expectation::Exists } else { Expectation::Absent };
            (actual.is_some() == *want, expected, None)
        }
        _ if actual.is_none() => {
            let expected = describe(op, lookup);
            (false, expected.clone(), Some(OpFailure::NoValue { expected }))
        }
        Op::Equals(v) => {
            let want = render(v, lookup);
            (values_equal(actual.unwrap_or(&Value::Null), &want), Expectation::Equals { value: show(&want) }, None)
        }
        Op::NotEquals(v) => {
            let want = render(v, lookup);
            (!values_equal(actual.unwrap_or(&Value::Null), &want), Expectation::NotEquals { value: show(&want) }, None)
        }
        Op::Matches(re) => {
            let expected = Expectation::Matches { regex: re.as_str().to_string() };
            match actual {
                Some(Value::String(s)) => (re.is_match(s), expected, None),
                _ => (false, expected.clone(), Some(OpFailure::NotAString { expected })),
            }
        }
        Op::OneOf(items) => {
            let items: Vec<Value> = items.iter().map(|v| render(v, lookup)).collect();
            let a = actual.unwrap_or(&Value::Null);
            let values = items.iter().map(show).collect();
            (items.iter().any(|v| values_equal(a, v)), Expectation::OneOf { values }, None)
        }
        Op::Type(t) => {
            (t.accepts(actual.unwrap_or(&Value::Null)), Expectation::Type { json_type: t.name().to_string() }, None)
        }
        Op::Length(bounds) => {
            let expected = Expectation::Length { bounds: bounds.iter().map(bound_text).collect() };
            match actual.and_then(length_of) {
                Some(n) => {
                    let ok = bounds.iter().all(|b| bound_holds(b, n as f64));
                    (ok, expected.clone(), (!ok).then_some(OpFailure::LengthIs { expected, length: n }))
                }
                None => {
                    let json_type = JsonType::of(actual.unwrap_or(&Value::Null)).name().to_string();
                    (false, expected.clone(), Some(OpFailure::NoLength { expected, json_type }))
                }
            }
        }
        Op::Compare(cmp, limit) => {
            let expected = Expectation::Compare { bound: format!("{} {}", cmp.symbol(), fmt_num(*limit)) };
            match actual.and_then(number_of) {
                Some(n) => (cmp.holds(n, *limit), expected, None),
                None => (false, expected.clone(), Some(OpFailure::NotANumber { expected })),
            }
        }
        Op::Contains(v) => {
            let want = render(v, lookup);
            let ok = match (actual, &want) {
                (Some(Value::String(s)), Value::String(w)) => s.contains(w.as_str()),
                (Some(Value::Array(items)), w) => items.iter().any(|i| values_equal(i, w)),
                _ => false,
            };
            (ok, Expectation::Contains { value: show(&want) }, None)
        }
    }
}

fn describe(op: &Op, lookup: &mut Lookup<'_>) -> Expectation {
    evaluate(op, Some(&Value::Null), lookup).1
}

fn bound_text(b: &Bound) -> String {
    match b {
        Bound::Equals(n) => format!("= {}", fmt_num(*n)),
        Bound::Cmp(c, n) => format!("{} {}", c.symbol(), fmt_num(*n)),
    }
}

fn bound_holds(b: &Bound, n: f64) -> bool {
    match b {
        Bound::Equals(want) => (n - want).abs() < f64::EPSILON,
        Bound::Cmp(c, limit) => c.holds(n, *limit),
    }
}

fn fmt_num(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e15 {
        format!("{}", n as i64)
    } else {
        n.to_string()
    }
}

fn length_of(v: &Value) -> Option<usize> {
    match v {
        Value::Array(a) => Some(a.len()),
        Value::String(s) => Some(s.chars().count()),
        Value::Object(m) => Some(m.len()),
        _ => None,
    }
}

fn number_of(v: &Value) -> Option<f64> {
    match v {
        Value::Number(n) => n.as_f64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

/// JSON equality where numbers compare by value (`1` equals `1.0`).
pub fn values_equal(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => match (x.as_i64(), y.as_i64()) {
            (Some(i), Some(j)) => i == j,
            _ => x.as_f64() == y.as_f64(),
        },
        (Value::Array(x), Value::Array(y)) => x.len() == y.len() && x.iter().zip(y).all(|(a, b)| values_equal(a, b)),
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len() && x.iter().all(|(k, v)| y.get(k).is_some_and(|w| values_equal(v, w)))
        }
        _ => a == b,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::suite::assert::{compile_assertion, parse_json_path};
    use serde_json::json;

    fn eval(spec: Value, actual: Option<Value>) -> bool {
        let a = compile_assertion(Subject::Body(parse_json_path("$.x").unwrap()), &spec, String::new()).unwrap();
        let mut lookup = |_: &str| Some(json!("abc"));
        a.ops.iter().all(|op| evaluate(op, actual.as_ref(), &mut lookup).0)
    }

    #[test]
    fn operators() {
        assert!(eval(json!(1), Some(json!(1.0))));
        assert!(eval(json!("{{ v }}"), Some(json!("abc"))));
        assert!(!eval(json!("x"), None));
        assert!(eval(json!({"exists": false}), None));
        assert!(eval(json!({"matches": "^a.c$"}), Some(json!("abc"))));
        assert!(!eval(json!({"matches": "^a"}), Some(json!(5))));
        assert!(eval(json!({"one_of": ["a", "b"]}), Some(json!("b"))));
        assert!(eval(json!({"type": "number"}), Some(json!(3))));
        assert!(!eval(json!({"type": "integer"}), Some(json!(3.5))));
        assert!(eval(json!({"length": {"ge": 1, "lt": 3}}), Some(json!([1, 2]))));
        assert!(!eval(json!({"length": 2}), Some(json!(7))));
        assert!(eval(json!({"gt": 2, "le": 3}), Some(json!(3))));
        assert!(eval(json!({"contains": "bc"}), Some(json!("abcd"))));
        assert!(eval(json!({"contains": 2}), Some(json!([1, 2]))));
        assert!(eval(json!({"not_equals": "b"}), Some(json!("a"))));
    }
}
