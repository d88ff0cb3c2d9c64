//! `workspace/symbol`: catalog codes and their uses across the workspace, fuzzy-matched.

use std::collections::BTreeMap;
use std::sync::Arc;

use tower_lsp_server::jsonrpc::Result;
use tower_lsp_server::ls_types::*;

use super::{definition, references::range_of};
use crate::lsp::{guard, Server};
use errcode_core::project::Project;

/// At most this many symbols are returned (clients ask again as the query grows).
const LIMIT: usize = 500;

/// `query`'s characters occur in `code` in order, ignoring case; a lower score is better.
fn fuzzy_score(code: &str, query: &str) -> Option<usize> {
    let code_up = code.to_ascii_uppercase();
    let mut pos = 0;
    let mut gaps = 0;
    for q in query.chars().filter(|c| !c.is_whitespace()).map(|c| c.to_ascii_uppercase()) {
        let found = code_up[pos..].find(q)?;
        gaps += found;
        pos += found + q.len_utf8();
    }
    Some(gaps + usize::from(!code_up.starts_with(&query.to_ascii_uppercase())))
}

#[allow(deprecated)]
fn symbol(name: String, container: Option<String>, location: Location) -> SymbolInformation {
    SymbolInformation {
        name,
        kind: SymbolKind::CONSTANT,
        tags: None,
        deprecated: None,
        location,
        container_name: container,
    }
}

pub fn symbol_search(server: &Server, params: WorkspaceSymbolParams) -> Result<Option<WorkspaceSymbolResponse>> {
    let enc = server.shared.encoding();
    let projects = server.shared.workspace.projects();
    guard("workspace symbols", || {
        // Every code of every project's active catalogs, with the project that defines it.
        let mut codes: BTreeMap<(usize, String), Arc<Project>> = BTreeMap::new();
        for project in &projects {
            for code in project.analyzer.catalogs().codes() {
                if !code.starts_with(|c: char| c.is_ascii_alphabetic()) {
                    continue;
                }
                if let Some(score) = fuzzy_score(code, &params.query) {
                    codes.entry((score, code.clone())).or_insert_with(|| project.clone());
                }
            }
        }
        let mut out = Vec::new();
        for ((_, code), project) in codes {
            if out.len() >= LIMIT {
                break;
            }
            let set = project.analyzer.catalogs();
            let container = set.primary(&code).map(|(c, e)| format!("{} · {}", c.name(), e.category));
            if let Some(location) = definition::location(&project, &code, server.shared.locale(&project)) {
                out.push(symbol(code.clone(), container, location));
            }
            for (path, r) in server.shared.index.references(&code) {
                let Some(uri) = Uri::from_file_path(&path) else { continue };
                let shown = path.strip_prefix(&project.root).unwrap_or(&path).display().to_string();
                out.push(symbol(
                    code.clone(),
                    Some(format!("used in {shown}")),
                    Location { uri, range: range_of(&r, enc) },
                ));
            }
        }
        out.truncate(LIMIT);
        Some(WorkspaceSymbolResponse::Flat(out))
    })
}
