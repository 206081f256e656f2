import json
from pathlib import Path
from typing import Any, Dict

import pytest

DATA = Path(__file__).resolve().parents[2] / "examples" / "data"


@pytest.fixture(scope="session")
def data_dir() -> Path:
    assert DATA.is_dir(), f"sample data not found at {DATA}"
    return DATA


@pytest.fixture(scope="session")
def expected(data_dir: Path) -> Dict[str, Any]:
    return json.loads((data_dir / "expected.json").read_text())
