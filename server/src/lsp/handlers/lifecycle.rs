//! `initialize` and `initialized`: negotiate capabilities, load the workspace folders, register
//! file watchers.

use std::path::PathBuf;

use tower_lsp_server::jsonrpc::Result;
use tower_lsp_server::ls_types::*;

use super::configuration::parse_settings;
use super::report_errors;
use super::status;
use crate::lsp::convert::Encoding;
use crate::lsp::{server_capabilities, ClientCaps, Server};
use errcode_core::locale::Locale;

/// Whether Markdown is preferred in a client's ordered list of formats: the first format of
/// the list that we can write (Markdown or plain text) decides; no list means plain text.
fn prefers_markdown(formats: Option<&Vec<MarkupKind>>) -> bool {
    formats
        .into_iter()
        .flatten()
        .find(|f| matches!(f, MarkupKind::Markdown | MarkupKind::PlainText))
        .is_some_and(|f| *f == MarkupKind::Markdown)
}

fn client_caps(params: &InitializeParams) -> ClientCaps {
    let caps = &params.capabilities;
    let utf8 = caps
        .general
        .as_ref()
        .and_then(|g| g.position_encodings.as_ref())
        .is_some_and(|encs| encs.contains(&PositionEncodingKind::UTF8));
    let text = caps.text_document.as_ref();
    let workspace = caps.workspace.as_ref();
    let edit = workspace.and_then(|w| w.workspace_edit.as_ref());
    let pull = text.and_then(|t| t.diagnostic.as_ref());
    let push = text.and_then(|t| t.publish_diagnostics.as_ref());
    let refresh = workspace.and_then(|w| w.diagnostics.as_ref()).and_then(|d| d.refresh_support).unwrap_or(false);
    ClientCaps {
        // A language errcode-lsp does not speak is English.
        locale: params.locale.as_deref().and_then(Locale::from_tag).unwrap_or_default(),
        encoding: if utf8 { Encoding::Utf8 } else { Encoding::Utf16 },
        hover_markdown: prefers_markdown(text.and_then(|t| t.hover.as_ref()).and_then(|h| h.content_format.as_ref())),
        completion_markdown: prefers_markdown(
            text.and_then(|t| t.completion.as_ref())
                .and_then(|c| c.completion_item.as_ref())
                .and_then(|i| i.documentation_format.as_ref()),
        ),
        code_action_literals: text
            .and_then(|t| t.code_action.as_ref())
            .is_some_and(|c| c.code_action_literal_support.is_some()),
        // Pulling only where we can ask the client to pull again: otherwise a configuration
        // change (an `allow` added, a catalog edited) would leave stale diagnostics on screen
        // until the user types (Neovim 0.11 pulls but takes no refresh).
        pull_diagnostics: pull.is_some() && refresh,
        diagnostic_refresh: refresh,
        diagnostic_related_information: match pull {
            Some(p) => p.related_information,
            None => push.and_then(|p| p.related_information),
        }
        .unwrap_or(false),
        diagnostic_code_description: match pull {
            Some(p) => p.code_description_support,
            None => push.and_then(|p| p.code_description_support),
        }
        .unwrap_or(false),
        // A client that can create files takes `documentChanges` (Neovim supports them
        // without saying so).
        create_files: edit
            .and_then(|e| e.resource_operations.as_ref())
            .is_some_and(|ops| ops.contains(&ResourceOperationKind::Create)),
        watch_files_dynamically: workspace
            .and_then(|w| w.did_change_watched_files.as_ref())
            .and_then(|d| d.dynamic_registration)
            .unwrap_or(false),
        pull_configuration: workspace.and_then(|w| w.configuration).unwrap_or(false),
        resolve_code_action_edit: text
            .and_then(|t| t.code_action.as_ref())
            .and_then(|c| c.resolve_support.as_ref())
            .is_some_and(|r| r.properties.iter().any(|p| p == "edit")),
        work_done_progress: caps.window.as_ref().and_then(|w| w.work_done_progress).unwrap_or(false),
        inlay_hint_refresh: workspace
            .and_then(|w| w.inlay_hint.as_ref())
            .and_then(|i| i.refresh_support)
            .unwrap_or(false),
    }
}

/// The folders to serve: workspace folders, else the root URI, else nothing (files get
/// ad-hoc projects).
#[allow(deprecated)]
fn folders(params: &InitializeParams) -> Vec<PathBuf> {
    let mut roots: Vec<PathBuf> =
        params.workspace_folders.iter().flatten().filter_map(|f| crate::lsp::convert::local_path(&f.uri)).collect();
    if roots.is_empty() {
        if let Some(p) = params.root_uri.as_ref().and_then(crate::lsp::convert::local_path) {
            roots.push(p);
        }
    }
    roots
}

pub async fn initialize(server: &Server, params: InitializeParams) -> Result<InitializeResult> {
    crate::lsp::log::set_trace(params.trace);
    tracing::info!(
        client = params.client_info.as_ref().map(|c| format!("{} {}", c.name, c.version.as_deref().unwrap_or(""))),
        folders = params.workspace_folders.as_ref().map_or(0, Vec::len),
        "initialize"
    );
    if let Some(pid) = params.process_id {
        crate::lsp::parent::watch(pid);
    }
    let caps = client_caps(&params);
    let capabilities = server_capabilities(&caps);
    let _ = server.shared.caps.set(caps);
    let workspace = &server.shared.workspace;
    if let Some(options) = params.initialization_options.as_ref() {
        match parse_settings(options) {
            Ok(settings) => workspace.set_settings(settings.unwrap_or_default()),
            Err(e) => {
                server.client.show_message(MessageType::ERROR, format!("errcode: bad initializationOptions: {e}")).await
            }
        }
    }
    // The folders' projects load on a blocking thread (large team catalogs take seconds).
    let (shared, roots) = (server.shared.clone(), folders(&params));
    let errors = tokio::task::spawn_blocking(move || shared.workspace.set_folders(roots)).await.unwrap_or_else(|e| {
        tracing::error!("loading the workspace folders failed: {e}");
        Vec::new()
    });
    report_errors(server, errors).await;
    Ok(InitializeResult {
        capabilities,
        server_info: Some(ServerInfo {
            name: "errcode-lsp".to_string(),
            version: Some(env!("CARGO_PKG_VERSION").to_string()),
        }),
        offset_encoding: None,
    })
}

/// Globs of files whose change means a project must be reloaded: configs, catalogs and the
/// manifests activation looks at. The sources the workspace index reads (and the config and
/// catalog formats, which are languages too) come from the language table: [`watched`].
const WATCHED: &[&str] = &[
    "**/{errcode.toml,.errcode.toml}",
    "**/{cloudbaserc.js,cloudbaserc.ts,go.mod,pom.xml,build.gradle,build.gradle.kts,Pipfile,setup.py}",
    "**/requirements*.txt",
];

/// Every glob to watch: [`WATCHED`], then every extension and file name of the language table
/// (`**/*.{js,...}`, `**/{.bashrc,...}`, `**/.env.*`).
fn watched() -> Vec<String> {
    WATCHED.iter().map(|g| g.to_string()).chain(errcode_core::scan::watch_globs()).collect()
}

pub async fn initialized(server: &Server) {
    if server.shared.caps().watch_files_dynamically {
        let watchers = watched()
            .into_iter()
            .map(|g| FileSystemWatcher { glob_pattern: GlobPattern::String(g), kind: None })
            .collect();
        let registration = Registration {
            id: "errcode-watch".to_string(),
            method: "workspace/didChangeWatchedFiles".to_string(),
            register_options: serde_json::to_value(DidChangeWatchedFilesRegistrationOptions { watchers }).ok(),
        };
        if let Err(e) = server.client.register_capability(vec![registration]).await {
            server.client.log_message(MessageType::WARNING, format!("errcode: cannot watch files: {e}")).await;
        }
    }
    status::notify_all(server).await;
    super::indexing::reindex_all(server).await;
}
