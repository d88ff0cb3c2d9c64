//! Writing fixed text back to a file as carefully as an editor saves: atomically (a temporary
//! file with a random name, created exclusively in the same folder, renamed over the file),
//! keeping owner, group and mode, never outside the project, and never over a change made
//! since the file was read.
//!
//! Refused (the caller reports them as failures): a symlink whose target lies outside the
//! project, a read-only file, a hard-linked file (rewriting would split its links), anything
//! that is not a regular file. Skipped: a file that changed after it was read.

use std::io::Write;
use std::path::{Path, PathBuf};

/// Why a file was not written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum NotWritten {
    /// Left alone on purpose (the file changed since it was read): nothing is wrong, run again.
    Skipped(String),
    /// Refused or failed: the fixes are not applied and the run must fail.
    Failed(String),
}

impl std::fmt::Display for NotWritten {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            NotWritten::Skipped(why) | NotWritten::Failed(why) => f.write_str(why),
        }
    }
}

/// Where a write went: `path` itself, or for a symlink the file it resolves to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Written {
    pub target: PathBuf,
    /// `path` is a symlink; the fixed text was written to `target`.
    pub through_symlink: bool,
}

/// The identity (device and inode) in `meta`, to tell whether two paths are the same file;
/// `None` where the platform has none.
#[cfg(unix)]
pub fn identity_of(meta: &std::fs::Metadata) -> Option<(u64, u64)> {
    use std::os::unix::fs::MetadataExt;
    Some((meta.dev(), meta.ino()))
}

#[cfg(not(unix))]
pub fn identity_of(meta: &std::fs::Metadata) -> Option<(u64, u64)> {
    let _ = meta;
    None
}

/// Replaces the contents of `path` (inside the project at `root`), which were `original` when
/// read, with `contents`.
pub fn replace_file(path: &Path, root: &Path, original: &str, contents: &str) -> Result<Written, NotWritten> {
    let failed = |why: String| NotWritten::Failed(why);
    let link = std::fs::symlink_metadata(path).map_err(|e| failed(format!("cannot read its metadata: {e}")))?;
    let through_symlink = link.file_type().is_symlink();
    let target = if through_symlink {
        let target = path.canonicalize().map_err(|e| failed(format!("cannot resolve the symlink: {e}")))?;
        let root = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
        if !target.starts_with(&root) {
            return Err(failed(format!(
                "is a symlink to {}, outside the project ({}): not written",
                target.display(),
                root.display()
            )));
        }
        target
    } else {
        path.to_path_buf()
    };
    let meta = std::fs::metadata(&target).map_err(|e| failed(format!("cannot read its metadata: {e}")))?;
    if !meta.is_file() {
        return Err(failed("is not a regular file: not written".to_string()));
    }
    if meta.permissions().readonly() {
        return Err(failed("is read-only: not written".to_string()));
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        if meta.nlink() > 1 {
            return Err(failed(format!("has {} hard links: rewriting it would split them, not written", meta.nlink())));
        }
    }
    // Can this user write it at all? (Opening for writing changes nothing.)
    std::fs::OpenOptions::new().write(true).open(&target).map_err(|e| failed(format!("cannot be written: {e}")))?;

    let dir = target.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    // A random name, created with O_EXCL (never follows or reuses what is there), same folder.
    let mut tmp = tempfile::Builder::new()
        .prefix(".errcode-fix.")
        .tempfile_in(dir)
        .map_err(|e| failed(format!("cannot create a temporary file in {}: {e}", dir.display())))?;
    let file = tmp.as_file_mut();
    file.write_all(contents.as_bytes())
        .and_then(|()| file.set_permissions(meta.permissions()))
        .map_err(|e| failed(format!("cannot write the temporary file: {e}")))?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        let same = {
            let tmp_meta = file.metadata().map_err(|e| failed(format!("cannot read the temporary file: {e}")))?;
            (tmp_meta.uid(), tmp_meta.gid()) == (meta.uid(), meta.gid())
        };
        if !same {
            std::os::unix::fs::fchown(&*file, Some(meta.uid()), Some(meta.gid()))
                .map_err(|e| failed(format!("cannot keep its owner and group: {e}")))?;
            // chown clears the set-user/group-id bits: put the mode back.
            file.set_permissions(meta.permissions()).map_err(|e| failed(format!("cannot keep its mode: {e}")))?;
        }
    }
    file.sync_all().map_err(|e| failed(format!("cannot write the temporary file: {e}")))?;

    // Still what was read? Otherwise someone changed it meanwhile: keep their version.
    let now = std::fs::read(&target).map_err(|e| failed(format!("cannot read it again: {e}")))?;
    if now != original.as_bytes() {
        return Err(NotWritten::Skipped("changed since it was read: not written, run again".to_string()));
    }
    let still = std::fs::metadata(&target).map_err(|e| failed(format!("cannot read its metadata: {e}")))?;
    if !same_file(&meta, &still) {
        return Err(NotWritten::Skipped("changed since it was read: not written, run again".to_string()));
    }
    tmp.persist(&target).map_err(|e| failed(format!("cannot replace it: {}", e.error)))?;
    Ok(Written { target, through_symlink })
}

#[cfg(unix)]
fn same_file(a: &std::fs::Metadata, b: &std::fs::Metadata) -> bool {
    use std::os::unix::fs::MetadataExt;
    (a.dev(), a.ino(), a.size(), a.mtime(), a.mtime_nsec()) == (b.dev(), b.ino(), b.size(), b.mtime(), b.mtime_nsec())
}

#[cfg(not(unix))]
fn same_file(a: &std::fs::Metadata, b: &std::fs::Metadata) -> bool {
    (a.len(), a.modified().ok()) == (b.len(), b.modified().ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replaces_and_keeps_the_mode() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.ts");
        std::fs::write(&path, "old").unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o640)).unwrap();
        }
        let written = replace_file(&path, dir.path(), "old", "new").unwrap();
        assert!(!written.through_symlink);
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "new");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            assert_eq!(std::fs::metadata(&path).unwrap().permissions().mode() & 0o7777, 0o640);
        }
        let left: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
        assert_eq!(left.len(), 1, "no temporary file left behind");
    }

    #[cfg(unix)]
    #[test]
    fn a_symlink_is_written_through_inside_the_project_and_refused_outside() {
        let dir = tempfile::tempdir().unwrap();
        let project = dir.path().join("project");
        std::fs::create_dir(&project).unwrap();
        std::fs::write(project.join("real.ts"), "old").unwrap();
        std::os::unix::fs::symlink("real.ts", project.join("link.ts")).unwrap();
        let written = replace_file(&project.join("link.ts"), &project, "old", "new").unwrap();
        assert!(written.through_symlink);
        assert_eq!(std::fs::read_to_string(project.join("real.ts")).unwrap(), "new");
        assert!(std::fs::symlink_metadata(project.join("link.ts")).unwrap().file_type().is_symlink());
        std::fs::write(dir.path().join("outside.ts"), "old").unwrap();
        std::os::unix::fs::symlink("../outside.ts", project.join("out.ts")).unwrap();
        let err = replace_file(&project.join("out.ts"), &project, "old", "new").unwrap_err();
        assert!(matches!(&err, NotWritten::Failed(why) if why.contains("outside the project")), "{err:?}");
        assert_eq!(std::fs::read_to_string(dir.path().join("outside.ts")).unwrap(), "old");
    }

    #[test]
    fn a_file_changed_since_it_was_read_is_skipped() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.ts");
        std::fs::write(&path, "newer").unwrap();
        let err = replace_file(&path, dir.path(), "old", "fixed").unwrap_err();
        assert!(matches!(err, NotWritten::Skipped(_)), "{err:?}");
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "newer");
    }
}
