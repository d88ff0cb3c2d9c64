//! Every scanner on arbitrary UTF-8: never panics, and its spans are sorted by start, do not
//! overlap, lie inside the text and on char boundaries.
#![no_main]

use errcode_core::scan::{scan, Lang};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    // Non-UTF-8 input is still useful: scan its lossy decoding.
    let text = String::from_utf8_lossy(data);
    for &lang in Lang::ALL {
        let spans = scan(lang, &text);
        let mut prev_end = 0;
        for (i, s) in spans.iter().enumerate() {
            assert!(s.start <= s.end, "{lang:?}: span {i} {s:?} is reversed");
            assert!(s.end <= text.len(), "{lang:?}: span {i} {s:?} ends past the text ({})", text.len());
            assert!(text.is_char_boundary(s.start), "{lang:?}: span {i} {s:?} starts inside a char");
            assert!(text.is_char_boundary(s.end), "{lang:?}: span {i} {s:?} ends inside a char");
            assert!(
                s.start >= prev_end,
                "{lang:?}: span {i} {s:?} overlaps or precedes the previous one (end {prev_end})"
            );
            prev_end = s.end;
        }
    }
});
