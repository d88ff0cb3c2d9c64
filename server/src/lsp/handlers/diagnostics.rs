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
pub const DEBOUNCE: Duration = Duration::from_millis(10);

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

/// What to do about an analysis request.
enum Next {
    /// Analyse this job.
    Run(Job, Option<FileError>, bool),
    /// Nothing: the document is gone, newer, or already being analysed (that run will go again).
    Skip,
}

/// Builds the analysis job for `uri` if it is still at `expected` (any version when `None`)
/// and no analysis of it is running, with the error of a newly loaded project and whether the
/// "too large" notice is due now. At most one analysis per document runs at a time.
fn next_job(server: &Server, uri: &Uri, expected: Option<i32>) -> Next {
    let mut docs = server.shared.docs.lock();
    let Some(doc) = docs.get_mut(uri) else { return Next::Skip };
    if expected.is_some_and(|v| v != doc.version) {
        return Next::Skip;
    }
    if doc.analyzing {
        doc.rerun = true;
        return Next::Skip;
    }
    let (project, error) = server.shared.workspace.project_for(doc.path.as_deref());
    let too_large = doc.rope.len_bytes() as u64 > project.settings.max_file_size;
    let notice = too_large && !doc.size_notice_shown;
    doc.size_notice_shown |= too_large;
    doc.analyzing = !too_large;
    let job = Job {
        uri: uri.clone(),
        rope: doc.rope.clone(),
        version: doc.version,
        lang: doc.lang,
        project,
        generation: server.shared.workspace.generation(),
    };
    Next::Run(job, error, notice)
}

/// Analyses the document and publishes its diagnostics; if it changed meanwhile, analyses the
/// newest version once more instead of letting runs pile up.
async fn publish(server: &Server, uri: Uri, mut expected: Option<i32>) {
    loop {
        let Next::Run(job, error, notice) = next_job(server, &uri, expected) else { return };
        report_errors(server, error.into_iter().collect()).await;
        if job.rope.len_bytes() as u64 > job.project.settings.max_file_size {
            if notice {
                show_too_large(server, &job).await;
            }
            server.client.publish_diagnostics(uri, Vec::new(), Some(job.version)).await;
            return;
        }
        let version = job.version;
        let generation = job.generation;
        let computed = tokio::task::spawn_blocking({
            let enc = server.shared.encoding();
            move || guard("analysis", || analyze(&job, enc))
        })
        .await;
        let outcome = {
            let mut docs = server.shared.docs.lock();
            docs.get_mut(&uri).map(|doc| {
                doc.analyzing = false;
                let rerun = std::mem::take(&mut doc.rerun) || doc.version != version;
                let mut diagnostics = None;
                if let Ok(Ok((snapshot, diags))) = computed {
                    // Open documents are indexed from their current text, not from disk.
                    if let Some(path) = &doc.path {
                        server.shared.index.update(path, snapshot.refs.clone());
                    }
                    doc.install(snapshot);
                    let current = doc.version == version && server.shared.workspace.generation() == generation;
                    diagnostics = current.then_some(diags);
                }
                (rerun, diagnostics)
            })
        };
        let Some((rerun, diagnostics)) = outcome else { return };
        match diagnostics {
            Some(diagnostics) => server.client.publish_diagnostics(uri.clone(), diagnostics, Some(version)).await,
            None if !rerun => {
                server.client.log_message(MessageType::ERROR, "errcode: analysis failed (see the server log)").await;
            }
            None => {}
        }
        if !rerun {
            return;
        }
        expected = None;
    }
}

/// Scans and analyses one version: its snapshot and its diagnostics.
fn analyze(job: &Job, enc: crate::lsp::convert::Encoding) -> (Arc<Snapshot>, Vec<Diagnostic>) {
    let text = job.rope.to_string();
    let spans = scan::scan(job.lang, &text);
    let (findings, code_refs) = job.project.analyzer.analyze_with_refs(&text, &spans);
    let refs = index::refs_from(&text, &code_refs);
    let diagnostics = to_proto::diagnostics(&text, enc, &findings);
    let snapshot = Snapshot { version: job.version, generation: job.generation, spans, findings, refs };
    (Arc::new(snapshot), diagnostics)
}

async fn show_too_large(server: &Server, job: &Job) {
    let name = job.uri.path().as_str().rsplit('/').next().unwrap_or_default().to_string();
    let (size, max) = (job.rope.len_bytes() as f64 / 1e6, job.project.settings.max_file_size as f64 / 1e6);
    let message = format!(
        "errcode: not checking {name}: it is {size:.1} MB, above the {max:.1} MB limit \
         (raise `max_file_size` in errcode.toml or the errcode.maxFileSize setting)"
    );
    server.client.show_message(MessageType::WARNING, message).await;
}
