//! Core values to LSP values: findings to diagnostics.

use std::collections::HashMap;
use std::sync::Arc;

use serde_json::json;
use tower_lsp_server::ls_types::*;

use super::convert::{self, Encoding};
use errcode_core::analysis::{Finding, FindingKind, Verdict};
use errcode_core::catalog::CatalogSet;
use errcode_core::config::Severity;
use errcode_core::docs;
use errcode_core::locale::Locale;
use errcode_core::messages;
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
    /// The language of messages and summaries.
    pub locale: Locale,
}

/// The most diagnostics sent for one document: the first ones in the document. A diagnostic
/// costs about 4 KB on its way out (the struct, its `data`, and the `serde_json::Value` that
/// tower-lsp-server makes of the notification before writing it), so a 4 MB one-line file with
/// 220,000 findings peaked at 1.2 GB; no one reads that many in an editor either. Fix-all and
/// `check` still see every finding.
pub const MAX_DIAGNOSTICS: usize = 10_000;

/// The findings an editor is shown: at most [`MAX_DIAGNOSTICS`], the first ones.
pub fn shown<T>(findings: &[T]) -> &[T] {
    &findings[..findings.len().min(MAX_DIAGNOSTICS)]
}

/// The findings of `text` (sorted, as the analyzer returns them) as diagnostics, converting
/// positions in one forward pass; at most [`MAX_DIAGNOSTICS`].
pub fn diagnostics(text: &str, enc: Encoding, findings: &[Finding], cx: &DiagnosticContext) -> Vec<Diagnostic> {
    if findings.len() > MAX_DIAGNOSTICS {
        tracing::info!(
            uri = cx.uri.as_str(),
            findings = findings.len(),
            "showing the first {MAX_DIAGNOSTICS} findings"
        );
    }
    let findings = shown(findings);
    let offsets: Vec<usize> = findings.iter().flat_map(|f| [f.start, f.end]).collect();
    let positions = convert::positions_forward(text, &offsets, enc);
    // Findings of one literal share their verdict: its diagnostic is built once and copied
    // (a generated file can hold 100,000 copies of one typo).
    let mut built: HashMap<*const Verdict, Diagnostic> = HashMap::new();
    findings
        .iter()
        .zip(positions.chunks(2))
        .map(|(f, p)| {
            let range = Range { start: p[0], end: p[1] };
            let key = Arc::as_ptr(&f.verdict);
            match built.get(&key) {
                Some(template) => {
                    let mut d = template.clone();
                    d.range = range;
                    for related in d.related_information.iter_mut().flatten() {
                        related.location.range = range;
                    }
                    d
                }
                None => {
                    let d = diagnostic(range, f, cx);
                    built.insert(key, d.clone());
                    d
                }
            }
        })
        .collect()
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
        .and_then(|code| cx.catalogs.lookup(code).find_map(|(_, e)| docs_link(e.docs_in(cx.locale.tag())?, cx.root)))
        .map(|href| CodeDescription { href });
    // The runner-up candidates of a misspelling, each with what it means.
    let related: Vec<DiagnosticRelatedInformation> = match f.kind {
        FindingKind::Misspelled if cx.related_information => f
            .suggestions
            .iter()
            .skip(1)
            .map(|code| {
                let summary = docs::summary(cx.catalogs, code, cx.locale).unwrap_or_default();
                DiagnosticRelatedInformation {
                    location: Location { uri: cx.uri.clone(), range },
                    message: messages::or_code(cx.locale, code, summary),
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
        message: f.message.text(cx.locale).to_string(),
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
