//! Reading the files a project names (config and catalog files): regular files only, of a
//! bounded size, and, for files a workspace names, inside it. A symlink to `/proc/self/pagemap`
//! or a FIFO committed as `errcode.toml` must give a clear error, not hang or exhaust memory.
//! And a private folder of our own in a shared place such as `/tmp` (`private_dir`), where
//! anyone may have planted a symlink or a folder first.

use std::io::Read;
use std::path::{Path, PathBuf};

use crate::error::FileError;

/// The largest config file read (`errcode.toml`).
pub const MAX_CONFIG_SIZE: u64 = 4 * 1024 * 1024;
/// The largest catalog file read (a 200,000-code catalog with documentation is about 40 MB).
pub const MAX_CATALOG_SIZE: u64 = 128 * 1024 * 1024;

/// Reads `path` as UTF-8 text. `what` names the kind of file in errors ("config", "catalog");
/// `inside`, when given, is a directory the file must resolve into (after symlinks).
pub fn read_text(path: &Path, what: &str, max: u64, inside: Option<&Path>) -> Result<String, FileError> {
    let err = |message: String| FileError::new(path, message);
    let meta = std::fs::metadata(path).map_err(|e| err(format!("cannot read {what}: {e}")))?;
    if !meta.is_file() {
        return Err(err(format!("cannot read {what}: not a regular file")));
    }
    if let Some(dir) = inside {
        let canonical = path.canonicalize().map_err(|e| err(format!("cannot read {what}: {e}")))?;
        let dir = dir.canonicalize().unwrap_or_else(|_| dir.to_path_buf());
        if !canonical.starts_with(&dir) {
            return Err(err(format!(
                "cannot read {what}: it resolves to {}, outside {}",
                canonical.display(),
                dir.display()
            )));
        }
    }
    let too_large = |size: u64| err(format!("cannot read {what}: {size} bytes is more than the limit of {max} bytes"));
    if meta.len() > max {
        return Err(too_large(meta.len()));
    }
    let file = std::fs::File::open(path).map_err(|e| err(format!("cannot read {what}: {e}")))?;
    // The file may have been swapped since the check above.
    if !file.metadata().is_ok_and(|m| m.is_file()) {
        return Err(err(format!("cannot read {what}: not a regular file")));
    }
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    // Files like those of /proc say they are empty and are not: read at most one byte too many.
    file.take(max + 1).read_to_end(&mut bytes).map_err(|e| err(format!("cannot read {what}: {e}")))?;
    if bytes.len() as u64 > max {
        return Err(too_large(bytes.len() as u64));
    }
    String::from_utf8(bytes).map_err(|_| err(format!("cannot read {what}: not UTF-8 text")))
}

/// The folder `name` in the temporary directory, made private: see [`private_dir`]. `name`
/// should be ours alone (it gets our user id appended, so that users do not share it).
pub fn private_temp_dir(name: &str) -> Result<PathBuf, String> {
    let dir = std::env::temp_dir();
    #[cfg(unix)]
    let dir = dir.join(format!("{name}-{}", own_uid()?));
    #[cfg(not(unix))]
    let dir = dir.join(name);
    private_dir(&dir)?;
    Ok(dir)
}

/// Makes `dir` a folder only we can use: creates it (mode 0700) if it does not exist; an
/// existing one must be a real folder (not a symlink), ours, and closed to group and others.
/// Anything else is refused (never repaired: whoever planted it may already have put
/// something inside).
pub fn private_dir(dir: &Path) -> Result<(), String> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::{DirBuilderExt, MetadataExt};
        match std::fs::DirBuilder::new().mode(0o700).create(dir) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {}
            Err(e) => return Err(format!("cannot create {}: {e}", dir.display())),
        }
        let meta = std::fs::symlink_metadata(dir).map_err(|e| format!("cannot use {}: {e}", dir.display()))?;
        let why = if !meta.file_type().is_dir() {
            Some("not a folder (a symlink?)".to_string())
        } else if meta.uid() != own_uid()? {
            Some(format!("owned by user {}, not by us", meta.uid()))
        } else if meta.mode() & 0o077 != 0 {
            Some(format!("open to others (mode {:o})", meta.mode() & 0o777))
        } else {
            None
        };
        match why {
            Some(why) => Err(format!("refusing to use {}: {why}", dir.display())),
            None => Ok(()),
        }
    }
    #[cfg(not(unix))]
    {
        std::fs::create_dir_all(dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))
    }
}

/// The user id the files we create get: the owner of an unnamed temporary file (no `unsafe`
/// call to `geteuid`). Found once.
#[cfg(unix)]
fn own_uid() -> Result<u32, String> {
    use std::os::unix::fs::MetadataExt;
    static UID: std::sync::OnceLock<Result<u32, String>> = std::sync::OnceLock::new();
    UID.get_or_init(|| {
        let probe = tempfile::tempfile().map_err(|e| format!("cannot create a temporary file: {e}"))?;
        probe.metadata().map(|m| m.uid()).map_err(|e| format!("cannot read a temporary file: {e}"))
    })
    .clone()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_special_large_and_outside_files() {
        let dir = tempfile::tempdir().unwrap();
        let ok = dir.path().join("ok.toml");
        std::fs::write(&ok, "a = 1").unwrap();
        assert_eq!(read_text(&ok, "config", 10, Some(dir.path())).unwrap(), "a = 1");
        let e = read_text(&ok, "config", 3, None).unwrap_err();
        assert!(e.message.contains("limit of 3 bytes"), "{e}");
        let e = read_text(dir.path(), "config", 10, None).unwrap_err();
        assert!(e.message.contains("not a regular file"), "{e}");
        #[cfg(unix)]
        {
            let link = dir.path().join("link.toml");
            std::os::unix::fs::symlink("/proc/self/pagemap", &link).unwrap();
            let e = read_text(&link, "config", MAX_CONFIG_SIZE, Some(dir.path())).unwrap_err();
            assert!(e.message.contains("outside"), "{e}");
            // Without the inside check, the size cap still holds for files that say they are empty.
            if Path::new("/proc/self/pagemap").exists() {
                let e = read_text(&link, "config", 1000, None).unwrap_err();
                assert!(e.message.contains("limit") || e.message.contains("cannot read"), "{e}");
            }
        }
    }

    #[cfg(unix)]
    #[test]
    fn private_dirs_are_ours_alone() {
        use std::os::unix::fs::{MetadataExt, PermissionsExt};
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("new");
        private_dir(&dir).unwrap();
        let meta = std::fs::symlink_metadata(&dir).unwrap();
        assert_eq!(meta.mode() & 0o777, 0o700);
        assert_eq!(meta.uid(), own_uid().unwrap());
        // Again: it is ours already.
        private_dir(&dir).unwrap();

        let link = tmp.path().join("link");
        std::os::unix::fs::symlink(&dir, &link).unwrap();
        assert!(private_dir(&link).unwrap_err().contains("not a folder"));
        let open = tmp.path().join("open");
        std::fs::create_dir(&open).unwrap();
        std::fs::set_permissions(&open, std::fs::Permissions::from_mode(0o755)).unwrap();
        assert!(private_dir(&open).unwrap_err().contains("open to others"));
        let file = tmp.path().join("file");
        std::fs::write(&file, "").unwrap();
        assert!(private_dir(&file).is_err());
    }
}
