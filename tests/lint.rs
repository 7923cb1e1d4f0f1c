//! `konform lint`: DIGG's REST API profile, rule family by rule family.

mod common;

use common::{konform, project_root, Run};
use serde_json::Value;

fn lint_text(text: &str, format: &str) -> (Run, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("api.yaml");
    std::fs::write(&path, text).unwrap();
    let run: Run =
        konform().current_dir(dir.path()).args(["lint", "api.yaml", "--format", format]).output().unwrap().into();
    (run, dir)
}

/// A finding: rule, level, line, JSON pointer.
type Finding = (String, String, Option<u64>, String);

fn rules_broken(text: &str) -> (i32, Vec<Finding>) {
    let (run, _dir) = lint_text(text, "json");
    let report: Value =
        serde_json::from_str(&run.stdout).unwrap_or_else(|e| panic!("{e}: {}\n{}", run.stdout, run.stderr));
    let findings = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["rule"].as_str().unwrap().to_string(),
                f["level"].as_str().unwrap().to_string(),
                f["line"].as_u64(),
                f["pointer"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    (run.code, findings)
}

fn clean() -> String {
    std::fs::read_to_string(project_root().join("fixtures/lint/clean.yaml")).unwrap()
}

#[test]
fn the_clean_document_breaks_no_rule() {
    let (code, findings) = rules_broken(&clean());
    assert_eq!(code, 0);
    assert!(findings.is_empty(), "{findings:?}");
}

/// (rule, level, text to replace in clean.yaml, replacement, the line and JSON pointer
/// every finding of the rule must name)
const VIOLATIONS: [(&str, &str, &str, &str, u64, &str); 41] = [
    ("DOK.03", "skall", "  license: { name: EUPL-1.2 }\n", "", 5, "/info"),
    ("DOK.06", "bor", "    Loans of books at the municipal libraries and how they are returned.\n", "", 8, "/info/description"),
    ("DOK.07", "bor", "    Lån av böcker på kommunens bibliotek och hur de lämnas tillbaka.\n    Loans of books at the municipal libraries and how they are returned.", "    Lån och loans.", 8, "/info/description"),
    ("DOK.15", "skall", "            example: { bookTitle: Röda rummet }\n", "", 58, "/paths/~1loans/post/requestBody/content/application~1json"),
    ("DOK.17", "bor", "openapi: 3.1.0", "openapi: 3.0.3", 3, "/openapi"),
    ("DOK.19", "skall", "      summary: Borrow a book\n", "", 52, "/paths/~1loans/post"),
    ("DOK.20", "skall", "        \"404\":\n          $ref: \"#/components/responses/Problem\"\n", "", 75, "/paths/~1loans~1{loanId}~1return-date/get"),
    ("DOT.02", "skall", "dueDate: { type: string, format: date }", "dueDate: { type: string }", 130, "/components/schemas/Loan/properties/dueDate"),
    ("DOT.04", "bor", "example: \"2026-11-01T10:00:00Z\" }\n    Problem:", "example: \"2026-11-01T10:00:00+02:00\" }\n    Problem:", 131, "/components/schemas/Loan/properties/createdAt/example"),
    ("RES.02", "bor", "/loans/{loanId}/return-date:", "/loans/{personnummer}/return-date:", 72, "/paths/~1loans~1{personnummer}~1return-date"),
    ("RES.06", "skall", "/loans/{loanId}/return-date:", "/loans/{loanId}/get-return-date:", 72, "/paths/~1loans~1{loanId}~1get-return-date"),
    ("SPA.02", "skall", "  /loans/{loanId}/return-date:\n    parameters: [{ $ref: \"#/components/parameters/Traceparent\" }]\n", "  /loans/{loanId}/return-date:\n", 74, "/paths/~1loans~1{loanId}~1return-date/get"),
    ("SPA.04", "bor", "          headers: { traceparent: { $ref: \"#/components/headers/Traceparent\" } }\n          content:\n            application/json:\n              schema: { $ref: \"#/components/schemas/ApiInfo\" }", "          content:\n            application/json:\n              schema: { $ref: \"#/components/schemas/ApiInfo\" }", 24, "/paths/~1api-info/get/responses/200"),
    ("MOG.01", "skall", "    get:\n      operationId: getReturnDate", "    head:\n      operationId: getReturnDate", 72, "/paths/~1loans~1{loanId}~1return-date"),
    ("MOG.02", "bor", "          links: { returnDate: { operationId: getReturnDate, parameters: { loanId: \"$response.body#/loanId\" } } }\n", "", 17, "/paths"),
    ("SPA.07", "skall", "  /api-info:\n    parameters: [{ $ref: \"#/components/parameters/Traceparent\" }]\n", "  /api-info:\n    parameters: [{ name: X-Request-ID, in: header, schema: { type: string } }]\n", 20, "/paths/~1api-info/get"),
    ("UFN.01", "bor", "https://api.example.org/library-loans/v1", "https://api.example.org/", 13, "/servers/0/url"),
    ("UFN.02", "skall", "https://api.example.org/library-loans/v1", "https://api.example.org:8443/library-loans/v1", 13, "/servers/0/url"),
    ("SAK.01", "skall", "https://api.example.org/library-loans/v1", "http://api.example.org/library-loans/v1", 13, "/servers/0/url"),
    ("UFN.07", "skall", "/loans/{loanId}/return-date:", "/loans/{loanId}/Return-Date:", 72, "/paths/~1loans~1{loanId}~1Return-Date"),
    ("UFN.08", "skall", "/loans/{loanId}/return-date:", "/loans/{loanId}/returnDate:", 72, "/paths/~1loans~1{loanId}~1returnDate"),
    ("UFN.09", "skall", "/loans/{loanId}/return-date:", "/loans/{loanId}/return_date:", 72, "/paths/~1loans~1{loanId}~1return_date"),
    ("AME.01", "bor", "          application/json:\n            schema: { $ref: \"#/components/schemas/NewLoan\" }", "          application/xml:\n            schema: { $ref: \"#/components/schemas/NewLoan\" }", 58, "/paths/~1loans/post/requestBody/content/application~1xml"),
    ("AME.02", "bor", "          application/json:\n            schema: { $ref: \"#/components/schemas/NewLoan\" }", "          application/xml:\n            schema: { $ref: \"#/components/schemas/NewLoan\" }", 52, "/paths/~1loans/post"),
    ("AME.04", "bor", "bookTitle: { type: string }\n    Loan:", "BookTitle: { type: string }\n    Loan:", 124, "/components/schemas/NewLoan/properties/BookTitle"),
    ("AME.05", "skall", "        loanId: { type: string }", "        loan_id: { type: string }", 128, "/components/schemas/Loan/properties/loan_id"),
    ("AME.07", "bor", "        bookTitle: { type: string }\n        dueDate", "        book-title: { type: string }\n        dueDate", 129, "/components/schemas/Loan/properties/book-title"),
    ("ARQ.01", "bor", "          application/json:\n            schema: { $ref: \"#/components/schemas/NewLoan\" }", "          application/json; charset=iso-8859-1:\n            schema: { $ref: \"#/components/schemas/NewLoan\" }", 58, "/paths/~1loans/post/requestBody/content/application~1json; charset=iso-8859-1"),
    ("ARQ.05", "skall", "        - { name: dueBefore, in: query, schema: { type: string, format: date } }", "        - { name: dueBefore, in: query, schema: { type: string, format: date } }\n        - { name: X-Filter, in: header, schema: { type: object } }", 41, "/paths/~1loans/get/parameters/3"),
    ("FEL.01", "skall", "        status: { type: integer }", "        status: { type: string }", 137, "/components/schemas/Problem/properties/status"),
    ("FEL.02", "skall", "        application/problem+json:", "        application/json:", 113, "/components/responses/Problem/content/application~1json"),
    ("VER.05", "bor", "https://api.example.org/library-loans/v1", "https://api.example.org/library-loans/latest", 13, "/servers/0/url"),
    ("VER.06", "skall", "  /api-info:", "  /about:", 17, "/paths"),
    ("FNS.03", "skall", "name: dueBefore, in: query", "name: 2dueBefore, in: query", 40, "/paths/~1loans/get/parameters/2"),
    ("FNS.05", "bor", "name: dueBefore, in: query,", "name: dueBefore, in: query, required: true,", 40, "/paths/~1loans/get/parameters/2"),
    ("FNS.07", "skall", "        - { name: page, in: query, schema: { type: integer, minimum: 1, default: 1 } }\n", "", 35, "/paths/~1loans/get"),
    ("FNS.08", "skall", "minimum: 1, default: 1 }", "minimum: 0, default: 0 }", 38, "/paths/~1loans/get/parameters/0"),
    ("FNS.09", "bor", "maximum: 100, default: 20 }", "maximum: 100, default: 50 }", 39, "/paths/~1loans/get/parameters/1"),
    ("SAK.29", "bor", "        \"415\": { $ref: \"#/components/responses/Problem\" }\n", "", 52, "/paths/~1loans/post"),
    ("SAK.18", "bor", "    oauth:\n      type: oauth2\n      flows:\n        clientCredentials:\n          tokenUrl: https://login.example.org/oauth2/token\n          scopes: { loans: Borrow and return books }", "    oauth:\n      type: http\n      scheme: bearer", 101, "/components/securitySchemes"),
    ("FOR.02", "skall", "      operationId: getReturnDate\n", "      operationId: getReturnDate\n      requestBody:\n        content:\n          application/json:\n            schema: { type: object }\n            example: {}\n", 77, "/paths/~1loans~1{loanId}~1return-date/get/requestBody"),
];

#[test]
fn each_rule_family_is_caught_at_its_line() {
    let base = clean();
    for (rule, level, from, to, line, pointer) in VIOLATIONS {
        assert!(base.contains(from), "{rule}: the fixture lacks {from:?}");
        let (code, findings) = rules_broken(&base.replacen(from, to, 1));
        let hits: Vec<_> = findings.iter().filter(|f| f.0 == rule).collect();
        assert!(!hits.is_empty(), "{rule} not reported; got {findings:?}");
        for hit in hits {
            assert_eq!(hit.1, level, "{rule}");
            assert_eq!((hit.2, hit.3.as_str()), (Some(line), pointer), "{rule}: where the finding points");
        }
        let skall = findings.iter().any(|f| f.1 == "skall");
        assert_eq!(code, if skall { 1 } else { 0 }, "{rule}: exit 1 exactly when a SKALL rule is broken: {findings:?}");
    }
}

#[test]
fn security_scheme_rules() {
    let base = clean();
    let with = |scheme: &str| {
        base.replacen(
            "    oauth:\n      type: oauth2\n",
            &format!("    other:\n{scheme}\n    oauth:\n      type: oauth2\n"),
            1,
        )
    };
    let cases = [
        ("SAK.09", "      type: http\n      scheme: basic"),
        ("SAK.10", "      type: http\n      scheme: basic"),
        ("SAK.15", "      type: apiKey\n      in: query\n      name: key"),
        ("SAK.16", "      type: apiKey\n      in: cookie\n      name: key"),
    ];
    for (rule, scheme) in cases {
        let (code, findings) = rules_broken(&with(scheme));
        assert!(findings.iter().any(|f| f.0 == rule), "{rule}: {findings:?}");
        assert_eq!(code, 1);
    }
}

#[test]
fn corpus_diggs_test_specs_give_the_violations_their_names_announce() {
    let dir = project_root().join("../shared/corpus/digg/rap-lp-apis");
    if !dir.is_dir() {
        panic!("../shared/corpus is absent: this test needs DIGG's RAP-LP test specs");
    }
    let expect = [
        ("ame-api.yaml", "AME."),
        ("arq-api.yaml", "ARQ."),
        ("dok-api.yaml", "DOK."),
        ("dot-api.yaml", "DOT."),
        ("fel-api.yaml", "FEL."),
        ("fns-api.yaml", "FNS."),
        ("sak-api.yaml", "SAK."),
        ("ver-api.yaml", "VER."),
    ];
    for (file, family) in expect {
        let run: Run = konform().arg("lint").arg(dir.join(file)).args(["--format", "json"]).output().unwrap().into();
        let report: Value = serde_json::from_str(&run.stdout).unwrap_or_else(|e| panic!("{file}: {e}\n{}", run.stderr));
        let rules: Vec<&str> =
            report["findings"].as_array().unwrap().iter().map(|f| f["rule"].as_str().unwrap()).collect();
        assert!(rules.iter().any(|r| r.starts_with(family)), "{file}: no {family} violation in {rules:?}");
    }
    // Three of them are not valid YAML as published: a clear parse error with line and column.
    for (file, line) in [("for-api.yaml", ":"), ("for.yaml", ":"), ("ufn-api.yaml", ":")] {
        let run: Run = konform().arg("lint").arg(dir.join(file)).output().unwrap().into();
        assert_eq!(run.code, 2, "{file}");
        assert!(run.stderr.contains("invalid YAML"), "{file}: {}", run.stderr);
        let located = run.stderr.split(&format!("{file}{line}")).skip(1).any(|rest| {
            let mut parts = rest.splitn(3, |c: char| !c.is_ascii_digit());
            let (l, c) = (parts.next().unwrap_or(""), parts.next().unwrap_or(""));
            !l.is_empty() && !c.is_empty()
        });
        assert!(located, "{file}: the error names line and column:\n{}", run.stderr);
    }
}

/// lint's output, in a temp folder, with extra arguments.
fn lint_with(text: &str, args: &[&str]) -> (Run, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("api.yaml"), text).unwrap();
    let run: Run = konform().current_dir(dir.path()).arg("lint").arg("api.yaml").args(args).output().unwrap().into();
    (run, dir)
}

/// The clean document with SKALL and BÖR rules broken, and a field name with a comma.
fn broken() -> String {
    clean()
        .replacen("  /api-info:", "  /about:", 1)
        .replacen("openapi: 3.1.0", "openapi: 3.0.3", 1)
        .replacen("dueDate: { type: string, format: date }", "dueDate: { type: string }", 1)
        .replacen("/loans/{loanId}/return-date:", "/loans/{loanId}/return_date:", 1)
        .replacen(
            "        bookTitle: { type: string }\n        dueDate",
            "        \"book,title\": { type: string }\n        dueDate",
            1,
        )
}

#[test]
fn the_human_format_is_one_line_per_finding_grouped_by_rule() {
    let (run, _d) = lint_text(&broken(), "human");
    assert_eq!(run.code, 1, "{}", run.stderr);
    insta::assert_snapshot!("lint_compact_en", run.stdout);
    let (run, _d) = lint_with(&broken(), &["--lang", "sv"]);
    insta::assert_snapshot!("lint_compact_sv", run.stdout);
}

#[test]
fn swedish_findings_have_no_english_of_konforms_own() {
    // DIGG's test documents break most rule families; every finding's words are konform's.
    let dir = project_root().join("../shared/corpus/digg/rap-lp-apis");
    assert!(dir.is_dir(), "../shared/corpus is absent: this test needs DIGG's RAP-LP test specs");
    let english = [" the ", " is ", " has ", " not ", " no ", " lacks ", " does ", " with ", " uses ", "neither"];
    let mut seen = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        let run: Run = konform().arg("lint").arg(&path).args(["--lang", "sv"]).output().unwrap().into();
        for line in run.stdout.lines().filter(|l| l.starts_with("  ")) {
            seen += 1;
            let words = format!("{} ", line.to_lowercase());
            assert!(!english.iter().any(|e| words.contains(e)), "English in {}: {line}", path.display());
        }
    }
    assert!(seen > 20, "too few findings seen: {seen}");
}

#[test]
fn verbose_shows_each_finding_with_its_lines_under_the_rule_id() {
    let (run, _d) = lint_with(&broken(), &["--verbose"]);
    assert_eq!(run.code, 1);
    assert!(run.stdout.contains("VER.06"), "{}", run.stdout);
    assert!(run.stdout.contains("there is no /api-info resource"), "{}", run.stdout);
    assert!(run.stdout.contains("api.yaml:17:3") && run.stdout.contains("17 │   /about:"), "{}", run.stdout);
    assert!(run.stdout.contains("help: The API MUST have the resource /api-info at its root."), "{}", run.stdout);
    assert!(!run.stdout.contains("lint\n"), "no block is headed just `lint`: {}", run.stdout);
}

#[test]
fn github_actions_annotations() {
    let (run, _d) = lint_with(&broken(), &["--format", "github-actions"]);
    assert_eq!(run.code, 1);
    insta::assert_snapshot!("lint_github_actions", run.stdout);
    let commands: Vec<&str> = run.stdout.lines().filter(|l| l.starts_with("::")).collect();
    assert!(
        commands
            .iter()
            .all(|c| c.starts_with("::error file=api.yaml,line=") || c.starts_with("::warning file=api.yaml,line=")),
        "{commands:?}"
    );
}

#[test]
fn gitlab_code_quality_json() {
    let (run, _d) = lint_with(&broken(), &["--format", "gitlab"]);
    assert_eq!(run.code, 1);
    let issues: Value = serde_json::from_str(&run.stdout).unwrap();
    let issues = issues.as_array().unwrap();
    let fingerprints: std::collections::HashSet<&str> =
        issues.iter().map(|i| i["fingerprint"].as_str().unwrap()).collect();
    assert_eq!(fingerprints.len(), issues.len(), "fingerprints are unique");
    for i in issues {
        assert!(["major", "minor"].contains(&i["severity"].as_str().unwrap()), "{i}");
        assert_eq!(i["location"]["path"], "api.yaml");
        assert!(i["location"]["lines"]["begin"].as_u64().unwrap() >= 1);
    }
    insta::assert_snapshot!("lint_gitlab", run.stdout);
}

/// The SARIF 2.1.0 schema (fixtures/sarif/README.md says where it comes from), checking
/// formats too (`uri` for `informationUri` and `helpUri`, `uri-reference` for file locations).
fn sarif_schema() -> jsonschema::Validator {
    let text = std::fs::read_to_string(project_root().join("fixtures/sarif/sarif-schema-2.1.0.json")).unwrap();
    let mut schema: Value = serde_json::from_str(&text).unwrap();
    // The published pattern of `language` (of a run and of a tool component) has a stray
    // `]`, which the meta-schema's `regex` format rejects once formats are checked; this is
    // the pattern the specification means (a language tag such as `sv` or `sv-SE`, §3.14.3).
    for owner in ["run", "toolComponent"] {
        let pattern = &mut schema["definitions"][owner]["properties"]["language"]["pattern"];
        assert_eq!(pattern, "^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}]?$", "the vendored schema changed");
        *pattern = Value::from("^[a-zA-Z]{2}(-[a-zA-Z]{2})?$");
    }
    jsonschema::options().should_validate_formats(true).build(&schema).unwrap()
}

#[test]
fn sarif_is_valid_sarif_2_1_0_with_links_to_each_rule_and_one_language() {
    let schema = sarif_schema();
    let docs = std::fs::read_to_string(project_root().join("docs/api-profile.md")).unwrap();
    for lang in ["en", "sv"] {
        let (run, _d) = lint_with(&broken(), &["--format", "sarif", "--lang", lang, "--ignore", "DOK.06"]);
        let sarif: Value = serde_json::from_str(&run.stdout).unwrap();
        let errors: Vec<String> =
            schema.iter_errors(&sarif).map(|e| format!("{} at {}", e, e.instance_path())).collect();
        assert!(errors.is_empty(), "{lang}: {errors:#?}");
        // The schema has teeth: a relative informationUri or an unknown level is refused.
        let mut bad = sarif.clone();
        bad["runs"][0]["tool"]["driver"]["informationUri"] = Value::from("konform");
        assert!(!schema.is_valid(&bad));
        let mut bad = sarif.clone();
        bad["runs"][0]["results"][0]["level"] = Value::from("skall");
        assert!(!schema.is_valid(&bad));
        let run0 = &sarif["runs"][0];
        let info = run0["tool"]["driver"]["informationUri"].as_str().unwrap();
        assert!(info.starts_with("https://") && !info.ends_with("github.com/"), "{info}");
        let rules = run0["tool"]["driver"]["rules"].as_array().unwrap();
        assert!(rules.iter().all(|r| r["id"] != "DOK.06"), "an ignored rule is not listed");
        for r in rules {
            let help = r["helpUri"].as_str().unwrap();
            let (page, anchor) = help.split_once('#').unwrap();
            assert!(page.ends_with("/docs/api-profile.md"), "{help}");
            assert!(
                docs.contains(&format!("<a id=\"{anchor}\"></a>")),
                "docs/api-profile.md lacks the anchor {anchor}"
            );
        }
        let ver06 = rules.iter().find(|r| r["id"] == "VER.06").unwrap();
        let (want, other) = if lang == "sv" {
            ("API:et SKALL ha resursen /api-info i roten.", "The API MUST")
        } else {
            ("The API MUST have the resource /api-info at its root.", "SKALL")
        };
        assert_eq!(ver06["fullDescription"]["text"], want);
        assert!(!ver06["shortDescription"]["text"].as_str().unwrap().contains(other), "{ver06}");
        let result = run0["results"].as_array().unwrap().iter().find(|r| r["ruleId"] == "VER.06").unwrap();
        assert_eq!(result["level"], "error");
        let artifact = &result["locations"][0]["physicalLocation"]["artifactLocation"];
        assert_eq!((artifact["uri"].as_str(), artifact["uriBaseId"].as_str()), (Some("api.yaml"), Some("SRCROOT")));
        let base = run0["originalUriBaseIds"]["SRCROOT"]["uri"].as_str().unwrap();
        assert!(base.starts_with("file:///") && base.ends_with('/'), "{base}");
        assert_eq!(result["locations"][0]["physicalLocation"]["region"]["startLine"], 17);
    }
}

#[test]
fn a_file_outside_the_working_directory_is_an_absolute_file_uri_in_sarif() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("my api.yaml");
    std::fs::write(&path, broken()).unwrap();
    let elsewhere = tempfile::tempdir().unwrap();
    let run: Run = konform()
        .current_dir(elsewhere.path())
        .arg("lint")
        .arg(&path)
        .args(["--format", "sarif"])
        .output()
        .unwrap()
        .into();
    let sarif: Value = serde_json::from_str(&run.stdout).unwrap();
    assert!(sarif_schema().is_valid(&sarif));
    let uri =
        sarif["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"].as_str().unwrap();
    assert!(uri.starts_with("file:///") && uri.ends_with("/my%20api.yaml"), "{uri}");
}

#[test]
fn fail_severity_decides_the_exit_code() {
    let bor_only = clean().replacen("openapi: 3.1.0", "openapi: 3.0.3", 1);
    for (doc, severity, code) in [
        (&bor_only, None, 0),
        (&bor_only, Some("error"), 0),
        (&bor_only, Some("warning"), 1),
        (&broken(), Some("none"), 0),
        (&broken(), None, 1),
    ] {
        let mut args = vec!["--format", "json"];
        args.extend(severity.iter().flat_map(|s| ["--fail-severity", *s]));
        let (run, _d) = lint_with(doc, &args);
        assert_eq!(run.code, code, "{severity:?}: {}", run.stderr);
    }
}

#[test]
fn rules_are_ignored_by_flag_and_by_the_settings_file() {
    let rules = |run: &Run| -> Vec<String> {
        let report: Value = serde_json::from_str(&run.stdout).unwrap_or_else(|e| panic!("{e}: {}", run.stderr));
        report["findings"].as_array().unwrap().iter().map(|f| f["rule"].as_str().unwrap().to_string()).collect()
    };
    let (run, _d) = lint_with(&broken(), &["--format", "json"]);
    assert!(rules(&run).contains(&"VER.06".to_string()) && rules(&run).contains(&"DOK.17".to_string()));

    let (run, _d) = lint_with(&broken(), &["--format", "json", "--ignore", "VER.06", "--ignore", "dok.17"]);
    assert!(!rules(&run).iter().any(|r| r == "VER.06" || r == "DOK.17"), "{:?}", rules(&run));

    // konform-lint.toml in the working directory is read by itself; --config names another.
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("api.yaml"), broken()).unwrap();
    std::fs::write(
        dir.path().join("konform-lint.toml"),
        "ignore = [\"VER.06\"]\nfail_severity = \"none\"\ncolour = 1\n",
    )
    .unwrap();
    let run: Run =
        konform().current_dir(dir.path()).args(["lint", "api.yaml", "--format", "json"]).output().unwrap().into();
    assert_eq!(run.code, 0, "fail_severity = none: {}", run.stderr);
    assert!(!rules(&run).contains(&"VER.06".to_string()));
    assert!(run.stderr.contains("konform-lint.toml: unknown key `colour` is ignored"), "{}", run.stderr);
    let run: Run = konform()
        .current_dir(dir.path())
        .args(["lint", "api.yaml", "--format", "human", "--fail-severity", "error", "--ignore", "DOK.17"])
        .output()
        .unwrap()
        .into();
    assert_eq!(run.code, 1, "the flag wins over the file");
    assert!(run.stdout.contains("not checked (ignored): DOK.17, VER.06"), "{}", run.stdout);
    std::fs::write(dir.path().join("other.toml"), "ignore = [\"VER.6\"]\n").unwrap();
    let run: Run =
        konform().current_dir(dir.path()).args(["lint", "api.yaml", "--config", "other.toml"]).output().unwrap().into();
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("other.toml: unknown rule `VER.6` to ignore"), "{}", run.stderr);

    let (run, _d) = lint_with(&broken(), &["--ignore", "NOPE.01"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("unknown rule `NOPE.01`") && run.stderr.contains("--list-rules"), "{}", run.stderr);
}

#[test]
fn output_goes_to_the_file_named_by_o() {
    let (run, dir) = lint_with(&broken(), &["--format", "sarif", "-o", "lint.sarif"]);
    assert_eq!(run.code, 1);
    assert!(run.stdout.is_empty(), "{}", run.stdout);
    let written: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.path().join("lint.sarif")).unwrap()).unwrap();
    assert_eq!(written["version"], "2.1.0");
    let (run, dir) = lint_with(&broken(), &["-o", "out/lint.txt"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("out/lint.txt") && run.stderr.contains("does not exist"), "{}", run.stderr);
    assert!(!dir.path().join("out").exists());
}

#[test]
fn output_formats() {
    let broken = clean().replacen("  /api-info:", "  /about:", 1);
    let (run, _d) = lint_text(&broken, "human");
    assert_eq!(run.code, 1);
    assert!(run.stdout.contains("VER.06 MUST (1) The API MUST have"), "{}", run.stdout);
    assert!(run.stdout.contains("  17:3  there is no /api-info resource"), "{}", run.stdout);
    assert!(run.stdout.contains("api.yaml: 1 finding (1 MUST, 0 SHOULD) of 1 rule"), "{}", run.stdout);

    let (run, _d) = lint_text(&broken, "junit");
    let suites = junit_parser::from_reader(std::io::Cursor::new(run.stdout.as_bytes())).unwrap();
    let failed: Vec<&str> =
        suites.suites[0].cases.iter().filter(|c| c.status.is_failure()).map(|c| c.original_name.as_str()).collect();
    assert_eq!(failed.len(), 1);
    assert!(failed[0].starts_with("VER.06 (MUST)"), "{failed:?}");
}

#[test]
fn a_clean_document_says_so_in_both_languages() {
    let (run, _d) = lint_with(&clean(), &[]);
    assert_eq!((run.code, run.stdout.as_str()), (0, "api.yaml: no finding; every rule checked is followed\n"));
    let (run, _d) = lint_with(&clean(), &["--lang", "sv"]);
    assert_eq!(run.stdout, "api.yaml: inga avvikelser; varje kontrollerad regel följs\n");
}

#[test]
fn the_catalogue_follows_the_profile_it_enforces() {
    for entry in
        ["case-intake/1.0.0", "case-intake/1.1.0", "building-permit/1.0.0", "messaging/1.0.0", "data-export/1.0.0"]
    {
        let path = project_root().join("conformance-suites").join(entry).join("openapi.yaml");
        let run: Run = konform().arg("lint").arg(&path).args(["--format", "json"]).output().unwrap().into();
        let report: Value = serde_json::from_str(&run.stdout).unwrap();
        let skall: Vec<&Value> =
            report["findings"].as_array().unwrap().iter().filter(|f| f["level"] == "skall").collect();
        assert!(skall.is_empty(), "{entry} breaks SKALL rules: {skall:#?}");
        assert_eq!(run.code, 0);
    }
}

#[test]
fn a_hostile_date_time_example_is_a_finding_not_a_crash() {
    // A multibyte character where the seconds end once made the checker slice mid-character.
    let doc = clean().replacen(
        "example: \"2026-11-01T10:00:00Z\" }\n    Problem:",
        "example: \"2026-11-01T10:00:0éZ\" }\n    Problem:",
        1,
    );
    let (code, findings) = rules_broken(&doc);
    assert_eq!(code, 1);
    assert!(findings.iter().any(|f| f.0 == "DOT.02"), "{findings:?}");
}

/// The coverage table of docs/api-profile.md, as (id, level, coverage, why) rows.
fn coverage_table(docs: &str) -> Vec<[String; 4]> {
    let start = docs.find("## Every rule and how konform covers it").expect("the coverage section");
    let section = &docs[start..];
    let section = &section[..section[3..].find("\n## ").map_or(section.len(), |i| i + 3)];
    section
        .lines()
        .filter(|l| l.starts_with("| ") && !l.starts_with("| rule ") && !l.starts_with("| ---"))
        .map(|l| {
            let cells: Vec<String> = l.trim_matches('|').split(" | ").map(|c| c.trim().to_string()).collect();
            assert_eq!(cells.len(), 5, "a row of five cells: {l}");
            [cells[0].clone(), cells[1].clone(), cells[3].clone(), cells[4].clone()]
        })
        .collect()
}

/// The live rules of the catalogue's profile, as (id, level) from profile.yaml.
fn live_rules() -> Vec<(String, String)> {
    let path = project_root().join("conformance-suites/api-profile/1.0.0/profile.yaml");
    let profile = konform::source::yaml_to_value(&std::fs::read_to_string(path).unwrap()).unwrap();
    let level = |l: &str| if l == "must" { "SKALL" } else { "BÖR" }.to_string();
    profile["rules"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| (r["id"].as_str().unwrap().to_string(), level(r["level"].as_str().unwrap())))
        .collect()
}

#[test]
fn the_coverage_table_in_the_docs_matches_the_lint_rules_and_the_live_profile() {
    let docs = std::fs::read_to_string(project_root().join("docs/api-profile.md")).unwrap();
    let table = coverage_table(&docs);
    let lint: Vec<(String, String)> = konform::lint::rule_table()
        .into_iter()
        .map(|(id, level, _)| (id.to_string(), level.label().to_string()))
        .collect();
    let live = live_rules();
    assert!(!lint.is_empty() && !live.is_empty());
    let mut seen = std::collections::BTreeSet::new();
    for [id, level, coverage, why] in &table {
        assert!(seen.insert(id.clone()), "{id} has two rows");
        let kinds: Vec<&str> = coverage.split(", ").collect();
        let in_lint = lint.iter().find(|(i, _)| i == id);
        let in_live = live.iter().find(|(i, _)| i == id);
        assert_eq!(kinds.contains(&"static"), in_lint.is_some(), "{id}: `{coverage}` vs the lint rules");
        assert_eq!(kinds.contains(&"live"), in_live.is_some(), "{id}: `{coverage}` vs profile.yaml");
        for (_, l) in in_lint.into_iter().chain(in_live) {
            assert_eq!(l, level, "{id}: the docs say {level}, the code {l}");
        }
        if in_lint.is_none() && in_live.is_none() {
            assert!(
                ["attestation", "not yet", "not classified"].contains(&coverage.as_str()),
                "{id}: unknown coverage `{coverage}`"
            );
            // A level is DIGG's or none: a rule whose text is not at hand has no level here.
            assert_eq!(level == "—", coverage == "not classified", "{id}: level `{level}`, coverage `{coverage}`");
            assert!(why.len() > 20, "{id}: say why a machine does not check it");
        } else {
            assert!(kinds.iter().all(|k| ["static", "live"].contains(k)), "{id}: unknown coverage `{coverage}`");
        }
    }
    for (id, _) in lint.iter().chain(&live) {
        assert!(seen.contains(id), "{id} is checked but has no row in the coverage table");
    }
    let count = |f: &dyn Fn(&str) -> bool| table.iter().filter(|r| f(&r[2])).count();
    let line = format!(
        "Coverage: konform static {}, live {} ({} of them live only), attestation-only {}, not yet {}, not classified {}, of {} rules listed.",
        count(&|c| c.contains("static")),
        count(&|c| c.contains("live")),
        count(&|c| c == "live"),
        count(&|c| c == "attestation"),
        count(&|c| c == "not yet"),
        count(&|c| c == "not classified"),
        table.len()
    );
    assert!(docs.contains(&line), "docs/api-profile.md should say: {line}");
}

#[test]
fn dok_21_security_is_declared_for_the_api_or_for_each_operation() {
    let base = clean();
    let without = base.replacen("security:\n  - oauth: [loans]\n", "", 1);
    assert_ne!(without, base, "the fixture declares security for the whole API");
    let (code, findings) = rules_broken(&without);
    assert_eq!(code, 1, "DOK.21 is SKALL: {findings:?}");
    let lines: Vec<Option<u64>> = findings.iter().filter(|f| f.0 == "DOK.21").map(|f| f.2).collect();
    assert_eq!(lines, [Some(18), Some(33), Some(50), Some(73)], "each operation, at its line: {findings:?}");
    // Each operation saying its own (an open one with `security: []`) is enough.
    let each = without
        .replacen("      operationId: getApiInfo\n", "      operationId: getApiInfo\n      security: []\n", 1)
        .replace(
            "      operationId: listLoans\n",
            "      operationId: listLoans\n      security: [{ oauth: [loans] }]\n",
        )
        .replace(
            "      operationId: createLoan\n",
            "      operationId: createLoan\n      security: [{ oauth: [loans] }]\n",
        )
        .replace(
            "      operationId: getReturnDate\n",
            "      operationId: getReturnDate\n      security: [{ oauth: [loans] }]\n",
        );
    let (_, findings) = rules_broken(&each);
    assert!(findings.iter().all(|f| f.0 != "DOK.21"), "{findings:?}");
}

#[test]
fn traceparent_is_taken_by_each_operation_and_x_request_id_only_beside_it() {
    let base = clean();
    let path_level = "  /loans:\n    parameters: [{ $ref: \"#/components/parameters/Traceparent\" }]\n";
    // The operation's own parameter counts as well as its path's, in any letter case.
    let own = base.replacen(path_level, "  /loans:\n", 1).replacen(
        "        - { name: page,",
        "        - { name: TraceParent, in: header, schema: { type: string } }\n        - { name: page,",
        1,
    );
    let (_, findings) = rules_broken(&own);
    let spa02: Vec<&str> = findings.iter().filter(|f| f.0 == "SPA.02").map(|f| f.3.as_str()).collect();
    assert_eq!(spa02, ["/paths/~1loans/post"], "only POST /loans lost it: {findings:?}");
    // SPA.07 looks at each direction: a response with X-Request-ID and no traceparent breaks it
    // though the request takes traceparent.
    let response = base.replacen(
        "          headers: { traceparent: { $ref: \"#/components/headers/Traceparent\" } }\n          content:\n            application/json:\n              schema: { $ref: \"#/components/schemas/ApiInfo\" }",
        "          headers: { X-Request-ID: { schema: { type: string } } }\n          content:\n            application/json:\n              schema: { $ref: \"#/components/schemas/ApiInfo\" }",
        1,
    );
    assert_ne!(response, base);
    let (code, findings) = rules_broken(&response);
    let spa07: Vec<&str> = findings.iter().filter(|f| f.0 == "SPA.07").map(|f| f.3.as_str()).collect();
    assert_eq!((code, spa07), (1, vec!["/paths/~1api-info/get"]), "{findings:?}");
}

#[test]
fn maturity_levels_two_and_three() {
    // Level 1: every operation a POST, each action tunnelled through it.
    let doc = "openapi: 3.1.0\ninfo: { title: t, version: '1' }\npaths:\n  /search:\n    post:\n      responses: { '200': { description: ok } }\n  /update:\n    post:\n      responses: { '200': { description: ok } }\n";
    let (code, findings) = rules_broken(doc);
    let mog01: Vec<_> = findings.iter().filter(|f| f.0 == "MOG.01").collect();
    assert_eq!(mog01.len(), 1, "one finding for the API: {findings:?}");
    assert_eq!((mog01[0].1.as_str(), mog01[0].3.as_str(), code), ("skall", "/paths", 1));
    // One POST among other methods is level 2.
    let mixed = doc.replacen("  /update:\n    post:", "  /update:\n    put:", 1);
    let (_, findings) = rules_broken(&mixed);
    assert!(findings.iter().all(|f| f.0 != "MOG.01"), "{findings:?}");
    // Level 3 shown by a `_links` property instead of OpenAPI links.
    let base = clean();
    let unlinked = base.replacen(
        "          links: { returnDate: { operationId: getReturnDate, parameters: { loanId: \"$response.body#/loanId\" } } }\n",
        "",
        1,
    );
    let hal = unlinked.replacen(
        "        loanId: { type: string }\n",
        "        loanId: { type: string }\n        _links: { type: object }\n",
        1,
    );
    assert_ne!(hal, unlinked);
    let (_, findings) = rules_broken(&hal);
    assert!(findings.iter().all(|f| f.0 != "MOG.02"), "{findings:?}");
}

#[test]
fn an_example_that_is_no_date_time_is_dot_02_and_not_also_dot_04() {
    let doc = clean().replacen(
        "example: \"2026-11-01T10:00:00Z\" }\n    Problem:",
        "example: \"1 November 2026\" }\n    Problem:",
        1,
    );
    let (code, findings) = rules_broken(&doc);
    let rules: Vec<&str> = findings.iter().map(|f| f.0.as_str()).collect();
    assert_eq!((code, rules), (1, vec!["DOT.02"]), "{findings:?}");
}
