//! Fuzzes the CSV importers (ACN, ChargePoint, Dundee and the shapes detected from the
//! header) and summarises what they import. Nothing may panic; row problems are reported,
//! and every imported record is one the summary accepts or rejects with a typed error.

use chargekit::analytics::import::{import_csv, ImportOptions};
use chargekit::analytics::{summarize, SummaryOptions};

/// One input: see the module docs for what must hold.
pub fn run(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    for tz in [chrono_tz::UTC, chrono_tz::Europe::Berlin] {
        let options = ImportOptions {
            tz,
            ..ImportOptions::default()
        };
        let Ok(report) = import_csv(text, &options) else {
            continue;
        };
        // Every data row is accounted for: imported, refused, or a dropped duplicate.
        assert!(
            report.records.len() as u64 + report.errors.len() as u64 + report.duplicates_removed
                <= report.rows,
            "more outcomes than rows"
        );
        let _ = summarize(&report.records, &SummaryOptions::for_tz(tz));
    }
}
