//! The `chargekit` binary: [`chargekit_cli::run`] with the process's arguments.

use std::process::ExitCode;

fn main() -> ExitCode {
    ExitCode::from(chargekit_cli::run(std::env::args_os()))
}
