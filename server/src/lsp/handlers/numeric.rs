//! Numeric codes under the cursor (`errCode === -501005`, `"errCode": -1`): the number and the
//! codes it stands for, for hover, definition and references. Where a number counts as a code
//! is decided in the core (`errcode_core::analysis::numeric`).

use tower_lsp_server::ls_types::*;

use super::At;
use crate::lsp::Server;
use errcode_core::analysis::completion::LOOK_BEHIND;
use errcode_core::docs;

/// A numeric code at a position.
pub struct NumberAt {
    pub at: At,
    /// Byte range of the number in `at.window.text`.
    pub start: usize,
    pub end: usize,
    /// The codes with that number.
    pub codes: Vec<String>,
}

/// The numeric code at `pos` of open document `uri`, if the number there is one.
pub fn number_at(server: &Server, uri: &Uri, pos: Position) -> Option<NumberAt> {
    // The place is read backwards from the number (a key, an operator, a `switch`).
    let at = super::at_with_context(server, uri, pos, LOOK_BEHIND)?;
    let analyzer = &at.project.analyzer;
    let (n, codes) = analyzer.number_at(at.lang, &at.window.text, &at.window.spans, at.offset)?;
    let codes = codes.to_vec();
    Some(NumberAt { start: n.start, end: n.end, codes, at })
}

/// The hover of a numeric code: the documentation of each code with that number.
pub fn hover(server: &Server, uri: &Uri, pos: Position) -> Option<Hover> {
    let found = number_at(server, uri, pos)?;
    let caps = server.shared.caps();
    let set = found.at.project.analyzer.catalogs();
    let (kind, separator) =
        if caps.hover_markdown { (MarkupKind::Markdown, "\n\n---\n\n") } else { (MarkupKind::PlainText, "\n\n") };
    let parts: Vec<String> = found
        .codes
        .iter()
        .filter_map(|code| {
            let locale = server.shared.locale(&found.at.project);
            if caps.hover_markdown {
                docs::markdown(set, code, locale)
            } else {
                docs::plain(set, code, locale)
            }
        })
        .collect();
    if parts.is_empty() {
        return None;
    }
    Some(Hover {
        contents: HoverContents::Markup(MarkupContent { kind, value: parts.join(separator) }),
        range: Some(found.at.range(found.start, found.end, caps.encoding)),
    })
}

/// The definitions of the codes of the number at `pos` (each code's, as for its name).
pub fn definition(server: &Server, uri: &Uri, pos: Position) -> Option<GotoDefinitionResponse> {
    let found = number_at(server, uri, pos)?;
    let mut locations: Vec<Location> = found
        .codes
        .iter()
        .filter_map(|code| {
            super::definition::location(&found.at.project, code, server.shared.locale(&found.at.project))
        })
        .collect();
    match locations.len() {
        0 => None,
        1 => locations.pop().map(GotoDefinitionResponse::Scalar),
        _ => Some(GotoDefinitionResponse::Array(locations)),
    }
}

/// The codes of the number at `pos`, for references: every use of any of them.
pub fn codes_at(server: &Server, uri: &Uri, pos: Position) -> Option<(At, Vec<String>)> {
    number_at(server, uri, pos).map(|found| (found.at, found.codes))
}
