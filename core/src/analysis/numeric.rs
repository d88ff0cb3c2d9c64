//! Numeric error codes: a number literal equal to a catalog's `numeric` value (`-501005`), in a
//! place where codes are compared or matched, is a use of the code(s) with that number.
//!
//! The places: a comparison (`errCode === -501005`, `-1 == err.code`), a `case` (`case -502005:`,
//! `case -1, -2:`), a key (`errCode: -1`, `"errCode": -501005`) and an assignment (`code = -1`,
//! `err_code = -1` in TOML or `.env`). Ordinary numbers stay ordinary: a small number (`-1`, `0`)
//! counts only where the name compared, keyed or switched on is an error code's (`code`,
//! `errCode`, `err_code`, `errno`, ... see [`names_code`]); a 6-digit number (CloudBase's
//! `-5xxxxx`) counts in any comparison or `case`, and under a key or name that says code or
//! error. `arr.indexOf(x) === -1`, `return -1`, `x = -501005`, and numbers in comments and
//! strings never count.
//!
//! Numbers are found in the text outside the scanner's spans (code, and the structure of JSON and
//! TOML) and in bare config scalars that are a whole number (YAML, `.env`, INI values). Only the
//! numbers some active catalog lists are looked at further, so the pass costs one byte loop over
//! the code; it runs only when references are wanted (the index, `report`, the editor), never in
//! `check`.

use rustc_hash::FxHashMap;

use super::completion::says_code;
use super::{Analyzer, CodeRef, Finding};
use crate::catalog::CatalogSet;
use crate::scan::{Lang, Span, SpanKind};

/// How far back from a `case` the `switch`/`match` it belongs to is looked for, in bytes.
const SWITCH_LOOK_BEHIND: usize = 4096;

/// The catalogs' numbers, each with the codes that carry it.
#[derive(Debug, Default)]
pub struct NumericCodes {
    by_value: FxHashMap<i64, Vec<String>>,
}

impl NumericCodes {
    pub fn new(set: &CatalogSet) -> NumericCodes {
        let mut by_value: FxHashMap<i64, Vec<String>> = FxHashMap::default();
        for code in set.codes() {
            for (_, entry) in set.lookup(code) {
                // A code that is its number (`code = "-501000"`) is found as a string in
                // strings, and here as a number (`errCode === -501000`).
                let Some(n) = entry.numeric.or_else(|| code.parse().ok()) else { continue };
                let names = by_value.entry(n).or_default();
                if !names.contains(code) {
                    names.push(code.clone());
                }
            }
        }
        NumericCodes { by_value }
    }

    pub fn is_empty(&self) -> bool {
        self.by_value.is_empty()
    }

    /// The codes numbered `value` (sorted), empty when none.
    pub fn codes(&self, value: i64) -> &[String] {
        self.by_value.get(&value).map(Vec::as_slice).unwrap_or(&[])
    }

    pub fn contains(&self, value: i64) -> bool {
        self.by_value.contains_key(&value)
    }
}

/// A number literal in a code place: its byte range (a leading `-` included) and value.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Number {
    pub start: usize,
    pub end: usize,
    pub value: i64,
}

/// Why a number is in a code place, with the name that decides whether it counts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Place<'a> {
    /// `left == N`, `N === right`: the name of the other operand, if it is a name.
    Compared(Option<&'a str>),
    /// `case N:`: the name switched on, if found.
    Case(Option<&'a str>),
    /// `key: N`.
    Keyed(&'a str),
    /// `name = N`.
    Assigned(&'a str),
}

/// Whether a name is an error code's, strictly: `code`, `errCode`, `err_code`, `ERROR_CODE`,
/// `errno`, `errnum` (not `exitCode`, `statusCode`, `errorCount`, `index`).
pub fn names_code(name: &str) -> bool {
    let norm: String = name.chars().filter(|c| !matches!(c, '_' | '-' | '$')).collect::<String>().to_ascii_lowercase();
    matches!(
        norm.as_str(),
        "code" | "errcode" | "errorcode" | "errno" | "errnum" | "errorno" | "errornum" | "errornumber"
    )
}

/// Whether a number is long enough to be taken as a code in any comparison or `case`.
fn distinctive(value: i64) -> bool {
    value.unsigned_abs() >= 100_000
}

fn counts(place: Place<'_>, value: i64) -> bool {
    match place {
        Place::Compared(name) | Place::Case(name) => distinctive(value) || name.is_some_and(names_code),
        Place::Keyed(name) | Place::Assigned(name) => names_code(name) || (distinctive(value) && says_code(name)),
    }
}

/// Whether the text outside the spans of a `lang` file is code (or a config file's structure,
/// where its numbers are): not for markup (templates), shell, unknown languages, and the config
/// formats whose values are bare spans.
fn gaps_are_code(lang: Lang) -> bool {
    !(lang.is_markup() || matches!(lang, Lang::Generic | Lang::Shell | Lang::Yaml | Lang::Env | Lang::Ini))
}

fn is_ident(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'_' || c == b'$' || c >= 0x80
}

/// The number token whose first digit is at `d`: `None` when the digits are part of a name, a
/// longer number (`1.5`, `0x1`, `1e5`, `1_000`, `2n`) or too long.
fn number_token(b: &[u8], d: usize) -> Option<Number> {
    if d > 0 && (is_ident(b[d - 1]) || b[d - 1] == b'.') {
        return None;
    }
    let mut e = d;
    while e < b.len() && b[e].is_ascii_digit() {
        e += 1;
    }
    if e == d
        || e - d > 18
        || (e < b.len() && (is_ident(b[e]) || (b[e] == b'.' && b.get(e + 1).is_some_and(u8::is_ascii_digit))))
    {
        return None;
    }
    let digits = std::str::from_utf8(&b[d..e]).ok()?.parse::<i64>().ok()?;
    let negative = d > 0 && b[d - 1] == b'-';
    let start = if negative { d - 1 } else { d };
    Some(Number { start, end: e, value: if negative { -digits } else { digits } })
}

/// The numbers in code places of `text` (scanned as `lang` into `spans`) whose value `wanted`
/// accepts, in order.
pub fn numbers_in(lang: Lang, text: &str, spans: &[Span], wanted: impl Fn(i64) -> bool) -> Vec<Number> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    let gaps = gaps_are_code(lang);
    let mut visit = |n: Number| {
        if wanted(n.value) && place(lang, text, spans, n).is_some_and(|p| counts(p, n.value)) {
            out.push(n);
        }
    };
    let gap = |from: usize, to: usize, visit: &mut dyn FnMut(Number)| {
        let mut i = from;
        while i < to {
            if b[i].is_ascii_digit() {
                let n = number_token(b, i);
                while i < to && b[i].is_ascii_digit() {
                    i += 1;
                }
                if let Some(n) = n.filter(|n| n.end <= to) {
                    visit(n);
                }
            } else {
                i += 1;
            }
        }
    };
    let mut pos = 0;
    for span in spans {
        if gaps && span.start > pos {
            gap(pos, span.start, &mut visit);
        }
        if span.kind == SpanKind::Bare {
            if let Some(n) = whole_number(b, span) {
                visit(n);
            }
        }
        pos = pos.max(span.end);
    }
    if gaps && pos < b.len() {
        gap(pos, b.len(), &mut visit);
    }
    out
}

/// A bare config scalar that is one whole number (`-1`).
fn whole_number(b: &[u8], span: &Span) -> Option<Number> {
    let s = &b[span.start..span.end];
    let d = span.start + usize::from(s.first() == Some(&b'-'));
    if d >= span.end || !b[d..span.end].iter().all(u8::is_ascii_digit) {
        return None;
    }
    number_token(b, d).filter(|n| n.start == span.start && n.end == span.end)
}

/// The number in a code place at byte `offset` (its ends and its `-` included) whose value
/// `wanted` accepts.
pub fn number_at(
    lang: Lang,
    text: &str,
    spans: &[Span],
    offset: usize,
    wanted: impl Fn(i64) -> bool,
) -> Option<Number> {
    let b = text.as_bytes();
    if offset > b.len() {
        return None;
    }
    let mut d = offset;
    while d > 0 && b[d - 1].is_ascii_digit() {
        d -= 1;
    }
    if d == offset && b.get(offset) == Some(&b'-') {
        d += 1;
    }
    if !b.get(d).is_some_and(u8::is_ascii_digit) {
        return None;
    }
    let n = number_token(b, d)?;
    if !(n.start <= offset && offset <= n.end && wanted(n.value)) {
        return None;
    }
    // Outside every span (code), or a bare scalar that is exactly this number.
    let after = spans.partition_point(|s| s.start <= n.start);
    let holder = spans[..after].iter().rev().take(2).find(|s| s.start <= n.start && n.start < s.end);
    match holder {
        None if gaps_are_code(lang) => {}
        Some(s) if s.kind == SpanKind::Bare && whole_number(b, s) == Some(n) => {}
        _ => return None,
    }
    place(lang, text, spans, n).filter(|p| counts(*p, n.value)).map(|_| n)
}

fn skip_blanks_back(b: &[u8], mut i: usize) -> (usize, bool) {
    let mut newline = false;
    while i > 0 && matches!(b[i - 1], b' ' | b'\t' | b'\r' | b'\n') {
        newline |= b[i - 1] == b'\n';
        i -= 1;
    }
    (i, newline)
}

fn skip_blanks(b: &[u8], mut i: usize) -> usize {
    while i < b.len() && matches!(b[i], b' ' | b'\t') {
        i += 1;
    }
    i
}

fn is_comparison(op: &[u8]) -> bool {
    matches!(op, b"==" | b"===" | b"!=" | b"!==")
}

/// The name ending at `i` (after blanks): an identifier, the last of a path (`err.code`), or the
/// key of a subscript (`err["code"]`). Also where it starts. `None` for calls and other
/// expressions (`arr.indexOf(x)`).
fn name_before(text: &str, i: usize, dashes: bool) -> Option<(&str, usize)> {
    let b = text.as_bytes();
    let (end, _) = skip_blanks_back(b, i);
    if end == 0 {
        return None;
    }
    if b[end - 1] == b']' && end >= 2 && matches!(b[end - 2], b'"' | b'\'') {
        let (key, start) = quoted_before(text, end - 1)?;
        return (start > 0 && b[start - 1] == b'[').then_some((key, start - 1));
    }
    let mut start = end;
    while start > 0 && (is_ident(b[start - 1]) || (dashes && b[start - 1] == b'-')) {
        start -= 1;
    }
    while start < end && !text.is_char_boundary(start) {
        start += 1;
    }
    let name = &text[start..end];
    (!name.is_empty() && !name.as_bytes()[0].is_ascii_digit()).then_some((name, start))
}

/// The contents of a quoted key ending with the quote at `close - 1`, and the offset of its
/// opening quote.
fn quoted_before(text: &str, close: usize) -> Option<(&str, usize)> {
    let b = text.as_bytes();
    let q = *b.get(close.checked_sub(1)?)?;
    if !matches!(q, b'"' | b'\'') {
        return None;
    }
    let from = close.saturating_sub(256);
    let open = from + memchr::memrchr(q, &b[from..close - 1])?;
    let key = text.get(open + 1..close - 1)?;
    (!key.contains('\n')).then_some((key, open))
}

/// Why number `n` is in a code place, if it is.
fn place<'a>(lang: Lang, text: &'a str, spans: &[Span], n: Number) -> Option<Place<'a>> {
    let b = text.as_bytes();
    let config = lang.is_config();
    let (i, _) = skip_blanks_back(b, n.start);
    let mut k = i;
    while k > 0 && matches!(b[k - 1], b'=' | b'!' | b'<' | b'>' | b':') {
        k -= 1;
    }
    let op = &b[k..i];
    let found = if is_comparison(op) {
        Some(Place::Compared(name_before(text, k, false).map(|(name, _)| name)))
    } else if op == b":" {
        keyed(text, k, config)
    } else if op == b"=" {
        name_before(text, k, config).map(|(name, _)| Place::Assigned(name))
    } else if op.is_empty() {
        case_label(lang, text, spans, i)
    } else {
        None
    };
    found.or_else(|| compared_after(text, n.end))
}

/// `key: N` where the key starts an entry: after `{`, `,`, a line break, a YAML `- `, or at the
/// start (not a ternary's `a ? b : N`, a slice's `a[b:N]` or a type annotation).
fn keyed(text: &str, colon: usize, config: bool) -> Option<Place<'_>> {
    let b = text.as_bytes();
    let (end, _) = skip_blanks_back(b, colon);
    let (key, start) = match quoted_before(text, end) {
        Some(found) => found,
        None => name_before(text, end, config)?,
    };
    let (before, newline) = skip_blanks_back(b, start);
    let starts_entry = before == 0
        || newline
        || matches!(b[before - 1], b'{' | b',')
        || (b[before - 1] == b'-' && (before == 1 || matches!(b[before - 2], b' ' | b'\t' | b'\n')));
    starts_entry.then_some(Place::Keyed(key))
}

/// `N == name` (a comparison written the other way round).
fn compared_after(text: &str, end: usize) -> Option<Place<'_>> {
    let b = text.as_bytes();
    let i = skip_blanks(b, end);
    let mut k = i;
    while k < b.len() && matches!(b[k], b'=' | b'!') {
        k += 1;
    }
    if !is_comparison(&b[i..k]) {
        return None;
    }
    let start = skip_blanks(b, k);
    let mut j = start;
    let mut last = start;
    loop {
        while j < b.len() && is_ident(b[j]) {
            j += 1;
        }
        if j < b.len() && b[j] == b'.' && b.get(j + 1).is_some_and(|&c| is_ident(c)) {
            j += 1;
            last = j;
        } else if b[j..].starts_with(b"?.") || b[j..].starts_with(b"->") {
            j += 2;
            last = j;
        } else {
            break;
        }
    }
    let name = text.get(last..j).filter(|n| !n.is_empty() && !n.as_bytes()[0].is_ascii_digit());
    // `N === f(x)`: a call's result has no name.
    let name = name.filter(|_| b.get(skip_blanks(b, j)) != Some(&b'('));
    Some(Place::Compared(name))
}

/// `case N:` (also `case A, N:`, `case A | N:`, Ruby's `when N`): the place, with the name the
/// enclosing `switch`/`match` is over.
fn case_label<'a>(lang: Lang, text: &'a str, spans: &[Span], mut i: usize) -> Option<Place<'a>> {
    let b = text.as_bytes();
    // Earlier alternatives of the same case.
    for _ in 0..32 {
        if i == 0 || !matches!(b[i - 1], b',' | b'|') {
            break;
        }
        let (j, _) = skip_blanks_back(b, i - 1);
        let mut s = j;
        while s > 0 && b[s - 1].is_ascii_digit() {
            s -= 1;
        }
        if s == j {
            return None;
        }
        if s > 0 && b[s - 1] == b'-' {
            s -= 1;
        }
        i = skip_blanks_back(b, s).0;
    }
    let mut w = i;
    while w > 0 && is_ident(b[w - 1]) {
        w -= 1;
    }
    let word = &text[w..i];
    let (keywords, ok): (&[&str], bool) = match word {
        "case" => (&["switch", "match", "select"], true),
        "when" if matches!(lang, Lang::Ruby) => (&["case"], true),
        _ => (&[], false),
    };
    ok.then(|| Place::Case(switch_subject(text, spans, w, keywords)))
}

/// The name a `switch (x)`, `switch x {`, `match x:` or Ruby `case x` before `at` is over: the
/// last identifier of its subject that is not called (`Number(err.code)` -> `code`).
fn switch_subject<'a>(text: &'a str, spans: &[Span], at: usize, keywords: &[&str]) -> Option<&'a str> {
    let b = text.as_bytes();
    let mut from = at.saturating_sub(SWITCH_LOOK_BEHIND);
    while !text.is_char_boundary(from) {
        from += 1;
    }
    let hay = &b[from..at];
    let in_span = |p: usize| {
        let after = spans.partition_point(|s| s.start <= p);
        spans[..after].iter().rev().take(2).any(|s| s.start <= p && p < s.end)
    };
    let mut best: Option<(usize, usize)> = None;
    for kw in keywords {
        let finder = memchr::memmem::FinderRev::new(kw.as_bytes());
        let mut end = hay.len();
        while let Some(k) = finder.rfind(&hay[..end]) {
            let p = from + k;
            let q = p + kw.len();
            let bounded = (p == 0 || !is_ident(b[p - 1])) && q < b.len() && !is_ident(b[q]);
            if bounded && !in_span(p) {
                if best.is_none_or(|(bp, _)| p > bp) {
                    best = Some((p, q));
                }
                break;
            }
            end = k;
        }
    }
    let (_, q) = best?;
    // The subject runs to the block's `{`, a Python `:` or the line end.
    let rest = &text[q..at];
    let stop = rest.find(['{', '\n']).unwrap_or(rest.len());
    let mut subject = rest[..stop].trim();
    if let Some(s) = subject.strip_suffix(':') {
        subject = s.trim_end();
    }
    let sb = subject.as_bytes();
    let mut name = None;
    let mut j = 0;
    while j < sb.len() {
        if is_ident(sb[j]) && (j == 0 || !is_ident(sb[j - 1])) {
            let s = j;
            while j < sb.len() && is_ident(sb[j]) {
                j += 1;
            }
            let called = subject[j..].trim_start().starts_with('(');
            if !called && !sb[s].is_ascii_digit() {
                name = Some(&subject[s..j]);
            }
        } else {
            j += 1;
        }
    }
    name
}

impl Analyzer {
    /// The catalogs' numbers and their codes.
    pub fn numeric_codes(&self) -> &NumericCodes {
        &self.numeric
    }

    /// Every use of a numeric code in `text` (scanned as `lang` into `spans`): one reference per
    /// code carrying the number (`-501005` is `INVALIID_ENV` and `TCB_INVALID_ENV`), in order.
    pub fn numeric_refs(&self, lang: Lang, text: &str, spans: &[Span]) -> Vec<CodeRef> {
        if self.numeric.is_empty() {
            return Vec::new();
        }
        numbers_in(lang, text, spans, |v| self.numeric.contains(v))
            .into_iter()
            .flat_map(|n| {
                self.numeric.codes(n.value).iter().map(move |code| CodeRef {
                    start: n.start,
                    end: n.end,
                    code: code.clone(),
                })
            })
            .collect()
    }

    /// The numeric code under byte `offset`, with the codes it stands for.
    pub fn number_at(&self, lang: Lang, text: &str, spans: &[Span], offset: usize) -> Option<(Number, &[String])> {
        if self.numeric.is_empty() {
            return None;
        }
        let n = number_at(lang, text, spans, offset, |v| self.numeric.contains(v))?;
        Some((n, self.numeric.codes(n.value)))
    }

    /// [`Analyzer::analyze_with_refs`] plus the uses of numeric codes, references sorted by
    /// start.
    pub fn analyze_with_all_refs(&self, lang: Lang, text: &str, spans: &[Span]) -> (Vec<Finding>, Vec<CodeRef>) {
        let (findings, mut refs) = self.analyze_with_refs(text, spans);
        let numeric = self.numeric_refs(lang, text, spans);
        if !numeric.is_empty() {
            refs.extend(numeric);
            refs.sort_by_key(|r| r.start);
        }
        (findings, refs)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::builtin;
    use crate::scan::scan;

    /// The numbers the built-in catalogs list.
    fn catalog_numbers() -> NumericCodes {
        NumericCodes::new(&CatalogSet::new(builtin::all().to_vec()))
    }

    /// The numbers in code places of `text`, as written.
    fn found(lang: Lang, text: &str) -> Vec<String> {
        let numbers = catalog_numbers();
        let spans = scan(lang, text);
        numbers_in(lang, text, &spans, |v| numbers.contains(v))
            .iter()
            .map(|n| text[n.start..n.end].to_string())
            .collect()
    }

    /// (language, text, the numbers that are codes in it).
    const TABLE: &[(Lang, &str, &[&str])] = &[
        // JavaScript and TypeScript: comparisons, cases, keys.
        (Lang::JavaScript, "if (errCode === -501005) {}", &["-501005"]),
        (Lang::JavaScript, "if (err.code == -502005) retry()", &["-502005"]),
        (Lang::JavaScript, "if (res.errCode !== -1) ok()", &["-1"]),
        (Lang::JavaScript, "if (-501005 === e.errCode) {}", &["-501005"]),
        (Lang::JavaScript, "if (-1 == err.code) {}", &["-1"]),
        (Lang::JavaScript, "if (Number(e.code) === -501005) {}", &["-501005"]),
        (Lang::JavaScript, "switch (x) {\n  case -502005:\n    break;\n}", &["-502005"]),
        (Lang::JavaScript, "switch (err.errCode) {\n  case -1:\n  case -501005: break;\n}", &["-1", "-501005"]),
        (Lang::JavaScript, "const e = { errCode: -1, errMsg: 'x' };", &["-1"]),
        (Lang::JavaScript, "const e = {\n  msg: 'x',\n  code: -502005,\n};", &["-502005"]),
        (Lang::JavaScript, "let errCode = -501005;", &["-501005"]),
        (Lang::TypeScript, "if (e.errCode === -501005 || e.errCode === -502005) {}", &["-501005", "-502005"]),
        (Lang::TypeScript, "const r: Resp = { \"errCode\": -501005 };", &["-501005"]),
        (Lang::TypeScript, "if (`${x}` && err.code === -1) {}", &["-1"]),
        // Not codes: ordinary uses of -1, unrelated names, comments, strings.
        (Lang::JavaScript, "if (arr.indexOf(x) === -1) {}", &[]),
        (Lang::JavaScript, "if (idx === -1) return -1;", &[]),
        (Lang::JavaScript, "return -1;", &[]),
        (Lang::JavaScript, "x = -501005;", &[]),
        (Lang::JavaScript, "const offset = -501005;", &[]),
        (Lang::JavaScript, "const o = { start: -1 };", &[]),
        (Lang::JavaScript, "if (errorIndex === -1) {}", &[]),
        (Lang::JavaScript, "if (process.exitCode === -1) {}", &[]),
        (Lang::JavaScript, "const v = ok ? code : -1;", &[]),
        (Lang::JavaScript, "const y = x-1; const z = a === b-501005;", &[]),
        (Lang::JavaScript, "// if (errCode === -501005)\n/* case -502005: */", &[]),
        (Lang::JavaScript, "log(\"errCode === -501005\"); s = 'code: -1';", &[]),
        (Lang::JavaScript, "if (errCode === -501005.5 || errCode === 0x501005) {}", &[]),
        (Lang::JavaScript, "switch (kind) {\n  case -1:\n}", &[]),
        (Lang::JavaScript, "if (errCode === -123456) {}", &[]),
        (Lang::TypeScript, "if (arr.indexOf(x) === -1 && list.findIndex(f) !== -1) {}", &[]),
        // Python.
        (Lang::Python, "if e.code == -501005:\n    pass", &["-501005"]),
        (Lang::Python, "if err.errno == -1:\n    pass", &["-1"]),
        (
            Lang::Python,
            "match e.code:\n    case -1:\n        pass\n    case -502005 | -502004:\n        pass",
            &["-1", "-502005", "-502004"],
        ),
        (Lang::Python, "resp = {\"errCode\": -501005}", &["-501005"]),
        (Lang::Python, "if s.find(x) == -1:\n    pass", &[]),
        (Lang::Python, "last = items[-1]\nx = a[:-1]\n# e.code == -501005", &[]),
        // Go: a case listing several numbers.
        (Lang::Go, "switch e.Code {\ncase -501005, -502005:\n}", &["-501005", "-502005"]),
        // JSON: values of code-like keys.
        (Lang::Json, "{\"errCode\": -501005, \"errMsg\": \"env\"}", &["-501005"]),
        (Lang::Json, "{\n  \"code\": -1,\n  \"count\": -1,\n  \"list\": [-501005]\n}", &["-1"]),
        (Lang::Json, "{\"offset\": -501005, \"errCode\": \"-501005\"}", &[]),
        // YAML.
        (Lang::Yaml, "errCode: -1\nretries: -1\n", &["-1"]),
        (Lang::Yaml, "mock:\n  response:\n    err_code: -502005\n    timeout: -502005\n", &["-502005"]),
        (Lang::Yaml, "- errCode: -501005\n# errCode: -1\nmsg: \"errCode: -1\"\n", &["-501005"]),
        // TOML and .env: assignments to code-like names.
        (Lang::Toml, "err_code = -501005\nsize = -1\n", &["-501005"]),
        (Lang::Env, "ERR_CODE=-1\nLEVEL=-1\n", &["-1"]),
    ];

    #[test]
    fn numeric_places_in_each_language() {
        let mut failures = Vec::new();
        for (lang, text, want) in TABLE {
            let got = found(*lang, text);
            if got != *want {
                failures.push(format!("{lang:?} {text:?}: want {want:?}, got {got:?}"));
            }
        }
        assert!(failures.is_empty(), "{}", failures.join("\n"));
    }

    #[test]
    fn the_number_under_a_position() {
        let numbers = catalog_numbers();
        let text = "if (arr.indexOf(x) === -1 || e.errCode === -501005) {}";
        let spans = scan(Lang::JavaScript, text);
        let at = |offset| number_at(Lang::JavaScript, text, &spans, offset, |v| numbers.contains(v));
        let n = text.find("-501005").unwrap();
        for offset in [n, n + 1, n + 4, n + 7] {
            assert_eq!(at(offset), Some(Number { start: n, end: n + 7, value: -501005 }), "at {offset}");
        }
        assert_eq!(at(text.find("-1").unwrap() + 1), None);
        assert_eq!(at(n - 2), None);
    }

    #[test]
    fn catalog_numbers_name_their_codes() {
        let numbers = catalog_numbers();
        let codes = numbers.codes(-501005);
        assert!(
            codes.contains(&"INVALIID_ENV".to_string()) && codes.contains(&"TCB_INVALID_ENV".to_string()),
            "{codes:?}"
        );
        assert_eq!(numbers.codes(-1), ["UNKNOWN_ERROR"]);
        assert!(numbers.codes(-123456).is_empty());
    }

    #[test]
    fn strict_code_names() {
        for name in ["code", "errCode", "err_code", "ERR_CODE", "errorCode", "error-code", "errno", "$code"] {
            assert!(names_code(name), "{name}");
        }
        for name in ["exitCode", "statusCode", "errorCount", "idx", "index", "result", "x"] {
            assert!(!names_code(name), "{name}");
        }
    }
}
