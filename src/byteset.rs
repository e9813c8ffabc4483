//! The positions of a few bytes in a text, found 64 bytes at a time.
//!
//! `memchr` finds one to three bytes, and each match costs a call that sets
//! its search up again: on a line of news text with a mark every hundred
//! bytes that setup is most of the work. A [`ByteSet`] instead compares a
//! block of 64 bytes with every byte of the set at once and keeps the matches
//! as one bit each; taking the next match is then a count of trailing zeros.
//! This is the bitmap technique of simdjson's structural scan (and of the
//! masks Teddy takes its candidates from), written with SSE2 (part of every
//! x86-64 processor), AVX2 where the processor has it, and a plain loop
//! elsewhere. [`NotPrintable`] does the same for every byte outside
//! printable ASCII (line feeds, controls and the bytes of non-ASCII
//! characters), where a scan that passes over plain text has to stop.

/// A class of bytes whose positions [`Positions`] finds.
pub trait ByteClass {
    /// Whether `byte` is in the class: the reference the masks are tested
    /// against, and the fallback off x86-64.
    fn contains(&self, byte: u8) -> bool;

    /// Bit `k` set where `block[k]` is in the class, with SSE2.
    #[cfg(target_arch = "x86_64")]
    fn mask_sse2(&self, block: &[u8; BLOCK]) -> u64;

    /// [`mask_sse2`](Self::mask_sse2) with AVX2, 32 bytes at a time.
    ///
    /// # Safety
    ///
    /// The processor must support AVX2.
    #[cfg(target_arch = "x86_64")]
    unsafe fn mask_avx2(&self, block: &[u8; BLOCK]) -> u64;

    /// Bit `k` set where `block[k]` is in the class, with AVX2 when `avx2`
    /// (true only where [`has_avx2`] said so).
    #[inline]
    fn mask(&self, block: &[u8; BLOCK], avx2: bool) -> u64 {
        #[cfg(target_arch = "x86_64")]
        {
            if avx2 {
                // SAFETY: `avx2` is true only where the processor has AVX2.
                return unsafe { self.mask_avx2(block) };
            }
            self.mask_sse2(block)
        }
        #[cfg(not(target_arch = "x86_64"))]
        {
            let _ = avx2;
            mask_bytewise(self, block)
        }
    }

    /// The first 64-byte block of `haystack` from `from` on (blocks at
    /// `from`, `from + 64`, …) that holds a byte of the class, as its start
    /// and mask; when no whole block left holds one, the start of the bytes
    /// left (fewer than 64) and 0. With AVX2 the blocks without a match are
    /// passed over inside one function, the set's vectors loaded once.
    #[inline]
    fn next_mask(&self, haystack: &[u8], from: usize, avx2: bool) -> (usize, u64)
    where
        Self: Sized,
    {
        #[cfg(target_arch = "x86_64")]
        if avx2 {
            // SAFETY: `avx2` is true only where the processor has AVX2.
            return unsafe { next_mask_avx2(self, haystack, from) };
        }
        first_block_with_match(haystack, from, |block| self.mask(block, avx2))
    }

    /// The positions of the class's bytes in `haystack` at or after `from`.
    fn positions<'h>(&'h self, haystack: &'h [u8], from: usize) -> Positions<'h, Self>
    where
        Self: Sized,
    {
        Positions {
            class: self,
            haystack,
            block: from,
            next_block: from,
            mask: 0,
            avx2: has_avx2(),
        }
    }
}

/// [`ByteClass::next_mask`] with AVX2: compiled with it, so that the
/// class's mask is inlined and its loop-invariant loads leave the loop.
///
/// # Safety
///
/// The processor must support AVX2.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
unsafe fn next_mask_avx2<C: ByteClass>(class: &C, haystack: &[u8], from: usize) -> (usize, u64) {
    // SAFETY: the caller checked AVX2.
    first_block_with_match(haystack, from, |block| unsafe { class.mask_avx2(block) })
}

/// The loop of [`ByteClass::next_mask`], inlined into each caller so that
/// `mask` is compiled with the caller's features.
#[inline(always)]
fn first_block_with_match(
    haystack: &[u8],
    mut from: usize,
    mask: impl Fn(&[u8; BLOCK]) -> u64,
) -> (usize, u64) {
    while let Some(block) = haystack.get(from..from + BLOCK) {
        let block = <&[u8; BLOCK]>::try_from(block).expect("a whole block");
        let found = mask(block);
        if found != 0 {
            return (from, found);
        }
        from += BLOCK;
    }
    (from, 0)
}

/// [`ByteClass::mask`] a byte at a time.
#[cfg_attr(target_arch = "x86_64", allow(dead_code))]
fn mask_bytewise(class: &impl ByteClass, block: &[u8]) -> u64 {
    block
        .iter()
        .enumerate()
        .filter(|(_, b)| class.contains(**b))
        .fold(0, |mask, (k, _)| mask | 1 << k)
}

/// A set of `N` bytes (a [`ByteClass`]).
#[derive(Debug, Clone, Copy)]
pub struct ByteSet<const N: usize> {
    bytes: [u8; N],
    /// Each byte 32 times: the vectors a block is compared with (SSE2 reads
    /// the first 16).
    splat: [[u8; 32]; N],
}

/// The bytes a block holds.
pub const BLOCK: usize = 64;

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
}

impl<const N: usize> ByteClass for ByteSet<N> {
    fn contains(&self, byte: u8) -> bool {
        self.bytes.contains(&byte)
    }

    #[cfg(target_arch = "x86_64")]
    #[inline]
    fn mask_sse2(&self, block: &[u8; BLOCK]) -> u64 {
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
}

/// The bytes outside printable ASCII (0x20–0x7E): controls, line feeds, DEL
/// and every byte of a non-ASCII character.
#[derive(Debug, Clone, Copy)]
pub struct NotPrintable;

/// A signed comparison with 0x20 finds both the controls and the bytes from
/// 0x80 (negative as `i8`); one more finds DEL.
impl ByteClass for NotPrintable {
    fn contains(&self, byte: u8) -> bool {
        !(0x20..=0x7E).contains(&byte)
    }

    #[cfg(target_arch = "x86_64")]
    #[inline]
    fn mask_sse2(&self, block: &[u8; BLOCK]) -> u64 {
        use std::arch::x86_64::{
            __m128i, _mm_cmpeq_epi8, _mm_cmplt_epi8, _mm_loadu_si128, _mm_movemask_epi8,
            _mm_or_si128, _mm_set1_epi8,
        };
        // SAFETY: SSE2 is part of the x86-64 baseline, and every unaligned
        // load reads 16 bytes inside the 64-byte `block`.
        unsafe {
            let (space, del) = (_mm_set1_epi8(0x20), _mm_set1_epi8(0x7F));
            let mut mask = 0u64;
            for k in 0..BLOCK / 16 {
                let v = _mm_loadu_si128(block.as_ptr().add(16 * k).cast::<__m128i>());
                let hit = _mm_or_si128(_mm_cmplt_epi8(v, space), _mm_cmpeq_epi8(v, del));
                mask |= u64::from(_mm_movemask_epi8(hit) as u16) << (16 * k);
            }
            mask
        }
    }

    #[cfg(target_arch = "x86_64")]
    #[target_feature(enable = "avx2")]
    unsafe fn mask_avx2(&self, block: &[u8; BLOCK]) -> u64 {
        use std::arch::x86_64::{
            __m256i, _mm256_cmpeq_epi8, _mm256_cmpgt_epi8, _mm256_loadu_si256,
            _mm256_movemask_epi8, _mm256_or_si256, _mm256_set1_epi8,
        };
        // SAFETY: the caller checked AVX2; every unaligned load reads 32
        // bytes inside the 64-byte `block`.
        unsafe {
            let (space, del) = (_mm256_set1_epi8(0x20), _mm256_set1_epi8(0x7F));
            let mut mask = 0u64;
            for k in 0..BLOCK / 32 {
                let v = _mm256_loadu_si256(block.as_ptr().add(32 * k).cast::<__m256i>());
                let hit = _mm256_or_si256(_mm256_cmpgt_epi8(space, v), _mm256_cmpeq_epi8(v, del));
                mask |= u64::from(_mm256_movemask_epi8(hit) as u32) << (32 * k);
            }
            mask
        }
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

/// The positions of a [`ByteClass`]'s bytes in a haystack, in order. A
/// block is read only when the matches before it are taken, so a search that
/// stops early has read at most 64 bytes past its last match.
#[derive(Debug, Clone)]
pub struct Positions<'h, C> {
    class: &'h C,
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

impl<C: ByteClass> Positions<'_, C> {
    /// The next position, without taking it.
    #[inline]
    pub fn peek(&mut self) -> Option<usize> {
        if self.mask == 0 {
            self.refill()?;
        }
        Some(self.block + self.mask.trailing_zeros() as usize)
    }

    /// Moves to the next block with a match (see [`ByteClass::next_mask`]);
    /// `None` at the end of the haystack.
    fn refill(&mut self) -> Option<()> {
        let len = self.haystack.len();
        if self.next_block >= len {
            return None;
        }
        let (block, mask) = self
            .class
            .next_mask(self.haystack, self.next_block, self.avx2);
        self.block = block;
        self.next_block = len.min(block + BLOCK);
        self.mask = mask;
        if mask == 0 && block < len {
            // The last, short block: copied into a zeroed one, and the bits
            // past its end cut off (zero may be in the set).
            let bytes = &self.haystack[block..];
            let mut padded = [0u8; BLOCK];
            padded[..bytes.len()].copy_from_slice(bytes);
            self.mask = self.class.mask(&padded, self.avx2) & ((1u64 << bytes.len()) - 1);
        }
        (self.mask != 0).then_some(())
    }

    /// The next position not yet taken that is at or after `at`, without
    /// taking it; those before `at` are passed over. (The callers seek
    /// forward only: seeking back does not bring back what was taken.)
    #[inline]
    pub fn seek(&mut self, at: usize) -> Option<usize> {
        if at >= self.next_block {
            self.next_block = at;
            self.mask = 0;
        } else if at > self.block {
            self.mask &= u64::MAX << (at - self.block);
        }
        self.peek()
    }
}

impl<C: ByteClass> Iterator for Positions<'_, C> {
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

    fn reference(class: &impl ByteClass, haystack: &[u8], from: usize) -> Vec<usize> {
        (from..haystack.len())
            .filter(|&i| class.contains(haystack[i]))
            .collect()
    }

    #[test]
    fn positions_are_the_set_bytes_in_order() {
        let text = "a `b` <i>“c” «d» 'e' \"f\" — x".as_bytes();
        let got: Vec<usize> = QUOTES.positions(text, 0).collect();
        assert_eq!(got, reference(&QUOTES, text, 0));
        assert_eq!(got.len(), 12); // two each of ` " ' “” «», one < and one —
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
        // Zero bytes in a short block are not in the set, unless they are.
        assert_eq!(QUOTES.positions(&[0, b'"', 0], 0).collect::<Vec<_>>(), [1]);
        let zeros = ByteSet::new([0u8]);
        assert_eq!(zeros.positions(&[1, 0, 1], 0).collect::<Vec<_>>(), [1]);
    }

    #[test]
    fn not_printable_is_everything_but_printable_ascii() {
        let all: Vec<u8> = (0..=255).collect();
        let got: Vec<usize> = NotPrintable.positions(&all, 0).collect();
        let want: Vec<usize> = (0..0x20).chain(0x7F..=0xFF).collect();
        assert_eq!(got, want);
        assert_eq!(NotPrintable.positions(b"tab\there", 0).next(), Some(3));
    }

    #[test]
    fn peek_and_seek_do_not_take() {
        let mut positions = QUOTES.positions(b"a\"b'c\"d", 0);
        assert_eq!(positions.peek(), Some(1));
        assert_eq!(positions.peek(), Some(1));
        assert_eq!(positions.next(), Some(1));
        assert_eq!(positions.seek(2), Some(3));
        assert_eq!(positions.seek(4), Some(5));
        assert_eq!(positions.next(), Some(5));
        assert_eq!(positions.peek(), None);
        // Seeking back returns what is left, seeking past a block skips it.
        let mut long = vec![b'x'; 300];
        long[10] = b'"';
        long[150] = b'"';
        long[290] = b'"';
        let mut positions = QUOTES.positions(&long, 0);
        assert_eq!(positions.seek(11), Some(150));
        assert_eq!(positions.seek(0), Some(150));
        assert_eq!(positions.seek(151), Some(290));
        assert_eq!(positions.seek(291), None);
    }

    /// Every way of computing a block's mask agrees with the byte test.
    fn masks_agree(class: &impl ByteClass, block: &[u8; BLOCK]) -> Result<(), TestCaseError> {
        let want = mask_bytewise(class, block);
        prop_assert_eq!(class.mask(block, false), want);
        if has_avx2() {
            prop_assert_eq!(class.mask(block, true), want);
        }
        Ok(())
    }

    fn bytes() -> impl Strategy<Value = Vec<u8>> {
        proptest::collection::vec(
            prop_oneof![
                Just(b'"'),
                Just(0xE2u8),
                Just(0xC2u8),
                Just(b'a'),
                Just(0x7F),
                Just(b'\n'),
                any::<u8>()
            ],
            0..300,
        )
    }

    proptest! {
        #[test]
        fn positions_equal_a_byte_by_byte_search(haystack in bytes(), from in 0usize..320, seeks in proptest::collection::vec(0usize..320, 0..8)) {
            let from = from.min(haystack.len());
            prop_assert_eq!(QUOTES.positions(&haystack, from).collect::<Vec<_>>(), reference(&QUOTES, &haystack, from));
            prop_assert_eq!(NotPrintable.positions(&haystack, from).collect::<Vec<_>>(), reference(&NotPrintable, &haystack, from));
            // Seeking ahead finds the first position at or after the target.
            let mut sorted = seeks.clone();
            sorted.sort_unstable();
            let mut positions = NotPrintable.positions(&haystack, 0);
            for at in sorted {
                let want = reference(&NotPrintable, &haystack, at.min(haystack.len())).first().copied();
                prop_assert_eq!(positions.seek(at), want);
            }
            // The next block with a match, passing over those without.
            let mut want = (from, 0);
            while let Some(block) = haystack.get(want.0..want.0 + BLOCK) {
                let mask = mask_bytewise(&QUOTES, block);
                if mask != 0 {
                    want.1 = mask;
                    break;
                }
                want.0 += BLOCK;
            }
            prop_assert_eq!(QUOTES.next_mask(&haystack, from, false), want);
            if has_avx2() {
                prop_assert_eq!(QUOTES.next_mask(&haystack, from, true), want);
            }
            for start in (0..haystack.len().saturating_sub(BLOCK)).step_by(7) {
                let block: &[u8; BLOCK] = haystack[start..start + BLOCK].try_into().unwrap();
                masks_agree(&QUOTES, block)?;
                masks_agree(&NotPrintable, block)?;
            }
        }
    }
}
