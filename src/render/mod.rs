//! Output for people and machines: per-pass diffs, check lines, JSON Lines and the
//! rule list. Everything here is a view of a [`Run`]'s record; nothing re-runs a
//! pass. Only this module formats text for people.

use crate::finding::{Applicability, Finding};
use crate::pipeline::{Run, Step};

pub mod check;
pub mod diff;
pub mod json;
pub mod patch;
pub mod report;
pub mod rules;
pub mod statistics;
pub mod visible;

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
    pub fn line_column(&self, offset: usize) -> (usize, usize) {
        let offset = offset.min(self.text.len());
        let line = self.starts.partition_point(|&s| s <= offset);
        let start = self.starts[line - 1];
        let column = self.text[start..offset].chars().count() + 1;
        (line, column)
    }
}

/// A finding placed in its step's input: what the views print.
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
    /// First byte: the fix's range for a fix, the finding's span for a flag.
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
    pub origin: std::ops::Range<usize>,
}

impl Located<'_> {
    /// `safe`, `review` or `flag`.
    pub fn applicability(&self) -> Applicability {
        self.finding.applicability()
    }
}

/// Every finding of `run` with its place, in step order and then text order.
pub fn locate(run: &Run) -> Vec<Located<'_>> {
    let mut out = Vec::new();
    let index = LineIndex::new(run.input());
    for step in &run.steps {
        let input = run.input_of(step);
        if step.applied.is_empty() && step.held.is_empty() && step.flags.is_empty() {
            continue;
        }
        let mut here: Vec<Located> = step
            .applied
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
                let (line, column) =
                    index.line_column(recorded.span.start.min(recorded.origin.start));
                Located {
                    step,
                    finding,
                    origin: recorded.origin.clone(),
                    line,
                    column,
                    start,
                    end,
                    before: &input[start..end],
                    after,
                    applied,
                }
            })
            .collect();
        here.sort_by_key(|l| (l.start, l.end));
        out.extend(here);
    }
    out
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
}
