//! What a language of the code family declares in the language table ([`CodeSpec`]: comments,
//! quotes, string openers, heredocs, percent literals, PHP tags) and what the scanner derives
//! from it once per language ([`Tables`]: the bytes its loop stops at).

use std::sync::OnceLock;

use super::super::skip::ByteSet;
use super::super::{Lang, Scanner};
use super::{strings, Code};

/// Table bit: the byte is interesting everywhere.
pub(super) const TOP: u8 = 1;
/// Table bit: the byte matters inside a `{ ... }` interpolation (brace counting).
pub(super) const BRACE: u8 = 2;
/// Table bit: the byte matters inside a `\( ... )` interpolation (paren counting).
pub(super) const PAREN: u8 = 4;

/// How a string's body treats a backslash or a doubled quote.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(in crate::scan) enum Esc {
    /// A backslash escapes the next character.
    Backslash,
    /// Nothing is escaped (raw strings).
    None,
    /// A doubled quote stands for one quote (C# verbatim strings, YAML single quotes).
    Doubled,
}

/// Which interpolation syntax splits a string into pieces.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(in crate::scan) enum Interp {
    None,
    /// `${expr}` (JavaScript templates, Kotlin, Dart).
    DollarBrace,
    /// `{expr}` with `{{` as an escape (C# `$"..."`, Python f-strings).
    Brace,
    /// `#{expr}` (Ruby).
    HashBrace,
    /// `\(expr)` (Swift).
    BackslashParen,
}

/// Everything the string reader needs to know about one kind of string literal.
#[derive(Clone, Copy, Debug)]
pub(in crate::scan) struct StrSpec {
    /// The quote byte.
    pub quote: u8,
    /// How many quote bytes close the string (1, or 3 and more for text blocks and raw strings).
    pub count: usize,
    /// How many `#` must follow the closing quotes (Rust and Swift raw strings).
    pub hashes: usize,
    pub esc: Esc,
    pub interp: Interp,
    /// Whether the string may span lines; if not, an unterminated string ends at the line end.
    pub multiline: bool,
}

impl StrSpec {
    /// A one-quote string with the given escape rule.
    pub const fn simple(quote: u8, esc: Esc, multiline: bool) -> StrSpec {
        StrSpec { quote, count: 1, hashes: 0, esc, interp: Interp::None, multiline }
    }
}

/// What a `#` means outside strings.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(in crate::scan) enum Hash {
    Plain,
    Comment,
    /// PHP: a comment, except `#[` which starts an attribute.
    CommentUnlessAttr,
    /// C#: a preprocessor line when it is the first thing on its line.
    Directive,
}

/// What a `'` opens.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(in crate::scan) enum Single {
    /// A character literal (or a Rust lifetime); never emitted, never runs on.
    Char,
    /// A string.
    Str,
}

/// What a backtick opens.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(in crate::scan) enum Tick {
    Plain,
    /// Go raw strings.
    Raw,
    /// JavaScript template literals.
    Template,
    /// Kotlin and Swift escaped identifiers: skipped, never emitted.
    Ident,
    /// Ruby and PHP command strings (emitted as literals), with their interpolation.
    Command(Interp),
}

/// Decides what the quote at `i` opens, from the prefix before it and the quotes after it: the
/// string's spec and how many bytes the opening delimiter takes, or `None` when the quote opens
/// nothing (an apostrophe in JSX text). One function per language family, in [`strings`].
pub(in crate::scan) type Opener = for<'a> fn(&Code<'a>, usize) -> Option<(StrSpec, usize)>;

/// Heredocs: `<<<EOT` (PHP) or `<<~EOS` (Ruby), closed by the identifier on a line of its own.
#[derive(Clone, Copy, Debug)]
pub(in crate::scan) struct Heredoc {
    /// The opener: `<<<` in PHP, `<<` in Ruby.
    pub angles: usize,
    /// A `~` or `-` may follow the opener (Ruby's squiggly and dash heredocs).
    pub flags: bool,
    /// Blanks may come between the opener and the identifier (PHP).
    pub blanks: bool,
    /// An unquoted identifier must start with an upper-case letter or `_`, so that `a << b` and
    /// `x <<1` stay shifts and appends (Ruby).
    pub upper: bool,
}

/// The comment, string and literal rules of one language of the code family: its entry in the
/// language table says everything the scanner needs to know.
#[derive(Clone, Copy)]
pub(in crate::scan) struct CodeSpec {
    /// `//` line comments and `/* */` block comments.
    pub slash: bool,
    /// Block comments nest.
    pub nested: bool,
    pub hash: Hash,
    pub single: Single,
    pub tick: Tick,
    /// `/` may start a regular expression literal.
    pub regex: bool,
    /// What a `"` (and a `'` that opens strings) opens: string prefixes, triple quotes.
    pub strings: Opener,
    pub heredoc: Option<Heredoc>,
    /// Ruby percent literals: `%q(...)`, `%w[...]`, ...
    pub percent: bool,
    /// Ruby `=begin` ... `=end` comments.
    pub begin_end: bool,
    /// PHP: the file is HTML outside `<?php` ... `?>`, and `?>` ends a line comment.
    pub php_tags: bool,
}

impl CodeSpec {
    /// The C family's defaults: `//` and `/* */` comments, `'` for characters, one-line `"`
    /// strings with backslash escapes, nothing else.
    pub const C: CodeSpec = CodeSpec {
        slash: true,
        nested: false,
        hash: Hash::Plain,
        single: Single::Char,
        tick: Tick::Plain,
        regex: false,
        strings: strings::plain,
        heredoc: None,
        percent: false,
        begin_end: false,
        php_tags: false,
    };
}

impl std::fmt::Debug for CodeSpec {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CodeSpec")
            .field("slash", &self.slash)
            .field("nested", &self.nested)
            .field("hash", &self.hash)
            .field("single", &self.single)
            .field("tick", &self.tick)
            .field("regex", &self.regex)
            .field("heredoc", &self.heredoc)
            .field("percent", &self.percent)
            .field("begin_end", &self.begin_end)
            .field("php_tags", &self.php_tags)
            .finish_non_exhaustive()
    }
}

/// A language's spec, its table of interesting bytes and the byte sets derived from it: built
/// once per language (script blocks and template expressions make many scanners).
pub(super) struct Tables {
    /// A copy of the language's spec (one pointer less to follow at every stop).
    pub spec: CodeSpec,
    /// `TOP`, `BRACE` and `PAREN` bits per byte.
    pub table: [u8; 256],
    /// The bytes that stop the code loop, at the top level and inside `{ }` and `( )`
    /// interpolations (indexed by [`super::Close`]).
    pub stops: [ByteSet; 3],
}

impl Tables {
    /// The tables of `lang`, whose scanner must be a code scanner (others get the C family's).
    pub fn of(lang: Lang) -> &'static Tables {
        // One slot per language; `Lang` and the table come from one macro, so `lang as usize`
        // is the language's index in both.
        static TABLES: [OnceLock<Tables>; Lang::ALL.len()] = [const { OnceLock::new() }; Lang::ALL.len()];
        TABLES[lang as usize].get_or_init(|| {
            let spec = match &lang.def().scanner {
                Scanner::Code(spec) => spec,
                _ => &CodeSpec::C,
            };
            Tables::new(spec)
        })
    }

    fn new(spec: &CodeSpec) -> Tables {
        let mut table = [0u8; 256];
        let mut stop = |c: u8| table[usize::from(c)] = TOP;
        stop(b'"');
        stop(b'\'');
        if spec.tick != Tick::Plain {
            stop(b'`');
        }
        if spec.slash || spec.regex {
            stop(b'/');
        }
        if spec.hash != Hash::Plain {
            stop(b'#');
        }
        if spec.php_tags {
            stop(b'?');
        }
        if spec.heredoc.is_some() {
            stop(b'<');
        }
        if spec.begin_end {
            stop(b'=');
        }
        if spec.percent {
            stop(b'%');
        }
        table[b'{' as usize] |= BRACE;
        table[b'}' as usize] |= BRACE;
        table[b'(' as usize] |= PAREN;
        table[b')' as usize] |= PAREN;
        let stops = [TOP, TOP | BRACE, TOP | PAREN].map(|mask| ByteSet::new(|c| table[usize::from(c)] & mask != 0));
        Tables { spec: *spec, table, stops }
    }
}
