import { strict as assert } from "node:assert";
import { describe, it } from "node:test";
import { bundledBinaryPath, findOnPath, isResolveError, resolveServer, type ResolveOptions } from "../src/serverPath";

function options(existing: string[], overrides: Partial<ResolveOptions> = {}): ResolveOptions {
  const set = new Set(existing);
  return {
    extensionPath: "/ext",
    platform: "linux",
    arch: "x64",
    envPath: "/usr/local/bin:/usr/bin",
    homeDir: "/home/me",
    isExecutable: (file) => set.has(file),
    ...overrides,
  };
}

describe("resolveServer", () => {
  it("uses errcode.server.path first", () => {
    const r = resolveServer(options(["/opt/errcode-lsp", "/ext/server/errcode-lsp", "/usr/bin/errcode-lsp"], { configured: "/opt/errcode-lsp" }));
    assert.deepEqual(r, { command: "/opt/errcode-lsp", source: "setting" });
  });

  it("expands ~ in the configured path", () => {
    const r = resolveServer(options(["/home/me/.cargo/bin/errcode-lsp"], { configured: "~/.cargo/bin/errcode-lsp" }));
    assert.deepEqual(r, { command: "/home/me/.cargo/bin/errcode-lsp", source: "setting" });
  });

  it("reports a configured path that does not exist instead of silently falling back", () => {
    const r = resolveServer(options(["/ext/server/errcode-lsp"], { configured: "/nope/errcode-lsp" }));
    assert.ok(isResolveError(r));
    assert.equal(r.error, "configured-missing");
    assert.match(r.message, /errcode\.server\.path/);
  });

  it("treats an empty or null setting as unset", () => {
    for (const configured of ["", "   ", null, undefined]) {
      const r = resolveServer(options(["/ext/server/errcode-lsp"], { configured }));
      assert.deepEqual(r, { command: "/ext/server/errcode-lsp", source: "bundled" });
    }
  });

  it("prefers the bundled binary over PATH", () => {
    const r = resolveServer(options(["/ext/server/errcode-lsp", "/usr/bin/errcode-lsp"]));
    assert.deepEqual(r, { command: "/ext/server/errcode-lsp", source: "bundled" });
  });

  it("finds the bundled server of every platform package", () => {
    for (const [platform, arch] of [["linux", "x64"], ["linux", "arm64"], ["darwin", "x64"], ["darwin", "arm64"]] as const) {
      const r = resolveServer(options(["/ext/server/errcode-lsp", "/usr/bin/errcode-lsp"], { platform, arch }));
      assert.deepEqual(r, { command: "/ext/server/errcode-lsp", source: "bundled" }, `${platform}-${arch}`);
    }
    for (const arch of ["x64", "arm64"]) {
      const r = resolveServer(
        options(["C:\\ext\\server\\errcode-lsp.exe"], { platform: "win32", arch, extensionPath: "C:\\ext", envPath: "C:\\bin" }),
      );
      assert.deepEqual(r, { command: "C:\\ext\\server\\errcode-lsp.exe", source: "bundled" }, `win32-${arch}`);
    }
  });

  it("looks for errcode-lsp.exe on Windows, not the extensionless name", () => {
    assert.equal(bundledBinaryPath("C:\\ext", "win32", "x64"), "C:\\ext\\server\\errcode-lsp.exe");
    const r = resolveServer(options(["C:\\ext\\server\\errcode-lsp"], { platform: "win32", arch: "x64", extensionPath: "C:\\ext", envPath: undefined }));
    assert.ok(isResolveError(r));
  });

  it("bundles nothing for platforms without a package (32-bit ARM, FreeBSD, ia32)", () => {
    assert.equal(bundledBinaryPath("/ext", "linux", "arm"), undefined);
    assert.equal(bundledBinaryPath("/ext", "freebsd", "x64"), undefined);
    assert.equal(bundledBinaryPath("C:\\ext", "win32", "ia32"), undefined);
    const r = resolveServer(options(["/ext/server/errcode-lsp", "/usr/bin/errcode-lsp"], { platform: "linux", arch: "arm" }));
    assert.deepEqual(r, { command: "/usr/bin/errcode-lsp", source: "path" });
  });

  it("falls back to PATH when the package has no server (universal package)", () => {
    const r = resolveServer(options(["/usr/bin/errcode-lsp"], { platform: "darwin", arch: "arm64" }));
    assert.deepEqual(r, { command: "/usr/bin/errcode-lsp", source: "path" });
  });

  it("falls back to PATH in order", () => {
    const r = resolveServer(options(["/usr/bin/errcode-lsp", "/usr/local/bin/errcode-lsp"]));
    assert.deepEqual(r, { command: "/usr/local/bin/errcode-lsp", source: "path" });
  });

  it("explains how to fix a missing server", () => {
    const r = resolveServer(options([]));
    assert.ok(isResolveError(r));
    assert.equal(r.error, "not-found");
    assert.match(r.message, /cargo install/);
    assert.match(r.message, /linux-x64/);
    assert.match(r.message, /errcode\.server\.path/);
  });
});

describe("findOnPath", () => {
  it("skips empty PATH entries", () => {
    assert.equal(findOnPath("errcode-lsp", "::/bin", "linux", undefined, (f) => f === "/bin/errcode-lsp"), "/bin/errcode-lsp");
    assert.equal(findOnPath("errcode-lsp", undefined, "linux", undefined, () => true), undefined);
  });

  it("uses PATHEXT on Windows", () => {
    const found = findOnPath("errcode-lsp", "C:\\tools;C:\\bin", "win32", ".COM;.EXE", (f) => f === "C:\\bin\\errcode-lsp.exe");
    assert.equal(found, "C:\\bin\\errcode-lsp.exe");
  });
});
