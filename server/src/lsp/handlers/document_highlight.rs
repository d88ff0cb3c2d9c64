//! `textDocument/documentHighlight`: the other uses of the code under the cursor in the same
//! document.

use tower_lsp_server::jsonrpc::Result;
use tower_lsp_server::ls_types::*;

use super::references::range_of;
use crate::lsp::Server;

pub async fn document_highlight(
    server: &Server,
    params: DocumentHighlightParams,
) -> Result<Option<Vec<DocumentHighlight>>> {
    let pos = params.text_document_position_params;
    let Some(at) = super::at(server, &pos.text_document.uri, pos.position) else { return Ok(None) };
    let Some(code) = at.project.analyzer.code_at(&at.window.text, &at.window.spans, at.offset) else {
        return Ok(None);
    };
    let Some(doc) = super::Doc::get(server, &pos.text_document.uri) else { return Ok(None) };
    let enc = server.shared.encoding();
    super::blocking(server, "document highlight", move || {
        let highlights: Vec<DocumentHighlight> = doc
            .refs()
            .refs
            .iter()
            .filter(|r| *r.code == *code.code)
            .map(|r| DocumentHighlight { range: range_of(r, enc), kind: Some(DocumentHighlightKind::TEXT) })
            .collect();
        (!highlights.is_empty()).then_some(highlights)
    })
    .await
}
