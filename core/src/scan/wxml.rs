//! The WXML scanner (WeChat mini-program templates).
//!
//! WXML is XML-like markup whose text and attribute values are plain text, not literals: only
//! the expressions inside `{{ }}` are code (JavaScript-like; their quoted strings are literals),
//! in text (`<text>{{ msg }}</text>`) and in attribute values (`wx:if="{{ e.code === 'X' }}"`,
//! `class="item {{ on ? 'active' : '' }}"`). An expression ends at the first `}}` (as in the
//! WXML compiler), and one inside an attribute value also at the value's closing quote. Inline
//! `<wxs module="m"> ... </wxs>` blocks are JavaScript; `<!-- -->` are comments. The embedded
//! code is scanned by `code` as the table entry's `code_as` language.

use memchr::{memchr, memmem};

use super::code::{Close, Code};
use super::markup::{find_close_tag, walk_tags, Tag};
use super::{Lang, Span};

pub(super) fn scan(code: Lang, text: &str) -> Vec<Span> {
    let b = text.as_bytes();
    let n = b.len();
    let mut out = super::spans_for(b);
    let brace = |p: usize, out: &mut Vec<Span>| {
        if b.get(p + 1) == Some(&b'{') {
            expression(code, b, p + 2, n, out)
        } else {
            p + 1
        }
    };
    let tag = |tag: Tag<'_>, out: &mut Vec<Span>| {
        let (i, self_closing) = attributes(code, b, tag.after_name, out);
        if !tag.closing && !self_closing && tag.name.eq_ignore_ascii_case(b"wxs") {
            let end = find_close_tag(b, i, b"wxs");
            let mut script = Code::new(code, &b[..end]);
            script.code(i, Close::Eof, 0);
            out.append(&mut script.out);
            end
        } else {
            i
        }
    };
    walk_tags(b, &mut out, brace, tag);
    out
}

/// Scans the expression whose code starts at `start` (after `{{`) up to the first `}}` before
/// `limit`, or up to `limit`; returns the position after the `}}` (or `limit`).
fn expression(code: Lang, b: &[u8], start: usize, limit: usize, out: &mut Vec<Span>) -> usize {
    let start = start.min(limit);
    let (end, resume) = match memmem::find(&b[start..limit], b"}}") {
        Some(k) => (start + k, start + k + 2),
        None => (limit, limit),
    };
    let mut expr = Code::new(code, &b[..end]);
    expr.code(start, Close::Eof, 0);
    out.append(&mut expr.out);
    resume
}

/// Reads the attributes of a tag from `i` to its `>`: expressions in quoted values and bare
/// `{{ }}` are scanned, the rest is skipped. Returns the position after the `>` (or at a `<`
/// that starts before the tag is closed) and whether the tag closes itself (`/>`).
fn attributes(code: Lang, b: &[u8], mut i: usize, out: &mut Vec<Span>) -> (usize, bool) {
    let n = b.len();
    while i < n {
        match b[i] {
            b'>' => return (i + 1, b[i - 1] == b'/'),
            q @ (b'"' | b'\'') => {
                let end = memchr(q, &b[i + 1..]).map_or(n, |k| i + 1 + k);
                let mut j = i + 1;
                while let Some(k) = memmem::find(&b[j..end], b"{{") {
                    j = expression(code, b, j + k + 2, end, out);
                }
                i = (end + 1).min(n);
            }
            b'{' if b.get(i + 1) == Some(&b'{') => i = expression(code, b, i + 2, n, out),
            b'<' => return (i, false),
            _ => i += 1,
        }
    }
    (n, false)
}
