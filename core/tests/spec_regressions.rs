//! The regression cases of `docs/analytics-and-feedback.md` §9 (numbered as there).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

use chargekit::analytics::*;
use chargekit::units::Energy;
use chrono::{DateTime, NaiveDate, Utc, Weekday};
use rust_decimal::Decimal;
use rust_decimal_macros::dec;

fn utc(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s).unwrap().to_utc()
}

fn session(id: &str, port: &str, a: &str, b: &str, kwh: Decimal) -> SessionRecord {
    SessionRecord::new(id, "CP", port, utc(a), utc(b), Energy::from_kwh(kwh))
}

fn la() -> chrono_tz::Tz {
    "America/Los_Angeles".parse().unwrap()
}

fn week_options(tz: chrono_tz::Tz, monday: (i32, u32, u32)) -> SummaryOptions {
    let mut o = SummaryOptions::for_tz(tz);
    let d = NaiveDate::from_ymd_opt(monday.0, monday.1, monday.2).unwrap();
    o.period = Some(Period::local_days(tz, d, 7).unwrap());
    o
}

/// §9.1 Spring-forward: a session 01:30 PST – 03:30 PDT lasts one hour; local 02:00 does
/// not exist, so its bucket is empty and has no available time.
#[test]
fn s9_1_dst_spring_forward_in_the_hour_of_week_histogram() {
    let o = week_options(la(), (2026, 3, 2));
    let s = session(
        "a",
        "1",
        "2026-03-08T09:30:00Z",
        "2026-03-08T10:30:00Z",
        dec!(5),
    );
    let sum = summarize(&[s], &o).unwrap();
    assert_eq!(sum.time.available_s, 167 * 3600);
    let h = &sum.heatmaps;
    assert_eq!(h.occupancy.get(Weekday::Sun, 1), dec!(0.5));
    assert_eq!(h.occupancy.get(Weekday::Sun, 2), dec!(0));
    assert_eq!(h.available_h.get(Weekday::Sun, 2), dec!(0));
    assert_eq!(h.occupancy.get(Weekday::Sun, 3), dec!(0.5));
    assert_eq!(h.arrivals.get(Weekday::Sun, 1), 1);
    assert_eq!(h.departures.get(Weekday::Sun, 3), 1);

    // The alternative: UTC buckets.
    let mut u = o.clone();
    u.bucketing = Bucketing::UtcBuckets;
    let sum = summarize(
        &[session(
            "a",
            "1",
            "2026-03-08T09:30:00Z",
            "2026-03-08T10:30:00Z",
            dec!(5),
        )],
        &u,
    )
    .unwrap();
    assert_eq!(sum.heatmaps.occupancy.get(Weekday::Sun, 9), dec!(0.5));
    assert_eq!(sum.heatmaps.occupancy.get(Weekday::Sun, 10), dec!(0.5));
}

/// §9.1 Fall-back: a session 00:30 PDT – 02:30 PST lasts three hours; local 01:00 occurs
/// twice, so its bucket holds two hours of occupancy over two available hours.
#[test]
fn s9_1_dst_fall_back_in_the_hour_of_week_histogram() {
    let o = week_options(la(), (2026, 10, 26));
    let s = session(
        "b",
        "1",
        "2026-11-01T07:30:00Z",
        "2026-11-01T10:30:00Z",
        dec!(5),
    );
    let sum = summarize(&[s], &o).unwrap();
    assert_eq!(sum.time.available_s, 169 * 3600);
    let h = &sum.heatmaps;
    assert_eq!(h.available_h.get(Weekday::Sun, 1), dec!(2));
    assert_eq!(h.occupancy.get(Weekday::Sun, 0), dec!(0.5));
    assert_eq!(h.occupancy.get(Weekday::Sun, 1), dec!(1));
    assert_eq!(h.occupancy.get(Weekday::Sun, 2), dec!(0.5));
    assert_eq!(sum.ports[0].busy_s, 3 * 3600);
}

/// §9.3 A session with a 1970 end date is flagged (error: outside the period) and not
/// counted as a 54-year dwell.
#[test]
fn s9_3_a_1970_end_date_is_flagged_not_counted() {
    let good = session(
        "ok",
        "1",
        "2021-05-01T08:00:00Z",
        "2021-05-01T09:00:00Z",
        dec!(7),
    );
    let bad = session(
        "bad",
        "2",
        "2021-05-01T10:00:00Z",
        "1970-01-01T00:00:00Z",
        dec!(3),
    );
    let o = SummaryOptions::default(); // period derived from the plug-in times
    let sum = summarize(&[good, bad.clone()], &o).unwrap();
    assert_eq!(sum.period.seconds(), 86_400);
    assert_eq!(
        (sum.counts.sessions_used, sum.counts.sessions_excluded),
        (1, 1)
    );
    assert!(sum
        .flags
        .iter()
        .any(|f| f.flag == Flag::OutsidePeriod && f.count == 1));
    assert_eq!(sum.time.occupied_s, 3600);

    let a = analyse_sessions(
        std::slice::from_ref(&bad),
        &SummaryOptions {
            period: Some(sum.period),
            ..o.clone()
        },
    );
    assert!(a[0].flags.contains(Flag::OutsidePeriod));
    assert!(a[0].flags.contains(Flag::EndBeforeStart));
    assert_eq!(a[0].metrics.dwell_s, 0);

    // Even when errors are included, the dwell is clamped, never 54 years.
    let all = SummaryOptions {
        filter: SessionFilter::IncludeAll,
        ..o
    };
    let sum = summarize(&[bad], &all).unwrap();
    assert_eq!(sum.time.occupied_s, 0);
}

/// §9.5 Congestion with 2 ports: [09:00, 11:00) and [10:00, 12:00) → 1 h of full occupancy.
#[test]
fn s9_5_congestion_with_two_ports() {
    let o = week_options(chrono_tz::UTC, (2026, 3, 2));
    let a = session(
        "a",
        "1",
        "2026-03-02T09:00:00Z",
        "2026-03-02T11:00:00Z",
        dec!(10),
    );
    let b = session(
        "b",
        "2",
        "2026-03-02T10:00:00Z",
        "2026-03-02T12:00:00Z",
        dec!(10),
    );
    let sum = summarize(&[a, b], &o).unwrap();
    assert_eq!(sum.time.congestion_s, 3600);
    assert_eq!(sum.demand.peak_busy_ports, 2);
    assert_eq!(sum.heatmaps.congestion.get(Weekday::Mon, 10), dec!(1));
    assert_eq!(sum.heatmaps.congestion.get(Weekday::Mon, 9), dec!(0));
}

/// §9.6 Success rules.
#[test]
fn s9_6_success_rules() {
    let rule = SuccessEnergy::default();
    let t = "2026-03-02T09:00:00Z";
    let end = "2026-03-02T10:00:00Z";
    // An EmergencyStop after 2 kWh is a failure.
    let mut e = session("e", "1", t, end, dec!(2));
    e.stop_reason = Some("EmergencyStop".into());
    assert!(!e.is_success(rule));
    // StoppedByEV at 0.3 kWh with SoC 100 % is a success.
    let mut f = session("f", "1", t, end, dec!(0.3));
    f.stop_reason = Some("StoppedByEV".into());
    f.soc_end = Some(dec!(100));
    assert!(f.is_success(rule));
    // An attempt with no energy is a failure, whoever stopped it.
    let mut z = session("z", "1", t, end, dec!(0));
    assert!(!z.is_success(rule));
    z.stop_reason = Some("StoppedByEV".into());
    assert!(!z.is_success(rule));
    // 0.3 kWh stopped by the driver fails the 0.5 kWh floor, passes `AnyEnergy`.
    let mut d = session("d", "1", t, end, dec!(0.3));
    d.stop_reason = Some("EVDisconnected".into());
    assert!(!d.is_success(rule));
    assert!(d.is_success(SuccessEnergy::AnyEnergy));
    // `Other` with a fault error code is a fault stop; without one it is not.
    let mut o = session("o", "1", t, end, dec!(5));
    o.stop_reason = Some("Other".into());
    assert!(o.is_success(rule));
    o.error_codes = vec!["GroundFailure".into()];
    assert!(!o.is_success(rule));
}

/// §9.6 through the OCPP path: an assembled 1.6 session with an EmergencyStop.
#[test]
fn s9_6_success_from_an_ocpp_session() {
    use chargekit::meter::MeterPolicy;
    use chargekit::session::sessions_from_log;
    let log = r#"[2,"1","StartTransaction",{"connectorId":2,"idTag":"TAG","meterStart":1000,"timestamp":"2026-03-10T08:00:00Z"}]
[3,"1",{"transactionId":7,"idTagInfo":{"status":"Accepted"}}]
[2,"2","StopTransaction",{"transactionId":7,"meterStop":3000,"timestamp":"2026-03-10T09:00:00Z","reason":"EmergencyStop"}]"#;
    let s = &sessions_from_log("CP-1", log, None, &MeterPolicy::default()).unwrap()[0];
    let r = SessionRecord::from(s);
    assert_eq!(r.energy, Energy::from_kwh(dec!(2)));
    assert_eq!((r.station_id.as_str(), r.port_id.as_str()), ("CP-1", "2"));
    assert_eq!(r.user_id.as_deref(), Some("TAG"));
    assert_eq!(r.ended_by, Some(EndedBy::Fault));
    assert!(!r.is_success(SuccessEnergy::default()));
    assert_eq!(r.dwell_s(), 3600);
}

/// §9.7 Visit grouping: a failure at charger A followed by a success at charger B five
/// minutes later is one successful visit.
#[test]
fn s9_7_visit_grouping() {
    use chargekit::feedback::{reliability, ReliabilityInput, ReliabilityOptions};
    let mut a = session(
        "a",
        "1",
        "2026-03-02T09:00:00Z",
        "2026-03-02T09:02:00Z",
        dec!(0),
    );
    a.station_id = "A".into();
    let mut b = session(
        "b",
        "1",
        "2026-03-02T09:07:00Z",
        "2026-03-02T10:00:00Z",
        dec!(12),
    );
    b.station_id = "B".into();
    for s in [&mut a, &mut b] {
        s.user_id = Some("U".into());
        s.site_id = Some("SITE".into());
    }
    let opts = ReliabilityOptions {
        period: Some(
            Period::new(utc("2026-03-02T00:00:00Z"), utc("2026-03-03T00:00:00Z")).unwrap(),
        ),
        ..ReliabilityOptions::default()
    };
    let sessions = [a, b];
    let r = reliability(
        &ReliabilityInput {
            sessions: &sessions,
            ..Default::default()
        },
        &opts,
    )
    .unwrap();
    assert_eq!(
        (r.attempts, r.successes, r.visits, r.successful_visits),
        (2, 1, 1, 1)
    );
    assert_eq!(r.charging_success_rate, Some(dec!(0.5)));
    assert_eq!(r.visit_success_rate, Some(dec!(1)));
}

/// §9.8 Two recent successes give no display score; the ranking lower bound is below the
/// displayed score.
#[test]
fn s9_8_score_needs_enough_data_and_ranks_by_a_lower_bound() {
    use chargekit::feedback::{score_one, Feedback, Outcome, ScoreOptions, SessionLink};
    let t = utc("2026-03-02T10:00:00Z");
    let f = |id: &str| {
        let mut f = Feedback::new(id, t, id, "L", Outcome::Success);
        f.session = SessionLink::Verified(format!("S-{id}"));
        f
    };
    let two = [f("a"), f("b")];
    let s = score_one("L", &two, &[], &ScoreOptions::default());
    assert_eq!(s.display_score, None);
    let five: Vec<_> = ["a", "b", "c", "d", "e"].iter().map(|i| f(i)).collect();
    let s = score_one("L", &five, &[], &ScoreOptions::default());
    let shown = s.display_score.unwrap();
    assert!(s.lower_bound * Decimal::TEN < shown);
}

/// §9.9 Feedback 150 m away without a session link is rejected; a second feedback within
/// 1 h is rejected.
#[test]
fn s9_9_feedback_anti_abuse() {
    use chargekit::feedback::{check_feedback, AbusePolicy, Feedback, Outcome, Refusal};
    let t = utc("2026-03-02T10:00:00Z");
    let p = AbusePolicy::default();
    let mut far = Feedback::new("F1", t, "A", "L", Outcome::Success);
    far.distance_m = Some(150);
    assert_eq!(
        check_feedback(&far, &[], None, None, &p),
        Err(Refusal::TooFar {
            distance_m: 150,
            max_m: 100
        })
    );
    let mut first = far.clone();
    first.distance_m = Some(20);
    assert!(check_feedback(&first, &[], None, None, &p).is_ok());
    let mut second = first.clone();
    second.id = "F2".into();
    second.created_at = t + chrono::Duration::minutes(59);
    assert_eq!(
        check_feedback(&second, std::slice::from_ref(&first), None, None, &p),
        Err(Refusal::Cooldown {
            previous_id: "F1".into(),
            retry_after: t + chrono::Duration::hours(1)
        })
    );
    // An hour later it is accepted.
    second.created_at = t + chrono::Duration::minutes(61);
    assert!(check_feedback(&second, &[first], None, None, &p).is_ok());
}
