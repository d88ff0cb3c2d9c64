//! The server's workspace index: known-code references and findings per file, from disk for
//! closed files and from the current text for open ones; and the bookkeeping of the full
//! re-index runs that rebuild it.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, RwLock};

use crate::index::{FileFinding, FileRefs, Reference};

#[derive(Debug)]
pub struct WorkspaceIndex {
    files: RwLock<HashMap<PathBuf, FileRefs>>,
    /// Bumped on every change, so that waiters (the workspace diagnostics long poll) wake up.
    changes: tokio::sync::watch::Sender<u64>,
    runs: Mutex<Runs>,
}

/// Full re-index runs: at most one at a time; a request while one runs makes it run again.
#[derive(Debug, Default)]
struct Runs {
    running: bool,
    again: bool,
}

impl Default for WorkspaceIndex {
    fn default() -> Self {
        WorkspaceIndex { files: RwLock::default(), changes: tokio::sync::watch::channel(0).0, runs: Mutex::default() }
    }
}

impl WorkspaceIndex {
    fn write(&self) -> std::sync::RwLockWriteGuard<'_, HashMap<PathBuf, FileRefs>> {
        self.files.write().unwrap_or_else(|e| e.into_inner())
    }

    fn read(&self) -> std::sync::RwLockReadGuard<'_, HashMap<PathBuf, FileRefs>> {
        self.files.read().unwrap_or_else(|e| e.into_inner())
    }

    fn changed(&self) {
        self.changes.send_modify(|n| *n += 1);
    }

    /// Sets what is known of one file (nothing removes it).
    pub fn update(&self, path: &Path, refs: FileRefs) {
        {
            let mut files = self.write();
            if refs.is_empty() {
                if files.remove(path).is_none() {
                    return;
                }
            } else if files.get(path) == Some(&refs) {
                return;
            } else {
                files.insert(path.to_path_buf(), refs);
            }
        }
        self.changed();
    }

    pub fn remove(&self, path: &Path) {
        if self.write().remove(path).is_some() {
            self.changed();
        }
    }

    /// Forgets every file under `root` (a workspace folder that was removed) except those
    /// under one of `keep` (folders still open, which may be nested in it).
    pub fn remove_under(&self, root: &Path, keep: &[PathBuf]) {
        self.write().retain(|path, _| !path.starts_with(root) || keep.iter().any(|k| path.starts_with(k)));
        self.changed();
    }

    /// Replaces the whole index with the result of a full run.
    pub fn replace_all(&self, files: HashMap<PathBuf, FileRefs>) {
        *self.write() = files;
        self.changed();
    }

    /// A counter that changes whenever the index does, and a way to wait for that.
    pub fn subscribe(&self) -> tokio::sync::watch::Receiver<u64> {
        self.changes.subscribe()
    }

    /// Every reference to `code`, sorted by path and position.
    pub fn references(&self, code: &str) -> Vec<(PathBuf, Reference)> {
        let files = self.read();
        let mut out: Vec<(PathBuf, Reference)> = files
            .iter()
            .flat_map(|(path, refs)| refs.refs.iter().filter(|r| &*r.code == code).map(|r| (path.clone(), r.clone())))
            .collect();
        out.sort_by(|a, b| (&a.0, a.1.pos.line, a.1.pos.utf8.0).cmp(&(&b.0, b.1.pos.line, b.1.pos.utf8.0)));
        out
    }

    /// The findings of every indexed file that has some, sorted by path.
    pub fn findings(&self) -> Vec<(PathBuf, Vec<FileFinding>)> {
        let files = self.read();
        let mut out: Vec<(PathBuf, Vec<FileFinding>)> = files
            .iter()
            .filter(|(_, f)| !f.findings.is_empty())
            .map(|(path, f)| (path.clone(), f.findings.clone()))
            .collect();
        out.sort_by(|a, b| a.0.cmp(&b.0));
        out
    }

    /// How many files hold references or findings.
    pub fn len(&self) -> usize {
        self.read().len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Asks for a full re-index. Returns true when the caller must start a runner; false when
    /// one is running already (it will run once more).
    pub fn request_run(&self) -> bool {
        let mut runs = self.runs.lock().unwrap_or_else(|e| e.into_inner());
        runs.again = true;
        !std::mem::replace(&mut runs.running, true)
    }

    /// A runner starts a pass: requests made from now on need another pass.
    pub fn start_pass(&self) {
        self.runs.lock().unwrap_or_else(|e| e.into_inner()).again = false;
    }

    /// A runner finished a pass: returns true when it must run again, else it stops.
    pub fn finish_pass(&self) -> bool {
        let mut runs = self.runs.lock().unwrap_or_else(|e| e.into_inner());
        runs.running = runs.again;
        runs.again
    }

    /// Whether a full re-index is under way.
    pub fn is_indexing(&self) -> bool {
        self.runs.lock().unwrap_or_else(|e| e.into_inner()).running
    }
}
