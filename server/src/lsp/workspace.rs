//! Workspace folders and their projects (config, catalogs, activation), reloaded on change.
//!
//! A file belongs to the project of its nearest project root (an `errcode.toml`, a `.git`, a
//! package manifest; see `project::Projects`), exactly as in `check`: a monorepo opened as one
//! folder has a project per package. Projects are loaded when a file first asks for one. A
//! project that fails to load (a broken `errcode.toml` or catalog) is replaced by the last good
//! one (or by the built-in catalogs alone) and the error is reported once.
//!
//! A reload builds new folders beside the ones in use, on a blocking thread (a team catalog of
//! 200,000 codes takes seconds to load), and swaps them in when they are ready: requests are
//! answered from the last good projects meanwhile. At most one reload runs at a time (see
//! `handlers::configuration::reload`).
//!
//! A document that is no local file (`untitled:`, `http:`, a virtual file system's; see
//! `convert::local_path`) belongs to the first workspace folder: it gets the project of the
//! folder's root, or, when that has no active catalog but a project of the workspace uses the
//! built-in catalogs (the packages of a monorepo), those. Without a folder it gets the built-in
//! catalogs when any project in use has them, else none; never a project of the server's
//! working directory.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, RwLock};

use errcode_core::catalog::builtin;
use errcode_core::config::{Activation, EditorSettings};
use errcode_core::error::FileError;
use errcode_core::project::{Project, Projects};
use errcode_core::walk::ProjectSource;

/// The projects under one root: a workspace folder, or (for files outside every folder) the
/// rest of the file system.
#[derive(Debug)]
pub struct Folder {
    /// `None` for the files outside every folder.
    pub root: Option<PathBuf>,
    projects: Projects,
    /// The project used for each project root (the loaded one, or a stand-in after an error).
    used: Mutex<HashMap<PathBuf, Arc<Project>>>,
    /// What `used` held before the last reload: the last good projects.
    previous: HashMap<PathBuf, Arc<Project>>,
    settings: EditorSettings,
}

impl Folder {
    fn new(root: Option<PathBuf>, settings: EditorSettings, previous: HashMap<PathBuf, Arc<Project>>) -> Folder {
        Folder {
            root,
            projects: Projects::new(Some(settings.clone())),
            used: Mutex::new(HashMap::new()),
            previous,
            settings,
        }
    }

    /// The project of `path` (a directory when `is_dir`), and the error of a project root
    /// that failed to load just now.
    fn project(&self, path: &Path, is_dir: bool) -> (Arc<Project>, Option<FileError>) {
        let absolute = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
        let dir = if is_dir { absolute.as_path() } else { absolute.parent().unwrap_or(&absolute) };
        let root = self.projects.root_of(dir);
        if let Some(project) = self.used.lock().unwrap_or_else(|e| e.into_inner()).get(&root) {
            return (project.clone(), None);
        }
        let (project, error) = match self.projects.at_root(&root) {
            Ok(project) => (project, None),
            Err(error) => {
                let stand_in = match self.previous.get(&root) {
                    Some(p) => p.clone(),
                    None => Arc::new(fallback(&root, &self.settings)),
                };
                (stand_in, Some(error))
            }
        };
        let mut used = self.used.lock().unwrap_or_else(|e| e.into_inner());
        let project = used.entry(root).or_insert(project).clone();
        (project, error)
    }

    fn used(&self) -> Vec<Arc<Project>> {
        let used = self.used.lock().unwrap_or_else(|e| e.into_inner());
        let mut out: Vec<Arc<Project>> = used.values().cloned().collect();
        out.sort_by(|a, b| a.root.cmp(&b.root));
        out.dedup_by(|a, b| Arc::ptr_eq(a, b));
        out
    }

    fn contains(&self, path: &Path) -> bool {
        self.root.as_deref().is_none_or(|root| path.starts_with(root))
    }
}

impl ProjectSource for Folder {
    /// Never fails: a project that does not load is stood in for (the error is reported when
    /// documents ask for the project).
    fn project(&self, path: &Path, is_dir: bool) -> Result<Arc<Project>, FileError> {
        Ok(Folder::project(self, path, is_dir).0)
    }
}

/// A project with the built-in catalogs only (and no workspace files), for a root whose
/// configuration is broken and that never loaded before.
fn fallback(root: &Path, settings: &EditorSettings) -> Project {
    let untrusted = EditorSettings { trusted: Some(false), ..settings.clone() };
    Project::load(root, Some(&untrusted))
        .unwrap_or_else(|_| Project::load(root, None).expect("a project without config files always loads"))
}

/// The folders, the editor settings, and a generation counter bumped on every reload.
#[derive(Debug, Default)]
pub struct Workspace {
    folders: RwLock<Vec<Arc<Folder>>>,
    /// The files outside every folder.
    elsewhere: RwLock<Option<Arc<Folder>>>,
    settings: RwLock<EditorSettings>,
    generation: std::sync::atomic::AtomicU64,
    /// The stand-in project of documents without a local file.
    in_memory: Mutex<Option<InMemory>>,
    /// Reloads: one at a time, a burst of changes coalesced.
    pub reloads: super::runs::Runs,
}

/// The project of documents without a local file, with what it was made for.
#[derive(Debug)]
struct InMemory {
    generation: u64,
    /// The first folder's root (`None`: no folder).
    root: Option<PathBuf>,
    /// With the built-in catalogs active.
    builtins: bool,
    project: Arc<Project>,
}

impl Workspace {
    pub fn generation(&self) -> u64 {
        self.generation.load(std::sync::atomic::Ordering::SeqCst)
    }

    fn bump(&self) {
        self.generation.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
    }

    pub fn settings(&self) -> EditorSettings {
        self.settings.read().unwrap_or_else(|e| e.into_inner()).clone()
    }

    pub fn set_settings(&self, settings: EditorSettings) {
        *self.settings.write().unwrap_or_else(|e| e.into_inner()) = settings;
    }

    /// Replaces the folder list; returns the errors of the folders' own projects.
    pub fn set_folders(&self, roots: Vec<PathBuf>) -> Vec<FileError> {
        let settings = self.settings();
        let folders: Vec<Arc<Folder>> =
            roots.into_iter().map(|root| Arc::new(Folder::new(Some(root), settings.clone(), HashMap::new()))).collect();
        *self.folders.write().unwrap_or_else(|e| e.into_inner()) = folders.clone();
        *self.elsewhere.write().unwrap_or_else(|e| e.into_inner()) = None;
        self.bump();
        load_roots(&folders)
    }

    pub fn add_folder(&self, root: PathBuf) -> Vec<FileError> {
        let folder = Arc::new(Folder::new(Some(root), self.settings(), HashMap::new()));
        self.folders.write().unwrap_or_else(|e| e.into_inner()).push(folder.clone());
        self.bump();
        load_roots(&[folder])
    }

    pub fn remove_folder(&self, root: &Path) {
        self.folders.write().unwrap_or_else(|e| e.into_inner()).retain(|f| f.root.as_deref() != Some(root));
        self.bump();
    }

    /// Reloads every project (a config, catalog or manifest changed, or the editor settings),
    /// keeping the last good project where a file is broken. Returns the errors. Slow with
    /// large catalogs: call it on a blocking thread; the folders in use keep answering until the
    /// new ones are swapped in. Not to be run twice at once (see [`Workspace::reloads`]).
    pub fn reload(&self) -> Vec<FileError> {
        let settings = self.settings();
        let renew = |old: &Folder| Arc::new(Folder::new(old.root.clone(), settings.clone(), old_projects(old)));
        let old_folders = self.folders();
        let old_elsewhere = self.elsewhere.read().unwrap_or_else(|e| e.into_inner()).clone();
        let folders: Vec<Arc<Folder>> = old_folders.iter().map(|f| renew(f)).collect();
        let elsewhere = old_elsewhere.as_deref().map(renew);
        // Load again what was in use, so that errors are reported now.
        let mut errors = Vec::new();
        for folder in folders.iter().chain(&elsewhere) {
            for root in folder.previous.keys() {
                errors.extend(folder.project(root, true).1);
            }
        }
        errors.extend(load_roots(&folders));
        // Swap the new folders in. A folder added or removed meanwhile stays added or removed.
        let mut current = self.folders.write().unwrap_or_else(|e| e.into_inner());
        for slot in current.iter_mut() {
            if let Some(i) = old_folders.iter().position(|old| Arc::ptr_eq(old, slot)) {
                *slot = folders[i].clone();
            }
        }
        let mut current_elsewhere = self.elsewhere.write().unwrap_or_else(|e| e.into_inner());
        if let (Some(now), Some(old), Some(new)) = (current_elsewhere.as_ref(), &old_elsewhere, elsewhere) {
            if Arc::ptr_eq(now, old) {
                *current_elsewhere = Some(new);
            }
        }
        drop((current, current_elsewhere));
        self.bump();
        errors
    }

    /// The folder holding `path`: the innermost workspace folder, else the one for files
    /// outside every folder.
    fn folder_for(&self, path: &Path) -> Arc<Folder> {
        let folders = self.folders.read().unwrap_or_else(|e| e.into_inner());
        let found = folders
            .iter()
            .filter(|f| f.contains(path))
            .max_by_key(|f| f.root.as_ref().map_or(0, |r| r.as_os_str().len()));
        if let Some(folder) = found {
            return folder.clone();
        }
        drop(folders);
        let mut elsewhere = self.elsewhere.write().unwrap_or_else(|e| e.into_inner());
        elsewhere.get_or_insert_with(|| Arc::new(Folder::new(None, self.settings(), HashMap::new()))).clone()
    }

    /// The project for a document (`None`: a document without a local file, see the module
    /// documentation), and the load error of a project root met for the first time (to report
    /// once).
    pub fn project_for(&self, path: Option<&Path>) -> (Arc<Project>, Option<FileError>) {
        match path {
            Some(path) => self.folder_for(path).project(path, false),
            None => self.in_memory_project(),
        }
    }

    /// The project of documents without a local file.
    fn in_memory_project(&self) -> (Arc<Project>, Option<FileError>) {
        let uses_builtins = || self.projects().iter().any(|p| uses_builtins(p));
        let first = self.folders.read().unwrap_or_else(|e| e.into_inner()).first().cloned();
        let (root, error, builtins) = match first.and_then(|f| Some((f.root.clone()?, f))) {
            Some((root, folder)) => {
                let (project, error) = folder.project(&root, true);
                if !project.active_catalogs().is_empty() || !uses_builtins() {
                    return (project, error);
                }
                (Some(root), error, true)
            }
            None => (None, None, uses_builtins()),
        };
        let generation = self.generation();
        let mut cached = self.in_memory.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(c) =
            cached.as_ref().filter(|c| (c.generation, &c.root, c.builtins) == (generation, &root, builtins))
        {
            return (c.project.clone(), error);
        }
        let activation = if builtins { Activation::Always } else { Activation::Never };
        let mut settings = EditorSettings { activation: Some(activation), ..self.settings() };
        if builtins {
            // Whatever the root's config says of activation (its `disable` still wins).
            settings.enable.extend(builtin::NAMES.iter().map(|n| n.to_string()));
        }
        // Without a folder nothing is read from disk (no config, no detection).
        let untrusted =
            EditorSettings { trusted: Some(false), enable: Vec::new(), disable: Vec::new(), ..settings.clone() };
        let project = match &root {
            Some(root) => Project::load(root, Some(&settings)).or_else(|_| Project::load(root, Some(&untrusted))),
            None => Project::load(&std::env::temp_dir(), Some(&untrusted)),
        };
        let project = Arc::new(project.expect("a project without config files always loads"));
        *cached = Some(InMemory { generation, root, builtins, project: project.clone() });
        (project, error)
    }

    /// The workspace folders, to walk (each is also where its files' projects come from).
    pub fn folders(&self) -> Vec<Arc<Folder>> {
        self.folders.read().unwrap_or_else(|e| e.into_inner()).clone()
    }

    /// Every project in use (folders first).
    pub fn projects(&self) -> Vec<Arc<Project>> {
        let mut out: Vec<Arc<Project>> = Vec::new();
        for folder in self.folders() {
            out.extend(folder.used());
        }
        if let Some(elsewhere) = self.elsewhere.read().unwrap_or_else(|e| e.into_inner()).as_ref() {
            out.extend(elsewhere.used());
        }
        out
    }
}

/// Whether a project has a built-in catalog active (the workspace uses CloudBase).
fn uses_builtins(project: &Project) -> bool {
    project.catalogs.iter().any(|c| c.active && builtin::NAMES.contains(&c.name.as_str()))
}

/// What a folder used, to stand in for projects that fail to reload.
fn old_projects(folder: &Folder) -> HashMap<PathBuf, Arc<Project>> {
    let mut out = folder.previous.clone();
    out.extend(folder.used.lock().unwrap_or_else(|e| e.into_inner()).iter().map(|(k, v)| (k.clone(), v.clone())));
    out
}

/// Loads the project of each folder's own root; returns the errors.
fn load_roots(folders: &[Arc<Folder>]) -> Vec<FileError> {
    folders.iter().filter_map(|f| f.project(f.root.as_deref()?, true).1).collect()
}
