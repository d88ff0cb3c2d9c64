//! Configuration: editor settings (`initializationOptions`, `workspace/didChangeConfiguration`),
//! watched config/catalog/manifest files, and workspace folder changes. Every change reloads the
//! projects and then re-analyses open documents; a broken file is reported with
//! `window/showMessage` and the last good configuration stays in force.
//!
//! Reloads run in the background, on a blocking thread, never in the handler that asked: a
//! team catalog of 200,000 codes takes seconds to load, and twenty file events, each reloading
//! in turn, once held a hover up for over a minute. Requests are answered from the last good
//! projects meanwhile; at most one reload runs at a time, and a burst of changes during one
//! costs one more reload after it.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use serde_json::Value;
use tower_lsp_server::ls_types::*;

use super::{diagnostics, indexing, report_errors, status};
use crate::lsp::{guard, Server};
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

/// Reloads the projects in the background, then re-analyses open documents and refreshes
/// status and the index. Returns at once; while a reload runs, a request makes it run once more.
pub async fn reload(server: &Server) {
    if !server.shared.workspace.reloads.request() {
        return;
    }
    let server = server.clone();
    tokio::spawn(async move {
        static PASSES: AtomicU64 = AtomicU64::new(0);
        let hints_before = inlay_hints_on(&server);
        let reloads = &server.shared.workspace.reloads;
        loop {
            reloads.start_pass();
            let started = std::time::Instant::now();
            let shared = server.shared.clone();
            let delay = crate::lsp::injected_delay("reload");
            let reloaded = tokio::task::spawn_blocking(move || {
                if let Some(delay) = delay {
                    std::thread::sleep(delay);
                }
                guard("reload", || shared.workspace.reload())
            })
            .await;
            let pass = PASSES.fetch_add(1, Ordering::Relaxed) + 1;
            match reloaded {
                Ok(Ok(errors)) => {
                    let ms = started.elapsed().as_millis() as u64;
                    tracing::info!(pass, ms, errors = errors.len(), "reloaded the projects");
                    report_errors(&server, errors).await;
                }
                // The projects in use stay (the panic is logged by `guard`).
                _ => tracing::error!(pass, "reloading the projects failed"),
            }
            // Changes arrived meanwhile: reload again before anything is refreshed.
            if !reloads.finish_pass() {
                break;
            }
        }
        diagnostics::refresh_all(&server).await;
        status::notify_all(&server).await;
        indexing::reindex_all(&server).await;
        // Hints shown (or just switched off) may have changed with the catalogs.
        if server.shared.caps().inlay_hint_refresh && (hints_before || inlay_hints_on(&server)) {
            let _ = server.client.inlay_hint_refresh().await;
        }
    });
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
    // Removed folders already left the workspace and the index, in message order (see
    // `lsp::ordered`). Added ones load on a blocking thread, like reloads.
    let added: Vec<PathBuf> =
        params.event.added.iter().filter_map(|f| crate::lsp::convert::local_path(&f.uri)).collect();
    let shared = server.shared.clone();
    let errors =
        tokio::task::spawn_blocking(move || added.into_iter().flat_map(|p| shared.workspace.add_folder(p)).collect())
            .await
            .unwrap_or_else(|e| {
                tracing::error!("adding workspace folders failed: {e}");
                Vec::new()
            });
    report_errors(server, errors).await;
    diagnostics::refresh_all(server).await;
    status::notify_all(server).await;
    indexing::reindex_all(server).await;
}
