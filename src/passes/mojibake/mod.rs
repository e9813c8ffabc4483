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
//! - `mojibake.nbsp-as-space` (review): the line's only evidence is `Â` before
//!   a space, which was a no-break space (`Â\xa0`) only if that space had been
//!   one; in `MISUTÂ AJIKKO` it was not.
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
/// Rule: a lone `Â` before a space.
pub const RULE_NBSP: &str = "mojibake.nbsp-as-space";

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
    fn check_line(&self, line: &str, offset: usize, findings: &mut Vec<Finding>) {
        let Some((fixed, plan)) = repair::fix_encoding(self.data, line) else {
            return;
        };
        let runs = changed_runs(line, &fixed);
        let weak = runs.iter().all(|r| is_nbsp_only(&line[r.0..r.1], &r.2));
        for (start, end, after) in runs {
            let before = &line[start..end];
            let (rule, message) = describe(before, &after, &plan, weak);
            let edit = Edit::replace(offset + start, offset + end, after);
            let fix = if weak {
                Fix::review(vec![edit])
            } else {
                Fix::safe(vec![edit])
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
    fn name(&self) -> &'static str {
        "mojibake"
    }

    fn check(&self, text: &str, findings: &mut Vec<Finding>) {
        let bytes = text.as_bytes();
        let mut pos = 0;
        while let Some(hit) = next_non_ascii(bytes, pos) {
            let start = memchr::memrchr(b'\n', &bytes[..hit]).map_or(0, |i| i + 1);
            let end = memchr::memchr(b'\n', &bytes[hit..]).map_or(bytes.len(), |i| hit + i + 1);
            self.check_line(&text[start..end], start, findings);
            pos = end;
        }
    }
}

/// The first byte at or after `from` that is not ASCII, eight bytes at a time.
fn next_non_ascii(bytes: &[u8], from: usize) -> Option<usize> {
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let mut i = from;
    while i + 8 <= bytes.len() {
        let word = u64::from_le_bytes(bytes[i..i + 8].try_into().expect("8 bytes"));
        if word & HIGH != 0 {
            return Some(i + (word & HIGH).trailing_zeros() as usize / 8);
        }
        i += 8;
    }
    (i..bytes.len()).find(|&j| bytes[j] >= 0x80)
}

/// The runs where `after` differs from `before`: `(start, end, replacement)`,
/// byte offsets into `before`. Characters both share (usually the ASCII around
/// and between mojibake) are kept out of the runs.
fn changed_runs(before: &str, after: &str) -> Vec<(usize, usize, String)> {
    use similar::{capture_diff_slices, Algorithm, DiffOp};
    let old: Vec<(usize, char)> = before.char_indices().collect();
    let new: Vec<(usize, char)> = after.char_indices().collect();
    let old_chars: Vec<char> = old.iter().map(|&(_, c)| c).collect();
    let new_chars: Vec<char> = new.iter().map(|&(_, c)| c).collect();
    let old_at = |i: usize| old.get(i).map_or(before.len(), |&(b, _)| b);
    let new_at = |i: usize| new.get(i).map_or(after.len(), |&(b, _)| b);
    let mut runs: Vec<(usize, usize, String)> = Vec::new();
    for op in capture_diff_slices(Algorithm::Myers, &old_chars, &new_chars) {
        let (o, n) = match op {
            DiffOp::Equal { .. } => continue,
            DiffOp::Delete {
                old_index, old_len, new_index, ..
            } => (old_index..old_index + old_len, new_index..new_index),
            DiffOp::Insert {
                old_index, new_index, new_len, ..
            } => (old_index..old_index, new_index..new_index + new_len),
            DiffOp::Replace {
                old_index,
                old_len,
                new_index,
                new_len,
            } => (old_index..old_index + old_len, new_index..new_index + new_len),
        };
        let (start, end) = (old_at(o.start), old_at(o.end));
        let replacement = &after[new_at(n.start)..new_at(n.end)];
        match runs.last_mut() {
            Some(last) if last.1 == start => {
                last.1 = end;
                last.2.push_str(replacement);
            }
            _ => runs.push((start, end, replacement.to_string())),
        }
    }
    runs
}

/// Whether a run only turned `Â` + space into a no-break space.
fn is_nbsp_only(before: &str, after: &str) -> bool {
    !after.is_empty()
        && after.chars().all(|c| c == '\u{a0}')
        && before.chars().all(|c| c == 'Â' || c == ' ')
        && before.contains(' ')
}

/// The rule and message of one changed run.
fn describe(
    before: &str,
    after: &str,
    plan: &Plan,
    weak: bool,
) -> (&'static str, String) {
    let shown = |s: &str| s.escape_debug().to_string();
    if weak {
        return (
            RULE_NBSP,
            format!(
                "`{}` may be a no-break space read as Windows-1252 with the space \
                 retyped; only a lone `Â` suggests it: `{}` → `{}`",
                shown(before),
                shown(before),
                shown(after)
            ),
        );
    }
    let c1_only = before.chars().all(|c| ('\u{80}'..='\u{9f}').contains(&c))
        && after.chars().count() == before.chars().count();
    if c1_only {
        return (
            RULE_C1,
            format!(
                "Windows-1252 punctuation read as Latin-1 control characters: `{}` → `{}`",
                shown(before),
                shown(after)
            ),
        );
    }
    let codecs = if plan.codecs.is_empty() {
        "a single-byte encoding".to_string()
    } else {
        plan.codecs.join(", then ")
    };
    if plan.lossy && after.contains('\u{fffd}') {
        return (
            RULE_LOSSY,
            format!(
                "UTF-8 read as {codecs}, with bytes already lost: `{}` → `{}`",
                shown(before),
                shown(after)
            ),
        );
    }
    (
        RULE_UTF8,
        format!(
            "UTF-8 read as {codecs}: `{}` → `{}`",
            shown(before),
            shown(after)
        ),
    )
}
