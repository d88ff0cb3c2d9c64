//! Ruby percent literals `%q(...)`, `%Q[...]`, `%w{...}`, `%i<...>` (and with `|`, `!`, `/` as
//! delimiters), for languages whose table entry sets [`super::spec::CodeSpec::percent`].

use super::{Code, SpanKind};

impl Code<'_> {
    /// The body of the percent literal at `i` is one literal; `#{}` in `%Q` is not split out.
    /// Brackets nest; a backslash escapes the next byte.
    pub(super) fn percent(&mut self, i: usize) -> usize {
        let b = self.b;
        let n = b.len();
        if !matches!(self.at(i + 1), b'q' | b'Q' | b'w' | b'W' | b'i' | b'I') || !self.word_boundary(i) {
            return i + 1;
        }
        let open = self.at(i + 2);
        let close = match open {
            b'(' => b')',
            b'[' => b']',
            b'{' => b'}',
            b'<' => b'>',
            b'|' | b'!' | b'/' => open,
            _ => return i + 1,
        };
        let start = i + 3;
        let mut j = start;
        let mut level = 0usize;
        while j < n {
            let c = b[j];
            if c == b'\\' {
                j += 2;
                continue;
            }
            if c == close {
                if level == 0 {
                    self.push(SpanKind::Literal, start, j);
                    self.set_floor(j + 1, false);
                    return j + 1;
                }
                level -= 1;
            } else if c == open {
                level += 1;
            }
            j += 1;
        }
        self.push(SpanKind::Literal, start, n);
        n
    }
}
