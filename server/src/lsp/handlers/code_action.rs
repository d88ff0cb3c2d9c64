//! `textDocument/codeAction`: a quick fix per suggestion (the best preferred), "allow this
//! literal" (writes it to the project's `errcode.toml`), and `source.fixAll.errcode`.

use std::collections::HashMap;

use serde::Deserialize;
use tower_lsp_server::jsonrpc::Result;
use tower_lsp_server::ls_types::*;

use crate::analysis::Finding;
use crate::config::{add_allowed, CONFIG_FILE_NAMES};
use crate::lsp::capabilities::FIX_ALL_KIND;
use crate::lsp::convert::{self, Encoding};
use crate::lsp::to_proto::SOURCE;
use crate::lsp::{guard, Server};
use crate::project::Project;

/// The fix data our diagnostics carry.
#[derive(Debug, Deserialize)]
struct FixData {
    kind: String,
    literal: String,
    #[serde(default)]
    suggestions: Vec<String>,
    fix: Option<String>,
}

fn wants(only: &Option<Vec<CodeActionKind>>, kind: &CodeActionKind) -> bool {
    match only {
        None => true,
        Some(kinds) => {
            kinds.iter().any(|k| kind.as_str() == k.as_str() || kind.as_str().starts_with(&format!("{}.", k.as_str())))
        }
    }
}

pub fn code_action(server: &Server, params: CodeActionParams) -> Result<Option<CodeActionResponse>> {
    let uri = params.text_document.uri.clone();
    let enc = server.shared.encoding();
    let caps = server.shared.caps();
    let Some(doc) = super::Doc::get(server, &uri) else { return Ok(None) };
    let (rope, version, project) = (&doc.rope, doc.version, &doc.project);
    let only = &params.context.only;
    guard("code action", || {
        let mut actions: Vec<CodeActionOrCommand> = Vec::new();
        if wants(only, &CodeActionKind::QUICKFIX) {
            for diagnostic in &params.context.diagnostics {
                if diagnostic.source.as_deref() != Some(SOURCE) {
                    continue;
                }
                let Some(data) = diagnostic.data.clone().and_then(|d| serde_json::from_value::<FixData>(d).ok()) else {
                    continue;
                };
                // A stale diagnostic whose text has changed gets no fix.
                let (start, end) = convert::byte_range(rope, diagnostic.range, enc);
                if rope.byte_slice(start..end) != data.literal.as_str() {
                    continue;
                }
                for suggestion in &data.suggestions {
                    let preferred = data.fix.as_deref() == Some(suggestion.as_str());
                    actions.push(CodeActionOrCommand::CodeAction(CodeAction {
                        title: format!("Replace with `{suggestion}`"),
                        kind: Some(CodeActionKind::QUICKFIX),
                        diagnostics: Some(vec![diagnostic.clone()]),
                        edit: Some(edit_of(
                            &uri,
                            vec![TextEdit { range: diagnostic.range, new_text: suggestion.clone() }],
                        )),
                        is_preferred: Some(preferred),
                        ..Default::default()
                    }));
                }
                if data.kind == "misspelled" {
                    if let Some(edit) = allow_edit(server, project, &data.literal, &caps) {
                        actions.push(CodeActionOrCommand::CodeAction(CodeAction {
                            title: format!("Allow `{}` in {}", data.literal, config_name(project)),
                            kind: Some(CodeActionKind::QUICKFIX),
                            diagnostics: Some(vec![diagnostic.clone()]),
                            edit: Some(edit),
                            ..Default::default()
                        }));
                    }
                }
            }
        }
        let fix_all = CodeActionKind::new(FIX_ALL_KIND);
        if wants(only, &fix_all) {
            let findings = doc.findings();
            let fixable = findings.iter().filter(|f| f.fix.is_some()).count();
            if fixable > 0 {
                // Clients that can resolve get the edit only when they apply the action.
                let lazy = caps.resolve_code_action_edit && only.is_none();
                actions.push(CodeActionOrCommand::CodeAction(CodeAction {
                    title: format!("Fix all error codes ({fixable})"),
                    kind: Some(fix_all),
                    edit: (!lazy).then(|| edit_of(&uri, fix_all_edits(rope, enc, &findings))),
                    data: lazy.then(|| serde_json::json!({ "uri": uri, "version": version })),
                    ..Default::default()
                }));
            }
        }
        Some(actions)
    })
}

fn fix_all_edits(rope: &ropey::Rope, enc: Encoding, findings: &[Finding]) -> Vec<TextEdit> {
    findings
        .iter()
        .filter_map(|f| Some(TextEdit { range: convert::range(rope, f.start, f.end, enc), new_text: f.fix.clone()? }))
        .collect()
}

/// `codeAction/resolve`: fills in the fix-all edit for the document's current text.
pub fn resolve(server: &Server, mut action: CodeAction) -> Result<CodeAction> {
    let Some(uri) =
        action.data.as_ref().and_then(|d| d.get("uri")).and_then(|u| u.as_str()).and_then(|u| u.parse::<Uri>().ok())
    else {
        return Ok(action);
    };
    let enc = server.shared.encoding();
    let Some(doc) = super::Doc::get(server, &uri) else { return Ok(action) };
    let edits = guard("code action resolve", || fix_all_edits(&doc.rope, enc, &doc.findings()))?;
    action.edit = Some(edit_of(&uri, edits));
    Ok(action)
}

fn edit_of(uri: &Uri, edits: Vec<TextEdit>) -> WorkspaceEdit {
    WorkspaceEdit { changes: Some(HashMap::from([(uri.clone(), edits)])), ..Default::default() }
}

/// The name of the config file the allow action writes to.
fn config_name(project: &Project) -> String {
    project
        .config_path
        .as_ref()
        .and_then(|p| p.file_name())
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| CONFIG_FILE_NAMES[0].to_string())
}

/// An edit that adds `literal` to the project's `allow` list: rewrites the existing config
/// (from the open buffer if the user is editing it) or creates `errcode.toml` at the root.
fn allow_edit(
    server: &Server,
    project: &Project,
    literal: &str,
    caps: &crate::lsp::ClientCaps,
) -> Option<WorkspaceEdit> {
    let enc = caps.encoding;
    match &project.config_path {
        Some(path) => {
            let uri = Uri::from_file_path(path)?;
            let open = server.shared.docs.lock().get(&uri).map(|d| d.rope.clone());
            let rope = match open {
                Some(rope) => rope,
                None => ropey::Rope::from_str(&std::fs::read_to_string(path).ok()?),
            };
            let new_text = add_allowed(&rope.to_string(), literal).ok()?;
            let range = whole(&rope, enc);
            Some(edit_of(&uri, vec![TextEdit { range, new_text }]))
        }
        None => {
            if !caps.create_files {
                return None;
            }
            let path = project.root.join(CONFIG_FILE_NAMES[0]);
            let uri = Uri::from_file_path(&path)?;
            let text = format!(
                "# errcode-lsp project configuration\n\n# Literals that are never flagged.\nallow = [{}]\n",
                toml_edit::Value::from(literal)
            );
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
    }
}

/// The range of a whole document.
fn whole(rope: &ropey::Rope, enc: Encoding) -> Range {
    Range { start: Position::new(0, 0), end: convert::position(rope, rope.len_bytes(), enc) }
}
