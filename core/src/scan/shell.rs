//! The POSIX shell / bash scanner: `'...'` (no escapes), `$'...'`, `"..."` with `$( ... )` and
//! `${ ... }` scanned as code, `#` comments that start a word, backslash escapes outside quotes,
//! and here-documents (`<<EOF`, `<<-EOF`, `<<'EOF'`), whose bodies are literals.

use super::code::Esc;
use super::{line_end, read_str, trim_cr, Span, SpanKind};

/// Substitutions nested deeper than this are read as plain string text.
const MAX_DEPTH: u32 = 32;

/// Where a nested [`Shell::code`] call stops.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Close {
    Eof,
    Paren,
    Brace,
}

struct Shell<'a> {
    b: &'a [u8],
    out: Vec<Span>,
    /// Here-documents announced on the current line: delimiter range and whether leading tabs
    /// are stripped (`<<-`).
    pending: Vec<(usize, usize, bool)>,
}

pub fn scan(text: &str) -> Vec<Span> {
    let mut sh = Shell { b: text.as_bytes(), out: super::spans_for(text.as_bytes()), pending: Vec::new() };
    sh.code(0, Close::Eof, 0);
    sh.out
}

/// Bytes after which a `#` starts a word (and so a comment).
fn word_break(c: u8) -> bool {
    matches!(c, b' ' | b'\t' | b'\n' | b'\r' | b';' | b'&' | b'|' | b'(' | b')' | b'<' | b'>')
}

impl Shell<'_> {
    fn at(&self, i: usize) -> u8 {
        self.b.get(i).copied().unwrap_or(0)
    }

    fn push(&mut self, kind: SpanKind, start: usize, end: usize) {
        self.out.push(Span { kind, start, end });
    }

    /// Scans shell code from `i` until `close` and returns the position after it.
    fn code(&mut self, mut i: usize, close: Close, depth: u32) -> usize {
        let b = self.b;
        let n = b.len();
        let mut level = 0usize;
        while i < n {
            let c = b[i];
            match c {
                b'\\' => i += 2,
                b'\'' => {
                    let (end, after) = read_str(b, i + 1, b'\'', 1, Esc::None, true);
                    self.push(SpanKind::Literal, i + 1, end);
                    i = after;
                }
                b'$' if self.at(i + 1) == b'\'' => {
                    let (end, after) = read_str(b, i + 2, b'\'', 1, Esc::Backslash, true);
                    self.push(SpanKind::Literal, i + 2, end);
                    i = after;
                }
                b'"' => i = self.dquote(i + 1, depth),
                b'#' if i == 0 || word_break(b[i - 1]) => {
                    let le = line_end(b, i);
                    self.push(SpanKind::Comment, i, trim_cr(b, i, le));
                    i = le;
                }
                b'(' | b'{' if (c == b'(') == (close == Close::Paren) && close != Close::Eof => {
                    level += 1;
                    i += 1;
                }
                b')' | b'}' if (c == b')') == (close == Close::Paren) && close != Close::Eof => {
                    if level == 0 {
                        return i + 1;
                    }
                    level -= 1;
                    i += 1;
                }
                b'<' if self.at(i + 1) == b'<' && self.at(i + 2) != b'<' => i = self.heredoc_decl(i),
                b'\n' if !self.pending.is_empty() => i = self.heredoc_bodies(i + 1),
                _ => i += 1,
            }
        }
        n
    }

    /// Reads a double-quoted string whose body starts at `start`; `$( ... )` and `${ ... }`
    /// inside it are scanned as code and split the literal into pieces.
    fn dquote(&mut self, start: usize, depth: u32) -> usize {
        let b = self.b;
        let n = b.len();
        let mut piece = start;
        let mut split = false;
        let mut j = start;
        while j < n {
            match b[j] {
                b'"' => {
                    if j > piece || !split {
                        self.push(SpanKind::Literal, piece, j);
                    }
                    return j + 1;
                }
                b'\\' => j += 2,
                b'$' if matches!(self.at(j + 1), b'(' | b'{') && depth < MAX_DEPTH => {
                    if j > piece {
                        self.push(SpanKind::Literal, piece, j);
                    }
                    split = true;
                    let close = if b[j + 1] == b'(' { Close::Paren } else { Close::Brace };
                    j = self.code(j + 2, close, depth + 1);
                    piece = j;
                }
                _ => j += 1,
            }
        }
        if n > piece || !split {
            self.push(SpanKind::Literal, piece.min(n), n);
        }
        n
    }

    /// Reads the `<<DELIM` announcement at `i` and queues the body for the next line.
    fn heredoc_decl(&mut self, i: usize) -> usize {
        let mut j = i + 2;
        let strip = self.at(j) == b'-';
        if strip {
            j += 1;
        }
        while matches!(self.at(j), b' ' | b'\t') {
            j += 1;
        }
        let q = self.at(j);
        let (start, end, after) = if q == b'\'' || q == b'"' {
            let Some(k) = memchr::memchr(q, &self.b[j + 1..]) else { return i + 2 };
            (j + 1, j + 1 + k, j + 2 + k)
        } else {
            if q == b'\\' {
                j += 1;
            }
            let s = j;
            if !(self.at(j).is_ascii_alphabetic() || self.at(j) == b'_') {
                return i + 2;
            }
            while self.at(j).is_ascii_alphanumeric() || matches!(self.at(j), b'_' | b'-' | b'.') {
                j += 1;
            }
            (s, j, j)
        };
        if end == start || self.b[start..end].contains(&b'\n') {
            return i + 2;
        }
        self.pending.push((start, end, strip));
        after
    }

    /// Reads the bodies of the pending here-documents, starting at `line`, and returns the
    /// position of the newline that ends the last terminator line (or the text end).
    fn heredoc_bodies(&mut self, mut line: usize) -> usize {
        let b = self.b;
        let n = b.len();
        let mut resume = line;
        for (ds, de, strip) in std::mem::take(&mut self.pending) {
            let delim = &b[ds..de];
            let body = line;
            loop {
                if line >= n {
                    self.push(SpanKind::Literal, body, n);
                    return n;
                }
                let le = line_end(b, line);
                let mut s = line;
                while strip && s < le && b[s] == b'\t' {
                    s += 1;
                }
                if &b[s..trim_cr(b, s, le)] == delim {
                    let end = if line > body { trim_cr(b, body, line - 1) } else { body };
                    self.push(SpanKind::Literal, body, end);
                    // Resume at the terminator's newline, which the code loop then steps over.
                    resume = le;
                    line = (le + 1).min(n);
                    break;
                }
                line = (le + 1).min(n);
            }
        }
        resume
    }
}
