//! Line and column arithmetic over plain text: byte offsets to 1-based lines and columns.
//!
//! The core works in UTF-8 byte offsets; this module turns them into what people read
//! (CLI output). The LSP edge has its own conversions over ropey.

/// The start offset of every line of a text.
#[derive(Clone, Debug)]
pub struct LineIndex {
    starts: Vec<usize>,
}

/// A 0-based line and a column counted in some unit.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LineCol {
    pub line: usize,
    pub col: usize,
}

impl LineIndex {
    pub fn new(text: &str) -> LineIndex {
        let mut starts = vec![0];
        starts.extend(memchr::memchr_iter(b'\n', text.as_bytes()).map(|i| i + 1));
        LineIndex { starts }
    }

    /// The 0-based line holding byte `offset`.
    pub fn line_of(&self, offset: usize) -> usize {
        self.starts.partition_point(|&s| s <= offset) - 1
    }

    /// The byte range of line `line` without its line terminator (`\n` or `\r\n`).
    pub fn line_range(&self, text: &str, line: usize) -> std::ops::Range<usize> {
        let start = self.starts.get(line).copied().unwrap_or(text.len());
        let mut end = self.starts.get(line + 1).map_or(text.len(), |s| s - 1);
        if end > start && text.as_bytes().get(end - 1) == Some(&b'\r') {
            end -= 1;
        }
        start..end.max(start)
    }

    pub fn line_count(&self) -> usize {
        self.starts.len()
    }

    /// 0-based line and 0-based column in Unicode scalar values (chars).
    pub fn char_pos(&self, text: &str, offset: usize) -> LineCol {
        let offset = crate::error::floor_char_boundary(text, offset);
        let line = self.line_of(offset);
        let col = text[self.starts[line]..offset].chars().count();
        LineCol { line, col }
    }
}
