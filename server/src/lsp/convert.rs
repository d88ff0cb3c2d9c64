//! from_proto / to_proto: LSP positions (UTF-8 or UTF-16 columns) <-> byte offsets in a rope.
//!
//! Architecture Invariant: this is the only place that knows how LSP counts columns. Positions
//! past the end of a line are clamped to the line's end; lines past the end of the document
//! are clamped to the document's end.

use ropey::Rope;

use crate::text::Unit;
use tower_lsp_server::ls_types::{Position, Range};

/// The negotiated position encoding.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Encoding {
    Utf8,
    #[default]
    Utf16,
}

/// The byte length of `line` without its line terminator.
fn line_len_bytes(rope: &Rope, line: usize) -> usize {
    let slice = rope.line(line);
    let mut len = slice.len_bytes();
    let bytes = slice.bytes_at(len);
    let mut rev = bytes.reversed();
    if let Some(b'\n') = rev.next() {
        len -= 1;
        if let Some(b'\r') = rev.next() {
            len -= 1;
        }
    } else if slice.len_bytes() > 0 && slice.byte(slice.len_bytes() - 1) == b'\r' {
        len -= 1;
    }
    len
}

/// The byte offset of `pos`, clamped into the document.
pub fn offset(rope: &Rope, pos: Position, enc: Encoding) -> usize {
    let line = pos.line as usize;
    if line >= rope.len_lines() {
        return rope.len_bytes();
    }
    let line_start = rope.line_to_byte(line);
    let len = line_len_bytes(rope, line);
    let col = pos.character as usize;
    match enc {
        Encoding::Utf8 => {
            // A column inside a character snaps back to the character's start.
            let ch = rope.byte_to_char(line_start + col.min(len));
            rope.char_to_byte(ch)
        }
        Encoding::Utf16 => {
            let slice = rope.byte_slice(line_start..line_start + len);
            let units = col.min(slice.len_utf16_cu());
            let ch = slice.utf16_cu_to_char(units);
            line_start + slice.char_to_byte(ch)
        }
    }
}

/// The LSP position of byte `offset` (clamped into the document, snapped to a char start).
pub fn position(rope: &Rope, offset: usize, enc: Encoding) -> Position {
    let offset = offset.min(rope.len_bytes());
    let ch = rope.byte_to_char(offset);
    let line = rope.char_to_line(ch);
    let line_char = rope.line_to_char(line);
    let col = match enc {
        Encoding::Utf8 => rope.char_to_byte(ch) - rope.line_to_byte(line),
        Encoding::Utf16 => rope.char_to_utf16_cu(ch) - rope.char_to_utf16_cu(line_char),
    };
    Position { line: line as u32, character: col as u32 }
}

/// Positions of non-decreasing byte offsets of `text`, in one forward pass.
pub fn positions_forward(text: &str, offsets: &[usize], enc: Encoding) -> Vec<Position> {
    let unit = match enc {
        Encoding::Utf8 => Unit::Utf8,
        Encoding::Utf16 => Unit::Utf16,
    };
    crate::text::positions_forward(text, offsets, unit)
        .into_iter()
        .map(|p| Position { line: p.line as u32, character: p.col as u32 })
        .collect()
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
    fn utf16_counts_emoji_as_two_units() {
        let rope = Rope::from_str("a😀b\n");
        assert_eq!(offset(&rope, pos(0, 1), Encoding::Utf16), 1);
        assert_eq!(offset(&rope, pos(0, 3), Encoding::Utf16), 5);
        assert_eq!(position(&rope, 5, Encoding::Utf16), pos(0, 3));
        assert_eq!(position(&rope, 5, Encoding::Utf8), pos(0, 5));
    }

    #[test]
    fn a_column_inside_a_surrogate_pair_snaps_to_the_char_start() {
        let rope = Rope::from_str("😀x");
        assert_eq!(offset(&rope, pos(0, 1), Encoding::Utf16), 0);
    }

    #[test]
    fn utf8_column_inside_a_char_snaps_back() {
        let rope = Rope::from_str("中文");
        assert_eq!(offset(&rope, pos(0, 4), Encoding::Utf8), 3);
        assert_eq!(offset(&rope, pos(0, 3), Encoding::Utf8), 3);
        assert_eq!(position(&rope, 3, Encoding::Utf16), pos(0, 1));
    }

    #[test]
    fn columns_past_the_end_clamp_to_the_line_end_before_crlf() {
        let rope = Rope::from_str("ab\r\ncd\n");
        assert_eq!(offset(&rope, pos(0, 99), Encoding::Utf16), 2);
        assert_eq!(offset(&rope, pos(0, 99), Encoding::Utf8), 2);
        assert_eq!(offset(&rope, pos(1, 1), Encoding::Utf16), 5);
        assert_eq!(position(&rope, 5, Encoding::Utf16), pos(1, 1));
    }

    #[test]
    fn lines_past_the_end_clamp_to_the_document_end() {
        let rope = Rope::from_str("ab\n");
        assert_eq!(offset(&rope, pos(7, 0), Encoding::Utf16), 3);
        assert_eq!(offset(&rope, pos(1, 5), Encoding::Utf16), 3);
        let empty = Rope::from_str("");
        assert_eq!(offset(&empty, pos(0, 3), Encoding::Utf16), 0);
        assert_eq!(position(&empty, 10, Encoding::Utf16), pos(0, 0));
    }

    #[test]
    fn empty_lines_and_trailing_newline() {
        let rope = Rope::from_str("\n\nx\n");
        assert_eq!(offset(&rope, pos(1, 0), Encoding::Utf16), 1);
        assert_eq!(offset(&rope, pos(2, 1), Encoding::Utf16), 3);
        assert_eq!(position(&rope, 4, Encoding::Utf16), pos(3, 0));
    }

    #[test]
    fn forward_positions_match_rope_positions() {
        let text = "héllo 中文\r\n😀 \"EXCEED_RATELIMIT\"\n\nold\rmac 👍🏽\r\n";
        let rope = Rope::from_str(text);
        let offsets: Vec<usize> = text.char_indices().map(|(i, _)| i).chain([text.len()]).collect();
        for enc in [Encoding::Utf8, Encoding::Utf16] {
            let forward = positions_forward(text, &offsets, enc);
            for (i, p) in offsets.iter().zip(forward) {
                if *i > 0 && text.as_bytes()[i - 1] == b'\r' && text.as_bytes().get(*i) == Some(&b'\n') {
                    continue;
                }
                assert_eq!(p, position(&rope, *i, enc), "{enc:?} at byte {i}");
            }
        }
    }

    #[test]
    fn round_trip_at_every_char_boundary() {
        let text = "héllo 中文\r\n😀 \"EXCEED_RATELIMIT\"\n\nend👍🏽";
        let rope = Rope::from_str(text);
        for enc in [Encoding::Utf8, Encoding::Utf16] {
            for (i, _) in text.char_indices().chain(std::iter::once((text.len(), ' '))) {
                // The position between `\r` and `\n` is not addressable in LSP.
                if i > 0 && text.as_bytes()[i - 1] == b'\r' {
                    continue;
                }
                let p = position(&rope, i, enc);
                assert_eq!(offset(&rope, p, enc), i, "{enc:?} at byte {i} ({p:?})");
            }
        }
    }
}
