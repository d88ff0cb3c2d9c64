//! `errcode/status` (request) and `errcode/statusChanged` (notification): which catalogs are
//! active for a project, and why — for status bars and "why is it silent?" questions.

use serde::{Deserialize, Serialize};
use tower_lsp_server::jsonrpc::Result;
use tower_lsp_server::ls_types::Uri;

use crate::lsp::Server;
use errcode_core::locale::Locale;
use errcode_core::project::Project;

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct StatusParams {
    pub uri: Option<Uri>,
}

#[derive(Debug, Serialize, Deserialize, Clone)]
#[serde(rename_all = "camelCase")]
pub struct Status {
    pub root: Option<String>,
    pub active_catalogs: Vec<String>,
    pub summary: String,
    pub config: Option<String>,
    /// The workspace index is being built (a full scan of the workspace folders).
    #[serde(default)]
    pub indexing: bool,
    /// The projects are being reloaded after a configuration change (answers come from the
    /// last good configuration meanwhile).
    #[serde(default)]
    pub reloading: bool,
}

impl Status {
    fn of(project: &Project, indexing: bool, reloading: bool, locale: Locale) -> Status {
        Status {
            root: Some(project.root.display().to_string()),
            active_catalogs: project.active_catalogs().iter().map(|s| s.to_string()).collect(),
            summary: project.summary_in(locale),
            config: project.config_path.as_ref().map(|p| p.display().to_string()),
            indexing,
            reloading,
        }
    }
}

pub fn status(server: &Server, params: StatusParams) -> Result<Status> {
    let path = params.uri.as_ref().and_then(crate::lsp::convert::local_path);
    let (project, _) = server.shared.workspace.project_for(path.as_deref());
    let (indexing, reloading) = (server.shared.index.is_indexing(), server.shared.workspace.reloads.is_running());
    Ok(Status::of(&project, indexing, reloading, server.shared.locale(&project)))
}

/// Sends `errcode/statusChanged` for every loaded project.
pub async fn notify_all(server: &Server) {
    let indexing = server.shared.index.is_indexing();
    let reloading = server.shared.workspace.reloads.is_running();
    for project in server.shared.workspace.projects() {
        let status = Status::of(&project, indexing, reloading, server.shared.locale(&project));
        server.client.send_notification::<StatusChanged>(status).await;
    }
}

pub enum StatusChanged {}

impl tower_lsp_server::ls_types::notification::Notification for StatusChanged {
    type Params = Status;
    const METHOD: &'static str = "errcode/statusChanged";
}
