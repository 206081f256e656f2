"""chargekit.analytics and chargekit.feedback on the golden fixtures of the core tests
(core/tests/analytics_golden.rs: one week at a 2-port site in Europe/Berlin, every metric
computed by hand; core/tests/feedback.rs: the hand-computed score)."""

from datetime import datetime, timedelta, timezone
from decimal import Decimal

import pytest

import chargekit
from chargekit import analytics, feedback
from chargekit.ocpp import session_from_messages
from ocpp_builders import start16, stop16

UTC = timezone.utc
D = Decimal


def at(d, h, m):
    """Local Berlin time (CET = UTC+1) on day ``d`` of the week (0 = Monday 2 March 2026)."""
    return datetime(2026, 3, 2, h, m, tzinfo=UTC) + timedelta(days=d) - timedelta(hours=1)


def rec(id_, port, user, start, end, charging_s, kwh, **extra):
    r = {"session_id": id_, "station_id": "CP-1", "port_id": port, "user_id": user,
         "plug_in": at(*start), "plug_out": at(*end), "charging_s": charging_s,
         "charge_start": at(*start), "energy": kwh * 1000, "ended_by": "driver"}
    if charging_s > 0:
        r["charge_end"] = at(*start) + timedelta(seconds=charging_s)
    r.update(extra)
    return r


def week():
    """S1-S8 are used; S9 starts after the period, S10 is on an undeclared station."""
    s5 = rec("S5", "2", "U5", (2, 12, 0), (2, 12, 0), 0, 0, ended_by="fault", stop_reason="EmergencyStop")
    s5["plug_out"] += timedelta(seconds=30)
    s9 = rec("S9", "1", None, (7, 9, 0), (7, 10, 0), 3600, 5)
    s10 = rec("S10", "1", None, (3, 9, 0), (3, 10, 0), 3600, 5, station_id="CP-9")
    return [
        rec("S1", "1", "U1", (0, 9, 0), (0, 11, 0), 3600, 11),
        rec("S2", "2", "U2", (0, 10, 0), (0, 12, 0), 7200, 20),
        rec("S3", "1", "U1", (1, 8, 0), (1, 17, 0), 10_800, 30),
        rec("S4", "1", "U3", (1, 17, 5), (1, 18, 0), 3300, 10),
        s5,
        rec("S6", "2", "U1", (3, 18, 0), (4, 7, 0), 14_400, 40),
        rec("S7", "1", "U4", (5, 10, 0), (5, 10, 45), 2700, 6),
        rec("S8", "2", "U1", (6, 14, 0), (6, 16, 30), 5400, 15),
        s9,
        s10,
    ]


def options(**extra):
    port = lambda p: {"station_id": "CP-1", "port_id": p, "rated_power": 11000, "kind": "ac"}  # noqa: E731
    return {"site_id": "SITE", "period": {"start": at(0, 0, 0), "end": at(7, 0, 0)},
            "ports": [port("1"), port("2")], "price_delta_per_kwh": D("0.20"), **extra}


@pytest.fixture(scope="module")
def summary():
    return analytics.summarize(week(), "Europe/Berlin", options=options())


def test_counts_and_flags(summary):
    assert isinstance(summary, analytics.SiteSummary)
    assert (summary.site_id, summary.tz, summary.period.seconds) == ("SITE", "Europe/Berlin", 604_800)
    assert summary.period.start == datetime(2026, 3, 1, 23, tzinfo=UTC)
    c = summary.counts
    assert (c.sessions_seen, c.sessions_used, c.sessions_excluded, c.outliers_dropped) == (10, 8, 2, 0)
    assert (c.sessions_per_day, c.sessions_per_week) == (D("1.1429"), D(8))
    assert (c.in_use_days, c.unique_users, c.stations_without_use) == (6, 5, [])
    assert [(f.flag, f.severity, f.count) for f in summary.flags] == [
        ("short_duration", "warning", 1),
        ("low_energy", "warning", 1),
        ("outside_period", "error", 1),
        ("unregistered_port", "error", 1),
    ]


def test_energy_durations_and_time(summary):
    e = summary.energy
    assert (e.total_kwh, e.mean_kwh, e.median_kwh) == (D(132), D("16.5"), D(13))
    d = summary.durations
    assert (d.mean_dwell_s, d.median_dwell_s) == (D("13578.75"), D(7200))
    assert (d.mean_charging_s, d.median_charging_s) == (D(5925), D(4500))
    assert (d.mean_idle_s, d.median_idle_s) == (D("7653.75"), D(1815))
    t = summary.time
    assert (t.available_s, t.occupied_s, t.charging_s, t.idle_s, t.congestion_s) == (
        604_800, 108_630, 47_400, 61_230, 3600)
    assert all(type(v) is Decimal for v in (e.total_kwh, d.mean_dwell_s))


def test_utilisation_ports_and_stations(summary):
    u = summary.utilisation
    assert (u.occupied, u.charging, u.idle) == (D("0.089807"), D("0.039187"), D("0.05062"))
    assert (u.capacity_factor, u.congestion) == (D("0.035714"), D("0.005952"))
    p1, p2 = summary.ports
    assert (p1.station_id, p1.port_id, p1.sessions, p1.busy_s, p1.occupied_s) == ("CP-1", "1", 4, 45_600, 45_600)
    assert (p1.energy_kwh, p1.mean_energy_kwh, p1.median_energy_kwh) == (D(57), D("14.25"), D("10.5"))
    assert (p1.occupied_rate, p1.charging_rate, p1.idle_rate) == (D("0.075397"), D("0.03373"), D("0.041667"))
    assert (p1.capacity_factor, p1.in_use_days, p1.quick_turnovers, p1.overstays) == (D("0.030844"), 3, 1, 2)
    assert (p2.sessions, p2.busy_s, p2.energy_kwh, p2.median_energy_kwh) == (4, 63_030, D(75), D("17.5"))
    (st,) = summary.stations
    assert (st.station_id, st.ports, st.sessions, st.occupied_rate, st.in_use_days) == (
        "CP-1", 2, 8, D("0.173661"), 6)


def test_per_station_denominator():
    s = analytics.summarize(week(), "Europe/Berlin", options=options(denominator="per_station"))
    assert (s.utilisation.occupied, s.utilisation.charging) == (D("0.173661"), D("0.078373"))


def test_heatmaps_are_nested_lists_and_peak_hours(summary):
    h = summary.heatmaps
    for name in ("occupancy", "congestion", "arrivals", "departures", "arrival_rate", "energy_kwh", "available_h"):
        grid = h[name]
        assert isinstance(grid, list) and len(grid) == 7 and all(len(row) == 24 for row in grid), name
    mon, tue, wed, thu, fri, sat, sun = range(7)
    occ = h.occupancy
    assert all(v == 1 for row in h.available_h for v in row)
    assert (occ[mon][10], occ[mon][9], occ[tue][17], occ[wed][12]) == (D(1), D("0.5"), D("0.4583"), D("0.0042"))
    assert (occ[fri][6], occ[fri][7], occ[sat][10], occ[sun][16]) == (D("0.5"), D(0), D("0.375"), D("0.25"))
    assert h.congestion[mon][10] == 1 and sum(1 for row in h.congestion for v in row if v) == 1
    assert sum(map(sum, h.arrivals)) == 8 and type(h.arrivals[tue][17]) is int
    assert (h.arrivals[tue][17], h.arrival_rate[thu][18], h.departures[fri][7], h.departures[tue][18]) == (1, 1, 1, 1)
    assert (h.energy_kwh[sun][14], h.energy_kwh[sun][15], h.energy_kwh[mon][11]) == (D(10), D(5), D(10))
    assert sum(map(sum, h.energy_kwh)) == 132
    assert [(p.weekday, p.hour, p.occupancy) for p in summary.peak_hours] == [
        ("Mon", 10, D(1)), ("Mon", 9, D("0.5")), ("Mon", 11, D("0.5")), ("Tue", 8, D("0.5")), ("Tue", 9, D("0.5"))]


def test_overstay_demand_and_off_peak(summary):
    o = summary.overstay
    assert (o.sessions, o.total_s, o.share) == (4, 54_000, D("0.5"))
    (u,) = o.repeat_overstayers
    assert (u.user_id, u.sessions, u.overstays, u.overstay_s, u.share) == ("U1", 4, 4, 54_000, D(1))
    d = summary.demand
    assert (d.attempts, d.successes, d.turn_aways, d.success_rate, d.turn_away_rate) == (
        8, 7, 1, D("0.875"), D("0.125"))
    assert (d.quick_turnovers, d.quick_turnover_share, d.congestion_s) == (1, D("0.125"), 3600)
    assert (d.peak_concurrent_sessions, d.peak_busy_ports, d.ports) == (2, 2, 2)
    p = summary.off_peak
    assert (p.total_energy_kwh, p.peak_energy_kwh, p.peak_share) == (D(132), D(40), D("0.303"))
    assert (p.shiftable_kwh, p.shiftable_share, p.sessions_in_peak, p.flexible_sessions) == (D(30), D("0.75"), 2, 1)
    assert p.value_at_price_delta == D(6)
    assert (p.window.start_hour, p.window.end_hour, p.window.weekdays_only) == (16, 21, False)


def test_parallel_shards_give_the_same_summary(summary):
    assert analytics.summarize(week(), "Europe/Berlin", options=options(), shards=3) == summary


def test_per_session_fields():
    a = analytics.analyse_sessions(week(), "Europe/Berlin", options=options())
    s3 = a[2]
    assert s3.session_id == "S3"
    assert (s3.dwell_s, s3.charging_s, s3.idle_s, s3.idle_after_full_s, s3.overstay_s) == (
        32_400, 10_800, 21_600, 21_600, 19_800)
    assert s3.avg_power_w == D(10000) and s3.energy_wh == D(30000) and s3.success
    assert not a[4].success
    assert "outside_period" in a[8].flags and "unregistered_port" in a[9].flags


def test_to_pandas(summary):
    pd = pytest.importorskip("pandas")
    frames = summary.to_pandas()
    occ = frames["heatmap_occupancy"]
    assert occ.shape == (7, 24) and list(occ.index) == list(analytics.WEEKDAYS)
    assert occ.loc["Mon", 10] == 1
    assert list(frames["ports"]["port_id"]) == ["1", "2"]
    assert isinstance(frames["flags"], pd.DataFrame) and len(frames["flags"]) == 4


def test_records_are_read_only_plain_data(summary):
    data = summary.to_dict()
    assert data["energy"]["total_kwh"] == D(132)
    data["energy"]["total_kwh"] = 0
    assert summary.energy.total_kwh == D(132)  # a copy
    with pytest.raises(AttributeError):
        summary.site_id = "X"
    with pytest.raises(AttributeError):
        summary.no_such_field
    assert "heatmaps" in dir(summary) and "counts" in summary


def test_sessions_assembled_from_ocpp():
    s = session_from_messages([*start16("s", 7, 0, "08:00:00"), stop16("x", 7, 11000, "09:00:00")], "1.6",
                              station_id="CP-1")
    out = analytics.summarize([s], "UTC")
    assert out.energy.total_kwh == D(11) and out.counts.sessions_used == 1
    assert out.ports[0].station_id == "CP-1"


def test_generate_sessions_is_seeded_and_feeds_summarize():
    cfg = {"seed": 7, "days": 7, "stations": 2, "ports_per_station": 2, "profile": "public"}
    sessions, options = analytics.generate_sessions(cfg)
    again, _ = analytics.generate_sessions(cfg)
    assert sessions == again and len(sessions) > 20
    assert sessions != analytics.generate_sessions({**cfg, "seed": 8})[0]
    first = sessions[0]
    assert first["plug_in"].tzinfo is not None and first["plug_out"] > first["plug_in"]
    assert isinstance(first["energy"], Decimal)
    assert {p["station_id"] for p in options["ports"]} == {"ST-1", "ST-2"}
    assert options["tz"] == "America/Los_Angeles"
    s = analytics.summarize(sessions, options=options)
    assert s.counts.sessions_seen == len(sessions)
    assert s.counts.sessions_used == len(sessions)  # generated sessions are all valid
    assert len(s.ports) == 4
    defaults, _ = analytics.generate_sessions()
    assert len(defaults) > len(sessions)
    with pytest.raises(chargekit.InvalidAnalyticsOptionsError) as info:
        analytics.generate_sessions({"stations": "many"})
    assert info.value.field == "stations"
    with pytest.raises(TypeError):
        analytics.generate_sessions(["not", "a", "dict"])


class _PlainDict(dict):
    """A dict subclass: ``summarize`` reads it on the general path (dict → JSON → serde),
    which the fast reading of plain dicts must match exactly."""


def _varied_sessions():
    """The week's records with values of every kind the readers accept."""
    from zoneinfo import ZoneInfo

    r = week()
    r[0]["energy"] = D("11000.50")
    r[1]["energy"] = D("2E+4")  # an exponent (serde_json rewrites its text)
    r[2]["plug_in"] = r[2]["plug_in"].astimezone(ZoneInfo("Europe/Berlin"))
    r[2]["plug_out"] = r[2]["plug_out"].astimezone(timezone(timedelta(hours=-5, minutes=-30)))
    r[3].update(peak_power=D("7400"), soc_start=20, soc_end=D("80.5"), site_id=None)
    r[4].update(error_codes=["GroundFailure"], fees={"total": D("3.20"), "energy": 2})
    r[5].update(tx_start=r[5]["plug_in"], tx_end=None, payment_type="RFID", ended_by="ev")
    r[6].update(charge_end=None, throttled_s=60, stop_reason="Local")
    r[7]["rated_power"] = 11000
    r[7]["plug_in"] = r[7]["plug_in"].replace(microsecond=123456)
    return r


def test_plain_dicts_read_as_on_the_general_path():
    fast = analytics.summarize(_varied_sessions(), "Europe/Berlin", options=options())
    slow = analytics.summarize(
        [_PlainDict(r) for r in _varied_sessions()], "Europe/Berlin", options=options()
    )
    assert fast._data == slow._data
    per_fast = analytics.analyse_sessions(_varied_sessions(), "Europe/Berlin")
    per_slow = analytics.analyse_sessions([_PlainDict(r) for r in _varied_sessions()], "Europe/Berlin")
    assert [x._data for x in per_fast] == [x._data for x in per_slow]


_BAD = chargekit.InvalidAnalyticsOptionsError


@pytest.mark.parametrize(
    "change,expected",
    [
        ({"bogus": 1}, _BAD),
        ({"energy": 1.5}, TypeError),  # a float where an exact quantity is expected
        ({"energy": "lots"}, _BAD),
        ({"energy": D("NaN")}, _BAD),  # regression: was a bare ValueError
        ({"energy": D("-Infinity")}, _BAD),
        ({"energy": None}, _BAD),
        ({"energy": True}, _BAD),
        ({"plug_in": datetime(2026, 3, 2, 8)}, TypeError),  # naive datetime
        ({"plug_in": "2026-03-02T08:00:00Z"}, "ok"),
        ({"charging_s": 1.5}, TypeError),
        ({"charging_s": 2**70}, _BAD),
        ({"user_id": 5}, _BAD),
        ({"error_codes": None}, _BAD),
        ({"error_codes": ("E1",)}, "ok"),
        ({"ended_by": "aliens"}, _BAD),
        ({"fees": {"tip": 1}}, _BAD),
        ({"session_id": None}, _BAD),
    ],
)
def test_plain_dicts_fail_as_on_the_general_path(change, expected):
    def outcome(make):
        record = make(dict(week()[0], **change))
        try:
            return ("ok", analytics.summarize([record], "UTC")._data)
        except Exception as e:  # noqa: BLE001 - comparing whatever is raised
            return (type(e), str(e), getattr(e, "field", None))

    general = outcome(dict)
    assert general == outcome(_PlainDict)
    if expected == "ok":
        assert general[0] == "ok"
    else:
        assert general[0] is expected, general
        if expected is _BAD:
            assert general[2] is not None and general[2].startswith("sessions[0]."), general


def test_session_batch_is_read_once():
    batch = analytics.SessionBatch(week())
    assert len(batch) == 10 and repr(batch) == "SessionBatch(10 sessions)"
    from_dicts = analytics.summarize(week(), "Europe/Berlin", options=options())
    assert analytics.summarize(batch, "Europe/Berlin", options=options())._data == from_dicts._data
    assert (
        analytics.summarize(batch, "Europe/Berlin", options=options(), shards=2)._data
        == from_dicts._data
    )
    assert [x._data for x in analytics.analyse_sessions(batch, "Europe/Berlin")] == [
        x._data for x in analytics.analyse_sessions(week(), "Europe/Berlin")
    ]
    cfg = {"seed": 7, "days": 7, "stations": 2, "ports_per_station": 2, "profile": "public"}
    dicts, opts = analytics.generate_sessions(cfg)
    generated, opts_batch = analytics.generate_sessions(cfg, batch=True)
    assert isinstance(generated, analytics.SessionBatch) and len(generated) == len(dicts)
    assert opts_batch == opts
    assert (
        analytics.summarize(generated, options=opts)._data
        == analytics.summarize(dicts, options=opts)._data
    )
    bad = week()
    bad[3]["energy"] = "lots"
    with pytest.raises(chargekit.InvalidAnalyticsOptionsError) as info:
        analytics.SessionBatch(bad)
    assert info.value.field == "sessions[3].energy"
    with pytest.raises(TypeError):
        analytics.SessionBatch([42])


def test_analytics_errors():
    with pytest.raises(chargekit.InvalidAnalyticsOptionsError) as info:
        analytics.summarize(week(), "Europe/Berlin", options={"overstay_grace": 60})
    assert "overstay_grace" in str(info.value)
    with pytest.raises(chargekit.InvalidAnalyticsOptionsError) as info:
        analytics.summarize(week(), "Europe/Berlin", options={"rules": {"min_energy_kwh": "a little"}})
    assert info.value.field == "rules.min_energy_kwh"
    bad = week()
    bad[3]["energy"] = "lots"
    with pytest.raises(chargekit.InvalidAnalyticsOptionsError) as info:
        analytics.summarize(bad, "Europe/Berlin")
    assert info.value.field == "sessions[3].energy"
    with pytest.raises(chargekit.UnknownTimezoneError, match="Mars"):
        analytics.summarize(week(), "Mars/Olympus")
    # a reversed period is caught while the options are read
    with pytest.raises(chargekit.InvalidAnalyticsOptionsError, match="empty period") as info:
        analytics.summarize(week(), "UTC", options={"period": {"start": at(1, 0, 0), "end": at(0, 0, 0)}})
    assert info.value.field == "period"
    with pytest.raises(chargekit.NoSessionsError):
        analytics.summarize([], "UTC")
    with pytest.raises(TypeError, match="float"):
        analytics.summarize(week(), "UTC", options={"price_delta_per_kwh": 0.2})
    with pytest.raises(TypeError, match="naive"):
        analytics.summarize([dict(week()[0], plug_in=datetime(2026, 3, 2, 8))], "UTC")
    with pytest.raises(TypeError):
        analytics.summarize([42], "UTC")
    for cls in (chargekit.EmptyPeriodError, chargekit.NoSessionsError, chargekit.ShardFailedError):
        assert issubclass(cls, chargekit.AnalyticsError) and issubclass(cls, chargekit.ChargekitError)


def test_behaviour_patterns_by_hand():
    p = analytics.behaviour_patterns(week(), "Europe/Berlin", options=options())
    assert [u.user_id for u in p.users] == ["U1", "U2", "U3", "U4", "U5"]
    u1 = p.users[0]
    # dwell 7200 9000 32400 46800 s; arrivals 09 08 18 14, departures 11 17 07 16 (ties: earliest)
    assert u1.dwell.to_dict() == {"min_s": 7200, "p25_s": 7200, "median_s": 20700, "p75_s": 32400,
                                  "max_s": 46800, "mean_s": 23850}
    assert (u1.sessions, u1.arrival_hour, u1.departure_hour) == (4, 8, 7)
    assert (u1.mean_energy_kwh, u1.overstay_share, u1.home_site, u1.home_share) == (D(24), D(1), "CP-1", D(1))
    assert type(u1.mean_energy_kwh) is Decimal and u1.trusted is True and p.users[4].trusted is False
    ac, unknown = p.segments
    assert (ac.segment, ac.sessions, unknown.segment, unknown.sessions) == ("ac", 9, "unknown", 1)
    assert (ac.dwell.p25_s, ac.dwell.median_s, ac.dwell.p75_s, ac.mean_energy_kwh) == (3300, 7200, 9000, D("15.222"))
    assert ac.classes.to_dict() == {"under_30_min": 1, "30_to_60_min": 2, "1_to_2_h": 1, "2_to_4_h": 3,
                                    "4_to_8_h": 0, "over_8_h": 2}
    # a SessionBatch reads the same
    batch = analytics.SessionBatch(week())
    assert analytics.behaviour_patterns(batch, "Europe/Berlin", options=options()) == p
    fast = week()
    fast[9]["peak_power"] = 150_000
    assert analytics.behaviour_patterns(fast, "Europe/Berlin", options=options()).segments[1].segment == "dc"
    with pytest.raises(chargekit.InvalidAnalyticsOptionsError) as info:
        analytics.behaviour_patterns(week(), "UTC", patterns={"min_user_sessions": -1})
    assert info.value.field == "min_user_sessions"


def test_departure_forecaster_falls_back():
    f = analytics.DepartureForecaster(week(), "Europe/Berlin", options=options())
    arrival = at(14, 9, 30)  # a Monday, 09:30 local
    g = f.forecast(arrival, "U1")
    assert (g.basis, g.dwell_s, g.sessions) == ("user", 20700, 4)
    assert g.departure == arrival + timedelta(seconds=20700) and g.departure.tzinfo is not None
    # U2 has one session, Monday 09:00 two arrivals: the site median of all ten dwells
    g = f.forecast(arrival, "U2")
    assert (g.basis, g.dwell_s, g.sessions) == ("site", 5400, 10)
    loose = analytics.DepartureForecaster(week(), "Europe/Berlin", options=options(),
                                          patterns={"min_bucket_sessions": 2})
    g = loose.forecast(arrival)
    assert (g.basis, g.dwell_s, g.sessions) == ("site_hour_of_week", 5400, 2)
    assert analytics.DepartureForecaster([], "UTC").forecast(arrival) is None
    batch = analytics.DepartureForecaster(analytics.SessionBatch(week()), "Europe/Berlin", options=options())
    assert batch.forecast(arrival, "U1") == f.forecast(arrival, "U1")
    with pytest.raises(TypeError, match="naive"):
        f.forecast(datetime(2026, 3, 16, 9, 30))


# ---- feedback ----

T0 = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)


def fb(id_, author, loc, outcome, verified=False, **extra):
    f = {"id": id_, "created_at": T0, "author_id": author, "location_id": loc, "outcome": outcome,
         "distance_m": 10, **extra}
    if verified:
        f["session"] = {"verified": f"S-{id_}"}
    return f


def hand_computed_items():
    items = [fb(f"S{i}", f"A{i}", "L", "success", verified=True) for i in range(6)]
    items += [fb(f"X{i}", f"B{i}", "L", "failure", verified=True) for i in range(2)]
    items += [fb(f"U{i}", f"C{i}", "L", "success") for i in range(2)]
    items.append(fb("N", "D", "L", "neutral", problem="signage"))
    return items


def test_hand_computed_score():
    # Σw = 9 (8 verified, 2 unverified at 0.5), Σws = 7, prior 0.85 x 8: (7 + 6.8) / 17
    s = feedback.score_one("L", hand_computed_items())
    assert (s.effective_n, s.weighted_successes) == (D(9), D(7))
    assert s.success_probability == D("0.811764705882")
    assert (s.display_score, s.recent_success_rate) == (D("8.1"), D("0.7778"))
    assert (s.feedback, s.verified, s.neutral) == (11, 8, 1)
    assert s.lower_bound < s.success_probability and s.has_enough_data
    assert s.problem_mix[0].problem == "signage"
    assert s.since_last_success_s == 0 and s.last_success == T0
    half = feedback.score_one("L", hand_computed_items(), options={"neutral": "count_as_half"})
    assert half.success_probability == D("0.802857142857")
    verified_only = feedback.score_one("L", hand_computed_items(), options={"unverified": "verified_only"})
    assert verified_only.success_probability == D("0.8")


def test_score_report_ranking_and_actions():
    items = hand_computed_items()
    for i in range(2):
        items.append(fb(f"F{i}", f"Z{i}", "LOC", "failure", evse_id="CP-1", problem="broken_hardware",
                        created_at=T0 + timedelta(hours=i)))
    report = feedback.score(items)
    assert isinstance(report, feedback.ScoreReport)
    by_id = {s.id: s for s in report.scores}
    assert by_id["L"].display_score == D("8.1")
    assert by_id["LOC"].display_score is None  # not enough data
    assert [r.id for r in report.ranking.ranked][0] == "L"
    (action,) = report.actions
    assert (action.location_id, action.evse_id, action.problem, action.reports) == (
        "LOC", "CP-1", "broken_hardware", 2)
    assert action.first_reported == T0 and action.last_reported == T0 + timedelta(hours=1)
    assert report.as_of == T0 + timedelta(hours=1)


# Recency left out (half-life 0: every weight is 1) and feedback alone, so that Σw counts items.
PLAIN = {"half_life_days": D(0), "blend": "feedback_only"}


def eight_successes():
    return [fb(f"G{i}", f"A{i}", "L", "success", created_at=T0 + timedelta(days=i)) for i in range(8)]


def test_scores_screen_out_a_burst_from_one_author():
    spam = [fb(f"S{i}", "SPAM", "L", "failure", created_at=T0 + timedelta(days=8, minutes=i)) for i in range(10)]
    items = eight_successes() + spam
    # Screened: Σw = 8 × 0.5 + 0.5 = 4.5, p = (4 + 6.8) / (4.5 + 8) = 0.864 → 8.6.
    s = feedback.score_one("L", items, options=PLAIN)
    assert (s.effective_n, s.success_probability, s.display_score) == (D("4.5"), D("0.864"), D("8.6"))
    # As given: Σw = 9, p = 10.8 / 17 → 6.4.
    given = feedback.score_one("L", items, options={**PLAIN, "intake": "already_screened"})
    assert (given.effective_n, given.success_probability, given.display_score) == (D(9), D("0.635294117647"), D("6.4"))
    report = feedback.score(items, options=PLAIN)
    assert [r.feedback_id for r in report.refused] == [f"S{i}" for i in range(1, 10)]
    first = report.refused[0]
    assert first.refusal["rule"] == "cooldown" and first.refusal["previous_id"] == "S0"
    assert "already gave feedback S0" in first.message


def test_distance_rule_and_the_verified_exemption():
    at = T0 + timedelta(days=9)
    far = fb("FAR", "B1", "L", "failure", created_at=at, distance_m=150)
    blind = fb("BLIND", "B2", "L", "failure", created_at=at)
    del blind["distance_m"]
    ver = fb("VER", "B3", "L", "failure", created_at=at + timedelta(hours=1), distance_m=5000, session={"claimed": "S-VER"})
    session = {"session_id": "S-VER", "station_id": "CP-1", "port_id": "1", "plug_in": at,
               "plug_out": at + timedelta(minutes=50), "energy": 0, "site_id": "L", "user_id": "B3"}
    items = eight_successes() + [far, blind, ver]
    # The verified failure counts at weight 1: Σw = 5, p = 10.8 / 13 → 8.3.
    report = feedback.score(items, [session], options=PLAIN)
    (s,) = report.scores
    assert (s.effective_n, s.display_score, s.verified) == (D(5), D("8.3"), 1)
    assert [(r.feedback_id, r.refusal["rule"]) for r in report.refused] == [("FAR", "too_far"), ("BLIND", "no_presence_evidence")]
    assert report.refused[0].refusal.to_dict() == {"rule": "too_far", "distance_m": 150, "max_m": 100}
    # The screening alone, with a wider policy: the 150 m one passes, the claim comes back verified.
    screening = feedback.screen(items, [session], policy={"max_distance_m": 200})
    assert isinstance(screening, feedback.Screening)
    assert [r.feedback_id for r in screening.refused] == ["BLIND"]
    assert screening.accepted[-1].session == {"verified": "S-VER"}


def test_new_authors_are_rate_limited():
    burst = [fb(f"N{i}", "NEW", f"L{i}", "failure", created_at=T0 + timedelta(hours=i)) for i in range(4)]
    s = feedback.screen(burst)
    assert [f.id for f in s.accepted] == ["N0", "N1", "N2"]
    assert s.refused[0].refusal.to_dict() == {"rule": "new_author_rate_limited", "count": 3, "limit": 3}
    assert feedback.screen(burst, policy={"new_author_daily_limit": 4}).refused == []
    with pytest.raises(chargekit.InvalidFeedbackError, match="max_distance"):
        feedback.screen(burst, policy={"max_distance": 5})


@pytest.mark.parametrize("value", [D("NaN"), D("-Infinity"), D("sNaN")])
def test_non_finite_decimals_are_typed_errors_naming_the_field(value):
    # Regression (issues 15 and 18): these raised a bare ValueError without the field.
    with pytest.raises(chargekit.InvalidAnalyticsOptionsError) as e:
        analytics.summarize([dict(week()[0], energy=value)], "UTC")
    assert e.value.field == "sessions[0].energy"
    with pytest.raises(chargekit.InvalidFeedbackError) as e:
        feedback.score([fb("F", "A", "L", "success", observed_max_kw=value)])
    assert e.value.field.startswith("feedback[0].observed_max_kw")
    with pytest.raises(chargekit.InvalidAnalyticsOptionsError) as e:
        analytics.summarize(week(), "UTC", options={"overstay_grace_s": 60, "tou": {"start_hour": value}})
    assert e.value.field == "tou.start_hour"
    from chargekit import planning

    with pytest.raises(chargekit.PlanningError) as e:
        planning.plan({"start": T0, "departure": T0 + timedelta(hours=2), "energy_wh": value, "ev": {"max_power_w": 7400}})
    assert e.value.field == "energy_wh"


def test_feedback_errors():
    with pytest.raises(chargekit.InvalidFeedbackError) as info:
        feedback.score([fb("F", "A", "L", "delighted")])
    assert info.value.field.startswith("feedback[0].outcome")
    with pytest.raises(chargekit.InvalidFeedbackError):
        feedback.score([fb("F", "A", "L", "success", stars=6)])
    with pytest.raises(chargekit.InvalidFeedbackError):
        feedback.score([], options={"half_life": 3})
    with pytest.raises(TypeError):
        feedback.score(["F1"])
    assert issubclass(chargekit.InvalidStarsError, chargekit.FeedbackError)
