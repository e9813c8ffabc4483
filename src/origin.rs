//! Where text came from: mapping offsets in an intermediate text back to the
//! original document.
//!
//! Every fix is tied to a byte range of the *original* document, so that a fix
//! keeps its identity whatever other fixes are accepted or rejected (rejecting an
//! earlier pass's fix shifts the text that later passes see, but not the original).

use std::ops::Range;

use crate::finding::Edit;

/// A run of the current text and the original range it came from. It ends in
/// the current text where the next piece starts (the last, at the current
/// text's end): 24 bytes a piece, two per edit, on texts with a fix every few
/// bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Piece {
    /// Where it starts in the current text.
    current: usize,
    /// Where its original range starts.
    original: usize,
    /// Where its original range ends, with [`WRITTEN`] set for a piece a fix
    /// wrote (rather than copied unchanged, byte for byte).
    original_end: usize,
}

/// The flag of [`Piece::original_end`] for a written piece (no text is
/// 2^63 bytes long).
const WRITTEN: usize = 1 << (usize::BITS - 1);

impl Piece {
    fn copied(&self) -> bool {
        self.original_end & WRITTEN == 0
    }

    fn original_end(&self) -> usize {
        self.original_end & !WRITTEN
    }
}

/// Maps offsets in one text back to the original document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OffsetMap {
    /// Contiguous, non-empty pieces covering the current text from 0.
    pieces: Vec<Piece>,
    /// The current text's length.
    len: usize,
    original_len: usize,
}

impl OffsetMap {
    /// The map of the original text onto itself.
    pub fn identity(len: usize) -> Self {
        OffsetMap {
            pieces: if len == 0 {
                Vec::new()
            } else {
                vec![Piece {
                    current: 0,
                    original: 0,
                    original_end: len,
                }]
            },
            len,
            original_len: len,
        }
    }

    /// Where piece `i` ends in the current text.
    fn current_end(&self, i: usize) -> usize {
        self.pieces.get(i + 1).map_or(self.len, |p| p.current)
    }

    /// The index of the piece holding `offset` (`None` at or past the end).
    fn holding(&self, offset: usize) -> Option<usize> {
        (offset < self.len).then(|| self.pieces.partition_point(|p| p.current <= offset) - 1)
    }

    /// The original offset where a range starting at `offset` starts.
    pub fn start(&self, offset: usize) -> usize {
        match self.holding(offset) {
            Some(i) => self.start_in(i, offset),
            None => self.original_len,
        }
    }

    /// [`OffsetMap::start`] of an `offset` inside piece `i`.
    fn start_in(&self, i: usize, offset: usize) -> usize {
        let p = &self.pieces[i];
        if p.copied() {
            p.original + (offset - p.current)
        } else {
            p.original
        }
    }

    /// The original offset where a range ending at `offset` ends.
    pub fn end(&self, offset: usize) -> usize {
        // The last piece starting before `offset`.
        match self
            .pieces
            .partition_point(|p| p.current < offset)
            .checked_sub(1)
        {
            Some(i) => self.end_in(i, offset),
            None => 0,
        }
    }

    /// [`OffsetMap::end`] of an `offset` after the start of piece `i` and at
    /// most its end (or past the text's end, for the last piece).
    fn end_in(&self, i: usize, offset: usize) -> usize {
        let p = &self.pieces[i];
        if p.copied() {
            p.original + (offset.min(self.current_end(i)) - p.current)
        } else {
            p.original_end()
        }
    }

    /// The original range of `range` in the current text.
    pub fn range(&self, range: Range<usize>) -> Range<usize> {
        let start = self.start(range.start);
        let end = self.end(range.end).max(start);
        if range.is_empty() {
            start..start
        } else {
            start..end
        }
    }

    /// The map of the text that results from applying `edits` (sorted,
    /// non-overlapping) to the current text. One walk over the pieces and
    /// the edits together: positions are looked up in increasing order.
    pub fn apply(&self, edits: &[&Edit]) -> OffsetMap {
        let mut pieces = Vec::with_capacity(self.pieces.len() + 2 * edits.len());
        let mut walk = Walk { map: self, at: 0 };
        let mut pos = 0usize; // in current coordinates
        let mut out = 0usize; // in new coordinates
        for edit in edits {
            walk.copy(pos, edit.start, &mut out, &mut pieces);
            let start = walk.start(edit.start);
            let end = walk.end(edit.end);
            let original = if edit.start == edit.end {
                let at = end.min(start);
                at..at
            } else {
                start..end.max(start)
            };
            if !edit.replacement.is_empty() {
                pieces.push(Piece {
                    current: out,
                    original: original.start,
                    original_end: original.end | WRITTEN,
                });
                out += edit.replacement.len();
            }
            pos = edit.end;
        }
        walk.copy(pos, self.len, &mut out, &mut pieces);
        OffsetMap {
            pieces,
            len: out,
            original_len: self.original_len,
        }
    }
}

/// A cursor over a map's pieces for positions asked for in increasing order
/// (what [`OffsetMap::apply`] does): each lookup moves forward from the last,
/// instead of a binary search over every piece.
struct Walk<'a> {
    map: &'a OffsetMap,
    /// The piece the last position was in (or the first).
    at: usize,
}

impl Walk<'_> {
    /// Moves to the last piece starting at or before `offset` (back one or
    /// two pieces at most in `apply`: an insertion looks just before itself).
    fn move_to(&mut self, offset: usize) {
        let pieces = &self.map.pieces;
        while self.at > 0 && pieces[self.at].current > offset {
            self.at -= 1;
        }
        while self.at + 1 < pieces.len() && pieces[self.at + 1].current <= offset {
            self.at += 1;
        }
    }

    /// [`OffsetMap::start`].
    fn start(&mut self, offset: usize) -> usize {
        if offset >= self.map.len {
            return self.map.original_len;
        }
        self.move_to(offset);
        self.map.start_in(self.at, offset)
    }

    /// [`OffsetMap::end`].
    fn end(&mut self, offset: usize) -> usize {
        if offset == 0 || self.map.pieces.is_empty() {
            return 0;
        }
        // The last piece starting before `offset`, i.e. holding `offset - 1`.
        self.move_to(offset - 1);
        self.map.end_in(self.at, offset)
    }

    /// Appends the pieces covering `from..to` of the current text, starting
    /// at `out` in the new one.
    fn copy(&mut self, from: usize, to: usize, out: &mut usize, pieces: &mut Vec<Piece>) {
        if from >= to {
            return;
        }
        self.move_to(from);
        let map = self.map;
        for i in self.at..map.pieces.len() {
            let p = &map.pieces[i];
            if p.current >= to {
                break;
            }
            let s = p.current.max(from);
            let e = map.current_end(i).min(to);
            let (original, original_end) = if p.copied() {
                let shift = s - p.current;
                (p.original + shift, p.original + shift + (e - s))
            } else {
                (p.original, p.original_end)
            };
            pieces.push(Piece {
                current: *out,
                original,
                original_end,
            });
            *out += e - s;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::finding::apply_edits;

    /// The map as it was first written (pieces with both ends): the
    /// reference the compact map is checked against.
    mod reference {
        use super::super::Edit;
        use std::ops::Range;

        /// A run of the current text and the original range it came from.
        #[derive(Debug, Clone, PartialEq, Eq)]
        struct ReferencePiece {
            /// Range in the current text.
            current: Range<usize>,
            /// Range in the original text.
            original: Range<usize>,
            /// Copied unchanged (byte for byte) rather than written by a fix.
            copied: bool,
        }

        /// Maps offsets in one text back to the original document.
        #[derive(Debug, Clone, PartialEq, Eq)]
        pub struct ReferenceMap {
            pieces: Vec<ReferencePiece>,
            original_len: usize,
        }

        impl ReferenceMap {
            /// The map of the original text onto itself.
            pub fn identity(len: usize) -> Self {
                ReferenceMap {
                    pieces: if len == 0 {
                        Vec::new()
                    } else {
                        vec![ReferencePiece {
                            current: 0..len,
                            original: 0..len,
                            copied: true,
                        }]
                    },
                    original_len: len,
                }
            }

            /// The original offset where a range starting at `offset` starts.
            pub fn start(&self, offset: usize) -> usize {
                let i = self.pieces.partition_point(|p| p.current.end <= offset);
                match self.pieces.get(i) {
                    Some(p) if p.copied => {
                        p.original.start + (offset - p.current.start.min(offset))
                    }
                    Some(p) => p.original.start,
                    None => self.original_len,
                }
            }

            /// The original offset where a range ending at `offset` ends.
            pub fn end(&self, offset: usize) -> usize {
                let i = self.pieces.partition_point(|p| p.current.start < offset);
                match i.checked_sub(1).and_then(|i| self.pieces.get(i)) {
                    Some(p) if p.copied => {
                        p.original.start + (offset.min(p.current.end) - p.current.start)
                    }
                    Some(p) => p.original.end,
                    None => 0,
                }
            }

            /// The original range of `range` in the current text.
            pub fn range(&self, range: Range<usize>) -> Range<usize> {
                let start = self.start(range.start);
                let end = self.end(range.end).max(start);
                if range.is_empty() {
                    start..start
                } else {
                    start..end
                }
            }

            /// The map of the text that results from applying `edits` (sorted,
            /// non-overlapping) to the current text.
            pub fn apply(&self, edits: &[&Edit]) -> ReferenceMap {
                let mut pieces = Vec::with_capacity(self.pieces.len() + 2 * edits.len());
                let mut pos = 0usize; // in current coordinates
                let mut out = 0usize; // in new coordinates
                for edit in edits {
                    self.copy(pos, edit.start, &mut out, &mut pieces);
                    let original = self.range(edit.start..edit.end);
                    let original = if edit.start == edit.end {
                        let at = self.end(edit.start).min(self.start(edit.start));
                        at..at
                    } else {
                        original
                    };
                    if !edit.replacement.is_empty() {
                        pieces.push(ReferencePiece {
                            current: out..out + edit.replacement.len(),
                            original,
                            copied: false,
                        });
                        out += edit.replacement.len();
                    }
                    pos = edit.end;
                }
                let len = self.pieces.last().map_or(0, |p| p.current.end);
                self.copy(pos, len, &mut out, &mut pieces);
                ReferenceMap {
                    pieces,
                    original_len: self.original_len,
                }
            }

            /// Appends the pieces covering `from..to` of the current text.
            fn copy(
                &self,
                from: usize,
                to: usize,
                out: &mut usize,
                pieces: &mut Vec<ReferencePiece>,
            ) {
                if from >= to {
                    return;
                }
                let first = self.pieces.partition_point(|p| p.current.end <= from);
                for p in &self.pieces[first..] {
                    if p.current.start >= to {
                        break;
                    }
                    let s = p.current.start.max(from);
                    let e = p.current.end.min(to);
                    let original = if p.copied {
                        let shift = s - p.current.start;
                        p.original.start + shift..p.original.start + shift + (e - s)
                    } else {
                        p.original.clone()
                    };
                    pieces.push(ReferencePiece {
                        current: *out..*out + (e - s),
                        original,
                        copied: p.copied,
                    });
                    *out += e - s;
                }
            }
        }
    }

    #[test]
    fn identity_maps_to_itself() {
        let m = OffsetMap::identity(10);
        assert_eq!(m.range(2..5), 2..5);
        assert_eq!(m.range(10..10), 10..10);
    }

    #[test]
    fn offsets_after_an_edit_map_back() {
        // "a..b" → "a.b" (delete byte 2)
        let m = OffsetMap::identity(4).apply(&[&Edit::delete(2, 3)]);
        assert_eq!(m.range(2..3), 3..4, "`b` came from byte 3");
        assert_eq!(m.range(0..1), 0..1);
        // "Dimitri x" → "Dmitry x": the replaced word maps to its whole source
        let text = "Dimitri x";
        let edit = Edit::replace(0, 7, "Dmitry");
        let m = OffsetMap::identity(text.len()).apply(&[&edit]);
        assert_eq!(apply_edits(text, &[&edit]), "Dmitry x");
        assert_eq!(m.range(0..6), 0..7);
        assert_eq!(
            m.range(2..4),
            0..7,
            "inside a rewritten piece: the whole piece"
        );
        assert_eq!(m.range(7..8), 8..9, "`x` keeps its place");
    }

    #[test]
    fn maps_compose_over_several_passes() {
        let t0 = "xx..yy,,zz";
        let e1 = Edit::delete(3, 4); // "xx.yy,,zz"
        let m1 = OffsetMap::identity(t0.len()).apply(&[&e1]);
        let t1 = apply_edits(t0, &[&e1]);
        let e2 = Edit::delete(6, 7); // "xx.yy,zz"
        let m2 = m1.apply(&[&e2]);
        let t2 = apply_edits(&t1, &[&e2]);
        assert_eq!(t2, "xx.yy,zz");
        // `zz` in t2 is bytes 6..8, in t0 bytes 8..10
        assert_eq!(m2.range(6..8), 8..10);
        // the second comma's deletion, in t1 coordinates, maps to t0's 7..8
        assert_eq!(m1.range(6..7), 7..8);
    }

    #[test]
    fn insertion_maps_to_a_point() {
        let e = Edit::replace(2, 2, "-");
        let m = OffsetMap::identity(4).apply(&[&e]);
        assert_eq!(m.range(2..3), 2..2);
        assert_eq!(m.range(3..4), 2..3);
    }

    #[test]
    fn the_compact_map_maps_as_the_reference_over_several_passes() {
        let mut next = crate::passes::random_text::numbers(17);
        let mut checked = 0;
        for _ in 0..2_000 {
            let original_len = next(24);
            let (mut map, mut reference) = (
                OffsetMap::identity(original_len),
                reference::ReferenceMap::identity(original_len),
            );
            let mut len = original_len;
            for _ in 0..next(5) {
                // Sorted, non-overlapping edits: deletions, insertions,
                // replacements longer and shorter, touching or not.
                let mut edits = Vec::new();
                let mut at = 0;
                while at <= len && next(3) > 0 {
                    let start = at + next(3);
                    if start > len {
                        break;
                    }
                    let end = (start + next(4)).min(len);
                    let replacement = "r".repeat(next(4));
                    edits.push(Edit::replace(start, end, replacement));
                    at = end + usize::from(start == end);
                }
                let refs: Vec<&Edit> = edits.iter().collect();
                map = map.apply(&refs);
                reference = reference.apply(&refs);
                len = (len as isize
                    + edits
                        .iter()
                        .map(|e| e.replacement.len() as isize - (e.end - e.start) as isize)
                        .sum::<isize>()) as usize;
                assert_eq!(map.len, len);
                for s in 0..=len + 1 {
                    assert_eq!(map.start(s), reference.start(s), "start {s} {edits:?}");
                    assert_eq!(map.end(s), reference.end(s), "end {s} {edits:?}");
                    for e in s..=len + 1 {
                        assert_eq!(map.range(s..e), reference.range(s..e), "{s}..{e}");
                        checked += 1;
                    }
                }
            }
        }
        assert!(checked > 100_000, "{checked}");
    }
}
