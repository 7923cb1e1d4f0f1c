//! No false positives by design: every mutant is rejected by the schema's validator, and
//! what OpenAPI lets a server accept (`readOnly`, `default`, `nullable`, another `oneOf` or
//! `anyOf` branch) is never offered as invalid.

use serde_json::{json, Value};

use super::*;
use crate::synth::tests::{api, loc};

/// Every mutant of `base` against schema `name`, each asserted invalid.
fn all(api: &ApiDoc, name: &str, base: Value) -> Vec<Mutant> {
    assert!(crate::synth::is_valid(api, &loc(name), &base), "the base value is valid");
    let found = mutants(api, &loc(name), &base);
    for m in &found {
        assert!(!crate::synth::is_valid(api, &loc(name), &m.value), "{m:?} is invalid");
    }
    found
}

fn has(found: &[Mutant], at: &str, kind: InvalidKind) -> bool {
    found.iter().any(|m| m.at == at && m.kind == kind)
}

#[test]
fn each_keyword_is_broken_once() {
    let api = api(
        "3.1.0",
        json!({ "Case": {
            "type": "object",
            "additionalProperties": false,
            "required": ["kind", "count", "when"],
            "properties": {
                "kind": { "type": "string", "enum": ["A", "B"] },
                "count": { "type": "integer", "minimum": 1, "maximum": 10 },
                "when": { "type": "string", "format": "date-time" },
                "code": { "type": "string", "pattern": "^[0-9]{4}$", "minLength": 4, "maxLength": 4 },
            }
        }}),
    );
    let found = all(&api, "Case", json!({ "kind": "A", "count": 5, "when": "2026-01-01T00:00:00Z", "code": "1234" }));
    for (at, kind) in [
        ("/kind", InvalidKind::MissingRequired),
        ("/count", InvalidKind::MissingRequired),
        ("", InvalidKind::ExtraProperty),
        ("/kind", InvalidKind::UnknownEnumValue),
        ("/kind", InvalidKind::WrongType),
        ("/count", InvalidKind::OutOfRange),
        ("/count", InvalidKind::WrongType),
        ("/when", InvalidKind::BadFormat),
        ("/code", InvalidKind::NoPatternMatch),
        ("/code", InvalidKind::TooShort),
        ("/code", InvalidKind::TooLong),
    ] {
        assert!(has(&found, at, kind), "{at} {kind:?} in {found:#?}");
    }
    // Below and above the range: two distinct values.
    assert_eq!(found.iter().filter(|m| m.at == "/count" && m.kind == InvalidKind::OutOfRange).count(), 2);
}

#[test]
fn a_read_only_property_is_never_touched() {
    let api = api(
        "3.0.3",
        json!({ "Case": {
            "type": "object",
            "required": ["id", "title"],
            "properties": {
                "id": { "type": "string", "format": "uuid", "readOnly": true },
                "title": { "type": "string" },
            }
        }}),
    );
    let found = all(&api, "Case", json!({ "id": "3f2b8c1e-5d4a-4e7b-9c2d-1a2b3c4d5e6f", "title": "x" }));
    assert!(found.iter().all(|m| m.at != "/id"), "{found:#?}");
    assert!(has(&found, "/title", InvalidKind::MissingRequired));
}

#[test]
fn a_required_property_with_a_default_is_never_left_out() {
    let api = api(
        "3.1.0",
        json!({ "Page": {
            "type": "object",
            "required": ["limit", "page"],
            "properties": {
                "limit": { "type": "integer", "default": 20 },
                "page": { "allOf": [{ "$ref": "#/components/schemas/Page1" }], "default": 1 },
            }
        }, "Page1": { "type": "integer" } }),
    );
    let found = all(&api, "Page", json!({ "limit": 5, "page": 2 }));
    assert!(!found.iter().any(|m| m.kind == InvalidKind::MissingRequired), "{found:#?}");
    assert!(has(&found, "/limit", InvalidKind::WrongType));
}

#[test]
fn null_is_never_the_wrong_type_of_a_nullable_value() {
    for (version, schema) in
        [("3.0.3", json!({ "type": "string", "nullable": true })), ("3.1.0", json!({ "type": ["string", "null"] }))]
    {
        let api = api(version, json!({ "S": { "type": "object", "properties": { "s": schema } } }));
        let found = all(&api, "S", json!({ "s": "x" }));
        assert!(found.iter().all(|m| m.value.get("s") != Some(&Value::Null)), "{version}: {found:#?}");
        assert!(has(&found, "/s", InvalidKind::WrongType), "{version}: {found:#?}");
    }
}

#[test]
fn a_change_another_one_of_or_any_of_branch_accepts_is_dropped() {
    // A string or an integer: making the string an integer matches the other branch.
    for key in ["oneOf", "anyOf"] {
        let api = api("3.1.0", json!({ "V": { key: [{ "type": "string" }, { "type": "integer" }] } }));
        let found = all(&api, "V", json!("text"));
        assert!(!found.iter().any(|m| m.value == json!(7)), "{key}: {found:#?}");
        // `true` is neither: a real wrong type, kept.
        assert!(found.iter().any(|m| m.value == json!(true)), "{key}: {found:#?}");
    }
}

#[test]
fn an_open_object_gets_no_extra_property_and_a_closed_one_does() {
    let api = api(
        "3.1.0",
        json!({
            "Open": { "type": "object", "properties": { "a": { "type": "string" } } },
            "Closed": { "type": "object", "properties": { "a": { "type": "string" } }, "unevaluatedProperties": false },
        }),
    );
    assert!(!all(&api, "Open", json!({ "a": "x" })).iter().any(|m| m.kind == InvalidKind::ExtraProperty));
    assert!(has(&all(&api, "Closed", json!({ "a": "x" })), "", InvalidKind::ExtraProperty));
}

#[test]
fn nested_objects_and_array_items_are_broken_where_they_stand() {
    let api = api(
        "3.1.0",
        json!({ "Outer": {
            "type": "object",
            "properties": {
                "people": { "type": "array", "minItems": 1, "items": { "$ref": "#/components/schemas/Person" } }
            }
        }, "Person": { "type": "object", "required": ["name"], "properties": { "name": { "type": "string" } } } }),
    );
    let found = all(&api, "Outer", json!({ "people": [{ "name": "a" }] }));
    assert!(has(&found, "/people/0/name", InvalidKind::MissingRequired), "{found:#?}");
    assert!(has(&found, "/people", InvalidKind::TooShort), "{found:#?}");
}
