//! The report page: key figures, charts and tables in a fixed order, styled inline.

use super::svg::weekday_hour;
use super::svg::{self, Cell};
use super::ReportExtras;
use crate::analytics::SiteSummary;
use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use maud::{html, Markup, PreEscaped, DOCTYPE};
use rust_decimal::Decimal;

const STYLE: &str = "
body{font:14px/1.45 system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;color:#1b2430;margin:0;background:#fff}
main{max-width:1040px;margin:0 auto;padding:24px}
h1{font-size:24px;margin:0 0 4px}h2{font-size:18px;margin:32px 0 8px;border-bottom:1px solid #dde3ea;padding-bottom:4px}
.sub{color:#5b6776;margin:0 0 16px}
.figures{display:grid;grid-template-columns:repeat(auto-fill,minmax(150px,1fr));gap:10px}
.figure{border:1px solid #dde3ea;border-radius:6px;padding:8px 10px}
.figure b{display:block;font-size:20px}.figure span{color:#5b6776;font-size:12px}
table{border-collapse:collapse;width:100%;margin:6px 0}th,td{padding:4px 8px;border-bottom:1px solid #eef2f7;text-align:left}
td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}
.axis{font-size:11px;fill:#5b6776}.grid{stroke:#dde3ea}.bar{fill:#4292c6}
.legend{display:flex;align-items:center;gap:8px;font-size:12px;color:#5b6776;margin:4px 0 12px 40px}
.none{color:#5b6776;font-style:italic}
svg{max-width:100%;height:auto}
";

/// Repeat overstayers listed by name; the rest are counted.
const OFFENDERS: usize = 10;

pub(super) fn render(s: &SiteSummary, extras: &ReportExtras) -> Markup {
    let title = extras
        .title
        .clone()
        .or_else(|| s.site_id.clone())
        .unwrap_or_else(|| "Site report".into());
    let tz: Tz = s.tz.parse().unwrap_or(Tz::UTC);
    html! {
        (DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (title) }
                style { (PreEscaped(STYLE)) }
            }
            body { main {
                h1 { (title) }
                p class="sub" {
                    (local_day(s.period.start(), tz)) " to "
                    (local_day(s.period.end() - chrono::Duration::seconds(1), tz))
                    " (" (s.tz) ") · " (s.demand.ports) " ports on " (s.stations.len()) " stations"
                }
                (figures(s))
                (heatmaps(s))
                (hourly(s))
                (ports(s))
                (peaks(s))
                (overstay(s))
                (off_peak(s))
                (reliability(extras))
                (data_quality(s, extras))
            } }
        }
    }
}

fn figures(s: &SiteSummary) -> Markup {
    let figure = |value: String, label: &str| {
        html! { div class="figure" { b { (value) } span { (label) } } }
    };
    let d = &s.demand;
    html! {
        div class="figures" {
            (figure(s.counts.sessions_used.to_string(), "sessions"))
            (figure(format!("{} kWh", kwh(s.energy.total_kwh)), "energy delivered"))
            (figure(pct(s.utilisation.occupied), "occupied (utilisation)"))
            (figure(pct(s.utilisation.charging), "charging"))
            (figure(pct(s.utilisation.congestion), "all ports busy"))
            (figure(format!("{} / {}", d.peak_busy_ports, d.ports), "most ports busy at once"))
            (figure(d.success_rate.map_or_else(|| "–".into(), pct), "successful sessions"))
            (figure(d.turn_aways.to_string(), "turn-aways"))
        }
    }
}

fn heatmaps(s: &SiteSummary) -> Markup {
    let h = &s.heatmaps;
    let occupancy = cells(h.occupancy.values(), |v| {
        (*v, format!("{} of ports occupied", pct(*v)))
    });
    let arrivals = cells(h.arrivals.values(), |n| {
        (Decimal::from(*n), format!("{n} arrivals"))
    });
    let most = h.arrivals.values().iter().copied().max().unwrap_or(0);
    html! {
        h2 { "When the site is busy" }
        p { "Mean share of ports occupied per hour of the week (site local time)." }
        (svg::heatmap("occupancy-heatmap", "Occupancy by hour of week", &occupancy, Decimal::ONE))
        (svg::legend("0 %", "100 %"))
        p { "Sessions starting in each hour of the week, over the whole period." }
        (svg::heatmap("arrivals-heatmap", "Arrivals by hour of week", &arrivals, Decimal::from(most)))
        (svg::legend("0", &format!("{most} arrivals")))
    }
}

/// Heatmap cells of hour-of-week values: each value's place on the colour scale and its
/// tooltip, prefixed with the weekday and hour.
fn cells<T>(values: &[T], cell: impl Fn(&T) -> (Decimal, String)) -> Vec<Cell> {
    values
        .iter()
        .enumerate()
        .map(|(i, v)| {
            let (value, text) = cell(v);
            Cell {
                value,
                label: format!("{}: {text}", when(i)),
            }
        })
        .collect()
}

/// Occupancy per hour of the day: the week's hours weighted by their available time.
fn hourly(s: &SiteSummary) -> Markup {
    let (occ, avail) = (
        s.heatmaps.occupancy.values(),
        s.heatmaps.available_h.values(),
    );
    let shares: Vec<(Decimal, String)> = (0..24)
        .map(|hour| {
            let (mut weighted, mut hours) = (Decimal::ZERO, Decimal::ZERO);
            for i in (hour..occ.len()).step_by(24) {
                let a = avail.get(i).copied().unwrap_or_default();
                weighted = weighted.saturating_add(occ[i].saturating_mul(a));
                hours = hours.saturating_add(a);
            }
            let share = weighted.checked_div(hours).unwrap_or_default();
            (
                share,
                format!("{hour:02}:00–{hour:02}:59: {} occupied", pct(share)),
            )
        })
        .collect();
    html! {
        h2 { "Utilisation by hour of the day" }
        (svg::hour_bars("hourly-utilisation", "Mean occupancy by local hour of the day", &shares))
    }
}

fn ports(s: &SiteSummary) -> Markup {
    html! {
        h2 { "Ports" }
        table {
            thead { tr {
                th { "Station" } th { "Port" } th class="n" { "kW" } th class="n" { "Sessions" }
                th class="n" { "kWh" } th { "Occupied" } th class="n" { "Charging" }
                th class="n" { "Idle" } th class="n" { "Overstays" }
            } }
            tbody { @for p in &s.ports { tr {
                td { (p.station_id) } td { (p.port_id) }
                td class="n" { (p.rated_kw.map_or_else(|| "–".into(), |k| k.normalize().to_string())) }
                td class="n" { (p.sessions) } td class="n" { (kwh(p.energy_kwh)) }
                td { (svg::share_bar(p.occupied_rate)) " " (pct(p.occupied_rate)) }
                td class="n" { (pct(p.charging_rate)) } td class="n" { (pct(p.idle_rate)) }
                td class="n" { (p.overstays) }
            } } }
        }
        @if !s.counts.stations_without_use.is_empty() {
            p { "Stations without any session: " (s.counts.stations_without_use.join(", ")) }
        }
    }
}

fn peaks(s: &SiteSummary) -> Markup {
    html! {
        h2 { "Peak hours" }
        @if s.peak_hours.is_empty() { p class="none" { "No sessions in the period." } } @else {
            table {
                thead { tr { th { "Hour" } th class="n" { "Occupied" } th class="n" { "Arrivals" } } }
                tbody { @for p in &s.peak_hours { tr {
                    td { (p.weekday) " " (format!("{:02}:00", p.hour)) }
                    td class="n" { (pct(p.occupancy)) } td class="n" { (p.arrivals) }
                } } }
            }
        }
    }
}

fn overstay(s: &SiteSummary) -> Markup {
    let o = &s.overstay;
    html! {
        h2 { "Overstay" }
        p {
            (o.sessions) " sessions (" (pct(o.share)) ") stayed plugged in more than "
            (duration(o.grace_s)) " after charging ended, " (duration(o.total_s)) " in all."
        }
        @if !o.repeat_overstayers.is_empty() {
            table {
                thead { tr {
                    th { "User (pseudonymous)" } th class="n" { "Sessions" } th class="n" { "Overstays" }
                    th class="n" { "Share" } th class="n" { "Overstay time" }
                } }
                tbody { @for u in o.repeat_overstayers.iter().take(OFFENDERS) { tr {
                    td { (u.user_id) } td class="n" { (u.sessions) } td class="n" { (u.overstays) }
                    td class="n" { (pct(u.share)) } td class="n" { (duration(u.overstay_s)) }
                } } }
            }
            @if o.repeat_overstayers.len() > OFFENDERS {
                p { "… and " (o.repeat_overstayers.len() - OFFENDERS) " more users with repeated overstays." }
            }
        }
    }
}

fn off_peak(s: &SiteSummary) -> Markup {
    let o = &s.off_peak;
    let w = &o.window;
    html! {
        h2 { "Off-peak shift" }
        p {
            "Peak window " (format!("{:02}:00–{:02}:00", w.start_hour, w.end_hour))
            @if w.weekdays_only { " on weekdays" } ": "
            (kwh(o.peak_energy_kwh)) " of " (kwh(o.total_energy_kwh)) " kWh charged in it ("
            (o.peak_share.map_or_else(|| "–".into(), pct)) "). "
            (kwh(o.shiftable_kwh)) " kWh ("
            (o.shiftable_share.map_or_else(|| "–".into(), pct))
            ") could move to off-peak hours within the same stays; "
            (o.flexible_sessions) " of " (o.sessions_in_peak) " sessions could move all of it."
            @if let Some(v) = o.value_at_price_delta { " Worth " (v.round_dp(2)) " at the given price difference." }
        }
    }
}

fn reliability(extras: &ReportExtras) -> Markup {
    html! {
        @if !extras.scores.is_empty() {
            h2 { "Reliability from driver feedback" }
            table {
                thead { tr {
                    th { "Location" } th class="n" { "Score" } th class="n" { "Success" }
                    th class="n" { "Feedback" } th { "Most reported problem" } th class="n" { "Since last success" }
                } }
                tbody { @for sc in &extras.scores { tr {
                    td { (sc.id) }
                    td class="n" { (sc.display_score.map_or_else(|| "not enough data".into(), |d| format!("{d} / 10"))) }
                    td class="n" { (pct(sc.success_probability)) }
                    td class="n" { (sc.feedback) " (" (sc.verified) " verified)" }
                    td { (sc.problem_mix.first().map_or("–", |p| p.problem.as_str())) }
                    td class="n" { (sc.since_last_success_s.map_or_else(|| "–".into(), duration)) }
                } } }
            }
            @let refused = refusals(extras);
            @if !refused.is_empty() {
                p {
                    "Not counted by the anti-abuse screening: "
                    (refused.iter().map(|(rule, n)| format!("{n} × {rule}")).collect::<Vec<_>>().join(", "))
                    "."
                }
            }
        }
    }
}

/// Refused feedback counted per rule, in rule order.
fn refusals(extras: &ReportExtras) -> Vec<(&'static str, usize)> {
    let mut by_rule = std::collections::BTreeMap::new();
    for r in &extras.refused {
        *by_rule.entry(r.refusal.rule()).or_insert(0) += 1;
    }
    by_rule.into_iter().collect()
}

fn data_quality(s: &SiteSummary, extras: &ReportExtras) -> Markup {
    html! {
        h2 { "Data quality" }
        @if extras.anomalies.is_empty() && s.flags.is_empty() {
            p class="none" { "No anomalies in the meter data given and no session flagged." }
        }
        @if !extras.anomalies.is_empty() {
            p { "Anomalies found in the meter data (reported, not silently fixed):" }
            table {
                thead { tr { th { "Anomaly" } th class="n" { "Sessions" } th class="n" { "Found" } } }
                tbody { @for a in &extras.anomalies { tr {
                    td { (a.kind.as_str()) } td class="n" { (a.sessions) } td class="n" { (a.count) }
                } } }
            }
        }
        @if !s.flags.is_empty() {
            p { "Sessions flagged by validation:" }
            table {
                thead { tr { th { "Flag" } th { "Severity" } th class="n" { "Sessions" } } }
                tbody { @for f in &s.flags { tr {
                    td { (f.flag.as_str()) } td { (format!("{:?}", f.severity).to_lowercase()) }
                    td class="n" { (f.count) }
                } } }
            }
        }
    }
}

fn when(i: usize) -> String {
    let (day, hour) = weekday_hour(i);
    format!("{day} {hour:02}:00")
}

fn local_day(t: DateTime<Utc>, tz: Tz) -> String {
    t.with_timezone(&tz).format("%a %Y-%m-%d").to_string()
}

fn pct(share: Decimal) -> String {
    share
        .checked_mul(Decimal::ONE_HUNDRED)
        .map_or_else(|| "–".into(), |p| format!("{} %", one_place(p)))
}

fn kwh(v: Decimal) -> String {
    one_place(v)
}

/// One decimal place, rounded half away from zero (`{:.1}` alone would truncate).
fn one_place(v: Decimal) -> String {
    let v = v.round_dp_with_strategy(1, rust_decimal::RoundingStrategy::MidpointAwayFromZero);
    format!("{v:.1}")
}

/// `"3 d 07 h"`, `"2 h 05 min"`, `"12 min"` or `"40 s"`.
fn duration(s: i64) -> String {
    match s {
        s if s >= 2 * 86_400 => format!("{} d {:02} h", s / 86_400, s % 86_400 / 3600),
        s if s >= 3600 => format!("{} h {:02} min", s / 3600, s % 3600 / 60),
        s if s >= 60 => format!("{} min", s / 60),
        s => format!("{s} s"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal_macros::dec;

    #[test]
    fn numbers_read_as_people_write_them() {
        assert_eq!(pct(dec!(0.4567)), "45.7 %");
        assert_eq!(pct(dec!(0.00049)), "0.0 %");
        assert_eq!(kwh(dec!(12)), "12.0");
        assert_eq!(kwh(dec!(-0.25)), "-0.3");
        assert_eq!(duration(7500), "2 h 05 min");
        assert_eq!(duration(187 * 3600), "7 d 19 h");
        assert_eq!(duration(47 * 3600), "47 h 00 min");
        assert_eq!(duration(720), "12 min");
        assert_eq!(duration(40), "40 s");
    }
}
