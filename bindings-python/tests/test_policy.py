"""MeterPolicy: keyword fields in the core's serde form, and their effect."""

from decimal import Decimal

import pytest

import chargekit
from chargekit import InvalidPolicyError, MeterPolicy, NegativeStepError, UnknownUnitError
from chargekit.ocpp import SessionAssembler, session_from_messages, sessions_from_messages
from ocpp_builders import call, lines, meter16, start16, stop16


def test_defaults_round_trip_through_to_dict():
    d = MeterPolicy().to_dict()
    assert d["negative_step"] == "classify"
    assert d["location"] == "outlet_or_unspecified"
    assert d["begin_zero"] == "reject_placeholder"
    assert d["late_events"] == "append_history"
    assert d["rated_power_w"] == Decimal(400000) and isinstance(d["rated_power_w"], Decimal)
    assert d["begin_zero_threshold_wh"] == Decimal(250000)
    assert d["start_stop_tolerance_wh"] == Decimal(1)
    assert d["max_clock_skew_s"] == 300 and type(d["max_clock_skew_s"]) is int
    assert d["allow_implausible"] is False
    assert len(d) == 18
    assert MeterPolicy(**d) == MeterPolicy()
    assert repr(MeterPolicy()) == "MeterPolicy()"


def test_keyword_fields_with_snake_case_options():
    p = MeterPolicy(negative_step="treat_as_reset", location={"exact": "Cable"}, rated_power_w=Decimal("22000"))
    d = p.to_dict()
    assert d["negative_step"] == "treat_as_reset"
    assert d["location"] == {"exact": "Cable"}
    assert d["rated_power_w"] == Decimal("22000")
    assert p.negative_step == "treat_as_reset"  # fields read as attributes too
    assert MeterPolicy(**d) == p
    assert p != MeterPolicy()
    assert repr(p) == (
        "MeterPolicy(location={'exact': 'Cable'}, negative_step='treat_as_reset', "
        "rated_power_w=Decimal('22000'))"
    )
    # an int is exact too
    assert MeterPolicy(rated_power_w=22000).to_dict()["rated_power_w"] == Decimal(22000)
    with pytest.raises(AttributeError):
        p.no_such_field


@pytest.mark.parametrize(
    "fields,field",
    [
        ({"negative_step": "maybe"}, "negative_step"),
        ({"location": {"exact": "Nowhere"}}, "location.exact"),
        ({"max_clock_skew_s": "soon"}, "max_clock_skew_s"),
        ({"rated_power_w": "lots"}, "rated_power_w"),
        ({"no_such_field": 1}, "no_such_field"),
    ],
)
def test_invalid_fields_raise_invalid_policy_error_naming_the_field(fields, field):
    with pytest.raises(InvalidPolicyError) as info:
        MeterPolicy(**fields)
    assert info.value.field == field
    assert isinstance(info.value, chargekit.MeterError)
    assert isinstance(info.value, ValueError)
    # a plain dict is read the same way
    with pytest.raises(InvalidPolicyError):
        sessions_from_messages("[]", policy=fields)


@pytest.mark.parametrize("field", ["rated_power_w", "begin_zero_threshold_wh", "start_stop_tolerance_wh"])
def test_float_for_a_quantity_is_a_type_error(field):
    with pytest.raises(TypeError, match="Decimal"):
        MeterPolicy(**{field: 22000.0})
    with pytest.raises(TypeError):
        SessionAssembler(policy={field: 0.5})


def test_policy_must_be_a_meter_policy_a_dict_or_none():
    with pytest.raises(TypeError):
        sessions_from_messages("[]", policy="strict")


def dipping_register():
    return [
        *start16("s", 7, 1000, "08:00:00"),
        meter16("m1", 7, "08:15:00", "1800"),
        meter16("m2", 7, "08:30:00", "0"),
        meter16("m3", 7, "08:45:00", "3200"),
        stop16("e", 7, 4000, "09:00:00"),
    ]


def test_negative_step_error_raises_on_a_dipping_register():
    log = lines(dipping_register())
    assert session_from_messages(log).energy_wh == Decimal(3000)  # default: classify the dip
    with pytest.raises(NegativeStepError) as info:
        session_from_messages(log, policy=MeterPolicy(negative_step="error"))
    err = info.value
    assert err.from_wh == Decimal(1800) and err.to_wh == Decimal(0)
    assert err.at.isoformat() == "2026-03-10T08:30:00+00:00"
    assert "1800" in str(err)
    # the assembler accepts the data and raises when the sessions are computed
    a = SessionAssembler(policy={"negative_step": "error"})
    assert a.feed(log) == 6
    with pytest.raises(NegativeStepError):
        a.sessions()


def test_treat_as_reset_changes_the_energy():
    s = session_from_messages(dipping_register(), policy={"negative_step": "treat_as_reset"})
    assert s.energy_wh == Decimal(4800)
    assert "meter_reset" in s.anomaly_kinds


def test_unknown_unit_flag_or_strict():
    mv = call(
        "m",
        "MeterValues",
        {
            "connectorId": 1,
            "transactionId": 7,
            "meterValue": [
                {
                    "timestamp": "2026-03-10T08:10:00Z",
                    "sampledValue": [{"value": "1800", "unit": "Wh"}, {"value": "3", "unit": "furlong"}],
                }
            ],
        },
    )
    frames = [*start16("s", 7, 1000, "08:00:00"), mv]
    flagged = session_from_messages(frames)
    assert flagged.anomaly_kinds == ["unknown_unit"]
    odd = next(r for r in flagged.readings if r.unit_raw == "furlong")
    assert odd.value is None and odd.raw == "3"
    with pytest.raises(UnknownUnitError) as info:
        session_from_messages(frames, policy={"unknown_unit": "strict"})
    assert (info.value.unit, info.value.message_id) == ("furlong", "m")
