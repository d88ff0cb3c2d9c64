//! The YAML scanner. It reads line by line: plain (unquoted) keys and scalar values, list items
//! and the items of flow collections (`[A, B]`, `{k: v}`) are bare spans; quoted scalars and the
//! lines of block scalars (`|`, `>`) are literals; `#` after a blank (or at a line start) starts
//! a comment. Anchors, aliases and tags are skipped; document markers are ignored.

use memchr::memchr2;

use super::code::Esc;
use super::{line_end, read_str, trim_cr, Span, SpanKind};

pub fn scan(text: &str) -> Vec<Span> {
    let mut y = Yaml { b: text.as_bytes(), out: super::spans_for(text.as_bytes()) };
    let mut i = 0;
    while i < y.b.len() {
        i = y.line(i);
    }
    y.out
}

struct Yaml<'a> {
    b: &'a [u8],
    out: Vec<Span>,
}

/// Whether `c` ends a token: a blank, a line end, or the end of the text (read as 0).
fn blank_or_eol(c: u8) -> bool {
    matches!(c, 0 | b' ' | b'\t' | b'\r' | b'\n')
}

impl Yaml<'_> {
    fn at(&self, i: usize) -> u8 {
        self.b.get(i).copied().unwrap_or(0)
    }

    fn push(&mut self, kind: SpanKind, start: usize, end: usize) {
        self.out.push(Span { kind, start, end });
    }

    /// The start of the line after the one that ends at `le`.
    fn next_line(&self, le: usize) -> usize {
        (le + 1).min(self.b.len())
    }

    fn skip_blanks(&self, mut i: usize, end: usize) -> usize {
        while i < end && matches!(self.b[i], b' ' | b'\t') {
            i += 1;
        }
        i
    }

    /// Moves `end` back over blanks and a `\r`, not before `start`.
    fn trim(&self, start: usize, mut end: usize) -> usize {
        while end > start && matches!(self.b[end - 1], b' ' | b'\t' | b'\r') {
            end -= 1;
        }
        end
    }

    /// Reads one line starting at `start` and returns the start of the next unread line.
    fn line(&mut self, start: usize) -> usize {
        let b = self.b;
        let le = line_end(b, start);
        let mut i = self.skip_blanks(start, le);
        let indent = i - start;
        if i >= self.trim(i, le) {
            return self.next_line(le);
        }
        if indent == 0 && b[i] == b'%' {
            return self.next_line(le);
        }
        if indent == 0 && (b[i..].starts_with(b"---") || b[i..].starts_with(b"...")) && blank_or_eol(self.at(i + 3)) {
            i = self.skip_blanks(i + 3, le);
        }
        // Sequence entries and complex-key markers.
        while i < le && matches!(b[i], b'-' | b'?' | b':') && blank_or_eol(self.at(i + 1)) {
            i = self.skip_blanks(i + 1, le);
        }
        self.node(i, start, indent, true)
    }

    /// Reads a node at `i` (on the line that starts at `line_start`) and the rest of its line;
    /// `parent` is the indentation a block scalar's lines must exceed. Returns the start of the
    /// next unread line.
    fn node(&mut self, mut i: usize, line_start: usize, parent: usize, key_ok: bool) -> usize {
        let b = self.b;
        let le = line_end(b, i);
        i = self.skip_props(i, le);
        if i >= self.trim(i, le) {
            return self.next_line(le);
        }
        let col = i - line_start;
        match b[i] {
            b'#' => self.rest(i, le),
            b'"' | b'\'' => {
                let after = self.quoted(i, parent);
                let le2 = line_end(b, after);
                let j = self.skip_blanks(after, le2);
                if key_ok && self.at(j) == b':' && blank_or_eol(self.at(j + 1)) {
                    return self.value(j + 1, line_start, col);
                }
                self.rest(j, le2)
            }
            b'[' | b'{' => {
                let after = self.flow(i);
                let le2 = line_end(b, after);
                self.rest(after, le2)
            }
            b'|' | b'>' => self.block(i, parent),
            b'*' => {
                while i < le && !blank_or_eol(b[i]) {
                    i += 1;
                }
                self.rest(i, le)
            }
            _ => {
                // A plain scalar: up to `: ` (then it is a key) or ` #` (a comment) or the line end.
                let start = i;
                let mut j = i + 1;
                let mut comment = le;
                while let Some(k) = memchr2(b':', b'#', &b[j.min(le)..le]) {
                    let p = j + k;
                    if b[p] == b':' && key_ok && blank_or_eol(self.at(p + 1)) {
                        self.push(SpanKind::Bare, start, self.trim(start, p));
                        return self.value(p + 1, line_start, col);
                    }
                    if b[p] == b'#' && matches!(b[p - 1], b' ' | b'\t') {
                        comment = p;
                        break;
                    }
                    j = p + 1;
                }
                self.push(SpanKind::Bare, start, self.trim(start, comment));
                self.rest(comment, le)
            }
        }
    }

    /// Reads a quoted scalar whose opening quote is at `i` and returns the position after it. It
    /// continues on the following lines only while they are blank or indented more than `parent`
    /// (as YAML requires), so an unterminated quote that is being typed ends at its line end
    /// instead of swallowing the rest of the file.
    fn quoted(&mut self, i: usize, parent: usize) -> usize {
        let b = self.b;
        let n = b.len();
        let q = b[i];
        let mut j = i + 1;
        while j < n {
            let c = b[j];
            if c == q {
                if q == b'\'' && self.at(j + 1) == b'\'' {
                    j += 2;
                    continue;
                }
                self.push(SpanKind::Literal, i + 1, j);
                return j + 1;
            }
            if c == b'\\' && q == b'"' {
                j += 2;
                continue;
            }
            if c == b'\n' {
                let mut k = j + 1;
                while self.at(k) == b' ' {
                    k += 1;
                }
                if !matches!(self.at(k), 0 | b'\r' | b'\n') && k - (j + 1) <= parent {
                    self.push(SpanKind::Literal, i + 1, trim_cr(b, i + 1, j));
                    return j;
                }
            }
            j += 1;
        }
        self.push(SpanKind::Literal, i + 1, n);
        n
    }

    /// Reads the value after a key's `:` at `i`; `key_col` is the key's column.
    fn value(&mut self, i: usize, line_start: usize, key_col: usize) -> usize {
        self.node(i, line_start, key_col, false)
    }

    /// Skips anchors (`&a`) and tags (`!t`) with the blanks after them.
    fn skip_props(&self, mut i: usize, le: usize) -> usize {
        i = self.skip_blanks(i, le);
        while i < le && matches!(self.b[i], b'&' | b'!') {
            while i < le && !blank_or_eol(self.b[i]) {
                i += 1;
            }
            i = self.skip_blanks(i, le);
        }
        i
    }

    /// Reads what is left of a line after a node: blanks and maybe a comment.
    fn rest(&mut self, i: usize, le: usize) -> usize {
        let i = self.skip_blanks(i.min(le), le);
        if self.at(i) == b'#' && i < le {
            self.push(SpanKind::Comment, i, trim_cr(self.b, i, le));
        }
        self.next_line(le)
    }

    /// Reads a block scalar whose indicator is at `i`: its lines are those more indented than
    /// `parent` (and blank lines between them); each non-blank line is a literal.
    fn block(&mut self, i: usize, parent: usize) -> usize {
        let b = self.b;
        let n = b.len();
        let le = line_end(b, i);
        let mut j = i + 1;
        while j < le && matches!(b[j], b'+' | b'-' | b'0'..=b'9') {
            j += 1;
        }
        let mut line = self.rest(j, le);
        while line < n {
            let le = line_end(b, line);
            let mut k = line;
            while k < le && b[k] == b' ' {
                k += 1;
            }
            let end = self.trim(k, le);
            if k < end {
                if k - line <= parent {
                    return line;
                }
                self.push(SpanKind::Literal, k, end);
            }
            line = self.next_line(le);
        }
        n
    }

    /// Reads a flow collection that opens at `i` and returns the position after it closes (it
    /// may span lines).
    fn flow(&mut self, mut i: usize) -> usize {
        let b = self.b;
        let n = b.len();
        let mut depth = 0usize;
        while i < n {
            match b[i] {
                b'[' | b'{' => {
                    depth += 1;
                    i += 1;
                }
                b']' | b'}' => {
                    i += 1;
                    depth = depth.saturating_sub(1);
                    if depth == 0 {
                        return i;
                    }
                }
                b',' | b' ' | b'\t' | b'\r' | b'\n' => i += 1,
                b':' if matches!(self.at(i + 1), 0 | b' ' | b'\t' | b'\r' | b'\n' | b',' | b']' | b'}') => i += 1,
                b'#' if i == 0 || matches!(b[i - 1], b' ' | b'\t' | b'\n') => {
                    let le = line_end(b, i);
                    self.push(SpanKind::Comment, i, trim_cr(b, i, le));
                    i = le;
                }
                q @ (b'"' | b'\'') => {
                    let esc = if q == b'"' { Esc::Backslash } else { Esc::Doubled };
                    let (end, after) = read_str(b, i + 1, q, 1, esc, true);
                    self.push(SpanKind::Literal, i + 1, end);
                    i = after;
                }
                b'&' | b'!' | b'*' => {
                    while i < n && !blank_or_eol(b[i]) && !matches!(b[i], b',' | b']' | b'}') {
                        i += 1;
                    }
                }
                _ => {
                    let start = i;
                    i += 1;
                    while i < n {
                        match b[i] {
                            b',' | b'[' | b']' | b'{' | b'}' | b'\n' => break,
                            b':' if matches!(self.at(i + 1), 0 | b' ' | b'\t' | b'\r' | b'\n' | b',' | b']' | b'}') => {
                                break
                            }
                            b'#' if matches!(b[i - 1], b' ' | b'\t') => break,
                            _ => i += 1,
                        }
                    }
                    self.push(SpanKind::Bare, start, self.trim(start, i));
                }
            }
        }
        n
    }
}
