//! PHP tags, for languages whose table entry sets [`super::spec::CodeSpec::php_tags`]: the file
//! is HTML until `<?php` (or `<?=`, `<?`) and again after `?>`; a `?>` also ends a line comment.
//! The `?>` inside code is found by the code loop (`?` is one of its stop bytes).

use memchr::memmem;

use super::{Close, Code};

impl Code<'_> {
    /// Scans a whole file: the code between the tags. A file without any `<?` is taken to be a
    /// bare PHP fragment.
    pub(super) fn php_file(&mut self) {
        let b = self.b;
        if memmem::find(b, b"<?").is_none() {
            self.code(0, Close::Eof, 0);
            return;
        }
        let mut i = 0;
        while let Some(k) = memmem::find(&b[i..], b"<?") {
            let mut j = i + k + 2;
            if b[j..].len() >= 3 && b[j..j + 3].eq_ignore_ascii_case(b"php") {
                j += 3;
            } else if self.at(j) == b'=' {
                j += 1;
            }
            i = self.code(j, Close::Eof, 0);
        }
    }

    /// Where a line comment running from `i` to `end` really ends: at a `?>`, which closes the
    /// PHP block too.
    pub(super) fn comment_end_at_tag(&self, i: usize, end: usize) -> usize {
        memmem::find(&self.b[i..end], b"?>").map_or(end, |k| i + k)
    }
}
