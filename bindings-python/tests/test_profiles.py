"""Smart charging through chargekit.ocpp.SmartChargingStation: the 19 shared composite
vectors, install rules, units, preferences and errors."""

import json
from datetime import datetime, timedelta, timezone
from decimal import Decimal
from pathlib import Path

import pytest

import chargekit
from chargekit.ocpp import CompositeSchedule, SmartChargingStation

UTC = timezone.utc
VECTORS = Path(__file__).resolve().parents[2] / "core" / "tests" / "vectors" / "composite"
T0 = datetime(2026, 3, 10, 8, 0, tzinfo=UTC)


def load(name):
    # parse_float=Decimal: every number crosses exactly, as the API requires
    return json.loads((VECTORS / name).read_text(), parse_float=Decimal)


CASES = load("cases.json")["cases"]
EXPECTED = load("expected.json")["expected"]


def build(case, options):
    """The station and request a case describes, through the Python API only: the
    mapping of core/src/profile/case.rs (CompositeCase::station)."""
    evse_id = case["evse_id"]
    evse_ids = [e["evse_id"] for e in case["evses"]] if evse_id == 0 else [evse_id]
    d = case["defaults"]
    station = SmartChargingStation(
        evse_ids=evse_ids,
        default_limit_amps=d["limit_amps"],
        default_limit_watts=d["limit_watts"],
        supply_voltage=d["supply_voltage"],
        default_number_phases=d["number_phases"],
        options=options,
    )
    placed = [(0, p) for p in case.get("station_profiles", [])]
    if evse_id == 0:
        placed += [(e["evse_id"], p) for e in case["evses"] for p in e.get("profiles", [])]
    else:
        placed += [(evse_id, p) for p in case.get("evse_profiles", [])]
    start = datetime.fromisoformat(case["window"]["start"].replace("Z", "+00:00"))
    end = datetime.fromisoformat(case["window"]["end"].replace("Z", "+00:00"))
    if case["transaction"]["active"]:
        for e in evse_ids:
            own = next((x.get("transaction_start") for x in case.get("evses", []) if x["evse_id"] == e), None)
            anchor = own or case["transaction"]["start"]
            at = datetime.fromisoformat(anchor.replace("Z", "+00:00")) if anchor else start
            tx_id = next(
                (
                    p["transactionId"]
                    for pe, p in placed
                    if pe == e and p["chargingProfilePurpose"] == "TxProfile" and "transactionId" in p
                ),
                None,
            )
            station.start_transaction(e, at, tx_id)
    for e, p in placed:
        if p["chargingProfilePurpose"] == "ChargingStationExternalConstraints":
            station.set_external_constraints(p, e)
        else:
            station.install(p, e, "2.0.1")
    request = dict(evse_id=evse_id, start=start, duration=int((end - start).total_seconds()),
                   unit=case["charging_rate_unit"])
    return station, request


def run(name, options={"duplicates": "keep"}):
    station, request = build(CASES[name], options)
    return station.composite_schedule(**request)


def assert_matches_expected(name, schedule):
    """The vectors' README rules: duration and (startPeriod, limit) exactly; numberPhases
    equal where expected.json has one, "3 or absent" where it has none."""
    want = EXPECTED[name]
    got = schedule.to_ocpp("2.0.1")["schedule"]
    for key in ("evseId", "scheduleStart", "duration", "chargingRateUnit"):
        assert got[key] == want[key], key
    gp, wp = got["chargingSchedulePeriod"], want["chargingSchedulePeriod"]
    assert [(p["startPeriod"], p["limit"]) for p in gp] == [(p["startPeriod"], p["limit"]) for p in wp]
    for g, w in zip(gp, wp):
        if "numberPhases" in w:
            assert g.get("numberPhases") == w["numberPhases"]
        else:
            assert g.get("numberPhases") in (None, 3)


def test_there_are_19_vector_cases():
    assert len(CASES) == 19 and set(CASES) == set(EXPECTED)


@pytest.mark.parametrize("name", sorted(CASES))
def test_vector_case_reproduces_expected(name):
    schedule = run(name)
    assert_matches_expected(name, schedule)
    # the Python view agrees with the OCPP dict, and every period says what bound it
    ocpp = schedule.to_ocpp()["schedule"]["chargingSchedulePeriod"]
    assert [p.start_period for p in schedule.periods] == [p["startPeriod"] for p in ocpp]
    assert [p.limit for p in schedule.periods] == [p["limit"] for p in ocpp]
    for p in schedule.periods:
        assert type(p.limit) is Decimal
        assert p.source in ("profile", "default", "evse_sum")
        assert (p.profile is not None) == (p.source == "profile")
        if p.source == "evse_sum":
            assert [e for e, _ in p.evse_parts] == [e["evse_id"] for e in CASES[name]["evses"]]


def test_evse0_sum_names_each_evse_source():
    s = run("TxDefaultConnector0_evse0")
    first = s.periods[0]
    assert first.source == "evse_sum" and first.profile is None
    assert len(first.evse_parts) == 2
    assert all(ref is not None and ref.id == 66 for _, ref in first.evse_parts)
    assert [r.id for r in first.profiles] == [66]


def test_binding_profile_is_named():
    s = run("OCTT_TC_K_41_CS")
    assert len(s.periods) == 6  # OCTT counts periods
    refs = {(p.profile.id, p.profile.purpose, p.profile.stack_level) for p in s.periods if p.profile}
    assert refs and all(purpose in ("TxProfile", "TxDefaultProfile", "ChargingStationMaxProfile")
                        for _, purpose, _ in refs)
    ref = s.periods[0].profile
    assert ref == s.periods[0].profile and hash(ref) == hash(s.periods[0].profile)
    assert repr(ref).startswith("ChargingProfileRef(id=")


def test_named_options_change_the_result_as_the_readme_says():
    s = run("MixingCurrentAndPower_16A_1P", {"duplicates": "keep", "recurring_before_start": "ignore"})
    assert [(p.start_period, p.limit) for p in s.periods] == [
        (0, 18), (300, 12), (600, 9), (900, 6), (1200, 3)
    ]
    s = run("NoGapsWithSequentialProfiles", {"duplicates": "keep", "gap_fill": "no_limit"})
    assert [p.limit for p in s.periods] == [16, 12, None]
    assert "limit" not in s.to_ocpp()["schedule"]["chargingSchedulePeriod"][2]


# ---- install rules ----


def tx_default(id_, stack_level, limit, unit="A", **extra):
    return {
        "id": id_,
        "stackLevel": stack_level,
        "chargingProfilePurpose": "TxDefaultProfile",
        "chargingProfileKind": "Absolute",
        "chargingSchedule": [{
            "id": 1,
            "startSchedule": "2026-03-10T08:00:00Z",
            "chargingRateUnit": unit,
            "chargingSchedulePeriod": [{"startPeriod": 0, "limit": limit}],
        }],
        **extra,
    }


def test_rejection_names_its_rule():
    station = SmartChargingStation(evse_ids=[1, 2])
    assert station.install(tx_default(1, 5, 16), 1) == []
    with pytest.raises(chargekit.ProfileRejectedError) as info:
        station.install(json.dumps(tx_default(2, 5, 10)), evse_id=1)
    err = info.value
    assert err.rule_id == "K01.FR.06"
    assert err.rule_name == "DuplicateValidity"
    assert "K01.FR.06" in str(err)
    assert isinstance(err, chargekit.ProfileError) and isinstance(err, chargekit.ChargekitError)
    assert isinstance(err, ValueError)
    # the rejected profile was not installed; the same id replaces (K01.FR.05)
    assert [p.id for p in station.profiles] == [1]
    assert station.install(tx_default(1, 5, 10), 1) == [1]


def test_vector_set_that_a_station_rejects_under_the_default_rules():
    with pytest.raises(chargekit.ProfileRejectedError) as info:
        build(CASES["NoGapsWithSequentialProfiles"], None)
    assert info.value.rule_id == "K01.FR.06"


def test_tx_profile_rules_and_transactions():
    station = SmartChargingStation(evse_ids=[1])
    tx = {
        "id": 5, "stackLevel": 0, "chargingProfilePurpose": "TxProfile", "transactionId": "T-1",
        "chargingProfileKind": "Relative",
        "chargingSchedule": [{"id": 1, "chargingRateUnit": "A",
                              "chargingSchedulePeriod": [{"startPeriod": 0, "limit": 10}]}],
    }
    with pytest.raises(chargekit.ProfileRejectedError) as info:
        station.install(tx, 1)
    assert info.value.rule_id == "K01.FR.09"
    station.start_transaction(1, T0, "T-1")
    assert station.transaction(1) == (T0, "T-1")
    station.install(tx, 1)
    s = station.composite_schedule(1, T0, 600)
    assert s.unit == "A"  # the preferred unit
    assert [(p.limit, p.profile.id) for p in s.periods] == [(10, 5)]
    assert station.stop_transaction(1) is True
    assert station.profiles == []  # TxProfiles end with their transaction
    assert station.stop_transaction(1) is False


def test_external_constraints_only_from_a_local_actor():
    station = SmartChargingStation(evse_ids=[1])
    ext = {
        "id": 900, "stackLevel": 0, "chargingProfilePurpose": "ChargingStationExternalConstraints",
        "chargingProfileKind": "Relative",
        "chargingSchedule": [{"id": 1, "chargingRateUnit": "W",
                              "chargingSchedulePeriod": [{"startPeriod": 0, "limit": 11000}]}],
    }
    with pytest.raises(chargekit.ProfileRejectedError) as info:
        station.install(ext)
    assert info.value.rule_id == "K01.FR.22"
    station.set_external_constraints(ext)
    (installed,) = station.profiles
    assert (installed.id, installed.origin, installed.evse_id, installed.version) == (900, "local", 0, "2.0.1")
    assert installed.to_dict()["chargingSchedule"][0]["chargingSchedulePeriod"][0]["limit"] == 11000
    s = station.composite_schedule(1, T0, 60, unit="W")
    assert s.periods[0].limit == Decimal(11000)
    assert s.periods[0].profile.purpose == "ChargingStationExternalConstraints"


def test_clear():
    station = SmartChargingStation(evse_ids=[1])
    station.install(tx_default(1, 0, 16), 0)
    station.install(tx_default(2, 1, 10), 0)
    assert station.clear(stack_level=1) == [2]
    assert station.clear(purpose="TxDefaultProfile") == [1]
    with pytest.raises(ValueError):
        station.clear(purpose="TxDefault")


def test_ocpp16_profile_installs_and_reports_in_16_shape():
    station = SmartChargingStation(evse_ids=[1])
    p16 = {
        "chargingProfileId": 3, "stackLevel": 0, "chargingProfilePurpose": "ChargePointMaxProfile",
        "chargingProfileKind": "Absolute",
        "chargingSchedule": {"startSchedule": "2026-03-10T08:00:00Z", "chargingRateUnit": "A",
                             "chargingSchedulePeriod": [{"startPeriod": 0, "limit": 32},
                                                        {"startPeriod": 1800, "limit": 16.5}]},
    }
    station.install(p16, 0, "1.6")
    assert station.profiles[0].purpose == "ChargingStationMaxProfile"
    assert station.profiles[0].version == "1.6"
    s = station.composite_schedule(1, T0 + timedelta(minutes=10), 3600, "A")
    assert [(p.start_period, p.limit) for p in s.periods] == [(0, 32), (1200, Decimal("16.5"))]
    r16 = s.to_ocpp("1.6")
    assert r16["connectorId"] == 1 and r16["scheduleStart"] == "2026-03-10T08:10:00Z"
    assert r16["chargingSchedule"]["chargingSchedulePeriod"][1] == {"startPeriod": 1200, "limit": Decimal("16.5")}


# ---- units ----


def test_w_vs_a():
    station = SmartChargingStation(evse_ids=[1], supply_voltage=230, default_number_phases=3)
    station.install(tx_default(1, 0, 16, "A"), 1)
    station.start_transaction(1, T0)
    amps = station.composite_schedule(1, T0, 600, unit="A")
    watts = station.composite_schedule(1, T0, 600, unit="W")
    assert (amps.unit, watts.unit) == ("A", "W")
    assert amps.periods[0].limit == 16
    assert watts.periods[0].limit == 16 * 230 * 3  # 11040 W on three phases
    assert watts.to_ocpp()["schedule"]["chargingRateUnit"] == "W"
    # a W profile read back in A
    station2 = SmartChargingStation(evse_ids=[1])
    station2.install(tx_default(1, 0, 6900, "W", ), 1)
    station2.start_transaction(1, T0)
    assert station2.composite_schedule(1, T0, 60, "A").periods[0].limit == 10  # 6900 / (230 x 3)
    # the defaults fill the gaps, in the requested unit
    empty = SmartChargingStation(evse_ids=[1], default_limit_amps=Decimal("32"), default_limit_watts=22080)
    assert empty.composite_schedule(1, T0, 60, "A").periods[0].limit == 32
    assert empty.composite_schedule(1, T0, 60, "W").periods[0].limit == 22080
    assert empty.composite_schedule(1, T0, 60, "W").periods[0].source == "default"
    with pytest.raises(ValueError):
        empty.composite_schedule(1, T0, 60, "kW")


def test_unsupported_unit_is_a_rejection():
    station = SmartChargingStation(evse_ids=[1], options={"supported_units": ["A"]})
    with pytest.raises(chargekit.ProfileRejectedError) as info:
        station.composite_schedule(1, T0, 60, "W")
    assert info.value.rule_id == "K01.FR.26"
    assert station.options["supported_units"] == ["A"]


def test_schedule_object():
    s = SmartChargingStation(evse_ids=[1]).composite_schedule(1, T0, 600)
    assert isinstance(s, CompositeSchedule)
    assert (s.evse_id, s.schedule_start, s.duration, len(s)) == (1, T0, 600, 1)
    assert s.period_at(599).start_period == 0
    assert s.periods[0].limit == Decimal(48) and s.periods[0].number_phases is None
    assert repr(s).startswith("CompositeSchedule(evse_id=1")


# ---- preferences ----


def test_plan_preferences_reports_unmet_wishes_and_installs():
    station = SmartChargingStation(evse_ids=[1])
    now = datetime(2026, 3, 10, 18, 0, tzinfo=UTC)
    station.start_transaction(1, now, "T9")
    plan = station.plan_preferences(
        1, now=now, profile_id=50, stack_level=1,
        max_current_a=32, max_energy_wh=Decimal(60000), departure=now + timedelta(hours=1),
    )
    # 48 A (the station default) does not cap 32 A; one hour at 32 A x 230 V x 3 = 22 080 Wh
    assert plan.deliverable_wh == Decimal(22080)
    assert not plan.all_met
    (wish,) = plan.unmet
    assert (wish.kind, wish.requested_wh, wish.deliverable_wh) == ("energy_shortfall", 60000, 22080)
    assert plan.charging_starts == now
    assert plan.profile["chargingProfilePurpose"] == "TxProfile"
    assert plan.profile["transactionId"] == "T9"
    station.install(plan.profile, 1)
    assert station.composite_schedule(1, now, 600).periods[0].limit == 32

    met = station.plan_preferences(1, now=now, profile_id=51, max_power_w=Decimal(11000),
                                   off_peak=[(now + timedelta(hours=1), now + timedelta(hours=3))],
                                   unit="W")
    assert met.all_met and met.charging_starts == now + timedelta(hours=1)


def test_preference_errors():
    station = SmartChargingStation(evse_ids=[1])
    with pytest.raises(TypeError, match="max_current"):
        station.plan_preferences(1, now=T0, profile_id=1, max_current=16)
    with pytest.raises(TypeError, match="float"):
        station.plan_preferences(1, now=T0, profile_id=1, max_current_a=16.0)
    with pytest.raises(TypeError, match="naive"):
        station.plan_preferences(1, now=T0, profile_id=1, departure=datetime(2026, 3, 10, 9))
    with pytest.raises(chargekit.UnknownEvseError):
        station.plan_preferences(0, now=T0, profile_id=1)
    with pytest.raises(chargekit.InvalidPreferencesError):
        station.plan_preferences(1, now=T0, profile_id=1, off_peak="evenings")


# ---- errors and types ----


def test_malformed_profile_names_the_field():
    station = SmartChargingStation()
    bad = tx_default(1, 0, 16)
    bad["chargingSchedule"][0]["chargingRateUnit"] = "kW"
    with pytest.raises(chargekit.InvalidProfileError) as info:
        station.install(bad)
    assert info.value.field == "chargingSchedule[0].chargingRateUnit"
    assert "kW" in info.value.reason
    with pytest.raises(chargekit.InvalidProfileError) as info:
        station.install('{"id": 1,')
    assert info.value.what.startswith("ChargingProfile")
    with pytest.raises(TypeError):
        station.install(42)


def test_unknown_evse_and_bad_configuration():
    station = SmartChargingStation(evse_ids=[1, 2])
    assert station.evse_ids == [1, 2]
    with pytest.raises(chargekit.UnknownEvseError) as info:
        station.composite_schedule(3, T0, 60)
    assert info.value.evse_id == 3
    with pytest.raises(chargekit.UnknownEvseError):
        station.start_transaction(0, T0)
    with pytest.raises(chargekit.InvalidStationConfigError, match="EVSE ids"):
        SmartChargingStation(evse_ids=[0])
    with pytest.raises(chargekit.InvalidStationConfigError, match="gap_fil"):
        SmartChargingStation(options={"gap_fil": "no_limit"})
    with pytest.raises(chargekit.InvalidStationConfigError, match="3.0"):
        station.install(tx_default(1, 0, 16), 0, version="3.0")
    with pytest.raises(TypeError, match="float"):
        SmartChargingStation(supply_voltage=230.0)
    with pytest.raises(TypeError):
        SmartChargingStation(options="gap_fill=no_limit")


def test_naive_datetimes_are_type_errors():
    station = SmartChargingStation()
    with pytest.raises(TypeError, match="naive"):
        station.composite_schedule(1, datetime(2026, 3, 10, 8), 60)
    with pytest.raises(TypeError, match="naive"):
        station.start_transaction(1, datetime(2026, 3, 10, 8))
    # any aware datetime works, whatever its zone
    cet = timezone(timedelta(hours=1))
    s = station.composite_schedule(1, datetime(2026, 3, 10, 9, tzinfo=cet), 60)
    assert s.schedule_start == T0


def test_composite_durations_have_a_documented_limit():
    # Regression (issue 18 item 6): 2**63 raised OverflowError; 2**40 gave ~1.2 million periods
    # after a silent cap near 2**32 s.
    station = SmartChargingStation(evse_ids=[1])
    for duration in (2**40, 2**63, 2**100):
        with pytest.raises(chargekit.CompositeTooLongError) as info:
            station.composite_schedule(1, T0, duration)
        assert info.value.limit_s == 366 * 86400
        assert info.value.duration_s == min(duration, 2**63 - 1)
    assert len(station.composite_schedule(1, T0, 366 * 86400).periods) == 1
    with pytest.raises(TypeError):
        station.composite_schedule(1, T0, "600")
