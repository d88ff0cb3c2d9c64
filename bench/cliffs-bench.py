#!/usr/bin/env python3
"""Resource cliffs of errcode-lsp (issue 14): huge team catalogs and huge lines.

    python3 bench/cliffs-bench.py [--bin target/release/errcode-lsp] [--only NAME ...]

Generates its inputs in a temporary folder and measures, against the real binary:

  load      `errcode-lsp status` on a project whose team catalog has --codes codes (200,000),
            without and with --deprecated of them deprecated (20,000): the cost of checking
            every `replaced_by` (median of 3 runs each)
  import    `errcode-lsp catalog import` of a docs page with --import-codes codes (300,000),
            each under its own category heading (bounded by --import-timeout)
  reload    the language server on that project (the big catalog, nothing deprecated): a burst
            of --burst didChangeWatchedFiles notifications for errcode.toml, one per message,
            then a hover at once: the hover's round trip, how long until the server is idle
            again, and how many reloads ran (the "reloaded the projects" lines of its log;
            n/a for a server that does not log them)
  complete  completion in an empty string (`e.code === ""`) with that catalog: round trip,
            items returned, isIncomplete
  line      a --line-mb (4.2) MB single-line JSON document, twice: records with a code each
            (37,000 findings), and a list of nothing but codes (221,000 findings): didOpen ->
            diagnostics, how many, the server's VmHWM before and after, a hover at the end

Prints one line per number. Every wait is bounded; the script always exits 0 (a measurement,
not a test). Python 3 standard library only; reuses the client of bench/lsp-bench.py.
"""

import argparse
import importlib.util
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)

_spec = importlib.util.spec_from_file_location("lsp_bench", os.path.join(HERE, "lsp-bench.py"))
lsp_bench = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(lsp_bench)
Server, Timeout, path_uri = lsp_bench.Server, lsp_bench.Timeout, lsp_bench.path_uri

WORDS = ["ACCOUNT", "BILLING", "CARD", "DECLINED", "EXPIRED", "FRAUD", "GATEWAY", "HOLD", "INVOICE", "LIMIT",
         "MERCHANT", "NETWORK", "ORDER", "PAYMENT", "QUOTA", "REFUND", "SESSION", "TOKEN", "USER", "VOUCHER"]


def code_name(i):
    """A distinct, code-shaped name for every i."""
    a, b = WORDS[i % len(WORDS)], WORDS[(i // len(WORDS)) % len(WORDS)]
    return "%s_%s_%d" % (a, b, i)


def catalog_toml(n, deprecated):
    """A team catalog of `n` codes; the last `deprecated` of them are replaced by the codes just
    before them (late in the file: the worst case for a replacement looked for by a scan)."""
    out = ['[catalog]\nname = "big"\ndescription = "A generated team catalog."\n']
    for i in range(n):
        out.append('\n[[codes]]\ncode = "%s"\ncategory = "Cat %d"\nsummary = "Generated code %d."\n'
                   % (code_name(i), i % 50, i))
        if i >= n - deprecated:
            out.append('status = "deprecated"\nreplaced_by = "%s"\n' % code_name(i - deprecated))
    return "".join(out)


def project(root, n, deprecated):
    os.makedirs(os.path.join(root, ".git"), exist_ok=True)
    os.makedirs(os.path.join(root, "errors"), exist_ok=True)
    with open(os.path.join(root, "errors", "big.toml"), "w") as f:
        f.write(catalog_toml(n, deprecated))
    with open(os.path.join(root, "errcode.toml"), "w") as f:
        f.write('catalogs = ["errors/big.toml"]\n')


def timed(cmd, timeout, **kw):
    """(seconds, return code); (None, None) when it ran past `timeout`."""
    t0 = time.perf_counter()
    try:
        rc = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=timeout, **kw).returncode
    except subprocess.TimeoutExpired:
        return None, None
    return time.perf_counter() - t0, rc


def fmt_s(x):
    return "n/a" if x is None else ("%.0f ms" % (x * 1e3) if x < 10 else "%.1f s" % x)


def bench_load(args, tmp):
    times = {}
    for deprecated in (0, args.deprecated):
        root = os.path.join(tmp, "load-%d" % deprecated)
        project(root, args.codes, deprecated)
        runs = [timed([args.bin, "status", root], args.timeout)[0] for _ in range(3)]
        runs = [r for r in runs if r is not None]
        times[deprecated] = statistics.median(runs) if runs else None
    print("load: status with %d codes: %s; with %d of them deprecated: %s" % (
        args.codes, fmt_s(times[0]), args.deprecated, fmt_s(times[args.deprecated])))
    if times[0] is not None and times[args.deprecated] is not None:
        print("load: the replaced_by check costs %s" % fmt_s(times[args.deprecated] - times[0]))


def bench_import(args, tmp):
    page = os.path.join(tmp, "page.txt")
    with open(page, "w") as f:
        f.write("Generated Service Error Codes\n\n")
        for i in range(args.import_codes):
            f.write("Group %d\n%s\nThe request failed (%d). Try again later.\n\n" % (i, code_name(i), i))
    out = os.path.join(tmp, "imported.toml")
    dt, rc = timed([args.bin, "catalog", "import", page, "--name", "big", "-o", out], args.import_timeout)
    if dt is None:
        print("import: %d codes: over %d s (stopped)" % (args.import_codes, args.import_timeout))
    else:
        print("import: %d codes: %s (exit %d)" % (args.import_codes, fmt_s(dt), rc))


def status(server, timeout):
    _, msg = server.call("errcode/status", {}, timeout=timeout)
    return msg.get("result") or {}


def bench_server(args, tmp, which):
    root = os.path.join(tmp, "server")
    if not os.path.exists(os.path.join(root, "errcode.toml")):
        project(root, args.codes, 0)
    src = os.path.join(root, "a.ts")
    text = 'if (e.code === "") {}\nconst x = "%s";\n' % code_name(7)
    with open(src, "w") as f:
        f.write(text)
    log = os.path.join(tmp, "server.log")
    if os.path.exists(log):
        os.remove(log)
    os.environ["ERRCODE_LSP_LOG"] = "info"
    os.environ["ERRCODE_LSP_LOG_FILE"] = log
    os.environ["ERRCODE_LSP_CONFIG_DIR"] = os.path.join(tmp, "no-user-config")
    server = Server(args.bin, os.path.join(tmp, "server.stderr"))
    uri = path_uri(src)
    try:
        t0 = time.perf_counter()
        server.initialize(root)
        print("server: initialize with %d codes: %s" % (args.codes, fmt_s(time.perf_counter() - t0)))
        server.notify("textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": "typescript",
                                                                "version": 1, "text": text}})
        server.wait_note(lsp_bench.diag_for(uri, 1), args.timeout)
        server.drain(quiet=0.5)
        hover = {"textDocument": {"uri": uri}, "position": {"line": 1, "character": 14}}
        if "complete" in which:
            times, last = [], None
            for _ in range(5):
                dt, msg = server.call("textDocument/completion", {
                    "textDocument": {"uri": uri}, "position": {"line": 0, "character": 16}}, timeout=args.timeout)
                times.append(dt)
                last = msg.get("result") or {}
            items = last.get("items", []) if isinstance(last, dict) else last
            incomplete = last.get("isIncomplete") if isinstance(last, dict) else None
            print("complete: empty string, %d codes: median %s of 5 (first %s), %d items, isIncomplete %s" % (
                args.codes, fmt_s(statistics.median(times)), fmt_s(times[0]), len(items), incomplete))
        if "reload" in which:
            dt, _ = server.call("textDocument/hover", hover, timeout=args.timeout)
            print("reload: hover when idle: %s" % fmt_s(dt))
            config = path_uri(os.path.join(root, "errcode.toml"))
            t0 = time.perf_counter()
            for _ in range(args.burst):
                server.notify("workspace/didChangeWatchedFiles", {"changes": [{"uri": config, "type": 2}]})
            dt, msg = server.call("textDocument/hover", hover, timeout=args.timeout)
            ok = bool(msg.get("result"))
            print("reload: hover right after %d change events: %s (%s)" % (
                args.burst, fmt_s(dt), "answered" if ok else "no content"))
            # Idle again: the status says the reload is over (older servers: it answers at all).
            while True:
                st = status(server, args.timeout)
                if not st.get("reloading") or time.perf_counter() - t0 > args.timeout:
                    break
                time.sleep(0.05)
            print("reload: the burst was over after %s" % fmt_s(time.perf_counter() - t0))
            with open(log) as f:
                reloads = sum(1 for line in f if "reloaded the projects" in line)
            print("reload: reloads run for %d events: %s" % (args.burst, reloads if reloads else "n/a"))
    except Timeout as e:
        print("server: %s" % e)
    finally:
        server.close()


def bench_line(args, tmp, kind):
    """A one-line JSON document: `objects` (records with a code each, a sixth of them misspelled)
    or `list` (nothing but codes, a third misspelled, a third deprecated)."""
    root = os.path.join(tmp, "line")
    os.makedirs(os.path.join(root, ".git"), exist_ok=True)
    with open(os.path.join(root, "package.json"), "w") as f:
        json.dump({"dependencies": {"@cloudbase/js-sdk": "^2"}}, f)
    rng = random.Random(3)
    if kind == "objects":
        codes = ["EXCEED_RATE_LIMIT", "FUNCTION_NOT_FOUN", "INVALID_ENV_ID", "RESOURCE_NOT_FOUND", "SYS_ERR",
                 "DATABASE_PERMISION_DENIED", "FUNCTIONS_TIME_LIMIT_EXCEEDED"]
        item = lambda i: '{"id":%d,"code":"%s","msg":"request failed"}' % (rng.randrange(10 ** 6), rng.choice(codes))
    else:
        codes = ["FUNCTION_NOT_FOUN", "EXCEED_RATE_LIMIT", "INVALID_ENV_ID"]
        item = lambda i: '"%s"' % codes[i % len(codes)]
    parts, size = [], 0
    target = int(args.line_mb * 1e6)
    while size < target:
        parts.append(item(len(parts)))
        size += len(parts[-1]) + 1
    text = "[" + ",".join(parts) + "]"
    path = os.path.join(root, "%s.json" % kind)
    with open(path, "w") as f:
        f.write(text)
    server = Server(args.bin, os.path.join(tmp, "line.stderr"))
    try:
        server.initialize(root)
        server.drain(quiet=0.3)
        _, hwm0 = server.memory()
        uri = path_uri(path)
        t0 = server.notify("textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": "json",
                                                                     "version": 1, "text": text}})
        t1, msg = server.wait_note(lsp_bench.diag_for(uri, 1), args.timeout)
        n = len(msg["params"]["diagnostics"])
        server.drain(quiet=0.5)
        rss, hwm = server.memory()
        print("line (%s): %.1f MB on one line, %d items: didOpen -> %d diagnostics in %s; VmHWM %.0f MB idle, "
              "%.0f MB after (VmRSS %.0f MB)" % (kind, len(text) / 1e6, len(parts), n, fmt_s(t1 - t0), hwm0, hwm, rss))
        # A hover on the last code of the line (the window around the position, not the line).
        col = text.rfind("_") - 2
        dt, _ = server.call("textDocument/hover", {"textDocument": {"uri": uri},
                                                   "position": {"line": 0, "character": col}}, timeout=args.timeout)
        _, hwm2 = server.memory()
        print("line (%s): hover at the end of the line: %s; VmHWM %.0f MB" % (kind, fmt_s(dt), hwm2))
    except Timeout as e:
        print("line (%s): %s" % (kind, e))
    finally:
        server.close()


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--bin", default=os.environ.get("ERRCODE_LSP", os.path.join(ROOT, "target/release/errcode-lsp")))
    ap.add_argument("--only", nargs="*", default=["load", "import", "reload", "complete", "line"])
    ap.add_argument("--codes", type=int, default=200_000)
    ap.add_argument("--deprecated", type=int, default=20_000)
    ap.add_argument("--import-codes", type=int, default=300_000)
    ap.add_argument("--import-timeout", type=int, default=120)
    ap.add_argument("--burst", type=int, default=20)
    ap.add_argument("--line-mb", type=float, default=4.2)
    ap.add_argument("--timeout", type=float, default=300.0, help="bound on every other wait (seconds)")
    args = ap.parse_args()
    if not os.access(args.bin, os.X_OK):
        print("building %s ..." % args.bin, file=sys.stderr)
        subprocess.run(["cargo", "build", "--release"], cwd=ROOT, check=True)
    print("binary: %s; %d cores" % (args.bin, os.cpu_count()))
    tmp = tempfile.mkdtemp(prefix="errcode-lsp-cliffs-")
    if "load" in args.only:
        bench_load(args, tmp)
    if "import" in args.only:
        bench_import(args, tmp)
    which = [w for w in ("reload", "complete") if w in args.only]
    if which:
        bench_server(args, tmp, which)
    for kind in ("objects", "list"):
        if "line" in args.only:
            bench_line(args, tmp, kind)
    print("inputs: %s" % tmp)


if __name__ == "__main__":
    main()
