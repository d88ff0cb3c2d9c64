import { strict as assert } from "node:assert";
import { describe, it } from "node:test";
import { isServerStatus, isUnder, statusBarView } from "../src/status";

describe("statusBarView", () => {
  it("lists active catalogs", () => {
    const view = statusBarView({ root: "/p", activeCatalogs: ["cloudbase-http", "cloudbase-sdk"], summary: "CloudBase project", config: null });
    assert.equal(view.text, "$(check) errcode: cloudbase-http, cloudbase-sdk");
    assert.match(view.tooltip, /CloudBase project/);
  });

  it("shows inactive without catalogs", () => {
    const view = statusBarView({ root: null, activeCatalogs: [], summary: "no catalog active", config: null });
    assert.equal(view.text, "$(circle-slash) errcode: inactive");
    assert.match(view.tooltip, /no catalog active/);
  });

  it("shows a spinner before the first status", () => {
    assert.match(statusBarView(undefined).text, /sync~spin/);
  });
});

describe("helpers", () => {
  it("validates status objects", () => {
    assert.ok(isServerStatus({ root: null, activeCatalogs: [], summary: "", config: null }));
    assert.ok(!isServerStatus(null));
    assert.ok(!isServerStatus({ summary: "x" }));
  });

  it("matches paths under a root", () => {
    assert.ok(isUnder("/a/b/c.ts", "/a/b"));
    assert.ok(isUnder("/a/b", "/a/b/"));
    assert.ok(!isUnder("/a/bc/d.ts", "/a/b"));
  });
});
