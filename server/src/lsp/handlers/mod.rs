//! One LSP handler per file.

pub mod code_action;
pub mod completion;
pub mod configuration;
pub mod definition;
pub mod diagnostics;
pub mod document_highlight;
pub mod document_link;
pub mod hover;
pub mod indexing;
pub mod inlay_hint;
pub mod lifecycle;
pub mod numeric;
pub mod references;
pub mod status;
pub mod symbols;

use std::sync::Arc;

use tower_lsp_server::jsonrpc::{Error, ErrorCode, Result};
use tower_lsp_server::ls_types::{Position, Uri};

use super::convert;
use super::documents::{rope_text, Window};
use super::{guard, Server};
use errcode_core::project::Project;

/// What a position request needs: the window of text around the position, the offset in it,
/// the document's rope (for converting back) and its project.
pub struct At {
    pub window: Window,
    /// Byte offset of the position within `window.text`.
    pub offset: usize,
    pub rope: ropey::Rope,
    pub lang: errcode_core::scan::Lang,
    pub project: Arc<Project>,
}

impl At {
    /// An LSP range for a byte range of the window.
    pub fn range(&self, start: usize, end: usize, enc: convert::Encoding) -> tower_lsp_server::ls_types::Range {
        convert::range(&self.rope, self.window.base + start, self.window.base + end, enc)
    }
}

/// Looks up `uri` at `pos`; `None` for documents that are not open.
pub fn at(server: &Server, uri: &Uri, pos: Position) -> Option<At> {
    at_with_context(server, uri, pos, 0)
}

/// Like [`at`], with at least `before` bytes of the document before the position in the window.
pub fn at_with_context(server: &Server, uri: &Uri, pos: Position, before: usize) -> Option<At> {
    let enc = server.shared.encoding();
    let docs = server.shared.docs.lock();
    let doc = docs.get(uri)?;
    let offset = convert::offset(&doc.rope, pos, enc);
    let (project, _) = server.shared.workspace.project_for(doc.path.as_deref());
    // Documents above the size limit are skipped (the user was told when it opened).
    if doc.rope.len_bytes() as u64 > project.settings.max_file_size {
        return None;
    }
    let window = doc.window_with_context(offset, before);
    let (rope, lang) = (doc.rope.clone(), doc.lang);
    drop(docs);
    let offset = offset - window.base;
    Some(At { window, offset, rope, lang, project })
}

/// An open document as whole-document requests see it: its current text (a cheap rope clone),
/// the analysis of its current version if there is one, and its project.
pub struct Doc {
    pub rope: ropey::Rope,
    pub lang: errcode_core::scan::Lang,
    pub version: i32,
    /// Which opening of the URI this is.
    pub opened: u64,
    pub path: Option<std::path::PathBuf>,
    snapshot: Option<Arc<super::documents::Snapshot>>,
    pub project: Arc<Project>,
}

impl Doc {
    /// Looks up an open document; `None` when it is not open.
    pub fn get(server: &Server, uri: &Uri) -> Option<Doc> {
        let (rope, lang, path, version, opened, snapshot) = {
            let docs = server.shared.docs.lock();
            let d = docs.get(uri)?;
            (d.rope.clone(), d.lang, d.path.clone(), d.version, d.opened, d.snapshot.clone())
        };
        let (project, _) = server.shared.workspace.project_for(path.as_deref());
        let snapshot =
            snapshot.filter(|s| s.version == version && s.generation == server.shared.workspace.generation());
        Some(Doc { rope, lang, version, opened, path, snapshot, project })
    }

    /// A catalog file of its project: its codes are declarations, not uses.
    fn is_catalog(&self) -> bool {
        self.path.as_deref().is_some_and(|p| self.project.is_catalog_file(p))
    }

    /// The findings of the current version: cached when analysed, else computed now (heavy on
    /// large documents: call it from heavy work, see `blocking`).
    pub fn findings(&self) -> std::borrow::Cow<'_, [errcode_core::analysis::Finding]> {
        match &self.snapshot {
            Some(s) => std::borrow::Cow::Borrowed(&s.findings),
            None if self.is_catalog() => std::borrow::Cow::Owned(Vec::new()),
            None => {
                let text = rope_text(&self.rope);
                std::borrow::Cow::Owned(
                    self.project.analyzer.analyze_spans(&text, &errcode_core::scan::scan(self.lang, &text)),
                )
            }
        }
    }

    /// The references to known codes of the current version: cached or computed now.
    pub fn refs(&self) -> errcode_core::index::FileRefs {
        match &self.snapshot {
            Some(s) => s.refs.clone(),
            None if self.is_catalog() => Default::default(),
            None => {
                let text = rope_text(&self.rope);
                let spans = errcode_core::scan::scan(self.lang, &text);
                let refs = self.project.analyzer.analyze_with_all_refs(self.lang, &text, &spans).1;
                errcode_core::index::file_index(&text, Vec::new(), &refs)
            }
        }
    }
}

/// Shows each config error to the user (naming file and line).
pub async fn report_errors(server: &Server, errors: Vec<errcode_core::error::FileError>) {
    for e in errors {
        let message = format!("errcode: {e} (keeping the last good configuration)");
        tracing::warn!("{message}");
        server.client.show_message(tower_lsp_server::ls_types::MessageType::ERROR, message).await;
    }
}

/// Runs `f` on the heavy-work threads (`lsp::heavy`), under [`guard`]: heavy work (fix-all on
/// a large document, references across the workspace) must not occupy the async threads that
/// answer hovers. If the client cancels the request meanwhile, the answer is "request
/// cancelled" (work already started runs to its end, its result unused; work not started is
/// skipped).
pub async fn blocking<T: Send + 'static>(
    server: &Server,
    what: &'static str,
    f: impl FnOnce() -> T + Send + 'static,
) -> Result<T> {
    // On the heavy-work threads: one per core but one, at a lower priority (see `heavy`).
    let delay = crate::lsp::injected_delay(what);
    let job = move || {
        if let Some(delay) = delay {
            std::thread::sleep(delay);
        }
        guard(what, f)
    };
    match server.shared.heavy.run(job).await {
        Ok(result) => result,
        Err(crate::lsp::heavy::NotRun) => {
            let mut error = Error::internal_error();
            error.message = format!("errcode-lsp: {what} was not run").into();
            Err(error)
        }
    }
}

/// `Ok` if `uri` is still open at `version`; else the "content modified" error a result
/// computed for an older version must be answered with.
pub fn still_current(server: &Server, uri: &Uri, version: i32) -> Result<()> {
    match server.shared.docs.lock().get(uri) {
        Some(doc) if doc.version == version => Ok(()),
        _ => Err(Error {
            code: ErrorCode::ContentModified,
            message: "errcode-lsp: the document changed while the request was computed".into(),
            data: None,
        }),
    }
}
