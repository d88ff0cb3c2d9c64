#!/usr/bin/env bash
# Third-party-client test suite: drives the real errcode-lsp binary with pytest-lsp, posing as
# VS Code 1.65 and Neovim 0.11 (pytest-lsp's captured client capabilities).
#
# Creates (or reuses) a virtualenv under target/pytest-venv, installs
# tests/pytest-lsp/requirements.txt, builds the release binary when missing, runs pytest.
# Env: ERRCODE_LSP_BIN (server binary), PYTHON (interpreter for the venv),
#      PYTEST_ARGS (extra pytest arguments, e.g. "-k hover -v").
# Exit status: pytest's (0 when every test passed).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

SUITE="$ROOT/tests/pytest-lsp"
VENV="$ROOT/target/pytest-venv"
REQS="$SUITE/requirements.txt"
PYTHON="${PYTHON:-$(command -v python3 || command -v python)}"

# The venv is rebuilt when the requirements change (or it is broken).
stamp="$VENV/.requirements.sha256"
want="$(sha256sum "$REQS" | cut -d' ' -f1)"
if [[ ! -x "$VENV/bin/python" ]] || [[ "$(cat "$stamp" 2>/dev/null)" != "$want" ]] ||
  ! "$VENV/bin/python" -c 'import pytest_lsp' >/dev/null 2>&1; then
  echo "pytest-lsp: creating $VENV" >&2
  rm -rf "$VENV"
  mkdir -p "$ROOT/target"
  if ! "$PYTHON" -m venv "$VENV" >&2; then
    # Debian's python without python3-venv: fall back to virtualenv from PyPI.
    "$PYTHON" -m pip install --quiet --disable-pip-version-check --user virtualenv >&2 ||
      "$PYTHON" -m pip install --quiet --disable-pip-version-check --break-system-packages virtualenv >&2
    "$PYTHON" -m virtualenv --quiet "$VENV" >&2
  fi
  "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check -r "$REQS" >&2
  echo "$want" >"$stamp"
fi

BIN="${ERRCODE_LSP_BIN:-$ROOT/target/release/errcode-lsp}"
if [[ -z "${ERRCODE_LSP_BIN:-}" && ! -x "$BIN" ]]; then
  echo "pytest-lsp: building $BIN" >&2
  cargo build --release --quiet
fi
[[ -x "$BIN" ]] || { echo "pytest-lsp: no server binary at $BIN" >&2; exit 1; }
export ERRCODE_LSP_BIN="$BIN"

cd "$SUITE"
export PYTHONDONTWRITEBYTECODE=1
# shellcheck disable=SC2086
exec "$VENV/bin/python" -m pytest -q -p no:cacheprovider --timeout=60 ${PYTEST_ARGS:-}
