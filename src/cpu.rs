//! CPU time by phase, for the benchmarks: with `KONFORM_CPU_PHASES=1` in the environment,
//! `run` and `demo` print to stderr how much thread CPU time went to loading the
//! catalogue, judging responses, building evidence (redaction, curl lines, the spool) and
//! writing reports. What is left of the process's CPU time is HTTP and the runtime.
//! Off by default; when off, a phase costs one relaxed atomic load.

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};

#[derive(Debug, Clone, Copy)]
pub enum Phase {
    Load = 0,
    Validate = 1,
    Evidence = 2,
    Report = 3,
}

static ENABLED: AtomicBool = AtomicBool::new(false);
static NANOS: [AtomicU64; 4] = [AtomicU64::new(0), AtomicU64::new(0), AtomicU64::new(0), AtomicU64::new(0)];

pub fn enable_from_env() {
    if std::env::var_os("KONFORM_CPU_PHASES").is_some_and(|v| v == "1") {
        ENABLED.store(true, Ordering::Relaxed);
    }
}

/// Runs `f`, adding the CPU time its thread spent to `phase`. `f` must not await: the
/// time is the calling thread's.
pub fn measure<T>(phase: Phase, f: impl FnOnce() -> T) -> T {
    if !ENABLED.load(Ordering::Relaxed) {
        return f();
    }
    let start = thread_cpu_nanos();
    let result = f();
    NANOS[phase as usize].fetch_add(thread_cpu_nanos().saturating_sub(start), Ordering::Relaxed);
    result
}

/// Prints the phases (nanoseconds) when enabled.
pub fn print() {
    if ENABLED.load(Ordering::Relaxed) {
        let n = |p: Phase| NANOS[p as usize].load(Ordering::Relaxed);
        eprintln!(
            "cpu-phases: load={} validate={} evidence={} report={}",
            n(Phase::Load),
            n(Phase::Validate),
            n(Phase::Evidence),
            n(Phase::Report)
        );
    }
}

#[cfg(unix)]
fn thread_cpu_nanos() -> u64 {
    let mut ts = libc::timespec { tv_sec: 0, tv_nsec: 0 };
    // SAFETY: clock_gettime writes only into the timespec it is given.
    let ok = unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut ts) } == 0;
    if ok {
        ts.tv_sec as u64 * 1_000_000_000 + ts.tv_nsec as u64
    } else {
        0
    }
}

#[cfg(not(unix))]
fn thread_cpu_nanos() -> u64 {
    0
}
