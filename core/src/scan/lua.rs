//! The Lua scanner: `'...'` and `"..."` strings, long strings `[[...]]` / `[==[...]==]`, and
//! comments `--`, `--[[ ... ]]`, `--[==[ ... ]==]`.

use super::code::Esc;
use super::{line_end, read_str, trim_cr, Span, SpanKind};

/// If a long bracket `[`, `=`*, `[` opens at `i`, returns its level (number of `=`) and the
/// position after it.
fn long_open(b: &[u8], i: usize) -> Option<(usize, usize)> {
    if b.get(i) != Some(&b'[') {
        return None;
    }
    let mut j = i + 1;
    while b.get(j) == Some(&b'=') {
        j += 1;
    }
    (b.get(j) == Some(&b'[')).then_some((j - i - 1, j + 1))
}

/// Finds the long bracket `]`, `=`*level, `]` that closes a long string or comment whose body
/// starts at `from`; returns the end of the body and the position after the bracket (the text
/// end twice when it is unterminated).
fn long_close(b: &[u8], from: usize, level: usize) -> (usize, usize) {
    let mut j = from;
    while let Some(k) = memchr::memchr(b']', &b[j.min(b.len())..]) {
        let p = j + k;
        let eqs = b[p + 1..].iter().take_while(|&&c| c == b'=').count();
        if eqs == level && b.get(p + 1 + level) == Some(&b']') {
            return (p, p + level + 2);
        }
        j = p + 1;
    }
    (b.len(), b.len())
}

pub fn scan(text: &str) -> Vec<Span> {
    let b = text.as_bytes();
    let n = b.len();
    let mut out = super::spans_for(b);
    let mut i = 0;
    while i < n {
        match b[i] {
            b'-' if b.get(i + 1) == Some(&b'-') => {
                if let Some((level, open)) = long_open(b, i + 2) {
                    let (_, after) = long_close(b, open, level);
                    out.push(Span { kind: SpanKind::Comment, start: i, end: after });
                    i = after;
                } else {
                    let le = line_end(b, i);
                    out.push(Span { kind: SpanKind::Comment, start: i, end: trim_cr(b, i, le) });
                    i = le;
                }
            }
            b'[' => {
                if let Some((level, open)) = long_open(b, i) {
                    let (end, after) = long_close(b, open, level);
                    out.push(Span { kind: SpanKind::Literal, start: open, end });
                    i = after;
                } else {
                    i += 1;
                }
            }
            q @ (b'"' | b'\'') => {
                let (end, after) = read_str(b, i + 1, q, 1, Esc::Backslash, false);
                out.push(Span { kind: SpanKind::Literal, start: i + 1, end });
                i = after;
            }
            _ => i += 1,
        }
    }
    out
}
