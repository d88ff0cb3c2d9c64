// `npm run package [-- --target <code target>] [-- --binary <path>]`: builds one
// platform-specific .vsix, errcode-lsp-<target>.vsix, with the errcode-lsp server for that
// platform in server/ (`errcode-lsp`, or `errcode-lsp.exe` for win32 targets).
//
//   npm run package                                   linux-x64 (the glibc 2.17 build when there is one)
//   npm run package -- --target darwin-arm64 --binary /path/to/errcode-lsp
//   ERRCODE_LSP_BINARY=/path/to/errcode-lsp.exe npm run package -- --target win32-x64
//   npm run package:universal                         errcode-lsp.vsix without a server (uses PATH)
//
// The binary comes from --binary, else $ERRCODE_LSP_BINARY, else the repository's build
// outputs for the target (dist/build-linux.sh's target/zigbuild/<triple>/release, then
// target/<triple>/release, and for linux-x64 last target/release). It is checked to be an
// executable of the target's format and architecture (ELF, Mach-O, PE; x64 or arm64; a static
// or musl binary for alpine-x64) and, when the target is this machine's platform, run with
// --version. Then: type check, esbuild (vscode:prepublish), vsce package with absolute README
// URLs, and a check of the .vsix's contents.
//
// --stage-only stops after putting the server into place (--server-dir, default server/);
// the unit tests use it.
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import { createRequire } from "node:module";
import * as path from "node:path";
import { fileURLToPath } from "node:url";
import * as zlib from "node:zlib";

const here = path.dirname(fileURLToPath(import.meta.url));
const extDir = path.resolve(here, "..");
const repoRoot = path.resolve(extDir, "..", "..");
const REPO = "https://github.com/errcode-lsp/errcode-lsp";

/** VS Code platform target -> what the server binary must be. */
export const TARGETS = {
  "linux-x64": { triple: "x86_64-unknown-linux-gnu", os: "linux", arch: "x64" },
  "linux-arm64": { triple: "aarch64-unknown-linux-gnu", os: "linux", arch: "arm64" },
  "alpine-x64": { triple: "x86_64-unknown-linux-musl", os: "linux", arch: "x64", musl: true },
  "darwin-x64": { triple: "x86_64-apple-darwin", os: "darwin", arch: "x64" },
  "darwin-arm64": { triple: "aarch64-apple-darwin", os: "darwin", arch: "arm64" },
  "win32-x64": { triple: "x86_64-pc-windows-msvc", os: "win32", arch: "x64" },
  "win32-arm64": { triple: "aarch64-pc-windows-msvc", os: "win32", arch: "arm64" },
};

function fail(message) {
  console.error(`\npackage: error: ${message}\n`);
  process.exit(1);
}

function parseArgs(argv) {
  const opts = { target: undefined, binary: undefined, universal: false, stageOnly: false, serverDir: path.join(extDir, "server") };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = () => {
      const v = a.includes("=") ? a.slice(a.indexOf("=") + 1) : argv[++i];
      if (v === undefined || v === "") fail(`${a} needs a value`);
      return v;
    };
    if (a === "--target" || a.startsWith("--target=")) opts.target = value();
    else if (a === "--binary" || a.startsWith("--binary=")) opts.binary = value();
    else if (a === "--server-dir" || a.startsWith("--server-dir=")) opts.serverDir = path.resolve(value());
    else if (a === "--universal") opts.universal = true;
    else if (a === "--stage-only") opts.stageOnly = true;
    else fail(`unknown argument ${a}`);
  }
  if (opts.universal && opts.target) fail("--universal and --target exclude each other");
  if (!opts.universal) {
    opts.target ??= "linux-x64";
    if (!TARGETS[opts.target]) fail(`unknown target ${opts.target}; one of ${Object.keys(TARGETS).join(", ")}`);
  }
  return opts;
}

// ------------------------------------------------------------------ binary format

/** What kind of executable `buf` (the file's bytes) is: { format, arch, interp?, glibc? } or an error string. */
export function inspectBinary(buf) {
  if (buf.length >= 64 && buf.readUInt32BE(0) === 0x7f454c46) {
    if (buf[4] !== 2 || buf[5] !== 1) return "an ELF file, but not 64-bit little-endian";
    const machine = buf.readUInt16LE(18);
    const arch = { 62: "x64", 183: "arm64" }[machine];
    if (!arch) return `an ELF file for machine ${machine}, neither x86-64 nor aarch64`;
    const type = buf.readUInt16LE(16);
    if (type !== 2 && type !== 3) return `an ELF file of type ${type}, not an executable`;
    let interp;
    const phoff = Number(buf.readBigUInt64LE(32));
    const phentsize = buf.readUInt16LE(54);
    const phnum = buf.readUInt16LE(56);
    for (let i = 0; i < phnum; i++) {
      const ph = phoff + i * phentsize;
      if (ph + 56 > buf.length) break;
      if (buf.readUInt32LE(ph) === 3 /* PT_INTERP */) {
        const off = Number(buf.readBigUInt64LE(ph + 8));
        const size = Number(buf.readBigUInt64LE(ph + 32));
        interp = buf.subarray(off, off + size).toString("latin1").replace(/\0+$/, "");
      }
    }
    // The highest GLIBC_x.y symbol version named in the file (its .dynstr).
    let glibc;
    for (const m of buf.toString("latin1").matchAll(/GLIBC_(\d+)\.(\d+)(?:\.\d+)?\0/g)) {
      const v = [Number(m[1]), Number(m[2])];
      if (!glibc || v[0] > glibc[0] || (v[0] === glibc[0] && v[1] > glibc[1])) glibc = v;
    }
    return { format: "elf", os: "linux", arch, interp, glibc: glibc && glibc.join(".") };
  }
  if (buf.length >= 8 && buf.readUInt32LE(0) === 0xfeedfacf) {
    const cpu = buf.readUInt32LE(4);
    const arch = { 0x01000007: "x64", 0x0100000c: "arm64" }[cpu];
    if (!arch) return `a Mach-O file for CPU type 0x${cpu.toString(16)}`;
    return { format: "macho", os: "darwin", arch };
  }
  if (buf.length >= 8 && buf.readUInt32BE(0) === 0xcafebabe) {
    const n = buf.readUInt32BE(4);
    const archs = [];
    for (let i = 0; i < n && 8 + i * 20 + 4 <= buf.length; i++) {
      const a = { 0x01000007: "x64", 0x0100000c: "arm64" }[buf.readUInt32BE(8 + i * 20)];
      if (a) archs.push(a);
    }
    return { format: "macho", os: "darwin", arch: archs.join("+"), archs };
  }
  if (buf.length >= 0x40 && buf.toString("latin1", 0, 2) === "MZ") {
    const pe = buf.readUInt32LE(0x3c);
    if (pe + 6 > buf.length || buf.readUInt32BE(pe) !== 0x50450000) return "an MZ file without a PE header";
    const machine = buf.readUInt16LE(pe + 4);
    const arch = { 0x8664: "x64", 0xaa64: "arm64" }[machine];
    if (!arch) return `a PE file for machine 0x${machine.toString(16)}`;
    return { format: "pe", os: "win32", arch };
  }
  return "not an executable (no ELF, Mach-O or PE header)";
}

/** Why `info` (from inspectBinary) cannot serve `target`, or undefined when it can. */
export function mismatch(target, info) {
  const want = TARGETS[target];
  if (typeof info === "string") return info;
  if (info.os !== want.os) return `a ${info.format} (${info.os}) executable, but ${target} needs a ${want.os} one`;
  const archs = info.archs ?? [info.arch];
  if (!archs.includes(want.arch)) return `built for ${info.arch}, but ${target} needs ${want.arch}`;
  if (info.format === "elf" && info.interp) {
    const musl = /ld-musl/.test(info.interp);
    if (want.musl && !musl) return `dynamically linked against glibc (${info.interp}); alpine-x64 needs a static or musl build`;
    if (!want.musl && musl) return `linked against musl (${info.interp}); ${target} needs a glibc or static build`;
  }
  return undefined;
}

// ------------------------------------------------------------------ the binary

function exeName(target) {
  return TARGETS[target].os === "win32" ? "errcode-lsp.exe" : "errcode-lsp";
}

function findBinary(opts) {
  const explicit = opts.binary ?? process.env.ERRCODE_LSP_BINARY;
  if (explicit) return { file: path.resolve(explicit), why: opts.binary ? "--binary" : "ERRCODE_LSP_BINARY" };
  const { triple } = TARGETS[opts.target];
  const exe = exeName(opts.target);
  const zig = path.join(repoRoot, "target", "zigbuild", triple, "release", exe);
  const cross = path.join(repoRoot, "target", triple, "release", exe);
  const host = path.join(repoRoot, "target", "release", exe);
  const mtime = (f) => fs.statSync(f).mtimeMs;
  if (fs.existsSync(zig)) {
    if (opts.target === "linux-x64" && fs.existsSync(host) && mtime(host) > mtime(zig)) {
      console.warn(
        `package: warning: ${path.relative(repoRoot, zig)} is older than target/release/errcode-lsp; ` +
          "it may be stale (rebuild it with: bash dist/build-linux.sh)",
      );
    }
    return { file: zig, why: opts.target.startsWith("linux") ? "glibc 2.17 build of dist/build-linux.sh" : "dist/build-linux.sh" };
  }
  if (fs.existsSync(cross)) return { file: cross, why: `cargo build --target ${triple}` };
  if (opts.target === "linux-x64" && process.platform === "linux" && process.arch === "x64" && fs.existsSync(host)) {
    console.warn(
      "package: note: no glibc 2.17 build (target/zigbuild/x86_64-unknown-linux-gnu/release/errcode-lsp); " +
        "packaging this machine's target/release/errcode-lsp instead, which needs this machine's glibc or newer. " +
        "For a package that runs on older distributions: bash dist/build-linux.sh",
    );
    return { file: host, why: "host build (target/release)" };
  }
  fail(
    `no errcode-lsp binary for ${opts.target}. Build one (${
      opts.target.startsWith("linux") || opts.target === "alpine-x64" ? `bash dist/build-linux.sh ${triple}${opts.target === "alpine-x64" ? "" : ".2.17"}` : `cargo build --release --target ${triple}`
    }) or pass --binary / set ERRCODE_LSP_BINARY.`,
  );
}

function hostCanRun(target) {
  const t = TARGETS[target];
  return t.os === process.platform && t.arch === process.arch;
}

function stageServer(opts) {
  const { file, why } = findBinary(opts);
  if (!fs.existsSync(file) || !fs.statSync(file).isFile()) fail(`the server binary ${file} does not exist`);
  const info = inspectBinary(fs.readFileSync(file));
  const wrong = mismatch(opts.target, info);
  if (wrong) fail(`${file} cannot be the server of the ${opts.target} package: it is ${wrong}`);
  const facts = [`${info.format} ${info.arch}`];
  if (info.format === "elf") facts.push(info.interp ? `interpreter ${info.interp}` : "static");
  if (info.glibc) facts.push(`needs glibc ${info.glibc}`);

  let version = "";
  if (hostCanRun(opts.target)) {
    try {
      version = execFileSync(file, ["--version"], { encoding: "utf8", timeout: 20000 }).trim();
    } catch (err) {
      fail(`${file} does not run: ${err.message}`);
    }
    if (!/^errcode-lsp \d/.test(version)) fail(`${file} --version printed "${version}", not "errcode-lsp <version>"`);
    const ours = JSON.parse(fs.readFileSync(path.join(extDir, "package.json"), "utf8")).version;
    if (version !== `errcode-lsp ${ours}`) console.warn(`package: warning: the server is ${version}, the extension ${ours}`);
  } else {
    version = `not run: ${opts.target} is not this machine's platform (${process.platform}-${process.arch})`;
  }

  // Only this target's binary goes into the package.
  fs.rmSync(opts.serverDir, { recursive: true, force: true });
  fs.mkdirSync(opts.serverDir, { recursive: true });
  const dest = path.join(opts.serverDir, exeName(opts.target));
  fs.copyFileSync(file, dest);
  fs.chmodSync(dest, 0o755);
  // Debug info is of no use to users: strip it when the host's strip can (same format).
  if (info.format === "elf" && process.platform === "linux" && info.arch === process.arch) {
    try {
      execFileSync("strip", ["--strip-debug", dest], { stdio: "ignore" });
    } catch {
      // no binutils: ship it as it is
    }
  }
  const size = fs.statSync(dest).size;
  console.log(
    `package: ${opts.target}: server/${exeName(opts.target)} <- ${file} (${why}; ${facts.join(", ")}; ${(size / 1048576).toFixed(1)} MB; ${version})`,
  );
  return { dest, size };
}

// ------------------------------------------------------------------ the .vsix

/** The entries of a zip file: name -> { mode, size, data() }. */
export function readZip(file) {
  const buf = fs.readFileSync(file);
  let eocd = -1;
  for (let i = buf.length - 22; i >= Math.max(0, buf.length - 65557); i--) {
    if (buf.readUInt32LE(i) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw new Error(`${file} is not a zip file`);
  const count = buf.readUInt16LE(eocd + 10);
  let p = buf.readUInt32LE(eocd + 16);
  const entries = new Map();
  for (let i = 0; i < count; i++) {
    if (buf.readUInt32LE(p) !== 0x02014b50) throw new Error(`${file}: bad central directory`);
    const method = buf.readUInt16LE(p + 10);
    const csize = buf.readUInt32LE(p + 20);
    const size = buf.readUInt32LE(p + 24);
    const nameLen = buf.readUInt16LE(p + 28);
    const extraLen = buf.readUInt16LE(p + 30);
    const commentLen = buf.readUInt16LE(p + 32);
    const mode = buf.readUInt32LE(p + 38) >>> 16;
    const local = buf.readUInt32LE(p + 42);
    const name = buf.toString("utf8", p + 46, p + 46 + nameLen);
    const data = () => {
      const start = local + 30 + buf.readUInt16LE(local + 26) + buf.readUInt16LE(local + 28);
      const raw = buf.subarray(start, start + csize);
      return method === 8 ? zlib.inflateRawSync(raw) : raw;
    };
    entries.set(name, { mode, size, data });
    p += 46 + nameLen + extraLen + commentLen;
  }
  return entries;
}

/** Relative (or non-https) links and images left in a Markdown text. */
export function relativeLinks(markdown) {
  const bad = [];
  for (const m of markdown.matchAll(/!?\[[^\]]*\]\(([^)\s]+)[^)]*\)/g)) {
    const link = m[1];
    if (link.startsWith("#") || /^mailto:/i.test(link)) continue;
    if (!/^https:\/\//.test(link) || /\/\.\.?\//.test(link)) bad.push(link);
  }
  for (const m of markdown.matchAll(/<img[^>]+src=["']([^"']+)["']/g)) {
    if (!/^https:\/\//.test(m[1])) bad.push(m[1]);
  }
  return bad;
}

function checkVsix(file, opts, staged) {
  const entries = readZip(file);
  const problems = [];
  const need = ["extension/package.json", "extension/dist/extension.js", "extension/images/icon.png", "extension/LICENSE.txt",
    "extension/readme.md", "extension/changelog.md", "extension/schemas/catalog.schema.json", "extension/schemas/errcode.schema.json"];
  for (const name of need) if (!entries.has(name)) problems.push(`${name} is missing`);
  const servers = [...entries.keys()].filter((n) => n.startsWith("extension/server/"));
  if (opts.universal) {
    if (servers.length) problems.push(`a universal package with a server: ${servers.join(", ")}`);
  } else {
    const want = `extension/server/${exeName(opts.target)}`;
    if (servers.length !== 1 || servers[0] !== want) problems.push(`server/ holds ${servers.join(", ") || "nothing"}, expected ${want}`);
    const e = entries.get(want);
    if (e && e.size !== staged.size) problems.push(`${want} is ${e.size} bytes, the staged binary ${staged.size}`);
    if (e && TARGETS[opts.target].os !== "win32" && (e.mode & 0o111) === 0) problems.push(`${want} is not executable in the zip`);
  }
  for (const name of ["extension/readme.md", "extension/changelog.md"]) {
    const e = entries.get(name);
    if (e) for (const link of relativeLinks(e.data().toString("utf8"))) problems.push(`${name}: relative link ${link}`);
  }
  const manifest = entries.get("extension/package.json");
  if (manifest) {
    const m = JSON.parse(manifest.data().toString("utf8"));
    if (m.scripts?.["vscode:prepublish"] === undefined) problems.push("package.json without vscode:prepublish");
  }
  if (problems.length) fail(`${path.basename(file)}:\n  ${problems.join("\n  ")}`);
  const total = [...entries.values()].reduce((n, e) => n + e.size, 0);
  console.log(
    `package: ${path.basename(file)}: ${entries.size} files, ${(total / 1048576).toFixed(1)} MB unpacked, ` +
      `${(fs.statSync(file).size / 1048576).toFixed(1)} MB packed; ${servers.join(", ") || "no server"}`,
  );
}

function vsceBin() {
  const require = createRequire(import.meta.url);
  const pkgFile = require.resolve("@vscode/vsce/package.json");
  const bin = JSON.parse(fs.readFileSync(pkgFile, "utf8")).bin;
  return path.join(path.dirname(pkgFile), typeof bin === "string" ? bin : bin.vsce);
}

function main() {
  const opts = parseArgs(process.argv.slice(2));
  // The schemas the manifest contributes, fresh from the repository's schemas/.
  fs.mkdirSync(path.join(extDir, "schemas"), { recursive: true });
  for (const s of ["catalog.schema.json", "errcode.schema.json"]) {
    fs.copyFileSync(path.join(repoRoot, "schemas", s), path.join(extDir, "schemas", s));
  }
  let staged;
  if (opts.universal) {
    fs.rmSync(opts.serverDir, { recursive: true, force: true });
    console.log("package: universal package, no server bundled (the extension uses errcode-lsp on PATH)");
  } else {
    staged = stageServer(opts);
  }
  if (opts.stageOnly) return;

  execFileSync(process.execPath, [path.join(extDir, "node_modules", "typescript", "bin", "tsc"), "-p", ".", "--noEmit"], {
    cwd: extDir,
    stdio: "inherit",
  });
  const out = opts.universal ? "errcode-lsp.vsix" : `errcode-lsp-${opts.target}.vsix`;
  const args = ["package", "--out", out, "--baseContentUrl", `${REPO}/blob/main/editors/vscode`, "--baseImagesUrl", `${REPO}/raw/main/editors/vscode`];
  if (!opts.universal) args.push("--target", opts.target);
  execFileSync(process.execPath, [vsceBin(), ...args], { cwd: extDir, stdio: "inherit" });
  checkVsix(path.join(extDir, out), opts, staged);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main();
