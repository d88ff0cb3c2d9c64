//! errcode-lsp: finds error-code string literals in source and config files and checks them
//! against catalogs of known codes.
//!
//! Architecture Invariant: the core modules (`catalog`, `scan`, `analysis`, `config`, `text`)
//! know nothing about LSP or JSON-RPC; only `lsp` and `cli` do.

pub mod catalog;
pub mod error;
pub mod scan;
