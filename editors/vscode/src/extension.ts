// VS Code client of the errcode-lsp language server.
import * as fs from "node:fs";
import * as os from "node:os";
import * as vscode from "vscode";
import {
  DidChangeConfigurationNotification,
  LanguageClient,
  type LanguageClientOptions,
  NotificationType,
  RequestType,
  ResponseError,
  type ServerOptions,
  State,
  TransportKind,
} from "vscode-languageclient/node";
import { isResolveError, resolveServer, type ResolvedServer } from "./serverPath";
import {
  buildServerSettings,
  didChangeConfigurationParams,
  explicitValue,
  type ServerSettings,
} from "./settings";
import {
  isServerStatus,
  isUnder,
  languageStatusView,
  statusDetails,
  type ClientState,
  type ServerStatus,
  type StatusSeverity,
} from "./status";
import { documentFilters } from "./languages";

const StatusRequest = new RequestType<{ uri?: string }, ServerStatus | null, void>("errcode/status");
const StatusChangedNotification = new NotificationType<ServerStatus>("errcode/statusChanged");

let context: vscode.ExtensionContext;
let client: LanguageClient | undefined;
let output: vscode.OutputChannel;
let statusItem: vscode.LanguageStatusItem;
/** What the status item shows; `running` carries the active editor's project status. */
let clientState: ClientState = { kind: "starting" };
/** Last status per project root, from `errcode/statusChanged`. */
const statusByRoot = new Map<string, ServerStatus>();
/** Serializes start/stop/restart. */
let lifecycle: Promise<void> = Promise.resolve();
let statusSeq = 0;

export async function activate(ctx: vscode.ExtensionContext): Promise<void> {
  context = ctx;
  output = vscode.window.createOutputChannel("errcode");
  // A language status item (the `{}` entry of the status bar), shown only for the documents
  // the extension serves, as the TypeScript and JSON extensions do.
  statusItem = vscode.languages.createLanguageStatusItem("errcode.status", documentFilters());
  statusItem.name = "errcode";
  setState({ kind: "starting" });

  ctx.subscriptions.push(
    output,
    statusItem,
    vscode.commands.registerCommand("errcode.restartServer", () => queue(() => restart("restart requested"))),
    vscode.commands.registerCommand("errcode.showOutput", () => output.show(true)),
    vscode.commands.registerCommand("errcode.showStatus", () => showStatus()),
    vscode.workspace.onDidGrantWorkspaceTrust(() => queue(() => restart("workspace trusted"))),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration("errcode.server.path")) {
        void queue(() => restart("errcode.server.path changed"));
      }
    }),
    vscode.window.onDidChangeActiveTextEditor(() => void refreshStatus()),
  );

  await queue(() => start());
}

export async function deactivate(): Promise<void> {
  await queue(() => stop());
}

function queue(step: () => Promise<void>): Promise<void> {
  lifecycle = lifecycle.then(step, step).catch((err) => log(`errcode: ${String(err)}`));
  return lifecycle;
}

function log(line: string): void {
  output?.appendLine(line);
}

function isExecutable(file: string): boolean {
  try {
    const st = fs.statSync(file);
    if (!st.isFile()) return false;
    if (process.platform === "win32") return true;
    fs.accessSync(file, fs.constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function findServer(): ResolvedServer | undefined {
  // `errcode.server.path` is machine-scoped: only the user's own settings count.
  const inspected = vscode.workspace.getConfiguration("errcode").inspect<string | null>("server.path");
  const result = resolveServer({
    configured: inspected?.globalValue ?? undefined,
    extensionPath: context.extensionPath,
    platform: process.platform,
    arch: process.arch,
    envPath: process.env.PATH,
    envPathExt: process.env.PATHEXT,
    homeDir: os.homedir(),
    isExecutable,
  });
  if (isResolveError(result)) {
    log(result.message);
    setState({ kind: "no-server", reason: result.error, message: result.message });
    void vscode.window.showErrorMessage(result.message, "Open Settings", "Show Output").then((choice) => {
      if (choice === "Open Settings") {
        void vscode.commands.executeCommand("workbench.action.openSettings", "errcode.server.path");
      } else if (choice === "Show Output") {
        output.show(true);
      }
    });
    return undefined;
  }
  return result;
}

/** The settings object for the server, read for one scope (a workspace folder) or the whole window. */
function serverSettings(scope?: vscode.Uri): ServerSettings {
  const trusted = vscode.workspace.isTrusted;
  const cfg = vscode.workspace.getConfiguration("errcode", scope ?? defaultScope());
  return buildServerSettings((key) => explicitValue(cfg.inspect(key), key, trusted), trusted);
}

function defaultScope(): vscode.Uri | undefined {
  const folders = vscode.workspace.workspaceFolders;
  return folders && folders.length === 1 ? folders[0].uri : undefined;
}

async function start(): Promise<void> {
  setState({ kind: "starting" });
  const server = findServer();
  if (!server) return;
  log(`Starting ${server.command} (${server.source}); workspace ${vscode.workspace.isTrusted ? "trusted" : "untrusted"}`);

  const serverOptions: ServerOptions = {
    command: server.command,
    transport: TransportKind.stdio,
    options: { env: { ...process.env, RUST_BACKTRACE: process.env.RUST_BACKTRACE ?? "1" } },
  };

  const clientOptions: LanguageClientOptions = {
    documentSelector: documentFilters(),
    outputChannel: output,
    initializationOptions: () => serverSettings(),
    synchronize: {
      // Makes the client register for configuration changes; the middleware
      // below replaces the raw VS Code object with the server's settings shape.
      configurationSection: "errcode",
      fileEvents: vscode.workspace.createFileSystemWatcher(
        "**/{errcode.toml,.errcode.toml,package.json,cloudbaserc.json,pubspec.yaml}",
      ),
    },
    middleware: {
      workspace: {
        didChangeConfiguration: async () => {
          // Only to this client while it runs: a change of errcode.server.path stops it for a
          // restart at the same moment, and a failed send would pop up an error for nothing
          // (the new server gets the settings when it initializes).
          const lc = client;
          if (!lc || !lc.isRunning()) return;
          try {
            await lc.sendNotification(DidChangeConfigurationNotification.type, didChangeConfigurationParams(serverSettings()));
          } catch (err) {
            if (client === lc && lc.isRunning()) log(`errcode: sending the settings failed: ${String(err)}`);
          }
        },
        configuration: async (params, token, next) => {
          const result = await next(params, token);
          if (result instanceof ResponseError || !Array.isArray(result)) return result;
          return params.items.map((item, i) =>
            item.section === "errcode" ? serverSettings(item.scopeUri ? vscode.Uri.parse(item.scopeUri) : undefined) : result[i],
          );
        },
      },
    },
  };

  const lc = new LanguageClient("errcode", "errcode", serverOptions, clientOptions);
  client = lc;
  lc.onDidChangeState((e) => {
    if (client !== lc) return;
    if (e.newState === State.Stopped) setState({ kind: "stopped" });
    // The client restarts a crashed server by itself: show its status again.
    if (e.newState === State.Running && e.oldState !== State.Running) void refreshStatus();
  });
  lc.onNotification(StatusChangedNotification, (status) => {
    if (!isServerStatus(status)) return;
    statusByRoot.set(status.root ?? "", status);
    void refreshStatus();
  });

  try {
    await lc.start();
  } catch (err) {
    const message = `errcode: could not start ${server.command}: ${err instanceof Error ? err.message : String(err)}`;
    log(message);
    setState({ kind: "start-failed", message });
    void vscode.window.showErrorMessage(message, "Show Output", "Open Settings").then((choice) => {
      if (choice === "Show Output") output.show(true);
      if (choice === "Open Settings") void vscode.commands.executeCommand("workbench.action.openSettings", "errcode.server.path");
    });
    return;
  }
  setState({ kind: "running" });
  await refreshStatus();
}

async function stop(): Promise<void> {
  const lc = client;
  client = undefined;
  statusByRoot.clear();
  if (!lc) return;
  try {
    if (lc.needsStop()) await lc.stop(5000);
  } catch (err) {
    log(`errcode: stopping the server failed: ${String(err)}`);
  }
  await lc.dispose().catch(() => undefined);
}

async function restart(reason: string): Promise<void> {
  log(`Restarting the server: ${reason}`);
  await stop();
  await start();
}

const SEVERITY: Record<StatusSeverity, vscode.LanguageStatusSeverity> = {
  information: vscode.LanguageStatusSeverity.Information,
  warning: vscode.LanguageStatusSeverity.Warning,
  error: vscode.LanguageStatusSeverity.Error,
};

/** The view last put on the language status item. */
let shownView: string | undefined;

function setState(state: ClientState): void {
  clientState = state;
  const view = languageStatusView(state);
  // Every status notification and Show Status ask again; an unchanged view is not set again,
  // so an open language status hover is not redrawn under the user's pointer.
  const key = JSON.stringify(view);
  if (key === shownView) return;
  shownView = key;
  statusItem.text = view.text;
  statusItem.detail = view.detail;
  statusItem.severity = SEVERITY[view.severity];
  statusItem.busy = view.busy;
  statusItem.command = view.command;
  statusItem.accessibilityInformation = { label: `${view.text.replace(/\$\([\w~-]+\)\s*/g, "")}: ${view.detail}` };
}

/** "errcode: Show Status": the active editor's project, and what can be done about it. */
async function showStatus(): Promise<void> {
  await refreshStatus();
  type Item = vscode.QuickPickItem & { run?: () => unknown };
  const status = clientState.kind === "running" ? clientState.status : undefined;
  const view = languageStatusView(clientState);
  const facts: Item[] =
    clientState.kind === "running"
      ? statusDetails(status).map((label) => ({ label }))
      : [{ label: view.text.replace(/\$\([\w~-]+\)\s*/g, ""), detail: "message" in clientState ? clientState.message : view.detail }];
  const actions: Item[] = [
    { label: "$(output) Show Output", run: () => output.show(true) },
    { label: "$(debug-restart) Restart Server", run: () => queue(() => restart("restart requested")) },
    {
      label: "$(gear) Open Settings",
      run: () => vscode.commands.executeCommand("workbench.action.openSettings", `@ext:${context.extension.id}`),
    },
  ];
  if (status?.config) {
    const config = status.config;
    actions.push({ label: "$(go-to-file) Open errcode.toml", run: () => vscode.window.showTextDocument(vscode.Uri.file(config)) });
  }
  const picked = await vscode.window.showQuickPick<Item>(
    [...facts, { label: "", kind: vscode.QuickPickItemKind.Separator }, ...actions],
    { title: "errcode", placeHolder: "errcode status for the current file" },
  );
  await picked?.run?.();
}

/** Shows the status of the active editor's project (or the only one known). */
async function refreshStatus(): Promise<void> {
  const lc = client;
  if (!lc || !lc.isRunning()) return;
  const seq = ++statusSeq;
  const doc = vscode.window.activeTextEditor?.document;
  const uri = doc && doc.uri.scheme === "file" ? doc.uri : undefined;
  let status: ServerStatus | undefined;
  try {
    const answer = await lc.sendRequest(StatusRequest, uri ? { uri: uri.toString() } : {});
    if (isServerStatus(answer)) status = answer;
  } catch (err) {
    log(`errcode/status failed: ${String(err)}`);
  }
  if (!status) status = pickKnownStatus(uri);
  if (seq === statusSeq && client === lc && lc.isRunning()) setState({ kind: "running", status });
}

function pickKnownStatus(uri: vscode.Uri | undefined): ServerStatus | undefined {
  if (uri) {
    let best: ServerStatus | undefined;
    for (const [root, status] of statusByRoot) {
      if (root && isUnder(uri.fsPath, root) && (!best || root.length > (best.root ?? "").length)) best = status;
    }
    if (best) return best;
  }
  return statusByRoot.size === 1 ? [...statusByRoot.values()][0] : undefined;
}
