import { strict as assert } from "node:assert";
import { describe, it } from "node:test";
import { buildServerSettings, didChangeConfigurationParams, explicitValue } from "../src/settings";

const reader = (values: Record<string, unknown>) => (key: string) => values[key];

describe("buildServerSettings", () => {
  it("sends only trusted=true when nothing is set", () => {
    assert.deepEqual(buildServerSettings(reader({}), true), { trusted: true });
  });

  it("maps every errcode.* setting to the server's camelCase shape", () => {
    const settings = buildServerSettings(
      reader({
        activation: "always",
        catalogs: ["catalogs/mine.toml"],
        enable: ["cloudbase-http"],
        disable: ["cloudbase-sdk"],
        allow: ["MY_CODE"],
        exclude: ["vendor/"],
        extendExclude: ["**/fixtures/**"],
        "severity.misspelled": "error",
        "severity.deprecated": "hint",
        maxFileSize: 1048576,
        inlayHints: true,
        unsafeFixes: true,
        locale: "zh-CN",
      }),
      true,
    );
    assert.deepEqual(settings, {
      trusted: true,
      activation: "always",
      catalogs: ["catalogs/mine.toml"],
      enable: ["cloudbase-http"],
      disable: ["cloudbase-sdk"],
      allow: ["MY_CODE"],
      exclude: ["vendor/"],
      extendExclude: ["**/fixtures/**"],
      severity: { misspelled: "error", deprecated: "hint" },
      maxFileSize: 1048576,
      inlayHints: true,
      unsafeFixes: true,
      locale: "zh-CN",
    });
  });

  it("sends the locale the user chose, auto included (the server then follows initialize's locale)", () => {
    for (const locale of ["auto", "en", "zh-CN"]) {
      assert.deepEqual(buildServerSettings(reader({ locale }), true), { trusted: true, locale });
    }
    // A reader preference, not a workspace file: sent in untrusted workspaces too.
    assert.deepEqual(buildServerSettings(reader({ locale: "zh-CN" }), false), { trusted: false, locale: "zh-CN" });
  });

  it("sends one severity without inventing the other", () => {
    assert.deepEqual(buildServerSettings(reader({ "severity.deprecated": "off" }), true), {
      trusted: true,
      severity: { deprecated: "off" },
    });
  });

  it("drops malformed values instead of sending them", () => {
    const settings = buildServerSettings(
      reader({
        activation: "sometimes",
        enable: "cloudbase-http",
        allow: ["OK_CODE", 3, "", "  "],
        "severity.misspelled": "fatal",
        maxFileSize: -1,
        inlayHints: "yes",
        unsafeFixes: "true",
        locale: "fr",
      }),
      true,
    );
    assert.deepEqual(settings, { trusted: true, allow: ["OK_CODE"] });
  });

  it("keeps an explicitly empty list (it overrides errcode.toml)", () => {
    assert.deepEqual(buildServerSettings(reader({ disable: [] }), true), { trusted: true, disable: [] });
  });

  it("never sends workspace catalog files when untrusted", () => {
    const settings = buildServerSettings(reader({ catalogs: ["evil.toml"], allow: ["X_Y"] }), false);
    assert.deepEqual(settings, { trusted: false, allow: ["X_Y"] });
  });

  it("wraps the object under errcode for didChangeConfiguration", () => {
    assert.deepEqual(didChangeConfigurationParams({ trusted: true, inlayHints: true }), {
      settings: { errcode: { trusted: true, inlayHints: true } },
    });
  });
});

describe("explicitValue", () => {
  it("prefers folder over workspace over user values", () => {
    assert.equal(explicitValue({ globalValue: "a", workspaceValue: "b", workspaceFolderValue: "c" }, "activation", true), "c");
    assert.equal(explicitValue({ globalValue: "a", workspaceValue: "b" }, "activation", true), "b");
    assert.equal(explicitValue({ globalValue: "a" }, "activation", true), "a");
    assert.equal(explicitValue({}, "activation", true), undefined);
    assert.equal(explicitValue(undefined, "activation", true), undefined);
  });

  it("ignores workspace values of restricted settings in untrusted workspaces", () => {
    const inspected = { globalValue: ["user.toml"], workspaceValue: ["ws.toml"] };
    assert.deepEqual(explicitValue(inspected, "catalogs", false), ["user.toml"]);
    assert.deepEqual(explicitValue(inspected, "catalogs", true), ["ws.toml"]);
    // Unrestricted settings still come from the workspace.
    assert.equal(explicitValue({ workspaceValue: "never" }, "activation", false), "never");
  });
});
