//! Project configuration: the `errcode.toml` / `.errcode.toml` file and the settings an editor
//! sends, merged into one [`Settings`] value.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::catalog::parse::{self, Format};
use crate::error::FileError;
use crate::locale::LocaleSetting;

/// The file names a project config may have, in order of preference.
pub const CONFIG_FILE_NAMES: &[&str] = &["errcode.toml", ".errcode.toml"];

/// Files larger than this are skipped unless configured otherwise (10 MiB).
pub const DEFAULT_MAX_FILE_SIZE: u64 = 10 * 1024 * 1024;

/// When the built-in catalogs are active.
#[derive(Clone, Copy, Debug, Default, Deserialize, Serialize, JsonSchema, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum Activation {
    /// Only in projects that use CloudBase (detected from manifests and config files).
    #[default]
    Auto,
    /// Always, whatever the project contains.
    Always,
    /// Never: only team catalogs are used.
    Never,
}

/// How loudly a kind of finding is reported.
#[derive(Clone, Copy, Debug, Deserialize, Serialize, JsonSchema, PartialEq, Eq, PartialOrd, Ord)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
    #[serde(alias = "information")]
    Info,
    Hint,
    /// Not reported at all.
    Off,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
            Severity::Hint => "hint",
            Severity::Off => "off",
        }
    }
}

/// Severity per kind of finding.
#[derive(Clone, Copy, Debug, Deserialize, Serialize, JsonSchema, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Severities {
    /// A literal that is a near miss of a known code (default: warning).
    #[serde(default = "default_warning")]
    pub misspelled: Severity,
    /// A literal that is a deprecated code with a replacement (default: warning).
    #[serde(default = "default_warning")]
    pub deprecated: Severity,
}

fn default_warning() -> Severity {
    Severity::Warning
}

impl Default for Severities {
    fn default() -> Self {
        Severities { misspelled: Severity::Warning, deprecated: Severity::Warning }
    }
}

/// The project config file, `errcode.toml` or `.errcode.toml` at the workspace root.
#[derive(Clone, Debug, Default, Deserialize, Serialize, JsonSchema, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct ConfigFile {
    /// When the built-in CloudBase catalogs switch on: `auto` (default: only in projects that use
    /// CloudBase), `always` or `never`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub activation: Option<Activation>,
    /// Team catalog files (TOML, JSON or YAML), relative to this file. They must lie inside the
    /// workspace.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub catalogs: Vec<String>,
    /// Catalogs to switch on regardless of detection (e.g. `cloudbase-http`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub enable: Vec<String>,
    /// Catalogs to switch off (built-in or team catalogs, by name).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub disable: Vec<String>,
    /// Literals that are never flagged (your own codes that look like CloudBase ones).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub allow: Vec<String>,
    /// Severity per kind of finding.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub severity: Option<Severities>,
    /// Files larger than this many bytes are skipped (default 10485760, i.e. 10 MiB).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_file_size: Option<u64>,
    /// Paths never checked, as gitignore-style globs relative to this file (e.g. `legacy/`,
    /// `**/*.generated.ts`). Replaces the built-in list of build and dependency folders
    /// (`node_modules`, `dist`, `build`, `miniprogram_npm`, ...); use `extend-exclude` to keep
    /// it and add to it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub exclude: Option<Vec<String>>,
    /// Paths never checked, in addition to the built-in list (gitignore-style globs relative to
    /// this file).
    #[serde(default, rename = "extend-exclude", alias = "extend_exclude", skip_serializing_if = "Vec::is_empty")]
    pub extend_exclude: Vec<String>,
    /// Let fix-all and `check --fix` apply unsafe fixes too: replacing a deprecated code where
    /// it is compared or matched (`case 'OLD':`, `code === "OLD"`, a list of codes), which
    /// changes behaviour while services still send the old code (default: false).
    #[serde(default, rename = "unsafe-fixes", alias = "unsafe_fixes", skip_serializing_if = "Option::is_none")]
    pub unsafe_fixes: Option<bool>,
    /// The language of hovers, diagnostics and the CLI's output: `auto` (default: the editor's
    /// language, or for the CLI `LC_ALL`/`LC_MESSAGES`/`LANG`), `en` or `zh-CN`. An editor's own
    /// `locale` setting, when not `auto`, wins over this one (it is the reader's choice).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub locale: Option<LocaleSetting>,
}

impl ConfigFile {
    /// Parses config text; `path` names the file in errors.
    pub fn parse(path: &Path, text: &str) -> Result<ConfigFile, FileError> {
        parse::parse(path, text, Format::Toml)
    }

    /// Reads and parses a config file.
    pub fn load(path: &Path) -> Result<ConfigFile, FileError> {
        let text = crate::files::read_text(path, "config", crate::files::MAX_CONFIG_SIZE, path.parent())?;
        ConfigFile::parse(path, &text)
    }
}

/// Finds the project config file directly in `root`.
pub fn find_config_file(root: &Path) -> Option<PathBuf> {
    CONFIG_FILE_NAMES
        .iter()
        .map(|name| root.join(name))
        .find(|p| std::fs::symlink_metadata(p).is_ok_and(|m| !m.is_dir()))
}

/// Settings sent by an editor (LSP `initializationOptions` or the `errcode` section of
/// `workspace/didChangeConfiguration`). Every field is optional; `errcode.toml` wins where both
/// say something, and `allow` lists are merged.
#[derive(Clone, Debug, Default, Deserialize, Serialize, JsonSchema, PartialEq)]
#[serde(rename_all = "camelCase", default)]
pub struct EditorSettings {
    pub activation: Option<Activation>,
    /// Extra catalog files, relative to the workspace folder.
    pub catalogs: Vec<String>,
    pub enable: Vec<String>,
    pub disable: Vec<String>,
    pub allow: Vec<String>,
    pub severity: Option<EditorSeverities>,
    pub max_file_size: Option<u64>,
    /// Show the summary of a code after it (inlay hints).
    pub inlay_hints: Option<bool>,
    /// `false` in an untrusted workspace: only built-in catalogs, no workspace files.
    pub trusted: Option<bool>,
    /// Paths never checked (gitignore-style globs relative to the workspace folder); replaces
    /// the built-in list of build and dependency folders.
    pub exclude: Option<Vec<String>>,
    /// Paths never checked, in addition to the built-in list.
    pub extend_exclude: Vec<String>,
    /// Let fix-all apply unsafe fixes too (deprecated codes where they are compared).
    pub unsafe_fixes: Option<bool>,
    /// The language of hovers and messages: `auto` (the editor's), `en` or `zh-CN`.
    pub locale: Option<LocaleSetting>,
}

/// Editor-side severities; each is optional.
#[derive(Clone, Copy, Debug, Default, Deserialize, Serialize, JsonSchema, PartialEq, Eq)]
#[serde(default)]
pub struct EditorSeverities {
    pub misspelled: Option<Severity>,
    pub deprecated: Option<Severity>,
}

/// The effective settings of one project: config file and editor settings merged.
#[derive(Clone, Debug, PartialEq)]
pub struct Settings {
    pub activation: Activation,
    /// Team catalog files, as written, with the directory they are relative to.
    pub catalog_files: Vec<(PathBuf, String)>,
    pub enable: BTreeSet<String>,
    pub disable: BTreeSet<String>,
    pub allow: BTreeSet<String>,
    pub severities: Severities,
    pub max_file_size: u64,
    pub inlay_hints: bool,
    pub trusted: bool,
    pub excludes: Excludes,
    /// Fix-all and `check --fix` apply unsafe fixes too.
    pub unsafe_fixes: bool,
    /// The language of hovers and messages (`auto`: the editor's or the environment's).
    pub locale: LocaleSetting,
}

/// Paths left out of walks (gitignore-style globs), each with the folder it is relative to.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Excludes {
    /// `exclude`: when set, replaces the built-in list of build and dependency folders.
    pub exclude: Option<Vec<(PathBuf, String)>>,
    /// `extend-exclude`: added to the built-in list (or to `exclude`).
    pub extend: Vec<(PathBuf, String)>,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            activation: Activation::Auto,
            catalog_files: Vec::new(),
            enable: BTreeSet::new(),
            disable: BTreeSet::new(),
            allow: BTreeSet::new(),
            severities: Severities::default(),
            max_file_size: DEFAULT_MAX_FILE_SIZE,
            inlay_hints: false,
            trusted: true,
            excludes: Excludes::default(),
            unsafe_fixes: false,
            locale: LocaleSetting::Auto,
        }
    }
}

impl Settings {
    /// Merges editor settings (defaults) and a config file (wins) for the project at `root`.
    /// `config_dir` is the directory of the config file.
    pub fn merge(root: &Path, editor: Option<&EditorSettings>, config: Option<(&Path, &ConfigFile)>) -> Settings {
        let mut s = Settings::default();
        if let Some(e) = editor {
            s.trusted = e.trusted.unwrap_or(true);
            if let Some(a) = e.activation {
                s.activation = a;
            }
            if s.trusted {
                s.catalog_files.extend(e.catalogs.iter().map(|c| (root.to_path_buf(), c.clone())));
            }
            s.enable.extend(e.enable.iter().cloned());
            s.disable.extend(e.disable.iter().cloned());
            s.allow.extend(e.allow.iter().cloned());
            if let Some(sev) = e.severity {
                s.severities.misspelled = sev.misspelled.unwrap_or(s.severities.misspelled);
                s.severities.deprecated = sev.deprecated.unwrap_or(s.severities.deprecated);
            }
            if let Some(m) = e.max_file_size {
                s.max_file_size = m;
            }
            s.inlay_hints = e.inlay_hints.unwrap_or(false);
            let at_root = |patterns: &[String]| patterns.iter().map(|p| (root.to_path_buf(), p.clone())).collect();
            s.excludes.exclude = e.exclude.as_deref().map(at_root);
            s.excludes.extend = at_root(&e.extend_exclude);
            s.unsafe_fixes = e.unsafe_fixes.unwrap_or(false);
        }
        if let Some((path, c)) = config {
            let dir = path.parent().unwrap_or(root).to_path_buf();
            if let Some(a) = c.activation {
                s.activation = a;
            }
            if s.trusted {
                s.catalog_files.extend(c.catalogs.iter().map(|f| (dir.clone(), f.clone())));
            }
            // The config file wins: a catalog it enables is not disabled by the editor, and
            // the other way round.
            for name in &c.enable {
                s.disable.remove(name);
                s.enable.insert(name.clone());
            }
            for name in &c.disable {
                s.enable.remove(name);
                s.disable.insert(name.clone());
            }
            s.allow.extend(c.allow.iter().cloned());
            if let Some(sev) = c.severity {
                s.severities = sev;
            }
            if let Some(m) = c.max_file_size {
                s.max_file_size = m;
            }
            let at_dir = |patterns: &[String]| patterns.iter().map(|p| (dir.clone(), p.clone())).collect::<Vec<_>>();
            if let Some(exclude) = &c.exclude {
                s.excludes.exclude = Some(at_dir(exclude));
            }
            s.excludes.extend.extend(at_dir(&c.extend_exclude));
            if let Some(unsafe_fixes) = c.unsafe_fixes {
                s.unsafe_fixes = unsafe_fixes;
            }
            if let Some(locale) = c.locale {
                s.locale = locale;
            }
        }
        // The reader's language: an editor's explicit choice wins over the team's file.
        if let Some(locale) = editor.and_then(|e| e.locale).filter(|l| l.fixed().is_some()) {
            s.locale = locale;
        }
        s
    }
}

/// Returns config text with `literal` added to its `allow` list (creating the list if needed),
/// keeping the rest of the file, comments included, as it was. Unchanged if already allowed.
pub fn add_allowed(text: &str, literal: &str) -> Result<String, String> {
    let mut doc: toml_edit::DocumentMut = text.parse().map_err(|e: toml_edit::TomlError| e.to_string())?;
    let item = doc.entry("allow").or_insert(toml_edit::value(toml_edit::Array::new()));
    let array = item.as_array_mut().ok_or("`allow` is not a list")?;
    if !array.iter().any(|v| v.as_str() == Some(literal)) {
        array.push(literal);
    }
    Ok(doc.to_string())
}

/// The text of a new `errcode.toml` that allows `literal` (the "Allow" quick fix when the
/// project has no config file yet).
pub fn new_config_allowing(literal: &str) -> String {
    format!(
        "# errcode-lsp project configuration\n\n# Literals that are never flagged.\nallow = [{}]\n",
        toml_edit::Value::from(literal)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_new_config_allows_the_literal_quoted() {
        let text = new_config_allowing("MY \"ODD\" CODE");
        let parsed = ConfigFile::parse(Path::new("errcode.toml"), &text).unwrap();
        assert_eq!(parsed.allow, vec!["MY \"ODD\" CODE"]);
        assert_eq!(add_allowed(&text, "MY \"ODD\" CODE").unwrap(), text, "already allowed");
    }

    #[test]
    fn add_allowed_creates_the_list_and_keeps_comments() {
        let text = "# team config\nactivation = \"always\"\n";
        let out = add_allowed(text, "MY_CODE").unwrap();
        assert!(out.starts_with("# team config\nactivation = \"always\"\n"));
        let parsed = ConfigFile::parse(Path::new("errcode.toml"), &out).unwrap();
        assert_eq!(parsed.allow, vec!["MY_CODE"]);
    }

    #[test]
    fn add_allowed_appends_once() {
        let text = "allow = [\"A_B\"] # ours\n";
        let once = add_allowed(text, "C_D").unwrap();
        let twice = add_allowed(&once, "C_D").unwrap();
        assert_eq!(once, twice);
        assert_eq!(ConfigFile::parse(Path::new("errcode.toml"), &twice).unwrap().allow, vec!["A_B", "C_D"]);
        assert!(twice.contains("# ours"));
    }

    #[test]
    fn add_allowed_refuses_a_non_list() {
        assert!(add_allowed("allow = 3\n", "X_Y").is_err());
    }

    #[test]
    fn bad_config_names_the_line() {
        let err = ConfigFile::parse(Path::new("errcode.toml"), "activation = \"always\"\nallow = [1, \n").unwrap_err();
        assert_eq!(err.line, Some(2), "{err}");
        let err = ConfigFile::parse(Path::new("errcode.toml"), "\n\nactivaton = \"always\"\n").unwrap_err();
        assert_eq!(err.line, Some(3), "{err}");
        assert!(err.message.contains("activaton"), "{err}");
    }

    #[test]
    fn config_file_wins_over_editor_settings() {
        let editor = EditorSettings {
            activation: Some(Activation::Never),
            allow: vec!["E_X".into()],
            disable: vec!["cloudbase-sdk".into()],
            ..Default::default()
        };
        let file = ConfigFile {
            activation: Some(Activation::Always),
            allow: vec!["F_X".into()],
            enable: vec!["cloudbase-sdk".into()],
            ..Default::default()
        };
        let s = Settings::merge(Path::new("/r"), Some(&editor), Some((Path::new("/r/errcode.toml"), &file)));
        assert_eq!(s.activation, Activation::Always);
        assert!(s.allow.contains("E_X") && s.allow.contains("F_X"));
        assert!(s.enable.contains("cloudbase-sdk") && !s.disable.contains("cloudbase-sdk"));
    }
}
