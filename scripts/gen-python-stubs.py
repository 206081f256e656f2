#!/usr/bin/env python3
"""Writes the generated Python type stubs from the installed wheel.

Today one stub is generated: ``chargekit/_errors.pyi``, from the core's error table
(``chargekit._errors.stub_text()``). Run after ``scripts/test-python.sh`` has installed the
wheel: ``target/pyenv/bin/python scripts/gen-python-stubs.py``. The test
``test_stubs.py::test_error_stub_is_generated_from_the_table`` fails when it is stale.
"""

from pathlib import Path

from chargekit import _errors

OUT = Path(__file__).resolve().parents[1] / "bindings-python" / "python" / "chargekit" / "_errors.pyi"

if __name__ == "__main__":
    OUT.write_text(_errors.stub_text(), encoding="utf-8")
    print(f"wrote {OUT}")
