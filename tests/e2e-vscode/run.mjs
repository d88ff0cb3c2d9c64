// End-to-end test of the errcode VS Code extension in a real VS Code
// (code-server) driven by Playwright in the system's headless Chromium: the installed
// package, the language status item, hover, Problems, completion (where codes belong and
// where they do not), quick fix, schema validation of catalog files, and the
// errcode.locale setting (a Chinese hover and Problems, then English again with auto).
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
// A team catalog named like the manifest's jsonValidation pattern, with a key the schema forbids.
fs.writeFileSync(
  path.join(workspace, "team.errcodes.json"),
  JSON.stringify({ catalog: { name: "team" }, codes: [{ code: "TEAM_QUOTA_EXCEEDED", summary: "Quota exceeded." }], bogusKey: true }, null, 2) + "\n",
);
// A file errcode does not serve: no errcode language status there.
fs.writeFileSync(path.join(workspace, "NOTES.md"), "# Notes\n\nNothing for errcode here.\n");
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

// Expected hover text: the catalog summary of a code in a language, as `explain` gives it.
function summaryOf(code, lang) {
  const json = execFileSync(SERVER_BIN, ["explain", "--lang", lang, "--format", "json", code], { encoding: "utf8" });
  const summary = JSON.parse(json)[0]?.summary;
  if (!summary) throw new Error(`no summary in explain --lang ${lang} --format json ${code}:\n${json}`);
  return summary;
}
// English: the first six words; Chinese: the whole summary without its closing punctuation.
const summaryWords = summaryOf("FUNCTION_NOT_FOUND", "en").replace(/[.`*]/g, "").split(/\s+/).slice(0, 6).join(" ");
const summaryZh = summaryOf("FUNCTION_NOT_FOUND", "zh-CN").replace(/[。.`*]+$/g, "");
if (!/[\u4e00-\u9fff]/.test(summaryZh)) throw new Error(`the zh-CN summary is not Chinese: ${summaryZh}`);

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
    console.log(`${passed} passed, ${TOTAL - passed} failed`);
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

async function openFile(relPath) {
  await waitFor(`the quick open to take ${relPath}`, async () => {
    await page.locator(".monaco-workbench .part.editor").click({ position: { x: 200, y: 200 } }).catch(() => {});
    try {
      await quickInput("Control+p", relPath);
    } catch (err) {
      log(`quick open failed: ${err.message.split("\n")[0]}`);
      await page.keyboard.press("Escape");
      return false;
    }
    return page.locator(".tab.active", { hasText: path.basename(relPath) }).isVisible();
  }, 60000, 1000);
}

/** Every row of the open suggest widget (it renders only the visible ones: page through). */
async function allSuggestions(widget) {
  const rows = new Map();
  for (let i = 0; i < 30; i++) {
    const visible = widget.locator(".monaco-list-row");
    let setSize = 0;
    for (let j = 0; j < (await visible.count()); j++) {
      const row = visible.nth(j);
      const pos = Number(await row.getAttribute("aria-posinset").catch(() => null));
      setSize = Math.max(setSize, Number(await row.getAttribute("aria-setsize").catch(() => 0)) || 0);
      const t = (await row.innerText().catch(() => "")).replace(/\u00a0/g, " ").trim();
      rows.set(pos || rows.size + 1, t);
    }
    if (rows.size >= setSize) break;
    await page.keyboard.press("PageDown");
    await page.waitForTimeout(150);
  }
  return [...rows.values()];
}

/** A suggestion whose label is shaped like an error code (what errcode offers). */
const CODE_LABEL = /(^|\s)[A-Z][A-Z0-9]*(_[A-Z0-9]+)+(\s|$)/;

/** Starts a new last line of the editor and types `line` there. */
async function typeOnNewLastLine(line) {
  await page.locator(".editor-instance .monaco-editor textarea").first().focus();
  await page.keyboard.press("Control+End");
  await page.keyboard.press("End");
  await page.keyboard.press("Enter");
  await page.keyboard.type(line, { delay: 40 });
}

const languageStatus = () => page.locator(".statusbar #status\\.languageStatus");

/** Opens the hover on `"FUNCTION_NOT_FOUND"` (line 15 of src/api.ts) until it contains `want`. */
async function hoverFunctionNotFound(want, timeout = TIMEOUT) {
  const hover = page.locator(".monaco-hover:not(.hidden)").filter({ hasText: "FUNCTION_NOT_FOUND" });
  const found = await waitFor(`a hover with "FUNCTION_NOT_FOUND" and "${want}"`, async () => {
    await page.locator(".editor-instance .monaco-editor textarea").first().focus();
    await goTo(15, 26);
    await page.keyboard.press("Control+k");
    await page.keyboard.press("Control+i");
    await page.locator(".monaco-hover:not(.hidden)").first().waitFor({ state: "visible", timeout: 5000 });
    const t = await text(hover.first()).catch(() => "");
    if (t.includes(want)) return t;
    await page.keyboard.press("Escape");
    return false;
  }, timeout, 1500);
  return { text: found, hover: hover.first() };
}

/**
 * A screenshot cropped like the README's: the editor from its line numbers to the right edge of
 * the hover, from the line the hover starts on to two lines below the cursor's, whole lines.
 */
async function shotHover(name, hover) {
  const editor = await page.locator(".editor-instance .monaco-editor").first().boundingBox();
  const box = await hover.boundingBox();
  const cursor = await page.locator(".editor-instance .monaco-editor .cursor").first().boundingBox().catch(() => null);
  if (!editor || !box) throw new Error("cannot measure the editor or the hover");
  const lines = await page
    .locator(".editor-instance .monaco-editor .view-lines .view-line")
    .evaluateAll((els) => els.map((e) => e.getBoundingClientRect()).map((r) => ({ top: r.top, height: r.height })));
  const lineHeight = lines[0]?.height || 19;
  const lineTop = (y) => lines.map((l) => l.top).filter((t) => t <= y).reduce((a, b) => Math.max(a, b), -Infinity);
  const first = Math.min(box.y, cursor ? cursor.y : box.y);
  const top = Math.max(editor.y, Number.isFinite(lineTop(first)) ? lineTop(first) : first - 10);
  const last = Math.max(box.y + box.height, cursor ? cursor.y + cursor.height : 0);
  const bottom = Math.min(editor.y + editor.height, (Number.isFinite(lineTop(last)) ? lineTop(last) : last) + 3 * lineHeight);
  const right = Math.min(editor.x + editor.width, box.x + box.width + 12);
  const clip = { x: Math.round(editor.x), y: Math.round(top), width: Math.round(right - editor.x), height: Math.round(bottom - top) };
  await page.screenshot({ path: path.join(OUT, name), clip });
  log(`${name}: ${clip.width}x${clip.height}`);
}

/** The lines of the extension's output channel logs (server stderr and the LSP trace). */
function outputLogs() {
  const found = [];
  const walk = (dir) => {
    for (const e of fs.existsSync(dir) ? fs.readdirSync(dir, { withFileTypes: true }) : []) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (/errcode/.test(e.name)) found.push(fs.readFileSync(p, "utf8"));
    }
  };
  walk(path.join(userDataDir, "logs"));
  return found.join("\n");
}

/** Sets (or with `undefined` removes) one setting in the workspace's .vscode/settings.json. */
function setWorkspaceSetting(key, value) {
  const file = path.join(workspace, ".vscode", "settings.json");
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const settings = fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, "utf8") || "{}") : {};
  if (value === undefined) delete settings[key];
  else settings[key] = value;
  fs.writeFileSync(file, JSON.stringify(settings, null, 2) + "\n");
}

/** The hover is narrow: the whole language status item, up to its command link, must fit in it. */
async function linkFitsHover(item, title) {
  const link = item.locator(".right a", { hasText: title });
  // Measured once both are laid out (on a loaded machine the hover can still be settling).
  const [hoverBox, linkBox] = await waitFor(`the language status hover and its "${title}" link laid out`, async () => {
    const hover = await page.locator(".workbench-hover").filter({ has: item }).first().boundingBox({ timeout: 1000 }).catch(() => null);
    const box = await link.boundingBox({ timeout: 1000 }).catch(() => null);
    return hover && box ? [hover, box] : null;
  }, 10000);
  if (linkBox.x + linkBox.width > hoverBox.x + hoverBox.width + 1 || linkBox.x < hoverBox.x) {
    throw new Error(`the item overflows the hover: link at ${JSON.stringify(linkBox)}, hover ${JSON.stringify(hoverBox)}`);
  }
  return link;
}

async function main() {
  // Install the extension into a fresh extensions dir.
  log(`installing ${path.basename(VSIX)}`);
  const install = execFileSync(CODE_SERVER, csArgs(["--install-extension", VSIX]), { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
  csLog.write(install);
  const installed = fs.readdirSync(extensionsDir).filter((d) => d.startsWith("errcode-lsp."));
  if (installed.length === 0) throw new Error(`the extension was not installed:\n${install}`);
  log(`installed ${installed.join(", ")}`);
  await step("the installed package holds the server, icon, license, schemas and an absolute-URL README", async () => {
    checkInstalledPackage(path.join(extensionsDir, installed[0]));
  });

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
  // Records every state of the language status entry (`{}`) from the first moment: the
  // indexing state lasts about a second, before any step could look.
  await context.addInitScript(() => {
    window.__languageStatus = [];
    const last = {};
    const push = (label) => {
      const source = label.slice(0, label.indexOf(":"));
      if (last[source] !== label) window.__languageStatus.push((last[source] = label));
    };
    const record = () => {
      const el = document.getElementById("status.languageStatus");
      if (el) push(`entry: ${el.getAttribute("aria-label") || ""}${el.querySelector(".codicon-loading") ? " [busy]" : ""}`);
      // The errcode row of the open hover: its own spinner says that this item is busy.
      for (const row of document.querySelectorAll(".hover-language-status")) {
        const left = row.querySelector(".left");
        if (left && /errcode/.test(left.textContent || "")) {
          push(`hover: ${(left.textContent || "").trim()}${left.querySelector(".codicon-loading") ? " [spin]" : ""}`);
        }
      }
    };
    new MutationObserver(record).observe(document, { subtree: true, childList: true, attributes: true, attributeFilter: ["aria-label", "class"] });
  });
  page = await context.newPage();
  page.on("pageerror", (err) => csLog.write(`[page error] ${err.message}\n`));

  const ok1 = await step("open the project and src/api.ts", async () => {
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
    await openFile("src/api.ts");
    log("src/api.ts is open");
  });
  if (!ok1) return;

  await step("language status: the active catalogs, Show Status, indexing after Restart Server", async () => {
    // The `{}` entry's accessible name lists every language status item of the active editor.
    const label = await waitFor("the errcode language status item to list both catalogs, not indexing", async () => {
      const aria = (await languageStatus().getAttribute("aria-label", { timeout: 2000 })) || "";
      return /errcode: cloudbase-http, cloudbase-sdk/.test(aria) && !/indexing|starting/.test(aria) ? aria : false;
    });
    log(`language status: ${label}`);
    await languageStatus().click();
    const item = page.locator(".hover-language-status", { hasText: "errcode" });
    await item.first().waitFor({ state: "visible", timeout: 10000 });
    const t = await text(item.first());
    log(`language status hover: ${t.replace(/\s+/g, " ")}`);
    if (!t.includes("errcode: cloudbase-http, cloudbase-sdk")) throw new Error(`the hover item says: ${t}`);
    if (!/CloudBase project/.test(t)) throw new Error(`no reason in the hover item: ${t}`);
    if (/indexing/.test(t)) throw new Error(`still indexing: ${t}`);
    const severityError = await item.first().locator(".severity.sev3.show").count();
    if (severityError) throw new Error("the item shows an error severity");
    const details = await linkFitsHover(item.first(), "Details");
    await page.waitForTimeout(500);
    await shot("language-status.png");
    // Its command opens "errcode: Show Status" with the project's facts and the actions.
    await details.click();
    const quick = page.locator(".quick-input-widget");
    await quick.waitFor({ state: "visible", timeout: 10000 });
    const rows = await waitFor("the Show Status quick pick", async () => {
      const r = await quick.locator(".monaco-list-row").allInnerTexts();
      return r.length >= 4 ? r : false;
    }, 10000);
    log(`show status: ${rows.map((r) => r.replace(/\s+/g, " ")).join(" | ")}`);
    await shot("show-status.png");
    for (const want of ["Active catalogs: cloudbase-http, cloudbase-sdk", "Restart Server", "Show Output"]) {
      if (!rows.some((r) => r.includes(want))) throw new Error(`Show Status lacks "${want}": ${rows.join(" | ")}`);
    }
    // Its "Restart Server": the item goes through starting and indexing (busy) back to the
    // catalogs. The indexing state lasts about a second: the page records every state.
    await page.evaluate(() => window.__languageStatus.splice(0));
    await quick.locator("input").fill("Restart Server");
    await page.waitForTimeout(300);
    await quick.locator("input").press("Enter");
    await quick.waitFor({ state: "hidden", timeout: 10000 });
    // The entry's label lists every item: keep the errcode part.
    const summarize = (l) => {
      if (l.startsWith("hover: ")) return l;
      const busy = l.endsWith(" [busy]");
      const m = /errcode: [^,]*(?:, cloudbase-sdk)?[^,]*/.exec(busy ? l.slice(0, -7) : l);
      return `entry: ${m ? m[0] : "(no errcode item)"}${busy ? " [busy]" : ""}`;
    };
    const seen = await waitFor("the item back at the catalogs after the restart", async () => {
      const states = (await page.evaluate(() => window.__languageStatus)).map(summarize);
      const at = states.findIndex((l) => /errcode: (starting|indexing)…/.test(l));
      return at >= 0 && states.slice(at).some((l) => l === "entry: errcode: cloudbase-http, cloudbase-sdk: CloudBase project") ? states : false;
    }, 60000);
    const path_ = seen.filter((l, i) => l !== seen[i - 1]);
    log(`after Restart Server: ${path_.join(" -> ")}`);
    if (!seen.some((l) => l.startsWith("entry: errcode: indexing…"))) throw new Error(`never "errcode: indexing…": ${path_.join(" -> ")}`);
    // busy: the item's own spinner in the hover (the entry's spinner may be another item's).
    if (!seen.some((l) => /^hover: errcode: indexing….*\[spin\]$/.test(l))) {
      throw new Error(`the indexing item did not spin in the hover: ${path_.join(" -> ")}`);
    }
    if (seen.some((l) => /^hover: errcode: cloudbase-http.*\[spin\]$/.test(l))) throw new Error(`the item spun while not indexing: ${path_.join(" -> ")}`);
    // Close the sticky hover too (a click elsewhere), so that it covers nothing in the next steps.
    await page.locator(".editor-instance .monaco-editor .view-lines").first().click({ position: { x: 400, y: 600 } });
    await item.first().waitFor({ state: "hidden", timeout: 10000 }).catch(() => log("the language status hover stayed open"));
    await page.mouse.move(150, 600);
  });

  await step("hover shows the catalog docs of FUNCTION_NOT_FOUND", async () => {
    const { text: found, hover } = await hoverFunctionNotFound(summaryWords);
    log(`hover text: ${found.slice(0, 200).replace(/\s+/g, " ")}`);
    await page.waitForTimeout(300);
    await shotHover("hover-crop.png", hover);
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

  await step("completion after err.code === \" offers the codes", async () => {
    await typeOnNewLastLine('if (err.code === "');
    const widget = page.locator(".editor-widget.suggest-widget.visible");
    // Opened by the trigger character `"` as typed; Ctrl+Space only if it did not open.
    const rows = await waitFor("the suggest widget to list FUNCTION_NOT_FOUND", async () => {
      if (!(await widget.isVisible())) {
        await page.keyboard.press("Control+Space");
        await widget.waitFor({ state: "visible", timeout: 5000 });
      }
      // FUNCTION_NOT_FOUND is used in the workspace: it comes among the first rows.
      const first = await widget.locator(".monaco-list-row").allInnerTexts();
      if (first.some((r) => r.includes("FUNCTION_NOT_FOUND"))) {
        await shot("completion-code-place.png");
        return allSuggestions(widget);
      }
      await page.keyboard.press("Escape");
      return false;
    }, 60000, 1000);
    log(`${rows.length} suggestions, first: ${rows.slice(0, 4).map((r) => r.replace(/\s+/g, " ")).join(" | ")}`);
    if (!rows.some((r) => r.includes("EXCEED_RATELIMIT"))) throw new Error(`no EXCEED_RATELIMIT among ${rows.length} suggestions`);
    if (rows.filter((r) => CODE_LABEL.test(r)).length < 20) throw new Error(`only ${rows.length} suggestions: ${rows.join(" | ")}`);
    await page.keyboard.press("Escape");
    await page.keyboard.press("Control+Shift+k");
  });
  await page.keyboard.press("Escape");

  await step("no code completion in an import path, typed or invoked", async () => {
    await typeOnNewLastLine('import x from "');
    const widget = page.locator(".editor-widget.suggest-widget.visible");
    // What typing the quote brought up (if anything), once every provider had time to answer.
    await page.waitForTimeout(3000);
    const typed = (await widget.isVisible()) ? await allSuggestions(widget) : [];
    log(`after typing: ${typed.length} suggestions${typed.length ? `: ${typed.slice(0, 5).join(" | ")}` : ""}`);
    const typedCodes = typed.filter((r) => CODE_LABEL.test(r));
    if (typedCodes.length) throw new Error(`codes offered in an import path: ${typedCodes.join(" | ")}`);
    await page.keyboard.press("Escape");
    // Asked for explicitly: TypeScript may offer module paths, errcode nothing.
    await page.keyboard.press("Control+Space");
    const shown = await waitFor("the suggest widget (or its \"No suggestions\")", async () => {
      if (await widget.isVisible()) return "widget";
      const none = page.locator(".suggest-widget .message", { hasText: /No suggestions/i });
      if (await none.isVisible().catch(() => false)) return "no suggestions";
      return false;
    }, 15000, 300).catch(() => "nothing");
    await page.waitForTimeout(2500);
    const invoked = (await widget.isVisible()) ? await allSuggestions(widget) : [];
    log(`after Ctrl+Space (${shown}): ${invoked.length} suggestions${invoked.length ? `: ${invoked.slice(0, 8).map((r) => r.replace(/\s+/g, " ")).join(" | ")}` : ""}`);
    await shot("completion-import-none.png");
    const invokedCodes = invoked.filter((r) => CODE_LABEL.test(r));
    if (invokedCodes.length) throw new Error(`codes offered in an import path on Ctrl+Space: ${invokedCodes.join(" | ")}`);
    await page.keyboard.press("Escape");
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

  await step("a *.errcodes.json catalog is validated against the bundled catalog schema", async () => {
    await openFile("team.errcodes.json");
    await page.keyboard.press("Control+Shift+m");
    const panel = page.locator(".markers-panel");
    await panel.waitFor({ state: "visible", timeout: 15000 });
    const row = await waitFor("a schema problem for bogusKey", async () => {
      const rows = await panel.locator(".monaco-list-row").allInnerTexts();
      return rows.find((r) => /Property bogusKey is not allowed/.test(r));
    }, 60000);
    log(`problem: ${row.replace(/\s+/g, " ")}`);
    await shot("catalog-schema.png");
  });

  await step("no errcode language status for a file errcode does not serve", async () => {
    await openFile("NOTES.md");
    await page.waitForTimeout(1500);
    const entries = await languageStatus().count();
    const aria = entries ? (await languageStatus().getAttribute("aria-label")) || "" : "";
    log(`NOTES.md: language status ${entries ? `"${aria}"` : "absent"}`);
    if (/errcode/.test(aria)) throw new Error(`errcode shows for a Markdown file: ${aria}`);
    // And back in a TypeScript file it is there again.
    await openFile("src/api.ts");
    await waitFor("the errcode item for src/api.ts again", async () => /errcode/.test((await languageStatus().getAttribute("aria-label", { timeout: 2000 })) || ""), 15000);
  });

  await step("errcode.locale zh-CN in the workspace settings: the hover and Problems speak Chinese", async () => {
    await page.keyboard.press("Escape");
    setWorkspaceSetting("errcode.locale", "zh-CN");
    // The server gets the change through didChangeConfiguration, without a restart.
    const { text: found, hover } = await hoverFunctionNotFound(summaryZh);
    log(`hover text: ${found.slice(0, 200).replace(/\s+/g, " ")}`);
    if (found.includes(summaryWords)) throw new Error(`the Chinese hover still has the English summary: ${found}`);
    // The fonts-noto-cjk glyphs need a moment after the first Chinese text is drawn.
    await page.waitForTimeout(800);
    await shot("hover-zh.png");
    await shotHover("hover-zh-crop.png", hover);
    await page.keyboard.press("Escape");
    // Diagnostics are published again in Chinese: the deprecated INVALID_ENV_ID (line 18).
    await page.keyboard.press("Control+Shift+m");
    const panel = page.locator(".markers-panel");
    await panel.waitFor({ state: "visible", timeout: 15000 });
    const row = await waitFor("a Chinese problem for INVALID_ENV_ID", async () => {
      const rows = await panel.locator(".monaco-list-row").allInnerTexts();
      return rows.find((r) => r.includes("INVALID_ENV_ID") && /已弃用/.test(r));
    }, 60000);
    log(`problem: ${row.replace(/\s+/g, " ")}`);
  });

  await step("errcode.locale auto again: English, VS Code's display language (initialize's locale)", async () => {
    setWorkspaceSetting("errcode.locale", undefined);
    await page.keyboard.press("Escape");
    const { text: found } = await hoverFunctionNotFound(summaryWords);
    log(`hover text: ${found.slice(0, 120).replace(/\s+/g, " ")}`);
    await page.keyboard.press("Escape");
    // vscode-languageclient sends vscode.env.language ("en" here) as initialize's locale.
    const logs = await waitFor("the LSP trace of initialize", async () => {
      const all = outputLogs();
      return /Sending request 'initialize/.test(all) ? all : false;
    }, 15000);
    const init = /Sending request 'initialize[^]*?"locale": "([^"]*)"/.exec(logs);
    log(`initialize locale: ${init ? init[1] : "(none)"}`);
    if (!init || init[1] !== "en") throw new Error(`initialize's locale is ${init ? init[1] : "absent"}, not "en"`);
  });

  // Last: it leaves the extension without a server.
  await step("a server path that does not exist shows as an error on the language status item", async () => {
    // A machine-scoped setting: in code-server (a remote window) it counts in the remote
    // machine's settings, <user-data-dir>/Machine/settings.json.
    const settingsFile = path.join(userDataDir, "Machine", "settings.json");
    fs.mkdirSync(path.dirname(settingsFile), { recursive: true });
    const settings = fs.existsSync(settingsFile) ? JSON.parse(fs.readFileSync(settingsFile, "utf8") || "{}") : {};
    settings["errcode.server.path"] = path.join(tmp, "no-such-dir", "errcode-lsp");
    fs.writeFileSync(settingsFile, JSON.stringify(settings, null, 2));
    // The extension restarts on the change and cannot find the server.
    const label = await waitFor("the errcode item to say 'no server'", async () => {
      const aria = (await languageStatus().getAttribute("aria-label", { timeout: 2000 })) || "";
      return /errcode: no server/.test(aria) ? aria : false;
    }, 30000);
    log(`language status: ${label}`);
    // An error among the items turns the `{}` entry into its error form.
    await waitFor("the {} entry's error icon", async () => (await languageStatus().locator(".codicon-bracket-error").count()) > 0, 10000);
    await languageStatus().click();
    const item = page.locator(".hover-language-status", { hasText: "errcode: no server" });
    await item.first().waitFor({ state: "visible", timeout: 10000 });
    if ((await item.first().locator(".severity.sev3").count()) === 0) throw new Error("the item has no error severity");
    const t = await text(item.first());
    log(`language status hover: ${t.replace(/\s+/g, " ")}`);
    if (!/nothing at errcode\.server\.path/.test(t)) throw new Error(`the item does not say why: ${t}`);
    await linkFitsHover(item.first(), "Open Settings");
    await page.waitForTimeout(500);
    await shot("language-status-error.png");
    // One error notification (with Open Settings), and no failed settings notification to the
    // server being stopped.
    const toasts = await page.locator(".notification-toast").allInnerTexts();
    log(`notifications: ${toasts.map((t) => t.replace(/\s+/g, " ").slice(0, 100)).join(" | ")}`);
    if (!toasts.some((t) => /errcode\.server\.path is set to/.test(t))) throw new Error("no error notification about errcode.server.path");
    const failed = toasts.filter((t) => /Sending notification|failed/i.test(t));
    if (failed.length) throw new Error(`unexpected notifications: ${failed.join(" | ")}`);
  });
}

/** Checks the installed extension's files (what the .vsix put on disk), before VS Code runs it. */
function checkInstalledPackage(dir) {
  const problems = [];
  const manifest = JSON.parse(fs.readFileSync(path.join(dir, "package.json"), "utf8"));
  const server = path.join(dir, "server", "errcode-lsp");
  if (!fs.existsSync(server)) problems.push("no server/errcode-lsp");
  else {
    if (!(fs.statSync(server).mode & 0o111)) problems.push("server/errcode-lsp is not executable");
    const version = execFileSync(server, ["--version"], { encoding: "utf8" }).trim();
    if (version !== `errcode-lsp ${manifest.version}`) problems.push(`bundled server says "${version}"`);
    log(`bundled server: ${version}, ${(fs.statSync(server).size / 1048576).toFixed(1)} MB`);
  }
  for (const f of [manifest.icon, "LICENSE.txt", "schemas/catalog.schema.json", "schemas/errcode.schema.json", "dist/extension.js"]) {
    if (!fs.existsSync(path.join(dir, f))) problems.push(`no ${f}`);
  }
  // vsce stores the README as readme.md.
  const readmeName = fs.readdirSync(dir).find((f) => f.toLowerCase() === "readme.md");
  if (!readmeName) throw new Error(`no README in ${fs.readdirSync(dir).join(", ")}`);
  const readme = fs.readFileSync(path.join(dir, readmeName), "utf8");
  const links = [...readme.matchAll(/!?\[[^\]]*\]\(([^)\s]+)\)/g)].map((m) => m[1]).filter((l) => !l.startsWith("#"));
  const relative = links.filter((l) => !l.startsWith("https://"));
  if (relative.length) problems.push(`README links that break on the Marketplace: ${relative.join(", ")}`);
  if (!links.some((l) => l.startsWith("https://github.com/errcode-lsp/errcode-lsp/raw/main/editors/vscode/images/"))) {
    problems.push("README images are not absolute");
  }
  const license = fs.readFileSync(path.join(dir, "LICENSE.txt"), "utf8");
  if (!/MIT License/.test(license) || !/Apache License/.test(license)) problems.push("LICENSE.txt lacks one of the two licenses");
  if (problems.length) throw new Error(problems.join("; "));
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

const TOTAL = 14;
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
