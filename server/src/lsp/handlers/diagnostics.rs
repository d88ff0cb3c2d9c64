//! Diagnostics: analyse a document in the background (debounced after edits) and publish the
//! findings for exactly the version they were computed from. Clients that pull diagnostics get
//! them from `textDocument/diagnostic` instead, and those of the whole workspace (closed files,
//! from the workspace index) from `workspace/diagnostic`.

use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::sync::Arc;
use std::time::Duration;

use tower_lsp_server::jsonrpc::Result;
use tower_lsp_server::ls_types::*;

use super::report_errors;
use crate::lsp::convert::Encoding;
use crate::lsp::documents::{Job, Snapshot};
use crate::lsp::to_proto::{self, DiagnosticContext};
use crate::lsp::{guard, Server};
use errcode_core::error::FileError;
use errcode_core::index::{self, FileFinding};
use errcode_core::locale::Locale;
use errcode_core::project::Project;
use errcode_core::scan;

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

/// Re-analyses every open document now (after a configuration change); clients that pull are
/// asked to pull again.
pub async fn refresh_all(server: &Server) {
    for uri in server.shared.docs.uris() {
        publish(server, uri, None).await;
    }
    let caps = server.shared.caps();
    if caps.pull_diagnostics && caps.diagnostic_refresh {
        let _ = server.client.workspace_diagnostic_refresh().await;
    }
}

/// `didClose`: the client drops the document's diagnostics (pushed ones are cleared here).
/// Runs behind the publish gate, after the document left the store, so no analysis that was
/// under way can publish for it afterwards.
pub async fn closed(server: &Server, uri: Uri) {
    if server.shared.caps().pull_diagnostics {
        return;
    }
    let _gate = server.shared.publish_gate.lock().await;
    server.client.publish_diagnostics(uri, Vec::new(), None).await;
}

/// What to do about an analysis request.
enum Next {
    /// Analyse this job.
    Run(Box<Job>, Option<FileError>, bool),
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
        opened: doc.opened,
        path: doc.path.clone(),
        lang: doc.lang,
        project,
        generation: server.shared.workspace.generation(),
    };
    Next::Run(Box::new(job), error, notice)
}

/// Publishes `diagnostics` for version `version` of the `opened`-th opening of `uri`, if the
/// document is still open at that version (pull clients get nothing pushed).
async fn send(server: &Server, uri: Uri, diagnostics: Vec<Diagnostic>, version: i32, opened: u64) {
    if server.shared.caps().pull_diagnostics {
        return;
    }
    let _gate = server.shared.publish_gate.lock().await;
    let current = server.shared.docs.lock().get(&uri).is_some_and(|d| d.opened == opened && d.version == version);
    if current {
        server.client.publish_diagnostics(uri, diagnostics, Some(version)).await;
    }
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
            send(server, uri, Vec::new(), job.version, job.opened).await;
            return;
        }
        let (version, generation, opened) = (job.version, job.generation, job.opened);
        let computed = tokio::task::spawn_blocking({
            let cx = server.clone();
            move || guard("analysis", || analyze(&cx, &job))
        })
        .await;
        let outcome = {
            let mut docs = server.shared.docs.lock();
            docs.get_mut(&uri).filter(|doc| doc.opened == opened).map(|doc| {
                doc.analyzing = false;
                // The projects were reloaded while it ran (reloads run in the background): the
                // analysis is for the old configuration, so it goes again with the new one.
                let reloaded = server.shared.workspace.generation() != generation;
                let rerun = std::mem::take(&mut doc.rerun) || doc.version != version || reloaded;
                let mut diagnostics = None;
                if let Ok(Ok((snapshot, diags))) = computed {
                    // Open documents are indexed from their current text, not from disk.
                    if let Some(path) = &doc.path {
                        server.shared.index.update(path, snapshot.refs.clone());
                    }
                    doc.install(snapshot);
                    diagnostics = (doc.version == version && !reloaded).then_some(diags);
                }
                (rerun, diagnostics)
            })
        };
        let Some((rerun, diagnostics)) = outcome else { return };
        match diagnostics {
            Some(diagnostics) => send(server, uri.clone(), diagnostics, version, opened).await,
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

/// The diagnostic options for a document of this client.
fn context<'a>(server: &Server, uri: &'a Uri, project: &'a Project) -> DiagnosticContext<'a> {
    let caps = server.shared.caps();
    DiagnosticContext {
        uri,
        catalogs: project.analyzer.catalogs(),
        root: &project.root,
        code_description: caps.diagnostic_code_description,
        related_information: caps.diagnostic_related_information,
        locale: server.shared.locale(project),
    }
}

/// Scans and analyses one version: its snapshot and its diagnostics. A catalog file's codes are
/// declarations, not uses: it gets no findings and is not a reference; nor does a generated,
/// vendored or excluded file.
fn analyze(server: &Server, job: &Job) -> (Arc<Snapshot>, Vec<Diagnostic>) {
    let text = crate::lsp::documents::rope_text(&job.rope);
    let spans = scan::scan(job.lang, &text);
    // Generated, vendored and excluded files are not edited by people: no findings either.
    let left_out = job.path.as_deref().is_some_and(|p| {
        job.project.is_catalog_file(p) || errcode_core::walk::buffer_is_left_out(&job.project, p, job.lang, &text)
    });
    if left_out {
        let snapshot = Snapshot {
            version: job.version,
            generation: job.generation,
            spans,
            findings: Vec::new(),
            refs: Default::default(),
        };
        return (Arc::new(snapshot), Vec::new());
    }
    let (findings, code_refs) = job.project.analyzer.analyze_with_all_refs(job.lang, &text, &spans);
    // The index needs only the references of an open document: its findings are reported by
    // the document itself.
    let refs = index::file_index(&text, Vec::new(), &code_refs);
    let diagnostics =
        to_proto::diagnostics(&text, server.shared.encoding(), &findings, &context(server, &job.uri, &job.project));
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

/// `textDocument/diagnostic`: the findings of an open document's current version.
pub async fn pull(server: &Server, params: DocumentDiagnosticParams) -> Result<DocumentDiagnosticReportResult> {
    let uri = params.text_document.uri;
    let full = |result_id: Option<String>, items: Vec<Diagnostic>| {
        DocumentDiagnosticReportResult::Report(DocumentDiagnosticReport::Full(RelatedFullDocumentDiagnosticReport {
            related_documents: None,
            full_document_diagnostic_report: FullDocumentDiagnosticReport { result_id, items },
        }))
    };
    let Some(doc) = super::Doc::get(server, &uri) else { return Ok(full(None, Vec::new())) };
    let result_id = format!("{}.{}.{}", doc.opened, server.shared.workspace.generation(), doc.version);
    if params.previous_result_id.as_deref() == Some(result_id.as_str()) {
        return Ok(DocumentDiagnosticReportResult::Report(DocumentDiagnosticReport::Unchanged(
            RelatedUnchangedDocumentDiagnosticReport {
                related_documents: None,
                unchanged_document_diagnostic_report: UnchangedDocumentDiagnosticReport { result_id },
            },
        )));
    }
    let version = doc.version;
    let items = super::blocking(server, "diagnostics", {
        let server = server.clone();
        let uri = uri.clone();
        move || {
            if doc.rope.len_bytes() as u64 > doc.project.settings.max_file_size {
                return Vec::new();
            }
            let findings = doc.findings();
            let text = crate::lsp::documents::rope_text(&doc.rope);
            to_proto::diagnostics(&text, server.shared.encoding(), &findings, &context(&server, &uri, &doc.project))
        }
    })
    .await?;
    super::still_current(server, &uri, version)?;
    Ok(full(Some(result_id), items))
}

/// The result id of a workspace file's findings: a hash of what the client would show (the
/// messages' language included: a switch of `locale` must reach files the client keeps).
fn result_id(findings: &[FileFinding], locale: Locale) -> String {
    if findings.is_empty() {
        return EMPTY_RESULT.to_string();
    }
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    locale.tag().hash(&mut hasher);
    for f in findings {
        (f.pos.line, f.pos.utf8, f.pos.utf16, &f.finding.message, f.finding.severity.as_str()).hash(&mut hasher);
    }
    format!("{:016x}", hasher.finish())
}

/// The result id of "no findings".
const EMPTY_RESULT: &str = "empty";

/// `workspace/diagnostic`: the findings of every closed file of the workspace, from the index
/// (open documents are reported by `textDocument/diagnostic`). When the client already has
/// exactly this, the request is held until the index changes (a long poll), so a client that
/// asks again at once does not spin.
pub async fn pull_workspace(
    server: &Server,
    params: WorkspaceDiagnosticParams,
) -> Result<WorkspaceDiagnosticReportResult> {
    let previous: HashMap<Uri, String> = params.previous_result_ids.into_iter().map(|p| (p.uri, p.value)).collect();
    let mut changes = server.shared.index.subscribe();
    loop {
        changes.borrow_and_update();
        let items = workspace_report(server, &previous);
        let news = items.iter().any(|i| matches!(i, WorkspaceDocumentDiagnosticReport::Full(_)));
        if news {
            return Ok(WorkspaceDiagnosticReportResult::Report(WorkspaceDiagnosticReport { items }));
        }
        if changes.changed().await.is_err() {
            return Ok(WorkspaceDiagnosticReportResult::Report(WorkspaceDiagnosticReport { items }));
        }
    }
}

/// The workspace report against what the client has (`previous`: uri -> result id).
fn workspace_report(server: &Server, previous: &HashMap<Uri, String>) -> Vec<WorkspaceDocumentDiagnosticReport> {
    let enc = server.shared.encoding();
    let open: std::collections::HashSet<Uri> = server.shared.docs.uris().into_iter().collect();
    let mut items = Vec::new();
    let mut reported = std::collections::HashSet::new();
    for (path, findings) in server.shared.index.findings() {
        let Some(uri) = Uri::from_file_path(&path) else { continue };
        if open.contains(&uri) {
            continue;
        }
        let (project, _) = server.shared.workspace.project_for(Some(&path));
        let id = result_id(&findings, server.shared.locale(&project));
        reported.insert(uri.clone());
        if previous.get(&uri) == Some(&id) {
            items.push(WorkspaceDocumentDiagnosticReport::Unchanged(WorkspaceUnchangedDocumentDiagnosticReport {
                uri,
                version: None,
                unchanged_document_diagnostic_report: UnchangedDocumentDiagnosticReport { result_id: id },
            }));
            continue;
        }
        let cx = context(server, &uri, &project);
        let diagnostics = to_proto::shown(&findings)
            .iter()
            .map(|f| to_proto::diagnostic(range_of(f, enc), &f.finding, &cx))
            .collect();
        items.push(full_report(uri, id, diagnostics));
    }
    // Files the client shows findings for that have none now (fixed, deleted, or opened: an
    // open document's own report takes over) are cleared.
    for (uri, id) in previous {
        if !reported.contains(uri) && id != EMPTY_RESULT && !open.contains(uri) {
            items.push(full_report(uri.clone(), EMPTY_RESULT.to_string(), Vec::new()));
        }
    }
    items
}

fn full_report(uri: Uri, result_id: String, items: Vec<Diagnostic>) -> WorkspaceDocumentDiagnosticReport {
    WorkspaceDocumentDiagnosticReport::Full(WorkspaceFullDocumentDiagnosticReport {
        uri,
        version: None,
        full_document_diagnostic_report: FullDocumentDiagnosticReport { result_id: Some(result_id), items },
    })
}

/// The LSP range of an indexed finding.
fn range_of(f: &FileFinding, enc: Encoding) -> Range {
    let (start, end) = match enc {
        Encoding::Utf8 => f.pos.utf8,
        Encoding::Utf16 => f.pos.utf16,
    };
    Range::new(Position::new(f.pos.line, start), Position::new(f.pos.line, end))
}
