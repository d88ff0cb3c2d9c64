#!/usr/bin/env bash
# Checks that a Linux binary needs no glibc newer than MAX (default 2.17): the highest
# GLIBC_x.y symbol version in its dynamic symbol table (objdump -T) must be <= MAX.
#
#   bash dist/check-glibc.sh target/zigbuild/x86_64-unknown-linux-gnu/release/errcode-lsp [2.17]
#
# Prints the highest version found; exit status 1 when it is newer than MAX, or when the
# binary has no GLIBC symbol versions at all (not a glibc binary: nothing was checked).
set -euo pipefail
bin="${1:?usage: check-glibc.sh BINARY [MAX]}"
max="${2:-2.17}"
command -v objdump >/dev/null 2>&1 || { echo "check-glibc: objdump not found (binutils)" >&2; exit 2; }
versions="$(objdump -T "$bin" | grep -o 'GLIBC_[0-9][0-9.]*' | sed 's/^GLIBC_//' | sort -u -V)"
if [[ -z "$versions" ]]; then
  echo "check-glibc: $bin has no GLIBC symbol versions" >&2
  exit 1
fi
highest="$(tail -n1 <<<"$versions")"
echo "highest glibc symbol version: $highest (limit $max)"
[[ "$(printf '%s\n%s\n' "$highest" "$max" | sort -V | tail -n1)" == "$max" ]] || {
  echo "check-glibc: $bin needs glibc $highest, newer than $max; symbols:" >&2
  objdump -T "$bin" | grep -E "GLIBC_($(sed 's/\./\\./g' <<<"$highest"))[[:space:])]" >&2 || true
  exit 1
}
