//! Minimal Zed extension: starts `errcode-lsp` from $PATH (or `lsp.errcode-lsp.binary.path`)
//! and forwards `initialization_options` / `settings` from Zed's settings.json.

use zed_extension_api::{self as zed, settings::LspSettings, LanguageServerId, Result};

struct ErrcodeExtension;

impl zed::Extension for ErrcodeExtension {
    fn new() -> Self {
        ErrcodeExtension
    }

    fn language_server_command(
        &mut self,
        language_server_id: &LanguageServerId,
        worktree: &zed::Worktree,
    ) -> Result<zed::Command> {
        let binary = LspSettings::for_worktree(language_server_id.as_ref(), worktree)
            .ok()
            .and_then(|s| s.binary);
        let command = binary
            .as_ref()
            .and_then(|b| b.path.clone())
            .or_else(|| worktree.which("errcode-lsp"))
            .ok_or_else(|| "errcode-lsp not found on PATH; install it with `cargo install --path server` or set lsp.errcode-lsp.binary.path".to_string())?;
        let args = binary.and_then(|b| b.arguments).unwrap_or_default();
        Ok(zed::Command { command, args, env: worktree.shell_env() })
    }

    fn language_server_initialization_options(
        &mut self,
        language_server_id: &LanguageServerId,
        worktree: &zed::Worktree,
    ) -> Result<Option<zed::serde_json::Value>> {
        Ok(LspSettings::for_worktree(language_server_id.as_ref(), worktree)
            .ok()
            .and_then(|s| s.initialization_options))
    }

    fn language_server_workspace_configuration(
        &mut self,
        language_server_id: &LanguageServerId,
        worktree: &zed::Worktree,
    ) -> Result<Option<zed::serde_json::Value>> {
        Ok(LspSettings::for_worktree(language_server_id.as_ref(), worktree)
            .ok()
            .and_then(|s| s.settings))
    }
}

zed::register_extension!(ErrcodeExtension);
