#!/usr/bin/env bash
# Precision on real repositories: runs `check --format json` over each checkout under a
# directory and prints one line per finding: repo, path:line, kind, literal, suggestion.
#
#   bash bench/precision.sh DIR [BINARY] > findings.tsv
#
# With ALWAYS=1 each checkout without an errcode.toml gets one saying `activation = "always"`
# (written into the checkout, never here), so every repository is checked against the
# catalogs even where no CloudBase marker is found: more literals put to the matcher.
# DIR holds one folder per repository (checked out outside this repository, see
# bench/README.md); BINARY defaults to target/release/errcode-lsp. Compare two binaries with
#   diff <(bash bench/precision.sh DIR old-binary) <(bash bench/precision.sh DIR new-binary)
# A per-repository and per-kind count goes to stderr.
set -euo pipefail
dir=${1:?usage: precision.sh DIR [BINARY]}
bin=${2:-$(dirname "$0")/../target/release/errcode-lsp}
for repo in "$dir"/*/; do
  name=$(basename "$repo")
  if [ "${ALWAYS:-0}" = 1 ] && [ ! -e "$repo/errcode.toml" ]; then
    echo 'activation = "always"' > "$repo/errcode.toml"
  fi
  # exit status 1 means findings; 2 is an error worth seeing
  (cd "$repo" && "$bin" check -j1 --format json . || [ $? -eq 1 ]) |
    python3 -c '
import json, sys
name = sys.argv[1]
doc = json.load(sys.stdin)
counts = {}
for f in doc["findings"]:
    counts[f["kind"]] = counts.get(f["kind"], 0) + 1
    best = (f.get("suggestions") or [""])[0]
    print("\t".join([name, "%s:%s" % (f["path"], f["line"]), f["kind"], f["literal"], best]))
print(name, "files", doc["summary"].get("files_checked", doc["summary"]), "findings", counts, file=sys.stderr)
' "$name"
done
