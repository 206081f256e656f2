"""chargekit.ocpi: CDR pricing on the ocpi-tariffs conformance vectors, the worked
numbers of docs/tariffs.md §2.1, lint and explanations, invoices and session pricing."""

import json
from datetime import datetime, timedelta, timezone
from decimal import Decimal
from pathlib import Path

import pytest

import chargekit
from chargekit import ocpi
from chargekit.ocpi import Tariff, price_cdr
from chargekit.ocpp import session_from_messages
from ocpp_builders import call, meter16, start16, stop16, ts

UTC = timezone.utc
VECTORS = Path(__file__).resolve().parents[2] / "core" / "tests" / "vectors" / "ocpi-tariffs"
EXACT = Decimal("0.0001")


def read_json(path):
    """A vector file: `//` comment lines stripped, numbers exact."""
    text = "\n".join(l for l in path.read_text().splitlines() if not l.lstrip().startswith("//"))
    return json.loads(text, parse_float=Decimal)


def d(s):
    return Decimal(s)


# ---- conformance vectors (ocpi-tariffs 0.54 corpus, v2.2.1 real-world CDRs) ----

def real_world_cases():
    """Every v221 real-world CDR, as the core's conformance runner reads it; the one case
    listed in core/tests/conformance/divergences.json is left out."""
    divergent = {x["case"] for x in read_json(Path(__file__).resolve().parents[2] / "core" / "tests"
                                              / "conformance" / "divergences.json")["divergences"]}
    cases = []
    base = VECTORS / "v221" / "real_world"
    for case_dir in sorted(p for p in base.iterdir() if p.is_dir()):
        for cdr in sorted(case_dir.glob("cdr*.json")):
            name = f"v221/real_world/{case_dir.name}/{cdr.stem}"
            if name not in divergent:
                cases.append(pytest.param(case_dir, cdr.stem, id=f"{case_dir.name}/{cdr.stem}"))
    return cases


def expected_totals(case_dir, stem, cdr):
    out = case_dir / f"output_price__{stem}.json"
    expect = read_json(out).get("cdr_price") if out.exists() else None
    return expect if expect is not None else cdr


FIELDS = [
    ("total_cost", "total_cost"),
    ("total_energy_cost", "total_energy_cost"),
    ("total_fixed_cost", "total_fixed_cost"),
    ("total_time_cost", "total_time_cost"),
    ("total_charging_time_cost", "total_time_cost"),
    ("total_parking_cost", "total_parking_cost"),
    ("total_idle_time_cost", "total_parking_cost"),
    ("total_reservation_cost", "total_reservation_cost"),
]


@pytest.mark.parametrize("case_dir, stem", real_world_cases())
def test_conformance_vector(case_dir, stem):
    cdr = read_json(case_dir / f"{stem}.json")
    tariffs = []
    if (case_dir / "tariff.json").exists():
        tariffs = [Tariff((case_dir / "tariff.json").read_text(), version="2.2.1")]
    result = price_cdr(cdr, tariffs, policy="ocpi_tariffs")
    expect = expected_totals(case_dir, stem, cdr)
    priced = result.to_ocpi()
    for field, attr in FIELDS:
        if field not in expect:
            continue
        want = expect[field]
        got = getattr(result, attr)
        category = attr[len("total_"):-len("_cost")]
        if want is None:  # "must not be priced"
            if attr == "total_cost":
                assert not result.breakdown.lines, field
            else:
                assert category not in result.priced, field
            continue
        if not isinstance(want, dict):
            want = {"excl_vat": want}
        assert abs(got.excl_vat - Decimal(want["excl_vat"])) <= EXACT, (field, got)
        if want.get("incl_vat") is not None:
            # the typed total is the CDR field: incl == excl where no VAT applies
            assert abs(got.incl_vat - Decimal(want["incl_vat"])) <= EXACT, (field, got)
            assert got.incl_vat == priced[attr]["incl_vat"], (field, priced[attr])
    if "total_energy" in expect and expect["total_energy"] is not None:
        assert abs(result.total_energy - Decimal(expect["total_energy"])) <= EXACT
    # the priced CDR carries the result, every number a Decimal
    assert Decimal(priced["total_cost"]["excl_vat"]) == result.total_cost.excl_vat
    assert isinstance(priced["total_cost"]["excl_vat"], Decimal)


def test_conformance_cases_are_many():
    assert len(real_world_cases()) >= 13


# ---- worked numbers (docs/tariffs.md §2.1) ----

def tariff(elements, **extra):
    return {"country_code": "DE", "party_id": "CKT", "id": "T", "currency": "EUR",
            "elements": elements, "last_updated": "2026-01-01T00:00:00Z", **extra}


def cdr(start, end, periods, **extra):
    return {"start_date_time": start, "end_date_time": end, "currency": "EUR",
            "cdr_location": {"country": "NLD"},
            "charging_periods": [{"start_date_time": s, "dimensions": [{"type": t, "volume": Decimal(v)}
                                                                       for t, v in dims]}
                                 for s, dims in periods],
            "total_energy": 0, "total_time": 0, "total_cost": {"excl_vat": 0}}


def energy_cdr(kwh):
    return cdr("2026-03-10T10:00:00Z", "2026-03-10T11:00:00Z", [("2026-03-10T10:00:00Z", [("ENERGY", kwh)])])


def time_cdr(hours):
    return cdr("2026-03-10T10:00:00Z", "2026-03-10T12:30:00Z", [("2026-03-10T10:00:00Z", [("TIME", hours)])])


def totals(r):
    return (str(r.total_cost.excl_vat), str(r.total_cost.incl_vat))


def component(type_, price, vat=None, step=1):
    c = {"type": type_, "price": Decimal(price), "step_size": step}
    if vat is not None:
        c["vat"] = Decimal(vat)
    return c


def test_min_price_clamps_up():
    t = tariff([{"price_components": [component("ENERGY", "0.25", "10")]}],
               min_price={"excl_vat": Decimal("0.50"), "incl_vat": Decimal("0.55")})
    r = price_cdr(energy_cdr("1.5"), t)
    assert totals(r) == ("0.50", "0.55")
    assert r.notes == ["timezone_inferred", "total_cost_clamped_to_min"]
    assert str(r.total_energy_cost.excl_vat) == "0.38"
    assert r.breakdown.clamp["bound"] == "min_price"


def test_start_fee_with_max_price():
    t = tariff([{"price_components": [component("FLAT", "0.50", "20"), component("ENERGY", "0.25", "10")]}],
               max_price={"excl_vat": Decimal("10.00"), "incl_vat": Decimal("11.00")})
    assert totals(price_cdr(energy_cdr("50"), t)) == ("10.00", "11.00")
    assert totals(price_cdr(energy_cdr("30"), t)) == ("8.00", "8.85")


@pytest.mark.parametrize("price, vat, step, want", [
    ("2", "10", 60, ("5.00", "5.50")),
    ("1.90", "5.2", 300, ("4.75", "5.00")),
])
def test_charging_time(price, vat, step, want):
    t = tariff([{"price_components": [component("TIME", price, vat, step)]}])
    assert totals(price_cdr(time_cdr("2.5"), t)) == want


def test_charging_and_parking_time():
    t = Tariff((VECTORS / "v221" / "real_world" / "simple_3hour_5parking" / "tariff.json").read_text())
    c = cdr("2026-03-10T10:00:00Z", "2026-03-10T13:12:00Z",
            [("2026-03-10T10:00:00Z", [("TIME", "2.5")]), ("2026-03-10T12:30:00Z", [("PARKING_TIME", "0.7")])])
    r = price_cdr(c, t)
    assert totals(r) == ("11.25", "12.75")
    parking = r.breakdown.lines[1]
    assert (parking.category, parking.billed_volume, parking.unit) == ("parking", d("0.75"), "h")  # 45 min
    assert len(r.breakdown.steps) == 1


def test_flat_plus_stepped_energy_rounds_to_cents():
    t = tariff([{"price_components": [component("FLAT", "0.50", "20"), component("ENERGY", "0.25", "10", 100)]}])
    # as JSON text this time (these decimals are exact as floats' shortest text)
    r = price_cdr(json.dumps(energy_cdr("20.45"), default=float), json.dumps(t, default=float))
    assert r.billed_energy == d("20.5")
    assert r.breakdown.exact_total.excl_vat == d("5.625")
    assert r.breakdown.exact_total.incl_vat == d("6.2375")
    assert totals(r) == ("5.63", "6.24")
    energy = r.total_energy_cost
    assert str(energy.excl_vat) == "5.13" and energy.vat == energy.incl_vat - energy.excl_vat
    assert totals(price_cdr(energy_cdr("20.45"), t, policy="ocpi_tariffs")) == ("5.6250", "6.2375")
    # the same as a dict policy naming the preset and overriding its rounding
    r = price_cdr(energy_cdr("20.45"), t, policy={"preset": "ocpi_tariffs", "rounding": "default"})
    assert totals(r) == ("5.63", "6.24")


def test_totals_breakdown_and_ocpi_output():
    t = tariff([{"price_components": [component("FLAT", "0.50", "20"), component("ENERGY", "0.25", "10", 100),
                                      component("TIME", "1.20", "10", 60)]}])
    c = cdr("2026-03-10T10:00:00Z", "2026-03-10T11:00:00Z",
            [("2026-03-10T10:00:00Z", [("ENERGY", "20.45"), ("TIME", "1")])])
    r = price_cdr(c, [t])
    assert r.currency == "EUR" and r.tariff_ids == ["T"]
    assert sorted(r.priced) == ["energy", "fixed", "time"]
    assert r.total_parking_cost.excl_vat == 0 and r.total_reservation_cost.excl_vat == 0
    parts = [r.total_energy_cost, r.total_time_cost, r.total_fixed_cost]
    assert sum(p.excl_vat for p in parts) == r.total_cost.excl_vat
    for line in r.breakdown.lines:
        assert line.tariff_id == "T" and line.element == 0 and line.reason
        assert line.vat == "rate" and line.vat_rate in (10, 20)
    flat = next(l for l in r.breakdown.lines if l.dimension == "FLAT")
    assert (flat.category, flat.unit, flat.cost.excl_vat) == ("fixed", "session", d("0.50"))
    assert r.breakdown.timezone == "Europe/Amsterdam"
    out = r.to_ocpi()
    assert out["total_cost"] == {"excl_vat": r.total_cost.excl_vat, "incl_vat": r.total_cost.incl_vat}
    assert out["total_energy_cost"]["excl_vat"] == r.total_energy_cost.excl_vat
    assert all(type(v) is Decimal for v in out["total_cost"].values())
    assert json.loads(r.to_json())["currency"] == "EUR"


def test_no_vat_known_for_211_tariffs():
    t = {"id": "OLD", "currency": "EUR", "last_updated": "2026-01-01T00:00:00Z",
         "elements": [{"price_components": [{"type": "ENERGY", "price": Decimal("0.30"), "step_size": 1}]}]}
    r = price_cdr(energy_cdr("10"), Tariff(t, version="2.1.1"))
    assert r.total_cost.excl_vat == d("3.00")
    assert r.total_cost.incl_vat is None and r.total_cost.vat is None
    assert r.breakdown.lines[0].vat == "unknown"
    # an absent VAT in 2.2.1 means no VAT applies: incl == excl, typed and in the CDR
    r = price_cdr(energy_cdr("10"), tariff([{"price_components": [component("ENERGY", "0.30")]}]))
    assert totals(r) == ("3.00", "3.00") and str(r.total_cost.vat) == "0.00"
    assert r.total_energy_cost.incl_vat == d("3.00") and r.breakdown.lines[0].vat == "not_applicable"
    assert r.to_ocpi()["total_cost"] == {"excl_vat": d("3.00"), "incl_vat": d("3.00")}
    # VAT 0 % is a rate: incl_vat is known
    r = price_cdr(energy_cdr("10"), tariff([{"price_components": [component("ENERGY", "0.30", vat=0)]}]))
    assert r.total_cost.incl_vat == d("3.00")


# ---- the VAT rule (issue 13, item 7): no VAT applies → incl == excl; unknown → None ----

def amounts(p):
    """(excl_vat, incl_vat, vat) as text, trailing zeros kept."""
    return (str(p.excl_vat), str(p.incl_vat), str(p.vat))


def assert_typed_is_written(r):
    """Every typed total the result priced equals the field to_ocpi() writes."""
    out = r.to_ocpi()
    for attr in ["total_cost"] + [f"total_{c}_cost" for c in r.priced]:
        got = getattr(r, attr)
        want = {"excl_vat": got.excl_vat}
        if got.incl_vat is not None:
            want["incl_vat"] = got.incl_vat
        assert out[attr] == want, attr


def energy_and_time_cdr(kwh, hours):
    return cdr("2026-03-10T10:00:00Z", "2026-03-10T12:00:00Z",
               [("2026-03-10T10:00:00Z", [("ENERGY", kwh), ("TIME", hours)])])


def test_vat_absent_everywhere():
    t = tariff([{"price_components": [component("ENERGY", "0.25"), component("TIME", "2.00"),
                                      component("FLAT", "1.00")]}])
    r = price_cdr(energy_and_time_cdr("12", "1.5"), t)
    # 12 kWh × 0.25 = 3.00; 1.5 h × 2.00 = 3.00; flat 1.00; 7.00 in all. No VAT: gross = net.
    assert amounts(r.total_cost) == ("7.00", "7.00", "0.00")
    assert amounts(r.total_energy_cost) == ("3.00", "3.00", "0.00")
    assert amounts(r.total_time_cost) == ("3.00", "3.00", "0.00")
    assert amounts(r.total_fixed_cost) == ("1.00", "1.00", "0.00")
    # parking was not priced: a zero with a (zero) gross amount
    assert "parking" not in r.priced and amounts(r.total_parking_cost) == ("0", "0", "0")
    assert {line.vat for line in r.breakdown.lines} == {"not_applicable"}
    assert_typed_is_written(r)
    inv = r.invoice("N-1")
    assert (inv.net, inv.vat_total, inv.gross) == (d("7.00"), d("0.00"), d("7.00"))
    assert [(v.rate, v.base) for v in inv.vat] == [(None, d("7.00"))]


def test_vat_absent_on_some_components_0_and_19_percent_on_others():
    t = tariff([{"price_components": [component("ENERGY", "0.30"), component("TIME", "1.20", vat=0),
                                      component("FLAT", "2.00", vat=19)]}])
    r = price_cdr(energy_and_time_cdr("10", "2"), t)
    # energy 10 × 0.30 = 3.00 without VAT → 3.00 gross
    assert amounts(r.total_energy_cost) == ("3.00", "3.00", "0.00")
    # time 2 × 1.20 = 2.40 at 0 % → 2.40 gross
    assert amounts(r.total_time_cost) == ("2.40", "2.40", "0.00")
    # flat 2.00 at 19 % → 2.00 + 0.38 = 2.38 gross
    assert amounts(r.total_fixed_cost) == ("2.00", "2.38", "0.38")
    # 3.00 + 2.40 + 2.00 = 7.40 net; 3.00 + 2.40 + 2.38 = 7.78 gross
    assert amounts(r.total_cost) == ("7.40", "7.78", "0.38")
    assert_typed_is_written(r)
    # no VAT and 0 % stay apart: on the lines and in the invoice's VAT summary
    assert {(l.dimension, l.vat, l.vat_rate) for l in r.breakdown.lines} == {
        ("ENERGY", "not_applicable", None), ("TIME", "rate", d("0")), ("FLAT", "rate", d("19"))}
    inv = r.invoice("M-1")
    assert [(v.rate, v.base, v.vat) for v in inv.vat] == [
        (None, d("3.00"), d("0.00")), (d("0"), d("2.40"), d("0.00")), (d("19"), d("2.00"), d("0.38"))]
    assert inv.gross == r.total_cost.incl_vat == d("7.78")


def test_free_of_charge_has_a_zero_gross_amount():
    t = tariff([{"price_components": [component("ENERGY", "0"), component("FLAT", "0")]}])
    r = price_cdr(energy_cdr("5"), t)
    # 5 × 0 + 0 = 0.00, no VAT: 0.00 gross, not None
    assert amounts(r.total_cost) == ("0.00", "0.00", "0.00")
    assert amounts(r.total_energy_cost) == ("0.00", "0.00", "0.00")
    assert amounts(r.total_fixed_cost) == ("0.00", "0.00", "0.00")
    assert_typed_is_written(r)


def test_three_minor_units_kwd():
    t = tariff([{"price_components": [component("ENERGY", "0.125")]}], currency="KWD")
    c = energy_cdr("7.3")
    c["currency"] = "KWD"
    r = price_cdr(c, t)
    # 7.3 kWh × 0.125 = 0.9125 → 0.913 (3 decimals, half away from zero); no VAT: gross the same
    assert r.breakdown.exact_total.incl_vat == d("0.9125")
    assert r.currency == "KWD"
    assert amounts(r.total_cost) == ("0.913", "0.913", "0.000")
    assert amounts(r.total_energy_cost) == ("0.913", "0.913", "0.000")
    assert_typed_is_written(r)


def test_ocpi_211_tariff_still_gives_none():
    t = {"id": "OLD", "currency": "EUR", "last_updated": "2026-01-01T00:00:00Z",
         "elements": [{"price_components": [{"type": "ENERGY", "price": Decimal("0.25"), "step_size": 1},
                                            {"type": "FLAT", "price": Decimal("0"), "step_size": 1}]}]}
    r = price_cdr(energy_and_time_cdr("20", "1"), Tariff(t, version="2.1.1"))
    # 20 × 0.25 = 5.00 net; the VAT of a 2.1.1 component is unknown, so no gross amount
    assert amounts(r.total_cost) == ("5.00", "None", "None")
    assert amounts(r.total_energy_cost) == ("5.00", "None", "None")
    # free but of unknown VAT, and the zero of an unpriced total: unknown too
    assert amounts(r.total_fixed_cost) == ("0.00", "None", "None")
    assert amounts(r.total_time_cost) == ("0", "None", "None")
    assert_typed_is_written(r)


def test_min_price_without_gross_keeps_incl_equal_to_excl():
    t = tariff([{"price_components": [component("ENERGY", "0.30")]}], min_price={"excl_vat": Decimal("5.00")})
    r = price_cdr(energy_cdr("10"), t)
    # 10 × 0.30 = 3.00 → raised to 5.00; no VAT applies, so 5.00 gross too
    assert "total_cost_clamped_to_min" in r.notes
    assert amounts(r.total_cost) == ("5.00", "5.00", "0.00")
    assert_typed_is_written(r)


# ---- Tariff: parsing, lint, explain ----

def test_tariff_object_and_warnings():
    # field case 5 of docs/tariffs.md §7: a misspelled restriction is reported, and the
    # element it leaves unrestricted shadows the next one
    t = Tariff(tariff([{"price_components": [component("ENERGY", "0.20")],
                        "restrictions": {"dayOfWeek": ["SATURDAY", "SUNDAY"]}},
                       {"price_components": [component("ENERGY", "0.40")]}]))
    assert (t.id, t.currency, t.version, t.country_code, t.party_id) == ("T", "EUR", "2.2.1", "DE", "CKT")
    assert t.warnings == [("$.elements[0].restrictions.dayOfWeek", "misspelled_field(day_of_week)")]
    assert "unreachable_element" in {f.rule for f in t.lint()}
    assert t.to_ocpi()["elements"][1]["price_components"][0]["price"] == d("0.40")
    assert Tariff(t.to_json()) == t
    assert t.is_valid_at(datetime(2026, 3, 10, tzinfo=UTC))
    with pytest.raises(TypeError, match="naive"):
        t.is_valid_at(datetime(2026, 3, 10))


def test_lint_names_its_rules():
    t = Tariff(tariff([
        {"price_components": [component("ENERGY", "0.3")], "restrictions": {"min_kwh": 5, "max_kwh": 2, "max_power": 0}},
        {"price_components": [component("TIME", "1", step=60)]},
        {"price_components": [component("TIME", "2", step=60)]},
        {"price_components": [component("ENERGY", "0.123456")],
         "restrictions": {"start_date": "2026-01-02", "end_date": "2026-01-01"}},
    ], min_price={"excl_vat": 10}, max_price={"excl_vat": 5}))
    findings = t.lint()
    rules = {f.rule for f in findings}
    assert {"lower_bound_at_or_above_upper", "max_zero_will_never_match", "min_price_is_greater_than_max",
            "unreachable_element", "excessive_precision", "missing_fallback"} <= rules
    for f in findings:
        assert f.severity in ("info", "warning", "error") and f.path.startswith("$") and f.message
    # a fallback element clears the missing_fallback finding
    ok = Tariff(tariff([{"price_components": [component("ENERGY", "0.30")]}]))
    assert ok.lint() == []
    # equal start/end times: nothing under the default reading, the whole day under ocpi_kit's
    same = Tariff(tariff([{"price_components": [component("ENERGY", "0.3")],
                           "restrictions": {"start_time": "10:00", "end_time": "10:00"}},
                          {"price_components": [component("ENERGY", "0.4")]}]))
    assert "contains_entire_day" in {f.rule for f in same.lint(policy="ocpi_kit")}


def test_explain_in_english_and_dutch():
    t = Tariff({"country_code": "NL", "party_id": "ABC", "id": "T1", "currency": "EUR",
                "elements": [{"price_components": [{"type": "ENERGY", "price": Decimal("0.25"), "vat": 21,
                                                    "step_size": 1}]}],
                "last_updated": "2026-01-01T00:00:00Z"})
    e = t.explain()
    assert e.text() == "€0.25 per kWh. Prices exclude 21% VAT." == str(e)
    assert e.language == "en" and e.sections[0]["lines"][0]["price"]
    nl = t.explain("nl")
    assert nl.language == "nl" and nl.text() != e.text()
    with pytest.raises(ValueError):
        t.explain("fr")


@pytest.mark.parametrize("tariff_id", ["AC-0001", "AC-0010", "DC-0001", "DC-0020"])
def test_explain_popular_tariffs_word_for_word(tariff_id):
    folder = VECTORS / "popular" / tariff_id
    t = Tariff((folder / "tariff.json").read_text())
    assert t.explain().to_markdown() == (folder / "explanation.en-US.md").read_text().strip()


# ---- invoices ----

def invoice_cdr(kwh, **extra):
    c = cdr("2026-03-10T08:00:00Z", "2026-03-10T09:00:00Z",
            [("2026-03-10T08:00:00Z", [("ENERGY", kwh), ("TIME", "1")])])
    c.update(extra)
    return c


@pytest.mark.parametrize("components, net", [
    ([component("FLAT", "0.50", "20"), component("ENERGY", "0.25", "10", 100), component("TIME", "1.333", step=60)],
     "6.96"),
    ([component("ENERGY", "0.2225", "21"), component("TIME", "0.1225", "21")], "0.35"),  # with a rounding line
])
def test_invoice_lines_sum_to_totals(components, net):
    r = price_cdr(invoice_cdr("20.45" if len(components) == 3 else "1"),
                  tariff([{"price_components": components}], id="<T&1>"))
    inv = r.invoice("INV-7")
    assert inv == ocpi.Invoice(r, "INV-7")
    assert (inv.number, inv.kind, inv.credits, inv.currency) == ("INV-7", "invoice", None, "EUR")
    assert sum(l.net for l in inv.lines) == inv.net == d(net)
    assert sum(v for _, _, v in inv.vat) == inv.vat_total
    assert sum(b for _, b, _ in inv.vat) == inv.net
    assert inv.net + inv.vat_total == inv.gross
    assert inv.net == r.total_cost.excl_vat and inv.gross == r.total_cost.incl_vat
    kinds = [l.kind for l in inv.lines]
    assert ("rounding" in kinds) == (net == "0.35")
    for line in inv.lines:
        if line.kind == "charge":
            assert line.category in ("energy", "time", "fixed") and line.description
    html = inv.to_html()
    assert "&lt;T&amp;1&gt;" in html and "<T&1>" not in html
    assert inv.to_text().startswith("Invoice INV-7")
    assert json.loads(inv.to_json())["number"] == "INV-7"


def test_min_price_is_an_invoice_line_and_credit_notes():
    t = tariff([{"price_components": [component("ENERGY", "0.2225", "21"), component("TIME", "0.1225", "21")]}],
               min_price={"excl_vat": 3, "incl_vat": Decimal("3.63")})
    inv = price_cdr(invoice_cdr("1"), t).invoice("INV-8")
    assert "price_limit" in [l.kind for l in inv.lines]
    assert sum(l.net for l in inv.lines) == inv.net == d("3.00")
    t = tariff([{"price_components": [component("ENERGY", "0.25", "10")]}])
    inv = price_cdr(invoice_cdr("20"), t).invoice("INV-10")
    credit = inv.credit_note("CN-1")
    assert (credit.kind, credit.credits, str(credit.gross)) == ("credit_note", "INV-10", "-5.50")
    assert credit.to_text().startswith("Credit note CN-1 (credits INV-10)")
    r = price_cdr(invoice_cdr("20", credit=True), t)
    assert r.credit and r.total_cost.excl_vat == d("-5.00")
    assert r.invoice("CN-2").kind == "credit_note"


# ---- sessions ----

def session():
    """1.6: 08:00Z-09:00Z (09:00-10:00 Amsterdam), 10 kWh, a register reading every 6 min."""
    frames = [*start16("s", 7, 0, "08:00:00")]
    for m in range(6, 61, 6):
        frames.append(meter16(f"m{m}", 7, f"08:{m:02d}:00" if m < 60 else "09:00:00", str(m * 1000 // 6)))
    frames.append(stop16("x", 7, 10000, "09:00:00"))
    return session_from_messages(frames, "1.6", station_id="CP-1")


def test_session_price_cuts_at_the_price_boundary():
    # 0.20 €/kWh before 09:30 local (08:30Z), 0.40 after: the engine cuts there exactly.
    t = tariff([{"price_components": [component("ENERGY", "0.20")], "restrictions": {"end_time": "09:30"}},
                {"price_components": [component("ENERGY", "0.40")]}], country_code="NL")
    s = session()
    assert s.energy_wh == 10000
    r = s.price(t, timezone="Europe/Amsterdam")
    assert str(r.total_cost.excl_vat) == "3.00"  # 5 kWh x 0.20 + 5 kWh x 0.40
    assert [l.unit_price for l in r.breakdown.lines] == [d("0.20"), d("0.40")]
    assert r.breakdown.lines[0].end == datetime(2026, 3, 10, 8, 30, tzinfo=UTC)
    assert r.to_ocpi()["total_energy"] == 10
    try:
        from zoneinfo import ZoneInfo
    except ImportError:  # Python 3.8
        return
    assert s.price([Tariff(t)], timezone=ZoneInfo("Europe/Amsterdam")) == r


def test_session_live_price():
    t = tariff([{"price_components": [component("ENERGY", "0.30"), component("TIME", "1.20", step=900)]}],
               min_price={"excl_vat": 2})
    live = session().price_live(t, timezone="Europe/Amsterdam", at=datetime(2026, 3, 10, 8, 20, tzinfo=UTC))
    assert str(live.so_far.excl_vat) == "1.40"  # 3.333 kWh x 0.30 + 20 min x 1.20 €/h
    assert str(live.if_stopped_now.total_cost.excl_vat) == "2.00"
    assert live.at == datetime(2026, 3, 10, 8, 20, tzinfo=UTC)


# ---- errors ----

def test_tariff_errors():
    with pytest.raises(chargekit.TariffJsonError):
        Tariff('{"id": "T",')
    with pytest.raises(chargekit.MissingTariffFieldError) as info:
        Tariff({"id": "T", "elements": [{"price_components": [component("ENERGY", "0.3")]}]})
    assert info.value.path == "$.currency"
    with pytest.raises(chargekit.NoTariffElementsError):
        Tariff(tariff([]))
    with pytest.raises(chargekit.InvalidCurrencyError) as info:
        Tariff(tariff([{"price_components": [component("ENERGY", "0.3")]}], currency="euro"))
    assert info.value.currency == "euro"
    with pytest.raises(chargekit.InvalidTimeOfDayError):
        Tariff(tariff([{"price_components": [component("ENERGY", "0.3")], "restrictions": {"start_time": "25:00"}}]))
    with pytest.raises(chargekit.TariffError):  # also when met while pricing
        price_cdr(energy_cdr("1"), '{"id": 1}')
    with pytest.raises(ValueError):
        Tariff(tariff([{"price_components": [component("ENERGY", "0.3")]}]), version="3.0")


def test_billing_errors():
    t = tariff([{"price_components": [component("ENERGY", "0.3")]}])
    with pytest.raises(chargekit.InvalidCdrError) as info:
        price_cdr('{"start_date_time": ', t)
    assert info.value.path
    with pytest.raises(chargekit.CurrencyMismatchError) as info:
        price_cdr(energy_cdr("1"), dict(t, currency="CHF"))
    assert (info.value.cdr_currency, info.value.tariff_currency, info.value.tariff_id) == ("EUR", "CHF", "T")
    with pytest.raises(chargekit.NoValidTariffError) as info:
        price_cdr(energy_cdr("1"), [])
    assert info.value.offered == 0
    with pytest.raises(chargekit.UnknownTimezoneError) as info:
        price_cdr(energy_cdr("1"), t, timezone="Mars/Olympus")
    assert info.value.timezone == "Mars/Olympus"
    with pytest.raises(chargekit.UnknownTimezoneError):
        session().price(t, timezone="Mars/Olympus")
    with pytest.raises(chargekit.InvalidPricingPolicyError):
        price_cdr(energy_cdr("1"), t, policy="cheapest")
    with pytest.raises(chargekit.InvalidPricingPolicyError):
        price_cdr(energy_cdr("1"), t, policy={"step_sise": "ignore"})
    with pytest.raises(TypeError, match="float"):
        price_cdr(energy_cdr("1"), t, policy={"rounding": {"decimals": 2.0}})
    with pytest.raises(TypeError):
        price_cdr(energy_cdr("1"), t, policy=3)
    with pytest.raises(TypeError):
        price_cdr(energy_cdr("1"), 42)
    for cls in (chargekit.InvalidCdrError, chargekit.NoPeriodsError):
        assert issubclass(cls, chargekit.BillingError) and issubclass(cls, chargekit.ChargekitError)


def test_negative_usage_is_refused_unless_the_policy_prices_it():
    # Regression (issue 18 item 8): 10 kWh copied as -10 kWh was priced to a negative total
    # without an error or a warning.
    t = tariff([{"price_components": [component("ENERGY", "0.30")]}])
    with pytest.raises(chargekit.InvalidCdrError) as info:
        price_cdr(energy_cdr("-10"), t)
    assert info.value.path == "$.charging_periods[0].dimensions[0].volume"
    assert "negative usage -10" in str(info.value)
    r = price_cdr(energy_cdr("-10"), t, policy={"allow_negative_usage": True, "allow_negative_total": True})
    assert r.total_cost.excl_vat == Decimal("-3.00")
    assert "negative_volume" in r.notes
    # The ocpi_tariffs preset prices it too, as that library does.
    assert "negative_volume" in price_cdr(energy_cdr("-10"), t, policy="ocpi_tariffs").notes
