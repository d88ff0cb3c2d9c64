//! errcode-lsp: finds error-code string literals in source and config files and checks them
//! against catalogs of known codes.
//!
//! Architecture Invariant: the core modules (`catalog`, `scan`, `analysis`, `config`,
//! `activation`, `project`, `docs`, `fix`, `text`) know nothing about LSP or JSON-RPC; only
//! `lsp` and `cli` do.

pub mod activation;
pub mod analysis;
pub mod catalog;
pub mod cli;
pub mod config;
pub mod docs;
pub mod error;
pub mod fix;
pub mod import;
pub mod index;
pub mod lsp;
pub mod project;
pub mod report;
pub mod scan;
pub mod schema;
pub mod text;
