#!/usr/bin/env bash
# Fails when a build of this workspace (or of the fuzz crate, its own workspace) enables
# serde_json's `arbitrary_precision` or rust_decimal's `serde-arbitrary-precision` /
# `serde-with-arbitrary-precision`: cargo unifies features across an application, so such a
# feature would change how every other crate of a user's application reads JSON numbers.
# (benches/peers is left out on purpose: its peer ocpi-tariffs enables it, see its Cargo.toml.)
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
found=0
for manifest in Cargo.toml core/fuzz/Cargo.toml; do
    tree=$(cargo tree -e features --workspace --all-features --manifest-path "$manifest")
    if grep -E 'arbitrary_precision|arbitrary-precision' <<<"$tree"; then
        echo "error: $manifest: a build enables an arbitrary-precision JSON feature (see above)" >&2
        found=1
    fi
done
exit "$found"
