#!/usr/bin/env bash
# Kotlin: generate the bindings, compile them with the test program bindings-mobile/tests/kotlin/*.kt
# (Main.kt and one file of checks per area; kotlinc -Werror), and run the checks on the JVM with JNA
# against the freshly built library, on examples/data and core/tests/vectors.
# Needs: a JDK, the Kotlin compiler in $KOTLIN_HOME (default .tools/kotlin-compiler, installed
# by scripts/setup.sh) and JNA ($JNA_JAR, default Debian libjna-java's jar).
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
KOTLIN_HOME="${KOTLIN_HOME:-$ROOT/.tools/kotlin-compiler}"
JNA_JAR="${JNA_JAR:-/usr/share/java/jna.jar}"
TARGET_DIR="${CARGO_TARGET_DIR:-$ROOT/target}"
LIB_DIR="$TARGET_DIR/debug"
GEN=("$TARGET_DIR/bindings/io/chargekit/core/chargekit.kt" "$TARGET_DIR/bindings/io/chargekit/chargekit_mobile.kt")
TESTS=("$ROOT"/bindings-mobile/tests/kotlin/*.kt)
WORK="$TARGET_DIR/kotlin-test"
KOTLINC="$KOTLIN_HOME/bin/kotlinc-jvm"
STDLIB="$KOTLIN_HOME/lib/kotlin-stdlib.jar"

[ -x "$KOTLINC" ] || { echo "test-kotlin: no Kotlin compiler at $KOTLIN_HOME (run scripts/setup.sh or set KOTLIN_HOME)" >&2; exit 1; }
[ -f "$JNA_JAR" ] || { echo "test-kotlin: no JNA jar at $JNA_JAR (apt-get install libjna-java or set JNA_JAR)" >&2; exit 1; }
command -v java >/dev/null || { echo "test-kotlin: no java on PATH" >&2; exit 1; }

scripts/gen-mobile-bindings.sh
mkdir -p "$WORK"

# kotlinc takes ~40 s for the generated file and ~20 s for the test program on two cores, so each jar is
# rebuilt only when its inputs (by content) or the compiler changed.
compiler_id=$("$KOTLINC" -version 2>&1 | tail -n 1)
bindings_key=$( { echo "$compiler_id"; cat "${GEN[@]}"; } | sha256sum | cut -d' ' -f1)
main_key=$( { echo "$bindings_key"; for f in "${TESTS[@]}"; do echo "$f"; cat "$f"; done; } | sha256sum | cut -d' ' -f1)

if [ "$(cat "$WORK/bindings.key" 2>/dev/null)" != "$bindings_key" ] || [ ! -f "$WORK/bindings.jar" ]; then
  echo "test-kotlin: compiling the generated bindings"
  rm -f "$WORK/bindings.jar" "$WORK/bindings.key"
  "$KOTLINC" -Werror -cp "$JNA_JAR" "${GEN[@]}" -d "$WORK/bindings.jar"
  echo "$bindings_key" > "$WORK/bindings.key"
fi
if [ "$(cat "$WORK/main.key" 2>/dev/null)" != "$main_key" ] || [ ! -f "$WORK/main.jar" ]; then
  echo "test-kotlin: compiling the test program (${#TESTS[@]} files)"
  rm -f "$WORK/main.jar" "$WORK/main.key"
  "$KOTLINC" -Werror -cp "$JNA_JAR:$WORK/bindings.jar" "${TESTS[@]}" -d "$WORK/main.jar"
  echo "$main_key" > "$WORK/main.key"
fi

status=0
# One check feeds values that make core panic; keep its (caught) panic report short.
RUST_BACKTRACE=0 java -Djna.library.path="$LIB_DIR" \
  -cp "$WORK/main.jar:$WORK/bindings.jar:$STDLIB:$JNA_JAR" \
  MainKt "$ROOT/examples/data" "$ROOT/core/tests/vectors" | tee "$WORK/output.txt" || status=$?

last=$(tail -n 1 "$WORK/output.txt")
if [ "$status" -ne 0 ] || ! [[ "$last" =~ ^[0-9]+\ passed,\ 0\ failed$ ]] || [[ "$last" =~ ^0\  ]]; then
  echo "test-kotlin: FAILED (exit status $status, last line: $last)" >&2
  exit 1
fi
