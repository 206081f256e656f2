//! Arrow tables in and out (feature `arrow`): OCPP frames, sessions, session records and
//! site summaries as Arrow record batches, for engines that pass data around as Arrow
//! (Spark, Dask, DataFusion, polars, DuckDB) and for the Python `chargekit.arrow` module.
//!
//! Owns: the documented schemas and their exact converters; [`SessionsFromFrames`], the
//! station-by-station job from frames to sessions.
//! Imports: `session`, `analytics`, `ocpp`, `meter` (the top layer, beside `report`).
//!
//! Exactness rules (docs/arrow.md):
//! - Every decimal column written is `decimal128(38, 6)` ([`DECIMAL_SCALE`]). A value
//!   with more decimal places is an [`Error::ArrowValue`], never rounded. Read columns may
//!   be `decimal128` of any scale or integers; floats are refused.
//! - Every timestamp written is `timestamp[us, UTC]`; one with nanoseconds is an error. Read
//!   timestamps may have any unit but must name a time zone: a naive timestamp is an
//!   [`Error::ArrowSchema`], since guessing its zone would shift every session.
//! - Text may come as `utf8`, `large_utf8` or `utf8_view`.
//!
//! ```
//! use chargekit::arrow::{records_from_batch, records_to_batch};
//! use chargekit::analytics::SessionRecord;
//! use chargekit::units::Energy;
//! use rust_decimal_macros::dec;
//! let at = |h: i64| chrono::DateTime::from_timestamp(1_773_129_600 + h * 3600, 0).unwrap();
//! let record = SessionRecord::new("s1", "CP-1", "1", at(0), at(2), Energy::from_wh(dec!(7400.5)));
//! let batch = records_to_batch(&[record.clone()]).unwrap();
//! assert_eq!(batch.schema().field_with_name("energy_wh").unwrap().data_type().to_string(),
//!            "Decimal128(38, 6)");
//! assert_eq!(records_from_batch(&batch).unwrap(), vec![record]);
//! ```

mod build;
mod columns;
mod priced;
mod records;
mod sessions;
mod summary;
mod values;

pub use sessions::{SessionsFromFrames, Stream};

use crate::analytics::{SessionRecord, SiteAccumulator, SiteSummary, SummaryOptions};
use crate::session::Session;
use crate::Error;
use arrow_array::{RecordBatch, StringArray, TimestampMicrosecondArray};
use arrow_schema::{Field, Schema, SchemaRef};
use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use std::sync::Arc;

/// The scale of every decimal column chargekit writes: micro-units (µWh, µW, 10⁻⁶ of a
/// currency unit), enough for every value the core computes from meter data.
pub const DECIMAL_SCALE: i8 = 6;

/// The schema of OCPP frames: `station_id` (utf8), `received_at` (timestamp[us, UTC],
/// nullable: when the central system received the frame) and `frame` (utf8: the raw OCPP-J
/// text of one frame, e.g. `[2,"19","MeterValues",{…}]`).
///
/// ```
/// let schema = chargekit::arrow::frames_schema();
/// assert_eq!(schema.fields().len(), 3);
/// assert!(schema.field_with_name("received_at").unwrap().is_nullable());
/// ```
pub fn frames_schema() -> SchemaRef {
    Arc::new(Schema::new(vec![
        Field::new("station_id", arrow_schema::DataType::Utf8, false),
        Field::new("received_at", build::timestamp_type(), true),
        Field::new("frame", arrow_schema::DataType::Utf8, false),
    ]))
}

/// A frames batch from `(station_id, received_at, frame text)` rows.
///
/// ```
/// let batch = chargekit::arrow::frames_batch(&[("CP-1", None, r#"[2,"1","Heartbeat",{}]"#)]).unwrap();
/// assert_eq!(batch.num_rows(), 1);
/// ```
pub fn frames_batch(rows: &[(&str, Option<DateTime<Utc>>, &str)]) -> Result<RecordBatch, Error> {
    let mut micros = Vec::with_capacity(rows.len());
    for (row, (_, at, _)) in rows.iter().enumerate() {
        let cell = values::Cell {
            column: "received_at",
            row,
        };
        micros.push(
            at.map(|at| values::instant_to_micros(at, cell))
                .transpose()?,
        );
    }
    let stations: StringArray = rows.iter().map(|r| Some(r.0)).collect();
    let frames: StringArray = rows.iter().map(|r| Some(r.2)).collect();
    let received = TimestampMicrosecondArray::from(micros).with_timezone("UTC");
    RecordBatch::try_new(
        frames_schema(),
        vec![Arc::new(stations), Arc::new(received), Arc::new(frames)],
    )
    .map_err(|e| Error::Internal {
        reason: format!("building the frames batch: {e}"),
    })
}

/// The schema of session records (the analytics input): see [`records_to_batch`].
pub fn records_schema() -> SchemaRef {
    schema_of(records_to_batch(&[]))
}

/// The schema of sessions: the session-record columns, then `transaction_id`,
/// `stable_key`, `ocpp_version`, `evse_id`, `connector_id`, `state`, `start`, `end`,
/// `last_seen`, `meter_start_wh`, `meter_stop_wh`, `energy_export_wh`, `energy_net_wh`,
/// `energy_method`, `discharging_s`, `idle_s`, `overstay_s`, `anomalies` (list<utf8> of
/// anomaly kinds), `tariff_id`, `max_cost` and `timezone` (the site's IANA zone).
pub fn sessions_schema() -> SchemaRef {
    schema_of(sessions_to_batch(&[], None))
}

/// The schema of priced sessions ([`SessionsFromFrames::with_pricing`]): `session_id`,
/// `station_id`, `transaction_id`, `currency` (utf8), `tariff_ids` (list<utf8>),
/// `total_excl_vat`, `total_vat`, `total_incl_vat`, `energy_cost`, `time_cost`,
/// `parking_cost`, `fixed_cost` (decimal128, the dimension costs excluding VAT),
/// `total_energy_wh`, `billed_energy_wh` (decimal128, Wh as in the sessions table), and
/// `error_kind` / `error` (utf8): a session that cannot be priced (no tariff valid at its start, say) has null amounts and
/// its error's kind and sentence, so one bad session does not stop the job.
pub fn priced_schema() -> SchemaRef {
    let pricing = priced::Pricing {
        tariffs: Vec::new(),
        timezone: chrono_tz::UTC,
        policy: crate::billing::PricingPolicy::default(),
    };
    schema_of(priced::write(&[], &pricing))
}

/// The schema of site summaries: see [`summary_to_batch`].
pub fn summary_schema() -> SchemaRef {
    schema_of(summary_to_batch(&[]))
}

fn schema_of(empty: Result<RecordBatch, Error>) -> SchemaRef {
    // An empty batch has no value that could fail to convert.
    empty.map_or_else(|_| Arc::new(Schema::empty()), |b| b.schema())
}

/// Session records as one batch, one row per record: `session_id`, `station_id`,
/// `port_id`, `site_id`, `user_id` (utf8); `plug_in`, `plug_out`, `tx_start`, `tx_end`,
/// `charge_start`, `charge_end` (timestamp[us, UTC]); `energy_wh` (decimal128); `charging_s`,
/// `throttled_s` (int64); `peak_power_w`, `rated_power_w`, `soc_start`, `soc_end`
/// (decimal128); `ended_by`, `stop_reason` (utf8); `error_codes` (list<utf8>);
/// `fees_total`, `fees_energy`, `fees_session`, `fees_time` (decimal128); `payment_type`
/// (utf8). All but the ids, plug times and energy are nullable.
pub fn records_to_batch(records: &[SessionRecord]) -> Result<RecordBatch, Error> {
    let mut out = build::Columns::default();
    records::write(&mut out, records)?;
    out.finish()
}

/// Session records from a batch holding at least `session_id`, `station_id`, `port_id`,
/// `plug_in`, `plug_out` and `energy_wh`; the other record columns are read when present,
/// columns of other names are ignored (so a sessions table reads as it is).
pub fn records_from_batch(batch: &RecordBatch) -> Result<Vec<SessionRecord>, Error> {
    records::read(batch)
}

/// The session records of every batch, in order ([`records_from_batch`] of each); the
/// first error (of a batch or of its reading) stops.
pub fn records_from_batches(
    batches: impl IntoIterator<Item = Result<RecordBatch, Error>>,
) -> Result<Vec<SessionRecord>, Error> {
    let mut out = Vec::new();
    for batch in batches {
        records::for_each(&batch?, |r| out.push(r.clone()))?;
    }
    Ok(out)
}

/// Sessions as one batch ([`sessions_schema`]), naming `timezone` as the site's zone.
pub fn sessions_to_batch(sessions: &[Session], timezone: Option<Tz>) -> Result<RecordBatch, Error> {
    sessions::write(sessions, timezone)
}

/// Site summaries as one batch, one row each: `site_id`, `timezone`, `period_start`,
/// `period_end`, the counts `sessions_seen`, `sessions_used`, `sessions_excluded`,
/// `outliers_dropped`, `unique_users` (int64), the times `available_s`, `occupied_s`,
/// `charging_s`, `idle_s` (int64), and `summary`: the whole summary as JSON (exact
/// decimals), as [`SiteSummary::to_json`] writes it.
///
/// ```
/// use chargekit::analytics::{generate, summarize_fleet, GeneratorConfig};
/// let config = GeneratorConfig { days: 7, stations: 2, ..GeneratorConfig::default() };
/// let mut records = generate(&config).unwrap();
/// for r in &mut records {
///     r.site_id = Some(if r.station_id == "ST-1" { "north" } else { "south" }.into());
/// }
/// let report = summarize_fleet(&records, &config.summary_options().unwrap()).unwrap();
/// let rows = chargekit::arrow::summary_to_batch(&report.sites).unwrap();
/// assert_eq!(rows.num_rows(), 2);
/// assert_eq!(rows.schema(), chargekit::arrow::summary_schema());
/// ```
pub fn summary_to_batch(summaries: &[SiteSummary]) -> Result<RecordBatch, Error> {
    summary::write(summaries)
}

/// The summary of the session records in `batches` under `options`: exactly
/// [`crate::analytics::summarize`] of the same records. With a period in the options the
/// batches stream through one accumulator; without one, the records are collected first
/// to find the period.
///
/// ```
/// use chargekit::analytics::{generate, GeneratorConfig};
/// let config = GeneratorConfig::default();
/// let (records, options) = (generate(&config).unwrap(), config.summary_options().unwrap());
/// let batches: Vec<_> = records.chunks(500)
///     .map(|c| chargekit::arrow::records_to_batch(c).unwrap()).collect();
/// let from_arrow = chargekit::arrow::summarize(&batches, &options).unwrap();
/// assert_eq!(from_arrow, chargekit::analytics::summarize(&records, &options).unwrap());
/// assert_eq!(chargekit::arrow::summarize_parallel(&batches, &options, 3).unwrap(), from_arrow);
/// ```
pub fn summarize(batches: &[RecordBatch], options: &SummaryOptions) -> Result<SiteSummary, Error> {
    summarize_parallel(batches, options, 1)
}

/// [`summarize`] over `shards` threads, each reading its share of the rows (zero-copy
/// slices) into its own accumulator; the accumulators are merged at the end. Gives exactly
/// the result of [`summarize`].
pub fn summarize_parallel(
    batches: &[RecordBatch],
    options: &SummaryOptions,
    shards: usize,
) -> Result<SiteSummary, Error> {
    if options.period.is_none() {
        let mut all = Vec::new();
        for b in batches {
            all.extend(records_from_batch(b)?);
        }
        return crate::analytics::summarize_parallel(&all, options, shards.max(1));
    }
    let base = SiteAccumulator::new(options)?;
    let rows: usize = batches.iter().map(RecordBatch::num_rows).sum();
    let share = rows.div_ceil(shards.max(1)).max(1);
    let (mut parts, mut current, mut room) = (Vec::new(), Vec::new(), share);
    for b in batches {
        let mut offset = 0;
        while offset < b.num_rows() {
            let take = room.min(b.num_rows() - offset);
            current.push(b.slice(offset, take));
            (offset, room) = (offset + take, room - take);
            if room == 0 {
                parts.push(std::mem::take(&mut current));
                room = share;
            }
        }
    }
    parts.push(current);
    let accumulate = |part: &Vec<RecordBatch>| -> Result<SiteAccumulator, Error> {
        let mut acc = base.empty_like();
        for b in part {
            acc.reserve(b.num_rows());
            records::for_each(b, |r| acc.add(r))?;
        }
        Ok(acc)
    };
    let done: Vec<Result<SiteAccumulator, Error>> = std::thread::scope(|scope| {
        let handles: Vec<_> = parts
            .iter()
            .map(|part| scope.spawn(|| accumulate(part)))
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().unwrap_or(Err(Error::ShardFailed)))
            .collect()
    });
    let mut total = base;
    for acc in done {
        total.merge(acc?)?;
    }
    total.finish()
}
