#!/usr/bin/env python3
"""Deterministic generator of realistic mixed-language source trees for the benchmarks.

    python3 bench/gen_tree.py [--out bench/out/tree] [--mb 30] [--seed 1]

Writes TypeScript/JavaScript, Python, Go, Java, Rust, YAML and JSON files of 1-200 KB
(log-uniform sizes) containing string literals, comments, many UPPER_SNAKE identifiers and
constants, and a sprinkling of Tencent CloudBase error codes: correct ones, misspelled ones
(EXCEED_RATE_LIMIT) and deprecated ones (INVALID_ENV_ID). The root gets a package.json that
depends on @cloudbase/js-sdk (so the CloudBase catalogs activate) and an empty `.git` directory
(so both errcode-lsp and ripgrep treat it as a repository root).

Also importable: `typescript_text(rng, n_lines)` builds one big TypeScript file (used by
bench/lsp-bench.py). Python 3 standard library only.
"""

import argparse
import json
import math
import os
import random
import re
import shutil
import sys

# Codes of the built-in CloudBase catalogs (a subset, all real).
CODES = [
    "EXCEED_RATELIMIT", "FUNCTION_NOT_FOUND", "INVALID_CREDENTIALS", "ACCESS_TOKEN_EXPIRED",
    "MISSING_CREDENTIALS", "SERVICE_NOT_FOUND", "SERVICE_TIMEOUT", "INVALID_ENV", "BAD_REQUEST",
    "INVALID_REQUEST", "ENV_NOT_READY", "DATABASE_PERMISSION_DENIED", "DATABASE_TIMEOUT",
    "DOCUMENT_NOT_FOUND", "STORAGE_FILE_NONEXIST", "STORAGE_EXCEED_AUTHORITY", "OBJECT_NOT_EXIST",
    "FUNCTIONS_EXECUTE_FAIL", "FUNCTION_INVOCATION_FAILED", "FUNCTION_TIME_LIMIT_EXCEEDED",
    "PERMISSION_DENIED", "RESOURCE_NOT_FOUND", "NETWORK_ERROR", "INVALID_PARAM", "SYS_ERR",
    "SERVER_TIMEOUT", "EXCEED_REQUEST_LIMIT", "AUTH_LOGIN_FAILED", "REFRESH_TOKEN_EXPIRED",
    "INVALID_ACCESS_TOKEN", "TCB_DB_PERMISSION_DENIED", "EXCEED_MAX_PAYLOAD_SIZE",
]
# Typos of real codes (each within the matcher's edit-distance bounds).
MISSPELLED = [
    "EXCEED_RATE_LIMIT", "FUNCTON_NOT_FOUND", "INVALID_CREDENTAILS", "ACCESS_TOKEN_EXPIRD",
    "SERVICE_NOT_FOUDN", "DATABASE_PERMISION_DENIED", "DOCUMENT_NOT_FOND", "RESOURCE_NOT_FOUNDD",
    "EXCEED_MAX_PAYLOD_SIZE", "FUNCTION_INVOKATION_FAILED", "MISING_CREDENTIALS",
]
DEPRECATED = ["INVALID_ENV_ID", "CHECK_LOGIN_FAILED"]

WORDS = (
    "user order item cart price total count limit retry timeout cache session token request "
    "response payload config option value key index page size offset buffer stream event "
    "handler listener queue job task worker pool client server router route path query param "
    "header body status code message error result record entry batch chunk file upload "
    "download image avatar profile account email phone region zone bucket object table "
    "column field schema model view state store action reducer effect hook render layout "
    "theme color width height margin level depth node tree graph edge vertex weight score "
    "rank label tag group role permission policy rule filter sort order date time stamp"
).split()

PHRASES = [
    "unexpected response from the server", "please try again later", "could not load the page",
    "the request was rejected", "invalid input, check the form", "loading…", "saved",
    "operation completed successfully", "are you sure you want to delete this item?",
    "network is unreachable", "permission denied for this resource", "the file is too large",
    "session expired, please sign in again", "retrying in a moment", "no results found",
    "Something went wrong: %s", "user %d not found", "value must be between {min} and {max}",
    "用户不存在", "请求过于频繁，请稍后再试", "Zeitüberschreitung der Anfrage", "ошибка сети",
]

COMMENTS = [
    "TODO: handle the retry case properly",
    "Keep this in sync with the backend enum; see docs/errors.md",
    "NOTE: the SDK returns the code in `err.code`, not in the message",
    "FIXME(perf): avoid re-rendering on every keystroke",
    "This is a workaround for an old Android WebView bug",
    "Map error codes to user-facing messages (don't show raw codes)",
    "Values below are tuned for the staging environment",
    "Deprecated: use the new client instead",
    "The cache is invalidated when the session token changes",
]


class Gen:
    """Random pieces of code, seeded."""

    def __init__(self, rng):
        self.rng = rng
        self.n = 0

    def word(self):
        return self.rng.choice(WORDS)

    def words(self, lo=1, hi=3):
        return [self.word() for _ in range(self.rng.randint(lo, hi))]

    def camel(self):
        w = self.words()
        return w[0] + "".join(x.capitalize() for x in w[1:])

    def pascal(self):
        return "".join(x.capitalize() for x in self.words())

    def snake(self):
        return "_".join(self.words())

    def const(self):
        # UPPER_SNAKE identifiers: constants, enum members, env var names, action types.
        r = self.rng.random()
        if r < 0.15:
            return self.rng.choice(["MAX_", "DEFAULT_", "MIN_", "API_", "ENV_"]) + "_".join(self.words(1, 3)).upper()
        return "_".join(self.words(2, 4)).upper()

    def code(self):
        """A CloudBase code: mostly correct, some misspelled, a few deprecated."""
        r = self.rng.random()
        if r < 0.75:
            return self.rng.choice(CODES)
        if r < 0.93:
            return self.rng.choice(MISSPELLED)
        return self.rng.choice(DEPRECATED)

    def string(self):
        """A string literal's content: prose, a constant-like value, a path, or (rarely) a code."""
        r = self.rng.random()
        if r < 0.04:
            return self.code()
        if r < 0.30:
            return self.const()
        if r < 0.55:
            return self.rng.choice(PHRASES)
        if r < 0.70:
            return "/" + "/".join(self.words(1, 4)) + "/" + self.word()
        if r < 0.85:
            return self.camel()
        return " ".join(self.words(2, 6))

    def comment(self):
        r = self.rng.random()
        if r < 0.05:
            return "Handles %s and %s from the SDK" % (self.code(), self.code())
        if r < 0.5:
            return self.rng.choice(COMMENTS)
        return "%s the %s %s (%s)" % (self.word().capitalize(), self.word(), self.word(), self.const())

    def num(self):
        self.n += 1
        return str(self.rng.choice([0, 1, 2, 3, 10, 30, 100, 256, 1000, 3600, 65535, self.n]))


# ---------------------------------------------------------------------------------------------
# Snippet templates. Placeholders: {Pascal} {camel} {snake} {CONST} {str} {str2} {code} {n}
# {comment} (each occurrence gets a fresh value).

TS_SNIPPETS = [
    "import {{ {Pascal} }} from './{camel}';\nimport {{ {camel} as {camel} }} from '../{snake}/{camel}';\n",
    "export const {CONST} = '{str}';\nexport const {CONST} = {n};\n",
    "// {comment}\nexport enum {Pascal} {{\n  {CONST} = '{CONST}',\n  {CONST} = '{CONST}',\n  {CONST} = '{str}',\n}}\n",
    "/**\n * {comment}\n * @param {camel} the {snake}\n */\nexport async function {camel}({camel}: {Pascal}, {camel} = {n}): Promise<{Pascal}> {{\n"
    "  const {camel} = await this.{camel}.get(`/api/${{{camel}}}/{snake}`, {{ timeout: {CONST} }});\n"
    "  if ({camel}.code === '{code}') {{\n    throw new {Pascal}Error(\"{str}\", {camel});\n  }}\n"
    "  return {{ ...{camel}, {camel}: {n}, {camel}: '{str}' }};\n}}\n",
    "switch (err.code) {{\n  case '{code}':\n    return t('{str}');\n  case \"{code}\":\n    return retry({n});\n"
    "  case '{CONST}':\n    break;\n  default:\n    logger.warn(`unknown code ${{err.code}}: {str}`);\n}}\n",
    "export class {Pascal} extends {Pascal} {{\n  private readonly {camel}: Map<string, {Pascal}> = new Map();\n"
    "  static readonly {CONST} = '{str}';\n\n  constructor(private {camel}: {Pascal}) {{\n    super('{str}');\n  }}\n\n"
    "  {camel}({camel}: string): boolean {{\n    // {comment}\n    return this.{camel}.has({camel}) && {camel} !== '{str}';\n  }}\n}}\n",
    "const {camel} = {{\n  {camel}: '{str}',\n  {camel}: {n},\n  {CONST}: process.env.{CONST} ?? '{str}',\n"
    "  {camel}: ['{str}', '{str}', \"{str}\"],\n}};\n",
    "  if (!{camel} || {camel}.length > {CONST}) {{\n    return {{ ok: false, error: '{CONST}', message: `{str} (${{{camel}.length}})` }};\n  }}\n",
    "export type {Pascal} = '{CONST}' | '{CONST}' | '{CONST}';\n",
    "/* {comment} */\nfunction {camel}({camel}, {camel}) {{\n  return {camel}.filter((x) => x.{camel} === {camel}).map((x) => x.{camel} * {n});\n}}\n",
    "test('{str}', async () => {{\n  const res = await {camel}({{ {camel}: '{str}' }});\n  expect(res.code).toBe('{code}');\n  expect(res.{camel}).toEqual({n});\n}});\n",
    "const {camel} = /^[A-Z][A-Z0-9_]*$/.test({camel}) ? {camel} : '{CONST}';\n",
]

PY_SNIPPETS = [
    "import {snake}\nfrom {snake}.{snake} import {Pascal}, {CONST}\n",
    "{CONST} = \"{str}\"\n{CONST} = {n}\n",
    "# {comment}\nclass {Pascal}({Pascal}):\n    \"\"\"{str}\n\n    Raises {Pascal}Error with {CONST} on failure.\n    \"\"\"\n\n"
    "    {CONST} = '{str}'\n\n    def {snake}(self, {snake}, {snake}={n}):\n        if {snake}.get('code') == '{code}':\n"
    "            raise {Pascal}Error(f\"{str}: {{{snake}}}\")\n        return {{'{snake}': {snake}, '{snake}': '{str}'}}\n",
    "def {snake}({snake}: str, *, {snake}: int = {n}) -> dict:\n    # {comment}\n    result = client.call('{str}', {{'{snake}': {snake}}})\n"
    "    if result['code'] in ('{code}', \"{CONST}\"):\n        logger.warning('%s failed: %s', '{snake}', result['code'])\n"
    "        return {{'ok': False, 'error': '{CONST}'}}\n    return {{'ok': True, 'data': result.get('{snake}', [])}}\n",
    "ERRORS = {{\n    '{code}': '{str}',\n    '{CONST}': '{str}',\n    \"{CONST}\": r'{str}',\n}}\n",
    "    for {snake} in {snake}:\n        if {snake}.{snake} > {CONST}:\n            yield {snake}.{snake}, '{str}'\n",
    "@pytest.mark.parametrize('{snake}', ['{str}', '{CONST}', '{str}'])\ndef test_{snake}({snake}):\n    assert {snake}({snake}).code == '{code}'\n",
]

GO_SNIPPETS = [
    "// {comment}\nconst (\n\t{Pascal} = \"{CONST}\"\n\t{Pascal} = \"{str}\"\n\t{Pascal} = {n}\n)\n",
    "// {Pascal} {comment}\nfunc (s *{Pascal}) {Pascal}(ctx context.Context, {camel} string) (*{Pascal}, error) {{\n"
    "\tresp, err := s.client.Do(ctx, \"{str}\", map[string]interface{{}}{{\"{camel}\": {camel}, \"limit\": {n}}})\n"
    "\tif err != nil {{\n\t\treturn nil, fmt.Errorf(\"{str}: %w\", err)\n\t}}\n\tif resp.Code == \"{code}\" {{\n"
    "\t\treturn nil, Err{Pascal}\n\t}}\n\treturn &{Pascal}{{{Pascal}: resp.{Pascal}, {Pascal}: `{str}`}}, nil\n}}\n",
    "var Err{Pascal} = errors.New(\"{str}\")\n",
    "type {Pascal} struct {{\n\t{Pascal} string `json:\"{snake}\"`\n\t{Pascal} int    `json:\"{snake},omitempty\"`\n\tCode string `json:\"code\"` // e.g. {CONST}\n}}\n",
    "\tswitch code {{\n\tcase \"{code}\", \"{CONST}\":\n\t\treturn true\n\tcase \"{code}\":\n\t\treturn false\n\t}}\n",
]

JAVA_SNIPPETS = [
    "    // {comment}\n    public static final String {CONST} = \"{str}\";\n    private static final int {CONST} = {n};\n",
    "    /**\n     * {comment}\n     */\n    public {Pascal} {camel}({Pascal} {camel}, String {camel}) throws {Pascal}Exception {{\n"
    "        {Pascal} resp = client.call(\"{str}\", Map.of(\"{camel}\", {camel}));\n"
    "        if (\"{code}\".equals(resp.getCode())) {{\n            throw new {Pascal}Exception(\"{str}\", {CONST});\n        }}\n"
    "        return resp.get{Pascal}();\n    }}\n",
    "    public enum {Pascal} {{\n        {CONST}(\"{str}\"),\n        {CONST}(\"{CONST}\"),\n        {CONST}(\"{code}\");\n"
    "        private final String value;\n        {Pascal}(String value) {{ this.value = value; }}\n    }}\n",
    "        switch (code) {{\n            case \"{code}\": return {CONST};\n            case \"{CONST}\": return {CONST};\n            default: log.warn(\"{str}\");\n        }}\n",
]

RUST_SNIPPETS = [
    "/// {comment}\npub const {CONST}: &str = \"{str}\";\npub const {CONST}: u32 = {n};\n",
    "/// {comment}\npub fn {snake}({snake}: &{Pascal}, {snake}: usize) -> Result<{Pascal}, Error> {{\n"
    "    let resp = client.call(\"{str}\", &[(\"{snake}\", {snake}.to_string())])?;\n"
    "    if resp.code == \"{code}\" {{\n        return Err(Error::new(format!(\"{str}: {{}}\", resp.{snake})));\n    }}\n"
    "    Ok({Pascal} {{ {snake}: resp.{snake}, {snake}: {n} }})\n}}\n",
    "#[derive(Debug, Clone, Serialize, Deserialize)]\n#[serde(rename_all = \"SCREAMING_SNAKE_CASE\")]\npub enum {Pascal} {{\n"
    "    /* {comment} */\n    {Pascal},\n    {Pascal},\n    #[serde(rename = \"{CONST}\")]\n    {Pascal},\n}}\n",
    "        match code.as_str() {{\n            \"{code}\" => Retry::After({n}),\n            \"{CONST}\" | \"{CONST}\" => Retry::Never,\n"
    "            other => {{ log::warn!(\"{str} {{}}\", other); Retry::Never }}\n        }}\n",
    "const {CONST}: &str = r#\"{str} \"{CONST}\"\"#;\n",
]

FILLERS = {
    "Pascal": lambda g: g.pascal(),
    "camel": lambda g: g.camel(),
    "snake": lambda g: g.snake(),
    "CONST": lambda g: g.const(),
    "str": lambda g: g.string(),
    "code": lambda g: g.code(),
    "n": lambda g: g.num(),
    "comment": lambda g: g.comment(),
}
PLACEHOLDER = re.compile(r"\{(Pascal|camel|snake|CONST|str|code|n|comment)\}")


def fill(g, template):
    # First resolve the placeholders, then undo the `{{`/`}}` escapes.
    out = PLACEHOLDER.sub(lambda m: FILLERS[m.group(1)](g), template)
    return out.replace("{{", "{").replace("}}", "}")


def code_text(g, snippets, size, header="", footer=""):
    parts = [header]
    total = len(header)
    while total < size:
        s = fill(g, g.rng.choice(snippets)) + "\n"
        parts.append(s)
        total += len(s.encode())
    parts.append(footer)
    return "".join(parts)


def json_text(g, size):
    def value(depth):
        r = g.rng.random()
        if depth < 3 and r < 0.2:
            return {g.camel(): value(depth + 1) for _ in range(g.rng.randint(1, 5))}
        if depth < 3 and r < 0.3:
            return [value(depth + 1) for _ in range(g.rng.randint(1, 4))]
        if r < 0.45:
            return int(g.num())
        if r < 0.5:
            return g.rng.random() < 0.5
        if r < 0.55:
            return g.code()
        return g.string()

    entries = []
    total = 0
    while total < size:
        key = g.const() if g.rng.random() < 0.3 else g.camel()
        entry = {"id": int(g.num()), "name": g.camel(), "code": g.code() if g.rng.random() < 0.2 else g.const(),
                 "message": g.string(), key: value(0)}
        entries.append(entry)
        total += len(json.dumps(entry, ensure_ascii=False)) + 8
    return json.dumps({"version": 3, "items": entries}, indent=2, ensure_ascii=False) + "\n"


def yaml_text(g, size):
    out = []
    total = 0
    while total < size:
        block = [
            "# %s" % g.comment(),
            "%s:" % g.snake(),
            "  name: %s" % g.camel(),
            "  env: %s" % g.const(),
            "  code: %s" % (g.code() if g.rng.random() < 0.2 else g.const()),
            "  message: \"%s\"" % g.string().replace('"', "'"),
            "  retries: %s" % g.num(),
            "  tags:",
            "    - %s" % g.const(),
            "    - '%s'" % g.string().replace("'", "''"),
            "  env_vars:",
            "    %s: %s" % (g.const(), g.camel()),
            "    %s: \"%s\"" % (g.const(), g.const()),
            "",
        ]
        s = "\n".join(block) + "\n"
        out.append(s)
        total += len(s.encode())
    return "".join(out)


LANGS = [
    # (extension, weight, builder)
    ("ts", 24, lambda g, n: code_text(g, TS_SNIPPETS, n)),
    ("tsx", 4, lambda g, n: code_text(g, TS_SNIPPETS, n, "import React from 'react';\n\n")),
    ("js", 12, lambda g, n: code_text(g, TS_SNIPPETS, n, "'use strict';\n\n")),
    ("py", 16, lambda g, n: code_text(g, PY_SNIPPETS, n, "\"\"\"%s.\"\"\"\nimport logging\n\n" % "Module")),
    ("go", 12, lambda g, n: code_text(g, GO_SNIPPETS, n, "package %s\n\nimport (\n\t\"context\"\n\t\"errors\"\n\t\"fmt\"\n)\n\n" % "svc")),
    ("java", 10, lambda g, n: code_text(g, JAVA_SNIPPETS, n, "package com.example.app;\n\nimport java.util.Map;\n\npublic class Service {\n", "}\n")),
    ("rs", 8, lambda g, n: code_text(g, RUST_SNIPPETS, n, "use serde::{Deserialize, Serialize};\n\n")),
    ("yaml", 7, yaml_text),
    ("json", 7, json_text),
]


# Long single-line statements, mixed in to reach a realistic average line length.
TS_LONG_SNIPPETS = [
    "  const {camel} = await {camel}.{camel}({{ {camel}: '{str}', {camel}: '{str}', {camel}: {n}, {camel}: {CONST} }});",
    "  logger.info(`[{snake}] {str} ${{{camel}}} -> ${{{camel}.{camel}}} ({str})`, {{ {camel}, {camel}, code: '{code}' }});",
    "export const {CONST}: Record<string, string> = {{ '{CONST}': '{str}', '{CONST}': '{str}', '{CONST}': '{str}' }};",
    "      <{Pascal} className=\"{snake} {snake}\" title={{t('{CONST}')}} onClick={{() => {camel}('{str}', {n})}} disabled={{!{camel}}} />",
    "  if ({camel}.{camel} === '{CONST}' || {camel}.{camel} === '{CONST}') return {camel}.{camel}('{str}', {{ {camel}: {n} }});",
    "  // {comment}; see also {CONST} and {camel}.{camel}() for the {str} case ({n})",
    "  throw new {Pascal}Error(`{str}: ${{{camel}.code}} / ${{{camel}.{camel}}}`, {{ cause: {camel}, code: '{code}' }});",
]


def typescript_text(rng, n_lines, avg_line_bytes=72):
    """A TypeScript file of exactly `n_lines` lines averaging about `avg_line_bytes` bytes per
    line (for the LSP benchmark)."""
    g = Gen(rng)
    lines = ["import cloudbase from '@cloudbase/js-sdk';", ""]
    size = sum(len(x) + 1 for x in lines)
    while len(lines) < n_lines:
        if size < avg_line_bytes * len(lines):
            block = [fill(g, rng.choice(TS_LONG_SNIPPETS)) for _ in range(rng.randint(2, 6))]
        else:
            block = fill(g, rng.choice(TS_SNIPPETS)).splitlines() + [""]
        lines.extend(block)
        size += sum(len(x.encode()) + 1 for x in block)
    return "\n".join(lines[:n_lines]) + "\n"


def generate(out, total_mb, seed):
    rng = random.Random(seed)
    g = Gen(rng)
    if os.path.isdir(out):
        shutil.rmtree(out)
    os.makedirs(os.path.join(out, ".git"))
    with open(os.path.join(out, "package.json"), "w") as f:
        json.dump({"name": "bench-tree", "version": "1.0.0", "private": True,
                   "dependencies": {"@cloudbase/js-sdk": "^2.8.0", "react": "^18.2.0"}}, f, indent=2)
        f.write("\n")
    target = int(total_mb * 1024 * 1024)
    total = 0
    count = 0
    weights = [w for _, w, _ in LANGS]
    dirs = ["packages/%s/src/%s" % (g.word(), g.word()) for _ in range(40)] + \
           ["services/%s" % g.snake() for _ in range(20)] + ["lib", "config", "scripts", "src/utils"]
    while total < target:
        ext, _, build = rng.choices(LANGS, weights)[0]
        # Log-uniform sizes between 1 KB and 200 KB.
        size = int(math.exp(rng.uniform(math.log(1024), math.log(200 * 1024))))
        text = build(g, size)
        d = os.path.join(out, rng.choice(dirs))
        os.makedirs(d, exist_ok=True)
        path = os.path.join(d, "%s_%d.%s" % (g.snake(), count, ext))
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)
        total += len(text.encode())
        count += 1
    return count, total


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", default=os.path.join(os.path.dirname(os.path.abspath(__file__)), "out", "tree"))
    ap.add_argument("--mb", type=float, default=30.0)
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    count, total = generate(args.out, args.mb, args.seed)
    print("generated %d files, %.1f MB in %s" % (count + 1, total / 1048576, args.out), file=sys.stderr)


if __name__ == "__main__":
    main()
