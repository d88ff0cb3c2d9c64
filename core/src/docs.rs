//! Documentation of a code as Markdown or plain text, for hovers and `errcode-lsp explain`.

use crate::catalog::{Catalog, CatalogSet, Entry, Status};

/// Markdown documentation of `code` from every active catalog that lists it.
pub fn markdown(set: &CatalogSet, code: &str) -> Option<String> {
    let mut out = String::new();
    for (i, (catalog, entry)) in set.lookup(code).enumerate() {
        if i > 0 {
            out.push_str("\n---\n\n");
        }
        entry_markdown(&mut out, catalog, entry);
    }
    // Catalog text is untrusted (team catalogs come from the repository): no raw HTML, no
    // images, web links only.
    (!out.is_empty()).then(|| crate::text::markdown::sanitize(&out, None))
}

fn entry_markdown(out: &mut String, catalog: &Catalog, entry: &Entry) {
    out.push_str(&format!("**`{}`**", entry.code));
    if let Some(n) = entry.numeric.filter(|n| n.to_string() != entry.code) {
        out.push_str(&format!(" ({n})"));
    }
    out.push_str(&format!(" · {} · {}\n\n", catalog.name(), entry.category));
    match entry.status {
        Status::Deprecated => {
            let to = entry.replaced_by.as_deref().unwrap_or("?");
            out.push_str(&format!("⚠️ **Deprecated**: use `{to}` instead.\n\n"));
        }
        Status::Legacy => out.push_str("🕰 **Legacy**: no longer documented.\n\n"),
        Status::Current => {}
    }
    out.push_str(entry.summary.trim());
    out.push_str("\n\n");
    if !entry.details.trim().is_empty() {
        out.push_str(entry.details.trim());
        out.push_str("\n\n");
    }
    if let Some(note) = &entry.note {
        out.push_str(&format!("*Note:* {}\n\n", note.trim()));
    }
    if let Some(docs) = &entry.docs {
        out.push_str(&format!("[Documentation]({docs})\n"));
    }
    while out.ends_with("\n\n") {
        out.pop();
    }
}

/// Plain-text documentation of `code`, for clients without Markdown and for terminals.
pub fn plain(set: &CatalogSet, code: &str) -> Option<String> {
    let mut out = String::new();
    for (i, (catalog, entry)) in set.lookup(code).enumerate() {
        if i > 0 {
            out.push_str("\n\n");
        }
        out.push_str(&entry.code);
        if let Some(n) = entry.numeric.filter(|n| n.to_string() != entry.code) {
            out.push_str(&format!(" ({n})"));
        }
        out.push_str(&format!(" - {} / {}\n", catalog.name(), entry.category));
        match entry.status {
            Status::Deprecated => {
                out.push_str(&format!("Deprecated: use {} instead.\n", entry.replaced_by.as_deref().unwrap_or("?")))
            }
            Status::Legacy => out.push_str("Legacy: no longer documented.\n"),
            Status::Current => {}
        }
        out.push('\n');
        out.push_str(entry.summary.trim());
        out.push('\n');
        if !entry.details.trim().is_empty() {
            out.push('\n');
            out.push_str(&strip_markdown(entry.details.trim()));
            out.push('\n');
        }
        if let Some(note) = &entry.note {
            out.push_str(&format!("\nNote: {}\n", note.trim()));
        }
        if let Some(docs) = &entry.docs {
            out.push_str(&format!("\nDocs: {docs}\n"));
        }
    }
    (!out.is_empty()).then(|| out.trim_end().to_string())
}

/// Drops Markdown emphasis and code marks, keeping the words.
fn strip_markdown(s: &str) -> String {
    s.replace("**", "").replace('`', "")
}
