//! Line/column arithmetic on a rope (a document being edited): the byte offset of a line and
//! column counted in a given unit, the other way round, and applying an edit given that way.
//!
//! Positions past the end of a line are clamped to the line's end (before its line break);
//! lines past the end of the document are clamped to the document's end; a column inside a
//! character snaps back to the character's start.

use ropey::Rope;

use super::{LineCol, Unit};

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

/// The byte offset of `pos` (its column in `unit`), clamped into the document.
pub fn offset(rope: &Rope, pos: LineCol, unit: Unit) -> usize {
    let line = pos.line;
    if line >= rope.len_lines() {
        return rope.len_bytes();
    }
    let line_start = rope.line_to_byte(line);
    let len = line_len_bytes(rope, line);
    let col = pos.col;
    match unit {
        Unit::Utf8 => {
            // A column inside a character snaps back to the character's start.
            let ch = rope.byte_to_char(line_start + col.min(len));
            rope.char_to_byte(ch)
        }
        Unit::Utf16 => {
            let slice = rope.byte_slice(line_start..line_start + len);
            let units = col.min(slice.len_utf16_cu());
            let ch = slice.utf16_cu_to_char(units);
            line_start + slice.char_to_byte(ch)
        }
        Unit::Chars => {
            let slice = rope.byte_slice(line_start..line_start + len);
            line_start + slice.char_to_byte(col.min(slice.len_chars()))
        }
    }
}

/// The line and column (in `unit`) of byte `offset`, clamped into the document and snapped to
/// a character start.
pub fn position(rope: &Rope, offset: usize, unit: Unit) -> LineCol {
    let offset = offset.min(rope.len_bytes());
    let ch = rope.byte_to_char(offset);
    let line = rope.char_to_line(ch);
    let line_char = rope.line_to_char(line);
    let col = match unit {
        Unit::Utf8 => rope.char_to_byte(ch) - rope.line_to_byte(line),
        Unit::Utf16 => rope.char_to_utf16_cu(ch) - rope.char_to_utf16_cu(line_char),
        Unit::Chars => ch - line_char,
    };
    LineCol { line, col }
}

/// Replaces the text between `range` (ordered and clamped; the whole document when `None`)
/// with `text`. Returns the smallest byte offset the edit touched.
pub fn apply(rope: &mut Rope, range: Option<(LineCol, LineCol)>, text: &str, unit: Unit) -> usize {
    match range {
        Some((start, end)) => {
            let (a, b) = (offset(rope, start, unit), offset(rope, end, unit));
            let (start, end) = (a.min(b), a.max(b));
            let (cs, ce) = (rope.byte_to_char(start), rope.byte_to_char(end));
            rope.remove(cs..ce);
            rope.insert(cs, text);
            start
        }
        None => {
            *rope = Rope::from_str(text);
            0
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lc(line: usize, col: usize) -> LineCol {
        LineCol { line, col }
    }

    #[test]
    fn utf16_counts_emoji_as_two_units() {
        let rope = Rope::from_str("a😀b\n");
        assert_eq!(offset(&rope, lc(0, 1), Unit::Utf16), 1);
        assert_eq!(offset(&rope, lc(0, 3), Unit::Utf16), 5);
        assert_eq!(position(&rope, 5, Unit::Utf16), lc(0, 3));
        assert_eq!(position(&rope, 5, Unit::Utf8), lc(0, 5));
        assert_eq!(position(&rope, 5, Unit::Chars), lc(0, 2));
        assert_eq!(offset(&rope, lc(0, 2), Unit::Chars), 5);
    }

    #[test]
    fn a_column_inside_a_surrogate_pair_snaps_to_the_char_start() {
        let rope = Rope::from_str("😀x");
        assert_eq!(offset(&rope, lc(0, 1), Unit::Utf16), 0);
    }

    #[test]
    fn utf8_column_inside_a_char_snaps_back() {
        let rope = Rope::from_str("中文");
        assert_eq!(offset(&rope, lc(0, 4), Unit::Utf8), 3);
        assert_eq!(offset(&rope, lc(0, 3), Unit::Utf8), 3);
        assert_eq!(position(&rope, 3, Unit::Utf16), lc(0, 1));
    }

    #[test]
    fn columns_past_the_end_clamp_to_the_line_end_before_crlf() {
        let rope = Rope::from_str("ab\r\ncd\n");
        for unit in [Unit::Utf8, Unit::Utf16, Unit::Chars] {
            assert_eq!(offset(&rope, lc(0, 99), unit), 2);
        }
        assert_eq!(offset(&rope, lc(1, 1), Unit::Utf16), 5);
        assert_eq!(position(&rope, 5, Unit::Utf16), lc(1, 1));
    }

    #[test]
    fn lines_past_the_end_clamp_to_the_document_end() {
        let rope = Rope::from_str("ab\n");
        assert_eq!(offset(&rope, lc(7, 0), Unit::Utf16), 3);
        assert_eq!(offset(&rope, lc(1, 5), Unit::Utf16), 3);
        let empty = Rope::from_str("");
        assert_eq!(offset(&empty, lc(0, 3), Unit::Utf16), 0);
        assert_eq!(position(&empty, 10, Unit::Utf16), lc(0, 0));
    }

    #[test]
    fn empty_lines_and_trailing_newline() {
        let rope = Rope::from_str("\n\nx\n");
        assert_eq!(offset(&rope, lc(1, 0), Unit::Utf16), 1);
        assert_eq!(offset(&rope, lc(2, 1), Unit::Utf16), 3);
        assert_eq!(position(&rope, 4, Unit::Utf16), lc(3, 0));
    }

    #[test]
    fn forward_positions_match_rope_positions() {
        let text = "héllo 中文\r\n😀 \"EXCEED_RATELIMIT\"\n\nold\rmac 👍🏽\r\n";
        let rope = Rope::from_str(text);
        let offsets: Vec<usize> = text.char_indices().map(|(i, _)| i).chain([text.len()]).collect();
        for unit in [Unit::Utf8, Unit::Utf16, Unit::Chars] {
            let forward = super::super::positions_forward(text, &offsets, unit);
            for (i, p) in offsets.iter().zip(forward) {
                if *i > 0 && text.as_bytes()[i - 1] == b'\r' && text.as_bytes().get(*i) == Some(&b'\n') {
                    continue;
                }
                assert_eq!(p, position(&rope, *i, unit), "{unit:?} at byte {i}");
            }
        }
    }

    #[test]
    fn round_trip_at_every_char_boundary() {
        let text = "héllo 中文\r\n😀 \"EXCEED_RATELIMIT\"\n\nend👍🏽";
        let rope = Rope::from_str(text);
        for unit in [Unit::Utf8, Unit::Utf16, Unit::Chars] {
            for (i, _) in text.char_indices().chain(std::iter::once((text.len(), ' '))) {
                // The position between `\r` and `\n` is not addressable.
                if i > 0 && text.as_bytes()[i - 1] == b'\r' {
                    continue;
                }
                let p = position(&rope, i, unit);
                assert_eq!(offset(&rope, p, unit), i, "{unit:?} at byte {i} ({p:?})");
            }
        }
    }

    #[test]
    fn apply_replaces_a_range_or_everything() {
        let mut rope = Rope::from_str("ab\ncd\n");
        assert_eq!(apply(&mut rope, Some((lc(1, 1), lc(0, 1))), "X", Unit::Utf16), 1);
        assert_eq!(rope.to_string(), "aXd\n");
        assert_eq!(apply(&mut rope, None, "new", Unit::Utf8), 0);
        assert_eq!(rope.to_string(), "new");
    }
}
