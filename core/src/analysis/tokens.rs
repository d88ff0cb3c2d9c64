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

pub(super) fn is_word(b: u8) -> bool {
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

/// The standalone tokens of `text[start..end]` (a literal's contents), for when only those
/// matter (findings, not references): the literal must be a list of code-shaped items, that is
/// only `A`-`Z`, `0`-`9`, `_`, list separators and `\n`/`\t`/`\r` escapes. Returns `false`, with
/// nothing pushed, when it is not; most literals are rejected at their first byte.
///
/// Pushes exactly the standalone tokens that [`tokens`] finds, in one pass.
pub fn code_list(text: &str, start: usize, end: usize, out: &mut Vec<Token>) -> bool {
    let bytes = &text.as_bytes()[start..end];
    let first = out.len();
    let fail = |out: &mut Vec<Token>| {
        out.truncate(first);
        false
    };
    let mut i = 0;
    while i < bytes.len() {
        match CLASS[usize::from(bytes[i])] {
            // A word must be code-shaped, checked as it is read: an upper-case letter first,
            // then letters, digits and single underscores, at least one, not at the end.
            UPPER => {
                let word_start = i;
                // Branch-free but for the end of the word: underscores are frequent and
                // irregular, so branching on them mispredicts.
                let (mut underscore, mut after_underscore, mut doubled) = (false, false, false);
                i += 1;
                while let Some(&b) = bytes.get(i) {
                    let class = CLASS[usize::from(b)];
                    if !(UPPER..=UNDERSCORE).contains(&class) {
                        break;
                    }
                    let is_underscore = class == UNDERSCORE;
                    doubled |= is_underscore & after_underscore;
                    underscore |= is_underscore;
                    after_underscore = is_underscore;
                    i += 1;
                }
                if !underscore || after_underscore || doubled {
                    return fail(out);
                }
                out.push(Token { start: start + word_start, end: start + i, code_shaped: true, standalone: true });
            }
            SEPARATOR => i += 1,
            BACKSLASH if matches!(bytes.get(i + 1), Some(b'n' | b't' | b'r')) => i += 2,
            _ => return fail(out),
        }
    }
    true
}

/// Word-byte kinds for [`tokens`] (0: not a word byte).
const W_UPPER: u8 = 1;
const W_LOWER: u8 = 2;
const W_DIGIT: u8 = 4;
const W_UNDERSCORE: u8 = 8;
static WORD: [u8; 256] = {
    let mut kind = [0u8; 256];
    let mut b = 0;
    while b < 256 {
        kind[b] = match b as u8 {
            b'A'..=b'Z' => W_UPPER,
            b'a'..=b'z' => W_LOWER,
            b'0'..=b'9' => W_DIGIT,
            b'_' => W_UNDERSCORE,
            _ => 0,
        };
        b += 1;
    }
    kind
};

/// Byte classes for [`code_list`].
const OTHER: u8 = 0;
const UPPER: u8 = 1;
const DIGIT: u8 = 2;
const UNDERSCORE: u8 = 3;
const SEPARATOR: u8 = 4;
const BACKSLASH: u8 = 5;
static CLASS: [u8; 256] = {
    let mut class = [OTHER; 256];
    let mut b = 0;
    while b < 256 {
        class[b] = match b as u8 {
            b'A'..=b'Z' => UPPER,
            b'0'..=b'9' => DIGIT,
            b'_' => UNDERSCORE,
            b if is_separator(b) => SEPARATOR,
            b'\\' => BACKSLASH,
            _ => OTHER,
        };
        b += 1;
    }
    class
};

/// A separator between list items inside a literal.
const fn is_separator(b: u8) -> bool {
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
            if b == b'\\' {
                // An escape sequence: `\n`, `\t`, `\"`... Skip the escaped character; a
                // letter escape separates like whitespace, anything else (a lone `\` too) ends
                // the list.
                if !matches!(bytes.get(i + 1).filter(|_| i + 1 < end), Some(b'n' | b't' | b'r')) {
                    all_items_codes = false;
                }
                i += 2;
                continue;
            }
            i += 1;
            continue;
        }
        let word_start = i;
        // What the word is made of, one table lookup per byte and no other branch.
        let mut made_of = 0;
        while i < end {
            let kind = WORD[usize::from(bytes[i])];
            if kind == 0 {
                break;
            }
            made_of |= kind;
            i += 1;
        }
        let (has_upper, has_underscore) = (made_of & W_UPPER != 0, made_of & W_UNDERSCORE != 0);
        let code_shaped = has_upper && has_underscore && made_of & W_LOWER == 0 && is_code_shaped(&text[word_start..i]);
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

    /// What `code_list` pushes is exactly the standalone tokens of `tokens`.
    fn assert_same_standalone(text: &str) {
        let mut all = Vec::new();
        tokens(text, 0, text.len(), &mut all);
        all.retain(|t| t.standalone);
        let mut fast = vec![Token { start: 0, end: 0, code_shaped: false, standalone: false }];
        let listed = code_list(text, 0, text.len(), &mut fast);
        assert_eq!(fast[1..], all[..], "{text:?}");
        assert!(listed || all.is_empty(), "{text:?}");
    }

    #[test]
    fn code_list_agrees_with_tokens() {
        for text in [
            "EXCEED_RATE_LIMIT",
            "A_B, C_D|E_F; G_H",
            "EXCEED_RATE_LIMIT\\n",
            "\\tA_B\\r\\n",
            "got A_B from x",
            "A_B.",
            "A_B\\",
            "a_b",
            "AB",
            "A_B\\\"",
            "A__B",
            "1_AB",
            "中文 A_B",
            "",
        ] {
            assert_same_standalone(text);
        }
        let mut out = Vec::new();
        assert!(code_list("A_B, C_D", 0, 8, &mut out) && out.len() == 2);
        assert!(!code_list("got A_B", 0, 7, &mut out) && out.len() == 2, "nothing pushed on failure");
    }

    proptest::proptest! {
        #[test]
        fn code_list_agrees_with_tokens_on_any_text(text in "([A-Z_]{1,6}|[ ,;|]|\\\\[ntr\"]?|[a1.])*") {
            assert_same_standalone(&text);
        }
    }
}
