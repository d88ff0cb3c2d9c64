//! End-to-end tests of the language server: each spawns the real binary and speaks LSP over
//! stdio, one file per feature.

#[path = "../common/mod.rs"]
mod common;

mod code_action;
mod completion;
mod config;
mod diagnostics;
mod edits;
mod fixture_language;
mod hover;
mod initialize;
mod lifecycle;
mod locale;
mod numeric;
mod parity;
mod robustness;
mod workspace;
