//! The Vue and Svelte single-file-component scanner: `<script>` blocks are scanned as the
//! language's code language (TypeScript, its `code_as` in the language table), `<style>`
//! blocks are skipped, and in the markup HTML comments are comments, quoted attribute values
//! are literals and template expressions (`{{ ... }}` in Vue, `{ ... }` in Svelte, also as
//! unquoted attribute values) are scanned as code. WXML has its own scanner (`wxml.rs`).

use memchr::{memchr2, memmem};

use super::code::{Close, Code};
use super::{Lang, Span, SpanKind};

/// Which kind of markup a language is (its entry in the language table says).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(in crate::scan) enum Markup {
    /// `{{ }}` expressions.
    Vue,
    /// `{ }` expressions, also as unquoted attribute values.
    Svelte,
    /// WeChat mini-program templates, scanned by `wxml.rs`.
    Wxml,
}

/// Scans a component or template whose embedded code is `code` (a code-scanned language).
pub(super) fn scan(kind: Markup, code: Lang, text: &str) -> Vec<Span> {
    if kind == Markup::Wxml {
        return super::wxml::scan(code, text);
    }
    let b = text.as_bytes();
    let mut out = super::spans_for(b);
    let svelte = kind == Markup::Svelte;
    let brace = |p: usize, out: &mut Vec<Span>| {
        if svelte {
            expression(code, b, p + 1, out)
        } else if b.get(p + 1) == Some(&b'{') {
            expression(code, b, p + 2, out)
        } else {
            p + 1
        }
    };
    let tag = |tag: Tag<'_>, out: &mut Vec<Span>| {
        let i = attributes(code, b, tag.after_name, svelte, out);
        if tag.closing {
            i
        } else if tag.name.eq_ignore_ascii_case(b"script") {
            let end = find_close_tag(b, i, b"script");
            let mut script = Code::new(code, &b[..end]);
            script.code(i, Close::Eof, 0);
            out.append(&mut script.out);
            end
        } else if tag.name.eq_ignore_ascii_case(b"style") {
            find_close_tag(b, i, b"style")
        } else {
            i
        }
    };
    walk_tags(b, &mut out, brace, tag);
    out
}

/// A tag found by [`walk_tags`]: its name, whether it is a closing tag, and where its name
/// ends (its attributes follow).
pub(super) struct Tag<'a> {
    pub name: &'a [u8],
    pub closing: bool,
    pub after_name: usize,
}

/// The markup walk shared by the component and WXML scanners: `<!-- -->` comments become
/// comment spans; at each `{`, `brace` scans what follows and says where to resume; at each
/// tag, `tag` reads its attributes (and the element's raw content) and says where to resume.
pub(super) fn walk_tags(
    b: &[u8],
    out: &mut Vec<Span>,
    mut brace: impl FnMut(usize, &mut Vec<Span>) -> usize,
    mut tag: impl FnMut(Tag<'_>, &mut Vec<Span>) -> usize,
) {
    let n = b.len();
    let mut i = 0;
    while let Some(k) = memchr2(b'<', b'{', &b[i.min(n)..]) {
        let p = i + k;
        if b[p] == b'{' {
            i = brace(p, out).max(p + 1);
            continue;
        }
        if b[p..].starts_with(b"<!--") {
            let end = memmem::find(&b[p + 4..], b"-->").map_or(n, |k| p + 4 + k + 3);
            out.push(Span { kind: SpanKind::Comment, start: p, end });
            i = end;
            continue;
        }
        let closing = b.get(p + 1) == Some(&b'/');
        let name_start = if closing { p + 2 } else { p + 1 };
        let mut j = name_start;
        while j < n && (b[j].is_ascii_alphanumeric() || matches!(b[j], b'-' | b':' | b'.' | b'_')) {
            j += 1;
        }
        if j == name_start {
            i = p + 1;
            continue;
        }
        i = tag(Tag { name: &b[name_start..j], closing, after_name: j }, out).max(j);
    }
}

/// Scans a template expression whose code starts at `start` up to its closing `}`.
fn expression(code: Lang, b: &[u8], start: usize, out: &mut Vec<Span>) -> usize {
    let mut expr = Code::new(code, b);
    let end = expr.code(start, Close::Brace, 1);
    out.append(&mut expr.out);
    end
}

/// Reads the attributes of a tag from `i` to its `>` and returns the position after it.
fn attributes(code: Lang, b: &[u8], mut i: usize, svelte: bool, out: &mut Vec<Span>) -> usize {
    let n = b.len();
    while i < n {
        match b[i] {
            b'>' => return i + 1,
            q @ (b'"' | b'\'') => {
                let end = memchr::memchr(q, &b[i + 1..]).map_or(n, |k| i + 1 + k);
                out.push(Span { kind: SpanKind::Literal, start: i + 1, end });
                i = (end + 1).min(n);
            }
            b'{' if svelte => i = expression(code, b, i + 1, out),
            b'<' => return i,
            _ => i += 1,
        }
    }
    n
}

/// The position of the `</name` that closes a raw-text element (case-insensitive), or the text
/// end.
pub(super) fn find_close_tag(b: &[u8], from: usize, name: &[u8]) -> usize {
    let mut i = from.min(b.len());
    while let Some(k) = memmem::find(&b[i..], b"</") {
        let p = i + k;
        let tail = &b[p + 2..];
        if tail.len() >= name.len() && tail[..name.len()].eq_ignore_ascii_case(name) {
            return p;
        }
        i = p + 2;
    }
    b.len()
}
