//! What a pass reports: findings, their fixes and the edits that make up a fix.
//!
//! A finding explains itself: a byte span in the text the pass looked at, the rule
//! that fired, a message for people, and optionally a fix. The fix's
//! [`Applicability`] decides whether the pipeline applies it by default.

use std::borrow::Cow;
use std::fmt;

/// How safe a fix is to apply without a person looking at it.
///
/// Ordered from least to most trusted, so `applicability >= threshold` selects the
/// fixes to apply.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Applicability {
    /// No fix: the finding is only reported.
    Flag,
    /// A fix that needs the user's yes (`--apply review`).
    Review,
    /// A fix applied by default.
    Safe,
}

impl Applicability {
    /// The name used on the command line, in rule files and in JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            Applicability::Flag => "flag",
            Applicability::Review => "review",
            Applicability::Safe => "safe",
        }
    }

    /// Parses `safe`, `review` or `flag`.
    pub fn parse(name: &str) -> Option<Self> {
        match name {
            "flag" => Some(Applicability::Flag),
            "review" => Some(Applicability::Review),
            "safe" => Some(Applicability::Safe),
            _ => None,
        }
    }
}

impl fmt::Display for Applicability {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One replacement of a byte range of the text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Edit {
    /// First byte replaced.
    pub start: usize,
    /// One past the last byte replaced (`start == end` inserts).
    pub end: usize,
    /// The text that takes the range's place.
    pub replacement: String,
}

impl Edit {
    /// Replaces `start..end` with `replacement`.
    pub fn replace(start: usize, end: usize, replacement: impl Into<String>) -> Self {
        Edit {
            start,
            end,
            replacement: replacement.into(),
        }
    }

    /// Deletes `start..end`.
    pub fn delete(start: usize, end: usize) -> Self {
        Edit::replace(start, end, String::new())
    }
}

/// A fix's edits: one is kept inline, in the finding itself (most fixes
/// are one edit, and a text can have a fix every few bytes: no allocation
/// each), more on the heap.
pub type Edits = smallvec::SmallVec<[Edit; 1]>;

/// A fix: edits that are applied together or not at all.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fix {
    /// [`Applicability::Safe`] or [`Applicability::Review`]; never `Flag`.
    pub applicability: Applicability,
    /// Non-overlapping edits, sorted by position.
    pub edits: Edits,
}

impl Fix {
    /// A fix applied by default: `Fix::safe([edit])` for one edit (kept
    /// inline), `Fix::safe(vec![...])` for several.
    pub fn safe(edits: impl Into<Edits>) -> Self {
        Fix {
            applicability: Applicability::Safe,
            edits: edits.into(),
        }
    }

    /// A fix applied only with `--apply review`.
    pub fn review(edits: impl Into<Edits>) -> Self {
        Fix {
            applicability: Applicability::Review,
            edits: edits.into(),
        }
    }

    /// The byte range covered by all edits.
    pub fn range(&self) -> (usize, usize) {
        let start = self.edits.iter().map(|e| e.start).min().unwrap_or(0);
        let end = self.edits.iter().map(|e| e.end).max().unwrap_or(0);
        (start, end)
    }
}

/// A rule id such as `punct.double-period`. Built-in rules use static strings;
/// rules from user rule files own theirs.
pub type RuleId = Cow<'static, str>;

/// Something a pass noticed, with an optional fix.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    /// The rule that fired, e.g. `punct.double-period`.
    pub rule: RuleId,
    /// First byte of the span the finding is about, in the pass's input.
    pub start: usize,
    /// One past the last byte of that span.
    pub end: usize,
    /// A sentence for people: what is wrong and, for a fix, what it does.
    /// As a pass reports it, empty or a note when the pass writes the
    /// sentence later in [`Pass::describe`](crate::pass::Pass::describe); the
    /// pipeline writes it for every finding it keeps with its message.
    pub message: Cow<'static, str>,
    /// The repair, if the rule has one.
    pub fix: Option<Fix>,
}

impl Finding {
    /// A finding with a fix.
    pub fn fixed(
        rule: impl Into<RuleId>,
        start: usize,
        end: usize,
        message: impl Into<Cow<'static, str>>,
        fix: Fix,
    ) -> Self {
        Finding {
            rule: rule.into(),
            start,
            end,
            message: message.into(),
            fix: Some(fix),
        }
    }

    /// A finding that is only reported (no fix).
    pub fn flag(
        rule: impl Into<RuleId>,
        start: usize,
        end: usize,
        message: impl Into<Cow<'static, str>>,
    ) -> Self {
        Finding {
            rule: rule.into(),
            start,
            end,
            message: message.into(),
            fix: None,
        }
    }

    /// The text the fix's first edit writes (`""` for a flag): what a
    /// one-edit fix puts in place of the span.
    pub fn replacement(&self) -> &str {
        self.fix
            .as_ref()
            .and_then(|f| f.edits.first())
            .map_or("", |e| e.replacement.as_str())
    }

    /// Where the finding stands in the order the pipeline takes findings
    /// in: its fix's first edited byte, else its span's start.
    pub fn order_start(&self) -> usize {
        self.fix.as_ref().map_or(self.start, |x| x.range().0)
    }

    /// `safe`, `review`, or `flag` when there is no fix.
    pub fn applicability(&self) -> Applicability {
        self.fix
            .as_ref()
            .map_or(Applicability::Flag, |f| f.applicability)
    }
}

/// Applies sorted, non-overlapping edits to `text`.
///
/// # Panics
/// Never for edits produced by the pipeline; debug builds assert that the edits are
/// sorted, non-overlapping and on character boundaries.
pub fn apply_edits(text: &str, edits: &[&Edit]) -> String {
    let mut out = String::new();
    apply_edits_into(text, edits, &mut out);
    out
}

/// Like [`apply_edits`], writing into `out` (cleared first) so that its
/// allocation is reused: for large documents, fresh allocations cost more in
/// page faults than the copying itself.
pub fn apply_edits_into(text: &str, edits: &[&Edit], out: &mut String) {
    // The exact length, so that a text that grows is not copied again.
    let grown: usize = edits.iter().map(|e| e.replacement.len()).sum();
    let removed: usize = edits.iter().map(|e| e.end - e.start).sum();
    clear_for(out, (text.len() + grown).saturating_sub(removed));
    let mut pos = 0;
    for edit in edits {
        debug_assert!(edit.start >= pos && edit.end >= edit.start && edit.end <= text.len());
        out.push_str(&text[pos..edit.start]);
        out.push_str(&edit.replacement);
        pos = edit.end;
    }
    out.push_str(&text[pos..]);
}

/// Empties `buffer` for `len` bytes: a buffer too small is replaced, not
/// grown (growing copies what it held, a whole chunk for a reused one).
pub fn clear_for(buffer: &mut String, len: usize) {
    buffer.clear();
    if buffer.capacity() < len {
        *buffer = String::with_capacity(len);
    }
}

/// Applies sorted, non-overlapping edits to `text` where it lies, when no
/// replacement is longer than the range it replaces (so writing never overtakes
/// reading). Returns `false`, with `text` untouched, otherwise.
pub fn apply_edits_in_place(text: &mut String, edits: &[&Edit]) -> bool {
    if edits.iter().any(|e| e.replacement.len() > e.end - e.start) {
        return false;
    }
    // SAFETY: edits lie on character boundaries and replacements are `str`s, so
    // the bytes left in place form valid UTF-8, exactly as `apply_edits` builds.
    let bytes = unsafe { text.as_mut_vec() };
    let len = bytes.len();
    let (mut write, mut read) = (0, 0);
    for edit in edits {
        debug_assert!(edit.start >= read && edit.end >= edit.start && edit.end <= len);
        bytes.copy_within(read..edit.start, write);
        write += edit.start - read;
        bytes[write..write + edit.replacement.len()].copy_from_slice(edit.replacement.as_bytes());
        write += edit.replacement.len();
        read = edit.end;
    }
    bytes.copy_within(read..len, write);
    write += len - read;
    bytes.truncate(write);
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn applicability_orders_flag_below_review_below_safe() {
        assert!(Applicability::Flag < Applicability::Review);
        assert!(Applicability::Review < Applicability::Safe);
        for a in [
            Applicability::Flag,
            Applicability::Review,
            Applicability::Safe,
        ] {
            assert_eq!(Applicability::parse(a.as_str()), Some(a));
        }
        assert_eq!(Applicability::parse("unsafe"), None);
    }

    #[test]
    fn in_place_edits_equal_copied_edits_when_nothing_grows() {
        let text = "ab..cd “é” end";
        let a = Edit::delete(3, 4);
        let b = Edit::replace(5, 6, "D");
        let c = Edit::replace(7, 10, "\"");
        let edits = [&a, &b, &c];
        let mut in_place = text.to_string();
        assert!(apply_edits_in_place(&mut in_place, &edits));
        assert_eq!(in_place, apply_edits(text, &edits));
        let grow = Edit::replace(0, 1, "AA");
        let mut untouched = text.to_string();
        assert!(!apply_edits_in_place(&mut untouched, &[&grow]));
        assert_eq!(untouched, text);
    }

    #[test]
    fn apply_edits_replaces_inserts_and_deletes() {
        let text = "ab..cd";
        let del = Edit::delete(3, 4);
        let ins = Edit::replace(0, 0, "<");
        let rep = Edit::replace(5, 6, "D");
        assert_eq!(apply_edits(text, &[&ins, &del, &rep]), "<ab.cD");
    }
}
