// The manifest (package.json) and the code must agree.
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, it } from "node:test";
import { LANGUAGES } from "../src/languages";
import { FORWARDED_KEYS, RESTRICTED_KEYS } from "../src/settings";

// Compiled to out/test/: the manifest is two levels up.
const manifest = JSON.parse(fs.readFileSync(path.join(__dirname, "..", "..", "package.json"), "utf8"));
const properties: Record<string, { scope?: string; markdownDescription?: string }> = manifest.contributes.configuration.properties;

describe("package.json", () => {
  it("activates on every scanned language and on errcode.toml", () => {
    for (const lang of LANGUAGES) assert.ok(manifest.activationEvents.includes(`onLanguage:${lang}`), lang);
    assert.ok(manifest.activationEvents.includes("workspaceContains:**/errcode.toml"));
  });

  it("declares every forwarded setting with a markdown description", () => {
    for (const key of [...FORWARDED_KEYS, "server.path", "trace.server"]) {
      const prop = properties[`errcode.${key}`];
      assert.ok(prop, `errcode.${key} is not contributed`);
      assert.ok(prop.markdownDescription, `errcode.${key} has no markdownDescription`);
    }
  });

  it("keeps the server path out of workspace settings", () => {
    assert.equal(properties["errcode.server.path"].scope, "machine");
  });

  it("restricts the same settings in untrusted workspaces as the code does", () => {
    const restricted: string[] = manifest.capabilities.untrustedWorkspaces.restrictedConfigurations;
    assert.deepEqual([...restricted].sort(), RESTRICTED_KEYS.map((k) => `errcode.${k}`).sort());
    assert.equal(manifest.capabilities.untrustedWorkspaces.supported, "limited");
  });

  it("contributes the two commands", () => {
    const ids = manifest.contributes.commands.map((c: { command: string }) => c.command);
    assert.deepEqual(ids.sort(), ["errcode.restartServer", "errcode.showOutput"]);
  });
});
