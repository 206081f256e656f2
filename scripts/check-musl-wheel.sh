#!/usr/bin/env bash
# Builds the musllinux_1_2 release wheel (Alpine and other musl hosts, e.g. slim engine
# images) through zig and checks its platform tag with auditwheel. The manylinux2014 wheel
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
"$venv/bin/auditwheel" show "${built[0]}" | tee "$out/auditwheel.txt"
grep -q '"musllinux_1_2_x86_64"' "$out/auditwheel.txt" ||
    { echo "error: auditwheel does not see a musllinux_1_2 wheel" >&2; exit 1; }
# The extension must need musl's loader, not glibc's.
"$venv/bin/python" -m zipfile -e "${built[0]}" "$out/unpacked"
so=("$out"/unpacked/chargekit/*.so)
if readelf -d "${so[0]}" | grep -q 'libc.so.6'; then
    echo "error: ${so[0]##*/} links glibc" >&2
    exit 1
fi
echo "== ${built[0]##*/}: musllinux_1_2, no glibc"
