"""chargekit.planning: cost-optimal plans and site load sharing, on hand-computed cases
mirrored from core/tests/planning_plan.rs, planning_exact.rs and planning_site.rs."""

import json
from datetime import datetime, timedelta, timezone
from decimal import Decimal

import pytest

import chargekit
from chargekit import planning
from chargekit.ocpi import Tariff
from chargekit.ocpp import SmartChargingStation

UTC = timezone.utc
T0 = datetime(2026, 3, 10, 22, 0, tzinfo=UTC)
D = Decimal


def hourly(prices, start=T0):
    """(start, price) tuples, one per hour from ``start``."""
    return [(start + timedelta(hours=h), D(p)) for h, p in enumerate(prices)]


def request(hours, need, max_w, **extra):
    r = {"start": T0, "departure": T0 + timedelta(hours=hours), "energy_wh": need, "ev": {"max_power_w": max_w}}
    r.update(extra)
    return r


def on_rows(p):
    return [(i.start.strftime("%H:%M"), i.end.strftime("%H:%M"), i.power_w) for i in p.intervals if i.power_w > 0]


TOU_TARIFF = """{"country_code":"NL","party_id":"ABC","id":"TOU","currency":"EUR",
  "elements":[
    {"price_components":[{"type":"FLAT","price":0.50,"vat":21,"step_size":1}]},
    {"price_components":[{"type":"ENERGY","price":0.40,"vat":21,"step_size":1}],
     "restrictions":{"start_time":"07:00","end_time":"23:00"}},
    {"price_components":[{"type":"ENERGY","price":0.20,"vat":21,"step_size":1}]}]}"""


# ---------------------------------------------------------------- plans


def test_cheapest_two_hours_of_eight():
    # 22 kWh at 11 kW over 22:00-06:00: the two cheapest hours, 01:00-03:00 (0.12 and 0.11).
    p = planning.plan(request(8, 22000, 11000, prices=hourly(["0.30", "0.25", "0.18", "0.12", "0.11", "0.15", "0.22", "0.28"])))
    assert isinstance(p, planning.Plan)
    assert p.feasible and p.optimal
    assert p.expected_cost == D("2.53")  # 11 × 0.12 + 11 × 0.11
    assert p.energy_wh == D("22000") and p.need_wh == D("22000") and p.shortfall_wh == 0
    assert p.strategy == "cheapest"
    assert p.switches == 2
    # per-interval values: (aware datetime, Decimal) pairs on the 15-minute grid
    sched = p.schedule
    assert len(sched) == 32
    start, power = sched[0]
    assert start == T0 and start.tzinfo is not None and start.utcoffset() == timedelta(0)
    assert isinstance(power, Decimal) and power == 0
    on = [(t, w) for t, w in sched if w > 0]
    assert [t for t, _ in on] == [T0 + timedelta(hours=3, minutes=15 * k) for k in range(8)]
    assert {w for _, w in on} == {D("11000")}
    row = p.intervals[12]
    assert (row.start, row.end) == (T0 + timedelta(hours=3), T0 + timedelta(hours=3, minutes=15))
    assert (row.power_w, row.energy_wh, row.max_power_w, row.price_per_kwh) == (D("11000"), D("2750"), D("11000"), D("0.12"))
    assert row.co2_g_per_kwh is None and p.expected_co2_g is None and p.currency is None
    # the TxProfile: Absolute, validTo = departure, 0 W then 11 kW from 01:00 to 03:00
    prof = p.profile
    assert prof["chargingProfilePurpose"] == "TxProfile"
    assert prof["chargingProfileKind"] == "Absolute"
    sched0 = prof["chargingSchedule"][0]
    assert [(x["startPeriod"], x["limit"]) for x in sched0["chargingSchedulePeriod"]] == [(0, 0), (3 * 3600, 11000), (5 * 3600, 0)]
    assert datetime.fromisoformat(prof["validTo"].replace("Z", "+00:00")) == T0 + timedelta(hours=8)
    assert json.loads(p.profile_json)["id"] == prof["id"] == 1


def test_cheapest_hours_first_with_hourly_grid_and_dict_points():
    prices = [{"start": t, "value": v} for t, v in hourly(["0.30", "0.10", "0.40", "0.20"])]
    p = planning.plan(request(4, 15000, 10000, interval_s=3600, prices=prices))
    assert on_rows(p) == [("23:00", "00:00", D("10000")), ("01:00", "02:00", D("5000"))]
    assert p.expected_cost == D("2") and p.switches == 3


def test_infeasible_need_reports_the_shortfall_and_the_best_partial_plan():
    p = planning.plan(request(2, 30000, 11000, prices=hourly(["0.30", "0.20"])))
    assert not p.feasible
    assert p.energy_wh == D("22000")
    assert p.shortfall_wh == D("8000")
    assert p.expected_cost == D("5.5")  # 11 × 0.30 + 11 × 0.20


def test_min_charging_rate_pauses_instead_of_trickling():
    # 1 kWh at a 4.2 kW minimum: part of one interval at >= 4.2 kW, a pause for the rest.
    r = request(2, 1000, 11000, prices=hourly(["0.30", "0.20"]))
    r["ev"]["min_power_w"] = D("4200")
    p = planning.plan(r)
    assert p.feasible
    assert all(w == 0 or w >= D("4200") for _, w in p.schedule)
    on = on_rows(p)
    assert len(on) == 1 and on[0][0] == "23:00"
    assert D("1000") <= p.energy_wh < D("1001")
    assert p.profile["chargingSchedule"][0]["minChargingRate"] == 4200


def test_as_late_as_possible_needs_no_prices():
    p = planning.plan(request(4, 15000, 10000, strategy="as_late_as_possible"))
    assert on_rows(p)[0][0] == "00:30"
    assert p.energy_wh == D("15000") and p.expected_cost == 0
    assert p.strategy == "as_late_as_possible"


# ---------------------------------------------------------------- exact strategies (issue 15)
# Mirrored from core/tests/planning_exact.rs: inside a block an interval only has to charge
# at the least power (the minimum rate, or 0.1 W without one), so a block may cross a dear
# interval; docs/planning.md has the rules.


def test_no_switch_over_six_hours_meets_the_need():
    # Before: infeasible, 0 Wh. One block over the window: the three cheapest hours carry
    # the need less 0.3 Wh, the three dear ones 0.1 W each.
    p = planning.plan(request(6, 11100, 3700, interval_s=3600, max_switches=0,
                              prices=hourly(["0.10", "0.30", "0.10", "0.42", "0.42", "-0.02"])))
    assert p.feasible and p.optimal
    assert p.switches == 0 and p.energy_wh == D("11100")
    assert [w for _, w in p.schedule] == [D("3700"), D("0.1"), D("3699.7"), D("0.1"), D("0.1"), D("3700")]
    # 3.7 × 0.10 + 0.0001 × 0.30 + 3.6997 × 0.10 + 0.0001 × 0.42 × 2 + 3.7 × -0.02
    assert p.expected_cost == D("0.666084")
    assert p.expected_cost < D("2.442")  # the constant 1,850 W


def test_one_switch_keeps_a_dear_interval_inside_the_block():
    # Nine quarter hours from 08:00 at 11 kW, 16.335 kWh, one switch. Before: 3.3407.
    # Now 08:15-10:15: the 0.42 quarter hours at 0.1 W inside the block, 5.33495 kWh at 0.20.
    start = datetime(2026, 3, 11, 8, tzinfo=UTC)
    prices = ["0.85", "0", "0", "0", "0", "0.42", "0.42", "0.20", "0.20"]
    p = planning.plan({"start": start, "departure": start + timedelta(minutes=135), "energy_wh": 16335,
                       "ev": {"max_power_w": 11000}, "max_switches": 1,
                       "prices": [(start + timedelta(minutes=15 * k), D(v)) for k, v in enumerate(prices)]})
    assert p.feasible and p.optimal and p.switches <= 1
    assert p.expected_cost == D("1.067011")  # 5,334.95 Wh × 0.20 + 2 × 0.025 Wh × 0.42
    assert p.expected_cost < D("2.2407")  # the one-switch witness
    on = [(t.strftime("%H:%M"), w) for t, w in p.schedule if w > 0]
    assert on[0] == ("08:15", D("11000")) and on[4] == ("09:15", D("0.1")) and len(on) == 8


def test_contiguous_crosses_a_dear_quarter_hour():
    # Two hours of charging (7.4 kWh at 3.7 kW) in one block; quarter hours at 0.05 with one
    # at 0.42 after the first hour, 0.20 at the end. Before: 0.71225 (the dear quarter hour
    # charged in full). Now 22:00-00:15 with the dear quarter hour at 0.1 W.
    prices = ["0.05"] * 4 + ["0.42"] + ["0.05"] * 4 + ["0.20"] * 3
    quarters = [(T0 + timedelta(minutes=15 * k), D(v)) for k, v in enumerate(prices)]
    p = planning.plan(request(3, 7400, 3700, strategy="contiguous", prices=quarters))
    assert p.feasible and p.optimal
    assert p.expected_cost == D("0.37000925")  # 7,399.975 Wh × 0.05 + 0.025 Wh × 0.42
    assert [w for _, w in p.schedule if w > 0] == [D("3700")] * 4 + [D("0.1")] + [D("3700")] * 3 + [D("3699.9")]
    r = request(3, 7400, 3700, strategy="contiguous", prices=quarters)
    r["ev"]["min_power_w"] = 3000  # every quarter hour of the block at 3 kW or more
    p = planning.plan(r)
    assert p.expected_cost == D("0.6475")  # 0.75 kWh × 0.42 + 6.65 kWh × 0.05
    assert all(w == 0 or w >= 3000 for _, w in p.schedule)


def test_a_forced_surplus_meets_the_need_at_the_least_power():
    # No switch, 3.5 kW minimum, two hours at up to 4 kW: at least 7 kWh; 5 kWh are met
    # with the least surplus (3.5 kW for two hours), not refused (before: infeasible, 0 Wh).
    r = request(2, 5000, 4000, interval_s=3600, max_switches=0, prices=[(T0, D("0.20"))])
    r["ev"]["min_power_w"] = 3500
    p = planning.plan(r)
    assert p.feasible and p.optimal and p.switches == 0
    assert p.energy_wh == D("7000") and p.need_wh == D("5000") and p.shortfall_wh == 0
    assert p.expected_cost == D("1.4")


def test_soc_need_and_currents():
    p = planning.plan({
        "start": T0, "departure": T0 + timedelta(hours=4),
        "soc": {"soc_now_pct": 30, "target_soc_pct": D("80"), "battery_capacity_wh": 40000},
        "ev": {"max_current_a": 16, "phases": 3}, "evse": {"max_current_a": 32},
        "prices": [(T0, D("0.25"))],
    })
    assert p.need_wh == D("20000")
    assert p.intervals[0].max_power_w == D("11040")  # 16 A × 230 V × 3
    assert p.expected_cost == D("5")


@pytest.mark.parametrize("form", ["object", "text", "dict"])
def test_tariff_priced_plan_is_billed_by_the_tariff_engine(form):
    tariff = {
        "object": Tariff(TOU_TARIFF),
        "text": TOU_TARIFF,
        "dict": json.loads(TOU_TARIFF, parse_float=Decimal),
    }[form]
    start = datetime(2026, 3, 10, 21, tzinfo=UTC)  # 22:00 Amsterdam: peak until 23:00 local
    p = planning.plan({"start": start, "departure": start + timedelta(hours=4), "energy_wh": 10000,
                       "ev": {"max_power_w": 10000}, "tariff": tariff})
    assert p.feasible
    assert all(i.price_per_kwh == D("0.2") for i in p.intervals if i.power_w > 0)
    assert p.expected_cost == D("2.50")  # 10 kWh × 0.20 + 0.50 flat
    assert p.expected_cost_incl_vat == D("3.03")
    assert p.currency == "EUR"


def test_json_text_in_and_out():
    text = json.dumps({"start": "2026-03-10T22:00:00Z", "departure": "2026-03-11T02:00:00Z", "energy_wh": "15000",
                       "ev": {"max_power_w": "10000"}, "interval_s": 3600,
                       "prices": [{"start": (T0 + timedelta(hours=h)).isoformat(), "value": v}
                                  for h, v in enumerate(["0.30", "0.10", "0.40", "0.20"])]})
    p = planning.plan(text)
    assert p.expected_cost == D("2")
    back = json.loads(p.to_json(), parse_float=Decimal)
    assert D(str(back["expected_cost"])) == D("2") and back["feasible"] is True
    assert len(back["intervals"]) == len(p.intervals)
    assert planning.plan(text.encode()).to_json() == p.to_json()
    assert p == planning.plan(text)


def test_plan_installs_and_the_composite_never_exceeds_it():
    st = SmartChargingStation([1])
    st.install({"id": 1, "stackLevel": 0, "chargingProfilePurpose": "ChargingStationMaxProfile",
                "chargingProfileKind": "Absolute", "chargingSchedule": [{"id": 1,
                "startSchedule": "2026-03-10T22:00:00Z", "chargingRateUnit": "W",
                "chargingSchedulePeriod": [{"startPeriod": 0, "limit": 7400}, {"startPeriod": 7200, "limit": 22000}]}]}, 0)
    st.start_transaction(1, T0, "TX-1")
    limits = planning.limits_from_composite(st.composite_schedule(1, T0, 4 * 3600, unit="W"), 3, D("230"))
    assert limits[0] == (T0, D("7400"))
    p = planning.plan(request(4, 30000, 11000, limits_w=limits, prices=hourly(["0.10", "0.30", "0.20", "0.25"]),
                              profile={"transaction_id": "TX-1", "profile_id": 42, "stack_level": 1}))
    assert all(i.power_w <= i.max_power_w for i in p.intervals)
    assert all(w <= D("7400") for t, w in p.schedule if t < T0 + timedelta(hours=2))
    st.install(p.profile, 1)
    c = st.composite_schedule(1, T0, 4 * 3600, unit="W")
    for t, w in p.schedule:
        off = int((t - T0).total_seconds())
        limit = c.period_at(off).limit
        assert limit <= w
        assert limit == min(w, D("7400") if off < 7200 else D("22000"))
    # the JSON text installs the same way (another profile id, higher stack level)
    p2 = planning.plan(request(4, 30000, 11000, limits_w=limits, prices=hourly(["0.10", "0.30", "0.20", "0.25"]),
                               profile={"transaction_id": "TX-1", "profile_id": 43, "stack_level": 2, "unit": "A"}))
    st.install(p2.profile_json, 1)
    c = st.composite_schedule(1, T0, 4 * 3600, unit="W")
    assert all(c.period_at(int((t - T0).total_seconds())).limit <= w for t, w in p2.schedule)


# ---------------------------------------------------------------- site allocation


def group(gid, parent=None, amps=None, watts=None):
    return {"id": gid, "parent": parent, "max_current_a": amps, "max_power_w": watts}


def evse(eid, grp, max_w, phases=3, first_phase=1):
    return {"id": eid, "group": grp, "station_id": f"CS-{eid}", "evse_id": 1, "max_power_w": max_w,
            "phases": phases, "first_phase": first_phase}


def session(eid, need, hours):
    return {"evse_id": eid, "need_wh": need, "arrival": T0, "departure": T0 + timedelta(hours=hours),
            "transaction_id": f"TX-{eid}"}


def alloc(groups, evses, sessions, strategy="equal_share", **extra):
    r = {"site": {"groups": groups, "evses": evses}, "sessions": sessions, "from": T0, "strategy": strategy}
    r.update(extra)
    return planning.allocate(r)


def first_powers(a):
    return [e.power_w for e in a.intervals[0].evses]


def test_equal_share_gives_what_a_capped_car_cannot_take_to_the_others():
    # 30 kW connection; A capped at 5 kW: A 5, B and C 12.5 each.
    a = alloc([group("grid", watts=30000)],
              [evse("A", "grid", 5000), evse("B", "grid", 22000), evse("C", "grid", 22000)],
              [session("A", 40000, 8), session("B", 40000, 8), session("C", 40000, 8)])
    assert isinstance(a, planning.SiteAllocation)
    assert first_powers(a) == [D("5000"), D("12500"), D("12500")]
    assert a.intervals[0].groups[0].power_w == D("30000")
    assert a.strategy == "equal_share"
    # per EVSE: (start, power) lists
    assert list(a.per_evse) == ["A", "B", "C"]
    assert a.schedule("B")[0] == (T0, D("12500"))
    assert [t for t, _ in a.schedule("A")] == [i.start for i in a.intervals]


def test_equal_sessions_get_equal_shares():
    a = alloc([group("grid", watts=22000)],
              [evse("A", "grid", 22000), evse("B", "grid", 22000)],
              [session("A", 30000, 8), session("B", 30000, 8)])
    for i in a.intervals:
        assert i.evses[0].power_w == i.evses[1].power_w
    assert a.per_evse["A"] == a.per_evse["B"]
    assert first_powers(a) == [D("11000"), D("11000")]


def test_three_cars_with_a_per_phase_limit():
    # 16 A per phase; two single-phase cars on L1 share it, the one on L2 has L2 alone.
    a = alloc([group("grid", amps=16)],
              [evse("A", "grid", 7400, 1, 1), evse("B", "grid", 7400, 1, 1), evse("C", "grid", 7400, 1, 2)],
              [session("A", 20000, 8), session("B", 20000, 8), session("C", 20000, 8)])
    assert first_powers(a) == [D("1840"), D("1840"), D("3680")]  # 16 A × 230 V = 3680 W on L1
    g = a.intervals[0].groups[0]
    assert (g.group_id, g.l1_a, g.l2_a, g.l3_a) == ("grid", D("16"), D("16"), D("0"))
    for i in a.intervals:
        for g in i.groups:
            assert max(g.l1_a, g.l2_a, g.l3_a) <= 16


def test_nested_feeder_limits_hold():
    a = alloc([group("grid", amps=63), group("F", parent="grid", amps=20)],
              [evse("A", "F", 22000), evse("B", "F", 22000), evse("C", "grid", 22000)],
              [session("A", 60000, 8), session("B", 60000, 8), session("C", 60000, 8)])
    # F: 20 A × 230 V × 3 = 13 800 W → 6900 each; C its own 22 kW.
    assert first_powers(a) == [D("6900"), D("6900"), D("22000")]
    assert a.intervals[0].groups[1].l1_a == D("20")


def test_earliest_deadline_first_serves_the_earliest_departure():
    a = alloc([group("grid", watts=11000)], [evse("A", "grid", 11000), evse("B", "grid", 11000)],
              [session("A", 11000, 8), session("B", 11000, 2)], strategy="earliest_deadline_first")
    assert first_powers(a) == [D("0"), D("11000")]
    assert all(s.feasible for s in a.sessions)
    first_a = next(t for t, w in a.schedule("A") if w > 0)
    assert first_a == T0 + timedelta(hours=1)
    assert a.strategy == "earliest_deadline_first"


def test_cheapest_gives_the_cheap_hours_to_the_earlier_departure_first():
    # 11 kW connection; A leaves at 06:00, B at 05:00, 22 kWh each; 0.10 EUR/kWh 00:00-03:00
    # (33 kWh of cheap capacity), 0.30 otherwise (core/tests/planning_site.rs, same case).
    prices = [(T0, D("0.30")), (T0 + timedelta(hours=2), D("0.10")), (T0 + timedelta(hours=5), D("0.30"))]
    args = ([group("grid", watts=11000)], [evse("A", "grid", 11000), evse("B", "grid", 11000)],
            [session("A", 22000, 8), session("B", 22000, 7)])
    a = alloc(*args, strategy="cheapest", prices=prices)
    assert a.strategy == "cheapest"
    on = lambda evse_id: [t for t, w in a.schedule(evse_id) if w > 0]  # noqa: E731
    # B takes the first two cheap hours; A the cheap hour left, then the earliest dear hour.
    assert on("B") == [T0 + timedelta(minutes=15 * k) for k in range(8, 16)]
    assert on("A") == [T0 + timedelta(minutes=15 * k) for k in [*range(0, 4), *range(16, 20)]]
    assert [s.expected_cost for s in a.sessions] == [D("4.4"), D("2.2")]
    fair = alloc(*args, strategy="equal_share", prices=prices)
    assert sum(s.expected_cost for s in fair.sessions) == D("8.8")


def test_outcomes_costs_and_profiles_ready_to_send():
    a = alloc([group("grid", watts=11000)], [evse("A", "grid", 11000), evse("B", "grid", 11000)],
              [session("A", 11000, 8), session("B", 44000, 2)], prices=[(T0, D("0.25"))])
    a_out, b_out = a.sessions
    assert (a_out.evse_id, a_out.feasible, a_out.shortfall_wh, a_out.energy_wh) == ("A", True, 0, D("11000"))
    assert a_out.expected_cost == D("2.75")  # 11 kWh × 0.25
    assert b_out.evse_id == "B" and not b_out.feasible and b_out.shortfall_wh > 0
    assert b_out.energy_wh + b_out.shortfall_wh == D("44000")
    assert [(t.station_id, t.evse_id, t.purpose) for t in a.tx_profiles] == [("CS-A", 1, "TxProfile"), ("CS-B", 1, "TxProfile")]
    assert {(s.station_id, s.evse_id, s.purpose) for s in a.station_profiles} == {
        ("CS-A", 0, "ChargingStationMaxProfile"), ("CS-B", 0, "ChargingStationMaxProfile")}
    # a TxProfile installs on its station once the transaction runs
    st = SmartChargingStation([1])
    st.start_transaction(1, T0, "TX-A")
    tx = a.tx_profiles[0]
    assert tx.profile["transactionId"] == "TX-A"
    st.install(tx.profile, tx.evse_id)
    st.install(a.station_profiles[0].profile_json, 0)
    back = json.loads(a.to_json())
    assert len(back["intervals"]) == len(a.intervals) and back["strategy"] == "equal_share"


def test_allocation_from_json_text_and_pv():
    text = json.dumps({"site": {"groups": [{"id": "grid", "max_power_w": "10000"}],
                                "evses": [{"id": "A", "group": "grid", "max_power_w": 22000}],
                                "pv_w": [{"start": "2026-03-10T22:00:00Z", "value": 6000}],
                                "house_load_w": [{"start": "2026-03-10T22:00:00Z", "value": 2000},
                                                 {"start": "2026-03-10T23:00:00Z", "value": 12000}]},
                       "sessions": [{"evse_id": "A", "need_wh": 100000, "arrival": "2026-03-10T22:00:00Z",
                                     "departure": "2026-03-11T00:00:00Z"}],
                       "from": "2026-03-10T22:00:00Z"})
    a = planning.allocate(text)
    assert a.schedule("A")[0] == (T0, D("14000"))  # 10 000 + 6000 − 2000
    assert dict(a.schedule("A"))[T0 + timedelta(hours=1)] == D("4000")
    # the same with (start, value) tuples in a dict request
    d = json.loads(text, parse_float=Decimal)
    d["site"]["pv_w"] = [(T0, 6000)]
    d["site"]["house_load_w"] = [(T0, 2000), (T0 + timedelta(hours=1), 12000)]
    assert planning.allocate(d).per_evse == a.per_evse


# ---------------------------------------------------------------- errors


def test_errors_are_typed_and_name_the_field():
    with pytest.raises(chargekit.InvalidPlanningFieldError) as e:
        planning.plan(request(0, 1000, 11000, prices=hourly(["0.1"])))
    assert e.value.field == "departure" and e.value.reason
    assert isinstance(e.value, chargekit.PlanningError) and isinstance(e.value, chargekit.ChargekitError)
    with pytest.raises(chargekit.InvalidPlanningFieldError) as e:
        planning.plan(request(2, 1000, 11000))
    assert e.value.field == "prices"
    with pytest.raises(chargekit.MissingPriceError) as e:
        planning.plan(request(2, 1000, 11000, prices=[(T0 + timedelta(hours=1), D("0.1"))]))
    assert e.value.at == T0
    with pytest.raises(chargekit.InvalidPlanningFieldError) as e:
        planning.plan({"start": T0, "departure": T0 + timedelta(hours=2), "energy_wh": 1000, "strategy": "as_late_as_possible"})
    assert e.value.field == "ev.max_power_w"
    with pytest.raises(chargekit.InvalidPlanningJsonError) as e:
        planning.plan(request(2, 1000, True))
    assert e.value.field == "ev.max_power_w"
    with pytest.raises(chargekit.InvalidPlanningJsonError) as e:
        planning.plan(request(2, 1000, 11000, strategy="fastest"))
    assert e.value.field == "strategy"
    with pytest.raises(chargekit.InvalidPlanningJsonError):
        planning.plan("{not json")
    with pytest.raises(chargekit.InvalidPlanningFieldError) as e:
        alloc([group("grid", watts=11000)], [evse("A", "grid", 11000)], [session("X", 1000, 2)])
    assert e.value.field == "sessions[0].evse_id"
    with pytest.raises(chargekit.InvalidPlanningFieldError) as e:
        alloc([group("grid", watts=11000)], [evse("A", "nowhere", 11000)], [session("A", 1000, 2)])
    assert e.value.field == "site.evses[0].group"
    with pytest.raises(chargekit.InvalidPlanningJsonError) as e:
        planning.plan(request(2, 1000, 11000, tariff={"id": "X"}))
    assert e.value.field == "tariff"
    with pytest.raises(chargekit.InvalidPlanningJsonError) as e:
        planning.plan(request(2, 1000, 11000, tariff="{not json"))
    assert e.value.field == "tariff"


def test_floats_and_naive_datetimes_are_refused():
    with pytest.raises(TypeError, match="float"):
        planning.plan(request(2, 1000.0, 11000, prices=hourly(["0.1"])))
    with pytest.raises(TypeError, match="float"):
        planning.plan(request(2, 1000, 11000, prices=[(T0, 0.1)]))
    with pytest.raises(TypeError, match="naive"):
        planning.plan(request(2, 1000, 11000, prices=[(T0.replace(tzinfo=None), D("0.1"))]))
    with pytest.raises(TypeError):
        planning.plan(42)


def test_results_are_read_only_records():
    p = planning.plan(request(2, 1000, 11000, prices=hourly(["0.30", "0.20"])))
    with pytest.raises(AttributeError):
        p.feasible = False
    prof = p.profile
    prof["id"] = 99
    assert p.profile["id"] == 1
    assert p.to_dict()["profile"]["id"] == 1
    assert repr(p).startswith("Plan(need_wh=Decimal('1000')") and "profile_json" not in repr(p)
