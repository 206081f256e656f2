//! Importers for real operator exports (`docs/analytics-and-feedback.md` §8): CSV in the
//! ACN-Data shape, the ChargePoint "Session Details" shape (Palo Alto, and the Boulder
//! ArcGIS variant of its columns) and the Dundee shape. They take text, never paths.
//!
//! A row that cannot be read becomes a [`RowIssue`] naming its line and column; the other
//! rows are still imported. Later rows repeating a session id are dropped (duplicate
//! uploads), and counted.
//!
//! ```
//! use chargekit::analytics::import::{import_csv, CsvShape, ImportOptions};
//! let csv = "Station Name,Start Date,Start Time Zone,End Date,End Time Zone,Total Duration (hh:mm:ss),Charging Time (hh:mm:ss),Energy (kWh),Port Number,Plug In Event Id,User ID\n\
//! PALO ALTO CA / HAMILTON #1,7/29/2011 20:17,PDT,7/29/2011 23:20,PDT,3:03:32,1:54:03,6.249457,2,3,3284\n\
//! PALO ALTO CA / HAMILTON #1,7/30/2011 0:00,PDT,40754.1,PDT, -   ,0:12:00,1.2,1,4,\n\
//! PALO ALTO CA / HAMILTON #1,garbage,PDT,7/30/2011 9:00,PDT,1:00:00,1:00:00,5,1,5,\n";
//! let tz = "America/Los_Angeles".parse().unwrap();
//! let r = import_csv(csv, &ImportOptions::for_tz(tz)).unwrap();
//! assert_eq!(r.shape, CsvShape::ChargePoint);
//! assert_eq!(r.records.len(), 2);
//! assert_eq!(r.records[0].plug_in.to_rfc3339(), "2011-07-30T03:17:00+00:00");
//! assert_eq!(r.records[0].charging_s, Some(6843));
//! assert_eq!((r.errors[0].line, r.errors[0].column.as_deref()), (4, Some("Start Date")));
//! ```

use super::record::{EndedBy, Fees, SessionRecord};
use crate::units::{Energy, Power};
use crate::Error;
use chrono::{
    DateTime, Duration, FixedOffset, LocalResult, NaiveDate, NaiveDateTime, Offset, TimeZone, Utc,
};
use chrono_tz::Tz;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::str::FromStr;

/// The column layout of an export.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[serde(rename_all = "snake_case")]
pub enum CsvShape {
    /// Caltech ACN-Data sessions (`connectionTime`, `kWhDelivered`, RFC 1123 GMT times).
    AcnData,
    /// ChargePoint "Session Details" (Palo Alto; Boulder's ArcGIS column names too).
    ChargePoint,
    /// Dundee city council (`SDR ID`, `CP ID`, `Start`, `End`, `Consum(kWh)`).
    Dundee,
}

/// How to read an export.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[serde(default, deny_unknown_fields)]
pub struct ImportOptions {
    /// The shape; detected from the header when absent.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub shape: Option<CsvShape>,
    /// Time zone of local times in the file (ChargePoint, Dundee).
    #[serde(with = "super::time::tz_name")]
    #[cfg_attr(feature = "uniffi", uniffi(default = "UTC"))]
    pub tz: Tz,
    /// Site id given to every record (ACN's `siteID` wins when present).
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub site_id: Option<String>,
    /// Drop later rows that repeat a session id (default true).
    #[cfg_attr(feature = "uniffi", uniffi(default = true))]
    pub dedupe: bool,
}

impl Default for ImportOptions {
    fn default() -> Self {
        Self {
            shape: None,
            tz: Tz::UTC,
            site_id: None,
            dedupe: true,
        }
    }
}

impl ImportOptions {
    /// Options for local times in `tz`, all else default.
    pub fn for_tz(tz: Tz) -> Self {
        Self {
            tz,
            ..Self::default()
        }
    }
}

/// A problem with one row (an error drops the row; a warning keeps it). `CsvRowIssue` in
/// Kotlin and Swift.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[cfg_attr(feature = "uniffi", uniffi(name = "CsvRowIssue"))]
pub struct RowIssue {
    /// 1-based line of the row in the text (the header is line 1).
    pub line: u64,
    /// The column, as written in the header, when one is at fault.
    pub column: Option<String>,
    /// What is wrong.
    pub message: String,
}

/// The result of an import (`CsvImport` in Kotlin and Swift).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[cfg_attr(feature = "uniffi", uniffi(name = "CsvImport"))]
pub struct ImportReport {
    /// The shape read.
    pub shape: CsvShape,
    /// Data rows read (not counting the header).
    pub rows: u64,
    /// Sessions imported, in file order.
    pub records: Vec<SessionRecord>,
    /// Rows that could not be imported.
    pub errors: Vec<RowIssue>,
    /// Rows imported with a remark (e.g. a local time in a DST gap).
    pub warnings: Vec<RowIssue>,
    /// Rows dropped because an earlier row had the same session id.
    pub duplicates_removed: u64,
}

/// Reads an export. Fails only when the header is unusable; row problems are reported in
/// the [`ImportReport`].
pub fn import_csv(text: &str, options: &ImportOptions) -> Result<ImportReport, Error> {
    let mut rdr = csv::ReaderBuilder::new()
        .flexible(true)
        .from_reader(text.trim_start_matches('\u{feff}').as_bytes());
    let headers = rdr
        .headers()
        .map_err(|e| Error::CsvHeader {
            reason: e.to_string(),
        })?
        .clone();
    let cols = Columns::new(&headers);
    let shape = match options.shape {
        Some(s) => s,
        None => cols.detect()?,
    };
    let mut report = ImportReport {
        shape,
        rows: 0,
        records: Vec::new(),
        errors: Vec::new(),
        warnings: Vec::new(),
        duplicates_removed: 0,
    };
    let mut seen: HashMap<String, usize> = HashMap::new();
    for row in rdr.records() {
        report.rows += 1;
        let row = match row {
            Ok(r) => r,
            Err(e) => {
                let line = e.position().map(|p| p.line()).unwrap_or(0);
                report.errors.push(RowIssue {
                    line,
                    column: None,
                    message: e.to_string(),
                });
                continue;
            }
        };
        let line = row.position().map(|p| p.line()).unwrap_or(0);
        let mut ctx = Row {
            cols: &cols,
            row: &row,
            line,
            tz: options.tz,
            warnings: Vec::new(),
        };
        let parsed = match shape {
            CsvShape::AcnData => acn(&mut ctx),
            CsvShape::ChargePoint => chargepoint(&mut ctx),
            CsvShape::Dundee => dundee(&mut ctx),
        };
        report.warnings.append(&mut ctx.warnings);
        let mut rec = match parsed {
            Ok(r) => r,
            Err(issue) => {
                report.errors.push(issue);
                continue;
            }
        };
        if rec.site_id.is_none() {
            rec.site_id.clone_from(&options.site_id);
        }
        if options.dedupe {
            if let Some(&i) = seen.get(&rec.session_id) {
                report.duplicates_removed += 1;
                if report.records.get(i) != Some(&rec) {
                    report.warnings.push(RowIssue {
                        line,
                        column: None,
                        message: format!(
                            "session id {} repeats an earlier row with other values; kept the first",
                            rec.session_id
                        ),
                    });
                }
                continue;
            }
            seen.insert(rec.session_id.clone(), report.records.len());
        }
        report.records.push(rec);
    }
    Ok(report)
}

/// Header names normalised to lower-case letters and digits (`"Energy (kWh)"` → `energykwh`).
struct Columns {
    names: Vec<String>,
    index: HashMap<String, usize>,
}

fn norm(s: &str) -> String {
    s.chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

impl Columns {
    fn new(h: &csv::StringRecord) -> Self {
        let names: Vec<String> = h.iter().map(|s| s.trim().to_string()).collect();
        let mut index = HashMap::new();
        for (i, n) in names.iter().enumerate() {
            index.entry(norm(n)).or_insert(i);
        }
        Self { names, index }
    }

    fn find(&self, aliases: &[&str]) -> Option<usize> {
        aliases.iter().find_map(|a| self.index.get(*a).copied())
    }

    fn detect(&self) -> Result<CsvShape, Error> {
        let has = |a: &str| self.index.contains_key(a);
        if has("connectiontime") && has("kwhdelivered") {
            Ok(CsvShape::AcnData)
        } else if has("sdrid") || (has("cpid") && has("consumkwh")) {
            Ok(CsvShape::Dundee)
        } else if (has("startdate") || has("startdatetime")) && has("energykwh") {
            Ok(CsvShape::ChargePoint)
        } else {
            Err(Error::CsvHeader { reason: format!(
                "unknown export shape (columns: {}); expected ACN-Data (connectionTime, kWhDelivered), \
                 ChargePoint (Start Date, Energy (kWh)) or Dundee (SDR ID, CP ID, Consum(kWh))",
                self.names.join(", ")
            ) })
        }
    }
}

struct Row<'a> {
    cols: &'a Columns,
    row: &'a csv::StringRecord,
    line: u64,
    tz: Tz,
    warnings: Vec<RowIssue>,
}

/// Values that mean "nothing here" in operator exports.
fn is_blank(s: &str) -> bool {
    let t = s.trim();
    t.is_empty()
        || t.chars().all(|c| c == '-' || c.is_whitespace())
        || t.eq_ignore_ascii_case("none")
        || t.eq_ignore_ascii_case("null")
        || t.eq_ignore_ascii_case("nan")
}

impl Row<'_> {
    fn col_name(&self, i: usize) -> String {
        self.cols.names.get(i).cloned().unwrap_or_default()
    }

    fn issue(&self, col: Option<usize>, message: impl Into<String>) -> RowIssue {
        RowIssue {
            line: self.line,
            column: col.map(|i| self.col_name(i)),
            message: message.into(),
        }
    }

    fn warn(&mut self, col: Option<usize>, message: impl Into<String>) {
        let w = self.issue(col, message);
        self.warnings.push(w);
    }

    /// The non-blank value of the first present alias, with its column.
    fn get(&self, aliases: &[&str]) -> Option<(usize, &str)> {
        let i = self.cols.find(aliases)?;
        let v = self.row.get(i)?.trim();
        (!is_blank(v)).then_some((i, v))
    }

    fn require(&self, aliases: &[&str], what: &str) -> Result<(usize, &str), RowIssue> {
        match self.cols.find(aliases) {
            None => Err(self.issue(None, format!("no {what} column"))),
            Some(i) => self
                .get(aliases)
                .ok_or_else(|| self.issue(Some(i), format!("{what} is empty"))),
        }
    }

    fn text(&self, aliases: &[&str]) -> Option<String> {
        self.get(aliases).map(|(_, v)| v.to_string())
    }

    fn decimal(&self, aliases: &[&str], what: &str) -> Result<Option<Decimal>, RowIssue> {
        match self.get(aliases) {
            None => Ok(None),
            Some((i, v)) => parse_decimal(v)
                .map(Some)
                .ok_or_else(|| self.issue(Some(i), format!("{what} {v:?} is not a number"))),
        }
    }

    fn duration(&self, aliases: &[&str], what: &str) -> Result<Option<i64>, RowIssue> {
        match self.get(aliases) {
            None => Ok(None),
            Some((i, v)) => parse_duration(v).map(Some).ok_or_else(|| {
                self.issue(Some(i), format!("{what} {v:?} is not a duration hh:mm:ss"))
            }),
        }
    }

    /// A local time (or an Excel serial date) in the row's zone, disambiguated by an
    /// abbreviation column ("PDT") when the file has one.
    fn local_time(
        &mut self,
        aliases: &[&str],
        zone_aliases: &[&str],
        what: &str,
        formats: &[&str],
    ) -> Result<Option<DateTime<Utc>>, RowIssue> {
        let Some((i, v)) = self.get(aliases) else {
            return Ok(None);
        };
        let v = v.to_string();
        // A time with its own offset (ArcGIS writes "2018/01/01 17:49:00+00") is an instant.
        if let Some(t) = parse_instant(&v) {
            return Ok(Some(t));
        }
        let abbr = self.text(zone_aliases);
        let naive = parse_naive(&v, formats).ok_or_else(|| {
            self.issue(
                Some(i),
                format!("{what} {v:?} is not a date (expected e.g. {})", formats[0]),
            )
        })?;
        let (t, note) = resolve_local(self.tz, naive, abbr.as_deref());
        if let Some(n) = note {
            self.warn(Some(i), format!("{what} {v:?}: {n}"));
        }
        Ok(Some(t))
    }

    /// An instant written with its zone (RFC 1123 / RFC 3339), else a local time.
    fn instant(&self, aliases: &[&str], what: &str) -> Result<Option<DateTime<Utc>>, RowIssue> {
        let Some((i, v)) = self.get(aliases) else {
            return Ok(None);
        };
        parse_instant(v)
            .or_else(|| {
                parse_naive(v, LOCAL_FORMATS).map(|n| resolve_local(self.tz, n, None).0)
            })
            .map(Some)
            .ok_or_else(|| {
                self.issue(
                    Some(i),
                    format!(
                        "{what} {v:?} is not a time (expected e.g. \"Wed, 02 Jan 2019 14:57:25 GMT\")"
                    ),
                )
            })
    }
}

const LOCAL_FORMATS: &[&str] = &[
    "%m/%d/%Y %H:%M",
    "%m/%d/%Y %H:%M:%S",
    "%Y/%m/%d %H:%M:%S",
    "%Y/%m/%d %H:%M",
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M",
    "%Y-%m-%dT%H:%M:%S",
    "%m/%d/%y %H:%M",
];

const DUNDEE_FORMATS: &[&str] = &["%d/%m/%Y %H:%M", "%d/%m/%Y %H:%M:%S", "%Y-%m-%d %H:%M:%S"];

fn parse_decimal(s: &str) -> Option<Decimal> {
    let t: String = s
        .trim()
        .chars()
        .filter(|c| *c != ',' && *c != '$')
        .collect();
    Decimal::from_str(&t)
        .or_else(|_| Decimal::from_scientific(&t))
        .ok()
}

/// `hh:mm:ss` with any number of hours ("95:06:31"), or `hh:mm`.
pub(crate) fn parse_duration(s: &str) -> Option<i64> {
    let parts: Vec<&str> = s.trim().split(':').collect();
    let nums: Option<Vec<i64>> = parts.iter().map(|p| p.trim().parse::<i64>().ok()).collect();
    let nums = nums?;
    if nums.iter().any(|n| *n < 0) {
        return None;
    }
    let (h, m, s) = match nums.as_slice() {
        [h, m, s] if *m < 60 && *s < 60 => (*h, *m, *s),
        [h, m] if *m < 60 => (*h, *m, 0),
        _ => return None,
    };
    // At most 100 years.
    (h <= 876_600).then(|| h * 3600 + m * 60 + s)
}

/// A local wall time from one of `formats`, or an Excel serial date (days since 1899-12-30).
fn parse_naive(s: &str, formats: &[&str]) -> Option<NaiveDateTime> {
    let t = s.trim();
    for f in formats {
        if let Ok(n) = NaiveDateTime::parse_from_str(t, f) {
            return Some(n);
        }
    }
    let serial = Decimal::from_str(t).ok()?;
    if serial <= Decimal::ZERO || serial > Decimal::from(2_958_465) {
        return None;
    }
    let secs = (serial * Decimal::from(86_400)).round();
    let secs = i64::try_from(secs).ok()?;
    let epoch = NaiveDate::from_ymd_opt(1899, 12, 30)?.and_hms_opt(0, 0, 0)?;
    epoch.checked_add_signed(Duration::seconds(secs))
}

fn parse_instant(s: &str) -> Option<DateTime<Utc>> {
    let t = s.trim();
    DateTime::parse_from_rfc2822(t)
        .or_else(|_| DateTime::parse_from_rfc3339(t))
        .or_else(|_| DateTime::parse_from_str(t, "%Y/%m/%d %H:%M:%S%#z"))
        .or_else(|_| DateTime::parse_from_str(t, "%Y-%m-%d %H:%M:%S%#z"))
        .map(|d| d.with_timezone(&Utc))
        .ok()
}

/// UTC offsets of the zone abbreviations operator exports use.
fn abbreviation_offset(abbr: &str) -> Option<FixedOffset> {
    let h = match abbr.trim().to_ascii_uppercase().as_str() {
        "UTC" | "GMT" | "Z" => 0,
        "BST" | "CET" | "WAT" => 1,
        "CEST" | "EET" => 2,
        "EEST" => 3,
        "EST" | "CDT" => -5,
        "EDT" => -4,
        "CST" | "MDT" => -6,
        "MST" | "PDT" => -7,
        "PST" | "AKDT" => -8,
        "AKST" | "HDT" => -9,
        "HST" => -10,
        _ => return None,
    };
    FixedOffset::east_opt(h * 3600)
}

/// A local wall time in `tz` as an instant, with a note when it needed a choice:
/// an ambiguous (repeated) time takes the abbreviation's offset, else the earlier one; a
/// time in a DST gap is read with the offset before the gap.
fn resolve_local(
    tz: Tz,
    naive: NaiveDateTime,
    abbr: Option<&str>,
) -> (DateTime<Utc>, Option<String>) {
    let by_abbr = abbr.and_then(abbreviation_offset);
    match tz.from_local_datetime(&naive) {
        LocalResult::Single(t) => {
            let t = t.with_timezone(&Utc);
            match by_abbr {
                Some(off) if off != tz.offset_from_utc_datetime(&t.naive_utc()).fix() => {
                    let fixed = naive
                        .checked_sub_signed(Duration::seconds(i64::from(off.local_minus_utc())))
                        .map_or(t, |n| n.and_utc());
                    (
                        fixed,
                        Some(format!(
                            "zone {} used instead of {}",
                            abbr.unwrap_or(""),
                            tz.name()
                        )),
                    )
                }
                _ => (t, None),
            }
        }
        LocalResult::Ambiguous(a, b) => {
            let pick = match by_abbr {
                Some(off) if b.offset().fix() == off => b,
                Some(off) if a.offset().fix() == off => a,
                _ => a,
            };
            let note = by_abbr
                .is_none()
                .then(|| "repeated local time (DST fall-back); took the earlier".to_string());
            (pick.with_timezone(&Utc), note)
        }
        LocalResult::None => {
            let probe = naive
                .checked_sub_signed(Duration::hours(3))
                .unwrap_or(naive);
            let before = tz.offset_from_utc_datetime(&probe).fix();
            let off = by_abbr.unwrap_or(before);
            let t = naive
                .checked_sub_signed(Duration::seconds(i64::from(off.local_minus_utc())))
                .unwrap_or(naive)
                .and_utc();
            (
                t,
                Some("local time in a DST gap; read with the offset before the gap".into()),
            )
        }
    }
}

fn energy(kwh: Decimal, row: &Row<'_>, col: usize) -> Result<Energy, RowIssue> {
    if kwh < Decimal::ZERO {
        return Err(row.issue(Some(col), format!("negative energy {kwh}")));
    }
    if kwh > Decimal::from(1_000_000_000) {
        return Err(row.issue(Some(col), format!("energy {kwh} kWh is not plausible")));
    }
    Ok(Energy::from_kwh(kwh))
}

fn acn(r: &mut Row<'_>) -> Result<SessionRecord, RowIssue> {
    let (_, id) = r.require(&["sessionid", "id"], "session id")?;
    let id = id.to_string();
    let (_, station) = r.require(&["stationid"], "station id")?;
    let station = station.to_string();
    let plug_in = r
        .instant(&["connectiontime"], "connectionTime")?
        .ok_or_else(|| r.issue(r.cols.find(&["connectiontime"]), "connectionTime is empty"))?;
    let plug_out = r
        .instant(&["disconnecttime"], "disconnectTime")?
        .ok_or_else(|| r.issue(r.cols.find(&["disconnecttime"]), "disconnectTime is empty"))?;
    let done = r.instant(&["donechargingtime"], "doneChargingTime")?;
    let (kcol, _) = r.require(&["kwhdelivered"], "kWhDelivered")?;
    let kwh = r
        .decimal(&["kwhdelivered"], "kWhDelivered")?
        .unwrap_or_default();
    let mut rec = SessionRecord::new(id, station, "1", plug_in, plug_out, energy(kwh, r, kcol)?);
    rec.site_id = r.text(&["siteid"]);
    rec.user_id = r.text(&["userid"]);
    rec.charge_start = Some(plug_in);
    rec.charge_end = done;
    Ok(rec)
}

fn chargepoint(r: &mut Row<'_>) -> Result<SessionRecord, RowIssue> {
    let (_, station) = r.require(&["stationname"], "station name")?;
    let station = station.to_string();
    let start_aliases = ["startdate", "startdatetime"];
    let plug_in = r
        .local_time(&start_aliases, &["starttimezone"], "start", LOCAL_FORMATS)?
        .ok_or_else(|| r.issue(r.cols.find(&start_aliases), "start is empty"))?;
    let end = r.local_time(
        &["enddate", "enddatetime"],
        &["endtimezone"],
        "end",
        LOCAL_FORMATS,
    )?;
    let total = r.duration(&["totaldurationhhmmss", "totalduration"], "total duration")?;
    let charging = r.duration(&["chargingtimehhmmss", "chargingtime"], "charging time")?;
    let plug_out = match (end, total) {
        (Some(e), Some(d)) => {
            let by_duration = plug_in
                .checked_add_signed(Duration::seconds(d))
                .unwrap_or(e);
            if (e - by_duration).num_seconds().abs() > 120 {
                let col = r.cols.find(&["enddate", "enddatetime"]);
                r.warn(
                    col,
                    format!(
                        "end differs from start + total duration by {} s",
                        (e - by_duration).num_seconds()
                    ),
                );
            }
            e
        }
        (Some(e), None) => e,
        (None, Some(d)) => plug_in
            .checked_add_signed(Duration::seconds(d))
            .ok_or_else(|| {
                r.issue(
                    r.cols.find(&["totaldurationhhmmss", "totalduration"]),
                    "total duration out of range",
                )
            })?,
        (None, None) => {
            return Err(r.issue(
                r.cols.find(&["enddate", "enddatetime"]),
                "neither an end nor a total duration",
            ))
        }
    };
    let ecols = ["energykwh"];
    let (kcol, _) = r.require(&ecols, "energy")?;
    let kwh = r.decimal(&ecols, "energy")?.unwrap_or_default();
    let port = r
        .text(&["portnumber", "port"])
        .unwrap_or_else(|| "1".into());
    let id = r
        .text(&["plugineventid", "sessionid"])
        .unwrap_or_else(|| format!("{station}@{}", plug_in.to_rfc3339()));
    let mut rec = SessionRecord::new(id, station, port, plug_in, plug_out, energy(kwh, r, kcol)?);
    // The meter variant's plug and power times.
    if let Some(t) = r.local_time(
        &["plugconnecttime"],
        &["starttimezone"],
        "plug connect time",
        LOCAL_FORMATS,
    )? {
        rec.tx_start = Some(rec.plug_in);
        rec.plug_in = t;
    }
    if let Some(t) = r.local_time(
        &["plugdisconnecttime"],
        &["endtimezone"],
        "plug disconnect time",
        LOCAL_FORMATS,
    )? {
        rec.tx_end = Some(rec.plug_out);
        rec.plug_out = t;
    }
    rec.charge_start = r.local_time(
        &["powerstarttime"],
        &["starttimezone"],
        "power start time",
        LOCAL_FORMATS,
    )?;
    rec.charge_end = r.local_time(
        &["powerendtime"],
        &["endtimezone"],
        "power end time",
        LOCAL_FORMATS,
    )?;
    rec.charging_s = charging;
    rec.user_id = r.text(&["userid"]);
    rec.stop_reason = r.text(&["endedby"]);
    rec.ended_by = rec.stop_reason.as_deref().map(EndedBy::from_reason);
    if let Some(kw) = r.decimal(&["peakpowerackw", "peakpowerkw"], "peak power")? {
        rec.peak_power = Some(Power::from_w(kw.saturating_mul(Decimal::ONE_THOUSAND)));
    }
    if let Some(fee) = r.decimal(&["fee"], "fee")? {
        rec.fees = Some(Fees {
            total: Some(fee),
            ..Fees::default()
        });
    }
    Ok(rec)
}

fn dundee(r: &mut Row<'_>) -> Result<SessionRecord, RowIssue> {
    let (_, station) = r.require(&["cpid"], "CP ID")?;
    let station = station.to_string();
    let plug_in = r
        .local_time(&["start", "startdate"], &[], "start", DUNDEE_FORMATS)?
        .ok_or_else(|| r.issue(r.cols.find(&["start", "startdate"]), "start is empty"))?;
    let end = r.local_time(&["end", "enddate"], &[], "end", DUNDEE_FORMATS)?;
    let duration = match r.duration(&["duration"], "duration") {
        Ok(d) => d,
        Err(w) => {
            r.warnings.push(w);
            None
        }
    };
    let plug_out = end
        .or_else(|| duration.and_then(|d| plug_in.checked_add_signed(Duration::seconds(d))))
        .ok_or_else(|| {
            r.issue(
                r.cols.find(&["end", "enddate"]),
                "neither an end nor a duration",
            )
        })?;
    let ecols = ["consumkwh", "energykwh", "consumptionkwh"];
    let (kcol, _) = r.require(&ecols, "consumption")?;
    let kwh = r.decimal(&ecols, "consumption")?.unwrap_or_default();
    let id = r
        .text(&["sdrid"])
        .unwrap_or_else(|| format!("{station}@{}", plug_in.to_rfc3339()));
    let mut rec = SessionRecord::new(id, station, "1", plug_in, plug_out, energy(kwh, r, kcol)?);
    rec.site_id = r.text(&["site"]);
    Ok(rec)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn durations_and_blanks() {
        assert_eq!(parse_duration("95:06:31"), Some(95 * 3600 + 6 * 60 + 31));
        assert_eq!(parse_duration("0:01:55"), Some(115));
        assert_eq!(parse_duration("1:75:00"), None);
        assert!(is_blank(" -   "));
        assert!(is_blank("None"));
    }

    #[test]
    fn excel_serial_dates() {
        let n = parse_naive("40753.5", LOCAL_FORMATS).unwrap();
        assert_eq!(n.to_string(), "2011-07-29 12:00:00");
    }
}
