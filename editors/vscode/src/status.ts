// Pure formatting of the errcode/status result for the status bar. No `vscode` import.

export interface ServerStatus {
  root: string | null;
  activeCatalogs: string[];
  summary: string;
  config: string | null;
}

export interface StatusBarView {
  text: string;
  tooltip: string;
}

export function isServerStatus(value: unknown): value is ServerStatus {
  if (typeof value !== "object" || value === null) return false;
  const v = value as Record<string, unknown>;
  return Array.isArray(v.activeCatalogs) && typeof v.summary === "string";
}

export function statusBarView(status: ServerStatus | undefined): StatusBarView {
  if (!status) {
    return { text: "$(sync~spin) errcode", tooltip: "errcode: waiting for the language server" };
  }
  const lines: string[] = [];
  if (status.summary) lines.push(status.summary);
  if (status.root) lines.push(`Project root: ${status.root}`);
  lines.push(`Config: ${status.config ?? "none (errcode.toml)"}`);
  lines.push("Click to show the errcode output.");
  const tooltip = lines.join("\n");
  if (status.activeCatalogs.length === 0) {
    return { text: "$(circle-slash) errcode: inactive", tooltip };
  }
  return { text: `$(check) errcode: ${status.activeCatalogs.join(", ")}`, tooltip };
}

/** Whether a file path lies within a project root (both absolute). */
export function isUnder(file: string, root: string): boolean {
  const norm = (p: string) => p.replace(/\\/g, "/").replace(/\/+$/, "");
  const f = norm(file);
  const r = norm(root);
  return f === r || f.startsWith(r + "/");
}
