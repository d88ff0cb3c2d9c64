//! The table-driven scanner shared by the C-like family and its cousins: JavaScript, TypeScript,
//! Rust, Go, Java, Kotlin, C#, Dart, Swift, PHP, Ruby and Python (and every other language
//! whose table entry says `Scanner::Code`).
//!
//! One loop walks the code and stops only at bytes that the language's table marks as
//! interesting (quotes, `/`, `#`, ...). What a language has is declared in its entry of the
//! language table as a [`CodeSpec`] (`spec.rs`); the stop bytes are derived from it once per
//! language ([`Tables`]). At a stop the scanner dispatches on the byte and the spec's switches:
//! string openers (`strings.rs`, one function per language family: prefixes such as `r#"`,
//! `@$"`, `rb'`), heredocs (`heredoc.rs`), Ruby percent literals (`percent.rs`) and PHP tags
//! (`tags.rs`) each live in their own file. Strings are read by [`Code::string`], which is
//! driven by a [`StrSpec`] (delimiter, escape rule, interpolation rule, whether it may span
//! lines). Interpolated expressions are scanned by a recursive call of [`Code::code`] that stops
//! at the matching `}` or `)`; the recursion depth is capped so hostile input cannot overflow
//! the stack.

mod heredoc;
mod percent;
pub(in crate::scan) mod spec;
pub(in crate::scan) mod strings;
mod tags;

use memchr::{memchr, memchr2, memchr3, memmem};

pub(in crate::scan) use spec::{CodeSpec, Esc};
use spec::{Hash, Interp, Single, StrSpec, Tables, Tick, BRACE, PAREN, TOP};

use super::{trim_cr, Lang, Span, SpanKind};

/// Interpolations nested deeper than this are read as plain string text.
const MAX_DEPTH: u32 = 32;

/// Where a nested [`Code::code`] call stops.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(super) enum Close {
    /// At the end of the text (or of the script block).
    Eof = 0,
    /// After the `}` that balances the (already consumed) opening brace.
    Brace,
    /// After the `)` that balances the (already consumed) opening paren.
    Paren,
}

/// Scans a whole file of a language whose scanner is `Scanner::Code`.
pub(super) fn scan(lang: Lang, text: &str) -> Vec<Span> {
    let mut code = Code::new(lang, text.as_bytes());
    if code.tables.spec.php_tags {
        code.php_file();
    } else {
        code.code(0, Close::Eof, 0);
    }
    code.out
}

/// The scanner state: the text, the language's tables and the spans found so far.
pub(super) struct Code<'a> {
    b: &'a [u8],
    tables: &'static Tables,
    /// The end of the last construct consumed (string, comment, regex); look-behind for string
    /// prefixes and the regex heuristic never goes further back than this.
    floor: usize,
    /// Whether a `/` right after `floor` (with only blanks between) would start a regex.
    floor_regex_ok: bool,
    /// After a `/` failed to close as a regex, no regex is tried again before this position
    /// (the line end), which keeps pathological lines linear.
    regex_dead_until: usize,
    pub out: Vec<Span>,
}

fn is_ident(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'_' || c == b'$' || c >= 0x80
}

/// The length of the UTF-8 sequence that starts with `lead`.
fn utf8_len(lead: u8) -> usize {
    match lead {
        0xF0..=0xFF => 4,
        0xE0..=0xEF => 3,
        0xC0..=0xDF => 2,
        _ => 1,
    }
}

/// Words after which a `/` starts a regex rather than a division, and a `'` between letters
/// opens a string rather than being an apostrophe in JSX text.
fn is_operator_keyword(word: &[u8]) -> bool {
    matches!(
        word,
        b"return"
            | b"typeof"
            | b"instanceof"
            | b"in"
            | b"of"
            | b"new"
            | b"delete"
            | b"void"
            | b"throw"
            | b"case"
            | b"do"
            | b"else"
            | b"yield"
            | b"await"
            | b"if"
            | b"unless"
            | b"when"
            | b"and"
            | b"or"
            | b"not"
            | b"elsif"
            | b"while"
            | b"until"
            | b"from"
            | b"import"
            | b"export"
            | b"default"
    )
}

impl<'a> Code<'a> {
    /// A scanner for `b` as `lang` (whose scanner should be `Scanner::Code`; others get the C
    /// family's rules). `b` may be a prefix of the whole text (for `<script>` blocks).
    pub(super) fn new(lang: Lang, b: &'a [u8]) -> Code<'a> {
        Code {
            b,
            tables: Tables::of(lang),
            floor: 0,
            floor_regex_ok: true,
            regex_dead_until: 0,
            out: super::spans_for(b),
        }
    }

    fn at(&self, i: usize) -> u8 {
        self.b.get(i).copied().unwrap_or(0)
    }

    fn push(&mut self, kind: SpanKind, start: usize, end: usize) {
        self.out.push(Span { kind, start, end });
    }

    fn set_floor(&mut self, at: usize, regex_ok: bool) {
        self.floor = at;
        self.floor_regex_ok = regex_ok;
    }

    /// Scans code from `i` until `close` and returns the position after it.
    pub(super) fn code(&mut self, mut i: usize, close: Close, depth: u32) -> usize {
        let b = self.b;
        let n = b.len();
        let mask = match close {
            Close::Eof => TOP,
            Close::Brace => TOP | BRACE,
            Close::Paren => TOP | PAREN,
        };
        let mut level = 0usize;
        self.set_floor(i, true);
        while i < n {
            i = self.tables.stops[close as usize].find(b, i);
            let Some(&c) = b.get(i) else { break };
            match c {
                b'{' | b'(' if self.tables.table[c as usize] & mask & !TOP != 0 => {
                    level += 1;
                    i += 1;
                }
                b'}' | b')' if self.tables.table[c as usize] & mask & !TOP != 0 => {
                    if level == 0 {
                        return i + 1;
                    }
                    level -= 1;
                    i += 1;
                }
                b'?' if self.tables.spec.php_tags && self.at(i + 1) == b'>' => return i + 2,
                _ => i = self.token(i, depth),
            }
        }
        n
    }

    /// Consumes the construct that starts at the interesting byte `i`; always returns more than
    /// `i`.
    fn token(&mut self, i: usize, depth: u32) -> usize {
        let next = self.at(i + 1);
        match self.b[i] {
            b'"' => self.quote(i, depth),
            b'\'' => match self.tables.spec.single {
                Single::Char => self.char_lit(i),
                Single::Str => self.quote(i, depth),
            },
            b'`' => self.backtick(i, depth),
            b'/' if self.tables.spec.slash && next == b'/' => self.line_comment(i),
            b'/' if self.tables.spec.slash && next == b'*' => self.block_comment(i),
            b'/' if self.tables.spec.regex && i >= self.regex_dead_until && self.regex_ok(i) => self.regex(i),
            b'#' => match self.tables.spec.hash {
                Hash::Comment => self.line_comment(i),
                Hash::CommentUnlessAttr if next != b'[' => self.line_comment(i),
                Hash::Directive if self.at_line_start(i) => memchr(b'\n', &self.b[i..]).map_or(self.b.len(), |k| i + k),
                _ => i + 1,
            },
            b'<' if next == b'<' => self.heredoc(i),
            b'=' if self.tables.spec.begin_end => self.begin_end(i),
            b'%' if self.tables.spec.percent => self.percent(i),
            _ => i + 1,
        }
    }

    /// Whether only blanks precede `i` on its line.
    fn at_line_start(&self, i: usize) -> bool {
        let mut k = i;
        while k > 0 && matches!(self.b[k - 1], b' ' | b'\t') {
            k -= 1;
        }
        k == 0 || self.b[k - 1] == b'\n'
    }

    /// The start of the identifier-like word that ends at `end` (never before the floor).
    fn word_start(&self, end: usize) -> usize {
        let mut s = end;
        while s > self.floor && is_ident(self.b[s - 1]) {
            s -= 1;
        }
        s
    }

    /// The regex heuristic: a `/` starts a regex unless the previous significant token is a
    /// value (identifier, number, closing bracket, string); operator keywords like `return` do
    /// not count as values.
    fn regex_ok(&self, i: usize) -> bool {
        let b = self.b;
        let mut j = i;
        while j > self.floor && b[j - 1].is_ascii_whitespace() {
            j -= 1;
        }
        if j <= self.floor {
            return self.floor_regex_ok;
        }
        let c = b[j - 1];
        if is_ident(c) {
            return is_operator_keyword(&b[self.word_start(j)..j]);
        }
        !matches!(c, b')' | b']' | b'}')
    }

    fn line_comment(&mut self, i: usize) -> usize {
        let b = self.b;
        let mut end = memchr(b'\n', &b[i..]).map_or(b.len(), |k| i + k);
        if self.tables.spec.php_tags {
            end = self.comment_end_at_tag(i, end);
        }
        self.comment(i, trim_cr(b, i, end), end)
    }

    fn block_comment(&mut self, i: usize) -> usize {
        let b = self.b;
        let n = b.len();
        let mut j = i + 2;
        let end = if !self.tables.spec.nested {
            // One searcher for every comment (`memmem::find` would build one per call).
            static END: std::sync::LazyLock<memmem::Finder<'static>> =
                std::sync::LazyLock::new(|| memmem::Finder::new(b"*/"));
            END.find(&b[j..]).map_or(n, |k| j + k + 2)
        } else {
            let mut level = 1usize;
            loop {
                let Some(k) = memchr2(b'/', b'*', &b[j..]) else { break n };
                let p = j + k;
                if b[p] == b'*' && self.at(p + 1) == b'/' {
                    level -= 1;
                    j = p + 2;
                    if level == 0 {
                        break j;
                    }
                } else if b[p] == b'/' && self.at(p + 1) == b'*' {
                    level += 1;
                    j = p + 2;
                } else {
                    j = p + 1;
                }
            }
        };
        self.comment(i, end, end)
    }

    /// Records a comment `start..end` and resumes at `resume`; comments are transparent to the
    /// regex heuristic.
    fn comment(&mut self, start: usize, end: usize, resume: usize) -> usize {
        let regex_ok = self.tables.spec.regex && self.regex_ok(start);
        self.push(SpanKind::Comment, start, end);
        self.set_floor(resume, regex_ok);
        resume
    }

    /// Skips a regex literal starting at the `/` at `i`; if it does not close on its line the
    /// `/` is taken for an operator after all.
    fn regex(&mut self, i: usize) -> usize {
        let b = self.b;
        let mut j = i + 1;
        let mut class = false;
        while j < b.len() {
            match b[j] {
                b'\\' => j += 1,
                b'[' => class = true,
                b']' => class = false,
                b'/' if !class => {
                    j += 1;
                    while self.at(j).is_ascii_alphabetic() {
                        j += 1;
                    }
                    self.set_floor(j, false);
                    return j;
                }
                b'\n' => break,
                _ => {}
            }
            j += 1;
        }
        self.regex_dead_until = j;
        i + 1
    }

    /// Skips a character literal (or a Rust lifetime or label, or a stray quote). Character
    /// literals are not reported.
    fn char_lit(&mut self, i: usize) -> usize {
        let b = self.b;
        let n1 = self.at(i + 1);
        if n1 == b'\\' {
            let limit = b.len().min(i + 16);
            let tail = b.get(i + 3..limit).unwrap_or(&[]);
            return match memchr2(b'\'', b'\n', tail) {
                Some(k) if tail[k] == b'\'' => i + 3 + k + 1,
                _ => i + 1,
            };
        }
        if i + 1 >= b.len() || n1 == b'\n' || n1 == b'\r' || n1 == b'\'' {
            return i + 1;
        }
        let len = utf8_len(n1);
        if self.at(i + 1 + len) == b'\'' {
            return i + 2 + len;
        }
        i + 1
    }

    fn backtick(&mut self, i: usize, depth: u32) -> usize {
        match self.tables.spec.tick {
            Tick::Plain => i + 1,
            Tick::Raw => self.string(i + 1, StrSpec::simple(b'`', Esc::None, true), depth),
            Tick::Template => {
                let spec = StrSpec { interp: Interp::DollarBrace, ..StrSpec::simple(b'`', Esc::Backslash, true) };
                self.string(i + 1, spec, depth)
            }
            Tick::Command(interp) => {
                let spec = StrSpec { interp, ..StrSpec::simple(b'`', Esc::Backslash, true) };
                self.string(i + 1, spec, depth)
            }
            Tick::Ident => {
                let b = self.b;
                match memchr2(b'`', b'\n', &b[i + 1..]) {
                    Some(k) if b[i + 1 + k] == b'`' => i + k + 2,
                    _ => i + 1,
                }
            }
        }
    }

    /// Counts the run of `c` that ends at `end` (going backwards, not below the floor).
    fn run_before(&self, end: usize, c: u8) -> usize {
        let mut k = end;
        while k > self.floor && self.b[k - 1] == c {
            k -= 1;
        }
        end - k
    }

    /// Whether the byte before `p` (if any, above the floor) cannot continue an identifier, so a
    /// prefix letter at `p` is really a prefix.
    fn word_boundary(&self, p: usize) -> bool {
        p <= self.floor || !is_ident(self.b[p - 1])
    }

    /// Whether the prefix letter(s) `letters` (one of them) end at `end` as a whole word.
    fn prefix_is(&self, end: usize, letters: &[&[u8]]) -> bool {
        letters.iter().any(|l| {
            end >= self.floor + l.len()
                && self.b[end - l.len()..end].eq_ignore_ascii_case(l)
                && self.word_boundary(end - l.len())
        })
    }

    /// Handles a `"` or (in languages where it opens strings) a `'` at `i`: the language's
    /// opener decides from the prefix before it and the quotes after it which kind of string it
    /// opens.
    fn quote(&mut self, i: usize, depth: u32) -> usize {
        match (self.tables.spec.strings)(self, i) {
            Some((spec, open)) => self.string(i + open, spec, depth),
            None => i + 1,
        }
    }

    /// The next byte at or after `j` where the string reader must look: a quote, an escape, a
    /// line end (single-line strings) or an interpolation trigger.
    fn next_stop(&self, j: usize, spec: &StrSpec) -> Option<usize> {
        let b = self.b;
        if j >= b.len() {
            return None;
        }
        let hay = &b[j..];
        let q = spec.quote;
        let bs = spec.esc == Esc::Backslash;
        let found = match spec.interp {
            Interp::None => match (bs, spec.multiline) {
                (true, false) => memchr3(q, b'\\', b'\n', hay),
                (true, true) => memchr2(q, b'\\', hay),
                (false, false) => memchr2(q, b'\n', hay),
                (false, true) => memchr(q, hay),
            },
            interp => {
                let trigger = match interp {
                    Interp::DollarBrace => b'$',
                    Interp::Brace => b'{',
                    Interp::HashBrace => b'#',
                    _ => b'\\',
                };
                let nl = if spec.multiline { q } else { b'\n' };
                hay.iter().position(|&c| c == q || c == b'\\' || c == nl || c == trigger)
            }
        };
        found.map(|k| j + k)
    }

    /// Records one piece of a string: pieces next to interpolations are dropped when empty, but
    /// a string without interpolation is always reported (so `""` yields an empty span).
    fn piece(&mut self, start: usize, end: usize, split: bool) {
        if end > start || !split {
            self.push(SpanKind::Literal, start, end);
        }
    }

    /// Reads a string body that starts at `start` (after the opening delimiter) and returns the
    /// position after the closing delimiter (or the line end, or EOF, when unterminated).
    pub(super) fn string(&mut self, start: usize, spec: StrSpec, depth: u32) -> usize {
        let b = self.b;
        let n = b.len();
        let mut piece = start;
        let mut split = false;
        let mut j = start;
        let allow_interp = depth < MAX_DEPTH;
        loop {
            let Some(p) = self.next_stop(j, &spec) else {
                self.piece(piece, n, split);
                self.set_floor(n, false);
                return n;
            };
            let c = b[p];
            if c == spec.quote {
                if spec.count == 1 && spec.esc == Esc::Doubled && self.at(p + 1) == spec.quote {
                    j = p + 2;
                    continue;
                }
                if self.closes_at(p, &spec) {
                    self.piece(piece, p, split);
                    let end = p + spec.count + spec.hashes;
                    self.set_floor(end, false);
                    return end;
                }
                j = p + 1;
                continue;
            }
            match c {
                b'\n' if !spec.multiline => {
                    self.piece(piece, trim_cr(b, piece, p), split);
                    self.set_floor(p, false);
                    return p;
                }
                b'\\' if spec.interp == Interp::BackslashParen && self.at(p + 1) == b'(' && allow_interp => {
                    self.piece(piece, p, true);
                    split = true;
                    j = self.code(p + 2, Close::Paren, depth + 1);
                    piece = j;
                }
                b'\\' if spec.esc == Esc::Backslash => {
                    j = if self.at(p + 1) == b'\r' && self.at(p + 2) == b'\n' { p + 3 } else { p + 2 };
                }
                b'$' | b'#' if self.at(p + 1) == b'{' && allow_interp => {
                    let wanted = if c == b'$' { Interp::DollarBrace } else { Interp::HashBrace };
                    if spec.interp == wanted {
                        self.piece(piece, p, true);
                        split = true;
                        j = self.code(p + 2, Close::Brace, depth + 1);
                        piece = j;
                    } else {
                        j = p + 1;
                    }
                }
                b'{' if spec.interp == Interp::Brace => {
                    if self.at(p + 1) == b'{' || !allow_interp {
                        j = p + 2;
                    } else {
                        self.piece(piece, p, true);
                        split = true;
                        j = self.code(p + 1, Close::Brace, depth + 1);
                        piece = j;
                    }
                }
                _ => j = p + 1,
            }
        }
    }

    fn closes_at(&self, p: usize, spec: &StrSpec) -> bool {
        (0..spec.count).all(|k| self.at(p + k) == spec.quote)
            && (0..spec.hashes).all(|k| self.at(p + spec.count + k) == b'#')
    }

    /// Ruby `=begin` ... `=end` block comments (both markers at the start of a line).
    fn begin_end(&mut self, i: usize) -> usize {
        let b = self.b;
        let at_start = i == 0 || b[i - 1] == b'\n';
        if !at_start || !b[i..].starts_with(b"=begin") || !matches!(self.at(i + 6), 0 | b' ' | b'\t' | b'\r' | b'\n') {
            return i + 1;
        }
        let end = match memmem::find(&b[i..], b"\n=end") {
            Some(k) => {
                let e = i + k + 1;
                let line_end = memchr(b'\n', &b[e..]).map_or(b.len(), |x| e + x);
                trim_cr(b, e, line_end)
            }
            None => b.len(),
        };
        self.comment(i, end, end)
    }
}
