"""Smoke runs of the Python benchmarks in benches/python/ with tiny sizes: they must run,
and the plain-Python / pandas results must agree with chargekit. Nothing about speed."""

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

BENCHES = Path(__file__).resolve().parents[2] / "benches" / "python"


def load_script(name: str) -> ModuleType:
    """Imports benches/python/<name>.py as a module (it is not a package)."""
    spec = importlib.util.spec_from_file_location(name, BENCHES / f"{name}.py")
    assert spec is not None and spec.loader is not None, f"{name}.py not found in {BENCHES}"
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # dataclasses look their module up by name
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def bench_pricing() -> ModuleType:
    return load_script("bench_pricing")


def test_pricing_plain_python_agrees_with_chargekit(bench_pricing):
    totals = bench_pricing.check_agreement()
    assert set(totals) == {"2_periods", "11_periods"}
    for case in totals.values():
        assert case["total_cost"].excl_vat > 0
        assert case["total_cost"].incl_vat > case["total_cost"].excl_vat


def test_pricing_benchmark_smoke(bench_pricing, capsys):
    rows = bench_pricing.run(number=3, repeat=2)
    assert {(r["case"], r["form"]) for r in rows} == {
        (c, f) for c in ("2_periods", "11_periods") for f in ("json", "dict", "tariff")
    }
    assert "CDRs/s" in capsys.readouterr().out


def test_pricing_reference_refuses_what_it_does_not_implement(bench_pricing):
    cdr, tariff = bench_pricing.inputs("dict", "2_periods")
    tariff["elements"][0]["restrictions"]["min_kwh"] = 5
    with pytest.raises(NotImplementedError):
        bench_pricing.price_cdr_plain(cdr, tariff)


def test_pricing_main_quick(bench_pricing, capsys):
    bench_pricing.main(["--quick"])
    assert "ratio" in capsys.readouterr().out


@pytest.fixture(scope="module")
def bench_analytics() -> ModuleType:
    return load_script("bench_analytics")


def test_analytics_benchmark_chargekit_only(bench_analytics, capsys):
    out = bench_analytics.run(n=500, repeat=1, pandas=False)
    assert out["sessions"] > 0
    assert "sessions/s" in capsys.readouterr().out


def test_analytics_pandas_agrees_with_chargekit(bench_analytics, capsys):
    pytest.importorskip("pandas")
    out = bench_analytics.run(n=2_000, repeat=1)
    assert out["compared"] > 500  # the values of every metric listed in the module text
    assert "values agree" in capsys.readouterr().out


def test_analytics_pandas_detects_a_disagreement(bench_analytics):
    pytest.importorskip("pandas")
    from chargekit.analytics import summarize

    sessions, options = bench_analytics.generate(bench_analytics.config(1_000))
    pdx = bench_analytics.summarize_pandas(bench_analytics.to_frame(sessions), options)
    ck = summarize(sessions[1:], options=options)._data  # one session fewer
    with pytest.raises(bench_analytics.Mismatch):
        bench_analytics.compare(ck, pdx)


def test_analytics_main_quick(bench_analytics, capsys):
    pytest.importorskip("pandas")
    bench_analytics.main(["--quick"])
    assert "ratio pandas / chargekit" in capsys.readouterr().out


def test_live_benchmark_smoke(capsys):
    bench_live = load_script("bench_live")
    out = bench_live.run(frames=[5, 20], stations=3)
    assert [r["frames"] for r in out["live"]] == [7, 22]
    assert out["fleet"]["frames"] == 3 * 62
    # started per station, then one updated per station and minute
    assert out["fleet"]["events"] == 3 + 3 * 60
    assert "frames/s" in capsys.readouterr().out


@pytest.fixture(scope="module")
def bench_ocmf() -> ModuleType:
    return load_script("bench_ocmf")


def test_ocmf_peer_agrees_with_chargekit_on_every_curve(bench_ocmf):
    checked = bench_ocmf.check_agreement()
    assert len(checked) == 7
    # `cryptography` checks every curve but secp192k1, which it does not offer.
    assert [c for c, peer in checked.items() if not peer] == ["secp192k1"]


def test_ocmf_benchmark_smoke(bench_ocmf, capsys):
    rows = bench_ocmf.run(number=2, repeat=1, batch=4)
    assert {r["form"] for r in rows} == {"verify", "many", "threads"}
    assert "chargekit/s" in capsys.readouterr().out


def test_engines_benchmark_smoke():
    """Frames → sessions both ways and Dask fleet summaries with 1 and 2 workers agree
    (the script asserts it) on tiny inputs."""
    bench = load_script("bench_engines")
    out = bench.run([1_000, 2_000], 4, 1, ["dask"], verbose=False)
    assert out["frames"]["sessions"] > 20
    assert [(e["engine"], e["workers"]) for e in out["engines"]] == [("dask", 1), ("dask", 2)]
    assert all(len(e["jobs"]) == 2 and e["startup_s"] > 0 for e in out["engines"])
