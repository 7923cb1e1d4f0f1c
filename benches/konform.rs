//! konform's benchmarks, in one run: `cargo bench --bench konform`.
//!
//! * throughput of a 10,000-step run (full validation) against an in-process HTTP server,
//!   at `--jobs 1` and `--jobs 16`, next to the raw floor: the same requests from a plain
//!   reqwest loop at the same concurrency, with no checks;
//! * CPU and context switches per step, and how konform's CPU splits into HTTP, validation,
//!   evidence and reports;
//! * what a scenario costs beyond its steps: the same steps as 20-step and as one-step
//!   scenarios, at `--jobs 1` and `--jobs 16`;
//! * loading the GitHub and Stripe descriptions, and `konform check` of them: time and peak memory;
//! * (`documents`) `check` of the largest corpus documents against a plain `Value` parse of
//!   them, and `lint` in every output format against `--format json`;
//! * peak memory of a 1,000-step and a 100,000-step run, in both scenario shapes;
//! * generated checks against the in-process reference vendor, next to the same demo
//!   without them.
//!
//! Every measured program is a child process (the konform binary, or this benchmark
//! re-executed in a client or loader role), so its CPU time and peak RSS come from
//! `wait4` and nothing of the server or the harness is counted. Figures are medians of
//! repeated runs and are printed as ratios against the raw floor measured in the same run.
//! Results go to stdout as Markdown, ready for docs/performance.md.

#[path = "../tests/common/server.rs"]
mod server;
#[path = "../tests/common/workload.rs"]
mod workload;

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const KONFORM: &str = env!("CARGO_BIN_EXE_konform");
/// Scenarios in the generated catalogue, and steps in each: 1,000 steps a round.
const SCENARIOS: usize = 50;
const STEPS: usize = 20;
const REPEATS: usize = 5;

/// What one child process cost.
#[derive(Debug, Clone, Copy)]
struct Cost {
    wall: Duration,
    cpu: Duration,
    peak_kib: u64,
    /// Context switches, voluntary and involuntary.
    switches: u64,
}

/// Runs a command to its end and reads its resource usage with `wait4`; returns its stderr.
fn measure(cmd: &mut Command) -> (Cost, String) {
    measure_exiting(cmd, &[0])
}

/// [`measure`] for a program whose exit code may be one of `expected` (`lint` exits 1 when it
/// finds a SKALL rule broken).
// The child is reaped by `wait4` (which also gives its rusage), not by `Child::wait`.
#[allow(clippy::zombie_processes)]
fn measure_exiting(cmd: &mut Command, expected: &[i32]) -> (Cost, String) {
    // Stderr goes to a file, read after the child ends: a pipe could fill and block it.
    let mut log = tempfile::tempfile().expect("a temporary file");
    let started = Instant::now();
    let child = cmd.stdout(Stdio::null()).stderr(log.try_clone().expect("dup")).spawn().expect("the child starts");
    let pid = child.id() as libc::pid_t;
    let mut status = 0;
    // SAFETY: wait4 writes only into the status and rusage it is given.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    let waited = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
    let wall = started.elapsed();
    assert_eq!(waited, pid, "wait4 failed");
    let mut text = String::new();
    std::io::Seek::rewind(&mut log).expect("rewind");
    let _ = std::io::Read::read_to_string(&mut log, &mut text);
    assert!(libc::WIFEXITED(status), "the child was killed: {text}");
    // A run that failed at once would look fast: every measured program must succeed.
    let code = libc::WEXITSTATUS(status);
    assert!(expected.contains(&code), "the child exited {code}: {cmd:?}\n{text}");
    let tv = |t: libc::timeval| Duration::new(t.tv_sec as u64, t.tv_usec as u32 * 1000);
    let cost = Cost {
        wall,
        cpu: tv(usage.ru_utime) + tv(usage.ru_stime),
        peak_kib: usage.ru_maxrss as u64,
        switches: (usage.ru_nvcsw + usage.ru_nivcsw) as u64,
    };
    (cost, text)
}

/// Measures a konform run (see [`konform_run`]) and checks that its report holds every step
/// it was asked for, each passed: throughput is only worth reading for a complete run.
fn measure_konform(cmd: &mut Command, out: &Path, steps: usize) -> (Cost, String) {
    let _ = std::fs::remove_file(out.join("report.json"));
    let measured = measure(cmd);
    // Only the counts are read, streaming past the rest: a child's peak RSS includes this
    // process's (the memory it was started from), so the harness must stay small.
    #[derive(serde::Deserialize, Debug)]
    struct Counts {
        steps: usize,
        steps_passed: usize,
    }
    #[derive(serde::Deserialize)]
    struct Head {
        counts: Counts,
    }
    let file = std::fs::File::open(out.join("report.json")).expect("the run wrote its JSON report");
    let head: Head = serde_json::from_reader(std::io::BufReader::new(file)).expect("the JSON report parses");
    assert_eq!((head.counts.steps, head.counts.steps_passed), (steps, steps), "steps in the report: {:?}", head.counts);
    measured
}

/// `konform demo case-intake@1.1.0` with `catalogue` (else the built-in one) and the given
/// extra arguments: (cost, steps in its report).
fn demo_run(out: &Path, catalogue: Option<&Path>, extra: &[&str]) -> (Cost, usize) {
    let report = out.join("demo.json");
    let _ = std::fs::remove_file(&report);
    let mut cmd = Command::new(KONFORM);
    cmd.args(["demo", "case-intake@1.1.0"]);
    if let Some(catalogue) = catalogue {
        cmd.arg("--catalogue").arg(catalogue);
    }
    cmd.arg("--report").arg(format!("json={}", report.display())).args(extra);
    cmd.env("NO_COLOR", "1");
    let (cost, _) = measure(&mut cmd);
    let text = std::fs::read_to_string(&report).expect("the demo wrote its JSON report");
    let value: serde_json::Value = serde_json::from_str(&text).expect("the JSON report parses");
    let counts = &value["counts"];
    assert_eq!(counts["steps"], counts["steps_passed"], "every step passes against the clean vendor");
    (cost, counts["steps"].as_u64().unwrap_or(0) as usize)
}

/// The largest descriptions of ../shared/corpus: `check` (wall, CPU, peak RSS, and that peak
/// against a plain `serde_json::Value` parse of the same file, the bench's own `--parse-value`),
/// then `lint` in every output format, each against `--format json` on the same document.
fn documents_section() {
    const LINT_REPEATS: usize = 3;
    let corpus = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus");
    let documents = [
        "large/github-api.github.com.json",
        "large/stripe-spec3-2022-04-12.json",
        "large/stripe-spec3-2023-09-12.yaml",
        "apisguru/loket.nl.json",
        "apisguru/github.com__ghes-3.8.json",
        "apisguru/zuora.com.json",
        "apisguru/googleapis.com__contentwarehouse.json",
    ];
    let exe = std::env::current_exe().unwrap();
    let dir = tempfile::tempdir().unwrap();
    println!("## `konform check` of the largest corpus documents, median of {REPEATS}\n");
    println!("| document | size | wall | CPU | peak RSS | `Value` parse: peak RSS | **check / parse** |");
    println!("|---|---:|---:|---:|---:|---:|---:|");
    for name in documents {
        let path = corpus.join(name);
        let Ok(meta) = std::fs::metadata(&path) else {
            println!("| {name} | not found in ../shared/corpus | | | | | |");
            continue;
        };
        // Exit 1 is a description with errors (reported, still measured).
        let checked = median(
            (0..REPEATS).map(|_| measure_exiting(Command::new(KONFORM).arg("check").arg(&path), &[0, 1])).collect(),
        )
        .0;
        let parsed = name.ends_with(".json").then(|| {
            median((0..REPEATS).map(|_| measure(Command::new(&exe).arg("--parse-value").arg(&path))).collect()).0
        });
        let mb = |kib: u64| kib as f64 / 1024.0;
        let (parse, ratio) = match parsed {
            Some(p) => (
                format!("{:.0} MB", mb(p.peak_kib)),
                format!("**{:.1}×**", checked.peak_kib as f64 / p.peak_kib as f64),
            ),
            None => ("(YAML)".to_string(), String::new()),
        };
        println!(
            "| {name} | {:.1} MB | {:.0} ms | {:.0} ms | {:.0} MB | {parse} | {ratio} |",
            meta.len() as f64 / 1e6,
            ms(checked.wall),
            ms(checked.cpu),
            mb(checked.peak_kib)
        );
    }
    println!();

    let formats: [(&str, &[&str]); 7] = [
        ("human", &[]),
        ("human --verbose", &["--verbose"]),
        ("json", &["--format", "json"]),
        ("junit", &["--format", "junit"]),
        ("sarif", &["--format", "sarif"]),
        ("github-actions", &["--format", "github-actions"]),
        ("gitlab", &["--format", "gitlab"]),
    ];
    // CPU time, not wall: on a machine shared with other work it is the steadier of the two.
    println!("## `konform lint` in every format, written with `-o`: CPU ms (× `json`), median of {LINT_REPEATS}\n");
    println!("| document | {} | peak RSS (largest) |", formats.iter().map(|(f, _)| *f).collect::<Vec<_>>().join(" | "));
    println!("|---|{}---:|", "---:|".repeat(formats.len()));
    for name in documents {
        let path = corpus.join(name);
        if !path.is_file() {
            continue;
        }
        let out = dir.path().join("lint.out");
        let costs: Vec<Cost> = formats
            .iter()
            .map(|(_, args)| {
                let mut runs: Vec<Cost> = (0..LINT_REPEATS)
                    .map(|_| {
                        let mut cmd = Command::new(KONFORM);
                        cmd.arg("lint").arg(&path).args(*args).arg("-o").arg(&out).env("NO_COLOR", "1");
                        measure_exiting(&mut cmd, &[0, 1]).0
                    })
                    .collect();
                runs.sort_by_key(|c| c.cpu);
                runs.swap_remove(runs.len() / 2)
            })
            .collect();
        let json = costs[2].cpu.as_secs_f64();
        let cells: Vec<String> =
            costs.iter().map(|c| format!("{:.0} ({:.2}×)", ms(c.cpu), c.cpu.as_secs_f64() / json)).collect();
        let peak = costs.iter().map(|c| c.peak_kib).max().unwrap_or(0);
        println!("| {name} | {} | {:.0} MB |", cells.join(" | "), peak as f64 / 1024.0);
    }
    println!();
}

/// Generated requests a second: the demo with `--generate` against the same demo without it
/// (both start the in-process reference vendor and run the written scenarios); the
/// difference is the generated requests and the time they took. case-intake 1.1.0 opts into
/// every method (`writes: all`), so valid and invalid bodies are sent to every operation,
/// thousands of requests in all, and the demo's start-up is a small part of the time.
fn generated_section() {
    let dir = tempfile::tempdir().unwrap();
    let catalogue = dir.path().join("catalogue");
    let exported = Command::new(KONFORM).args(["catalogue", "export"]).arg(&catalogue).output().unwrap();
    assert!(exported.status.success(), "{}", String::from_utf8_lossy(&exported.stderr));
    let spec = catalogue.join("case-intake/1.1.0/spec.yaml");
    let mut text = std::fs::read_to_string(&spec).unwrap();
    text.push_str(
        "generate:\n  checks: [negative-data, positive-data, auth, methods]\n  writes: all\n  \
         exclude: [negative-data/withdrawCase]\n",
    );
    std::fs::write(&spec, text).unwrap();
    let budget = "300";
    println!(
        "## Generated checks: case-intake 1.1.0 (`writes: all`, `--generate-budget {budget}`) against the \
         in-process reference vendor, --jobs 1, median of {REPEATS}\n"
    );
    println!("| run | steps | wall | CPU | generated requests/s | CPU µs per generated request |");
    println!("|---|---:|---:|---:|---:|---:|");
    let (mut plain, mut generated) = (Vec::new(), Vec::new());
    let jobs = ["--jobs", "1"];
    for _ in 0..REPEATS {
        // The built-in catalogue: the same scenarios, without the `generate:` section that
        // would leave the specification uncertified without --generate.
        plain.push(demo_run(dir.path(), None, &jobs));
        let args =
            [&jobs[..], &["--generate", "negative-data,positive-data,auth,methods", "--generate-budget", budget]];
        generated.push(demo_run(dir.path(), Some(&catalogue), &args.concat()));
    }
    let middle = |mut runs: Vec<(Cost, usize)>| {
        runs.sort_by_key(|(c, _)| c.wall);
        runs.swap_remove(runs.len() / 2)
    };
    let ((p, p_steps), (g, g_steps)) = (middle(plain), middle(generated));
    let requests = g_steps.saturating_sub(p_steps);
    let extra = g.wall.saturating_sub(p.wall).as_secs_f64().max(1e-6);
    let extra_cpu = g.cpu.saturating_sub(p.cpu).as_secs_f64();
    println!("| scenarios only | {p_steps} | {:.0} ms | {:.0} ms | | |", ms(p.wall), ms(p.cpu));
    println!(
        "| with generated checks | {g_steps} | {:.0} ms | {:.0} ms | **{:.0}** | {:.0} |",
        ms(g.wall),
        ms(g.cpu),
        requests as f64 / extra,
        extra_cpu * 1e6 / requests.max(1) as f64
    );
    println!();
}

fn median(mut costs: Vec<(Cost, String)>) -> (Cost, String) {
    costs.sort_by_key(|(c, _)| c.wall);
    costs.swap_remove(costs.len() / 2)
}

/// A konform run of `repeat` × 1,000 steps; with `phases`, it also accounts its CPU time by
/// phase (which costs two clock reads per measured piece, so throughput runs go without).
fn konform_run(catalogue: &Path, url: &str, jobs: usize, repeat: usize, out: &Path, phases: bool) -> Command {
    let mut cmd = Command::new(KONFORM);
    cmd.args(["run", "soak", "--catalogue"])
        .arg(catalogue)
        .args(["--base-url", url, "--jobs", &jobs.to_string(), "--repeat", &repeat.to_string()])
        .arg("--report")
        .arg(format!("json={}", out.join("report.json").display()))
        .arg("--report")
        .arg(format!("junit={}", out.join("report.xml").display()))
        .env("KONFORM_CPU_PHASES", if phases { "1" } else { "0" })
        .env("NO_COLOR", "1");
    cmd
}

fn raw_run(url: &str, jobs: usize, steps: usize) -> Command {
    let mut cmd = Command::new(std::env::current_exe().expect("own path"));
    cmd.args(["--raw-client", url, &jobs.to_string(), &steps.to_string()]);
    cmd
}

/// The raw floor: `steps` GETs of the same URLs konform requests, `jobs` at a time, each
/// body read whole, nothing checked.
fn raw_client(url: &str, jobs: usize, steps: usize) {
    konform::net::init_tls();
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build().unwrap();
    runtime.block_on(async {
        let client = reqwest::Client::builder().build().unwrap();
        let per_task = steps / jobs;
        let mut tasks = tokio::task::JoinSet::new();
        for task in 0..jobs {
            let client = client.clone();
            let url = url.to_string();
            tasks.spawn(async move {
                for n in 0..per_task {
                    let item = (task * per_task + n) / STEPS % SCENARIOS;
                    let response = client.get(format!("{url}items/item-{item}")).send().await.unwrap();
                    assert_eq!(response.status(), 200);
                    response.bytes().await.unwrap();
                }
            });
        }
        while tasks.join_next().await.is_some() {}
    });
}

/// Loads a description as `konform run` does before the first request: read, parse,
/// resolve references, index operations, make the schema set. With `first_use`, also
/// validates one response body, which builds the registry and compiles one validator.
fn load_spec(path: &str, first_use: bool) {
    let api = konform::catalogue::openapi::ApiDoc::load(Path::new(path), &Default::default()).expect("loads");
    assert!(!api.operations.is_empty());
    if first_use {
        let schema = api
            .operations
            .iter()
            .flat_map(|op| op.responses.iter().flat_map(|r| r.content.iter()))
            .find_map(|m| m.schema.clone())
            .expect("a response schema");
        api.schemas.validate(&schema, &serde_json::json!({})).expect("compiles");
    }
}

/// Reads a description and locates every operation in it (`/paths/P/METHOD`: its line and
/// column, as a diagnostic or `konform diff` needs them); prints how long the locating
/// took, and how many pointers, to stderr.
fn locate_operations(path: &str) {
    let file = konform::source::SourceFile::read(Path::new(path)).expect("reads");
    let doc = file.parse().expect("parses");
    let paths = doc["paths"].as_object().expect("a description with paths");
    let mut pointers = Vec::new();
    for (p, item) in paths {
        let p = konform::source::escape_pointer(p);
        pointers.extend(item.as_object().into_iter().flat_map(|ops| ops.keys()).map(|m| format!("/paths/{p}/{m}")));
    }
    let wanted: Vec<&str> = pointers.iter().map(String::as_str).collect();
    let started = Instant::now();
    let found = file.locate(&wanted);
    let took = started.elapsed();
    assert!(wanted.iter().all(|p| found.key(p).is_some()), "every operation is located");
    eprintln!("locate-ms: {:.1} pointers: {}", ms(took), wanted.len());
}

/// The figures `locate_operations` printed: milliseconds, pointers.
fn located(stderr: &str) -> (f64, usize) {
    let line = stderr.lines().find(|l| l.starts_with("locate-ms:")).expect("locate output");
    let words: Vec<&str> = line.split_whitespace().collect();
    (words[1].parse().expect("milliseconds"), words[3].parse().expect("pointers"))
}

fn phases(stderr: &str) -> [f64; 4] {
    let line = stderr.lines().find(|l| l.starts_with("cpu-phases:")).expect("KONFORM_CPU_PHASES output");
    let mut out = [0.0; 4];
    for (i, key) in ["load=", "validate=", "evidence=", "report="].iter().enumerate() {
        let v = line.split_whitespace().find_map(|w| w.strip_prefix(key)).expect("phase");
        out[i] = v.parse::<f64>().unwrap() / 1e9;
    }
    out
}

fn machine() -> String {
    let cpu = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|t| {
            t.lines()
                .find(|l| l.starts_with("model name"))
                .map(|l| l.split(':').nth(1).unwrap_or("").trim().to_string())
        })
        .unwrap_or_else(|| "unknown CPU".into());
    let cores = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(0);
    let mem = std::fs::read_to_string("/proc/meminfo")
        .ok()
        .and_then(|t| t.lines().next().map(|l| l.split_whitespace().nth(1).unwrap_or("0").parse::<u64>().unwrap_or(0)))
        .unwrap_or(0);
    let kernel = std::fs::read_to_string("/proc/sys/kernel/osrelease").unwrap_or_default();
    format!("{cores} cores ({cpu}), {:.0} GiB memory, Linux {}", mem as f64 / 1048576.0, kernel.trim())
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// For profiling konform by hand: writes the benchmark catalogue to `dir`, serves it and
/// prints the base URL, until killed. Then, for example:
/// `perf record -g konform run soak --catalogue DIR --base-url URL --repeat 10`.
fn serve_for_profiling(dir: &Path, scenarios: usize, steps: usize) {
    workload::write_catalogue(dir, scenarios, steps);
    let server = workload::serve(None, Duration::from_secs(0));
    println!("{}", server.url());
    loop {
        std::thread::park();
    }
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.get(1).map(String::as_str) == Some("--raw-client") {
        return raw_client(&args[2], args[3].parse().unwrap(), args[4].parse().unwrap());
    }
    if args.get(1).map(String::as_str) == Some("--serve") {
        // `--serve DIR [SCENARIOS STEPS]`: the 50 × 20-step workload unless told otherwise.
        let shape = |i: usize, default: usize| args.get(i).map_or(default, |a| a.parse().expect("a number"));
        return serve_for_profiling(Path::new(&args[2]), shape(3, SCENARIOS), shape(4, STEPS));
    }
    if args.get(1).map(String::as_str) == Some("--locate") {
        return locate_operations(&args[2]);
    }
    if args.get(1).map(String::as_str) == Some("--parse-value") {
        let bytes = std::fs::read(&args[2]).expect("reads");
        let value: serde_json::Value = serde_json::from_slice(&bytes).expect("parses");
        return assert!(value.is_object());
    }
    if args.get(1).map(String::as_str) == Some("--load-spec") {
        return load_spec(&args[2], args.get(3).is_some_and(|a| a == "first-use"));
    }
    // `cargo bench` passes `--bench`; a filter word selects sections.
    let only: Vec<&str> = args[1..].iter().map(String::as_str).filter(|a| !a.starts_with('-')).collect();
    let wanted = |section: &str| only.is_empty() || only.contains(&section);

    println!("# konform benchmarks\n");
    println!("Machine: {}. konform {} (release build).\n", machine(), env!("CARGO_PKG_VERSION"));
    let dir = tempfile::tempdir().unwrap();
    let catalogue = dir.path().join("catalogue");
    workload::write_catalogue(&catalogue, SCENARIOS, STEPS);
    let server = workload::serve(None, Duration::from_secs(0));
    let url = server.url();

    if wanted("throughput") {
        let steps = 10_000;
        println!("## Throughput: {steps} steps, full validation, median of {REPEATS}\n");
        println!(
            "| jobs | konform steps/s | raw steps/s | konform / raw | konform CPU µs/step | raw CPU µs/step | CPU ratio \
             | konform switches/step | raw switches/step |"
        );
        println!("|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        let mut splits = Vec::new();
        for jobs in [1, 16] {
            // Interleaved, so a slow spell of a shared machine falls on both alike.
            let (mut ks, mut rs) = (Vec::new(), Vec::new());
            for _ in 0..REPEATS {
                ks.push(measure_konform(
                    &mut konform_run(&catalogue, &url, jobs, steps / 1000, dir.path(), false),
                    dir.path(),
                    steps,
                ));
                rs.push(measure(&mut raw_run(&url, jobs, steps)));
            }
            let (k, r) = (median(ks), median(rs));
            let split = measure_konform(
                &mut konform_run(&catalogue, &url, jobs, steps / 1000, dir.path(), true),
                dir.path(),
                steps,
            );
            let k_rate = steps as f64 / k.0.wall.as_secs_f64();
            let r_rate = steps as f64 / r.0.wall.as_secs_f64();
            let k_cpu = k.0.cpu.as_secs_f64() * 1e6 / steps as f64;
            let r_cpu = r.0.cpu.as_secs_f64() * 1e6 / steps as f64;
            println!(
                "| {jobs} | {k_rate:.0} | {r_rate:.0} | **{:.2}** | {k_cpu:.0} | {r_cpu:.0} | {:.2} | **{:.2}** | {:.2} |",
                k_rate / r_rate,
                k_cpu / r_cpu,
                k.0.switches as f64 / steps as f64,
                r.0.switches as f64 / steps as f64
            );
            splits.push((jobs, split.0, phases(&split.1)));
        }
        println!("\n### Where konform's CPU goes (µs per step, one further run with phase accounting)\n");
        println!("| jobs | total | load catalogue | validation | evidence | reports | HTTP + runtime (rest) |");
        println!("|---:|---:|---:|---:|---:|---:|---:|");
        for (jobs, cost, [load, validate, evidence, report]) in splits {
            let per = |s: f64| s * 1e6 / steps as f64;
            let total = cost.cpu.as_secs_f64();
            let rest = total - load - validate - evidence - report;
            println!(
                "| {jobs} | {:.0} | {:.0} | {:.0} | {:.0} | {:.0} | {:.0} |",
                per(total),
                per(load),
                per(validate),
                per(evidence),
                per(report),
                per(rest)
            );
        }
        println!();
    }

    if wanted("loading") {
        let corpus = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus/large");
        println!("## Loading large descriptions, median of {REPEATS}\n");
        println!("| description | size | ready: time | ready: peak RSS | + first validator: time | peak RSS |");
        println!("|---|---:|---:|---:|---:|---:|");
        for name in ["github-api.github.com.json", "stripe-spec3-2022-04-12.json", "stripe-spec3-2023-09-12.yaml"] {
            let path = corpus.join(name);
            let Ok(meta) = std::fs::metadata(&path) else {
                println!("| {name} | not found in ../shared/corpus/large | | | | |");
                continue;
            };
            let exe = std::env::current_exe().unwrap();
            let ready =
                median((0..REPEATS).map(|_| measure(Command::new(&exe).arg("--load-spec").arg(&path))).collect());
            let first = median(
                (0..REPEATS)
                    .map(|_| measure(Command::new(&exe).arg("--load-spec").arg(&path).arg("first-use")))
                    .collect(),
            );
            println!(
                "| {name} | {:.1} MB | {:.0} ms | {:.0} MB | {:.0} ms | {:.0} MB |",
                meta.len() as f64 / 1e6,
                ms(ready.0.wall),
                ready.0.peak_kib as f64 / 1024.0,
                ms(first.0.wall),
                first.0.peak_kib as f64 / 1024.0
            );
        }
        println!();

        // `check` compiles every schema of the description (and must exit 0: they all compile).
        println!("## `konform check` of large descriptions, median of {REPEATS}\n");
        println!("| description | wall | CPU | peak RSS |");
        println!("|---|---:|---:|---:|");
        for name in ["github-api.github.com.json", "stripe-spec3-2022-04-12.json", "stripe-spec3-2023-09-12.yaml"] {
            let path = corpus.join(name);
            if !path.is_file() {
                println!("| {name} | not found in ../shared/corpus/large | | |");
                continue;
            }
            let checked =
                median((0..REPEATS).map(|_| measure(Command::new(KONFORM).arg("check").arg(&path))).collect()).0;
            println!(
                "| {name} | {:.0} ms | {:.0} ms | {:.0} MB |",
                ms(checked.wall),
                ms(checked.cpu),
                checked.peak_kib as f64 / 1024.0
            );
        }
        println!();

        // Locating is linear in the file: on minified JSON (one line of 13 MB) too.
        println!("## Locating every operation of GitHub's description (pointer → line:column), median of {REPEATS}\n");
        println!("| layout | size | lines | operations | locate |");
        println!("|---|---:|---:|---:|---:|");
        let github = corpus.join("github-api.github.com.json");
        if let Ok(text) = std::fs::read_to_string(&github) {
            let value: serde_json::Value = serde_json::from_str(&text).expect("GitHub's description parses");
            let minified = dir.path().join("github-minified.json");
            std::fs::write(&minified, serde_json::to_string(&value).unwrap()).unwrap();
            drop(value);
            for (layout, path) in [("as published", github.clone()), ("minified", minified)] {
                let exe = std::env::current_exe().unwrap();
                let mut runs: Vec<(f64, usize)> =
                    (0..REPEATS).map(|_| located(&measure(Command::new(&exe).arg("--locate").arg(&path)).1)).collect();
                runs.sort_by(|a, b| a.0.total_cmp(&b.0));
                let (took, operations) = runs[runs.len() / 2];
                let bytes = std::fs::read(&path).unwrap();
                let lines = bytes.iter().filter(|b| **b == b'\n').count().max(1);
                println!("| {layout} | {:.1} MB | {lines} | {operations} | {took:.0} ms |", bytes.len() as f64 / 1e6);
            }
        } else {
            println!("| github-api.github.com.json not found in ../shared/corpus/large | | | | |");
        }
        println!();
    }

    if wanted("documents") {
        documents_section();
    }

    if wanted("generated") {
        generated_section();
    }

    // The same 1,000 steps a round as 1,000 one-step scenarios: what a scenario costs
    // beyond its steps.
    let one_step = dir.path().join("catalogue-one-step");
    workload::write_catalogue(&one_step, SCENARIOS * STEPS, 1);
    let shapes = [(format!("{SCENARIOS} × {STEPS} steps"), &catalogue), ("1,000 × 1 step".to_string(), &one_step)];

    if wanted("scenarios") {
        let steps = 10_000;
        println!("## Per-scenario overhead: {steps} steps as 20-step and as one-step scenarios, median of {REPEATS}\n");
        println!(
            "| jobs | CPU µs/step, 20-step scenarios | CPU µs/step, one-step scenarios | **overhead per scenario** |"
        );
        println!("|---:|---:|---:|---:|");
        for jobs in [1, 16] {
            let per_step = |catalogue: &Path| {
                let runs = (0..REPEATS)
                    .map(|_| {
                        let mut cmd = konform_run(catalogue, &url, jobs, steps / 1000, dir.path(), false);
                        measure_konform(&mut cmd, dir.path(), steps)
                    })
                    .collect();
                median(runs).0.cpu.as_secs_f64() * 1e6 / steps as f64
            };
            let (long, short) = (per_step(&catalogue), per_step(&one_step));
            // A 20-step scenario spreads its overhead over 20 steps: short - long = o (1 - 1/20).
            let overhead = (short - long) / (1.0 - 1.0 / STEPS as f64);
            println!("| {jobs} | {long:.0} | {short:.0} | **{overhead:.1} µs** |");
        }
        println!();
    }

    if wanted("memory") {
        println!("## Memory growth: peak RSS, --jobs 16, JSON and JUnit reports written\n");
        println!("| scenarios | steps | peak RSS | wall | vs 1,000 steps |");
        println!("|---|---:|---:|---:|---:|");
        for (shape, catalogue) in &shapes {
            let mut base = 0.0;
            for repeat in [1, 100] {
                let (cost, _) = measure_konform(
                    &mut konform_run(catalogue, &url, 16, repeat, dir.path(), false),
                    dir.path(),
                    repeat * 1000,
                );
                let mib = cost.peak_kib as f64 / 1024.0;
                if repeat == 1 {
                    base = mib;
                }
                println!(
                    "| {shape} | {} | {mib:.1} MB | {:.1} s | **{:.2}×** |",
                    repeat * 1000,
                    cost.wall.as_secs_f64(),
                    mib / base
                );
            }
        }
        println!();

        // Signing streams the canonical report through the hash: a signed run's memory
        // should stay that of an unsigned one.
        let (private, public) = (dir.path().join("bench.key"), dir.path().join("bench.pub"));
        let keygen =
            Command::new(KONFORM).arg("keygen").arg("--private").arg(&private).arg("--public").arg(&public).status();
        assert!(keygen.is_ok_and(|s| s.success()), "konform keygen failed");
        println!("## Signing: peak RSS of a 10,000-step run, --jobs 16, median of {REPEATS}\n");
        println!("| run | peak RSS | wall | vs unsigned |");
        println!("|---|---:|---:|---:|");
        let mut unsigned = 0.0;
        for signed in [false, true] {
            let runs = (0..REPEATS)
                .map(|_| {
                    let mut cmd = konform_run(&catalogue, &url, 16, 10, dir.path(), false);
                    if signed {
                        cmd.arg("--sign-key").arg(&private);
                    }
                    measure_konform(&mut cmd, dir.path(), 10_000)
                })
                .collect();
            let (cost, _) = median(runs);
            let mib = cost.peak_kib as f64 / 1024.0;
            if !signed {
                unsigned = mib;
            }
            let name = if signed { "signed" } else { "unsigned" };
            println!("| {name} | {mib:.1} MB | {:.1} s | **{:.2}×** |", cost.wall.as_secs_f64(), mib / unsigned);
        }
        println!();
    }
    drop(server);
}
