//! Every editor integration in `editors/` lists every language of the language table
//! (`core/src/scan/languages.rs`), and names no language the table does not know.
//!
//! Each editor has its own names (Neovim filetypes, Emacs major modes, Sublime scopes, ...); the
//! mappings below say which of our languages each name stands for. When a language is added to
//! the table, this test names the files that must list it; when an editor file names something
//! new, add it to that editor's mapping here (or remove it there).

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use errcode_core::scan::{Lang, LANGUAGES};

/// The repository root.
fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap()
}

fn read(file: &str) -> String {
    std::fs::read_to_string(root().join(file)).unwrap_or_else(|e| panic!("{file}: {e}"))
}

/// The quoted strings (with `quote`) in `text` between `start` and the first `end` after it.
fn quoted_between(text: &str, start: &str, end: &str, quote: char) -> Vec<String> {
    let from = text.find(start).unwrap_or_else(|| panic!("no `{start}`")) + start.len();
    let body = &text[from..from + text[from..].find(end).unwrap_or_else(|| panic!("no `{end}` after `{start}`"))];
    // Drop line comments (Lua `--`, Vim `"` is not used inside these lists).
    let body: String = body.lines().map(|l| l.split("--").next().unwrap()).collect::<Vec<_>>().join("\n");
    body.split(quote).skip(1).step_by(2).map(str::to_string).collect()
}

/// The symbols of the quoted list that follows `(defcustom NAME` in an Emacs Lisp file.
fn emacs_modes(text: &str, var: &str) -> Vec<String> {
    let start = format!("(defcustom {var}");
    let from = text.find(&start).unwrap_or_else(|| panic!("no `{start}`")) + start.len();
    let open = from + text[from..].find("'(").unwrap() + 2;
    let close = open + text[open..].find(')').unwrap();
    text[open..close].split_whitespace().map(str::to_string).collect()
}

/// One editor file and how to read our languages out of it.
struct Editor {
    file: &'static str,
    /// What the file calls the list (for the messages).
    what: &'static str,
    names: fn(&str) -> Vec<String>,
    /// Each editor name and the language (a `Lang::name()`) it stands for; a name may stand for
    /// several. `None`: the editor uses our LSP language ids (VS Code).
    map: Option<&'static [(&'static str, &'static str)]>,
}

const NVIM_OR_VIM: &[(&str, &str)] = &[
    ("javascript", "javascript"),
    ("javascriptreact", "javascript"),
    ("typescript", "typescript"),
    ("typescriptreact", "typescript"),
    ("vue", "vue"),
    ("svelte", "svelte"),
    ("wxml", "wxml"),
    ("wxs", "wxs"),
    ("python", "python"),
    ("go", "go"),
    ("rust", "rust"),
    ("java", "java"),
    ("kotlin", "kotlin"),
    ("cs", "csharp"),
    ("php", "php"),
    ("ruby", "ruby"),
    ("dart", "dart"),
    ("swift", "swift"),
    ("lua", "lua"),
    ("sh", "shell"),
    // Neovim and Vim detect `.env` files as `sh`.
    ("sh", "env"),
    ("bash", "shell"),
    ("zsh", "shell"),
    ("json", "json"),
    ("jsonc", "jsonc"),
    ("yaml", "yaml"),
    ("toml", "toml"),
    ("dotenv", "env"),
    ("ini", "ini"),
    ("confini", "ini"),
    ("dosini", "ini"),
];

const EMACS: &[(&str, &str)] = &[
    ("js-mode", "javascript"),
    // Emacs has no WXS mode: `.wxs` files are opened in js-mode (editors/emacs/README.md).
    ("js-mode", "wxs"),
    ("js-ts-mode", "javascript"),
    ("js-ts-mode", "wxs"),
    ("js2-mode", "javascript"),
    ("rjsx-mode", "javascript"),
    ("js-jsx-mode", "javascript"),
    ("typescript-mode", "typescript"),
    ("typescript-ts-mode", "typescript"),
    ("tsx-ts-mode", "typescript"),
    // web-mode edits templates of many kinds, Vue components and WXML among them.
    ("web-mode", "vue"),
    ("web-mode", "wxml"),
    ("vue-mode", "vue"),
    ("svelte-mode", "svelte"),
    ("wxml-mode", "wxml"),
    ("python-mode", "python"),
    ("python-ts-mode", "python"),
    ("go-mode", "go"),
    ("go-ts-mode", "go"),
    ("rust-mode", "rust"),
    ("rust-ts-mode", "rust"),
    ("rustic-mode", "rust"),
    ("java-mode", "java"),
    ("java-ts-mode", "java"),
    ("kotlin-mode", "kotlin"),
    ("kotlin-ts-mode", "kotlin"),
    ("csharp-mode", "csharp"),
    ("csharp-ts-mode", "csharp"),
    ("php-mode", "php"),
    ("php-ts-mode", "php"),
    ("ruby-mode", "ruby"),
    ("ruby-ts-mode", "ruby"),
    ("dart-mode", "dart"),
    ("swift-mode", "swift"),
    ("lua-mode", "lua"),
    ("lua-ts-mode", "lua"),
    ("sh-mode", "shell"),
    ("bash-ts-mode", "shell"),
    ("js-json-mode", "json"),
    ("json-mode", "json"),
    ("json-ts-mode", "json"),
    ("jsonc-mode", "jsonc"),
    ("yaml-mode", "yaml"),
    ("yaml-ts-mode", "yaml"),
    ("toml-ts-mode", "toml"),
    ("conf-toml-mode", "toml"),
    ("conf-unix-mode", "ini"),
    ("conf-space-mode", "ini"),
    ("conf-windows-mode", "ini"),
    ("dotenv-mode", "env"),
];

const SUBLIME: &[(&str, &str)] = &[
    ("source.js", "javascript"),
    // `.wxs` files use the JavaScript syntax unless a WXS package gives them `source.wxs`.
    ("source.js", "wxs"),
    ("source.wxs", "wxs"),
    ("source.jsx", "javascript"),
    ("source.ts", "typescript"),
    ("source.tsx", "typescript"),
    ("text.html.vue", "vue"),
    ("text.html.svelte", "svelte"),
    ("text.html.wxml", "wxml"),
    ("source.python", "python"),
    ("source.go", "go"),
    ("source.rust", "rust"),
    ("source.java", "java"),
    ("source.Kotlin", "kotlin"),
    ("source.kotlin", "kotlin"),
    ("source.cs", "csharp"),
    ("embedding.php", "php"),
    ("source.php", "php"),
    ("source.ruby", "ruby"),
    ("source.dart", "dart"),
    ("source.swift", "swift"),
    ("source.lua", "lua"),
    ("source.shell", "shell"),
    // Sublime's JSON syntax also reads JSON with comments.
    ("source.json", "json"),
    ("source.json", "jsonc"),
    ("source.yaml", "yaml"),
    ("source.toml", "toml"),
    ("source.env", "env"),
    ("source.ini", "ini"),
];

const HELIX: &[(&str, &str)] = &[
    ("javascript", "javascript"),
    ("jsx", "javascript"),
    ("typescript", "typescript"),
    ("tsx", "typescript"),
    ("vue", "vue"),
    ("svelte", "svelte"),
    ("wxml", "wxml"),
    ("wxs", "wxs"),
    ("python", "python"),
    ("go", "go"),
    ("rust", "rust"),
    ("java", "java"),
    ("kotlin", "kotlin"),
    ("c-sharp", "csharp"),
    ("php", "php"),
    ("ruby", "ruby"),
    ("dart", "dart"),
    ("swift", "swift"),
    ("lua", "lua"),
    ("bash", "shell"),
    ("json", "json"),
    ("jsonc", "jsonc"),
    ("yaml", "yaml"),
    ("toml", "toml"),
    ("env", "env"),
    ("ini", "ini"),
];

const ZED: &[(&str, &str)] = &[
    ("JavaScript", "javascript"),
    // Zed has no WXS language: `.wxs` files are mapped to JavaScript (`file_types`, README).
    ("JavaScript", "wxs"),
    ("TypeScript", "typescript"),
    ("TSX", "typescript"),
    ("Vue.js", "vue"),
    ("Svelte", "svelte"),
    // The name the zed-wxml extension gives WXML.
    ("WeiXin Markup Language", "wxml"),
    ("Python", "python"),
    ("Go", "go"),
    ("Rust", "rust"),
    ("Java", "java"),
    ("Kotlin", "kotlin"),
    ("C#", "csharp"),
    ("PHP", "php"),
    ("Ruby", "ruby"),
    ("Dart", "dart"),
    ("Swift", "swift"),
    ("Lua", "lua"),
    ("Shell Script", "shell"),
    ("JSON", "json"),
    ("JSONC", "jsonc"),
    ("YAML", "yaml"),
    ("TOML", "toml"),
    // The names the dotenv and ini extensions give their languages.
    ("env", "env"),
    ("ini", "ini"),
];

fn editors() -> Vec<Editor> {
    vec![
        Editor {
            file: "editors/vscode/src/languages.ts",
            what: "the LANGUAGES list (the document selector)",
            names: |t| quoted_between(t, "export const LANGUAGES = [", "];", '"'),
            map: None,
        },
        Editor {
            file: "editors/vscode/package.json",
            what: "the onLanguage: activationEvents",
            names: |t| {
                let json: serde_json::Value = serde_json::from_str(t).unwrap();
                json["activationEvents"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .filter_map(|e| e.as_str()?.strip_prefix("onLanguage:").map(str::to_string))
                    .collect()
            },
            map: None,
        },
        Editor {
            file: "editors/nvim/lsp/errcode_lsp.lua",
            what: "`filetypes`",
            names: |t| quoted_between(t, "filetypes = {", "}", '\''),
            map: Some(NVIM_OR_VIM),
        },
        Editor {
            file: "editors/vim/errcode-lsp.vim",
            what: "g:errcode_lsp_filetypes",
            names: |t| quoted_between(t, "get(g:, 'errcode_lsp_filetypes', [", "])", '\''),
            map: Some(NVIM_OR_VIM),
        },
        Editor {
            file: "editors/emacs/errcode-lsp.el",
            what: "`errcode-lsp-major-modes`",
            names: |t| emacs_modes(t, "errcode-lsp-major-modes"),
            map: Some(EMACS),
        },
        Editor {
            file: "editors/emacs/lsp-errcode.el",
            what: "`lsp-errcode-major-modes`",
            names: |t| emacs_modes(t, "lsp-errcode-major-modes"),
            map: Some(EMACS),
        },
        Editor {
            file: "editors/sublime/LSP-errcode.sublime-settings",
            what: "the \"selector\"",
            names: |t| {
                let line = t.lines().find(|l| l.trim_start().starts_with("\"selector\"")).expect("no selector");
                let value = line.split_once(':').unwrap().1.trim().trim_end_matches(',').trim_matches('"');
                value.split('|').map(|s| s.trim().to_string()).collect()
            },
            map: Some(SUBLIME),
        },
        Editor {
            file: "editors/helix/languages.toml",
            what: "the [[language]] entries that use errcode-lsp",
            names: |t| {
                let doc: toml::Table = toml::from_str(t).unwrap();
                doc["language"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .filter(|l| {
                        l.get("language-servers")
                            .and_then(|s| s.as_array())
                            .is_some_and(|s| s.iter().any(|s| s.as_str() == Some("errcode-lsp")))
                    })
                    .map(|l| l["name"].as_str().unwrap().to_string())
                    .collect()
            },
            map: Some(HELIX),
        },
        Editor {
            file: "editors/zed/extension/extension.toml",
            what: "`languages` of [language_servers.errcode-lsp]",
            names: |t| {
                let doc: toml::Table = toml::from_str(t).unwrap();
                doc["language_servers"]["errcode-lsp"]["languages"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|l| l.as_str().unwrap().to_string())
                    .collect()
            },
            map: Some(ZED),
        },
    ]
}

/// The languages an editor must list: all but the fallback.
fn wanted() -> BTreeSet<&'static str> {
    LANGUAGES.iter().filter(|d| d.lang != Lang::Generic).map(|d| d.name).collect()
}

/// What each editor name stands for.
fn mapping(editor: &Editor) -> BTreeMap<&'static str, Vec<&'static str>> {
    let mut map: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    match editor.map {
        Some(pairs) => {
            for &(name, lang) in pairs {
                map.entry(name).or_default().push(lang);
            }
        }
        None => {
            for d in &LANGUAGES {
                for id in d.language_ids {
                    map.entry(id).or_default().push(d.name);
                }
            }
        }
    }
    map
}

#[test]
fn the_mappings_name_only_languages_of_the_table() {
    let known: BTreeSet<&str> = LANGUAGES.iter().map(|d| d.name).collect();
    for editor in editors() {
        for (name, langs) in mapping(&editor) {
            for lang in langs {
                assert!(
                    known.contains(lang),
                    "core/tests/languages.rs: {} maps `{name}` to `{lang}`, no language of the table",
                    editor.file
                );
            }
        }
    }
}

#[test]
fn every_editor_lists_every_language_and_no_other() {
    let mut problems = Vec::new();
    for editor in editors() {
        let map = mapping(&editor);
        let names = (editor.names)(&read(editor.file));
        assert!(!names.is_empty(), "{}: found no names in {}", editor.file, editor.what);
        let mut covered = BTreeSet::new();
        for name in &names {
            match map.get(name.as_str()) {
                Some(langs) => covered.extend(langs.iter().copied()),
                None => problems.push(format!(
                    "{}: {} names `{name}`, which stands for no language of the table: remove it, or (if it is \
                     another name of a language we scan) add it to this editor's mapping in core/tests/languages.rs",
                    editor.file, editor.what
                )),
            }
        }
        for lang in wanted().difference(&covered) {
            let mut names: Vec<&str> = map.iter().filter(|(_, l)| l.contains(lang)).map(|(n, _)| *n).collect();
            names.sort_unstable();
            let hint = if names.is_empty() {
                "(add the editor's name for it to this editor's mapping in core/tests/languages.rs too)".to_string()
            } else {
                format!("add {}", names.iter().map(|n| format!("`{n}`")).collect::<Vec<_>>().join(" or "))
            };
            problems.push(format!("{}: {} does not cover {lang}: {hint}", editor.file, editor.what));
        }
    }
    assert!(problems.is_empty(), "{} problem(s):\n{}", problems.len(), problems.join("\n"));
}
