//! The workspace index: every known code referenced in a tree, and every finding, per file,
//! with positions in the units each consumer needs. Built by walking exactly like `check`
//! (`crate::walk`), in parallel; kept current file by file.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use crate::analysis::{Analyzer, CodeRef, Finding};
use crate::error::FileError;
use crate::scan::{self, Lang, Span};
use crate::text::{positions_forward, Unit, BOM};
use crate::walk::{walk, ProjectSource, WalkOptions, Walked};

/// Where a token is: its line and its columns in the units each consumer needs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LinePos {
    /// 0-based line.
    pub line: u32,
    /// Columns of the start and end within the line, in UTF-8 bytes.
    pub utf8: (u32, u32),
    /// The same columns in UTF-16 code units.
    pub utf16: (u32, u32),
    /// The same columns in characters (for CLI output, 0-based).
    pub chars: (u32, u32),
}

/// One reference to a known code.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Reference {
    pub code: Arc<str>,
    pub pos: LinePos,
}

/// One finding (misspelled or deprecated code) with its position.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FileFinding {
    pub finding: Finding,
    pub pos: LinePos,
}

/// What the index knows of one file: its references to known codes and its findings.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FileRefs {
    pub refs: Vec<Reference>,
    pub findings: Vec<FileFinding>,
}

impl FileRefs {
    pub fn is_empty(&self) -> bool {
        self.refs.is_empty() && self.findings.is_empty()
    }
}

/// The references and findings of `text`, a file's contents as read from disk: a leading byte
/// order mark is not a column (editors drop it; see `text::file_positions_forward`).
pub fn file_refs(analyzer: &Analyzer, lang: Lang, text: &str) -> FileRefs {
    let mut found = refs_in(analyzer, lang, text, &scan::scan(lang, text));
    if text.starts_with(BOM) {
        let positions = found.refs.iter_mut().map(|r| &mut r.pos).chain(found.findings.iter_mut().map(|f| &mut f.pos));
        for pos in positions.filter(|p| p.line == 0) {
            let less = |(start, end): (u32, u32), by: u32| (start.saturating_sub(by), end.saturating_sub(by));
            pos.utf8 = less(pos.utf8, BOM.len_utf8() as u32);
            pos.utf16 = less(pos.utf16, BOM.len_utf16() as u32);
            pos.chars = less(pos.chars, 1);
        }
    }
    found
}

/// The references (numeric uses such as `errCode === -501005` included) and findings of
/// `text`, given its spans.
pub fn refs_in(analyzer: &Analyzer, lang: Lang, text: &str, spans: &[Span]) -> FileRefs {
    let (findings, refs) = analyzer.analyze_with_all_refs(lang, text, spans);
    file_index(text, findings, &refs)
}

/// Locates what the analyzer found in `text`: its findings and its code references.
pub fn file_index(text: &str, findings: Vec<Finding>, found: &[CodeRef]) -> FileRefs {
    if found.is_empty() && findings.is_empty() {
        return FileRefs::default();
    }
    let mut interned: HashMap<&str, Arc<str>> = HashMap::new();
    let ranges: Vec<(usize, usize)> = found.iter().map(|r| (r.start, r.end)).collect();
    let refs = locate(text, &ranges)
        .into_iter()
        .zip(found)
        .map(|(pos, r)| {
            // The code, which a numeric use (`-501005`) does not spell.
            let code = interned.entry(r.code.as_str()).or_insert_with(|| Arc::from(r.code.as_str())).clone();
            Reference { code, pos }
        })
        .collect();
    let ranges: Vec<(usize, usize)> = findings.iter().map(|f| (f.start, f.end)).collect();
    let findings =
        findings.into_iter().zip(locate(text, &ranges)).map(|(finding, pos)| FileFinding { finding, pos }).collect();
    FileRefs { refs, findings }
}

/// The positions of single-line byte ranges of `text`, sorted by start, in one forward pass.
/// The UTF-16 and character columns of a range are counted on from the previous range on the
/// same line, so that a long line is read once, not once per range (a 4 MB one-line file with
/// 200,000 codes took minutes).
fn locate(text: &str, ranges: &[(usize, usize)]) -> Vec<LinePos> {
    let offsets: Vec<usize> = ranges.iter().map(|&(start, _)| start).collect();
    let lines = positions_forward(text, &offsets, Unit::Utf8);
    // The previous range's line, start, and UTF-16 and character columns.
    let mut previous: Option<(usize, usize, usize, usize)> = None;
    ranges
        .iter()
        .zip(lines)
        .map(|(&(start, end), at)| {
            let line_start = start - at.col;
            let (from, b16, bc) = match previous {
                Some((line, s, b16, bc)) if line == at.line && (line_start..=start).contains(&s) => (s, b16, bc),
                _ => (line_start, 0, 0),
            };
            let gap = &text[from..start];
            let (b16, bc) = (b16 + Unit::Utf16.width(gap), bc + Unit::Chars.width(gap));
            previous = Some((at.line, start, b16, bc));
            let token = &text[start..end];
            let b8 = at.col;
            LinePos {
                line: at.line as u32,
                utf8: (b8 as u32, (b8 + token.len()) as u32),
                utf16: (b16 as u32, (b16 + Unit::Utf16.width(token)) as u32),
                chars: (bc as u32, (bc + Unit::Chars.width(token)) as u32),
            }
        })
        .collect()
}

/// Reads a file for indexing: `None` for binary, non-UTF-8, unreadable or too large files.
pub fn read_indexable(path: &Path, max_size: u64) -> Option<String> {
    crate::walk::read_text(path, max_size, |text, _| text.to_string()).ok()
}

/// Walks `paths` with the one file policy of [`crate::walk`] (each file judged and analysed by
/// its own project) and indexes every file except those `skip` names (open documents, indexed
/// from their buffers). A catalog file's codes are declarations, not uses: it is left out.
pub fn index_tree(
    paths: &[PathBuf],
    projects: &dyn ProjectSource,
    options: &WalkOptions,
    skip: &(dyn Fn(&Path) -> bool + Sync),
) -> Result<(HashMap<PathBuf, FileRefs>, Walked), FileError> {
    let out: Mutex<HashMap<PathBuf, FileRefs>> = Mutex::new(HashMap::new());
    let walked = walk(paths, options, projects, &|file| {
        if skip(file.path) || file.project.is_catalog_file(file.path) {
            return;
        }
        let refs = file_refs(&file.project.analyzer, file.lang, file.text);
        if !refs.is_empty() {
            out.lock().unwrap_or_else(|e| e.into_inner()).insert(file.path.to_path_buf(), refs);
        }
    })?;
    Ok((out.into_inner().unwrap_or_else(|e| e.into_inner()), walked))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The position of one range, counted from its line's start.
    fn naive(text: &str, start: usize, end: usize) -> LinePos {
        let line_start = text[..start].rfind('\n').map_or(0, |i| i + 1);
        let (before, token) = (&text[line_start..start], &text[start..end]);
        let width = |unit: Unit, s: &str| unit.width(s) as u32;
        let col = |unit: Unit| (width(unit, before), width(unit, before) + width(unit, token));
        LinePos {
            line: text[..start].matches('\n').count() as u32,
            utf8: col(Unit::Utf8),
            utf16: col(Unit::Utf16),
            chars: col(Unit::Chars),
        }
    }

    /// 100,000 codes on one 2.9 MB line (with characters of every width before them): each
    /// column is counted on from the code before, not from the line's start for every code.
    #[test]
    fn positions_on_one_long_line_are_counted_in_one_pass() {
        let mut text = String::from("é😀\n");
        let mut found = Vec::new();
        for i in 0..100_000 {
            text.push_str(if i % 3 == 0 { "[\"中\", \"" } else { "\"x😀\", \"" });
            found.push(CodeRef { start: text.len(), end: text.len() + 9, code: "SYS_ERROR".to_string() });
            text.push_str("SYS_ERROR\", ");
        }
        text.push_str("\n\"SYS_ERROR\"");
        found.push(CodeRef { start: text.len() - 10, end: text.len() - 1, code: "SYS_ERROR".to_string() });
        let refs = file_index(&text, Vec::new(), &found).refs;
        assert_eq!(refs.len(), found.len());
        for i in [0, 1, 2, 3, 4, 999, 50_000, 99_998, 99_999, 100_000] {
            assert_eq!(refs[i].pos, naive(&text, found[i].start, found[i].end), "reference {i}");
        }
    }
}
