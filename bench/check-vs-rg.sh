#!/usr/bin/env bash
# Throughput of `errcode-lsp check` against ripgrep on a generated ~30 MB mixed-language tree.
#
#   bash bench/check-vs-rg.sh
#
# Environment:
#   RUNS=10          timed runs per command (medians are reported)
#   MB=30            size of the generated tree
#   SEED=1           generator seed (the tree is deterministic for a given MB/SEED)
#   REGEN=1          regenerate the tree even if it exists
#   ERRCODE_LSP=...  binary to measure (default: target/release/errcode-lsp, built if missing)
#   THREADS=...      pass -j THREADS to check (default: check's own default, one per core)
#   NO_HYPERFINE=1   time with a Python loop even if hyperfine is installed
#
# The tree goes to bench/out/tree (gitignored). The script always exits 0: it is a
# measurement, not a test. It prints "TARGET MET" when check's median time is at most 1.5x
# ripgrep's, else "TARGET MISSED".
set -euo pipefail

cd "$(dirname "$0")/.."
ROOT=$PWD
RUNS=${RUNS:-10}
MB=${MB:-30}
SEED=${SEED:-1}
TREE=$ROOT/bench/out/tree
STAMP=$ROOT/bench/out/tree.stamp
BIN=${ERRCODE_LSP:-$ROOT/target/release/errcode-lsp}
PATTERN='[A-Z][A-Z0-9]*(_[A-Z0-9]+)+'
TARGET_RATIO=1.5

if ! command -v rg >/dev/null; then
    echo "ripgrep (rg) is missing: apt-get install -y ripgrep" >&2
    exit 0
fi
if [[ ! -x $BIN ]]; then
    echo "building $BIN ..." >&2
    cargo build --release >&2
fi

want="mb=$MB seed=$SEED gen=$(sha1sum bench/gen_tree.py | cut -c1-12)"
if [[ ${REGEN:-0} == 1 || ! -d $TREE || "$(cat "$STAMP" 2>/dev/null)" != "$want" ]]; then
    python3 bench/gen_tree.py --out "$TREE" --mb "$MB" --seed "$SEED"
    echo "$want" >"$STAMP"
fi

files=$(find "$TREE" -type f -not -path '*/.git/*' | wc -l)
bytes=$(find "$TREE" -type f -not -path '*/.git/*' -printf '%s\n' | awk '{s+=$1} END {print s}')

# Warm the page cache.
find "$TREE" -type f -exec cat {} + >/dev/null

check_cmd=("$BIN" check "$TREE" --format json)
if [[ -n ${THREADS:-} ]]; then
    check_cmd+=(-j "$THREADS")
fi
rg_cmd=(rg -c "$PATTERN" "$TREE")

findings=$("${check_cmd[@]}" 2>/dev/null | python3 -c 'import json,sys; s=json.load(sys.stdin)["summary"]; print(s["findings"], s["files_checked"])' || true)
rg_lines=$("${rg_cmd[@]}" | awk -F: '{s+=$NF} END {print s}')

# Median wall time (seconds) of RUNS runs of a command, output to /dev/null; 2 warm-up runs.
median_time() {
    python3 - "$RUNS" "$@" <<'EOF'
import resource, statistics, subprocess, sys, time
runs, cmd = int(sys.argv[1]), sys.argv[2:]
for _ in range(2):
    subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
def cpu():
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime
times = []
c0 = cpu()
for _ in range(runs):
    t = time.perf_counter()
    subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    times.append(time.perf_counter() - t)
print("%.6f %.6f %.6f %.6f" % (statistics.median(times), min(times), max(times), (cpu() - c0) / runs))
EOF
}

if [[ -z ${NO_HYPERFINE:-} ]] && command -v hyperfine >/dev/null; then
    tool="hyperfine"
    json=$(mktemp)
    # -N: no intermediate shell; -i: check exits 1 when it finds something.
    hyperfine -N -i --style none --warmup 2 --runs "$RUNS" --export-json "$json" \
        "$(printf '%q ' "${check_cmd[@]}")" "$(printf '%q ' "${rg_cmd[@]}")" >/dev/null 2>&1
    read -r check_med check_min check_max check_cpu rg_med rg_min rg_max rg_cpu < <(python3 - "$json" <<'EOF'
import json, statistics, sys
r = json.load(open(sys.argv[1]))["results"]
print(" ".join("%.6f %.6f %.6f %.6f" % (statistics.median(x["times"]), min(x["times"]), max(x["times"]), x["user"] + x["system"]) for x in r))
EOF
)
    rm -f "$json"
else
    tool="python timing loop"
    read -r check_med check_min check_max check_cpu < <(median_time "${check_cmd[@]}")
    read -r rg_med rg_min rg_max rg_cpu < <(median_time "${rg_cmd[@]}")
fi

python3 - "$check_med" "$check_min" "$check_max" "$check_cpu" "$rg_med" "$rg_min" "$rg_max" "$rg_cpu" "$files" "$bytes" \
    "$RUNS" "$tool" "$(nproc)" "$TARGET_RATIO" "${findings:-? ?}" "$rg_lines" <<'EOF'
import sys
(cm, cmin, cmax, ccpu, rm, rmin, rmax, rcpu), rest = map(float, sys.argv[1:9]), sys.argv[9:]
files, size, runs, tool, cores, target, findings, rg_lines = rest
size, target = int(size), float(target)
ratio = cm / rm
nfind, nchecked = (findings.split() + ["?", "?"])[:2]
print("tree:          %s files, %.1f MB (bench/out/tree)" % (files, size / 1048576))
print("machine:       %s cores; %s runs each (%s), warm page cache" % (cores, runs, tool))
print("errcode check: median %7.1f ms  (min %.1f, max %.1f)  %.0f MB/s" % (cm * 1e3, cmin * 1e3, cmax * 1e3, size / 1048576 / cm))
print("rg -c:         median %7.1f ms  (min %.1f, max %.1f)  %.0f MB/s" % (rm * 1e3, rmin * 1e3, rmax * 1e3, size / 1048576 / rm))
print("CPU (user+sys, mean per run): check %.1f ms, rg %.1f ms (%.1fx)" % (ccpu * 1e3, rcpu * 1e3, ccpu / rcpu))
print("load average (1/5/15 min) after the runs: %s" % " ".join(open("/proc/loadavg").read().split()[:3]))
print("ratio check/rg: %.2fx (target <= %.1fx, on median wall time)" % (ratio, target))
print("sanity: check reported %s findings in %s files checked; rg matched %s lines" % (nfind, nchecked, rg_lines))
print("TARGET MET" if ratio <= target else "TARGET MISSED")
EOF
exit 0
