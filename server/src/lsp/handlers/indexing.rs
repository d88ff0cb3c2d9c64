//! Keeping the workspace index current: a background full index per folder at start and after
//! configuration changes (with `$/progress`), and single files as they change on disk.
//!
//! Indexing runs on blocking threads and never holds the document store, so the first hover is
//! not delayed by a large tree.

use std::collections::HashSet;
use std::path::PathBuf;

use tower_lsp_server::ls_types::*;

use crate::index;
use crate::lsp::Server;
use crate::scan::Lang;

/// How long indexing waits after start or a configuration change.
const START_DELAY: std::time::Duration = std::time::Duration::from_millis(300);

/// Re-indexes every workspace folder in the background.
pub async fn reindex_all(server: &Server) {
    let server = server.clone();
    tokio::spawn(async move {
        // Let the documents the editor opens at start be analysed first.
        tokio::time::sleep(START_DELAY).await;
        let generation = server.shared.index.begin();
        let progress = if server.shared.caps().work_done_progress {
            let token = ProgressToken::String(format!("errcode-index-{generation}"));
            match server.client.create_work_done_progress(token.clone()).await {
                Ok(()) => Some(
                    server
                        .client
                        .progress(token, "errcode: indexing")
                        .with_message("scanning the workspace")
                        .begin()
                        .await,
                ),
                Err(_) => None,
            }
        } else {
            None
        };
        let mut total = 0;
        for project in server.shared.workspace.folder_projects() {
            let root = project.root.clone();
            // Leave a core for the editor's requests.
            let threads = std::thread::available_parallelism().map_or(1, |n| n.get().saturating_sub(1).max(1));
            // Open documents are indexed from their buffers (below), not from disk.
            let open: HashSet<PathBuf> = server.shared.docs.lock().values().filter_map(|d| d.path.clone()).collect();
            let found = tokio::task::spawn_blocking(move || {
                let skip = |p: &std::path::Path| open.contains(p);
                index::index_tree(
                    &project.root,
                    &project.analyzer,
                    project.settings.max_file_size,
                    threads,
                    &skip,
                    &|_| {},
                )
            })
            .await;
            let Ok(found) = found else { continue };
            total += found.len();
            if !server.shared.index.install(generation, &root, found) {
                return;
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
            server.shared.index.update(&path, refs);
        }
        if let Some(progress) = progress {
            progress.finish_with_message(format!("{total} files reference known codes")).await;
        }
    });
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
    let Some(lang) = Lang::from_path(&path) else { return };
    let (project, _) = server.shared.workspace.project_for(Some(&path));
    let refs = tokio::task::spawn_blocking(move || {
        let text = index::read_indexable(&path, project.settings.max_file_size)?;
        Some((path.clone(), index::file_refs(&project.analyzer, lang, &text)))
    })
    .await;
    if let Ok(Some((path, refs))) = refs {
        server.shared.index.update(&path, refs);
    }
}
