//! String openers: what a quote opens, decided from the prefix before it (`r#"`, `@$"`, `rb'`)
//! and the quotes after it (`"""`). Each language's table entry names one of these
//! ([`super::spec::CodeSpec::strings`]); the scanner calls it at every `"` (and at every `'` in
//! languages where `'` opens strings), never per byte.

use super::spec::{Esc, Interp, StrSpec};
use super::{is_operator_keyword, Code};

/// Whether the quote at `i` is the first of three.
fn triple(c: &Code, i: usize) -> bool {
    let q = c.b[i];
    c.at(i + 1) == q && c.at(i + 2) == q
}

/// A one-line string with backslash escapes.
fn single_line(c: &Code, i: usize) -> StrSpec {
    StrSpec::simple(c.b[i], Esc::Backslash, false)
}

/// Go, Java without text blocks, and the default: one-line strings with backslash escapes.
pub(in crate::scan) fn plain(c: &Code, i: usize) -> Option<(StrSpec, usize)> {
    Some((single_line(c, i), 1))
}

/// JavaScript and TypeScript: like [`plain`], except that an apostrophe between two letters is
/// JSX text (`<p>don't</p>`) unless a keyword like `return` precedes it.
pub(in crate::scan) fn jsx(c: &Code, i: usize) -> Option<(StrSpec, usize)> {
    let b = c.b;
    if b[i] == b'\''
        && i > c.floor
        && b[i - 1].is_ascii_alphabetic()
        && c.at(i + 1).is_ascii_alphabetic()
        && !is_operator_keyword(&b[c.word_start(i)..i])
    {
        return None;
    }
    plain(c, i)
}

/// Rust: raw strings `r"..."`, `r#"..."#`, `br"..."`, `cr"..."` (no escapes); the rest may span
/// lines.
pub(in crate::scan) fn rust(c: &Code, i: usize) -> Option<(StrSpec, usize)> {
    let q = c.b[i];
    let h = c.run_before(i, b'#');
    if c.prefix_is(i - h, &[b"r", b"br", b"cr"]) {
        Some((StrSpec { hashes: h, ..StrSpec::simple(q, Esc::None, true) }, 1))
    } else {
        Some((StrSpec::simple(q, Esc::Backslash, true), 1))
    }
}

/// Swift: `#"..."#` extended delimiters (no escapes, no holes), `"""` multi-line strings, `\( )`
/// holes.
pub(in crate::scan) fn swift(c: &Code, i: usize) -> Option<(StrSpec, usize)> {
    let q = c.b[i];
    let h = c.run_before(i, b'#');
    let mut spec = if h > 0 {
        StrSpec { hashes: h, ..StrSpec::simple(q, Esc::None, false) }
    } else {
        StrSpec { interp: Interp::BackslashParen, ..single_line(c, i) }
    };
    if triple(c, i) {
        spec.count = 3;
        spec.multiline = true;
    }
    Some((spec, spec.count))
}

/// C#: `@"..."` verbatim strings (doubled quotes), `$"..."` interpolated strings, `"""` raw
/// strings of three or more quotes (`$"""` with holes, `$$"""` read without).
pub(in crate::scan) fn csharp(c: &Code, i: usize) -> Option<(StrSpec, usize)> {
    let b = c.b;
    let q = b[i];
    let mut k = i;
    while k > c.floor && matches!(b[k - 1], b'@' | b'$') {
        k -= 1;
    }
    let verbatim = b[k..i].contains(&b'@');
    let dollars = b[k..i].iter().filter(|&&c| c == b'$').count();
    let brace = if dollars > 0 { Interp::Brace } else { Interp::None };
    if triple(c, i) && !verbatim {
        let mut m = 3;
        while c.at(i + m) == q {
            m += 1;
        }
        // `$$"""` raw strings use `{{` for holes; they are read without holes.
        let interp = if dollars == 1 { Interp::Brace } else { Interp::None };
        Some((StrSpec { count: m, interp, ..StrSpec::simple(q, Esc::None, true) }, m))
    } else if verbatim {
        Some((StrSpec { interp: brace, ..StrSpec::simple(q, Esc::Doubled, true) }, 1))
    } else {
        Some((StrSpec { interp: brace, ..single_line(c, i) }, 1))
    }
}

/// Java: `"""` text blocks.
pub(in crate::scan) fn java(c: &Code, i: usize) -> Option<(StrSpec, usize)> {
    if triple(c, i) {
        return Some((StrSpec { count: 3, ..StrSpec::simple(c.b[i], Esc::Backslash, true) }, 3));
    }
    plain(c, i)
}

/// Kotlin: `${ }` templates; `"""` raw strings have no escapes.
pub(in crate::scan) fn kotlin(c: &Code, i: usize) -> Option<(StrSpec, usize)> {
    let q = c.b[i];
    if triple(c, i) {
        let spec = StrSpec { count: 3, interp: Interp::DollarBrace, ..StrSpec::simple(q, Esc::None, true) };
        return Some((spec, 3));
    }
    Some((StrSpec { interp: Interp::DollarBrace, ..single_line(c, i) }, 1))
}

/// Dart: `r'...'` raw strings, `${ }` templates, `'''` and `"""` multi-line strings.
pub(in crate::scan) fn dart(c: &Code, i: usize) -> Option<(StrSpec, usize)> {
    let q = c.b[i];
    let mut spec = if c.prefix_is(i, &[b"r"]) {
        StrSpec::simple(q, Esc::None, false)
    } else {
        StrSpec { interp: Interp::DollarBrace, ..single_line(c, i) }
    };
    if triple(c, i) {
        spec.count = 3;
        spec.multiline = true;
    }
    Some((spec, spec.count))
}

/// Python: up to three prefix letters of `rbuft` (f-strings and t-strings have `{ }` holes),
/// `'''` and `"""` multi-line strings.
pub(in crate::scan) fn python(c: &Code, i: usize) -> Option<(StrSpec, usize)> {
    let b = c.b;
    let mut k = i;
    while k > c.floor && i - k < 3 && b[k - 1].is_ascii_alphabetic() {
        k -= 1;
    }
    let prefix = &b[k..i];
    let valid = c.word_boundary(k) && prefix.iter().all(|c| b"rRbBuUfFtT".contains(c));
    let f = valid && prefix.iter().any(|c| b"fFtT".contains(c));
    let mut spec = StrSpec { interp: if f { Interp::Brace } else { Interp::None }, ..single_line(c, i) };
    if triple(c, i) {
        spec.count = 3;
        spec.multiline = true;
    }
    Some((spec, spec.count))
}

/// PHP: strings may span lines (`$x` inside double quotes is not split out).
pub(in crate::scan) fn php(c: &Code, i: usize) -> Option<(StrSpec, usize)> {
    Some((StrSpec::simple(c.b[i], Esc::Backslash, true), 1))
}

/// Ruby: strings may span lines; double-quoted ones have `#{ }` holes.
pub(in crate::scan) fn ruby(c: &Code, i: usize) -> Option<(StrSpec, usize)> {
    let q = c.b[i];
    let interp = if q == b'"' { Interp::HashBrace } else { Interp::None };
    Some((StrSpec { interp, ..StrSpec::simple(q, Esc::Backslash, true) }, 1))
}
