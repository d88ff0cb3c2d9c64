//! Finding the next byte of a small set, fast: the hot loop of the code scanner, which spends
//! most of its time stepping over code that holds no quote, comment or bracket it cares about.
//!
//! On x86_64 sixteen bytes are compared at once with SSE2 (part of the x86_64 baseline, so
//! there is no feature detection); elsewhere eight bytes are checked per step through a table.
//! Both give exactly what a byte-by-byte search gives (a property test holds them to it).

/// A set of at most [`ByteSet::MAX`] bytes.
#[derive(Clone, Debug)]
pub(super) struct ByteSet {
    member: [bool; 256],
    /// Each member repeated in all 16 lanes.
    #[cfg(target_arch = "x86_64")]
    needles: Vec<std::arch::x86_64::__m128i>,
}

impl ByteSet {
    /// The vector path compares every member; sets are a handful of bytes in practice.
    pub const MAX: usize = 16;

    /// The set of the bytes `b` for which `is_member(b)` holds. Panics with more than
    /// [`ByteSet::MAX`] members (a programming error: the sets are fixed per language).
    pub fn new(is_member: impl Fn(u8) -> bool) -> ByteSet {
        let bytes: Vec<u8> = (0..=255u8).filter(|&b| is_member(b)).collect();
        assert!(bytes.len() <= Self::MAX, "a ByteSet holds at most {} bytes", Self::MAX);
        let mut member = [false; 256];
        for &b in &bytes {
            member[usize::from(b)] = true;
        }
        ByteSet {
            member,
            #[cfg(target_arch = "x86_64")]
            needles: bytes.iter().map(|&b| splat(b)).collect(),
        }
    }

    pub fn contains(&self, b: u8) -> bool {
        self.member[usize::from(b)]
    }

    /// The first position at or after `i` that holds a member, or `hay.len()`.
    pub fn find(&self, hay: &[u8], i: usize) -> usize {
        let i = self.skip_blocks(hay, i);
        hay.get(i..).and_then(|rest| rest.iter().position(|&b| self.contains(b))).map_or(hay.len(), |k| i + k)
    }

    /// Steps over whole blocks without a member; returns where the byte-by-byte search must
    /// go on (the block holding the first member, or the short tail).
    #[cfg(target_arch = "x86_64")]
    #[allow(unsafe_code)]
    fn skip_blocks(&self, hay: &[u8], mut i: usize) -> usize {
        use std::arch::x86_64::_mm_setzero_si128;
        use std::arch::x86_64::{__m128i, _mm_cmpeq_epi8, _mm_loadu_si128, _mm_movemask_epi8, _mm_or_si128};

        let needles = &self.needles[..];
        while let Some(block) = hay.get(i..i + 16) {
            // SAFETY: SSE2 is enabled on every x86_64 target; the only memory access is an
            // unaligned 16-byte load from a slice of exactly 16 bytes.
            let hits = unsafe {
                let v = _mm_loadu_si128(block.as_ptr().cast::<__m128i>());
                let any = needles.iter().fold(_mm_setzero_si128(), |acc, &n| _mm_or_si128(acc, _mm_cmpeq_epi8(v, n)));
                _mm_movemask_epi8(any)
            };
            if hits != 0 {
                return i + hits.trailing_zeros() as usize;
            }
            i += 16;
        }
        i
    }

    #[cfg(not(target_arch = "x86_64"))]
    fn skip_blocks(&self, hay: &[u8], mut i: usize) -> usize {
        while let Some(block) = hay.get(i..i + 8) {
            if block.iter().any(|&b| self.contains(b)) {
                break;
            }
            i += 8;
        }
        i
    }
}

/// `b` in all sixteen lanes.
#[cfg(target_arch = "x86_64")]
#[allow(unsafe_code)]
fn splat(b: u8) -> std::arch::x86_64::__m128i {
    // SAFETY: SSE2 is enabled on every x86_64 target; no memory is accessed.
    unsafe { std::arch::x86_64::_mm_set1_epi8(b as i8) }
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        #[test]
        fn find_agrees_with_a_plain_search(
            hay in proptest::collection::vec(proptest::sample::select(&b"ab\"'/#{}\n\x80\xff"[..]), 0..80),
            members in proptest::collection::vec(proptest::sample::select(&b"\"'/#{}\x80z"[..]), 0..6),
            start in 0..90usize,
        ) {
            let set = ByteSet::new(|b| members.contains(&b));
            let want = (start..hay.len()).find(|&k| members.contains(&hay[k])).unwrap_or(hay.len());
            proptest::prop_assert_eq!(set.find(&hay, start), want);
        }
    }
}
