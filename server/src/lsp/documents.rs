//! Open documents: ropes, versions, the cached analysis of a recent version, and applying
//! edits in arrival order.
//!
//! Architecture Invariant: document edits are applied synchronously, in the order the client
//! sent them, by [`super::ordered::OrderedSync`] before the message reaches any async handler.
//! Handlers only read documents.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{Arc, Mutex, MutexGuard};

use ropey::Rope;
use tower_lsp_server::ls_types::{
    DidChangeTextDocumentParams, DidCloseTextDocumentParams, DidOpenTextDocumentParams, Uri,
};

use super::convert::{self, Encoding};
use errcode_core::analysis::Finding;
use errcode_core::index::FileRefs;
use errcode_core::project::Project;
use errcode_core::scan::{self, Lang, Span};

/// The text of a document as one `String`, allocated once (`Rope`'s `to_string` goes
/// through `Display` and grows the string as it goes: a 7 MB document was copied about twice).
pub fn rope_text(rope: &ropey::Rope) -> String {
    let mut text = String::with_capacity(rope.len_bytes());
    for chunk in rope.chunks() {
        text.push_str(chunk);
    }
    text
}

/// The analysis of one version of a document.
#[derive(Debug)]
pub struct Snapshot {
    pub version: i32,
    /// The configuration generation it was computed with.
    pub generation: u64,
    pub spans: Vec<Span>,
    pub findings: Vec<Finding>,
    /// References to known codes (for links, inlay hints and the workspace index).
    pub refs: FileRefs,
}

/// An open document.
#[derive(Debug)]
pub struct Document {
    pub rope: Rope,
    pub version: i32,
    /// Which opening of the URI this is (a document closed and reopened is a new one, even if
    /// its version numbers start over).
    pub opened: u64,
    pub lang: Lang,
    pub path: Option<PathBuf>,
    /// The analysis of some earlier (or the current) version.
    pub snapshot: Option<Arc<Snapshot>>,
    /// For each version after the snapshot's: the smallest byte offset an edit touched.
    /// Text before the smallest of these is unchanged since the snapshot.
    pub edits_since: Vec<(i32, usize)>,
    /// The "file too large" notice was shown for this document.
    pub size_notice_shown: bool,
    /// An analysis of this document is running.
    pub analyzing: bool,
    /// It changed (or the configuration did) while being analysed: analyse again after.
    pub rerun: bool,
}

impl Document {
    /// The smallest byte offset changed since the snapshot (`usize::MAX` when unchanged).
    pub fn dirty_from(&self) -> usize {
        match &self.snapshot {
            None => 0,
            Some(_) => self.edits_since.iter().map(|(_, o)| *o).min().unwrap_or(usize::MAX),
        }
    }

    /// Records a finished analysis if it is not older than the one held.
    pub fn install(&mut self, snapshot: Arc<Snapshot>) {
        if self.snapshot.as_ref().is_some_and(|s| s.version > snapshot.version) {
            return;
        }
        self.edits_since.retain(|(v, _)| *v > snapshot.version);
        self.snapshot = Some(snapshot);
    }

    /// A window of text around byte `offset` with its spans (relative to the window), scanned
    /// from a point where the scanner's state is known: from the cached snapshot when it is
    /// current, else from the latest line start before any edit that lies outside every span
    /// of the snapshot. Cheap even on very large documents.
    pub fn window(&self, offset: usize) -> Window {
        self.window_with_context(offset, 0)
    }

    /// Like [`Document::window`], holding at least `before` bytes before `offset` when the
    /// document has them (completion reads the code before a literal), up to the end of the
    /// offset's line.
    pub fn window_with_context(&self, offset: usize, before: usize) -> Window {
        let offset = offset.min(self.rope.len_bytes());
        let line = self.rope.byte_to_line(offset);
        let line_end =
            if line + 1 < self.rope.len_lines() { self.rope.line_to_byte(line + 1) } else { self.rope.len_bytes() };
        let dirty = self.dirty_from();
        let restart = match (&self.snapshot, self.lang) {
            // Markup scanning (Vue, Svelte, WXML) depends on the enclosing blocks.
            (_, lang) if lang.is_markup() => 0,
            (None, _) => 0,
            (Some(snap), _) if dirty == usize::MAX && before == 0 => {
                // The snapshot is current: take just the span holding the offset, if any (or
                // the one whose opening quote the offset is on).
                let span = errcode_core::analysis::literal_span_at(&snap.spans, offset).or_else(|| {
                    errcode_core::analysis::literal_span_at(&snap.spans, offset + 1).filter(|s| s.start == offset + 1)
                });
                if let Some(span) = span {
                    let start = span.start.min(offset);
                    let end = span.end.max(offset);
                    let text = self.slice(start, end);
                    let spans = vec![Span { kind: span.kind, start: span.start - start, end: span.end - start }];
                    return Window { base: start, text, spans };
                }
                return Window { base: offset, text: String::new(), spans: Vec::new() };
            }
            (Some(snap), _) => restart_point(&self.rope, &snap.spans, dirty.min(offset.saturating_sub(before))),
        };
        let text = self.slice(restart, line_end);
        let spans = scan::scan(self.lang, &text);
        Window { base: restart, text, spans }
    }

    fn slice(&self, start: usize, end: usize) -> String {
        self.rope.byte_slice(start..end).to_string()
    }
}

/// The latest line start at or before `limit` that lies outside every span (where a scanner
/// is in its initial state, modulo nesting such as template interpolation).
fn restart_point(rope: &Rope, spans: &[Span], limit: usize) -> usize {
    let mut line = rope.byte_to_line(limit.min(rope.len_bytes()));
    loop {
        let start = rope.line_to_byte(line);
        let inside = spans
            .get(spans.partition_point(|s| s.start < start).wrapping_sub(1))
            .is_some_and(|s| s.start < start && start < s.end);
        if !inside || line == 0 {
            return if inside { 0 } else { start };
        }
        line -= 1;
    }
}

/// Text around an offset and its spans, relative to `base`.
#[derive(Debug)]
pub struct Window {
    pub base: usize,
    pub text: String,
    pub spans: Vec<Span>,
}

/// The store of open documents, shared by the ordered-sync layer and the handlers.
#[derive(Debug, Default)]
pub struct Documents {
    docs: Mutex<HashMap<Uri, Document>>,
}

impl Documents {
    pub fn lock(&self) -> MutexGuard<'_, HashMap<Uri, Document>> {
        // A panic while holding the lock must not take the server down with it.
        self.docs.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    pub fn open(&self, params: &DidOpenTextDocumentParams) {
        let doc = &params.text_document;
        let path = crate::lsp::convert::local_path(&doc.uri);
        let lang = Lang::from_language_id(&doc.language_id)
            .or_else(|| path.as_deref().and_then(Lang::from_path))
            .unwrap_or(Lang::Generic);
        static OPENINGS: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
        self.lock().insert(
            doc.uri.clone(),
            Document {
                rope: Rope::from_str(&doc.text),
                version: doc.version,
                opened: OPENINGS.fetch_add(1, std::sync::atomic::Ordering::Relaxed) + 1,
                lang,
                path,
                snapshot: None,
                edits_since: Vec::new(),
                size_notice_shown: false,
                analyzing: false,
                rerun: false,
            },
        );
    }

    /// Applies incremental (or full) changes in order. Returns false for an unknown document.
    pub fn change(&self, params: &DidChangeTextDocumentParams, enc: Encoding) -> bool {
        let mut docs = self.lock();
        let Some(doc) = docs.get_mut(&params.text_document.uri) else { return false };
        let mut min_offset = usize::MAX;
        for change in &params.content_changes {
            let range = change.range.map(|r| (convert::line_col(r.start), convert::line_col(r.end)));
            min_offset =
                min_offset.min(errcode_core::text::rope::apply(&mut doc.rope, range, &change.text, enc.unit()));
        }
        doc.version = params.text_document.version;
        doc.edits_since.push((doc.version, min_offset));
        true
    }

    pub fn close(&self, params: &DidCloseTextDocumentParams) {
        self.lock().remove(&params.text_document.uri);
    }

    /// The URIs of the open documents.
    pub fn uris(&self) -> Vec<Uri> {
        self.lock().keys().cloned().collect()
    }
}

/// Everything a background analysis needs, taken under the lock in O(1).
#[derive(Debug, Clone)]
pub struct Job {
    pub uri: Uri,
    pub rope: Rope,
    pub version: i32,
    pub opened: u64,
    pub path: Option<PathBuf>,
    pub lang: Lang,
    pub project: Arc<Project>,
    pub generation: u64,
}

#[cfg(test)]
mod tests {
    #[test]
    fn rope_text_is_the_whole_text_in_one_allocation() {
        // Many chunks, multi-byte characters across chunk boundaries, CRLF.
        let text: String = (0..20_000).map(|i| format!("line {i} \"CODE_{i}\" 错误码\r\n")).collect();
        let rope = ropey::Rope::from_str(&text);
        assert!(rope.chunks().count() > 100);
        let got = super::rope_text(&rope);
        assert_eq!(got, text);
        assert_eq!(got.capacity(), text.len());
    }
}
