// The VS Code language ids whose files the server scans. No `vscode` import.

/** Languages the server scans (VS Code language ids). */
export const LANGUAGES = [
  "javascript",
  "javascriptreact",
  "typescript",
  "typescriptreact",
  "vue",
  "svelte",
  "wxml",
  "wxs",
  "python",
  "go",
  "rust",
  "java",
  "kotlin",
  "csharp",
  "php",
  "ruby",
  "dart",
  "swift",
  "lua",
  "shellscript",
  "json",
  "jsonc",
  "yaml",
  "toml",
  "dotenv",
  "ini",
  "properties",
];

/** Extra document filters: dotenv files, whatever language VS Code gives them. */
export const FILE_PATTERNS = ["**/.env*", "**/{errcode.toml,.errcode.toml}"];

/** The documents the extension serves: the language client's and the status item's selector. */
export function documentFilters(): { scheme: "file"; language?: string; pattern?: string }[] {
  return [
    ...LANGUAGES.map((language) => ({ scheme: "file" as const, language })),
    ...FILE_PATTERNS.map((pattern) => ({ scheme: "file" as const, pattern })),
  ];
}
