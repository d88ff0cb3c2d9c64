#!/usr/bin/env python3
"""Runs the steps of the composite action in action.yml the way a Linux runner would, for
tests/packaging.sh.

    python3 tests/packaging/run_action.py --workspace DIR [--input name=value ...] [--os Linux]

Each step's `if:` is evaluated (the expression subset action.yml uses: `&&`, `||`, `!`, `==`,
`!=`, parentheses, string literals, `always()`, `success()`, `failure()`, `inputs.*`,
`runner.os`, `steps.<id>.outputs.*`, `steps.<id>.outcome`), `${{ }}` in `env:` and `with:` is
substituted, and `shell: bash` steps run with GitHub's bash options (`-eo pipefail`) in the
workspace, with GITHUB_ACTION_PATH (this repository), GITHUB_OUTPUT, GITHUB_PATH and
RUNNER_TEMP set. `uses:` steps are not run: they are reported with their evaluated `with:`.
A step in another shell that would run is an error. Prints a JSON summary and exits 1 when
the action failed (a step failed), as the job step would.
"""

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]


class Expr:
    TOKEN = re.compile(r"\s*(?:(\|\||&&|==|!=|!|\(|\)|,)|'((?:[^']|'')*)'|([A-Za-z_][A-Za-z0-9_.\-]*(?:\(\))?)|(\S))")

    def __init__(self, text, ctx):
        self.tokens = []
        for m in self.TOKEN.finditer(text.strip()):
            if m.group(4):
                raise ValueError(f"unsupported character {m.group(4)!r} in {text!r}")
            if m.group(1):
                self.tokens.append(("op", m.group(1)))
            elif m.group(2) is not None:
                self.tokens.append(("str", m.group(2).replace("''", "'")))
            elif m.group(3):
                self.tokens.append(("name", m.group(3)))
        self.pos = 0
        self.ctx = ctx

    def peek(self):
        return self.tokens[self.pos] if self.pos < len(self.tokens) else (None, None)

    def take(self, value=None):
        tok = self.peek()
        if value is not None and tok[1] != value:
            raise ValueError(f"expected {value}, got {tok}")
        self.pos += 1
        return tok

    def parse(self):
        v = self.or_()
        if self.pos != len(self.tokens):
            raise ValueError(f"trailing tokens {self.tokens[self.pos:]}")
        return v

    def or_(self):
        v = self.and_()
        while self.peek() == ("op", "||"):
            self.take()
            r = self.and_()
            v = v if truthy(v) else r
        return v

    def and_(self):
        v = self.cmp()
        while self.peek() == ("op", "&&"):
            self.take()
            r = self.cmp()
            v = r if truthy(v) else v
        return v

    def cmp(self):
        v = self.unary()
        while self.peek() in (("op", "=="), ("op", "!=")):
            op = self.take()[1]
            r = self.unary()
            eq = str(v).lower() == str(r).lower()  # GitHub compares strings case-insensitively
            v = eq if op == "==" else not eq
        return v

    def unary(self):
        if self.peek() == ("op", "!"):
            self.take()
            return not truthy(self.unary())
        if self.peek() == ("op", "("):
            self.take()
            v = self.or_()
            self.take(")")
            return v
        kind, value = self.take()
        if kind == "str":
            return value
        if kind == "name":
            return self.ctx(value)
        raise ValueError(f"unexpected {value!r}")


def truthy(v):
    return v not in ("", None, False, 0)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--workspace", required=True, type=Path)
    ap.add_argument("--input", action="append", default=[], help="name=value")
    ap.add_argument("--os", default="Linux")
    ap.add_argument("--action", type=Path, default=ROOT / "action.yml")
    a = ap.parse_args()

    action = yaml.safe_load(a.action.read_text())
    inputs = {k: str(v.get("default", "")) for k, v in action.get("inputs", {}).items()}
    for item in a.input:
        name, _, value = item.partition("=")
        if name not in inputs:
            sys.exit(f"run_action: action.yml has no input {name!r}")
        inputs[name] = value
    steps_ctx = {}
    failed = False
    report = {"steps": [], "uses": []}
    runner_temp = Path(tempfile.mkdtemp(prefix="runner-temp-"))
    github_path = runner_temp / "github_path"
    github_path.write_text("")

    def lookup(name):
        if name == "always()":
            return True
        if name == "success()":
            return not failed
        if name == "failure()":
            return failed
        parts = name.split(".")
        if parts[0] == "inputs" and len(parts) == 2:
            if parts[1] not in inputs:
                raise ValueError(f"unknown input {parts[1]}")
            return inputs[parts[1]]
        if parts == ["runner", "os"]:
            return a.os
        if parts == ["github", "action_path"]:
            return str(ROOT)
        if parts[0] == "steps" and len(parts) >= 3:
            step = steps_ctx.get(parts[1], {"outputs": {}, "outcome": ""})
            if parts[2] == "outputs" and len(parts) == 4:
                return step["outputs"].get(parts[3], "")
            if parts[2] in ("outcome", "conclusion") and len(parts) == 3:
                return step["outcome"]
        raise ValueError(f"unsupported context {name}")

    def evaluate(text):
        return Expr(text, lookup).parse()

    def substitute(value):
        return re.sub(r"\$\{\{(.*?)\}\}", lambda m: str(evaluate(m.group(1)) or ""), str(value))

    for step in action["runs"]["steps"]:
        sid = step.get("id", step.get("name"))
        cond = str(step.get("if", "success()"))
        cond = cond[3:-2] if cond.startswith("${{") else cond
        # A condition without a status function implies success() (as on GitHub).
        if not re.search(r"\b(always|success|failure|cancelled)\(\)", cond):
            cond = f"success() && ({cond})"
        entry = {"id": sid, "name": step.get("name")}
        if not truthy(evaluate(cond)):
            entry["outcome"] = "skipped"
            steps_ctx[sid] = {"outputs": {}, "outcome": "skipped"}
            report["steps"].append(entry)
            continue
        if "uses" in step:
            call = {"uses": step["uses"], "with": {k: substitute(v) for k, v in step.get("with", {}).items()}}
            report["uses"].append(call)
            entry["outcome"] = "not run here (uses)"
            steps_ctx[sid] = {"outputs": {}, "outcome": "success"}
            report["steps"].append(entry)
            continue
        if step.get("shell") != "bash":
            sys.exit(f"run_action: step {sid} would run in {step.get('shell')}, which this runner has not")
        env = dict(os.environ)
        env.update({k: substitute(v) for k, v in step.get("env", {}).items()})
        out_file = runner_temp / f"output-{len(report['steps'])}"
        out_file.write_text("")
        env.update(
            GITHUB_ACTION_PATH=str(ROOT),
            GITHUB_OUTPUT=str(out_file),
            GITHUB_PATH=str(github_path),
            GITHUB_WORKSPACE=str(a.workspace),
            RUNNER_TEMP=str(runner_temp),
            RUNNER_OS=a.os,
        )
        proc = subprocess.run(
            ["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", substitute(step["run"])],
            cwd=a.workspace, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        )
        outputs = {}
        for line in out_file.read_text().splitlines():
            if "=" in line:
                k, _, v = line.partition("=")
                outputs[k] = v
        outcome = "success" if proc.returncode == 0 else "failure"
        failed = failed or proc.returncode != 0
        steps_ctx[sid] = {"outputs": outputs, "outcome": outcome}
        entry.update(outcome=outcome, exit=proc.returncode, outputs=outputs, log=proc.stdout)
        report["steps"].append(entry)

    report["failed"] = failed
    report["outputs"] = {k: substitute(v["value"]) for k, v in action.get("outputs", {}).items()}
    report["path_additions"] = github_path.read_text().split()
    print(json.dumps(report, indent=2))
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
