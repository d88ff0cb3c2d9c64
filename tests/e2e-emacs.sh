#!/usr/bin/env bash
# Headless end-to-end test of editors/emacs/errcode-lsp.el (Eglot) and lsp-errcode.el
# (lsp-mode) against the real server. Installs emacs-nox, elpa-eglot and elpa-lsp-mode from
# Debian when missing, builds the release binary when missing, byte-compiles both files, runs
# editors/emacs/tests/e2e.el and editors/emacs/tests/e2e-lsp-mode.el in batch mode, and prints
# the combined "N passed, M failed" last.
# Env: ERRCODE_LSP_BIN (server binary), EMACS (emacs binary), ERRCODE_E2E_TIMEOUT (s per wait).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
EMACS="${EMACS:-emacs}"

has_lib() {
  "$EMACS" --batch -q --eval "(kill-emacs (if (locate-library \"$1\") 0 1))" >/dev/null 2>&1
}
has_eglot() { has_lib eglot; }

if ! command -v "$EMACS" >/dev/null 2>&1 || ! has_eglot || ! has_lib lsp-mode; then
  if command -v apt-get >/dev/null 2>&1; then
    echo "e2e-emacs: installing Emacs and Eglot from Debian" >&2
    export DEBIAN_FRONTEND=noninteractive
    apt_get() { apt-get -o DPkg::Lock::Timeout=600 -o Dpkg::Use-Pty=0 "$@"; }
    # Emacs 29+ bundles Eglot; older Debian Emacs needs elpa-eglot.
    pkgs=(emacs-nox)
    if ! apt-cache show elpa-eglot >/dev/null 2>&1; then apt_get update -qq >&2 || true; fi
    apt-cache show elpa-eglot >/dev/null 2>&1 && pkgs+=(elpa-eglot)
    apt-cache show elpa-lsp-mode >/dev/null 2>&1 && pkgs+=(elpa-lsp-mode)
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
passed=0 failed=0
run_el() { # name file: run one test file, add its "N passed, M failed" to the totals
  set +e
  timeout 150 "$EMACS" --batch -q -l "$2" </dev/null 2>"$TMP/$1.stderr" | tee "$TMP/$1.log"
  local rc=${PIPESTATUS[0]} p=0 f=0 line
  set -e
  line="$(grep -E '^[0-9]+ passed, [0-9]+ failed$' "$TMP/$1.log" | tail -n1)"
  if [[ "$line" =~ ^([0-9]+)\ passed,\ ([0-9]+)\ failed$ ]]; then
    p=${BASH_REMATCH[1]} f=${BASH_REMATCH[2]}
  fi
  if (( rc != 0 )); then
    echo "--- emacs stderr ($1, tail) ---" >&2
    tail -n 30 "$TMP/$1.stderr" | cut -c1-400 >&2
    (( rc == 124 )) && echo "e2e-emacs: $1 timed out" >&2
    (( f > 0 )) || f=1 # it stopped without reporting a failure
  fi
  passed=$((passed + p)) failed=$((failed + f))
}

# Both files byte-compile without errors (warnings are shown, not fatal).
mkdir -p "$TMP/elc"
cp editors/emacs/errcode-lsp.el "$TMP/elc/"
has_lib lsp-mode && cp editors/emacs/lsp-errcode.el "$TMP/elc/"
if "$EMACS" --batch -q -L "$TMP/elc" -f batch-byte-compile "$TMP"/elc/*.el 2>"$TMP/compile.log"; then
  echo "ok   - byte-compile $(cd "$TMP/elc" && ls ./*.el | xargs -n1 basename | tr '\n' ' ')"
  passed=$((passed + 1))
else
  echo "FAIL - byte-compile:"; cat "$TMP/compile.log"
  failed=$((failed + 1))
fi

run_el eglot "$ROOT/editors/emacs/tests/e2e.el"
if has_lib lsp-mode; then
  run_el lsp-mode "$ROOT/editors/emacs/tests/e2e-lsp-mode.el"
else
  echo "e2e-emacs: lsp-mode not installed; the lsp-mode test is skipped" >&2
fi
echo "emacs: $passed passed, $failed failed"
(( failed == 0 ))
