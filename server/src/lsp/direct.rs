//! Requests answered beside tower-lsp-server: the ones whose results can be large (fix-all
//! edits, references, workspace symbols and diagnostics).
//!
//! tower-lsp-server runs every handler future, turns every result into a `serde_json::Value`
//! and encodes it, all on the one task that reads stdin. A fix-all of 100,000 edits then
//! holds up every other request (a hover waited ~150 ms behind each one) even when the edits
//! are computed on other threads. Here such a request is taken from the message stream in
//! order (so the edits before it are applied, see `ordered`), handled in its own task, and its
//! result is serialized straight to bytes on the heavy-work threads (`heavy`) and queued for
//! the client on the transport's `Output` (where a large one lets smaller messages go first). `$/cancelRequest` for these requests is honoured here ("request cancelled").

use std::collections::HashMap;
use std::future::Future;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::Value;
use tokio::task::AbortHandle;
use tower_lsp_server::jsonrpc::{Error, ErrorCode, Id, Request, Result};

use super::transport::Output;
use super::{handlers, Server};

/// The requests answered here, the running ones and the way out.
#[derive(Debug)]
pub struct Direct {
    out: Output,
    /// Requests under way: an entry is removed by whoever answers (the request's task, or a
    /// cancellation), so each gets exactly one answer. `None` until its task is spawned.
    running: Mutex<HashMap<Id, Option<AbortHandle>>>,
    /// `shutdown` was received: from now on tower-lsp-server answers (with an error).
    shut_down: AtomicBool,
}

impl Direct {
    pub fn new(out: Output) -> Direct {
        Direct { out, running: Mutex::new(HashMap::new()), shut_down: AtomicBool::new(false) }
    }

    fn running(&self) -> std::sync::MutexGuard<'_, HashMap<Id, Option<AbortHandle>>> {
        self.running.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Handles `req` here if it is one of ours and the session is running; gives it back
    /// otherwise (tower-lsp-server then answers it).
    pub fn take(self: &Arc<Self>, server: &Server, req: Request) -> std::result::Result<(), Request> {
        if req.method() == "shutdown" {
            self.shut_down.store(true, Ordering::SeqCst);
            self.cancel_all();
            return Err(req);
        }
        let initialized = server.shared.caps.get().is_some();
        if !initialized || self.shut_down.load(Ordering::SeqCst) || req.id().is_none() {
            return Err(req);
        }
        use handlers::*;
        let s = server.clone();
        match req.method() {
            "textDocument/codeAction" => {
                self.spawn(s, req, |s, p| async move { code_action::code_action(&s, p).await })
            }
            "codeAction/resolve" => self.spawn(s, req, |s, p| async move { code_action::resolve(&s, p).await }),
            "textDocument/references" => self.spawn(s, req, |s, p| async move {
                let server = s.clone();
                blocking(&s, "references", move || references::references(&server, p)).await?
            }),
            "workspace/symbol" => self.spawn(s, req, |s, p| async move {
                let server = s.clone();
                blocking(&s, "workspace symbols", move || symbols::symbol_search(&server, p)).await?
            }),
            "textDocument/documentHighlight" => {
                self.spawn(s, req, |s, p| async move { document_highlight::document_highlight(&s, p).await })
            }
            "textDocument/diagnostic" => self.spawn(s, req, |s, p| async move { diagnostics::pull(&s, p).await }),
            "workspace/diagnostic" => {
                self.spawn(s, req, |s, p| async move { diagnostics::pull_workspace(&s, p).await })
            }
            _ => return Err(req),
        }
        Ok(())
    }

    /// Runs `handler` for `req` in its own task and answers it.
    fn spawn<P, R, F, Fut>(self: &Arc<Self>, server: Server, req: Request, handler: F)
    where
        P: DeserializeOwned + Send + 'static,
        R: Serialize + Send + 'static,
        F: FnOnce(Server, P) -> Fut + Send + 'static,
        Fut: Future<Output = Result<R>> + Send + 'static,
    {
        let (_, id, params) = req.into_parts();
        let Some(id) = id else { return };
        let params = match P::deserialize(params.unwrap_or(Value::Null)) {
            Ok(p) => p,
            Err(e) => return self.send(encode::<()>(&id, Err(Error::invalid_params(e.to_string())))),
        };
        self.running().insert(id.clone(), None);
        let direct = self.clone();
        let task_id = id.clone();
        let heavy = server.shared.clone();
        let task = tokio::spawn(async move {
            // The handler runs in a task of its own so that a panic becomes an error answer.
            let mut inner = AbortOnDrop(tokio::spawn(handler(server, params)));
            let result = match (&mut inner.0).await {
                Ok(result) => result,
                Err(e) => Err(internal(format!("errcode-lsp: request failed: {e}"))),
            };
            // Large results are serialized (and dropped) off the async threads, as heavy work
            // (which leaves a core for the requests that must stay fast).
            let body = heavy
                .heavy
                .run({
                    let id = task_id.clone();
                    move || encode(&id, result)
                })
                .await
                .unwrap_or_else(|_| encode::<()>(&task_id, Err(internal("cannot encode the result".into()))));
            if direct.running().remove(&task_id).is_some() {
                direct.send(body);
            }
        });
        let mut running = self.running();
        match running.get_mut(&id) {
            Some(slot) => *slot = Some(task.abort_handle()),
            // Cancelled (and answered) before it could be recorded.
            None => task.abort(),
        }
    }

    /// `$/cancelRequest` for `id`: if it is ours and still running, stops it and answers
    /// "request cancelled". Returns whether it was ours.
    pub fn cancel(&self, id: &Id) -> bool {
        let Some(task) = self.running().remove(id) else { return false };
        if let Some(task) = task {
            task.abort();
        }
        self.send(encode::<()>(id, Err(Error::request_cancelled())));
        true
    }

    /// Cancels every request under way (at `shutdown`).
    fn cancel_all(&self) {
        let ids: Vec<Id> = self.running().keys().cloned().collect();
        for id in ids {
            self.cancel(&id);
        }
    }

    fn send(&self, body: Vec<u8>) {
        self.out.answer(body);
    }
}

/// Aborts a task when dropped (when the request that awaits it is cancelled).
struct AbortOnDrop<T>(tokio::task::JoinHandle<T>);

impl<T> Drop for AbortOnDrop<T> {
    fn drop(&mut self) {
        self.0.abort();
    }
}

fn internal(message: String) -> Error {
    Error { code: ErrorCode::InternalError, message: message.into(), data: None }
}

#[derive(Serialize)]
struct Answer<'a, R> {
    jsonrpc: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    result: Option<&'a R>,
    #[serde(skip_serializing_if = "Option::is_none")]
    error: Option<&'a Error>,
    id: &'a Id,
}

/// The JSON-RPC response to request `id`, as bytes.
fn encode<R: Serialize>(id: &Id, result: Result<R>) -> Vec<u8> {
    let answer = match &result {
        Ok(r) => Answer { jsonrpc: "2.0", result: Some(r), error: None, id },
        Err(e) => Answer { jsonrpc: "2.0", result: None, error: Some(e), id },
    };
    match serde_json::to_vec(&answer) {
        // `"result": null` must be written for an empty result: `Option<&R>` skips only when
        // there is an error.
        Ok(body) => body,
        Err(e) => {
            let error = internal(format!("errcode-lsp: cannot encode the result: {e}"));
            serde_json::to_vec(&Answer::<()> { jsonrpc: "2.0", result: None, error: Some(&error), id })
                .unwrap_or_default()
        }
    }
}
