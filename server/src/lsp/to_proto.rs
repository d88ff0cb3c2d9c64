//! Core values to LSP values: findings to diagnostics.

use ropey::Rope;
use serde_json::json;
use tower_lsp_server::ls_types::*;

use super::convert::{self, Encoding};
use crate::analysis::{Finding, FindingKind};
use crate::config::Severity;

/// The `source` of every diagnostic we publish.
pub const SOURCE: &str = "errcode";

pub fn severity(s: Severity) -> DiagnosticSeverity {
    match s {
        Severity::Error => DiagnosticSeverity::ERROR,
        Severity::Warning => DiagnosticSeverity::WARNING,
        Severity::Info => DiagnosticSeverity::INFORMATION,
        Severity::Hint | Severity::Off => DiagnosticSeverity::HINT,
    }
}

/// A finding as a diagnostic; the fix travels in `data` so code actions need no re-analysis.
pub fn diagnostic(rope: &Rope, enc: Encoding, f: &Finding) -> Diagnostic {
    Diagnostic {
        range: convert::range(rope, f.start, f.end, enc),
        severity: Some(severity(f.severity)),
        code: Some(NumberOrString::String(f.kind.rule_id().to_string())),
        source: Some(SOURCE.to_string()),
        message: f.message.clone(),
        tags: (f.kind == FindingKind::Deprecated).then(|| vec![DiagnosticTag::DEPRECATED]),
        data: Some(json!({
            "kind": f.kind.as_str(),
            "literal": f.literal,
            "suggestions": f.suggestions,
            "fix": f.fix,
        })),
        ..Default::default()
    }
}
