//! The HTML report (`report --format html`): one self-contained page, written through [`Html`],
//! which escapes by construction: markup can only be a `&'static str` written in this file,
//! and everything that comes from the project (code names, summaries, paths, catalog names)
//! goes through [`Html::text`] or [`Html::attr`], which escape it. The style sheet is
//! `report.css`, included at compile time.

use errcode_core::catalog::Status;
use errcode_core::report::{percent, Location, Report};

use super::super::report::{headline, inactive_message, plural};

/// The page's style sheet.
const CSS: &str = include_str!("report.css");

/// An HTML document being written. Markup is `&'static str` only; text and attribute values
/// are escaped on the way in.
#[derive(Default)]
pub struct Html(String);

impl Html {
    /// Markup written in this file.
    fn raw(&mut self, markup: &'static str) -> &mut Self {
        self.0.push_str(markup);
        self
    }

    /// Text content, escaped.
    fn text(&mut self, text: &str) -> &mut Self {
        escape_into(&mut self.0, text);
        self
    }

    /// An attribute value (inside double quotes), escaped.
    fn attr(&mut self, value: &str) -> &mut Self {
        escape_into(&mut self.0, value);
        self
    }

    fn num(&mut self, n: usize) -> &mut Self {
        self.0.push_str(itoa::Buffer::new().format(n));
        self
    }

    /// Text with `backquoted` spans as `<code>`, as the project status and catalog
    /// descriptions are written (Markdown's inline code), so no backtick shows on the page.
    fn inline_code(&mut self, text: &str) -> &mut Self {
        for (i, part) in text.split('`').enumerate() {
            if i % 2 == 1 {
                self.raw("<code>").text(part).raw("</code>");
            } else {
                self.text(part);
            }
        }
        self
    }

    /// `code` in `<code>`, linked to its documentation when there is a link.
    fn code(&mut self, code: &str, docs: Option<&str>) -> &mut Self {
        match docs {
            Some(url) if url.starts_with("https://") || url.starts_with("http://") => {
                self.raw("<a href=\"").attr(url).raw("\"><code>").text(code).raw("</code></a>")
            }
            _ => self.raw("<code>").text(code).raw("</code>"),
        }
    }

    fn locations(&mut self, locations: &[Location]) -> &mut Self {
        self.raw(if locations.len() <= 3 { "<details open><summary>" } else { "<details><summary>" });
        self.text(&plural(locations.len(), "location")).raw("</summary><ul>");
        for l in locations {
            self.raw("<li class=\"mono\">").text(&l.to_string()).raw("</li>");
        }
        self.raw("</ul></details>")
    }

    fn bar(&mut self, handled: usize, total: usize) -> &mut Self {
        self.raw("<div class=\"bar\" role=\"img\" aria-label=\"").num(handled).raw(" of ").num(total);
        self.raw(" codes handled\"><span style=\"width:").num(percent(handled, total)).raw("%\"></span></div>")
    }

    fn stat(&mut self, n: usize, of: Option<usize>, label: &'static str) -> &mut Self {
        self.raw("<div class=\"stat\"><div class=\"n\">").num(n);
        if let Some(of) = of {
            self.raw("<span class=\"muted\"> / ").num(of).raw("</span>");
        }
        self.raw("</div><div class=\"l\">").raw(label).raw("</div></div>")
    }
}

/// Escapes text for HTML element content and attribute values.
fn escape_into(out: &mut String, s: &str) {
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
}

/// The whole page.
pub fn report(report: &Report) -> String {
    let p = &report.project;
    let t = &report.totals;
    let mut h = Html::default();
    h.raw("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
    h.raw("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
    h.raw("<title>Error-code report: ").text(&p.name).raw("</title>\n<style>\n").raw(CSS);
    h.raw("</style>\n</head>\n<body>\n<main>\n");
    h.raw("<header>\n<h1>Error-code report: ").text(&p.name).raw("</h1>\n");
    h.raw("<p class=\"meta\">Reported paths ");
    for (i, path) in p.paths.iter().enumerate() {
        if i > 0 {
            h.raw(", ");
        }
        h.raw("<code>").text(path).raw("</code>");
    }
    h.raw(" (locations are relative to the project root)</p>\n");
    if let Some(g) = &report.generated {
        h.raw("<p class=\"meta\">Made ").text(&g.at);
        if let Some(commit) = &g.commit {
            h.raw(" from commit <code>").text(commit).raw("</code>");
        }
        h.raw(" by errcode-lsp ").text(&g.by).raw("</p>\n");
    }
    h.raw("<p class=\"meta\">").inline_code(&p.status).raw("</p>\n");
    if report.catalogs.is_empty() {
        h.raw("</header>\n<section class=\"never\"><h2>Nothing to report</h2><p>");
        h.inline_code(&inactive_message(report)).raw("</p></section>\n</main>\n</body>\n</html>\n");
        return h.0;
    }
    h.raw("<div class=\"stats\">");
    h.stat(t.codes_handled, Some(t.codes_known), "codes handled");
    h.stat(t.categories_handled, Some(t.categories), "categories with a handled code");
    h.stat(t.references, None, "references");
    h.stat(t.files, None, "files with references");
    h.stat(report.findings.len(), None, "uses to fix");
    h.raw("</div>\n<p class=\"meta\">").text(&headline(report)).raw("</p>\n</header>\n");

    if !report.findings.is_empty() {
        h.raw("<section class=\"fixes\" id=\"needs-fixing\">\n<h2>Needs fixing</h2>\n<p>");
        h.text(&plural(report.findings.len(), "use"));
        h.raw(" of misspelled or deprecated codes:</p>\n<table>\n");
        h.raw("<tr><th>Location</th><th>Written</th><th>Use instead</th><th>Problem</th></tr>\n");
        for f in &report.findings {
            h.raw("<tr><td class=\"mono\">").text(&f.location.to_string()).raw("</td><td class=\"code\">");
            h.raw("<code>").text(&f.literal).raw("</code></td><td class=\"code\">");
            for (i, s) in f.suggestions.iter().enumerate() {
                if i > 0 {
                    h.raw(", ");
                }
                h.code(&s.code, s.docs.as_deref());
            }
            h.raw("</td><td>").inline_code(&f.message).raw("</td></tr>\n");
        }
        h.raw("</table>\n</section>\n");
    }

    h.raw("<section class=\"never\" id=\"never-handled\">\n<h2>Never handled</h2>\n");
    if report.never_handled.is_empty() {
        h.raw("<p>Every category has at least one handled code.</p>\n");
    } else {
        let n = report.never_handled.len();
        h.raw("<p>").text(&if n == 1 { "1 category".to_string() } else { format!("{n} categories") });
        h.raw(" without a single reference in the project:</p>\n<ul>\n");
        for n in &report.never_handled {
            h.raw("<li><strong>").text(&n.category).raw("</strong> <span class=\"muted\">").text(&n.catalog);
            h.raw(" &middot; ").text(&plural(n.codes, "code")).raw("</span></li>\n");
        }
        h.raw("</ul>\n");
    }
    h.raw("</section>\n");

    if !report.deprecated.is_empty() {
        h.raw("<section class=\"deprecated\" id=\"deprecated\">\n<h2>Deprecated codes in use</h2>\n<table>\n");
        h.raw("<tr><th>Code</th><th>Use instead</th><th class=\"num\">Count</th><th>Locations</th></tr>\n");
        for d in &report.deprecated {
            h.raw("<tr><td class=\"code\"><code>").text(&d.code).raw("</code></td><td class=\"code\">");
            h.code(&d.replaced_by, d.docs.as_deref()).raw("</td><td class=\"num\">").num(d.count);
            h.raw("</td><td>").locations(&d.locations).raw("</td></tr>\n");
        }
        h.raw("</table>\n</section>\n");
    }

    for catalog in &report.catalogs {
        h.raw("<section class=\"catalog\">\n<h2>").text(&catalog.name).raw(" <span class=\"muted\">&middot; ");
        h.num(catalog.handled).raw(" of ").num(catalog.total).raw(" codes handled</span></h2>\n");
        if !catalog.description.is_empty() {
            h.raw("<p class=\"muted\">").inline_code(&catalog.description).raw("</p>\n");
        }
        for c in &catalog.categories {
            h.raw("<div class=\"card\">\n<div class=\"cat-head\"><h3>").text(&c.name).raw("</h3>");
            if c.handled == 0 && c.legacy {
                h.raw("<span class=\"badge legacy-cat\">legacy</span>");
            } else if c.handled == 0 {
                h.raw("<span class=\"badge never-b\">never handled</span>");
            }
            h.raw("<span class=\"count\">").num(c.handled).raw("/").num(c.total).raw(" &middot; ");
            h.num(percent(c.handled, c.total)).raw("%</span></div>\n").bar(c.handled, c.total).raw("\n");
            if !c.codes.is_empty() {
                h.raw(
                    "<table class=\"codes\">\n<tr><th>Code</th><th class=\"num\">Count</th><th>Locations</th></tr>\n",
                );
                for code in &c.codes {
                    h.raw("<tr><td>").code(&code.code, code.docs.as_deref());
                    h.raw(match code.status {
                        Status::Deprecated => " <span class=\"badge dep\">deprecated</span>",
                        Status::Legacy => " <span class=\"badge legacy\">legacy</span>",
                        Status::Current => "",
                    });
                    h.raw("<div class=\"summary\">").inline_code(&code.summary).raw("</div></td><td class=\"num\">");
                    h.num(code.count).raw("</td><td class=\"locations\">").locations(&code.locations);
                    h.raw("</td></tr>\n");
                }
                h.raw("</table>\n");
            }
            h.raw("</div>\n");
        }
        h.raw("</section>\n");
    }
    h.raw("<footer>Generated by errcode-lsp ").text(env!("CARGO_PKG_VERSION"));
    h.raw(" &middot; <code>errcode-lsp report --format html</code></footer>\n</main>\n</body>\n</html>\n");
    h.0
}
