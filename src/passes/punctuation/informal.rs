//! The informal two-dot ellipsis: `the price.. hmm.. not bad`.
//!
//! In comments, forums and blogs `..` is a common short ellipsis, not a
//! doubled full stop. POLICY ("Duplicated punctuation"): `..` followed by a
//! space and a lowercase word is the author's, and so is every `..` of a
//! paragraph that uses `..` that way (`ok.. see you there..`). Forcing a full
//! stop before a lowercase word is damage, so precision comes first.
//!
//! What it deliberately does not decide: the extra dot after an abbreviation's
//! own dot (`Ltd.. shares`) is a doubled stop whatever follows, and such a
//! `..` does not make its paragraph informal; the caller checks that first.
//! A paragraph is a line, like everything else in the `punctuation` pass.

use memchr::{memchr, memmem, memrchr};

use super::context::{char_at, char_before, word_ending_at};

/// Whether `c` is Hangul, a Han ideograph or kana. Korean, Chinese and
/// Japanese pages use `..` after a word as an ellipsis and to cut headlines
/// short (`‘청춘시대3’..`, `얼마나..`): a doubled stop there cannot be told
/// from either, so it is left alone.
pub(super) fn is_cjk(c: char) -> bool {
    matches!(c,
        '\u{1100}'..='\u{11FF}'
        | '\u{3040}'..='\u{30FF}'
        | '\u{3130}'..='\u{318F}'
        | '\u{3400}'..='\u{4DBF}'
        | '\u{4E00}'..='\u{9FFF}'
        | '\u{AC00}'..='\u{D7AF}'
        | '\u{F900}'..='\u{FAFF}')
}

/// Whether the word (run of non-space characters, at most 16 looked at)
/// that ends at byte `end` contains a CJK character: `얼마나..`, and behind
/// a closing quote `‘청춘시대3’..`.
pub(super) fn cjk_word_before(text: &str, end: usize) -> bool {
    text[..end]
        .chars()
        .rev()
        .take(16)
        .take_while(|c| !c.is_whitespace())
        .any(is_cjk)
}

/// Whether the current line uses `..` as an ellipsis, computed once per line
/// (candidates arrive in text order, so a document costs one scan per line
/// that has a `..` at all).
#[derive(Debug, Default)]
pub(super) struct TwoDotEllipsis {
    /// The line last looked at, `start..end`, and its answer.
    line: Option<(usize, usize, bool)>,
}

impl TwoDotEllipsis {
    /// Whether the line holding byte `p` has a two-dot ellipsis before a
    /// lowercase word. `is_abbreviation` says whether a word ending in its
    /// own `.` is an abbreviation (its `..` is then a doubled stop).
    pub(super) fn in_paragraph_of(
        &mut self,
        text: &str,
        p: usize,
        is_abbreviation: impl Fn(&str) -> bool,
    ) -> bool {
        if let Some((start, end, answer)) = self.line {
            if (start..end).contains(&p) {
                return answer;
            }
        }
        let bytes = text.as_bytes();
        let start = memrchr(b'\n', &bytes[..p]).map_or(0, |i| i + 1);
        let end = memchr(b'\n', &bytes[p..]).map_or(bytes.len(), |i| p + i);
        let answer = line_uses_two_dot_ellipsis(text, start, end, is_abbreviation);
        self.line = Some((start, end, answer));
        answer
    }
}

/// Whether `text[start..end]` (one line) has a run of exactly two dots that
/// is followed by spaces and a lowercase letter, and does not follow an
/// abbreviation's own dot.
fn line_uses_two_dot_ellipsis(
    text: &str,
    start: usize,
    end: usize,
    is_abbreviation: impl Fn(&str) -> bool,
) -> bool {
    let bytes = text.as_bytes();
    let mut from = start;
    while let Some(i) = memmem::find(&bytes[from..end], b"..") {
        let p = from + i;
        let run = bytes[p..end].iter().take_while(|&&b| b == b'.').count();
        from = p + run;
        if run != 2 || (p > start && bytes[p - 1] == b'.') {
            continue;
        }
        if followed_by_lowercase_word(text, p + 2, end)
            && !(char_before(text, p).is_some_and(char::is_alphabetic)
                && is_abbreviation(word_ending_at(text, p)))
        {
            return true;
        }
    }
    false
}

/// Whether one or more spaces (or tabs, no-break spaces) start at `i` and a
/// lowercase letter follows them, before `end`.
fn followed_by_lowercase_word(text: &str, i: usize, end: usize) -> bool {
    let rest = &text[i..end];
    let word = rest.trim_start_matches([' ', '\t', '\u{a0}']);
    word.len() < rest.len() && char_at(word, 0).is_some_and(char::is_lowercase)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn informal(line: &str) -> bool {
        let abbreviation = |w: &str| matches!(w, "Ltd." | "a.m." | "Inc.");
        line_uses_two_dot_ellipsis(line, 0, line.len(), abbreviation)
    }

    #[test]
    fn a_two_dot_ellipsis_before_a_lowercase_word_makes_the_line_informal() {
        assert!(informal("the bus was late.. again"));
        assert!(informal("Well.. maybe. See you Friday.."));
        assert!(informal("lol..  no way"));
        assert!(informal("Dunno..\u{a0}ça dépend"));
    }

    #[test]
    fn other_runs_and_capitals_do_not() {
        assert!(!informal("the vote.. The result"));
        assert!(!informal("wait... and then"));
        assert!(!informal("the end..and more"), "no space");
        assert!(
            !informal("the end.. 5 more"),
            "a digit is no lowercase word"
        );
        assert!(!informal("see ../archive and 1..10"));
    }

    #[test]
    fn an_abbreviation_dot_does_not_make_the_line_informal() {
        assert!(!informal("He works for Acme Ltd.. shares fell"));
        assert!(!informal("at 9 a.m.. and then"));
        assert!(informal("at 9 a.m.. and then.. who knows"));
    }

    #[test]
    fn cjk_letters_are_recognised() {
        assert!("얼마나청춘漢字かなカナ".chars().all(is_cjk));
        assert!(!"abcéЖ".chars().any(is_cjk));
    }

    #[test]
    fn the_answer_is_cached_per_line() {
        let text = "one.. two\nThree.. Four";
        let mut t = TwoDotEllipsis::default();
        let never = |_: &str| false;
        assert!(t.in_paragraph_of(text, 3, never));
        assert!(!t.in_paragraph_of(text, text.rfind("..").unwrap(), never));
    }
}
