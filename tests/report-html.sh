#!/usr/bin/env bash
# The HTML report in a real browser: generates `errcode-lsp report --format html` for
# examples/cloudbase-app with the release binary, renders it with headless Chromium, checks the
# screenshot is a PNG of the window size, and checks the rendered DOM holds the project's
# handled codes and the "Never handled" section. Prints "N passed, M failed" last.
#
#   bash tests/report-html.sh     # screenshot in tests/out/report/report.png
set -uo pipefail
cd "$(dirname "$0")/.."

out=tests/out/report
mkdir -p "$out"
width=1200
height=1600
passed=0
failed=0
check() { # check NAME COMMAND...: runs COMMAND, counts and prints the result.
  local name=$1
  shift
  if "$@"; then
    passed=$((passed + 1))
    echo "ok   $name"
  else
    failed=$((failed + 1))
    echo "FAIL $name"
  fi
}
finish() {
  echo "$passed passed, $failed failed"
  [ "$failed" -eq 0 ]
  exit $?
}

bin=target/release/errcode-lsp
# Build when the binary is missing (or older than the `report` subcommand).
if [ ! -x "$bin" ] || ! "$bin" report --help >/dev/null 2>&1; then
  cargo build --release || { failed=$((failed + 1)); echo "FAIL cargo build --release"; finish; }
fi

browser=$(command -v chromium || command -v chromium-browser || command -v google-chrome || true)
if [ -z "$browser" ]; then
  (apt-get update -qq && apt-get install -y -qq chromium) >/dev/null 2>&1 || true
  browser=$(command -v chromium || true)
fi
if [ -z "$browser" ]; then
  failed=$((failed + 1))
  echo "FAIL chromium is not installed (apt-get install -y chromium)"
  finish
fi

html="$PWD/$out/report.html"
png="$out/report.png"
rm -f "$html" "$png" "$out/dom.html"
check "report --format html exits 0" "$bin" report examples/cloudbase-app --format html -o "$html"
# Links to the docs (<a href="https://...">) are content, not assets: no stylesheet, script,
# image or font is fetched.
check "the report is one file with no external assets" \
  bash -c "test -s '$html' && ! grep -Eq '<link|<script|<img|<iframe|url\(|@import|src=' '$html'"

chrome() {
  local profile
  profile=$(mktemp -d)
  timeout 120 "$browser" --headless --no-sandbox --disable-gpu --disable-background-networking \
    --disable-component-update --disable-sync --no-first-run --user-data-dir="$profile" \
    --window-size=$width,$height "$@" 2>>"$out/chromium.log"
  local rc=$?
  rm -rf "$profile"
  return $rc
}

chrome --screenshot="$png" "file://$html" >/dev/null
check "chromium wrote a screenshot" test -s "$png"
check "the screenshot is a ${width}x${height} PNG" python3 - "$png" "$width" "$height" <<'EOF'
import struct, sys
path, width, height = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
with open(path, "rb") as f:
    head = f.read(33)
ok = (len(head) == 33 and head[:8] == b"\x89PNG\r\n\x1a\n" and head[12:16] == b"IHDR")
size = struct.unpack(">II", head[16:24]) if ok else None
if not ok or size != (width, height):
    print(f"  {path}: not a {width}x{height} PNG (IHDR size {size})", file=sys.stderr)
    sys.exit(1)
EOF

chrome --dump-dom "file://$html" >"$out/dom.html"
check "the rendered DOM is not empty" test -s "$out/dom.html"
# The codes the example handles (from the JSON report, so the list follows the example).
codes=$("$bin" report examples/cloudbase-app --format json |
  python3 -c 'import json,sys; r=json.load(sys.stdin); print(" ".join(sorted({c["code"] for k in r["catalogs"] for g in k["categories"] for c in g["codes"]})))')
check "the example handles some codes" test -n "$codes"
for code in $codes; do
  check "the rendered DOM shows $code" grep -q ">$code<" "$out/dom.html"
done
check "the rendered DOM has the Never handled section" \
  bash -c "grep -q 'id=\"never-handled\"' '$out/dom.html' && grep -q '>Never handled<' '$out/dom.html'"
check "the rendered DOM lists a never-handled category" grep -q '<strong>System Errors</strong>' "$out/dom.html"
finish
