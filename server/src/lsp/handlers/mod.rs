//! One LSP handler per file.

pub mod code_action;
pub mod completion;
pub mod configuration;
pub mod definition;
pub mod diagnostics;
pub mod document_link;
pub mod hover;
pub mod indexing;
pub mod inlay_hint;
pub mod lifecycle;
pub mod references;
pub mod status;
pub mod symbols;

use std::sync::Arc;

use tower_lsp_server::ls_types::{Position, Uri};

use super::convert;
use super::documents::Window;
use super::Server;
use crate::project::Project;

/// What a position request needs: the window of text around the position, the offset in it,
/// the document's rope (for converting back) and its project.
pub struct At {
    pub window: Window,
    /// Byte offset of the position within `window.text`.
    pub offset: usize,
    pub rope: ropey::Rope,
    pub project: Arc<Project>,
}

impl At {
    /// An LSP range for a byte range of the window.
    pub fn range(&self, start: usize, end: usize, enc: convert::Encoding) -> tower_lsp_server::ls_types::Range {
        convert::range(&self.rope, self.window.base + start, self.window.base + end, enc)
    }

    /// The text of the position's line before it.
    pub fn line_prefix(&self) -> String {
        let abs = self.window.base + self.offset;
        let start = self.rope.line_to_byte(self.rope.byte_to_line(abs));
        self.rope.byte_slice(start..abs).to_string()
    }
}

/// Looks up `uri` at `pos`; `None` for documents that are not open.
pub fn at(server: &Server, uri: &Uri, pos: Position) -> Option<At> {
    let enc = server.shared.encoding();
    let docs = server.shared.docs.lock();
    let doc = docs.get(uri)?;
    let offset = convert::offset(&doc.rope, pos, enc);
    let (project, _) = server.shared.workspace.project_for(doc.path.as_deref());
    // Documents above the size limit are skipped (the user was told when it opened).
    if doc.rope.len_bytes() as u64 > project.settings.max_file_size {
        return None;
    }
    let window = doc.window(offset);
    let rope = doc.rope.clone();
    drop(docs);
    let offset = offset - window.base;
    Some(At { window, offset, rope, project })
}
