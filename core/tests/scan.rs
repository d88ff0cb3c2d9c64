//! Data-driven tests of the literal scanners, plus a robustness (property-style) test.
//!
//! # Fixture format
//!
//! Every file `tests/fixtures/scan/<name>.<ext>.txt` is one fixture; its language comes from
//! `Lang::from_path("<name>.<ext>")` (and is `Generic` when that gives nothing). The file is the
//! text to scan, interleaved with *marker lines*, which are removed before scanning. A marker
//! line consists of blanks and caret groups, each optionally followed by one blank and a label:
//!
//! ```text
//! let s = "FOO_BAR"; // don't
//!          ^^^^^^^ L
//!                    ^^^^^^^^ C
//! ```
//!
//! * `^^^` or `^^^ L` marks a `Literal` covering exactly the marked columns of the nearest text
//!   line above; `^^^ B` marks a `Bare` span, `^^^ C` a `Comment`.
//! * `^ L>` (or `B>`, `C>`) opens a span that continues over the following lines at the first
//!   marked column; the next `^ <` closes it after the last marked column.
//! * Columns count `char`s, not bytes, so lines with CJK text and emoji stay readable; the column
//!   just after the last character stands for the line's newline.
//! * Several marker lines may follow one text line (needed when spans touch each other).
//!
//! The check compares the set of all non-empty spans the scanner returns with the marked set,
//! exactly. On a mismatch it prints the text with the actual spans drawn in the same format.
//! Running with `SCAN_BLESS=1` rewrites the fixtures from the actual spans instead (review the
//! diff before committing!).

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use errcode_core::scan::{scan, Lang, Span, SpanKind};

const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/scan");

/// One caret group of a marker line.
struct Mark {
    first: usize,
    last: usize,
    label: String,
}

/// Parses a marker line, or returns `None` when `line` is a text line.
fn parse_marker_line(line: &str) -> Option<Vec<Mark>> {
    let chars: Vec<char> = line.chars().collect();
    let mut marks: Vec<Mark> = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        match chars[i] {
            ' ' | '\t' => i += 1,
            '^' => {
                let first = i;
                while i < chars.len() && chars[i] == '^' {
                    i += 1;
                }
                marks.push(Mark { first, last: i - 1, label: "L".to_string() });
            }
            _ => {
                // A label must directly follow a caret group, separated by one blank.
                let mark = marks.last_mut()?;
                if mark.last + 2 != i || mark.label != "L" || chars[i - 1] != ' ' {
                    return None;
                }
                let start = i;
                while i < chars.len() && !chars[i].is_whitespace() {
                    i += 1;
                }
                let label: String = chars[start..i].iter().collect();
                if !matches!(label.as_str(), "L" | "B" | "C" | "L>" | "B>" | "C>" | "<") {
                    return None;
                }
                mark.label = label;
            }
        }
    }
    (!marks.is_empty()).then_some(marks)
}

fn kind_of(label: char) -> SpanKind {
    match label {
        'B' => SpanKind::Bare,
        'C' => SpanKind::Comment,
        _ => SpanKind::Literal,
    }
}

fn label_of(kind: SpanKind) -> &'static str {
    match kind {
        SpanKind::Literal => "L",
        SpanKind::Bare => "B",
        SpanKind::Comment => "C",
    }
}

/// The byte offset of char column `col` in `line` (the line length for the newline column).
fn byte_of_col(line: &str, col: usize) -> usize {
    line.char_indices().nth(col).map_or(line.len(), |(b, _)| b)
}

/// The byte length of the char at column `col` (1 for the newline column).
fn len_at_col(line: &str, col: usize) -> usize {
    line.chars().nth(col).map_or(1, char::len_utf8)
}

/// A parsed fixture: the text to scan and the expected spans.
struct Fixture {
    text: String,
    expected: BTreeSet<(usize, usize, &'static str)>,
}

fn parse_fixture(source: &str) -> Fixture {
    let mut text = String::new();
    let mut expected = BTreeSet::new();
    // The current text line and its offset in `text`.
    let mut current: Option<(usize, String)> = None;
    let mut open: Option<(usize, SpanKind)> = None;
    for raw in source.split_inclusive('\n') {
        let line = raw.strip_suffix('\n').unwrap_or(raw);
        if let (Some((offset, text_line)), Some(marks)) = (&current, parse_marker_line(line)) {
            for m in marks {
                let start = offset + byte_of_col(text_line, m.first);
                let end = offset + byte_of_col(text_line, m.last) + len_at_col(text_line, m.last);
                match m.label.as_str() {
                    "<" => {
                        let (s, kind) = open.take().expect("`<` marker without an open span");
                        expected.insert((s, end, label_of(kind)));
                    }
                    l if l.ends_with('>') => open = Some((start, kind_of(l.chars().next().unwrap()))),
                    l => {
                        expected.insert((start, end, label_of(kind_of(l.chars().next().unwrap()))));
                    }
                }
            }
            continue;
        }
        current = Some((text.len(), line.to_string()));
        text.push_str(raw);
    }
    assert!(open.is_none(), "a `>` marker was never closed");
    Fixture { text, expected }
}

/// Draws `text` with `spans` in the fixture format (one marker line per span).
fn render(text: &str, spans: &BTreeSet<(usize, usize, &'static str)>) -> String {
    let mut out = String::new();
    let mut offset = 0;
    let col_of = |line: &str, byte: usize| line[..byte].chars().count();
    for raw in text.split_inclusive('\n') {
        let line = raw.strip_suffix('\n').unwrap_or(raw);
        out.push_str(raw);
        if !raw.ends_with('\n') {
            out.push('\n');
        }
        let line_end = offset + line.len();
        let mut marker = |col_first: usize, col_last: usize, label: &str| {
            out.push_str(&" ".repeat(col_first));
            out.push_str(&"^".repeat(col_last - col_first + 1));
            out.push(' ');
            out.push_str(label);
            out.push('\n');
        };
        for &(s, e, label) in spans {
            // The start of the last char of the span.
            let mut last = e - 1;
            while !text.is_char_boundary(last) {
                last -= 1;
            }
            let starts_here = s >= offset && s <= line_end;
            let ends_here = last >= offset && last <= line_end;
            if starts_here && ends_here {
                marker(col_of(line, s - offset), col_of(line, last - offset), label);
            } else if starts_here {
                let c = col_of(line, s - offset);
                marker(c, c, &format!("{label}>"));
            } else if ends_here {
                let c = col_of(line, last - offset);
                marker(c, c, "<");
            }
        }
        offset += raw.len();
    }
    out
}

fn actual_set(spans: &[Span]) -> BTreeSet<(usize, usize, &'static str)> {
    spans.iter().filter(|s| s.end > s.start).map(|s| (s.start, s.end, label_of(s.kind))).collect()
}

/// Checks one fixture; returns an error report on mismatch (or rewrites it when blessing).
fn check(lang: Lang, path: &Path) -> Result<(), String> {
    let source = std::fs::read_to_string(path).unwrap();
    let fixture = parse_fixture(&source);
    let spans = scan(lang, &fixture.text);
    assert_invariants(lang, &fixture.text, &spans);
    let actual = actual_set(&spans);
    if actual == fixture.expected {
        return Ok(());
    }
    if std::env::var_os("SCAN_BLESS").is_some() {
        std::fs::write(path, render(&fixture.text, &actual)).unwrap();
        return Ok(());
    }
    let missing: Vec<_> = fixture.expected.difference(&actual).collect();
    let extra: Vec<_> = actual.difference(&fixture.expected).collect();
    Err(format!(
        "=== {} ({}) ===\nmissing: {missing:?}\nunexpected: {extra:?}\nactual spans:\n{}",
        path.display(),
        lang.name(),
        render(&fixture.text, &actual)
    ))
}

fn fixture_paths() -> Vec<PathBuf> {
    let mut paths: Vec<PathBuf> = std::fs::read_dir(FIXTURES)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .collect();
    paths.sort();
    paths
}

fn lang_of(path: &Path) -> Lang {
    let stem = path.file_stem().unwrap().to_str().unwrap();
    Lang::from_path(Path::new(stem)).unwrap_or(Lang::Generic)
}

#[test]
fn fixtures() {
    let mut failures = Vec::new();
    let mut covered = BTreeSet::new();
    for path in fixture_paths() {
        let lang = lang_of(&path);
        covered.insert(lang.name());
        if let Err(e) = check(lang, &path) {
            failures.push(e);
        }
    }
    for lang in Lang::ALL {
        assert!(covered.contains(lang.name()), "no fixture for {}", lang.name());
    }
    assert!(failures.is_empty(), "{} fixture(s) failed:\n{}", failures.len(), failures.join("\n"));
}

/// The architecture invariant: sorted, non-overlapping, in bounds, on char boundaries.
fn assert_invariants(lang: Lang, text: &str, spans: &[Span]) {
    let mut prev_end = 0;
    for s in spans {
        let ok = s.start <= s.end
            && s.end <= text.len()
            && s.start >= prev_end
            && text.is_char_boundary(s.start)
            && text.is_char_boundary(s.end);
        assert!(ok, "{}: bad span {s:?} (previous end {prev_end}) in {text:?}", lang.name());
        prev_end = s.end;
    }
}

/// A tiny deterministic linear congruential generator.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        self.0 >> 33
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

/// Pieces that random inputs are assembled from: every delimiter any scanner cares about.
const PIECES: &[&str] = &[
    "\"",
    "'",
    "`",
    "\\",
    "/",
    "*",
    "#",
    "{",
    "}",
    "$",
    "(",
    ")",
    "[",
    "]",
    "=",
    "-",
    "<",
    ">",
    "?",
    ":",
    "@",
    ",",
    ";",
    "|",
    "%",
    "!",
    "&",
    "r",
    "b",
    "f",
    "a",
    "x",
    " ",
    "\t",
    "\n",
    "\r\n",
    "\r",
    "é",
    "中",
    "😀",
    "\"\"\"",
    "'''",
    "${",
    "#{",
    "\\(",
    "{{",
    "}}",
    "--",
    "--[[",
    "[[",
    "]]",
    "[==[",
    "]=]",
    "<<<EOT\n",
    "EOT",
    "<<EOF\n",
    "EOF",
    "<!--",
    "-->",
    "<script>",
    "</script>",
    "<style>",
    "=begin\n",
    "=end",
    "r#\"",
    "\"#",
    "@\"",
    "$\"",
    "//",
    "/*",
    "*/",
    "- ",
    ": ",
    "key",
    "export ",
    "<?php ",
    "?>",
    "'a",
    "'\\",
    "\\\n",
    "\0",
];

fn random_inputs() -> Vec<String> {
    let mut rng = Lcg(0x5eed);
    let mut inputs = Vec::new();
    for _ in 0..300 {
        let len = rng.below(60);
        let s: String = (0..len).map(|_| PIECES[rng.below(PIECES.len())]).collect();
        inputs.push(s);
    }
    for _ in 0..100 {
        let len = rng.below(80);
        let bytes: Vec<u8> = (0..len).map(|_| rng.next() as u8).collect();
        inputs.push(String::from_utf8_lossy(&bytes).into_owned());
    }
    inputs
}

#[test]
fn never_panics_and_keeps_invariants() {
    let mut inputs = random_inputs();
    for path in fixture_paths() {
        let text = parse_fixture(&std::fs::read_to_string(&path).unwrap()).text;
        for (i, _) in text.char_indices() {
            inputs.push(text[..i].to_string());
        }
        inputs.push(text);
    }
    for &lang in Lang::ALL {
        for input in &inputs {
            let spans = scan(lang, input);
            assert_invariants(lang, input, &spans);
        }
    }
}

#[test]
fn empty_string_yields_an_empty_span() {
    let spans = scan(Lang::JavaScript, r#"f("")"#);
    assert_eq!(spans, vec![Span { kind: SpanKind::Literal, start: 3, end: 3 }]);
}

#[test]
fn crlf_line_ends_are_not_part_of_spans() {
    let text = "a = \"OPEN\r\nb = 1 // c\r\n";
    let spans = scan(Lang::JavaScript, text);
    let got: Vec<&str> = spans.iter().map(|s| &text[s.start..s.end]).collect();
    assert_eq!(got, vec!["OPEN", "// c"]);
}

#[test]
fn unterminated_string_at_eof_without_newline() {
    // In markup (Vue, Svelte, WXML) this text is markup, not code.
    for &lang in Lang::ALL.iter().filter(|&&l| !l.is_markup()) {
        let text = "x = \"EXCEED_RA";
        let spans = scan(lang, text);
        let found = spans.iter().any(|s| text[s.start..s.end].contains("EXCEED_RA"));
        assert!(found, "{}: {spans:?}", lang.name());
    }
}

#[test]
fn marker_lines_parse() {
    let f = parse_fixture("ab \"中😀x\"\n    ^^^ L\n");
    assert_eq!(f.text, "ab \"中😀x\"\n");
    assert_eq!(f.expected, BTreeSet::from([(4, 12, "L")]));
}

#[test]
fn deep_nesting_neither_overflows_nor_goes_quadratic() {
    let openers = ["`${", "\"${", "$\"{", "f'{", "\"#{", "\"\\(", "\"$(", "{{ \"", "[", "{", "( /[ "];
    for &lang in Lang::ALL {
        for opener in openers {
            let text = opener.repeat(20_000);
            let spans = scan(lang, &text);
            assert_invariants(lang, &text, &spans);
        }
    }
}
