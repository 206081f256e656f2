"""The chargekit exception hierarchy, built at import from the core's error table.

Every error chargekit raises for bad input is a ``ChargekitError``, which is a
``ValueError``. Each kind of error has its own class, named after the kind's stable
snake_case name (``invalid_payload`` → ``InvalidPayloadError``), under the class of its
group (``OcppError``, ``MeterError``, ``SessionError``, ``ProfileError``, ``TariffError``,
``BillingError``, ``AnalyticsError``, ``PlanningError``, ``FeedbackError``, ``OcmfError``).
``kind`` is the stable name (also a class attribute); the other attributes are the core
error's fields, with the same names as in Kotlin and Swift; ``str(error)`` is the core's
message. ``InternalError`` (directly under ``ChargekitError``) reports a bug in chargekit.

The table lives in the Rust core (``chargekit::error``); this module only turns its rows
into classes, so the three languages cannot drift apart. ``chargekit/_errors.pyi`` lists
them for type checkers: it is ``stub_text()``, written by ``scripts/gen-python-stubs.py``, and
a test keeps the two equal.
"""

from typing import Any, Dict, List, Tuple, Type

from . import _chargekit

__all__: List[str] = ["ChargekitError"]


class ChargekitError(ValueError):
    """Base class of every chargekit error."""

    kind: str = ""
    _fields: Tuple[str, ...] = ()

    def __init__(self, message: str = "", **fields: Any) -> None:
        super().__init__(message)
        unknown = sorted(set(fields) - set(self._fields))
        if unknown:
            raise TypeError(f"{type(self).__name__} has no field {unknown[0]!r}; fields: {list(self._fields)}")
        for name in self._fields:
            setattr(self, name, fields.get(name))

    def __reduce__(self) -> Tuple[Any, ...]:
        return (_rebuild, (type(self), str(self), {name: getattr(self, name) for name in self._fields}))


def _rebuild(cls: Type[ChargekitError], message: str, fields: Dict[str, Any]) -> ChargekitError:
    return cls(message, **fields)


def _doc(text: str) -> str:
    return "\n".join(line[1:] if line.startswith(" ") else line for line in text.splitlines()).strip()


#: The exception class of each kind, by its stable name (what the native module raises).
BY_KIND: Dict[str, Type[ChargekitError]] = {}


def _build() -> None:
    groups, kinds = _chargekit.error_table()
    group_class: Dict[str, Type[ChargekitError]] = {}
    for g in groups:
        name = g["python_class"]
        if name == ChargekitError.__name__:
            group_class[g["name"]] = ChargekitError
            continue
        cls = type(name, (ChargekitError,), {"__doc__": _doc(g["doc"]), "__module__": __name__})
        group_class[g["name"]] = cls
        globals()[name] = cls
        __all__.append(name)
    for k in kinds:
        fields = tuple(f["name"] for f in k["fields"])
        doc = _doc(k["doc"])
        if fields:
            doc += "\n\nAttributes:\n" + "\n".join(f"    {f['name']}: {_doc(f['doc'])}" for f in k["fields"])
        name = k["python_class"]
        cls = type(name, (group_class[k["group"]],), {
            "__doc__": doc,
            "__module__": __name__,
            "kind": k["name"],
            "_fields": fields,
        })
        globals()[name] = cls
        __all__.append(name)
        BY_KIND[k["name"]] = cls


_build()


def _invalid_argument(argument: str, reason: str) -> ChargekitError:
    """The core's ``invalid_argument`` error, for checks made in Python."""
    return BY_KIND["invalid_argument"](f"invalid {argument}: {reason}", argument=argument, reason=reason)

_PY_TYPES = {"text": "str", "integer": "int", "decimal": "Decimal", "instant": "datetime"}


def stub_text() -> str:
    """The type stub of this module, generated from the core's error table."""
    groups, kinds = _chargekit.error_table()
    out = [
        "# Generated from the core's error table by scripts/gen-python-stubs.py; do not edit.",
        "from datetime import datetime",
        "from decimal import Decimal",
        "from typing import Any, Dict, List, Optional, Tuple, Type",
        "",
        "__all__ = [",
        *(f'    "{n}",' for n in __all__),
        "]",
        "BY_KIND: Dict[str, Type[ChargekitError]]",
        "",
        "class ChargekitError(ValueError):",
        "    kind: str",
        "    _fields: Tuple[str, ...]",
        "    def __init__(self, message: str = ..., **fields: Any) -> None: ...",
        "",
        "def stub_text() -> str: ...",
    ]
    group_class = {}
    for g in groups:
        group_class[g["name"]] = g["python_class"]
        if g["python_class"] != "ChargekitError":
            out += ["", f"class {g['python_class']}(ChargekitError): ..."]
    for k in kinds:
        out += ["", f"class {k['python_class']}({group_class[k['group']]}):"]
        fields = [f"    {f['name']}: {_typed(f)}" for f in k["fields"]]
        out += fields or ["    ..."]
    return "\n".join(out) + "\n"


def _typed(field: Dict[str, Any]) -> str:
    ty = _PY_TYPES[field["ty"]]
    return f"Optional[{ty}]" if field["optional"] else ty
