//! errcode-lsp: the language server and the command line over `errcode-core`.
//!
//! Architecture Invariant: this crate converts between the outside world (LSP messages,
//! command-line arguments, terminals, files to rewrite) and the core, and holds no analysis of
//! its own.

pub mod cli;
pub mod lsp;
