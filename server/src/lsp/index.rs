//! The server's workspace index: known-code references per file, from disk for closed files
//! and from the current text for open ones.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::RwLock;

use crate::index::{FileRefs, Reference};

#[derive(Debug, Default)]
pub struct WorkspaceIndex {
    files: RwLock<HashMap<PathBuf, FileRefs>>,
    /// Bumped when a full re-index starts; a run only installs its result if still current.
    generation: AtomicU64,
}

impl WorkspaceIndex {
    /// Sets the references of one file (an empty list removes it).
    pub fn update(&self, path: &Path, refs: FileRefs) {
        let mut files = self.files.write().unwrap_or_else(|e| e.into_inner());
        if refs.refs.is_empty() {
            files.remove(path);
        } else {
            files.insert(path.to_path_buf(), refs);
        }
    }

    pub fn remove(&self, path: &Path) {
        self.files.write().unwrap_or_else(|e| e.into_inner()).remove(path);
    }

    /// Starts a full re-index: returns its generation.
    pub fn begin(&self) -> u64 {
        self.generation.fetch_add(1, Ordering::SeqCst) + 1
    }

    /// Installs the result of indexing `root` if no newer run started meanwhile.
    pub fn install(&self, generation: u64, root: &Path, found: HashMap<PathBuf, FileRefs>) -> bool {
        if self.generation.load(Ordering::SeqCst) != generation {
            return false;
        }
        let mut files = self.files.write().unwrap_or_else(|e| e.into_inner());
        files.retain(|path, _| !path.starts_with(root));
        files.extend(found);
        true
    }

    /// Every reference to `code`, sorted by path and position.
    pub fn references(&self, code: &str) -> Vec<(PathBuf, Reference)> {
        let files = self.files.read().unwrap_or_else(|e| e.into_inner());
        let mut out: Vec<(PathBuf, Reference)> = files
            .iter()
            .flat_map(|(path, refs)| refs.refs.iter().filter(|r| &*r.code == code).map(|r| (path.clone(), r.clone())))
            .collect();
        out.sort_by(|a, b| (&a.0, a.1.line, a.1.utf8.0).cmp(&(&b.0, b.1.line, b.1.utf8.0)));
        out
    }

    /// How many files hold references.
    pub fn len(&self) -> usize {
        self.files.read().unwrap_or_else(|e| e.into_inner()).len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}
