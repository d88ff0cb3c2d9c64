import { strict as assert } from "node:assert";
import { describe, it } from "node:test";
import {
  isServerStatus,
  isUnder,
  languageStatusView,
  OPEN_SERVER_SETTING,
  RESTART,
  SHOW_OUTPUT,
  SHOW_STATUS,
  shortReason,
  statusDetails,
  statusReason,
  type ServerStatus,
} from "../src/status";

// The summaries as the server writes them (server/src/project.rs, Project::summary).
const active: ServerStatus = {
  root: "/p",
  activeCatalogs: ["cloudbase-http", "cloudbase-sdk"],
  summary:
    "active catalogs: cloudbase-http, cloudbase-sdk (CloudBase project: examples/cloudbase-app/package.json: depends on `@cloudbase/js-sdk`)",
  config: null,
  indexing: false,
};
const inactive: ServerStatus = {
  root: "/q",
  activeCatalogs: [],
  summary:
    "no active catalogs: no CloudBase markers found (no @cloudbase/*, wx-server-sdk or tcb-admin-node dependency, cloudbaserc.json, mini-program cloud functions or CloudBase SDK in Python/Go/Java manifests); set activation = \"always\" in errcode.toml to override",
  config: "/q/errcode.toml",
  indexing: false,
};

describe("languageStatusView", () => {
  it("lists the active catalogs, with the reason as detail", () => {
    const view = languageStatusView({ kind: "running", status: active });
    assert.equal(view.text, "errcode: cloudbase-http, cloudbase-sdk");
    assert.equal(view.detail, "CloudBase project");
    assert.equal(view.severity, "information");
    assert.equal(view.busy, false);
    assert.deepEqual(view.command, SHOW_STATUS);
  });

  it("says inactive and why", () => {
    const view = languageStatusView({ kind: "running", status: inactive });
    assert.equal(view.text, "errcode: inactive");
    assert.equal(view.detail, "no CloudBase markers found");
    assert.equal(view.severity, "information");
    assert.equal(view.busy, false);
  });

  it("is busy while the workspace index is built", () => {
    const view = languageStatusView({ kind: "running", status: { ...active, indexing: true } });
    assert.equal(view.busy, true);
    assert.equal(view.text, "errcode: indexing…");
    assert.equal(view.detail, "cloudbase-http, cloudbase-sdk active");
    const idle = languageStatusView({ kind: "running", status: { ...inactive, indexing: true } });
    assert.equal(idle.busy, true);
    assert.match(idle.detail, /no catalog active/);
  });

  it("keeps the label short with many catalogs", () => {
    const view = languageStatusView({ kind: "running", status: { ...active, activeCatalogs: ["cloudbase-http", "cloudbase-sdk", "payments", "auth"] } });
    assert.equal(view.text, "errcode: cloudbase-http, cloudbase-sdk +2");
    const long = languageStatusView({ kind: "running", status: { ...active, activeCatalogs: ["a-very-long-team-catalog-name", "another-long-catalog"] } });
    assert.equal(long.text, "errcode: a-very-long-team-catalog-name +1");
  });

  it("treats a status without `indexing` (older server) as not indexing", () => {
    const { indexing: _, ...old } = active;
    assert.equal(languageStatusView({ kind: "running", status: old }).busy, false);
  });

  it("is busy while starting and before the first status", () => {
    for (const state of [{ kind: "starting" as const }, { kind: "running" as const }]) {
      const view = languageStatusView(state);
      assert.equal(view.busy, true, state.kind);
      assert.equal(view.severity, "information", state.kind);
    }
  });

  it("shows a missing server as an error that opens the setting, briefly", () => {
    const view = languageStatusView({
      kind: "no-server",
      reason: "not-found",
      message: "errcode: the errcode-lsp language server was not found: none is bundled for linux-arm-.\nmore",
    });
    assert.equal(view.severity, "error");
    assert.equal(view.busy, false);
    assert.equal(view.text, "errcode: no server");
    assert.equal(view.detail, "none bundled, none on PATH");
    assert.deepEqual(view.command, OPEN_SERVER_SETTING);
    assert.deepEqual(OPEN_SERVER_SETTING.arguments, ["errcode.server.path"]);
    const configured = languageStatusView({ kind: "no-server", reason: "configured-missing", message: "errcode.server.path is set to \"/x\", but ..." });
    assert.equal(configured.detail, "nothing at errcode.server.path");
    assert.equal(configured.severity, "error");
  });

  it("shows a stopped server as an error that restarts it", () => {
    const view = languageStatusView({ kind: "stopped" });
    assert.equal(view.severity, "error");
    assert.deepEqual(view.command, RESTART);
  });

  it("shows a failed start as an error pointing to the output, briefly", () => {
    const view = languageStatusView({ kind: "start-failed", message: `errcode: could not start /a/long/path/${"x".repeat(300)}: spawn EACCES` });
    assert.equal(view.severity, "error");
    assert.equal(view.text, "errcode: server failed to start");
    assert.equal(view.detail, "see the output");
    assert.deepEqual(view.command, SHOW_OUTPUT);
  });

  it("keeps every detail short enough for the narrow hover", () => {
    const long = "y".repeat(400);
    const states = [
      { kind: "starting" as const },
      { kind: "running" as const, status: { ...active, activeCatalogs: ["a-very-long-team-catalog-name", "another-long-catalog", "x"] } },
      { kind: "running" as const },
      { kind: "running" as const, status: { ...active, summary: `active catalogs: a (${long})` } },
      { kind: "running" as const, status: { ...inactive, summary: `no active catalogs: ${long}` } },
      { kind: "no-server" as const, reason: "not-found" as const, message: long },
      { kind: "no-server" as const, reason: "configured-missing" as const, message: long },
      { kind: "start-failed" as const, message: long },
      { kind: "stopped" as const },
    ];
    for (const state of states) {
      const view = languageStatusView(state);
      // About 60 characters fill the hover beside the command link (e2e: linkFitsHover).
      assert.ok(view.text.length + view.detail.length <= 75, `${state.kind}: ${view.text} / ${view.detail}`);
    }
  });
});

describe("statusReason", () => {
  it("takes the reason out of the server's summary", () => {
    assert.equal(statusReason(active.summary), "CloudBase project: examples/cloudbase-app/package.json: depends on `@cloudbase/js-sdk`");
    assert.match(statusReason(inactive.summary), /^no CloudBase markers found \(no @cloudbase.*; set activation = "always" in errcode.toml to override$/);
    assert.equal(statusReason("active catalogs: a (x (y))"), "x (y)");
  });

  it("keeps a summary of another shape whole", () => {
    assert.equal(statusReason("something else"), "something else");
  });
});

describe("shortReason", () => {
  it("keeps the first clause, without the parenthesised list, the advice and backticks, and stays short", () => {
    assert.equal(shortReason(statusReason(inactive.summary)), "no CloudBase markers found");
    assert.equal(shortReason(statusReason(active.summary)), "CloudBase project");
    assert.equal(shortReason("enabled in `errcode.toml`"), "enabled in errcode.toml");
    assert.ok(shortReason("y".repeat(500)).length <= 30);
  });
});

describe("statusDetails", () => {
  it("names catalogs, reason, root and config", () => {
    assert.deepEqual(statusDetails(active), [
      "Active catalogs: cloudbase-http, cloudbase-sdk",
      "Why: CloudBase project: examples/cloudbase-app/package.json: depends on @cloudbase/js-sdk",
      "Project root: /p",
      "Config: none (no errcode.toml)",
    ]);
    const lines = statusDetails({ ...inactive, indexing: true });
    assert.match(lines[0], /No catalog is active/);
    assert.ok(lines.includes("Config: /q/errcode.toml"));
    assert.ok(lines.includes("Building the workspace index…"));
  });

  it("says when there is no status yet", () => {
    assert.equal(statusDetails(undefined).length, 1);
  });
});

describe("helpers", () => {
  it("validates status objects", () => {
    assert.ok(isServerStatus({ root: null, activeCatalogs: [], summary: "", config: null }));
    assert.ok(isServerStatus({ root: null, activeCatalogs: ["a"], summary: "", config: null, indexing: true }));
    assert.ok(!isServerStatus(null));
    assert.ok(!isServerStatus({ summary: "x" }));
    assert.ok(!isServerStatus({ activeCatalogs: [3], summary: "x" }));
    assert.ok(!isServerStatus({ activeCatalogs: [], summary: "x", indexing: "yes" }));
  });

  it("matches paths under a root", () => {
    assert.ok(isUnder("/a/b/c.ts", "/a/b"));
    assert.ok(isUnder("/a/b", "/a/b/"));
    assert.ok(!isUnder("/a/bc/d.ts", "/a/b"));
  });
});
