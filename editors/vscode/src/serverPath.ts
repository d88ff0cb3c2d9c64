// Pure resolution of the errcode-lsp executable. No `vscode` import.
import * as path from "node:path";

export type ServerSource = "setting" | "bundled" | "path";

export interface ResolvedServer {
  command: string;
  source: ServerSource;
}

export interface ResolveError {
  error: "configured-missing" | "not-found";
  message: string;
}

export interface ResolveOptions {
  /** Value of `errcode.server.path` (machine scope), if set. */
  configured?: string | null;
  /** Directory the extension is installed in. */
  extensionPath: string;
  platform: NodeJS.Platform;
  arch: string;
  /** The PATH environment variable. */
  envPath?: string;
  /** PATHEXT on Windows. */
  envPathExt?: string;
  homeDir?: string;
  /** Whether `file` exists and is an executable regular file. */
  isExecutable: (file: string) => boolean;
}

export const SERVER_NAME = "errcode-lsp";

/**
 * The platforms with a platform-specific .vsix (`vsce package --target`), each bundling its
 * server as `server/errcode-lsp` (`server/errcode-lsp.exe` on Windows): linux-x64,
 * linux-arm64, alpine-x64 (Node says linux/x64 there too), darwin-x64, darwin-arm64,
 * win32-x64, win32-arm64.
 */
const BUNDLED: Partial<Record<NodeJS.Platform, readonly string[]>> = {
  linux: ["x64", "arm64"],
  darwin: ["x64", "arm64"],
  win32: ["x64", "arm64"],
};

/** The bundled server's path for this platform, or undefined where no package bundles one. */
export function bundledBinaryPath(extensionPath: string, platform: NodeJS.Platform, arch: string): string | undefined {
  if (!BUNDLED[platform]?.includes(arch)) return undefined;
  const join = platform === "win32" ? path.win32.join : path.posix.join;
  return join(extensionPath, "server", platform === "win32" ? `${SERVER_NAME}.exe` : SERVER_NAME);
}

export function expandHome(p: string, homeDir?: string): string {
  if (!homeDir) return p;
  if (p === "~") return homeDir;
  if (p.startsWith("~/") || p.startsWith("~\\")) return path.join(homeDir, p.slice(2));
  return p.replace(/\$\{userHome\}/g, homeDir);
}

/**
 * Order: the `errcode.server.path` setting, the binary bundled in the
 * extension (`server/errcode-lsp[.exe]` of a platform package), then `errcode-lsp` on PATH.
 * A configured path that does not exist is an error rather than a silent fallback.
 */
export function resolveServer(opts: ResolveOptions): ResolvedServer | ResolveError {
  const configured = typeof opts.configured === "string" ? opts.configured.trim() : "";
  if (configured !== "") {
    const file = expandHome(configured, opts.homeDir);
    if (opts.isExecutable(file)) return { command: file, source: "setting" };
    return {
      error: "configured-missing",
      message: `errcode.server.path is set to "${configured}", but no executable file is there. Fix the path or clear the setting to use the bundled server.`,
    };
  }

  const bundled = bundledBinaryPath(opts.extensionPath, opts.platform, opts.arch);
  if (bundled !== undefined && opts.isExecutable(bundled)) return { command: bundled, source: "bundled" };

  const onPath = findOnPath(SERVER_NAME, opts.envPath, opts.platform, opts.envPathExt, opts.isExecutable);
  if (onPath !== undefined) return { command: onPath, source: "path" };

  return {
    error: "not-found",
    message:
      `errcode: the errcode-lsp language server was not found: none is bundled for ${opts.platform}-${opts.arch} and none is on PATH. ` +
      "Install errcode-lsp (the release installer, or `cargo install --locked errcode-lsp`) so that it is on your PATH, or set errcode.server.path.",
  };
}

export function findOnPath(
  name: string,
  envPath: string | undefined,
  platform: NodeJS.Platform,
  envPathExt: string | undefined,
  isExecutable: (file: string) => boolean,
): string | undefined {
  if (!envPath) return undefined;
  const delimiter = platform === "win32" ? ";" : ":";
  const join = platform === "win32" ? path.win32.join : path.posix.join;
  const exts = platform === "win32" ? (envPathExt || ".EXE;.CMD;.BAT;.COM").split(";").filter(Boolean) : [""];
  for (const dir of envPath.split(delimiter)) {
    if (dir === "") continue;
    for (const ext of exts) {
      const candidate = join(dir, name + ext.toLowerCase());
      if (isExecutable(candidate)) return candidate;
    }
  }
  return undefined;
}

export function isResolveError(r: ResolvedServer | ResolveError): r is ResolveError {
  return (r as ResolveError).error !== undefined;
}
