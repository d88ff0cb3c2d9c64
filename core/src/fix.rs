//! Applying fixes to text: replaces findings' tokens with their unambiguous replacement.

use crate::analysis::Finding;

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
