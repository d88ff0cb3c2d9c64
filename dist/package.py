#!/usr/bin/env python3
"""Release archives of errcode-lsp: one place that names them and builds them.

    python3 dist/package.py --target x86_64-unknown-linux-gnu --binary target/.../errcode-lsp --out dist-out
    python3 dist/package.py --name x86_64-pc-windows-msvc      # prints the archive name only
    python3 dist/package.py --list                             # every release target and its archive

An archive is `errcode-lsp-<target triple>.tar.gz` (`.zip` for Windows targets) and holds, at
its top level, the binary (`errcode-lsp`, `errcode-lsp.exe` on Windows), README.md,
CHANGELOG.md, LICENSE-MIT and LICENSE-APACHE. Next to it `<archive>.sha256` holds
`<sha256 hex>  <archive name>` (the format of `sha256sum`). Names carry no version, so
`.../releases/latest/download/<name>` always points at the newest one; the version is the
release tag (`v0.1.0`).

These names are used by .github/workflows/release.yml (which calls this script),
dist/install.sh, dist/install.ps1, the binstall metadata in server/Cargo.toml,
editors/nvim/mason/package.yaml and editors/zed/extension/src/lib.rs; tests/packaging.sh
checks that they all agree with TARGETS below.
"""

import argparse
import hashlib
import io
import os
import sys
import tarfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# Every target the release workflow builds. The Linux gnu targets are linked against
# glibc 2.17 (cargo-zigbuild's `<triple>.2.17`), but are named by their plain triple.
TARGETS = [
    "x86_64-unknown-linux-gnu",
    "aarch64-unknown-linux-gnu",
    "x86_64-unknown-linux-musl",
    "x86_64-apple-darwin",
    "aarch64-apple-darwin",
    "x86_64-pc-windows-msvc",
    "aarch64-pc-windows-msvc",
]

EXTRA_FILES = ["README.md", "CHANGELOG.md", "LICENSE-MIT", "LICENSE-APACHE"]


def is_windows(target: str) -> bool:
    return "-windows-" in target


def plain_triple(target: str) -> str:
    """`x86_64-unknown-linux-gnu.2.17` (cargo-zigbuild's glibc suffix) -> the plain triple."""
    if "-linux-gnu." in target:
        return target.split(".", 1)[0]
    return target


def archive_name(target: str) -> str:
    target = plain_triple(target)
    return f"errcode-lsp-{target}" + (".zip" if is_windows(target) else ".tar.gz")


def binary_name(target: str) -> str:
    return "errcode-lsp.exe" if is_windows(target) else "errcode-lsp"


def sha256_of(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def build(target: str, binary: Path, out: Path) -> Path:
    target = plain_triple(target)
    if target not in TARGETS:
        sys.exit(f"package.py: {target} is not a release target ({', '.join(TARGETS)})")
    if not binary.is_file():
        sys.exit(f"package.py: binary {binary} does not exist")
    missing = [f for f in EXTRA_FILES if not (ROOT / f).is_file()]
    if missing:
        sys.exit(f"package.py: missing {', '.join(missing)} at the repository root")
    out.mkdir(parents=True, exist_ok=True)
    # Reproducible timestamps when SOURCE_DATE_EPOCH is set (the workflow sets it to the
    # commit time).
    mtime = int(os.environ.get("SOURCE_DATE_EPOCH", time.time()))
    members = [(binary_name(target), binary, 0o755)] + [(f, ROOT / f, 0o644) for f in EXTRA_FILES]
    path = out / archive_name(target)
    if is_windows(target):
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
            for name, src, mode in members:
                info = zipfile.ZipInfo(name, time.gmtime(max(mtime, 315532800))[:6])
                info.external_attr = (0o100000 | mode) << 16
                info.compress_type = zipfile.ZIP_DEFLATED
                z.writestr(info, src.read_bytes())
    else:
        with tarfile.open(path, "w:gz", format=tarfile.PAX_FORMAT) as t:
            for name, src, mode in members:
                data = src.read_bytes()
                info = tarfile.TarInfo(name)
                info.size = len(data)
                info.mode = mode
                info.mtime = mtime
                info.uname = info.gname = ""
                t.addfile(info, io.BytesIO(data))
    digest = sha256_of(path)
    (out / (path.name + ".sha256")).write_text(f"{digest}  {path.name}\n")
    print(f"{path} {digest}")
    return path


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--target", help="target triple (cargo-zigbuild's .2.17 suffix is accepted)")
    p.add_argument("--binary", type=Path, help="the built errcode-lsp executable")
    p.add_argument("--out", type=Path, default=Path("dist-out"), help="output folder (default dist-out)")
    p.add_argument("--name", metavar="TARGET", help="print the archive name of TARGET and exit")
    p.add_argument("--list", action="store_true", help="print 'target archive' for every release target")
    a = p.parse_args()
    if a.name:
        print(archive_name(a.name))
    elif a.list:
        for t in TARGETS:
            print(t, archive_name(t))
    elif a.target and a.binary:
        build(a.target, a.binary, a.out)
    else:
        p.error("give --target and --binary, or --name, or --list")


if __name__ == "__main__":
    main()
