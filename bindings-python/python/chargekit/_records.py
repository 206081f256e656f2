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

from ._chargekit import LIMITS

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


#: Core structs that stay plain dicts, with everything below them: OCPP and OCPI documents
#: (a charging profile is handed back to ``install`` as it came).
PLAIN = frozenset({"ChargingProfile", "ChargingProfile16"})


def _records_of(value: Any, depth: int = 0) -> Any:
    """Plain data → records: dicts become ``Record``s (for records built from Python data),
    nested at most as deep as JSON may be (``TooLargeError`` beyond, not ``RecursionError``)."""
    if depth > _MAX_DEPTH:
        raise _too_deep(depth)
    if isinstance(value, dict):
        return Record._of(value, depth)
    if isinstance(value, list):
        return [_records_of(v, depth + 1) for v in value]
    return value


#: Records nest as deep as JSON may: the core's ``MAX_JSON_DEPTH``, not a copy of it.
_MAX_DEPTH = int(LIMITS["MAX_JSON_DEPTH"])


def _too_deep(depth: int) -> Exception:
    from ._errors import BY_KIND

    what = "nesting of lists and dicts"
    return BY_KIND["too_large"](f"{what}: {depth} exceeds the limit of {_MAX_DEPTH} (MAX_JSON_DEPTH)",
                                what=what, size=depth, limit=_MAX_DEPTH, name="MAX_JSON_DEPTH")


def _plain(value: Any) -> Any:
    if isinstance(value, Record):
        return _plain(value.__dict__)
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, tuple):
        return tuple(_plain(v) for v in value)
    return copy.deepcopy(value)


class Record:
    """A read-only record: its fields are attributes (kept in the instance ``__dict__``) and
    items; equal to another record of the same class with the same data."""

    def __init__(self, data: Dict[str, Any]) -> None:
        if not isinstance(data, dict):
            raise TypeError(f"a record is built from a dict, not {type(data).__name__}")
        object.__setattr__(self, "__dict__", {k: _records_of(v, 1) for k, v in data.items()})

    @classmethod
    def _of(cls, data: Dict[str, Any], depth: int) -> "Record":
        obj = object.__new__(Record)
        object.__setattr__(obj, "__dict__", {k: _records_of(v, depth + 1) for k, v in data.items()})
        return obj

    @classmethod
    def _from_data(cls, data: Dict[str, Any]) -> "Record":
        obj = object.__new__(cls)
        object.__setattr__(obj, "__dict__", data)
        return obj

    @property
    def _data(self) -> Dict[str, Any]:
        return self.__dict__

    def __reduce__(self) -> Tuple[Any, ...]:
        return (type(self)._from_data, (self.__dict__,))

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError(f"{type(self).__name__} is read-only")

    def __delattr__(self, name: str) -> None:
        raise AttributeError(f"{type(self).__name__} is read-only")

    def __getitem__(self, name: str) -> Any:
        return self.__dict__[name]

    def get(self, name: str, default: Any = None) -> Any:
        """The field ``name``, or ``default`` when the record has none."""
        return self.__dict__.get(name, default)

    def __contains__(self, name: object) -> bool:
        return name in self.__dict__

    def __iter__(self) -> Iterator[str]:
        return iter(self.__dict__)

    def keys(self) -> List[str]:
        return list(self.__dict__)

    def values(self) -> List[Any]:
        return list(self.__dict__.values())

    def items(self) -> List[Tuple[str, Any]]:
        return list(self.__dict__.items())

    def __eq__(self, other: object) -> bool:
        return type(other) is type(self) and self.__dict__ == other.__dict__  # type: ignore[union-attr]

    __hash__ = None  # type: ignore[assignment]

    def to_dict(self) -> Dict[str, Any]:
        """The plain data (a deep copy; nested records become dicts)."""
        return _plain(self.__dict__)

    def __repr__(self) -> str:
        fields = ", ".join(
            f"{k}={v!r}" for k, v in self.__dict__.items() if not isinstance(v, (dict, list, Record))
        )
        return f"{type(self).__name__}({fields})"
