use std::io::IsTerminal;
use std::process::ExitCode;

use clap::Parser;
use konform::cli::{Cli, ColorChoice};

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
