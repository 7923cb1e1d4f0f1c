//! What a person sees in a terminal: tables fitted to a real 80-column terminal (a
//! pseudo-terminal, not `COLUMNS`), colour forced into a pipe, `-q` and `-v`, names that
//! tell two versions of a specification apart, plurals, each finding said once, and the
//! mistakes in a command line found before anything is sent.

mod common;

use std::io::Read;
use std::net::TcpListener;
use std::os::fd::{FromRawFd, OwnedFd};
use std::process::Stdio;

use common::{konform, project_root, Run};

fn demo(args: &[&str]) -> Run {
    konform().current_dir(project_root()).arg("demo").args(args).output().unwrap().into()
}

/// ANSI escape sequences and carriage returns taken out, as a person reads the text.
fn plain(text: &str) -> String {
    let mut out = String::new();
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\u{1b}' => {
                // CSI: ESC [ parameters final-byte.
                if chars.peek() == Some(&'[') {
                    chars.next();
                    for c in chars.by_ref() {
                        if ('@'..='~').contains(&c) {
                            break;
                        }
                    }
                }
            }
            '\r' => {}
            c => out.push(c),
        }
    }
    out
}

/// Runs konform on a new pseudo-terminal of `columns` × 40 (standard output and error
/// both on it, `COLUMNS` unset) and returns all it wrote.
fn on_terminal(columns: u16, args: &[&str]) -> (i32, String) {
    let mut leader: libc::c_int = -1;
    let mut follower: libc::c_int = -1;
    let size = libc::winsize { ws_row: 40, ws_col: columns, ws_xpixel: 0, ws_ypixel: 0 };
    // SAFETY: openpty writes two descriptors into the integers given; no name buffer or
    // termios is passed, and the window size is read only.
    let made = unsafe { libc::openpty(&mut leader, &mut follower, std::ptr::null_mut(), std::ptr::null(), &size) };
    assert_eq!(made, 0, "openpty: {}", std::io::Error::last_os_error());
    // SAFETY: both descriptors were just opened by openpty and are owned only here.
    let (leader, follower) = unsafe { (OwnedFd::from_raw_fd(leader), OwnedFd::from_raw_fd(follower)) };
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("konform"))
        .current_dir(project_root())
        .env_remove("COLUMNS")
        .env_remove("NO_COLOR")
        .env_remove("CLICOLOR_FORCE")
        .env_remove("KONFORM_CATALOGUE")
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::from(follower.try_clone().unwrap()))
        .stderr(Stdio::from(follower))
        .spawn()
        .unwrap();
    // Read until the child's side is closed (EIO on Linux once the last follower is gone).
    let mut reader = std::fs::File::from(leader);
    let mut bytes = Vec::new();
    let mut buffer = [0u8; 8192];
    loop {
        match reader.read(&mut buffer) {
            Ok(0) => break,
            Ok(n) => bytes.extend_from_slice(&buffer[..n]),
            Err(e) if e.raw_os_error() == Some(libc::EIO) => break,
            Err(e) => panic!("reading the terminal: {e}"),
        }
    }
    let code = child.wait().unwrap().code().unwrap_or(-1);
    (code, String::from_utf8_lossy(&bytes).into_owned())
}

#[test]
fn tables_fit_a_real_80_column_terminal() {
    let (code, text) = on_terminal(80, &["demo", "--fault", "missing-field"]);
    assert_eq!(code, 1, "{text}");
    let text = plain(&text);
    let table: Vec<&str> = text.lines().filter(|l| l.starts_with(['┌', '│', '╞', '├', '└'])).collect();
    assert!(table.len() > 60, "the requirement tables are shown:\n{text}");
    for line in &table {
        assert!(line.chars().count() <= 80, "wider than the terminal ({}): {line}", line.chars().count());
    }
    // The tables use the width they have: the widest is the terminal's.
    assert_eq!(table.iter().map(|l| l.chars().count()).max(), Some(80), "{text}");
    // On a terminal, colour is on without being asked for.
    let (_, coloured) = on_terminal(80, &["demo", "case-intake@1.1.0", "--fault", "missing-field"]);
    assert!(coloured.contains("\u{1b}["), "{coloured}");
}

#[test]
fn colour_always_reaches_a_pipe_and_clicolor_force_too() {
    let coloured = demo(&["case-intake@1.1.0", "--fault", "missing-field", "--color", "always"]);
    assert_eq!(coloured.code, 1, "{}", coloured.stderr);
    // The verdict cells, the failure and the run's verdict are coloured (red for a failure).
    let red = "\u{1b}[1m\u{1b}[31m";
    let fail_cell = coloured.stdout.lines().find(|l| l.contains("CASE-005")).unwrap();
    assert!(fail_cell.contains("\u{1b}["), "{fail_cell}");
    let failure = coloured.stdout.lines().find(|l| plain(l).starts_with("FAIL case-intake@1.1.0/")).unwrap();
    assert!(failure.starts_with(red), "{failure:?}");
    let run = coloured.stdout.lines().find(|l| l.starts_with("Run: ")).unwrap();
    assert!(run.contains(&format!("{red}NOT CERTIFIED")), "{run:?}");
    // The progress lines on standard error too.
    assert!(coloured.stderr.contains("\u{1b}[32mPASS"), "{}", coloured.stderr);

    let forced: Run = konform()
        .current_dir(project_root())
        .env("CLICOLOR_FORCE", "1")
        .args(["demo", "case-intake@1.1.0", "--fault", "missing-field"])
        .output()
        .unwrap()
        .into();
    assert!(forced.stdout.contains(red), "CLICOLOR_FORCE colours a pipe:\n{}", forced.stdout);
    // NO_COLOR is set by the helper: a pipe without a flag has no colour.
    let plain_run = demo(&["case-intake@1.1.0", "--fault", "missing-field"]);
    assert!(!plain_run.stdout.contains('\u{1b}') && !plain_run.stderr.contains('\u{1b}'));
}

#[test]
fn quiet_shows_failures_and_verdicts_and_verbose_every_step() {
    let normal = demo(&["case-intake@1.1.0", "--fault", "missing-field"]);
    let quiet = demo(&["case-intake@1.1.0", "--fault", "missing-field", "-q"]);
    assert_eq!((normal.code, quiet.code), (1, 1), "{}", quiet.stderr);
    // No progress lines, no table: one line for the specification, the failure, the verdict.
    assert!(!quiet.stderr.contains("PASS ") && !quiet.stdout.contains('│'), "{}\n{}", quiet.stdout, quiet.stderr);
    assert!(
        quiet.stdout.contains("case-intake 1.1.0 — Case intake: NOT CERTIFIED — 22 passed, 1 failed"),
        "{}",
        quiet.stdout
    );
    assert!(quiet.stdout.contains("FAIL case-intake@1.1.0/read-status/read the status"), "{}", quiet.stdout);
    assert!(quiet.stdout.contains("Run: NOT CERTIFIED"), "{}", quiet.stdout);
    let lines = |r: &Run| r.stdout.lines().count() + r.stderr.lines().count();
    assert!(lines(&quiet) * 3 < lines(&normal), "quiet {} lines, normal {}", lines(&quiet), lines(&normal));

    let verbose = demo(&["case-intake@1.1.0", "--scenario", "read-status", "-v"]);
    assert_eq!(verbose.code, 1, "a filtered run is partial: never certified\n{}", verbose.stderr);
    let progress = plain(&verbose.stderr);
    for line in [
        "PASS     case-intake@1.1.0/read-status (3 steps,",
        "  PASS     submitCase [setup] (POST 201,",
        "  PASS     read the status (GET 200,",
        "  PASS     withdrawCase [cleanup] (POST 200,",
    ] {
        assert!(progress.lines().any(|l| l.starts_with(line)), "{line:?} missing from:\n{progress}");
    }
    let both = demo(&["case-intake@1.1.0", "-q", "-v"]);
    assert_eq!(both.code, 2, "{}", both.stderr);
}

#[test]
fn names_carry_the_version_counts_their_plural_and_findings_are_said_once() {
    let r = demo(&["case-intake@1.0.0", "case-intake@1.1.0", "--fault", "missing-field"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    for version in ["1.0.0", "1.1.0"] {
        let progress = format!("FAIL     case-intake@{version}/read-status (3 steps,");
        assert!(r.stderr.contains(&progress), "{progress:?} missing from:\n{}", r.stderr);
        let failure = format!("FAIL case-intake@{version}/read-status/read the status");
        assert!(r.stdout.contains(&failure), "{failure:?} missing from:\n{}", r.stdout);
    }
    assert!(r.stderr.contains("/unknown-case (1 step,"), "{}", r.stderr);
    assert!(!r.stderr.contains(" 1 steps") && !r.stdout.contains(" 1 steps"));

    // A body that is not JSON: the expectation says once that there is no value, and why.
    let r = demo(&["case-intake@1.1.0", "--fault", "invalid-json", "--fault", "wrong-content-type"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    let line = r.stdout.lines().find(|l| l.trim_start().starts_with("body $.status:")).unwrap();
    assert_eq!(
        line.trim_start(),
        "body $.status: expected equals \"WITHDRAWN\", but there is no value (the body is not valid JSON: \
         EOF while parsing a string at line 1 column 104)"
    );
    assert!(!r.stdout.contains("body $.caseId: body $.caseId") && !r.stdout.contains("no value; no value"));
    // The profile rule saw two requests answered alike: one line, counted.
    let fel02: Vec<&str> = r.stdout.lines().filter(|l| l.trim_start().starts_with("profile FEL.02:")).collect();
    assert_eq!(fel02.len(), 1, "{}", r.stdout);
    assert!(fel02[0].ends_with("answered 401 as text/plain (2×)"), "{}", fel02[0]);

    // In Swedish too.
    let r = demo(&["case-intake@1.1.0", "--fault", "invalid-json", "--lang", "sv"]);
    let line = r.stdout.lines().find(|l| l.trim_start().starts_with("body $.status:")).unwrap();
    assert!(line.contains("men det finns inget värde (") && !line.contains("kroppen $.status"), "{line}");
}

/// A listener that is never answered: whether anything connected to it tells whether a
/// request was sent.
fn silent_target() -> (TcpListener, String) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    listener.set_nonblocking(true).unwrap();
    let url = format!("http://{}/", listener.local_addr().unwrap());
    (listener, url)
}

fn nothing_connected(listener: &TcpListener) -> bool {
    matches!(listener.accept(), Err(e) if e.kind() == std::io::ErrorKind::WouldBlock)
}

#[test]
fn mistakes_in_the_command_line_are_found_before_anything_is_sent() {
    let dir = tempfile::tempdir().unwrap();
    let key = dir.path().join("k.key");
    let made = konform().current_dir(dir.path()).args(["keygen", "--private"]).arg(&key).output().unwrap();
    assert!(made.status.success(), "{}", String::from_utf8_lossy(&made.stderr));
    let run = |args: &[&str]| -> Run {
        konform()
            .current_dir(project_root())
            .env("KONFORM_BEARER_TOKEN", "t")
            .args(["run", "case-intake@1.1.0", "--no-preflight"])
            .args(args)
            .output()
            .unwrap()
            .into()
    };

    // A report into a folder that does not exist: exit 2, naming the file and the folder.
    let (listener, url) = silent_target();
    let lost = dir.path().join("no-such-folder/r.json");
    let r = run(&["--base-url", &url, "--report", &format!("json={}", lost.display())]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    let folder = dir.path().join("no-such-folder");
    assert!(r.stderr.contains(&format!("the folder {} does not exist", folder.display())), "{}", r.stderr);
    assert!(r.stderr.contains(&lost.display().to_string()), "{}", r.stderr);
    assert!(nothing_connected(&listener), "a request was sent");

    // A signing key and no JSON report to carry the signature.
    let r = run(&["--base-url", &url, "--sign-key", key.to_str().unwrap()]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains("--sign-key signs the JSON report"), "{}", r.stderr);
    let html = dir.path().join("r.html");
    let r = run(&[
        "--base-url",
        &url,
        "--sign-key",
        key.to_str().unwrap(),
        "--report",
        &format!("html={}", html.display()),
    ]);
    assert_eq!(r.code, 2, "only the JSON report carries a signature\n{}", r.stderr);
    assert!(nothing_connected(&listener), "a request was sent");
    assert!(!html.exists());

    // A base URL without its scheme: how to write it.
    for (given, hint) in [("127.0.0.1:9", "http://127.0.0.1:9"), ("localhost:8080", "http://localhost:8080")] {
        let r = run(&["--base-url", given]);
        assert_eq!(r.code, 2, "{}", r.stderr);
        assert!(r.stderr.contains(given) && r.stderr.contains(hint), "{given}: {}", r.stderr);
    }
}

#[test]
fn lint_colours_its_rules_by_level_in_a_pipe_when_asked_and_never_in_a_file() {
    let document = project_root().join("fixtures/lint/clean.yaml");
    let dir = tempfile::tempdir().unwrap();
    // A copy without the info description: one SKALL finding (DOK.03).
    let text = std::fs::read_to_string(&document).unwrap();
    let broken = dir.path().join("api.yaml");
    let without: String =
        text.lines().filter(|l| !l.trim_start().starts_with("description:")).collect::<Vec<_>>().join("\n");
    std::fs::write(&broken, without).unwrap();
    let lint = |args: &[&str]| -> Run { konform().arg("lint").arg(&broken).args(args).output().unwrap().into() };
    let coloured = lint(&["--color", "always"]);
    assert_eq!(coloured.code, 1, "{}", coloured.stderr);
    assert!(coloured.stdout.contains("\u{1b}[1m\u{1b}[31mDOK.03 MUST\u{1b}[0m ("), "{}", coloured.stdout);
    assert!(!lint(&[]).stdout.contains('\u{1b}'));
    let file = dir.path().join("lint.txt");
    let written = lint(&["--color", "always", "-o", file.to_str().unwrap()]);
    assert_eq!(written.code, 1, "{}", written.stderr);
    let text = std::fs::read_to_string(&file).unwrap();
    assert!(text.contains("DOK.03 MUST (") && !text.contains('\u{1b}'), "{text}");
}
