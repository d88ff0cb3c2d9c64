//! Diagnostics: analyse a document in the background (debounced after edits) and publish the
//! findings for exactly the version they were computed from.

use std::sync::Arc;
use std::time::Duration;

use tower_lsp_server::ls_types::*;

use super::configuration::report_errors;
use crate::error::FileError;
use crate::index;
use crate::lsp::documents::{Job, Snapshot};
use crate::lsp::{guard, to_proto, Server};
use crate::scan;

/// How long edits are collected before analysing (the bound is 50 ms).
pub const DEBOUNCE: Duration = Duration::from_millis(20);

/// Analyses `uri` (after the debounce when `debounce`) and publishes its diagnostics, unless a
/// newer edit arrives first (that edit's own run publishes instead). Runs in its own task so
/// the notification handler returns at once and never holds up the message loop.
pub async fn schedule(server: &Server, uri: Uri, debounce: bool) {
    let Some(version) = server.shared.docs.lock().get(&uri).map(|d| d.version) else { return };
    let server = server.clone();
    tokio::spawn(async move {
        if debounce {
            tokio::time::sleep(DEBOUNCE).await;
        }
        publish(&server, uri, Some(version)).await;
    });
}

/// Re-analyses every open document now (after a configuration change).
pub async fn refresh_all(server: &Server) {
    for uri in server.shared.docs.uris() {
        publish(server, uri, None).await;
    }
}

/// Builds the analysis job for `uri` if it is still at `expected` (any version when `None`),
/// with the error of a newly loaded project and whether the "too large" notice is due now.
fn job(server: &Server, uri: &Uri, expected: Option<i32>) -> Option<(Job, Option<FileError>, bool)> {
    let mut docs = server.shared.docs.lock();
    let doc = docs.get_mut(uri)?;
    if expected.is_some_and(|v| v != doc.version) {
        return None;
    }
    let (project, error) = server.shared.workspace.project_for(doc.path.as_deref());
    let too_large = doc.rope.len_bytes() as u64 > project.settings.max_file_size;
    let notice = too_large && !doc.size_notice_shown;
    doc.size_notice_shown |= too_large;
    let job = Job {
        uri: uri.clone(),
        rope: doc.rope.clone(),
        version: doc.version,
        lang: doc.lang,
        project,
        generation: server.shared.workspace.generation(),
    };
    Some((job, error, notice))
}

async fn publish(server: &Server, uri: Uri, expected: Option<i32>) {
    let Some((job, error, notice)) = job(server, &uri, expected) else { return };
    report_errors(server, error.into_iter().collect()).await;
    let size = job.rope.len_bytes() as u64;
    let max = job.project.settings.max_file_size;
    if size > max {
        if notice {
            let name = job.uri.path().as_str().rsplit('/').next().unwrap_or_default().to_string();
            server
                .client
                .show_message(
                    MessageType::WARNING,
                    format!(
                        "errcode: not checking {name}: it is {:.1} MB, above the {:.1} MB limit \
                         (raise `max_file_size` in errcode.toml or the errcode.maxFileSize setting)",
                        size as f64 / 1e6,
                        max as f64 / 1e6
                    ),
                )
                .await;
        }
        server.client.publish_diagnostics(uri, Vec::new(), Some(job.version)).await;
        return;
    }
    let enc = server.shared.encoding();
    let computed = tokio::task::spawn_blocking(move || {
        guard("analysis", || {
            let text = job.rope.to_string();
            let spans = scan::scan(job.lang, &text);
            let findings = job.project.analyzer.analyze_spans(&text, &spans);
            let refs = index::refs_in(&job.project.analyzer, &text, &spans);
            let diagnostics: Vec<Diagnostic> =
                findings.iter().map(|f| to_proto::diagnostic(&job.rope, enc, f)).collect();
            let snapshot = Snapshot { version: job.version, generation: job.generation, spans, findings, refs };
            (job, Arc::new(snapshot), diagnostics)
        })
    })
    .await;
    let Ok(Ok((job, snapshot, diagnostics))) = computed else {
        server.client.log_message(MessageType::ERROR, "errcode: analysis failed (see the server log)").await;
        return;
    };
    let current = {
        let mut docs = server.shared.docs.lock();
        match docs.get_mut(&uri) {
            Some(doc) => {
                // Open documents are indexed from their current text, not from disk.
                if let Some(path) = &doc.path {
                    server.shared.index.update(path, snapshot.refs.clone());
                }
                doc.install(snapshot);
                doc.version == job.version && server.shared.workspace.generation() == job.generation
            }
            None => false,
        }
    };
    if current {
        server.client.publish_diagnostics(uri, diagnostics, Some(job.version)).await;
    }
}
