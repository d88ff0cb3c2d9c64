#!/usr/bin/env bash
# Entry of the `errcode-lsp` pre-commit hook (.pre-commit-hooks.yaml): builds errcode-lsp from
# this checkout of the repository (pre-commit keeps one checkout per `rev`, so this happens
# once; later runs are cargo's no-op check) and runs `errcode-lsp check` on the given files.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
target="${ERRCODE_LSP_HOOK_TARGET_DIR:-$here/target}"
bin="$target/release/errcode-lsp"
if ! command -v cargo >/dev/null 2>&1; then
  echo "errcode-lsp hook: cargo not found. Install Rust (https://rustup.rs), or use the" \
    "errcode-lsp-system hook with a prebuilt errcode-lsp on PATH." >&2
  exit 2
fi
[[ -x "$bin" ]] || echo "errcode-lsp hook: building errcode-lsp (first run for this rev; takes a few minutes)" >&2
cargo build --release --locked --quiet -p errcode-lsp \
  --manifest-path "$here/Cargo.toml" --target-dir "$target" >&2 ||
  { echo "errcode-lsp hook: building errcode-lsp failed" >&2; exit 2; }
exec "$bin" check "$@"
