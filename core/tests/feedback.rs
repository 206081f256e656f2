//! Feedback: anti-abuse checks, hand-computed scores, rankings, action items and the
//! reliability KPIs; property tests for scores in [0, 10] and monotone in added successes.
//! Section numbers (§) refer to `docs/analytics-and-feedback.md`.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

use chargekit::analytics::{Period, SessionRecord};
use chargekit::feedback::*;
use chargekit::units::Energy;
use chrono::{DateTime, Duration, TimeZone, Utc};
use proptest::prelude::*;
use rust_decimal::Decimal;
use rust_decimal_macros::dec;

fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 2, 10, 0, 0).unwrap()
}

fn fb(id: &str, author: &str, loc: &str, at: DateTime<Utc>, outcome: Outcome) -> Feedback {
    let mut f = Feedback::new(id, at, author, loc, outcome);
    f.distance_m = Some(10);
    f
}

fn verified(mut f: Feedback) -> Feedback {
    f.session = SessionLink::Verified(format!("S-{}", f.id));
    f
}

fn session(id: &str, station: &str, port: &str, at: DateTime<Utc>, kwh: Decimal) -> SessionRecord {
    SessionRecord::new(
        id,
        station,
        port,
        at,
        at + Duration::minutes(50),
        Energy::from_kwh(kwh),
    )
}

// ---- anti-abuse (§5.3) ----

#[test]
fn verified_feedback_skips_the_distance_check() {
    let mut s = session("S1", "CP-1", "1", t0(), dec!(10));
    s.site_id = Some("LOC".into());
    s.user_id = Some("A".into());
    let mut f = fb(
        "F1",
        "A",
        "LOC",
        t0() + Duration::hours(2),
        Outcome::Success,
    );
    f.distance_m = Some(5_000);
    f.session = SessionLink::Claimed("S1".into());
    let p = AbusePolicy::default();
    assert_eq!(
        check_feedback(&f, &[], Some(&s), None, &p),
        Ok(Verification::Verified {
            session_id: "S1".into()
        })
    );
    // Someone else's session.
    let mut g = f.clone();
    g.author_id = "B".into();
    assert!(matches!(
        check_feedback(&g, &[], Some(&s), None, &p),
        Err(Refusal::SessionNotOwned { .. })
    ));
    // No such session supplied.
    assert!(matches!(
        check_feedback(&f, &[], None, None, &p),
        Err(Refusal::SessionUnknown { .. })
    ));
    // Another location.
    let mut h = f.clone();
    h.location_id = "ELSEWHERE".into();
    assert!(matches!(
        check_feedback(&h, &[], Some(&s), None, &p),
        Err(Refusal::SessionElsewhere { .. })
    ));
    // Weeks later.
    let mut late = f.clone();
    late.created_at = t0() + Duration::days(30);
    assert!(matches!(
        check_feedback(&late, &[], Some(&s), None, &p),
        Err(Refusal::SessionOutOfWindow { .. })
    ));
}

#[test]
fn unverified_feedback_needs_presence_and_new_authors_are_rate_limited() {
    let p = AbusePolicy::default();
    let mut f = fb("F1", "A", "L1", t0(), Outcome::Success);
    f.distance_m = None;
    assert_eq!(
        check_feedback(&f, &[], None, None, &p),
        Err(Refusal::NoPresenceEvidence)
    );
    let history: Vec<Feedback> = (0..3)
        .map(|i| {
            fb(
                &format!("H{i}"),
                "A",
                &format!("L{}", i + 2),
                t0() - Duration::hours(2 + i),
                Outcome::Success,
            )
        })
        .collect();
    let f = fb("F1", "A", "L1", t0(), Outcome::Success);
    assert_eq!(
        check_feedback(&f, &history, None, None, &p),
        Err(Refusal::NewAuthorRateLimited { count: 3, limit: 3 })
    );
    // An author known for a month is not new.
    let known = t0() - Duration::days(30);
    assert_eq!(
        check_feedback(&f, &history, None, Some(known), &p),
        Ok(Verification::Unverified)
    );
    let refusal = check_feedback(&f, &history, None, None, &p).unwrap_err();
    assert!(refusal.to_string().contains("limit of 3"));
    assert_eq!(
        serde_json::to_value(&refusal).unwrap()["rule"],
        "new_author_rate_limited"
    );
    assert_eq!(refusal.rule(), "new_author_rate_limited");
}

// ---- screening before scoring (§5.3) ----

/// Recency left out (half-life 0: every weight is 1) and feedback alone, so that Σw counts.
fn plain_options() -> ScoreOptions {
    ScoreOptions {
        half_life_days: dec!(0),
        blend: Blend::FeedbackOnly,
        ..ScoreOptions::default()
    }
}

/// Eight unverified successes by eight authors a day apart: Σw = 8 × 0.5 = 4, Σws = 4.
fn eight_successes() -> Vec<Feedback> {
    (0..8)
        .map(|i| {
            fb(
                &format!("G{i}"),
                &format!("A{i}"),
                "L",
                t0() + Duration::days(i),
                Outcome::Success,
            )
        })
        .collect()
}

#[test]
fn cooldown_keeps_one_report_per_author_and_hour_in_the_score() {
    let mut items = eight_successes();
    // Ten unverified failures by one author a minute apart.
    let at = t0() + Duration::days(8);
    items.extend((0..10).map(|i| {
        fb(
            &format!("S{i}"),
            "SPAM",
            "L",
            at + Duration::minutes(i),
            Outcome::Failure,
        )
    }));
    let o = plain_options();
    // Screened: one failure counts, Σw = 4.5, Σws = 4; α = 6.8, β = 1.2:
    // p̂ = (4 + 6.8) / (4.5 + 8) = 0.864 → 8.6.
    let screened = score_one("L", &items, &[], &o);
    assert_eq!(screened.effective_n, dec!(4.5));
    assert_eq!(screened.success_probability, dec!(0.864));
    assert_eq!(screened.display_score, Some(dec!(8.6)));
    assert_eq!(screened.feedback, 9);
    // Counted as given: Σw = 9, p̂ = 10.8 / 17 = 0.635294117647 → 6.4.
    let given = ScoreOptions {
        intake: FeedbackIntake::AlreadyScreened,
        ..o.clone()
    };
    let as_given = score_one("L", &items, &[], &given);
    assert_eq!(as_given.effective_n, dec!(9));
    assert_eq!(as_given.success_probability, dec!(0.635294117647));
    assert_eq!(as_given.display_score, Some(dec!(6.4)));
    // The report names each refused item, its rule and the one that counted.
    let report = score(&items, &[], &o);
    let ids: Vec<&str> = report
        .refused
        .iter()
        .map(|r| r.feedback_id.as_str())
        .collect();
    assert_eq!(ids, ["S1", "S2", "S3", "S4", "S5", "S6", "S7", "S8", "S9"]);
    for r in &report.refused {
        assert_eq!(r.refusal.rule(), "cooldown");
        assert!(matches!(&r.refusal, Refusal::Cooldown { previous_id, .. } if previous_id == "S0"));
        assert_eq!(r.message, r.refusal.to_string());
    }
    assert!(score(&items, &[], &given).refused.is_empty());
    // The order of the input does not change what counts.
    let mut reversed = items.clone();
    reversed.reverse();
    assert_eq!(score_one("L", &reversed, &[], &o), screened);
    // An hour later the same author counts again.
    let mut later = items.clone();
    later.push(fb(
        "S10",
        "SPAM",
        "L",
        at + Duration::minutes(60),
        Outcome::Failure,
    ));
    assert_eq!(score_one("L", &later, &[], &o).effective_n, dec!(5));
}

#[test]
fn distance_rule_with_the_verified_exemption() {
    let mut items = eight_successes();
    let at = t0() + Duration::days(9);
    let mut far = fb("FAR", "B1", "L", at, Outcome::Failure);
    far.distance_m = Some(150);
    let mut blind = fb("BLIND", "B2", "L", at, Outcome::Failure);
    blind.distance_m = None;
    // Verified from 5 km: its session at L, of its author, ended 10 minutes before.
    let mut ver = fb("VER", "B3", "L", at + Duration::hours(1), Outcome::Failure);
    ver.distance_m = Some(5_000);
    ver.session = SessionLink::Claimed("S-VER".into());
    let mut s = session("S-VER", "CP-1", "1", at, dec!(0));
    s.site_id = Some("L".into());
    s.user_id = Some("B3".into());
    items.extend([far, blind, ver]);
    let o = plain_options();
    // The verified failure counts at weight 1: Σw = 4 + 1 = 5, Σws = 4,
    // p̂ = 10.8 / 13 = 0.830769230769 → 8.3.
    let sc = score_one("L", &items, std::slice::from_ref(&s), &o);
    assert_eq!(sc.effective_n, dec!(5));
    assert_eq!(sc.success_probability, dec!(0.830769230769));
    assert_eq!(sc.display_score, Some(dec!(8.3)));
    assert_eq!(sc.verified, 1);
    let report = score(&items, std::slice::from_ref(&s), &o);
    let rules: Vec<(&str, &str)> = report
        .refused
        .iter()
        .map(|r| (r.feedback_id.as_str(), r.refusal.rule()))
        .collect();
    assert_eq!(
        rules,
        [("FAR", "too_far"), ("BLIND", "no_presence_evidence")]
    );
    assert_eq!(
        report.refused[0].refusal,
        Refusal::TooFar {
            distance_m: 150,
            max_m: 100
        }
    );
    // Without the session to check the claim against, the item stands on its 5 km: refused.
    let unchecked = score(&items, &[], &o);
    assert_eq!(unchecked.refused.len(), 3);
    assert_eq!(unchecked.refused[2].refusal.rule(), "too_far");
    // A wider policy accepts the 150 m one (unverified, weight 0.5): Σw = 5.5.
    let wide = ScoreOptions {
        abuse: AbusePolicy {
            max_distance_m: 200,
            ..AbusePolicy::default()
        },
        ..o
    };
    assert_eq!(
        score_one("L", &items, std::slice::from_ref(&s), &wide).effective_n,
        dec!(5.5)
    );
}

#[test]
fn new_authors_are_rate_limited_and_screening_says_so() {
    // A new author at four locations within four hours: the fourth is one too many.
    let burst: Vec<Feedback> = (0..4)
        .map(|i| {
            fb(
                &format!("N{i}"),
                "NEW",
                &format!("L{i}"),
                t0() + Duration::hours(i),
                Outcome::Failure,
            )
        })
        .collect();
    let s = screen(&burst, &[], &AbusePolicy::default());
    let accepted: Vec<&str> = s.accepted.iter().map(|f| f.id.as_str()).collect();
    assert_eq!(accepted, ["N0", "N1", "N2"]);
    assert_eq!(
        s.refused[0].refusal,
        Refusal::NewAuthorRateLimited { count: 3, limit: 3 }
    );
    // L3 gets no score at all; the others one each with Σw = 0.5.
    let report = score(&burst, &[], &plain_options());
    let ids: Vec<&str> = report.scores.iter().map(|s| s.id.as_str()).collect();
    assert_eq!(ids, ["L0", "L1", "L2"]);
    // A day after the first, the author may again (the 24 h window has moved on).
    let mut later = burst.clone();
    later[3].created_at = t0() + Duration::hours(24);
    assert_eq!(
        screen(&later, &[], &AbusePolicy::default()).refused.len(),
        0
    );
    // Accepted claimed links come back verified; unverified ones without a link.
    let mut claim = fb("C", "A9", "L", t0(), Outcome::Success);
    claim.session = SessionLink::Claimed("S-C".into());
    let mut sess = session("S-C", "CP-1", "1", t0() - Duration::hours(1), dec!(5));
    sess.site_id = Some("L".into());
    let s = screen(&[claim], &[sess], &AbusePolicy::default());
    assert_eq!(s.accepted[0].session, SessionLink::Verified("S-C".into()));
}

#[test]
fn each_refusal_names_its_rule_as_its_serde_tag() {
    let t = t0();
    let all = [
        Refusal::TooFar {
            distance_m: 1,
            max_m: 0,
        },
        Refusal::NoPresenceEvidence,
        Refusal::Cooldown {
            previous_id: "x".into(),
            retry_after: t,
        },
        Refusal::NewAuthorRateLimited { count: 1, limit: 1 },
        Refusal::SessionUnknown {
            session_id: "s".into(),
        },
        Refusal::SessionNotOwned {
            session_id: "s".into(),
        },
        Refusal::SessionOutOfWindow {
            session_id: "s".into(),
            created_at: t,
        },
        Refusal::SessionElsewhere {
            session_id: "s".into(),
        },
    ];
    for r in all {
        let v = serde_json::to_value(&r).unwrap();
        assert_eq!(v["rule"], r.rule());
        assert_eq!(serde_json::from_value::<Refusal>(v).unwrap(), r);
    }
}

// ---- scores (§6) ----

#[test]
fn hand_computed_score() {
    // At age 0: 6 verified successes, 2 verified failures (weight 1 each) and 2 unverified
    // successes (weight 0.5 each): Σw = 9, Σws = 7. Prior m = 0.85, k = 8: α = 6.8, β = 1.2.
    // p̂ = (7 + 6.8) / (9 + 8) = 0.811764705882…; display 8.1.
    let mut items = Vec::new();
    for i in 0..6 {
        items.push(verified(fb(
            &format!("S{i}"),
            &format!("A{i}"),
            "L",
            t0(),
            Outcome::Success,
        )));
    }
    for i in 0..2 {
        items.push(verified(fb(
            &format!("X{i}"),
            &format!("B{i}"),
            "L",
            t0(),
            Outcome::Failure,
        )));
    }
    for i in 0..2 {
        items.push(fb(
            &format!("U{i}"),
            &format!("C{i}"),
            "L",
            t0(),
            Outcome::Success,
        ));
    }
    let mut neutral = fb("N", "D", "L", t0(), Outcome::Neutral);
    neutral.problem = Some(Problem::Signage);
    items.push(neutral);
    let s = score_one("L", &items, &[], &ScoreOptions::default());
    assert_eq!(s.effective_n, dec!(9));
    assert_eq!(s.weighted_successes, dec!(7));
    assert_eq!(s.success_probability, dec!(0.811764705882));
    assert_eq!(s.display_score, Some(dec!(8.1)));
    assert_eq!(s.recent_success_rate, Some(dec!(0.7778)));
    assert_eq!((s.feedback, s.verified, s.neutral), (11, 8, 1));
    assert!(s.lower_bound < s.success_probability);
    assert_eq!(s.problem_mix[0].problem, Problem::Signage);
    assert_eq!(s.since_last_success_s, Some(0));

    // Neutral as half a success: Σw = 9.5, Σws = 7.25 → (7.25 + 6.8) / 17.5.
    let half = ScoreOptions {
        neutral: NeutralRatings::CountAsHalf,
        ..ScoreOptions::default()
    };
    assert_eq!(
        score_one("L", &items, &[], &half).success_probability,
        dec!(0.802857142857)
    );
    // Verified only: Σw = 8, Σws = 6 → 12.8 / 16 = 0.8.
    let ver = ScoreOptions {
        unverified: UnverifiedFeedback::VerifiedOnly,
        ..ScoreOptions::default()
    };
    assert_eq!(
        score_one("L", &items, &[], &ver).success_probability,
        dec!(0.8)
    );
}

#[test]
fn recency_halves_the_weight_every_half_life() {
    let old = verified(fb(
        "O",
        "A",
        "L",
        t0() - Duration::days(90),
        Outcome::Failure,
    ));
    let new = verified(fb("N", "B", "L", t0(), Outcome::Success));
    let s = score_one("L", &[old, new], &[], &ScoreOptions::default());
    // Σw = 1.5, Σws = 1 → (1 + 6.8) / 9.5.
    assert_eq!(s.effective_n, dec!(1.5));
    assert_eq!(s.success_probability, dec!(0.821052631579));
    assert_eq!(s.display_score, None);
}

#[test]
fn telemetry_is_capped_per_port_and_day() {
    // Six sessions on one port in one day, 3 successful: weight 3 in all, 1.5 successes.
    let day = Utc.with_ymd_and_hms(2026, 3, 2, 6, 0, 0).unwrap();
    let t: Vec<SessionRecord> = (0..6)
        .map(|i| {
            session(
                &format!("T{i}"),
                "CP",
                "1",
                day + Duration::hours(i),
                if i % 2 == 0 { dec!(8) } else { dec!(0) },
            )
        })
        .collect();
    let o = ScoreOptions {
        as_of: Some(Utc.with_ymd_and_hms(2026, 3, 3, 0, 0, 0).unwrap()),
        ..ScoreOptions::default()
    };
    let s = score_one("CP", &[], &t, &o);
    assert_eq!(
        (s.effective_n, s.weighted_successes, s.sessions),
        (dec!(3), dec!(1.5), 6)
    );
    assert_eq!(s.display_score, Some(dec!(7.5))); // (1.5 + 6.8) / 11 = 0.7545…
    let fo = ScoreOptions {
        blend: Blend::FeedbackOnly,
        ..o.clone()
    };
    assert_eq!(score_one("CP", &[], &t, &fo).effective_n, dec!(0));
}

/// §9.8 Two recent successes give no display score; the ranking bound is below the score.
#[test]
fn s9_8_thin_data_has_no_display_score_and_a_lower_bound_below_it() {
    let two = [
        verified(fb("A", "a", "THIN", t0(), Outcome::Success)),
        verified(fb("B", "b", "THIN", t0(), Outcome::Success)),
    ];
    let s = score_one("THIN", &two, &[], &ScoreOptions::default());
    assert_eq!(s.display_score, None);
    assert!(s.lower_bound < s.success_probability);

    let mut many: Vec<Feedback> = (0..40)
        .map(|i| {
            verified(fb(
                &format!("M{i}"),
                &format!("m{i}"),
                "BUSY",
                t0(),
                Outcome::Success,
            ))
        })
        .collect();
    many.push(verified(fb("MX", "mx", "BUSY", t0(), Outcome::Failure)));
    let busy = score_one("BUSY", &many, &[], &ScoreOptions::default());
    let d = busy.display_score.unwrap();
    assert!(busy.lower_bound * Decimal::TEN < d);
    for lb in [LowerBound::Wilson90, LowerBound::BetaQuantile10] {
        let o = ScoreOptions {
            lower_bound: lb,
            ..ScoreOptions::default()
        };
        let mut all = many.clone();
        all.extend(two.iter().cloned());
        let r = score(&all, &[], &o);
        // THIN has a perfect record but must not rank first.
        assert_eq!(r.ranking.ranked[0].id, "BUSY", "{lb:?}");
        assert_eq!(r.ranking.exceptional, vec!["BUSY".to_string()]);
        let thin = r.scores.iter().find(|s| s.id == "THIN").unwrap();
        assert!(thin.lower_bound < thin.success_probability);
    }
}

#[test]
fn failing_ranking_and_actions_since_last_success() {
    let mut items: Vec<Feedback> = (0..10)
        .map(|i| {
            verified(fb(
                &format!("F{i}"),
                &format!("a{i}"),
                "BAD",
                t0() + Duration::hours(i),
                Outcome::Failure,
            ))
        })
        .collect();
    let mut ok = verified(fb(
        "OK",
        "ok",
        "BAD",
        t0() + Duration::hours(20),
        Outcome::Success,
    ));
    ok.evse_id = Some("CP-1".into());
    items.push(ok);
    // Broken hardware on CP-1: one report before the success, two after it.
    for (i, h) in [(0, 1), (1, 21), (2, 22)] {
        let mut f = fb(
            &format!("BH{i}"),
            &format!("b{i}"),
            "BAD",
            t0() + Duration::hours(h),
            Outcome::Failure,
        );
        f.evse_id = Some("CP-1".into());
        f.problem = Some(Problem::BrokenHardware);
        items.push(f);
    }
    // Blocked twice on CP-2, but a telemetry success on CP-2 after the first.
    for (i, h) in [(0, 2), (1, 30)] {
        let mut f = fb(
            &format!("BV{i}"),
            &format!("c{i}"),
            "BAD",
            t0() + Duration::hours(h),
            Outcome::Failure,
        );
        f.evse_id = Some("CP-2".into());
        f.problem = Some(Problem::BlockedByVehicle);
        items.push(f);
    }
    let tel = [session(
        "T",
        "CP-2",
        "1",
        t0() + Duration::hours(5),
        dec!(9),
    )];
    let r = score(&items, &tel, &ScoreOptions::default());
    assert_eq!(r.ranking.failing, vec!["BAD".to_string()]);
    assert_eq!(r.actions.len(), 1);
    let a = &r.actions[0];
    assert_eq!(
        (a.evse_id.as_deref(), a.problem, a.reports),
        (Some("CP-1"), Problem::BrokenHardware, 2)
    );
    assert_eq!(a.first_reported, t0() + Duration::hours(21));
    assert_eq!(a.last_success, Some(t0() + Duration::hours(20)));
}

// ---- reliability KPIs (§4) ----

fn ts(d: u32, h: u32, m: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, d, h, m, 0).unwrap()
}

fn status(st: &str, port: &str, at: DateTime<Utc>, s: PortStatus) -> StatusEvent {
    StatusEvent {
        station_id: st.into(),
        port_id: Some(port.into()),
        at,
        status: s,
    }
}

#[test]
fn reliability_kpis_hand_computed() {
    let period = Period::new(ts(1, 0, 0), ts(31, 0, 0)).unwrap(); // 30 days
    let status = vec![
        status("CP-1", "1", ts(3, 0, 0), PortStatus::Faulted),
        status("CP-1", "1", ts(3, 12, 0), PortStatus::Available),
        status("CP-1", "1", ts(10, 0, 0), PortStatus::Unavailable),
        status("CP-1", "1", ts(12, 0, 0), PortStatus::Available),
        status("CP-1", "2", ts(15, 0, 0), PortStatus::Unavailable),
        status("CP-1", "2", ts(19, 0, 0), PortStatus::Available),
    ];
    let exclusions = vec![
        ExcludedOutage {
            station_id: "CP-1".into(),
            port_id: Some("1".into()),
            start: ts(10, 0, 0),
            end: ts(12, 0, 0),
            cause: ExclusionCause::Vandalism,
        },
        ExcludedOutage {
            station_id: "CP-1".into(),
            port_id: None,
            start: ts(15, 0, 0),
            end: ts(19, 0, 0),
            cause: ExclusionCause::PlannedMaintenance,
        },
    ];
    // CP-2 heartbeats every 5 min, silent from 20 March 00:00 to 21 March 00:00.
    let mut heartbeats = Vec::new();
    let mut t = ts(1, 0, 0);
    while t < ts(31, 0, 0) {
        if t <= ts(20, 0, 0) || t >= ts(21, 0, 0) {
            heartbeats.push(Heartbeat {
                station_id: "CP-2".into(),
                at: t,
            });
        }
        t += Duration::minutes(5);
    }
    // §9.7 shape: user U fails at CP-1 and succeeds at CP-2 five minutes later; V succeeds.
    let mut fail = session("A1", "CP-1", "1", ts(5, 10, 0), dec!(0));
    fail.plug_out = ts(5, 10, 2);
    fail.stop_reason = Some("EmergencyStop".into());
    let mut ok = session("A2", "CP-2", "1", ts(5, 10, 7), dec!(10));
    for s in [&mut fail, &mut ok] {
        s.user_id = Some("U".into());
        s.site_id = Some("SITE".into());
    }
    let mut v = session("A3", "CP-1", "2", ts(6, 9, 0), dec!(12));
    v.user_id = Some("V".into());
    let sessions = vec![fail, ok, v];
    let tickets = vec![
        Ticket {
            station_id: "CP-1".into(),
            opened: ts(3, 0, 0),
            resolved: Some(ts(3, 12, 0)),
            site_visits: 1,
            remote: false,
        },
        Ticket {
            station_id: "CP-1".into(),
            opened: ts(10, 0, 0),
            resolved: Some(ts(12, 0, 0)),
            site_visits: 2,
            remote: false,
        },
        Ticket {
            station_id: "CP-2".into(),
            opened: ts(20, 0, 0),
            resolved: Some(ts(21, 0, 0)),
            site_visits: 0,
            remote: true,
        },
        Ticket {
            station_id: "CP-2".into(),
            opened: ts(29, 0, 0),
            resolved: None,
            site_visits: 0,
            remote: false,
        },
    ];
    let input = ReliabilityInput {
        sessions: &sessions,
        status: &status,
        heartbeats: &heartbeats,
        exclusions: &exclusions,
        tickets: &tickets,
    };
    let opts = ReliabilityOptions {
        period: Some(period),
        ..ReliabilityOptions::default()
    };
    let r = reliability(&input, &opts).unwrap();

    assert_eq!((r.attempts, r.successes), (3, 2));
    assert_eq!(r.charging_success_rate, Some(dec!(0.6667)));
    // §9.7: U's failure at A and success at B 5 minutes later are one successful visit.
    assert_eq!((r.visits, r.successful_visits), (2, 2));
    assert_eq!(r.visit_success_rate, Some(dec!(1)));

    let p11 = &r.ports[0];
    assert_eq!(
        (p11.station_id.as_str(), p11.port_id.as_str()),
        ("CP-1", "1")
    );
    // 12 h faulted + 48 h unavailable (vandalism, excluded): (30 d − 12 h) / 30 d.
    assert_eq!((p11.outage_s, p11.excluded_s), (216_000, 172_800));
    assert_eq!(p11.uptime_pct, dec!(98.333));
    assert!(p11.meets_target);
    assert_eq!((p11.failures, p11.faults), (2, 1));
    assert_eq!(p11.mttr_s, Some(dec!(108000)));
    assert_eq!(p11.mtbf_s, Some(dec!(1188000)));

    let p12 = &r.ports[1];
    // 96 h of maintenance, of which 72 h excluded: (30 d − 24 h) / 30 d.
    assert_eq!((p12.outage_s, p12.excluded_s), (345_600, 259_200));
    assert_eq!(p12.uptime_pct, dec!(96.667));
    assert!(!p12.meets_target);

    let p21 = &r.ports[2];
    // Offline from 15 min (3 missed heartbeats) after the last one until the next: 23 h 45 min.
    assert_eq!(p21.outage_s, 85_500);
    assert_eq!(p21.uptime_pct, dec!(96.701));
    assert_eq!(p21.failures, 0);

    assert_eq!(r.ports_meeting_target, Some(dec!(0.3333)));
    // 1 fault, 2 chargers over 30 / 30.4375 months.
    assert_eq!(r.faults_per_charger_month, Some(dec!(0.5073)));
    assert_eq!(r.faults_per_1000_sessions, Some(dec!(333.3333)));
    assert_eq!(r.mttr_s, Some(dec!(187200)));
    assert_eq!(r.mtbf_s, Some(dec!(2404800)));
    assert_eq!(r.first_time_fix_rate, Some(dec!(0.5)));
    assert_eq!(r.remote_resolution_rate, Some(dec!(0.3333)));

    // StatusOnly ignores connectivity.
    let so = ReliabilityOptions {
        uptime_source: UptimeSource::StatusOnly,
        ..opts
    };
    assert_eq!(
        reliability(&input, &so).unwrap().ports[2].uptime_pct,
        dec!(100)
    );
}

// ---- properties ----

prop_compose! {
    fn arb_feedback()(
        id in 0u32..1000,
        age_h in 0i64..(24 * 400),
        outcome in prop_oneof![Just(Outcome::Success), Just(Outcome::PartialSuccess), Just(Outcome::Failure), Just(Outcome::Neutral)],
        ver in any::<bool>(),
        stars in proptest::option::of(1u8..=5),
        hidden in any::<bool>(),
    ) -> Feedback {
        let mut f = fb(&format!("F{id}"), &format!("A{id}"), "L", t0() - Duration::hours(age_h), outcome);
        if ver { f = verified(f); }
        f.stars = stars.map(|s| Stars::new(s).unwrap());
        if hidden && id % 7 == 0 { f.moderation = Moderation::Hidden; }
        f
    }
}

prop_compose! {
    fn arb_session()(id in 0u32..1000, port in 0u8..3, age_h in 0i64..(24 * 200), kwh in 0u32..40, fault in any::<bool>()) -> SessionRecord {
        let mut s = session(&format!("T{id}"), "L", &port.to_string(), t0() - Duration::hours(age_h), Decimal::from(kwh));
        if fault { s.stop_reason = Some("PowerLoss".into()); }
        s
    }
}

prop_compose! {
    fn arb_options()(
        blend in prop_oneof![Just(Blend::Both), Just(Blend::FeedbackOnly), Just(Blend::TelemetryOnly)],
        half in any::<bool>(),
        vo in any::<bool>(),
        beta in any::<bool>(),
        cap in 1u32..5,
    ) -> ScoreOptions {
        ScoreOptions {
            as_of: Some(t0()),
            blend,
            neutral: if half { NeutralRatings::CountAsHalf } else { NeutralRatings::Exclude },
            unverified: if vo { UnverifiedFeedback::VerifiedOnly } else { UnverifiedFeedback::default() },
            lower_bound: if beta { LowerBound::BetaQuantile10 } else { LowerBound::Wilson90 },
            telemetry_daily_cap_per_port: cap,
            ..ScoreOptions::default()
        }
    }
}

fn check_ranges(s: &Score) -> Result<(), TestCaseError> {
    prop_assert!(s
        .display_score
        .is_none_or(|d| d >= Decimal::ZERO && d <= Decimal::TEN));
    prop_assert!(s.success_probability >= Decimal::ZERO && s.success_probability <= Decimal::ONE);
    prop_assert!(s.lower_bound >= Decimal::ZERO && s.lower_bound <= s.success_probability);
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    #[test]
    fn scores_lie_in_range_and_rise_with_added_successes(
        feedback in proptest::collection::vec(arb_feedback(), 0..25),
        telemetry in proptest::collection::vec(arb_session(), 0..25),
        o in arb_options(),
        extra_age_h in 0i64..(24 * 300),
        extra_kind in 0u8..3,
        extra_port in 0u8..3,
    ) {
        let before = score_one("L", &feedback, &telemetry, &o);
        check_ranges(&before)?;
        let (mut f2, mut t2) = (feedback.clone(), telemetry.clone());
        let at = t0() - Duration::hours(extra_age_h);
        match extra_kind {
            0 => f2.push(verified(fb("NEW", "new", "L", at, Outcome::Success))),
            1 => f2.push(fb("NEW", "new", "L", at, Outcome::Success)),
            _ => t2.push(session("NEW", "L", &extra_port.to_string(), at, dec!(20))),
        }
        let after = score_one("L", &f2, &t2, &o);
        check_ranges(&after)?;
        prop_assert!(after.success_probability >= before.success_probability);
        if let (Some(a), Some(b)) = (after.display_score, before.display_score) {
            prop_assert!(a >= b);
        }
        prop_assert!(after.effective_n >= before.effective_n);
        if o.lower_bound == LowerBound::Wilson90 {
            prop_assert!(after.lower_bound >= before.lower_bound, "{} < {}", after.lower_bound, before.lower_bound);
        }
    }
}
