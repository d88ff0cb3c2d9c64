//! A project (workspace folder): its config, its active catalogs and why, and the analyzer
//! built from them. Shared by the CLI and the language server.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::activation::Marker;
use crate::activation::{self, Detection};
use crate::analysis::Analyzer;
use crate::catalog::{builtin, parse, Catalog, CatalogSet, Origin};
use crate::config::{find_config_file, Activation, ConfigFile, EditorSettings, Settings, CONFIG_FILE_NAMES};
use crate::error::FileError;
use crate::locale::Locale;

/// Whether one catalog is active, and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CatalogStatus {
    pub name: String,
    pub active: bool,
    pub origin: String,
    /// Why (`Reason::text` says it in each language).
    pub why: Reason,
    pub codes: usize,
}

/// Why a catalog is active or not.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Reason {
    DisabledInConfig,
    EnabledInConfig,
    ActivationAlways,
    ActivationNever,
    /// CloudBase detection found this (a file and what in it marks CloudBase).
    Detected(Marker),
    NotDetected,
    TeamCatalog,
}

impl Reason {
    /// The reason in `locale` (file names and package names as written).
    pub fn text(&self, locale: Locale) -> String {
        use Reason::*;
        match (self, locale) {
            (DisabledInConfig, Locale::En) => "disabled in config".to_string(),
            (DisabledInConfig, Locale::ZhCn) => "已在配置中禁用".to_string(),
            (EnabledInConfig, Locale::En) => "enabled in config".to_string(),
            (EnabledInConfig, Locale::ZhCn) => "已在配置中启用".to_string(),
            (ActivationAlways, _) => "activation = \"always\"".to_string(),
            (ActivationNever, _) => "activation = \"never\"".to_string(),
            (Detected(marker), Locale::En) => format!("CloudBase project: {}", marker.text(locale)),
            (Detected(marker), Locale::ZhCn) => format!("云开发项目：{}", marker.text(locale)),
            (NotDetected, Locale::En) => {
                "no CloudBase markers found (no @cloudbase/*, wx-server-sdk or tcb-admin-node \
                 dependency, cloudbaserc.json, mini-program cloud functions or CloudBase SDK in \
                 Python/Go/Java manifests); set activation = \"always\" in errcode.toml to override"
                    .to_string()
            }
            (NotDetected, Locale::ZhCn) => {
                "未发现云开发项目的标志（没有 @cloudbase/*、wx-server-sdk 或 tcb-admin-node \
                 依赖，没有 cloudbaserc.json、小程序云函数目录，Python/Go/Java 清单中也没有云开发 SDK）；\
                 如需强制启用，请在 errcode.toml 中设置 activation = \"always\""
                    .to_string()
            }
            (TeamCatalog, Locale::En) => "team catalog".to_string(),
            (TeamCatalog, Locale::ZhCn) => "团队目录".to_string(),
        }
    }
}

/// A loaded project.
#[derive(Debug)]
pub struct Project {
    pub root: PathBuf,
    pub config_path: Option<PathBuf>,
    pub settings: Settings,
    /// What CloudBase detection found (run only when activation is `auto`).
    pub detection: Option<Detection>,
    pub catalogs: Vec<CatalogStatus>,
    pub analyzer: Arc<Analyzer>,
    /// The team and user catalog files loaded (canonical paths): their code lists are
    /// definitions, not uses, so they get no findings and no fixes.
    pub catalog_paths: Vec<PathBuf>,
    /// Which files of the project are checked (compiled on first use).
    policy: std::sync::OnceLock<crate::walk::Policy>,
}

/// The directory user-level catalogs are read from: `$ERRCODE_LSP_CONFIG_DIR`, else
/// `$XDG_CONFIG_HOME/errcode-lsp`, else `~/.config/errcode-lsp`; catalogs are the files in its
/// `catalogs/` subdirectory.
pub fn user_config_dir() -> Option<PathBuf> {
    if let Some(dir) = std::env::var_os("ERRCODE_LSP_CONFIG_DIR") {
        return Some(PathBuf::from(dir));
    }
    if let Some(dir) = std::env::var_os("XDG_CONFIG_HOME").filter(|d| !d.is_empty()) {
        return Some(PathBuf::from(dir).join("errcode-lsp"));
    }
    std::env::var_os("HOME").map(|home| PathBuf::from(home).join(".config").join("errcode-lsp"))
}

impl Project {
    /// Loads the project rooted at `root`. A bad config or catalog file is an error naming the
    /// file and line; the caller decides whether to keep an older project.
    pub fn load(root: &Path, editor: Option<&EditorSettings>) -> Result<Project, FileError> {
        let trusted = editor.and_then(|e| e.trusted).unwrap_or(true);
        let config_path = if trusted { find_config_for(root) } else { None };
        let config_text = match &config_path {
            Some(path) => Some(crate::files::read_text(path, "config", crate::files::MAX_CONFIG_SIZE, path.parent())?),
            None => None,
        };
        let config = match (&config_path, &config_text) {
            (Some(path), Some(text)) => Some(ConfigFile::parse(path, text)?),
            _ => None,
        };
        let settings = Settings::merge(root, editor, config_path.as_deref().zip(config.as_ref()));

        // Team catalogs: from the config and editor settings (inside the workspace only), and
        // from the user's config directory.
        let mut team: Vec<Arc<Catalog>> = Vec::new();
        for (dir, rel) in &settings.catalog_files {
            let located = |message: String| match (&config_path, &config_text) {
                (Some(cfg), Some(text)) if dir.as_path() == cfg.parent().unwrap_or(root) => {
                    let line = parse::locate_value(text, rel);
                    FileError::at_line(cfg, line, 1, message)
                }
                _ => FileError::new(&root.join(rel), message),
            };
            // Catalogs must stay inside the folder of the file that names them (the project,
            // or the repository whose errcode.toml the project inherits).
            let within = if root.starts_with(dir) { dir.as_path() } else { root };
            let path = resolve_inside(within, dir, rel).map_err(located)?;
            team.push(Arc::new(Catalog::load(&path)?));
        }
        if trusted {
            if let Some(dir) = user_config_dir().map(|d| d.join("catalogs")) {
                team.extend(load_user_catalogs(&dir)?);
            }
        }

        // Every name in enable/disable must be a catalog we know.
        let known = |name: &str| builtin::NAMES.contains(&name) || team.iter().any(|c| c.name() == name);
        if let Some(unknown) = settings.enable.iter().chain(&settings.disable).find(|n| !known(n)) {
            let message = format!(
                "unknown catalog `{unknown}` (known: {})",
                builtin::NAMES.iter().copied().chain(team.iter().map(|c| c.name())).collect::<Vec<_>>().join(", ")
            );
            return Err(match (&config_path, &config_text) {
                (Some(cfg), Some(text)) => FileError::at_line(cfg, parse::locate_value(text, unknown), 1, message),
                _ => FileError::new(root, format!("editor settings: {message}")),
            });
        }

        let detection = (settings.activation == Activation::Auto).then(|| activation::detect(root));
        let mut statuses = Vec::new();
        let mut active: Vec<Arc<Catalog>> = Vec::new();
        for catalog in builtin::all() {
            let name = catalog.name();
            let (on, why) = if settings.disable.contains(name) {
                (false, Reason::DisabledInConfig)
            } else if settings.enable.contains(name) {
                (true, Reason::EnabledInConfig)
            } else {
                match settings.activation {
                    Activation::Always => (true, Reason::ActivationAlways),
                    Activation::Never => (false, Reason::ActivationNever),
                    Activation::Auto => match detection.as_ref().and_then(|d| d.markers.first()) {
                        Some(marker) => (true, Reason::Detected(marker.clone())),
                        None => (false, Reason::NotDetected),
                    },
                }
            };
            statuses.push(CatalogStatus {
                name: name.to_string(),
                active: on,
                origin: "built-in".to_string(),
                why,
                codes: catalog.entries.len(),
            });
            if on {
                active.push(catalog.clone());
            }
        }
        let catalog_paths: Vec<PathBuf> = team
            .iter()
            .filter_map(|c| match &c.origin {
                Origin::File(p) => Some(p.canonicalize().unwrap_or_else(|_| p.clone())),
                Origin::Builtin => None,
            })
            .collect();
        for catalog in team {
            let on = !settings.disable.contains(catalog.name());
            let why = if on { Reason::TeamCatalog } else { Reason::DisabledInConfig };
            let origin = match &catalog.origin {
                Origin::File(p) => p.strip_prefix(root).unwrap_or(p).display().to_string(),
                Origin::Builtin => "built-in".to_string(),
            };
            statuses.push(CatalogStatus {
                name: catalog.name().to_string(),
                active: on,
                origin,
                why,
                codes: catalog.entries.len(),
            });
            if on {
                active.push(catalog);
            }
        }

        let set = Arc::new(CatalogSet::new(active));
        check_replacements(&set)?;
        let analyzer = Arc::new(Analyzer::new(set, settings.allow.clone(), settings.severities));
        Ok(Project {
            root: root.to_path_buf(),
            config_path,
            settings,
            detection,
            catalogs: statuses,
            analyzer,
            catalog_paths,
            policy: std::sync::OnceLock::new(),
        })
    }

    /// Which files of the project are checked: its exclusion rules, compiled once.
    pub fn policy(&self) -> &crate::walk::Policy {
        self.policy.get_or_init(|| crate::walk::Policy::of(self))
    }

    /// Whether `path` is one of this project's catalog files (whose codes are declarations).
    pub fn is_catalog_file(&self, path: &Path) -> bool {
        if self.catalog_paths.is_empty() {
            return false;
        }
        self.catalog_paths.iter().any(|p| p == path)
            || path.canonicalize().is_ok_and(|c| self.catalog_paths.contains(&c))
    }

    /// Names of the active catalogs.
    pub fn active_catalogs(&self) -> Vec<&str> {
        self.catalogs.iter().filter(|c| c.active).map(|c| c.name.as_str()).collect()
    }

    /// A one-line explanation of what is active, for status bars and `errcode-lsp status`.
    pub fn summary(&self) -> String {
        self.summary_in(Locale::En)
    }

    /// [`Project::summary`] in `locale`.
    pub fn summary_in(&self, locale: Locale) -> String {
        let active = self.active_catalogs();
        let zh = locale == Locale::ZhCn;
        if active.is_empty() {
            let why = self.catalogs.first().map(|c| c.why.text(locale));
            match (zh, why) {
                (false, why) => format!("no active catalogs: {}", why.as_deref().unwrap_or("no catalogs")),
                (true, why) => format!("没有启用的错误码目录：{}", why.as_deref().unwrap_or("没有目录")),
            }
        } else {
            let why = self.catalogs.iter().find(|c| c.active).map(|c| c.why.text(locale)).unwrap_or_default();
            match zh {
                false => format!("active catalogs: {} ({why})", active.join(", ")),
                true => format!("已启用的错误码目录：{}（{why}）", active.join("、")),
            }
        }
    }
}

/// Resolves `rel` against `dir` and makes sure the result lies inside `root`, also after
/// following symlinks. Absolute paths and `..` that leave the workspace are refused.
fn resolve_inside(root: &Path, dir: &Path, rel: &str) -> Result<PathBuf, String> {
    let candidate = dir.join(rel);
    let canonical_root = root.canonicalize().map_err(|e| format!("cannot resolve workspace root: {e}"))?;
    let canonical = candidate.canonicalize().map_err(|e| format!("catalog file `{rel}` cannot be opened: {e}"))?;
    if !canonical.starts_with(&canonical_root) {
        return Err(format!(
            "catalog file `{rel}` resolves to {}, outside the workspace {}; catalogs must live inside the workspace \
             (personal catalogs belong in the user config directory)",
            canonical.display(),
            canonical_root.display()
        ));
    }
    Ok(canonical)
}

/// Loads every catalog file (`.toml`, `.json`, `.yaml`, `.yml`) directly in `dir`, sorted by name.
fn load_user_catalogs(dir: &Path) -> Result<Vec<Arc<Catalog>>, FileError> {
    let Ok(read) = std::fs::read_dir(dir) else { return Ok(Vec::new()) };
    let mut paths: Vec<PathBuf> =
        read.flatten().map(|e| e.path()).filter(|p| p.is_file() && parse::Format::from_path(p).is_some()).collect();
    paths.sort();
    paths.iter().map(|p| Catalog::load(p).map(Arc::new)).collect()
}

/// Every `replaced_by` must name a code of an active catalog or a built-in one: one hash lookup
/// per replacement in the set's code index (scanning the catalogs for each one made 20,000
/// deprecated codes in a 200,000-code catalog cost seconds per load).
fn check_replacements(active: &CatalogSet) -> Result<(), FileError> {
    for catalog in active.catalogs() {
        for (i, entry) in catalog.entries.iter().enumerate() {
            let Some(target) = &entry.replaced_by else { continue };
            if !builtin::is_known(target) && !active.contains(target) {
                let message = format!("`{}` is replaced by `{target}`, which is not a known code", entry.code);
                return Err(match &catalog.origin {
                    Origin::File(path) => {
                        FileError::at_line(path, catalog.lines.get(i).copied().unwrap_or(1), 1, message)
                    }
                    Origin::Builtin => FileError::new(Path::new(catalog.name()), message),
                });
            }
        }
    }
    Ok(())
}

/// Whether `dir` is a project root: it holds an `errcode.toml`/`.errcode.toml`, a `.git` or a
/// manifest (see [`activation::MANIFESTS`]).
pub fn is_project_root(dir: &Path) -> bool {
    let Ok(entries) = std::fs::read_dir(dir) else { return false };
    entries.flatten().any(|e| {
        let name = e.file_name();
        name.to_str().is_some_and(|n| n == ".git" || CONFIG_FILE_NAMES.contains(&n) || activation::is_manifest(n))
    })
}

/// The project root for `start` (a file or directory): the nearest ancestor that is a project
/// root (see [`is_project_root`]), else `start` itself (or its directory).
pub fn find_root(start: &Path) -> PathBuf {
    let start = start.canonicalize().unwrap_or_else(|_| start.to_path_buf());
    let dir =
        if start.is_dir() { start.clone() } else { start.parent().map(Path::to_path_buf).unwrap_or(start.clone()) };
    dir.ancestors().find(|d| is_project_root(d)).map_or(dir.clone(), Path::to_path_buf)
}

/// The config file that applies at `root`: the nearest `errcode.toml`/`.errcode.toml` in `root`
/// or above it, up to the repository root (the folder holding `.git`). A package of a monorepo
/// inherits the repository's configuration unless it has its own.
pub fn find_config_for(root: &Path) -> Option<PathBuf> {
    for dir in root.ancestors() {
        if let Some(path) = find_config_file(dir) {
            return Some(path);
        }
        if dir.join(".git").exists() {
            return None;
        }
    }
    None
}

/// The projects met while walking some paths, found and loaded as files ask for them. A file
/// belongs to the project of its nearest project root (see [`is_project_root`]), so each
/// repository, package or cloud function under the walked paths gets its own settings and
/// catalogs, however the walk was started.
#[derive(Debug, Default)]
pub struct Projects {
    editor: Option<EditorSettings>,
    /// Directory -> its project root.
    roots: std::sync::Mutex<std::collections::HashMap<PathBuf, PathBuf>>,
    /// Project root -> the loaded project (or why it did not load).
    loaded: std::sync::Mutex<std::collections::BTreeMap<PathBuf, Result<Arc<Project>, FileError>>>,
}

impl Projects {
    /// Projects loaded with these editor settings (`None` from the command line).
    pub fn new(editor: Option<EditorSettings>) -> Projects {
        Projects { editor, ..Default::default() }
    }

    /// The project root of the directory `dir` (absolute).
    pub fn root_of(&self, dir: &Path) -> PathBuf {
        let mut roots = self.roots.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(root) = roots.get(dir) {
            return root.clone();
        }
        // Every directory passed on the way up shares the answer.
        let mut visited = Vec::new();
        let mut found = None;
        for d in dir.ancestors() {
            if let Some(root) = roots.get(d) {
                found = Some(root.clone());
                break;
            }
            visited.push(d.to_path_buf());
            if is_project_root(d) {
                found = Some(d.to_path_buf());
                break;
            }
        }
        let root = found.unwrap_or_else(|| dir.to_path_buf());
        for d in visited {
            roots.insert(d, root.clone());
        }
        root
    }

    /// The project rooted at `root`, loaded once.
    pub fn at_root(&self, root: &Path) -> Result<Arc<Project>, FileError> {
        let mut loaded = self.loaded.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(found) = loaded.get(root) {
            return found.clone();
        }
        let canonical = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
        let project = Project::load(&canonical, self.editor.as_ref()).map(Arc::new);
        loaded.insert(root.to_path_buf(), project.clone());
        project
    }

    /// The project of the file or directory `path` (relative paths are taken from the current
    /// directory).
    pub fn for_path(&self, path: &Path) -> Result<Arc<Project>, FileError> {
        self.for_entry(path, path.is_dir())
    }

    /// The project of `path`, a directory when `is_dir`, else a file (no file system call to
    /// tell).
    pub fn for_entry(&self, path: &Path, is_dir: bool) -> Result<Arc<Project>, FileError> {
        let absolute = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
        let dir = if is_dir { absolute.as_path() } else { absolute.parent().unwrap_or(&absolute) };
        let root = self.root_of(dir);
        self.at_root(&root)
    }

    /// Every project loaded so far, by root.
    pub fn loaded(&self) -> Vec<Arc<Project>> {
        let loaded = self.loaded.lock().unwrap_or_else(|e| e.into_inner());
        loaded.values().filter_map(|p| p.as_ref().ok().cloned()).collect()
    }
}

impl crate::walk::ProjectSource for Projects {
    fn project(&self, path: &Path, is_dir: bool) -> Result<Arc<Project>, FileError> {
        self.for_entry(path, is_dir)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::{CatalogMeta, Entry, Status};

    fn entry(code: String, replaced_by: Option<String>) -> Entry {
        Entry {
            code,
            category: "Generated".to_string(),
            summary: "A generated code.".to_string(),
            details: String::new(),
            numeric: None,
            status: if replaced_by.is_some() { Status::Deprecated } else { Status::Current },
            replaced_by,
            note: None,
            docs: None,
            l10n: Default::default(),
        }
    }

    fn catalog(entries: Vec<Entry>) -> Arc<Catalog> {
        let meta = CatalogMeta {
            name: "big".to_string(),
            description: String::new(),
            source: None,
            categories: Vec::new(),
            l10n: Default::default(),
        };
        let lines = (0..entries.len()).map(|i| 3 + 5 * i).collect();
        Arc::new(Catalog { meta, entries, origin: Origin::File(PathBuf::from("/w/big.toml")), lines })
    }

    /// 50,000 codes, half of them deprecated and each replaced by a code listed near the end:
    /// checking the replacements by scanning the catalogs compared strings about a billion times
    /// (minutes in a debug build); by lookup, it is 25,000 hash probes.
    #[test]
    fn replacements_are_looked_up_not_scanned_for() {
        let n = 50_000;
        let code = |i: usize| format!("GENERATED_CODE_{i}");
        let mut entries: Vec<Entry> = (0..n).map(|i| entry(code(i), (i < n / 2).then(|| code(n - 1 - i)))).collect();
        let set = CatalogSet::new(vec![catalog(entries.clone())]);
        assert!(check_replacements(&set).is_ok());
        // A replacement that names no code is reported at its entry's line; a built-in code is
        // a valid replacement.
        entries[7].replaced_by = Some("NO_SUCH_CODE".to_string());
        entries[8].replaced_by = Some("FUNCTION_NOT_FOUND".to_string());
        let set = CatalogSet::new(vec![catalog(entries)]);
        let error = check_replacements(&set).unwrap_err().to_string();
        assert!(error.contains("big.toml:38") && error.contains("`NO_SUCH_CODE`"), "{error}");
    }
}
