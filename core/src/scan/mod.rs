//! Per-language literal scanners: text in, byte spans of string-literal contents, unquoted
//! config scalars and comments out.
//!
//! The scanners work on bytes in one pass, without regexes, and jump with `memchr` where that
//! helps. They are split by family:
//!
//! * `code`: the shared table-driven scanner of the C-like family (JavaScript, TypeScript, Rust,
//!   Go, Java, Kotlin, C#, Dart, Swift, PHP, Ruby) and of Python, including string prefixes, raw
//!   strings, text blocks, heredocs and interpolation;
//! * `markup`: Vue and Svelte components (script blocks go to `code`);
//! * `lua`, `shell`: languages whose quoting and comments are too different to share;
//! * `config`: JSON, JSONC, TOML, `.env`, INI; `yaml`: YAML;
//! * `generic`: the conservative fallback.
//!
//! Architecture Invariant: a scanner never fails and never panics. Whatever the input (half-typed
//! code, unbalanced quotes, binary junk that happens to be UTF-8), it returns spans that are
//! sorted by `start`, do not overlap, and lie on `char` boundaries inside the text.

mod code;
mod config;
mod generic;
mod lua;
mod markup;
mod shell;
mod skip;
mod yaml;

use std::path::Path;

/// A language (or config format) the scanner knows how to read.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Lang {
    JavaScript,
    TypeScript,
    Vue,
    Svelte,
    Python,
    Go,
    Rust,
    Java,
    Kotlin,
    CSharp,
    Php,
    Ruby,
    Dart,
    Swift,
    Lua,
    Shell,
    Json,
    Jsonc,
    Yaml,
    Toml,
    Env,
    Ini,
    /// Unknown language: a quote-aware scanner that only finds quoted strings.
    Generic,
}

/// What a span holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum SpanKind {
    /// The contents of a quoted string literal (without the quotes).
    Literal,
    /// An unquoted scalar value or key in a config file (YAML, TOML bare keys, .env, INI).
    Bare,
    /// The text of a comment, including its markers (`//`, `#`, `/*`, ...).
    Comment,
}

/// A byte range `start..end` of the scanned text.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Span {
    pub kind: SpanKind,
    pub start: usize,
    pub end: usize,
}

impl Lang {
    /// Every language, for tests and documentation.
    pub const ALL: &'static [Lang] = &[
        Lang::JavaScript,
        Lang::TypeScript,
        Lang::Vue,
        Lang::Svelte,
        Lang::Python,
        Lang::Go,
        Lang::Rust,
        Lang::Java,
        Lang::Kotlin,
        Lang::CSharp,
        Lang::Php,
        Lang::Ruby,
        Lang::Dart,
        Lang::Swift,
        Lang::Lua,
        Lang::Shell,
        Lang::Json,
        Lang::Jsonc,
        Lang::Yaml,
        Lang::Toml,
        Lang::Env,
        Lang::Ini,
        Lang::Generic,
    ];

    /// The language for an LSP `languageId`, if it is one we scan.
    pub fn from_language_id(id: &str) -> Option<Lang> {
        Some(match id {
            "javascript" | "javascriptreact" | "js" | "jsx" => Lang::JavaScript,
            "typescript" | "typescriptreact" | "ts" | "tsx" => Lang::TypeScript,
            "vue" => Lang::Vue,
            "svelte" => Lang::Svelte,
            "python" => Lang::Python,
            "go" => Lang::Go,
            "rust" => Lang::Rust,
            "java" => Lang::Java,
            "kotlin" => Lang::Kotlin,
            "csharp" | "cs" => Lang::CSharp,
            "php" => Lang::Php,
            "ruby" => Lang::Ruby,
            "dart" => Lang::Dart,
            "swift" => Lang::Swift,
            "lua" => Lang::Lua,
            "shellscript" | "sh" | "bash" | "zsh" => Lang::Shell,
            "json" => Lang::Json,
            "jsonc" | "json5" => Lang::Jsonc,
            "yaml" => Lang::Yaml,
            "toml" => Lang::Toml,
            "dotenv" | "env" => Lang::Env,
            "ini" | "properties" => Lang::Ini,
            _ => return None,
        })
    }

    /// The language for a file path, by file name and extension.
    pub fn from_path(path: &Path) -> Option<Lang> {
        let name = path.file_name()?.to_str()?;
        // `.env`, `.env.local`, `.env.production`, `prod.env`.
        if name == ".env" || name.starts_with(".env.") || name.ends_with(".env") {
            return Some(Lang::Env);
        }
        if matches!(name, "tsconfig.json" | "jsconfig.json" | ".eslintrc.json" | "devcontainer.json") {
            return Some(Lang::Jsonc);
        }
        if matches!(name, ".bashrc" | ".zshrc" | ".profile" | ".bash_profile") {
            return Some(Lang::Shell);
        }
        let ext = name.rsplit_once('.')?.1.to_ascii_lowercase();
        Some(match ext.as_str() {
            "js" | "mjs" | "cjs" | "jsx" => Lang::JavaScript,
            "ts" | "mts" | "cts" | "tsx" => Lang::TypeScript,
            "vue" => Lang::Vue,
            "svelte" => Lang::Svelte,
            "py" | "pyi" => Lang::Python,
            "go" => Lang::Go,
            "rs" => Lang::Rust,
            "java" => Lang::Java,
            "kt" | "kts" => Lang::Kotlin,
            "cs" => Lang::CSharp,
            "php" => Lang::Php,
            "rb" => Lang::Ruby,
            "dart" => Lang::Dart,
            "swift" => Lang::Swift,
            "lua" => Lang::Lua,
            "sh" | "bash" | "zsh" => Lang::Shell,
            "json" => Lang::Json,
            "jsonc" | "json5" => Lang::Jsonc,
            "yaml" | "yml" => Lang::Yaml,
            "toml" => Lang::Toml,
            "ini" | "cfg" | "properties" => Lang::Ini,
            _ => return None,
        })
    }

    /// A short lower-case name, as used in fixtures and output.
    pub fn name(self) -> &'static str {
        match self {
            Lang::JavaScript => "javascript",
            Lang::TypeScript => "typescript",
            Lang::Vue => "vue",
            Lang::Svelte => "svelte",
            Lang::Python => "python",
            Lang::Go => "go",
            Lang::Rust => "rust",
            Lang::Java => "java",
            Lang::Kotlin => "kotlin",
            Lang::CSharp => "csharp",
            Lang::Php => "php",
            Lang::Ruby => "ruby",
            Lang::Dart => "dart",
            Lang::Swift => "swift",
            Lang::Lua => "lua",
            Lang::Shell => "shell",
            Lang::Json => "json",
            Lang::Jsonc => "jsonc",
            Lang::Yaml => "yaml",
            Lang::Toml => "toml",
            Lang::Env => "env",
            Lang::Ini => "ini",
            Lang::Generic => "generic",
        }
    }

    /// Config formats, where unquoted values and keys count as literals.
    pub fn is_config(self) -> bool {
        matches!(self, Lang::Json | Lang::Jsonc | Lang::Yaml | Lang::Toml | Lang::Env | Lang::Ini)
    }
}

/// Scans `text` as `lang` and returns the spans of literals, bare config scalars and comments,
/// sorted by start offset.
pub fn scan(lang: Lang, text: &str) -> Vec<Span> {
    match lang {
        Lang::JavaScript
        | Lang::TypeScript
        | Lang::Python
        | Lang::Go
        | Lang::Rust
        | Lang::Java
        | Lang::Kotlin
        | Lang::CSharp
        | Lang::Php
        | Lang::Ruby
        | Lang::Dart
        | Lang::Swift => code::scan(lang, text),
        Lang::Vue | Lang::Svelte => markup::scan(lang, text),
        Lang::Lua => lua::scan(text),
        Lang::Shell => shell::scan(text),
        Lang::Json => config::json(text, false),
        Lang::Jsonc => config::json(text, true),
        Lang::Yaml => yaml::scan(text),
        Lang::Toml => config::toml(text),
        Lang::Env => config::env(text),
        Lang::Ini => config::ini(text),
        Lang::Generic => generic::scan(text),
    }
}

/// An empty span list with room for the spans of `b` in most files (code has about one span per
/// 40 bytes, dense YAML and JSON one per 20), so scanning does not grow it by copying again and
/// again. Only the part written to is ever touched.
fn spans_for(b: &[u8]) -> Vec<Span> {
    Vec::with_capacity(b.len() / 16 + 8)
}

/// Moves `end` back over one `\r` that ends a line, but not before `start`.
fn trim_cr(b: &[u8], start: usize, end: usize) -> usize {
    if end > start && b[end - 1] == b'\r' {
        end - 1
    } else {
        end
    }
}

/// The index of the next `\n` at or after `i`, or the text length.
fn line_end(b: &[u8], i: usize) -> usize {
    if i >= b.len() {
        return b.len();
    }
    memchr::memchr(b'\n', &b[i..]).map_or(b.len(), |k| i + k)
}

/// Reads a string body without interpolation that starts at `start` (after the opening
/// delimiter), closed by `count` copies of `q`. Returns the end of the contents and the position
/// to resume at. An unterminated single-line string stops at its line end (before any `\r`), any
/// other unterminated string at the end of the text.
fn read_str(b: &[u8], start: usize, q: u8, count: usize, esc: code::Esc, multiline: bool) -> (usize, usize) {
    use memchr::{memchr, memchr2, memchr3};
    let n = b.len();
    let backslash = esc == code::Esc::Backslash;
    let mut j = start;
    loop {
        if j >= n {
            return (n, n);
        }
        let hay = &b[j..];
        let found = match (backslash, multiline) {
            (true, false) => memchr3(q, b'\\', b'\n', hay),
            (true, true) => memchr2(q, b'\\', hay),
            (false, false) => memchr2(q, b'\n', hay),
            (false, true) => memchr(q, hay),
        };
        let Some(k) = found else { return (n, n) };
        let p = j + k;
        match b[p] {
            c if c == q => {
                if count == 1 && esc == code::Esc::Doubled && b.get(p + 1) == Some(&q) {
                    j = p + 2;
                } else if (0..count).all(|m| b.get(p + m) == Some(&q)) {
                    return (p, p + count);
                } else {
                    j = p + 1;
                }
            }
            b'\\' => {
                let crlf = b.get(p + 1) == Some(&b'\r') && b.get(p + 2) == Some(&b'\n');
                j = if crlf { p + 3 } else { p + 2 };
            }
            _ => return (trim_cr(b, start, p), p),
        }
    }
}
