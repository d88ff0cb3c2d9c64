//! The fallback scanner for unknown languages: quoted strings on one line, nothing else.
//! An unterminated `"` string ends at its line end; an unterminated `'` is ignored (it is most
//! likely an apostrophe in prose).

use super::{Span, SpanKind};

/// Finds `"..."` and `'...'` strings that open and close on the same line; a backslash escapes
/// the next byte. A `'` between two letters is an apostrophe in prose (`don't`), not a quote.
pub fn scan(text: &str) -> Vec<Span> {
    let bytes = text.as_bytes();
    let mut spans = super::spans_for(bytes);
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        let apostrophe = b == b'\''
            && i > 0
            && bytes[i - 1].is_ascii_alphabetic()
            && bytes.get(i + 1).is_some_and(|c| c.is_ascii_alphabetic());
        if (b == b'"' || b == b'\'') && !apostrophe {
            let start = i + 1;
            let mut j = start;
            while j < bytes.len() && bytes[j] != b && bytes[j] != b'\n' {
                if bytes[j] == b'\\' && j + 1 < bytes.len() && bytes[j + 1] != b'\n' {
                    j += 1;
                }
                j += 1;
            }
            if j < bytes.len() && bytes[j] == b {
                spans.push(Span { kind: SpanKind::Literal, start, end: j });
                i = j + 1;
                continue;
            }
            if b == b'"' {
                // An unterminated double-quoted string (being typed) ends at the line end.
                spans.push(Span { kind: SpanKind::Literal, start, end: super::trim_cr(bytes, start, j) });
            }
            i = j;
            continue;
        }
        i += 1;
    }
    spans
}
