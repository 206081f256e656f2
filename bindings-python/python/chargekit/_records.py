"""Read-only records over the plain data the native module returns (analytics, feedback).

A ``Record`` gives attribute access to a dict: nested dicts are records, lists of dicts are
lists of records, everything else (``Decimal``, ``int``, ``str``, ``datetime``, nested lists
such as heatmaps) is returned as it is. ``to_dict()`` gives the plain data back.
"""

import copy
from typing import Any, Dict, Iterator, List

__all__ = ["Record"]


def _wrap(value: Any) -> Any:
    if isinstance(value, dict):
        return Record(value)
    if isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
        return [Record(v) for v in value]
    return value


class Record:
    """Attribute access over plain data; equal to another record with the same data."""

    __slots__ = ("_data",)

    def __init__(self, data: Dict[str, Any]) -> None:
        object.__setattr__(self, "_data", data)

    def __getattr__(self, name: str) -> Any:
        try:
            return _wrap(self._data[name])
        except KeyError:
            raise AttributeError(f"{type(self).__name__} has no field {name!r}") from None

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError(f"{type(self).__name__} is read-only")

    def __getitem__(self, name: str) -> Any:
        return _wrap(self._data[name])

    def __contains__(self, name: object) -> bool:
        return name in self._data

    def __iter__(self) -> Iterator[str]:
        return iter(self._data)

    def keys(self) -> List[str]:
        return list(self._data)

    def __dir__(self) -> List[str]:
        return sorted(set(self._data) | set(dir(type(self))))

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Record) and self._data == other._data

    __hash__ = None  # type: ignore[assignment]

    def to_dict(self) -> Dict[str, Any]:
        """The plain data (a deep copy)."""
        return copy.deepcopy(self._data)

    def __repr__(self) -> str:
        fields = ", ".join(f"{k}={v!r}" for k, v in self._data.items() if not isinstance(v, (dict, list)))
        return f"{type(self).__name__}({fields})"
