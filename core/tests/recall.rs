//! Recall on realistic typos: every whole-literal use of a real code (8 characters or more) in
//! the corpus `fixtures/recall/` (several languages, written for this test) is mutated in place
//! by each typo kind, the file is analysed again, and the typo counts as found when a
//! misspelling finding covers exactly the mutated literal and its fix is the original code.
//! Prints recall per kind and overall, and holds them to a floor.
//!
//! The generator is deterministic (every position, keyboard neighbours picked by position) and
//! never touches the first character: the matcher keeps the first letter by design (typos of
//! the first letter are rare, and a code's first letter is what its bucket is). Mutations that
//! give another real code, or a token too short or not shaped like a code, are not typos here.
//!
//! Also checks that `not-typos.ts.txt`, realistic code-shaped strings that are not CloudBase
//! codes (environment names, other libraries' codes, an app's own codes), gets no finding.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::sync::Arc;

use errcode_core::analysis::{Analyzer, FindingKind};
use errcode_core::catalog::{builtin, CatalogSet};
use errcode_core::config::Severities;
use errcode_core::scan::{self, Lang, SpanKind};

const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/recall");

/// The typo kinds, in the order they are printed.
const KINDS: [&str; 7] = [
    "drop underscore",
    "change vowel",
    "delete char",
    "insert char",
    "substitute char",
    "swap adjacent",
    "double letter",
];

/// Neighbours of each letter on a QWERTY keyboard (the slips a finger makes).
fn neighbours(c: u8) -> &'static [u8] {
    match c {
        b'Q' => b"WA",
        b'W' => b"QES",
        b'E' => b"WRD",
        b'R' => b"ETF",
        b'T' => b"RYG",
        b'Y' => b"TUH",
        b'U' => b"YIJ",
        b'I' => b"UOK",
        b'O' => b"IPL",
        b'P' => b"OL",
        b'A' => b"QSZ",
        b'S' => b"ADW",
        b'D' => b"SFE",
        b'F' => b"DGR",
        b'G' => b"FHT",
        b'H' => b"GJY",
        b'J' => b"HKU",
        b'K' => b"JLI",
        b'L' => b"KO",
        b'Z' => b"XA",
        b'X' => b"ZCS",
        b'C' => b"XVD",
        b'V' => b"CBF",
        b'B' => b"VNG",
        b'N' => b"BMH",
        b'M' => b"NJ",
        b'0' => b"9",
        b'1' => b"2",
        b'2' => b"13",
        b'3' => b"24",
        b'4' => b"35",
        b'5' => b"46",
        b'6' => b"57",
        b'7' => b"68",
        b'8' => b"79",
        b'9' => b"80",
        _ => b"",
    }
}

fn is_vowel(c: u8) -> bool {
    b"AEIOU".contains(&c)
}

/// The typos of `code` of one kind, each at most once.
fn typos(code: &str, kind: &str) -> BTreeSet<String> {
    let b = code.as_bytes();
    let mut out = BTreeSet::new();
    let mut push = |v: Vec<u8>| {
        out.insert(String::from_utf8(v).unwrap());
    };
    let letter = |i: usize| b[i] != b'_';
    for i in 1..b.len() {
        let mut v = b.to_vec();
        match kind {
            "drop underscore" if !letter(i) => {
                v.remove(i);
                push(v);
            }
            "change vowel" if is_vowel(b[i]) => {
                for &w in b"AEIOU".iter().filter(|&&w| w != b[i]) {
                    let mut v = b.to_vec();
                    v[i] = w;
                    push(v);
                }
            }
            "delete char" if letter(i) => {
                v.remove(i);
                push(v);
            }
            "insert char" => {
                // A key next to the one just typed (or the next one, after an underscore).
                let near = if letter(i - 1) { b[i - 1] } else { b[i] };
                let keys = neighbours(near);
                if !keys.is_empty() {
                    v.insert(i, keys[i % keys.len()]);
                    push(v);
                }
            }
            "substitute char" if letter(i) => {
                let keys = neighbours(b[i]);
                if !keys.is_empty() {
                    v[i] = keys[i % keys.len()];
                    push(v);
                }
            }
            "swap adjacent" if i + 1 < b.len() && letter(i) && letter(i + 1) && b[i] != b[i + 1] => {
                v.swap(i, i + 1);
                push(v);
            }
            _ => {}
        }
    }
    if kind == "double letter" {
        for i in (0..b.len()).filter(|&i| letter(i)) {
            let mut v = b.to_vec();
            v.insert(i, b[i]);
            push(v);
        }
    }
    out
}

/// A literal that can be a typo here: 8 characters or more, code-shaped or (having dropped its
/// only underscore) one word of upper-case letters and digits, and not itself a real code.
fn is_typo_candidate(s: &str) -> bool {
    let b = s.as_bytes();
    let shaped = b[0].is_ascii_uppercase()
        && b.iter().all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || *c == b'_')
        && !s.ends_with('_')
        && !s.contains("__");
    s.len() >= 8 && shaped && !builtin::is_known(s)
}

fn analyzer() -> Analyzer {
    Analyzer::new(Arc::new(CatalogSet::new(builtin::all().to_vec())), BTreeSet::new(), Severities::default())
}

/// The corpus files with their language (the `.txt` files are not part of it).
fn corpus() -> Vec<(String, Lang, String)> {
    let mut files: Vec<_> = std::fs::read_dir(FIXTURES)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e != "txt"))
        .map(|p| {
            let lang = Lang::from_path(&p).unwrap_or_else(|| panic!("no language for {}", p.display()));
            let name = p.file_name().unwrap().to_string_lossy().into_owned();
            (name, lang, std::fs::read_to_string(&p).unwrap())
        })
        .collect();
    files.sort_by(|a, b| a.0.cmp(&b.0));
    files
}

#[derive(Default)]
struct Tally {
    found: usize,
    total: usize,
    missed: Vec<String>,
}

impl Tally {
    fn recall(&self) -> f64 {
        100.0 * self.found as f64 / self.total.max(1) as f64
    }
}

#[test]
fn recall_on_single_typos_of_real_codes() {
    let a = analyzer();
    let mut tallies: BTreeMap<&str, Tally> = KINDS.iter().map(|k| (*k, Tally::default())).collect();
    let mut uses = 0;
    let mut languages = BTreeSet::new();
    for (name, lang, text) in corpus() {
        let spans = scan::scan(lang, &text);
        let (findings, refs) = a.analyze_with_refs(&text, &spans);
        assert!(findings.is_empty(), "{name}: the corpus itself must be clean: {findings:?}");
        // Whole-literal uses: a reference that is all of a literal or config scalar.
        let whole = |start: usize, end: usize| {
            spans.iter().any(|s| s.kind != SpanKind::Comment && s.start == start && s.end == end)
        };
        for r in refs.iter().filter(|r| r.code.len() >= 8 && whole(r.start, r.end)) {
            uses += 1;
            languages.insert(lang.name());
            for kind in KINDS {
                let tally = tallies.get_mut(kind).unwrap();
                for typo in typos(&r.code, kind).into_iter().filter(|t| is_typo_candidate(t)) {
                    let mutated = format!("{}{typo}{}", &text[..r.start], &text[r.end..]);
                    let found = a.analyze(lang, &mutated).iter().any(|f| {
                        f.start == r.start
                            && f.end == r.start + typo.len()
                            && f.kind == FindingKind::Misspelled
                            && f.fix.as_deref() == Some(r.code.as_str())
                    });
                    tally.total += 1;
                    if found {
                        tally.found += 1;
                    } else {
                        tally.missed.push(format!("{typo} ({})", r.code));
                    }
                }
            }
        }
    }
    assert!(uses >= 60 && languages.len() >= 6, "corpus too small: {uses} uses in {languages:?}");
    let (found, total) = tallies.values().fold((0, 0), |(f, t), k| (f + k.found, t + k.total));
    let overall = 100.0 * found as f64 / total as f64;
    println!("recall on {total} typos of {uses} code uses in {} languages:", languages.len());
    for (kind, t) in &tallies {
        println!("  {kind:<16} {:6.1} %  ({}/{})", t.recall(), t.found, t.total);
    }
    println!("  {:<16} {overall:6.1} %  ({found}/{total})", "overall");
    for (kind, t) in &tallies {
        let mut missed = t.missed.clone();
        missed.sort();
        missed.dedup();
        println!("missed, {kind}: {}", missed.join(", "));
    }
    assert!(overall >= 98.0, "overall recall {overall:.1} % is below 98 %");
    for (kind, t) in &tallies {
        assert!(t.total >= 50, "{kind}: only {} typos", t.total);
        assert!(t.recall() >= 95.0, "{kind}: recall {:.1} % is below 95 %", t.recall());
    }
}

#[test]
fn code_shaped_strings_that_are_not_typos_are_not_flagged() {
    let a = analyzer();
    let text = std::fs::read_to_string(Path::new(FIXTURES).join("not-typos.ts.txt")).unwrap();
    let spans = scan::scan(Lang::TypeScript, &text);
    let literals = spans.iter().filter(|s| s.kind == SpanKind::Literal).count();
    assert!(literals >= 100, "{literals} literals");
    let findings = a.analyze_spans(&text, &spans);
    let flagged: Vec<_> = findings.iter().map(|f| f.message.clone()).collect();
    assert!(flagged.is_empty(), "{flagged:#?}");
}

#[test]
fn the_generator_makes_each_kind_of_typo() {
    let has = |kind: &str, typo: &str| typos("INVALID_PARAM", kind).contains(typo);
    assert!(has("drop underscore", "INVALIDPARAM"));
    assert!(has("change vowel", "INVALID_PERAM") && has("change vowel", "INVALUD_PARAM"));
    assert!(!has("change vowel", "ENVALID_PARAM"), "the first letter is kept");
    assert!(has("delete char", "INVALID_PRAM") && !has("delete char", "NVALID_PARAM"));
    assert!(has("swap adjacent", "INVALID_PARMA") && !has("swap adjacent", "INVALI_DPARAM"));
    assert!(has("double letter", "INVALID_PARRAM") && has("double letter", "IINVALID_PARAM"));
    assert_eq!(typos("INVALID_PARAM", "substitute char").len(), 11);
    assert_eq!(typos("INVALID_PARAM", "insert char").len(), 12);
    assert!(typos("INVALID_PARAM", "insert char").iter().all(|t| t.len() == 14 && t.starts_with('I')));
}
