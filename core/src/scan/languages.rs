//! The language table: one declaration per language, from which everything else about
//! languages is derived.
//!
//! Each entry of [`languages!`] gives a language's [`Lang`] variant, its short name, the file
//! extensions and file names it claims, the LSP `languageId`s editors send for it, how it is
//! scanned (for the code family: its comment and string rules, a [`CodeSpec`]) and whether it is
//! a config format. The macro makes the `Lang` enum, [`Lang::ALL`] and [`LANGUAGES`] from the
//! same list, in the same order, so a variant cannot exist without its entry and `lang as usize`
//! is its index in the table. [`Lang::from_path`], [`Lang::from_language_id`], [`Lang::name`],
//! [`Lang::is_config`], [`scan`](super::scan) and [`watch_globs`] all read the table.
//!
//! Adding a language: add an entry here (a variant and its declaration), add a scan fixture
//! `core/tests/fixtures/scan/<name>.<ext>.txt`, and run the tests: `core/tests/languages.rs`
//! names every editor integration that does not list the new language yet, the completion
//! table test asks for its rows, and the benchmark's `snippets` match asks for its snippets.

use std::path::Path;

use super::code::spec::{Hash, Heredoc, Interp, Single, Tick};
use super::code::{strings, CodeSpec};
use super::markup::Markup;

/// How a language's text is scanned.
#[derive(Clone, Copy, Debug)]
pub(in crate::scan) enum Scanner {
    /// The shared code scanner (`code/`) with the language's comment and string rules.
    Code(CodeSpec),
    /// A component or template: markup with embedded code (`markup.rs`, `wxml.rs`).
    Markup(Markup),
    Lua,
    Shell,
    /// JSON; with comments and trailing commas (JSONC, JSON5) when `comments`.
    Json {
        comments: bool,
    },
    Yaml,
    Toml,
    Env,
    Ini,
    /// The conservative fallback for unknown languages.
    Generic,
}

/// One entry of the language table.
#[derive(Debug)]
pub struct LanguageDef {
    pub lang: Lang,
    /// A short lower-case name, as used in fixtures and output ([`Lang::name`]).
    pub name: &'static str,
    /// File extensions without the dot, matched case-insensitively.
    pub extensions: &'static [&'static str],
    /// Whole file names, matched (case-sensitively) before any extension; a trailing `*` matches
    /// any rest (`.env.*`).
    pub file_names: &'static [&'static str],
    /// The LSP `languageId`s that mean this language (the first is the usual one).
    pub language_ids: &'static [&'static str],
    /// A config format, where unquoted values and keys count as literals.
    pub config: bool,
    /// The language of the code inside, for markup (script blocks, template expressions) and
    /// for dialects: completion reads code places by that language's rules.
    pub code_as: Option<Lang>,
    pub(in crate::scan) scanner: Scanner,
}

impl LanguageDef {
    /// The defaults an entry starts from.
    const DEFAULT: LanguageDef = LanguageDef {
        lang: Lang::Generic,
        name: "",
        extensions: &[],
        file_names: &[],
        language_ids: &[],
        config: false,
        code_as: None,
        scanner: Scanner::Generic,
    };

    /// Whether `name` (a file name) is one of [`LanguageDef::file_names`].
    fn claims_file_name(&self, name: &str) -> bool {
        self.file_names.iter().any(|&pattern| match pattern.strip_suffix('*') {
            Some(prefix) => name.starts_with(prefix),
            None => name == pattern,
        })
    }
}

/// Makes `Lang`, `Lang::ALL` and `LANGUAGES` from one list of declarations. Each entry is a
/// variant (with its doc comment) and the fields of its [`LanguageDef`] that differ from
/// [`LanguageDef::DEFAULT`].
macro_rules! languages {
    ($( $(#[$doc:meta])* $variant:ident { $($field:ident : $value:expr),* $(,)? } )*) => {
        /// A language (or config format) the scanner knows how to read: one entry of the
        /// language table ([`LANGUAGES`]).
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        pub enum Lang {
            $( $(#[$doc])* $variant, )*
        }

        impl Lang {
            /// Every language, in table order.
            pub const ALL: &'static [Lang] = &[ $( Lang::$variant, )* ];
        }

        /// The language table, in [`Lang`] order.
        pub static LANGUAGES: [LanguageDef; Lang::ALL.len()] = [
            $( LanguageDef { lang: Lang::$variant, $($field: $value,)* ..LanguageDef::DEFAULT }, )*
        ];
    };
}

/// JavaScript's rules, shared by its dialects: `'` strings (but apostrophes in JSX text),
/// template literals, regex literals.
const JS: CodeSpec =
    CodeSpec { single: Single::Str, tick: Tick::Template, regex: true, strings: strings::jsx, ..CodeSpec::C };

languages! {
    JavaScript {
        name: "javascript",
        extensions: &["js", "mjs", "cjs", "jsx"],
        language_ids: &["javascript", "javascriptreact", "js", "jsx"],
        scanner: Scanner::Code(JS),
    }
    TypeScript {
        name: "typescript",
        extensions: &["ts", "mts", "cts", "tsx"],
        language_ids: &["typescript", "typescriptreact", "ts", "tsx"],
        scanner: Scanner::Code(JS),
    }
    /// Vue single-file components: TypeScript in `<script>` and `{{ }}`, literal attributes.
    Vue {
        name: "vue",
        extensions: &["vue"],
        language_ids: &["vue"],
        code_as: Some(Lang::TypeScript),
        scanner: Scanner::Markup(Markup::Vue),
    }
    /// Svelte components: TypeScript in `<script>` and `{ }`, literal attributes.
    Svelte {
        name: "svelte",
        extensions: &["svelte"],
        language_ids: &["svelte"],
        code_as: Some(Lang::TypeScript),
        scanner: Scanner::Markup(Markup::Svelte),
    }
    /// WeChat mini-program templates: JavaScript in `{{ }}` and `<wxs>`; plain text and
    /// attribute values are not literals.
    Wxml {
        name: "wxml",
        extensions: &["wxml"],
        language_ids: &["wxml"],
        code_as: Some(Lang::JavaScript),
        scanner: Scanner::Markup(Markup::Wxml),
    }
    /// WeChat mini-program scripts (WXS): JavaScript.
    Wxs {
        name: "wxs",
        extensions: &["wxs"],
        language_ids: &["wxs"],
        code_as: Some(Lang::JavaScript),
        scanner: Scanner::Code(JS),
    }
    Python {
        name: "python",
        extensions: &["py", "pyi"],
        language_ids: &["python"],
        scanner: Scanner::Code(CodeSpec {
            slash: false,
            hash: Hash::Comment,
            single: Single::Str,
            strings: strings::python,
            ..CodeSpec::C
        }),
    }
    Go {
        name: "go",
        extensions: &["go"],
        language_ids: &["go"],
        scanner: Scanner::Code(CodeSpec { tick: Tick::Raw, ..CodeSpec::C }),
    }
    Rust {
        name: "rust",
        extensions: &["rs"],
        language_ids: &["rust"],
        scanner: Scanner::Code(CodeSpec { nested: true, strings: strings::rust, ..CodeSpec::C }),
    }
    Java {
        name: "java",
        extensions: &["java"],
        language_ids: &["java"],
        scanner: Scanner::Code(CodeSpec { strings: strings::java, ..CodeSpec::C }),
    }
    Kotlin {
        name: "kotlin",
        extensions: &["kt", "kts"],
        language_ids: &["kotlin"],
        scanner: Scanner::Code(CodeSpec { nested: true, tick: Tick::Ident, strings: strings::kotlin, ..CodeSpec::C }),
    }
    CSharp {
        name: "csharp",
        extensions: &["cs"],
        language_ids: &["csharp", "cs"],
        scanner: Scanner::Code(CodeSpec { hash: Hash::Directive, strings: strings::csharp, ..CodeSpec::C }),
    }
    Php {
        name: "php",
        extensions: &["php"],
        language_ids: &["php"],
        scanner: Scanner::Code(CodeSpec {
            hash: Hash::CommentUnlessAttr,
            single: Single::Str,
            tick: Tick::Command(Interp::None),
            strings: strings::php,
            heredoc: Some(Heredoc { angles: 3, flags: false, blanks: true, upper: false }),
            php_tags: true,
            ..CodeSpec::C
        }),
    }
    Ruby {
        name: "ruby",
        extensions: &["rb"],
        language_ids: &["ruby"],
        scanner: Scanner::Code(CodeSpec {
            slash: false,
            hash: Hash::Comment,
            single: Single::Str,
            tick: Tick::Command(Interp::HashBrace),
            regex: true,
            strings: strings::ruby,
            heredoc: Some(Heredoc { angles: 2, flags: true, blanks: false, upper: true }),
            percent: true,
            begin_end: true,
            ..CodeSpec::C
        }),
    }
    Dart {
        name: "dart",
        extensions: &["dart"],
        language_ids: &["dart"],
        scanner: Scanner::Code(CodeSpec { nested: true, single: Single::Str, strings: strings::dart, ..CodeSpec::C }),
    }
    Swift {
        name: "swift",
        extensions: &["swift"],
        language_ids: &["swift"],
        scanner: Scanner::Code(CodeSpec { nested: true, tick: Tick::Ident, strings: strings::swift, ..CodeSpec::C }),
    }
    Lua {
        name: "lua",
        extensions: &["lua"],
        language_ids: &["lua"],
        scanner: Scanner::Lua,
    }
    Shell {
        name: "shell",
        extensions: &["sh", "bash", "zsh"],
        file_names: &[".bashrc", ".zshrc", ".profile", ".bash_profile"],
        language_ids: &["shellscript", "sh", "bash", "zsh"],
        scanner: Scanner::Shell,
    }
    Json {
        name: "json",
        extensions: &["json"],
        language_ids: &["json"],
        config: true,
        scanner: Scanner::Json { comments: false },
    }
    /// JSON with comments: `.jsonc`, JSON5 and the well-known JSON files that allow comments.
    Jsonc {
        name: "jsonc",
        extensions: &["jsonc", "json5"],
        file_names: &["tsconfig.json", "jsconfig.json", ".eslintrc.json", "devcontainer.json"],
        language_ids: &["jsonc", "json5"],
        config: true,
        scanner: Scanner::Json { comments: true },
    }
    Yaml {
        name: "yaml",
        extensions: &["yaml", "yml"],
        language_ids: &["yaml"],
        config: true,
        scanner: Scanner::Yaml,
    }
    Toml {
        name: "toml",
        extensions: &["toml"],
        language_ids: &["toml"],
        config: true,
        scanner: Scanner::Toml,
    }
    /// `.env`, `.env.local`, `.env.production`, `prod.env`.
    Env {
        name: "env",
        extensions: &["env"],
        file_names: &[".env", ".env.*"],
        language_ids: &["dotenv", "env"],
        config: true,
        scanner: Scanner::Env,
    }
    Ini {
        name: "ini",
        extensions: &["ini", "cfg", "properties"],
        language_ids: &["ini", "properties"],
        config: true,
        scanner: Scanner::Ini,
    }
    /// Unknown language: a quote-aware scanner that only finds quoted strings.
    Generic {
        name: "generic",
        scanner: Scanner::Generic,
    }
}

// Each entry sits at its variant's index (true by construction; checked at compile time).
const _: () = {
    let mut i = 0;
    while i < LANGUAGES.len() {
        assert!(LANGUAGES[i].lang as usize == i && Lang::ALL[i] as usize == i);
        i += 1;
    }
};

impl Lang {
    /// The language's entry in the table.
    pub fn def(self) -> &'static LanguageDef {
        &LANGUAGES[self as usize]
    }

    /// The language for an LSP `languageId`, if it is one we scan.
    pub fn from_language_id(id: &str) -> Option<Lang> {
        LANGUAGES.iter().find(|d| d.language_ids.contains(&id)).map(|d| d.lang)
    }

    /// The language for a file path: by whole file name first (`tsconfig.json`, `.env.local`,
    /// `.bashrc`), then by extension.
    pub fn from_path(path: &Path) -> Option<Lang> {
        let name = path.file_name()?.to_str()?;
        if let Some(d) = LANGUAGES.iter().find(|d| d.claims_file_name(name)) {
            return Some(d.lang);
        }
        let ext = name.rsplit_once('.')?.1;
        LANGUAGES.iter().find(|d| d.extensions.iter().any(|e| e.eq_ignore_ascii_case(ext))).map(|d| d.lang)
    }

    /// A short lower-case name, as used in fixtures and output.
    pub fn name(self) -> &'static str {
        self.def().name
    }

    /// Config formats, where unquoted values and keys count as literals.
    pub fn is_config(self) -> bool {
        self.def().config
    }

    /// Markup with embedded code (Vue, Svelte, WXML): whether a span holds code or markup
    /// depends on the enclosing blocks, so a partial rescan must start at the top of the file.
    pub fn is_markup(self) -> bool {
        matches!(self.def().scanner, Scanner::Markup(_))
    }

    /// The language whose rules the code inside this one follows (the script of a component, a
    /// dialect's base language), or the language itself.
    pub fn code_lang(self) -> Lang {
        self.def().code_as.unwrap_or(self)
    }
}

/// File-watcher globs (LSP `GlobPattern`s) matching every file some language claims: one for
/// all extensions, one for the plain file names, one per file-name pattern.
pub fn watch_globs() -> Vec<String> {
    let mut extensions: Vec<&str> = LANGUAGES.iter().flat_map(|d| d.extensions.iter().copied()).collect();
    extensions.sort_unstable();
    extensions.dedup();
    let mut names: Vec<&str> = Vec::new();
    let mut globs = vec![format!("**/*.{{{}}}", extensions.join(","))];
    for &name in LANGUAGES.iter().flat_map(|d| d.file_names) {
        if name.ends_with('*') {
            globs.push(format!("**/{name}"));
        } else {
            names.push(name);
        }
    }
    globs.insert(1, format!("**/{{{}}}", names.join(",")));
    globs
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_entry_has_a_unique_name_and_claims_no_one_elses_files_or_ids() {
        let mut seen = std::collections::HashSet::new();
        for d in &LANGUAGES {
            assert!(!d.name.is_empty() && seen.insert(d.name), "{:?}: empty or duplicate name", d.lang);
            for other in LANGUAGES.iter().filter(|o| o.lang != d.lang) {
                for e in d.extensions {
                    assert!(!other.extensions.contains(e), "extension {e} in {} and {}", d.name, other.name);
                }
                for id in d.language_ids {
                    assert!(!other.language_ids.contains(id), "language id {id} in {} and {}", d.name, other.name);
                }
                for f in d.file_names {
                    assert!(!other.file_names.contains(f), "file name {f} in {} and {}", d.name, other.name);
                }
            }
            for id in d.language_ids {
                assert_eq!(Lang::from_language_id(id), Some(d.lang), "{id}");
            }
            for e in d.extensions {
                assert_eq!(Lang::from_path(Path::new(&format!("a/b.{e}"))), Some(d.lang), "{e}");
                assert_eq!(Lang::from_path(Path::new(&format!("B.{}", e.to_uppercase()))), Some(d.lang), "{e}");
            }
            for f in d.file_names {
                let file = f.replace('*', "local");
                assert_eq!(Lang::from_path(Path::new(&format!("x/{file}"))), Some(d.lang), "{f}");
            }
        }
    }

    #[test]
    fn file_names_win_over_extensions() {
        let of = |p: &str| Lang::from_path(Path::new(p));
        assert_eq!(of("tsconfig.json"), Some(Lang::Jsonc));
        assert_eq!(of("package.json"), Some(Lang::Json));
        assert_eq!(of(".env"), Some(Lang::Env));
        assert_eq!(of(".env.production"), Some(Lang::Env));
        assert_eq!(of(".env.json"), Some(Lang::Env));
        assert_eq!(of("prod.env"), Some(Lang::Env));
        assert_eq!(of(".envrc"), None);
        assert_eq!(of(".bashrc"), Some(Lang::Shell));
        assert_eq!(of("Makefile"), None);
        assert_eq!(of("pages/index.wxml"), Some(Lang::Wxml));
        assert_eq!(of("utils/format.wxs"), Some(Lang::Wxs));
    }

    #[test]
    fn the_watch_globs_name_every_extension_and_file_name() {
        let globs = watch_globs().join(" ");
        for d in &LANGUAGES {
            for e in d.extensions {
                assert!(
                    globs.contains(&format!(",{e},"))
                        || globs.contains(&format!("{{{e},"))
                        || globs.contains(&format!(",{e}}}")),
                    "{e}: {globs}"
                );
            }
            for f in d.file_names {
                assert!(globs.contains(f), "{f}: {globs}");
            }
        }
        assert!(watch_globs().iter().all(|g| g.starts_with("**/")));
    }

    #[test]
    fn code_languages_and_markup() {
        assert_eq!(Lang::Vue.code_lang(), Lang::TypeScript);
        assert_eq!(Lang::Wxml.code_lang(), Lang::JavaScript);
        assert_eq!(Lang::Wxs.code_lang(), Lang::JavaScript);
        assert_eq!(Lang::Rust.code_lang(), Lang::Rust);
        assert!(Lang::Wxml.is_markup() && Lang::Vue.is_markup() && !Lang::Wxs.is_markup());
        // Every language that embeds code names a code-scanned language.
        for d in &LANGUAGES {
            if let Some(inner) = d.code_as {
                assert!(matches!(inner.def().scanner, Scanner::Code(_)), "{}: {}", d.name, inner.name());
            }
        }
    }
}
