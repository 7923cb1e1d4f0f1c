//! Information models: `check` reports a specification that writes out a concept the
//! catalogue models, an undefined property, and a bad `x-konform-extends`, each at its line;
//! `catalogue show` renders a model's page; `konform diff` of two model versions names every
//! specification version the change affects; `catalogue bundle` makes one self-contained
//! description of a specification that uses models.

mod common;

use common::{check_in, copy_tree, edit, konform, minimal_catalogue, project_root, Run};
use serde_json::Value;

/// The minimal catalogue with the catalogue's `problem` model beside it.
fn with_model() -> tempfile::TempDir {
    let dir = minimal_catalogue();
    let from = project_root().join("conformance-suites/models/problem/1.0.0");
    let to = dir.path().join("models/problem/1.0.0");
    std::fs::create_dir_all(&to).unwrap();
    for f in ["model.yaml", "schemas.yaml"] {
        std::fs::copy(from.join(f), to.join(f)).unwrap();
    }
    dir
}

const API: &str = "pets/1.0.0/openapi.yaml";
const PROBLEM: &str = "    Problem:\n      type: object\n      properties:\n        type: { type: string }\n        title: { type: string }\n        status: { type: integer }\n        detail: { type: string }\n        instance: { type: string }\n    NewPet:";

#[test]
fn a_concept_written_out_again_is_an_error_naming_the_model() {
    let dir = with_model();
    edit(&dir.path().join(API), "    NewPet:", PROBLEM);
    let run = check_in(dir.path());
    assert_eq!(run.code, 2, "{}\n{}", run.stdout, run.stderr);
    assert!(run.stderr.contains("model::redefined"), "{}", run.stderr);
    assert!(run.stderr.contains("pets@1.0.0 defines `Problem` itself"), "{}", run.stderr);
    assert!(run.stderr.contains(&format!("{API}:37:7")), "{}", run.stderr);
}

#[test]
fn using_the_model_by_reference_is_clean() {
    let dir = with_model();
    let used = "    Problem:\n      $ref: \"../../models/problem/1.0.0/schemas.yaml#/components/schemas/Problem\"\n    NewPet:";
    edit(&dir.path().join(API), "    NewPet:", used);
    let run = check_in(dir.path());
    assert_eq!(run.code, 0, "{}\n{}", run.stdout, run.stderr);
}

#[test]
fn an_extension_must_name_a_concept_that_exists() {
    let dir = with_model();
    let ext =
        PROBLEM.replace("      type: object\n", "      type: object\n      x-konform-extends: problem/Problem2\n");
    edit(&dir.path().join(API), "    NewPet:", &ext);
    let run = check_in(dir.path());
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("names no concept"), "{}", run.stderr);
}

#[test]
fn a_model_property_without_a_definition_is_an_error_at_its_line() {
    let dir = with_model();
    let schemas = dir.path().join("models/problem/1.0.0/schemas.yaml");
    let text = std::fs::read_to_string(&schemas).unwrap();
    let cut = text.replacen(
        "          x-konform-definition:\n            sv: HTTP-statuskoden som svaret har.\n            en: The HTTP status code of the response.\n",
        "",
        1,
    );
    assert_ne!(cut, text, "the fixture has the status definition");
    std::fs::write(&schemas, cut).unwrap();
    let run = check_in(dir.path());
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("Problem.status has no `x-konform-definition`"), "{}", run.stderr);
    assert!(run.stderr.contains("models/problem/1.0.0/schemas.yaml:"), "{}", run.stderr);
}

/// The catalogue with attachment 1.1.0 beside 1.0.0: `sha256` became required, and one
/// definition was reworded. Nothing uses 1.1.0 yet.
fn with_attachment_1_1_0() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_tree(&project_root().join("conformance-suites"), dir.path());
    let old = dir.path().join("models/attachment/1.0.0");
    let new = dir.path().join("models/attachment/1.1.0");
    copy_tree(&old, &new);
    edit(&new.join("model.yaml"), "version: 1.0.0", "version: 1.1.0");
    edit(&new.join("model.yaml"), "published: 2026-09-01", "published: 2026-12-01");
    edit(&new.join("schemas.yaml"), "required: [name, mimeType, size]", "required: [name, mimeType, size, sha256]");
    edit(&new.join("schemas.yaml"), "en: The file's size in bytes.", "en: The file's size in bytes (octets).");
    dir
}

fn in_dir(dir: &std::path::Path, args: &[&str]) -> Run {
    konform().current_dir(dir).args(args).output().unwrap().into()
}

#[test]
fn a_model_change_names_every_specification_version_it_affects() {
    let dir = with_attachment_1_1_0();
    let check = check_in(dir.path());
    assert_eq!(check.code, 0, "the catalogue with the new version checks clean: {}", check.stderr);

    let json =
        in_dir(dir.path(), &["diff", "--catalogue", ".", "attachment@1.0.0", "attachment@1.1.0", "--format", "json"]);
    assert_eq!(json.code, 0, "{}", json.stderr);
    let v: Value = serde_json::from_str(&json.stdout).unwrap();
    let affected: Vec<&str> =
        v["affected"].as_array().unwrap().iter().map(|a| a["specification"].as_str().unwrap()).collect();
    assert_eq!(affected, ["building-permit@1.0.0", "case-intake@2.0.0"], "{}", json.stdout);
    let codes: Vec<(&str, Option<&str>)> = v["model_changes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| (c["code"].as_str().unwrap(), c["property"].as_str()))
        .collect();
    assert!(codes.contains(&("property-became-required", Some("sha256"))), "{codes:?}");
    assert!(codes.contains(&("definition-changed", Some("size"))), "{codes:?}");
    assert_eq!(v["summary"]["must_change"], true, "a response must now carry sha256");
    // Each affected specification's changes point into the new model's schemas file.
    for a in v["affected"].as_array().unwrap() {
        let text = a["changes"].to_string();
        assert!(text.contains("models/attachment/1.1.0/schemas.yaml"), "{text}");
    }

    let human = in_dir(
        dir.path(),
        &["diff", "--catalogue", ".", "attachment@1.0.0", "attachment@1.1.0", "--fail-on", "must-change"],
    );
    assert_eq!(human.code, 1, "--fail-on must-change fails: {}", human.stderr);
    assert!(human.stdout.contains("2 specification versions use attachment@1.0.0"), "{}", human.stdout);
    for section in ["── building-permit 1.0.0 (attachment 1.1.0)", "── case-intake 2.0.0 (attachment 1.1.0)"] {
        assert!(human.stdout.contains(section), "{section}: {}", human.stdout);
    }
    let sv = in_dir(
        dir.path(),
        &["diff", "--catalogue", ".", "attachment@1.0.0", "attachment@1.1.0", "--format", "markdown", "--lang", "sv"],
    );
    assert_eq!(sv.code, 0, "{}", sv.stderr);
    assert!(sv.stdout.contains("Attachment.sha256 har blivit obligatorisk"), "{}", sv.stdout);
}

#[test]
fn a_model_nobody_uses_affects_nobody() {
    let dir = with_attachment_1_1_0();
    // Diffing backwards: nothing uses 1.1.0, so moving from it affects no specification.
    let run =
        in_dir(dir.path(), &["diff", "--catalogue", ".", "attachment@1.1.0", "attachment@1.0.0", "--format", "json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let v: Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(v["affected"].as_array().unwrap().len(), 0);
    assert_eq!(v["already"].as_array().unwrap().len(), 2, "two specification versions use 1.0.0");
    assert!(v["model_changes"].as_array().unwrap().iter().any(|c| c["code"] == "property-became-optional"));
}

#[test]
fn a_model_page_shows_every_concept_and_definition_in_every_format() {
    let catalogue = project_root().join("conformance-suites");
    let show = |format: &str, lang: &str| -> String {
        let run: Run = konform()
            .args(["catalogue", "show", "attachment", "--format", format, "--lang", lang, "--catalogue"])
            .arg(&catalogue)
            .output()
            .unwrap()
            .into();
        assert_eq!(run.code, 0, "{}", run.stderr);
        run.stdout
    };
    let json: Value = serde_json::from_str(&show("json", "en")).unwrap();
    assert_eq!(json["model"]["id"], "attachment");
    assert_eq!(json["used_by"], serde_json::json!(["building-permit@1.0.0", "case-intake@2.0.0"]));
    let concept = &json["concepts"][0];
    assert_eq!(concept["name"], "Attachment");
    assert_eq!(concept["key"], serde_json::json!(["name", "mimeType", "size"]));
    let human = show("human", "sv");
    assert!(human.contains("Filens storlek i byte."), "{human}");
    assert!(human.contains("identifieras av name, mimeType, size"), "{human}");
    let markdown = show("markdown", "en");
    assert!(
        markdown.contains("| `size` | integer | required | Filens storlek i byte. | The file's size in bytes. |"),
        "{markdown}"
    );
    let html = show("html", "sv");
    assert!(html.starts_with("<!doctype html>\n<html lang=\"sv\">"), "{html}");
    assert!(html.contains("<td lang=\"sv\">Filens storlek i byte.</td>"), "{html}");
    assert!(html.contains("The file&#39;s size in bytes."), "{html}");
}

#[test]
fn a_description_inside_a_catalogue_checks_on_its_own_and_bundles_into_one_file() {
    let catalogue = project_root().join("conformance-suites");
    // Checked on its own, the description may use the catalogue's models: its catalogue
    // (the folder above with catalogue.yaml) is the boundary, not its own folder.
    let alone: Run =
        konform().arg("check").arg(catalogue.join("case-intake/2.0.0/openapi.yaml")).output().unwrap().into();
    assert_eq!(alone.code, 0, "{}", alone.stderr);

    let dir = tempfile::tempdir().unwrap();
    for (spec, concept) in [("case-intake@2.0.0", "Problem"), ("building-permit@1.0.0", "Attachment")] {
        let out = dir.path().join(format!("{spec}.json"));
        let run: Run = konform()
            .args(["catalogue", "bundle", spec, "-o"])
            .arg(&out)
            .arg("--catalogue")
            .arg(&catalogue)
            .output()
            .unwrap()
            .into();
        assert_eq!(run.code, 0, "{}", run.stderr);
        let text = std::fs::read_to_string(&out).unwrap();
        let v: Value = serde_json::from_str(&text).unwrap();
        assert!(!text.contains("\"$ref\": \"../"), "{spec}: every reference is inside the bundle");
        let schema = &v["components"]["schemas"][concept];
        assert!(schema["properties"].is_object(), "{spec}: {concept} is taken in, not referred to: {schema}");
        // The bundle, alone in a folder of its own, loads and checks clean.
        let checked: Run = konform().arg("check").arg(&out).output().unwrap().into();
        assert_eq!(checked.code, 0, "{spec}: {}{}", checked.stdout, checked.stderr);
    }
}
