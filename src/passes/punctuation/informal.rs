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
//!
//! The same holds for `..` that marks text cut short or trailing off where
//! no sentence was finished ([`ends_unfinished_text`]): a truncated
//! headline (`Wedding Dresses & Brida..`), a word cut inside a bracket
//! (`Another Day [Su..`), an "and so on" inside a parenthesis
//! (`(Konversation, Akregator..)`). A doubled full stop needs a full stop to
//! double, and there is none at the end of a heading or inside a sentence.

use memchr::{memchr, memmem, memrchr};

use super::context::{char_at, char_before, word_ending_at};

/// Whether `c` is Hangul, a Han ideograph or kana. Korean, Chinese and
/// Japanese pages use `..` after a word as an ellipsis and to cut headlines
/// short (`‘청춘시대3’..`, `얼마나..`): a doubled stop there cannot be told
/// from either, so it is left alone.
pub(crate) fn is_cjk(c: char) -> bool {
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

/// How far back (in bytes) [`ends_unfinished_text`] looks on the line.
const LOOK_BACK: usize = 1024;

/// Words a title keeps in lower case (`Pride and Prejudice`, `Day of the
/// Dead`, `Ludwig van Beethoven`).
const TITLE_SMALL_WORDS: &[&str] = &[
    "a", "an", "the", "and", "or", "but", "nor", "for", "of", "in", "on", "at", "to", "by", "with",
    "from", "as", "vs", "via", "per", "into", "onto", "de", "la", "le", "du", "des", "del", "der",
    "van", "von", "y", "e", "et", "und",
];

/// Whether the `..` at byte `p` (not after an abbreviation's own dot: the
/// caller checks that) closes text that is not a finished sentence, so the
/// two dots are an ellipsis marking a cut, not a doubled full stop:
///
/// - before a closing bracket whose parenthesis opened inside a sentence
///   (after a word or comma, not at the line's start or after a sentence
///   end): `hosts other projects (Konversation, Akregator..) for free`. A
///   full stop cannot end a parenthesis in the middle of a sentence;
/// - at the end of a line (or the text), when the line still has a bracket
///   open before a word (`Another Day [Su..`: a finished sentence would
///   have closed it), when the last word is a single letter other than `a`,
///   `i`, `o` (`told his fellow c..`), or when the line's last sentence is a
///   title-case fragment of two or more capitalised words in a list of short
///   lines (`Wedding Dresses & Brida..` after `Wedding Locations`, `Top
///   Software Sales For 2..`): headings, menu entries and cut titles take no
///   full stop.
///
/// Looks at most [`LOOK_BACK`] bytes back on the current line.
pub(super) fn ends_unfinished_text(text: &str, p: usize) -> bool {
    let bytes = text.as_bytes();
    let floor = p.saturating_sub(LOOK_BACK);
    let mut start = memrchr(b'\n', &bytes[floor..p]).map_or(floor, |i| floor + i + 1);
    while !text.is_char_boundary(start) {
        start += 1;
    }
    let line = &text[start..p];
    match char_at(text, p + 2) {
        Some(')' | ']' | '}') => opened_inside_sentence(line),
        next if line_ends_at(text, p + 2, next) => {
            unclosed_bracket_before_word(line)
                || ends_with_cut_letter(line)
                || (is_title(line) && in_list(text, start))
        }
        _ => false,
    }
}

/// How long (in characters) a neighbouring line of a list may be.
const LIST_LINE: usize = 100;

/// Whether the line from `start` stands in a list of headlines or menu
/// entries: the line right before it is short and does not end a sentence
/// (`Wedding Locations`, `Feeds.gawker.com / Jan 17, 2008`). A title-case
/// line on its own may be a sentence of names (`Held in Nagorno Karabakh..`).
/// Only the line before is looked at: the pass is
/// [`Locality::LineAndPrevious`](crate::pass::Locality).
fn in_list(text: &str, start: usize) -> bool {
    let bytes = text.as_bytes();
    let entry = |line: &str| {
        let line = line.trim_end();
        !line.trim().is_empty()
            && line.chars().nth(LIST_LINE).is_none()
            && !line.ends_with(['.', '!', '?', ':', ';'])
    };
    start.checked_sub(1).is_some_and(|nl| {
        let floor = nl.saturating_sub(LOOK_BACK);
        let mut from = memrchr(b'\n', &bytes[floor..nl]).map_or(floor, |i| floor + i + 1);
        while !text.is_char_boundary(from) {
            from += 1;
        }
        (from > floor || floor == 0) && entry(&text[from..nl])
    })
}

/// Whether only spaces or tabs follow byte `i` up to the line's end.
fn line_ends_at(text: &str, i: usize, next: Option<char>) -> bool {
    match next {
        None | Some('\n' | '\r') => true,
        Some(' ' | '\t' | '\u{a0}') => text[i..]
            .chars()
            .find(|c| !matches!(c, ' ' | '\t' | '\u{a0}'))
            .is_none_or(|c| c == '\n' || c == '\r'),
        _ => false,
    }
}

/// Whether the innermost bracket still open at the end of `line` was opened
/// inside a sentence: after a word, digit or comma rather than at the
/// line's start or after a sentence end.
fn opened_inside_sentence(line: &str) -> bool {
    let Some(open) = last_unclosed_bracket(line) else {
        return false;
    };
    let before = line[..open].trim_end_matches([' ', '\t', '\u{a0}']);
    let sentence_end = before
        .trim_end_matches(['"', '\'', '”', '’', '»'])
        .ends_with(['.', '!', '?', '…', ':']);
    !before.is_empty() && !sentence_end
}

/// Whether `line` has a bracket still open that is followed by a letter
/// (`[Su`), not a smiley or list marker (`:(`, `1)`).
fn unclosed_bracket_before_word(line: &str) -> bool {
    last_unclosed_bracket(line)
        .is_some_and(|open| char_at(line, open + 1).is_some_and(char::is_alphabetic))
}

/// The byte of the last opening bracket of `line` that no closing bracket
/// after it matches.
fn last_unclosed_bracket(line: &str) -> Option<usize> {
    let mut depth = 0usize;
    for (i, c) in line.char_indices().rev() {
        match c {
            ')' | ']' | '}' => depth += 1,
            '(' | '[' | '{' if depth == 0 => return Some(i),
            '(' | '[' | '{' => depth -= 1,
            _ => {}
        }
    }
    None
}

/// Whether `line` ends with a one-letter word other than `a`, `i`, `o`: a
/// word cut after its first letter (`his fellow c..`).
fn ends_with_cut_letter(line: &str) -> bool {
    let mut rev = line.chars().rev();
    let last = rev.next();
    let before = rev.next();
    last.is_some_and(|c| c.is_lowercase() && !matches!(c, 'a' | 'i' | 'o'))
        && before.is_some_and(char::is_whitespace)
}

/// Whether the last sentence of `line` is a title-case fragment: at least two
/// words start with a capital, and every other word with letters starts
/// with a digit or is a small word titles keep in lower case.
fn is_title(line: &str) -> bool {
    let sentence_start = [". ", "! ", "? "]
        .iter()
        .filter_map(|end| line.rfind(end).map(|i| i + 2))
        .max()
        .unwrap_or(0);
    let mut capitals = 0;
    for word in line[sentence_start..].split([' ', '\t', '\u{a0}']) {
        let word = word.trim_start_matches(|c: char| !c.is_alphanumeric());
        let Some(first) = word.chars().next() else {
            continue;
        };
        if first.is_uppercase() {
            capitals += 1;
        } else if first.is_lowercase() {
            let bare = word.trim_end_matches(|c: char| !c.is_alphanumeric());
            if !TITLE_SMALL_WORDS.contains(&bare) {
                return false;
            }
        }
    }
    capitals >= 2
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

    /// Whether the (only) `..` of `line` ends unfinished text.
    fn unfinished(line: &str) -> bool {
        ends_unfinished_text(line, line.find("..").unwrap())
    }

    #[test]
    fn two_dots_ending_a_title_or_cut_word_end_unfinished_text() {
        assert!(unfinished("Home\nGarden Furniture & Outdo..\nKitchens"));
        assert!(unfinished("Stocks\nBest Budget Laptops For 20..\nNews"));
        assert!(unfinished(
            "Travel\r\nTen Things To Do in Lisbon..  \r\nMore"
        ));
        assert!(unfinished("Latest news\nMinister Visits Flood Zone.."));
        assert!(unfinished("Why I Left The Band [Exclusi.."));
        assert!(unfinished("the mayor said his rival had lied to the b.."));
        assert!(unfinished(
            "we support several editors (Vim, Emacs..) out of the box"
        ));
        assert!(unfinished(
            "bring snacks, drinks [crisps, juice..] and a coat"
        ));
        assert!(unfinished("We went home (it was late..) and slept"));
    }

    #[test]
    fn two_dots_ending_a_sentence_do_not() {
        assert!(!unfinished("The end.."));
        assert!(!unfinished("I think we should leave now.."));
        assert!(!unfinished("It rained all day in Leeds.."));
        assert!(!unfinished("Everton beat Hull 3-1..\nNext"));
        assert!(!unfinished("Thanks for the recipe.."));
        assert!(!unfinished("Done.."), "one word is no title");
        assert!(
            !unfinished("It was late. (We went home..) Then"),
            "a parenthesis after a stop"
        );
        assert!(
            !unfinished("(We went home..)"),
            "a parenthesis at the line's start"
        );
        assert!(
            !unfinished("I was sad :( and went home.."),
            "a smiley is no bracket"
        );
        assert!(!unfinished("He chose plan a.."), "`a` is a word");
        assert!(!unfinished("The vote.. The result"), "not at a line end");
    }

    #[test]
    fn only_the_last_sentence_of_the_line_counts_as_a_title() {
        assert!(!unfinished("Home\nRead The Latest News. it was grim.."));
        assert!(unfinished("Home\nit was grim. Read The Latest News.."));
    }

    #[test]
    fn a_title_case_line_counts_as_a_title_only_in_a_list() {
        assert!(!unfinished("Talks Held in Baku.."), "a line on its own");
        assert!(
            !unfinished("Talks Held in Baku..\nSport"),
            "the line after does not count"
        );
        assert!(!unfinished(
            "It rained.\nTalks Held in Baku..\nThen it stopped."
        ));
        assert!(unfinished("Sport\nTalks Held in Baku..\nThen it stopped."));
        let long = format!("{}\nTalks Held in Baku..", "word ".repeat(30));
        assert!(!unfinished(&long), "a paragraph before is no list entry");
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
