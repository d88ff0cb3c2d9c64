#!/usr/bin/env bash
# The shell steps of the GitHub Action in action.yml (a composite action). Each step calls
#   bash "$GITHUB_ACTION_PATH/dist/action.sh" install|check|finish
# with the action's inputs in INPUT_* environment variables (set by action.yml's `env:`; never
# spliced into the script text). tests/packaging.sh runs action.yml's steps through this script.
#
#   install  INPUT_BINARY_PATH set: use that binary. Otherwise dist/install.sh puts the release
#            INPUT_VERSION into $RUNNER_TEMP/errcode-lsp/bin. Output: binary.
#   check    runs `errcode-lsp check` on INPUT_PATHS (whitespace-separated) with INPUT_ARGS
#            (whitespace-separated) in INPUT_FORMAT (sarif: written to INPUT_SARIF_FILE, and the
#            human report printed to the log when there are findings; github: annotations).
#            Outputs: exit-code (0 clean, 1 findings), sarif-file (when it was written). Exits
#            0 on findings, so that the SARIF upload step runs; exits 2 on usage or config errors.
#   finish   exits 1 when the check step found problems (EXIT_CODE=1).
set -euo pipefail

out() { # name value -> step output
  if [[ -n "${GITHUB_OUTPUT:-}" ]]; then
    printf '%s=%s\n' "$1" "$2" >>"$GITHUB_OUTPUT"
  fi
}
die() { echo "::error title=errcode-lsp::$*"; exit 2; }

action_path="${GITHUB_ACTION_PATH:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}"

case "${1:-}" in
  install)
    if [[ -n "${INPUT_BINARY_PATH:-}" ]]; then
      bin="$INPUT_BINARY_PATH"
      [[ -x "$bin" ]] || die "binary-path $bin is not an executable file"
      echo "errcode-lsp: using $bin ($("$bin" --version))"
    else
      dir="${RUNNER_TEMP:-${TMPDIR:-/tmp}}/errcode-lsp/bin"
      sh "$action_path/dist/install.sh" --version "${INPUT_VERSION:-latest}" --to "$dir"
      bin="$dir/errcode-lsp"
      if [[ -n "${GITHUB_PATH:-}" ]]; then echo "$dir" >>"$GITHUB_PATH"; fi
    fi
    out binary "$bin"
    ;;

  check)
    bin="${ERRCODE_LSP_BIN:-errcode-lsp}"
    format="${INPUT_FORMAT:-sarif}"
    read -r -d '' -a paths <<<"${INPUT_PATHS:-.}" || true
    read -r -d '' -a args <<<"${INPUT_ARGS:-}" || true
    [[ ${#paths[@]} -gt 0 ]] || paths=(.)
    case "$format" in
      sarif)
        sarif="${INPUT_SARIF_FILE:-errcode-lsp.sarif}"
        mkdir -p "$(dirname "$sarif")"
        set +e
        "$bin" check --format sarif "${args[@]}" -- "${paths[@]}" >"$sarif"
        code=$?
        set -e
        if [[ $code -gt 1 ]]; then
          rm -f "$sarif"
          die "errcode-lsp check failed (exit status $code)"
        fi
        echo "errcode-lsp: SARIF report written to $sarif"
        out sarif-file "$sarif"
        if [[ $code -eq 1 ]]; then
          # The SARIF goes to code scanning; the log gets the readable report.
          NO_COLOR=1 "$bin" check --format human "${args[@]}" -- "${paths[@]}" || true
        fi
        ;;
      github)
        set +e
        "$bin" check --format github "${args[@]}" -- "${paths[@]}"
        code=$?
        set -e
        [[ $code -le 1 ]] || die "errcode-lsp check failed (exit status $code)"
        ;;
      *) die "format must be sarif or github, not $format" ;;
    esac
    out exit-code "$code"
    ;;

  finish)
    case "${EXIT_CODE:-}" in
      0) echo "errcode-lsp: no problems found" ;;
      1) echo "::error title=errcode-lsp::errcode-lsp found misspelled or deprecated error codes (see the report above)"; exit 1 ;;
      *) echo "::error title=errcode-lsp::errcode-lsp check did not run to the end"; exit 1 ;;
    esac
    ;;

  *) echo "usage: action.sh install|check|finish" >&2; exit 2 ;;
esac
