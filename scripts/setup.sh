#!/usr/bin/env bash
# Installs everything the test suite needs on a fresh Debian machine with Rust, Python 3,
# Java and Node.js: Debian packages (JNA, clang, Chromium for the report's browser test), the
# Kotlin compiler (npm package kotlin-compiler), and the Python tools (in a venv under
# target/). Idempotent.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
KOTLIN_VERSION=2.4.20
TOOLS="$ROOT/.tools"

apt_pkgs=()
[ -f /usr/share/java/jna.jar ] || apt_pkgs+=(libjna-java)
command -v clang >/dev/null 2>&1 || apt_pkgs+=(clang)
command -v java >/dev/null 2>&1 || apt_pkgs+=(default-jdk-headless)
command -v npm >/dev/null 2>&1 || apt_pkgs+=(npm)
command -v nm >/dev/null 2>&1 || apt_pkgs+=(binutils)
# Debian's own build: Playwright drives it, so nothing downloads a browser of its own.
command -v chromium >/dev/null 2>&1 || apt_pkgs+=(chromium)
if [ ${#apt_pkgs[@]} -gt 0 ]; then
  echo "setup: apt-get install ${apt_pkgs[*]}"
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO=sudo
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${apt_pkgs[@]}" >/dev/null
fi

for c in rustfmt clippy; do
  rustup component list --installed 2>/dev/null | grep -q "^$c" || rustup component add "$c"
done

if [ ! -x "$TOOLS/kotlin-compiler/bin/kotlinc-jvm" ]; then
  echo "setup: kotlin-compiler@$KOTLIN_VERSION from npm"
  mkdir -p "$TOOLS"
  tmp=$(mktemp -d)
  (cd "$tmp" && npm pack --silent "kotlin-compiler@$KOTLIN_VERSION" >/dev/null && tar xzf "kotlin-compiler-$KOTLIN_VERSION.tgz")
  rm -rf "$TOOLS/kotlin-compiler"
  mv "$tmp/package" "$TOOLS/kotlin-compiler"
  rm -rf "$tmp"
  chmod +x "$TOOLS/kotlin-compiler/bin/"*
fi

if [ ! -x target/pyenv/bin/python ]; then
  mkdir -p target
  python3 -m venv target/pyenv
fi
target/pyenv/bin/python -m pip install -q --disable-pip-version-check \
  "maturin>=1.9.4,<2" "pytest>=8" "tree-sitter==0.26.1" "tree-sitter-swift==0.7.4"
echo "setup: done"
