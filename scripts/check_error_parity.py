#!/usr/bin/env python3
"""Error parity: every error kind of the core's table exists, with the same fields, in
Python, Kotlin and Swift.

The expected list comes from the core itself: `chargekit::Error::KINDS`, read through the
installed wheel's native module (`chargekit._chargekit.error_table()` returns the Rust
constants as they are). It is then checked against
  - Python: the exception classes (`chargekit.<Kind>Error`, under their group class, with
    `kind` and the fields as attributes, surviving pickle);
  - Kotlin: `sealed class ChargekitException` in the generated io/chargekit/core/chargekit.kt;
  - Swift: `enum ChargekitError` in the generated ChargeKitCore.swift;
field names (camelCase in Kotlin and Swift), order, type family and optionality.

Usage: check_error_parity.py GENERATED_DIR   (run by scripts/test-all.sh after the bindings
are generated and the wheel is installed). Exits non-zero with a list of differences.
"""

import pickle
import re
import sys
from pathlib import Path

import chargekit
from chargekit import _chargekit

# The foreign type names each field type may have.
KOTLIN_TYPES = {
    "text": {"kotlin.String"},
    "integer": {"kotlin.ULong", "kotlin.UInt", "kotlin.UByte", "kotlin.Long", "kotlin.Int"},
    "decimal": {"ExactDecimal"},
    "instant": {"UtcInstant"},
}
SWIFT_TYPES = {
    "text": {"String"},
    "integer": {"UInt64", "UInt32", "UInt8", "Int64", "Int32"},
    "decimal": {"ExactDecimal"},
    "instant": {"UtcInstant"},
}
SAMPLES = {"text": "x", "integer": 7, "decimal": None, "instant": None}


def camel(snake: str) -> str:
    head, *rest = snake.split("_")
    return head + "".join(w[:1].upper() + w[1:] for w in rest)


def block(text: str, opening: str) -> str:
    """The text between the brace after `opening` and its matching brace."""
    start = text.index(opening)
    i = text.index("{", start)
    depth = 0
    for j in range(i, len(text)):
        if text[j] == "{":
            depth += 1
        elif text[j] == "}":
            depth -= 1
            if depth == 0:
                return text[i + 1 : j]
    raise ValueError(f"unbalanced braces after {opening!r}")


def strip_comments(text: str) -> str:
    return re.sub(r"/\*.*?\*/", "", re.sub(r"//[^\n]*", "", text), flags=re.S)


def kotlin_cases(path: Path) -> dict:
    body = strip_comments(block(path.read_text(encoding="utf-8"), "sealed class ChargekitException"))
    cases = {}
    for m in re.finditer(r"\bclass (\w+)\((.*?)\)\s*:\s*ChargekitException\(\)", body, re.S):
        fields = re.findall(r"val `?(\w+)`?\s*:\s*([\w.]+\??)", m.group(2))
        cases[m.group(1)] = fields
    return cases


def swift_cases(path: Path) -> dict:
    text = path.read_text(encoding="utf-8")
    body = strip_comments(block(text, "enum ChargekitError"))
    cases = {}
    for m in re.finditer(r"\bcase (\w+)(?:\((.*?)\))?\s*(?=\bcase\b|\bpublic\b|$)", body, re.S):
        fields = re.findall(r"(\w+)\s*:\s*([\w.]+\??)", m.group(2) or "")
        cases[m.group(1)] = fields
    return cases


def compare_foreign(lang: str, cases: dict, kinds: list, types: dict, problems: list) -> None:
    expected_names = set()
    for k in kinds:
        variant = "".join(w[:1].upper() + w[1:] for w in k["name"].split("_"))
        expected_names.add(variant)
        if variant not in cases:
            problems.append(f"{lang}: no case {variant} for kind {k['name']}")
            continue
        got = cases[variant]
        want = [(camel(f["name"]), f) for f in k["fields"]]
        if [g[0] for g in got] != [w[0] for w in want]:
            problems.append(f"{lang}: {variant} has fields {[g[0] for g in got]}, the table {[w[0] for w in want]}")
            continue
        for (name, ty), (_, f) in zip(got, want):
            optional = ty.endswith("?")
            base = ty.rstrip("?")
            if optional != f["optional"]:
                problems.append(f"{lang}: {variant}.{name} optional={optional}, the table optional={f['optional']}")
            if base not in types[f["ty"]]:
                problems.append(f"{lang}: {variant}.{name} is {base}, the table says {f['ty']}")
    for extra in sorted(set(cases) - expected_names):
        problems.append(f"{lang}: case {extra} is not in the core table")


def check_python(groups: list, kinds: list, problems: list) -> None:
    group_class = {g["name"]: getattr(chargekit, g["python_class"], None) for g in groups}
    for name, cls in group_class.items():
        if cls is None or not issubclass(cls, chargekit.ChargekitError):
            problems.append(f"python: group {name} has no class under ChargekitError")
    for k in kinds:
        cls = getattr(chargekit, k["python_class"], None)
        if cls is None:
            problems.append(f"python: no class {k['python_class']} for kind {k['name']}")
            continue
        parent = group_class.get(k["group"])
        if parent is not None and cls.__bases__ != (parent,):
            problems.append(f"python: {cls.__name__} derives from {cls.__bases__}, not {parent.__name__}")
        if cls.kind != k["name"]:
            problems.append(f"python: {cls.__name__}.kind is {cls.kind!r}, not {k['name']!r}")
        names = [f["name"] for f in k["fields"]]
        if list(cls._fields) != names:
            problems.append(f"python: {cls.__name__} fields {list(cls._fields)}, the table {names}")
        values = {f["name"]: SAMPLES[f["ty"]] for f in k["fields"]}
        err = pickle.loads(pickle.dumps(cls("message", **values)))
        if str(err) != "message" or any(getattr(err, n) != v for n, v in values.items()):
            problems.append(f"python: {cls.__name__} loses its message or fields through pickle")


def main(argv: list) -> None:
    if len(argv) != 1:
        sys.exit(__doc__)
    gen = Path(argv[0])
    groups, kinds = _chargekit.error_table()
    problems: list = []
    check_python(groups, kinds, problems)
    kotlin = kotlin_cases(gen / "io" / "chargekit" / "core" / "chargekit.kt")
    swift = swift_cases(gen / "ChargeKitCore.swift")
    compare_foreign("kotlin", kotlin, kinds, KOTLIN_TYPES, problems)
    compare_foreign("swift", swift, kinds, SWIFT_TYPES, problems)
    # Negative control: a renamed field and a missing case must be reported.
    control: list = []
    tampered = {k: list(v) for k, v in kotlin.items()}
    tampered["InvalidPayload"][0] = ("verb", tampered["InvalidPayload"][0][1])
    del tampered["NoPeriods"]
    compare_foreign("control", tampered, kinds, KOTLIN_TYPES, control)
    if len(control) != 2:
        problems.append(f"negative control: a tampered Kotlin file gave {control}, not two differences")
    fields = sum(len(k["fields"]) for k in kinds)
    if problems:
        print(f"error parity: {len(problems)} differences from the core table ({len(kinds)} kinds)")
        for p in problems:
            print("  " + p)
        sys.exit(1)
    print(f"error parity: {len(kinds)} kinds in {len(groups)} groups, {fields} fields, "
          "identical in Python, Kotlin and Swift")


if __name__ == "__main__":
    main(sys.argv[1:])
