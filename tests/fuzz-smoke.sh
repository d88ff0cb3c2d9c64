#!/usr/bin/env bash
# Fuzz smoke test: builds the cargo-fuzz targets in fuzz/ and runs each one for a few seconds
# from its seed corpus. Exit status 0 when no target crashed; the last line reads
# "N passed, M failed" (one count per target).
#
#   bash tests/fuzz-smoke.sh                    # every target, 10 s each
#   FUZZ_SECONDS=60 bash tests/fuzz-smoke.sh scan edits
#
# Only a stable toolchain is needed: RUSTC_BOOTSTRAP=1 lets cargo-fuzz pass its nightly flags.
# Crash inputs land in fuzz/artifacts/<target>/; see fuzz/README.md to reproduce and minimize.
set -uo pipefail
cd "$(dirname "$0")/.."

seconds=${FUZZ_SECONDS:-10}
export RUSTC_BOOTSTRAP=1
# The fuzz crate is its own workspace with its own target directory (fuzz/target), so its
# instrumented builds never contend with the main workspace's.
fuzz=(cargo fuzz)

if ! cargo fuzz --version >/dev/null 2>&1; then
  echo "installing cargo-fuzz"
  cargo install cargo-fuzz --locked || { echo "cannot install cargo-fuzz"; echo "0 passed, 1 failed"; exit 1; }
fi

targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  mapfile -t targets < <("${fuzz[@]}" list --fuzz-dir fuzz)
fi

if ! "${fuzz[@]}" build --fuzz-dir fuzz -O; then
  echo "fuzz build failed"
  echo "0 passed, ${#targets[@]} failed"
  exit 1
fi

# New corpus entries go to a scratch directory; the committed seeds stay as they are.
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT

passed=0
failed=0
failed_targets=()
for t in "${targets[@]}"; do
  echo "=== fuzz $t (${seconds}s)"
  mkdir -p "$scratch/$t" "fuzz/corpus/$t"
  "${fuzz[@]}" run --fuzz-dir fuzz -O "$t" "$scratch/$t" "fuzz/corpus/$t" -- \
    -max_total_time="$seconds" -rss_limit_mb=2048 -timeout=10 -print_final_stats=1 >"$scratch/$t.log" 2>&1
  status=$?
  tail -n 40 "$scratch/$t.log"
  # The panic message is far above the tail (libFuzzer prints the stack and the input after
  # it): show it on its own so a CI log says what broke.
  grep -A2 -m3 -E "panicked at|ERROR: (AddressSanitizer|libFuzzer)" "$scratch/$t.log" | sed 's/^/panic: /'
  if [ "$status" -eq 0 ]; then
    passed=$((passed + 1))
    echo "=== fuzz $t: ok"
  else
    failed=$((failed + 1))
    failed_targets+=("$t")
    echo "=== fuzz $t: FAILED (exit $status); crash inputs: $(ls -d fuzz/artifacts/"$t"/* 2>/dev/null | tr '\n' ' ')"
  fi
done

[ ${#failed_targets[@]} -eq 0 ] || echo "failed targets: ${failed_targets[*]}"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
