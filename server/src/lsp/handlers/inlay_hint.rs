//! `textDocument/inlayHint` (off by default; the `inlayHints` setting turns it on): the short
//! summary of a code after it.

use tower_lsp_server::jsonrpc::Result;
use tower_lsp_server::ls_types::*;

use super::references::range_of;
use crate::lsp::{guard, Server};

/// Summaries longer than this are cut (the whole text is in the tooltip).
const MAX_LABEL: usize = 60;

pub fn inlay_hint(server: &Server, params: InlayHintParams) -> Result<Option<Vec<InlayHint>>> {
    let enc = server.shared.encoding();
    let Some(doc) = super::Doc::get(server, &params.text_document.uri) else { return Ok(None) };
    if !doc.project.settings.inlay_hints {
        return Ok(None);
    }
    let project = &doc.project;
    guard("inlay hints", || {
        let refs = doc.refs();
        let (first, last) = (params.range.start.line, params.range.end.line);
        let set = project.analyzer.catalogs();
        let hints = refs
            .refs
            .iter()
            .filter(|r| first <= r.pos.line && r.pos.line <= last)
            .filter_map(|r| {
                let (_, entry) = set.primary(&r.code)?;
                let summary = entry.summary.trim();
                let label = if summary.chars().count() > MAX_LABEL {
                    format!("{}…", summary.chars().take(MAX_LABEL - 1).collect::<String>())
                } else {
                    summary.to_string()
                };
                Some(InlayHint {
                    // Right after the code, inside the literal.
                    position: range_of(r, enc).end,
                    label: InlayHintLabel::String(label),
                    kind: None,
                    text_edits: None,
                    tooltip: Some(InlayHintTooltip::String(summary.to_string())),
                    padding_left: Some(true),
                    padding_right: None,
                    data: None,
                })
            })
            .collect();
        Some(hints)
    })
}
