#!/usr/bin/env bash
# Builds the mobile binding library (cdylib + staticlib) and the in-workspace uniffi-bindgen
# in one cargo invocation, then generates the Kotlin and Swift sources in library mode into
# target/bindings/. Used by scripts/test-kotlin.sh and scripts/check-swift.sh; cheap when
# nothing changed (cargo no-op, generation under a second).
#
# Two UniFFI components come out of the one library: the core's records, enums and error
# (crate `chargekit`, Kotlin package io.chargekit.core, ChargeKitCore.swift) and the binding's
# objects and functions (crate `chargekit-mobile`, package io.chargekit, ChargeKit.swift).
# Both Swift files belong in one Swift module; both headers form the one C module
# ChargeKitFFI, whose modulemap is written here.
#
# Debug profile on purpose: a release build of uniffi-bindgen (askama templates, goblin,
# clap, ...) costs minutes more on two cores, and the tests run in seconds either way.
# Building the library and the bindgen together shares one feature set, so the library is
# compiled once.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
TARGET_DIR="${CARGO_TARGET_DIR:-$ROOT/target}"
LIB_DIR="$TARGET_DIR/debug"
OUT="$TARGET_DIR/bindings"

cargo build --quiet -p chargekit-mobile --features cli --lib --bin uniffi-bindgen

rm -rf "$OUT"
"$LIB_DIR/uniffi-bindgen" generate --no-format "$LIB_DIR/libchargekit_mobile.so" \
  -l kotlin -l swift -o "$OUT" >/dev/null

cat > "$OUT/ChargeKitFFI.modulemap" <<'MAP'
module ChargeKitFFI {
    header "ChargeKitCoreFFI.h"
    header "ChargeKitFFI.h"
    export *
}
MAP

for f in io/chargekit/chargekit_mobile.kt io/chargekit/core/chargekit.kt ChargeKit.swift ChargeKitCore.swift \
         ChargeKitFFI.h ChargeKitCoreFFI.h ChargeKitFFI.modulemap; do
  [ -s "$OUT/$f" ] || { echo "gen-mobile-bindings: $OUT/$f was not generated" >&2; exit 1; }
done
echo "gen-mobile-bindings: $OUT (library $LIB_DIR/libchargekit_mobile.so)"
