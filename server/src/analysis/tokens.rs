//! Code-shaped tokens inside a literal: `UPPER_SNAKE` words with at least one `_`.

/// A token found inside a literal.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Token {
    /// Byte range in the scanned text.
    pub start: usize,
    pub end: usize,
    /// Matches `[A-Z][A-Z0-9]*(_[A-Z0-9]+)+` exactly.
    pub code_shaped: bool,
    /// The token is the whole literal, or a whole item of a list of code-shaped items
    /// (separated by `,` `;` `|` or whitespace). Only standalone tokens are ever flagged.
    pub standalone: bool,
}

fn is_word(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

/// Is `s` code-shaped: `[A-Z][A-Z0-9]*(_[A-Z0-9]+)+`?
pub fn is_code_shaped(s: &str) -> bool {
    let b = s.as_bytes();
    if b.is_empty() || !b[0].is_ascii_uppercase() || b[b.len() - 1] == b'_' {
        return false;
    }
    let mut underscore = false;
    let mut prev_underscore = false;
    for &c in b {
        if c == b'_' {
            if prev_underscore {
                return false;
            }
            underscore = true;
            prev_underscore = true;
        } else if c.is_ascii_uppercase() || c.is_ascii_digit() {
            prev_underscore = false;
        } else {
            return false;
        }
    }
    underscore
}

/// Whether `bytes` (a literal's contents) can hold standalone tokens at all: only upper-case
/// letters, digits, `_`, list separators and `\n`/`\t`/`\r` escapes, with an underscore
/// somewhere. A fast filter before [`tokens`] when only findings are wanted.
pub fn could_be_code_list(bytes: &[u8]) -> bool {
    let mut underscore = false;
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'A'..=b'Z' | b'0'..=b'9' => {}
            b'_' => underscore = true,
            b',' | b';' | b'|' | b' ' | b'\t' | b'\r' | b'\n' => {}
            b'\\' if matches!(bytes.get(i + 1), Some(b'n' | b't' | b'r')) => i += 1,
            _ => return false,
        }
        i += 1;
    }
    underscore
}

/// A separator between list items inside a literal.
fn is_separator(b: u8) -> bool {
    matches!(b, b',' | b';' | b'|' | b' ' | b'\t' | b'\r' | b'\n')
}

/// Finds the word tokens (runs of `[A-Za-z0-9_]`) of `text[start..end]` that contain an
/// upper-case letter and an underscore, and marks which are code-shaped and standalone.
///
/// An escape like `\n` before a word does not glue to it: `"\nFOO_BAR"` has the token `FOO_BAR`.
pub fn tokens(text: &str, start: usize, end: usize, out: &mut Vec<Token>) {
    let bytes = text.as_bytes();
    // Most literals hold no underscore, hence no token: skip them fast.
    if memchr::memchr(b'_', &bytes[start..end]).is_none() {
        return;
    }
    let first = out.len();
    let mut all_items_codes = true;
    let mut i = start;
    while i < end {
        let b = bytes[i];
        if !is_word(b) {
            if !is_separator(b) && b != b'\\' {
                all_items_codes = false;
            }
            if b == b'\\' && i + 1 < end {
                // An escape sequence: `\n`, `\t`, `\"`... Skip the escaped character; a
                // letter escape separates like whitespace.
                let next = bytes[i + 1];
                if !matches!(next, b'n' | b't' | b'r') {
                    all_items_codes = false;
                }
                i += 2;
                continue;
            }
            i += 1;
            continue;
        }
        let word_start = i;
        let mut has_upper = false;
        let mut has_lower = false;
        let mut has_underscore = false;
        while i < end && is_word(bytes[i]) {
            match bytes[i] {
                b'A'..=b'Z' => has_upper = true,
                b'a'..=b'z' => has_lower = true,
                b'_' => has_underscore = true,
                _ => {}
            }
            i += 1;
        }
        let word = &text[word_start..i];
        let code_shaped = has_upper && has_underscore && !has_lower && is_code_shaped(word);
        if !code_shaped {
            all_items_codes = false;
        }
        if has_upper && has_underscore {
            out.push(Token { start: word_start, end: i, code_shaped, standalone: false });
        }
    }
    if all_items_codes {
        for token in &mut out[first..] {
            token.standalone = token.code_shaped;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The fast filter never rejects a literal that has a standalone token.
    #[test]
    fn the_filter_agrees_with_tokens() {
        for text in [
            "EXCEED_RATE_LIMIT",
            "A_B, C_D|E_F; G_H",
            "EXCEED_RATE_LIMIT\\n",
            "\\tA_B\\r\\n",
            "got A_B from x",
            "A_B.",
            "a_b",
            "AB",
            "A_B\\\"",
            "中文 A_B",
            "",
        ] {
            let mut out = Vec::new();
            tokens(text, 0, text.len(), &mut out);
            let standalone = out.iter().any(|t| t.standalone);
            assert!(!standalone || could_be_code_list(text.as_bytes()), "{text:?}");
        }
        assert!(could_be_code_list(b"A_B, C_D"));
        assert!(!could_be_code_list(b"got A_B"));
        assert!(!could_be_code_list(b"ABC"));
    }
}
