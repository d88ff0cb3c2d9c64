//! The workspace index: every known code referenced in a tree, per file, with positions in
//! the units each consumer needs. Built by walking like `check` (the `ignore` crate), in
//! parallel; kept current file by file.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use ignore::{WalkBuilder, WalkState};

use crate::analysis::{Analyzer, CodeRef, Finding};
use crate::scan::{self, Lang, Span};
use crate::text::{positions_forward, Unit};

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

/// The references and findings of `text`.
pub fn file_refs(analyzer: &Analyzer, lang: Lang, text: &str) -> FileRefs {
    refs_in(analyzer, text, &scan::scan(lang, text))
}

/// The references and findings of `text`, given its spans.
pub fn refs_in(analyzer: &Analyzer, text: &str, spans: &[Span]) -> FileRefs {
    let (findings, refs) = analyzer.analyze_with_refs(text, spans);
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
            let token = &text[r.start..r.end];
            let code = interned.entry(token).or_insert_with(|| Arc::from(token)).clone();
            Reference { code, pos }
        })
        .collect();
    let ranges: Vec<(usize, usize)> = findings.iter().map(|f| (f.start, f.end)).collect();
    let findings =
        findings.into_iter().zip(locate(text, &ranges)).map(|(finding, pos)| FileFinding { finding, pos }).collect();
    FileRefs { refs, findings }
}

/// The positions of single-line byte ranges of `text`, sorted by start, in one forward pass.
fn locate(text: &str, ranges: &[(usize, usize)]) -> Vec<LinePos> {
    let offsets: Vec<usize> = ranges.iter().map(|&(start, _)| start).collect();
    let lines = positions_forward(text, &offsets, Unit::Utf8);
    ranges
        .iter()
        .zip(lines)
        .map(|(&(start, end), at)| {
            let before = &text[start - at.col..start];
            let token = &text[start..end];
            let (b8, b16, bc) = (before.len(), Unit::Utf16.width(before), Unit::Chars.width(before));
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
    let meta = std::fs::metadata(path).ok()?;
    if meta.len() > max_size {
        return None;
    }
    let bytes = std::fs::read(path).ok()?;
    if memchr::memchr(0, &bytes[..bytes.len().min(8 * 1024)]).is_some() {
        return None;
    }
    String::from_utf8(bytes).ok()
}

/// Walks `root` (respecting .gitignore and hidden files like `check`) and indexes every file
/// whose language is known, except those `skip` names. `progress` is called with the number of
/// files done so far.
pub fn index_tree(
    root: &Path,
    analyzer: &Analyzer,
    max_size: u64,
    threads: usize,
    skip: &(dyn Fn(&Path) -> bool + Sync),
    progress: &(dyn Fn(usize) + Sync),
) -> HashMap<PathBuf, FileRefs> {
    let out: Mutex<HashMap<PathBuf, FileRefs>> = Mutex::new(HashMap::new());
    let done = AtomicUsize::new(0);
    WalkBuilder::new(root).threads(threads.max(1)).build_parallel().run(|| {
        let out = &out;
        let done = &done;
        Box::new(move |entry| {
            let Ok(entry) = entry else { return WalkState::Continue };
            if !entry.file_type().is_some_and(|t| t.is_file()) {
                return WalkState::Continue;
            }
            let Some(lang) = Lang::from_path(entry.path()) else { return WalkState::Continue };
            if skip(entry.path()) {
                return WalkState::Continue;
            }
            if let Some(text) = read_indexable(entry.path(), max_size) {
                let refs = file_refs(analyzer, lang, &text);
                if !refs.is_empty() {
                    out.lock().unwrap_or_else(|e| e.into_inner()).insert(entry.path().to_path_buf(), refs);
                }
            }
            let n = done.fetch_add(1, Ordering::Relaxed) + 1;
            if n % 256 == 0 {
                progress(n);
            }
            WalkState::Continue
        })
    });
    progress(done.load(Ordering::Relaxed));
    out.into_inner().unwrap_or_else(|e| e.into_inner())
}
