#!/usr/bin/env bash
# End-to-end test of editors/vscode in a real VS Code (code-server 4.100.3,
# VS Code 1.100) driven by Playwright in Debian's headless Chromium.
#
# From a fresh machine: installs chromium, ripgrep and fonts-noto-cjk (apt) when missing, builds
# the release server when missing, builds the linux-x64 .vsix around that server
# (npm ci, npm test, npm run package with ERRCODE_LSP_BINARY=target/release/errcode-lsp),
# installs code-server into a cache outside the repo, runs
# tests/e2e-vscode/run.mjs. The last line is "N passed, M failed".
#
# Env: ERRCODE_E2E_CACHE (default ~/.cache/errcode-e2e), E2E_TIMEOUT_MS,
#      E2E_OUT (default tests/out/e2e-vscode), CHROMIUM, SKIP_VSIX_BUILD=1.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
CODE_SERVER_VERSION=4.100.3
CACHE="${ERRCODE_E2E_CACHE:-$HOME/.cache/errcode-e2e}"
CS_DIR="$CACHE/code-server-$CODE_SERVER_VERSION"
export npm_config_yes=true npm_config_audit=false npm_config_fund=false npm_config_update_notifier=false

say() { echo "e2e-vscode: $*" >&2; }
fail() { say "$*"; exit 1; }
# Any setup failure still ends with the summary line CI reads.
trap 'rc=$?; if ((rc != 0)); then say "setup failed (exit $rc)"; echo "0 passed, 14 failed"; fi' EXIT

# --- system packages -------------------------------------------------------
installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed'; }
missing=()
[[ -x "${CHROMIUM:-/usr/bin/chromium}" ]] || missing+=(chromium)
command -v rg >/dev/null 2>&1 || missing+=(ripgrep)
# Chinese glyphs for the zh-CN hover (without them Chromium draws empty boxes).
installed fonts-noto-cjk || missing+=(fonts-noto-cjk)
if ((${#missing[@]})); then
  say "installing ${missing[*]} (apt)"
  export DEBIAN_FRONTEND=noninteractive
  apt_get() { apt-get -o DPkg::Lock::Timeout=600 -o Dpkg::Use-Pty=0 "$@"; }
  { apt_get update -qq && apt_get install -y -qq --no-install-recommends "${missing[@]}" fonts-dejavu-core; } >&2 \
    || fail "apt-get install ${missing[*]} failed"
fi
command -v node >/dev/null 2>&1 || fail "node (v20) is required"
node_major="$(node -p 'process.versions.node.split(".")[0]')"
[[ "$node_major" == 20 ]] || say "warning: code-server $CODE_SERVER_VERSION wants node 20, this is $(node -v)"

# --- server ------------------------------------------------------------------
mkdir -p "$CACHE"
BIN="$ROOT/target/release/errcode-lsp"
if [[ ! -x "$BIN" ]]; then
  say "building $BIN"
  cargo build --release --quiet >&2 || fail "cargo build --release failed"
fi

# --- extension -----------------------------------------------------------------
VSIX="$ROOT/editors/vscode/errcode-lsp-linux-x64.vsix"
if [[ "${SKIP_VSIX_BUILD:-}" != 1 || ! -f "$VSIX" ]]; then
  say "building the extension (npm ci, npm test, npm run package)"
  (
    cd editors/vscode
    npm ci --no-audit --no-fund --loglevel=error
    npm test >"$CACHE/unit-tests.log" 2>&1 || { cat "$CACHE/unit-tests.log"; exit 1; }
    grep -E '^# (pass|fail)' "$CACHE/unit-tests.log"
    # The server just built, not an older glibc 2.17 build that may lie in target/zigbuild.
    ERRCODE_LSP_BINARY="$BIN" npm run package
  ) >&2
fi
[[ -f "$VSIX" ]] || fail "no $VSIX"
unzip -l "$VSIX" >&2 || true

# --- code-server (cached, outside the repo) ------------------------------------
CODE_SERVER="$CS_DIR/node_modules/.bin/code-server"
if [[ ! -f "$CS_DIR/.complete" ]] || ! "$CODE_SERVER" --version >/dev/null 2>&1; then
  say "installing code-server@$CODE_SERVER_VERSION into $CS_DIR"
  rm -rf "$CS_DIR"
  mkdir -p "$CS_DIR"
  (
    cd "$CS_DIR"
    echo '{"private":true}' >package.json
    # Its install scripts would download ripgrep and need every native module:
    # install without scripts, then build what code-server needs by hand.
    npm install --ignore-scripts --no-audit --no-fund --loglevel=error "code-server@$CODE_SERVER_VERSION"
    npm rebuild argon2 --loglevel=error
    cd node_modules/code-server/lib/vscode
    npm install --omit=dev --ignore-scripts --no-audit --no-fund --loglevel=error
    mkdir -p node_modules/@vscode/ripgrep/bin
    ln -sf "$(command -v rg)" node_modules/@vscode/ripgrep/bin/rg
    # kerberos (proxy auth) needs libkrb5 headers and is optional: skip it.
    npm rebuild node-pty @parcel/watcher native-watchdog @vscode/spdlog @vscode/deviceid --loglevel=error
    ln -sfn node_modules node_modules.asar
    (cd bin/remote-cli && ln -sf code-linux.sh code-server)
    (cd bin/helpers && ln -sf browser-linux.sh browser.sh)
    cd extensions
    npm install --omit=dev --no-audit --no-fund --loglevel=error
  ) >&2
  "$CODE_SERVER" --version >&2 || fail "code-server does not run"
  touch "$CS_DIR/.complete"
fi

# --- test driver -----------------------------------------------------------------
(cd tests/e2e-vscode && npm ci --no-audit --no-fund --loglevel=error) >&2

say "running the test"
export CODE_SERVER ERRCODE_VSIX="$VSIX" ERRCODE_LSP_BIN="$BIN"
# A private config dir so code-server writes nothing under ~/.config.
export XDG_CONFIG_HOME="$CACHE/xdg-config" XDG_DATA_HOME="$CACHE/xdg-data"
trap - EXIT
exec timeout --kill-after=20 600 node tests/e2e-vscode/run.mjs
