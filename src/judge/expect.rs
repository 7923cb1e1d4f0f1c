//! Suite expectations and captures, evaluated on a response.

use serde_json::Value;
use serde_json_path::LocatedNode;

use super::Response;
use crate::messages::{self, CaptureFrom, CaptureProblem, Expectation, JsonProblem, MatchFailure, Msg, OpFailure};
use crate::model::show;
use crate::model::{Check, CheckKind};
use crate::suite::assert::{Bound, JsonPathExpr, JsonType, Quantified, Quantifier};
use crate::suite::template::render_value;
use crate::suite::{Assertion, Capture, CaptureSource, Expect, Op, StatusExpect, Step, Subject};

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
        requirement: None,
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
            requirement: None,
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

/// Selects with a JSONPath for a capture: a singular path's value, a multi-match path's list
/// of matches (one match too); no match is `None`.
pub fn select(path: &JsonPathExpr, json: &Value) -> Option<Value> {
    let nodes = path.path.query(json).all();
    match nodes.len() {
        0 => None,
        // What a path gives depends on its kind, never on how many values it happened to
        // match: a singular path its value, a multi-match path the list of its matches.
        1 if path.singular => Some(nodes[0].clone()),
        _ => Some(Value::Array(nodes.into_iter().cloned().collect())),
    }
}

/// Evaluates the header and body expectations.
pub fn judge_expectations(expect: &Expect, response: &Response, lookup: &mut Lookup<'_>) -> Vec<Check> {
    let mut checks = Vec::new();
    for a in &expect.headers {
        let Subject::Header(name) = &a.subject else { continue };
        let value = response.header(name).map(|v| Value::String(v.to_string()));
        let found = Selected { found: value.is_some(), value, matches: Vec::new(), missing: None };
        checks.push(judge_assertion(a, &found, lookup));
    }
    if !expect.body.is_empty() {
        let json = response.json();
        for a in &expect.body {
            let Subject::Body(path) = &a.subject else { continue };
            let found = match &json {
                Ok(v) => Selected::of(path, v),
                Err(problem) => {
                    Selected { value: None, found: false, matches: Vec::new(), missing: Some((*problem).clone()) }
                }
            };
            checks.push(judge_assertion(a, &found, lookup));
        }
    }
    checks
}

/// What an expectation's subject selected in a response.
struct Selected<'a> {
    /// What plain operators judge: a header's or singular path's value, or the list of a
    /// multi-match path's matches (`[]` when there are none); `None` when there is no value.
    value: Option<Value>,
    /// Whether anything was selected (what `exists` judges).
    found: bool,
    /// A body path's matches, for `all`, `any` and `one`.
    matches: Vec<LocatedNode<'a>>,
    /// Why there is nothing, when the body is not JSON.
    missing: Option<JsonProblem>,
}

impl<'a> Selected<'a> {
    fn of(path: &JsonPathExpr, json: &'a Value) -> Selected<'a> {
        let matches = path.path.query_located(json).all();
        let value = if path.singular {
            matches.first().map(|m| m.node().clone())
        } else {
            Some(Value::Array(matches.iter().map(|m| m.node().clone()).collect()))
        };
        Selected { value, found: !matches.is_empty(), matches, missing: None }
    }
}

fn judge_assertion(a: &Assertion, found: &Selected<'_>, lookup: &mut Lookup<'_>) -> Check {
    let subject = match &a.subject {
        Subject::Header(h) => messages::Subject::Header { name: h.clone() },
        Subject::Body(p) => messages::Subject::Body { path: p.text.clone() },
    };
    let mut failures = Vec::new();
    let mut expected = Vec::new();
    for op in &a.ops {
        // `exists` asks whether anything matched, not whether there is a list to judge.
        let actual = if matches!(op, Op::Exists(_)) && !found.found { None } else { found.value.as_ref() };
        let (passed, wanted, failure) = evaluate(op, actual, lookup);
        if !passed {
            failures.push(failure.unwrap_or(OpFailure::Unmet { expected: wanted.clone() }));
        }
        expected.push(wanted);
    }
    for q in &a.quantified {
        let (wanted, failure) = match found.missing {
            Some(_) => {
                let wanted = describe_quantified(q, lookup);
                (wanted.clone(), Some(OpFailure::NoValue { expected: wanted }))
            }
            None => judge_quantified(q, &found.matches, lookup),
        };
        failures.extend(failure);
        expected.push(wanted);
    }
    Check {
        name: subject.to_string(),
        kind: CheckKind::Expect,
        passed: failures.is_empty(),
        said: Msg::Assertion {
            subject,
            expected,
            failures,
            value: found.value.as_ref().map(show),
            missing: found.missing.clone(),
        },
        location: Some(a.location.clone()),
        pointer: None,
        requirement: None,
    }
}

/// `all`, `any` or `one` on a path's matches: what was expected, and why it failed.
pub fn judge_quantified(
    q: &Quantified,
    matches: &[LocatedNode<'_>],
    lookup: &mut Lookup<'_>,
) -> (Expectation, Option<OpFailure>) {
    let expected = describe_quantified(q, lookup);
    let mut judge = |m: &LocatedNode<'_>| -> Option<MatchFailure> {
        let failures: Vec<OpFailure> = q
            .ops
            .iter()
            .filter_map(|op| match evaluate(op, Some(m.node()), lookup) {
                (true, ..) => None,
                (false, wanted, failure) => Some(failure.unwrap_or(OpFailure::Unmet { expected: wanted })),
            })
            .collect();
        (!failures.is_empty()).then(|| MatchFailure { at: m.location().to_string(), value: show(m.node()), failures })
    };
    let failure = match q.quantifier {
        Quantifier::All => {
            let failed: Vec<MatchFailure> = matches.iter().filter_map(&mut judge).collect();
            let failing = failed.len();
            failed.into_iter().next().map(|first| OpFailure::NotAll {
                expected: expected.clone(),
                failing,
                matches: matches.len(),
                first,
            })
        }
        Quantifier::Any => {
            let mut example = None;
            let mut passed = false;
            for m in matches {
                match judge(m) {
                    None => {
                        passed = true;
                        break;
                    }
                    Some(f) => {
                        example.get_or_insert(f);
                    }
                }
            }
            (!passed).then(|| OpFailure::NoneOf { expected: expected.clone(), matches: matches.len(), example })
        }
        Quantifier::One => match matches {
            [only] => judge(only).map(|only| OpFailure::OnlyFails { expected: expected.clone(), only }),
            _ => Some(OpFailure::NotOne { expected: expected.clone(), matches: matches.len() }),
        },
    };
    (expected, failure)
}

fn describe_quantified(q: &Quantified, lookup: &mut Lookup<'_>) -> Expectation {
    let each = q.ops.iter().map(|op| describe(op, lookup)).collect();
    match q.quantifier {
        Quantifier::All => Expectation::All { each },
        Quantifier::Any => Expectation::Any { each },
        Quantifier::One => Expectation::One { each },
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

    /// A capture (through `select`) gives a singular path's value and a multi-match path's
    /// list of matches, however many there are; nothing matched is no value.
    #[test]
    fn a_captured_path_gives_by_its_kind_not_by_how_many_matched() {
        let select_in = |path: &str, body: Value| select(&parse_json_path(path).unwrap(), &body);
        assert_eq!(select_in("$.items[0].id", json!({"items": [{"id": 1}]})), Some(json!(1)));
        assert_eq!(select_in("$.items[0].id", json!({"items": []})), None);
        assert_eq!(select_in("$.items[*].id", json!({"items": []})), None);
        assert_eq!(select_in("$.items[*].id", json!({"items": [{"id": 1}]})), Some(json!([1])));
        assert_eq!(select_in("$.items[*].id", json!({"items": [{"id": 1}, {"id": 2}]})), Some(json!([1, 2])));
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

    /// Judges `spec` on `path` in `body`: whether it passed, and what it says in English
    /// and in Swedish.
    fn judge(path: &str, spec: Value, body: &Value) -> (bool, String, String) {
        let a = compile_assertion(Subject::Body(parse_json_path(path).unwrap()), &spec, String::new()).unwrap();
        let Subject::Body(p) = &a.subject else { unreachable!() };
        let mut lookup = |_: &str| None;
        let check = judge_assertion(&a, &Selected::of(p, body), &mut lookup);
        let en = check.said.render(crate::messages::Lang::En).message;
        let sv = check.said.render(crate::messages::Lang::Sv).message;
        (check.passed, en, sv)
    }

    /// Bodies whose `items` have 0, 1 and 3 counts: `[]`, `[1]`, `[1, 2, 3]`.
    fn items(counts: &[i64]) -> Value {
        json!({ "items": counts.iter().map(|c| json!({ "count": c })).collect::<Vec<_>>() })
    }

    const MULTI: &str = "$.items[*].count";

    /// Plain operators on a multi-match path judge the list of its matches, whatever their
    /// number: the issue's `contains: 1` with one match passes.
    #[test]
    fn plain_operators_on_a_multi_match_path_judge_the_list() {
        for (counts, contains_1, length_1) in
            [(&[][..], false, false), (&[1][..], true, true), (&[1, 2, 3][..], true, false)]
        {
            let body = items(counts);
            assert_eq!(judge(MULTI, json!({"contains": 1}), &body).0, contains_1, "{counts:?}");
            assert_eq!(judge(MULTI, json!({"length": 1}), &body).0, length_1, "{counts:?}");
            assert!(judge(MULTI, json!({"type": "array"}), &body).0, "{counts:?}");
            assert!(judge(MULTI, json!({"equals": counts}), &body).0, "{counts:?}");
            assert_eq!(judge(MULTI, json!({"exists": true}), &body).0, !counts.is_empty(), "{counts:?}");
            assert_eq!(judge(MULTI, json!({"exists": false}), &body).0, counts.is_empty(), "{counts:?}");
        }
        // One match is a list of one, not the value.
        let (passed, en, _) = judge(MULTI, json!({"equals": 1}), &items(&[1]));
        assert!(!passed);
        assert_eq!(en, "expected equals 1; got [1]");
        assert_eq!(judge(MULTI, json!({"contains": 1}), &items(&[])).1, "expected contains 1; got []");
        // A singular path is judged as before: the value, or no value.
        assert!(judge("$.items[0].count", json!({"equals": 1}), &items(&[1, 2])).0);
        let (passed, en, _) = judge("$.items[0].count", json!({"equals": 1}), &items(&[]));
        assert!(!passed);
        assert_eq!(en, "expected equals 1, but there is no value");
    }

    #[test]
    fn all_holds_for_every_match_and_for_none() {
        let spec = json!({"all": {"ge": 1}});
        for counts in [&[][..], &[1], &[1, 2, 3]] {
            assert!(judge(MULTI, spec.clone(), &items(counts)).0, "{counts:?}");
        }
        let (passed, en, sv) = judge(MULTI, json!({"all": {"lt": 2}}), &items(&[2]));
        assert!(!passed);
        assert_eq!(en, "expected every match < 2, but 1 of 1 do not: $['items'][0]['count'] is 2 (expected < 2)");
        assert_eq!(
            sv,
            "förväntade att varje träff < 2, men 1 av 1 gör det inte: $['items'][0]['count'] är 2 (förväntade att värdet < 2)"
        );
        // The first failing match is named, and how many fail.
        let (passed, en, _) = judge(MULTI, json!({"all": {"one_of": [1, 2]}}), &items(&[1, 3, 2, 4]));
        assert!(!passed);
        assert_eq!(
            en,
            "expected every match one of [1, 2], but 2 of 4 do not: $['items'][1]['count'] is 3 (expected one of [1, 2])"
        );
        // Beside `exists`, `all` is no longer vacuous.
        assert!(!judge(MULTI, json!({"exists": true, "all": {"ge": 1}}), &items(&[])).0);
    }

    #[test]
    fn any_needs_some_match_to_pass() {
        let spec = json!({"any": {"equals": 2}});
        let (passed, en, sv) = judge(MULTI, spec.clone(), &items(&[]));
        assert!(!passed);
        assert_eq!(en, "expected some match equals 2, but the path matches nothing");
        assert_eq!(sv, "förväntade att någon träff är lika med 2, men sökvägen ger ingen träff");
        let (passed, en, _) = judge(MULTI, spec.clone(), &items(&[1]));
        assert!(!passed);
        assert_eq!(en, "expected some match equals 2, but the only match does not: $['items'][0]['count'] is 1 (expected equals 2)");
        assert!(judge(MULTI, spec.clone(), &items(&[2])).0);
        assert!(judge(MULTI, spec.clone(), &items(&[1, 2, 3])).0);
        let (passed, en, sv) = judge(MULTI, spec, &items(&[1, 3, 5]));
        assert!(!passed);
        assert_eq!(
            en,
            "expected some match equals 2, but none of 3 does: $['items'][0]['count'] is 1 (expected equals 2)"
        );
        assert!(sv.contains("men ingen av 3 gör det: $['items'][0]['count'] är 1"), "{sv}");
    }

    #[test]
    fn one_needs_exactly_one_match_that_passes() {
        let spec = json!({"one": {"gt": 0}});
        let (passed, en, sv) = judge(MULTI, spec.clone(), &items(&[]));
        assert!(!passed);
        assert_eq!(en, "expected exactly one match, > 0, but the path matches nothing");
        assert_eq!(sv, "förväntade exakt en träff, som > 0, men sökvägen ger ingen träff");
        assert!(judge(MULTI, spec.clone(), &items(&[1])).0);
        let (passed, en, _) = judge(MULTI, spec.clone(), &items(&[0]));
        assert!(!passed);
        assert_eq!(en, "expected exactly one match, > 0, but it does not: $['items'][0]['count'] is 0 (expected > 0)");
        let (passed, en, sv) = judge(MULTI, spec, &items(&[1, 2, 3]));
        assert!(!passed);
        assert_eq!(en, "expected exactly one match, > 0, but the path has 3 matches");
        assert_eq!(sv, "förväntade exakt en träff, som > 0, men sökvägen ger 3 träffar");
        // With a filter: exactly one item has count 2.
        let filtered = "$.items[?@.count == 2].count";
        assert!(judge(filtered, json!({"one": {"equals": 2}}), &items(&[1, 2, 3])).0);
        assert!(!judge(filtered, json!({"one": {"equals": 2}}), &items(&[2, 2])).0);
    }

    /// Every operator of a quantifier is judged on each match; the failing ones are named.
    #[test]
    fn quantifiers_judge_every_operator_and_say_which_failed() {
        let body = json!({"items": [{"id": "a1"}, {"id": 7}]});
        let (passed, en, _) = judge("$.items[*].id", json!({"all": {"type": "string", "matches": "^a"}}), &body);
        assert!(!passed);
        assert_eq!(
            en,
            "expected every match type string and matches /^a/, but 1 of 2 do not: $['items'][1]['id'] is 7 \
             (expected type string; expected a string that matches /^a/)"
        );
        // Plain operators and a quantifier together: each judged as its own.
        let (passed, en, _) = judge("$.items[*].id", json!({"length": 3, "any": {"equals": "a1"}}), &body);
        assert!(!passed);
        assert_eq!(en, "expected length = 3, the length is 2; got [\"a1\",7]");
    }

    /// A body that is not JSON has no matches to quantify: every quantifier fails, `all` too.
    #[test]
    fn quantifiers_on_a_body_that_is_not_json_fail() {
        let a = compile_assertion(
            Subject::Body(parse_json_path(MULTI).unwrap()),
            &json!({"all": {"ge": 1}}),
            String::new(),
        )
        .unwrap();
        let found = Selected { value: None, found: false, matches: Vec::new(), missing: Some(JsonProblem::Empty) };
        let check = judge_assertion(&a, &found, &mut |_: &str| None);
        assert!(!check.passed);
        assert_eq!(
            check.said.render(crate::messages::Lang::En).message,
            "expected every match >= 1, but there is no value (the body is empty)"
        );
    }
}
