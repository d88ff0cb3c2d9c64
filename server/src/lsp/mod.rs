//! The language server: tower-lsp-server glue over the core. Handlers (one per file under
//! `handlers/`) convert from the protocol, call the core, and convert back.

mod capabilities;
pub mod convert;
mod direct;
pub mod documents;
mod handlers;
mod heavy;
mod index;
mod log;
mod ordered;
mod parent;
mod runs;
mod to_proto;
pub mod transport;
mod workspace;

use std::sync::{Arc, OnceLock};

use tower_lsp_server::jsonrpc::{Error, Result};
use tower_lsp_server::ls_types::*;
use tower_lsp_server::{Client, LanguageServer, LspService, Server as LspServer};

pub use capabilities::server_capabilities;
use convert::Encoding;
use documents::Documents;
use errcode_core::locale::Locale;
use errcode_core::project::Project;
use workspace::Workspace;

/// What the client said it supports, fixed at `initialize`.
#[derive(Debug, Default, Clone)]
pub struct ClientCaps {
    pub encoding: Encoding,
    /// Markdown is the client's preferred hover format (the first of its list we can write).
    pub hover_markdown: bool,
    /// Markdown is the client's preferred completion documentation format.
    pub completion_markdown: bool,
    /// The client takes `CodeAction` literals; without this, actions are sent as `Command`s.
    pub code_action_literals: bool,
    /// The client pulls diagnostics (`textDocument/diagnostic`) and can be asked to pull
    /// again; we do not push then.
    pub pull_diagnostics: bool,
    /// The client can be asked to pull diagnostics again (`workspace/diagnostic/refresh`).
    pub diagnostic_refresh: bool,
    /// The client shows `relatedInformation` of diagnostics.
    pub diagnostic_related_information: bool,
    /// The client shows `codeDescription.href` of diagnostics.
    pub diagnostic_code_description: bool,
    pub create_files: bool,
    pub watch_files_dynamically: bool,
    pub pull_configuration: bool,
    pub work_done_progress: bool,
    /// The client can resolve a code action's edit lazily.
    pub resolve_code_action_edit: bool,
    pub inlay_hint_refresh: bool,
    /// The language of the client's UI (`initialize`'s `locale`), for `locale = "auto"`.
    pub locale: Locale,
}

pub use heavy::HeavyWork;

/// State shared by the ordered-sync layer and the handlers.
#[derive(Debug, Default)]
pub struct Shared {
    pub heavy: HeavyWork,
    pub docs: Documents,
    /// Held while diagnostics are published, so that a check "is the document still open at
    /// this version" and the publication are one step: nothing is published for a document
    /// after its `didClose` cleared it.
    pub publish_gate: tokio::sync::Mutex<()>,
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

    /// The language to speak for `project`: its `locale` setting, or the client's language.
    pub fn locale(&self, project: &Project) -> Locale {
        project.settings.locale.resolve(self.caps.get().map(|c| c.locale).unwrap_or_default())
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

/// `ERRCODE_LSP_DELAY=<what>:<milliseconds>` makes the heavy job named `what` (see
/// `handlers::blocking`; `reload` for a reload of the projects) take that much longer: a hook
/// that lets the end-to-end tests cancel a request, edit the document, or ask something while
/// it is being computed.
pub fn injected_delay(what: &str) -> Option<std::time::Duration> {
    static DELAY: OnceLock<Option<(String, u64)>> = OnceLock::new();
    let (name, ms) = DELAY
        .get_or_init(|| {
            let value = std::env::var("ERRCODE_LSP_DELAY").ok()?;
            let (name, ms) = value.rsplit_once(':')?;
            Some((name.to_string(), ms.parse().ok()?))
        })
        .as_ref()?;
    (name == what).then(|| std::time::Duration::from_millis(*ms))
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
        tracing::error!("{what} panicked: {detail}");
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
        handlers::diagnostics::closed(self, params.text_document.uri.clone()).await;
        // The buffer may have been discarded: the index follows the file on disk again.
        if let Some(path) = crate::lsp::convert::local_path(&params.text_document.uri) {
            let deleted = !path.exists();
            handlers::indexing::file_changed(self, path, deleted).await;
        }
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
        handlers::code_action::code_action(self, params).await
    }

    async fn code_action_resolve(&self, action: CodeAction) -> Result<CodeAction> {
        handlers::code_action::resolve(self, action).await
    }

    async fn execute_command(&self, params: ExecuteCommandParams) -> Result<Option<LSPAny>> {
        handlers::code_action::execute_command(self, params).await
    }

    async fn diagnostic(&self, params: DocumentDiagnosticParams) -> Result<DocumentDiagnosticReportResult> {
        handlers::diagnostics::pull(self, params).await
    }

    async fn workspace_diagnostic(&self, params: WorkspaceDiagnosticParams) -> Result<WorkspaceDiagnosticReportResult> {
        handlers::diagnostics::pull_workspace(self, params).await
    }

    async fn document_highlight(&self, params: DocumentHighlightParams) -> Result<Option<Vec<DocumentHighlight>>> {
        handlers::document_highlight::document_highlight(self, params).await
    }

    async fn references(&self, params: ReferenceParams) -> Result<Option<Vec<Location>>> {
        let server = self.clone();
        handlers::blocking(self, "references", move || handlers::references::references(&server, params)).await?
    }

    async fn goto_definition(&self, params: GotoDefinitionParams) -> Result<Option<GotoDefinitionResponse>> {
        handlers::definition::definition(self, params)
    }

    async fn symbol(&self, params: WorkspaceSymbolParams) -> Result<Option<WorkspaceSymbolResponse>> {
        let server = self.clone();
        handlers::blocking(self, "workspace symbols", move || handlers::symbols::symbol_search(&server, params)).await?
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
#[allow(unsafe_code)]
fn limit_malloc_arenas() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: mallopt only sets an allocator tuning parameter; it is called before any thread
    // of ours starts.
    unsafe {
        libc::mallopt(libc::M_ARENA_MAX, 1);
    }
}

/// A larger pipe for our output, when it is one (Linux; at most the system's unprivileged
/// limit, 1 MB by default): a large answer (a fix-all, references) then reaches the client in a
/// few reads instead of one round trip per 64 KB, and an answer queued behind it waits less.
#[allow(unsafe_code)]
fn widen_stdout_pipe() {
    #[cfg(target_os = "linux")]
    // SAFETY: F_SETPIPE_SZ only resizes the kernel buffer of the pipe on descriptor 1; on
    // anything that is not a pipe, or above the limit, it fails with an error we ignore.
    unsafe {
        libc::fcntl(libc::STDOUT_FILENO, libc::F_SETPIPE_SZ, 1 << 20);
    }
}

/// Serves LSP on stdin/stdout until the client exits; returns the process exit code.
pub fn serve_stdio() -> u8 {
    limit_malloc_arenas();
    widen_stdout_pipe();
    log::init();
    let runtime = match tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build() {
        Ok(rt) => rt,
        Err(e) => {
            tracing::error!("cannot start the async runtime: {e}");
            return 2;
        }
    };
    let code = runtime.block_on(async {
        transport::run(tokio::io::stdin(), std::io::stdout(), |input, output, outgoing| {
            let shared = Arc::new(Shared::default());
            let server = OnceLock::new();
            let (service, socket) =
                LspService::build(|client| server.get_or_init(|| Server { client, shared: shared.clone() }).clone())
                    .custom_method("errcode/status", Server::status)
                    .finish();
            let server = server.into_inner().expect("LspService::build creates the server");
            let direct = Arc::new(direct::Direct::new(outgoing));
            let service = ordered::OrderedSync { inner: service, server, direct };
            // Requests that wait (work on the heavy-work threads) must not hold up the others:
            // tower-lsp-server's default is 4 at a time.
            LspServer::new(input, output, socket).concurrency_level(MAX_CONCURRENT_REQUESTS).serve(service)
        })
        .await
    });
    // A blocking read of stdin may still be pending; do not wait for it.
    runtime.shutdown_timeout(std::time::Duration::from_millis(100));
    code
}

/// How many client messages are handled at once.
const MAX_CONCURRENT_REQUESTS: usize = 64;
