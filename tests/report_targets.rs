//! Reports go where they are told without replacing what is there: a symlink is written
//! through (the link stays), a FIFO is written to (its reader gets the report), `-` is
//! standard output (the summary then goes to stderr), and a regular file is replaced
//! atomically. Nothing here touches the real /dev: the special files live in a temp dir.

mod common;

use std::io::Read;

use common::{konform, project_root, server, Run};

fn run_with_reports(reports: &[String]) -> Run {
    let thing = server::good_thing();
    let mut cmd = konform();
    cmd.args(["run", "thing", "--catalogue"]).arg(project_root().join("fixtures/catalogues/hostile")).args([
        "--base-url",
        &thing.url(),
        "--jobs",
        "1",
    ]);
    for r in reports {
        cmd.args(["--report", r]);
    }
    cmd.output().unwrap().into()
}

#[test]
fn a_symlinked_report_is_written_through_and_the_link_stays() {
    let dir = tempfile::tempdir().unwrap();
    let real = dir.path().join("published/report.json");
    std::fs::create_dir(dir.path().join("published")).unwrap();
    std::fs::write(&real, "old").unwrap();
    let link = dir.path().join("latest.json");
    std::os::unix::fs::symlink(&real, &link).unwrap();
    let run = run_with_reports(&[format!("json={}", link.display())]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(std::fs::symlink_metadata(&link).unwrap().file_type().is_symlink(), "the link was replaced");
    let report: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&real).unwrap()).unwrap();
    assert_eq!(report["verdict"], "certified");
    assert_eq!(std::fs::read_dir(dir.path().join("published")).unwrap().count(), 1, "a temporary file was left");
}

#[test]
fn a_fifo_gets_the_report_and_stays_a_fifo() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("junit.pipe");
    assert!(std::process::Command::new("mkfifo").arg(&fifo).status().unwrap().success());
    let reader = {
        let fifo = fifo.clone();
        std::thread::spawn(move || {
            let mut text = String::new();
            std::fs::File::open(&fifo).unwrap().read_to_string(&mut text).unwrap();
            text
        })
    };
    let run = run_with_reports(&[format!("junit={}", fifo.display())]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let read = reader.join().unwrap();
    assert!(read.starts_with("<?xml") && read.contains("<testsuites"), "{read}");
    let kind = std::fs::symlink_metadata(&fifo).unwrap().file_type();
    assert!(std::os::unix::fs::FileTypeExt::is_fifo(&kind), "the FIFO was replaced by {kind:?}");
}

#[test]
fn a_report_to_standard_output_is_all_that_is_there() {
    let run = run_with_reports(&["json=-".into()]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let report: serde_json::Value = serde_json::from_str(&run.stdout).expect("stdout is the JSON report alone");
    assert_eq!(report["verdict"], "certified");
    assert!(run.stderr.contains("CERTIFIED"), "the summary moves to stderr: {}", run.stderr);
}

#[test]
fn a_folder_is_no_report_path_and_nothing_is_sent() {
    let dir = tempfile::tempdir().unwrap();
    let thing = server::good_thing();
    let run: Run = konform()
        .args(["run", "thing", "--catalogue"])
        .arg(project_root().join("fixtures/catalogues/hostile"))
        .args(["--base-url", &thing.url(), "--report", &format!("json={}", dir.path().display())])
        .output()
        .unwrap()
        .into();
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert_eq!(thing.request_count(), 0);
    assert!(run.stderr.contains(&format!("{} is not a file path", dir.path().display())), "{}", run.stderr);
    assert!(dir.path().is_dir());
}
