//! Workspace folders and their projects (config, catalogs, activation), reloaded on change.
//!
//! Each folder of a multi-root workspace has its own `errcode.toml`, catalogs and activation.
//! A reload that fails keeps the last good project and reports the error.

use std::path::{Path, PathBuf};
use std::sync::{Arc, RwLock};

use errcode_core::config::EditorSettings;
use errcode_core::error::FileError;
use errcode_core::project::{find_root, Project};

/// One workspace folder (or an ad-hoc root for a file outside every folder).
#[derive(Debug)]
pub struct Folder {
    pub root: PathBuf,
    pub project: Arc<Project>,
}

/// The folders, the editor settings, and a generation counter bumped on every reload.
#[derive(Debug, Default)]
pub struct Workspace {
    folders: RwLock<Vec<Folder>>,
    extra: RwLock<Vec<Folder>>,
    settings: RwLock<EditorSettings>,
    generation: std::sync::atomic::AtomicU64,
}

/// The outcome of loading one folder.
pub struct Loaded {
    pub project: Arc<Project>,
    /// The config or catalog error, if the folder's files are broken.
    pub error: Option<FileError>,
}

impl Workspace {
    pub fn generation(&self) -> u64 {
        self.generation.load(std::sync::atomic::Ordering::SeqCst)
    }

    pub fn settings(&self) -> EditorSettings {
        self.settings.read().unwrap_or_else(|e| e.into_inner()).clone()
    }

    pub fn set_settings(&self, settings: EditorSettings) {
        *self.settings.write().unwrap_or_else(|e| e.into_inner()) = settings;
    }

    /// Loads `root`; on error keeps `previous` (or falls back to built-in catalogs only).
    fn load(&self, root: &Path, previous: Option<&Arc<Project>>) -> Loaded {
        let settings = self.settings();
        match Project::load(root, Some(&settings)) {
            Ok(project) => Loaded { project: Arc::new(project), error: None },
            Err(error) => {
                let project = match previous {
                    Some(p) => p.clone(),
                    None => {
                        let fallback = EditorSettings { trusted: Some(false), ..settings };
                        let project = Project::load(root, Some(&fallback)).unwrap_or_else(|_| {
                            Project::load(root, None).expect("a project without config files always loads")
                        });
                        Arc::new(project)
                    }
                };
                Loaded { project, error: Some(error) }
            }
        }
    }

    /// Replaces the folder list; returns the errors met.
    pub fn set_folders(&self, roots: Vec<PathBuf>) -> Vec<FileError> {
        let mut errors = Vec::new();
        let folders = roots
            .into_iter()
            .map(|root| {
                let loaded = self.load(&root, None);
                errors.extend(loaded.error);
                Folder { root, project: loaded.project }
            })
            .collect();
        *self.folders.write().unwrap_or_else(|e| e.into_inner()) = folders;
        self.extra.write().unwrap_or_else(|e| e.into_inner()).clear();
        self.bump();
        errors
    }

    pub fn add_folder(&self, root: PathBuf) -> Vec<FileError> {
        let loaded = self.load(&root, None);
        self.folders.write().unwrap_or_else(|e| e.into_inner()).push(Folder { root, project: loaded.project });
        self.bump();
        loaded.error.into_iter().collect()
    }

    pub fn remove_folder(&self, root: &Path) {
        self.folders.write().unwrap_or_else(|e| e.into_inner()).retain(|f| f.root != root);
        self.bump();
    }

    /// Reloads every project whose root contains `changed` (or all when `None`), keeping the
    /// last good project on error. Returns the errors and whether anything was reloaded.
    pub fn reload(&self, changed: Option<&Path>) -> (Vec<FileError>, bool) {
        let mut errors = Vec::new();
        let mut any = false;
        for list in [&self.folders, &self.extra] {
            let mut folders = list.write().unwrap_or_else(|e| e.into_inner());
            for folder in folders.iter_mut() {
                if changed.is_some_and(|c| !c.starts_with(&folder.root)) {
                    continue;
                }
                let loaded = self.load(&folder.root, Some(&folder.project));
                errors.extend(loaded.error);
                folder.project = loaded.project;
                any = true;
            }
        }
        if any {
            self.bump();
        }
        (errors, any)
    }

    fn bump(&self) {
        self.generation.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
    }

    /// The project for a document: the innermost workspace folder holding it, else a project
    /// rooted where the file's own `errcode.toml` or `.git` is. Returns the load error of a
    /// newly created ad-hoc project.
    pub fn project_for(&self, path: Option<&Path>) -> (Arc<Project>, Option<FileError>) {
        let folders = self.folders.read().unwrap_or_else(|e| e.into_inner());
        if let Some(path) = path {
            if let Some(f) =
                folders.iter().filter(|f| path.starts_with(&f.root)).max_by_key(|f| f.root.as_os_str().len())
            {
                return (f.project.clone(), None);
            }
        } else if let Some(first) = folders.first() {
            return (first.project.clone(), None);
        }
        drop(folders);
        let root = match path {
            Some(p) => find_root(p),
            None => std::env::current_dir().unwrap_or_else(|_| PathBuf::from("/")),
        };
        if let Some(f) = self.extra.read().unwrap_or_else(|e| e.into_inner()).iter().find(|f| f.root == root) {
            return (f.project.clone(), None);
        }
        let loaded = self.load(&root, None);
        self.extra.write().unwrap_or_else(|e| e.into_inner()).push(Folder { root, project: loaded.project.clone() });
        (loaded.project, loaded.error)
    }

    /// The projects of the workspace folders.
    pub fn folder_projects(&self) -> Vec<Arc<Project>> {
        self.folders.read().unwrap_or_else(|e| e.into_inner()).iter().map(|f| f.project.clone()).collect()
    }

    /// Every loaded project (folders first).
    pub fn projects(&self) -> Vec<Arc<Project>> {
        let mut out: Vec<Arc<Project>> =
            self.folders.read().unwrap_or_else(|e| e.into_inner()).iter().map(|f| f.project.clone()).collect();
        out.extend(self.extra.read().unwrap_or_else(|e| e.into_inner()).iter().map(|f| f.project.clone()));
        out
    }
}
