#!/usr/bin/env bash
# Builds the chargekit wheel (abi3, release) and runs the Python tests against the
# INSTALLED wheel, never the source tree. Run from the repository root:
#   scripts/test-python.sh [extra pytest arguments]
# Environment: PYTHON (default python3) picks the interpreter for the venv.
set -euo pipefail

root="$(pwd)"
if [[ ! -f "$root/bindings-python/pyproject.toml" ]]; then
    echo "error: run from the repository root (bindings-python/pyproject.toml not found)" >&2
    exit 2
fi

venv="$root/target/pyenv"
wheels="$root/target/wheels"
python="${PYTHON:-python3}"

if [[ ! -x "$venv/bin/python" ]]; then
    echo "== creating venv $venv"
    "$python" -m venv "$venv"
fi
py="$venv/bin/python"

echo "== installing build and test tools"
# pandas lets tests/test_benchmarks_smoke.py check the pandas summary against chargekit
# (those tests skip cleanly without it); ocpp and websockets run the OCPP library's own charge
# point against examples/csms.py in tests/test_integration_ocpp.py; pdoc builds the API
# reference from the installed package's docstrings and stubs; playwright drives Debian's
# chromium (scripts/setup.sh) in tests/test_report_browser.py and scripts/report-screenshot.py
# (pinned: each release is tested against one Chromium; no browser download is needed);
# matplotlib is the optional extra behind SiteSummary.plot_heatmap (tests/test_report.py);
# cryptography (OpenSSL) is the peer of benches/python/bench_ocmf.py, smoke-run in the tests;
# ziglang links the wheel against glibc 2.17 (manylinux2014), auditwheel checks its tag;
# pyarrow, polars, DuckDB and arro3 are the Arrow producers tests/test_arrow.py reads from,
# Dask and PySpark the engines tests/test_engines.py starts on 127.0.0.1.
"$py" -m pip install --quiet "maturin>=1.9.4,<2" pytest pandas "ocpp>=2.1,<3" "websockets>=13,<17" "pdoc>=14,<16" \
    "playwright==1.65.2" "matplotlib>=3.5" "cryptography>=42" "ziglang>=0.13" "auditwheel>=6" \
    "pyarrow>=14" "polars>=1" "duckdb>=1" "arro3-core>=0.4" "dask[dataframe,distributed]>=2024.12" "pyspark>=4,<5"

echo "== building the wheel (manylinux2014: glibc 2.17, through zig)"
rm -f "$wheels"/chargekit-*.whl
start=$(date +%s)
# The wheel tested here is the release wheel: one that installs on cluster hosts with an
# old glibc (CentOS 7, Amazon Linux 2), not only on this machine's.
PATH="$venv/bin:$PATH" "$venv/bin/maturin" build --release --zig --compatibility manylinux2014 \
    -m bindings-python/Cargo.toml -o "$wheels" --interpreter "$py"
echo "== wheel built in $(( $(date +%s) - start )) s"

shopt -s nullglob
built=("$wheels"/chargekit-*-cp39-abi3-*.whl)
shopt -u nullglob
if [[ ${#built[@]} -ne 1 ]]; then
    echo "error: expected exactly one cp39-abi3 wheel in $wheels, found: ${built[*]:-none}" >&2
    ls -l "$wheels" >&2 || true
    exit 1
fi
echo "== checking the platform tag"
"$venv/bin/auditwheel" show "${built[0]}" | tee "$wheels/auditwheel.txt"
if ! grep -q "\"manylinux_2_17_$(uname -m)\"" "$wheels/auditwheel.txt"; then
    echo "error: the wheel is not manylinux_2_17 (manylinux2014)" >&2
    exit 1
fi
echo "== installing ${built[0]##*/}"
"$py" -m pip install --quiet --force-reinstall --no-deps "${built[0]}"

# Run from inside the venv directory, where bindings-python/python is not on sys.path:
# the tests import the installed package (a test asserts where it was loaded from).
echo "== running pytest"
cd "$venv"
export PYTHONDONTWRITEBYTECODE=1
"$py" -m pytest -p no:cacheprovider \
    --rootdir "$root/bindings-python" -c "$root/bindings-python/pyproject.toml" \
    "$root/bindings-python/tests" "$@"

# The Python API reference (offline: pdoc reads the installed package), beside `cargo doc`.
if [[ $# -eq 0 ]]; then
    echo "== building the Python API reference (target/python-api)"
    rm -rf "$root/target/python-api"
    "$py" -m pdoc chargekit chargekit.ocpp chargekit.ocpi chargekit.ocmf chargekit.analytics \
        chargekit.feedback chargekit.planning chargekit.integrations.ocpp -o "$root/target/python-api" \
        2> "$root/target/python-api-warnings.log"
    test -s "$root/target/python-api/chargekit/ocpp.html"
fi
