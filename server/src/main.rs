//! The `errcode-lsp` binary: the CLI and, without a subcommand, the language server.

fn main() -> std::process::ExitCode {
    errcode_lsp::cli::run()
}
