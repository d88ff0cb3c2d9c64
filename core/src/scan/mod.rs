//! Per-language literal scanners: text in, byte spans of string-literal contents, unquoted
//! config scalars and comments out.
//!
//! The scanners work on bytes in one pass, without regexes, and jump with `memchr` where that
//! helps. They are split by family:
//!
//! * `languages`: the language table, one declaration per language (extensions, file names,
//!   LSP language ids, scanner and its comment and string rules); `Lang` and its lookups come
//!   from it, and [`scan`] dispatches through it;
//! * `code`: the shared table-driven scanner of the C-like family (JavaScript, TypeScript, Rust,
//!   Go, Java, Kotlin, C#, Dart, Swift, PHP, Ruby) and of Python, with string prefixes, raw
//!   strings, text blocks, heredocs, percent literals, PHP tags and interpolation in files of
//!   their own;
//! * `markup`: Vue and Svelte components (script blocks go to `code`); `wxml`: WeChat
//!   mini-program templates (`{{ }}` expressions and `<wxs>` blocks go to `code`);
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
mod languages;
mod lua;
mod markup;
mod shell;
mod skip;
mod wxml;
mod yaml;

use languages::Scanner;
pub use languages::{watch_globs, Lang, LanguageDef, LANGUAGES};

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

/// Scans `text` as `lang` and returns the spans of literals, bare config scalars and comments,
/// sorted by start offset.
pub fn scan(lang: Lang, text: &str) -> Vec<Span> {
    match lang.def().scanner {
        Scanner::Code(_) => code::scan(lang, text),
        Scanner::Markup(kind) => markup::scan(kind, lang.code_lang(), text),
        Scanner::Lua => lua::scan(text),
        Scanner::Shell => shell::scan(text),
        Scanner::Json { comments } => config::json(text, comments),
        Scanner::Yaml => yaml::scan(text),
        Scanner::Toml => config::toml(text),
        Scanner::Env => config::env(text),
        Scanner::Ini => config::ini(text),
        Scanner::Generic => generic::scan(text),
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
