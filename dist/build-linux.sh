#!/usr/bin/env bash
# Builds the errcode-lsp release binary for a Linux target with cargo-zigbuild, which links
# against an old glibc (2.17 by default, so the binary runs on CentOS 7 / RHEL 7 and every
# newer distribution) or statically against musl (Alpine).
#
#   bash dist/build-linux.sh                                   # x86_64-unknown-linux-gnu.2.17
#   bash dist/build-linux.sh aarch64-unknown-linux-gnu.2.17    # needs: rustup target add aarch64-unknown-linux-gnu
#   bash dist/build-linux.sh x86_64-unknown-linux-musl         # needs: rustup target add x86_64-unknown-linux-musl
#
# zig and cargo-zigbuild come from PyPI (packages `ziglang` and `cargo-zigbuild`), installed
# into a virtualenv under target/ (ERRCODE_DIST_VENV to use another one). The Rust target
# itself must be installed (rustup target add <triple without .2.17>); the host target needs
# nothing. Prints the path of the built binary on its last line. Used by
# .github/workflows/release.yml and tests/packaging.sh.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
TARGET="${1:-x86_64-unknown-linux-gnu.2.17}"
TRIPLE="${TARGET%%.*}"   # x86_64-unknown-linux-gnu.2.17 -> x86_64-unknown-linux-gnu
VENV="${ERRCODE_DIST_VENV:-$ROOT/target/dist-venv}"

if [[ ! -x "$VENV/bin/cargo-zigbuild" || ! -x "$VENV/bin/python-zig" ]]; then
  echo "build-linux: installing ziglang and cargo-zigbuild from PyPI into $VENV" >&2
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install --quiet --disable-pip-version-check ziglang cargo-zigbuild >&2
fi
# cargo-zigbuild finds zig through the ziglang package (`python -m ziglang`) of the Python
# on PATH, so the venv comes first.
export PATH="$VENV/bin:$PATH"

if command -v rustup >/dev/null 2>&1 &&
  ! rustup target list --installed 2>/dev/null | grep -qx "$TRIPLE"; then
  echo "build-linux: the Rust target $TRIPLE is not installed (rustup target add $TRIPLE)" >&2
  exit 1
fi

# Release archives ship without the debug line tables that the repository's release profile
# keeps for profiling (a third of the size); the release workflow sets the same.
export CARGO_PROFILE_RELEASE_STRIP="${CARGO_PROFILE_RELEASE_STRIP:-debuginfo}"
# A separate target dir: zig's linker flags differ from the host build's, and keeping them
# apart spares both builds a rebuild.
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$ROOT/target/zigbuild}"
cargo zigbuild --release --locked --target "$TARGET" -p errcode-lsp >&2
BIN="$CARGO_TARGET_DIR/$TRIPLE/release/errcode-lsp"
[[ -x "$BIN" ]] || { echo "build-linux: $BIN was not built" >&2; exit 1; }
echo "$BIN"
