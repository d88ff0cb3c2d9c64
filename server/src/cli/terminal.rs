//! Text from files printed on a terminal: file and folder names, source lines, catalog text and
//! config values may hold control characters (`ESC [ 2 J` clears the screen, an OSC sequence
//! sets the window title, `\r` and backspace overwrite what was printed, bidirectional controls
//! reorder it). The human-readable outputs print such characters as escapes (`\u{1b}`), the way
//! `ls` and git quote odd names, so what is shown is what is there. (The JSON, SARIF and GitHub
//! formats escape by their own rules.)

use std::borrow::Cow;
use std::path::Path;

/// Whether a terminal acts on `c` rather than showing it: a control character (C0, DEL, C1) or
/// a bidirectional formatting character.
fn acts(c: char) -> bool {
    c.is_control()
        || matches!(c, '\u{61c}' | '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

fn escape_if(s: &str, needs: impl Fn(char) -> bool) -> Cow<'_, str> {
    if !s.chars().any(&needs) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 16);
    for c in s.chars() {
        match c {
            _ if !needs(c) => out.push(c),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            _ => out.extend(c.escape_unicode()),
        }
    }
    Cow::Owned(out)
}

/// Text that may span lines (messages, documentation): every control character escaped but
/// line feeds and tabs.
pub fn text(s: &str) -> Cow<'_, str> {
    escape_if(s, |c| acts(c) && c != '\n' && c != '\t')
}

/// One line (a name, a source line, a value): every control character escaped, line feeds
/// and tabs too.
pub fn line(s: &str) -> Cow<'_, str> {
    escape_if(s, acts)
}

/// A path as one line (a name that is not UTF-8 is shown lossily).
pub fn path(p: &Path) -> String {
    line(&p.to_string_lossy()).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn controls_are_escaped_and_the_rest_kept() {
        assert!(matches!(line("src/a.ts 中文 ⚠️"), Cow::Borrowed(_)));
        assert_eq!(line("a\u{1b}[2J\r\u{8}\u{7f}\u{9b}\u{202e}\t\nb"), r"a\u{1b}[2J\r\u{8}\u{7f}\u{9b}\u{202e}\t\nb");
        assert_eq!(text("one\n\ttwo\u{1b}]0;t\u{7}"), "one\n\ttwo\\u{1b}]0;t\\u{7}");
        assert_eq!(path(Path::new("dir/\u{1b}x.ts")), r"dir/\u{1b}x.ts");
    }
}
