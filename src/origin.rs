//! Where text came from: mapping offsets in an intermediate text back to the
//! original document.
//!
//! Every fix is tied to a byte range of the *original* document, so that a fix
//! keeps its identity whatever other fixes are accepted or rejected (rejecting an
//! earlier pass's fix shifts the text that later passes see, but not the original).

use std::ops::Range;

use crate::finding::Edit;

/// A run of the current text and the original range it came from.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Piece {
    /// Range in the current text.
    current: Range<usize>,
    /// Range in the original text.
    original: Range<usize>,
    /// Copied unchanged (byte for byte) rather than written by a fix.
    copied: bool,
}

/// Maps offsets in one text back to the original document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OffsetMap {
    pieces: Vec<Piece>,
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
            Some(p) if p.copied => p.original.start + (offset - p.current.start.min(offset)),
            Some(p) => p.original.start,
            None => self.original_len,
        }
    }

    /// The original offset where a range ending at `offset` ends.
    pub fn end(&self, offset: usize) -> usize {
        let i = self.pieces.partition_point(|p| p.current.start < offset);
        match i.checked_sub(1).and_then(|i| self.pieces.get(i)) {
            Some(p) if p.copied => p.original.start + (offset.min(p.current.end) - p.current.start),
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
    pub fn apply(&self, edits: &[&Edit]) -> OffsetMap {
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
                pieces.push(Piece {
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
        OffsetMap {
            pieces,
            original_len: self.original_len,
        }
    }

    /// Appends the pieces covering `from..to` of the current text.
    fn copy(&self, from: usize, to: usize, out: &mut usize, pieces: &mut Vec<Piece>) {
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
            pieces.push(Piece {
                current: *out..*out + (e - s),
                original,
                copied: p.copied,
            });
            *out += e - s;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::finding::apply_edits;

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
}
