//! Where completion offers codes: inside a literal (or config scalar) that is a *code place*, or
//! once the typed word is itself code-shaped; nowhere else.
//!
//! A code place is a literal whose surroundings say a code belongs there: compared with, assigned
//! to, keyed by, returned from, passed to, switched on or listed under a name that says "code" or
//! "error" (see [`says_code`]), or listed among known codes. The decision reads the text before
//! the literal backwards, token by token, using the scanner's spans to step over comments and
//! other literals; every search is bounded (at most [`LOOK_BEHIND`] bytes and a fixed number of
//! tokens), so it costs microseconds on any document and simply finds nothing when the context
//! lies before the start of the text it is given (a window of a large document).
//!
//! Pure: byte offsets in, byte offsets out, no protocol types.

use std::cmp::Reverse;

use rustc_hash::FxHashMap;

use crate::catalog::{CatalogSet, Status};
use crate::scan::{Lang, Span, SpanKind};

use super::tokens::is_word;

/// How far back from a literal the searches look, in bytes.
pub const LOOK_BEHIND: usize = 4096;

/// How many tokens one backward search may read.
const STEP_LIMIT: usize = 2048;

/// Why a place is offered codes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Rule {
    /// Compared with a code-ish value: `err.code === "`, `"X" == e.code`, `e.code in ("`,
    /// `code.equals("`, `RETRY_CODES.includes("`.
    Compared,
    /// Assigned to a code-ish name: `const errCode = "`, `code := "`, `ERR_CODE="`.
    Assigned,
    /// The value of a code-ish key: `code: "`, `"code": "`, `'code' => '`, `code="` (keyword
    /// arguments), `{ code = "` (Lua tables, C# initializers).
    Keyed,
    /// Returned by a code-ish function: `function getErrorCode() { return "`,
    /// `fn code(&self) -> &str { "`, `def error_code(self): return "`.
    Returned,
    /// An argument of a call whose name says code or error (not logging, not an exception
    /// constructor): `hasCode("`, `handleError("`.
    Argument,
    /// A case of a switch or match over a code-ish value.
    Case,
    /// An item of a list, set, array or tuple whose name says codes or errors.
    ListItem,
    /// An item of a list whose other items are known codes.
    KnownList,
    /// A config value, or list item, under a key that says code or error.
    ConfigValue,
    /// Not a code place, but the typed word is code-shaped (`"FUNC`).
    CodeShaped,
}

impl Rule {
    /// Whether the rule is a code place (every rule but [`Rule::CodeShaped`]).
    pub fn is_code_place(self) -> bool {
        self != Rule::CodeShaped
    }
}

/// Where completion applies: the word under the cursor inside a literal or config scalar (or an
/// empty config value position), and why codes are offered there.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CompletionContext {
    /// Byte range of the word to replace (may be empty).
    pub start: usize,
    pub end: usize,
    /// What is typed before the cursor within that word.
    pub prefix: String,
    pub rule: Rule,
}

impl CompletionContext {
    /// Whether the place wants a code (case-insensitive matching applies); otherwise only the
    /// code-shaped word typed so far asks for codes.
    pub fn is_code_place(&self) -> bool {
        self.rule.is_code_place()
    }
}

/// Whether completion at byte `offset` of `text` (scanned as `lang` into `spans`) offers codes,
/// and what it replaces. `None`: stay quiet (outside literals, in comments, at a literal that is
/// not a code place and whose typed word is not code-shaped). `is_known` tells known codes (for
/// lists of codes).
///
/// `text` may be a window of a larger document (spans relative to it): context before its start
/// is simply missing.
pub fn completion_at(
    lang: Lang,
    text: &str,
    spans: &[Span],
    offset: usize,
    is_known: impl Fn(&str) -> bool,
) -> Option<CompletionContext> {
    if offset > text.len() || !text.is_char_boundary(offset) || in_comment(text, spans, offset) {
        return None;
    }
    let cx = Cx::new(lang, text, spans, &is_known);
    let bytes = text.as_bytes();
    match super::literal_span_at(spans, offset) {
        Some(span) => {
            let mut start = offset;
            while start > span.start && is_word(bytes[start - 1]) {
                start -= 1;
            }
            let mut end = offset;
            while end < span.end && is_word(bytes[end]) {
                end += 1;
            }
            let prefix = &text[start..offset];
            // Earlier items of a list of codes in the same literal (`"A, B, $0`) keep it a code place.
            let place = if codes_before(&text[span.start..start]) { cx.place(span) } else { None };
            let rule = place.or_else(|| is_code_shaped_prefix(prefix).then_some(Rule::CodeShaped))?;
            Some(CompletionContext { start, end, prefix: prefix.to_string(), rule })
        }
        None => {
            // An empty value position of a config file: `key: `, `- `, `KEY=`.
            let line_start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
            if !at_empty_config_value(lang, &text[line_start..offset]) {
                return None;
            }
            let rule = cx.empty_value(offset)?;
            Some(CompletionContext { start: offset, end: offset, prefix: String::new(), rule })
        }
    }
}

/// A prefix that asks for codes anywhere: an upper-case ASCII letter, then only `A-Z0-9_`.
pub fn is_code_shaped_prefix(prefix: &str) -> bool {
    let b = prefix.as_bytes();
    !b.is_empty()
        && b[0].is_ascii_uppercase()
        && b.iter().all(|&c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == b'_')
}

/// Words that make a name say "code or error".
const CODE_WORDS: &str = "code codes error errors err errs errcode errcodes errno errorcode errorcodes";

/// More words that make the name of a list say "codes".
const LIST_WORDS: &str = "fatal retryable retriable transient recoverable";

/// Last words of names that hold text about an error rather than a code (`errorMessage`).
const TEXT_WORDS: &str = "message messages msg msgs text txt desc description detail details reason title hint \
    label tip tips toast url uri link path page stack trace log logs info class classname style color icon html \
    template format";

/// Whether `set` (words separated by blanks) holds `word`, ignoring ASCII case.
fn in_set(set: &str, word: &str) -> bool {
    set.split_ascii_whitespace().any(|w| w.eq_ignore_ascii_case(word))
}

/// Whether `set` holds `word` exactly.
fn is_one_of(set: &str, word: &str) -> bool {
    set.split_ascii_whitespace().any(|w| w == word)
}

/// Whether a name (an identifier or a key) says it holds a code: one of its words (split on
/// case changes, `_`, `-`, `.`, digits and other separators) is `code`, `error`, `err`, `errno`
/// ... (not `decode`, `unicode`, `errand`), and its last word is not one for text about an error
/// (`errorMessage`, `error_desc`).
pub fn says_code(name: &str) -> bool {
    says(name, false)
}

/// Like [`says_code`], for the name of a list: `fatal`, `retryable`, `transient`... count too.
pub fn says_codes(name: &str) -> bool {
    says(name, true)
}

fn says(name: &str, list: bool) -> bool {
    let mut any = false;
    let mut last = "";
    for word in words(name) {
        any |= in_set(CODE_WORDS, word) || (list && in_set(LIST_WORDS, word));
        last = word;
    }
    any && !in_set(TEXT_WORDS, last)
}

/// The words of a name: split on non-alphanumerics, letter/digit changes and camel case
/// (`HTTPErrorCode` -> `HTTP`, `Error`, `Code`).
fn words(name: &str) -> impl Iterator<Item = &str> {
    let b = name.as_bytes();
    let mut i = 0;
    std::iter::from_fn(move || {
        while i < b.len() && !b[i].is_ascii_alphanumeric() {
            i += 1;
        }
        if i >= b.len() {
            return None;
        }
        let start = i;
        i += 1;
        while i < b.len() {
            let (p, c) = (b[i - 1], b[i]);
            let boundary = !c.is_ascii_alphanumeric()
                || p.is_ascii_digit() != c.is_ascii_digit()
                || (p.is_ascii_lowercase() && c.is_ascii_uppercase())
                || (p.is_ascii_uppercase()
                    && c.is_ascii_uppercase()
                    && b.get(i + 1).is_some_and(|n| n.is_ascii_lowercase()));
            if boundary {
                break;
            }
            i += 1;
        }
        Some(&name[start..i])
    })
}

/// Whether the text of a literal before the word under the cursor is empty or earlier items of
/// a list of codes (`A, B, `).
fn codes_before(s: &str) -> bool {
    s.bytes()
        .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || matches!(c, b'_' | b',' | b';' | b'|' | b' ' | b'\t'))
}

/// Whether `offset` lies in a comment (at the end of a line comment counts; right after `*/`
/// does not).
fn in_comment(text: &str, spans: &[Span], offset: usize) -> bool {
    let after = spans.partition_point(|s| s.start < offset);
    spans[..after].iter().rev().take(2).any(|s| {
        s.kind == SpanKind::Comment
            && (offset < s.end
                || (offset == s.end && !["*/", "]]", "-->", "=#"].iter().any(|e| text[..s.end].ends_with(e))))
    })
}

/// Whether the cursor, with `line_prefix` before it on its line, sits at an empty value
/// position of a config file where a bare value may start: `key: `, `- ` or `[A, ` in YAML,
/// `KEY=` in .env and INI files. (Whether the key wants a code is decided after.)
fn at_empty_config_value(lang: Lang, line_prefix: &str) -> bool {
    let trimmed = line_prefix.trim_start();
    let key_then = |sep: char| {
        trimmed.split_once(sep).is_some_and(|(key, rest)| {
            !key.trim().is_empty()
                && key.trim().chars().all(|c| c.is_alphanumeric() || "_-. ".contains(c))
                && rest.trim().is_empty()
        })
    };
    match lang {
        Lang::Yaml => {
            trimmed == "-"
                || (trimmed.starts_with("- ") && trimmed[2..].trim().is_empty())
                || key_then(':')
                // An empty item of a flow list: `codes: [A, `
                || (trimmed.contains('[') && trimmed.trim_end().ends_with(['[', ',']))
        }
        Lang::Env | Lang::Ini => key_then('='),
        _ => false,
    }
}

// ------------------------------------------------------------------------------------------
// Backward tokens

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Tok<'a> {
    /// An identifier or keyword, without a leading `$` or `@`.
    Word(&'a str),
    /// The contents of a literal or bare scalar.
    Str(&'a str),
    Num,
    /// A run of operator characters (`===`, `=>`, `:`, `-`), or any other single character.
    Op(&'a str),
    Open(u8),
    Close(u8),
    Comma,
    Semi,
    Dot,
    /// The start of the text, the look-behind bound, or the step limit.
    End,
}

#[derive(Clone, Copy, Debug)]
struct T<'a> {
    tok: Tok<'a>,
    /// A line break lies between this token and the one after it.
    nl_after: bool,
}

fn is_ident_byte(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'_' || c >= 0x80
}

fn is_op_byte(c: u8) -> bool {
    b"=!<>:&|+-*/%^~?".contains(&c)
}

/// A cursor reading tokens backwards. Copy it to look ahead without moving.
#[derive(Clone, Copy)]
struct Back<'a> {
    text: &'a str,
    spans: &'a [Span],
    lua: bool,
    pos: usize,
    floor: usize,
    steps: usize,
}

impl<'a> Back<'a> {
    fn prev(&mut self) -> T<'a> {
        let b = self.text.as_bytes();
        let mut nl = false;
        loop {
            self.steps += 1;
            if self.steps > STEP_LIMIT {
                self.pos = self.floor;
            }
            while self.pos > self.floor && b[self.pos - 1].is_ascii_whitespace() {
                nl |= b[self.pos - 1] == b'\n';
                self.pos -= 1;
            }
            if self.pos <= self.floor {
                return T { tok: Tok::End, nl_after: nl };
            }
            match self.span_ending_here() {
                Some(s) if s.kind == SpanKind::Comment => self.pos = s.start,
                Some(s) => {
                    self.pos = self.open_of(s);
                    return T { tok: Tok::Str(&self.text[s.start..s.end]), nl_after: nl };
                }
                None => break,
            }
        }
        let end = self.pos;
        let c = b[end - 1];
        self.pos -= 1;
        let tok = match c {
            b'(' | b'[' | b'{' => Tok::Open(c),
            b')' | b']' | b'}' => Tok::Close(c),
            b',' => Tok::Comma,
            b';' => Tok::Semi,
            b'.' => Tok::Dot,
            c if is_ident_byte(c) => {
                while self.pos > self.floor && is_ident_byte(b[self.pos - 1]) {
                    self.pos -= 1;
                }
                let word = &self.text[self.pos..end];
                if self.pos > self.floor && matches!(b[self.pos - 1], b'$' | b'@') {
                    self.pos -= 1;
                }
                if word.as_bytes()[0].is_ascii_digit() {
                    Tok::Num
                } else {
                    Tok::Word(word)
                }
            }
            c if is_op_byte(c) => {
                while self.pos > self.floor && is_op_byte(b[self.pos - 1]) {
                    self.pos -= 1;
                }
                Tok::Op(&self.text[self.pos..end])
            }
            _ => {
                // Any other character (`#`, `\`, a quote of an unscanned string): one token.
                while !self.text.is_char_boundary(self.pos) {
                    self.pos -= 1;
                }
                Tok::Op(&self.text[self.pos..end])
            }
        };
        T { tok, nl_after: nl }
    }

    /// The span that ends right before `pos` (a literal with its closing delimiter, a bare
    /// scalar) or holds `pos - 1` (a comment, or the inside of a literal).
    fn span_ending_here(&self) -> Option<Span> {
        let after = self.spans.partition_point(|s| s.start < self.pos);
        let s = *self.spans[..after].last()?;
        let b = self.text.as_bytes();
        match s.kind {
            SpanKind::Comment => (self.pos <= s.end).then_some(s),
            _ if self.pos <= s.end => Some(s),
            SpanKind::Bare => None,
            SpanKind::Literal => {
                let close = &b[s.end..self.pos];
                (close.len() <= 4 && close.iter().all(|&c| self.is_delim(c))).then_some(s)
            }
        }
    }

    fn is_delim(&self, c: u8) -> bool {
        matches!(c, b'"' | b'\'' | b'`' | b'#') || (self.lua && matches!(c, b'[' | b']' | b'='))
    }

    /// Where the literal of span `s` opens: before its quotes and a string prefix
    /// (`r#"`, `f"`, `@"`, `[[`).
    fn open_of(&self, s: Span) -> usize {
        if s.kind == SpanKind::Bare {
            return s.start;
        }
        let b = self.text.as_bytes();
        let mut p = s.start;
        let mut k = 0;
        while p > self.floor && k < 4 && self.is_delim(b[p - 1]) {
            p -= 1;
            k += 1;
        }
        let mut k = 0;
        while p > self.floor
            && k < 2
            && matches!(b[p - 1], b'r' | b'R' | b'b' | b'B' | b'f' | b'F' | b'u' | b'U' | b'@' | b'$' | b'L')
        {
            p -= 1;
            k += 1;
        }
        if k > 0 && p > self.floor && is_ident_byte(b[p - 1]) {
            p += k;
        }
        p
    }

    /// After a closing bracket was read: moves before the bracket that opens it.
    fn skip_group(&mut self) -> bool {
        let mut depth = 1;
        loop {
            match self.prev().tok {
                Tok::Close(_) => depth += 1,
                Tok::Open(_) => {
                    depth -= 1;
                    if depth == 0 {
                        return true;
                    }
                }
                Tok::End => return false,
                _ => {}
            }
        }
    }

    /// After a `>` was read: moves before the `<` that opens the generic arguments.
    fn skip_angles(&mut self, first: &str) -> bool {
        let mut depth = angle_delta(first);
        for _ in 0..64 {
            if depth <= 0 {
                return true;
            }
            match self.prev().tok {
                Tok::Op(op) => depth += angle_delta(op),
                Tok::Close(_) if !self.skip_group() => return false,
                Tok::End | Tok::Semi | Tok::Open(_) => return false,
                _ => {}
            }
        }
        false
    }

    /// The key read by `prev` if the next token is a key (`code` or `"code"`).
    fn key(&mut self) -> Option<&'a str> {
        match self.prev().tok {
            Tok::Word(w) | Tok::Str(w) => Some(w),
            _ => None,
        }
    }
}

/// The end of generic arguments read backwards: `>`, `>>`, Java's diamond `<>`.
fn is_angle_close(op: &str) -> bool {
    op == "<>" || (!op.is_empty() && op.bytes().all(|c| c == b'>'))
}

/// `>` counts +1, `<` -1 (reading backwards, `>` opens).
fn angle_delta(op: &str) -> i32 {
    op.bytes().map(|c| (c == b'>') as i32 - (c == b'<') as i32).sum()
}

/// Path elements that only convert a value: `err.code.as_str()`, `e.code.toUpperCase()`.
const TRANSPARENT: &str = "as_str as_ref as_deref to_string to_owned to_str toString ToString toUpperCase \
    toLowerCase ToUpper ToLower ToUpperInvariant ToLowerInvariant uppercased lowercased upper lower strip trim Trim \
    unwrap value Value rawValue get clone deref str String";

/// Reads an expression path backwards (`res.data.error_code`, `err.getCode()`,
/// `error["code"]`, `$e->code`, `err?.code!`, `"$code"` in shell) and returns its elements,
/// last first.
fn path_before<'a>(b: &mut Back<'a>) -> Vec<&'a str> {
    path_in(b, true)
}

/// [`path_before`], looking into a parenthesised group only when `nested` (once: the look
/// stays linear on `((((...))))`).
fn path_in<'a>(b: &mut Back<'a>, nested: bool) -> Vec<&'a str> {
    let mut names = Vec::new();
    let mut want_element = true;
    let mut after_connector = false;
    for _ in 0..16 {
        let save = *b;
        let t = b.prev();
        match t.tok {
            Tok::Word(w) if want_element => {
                names.push(w);
                want_element = false;
                after_connector = false;
            }
            Tok::Str(s) if want_element && names.is_empty() => {
                // Shell: `[ "$code" = "`.
                let var = s.trim_start_matches('$').trim_start_matches('{').trim_end_matches('}');
                if s.starts_with('$') && !var.is_empty() && var.bytes().all(|c| c.is_ascii_alphanumeric() || c == b'_')
                {
                    names.push(var);
                }
                return names;
            }
            Tok::Close(b')') if want_element => {
                // A call (`getCode()`): the callee is the element. A group (`(err.code)`): its path.
                let inside = if nested { path_in(&mut { *b }, false) } else { Vec::new() };
                if !b.skip_group() {
                    return names;
                }
                let mut peek = *b;
                match peek.prev().tok {
                    Tok::Word(w) if !is_keyword(w) => {
                        *b = peek;
                        names.push(w);
                        want_element = false;
                        after_connector = false;
                    }
                    _ => {
                        names.extend(inside);
                        return names;
                    }
                }
            }
            Tok::Close(b']') if want_element => {
                let mut inner = *b;
                if let (Tok::Str(key), Tok::Open(b'[')) = (inner.prev().tok, inner.prev().tok) {
                    names.push(key);
                }
                if !b.skip_group() {
                    return names;
                }
                after_connector = false;
            }
            // A non-null assertion at the end (`err.code!`), or `?.` / `!.` before an element.
            Tok::Op("!" | "!!") if names.is_empty() => {}
            Tok::Op("?" | "!") if after_connector => {}
            Tok::Dot | Tok::Op("?." | "::" | "->" | "?->") if !want_element => {
                want_element = true;
                after_connector = true;
            }
            _ => {
                *b = save;
                break;
            }
        }
    }
    names
}

/// The name of the operand of a comparison that ends before `b`; none for a type test
/// (`typeof err === "`, `type(e) == "`).
fn operand_name<'a>(b: &mut Back<'a>) -> Option<&'a str> {
    let names = path_before(b);
    match b.prev().tok {
        Tok::Word("typeof" | "sizeof" | "instanceof") => None,
        _ => value_name(&names),
    }
}

/// After `in` (before `b`): the name of the value tested for membership (`e.code not in (`).
fn tested_before<'a>(b: &mut Back<'a>) -> Option<&'a str> {
    let mut peek = *b;
    if peek.prev().tok == Tok::Word("not") {
        *b = peek;
    }
    value_name(&path_before(b))
}

/// The name a path stands for: its last element that is not a conversion.
fn value_name<'a>(names: &[&'a str]) -> Option<&'a str> {
    names.iter().copied().find(|n| !is_one_of(TRANSPARENT, n))
}

/// Keywords that are never the name of a value or callee.
fn is_keyword(w: &str) -> bool {
    is_one_of(
        "if elif else while for foreach switch match when case catch return yield await throw raise new in not and \
         or is typeof sizeof function func fun fn def do then with using lock synchronized assert import from \
         require echo print",
        w,
    )
}

/// Words that declare rather than name: `let`, `const`, `public static final`, ...
fn is_decl_keyword(w: &str) -> bool {
    is_one_of(
        "let const var val final static public private protected internal readonly export local mut pub declare my \
         our global lateinit override open abstract volatile constexpr late required",
        w,
    )
}

/// Calls that build a list, set or tuple from their arguments.
fn is_collection_ctor(w: &str) -> bool {
    is_one_of(
        "Set set frozenset tuple list List setOf listOf arrayOf mutableSetOf mutableListOf hashSetOf arrayListOf \
         sortedSetOf linkedSetOf of asList from Array HashSet ArrayList array vec copyOf newHashSet ImmutableSet \
         ImmutableList",
        w,
    )
}

/// Methods testing their argument against the items of their receiver (not the ones that add:
/// `errors.push("` mostly collects messages).
fn is_membership(w: &str) -> bool {
    is_one_of("includes contains Contains has indexOf IndexOf count index containsKey ContainsKey contains_key", w)
}

/// Assertions comparing their first two arguments.
fn is_assert_equal(w: &str) -> bool {
    is_one_of(
        "equal strictEqual deepEqual deepStrictEqual notEqual notStrictEqual assertEqual assertEquals \
         assertNotEqual assertNotEquals AreEqual AreNotEqual assert_eq assert_ne",
        w,
    )
}

/// Jest's matchers comparing `expect(x)` with their argument.
fn is_expect_equal(w: &str) -> bool {
    is_one_of("toBe toEqual toStrictEqual", w)
}

/// Methods comparing their receiver with their argument.
fn is_equals(w: &str) -> bool {
    is_one_of("equals Equals equalsIgnoreCase eq eql equal", w)
}

/// Names of receivers that log (`console.error(`, `logger.error(`, `log.Error(`).
fn is_logger(w: &str) -> bool {
    words(w).any(|w| in_set("console log logger logging slog zap winston pino timber sentry fmt", w))
}

/// Words of callees that show or log their argument (`showError(`, `printError(`).
fn is_display_call(w: &str) -> bool {
    words(w).any(|w| in_set("log print printf println show display alert toast notify warn warning debug", w))
}

// ------------------------------------------------------------------------------------------
// Language families

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Fam {
    /// The C-like family and its cousins (braces): JS/TS, Go, Rust, Java, Kotlin, C#, PHP, Dart,
    /// Swift, and unknown languages.
    C,
    Python,
    Ruby,
    Lua,
    Shell,
    Json,
    Yaml,
    Toml,
    /// `.env` and INI: `KEY=value` lines.
    KeyLines,
}

fn family(lang: Lang) -> Fam {
    match lang {
        Lang::Python => Fam::Python,
        Lang::Ruby => Fam::Ruby,
        Lang::Lua => Fam::Lua,
        Lang::Shell => Fam::Shell,
        Lang::Json | Lang::Jsonc => Fam::Json,
        Lang::Yaml => Fam::Yaml,
        Lang::Toml => Fam::Toml,
        Lang::Env | Lang::Ini => Fam::KeyLines,
        _ => Fam::C,
    }
}

/// What the enclosing-bracket search found.
enum Encl<'a> {
    /// An unmatched opening bracket (the cursor before it), and whether every item seen between
    /// it and the literal is a known code (at least one).
    Open(u8, Back<'a>, bool),
    /// A `case` (or Ruby `when`) keyword, the cursor before it.
    Case(Back<'a>),
}

/// What the header of a `{` block says.
enum Header<'a> {
    /// A function, method or property getter with this name.
    Function(&'a str),
    /// `if`, `else`, `for`, ...: look further out.
    Control,
    /// A `switch`/`match`/`when` used as an expression; the cursor before its keyword.
    Switch(Back<'a>),
    /// A class, an object literal, an anonymous function: no name to find.
    Stop,
}

struct Cx<'a, F> {
    lang: Lang,
    fam: Fam,
    text: &'a str,
    spans: &'a [Span],
    is_known: &'a F,
}

impl<'a, F: Fn(&str) -> bool> Cx<'a, F> {
    fn new(lang: Lang, text: &'a str, spans: &'a [Span], is_known: &'a F) -> Self {
        // Script blocks and template expressions of Vue, Svelte and WXML, and dialects such as
        // WXS, follow their code language's rules (the language table's `code_as`).
        let lang = lang.code_lang();
        Cx { lang, fam: family(lang), text, spans, is_known }
    }

    fn back(&self, pos: usize) -> Back<'a> {
        let mut floor = pos.saturating_sub(LOOK_BEHIND);
        while !self.text.is_char_boundary(floor) {
            floor += 1;
        }
        Back { text: self.text, spans: self.spans, lua: self.lang == Lang::Lua, pos, floor, steps: 0 }
    }

    /// Why the literal `span` is a code place, if it is one.
    fn place(&self, span: Span) -> Option<Rule> {
        let b = self.text.as_bytes();
        // A piece of an interpolated string after `${...}` is never a whole code.
        if span.kind == SpanKind::Literal && span.start > 0 && matches!(b[span.start - 1], b'}' | b')') {
            return None;
        }
        let open = self.back(span.start).open_of(span);
        match self.fam {
            Fam::Json | Fam::Toml => self.structured_config(open),
            Fam::Yaml => self.yaml(open),
            Fam::KeyLines => self.key_line(open),
            _ => self.code(open).or_else(|| self.reversed(span)),
        }
    }

    /// An empty config value position at `offset`.
    fn empty_value(&self, offset: usize) -> Option<Rule> {
        match self.fam {
            Fam::Yaml => self.yaml(offset),
            Fam::KeyLines => self.key_line(offset),
            _ => None,
        }
    }

    // -- code ---------------------------------------------------------------------------------

    /// The literal opening at `open` in code.
    fn code(&self, open: usize) -> Option<Rule> {
        let mut b = self.back(open);
        let mut t = b.prev();
        // A default or a ternary branch is for whatever the whole expression is for:
        // `code = e.code || "`, `code: ok ? "A" : "`.
        for _ in 0..4 {
            match t.tok {
                Tok::Op("?:") if matches!(self.lang, Lang::JavaScript | Lang::TypeScript) => break,
                Tok::Op("||") | Tok::Op("??") | Tok::Op("?:") | Tok::Op("?") | Tok::Word("or") => {
                    t = self.skip_operand(&mut b);
                }
                Tok::Op(":") => {
                    let mut peek = b;
                    if matches!(peek.prev().tok, Tok::Str(_)) && peek.prev().tok == Tok::Op("?") {
                        b = peek;
                        t = self.skip_operand(&mut b);
                    } else {
                        break;
                    }
                }
                _ => break,
            }
        }
        match t.tok {
            Tok::Op(op) if is_comparison(op) => operand_name(&mut b).filter(|n| says_code(n)).map(|_| Rule::Compared),
            Tok::Op("=") | Tok::Op(":=") | Tok::Op("?=") | Tok::Op("||=") | Tok::Op("??=") => self.assigned(b),
            // `code: "`, and TypeScript's optional `code?: "`.
            Tok::Op(":") | Tok::Op("?:") => match b.prev().tok {
                Tok::Word(k) | Tok::Str(k) if says_code(k) => Some(Rule::Keyed),
                _ => None,
            },
            Tok::Op("=>") => self.fat_arrow(b),
            Tok::Op("->") if self.lang != Lang::Php => self.arm_value(b),
            Tok::Op("|") => self.alternatives(b).or_else(|| self.listish(open, t)),
            Tok::Open(_) | Tok::Comma => self.listish(open, t),
            Tok::Word("return") => self.returned(b, false),
            Tok::Word("case") => self.case_of(b),
            Tok::Word("when") if self.fam == Fam::Ruby => self.case_of(b),
            Tok::Word("in") | Tok::Word("is") if self.fam == Fam::Python => {
                tested_before(&mut b).filter(|n| says_code(n)).map(|_| Rule::Compared)
            }
            Tok::Semi | Tok::Close(b'}') | Tok::End => self.statement_start(open, t),
            _ if t.nl_after => self.statement_start(open, t),
            _ => None,
        }
    }

    /// Skips the left operand of `||`, `??`, `?`: back to an assignment, key, `return`, bracket,
    /// comma or statement start, and returns that token.
    fn skip_operand(&self, b: &mut Back<'a>) -> T<'a> {
        for _ in 0..32 {
            let t = b.prev();
            match t.tok {
                Tok::Close(_) => {
                    if !b.skip_group() {
                        break;
                    }
                }
                Tok::Op(op) if is_comparison(op) || matches!(op, "!" | "&&" | "||" | "??" | "+" | "-" | "<" | ">") => {}
                Tok::Word(w) if !matches!(w, "return" | "case" | "when" | "in" | "yield") => {}
                Tok::Str(_) | Tok::Num | Tok::Dot => {}
                _ => return t,
            }
        }
        T { tok: Tok::End, nl_after: false }
    }

    /// After `=`: an assignment, a keyword argument, a Kotlin expression body, an enum member,
    /// a shell test (`[ "$code" = "`).
    fn assigned(&self, b: Back<'a>) -> Option<Rule> {
        let mut peek = b;
        match peek.prev().tok {
            Tok::Str(_) if self.fam == Fam::Shell => {
                let mut p = b;
                return value_name(&path_before(&mut p)).filter(|n| says_code(n)).map(|_| Rule::Compared);
            }
            // `fun code() = "`, `fun code(): String = "`
            Tok::Close(_) | Tok::Word(_) if self.lang == Lang::Kotlin => {
                if let Some(name) = fun_before_eq(b) {
                    return says_code(name).then_some(Rule::Returned);
                }
            }
            _ => {}
        }
        let (names, boundary, before) = self.decl_names(b);
        if names.iter().any(|n| says_code(n)) {
            return Some(match boundary {
                Tok::Open(b'(') | Tok::Open(b'{') | Tok::Comma => Rule::Keyed,
                _ => Rule::Assigned,
            });
        }
        // A member of an enum whose name says code: `enum ErrorCode { NotFound = "`.
        if self.fam == Fam::C && matches!(boundary, Tok::Open(b'{') | Tok::Comma) {
            let mut bb = if boundary == Tok::Comma { self.enclosing_brace(before)? } else { before };
            if let (Tok::Word(name), Tok::Word("enum")) = (bb.prev().tok, bb.prev().tok) {
                return says_codes(name).then_some(Rule::Assigned);
            }
        }
        None
    }

    /// The names an assignment before `b` declares or writes: the element right before the `=`
    /// (the last of its path), the name before a type annotation (`code: string`), and the first
    /// name after a declaration keyword (`var code string`). Also the token that ends the
    /// assignment's left side, and the cursor before it.
    fn decl_names(&self, mut b: Back<'a>) -> (Vec<&'a str>, Tok<'a>, Back<'a>) {
        let mut items: Vec<&'a str> = Vec::new();
        let mut names: Vec<&'a str> = Vec::new();
        let mut in_path = false;
        let mut after_colon = false;
        let mut declared = false;
        for _ in 0..24 {
            let t = b.prev();
            if t.nl_after && !items.is_empty() && !in_path {
                return (decl_candidates(items, names, declared), t.tok, b);
            }
            match t.tok {
                Tok::Word(_) if in_path => in_path = false,
                Tok::Word(w) if is_decl_keyword(w) => declared = true,
                Tok::Word(w) => {
                    items.push(w);
                    if after_colon {
                        names.push(w);
                        after_colon = false;
                    }
                }
                Tok::Dot | Tok::Op("?.") | Tok::Op("::") | Tok::Op("->") => in_path = true,
                Tok::Op(":") => after_colon = true,
                Tok::Op(op) if is_angle_close(op) => {
                    if !b.skip_angles(op) {
                        break;
                    }
                }
                Tok::Op("*") | Tok::Op("&") | Tok::Op("?") | Tok::Op("!") | Tok::Op("!!") | Tok::Op("&'") => {}
                Tok::Close(c) => {
                    // `error["code"] =` names its key; `[]string`, `&[&str]`, `a[0]` are skipped.
                    if c == b']' && items.is_empty() {
                        let mut inner = b;
                        if let (Tok::Str(key), Tok::Open(b'[')) = (inner.prev().tok, inner.prev().tok) {
                            items.push(key);
                            in_path = true;
                        }
                    }
                    if !b.skip_group() {
                        break;
                    }
                    if c == b']' && !items.is_empty() {
                        in_path = true;
                    }
                }
                tok => return (decl_candidates(items, names, declared), tok, b),
            }
        }
        (decl_candidates(items, names, declared), Tok::End, b)
    }

    /// After `=>`: a key (`'code' => '`, `:code => "`), an arrow function or expression-bodied
    /// member (`getCode = () => "`, `string Code => "`), or a match arm's value.
    fn fat_arrow(&self, b: Back<'a>) -> Option<Rule> {
        let mut p = b;
        let t = p.prev();
        match t.tok {
            Tok::Str(k) if says_code(k) => Some(Rule::Keyed),
            Tok::Word(k) if p.prev().tok == Tok::Op(":") => says_code(k).then_some(Rule::Keyed),
            Tok::Close(b')') => {
                let mut q = p;
                if q.skip_group() {
                    let mut r = q;
                    match r.prev().tok {
                        Tok::Op("=") | Tok::Op(":") => {
                            if let Tok::Word(name) = r.prev().tok {
                                return says_code(name).then_some(Rule::Returned);
                            }
                            return None;
                        }
                        Tok::Word("async") => {
                            if let (Tok::Op("=") | Tok::Op(":"), Tok::Word(name)) = (r.prev().tok, r.prev().tok) {
                                return says_code(name).then_some(Rule::Returned);
                            }
                            return None;
                        }
                        Tok::Word(name) if !is_keyword(name) && matches!(self.lang, Lang::CSharp | Lang::Dart) => {
                            return says_code(name).then_some(Rule::Returned);
                        }
                        _ => {}
                    }
                }
                self.arm_value(b)
            }
            Tok::Word(name) => {
                let mut q = p;
                match q.prev().tok {
                    // A lambda parameter: `errs.map(err => "`.
                    Tok::Open(_) | Tok::Comma | Tok::Op("=") | Tok::Word("async") | Tok::Op("=>") => None,
                    Tok::Op("::") | Tok::Dot => self.arm_value(b),
                    _ if says_code(name) && matches!(self.lang, Lang::CSharp | Lang::Dart | Lang::Generic) => {
                        Some(Rule::Returned)
                    }
                    _ => self.arm_value(b),
                }
            }
            _ => self.arm_value(b),
        }
    }

    /// The value of a match arm (`X => "`, `X -> "`): a code when the match is what a code-ish
    /// function returns.
    fn arm_value(&self, b: Back<'a>) -> Option<Rule> {
        let bb = self.enclosing_brace(b)?;
        self.switch_subject(bb)?;
        self.returned(b, false)
    }

    /// After `return` (or at a function's tail): the enclosing function's name says code.
    fn returned(&self, b: Back<'a>, list: bool) -> Option<Rule> {
        let name = match self.fam {
            Fam::Python | Fam::Ruby => self.def_name(b.pos),
            Fam::Lua => self.lua_function_name(b.pos),
            Fam::C => self.function_name(b),
            _ => None,
        }?;
        // Go's `Error() string` returns the message of an error type.
        if self.lang == Lang::Go && name == "Error" {
            return None;
        }
        let ok = if list { says_codes(name) } else { says_code(name) };
        ok.then_some(if list { Rule::ListItem } else { Rule::Returned })
    }

    /// After `"A" |` (a union type, a pattern): what the alternatives are for, when they follow
    /// a key, an assignment (`type ErrorCode = "A" | "`) or a `case`.
    fn alternatives(&self, mut b: Back<'a>) -> Option<Rule> {
        for _ in 0..64 {
            match b.prev().tok {
                Tok::Str(_) | Tok::Op("|") => {}
                Tok::Op(":") => return b.key().filter(|k| says_code(k)).map(|_| Rule::Keyed),
                Tok::Op("=") if self.fam == Fam::C => {
                    let mut p = b;
                    let (name, kw) = (p.prev().tok, p.prev().tok);
                    return match (name, kw) {
                        (Tok::Word(n), Tok::Word("type")) => says_code(n).then_some(Rule::Assigned),
                        _ => self.assigned(b),
                    };
                }
                Tok::Word("case") => return self.case_of(b),
                _ => return None,
            }
        }
        None
    }

    /// A literal after `(`, `[`, `{`, `,` or `|`: an item of a list, an argument, a case.
    fn listish(&self, open: usize, t: T<'a>) -> Option<Rule> {
        match self.enclosing(self.back(open))? {
            Encl::Case(b) => self.case_of(b),
            Encl::Open(b'(', b, known) => self.paren(b, known, open),
            Encl::Open(b'[', b, known) => self.bracket(b, known),
            Encl::Open(_, b, known) => self.brace(b, known, t),
        }
    }

    /// Scans back from a literal over the items before it to the bracket that encloses it, or
    /// to a `case`/`when` keyword.
    fn enclosing(&self, mut b: Back<'a>) -> Option<Encl<'a>> {
        let (mut items, mut known, mut simple) = (0, true, true);
        loop {
            let t = b.prev();
            match t.tok {
                Tok::Open(c) => return Some(Encl::Open(c, b, simple && items > 0 && known)),
                Tok::Close(_) => {
                    simple = false;
                    if !b.skip_group() {
                        return None;
                    }
                }
                Tok::Str(s) => {
                    items += 1;
                    known &= (self.is_known)(s);
                }
                Tok::Comma | Tok::Op("|") => {}
                Tok::Word("case") => return Some(Encl::Case(b)),
                Tok::Word("when") if self.fam == Fam::Ruby => return Some(Encl::Case(b)),
                Tok::Semi | Tok::End => return None,
                _ => simple = false,
            }
        }
    }

    /// The first unmatched `{` before `b` (unmatched `(`/`[` are passed); the cursor before it.
    fn enclosing_brace(&self, mut b: Back<'a>) -> Option<Back<'a>> {
        loop {
            match b.prev().tok {
                Tok::Open(b'{') => return Some(b),
                Tok::Close(_) if !b.skip_group() => return None,
                Tok::End => return None,
                _ => {}
            }
        }
    }

    /// An item or argument inside `(`; `b` is before the `(`.
    fn paren(&self, b: Back<'a>, known: bool, open: usize) -> Option<Rule> {
        let mut p = b;
        let t = p.prev();
        let tuple = || self.list_owner(b).or(known.then_some(Rule::KnownList));
        // `assertEqual(e.code, "`, `assert_eq!(err.code, "`: the argument before says code.
        let callee = match t.tok {
            Tok::Op("!") => { p }.prev().tok,
            tok => tok,
        };
        if let Tok::Word(w) = callee {
            if is_assert_equal(w) {
                let mut q = self.back(open);
                return match q.prev().tok {
                    Tok::Comma => operand_name(&mut q).filter(|n| says_code(n)).map(|_| Rule::Compared),
                    _ => None,
                };
            }
        }
        match t.tok {
            Tok::Word("in") => tested_before(&mut p).filter(|n| says_code(n)).map(|_| Rule::Compared),
            Tok::Word("return") if self.fam == Fam::Python => tuple(),
            Tok::Word(w) if is_keyword(w) => None,
            Tok::Word(_) | Tok::Close(_) => self.call(b, known),
            // `setOf<String>(`, `new Set<string>(`
            Tok::Op(op) if is_angle_close(op) => {
                if p.skip_angles(op) {
                    self.call(p, known)
                } else {
                    None
                }
            }
            // A tuple: `CODES = ("A", "`
            _ if self.fam == Fam::Python => tuple(),
            _ => None,
        }
    }

    /// The literal is an argument of the call whose callee path ends before `b`.
    fn call(&self, b: Back<'a>, known: bool) -> Option<Rule> {
        let mut p = b;
        let path = path_before(&mut p);
        let callee = *path.first()?;
        let receiver = path.get(1).copied();
        if is_expect_equal(callee) {
            // `expect(err.code).toBe("`
            let mut q = b;
            if let (Tok::Word(_), Tok::Dot, Tok::Close(b')')) = (q.prev().tok, q.prev().tok, q.prev().tok) {
                let name = operand_name(&mut { q });
                if q.skip_group() && q.prev().tok == Tok::Word("expect") {
                    return name.filter(|n| says_code(n)).map(|_| Rule::Compared);
                }
            }
            return None;
        }
        if is_collection_ctor(callee) {
            return self.list_owner(p).or(known.then_some(Rule::KnownList));
        }
        if is_membership(callee) {
            return value_name(&path[1..]).filter(|n| says_codes(n)).map(|_| Rule::Compared);
        }
        if is_equals(callee) {
            return value_name(&path[1..]).filter(|n| says_code(n)).map(|_| Rule::Compared);
        }
        if !says_code(callee) || receiver.is_some_and(is_logger) || is_display_call(callee) {
            return None;
        }
        // An exception constructor takes a message: `new Error("`, `raise ValueError("`.
        let mut q = p;
        let created = matches!(q.prev().tok, Tok::Word("new" | "raise" | "throw"));
        let last = words(callee).last().unwrap_or("");
        let errorish = in_set("error errors err exception fault failure", last);
        let pascal = callee.as_bytes()[0].is_ascii_uppercase();
        let exception = last.eq_ignore_ascii_case("exception");
        if errorish && (created || exception || (pascal && !matches!(self.lang, Lang::Go | Lang::CSharp))) {
            return None;
        }
        Some(Rule::Argument)
    }

    /// An item inside `[`; `b` is before the `[`.
    fn bracket(&self, b: Back<'a>, known: bool) -> Option<Rule> {
        let mut p = b;
        match p.prev().tok {
            Tok::Word("in") => tested_before(&mut p).filter(|n| says_code(n)).map(|_| Rule::Compared),
            // Indexing: `codes[`, `error["`, `f()[`.
            Tok::Word(w) if !is_keyword(w) => None,
            Tok::Close(_) | Tok::Str(_) => None,
            _ => self.list_owner(b).or(known.then_some(Rule::KnownList)),
        }
    }

    /// An item inside `{`; `b` is before the `{`. `t` is the token right before the literal.
    fn brace(&self, b: Back<'a>, known: bool, t: T<'a>) -> Option<Rule> {
        // Arms of `match x {`, `when (x) {`, `x switch {`.
        if let Some(subject) = self.switch_subject(b) {
            return says_code(subject).then_some(Rule::Case);
        }
        if self.lang == Lang::Rust && t.tok == Tok::Open(b'{') {
            // A block's tail expression: `fn code(&self) -> &str { "`.
            return self.returned(self.back_after(b), false);
        }
        let list = match self.fam {
            Fam::Python | Fam::Lua => true,
            Fam::C => {
                let mut p = b;
                match (self.lang, p.prev().tok) {
                    // `[]string{`, `[...]ErrorCode{`, `map[string]bool{` (keys)
                    (Lang::Go, Tok::Word(_)) => p.prev().tok == Tok::Close(b']'),
                    // `String[] CODES = {`, `new String[] {`, `new List<string> {`, `new[] {`, Dart sets.
                    (Lang::Java | Lang::CSharp | Lang::Dart | Lang::Generic, Tok::Op("=")) => true,
                    (Lang::Java | Lang::CSharp, Tok::Close(b']') | Tok::Close(b')')) => true,
                    (Lang::CSharp, Tok::Op(op)) => is_angle_close(op),
                    _ => false,
                }
            }
            _ => false,
        };
        if !list {
            return None;
        }
        self.list_owner(b).or(known.then_some(Rule::KnownList))
    }

    /// A cursor just inside the `{` that `b` stands before (to search outward from it).
    fn back_after(&self, b: Back<'a>) -> Back<'a> {
        Back { pos: b.pos + 1, ..b }
    }

    /// Who a list literal (its opening bracket right after `b`) belongs to: an assignment, a
    /// key, a `return`, a call, a membership test.
    fn list_owner(&self, mut b: Back<'a>) -> Option<Rule> {
        for _ in 0..16 {
            let t = b.prev();
            match t.tok {
                Tok::Op("=") | Tok::Op(":=") | Tok::Op("+=") | Tok::Op("?=") | Tok::Op("||=") | Tok::Op("??=") => {
                    let (names, _, _) = self.decl_names(b);
                    return names.iter().any(|n| says_codes(n)).then_some(Rule::ListItem);
                }
                Tok::Op(":") | Tok::Op("=>") => {
                    return b.key().filter(|k| says_codes(k)).map(|_| Rule::ListItem);
                }
                Tok::Word("return") => return self.returned(b, true),
                Tok::Word("in") => {
                    return tested_before(&mut b).filter(|n| says_code(n)).map(|_| Rule::Compared);
                }
                Tok::Word(w) if is_keyword(w) && w != "new" => return None,
                Tok::Word(_) | Tok::Dot | Tok::Op("::") | Tok::Op("&") | Tok::Op("!") | Tok::Op("*") | Tok::Op("?") => {
                }
                Tok::Op(op) if is_angle_close(op) => {
                    if !b.skip_angles(op) {
                        return None;
                    }
                }
                Tok::Close(_) => {
                    if !b.skip_group() {
                        return None;
                    }
                }
                Tok::Open(b'(') => return self.call_of_list(b),
                Tok::Comma => match self.enclosing(b)? {
                    Encl::Open(b'(', p, _) => return self.call_of_list(p),
                    _ => return None,
                },
                _ => return None,
            }
        }
        None
    }

    /// A list that is an argument of a call (before `b`): a constructor (`new Set([`, look
    /// further out), or a code-ish call (`hasAnyCode([`).
    fn call_of_list(&self, b: Back<'a>) -> Option<Rule> {
        let mut p = b;
        let t = p.prev();
        match t.tok {
            Tok::Word(w) if is_keyword(w) => None,
            Tok::Word(_) => {
                let mut q = b;
                let path = path_before(&mut q);
                let callee = *path.first()?;
                if is_collection_ctor(callee) || callee.as_bytes()[0].is_ascii_uppercase() {
                    return self.list_owner(q);
                }
                self.call(b, false)
            }
            Tok::Op(op) if is_angle_close(op) => {
                if !p.skip_angles(op) {
                    return None;
                }
                self.list_owner(p)
            }
            _ => None,
        }
    }

    /// After a `case` (or Ruby `when`) keyword before `b`: is the switch over a code?
    fn case_of(&self, b: Back<'a>) -> Option<Rule> {
        let subject = match self.fam {
            Fam::Python => self.line_subject(b.pos, "match ")?,
            Fam::Ruby => self.line_subject(b.pos, "case ")?,
            _ => self.switch_subject(self.enclosing_brace(b)?)?,
        };
        says_code(subject).then_some(Rule::Case)
    }

    /// If the `{` right after `b` opens a `switch`/`match`/`when`/C# switch expression: the
    /// name of the value it switches on.
    fn switch_subject(&self, b: Back<'a>) -> Option<&'a str> {
        let is_switch = |w: &str| matches!(w, "switch" | "match" | "when" | "select");
        let mut p = b;
        if p.prev().tok == Tok::Close(b')') {
            // `switch (x) {`, `when (x) {`, `match($x) {`
            let name = operand_name(&mut { p });
            if p.skip_group() {
                if let Tok::Word(w) = p.prev().tok {
                    if is_switch(w) {
                        return name;
                    }
                }
            }
        }
        let mut p = b;
        if p.prev().tok == Tok::Word("switch") {
            // C#: `x switch {`
            return value_name(&path_before(&mut p));
        }
        // `switch x {`, `match x.as_str() {`
        let mut q = b;
        let names = path_before(&mut q);
        match q.prev().tok {
            Tok::Word(w) if is_switch(w) => value_name(&names),
            _ => None,
        }
    }

    /// Where a literal starts a statement (or an arm): arms of `match`/`when` blocks, Rust tail
    /// expressions, Ruby implicit returns.
    fn statement_start(&self, open: usize, t: T<'a>) -> Option<Rule> {
        match self.fam {
            Fam::C => {
                let bb = self.enclosing_brace(self.back(open))?;
                if let Some(subject) = self.switch_subject(bb) {
                    if t.tok != Tok::Semi {
                        return says_code(subject).then_some(Rule::Case);
                    }
                }
                if self.lang == Lang::Rust && matches!(t.tok, Tok::Semi | Tok::Close(b'}')) {
                    return self.returned(self.back(open), false);
                }
                None
            }
            Fam::Ruby if t.nl_after || t.tok == Tok::End => self.returned(self.back(open), false),
            _ => None,
        }
    }

    /// The enclosing function of the code before `b` (C-like): its name, walking out through
    /// `if`/`else`/`match` blocks and C# accessors.
    fn function_name(&self, b: Back<'a>) -> Option<&'a str> {
        let mut b = b;
        for _ in 0..6 {
            let bb = self.enclosing_brace(b)?;
            match self.block_header(bb) {
                Header::Function(name) => return Some(name),
                Header::Control => b = bb,
                Header::Switch(kw) => {
                    // `fun code() = when (this) {`
                    let mut p = kw;
                    if p.prev().tok == Tok::Op("=") {
                        if let Some(name) = fun_before_eq(p) {
                            return Some(name);
                        }
                    }
                    b = bb;
                }
                Header::Stop => return None,
            }
        }
        None
    }

    /// What the header of the `{` right after `b` is.
    fn block_header(&self, b: Back<'a>) -> Header<'a> {
        let mut b = b;
        let mut t = b.prev();
        match t.tok {
            Tok::Word("else" | "try" | "finally" | "do" | "loop" | "unsafe" | "async" | "defer" | "default") => {
                return Header::Control;
            }
            Tok::Word("get" | "set") => return Header::Control,
            Tok::Op("=>") => {
                // `getCode = () => {`, `getCode: async () => {`
                let mut p = b;
                let mut t = p.prev();
                if t.tok == Tok::Close(b')') {
                    if !p.skip_group() {
                        return Header::Stop;
                    }
                    t = p.prev();
                } else if matches!(t.tok, Tok::Word(_)) {
                    t = p.prev();
                }
                if t.tok == Tok::Word("async") {
                    t = p.prev();
                }
                if matches!(t.tok, Tok::Op("=") | Tok::Op(":")) {
                    if let Tok::Word(name) = p.prev().tok {
                        return Header::Function(name);
                    }
                }
                return Header::Stop;
            }
            Tok::Op("=") | Tok::Op(":") | Tok::Open(_) | Tok::Comma | Tok::Word("return") => return Header::Stop,
            _ => {}
        }
        let mut first_word = None;
        let mut colon_word = None;
        let mut after_colon = false;
        for _ in 0..16 {
            match t.tok {
                Tok::Close(b')') => {
                    let mut p = b;
                    if !p.skip_group() {
                        return Header::Stop;
                    }
                    let mut t2 = p.prev();
                    // Go: `func (r T) Code() (string, error) {`
                    while t2.tok == Tok::Close(b')') {
                        if !p.skip_group() {
                            return Header::Stop;
                        }
                        t2 = p.prev();
                    }
                    if let Tok::Op(op) = t2.tok {
                        if is_angle_close(op) && p.skip_angles(op) {
                            t2 = p.prev();
                        }
                    }
                    return match t2.tok {
                        Tok::Word("switch" | "match" | "when" | "select") => Header::Switch(p),
                        Tok::Word(w) if is_keyword(w) && !matches!(w, "function" | "func" | "fun" | "fn") => {
                            Header::Control
                        }
                        Tok::Word("function" | "func" | "fun" | "fn") => {
                            // Anonymous: `getCode = function() {`, `getCode: function() {`
                            match (p.prev().tok, p.prev().tok) {
                                (Tok::Op("=") | Tok::Op(":"), Tok::Word(name)) => Header::Function(name),
                                _ => Header::Stop,
                            }
                        }
                        Tok::Word(w) => Header::Function(w),
                        _ => Header::Stop,
                    };
                }
                Tok::Word(w)
                    if is_one_of(
                        "class struct impl interface object enum trait namespace module extension record union package",
                        w,
                    ) =>
                {
                    return Header::Stop;
                }
                Tok::Word("match" | "switch" | "when" | "select") => return Header::Switch(b),
                Tok::Word(w) if is_keyword(w) => return Header::Control,
                Tok::Word(w) => {
                    if after_colon && colon_word.is_none() {
                        colon_word = Some(w);
                    }
                    first_word.get_or_insert(w);
                }
                Tok::Op(":") => after_colon = true,
                Tok::Close(b']') => {
                    if !b.skip_group() {
                        return Header::Stop;
                    }
                }
                Tok::Op(op) if is_angle_close(op) => {
                    if !b.skip_angles(op) {
                        return Header::Stop;
                    }
                }
                Tok::Dot | Tok::Op(_) | Tok::Comma => {}
                _ => break,
            }
            t = b.prev();
        }
        // No parameter list: a property (`string Code {`, `var code: String {`, `get code {`).
        match colon_word.or(first_word) {
            Some(w) => Header::Function(w),
            None => Header::Stop,
        }
    }

    /// Comparisons written after the literal: `"X" === err.code`, `"X".equals(code)`,
    /// `"X" in CODES` (Python).
    fn reversed(&self, span: Span) -> Option<Rule> {
        if span.kind != SpanKind::Literal {
            return None;
        }
        let b = self.text.as_bytes();
        let line_end = memchr::memchr(b'\n', &b[span.end..]).map_or(b.len(), |k| span.end + k);
        let mut i = span.end;
        let quotes = b[i..line_end].iter().take_while(|&&c| matches!(c, b'"' | b'\'' | b'`' | b'#')).count();
        if quotes == 0 {
            return None;
        }
        i += quotes;
        let rest = &self.text[i..line_end];
        let trimmed = rest.trim_start();
        for op in ["===", "!==", "==", "!=", "~="] {
            if let Some(after) = trimmed.strip_prefix(op) {
                return forward_name(after).filter(|n| says_code(n)).map(|_| Rule::Compared);
            }
        }
        for call in [".equals(", ".Equals(", ".equalsIgnoreCase("] {
            if let Some(after) = rest.strip_prefix(call) {
                return forward_name(after).filter(|n| says_code(n)).map(|_| Rule::Compared);
            }
        }
        if self.fam == Fam::Python {
            let after = trimmed.strip_prefix("not ").map(str::trim_start).unwrap_or(trimmed);
            if let Some(after) = after.strip_prefix("in ") {
                return forward_name(after).filter(|n| says_codes(n)).map(|_| Rule::Compared);
            }
        }
        None
    }

    // -- indentation-based languages ----------------------------------------------------------

    /// The lines before the one holding `pos`, nearest first, within the look-behind: (start,
    /// indentation, trimmed text without a trailing comment marker).
    fn lines_before(&self, pos: usize) -> impl Iterator<Item = (usize, &'a str)> + 'a {
        let text = self.text;
        let floor = self.back(pos).floor;
        let mut end = text[..pos].rfind('\n');
        std::iter::from_fn(move || {
            let e = end?;
            if e < floor {
                return None;
            }
            let start = text[..e].rfind('\n').map_or(0, |i| i + 1);
            end = start.checked_sub(1);
            if start < floor {
                return None;
            }
            Some((indent_of(&text[start..e]), &text[start..e]))
        })
        .take(128)
    }

    fn line_at(&self, pos: usize) -> (usize, &'a str) {
        let start = self.text[..pos].rfind('\n').map_or(0, |i| i + 1);
        let end = memchr::memchr(b'\n', &self.text.as_bytes()[pos..]).map_or(self.text.len(), |k| pos + k);
        (indent_of(&self.text[start..end]), &self.text[start..end])
    }

    /// Python `match SUBJECT:` above a `case`, Ruby `case SUBJECT` above a `when`: the name of
    /// the subject.
    fn line_subject(&self, pos: usize, keyword: &str) -> Option<&'a str> {
        let (indent, _) = self.line_at(pos);
        for (j, line) in self.lines_before(pos) {
            let trimmed = line.trim();
            if trimmed.is_empty() || trimmed.starts_with('#') {
                continue;
            }
            if let Some(subject) = trimmed.strip_prefix(keyword) {
                if j <= indent {
                    return forward_name(subject.trim_end_matches(':'));
                }
            }
            if j < indent {
                return None;
            }
        }
        None
    }

    /// The name of the Python or Ruby `def` enclosing `pos` (the same line counts:
    /// `def code(self): return "`).
    fn def_name(&self, pos: usize) -> Option<&'a str> {
        let (mut indent, line) = self.line_at(pos);
        if let Some(name) = def_line(line) {
            return Some(name);
        }
        for (j, line) in self.lines_before(pos) {
            let trimmed = line.trim();
            if trimmed.is_empty() || trimmed.starts_with('#') || j >= indent {
                continue;
            }
            if let Some(name) = def_line(line) {
                return Some(name);
            }
            if trimmed.starts_with("class ") || j == 0 {
                return None;
            }
            indent = j;
        }
        None
    }

    /// The name of the nearest Lua function header above `pos` (or on its line).
    fn lua_function_name(&self, pos: usize) -> Option<&'a str> {
        let (_, line) = self.line_at(pos);
        std::iter::once(line).chain(self.lines_before(pos).map(|(_, l)| l)).find_map(|line| {
            let at = line.find("function")?;
            let after = line[at + 8..].trim_start();
            let named = after.split('(').next().unwrap_or("").trim();
            let name = if named.is_empty() {
                // `code = function(`
                line[..at].trim_end().trim_end_matches('=').trim_end().rsplit([' ', '.', ':']).next().unwrap_or("")
            } else {
                named.rsplit(['.', ':']).next().unwrap_or("")
            };
            (!name.is_empty()).then_some(name)
        })
    }

    // -- config files ------------------------------------------------------------------------

    /// JSON and TOML: a value after `"key":` / `key =`, an item of an array under such a key.
    fn structured_config(&self, open: usize) -> Option<Rule> {
        let mut b = self.back(open);
        match b.prev().tok {
            Tok::Op(":") | Tok::Op("=") => b.key().filter(|k| says_code(k)).map(|_| Rule::ConfigValue),
            Tok::Comma | Tok::Open(b'[') => match self.enclosing(self.back(open))? {
                Encl::Open(b'[', mut p, known) => match p.prev().tok {
                    Tok::Op(":") | Tok::Op("=") => match p.key() {
                        Some(k) if says_codes(k) => Some(Rule::ConfigValue),
                        _ => known.then_some(Rule::KnownList),
                    },
                    Tok::Comma | Tok::Open(b'[') => known.then_some(Rule::KnownList),
                    _ => None,
                },
                _ => None,
            },
            _ => None,
        }
    }

    /// YAML: a value after `key:`, a block list item under `key:`, a flow list item.
    fn yaml(&self, open: usize) -> Option<Rule> {
        let mut b = self.back(open);
        let t = b.prev();
        match t.tok {
            // On the same line: after `key:` and a line break comes a nested key.
            Tok::Op(":") if !t.nl_after => b.key().filter(|k| says_code(k)).map(|_| Rule::ConfigValue),
            Tok::Op(op) if !t.nl_after && op.trim_start_matches('-').is_empty() => self.yaml_parent(open),
            Tok::Comma | Tok::Open(b'[') => match self.enclosing(self.back(open))? {
                Encl::Open(b'[', mut p, known) => match p.prev().tok {
                    Tok::Op(":") => match p.key() {
                        Some(k) if says_codes(k) => Some(Rule::ConfigValue),
                        _ => known.then_some(Rule::KnownList),
                    },
                    _ => known.then_some(Rule::KnownList),
                },
                _ => None,
            },
            _ => None,
        }
    }

    /// A YAML block list item at `open` (after `- `): its list's key, or its siblings.
    fn yaml_parent(&self, open: usize) -> Option<Rule> {
        let line_start = self.text[..open].rfind('\n').map_or(0, |i| i + 1);
        // The column of the dash of this item (the last one before the value: `- - X`).
        let dash = self.text[line_start..open].rfind('-')?;
        let mut siblings = 0;
        let mut known = true;
        for (j, line) in self.lines_before(open) {
            let trimmed = line.trim();
            if trimmed.is_empty() || trimmed.starts_with('#') || j > dash {
                continue;
            }
            if j == dash && (trimmed == "-" || trimmed.starts_with("- ")) {
                let item = trimmed[1..].trim();
                let item = item.split(" #").next().unwrap_or(item).trim().trim_matches(|c| c == '"' || c == '\'');
                siblings += 1;
                known &= (self.is_known)(item);
                continue;
            }
            let content = trimmed.split(" #").next().unwrap_or(trimmed).trim_end();
            if let Some(key) = content.strip_suffix(':') {
                let key = key.trim_start_matches("- ").trim().trim_matches(|c| c == '"' || c == '\'');
                if says_codes(key) {
                    return Some(Rule::ConfigValue);
                }
            }
            break;
        }
        (siblings > 0 && known).then_some(Rule::KnownList)
    }

    /// `.env` and INI: the value of `KEY=` / `key = ` / `key: `.
    fn key_line(&self, open: usize) -> Option<Rule> {
        let line_start = self.text[..open].rfind('\n').map_or(0, |i| i + 1);
        let before = self.text[line_start..open].trim_end().trim_end_matches(['"', '\'', '`']).trim_end();
        let key = before.strip_suffix('=').or_else(|| before.strip_suffix(':'))?.trim();
        let key = key.strip_prefix("export ").unwrap_or(key).trim();
        (!key.is_empty() && says_codes(key)).then_some(Rule::ConfigValue)
    }
}

/// The names to check of an assignment's left side (see [`Cx::decl_names`]).
fn decl_candidates<'a>(items: Vec<&'a str>, mut names: Vec<&'a str>, declared: bool) -> Vec<&'a str> {
    names.extend(items.first());
    if declared {
        names.extend(items.last());
    }
    names
}

/// Kotlin's `fun NAME(...)` or `fun NAME(...): Type` before an `=` (the cursor before `b`).
fn fun_before_eq(mut b: Back<'_>) -> Option<&str> {
    for _ in 0..12 {
        match b.prev().tok {
            Tok::Close(b')') => {
                if !b.skip_group() {
                    return None;
                }
                return match (b.prev().tok, b.prev().tok) {
                    (Tok::Word(name), Tok::Word("fun")) => Some(name),
                    _ => None,
                };
            }
            Tok::Op(op) if is_angle_close(op) => {
                if !b.skip_angles(op) {
                    return None;
                }
            }
            Tok::Word(_) | Tok::Dot | Tok::Op(":" | "?") => {}
            _ => return None,
        }
    }
    None
}

fn is_comparison(op: &str) -> bool {
    matches!(op, "===" | "==" | "!==" | "!=" | "~=" | "<>")
}

fn indent_of(line: &str) -> usize {
    line.len() - line.trim_start().len()
}

/// `def NAME(`, `async def NAME(`, `def self.NAME`: the name.
fn def_line(line: &str) -> Option<&str> {
    let t = line.trim_start();
    let t = t.strip_prefix("async ").unwrap_or(t);
    let rest = t.strip_prefix("def ")?.trim_start();
    let name = rest.split(|c: char| !(c.is_alphanumeric() || c == '_' || c == '.' || c == '?' || c == '!')).next()?;
    let name = name.rsplit('.').next()?;
    (!name.is_empty()).then_some(name)
}

/// The name of the path at the start of `s` (`err.code.lower()`, `self.code`, `$code`,
/// `error["code"]`): its last element that is not a conversion.
fn forward_name(s: &str) -> Option<&str> {
    let s = s.trim_start().trim_start_matches('(').trim_start();
    let b = s.as_bytes();
    let mut names = Vec::new();
    let mut i = 0;
    while i < b.len() && i < 200 {
        match b[i] {
            b'$' | b'@' => i += 1,
            c if is_ident_byte(c) => {
                let start = i;
                while i < b.len() && is_ident_byte(b[i]) {
                    i += 1;
                }
                names.push(&s[start..i]);
            }
            b'.' => i += 1,
            b'?' | b'!' if b.get(i + 1) == Some(&b'.') => i += 2,
            b':' if b.get(i + 1) == Some(&b':') => i += 2,
            b'-' if b.get(i + 1) == Some(&b'>') => i += 2,
            b'(' => {
                // A call: skip its (simple) arguments.
                match s[i..].find(')') {
                    Some(k) => i += k + 1,
                    None => break,
                }
            }
            b'[' => {
                let Some(k) = s[i..].find(']') else { break };
                let inner = s[i + 1..i + k].trim().trim_matches(|c| c == '"' || c == '\'');
                if !inner.is_empty() && inner.bytes().all(|c| c.is_ascii_alphanumeric() || c == b'_') {
                    names.push(inner);
                }
                i += k + 1;
            }
            _ => break,
        }
    }
    names.reverse();
    value_name(&names)
}

/// At most this many completion items per answer; with more the list is incomplete (the
/// client asks again as the user types).
pub const MAX_ITEMS: usize = 500;

/// A code offered at a completion place, in rank order.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Candidate<'a> {
    pub code: &'a str,
    pub deprecated: bool,
}

/// The codes to offer for a typed `prefix`, best first, and whether the list was cut at `max`.
#[derive(Debug, PartialEq, Eq)]
pub struct Ranked<'a> {
    pub items: Vec<Candidate<'a>>,
    pub incomplete: bool,
}

/// Ranks the codes of `set` for `prefix`: codes used in the workspace first (more uses
/// first; `used` lists them with their use counts), prefix matches before fuzzy ones, legacy
/// after current, deprecated last; numeric-only codes are not offered (they are not written as
/// strings). A code listed in several catalogs is one candidate.
///
/// At most linear in the number of codes with no lookup per code, and memory bounded by `max`:
/// the codes come sorted by name, and an unused code's rank is its class (deprecated, fuzzy,
/// legacy) and then its name, so each class keeps only its first codes, and once the best class
/// has enough the rest cannot change the list; only the used codes (few) are sorted. (Sorting
/// every code of a 200,000-code catalog for an empty string took 170 ms.)
pub fn rank<'a>(set: &'a CatalogSet, prefix: &str, used: &[(&str, usize)], max: usize) -> Ranked<'a> {
    // Whether a code is offered for `prefix`, and whether as a prefix match.
    let offered = |code: &str| {
        if !code.starts_with(|c: char| c.is_ascii_alphabetic()) {
            return None;
        }
        let prefix_match = starts_with_ignore_case(code, prefix);
        (prefix_match || fuzzy_matches(code, prefix)).then_some(prefix_match)
    };
    let uses: FxHashMap<&str, usize> = used.iter().filter(|&&(_, n)| n > 0).copied().collect();
    // The used codes: (deprecated, fuzzy, fewer uses, legacy, code), smallest first.
    let mut first: Vec<(bool, bool, Reverse<usize>, bool, &'a str)> = Vec::new();
    for (&code, &n) in &uses {
        let (Some((_, entry)), Some(prefix_match)) = (set.primary(code), offered(code)) else { continue };
        let deprecated = set.is_deprecated(code);
        first.push((deprecated, !prefix_match, Reverse(n), entry.status == Status::Legacy, entry.code.as_str()));
    }
    first.sort_unstable();
    // The unused codes by class (deprecated, fuzzy, legacy): each keeps its first codes by name,
    // enough for the list even when every used code turns out to be among them.
    let keep = max.saturating_add(uses.len());
    let mut classes: [Vec<&'a str>; 8] = Default::default();
    let mut total = 0;
    for (code, deprecated, status) in set.codes_with_status() {
        let Some(prefix_match) = offered(code) else { continue };
        total += 1;
        let class = &mut classes
            [usize::from(deprecated) * 4 + usize::from(!prefix_match) * 2 + usize::from(status == Status::Legacy)];
        if class.len() < keep {
            class.push(code);
        }
        // The best class is full: the list is its codes after the used ones, whatever follows
        // (an empty or short prefix in a big catalog stops here after `keep` codes).
        if classes[0].len() == keep && total > keep {
            break;
        }
    }
    let mut items = Vec::with_capacity(max.min(total));
    let mut first = first.into_iter().peekable();
    for group in 0..4 {
        // (deprecated, fuzzy): the used codes of the group, then its current and legacy ones.
        let (deprecated, fuzzy) = (group >= 2, group % 2 == 1);
        while let Some((.., code)) = first.next_if(|c| (c.0, c.1) == (deprecated, fuzzy)) {
            items.push(Candidate { code, deprecated });
        }
        for class in &classes[group * 2..group * 2 + 2] {
            let unused = class.iter().filter(|code| !uses.contains_key(*code));
            items.extend(unused.map(|&code| Candidate { code, deprecated }));
        }
        if items.len() >= max {
            break;
        }
    }
    items.truncate(max);
    Ranked { items, incomplete: total > max }
}

/// `code` starts with the first character of `prefix` and holds the rest of it as a
/// subsequence, ignoring case (the client ranks further).
fn fuzzy_matches(code: &str, prefix: &str) -> bool {
    let mut chars = code.chars().map(|c| c.to_ascii_uppercase());
    let mut wanted = prefix.chars().map(|c| c.to_ascii_uppercase());
    match wanted.next() {
        None => true,
        Some(first) => chars.next() == Some(first) && wanted.all(|p| chars.any(|c| c == p)),
    }
}

fn starts_with_ignore_case(code: &str, prefix: &str) -> bool {
    code.len() >= prefix.len() && code.as_bytes()[..prefix.len()].eq_ignore_ascii_case(prefix.as_bytes())
}
