//! `textDocument/completion`: known codes where a code belongs (a code place: `err.code === "`,
//! `code: "`, `case "` over a code, a list of codes, ...; see `analysis::completion`) or once the
//! typed word is code-shaped (`"FUNC`); nothing elsewhere. The item replaces the whole word under
//! the cursor. Ranked: codes used in the workspace first, prefix before fuzzy matches, legacy
//! after current, deprecated last; capped at [`MAX_ITEMS`].

use tower_lsp_server::jsonrpc::Result;
use tower_lsp_server::ls_types::*;

use crate::lsp::{guard, Server};
use errcode_core::analysis::completion::{completion_at, rank, LOOK_BEHIND, MAX_ITEMS};
use errcode_core::docs::{self, Doc};
use errcode_core::text::markdown;

pub fn completion(server: &Server, params: CompletionParams) -> Result<Option<CompletionResponse>> {
    let pos = params.text_document_position;
    let uri = &pos.text_document.uri;
    let Some(at) = super::at_with_context(server, uri, pos.position, LOOK_BEHIND) else { return Ok(None) };
    let caps = server.shared.caps();
    let locale = server.shared.locale(&at.project);
    guard("completion", || {
        let set = at.project.analyzer.catalogs();
        let ctx = completion_at(at.lang, &at.window.text, &at.window.spans, at.offset, |c| set.contains(c))?;
        let uses = server.shared.index.uses();
        let used: Vec<(&str, usize)> = uses.iter().map(|(code, &n)| (&**code, n as usize)).collect();
        let ranked = rank(set, &ctx.prefix, &used, MAX_ITEMS);
        let range = at.range(ctx.start, ctx.end, caps.encoding);
        let data = serde_json::json!({ "uri": uri });
        let items = ranked
            .items
            .iter()
            .enumerate()
            .filter_map(|(i, candidate)| {
                let (code, deprecated) = (candidate.code.to_string(), candidate.deprecated);
                // One item per code, described as its hover is (the richest catalog's entry).
                let doc = Doc::of(set, &code, locale)?;
                // The documentation is filled in by `completionItem/resolve`, for the focused item only.
                Some(CompletionItem {
                    label: code.clone(),
                    kind: Some(CompletionItemKind::CONSTANT),
                    detail: Some(completion_detail(&doc)),
                    data: Some(data.clone()),
                    tags: deprecated.then(|| vec![CompletionItemTag::DEPRECATED]),
                    // For clients without tag support.
                    deprecated: deprecated.then_some(true),
                    sort_text: Some(format!("{i:04}")),
                    filter_text: Some(code.clone()),
                    text_edit: Some(CompletionTextEdit::Edit(TextEdit { range, new_text: code.clone() })),
                    ..Default::default()
                })
            })
            .collect();
        Some(CompletionResponse::List(CompletionList { is_incomplete: ranked.incomplete, items }))
    })
}

/// `completionItem/resolve`: the summary (and status) of the focused code.
pub fn resolve(server: &Server, mut item: CompletionItem) -> Result<CompletionItem> {
    let caps = server.shared.caps();
    let path = item
        .data
        .as_ref()
        .and_then(|d| d.get("uri"))
        .and_then(|u| u.as_str())
        .and_then(|u| u.parse::<Uri>().ok())
        .and_then(|u| crate::lsp::convert::local_path(&u));
    let (project, _) = server.shared.workspace.project_for(path.as_deref());
    let locale = server.shared.locale(&project);
    if let Some(doc) = Doc::of(project.analyzer.catalogs(), &item.label, locale) {
        let mut text = doc.summary.clone();
        if let Some(line) = doc.status_line(locale) {
            text.push_str("\n\n");
            text.push_str(&line);
        }
        let markdown = caps.completion_markdown;
        item.documentation = Some(Documentation::MarkupContent(MarkupContent {
            kind: if markdown { MarkupKind::Markdown } else { MarkupKind::PlainText },
            // Catalog text is untrusted: no raw HTML, no images, web links only.
            value: if markdown { markdown::sanitize(&text, Some(&project.root)) } else { docs::strip_markdown(&text) },
        }));
    }
    Ok(item)
}

/// `category · catalog` of the entry shown, and the other catalogs listing the code.
fn completion_detail(doc: &Doc) -> String {
    let mut detail = format!("{} · {}", doc.category, doc.catalog);
    for also in &doc.also_in {
        detail.push_str(&format!(", {}", also.catalog));
    }
    detail
}
