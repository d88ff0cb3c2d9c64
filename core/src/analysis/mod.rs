//! Text + catalogs -> findings (misspelled and deprecated codes), code references for hover,
//! and completion contexts. Byte offsets only; no protocol types.

pub mod completion;
pub mod matcher;
pub mod numeric;
pub mod tokens;

use std::collections::BTreeSet;
use std::hash::{Hash, Hasher};
use std::sync::{Arc, Mutex};

use rustc_hash::FxHashMap;

use crate::catalog::{builtin, CatalogSet};
use crate::config::{Severities, Severity};
use crate::fix::{self, Applicability};
use crate::messages::{Facts, Message};
use crate::scan::{self, Lang, Span, SpanKind};
use crate::text::LineIndex;

pub use completion::{completion_at, CompletionContext, Rule};
use matcher::{Class, Matcher};
use tokens::Token;

/// The kind of a finding.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum FindingKind {
    /// Not a known code, but clearly a misspelling of one.
    Misspelled,
    /// A known code that is deprecated in favour of another.
    Deprecated,
}

impl FindingKind {
    /// The stable name used in JSON output, SARIF rule ids and LSP diagnostic codes.
    pub fn as_str(self) -> &'static str {
        match self {
            FindingKind::Misspelled => "misspelled",
            FindingKind::Deprecated => "deprecated",
        }
    }

    /// The LSP diagnostic code / SARIF rule id.
    pub fn rule_id(self) -> &'static str {
        match self {
            FindingKind::Misspelled => "misspelled-code",
            FindingKind::Deprecated => "deprecated-code",
        }
    }
}

/// A problem with one literal at one place. Its text (kind, message, suggestions, ...) is the
/// literal's [`Verdict`], shared by every place the literal appears; fields of the verdict
/// read through the finding (`finding.message`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Finding {
    /// Byte range of the offending token.
    pub start: usize,
    pub end: usize,
    pub verdict: Arc<Verdict>,
    /// Whether fix-all and `check --fix` may apply the fix without being asked (see
    /// [`crate::fix::applicability`]); an unsafe finding's verdict says to handle the
    /// replacement as well.
    pub applicability: Applicability,
}

impl std::ops::Deref for Finding {
    type Target = Verdict;

    fn deref(&self) -> &Verdict {
        &self.verdict
    }
}

/// What is wrong with a literal, wherever it appears.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Verdict {
    pub kind: FindingKind,
    /// The token as written.
    pub literal: String,
    /// Replacement codes, best first.
    pub suggestions: Vec<String>,
    /// The replacement that `--fix` and the preferred quick fix apply, when unambiguous.
    pub fix: Option<String>,
    pub severity: Severity,
    /// What to tell the user, as facts: each output renders it in its language.
    pub message: Message,
}

/// A code-shaped token inside a literal, for hover and references.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CodeRef {
    pub start: usize,
    pub end: usize,
    pub code: String,
}

/// Remembers the verdict on each standalone literal across analyses (files in `check`,
/// versions in the editor), so a literal is matched against the catalogs once. Sharded to keep
/// parallel workers from contending; each shard is cleared when it grows past a bound.
#[derive(Debug)]
struct VerdictCache {
    shards: [Mutex<Verdicts>; 16],
}

impl Default for VerdictCache {
    fn default() -> Self {
        // Sized up front: growing the tables showed up in profiles of large trees.
        VerdictCache {
            shards: std::array::from_fn(|_| Mutex::new(Verdicts::with_capacity_and_hasher(4096, Default::default()))),
        }
    }
}

/// Literal -> what is wrong with it, or `None` when it is fine.
type Verdicts = FxHashMap<Box<str>, Option<Arc<Verdict>>>;

impl VerdictCache {
    const SHARD_LIMIT: usize = 16 * 1024;

    fn shard(&self, literal: &str) -> &Mutex<Verdicts> {
        let mut hasher = rustc_hash::FxHasher::default();
        literal.hash(&mut hasher);
        &self.shards[hasher.finish() as usize % self.shards.len()]
    }

    fn get_or_insert(&self, literal: &str, compute: impl FnOnce() -> Option<Verdict>) -> Option<Arc<Verdict>> {
        let shard = self.shard(literal);
        if let Some(found) = shard.lock().unwrap_or_else(|e| e.into_inner()).get(literal) {
            return found.clone();
        }
        let verdict = compute().map(Arc::new);
        let mut map = shard.lock().unwrap_or_else(|e| e.into_inner());
        if map.len() >= Self::SHARD_LIMIT {
            map.clear();
        }
        map.insert(literal.into(), verdict.clone());
        verdict
    }
}

/// Analyses texts against a set of catalogs, an allow list and severities.
#[derive(Debug)]
pub struct Analyzer {
    catalogs: Arc<CatalogSet>,
    matcher: Matcher,
    allow: BTreeSet<String>,
    severities: Severities,
    verdicts: VerdictCache,
    /// The catalogs' numeric codes (`numeric.rs`).
    numeric: numeric::NumericCodes,
}

impl Analyzer {
    pub fn new(catalogs: Arc<CatalogSet>, allow: BTreeSet<String>, severities: Severities) -> Analyzer {
        let matcher = Matcher::new(catalogs.codes().iter().map(String::as_str));
        let numeric = numeric::NumericCodes::new(&catalogs);
        Analyzer { catalogs, matcher, allow, severities, verdicts: VerdictCache::default(), numeric }
    }

    pub fn catalogs(&self) -> &Arc<CatalogSet> {
        &self.catalogs
    }

    pub fn severities(&self) -> Severities {
        self.severities
    }

    pub fn is_allowed(&self, literal: &str) -> bool {
        self.allow.contains(literal)
    }

    /// All findings in `text`, in order, minus those silenced by `errcode-ignore` comments or
    /// switched off by severity.
    pub fn analyze(&self, lang: Lang, text: &str) -> Vec<Finding> {
        if self.catalogs.is_empty() {
            return Vec::new();
        }
        self.analyze_spans(text, &scan::scan(lang, text))
    }

    /// Like [`Analyzer::analyze`], over spans already scanned from `text`.
    pub fn analyze_spans(&self, text: &str, spans: &[Span]) -> Vec<Finding> {
        self.run(text, spans, None)
    }

    /// The findings and the references to known codes of `text`, in one pass.
    pub fn analyze_with_refs(&self, text: &str, spans: &[Span]) -> (Vec<Finding>, Vec<CodeRef>) {
        let mut refs = Vec::new();
        let findings = self.run(text, spans, Some(&mut refs));
        (findings, refs)
    }

    fn run(&self, text: &str, spans: &[Span], mut refs: Option<&mut Vec<CodeRef>>) -> Vec<Finding> {
        if self.catalogs.is_empty() {
            return Vec::new();
        }
        let mut findings = Vec::new();
        let mut tokens = Vec::new();
        // The verdicts of deprecated codes where they are compared, per shared verdict.
        let mut unsafe_verdicts: FxHashMap<*const Verdict, Arc<Verdict>> = FxHashMap::default();
        for span in spans.iter().filter(|s| s.kind != SpanKind::Comment) {
            tokens.clear();
            if refs.is_some() {
                tokens::tokens(text, span.start, span.end, &mut tokens);
            } else {
                // Without references to collect, only literals that are lists of codes matter.
                tokens::code_list(text, span.start, span.end, &mut tokens);
            }
            if tokens.is_empty() {
                // No code-shaped token; the literal may still be a code with its underscores
                // dropped (`INVALIDPARAM`).
                if let Some(verdict) = self.joined_word(text, span) {
                    // A misspelling: its fix is always safe.
                    findings.push(Finding {
                        start: span.start,
                        end: span.end,
                        verdict,
                        applicability: Applicability::Safe,
                    });
                }
                continue;
            }
            // Whether the literal is one piece of an interpolated string: asked only of tokens
            // past the cheap exits below, once per literal.
            let mut piece = None;
            for token in &tokens {
                let literal = &text[token.start..token.end];
                // The matcher knows every code-shaped code; others only the catalogs do.
                let class = match token.code_shaped {
                    true => self.matcher.classify(literal),
                    false if self.catalogs.contains(literal) => Class::Known,
                    false => Class::Far,
                };
                let known = class == Class::Known;
                if let Some(refs) = refs.as_deref_mut().filter(|_| known) {
                    refs.push(CodeRef { start: token.start, end: token.end, code: literal.to_string() });
                }
                if !token.standalone {
                    continue;
                }
                // Cheap exits first: known codes that are not deprecated are by far the most common,
                // and unknown tokens far from every code (most of them) are never misspellings: the
                // verdict cache then only holds likely findings.
                if (known && !self.catalogs.is_deprecated(literal))
                    || (!known && (class == Class::Far || self.severities.misspelled == Severity::Off))
                    || *piece.get_or_insert_with(|| is_interpolation_piece(text, span))
                {
                    continue;
                }
                if let Some(mut verdict) = self.verdicts.get_or_insert(literal, || self.check_token(literal)) {
                    let applicability = fix::applicability(verdict.kind, text, *span, token.start, token.end);
                    if applicability == Applicability::Unsafe {
                        verdict = unsafe_verdicts
                            .entry(Arc::as_ptr(&verdict))
                            .or_insert_with(|| unsafe_verdict(&verdict))
                            .clone();
                    }
                    findings.push(Finding { start: token.start, end: token.end, verdict, applicability });
                }
            }
        }
        if !findings.is_empty() {
            drop_suppressed(text, spans, &mut findings);
        }
        findings
    }

    /// The verdict on a literal that is one word of upper-case letters and digits, when it is
    /// a known code with its underscores dropped. Most literals are rejected at their first
    /// byte or their length, the rest by one hash lookup.
    fn joined_word(&self, text: &str, span: &Span) -> Option<Arc<Verdict>> {
        let word = &text[span.start..span.end];
        let bytes = word.as_bytes();
        if !bytes.first()?.is_ascii_uppercase()
            || bytes.len() < matcher::MIN_LEN
            || !bytes.iter().all(|b| b.is_ascii_uppercase() || b.is_ascii_digit())
        {
            return None;
        }
        self.matcher.joined(word)?;
        if self.severities.misspelled == Severity::Off || is_interpolation_piece(text, span) {
            return None;
        }
        self.verdicts.get_or_insert(word, || self.check_token(word))
    }

    /// The verdict on one standalone token.
    fn check_token(&self, literal: &str) -> Option<Verdict> {
        if self.allow.contains(literal) {
            return None;
        }
        if self.catalogs.contains(literal) {
            let entry = self.catalogs.deprecation(literal)?;
            let severity = self.severities.deprecated;
            if severity == Severity::Off {
                return None;
            }
            let replacement = entry.replaced_by.clone()?;
            let message = Message::new(Facts::Deprecated { literal: literal.to_string(), to: replacement.clone() });
            return Some(Verdict {
                kind: FindingKind::Deprecated,
                literal: literal.to_string(),
                suggestions: vec![replacement.clone()],
                fix: Some(replacement),
                severity,
                message,
            });
        }
        // A code in any built-in catalog (even an inactive one) is never a misspelling.
        let severity = self.severities.misspelled;
        if severity == Severity::Off || builtin::is_known(literal) {
            return None;
        }
        let mut suggestions = self.matcher.near_miss(literal)?.suggestions;
        let best = suggestions[0].clone();
        // A typo of a deprecated code is fixed straight to its replacement.
        let (message, fix) = match self.catalogs.deprecation(&best).and_then(|e| e.replaced_by.clone()) {
            Some(to) => {
                suggestions.retain(|s| *s != to);
                suggestions.insert(0, to.clone());
                (Facts::MisspelledDeprecated { literal: literal.to_string(), best, to: to.clone() }.into(), to)
            }
            None => (Facts::Misspelled { literal: literal.to_string(), best: best.clone() }.into(), best),
        };
        Some(Verdict {
            kind: FindingKind::Misspelled,
            literal: literal.to_string(),
            message,
            suggestions,
            fix: Some(fix),
            severity,
        })
    }

    /// The known code under byte `offset` of `text`, given the text's spans. The opening quote
    /// of a literal counts as part of it (a cursor there is on the code, for hover and friends).
    pub fn code_at(&self, text: &str, spans: &[Span], offset: usize) -> Option<CodeRef> {
        let on_opening_quote = || {
            let quote = matches!(text.as_bytes().get(offset), Some(b'"' | b'\'' | b'`'));
            let opens = spans.iter().any(|s| s.kind == SpanKind::Literal && s.start == offset + 1);
            (quote && opens).then(|| token_at(text, spans, offset + 1)).flatten()
        };
        if let Some(token) = token_at(text, spans, offset).or_else(on_opening_quote) {
            let code = &text[token.start..token.end];
            return self.catalogs.contains(code).then(|| CodeRef {
                start: token.start,
                end: token.end,
                code: code.to_string(),
            });
        }
        // A whole literal that is a code of another shape (`"SUCCESS"`, `"RequestLimitExceeded"`).
        let span = literal_span_at(spans, offset)
            .or_else(|| literal_span_at(spans, offset + 1).filter(|s| s.start == offset + 1))
            .filter(|s| s.kind == SpanKind::Literal)?;
        let code = text.get(span.start..span.end)?;
        self.catalogs.contains(code).then(|| CodeRef { start: span.start, end: span.end, code: code.to_string() })
    }

    /// Every known code referenced in `text` (any token inside a literal), given its spans.
    pub fn references(&self, text: &str, spans: &[Span]) -> Vec<CodeRef> {
        self.analyze_with_refs(text, spans).1
    }
}

/// The verdict on a deprecated code where it is compared or matched: services may still send
/// it, so the message says to handle the replacement as well.
fn unsafe_verdict(verdict: &Verdict) -> Arc<Verdict> {
    let to = verdict.fix.as_deref().unwrap_or_default();
    let message = Message::new(Facts::DeprecatedMatched { literal: verdict.literal.clone(), to: to.to_string() });
    Arc::new(Verdict { message, ..verdict.clone() })
}

/// The code-shaped token (known or not) under byte `offset`, inside a literal or config scalar.
pub fn token_at(text: &str, spans: &[Span], offset: usize) -> Option<Token> {
    let span = literal_span_at(spans, offset)?;
    let mut tokens = Vec::new();
    tokens::tokens(text, span.start, span.end, &mut tokens);
    tokens.into_iter().find(|t| t.code_shaped && t.start <= offset && offset <= t.end)
}

/// The literal or config-scalar span containing byte `offset` (its ends included). `spans`
/// must be sorted, as the scanner returns them.
pub fn literal_span_at(spans: &[Span], offset: usize) -> Option<Span> {
    let after = spans.partition_point(|s| s.start <= offset);
    // Spans do not overlap, so only the last two starting at or before `offset` can hold it
    // (two when one ends exactly where the next, possibly empty, one starts).
    spans[..after]
        .iter()
        .rev()
        .take(2)
        .find(|s| s.kind != SpanKind::Comment && s.start <= offset && offset <= s.end)
        .copied()
}

/// A literal span that is one piece of an interpolated string (`${a}FOO_BAR`, `f"{x}FOO_BAR"`):
/// its tokens are not whole literals.
fn is_interpolation_piece(text: &str, span: &Span) -> bool {
    if span.kind != SpanKind::Literal {
        return false;
    }
    let bytes = text.as_bytes();
    let before = span.start.checked_sub(1).map(|i| bytes[i]);
    let after = &bytes[span.end..];
    matches!(before, Some(b'}') | Some(b')'))
        || after.starts_with(b"${")
        || after.starts_with(b"#{")
        || after.starts_with(b"\\(")
        || (after.first() == Some(&b'{') && after.get(1) != Some(&b'{'))
}

/// Removes findings silenced by `errcode-ignore` (same line) or `errcode-ignore-next-line`
/// (the line after the comment) in any comment.
fn drop_suppressed(text: &str, spans: &[Span], findings: &mut Vec<Finding>) {
    const MARKER: &str = "errcode-ignore";
    const NEXT: &str = "-next-line";
    // Most files have no marker at all: one fast search of the whole text says so.
    // Built once: `memmem::find` would build a searcher per file.
    static FINDER: std::sync::LazyLock<memchr::memmem::Finder<'static>> =
        std::sync::LazyLock::new(|| memchr::memmem::Finder::new(MARKER.as_bytes()));
    if FINDER.find(text.as_bytes()).is_none() {
        return;
    }
    // (offset of a marker, whether it is for the next line)
    let markers: Vec<(usize, bool)> = spans
        .iter()
        .filter(|s| s.kind == SpanKind::Comment)
        .flat_map(|span| {
            let comment = &text[span.start..span.end];
            comment
                .match_indices(MARKER)
                .map(move |(at, _)| (span.start + at, comment[at + MARKER.len()..].starts_with(NEXT)))
        })
        .collect();
    if markers.is_empty() {
        return;
    }
    let index = LineIndex::new(text);
    let silenced: BTreeSet<usize> = markers.iter().map(|&(at, next)| index.line_of(at) + usize::from(next)).collect();
    findings.retain(|f| !silenced.contains(&index.line_of(f.start)));
}
