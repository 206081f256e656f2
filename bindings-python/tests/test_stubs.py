"""The package's type information agrees with the installed module, name for name:

- ``_errors.pyi`` is generated from the core's error table (``_errors.stub_text()``);
- ``__init__.pyi`` names exactly ``chargekit.__all__``;
- ``_chargekit.pyi`` declares every public name of the native module and nothing else,
  every function with the runtime's parameters, every class with its methods and, for the
  classes whose fields come from the core value, exactly those fields;
- every record class (``chargekit._records.RECORDS``) is annotated with exactly the fields
  its data has (a property stands for a field it renames or reshapes);
- the field values of those instances and records have their annotated types (a record
  is not a ``Dict``).

Instances come from ``api_tour.tour()``, which calls every public entry point once.
"""

import ast
import collections.abc
import importlib
import inspect
import typing
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any, Dict, List, Set, Union

import pytest

import chargekit
from chargekit import _chargekit, _errors, _records

from api_tour import tour

PKG = Path(chargekit.__file__).resolve().parent


def parse(name: str) -> ast.Module:
    return ast.parse((PKG / name).read_text(encoding="utf-8"))


def top_level(tree: ast.Module) -> Dict[str, ast.AST]:
    out: Dict[str, ast.AST] = {}
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.ClassDef)):
            out[node.name] = node
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            out[node.target.id] = node
        elif isinstance(node, ast.Assign):
            for t in node.targets:
                if isinstance(t, ast.Name):
                    out[t.id] = node
    return out


def stub_params(fn: ast.FunctionDef) -> List[str]:
    a = fn.args
    names = [x.arg for x in a.posonlyargs + a.args]
    names += [f"*{a.vararg.arg}"] if a.vararg else []
    names += [x.arg for x in a.kwonlyargs]
    names += [f"**{a.kwarg.arg}"] if a.kwarg else []
    return [n for n in names if n not in ("self", "cls")]


def runtime_params(obj) -> List[str]:
    out = []
    for p in inspect.signature(obj).parameters.values():
        if p.name in ("self", "cls", "$self", "$cls"):
            continue
        prefix = {p.VAR_POSITIONAL: "*", p.VAR_KEYWORD: "**"}.get(p.kind, "")
        out.append(prefix + p.name)
    return out


@pytest.fixture(scope="module")
def samples():
    return tour()


def walk(value, seen: Dict[type, list], depth: int = 0) -> None:
    """Every record reachable from ``value``, by class."""
    if depth > 12:
        return
    if isinstance(value, _records.Record):
        seen.setdefault(type(value), []).append(value)
        for v in value._data.values():
            walk(v, seen, depth + 1)
    elif isinstance(value, dict):
        for v in value.values():
            walk(v, seen, depth + 1)
    elif isinstance(value, (list, tuple)):
        for v in value:
            walk(v, seen, depth + 1)
    elif type(value).__module__.startswith("chargekit"):
        for name in getattr(value, "__dir__", lambda: [])():
            if name.startswith("_") or name in ("readings",):
                continue
            try:
                attr = getattr(value, name)
            except Exception:  # noqa: BLE001 - a method needing arguments, a missing VAT total
                continue
            if not callable(attr):
                walk(attr, seen, depth + 1)


def test_error_stub_is_generated_from_the_table():
    assert (PKG / "_errors.pyi").read_text(encoding="utf-8") == _errors.stub_text(), (
        "chargekit/_errors.pyi is stale: run scripts/gen-python-stubs.py"
    )


def test_package_stub_names_the_public_api():
    tree = parse("__init__.pyi")
    names: Set[str] = set()
    for node in tree.body:
        if isinstance(node, ast.ImportFrom):
            for alias in node.names:
                if alias.name == "*":
                    names |= set(_errors.__all__) if node.module == "_errors" else set()
                else:
                    names.add(alias.asname or alias.name)
    names |= {n for n in top_level(tree) if n != "__all__"}
    assert names == set(chargekit.__all__), f"missing: {set(chargekit.__all__) - names}; stale: {names - set(chargekit.__all__)}"


def test_native_stub_declares_every_public_name():
    declared = {n for n in top_level(parse("_chargekit.pyi")) if not n.startswith("_") or n == "__version__"}
    public = {n for n in dir(_chargekit) if not n.startswith("_")} | {"__version__"}
    assert declared == public, f"missing: {public - declared}; stale: {declared - public}"


def test_native_functions_have_the_stub_parameters():
    for name, node in top_level(parse("_chargekit.pyi")).items():
        if isinstance(node, ast.FunctionDef):
            assert stub_params(node) == runtime_params(getattr(_chargekit, name)), name


def class_members(node: ast.ClassDef):
    methods, attrs = {}, set()
    for item in node.body:
        if isinstance(item, ast.FunctionDef):
            methods[item.name] = item
        elif isinstance(item, ast.AnnAssign) and isinstance(item.target, ast.Name):
            attrs.add(item.target.id)
    return methods, attrs


def test_native_classes_have_the_stub_methods_and_fields(samples):
    instances: Dict[type, object] = {}
    for value in samples.values():
        for v in value if isinstance(value, list) else [value]:
            if type(v).__module__.startswith("chargekit") and not isinstance(v, _records.Record):
                instances.setdefault(type(v), v)
    for name, node in top_level(parse("_chargekit.pyi")).items():
        if not isinstance(node, ast.ClassDef):
            continue
        cls = getattr(_chargekit, name)
        methods, attrs = class_members(node)
        runtime = {n for n, v in vars(cls).items() if not n.startswith("_")}
        stubbed = {n for n in methods if not n.startswith("_")} | attrs
        instance = instances.get(cls)
        assert instance is not None, f"api_tour.tour() makes no {name}"
        fields = set(dir(instance)) - set(dir(cls)) - {"__dict__"}
        assert stubbed == runtime | fields, f"{name}: missing {runtime | fields - stubbed}, stale {stubbed - runtime - fields}"
        for m, fn in methods.items():
            if m.startswith("_") and m != "__init__":
                continue
            target = cls if m == "__init__" else getattr(cls, m)
            if callable(target) and not isinstance(inspect.getattr_static(cls, m, None), property):
                try:
                    params = runtime_params(target)
                except (TypeError, ValueError):
                    continue  # a getter
                assert stub_params(fn) == params, f"{name}.{m}"


def test_record_classes_are_annotated_with_their_fields(samples):
    seen: Dict[type, list] = {}
    walk(list(samples.values()), seen)
    for rust_name, cls in _records.RECORDS.items():
        assert cls in seen, f"api_tour.tour() returns no {cls.__name__} (core {rust_name})"
        annotated: Set[str] = set()
        properties: Set[str] = set()
        for klass in cls.__mro__:
            if klass in (_records.Record, object):
                continue
            annotated |= set(getattr(klass, "__annotations__", {}))
            properties |= {n for n, v in vars(klass).items() if isinstance(v, property)}
        data = set().union(*(set(r._data) for r in seen[cls]))
        if "__getattr__" in vars(cls):
            # A record of an enum's variants: the fields other variants have read as None.
            data |= annotated
        assert annotated == data - properties, (
            f"{cls.__module__}.{cls.__name__}: not annotated {sorted(data - properties - annotated)}, "
            f"annotated but absent {sorted(annotated - data)}"
        )


def conforms(value, hint) -> bool:
    """True when ``value`` has the annotated type (the forms the stubs use; a record is not
    a dict, and an unknown form passes)."""
    if hint is Any:
        return True
    if hint is type(None):
        return value is None
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if origin is Union:
        return any(conforms(value, a) for a in args)
    if origin is list:
        return isinstance(value, list) and all(conforms(v, args[0]) for v in value[:50]) if args else isinstance(value, list)
    if origin is tuple:
        if not isinstance(value, tuple):
            return False
        if len(args) == 2 and args[1] is Ellipsis:
            return all(conforms(v, args[0]) for v in value)
        return len(args) == len(value) and all(conforms(v, a) for v, a in zip(value, args))
    if origin in (dict, collections.abc.Mapping):
        return isinstance(value, dict)
    if isinstance(hint, type):
        return isinstance(value, hint)
    return True


def stub_namespace(tree: ast.Module) -> Dict[str, object]:
    """The names an annotation of ``_chargekit.pyi`` may use, resolved at runtime."""
    ns: Dict[str, object] = {**vars(typing), "datetime": datetime, "Decimal": Decimal}
    for node in tree.body:
        if isinstance(node, ast.ImportFrom) and node.level == 1:
            module = importlib.import_module(f"chargekit.{node.module}")
            for alias in node.names:
                ns[alias.asname or alias.name] = getattr(module, alias.name)
        elif isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
            try:
                ns[node.targets[0].id] = eval(ast.unparse(node.value), ns)  # noqa: S307 - our own stub
            except Exception:  # noqa: BLE001 - a TypeVar or alias the fields do not use
                pass
    return ns


def test_field_values_have_their_annotated_types(samples):
    bad = []
    tree = parse("_chargekit.pyi")
    ns = stub_namespace(tree)
    instances: Dict[type, list] = {}
    for value in samples.values():
        for v in value if isinstance(value, list) else [value]:
            if type(v).__module__.startswith("chargekit") and not isinstance(v, _records.Record):
                instances.setdefault(type(v), []).append(v)
    for name, node in top_level(tree).items():
        if not isinstance(node, ast.ClassDef):
            continue
        for item in node.body:
            if isinstance(item, ast.AnnAssign) and isinstance(item.target, ast.Name):
                hint = eval(ast.unparse(item.annotation), ns)  # noqa: S307 - our own stub
                for obj in instances.get(getattr(_chargekit, name), []):
                    value = getattr(obj, item.target.id)
                    if not conforms(value, hint):
                        bad.append(f"{name}.{item.target.id}: {type(value).__name__} is not {ast.unparse(item.annotation)}")
    seen: Dict[type, list] = {}
    walk(list(samples.values()), seen)
    # Names a record module may import for type checkers only.
    local = {**vars(typing), "datetime": datetime, "Decimal": Decimal, "Record": _records.Record}
    local.update({c.__name__: c for c in _records.RECORDS.values()})
    for cls, records in seen.items():
        if cls is _records.Record:
            continue
        for field, hint in typing.get_type_hints(cls, localns=local).items():
            for r in records:
                value = getattr(r, field)
                if not conforms(value, hint):
                    bad.append(f"{cls.__module__}.{cls.__name__}.{field}: {type(value).__name__} is not {hint}")
    assert not bad, "\n".join(sorted(set(bad)))
