//! `textDocument/hover`: the documentation of the code under the cursor, anywhere inside a
//! literal (also inside longer strings), or of the numeric code under it (`errCode === -501005`);
//! nothing on non-codes.

use tower_lsp_server::jsonrpc::Result;
use tower_lsp_server::ls_types::*;

use crate::lsp::{guard, Server};
use errcode_core::docs::Doc;

pub fn hover(server: &Server, params: HoverParams) -> Result<Option<Hover>> {
    let pos = params.text_document_position_params;
    let Some(at) = super::at(server, &pos.text_document.uri, pos.position) else { return Ok(None) };
    let caps = server.shared.caps();
    let hover = guard("hover", || {
        let analyzer = &at.project.analyzer;
        let code = analyzer.code_at(&at.window.text, &at.window.spans, at.offset)?;
        let doc = Doc::of(analyzer.catalogs(), &code.code, server.shared.locale(&at.project))?;
        let locale = server.shared.locale(&at.project);
        let (kind, value) = if caps.hover_markdown {
            (MarkupKind::Markdown, doc.markdown(locale))
        } else {
            (MarkupKind::PlainText, doc.plain(locale))
        };
        Some(Hover {
            contents: HoverContents::Markup(MarkupContent { kind, value }),
            range: Some(at.range(code.start, code.end, caps.encoding)),
        })
    })?;
    if hover.is_some() {
        return Ok(hover);
    }
    // A numeric code: `errCode === -501005`.
    guard("hover", || super::numeric::hover(server, &pos.text_document.uri, pos.position))
}
