//! Keeping the workspace index current: a background full index of every folder at start and
//! after configuration changes (with `$/progress`), and single files as they change on disk.
//!
//! At most one full run is under way; a request while it runs makes it go once more, so bursts
//! of configuration changes coalesce and the progress the client sees always ends. Indexing runs
//! on blocking threads and never holds the document store, so the first hover is not delayed by
//! a large tree.

use std::collections::{HashMap, HashSet};
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use tower_lsp_server::ls_types::*;
use tower_lsp_server::{NotCancellable, OngoingProgress, Unbounded};

use super::status;
use crate::lsp::Server;
use errcode_core::index;
use errcode_core::walk::{self, WalkOptions};

/// How long indexing waits after start or a configuration change (bursts coalesce meanwhile).
const START_DELAY: Duration = Duration::from_millis(300);

/// How long the client may take to accept a progress token before we index without one.
const PROGRESS_CREATE_TIMEOUT: Duration = Duration::from_secs(5);

/// Re-indexes every workspace folder in the background.
pub async fn reindex_all(server: &Server) {
    if !server.shared.index.request_run() {
        return;
    }
    let server = server.clone();
    tokio::spawn(async move {
        // Let the documents the editor opens at start be analysed first.
        tokio::time::sleep(START_DELAY).await;
        status::notify_all(&server).await;
        let progress = begin_progress(&server).await;
        let mut total;
        let started = std::time::Instant::now();
        loop {
            server.shared.index.start_pass();
            total = index_once(&server).await;
            if !server.shared.index.finish_pass() {
                break;
            }
        }
        tracing::info!(files = total, ms = started.elapsed().as_millis() as u64, "indexed the workspace");
        if let Some(progress) = progress {
            progress.finish_with_message(format!("{total} files reference known codes")).await;
        }
        status::notify_all(&server).await;
    });
}

/// Starts the client's progress indicator, if it shows one.
async fn begin_progress(server: &Server) -> Option<OngoingProgress<Unbounded, NotCancellable>> {
    static RUNS: AtomicU64 = AtomicU64::new(0);
    if !server.shared.caps().work_done_progress {
        return None;
    }
    let token = ProgressToken::String(format!("errcode-index-{}", RUNS.fetch_add(1, Ordering::Relaxed) + 1));
    let created = tokio::time::timeout(PROGRESS_CREATE_TIMEOUT, server.client.create_work_done_progress(token.clone()));
    match created.await {
        Ok(Ok(())) => Some(
            server.client.progress(token, "errcode: indexing").with_message("scanning the workspace").begin().await,
        ),
        _ => None,
    }
}

/// One pass over every workspace folder; replaces the index. Returns how many files hold
/// references or findings.
async fn index_once(server: &Server) -> usize {
    let mut found: HashMap<PathBuf, index::FileRefs> = HashMap::new();
    for folder in server.shared.workspace.folders() {
        let Some(root) = folder.root.clone() else { continue };
        // Leave a core for the editor's requests.
        let threads = std::thread::available_parallelism().map_or(1, |n| n.get().saturating_sub(1).max(1));
        let options = WalkOptions { threads, ..WalkOptions::default() };
        // Open documents are indexed from their buffers (below), not from disk.
        let open: HashSet<PathBuf> = server.shared.docs.lock().values().filter_map(|d| d.path.clone()).collect();
        let walked = tokio::task::spawn_blocking(move || {
            let skip = |p: &std::path::Path| open.contains(p);
            index::index_tree(&[root], &*folder, &options, &skip)
        })
        .await;
        if let Ok(Ok((walked, _))) = walked {
            found.extend(walked);
        }
    }
    // Open documents are indexed from their current text.
    let open: Vec<(PathBuf, index::FileRefs)> = server
        .shared
        .docs
        .lock()
        .values()
        .filter_map(|d| Some((d.path.clone()?, d.snapshot.as_ref()?.refs.clone())))
        .collect();
    for (path, refs) in open {
        if refs.is_empty() {
            found.remove(&path);
        } else {
            found.insert(path, refs);
        }
    }
    // A folder removed while this pass ran leaves nothing behind (the pass it queued follows).
    let roots: Vec<PathBuf> = server.shared.workspace.folders().iter().filter_map(|f| f.root.clone()).collect();
    found.retain(|path, _| roots.iter().any(|root| path.starts_with(root)));
    let total = found.len();
    server.shared.index.replace_all(found);
    total
}

/// A file changed on disk: re-index it unless it is open (open files follow the buffer).
pub async fn file_changed(server: &Server, path: PathBuf, deleted: bool) {
    let open = Uri::from_file_path(&path).is_some_and(|uri| server.shared.docs.lock().contains_key(&uri));
    if open {
        return;
    }
    if deleted {
        server.shared.index.remove(&path);
        return;
    }
    let (project, _) = server.shared.workspace.project_for(Some(&path));
    // The same files as a fresh walk of the folder: ignored, excluded, generated and catalog
    // files stay out.
    let root =
        server.shared.workspace.folders().into_iter().filter_map(|f| f.root.clone()).find(|r| path.starts_with(r));
    let lang = walk::lang_of(&path, false);
    let walked = root.as_deref().is_some_and(|root| walk::watched_file_is_walked(&project, root, &path));
    let (Some(lang), true) = (lang, walked && !project.is_catalog_file(&path)) else {
        server.shared.index.remove(&path);
        return;
    };
    let refs = tokio::task::spawn_blocking(move || {
        let text = index::read_indexable(&path, project.settings.max_file_size)?;
        if walk::generated_by_text(lang, &text).is_some() {
            return Some((path, index::FileRefs::default()));
        }
        Some((path.clone(), index::file_refs(&project.analyzer, lang, &text)))
    })
    .await;
    if let Ok(Some((path, refs))) = refs {
        server.shared.index.update(&path, refs);
    }
}
