#!/usr/bin/env bash
# Swift: static checks of the generated bindings (no Swift compiler is available here).
#  1. the FFI header compiles with clang -Wall -Wextra -Werror, as C and as Objective-C;
#  2. the generated modulemap loads as a clang module and exposes the FFI;
#  3. every function the header declares is exported by the .so and defined in the .a,
#     and every uniffi symbol the .so exports is declared in the header;
#  4. a C program, linked against the .so and statically against the .a, compares every
#     API checksum and the contract version embedded in the Swift files with what the
#     library returns (the check the Swift bindings run when they load), plus a negative
#     control: a tampered checksum must be caught;
#  5. ChargeKit.swift and ChargeKitCore.swift parse with tree-sitter-swift without ERROR nodes
#     (on both sides of their #if blocks), a stray brace is caught, and the expected public
#     API is declared.
# The two Swift files (the binding's objects and functions; the core's records, enums and
# error) form one Swift module; their two headers form the one C module ChargeKitFFI.
# Type checking and runtime behaviour of the Swift code stay untested; see bindings-mobile/README.md.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
TARGET_DIR="${CARGO_TARGET_DIR:-$ROOT/target}"
LIB_DIR="$TARGET_DIR/debug"
GEN="$TARGET_DIR/bindings"
WORK="$TARGET_DIR/swift-check"
CHECKS="$ROOT/bindings-mobile/tests/swift/swift_checks.py"
SO="$LIB_DIR/libchargekit_mobile.so"
STATIC="$LIB_DIR/libchargekit_mobile.a"
CC="${CC_FOR_CHECKS:-clang}"
if [ -z "${PYTHON:-}" ]; then
  if [ -x "$TARGET_DIR/pyenv/bin/python" ]; then PYTHON="$TARGET_DIR/pyenv/bin/python"; else PYTHON=python3; fi
fi

command -v "$CC" >/dev/null || { echo "check-swift: $CC not found (apt-get install clang)" >&2; exit 1; }
"$PYTHON" -c 'import tree_sitter, tree_sitter_swift' 2>/dev/null ||
  { echo "check-swift: $PYTHON lacks tree-sitter / tree-sitter-swift (run scripts/setup.sh)" >&2; exit 1; }

scripts/gen-mobile-bindings.sh
rm -rf "$WORK"
mkdir -p "$WORK/module"
SWIFT_FILES="$GEN/ChargeKit.swift,$GEN/ChargeKitCore.swift"
for h in ChargeKitFFI.h ChargeKitCoreFFI.h; do
  cp "$GEN/$h" "$WORK/"
  cp "$GEN/$h" "$WORK/module/"
done
cp "$GEN/ChargeKitFFI.modulemap" "$WORK/module/module.modulemap"
printf '#include "ChargeKitCoreFFI.h"\n#include "ChargeKitFFI.h"\n' > "$WORK/all.h"

passed=0
failed=0
# Each check runs in a condition context, where `set -e` does not apply: the check
# functions below end every step with `|| return 1`.
run() {
  local name=$1
  shift
  if out=$("$@" 2>&1); then
    passed=$((passed + 1))
    echo "ok   $name"
  else
    failed=$((failed + 1))
    echo "FAIL $name"
    printf '%s\n' "$out" | head -n 30 | sed 's/^/     /'
  fi
}

CFLAGS=(-Wall -Wextra -Werror -I "$WORK")

header_compiles() {
  # Included twice to exercise the include guards.
  printf '#include "all.h"\n#include "all.h"\nint main(void) { return 0; }\n' > "$WORK/header.c"
  "$CC" "${CFLAGS[@]}" -std=c11 -fsyntax-only "$WORK/header.c" || return 1
  "$CC" "${CFLAGS[@]}" -x objective-c -fsyntax-only "$WORK/header.c"
}

module_loads() {
  cat > "$WORK/module_use.m" <<'M'
@import ChargeKitFFI;
int main(void) {
    RustCallStatus status = {0};
    (void)status;
    return ffi_chargekit_mobile_uniffi_contract_version() == 0;
}
M
  "$CC" -Wall -Wextra -Werror -fmodules -fmodules-cache-path="$WORK/module-cache" \
    -fmodule-map-file="$WORK/module/module.modulemap" -I "$WORK/module" -fsyntax-only "$WORK/module_use.m"
}

header_functions() {
  "$CC" -Xclang -ast-dump=json -fsyntax-only -x c-header "$WORK/all.h" |
    "$PYTHON" "$CHECKS" header-functions > "$WORK/header-functions.txt"
}

symbols_in() { # $1 = description, $2 = file with defined symbols
  local missing
  missing=$(comm -23 "$WORK/header-functions.txt" "$2")
  if [ -n "$missing" ]; then
    echo "declared in the header but not defined in $1:"
    echo "$missing"
    return 1
  fi
  echo "$(wc -l < "$WORK/header-functions.txt") header functions defined in $1"
}

so_has_all() {
  nm -D --defined-only "$SO" | awk '$2 == "T" { print $3 }' | sort -u > "$WORK/so-symbols.txt" || return 1
  symbols_in "$SO" "$WORK/so-symbols.txt"
}

a_has_all() {
  nm --defined-only "$STATIC" 2>/dev/null | awk '$2 == "T" { print $3 }' | sort -u > "$WORK/a-symbols.txt" || return 1
  symbols_in "$STATIC" "$WORK/a-symbols.txt"
}

so_exports_declared() {
  local extra
  extra=$(grep -E '^(uniffi|ffi)_chargekit_mobile_' "$WORK/so-symbols.txt" | comm -23 - "$WORK/header-functions.txt") || return 1
  if [ -n "$extra" ]; then
    echo "exported by the .so but not declared in the header (stale header?):"
    echo "$extra"
    return 1
  fi
}

# Native libraries a Rust staticlib needs on Linux (`--print native-static-libs`).
STATIC_LIBS=(-lgcc_s -lutil -lrt -lpthread -lm -ldl -lc)

checksums_match_so() {
  "$PYTHON" "$CHECKS" checksum-program "$SWIFT_FILES" "$WORK/header-functions.txt" "$WORK/checksums.c" || return 1
  "$CC" "${CFLAGS[@]}" "$WORK/checksums.c" -L "$LIB_DIR" -lchargekit_mobile -o "$WORK/checksums-so" || return 1
  LD_LIBRARY_PATH="$LIB_DIR" "$WORK/checksums-so"
}

checksums_match_static() {
  "$CC" "${CFLAGS[@]}" "$WORK/checksums.c" "$STATIC" "${STATIC_LIBS[@]}" -o "$WORK/checksums-static" || return 1
  if ldd "$WORK/checksums-static" | grep -q chargekit; then
    echo "the static program links libchargekit_mobile.so dynamically"
    return 1
  fi
  "$WORK/checksums-static"
}

tampered_checksum_caught() {
  "$PYTHON" "$CHECKS" checksum-program "$SWIFT_FILES" "$WORK/header-functions.txt" "$WORK/tampered.c" --tamper || return 1
  "$CC" "${CFLAGS[@]}" "$WORK/tampered.c" -L "$LIB_DIR" -lchargekit_mobile -o "$WORK/tampered" || return 1
  if LD_LIBRARY_PATH="$LIB_DIR" "$WORK/tampered"; then
    echo "a wrong checksum was not detected"
    return 1
  fi
}

run "FFI header compiles with clang -Wall -Wextra -Werror (C11 and Objective-C)" header_compiles
run "modulemap loads as a clang module (@import ChargeKitFFI)" module_loads
run "header function list extracted from clang's AST" header_functions
run "every header function is exported by the .so (nm -D)" so_has_all
run "every header function is defined in the .a (nm)" a_has_all
run "every uniffi symbol of the .so is declared in the header" so_exports_declared
run "every checksum in the Swift files (all the headers declare) + contract versions match the .so" checksums_match_so
run "checksums + contract versions match the .a (static link)" checksums_match_static
run "negative control: a tampered checksum is caught" tampered_checksum_caught
run "ChargeKit.swift parses with tree-sitter-swift, no ERROR nodes" "$PYTHON" "$CHECKS" parse "$GEN/ChargeKit.swift"
run "ChargeKitCore.swift parses with tree-sitter-swift, no ERROR nodes" "$PYTHON" "$CHECKS" parse "$GEN/ChargeKitCore.swift"
run "negative control: a stray brace is caught by the parse" "$PYTHON" "$CHECKS" parse-detects-errors "$GEN/ChargeKit.swift"
run "the Swift files declare the public API (types, functions, class methods, error cases)" "$PYTHON" "$CHECKS" api "$SWIFT_FILES"

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
