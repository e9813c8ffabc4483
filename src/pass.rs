//! The [`Pass`] trait: one family of defects, text in, findings out.

use std::ops::Range;

use crate::finding::Finding;
use crate::triggers::Triggers;

/// How much text a pass looks at to decide about one place.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Locality {
    /// Findings on a line depend only on that line: after other passes edit a
    /// few lines, the pipeline re-checks just those lines.
    Line,
    /// Findings on a line depend on that line and the line before it (a
    /// quotation carried across one hard-wrapped line break): after an edit,
    /// the pipeline re-checks the edited lines and the line after each, with
    /// the line before each given as context only.
    LineAndPrevious,
    /// Findings may depend on anything in the document (e.g. quotation pairing
    /// across paragraphs): the pass always checks the whole text.
    Document,
}

/// A rule pass. It looks at text and reports findings; it never edits text itself
/// and never does I/O. The pipeline decides which fixes to apply.
///
/// Passes are built once (from configuration and rule files) and then shared
/// across threads, so `check` takes `&self`.
pub trait Pass: Send + Sync {
    /// The pass's name as users type it (`--disable quotes`) and see it in diffs.
    fn name(&self) -> &'static str;

    /// Appends a finding for every defect in `text`. Spans and edits are byte
    /// offsets into `text`, on character boundaries; a fix's edits must not
    /// overlap each other.
    fn check(&self, text: &str, findings: &mut Vec<Finding>);

    /// [`check`](Pass::check), handing the findings over as it goes: now and
    /// then the pass calls `take` with `findings`, and `take` may take out
    /// what is there (the pipeline does; a `take` that leaves them makes this
    /// `check`). What is left at the end is the caller's as with `check`.
    ///
    /// A pass overrides this when it can tell early that findings are final
    /// (nothing it finds later changes or reorders them): then a text with a
    /// finding every few bytes, on one line or in one document, never holds
    /// all its findings at once (a finding is over a hundred bytes, far more
    /// than the bytes it is about). It hands over only findings that sort
    /// (by their fix's start, else their own) before every finding still to
    /// come. The default hands everything over at the end.
    fn check_in_parts(
        &self,
        text: &str,
        findings: &mut Vec<Finding>,
        take: &mut dyn FnMut(&mut Vec<Finding>),
    ) {
        let _ = take;
        self.check(text, findings);
    }

    /// For a [`Locality::Document`] pass: after edits, the findings of a
    /// whole check of `text` found by looking only near the edits. `edited`
    /// are the ranges of `text` written since the pass last checked the
    /// document (sorted, disjoint). The pipeline asks only when every
    /// finding of the pass's earlier checks of the document was a fix it
    /// applied: then a whole check would find nothing where neither the
    /// text nor what the pass reads around a place changed. A pass that can
    /// bound what it reads around a finding reports every finding of a
    /// whole check (each one once) and returns `true`; `false` (the default)
    /// reports nothing, and the pipeline checks the whole text.
    fn check_near(&self, text: &str, edited: &[Range<usize>], findings: &mut Vec<Finding>) -> bool {
        let _ = (text, edited, findings);
        false
    }

    /// [`check_in_parts`](Pass::check_in_parts) of the whole text by a
    /// [`Locality::Document`] pass, also returning where the check could be
    /// taken up again ([`Resume`]) for a later
    /// [`recheck_near`](Pass::recheck_near). `None` (the default): the pass
    /// cannot be re-checked near edits while its findings stand.
    fn check_resumable(
        &self,
        text: &str,
        findings: &mut Vec<Finding>,
        take: &mut dyn FnMut(&mut Vec<Finding>),
    ) -> Option<Resume> {
        self.check_in_parts(text, findings, take);
        None
    }

    /// For a [`Locality::Document`] pass whose last whole check left findings
    /// that stand (flags), after edits: re-checks only windows of `text`
    /// around the `edited` ranges (sorted, disjoint; everything written since
    /// that check, which returned `resume`, moved with the edits) and returns
    /// the windows, sorted and disjoint. Inside them, `findings` gets every
    /// finding of a whole check of `text`; outside them, a whole check would
    /// find what the last one found there, where it stands now. A window
    /// that ends at the text's end holds what the last check found after
    /// it (text an edit removed at the end). `None` (the
    /// default) reports nothing, and the pipeline checks the whole text.
    fn recheck_near(
        &self,
        text: &str,
        edited: &[Range<usize>],
        resume: &Resume,
        findings: &mut Vec<Finding>,
    ) -> Option<Vec<Range<usize>>> {
        let _ = (text, edited, resume, findings);
        None
    }

    /// The sentence for a finding this pass reported, written only when the
    /// finding is kept with its message: `clean` keeps just a count of the
    /// fixes it applies, so on a text with a fix every few bytes, formatting a
    /// sentence per fix in [`check`](Pass::check) would cost more than the
    /// fix. Such a pass reports the finding with an empty message, or with a
    /// short note of what only `check` knew (the mojibake pass's codecs), and
    /// returns the sentence here; `None` keeps the message as reported (the
    /// default). `text` is the text the finding's offsets point into.
    fn describe(&self, text: &str, finding: &Finding) -> Option<String> {
        let _ = (text, finding);
        None
    }

    /// Whether the pass is line-local (see [`Locality`]). A `Line` pass must
    /// report, for any slice of whole lines, what it reports for those lines
    /// inside the whole document. A `Document` pass must find nothing to fix in
    /// its own output (the pipeline does not re-check a document pass's own
    /// edits; the idempotence tests catch a pass that breaks this).
    fn locality(&self) -> Locality {
        Locality::Document
    }

    /// For a [`Locality::Line`] pass: a place in the first line of `text`, at
    /// or after byte `at_least` (which lies inside that line), where the line
    /// may be cut so that checking the parts apart gives the findings of
    /// checking the line whole. `text` starts at a line start or at a cut
    /// this method gave. The pipeline cuts a line longer than a batch of
    /// lines (one line of many megabytes: a page without paragraphs) so that
    /// its findings are taken in part by part, never all at once. `None`
    /// (the default): the line is checked whole. Linear time: look at no more
    /// of `text` than up to the cut, or than the first line when there is
    /// none.
    fn line_cut(&self, text: &str, at_least: usize) -> Option<usize> {
        let _ = (text, at_least);
        None
    }

    /// What a line must contain for this pass to find anything on it, for a
    /// line-local pass ([`Locality::Line`] or [`Locality::LineAndPrevious`]):
    /// the pipeline then checks only such lines (found by one shared scan,
    /// see [`crate::triggers`]) plus the lines other passes edit. `None` (the
    /// default): every line. A pass that declares triggers promises that a
    /// line without any of them yields no finding, whatever the line before.
    fn triggers(&self) -> Option<Triggers> {
        None
    }

    /// Whether another pass's *word edit* (letters replaced by letters, with
    /// only spaces or hyphens between, such as `Dimitri Peskov` → `Dmitry
    /// Peskov`) can change what this pass finds. A pass that only looks at
    /// punctuation, quotation marks and the class of their neighbours may
    /// answer `false`, so the pipeline does not re-check it after such
    /// edits; one that reads words, their number or lengths must not (the
    /// built-in `punctuation` and `quotes` passes read whole words and line
    /// lengths, and answer `true`: a property soak found each one's `false`
    /// breaking idempotence).
    fn sees_word_edits(&self) -> bool {
        true
    }

    /// Whether another pass's *ASCII edit* (ASCII text replaced by ASCII text,
    /// with ASCII on both sides) can change what this pass finds. A pass that
    /// only looks at non-ASCII text (mojibake, Unicode normalisation) answers
    /// `false`: such an edit cannot create or join non-ASCII sequences.
    fn sees_ascii_edits(&self) -> bool {
        true
    }

    /// Whether the pass finds in a text cut at a *safe cut* (see
    /// [`crate::chunks`]: a line start after an empty line, where the line
    /// starts with an ASCII letter or digit and no `<` or backtick stands in
    /// the [`crate::chunks::WINDOW`] bytes before) what it finds in the whole
    /// text, checking the two parts apart, when each part has a paragraph
    /// break (an empty line between two lines of text) of its own; messages
    /// may differ. The pipeline then cleans a big text in chunks on every
    /// thread ([`Pipeline::run_lean_in_chunks`](crate::pipeline::Pipeline::run_lean_in_chunks)).
    /// A line-local pass does (the default for one: an empty line carries
    /// nothing to the next); a document pass answers `true` only when
    /// nothing it decides reads across such a cut.
    fn splits_at_safe_cuts(&self) -> bool {
        self.locality() != Locality::Document
    }
}

/// Where a whole check of a document pass can be taken up again
/// ([`Pass::check_resumable`], [`Pass::recheck_near`]). The pipeline keeps
/// it beside the text and moves its points with every edit, as it moves
/// ranges still to be checked.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Resume {
    /// `at..reach`, sorted by `at` and by `reach`: at the line start `at`,
    /// the check stood in a state that nothing before `at` reaches past (the
    /// quotes pass: no quotation open), and nothing it decided before `at`
    /// read a byte at or after `reach` (`reach >= at`).
    pub points: Vec<Range<usize>>,
    /// What the check read of the whole document, if it read it (the quotes
    /// pass: whether paragraphs are separated by blank lines), for the pass
    /// to compare before it takes the check up again.
    pub document: Option<bool>,
}

/// Whether replacing `text[start..end]` by `inserted` is an ASCII edit (see
/// [`Pass::sees_ascii_edits`]).
pub fn is_ascii_edit(text: &str, start: usize, end: usize, inserted: &str) -> bool {
    let bytes = text.as_bytes();
    let before = start.checked_sub(1).is_none_or(|i| bytes[i].is_ascii());
    let after = bytes.get(end).is_none_or(u8::is_ascii);
    before && after && bytes[start..end].is_ascii() && inserted.is_ascii()
}

/// Whether replacing `removed` by `inserted` is a word edit (see
/// [`Pass::sees_word_edits`]): both are letters or digits at both ends, with
/// only letters, digits, spaces, no-break spaces and hyphens inside.
pub fn is_word_edit(removed: &str, inserted: &str) -> bool {
    let wordy = |s: &str| {
        let ends = |c: Option<char>| c.is_some_and(is_alphanumeric);
        ends(s.chars().next())
            && ends(s.chars().next_back())
            && s.chars()
                .all(|c| is_alphanumeric(c) || matches!(c, ' ' | '\u{A0}' | '-'))
    };
    // The inserted text first: most fixes delete, and `""` is not wordy, so
    // the removed text's characters are not looked up for them.
    wordy(inserted) && wordy(removed)
}

/// Below this code point, [`is_alphanumeric`] answers from a table.
const TABLED: usize = 0x800;

/// [`char::is_alphanumeric`], from a table of the first [`TABLED`] code
/// points (Latin, Greek, Cyrillic, Hebrew, Arabic and the combining marks:
/// what most edits hold) built from that function itself: every NFC fix asks
/// about two or three such characters, and the general lookup is slow.
fn is_alphanumeric(c: char) -> bool {
    static TABLE: std::sync::LazyLock<[bool; TABLED]> = std::sync::LazyLock::new(|| {
        let mut table = [false; TABLED];
        for (code, entry) in table.iter_mut().enumerate() {
            *entry = char::from_u32(code as u32).is_some_and(char::is_alphanumeric);
        }
        table
    });
    match TABLE.get(c as usize) {
        _ if c.is_ascii() => c.is_ascii_alphanumeric(),
        Some(&tabled) => tabled,
        None => c.is_alphanumeric(),
    }
}

/// How many findings a pass that hands its findings over as it goes
/// ([`Pass::check_in_parts`]) holds before it does: about 2 MB of findings,
/// little beside a batch of lines, and enough that taking a part in costs
/// the pipeline next to nothing.
pub(crate) const HAND_OVER: usize = 1 << 14;

/// When a pass hands its findings over ([`Pass::check_in_parts`]): every
/// `every` findings ([`HAND_OVER`]; tests make it small), counted from
/// what the caller's list held at the start.
pub(crate) struct HandOver {
    every: usize,
    at: usize,
}

impl HandOver {
    pub(crate) fn new(every: usize, findings: &[Finding]) -> Self {
        HandOver {
            every,
            at: findings.len() + every,
        }
    }

    /// Hands `findings` to `take` when `every` more have come since the last
    /// time. The caller calls this only where every finding so far sorts
    /// before every one still to come.
    pub(crate) fn now(
        &mut self,
        findings: &mut Vec<Finding>,
        take: &mut dyn FnMut(&mut Vec<Finding>),
    ) {
        if findings.len() >= self.at {
            take(findings);
            self.at = findings.len() + self.every;
        }
    }
}

/// [`Pass::check_in_parts`] with a `take` that takes every part out, and
/// whether the parts keep the promise: together (and with what is left at
/// the end) they are what [`Pass::check`] reports, in the same order, and
/// each part sorts (by fix start, else start) at or before every later one.
/// Returns the parts, the last one what was left at the end.
#[cfg(test)]
pub(crate) fn check_handing_over(pass: &dyn Pass, text: &str) -> Result<Vec<Vec<Finding>>, String> {
    let mut parts: Vec<Vec<Finding>> = Vec::new();
    let mut findings = Vec::new();
    pass.check_in_parts(text, &mut findings, &mut |found| {
        parts.push(std::mem::take(found));
    });
    parts.push(findings);
    let mut whole = Vec::new();
    pass.check(text, &mut whole);
    let joined: Vec<&Finding> = parts.iter().flatten().collect();
    if joined != whole.iter().collect::<Vec<_>>() {
        return Err(format!("parts {parts:?} are not the check's {whole:?}"));
    }
    let key = Finding::order_start;
    let mut latest = 0;
    for part in &parts {
        if let Some(early) = part.iter().map(key).min().filter(|&k| k < latest) {
            return Err(format!(
                "a part starts at {early}, before {latest}: {parts:?}"
            ));
        }
        latest = part.iter().map(key).max().unwrap_or(latest).max(latest);
    }
    Ok(parts)
}

#[cfg(test)]
mod tests {
    use super::is_word_edit;

    #[test]
    fn the_alphanumeric_table_agrees_with_the_standard_library() {
        for code in (0..0x3000).chain(0x1_0000..0x1_0400) {
            if let Some(c) = char::from_u32(code) {
                assert_eq!(
                    super::is_alphanumeric(c),
                    c.is_alphanumeric(),
                    "U+{code:04X}"
                );
            }
        }
    }

    #[test]
    fn ascii_edits_have_ascii_on_both_sides() {
        use super::is_ascii_edit;
        assert!(is_ascii_edit("end.. x", 4, 5, ""));
        assert!(!is_ascii_edit("Ã.© x", 2, 3, ""), "deleting `.` joins `Ã©`");
        assert!(!is_ascii_edit("a\u{200B}b", 1, 4, ""), "removing non-ASCII");
        assert!(!is_ascii_edit("ab", 1, 1, "é"), "inserting non-ASCII");
    }

    #[test]
    fn word_edits_keep_letters_at_both_ends() {
        assert!(is_word_edit("Dimitri Peskov", "Dmitry Peskov"));
        assert!(is_word_edit("Nagorno Karabakh", "Nagorno-Karabakh"));
        assert!(is_word_edit("color", "colour"));
        assert!(!is_word_edit(".", ""), "deleting a stop is not a word edit");
        assert!(!is_word_edit("“", ""));
        assert!(!is_word_edit("don’t", "dont"), "an apostrophe inside");
        assert!(
            !is_word_edit("a ", "a"),
            "a space at the end changes a neighbour"
        );
        assert!(!is_word_edit("", "x"), "an insertion");
    }
}
