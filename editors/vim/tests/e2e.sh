#!/usr/bin/env bash
# Smoke test of editors/vim/errcode-lsp.vim with Vim + ALE (Debian: vim-nox vim-ale).
# Opens a copy of examples/cloudbase-app/src/api.ts in a real (pseudo-terminal) Vim, waits,
# and checks ALE's loclist: the misspelled code as a warning, the deprecated one as an
# error (severity set through g:errcode_lsp_settings). Not run by CI.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)"
BIN="${ERRCODE_LSP_BIN:-$ROOT/target/release/errcode-lsp}"
ALE_DIR="${ALE_DIR:-/usr/share/vim-ale}"
command -v vim >/dev/null && [[ -d "$ALE_DIR" ]] || { echo "needs vim and ALE ($ALE_DIR): apt-get install vim-nox vim-ale" >&2; exit 1; }
TMP="$(mktemp -d)"; trap 'rm -rf "$TMP"' EXIT
cp -R "$ROOT/examples/cloudbase-app" "$TMP/app"
cat > "$TMP/vimrc" <<VIM
set nocompatible
set rtp^=$ALE_DIR
filetype plugin on
let g:ale_linters_explicit = 1
let g:ale_linters = {'typescript': ['errcode_lsp']}
let g:errcode_lsp_executable = '$BIN'
let g:errcode_lsp_settings = {'severity': {'deprecated': 'error'}}
runtime plugin/ale.vim
source $ROOT/editors/vim/errcode-lsp.vim
function! Report(timer) abort
  let l:items = ale#engine#GetLoclist(bufnr('%'))
  call writefile(map(copy(l:items), {_, v -> v.lnum . ' ' . v.type . ' ' . v.text}), '$TMP/out')
  qall!
endfunction
autocmd VimEnter * call timer_start(str2nr(get(environ(), 'WAIT_MS', '4000')), 'Report')
VIM
(cd "$TMP/app/src" && timeout 60 script -qc "vim -N -u $TMP/vimrc -i NONE -n --not-a-term api.ts" /dev/null >/dev/null 2>&1 </dev/null) || true
cat "$TMP/out" 2>/dev/null || true
passed=0; failed=0
if grep -q '^11 W .*EXCEED_RATE_LIMIT.*EXCEED_RATELIMIT' "$TMP/out" 2>/dev/null; then passed=$((passed+1)); else failed=$((failed+1)); echo "FAIL: misspelled code not reported on line 11"; fi
if grep -q '^18 E .*INVALID_ENV_ID' "$TMP/out" 2>/dev/null; then passed=$((passed+1)); else failed=$((failed+1)); echo "FAIL: deprecated code not reported as error on line 18"; fi
echo "$passed passed, $failed failed"
(( failed == 0 ))
