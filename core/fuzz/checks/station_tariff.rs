//! Fuzzes OCPP 2.1 station tariffs and cost details: the first line is read as a `TariffType`
//! (and as an OCPI tariff), the rest as an OCPP log and as a `CostDetailsType`. Nothing may
//! panic; a tariff read back from its own JSON is the same tariff; the cost chargekit
//! calculates for a session, checked against itself, is a match.

use chargekit::meter::MeterPolicy;
use chargekit::session::sessions_from_log;
use chargekit::station_tariff::{
    check_cost_details, cost_details, CheckOptions, CheckVerdict, CostDetails, LocalCostOptions,
    StationCapabilities, StationTariff, TariffTimeline,
};
use chargekit::tariff::{Language, OcpiVersion, Tariff};

/// One input: see the module docs for what must hold.
pub fn run(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let (first, rest) = text.split_once('\n').unwrap_or((text, ""));
    let _ = CostDetails::from_json(rest);
    if let Ok(ocpi) = Tariff::from_json(first) {
        let (station, _) = StationTariff::from_ocpi(&ocpi);
        let _ = station.to_ocpi(OcpiVersion::V230);
    }
    let Ok(tariff) = StationTariff::from_json(first) else {
        return;
    };
    let again = StationTariff::from_json(&tariff.to_json()).expect("own JSON reads back");
    assert_eq!(
        again, tariff,
        "a tariff read back from its own JSON differs"
    );
    let _ = tariff.validate(&StationCapabilities::default());
    let _ = tariff.lint();
    let _ = tariff.explain(Language::En);
    let _ = tariff.explain(Language::Nl);
    let _ = tariff.to_ocpi(OcpiVersion::V221);
    let Ok(sessions) = sessions_from_log("CP", rest, None, &MeterPolicy::default()) else {
        return;
    };
    let timeline = TariffTimeline::new(tariff);
    let options = LocalCostOptions::default();
    for s in sessions.iter().take(4) {
        let Ok(ours) = cost_details(s, &timeline, None, &options) else {
            continue;
        };
        let read = CostDetails::from_json(&ours.to_json()).expect("own cost details read back");
        if ours.failure_to_calculate != Some(true) {
            let check = check_cost_details(s, &timeline, None, &read, &CheckOptions::default())
                .expect("a calculable cost checks");
            assert_eq!(
                check.verdict,
                CheckVerdict::Match,
                "own cost details do not match"
            );
        }
    }
}
