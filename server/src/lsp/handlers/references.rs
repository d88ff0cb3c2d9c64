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
        let (at, codes) = match at.project.analyzer.code_at(&at.window.text, &at.window.spans, at.offset) {
            Some(code) => (at, vec![code.code]),
            // A numeric code (`errCode === -501005`): the uses of the code(s) with that number.
            None => super::numeric::codes_at(server, &pos.text_document.uri, pos.position)?,
        };
        let mut locations: Vec<Location> = Vec::new();
        // A number's uses are indexed under each of its codes: list each place once.
        let mut seen = std::collections::HashSet::new();
        for code in &codes {
            for (path, r) in server.shared.index.references(code) {
                if codes.len() > 1 && !seen.insert((path.clone(), r.pos.line, r.pos.utf8)) {
                    continue;
                }
                if let Some(uri) = Uri::from_file_path(&path) {
                    locations.push(Location { uri, range: range_of(&r, enc) });
                }
            }
        }
        if params.context.include_declaration {
            let decls = codes
                .iter()
                .rev()
                .filter_map(|code| definition::location(&at.project, code, server.shared.locale(&at.project)));
            for decl in decls {
                locations.insert(0, decl);
            }
        }
        Some(locations)
    })
}
