//! from_proto / to_proto: LSP positions (UTF-8 or UTF-16 columns) <-> byte offsets in a rope,
//! and document URIs -> local paths.
//!
//! Architecture Invariant: this is the only place that knows how LSP counts columns; the
//! arithmetic itself (with its clamping rules) is the core's `text::rope`. Only `file:` URIs
//! name local files ([`local_path`]).

use std::path::PathBuf;

use ropey::Rope;

use errcode_core::text::{rope, LineCol, Unit};
use tower_lsp_server::ls_types::{Position, Range, Uri};

/// The local file a URI names: only a `file:` URI (on this machine: no host but `localhost`)
/// with an absolute path. Any other scheme (`untitled:`, `http:`, a virtual file system's) is
/// a document that lives in the editor only, never a path on disk: `Uri::to_file_path` would
/// take `http://h/x.ts` for `/x.ts`, and `untitled:Untitled-1` for a file in the working
/// directory. Percent-escapes are decoded to bytes, so a name that is not UTF-8 stays itself.
pub fn local_path(uri: &Uri) -> Option<PathBuf> {
    if !uri.scheme().as_str().eq_ignore_ascii_case("file") {
        return None;
    }
    let host = uri.authority().map(|a| a.host().to_string()).unwrap_or_default();
    if !(host.is_empty() || host.eq_ignore_ascii_case("localhost")) {
        return None;
    }
    let bytes = uri.path().decode().to_bytes().into_owned();
    #[cfg(unix)]
    let path = PathBuf::from(<std::ffi::OsString as std::os::unix::ffi::OsStringExt>::from_vec(bytes));
    #[cfg(not(unix))]
    let path = {
        // `file:///C:/dir` names `C:/dir`.
        let s = String::from_utf8(bytes).ok()?;
        PathBuf::from(if s.as_bytes().get(2) == Some(&b':') { &s[1..] } else { s.as_str() })
    };
    path.is_absolute().then_some(path)
}

/// The negotiated position encoding.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Encoding {
    Utf8,
    #[default]
    Utf16,
}

impl Encoding {
    /// The unit the core counts columns in.
    pub fn unit(self) -> Unit {
        match self {
            Encoding::Utf8 => Unit::Utf8,
            Encoding::Utf16 => Unit::Utf16,
        }
    }
}

/// An LSP position as the core's line and column.
pub fn line_col(pos: Position) -> LineCol {
    LineCol { line: pos.line as usize, col: pos.character as usize }
}

fn to_position(p: LineCol) -> Position {
    Position { line: p.line as u32, character: p.col as u32 }
}

/// The byte offset of `pos`, clamped into the document.
pub fn offset(rope: &Rope, pos: Position, enc: Encoding) -> usize {
    rope::offset(rope, line_col(pos), enc.unit())
}

/// The LSP position of byte `offset` (clamped into the document, snapped to a char start).
pub fn position(rope: &Rope, offset: usize, enc: Encoding) -> Position {
    to_position(rope::position(rope, offset, enc.unit()))
}

/// Positions of non-decreasing byte offsets of `text`, in one forward pass.
pub fn positions_forward(text: &str, offsets: &[usize], enc: Encoding) -> Vec<Position> {
    errcode_core::text::positions_forward(text, offsets, enc.unit()).into_iter().map(to_position).collect()
}

pub fn range(rope: &Rope, start: usize, end: usize, enc: Encoding) -> Range {
    Range { start: position(rope, start, enc), end: position(rope, end, enc) }
}

/// The byte range of an LSP range, ordered and clamped.
pub fn byte_range(rope: &Rope, range: Range, enc: Encoding) -> (usize, usize) {
    let a = offset(rope, range.start, enc);
    let b = offset(rope, range.end, enc);
    (a.min(b), a.max(b))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pos(line: u32, character: u32) -> Position {
        Position { line, character }
    }

    #[test]
    fn positions_follow_the_negotiated_encoding() {
        let rope = Rope::from_str("a😀b\nx");
        assert_eq!(offset(&rope, pos(0, 3), Encoding::Utf16), 5);
        assert_eq!(offset(&rope, pos(0, 5), Encoding::Utf8), 5);
        assert_eq!(position(&rope, 5, Encoding::Utf16), pos(0, 3));
        assert_eq!(position(&rope, 5, Encoding::Utf8), pos(0, 5));
        assert_eq!(byte_range(&rope, Range::new(pos(1, 1), pos(0, 1)), Encoding::Utf16), (1, 8));
        assert_eq!(positions_forward("a😀b\nx", &[5, 8], Encoding::Utf16), [pos(0, 3), pos(1, 1)]);
    }
}
