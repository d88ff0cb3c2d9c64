//! errcode-core: finds error-code string literals in source and config files and checks them
//! against catalogs of known codes. The language server and the CLI (the `errcode-lsp` crate)
//! are thin edges over it.
//!
//! Architecture Invariant: nothing here knows about LSP, JSON-RPC, tokio or terminals; the
//! crate does not depend on them, so the compiler keeps the boundary. Everything works in UTF-8
//! byte offsets.

pub mod activation;
pub mod analysis;
pub mod catalog;
pub mod config;
pub mod docs;
pub mod error;
pub mod files;
pub mod fix;
pub mod import;
pub mod index;
pub mod locale;
pub mod messages;
pub mod project;
pub mod report;
pub mod scan;
pub mod schema;
pub mod text;
pub mod walk;
pub mod write;
