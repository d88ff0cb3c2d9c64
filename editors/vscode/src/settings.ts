// Pure mapping from VS Code `errcode.*` settings to the object the server
// expects as `initializationOptions` and under `settings.errcode` in
// `workspace/didChangeConfiguration`. No `vscode` import: unit-tested in node.

export type Severity = "error" | "warning" | "info" | "hint" | "off";
export type Activation = "auto" | "always" | "never";
/** The language of hovers and messages: `auto` follows VS Code's display language. */
export type Locale = "auto" | "en" | "zh-CN";

/** The settings object of the errcode-lsp server (all keys optional, camelCase). */
export interface ServerSettings {
  activation?: Activation;
  catalogs?: string[];
  enable?: string[];
  disable?: string[];
  allow?: string[];
  exclude?: string[];
  extendExclude?: string[];
  severity?: { misspelled?: Severity; deprecated?: Severity };
  maxFileSize?: number;
  inlayHints?: boolean;
  unsafeFixes?: boolean;
  locale?: Locale;
  trusted: boolean;
}

/**
 * Reads one setting below `errcode.` (e.g. `"severity.misspelled"`) and returns
 * the value the user set explicitly, or `undefined` when it is left at its default.
 */
export type SettingReader = (key: string) => unknown;

const ACTIVATIONS: readonly string[] = ["auto", "always", "never"];
const SEVERITIES: readonly string[] = ["error", "warning", "info", "hint", "off"];
export const LOCALES: readonly Locale[] = ["auto", "en", "zh-CN"];

/** Every `errcode.*` key that is forwarded to the server. */
export const FORWARDED_KEYS = [
  "activation",
  "catalogs",
  "enable",
  "disable",
  "allow",
  "exclude",
  "extendExclude",
  "severity.misspelled",
  "severity.deprecated",
  "maxFileSize",
  "inlayHints",
  "unsafeFixes",
  "locale",
] as const;

/**
 * Forwarded settings that are the reader's preference rather than the project's: one value
 * per window (`scope: window`, user or workspace settings), not per folder.
 */
export const WINDOW_KEYS: readonly (typeof FORWARDED_KEYS)[number][] = ["locale"];

/** Settings a workspace may not set while it is untrusted (mirrors `restrictedConfigurations`). */
export const RESTRICTED_KEYS: readonly string[] = ["catalogs", "server.path"];

function stringList(value: unknown): string[] | undefined {
  if (!Array.isArray(value)) return undefined;
  const out: string[] = [];
  for (const item of value) {
    if (typeof item === "string" && item.trim() !== "") out.push(item.trim());
  }
  return out;
}

function oneOf<T extends string>(value: unknown, allowed: readonly string[]): T | undefined {
  return typeof value === "string" && allowed.includes(value) ? (value as T) : undefined;
}

/**
 * Builds the server settings object. Only explicitly set, well-formed values are
 * included, so that values from `errcode.toml` are not overridden by defaults.
 * In an untrusted workspace `trusted` is false and `catalogs` (workspace files)
 * is never sent.
 */
export function buildServerSettings(read: SettingReader, trusted: boolean): ServerSettings {
  const out: ServerSettings = { trusted };

  const activation = oneOf<Activation>(read("activation"), ACTIVATIONS);
  if (activation !== undefined) out.activation = activation;

  if (trusted) {
    const catalogs = stringList(read("catalogs"));
    if (catalogs !== undefined) out.catalogs = catalogs;
  }
  for (const key of ["enable", "disable", "allow", "exclude", "extendExclude"] as const) {
    const list = stringList(read(key));
    if (list !== undefined) out[key] = list;
  }

  const misspelled = oneOf<Severity>(read("severity.misspelled"), SEVERITIES);
  const deprecated = oneOf<Severity>(read("severity.deprecated"), SEVERITIES);
  if (misspelled !== undefined || deprecated !== undefined) {
    out.severity = {};
    if (misspelled !== undefined) out.severity.misspelled = misspelled;
    if (deprecated !== undefined) out.severity.deprecated = deprecated;
  }

  const maxFileSize = read("maxFileSize");
  if (typeof maxFileSize === "number" && Number.isFinite(maxFileSize) && maxFileSize >= 0) {
    out.maxFileSize = Math.floor(maxFileSize);
  }

  const inlayHints = read("inlayHints");
  if (typeof inlayHints === "boolean") out.inlayHints = inlayHints;

  const unsafeFixes = read("unsafeFixes");
  if (typeof unsafeFixes === "boolean") out.unsafeFixes = unsafeFixes;

  // `auto` is sent too when set: the server then follows `initialize`'s `locale`
  // (VS Code's display language, which vscode-languageclient sends), as with nothing set.
  const locale = oneOf<Locale>(read("locale"), LOCALES);
  if (locale !== undefined) out.locale = locale;

  return out;
}

/** The params of `workspace/didChangeConfiguration` the server expects. */
export function didChangeConfigurationParams(settings: ServerSettings): { settings: { errcode: ServerSettings } } {
  return { settings: { errcode: settings } };
}

/**
 * Picks the value the user set explicitly from the result of
 * `WorkspaceConfiguration.inspect()`: the most specific scope wins.
 * In an untrusted workspace, workspace-level values of restricted settings are skipped.
 */
export interface InspectResult {
  globalValue?: unknown;
  workspaceValue?: unknown;
  workspaceFolderValue?: unknown;
}

export function explicitValue(inspected: InspectResult | undefined, key: string, trusted: boolean): unknown {
  if (!inspected) return undefined;
  const restricted = !trusted && RESTRICTED_KEYS.includes(key);
  if (!restricted) {
    if (inspected.workspaceFolderValue !== undefined) return inspected.workspaceFolderValue;
    if (inspected.workspaceValue !== undefined) return inspected.workspaceValue;
  }
  return inspected.globalValue;
}
