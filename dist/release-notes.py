#!/usr/bin/env python3
"""Print the CHANGELOG.md section of one version, for the GitHub release notes.

    python3 dist/release-notes.py 0.1.0        # or v0.1.0
    python3 dist/release-notes.py --check-version 0.1.0   # also: server/Cargo.toml says 0.1.0

CHANGELOG.md follows Keep a Changelog: `## [0.1.0] - 2026-11-02` headings. The section is
everything up to the next `## ` heading, without link definitions. Exit status 1 when the
version has no section or its section is empty (a release without notes is a mistake), or,
with --check-version, when the crate's version differs from the tag.
"""

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def section(changelog: str, version: str) -> str:
    lines = changelog.splitlines()
    heading = re.compile(r"^## \[?v?" + re.escape(version) + r"\]?(\s|$)")
    start = next((i for i, l in enumerate(lines) if heading.match(l)), None)
    if start is None:
        return ""
    body = []
    for line in lines[start + 1 :]:
        if line.startswith("## "):
            break
        if re.match(r"^\[[^\]]+\]:\s*\S+", line):  # link reference definitions
            continue
        body.append(line)
    return "\n".join(body).strip()


def crate_version() -> str:
    text = (ROOT / "server" / "Cargo.toml").read_text()
    m = re.search(r'^version\s*=\s*"([^"]+)"', text, re.M)
    return m.group(1) if m else ""


def main(argv: list[str]) -> int:
    check = "--check-version" in argv
    args = [a for a in argv if a != "--check-version"]
    if len(args) != 1:
        print(__doc__, file=sys.stderr)
        return 2
    version = args[0].removeprefix("refs/tags/").removeprefix("v")
    if check and crate_version() != version:
        print(f"release-notes: tag v{version} but server/Cargo.toml has version {crate_version()}", file=sys.stderr)
        return 1
    notes = section((ROOT / "CHANGELOG.md").read_text(), version)
    if not notes:
        print(f"release-notes: CHANGELOG.md has no notes for {version}", file=sys.stderr)
        return 1
    print(notes)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
