import gc
import json
from pathlib import Path
from typing import Any, Callable, Dict, Iterator, List, Tuple

import pytest

DATA = Path(__file__).resolve().parents[2] / "examples" / "data"


@pytest.fixture(scope="session")
def data_dir() -> Path:
    assert DATA.is_dir(), f"sample data not found at {DATA}"
    return DATA


@pytest.fixture(scope="session")
def expected(data_dir: Path) -> Dict[str, Any]:
    return json.loads((data_dir / "expected.json").read_text())


@pytest.fixture
def gc_collections() -> Iterator[Callable[[bool, Callable[[], Any]], Tuple[int, Any]]]:
    """``count(enabled, call)``: runs ``call`` with the cyclic GC on or off and a collection
    due at every new container; returns (collections started during the call, its result).
    The GC's threshold and state are restored afterwards."""
    started: List[str] = []

    def callback(phase: str, info: Dict[str, Any]) -> None:
        if phase == "start":
            started.append(phase)

    threshold = gc.get_threshold()

    def count(enabled: bool, call: Callable[[], Any]) -> Tuple[int, Any]:
        (gc.enable if enabled else gc.disable)()
        gc.set_threshold(1)
        before = len(started)
        try:
            result = call()
            return len(started) - before, result
        finally:
            gc.set_threshold(*threshold)

    gc.callbacks.append(callback)
    try:
        yield count
    finally:
        gc.callbacks.remove(callback)
        gc.set_threshold(*threshold)
        gc.enable()
