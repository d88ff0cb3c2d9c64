// End-to-end test of the errcode VS Code extension in a real VS Code
// (code-server) driven by Playwright in the system's headless Chromium.
//
// Env:
//   CODE_SERVER      code-server executable (required)
//   ERRCODE_VSIX     the .vsix to install (required)
//   ERRCODE_LSP_BIN  server binary used for `explain` (default target/release/errcode-lsp)
//   CHROMIUM         browser executable (default /usr/bin/chromium)
//   E2E_OUT          screenshots and logs (default tests/out/e2e-vscode)
//   E2E_TIMEOUT_MS   longest wait for one condition (default 90000)
//   E2E_HEADED=1     show the browser (needs a display)
import { execFileSync, spawn } from "node:child_process";
import * as fs from "node:fs";
import * as net from "node:net";
import * as os from "node:os";
import * as path from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, "..", "..");
const CODE_SERVER = must("CODE_SERVER");
const VSIX = path.resolve(must("ERRCODE_VSIX"));
const SERVER_BIN = process.env.ERRCODE_LSP_BIN || path.join(root, "target", "release", "errcode-lsp");
const CHROMIUM = process.env.CHROMIUM || "/usr/bin/chromium";
const OUT = path.resolve(process.env.E2E_OUT || path.join(root, "tests", "out", "e2e-vscode"));
const TIMEOUT = Number(process.env.E2E_TIMEOUT_MS || 90000);
const FIXTURE = path.join(root, "examples", "cloudbase-app");

function must(name) {
  const v = process.env[name];
  if (!v) {
    console.error(`e2e-vscode: set ${name}`);
    process.exit(2);
  }
  return v;
}

function log(msg) {
  const t = ((Date.now() - t0) / 1000).toFixed(1).padStart(6);
  console.log(`[${t}s] ${msg}`);
}
const t0 = Date.now();

// ---------------------------------------------------------------- setup

fs.rmSync(OUT, { recursive: true, force: true });
fs.mkdirSync(OUT, { recursive: true });
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "errcode-e2e-vscode-"));
const workspace = path.join(tmp, "cloudbase-app");
fs.cpSync(FIXTURE, workspace, { recursive: true });
const apiFile = path.join(workspace, "src", "api.ts");
const userDataDir = path.join(tmp, "user-data");
const extensionsDir = path.join(tmp, "extensions");
fs.mkdirSync(path.join(userDataDir, "User"), { recursive: true });
fs.writeFileSync(
  path.join(userDataDir, "User", "settings.json"),
  JSON.stringify(
    {
      "workbench.startupEditor": "none",
      "workbench.tips.enabled": false,
      "workbench.welcomePage.walkthroughs.openOnInstall": false,
      "telemetry.telemetryLevel": "off",
      "update.mode": "none",
      "extensions.autoCheckUpdates": false,
      "extensions.autoUpdate": false,
      "extensions.ignoreRecommendations": true,
      "git.enabled": false,
      "chat.commandCenter.enabled": false,
      "typescript.disableAutomaticTypeAcquisition": true,
      "editor.minimap.enabled": false,
      "editor.hover.delay": 300,
      "files.autoSave": "off",
      "errcode.trace.server": "verbose",
    },
    null,
    2,
  ),
);
const configFile = path.join(tmp, "code-server.yaml");
fs.writeFileSync(configFile, "");

// Expected hover words: the first sentence of the catalog summary.
const explain = execFileSync(SERVER_BIN, ["explain", "FUNCTION_NOT_FOUND"], { encoding: "utf8" });
const summaryLine = explain
  .split("\n")
  .map((l) => l.trim())
  .find((l) => l && !l.startsWith("**") && !l.startsWith("#"));
if (!summaryLine) throw new Error(`cannot find a summary in:\n${explain}`);
const summaryWords = summaryLine.replace(/[.`*]/g, "").split(/\s+/).slice(0, 6).join(" ");

let codeServer;
let browser;
const csLog = fs.createWriteStream(path.join(OUT, "code-server.log"));

function killCodeServer() {
  if (codeServer && codeServer.exitCode === null && codeServer.signalCode === null) {
    try {
      process.kill(-codeServer.pid, "SIGTERM");
    } catch {}
    const pid = codeServer.pid;
    setTimeout(() => {
      try {
        process.kill(-pid, "SIGKILL");
      } catch {}
    }, 2000).unref();
  }
}
process.on("exit", () => {
  if (codeServer) {
    try {
      process.kill(-codeServer.pid, "SIGKILL");
    } catch {}
  }
});
for (const sig of ["SIGINT", "SIGTERM", "SIGHUP"]) {
  process.on(sig, () => {
    console.log(`e2e-vscode: interrupted by ${sig}`);
    killCodeServer();
    const passed = results.filter((r) => r.ok).length;
    console.log(`${passed} passed, ${5 - passed} failed`);
    process.exit(130);
  });
}

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

async function waitFor(what, fn, timeout = TIMEOUT, interval = 500) {
  const end = Date.now() + timeout;
  let last;
  while (Date.now() < end) {
    try {
      const v = await fn();
      if (v) return v;
    } catch (err) {
      last = err;
    }
    await new Promise((r) => setTimeout(r, interval));
  }
  throw new Error(`timed out after ${timeout / 1000}s waiting for ${what}${last ? ` (last error: ${last.message})` : ""}`);
}

function csArgs(extra) {
  return [
    "--config",
    configFile,
    "--user-data-dir",
    userDataDir,
    "--extensions-dir",
    extensionsDir,
    ...extra,
  ];
}

// ---------------------------------------------------------------- steps

const results = [];
let page;
let stepNo = 0;

async function shot(name) {
  if (!page) return;
  const file = path.join(OUT, name);
  await page.screenshot({ path: file }).catch((err) => log(`screenshot ${name} failed: ${err.message}`));
}

async function step(name, fn) {
  stepNo += 1;
  const n = String(stepNo).padStart(2, "0");
  log(`step ${stepNo}: ${name}`);
  try {
    await fn();
    await shot(`${n}-${name.replace(/\W+/g, "-").toLowerCase()}.png`);
    results.push({ name, ok: true });
    log(`PASS ${name}`);
    return true;
  } catch (err) {
    await shot(`${n}-FAILED-${name.replace(/\W+/g, "-").toLowerCase()}.png`);
    results.push({ name, ok: false, error: err });
    log(`FAIL ${name}: ${err.stack || err.message}`);
    return false;
  }
}

const text = async (locator) => ((await locator.innerText()) || "").replace(/\u00a0/g, " ");

async function quickInput(prefixKey, value) {
  await page.keyboard.press(prefixKey);
  const input = page.locator(".quick-input-widget input");
  await input.waitFor({ state: "visible", timeout: 15000 });
  await input.fill(value);
  await page.waitForTimeout(300);
  await input.press("Enter");
  await page.locator(".quick-input-widget").waitFor({ state: "hidden", timeout: 15000 });
}

async function goTo(line, column) {
  // Ctrl+G opens "Go to Line/Column" (the quick input starts with ":").
  await page.keyboard.press("Control+g");
  const input = page.locator(".quick-input-widget input");
  await input.waitFor({ state: "visible", timeout: 15000 });
  await input.fill(`:${line}:${column}`);
  await page.waitForTimeout(200);
  await input.press("Enter");
  await page.locator(".quick-input-widget").waitFor({ state: "hidden", timeout: 15000 });
}

/** Moves the focus in a list widget down until `match(focused row text)`, then presses Enter. */
async function selectFocusedRow(widget, match) {
  for (let i = 0; i < 40; i++) {
    const focused = widget.locator(".monaco-list-row.focused").first();
    const t = (await focused.innerText({ timeout: 2000 }).catch(() => "")).replace(/\u00a0/g, " ").trim();
    if (t && match(t)) {
      await page.keyboard.press("Enter");
      return t;
    }
    await page.keyboard.press("ArrowDown");
    await page.waitForTimeout(100);
  }
  throw new Error("could not focus the wanted row in the list");
}

async function editorText() {
  return text(page.locator(".editor-instance .monaco-editor .view-lines").first());
}

async function dismissNotifications() {
  await page.keyboard.press("Escape").catch(() => {});
}

async function main() {
  // Install the extension into a fresh extensions dir.
  log(`installing ${path.basename(VSIX)}`);
  const install = execFileSync(CODE_SERVER, csArgs(["--install-extension", VSIX]), { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
  csLog.write(install);
  const installed = fs.readdirSync(extensionsDir).filter((d) => d.startsWith("errcode-lsp."));
  if (installed.length === 0) throw new Error(`the extension was not installed:\n${install}`);
  log(`installed ${installed.join(", ")}`);

  const port = await freePort();
  codeServer = spawn(
    CODE_SERVER,
    csArgs([
      "--auth",
      "none",
      "--disable-telemetry",
      "--disable-update-check",
      "--disable-getting-started-override",
      "--ignore-last-opened",
      "--bind-addr",
      `127.0.0.1:${port}`,
      workspace,
    ]),
    { detached: true, stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, PASSWORD: undefined } },
  );
  codeServer.stdout.pipe(csLog);
  codeServer.stderr.pipe(csLog);
  const base = `http://127.0.0.1:${port}`;
  await waitFor("code-server to listen", async () => {
    if (codeServer.exitCode !== null) throw new Error(`code-server exited with ${codeServer.exitCode}`);
    const res = await fetch(`${base}/healthz`);
    return res.ok;
  }, 60000);
  log(`code-server up at ${base}`);

  browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: process.env.E2E_HEADED !== "1",
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-dev-shm-usage",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run",
    ],
  });
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  page = await context.newPage();
  page.on("pageerror", (err) => csLog.write(`[page error] ${err.message}\n`));

  const ok1 = await step("open the project and activate the extension", async () => {
    await page.goto(`${base}/?folder=${encodeURIComponent(workspace)}`, { waitUntil: "domcontentloaded" });
    await page.locator(".monaco-workbench").waitFor({ state: "visible", timeout: TIMEOUT });
    // Workspace trust: accept if VS Code asks.
    const trust = page.getByRole("button", { name: /Yes, I trust the authors/i });
    try {
      await trust.waitFor({ state: "visible", timeout: 8000 });
      log("trusting the workspace");
      await trust.click();
    } catch {
      log("no workspace trust prompt");
    }
    await page.locator(".monaco-workbench .part.editor").waitFor({ state: "visible", timeout: TIMEOUT });
    await page.waitForTimeout(1000);
    await waitFor("the quick open to take src/api.ts", async () => {
      log("quick open: src/api.ts");
      // Give the workbench keyboard focus first (the trust dialog may have taken it).
      await page.locator(".monaco-workbench .part.editor").click({ position: { x: 200, y: 200 } }).catch(() => {});
      try {
        await quickInput("Control+p", "src/api.ts");
      } catch (err) {
        log(`quick open failed: ${err.message.split("\n")[0]}`);
        await shot("01-quick-open-retry.png");
        await page.keyboard.press("Escape");
        return false;
      }
      return page.locator(".tab.active", { hasText: "api.ts" }).isVisible();
    }, 60000, 1000);
    log("src/api.ts is open");
    const item = page.locator(".statusbar-item", { hasText: "errcode:" });
    const status = await waitFor("the errcode status bar item to list active catalogs", async () => {
      const t = (await item.first().innerText({ timeout: 2000 })).trim();
      return t.includes("cloudbase") ? t : false;
    });
    log(`status bar: ${status}`);
    if (!/cloudbase-http/.test(status) || !/cloudbase-sdk/.test(status)) {
      throw new Error(`status bar shows "${status}", expected both CloudBase catalogs`);
    }
  });
  if (!ok1) return;

  await step("hover shows the catalog docs of FUNCTION_NOT_FOUND", async () => {
    const hover = page.locator(".monaco-hover:not(.hidden)").filter({ hasText: "FUNCTION_NOT_FOUND" });
    const found = await waitFor(`a hover with "FUNCTION_NOT_FOUND" and "${summaryWords}"`, async () => {
      await page.locator(".editor-instance .monaco-editor textarea").first().focus();
      await goTo(15, 26);
      await page.keyboard.press("Control+k");
      await page.keyboard.press("Control+i");
      await page.locator(".monaco-hover:not(.hidden)").first().waitFor({ state: "visible", timeout: 5000 });
      const t = await text(hover.first()).catch(() => "");
      if (t.includes(summaryWords)) return t;
      await page.keyboard.press("Escape");
      return false;
    }, TIMEOUT, 1500);
    log(`hover text: ${found.slice(0, 200).replace(/\s+/g, " ")}`);
  });
  await page.keyboard.press("Escape");

  await step("problems panel lists the misspelled EXCEED_RATE_LIMIT", async () => {
    await page.keyboard.press("Control+Shift+m");
    const panel = page.locator(".markers-panel");
    await panel.waitFor({ state: "visible", timeout: 15000 });
    const want = "did you mean `EXCEED_RATELIMIT`";
    const row = await waitFor(`a problem "${want}"`, async () => {
      const rows = await panel.locator(".monaco-list-row").allInnerTexts();
      return rows.find((r) => r.includes("EXCEED_RATE_LIMIT") && r.includes(want));
    });
    log(`problem: ${row.replace(/\s+/g, " ")}`);
    const rows = await panel.locator(".monaco-list-row").allInnerTexts();
    if (!rows.some((r) => r.includes("INVALID_ENV_ID") && /deprecated/.test(r))) {
      throw new Error(`no deprecation problem for INVALID_ENV_ID in:\n${rows.join("\n")}`);
    }
  });

  await step("completion inside a string offers EXCEED_RATELIMIT", async () => {
    await page.locator(".editor-instance .monaco-editor textarea").first().focus();
    await page.keyboard.press("Control+End");
    await page.keyboard.press("End");
    await page.keyboard.press("Enter");
    await page.keyboard.type('export const probe = "EXCEED_', { delay: 30 });
    const widget = page.locator(".editor-widget.suggest-widget.visible");
    const label = await waitFor("the suggest widget to list EXCEED_RATELIMIT", async () => {
      if (!(await widget.isVisible())) {
        await page.keyboard.press("Control+Space");
        await widget.waitFor({ state: "visible", timeout: 5000 });
      }
      const rows = await widget.locator(".monaco-list-row").allInnerTexts();
      const hit = rows.find((r) => r.includes("EXCEED_RATELIMIT"));
      if (!hit) {
        await page.keyboard.press("Escape");
        return false;
      }
      return hit;
    }, 60000, 1000);
    log(`suggestion: ${label.replace(/\s+/g, " ")}`);
    await shot("04-completion-list.png");
    // Accept it (keyboard: focus the row, then Enter) and check what lands in the editor.
    await selectFocusedRow(widget, (t) => /(^|\s)EXCEED_RATELIMIT(\s|$)/.test(t) || t.startsWith("EXCEED_RATELIMIT"));
    const line = await waitFor("the accepted completion in the editor", async () => {
      const t = await editorText();
      return t.split("\n").find((l) => l.includes("export const probe"));
    }, 10000);
    log(`after accepting: ${line.trim()}`);
    if (!line.includes('"EXCEED_RATELIMIT"')) throw new Error(`accepted completion gave: ${line.trim()}`);
    // Remove the probe line again.
    await page.keyboard.press("Control+Shift+k");
  });
  await page.keyboard.press("Escape");

  await step("quick fix replaces EXCEED_RATE_LIMIT with EXCEED_RATELIMIT", async () => {
    await page.locator(".editor-instance .monaco-editor textarea").first().focus();
    const title = "Replace with `EXCEED_RATELIMIT`";
    const action = page.locator(".action-widget .monaco-list-row", { hasText: title });
    await waitFor(`the code action "${title}"`, async () => {
      await goTo(11, 30);
      await page.keyboard.press("Control+.");
      await page.locator(".action-widget").first().waitFor({ state: "visible", timeout: 5000 });
      if (await action.first().isVisible()) return true;
      await page.keyboard.press("Escape");
      return false;
    }, 60000, 1500);
    await shot("05-quick-fix-menu.png");
    await selectFocusedRow(page.locator(".action-widget"), (t) => t.includes(title));
    await waitFor('the editor to show "EXCEED_RATELIMIT" on line 11', async () => {
      const t = await editorText();
      return t.includes('"EXCEED_RATELIMIT"') && !t.includes('"EXCEED_RATE_LIMIT"');
    }, 15000);
    await page.keyboard.press("Control+s");
    await waitFor("the saved file to contain the fix", async () => {
      const disk = fs.readFileSync(apiFile, "utf8");
      return disk.includes('"EXCEED_RATELIMIT"') && !disk.includes('"EXCEED_RATE_LIMIT"');
    }, 15000);
    const disk = fs.readFileSync(apiFile, "utf8").split("\n");
    log(`line 11 on disk: ${disk[10].trim()}`);
    if (!disk[10].includes('"EXCEED_RATELIMIT"')) throw new Error(`line 11 on disk is: ${disk[10]}`);
  });
}

function copyLogs() {
  // The extension's output channel (server stderr and LSP trace) as VS Code logged it.
  const logs = path.join(userDataDir, "logs");
  if (!fs.existsSync(logs)) return;
  const walk = (dir) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (/errcode|exthost\.log|remoteagent\.log/.test(e.name)) {
        fs.copyFileSync(p, path.join(OUT, `log-${path.basename(path.dirname(p))}-${e.name}`));
      }
    }
  };
  walk(logs);
}

const TOTAL = 5;
let exitCode = 0;
try {
  await main();
} catch (err) {
  log(`ERROR: ${err.stack || err.message}`);
  await shot("FAILED-setup.png");
  exitCode = 1;
} finally {
  await browser?.close().catch(() => {});
  killCodeServer();
  try {
    copyLogs();
  } catch {}
}
const passed = results.filter((r) => r.ok).length;
const failed = TOTAL - passed;
for (const r of results.filter((r) => !r.ok)) console.log(`FAILED: ${r.name}: ${r.error?.message}`);
if (results.length < TOTAL) console.log(`(${TOTAL - results.length} steps not run)`);
console.log(`screenshots and logs: ${path.relative(process.cwd(), OUT) || OUT}`);
if (failed === 0 && exitCode === 0) fs.rmSync(tmp, { recursive: true, force: true });
else console.log(`workspace kept at ${tmp}`);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed > 0 || exitCode !== 0 ? 1 : 0);
