//! Procurement exports (docs/procurement.md): a specification's requirements as CSV and
//! xlsx for a tender's annex, and the reconciliation sheet of a run and of a lint.

mod common;

use std::path::Path;

use common::{demo_report, konform, project_root, Run};

const HEADER: [&str; 10] = [
    "Specifikation / Specification",
    "Version / Version",
    "Krav-id / Requirement id",
    "Nivå (sv)",
    "Level (en)",
    "Rubrik (sv)",
    "Title (en)",
    "Kravtext (sv)",
    "Requirement text (en)",
    "Verifiering / Verification",
];

/// A waiver of the should requirement the fault `allow-duplicates` breaks.
const SHOULD_WAIVER: &str = "waivers:
  - specification: case-intake
    version: 1.1.0
    requirement: CASE-011
    reason: Duplicates are merged by hand until the next release.
    reference: SUND-1240
    expires: 2027-06-30
";

fn run(args: &[&str]) -> Run {
    konform().current_dir(project_root()).args(args).output().unwrap().into()
}

/// The rows of a CSV (the csv crate reads past the byte order mark), the heading first.
fn rows_of(csv_text: &[u8], delimiter: u8) -> Vec<Vec<String>> {
    let mut reader = csv::ReaderBuilder::new().delimiter(delimiter).has_headers(false).from_reader(csv_text);
    reader.records().map(|r| r.unwrap().iter().map(str::to_string).collect()).collect()
}

/// What case-intake@1.1.0's requirements.yaml lists, read without konform: (id, level).
fn catalogue_requirements() -> Vec<(String, String)> {
    let path = project_root().join("conformance-suites/case-intake/1.1.0/requirements.yaml");
    let text = std::fs::read_to_string(path).unwrap();
    let mut out = Vec::new();
    let mut id = None;
    for line in text.lines() {
        let line = line.trim_start_matches(['-', ' ']);
        if let Some(v) = line.strip_prefix("id: ") {
            id = Some(v.trim().to_string());
        } else if let Some(v) = line.strip_prefix("level: ") {
            out.push((id.take().unwrap(), v.trim().to_string()));
        }
    }
    out
}

#[test]
fn requirements_csv_has_the_columns_and_one_row_per_requirement() {
    let out = konform()
        .current_dir(project_root())
        .args(["catalogue", "export-requirements", "case-intake@1.1.0"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(out.stdout.starts_with("\u{feff}".as_bytes()), "no byte order mark for Excel");
    assert!(out.stdout.windows(2).any(|w| w == b"\r\n"), "lines end in CRLF");
    let rows = rows_of(&out.stdout, b';');
    assert_eq!(rows[0], HEADER);
    let expected = catalogue_requirements();
    assert!(!expected.is_empty());
    assert_eq!(rows.len() - 1, expected.len(), "one row per requirement");
    for (row, (id, level)) in rows[1..].iter().zip(&expected) {
        assert_eq!((&row[0][..], &row[1][..], &row[2]), ("case-intake", "1.1.0", id));
        let levels = match level.as_str() {
            "must" => ("SKALL", "MUST"),
            "should" => ("BÖR", "SHOULD"),
            "may" => ("KAN", "MAY"),
            other => panic!("level {other}"),
        };
        assert_eq!((&row[3][..], &row[4][..]), levels, "{row:?}");
        for text in &row[5..9] {
            assert!(!text.is_empty(), "case-intake is written in both languages: {row:?}");
        }
        assert!(["automatiskt prov / automatic test", "intygande / attestation"].contains(&row[9].as_str()), "{row:?}");
    }
}

#[test]
fn the_delimiter_can_be_a_comma() {
    let out = konform()
        .current_dir(project_root())
        .args(["catalogue", "export-requirements", "case-intake@1.1.0", "--delimiter", "comma"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(rows_of(&out.stdout, b',')[0], HEADER);
}

fn xlsx_rows(path: &Path) -> Vec<Vec<String>> {
    use calamine::{Reader, Xlsx};
    let mut book: Xlsx<_> = calamine::open_workbook(path).unwrap();
    let sheets = book.sheet_names();
    assert_eq!(sheets.len(), 1, "{sheets:?}");
    let range = book.worksheet_range(&sheets[0]).unwrap();
    range.rows().map(|r| r.iter().map(|c| c.to_string()).collect()).collect()
}

#[test]
fn requirements_xlsx_has_the_same_rows_as_the_csv() {
    let dir = tempfile::tempdir().unwrap();
    let xlsx = dir.path().join("krav.xlsx");
    let made = run(&[
        "catalogue",
        "export-requirements",
        "case-intake@1.1.0",
        "--format",
        "xlsx",
        "-o",
        xlsx.to_str().unwrap(),
    ]);
    assert_eq!(made.code, 0, "{}", made.stderr);
    let csv = konform()
        .current_dir(project_root())
        .args(["catalogue", "export-requirements", "case-intake@1.1.0"])
        .output()
        .unwrap();
    let from_csv = rows_of(&csv.stdout, b';');
    assert!(from_csv.len() > 1);
    assert_eq!(xlsx_rows(&xlsx), from_csv);
}

#[test]
fn a_one_language_specification_leaves_the_other_languages_cells_empty() {
    let dir = common::minimal_catalogue();
    let version = dir.path().join("pets/1.0.0");
    let meta = version.join("spec.yaml");
    let text = std::fs::read_to_string(&meta).unwrap();
    std::fs::write(&meta, format!("{text}\nlanguages: [sv]\n")).unwrap();
    std::fs::write(
        version.join("requirements.yaml"),
        "requirements:\n  - id: PET-001\n    level: must\n    title: { sv: Skapa husdjur }\n    text: { sv: Ett husdjur SKALL kunna skapas. }\n  - id: PET-002\n    level: should\n    title: { sv: Hämta husdjur }\n    text: { sv: Ett husdjur BÖR kunna hämtas. }\n",
    )
    .unwrap();
    let out = konform()
        .current_dir(dir.path())
        .args(["catalogue", "export-requirements", "pets@1.0.0", "--catalogue", "."])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let rows = rows_of(&out.stdout, b';');
    assert_eq!(rows.len(), 3);
    assert_eq!(rows[1][5..9], ["Skapa husdjur", "", "Ett husdjur SKALL kunna skapas.", ""]);
    assert_eq!(rows[2][3..5], ["BÖR", "SHOULD"]);
}

#[test]
fn an_unknown_specification_and_xlsx_to_standard_output_are_refused() {
    let unknown = run(&["catalogue", "export-requirements", "no-such-spec"]);
    assert_eq!(unknown.code, 2, "{}", unknown.stderr);
    assert!(unknown.stderr.contains("no-such-spec"), "{}", unknown.stderr);
    let to_stdout = run(&["catalogue", "export-requirements", "case-intake", "--format", "xlsx"]);
    assert_eq!(to_stdout.code, 2);
    assert!(to_stdout.stderr.contains("-o PATH"), "{}", to_stdout.stderr);
    assert!(to_stdout.stdout.is_empty());
    let dash = run(&["catalogue", "export-requirements", "case-intake", "--format", "xlsx", "-o", "-"]);
    assert_eq!((dash.code, dash.stdout.is_empty()), (2, true), "{}", dash.stderr);
    for args in [
        &["report", "no-report.json", "--format", "reconciliation-xlsx"][..],
        &["report", "no-report.json", "--format", "reconciliation-xlsx", "-o", "-"],
    ] {
        let refused = run(args);
        assert_eq!(refused.code, 2);
        assert!(refused.stderr.contains("-o PATH"), "{}", refused.stderr);
    }
    let run_to_stdout = run(&["demo", "case-intake", "--report", "reconciliation-xlsx=-"]);
    assert_eq!(run_to_stdout.code, 2);
    assert!(run_to_stdout.stderr.contains("reconciliation-xlsx=-"), "{}", run_to_stdout.stderr);
    assert!(run_to_stdout.stdout.is_empty());
}

#[test]
fn the_reconciliation_sheet_of_a_faulty_run() {
    let dir = tempfile::tempdir().unwrap();
    let waivers = dir.path().join("w.yaml");
    std::fs::write(&waivers, SHOULD_WAIVER).unwrap();
    let faults = ["--fault", "missing-field", "--fault", "no-location-header", "--fault", "allow-duplicates"];
    let mut args = faults.to_vec();
    args.extend(["--now", "2027-01-15", "--waivers", waivers.to_str().unwrap()]);
    let from_run = dir.path().join("run.csv");
    let report_arg = format!("reconciliation-csv={}", from_run.display());
    args.extend(["--report", &report_arg]);
    let json = demo_report(dir.path(), &args, 1);
    let json = json.to_str().unwrap();
    let rendered = run(&["report", json, "--format", "reconciliation-csv"]);
    assert_eq!(std::fs::read_to_string(&from_run).unwrap(), rendered.stdout, "the run writes the same sheet");
    for lang in ["en", "sv"] {
        let out = run(&["report", json, "--format", "reconciliation-csv", "--lang", lang]);
        assert_eq!(out.code, 0, "{}", out.stderr);
        let rows = rows_of(out.stdout.as_bytes(), b';');
        let report: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(json).unwrap()).unwrap();
        let requirements = report["specifications"][0]["requirements"].as_array().unwrap();
        assert_eq!(rows.len() - 1, requirements.len());
        for (row, r) in rows[1..].iter().zip(requirements) {
            assert_eq!(row[2], r["id"].as_str().unwrap());
            assert_eq!(row[6], r["verdict"].as_str().unwrap());
        }
        let statuses: Vec<(&str, &str)> = rows[1..].iter().map(|r| (r[5].as_str(), r[6].as_str())).collect();
        for (status, verdict) in [("EJ OK", "fail"), ("OK", "waived"), ("OK", "pass")] {
            assert!(statuses.contains(&(status, verdict)), "{statuses:?}");
        }
        let text = out.stdout.strip_prefix('\u{feff}').unwrap().replace("\r\n", "\n");
        insta::assert_snapshot!(format!("reconciliation_faulty_run_{lang}"), text);
    }
    let xlsx = dir.path().join("r.xlsx");
    let made = run(&["report", json, "--format", "reconciliation-xlsx", "-o", xlsx.to_str().unwrap()]);
    assert_eq!(made.code, 0, "{}", made.stderr);
    let csv = run(&["report", json, "--format", "reconciliation-csv"]);
    assert_eq!(xlsx_rows(&xlsx), rows_of(csv.stdout.as_bytes(), b';'));
}

#[test]
fn the_reconciliation_sheet_of_a_lint() {
    let dir = tempfile::tempdir().unwrap();
    let doc = dir.path().join("api.yaml");
    let clean = std::fs::read_to_string(project_root().join("fixtures/lint/clean.yaml")).unwrap();
    let broken = clean.replacen("  license: { name: EUPL-1.2 }\n", "", 1).replacen(
        "https://api.example.org/library-loans/v1",
        "https://api.example.org/",
        1,
    );
    assert_ne!(broken, clean);
    std::fs::write(&doc, broken).unwrap();
    let out: Run = konform()
        .current_dir(dir.path())
        .args(["lint", "api.yaml", "--format", "reconciliation-csv", "--ignore", "DOK.06", "--lang", "sv"])
        .output()
        .unwrap()
        .into();
    assert_eq!(out.code, 1, "a SKALL rule is broken: {}", out.stderr);
    let rows = rows_of(out.stdout.as_bytes(), b';');
    assert_eq!(rows[0], ["Dokument", "Regel", "Nivå", "Rubrik", "Status", "Resultat", "Bevis"]);
    let row = |id: &str| rows.iter().find(|r| r[1] == id).unwrap_or_else(|| panic!("no row for {id}"));
    assert_eq!(row("DOK.03")[2..].iter().skip(2).take(3).collect::<Vec<_>>(), ["EJ OK", "fail", "api.yaml:5"]);
    assert_eq!(row("DOK.03")[2], "SKALL");
    assert_eq!(row("UFN.01")[4..], ["EJ OK", "fail", "api.yaml:12"]);
    assert_eq!(row("DOK.06")[4..6], ["N/A", "ignored"]);
    assert_eq!(row("DOK.17")[4..], ["OK", "pass", ""]);
    let rules = run(&["lint", "--list-rules"]).stdout.lines().count();
    assert_eq!(rows.len() - 1, rules, "one row per rule of the profile");

    // The same sheet as a workbook, for a tender's annex: the same rows.
    let lint = |format: &str, extra: &[&str]| -> Run {
        konform()
            .current_dir(dir.path())
            .args(["lint", "api.yaml", "--format", format, "--ignore", "DOK.06", "--lang", "sv"])
            .args(extra)
            .output()
            .unwrap()
            .into()
    };
    let made = lint("reconciliation-xlsx", &["-o", "lint.xlsx"]);
    assert_eq!(made.code, 1, "written, and a SKALL rule is broken: {}", made.stderr);
    assert_eq!(xlsx_rows(&dir.path().join("lint.xlsx")), rows);
    // A workbook is no text for a terminal.
    for extra in [&[][..], &["-o", "-"]] {
        let refused = lint("reconciliation-xlsx", extra);
        assert_eq!(refused.code, 2, "{}", refused.stderr);
        assert!(refused.stderr.contains("-o PATH") && refused.stdout.is_empty(), "{}", refused.stderr);
    }
}

#[test]
fn a_run_writes_its_reconciliation_csv_with_the_separator_asked_for() {
    let dir = tempfile::tempdir().unwrap();
    let comma = dir.path().join("comma.csv");
    let arg = format!("reconciliation-csv={}", comma.display());
    let json = demo_report(dir.path(), &["--report", &arg, "--delimiter", "comma"], 0);
    let written = std::fs::read(&comma).unwrap();
    let rendered = run(&["report", json.to_str().unwrap(), "--format", "reconciliation-csv", "--delimiter", "comma"]);
    assert_eq!(String::from_utf8(written.clone()).unwrap(), rendered.stdout, "the run writes what `report` renders");
    let rows = rows_of(&written, b',');
    assert!(rows.len() > 1 && rows.iter().all(|r| r.len() == rows[0].len() && r.len() > 3), "{rows:?}");
}
