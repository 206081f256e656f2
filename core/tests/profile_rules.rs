//! One test per validation rule of `docs/charging-profiles.md` §2.5 (and the few install
//! rules next to them): each shows the rejection naming the rule id, and the accepted
//! counterpart.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use chargekit::profile::{
    ChargingProfile, ChargingRateUnit, ClearCriteria, DuplicatePolicy, ProfileVersion, Rule,
    SmartChargingStation, StationConfig, StationOptions,
};
use chargekit::Error;
use chrono::{DateTime, TimeZone, Utc};
use rust_decimal::Decimal;
use serde_json::{json, Value};

const V16: ProfileVersion = ProfileVersion::V16;
const V201: ProfileVersion = ProfileVersion::V201;
const V21: ProfileVersion = ProfileVersion::V21;

fn at(h: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 10, h, 0, 0).unwrap()
}

/// A 2.x TxDefaultProfile (Absolute, 16 A) with `patch` applied: top-level keys replace,
/// `schedule` merges into chargingSchedule[0], `periods` replaces its periods.
fn profile(patch: Value) -> String {
    let mut p = json!({"id": 1, "stackLevel": 0, "chargingProfilePurpose": "TxDefaultProfile",
        "chargingProfileKind": "Absolute", "chargingSchedule": [{"id": 1,
        "startSchedule": "2026-03-10T08:00:00Z", "chargingRateUnit": "A",
        "chargingSchedulePeriod": [{"startPeriod": 0, "limit": 16}]}]});
    for (k, v) in patch.as_object().unwrap() {
        match k.as_str() {
            "schedule" => {
                for (sk, sv) in v.as_object().unwrap() {
                    if sv.is_null() {
                        p["chargingSchedule"][0].as_object_mut().unwrap().remove(sk);
                    } else {
                        p["chargingSchedule"][0][sk] = sv.clone();
                    }
                }
            }
            "periods" => p["chargingSchedule"][0]["chargingSchedulePeriod"] = v.clone(),
            _ if v.is_null() => {
                p.as_object_mut().unwrap().remove(k);
            }
            _ => p[k] = v.clone(),
        }
    }
    p.to_string()
}

/// The same as a 1.6 profile.
fn profile16(patch: Value) -> String {
    let mut p = json!({"chargingProfileId": 1, "stackLevel": 0, "chargingProfilePurpose": "TxDefaultProfile",
        "chargingProfileKind": "Absolute", "chargingSchedule": {
        "startSchedule": "2026-03-10T08:00:00Z", "chargingRateUnit": "A",
        "chargingSchedulePeriod": [{"startPeriod": 0, "limit": 16}]}});
    for (k, v) in patch.as_object().unwrap() {
        p[k] = v.clone();
    }
    p.to_string()
}

fn station(options: StationOptions) -> SmartChargingStation {
    let mut st = SmartChargingStation::new(StationConfig {
        options,
        ..StationConfig::with_evses(&[1, 2])
    })
    .unwrap();
    st.start_transaction(1, at(8), Some("TX-1".into())).unwrap();
    st
}

fn default_station() -> SmartChargingStation {
    station(StationOptions::default())
}

#[track_caller]
fn rejected(r: Result<impl std::fmt::Debug, Error>, rule: Rule, id: &str) {
    match r {
        Err(e @ Error::ProfileRejected { .. }) => {
            let got = e.rule();
            assert_eq!(got, Some(rule), "{e}");
            assert_eq!(got.map(Rule::id), Some(id));
            let text = e.to_string();
            assert!(text.contains(id), "{text}");
        }
        other => panic!("expected {id}, got {other:?}"),
    }
}

fn tx(patch: Value) -> String {
    let mut base = json!({"chargingProfilePurpose": "TxProfile", "transactionId": "TX-1"});
    for (k, v) in patch.as_object().unwrap() {
        base[k] = v.clone();
    }
    profile(base)
}

#[test]
fn k01_fr_03_tx_profile_needs_a_transaction_id() {
    let mut st = default_station();
    rejected(
        st.install(&tx(json!({"transactionId": null})), 1, V201),
        Rule::TxProfileMissingTransactionId,
        "K01.FR.03",
    );
    // 1.6 has no such requirement: the profile applies to the running transaction.
    st.install(
        &profile16(json!({"chargingProfilePurpose": "TxProfile"})),
        1,
        V16,
    )
    .unwrap();
}

#[test]
fn k01_fr_16_tx_profile_needs_an_evse() {
    rejected(
        default_station().install(&tx(json!({})), 0, V201),
        Rule::TxProfileOnStation,
        "K01.FR.16",
    );
}

#[test]
fn k01_fr_09_tx_profile_needs_an_active_transaction() {
    let mut st = default_station();
    rejected(
        st.install(&tx(json!({})), 2, V201),
        Rule::TxProfileWithoutTransaction,
        "K01.FR.09",
    );
    st.install(&tx(json!({})), 1, V201).unwrap();
    // Ending the transaction removes its TxProfiles.
    st.stop_transaction(1).unwrap();
    assert!(st.profiles().is_empty());
}

#[test]
fn k01_fr_33_tx_profile_names_the_running_transaction() {
    rejected(
        default_station().install(&tx(json!({"transactionId": "TX-9"})), 1, V201),
        Rule::TxProfileTransactionNotOnEvse,
        "K01.FR.33",
    );
}

#[test]
fn k01_fr_38_station_max_is_not_relative() {
    let mut st = default_station();
    let max = |kind: &str| {
        let mut patch = json!({"chargingProfilePurpose": "ChargingStationMaxProfile", "chargingProfileKind": kind});
        if kind == "Relative" {
            patch["schedule"] = json!({"startSchedule": null});
        }
        profile(patch)
    };
    rejected(
        st.install(&max("Relative"), 0, V201),
        Rule::StationMaxRelative,
        "K01.FR.38",
    );
    // ... and it belongs to EVSE 0.
    rejected(
        st.install(&max("Absolute"), 1, V201),
        Rule::StationMaxOnEvse,
        "SetChargingProfileRequest.evseId",
    );
    st.install(&max("Absolute"), 0, V201).unwrap();
}

#[test]
fn k01_fr_22_csms_cannot_send_external_constraints() {
    let mut st = default_station();
    let ext =
        profile(json!({"id": 50, "chargingProfilePurpose": "ChargingStationExternalConstraints"}));
    rejected(
        st.install(&ext, 0, V201),
        Rule::ExternalConstraintsFromCsms,
        "K01.FR.22",
    );
    // A local EMS can; the CSMS then cannot reuse its id (K01.FR.05) or clear it (K10.FR.06).
    st.set_external_constraints(ChargingProfile::from_json(&ext).unwrap(), 0, V201)
        .unwrap();
    rejected(
        st.install(&profile(json!({"id": 50})), 0, V201),
        Rule::ExternalConstraintsIdInUse,
        "K01.FR.05",
    );
    assert!(st.clear(&ClearCriteria::default()).unwrap().is_empty());
    assert!(st
        .clear(&ClearCriteria {
            purpose: Some(
                chargekit::profile::ChargingProfilePurpose::ChargingStationExternalConstraints
            ),
            ..ClearCriteria::default()
        })
        .is_err());
    assert_eq!(
        st.clear_external_constraints(&ClearCriteria::default()),
        vec![50]
    );
}

#[test]
fn k01_fr_05_same_id_replaces_and_1_6_replaces_same_stack_level() {
    let mut st = default_station();
    st.install(
        &profile(json!({"periods": [{"startPeriod": 0, "limit": 16}]})),
        0,
        V201,
    )
    .unwrap();
    let out = st
        .install(
            &profile(json!({"periods": [{"startPeriod": 0, "limit": 10}]})),
            0,
            V201,
        )
        .unwrap();
    assert_eq!(out.replaced, vec![1]);
    assert_eq!(st.profiles().len(), 1);
    let s = st
        .composite_schedule(1, at(9), 60, Some(ChargingRateUnit::A))
        .unwrap();
    assert_eq!(s.periods[0].limit, Some(Decimal::from(10)));

    // 1.6: same stackLevel + purpose + connector with another id replaces the older one.
    let mut st = default_station();
    st.install(&profile16(json!({"chargingProfileId": 1})), 1, V16)
        .unwrap();
    let out = st
        .install(&profile16(json!({"chargingProfileId": 2})), 1, V16)
        .unwrap();
    assert_eq!(out.replaced, vec![1]);
    assert_eq!(
        st.profiles().iter().map(|p| p.id).collect::<Vec<_>>(),
        vec![2]
    );
    // ... unless DuplicatePolicy::Reject (the 2.x behaviour) is chosen (§3 #9).
    let mut st = station(StationOptions {
        duplicates: DuplicatePolicy::Reject,
        ..StationOptions::default()
    });
    st.install(&profile16(json!({"chargingProfileId": 1})), 1, V16)
        .unwrap();
    rejected(
        st.install(&profile16(json!({"chargingProfileId": 2})), 1, V16),
        Rule::DuplicateValidity,
        "K01.FR.06",
    );
}

#[test]
fn k01_fr_06_same_stack_purpose_evse_with_overlapping_validity() {
    let mut st = default_station();
    st.install(
        &profile(json!({"id": 1, "validFrom": "2026-03-01T00:00:00Z", "validTo": "2026-03-11T00:00:00Z"})),
        0,
        V201,
    )
    .unwrap();
    rejected(
        st.install(
            &profile(json!({"id": 2, "validFrom": "2026-03-10T00:00:00Z"})),
            0,
            V201,
        ),
        Rule::DuplicateValidity,
        "K01.FR.06",
    );
    // Not overlapping, another EVSE or another stack level: accepted.
    st.install(
        &profile(json!({"id": 2, "validFrom": "2026-03-11T00:00:00Z"})),
        0,
        V201,
    )
    .unwrap();
    st.install(&profile(json!({"id": 3, "stackLevel": 1})), 0, V201)
        .unwrap();
    st.install(&profile(json!({"id": 4, "stackLevel": 2})), 1, V201)
        .unwrap();
    st.install(&profile(json!({"id": 5, "stackLevel": 2})), 2, V201)
        .unwrap();
}

#[test]
fn k01_fr_39_tx_profiles_with_same_stack_level_and_transaction() {
    let mut st = default_station();
    st.install(&tx(json!({"id": 10})), 1, V201).unwrap();
    rejected(
        st.install(&tx(json!({"id": 11})), 1, V201),
        Rule::TxProfileStackLevelConflict,
        "K01.FR.39",
    );
    st.install(&tx(json!({"id": 11, "stackLevel": 1})), 1, V201)
        .unwrap();
}

#[test]
fn k01_fr_26_unit_must_be_supported() {
    let mut st = station(StationOptions {
        supported_units: vec![ChargingRateUnit::A],
        ..StationOptions::default()
    });
    rejected(
        st.install(
            &profile(json!({"schedule": {"chargingRateUnit": "W"}})),
            0,
            V201,
        ),
        Rule::RateUnitUnsupported,
        "K01.FR.26",
    );
    rejected(
        st.composite_schedule(1, at(9), 60, Some(ChargingRateUnit::W)),
        Rule::RateUnitUnsupported,
        "K01.FR.26",
    );
    st.install(&profile(json!({})), 0, V201).unwrap();
}

#[test]
fn k01_fr_31_first_start_period_is_zero() {
    rejected(
        default_station().install(
            &profile(json!({"periods": [{"startPeriod": 10, "limit": 16}]})),
            0,
            V201,
        ),
        Rule::FirstPeriodNotZero,
        "K01.FR.31",
    );
}

#[test]
fn k01_fr_35_start_periods_strictly_increase() {
    for periods in [
        json!([{"startPeriod": 0, "limit": 16}, {"startPeriod": 0, "limit": 8}]),
        json!([{"startPeriod": 0, "limit": 16}, {"startPeriod": 600, "limit": 8}, {"startPeriod": 300, "limit": 4}]),
    ] {
        rejected(
            default_station().install(&profile(json!({ "periods": periods })), 0, V201),
            Rule::PeriodsOutOfOrder,
            "K01.FR.35",
        );
    }
}

#[test]
fn k01_fr_40_absolute_and_recurring_need_start_schedule() {
    let mut st = default_station();
    rejected(
        st.install(
            &profile(json!({"schedule": {"startSchedule": null}})),
            0,
            V201,
        ),
        Rule::StartScheduleMissing,
        "K01.FR.40",
    );
    // open-ocpp PR #137: a Recurring profile without start must be rejected, in 1.6 too.
    let recurring16 = json!({"chargingProfileKind": "Recurring", "recurrencyKind": "Daily",
        "chargingSchedule": {"chargingRateUnit": "A", "chargingSchedulePeriod": [{"startPeriod": 0, "limit": 16}]}});
    rejected(
        st.install(&profile16(recurring16), 0, V16),
        Rule::StartScheduleMissing,
        "K01.FR.40",
    );
    // 1.6 Absolute without startSchedule is allowed (it starts at validFrom or now).
    let absolute16 = json!({"chargingSchedule": {"chargingRateUnit": "A", "chargingSchedulePeriod": [{"startPeriod": 0, "limit": 16}]}});
    st.install(&profile16(absolute16), 1, V16).unwrap();
    // A Recurring profile needs its recurrencyKind.
    rejected(
        st.install(
            &profile(json!({"id": 3, "chargingProfileKind": "Recurring"})),
            0,
            V201,
        ),
        Rule::Schema,
        "schema",
    );
}

#[test]
fn k01_fr_41_relative_has_no_start_schedule() {
    rejected(
        default_station().install(
            &profile(json!({"chargingProfileKind": "Relative"})),
            0,
            V201,
        ),
        Rule::StartScheduleExtraneous,
        "K01.FR.41",
    );
}

#[test]
fn k01_fr_19_phase_to_use_needs_a_single_phase() {
    let mut st = station(StationOptions {
        ac_phase_switching_supported: true,
        ..StationOptions::default()
    });
    rejected(
        st.install(&profile(json!({"periods": [{"startPeriod": 0, "limit": 16, "numberPhases": 3, "phaseToUse": 2}]})), 0, V201),
        Rule::PhaseToUseWithoutSinglePhase,
        "K01.FR.19",
    );
    st.install(&profile(json!({"periods": [{"startPeriod": 0, "limit": 16, "numberPhases": 1, "phaseToUse": 2}]})), 0, V201)
        .unwrap();
}

#[test]
fn k01_fr_20_phase_to_use_needs_phase_switching() {
    rejected(
        default_station().install(&profile(json!({"periods": [{"startPeriod": 0, "limit": 16, "numberPhases": 1, "phaseToUse": 2}]})), 0, V201),
        Rule::PhaseSwitchingUnsupported,
        "K01.FR.20",
    );
}

#[test]
fn k01_fr_45_number_phases_within_the_supply() {
    let mut st = station(StationOptions {
        supply_phases: 1,
        ..StationOptions::default()
    });
    rejected(
        st.install(
            &profile(json!({"periods": [{"startPeriod": 0, "limit": 16, "numberPhases": 3}]})),
            0,
            V201,
        ),
        Rule::NumberPhasesUnsupported,
        "K01.FR.45",
    );
}

/// K01.FR.49: an AC period without numberPhases counts as 3 phases.
#[test]
fn k01_fr_49_missing_number_phases_means_three() {
    let mut st = default_station();
    st.install(&profile(json!({"schedule": {"chargingRateUnit": "W"}, "periods": [{"startPeriod": 0, "limit": 11040}]})), 0, V201)
        .unwrap();
    let s = st
        .composite_schedule(1, at(9), 60, Some(ChargingRateUnit::A))
        .unwrap();
    assert_eq!(s.periods[0].limit, Some(Decimal::from(16))); // 11040 / (230 x 3)
    assert_eq!(s.periods[0].number_phases, None); // §3 #11: omitted by default ...
    let st2 = {
        // ... or reported as EVerest's full stack does.
        let mut st2 = station(StationOptions {
            report_default_phases: true,
            ..StationOptions::default()
        });
        st2.install(&profile(json!({"schedule": {"chargingRateUnit": "W"}, "periods": [{"startPeriod": 0, "limit": 11040}]})), 0, V201)
            .unwrap();
        st2
    };
    let s = st2
        .composite_schedule(1, at(9), 60, Some(ChargingRateUnit::A))
        .unwrap();
    assert_eq!(s.periods[0].number_phases, Some(3));
}

#[test]
fn k01_fr_53_tx_default_stack_level_on_station_and_evse() {
    let mut st = default_station();
    st.install(&profile(json!({"id": 1, "stackLevel": 3})), 0, V201)
        .unwrap();
    rejected(
        st.install(&profile(json!({"id": 2, "stackLevel": 3})), 1, V201),
        Rule::DuplicateTxDefaultStackLevel,
        "K01.FR.53",
    );
    st.install(&profile(json!({"id": 2, "stackLevel": 4})), 1, V201)
        .unwrap();
}

fn priority(patch: Value) -> String {
    let mut base = json!({"chargingProfilePurpose": "PriorityCharging", "chargingProfileKind": "Relative",
        "schedule": {"startSchedule": null}});
    for (k, v) in patch.as_object().unwrap() {
        base[k] = v.clone();
    }
    profile(base)
}

#[test]
fn k01_fr_73_priority_charging_has_no_duration() {
    let mut st = default_station();
    rejected(
        st.install(
            &priority(json!({"schedule": {"startSchedule": null, "duration": 600}})),
            1,
            V21,
        ),
        Rule::PriorityChargingDuration,
        "K01.FR.73",
    );
    // PriorityCharging is a 2.1 purpose.
    rejected(
        st.install(&priority(json!({})), 1, V201),
        Rule::Schema,
        "schema",
    );
    st.install(&priority(json!({})), 1, V21).unwrap();
}

#[test]
fn k01_fr_70_priority_charging_only_charges() {
    rejected(
        default_station().install(
            &priority(json!({"periods": [{"startPeriod": 0, "limit": 16, "operationMode": "CentralSetpoint"}]})),
            1,
            V21,
        ),
        Rule::PriorityChargingMode,
        "K01.FR.70",
    );
    // K01.FR.111/114 for the station maximum likewise.
    rejected(
        default_station().install(
            &profile(
                json!({"chargingProfilePurpose": "ChargingStationMaxProfile",
                "periods": [{"startPeriod": 0, "limit": 16, "operationMode": "Idle"}]}),
            ),
            0,
            V21,
        ),
        Rule::OperationModeNotAllowed,
        "K01.FR.114",
    );
}

#[test]
fn k01_fr_141_conflicting_phase_to_use() {
    let mut st = station(StationOptions {
        ac_phase_switching_supported: true,
        ..StationOptions::default()
    });
    st.install(&profile(json!({"id": 1, "periods": [{"startPeriod": 0, "limit": 16, "numberPhases": 1, "phaseToUse": 1}]})), 0, V21)
        .unwrap();
    rejected(
        st.install(&tx(json!({"id": 2, "periods": [{"startPeriod": 0, "limit": 16, "numberPhases": 1, "phaseToUse": 3}]})), 1, V21),
        Rule::PhaseConflict,
        "K01.FR.141",
    );
    st.install(&tx(json!({"id": 2, "periods": [{"startPeriod": 0, "limit": 16, "numberPhases": 1, "phaseToUse": 1}]})), 1, V21)
        .unwrap();
}

#[test]
fn k01_fr_143_144_phase_limits_only_in_tx_profiles() {
    let per_phase = json!([{"startPeriod": 0, "limit": 16, "limit_L2": 10, "limit_L3": 10}]);
    rejected(
        default_station().install(&profile(json!({"periods": per_phase})), 0, V21),
        Rule::PhaseLimitsOutsideTxProfile,
        "K01.FR.144",
    );
    default_station()
        .install(&tx(json!({"periods": per_phase})), 1, V21)
        .unwrap();
}

#[test]
fn k01_fr_145_146_phase_limits_need_limit() {
    rejected(
        default_station().install(
            &tx(json!({"periods": [{"startPeriod": 0, "limit_L2": 10}]})),
            1,
            V21,
        ),
        Rule::PhaseLimitsWithoutLimit,
        "K01.FR.146",
    );
}

#[test]
fn k01_fr_81_ids_reserved_for_external_constraints() {
    let mut st = station(StationOptions {
        max_external_constraints_id: Some(1000),
        ..StationOptions::default()
    });
    rejected(
        st.install(&profile(json!({"id": 1000})), 0, V21),
        Rule::ExternalConstraintsIdReserved,
        "K01.FR.81",
    );
    st.install(&profile(json!({"id": 1001})), 0, V21).unwrap();
}

#[test]
fn k01_fr_28_evse_must_exist() {
    rejected(
        default_station().install(&profile(json!({})), 7, V201),
        Rule::EvseUnknown,
        "K01.FR.28",
    );
}

/// SteVe #1177: the 1.6 schema wants limits (and minChargingRate) in multiples of 0.1.
#[test]
fn schema_1_6_limits_are_multiples_of_0_1() {
    let mut st = default_station();
    let bad = json!({"chargingSchedule": {"startSchedule": "2026-03-10T08:00:00Z", "chargingRateUnit": "A",
        "chargingSchedulePeriod": [{"startPeriod": 0, "limit": 16.05}]}});
    rejected(st.install(&profile16(bad), 0, V16), Rule::Schema, "schema");
    let ok = json!({"chargingSchedule": {"startSchedule": "2026-03-10T08:00:00Z", "chargingRateUnit": "A",
        "chargingSchedulePeriod": [{"startPeriod": 0, "limit": 16.1}], "minChargingRate": 6.0}});
    st.install(&profile16(ok), 0, V16).unwrap();
    // 2.x has no such constraint.
    st.install(
        &profile(
            json!({"id": 9, "stackLevel": 9, "periods": [{"startPeriod": 0, "limit": 16.05}]}),
        ),
        0,
        V201,
    )
    .unwrap();
}

#[test]
fn schema_rules() {
    let mut st = default_station();
    for patch in [
        json!({"periods": []}),
        json!({"chargingSchedule": []}),
        json!({"periods": [{"startPeriod": 0, "limit": -1}]}),
        json!({"periods": [{"startPeriod": 0, "limit": 16, "numberPhases": 4}]}),
        json!({"validFrom": "2026-03-10T00:00:00Z", "validTo": "2026-03-09T00:00:00Z"}),
        json!({"periods": [{"startPeriod": 0}]}),
    ] {
        rejected(
            st.install(&profile(patch.clone()), 0, V201),
            Rule::Schema,
            "schema",
        );
    }
    let four = json!({"id": 1, "startSchedule": "2026-03-10T08:00:00Z", "chargingRateUnit": "A",
        "chargingSchedulePeriod": [{"startPeriod": 0, "limit": 16}]});
    rejected(
        st.install(
            &profile(json!({"chargingSchedule": [four, four, four, four]})),
            0,
            V201,
        ),
        Rule::Schema,
        "schema",
    );
    // ChargingScheduleMaxPeriods (ev-server #4146).
    let mut small = station(StationOptions {
        max_periods: 2,
        ..StationOptions::default()
    });
    rejected(
        small.install(
            &profile(json!({"periods": [{"startPeriod": 0, "limit": 16}, {"startPeriod": 60, "limit": 8}, {"startPeriod": 120, "limit": 4}]})),
            0,
            V201,
        ),
        Rule::Schema,
        "schema",
    );
}

#[test]
fn every_rule_has_a_distinct_name() {
    let mut names: Vec<&str> = Rule::ALL.iter().map(|r| r.name()).collect();
    names.sort_unstable();
    names.dedup();
    assert_eq!(names.len(), Rule::ALL.len());
    assert!(Rule::ALL.iter().all(|r| !r.id().is_empty()));
}
