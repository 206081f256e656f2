//! OCPP 2.1 local cost per second on the bundled V2X session (charging, idle with a grace
//! period, discharging): the final `CostDetailsType` a 2.1 station computes, the check of a
//! station's report, reading the tariff; side by side with chargekit's OCPI engine pricing the
//! same session under the OCPI conversion of the same tariff. No open-source peer computes
//! 2.1 local cost (the reason the feature exists), so the OCPI engine is the reference.
#![allow(missing_docs)]
// A bench whose setup fails must stop loudly, not measure nothing.
#![allow(clippy::expect_used)]

use chargekit::boundary::pricing::price_session;
use chargekit::boundary::station_tariff::cost_options;
use chargekit::meter::MeterPolicy;
use chargekit::session::sessions_from_log;
use chargekit::station_tariff::{
    check_cost_details, cost_details, CheckOptions, CostDetails, StationTariff, TariffTimeline,
};
use chargekit::tariff::{OcpiVersion, Tariff};
use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use std::hint::black_box;

fn data(name: &str) -> String {
    let path = format!("{}/../examples/data/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(path).expect("the bundled example data is readable")
}

fn station_tariff(c: &mut Criterion) {
    let log = data("v2x-session-ocpp21.jsonl");
    let session = sessions_from_log("CP-V2X", &log, None, &MeterPolicy::default())
        .expect("the V2X log reads")
        .remove(0);
    let tariff_text = data("station-tariff-ocpp21.json");
    let tariff = StationTariff::from_json(&tariff_text).expect("the station tariff reads");
    let timeline = TariffTimeline::new(tariff.clone());
    let options = cost_options(Some("Europe/Amsterdam")).expect("a known zone");
    let (ocpi, _) = tariff
        .to_ocpi(OcpiVersion::V221)
        .expect("the tariff converts");
    let ocpi_text = ocpi.to_ocpi(OcpiVersion::V221).to_string();
    let ocpi = [ocpi];
    let reported =
        CostDetails::from_json(session.reported_cost_details.as_deref().expect("a report"))
            .expect("the station's report reads");
    let check_options = CheckOptions {
        cost: options.clone(),
        ..CheckOptions::default()
    };
    // Both engines must price the session before they are timed.
    cost_details(&session, &timeline, None, &options).expect("local cost");
    price_session(&session, &ocpi, "Europe/Amsterdam", None).expect("OCPI price");

    let mut g = c.benchmark_group("station_tariff");
    g.throughput(Throughput::Elements(1));
    g.bench_function("v2x_session/local_cost_2_1", |b| {
        b.iter(|| black_box(cost_details(black_box(&session), &timeline, None, &options).ok()))
    });
    g.bench_function("v2x_session/ocpi_price_session", |b| {
        b.iter(|| {
            black_box(price_session(black_box(&session), &ocpi, "Europe/Amsterdam", None).ok())
        })
    });
    g.bench_function("v2x_session/check_report", |b| {
        b.iter(|| {
            let c = check_cost_details(
                black_box(&session),
                &timeline,
                None,
                &reported,
                &check_options,
            );
            black_box(c.map(|c| c.verdict).ok())
        })
    });
    g.bench_function("tariff/read_2_1_json", |b| {
        b.iter(|| black_box(StationTariff::from_json(black_box(&tariff_text)).ok()))
    });
    g.bench_function("tariff/read_ocpi_json", |b| {
        b.iter(|| black_box(Tariff::from_json(black_box(&ocpi_text)).ok()))
    });
    g.finish();
}

criterion_group!(benches, station_tariff);
criterion_main!(benches);
