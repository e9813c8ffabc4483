//! Findings placed in the original document: the one answer to "where is it?".
//!
//! A pass reports offsets into *its* input, which earlier passes may have
//! changed; the pipeline records, for every finding, the range of the original
//! document it is about ([`Recorded::origin`](crate::pipeline::Recorded)). This
//! module turns a [`Run`]'s record into findings a user can find in their own
//! text: byte range, code-point range, line and column of the original, plus what
//! the fix replaces and with what. [`locate`] borrows from the run (what the
//! command line's views print); [`LocatedFinding`] owns its data (what a program
//! keeps, sends to another thread or hands to Python).
//!
//! It does not format anything: `render` prints these.

use std::ops::Range;

use crate::finding::{Applicability, Finding};
use crate::pipeline::{Run, Step};

/// Where each line starts in a text, for turning byte offsets into line:column.
pub struct LineIndex<'a> {
    text: &'a str,
    starts: Vec<usize>,
}

impl<'a> LineIndex<'a> {
    /// Indexes `text`'s line starts.
    pub fn new(text: &'a str) -> Self {
        let mut starts = vec![0];
        starts.extend(memchr::memchr_iter(b'\n', text.as_bytes()).map(|i| i + 1));
        LineIndex { text, starts }
    }

    /// 1-based line and column (in characters) of byte `offset`.
    ///
    /// Counts the characters from the line's start, so it costs the line's
    /// length: for many offsets on one long line use [`positions`].
    pub fn line_column(&self, offset: usize) -> (usize, usize) {
        let offset = offset.min(self.text.len());
        let line = self.starts.partition_point(|&s| s <= offset);
        let start = self.starts[line - 1];
        let column = self.text[start..offset].chars().count() + 1;
        (line, column)
    }
}

/// A byte offset of a text expressed the other ways people and programs count.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Position {
    /// 1-based line.
    pub line: usize,
    /// 1-based column, in characters (Unicode scalar values).
    pub column: usize,
    /// Characters before the offset: the offset as a Python `str` or Rust
    /// `chars()` index.
    pub char_offset: usize,
}

/// The [`Position`] of each byte offset in `offsets` (any order; offsets past
/// the end count as the end), in one walk over the text: linear in the text's
/// length plus `offsets.len() × log`, whatever the shape of the text.
///
/// ```
/// use redline::located::positions;
/// let text = "né\n“x”";
/// let p = positions(text, &[8, 0, 3]);
/// assert_eq!((p[0].line, p[0].column, p[0].char_offset), (2, 3, 5)); // before `”`
/// assert_eq!((p[1].line, p[1].column, p[1].char_offset), (1, 1, 0));
/// assert_eq!((p[2].line, p[2].column, p[2].char_offset), (1, 3, 2)); // the newline
/// ```
pub fn positions(text: &str, offsets: &[usize]) -> Vec<Position> {
    let bytes = text.as_bytes();
    // A character starts at every byte that is not a UTF-8 continuation byte.
    let chars_in = |r: Range<usize>| bytes[r].iter().filter(|&&b| (b as i8) >= -0x40).count();
    let mut order: Vec<usize> = (0..offsets.len()).collect();
    order.sort_by_key(|&i| offsets[i]);
    let mut out = vec![Position::default(); offsets.len()];
    let (mut pos, mut chars, mut line, mut line_start_chars) = (0usize, 0usize, 1usize, 0usize);
    for i in order {
        let target = offsets[i].min(bytes.len());
        if target > pos {
            match memchr::memrchr(b'\n', &bytes[pos..target]) {
                Some(last) => {
                    let last = pos + last;
                    line += memchr::memchr_iter(b'\n', &bytes[pos..=last]).count();
                    chars += chars_in(pos..last + 1);
                    line_start_chars = chars;
                    chars += chars_in(last + 1..target);
                }
                None => chars += chars_in(pos..target),
            }
            pos = target;
        }
        out[i] = Position {
            line,
            column: chars - line_start_chars + 1,
            char_offset: chars,
        };
    }
    out
}

/// A finding placed in its step's input and in the original document: what the
/// command line's views print. Borrows from the [`Run`].
#[derive(Debug, Clone)]
pub struct Located<'a> {
    /// The step that reported it.
    pub step: &'a Step,
    /// The finding.
    pub finding: &'a Finding,
    /// 1-based line in the original document (where the user finds it in
    /// their file, whatever earlier passes changed).
    pub line: usize,
    /// 1-based column (characters) in the original document.
    pub column: usize,
    /// First byte in the step's input: the fix's range for a fix, the
    /// finding's span for a flag.
    pub start: usize,
    /// One past the last byte.
    pub end: usize,
    /// The input text of that range.
    pub before: &'a str,
    /// What the fix puts there (`None` for a flag).
    pub after: Option<String>,
    /// Whether the fix was applied.
    pub applied: bool,
    /// The same place in the original document (byte range).
    pub origin: Range<usize>,
    /// [`origin`](Self::origin) in characters (code points) of the original.
    pub origin_chars: Range<usize>,
}

impl Located<'_> {
    /// `safe`, `review` or `flag`.
    pub fn applicability(&self) -> Applicability {
        self.finding.applicability()
    }

    /// The same finding as an owned value.
    pub fn to_owned_finding(&self) -> LocatedFinding {
        LocatedFinding {
            rule: self.finding.rule.to_string(),
            pass: self.step.pass,
            message: self.finding.message.to_string(),
            applicability: self.applicability(),
            applied: self.applied,
            before: self.before.to_string(),
            after: self.after.clone(),
            start: self.origin.start,
            end: self.origin.end,
            char_start: self.origin_chars.start,
            char_end: self.origin_chars.end,
            line: self.line,
            column: self.column,
        }
    }
}

/// Every finding of `run` with its place, in step order and then text order.
///
/// `run` must keep its intermediate texts ([`Pipeline::run`](crate::pipeline::Pipeline::run),
/// not `run_lean`): `before` and `after` are cut from them.
pub fn locate(run: &Run) -> Vec<Located<'_>> {
    let mut out = Vec::new();
    // Where the user looks for a finding: its own span or its fix, whichever
    // starts first (a `..` fix removes the second stop, the finding is the pair).
    let mut anchors = Vec::new();
    for step in &run.steps {
        let input = run.input_of(step);
        if step.applied.is_empty() && step.held.is_empty() && step.flags.is_empty() {
            continue;
        }
        let first = out.len();
        out.extend(
            step.applied
                .iter()
                .map(|f| (f, true))
                .chain(step.held.iter().chain(&step.flags).map(|f| (f, false)))
                .map(|(recorded, applied)| {
                    let finding = &recorded.finding;
                    let (start, end, after) = match &finding.fix {
                        Some(fix) => {
                            let (start, end) = fix.range();
                            let mut after = String::new();
                            let mut pos = start;
                            for e in &fix.edits {
                                after.push_str(&input[pos..e.start]);
                                after.push_str(&e.replacement);
                                pos = e.end;
                            }
                            after.push_str(&input[pos..end]);
                            (start, end, Some(after))
                        }
                        None => (finding.start, finding.end, None),
                    };
                    anchors.push(recorded.span.start.min(recorded.origin.start));
                    Located {
                        step,
                        finding,
                        origin: recorded.origin.clone(),
                        origin_chars: 0..0,
                        line: 0,
                        column: 0,
                        start,
                        end,
                        before: &input[start..end],
                        after,
                        applied,
                    }
                }),
        );
        // Sorting below reorders `out[first..]`; keep the anchors beside them.
        let mut here: Vec<(Located, usize)> =
            out.drain(first..).zip(anchors.drain(first..)).collect();
        here.sort_by_key(|(l, _)| (l.start, l.end));
        for (l, a) in here {
            out.push(l);
            anchors.push(a);
        }
    }
    let mut offsets = Vec::with_capacity(3 * out.len());
    for (l, &a) in out.iter().zip(&anchors) {
        offsets.extend([a, l.origin.start, l.origin.end]);
    }
    let places = positions(run.input(), &offsets);
    for (l, p) in out.iter_mut().zip(places.chunks_exact(3)) {
        (l.line, l.column) = (p[0].line, p[0].column);
        l.origin_chars = p[1].char_offset..p[2].char_offset;
    }
    out
}

/// A finding as an owned value, placed in the original document: what
/// [`Engine::check`](crate::Engine::check) returns.
///
/// `start..end` (bytes) and `char_start..char_end` (characters) are the range of
/// the **original** text the finding is about: the fix's range for a fix, the
/// finding's span for a flag. `before` is that range as the reporting pass saw
/// it, so `&original[start..end] == before` unless an earlier pass's applied fix
/// overlapped it. `after` is what the fix puts there, `None` for a flag.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct LocatedFinding {
    /// The rule that fired, e.g. `punct.double-period`.
    pub rule: String,
    /// The pass that reported it, e.g. `punctuation`.
    pub pass: &'static str,
    /// A sentence for people: what is wrong and what the fix does.
    pub message: String,
    /// `Safe` or `Review` for a fix, `Flag` for a finding without one.
    pub applicability: Applicability,
    /// Whether the fix was applied to the cleaned text.
    pub applied: bool,
    /// The text the finding is about, as the reporting pass saw it.
    pub before: String,
    /// What the fix puts in its place (`None` for a flag).
    pub after: Option<String>,
    /// First byte of the range in the original text.
    pub start: usize,
    /// One past the last byte of the range in the original text.
    pub end: usize,
    /// `start` in characters (code points): a Python `str` index.
    pub char_start: usize,
    /// `end` in characters (code points).
    pub char_end: usize,
    /// 1-based line in the original text where the finding starts.
    pub line: usize,
    /// 1-based column (characters) on that line.
    pub column: usize,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_index_matches_a_plain_count() {
        let text = "ab\n“cd”\n\nx";
        let idx = LineIndex::new(text);
        for (offset, _) in text.char_indices() {
            assert_eq!(
                idx.line_column(offset),
                crate::rules::line_column(text, offset)
            );
        }
        assert_eq!(idx.line_column(text.len()), (4, 2));
    }

    #[test]
    fn positions_agree_with_the_line_index_and_chars() {
        let text = "a😀b\n\n“cd” é\r\nxyz\n";
        let idx = LineIndex::new(text);
        let mut offsets: Vec<usize> = text.char_indices().map(|(i, _)| i).collect();
        offsets.push(text.len());
        offsets.reverse(); // any order
        offsets.push(offsets[3]); // repeats
        let got = positions(text, &offsets);
        for (&o, p) in offsets.iter().zip(&got) {
            assert_eq!((p.line, p.column), idx.line_column(o), "offset {o}");
            assert_eq!(p.char_offset, text[..o].chars().count(), "offset {o}");
        }
    }
}
