#!/usr/bin/env bash
# Builds the musllinux_1_2 release wheel (Alpine and other musl hosts, e.g. slim engine
# images) through zig and checks its platform tag and what it links. The manylinux2014 wheel
# is built, installed into a fresh venv and tested by scripts/test-python.sh; this machine
# has no musl Python to install this one into, so its check is the tag and the libc it links.
# Run from the repository root after scripts/test-python.sh (it uses that venv's tools).
set -euo pipefail
root="$(pwd)"
venv="$root/target/pyenv"
out="$root/target/wheels-musl"
target=x86_64-unknown-linux-musl
[[ "$(uname -m)" == x86_64 ]] || { echo "check-musl-wheel: x86_64 only, skipped on $(uname -m)"; exit 0; }

rustup target list --installed | grep -qx "$target" || rustup target add "$target"
rm -rf "$out"
start=$(date +%s)
PATH="$venv/bin:$PATH" "$venv/bin/maturin" build --release --zig --target "$target" \
    --compatibility musllinux_1_2 -m bindings-python/Cargo.toml -o "$out" --interpreter "$venv/bin/python"
echo "== musllinux wheel built in $(( $(date +%s) - start )) s"

shopt -s nullglob
built=("$out"/chargekit-*-cp39-abi3-musllinux_1_2_x86_64.whl)
shopt -u nullglob
if [[ ${#built[@]} -ne 1 ]]; then
    echo "error: expected one cp39-abi3 musllinux_1_2 wheel in $out" >&2
    ls -l "$out" >&2 || true
    exit 1
fi
# auditwheel cannot judge a musl wheel on a glibc host (it resolves the extension's
# `libc.so` to glibc's linker script), so the checks are direct: the wheel's tag, and an
# extension that needs nothing but musl's libc, with no glibc symbol versions.
"$venv/bin/python" -m zipfile -e "${built[0]}" "$out/unpacked"
grep -qx 'Tag: cp39-abi3-musllinux_1_2_x86_64' "$out"/unpacked/chargekit-*.dist-info/WHEEL ||
    { echo "error: the WHEEL file does not carry the musllinux_1_2 tag" >&2; exit 1; }
so=("$out"/unpacked/chargekit/*.so)
needed=$(readelf -d "${so[0]}" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p' | tr '\n' ' ')
echo "== ${so[0]##*/} needs: $needed"
if [[ "$needed" != "libc.so " ]]; then
    echo "error: the extension needs more than musl's libc: $needed" >&2
    exit 1
fi
if readelf -V "${so[0]}" | grep -q 'GLIBC_'; then
    echo "error: the extension uses glibc symbol versions" >&2
    exit 1
fi
echo "== ${built[0]##*/}: musllinux_1_2, musl's libc only"
