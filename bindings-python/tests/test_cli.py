"""The ``chargekit`` command from the wheel: ``python -m chargekit`` and the console script
run the Rust ``cli`` crate's code, with its output and exit codes."""

import json
import subprocess
import sys
from pathlib import Path

import pytest


def run(*args: str, stdin: bytes = b"") -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "chargekit", *args], input=stdin, capture_output=True, timeout=120)


def test_sessions_json_from_python_m(data_dir: Path) -> None:
    p = run("sessions", str(data_dir / "site-day-ocpp16.jsonl"), "--station", "CP-ALPHA", "--format", "json")
    # The bundled 1.6 day has sessions with anomalies: exit code 1, output still complete.
    assert p.returncode == 1, p.stderr
    sessions = json.loads(p.stdout)
    assert len(sessions) == 7
    assert (sessions[0]["transaction_id"], sessions[0]["energy_wh"]) == ("48213", 19758)


def test_console_script_is_the_same_program(data_dir: Path) -> None:
    script = Path(sys.executable).parent / "chargekit"
    if not script.exists():
        pytest.skip("the console script is installed with the wheel, not in this environment")
    args = ["tariff", "explain", str(data_dir / "station-tariff-ocpp21.json")]
    p = subprocess.run([str(script), *args], capture_output=True, timeout=120)
    assert p.returncode == 0, p.stderr
    assert p.stdout == run(*args).stdout
    assert p.stdout.startswith("Energy: €0.30 per kWh.".encode())


def test_exit_codes_for_usage_and_unreadable_input() -> None:
    assert run("no-such-command").returncode == 2
    bad = run("sessions", "-", stdin=b'[2,"1","MeterValues",{"connectorId":"x","meterValue":[]}]')
    assert bad.returncode == 3
    assert b"field `connectorId`" in bad.stderr
    assert run("--version").stdout.startswith(b"chargekit ")
