//! Near-miss matching: is an unknown code-shaped token a misspelling of exactly one known code?
//!
//! Precision comes first. A token is a misspelling only when
//! - it is at least [`MIN_LEN`] bytes long,
//! - its edit distance (optimal string alignment: insert, delete, substitute, swap two
//!   neighbours) to the best code is within a bound that grows with length,
//! - the edit looks like a typo: the first letter is kept, a short word (4 letters or fewer) is
//!   never swapped for another by a substitution (`INVALID_POST` is not `INVALID_HOST`), and
//!   underscores only move when the letters stay almost the same,
//! - and the best code is strictly closer than every other code (a margin of one edit).

use std::collections::HashMap;

use super::tokens::is_code_shaped;

/// Tokens shorter than this are never flagged (`API_KEY`, `NODE_ENV`).
pub const MIN_LEN: usize = 8;

/// The largest edit distance accepted for a token of `len` bytes.
pub fn max_distance(len: usize) -> usize {
    match len {
        0..MIN_LEN => 0,
        MIN_LEN..=15 => 1,
        16..=23 => 2,
        _ => 3,
    }
}

/// The known codes, bucketed by first byte for fast candidate lookup.
#[derive(Debug, Default)]
pub struct Matcher {
    by_first: HashMap<u8, Vec<String>>,
}

/// The outcome of matching an unknown token.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NearMiss {
    /// Plausible codes, best first. The first is strictly closer than the rest.
    pub suggestions: Vec<String>,
    pub distance: usize,
}

impl Matcher {
    /// Builds a matcher over the code-shaped codes among `codes`.
    pub fn new<'a>(codes: impl IntoIterator<Item = &'a str>) -> Matcher {
        let mut by_first: HashMap<u8, Vec<String>> = HashMap::new();
        for code in codes {
            if is_code_shaped(code) {
                by_first.entry(code.as_bytes()[0]).or_default().push(code.to_string());
            }
        }
        for list in by_first.values_mut() {
            list.sort();
            list.dedup();
        }
        Matcher { by_first }
    }

    /// Ranked suggestions for `token` (which must not itself be a known code), or `None` when
    /// no code is clearly the one meant.
    pub fn near_miss(&self, token: &str) -> Option<NearMiss> {
        let bound = max_distance(token.len());
        if bound == 0 {
            return None;
        }
        let candidates = self.by_first.get(token.as_bytes().first()?)?;
        let mut scored: Vec<(usize, &str)> = Vec::new();
        for code in candidates {
            if code.len().abs_diff(token.len()) > bound || code == token {
                continue;
            }
            let d = strsim::osa_distance(token, code);
            if d <= bound && looks_like_typo(token, code) {
                scored.push((d, code));
            }
        }
        scored.sort();
        let (best, rest) = scored.split_first()?;
        if rest.first().is_some_and(|(d, _)| *d <= best.0) {
            return None;
        }
        Some(NearMiss { suggestions: scored.iter().map(|(_, c)| c.to_string()).collect(), distance: best.0 })
    }
}

/// Whether turning `token` into `code` looks like a typing slip rather than a different name.
fn looks_like_typo(token: &str, code: &str) -> bool {
    let tw: Vec<&str> = token.split('_').collect();
    let cw: Vec<&str> = code.split('_').collect();
    if tw.len() != cw.len() {
        // Underscores were added, dropped or moved: the letters must stay within one edit.
        let strip = |s: &str| s.replace('_', "");
        return strsim::osa_distance(&strip(token), &strip(code)) <= 1;
    }
    for (t, c) in tw.iter().zip(&cw) {
        if t == c {
            continue;
        }
        // A short word with a letter substituted is usually another word (HOST / POST).
        if c.len() <= 4 && t.len() == c.len() && !is_transposition(t, c) {
            return false;
        }
    }
    true
}

/// `a` and `b` differ by swapping two neighbouring characters.
fn is_transposition(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a.len() != b.len() {
        return false;
    }
    let diffs: Vec<usize> = (0..a.len()).filter(|&i| a[i] != b[i]).collect();
    diffs.len() == 2 && diffs[1] == diffs[0] + 1 && a[diffs[0]] == b[diffs[1]] && a[diffs[1]] == b[diffs[0]]
}
