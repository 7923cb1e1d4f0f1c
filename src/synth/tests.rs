//! Each keyword family on small documents: every value is checked here by the validator
//! (which `value` already did) and by the property the keyword promises, over many seeds.

use std::sync::Arc;

use serde_json::{json, Value};

use super::*;
use crate::catalogue::openapi::LoadOptions;
use crate::source::SourceFile;

const SEEDS: u64 = 40;

/// A document whose `components.schemas` are `schemas`, in OpenAPI `version` (also for the
/// generated checks' tests).
pub(crate) fn api(version: &str, schemas: Value) -> ApiDoc {
    let doc = json!({
        "openapi": version,
        "info": { "title": "synth", "version": "1" },
        "paths": {},
        "components": { "schemas": schemas },
    });
    let file = SourceFile::from_text(std::path::Path::new("synth.json"), doc.to_string());
    ApiDoc::load_source(Arc::new(file), &LoadOptions::default()).expect("the test document loads")
}

pub(crate) fn loc(name: &str) -> SchemaLoc {
    SchemaLoc { doc: 0, pointer: format!("/components/schemas/{name}") }
}

/// Values for schema `name` over many seeds, none from examples.
fn values(api: &ApiDoc, name: &str, direction: Direction) -> Vec<Value> {
    let options = Options { examples: false, ..Options::default() };
    (0..SEEDS)
        .map(|seed| match value_with(api, &loc(name), direction, seed, options) {
            Ok(v) => v,
            Err(e) => panic!("{name}, seed {seed}: {e:?}"),
        })
        .collect()
}

#[test]
fn the_same_seed_gives_the_same_value_and_seeds_differ() {
    let api = api(
        "3.1.0",
        json!({ "S": { "type": "object", "properties": {
        "a": { "type": "string" }, "b": { "type": "integer" }, "c": { "type": "array", "items": { "format": "uuid", "type": "string" } } } } }),
    );
    let first = values(&api, "S", Direction::Response);
    assert_eq!(first, values(&api, "S", Direction::Response));
    let distinct: std::collections::BTreeSet<String> = first.iter().map(Value::to_string).collect();
    assert!(distinct.len() > SEEDS as usize / 2, "{distinct:?}");
}

#[test]
fn patterns_with_anchors_classes_and_alternatives_are_matched() {
    let api = api(
        "3.1.0",
        json!({
            "Anchored": { "type": "string", "pattern": "^[A-Z]{3}-\\d{4}$" },
            "Unanchored": { "type": "string", "pattern": "ab+c", "maxLength": 6 },
            "Personnummer": { "type": "string", "pattern": "^(19|20)\\d{6}-?\\d{4}$" },
            "Words": { "type": "string", "pattern": "^\\w+@\\w+\\.se$" },
        }),
    );
    let anchored = regex::Regex::new("^[A-Z]{3}-[0-9]{4}$").unwrap();
    for v in values(&api, "Anchored", Direction::Response) {
        assert!(anchored.is_match(v.as_str().unwrap()), "{v}");
    }
    for v in values(&api, "Unanchored", Direction::Response) {
        let s = v.as_str().unwrap();
        assert!(s.contains('a') && s.ends_with('c') && s.len() <= 6, "{v}");
    }
    let ascii = regex::Regex::new("^(19|20)[0-9]{6}-?[0-9]{4}$").unwrap();
    for v in values(&api, "Personnummer", Direction::Response) {
        assert!(ascii.is_match(v.as_str().unwrap()), "ECMA \\d is ASCII: {v}");
    }
    values(&api, "Words", Direction::Response);
}

#[test]
fn a_pattern_that_cannot_be_generated_from_is_reported_with_its_place() {
    let api = api("3.1.0", json!({ "Word": { "type": "string", "pattern": "\\bstart\\b" } }));
    let e = value(&api, &loc("Word"), Direction::Response, 1).unwrap_err();
    assert_eq!(e.schema, loc("Word"));
    assert!(e.place.ends_with("synth.json#/components/schemas/Word"), "{}", e.place);
    assert_eq!(e.attempts, ATTEMPTS);
    assert!(e.notes.iter().any(|n| n.contains("\\bstart\\b") && n.contains("word boundary")), "{:?}", e.notes);
}

#[test]
fn formats_are_valid_by_the_validator_and_by_their_own_parsers() {
    let formats = [
        "date-time",
        "date",
        "time",
        "duration",
        "uuid",
        "email",
        "uri",
        "uri-reference",
        "hostname",
        "ipv4",
        "ipv6",
        "byte",
        "json-pointer",
        "regex",
    ];
    let schemas: serde_json::Map<String, Value> =
        formats.iter().map(|f| (f.replace('-', "_"), json!({ "type": "string", "format": f }))).collect();
    let api = api("3.1.0", Value::Object(schemas));
    for f in formats {
        for v in values(&api, &f.replace('-', "_"), Direction::Response) {
            let s = v.as_str().unwrap();
            match f {
                "uuid" => assert!(uuid::Uuid::parse_str(s).is_ok(), "{s}"),
                "ipv4" => assert!(s.parse::<std::net::Ipv4Addr>().is_ok(), "{s}"),
                "ipv6" => assert!(s.parse::<std::net::Ipv6Addr>().is_ok(), "{s}"),
                "date-time" => assert!(humantime::parse_rfc3339(s).is_ok(), "{s}"),
                "uri" => assert!(url::Url::parse(s).is_ok(), "{s}"),
                "byte" => assert!(base64::Engine::decode(&base64::engine::general_purpose::STANDARD, s).is_ok(), "{s}"),
                _ => assert!(!s.is_empty(), "{f}"),
            }
        }
    }
}

#[test]
fn string_array_and_object_bounds_hold() {
    let api = api(
        "3.1.0",
        json!({
            "Code": { "type": "string", "minLength": 20, "maxLength": 22 },
            "Tags": { "type": "array", "items": { "type": "integer", "minimum": 1, "maximum": 4 }, "minItems": 3, "maxItems": 4, "uniqueItems": true },
            "Closed": { "type": "object", "additionalProperties": false, "required": ["id"],
                        "properties": { "id": { "type": "string" }, "n": { "type": "integer" } } },
            "Bag": { "type": "object", "minProperties": 3, "additionalProperties": { "type": "boolean" } },
        }),
    );
    for v in values(&api, "Code", Direction::Response) {
        let n = v.as_str().unwrap().len();
        assert!((20..=22).contains(&n), "{v}");
    }
    for v in values(&api, "Tags", Direction::Response) {
        let a = v.as_array().unwrap();
        let unique: std::collections::BTreeSet<String> = a.iter().map(Value::to_string).collect();
        assert!((3..=4).contains(&a.len()) && unique.len() == a.len(), "{v}");
    }
    for v in values(&api, "Closed", Direction::Response) {
        let o = v.as_object().unwrap();
        assert!(o.contains_key("id") && o.keys().all(|k| k == "id" || k == "n"), "{v}");
    }
    for v in values(&api, "Bag", Direction::Response) {
        let o = v.as_object().unwrap();
        assert!(o.len() >= 3 && o.values().all(Value::is_boolean), "{v}");
    }
}

#[test]
fn exclusive_bounds_in_both_forms_and_decimal_multiples_hold() {
    let api30 = api(
        "3.0.3",
        json!({
            "Open": { "type": "integer", "minimum": 1, "maximum": 3, "exclusiveMinimum": true, "exclusiveMaximum": true },
            "Price": { "type": "number", "minimum": 0, "exclusiveMinimum": true, "maximum": 1, "multipleOf": 0.05 },
        }),
    );
    for v in values(&api30, "Open", Direction::Response) {
        assert_eq!(v, json!(2));
    }
    for v in values(&api30, "Price", Direction::Response) {
        let x = v.as_f64().unwrap();
        assert!(x > 0.0 && x <= 1.0 && ((x * 100.0).round() as i64).rem_euclid(5) == 0, "{v}");
    }
    let api31 = api(
        "3.1.0",
        json!({
            "Open": { "type": "number", "exclusiveMinimum": 0.5, "exclusiveMaximum": 0.7, "multipleOf": 0.1 },
            "Step": { "type": "integer", "minimum": 7, "multipleOf": 5 },
        }),
    );
    for v in values(&api31, "Open", Direction::Response) {
        assert!((v.as_f64().unwrap() - 0.6).abs() < 1e-9, "{v}");
    }
    for v in values(&api31, "Step", Direction::Response) {
        let n = v.as_i64().unwrap();
        assert!(n >= 10 && n.rem_euclid(5) == 0, "{v}");
    }
}

#[test]
fn enum_const_nullable_and_type_lists() {
    let api30 = api(
        "3.0.3",
        json!({
            "Colour": { "type": "string", "enum": ["red", "green"] },
            "Maybe": { "type": "string", "nullable": true, "minLength": 2 },
        }),
    );
    for v in values(&api30, "Colour", Direction::Response) {
        assert!(v == json!("red") || v == json!("green"), "{v}");
    }
    let maybe = values(&api30, "Maybe", Direction::Response);
    assert!(maybe.iter().all(|v| v.is_null() || v.as_str().is_some_and(|s| s.len() >= 2)));
    assert!(maybe.iter().any(Value::is_null) && maybe.iter().any(Value::is_string), "{maybe:?}");
    let api31 = api(
        "3.1.0",
        json!({
            "Fixed": { "const": { "v": 1 } },
            "Either": { "type": ["integer", "null"], "minimum": 5 },
        }),
    );
    assert!(values(&api31, "Fixed", Direction::Response).iter().all(|v| *v == json!({ "v": 1 })));
    assert!(values(&api31, "Either", Direction::Response).iter().all(|v| v.is_null() || v.as_i64().unwrap() >= 5));
}

#[test]
fn all_of_is_merged_and_one_of_matches_exactly_one_branch() {
    let api = api(
        "3.1.0",
        json!({
            "Base": { "type": "object", "required": ["id"], "properties": { "id": { "type": "string", "format": "uuid" } } },
            "Named": { "allOf": [ { "$ref": "#/components/schemas/Base" },
                                   { "required": ["name"], "properties": { "name": { "type": "string", "maxLength": 3 } } } ] },
            // The first branch's values (any integer) also match the second unless they are
            // negative: only a value that matches one branch is valid.
            "Overlap": { "oneOf": [ { "type": "integer" }, { "type": "integer", "minimum": 0 } ] },
            "Shape": { "oneOf": [
                { "type": "object", "required": ["radius"], "properties": { "radius": { "type": "number" } } },
                { "type": "object", "required": ["side"], "properties": { "side": { "type": "number" } } } ] },
            "Any": { "anyOf": [ { "type": "string", "format": "date" }, { "type": "boolean" } ] },
        }),
    );
    for v in values(&api, "Named", Direction::Response) {
        assert!(v["id"].is_string() && v["name"].as_str().is_some_and(|n| n.len() <= 3), "{v}");
    }
    for v in values(&api, "Overlap", Direction::Response) {
        assert!(v.as_i64().unwrap() < 0, "{v}");
    }
    values(&api, "Shape", Direction::Response);
    values(&api, "Any", Direction::Response);
}

#[test]
fn a_one_of_whose_branches_accept_the_same_values_gets_a_value_set_apart() {
    // Problem and Cvp are both open and share `title`: a value with neither `violations`
    // nor `status` matches both. Set apart: a Problem whose `violations` is not an array,
    // or a Cvp whose `status` is not an integer.
    let api = api(
        "3.0.3",
        json!({
            "Problem": { "type": "object", "properties": { "title": { "type": "string" }, "status": { "type": "integer" } } },
            "Cvp": { "type": "object", "properties": { "title": { "type": "string" },
                     "violations": { "type": "array", "items": { "type": "object" } } } },
            "Error": { "oneOf": [ { "$ref": "#/components/schemas/Problem" }, { "$ref": "#/components/schemas/Cvp" } ] },
        }),
    );
    for v in values(&api, "Error", Direction::Response) {
        let problem = v.get("violations").is_some_and(|x| !x.is_array());
        let cvp = v.get("status").is_some_and(|x| !x.is_i64());
        assert!(problem != cvp, "{v}");
    }
}

#[test]
fn read_only_and_write_only_follow_the_direction() {
    let api = api(
        "3.0.3",
        json!({ "User": { "type": "object", "required": ["name"], "properties": {
        "name": { "type": "string" },
        "id": { "type": "string", "readOnly": true },
        "password": { "type": "string", "writeOnly": true } } } }),
    );
    let options = Options { examples: false, optional: 1.0 };
    for seed in 0..SEEDS {
        let request = value_with(&api, &loc("User"), Direction::Request, seed, options).unwrap();
        assert!(request.get("id").is_none() && request.get("password").is_some(), "{request}");
        let response = value_with(&api, &loc("User"), Direction::Response, seed, options).unwrap();
        assert!(response.get("id").is_some() && response.get("password").is_none(), "{response}");
    }
}

#[test]
fn ref_cycles_end_and_still_validate() {
    let api = api(
        "3.1.0",
        json!({
            "Node": { "type": "object", "required": ["name", "children"], "properties": {
                "name": { "type": "string" },
                "children": { "type": "array", "items": { "$ref": "#/components/schemas/Node" } },
                "parent": { "$ref": "#/components/schemas/Node" } } },
        }),
    );
    values(&api, "Node", Direction::Response);
}

#[test]
fn an_invalid_example_is_not_returned() {
    let api = api("3.1.0", json!({ "Age": { "type": "integer", "minimum": 0, "example": -1 } }));
    for seed in 0..SEEDS {
        let v = value(&api, &loc("Age"), Direction::Response, seed).unwrap();
        assert!(v.as_i64().unwrap() >= 0, "{v}");
    }
}

#[test]
fn an_impossible_schema_is_reported_not_returned() {
    let api = api("3.1.0", json!({ "Never": { "type": "integer", "minimum": 5, "maximum": 1 } }));
    let e = value(&api, &loc("Never"), Direction::Response, 3).unwrap_err();
    assert_eq!(e.attempts, ATTEMPTS);
    assert!(!e.reason.is_empty());
}
