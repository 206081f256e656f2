//! The HTML site report: what it shows, that it is self-contained, and that a summary
//! survives the JSON round trip the bindings use to hand it back.
#![cfg(feature = "html-report")]
#![allow(clippy::unwrap_used, missing_docs)]

use chargekit::analytics::{generate, summarize, GeneratorConfig, SiteSummary};
use chargekit::feedback::{score, Feedback, Outcome, Problem, ScoreOptions};
use chargekit::meter::{AnomalyKind, MeterPolicy};
use chargekit::report::{anomaly_counts, AnomalyCount, ReportExtras};
use chargekit::session::sessions_from_log;
use chrono::{Duration, TimeZone, Utc};

fn sample() -> SiteSummary {
    let cfg = GeneratorConfig {
        days: 14,
        ..GeneratorConfig::default()
    };
    let sessions = generate(&cfg).unwrap();
    summarize(&sessions, &cfg.summary_options().unwrap()).unwrap()
}

/// The `<svg …>…</svg>` element with the given id.
fn svg<'a>(html: &'a str, id: &str) -> &'a str {
    let start = html.find(&format!(r#"id="{id}""#)).unwrap();
    let start = html[..start].rfind("<svg").unwrap();
    let end = start + html[start..].find("</svg>").unwrap();
    &html[start..end]
}

#[test]
fn heatmaps_have_a_cell_per_hour_of_the_week_with_the_summary_values() {
    let s = sample();
    let html = s.to_html(&ReportExtras::default());
    for id in ["occupancy-heatmap", "arrivals-heatmap"] {
        assert_eq!(
            svg(&html, id).matches(r#"<rect class="cell""#).count(),
            168,
            "{id}"
        );
    }
    // The tooltip of Tuesday 09:00 carries that bucket's arrivals.
    let n = s.heatmaps.arrivals.get(chrono::Weekday::Tue, 9);
    assert!(
        svg(&html, "arrivals-heatmap").contains(&format!("<title>Tue 09:00: {n} arrivals</title>"))
    );
    assert_eq!(
        svg(&html, "hourly-utilisation")
            .matches(r#"<rect class="bar""#)
            .count(),
        24
    );
    // Every port is a row of the ports table.
    for p in &s.ports {
        assert!(html.contains(&format!("<td>{}</td><td>{}</td>", p.station_id, p.port_id)));
    }
    assert!(html.contains(&format!(
        "<b>{}</b><span>sessions</span>",
        s.counts.sessions_used
    )));
}

#[test]
fn the_page_fetches_nothing_and_runs_no_script() {
    let html = sample().to_html(&ReportExtras::default());
    // Declared, so that a browser never guesses the encoding of a file opened from disk.
    assert!(html.contains(r#"<meta charset="utf-8">"#));
    for needle in ["<script", "src=", "href=", "url(", "@import"] {
        assert!(!html.contains(needle), "{needle}");
    }
    // The only URL is the SVG namespace name, which is never fetched.
    let urls = html.matches("http").count();
    assert_eq!(
        urls,
        html.matches(r#"xmlns="http://www.w3.org/2000/svg""#)
            .count()
    );
}

#[test]
fn text_from_the_data_is_escaped() {
    let mut s = sample();
    s.overstay.repeat_overstayers.truncate(1);
    if let Some(u) = s.overstay.repeat_overstayers.first_mut() {
        u.user_id = "<img onerror=x>".into();
    }
    let extras = ReportExtras {
        title: Some("Depot \"North\" & <South>".into()),
        ..ReportExtras::default()
    };
    let html = s.to_html(&extras);
    assert!(html.contains("<title>Depot &quot;North&quot; &amp; &lt;South&gt;</title>"));
    assert!(!html.contains("<img"));
}

#[test]
fn meter_anomalies_are_counted_per_kind_and_shown() {
    let log = include_str!("../../examples/data/site-day-ocpp16.jsonl");
    let sessions = sessions_from_log("CP-ALPHA", log, None, &MeterPolicy::default()).unwrap();
    let counts = anomaly_counts(&sessions);
    // examples/data/README.md: 48231 has a duplicate and an out-of-order message, 48240 a
    // duplicate, 48226 a dip, 48217 a Begin-zero placeholder.
    let of = |kind| {
        counts
            .iter()
            .find(|c: &&AnomalyCount| c.kind == kind)
            .cloned()
    };
    assert_eq!(of(AnomalyKind::Duplicate).map(|c| c.sessions), Some(2));
    assert_eq!(of(AnomalyKind::Dip).map(|c| c.sessions), Some(1));
    assert_eq!(
        of(AnomalyKind::BeginZeroPlaceholder).map(|c| c.sessions),
        Some(1)
    );
    assert!(counts.windows(2).all(|w| w[0].count >= w[1].count));
    let html = sample().to_html(&ReportExtras {
        anomalies: counts,
        ..ReportExtras::default()
    });
    assert!(html.contains("<td>begin_zero_placeholder</td><td class=\"n\">1</td>"));
}

#[test]
fn reliability_scores_are_listed_when_given() {
    let t = Utc.with_ymd_and_hms(2026, 3, 2, 10, 0, 0).unwrap();
    let mut fb: Vec<Feedback> = (0..9)
        .map(|i| {
            Feedback::new(
                format!("F{i}"),
                t + Duration::days(i),
                format!("A{i}"),
                "ST-1",
                Outcome::Success,
            )
        })
        .collect();
    let mut broken = Feedback::new("F9", t + Duration::days(9), "A9", "ST-2", Outcome::Failure);
    broken.problem = Some(Problem::BrokenHardware);
    fb.push(broken);
    for f in &mut fb {
        f.distance_m = Some(25);
    }
    // Two more from one author within the hour, and one from far away: refused.
    let mut again = fb[0].clone();
    again.id = "F10".into();
    again.created_at = fb[0].created_at + Duration::minutes(5);
    let mut far = fb[1].clone();
    far.id = "F11".into();
    far.author_id = "A11".into();
    far.distance_m = Some(400);
    fb.extend([again, far]);
    let report = score(&fb, &[], &ScoreOptions::default());
    assert_eq!(report.refused.len(), 2);
    let html = sample().to_html(&ReportExtras {
        scores: report.scores.clone(),
        refused: report.refused.clone(),
        ..ReportExtras::default()
    });
    assert!(html.contains("Not counted by the anti-abuse screening: 1 × cooldown, 1 × too_far."));
    assert!(html.contains("Reliability from driver feedback"));
    let st1 = &report.scores[0];
    let shown = st1.display_score.map(|d| format!("{d} / 10")).unwrap();
    assert!(html.contains(&format!("<td>ST-1</td><td class=\"n\">{shown}</td>")));
    assert!(html.contains("<td>ST-2</td><td class=\"n\">not enough data</td>"));
    assert!(html.contains("<td>broken_hardware</td>"));
    // Without scores there is no reliability section.
    assert!(!sample()
        .to_html(&ReportExtras::default())
        .contains("Reliability"));
}

#[test]
fn a_summary_reads_back_from_its_json() {
    let s = sample();
    let back: SiteSummary = serde_json::from_str(&s.to_json()).unwrap();
    assert_eq!(back, s);
    let mut v: serde_json::Value = serde_json::from_str(&s.to_json()).unwrap();
    v["heatmaps"]["arrivals"].as_array_mut().unwrap().pop();
    let err = serde_json::from_value::<SiteSummary>(v)
        .unwrap_err()
        .to_string();
    assert!(err.contains("7 rows of 24"), "{err}");
}

#[test]
fn extras_read_from_json_strictly() {
    let e: ReportExtras = serde_json::from_str(
        r#"{"title":"X","anomalies":[{"kind":"dip","sessions":1,"count":2}]}"#,
    )
    .unwrap();
    assert_eq!(e.anomalies[0].kind, AnomalyKind::Dip);
    assert!(serde_json::from_str::<ReportExtras>(r#"{"titel":"X"}"#).is_err());
}

/// The generator settings of `examples/data/site-sessions.jsonl`.
fn sample_site() -> GeneratorConfig {
    GeneratorConfig {
        seed: 7,
        tz: chrono_tz::Europe::Berlin,
        start: chrono::NaiveDate::from_ymd_opt(2026, 3, 2).unwrap(),
        days: 28,
        stations: 3,
        ports_per_station: 2,
        ..GeneratorConfig::default()
    }
}

/// The bundled site sessions are exactly the seeded generator's output, one JSON record per
/// line; `CHARGEKIT_REGENERATE_SAMPLES=1 cargo test` rewrites the file after a generator
/// change.
#[test]
fn bundled_site_sessions_are_the_generator_output() {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../examples/data/site-sessions.jsonl"
    );
    let lines: Vec<String> = generate(&sample_site())
        .unwrap()
        .iter()
        .map(|r| serde_json::to_string(r).unwrap())
        .collect();
    let text = lines.join("\n") + "\n";
    if std::env::var_os("CHARGEKIT_REGENERATE_SAMPLES").is_some() {
        std::fs::write(path, &text).unwrap();
    }
    assert!(
        std::fs::read_to_string(path).unwrap() == text,
        "{path} differs from the generator"
    );
}
