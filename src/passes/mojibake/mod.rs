//! The `mojibake` pass: repairs UTF-8 text that was decoded with a single-byte
//! encoding (`donâ€™t` → `don’t`, `Â£5` → `£5`, `Ã©` → `é`), once or twice.
//!
//! ## What it does
//! It runs first, right after decoding. The text is taken line by line; a line
//! with no non-ASCII character is skipped without looking at it further, and a
//! line with some is repaired only if it contains a *badness* sequence, a few
//! characters that occur together in mojibake and hardly ever in real writing
//! ([`badness`]). The repair ([`repair`]) re-encodes the line with each codec
//! ftfy's `fix_encoding` tries (Latin-1, Windows-1252/1251/1250/1253/1254/1257
//! with undefined bytes passed through, ISO-8859-2, MacRoman, CP437) and
//! decodes it as UTF-8; in mixed text (`Zürich` beside `donâ€™t`) it repairs
//! just the runs that look like UTF-8 and are bad on their own. It repeats
//! until nothing changes, which undoes double encoding. The result matches ftfy
//! 6.3.1's `fix_encoding` on the same line; ftfy's test cases are in
//! `tests/mojibake.rs`.
//!
//! Each changed run is a finding with the text before and after:
//! - `mojibake.utf8-as-legacy` (safe): UTF-8 read as a single-byte codec.
//! - `mojibake.utf8-lossy` (safe): the same, but some bytes had already been
//!   replaced, so part of the run becomes U+FFFD (`â€œ…â€�` → `“…�`).
//! - `mojibake.c1-control` (safe): Windows-1252 punctuation read as Latin-1,
//!   left as invisible C1 controls (`\x85` → `…`).
//! - `mojibake.weak-nbsp` (review): the line's only evidence is an `Â` before
//!   a (no-break) space at the end of an all-capitals word of five letters or
//!   more, where `Â` may be a letter (`MISUTÂ AJIKKO`); ftfy repairs it,
//!   redline asks first. After `US`, `BBC` and other short capitals it is
//!   plain mojibake.
//!
//! ## What it deliberately does not do
//! It does not guess the encoding of bytes (that is decoding, at the edge), and
//! it does not do ftfy's other fixes: HTML entities, curly quotes, ligatures,
//! widths, control characters and normalization belong to other passes or are
//! not done at all (see POLICY.md). A repair can reveal another defect
//! (`.”.` after `â€.`); the later passes of the same run handle it. Text that
//! merely looks odd (`MÃE`, `C O N C L U S Ã O`) stays, as in ftfy.

use crate::finding::{Edit, Finding, Fix};
use crate::pass::Pass;
use crate::passes::next_non_ascii;

mod badness;
mod data;
mod repair;

use data::{data, Data};
use repair::Plan;

/// Rule: UTF-8 read as a single-byte codec.
pub const RULE_UTF8: &str = "mojibake.utf8-as-legacy";
/// Rule: the same, with bytes already lost.
pub const RULE_LOSSY: &str = "mojibake.utf8-lossy";
/// Rule: C1 controls that were Windows-1252 punctuation.
pub const RULE_C1: &str = "mojibake.c1-control";
/// Rule: a lone `Â` before a space at the end of an all-capitals word.
pub const RULE_WEAK_NBSP: &str = "mojibake.weak-nbsp";

/// The `mojibake` pass.
#[derive(Debug)]
pub struct Mojibake {
    data: &'static Data,
}

impl Default for Mojibake {
    fn default() -> Self {
        Mojibake::new()
    }
}

impl Mojibake {
    /// Builds the pass (the tables are parsed once per process).
    pub fn new() -> Self {
        Mojibake { data: data() }
    }

    /// Checks one line (with its line ending) that starts at byte `offset`.
    fn check_line(
        &self,
        line: &str,
        offset: usize,
        memo: &mut PieceMemo,
        findings: &mut Vec<Finding>,
    ) {
        let Some((fixed, plan)) = repair::fix_encoding(self.data, line) else {
            return;
        };
        let runs = changed_runs(line, &fixed, memo);
        let weak = runs.iter().all(|r| is_weak_run(line, r.0, r.1, &r.2));
        // The codecs are all `describe` cannot tell from a finding: they go
        // in its message as a note, and the sentence is written when shown.
        let note = codecs_note(&plan);
        for (start, end, after) in runs {
            let before = &line[start..end];
            let rule = rule_of(before, &after, &plan, weak);
            let message = if matches!(rule, RULE_UTF8 | RULE_LOSSY) {
                note
            } else {
                ""
            };
            let edit = Edit::replace(offset + start, offset + end, after);
            let fix = if weak {
                Fix::review([edit])
            } else {
                Fix::safe([edit])
            };
            findings.push(Finding::fixed(
                rule,
                offset + start,
                offset + end,
                message,
                fix,
            ));
        }
    }
}

impl Pass for Mojibake {
    fn locality(&self) -> crate::pass::Locality {
        crate::pass::Locality::Line
    }

    fn sees_ascii_edits(&self) -> bool {
        // Only non-ASCII sequences matter here; an ASCII edit between ASCII
        // neighbours cannot create or join one.
        false
    }

    fn name(&self) -> &'static str {
        "mojibake"
    }

    fn triggers(&self) -> Option<crate::triggers::Triggers> {
        // `check` looks only at lines with a non-ASCII byte, and a line
        // whose only ones are dashes, curly quotes and the ellipsis holds no
        // mojibake (see `triggers::is_common_punctuation`); nor one that
        // also holds only characters no badness sequence can be made of
        // (the no-break space): the repair is tried only on a bad line.
        Some(crate::triggers::Triggers {
            non_ascii: true,
            quiet_latin1: badness::quiet_latin1(self.data),
            ..Default::default()
        })
    }

    fn describe(&self, text: &str, finding: &Finding) -> Option<String> {
        let before = &text[finding.start..finding.end];
        let after = finding.replacement();
        Some(sentence(&finding.rule, before, after, &finding.message))
    }

    fn line_cut(&self, text: &str, at_least: usize) -> Option<usize> {
        // A cut between two of the line's windows, with more than a long
        // line's worth of the line on each side: each part is then repaired
        // in the same windows as the whole line (the cuts after a cut depend
        // only on what follows it).
        let bytes = text.as_bytes();
        let min = at_least.max(LONG_LINE + 1);
        let line_goes_on = |from: usize, to: usize| {
            to < bytes.len() && memchr::memchr(b'\n', &bytes[from..=to]).is_none()
        };
        if !line_goes_on(0, min + LONG_LINE) {
            return None;
        }
        let cut = WindowCuts::new(bytes).find(|&cut| cut >= min)?;
        line_goes_on(cut.max(min + LONG_LINE), cut + LONG_LINE).then_some(cut)
    }

    fn check(&self, text: &str, findings: &mut Vec<Finding>) {
        let bytes = text.as_bytes();
        let mut memo = PieceMemo::default();
        let mut pos = 0;
        while let Some(hit) = next_non_ascii(bytes, pos) {
            let start = memchr::memrchr(b'\n', &bytes[..hit]).map_or(0, |i| i + 1);
            let end = memchr::memchr(b'\n', &bytes[hit..]).map_or(bytes.len(), |i| hit + i + 1);
            for window in windows(&bytes[start..end]) {
                let (from, to) = (start + window.start, start + window.end);
                self.check_line(&text[from..to], from, &mut memo, findings);
            }
            pos = end;
        }
    }
}

/// Lines longer than this are repaired window by window (see [`windows`]).
const LONG_LINE: usize = 64 * 1024;
/// A window of a long line is at least this long.
const WINDOW: usize = 16 * 1024;
/// A window ends in the middle of a run of at least this many ASCII bytes.
const QUIET_RUN: usize = 32;
/// Past this length, a window without a quiet run ends at a gap between two
/// ASCII words.
const WINDOW_WITHOUT_QUIET: usize = 4 * WINDOW;
/// Past this length, a window without a gap ends before the next ASCII byte
/// or the next character that a UTF-8 lead byte becomes in Latin-1.
const WINDOW_WITHOUT_GAP: usize = 1024 * 1024;

/// Windows of a long line for the repair, so that its cost and the memory it
/// needs stay proportional to the line's length: the repair re-encodes and
/// diffs the whole text it is given, several times, which on one line of many
/// megabytes (a page without paragraphs) made the pass the slowest thing in
/// the pipeline. Each window is at least [`WINDOW`] bytes and ends in the
/// middle of a run of [`QUIET_RUN`] ASCII bytes: a mojibake sequence (a few
/// non-ASCII characters, a few ASCII bytes apart at most) never spans a cut,
/// so each sequence is judged with all of its neighbours. A line dense with
/// mojibake has no such run: past [`WINDOW_WITHOUT_QUIET`] a window ends
/// before the space between two ASCII letters or digits (`naÃ¯ve cafÃ©`), which
/// no sequence spans either (mojibake is made of non-ASCII characters, and the
/// `Â`/`Ã` before a space that was a no-break space follows no letter); past
/// [`WINDOW_WITHOUT_GAP`], at a guess like ftfy's cut of long texts: before
/// an ASCII byte or a character a lead byte becomes (`Ã`, `â`). Lines of
/// ordinary length (up to [`LONG_LINE`]) are one window: repaired whole, as
/// ftfy repairs them.
fn windows(line: &[u8]) -> impl Iterator<Item = std::ops::Range<usize>> + '_ {
    let long = line.len() > LONG_LINE;
    let cuts = long.then(|| WindowCuts::new(line)).into_iter().flatten();
    let mut from = 0;
    cuts.chain([line.len()]).map(move |cut| {
        let window = from..cut;
        from = cut;
        window
    })
}

/// The cuts between the [`windows`] of a line, in order, up to its line
/// feed. After a cut it looks at nothing before the cut, so the cuts of the
/// rest of a line from one of its cuts are the line's own.
struct WindowCuts<'a> {
    line: &'a [u8],
    /// Where the current window starts.
    from: usize,
    /// The next byte to look at.
    i: usize,
    /// Where the current run of ASCII bytes started.
    quiet_from: usize,
}

impl<'a> WindowCuts<'a> {
    fn new(line: &'a [u8]) -> Self {
        WindowCuts {
            line,
            from: 0,
            i: WINDOW,
            quiet_from: WINDOW,
        }
    }
}

impl Iterator for WindowCuts<'_> {
    type Item = usize;

    fn next(&mut self) -> Option<usize> {
        let line = self.line;
        while self.i < line.len() && line[self.i] != b'\n' {
            let (i, length) = (self.i, self.i - self.from);
            let cut = if line[i] >= 0x80 {
                self.quiet_from = i + 1;
                let lead_as_latin1 =
                    line[i] == 0xC3 && matches!(line.get(i + 1), Some(0x82..=0xB4));
                (length >= WINDOW_WITHOUT_GAP && lead_as_latin1).then_some(i)
            } else if i + 1 - self.quiet_from >= QUIET_RUN {
                Some(self.quiet_from + QUIET_RUN / 2)
            } else if length >= WINDOW_WITHOUT_GAP {
                Some(i)
            } else {
                let word_gap = || {
                    line[i] == b' '
                        && line[i - 1].is_ascii_alphanumeric()
                        && line.get(i + 1).is_some_and(u8::is_ascii_alphanumeric)
                };
                (length >= WINDOW_WITHOUT_QUIET && word_gap()).then_some(i)
            };
            match cut {
                Some(cut) => {
                    self.from = cut;
                    self.i = cut + WINDOW;
                    self.quiet_from = self.i;
                    return Some(cut);
                }
                None => self.i += 1,
            }
        }
        self.i = line.len();
        None
    }
}

/// The runs where `after` differs from `before`: `(start, end, replacement)`,
/// byte offsets into `before`. Characters both share (the text around and
/// between mojibake) are kept out of the runs, except that a run that only
/// deletes or inserts takes in a non-ASCII neighbour: `Â£` → `£` and
/// `â€�` → `�` say more than `Â` → nothing.
fn changed_runs(before: &str, after: &str, memo: &mut PieceMemo) -> Vec<(usize, usize, String)> {
    // Only the part between the common prefix and suffix is diffed (usually
    // just the mojibake), which keeps the diff small.
    let prefix: usize = before
        .chars()
        .zip(after.chars())
        .take_while(|(a, b)| a == b)
        .map(|(a, _)| a.len_utf8())
        .sum();
    let suffix: usize = before[prefix..]
        .chars()
        .rev()
        .zip(after[prefix..].chars().rev())
        .take_while(|(a, b)| a == b)
        .map(|(a, _)| a.len_utf8())
        .sum();
    // Keep a non-ASCII neighbour in the diffed part, for the widening below.
    let prefix = match before[..prefix].chars().next_back() {
        Some(c) if !c.is_ascii() => prefix - c.len_utf8(),
        _ => prefix,
    };
    let suffix = match before[before.len() - suffix..].chars().next() {
        Some(c) if !c.is_ascii() => suffix - c.len_utf8(),
        _ => suffix,
    };
    let (whole_before, whole_after) = (before, after);
    let before = &whole_before[prefix..whole_before.len() - suffix];
    let after = &whole_after[prefix..whole_after.len() - suffix];
    // Changed ranges as byte offsets: (old range, new range).
    let mut runs =
        runs_between_anchors(before, after, memo).unwrap_or_else(|| runs_of_chars(before, after));
    // A pure deletion or insertion takes in the shared character next to it,
    // if that is not ASCII. Between runs the texts are equal, so old and new
    // move in step (a character each).
    for run in &mut runs {
        if run[0] != run[1] && run[2] != run[3] {
            continue;
        }
        let next = |text: &str, at: usize| text[at..].chars().next();
        let previous = |text: &str, at: usize| text[..at].chars().next_back();
        let len = |c: Option<char>| c.map_or(0, char::len_utf8);
        if next(before, run[1]).is_some_and(|c| !c.is_ascii()) {
            run[1] += len(next(before, run[1]));
            run[3] += len(next(after, run[3]));
        } else if previous(before, run[0]).is_some_and(|c| !c.is_ascii()) {
            run[0] -= len(previous(before, run[0]));
            run[2] -= len(previous(after, run[2]));
        }
    }
    // Runs that now overlap or touch are one, merged in place.
    let mut kept: usize = 0;
    for i in 0..runs.len() {
        let run = runs[i];
        match kept.checked_sub(1).map(|k| &mut runs[k]) {
            Some(last) if last[1] >= run[0] || last[3] >= run[2] => {
                last[1] = last[1].max(run[1]);
                last[3] = last[3].max(run[3]);
            }
            _ => {
                runs[kept] = run;
                kept += 1;
            }
        }
    }
    runs.truncate(kept);
    runs.into_iter()
        .map(|[start, end, from, to]| (prefix + start, prefix + end, after[from..to].to_string()))
        .collect()
}

/// The changed ranges between `old` and `new` (byte offsets: old range, new
/// range), when both have the same ASCII letters and digits in the same order
/// (nearly always: the repair never makes or changes one): the text is cut at
/// each of them, and only the pieces between that differ are taken apart as
/// characters and handed to [`diff_pieces`], so a long line is never turned
/// into characters whole. `None` when the anchors do not pair.
fn runs_between_anchors(old: &str, new: &str, memo: &mut PieceMemo) -> Option<Vec<[usize; 4]>> {
    let (old_bytes, new_bytes) = (old.as_bytes(), new.as_bytes());
    let anchor = |b: &&u8| b.is_ascii_alphanumeric();
    let mut old_anchors = old_bytes.iter().filter(anchor).peekable();
    old_anchors.peek()?;
    if !old_anchors.eq(new_bytes.iter().filter(anchor)) {
        return None;
    }
    let next_anchor = |bytes: &[u8], from: usize| {
        bytes[from..]
            .iter()
            .position(|b| b.is_ascii_alphanumeric())
            .map_or(bytes.len(), |i| from + i)
    };
    let mut runs = Vec::new();
    let (mut o, mut n) = (0, 0);
    loop {
        let (old_end, new_end) = (next_anchor(old_bytes, o), next_anchor(new_bytes, n));
        let (old_piece, new_piece) = (&old[o..old_end], &new[n..new_end]);
        if old_piece != new_piece {
            memo.diff(old_piece, new_piece, (o, n), &mut runs);
        }
        if old_end == old_bytes.len() || new_end == new_bytes.len() {
            return Some(runs);
        }
        (o, n) = (old_end + 1, new_end + 1);
    }
}

/// A piece pair of at most this many bytes (old and new together) has its runs
/// remembered by [`PieceMemo`].
const MEMO_PIECE: usize = 64;
/// [`PieceMemo`] starts afresh when it holds this many piece pairs.
const MEMO_ENTRIES: usize = 4096;

/// The changed runs of the pieces between anchors ([`runs_between_anchors`]),
/// remembered by piece pair for one `check`. Mojibake repeats itself: a text
/// damaged once is damaged the same way throughout (`Ã© Â£` → `é £` wherever
/// a price follows a café), and where a piece shares a character with its
/// repair, [`diff_pieces`] runs Myers' diff on it, which cost a quarter of the
/// pass on text with a repair every few bytes. The runs depend only on the two
/// pieces, so a remembered answer is the answer.
#[derive(Default)]
struct PieceMemo {
    /// Byte runs relative to the pieces' starts, by [`PieceMemo::key`].
    runs: std::collections::HashMap<Box<str>, smallvec::SmallVec<[[usize; 4]; 2]>>,
    key: String,
    old_chars: Vec<char>,
    new_chars: Vec<char>,
    char_runs: Vec<[usize; 4]>,
}

impl PieceMemo {
    /// Pushes the changed ranges between the pieces `old` and `new` onto
    /// `out` as byte offsets plus `at` (where the pieces start).
    fn diff(&mut self, old: &str, new: &str, at: (usize, usize), out: &mut Vec<[usize; 4]>) {
        let remembered = old.len() + new.len() <= MEMO_PIECE;
        if remembered {
            // The old piece's length first (one character), so that each
            // pair of pieces has a key of its own.
            self.key.clear();
            self.key.push(char::from(old.len() as u8));
            self.key.push_str(old);
            self.key.push_str(new);
            if let Some(runs) = self.runs.get(self.key.as_str()) {
                let shift =
                    |[o0, o1, n0, n1]: [usize; 4]| [o0 + at.0, o1 + at.0, n0 + at.1, n1 + at.1];
                out.extend(runs.iter().map(|&run| shift(run)));
                return;
            }
        }
        let first = out.len();
        self.diff_chars(old, new, 1, at, out);
        if remembered {
            if self.runs.len() >= MEMO_ENTRIES {
                self.runs.clear();
            }
            let unshift =
                |[o0, o1, n0, n1]: [usize; 4]| [o0 - at.0, o1 - at.0, n0 - at.1, n1 - at.1];
            let runs = out[first..].iter().map(|&run| unshift(run)).collect();
            self.runs.insert(self.key.as_str().into(), runs);
        }
    }

    /// Pushes the changed ranges [`diff_pieces`] finds between the characters
    /// of `old` and `new`, from anchor `level` on, onto `out` as byte offsets
    /// plus `at`; the characters go in the memo's buffers.
    fn diff_chars(
        &mut self,
        old: &str,
        new: &str,
        level: usize,
        at: (usize, usize),
        out: &mut Vec<[usize; 4]>,
    ) {
        self.old_chars.clear();
        self.old_chars.extend(old.chars());
        self.new_chars.clear();
        self.new_chars.extend(new.chars());
        self.char_runs.clear();
        let (old_chars, new_chars) = (&self.old_chars, &self.new_chars);
        diff_pieces(old_chars, new_chars, 0, 0, level, &mut self.char_runs);
        push_as_bytes(&self.char_runs, (old, new), at, out);
    }
}

/// The changed ranges between `old` and `new` as [`diff_pieces`] finds them
/// on the whole texts' characters, as byte offsets (old range, new range).
fn runs_of_chars(old: &str, new: &str) -> Vec<[usize; 4]> {
    let mut runs = Vec::new();
    PieceMemo::default().diff_chars(old, new, 0, (0, 0), &mut runs);
    runs
}

/// Pushes `runs` (in order, as character indices into the texts `old` and
/// `new`) onto `out` as byte offsets, plus `at` (where the texts start):
/// one walk over each text.
fn push_as_bytes(
    runs: &[[usize; 4]],
    (old, new): (&str, &str),
    at: (usize, usize),
    out: &mut Vec<[usize; 4]>,
) {
    let (mut old_at, mut new_at) = (CharCursor::new(old), CharCursor::new(new));
    for &[o0, o1, n0, n1] in runs {
        out.push([
            at.0 + old_at.byte(o0),
            at.0 + old_at.byte(o1),
            at.1 + new_at.byte(n0),
            at.1 + new_at.byte(n1),
        ]);
    }
}

/// Byte offsets of character indices of a text, asked for in increasing order.
pub(super) struct CharCursor<'a> {
    text: &'a str,
    index: usize,
    byte: usize,
}

impl<'a> CharCursor<'a> {
    pub(super) fn new(text: &'a str) -> Self {
        CharCursor {
            text,
            index: 0,
            byte: 0,
        }
    }

    /// The byte offset of character `index` (the text's length past its end);
    /// `index` must not be less than the one asked for before.
    pub(super) fn byte(&mut self, index: usize) -> usize {
        debug_assert!(index >= self.index);
        while self.index < index {
            match self.text[self.byte..].chars().next() {
                Some(c) => self.byte += c.len_utf8(),
                None => return self.text.len(),
            }
            self.index += 1;
        }
        self.byte
    }
}

/// Above this many characters (old and new together) a part of a line is not
/// diffed in one piece: Myers' diff takes time proportional to the length times
/// the number of differences, quadratic on a long line dense with mojibake.
const DIFF_PIECE: usize = 512;

/// Characters that the repair never changes, in the order they come, by level:
/// ASCII letters and digits (a repair re-encodes non-ASCII characters and
/// decodes bytes from 0x80 up, which never gives an ASCII letter), then spaces
/// (which the repair turns into no-break spaces only after certain letters).
fn is_anchor(level: usize, c: char) -> bool {
    match level {
        0 => c.is_ascii_alphanumeric(),
        _ => c == ' ',
    }
}

/// The indices of `chars` that are anchors of `level`.
fn anchors(level: usize, chars: &[char]) -> impl Iterator<Item = usize> + Clone + '_ {
    (0..chars.len()).filter(move |&i| is_anchor(level, chars[i]))
}

/// Whether `old` and `new` have anchors of `level`, the same in the same
/// order (so each anchor pairs with its counterpart).
fn anchors_usable(level: usize, old: &[char], new: &[char]) -> bool {
    let (a, b) = (anchors(level, old), anchors(level, new));
    a.clone().next().is_some() && a.map(|i| old[i]).eq(b.map(|j| new[j]))
}

/// Pushes the changed ranges between `old` and `new` (character indices,
/// offset by `old_at` and `new_at`) onto `runs`, in order. A part is cut at
/// its ASCII letters and digits when both sides have the same ones in the
/// same order (each anchor then pairs with its counterpart: the repair never
/// changes them, and on the corpus, the peer cases and the pathological
/// benchmark Myers' diff of the whole part gave the same runs); a short part
/// without such
/// anchors is diffed in one piece; a longer one is cut at the anchor
/// characters of the next level (spaces) likewise, and the pieces between
/// anchors are handled at the next level. A long part with no usable anchors is one
/// changed range around its common prefix and suffix. So each character is
/// diffed in pieces of at most [`DIFF_PIECE`] characters, whatever the line.
fn diff_pieces(
    old: &[char],
    new: &[char],
    old_at: usize,
    new_at: usize,
    level: usize,
    runs: &mut Vec<[usize; 4]>,
) {
    use similar::{capture_diff_slices, Algorithm, DiffOp};
    if old == new {
        return;
    }
    // A short part is diffed whole, unless it holds anchors to cut at (most
    // parts do: mojibake sits between ASCII letters): Myers' diff costs its
    // length times its differences, and pieces between anchors are a few
    // characters each.
    let cut = level == 0 && anchors_usable(level, old, new);
    // Most pieces between anchors are mojibake and its repair, with no
    // character in common: Myers' diff of such a pair is one replacement.
    let small = |s: &[char]| s.len() <= 8;
    if !cut && small(old) && small(new) && !old.iter().any(|c| new.contains(c)) {
        runs.push([old_at, old_at + old.len(), new_at, new_at + new.len()]);
        return;
    }
    if old.len() + new.len() <= DIFF_PIECE && !cut {
        // Positions are tracked from the lengths alone: the ops come in order.
        let (mut oi, mut ni) = (old_at, new_at);
        for op in capture_diff_slices(Algorithm::Myers, old, new) {
            let (old_len, new_len) = match op {
                DiffOp::Equal { len, .. } => {
                    oi += len;
                    ni += len;
                    continue;
                }
                DiffOp::Delete { old_len, .. } => (old_len, 0),
                DiffOp::Insert { new_len, .. } => (0, new_len),
                DiffOp::Replace {
                    old_len, new_len, ..
                } => (old_len, new_len),
            };
            runs.push([oi, oi + old_len, ni, ni + new_len]);
            oi += old_len;
            ni += new_len;
        }
        return;
    }
    if level < 2 {
        let (a, b) = (anchors(level, old), anchors(level, new));
        if cut || (level > 0 && anchors_usable(level, old, new)) {
            let (mut oi, mut ni) = (0, 0);
            for (i, j) in a.zip(b) {
                let (o, n) = (&old[oi..i], &new[ni..j]);
                diff_pieces(o, n, old_at + oi, new_at + ni, level + 1, runs);
                (oi, ni) = (i + 1, j + 1);
            }
            let (o, n) = (&old[oi..], &new[ni..]);
            diff_pieces(o, n, old_at + oi, new_at + ni, level + 1, runs);
        } else {
            diff_pieces(old, new, old_at, new_at, level + 1, runs);
        }
        return;
    }
    let prefix = old.iter().zip(new).take_while(|(a, b)| a == b).count();
    let (old_rest, new_rest) = (&old[prefix..], &new[prefix..]);
    let suffix = old_rest
        .iter()
        .rev()
        .zip(new_rest.iter().rev())
        .take_while(|(a, b)| a == b)
        .count();
    runs.push([
        old_at + prefix,
        old_at + old.len() - suffix,
        new_at + prefix,
        new_at + new.len() - suffix,
    ]);
}

/// Whether a run is weak evidence on its own: it only turns `Â` plus a space
/// or no-break space into a no-break space, and the `Â` ends an all-capitals
/// word of five letters or more, where it may well be a letter (`MISUTÂ
/// AJIKKO`, a romanised long vowel). Shorter capitalised words are mostly
/// abbreviations (`US`, `BBC`, `NATO`), which a no-break space often follows,
/// so `USÂ\xa0TV` stays plain mojibake.
fn is_weak_run(line: &str, start: usize, end: usize, after: &str) -> bool {
    const MIN_CAPITALS: usize = 5;
    let before = &line[start..end];
    let Some(rest) = before.strip_prefix('Â') else {
        return false;
    };
    let capitals = line[..start]
        .chars()
        .rev()
        .take_while(|c| c.is_uppercase())
        .count();
    let word_start = line[..start]
        .chars()
        .rev()
        .nth(capitals)
        .is_none_or(|c| !c.is_alphanumeric());
    // The space may have been aligned as unchanged, leaving it out of the run.
    let next = line[end..].chars().next();
    let spaced =
        matches!(rest, " " | "\u{a0}") || (rest.is_empty() && matches!(next, Some(' ' | '\u{a0}')));
    spaced && capitals >= MIN_CAPITALS && word_start && after.chars().all(|c| c == '\u{a0}')
}

/// The rule of one changed run (`weak`: the line's runs are all weak).
fn rule_of(before: &str, after: &str, plan: &Plan, weak: bool) -> &'static str {
    let c1_only = before.chars().all(|c| ('\u{80}'..='\u{9f}').contains(&c))
        && after.chars().count() == before.chars().count();
    if weak {
        RULE_WEAK_NBSP
    } else if c1_only {
        RULE_C1
    } else if plan.lossy && after.contains('\u{fffd}') {
        RULE_LOSSY
    } else {
        RULE_UTF8
    }
}

/// The codecs a repair undid, as the message names them (`windows-1252,
/// then windows-1252`): one string per combination for the whole process
/// (a handful: the codecs are few and the layers bounded), so that a finding
/// carries it without an allocation.
fn codecs_note(plan: &Plan) -> &'static str {
    use std::collections::HashMap;
    use std::sync::{LazyLock, Mutex};
    static NOTES: LazyLock<Mutex<HashMap<Vec<&'static str>, &'static str>>> =
        LazyLock::new(Default::default);
    if plan.codecs.is_empty() {
        return "a single-byte encoding";
    }
    let mut notes = NOTES.lock().unwrap_or_else(|e| e.into_inner());
    notes
        .entry(plan.codecs.clone())
        .or_insert_with(|| Box::leak(plan.codecs.join(", then ").into_boxed_str()))
}

/// The message of a finding of `rule` replacing `before` by `after`; `note`
/// is the codecs (see [`codecs_note`]) for the UTF-8 rules.
fn sentence(rule: &str, before: &str, after: &str, note: &str) -> String {
    let (before, after) = (before.escape_debug(), after.escape_debug());
    match rule {
        RULE_WEAK_NBSP => format!(
            "`Â` before a no-break space is often mojibake, but here it ends an \
             all-capitals word and may be a letter: `{before}` → `{after}`"
        ),
        RULE_C1 => format!(
            "Windows-1252 punctuation read as Latin-1 control characters: `{before}` → `{after}`"
        ),
        RULE_LOSSY => {
            format!("UTF-8 read as {note}, with bytes already lost: `{before}` → `{after}`")
        }
        _ => format!("UTF-8 read as {note}: `{before}` → `{after}`"),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn cutting_at_anchors_as_bytes_gives_the_runs_of_the_whole_characters() {
        // Lines of mojibake next to text that is already right, and their
        // repairs: the pieces between ASCII letters, diffed one by one,
        // against the characters of the whole part diffed at once.
        let pairs = [
            ("Ã©", "é"),
            ("Â£", "£"),
            ("â€œ", "“"),
            ("â€\u{9d}", "”"),
            ("Â ", "\u{a0}"),
            ("Ã¢â‚¬â„¢", "’"),
            ("ab", "ab"),
            ("5", "5"),
            (" ", " "),
            (".", "."),
            ("é", "é"),
            ("“", "“"),
            ("\u{a0}", "\u{a0}"),
        ];
        let mut next = crate::passes::random_text::numbers(23);
        let mut compared = 0;
        // One memo for all lines, as in a `check`: its remembered pieces
        // must give what the diff gives.
        let mut memo = super::PieceMemo::default();
        for _ in 0..20_000 {
            let picks: Vec<usize> = (0..next(12)).map(|_| next(pairs.len())).collect();
            let before: String = picks.iter().map(|&i| pairs[i].0).collect();
            let after: String = picks.iter().map(|&i| pairs[i].1).collect();
            if let Some(runs) = super::runs_between_anchors(&before, &after, &mut memo) {
                assert_eq!(runs, super::runs_of_chars(&before, &after), "{before:?}");
                compared += usize::from(!runs.is_empty());
            }
        }
        assert!(compared > 5_000, "{compared}");
    }

    #[test]
    fn the_piece_memo_tells_every_pair_apart() {
        // Every split of the same characters into an old and a new piece
        // (`Ã©` + ` é` and `Ã` + `© é` join to the same text): with one memo
        // for all of them, each pair still gets its own runs.
        let alphabet = ['Ã', '©', ' ', 'é', 'Â', '£', '.', '“'];
        let mut next = crate::passes::random_text::numbers(5);
        let mut memo = super::PieceMemo::default();
        for _ in 0..2_000 {
            let joined: String = (0..1 + next(8))
                .map(|_| alphabet[next(alphabet.len())])
                .collect();
            for (cut, _) in joined.char_indices().skip(1) {
                let (old, new) = joined.split_at(cut);
                let (mut remembered, mut fresh) = (Vec::new(), Vec::new());
                memo.diff(old, new, (3, 5), &mut remembered);
                super::PieceMemo::default().diff(old, new, (3, 5), &mut fresh);
                assert_eq!(remembered, fresh, "{old:?} {new:?}");
            }
        }
    }

    #[test]
    fn pieces_without_a_common_character_diff_as_myers_does() {
        use similar::{capture_diff_slices, Algorithm, DiffOp};
        // Myers' diff alone, as runs (positions tracked from the lengths).
        let myers = |old: &[char], new: &[char]| -> Vec<[usize; 4]> {
            let (mut o, mut n, mut runs) = (0, 0, Vec::new());
            for op in capture_diff_slices(Algorithm::Myers, old, new) {
                let (old_len, new_len) = (op.old_range().len(), op.new_range().len());
                if !matches!(op, DiffOp::Equal { .. }) {
                    runs.push([o, o + old_len, n, n + new_len]);
                }
                (o, n) = (o + old_len, n + new_len);
            }
            runs
        };
        let alphabet: Vec<char> = "Ã©Â£â€™œ\u{9d}é£’“ ".chars().collect();
        let mut next = crate::passes::random_text::numbers(11);
        let mut fast = 0;
        for _ in 0..20_000 {
            let old: Vec<char> = (0..next(9))
                .map(|_| alphabet[next(alphabet.len())])
                .collect();
            let new: Vec<char> = (0..next(9))
                .map(|_| alphabet[next(alphabet.len())])
                .collect();
            fast += usize::from(!old.iter().any(|c| new.contains(c)));
            let mut runs = Vec::new();
            diff_pieces(&old, &new, 0, 0, 1, &mut runs);
            assert_eq!(runs, myers(&old, &new), "{old:?} → {new:?}");
        }
        assert!(fast > 1000, "the fast path was taken {fast} times");
    }

    /// The windows of `line` but the last (each ends at a cut), checked to
    /// be more than `at_least` and to cover the line in order, end to end.
    fn windows_tiling(line: &str, at_least: usize) -> Vec<std::ops::Range<usize>> {
        let mut cuts: Vec<_> = super::windows(line.as_bytes()).collect();
        assert!(cuts.len() > at_least, "{} windows", cuts.len());
        assert_eq!((cuts[0].start, cuts.last().unwrap().end), (0, line.len()));
        for pair in cuts.windows(2) {
            assert_eq!(pair[0].end, pair[1].start);
        }
        cuts.pop();
        cuts
    }

    #[test]
    fn parts_of_a_line_cut_where_the_pass_allows_keep_the_lines_windows() {
        // A line cut part by part (each part from the cut before, as the
        // pipeline asks) is repaired in the windows of the whole line.
        use crate::pass::Pass;
        let units = [
            "cafÃ© Â£5 naÃ¯ve ",
            "donâ€™t ",
            "Ã©Ã©",
            "plain ascii words here, ",
        ];
        let mut next = crate::passes::random_text::numbers(3);
        let pass = Mojibake::new();
        for round in 0..40 {
            // Half of the lines have no quiet ASCII runs: their windows are
            // 64 KiB or more, so a cut can fall well past where it was asked.
            let units = &units[..units.len() - round % 2];
            let line: String = (0..30_000).map(|_| units[next(units.len())]).collect();
            let whole: Vec<_> = super::windows(line.as_bytes()).collect();
            let budget = 1 + next(200_000);
            let (mut from, mut parts) = (0, Vec::new());
            while let Some(cut) = pass.line_cut(&line[from..], budget) {
                assert!(cut >= budget.max(super::LONG_LINE + 1));
                parts.push(from..from + cut);
                from += cut;
            }
            parts.push(from..line.len());
            assert!(parts.last().unwrap().len() > super::LONG_LINE);
            let of_parts: Vec<_> = parts
                .iter()
                .flat_map(|part| {
                    let windows = super::windows(&line.as_bytes()[part.clone()]);
                    windows.map(|w| part.start + w.start..part.start + w.end)
                })
                .collect();
            assert_eq!(of_parts, whole, "budget {budget}");
        }
    }

    #[test]
    fn long_lines_are_repaired_in_windows_cut_between_ascii() {
        let unit = "He said he donâ€™t know, in Zürich. Plain words follow here, all ASCII text. ";
        let line = unit.repeat(4000);
        for window in windows_tiling(&line, 10) {
            let cut = window.end;
            assert!(
                line.as_bytes()[cut - 16..cut + 16].is_ascii(),
                "cut at {cut}"
            );
            assert!(window.len() >= super::WINDOW);
        }
        // The long line is repaired as its units are one per line.
        let fixed = crate::Engine::default_config().clean(&line);
        let per_line = crate::Engine::default_config().clean(&unit.replace(". Plain", ".\nPlain"));
        assert_eq!(fixed.matches("don’t").count(), 4000);
        assert!(per_line.contains("don’t") && !fixed.contains("â€"));
    }

    #[test]
    fn long_lines_dense_with_mojibake_are_cut_at_word_gaps_or_lead_characters() {
        // No run of 32 ASCII bytes anywhere: cuts fall before the space
        // between two ASCII words, and windows stay bounded.
        let unit = "cafÃ© Â£5 â€œquoteâ€\u{9d} naÃ¯ve ";
        let line = unit.repeat(30_000);
        for window in windows_tiling(&line, 10) {
            let cut = window.end;
            assert_eq!(&line[cut - 1..cut + 2], "e c", "cut at {cut}");
            assert!(window.len() >= super::WINDOW_WITHOUT_QUIET);
            assert!(window.len() <= super::WINDOW_WITHOUT_QUIET + unit.len());
        }
        assert_eq!(repaired(&line), "café £5 “quote” naïve ".repeat(30_000));
        // Nothing but mojibake: cut before a character a lead byte became.
        let dense = "â€™".repeat(150_000);
        for window in windows_tiling(&dense, 1) {
            assert!(window.len() <= super::WINDOW_WITHOUT_GAP + 8);
            assert!(dense[window.end..].starts_with('â'));
        }
        assert_eq!(repaired(&dense), "’".repeat(150_000));
    }

    use super::*;
    use crate::finding::{apply_edits, Applicability};

    /// The pass's findings on `text`, with their messages written (as the
    /// pipeline writes them).
    fn findings(text: &str) -> Vec<Finding> {
        let pass = Mojibake::new();
        let mut out = Vec::new();
        pass.check(text, &mut out);
        for f in &mut out {
            f.message = pass.describe(text, f).unwrap_or_default().into();
        }
        out
    }

    /// Applies every fix, safe or review.
    fn repaired(text: &str) -> String {
        let found = findings(text);
        let edits: Vec<&Edit> = found
            .iter()
            .flat_map(|f| f.fix.iter().flat_map(|x| x.edits.iter()))
            .collect();
        apply_edits(text, &edits)
    }

    fn json_str(v: &serde_json::Value, key: &str) -> String {
        v[key].as_str().expect("string field").to_string()
    }

    /// ftfy's verdicts on 3,000 generated strings: the badness test and the
    /// repair agree with it on every one.
    #[test]
    fn agrees_with_ftfy_on_generated_strings() {
        let data = data();
        let fixtures = include_str!("../../../tests/data/mojibake-ftfy.jsonl");
        let mut failures = Vec::new();
        for line in fixtures.lines() {
            let v: serde_json::Value = serde_json::from_str(line).unwrap();
            let input = json_str(&v, "input");
            let want = json_str(&v, "fixed");
            let bad = v["bad"].as_bool().unwrap();
            if badness::is_bad(data, &input) != bad {
                failures.push(format!("is_bad({input:?}) should be {bad}"));
            }
            let got = repaired(&input);
            if got != want {
                failures.push(format!("{input:?}\n  ftfy {want:?}\n  ours {got:?}"));
            }
        }
        assert!(fixtures.lines().count() >= 3000);
        assert!(failures.is_empty(), "{}", failures.join("\n"));
    }

    #[test]
    fn ascii_text_gives_nothing() {
        assert!(findings("Plain text, no accents... at all\r\n").is_empty());
    }

    #[test]
    fn each_run_is_its_own_safe_finding_with_before_and_after() {
        let text = "He said donâ€™t, Â£5 each.\nSecond line Ã©tÃ©\n";
        let found = findings(text);
        let spans: Vec<(&str, &str, &str)> = found
            .iter()
            .map(|f| {
                (
                    f.rule.as_ref(),
                    &text[f.start..f.end],
                    f.fix.as_ref().unwrap().edits[0].replacement.as_str(),
                )
            })
            .collect();
        assert_eq!(
            spans,
            vec![
                (RULE_UTF8, "â€™", "’"),
                (RULE_UTF8, "Â£", "£"),
                (RULE_UTF8, "Ã©", "é"),
                (RULE_UTF8, "Ã©", "é"),
            ]
        );
        assert!(found
            .iter()
            .all(|f| f.applicability() == Applicability::Safe));
        assert!(
            found[0].message.contains("windows-1252"),
            "{}",
            found[0].message
        );
        assert!(
            found[0].message.contains("`â€™` → `’`"),
            "{}",
            found[0].message
        );
    }

    #[test]
    fn double_mojibake_names_both_layers() {
        let found = findings("doesnÃƒÂ¢Ã¢â€šÂ¬Ã¢â€žÂ¢t");
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].fix.as_ref().unwrap().edits[0].replacement, "’");
        assert!(
            found[0].message.contains("windows-1252, then windows-1252"),
            "{}",
            found[0].message
        );
    }

    #[test]
    fn legitimate_letters_beside_mojibake_stay() {
        for (input, want) in [
            ("Erdoğan said donâ€™t", "Erdoğan said don’t"),
            ("Zürich: â€œyesâ€\u{9d}", "Zürich: “yes”"),
            ("Naïve cafÃ©", "Naïve café"),
        ] {
            assert_eq!(repaired(input), want);
        }
    }

    #[test]
    fn text_that_only_looks_odd_stays() {
        for text in [
            "MÃE",
            "C O N C L U S Ã O",
            "Bremer/Mccoy – DrÃ¥ber",
            "4288×…",
        ] {
            assert!(findings(text).is_empty(), "{text}");
        }
    }

    #[test]
    fn lost_bytes_are_a_lossy_finding() {
        let found = findings("â€œlossy decodingâ€\u{fffd}");
        let rules: Vec<&str> = found.iter().map(|f| f.rule.as_ref()).collect();
        assert_eq!(rules, vec![RULE_UTF8, RULE_LOSSY]);
        assert_eq!(
            repaired("â€œlossy decodingâ€\u{fffd}"),
            "“lossy decoding\u{fffd}"
        );
    }

    #[test]
    fn c1_controls_are_their_own_rule() {
        let found = findings("pas encore beaucoup parlé\u{85} Tu sais");
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].rule, RULE_C1);
        assert_eq!(found[0].fix.as_ref().unwrap().edits[0].replacement, "…");
    }

    #[test]
    fn a_circumflex_ending_a_capitalised_word_is_only_review() {
        let found = findings("MISUTÂ\u{a0}AJIKKO");
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].rule, RULE_WEAK_NBSP);
        assert_eq!(found[0].applicability(), Applicability::Review);
        // After a lowercase letter it is plain mojibake.
        let found = findings("the minister saidÂ\u{a0}his party");
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].rule, RULE_UTF8);
        assert_eq!(found[0].applicability(), Applicability::Safe);
        // Short capitals are abbreviations, which a no-break space follows.
        let found = findings("due to make USÂ\u{a0}TV debut");
        assert_eq!(found[0].rule, RULE_UTF8);
        assert_eq!(found[0].applicability(), Applicability::Safe);
        // Next to other mojibake the line is strong evidence.
        let found = findings("MISUTÂ\u{a0}AJIKKO donâ€™t");
        assert!(found
            .iter()
            .all(|f| f.applicability() == Applicability::Safe));
    }

    #[test]
    fn spans_are_offsets_into_the_whole_text() {
        let text = "first line\nsecond: cafÃ©\r\nthird";
        let found = findings(text);
        assert_eq!(found.len(), 1);
        assert_eq!(&text[found[0].start..found[0].end], "Ã©");
    }

    /// A long line is diffed in pieces (Myers' diff on the whole line is
    /// quadratic): its findings are those of the same sentences on lines of
    /// their own, moved to where they are.
    #[test]
    fn a_long_line_gives_the_findings_of_its_sentences() {
        let sentence = "He said he donâ€™t know, cafÃ© Â£5. ";
        let line = sentence.repeat(400);
        assert!(line.chars().count() > 20 * DIFF_PIECE);
        let one = findings(sentence);
        assert!(!one.is_empty());
        let long = findings(&line);
        assert_eq!(long.len(), 400 * one.len());
        for (i, f) in long.iter().enumerate() {
            let (base, shift) = (&one[i % one.len()], (i / one.len()) * sentence.len());
            assert_eq!((f.start, f.end), (base.start + shift, base.end + shift));
            assert_eq!(f.rule, base.rule);
            let (e, b) = (
                &f.fix.as_ref().unwrap().edits,
                &base.fix.as_ref().unwrap().edits,
            );
            assert_eq!(e[0].replacement, b[0].replacement);
        }
        assert_eq!(repaired(&line), repaired(sentence).repeat(400));
    }

    /// A long stretch with no ASCII letter to cut at is still repaired whole
    /// (as one run around what is unchanged at its ends).
    #[test]
    fn a_long_line_without_letters_is_repaired_whole() {
        let word = "Ð¿Ñ€Ð¸Ð²ÐµÑ‚ ";
        let line = word.repeat(300);
        assert_eq!(repaired(&line), "привет ".repeat(300));
        let dense = "â€™".repeat(3000);
        assert_eq!(repaired(&dense), "’".repeat(3000));
    }

    #[test]
    fn pieces_cover_every_difference() {
        // Whatever the anchors, applying the runs gives the repaired text.
        for (before, after) in [
            ("ab", "b"),
            ("x é y", "x e y"),
            (&*"aé ".repeat(400), &*"ae ".repeat(400)),
            (&*"aé ".repeat(400), &*"é a".repeat(400)),
        ] {
            let mut rebuilt = String::new();
            let mut at = 0;
            for (start, end, with) in changed_runs(before, after, &mut super::PieceMemo::default())
            {
                rebuilt.push_str(&before[at..start]);
                rebuilt.push_str(&with);
                at = end;
            }
            rebuilt.push_str(&before[at..]);
            assert_eq!(rebuilt, after);
        }
    }
}
