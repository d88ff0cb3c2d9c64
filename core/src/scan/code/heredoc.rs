//! Heredocs: PHP `<<<EOT` / `<<<"EOT"` and nowdocs `<<<'EOT'`, Ruby `<<~EOS`, `<<-EOS`, `<<EOS`.
//! The language's [`Heredoc`] entry in the table says which opener and identifier rules apply.

use memchr::memchr;

use super::spec::Heredoc;
use super::{is_ident, trim_cr, Code, SpanKind};

impl Code<'_> {
    /// The lines after the opener's line, up to the line holding the closing identifier (after
    /// blanks), are one literal (interpolation is not split out). The rest of the opener's line
    /// is skipped. `i` is at the first `<`.
    pub(super) fn heredoc(&mut self, i: usize) -> usize {
        let Some(h) = self.tables.spec.heredoc else { return i + 1 };
        let b = self.b;
        let n = b.len();
        if (0..h.angles).any(|k| self.at(i + k) != b'<') {
            return i + 1;
        }
        let mut j = i + h.angles;
        if h.flags && matches!(self.at(j), b'~' | b'-') {
            j += 1;
        }
        while h.blanks && matches!(self.at(j), b' ' | b'\t') {
            j += 1;
        }
        let q = self.at(j);
        let quoted = q == b'\'' || q == b'"';
        if quoted {
            j += 1;
        } else if !opens_unquoted(h, q) {
            // `a << b` and `x <<1` are shifts and appends, not heredocs.
            return i + 2;
        }
        let id_start = j;
        while is_ident(self.at(j)) && self.at(j) != b'$' {
            j += 1;
        }
        if j == id_start || (quoted && self.at(j) != q) {
            return i + 2;
        }
        let id = &b[id_start..j];
        if quoted {
            j += 1;
        }
        let Some(nl) = memchr(b'\n', &b[j..]) else { return j };
        let body = j + nl + 1;
        let mut line = body;
        while line < n {
            let mut k = line;
            while matches!(self.at(k), b' ' | b'\t') {
                k += 1;
            }
            if b[k..].starts_with(id) && !is_ident(self.at(k + id.len())) {
                let end = if line > body { trim_cr(b, body, line - 1) } else { body };
                self.push(SpanKind::Literal, body, end);
                self.set_floor(k + id.len(), false);
                return k + id.len();
            }
            line = memchr(b'\n', &b[line..]).map_or(n, |x| line + x + 1);
        }
        self.push(SpanKind::Literal, body, n);
        n
    }
}

/// Whether an unquoted identifier starting with `c` may open a heredoc.
fn opens_unquoted(h: Heredoc, c: u8) -> bool {
    !h.upper || c.is_ascii_uppercase() || c == b'_'
}
