"""One call of every public entry point, for tests that look at what comes back (the type
information check in test_stubs.py): ``tour()`` returns the results by name."""

from datetime import timedelta
from decimal import Decimal
from pathlib import Path

from chargekit import MeterPolicy, analytics, feedback, ocmf, ocpi, planning
from chargekit.ocpp import (
    Fleet,
    SessionAssembler,
    SmartChargingStation,
    StationTariff,
    check_cost_details,
    sessions_from_messages,
)

import test_analytics
import test_billing
import test_ocmf
import test_planning

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "data"


def tour() -> dict:
    out = {"policy": MeterPolicy(negative_step="treat_as_reset")}
    log = (EXAMPLES / "site-day-ocpp16.jsonl").read_text()
    out["sessions"] = sessions_from_messages(log, "1.6", station_id="CP-ALPHA")
    asm = SessionAssembler("CP-ALPHA", "1.6")
    asm.feed(log)
    out["assembler"] = asm
    out["event"] = asm.drain_events()[0]
    fleet = Fleet(retention_s=3600)
    fleet.feed("CP-ALPHA", log)
    out["fleet"] = fleet
    s = test_billing.session()
    out["session"] = s
    out["periods"] = s.charging_periods_cut_at([s.start + timedelta(minutes=30)])
    out["cdr"] = s.to_ocpi_cdr()
    out["readings"] = s.readings[:3]

    # signed meter values
    out["record"] = ocmf.parse(test_ocmf.KEBA)
    out["verification"] = ocmf.verify(test_ocmf.KEBA, test_ocmf.KEBA_KEY)
    out["report"] = ocmf.check_records(test_ocmf.values("test_ocmf_ebee_02.xml"))
    out["proven"] = ocmf.proven_energy(s, test_ocmf.KEBA_KEY)

    # tariffs and billing
    c = test_billing.component
    tariff = ocpi.Tariff(test_billing.tariff(
        [{"price_components": [c("ENERGY", "0.20", vat="19"), c("PARKING_TIME", "2.00", step=300)],
          "restrictions": {"end_time": "09:30"}},
         {"price_components": [c("ENERGY", "0.40", vat="19"), c("FLAT", "1.00", vat="19")]}],
        min_price={"excl_vat": 2}, country_code="NL"))
    out["tariff"] = tariff
    out["lint"] = tariff.lint()
    out["explanation"] = tariff.explain()
    result = s.price(tariff, timezone="Europe/Amsterdam")
    out["result"] = result
    out["cdr_result"] = ocpi.price_cdr(test_billing.energy_cdr("7.5"), tariff.to_ocpi(), timezone="Europe/Amsterdam")
    out["invoice"] = result.invoice("INV-1")
    out["credit"] = out["invoice"].credit_note("CN-1")
    out["live"] = s.price_live(tariff, timezone="Europe/Amsterdam", at=s.start + timedelta(minutes=20))

    # OCPP 2.1 station tariffs and local cost
    v2x = sessions_from_messages((EXAMPLES / "v2x-session-ocpp21.jsonl").read_text())[0]
    st = StationTariff((EXAMPLES / "station-tariff-ocpp21.json").read_text())
    out["station_tariff"] = st
    out["tariff_validation"] = st.validate({"max_elements": 1})
    out["cost_details"] = v2x.cost_details(st, timezone="Europe/Amsterdam")
    out["cost_check"] = check_cost_details(v2x, st, v2x.reported_cost_details, timezone="Europe/Amsterdam")
    shadowed = st.to_dict()
    shadowed["energy"]["prices"].append({"priceKwh": Decimal("0.25")})
    out["station_lint"] = StationTariff(shadowed).lint()
    out["station_explanation"] = st.explain("nl")
    out["station_to_ocpi"] = st.to_ocpi("2.3.0")
    out["station_from_ocpi"] = StationTariff.from_ocpi(tariff)

    # smart charging
    station = SmartChargingStation(evse_ids=[1, 2], options={"gap_fill": "default_limit"})
    station.start_transaction(1, s.start, "T9")
    pref = station.plan_preferences(1, now=s.start, profile_id=50, max_current_a=32,
                                    max_energy_wh=Decimal(60000), departure=s.start + timedelta(hours=1))
    station.install(pref.profile, 1)
    out["station"] = station
    out["preference_plan"] = pref
    out["schedule"] = station.composite_schedule(0, s.start, 3600)
    out["installed"] = station.profiles

    # analytics and feedback
    week, options = test_analytics.week(), test_analytics.options()
    out["summary"] = analytics.summarize(week, "Europe/Berlin", options=options)
    out["batch"] = analytics.SessionBatch(week)
    out["analysis"] = analytics.analyse_sessions(week, "Europe/Berlin", options=options)
    out["patterns"] = analytics.behaviour_patterns(week, "Europe/Berlin", options=options)
    forecaster = analytics.DepartureForecaster(week, "Europe/Berlin", options=options)
    out["forecaster"] = forecaster
    out["forecast"] = forecaster.forecast(test_analytics.at(0, 9, 0), "U1")
    out["generated"] = analytics.generate_sessions({"days": 2, "stations": 1})
    partial = analytics.SummaryPartial("Europe/Berlin", options=options)
    partial.add(week)
    out["partial"] = partial
    fleet_partial = analytics.FleetPartial("Europe/Berlin", options=options)
    out["fleet_sites"] = fleet_partial.add(week)
    out["fleet_partial"] = fleet_partial
    out["fleet_summary"] = fleet_partial.finish()
    out["fleet_report"] = analytics.summarize_fleet(week, "Europe/Berlin", options=options)
    items = test_analytics.hand_computed_items()
    out["scores"] = feedback.score(items)
    out["score"] = feedback.score_one("L", items)
    out["screening"] = feedback.screen(items)

    # plans and load sharing
    tp = test_planning
    out["plan"] = planning.plan(tp.request(4, 15000, 10000, interval_s=3600,
                                           prices=tp.hourly(["0.30", "0.10", "0.40", "0.20"])))
    out["allocation"] = tp.alloc([tp.group("grid", watts=11000)],
                                 [tp.evse("A", "grid", 11000), tp.evse("B", "grid", 11000)],
                                 [tp.session("A", 11000, 8), tp.session("B", 44000, 2)],
                                 prices=[(tp.T0, Decimal("0.25"))])
    out["limits"] = planning.limits_from_composite(out["schedule"])
    return out
