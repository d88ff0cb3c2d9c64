// Pure formatting of the extension's state for the language status item. No `vscode` import.

/** What the server answers to `errcode/status` and sends in `errcode/statusChanged`. */
export interface ServerStatus {
  root: string | null;
  activeCatalogs: string[];
  summary: string;
  config: string | null;
  /** The workspace index is being built. Older servers do not send it. */
  indexing?: boolean;
}

/** Where the client is: the item shows this for the active editor's document. */
export type ClientState =
  | { kind: "starting" }
  | { kind: "running"; status?: ServerStatus }
  | { kind: "no-server"; reason: "configured-missing" | "not-found"; message: string }
  | { kind: "start-failed"; message: string }
  | { kind: "stopped" };

export type StatusSeverity = "information" | "warning" | "error";

export interface StatusCommand {
  title: string;
  command: string;
  arguments?: unknown[];
  tooltip?: string;
}

/** What the language status item shows (mapped 1:1 onto vscode.LanguageStatusItem). */
export interface LanguageStatusView {
  text: string;
  detail: string;
  severity: StatusSeverity;
  busy: boolean;
  command: StatusCommand;
}

export const SHOW_STATUS: StatusCommand = {
  title: "Details",
  command: "errcode.showStatus",
  tooltip: "Project, catalogs and actions (errcode: Show Status)",
};
export const SHOW_OUTPUT: StatusCommand = { title: "Show Output", command: "errcode.showOutput" };
export const RESTART: StatusCommand = { title: "Restart", command: "errcode.restartServer" };
export const OPEN_SERVER_SETTING: StatusCommand = {
  title: "Open Settings",
  command: "workbench.action.openSettings",
  arguments: ["errcode.server.path"],
};

export function isServerStatus(value: unknown): value is ServerStatus {
  if (typeof value !== "object" || value === null) return false;
  const v = value as Record<string, unknown>;
  return (
    Array.isArray(v.activeCatalogs) &&
    v.activeCatalogs.every((c) => typeof c === "string") &&
    typeof v.summary === "string" &&
    (v.indexing === undefined || typeof v.indexing === "boolean")
  );
}

/**
 * The reason part of the server's one-line summary: `active catalogs: a, b (package.json: ...)`
 * gives `package.json: ...`, `no active catalogs: why` gives `why`; anything else is kept whole.
 */
export function statusReason(summary: string): string {
  const active = /^active catalogs: [^(]*\((.+)\)\s*$/.exec(summary);
  if (active) return active[1].trim();
  const inactive = /^no active catalogs: (.+)$/.exec(summary);
  if (inactive) return inactive[1].trim();
  return summary.trim();
}

/**
 * The reason shortened for the one-line status item (the language status hover is narrow):
 * its first clause, without the parenthesised list, the advice after `;` and Markdown
 * backticks. `CloudBase project: package.json: depends on ...` gives `CloudBase project`.
 * "errcode: Show Status" shows it whole.
 */
export function shortReason(reason: string, max = 30): string {
  let short = reason.replace(/`/g, "");
  for (const cut of ["; ", " (", ": "]) {
    const at = short.indexOf(cut);
    if (at > 0) short = short.slice(0, at);
  }
  return firstLine(short, max);
}

/** Catalog names while they fit in `max` characters, then how many more: the label stays short. */
export function catalogList(catalogs: string[], max = 32): string {
  const shown: string[] = [];
  for (const name of catalogs) {
    if (shown.length > 0 && [...shown, name].join(", ").length > max) break;
    shown.push(name);
  }
  const more = catalogs.length - shown.length;
  return more > 0 ? `${shown.join(", ")} +${more}` : shown.join(", ");
}

function firstLine(message: string, max = 120): string {
  const line = message.split("\n", 1)[0].trim();
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}

export function languageStatusView(state: ClientState): LanguageStatusView {
  switch (state.kind) {
    case "starting":
      return { text: "errcode: starting…", detail: "starting the errcode-lsp server", severity: "information", busy: true, command: SHOW_OUTPUT };
    case "no-server":
      // The whole message is in the notification and in Show Status; the hover is narrow.
      return {
        text: "errcode: no server",
        detail: state.reason === "configured-missing" ? "nothing at errcode.server.path" : "none bundled, none on PATH",
        severity: "error",
        busy: false,
        command: OPEN_SERVER_SETTING,
      };
    case "start-failed":
      return {
        text: "errcode: server failed to start",
        detail: "see the output",
        severity: "error",
        busy: false,
        command: SHOW_OUTPUT,
      };
    case "stopped":
      return {
        text: "errcode: server stopped",
        detail: "it exited; see the output",
        severity: "error",
        busy: false,
        command: RESTART,
      };
    case "running":
      break;
  }
  const status = state.status;
  if (!status) {
    return { text: "errcode", detail: "waiting for the server's status", severity: "information", busy: true, command: SHOW_STATUS };
  }
  const catalogs = status.activeCatalogs;
  const reason = shortReason(statusReason(status.summary));
  if (status.indexing) {
    return {
      text: "errcode: indexing…",
      detail: catalogs.length > 0 ? `${catalogList(catalogs)} active` : "no catalog active",
      severity: "information",
      busy: true,
      command: SHOW_STATUS,
    };
  }
  if (catalogs.length === 0) {
    return { text: "errcode: inactive", detail: reason, severity: "information", busy: false, command: SHOW_STATUS };
  }
  return { text: `errcode: ${catalogList(catalogs)}`, detail: reason, severity: "information", busy: false, command: SHOW_STATUS };
}

/** The lines "errcode: Show Status" shows about a project, one fact each. */
export function statusDetails(status: ServerStatus | undefined): string[] {
  if (!status) return ["The server has not reported a status for this file yet."];
  const lines: string[] = [];
  lines.push(
    status.activeCatalogs.length > 0 ? `Active catalogs: ${status.activeCatalogs.join(", ")}` : "No catalog is active: errcode reports nothing here",
  );
  lines.push(`Why: ${statusReason(status.summary).replace(/`/g, "")}`);
  if (status.root) lines.push(`Project root: ${status.root}`);
  lines.push(`Config: ${status.config ?? "none (no errcode.toml)"}`);
  if (status.indexing) lines.push("Building the workspace index…");
  return lines;
}

/** Whether a file path lies within a project root (both absolute). */
export function isUnder(file: string, root: string): boolean {
  const norm = (p: string) => p.replace(/\\/g, "/").replace(/\/+$/, "");
  const f = norm(file);
  const r = norm(root);
  return f === r || f.startsWith(r + "/");
}
