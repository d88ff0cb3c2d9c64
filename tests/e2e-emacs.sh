#!/usr/bin/env bash
# Headless end-to-end test of editors/emacs/errcode-lsp.el (Eglot) against the real server.
# Installs emacs-nox + elpa-eglot from Debian when Emacs (or Eglot) is missing, builds the
# release binary when missing, runs editors/emacs/tests/e2e.el in batch mode.
# Env: ERRCODE_LSP_BIN (server binary), EMACS (emacs binary), ERRCODE_E2E_TIMEOUT (s per wait).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
EMACS="${EMACS:-emacs}"

has_eglot() {
  "$EMACS" --batch -q --eval "(kill-emacs (if (locate-library \"eglot\") 0 1))" >/dev/null 2>&1
}

if ! command -v "$EMACS" >/dev/null 2>&1 || ! has_eglot; then
  if command -v apt-get >/dev/null 2>&1; then
    echo "e2e-emacs: installing Emacs and Eglot from Debian" >&2
    export DEBIAN_FRONTEND=noninteractive
    apt_get() { apt-get -o DPkg::Lock::Timeout=600 -o Dpkg::Use-Pty=0 "$@"; }
    # Emacs 29+ bundles Eglot; older Debian Emacs needs elpa-eglot.
    pkgs=(emacs-nox)
    if ! apt-cache show elpa-eglot >/dev/null 2>&1; then apt_get update -qq >&2 || true; fi
    apt-cache show elpa-eglot >/dev/null 2>&1 && pkgs+=(elpa-eglot)
    apt_get install -y -qq --no-install-recommends "${pkgs[@]}" >&2 || {
      apt_get update -qq >&2
      apt_get install -y -qq --no-install-recommends "${pkgs[@]}" >&2
    }
  fi
  command -v "$EMACS" >/dev/null 2>&1 || { echo "e2e-emacs: emacs not found" >&2; exit 1; }
  has_eglot || { echo "e2e-emacs: eglot not found for $EMACS" >&2; exit 1; }
fi

BIN="${ERRCODE_LSP_BIN:-$ROOT/target/release/errcode-lsp}"
if [[ -z "${ERRCODE_LSP_BIN:-}" && ! -x "$BIN" ]]; then
  echo "e2e-emacs: building $BIN" >&2
  cargo build --release --quiet
fi
export ERRCODE_LSP_BIN="$BIN"

TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT
export HOME="$TMP" TMPDIR="$TMP"   # never touch the user's ~/.emacs.d

# -q (not -Q): site-start must run so Debian's elpa-* packages are on the load-path.
# Eglot's own messages go to stderr; keep them unless the test passes.
set +e
timeout 150 "$EMACS" --batch -q -l "$ROOT/editors/emacs/tests/e2e.el" </dev/null 2>"$TMP/stderr.log"
rc=$?
set -e
if (( rc != 0 )); then
  echo "--- emacs stderr (tail) ---" >&2
  tail -n 30 "$TMP/stderr.log" | cut -c1-400 >&2
  (( rc == 124 )) && echo "e2e-emacs: timed out" >&2
fi
exit $rc
