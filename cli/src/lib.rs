//! `chargekit`: the library from a shell. Sessions from OCPP logs, prices, signed readings
//! and tariffs, on files (gzip accepted) or standard input (`-`).
//!
//! Exit codes: 0 when all went well and nothing was found, 1 when the data has anomalies
//! (sessions with anomalies, signed readings that do not verify, tariffs with lint errors),
//! 2 for a wrong command line, 3 when an input cannot be read (the message names the file,
//! and the line and field where chargekit knows them).

mod input;
mod output;
mod price;
mod report;
mod sessions;
mod smart;
mod tariff;
mod verify;

use clap::{Parser, Subcommand};

/// Monitoring and billing of EV charging sessions (OCPP, OCPI, OCMF).
#[derive(Parser)]
#[command(name = "chargekit", version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    Sessions(sessions::Args),
    Price(price::Args),
    Verify(verify::Args),
    Composite(smart::CompositeArgs),
    Plan(smart::PlanArgs),
    Report(report::Args),
    /// Lint or explain a tariff (OCPI, or an OCPP 2.1 TariffType).
    #[command(subcommand)]
    Tariff(tariff::Command),
}

/// What a run found: success, anomalies in the data, or input that could not be read.
pub enum Outcome {
    /// Nothing to report.
    Clean,
    /// The data was read; it has anomalies (invalid signatures, lint errors, …).
    Anomalies,
}

/// An input that could not be read, with where.
#[derive(Debug)]
pub struct Failure(pub String);

impl<E: std::fmt::Display> From<(String, E)> for Failure {
    fn from((place, e): (String, E)) -> Self {
        Failure(format!("{place}: {e}"))
    }
}

/// Runs the command line `args` (the program name first) and returns the exit code; what
/// the binary and the Python wheel's `chargekit` script both call.
///
/// ```
/// assert_eq!(chargekit_cli::run(["chargekit", "--version"]), 0);
/// assert_eq!(chargekit_cli::run(["chargekit", "no-such-command"]), 2);
/// ```
pub fn run<I, T>(args: I) -> u8
where
    I: IntoIterator<Item = T>,
    T: Into<std::ffi::OsString> + Clone,
{
    let cli = match Cli::try_parse_from(args) {
        Ok(cli) => cli,
        Err(e) => {
            // Help and version are printed to standard output with code 0, errors with 2.
            let _ = e.print();
            return u8::try_from(e.exit_code()).unwrap_or(2);
        }
    };
    let result = match cli.command {
        Command::Sessions(a) => sessions::run(a),
        Command::Price(a) => price::run(a),
        Command::Verify(a) => verify::run(a),
        Command::Tariff(c) => tariff::run(c),
        Command::Composite(a) => smart::composite(a),
        Command::Plan(a) => smart::run_plan(a),
        Command::Report(a) => report::run(a),
    };
    match result {
        Ok(Outcome::Clean) => 0,
        Ok(Outcome::Anomalies) => 1,
        Err(Failure(message)) => {
            eprintln!("chargekit: {message}");
            3
        }
    }
}
