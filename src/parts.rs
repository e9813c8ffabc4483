//! One long text on every thread of the pool: when it pays to split it, and
//! where to cut it.
//!
//! The passes and scans that read a whole document (the quotes pairing, the
//! names prefilter's search, the trigger scan) split a long one into parts
//! checked on every thread when the pool has more than one; each says why its
//! parts give the answer of one pass over the whole text.

/// Texts shorter than this are read whole by one thread: splitting costs
/// more than it saves.
const SPLIT_MIN: usize = 2 << 20;

/// Parts per thread: a few, so that a slow part does not hold the rest.
pub(crate) const PARTS_PER_THREAD: usize = 4;

/// The size of the parts to split a text of `len` bytes into, on the current
/// pool's threads, or `None` when one thread should read it whole (a pool of
/// one thread, `-j 1`, or a short text).
pub(crate) fn split_part(len: usize) -> Option<usize> {
    let threads = rayon::current_num_threads();
    (threads > 1 && len >= SPLIT_MIN)
        .then(|| len.div_ceil(threads * PARTS_PER_THREAD).max(SPLIT_MIN / 2))
}

/// Where parts of about `part` bytes of `bytes` start when cut at line
/// starts: 0, then after the first line feed at least `part` bytes after
/// the previous part's start; never the end of `bytes`.
pub(crate) fn line_part_starts(bytes: &[u8], part: usize) -> Vec<usize> {
    let part = part.max(1);
    let mut starts = vec![0];
    let mut at = part;
    while let Some(p) = bytes.get(at..).and_then(|rest| memchr::memchr(b'\n', rest)) {
        let start = at + p + 1;
        if start >= bytes.len() {
            break;
        }
        starts.push(start);
        at = start + part;
    }
    starts
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Each part starts after the first line feed at least `part` bytes
    /// after the last part's start, and none is skipped or past the end.
    #[test]
    fn parts_start_after_the_first_line_feed_a_part_on() {
        let text = b"a\nbb\nccc\n\ndddd\ne";
        let line_starts: Vec<usize> = std::iter::once(0)
            .chain(memchr::memchr_iter(b'\n', text).map(|p| p + 1))
            .filter(|&s| s < text.len())
            .collect();
        for part in 1..text.len() + 2 {
            let starts = line_part_starts(text, part);
            let mut want = vec![0];
            while let Some(&next) = line_starts
                .iter()
                .find(|&&s| s > want[want.len() - 1] + part)
            {
                want.push(next);
            }
            assert_eq!(starts, want, "parts of {part}");
        }
        assert_eq!(line_part_starts(b"", 3), vec![0]);
        assert_eq!(line_part_starts(b"one line\n", 2), vec![0]);
    }
}
