"""No core panic reaches Python as PyO3's ``PanicException``: every call into core runs
under the binding's guard (``errors::guarded``), which raises ``chargekit.InternalError``
(a ``ChargekitError``) with the panic message as ``reason``."""

from datetime import datetime, timezone
from decimal import Decimal

import pytest

import chargekit
from chargekit.ocpp import SmartChargingStation, sessions_from_messages
from chargekit.planning import limits_from_composite
from ocpp_builders import meter16, start16, stop16, ts

DECIMAL_MAX = Decimal("79228162514264337593543950335")
I64_MAX = 2**63 - 1
NOW = datetime(2026, 3, 10, 8, 0, tzinfo=timezone.utc)


def result_or_error(call):
    """What ``call`` returns, or the ChargekitError it raises; anything else fails the test."""
    try:
        return call()
    except chargekit.ChargekitError as e:
        return e
    except BaseException as e:  # PyO3's PanicException is a BaseException
        pytest.fail(f"{type(e).__module__}.{type(e).__name__} instead of a ChargekitError: {e}")


# Core has no known panic left (the overflows these tests used to provoke are typed errors
# now, see below), so the guard is proved with `_guard_probe`, which panics inside it.


def test_a_core_panic_is_an_internal_error():
    for detached in (False, True):  # most calls run with the interpreter detached
        err = result_or_error(lambda: chargekit._chargekit._guard_probe("boom 42", detached))
        assert isinstance(err, chargekit.InternalError), err
        assert err.reason == "boom 42"
        assert str(err) == "internal error in chargekit: boom 42"


def test_former_panics_are_typed_errors():
    # An ampere limit became watts through an unchecked multiplication by the voltage.
    schedule = SmartChargingStation().composite_schedule(0, NOW, 3600, unit="A")
    err = result_or_error(lambda: limits_from_composite(schedule, voltage=DECIMAL_MAX))
    assert isinstance(err, chargekit.InvalidPlanningFieldError) and err.field == "voltage", err
    assert limits_from_composite(schedule)[0][1] == Decimal(48 * 230 * 3)
    err = result_or_error(lambda: SmartChargingStation(supply_voltage=DECIMAL_MAX))
    assert isinstance(err, chargekit.InvalidStationConfigError) and "MAX_QUANTITY" in str(err), err


def hostile_log():
    """A stopped 1.6 transaction with a dip, plus a MeterValues frame in an envelope (so
    that the clock-skew check runs), as in the Kotlin check of hostile policy values."""
    late = {"received_at": ts("08:07:01"), "frame": meter16("m9", 7, "08:07:00", "2500")}
    return [
        *start16("s", 7, 1000, "08:00:00"),
        meter16("m1", 7, "08:05:00", "2000"),
        meter16("m2", 7, "08:10:00", "0"),
        meter16("m3", 7, "08:15:00", "3000"),
        stop16("e", 7, 4000, "08:20:00"),
        late,
    ]


EXTREMES = [
    *[("max_clock_skew_s", v) for v in (I64_MAX, -I64_MAX - 1, 0)],
    *[
        (field, v)
        for field in ("rated_power_w", "begin_zero_threshold_wh", "start_stop_tolerance_wh")
        for v in (DECIMAL_MAX, -DECIMAL_MAX, Decimal("1e-28"), Decimal(0))
    ],
]


@pytest.mark.parametrize("field,value", EXTREMES)
def test_hostile_policy_values_end_in_a_result_or_a_chargekit_error(field, value):
    def assemble():
        sessions = sessions_from_messages(hostile_log(), "1.6", policy={field: value})
        for s in sessions:
            assert s.energy_wh >= 0
            s.charging_periods
            s.to_ocpi_cdr()
        return sessions

    result_or_error(assemble)
