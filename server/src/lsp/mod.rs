//! The language server: tower-lsp-server glue over the core. Handlers (one per file under
//! `handlers/`) convert from the protocol, call the core, and convert back.

mod capabilities;
pub mod convert;
pub mod documents;
mod handlers;
mod index;
mod ordered;
mod to_proto;
mod transport;
mod workspace;

use std::sync::{Arc, OnceLock};

use tower_lsp_server::jsonrpc::{Error, Result};
use tower_lsp_server::ls_types::*;
use tower_lsp_server::{Client, LanguageServer, LspService, Server as LspServer};

pub use capabilities::server_capabilities;
use convert::Encoding;
use documents::Documents;
use workspace::Workspace;

/// What the client said it supports, fixed at `initialize`.
#[derive(Debug, Default, Clone)]
pub struct ClientCaps {
    pub encoding: Encoding,
    pub hover_markdown: bool,
    pub completion_markdown: bool,
    pub create_files: bool,
    pub watch_files_dynamically: bool,
    pub pull_configuration: bool,
    pub work_done_progress: bool,
    /// The client can resolve a code action's edit lazily.
    pub resolve_code_action_edit: bool,
    pub inlay_hint_refresh: bool,
}

/// State shared by the ordered-sync layer and the handlers.
#[derive(Debug, Default)]
pub struct Shared {
    pub docs: Documents,
    pub index: index::WorkspaceIndex,
    pub workspace: Workspace,
    pub caps: OnceLock<ClientCaps>,
}

impl Shared {
    pub fn encoding(&self) -> Encoding {
        self.caps.get().map(|c| c.encoding).unwrap_or_default()
    }

    pub fn caps(&self) -> ClientCaps {
        self.caps.get().cloned().unwrap_or_default()
    }
}

/// The `LanguageServer` implementation.
#[derive(Debug, Clone)]
pub struct Server {
    pub client: Client,
    pub shared: Arc<Shared>,
}

/// The handler named by `ERRCODE_LSP_FAULT` panics on purpose: a fault-injection hook that
/// lets the end-to-end tests prove a panic becomes an error response.
fn injected_fault(what: &str) -> bool {
    static FAULT: OnceLock<Option<String>> = OnceLock::new();
    FAULT.get_or_init(|| std::env::var("ERRCODE_LSP_FAULT").ok()).as_deref() == Some(what)
}

/// Runs `f`, turning a panic into an internal-error response instead of a dead server.
pub fn guard<T>(what: &str, f: impl FnOnce() -> T) -> Result<T> {
    let run = || {
        if injected_fault(what) {
            panic!("fault injected into {what}");
        }
        f()
    };
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(run)).map_err(|panic| {
        let detail = panic
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| panic.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "unknown panic".to_string());
        eprintln!("errcode-lsp: {what} panicked: {detail}");
        let mut error = Error::internal_error();
        error.message = format!("errcode-lsp: {what} failed: {detail}").into();
        error
    })
}

impl LanguageServer for Server {
    async fn initialize(&self, params: InitializeParams) -> Result<InitializeResult> {
        handlers::lifecycle::initialize(self, params).await
    }

    async fn initialized(&self, _: InitializedParams) {
        handlers::lifecycle::initialized(self).await
    }

    async fn shutdown(&self) -> Result<()> {
        Ok(())
    }

    async fn did_open(&self, params: DidOpenTextDocumentParams) {
        handlers::diagnostics::schedule(self, params.text_document.uri, false).await
    }

    async fn did_change(&self, params: DidChangeTextDocumentParams) {
        handlers::diagnostics::schedule(self, params.text_document.uri, true).await
    }

    async fn did_close(&self, params: DidCloseTextDocumentParams) {
        // The buffer may have been discarded: the index follows the file on disk again.
        if let Some(path) = params.text_document.uri.to_file_path().map(|p| p.into_owned()) {
            let deleted = !path.exists();
            handlers::indexing::file_changed(self, path, deleted).await;
        }
        self.client.publish_diagnostics(params.text_document.uri, Vec::new(), None).await
    }

    async fn did_save(&self, params: DidSaveTextDocumentParams) {
        handlers::configuration::did_save(self, params).await
    }

    async fn did_change_configuration(&self, params: DidChangeConfigurationParams) {
        handlers::configuration::did_change_configuration(self, params).await
    }

    async fn did_change_watched_files(&self, params: DidChangeWatchedFilesParams) {
        handlers::configuration::did_change_watched_files(self, params).await
    }

    async fn did_change_workspace_folders(&self, params: DidChangeWorkspaceFoldersParams) {
        handlers::configuration::did_change_workspace_folders(self, params).await
    }

    async fn hover(&self, params: HoverParams) -> Result<Option<Hover>> {
        handlers::hover::hover(self, params)
    }

    async fn completion(&self, params: CompletionParams) -> Result<Option<CompletionResponse>> {
        handlers::completion::completion(self, params)
    }

    async fn completion_resolve(&self, item: CompletionItem) -> Result<CompletionItem> {
        handlers::completion::resolve(self, item)
    }

    async fn code_action(&self, params: CodeActionParams) -> Result<Option<CodeActionResponse>> {
        handlers::code_action::code_action(self, params)
    }

    async fn code_action_resolve(&self, action: CodeAction) -> Result<CodeAction> {
        handlers::code_action::resolve(self, action)
    }

    async fn references(&self, params: ReferenceParams) -> Result<Option<Vec<Location>>> {
        handlers::references::references(self, params)
    }

    async fn goto_definition(&self, params: GotoDefinitionParams) -> Result<Option<GotoDefinitionResponse>> {
        handlers::definition::definition(self, params)
    }

    async fn symbol(&self, params: WorkspaceSymbolParams) -> Result<Option<WorkspaceSymbolResponse>> {
        handlers::symbols::symbol_search(self, params)
    }

    async fn inlay_hint(&self, params: InlayHintParams) -> Result<Option<Vec<InlayHint>>> {
        handlers::inlay_hint::inlay_hint(self, params)
    }

    async fn document_link(&self, params: DocumentLinkParams) -> Result<Option<Vec<DocumentLink>>> {
        handlers::document_link::document_link(self, params)
    }
}

impl Server {
    /// `errcode/status`: which catalogs are active for a document's project, and why.
    async fn status(&self, params: handlers::status::StatusParams) -> Result<handlers::status::Status> {
        handlers::status::status(self, params)
    }
}

/// One malloc arena for the whole server: with glibc's default of one arena per thread, memory
/// freed by the analysis threads stays reserved in their arenas (measured: 139 MB resident after
/// 50 edits of a 7 MB file, against 56 MB with one arena, and no slower).
fn limit_malloc_arenas() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: mallopt only sets an allocator tuning parameter; it is called before any thread
    // of ours starts.
    unsafe {
        libc::mallopt(libc::M_ARENA_MAX, 1);
    }
}

/// Serves LSP on stdin/stdout until the client exits; returns the process exit code.
pub fn serve_stdio() -> u8 {
    limit_malloc_arenas();
    let runtime = match tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build() {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("errcode-lsp: cannot start the async runtime: {e}");
            return 2;
        }
    };
    runtime.block_on(async {
        let shared = Arc::new(Shared::default());
        let (service, socket) = LspService::build(|client| Server { client, shared: shared.clone() })
            .custom_method("errcode/status", Server::status)
            .finish();
        let service = ordered::OrderedSync { inner: service, shared };
        transport::run(tokio::io::stdin(), tokio::io::stdout(), |input, output| {
            LspServer::new(input, output, socket).serve(service)
        })
        .await;
    });
    // A blocking read of stdin may still be pending; do not wait for it.
    runtime.shutdown_timeout(std::time::Duration::from_millis(100));
    0
}
