//! Core values to LSP values: findings to diagnostics.

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

/// The findings of `text` (sorted, as the analyzer returns them) as diagnostics, converting
/// positions in one forward pass.
pub fn diagnostics(text: &str, enc: Encoding, findings: &[Finding]) -> Vec<Diagnostic> {
    let offsets: Vec<usize> = findings.iter().flat_map(|f| [f.start, f.end]).collect();
    let positions = convert::positions_forward(text, &offsets, enc);
    findings.iter().zip(positions.chunks(2)).map(|(f, p)| diagnostic(Range { start: p[0], end: p[1] }, f)).collect()
}

/// A finding as a diagnostic; the fix travels in `data` so code actions need no re-analysis.
pub fn diagnostic(range: Range, f: &Finding) -> Diagnostic {
    Diagnostic {
        range,
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
