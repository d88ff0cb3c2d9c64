//! Near-miss matching on arbitrary tokens and on mutations of known codes: never panics; every
//! suggestion is a known code other than the token; the best suggestion is strictly closer than
//! the rest and within the length-dependent bound, by a plain (unbounded, unoptimized)
//! byte-wise optimal-string-alignment distance computed here; a word without underscores is
//! only ever suggested the one code it is with its underscores dropped. A known code is never
//! flagged as a misspelling by the analyzer, whichever built-in catalogs are active.
//!
//! `Matcher::near_miss` itself is, by contract, never asked about a known code: it may find one
//! (`FUNCTIONS_MEMORY_LIMIT_EXCEEDED` is one edit from `FUNCTION_MEMORY_LIMIT_EXCEEDED`, and both
//! are codes), so for known codes the check is made one level up, on `Analyzer::analyze`.
#![no_main]

use std::collections::BTreeSet;
use std::sync::{Arc, OnceLock};

use errcode_core::analysis::matcher::{max_distance, Matcher};
use errcode_core::analysis::{Analyzer, FindingKind};
use errcode_core::catalog::{builtin, CatalogSet};
use errcode_core::config::Severities;
use errcode_core::scan::Lang;
use libfuzzer_sys::arbitrary::{self, Arbitrary};
use libfuzzer_sys::fuzz_target;

#[derive(Arbitrary, Debug)]
enum Input {
    /// A token taken as is.
    Raw(String),
    /// A known code (picked by index) with a few byte-level typos applied.
    Mutated { code: u16, ops: Vec<(u8, u8, u8)> },
}

struct Known {
    codes: Vec<String>,
    matcher: Matcher,
    /// One analyzer per built-in catalog on its own, and one with all of them.
    analyzers: Vec<Analyzer>,
}

fn known() -> &'static Known {
    static KNOWN: OnceLock<Known> = OnceLock::new();
    KNOWN.get_or_init(|| {
        let mut codes: Vec<String> =
            builtin::all().iter().flat_map(|c| c.entries.iter().map(|e| e.code.clone())).collect();
        codes.sort();
        codes.dedup();
        let matcher = Matcher::new(codes.iter().map(String::as_str));
        let mut sets: Vec<Vec<_>> = builtin::all().iter().map(|c| vec![c.clone()]).collect();
        sets.push(builtin::all().to_vec());
        let analyzers = sets
            .into_iter()
            .map(|set| Analyzer::new(Arc::new(CatalogSet::new(set)), BTreeSet::new(), Severities::default()))
            .collect();
        Known { codes, matcher, analyzers }
    })
}

/// The optimal-string-alignment distance on bytes (insert, delete, substitute, swap two
/// neighbours), the textbook full-matrix way: the reference for the matcher's bounded version.
fn osa(a: &str, b: &str) -> usize {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    let mut d = vec![vec![0usize; b.len() + 1]; a.len() + 1];
    for (i, row) in d.iter_mut().enumerate() {
        row[0] = i;
    }
    for j in 0..=b.len() {
        d[0][j] = j;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            d[i][j] = (d[i - 1][j] + 1).min(d[i][j - 1] + 1).min(d[i - 1][j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                d[i][j] = d[i][j].min(d[i - 2][j - 2] + 1);
            }
        }
    }
    d[a.len()][b.len()]
}

/// Typing slips: insert, delete, substitute, swap neighbours. Letters come from a small
/// alphabet so that mutations stay code-shaped most of the time.
fn mutate(code: &str, ops: &[(u8, u8, u8)]) -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_a-\xc3\xa9";
    let mut b = code.as_bytes().to_vec();
    for &(kind, at, ch) in ops.iter().take(4) {
        let at = if b.is_empty() { 0 } else { at as usize % (b.len() + 1) };
        let c = ALPHABET[ch as usize % ALPHABET.len()];
        match kind % 4 {
            0 => b.insert(at, c),
            1 if at < b.len() => {
                b.remove(at);
            }
            2 if at < b.len() => b[at] = c,
            3 if at + 1 < b.len() => b.swap(at, at + 1),
            _ => {}
        }
    }
    String::from_utf8_lossy(&b).into_owned()
}

fuzz_target!(|input: Input| {
    let known = known();
    let token = match input {
        Input::Raw(s) => s,
        Input::Mutated { code, ops } => mutate(&known.codes[code as usize % known.codes.len()], &ops),
    };
    let is_known = known.codes.binary_search(&token).is_ok();
    // The analyzer on the token as a whole string literal.
    if !token.contains(['"', '\\', '\n', '\r']) {
        let text = format!("x = \"{token}\";");
        for analyzer in &known.analyzers {
            for f in analyzer.analyze(Lang::JavaScript, &text) {
                if f.kind != FindingKind::Misspelled {
                    continue;
                }
                assert!(!is_known, "the known code {token:?} was flagged as a misspelling of {:?}", f.suggestions);
                assert!(
                    known.codes.binary_search(&f.literal).is_err(),
                    "{token:?}: known literal {:?} flagged",
                    f.literal
                );
                let fix = f.fix.as_deref().expect("a misspelling has a fix");
                assert!(known.codes.binary_search(&fix.to_string()).is_ok(), "{token:?}: fix {fix:?} is not a code");
            }
        }
    }
    if is_known {
        return;
    }
    let Some(near) = known.matcher.near_miss(&token) else { return };
    assert!(!near.suggestions.is_empty(), "{token:?}: a near miss without suggestions");
    for s in &near.suggestions {
        assert!(known.codes.binary_search(s).is_ok(), "{token:?}: suggestion {s:?} is not a known code");
        assert_ne!(s, &token, "{token:?} suggested itself");
    }
    if !token.contains('_') {
        // A word without underscores is only ever a code with its underscores dropped: one
        // suggestion, which is the token once its underscores are gone, at a distance of the
        // underscores dropped (not bounded by length: `OBJECTNOTEXIST` is two from
        // `OBJECT_NOT_EXIST`).
        assert_eq!(near.suggestions.len(), 1, "{token:?}: a joined word has one code, got {:?}", near.suggestions);
        let code = &near.suggestions[0];
        assert_eq!(code.replace('_', ""), token, "{token:?}: {code:?} is not the token with underscores");
        assert_eq!(near.distance, code.len() - token.len(), "{token:?}: distance is not the underscores dropped");
        assert_eq!(osa(&token, code), near.distance, "{token:?}: reported distance differs from the reference");
        return;
    }
    let best = osa(&token, &near.suggestions[0]);
    assert_eq!(best, near.distance, "{token:?}: reported distance differs from the best suggestion's");
    assert!(best >= 1 && best <= max_distance(token.len()), "{token:?}: distance {best} out of bounds");
    for s in &near.suggestions[1..] {
        assert!(osa(&token, s) > best, "{token:?}: {s:?} is as close as the best");
    }
});
