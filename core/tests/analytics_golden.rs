//! Golden tests: one week at a 2-port site (Europe/Berlin, Mon 2 – Sun 8 March 2026, no DST),
//! every metric computed by hand in the comments.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

use chargekit::analytics::*;
use chargekit::units::{Energy, Power};
use chrono::{DateTime, Duration, NaiveDate, TimeZone, Utc, Weekday};
use rust_decimal::Decimal;
use rust_decimal_macros::dec;

fn berlin() -> chrono_tz::Tz {
    "Europe/Berlin".parse().unwrap()
}

/// Local Berlin time (CET = UTC+1) on day `d` of the week (0 = Monday 2 March).
fn at(d: i64, h: u32, m: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 2, h, m, 0).unwrap() + Duration::days(d) - Duration::hours(1)
}

fn rec(
    id: &str,
    port: &str,
    user: Option<&str>,
    (d0, h0, m0): (i64, u32, u32),
    (d1, h1, m1): (i64, u32, u32),
    charging_s: i64,
    kwh: i64,
) -> SessionRecord {
    let mut r = SessionRecord::new(
        id,
        "CP-1",
        port,
        at(d0, h0, m0),
        at(d1, h1, m1),
        Energy::from_kwh(Decimal::from(kwh)),
    );
    r.user_id = user.map(str::to_string);
    r.charging_s = Some(charging_s);
    r.charge_start = Some(r.plug_in);
    if charging_s > 0 {
        r.charge_end = Some(r.plug_in + Duration::seconds(charging_s));
    }
    r.ended_by = Some(EndedBy::Driver);
    r
}

/// S1–S8 are used; S9 starts after the period, S10 is on an undeclared station.
pub fn week() -> Vec<SessionRecord> {
    let mut s5 = rec("S5", "2", Some("U5"), (2, 12, 0), (2, 12, 0), 0, 0);
    s5.plug_out += Duration::seconds(30);
    s5.ended_by = Some(EndedBy::Fault);
    s5.stop_reason = Some("EmergencyStop".into());
    let mut s9 = rec("S9", "1", None, (7, 9, 0), (7, 10, 0), 3600, 5);
    s9.user_id = None;
    let mut s10 = rec("S10", "1", None, (3, 9, 0), (3, 10, 0), 3600, 5);
    s10.station_id = "CP-9".into();
    vec![
        rec("S1", "1", Some("U1"), (0, 9, 0), (0, 11, 0), 3600, 11),
        rec("S2", "2", Some("U2"), (0, 10, 0), (0, 12, 0), 7200, 20),
        rec("S3", "1", Some("U1"), (1, 8, 0), (1, 17, 0), 10_800, 30),
        rec("S4", "1", Some("U3"), (1, 17, 5), (1, 18, 0), 3300, 10),
        s5,
        rec("S6", "2", Some("U1"), (3, 18, 0), (4, 7, 0), 14_400, 40),
        rec("S7", "1", Some("U4"), (5, 10, 0), (5, 10, 45), 2700, 6),
        rec("S8", "2", Some("U1"), (6, 14, 0), (6, 16, 30), 5400, 15),
        s9,
        s10,
    ]
}

pub fn options() -> SummaryOptions {
    let port = |p: &str| PortConfig {
        station_id: "CP-1".into(),
        port_id: p.into(),
        rated_power: Some(Power::from_w(dec!(11000))),
        kind: Some(PowerKind::Ac),
    };
    SummaryOptions {
        site_id: Some("SITE".into()),
        tz: berlin(),
        period: Some(
            Period::local_days(berlin(), NaiveDate::from_ymd_opt(2026, 3, 2).unwrap(), 7).unwrap(),
        ),
        ports: vec![port("1"), port("2")],
        price_delta_per_kwh: Some(dec!(0.20)),
        ..SummaryOptions::default()
    }
}

fn summary() -> SiteSummary {
    summarize(&week(), &options()).unwrap()
}

#[test]
fn counts_and_flags() {
    let s = summary();
    assert_eq!(s.period.seconds(), 604_800);
    let c = &s.counts;
    assert_eq!(
        (c.sessions_seen, c.sessions_used, c.sessions_excluded),
        (10, 8, 2)
    );
    assert_eq!(c.outliers_dropped, 0);
    // 8 sessions / 7 days.
    assert_eq!(c.sessions_per_day, dec!(1.1429));
    assert_eq!(c.sessions_per_week, dec!(8));
    // Mon, Tue, Wed, Thu, Sat, Sun (S6 starts Thursday; nothing starts on Friday).
    assert_eq!(c.in_use_days, 6);
    assert_eq!(c.unique_users, 5);
    assert!(c.stations_without_use.is_empty());
    let flags: Vec<(Flag, u64)> = s.flags.iter().map(|f| (f.flag, f.count)).collect();
    assert_eq!(
        flags,
        vec![
            (Flag::ShortDuration, 1),    // S5: 30 s, no charging
            (Flag::LowEnergy, 1),        // S5: 0 kWh
            (Flag::OutsidePeriod, 1),    // S9: next Monday
            (Flag::UnregisteredPort, 1), // S10: CP-9
        ]
    );
}

#[test]
fn energy_and_durations() {
    let s = summary();
    // 11 + 20 + 30 + 10 + 0 + 40 + 6 + 15 = 132 kWh; sorted 0 6 10 11 15 20 30 40.
    assert_eq!(s.energy.total_kwh, dec!(132));
    assert_eq!(s.energy.mean_kwh, Some(dec!(16.5)));
    assert_eq!(s.energy.median_kwh, Some(dec!(13)));
    let d = &s.durations;
    // Dwell 7200 7200 32400 3300 30 46800 2700 9000: Σ 108 630.
    assert_eq!(d.mean_dwell_s, Some(dec!(13578.75)));
    assert_eq!(d.median_dwell_s, Some(dec!(7200)));
    // Charging 3600 7200 10800 3300 0 14400 2700 5400: Σ 47 400.
    assert_eq!(d.mean_charging_s, Some(dec!(5925)));
    assert_eq!(d.median_charging_s, Some(dec!(4500)));
    // Idle 3600 0 21600 0 30 32400 0 3600: Σ 61 230; sorted median (30 + 3600) / 2.
    assert_eq!(d.mean_idle_s, Some(dec!(7653.75)));
    assert_eq!(d.median_idle_s, Some(dec!(1815)));
    let t = &s.time;
    assert_eq!(
        (
            t.available_s,
            t.occupied_s,
            t.charging_s,
            t.idle_s,
            t.congestion_s
        ),
        (604_800, 108_630, 47_400, 61_230, 3600)
    );
}

#[test]
fn utilisation_capacity_congestion() {
    let s = summary();
    let u = &s.utilisation;
    // 108 630 / (2 × 604 800); 47 400 / 1 209 600; 61 230 / 1 209 600.
    assert_eq!(u.occupied, dec!(0.089807));
    assert_eq!(u.charging, dec!(0.039187));
    assert_eq!(u.idle, dec!(0.05062));
    // 132 kWh / (2 × 11 kW × 168 h = 3696 kWh).
    assert_eq!(u.capacity_factor, Some(dec!(0.035714)));
    // Both ports busy Monday 10:00–11:00 only.
    assert_eq!(u.congestion, dec!(0.005952));

    let p1 = &s.ports[0];
    assert_eq!((p1.station_id.as_str(), p1.port_id.as_str()), ("CP-1", "1"));
    assert_eq!((p1.sessions, p1.busy_s, p1.occupied_s), (4, 45_600, 45_600));
    assert_eq!(p1.energy_kwh, dec!(57));
    assert_eq!(p1.mean_energy_kwh, Some(dec!(14.25)));
    assert_eq!(p1.median_energy_kwh, Some(dec!(10.5)));
    assert_eq!(p1.occupied_rate, dec!(0.075397)); // 45 600 / 604 800
    assert_eq!(p1.charging_rate, dec!(0.03373)); // 20 400 / 604 800
    assert_eq!(p1.idle_rate, dec!(0.041667)); // 25 200 / 604 800
    assert_eq!(p1.capacity_factor, Some(dec!(0.030844))); // 57 / 1848
    assert_eq!(
        (p1.in_use_days, p1.quick_turnovers, p1.overstays),
        (3, 1, 2)
    );

    let p2 = &s.ports[1];
    assert_eq!((p2.sessions, p2.busy_s), (4, 63_030));
    assert_eq!(p2.energy_kwh, dec!(75));
    assert_eq!(p2.median_energy_kwh, Some(dec!(17.5)));
    assert_eq!(p2.occupied_rate, dec!(0.104216)); // 63 030 / 604 800
    assert_eq!(p2.charging_rate, dec!(0.044643)); // 27 000 / 604 800
    assert_eq!(p2.idle_rate, dec!(0.059573)); // 36 030 / 604 800
    assert_eq!(p2.capacity_factor, Some(dec!(0.040584))); // 75 / 1848
    assert_eq!(
        (p2.in_use_days, p2.quick_turnovers, p2.overstays),
        (4, 0, 2)
    );

    let st = &s.stations[0];
    assert_eq!(
        (st.station_id.as_str(), st.ports, st.sessions),
        ("CP-1", 2, 8)
    );
    // Any port busy: 108 630 − 3600 overlap.
    assert_eq!(st.occupied_rate, dec!(0.173661));
    assert_eq!(st.capacity_factor, Some(dec!(0.035714)));
    assert_eq!(
        (st.mean_energy_kwh, st.median_energy_kwh),
        (Some(dec!(16.5)), Some(dec!(13)))
    );
    assert_eq!(st.in_use_days, 6);
}

#[test]
fn per_station_denominator() {
    let mut o = options();
    o.denominator = UtilisationDenominator::PerStation;
    let s = summarize(&week(), &o).unwrap();
    assert_eq!(s.utilisation.occupied, dec!(0.173661)); // 105 030 / 604 800
    assert_eq!(s.utilisation.charging, dec!(0.078373)); // 47 400 / 604 800
}

#[test]
fn heatmaps_and_peak_hours() {
    let s = summary();
    let h = &s.heatmaps;
    assert!(h.available_h.values().iter().all(|v| *v == dec!(1)));
    let occ = |d, hr| h.occupancy.get(d, hr);
    assert_eq!(occ(Weekday::Mon, 10), dec!(1));
    assert_eq!(occ(Weekday::Mon, 9), dec!(0.5));
    assert_eq!(occ(Weekday::Tue, 17), dec!(0.4583)); // 3300 / 7200
    assert_eq!(occ(Weekday::Wed, 12), dec!(0.0042)); // 30 / 7200
    assert_eq!(occ(Weekday::Fri, 6), dec!(0.5));
    assert_eq!(occ(Weekday::Fri, 7), dec!(0));
    assert_eq!(occ(Weekday::Sat, 10), dec!(0.375)); // 2700 / 7200
    assert_eq!(occ(Weekday::Sun, 16), dec!(0.25)); // 1800 / 7200
    assert_eq!(h.congestion.get(Weekday::Mon, 10), dec!(1));
    assert_eq!(
        h.congestion
            .values()
            .iter()
            .filter(|v| !v.is_zero())
            .count(),
        1
    );

    let arrivals: u64 = h.arrivals.values().iter().sum();
    assert_eq!(arrivals, 8);
    assert_eq!(h.arrivals.get(Weekday::Tue, 17), 1);
    assert_eq!(h.arrival_rate.get(Weekday::Thu, 18), dec!(1));
    assert_eq!(h.departures.get(Weekday::Fri, 7), 1);
    assert_eq!(h.departures.get(Weekday::Tue, 18), 1); // S4 ends 18:00 sharp

    // Energy spread over charging time: S8 charges 14:00–15:30 on Sunday.
    assert_eq!(h.energy_kwh.get(Weekday::Sun, 14), dec!(10));
    assert_eq!(h.energy_kwh.get(Weekday::Sun, 15), dec!(5));
    assert_eq!(h.energy_kwh.get(Weekday::Mon, 11), dec!(10));
    let total: Decimal = h.energy_kwh.values().iter().sum();
    assert_eq!(total, dec!(132));

    let peaks: Vec<(Weekday, u32, Decimal)> = s
        .peak_hours
        .iter()
        .map(|p| (p.weekday, p.hour, p.occupancy))
        .collect();
    assert_eq!(
        peaks,
        vec![
            (Weekday::Mon, 10, dec!(1)),
            (Weekday::Mon, 9, dec!(0.5)),
            (Weekday::Mon, 11, dec!(0.5)),
            (Weekday::Tue, 8, dec!(0.5)),
            (Weekday::Tue, 9, dec!(0.5)),
        ]
    );
    // Nested lists for bindings: 7 rows × 24.
    let json = serde_json::to_value(&s.heatmaps.occupancy).unwrap();
    assert_eq!(json.as_array().unwrap().len(), 7);
    assert_eq!(json[0].as_array().unwrap().len(), 24);
}

#[test]
fn overstay_and_repeat_overstayers() {
    let s = summary();
    let o = &s.overstay;
    // Idle after full beyond 30 min: S1 1800, S3 19 800, S6 30 600, S8 1800 — all U1.
    assert_eq!((o.sessions, o.total_s), (4, 54_000));
    assert_eq!(o.share, dec!(0.5));
    assert_eq!(o.repeat_overstayers.len(), 1);
    let u = &o.repeat_overstayers[0];
    assert_eq!(
        (u.user_id.as_str(), u.sessions, u.overstays, u.overstay_s),
        ("U1", 4, 4, 54_000)
    );
    assert_eq!(u.share, dec!(1));
}

#[test]
fn demand_indicators() {
    let d = summary().demand;
    assert_eq!((d.attempts, d.successes, d.turn_aways), (8, 7, 1));
    assert_eq!(d.success_rate, Some(dec!(0.875)));
    assert_eq!(d.turn_away_rate, Some(dec!(0.125)));
    // S4 starts 5 min after S3 ended on port 1.
    assert_eq!(d.quick_turnovers, 1);
    assert_eq!(d.quick_turnover_share, Some(dec!(0.125)));
    assert_eq!(d.congestion_s, 3600);
    assert_eq!(
        (d.peak_concurrent_sessions, d.peak_busy_ports, d.ports),
        (2, 2, 2)
    );
}

#[test]
fn off_peak_shift() {
    let o = summary().off_peak;
    // Peak 16–21: S4 charges 10 kWh inside it with no off-peak slack; S6 charges 18–21
    // (30 of its 40 kWh) and stays until 07:00, so all 30 kWh could move.
    assert_eq!(o.total_energy_kwh, dec!(132));
    assert_eq!(o.peak_energy_kwh, dec!(40));
    assert_eq!(o.peak_share, Some(dec!(0.303)));
    assert_eq!(o.shiftable_kwh, dec!(30));
    assert_eq!(o.shiftable_share, Some(dec!(0.75)));
    assert_eq!((o.sessions_in_peak, o.flexible_sessions), (2, 1));
    assert_eq!(o.value_at_price_delta, Some(dec!(6)));
}

#[test]
fn per_session_fields() {
    let a = analyse_sessions(&week(), &options());
    let s3 = &a[2].metrics;
    assert_eq!(
        (s3.dwell_s, s3.charging_s, s3.idle_s),
        (32_400, 10_800, 21_600)
    );
    assert_eq!((s3.idle_after_full_s, s3.overstay_s), (21_600, 19_800));
    assert_eq!(s3.avg_power, Some(Power::from_w(dec!(10000))));
    assert!(s3.success);
    assert!(!a[4].metrics.success);
    assert!(a[8].flags.contains(Flag::OutsidePeriod));
    assert!(a[9].flags.contains(Flag::UnregisteredPort));
}

#[test]
fn options_roundtrip_json() {
    let o = options();
    assert_eq!(SummaryOptions::from_json(&o.to_json()).unwrap(), o);
    let o = SummaryOptions::from_json(r#"{"rules": {"min_energy_kwh": 0.25}}"#).unwrap();
    assert_eq!(o.rules.min_energy_kwh, dec!(0.25));
    let e = SummaryOptions::from_json(r#"{"rules": {"min_energy_kwh": "a little"}}"#).unwrap_err();
    assert!(e.to_string().contains("rules.min_energy_kwh"), "{e}");
    let e = SummaryOptions::from_json(r#"{"overstay_grace": 60}"#).unwrap_err();
    assert!(e.to_string().contains("overstay_grace"), "{e}");
}

// ---- patterns (docs/analytics-and-feedback.md §3): per user, AC/DC segments, departure
// forecast (all ten records) ----

#[test]
fn user_patterns_by_hand() {
    let p = behaviour_patterns(&week(), &options(), &PatternOptions::default()).unwrap();
    let ids: Vec<&str> = p.users.iter().map(|u| u.user_id.as_str()).collect();
    // U1 has four sessions; the others one each, by id; S9 and S10 have no user.
    assert_eq!(ids, ["U1", "U2", "U3", "U4", "U5"]);
    let u1 = &p.users[0];
    assert_eq!(u1.sessions, 4);
    // Dwell 7200 32400 46800 9000 → sorted 7200 9000 32400 46800.
    assert_eq!(
        u1.dwell,
        DwellStats {
            min_s: 7200,
            p25_s: 7200,
            median_s: 20_700, // (9000 + 32400) / 2
            p75_s: 32_400,
            max_s: 46_800,
            mean_s: 23_850, // 95 400 / 4
        }
    );
    // Arrivals 09, 08, 18, 14 local and departures 11, 17, 07, 16: all ties, earliest wins.
    assert_eq!((u1.arrival_hour, u1.departure_hour), (8, 7));
    // (11 + 30 + 40 + 15) / 4 kWh.
    assert_eq!(u1.mean_energy_kwh, dec!(24));
    // Idle after full 3600, 21600, 32400, 3600 s: all beyond the 1800 s grace.
    assert_eq!(u1.overstay_share, dec!(1));
    assert_eq!((u1.home_site.as_str(), u1.home_share), ("CP-1", dec!(1)));
    assert!(u1.trusted);
    let u5 = &p.users[4];
    assert_eq!(
        (u5.dwell.median_s, u5.overstay_share, u5.mean_energy_kwh),
        (30, dec!(0), dec!(0))
    );
    assert!(!u5.trusted);
}

#[test]
fn ac_dc_segments_by_hand() {
    let p = behaviour_patterns(&week(), &options(), &PatternOptions::default()).unwrap();
    let segs: Vec<(ChargerSegment, u64)> =
        p.segments.iter().map(|s| (s.segment, s.sessions)).collect();
    // CP-1's ports are declared AC (S1–S9); S10's CP-9 is neither declared nor has a power.
    assert_eq!(
        segs,
        [(ChargerSegment::Ac, 9), (ChargerSegment::Unknown, 1)]
    );
    let ac = &p.segments[0];
    // Dwell sorted: 30 2700 3300 3600 7200 7200 9000 32400 46800 (Σ 112 230).
    assert_eq!(
        ac.dwell,
        DwellStats {
            min_s: 30,
            p25_s: 3300,
            median_s: 7200,
            p75_s: 9000,
            max_s: 46_800,
            mean_s: 12_470
        }
    );
    // 137 kWh / 9.
    assert_eq!(ac.mean_energy_kwh, dec!(15.222));
    let classes: Vec<u64> = ac.classes.iter().map(|c| c.sessions).collect();
    // <30 min: S5; 30–60 min: S4, S7; 1–2 h: S9; 2–4 h: S1, S2, S8; 4–8 h: none; ≥ 8 h: S3, S6.
    assert_eq!(classes, [1, 2, 1, 3, 0, 2]);
    // Undeclared ports fall back on power: a 150 kW peak is DC.
    let mut dc = week();
    dc[9].peak_power = Some(Power::from_w(dec!(150000)));
    let p = behaviour_patterns(&dc, &options(), &PatternOptions::default()).unwrap();
    assert_eq!(p.segments[1].segment, ChargerSegment::Dc);
}

#[test]
fn departure_forecast_falls_back_from_user_to_hour_of_week_to_site() {
    let f = DepartureForecaster::fit(&week(), &options(), &PatternOptions::default()).unwrap();
    let arrival = at(14, 9, 30); // a Monday, 09:30 local
    let u1 = f.forecast(Some("U1"), arrival).unwrap();
    assert_eq!(
        (u1.basis, u1.dwell_s, u1.sessions),
        (ForecastBasis::User, 20_700, 4)
    );
    assert_eq!(u1.departure, arrival + Duration::seconds(20_700));
    // U2 has one session (< 3); Monday 09:00 has two arrivals (< 3): the site median of
    // all ten dwells, (3600 + 7200) / 2.
    let u2 = f.forecast(Some("U2"), arrival).unwrap();
    assert_eq!(
        (u2.basis, u2.dwell_s, u2.sessions),
        (ForecastBasis::Site, 5400, 10)
    );
    // Trusting two arrivals, Monday 09:00 (S1 7200 s, S9 3600 s) answers.
    let loose = PatternOptions {
        min_bucket_sessions: 2,
        ..PatternOptions::default()
    };
    let f = DepartureForecaster::fit(&week(), &options(), &loose).unwrap();
    let g = f.forecast(None, arrival).unwrap();
    assert_eq!(
        (g.basis, g.dwell_s, g.sessions),
        (ForecastBasis::SiteHourOfWeek, 5400, 2)
    );
    assert!(DepartureForecaster::fit(&[], &options(), &loose)
        .unwrap()
        .forecast(None, arrival)
        .is_none());
}
