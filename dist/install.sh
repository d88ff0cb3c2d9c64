#!/bin/sh
# Installs the errcode-lsp binary from a GitHub release of
# https://github.com/errcode-lsp/errcode-lsp (Linux x64/arm64, macOS x64/arm64):
#
#   curl -fsSL https://github.com/errcode-lsp/errcode-lsp/releases/latest/download/install.sh | sh
#   curl -fsSL .../install.sh | sh -s -- --version v0.1.0 --to /usr/local/bin
#
# Options (or the environment variables in brackets):
#   --version V   release to install, e.g. v0.1.0 or 0.1.0; default latest   [ERRCODE_LSP_VERSION]
#   --to DIR      where to put errcode-lsp; default ~/.local/bin              [ERRCODE_LSP_INSTALL_DIR]
#   --target T    archive target triple; default detected (see below)         [ERRCODE_LSP_TARGET]
#   --base-url U  where the release files are; default the GitHub release of
#                 --version (a mirror, or file:///... for an offline copy)    [ERRCODE_LSP_BASE_URL]
#   --print-target  print the target triple and archive name for this system, install nothing
#
# It downloads errcode-lsp-<target>.tar.gz and its .sha256 file, checks the SHA-256 checksum
# (and stops if it does not match), unpacks the archive and moves the binary into place. On
# Linux x64 it takes the glibc build (glibc 2.17 or newer) unless the system uses musl
# (Alpine) or an older glibc, where it takes the static musl build. Nothing else is changed:
# if DIR is not on your PATH it says so. Windows: use install.ps1.
set -eu

REPO_URL="https://github.com/errcode-lsp/errcode-lsp"
version="${ERRCODE_LSP_VERSION:-latest}"
dir="${ERRCODE_LSP_INSTALL_DIR:-}"
target="${ERRCODE_LSP_TARGET:-}"
base_url="${ERRCODE_LSP_BASE_URL:-}"
print_target=

say() { printf 'errcode-lsp installer: %s\n' "$*" >&2; }
die() { say "error: $*"; exit 1; }

while [ $# -gt 0 ]; do
  case "$1" in
    --version) [ $# -ge 2 ] || die "--version needs a value"; version="$2"; shift 2 ;;
    --version=*) version="${1#*=}"; shift ;;
    --to) [ $# -ge 2 ] || die "--to needs a value"; dir="$2"; shift 2 ;;
    --to=*) dir="${1#*=}"; shift ;;
    --target) [ $# -ge 2 ] || die "--target needs a value"; target="$2"; shift 2 ;;
    --target=*) target="${1#*=}"; shift ;;
    --base-url) [ $# -ge 2 ] || die "--base-url needs a value"; base_url="$2"; shift 2 ;;
    --base-url=*) base_url="${1#*=}"; shift ;;
    --print-target) print_target=1; shift ;;
    -h | --help) sed -n '2,20p' "$0" 2>/dev/null | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) die "unknown option $1 (see --help)" ;;
  esac
done

[ -n "$dir" ] || { [ -n "${HOME:-}" ] || die "HOME is not set; pass --to DIR"; dir="$HOME/.local/bin"; }

# glibc version as "major minor", empty when not glibc.
glibc_version() {
  v=$(getconf GNU_LIBC_VERSION 2>/dev/null | sed -n 's/^glibc \([0-9]*\)\.\([0-9]*\).*/\1 \2/p')
  [ -n "$v" ] || v=$(ldd --version 2>&1 | sed -n '1s/.* \([0-9][0-9]*\)\.\([0-9][0-9]*\)$/\1 \2/p')
  printf '%s' "$v"
}

is_musl() {
  for f in /lib/ld-musl-*.so.1 /usr/lib/ld-musl-*.so.1; do [ -e "$f" ] && return 0; done
  ldd --version 2>&1 | grep -qi musl
}

detect_target() {
  os=$(uname -s)
  arch=$(uname -m)
  case "$arch" in
    x86_64 | amd64) arch=x86_64 ;;
    aarch64 | arm64) arch=aarch64 ;;
    *) die "no prebuilt errcode-lsp for the $arch architecture; build it with: cargo install errcode-lsp" ;;
  esac
  case "$os" in
    Linux)
      if is_musl; then
        [ "$arch" = x86_64 ] || die "no prebuilt errcode-lsp for $arch with musl; build it with: cargo install errcode-lsp"
        echo x86_64-unknown-linux-musl
        return
      fi
      gv=$(glibc_version)
      if [ -n "$gv" ]; then
        set -- $gv
        if [ "$1" -lt 2 ] || { [ "$1" -eq 2 ] && [ "$2" -lt 17 ]; }; then
          [ "$arch" = x86_64 ] || die "glibc $1.$2 is older than 2.17; build errcode-lsp with: cargo install errcode-lsp"
          echo x86_64-unknown-linux-musl
          return
        fi
      fi
      echo "$arch-unknown-linux-gnu"
      ;;
    Darwin)
      # A shell under Rosetta reports x86_64 on Apple silicon: take the native build.
      if [ "$arch" = x86_64 ] && [ "$(sysctl -n hw.optional.arm64 2>/dev/null || echo 0)" = 1 ]; then
        arch=aarch64
      fi
      echo "$arch-apple-darwin"
      ;;
    MINGW* | MSYS* | CYGWIN* | Windows_NT)
      die "on Windows use install.ps1: powershell -c \"irm $REPO_URL/releases/latest/download/install.ps1 | iex\""
      ;;
    *) die "no prebuilt errcode-lsp for $os; build it with: cargo install errcode-lsp" ;;
  esac
}

download() { # url file
  case "$1" in
    file://*) cp "${1#file://}" "$2" 2>/dev/null || die "cannot read $1" ;;
    *)
      if command -v curl >/dev/null 2>&1; then
        curl --proto '=https' --tlsv1.2 -fsSL --retry 3 -o "$2" "$1" || die "download failed: $1"
      elif command -v wget >/dev/null 2>&1; then
        wget -q -O "$2" "$1" || die "download failed: $1"
      else
        die "neither curl nor wget is installed"
      fi
      ;;
  esac
}

sha256() {
  if command -v sha256sum >/dev/null 2>&1; then
    sha256sum "$1" | cut -d' ' -f1
  elif command -v shasum >/dev/null 2>&1; then
    shasum -a 256 "$1" | cut -d' ' -f1
  elif command -v openssl >/dev/null 2>&1; then
    openssl dgst -sha256 -r "$1" | cut -d' ' -f1
  else
    die "no sha256sum, shasum or openssl to check the download with"
  fi
}

[ -n "$target" ] || target=$(detect_target)
case "$target" in
  *-windows-*) die "$target archives are .zip files; use install.ps1 on Windows" ;;
esac
archive="errcode-lsp-$target.tar.gz"
if [ -n "$print_target" ]; then
  echo "$target $archive"
  exit 0
fi

if [ -z "$base_url" ]; then
  case "$version" in
    latest) base_url="$REPO_URL/releases/latest/download" ;;
    v*) base_url="$REPO_URL/releases/download/$version" ;;
    *) base_url="$REPO_URL/releases/download/v$version" ;;
  esac
fi
base_url="${base_url%/}"

tmp=$(mktemp -d 2>/dev/null || mktemp -d -t errcode-lsp)
trap 'rm -rf "$tmp"' EXIT INT TERM

say "downloading $base_url/$archive"
download "$base_url/$archive" "$tmp/$archive"
download "$base_url/$archive.sha256" "$tmp/$archive.sha256"

expected=$(cut -d' ' -f1 <"$tmp/$archive.sha256" | tr 'A-F' 'a-f')
actual=$(sha256 "$tmp/$archive")
case "$expected" in
  [0-9a-f]*) [ ${#expected} -eq 64 ] || die "$archive.sha256 does not hold a SHA-256 checksum" ;;
  *) die "$archive.sha256 does not hold a SHA-256 checksum" ;;
esac
[ "$expected" = "$actual" ] || die "checksum mismatch for $archive: expected $expected, got $actual"
say "checksum ok ($actual)"

mkdir -p "$tmp/unpacked"
tar -xzf "$tmp/$archive" -C "$tmp/unpacked" || die "cannot unpack $archive"
[ -f "$tmp/unpacked/errcode-lsp" ] || die "$archive has no errcode-lsp binary"

mkdir -p "$dir" || die "cannot create $dir"
# Copy next to the destination, then rename: replaces a running binary safely.
cp "$tmp/unpacked/errcode-lsp" "$dir/.errcode-lsp.new.$$" || die "cannot write to $dir"
chmod 755 "$dir/.errcode-lsp.new.$$"
mv -f "$dir/.errcode-lsp.new.$$" "$dir/errcode-lsp"

installed=$("$dir/errcode-lsp" --version 2>/dev/null) || die "$dir/errcode-lsp was installed but does not run on this system"
say "installed $installed to $dir/errcode-lsp"
case ":${PATH:-}:" in
  *":$dir:"*) ;;
  *) say "note: $dir is not on your PATH; add it, e.g.: export PATH=\"$dir:\$PATH\"" ;;
esac
