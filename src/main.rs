use std::io::IsTerminal;
use std::process::ExitCode;

use clap::Parser;
use konform::cli::{Cli, ColorChoice};

// mimalloc instead of the system allocator: a run allocates many small, short-lived
// values per step (checks, evidence strings, parsed bodies) across the runtime's threads,
// where glibc's malloc costs a tenth of the run's CPU.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let color = match cli.color {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()) && std::io::stderr().is_terminal()
        }
    };
    ExitCode::from(konform::app::run(cli.command, color))
}
