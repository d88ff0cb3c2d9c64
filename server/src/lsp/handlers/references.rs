//! `textDocument/references`: every use of the code under the cursor across the workspace
//! (from the workspace index), plus its catalog entry when the declaration is wanted.

use tower_lsp_server::jsonrpc::Result;
use tower_lsp_server::ls_types::*;

use super::definition;
use crate::lsp::convert::Encoding;
use crate::lsp::{guard, Server};
use errcode_core::index::Reference;

/// The LSP range of an indexed reference.
pub fn range_of(r: &Reference, enc: Encoding) -> Range {
    let (start, end) = match enc {
        Encoding::Utf8 => r.pos.utf8,
        Encoding::Utf16 => r.pos.utf16,
    };
    Range::new(Position::new(r.pos.line, start), Position::new(r.pos.line, end))
}

pub fn references(server: &Server, params: ReferenceParams) -> Result<Option<Vec<Location>>> {
    let pos = params.text_document_position;
    let Some(at) = super::at(server, &pos.text_document.uri, pos.position) else { return Ok(None) };
    let enc = server.shared.encoding();
    guard("references", || {
        let code = at.project.analyzer.code_at(&at.window.text, &at.window.spans, at.offset)?;
        let mut locations: Vec<Location> = server
            .shared
            .index
            .references(&code.code)
            .into_iter()
            .filter_map(|(path, r)| Some(Location { uri: Uri::from_file_path(&path)?, range: range_of(&r, enc) }))
            .collect();
        if params.context.include_declaration {
            if let Some(decl) = definition::location(&at.project, &code.code) {
                locations.insert(0, decl);
            }
        }
        Some(locations)
    })
}
