//! `textDocument/documentLink`: each known code links to its documentation page (an http(s)
//! URL, or a `file:` URL inside the project; catalog text is untrusted).

use tower_lsp_server::jsonrpc::Result;
use tower_lsp_server::ls_types::*;

use super::references::range_of;
use crate::lsp::to_proto::docs_link;
use crate::lsp::{guard, Server};
use errcode_core::messages;

pub fn document_link(server: &Server, params: DocumentLinkParams) -> Result<Option<Vec<DocumentLink>>> {
    let enc = server.shared.encoding();
    let Some(doc) = super::Doc::get(server, &params.text_document.uri) else { return Ok(None) };
    let project = &doc.project;
    guard("document links", || {
        let refs = doc.refs();
        let set = project.analyzer.catalogs();
        let locale = server.shared.locale(project);
        let links = refs
            .refs
            .iter()
            .filter_map(|r| {
                let target =
                    set.lookup(&r.code).find_map(|(_, e)| docs_link(e.docs_in(locale.tag())?, &project.root))?;
                Some(DocumentLink {
                    range: range_of(r, enc),
                    target: Some(target),
                    tooltip: Some(messages::open_docs(locale, &r.code)),
                    data: None,
                })
            })
            .collect();
        Some(links)
    })
}
