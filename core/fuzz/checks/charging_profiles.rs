//! Fuzzes charging profiles into a two-EVSE station and its composite schedules. Each input
//! line is one profile: its first character picks how it is sent (`1` 1.6, `2` 2.0.1, `3`
//! 2.1, anything else as 2.0.1 external constraints), its second the EVSE (digit mod 3), the
//! rest is the profile JSON. Nothing may panic, and when every installed profile uses one
//! rate unit, no composite period may be above the limit that the station-maximum profiles
//! alone, or the external constraints alone, set (read at the same instants, in the same
//! unit; where they leave a gap, the station's default fills it and caps nothing).

use chargekit::profile::{
    ChargingProfilePurpose as Purpose, ChargingRateUnit, CompositeSchedule, InstalledProfile,
    ProfileVersion, SmartChargingStation, StationConfig,
};
use chrono::{DateTime, Duration, Utc};
use rust_decimal::Decimal;

fn t0() -> DateTime<Utc> {
    DateTime::from_timestamp(1_767_225_600, 0).expect("2026-01-01")
}

fn station() -> SmartChargingStation {
    let mut st =
        SmartChargingStation::new(StationConfig::with_evses(&[1, 2])).expect("valid config");
    for evse in [1, 2] {
        st.start_transaction(evse, t0(), Some("TX".into()))
            .expect("known EVSE");
    }
    st
}

/// Every `chargingRateUnit` named in the profile.
fn units(p: &InstalledProfile) -> Vec<String> {
    let v = serde_json::to_value(&p.profile).expect("a profile serialises");
    let mut out = Vec::new();
    if let Some(schedules) = v.get("chargingSchedule").and_then(|s| s.as_array()) {
        for s in schedules {
            if let Some(u) = s.get("chargingRateUnit").and_then(|u| u.as_str()) {
                out.push(u.to_owned());
            }
        }
    }
    out
}

/// A station holding only the installed profiles of `purpose`.
fn only(installed: &[InstalledProfile], purpose: Purpose) -> SmartChargingStation {
    let mut st = station();
    for p in installed.iter().filter(|p| p.purpose == purpose) {
        let done = if purpose == Purpose::ChargingStationExternalConstraints {
            st.set_external_constraints(p.profile.clone(), p.evse_id, p.version)
        } else {
            st.install_profile(p.profile.clone(), p.evse_id, p.version)
        };
        done.expect("a profile the full station took is taken alone");
    }
    st
}

fn limit_at(s: &CompositeSchedule, offset: u32) -> Option<Decimal> {
    s.period_at(offset).and_then(|p| p.limit)
}

/// The limit a profile sets at `offset`: None in a gap, where the station's default fills
/// in (a gap value is no cap: a TxDefaultProfile may allow more).
fn profile_limit_at(s: &CompositeSchedule, offset: u32) -> Option<Decimal> {
    s.period_at(offset)
        .filter(|p| p.binding.is_some())
        .and_then(|p| p.limit)
}

/// One input: see the module docs for what must hold.
pub fn run(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let mut st = station();
    for line in text.lines() {
        let mut chars = line.chars();
        let (Some(how), Some(evse)) = (chars.next(), chars.next()) else {
            continue;
        };
        let json = chars.as_str();
        let evse = evse.to_digit(10).unwrap_or(0) % 3;
        let _ = match how {
            '1' => st.install(json, evse, ProfileVersion::V16),
            '2' => st.install(json, evse, ProfileVersion::V201),
            '3' => st.install(json, evse, ProfileVersion::V21),
            _ => chargekit::profile::ChargingProfile::from_json(json)
                .and_then(|p| st.set_external_constraints(p, evse, ProfileVersion::V201)),
        };
    }
    let start = t0() - Duration::hours(1);
    for evse in [0, 1] {
        let _ = st.composite_schedule(evse, start, 172_800, None);
    }

    let installed = st.profiles();
    let mut all_units: Vec<String> = installed.iter().flat_map(units).collect();
    all_units.sort();
    all_units.dedup();
    let unit = match all_units.as_slice() {
        [u] if u == "A" => ChargingRateUnit::A,
        [u] if u == "W" => ChargingRateUnit::W,
        _ => return,
    };
    // Local generation adds capacity above the other limits: no cap to check.
    if installed
        .iter()
        .any(|p| p.purpose == Purpose::LocalGeneration)
    {
        return;
    }
    let Ok(s) = st.composite_schedule(1, start, 172_800, Some(unit)) else {
        return;
    };
    for purpose in [
        Purpose::ChargingStationMaxProfile,
        Purpose::ChargingStationExternalConstraints,
    ] {
        let cap = only(&installed, purpose)
            .composite_schedule(1, start, 172_800, Some(unit))
            .expect("the capping station's composite");
        let instants = s.periods.iter().chain(&cap.periods).map(|p| p.start_period);
        for t in instants {
            if let (Some(got), Some(max)) = (limit_at(&s, t), profile_limit_at(&cap, t)) {
                assert!(
                    got <= max + Decimal::new(1, 9),
                    "t={t}: {got} above the {purpose:?} cap {max}"
                );
            }
        }
    }
}
