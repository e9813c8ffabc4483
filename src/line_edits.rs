//! Fixes written into the lines they touch, not yet into the whole text.
//!
//! A lean run (`clean`) keeps its current text as the last text it wrote
//! out (the *base*) plus the lines that fixes have rewritten since
//! ([`LineEdits`]). A pass's fixes rewrite only their own lines, each line
//! once per pass that fixes it; the whole text is written out again only
//! when a pass reads the whole document (a document pass), and once at the
//! end. Line-local passes read the lines they check through a [`View`], as
//! the text would read if it were written out.
//!
//! A fix that removes or writes a line feed changes where lines are, so it
//! is not kept here: the pipeline writes the text out and applies it to the
//! whole text.

use std::borrow::Cow;
use std::cell::Cell;
use std::ops::Range;

use crate::finding::Edit;

/// Where line feeds are in a text: all the pipeline needs to find the lines
/// a pass checks, for a text in one piece (`[u8]`) or a [`View`].
pub(crate) trait LineText {
    /// The text's length in bytes.
    fn len(&self) -> usize;
    /// The first line feed in `from..to`.
    fn find_lf(&self, from: usize, to: usize) -> Option<usize>;
    /// The last line feed in `from..to`.
    fn rfind_lf(&self, from: usize, to: usize) -> Option<usize>;
}

impl LineText for [u8] {
    fn len(&self) -> usize {
        <[u8]>::len(self)
    }

    fn find_lf(&self, from: usize, to: usize) -> Option<usize> {
        memchr::memchr(b'\n', &self[from..to]).map(|i| from + i)
    }

    fn rfind_lf(&self, from: usize, to: usize) -> Option<usize> {
        memchr::memrchr(b'\n', &self[from..to]).map(|i| from + i)
    }
}

impl LineText for str {
    fn len(&self) -> usize {
        str::len(self)
    }

    fn find_lf(&self, from: usize, to: usize) -> Option<usize> {
        self.as_bytes().find_lf(from, to)
    }

    fn rfind_lf(&self, from: usize, to: usize) -> Option<usize> {
        self.as_bytes().rfind_lf(from, to)
    }
}

/// A rewritten line: the whole line, with its line feed (none only for the
/// text's last line).
#[derive(Debug, Clone)]
struct Line {
    /// Where it starts in the current text.
    current: usize,
    /// The line it replaces in the base.
    base: Range<usize>,
    /// Its text in [`LineEdits::arena`].
    content: Range<usize>,
}

impl Line {
    fn current_end(&self) -> usize {
        self.current + self.content.len()
    }
}

/// The lines rewritten since the base was written out, in order.
#[derive(Debug, Default)]
pub(crate) struct LineEdits {
    lines: Vec<Line>,
    /// Every rewritten line's text; a line rewritten again leaves its old
    /// text behind, dropped when the arena outgrows what is live.
    arena: String,
    /// Buffers [`apply`](Self::apply) reuses: the lines it rewrites (where
    /// each was in the base, and its text in `written`), and the merged list.
    rewritten: Vec<(Range<usize>, Range<usize>)>,
    written: String,
    merged: Vec<Line>,
}

impl LineEdits {
    /// Whether no line has been rewritten (the base is the current text).
    pub(crate) fn is_empty(&self) -> bool {
        self.lines.is_empty()
    }

    /// The current text: `base` with the rewritten lines.
    pub(crate) fn view<'a>(&'a self, base: &'a str) -> View<'a> {
        View::new(base, &self.lines, &self.arena)
    }

    /// Writes the rewritten lines into `base`, which is then the current
    /// text, and forgets them. Where no line before a point has grown the
    /// text, everything is moved where it lies (the usual case: most fixes
    /// delete), from the first rewritten line on; otherwise the text is
    /// written into `spare` and swapped with `base`.
    pub(crate) fn write_out(&mut self, base: &mut String, spare: &mut String) {
        let grows = self.lines.iter().any(|l| l.current_end() > l.base.end);
        if grows {
            spare.clear();
            spare.reserve(self.view(base).len);
            let mut from = 0;
            for line in &self.lines {
                spare.push_str(&base[from..line.base.start]);
                spare.push_str(&self.arena[line.content.clone()]);
                from = line.base.end;
            }
            spare.push_str(&base[from..]);
            std::mem::swap(base, spare);
        } else {
            // SAFETY: whole lines of valid UTF-8 are moved and written, so
            // the bytes left form valid UTF-8, as the copy above builds.
            let bytes = unsafe { base.as_mut_vec() };
            let len = bytes.len();
            let (mut write, mut read) = (0, 0);
            for line in &self.lines {
                // `write <= read` here, and the line's text ends at or before
                // its base line's end: nothing is written over unread bytes.
                bytes.copy_within(read..line.base.start, write);
                write += line.base.start - read;
                bytes[write..write + line.content.len()]
                    .copy_from_slice(&self.arena.as_bytes()[line.content.clone()]);
                write += line.content.len();
                read = line.base.end;
            }
            bytes.copy_within(read..len, write);
            write += len - read;
            bytes.truncate(write);
        }
        self.lines.clear();
        self.arena.clear();
    }

    /// Applies `edits` (sorted, non-overlapping, offsets into the current
    /// text) by rewriting each line they touch, once. Returns `false`, with
    /// nothing changed, when an edit removes or writes a line feed.
    pub(crate) fn apply(&mut self, base: &str, edits: &[&Edit]) -> bool {
        let view = View::new(base, &self.lines, &self.arena);
        if edits
            .iter()
            .any(|e| e.replacement.contains('\n') || view.get(e.start..e.end).contains('\n'))
        {
            return false;
        }
        let (rewritten, written) = (&mut self.rewritten, &mut self.written);
        rewritten.clear();
        written.clear();
        let mut i = 0;
        while i < edits.len() {
            let at = edits[i].start;
            let start = view.rfind_lf(0, at).map_or(0, |lf| lf + 1);
            // A line ends after its line feed; the last one may have none.
            let lf = view.find_lf(at, view.len);
            let end = lf.map_or(view.len, |lf| lf + 1);
            let old = view.get(start..end);
            let from = written.len();
            let mut pos = start;
            // The edits in this line: starting before its end, or at the end
            // of a last line without a line feed.
            while let Some(e) = edits.get(i).filter(|e| e.start < end || lf.is_none()) {
                written.push_str(&old[pos - start..e.start - start]);
                written.push_str(&e.replacement);
                pos = e.end;
                i += 1;
            }
            written.push_str(&old[pos - start..]);
            rewritten.push((view.base_range(start, end), from..written.len()));
        }
        // The old lines and the rewritten ones merged by where they are in
        // the base (a rewritten line replaces its old text), with where each
        // now starts.
        let offset = self.arena.len();
        let merged = &mut self.merged;
        merged.clear();
        let mut old = self.lines.drain(..).peekable();
        for (base_range, content) in rewritten.iter() {
            while let Some(line) = old.next_if(|l| l.base.start < base_range.start) {
                merged.push(line);
            }
            old.next_if(|l| l.base.start == base_range.start);
            merged.push(Line {
                current: 0,
                base: base_range.clone(),
                content: offset + content.start..offset + content.end,
            });
        }
        merged.extend(old);
        self.arena.push_str(written);
        let mut delta = 0isize;
        let mut live = 0;
        for line in merged.iter_mut() {
            line.current = line.base.start.wrapping_add_signed(delta);
            delta += line.content.len() as isize - line.base.len() as isize;
            live += line.content.len();
        }
        std::mem::swap(&mut self.lines, merged);
        // Old texts of lines rewritten again are dropped when they are most
        // of the arena, so that it stays within about twice what is live.
        if self.arena.len() > 2 * live + 4096 {
            let arena = &mut self.written;
            arena.clear();
            for line in &mut self.lines {
                let from = arena.len();
                arena.push_str(&self.arena[line.content.clone()]);
                line.content = from..arena.len();
            }
            std::mem::swap(&mut self.arena, arena);
        }
        true
    }
}

/// The current text of a lean run: a base and the lines rewritten since,
/// read as if written out. It lies in *slots*: slot `2k` is the base text
/// before rewritten line `k`, slot `2k + 1` is that line.
pub(crate) struct View<'a> {
    base: &'a str,
    lines: &'a [Line],
    arena: &'a str,
    len: usize,
    /// The slot last looked at: positions are mostly asked for in order,
    /// so the next is usually in it or just after.
    hint: Cell<usize>,
}

/// A stretch of the current text that lies in one piece in memory.
struct Stretch<'a> {
    /// Where it starts in the current text.
    at: usize,
    text: &'a str,
}

impl<'a> View<'a> {
    fn new(base: &'a str, lines: &'a [Line], arena: &'a str) -> Self {
        let len = lines
            .last()
            .map_or(base.len(), |l| l.current_end() + base.len() - l.base.end);
        View {
            base,
            lines,
            arena,
            len,
            hint: Cell::new(0),
        }
    }

    /// The stretch in slot `slot` (see [`View`]).
    fn slot(&self, slot: usize) -> Stretch<'a> {
        let k = slot / 2;
        if slot % 2 == 1 {
            let l = &self.lines[k];
            return Stretch {
                at: l.current,
                text: &self.arena[l.content.clone()],
            };
        }
        let (at, base_at) = match k.checked_sub(1).map(|j| &self.lines[j]) {
            Some(l) => (l.current_end(), l.base.end),
            None => (0, 0),
        };
        let end = self.lines.get(k).map_or(self.len, |l| l.current);
        Stretch {
            at,
            text: &self.base[base_at..base_at + (end - at)],
        }
    }

    /// The stretch holding `pos`, the slot it is in; at the text's end, the
    /// last slot, empty or not.
    fn stretch_at(&self, pos: usize) -> (Stretch<'a>, usize) {
        let last = 2 * self.lines.len();
        let holds = |s: &Stretch| s.at <= pos && (pos < s.at + s.text.len());
        // The slot of the last look-up, or one of the next two.
        let hint = self.hint.get();
        for slot in hint..(hint + 3).min(last + 1) {
            let s = self.slot(slot);
            if holds(&s) {
                self.hint.set(slot);
                return (s, slot);
            }
        }
        let slot = if pos >= self.len {
            last
        } else {
            let k = self.lines.partition_point(|l| l.current_end() <= pos);
            match self.lines.get(k) {
                Some(l) if l.current <= pos => 2 * k + 1,
                _ => 2 * k,
            }
        };
        self.hint.set(slot);
        (self.slot(slot), slot)
    }

    /// `start..end` of the current text (whole lines) in the base; for a
    /// rewritten line, the base line it replaces.
    fn base_range(&self, start: usize, end: usize) -> Range<usize> {
        if start < end {
            let (s, slot) = self.stretch_at(start);
            if slot % 2 == 1 {
                return self.lines[slot / 2].base.clone();
            }
            let base_at = s.text.as_ptr() as usize - self.base.as_ptr() as usize;
            let from = base_at + (start - s.at);
            return from..from + (end - start);
        }
        // An empty last line: after everything, in the base too.
        let k = self.lines.partition_point(|l| l.current_end() <= start);
        let base_at = k.checked_sub(1).map_or(0, |j| self.lines[j].base.end);
        let at = k.checked_sub(1).map_or(0, |j| self.lines[j].current_end());
        base_at + (start - at)..base_at + (start - at)
    }

    /// The current text's `range`, borrowed when it lies in one piece.
    pub(crate) fn get(&self, range: Range<usize>) -> Cow<'a, str> {
        if range.is_empty() {
            return Cow::Borrowed("");
        }
        let (first, _) = self.stretch_at(range.start);
        if range.end <= first.at + first.text.len() {
            return Cow::Borrowed(&first.text[range.start - first.at..range.end - first.at]);
        }
        let mut out = String::with_capacity(range.len());
        self.copy_into(range, &mut out);
        Cow::Owned(out)
    }

    /// The current text's `range` when it lies in one piece.
    pub(crate) fn borrowed(&self, range: Range<usize>) -> Option<&'a str> {
        let (s, _) = self.stretch_at(range.start);
        (range.end <= s.at + s.text.len()).then(|| &s.text[range.start - s.at..range.end - s.at])
    }

    /// Appends the current text's `range` to `out`.
    pub(crate) fn copy_into(&self, range: Range<usize>, out: &mut String) {
        let mut pos = range.start;
        while pos < range.end {
            let (s, _) = self.stretch_at(pos);
            let end = (s.at + s.text.len()).min(range.end);
            out.push_str(&s.text[pos - s.at..end - s.at]);
            pos = end;
        }
    }

    /// The byte at `pos`.
    pub(crate) fn byte(&self, pos: usize) -> Option<u8> {
        (pos < self.len).then(|| {
            let (s, _) = self.stretch_at(pos);
            s.text.as_bytes()[pos - s.at]
        })
    }

    /// `start..end` cut where the text changes pieces, each piece with where
    /// it starts: runs of whole lines of the base, and rewritten lines.
    pub(crate) fn pieces(
        &self,
        start: usize,
        end: usize,
    ) -> impl Iterator<Item = (usize, &'a str)> + '_ {
        let mut pos = start;
        std::iter::from_fn(move || {
            if pos >= end {
                return None;
            }
            let (s, _) = self.stretch_at(pos);
            let to = (s.at + s.text.len()).min(end);
            let piece = (pos, &s.text[pos - s.at..to - s.at]);
            pos = to;
            Some(piece)
        })
    }
}

impl LineText for View<'_> {
    fn len(&self) -> usize {
        self.len
    }

    fn find_lf(&self, from: usize, to: usize) -> Option<usize> {
        let mut pos = from;
        while pos < to {
            let (s, _) = self.stretch_at(pos);
            let end = (s.at + s.text.len()).min(to);
            if end <= pos {
                return None;
            }
            if let Some(i) = memchr::memchr(b'\n', &s.text.as_bytes()[pos - s.at..end - s.at]) {
                return Some(pos + i);
            }
            pos = end;
        }
        None
    }

    fn rfind_lf(&self, from: usize, to: usize) -> Option<usize> {
        let mut end = to;
        while end > from {
            let (s, _) = self.stretch_at(end - 1);
            let start = s.at.max(from);
            if let Some(i) = memchr::memrchr(b'\n', &s.text.as_bytes()[start - s.at..end - s.at]) {
                return Some(start + i);
            }
            end = start;
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::finding::apply_edits;

    /// Random texts of short lines, edited by random rounds of edits inside
    /// lines: the view reads as the text written out at every step, and
    /// writing out gives what applying each round to the whole text gives.
    #[test]
    fn rewritten_lines_read_as_the_text_written_out() {
        let mut seed = 0x2545_f491_4f6c_dd1du64;
        let mut next = |n: usize| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            (seed % n as u64) as usize
        };
        for _ in 0..300 {
            let len = next(60);
            let alphabet = ['a', 'b', '\n', 'é', ' '];
            let base: String = (0..len).map(|_| alphabet[next(alphabet.len())]).collect();
            let mut whole = base.clone();
            let mut edits = LineEdits::default();
            let mut written_out = base.clone();
            for _ in 0..4 {
                // Edits on character boundaries, away from line feeds.
                let bounds: Vec<usize> = (0..=whole.len())
                    .filter(|&i| whole.is_char_boundary(i))
                    .collect();
                let mut list = Vec::new();
                let mut pos = 0;
                for &b in &bounds {
                    if b < pos || next(4) != 0 {
                        continue;
                    }
                    let end = bounds
                        .iter()
                        .copied()
                        .filter(|&e| e >= b && e <= b + 3)
                        .nth(next(3))
                        .unwrap_or(b);
                    if whole[b..end].contains('\n') {
                        continue;
                    }
                    let replacement = ["", "x", "éé", "yz"][next(4)];
                    list.push(Edit::replace(b, end, replacement));
                    pos = end + 1;
                }
                let refs: Vec<&Edit> = list.iter().collect();
                assert!(edits.apply(&written_out, &refs));
                whole = apply_edits(&whole, &refs);
                let view = edits.view(&written_out);
                assert_eq!(view.len(), whole.len());
                assert_eq!(view.get(0..whole.len()), whole);
                let bytes = whole.as_bytes();
                for from in 0..=whole.len() {
                    assert_eq!(view.byte(from), bytes.get(from).copied());
                    for to in from..=whole.len() {
                        assert_eq!(view.find_lf(from, to), bytes.find_lf(from, to));
                        assert_eq!(view.rfind_lf(from, to), bytes.rfind_lf(from, to));
                        if whole.is_char_boundary(from) && whole.is_char_boundary(to) {
                            assert_eq!(view.get(from..to), &whole[from..to]);
                            let joined: String = view.pieces(from, to).map(|(_, s)| s).collect();
                            assert_eq!(joined, &whole[from..to]);
                        }
                    }
                }
                if next(3) == 0 {
                    edits.write_out(&mut written_out, &mut String::new());
                    assert_eq!(written_out, whole);
                    assert!(edits.is_empty());
                }
            }
            edits.write_out(&mut written_out, &mut String::new());
            assert_eq!(written_out, whole);
        }
    }

    #[test]
    fn an_edit_of_a_line_feed_is_refused() {
        let mut edits = LineEdits::default();
        let base = "ab\ncd\n";
        let join = Edit::delete(2, 3);
        assert!(!edits.apply(base, &[&join]));
        let split = Edit::replace(1, 1, "\n");
        assert!(!edits.apply(base, &[&split]));
        assert!(edits.is_empty());
        let fine = Edit::replace(3, 4, "C");
        assert!(edits.apply(base, &[&fine]));
        assert_eq!(edits.view(base).get(0..6), "ab\nCd\n");
    }
}
