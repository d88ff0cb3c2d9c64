// scripts/package.mjs: which binary goes into which platform package. Runs the script with
// --stage-only on small files that carry real ELF / Mach-O / PE headers.
import { strict as assert } from "node:assert";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { after, describe, it } from "node:test";

const ext = path.join(__dirname, "..", "..");
const script = path.join(ext, "scripts", "package.mjs");
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "errcode-package-test-"));
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

function elf(machine: number, interp?: string, glibc?: string): Buffer {
  const head = Buffer.alloc(120);
  head.writeUInt32BE(0x7f454c46, 0);
  head[4] = 2; // 64-bit
  head[5] = 1; // little-endian
  head.writeUInt16LE(3, 16); // ET_DYN (PIE)
  head.writeUInt16LE(machine, 18);
  head.writeBigUInt64LE(64n, 32); // e_phoff
  head.writeUInt16LE(56, 54); // e_phentsize
  head.writeUInt16LE(interp ? 1 : 0, 56); // e_phnum
  if (interp) {
    head.writeUInt32LE(3, 64); // PT_INTERP
    head.writeBigUInt64LE(120n, 64 + 8);
    head.writeBigUInt64LE(BigInt(interp.length + 1), 64 + 32);
  }
  const tail = Buffer.from(`${interp ?? ""}\0${glibc ? `GLIBC_2.2.5\0GLIBC_${glibc}\0GLIBC_2.3\0` : ""}`, "latin1");
  return Buffer.concat([head, tail]);
}
function pe(machine: number): Buffer {
  const b = Buffer.alloc(0x100);
  b.write("MZ", 0, "latin1");
  b.writeUInt32LE(0x40, 0x3c);
  b.writeUInt32BE(0x50450000, 0x40);
  b.writeUInt16LE(machine, 0x44);
  return b;
}
function macho(cpu: number): Buffer {
  const b = Buffer.alloc(64);
  b.writeUInt32LE(0xfeedfacf, 0);
  b.writeUInt32LE(cpu, 4);
  return b;
}

const X64 = 62;
const ARM64 = 183;
const GLIBC = "/lib64/ld-linux-x86-64.so.2";
let n = 0;
function stage(target: string, binary: Buffer, how: "arg" | "env" = "arg") {
  const file = path.join(tmp, `bin-${++n}`);
  fs.writeFileSync(file, binary);
  const serverDir = path.join(tmp, `server-${n}`);
  const args = [script, "--stage-only", "--target", target, "--server-dir", serverDir];
  if (how === "arg") args.push("--binary", file);
  const env = { ...process.env, ERRCODE_LSP_BINARY: how === "env" ? file : "" };
  const r = spawnSync(process.execPath, args, { encoding: "utf8", env });
  const files = fs.existsSync(serverDir) ? fs.readdirSync(serverDir) : [];
  return { status: r.status, out: `${r.stdout}${r.stderr}`, files, serverDir };
}

const host = `${process.platform}-${process.arch}`;
const TARGETS = ["linux-x64", "linux-arm64", "alpine-x64", "darwin-x64", "darwin-arm64", "win32-x64", "win32-arm64"];
/** Whether this machine runs `target`'s binaries (then the script runs them: alpine-x64 is linux-x64). */
const foreign = (t: string) => t.replace(/^alpine-/, "linux-") !== host;

describe("scripts/package.mjs --stage-only", () => {
  const cases: [string, Buffer, string][] = [
    ["linux-x64", elf(X64, GLIBC, "2.17"), "errcode-lsp"],
    ["linux-arm64", elf(ARM64, "/lib/ld-linux-aarch64.so.1", "2.17"), "errcode-lsp"],
    ["alpine-x64", elf(X64), "errcode-lsp"],
    ["darwin-x64", macho(0x01000007), "errcode-lsp"],
    ["darwin-arm64", macho(0x0100000c), "errcode-lsp"],
    ["win32-x64", pe(0x8664), "errcode-lsp.exe"],
    ["win32-arm64", pe(0xaa64), "errcode-lsp.exe"],
  ];
  for (const [target, binary, name] of cases) {
    it(`puts a ${target} binary into server/ as ${name}`, { skip: !foreign(target) && "the host's own target runs the binary: see the next test" }, () => {
      const r = stage(target, binary);
      assert.equal(r.status, 0, r.out);
      assert.deepEqual(r.files, [name]);
      assert.match(r.out, /not run: .* is not this machine's platform/);
      if (process.platform !== "win32") assert.ok(fs.statSync(path.join(r.serverDir, name)).mode & 0o100, "not executable");
    });
  }

  it("runs the binary with --version when the target is this machine's platform", { skip: !TARGETS.includes(host) && `no package for ${host}` }, () => {
    // node is an executable of this platform, but not the server: it must be run and refused.
    const r = spawnSync(process.execPath, [script, "--stage-only", "--target", host, "--binary", process.execPath, "--server-dir", path.join(tmp, "h")], {
      encoding: "utf8",
    });
    assert.notEqual(r.status, 0, r.stdout);
    assert.match(r.stderr, new RegExp(`--version printed "${process.version}", not "errcode-lsp <version>"`));
  });

  const built = path.join(ext, "..", "..", "target", "release", process.platform === "win32" ? "errcode-lsp.exe" : "errcode-lsp");
  it("stages the real server of this machine, with its version", { skip: (!fs.existsSync(built) || !TARGETS.includes(host)) && "no target/release build" }, () => {
    const serverDir = path.join(tmp, "real");
    const r = spawnSync(process.execPath, [script, "--stage-only", "--target", host, "--binary", built, "--server-dir", serverDir], { encoding: "utf8" });
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /errcode-lsp \d+\.\d+\.\d+\)$/m);
    assert.deepEqual(fs.readdirSync(serverDir), [path.basename(built)]);
  });

  it("takes the binary from ERRCODE_LSP_BINARY", () => {
    const r = stage("win32-arm64", pe(0xaa64), "env");
    assert.equal(r.status, 0, r.out);
    assert.deepEqual(r.files, ["errcode-lsp.exe"]);
    assert.match(r.out, /ERRCODE_LSP_BINARY/);
  });

  it("reports how new a glibc the Linux binary needs", () => {
    const r = stage("linux-arm64", elf(ARM64, "/lib/ld-linux-aarch64.so.1", "2.28"));
    assert.equal(r.status, 0, r.out);
    assert.match(r.out, /needs glibc 2\.28/);
  });

  const refusals: [string, Buffer, RegExp][] = [
    ["linux-arm64", elf(X64, GLIBC), /built for x64, but linux-arm64 needs arm64/],
    ["alpine-x64", elf(X64, GLIBC, "2.17"), /alpine-x64 needs a static or musl build/],
    ["linux-arm64", elf(ARM64, "/lib/ld-musl-aarch64.so.1"), /linked against musl/],
    ["darwin-arm64", macho(0x01000007), /needs arm64/],
    ["win32-x64", elf(X64, GLIBC), /needs a win32 one/],
    ["darwin-x64", pe(0x8664), /needs a darwin one/],
    ["win32-arm64", pe(0x14c), /machine 0x14c/],
    ["darwin-x64", Buffer.from("just text"), /not an executable/],
  ];
  for (const [target, binary, why] of refusals) {
    it(`refuses the wrong binary for ${target} (${why.source})`, () => {
      const r = stage(target, binary);
      assert.notEqual(r.status, 0, r.out);
      assert.match(r.out, why);
      assert.deepEqual(r.files, [], "nothing staged");
    });
  }

  it("refuses an unknown target", () => {
    const r = stage("linux-riscv64", elf(X64));
    assert.notEqual(r.status, 0);
    assert.match(r.out, /unknown target linux-riscv64/);
  });

  it("replaces what an earlier package left in server/", () => {
    const serverDir = path.join(tmp, "reuse");
    fs.mkdirSync(serverDir, { recursive: true });
    fs.writeFileSync(path.join(serverDir, "errcode-lsp"), "old linux binary");
    const file = path.join(tmp, "win.exe");
    fs.writeFileSync(file, pe(0x8664));
    const r = spawnSync(process.execPath, [script, "--stage-only", "--target", "win32-x64", "--binary", file, "--server-dir", serverDir], {
      encoding: "utf8",
    });
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(fs.readdirSync(serverDir), ["errcode-lsp.exe"]);
  });
});
