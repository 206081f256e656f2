//! Reading inputs: files or `-` (standard input), gzip recognised by its magic bytes, read
//! whole or line by line; a progress bar on standard error when it is a terminal.

use crate::Failure;
use flate2::read::MultiGzDecoder;
use indicatif::{ProgressBar, ProgressStyle};
use std::io::{BufRead, BufReader, IsTerminal, Read};
use std::path::Path;

/// A reader of `path` (`-`: standard input), gunzipping when the data starts with the gzip
/// magic, with a progress bar over a file's bytes when standard error is a terminal.
pub fn open(path: &str) -> Result<Box<dyn BufRead>, Failure> {
    let raw: Box<dyn Read> = if path == "-" {
        Box::new(std::io::stdin())
    } else {
        let file = std::fs::File::open(path).map_err(|e| Failure(format!("{path}: {e}")))?;
        let len = file.metadata().map(|m| m.len()).unwrap_or(0);
        if std::io::stderr().is_terminal() && len > 0 {
            let bar = ProgressBar::new(len).with_style(
                ProgressStyle::with_template("{bytes}/{total_bytes} {wide_bar} {eta}")
                    .unwrap_or_else(|_| ProgressStyle::default_bar()),
            );
            Box::new(bar.wrap_read(file))
        } else {
            Box::new(file)
        }
    };
    let mut reader = BufReader::with_capacity(1 << 16, raw);
    let gz = reader
        .fill_buf()
        .map_err(|e| Failure(format!("{path}: {e}")))?
        .starts_with(&[0x1f, 0x8b]);
    Ok(if gz {
        Box::new(BufReader::with_capacity(
            1 << 16,
            MultiGzDecoder::new(reader),
        ))
    } else {
        Box::new(reader)
    })
}

/// The whole text of `path` (see [`open`]).
pub fn read_text(path: &str) -> Result<String, Failure> {
    let mut bytes = Vec::new();
    open(path)?
        .read_to_end(&mut bytes)
        .map_err(|e| Failure(format!("{path}: {e}")))?;
    String::from_utf8(bytes).map_err(|e| {
        Failure(format!(
            "{path}: not UTF-8 text (byte {})",
            e.utf8_error().valid_up_to()
        ))
    })
}

/// The station id a log file stands for: its file name up to the first dot (`-`: `station`).
pub fn station_of(path: &str) -> String {
    if path == "-" {
        return "station".into();
    }
    let name = Path::new(path)
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.to_string());
    name.split('.').next().unwrap_or(&name).to_string()
}
