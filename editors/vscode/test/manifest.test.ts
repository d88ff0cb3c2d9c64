// The manifest (package.json), the files it names and the code must agree.
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, it } from "node:test";
import { LANGUAGES } from "../src/languages";
import { FORWARDED_KEYS, LOCALES, RESTRICTED_KEYS, WINDOW_KEYS } from "../src/settings";

// Compiled to out/test/: the extension is two levels up, the repository four.
const ext = path.join(__dirname, "..", "..");
const repo = path.join(ext, "..", "..");
const read = (...p: string[]) => fs.readFileSync(path.join(...p), "utf8");
const manifest = JSON.parse(read(ext, "package.json"));
type Property = { scope?: string; markdownDescription?: string; enum?: string[]; enumDescriptions?: string[]; default?: unknown };
const properties: Record<string, Property> = manifest.contributes.configuration.properties;
const REPO = "https://github.com/errcode-lsp/errcode-lsp";

/** `^1.82.0` -> [1, 82, 0] */
function minVersion(range: string): number[] {
  const m = /^\^?(\d+)\.(\d+)\.(\d+)$/.exec(range);
  assert.ok(m, `not a simple ^x.y.z range: ${range}`);
  return m.slice(1).map(Number);
}
function cmp(a: number[], b: number[]): number {
  for (let i = 0; i < 3; i++) if (a[i] !== b[i]) return a[i] - b[i];
  return 0;
}

/** VS Code's fileMatch globs: a pattern without `/` matches the file name anywhere. */
function matches(pattern: string, file: string): boolean {
  const glob = pattern.includes("/") ? pattern : `**/${pattern}`;
  const re = glob
    .replace(/[.+^${}()|[\]\\]/g, "\\$&")
    .replace(/\*\*\//g, "\u0000")
    .replace(/\*/g, "[^/]*")
    .replace(/\u0000/g, "(?:.*/)?");
  return new RegExp(`^(?:.*/)?${re}$`).test(file);
}
const anyMatch = (patterns: string[], file: string) => patterns.some((p) => matches(p, file));

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

  it("lets every project setting differ per folder (scope resource)", () => {
    for (const key of FORWARDED_KEYS) {
      if (WINDOW_KEYS.includes(key)) continue;
      assert.equal(properties[`errcode.${key}`].scope, "resource", `errcode.${key}`);
    }
  });

  it("makes the reader's preferences one per window (scope window), settable in user settings", () => {
    assert.deepEqual([...WINDOW_KEYS], ["locale"]);
    for (const key of WINDOW_KEYS) assert.equal(properties[`errcode.${key}`].scope, "window", `errcode.${key}`);
  });

  it("offers the languages the server speaks as errcode.locale, auto by default, described in both", () => {
    const locale = properties["errcode.locale"];
    assert.deepEqual(locale.enum, [...LOCALES]);
    assert.deepEqual(locale.enum, ["auto", "en", "zh-CN"]);
    assert.equal(locale.default, "auto");
    assert.equal(locale.enumDescriptions?.length, locale.enum.length);
    // A Chinese-speaking user finds their language in the list and in the description.
    assert.match(locale.enumDescriptions?.[2] ?? "", /简体中文/);
    assert.match(locale.markdownDescription ?? "", /简体中文/);
    assert.match(locale.markdownDescription ?? "", /Simplified Chinese/);
  });

  it("relies on vscode-languageclient to send VS Code's display language as initialize's locale (what auto follows)", () => {
    const client = read(ext, "node_modules", "vscode-languageclient", "lib", "common", "client.js");
    assert.match(client, /\blocale: this\.getLocale\(\)/);
    assert.match(client, /getLocale\(\) \{\s*return vscode_1\.env\.language;/);
  });

  it("restricts the same settings in untrusted workspaces as the code does", () => {
    const restricted: string[] = manifest.capabilities.untrustedWorkspaces.restrictedConfigurations;
    assert.deepEqual([...restricted].sort(), RESTRICTED_KEYS.map((k) => `errcode.${k}`).sort());
    assert.equal(manifest.capabilities.untrustedWorkspaces.supported, "limited");
  });

  it("contributes exactly the commands the extension registers", () => {
    const ids = manifest.contributes.commands.map((c: { command: string }) => c.command).sort();
    const registered = [...read(ext, "src", "extension.ts").matchAll(/registerCommand\("([^"]+)"/g)].map((m) => m[1]).sort();
    assert.deepEqual(ids, registered);
    assert.deepEqual(ids, ["errcode.restartServer", "errcode.showOutput", "errcode.showStatus"]);
    for (const c of manifest.contributes.commands) assert.equal(c.category, "errcode", c.command);
  });

  it("asks for no newer VS Code than vscode-languageclient does, and types against that version", () => {
    const ours = minVersion(manifest.engines.vscode);
    const client = JSON.parse(read(ext, "node_modules", "vscode-languageclient", "package.json"));
    const theirs = minVersion(client.engines.vscode);
    assert.equal(cmp(ours, theirs), 0, `engines.vscode ${manifest.engines.vscode}, vscode-languageclient needs ${client.engines.vscode}`);
    // Forks that lag behind (Cursor, VSCodium, WeChat DevTools) must be able to install it.
    assert.ok(cmp(ours, [1, 82, 0]) <= 0, manifest.engines.vscode);
    const types = JSON.parse(read(ext, "node_modules", "@types", "vscode", "package.json")).version.split(".").map(Number);
    assert.ok(cmp(types, ours) <= 0, `@types/vscode ${types.join(".")} is newer than engines.vscode`);
    assert.match(manifest.devDependencies["@types/vscode"], /^~?1\.82\.\d+$/);
  });

  it("has what the Marketplace shows: icon, categories, keywords, links, license", () => {
    assert.equal(manifest.publisher, "errcode-lsp");
    assert.ok(manifest.categories.includes("Linters"));
    assert.ok(manifest.keywords.length >= 5 && manifest.keywords.length <= 30, "vsce allows at most 30 keywords");
    assert.ok(manifest.keywords.includes("cloudbase"));
    assert.equal(manifest.repository.url, `${REPO}.git`);
    assert.equal(manifest.bugs.url, `${REPO}/issues`);
    assert.ok(manifest.homepage.startsWith(REPO), manifest.homepage);
    assert.equal(manifest.license, "MIT OR Apache-2.0");
  });

  it("ships a PNG icon of at least 128x128", () => {
    const png = fs.readFileSync(path.join(ext, manifest.icon));
    assert.equal(png.toString("latin1", 1, 4), "PNG");
    assert.equal(png.toString("latin1", 12, 16), "IHDR");
    const [w, h] = [png.readUInt32BE(16), png.readUInt32BE(20)];
    assert.ok(w >= 128 && h >= 128 && w === h, `${w}x${h}`);
  });

  it("ships a LICENSE with both licenses of the project, word for word", () => {
    const license = read(ext, "LICENSE");
    assert.ok(license.includes(read(repo, "LICENSE-MIT").trim()), "LICENSE lacks LICENSE-MIT");
    assert.ok(license.includes(read(repo, "LICENSE-APACHE").trim()), "LICENSE lacks LICENSE-APACHE");
    assert.match(license, /MIT OR Apache-2\.0/);
  });

  it("packs what the manifest names (.vscodeignore)", () => {
    const kept = read(ext, ".vscodeignore")
      .split("\n")
      .filter((l) => l.startsWith("!"))
      .map((l) => l.slice(1));
    for (const f of ["package.json", "README.md", "CHANGELOG.md", "LICENSE", "dist/extension.js", manifest.icon,
      "server/errcode-lsp", "server/errcode-lsp.exe", "schemas/catalog.schema.json", "schemas/errcode.schema.json"]) {
      assert.ok(kept.includes(f), `.vscodeignore drops ${f}`);
    }
    assert.equal(manifest.main, "./dist/extension.js");
  });

  it("builds each platform package through scripts/package.mjs", () => {
    assert.equal(manifest.scripts.package, "node scripts/package.mjs");
    assert.equal(manifest.scripts.prepackage, undefined, "npm passes no arguments to pre-scripts: --target would not reach it");
    assert.ok(manifest.scripts["vscode:prepublish"]);
  });
});

describe("schema contributions", () => {
  const json = manifest.contributes.jsonValidation as { fileMatch: string[]; url: string }[];
  const yaml = manifest.contributes.yamlValidation as { fileMatch: string[]; url: string }[];
  const toml = manifest.contributes.tomlValidation as { fileMatch: string[]; url: string }[];

  it("bundles the repository's schemas, unchanged", () => {
    for (const s of ["catalog.schema.json", "errcode.schema.json"]) {
      assert.equal(read(ext, "schemas", s), read(repo, "schemas", s), `editors/vscode/schemas/${s} differs from schemas/${s}`);
    }
  });

  it("gives JSON and YAML catalogs the catalog schema (bundled copy)", () => {
    for (const [kind, rules, files] of [
      ["json", json, ["team.errcodes.json", "errcodes.json", "/home/me/.config/errcode-lsp/catalogs/mine.json"]],
      ["yaml", yaml, ["docs/team.errcodes.yaml", "errcodes.yml", "/home/me/.config/errcode-lsp/catalogs/mine.yaml"]],
    ] as const) {
      assert.equal(rules.length, 1, kind);
      assert.equal(rules[0].url, "./schemas/catalog.schema.json", kind);
      assert.ok(fs.existsSync(path.join(ext, rules[0].url)), kind);
      for (const f of files) assert.ok(anyMatch(rules[0].fileMatch, f), `${kind}: ${f} is not matched`);
      for (const f of ["package.json", "tsconfig.json", "config/errors.yaml", "docker-compose.yml"]) {
        assert.ok(!anyMatch(rules[0].fileMatch, f), `${kind}: ${f} must not get the catalog schema`);
      }
    }
  });

  it("gives errcode.toml and TOML catalogs their schemas through Even Better TOML (absolute URLs of this version)", () => {
    const byUrl = (name: string) => toml.find((r) => r.url.endsWith(`/schemas/${name}`));
    const config = byUrl("errcode.schema.json");
    const catalog = byUrl("catalog.schema.json");
    assert.ok(config && catalog);
    for (const rule of toml) {
      // Taplo passes the URL on as it is: a relative path would not resolve (tamasfe/taplo#322).
      assert.equal(rule.url, `https://raw.githubusercontent.com/errcode-lsp/errcode-lsp/v${manifest.version}/schemas/${path.basename(rule.url)}`);
      assert.ok(fs.existsSync(path.join(repo, "schemas", path.basename(rule.url))), rule.url);
    }
    for (const f of ["errcode.toml", "app/.errcode.toml"]) assert.ok(anyMatch(config.fileMatch, f), f);
    for (const f of ["team.errcodes.toml", "errcodes.toml"]) assert.ok(anyMatch(catalog.fileMatch, f), f);
    for (const f of ["Cargo.toml", "pyproject.toml"]) {
      assert.ok(!toml.some((r) => anyMatch(r.fileMatch, f)), `${f} must not get an errcode schema`);
    }
  });
});

describe("README", () => {
  it("links only to files inside the extension folder or to absolute URLs (vsce rewrites the rest)", () => {
    const readme = read(ext, "README.md");
    for (const m of readme.matchAll(/!?\[[^\]]*\]\(([^)\s]+)\)/g)) {
      const link = m[1];
      if (/^https:\/\//.test(link) || link.startsWith("#")) continue;
      assert.ok(!link.startsWith("..") && !/^\w+:/.test(link), `README link ${link} leaves editors/vscode or is not https`);
      assert.ok(fs.existsSync(path.join(ext, link.split("#")[0])), `README link ${link}: no such file`);
    }
  });
});
