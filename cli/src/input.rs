//! Reading inputs: files or `-` (standard input), gzip recognised by its magic bytes.

use crate::Failure;
use flate2::read::MultiGzDecoder;
use std::io::Read;
use std::path::Path;

/// The text of `path` (`-`: standard input), gunzipped when it starts with the gzip magic.
pub fn read_text(path: &str) -> Result<String, Failure> {
    let mut bytes = Vec::new();
    let read = if path == "-" {
        std::io::stdin().read_to_end(&mut bytes)
    } else {
        std::fs::File::open(path).and_then(|mut f| f.read_to_end(&mut bytes))
    };
    read.map_err(|e| Failure(format!("{path}: {e}")))?;
    if bytes.starts_with(&[0x1f, 0x8b]) {
        let mut out = Vec::new();
        MultiGzDecoder::new(bytes.as_slice())
            .read_to_end(&mut out)
            .map_err(|e| Failure(format!("{path}: not valid gzip: {e}")))?;
        bytes = out;
    }
    String::from_utf8(bytes).map_err(|e| {
        Failure(format!(
            "{path}: not UTF-8 text (byte {})",
            e.utf8_error().valid_up_to()
        ))
    })
}

/// The station id a log file stands for: its file name without extensions (`-`: `station`).
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
