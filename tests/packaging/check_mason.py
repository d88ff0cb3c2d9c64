#!/usr/bin/env python3
"""Checks editors/nvim/mason/package.yaml, for tests/packaging.sh.

    python3 tests/packaging/check_mason.py [--schema-dir DIR]

Always: the file is a YAML document starting with `---`, has mason-registry's required keys,
its source is our GitHub repository at the tag of server/Cargo.toml's version, every release
archive of dist/package.py is listed once under the Mason platform that matches its target
triple (and nothing else), each asset's `bin` is the binary's name in the archive, and
`neovim.lspconfig` names the config in editors/nvim/lsp/. With --schema-dir (the `schemas/`
folder of a checkout of mason-org/registry-schema) the file is also validated against
mason-registry's JSON Schema. Prints one line per problem; exit status 1 if there is one.
"""

import argparse
import json
import re
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "dist"))
import package  # noqa: E402  (dist/package.py: the archive names)

HOME = "https://github.com/errcode-lsp/errcode-lsp"
# Mason platform -> the target triple whose archive runs there.
PLATFORMS = {
    "darwin_x64": "x86_64-apple-darwin",
    "darwin_arm64": "aarch64-apple-darwin",
    "linux_x64_gnu": "x86_64-unknown-linux-gnu",
    "linux_x64": "x86_64-unknown-linux-musl",  # any libc: the static musl build
    "linux_arm64_gnu": "aarch64-unknown-linux-gnu",
    "win_x64": "x86_64-pc-windows-msvc",
    "win_arm64": "aarch64-pc-windows-msvc",
}


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--schema-dir", type=Path)
    ap.add_argument("--file", type=Path, default=ROOT / "editors/nvim/mason/package.yaml")
    a = ap.parse_args()
    problems = []
    text = a.file.read_text()
    if not text.startswith("---\n"):
        problems.append("does not start with the YAML header `---`")
    doc = yaml.safe_load(text)
    for key in ["name", "description", "homepage", "licenses", "languages", "categories", "source"]:
        if key not in doc:
            problems.append(f"missing required key {key}")
    if doc.get("homepage") != HOME:
        problems.append(f"homepage {doc.get('homepage')} is not {HOME}")
    version = re.search(r'^version\s*=\s*"([^"]+)"', (ROOT / "server/Cargo.toml").read_text(), re.M).group(1)
    want_id = f"pkg:github/errcode-lsp/errcode-lsp@v{version}"
    if doc.get("source", {}).get("id") != want_id:
        problems.append(f"source.id {doc.get('source', {}).get('id')} is not {want_id}")
    seen = {}
    for asset in doc.get("source", {}).get("asset", []):
        target = asset.get("target")
        triple = PLATFORMS.get(target)
        if triple is None:
            problems.append(f"asset for unexpected platform {target}")
            continue
        if asset.get("file") != package.archive_name(triple):
            problems.append(f"{target}: file {asset.get('file')} is not {package.archive_name(triple)}")
        if asset.get("bin") != package.binary_name(triple):
            problems.append(f"{target}: bin {asset.get('bin')} is not {package.binary_name(triple)}")
        if target in seen:
            problems.append(f"platform {target} listed twice")
        seen[target] = triple
    for triple in package.TARGETS:
        if triple not in seen.values():
            problems.append(f"release target {triple} has no asset")
    if doc.get("bin", {}).get("errcode-lsp") != "{{source.asset.bin}}":
        problems.append("bin.errcode-lsp is not {{source.asset.bin}}")
    lspconfig = doc.get("neovim", {}).get("lspconfig")
    if not lspconfig or not (ROOT / f"editors/nvim/lsp/{lspconfig}.lua").is_file():
        problems.append(f"neovim.lspconfig {lspconfig!r} has no editors/nvim/lsp/<name>.lua")

    if a.schema_dir:
        import jsonschema
        from referencing import Registry, Resource

        resources = []
        for f in sorted(a.schema_dir.rglob("*.json")):
            schema = json.loads(f.read_text())
            resources.append((schema["$id"], Resource.from_contents(schema)))
        registry = Registry().with_resources(resources)
        root = json.loads((a.schema_dir / "package.schema.json").read_text())
        validator = jsonschema.Draft202012Validator(root, registry=registry)
        errors = sorted(validator.iter_errors(doc), key=lambda e: list(e.path))
        for e in errors:
            problems.append(f"schema: {'/'.join(map(str, e.path))}: {e.message}")
        if not errors:
            print(f"valid against mason-registry's schema ({len(resources)} schema files)")

    for p in problems:
        print(f"mason package: {p}")
    if not problems:
        print(f"mason package ok: {len(seen)} platforms, {want_id}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
