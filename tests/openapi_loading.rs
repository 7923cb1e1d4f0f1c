//! The loader on real-shaped documents: recursion, split files, the 3.0 dialect, BOMs.

mod common;

use common::project_root;
use konform::catalogue::openapi::{ApiDoc, LoadOptions, OasVersion};
use serde_json::json;

fn load(rel: &str) -> ApiDoc {
    ApiDoc::load(&project_root().join(rel), &LoadOptions::default())
        .unwrap_or_else(|d| panic!("{rel}: {:?}", d.iter().map(|d| &d.message).collect::<Vec<_>>()))
}

fn response_schema(api: &ApiDoc, op: &str) -> konform::catalogue::openapi::SchemaLoc {
    let op = api.operation(op).unwrap();
    op.response_for(200).unwrap().content[0].schema.clone().unwrap()
}

#[test]
fn a_cyclic_schema_loads_and_validates_deep_values() {
    let api = load("fixtures/openapi/recursive.yaml");
    assert_eq!(api.version, OasVersion::V31);
    let schema = response_schema(&api, "getTree");
    let mut tree = json!({"name": "leaf"});
    for i in 0..50 {
        tree = json!({"name": format!("n{i}"), "children": [tree.clone()], "parent": {"name": "p"}});
    }
    assert!(api.schemas.validate(&schema, &tree).unwrap().is_empty());
    tree["children"][0]["children"][0]["name"] = json!(5);
    let violations = api.schemas.validate(&schema, &tree).unwrap();
    assert_eq!(violations.len(), 1);
    assert_eq!(violations[0].instance_path, "/children/0/children/0/name");
    assert_eq!(violations[0].keyword, "type");
}

#[test]
fn relative_file_refs_resolve_against_the_referring_file() {
    let api = load("fixtures/openapi/split/root.yaml");
    assert_eq!(api.docs.len(), 3);
    let schema = response_schema(&api, "listThings");
    // `nullable` in common.yaml (reached through schemas/thing.yaml) is translated too.
    assert!(api.schemas.validate(&schema, &json!([{"id": "a", "owner": {"name": null}}])).unwrap().is_empty());
    let bad = api.schemas.validate(&schema, &json!([{"id": "a", "owner": {"name": 3}}])).unwrap();
    assert_eq!(bad[0].instance_path, "/0/owner/name");
}

#[test]
fn openapi_3_0_exclusive_minimum_means_what_it_says() {
    let api = load("fixtures/catalogues/minimal/pets/1.0.0/openapi.yaml");
    let op = api.operation("createPet").unwrap();
    let schema = op.request_body.as_ref().unwrap().content[0].schema.clone().unwrap();
    assert!(api.schemas.validate(&schema, &json!({"name": "a", "age": 1})).unwrap().is_empty());
    assert!(api.schemas.validate(&schema, &json!({"name": "a", "age": null})).unwrap().is_empty());
    assert_eq!(api.schemas.validate(&schema, &json!({"name": "a", "age": 0})).unwrap()[0].keyword, "exclusiveMinimum");
}

#[test]
fn validators_are_compiled_once_per_location() {
    let api = load("fixtures/openapi/recursive.yaml");
    let schema = response_schema(&api, "getTree");
    assert_eq!(api.schemas.compiled_count(), 0, "nothing is compiled up front");
    for _ in 0..10 {
        api.schemas.validate(&schema, &json!({"name": "x"})).unwrap();
    }
    assert_eq!(api.schemas.compiled_count(), 1);
}

#[test]
fn a_byte_order_mark_is_tolerated() {
    let api = load("fixtures/openapi/bom.json");
    assert_eq!(api.declared_version, "3.0.0");
}

#[test]
fn operations_are_found_by_id_or_by_method_and_path() {
    let api = load("fixtures/catalogues/minimal/pets/1.0.0/openapi.yaml");
    assert_eq!(api.operation("getPet").unwrap().path, "/{shop}/pets/{petId}");
    assert_eq!(api.operation("GET /{shop}/pets/{petId}").unwrap().id, "getPet");
    assert!(api.operation("deletePet").is_none());
}
