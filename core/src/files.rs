//! Reading the files a project names (config and catalog files): regular files only, of a
//! bounded size, and, for files a workspace names, inside it. A symlink to `/proc/self/pagemap`
//! or a FIFO committed as `errcode.toml` must give a clear error, not hang or exhaust memory.

use std::io::Read;
use std::path::Path;

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
}
