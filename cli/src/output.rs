//! Printing rows as an aligned table or CSV, and JSON documents.

use crate::Failure;

/// How results are printed.
#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Aligned columns for reading.
    Table,
    /// JSON for programs.
    Json,
    /// CSV with a header row.
    Csv,
    /// OCPI CDRs (JSON), where the command has them.
    Cdr,
}

/// An aligned table with a header; columns as wide as their widest cell.
pub fn print_table(header: &[&str], rows: Vec<Vec<String>>) {
    let mut widths: Vec<usize> = header.iter().map(|h| h.chars().count()).collect();
    for r in &rows {
        for (w, cell) in widths.iter_mut().zip(r) {
            *w = (*w).max(cell.chars().count());
        }
    }
    let line = |cells: Vec<&str>| {
        let padded: Vec<String> = cells
            .iter()
            .zip(&widths)
            .map(|(c, w)| format!("{c:<w$}"))
            .collect();
        println!("{}", padded.join("  ").trim_end());
    };
    line(header.to_vec());
    for r in &rows {
        line(r.iter().map(String::as_str).collect());
    }
}

/// CSV with a header row, to standard output.
pub fn print_csv(header: &[&str], rows: Vec<Vec<String>>) -> Result<(), Failure> {
    let mut w = csv::Writer::from_writer(std::io::stdout());
    let fail = |e: csv::Error| Failure(format!("writing CSV: {e}"));
    w.write_record(header).map_err(fail)?;
    for r in rows {
        w.write_record(&r).map_err(fail)?;
    }
    w.flush().map_err(|e| Failure(format!("writing CSV: {e}")))
}

/// Pretty JSON to standard output.
pub fn print_json<T: serde::Serialize + std::fmt::Display>(v: &T) {
    println!(
        "{}",
        serde_json::to_string_pretty(v).unwrap_or_else(|_| v.to_string())
    );
}
