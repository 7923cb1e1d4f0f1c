use std::io::IsTerminal;
use std::process::ExitCode;

use clap::Parser;
use konform::cli::Cli;

// mimalloc instead of the system allocator: a run allocates many small, short-lived
// values per step (checks, evidence strings, parsed bodies) across the runtime's threads,
// where glibc's malloc costs a tenth of the run's CPU.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// `mi_option_purge_delay` in mimalloc's `mi_option_e` (mimalloc.h); libmimalloc-sys
/// names the options around it but not this one.
const MI_OPTION_PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

fn main() -> ExitCode {
    // No transparent huge pages: mimalloc's arenas are eligible, and the kernel then zeroes
    // 2 MiB at a time each time freed memory is touched again (a third of `check`'s system
    // time on GitHub's description, and 9 MB of a small run's peak RSS; docs/performance.md).
    // mimalloc's own switch for it (MIMALLOC_ALLOW_THP=0) acts only when read from the
    // environment at process start; the flag set here holds for every later fault.
    #[cfg(target_os = "linux")]
    // SAFETY: prctl(PR_SET_THP_DISABLE) sets a flag of this process and touches no memory.
    unsafe {
        libc::prctl(libc::PR_SET_THP_DISABLE, 1, 0, 0, 0);
    }
    // Memory freed is returned to the system at once rather than 10 ms later: a long run
    // frees each scenario's evidence as it is spooled, and the delay let the peak RSS of
    // the soak test grow 1.40× over ten times the steps instead of 1.29×. (MIMALLOC_PURGE_DELAY
    // in the environment still decides, for measuring.)
    if std::env::var_os("MIMALLOC_PURGE_DELAY").is_none() {
        // SAFETY: called before any other thread exists, as mi_option_set requires.
        unsafe { libmimalloc_sys::mi_option_set(MI_OPTION_PURGE_DELAY, 0) };
    }
    let cli = Cli::parse();
    let color = cli.color.resolve(|name| std::env::var_os(name), std::io::stderr().is_terminal());
    // Unlocked handles: each write takes the lock for itself, so the progress bar's own
    // thread can still draw on stderr while a command runs.
    let (mut out, mut err) = (std::io::stdout(), std::io::stderr());
    let mut console = konform::app::Console { out: &mut out, err: &mut err };
    ExitCode::from(konform::app::run(cli.command, color, &mut console))
}
