"""CDRs priced per second: ``chargekit.ocpi.price_cdr`` against a plain-Python pricer.

Issue #3 asks for "the Python binding against a plain-Python loop". Both pricers get the
same inputs as the criterion bench ``benches/benches/pricing.rs``: the time-of-use tariff
and the 2-period and 11-period CDRs in ``benches/data/`` (one source of truth, read by the
Rust bench with ``include_str!``).

The plain-Python pricer (:func:`price_cdr_plain`) uses only the standard library
(``decimal``, ``json``, ``zoneinfo``). It implements chargekit's default policy (the OCPI
2.2.1 bugfix reading) for what these inputs use: ENERGY, TIME, FLAT and PARKING_TIME
components, ``start_time``/``end_time`` (and ``day_of_week``) restrictions evaluated in
local time at each period's start, ``step_size`` with one ceiling per session and group,
VAT, ``min_price``/``max_price`` and totals rounded half away from zero to the currency's
minor units. Anything else raises ``NotImplementedError`` rather than pricing wrongly.

Before any timing, both pricers price every CDR and their totals must be equal (each of
``total_cost``, ``total_energy_cost``, ``total_time_cost``, ``total_parking_cost``,
``total_fixed_cost``, excl. and incl. VAT), so the comparison is between equal answers.

Three input forms are timed, for both CDRs:

- ``json``: CDR and tariff as JSON text (each pricer parses them on every call);
- ``dict``: CDR and tariff already parsed (``json.loads(..., parse_float=Decimal)``);
- ``tariff``: the CDR as in ``dict``, the tariff read once beforehand into a
  ``chargekit.ocpi.Tariff`` (a caller pricing many CDRs against one tariff); the
  plain-Python pricer gets the tariff dict, as in ``dict``.

Run ``python benches/python/bench_pricing.py`` (``--quick`` for a smoke run).
"""

from __future__ import annotations

import argparse
import json
import statistics
import timeit
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import ROUND_CEILING, ROUND_HALF_EVEN, ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any, Callable, Dict, List, Mapping, Optional, Tuple, Union
from zoneinfo import ZoneInfo

DATA = Path(__file__).resolve().parents[1] / "data"
TARIFF_FILE = "tou_tariff.json"
CASES: Dict[str, str] = {"2_periods": "cdr_2_periods.json", "11_periods": "cdr_11_periods.json"}
FORMS = ("json", "dict", "tariff")
COST_FIELDS = (
    "total_cost",
    "total_energy_cost",
    "total_time_cost",
    "total_parking_cost",
    "total_fixed_cost",
)

# The countries whose time zone the reference pricer infers (chargekit knows many more).
COUNTRY_TZ = {
    "NL": "Europe/Amsterdam",
    "NLD": "Europe/Amsterdam",
    "BE": "Europe/Brussels",
    "BEL": "Europe/Brussels",
    "DE": "Europe/Berlin",
    "DEU": "Europe/Berlin",
    "FR": "Europe/Paris",
    "FRA": "Europe/Paris",
}
CURRENCY_DECIMALS = {"JPY": 0, "KRW": 0}  # ISO 4217 minor units; 2 for the rest.
WEEKDAYS = ("MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY", "SATURDAY", "SUNDAY")
SUPPORTED_RESTRICTIONS = {"start_time", "end_time", "day_of_week"}
SECONDS_PER_HOUR = Decimal(3600)
WH_PER_KWH = Decimal(1000)
HUNDRED = Decimal(100)

Json = Union[str, bytes, Mapping[str, Any]]


@dataclass(frozen=True)
class Cost:
    """An amount excl. and incl. VAT (``incl_vat`` None when a VAT rate is unknown)."""

    excl_vat: Decimal
    incl_vat: Optional[Decimal]

    def __add__(self, other: "Cost") -> "Cost":
        incl = None
        if self.incl_vat is not None and other.incl_vat is not None:
            incl = self.incl_vat + other.incl_vat
        return Cost(self.excl_vat + other.excl_vat, incl)


@dataclass
class _Line:
    """One priced quantity: a period × dimension, in base units (Wh, s, or 1 for FLAT)."""

    group: str  # "energy", "time", "parking", "flat"
    qty: Decimal
    billed: Decimal
    price: Decimal
    vat: Optional[Decimal]
    step: int


def load(path: Union[str, Path]) -> Dict[str, Any]:
    """A JSON document with exact numbers (``Decimal``, never float)."""
    return json.loads(Path(path).read_text(), parse_float=Decimal)


def _parse(doc: Json) -> Mapping[str, Any]:
    if isinstance(doc, (str, bytes)):
        return json.loads(doc, parse_float=Decimal)
    return doc


def _instant(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def _seconds_of_day(hhmm: str) -> int:
    h, m = hhmm.split(":")
    return int(h) * 3600 + int(m) * 60


def _time_window_holds(start: Optional[str], end: Optional[str], t: int) -> bool:
    """chargekit's default reading: ``end_time`` 00:00 is the end of the day; equal start
    and end times hold only when both are 00:00; windows wrap past midnight."""
    s = None if start is None else _seconds_of_day(start)
    e = None if end is None else _seconds_of_day(end)
    if s is None and e is None:
        return True
    if e is None:
        return t >= s  # type: ignore[operator]
    if s is None:
        return True if e == 0 else t < e
    if s == e:
        return s == 0
    if e == 0:
        return t >= s
    if s < e:
        return s <= t < e
    return t >= s or t < e


def _restrictions_hold(restrictions: Optional[Mapping[str, Any]], local: datetime) -> bool:
    if not restrictions:
        return True
    unsupported = set(restrictions) - SUPPORTED_RESTRICTIONS
    if unsupported:
        raise NotImplementedError(f"restrictions not supported here: {sorted(unsupported)}")
    days = restrictions.get("day_of_week")
    if days and WEEKDAYS[local.weekday()] not in days:
        return False
    t = local.hour * 3600 + local.minute * 60 + local.second
    return _time_window_holds(restrictions.get("start_time"), restrictions.get("end_time"), t)


def _component(
    tariff: Mapping[str, Any], dimension: str, local: datetime
) -> Optional[Mapping[str, Any]]:
    """The component of ``dimension`` of the first element (in list order) whose
    restrictions hold at ``local``."""
    for element in tariff["elements"]:
        for c in element["price_components"]:
            if c["type"] == dimension:
                if _restrictions_hold(element.get("restrictions"), local):
                    return c
                break
    return None


def _vat(c: Mapping[str, Any]) -> Optional[Decimal]:
    v = c.get("vat")
    return None if v is None else Decimal(v)


def _ceil_to(q: Decimal, step: Decimal) -> Decimal:
    return (q / step).to_integral_value(rounding=ROUND_CEILING) * step


def _round_group(lines: List[_Line], group: str, hours_guard: bool) -> None:
    """One step-size ceiling per session for ``group``: over the billable volume, at the
    step of the last line that billed it; the extra goes to that line."""
    members = [ln for ln in lines if ln.group == group]
    billed = [ln for ln in members if ln.qty > 0]
    if not billed or billed[-1].step == 0:
        return
    total = sum((ln.qty for ln in members), Decimal(0))
    # Durations stated in hours (to 1e-6 h) are taken to 10 ms before the ceiling.
    guarded = total.quantize(Decimal("0.01"), rounding=ROUND_HALF_EVEN) if hours_guard else total
    billed[-1].billed += _ceil_to(guarded, Decimal(billed[-1].step)) - total


def price_cdr_plain(cdr: Json, tariff: Json, *, timezone: Optional[str] = None) -> Dict[str, Cost]:
    """Prices an OCPI 2.2.1 CDR against one tariff (JSON text or parsed dicts) the way
    ``chargekit.ocpi.price_cdr`` does under its default policy, for the subset described
    in the module text. Returns the rounded totals by field name."""
    cdr = _parse(cdr)
    tariff = _parse(tariff)
    if timezone is None:
        location = cdr.get("cdr_location") or cdr.get("location") or {}
        country = location.get("country") or cdr.get("country_code", "")
        timezone = COUNTRY_TZ[country.upper()]
    tz = ZoneInfo(timezone)
    end = _instant(cdr["end_date_time"])
    periods = sorted(cdr["charging_periods"], key=lambda p: _instant(p["start_date_time"]))

    lines: List[_Line] = []
    flat_done = False
    for p in periods:
        local = _instant(p["start_date_time"]).astimezone(tz)
        quantities: Dict[str, Decimal] = {}
        for d in p.get("dimensions", ()):
            kind, volume = d["type"].upper(), Decimal(d["volume"])
            if kind == "ENERGY":
                quantities["ENERGY"] = quantities.get("ENERGY", Decimal(0)) + volume * WH_PER_KWH
            elif kind in ("TIME", "PARKING_TIME"):
                # Hours to seconds, to 10 ms (chargekit's guard against 1e-6 h residue).
                secs = (volume * SECONDS_PER_HOUR).quantize(Decimal("0.01"), ROUND_HALF_EVEN)
                quantities[kind] = quantities.get(kind, Decimal(0)) + secs
            elif kind == "RESERVATION_TIME":
                raise NotImplementedError("RESERVATION_TIME is not supported here")
        for kind, group in (("ENERGY", "energy"), ("TIME", "time"), ("PARKING_TIME", "parking")):
            if kind not in quantities:
                continue
            c = _component(tariff, kind, local)
            if c is not None:
                qty = quantities[kind]
                lines.append(
                    _Line(group, qty, qty, Decimal(c["price"]), _vat(c), int(c.get("step_size", 0)))
                )
        if not flat_done:
            c = _component(tariff, "FLAT", local)
            if c is not None:
                flat_done = True
                lines.append(_Line("flat", Decimal(1), Decimal(1), Decimal(c["price"]), _vat(c), 0))

    _round_group(lines, "energy", hours_guard=False)
    if sum((ln.qty for ln in lines if ln.group == "parking"), Decimal(0)) > 0:
        _round_group(lines, "parking", hours_guard=True)
    else:
        _round_group(lines, "time", hours_guard=True)

    exact: Dict[str, Cost] = {}
    for ln in lines:
        if ln.group == "energy":
            excl = ln.billed * ln.price / WH_PER_KWH
        elif ln.group == "flat":
            excl = ln.price
        else:
            excl = ln.billed * ln.price / SECONDS_PER_HOUR
        incl = None if ln.vat is None else excl + excl * ln.vat / HUNDRED
        cost = Cost(excl, incl)
        exact[ln.group] = exact[ln.group] + cost if ln.group in exact else cost

    total = Cost(Decimal(0), Decimal(0))
    for cost in exact.values():
        total = total + cost
    total = _clamp(total, tariff)
    places = Decimal(1).scaleb(-CURRENCY_DECIMALS.get(tariff["currency"], 2))

    def rounded(c: Cost) -> Cost:
        incl = None if c.incl_vat is None else c.incl_vat.quantize(places, ROUND_HALF_UP)
        return Cost(c.excl_vat.quantize(places, ROUND_HALF_UP), incl)

    zero = Cost(Decimal(0), Decimal(0))
    return {
        "total_cost": rounded(total),
        "total_energy_cost": rounded(exact.get("energy", zero)),
        "total_time_cost": rounded(exact.get("time", zero)),
        "total_parking_cost": rounded(exact.get("parking", zero)),
        "total_fixed_cost": rounded(exact.get("flat", zero)),
    }


def _clamp(total: Cost, tariff: Mapping[str, Any]) -> Cost:
    """``min_price`` / ``max_price`` applied to the exact total (excl. and incl. VAT)."""
    excl, incl = total.excl_vat, total.incl_vat
    lo, hi = tariff.get("min_price"), tariff.get("max_price")
    if lo:
        excl = max(excl, Decimal(lo["excl_vat"]))
        if incl is not None and lo.get("incl_vat") is not None:
            incl = max(incl, Decimal(lo["incl_vat"]))
    if hi:
        excl = min(excl, Decimal(hi["excl_vat"]))
        if incl is not None and hi.get("incl_vat") is not None:
            incl = min(incl, Decimal(hi["incl_vat"]))
    return Cost(excl, incl)


def price_cdr_chargekit(cdr: Json, tariff: Any) -> Dict[str, Cost]:
    """``chargekit.ocpi.price_cdr`` with its default policy, as the same totals."""
    from chargekit.ocpi import price_cdr

    r = price_cdr(cdr, tariff)
    return {f: Cost(getattr(r, f).excl_vat, getattr(r, f).incl_vat) for f in COST_FIELDS}


def inputs(form: str, case: str) -> Tuple[Json, Json]:
    """The CDR and the tariff of ``case`` in the input ``form`` (``json`` or ``dict``)."""
    cdr_text = (DATA / CASES[case]).read_text()
    tariff_text = (DATA / TARIFF_FILE).read_text()
    if form == "json":
        return cdr_text, tariff_text
    if form in ("dict", "tariff"):
        return json.loads(cdr_text, parse_float=Decimal), json.loads(
            tariff_text, parse_float=Decimal
        )
    raise ValueError(f"unknown input form {form!r}; expected one of {FORMS}")


def chargekit_inputs(form: str, case: str) -> Tuple[Json, Any]:
    """What chargekit gets for ``case`` in ``form``: as :func:`inputs`, except that the
    ``tariff`` form hands it a ``chargekit.ocpi.Tariff`` read once from the tariff file."""
    cdr, tariff = inputs(form, case)
    if form == "tariff":
        from chargekit.ocpi import Tariff

        return cdr, Tariff((DATA / TARIFF_FILE).read_text())
    return cdr, tariff


def check_agreement() -> Dict[str, Dict[str, Cost]]:
    """Prices every case in every form with both pricers; raises ``AssertionError`` unless
    all totals are equal. Returns chargekit's totals per case."""
    out: Dict[str, Dict[str, Cost]] = {}
    for case in CASES:
        for form in FORMS:
            cdr, tariff = inputs(form, case)
            ck = price_cdr_chargekit(*chargekit_inputs(form, case))
            plain = price_cdr_plain(cdr, tariff)
            for field in COST_FIELDS:
                assert (
                    ck[field] == plain[field]
                ), f"{case}/{form} {field}: chargekit {ck[field]} != plain Python {plain[field]}"
            out[case] = ck
    return out


@dataclass(frozen=True)
class Timing:
    """Seconds per call: the best and the median of the repeats."""

    best: float
    median: float

    @property
    def per_second(self) -> float:
        """Calls per second at the best repeat."""
        return 1.0 / self.best


def time_call(fn: Callable[[], Any], number: int, repeat: int) -> Timing:
    """``timeit``: ``repeat`` runs of ``number`` calls, per-call seconds."""
    runs = [t / number for t in timeit.repeat(fn, number=number, repeat=repeat)]
    return Timing(min(runs), statistics.median(runs))


def run(number: int = 2000, repeat: int = 7, verbose: bool = True) -> List[Dict[str, Any]]:
    """Checks agreement, then times both pricers for every case and form. Returns one row
    per (case, form) with CDRs/s (best repeat) for each pricer and their ratio."""
    check_agreement()
    rows: List[Dict[str, Any]] = []
    for case in CASES:
        for form in FORMS:
            cdr, tariff = inputs(form, case)
            ck_cdr, ck_tariff = chargekit_inputs(form, case)
            ck = time_call(lambda: price_cdr_chargekit(ck_cdr, ck_tariff), number, repeat)
            plain = time_call(lambda: price_cdr_plain(cdr, tariff), number, repeat)
            rows.append(
                {
                    "case": case,
                    "form": form,
                    "chargekit_per_s": ck.per_second,
                    "chargekit_median_us": ck.median * 1e6,
                    "plain_per_s": plain.per_second,
                    "plain_median_us": plain.median * 1e6,
                    "ratio": ck.per_second / plain.per_second,
                }
            )
    if verbose:
        print(f"CDR pricing, {repeat} repeats × {number} calls, best repeat (median µs/call)")
        print(
            f"{'case':<11} {'input':<6} {'chargekit CDRs/s':>24} {'plain Python CDRs/s':>24} {'ratio':>7}"
        )
        for r in rows:
            print(
                f"{r['case']:<11} {r['form']:<6} "
                f"{r['chargekit_per_s']:>12,.0f} ({r['chargekit_median_us']:7.1f} µs) "
                f"{r['plain_per_s']:>12,.0f} ({r['plain_median_us']:7.1f} µs) "
                f"{r['ratio']:>6.1f}x"
            )
    return rows


def main(argv: Optional[List[str]] = None) -> None:
    """Command line: ``--n`` calls per repeat, ``--repeat``, ``--quick`` for a smoke run."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--n", type=int, default=2000, help="calls per repeat (default 2000)")
    ap.add_argument("--repeat", type=int, default=7, help="repeats (default 7)")
    ap.add_argument("--quick", action="store_true", help="smoke run: 20 calls × 2 repeats")
    args = ap.parse_args(argv)
    number, repeat = (20, 2) if args.quick else (args.n, args.repeat)
    run(number=number, repeat=repeat)


if __name__ == "__main__":
    main()
