//! The positions of a few bytes in a text, found 64 bytes at a time.
//!
//! `memchr` finds one to three bytes, and each match costs a call that sets
//! its search up again: on a line of news text with a mark every hundred
//! bytes that setup is most of the work. A [`ByteSet`] instead compares a
//! block of 64 bytes with every byte of the set at once and keeps the matches
//! as one bit each; taking the next match is then a count of trailing zeros.
//! This is the bitmap technique of simdjson and of Teddy's verification step,
//! written with SSE2 (part of every x86-64 processor) and a plain loop
//! elsewhere.

/// A set of up to `N` bytes whose positions [`Positions`] finds.
#[derive(Debug, Clone, Copy)]
pub struct ByteSet<const N: usize> {
    bytes: [u8; N],
    /// Each byte 32 times: the vectors a block is compared with (SSE2 reads
    /// the first 16).
    splat: [[u8; 32]; N],
}

/// The bytes a block holds.
const BLOCK: usize = 64;

impl<const N: usize> ByteSet<N> {
    /// The set of `bytes`.
    pub const fn new(bytes: [u8; N]) -> Self {
        assert!(N > 0, "an empty set matches nothing");
        let mut splat = [[0; 32]; N];
        let mut i = 0;
        while i < N {
            splat[i] = [bytes[i]; 32];
            i += 1;
        }
        ByteSet { bytes, splat }
    }

    /// Whether `byte` is in the set.
    pub fn contains(&self, byte: u8) -> bool {
        self.bytes.contains(&byte)
    }

    /// Bit `k` set where `block[k]` is in the set.
    #[cfg(target_arch = "x86_64")]
    #[inline]
    fn mask(&self, block: &[u8; BLOCK]) -> u64 {
        use std::arch::x86_64::{
            __m128i, _mm_cmpeq_epi8, _mm_loadu_si128, _mm_movemask_epi8, _mm_or_si128,
        };
        // SAFETY: SSE2 is part of the x86-64 baseline, and every unaligned
        // load reads 16 bytes inside `self.splat` or the 64-byte `block`.
        unsafe {
            let needles = self
                .splat
                .map(|s| _mm_loadu_si128(s.as_ptr().cast::<__m128i>()));
            let mut mask = 0u64;
            for k in 0..BLOCK / 16 {
                let v = _mm_loadu_si128(block.as_ptr().add(16 * k).cast::<__m128i>());
                let mut hit = _mm_cmpeq_epi8(v, needles[0]);
                for needle in &needles[1..] {
                    hit = _mm_or_si128(hit, _mm_cmpeq_epi8(v, *needle));
                }
                mask |= u64::from(_mm_movemask_epi8(hit) as u16) << (16 * k);
            }
            mask
        }
    }

    /// [`mask`](Self::mask) with AVX2, 32 bytes at a time.
    ///
    /// # Safety
    ///
    /// The processor must support AVX2.
    #[cfg(target_arch = "x86_64")]
    #[target_feature(enable = "avx2")]
    unsafe fn mask_avx2(&self, block: &[u8; BLOCK]) -> u64 {
        use std::arch::x86_64::{
            __m256i, _mm256_cmpeq_epi8, _mm256_loadu_si256, _mm256_movemask_epi8, _mm256_or_si256,
        };
        // SAFETY: the caller checked AVX2; every unaligned load reads 32
        // bytes inside `self.splat` or the 64-byte `block`.
        unsafe {
            let needles = self
                .splat
                .map(|s| _mm256_loadu_si256(s.as_ptr().cast::<__m256i>()));
            let mut mask = 0u64;
            for k in 0..BLOCK / 32 {
                let v = _mm256_loadu_si256(block.as_ptr().add(32 * k).cast::<__m256i>());
                let mut hit = _mm256_cmpeq_epi8(v, needles[0]);
                for needle in &needles[1..] {
                    hit = _mm256_or_si256(hit, _mm256_cmpeq_epi8(v, *needle));
                }
                mask |= u64::from(_mm256_movemask_epi8(hit) as u32) << (32 * k);
            }
            mask
        }
    }

    /// Bit `k` set where `block[k]` is in the set.
    #[cfg(not(target_arch = "x86_64"))]
    #[inline]
    fn mask(&self, block: &[u8; BLOCK]) -> u64 {
        self.mask_bytewise(block)
    }

    /// [`mask`](Self::mask) a byte at a time: the fallback, and the
    /// reference it is tested against.
    #[cfg_attr(target_arch = "x86_64", allow(dead_code))]
    fn mask_bytewise(&self, block: &[u8]) -> u64 {
        block
            .iter()
            .enumerate()
            .filter(|(_, b)| self.contains(**b))
            .fold(0, |mask, (k, _)| mask | 1 << k)
    }

    /// The positions of the set's bytes in `haystack` at or after `from`.
    pub fn positions<'h>(&'h self, haystack: &'h [u8], from: usize) -> Positions<'h, N> {
        Positions {
            set: self,
            haystack,
            block: from,
            next_block: from,
            mask: 0,
            avx2: has_avx2(),
        }
    }

    /// [`mask`](Self::mask), with AVX2 when `avx2` (which the caller took
    /// from [`has_avx2`]).
    #[inline]
    fn mask_with(&self, block: &[u8; BLOCK], avx2: bool) -> u64 {
        #[cfg(target_arch = "x86_64")]
        if avx2 {
            // SAFETY: `avx2` is true only where the processor has AVX2.
            return unsafe { self.mask_avx2(block) };
        }
        let _ = avx2;
        self.mask(block)
    }
}

/// Whether this processor has AVX2 (the answer is cached by `std`).
fn has_avx2() -> bool {
    #[cfg(target_arch = "x86_64")]
    {
        std::arch::is_x86_feature_detected!("avx2")
    }
    #[cfg(not(target_arch = "x86_64"))]
    {
        false
    }
}

/// The positions of a [`ByteSet`]'s bytes in a haystack, in order. A block is
/// read only when the matches before it are taken, so a search that stops
/// early has read at most 64 bytes past its last match.
#[derive(Debug, Clone)]
pub struct Positions<'h, const N: usize> {
    set: &'h ByteSet<N>,
    haystack: &'h [u8],
    /// Where the block of `mask` starts…
    block: usize,
    /// …and where the next one does.
    next_block: usize,
    /// The block's matches not yet taken (bit `k`: `block + k`).
    mask: u64,
    /// Whether blocks are compared with AVX2 (else SSE2, or byte by byte).
    avx2: bool,
}

impl<const N: usize> Positions<'_, N> {
    /// The next position, without taking it.
    #[inline]
    pub fn peek(&mut self) -> Option<usize> {
        while self.mask == 0 {
            let len = self.haystack.len();
            if self.next_block >= len {
                return None;
            }
            self.block = self.next_block;
            self.next_block = len.min(self.block + BLOCK);
            let bytes = &self.haystack[self.block..self.next_block];
            self.mask = match <&[u8; BLOCK]>::try_from(bytes) {
                Ok(block) => self.set.mask_with(block, self.avx2),
                Err(_) => {
                    // The last, short block: copied into a zeroed one, and
                    // the bits past its end cut off (zero may be in the set).
                    let mut padded = [0u8; BLOCK];
                    padded[..bytes.len()].copy_from_slice(bytes);
                    self.set.mask_with(&padded, self.avx2) & ((1u64 << bytes.len()) - 1)
                }
            };
        }
        Some(self.block + self.mask.trailing_zeros() as usize)
    }
}

impl<const N: usize> Iterator for Positions<'_, N> {
    type Item = usize;

    #[inline]
    fn next(&mut self) -> Option<usize> {
        let at = self.peek()?;
        self.mask &= self.mask - 1;
        Some(at)
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    const QUOTES: ByteSet<6> = ByteSet::new([b'"', b'\'', 0xE2, b'`', b'<', 0xC2]);

    fn reference(haystack: &[u8], from: usize) -> Vec<usize> {
        (from..haystack.len())
            .filter(|&i| QUOTES.contains(haystack[i]))
            .collect()
    }

    #[test]
    fn positions_are_the_set_bytes_in_order() {
        let text = "a `b` <i>“c” «d» 'e' \"f\" — x".as_bytes();
        assert_eq!(
            QUOTES.positions(text, 0).collect::<Vec<_>>(),
            reference(text, 0)
        );
        assert_eq!(QUOTES.positions(b"plain text", 0).next(), None);
        assert_eq!(QUOTES.positions(b"", 0).next(), None);
        // A match in the last byte of a block, of a short block, and at a
        // starting offset inside a block.
        let mut long = vec![b'x'; 200];
        long[63] = b'"';
        long[64] = b'<';
        long[199] = b'\'';
        assert_eq!(
            QUOTES.positions(&long, 0).collect::<Vec<_>>(),
            [63, 64, 199]
        );
        assert_eq!(QUOTES.positions(&long, 64).collect::<Vec<_>>(), [64, 199]);
        assert_eq!(QUOTES.positions(&long, 65).collect::<Vec<_>>(), [199]);
        // Zero bytes in a short block are not in the set.
        assert_eq!(QUOTES.positions(&[0, b'"', 0], 0).collect::<Vec<_>>(), [1]);
        let zeros = ByteSet::new([0u8]);
        assert_eq!(zeros.positions(&[1, 0, 1], 0).collect::<Vec<_>>(), [1]);
    }

    #[test]
    fn peek_does_not_take() {
        let mut positions = QUOTES.positions(b"a\"b'c", 0);
        assert_eq!(positions.peek(), Some(1));
        assert_eq!(positions.peek(), Some(1));
        assert_eq!(positions.next(), Some(1));
        assert_eq!(positions.next(), Some(3));
        assert_eq!(positions.peek(), None);
    }

    proptest! {
        #[test]
        fn positions_equal_a_byte_by_byte_search(
            haystack in proptest::collection::vec(
                prop_oneof![Just(b'"'), Just(0xE2u8), Just(0xC2u8), Just(b'a'), any::<u8>()],
                0..300,
            ),
            from in 0usize..320,
        ) {
            let from = from.min(haystack.len());
            prop_assert_eq!(QUOTES.positions(&haystack, from).collect::<Vec<_>>(), reference(&haystack, from));
            for start in (0..haystack.len().saturating_sub(BLOCK)).step_by(7) {
                let block: &[u8; BLOCK] = haystack[start..start + BLOCK].try_into().unwrap();
                let want = QUOTES.mask_bytewise(block);
                prop_assert_eq!(QUOTES.mask_with(block, false), want);
                if has_avx2() {
                    prop_assert_eq!(QUOTES.mask_with(block, true), want);
                }
            }
        }
    }
}
