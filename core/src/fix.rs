//! Fixes: whether a fix is safe to apply without looking (`applicability`), and applying fixes
//! to text.
//!
//! Replacing a misspelling is always safe: the misspelt code matches nothing. Replacing a
//! deprecated code is *unsafe* where the code is compared or matched (`case 'OLD':`,
//! `err.code === "OLD"`, a list of codes, a key of a map of codes): services may still send the
//! old code, so the edit changes behaviour. Such a fix is offered one by one in the editor and
//! left out of fix-all and `check --fix` unless unsafe fixes are asked for.

use crate::analysis::{Finding, FindingKind};
use crate::scan::{Span, SpanKind};

/// Whether a finding's fix may be applied by fix-all and `check --fix` without being asked.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Applicability {
    /// The fix keeps the program's behaviour (a misspelling, or a code that is only produced).
    #[default]
    Safe,
    /// The fix may change behaviour: the old code is compared or matched here.
    Unsafe,
}

impl Applicability {
    pub fn is_safe(self) -> bool {
        self == Applicability::Safe
    }

    /// The stable name used in JSON output.
    pub fn as_str(self) -> &'static str {
        match self {
            Applicability::Safe => "safe",
            Applicability::Unsafe => "unsafe",
        }
    }
}

/// How far back and forward the context of a literal is read.
const CONTEXT: usize = 512;

/// Call names whose arguments are codes being matched (`list.includes("OLD")`,
/// `code.equals("OLD")`, `strcmp(code, "OLD")`...) or collected to be matched (`Set.of(...)`).
const MATCHING_CALLS: &[&str] = &[
    "equals",
    "equalsIgnoreCase",
    "Equals",
    "EqualFold",
    "includes",
    "contains",
    "Contains",
    "containsKey",
    "ContainsKey",
    "has",
    "indexOf",
    "IndexOf",
    "startsWith",
    "endsWith",
    "StartsWith",
    "EndsWith",
    "HasPrefix",
    "HasSuffix",
    "strcmp",
    "strcasecmp",
    "strncmp",
    "in_array",
    "isEqual",
    "isEqualToString",
    "match",
    "matches",
    "compare",
    "Compare",
    "assertEquals",
    // Collections of codes: `Set.of(...)`, `listOf(...)`, `frozenset(...)`.
    "of",
    "asList",
    "listOf",
    "setOf",
    "arrayOf",
    "mutableListOf",
    "mutableSetOf",
    "hashSetOf",
    "frozenset",
];

/// Keywords after which a literal is a pattern being matched.
const MATCHING_KEYWORDS: &[&str] = &["case", "when", "in", "is"];

/// Whether fixing the finding of `kind` on the token `start..end` (inside `span`, a literal or
/// config scalar of `text`) is safe. Pure: it reads only the text around the literal.
pub fn applicability(kind: FindingKind, text: &str, span: Span, start: usize, end: usize) -> Applicability {
    match kind {
        FindingKind::Deprecated if is_compared(text, span, start, end) => Applicability::Unsafe,
        _ => Applicability::Safe,
    }
}

/// Whether the literal holding `start..end` is compared or matched.
fn is_compared(text: &str, span: Span, start: usize, end: usize) -> bool {
    let bytes = text.as_bytes();
    // One of several codes in one literal ("A,B", "A|B"): a list of codes.
    let inner = &text[span.start..span.end];
    if inner.trim() != &text[start..end] {
        return true;
    }
    // The literal's delimiters: quotes (and raw-string hashes), and a string prefix.
    let mut from = span.start;
    let mut to = span.end;
    if span.kind == SpanKind::Literal {
        while from > 0 && matches!(bytes[from - 1], b'"' | b'\'' | b'`' | b'#') {
            from -= 1;
        }
        let letters = bytes[..from].iter().rev().take(3).take_while(|b| b"rRbBuUfFLcC@$".contains(b)).count();
        if letters > 0 && letters < 3 && !is_ident(bytes.get(from.wrapping_sub(letters + 1)).copied()) {
            from -= letters;
        }
        while to < bytes.len() && matches!(bytes[to], b'"' | b'\'' | b'`' | b'#') {
            to += 1;
        }
    }
    let before = &text[floor(text, from.saturating_sub(CONTEXT))..from];
    let after = &text[to..ceil(text, (to + CONTEXT).min(text.len()))];
    let before_t = before.trim_end_matches([' ', '\t']);
    let after_t = after.trim_start_matches([' ', '\t']);

    // Comparison operators, on either side.
    for op in ["===", "!==", "==", "!="] {
        if before_t.ends_with(op) || after_t.starts_with(op) {
            return true;
        }
    }
    // Match arms: `"OLD" =>` (Rust, Scala, PHP, C#), `"OLD" ->` (Kotlin), `"OLD")` in a shell
    // `case` is left alone.
    if after_t.starts_with("=>") || after_t.starts_with("->") {
        return true;
    }
    // `"OLD".equals(code)`.
    if let Some(method) = after_t.strip_prefix('.') {
        let name = &method[..method.len() - method.trim_start_matches(is_ident_char).len()];
        if MATCHING_CALLS.contains(&name) {
            return true;
        }
    }
    // `case "OLD":`, `when "OLD"`, `code in ("OLD", ...)`, `code is "OLD"`.
    if MATCHING_KEYWORDS.contains(&last_word(before_t)) {
        return true;
    }
    // A YAML list item (`- OLD`).
    if span.kind == SpanKind::Bare {
        let line = before.rsplit(['\n', '\r']).next().unwrap_or_default();
        if line.trim_start().starts_with('-') && line.trim() == "-" {
            return true;
        }
    }
    // Inside brackets: a list, set or tuple of codes, a key of a map of codes, or an argument
    // of a matching call.
    let prev = before.trim_end().bytes().last();
    let next = after.trim_start().bytes().next();
    if let Some((open, at)) = enclosing_bracket(before) {
        let head = before[..at].trim_end();
        match open {
            b'(' => {
                let callee = last_word(head);
                if MATCHING_CALLS.contains(&callee) {
                    return true;
                }
                // A tuple (`in ("A", "B")`, `= ("A", "B")`) rather than a call.
                let is_call = is_ident(head.bytes().last()) && !MATCHING_KEYWORDS.contains(&callee)
                    || matches!(head.bytes().last(), Some(b')' | b']' | b'>'));
                if !is_call && matches!(prev, Some(b'(' | b',')) && matches!(next, Some(b',' | b')')) {
                    return true;
                }
            }
            _ => {
                // An item (after `[`, `{` or `,`, before `,` or the closing bracket), or a key.
                if matches!(prev, Some(b'[' | b'{' | b',')) && matches!(next, Some(b',' | b']' | b'}')) {
                    return true;
                }
                if open == b'{' && matches!(prev, Some(b'{' | b',')) && next == Some(b':') {
                    return true;
                }
            }
        }
    }
    false
}

/// The innermost bracket left open at the end of `before`, and its offset.
fn enclosing_bracket(before: &str) -> Option<(u8, usize)> {
    let mut depth = 0usize;
    for (i, b) in before.bytes().enumerate().rev() {
        match b {
            b')' | b']' | b'}' => depth += 1,
            b'(' | b'[' | b'{' if depth > 0 => depth -= 1,
            b'(' | b'[' | b'{' => return Some((b, i)),
            b';' if depth == 0 => return None,
            _ => {}
        }
    }
    None
}

fn last_word(s: &str) -> &str {
    let start = s.trim_end_matches(is_ident_char).len();
    &s[start..]
}

fn is_ident_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_' || c == '$'
}

fn is_ident(b: Option<u8>) -> bool {
    b.is_some_and(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'$')
}

fn floor(text: &str, mut i: usize) -> usize {
    while !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

fn ceil(text: &str, mut i: usize) -> usize {
    while !text.is_char_boundary(i) {
        i += 1;
    }
    i
}

/// Returns `text` with every finding that has a `fix` replaced, and the findings applied.
/// Findings must not overlap (the analyzer never produces overlapping findings); an
/// overlapping one is skipped.
pub fn apply<'a>(text: &str, findings: &[&'a Finding]) -> (String, Vec<&'a Finding>) {
    let mut sorted: Vec<&'a Finding> = findings.iter().copied().filter(|f| f.fix.is_some()).collect();
    sorted.sort_by_key(|f| f.start);
    let mut out = String::with_capacity(text.len());
    let mut applied = Vec::new();
    let mut pos = 0;
    for f in sorted {
        if f.start < pos || f.end > text.len() || text.get(f.start..f.end) != Some(f.literal.as_str()) {
            continue;
        }
        out.push_str(&text[pos..f.start]);
        out.push_str(f.fix.as_deref().unwrap_or_default());
        pos = f.end;
        applied.push(f);
    }
    out.push_str(&text[pos..]);
    (out, applied)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scan::{scan, Lang};

    /// The applicability of replacing the deprecated `OLD_CODE` in `text` (written as `lang`).
    fn of(lang: Lang, text: &str) -> Applicability {
        let start = text.find("OLD_CODE").expect("OLD_CODE in the text");
        let end = start + "OLD_CODE".len();
        let span = scan(lang, text)
            .into_iter()
            .find(|s| s.kind != SpanKind::Comment && s.start <= start && end <= s.end)
            .unwrap_or_else(|| panic!("no literal around OLD_CODE in {text:?}"));
        applicability(FindingKind::Deprecated, text, span, start, end)
    }

    #[test]
    fn compared_or_matched_codes_are_unsafe() {
        use Lang::*;
        for (lang, text) in [
            (JavaScript, "switch (e.code) { case 'OLD_CODE': retry(); }"),
            (JavaScript, "if (err.code === \"OLD_CODE\") {}"),
            (JavaScript, "if (\"OLD_CODE\" == err.code) {}"),
            (TypeScript, "if (code !== `OLD_CODE`) return;"),
            (JavaScript, "const RETRY = [\"A_B\", \"OLD_CODE\"];"),
            (JavaScript, "const RETRY = [\n  \"OLD_CODE\",\n  \"A_B\",\n];"),
            (JavaScript, "if (RETRY.includes(\"OLD_CODE\")) {}"),
            (JavaScript, "const messages = { \"OLD_CODE\": \"please log in\" };"),
            (Java, "if (\"OLD_CODE\".equals(code)) {}"),
            (Java, "if (code.equals(\"OLD_CODE\")) {}"),
            (Java, "Set<String> s = Set.of(\"A_B\", \"OLD_CODE\");"),
            (Go, "var codes = []string{\"OLD_CODE\", \"A_B\"}"),
            (Go, "switch code {\ncase \"OLD_CODE\", \"A_B\":\n}"),
            (Python, "return code in RETRYABLE or code == \"OLD_CODE\""),
            (Python, "if code in (\"OLD_CODE\", \"A_B\"):\n    pass"),
            (Python, "match code:\n    case \"OLD_CODE\":\n        pass"),
            (Python, "RETRYABLE = {\"A_B\", \"OLD_CODE\"}"),
            (Ruby, "case code\nwhen 'OLD_CODE' then retry\nend"),
            (Rust, "match code { \"OLD_CODE\" => retry(), _ => {} }"),
            (Kotlin, "when (code) { \"OLD_CODE\" -> retry() }"),
            (Yaml, "retry_on:\n  - OLD_CODE\n  - A_B\n"),
            (Toml, "retry = [\"OLD_CODE\"]\n"),
            (Json, "{\"retry\": [\"OLD_CODE\"]}"),
            (Env, "RETRY_CODES=\"A_B,OLD_CODE\"\n"),
        ] {
            assert_eq!(of(lang, text), Applicability::Unsafe, "{lang:?}: {text}");
        }
    }

    #[test]
    fn produced_codes_are_safe() {
        use Lang::*;
        for (lang, text) in [
            (JavaScript, "const old = \"OLD_CODE\";"),
            (JavaScript, "throw new AppError(\"OLD_CODE\");"),
            (JavaScript, "return { code: \"OLD_CODE\", message: m };"),
            (JavaScript, "res.json({ \"code\": \"OLD_CODE\" });"),
            (TypeScript, "fail(\"OLD_CODE\", 403);"),
            (Python, "raise AppError(\"OLD_CODE\")"),
            (Python, "code = 'OLD_CODE'"),
            (Go, "return &Error{Code: \"OLD_CODE\"}"),
            (Rust, "let code = \"OLD_CODE\";"),
            (Yaml, "error:\n  code: OLD_CODE\n"),
            (Json, "{\"code\": \"OLD_CODE\"}"),
            (Env, "DEFAULT_CODE=OLD_CODE\n"),
        ] {
            assert_eq!(of(lang, text), Applicability::Safe, "{lang:?}: {text}");
        }
    }

    #[test]
    fn misspellings_are_always_safe() {
        let text = "switch (e.code) { case 'OLD_CODE': }";
        let start = text.find("OLD_CODE").unwrap();
        let span = Span { kind: SpanKind::Literal, start, end: start + 8 };
        assert_eq!(applicability(FindingKind::Misspelled, text, span, start, start + 8), Applicability::Safe);
    }

    #[test]
    fn never_panics_near_the_edges_or_on_wide_characters() {
        for text in ["'OLD_CODE'", "OLD_CODE", "中文😀 == 'OLD_CODE' 😀", "[\"OLD_CODE\""] {
            let start = text.find("OLD_CODE").unwrap();
            for kind in [SpanKind::Literal, SpanKind::Bare] {
                let span = Span { kind, start, end: start + 8 };
                let _ = applicability(FindingKind::Deprecated, text, span, start, start + 8);
            }
        }
    }
}
