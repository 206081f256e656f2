#!/usr/bin/env bash
# Runs every test of chargekit: formatting, lints, Rust unit/integration/property/doc tests,
# the Python wheel with pytest, the Kotlin test program on the JVM, and the Swift checks.
# Installs what it needs first (scripts/setup.sh).
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
export KOTLIN_HOME="${KOTLIN_HOME:-$ROOT/.tools/kotlin-compiler}"
export PATH="$ROOT/target/pyenv/bin:$PATH"

step() { printf '\n=== %s ===\n' "$*"; }

step setup
scripts/setup.sh

step "no arbitrary-precision JSON features in any chargekit build"
# Cargo unifies features across an application's build: were chargekit (or a crate of this
# workspace) to enable serde_json's `arbitrary_precision` or rust_decimal's
# `serde-arbitrary-precision`, other crates of the application would read JSON numbers as
# maps. chargekit reads numbers exactly from their text instead (core/src/json/number.rs).
scripts/check-json-features.sh

step "cargo fmt --check"
cargo fmt --all --check

step "cargo clippy -D warnings"
cargo clippy --workspace --all-targets -- -D warnings

step "cargo test"
cargo test --workspace

step "cargo test: OCMF on the pure-Rust curves alone (feature aws-lc off)"
# The default build checks P-256/P-384 with AWS-LC first; verdicts must not depend on it.
cargo test -p chargekit --no-default-features --features ocmf,csv-import --lib \
    --test ocmf_vectors --test ocmf_properties --test ocmf_sessions --test ocmf_crate_vectors

step "one build with ocpi-kit (plain JSON numbers)"
# chargekit beside a crate that reads JSON numbers with plain serde_json (issue 16 item 4),
# and the ocpi_kit preset against ocpi-kit (item 5). ocpi-kit 0.4 needs rustc >= 1.96, so this
# separate workspace builds with nightly, into its own target dir (no churn of the main one).
if cargo +nightly --version >/dev/null 2>&1; then
    CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$ROOT/target}/peers-ocpi-kit" \
        cargo +nightly test --manifest-path benches/peers-ocpi-kit/Cargo.toml
else
    echo "SKIPPED: no nightly toolchain (rustc >= 1.96) installed; benches/peers-ocpi-kit not tested"
fi

step "python: wheel + pytest"
scripts/test-python.sh

step "python: the musllinux_1_2 wheel builds and carries its tag"
scripts/check-musl-wheel.sh

step "kotlin: test program on the JVM"
scripts/test-kotlin.sh

step "swift: generated bindings checks"
scripts/check-swift.sh

step "error parity: the core's error table in Python, Kotlin and Swift"
python scripts/check_error_parity.py "${CARGO_TARGET_DIR:-$ROOT/target}/bindings"

step "all tests passed"
