//! The server's workspace index: known-code references and findings per file, from disk for
//! closed files and from the current text for open ones; and the bookkeeping of the full
//! re-index runs that rebuild it.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, RwLock};

use errcode_core::index::{FileFinding, FileRefs, Reference};

/// How many references each code has in the workspace.
pub type Uses = HashMap<Arc<str>, u32>;

/// The indexed files and the per-code use counts, changed together.
#[derive(Debug, Default)]
struct Files {
    files: HashMap<PathBuf, FileRefs>,
    /// Kept in step with `files`; readers get a cheap snapshot (copy-on-write while one is
    /// held).
    uses: Arc<Uses>,
}

impl Files {
    fn insert(&mut self, path: PathBuf, refs: FileRefs) {
        count(Arc::make_mut(&mut self.uses), &refs, true);
        if let Some(old) = self.files.insert(path, refs) {
            count(Arc::make_mut(&mut self.uses), &old, false);
        }
    }

    fn remove(&mut self, path: &Path) -> bool {
        match self.files.remove(path) {
            Some(old) => {
                count(Arc::make_mut(&mut self.uses), &old, false);
                true
            }
            None => false,
        }
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

#[derive(Debug)]
pub struct WorkspaceIndex {
    files: RwLock<Files>,
    /// Bumped on every change, so that waiters (the workspace diagnostics long poll) wake up.
    changes: tokio::sync::watch::Sender<u64>,
    /// Full re-index runs: at most one at a time; a request while one runs makes it run again.
    runs: super::runs::Runs,
}

impl Default for WorkspaceIndex {
    fn default() -> Self {
        WorkspaceIndex { files: RwLock::default(), changes: tokio::sync::watch::channel(0).0, runs: Default::default() }
    }
}

impl WorkspaceIndex {
    fn write(&self) -> std::sync::RwLockWriteGuard<'_, Files> {
        self.files.write().unwrap_or_else(|e| e.into_inner())
    }

    fn read(&self) -> std::sync::RwLockReadGuard<'_, Files> {
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
                if !files.remove(path) {
                    return;
                }
            } else if files.files.get(path) == Some(&refs) {
                return;
            } else {
                files.insert(path.to_path_buf(), refs);
            }
        }
        self.changed();
    }

    pub fn remove(&self, path: &Path) {
        if self.write().remove(path) {
            self.changed();
        }
    }

    /// Forgets every file under `root` (a workspace folder that was removed) except those
    /// under one of `keep` (folders still open, which may be nested in it).
    pub fn remove_under(&self, root: &Path, keep: &[PathBuf]) {
        let mut files = self.write();
        let gone: Vec<PathBuf> = files
            .files
            .keys()
            .filter(|path| path.starts_with(root) && !keep.iter().any(|k| path.starts_with(k)))
            .cloned()
            .collect();
        for path in gone {
            files.remove(&path);
        }
        drop(files);
        self.changed();
    }

    /// Replaces the whole index with the result of a full run.
    pub fn replace_all(&self, found: HashMap<PathBuf, FileRefs>) {
        let mut files = Files::default();
        for (path, refs) in found {
            files.insert(path, refs);
        }
        *self.write() = files;
        self.changed();
    }

    /// How many references each used code has in the workspace (for ranking completions).
    /// A snapshot: O(1), not affected by later updates.
    pub fn uses(&self) -> Arc<Uses> {
        self.read().uses.clone()
    }

    /// A counter that changes whenever the index does, and a way to wait for that.
    pub fn subscribe(&self) -> tokio::sync::watch::Receiver<u64> {
        self.changes.subscribe()
    }

    /// Every reference to `code`, sorted by path and position.
    pub fn references(&self, code: &str) -> Vec<(PathBuf, Reference)> {
        let files = self.read();
        let mut out: Vec<(PathBuf, Reference)> = files
            .files
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
            .files
            .iter()
            .filter(|(_, f)| !f.findings.is_empty())
            .map(|(path, f)| (path.clone(), f.findings.clone()))
            .collect();
        out.sort_by(|a, b| a.0.cmp(&b.0));
        out
    }

    /// How many files hold references or findings.
    pub fn len(&self) -> usize {
        self.read().files.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Asks for a full re-index. Returns true when the caller must start a runner; false when
    /// one is running already (it will run once more).
    pub fn request_run(&self) -> bool {
        self.runs.request()
    }

    /// A runner starts a pass: requests made from now on need another pass.
    pub fn start_pass(&self) {
        self.runs.start_pass()
    }

    /// A runner finished a pass: returns true when it must run again, else it stops.
    pub fn finish_pass(&self) -> bool {
        self.runs.finish_pass()
    }

    /// Whether a full re-index is under way.
    pub fn is_indexing(&self) -> bool {
        self.runs.is_running()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use errcode_core::index::LinePos;

    fn refs(codes: &[&str]) -> FileRefs {
        let pos = LinePos { line: 0, utf8: (0, 1), utf16: (0, 1), chars: (0, 1) };
        let refs = codes.iter().map(|c| Reference { code: Arc::from(*c), pos }).collect();
        FileRefs { refs, findings: Vec::new() }
    }

    fn uses(index: &WorkspaceIndex) -> Vec<(String, u32)> {
        let mut out: Vec<(String, u32)> = index.uses().iter().map(|(c, n)| (c.to_string(), *n)).collect();
        out.sort();
        out
    }

    #[test]
    fn use_counts_follow_updates_removals_and_full_runs() {
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
        // A removed folder takes its files' uses along, except a nested folder still open.
        index.update(Path::new("/other/x.ts"), refs(&["A_B"]));
        index.update(Path::new("/w/old.ts"), refs(&["C_D"]));
        index.update(Path::new("/w/kept/k.ts"), refs(&["G_H"]));
        index.remove_under(Path::new("/w"), &[PathBuf::from("/w/kept")]);
        assert_eq!(uses(&index), [("A_B".into(), 1), ("G_H".into(), 1)]);
        // A full run replaces everything.
        index.replace_all(HashMap::from([(PathBuf::from("/w/new.ts"), refs(&["E_F", "A_B"]))]));
        assert_eq!(uses(&index), [("A_B".into(), 1), ("E_F".into(), 1)]);
    }
}
