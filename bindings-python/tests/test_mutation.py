"""Mutation suite: every public entry point of the installed package, called with mutated
inputs, ends in a result or a ``ChargekitError`` (a ``TypeError`` too where the mutation
changed a value's Python type); never another exception, an ``InternalError`` (a panic in
core), a crash or a hang.

Seeded and bounded: each entry point starts from valid inputs (the bundled sample data and
the shapes of ``api_tour.py``) and gets the mutations of ``KINDS`` (truncation, odd unicode
and lone surrogates, non-UTF-8 bytes, huge ints and decimals, extreme datetimes, 10,000-deep
nesting, a 10 MB string, dropped and duplicated keys, JSON mutated inside the text, values of
the wrong type, ...) for its share of ``MUTATION_BUDGET_S``. Mutation ``i`` of an entry point
depends only on ``SEED``, the entry point and ``i``: every failure names them, and

    python bindings-python/tests/test_mutation.py --repro ENTRY INDEX

rebuilds that input and calls it in-process with the traceback. The calls run in worker
processes (one per group, memory limited), so that a crash or a hang is reported with the
call that caused it instead of taking pytest down.
"""

import asyncio
import faulthandler
import importlib
import importlib.metadata
import inspect
import json
import os
import pkgutil
import random
import re
import reprlib
import signal
import subprocess
import sys
import tempfile
import time
import types
from datetime import datetime, timedelta, timezone
from decimal import Decimal
from functools import cache
from itertools import cycle
from pathlib import Path
from typing import Any, Callable, Dict, List, NamedTuple, Optional, Tuple

import pytest

import chargekit
from chargekit import MeterPolicy, analytics, feedback, ocmf, ocpi, planning
from chargekit._records import Record
from chargekit.integrations.ocpp import FleetConnection, frame_text
from chargekit.ocpp import (
    Fleet,
    SessionAssembler,
    SmartChargingStation,
    StationTariff,
    check_cost_details,
    session_from_messages,
    sessions_from_messages,
)
from ocpp_builders import event201, lines, meter16, start16, stop16

SEED = 20260310
MUTATION_BUDGET_S = 40.0  # all groups together; the rest of the minute is start-up and slack
HANG_S = 5.0  # a single call (with the reading of its result) taking longer is a hang
MEMORY_LIMIT = 2 << 30  # address space of a worker: runaway allocation ends in a crash, reported
UTC = timezone.utc
T0 = datetime(2026, 3, 10, 8, 0, tzinfo=UTC)
DATA = Path(__file__).resolve().parents[2] / "examples" / "data"
GROUPS = ["core", "ocpp", "session", "ocpi", "ocmf", "analytics", "feedback", "planning", "integrations", "cli"]


# ---------------------------------------------------------------- the rule


def verdict(exc: BaseException, type_changed: bool) -> Optional[str]:
    """Why ``exc`` fails the suite, or None when it is an allowed outcome."""
    if isinstance(exc, chargekit.ChargekitError):
        if isinstance(exc, chargekit.InternalError) or exc.kind == "internal":
            return "InternalError: a panic in core"
        return None
    if type_changed and isinstance(exc, TypeError):
        return None
    return f"{type(exc).__name__} is not a ChargekitError" + (" nor a TypeError" if type_changed else "")


# ---------------------------------------------------------------- mutations


class Fixed:
    """A seed argument that is never mutated (the object a method is called on)."""

    def __init__(self, value: Any) -> None:
        self.value = value


class Raw(str):
    """JSON text put verbatim into a mutated document."""


class DupKeys:
    """A JSON object written with a key twice."""

    def __init__(self, pairs: List[Tuple[str, Any]]) -> None:
        self.pairs = pairs


ODD_CHARS = ["\ud800", "\udfff", "\x00", "\u202e", "\u200f", "\ufeff", "\U0001f50c", "\uffff", "\U0010ffff",
             "e\u0301", "\n", '"', "\\", "\x7f", "\u0661\u0662"]
ODD_BYTES = [b"\xff", b"\xfe\xff", b"\xc0\xaf", b"\xed\xa0\x80", b"\x80", b"\x00", b"\xef\xbb\xbf", b"\xf4\x90\x80\x80"]
HUGE_INTS = [2**63, 2**63 - 1, -(2**63) - 1, 2**64, -(2**64), 2**200, -(2**200), -1, 0, 2**31, 2**32]
ODD_DECIMALS = [Decimal(x) for x in (
    "1E+999999", "1E-999999", "NaN", "-NaN", "sNaN", "Infinity", "-Infinity", "-0", "0", "-1", "-0.001",
    "79228162514264337593543950336", "-79228162514264337593543950335", "1E+28", "1E-28",
    "0.00000000000000000000000000001", "123456789.123456789123456789123")]
ODD_FLOATS = [float("nan"), float("inf"), float("-inf"), 1e308, -0.0, 5e-324]
ODD_NUMERIC_STRINGS = ["NaN", "-0", "1e400", "1E-999999", "0x10", "\u0661\u0662\u0663", "+1", " 1", "1_000", "9" * 400, "-"]
ODD_TIMESTAMPS = ["0000-01-01T00:00:00Z", "9999-12-31T23:59:59.999999999Z", "2026-03-10T08:00:00", "2026-02-30T00:00:00Z",
                  "2026-03-10T08:00:00+24:00", "+275760-09-13T00:00:00Z", "-0001-01-01T00:00:00Z",
                  "1970-01-01T00:00:00Z", "2026-03-10 08:00", "2026-03-29T02:30:00+01:00"]
ODD_JSON_NUMBERS = ["1e999999", "-1e999999", "123456789012345678901234567890123456789", "-0", "1E-400",
                    "18446744073709551616", "-9223372036854775809", "0.1e-99999"]
TIMESTAMP = re.compile(r"^\d{4}-\d\d-\d\dT")
DEPTH = 10_000
HUGE = 10_000_000


def extreme_datetimes() -> List[datetime]:
    from zoneinfo import ZoneInfo

    berlin = ZoneInfo("Europe/Berlin")
    return [datetime.min.replace(tzinfo=UTC), datetime.max.replace(tzinfo=UTC),
            datetime.min.replace(tzinfo=timezone(timedelta(hours=1))),
            datetime.max.replace(tzinfo=timezone(-timedelta(hours=23, minutes=59))),
            datetime(1970, 1, 1, tzinfo=UTC), datetime(2026, 3, 29, 2, 30, tzinfo=berlin),  # in the DST gap
            datetime(2026, 10, 25, 2, 30, fold=1, tzinfo=berlin),
            datetime(2026, 3, 10, 8, 0, 0, 999999, tzinfo=timezone(timedelta(hours=14)))]


def is_text(v): return isinstance(v, (str, bytes)) and not isinstance(v, Raw)
def is_int(v): return type(v) is int
def is_number(v): return type(v) in (int, Decimal)
def is_seq(v): return isinstance(v, (list, tuple))
def is_scalar(v): return not isinstance(v, (list, tuple, dict, DupKeys)) and v is not None


def _at(rng, v):
    return rng.randrange(len(v) + 1)


def _insert(v, pos, piece):
    return v[:pos] + piece + v[pos:]


def _deep(rng, v, in_text):
    """10,000 levels: in JSON text in place of the value; in a dict under a new key (a dict
    still); in a list as a new item (whose type differs from that of the others)."""
    if in_text:
        return Raw("[" * DEPTH + "]" * DEPTH if rng.random() < 0.5 else '{"a":' * DEPTH + "1" + "}" * DEPTH), "10,000 deep"
    inner: Any = [] if isinstance(v, (list, tuple)) else {}
    for _ in range(DEPTH):
        inner = [inner] if isinstance(v, (list, tuple)) else {"k": inner}
    if isinstance(v, dict):
        return {**v, "deep": inner}, "a 10,000-deep dict under a new key", False
    return type(v)([*v, inner]), "a 10,000-deep list as a new item", True


def _mixed(v):
    """Items of more than one type: moving them changes the type found at a position
    (``(datetime, tariff)`` shuffled), which counts as a change of type."""
    return len({type(x) for x in v}) > 1


def _drop(rng, v):
    if isinstance(v, dict):
        key = rng.choice(list(v))
        return {k: x for k, x in v.items() if k != key}, f"dropped key {key!r}"
    i = rng.randrange(len(v))
    # A tuple is a fixed shape (``Tuple[str, str]``): one item fewer is another type.
    changed = isinstance(v, tuple) or _mixed(v[i:])
    return type(v)(x for n, x in enumerate(v) if n != i), f"dropped item {i}", changed


def _dup_item(rng, v):
    i, at = rng.randrange(len(v)), rng.randrange(len(v) + 1)
    items = list(v)
    items.insert(at, items[i])
    return type(v)(items), f"item {i} twice", isinstance(v, tuple) or _mixed(items[at:])


def _shuffle(rng, v):
    items = list(v)
    rng.shuffle(items)
    return type(v)(items), "shuffled", any(type(a) is not type(b) for a, b in zip(v, items))


def _dup_key(rng, v):
    key = rng.choice(list(v))
    return DupKeys([*v.items(), (key, rng.choice([None, 0, "x", [], {}]))]), f"key {key!r} twice"


def _to_str(v):
    if isinstance(v, bytes):
        return v.decode("latin-1")
    return str(v)


class Kind(NamedTuple):
    name: str
    applies: Callable[[Any], bool]
    # (rng, value, in JSON text) -> (new value, detail[, whether it changed a Python type])
    mutate: Callable[[random.Random, Any, bool], Tuple[Any, ...]]
    changes_type: bool = False  # of a Python value (inside JSON text nothing changes a Python type)
    scope: str = "both"  # "python": Python values only, "json": inside JSON text only


KINDS = [
    Kind("truncate", lambda v: is_text(v) and len(v) > 0,
         lambda r, v, t: (lambda k: (v[:k], f"cut at {k} of {len(v)}"))(r.randrange(len(v)))),
    Kind("flip", lambda v: is_text(v) and len(v) > 0,
         lambda r, v, t: (lambda k, c: (v[:k] + c + v[k + 1:], f"char {k} -> {c!r}"))(
             r.randrange(len(v)), bytes([r.randrange(256)]) if isinstance(v, bytes) else chr(r.randrange(0x20, 0x2FF)))),
    Kind("odd_unicode", lambda v: isinstance(v, str),
         lambda r, v, t: (lambda k, c: (_insert(v, k, c), f"{c!r} at {k}"))(_at(r, v), r.choice(ODD_CHARS))),
    Kind("non_utf8", lambda v: isinstance(v, bytes),
         lambda r, v, t: (lambda k, c: (_insert(v, k, c), f"{c!r} at {k}"))(_at(r, v), r.choice(ODD_BYTES))),
    Kind("cut_range", lambda v: is_text(v) and len(v) > 1,
         lambda r, v, t: (lambda a, n: (v[:a] + v[a + n:], f"removed {n} at {a}"))(r.randrange(len(v)), r.randint(1, 32))),
    Kind("repeat_range", lambda v: is_text(v) and len(v) > 1,
         lambda r, v, t: (lambda a, n, m: (v[:a] + v[a:a + n] * m + v[a:], f"{n} chars at {a} x{m}"))(
             r.randrange(len(v)), r.randint(1, 40), r.randint(2, 100))),
    Kind("empty", lambda v: isinstance(v, (str, bytes, list, tuple, dict)) and not isinstance(v, Raw),
         lambda r, v, t: (type(v)(), "emptied")),
    Kind("huge_text", is_text,
         lambda r, v, t: (lambda k, c: (_insert(v, k, c * HUGE), f"10 MB of {c!r} at {k}"))(
             _at(r, v), b"a" if isinstance(v, bytes) else r.choice(["a", " ", "\u00e9", "0"]))),
    Kind("numeric_string", lambda v: isinstance(v, str), lambda r, v, t: (r.choice(ODD_NUMERIC_STRINGS), "odd number text")),
    Kind("odd_timestamp", lambda v: isinstance(v, str) and bool(TIMESTAMP.match(v)),
         lambda r, v, t: (r.choice(ODD_TIMESTAMPS), "odd timestamp")),
    Kind("huge_int", is_int, lambda r, v, t: (r.choice(HUGE_INTS), "huge int")),
    Kind("flip_bool", lambda v: type(v) is bool, lambda r, v, t: (not v, "flipped")),
    Kind("odd_decimal", lambda v: type(v) is Decimal, lambda r, v, t: (r.choice(ODD_DECIMALS), "odd Decimal")),
    Kind("odd_float", lambda v: type(v) is float, lambda r, v, t: (r.choice(ODD_FLOATS), "odd float")),
    Kind("extreme_datetime", lambda v: isinstance(v, datetime),
         lambda r, v, t: (r.choice(extreme_datetimes()), "extreme datetime"), scope="python"),
    # Documented: a naive datetime argument raises TypeError (README "Types").
    Kind("naive_datetime", lambda v: isinstance(v, datetime) and v.tzinfo is not None,
         lambda r, v, t: (v.replace(tzinfo=None), "naive"), changes_type=True, scope="python"),
    Kind("drop", lambda v: isinstance(v, (dict, list, tuple)) and len(v) > 0, lambda r, v, t: _drop(r, v)),
    Kind("unknown_key", lambda v: isinstance(v, dict),
         lambda r, v, t: ({**v, r.choice(["zz", "", "\u202e", "\ud800", "\x00"]): r.choice([1, "x", None])}, "unknown key")),
    Kind("dup_item", lambda v: is_seq(v) and len(v) > 0, lambda r, v, t: _dup_item(r, v)),
    Kind("shuffle", lambda v: is_seq(v) and len(v) > 1, lambda r, v, t: _shuffle(r, v)),
    Kind("deep", lambda v: isinstance(v, (list, tuple, dict)), _deep),
    Kind("dup_key", lambda v: isinstance(v, dict) and len(v) > 0, lambda r, v, t: _dup_key(r, v), scope="json"),
    Kind("raw_number", lambda v: is_scalar(v), lambda r, v, t: (Raw(r.choice(ODD_JSON_NUMBERS)), "odd JSON number"),
         scope="json"),
    # Type-changing mutations: a TypeError is allowed too (for Python values).
    Kind("to_none", lambda v: v is not None, lambda r, v, t: (None, "None"), changes_type=True),
    Kind("to_float", is_number, lambda r, v, t: (float("nan") if isinstance(v, Decimal) and v.is_nan() else float(v), "float"), changes_type=True),
    Kind("to_str", lambda v: is_scalar(v) and not isinstance(v, str), lambda r, v, t: (_to_str(v), "str"), changes_type=True),
    Kind("to_int", lambda v: not is_int(v), lambda r, v, t: (42, "int"), changes_type=True),
    Kind("to_list", lambda v: not isinstance(v, list),
         lambda r, v, t: (list(v.items()) if isinstance(v, dict) else list(v) if is_seq(v) else [v], "list"), changes_type=True),
    Kind("to_dict", lambda v: not isinstance(v, dict),
         lambda r, v, t: ({str(i): x for i, x in enumerate(v)} if is_seq(v) else {"value": v}, "dict"), changes_type=True),
    Kind("to_bytes", lambda v: isinstance(v, str), lambda r, v, t: (v.encode("utf-8", "surrogatepass"), "bytes"),
         changes_type=True, scope="python"),
    Kind("to_decimal", lambda v: type(v) in (int, float), lambda r, v, t: (Decimal(v), "Decimal"), changes_type=True,
         scope="python"),
]


# The first inputs of every entry point: each kind on Python values and inside JSON text.
SYSTEMATIC = [(k, scope) for k in KINDS for scope in ("python", "json") if k.scope in (scope, "both")]


def walk(value: Any, path: Tuple = (), depth: int = 0):
    """(path, value) of a value and everything inside it (not below 60 levels)."""
    yield path, value
    if depth > 60:
        return
    if isinstance(value, (list, tuple)):
        for i, v in enumerate(value):
            yield from walk(v, path + (i,), depth + 1)
    elif isinstance(value, dict):
        for k, v in value.items():
            yield from walk(v, path + (k,), depth + 1)


def replace(obj: Any, path: Tuple, new: Any) -> Any:
    if not path:
        return new
    if isinstance(obj, tuple):
        items = list(obj)
        items[path[0]] = replace(items[path[0]], path[1:], new)
        return tuple(items)
    obj[path[0]] = replace(obj[path[0]], path[1:], new)
    return obj


def copy_data(v: Any) -> Any:
    if isinstance(v, list):
        return [copy_data(x) for x in v]
    if isinstance(v, tuple):
        return tuple(copy_data(x) for x in v)
    if isinstance(v, dict):
        return {k: copy_data(x) for k, x in v.items()}
    return v


def parse_text(v: Any) -> Optional[Tuple[str, Any]]:
    """(form, tree) of a str or bytes holding JSON, JSON lines or an OCMF record; else None."""
    if not is_text(v) or len(v) > 1_000_000:
        return None
    try:
        s = v.decode() if isinstance(v, bytes) else v
        if s.startswith("OCMF|"):
            return "ocmf", [json.loads(part, parse_float=Decimal) for part in s[5:].split("|")]
        if s.strip()[:1] not in ("[", "{"):
            return None
        try:
            return "json", json.loads(s, parse_float=Decimal)
        except ValueError:
            return "jsonl", [json.loads(line, parse_float=Decimal) for line in s.splitlines() if line.strip()]
    except (ValueError, RecursionError):
        return None


def dumps(v: Any, ascii_only: bool = True) -> str:
    """JSON text of plain data and of what the mutations put into it (Raw, DupKeys)."""
    if isinstance(v, Raw):
        return str(v)
    if isinstance(v, DupKeys):
        return "{" + ",".join(f"{dumps(str(k), ascii_only)}:{dumps(x, ascii_only)}" for k, x in v.pairs) + "}"
    if isinstance(v, dict):
        return dumps(DupKeys(list(v.items())), ascii_only)
    if isinstance(v, (list, tuple)):
        return "[" + ",".join(dumps(x, ascii_only) for x in v) + "]"
    if v is None or isinstance(v, bool):
        return json.dumps(v)
    if isinstance(v, (int, Decimal)):
        return str(v)
    if isinstance(v, float):
        return repr(v)
    if isinstance(v, datetime):
        return json.dumps(v.isoformat())
    return json.dumps(_to_str(v), ensure_ascii=ascii_only)


def encode(form: str, tree: Any, like: Any, ascii_only: bool) -> Any:
    if form == "ocmf":
        text = "OCMF|" + "|".join(dumps(p, ascii_only) for p in tree) if isinstance(tree, list) else dumps(tree, ascii_only)
    elif form == "jsonl" and isinstance(tree, list):
        text = "\n".join(dumps(line, ascii_only) for line in tree)
    else:
        text = dumps(tree, ascii_only)
    return text.encode("utf-8", "surrogatepass") if isinstance(like, bytes) else text


def show_path(path: Tuple) -> str:
    head, *rest = path
    return head + "".join(f"[{p!r}]" for p in rest)


def mutate(root: Dict[str, Any], rng: random.Random, kind: Optional[Kind] = None,
           scope: Optional[str] = None) -> Optional[Tuple[str, bool]]:
    """Applies one mutation (of ``kind`` in ``scope``, else of a random kind that applies)
    in place; returns its description and whether it changed a Python value's type."""
    nodes = [(("args", i) + p, v) for i, a in enumerate(root["args"]) if not isinstance(a, Fixed)
             for p, v in walk(a)]
    nodes += [(("kwargs", k) + p, v) for k, a in root["kwargs"].items() if not isinstance(a, Fixed) for p, v in walk(a)]
    texts = [(p, v, parsed) for p, v in nodes if (parsed := parse_text(v))]
    for k in [kind] if kind else rng.sample(KINDS, len(KINDS)):
        py = [(p, v) for p, v in nodes if k.applies(v)] if k.scope != "json" and scope != "json" else []
        inner = [(p, v, form, tree, q, x) for p, v, (form, tree) in texts for q, x in walk(tree) if k.applies(x)] \
            if k.scope != "python" and scope != "python" else []
        if py or inner:
            break
    else:
        return None
    if py and (not inner or rng.random() < 0.5):
        path, value = rng.choice(py)
        new, detail, *changed = k.mutate(rng, value, False)
        replace(root, path, new)
        return f"{k.name} at {show_path(path)}: {detail}", changed[0] if changed else k.changes_type
    path, text, form, tree, q, x = rng.choice(inner)
    new, detail, *_ = k.mutate(rng, x, True)
    replace(root, path, encode(form, replace(tree, q, new), text, rng.random() < 0.3))
    where = "".join(f"[{p!r}]" for p in q)
    return f"{k.name} in the {form} text at {show_path(path)}, ${where}: {detail}", False


class Case(NamedTuple):
    args: tuple
    kwargs: dict
    mutations: List[str]
    type_changed: bool


def build(entry: "Entry", i: int) -> Optional[Case]:
    """Input ``i`` of an entry point (``i = -1``: the seed itself); None when the mutation
    kind of a systematic index does not apply to the seed drawn."""
    rng = random.Random(f"{SEED}:{entry.name}:{i}")
    args, kwargs = entry.seeds[rng.randrange(len(entry.seeds))]()
    root = {"args": [copy_data(a) for a in args], "kwargs": {k: copy_data(v) for k, v in kwargs.items()}}
    mutations, changed = [], False
    if i >= 0:
        systematic = i < len(SYSTEMATIC)
        for n in range(1 if systematic else rng.choice((1, 1, 1, 2, 3))):
            done = mutate(root, rng, *(SYSTEMATIC[i] if systematic else ()))
            if done:
                mutations.append(done[0])
                changed |= done[1]
        if not mutations:
            return None
    unwrap = lambda v: v.value if isinstance(v, Fixed) else v  # noqa: E731
    return Case(tuple(unwrap(a) for a in root["args"]), {k: unwrap(v) for k, v in root["kwargs"].items()},
                mutations, changed)


_REPR = reprlib.Repr()
_REPR.maxstring = _REPR.maxother = 200
_REPR.maxlevel, _REPR.maxlist, _REPR.maxtuple, _REPR.maxdict = 4, 5, 5, 5


def short(v: Any, limit: int = 500) -> str:
    try:
        text = _REPR.repr(v)
    except Exception as e:  # a repr that fails is not what is under test
        text = f"<unprintable {type(v).__name__}: {e!r}>"
    return text if len(text) <= limit else text[:limit - 40] + " ... " + text[-35:]


# ---------------------------------------------------------------- the public API


@cache
def public_api() -> Dict[str, Any]:
    """Every public name of the installed package by key: ``module.Name`` without the
    ``chargekit.`` prefix (root names bare), for each public module's ``__all__`` (its public
    globals where it has none), plus the console scripts (``__main__.main``)."""
    modules = ["chargekit"] + sorted(
        m.name for m in pkgutil.walk_packages(chargekit.__path__, "chargekit.")
        if not any(part.startswith("_") for part in m.name.split(".")))
    found: Dict[str, Any] = {}
    for name in modules:
        mod = importlib.import_module(name)
        prefix = "" if name == "chargekit" else name[len("chargekit."):] + "."
        names = getattr(mod, "__all__", None)
        if names is None:
            names = [n for n, v in vars(mod).items() if not n.startswith("_") and not inspect.ismodule(v)
                     and getattr(v, "__module__", name) == name]
        for n in names:
            obj = getattr(mod, n)
            if inspect.ismodule(obj) or any(o is obj for o in found.values() if callable(o)):
                continue
            found[prefix + n] = obj
    for ep in importlib.metadata.distribution("chargekit").entry_points:
        if ep.group == "console_scripts":
            module, _, attr = ep.value.partition(":")
            found[module[len("chargekit."):] + "." + attr] = ep.load()
    return found


@cache
def class_keys() -> Dict[int, str]:
    return {id(o): k for k, o in public_api().items() if isinstance(o, type)}


@cache
def api() -> Dict[str, Tuple[str, Any]]:
    """{key: (what, object)}: "function", "constructor", "method" (``Class.name``, keyed by
    the public class that defines it), "noarg" (a method without parameters) or "constant"."""
    found, key_of = public_api(), class_keys()
    out: Dict[str, Tuple[str, Any]] = {}
    for key, obj in found.items():
        if not isinstance(obj, type):
            out[key] = ("function" if callable(obj) else "constant", obj)
            continue
        owner = next(c for c in obj.__mro__ if "__init__" in vars(c) or "__new__" in vars(c))
        out[key_of.get(id(owner), key)] = ("constructor", owner if id(owner) in key_of else obj)
        for name in dir(obj):
            owner = next((c for c in obj.__mro__ if name in vars(c)), None)
            if name.startswith("_") or owner is None or owner.__module__ == "builtins":
                continue
            static = inspect.getattr_static(owner, name)
            if isinstance(static, (property, types.GetSetDescriptorType, types.MemberDescriptorType)):
                continue
            if not isinstance(static, (staticmethod, classmethod)) and not callable(static):
                continue  # class data, e.g. an error's ``kind``
            method = getattr(obj, name)
            try:
                params = [p for p in inspect.signature(method).parameters if p != "self"]
            except ValueError:  # no signature: count it as taking arguments
                params = ["?"]
            out[f"{key_of.get(id(owner), key)}.{name}"] = ("method" if params else "noarg", method)
    return out


def method_key(cls: type, name: str) -> Optional[str]:
    """The key of ``cls.name`` in ``api()`` (None for what is not public)."""
    owner = next((c for c in cls.__mro__ if name in vars(c)), None)
    key = class_keys().get(id(owner)) or class_keys().get(id(cls))
    return key and f"{key}.{name}"


# Reviewed: public names that take no user data.
SKIP = {
    "ANOMALY_KINDS": "a constant tuple of names",
    "LIMITS": "a constant dict of numbers",
    "__version__": "a constant string",
    "analytics.WEEKDAYS": "a constant tuple of names",
    # no constructor (TypeError "cannot create ... instances"); their methods are in the table
    "Session": "no constructor: sessions come from the assemblers",
    "ocpp.SessionEvent": "no constructor: events come from drain_events()",
    "ocpp.CompositeSchedule": "no constructor: schedules come from SmartChargingStation",
    "ocpi.PriceResult": "no constructor: results come from price_cdr() and Session.price()",
    "ocpi.LivePrice": "no constructor: live prices come from Session.price_live()",
    # engine jobs take engine DataFrames; test_engines.py runs them on real clusters, and
    # everything they pass to chargekit is chargekit.arrow / FleetPartial (entries below)
    "spark.sessions": "engine: a Spark job over chargekit.arrow.sessions_from_frames",
    "spark.fleet_summary": "engine: a Spark job over FleetPartial",
    "spark.site_summaries": "engine: a Spark job over chargekit.arrow.summarize(by_site=True)",
    "dask.sessions": "engine: a Dask job over chargekit.arrow.sessions_from_frames",
    "dask.fleet_summary": "engine: a Dask job over FleetPartial",
    "dask.site_summaries": "engine: a Dask job over chargekit.arrow.summarize(by_site=True)",
    "spark.cdrs": "engine: a Spark job over chargekit.arrow.price_sessions",
    "dask.cdrs": "engine: a Dask job over chargekit.arrow.price_sessions",
}
NO_CONSTRUCTOR = [k for k, why in SKIP.items() if why.startswith("no constructor")]
# Methods without parameters that are not called on every result (each has its own entry).
NOT_ON_RESULTS = {"analytics.SiteSummary.to_pandas", "integrations.ocpp.FleetConnection.recv"}


# ---------------------------------------------------------------- reading results


def takes_nothing(fn: Any) -> bool:
    """True for a callable without parameters (``self`` aside)."""
    try:
        return callable(fn) and not isinstance(fn, type) and not [p for p in inspect.signature(fn).parameters if p != "self"]
    except (TypeError, ValueError):
        return False


_NOARG: Dict[Tuple[type, str], bool] = {}


def _noarg(value: Any, name: str) -> bool:
    key = (type(value), name)
    if key not in _NOARG:
        _NOARG[key] = takes_nothing(getattr(type(value), name, None))
    return _NOARG[key]


def exercise(value: Any, seen: set, where: List[str], depth: int = 0, budget: Optional[List[float]] = None) -> None:
    """Reads what a call returned the way a user would: every public property and every
    method without parameters of chargekit objects (and of what they return), a few levels
    deep, for up to 300 values and half a second. Records the methods called in ``seen``."""
    budget = budget if budget is not None else [300, time.time() + 0.5]
    if depth > 4 or budget[0] <= 0 or time.time() > budget[1]:
        return
    budget[0] -= 1
    if isinstance(value, (list, tuple)):
        for v in value[:4]:
            exercise(v, seen, where, depth + 1, budget)
    elif isinstance(value, dict):
        for v in list(value.values())[:8]:
            exercise(v, seen, where, depth + 1, budget)
    elif type(value).__module__.startswith("chargekit") and not isinstance(value, BaseException):
        cls = type(value)
        if isinstance(value, Record):
            repr(value)
            for v in list(value.values())[:8]:
                exercise(v, seen, where, depth + 1, budget)
        for name in dir(cls):
            if name.startswith("_"):
                continue
            key = method_key(cls, name) or f"{cls.__name__}.{name}"
            if key in NOT_ON_RESULTS:
                continue
            static = inspect.getattr_static(cls, name, None)
            attribute = isinstance(static, (property, types.GetSetDescriptorType, types.MemberDescriptorType))
            if not attribute and not _noarg(value, name):
                continue
            mark = len(where)
            where.append(key)
            try:
                got = getattr(value, name) if attribute else getattr(value, name)()
                seen.update(() if attribute else (key,))
                if attribute and takes_nothing(got):
                    got = got()  # Explanation.text
                exercise(got, seen, where, depth + 1, budget)
            except chargekit.ChargekitError as e:  # e.g. session() of two sessions; the others are read still
                if verdict(e, False):
                    raise
            del where[mark:]


# ---------------------------------------------------------------- the table


class Entry(NamedTuple):
    name: str
    group: str
    seeds: Tuple[Callable[[], Tuple[tuple, dict]], ...]
    call: Callable[..., Any]
    max_calls: int
    weight: float  # share of the time: 3 for documents (OCPP logs, tariffs, requests), 1 for a value


ENTRIES: Dict[str, Entry] = {}


def entry(name: str, group: str, *seeds: Callable[[], Tuple[tuple, dict]], max_calls: int = 10**9, weight: float = 1):
    """Registers the call of an entry point; each seed gives valid ``(args, kwargs)``."""

    def register(call: Callable[..., Any]) -> Callable[..., Any]:
        ENTRIES[name] = Entry(name, group, seeds, call, max_calls, weight)
        return call

    return register


def seed(*args: Any, **kwargs: Any) -> Tuple[tuple, dict]:
    return args, kwargs


@cache
def data(name: str) -> str:
    return (DATA / name).read_text()


def exact(text: str) -> Any:
    return json.loads(text, parse_float=Decimal)


# --- seed data (valid inputs, as in api_tour.py and the bundled sample files)

def frames16() -> List[Any]:
    """A 1.6 transaction, 08:00-09:00, 6 kWh, a register reading every 10 min."""
    frames = [*start16("s", 7, 0, "08:00:00")]
    frames += [meter16(f"m{m}", 7, f"08:{m}:00", str(m * 100)) for m in range(10, 60, 10)]
    return frames + [stop16("x", 7, 6000, "09:00:00")]


def frames201() -> List[Any]:
    return [event201("a", "Started", 0, "08:00:00", 20000, context="Transaction.Begin"),
            event201("b", "Updated", 1, "08:30:00", Decimal("25500.5")),
            event201("c", "Ended", 2, "09:00:00", 31000, context="Transaction.End", charging_state="EVConnected")]


MESSAGES = [  # every form `messages` takes, with its version
    lambda: (lines(frames16()), "1.6"),
    lambda: (dumps(frames201()).encode(), "2.0.1"),
    lambda: (frames201(), "2.0.1"),
    lambda: (data("v2x-session-ocpp21.jsonl"), None),
    lambda: (lines(frames16()).splitlines(), "1.6"),
    lambda: ([{"received_at": T0 + timedelta(seconds=n), "frame": f} for n, f in enumerate(frames201())], None),
    lambda: ("\n".join(data("site-day-ocpp16.jsonl").splitlines()[:40]), "1.6"),  # MANY_SESSIONS
    lambda: (json.loads(dumps(frames201())), "2.0.1"),  # floats, as a plain json.loads gives them
    lambda: ({"received_at": "2026-03-10T08:00:01Z", "frame": frames201()[0]}, None),
]
MANY_SESSIONS = 6
POLICIES = [lambda: None, lambda: {"negative_step": "treat_as_reset"}, lambda: MeterPolicy(negative_step="treat_as_reset"),
            lambda: MeterPolicy().to_dict()]


def with_messages(make: Callable[[Any, Any, Any], Tuple[tuple, dict]], one: bool = False) -> List[Callable[[], Tuple[tuple, dict]]]:
    """One seed per form of ``messages`` (``one``: those with one session), the policy forms in turn."""
    return [lambda m=m, p=p: make(*m(), p()) for n, (m, p) in enumerate(zip(MESSAGES, cycle(POLICIES)))
            if not (one and n == MANY_SESSIONS)]


@cache
def session16() -> chargekit.Session:
    return session_from_messages(frames16(), "1.6", station_id="CP-1")


@cache
def v2x() -> chargekit.Session:
    return sessions_from_messages(data("v2x-session-ocpp21.jsonl"))[0]


@cache
def tou() -> ocpi.Tariff:
    return ocpi.Tariff(data("tariff-tou.json"))


def small_tariff() -> Dict[str, Any]:
    c = lambda t, p, **x: {"type": t, "price": Decimal(p), "step_size": 1, **x}  # noqa: E731
    return {"country_code": "DE", "party_id": "CKT", "id": "T", "currency": "EUR", "min_price": {"excl_vat": 2},
            "elements": [{"price_components": [c("ENERGY", "0.20", vat=Decimal(19)), c("PARKING_TIME", "2.00", step_size=300)],
                          "restrictions": {"end_time": "09:30"}},
                         {"price_components": [c("ENERGY", "0.40", vat=Decimal(19)), c("FLAT", "1.00")]}],
            "last_updated": "2026-01-01T00:00:00Z"}


TARIFFS = [lambda: tou(), lambda: data("tariff-tou.json"), lambda: exact(data("tariff-tou.json")), lambda: [tou(), small_tariff()],
           small_tariff, lambda: data("tariff-tou.json").encode()]
PRICING_POLICIES = [lambda: None, lambda: "ocpi_tariffs", lambda: {"preset": "ocpi_tariffs", "rounding": "default"}]


def cdr() -> Dict[str, Any]:
    return {"start_date_time": "2026-03-10T10:00:00Z", "end_date_time": "2026-03-10T11:00:00Z", "currency": "EUR",
            "cdr_location": {"country": "NLD"},
            "charging_periods": [{"start_date_time": "2026-03-10T10:00:00Z",
                                  "dimensions": [{"type": "ENERGY", "volume": Decimal("7.5")},
                                                 {"type": "TIME", "volume": Decimal("0.5")}]}],
            "total_energy": 0, "total_time": 0, "total_cost": {"excl_vat": 0}}


@cache
def station_tariff() -> StationTariff:
    return StationTariff(data("station-tariff-ocpp21.json"))


STATION_TARIFFS = [lambda: station_tariff(), lambda: data("station-tariff-ocpp21.json"),
                   lambda: exact(data("station-tariff-ocpp21.json")), lambda: json.loads(data("station-tariff-ocpp21.json"))]


def composite_case() -> Dict[str, Any]:
    return exact(data("composite-case.json"))


def profile16() -> Dict[str, Any]:
    return {"chargingProfileId": 3, "stackLevel": 1, "chargingProfilePurpose": "TxDefaultProfile",
            "chargingProfileKind": "Absolute",
            "chargingSchedule": {"startSchedule": "2026-03-10T08:00:00Z", "chargingRateUnit": "A",
                                 "chargingSchedulePeriod": [{"startPeriod": 0, "limit": 32},
                                                            {"startPeriod": 1800, "limit": 16.5, "numberPhases": 1}]}}


def external_profile() -> Dict[str, Any]:
    p = composite_case()["station_profiles"][0]
    return {**p, "id": 9, "chargingProfilePurpose": "ChargingStationExternalConstraints"}


def loaded_station() -> SmartChargingStation:
    """Two EVSEs, a station maximum, a TxDefaultProfile on EVSE 1 and a transaction there."""
    station = SmartChargingStation(evse_ids=[1, 2], options={"gap_fill": "default_limit"})
    case = composite_case()
    station.install(case["station_profiles"][0], 0)
    station.install(case["evse_profiles"][0], 1)
    station.start_transaction(1, T0, "T-1")
    return station


@cache
def schedule() -> chargekit.ocpp.CompositeSchedule:
    return loaded_station().composite_schedule(1, T0, 3600)


@cache
def preference_profile() -> Dict[str, Any]:
    return loaded_station().plan_preferences(1, now=T0, profile_id=50, max_current_a=32, max_energy_wh=Decimal(60000),
                                             departure=T0 + timedelta(hours=1)).profile


PROFILES = [lambda: (composite_case()["evse_profiles"][0], 1, "2.0.1"),
            lambda: (dumps(composite_case()["evse_profiles"][0]), 1, "2.0.1"),
            lambda: (composite_case()["station_profiles"][0], 0, "2.0.1"),
            lambda: (profile16(), 0, "1.6"),
            lambda: (preference_profile(), 1, "2.0.1"),
            lambda: (dumps(profile16()).encode(), 1, "1.6")]


@cache
def price_result() -> ocpi.PriceResult:
    return session16().price(tou(), timezone="Europe/Berlin")


def ocmf_pair() -> List[str]:
    return data("ocmf-transaction.txt").splitlines()


def ocmf_key() -> str:
    return data("ocmf-transaction.key").strip()


def key_forms() -> List[str]:
    import base64

    key = ocmf_key()
    return [key, " ".join(key[i:i + 4] for i in range(0, len(key), 4)), base64.b64encode(bytes.fromhex(key)).decode()]


def signed_frames() -> List[Any]:
    """A 1.6 session whose MeterValues carry the bundled OCMF begin and end records."""
    begin, end = ocmf_pair()

    def signed(uid, at, record, context):
        return [2, uid, "MeterValues", {"connectorId": 1, "transactionId": 7, "meterValue": [
            {"timestamp": f"2026-03-10T{at}Z", "sampledValue": [{"value": record, "format": "SignedData", "context": context}]}]}]

    return [*start16("s", 7, 1000, "08:00:00"), signed("b", "08:00:00", begin, "Transaction.Begin"),
            signed("e", "09:00:00", end, "Transaction.End"), stop16("x", 7, 8400, "09:00:00")]


def week() -> List[Dict[str, Any]]:
    import test_analytics

    return test_analytics.week()


def week_options() -> Dict[str, Any]:
    import test_analytics

    return test_analytics.options()


def site_records() -> List[Dict[str, Any]]:
    return [json.loads(line) for line in data("site-sessions.jsonl").splitlines()[:40]]


@cache
def batch() -> analytics.SessionBatch:
    return analytics.SessionBatch(week())


SESSIONS = [  # (sessions, tz, options)
    lambda: (week(), "Europe/Berlin", week_options()),
    lambda: (site_records(), "Europe/Berlin", None),
    lambda: ([session16(), v2x()], "Europe/Amsterdam", None),
    lambda: (batch(), "Europe/Berlin", week_options()),
]


@cache
def summary() -> analytics.SiteSummary:
    return analytics.summarize(week(), "Europe/Berlin", options=week_options())


def feedback_items() -> List[Dict[str, Any]]:
    import test_analytics

    return test_analytics.hand_computed_items()


FEEDBACK = [lambda: (feedback_items(), None), lambda: (exact(data("site-feedback.json"))[:12], site_records()),
            lambda: (feedback_items(), week())]


@cache
def score_report() -> Any:
    return feedback.score(exact(data("site-feedback.json")), site_records())


def plan_request() -> Dict[str, Any]:
    import test_planning as tp

    return tp.request(4, 15000, 10000, interval_s=3600, prices=tp.hourly(["0.30", "0.10", "0.40", "0.20"]))


def allocation_request() -> Dict[str, Any]:
    import test_planning as tp

    return {"site": {"groups": [tp.group("grid", watts=11000)],
                     "evses": [tp.evse("A", "grid", 11000), tp.evse("B", "grid", 11000)]},
            "sessions": [tp.session("A", 11000, 8), tp.session("B", 44000, 2)], "from": tp.T0,
            "strategy": "equal_share", "prices": [(tp.T0, Decimal("0.25"))]}


# --- core

entry("MeterPolicy", "core", lambda: seed(**MeterPolicy().to_dict()),
      lambda: seed(negative_step="treat_as_reset", rated_power_w=Decimal(22000), max_clock_skew_s=300))(MeterPolicy)


@entry("ChargekitError", "core", *[lambda c=c: seed(Fixed(c), f"{c.__name__}: reason", **{f: "x" for f in c._fields})
                                  for c in map(chargekit._errors.__dict__.get, chargekit._errors.__all__)])
def _error(cls, message, **fields):
    """Every error class is a public constructor: message and fields of any value."""
    e = cls(message, **fields)
    return e.kind, e.args, [getattr(e, f) for f in fields]


@entry("analytics.Record", "core", lambda: seed({"a": Decimal(1), "b": [{"c": "x", "t": T0}], "d": None}))
def _record(data_):
    return Record(data_)


entry("analytics.Record.get", "core", lambda: seed(Fixed(Record({"a": 1})), "a", 0))(lambda r, name, default: r.get(name, default))


# --- OCPP sessions

entry("ocpp.sessions_from_messages", "ocpp",
      *with_messages(lambda m, v, p: seed(m, v, station_id="CP-1", policy=p)))(sessions_from_messages)
entry("ocpp.session_from_messages", "ocpp",
      *with_messages(lambda m, v, p: seed(m, v, station_id="CP-1", policy=p), one=True))(session_from_messages)


@entry("ocpp.SessionAssembler", "ocpp", *with_messages(lambda m, v, p: seed("CP-1", v, p, m)))
def _assembler(station_id, version, policy, messages):
    asm = SessionAssembler(station_id, version, policy)
    asm.feed(messages)
    return asm


@entry("ocpp.SessionAssembler.feed", "ocpp", *with_messages(lambda m, v, p: seed(Fixed(v), m)))
def _feed(version, messages):
    asm = SessionAssembler("CP-1", version)
    return asm.feed(messages), asm


def fed_assembler() -> SessionAssembler:
    asm = SessionAssembler("CP-1", "1.6")
    asm.feed(lines(frames16()))
    return asm


@cache
def asm_snapshot() -> bytes:
    return fed_assembler().snapshot()


@entry("ocpp.SessionAssembler.forget_ended", "ocpp", lambda: seed(T0 + timedelta(hours=2)), lambda: seed(T0))
def _forget(before):
    asm = fed_assembler()
    return asm.forget_ended(before), asm


entry("ocpp.SessionAssembler.restore", "ocpp", lambda: seed(asm_snapshot()))(SessionAssembler.restore)


@entry("ocpp.Fleet", "ocpp", *with_messages(lambda m, v, p: seed(v, p, 3600, m)))
def _fleet(version, policy, retention_s, messages):
    fleet = Fleet(version, policy, retention_s)
    fleet.feed("CP-1", messages)
    return fleet


@entry("ocpp.Fleet.feed", "ocpp", *with_messages(lambda m, v, p: seed("CP-1", m)))
def _fleet_feed(station_id, messages):
    fleet = Fleet(retention_s=3600)
    return fleet.feed(station_id, messages), fleet


@cache
def fed_fleet() -> Fleet:
    fleet = Fleet(retention_s=3600)
    fleet.feed("CP-1", lines(frames16()))
    fleet.feed("CP-2", data("v2x-session-ocpp21.jsonl"))
    return fleet


entry("ocpp.Fleet.sessions", "ocpp", lambda: seed("CP-1"), lambda: seed("CP-2"))(lambda station_id: fed_fleet().sessions(station_id))
entry("ocpp.Fleet.restore", "ocpp", lambda: seed(fed_fleet().snapshot()))(Fleet.restore)


# --- smart charging

@entry("ocpp.SmartChargingStation", "ocpp",
       lambda: seed(evse_ids=[1, 2], default_limit_amps=Decimal(32), default_limit_watts=Decimal(22000),
                    supply_voltage=230, default_number_phases=3, options={"gap_fill": "default_limit"}),
       lambda: seed(evse_ids=(1,), default_limit_amps="16", supply_voltage=Decimal(400), default_number_phases=1))
def _station(**kwargs):
    station = SmartChargingStation(**kwargs)
    return station, [station.composite_schedule(0, T0, 3600, unit) for unit in ("W", "A")]


@entry("ocpp.SmartChargingStation.install", "ocpp", *[lambda p=p: seed(*p()) for p in PROFILES])
def _install(profile, evse_id, version):
    station = loaded_station()
    return station.install(profile, evse_id, version), station, station.composite_schedule(1, T0, 7200)


@entry("ocpp.SmartChargingStation.set_external_constraints", "ocpp", lambda: seed(external_profile(), 0, "2.0.1"),
       lambda: seed(dumps(external_profile()), 1, "2.0.1"))
def _external(profile, evse_id, version):
    station = loaded_station()
    return station.set_external_constraints(profile, evse_id, version), station.composite_schedule(1, T0, 7200)


@entry("ocpp.SmartChargingStation.clear", "ocpp", lambda: seed(id=2), lambda: seed(evse_id=1, purpose="TxDefaultProfile"),
       lambda: seed(id=1, evse_id=0, purpose="ChargingStationMaxProfile", stack_level=0))
def _clear(**kwargs):
    station = loaded_station()
    return station.clear(**kwargs), station


@entry("ocpp.SmartChargingStation.start_transaction", "ocpp", lambda: seed(1, T0, "T-9"), lambda: seed(2, T0, None))
def _start(evse_id, at, transaction_id):
    station = loaded_station()
    return station.start_transaction(evse_id, at, transaction_id), station.transaction(evse_id)


entry("ocpp.SmartChargingStation.stop_transaction", "ocpp", lambda: seed(1), lambda: seed(2))(
    lambda evse_id: loaded_station().stop_transaction(evse_id))
entry("ocpp.SmartChargingStation.transaction", "ocpp", lambda: seed(1), lambda: seed(0))(
    lambda evse_id: loaded_station().transaction(evse_id))
entry("ocpp.SmartChargingStation.composite_schedule", "ocpp", lambda: seed(1, T0, 3600, None),
      lambda: seed(0, T0 + timedelta(minutes=30), 7200, "W"), lambda: seed(2, T0, 86400, "A"))(
    lambda *args: loaded_station().composite_schedule(*args))


@entry("ocpp.SmartChargingStation.plan_preferences", "ocpp",
       lambda: seed(1, now=T0, profile_id=50, max_current_a=32, max_energy_wh=Decimal(60000), departure=T0 + timedelta(hours=1)),
       lambda: seed(1, now=T0, profile_id=51, stack_level=2, unit="W", max_energy_wh=Decimal(20000),
                    departure=T0 + timedelta(hours=3)))
def _preferences(evse_id, **kwargs):
    return loaded_station().plan_preferences(evse_id, **kwargs)


entry("ocpp.CompositeSchedule.period_at", "ocpp", lambda: seed(Fixed(schedule()), 0), lambda: seed(Fixed(schedule()), 1800))(
    lambda s, offset: s.period_at(offset))
entry("ocpp.CompositeSchedule.to_ocpp", "ocpp", *[lambda v=v: seed(Fixed(schedule()), v) for v in ("2.0.1", "1.6", "2.1")])(
    lambda s, version: s.to_ocpp(version))


# --- OCPP 2.1 station tariffs

entry("ocpp.StationTariff", "ocpp", *[lambda t=t: seed(t()) for t in STATION_TARIFFS[1:]],
      lambda: seed(data("station-tariff-ocpp21.json").encode()))(StationTariff)
entry("ocpp.StationTariff.validate", "ocpp",
      *[lambda c=c: seed(Fixed(station_tariff()), c) for c in (
          None, {"max_elements": 1}, {"supported_conditions": ["startTimeOfDay", "endTimeOfDay"]},
          {"existing_tariff_ids": ["T-1"]})])(lambda t, capabilities: t.validate(capabilities))
entry("ocpp.StationTariff.explain", "ocpp", *[lambda x=x: seed(Fixed(station_tariff()), x) for x in ("en", "nl")])(
    lambda t, language: t.explain(language))
entry("ocpp.StationTariff.to_ocpi", "ocpp", *[lambda x=x: seed(Fixed(station_tariff()), x) for x in ("2.2.1", "2.3.0")])(
    lambda t, version: t.to_ocpi(version))
entry("ocpp.StationTariff.from_ocpi", "ocpp", *[lambda t=t: seed(t()) for t in (tou, TARIFFS[1], TARIFFS[2], small_tariff)])(
    StationTariff.from_ocpi)
entry("ocpp.check_cost_details", "ocpp",
      *[lambda t=t, r=r: seed(v2x(), t(), r(), timezone="Europe/Amsterdam", **x)
        for t, r, x in zip(STATION_TARIFFS, cycle([lambda: v2x().reported_cost_details,
                                                   lambda: exact(v2x().reported_cost_details)]),
                           [{}, {"tolerance": Decimal("0.01")}, {"at": T0 + timedelta(hours=1)},
                            {"changes": [(T0 + timedelta(hours=1), data("station-tariff-ocpp21.json"))]}])])(check_cost_details)


# --- Session methods

SESSION_FORMS = [lambda: Fixed(session16()), lambda: Fixed(v2x())]

entry("Session.charging_periods_cut_at", "session",
      *[lambda s=s, x=x: seed(s(), x) for s in SESSION_FORMS
        for x in ([T0 + timedelta(minutes=30)], (T0 + timedelta(minutes=10), T0 + timedelta(hours=2)))])(
    lambda s, instants: s.charging_periods_cut_at(instants))
entry("Session.to_ocpi_cdr", "session",
      *[lambda s=s: seed(s(), country_code="DE", party_id="CKT", currency="EUR", city="Berlin") for s in SESSION_FORMS])(
    lambda s, **options: s.to_ocpi_cdr(**options))
entry("Session.price", "session", *[lambda t=t, p=p: seed(Fixed(session16()), t(), timezone="Europe/Amsterdam", policy=p())
                                    for t, p in zip(TARIFFS, cycle(PRICING_POLICIES))])(
    lambda s, tariff, **kw: s.price(tariff, **kw))
entry("Session.price_live", "session",
      *[lambda t=t, p=p: seed(Fixed(session16()), t(), timezone="Europe/Amsterdam", at=T0 + timedelta(minutes=20), policy=p())
        for t, p in zip(TARIFFS, cycle(PRICING_POLICIES))])(lambda s, tariff, **kw: s.price_live(tariff, **kw))
entry("Session.cost_details", "session",
      *[lambda t=t, x=x: seed(Fixed(v2x()), t(), *x) for t, x in zip(STATION_TARIFFS, cycle([
          (), (T0 + timedelta(hours=1),)]))],
      lambda: seed(Fixed(v2x()), station_tariff(), None, timezone="Europe/Amsterdam",
                   changes=[(T0 + timedelta(hours=1), exact(data("station-tariff-ocpp21.json")))]))(
    lambda s, tariff, *args, **kw: s.cost_details(tariff, *args, **{"timezone": "Europe/Amsterdam", **kw}))
entry("Session.cost_limit_reached", "session",
      *[lambda t=t, m=m: seed(Fixed(v2x()), t(), m, timezone="Europe/Amsterdam")
        for t, m in zip(STATION_TARIFFS, [None, Decimal(3), Decimal(100), Decimal("5.00")])],
      lambda: seed(Fixed(v2x()), station_tariff(), Decimal(3), timezone="Europe/Amsterdam",
                   changes=[(T0 + timedelta(minutes=30), station_tariff())]))(
    lambda s, tariff, max_cost, **kw: s.cost_limit_reached(tariff, max_cost, **kw))


# --- OCPI tariffs and billing

entry("ocpi.price_cdr", "ocpi",
      *[lambda c=c, t=t, p=p: seed(c(), t(), timezone="Europe/Amsterdam", policy=p())
        for c, t, p in zip([cdr, lambda: dumps(cdr()), lambda: session16().to_ocpi_cdr(), lambda: dumps(cdr()).encode(),
                            cdr, cdr], TARIFFS, cycle(PRICING_POLICIES))])(ocpi.price_cdr)
entry("ocpi.Tariff", "ocpi", *[lambda t=t, v=v: seed(t(), v) for t, v in zip(
    [TARIFFS[1], TARIFFS[2], small_tariff, TARIFFS[5]], [None, "2.2.1", None, None])])(ocpi.Tariff)
entry("ocpi.Tariff.lint", "ocpi", *[lambda p=p: seed(Fixed(tou()), p()) for p in PRICING_POLICIES])(lambda t, policy: t.lint(policy))
entry("ocpi.Tariff.explain", "ocpi", *[lambda x=x: seed(Fixed(tou()), x) for x in ("en", "nl")])(lambda t, language: t.explain(language))
entry("ocpi.Tariff.is_valid_at", "ocpi", lambda: seed(Fixed(tou()), T0))(lambda t, at: t.is_valid_at(at))
entry("ocpi.Tariff.to_ocpi", "ocpi", *[lambda x=x: seed(Fixed(tou()), x) for x in (None, "2.2.1", "2.3.0", "2.1.1")])(
    lambda t, version: t.to_ocpi(version))
entry("ocpi.PriceResult.invoice", "ocpi", lambda: seed(Fixed(price_result()), "INV-1"))(lambda r, number: r.invoice(number))
entry("ocpi.Invoice", "ocpi", lambda: seed(price_result(), "INV-2"))(ocpi.Invoice)
entry("ocpi.Invoice.credit_note", "ocpi", lambda: seed(Fixed(price_result().invoice("INV-1")), "CN-1"))(
    lambda inv, number: inv.credit_note(number))


# --- OCMF

entry("ocmf.parse", "ocmf", lambda: seed(ocmf_pair()[0]), lambda: seed(ocmf_pair()[1].encode()),
      lambda: seed(ocmf_pair()[0].encode().hex()))(ocmf.parse)
entry("ocmf.verify", "ocmf", *[lambda n=n, k=k: seed(ocmf_pair()[n], key_forms()[k]) for n, k in ((0, 0), (1, 1), (0, 2))],
      lambda: seed(ocmf_pair()[1].encode(), ocmf_key()))(ocmf.verify)
entry("ocmf.verify_many", "ocmf", lambda: seed(list(ocmf_pair()), ocmf_key()),
      lambda: seed([(r, k) for r, k in zip(ocmf_pair(), key_forms())], None))(ocmf.verify_many)
entry("ocmf.check_transaction", "ocmf", lambda: seed(*ocmf_pair(), ocmf_key()),
      lambda: seed(*(r.encode() for r in ocmf_pair()), key_forms()[2]))(ocmf.check_transaction)
entry("ocmf.check_records", "ocmf", lambda: seed([(r, ocmf_key()) for r in ocmf_pair()], "law_accurate_only"),
      lambda: seed([(r, ocmf_key()) for r in ocmf_pair()], "any_clock"))(ocmf.check_records)
entry("ocmf.TransactionReport.has_failed", "ocmf",
      *[lambda c=c: seed(Fixed(ocmf_report()), c)
        for c in ("signature_valid", "value_monotonic")])(lambda report, check: report.has_failed(check))


@cache
def ocmf_report() -> ocmf.TransactionReport:
    return ocmf.check_transaction(*ocmf_pair(), ocmf_key())


@entry("ocmf.proven_energy", "ocmf", lambda: seed(signed_frames(), ocmf_key()), lambda: seed(signed_frames(), key_forms()[2]))
def _proven(frames, public_key):
    return [ocmf.proven_energy(s, public_key) for s in sessions_from_messages(frames, "1.6")]


# --- analytics

entry("analytics.summarize", "analytics", *[lambda s=s, n=n: seed(*s()[:2], options=s()[2], shards=n)
                                            for s, n in zip(SESSIONS, (None, 2, None, 3))])(analytics.summarize)
entry("analytics.analyse_sessions", "analytics", *[lambda s=s: seed(*s()[:2], options=s()[2]) for s in SESSIONS])(
    analytics.analyse_sessions)
entry("analytics.behaviour_patterns", "analytics",
      *[lambda s=s, p=p: seed(*s()[:2], options=s()[2], patterns=p)
        for s, p in zip(SESSIONS, (None, {"min_user_sessions": 1}, {"min_bucket_sessions": 2}, {"dc_min_power": 50000}))])(
    analytics.behaviour_patterns)


@entry("analytics.DepartureForecaster", "analytics",
       *[lambda s=s, p=p: seed(*s()[:2], options=s()[2], patterns=p) for s, p in zip(SESSIONS, (None, {"min_bucket_sessions": 2}))])
def _forecaster(sessions, tz, **kwargs):
    f = analytics.DepartureForecaster(sessions, tz, **kwargs)
    return f, f.forecast(T0, "U1")


entry("analytics.DepartureForecaster.forecast", "analytics",
      *[lambda u=u: seed(Fixed(analytics.DepartureForecaster(week(), "Europe/Berlin", options=week_options())),
                         T0 + timedelta(days=7), u) for u in ("U1", None)])(lambda f, arrival, user_id: f.forecast(arrival, user_id))
entry("analytics.generate_sessions", "analytics", lambda: seed({"days": 2, "stations": 1}),
      lambda: seed({"seed": 7, "days": 1, "profile": "fast", "stations": 1, "ports_per_station": 2,
                    "rated_power": 50000, "users": 5}, batch=True))(analytics.generate_sessions)
entry("analytics.SessionBatch", "analytics", *[lambda s=s: seed(s()[0]) for s in SESSIONS[:3]])(analytics.SessionBatch)


# --- Arrow tables and mergeable summaries


def frames_table() -> Any:
    import pyarrow as pa

    lines16 = data("site-day-ocpp16.jsonl").splitlines()[:40]
    return pa.table({"station_id": ["CP-1"] * len(lines16), "frame": lines16})


def arrow_call(function: Callable[..., Any]) -> Callable[..., Any]:
    """Reads the whole result stream, so that nothing is left for later."""
    import pyarrow as pa

    return lambda *a, **k: pa.table(function(*a, **k)).to_pylist()


def partial() -> analytics.SummaryPartial:
    p = analytics.SummaryPartial("Europe/Berlin", options=week_options())
    p.add(week())
    return p


entry("arrow.sessions_from_frames", "analytics", lambda: seed(frames_table()),
      lambda: seed(frames_table(), "1.6", policy={"max_clock_skew_s": 900}, timezone="Europe/Berlin", presorted=True))(
    arrow_call(chargekit.arrow.sessions_from_frames))
entry("arrow.price_sessions", "analytics",
      lambda: seed(frames_table(), data("tariff-tou.json"), "Europe/Berlin"),
      lambda: seed(frames_table(), json.loads(data("tariff-tou.json")), "Europe/Amsterdam", version="1.6",
                   pricing_policy="ocpi_tariffs", presorted=True))(arrow_call(chargekit.arrow.price_sessions))
entry("arrow.session_records", "analytics", *[lambda s=s: seed(s()[0]) for s in SESSIONS])(
    arrow_call(chargekit.arrow.session_records))
entry("arrow.summarize", "analytics", *[lambda s=s: seed(*s()[:2], options=s()[2]) for s in SESSIONS],
      *[lambda s=s: seed(*s()[:2], options=s()[2], by_site=True) for s in SESSIONS])(
    arrow_call(chargekit.arrow.summarize))
entry("analytics.summarize_fleet", "analytics", *[lambda s=s: seed(*s()[:2], options=s()[2]) for s in SESSIONS])(
    analytics.summarize_fleet)


def fleet_partial() -> analytics.FleetPartial:
    p = analytics.FleetPartial("Europe/Berlin", options=week_options())
    p.add(week())
    return p


entry("analytics.FleetPartial", "analytics", lambda: seed("Europe/Berlin", options=week_options()))(
    analytics.FleetPartial)
entry("analytics.FleetPartial.add", "analytics",
      *[lambda s=s: seed(Fixed(analytics.FleetPartial("Europe/Berlin", options=week_options())), s()[0])
        for s in SESSIONS])(lambda p, sessions: p.add(sessions))
entry("analytics.FleetPartial.from_bytes", "analytics", lambda: seed(fleet_partial().to_bytes()))(
    analytics.FleetPartial.from_bytes)
entry("analytics.FleetPartial.merge", "analytics", lambda: seed(Fixed(fleet_partial()), fleet_partial()))(
    lambda p, other: p.merge(other))
entry("analytics.FleetPartial.merge_many", "analytics", lambda: seed([fleet_partial(), fleet_partial()]))(
    analytics.FleetPartial.merge_many)
entry("analytics.SummaryPartial.merge_many", "analytics", lambda: seed([partial(), partial()]))(
    analytics.SummaryPartial.merge_many)
entry("analytics.SummaryPartial", "analytics", lambda: seed("Europe/Berlin", options=week_options()))(
    analytics.SummaryPartial)
entry("analytics.SummaryPartial.add", "analytics", *[lambda s=s: seed(Fixed(partial()), s()[0]) for s in SESSIONS])(
    lambda p, sessions: p.add(sessions))
entry("analytics.SummaryPartial.from_bytes", "analytics", lambda: seed(partial().to_bytes()))(
    analytics.SummaryPartial.from_bytes)
entry("analytics.SummaryPartial.merge", "analytics", lambda: seed(Fixed(partial()), partial()))(
    lambda p, other: p.merge(other))
entry("analytics.SiteSummary.to_html", "analytics", lambda: seed(Fixed(summary()), "Depot"),
      lambda: seed(Fixed(summary()), None, scores=score_report(), sessions=[session16(), v2x()]),
      lambda: seed(Fixed(summary()), "D", scores=score_report().scores))(lambda s, title, **kw: s.to_html(title, **kw))
entry("analytics.SiteSummary.to_pandas", "analytics", *[lambda s=s: seed(*s()[:2], s()[2]) for s in SESSIONS],
      max_calls=40)(lambda sessions, tz, options: analytics.summarize(sessions, tz, options=options).to_pandas())


@entry("analytics.SiteSummary.plot_heatmap", "analytics", *[lambda n=n: seed(Fixed(summary()), n) for n in ("occupancy", "arrivals")],
       max_calls=20)
def _plot(summary_, name):
    import matplotlib.pyplot as plt

    try:
        return summary_.plot_heatmap(name) and None
    finally:
        plt.close("all")


# --- feedback

entry("feedback.score", "feedback", *[lambda f=f, o=o: seed(*f(), options=o) for f, o in zip(
    FEEDBACK, (None, {"level": "station"}, {"half_life_days": Decimal(0), "blend": "feedback_only"}))])(feedback.score)
entry("feedback.score_one", "feedback", lambda: seed("L", *FEEDBACK[0]()), lambda: seed("ST-2", *FEEDBACK[1]()))(
    feedback.score_one)
entry("feedback.screen", "feedback", lambda: seed(*FEEDBACK[0]()),
      lambda: seed(*FEEDBACK[1](), policy={"max_distance_m": 150, "cooldown_s": 600}))(feedback.screen)


# --- planning

entry("planning.plan", "planning", lambda: seed(plan_request()), lambda: seed(data("plan-request.json")),
      lambda: seed(data("plan-request.json").encode()),
      lambda: seed({"start": T0, "departure": T0 + timedelta(hours=4), "energy_wh": 10000, "ev": {"max_power_w": 10000},
                    "tariff": tou(), "timezone": "Europe/Berlin"}),
      lambda: seed({**plan_request(), "prices": [{"start": t, "value": v} for t, v in plan_request()["prices"]],
                    "strategy": "contiguous"}))(planning.plan)
entry("planning.allocate", "planning", lambda: seed(allocation_request()), lambda: seed(dumps(allocation_request())),
      lambda: seed({**allocation_request(), "strategy": "earliest_deadline_first"}))(planning.allocate)
entry("planning.limits_from_composite", "planning", lambda: seed(schedule(), 3, None),
      lambda: seed(loaded_station().composite_schedule(1, T0, 3600, "A"), 1, Decimal(230)))(planning.limits_from_composite)
entry("planning.SiteAllocation.schedule", "planning",
      *[lambda e=e: seed(Fixed(allocation()), e) for e in ("A", "B")])(lambda a, evse_id: a.schedule(evse_id))


@cache
def allocation() -> planning.SiteAllocation:
    return planning.allocate(allocation_request())


# --- the ocpp library integration

class FakeSocket:
    """What an ``ocpp`` ChargePoint talks over: ``recv()`` gives ``message``."""

    def __init__(self, message: Any) -> None:
        self.message, self.sent = message, []

    async def recv(self) -> Any:
        return self.message

    async def send(self, message: Any) -> None:
        self.sent.append(message)


FRAMES = [lambda: dumps(frames16()[0]), lambda: dumps(frames201()[1]).encode(), lambda: json.loads(dumps(frames16()[2])),
          lambda: frames201()[1]]  # the last: parsed with Decimal numbers, as the README advises

entry("integrations.ocpp.frame_text", "integrations", *[lambda f=f: seed(f()) for f in FRAMES])(frame_text)


@entry("integrations.ocpp.FleetConnection", "integrations", *[lambda f=f: seed("CP-1", f()) for f in FRAMES[:3]])
def _connection(station_id, message):
    conn = FleetConnection(FakeSocket(message), station_id, Fleet(), on_events=lambda events: None)
    conn.feed(message)
    return conn, conn.fleet


def connection() -> FleetConnection:
    return FleetConnection(FakeSocket(None), "CP-1", Fleet())


entry("integrations.ocpp.FleetConnection.feed", "integrations", *[lambda f=f: seed(f()) for f in FRAMES])(
    lambda message: connection().feed(message))


@entry("integrations.ocpp.FleetConnection.recv", "integrations", *[lambda f=f: seed(f()) for f in FRAMES[:3]])
def _recv(message):
    conn = FleetConnection(FakeSocket(message), "CP-1", Fleet())
    return asyncio.run(conn.recv()), conn.fleet


entry("integrations.ocpp.FleetConnection.send", "integrations", *[lambda f=f: seed(f()) for f in FRAMES[:3]])(
    lambda message: asyncio.run(connection().send(message)))


# --- the command line (console script ``chargekit``)

@entry("__main__.main", "cli",
       lambda: seed(Fixed(["sessions", "{0}"]), ["--station", "CP-1", "--format", "json"], [lines(frames16())]),
       lambda: seed(Fixed(["sessions", "{0}"]), ["--format", "cdr"], [data("v2x-session-ocpp21.jsonl")]),
       lambda: seed(Fixed(["tariff", "lint", "{0}"]), [], [data("tariff-tou.json")]),
       lambda: seed(Fixed(["tariff", "explain", "{0}"]), ["--lang", "nl"], [data("station-tariff-ocpp21.json")]),
       lambda: seed(Fixed(["verify", "{0}", "--key-file", "{1}"]), [], [data("ocmf-transaction.txt"), ocmf_key()]),
       lambda: seed(Fixed(["composite", "{0}"]), [], [data("composite-case.json")]),
       lambda: seed(Fixed(["plan", "{0}"]), [], [data("plan-request.json")]),
       lambda: seed(Fixed(["price", "--tariff", "{0}", "{1}"]), ["--tz", "Europe/Berlin", "--station", "CP-1"],
                    [data("tariff-tou.json"), lines(frames16())]),
       lambda: seed(Fixed(["report", "{0}", "-o", "{out}"]), ["--tz", "Europe/Berlin", "--feedback", "{1}"],
                    ["\n".join(data("site-sessions.jsonl").splitlines()[:40]), data("site-feedback.json")]))
def _cli(command, options, files):
    """Exit codes 0-3 are the documented outcomes (3: input that cannot be read)."""
    from chargekit.__main__ import main

    with tempfile.TemporaryDirectory() as tmp:
        paths = []
        for n, content in enumerate(files):
            if not isinstance(content, (str, bytes)):  # a type-changing mutation: nothing to write
                raise TypeError(f"file content {type(content).__name__}")
            path = Path(tmp) / f"in{n}"
            path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8", "surrogatepass"))
            paths.append(str(path))
        paths += [str(Path(tmp) / "missing")] * 4  # a dropped file is a file that cannot be read
        fill = lambda a: a.format(*paths, out=str(Path(tmp) / "out.html")) if isinstance(a, str) else a  # noqa: E731
        try:
            main([*map(fill, command), *(map(fill, options) if isinstance(options, list) else [options])])
        except SystemExit as e:
            if e.code not in (0, 1, 2, 3):
                raise AssertionError(f"exit code {e.code!r}") from None
            return e.code
        raise AssertionError("main() returned instead of exiting")


# Documents (OCPP logs, tariffs, CDRs, requests) have more to mutate than a single value: more time.
WEIGHTS = {"ocpp.sessions_from_messages": 3, "ocpp.session_from_messages": 3, "ocpp.SessionAssembler": 2,
           "ocpp.SessionAssembler.feed": 3, "ocpp.Fleet": 2, "ocpp.Fleet.feed": 3, "ocpp.SmartChargingStation.install": 2,
           "ocpp.StationTariff": 2, "ocpp.check_cost_details": 2, "Session.price": 2, "Session.cost_details": 2,
           "ocpi.price_cdr": 3, "ocpi.Tariff": 3, "ocmf.parse": 2, "ocmf.verify": 2, "ocmf.verify_many": 2,
           "ocmf.check_transaction": 2,
           "ocmf.check_records": 2, "ocmf.proven_energy": 2, "analytics.summarize": 2, "analytics.analyse_sessions": 2,
           "analytics.behaviour_patterns": 2, "feedback.score": 2, "feedback.screen": 2, "planning.plan": 3,
           "planning.allocate": 3, "integrations.ocpp.FleetConnection.feed": 2, "__main__.main": 3}
for _name, _weight in WEIGHTS.items():
    ENTRIES[_name] = ENTRIES[_name]._replace(weight=_weight)


# --- negative controls (not public; for the tests of the harness itself)

def _picky(text, items, mapping):
    if not isinstance(text, str) or not isinstance(items, list) or not isinstance(mapping, dict):
        raise TypeError("wrong type")
    if len(text) != 3:
        raise ValueError("bare")
    return text


CONTROL_SEED = lambda: seed("abc", [1, 2], {"k": Decimal(1)})  # noqa: E731
entry("_control.picky", "_control", CONTROL_SEED)(_picky)
entry("_control.crash", "_control", CONTROL_SEED)(lambda *a: os.kill(os.getpid(), signal.SIGSEGV) if a[0] != "abc" else None)
entry("_control.hang", "_control", CONTROL_SEED)(lambda *a: time.sleep(60) if a[0] != "abc" else None)
entry("_control.fine", "_control", CONTROL_SEED)(lambda *a: None)


# ---------------------------------------------------------------- running


def attempt(entry_: Entry, i: int, seen: set) -> Tuple[bool, Optional[Dict[str, Any]]]:
    """Calls input ``i`` of an entry point and reads its result: (called, failure or None)."""
    try:
        case = build(entry_, i)
    except Exception as e:
        return True, failure(entry_, i, None, f"harness: the input could not be built: {e!r}", e)
    if case is None:
        return False, None
    try:
        result = entry_.call(*case.args, **case.kwargs)
    except KeyboardInterrupt:
        raise
    except BaseException as e:  # PyO3's PanicException is a BaseException
        why = verdict(e, case.type_changed)
        return True, why and failure(entry_, i, case, why if i >= 0 else f"the seed fails: {why}", e)
    where: List[str] = []
    try:
        exercise(result, seen, where)
    except KeyboardInterrupt:
        raise
    except BaseException as e:
        why = verdict(e, False)
        return True, why and failure(entry_, i, case, f"reading the result ({where[-1] if where else '?'}): {why}", e)
    return True, None


def failure(entry_: Entry, i: int, case: Optional[Case], why: str, exc: Optional[BaseException] = None) -> Dict[str, Any]:
    return {"entry": entry_.name, "index": i, "why": why, "type": type(exc).__name__ if exc else why.split(":")[0],
            "gist": gist(str(exc)) if exc else "",
            "error": exc is not None and f"{type(exc).__module__}.{type(exc).__name__}: {short(str(exc))}",
            "mutations": case.mutations if case else [], "type_changed": case.type_changed if case else False,
            "input": case and short((case.args, case.kwargs))}


def worker(deadline: float, out_path: str, names: List[str]) -> None:
    """Runs the entry points ``names`` until ``deadline``, each for its share of the time
    (the seed at least; first each kind of mutation, then random ones), and writes one JSON
    line per call started, per failure and per entry point done to ``out_path``."""
    import resource

    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    faulthandler.enable()
    with open(out_path, "w") as out:
        def emit(**record: Any) -> None:
            out.write(json.dumps(record) + "\n")
            out.flush()

        weights = [ENTRIES[n].weight for n in names]
        for k, name in enumerate(names):
            e, seen, calls, fails, i, began = ENTRIES[name], set(), 0, 0, -1, time.time()
            # its share of the time left: an entry point that overran shortens all that follow
            slot_end = time.time() + max(0.0, deadline - time.time()) * weights[k] / sum(weights[k:])
            while calls < e.max_calls and (i < 0 or time.time() < slot_end):
                emit(begin=name, i=i)
                called, failed = attempt(e, i, seen)
                calls += called
                if failed:
                    fails += 1
                    if fails <= 25:
                        emit(fail=failed)
                i += 1
            emit(done=name, calls=calls, fails=fails, seconds=round(time.time() - began, 1), exercised=sorted(seen))


def run_group(names: List[str], deadline: float, hang_s: float = HANG_S) -> Tuple[List[Dict[str, Any]], set, Dict[str, Any]]:
    """Runs entry points in worker processes until ``deadline``. A worker that dies or
    hangs is a failure of the call it was making; a new worker goes on with the entry
    points after it. Returns (failures, methods exercised, {entry: (calls, seconds)})."""
    failures: List[Dict[str, Any]] = []
    exercised: set = set()
    counts: Dict[str, Any] = {}
    env = {**os.environ, "MPLBACKEND": "Agg", "PYTHONFAULTHANDLER": "1"}
    with tempfile.TemporaryDirectory() as tmp:
        while names:
            out, err = Path(tmp) / "out", Path(tmp) / "err"
            out.write_text("")
            with open(err, "wb") as errors:
                proc = subprocess.Popen([sys.executable, __file__, "--worker", repr(deadline), str(out), *names],
                                        stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=errors, env=env, cwd=tmp)
            last, done, seen_at, pos, rc = None, set(), None, 0, None
            started = time.time()
            while rc is None:
                time.sleep(0.05)
                rc = proc.poll()
                with open(out) as f:
                    f.seek(pos)
                    chunk = f.read()
                complete = chunk[:chunk.rfind("\n") + 1]
                pos += len(complete.encode())
                for line in complete.splitlines():
                    record = json.loads(line)
                    seen_at = time.time()
                    if "begin" in record:
                        last = record
                    elif "fail" in record:
                        failures.append(record["fail"])
                    elif "done" in record:
                        done.add(record["done"])
                        exercised.update(record["exercised"])
                        counts[record["done"]] = (record["calls"], record["seconds"])
                        last = None
                # the limit counts from the worker's first line (a slow start-up is not a hang)
                if rc is None and time.time() - (seen_at or started + 30) > hang_s:
                    proc.kill()
                    proc.wait()
                    rc = "hang"
            if rc == 0:
                break
            culprit = last or {"begin": names[0], "i": -1}
            what = (f"hang: no result after {hang_s:g} s" if rc == "hang"
                    else f"crash: the worker died ({signal.Signals(-rc).name if rc < 0 else f'exit {rc}'})")
            stderr = err.read_text(errors="replace").strip().splitlines()
            try:
                case = build(ENTRIES[culprit["begin"]], culprit["i"])
            except Exception:
                case = None
            failures.append({**failure(ENTRIES[culprit["begin"]], culprit["i"], case, what),
                             "error": " | ".join(stderr[-6:])[-600:]})
            counts[culprit["begin"]] = ("?", "?")
            names = [n for n in names if n not in done and n != culprit["begin"]]
            deadline = max(deadline, time.time() + 0.25 * len(names))  # those after it still get a turn
    return failures, exercised, counts


def gist(message: str) -> str:
    """The first words of a message without its quoted values and numbers."""
    words = re.sub(r"[^A-Za-z ]+", " ", re.sub(r"'[^']*'|\"[^\"]*\"|`[^`]*`|\[.*?\]", " ", message)).split()
    return " ".join(words[:5])


def report(failures: List[Dict[str, Any]], counts: Dict[str, Any]) -> str:
    """The failures grouped by entry point, error class and the gist of the message, with
    the first example of each (one that kept the types where there is one)."""
    groups: Dict[Tuple[str, str, str], List[Dict[str, Any]]] = {}
    for f in failures:
        key = (f["entry"], f["type"] if "the seed" not in f["why"] else "seed " + f["type"], f["gist"])
        groups.setdefault(key, []).append(f)
    out = [f"{len(failures)} failing calls ({len(groups)} distinct) over {len(counts)} entry points; calls (seconds) "
           f"per entry point: {', '.join(f'{k} {c[0]} ({c[1]})' for k, c in sorted(counts.items()))}"]
    for (name, _, _), fs in sorted(groups.items()):
        f = min(fs, key=lambda f: (f["type_changed"], f["index"]))
        out += [f"\n* {name} [{len(fs)}x] {f['why']}", f"  error: {f['error']}",
                f"  mutation {f['index']}{' (type changed)' if f['type_changed'] else ''}: {'; '.join(f['mutations']) or 'none'}",
                f"  input: {f['input']}",
                f"  repro: python bindings-python/tests/test_mutation.py --repro {name!r} {f['index']}"]
    return "\n".join(out)


# ---------------------------------------------------------------- tests

_START: List[float] = []
RUNS: Dict[str, set] = {}


def group_deadline(group: str) -> float:
    """The group's end: its share (by the weights of its entry points) of the budget, counted
    from the first group; a group that starts late still gets a second."""
    if not _START:
        _START.append(time.time())
    weight = {g: sum(e.weight for e in ENTRIES.values() if e.group == g) + 1 for g in GROUPS}
    before = sum(weight[g] for g in GROUPS[: GROUPS.index(group) + 1])
    return max(_START[0] + MUTATION_BUDGET_S * before / sum(weight.values()), time.time() + 1.0)


def test_the_checker_fails_what_it_must():
    """Negative controls: the rule flags a bare ValueError, a TypeError from a mutation that
    kept the types, a panic and an unrelated exception; it lets ChargekitErrors through."""
    assert verdict(ValueError("bare"), False) and verdict(ValueError("bare"), True)
    assert verdict(TypeError("x"), False) and verdict(TypeError("x"), True) is None
    assert verdict(UnicodeEncodeError("utf-8", "\ud800", 0, 1, "surrogates not allowed"), False)
    assert verdict(chargekit.InternalError("internal error in chargekit: boom", reason="boom"), False)
    assert verdict(KeyError("k"), True) and verdict(BaseException("PanicException"), True)
    assert verdict(chargekit.InvalidJsonError("bad", line=1), False) is None


def test_a_bare_value_error_fails_the_run():
    """The harness reports an entry point that raises ValueError on some mutated input, with
    its input, and lets a TypeError pass only where a mutation changed a type."""
    e = ENTRIES["_control.picky"]
    results = [attempt(e, i, set()) for i in range(-1, 60)]
    fails = [f for _, f in results if f]
    assert fails and all(f["entry"] == e.name and f["input"] for f in fails)
    assert all(f["why"].startswith("ValueError is not a ChargekitError") for f in fails)
    assert any(not f["type_changed"] for f in fails)
    assert any(f is None for _, f in results[1:])  # type-changed inputs raised TypeError: allowed


def test_a_crash_and_a_hang_are_reported():
    """A worker that dies or stops answering is a failure naming the call, and the entry
    points after it still run."""
    failures, _, counts = run_group(["_control.crash", "_control.hang", "_control.fine"], time.time() + 3, hang_s=1.5)
    assert [(f["entry"], f["why"].split(":")[0]) for f in failures] == [("_control.crash", "crash"), ("_control.hang", "hang")]
    assert "SIGSEGV" in failures[0]["why"] and failures[0]["index"] >= 0
    assert counts["_control.fine"][0] >= 1


def test_every_public_entry_point_is_in_the_table():
    """Each public callable of the installed package (each module's ``__all__``, the public
    methods of its classes, the console script) has an entry in the table, is a method
    without parameters (called on every result), or is skipped for a reason above."""
    known = {"ocpp.Fleet.feed": "method", "ocpp.Fleet.snapshot": "noarg", "Session.price": "method",
             "ChargekitError": "constructor", "analytics.Record.get": "method", "__main__.main": "function"}
    assert {k: api()[k][0] for k in known if k in api()} == known  # the enumeration sees each kind of name
    missing = [k for k, (what, _) in api().items() if k not in ENTRIES and k not in SKIP and what != "noarg"]
    assert not missing, f"no mutation entry for: {missing}"
    stale = [k for k in ENTRIES if not k.startswith("_control") and k not in api()]
    assert not stale, f"table entries that are not public: {stale}"
    for key in SKIP:
        what, obj = api()[key]
        if key in NO_CONSTRUCTOR:
            with pytest.raises(TypeError, match="cannot create"):
                obj()
        else:
            assert what == "constant" or SKIP[key].startswith("engine:"), key
    assert len(ENTRIES) > 60 and {e.group for e in ENTRIES.values()} >= set(GROUPS)


@pytest.mark.parametrize("group", GROUPS)
def test_mutated_inputs(group):
    """Every entry point of the group, for its share of the minute: a result or a
    ChargekitError (or TypeError for a changed type), nothing else."""
    names = [e.name for e in ENTRIES.values() if e.group == group]
    failures, exercised, counts = run_group(names, group_deadline(group))
    RUNS[group] = exercised
    assert set(counts) == set(names), f"entry points that never ran: {sorted(set(names) - set(counts))}"
    if failures:
        pytest.fail(report(failures, counts), pytrace=False)


def test_methods_without_parameters_were_called_on_results():
    """The methods that take nothing (``to_json()``, ``snapshot()``, ...) are covered by
    reading results: each was called on some result during the run."""
    if set(RUNS) != set(GROUPS):
        pytest.skip("needs every group of test_mutated_inputs in the same run")
    noarg = {k for k, (what, _) in api().items() if what == "noarg"} - set(ENTRIES) - NOT_ON_RESULTS
    assert not noarg - set().union(*RUNS.values()), f"never called: {sorted(noarg - set().union(*RUNS.values()))}"


def repro(name: str, i: int) -> None:
    """Rebuilds input ``i`` of an entry point and calls it here, with the traceback."""
    e = ENTRIES[name]
    case = build(e, i)
    if case is None:
        sys.exit(f"mutation {i} of {name} does not apply to its seed")
    print(f"{name} #{i}: {'; '.join(case.mutations) or 'the seed'} (type changed: {case.type_changed})")
    print("input:", short((case.args, case.kwargs)))
    try:
        result = e.call(*case.args, **case.kwargs)
        exercise(result, set(), [])
    except BaseException as exc:
        import traceback

        traceback.print_exc()
        print("verdict:", verdict(exc, case.type_changed) or "allowed")
    else:
        print("result:", short(result))


if __name__ == "__main__":
    if sys.argv[1:2] == ["--worker"]:
        worker(float(sys.argv[2]), sys.argv[3], sys.argv[4:])
    elif sys.argv[1:2] == ["--repro"]:
        repro(sys.argv[2], int(sys.argv[3]))
    else:
        sys.exit("usage: test_mutation.py --repro ENTRY INDEX")
