//! `textDocument/documentLink`: each known code links to its documentation page.

use tower_lsp_server::jsonrpc::Result;
use tower_lsp_server::ls_types::*;

use super::references::range_of;
use crate::index;
use crate::lsp::{guard, Server};

pub fn document_link(server: &Server, params: DocumentLinkParams) -> Result<Option<Vec<DocumentLink>>> {
    let enc = server.shared.encoding();
    let Some((rope, lang, path, snapshot, version)) = ({
        let docs = server.shared.docs.lock();
        docs.get(&params.text_document.uri)
            .map(|d| (d.rope.clone(), d.lang, d.path.clone(), d.snapshot.clone(), d.version))
    }) else {
        return Ok(None);
    };
    let (project, _) = server.shared.workspace.project_for(path.as_deref());
    guard("document links", || {
        let refs = match snapshot.filter(|s| s.version == version) {
            Some(s) => s.refs.clone(),
            None => index::file_refs(&project.analyzer, lang, &rope.to_string()),
        };
        let set = project.analyzer.catalogs();
        let links = refs
            .refs
            .iter()
            .filter_map(|r| {
                let docs = set.lookup(&r.code).find_map(|(_, e)| e.docs.clone())?;
                let target = docs.parse::<Uri>().ok()?;
                Some(DocumentLink {
                    range: range_of(r, enc),
                    target: Some(target),
                    tooltip: Some(format!("Open the documentation of {}", r.code)),
                    data: None,
                })
            })
            .collect();
        Some(links)
    })
}
