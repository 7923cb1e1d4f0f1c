//! Which units a description gets under each `writes`, and the requests of each: seeded,
//! invalid where they must be, and addressing captured resources where they can.

use std::collections::BTreeSet;
use std::sync::Arc;

use serde_json::{json, Value};

use super::*;
use crate::catalogue::openapi::LoadOptions;
use crate::source::SourceFile;

fn api() -> ApiDoc {
    let doc = json!({
        "openapi": "3.0.3",
        "info": { "title": "generate", "version": "1" },
        "security": [{ "key": [] }],
        "paths": {
            "/things": {
                "get": {
                    "operationId": "listThings",
                    "parameters": [
                        { "name": "limit", "in": "query", "schema": { "type": "integer", "minimum": 1, "maximum": 100 } },
                        { "name": "X-Tenant", "in": "header", "required": true, "schema": { "type": "string" } },
                    ],
                    "responses": { "200": { "description": "ok" }, "400": { "description": "bad" } }
                },
                "post": {
                    "operationId": "addThing",
                    "requestBody": { "required": true, "content": { "application/json": { "schema": {
                        "type": "object", "required": ["name"], "additionalProperties": false,
                        "properties": { "name": { "type": "string", "minLength": 1 }, "size": { "type": "integer" } }
                    } } } },
                    "responses": { "201": { "description": "made" }, "400": { "description": "bad" } }
                }
            },
            "/things/{thingId}": {
                "get": {
                    "operationId": "getThing",
                    "security": [],
                    "parameters": [{ "name": "thingId", "in": "path", "required": true, "schema": { "type": "string", "format": "uuid" } }],
                    "responses": { "200": { "description": "ok" }, "404": { "description": "none" } }
                }
            }
        },
        "components": { "securitySchemes": { "key": { "type": "apiKey", "in": "header", "name": "X-Api-Key" } } }
    });
    let file = SourceFile::from_text(std::path::Path::new("generate.json"), doc.to_string());
    ApiDoc::load_source(Arc::new(file), &LoadOptions::default()).expect("the test document loads")
}

fn generation(checks: &[GenCheck]) -> Generation {
    Generation { checks: checks.iter().copied().collect::<BTreeSet<_>>(), budget: 50, seed: 7 }
}

fn meta(writes: Writes) -> GenerateMeta {
    GenerateMeta { checks: Vec::new(), level: crate::model::Level::Must, writes, exclude: Vec::new() }
}

fn names(units: &[Unit]) -> Vec<String> {
    units.iter().map(|u| format!("{} {} {:?}", u.check, u.operation, u.methods)).collect()
}

#[test]
fn by_default_only_get_is_generated() {
    let api = api();
    let units = units_of(&api, None, None, &generation(&GenCheck::ALL));
    let names = names(&units);
    assert!(names.iter().all(|n| !n.contains("addThing")), "{names:?}");
    // /things documents GET and POST; /things/{id} GET: nothing safe is left to try.
    assert!(!units.iter().any(|u| u.check == GenCheck::Methods), "{names:?}");
    assert!(names.contains(&"auth listThings []".to_string()), "{names:?}");
    assert!(!names.iter().any(|n| n.starts_with("auth getThing")), "getThing is not secured: {names:?}");
}

#[test]
fn writes_refused_sends_invalid_writes_and_all_sends_valid_ones() {
    let api = api();
    let refused = names(&units_of(&api, Some(&meta(Writes::Refused)), None, &generation(&GenCheck::ALL)));
    assert!(refused.contains(&"negative-data addThing []".to_string()), "{refused:?}");
    assert!(!refused.contains(&"positive-data addThing []".to_string()), "{refused:?}");
    assert!(refused.iter().any(|n| n.starts_with("methods listThings") && n.contains("DELETE")), "{refused:?}");
    let all = names(&units_of(&api, Some(&meta(Writes::All)), None, &generation(&GenCheck::ALL)));
    assert!(all.contains(&"positive-data addThing []".to_string()), "{all:?}");
}

#[test]
fn a_narrowed_plan_and_exclusions_leave_operations_out() {
    let api = api();
    let called = ["getThing".to_string()].into();
    let only = units_of(&api, None, Some(&called), &generation(&[GenCheck::NegativeData]));
    assert_eq!(names(&only), vec!["negative-data getThing []"]);
    let mut excluding = meta(Writes::None);
    excluding.exclude.push("getThing".into());
    let rest = units_of(&api, Some(&excluding), None, &generation(&[GenCheck::NegativeData]));
    assert_eq!(names(&rest), vec!["negative-data listThings []"]);
    // `CHECK/operation` leaves the operation out of that check only; `methods/operation`,
    // its path.
    let mut one = meta(Writes::Refused);
    one.exclude = vec!["negative-data/addThing".into(), "methods/addThing".into()];
    let checks = generation(&[GenCheck::NegativeData, GenCheck::Auth, GenCheck::Methods]);
    let some = names(&units_of(&api, Some(&one), None, &checks));
    let all = names(&units_of(&api, Some(&meta(Writes::Refused)), None, &checks));
    let gone: Vec<&String> = all.iter().filter(|n| !some.contains(n)).collect();
    assert!(gone.len() == 2 && gone[0] == "negative-data addThing []", "{gone:?}");
    assert!(gone[1].starts_with("methods listThings"), "the path /things: {gone:?}");
    assert!(some.contains(&"auth addThing []".to_string()), "{some:?}");
}

fn unit(check: GenCheck, op: &str) -> Unit {
    Unit { check, operation: op.into(), methods: Vec::new() }
}

#[test]
fn the_same_seed_gives_the_same_requests_and_another_seed_other_ones() {
    let api = api();
    let none = |_: &str| None;
    let g = generation(&GenCheck::ALL);
    for u in [unit(GenCheck::NegativeData, "addThing"), unit(GenCheck::PositiveData, "addThing")] {
        let a = cases(&api, &u, &g, &none).unwrap();
        assert_eq!(a, cases(&api, &u, &g, &none).unwrap());
        assert!(!a.is_empty());
    }
    let positive = unit(GenCheck::PositiveData, "addThing");
    let other = Generation { seed: 8, ..g.clone() };
    assert_ne!(cases(&api, &positive, &g, &none).unwrap(), cases(&api, &positive, &other, &none).unwrap());
}

#[test]
fn every_invalid_body_fails_its_schema_and_parameters_fail_as_they_travel() {
    let api = api();
    let none = |_: &str| None;
    let op = api.operation("addThing").unwrap();
    let schema = op.request_body.as_ref().unwrap().content[0].schema.clone().unwrap();
    let found = cases(&api, &unit(GenCheck::NegativeData, "addThing"), &generation(&[]), &none).unwrap();
    assert!(found.iter().any(|c| c.name == "body /name: missing-required"), "{found:#?}");
    assert!(found.iter().any(|c| c.name == "body /: extra-property"), "{found:#?}");
    for c in &found {
        let (_, body) = c.request.body.as_ref().unwrap();
        assert!(!crate::synth::is_valid(&api, &schema, body), "{c:#?}");
    }
    let list = cases(&api, &unit(GenCheck::NegativeData, "listThings"), &generation(&[]), &none).unwrap();
    let limits: Vec<&str> = list
        .iter()
        .flat_map(|c| c.request.query.iter().filter(|(k, _)| k == "limit").map(|(_, v)| v.as_str()))
        .collect();
    assert_eq!(limits, vec!["konform", "0", "101"], "{list:#?}");
    // A header without constraints has no invalid value (any text is a string).
    assert!(!list.iter().any(|c| c.name.starts_with("header X-Tenant")), "{list:#?}");
}

#[test]
fn a_path_parameter_takes_a_captured_value_that_fits_and_no_other() {
    let api = api();
    let captured = |name: &str| (name == "thingId").then(|| json!("3f2b8c1e-5d4a-4e7b-9c2d-1a2b3c4d5e6f"));
    let u = unit(GenCheck::PositiveData, "getThing");
    let got = cases(&api, &u, &generation(&[]), &captured).unwrap();
    assert_eq!(got[0].request.path_params, vec![("thingId".into(), "3f2b8c1e-5d4a-4e7b-9c2d-1a2b3c4d5e6f".into())]);
    let unfit = |name: &str| (name == "thingId").then(|| Value::from("not-a-uuid"));
    let got = cases(&api, &u, &generation(&[]), &unfit).unwrap();
    let (_, id) = &got[0].request.path_params[0];
    assert_ne!(id, "not-a-uuid");
    assert!(uuid::Uuid::parse_str(id).is_ok(), "{id}");
}

#[test]
fn auth_sends_none_and_invalid_credentials_of_the_documents_kind() {
    let api = api();
    let got = cases(&api, &unit(GenCheck::Auth, "listThings"), &generation(&[]), &|_| None).unwrap();
    assert_eq!(got.len(), 2);
    assert!(got.iter().all(|c| !c.request.send_auth));
    assert!(!got[0].request.headers.iter().any(|(k, _)| k == "X-Api-Key"));
    assert!(got[1].request.headers.contains(&("X-Api-Key".into(), security::INVALID.into())), "{got:#?}");
}

#[test]
fn missing_headers_leaves_out_each_required_header() {
    let api = api();
    let got = cases(&api, &unit(GenCheck::MissingHeaders, "listThings"), &generation(&[]), &|_| None).unwrap();
    assert_eq!(got.len(), 1);
    assert!(!got[0].request.headers.iter().any(|(k, _)| k == "X-Tenant"));
    let base = cases(&api, &unit(GenCheck::Auth, "listThings"), &generation(&[]), &|_| None).unwrap();
    assert!(base[0].request.headers.iter().any(|(k, _)| k == "X-Tenant"), "the others carry it");
}

#[test]
fn the_budget_bounds_a_units_requests() {
    let api = api();
    let g = Generation { budget: 2, ..generation(&[]) };
    assert_eq!(cases(&api, &unit(GenCheck::NegativeData, "addThing"), &g, &|_| None).unwrap().len(), 2);
    assert_eq!(cases(&api, &unit(GenCheck::PositiveData, "addThing"), &g, &|_| None).unwrap().len(), 2);
}
