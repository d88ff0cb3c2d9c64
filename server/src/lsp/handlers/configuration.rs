//! Configuration: editor settings (`initializationOptions`, `workspace/didChangeConfiguration`),
//! watched config/catalog/manifest files, and workspace folder changes. Every change reloads the
//! affected projects and re-analyses open documents at once; a broken file is reported with
//! `window/showMessage` and the last good configuration stays in force.

use std::path::Path;

use serde_json::Value;
use tower_lsp_server::ls_types::*;

use super::{diagnostics, indexing, report_errors, status};
use crate::lsp::Server;
use errcode_core::activation;
use errcode_core::config::{EditorSettings, CONFIG_FILE_NAMES};

/// The keys of [`EditorSettings`], to recognise a bare settings object.
const SETTING_KEYS: &[&str] = &[
    "activation",
    "catalogs",
    "enable",
    "disable",
    "allow",
    "severity",
    "maxFileSize",
    "inlayHints",
    "trusted",
    "exclude",
    "extendExclude",
    "unsafeFixes",
    "locale",
];

/// Editor settings from JSON: `{ "errcode": {...} }` or the settings object itself. `None` when
/// the value says nothing about errcode (`null`, `{}`, or only other servers' sections), so
/// that such a notification never wipes settings given at initialization.
pub fn parse_settings(value: &Value) -> Result<Option<EditorSettings>, String> {
    let inner = match value.get("errcode") {
        Some(inner) => inner,
        None if value.as_object().is_some_and(|o| o.keys().any(|k| SETTING_KEYS.contains(&k.as_str()))) => value,
        None => return Ok(None),
    };
    if inner.is_null() {
        return Ok(None);
    }
    serde_json::from_value(inner.clone()).map(Some).map_err(|e| e.to_string())
}

/// Reloads the projects, then re-analyses open documents and refreshes status and the index.
pub async fn reload(server: &Server) {
    let hints_before = inlay_hints_on(server);
    let errors = server.shared.workspace.reload();
    report_errors(server, errors).await;
    diagnostics::refresh_all(server).await;
    status::notify_all(server).await;
    indexing::reindex_all(server).await;
    // Hints shown (or just switched off) may have changed with the catalogs.
    if server.shared.caps().inlay_hint_refresh && (hints_before || inlay_hints_on(server)) {
        let _ = server.client.inlay_hint_refresh().await;
    }
}

/// Whether any project shows inlay hints.
fn inlay_hints_on(server: &Server) -> bool {
    server.shared.workspace.projects().iter().any(|p| p.settings.inlay_hints)
}

pub async fn did_change_configuration(server: &Server, params: DidChangeConfigurationParams) {
    let mut settings = match parse_settings(&params.settings) {
        Ok(s) => s,
        Err(e) => {
            server.client.show_message(MessageType::ERROR, format!("errcode: bad settings: {e}")).await;
            return;
        }
    };
    // Clients that send no errcode settings expect us to pull them, if they can be pulled.
    if settings.is_none() && server.shared.caps().pull_configuration {
        let item = ConfigurationItem { scope_uri: None, section: Some("errcode".to_string()) };
        if let Ok(values) = server.client.configuration(vec![item]).await {
            if let Some(v) = values.first().filter(|v| !v.is_null()) {
                // A pulled section is the settings object itself.
                settings = serde_json::from_value(v.clone()).ok();
            }
        }
    }
    if let Some(settings) = settings {
        server.shared.workspace.set_settings(settings);
        reload(server).await;
    }
}

/// Whether a change to `path` can change a project's configuration or activation.
fn is_relevant(server: &Server, path: &Path) -> bool {
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or_default();
    if CONFIG_FILE_NAMES.contains(&name) || activation::is_manifest(name) || name == ".gitattributes" {
        return true;
    }
    // A catalog file in use by some project.
    server.shared.workspace.projects().iter().any(|p| {
        p.settings.catalog_files.iter().any(|(dir, rel)| {
            let candidate = dir.join(rel);
            candidate == path || candidate.canonicalize().is_ok_and(|c| c == path)
        })
    })
}

pub async fn did_change_watched_files(server: &Server, params: DidChangeWatchedFilesParams) {
    let mut reloaded = false;
    for change in params.changes {
        let Some(path) = crate::lsp::convert::local_path(&change.uri) else { continue };
        if reloaded {
            continue;
        }
        if is_relevant(server, &path) {
            // A reload re-indexes everything.
            reload(server).await;
            reloaded = true;
        } else {
            indexing::file_changed(server, path, change.typ == FileChangeType::DELETED).await;
        }
    }
}

/// Clients without file watching still tell us when a config file they edit is saved.
pub async fn did_save(server: &Server, params: DidSaveTextDocumentParams) {
    if server.shared.caps().watch_files_dynamically {
        return;
    }
    if let Some(path) = crate::lsp::convert::local_path(&params.text_document.uri) {
        if is_relevant(server, &path) {
            reload(server).await;
        }
    }
}

pub async fn did_change_workspace_folders(server: &Server, params: DidChangeWorkspaceFoldersParams) {
    let workspace = &server.shared.workspace;
    // Removed folders already left the workspace and the index, in message order (see
    // `lsp::ordered`).
    let mut errors = Vec::new();
    for added in params.event.added {
        if let Some(p) = crate::lsp::convert::local_path(&added.uri) {
            errors.extend(workspace.add_folder(p));
        }
    }
    report_errors(server, errors).await;
    diagnostics::refresh_all(server).await;
    status::notify_all(server).await;
    indexing::reindex_all(server).await;
}
