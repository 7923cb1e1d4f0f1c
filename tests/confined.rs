//! A catalogue reads only its own files: `$ref`s, fixtures and the files `spec.yaml` names
//! resolve inside the catalogue folder (a single document: inside its folder tree), after
//! symlinks are followed. A file outside is refused at the line naming it, and nothing of
//! its content reaches any output. YAML aliases are bounded by the bytes they expand to.

mod common;

use std::path::Path;

use common::{edit, konform, minimal_catalogue, Run};

/// What a secret file outside the catalogue holds; it must never be printed.
const SECRET: &str = "AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMIK7MDENGbPxRfiCYEXAMPLEKEY";

/// A catalogue in `root/catalogue` and a secret file beside it, in `root/outside/.env`.
fn setup() -> (tempfile::TempDir, std::path::PathBuf) {
    let root = minimal_catalogue();
    let catalogue = root.path().join("catalogue");
    std::fs::create_dir(&catalogue).unwrap();
    std::fs::rename(root.path().join("pets"), catalogue.join("pets")).unwrap();
    std::fs::create_dir(root.path().join("outside")).unwrap();
    std::fs::write(root.path().join("outside/.env"), format!("{SECRET}\n")).unwrap();
    std::fs::write(root.path().join("outside/pet.json"), format!("{{\"name\": \"{SECRET}\"}}\n")).unwrap();
    (root, catalogue)
}

fn spec_dir(catalogue: &Path) -> std::path::PathBuf {
    catalogue.join("pets/1.0.0")
}

/// `check` in both formats, and `run` (which must stop before sending anything).
fn every_way(catalogue: &Path) -> Vec<(String, Run)> {
    let check: Run = konform().current_dir(catalogue).args(["check", "."]).output().unwrap().into();
    let json: Run = konform().current_dir(catalogue).args(["check", ".", "--format", "json"]).output().unwrap().into();
    let run: Run = konform()
        .current_dir(catalogue)
        .args(["run", "pets", "--catalogue", ".", "--base-url", "http://127.0.0.1:9"])
        .output()
        .unwrap()
        .into();
    vec![("check".into(), check), ("check --format json".into(), json), ("run".into(), run)]
}

/// Every way exits 2, names `file:line` (`"file"` and `"line"` in JSON) and says `words`.
fn assert_refused(catalogue: &Path, file_line: &str, words: &[&str]) {
    let (file, line) = file_line.split_once(':').unwrap();
    for (how, out) in every_way(catalogue) {
        let all = format!("{}{}", out.stdout, out.stderr);
        assert_eq!(out.code, 2, "{how}: {all}");
        assert!(!all.contains("wJalrXUtnFEMIK7MDENG"), "{how} printed the outside file: {all}");
        let named = if how.contains("json") {
            all.contains(&format!("{file}\",\n      \"line\": {line},"))
        } else {
            all.contains(file_line)
        };
        assert!(named, "{how} does not name {file_line}: {all}");
        for w in words {
            assert!(all.contains(w), "{how} does not say {w:?}: {all}");
        }
    }
}

#[test]
fn a_ref_to_a_file_outside_the_catalogue_is_refused_unread() {
    for reference in ["../../../outside/.env", "/ABS/outside/.env", "file:///ABS/outside/.env"] {
        let (root, catalogue) = setup();
        let reference = reference.replace("/ABS", &root.path().display().to_string());
        edit(
            &spec_dir(&catalogue).join("openapi.yaml"),
            "schema: { $ref: \"#/components/schemas/NewPet\" }",
            &format!("schema: {{ $ref: \"{reference}\" }}"),
        );
        assert_refused(&catalogue, "openapi.yaml:13", &["outside the catalogue folder", &reference]);
    }
}

#[test]
fn a_symlink_inside_the_catalogue_to_a_file_outside_is_refused() {
    let (root, catalogue) = setup();
    std::os::unix::fs::symlink(root.path().join("outside/.env"), spec_dir(&catalogue).join("schemas.yaml")).unwrap();
    edit(
        &spec_dir(&catalogue).join("openapi.yaml"),
        "schema: { $ref: \"#/components/schemas/NewPet\" }",
        "schema: { $ref: \"schemas.yaml\" }",
    );
    assert_refused(&catalogue, "openapi.yaml:13", &["symlink to a file outside the catalogue folder"]);
}

#[test]
fn a_ref_inside_the_catalogue_to_a_file_that_is_no_document_is_refused_unquoted() {
    let (_root, catalogue) = setup();
    std::fs::write(spec_dir(&catalogue).join("notes.env"), format!("{SECRET}\n")).unwrap();
    edit(
        &spec_dir(&catalogue).join("openapi.yaml"),
        "schema: { $ref: \"#/components/schemas/NewPet\" }",
        "schema: { $ref: \"notes.env\" }",
    );
    assert_refused(&catalogue, "openapi.yaml:13", &["is not a YAML or JSON document"]);
}

#[test]
fn a_fixture_outside_the_catalogue_is_refused_at_its_line() {
    let cases = [
        ("../../../outside/pet.json", "outside the catalogue folder"),
        ("/ABS/outside/pet.json", "outside the catalogue folder"),
        ("fixtures/link.json", "symlink to a file outside the catalogue folder"),
    ];
    for (written, words) in cases {
        let (root, catalogue) = setup();
        std::os::unix::fs::symlink(
            root.path().join("outside/pet.json"),
            spec_dir(&catalogue).join("fixtures/link.json"),
        )
        .unwrap();
        let written = written.replace("/ABS", &root.path().display().to_string());
        edit(
            &spec_dir(&catalogue).join("scenarios/main.yaml"),
            "body_file: fixtures/pet.json",
            &format!("body_file: {written}"),
        );
        assert_refused(&catalogue, "main.yaml:9", &[words, &written]);
    }
}

#[test]
fn files_spec_yaml_names_stay_inside_the_catalogue() {
    let (root, catalogue) = setup();
    std::fs::copy(spec_dir(&catalogue).join("openapi.yaml"), root.path().join("outside/openapi.yaml")).unwrap();
    edit(&spec_dir(&catalogue).join("spec.yaml"), "openapi: openapi.yaml", "openapi: ../../../outside/openapi.yaml");
    assert_refused(&catalogue, "spec.yaml:6", &["`openapi: ../../../outside/openapi.yaml`", "outside the catalogue"]);
}

#[test]
fn a_lone_document_refers_only_to_files_in_its_folder_tree() {
    let (root, catalogue) = setup();
    let doc = spec_dir(&catalogue).join("openapi.yaml");
    edit(&doc, "schema: { $ref: \"#/components/schemas/NewPet\" }", "schema: { $ref: \"../../../outside/.env\" }");
    for args in [vec!["lint"], vec!["check"]] {
        let out: Run = konform().current_dir(root.path()).args(&args).arg(&doc).output().unwrap().into();
        let all = format!("{}{}", out.stdout, out.stderr);
        assert_eq!(out.code, 2, "{args:?}: {all}");
        assert!(all.contains("outside the folder of the document"), "{args:?}: {all}");
        assert!(!all.contains("wJalrXUtnFEMIK7MDENG"), "{args:?}: {all}");
    }
}

#[test]
fn references_below_the_documents_folder_still_load() {
    // fixtures/openapi/split refers to `../common.yaml` from a subfolder: still inside.
    let out: Run = konform()
        .arg("check")
        .arg(common::project_root().join("fixtures/openapi/split/root.yaml"))
        .output()
        .unwrap()
        .into();
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
}

#[test]
fn an_alias_bomb_made_of_few_big_strings_is_refused_at_its_line() {
    let (_root, catalogue) = setup();
    let path = spec_dir(&catalogue).join("requirements.yaml");
    let mut text = std::fs::read_to_string(&path).unwrap();
    text.push_str(&format!("x-big: &big \"{}\"\nx-uses:\n", "x".repeat(1024 * 1024)));
    let first_use = text.lines().count() + 1;
    for _ in 0..1000 {
        text.push_str("  - *big\n");
    }
    std::fs::write(&path, text).unwrap();
    let out: Run = konform().current_dir(&catalogue).args(["check", "."]).output().unwrap().into();
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(out.stderr.contains("MiB of text (possible alias bomb)"), "{}", out.stderr);
    assert!(out.stderr.contains(&format!("requirements.yaml:{}", first_use + 64)), "{}", out.stderr);
}

#[test]
fn a_remote_reference_is_read_only_up_to_the_response_limit() {
    let big = std::sync::Arc::new(format!("Thing:\n  description: \"{}\"\n", "x".repeat(11 * 1024 * 1024)));
    let server = common::server::start(move |_, stream| {
        let big = big.clone();
        async move {
            common::server::respond(stream, "200 OK", &[("Content-Type", "application/yaml")], big.as_bytes()).await
        }
    });
    let dir = tempfile::tempdir().unwrap();
    let doc = dir.path().join("api.yaml");
    let root = std::fs::read_to_string(common::project_root().join("fixtures/openapi/split/root.yaml")).unwrap();
    std::fs::write(&doc, root.replace("schemas/thing.yaml#/Thing", &format!("{}/thing.yaml#/Thing", server.url())))
        .unwrap();
    let out: Run = konform().arg("lint").arg(&doc).arg("--allow-remote-refs").output().unwrap().into();
    assert_eq!(out.code, 2, "{}{}", out.stdout, out.stderr);
    assert!(out.stderr.contains("is larger than 10240 KiB"), "{}", out.stderr);
    assert!(out.stderr.contains("api.yaml:14"), "{}", out.stderr);
}
