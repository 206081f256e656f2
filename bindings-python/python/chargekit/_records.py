"""Read-only records: the Python side of the native module's one conversion table.

The native module converts every plain core value through serde (``Decimal`` for exact
numbers, aware ``datetime`` for instants, wire names as ``str``); a core struct becomes an
instance of the class registered here under the struct's Rust name (``RECORDS``, filled by
``@record``), else a ``dict``. A ``Record`` gives attribute access to its data: nested
dicts are records, lists of dicts are lists of records, everything else (``Decimal``,
``int``, ``str``, ``datetime``, nested lists such as heatmaps) is returned as it is.
``to_dict()`` gives the plain data back.
"""

import copy
from typing import Any, Callable, Dict, Iterator, List, Optional, Tuple, Type, TypeVar

__all__ = ["Record", "RECORDS", "record"]

#: The record class of each core struct, by the struct's Rust name.
RECORDS: Dict[str, type] = {}

_R = TypeVar("_R", bound=type)


def record(rust_name: Optional[str] = None, module: str = "chargekit") -> Callable[[_R], _R]:
    """Registers a ``Record`` subclass as the Python form of a core struct (by default the
    struct of the same name) and sets the module it is shown in."""

    def register(cls: _R) -> _R:
        RECORDS[rust_name or cls.__name__] = cls
        cls.__module__ = module
        return cls

    return register


def _wrap(value: Any) -> Any:
    if isinstance(value, dict):
        return Record(value)
    if isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
        return [Record(v) for v in value]
    return value


def _plain(value: Any) -> Any:
    if isinstance(value, Record):
        return _plain(value._data)
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, tuple):
        return tuple(_plain(v) for v in value)
    return copy.deepcopy(value)


class Record:
    """Attribute access over plain data; equal to another record with the same data."""

    __slots__ = ("_data",)

    def __init__(self, data: Dict[str, Any]) -> None:
        object.__setattr__(self, "_data", data)

    @classmethod
    def _from_data(cls, data: Dict[str, Any]) -> "Record":
        obj = cls.__new__(cls)
        object.__setattr__(obj, "_data", data)
        return obj

    def __reduce__(self) -> Tuple[Any, ...]:
        return (type(self)._from_data, (self._data,))

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
        return isinstance(other, Record) and type(other) is type(self) and self._data == other._data

    __hash__ = None  # type: ignore[assignment]

    def to_dict(self) -> Dict[str, Any]:
        """The plain data (a deep copy; nested records become dicts)."""
        return _plain(self._data)

    def __repr__(self) -> str:
        fields = ", ".join(f"{k}={v!r}" for k, v in self._data.items() if not isinstance(v, (dict, list)))
        return f"{type(self).__name__}({fields})"
