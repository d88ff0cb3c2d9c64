//! The server's workspace index: known-code references per file, from disk for closed files
//! and from the current text for open ones.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, RwLock};

use crate::index::{FileRefs, Reference};

/// How many references each code has in the workspace.
pub type Uses = HashMap<Arc<str>, u32>;

#[derive(Debug, Default)]
pub struct WorkspaceIndex {
    files: RwLock<HashMap<PathBuf, FileRefs>>,
    /// Kept in step with `files` (written under its write lock); readers get a cheap snapshot
    /// (copy-on-write while one is held).
    uses: RwLock<Arc<Uses>>,
    /// Bumped when a full re-index starts; a run only installs its result if still current.
    generation: AtomicU64,
}

impl WorkspaceIndex {
    /// Sets the references of one file (an empty list removes it).
    pub fn update(&self, path: &Path, refs: FileRefs) {
        let mut files = self.files.write().unwrap_or_else(|e| e.into_inner());
        let mut uses = self.uses_mut();
        let uses = Arc::make_mut(&mut uses);
        count(uses, &refs, true);
        let old = if refs.refs.is_empty() { files.remove(path) } else { files.insert(path.to_path_buf(), refs) };
        if let Some(old) = old {
            count(uses, &old, false);
        }
    }

    pub fn remove(&self, path: &Path) {
        let mut files = self.files.write().unwrap_or_else(|e| e.into_inner());
        if let Some(old) = files.remove(path) {
            count(Arc::make_mut(&mut self.uses_mut()), &old, false);
        }
    }

    fn uses_mut(&self) -> std::sync::RwLockWriteGuard<'_, Arc<Uses>> {
        self.uses.write().unwrap_or_else(|e| e.into_inner())
    }

    /// How many references each used code has in the workspace (for ranking completions).
    /// A snapshot: O(1), not affected by later updates.
    pub fn uses(&self) -> Arc<Uses> {
        self.uses.read().unwrap_or_else(|e| e.into_inner()).clone()
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
        let mut uses = self.uses_mut();
        let uses = Arc::make_mut(&mut uses);
        files.retain(|path, refs| {
            let keep = !path.starts_with(root);
            if !keep {
                count(uses, refs, false);
            }
            keep
        });
        for refs in found.values() {
            count(uses, refs, true);
        }
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

/// Adds (or takes away) the references of one file to the per-code counts.
fn count(uses: &mut Uses, refs: &FileRefs, add: bool) {
    for r in &refs.refs {
        if add {
            *uses.entry(r.code.clone()).or_insert(0) += 1;
        } else if let Some(n) = uses.get_mut(&*r.code) {
            *n = n.saturating_sub(1);
            if *n == 0 {
                uses.remove(&*r.code);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn refs(codes: &[&str]) -> FileRefs {
        let refs = codes
            .iter()
            .map(|c| Reference { code: Arc::from(*c), line: 0, utf8: (0, 1), utf16: (0, 1), chars: (0, 1) })
            .collect();
        FileRefs { refs }
    }

    fn uses(index: &WorkspaceIndex) -> Vec<(String, u32)> {
        let mut out: Vec<(String, u32)> = index.uses().iter().map(|(c, n)| (c.to_string(), *n)).collect();
        out.sort();
        out
    }

    #[test]
    fn use_counts_follow_updates_removals_and_installs() {
        let index = WorkspaceIndex::default();
        index.update(Path::new("/w/a.ts"), refs(&["A_B", "A_B", "C_D"]));
        index.update(Path::new("/w/b.ts"), refs(&["C_D"]));
        assert_eq!(uses(&index), [("A_B".into(), 2), ("C_D".into(), 2)]);
        // A snapshot taken now does not change with later updates.
        let before = index.uses();
        index.update(Path::new("/w/a.ts"), refs(&["E_F"]));
        assert_eq!(before.len(), 2);
        assert_eq!(uses(&index), [("C_D".into(), 1), ("E_F".into(), 1)]);
        index.update(Path::new("/w/b.ts"), FileRefs::default());
        index.remove(Path::new("/w/a.ts"));
        assert!(uses(&index).is_empty());
        // A full re-index replaces what was under its root only.
        index.update(Path::new("/other/x.ts"), refs(&["A_B"]));
        index.update(Path::new("/w/old.ts"), refs(&["C_D"]));
        let generation = index.begin();
        let found = HashMap::from([(PathBuf::from("/w/new.ts"), refs(&["E_F", "A_B"]))]);
        assert!(index.install(generation, Path::new("/w"), found));
        assert_eq!(uses(&index), [("A_B".into(), 2), ("E_F".into(), 1)]);
    }
}
