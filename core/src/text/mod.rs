//! Line and column arithmetic over plain text: byte offsets to lines and columns.
//!
//! The core works in UTF-8 byte offsets; this module turns them into what people and protocols
//! read. Line breaks are `\n`, `\r\n` and a lone `\r`, as LSP (and ropey with `cr_lines`) count
//! them, so the CLI and the server agree on line numbers.

pub mod markdown;
pub mod rope;

/// The unit columns are counted in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Unit {
    /// UTF-8 bytes.
    Utf8,
    /// UTF-16 code units (LSP's default).
    Utf16,
    /// Unicode scalar values (what the CLI prints).
    Chars,
}

impl Unit {
    /// The width of `s` in this unit.
    pub fn width(self, s: &str) -> usize {
        match self {
            Unit::Utf8 => s.len(),
            Unit::Utf16 => s.encode_utf16().count(),
            Unit::Chars => s.chars().count(),
        }
    }
}

/// A 0-based line and a 0-based column counted in some unit.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LineCol {
    pub line: usize,
    pub col: usize,
}

/// The end of the line break starting at `at` (`\r\n` is one break).
fn break_end(bytes: &[u8], at: usize) -> usize {
    if bytes[at] == b'\r' && bytes.get(at + 1) == Some(&b'\n') {
        at + 2
    } else {
        at + 1
    }
}

/// The start offset of every line of a text.
#[derive(Clone, Debug)]
pub struct LineIndex {
    starts: Vec<usize>,
}

impl LineIndex {
    pub fn new(text: &str) -> LineIndex {
        let bytes = text.as_bytes();
        let mut starts = vec![0];
        let mut pos = 0;
        while let Some(i) = memchr::memchr2(b'\n', b'\r', &bytes[pos..]) {
            pos = break_end(bytes, pos + i);
            starts.push(pos);
        }
        LineIndex { starts }
    }

    /// The 0-based line holding byte `offset`.
    pub fn line_of(&self, offset: usize) -> usize {
        self.starts.partition_point(|&s| s <= offset) - 1
    }

    /// The byte range of line `line` without its line break.
    pub fn line_range(&self, text: &str, line: usize) -> std::ops::Range<usize> {
        let start = self.starts.get(line).copied().unwrap_or(text.len());
        let mut end = self.starts.get(line + 1).copied().unwrap_or(text.len());
        let bytes = text.as_bytes();
        while end > start && matches!(bytes[end - 1], b'\n' | b'\r') && self.starts.get(line + 1).is_some() {
            end -= 1;
        }
        start..end
    }

    pub fn line_count(&self) -> usize {
        self.starts.len()
    }

    /// 0-based line and 0-based column in `unit` of byte `offset`.
    pub fn pos(&self, text: &str, offset: usize, unit: Unit) -> LineCol {
        let offset = crate::error::floor_char_boundary(text, offset);
        let line = self.line_of(offset);
        LineCol { line, col: unit.width(&text[self.starts[line]..offset]) }
    }
}

/// The line and column of each of `offsets` (which must not decrease), in one forward pass
/// over the text: linear in the text length whatever the number of offsets.
pub fn positions_forward(text: &str, offsets: &[usize], unit: Unit) -> Vec<LineCol> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(offsets.len());
    // The scan position, its line, and its column on that line.
    let (mut pos, mut line, mut col) = (0usize, 0usize, 0usize);
    for &offset in offsets {
        let offset = crate::error::floor_char_boundary(text, offset.max(pos));
        let gap = &bytes[pos..offset];
        // Usual case, no `\r` about: count the `\n`s in bulk (SIMD) instead of one search per line.
        if memchr::memchr(b'\r', gap).is_none() && (pos == 0 || bytes[pos - 1] != b'\r') {
            if let Some(last) = memchr::memrchr(b'\n', gap) {
                line += memchr::memchr_iter(b'\n', gap).count();
                pos += last + 1;
                col = 0;
            }
        }
        // Cross the line breaks that end before `offset`.
        while let Some(i) = memchr::memchr2(b'\n', b'\r', &bytes[pos..offset]) {
            let next = break_end(bytes, pos + i);
            if next > offset {
                // `offset` sits between `\r` and `\n`: still on this line.
                break;
            }
            line += 1;
            pos = next;
            col = 0;
        }
        col += unit.width(&text[pos..offset]);
        pos = offset;
        out.push(LineCol { line, col });
    }
    out
}

/// The byte order mark a file may start with (U+FEFF, three bytes in UTF-8). Editors do not
/// show it or count it: VS Code drops it when it reads a file, so an open document has none.
pub const BOM: char = '\u{feff}';

/// Like [`positions_forward`], for the text of a file as read from disk: a leading byte order
/// mark is not a column of the first line, so the columns are those an editor shows (and the
/// ones the language server gives for the open document).
pub fn file_positions_forward(text: &str, offsets: &[usize], unit: Unit) -> Vec<LineCol> {
    let mut positions = positions_forward(text, offsets, unit);
    if text.starts_with(BOM) {
        let width = unit.width("\u{feff}");
        for p in positions.iter_mut().filter(|p| p.line == 0) {
            p.col = p.col.saturating_sub(width);
        }
    }
    positions
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_files_byte_order_mark_is_no_column() {
        let text = "\u{feff}ab\ncd";
        for unit in [Unit::Utf8, Unit::Utf16, Unit::Chars] {
            let cols: Vec<(usize, usize)> =
                file_positions_forward(text, &[0, 3, 4, 6, 7], unit).iter().map(|p| (p.line, p.col)).collect();
            assert_eq!(cols, [(0, 0), (0, 0), (0, 1), (1, 0), (1, 1)], "{unit:?}");
        }
        assert_eq!(file_positions_forward("ab", &[1], Unit::Chars), positions_forward("ab", &[1], Unit::Chars));
    }

    #[test]
    fn line_breaks_are_lf_crlf_and_lone_cr() {
        let text = "a\nb\r\nc\rd";
        let index = LineIndex::new(text);
        assert_eq!(index.line_count(), 4);
        let lines: Vec<&str> = (0..4).map(|l| &text[index.line_range(text, l)]).collect();
        assert_eq!(lines, ["a", "b", "c", "d"]);
        assert_eq!(index.pos(text, 7, Unit::Chars), LineCol { line: 3, col: 0 });
    }

    #[test]
    fn forward_positions_match_the_index() {
        let text = "héllo 中文\r\n😀 \"X_Y\"\n\nold\rmac 👍🏽\r\n";
        let index = LineIndex::new(text);
        let offsets: Vec<usize> = text.char_indices().map(|(i, _)| i).chain([text.len()]).collect();
        for unit in [Unit::Utf8, Unit::Utf16, Unit::Chars] {
            let forward = positions_forward(text, &offsets, unit);
            for (&offset, got) in offsets.iter().zip(forward) {
                if offset > 0 && text.as_bytes()[offset - 1] == b'\r' && text.as_bytes().get(offset) == Some(&b'\n') {
                    continue;
                }
                assert_eq!(got, index.pos(text, offset, unit), "{unit:?} at {offset}");
            }
        }
    }
}
