//! Scanners for the simple config formats: JSON and JSONC, TOML, `.env` files and INI /
//! properties files. (YAML has its own module.)

use memchr::{memchr, memchr2, memchr3, memmem};

use super::code::Esc;
use super::{line_end, read_str, trim_cr, Span, SpanKind};

fn push(out: &mut Vec<Span>, kind: SpanKind, start: usize, end: usize) {
    out.push(Span { kind, start, end });
}

fn at(b: &[u8], i: usize) -> u8 {
    b.get(i).copied().unwrap_or(0)
}

/// Moves `i` forward over spaces and tabs, not past `end`.
fn skip_blanks(b: &[u8], mut i: usize, end: usize) -> usize {
    while i < end && matches!(b[i], b' ' | b'\t') {
        i += 1;
    }
    i
}

/// Moves `end` back over ASCII whitespace, not before `start`.
fn trim_end(b: &[u8], start: usize, mut end: usize) -> usize {
    while end > start && b[end - 1].is_ascii_whitespace() {
        end -= 1;
    }
    end
}

/// JSON: every string (key or value) is a literal. JSONC adds `//` and `/* */` comments.
pub fn json(text: &str, comments: bool) -> Vec<Span> {
    let b = text.as_bytes();
    let n = b.len();
    let mut out = super::spans_for(b);
    let mut i = 0;
    while i < n {
        let found = if comments { memchr2(b'"', b'/', &b[i..]) } else { memchr(b'"', &b[i..]) };
        let Some(k) = found else { break };
        let p = i + k;
        if b[p] == b'"' {
            let (end, after) = read_str(b, p + 1, b'"', 1, Esc::Backslash, false);
            push(&mut out, SpanKind::Literal, p + 1, end);
            i = after;
        } else if at(b, p + 1) == b'/' {
            let le = line_end(b, p);
            push(&mut out, SpanKind::Comment, p, trim_cr(b, p, le));
            i = le;
        } else if at(b, p + 1) == b'*' {
            let end = memmem::find(&b[p + 2..], b"*/").map_or(n, |k| p + 2 + k + 2);
            push(&mut out, SpanKind::Comment, p, end);
            i = end;
        } else {
            i = p + 1;
        }
    }
    out
}

/// TOML: bare keys (and the parts of dotted keys, also in table headers) are bare spans, all
/// four kinds of strings are literals, `#` starts a comment; numbers, booleans and dates are not
/// reported.
pub fn toml(text: &str) -> Vec<Span> {
    let b = text.as_bytes();
    let n = b.len();
    let mut out = super::spans_for(b);
    // Open arrays (`[`) and inline tables (`{`) around the current position.
    let mut stack: Vec<u8> = Vec::new();
    let mut expect_key = true;
    let mut i = 0;
    while i < n {
        let c = b[i];
        match c {
            b' ' | b'\t' | b'\r' | b'.' => i += 1,
            b'\n' => {
                if stack.is_empty() {
                    expect_key = true;
                }
                i += 1;
            }
            b'#' => {
                let le = line_end(b, i);
                push(&mut out, SpanKind::Comment, i, trim_cr(b, i, le));
                i = le;
            }
            b'"' | b'\'' => {
                let esc = if c == b'"' { Esc::Backslash } else { Esc::None };
                let (start, end, after) = if at(b, i + 1) == c && at(b, i + 2) == c {
                    let (end, after) = read_str(b, i + 3, c, 3, esc, true);
                    // Up to two more quotes right before the closing ones belong to the string.
                    let extra = b[after..].iter().take(2).take_while(|&&x| x == c).count();
                    (i + 3, end + extra, after + extra)
                } else {
                    let (end, after) = read_str(b, i + 1, c, 1, esc, false);
                    (i + 1, end, after)
                };
                push(&mut out, SpanKind::Literal, start.min(end), end);
                i = after;
            }
            b'=' => {
                expect_key = false;
                i += 1;
            }
            b'[' => {
                // A `[` where a key is expected at the top level opens a table header, whose
                // keys are read like any other keys.
                if !(stack.is_empty() && expect_key) {
                    stack.push(b'[');
                    expect_key = false;
                }
                i += 1;
            }
            b']' | b'}' => {
                if stack.last().is_some_and(|&o| (o == b'[') == (c == b']')) {
                    stack.pop();
                }
                // A closing bracket ends a value (or a table header, after which only a comment may
                // follow on the line).
                expect_key = false;
                i += 1;
            }
            b'{' => {
                stack.push(b'{');
                expect_key = true;
                i += 1;
            }
            b',' => {
                expect_key = stack.last() == Some(&b'{');
                i += 1;
            }
            _ => {
                let s = i;
                if expect_key {
                    while i < n && (b[i].is_ascii_alphanumeric() || matches!(b[i], b'_' | b'-')) {
                        i += 1;
                    }
                    if i > s {
                        push(&mut out, SpanKind::Bare, s, i);
                    } else {
                        i += 1;
                    }
                } else {
                    while i < n && !matches!(b[i], b' ' | b'\t' | b'\r' | b'\n' | b',' | b']' | b'}' | b'#') {
                        i += 1;
                    }
                    if i == s {
                        i += 1;
                    }
                }
            }
        }
    }
    out
}

/// `.env`: `KEY=value` and `export KEY=value` lines. The key is bare, an unquoted value is bare
/// up to a ` #` comment, a quoted value (which may span lines) is a literal.
pub fn env(text: &str) -> Vec<Span> {
    let b = text.as_bytes();
    let n = b.len();
    let mut out = super::spans_for(b);
    let mut line = 0;
    while line < n {
        let mut le = line_end(b, line);
        let mut i = skip_blanks(b, line, le);
        if at(b, i) == b'#' {
            push(&mut out, SpanKind::Comment, i, trim_cr(b, i, le));
            line = le + 1;
            continue;
        }
        if b[i..le].starts_with(b"export") && matches!(at(b, i + 6), b' ' | b'\t') {
            i = skip_blanks(b, i + 6, le);
        }
        let key = i;
        while i < le && !matches!(b[i], b'=' | b' ' | b'\t' | b'\r') {
            i += 1;
        }
        let key_end = i;
        i = skip_blanks(b, i, le);
        if at(b, i) != b'=' || i >= le || key_end == key {
            line = le + 1;
            continue;
        }
        push(&mut out, SpanKind::Bare, key, key_end);
        i = skip_blanks(b, i + 1, le);
        let q = at(b, i);
        let rest;
        if i < le && matches!(q, b'"' | b'\'' | b'`') {
            let esc = if q == b'\'' { Esc::None } else { Esc::Backslash };
            let (end, after) = read_str(b, i + 1, q, 1, esc, true);
            push(&mut out, SpanKind::Literal, i + 1, end);
            rest = after;
            le = line_end(b, after);
        } else {
            // An unquoted value runs to a `#` that follows a blank, or to the line end.
            let mut end = le;
            let mut j = i;
            while let Some(k) = memchr(b'#', &b[j..le]) {
                let p = j + k;
                if p > i && matches!(b[p - 1], b' ' | b'\t') {
                    end = p;
                    break;
                }
                j = p + 1;
            }
            let value_end = trim_end(b, i, end);
            if value_end > i {
                push(&mut out, SpanKind::Bare, i, value_end);
            }
            rest = end;
        }
        // A comment after the value.
        if let Some(k) = memchr(b'#', &b[rest.min(le)..le]) {
            let p = rest + k;
            push(&mut out, SpanKind::Comment, p, trim_cr(b, p, le));
        }
        line = le + 1;
    }
    out
}

/// INI and properties files: `;` and `#` comment lines, `[section]` names, `key = value` and
/// `key: value` pairs with the key bare and the value bare (or a literal when it is quoted).
pub fn ini(text: &str) -> Vec<Span> {
    let b = text.as_bytes();
    let n = b.len();
    let mut out = super::spans_for(b);
    let mut line = 0;
    while line < n {
        let le = line_end(b, line);
        let content_end = trim_end(b, line, le);
        let i = skip_blanks(b, line, content_end);
        match at(b, i) {
            _ if i >= content_end => {}
            b';' | b'#' => push(&mut out, SpanKind::Comment, i, content_end),
            b'[' => {
                if let Some(k) = memchr(b']', &b[i..content_end]) {
                    let s = skip_blanks(b, i + 1, i + k);
                    let e = trim_end(b, s, i + k);
                    if e > s {
                        push(&mut out, SpanKind::Bare, s, e);
                    }
                }
            }
            _ => {
                if let Some(k) = memchr3(b'=', b':', b'\n', &b[i..content_end]) {
                    let sep = i + k;
                    let key_end = trim_end(b, i, sep);
                    if key_end > i {
                        push(&mut out, SpanKind::Bare, i, key_end);
                    }
                    let v = skip_blanks(b, sep + 1, content_end);
                    if v < content_end {
                        let q = b[v];
                        let quoted = matches!(q, b'"' | b'\'') && content_end - v >= 2 && b[content_end - 1] == q;
                        if quoted {
                            push(&mut out, SpanKind::Literal, v + 1, content_end - 1);
                        } else {
                            push(&mut out, SpanKind::Bare, v, content_end);
                        }
                    }
                }
            }
        }
        line = le + 1;
    }
    out
}
