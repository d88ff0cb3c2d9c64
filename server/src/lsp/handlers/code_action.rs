//! `textDocument/codeAction`: a quick fix per suggestion (the best preferred), "allow this
//! literal" (writes it to the project's `errcode.toml`), and `source.fixAll.errcode`; plus
//! `codeAction/resolve` (edits computed when the action is applied) and the command that
//! applies an edit for clients that take actions only as commands.
//!
//! Fix-all works on the whole document, so it runs on the heavy-work threads, and a result computed
//! for a version the document has since left is answered with "content modified".

use std::collections::HashMap;
use std::path::PathBuf;

use serde::Deserialize;
use tower_lsp_server::jsonrpc::Result;
use tower_lsp_server::ls_types::*;

use crate::lsp::capabilities::{APPLY_EDIT_COMMAND, FIX_ALL_KIND};
use crate::lsp::convert::{self, Encoding};
use crate::lsp::to_proto::SOURCE;
use crate::lsp::{ClientCaps, Server};
use errcode_core::analysis::{Finding, FindingKind};
use errcode_core::config::{add_allowed, CONFIG_FILE_NAMES};
use errcode_core::messages;
use errcode_core::project::find_config_for;

/// The fix data our diagnostics carry.
#[derive(Debug, Deserialize)]
struct FixData {
    kind: String,
    literal: String,
    #[serde(default)]
    suggestions: Vec<String>,
    fix: Option<String>,
}

impl FixData {
    fn of(f: &Finding) -> FixData {
        FixData {
            kind: f.kind.as_str().to_string(),
            literal: f.literal.clone(),
            suggestions: f.suggestions.clone(),
            fix: f.fix.clone(),
        }
    }
}

/// What `codeAction/resolve` must compute, carried in the action's `data`.
#[derive(Debug, serde::Serialize, Deserialize)]
#[serde(tag = "resolve", rename_all = "camelCase")]
enum Pending {
    /// Every fix of the document.
    FixAll { uri: Uri, version: i32 },
    /// Add `literal` to the `allow` list of the config file of the project rooted at `root`.
    Allow { literal: String, root: PathBuf },
}

fn wants(only: &Option<Vec<CodeActionKind>>, kind: &CodeActionKind) -> bool {
    match only {
        None => true,
        Some(kinds) => {
            kinds.iter().any(|k| kind.as_str() == k.as_str() || kind.as_str().starts_with(&format!("{}.", k.as_str())))
        }
    }
}

pub async fn code_action(server: &Server, params: CodeActionParams) -> Result<Option<CodeActionResponse>> {
    let uri = params.text_document.uri.clone();
    let Some(doc) = super::Doc::get(server, &uri) else { return Ok(None) };
    let version = doc.version;
    let cx = server.clone();
    let actions = super::blocking(server, "code action", move || actions(&cx, &params, &doc)).await?;
    super::still_current(server, &uri, version)?;
    Ok(Some(actions))
}

fn actions(server: &Server, params: &CodeActionParams, doc: &super::Doc) -> Vec<CodeActionOrCommand> {
    let caps = server.shared.caps();
    let enc = caps.encoding;
    let uri = &params.text_document.uri;
    let rope = &doc.rope;
    let locale = server.shared.locale(&doc.project);
    let only = &params.context.only;
    let mut actions: Vec<CodeAction> = Vec::new();
    // Computed at most once, and only when needed.
    let mut findings: Option<std::borrow::Cow<'_, [Finding]>> = None;
    if wants(only, &CodeActionKind::QUICKFIX) {
        for diagnostic in &params.context.diagnostics {
            if diagnostic.source.as_deref() != Some(SOURCE) {
                continue;
            }
            let (start, end) = convert::byte_range(rope, diagnostic.range, enc);
            // Clients that do not send `data` back get the fix of the finding at the same
            // place in the current text.
            let data = match diagnostic.data.clone().and_then(|d| serde_json::from_value::<FixData>(d).ok()) {
                Some(data) => data,
                None => {
                    let all = findings.get_or_insert_with(|| doc.findings());
                    match all.iter().find(|f| f.start == start && f.end == end) {
                        Some(f) => FixData::of(f),
                        None => continue,
                    }
                }
            };
            // A stale diagnostic whose text has changed gets no fix.
            if rope.byte_slice(start..end) != data.literal.as_str() {
                continue;
            }
            for suggestion in &data.suggestions {
                let preferred = data.fix.as_deref() == Some(suggestion.as_str());
                actions.push(CodeAction {
                    title: messages::replace_with(locale, suggestion),
                    kind: Some(CodeActionKind::QUICKFIX),
                    diagnostics: Some(vec![diagnostic.clone()]),
                    edit: Some(edit_of(uri, vec![TextEdit { range: diagnostic.range, new_text: suggestion.clone() }])),
                    is_preferred: Some(preferred),
                    ..Default::default()
                });
            }
            if data.kind == FindingKind::Misspelled.as_str() {
                if let Some(action) = allow_action(server, doc, &data.literal, &caps, diagnostic) {
                    actions.push(action);
                }
            }
        }
    }
    let fix_all = CodeActionKind::new(FIX_ALL_KIND);
    if wants(only, &fix_all) {
        let all = findings.get_or_insert_with(|| doc.findings());
        let unsafe_fixes = doc.project.settings.unsafe_fixes;
        let fixable = all.iter().filter(|f| in_fix_all(f, unsafe_fixes)).count();
        if fixable > 0 {
            // Clients that can resolve get the edit only when they apply the action: the edit
            // of a large document is big, and clients ask for actions far more often than they
            // apply one (VS Code at every cursor move, and on save).
            let lazy = caps.resolve_code_action_edit && caps.code_action_literals;
            actions.push(CodeAction {
                title: messages::fix_all(server.shared.locale(&doc.project), fixable),
                kind: Some(fix_all),
                edit: (!lazy).then(|| edit_of(uri, fix_all_edits(rope, enc, all, unsafe_fixes))),
                data: lazy.then(|| pending(&Pending::FixAll { uri: uri.clone(), version: doc.version })),
                ..Default::default()
            });
        }
    }
    actions.into_iter().map(|action| as_client_takes(action, &caps)).collect()
}

/// An action as the client takes it: a literal, or a command that applies its edit.
fn as_client_takes(action: CodeAction, caps: &ClientCaps) -> CodeActionOrCommand {
    if caps.code_action_literals {
        return CodeActionOrCommand::CodeAction(action);
    }
    CodeActionOrCommand::Command(Command {
        title: action.title,
        command: APPLY_EDIT_COMMAND.to_string(),
        arguments: action.edit.map(|edit| vec![serde_json::to_value(edit).unwrap_or_default()]),
    })
}

fn pending(p: &Pending) -> serde_json::Value {
    serde_json::to_value(p).unwrap_or_default()
}

/// Whether fix-all applies a finding's fix: unsafe ones (a deprecated code where it is
/// compared) only with the `unsafeFixes` setting; they stay available one by one.
fn in_fix_all(f: &Finding, unsafe_fixes: bool) -> bool {
    f.fix.is_some() && (unsafe_fixes || f.applicability.is_safe())
}

/// From this many edits on, fix-all may send one edit instead (see [`fix_all_edits`]).
const MANY_EDITS: usize = 1000;

/// The edits of every fix, positions converted in one forward pass (findings are sorted).
/// When there are many and one edit replacing the text from the first fix to the last, fixed,
/// is smaller than their JSON (fixes packed close together, as in generated or pasted code),
/// that one edit is sent instead: 100,000 edits of one 2 MB file were 9.5 MB of JSON that the
/// client must read (and every other answer wait behind) and apply one by one.
fn fix_all_edits(rope: &ropey::Rope, enc: Encoding, findings: &[Finding], unsafe_fixes: bool) -> Vec<TextEdit> {
    let fixable: Vec<(&Finding, &String)> =
        findings.iter().filter(|f| in_fix_all(f, unsafe_fixes)).filter_map(|f| Some((f, f.fix.as_ref()?))).collect();
    let text = crate::lsp::documents::rope_text(rope);
    if fixable.len() >= MANY_EDITS {
        // The JSON of one edit is about 80 bytes besides its new text.
        let json: usize = fixable.iter().map(|(_, fix)| 80 + fix.len()).sum();
        let start = fixable.iter().map(|(f, _)| f.start).min().unwrap_or(0);
        let end = fixable.iter().map(|(f, _)| f.end).max().unwrap_or(0);
        if end - start < json {
            // The fixed text outside `start..end` is the text as it was.
            let findings: Vec<&Finding> = fixable.iter().map(|(f, _)| *f).collect();
            let (mut new_text, _) = errcode_core::fix::apply(&text, &findings);
            new_text.truncate(new_text.len() - (text.len() - end));
            new_text.replace_range(..start, "");
            let p = convert::positions_forward(&text, &[start, end], enc);
            return vec![TextEdit { range: Range { start: p[0], end: p[1] }, new_text }];
        }
    }
    let offsets: Vec<usize> = fixable.iter().flat_map(|(f, _)| [f.start, f.end]).collect();
    let positions = convert::positions_forward(&text, &offsets, enc);
    fixable
        .iter()
        .zip(positions.chunks(2))
        .map(|((_, fix), p)| TextEdit { range: Range { start: p[0], end: p[1] }, new_text: (*fix).clone() })
        .collect()
}

/// `codeAction/resolve`: fills in an edit left for when the action is applied, from the
/// document's current text and the config file as it is now.
pub async fn resolve(server: &Server, mut action: CodeAction) -> Result<CodeAction> {
    let Some(pending) = action.data.clone().and_then(|d| serde_json::from_value::<Pending>(d).ok()) else {
        return Ok(action);
    };
    let caps = server.shared.caps();
    match pending {
        Pending::FixAll { uri, .. } => {
            let Some(doc) = super::Doc::get(server, &uri) else { return Ok(action) };
            let version = doc.version;
            let enc = caps.encoding;
            let unsafe_fixes = doc.project.settings.unsafe_fixes;
            let edits = super::blocking(server, "code action resolve", move || {
                fix_all_edits(&doc.rope, enc, &doc.findings(), unsafe_fixes)
            })
            .await?;
            super::still_current(server, &uri, version)?;
            action.edit = Some(edit_of(&uri, edits));
        }
        Pending::Allow { literal, root } => {
            action.edit = allow_edit(server, &root, &literal, &caps);
        }
    }
    Ok(action)
}

/// `workspace/executeCommand`: applies the edit of an action sent as a command.
pub async fn execute_command(server: &Server, params: ExecuteCommandParams) -> Result<Option<serde_json::Value>> {
    if params.command != APPLY_EDIT_COMMAND {
        return Err(tower_lsp_server::jsonrpc::Error::invalid_params(format!("unknown command `{}`", params.command)));
    }
    let Some(edit) = params.arguments.into_iter().next().and_then(|a| serde_json::from_value::<WorkspaceEdit>(a).ok())
    else {
        return Err(tower_lsp_server::jsonrpc::Error::invalid_params("expected a workspace edit"));
    };
    let _ = server.client.apply_edit(edit).await;
    Ok(None)
}

fn edit_of(uri: &Uri, edits: Vec<TextEdit>) -> WorkspaceEdit {
    WorkspaceEdit { changes: Some(HashMap::from([(uri.clone(), edits)])), ..Default::default() }
}

/// The config file that applies to the project rooted at `root` as it is now on disk (the
/// project may have been loaded before it was created): its own, or the one it inherits from
/// the repository (see `project::find_config_for`); else where a new one goes. The same in a
/// trusted workspace and an untrusted one (which does not read the file, but may edit it).
fn config_file(root: &std::path::Path) -> (PathBuf, bool) {
    match find_config_for(root) {
        Some(path) => (path, true),
        None => (root.join(CONFIG_FILE_NAMES[0]), false),
    }
}

/// "Allow `X` in errcode.toml": its edit now, or left for `codeAction/resolve` (then computed
/// from the file as it is when the user applies it, so two allows in a row never write two
/// `allow` lists).
fn allow_action(
    server: &Server,
    doc: &super::Doc,
    literal: &str,
    caps: &ClientCaps,
    diagnostic: &Diagnostic,
) -> Option<CodeAction> {
    // A document without a local file outside every workspace folder has no project on disk.
    if doc.path.is_none() && server.shared.workspace.folders().is_empty() {
        return None;
    }
    let root = doc.project.root.clone();
    let (path, exists) = config_file(&root);
    if !exists && !caps.create_files {
        return None;
    }
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let lazy = caps.resolve_code_action_edit && caps.code_action_literals;
    let edit = if lazy { None } else { Some(allow_edit(server, &root, literal, caps)?) };
    Some(CodeAction {
        title: messages::allow_in(server.shared.locale(&doc.project), literal, &name),
        kind: Some(CodeActionKind::QUICKFIX),
        diagnostics: Some(vec![diagnostic.clone()]),
        data: lazy.then(|| pending(&Pending::Allow { literal: literal.to_string(), root })),
        edit,
        ..Default::default()
    })
}

/// An edit that adds `literal` to the `allow` list of the project rooted at `root`: rewrites
/// the config file as it is now (from the open buffer if the user is editing it, else from
/// disk) or creates `errcode.toml` at the root.
fn allow_edit(server: &Server, root: &std::path::Path, literal: &str, caps: &ClientCaps) -> Option<WorkspaceEdit> {
    let enc = caps.encoding;
    let (path, exists) = config_file(root);
    let uri = Uri::from_file_path(&path)?;
    if exists {
        let open = server.shared.docs.lock().get(&uri).map(|d| d.rope.clone());
        let rope = match open {
            Some(rope) => rope,
            None => ropey::Rope::from_str(&std::fs::read_to_string(&path).ok()?),
        };
        let new_text = add_allowed(&crate::lsp::documents::rope_text(&rope), literal).ok()?;
        let range = whole(&rope, enc);
        return Some(edit_of(&uri, vec![TextEdit { range, new_text }]));
    }
    if !caps.create_files {
        return None;
    }
    let text = errcode_core::config::new_config_allowing(literal);
    Some(WorkspaceEdit {
        document_changes: Some(DocumentChanges::Operations(vec![
            DocumentChangeOperation::Op(ResourceOp::Create(CreateFile {
                uri: uri.clone(),
                options: Some(CreateFileOptions { overwrite: Some(false), ignore_if_exists: Some(true) }),
                annotation_id: None,
            })),
            DocumentChangeOperation::Edit(TextDocumentEdit {
                text_document: OptionalVersionedTextDocumentIdentifier { uri, version: None },
                edits: vec![OneOf::Left(TextEdit {
                    range: Range::new(Position::new(0, 0), Position::new(0, 0)),
                    new_text: text,
                })],
            }),
        ])),
        ..Default::default()
    })
}

/// The range of a whole document.
fn whole(rope: &ropey::Rope, enc: Encoding) -> Range {
    Range { start: Position::new(0, 0), end: convert::position(rope, rope.len_bytes(), enc) }
}
