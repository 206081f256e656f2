//! Arrow tables (feature `arrow`): frames → sessions equal the single-process result on the
//! sample site however the frames are split, shuffled or sorted; records and summaries
//! cross exactly; what cannot cross exactly is a typed error.
#![cfg(feature = "arrow")]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use arrow_array::{
    Array, ArrayRef, Decimal128Array, Float64Array, Int64Array, RecordBatch, StringArray,
    TimestampMillisecondArray, TimestampNanosecondArray, TimestampSecondArray,
};
use arrow_schema::{DataType, Field, Schema};
use chargekit::analytics::{generate, GeneratorConfig, SessionRecord};
use chargekit::arrow::{
    frames_batch, records_from_batch, records_to_batch, sessions_to_batch, summarize,
    summarize_parallel, summary_to_batch, SessionsFromFrames, DECIMAL_SCALE,
};
use chargekit::meter::MeterPolicy;
use chargekit::session::sessions_from_log;
use chargekit::units::Energy;
use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use proptest::prelude::*;
use rust_decimal::Decimal;
use std::sync::Arc;

const LOGS: &[(&str, &str)] = &[
    (
        "CP-ALPHA",
        include_str!("../../examples/data/site-day-ocpp16.jsonl"),
    ),
    (
        "CP-BRAVO",
        include_str!("../../examples/data/site-day-ocpp201.jsonl"),
    ),
    (
        "CP-V2X",
        include_str!("../../examples/data/v2x-session-ocpp21.jsonl"),
    ),
];

/// Every frame with a receive time in file (arrival) order, so shuffles can be undone.
fn rows() -> Vec<Row<'static>> {
    let base = DateTime::from_timestamp(1_773_100_000, 0).unwrap();
    LOGS.iter()
        .flat_map(|(station, log)| log.lines().map(move |l| (*station, l)))
        .enumerate()
        .map(|(i, (station, l))| (station, Some(base + chrono::Duration::seconds(i as i64)), l))
        .collect()
}

/// One station's frames, in arrival order and in envelopes with their receive times.
fn station_log(station: &str) -> String {
    rows()
        .iter()
        .filter(|(s, _, _)| *s == station)
        .map(|(_, at, line)| {
            let v: serde_json::Value = serde_json::from_str(line).unwrap();
            let frame = v.get("frame").cloned().unwrap_or(v);
            serde_json::json!({"received_at": at.unwrap().to_rfc3339(), "frame": frame}).to_string()
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// One station's sessions in a single process: its log through `sessions_from_log`.
fn station_sessions(station: &str) -> Vec<chargekit::session::Session> {
    sessions_from_log(
        station,
        &station_log(station),
        None,
        &MeterPolicy::default(),
    )
    .unwrap()
}

/// The single-process result, station by station.
fn expected(tz: Option<Tz>) -> Vec<RecordBatch> {
    LOGS.iter()
        .map(|(station, _)| sessions_to_batch(&station_sessions(station), tz).unwrap())
        .collect()
}

type Row<'a> = (&'a str, Option<DateTime<Utc>>, &'a str);

fn run(chunks: &[Vec<Row<'_>>], presorted: bool) -> Vec<RecordBatch> {
    let tz: Tz = "Europe/Berlin".parse().unwrap();
    let mut job = SessionsFromFrames::new(None, MeterPolicy::default(), Some(tz), presorted);
    let mut out = Vec::new();
    for c in chunks {
        out.extend(job.push(&frames_batch(c).unwrap()).unwrap());
    }
    out.extend(job.finish().unwrap());
    out
}

/// A deterministic shuffle (xorshift), so the test needs no RNG crate.
fn shuffled<T: Clone>(items: &[T], seed: u64) -> Vec<T> {
    let mut v = items.to_vec();
    let mut s = seed | 1;
    for i in (1..v.len()).rev() {
        s ^= s << 13;
        s ^= s >> 7;
        s ^= s << 17;
        v.swap(i, (s % (i as u64 + 1)) as usize);
    }
    v
}

#[test]
fn frames_become_the_single_process_sessions_however_split() {
    let want = expected(Some("Europe/Berlin".parse().unwrap()));
    assert_eq!(
        want.iter().map(RecordBatch::num_rows).sum::<usize>(),
        7 + 6 + 1
    );
    let all = rows();
    for parts in [1, 2, 7] {
        let size = all.len().div_ceil(parts);
        let chunks: Vec<_> = all.chunks(size).map(<[_]>::to_vec).collect();
        assert_eq!(run(&chunks, true), want, "presorted, {parts} chunks");
        // Shuffled within and across stations: grouped internally, same sessions.
        let mixed = shuffled(&all, parts as u64);
        let chunks: Vec<_> = mixed.chunks(size).map(<[_]>::to_vec).collect();
        assert_eq!(run(&chunks, false), want, "shuffled, {parts} chunks");
    }
}

#[test]
fn a_station_that_comes_back_is_refused_when_presorted() {
    let all = rows();
    let mut back = all.clone();
    back.push(all[0]);
    let mut job = SessionsFromFrames::new(None, MeterPolicy::default(), None, true);
    let err = job.push(&frames_batch(&back).unwrap()).unwrap_err();
    assert_eq!(err.kind(), "arrow_schema");
    assert!(err.to_string().contains("CP-ALPHA"), "{err}");
}

#[test]
fn a_bad_frame_is_named_by_its_row() {
    let mut all = rows();
    all.insert(5, ("CP-ALPHA", all[5].1, r#"[2,"x","MeterValues""#));
    let mut job = SessionsFromFrames::new(None, MeterPolicy::default(), None, false);
    job.push(&frames_batch(&all).unwrap()).unwrap();
    let err = match job.finish() {
        Err(e) => e,
        Ok(_) => panic!("the bad frame was accepted"),
    };
    match err {
        chargekit::Error::ArrowValue {
            column,
            row,
            reason,
        } => {
            assert_eq!((column.as_str(), row), ("frame", 5));
            assert!(reason.contains("CP-ALPHA"), "{reason}");
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn without_receive_times_row_order_is_arrival_order() {
    // The same shuffled frames with and without times: with them the arrival order is
    // restored; without, the rows' order is the arrival order and the assembler reports
    // the frames that came late for their station time.
    let mixed = shuffled(&rows(), 3);
    let timeless: Vec<_> = mixed.iter().map(|(s, _, f)| (*s, None, *f)).collect();
    let want = expected(Some("Europe/Berlin".parse().unwrap()));
    assert_eq!(run(&[mixed], false), want);
    let got = run(&[timeless], false);
    let kinds = |b: &RecordBatch| format!("{:?}", b.column_by_name("anomalies").unwrap());
    assert_ne!(kinds(&got[0]), kinds(&want[0]));
    assert_eq!(records_from_batch(&got[0]).unwrap().len(), 7);
}

fn generated() -> (Vec<SessionRecord>, chargekit::analytics::SummaryOptions) {
    let config = GeneratorConfig {
        days: 14,
        ..GeneratorConfig::default()
    };
    (
        generate(&config).unwrap(),
        config.summary_options().unwrap(),
    )
}

#[test]
fn records_round_trip_and_summaries_match() {
    let (records, options) = generated();
    let batch = records_to_batch(&records).unwrap();
    assert_eq!(records_from_batch(&batch).unwrap(), records);
    let batches: Vec<_> = records
        .chunks(97)
        .map(|c| records_to_batch(c).unwrap())
        .collect();
    let want = chargekit::analytics::summarize(&records, &options).unwrap();
    assert_eq!(summarize(&batches, &options).unwrap(), want);
    for shards in [1, 2, 7, 1000] {
        assert_eq!(
            summarize_parallel(&batches, &options, shards).unwrap(),
            want,
            "{shards}"
        );
    }
    let mut open = options.clone();
    open.period = None;
    assert_eq!(
        summarize(&batches, &open).unwrap(),
        chargekit::analytics::summarize(&records, &open).unwrap()
    );
    let table = summary_to_batch(std::slice::from_ref(&want)).unwrap();
    let json = table.column_by_name("summary").unwrap();
    let json = json.as_any().downcast_ref::<StringArray>().unwrap();
    assert_eq!(json.value(0), want.to_json());
}

#[test]
fn a_sessions_table_reads_as_records() {
    let sessions = sessions_from_log("CP-ALPHA", LOGS[0].1, None, &MeterPolicy::default()).unwrap();
    let batch = sessions_to_batch(&sessions, None).unwrap();
    let want: Vec<SessionRecord> = sessions.iter().map(SessionRecord::from).collect();
    assert_eq!(records_from_batch(&batch).unwrap(), want);
    let anomalies = batch.column_by_name("anomalies").unwrap();
    assert_eq!(anomalies.len(), 7);
}

fn one_column(name: &str, array: ArrayRef) -> RecordBatch {
    let base = records_to_batch(&generated().0[..3]).unwrap();
    let schema = base.schema();
    let mut fields: Vec<Field> = Vec::new();
    let mut columns: Vec<ArrayRef> = Vec::new();
    for (f, c) in schema.fields().iter().zip(base.columns()) {
        if f.name() == name {
            fields.push(Field::new(name, array.data_type().clone(), true));
            columns.push(array.clone());
        } else {
            fields.push(f.as_ref().clone());
            columns.push(c.clone());
        }
    }
    RecordBatch::try_new(Arc::new(Schema::new(fields)), columns).unwrap()
}

#[test]
fn columns_that_are_not_exact_are_refused_by_name() {
    let naive = one_column(
        "plug_in",
        Arc::new(TimestampSecondArray::from(vec![0, 1, 2])),
    );
    let err = records_from_batch(&naive).unwrap_err();
    assert_eq!(err.kind(), "arrow_schema");
    assert!(err.to_string().contains("without a time zone"), "{err}");
    let floats = one_column(
        "energy_wh",
        Arc::new(Float64Array::from(vec![1.5, 2.0, 3.0])),
    );
    let err = records_from_batch(&floats).unwrap_err();
    assert_eq!(
        (err.kind(), err.to_string().contains("energy_wh")),
        ("arrow_schema", true)
    );
    let mut missing = records_to_batch(&generated().0[..2]).unwrap();
    missing.remove_column(0);
    assert_eq!(
        records_from_batch(&missing).unwrap_err().kind(),
        "arrow_schema"
    );
    let null_energy = one_column(
        "energy_wh",
        Arc::new(
            Decimal128Array::from(vec![Some(1), None, Some(3)])
                .with_precision_and_scale(10, 2)
                .unwrap(),
        ),
    );
    match records_from_batch(&null_energy).unwrap_err() {
        chargekit::Error::ArrowValue { column, row, .. } => {
            assert_eq!((column.as_str(), row), ("energy_wh", 1))
        }
        other => panic!("{other:?}"),
    }
    let mut record = generated().0[0].clone();
    record.energy = Energy::from_wh(Decimal::new(1, 7));
    assert_eq!(
        records_to_batch(&[record]).unwrap_err().kind(),
        "arrow_value"
    );
}

#[test]
fn other_exact_layouts_are_read() {
    let recs = generated().0;
    let micros: Vec<i64> = recs[..3]
        .iter()
        .map(|r| r.plug_in.timestamp_micros())
        .collect();
    let ms = one_column(
        "plug_in",
        Arc::new(
            TimestampMillisecondArray::from(micros.iter().map(|m| m / 1000).collect::<Vec<_>>())
                .with_timezone("+01:00"),
        ),
    );
    let got = records_from_batch(&ms).unwrap();
    assert_eq!(
        got[0].plug_in.timestamp_millis(),
        recs[0].plug_in.timestamp_millis()
    );
    let ns = one_column(
        "plug_in",
        Arc::new(
            TimestampNanosecondArray::from(micros.iter().map(|m| m * 1000).collect::<Vec<_>>())
                .with_timezone("UTC"),
        ),
    );
    assert_eq!(records_from_batch(&ns).unwrap()[1].plug_in, recs[1].plug_in);
    let ints = one_column("energy_wh", Arc::new(Int64Array::from(vec![7, 8, 9])));
    assert_eq!(
        records_from_batch(&ints).unwrap()[2].energy.wh(),
        Decimal::from(9)
    );
    let large: ArrayRef = Arc::new(arrow_array::LargeStringArray::from(vec!["a", "b", "c"]));
    assert_eq!(
        records_from_batch(&one_column("session_id", large)).unwrap()[1].session_id,
        "b"
    );
    assert_eq!(
        *records_to_batch(&[])
            .unwrap()
            .schema()
            .field_with_name("energy_wh")
            .unwrap()
            .data_type(),
        DataType::Decimal128(38, DECIMAL_SCALE)
    );
}

proptest! {
    /// Every decimal with at most 6 places (and a 96-bit mantissa) crosses and comes back
    /// equal; with more places it is refused, never rounded.
    #[test]
    fn decimals_round_trip_exactly(mantissa in any::<i64>(), scale in 0u32..=12) {
        let value = Decimal::new(mantissa, scale);
        let mut record = generated_one();
        record.energy = Energy::from_wh(value);
        match records_to_batch(&[record.clone()]) {
            Ok(batch) => {
                prop_assert!(value.normalize().scale() <= 6);
                prop_assert_eq!(records_from_batch(&batch).unwrap()[0].energy.wh(), value);
            }
            Err(e) => {
                prop_assert!(value.normalize().scale() > 6);
                prop_assert_eq!(e.kind(), "arrow_value");
            }
        }
    }

    /// A session in any IANA zone summarises the same after crossing Arrow (local hours and
    /// days survive the UTC timestamp columns, DST nights included), and the summary row
    /// names the zone.
    #[test]
    fn zones_round_trip(
        zone in 0usize..chrono_tz::TZ_VARIANTS.len(),
        secs in 1_262_304_000i64..4_000_000_000,
        dwell in 60i64..172_800,
    ) {
        let tz = chrono_tz::TZ_VARIANTS[zone];
        let plug_in = DateTime::from_timestamp(secs, 0).unwrap();
        let plug_out = plug_in + chrono::Duration::seconds(dwell);
        let record = SessionRecord::new("s", "CP", "1", plug_in, plug_out, Energy::from_wh(Decimal::from(7)));
        let opts = chargekit::analytics::SummaryOptions::for_tz(tz);
        let back = records_from_batch(&records_to_batch(std::slice::from_ref(&record)).unwrap()).unwrap();
        let want = chargekit::analytics::summarize(&[record], &opts).unwrap();
        prop_assert_eq!(&chargekit::analytics::summarize(&back, &opts).unwrap(), &want);
        let row = summary_to_batch(&[want]).unwrap();
        let names = row.column_by_name("timezone").unwrap();
        let names = names.as_any().downcast_ref::<StringArray>().unwrap();
        prop_assert_eq!(names.value(0), tz.name());
    }

    /// Instants to the microsecond cross unchanged, in any zone's reading.
    #[test]
    fn instants_round_trip(secs in -2_000_000_000i64..4_000_000_000, micros in 0u32..1_000_000) {
        let at = DateTime::from_timestamp(secs, micros * 1000).unwrap();
        let mut record = generated_one();
        record.plug_in = at;
        record.plug_out = at;
        let batch = records_to_batch(&[record]).unwrap();
        prop_assert_eq!(records_from_batch(&batch).unwrap()[0].plug_in, at);
    }
}

fn generated_one() -> SessionRecord {
    let at = DateTime::from_timestamp(1_773_129_600, 0).unwrap();
    SessionRecord::new("s", "CP", "1", at, at, Energy::ZERO)
}

#[test]
fn priced_sessions_equal_price_session_and_keep_errors_in_their_row() {
    use chargekit::billing::{price_session, PricingPolicy};
    use chargekit::tariff::Tariff;
    let tariff = Tariff::from_json(include_str!("../../examples/data/tariff-tou.json")).unwrap();
    let tz: Tz = "Europe/Berlin".parse().unwrap();
    let mut job = SessionsFromFrames::new(None, MeterPolicy::default(), None, false).with_pricing(
        vec![tariff.clone()],
        tz,
        PricingPolicy::default(),
    );
    job.push(&frames_batch(&rows()).unwrap()).unwrap();
    let out = job.finish().unwrap();
    assert_eq!(out[0].schema(), chargekit::arrow::priced_schema());
    let totals = |b: &RecordBatch| {
        let col = b.column_by_name("total_incl_vat").unwrap();
        let col = col.as_any().downcast_ref::<Decimal128Array>().unwrap();
        (0..col.len())
            .map(|i| {
                (!col.is_null(i))
                    .then(|| Decimal::from_i128_with_scale(col.value(i), 6).normalize())
            })
            .collect::<Vec<_>>()
    };
    let errors = |b: &RecordBatch| {
        let col = b.column_by_name("error_kind").unwrap();
        let col = col.as_any().downcast_ref::<StringArray>().unwrap();
        (0..col.len())
            .map(|i| (!col.is_null(i)).then(|| col.value(i).to_string()))
            .collect::<Vec<_>>()
    };
    for (batch, (station, _)) in out.iter().zip(LOGS) {
        let sessions = station_sessions(station);
        assert_eq!(batch.num_rows(), sessions.len());
        let want: Vec<_> = sessions
            .iter()
            .map(|s| {
                price_session(
                    s,
                    std::slice::from_ref(&tariff),
                    tz,
                    &PricingPolicy::default(),
                )
            })
            .collect();
        let want_totals: Vec<_> = want
            .iter()
            .map(|r| r.as_ref().ok().and_then(|r| r.total_cost.incl_vat))
            .collect();
        let want_errors: Vec<_> = want
            .iter()
            .map(|r| r.as_ref().err().map(|e| e.kind().to_string()))
            .collect();
        assert_eq!(totals(batch), want_totals, "{station}");
        assert_eq!(errors(batch), want_errors, "{station}");
    }
    assert!(out.iter().flat_map(totals).flatten().count() >= 10);
}

/// Regression: a session energy with six decimal places in Wh has nine in kWh, which a
/// decimal128(38, 6) kWh column refused (`ArrowValue`); priced energies are written in Wh.
#[test]
fn priced_energies_keep_every_decimal_of_the_session() {
    use chargekit::billing::PricingPolicy;
    use chargekit::tariff::Tariff;
    const BEGIN: &str =
        r#","context":"Transaction.Begin","measurand":"Energy.Active.Import.Register""#;
    let log = LOGS[1]
        .1
        .split(BEGIN)
        .collect::<Vec<_>>()
        .join(&format!(".000001{BEGIN}"));
    assert!(log.contains(".000001"));
    let rows: Vec<Row<'_>> = log.lines().map(|l| ("CP-EDGE", None, l)).collect();
    let tariff = Tariff::from_json(include_str!("../../examples/data/tariff-tou.json")).unwrap();
    let tz: Tz = "Europe/Berlin".parse().unwrap();
    let job = || SessionsFromFrames::new(None, MeterPolicy::default(), None, false);
    let sessions = job().run([Ok(frames_batch(&rows).unwrap())]).unwrap();
    let priced = job()
        .with_pricing(vec![tariff], tz, PricingPolicy::default())
        .run([Ok(frames_batch(&rows).unwrap())])
        .unwrap();
    let decimals = |b: &RecordBatch, name: &str| {
        let col = b.column_by_name(name).unwrap();
        let col = col.as_any().downcast_ref::<Decimal128Array>().unwrap();
        (0..col.len())
            .map(|i| Decimal::from_i128_with_scale(col.value(i), 6))
            .collect::<Vec<_>>()
    };
    let energies = decimals(&sessions[0], "energy_wh");
    assert!(
        energies
            .iter()
            .all(|e| e.fract() == Decimal::new(999_999, 6)),
        "{energies:?}"
    );
    assert_eq!(decimals(&priced[0], "total_energy_wh"), energies);
}

#[test]
fn the_stream_gives_each_station_when_done_and_ends_at_the_first_error() {
    let of = |station: &str| -> Vec<Row<'static>> {
        rows().into_iter().filter(|r| r.0 == station).collect()
    };
    let (alpha, bravo) = (of("CP-ALPHA"), of("CP-BRAVO"));
    let input = vec![
        Ok(frames_batch(&alpha).unwrap()),
        Ok(frames_batch(&bravo).unwrap()),
        Ok(frames_batch(&alpha[..3]).unwrap()),
    ];
    let mut out = SessionsFromFrames::new(None, MeterPolicy::default(), None, true).stream(input);
    // CP-ALPHA is done once CP-BRAVO starts; its return is an error that ends the stream.
    let first = out.next().unwrap().unwrap();
    assert_eq!(first.num_rows(), station_sessions("CP-ALPHA").len());
    let err = out.next().unwrap().unwrap_err();
    assert_eq!(err.kind(), "arrow_schema");
    assert!(err.to_string().contains("CP-ALPHA"), "{err}");
    assert!(out.next().is_none());
}
