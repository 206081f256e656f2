"""Core errors arrive as the matching chargekit exception, with their attributes."""

from datetime import datetime, timezone

NOW = datetime(2026, 3, 10, 8, tzinfo=timezone.utc)

import pytest

import chargekit
from chargekit.ocpp import SessionAssembler, session_from_messages, sessions_from_messages
from ocpp_builders import call, lines, start16, stop16


def meter_values_16(sampled_value):
    return call(
        "mv-1",
        "MeterValues",
        {
            "connectorId": 1,
            "transactionId": 7,
            "meterValue": [{"timestamp": "2026-03-10T08:10:00Z", "sampledValue": [sampled_value]}],
        },
    )


def test_truncated_json_is_invalid_json_error():
    with pytest.raises(chargekit.InvalidJsonError) as info:
        sessions_from_messages('[2,"s","StartTransaction",{"connectorId":1,')
    assert info.value.line == 1
    assert "EOF" in info.value.reason
    assert isinstance(info.value, chargekit.OcppError)


def test_truncated_line_names_its_line():
    log = lines(start16("s", 7, 0, "08:00:00")) + '\n[2,"x","Heartbeat",{}'
    with pytest.raises(chargekit.InvalidJsonError) as info:
        sessions_from_messages(log)
    assert info.value.line == 3
    assert str(info.value).startswith("invalid JSON on line 3")


def test_not_a_frame_is_invalid_frame_error_with_index():
    with pytest.raises(chargekit.InvalidFrameError) as info:
        sessions_from_messages([[2, "a", "Heartbeat", {}], [7, "b"]])
    assert info.value.index == 1
    assert "unknown message type 7" in info.value.reason


def test_wrong_field_type_is_invalid_payload_error_naming_the_field():
    # OCPP 1.6 sampled values are strings
    with pytest.raises(chargekit.InvalidPayloadError) as info:
        sessions_from_messages([meter_values_16({"value": 1800})], "1.6")
    err = info.value
    assert err.action == "MeterValues"
    assert err.field == "meterValue[0].sampledValue[0].value"
    assert "expected a string" in err.reason
    assert "meterValue[0].sampledValue[0].value" in str(err)
    with pytest.raises(chargekit.InvalidPayloadError) as info:
        sessions_from_messages([call("m", "MeterValues", {"connectorId": "one", "meterValue": []})], "1.6")
    assert info.value.field == "connectorId"


@pytest.mark.parametrize("value", [float("nan"), float("-inf")])
def test_non_finite_floats_in_parsed_frames_are_typed_not_a_bare_value_error(value):
    # Regression (issue 18): json.loads reads NaN and Infinity; they raised a bare ValueError.
    # Where OCPP wants a number, the payload error names the field.
    with pytest.raises(chargekit.InvalidPayloadError) as info:
        sessions_from_messages([call("m", "StartTransaction", {"connectorId": 1, "idTag": "T", "meterStart": value,
                                                               "timestamp": "2026-03-10T08:00:00Z"})], "1.6")
    assert info.value.field == "meterStart"
    # Where it wants text (a 1.6 sampled value), the session keeps it and reports it unreadable.
    frames = start16("s", 7, 1000, "08:00:00") + [meter_values_16({"value": value}), stop16("e", 7, 2000, "09:00:00")]
    (s,) = sessions_from_messages(frames, "1.6")
    assert "unparseable" in s.anomaly_kinds


def test_bytes_that_are_not_utf8_are_typed_errors():
    # Regression (issue 18 items 1 and 2): these raised UnicodeDecodeError / a bare ValueError.
    from chargekit import ocmf, ocpi
    from chargekit.ocpp import SmartChargingStation

    bad = b'[2,"1","Heartbeat",{}]\n[2,"\xff"]'
    calls = [
        lambda: sessions_from_messages(bad),
        lambda: SessionAssembler("CP").feed(bad),
        lambda: ocpi.Tariff(bad),
        lambda: ocpi.price_cdr(bad, bad),
        lambda: SmartChargingStation(evse_ids=[1]).install(bad, 1),
    ]
    for call_it in calls:
        with pytest.raises(chargekit.InvalidJsonError) as info:
            call_it()
        assert (info.value.line, info.value.reason) == (2, "not UTF-8: byte 0xff at offset 27")
    with pytest.raises(chargekit.SignedDataContainerError, match="byte 0xff at offset 5"):
        ocmf.parse(b"OCMF|\xff|{}")


def test_an_ocmf_time_no_datetime_can_hold_is_refused_at_parse_time():
    # Regression (issue 18 item 7): it parsed, and reading .time raised "year -1 is out of range".
    from chargekit import ocmf

    record = 'OCMF|{"PG":"T1","RD":[{"TM":"-0001-01-01T00:00:00,000+0000 S","TX":"B","RV":1,"RU":"kWh","ST":"G"}]}|{"SD":"00"}'
    with pytest.raises(chargekit.OcmfFieldError) as info:
        ocmf.parse(record)
    assert info.value.field == "RD[0].TM"


def test_lone_surrogates_are_invalid_argument_errors():
    # Regression (issue 18 item 5): a str holding '\ud800' raised UnicodeEncodeError, and in
    # a dict key "TypeError: JSON object keys must be str, got str".
    from chargekit import analytics, feedback, planning
    from chargekit.ocpp import Fleet

    bad = "CP-\ud800"
    calls = {
        "a str value": lambda: analytics.summarize([{"session_id": bad}], "UTC"),
        "a dict key": lambda: planning.plan({bad: 1}),
        "a str value ": lambda: feedback.score([{"feedback_id": bad}], {}),
        "a str argument": lambda: Fleet().sessions(bad),
        "messages": lambda: sessions_from_messages('[2,"\ud800","Heartbeat",{}]'),
    }
    for argument, call_it in calls.items():
        with pytest.raises(chargekit.InvalidArgumentError) as info:
            call_it()
        assert info.value.argument == argument.strip(), info.value
        assert "surrogates not allowed" in info.value.reason


def test_out_of_range_ints_deep_nesting_and_bad_names_are_typed():
    # Regression (issue 18): OverflowError, RecursionError-prone recursion, bare ValueError.
    from decimal import Decimal

    from chargekit import ocpi, planning
    from chargekit.ocpp import Fleet, SmartChargingStation

    for n in (-1, 2**32, 2**200):
        with pytest.raises(chargekit.InvalidArgumentError, match="out of range for u32"):
            SmartChargingStation().transaction(n)
    with pytest.raises(chargekit.InvalidArgumentError):
        Fleet(retention_s=-1)
    deep = {}
    for _ in range(10_000):
        deep = {"k": deep}
    with pytest.raises(chargekit.TooLargeError) as info:
        planning.plan(deep)
    assert (info.value.name, info.value.limit) == ("MAX_JSON_DEPTH", 128)
    with pytest.raises(chargekit.InvalidArgumentError) as info:
        SmartChargingStation().composite_schedule(0, datetime(2026, 3, 10, tzinfo=NOW.tzinfo), 60, "kW")
    assert info.value.argument == "unit"
    # A Decimal that str() writes in exponent form is read exactly.
    schedule = SmartChargingStation().composite_schedule(0, NOW, 60, "A")
    assert planning.limits_from_composite(schedule, 3, Decimal("2.3E+2"))[0][1] == Decimal(48 * 230 * 3)


def test_limits_are_published_and_named_by_too_large():
    from decimal import Decimal

    from chargekit import planning

    limits = chargekit.LIMITS
    assert limits["MAX_JSON_DEPTH"] == 128 and limits["MAX_QUANTITY"] == Decimal(10**12)
    assert all(isinstance(v, Decimal) for v in limits.values())
    deep = {}
    for _ in range(200):
        deep = {"k": deep}
    with pytest.raises(chargekit.TooLargeError) as info:
        planning.plan(deep)
    assert limits[info.value.name] == info.value.limit


def test_instants_python_cannot_hold_are_typed():
    # Regression (issue 18): year 0 in a MeterValues frame assembled, and reading
    # .anomalies raised "ValueError: year 0 is out of range".
    frame = meter_values_16({"value": "1"})
    frame[3]["meterValue"][0]["timestamp"] = "0000-01-01T00:00:00Z"
    with pytest.raises(chargekit.InvalidPayloadError, match="year 0 is outside 1 to 9999"):
        sessions_from_messages(lines([*start16("s", 7, 0, "08:00:00"), frame]), "1.6")


def test_ocpi_versions_follow_one_rule_and_fail_typed():
    # Regression (issue 18 item 3): "" and "9" raised a bare ValueError.
    from chargekit import ocpi

    text = '{"country_code":"NL","party_id":"ABC","id":"T","currency":"EUR","elements":[{"price_components":[{"type":"ENERGY","price":0.3,"step_size":1}]}]}'
    for bad in ("", "9", "2.2.2"):
        with pytest.raises(chargekit.UnsupportedOcpiVersionError) as info:
            ocpi.Tariff(text, bad)
        assert info.value.version == bad
    assert issubclass(chargekit.UnsupportedOcpiVersionError, chargekit.TariffError)
    for loose in ("2.2.1", "OCPI 2.2.1", "v221"):
        assert ocpi.Tariff(text, loose).to_ocpi(loose)["id"] == "T"


def test_unknown_measurand_is_invalid_payload_error():
    with pytest.raises(chargekit.InvalidPayloadError) as info:
        sessions_from_messages([meter_values_16({"value": "1", "measurand": "Energy.Active.Import.Registr"})], "1.6")
    assert info.value.field == "meterValue[0].sampledValue[0].measurand"
    assert "Energy.Active.Import.Registr" in info.value.reason


def test_unsupported_or_mismatched_version():
    frames = start16("s", 7, 0, "08:00:00")
    with pytest.raises(chargekit.UnsupportedVersionError) as info:
        sessions_from_messages(frames, "3.0")
    assert "3.0" in info.value.reason
    with pytest.raises(chargekit.UnsupportedVersionError):
        SessionAssembler(version="1.5")
    with pytest.raises(chargekit.UnsupportedVersionError) as info:
        sessions_from_messages(frames, "2.0.1")
    assert "StartTransaction" in str(info.value)


def test_not_exactly_one_session():
    with pytest.raises(chargekit.NotExactlyOneSessionError) as info:
        session_from_messages("")
    assert info.value.found == 0
    two = [
        *start16("a", 1, 0, "08:00:00"),
        stop16("b", 1, 10, "08:30:00"),
        *start16("c", 2, 10, "09:00:00"),
        stop16("d", 2, 20, "09:30:00"),
    ]
    assert len(sessions_from_messages(two)) == 2
    with pytest.raises(chargekit.NotExactlyOneSessionError) as info:
        session_from_messages(two)
    assert info.value.found == 2
    assert isinstance(info.value, chargekit.SessionError)
    a = SessionAssembler()
    # A live assembler waiting for its first transaction has no session yet: None.
    assert a.session() is None
    a.feed(two)
    with pytest.raises(chargekit.NotExactlyOneSessionError):
        a.session()


def test_feed_is_all_or_nothing_per_call():
    a = SessionAssembler("CP-1")
    assert a.feed(start16("s", 7, 1000, "08:00:00")) == 2
    before = a.sessions()
    bad = lines([stop16("e", 7, 4000, "09:00:00")]) + '\n[2,"x",'
    with pytest.raises(chargekit.InvalidJsonError):
        a.feed(bad)
    assert a.stats["frames_fed"] == 2
    assert a.sessions() == before
    assert not a.session().is_ended
    a.feed([stop16("e", 7, 4000, "09:00:00")])
    assert a.session().is_ended


def test_naive_datetimes_are_type_errors():
    s = session_from_messages([*start16("s", 7, 0, "08:00:00"), stop16("e", 7, 100, "09:00:00")])
    with pytest.raises(TypeError, match="naive datetime"):
        s.charging_periods_cut_at([datetime(2026, 3, 10, 8, 30)])
    with pytest.raises(TypeError):
        s.charging_periods_cut_at(["2026-03-10T08:30:00Z"])
    envelope = {"received_at": datetime(2026, 3, 10, 8, 0, 1), "frame": [2, "h", "Heartbeat", {}]}
    with pytest.raises(TypeError, match="naive datetime"):
        sessions_from_messages([envelope])


def test_bad_argument_types_are_type_errors():
    with pytest.raises(TypeError):
        sessions_from_messages(42)
    with pytest.raises(TypeError):
        sessions_from_messages("[]", 16)
    with pytest.raises(TypeError):
        SessionAssembler().feed([[2, "h", "Heartbeat", {"x": object()}]])
