//! A tower layer that applies document-sync notifications (and workspace folder removals) in
//! arrival order, synchronously,
//! before they reach the (concurrent) async handlers; and hands the requests with large results
//! to [`super::direct`], in the same order.
//!
//! tower-lsp runs handlers concurrently, so an `.await` in one lets the next message run and a
//! `didChange` could overtake another (ebkalderon/tower-lsp #284, tower-lsp-server #36). Here
//! `call` runs on the single task that reads stdin, in message order, so edits can never be
//! reordered or lost.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

use serde::de::DeserializeOwned;
use tower_lsp_server::jsonrpc::{Request, Response};
use tower_lsp_server::ls_types::CancelParams;
use tower_service::Service;

use super::direct::Direct;
use super::Server;

pub struct OrderedSync<S> {
    pub inner: S,
    pub server: Server,
    pub direct: Arc<Direct>,
}

fn params<T: DeserializeOwned>(req: &Request) -> Option<T> {
    req.params().and_then(|p| T::deserialize(p).ok())
}

impl<S> Service<Request> for OrderedSync<S>
where
    S: Service<Request, Response = Option<Response>>,
    S::Future: Send + 'static,
    S::Error: Send + 'static,
{
    type Response = Option<Response>;
    type Error = S::Error;
    type Future = Pin<Box<dyn Future<Output = Result<Option<Response>, S::Error>> + Send>>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, req: Request) -> Self::Future {
        let shared = &self.server.shared;
        let docs = &shared.docs;
        // Malformed params are left to the inner service, which answers or logs them.
        let applied = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| match req.method() {
            "textDocument/didOpen" => {
                if let Some(p) = params(&req) {
                    docs.open(&p);
                }
            }
            "textDocument/didChange" => {
                if let Some(p) = params(&req) {
                    docs.change(&p, shared.encoding());
                }
            }
            "textDocument/didClose" => {
                if let Some(p) = params(&req) {
                    docs.close(&p);
                }
            }
            // Removed folders leave the index before any later request is answered (the
            // handler then adds folders and re-indexes).
            "workspace/didChangeWorkspaceFolders" => {
                if let Some(p) = params::<tower_lsp_server::ls_types::DidChangeWorkspaceFoldersParams>(&req) {
                    for removed in &p.event.removed {
                        if let Some(path) = crate::lsp::convert::local_path(&removed.uri) {
                            shared.workspace.remove_folder(&path);
                            let kept: Vec<std::path::PathBuf> =
                                shared.workspace.folders().iter().filter_map(|f| f.root.clone()).collect();
                            shared.index.remove_under(&path, &kept);
                        }
                    }
                }
            }
            _ => {}
        }));
        if applied.is_err() {
            tracing::error!("applying {} panicked; the document may be out of sync", req.method());
        }
        if req.method() == "$/cancelRequest" {
            if let Some(p) = params::<CancelParams>(&req) {
                self.direct.cancel(&p.id.into());
            }
        }
        match self.direct.take(&self.server, req) {
            Ok(()) => Box::pin(std::future::ready(Ok(None))),
            Err(req) => Box::pin(self.inner.call(req)),
        }
    }
}
