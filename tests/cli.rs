//! The command-line surface: help, completions, colour, catalogue browsing.

mod common;

use common::{check_in, edit, konform, minimal_catalogue, project_root, Run};

fn run(args: &[&str]) -> Run {
    konform().current_dir(project_root()).args(args).output().unwrap().into()
}

#[test]
fn help_lists_the_commands_and_exit_codes() {
    let r = run(&["--help"]);
    assert_eq!(r.code, 0);
    for word in ["check", "catalogue", "completions", "--color", "Exit codes"] {
        assert!(r.stdout.contains(word), "{word} missing from:\n{}", r.stdout);
    }
}

#[test]
fn completions_are_generated_from_clap() {
    let r = run(&["completions", "bash"]);
    assert_eq!(r.code, 0);
    assert!(
        r.stdout.contains("_konform()") && r.stdout.contains("catalogue"),
        "{}",
        &r.stdout[..200.min(r.stdout.len())]
    );
    // `--fault` completes the reference vendor's faults, with what each breaks for zsh.
    let bash = run(&["completions", "bash"]).stdout;
    let zsh = run(&["completions", "zsh"]).stdout;
    for fault in ["missing-field", "ignore-auth", "permit-null-description"] {
        assert!(bash.contains(fault), "{fault} not offered by bash");
        assert!(zsh.contains(&format!("{fault}\\:")), "{fault} not offered by zsh");
    }
    assert!(zsh.contains("(breaks CASE-005)"), "zsh shows what a fault breaks");
    // A misspelt fault is still named with a suggestion, exit 2.
    let r = run(&["demo", "--fault", "missing-feld"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("unknown fault `missing-feld` (did you mean `missing-field`?)"), "{}", r.stderr);

    let r = run(&["man"]);
    assert!(r.stdout.contains(".TH konform"), "{}", &r.stdout[..200.min(r.stdout.len())]);
    // `man --dir` writes a page for every command, each with its own options.
    let dir = tempfile::tempdir().unwrap();
    let pages = dir.path().join("man1");
    let r = run(&["man", "--dir", pages.to_str().unwrap()]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let mut written: Vec<String> =
        std::fs::read_dir(&pages).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    written.sort();
    for page in ["konform.1", "konform-run.1", "konform-demo.1", "konform-catalogue-list.1", "konform-register-add.1"] {
        assert!(written.iter().any(|w| w == page), "{page} missing from {written:?}");
    }
    assert!(r.stderr.contains(&format!("wrote {} man pages", written.len())), "{}", r.stderr);
    let page = |name: &str| std::fs::read_to_string(pages.join(name)).unwrap();
    assert!(page("konform-run.1").contains(".TH konform-run 1") && page("konform-run.1").contains("base\\-url"));
    assert!(page("konform-lint.1").contains("fail\\-severity"));
    assert!(page("konform.1").contains("konform\\-run(1)"), "the top page names the others");
}

#[test]
fn bad_flags_exit_2() {
    assert_eq!(run(&["check", "--format", "yaml"]).code, 2);
    assert_eq!(run(&["frobnicate"]).code, 2);
}

#[test]
fn colour_follows_the_flag_and_no_color() {
    let dir = minimal_catalogue();
    edit(&dir.path().join("pets/1.0.0/scenarios/main.yaml"), "operation: getPet", "operation: getpet");
    let coloured: Run =
        konform().current_dir(dir.path()).args(["--color", "always", "check", "."]).output().unwrap().into();
    assert!(coloured.stderr.contains("\u{1b}["), "expected ANSI colour:\n{}", coloured.stderr);
    // NO_COLOR is set by the helper; auto on a non-terminal is plain too.
    let plain = check_in(dir.path());
    assert!(!plain.stderr.contains("\u{1b}["), "unexpected colour:\n{}", plain.stderr);
    let never: Run = konform()
        .current_dir(dir.path())
        .env_remove("NO_COLOR")
        .args(["--color", "never", "check", "."])
        .output()
        .unwrap()
        .into();
    assert!(!never.stderr.contains("\u{1b}["));
}

#[test]
fn catalogue_list_as_json() {
    let r = run(&["catalogue", "list", "--format", "json"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    let spec = v["specifications"].as_array().unwrap().iter().find(|s| s["id"] == "case-intake").unwrap().clone();
    assert_eq!(spec["version"], "1.0.0");
    assert_eq!(spec["status"], "deprecated");
    assert_eq!(spec["lifecycle"]["sunset"], "2027-04-01");
    assert_eq!(spec["lifecycle"]["replaced_by"], "2.0.0");
    assert_eq!(spec["requirements"]["must"], 9);
    assert_eq!(spec["coverage_percent"], 100.0);
    let profile = &v["profiles"][0];
    assert_eq!(profile["id"], "api-profile");
    assert!(profile["used_by"].as_array().unwrap().iter().any(|u| u == "building-permit@1.0.0"));
}

#[test]
fn catalogue_list_at_a_date_shows_what_was_in_force_then() {
    let listed = |args: &[&str]| -> Vec<(String, String, String)> {
        let r = run(&[&["catalogue", "list", "--format", "json"], args].concat());
        assert_eq!(r.code, 0, "{}", r.stderr);
        let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
        v["specifications"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| {
                let text = |k: &str| s[k].as_str().unwrap().to_string();
                (text("id"), text("version"), text("status"))
            })
            .collect()
    };
    let pair = |id: &str, v: &str| (id.to_string(), v.to_string(), "active".to_string());
    // Published 2025-03-01 (case-intake 1.0.0) and 2025-09-01 (building-permit).
    assert_eq!(listed(&["--at", "2025-10-01"]), [pair("building-permit", "1.0.0"), pair("case-intake", "1.0.0")]);
    assert_eq!(listed(&["--at", "2025-02-28"]), []);
    let all = listed(&[]);
    assert!(all.len() >= 5 && all.contains(&pair("case-intake", "1.1.0")), "{all:?}");
    let json = run(&["catalogue", "list", "--format", "json"]).stdout;
    assert!(json.contains("\"published\": \"2025-03-01\""), "the lifecycle is in the JSON:\n{json}");
    let bad = run(&["catalogue", "list", "--at", "someday"]);
    assert_eq!(bad.code, 2);
    assert!(bad.stderr.contains("`someday` is not a date"), "{}", bad.stderr);
    // case-intake 1.0.0 was active until 2.0.0 was published, and is retired at its sunset.
    let state = |day: &str| listed(&["--at", day]).into_iter().find(|s| s.0 == "case-intake" && s.1 == "1.0.0");
    assert_eq!(state("2026-09-30").map(|s| s.2), Some("active".into()));
    assert_eq!(state("2026-10-01").map(|s| s.2), Some("deprecated".into()));
    assert_eq!(state("2027-04-01"), None, "retired at its sunset: no longer in force");
    let sv = run(&["catalogue", "show", "case-intake@1.0.0", "--lang", "sv"]);
    assert!(sv.stdout.contains("(utfasad)"), "{}", sv.stdout);
    assert!(
        sv.stdout
            .contains("Livscykel: publicerad 2025-03-01; utfasad 2026-10-01; avvecklas 2027-04-01; ersätts av 2.0.0"),
        "{}",
        sv.stdout
    );
    let at = run(&["catalogue", "show", "case-intake@1.0.0", "--at", "2026-01-01"]);
    assert!(at.stdout.starts_with("case-intake 1.0.0 (active)"), "{}", at.stdout);
}

#[test]
fn catalogue_list_as_a_table_in_swedish() {
    let r = run(&["catalogue", "list", "--lang", "sv"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    for word in ["case-intake", "Ärendemottagning", "SKALL", "BÖR", "KAN", "13/13 (100%)"] {
        assert!(r.stdout.contains(word), "{word} missing from:\n{}", r.stdout);
    }
}

#[test]
fn catalogue_show_names_covering_scenarios() {
    let r = run(&["catalogue", "show", "case-intake@1.0.0", "--format", "json"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    let req = v["requirements"].as_array().unwrap().iter().find(|r| r["id"] == "CASE-003").unwrap().clone();
    assert_eq!(req["level"], "must");
    assert_eq!(req["covered_by"], serde_json::json!(["invalid-submission"]));
}

#[test]
fn catalogue_show_unknown_spec_or_version() {
    let r = run(&["catalogue", "show", "case-intak"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("did you mean `case-intake`?"), "{}", r.stderr);
    let r = run(&["catalogue", "show", "case-intake@9.9.9"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("has no version 9.9.9"), "{}", r.stderr);
}

#[test]
fn the_newest_active_version_is_the_default_and_id_at_version_selects() {
    let show = |sel: &str| -> serde_json::Value {
        let r = run(&["catalogue", "show", sel, "--format", "json"]);
        assert_eq!(r.code, 0, "{}", r.stderr);
        serde_json::from_str(&r.stdout).unwrap()
    };
    assert_eq!(show("case-intake")["specification"]["version"], "2.0.0");
    assert_eq!(show("case-intake@1.0.0")["specification"]["version"], "1.0.0");
    let reqs = |v: &serde_json::Value| {
        v["requirements"].as_array().unwrap().iter().map(|r| r["id"].as_str().unwrap().to_string()).collect::<Vec<_>>()
    };
    assert!(reqs(&show("case-intake@1.1.0")).contains(&"CASE-014".to_string()));
    assert!(!reqs(&show("case-intake@1.0.0")).contains(&"CASE-014".to_string()));
}

#[test]
fn the_catalogue_pages_in_docs_are_current() {
    let mut expected = vec![("README.md".to_string(), run(&["catalogue", "list", "--format", "markdown"]).stdout)];
    let list: serde_json::Value =
        serde_json::from_str(&run(&["catalogue", "list", "--format", "json"]).stdout).unwrap();
    for spec in list["specifications"].as_array().unwrap() {
        let key = format!("{}@{}", spec["id"].as_str().unwrap(), spec["version"].as_str().unwrap());
        let page = run(&["catalogue", "show", &key, "--format", "markdown"]).stdout;
        expected.push((format!("{}-{}.md", spec["id"].as_str().unwrap(), spec["version"].as_str().unwrap()), page));
    }
    for model in list["models"].as_array().unwrap().iter().chain(list["processes"].as_array().unwrap()) {
        let (id, version) = (model["id"].as_str().unwrap(), model["version"].as_str().unwrap());
        let page = run(&["catalogue", "show", &format!("{id}@{version}"), "--format", "markdown"]).stdout;
        expected.push((format!("{id}-{version}.md"), page));
    }
    for (name, text) in expected {
        let path = project_root().join("docs/catalogue").join(&name);
        let committed = std::fs::read_to_string(&path).unwrap_or_default();
        assert!(
            committed == text,
            "docs/catalogue/{name} is stale: regenerate with `konform catalogue list --format markdown` / `konform catalogue show SPEC --format markdown`"
        );
    }
}

#[test]
fn a_specification_page_carries_the_changelog_from_the_version_before() {
    let show = |sel: &str, format: &str| {
        let r = run(&["catalogue", "show", sel, "--format", format]);
        assert_eq!(r.code, 0, "{}", r.stderr);
        r.stdout
    };
    let md = show("case-intake@2.0.0", "markdown");
    let heading =
        md.find("## Changes from case-intake 1.1.0 to case-intake 2.0.0, for the vendor").expect("a changelog");
    assert!(md.find("| CASE-015 |").unwrap() < heading, "the changelog follows the requirements");
    assert!(md[heading..]
        .contains("operation moved from `GET /{municipalityId}/cases` to `GET /v2/{municipalityId}/cases`"));
    assert!(!show("case-intake@1.0.0", "markdown").contains("## Changes from"), "the first version has none");
    let html = show("case-intake@2.0.0", "html");
    let section = &html[html.find("<section class=\"changelog\">").expect("a changelog section")..];
    // 16 changes to the description, and the six MUST requirements derived from the process.
    assert!(section.contains("<h3>Must change (22)</h3>"), "{section}");
    assert!(section.contains("<code>GET /v2/{municipalityId}/cases</code>"), "{section}");
    assert!(section.ends_with("</section>\n</body>\n</html>\n"));
    let json = |sel: &str| -> serde_json::Value { serde_json::from_str(&show(sel, "json")).unwrap() };
    let since = &json("case-intake@1.1.0")["changes_since_previous"];
    assert_eq!(since["old"]["specification"], "case-intake@1.0.0");
    assert_eq!(since["summary"]["total"], 5);
    assert_eq!(since["changes"].as_array().unwrap().len(), 5);
    assert!(json("case-intake@1.0.0")["changes_since_previous"].is_null());
    let human = run(&["catalogue", "show", "case-intake@2.0.0", "--lang", "sv"]).stdout;
    assert!(
        human.contains("Ändringar sedan 1.1.0 (`konform diff case-intake@1.1.0 case-intake@2.0.0` listar dem):"),
        "{human}"
    );
    assert!(human.contains("51 ändringar: 22 måste ändras"), "{human}");
}

#[test]
fn a_specification_page_in_html_has_both_languages_and_coverage() {
    let r = run(&["catalogue", "show", "case-intake@1.1.0", "--format", "html", "--lang", "sv"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.starts_with("<!doctype html>"));
    for needle in [
        "Ärendets status kan hämtas",
        "The case status can be read",
        "SKALL / MUST",
        "BÖR / SHOULD",
        "<code>read-status</code>",
        "Täckning: 14/14",
    ] {
        assert!(r.stdout.contains(needle), "{needle} missing");
    }
    let r = run(&["catalogue", "list", "--format", "html"]);
    assert_eq!(r.code, 2);
}

/// Every option of every command's `--help` is named in docs/cli.md, in the section of that
/// command (or of the nearest command above it that has one), and every command has one.
#[test]
fn docs_cli_names_every_option_of_every_command() {
    use clap::CommandFactory;
    use std::collections::BTreeMap;

    let docs = std::fs::read_to_string(project_root().join("docs/cli.md")).unwrap();
    // `## `konform catalogue show SPEC`` -> ["catalogue", "show"]: the words up to the first
    // that is not a command's (upper case, a path, an option).
    let mut sections: BTreeMap<Vec<String>, String> = BTreeMap::new();
    for part in docs.split("\n## ").skip(1) {
        let (heading, body) = part.split_once('\n').unwrap_or((part, ""));
        let Some(rest) = heading.strip_prefix("`konform") else { continue };
        let path: Vec<String> = rest
            .trim_end_matches('`')
            .split_whitespace()
            .take_while(|w| w.chars().all(|c| c.is_ascii_lowercase() || c == '-') && !w.starts_with('-'))
            .map(str::to_string)
            .collect();
        sections.entry(path).or_default().push_str(body);
    }
    let global = docs.split("\n## ").find(|p| p.starts_with("Global options")).unwrap().to_string();

    fn walk(cmd: &clap::Command, path: Vec<String>, out: &mut Vec<(Vec<String>, Vec<String>)>) {
        let longs: Vec<String> = cmd
            .get_arguments()
            .filter(|a| !a.is_hide_set() && !a.is_global_set())
            .filter_map(|a| a.get_long().map(|l| format!("--{l}")))
            .filter(|l| l != "--help" && l != "--version")
            .collect();
        // A group of commands with no options of its own needs no section of its own.
        let group = longs.is_empty() && cmd.has_subcommands();
        if !path.is_empty() && !group {
            out.push((path.clone(), longs));
        }
        for sub in cmd.get_subcommands().filter(|s| !s.is_hide_set() && s.get_name() != "help") {
            let mut deeper = path.clone();
            deeper.push(sub.get_name().to_string());
            walk(sub, deeper, out);
        }
    }
    let mut commands = Vec::new();
    let mut cli = konform::cli::Cli::command();
    cli.build();
    walk(&cli, Vec::new(), &mut commands);
    assert!(commands.len() > 20, "{commands:?}");

    let mut missing = Vec::new();
    for (path, longs) in &commands {
        let section = (0..=path.len()).rev().find_map(|n| sections.get(&path[..n]).filter(|_| n > 0));
        let Some(section) = section else {
            missing.push(format!("konform {}: no section", path.join(" ")));
            continue;
        };
        for long in longs {
            let named = |text: &str| {
                text.match_indices(long.as_str()).any(|(i, _)| {
                    let after = text[i + long.len()..].chars().next();
                    !after.is_some_and(|c| c.is_ascii_alphanumeric() || c == '-')
                })
            };
            if !named(section) {
                missing.push(format!("konform {} {long}", path.join(" ")));
            }
        }
    }
    for global_option in ["--color", "--version", "--help"] {
        assert!(global.contains(global_option), "{global_option} missing from the global options");
    }
    assert!(missing.is_empty(), "docs/cli.md does not name:\n{}", missing.join("\n"));
}
