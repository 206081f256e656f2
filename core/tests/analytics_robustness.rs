//! Garbage in, typed results out: extreme instants, energies, powers and option values, and
//! arbitrary CSV text, never panic (debug builds check every arithmetic overflow).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

use chargekit::analytics::export::{to_evchart_csv, ExportOptions};
use chargekit::analytics::import::{import_csv, CsvShape, ImportOptions};
use chargekit::analytics::*;
use chargekit::feedback::{
    reliability, score, Feedback, Outcome, ReliabilityInput, ReliabilityOptions, ScoreOptions,
    SessionLink,
};
use chargekit::units::{Energy, Power};
use chrono::{DateTime, Utc};
use proptest::prelude::*;
use rust_decimal::Decimal;

fn instant() -> impl Strategy<Value = DateTime<Utc>> {
    prop_oneof![
        Just(DateTime::<Utc>::MIN_UTC),
        Just(DateTime::<Utc>::MAX_UTC),
        (-62_000_000_000i64..250_000_000_000i64)
            .prop_map(|s| DateTime::from_timestamp(s, 0).unwrap()),
        (1_700_000_000i64..1_800_000_000i64).prop_map(|s| DateTime::from_timestamp(s, 0).unwrap()),
    ]
}

fn decimal() -> impl Strategy<Value = Decimal> {
    prop_oneof![
        Just(Decimal::MAX),
        Just(Decimal::MIN),
        Just(Decimal::ZERO),
        Just(Decimal::new(1, 28)),
        any::<i64>().prop_map(Decimal::from),
        (0i64..100_000).prop_map(|v| Decimal::new(v, 2)),
    ]
}

prop_compose! {
    fn extreme_record()(
        a in instant(), b in instant(), cs in proptest::option::of(instant()), ce in proptest::option::of(instant()),
        charging in proptest::option::of(any::<i64>()), throttled in proptest::option::of(any::<i64>()),
        wh in decimal(), peak in proptest::option::of(decimal()), rated in proptest::option::of(decimal()),
        soc in proptest::option::of(decimal()), port in 0u8..3, user in proptest::option::of(0u8..3),
    ) -> SessionRecord {
        let mut r = SessionRecord::new(format!("R{port}"), "S", port.to_string(), a, b, Energy::from_wh(wh));
        r.charge_start = cs;
        r.charge_end = ce;
        r.charging_s = charging;
        r.throttled_s = throttled;
        r.peak_power = peak.map(Power::from_w);
        r.rated_power = rated.map(Power::from_w);
        r.soc_start = soc;
        r.soc_end = soc;
        r.user_id = user.map(|u| u.to_string());
        r.stop_reason = Some("StoppedByEV".into());
        r.tx_start = cs;
        r.tx_end = ce;
        r
    }
}

prop_compose! {
    fn extreme_options()(
        grace in any::<i64>(), quick in any::<i64>(), turn in any::<i64>(),
        price in proptest::option::of(decimal()), max_s in any::<i64>(), max_kwh in decimal(),
        ratio in decimal(), boundary in any::<bool>(), cap in any::<bool>(), all in any::<bool>(),
        top in 0u32..500, tz_local in any::<bool>(),
    ) -> SummaryOptions {
        let mut o = SummaryOptions::for_tz(if tz_local { chrono_tz::Australia::Lord_Howe } else { chrono_tz::UTC });
        o.overstay_grace_s = grace;
        o.quick_turnover_s = quick;
        o.turn_away_max_dwell_s = turn;
        o.price_delta_per_kwh = price;
        o.rules.max_session_s = max_s;
        o.rules.max_energy_kwh = max_kwh;
        o.rules.max_power_ratio = ratio;
        o.peak_hours_top = top;
        if boundary { o.boundary = SessionBoundary::TransactionBounds; }
        if cap { o.outliers = OutlierPolicy::Cap; }
        if all { o.filter = SessionFilter::IncludeAll; }
        o
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(96))]

    #[test]
    fn extreme_values_never_panic(
        records in proptest::collection::vec(extreme_record(), 0..12),
        mut o in extreme_options(),
        fixed in any::<bool>(),
    ) {
        if fixed {
            o.period = Some(Period::new(
                DateTime::from_timestamp(1_750_000_000, 0).unwrap(),
                DateTime::from_timestamp(1_760_000_000, 0).unwrap(),
            ).unwrap());
        }
        let _ = summarize(&records, &o);
        let _ = analyse_sessions(&records, &o);
        let _ = to_evchart_csv(&records, &ExportOptions::default());
        let fb: Vec<Feedback> = records
            .iter()
            .map(|r| {
                let mut f = Feedback::new(r.session_id.clone(), r.plug_in, "A", "S", Outcome::Success);
                f.session = SessionLink::Verified(r.session_id.clone());
                f
            })
            .collect();
        let so = ScoreOptions { half_life_days: Decimal::new(1, 28), verified_weight: Decimal::MAX, ..ScoreOptions::default() };
        let _ = score(&fb, &records, &so);
        let _ = score(&fb, &records, &ScoreOptions::default());
        let ro = ReliabilityOptions {
            period: o.period,
            visit_window_s: i64::MAX,
            heartbeat_interval_s: i64::MAX,
            vandalism_cap_s: i64::MAX,
            maintenance_cap_s: i64::MIN,
            ..ReliabilityOptions::default()
        };
        let _ = reliability(&ReliabilityInput { sessions: &records, ..Default::default() }, &ro);
    }

    #[test]
    fn arbitrary_csv_never_panics(
        cells in proptest::collection::vec(
            proptest::collection::vec(prop_oneof![
                Just(String::new()), Just(" -   ".to_string()), Just("95:06:31".to_string()),
                Just("99999999999999999999:00:00".to_string()), Just("40753.86".to_string()),
                Just("1e30".to_string()), Just("79228162514264337593543950335".to_string()),
                Just("7/29/2011 20:17".to_string()), Just("3/11/2018 2:30".to_string()),
                Just("Wed, 02 Jan 2019 14:57:25 GMT".to_string()), Just("01/01/1970 00:00".to_string()),
                Just("PDT".to_string()), Just("\"quoted, comma\"".to_string()), "[ -~]{0,12}",
            ], 0..14),
            0..6,
        ),
        shape in 0u8..4,
    ) {
        let headers = [
            "Station Name,Start Date,Start Time Zone,End Date,End Time Zone,Total Duration (hh:mm:ss),Charging Time (hh:mm:ss),Energy (kWh),Port Number,Plug In Event Id,User ID,Fee,Ended By,Peak Power (AC kW)",
            "_id,clusterID,connectionTime,disconnectTime,doneChargingTime,kWhDelivered,sessionID,siteID,spaceID,stationID,timezone,userID,userInputs",
            "SDR ID,CP ID,Site,Connector Type,Start,End,Duration,Consum(kWh)",
            "a,b,c",
        ];
        let mut text = headers[shape as usize].to_string();
        for row in cells {
            text.push('\n');
            text.push_str(&row.join(","));
        }
        let tz = "America/Denver".parse().unwrap();
        for forced in [None, Some(CsvShape::ChargePoint), Some(CsvShape::AcnData), Some(CsvShape::Dundee)] {
            let o = ImportOptions { shape: forced, ..ImportOptions::for_tz(tz) };
            if let Ok(r) = import_csv(&text, &o) {
                let _ = summarize(&r.records, &SummaryOptions::for_tz(tz));
            }
        }
    }
}
