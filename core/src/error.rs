//! The error type for bad user input files (config and catalogs): names the file, line and problem.

use std::fmt;
use std::path::{Path, PathBuf};

/// A problem in a file the user wrote, located as precisely as the parser allows.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FileError {
    pub path: PathBuf,
    /// 1-based line, when known.
    pub line: Option<usize>,
    /// 1-based column (in characters), when known.
    pub column: Option<usize>,
    pub message: String,
}

impl FileError {
    pub fn new(path: &Path, message: impl Into<String>) -> FileError {
        FileError { path: path.to_path_buf(), line: None, column: None, message: message.into() }
    }

    /// Locates the error at byte `offset` of `text` (the file's contents).
    pub fn at_offset(path: &Path, text: &str, offset: usize, message: impl Into<String>) -> FileError {
        let at = crate::text::LineIndex::new(text).pos(text, offset.min(text.len()), crate::text::Unit::Chars);
        FileError {
            path: path.to_path_buf(),
            line: Some(at.line + 1),
            column: Some(at.col + 1),
            message: message.into(),
        }
    }

    pub fn at_line(path: &Path, line: usize, column: usize, message: impl Into<String>) -> FileError {
        FileError { path: path.to_path_buf(), line: Some(line), column: Some(column), message: message.into() }
    }
}

impl fmt::Display for FileError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.path.display())?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
            if let Some(col) = self.column {
                write!(f, ":{col}")?;
            }
        }
        write!(f, ": {}", self.message)
    }
}

impl std::error::Error for FileError {}

/// The largest char boundary at or below `offset`.
pub fn floor_char_boundary(text: &str, mut offset: usize) -> usize {
    if offset >= text.len() {
        return text.len();
    }
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}
