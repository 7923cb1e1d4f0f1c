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

/// A description given as text (no file behind it).
fn load_text(yaml: &str) -> ApiDoc {
    let file = std::sync::Arc::new(konform::source::SourceFile::from_text(
        &project_root().join("target/no-such-dir/inline.yaml"),
        yaml.to_string(),
    ));
    ApiDoc::load_source(file, &LoadOptions::default())
        .unwrap_or_else(|d| panic!("{:?}", d.iter().map(|d| &d.message).collect::<Vec<_>>()))
}

const SHARED_SCHEMAS: &str = "\
openapi: 3.0.3
info: {title: shared, version: '1'}
paths:
  /a:
    get:
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {$ref: '#/components/schemas/A'}
components:
  schemas:
    User:
      type: object
      properties:
        name: {type: string, pattern: '^[a-z]+$'}
    A:
      type: object
      properties: {owner: {$ref: '#/components/schemas/User'}}
    B:
      type: array
      items: {$ref: '#/components/schemas/User'}
";

#[test]
fn check_compiles_all_schemas_as_one_validator_and_keeps_none() {
    let api = load_text(SHARED_SCHEMAS);
    let (compiled, diags) = api.compile_all_schemas();
    assert!(diags.is_empty(), "{diags:?}");
    assert_eq!(compiled, 3, "the three components (the response schema is a `$ref` to `A`)");
    assert_eq!(api.schemas.compilations(), 1, "one validator refers to every schema, so `User` is compiled once");
    assert_eq!(api.schemas.compiled_count(), 0, "nothing is kept for validating");
}

#[test]
fn a_schema_that_does_not_compile_is_found_by_compiling_each_alone() {
    let api = load_text(&SHARED_SCHEMAS.replace("'^[a-z]+$'", "'^[a-z+$'"));
    let (compiled, diags) = api.compile_all_schemas();
    assert_eq!(api.schemas.compilations(), 4, "together once, then each of the three alone");
    // `User` fails, and so does everything that refers to it.
    assert_eq!(compiled, 0);
    assert_eq!(diags.len(), 3);
    let user = diags.iter().find(|d| d.message.contains("`/components/schemas/User`")).expect("User named");
    assert_eq!(user.code, "openapi::schema");
    assert!(
        user.message.starts_with("the schema at `/components/schemas/User` does not compile: "),
        "{}",
        user.message
    );
    assert_eq!(user.span.map(|s| s.line), Some(15), "the line of `User:`'s value");
    assert_eq!(api.schemas.compiled_count(), 0);
}

#[test]
fn check_compiles_a_large_document_in_chunks() {
    let n = konform::catalogue::openapi::schemas::CHECK_CHUNK + 1;
    let mut yaml = String::from(
        "openapi: 3.0.3\ninfo: {title: many, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n    Shared: {type: string}\n",
    );
    for i in 1..n {
        yaml += &format!("    S{i}: {{type: object, properties: {{a: {{$ref: '#/components/schemas/Shared'}}}}}}\n");
    }
    let api = load_text(&yaml);
    let (compiled, diags) = api.compile_all_schemas();
    assert!(diags.is_empty(), "{diags:?}");
    assert_eq!(compiled, n);
    assert_eq!(api.schemas.compilations(), 2, "one validator per chunk of CHECK_CHUNK schemas");
    assert_eq!(api.schemas.compiled_count(), 0);
}
