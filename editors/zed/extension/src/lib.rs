//! Zed extension for errcode-lsp: starts the server and forwards `initialization_options` /
//! `settings` from Zed's settings.json.
//!
//! The server binary is, in order: `lsp.errcode-lsp.binary.path` from the settings,
//! `errcode-lsp` on the worktree's PATH, or the release archive for this platform downloaded
//! from the repository's latest GitHub release into the extension's work directory
//! (`errcode-lsp-<version>/`, kept until a newer release replaces it). Archive names follow
//! dist/package.py: `errcode-lsp-<target triple>.tar.gz`, `.zip` on Windows, with the binary
//! at the top of the archive.

use std::fs;

use zed_extension_api::{self as zed, settings::LspSettings, LanguageServerId, Result};

const REPO: &str = "errcode-lsp/errcode-lsp";
const SERVER: &str = "errcode-lsp";

struct ErrcodeExtension {
    /// The downloaded binary found or installed earlier in this session.
    cached_binary_path: Option<String>,
}

/// The target triple of the release archive that runs on this platform.
fn release_target(os: zed::Os, arch: zed::Architecture) -> Result<&'static str> {
    Ok(match (os, arch) {
        (zed::Os::Mac, zed::Architecture::Aarch64) => "aarch64-apple-darwin",
        (zed::Os::Mac, zed::Architecture::X8664) => "x86_64-apple-darwin",
        // Built against glibc 2.17: runs on every glibc distribution Zed supports.
        (zed::Os::Linux, zed::Architecture::Aarch64) => "aarch64-unknown-linux-gnu",
        (zed::Os::Linux, zed::Architecture::X8664) => "x86_64-unknown-linux-gnu",
        (zed::Os::Windows, zed::Architecture::Aarch64) => "aarch64-pc-windows-msvc",
        (zed::Os::Windows, zed::Architecture::X8664) => "x86_64-pc-windows-msvc",
        (_, zed::Architecture::X86) => {
            return Err("errcode-lsp has no prebuilt binary for 32-bit x86; install it with `cargo install errcode-lsp` and put it on PATH".into())
        }
    })
}

/// (archive name, file type, binary name inside the archive) for a target triple.
fn archive_for(target: &str) -> (String, zed::DownloadedFileType, &'static str) {
    if target.contains("-windows-") {
        (format!("{SERVER}-{target}.zip"), zed::DownloadedFileType::Zip, "errcode-lsp.exe")
    } else {
        (format!("{SERVER}-{target}.tar.gz"), zed::DownloadedFileType::GzipTar, "errcode-lsp")
    }
}

impl ErrcodeExtension {
    fn downloaded_binary(&mut self, language_server_id: &LanguageServerId) -> Result<String> {
        if let Some(path) = &self.cached_binary_path {
            if fs::metadata(path).is_ok_and(|m| m.is_file()) {
                return Ok(path.clone());
            }
        }
        let (os, arch) = zed::current_platform();
        let target = release_target(os, arch)?;
        let (archive, file_type, binary) = archive_for(target);

        zed::set_language_server_installation_status(
            language_server_id,
            &zed::LanguageServerInstallationStatus::CheckingForUpdate,
        );
        let release = match zed::latest_github_release(
            REPO,
            zed::GithubReleaseOptions { require_assets: true, pre_release: false },
        ) {
            Ok(release) => release,
            Err(err) => {
                // Offline or rate-limited: keep using a binary downloaded before.
                if let Some(path) = newest_downloaded(binary) {
                    zed::set_language_server_installation_status(
                        language_server_id,
                        &zed::LanguageServerInstallationStatus::None,
                    );
                    self.cached_binary_path = Some(path.clone());
                    return Ok(path);
                }
                return Err(format!("cannot look up the latest errcode-lsp release: {err}"));
            }
        };
        let asset = release
            .assets
            .iter()
            .find(|a| a.name == archive)
            .ok_or_else(|| format!("release {} has no asset {archive}", release.version))?;

        let version_dir = format!("{SERVER}-{}", release.version);
        let binary_path = format!("{version_dir}/{binary}");
        if !fs::metadata(&binary_path).is_ok_and(|m| m.is_file()) {
            zed::set_language_server_installation_status(
                language_server_id,
                &zed::LanguageServerInstallationStatus::Downloading,
            );
            zed::download_file(&asset.download_url, &version_dir, file_type)
                .map_err(|e| format!("downloading {archive} failed: {e}"))?;
            zed::make_file_executable(&binary_path)?;
            // Remove the versions this one replaces.
            if let Ok(entries) = fs::read_dir(".") {
                for entry in entries.flatten() {
                    let name = entry.file_name().to_string_lossy().into_owned();
                    if name.starts_with(&format!("{SERVER}-")) && name != version_dir {
                        fs::remove_dir_all(entry.path()).ok();
                    }
                }
            }
        }
        zed::set_language_server_installation_status(language_server_id, &zed::LanguageServerInstallationStatus::None);
        self.cached_binary_path = Some(binary_path.clone());
        Ok(binary_path)
    }
}

/// A binary from an earlier download, if one is there.
fn newest_downloaded(binary: &str) -> Option<String> {
    let mut dirs: Vec<String> = fs::read_dir(".")
        .ok()?
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|name| name.starts_with(&format!("{SERVER}-")))
        .collect();
    dirs.sort();
    dirs.into_iter()
        .rev()
        .map(|dir| format!("{dir}/{binary}"))
        .find(|path| fs::metadata(path).is_ok_and(|m| m.is_file()))
}

impl zed::Extension for ErrcodeExtension {
    fn new() -> Self {
        ErrcodeExtension { cached_binary_path: None }
    }

    fn language_server_command(
        &mut self,
        language_server_id: &LanguageServerId,
        worktree: &zed::Worktree,
    ) -> Result<zed::Command> {
        let binary = LspSettings::for_worktree(language_server_id.as_ref(), worktree).ok().and_then(|s| s.binary);
        let args = binary.as_ref().and_then(|b| b.arguments.clone()).unwrap_or_default();
        let command = match binary.and_then(|b| b.path).or_else(|| worktree.which(SERVER)) {
            Some(path) => path,
            None => self.downloaded_binary(language_server_id).map_err(|e| {
                format!(
                    "{e}. Install errcode-lsp (see https://github.com/{REPO}#install) and put it on PATH, or set lsp.errcode-lsp.binary.path"
                )
            })?,
        };
        Ok(zed::Command { command, args, env: worktree.shell_env() })
    }

    fn language_server_initialization_options(
        &mut self,
        language_server_id: &LanguageServerId,
        worktree: &zed::Worktree,
    ) -> Result<Option<zed::serde_json::Value>> {
        Ok(LspSettings::for_worktree(language_server_id.as_ref(), worktree).ok().and_then(|s| s.initialization_options))
    }

    fn language_server_workspace_configuration(
        &mut self,
        language_server_id: &LanguageServerId,
        worktree: &zed::Worktree,
    ) -> Result<Option<zed::serde_json::Value>> {
        Ok(LspSettings::for_worktree(language_server_id.as_ref(), worktree).ok().and_then(|s| s.settings))
    }
}

zed::register_extension!(ErrcodeExtension);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn archive_names_follow_dist_package_py() {
        let (name, _, bin) = archive_for("x86_64-unknown-linux-gnu");
        assert_eq!((name.as_str(), bin), ("errcode-lsp-x86_64-unknown-linux-gnu.tar.gz", "errcode-lsp"));
        let (name, _, bin) = archive_for("aarch64-pc-windows-msvc");
        assert_eq!((name.as_str(), bin), ("errcode-lsp-aarch64-pc-windows-msvc.zip", "errcode-lsp.exe"));
        assert_eq!(release_target(zed::Os::Mac, zed::Architecture::Aarch64), Ok("aarch64-apple-darwin"));
        assert!(release_target(zed::Os::Linux, zed::Architecture::X86).is_err());
    }
}
