#!/usr/bin/env bash
# Runs the whole test suite from a fresh machine: installs what the suites need (each suite's
# script installs its own editor or client), builds once, runs every suite, and prints one
# closing line with the totals. Exit status: 0 when every suite passed.
#
#   bash tests/all.sh            # everything
#   SUITES="cargo nvim" bash tests/all.sh   # a subset
set -uo pipefail
cd "$(dirname "$0")/.."

logs=tests/out/logs
mkdir -p "$logs"
all_suites="fmt clippy cargo pytest-lsp nvim emacs vscode report-html fuzz packaging"
suites=${SUITES:-$all_suites}

# The toolchain pieces the Rust suites need.
rustup component list --installed 2>/dev/null | grep -q '^clippy' || rustup component add clippy rustfmt >/dev/null 2>&1 || true

run_suite() {
  case "$1" in
    fmt) cargo fmt --all --check && echo "1 passed, 0 failed" ;;
    clippy) cargo clippy --release --all-targets --locked -- -D warnings && echo "1 passed, 0 failed" ;;
    cargo) cargo test --release --locked --workspace ;;
    pytest-lsp) bash tests/pytest-lsp.sh ;;
    nvim) bash tests/e2e-nvim.sh ;;
    emacs) bash tests/e2e-emacs.sh ;;
    vscode) bash tests/e2e-vscode.sh ;;
    report-html) bash tests/report-html.sh ;;
    fuzz) bash tests/fuzz-smoke.sh ;;
    packaging) bash tests/packaging.sh ;;
    *) echo "unknown suite $1"; return 2 ;;
  esac
}

# Counts "N passed" / "N failed" in a suite's log: cargo's "test result" lines are summed,
# other runners' final summary line is taken.
count() {
  python3 - "$1" <<'EOF'
import re, sys
text = open(sys.argv[1], errors="replace").read()
cargo = re.findall(r"test result: \w+\. (\d+) passed; (\d+) failed", text)
if cargo:
    print(sum(int(p) for p, _ in cargo), sum(int(f) for _, f in cargo))
    sys.exit()
passed = failed = 0
for line in text.splitlines():
    p = re.search(r"(\d+) passed", line)
    f = re.search(r"(\d+) failed", line)
    if p or f:
        passed, failed = int(p.group(1)) if p else 0, int(f.group(1)) if f else 0
print(passed, failed)
EOF
}

cargo build --release --locked || { echo "build failed"; echo "0 passed, 1 failed"; exit 1; }

total_passed=0
total_failed=0
failed_suites=()
for suite in $suites; do
  echo "=== $suite"
  start=$(date +%s)
  run_suite "$suite" 2>&1 | tee "$logs/$suite.log"
  status=${PIPESTATUS[0]}
  read -r p f < <(count "$logs/$suite.log")
  if [ "$status" -ne 0 ] && [ "$f" -eq 0 ]; then
    f=1
  fi
  total_passed=$((total_passed + p))
  total_failed=$((total_failed + f))
  [ "$status" -eq 0 ] || failed_suites+=("$suite")
  echo "=== $suite: exit $status, $p passed, $f failed, $(( $(date +%s) - start ))s"
done

if [ ${#failed_suites[@]} -gt 0 ]; then
  echo "failed suites: ${failed_suites[*]} (logs in $logs/)"
fi
echo "all: $total_passed passed, $total_failed failed"
[ ${#failed_suites[@]} -eq 0 ]
