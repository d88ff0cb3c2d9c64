//! Catalog text made safe to show as Markdown. Team catalogs come from the repository, so their
//! text is untrusted: a hover must not carry raw HTML (an `<img>` fetching a remote pixel, a
//! `<script>`), images, or links to anything but the web (`command:` runs editor commands,
//! `javascript:` runs script) to the client.
//!
//! [`sanitize`] rewrites Markdown so that, however a client parses it:
//!
//! * no `<` can open an HTML tag, comment or autolink: outside code it becomes `&lt;`; inside
//!   a code span or fenced block (where an entity would show as written) a word joiner
//!   (U+2060, invisible) follows it, which no tag or autolink can start with;
//! * an entity reference (`&lt;`) shows as written (`&amp;lt;`);
//! * an image becomes a link to it (`\!`): nothing is fetched on hover;
//! * an inline link (`[text](target)`) or a link reference definition (`[label]: target`)
//!   whose target is not `http(s)://` (or a `file:` URL inside the project) is broken up into
//!   plain text (`]\(`, `\[`).
//!
//! Safety never rests on telling code from text: the link rules apply everywhere (a code span
//! may show a stray backslash), and both forms of `<` are safe in text and in code. Code spans
//! and fences are found only to show `<` and `&` as written there. Text without `<`, `&`, `![`
//! and non-web links (the built-in catalogs) is returned unchanged.
//!
//! [`safe_link`] decides the same for a catalog's `docs` URL (document links, diagnostics'
//! description links, the hover's "Documentation" link).

use std::path::{Component, Path, PathBuf};

/// Follows a `<` inside code: no tag, comment or autolink starts with it, and it shows nothing.
pub const WORD_JOINER: char = '\u{2060}';
/// A `<` inside code (`<` and [`WORD_JOINER`]).
const LT_IN_CODE: &str = "<\u{2060}";

/// How much of a `file:` link target is read to check it (longer ones are not links).
const MAX_FILE_TARGET: usize = 4096;

/// `markdown` with raw HTML escaped, images turned into links and links to anything but
/// `http(s)://` (or, with `project_root`, a `file:` URL inside it) broken up. See the module
/// documentation.
pub fn sanitize(markdown: &str, project_root: Option<&Path>) -> String {
    let bytes = markdown.as_bytes();
    let code = code_ranges(markdown);
    let mut code = code.iter().peekable();
    let mut in_code = |at: usize| {
        while code.next_if(|r| r.1 <= at).is_some() {}
        code.peek().is_some_and(|r| r.0 <= at)
    };
    let mut out = String::with_capacity(markdown.len() + markdown.len() / 16);
    let mut copied = 0;
    let mut i = 0;
    while i < bytes.len() {
        // What replaces bytes[i..i + len], if anything.
        let (replacement, len): (&str, usize) = match bytes[i] {
            // A backslash escape: the next character is literal.
            b'\\' if bytes.get(i + 1).is_some_and(u8::is_ascii_punctuation) => {
                i += 2;
                continue;
            }
            b'<' if bytes.get(i + 1).is_some_and(|b| !b.is_ascii_whitespace()) => {
                if in_code(i) {
                    (LT_IN_CODE, 1)
                } else {
                    ("&lt;", 1)
                }
            }
            b'&' if entity_len(&bytes[i..]).is_some() && !in_code(i) => ("&amp;", 1),
            b'!' if bytes.get(i + 1) == Some(&b'[') => ("\\!", 1),
            b']' if bytes.get(i + 1) == Some(&b'(') && !allowed_target(&markdown[i + 2..], project_root) => ("]\\(", 2),
            b'[' => match definition_target(&markdown[i..]) {
                Some(target) if !allowed_target(target, project_root) => ("\\[", 1),
                _ => ("", 0),
            },
            _ => ("", 0),
        };
        if len == 0 {
            i += 1;
            continue;
        }
        out.push_str(&markdown[copied..i]);
        out.push_str(replacement);
        i += len;
        copied = i;
    }
    out.push_str(&markdown[copied..]);
    out
}

/// `url` when it is safe to hand a client as a link: an `http://` or `https://` URL with a
/// host, or (with `project_root`) a `file:` URL of a path inside the project (after `..` and,
/// for existing files, symlinks). Anything else (`javascript:`, `command:`, `data:`, relative
/// or malformed URLs, whitespace or control characters) is `None`.
pub fn safe_link<'a>(url: &'a str, project_root: Option<&Path>) -> Option<&'a str> {
    let bad = |c: char| {
        c.is_whitespace() || c.is_control() || matches!(c, '<' | '>' | '"' | '\\' | '`' | '{' | '}' | '|' | '^')
    };
    if url.is_empty() || url.chars().any(bad) {
        return None;
    }
    let (scheme, rest) = url.split_once(':')?;
    if scheme.eq_ignore_ascii_case("http") || scheme.eq_ignore_ascii_case("https") {
        let host = rest.strip_prefix("//")?;
        let ok = host.chars().next().is_some_and(|c| !matches!(c, '/' | '?' | '#' | ':' | '@'));
        return ok.then_some(url);
    }
    if scheme.eq_ignore_ascii_case("file") {
        let path = file_url_path(rest)?;
        return inside(&path, project_root?).then_some(url);
    }
    None
}

/// The local path of the part of a `file:` URL after `file:`: `//` and an empty or `localhost`
/// host, then an absolute, percent-encoded path (a query or fragment is dropped).
fn file_url_path(rest: &str) -> Option<PathBuf> {
    let rest = rest.strip_prefix("//")?;
    let slash = rest.find('/')?;
    let host = &rest[..slash];
    if !(host.is_empty() || host.eq_ignore_ascii_case("localhost")) {
        return None;
    }
    let path = &rest[slash..];
    let path = &path[..path.find(['?', '#']).unwrap_or(path.len())];
    let decoded = percent_decode(path)?;
    #[cfg(unix)]
    let path = {
        use std::os::unix::ffi::OsStringExt;
        PathBuf::from(std::ffi::OsString::from_vec(decoded))
    };
    #[cfg(not(unix))]
    let path = {
        let s = String::from_utf8(decoded).ok()?;
        // `/C:/dir` names `C:/dir`.
        let s = if s.as_bytes().get(2) == Some(&b':') { s[1..].to_string() } else { s };
        PathBuf::from(s)
    };
    Some(path)
}

/// Percent-decoding to bytes; `None` for a bad escape or a NUL.
fn percent_decode(s: &str) -> Option<Vec<u8>> {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' {
            let hex = std::str::from_utf8(b.get(i + 1..i + 3)?).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    (!out.contains(&0)).then_some(out)
}

/// Whether the absolute `path` lies inside `root`: no `..` on the way, and for a path that
/// exists, also after following symlinks.
fn inside(path: &Path, root: &Path) -> bool {
    if !path.is_absolute() || path.components().any(|c| matches!(c, Component::ParentDir)) {
        return false;
    }
    if !path.starts_with(root) {
        return false;
    }
    match (path.canonicalize(), root.canonicalize()) {
        (Ok(real), Ok(real_root)) => real.starts_with(real_root),
        // A path that does not exist (yet) is judged by its name.
        (Err(_), _) => true,
        (Ok(_), Err(_)) => false,
    }
}

/// Whether the target of a link that starts `after` (the text after `](` or `]:`) may stay a
/// link. Angle-bracket targets, entities and escapes in a `file:` target make it plain text.
fn allowed_target(after: &str, project_root: Option<&Path>) -> bool {
    // Spaces and tabs, with at most one line break among them.
    let mut rest = after.trim_start_matches([' ', '\t']);
    if let Some(r) = rest.strip_prefix("\r\n").or_else(|| rest.strip_prefix('\n')).or_else(|| rest.strip_prefix('\r')) {
        rest = r.trim_start_matches([' ', '\t']);
    }
    let starts = |prefix: &str| rest.get(..prefix.len()).is_some_and(|p| p.eq_ignore_ascii_case(prefix));
    if starts("http://") || starts("https://") {
        return true;
    }
    if !(starts("file:") && project_root.is_some()) {
        return false;
    }
    // The whole target: up to white space or the `)` that closes the link.
    let mut depth = 0usize;
    let mut end = rest.len().min(MAX_FILE_TARGET + 1);
    for (i, c) in rest.char_indices() {
        if i > MAX_FILE_TARGET {
            return false;
        }
        match c {
            '\\' | '&' | '<' | '[' | ']' => return false,
            '(' => depth += 1,
            ')' if depth == 0 => {
                end = i;
                break;
            }
            ')' => depth -= 1,
            c if c.is_whitespace() || c.is_control() => {
                end = i;
                break;
            }
            _ => {}
        }
    }
    safe_link(&rest[..end.min(rest.len())], project_root).is_some()
}

/// When `text` starts with what may be a link reference definition's label (`[label]:`, the
/// label without unescaped brackets, possibly over several lines), the text after the `:`.
/// Looked for anywhere, not only at the start of a line, so no block structure can hide one.
fn definition_target(text: &str) -> Option<&str> {
    let b = text.as_bytes();
    let mut j = 1;
    while j < b.len() {
        match b[j] {
            b'\\' if b.get(j + 1).is_some_and(u8::is_ascii_punctuation) => j += 2,
            b'[' => return None,
            b']' => return (b.get(j + 1) == Some(&b':')).then(|| &text[j + 2..]),
            _ => j += 1,
        }
    }
    None
}

/// The length of the entity reference at the start of `b` (`&amp;`, `&#123;`, `&#x1F;`).
fn entity_len(b: &[u8]) -> Option<usize> {
    let body = &b[1..];
    let (digits, max, skip): (fn(&u8) -> bool, usize, usize) = match body {
        [b'#', b'x' | b'X', ..] => (u8::is_ascii_hexdigit, 6, 2),
        [b'#', ..] => (u8::is_ascii_digit, 7, 1),
        _ => (u8::is_ascii_alphanumeric, 32, 0),
    };
    let n = body[skip..].iter().take_while(|c| digits(c)).count();
    let named_ok = skip > 0 || body.first().is_some_and(u8::is_ascii_alphabetic);
    (n > 0 && n <= max && named_ok && body.get(skip + n) == Some(&b';')).then_some(1 + skip + n + 1)
}

/// Byte ranges of code (fenced blocks and code spans), sorted and disjoint: where `<` and `&`
/// are shown as written rather than escaped. A best effort (paragraphs are told apart by blank
/// lines only); a mistake changes how a character looks, never what is safe.
fn code_ranges(text: &str) -> Vec<(usize, usize)> {
    let mut ranges = Vec::new();
    // The text between fences and blank lines, where code spans are paired.
    let mut chunk_start: Option<usize> = None;
    // An open fence: its character, length and where it started.
    let mut fence: Option<(u8, usize, usize)> = None;
    let mut at = 0;
    for line in text.split_inclusive('\n') {
        let start = at;
        at += line.len();
        let marker = fence_marker(line);
        if let Some((ch, len, fence_start)) = fence {
            if marker.is_some_and(|(c, l, rest)| c == ch && l >= len && rest.trim().is_empty()) {
                ranges.push((fence_start, at));
                fence = None;
            }
            continue;
        }
        if let Some((ch, len, rest)) = marker {
            if !(ch == b'`' && rest.contains('`')) {
                if let Some(s) = chunk_start.take() {
                    code_spans(text, s, start, &mut ranges);
                }
                fence = Some((ch, len, start));
                continue;
            }
        }
        if line.trim().is_empty() {
            if let Some(s) = chunk_start.take() {
                code_spans(text, s, start, &mut ranges);
            }
        } else if chunk_start.is_none() {
            chunk_start = Some(start);
        }
    }
    if let Some((_, _, fence_start)) = fence {
        ranges.push((fence_start, text.len()));
    } else if let Some(s) = chunk_start {
        code_spans(text, s, text.len(), &mut ranges);
    }
    ranges.sort_unstable();
    ranges
}

/// A fence line: up to three spaces, then three or more backticks or tildes; (its character,
/// how many, the rest of the line).
fn fence_marker(line: &str) -> Option<(u8, usize, &str)> {
    let trimmed = line.trim_start_matches(' ');
    if line.len() - trimmed.len() > 3 {
        return None;
    }
    let ch = *trimmed.as_bytes().first()?;
    if ch != b'`' && ch != b'~' {
        return None;
    }
    let n = trimmed.bytes().take_while(|&b| b == ch).count();
    (n >= 3).then(|| (ch, n, &trimmed[n..]))
}

/// The code spans of `text[start..end]` (one paragraph): a run of backticks up to the next run
/// of the same length.
fn code_spans(text: &str, start: usize, end: usize, out: &mut Vec<(usize, usize)>) {
    let b = &text.as_bytes()[..end];
    // (start, length) of each backtick run.
    let mut runs = Vec::new();
    let mut i = start;
    while i < b.len() {
        match b[i] {
            b'\\' if b.get(i + 1).is_some_and(u8::is_ascii_punctuation) => i += 2,
            b'`' => {
                let n = b[i..].iter().take_while(|&&c| c == b'`').count();
                runs.push((i, n));
                i += n;
            }
            _ => i += 1,
        }
    }
    // The next run of the same length after each run (linear however many lengths there are).
    let mut next_same = vec![usize::MAX; runs.len()];
    let mut last_of_length = std::collections::HashMap::new();
    for (k, &(_, n)) in runs.iter().enumerate().rev() {
        if let Some(later) = last_of_length.insert(n, k) {
            next_same[k] = later;
        }
    }
    let mut k = 0;
    while k < runs.len() {
        let (open, n) = runs[k];
        match runs.get(next_same[k]) {
            Some(&(close, _)) => {
                out.push((open, close + n));
                k = next_same[k] + 1;
            }
            None => k += 1,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn clean(s: &str) -> String {
        sanitize(s, None)
    }

    #[test]
    fn plain_markdown_is_unchanged() {
        for s in [
            "**`EXCEED_RATELIMIT`** · cloudbase-http · General\n\nToo many requests.\n\n**What to do**\n- Retry.",
            "[Documentation](https://docs.cloudbase.net/en/error-code/service)",
            "a < b, x > y, AT&T, 3 & 4, `code` and *emphasis*, [not a link], ! [not an image]",
            "> a quote\n\n1. one\n2. two\n\n---\n\n中文 ⚠️ **Deprecated**: use `X_Y` instead.",
            "[a](HTTPS://example.com/a_(b)) [b](\nhttp://example.com)",
        ] {
            assert_eq!(clean(s), s);
        }
    }

    #[test]
    fn raw_html_is_escaped() {
        assert_eq!(clean("<img src=http://x/p.png>"), "&lt;img src=http://x/p.png>");
        assert_eq!(clean("<script>alert(1)</script>"), "&lt;script>alert(1)&lt;/script>");
        assert_eq!(clean("<!-- c --> <?php ?> <![CDATA[x]]> <a@b.c> <1@x.y>"), {
            "&lt;!-- c --> &lt;?php ?> &lt;\\![CDATA[x]]> &lt;a@b.c> &lt;1@x.y>"
        });
        assert_eq!(clean("<https://example.com> <command:x>"), "&lt;https://example.com> &lt;command:x>");
        // An escaped `<` is already text.
        assert_eq!(clean(r"\<b>"), r"\<b>");
    }

    #[test]
    fn code_shows_angle_brackets_and_entities_as_written() {
        assert_eq!(clean("`Map<K, V>` &lt; `&lt;`"), "`Map<\u{2060}K, V>` &amp;lt; `&lt;`");
        assert_eq!(clean("```\n<div>&amp;</div>\n```\n<div>"), "```\n<\u{2060}div>&amp;<\u{2060}/div>\n```\n&lt;div>");
        // An unclosed backtick is text.
        assert_eq!(clean("` <b>"), "` &lt;b>");
    }

    #[test]
    fn code_spans_pair_within_a_paragraph() {
        let text = "a `b\nc` <d> `e`\n\n`f\n\ng` <h>";
        assert_eq!(clean(text), "a `b\nc` &lt;d> `e`\n\n`f\n\ng` &lt;h>");
        assert_eq!(code_ranges("`` a ` b `` c"), vec![(0, 11)]);
        assert_eq!(code_ranges(r"\`a` b`"), vec![(3, 7)]);
    }

    #[test]
    fn images_become_links() {
        assert_eq!(clean("![pixel](https://evil.example/p.png)"), "\\![pixel](https://evil.example/p.png)");
        assert_eq!(clean("[![x](https://a/b)](https://c)"), "[\\![x](https://a/b)](https://c)");
        assert_eq!(clean(r"\![not an image](https://a)"), r"\![not an image](https://a)");
    }

    #[test]
    fn only_web_links_stay_links() {
        for (from, to) in [
            ("[x](command:workbench.action.terminal.new)", "[x]\\(command:workbench.action.terminal.new)"),
            ("[x](javascript:alert(1))", "[x]\\(javascript:alert(1))"),
            ("[x]( JavaScript:alert(1))", "[x]\\( JavaScript:alert(1))"),
            ("[x](<https://ok>)", "[x]\\(&lt;https://ok>)"),
            ("[x](https&#58;//evil)", "[x]\\(https&amp;#58;//evil)"),
            ("[x](data:text/html,hi)", "[x]\\(data:text/html,hi)"),
            ("[x](/relative) [y](#frag)", "[x]\\(/relative) [y]\\(#frag)"),
            ("[x](\n\njavascript:1)", "[x]\\(\n\njavascript:1)"),
            ("[x](file:///etc/passwd)", "[x]\\(file:///etc/passwd)"),
            // Inside a code span too: a client might not see the span.
            ("`[x](command:y)`", "`[x]\\(command:y)`"),
        ] {
            assert_eq!(clean(from), to, "{from}");
        }
    }

    #[test]
    fn reference_definitions_with_other_targets_are_text() {
        assert_eq!(clean("[ref]: javascript:alert(1)\n\n[x][ref]"), "\\[ref]: javascript:alert(1)\n\n[x][ref]");
        assert_eq!(clean("> - [r\nef]:\n  command:x"), "> - \\[r\nef]:\n  command:x");
        assert_eq!(clean("[ok]: https://example.com\n[ok]"), "[ok]: https://example.com\n[ok]");
        // Brackets inside a label make it no label; an escaped one is part of it.
        assert_eq!(clean("[a [b]: x"), "[a \\[b]: x");
        assert_eq!(clean(r"[a\[b]: x"), r"\[a\[b]: x");
    }

    #[test]
    fn file_links_inside_the_project_only() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().canonicalize().unwrap();
        std::fs::create_dir_all(root.join("docs")).unwrap();
        std::fs::write(root.join("docs/errors.md"), "x").unwrap();
        let url = |p: &str| format!("file://{}{p}", root.display());
        let inside = url("/docs/errors.md#E_X");
        assert_eq!(safe_link(&inside, Some(&root)), Some(inside.as_str()));
        assert_eq!(safe_link(&inside, None), None);
        assert_eq!(safe_link(&url("/docs/../../etc/passwd"), Some(&root)), None);
        assert_eq!(safe_link(&url("/docs/%2e%2e/%2E%2E/etc/passwd"), Some(&root)), None);
        assert_eq!(safe_link("file:///etc/passwd", Some(&root)), None);
        assert_eq!(safe_link(&format!("file://evil{}", root.join("docs").display()), Some(&root)), None);
        #[cfg(unix)]
        {
            std::os::unix::fs::symlink("/etc", root.join("docs/etc")).unwrap();
            assert_eq!(safe_link(&url("/docs/etc/passwd"), Some(&root)), None);
        }
        let md = format!("[a]({inside}) [b](file:///etc/passwd)");
        assert_eq!(sanitize(&md, Some(&root)), format!("[a]({inside}) [b]\\(file:///etc/passwd)"));
        assert_eq!(sanitize(&md, None), format!("[a]\\({inside}) [b]\\(file:///etc/passwd)"));
    }

    #[test]
    fn safe_links_are_http_with_a_host() {
        for ok in ["https://docs.cloudbase.net/en/error-code/basic", "HTTP://example.com", "https://例子.cn/错误"] {
            assert_eq!(safe_link(ok, None), Some(ok), "{ok}");
        }
        for bad in [
            "javascript:alert(1)",
            "JAVASCRIPT:alert(1)",
            "command:workbench.action.terminal.new",
            "vscode://file/etc/passwd",
            "data:text/html,x",
            "https:evil",
            "https:///x",
            "//example.com",
            "docs/errors.md",
            "https://a b",
            " https://a",
            "https://a\u{7}",
            "https://a\"onmouseover=x",
            "",
        ] {
            assert_eq!(safe_link(bad, None), None, "{bad:?}");
        }
    }

    #[test]
    fn entities() {
        assert_eq!(entity_len(b"&amp; x"), Some(5));
        assert_eq!(entity_len(b"&#123;"), Some(6));
        assert_eq!(entity_len(b"&#x1F;"), Some(6));
        assert_eq!(entity_len(b"&T"), None);
        assert_eq!(entity_len(b"&#;"), None);
        assert_eq!(entity_len(b"&1a;"), None);
    }

    #[test]
    fn long_hostile_input_is_linear() {
        // Backtick runs of 2,000 different lengths, none closed.
        let lengths: String = (1..2000).map(|n| format!("{} x ", "`".repeat(n))).collect();
        let mut texts: Vec<String> = ["](", "[", "![", "<a", "`", "` ``", "&amp;", "](file:", "[x]:"]
            .iter()
            .map(|u| u.repeat(200_000))
            .collect();
        texts.push(lengths + &"` ".repeat(100_000));
        for text in texts {
            let unit = &text[..text.len().min(10)];
            let started = std::time::Instant::now();
            let out = sanitize(&text, Some(Path::new("/p")));
            assert!(started.elapsed().as_secs() < 5, "{unit:?}: {:?}", started.elapsed());
            assert!(out.len() >= text.len());
        }
    }
}
