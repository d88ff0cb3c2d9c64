//! `textDocument/inlayHint` (off by default; the `inlayHints` setting turns it on): the short
//! summary of a code after it; after a numeric code (`errCode === -501005`), its name.

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
        let locale = server.shared.locale(project);
        // A numeric use (`errCode === -501005`) is labelled with its code's name instead.
        let is_number = |r: &errcode_core::index::Reference| {
            let at = doc.rope.try_line_to_byte(r.pos.line as usize).ok().map(|b| b + r.pos.utf8.0 as usize);
            matches!(at.and_then(|i| doc.rope.get_byte(i)), Some(b'-' | b'0'..=b'9'))
        };
        let mut hints: Vec<InlayHint> = Vec::new();
        let mut last_number = None;
        for r in refs.refs.iter().filter(|r| first <= r.pos.line && r.pos.line <= last) {
            let Some((_, entry)) = set.primary(&r.code) else { continue };
            let summary = entry.summary_in(locale.tag()).trim();
            let label = if is_number(r) {
                // The codes of one number follow each other: one hint names them all.
                if last_number == Some(r.pos) {
                    if let Some(InlayHint {
                        label: InlayHintLabel::String(label),
                        tooltip: Some(InlayHintTooltip::String(tooltip)),
                        ..
                    }) = hints.last_mut()
                    {
                        label.push_str(&format!(" | {}", r.code));
                        tooltip.push_str(&format!("\n{}: {summary}", r.code));
                    }
                    continue;
                }
                last_number = Some(r.pos);
                r.code.to_string()
            } else if summary.chars().count() > MAX_LABEL {
                format!("{}…", summary.chars().take(MAX_LABEL - 1).collect::<String>())
            } else {
                summary.to_string()
            };
            let tooltip = if is_number(r) { format!("{}: {summary}", r.code) } else { summary.to_string() };
            hints.push(InlayHint {
                // Right after the code, inside the literal (after a numeric code).
                position: range_of(r, enc).end,
                label: InlayHintLabel::String(label),
                kind: None,
                text_edits: None,
                tooltip: Some(InlayHintTooltip::String(tooltip)),
                padding_left: Some(true),
                padding_right: None,
                data: None,
            });
        }
        Some(hints)
    })
}
