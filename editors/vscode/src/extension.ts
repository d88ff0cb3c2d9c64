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
import { isServerStatus, isUnder, statusBarView, type ServerStatus } from "./status";
import { FILE_PATTERNS, LANGUAGES } from "./languages";

const StatusRequest = new RequestType<{ uri?: string }, ServerStatus | null, void>("errcode/status");
const StatusChangedNotification = new NotificationType<ServerStatus>("errcode/statusChanged");

let context: vscode.ExtensionContext;
let client: LanguageClient | undefined;
let output: vscode.OutputChannel;
let statusItem: vscode.StatusBarItem;
/** Last status per project root, from `errcode/statusChanged`. */
const statusByRoot = new Map<string, ServerStatus>();
/** Serializes start/stop/restart. */
let lifecycle: Promise<void> = Promise.resolve();
let statusSeq = 0;

export async function activate(ctx: vscode.ExtensionContext): Promise<void> {
  context = ctx;
  output = vscode.window.createOutputChannel("errcode");
  statusItem = vscode.window.createStatusBarItem("errcode.status", vscode.StatusBarAlignment.Right, 100);
  statusItem.name = "errcode";
  statusItem.command = "errcode.showOutput";
  renderStatus(undefined);
  statusItem.show();

  ctx.subscriptions.push(
    output,
    statusItem,
    vscode.commands.registerCommand("errcode.restartServer", () => queue(() => restart("restart requested"))),
    vscode.commands.registerCommand("errcode.showOutput", () => output.show(true)),
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
  const server = findServer();
  if (!server) {
    statusItem.text = "$(error) errcode: no server";
    statusItem.tooltip = "The errcode-lsp executable was not found. Click to show the output.";
    return;
  }
  log(`Starting ${server.command} (${server.source}); workspace ${vscode.workspace.isTrusted ? "trusted" : "untrusted"}`);

  const serverOptions: ServerOptions = {
    command: server.command,
    transport: TransportKind.stdio,
    options: { env: { ...process.env, RUST_BACKTRACE: process.env.RUST_BACKTRACE ?? "1" } },
  };

  const documentSelector = [
    ...LANGUAGES.map((language) => ({ scheme: "file", language })),
    ...FILE_PATTERNS.map((pattern) => ({ scheme: "file", pattern })),
  ];

  const clientOptions: LanguageClientOptions = {
    documentSelector,
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
          if (!client) return;
          await client.sendNotification(DidChangeConfigurationNotification.type, didChangeConfigurationParams(serverSettings()));
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
    if (e.newState === State.Stopped && client === lc) {
      statusItem.text = "$(error) errcode: stopped";
      statusItem.tooltip = "The errcode language server stopped. Run “errcode: Restart Server”; click to show the output.";
    }
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
    void vscode.window.showErrorMessage(message, "Show Output", "Open Settings").then((choice) => {
      if (choice === "Show Output") output.show(true);
      if (choice === "Open Settings") void vscode.commands.executeCommand("workbench.action.openSettings", "errcode.server.path");
    });
    return;
  }
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
  renderStatus(undefined);
  await start();
}

function renderStatus(status: ServerStatus | undefined): void {
  const view = statusBarView(status);
  statusItem.text = view.text;
  statusItem.tooltip = view.tooltip;
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
  if (seq === statusSeq && client === lc) renderStatus(status);
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
