//! Core values to LSP values: findings to diagnostics.

use serde_json::json;
use tower_lsp_server::ls_types::*;

use super::convert::{self, Encoding};
use errcode_core::analysis::{Finding, FindingKind};
use errcode_core::catalog::CatalogSet;
use errcode_core::config::Severity;
use errcode_core::text::markdown;

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

/// What the client takes in a diagnostic beyond the basics, and what it needs to build them.
pub struct DiagnosticContext<'a> {
    /// The document the diagnostics are for (related information points into it).
    pub uri: &'a Uri,
    /// The catalogs, for documentation links and candidate summaries.
    pub catalogs: &'a CatalogSet,
    /// The project root: documentation links may be `file:` URLs inside it (else only http).
    pub root: &'a std::path::Path,
    /// `codeDescription.href`: a link to the code's documentation.
    pub code_description: bool,
    /// `relatedInformation`: the other candidates of a misspelling.
    pub related_information: bool,
}

/// The findings of `text` (sorted, as the analyzer returns them) as diagnostics, converting
/// positions in one forward pass.
pub fn diagnostics(text: &str, enc: Encoding, findings: &[Finding], cx: &DiagnosticContext) -> Vec<Diagnostic> {
    let offsets: Vec<usize> = findings.iter().flat_map(|f| [f.start, f.end]).collect();
    let positions = convert::positions_forward(text, &offsets, enc);
    findings.iter().zip(positions.chunks(2)).map(|(f, p)| diagnostic(Range { start: p[0], end: p[1] }, f, cx)).collect()
}

/// A finding as a diagnostic; the fix travels in `data` so code actions need no re-analysis.
pub fn diagnostic(range: Range, f: &Finding, cx: &DiagnosticContext) -> Diagnostic {
    // The code the documentation link is about: the deprecated code itself, or the code a
    // misspelling most likely means.
    let documented = match f.kind {
        FindingKind::Deprecated => Some(f.literal.as_str()),
        FindingKind::Misspelled => f.suggestions.first().map(String::as_str),
    };
    let code_description = documented
        .filter(|_| cx.code_description)
        .and_then(|code| cx.catalogs.lookup(code).find_map(|(_, e)| docs_link(e.docs.as_deref()?, cx.root)))
        .map(|href| CodeDescription { href });
    // The runner-up candidates of a misspelling, each with what it means.
    let related: Vec<DiagnosticRelatedInformation> = match f.kind {
        FindingKind::Misspelled if cx.related_information => f
            .suggestions
            .iter()
            .skip(1)
            .map(|code| {
                let summary = cx.catalogs.primary(code).map(|(_, e)| e.summary.trim().to_string()).unwrap_or_default();
                DiagnosticRelatedInformation {
                    location: Location { uri: cx.uri.clone(), range },
                    message: format!("or `{code}`: {summary}"),
                }
            })
            .collect(),
        _ => Vec::new(),
    };
    Diagnostic {
        range,
        severity: Some(severity(f.severity)),
        code: Some(NumberOrString::String(f.kind.rule_id().to_string())),
        code_description,
        source: Some(SOURCE.to_string()),
        message: f.message.clone(),
        related_information: (!related.is_empty()).then_some(related),
        tags: (f.kind == FindingKind::Deprecated).then(|| vec![DiagnosticTag::DEPRECATED]),
        data: Some(json!({
            "kind": f.kind.as_str(),
            "literal": f.literal,
            "suggestions": f.suggestions,
            "fix": f.fix,
        })),
    }
}

/// A catalog's `docs` URL as a link for the client: http(s), or a `file:` URL inside the
/// project; `None` for anything else (`javascript:`, `command:`...: catalog text is untrusted).
pub fn docs_link(docs: &str, root: &std::path::Path) -> Option<Uri> {
    markdown::safe_link(docs, Some(root))?.parse().ok()
}
