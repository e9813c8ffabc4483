//! Finding candidate name phrases in one text: runs of capitalised words.

use super::key::is_particle;

/// Runs longer than this many words are title-case headings or lists, not
/// names, and are skipped whole.
pub(crate) const MAX_RUN_WORDS: usize = 6;
/// The longest candidate taken from a run, in words (`Abu Musab al-Zarqawi`,
/// `Jose Manuel Durao Barroso`).
pub(crate) const MAX_PHRASE_WORDS: usize = 4;
const NBSP: char = '\u{a0}';

/// One token of a run: a word as written, with its byte range.
#[derive(Debug, Clone, Copy)]
struct Token {
    start: usize,
    end: usize,
}

/// A candidate phrase: its byte range in the text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Candidate {
    pub start: usize,
    pub end: usize,
    /// The phrase opens a sentence, a line or the text.
    pub sentence_start: bool,
}

fn is_word_char(c: char) -> bool {
    c.is_alphabetic() || unicode_normalization::char::is_combining_mark(c)
}

/// Calls `found` with every candidate phrase of `text`: each end of 2 to
/// [`MAX_PHRASE_WORDS`] words of a run of capitalised words
/// (joined by one space or no-break space, never a line break or
/// punctuation; sentence-opening words such as `The` do not count as the
/// beginning), and each hyphenated capitalised word (`Nagorno-Karabakh`,
/// `Al-Qaeda`).
pub(crate) fn candidates(text: &str, mut found: impl FnMut(Candidate)) {
    let mut run: Vec<Token> = Vec::new();
    let mut run_open = false; // the run may continue after one separator
    let mut pos = 0;
    let bytes = text.as_bytes();
    while pos < text.len() {
        let c = text[pos..].chars().next().unwrap();
        if is_word_char(c) {
            let start = pos;
            let end = word_end(text, pos);
            // A word glued to a digit, `_`, `@`, `/` or `.`+letter (URLs, handles,
            // e-mail addresses, file names) is not prose.
            let glued = |i: usize, back: bool| -> bool {
                let ch = if back {
                    text[..i].chars().next_back()
                } else {
                    text[i..].chars().next()
                };
                let dot_joined = back
                    && ch == Some('.')
                    && text[..i - 1]
                        .chars()
                        .next_back()
                        .is_some_and(char::is_alphanumeric);
                dot_joined
                    || ch.is_some_and(|ch| {
                        ch.is_ascii_digit() || matches!(ch, '_' | '@' | '/' | '#')
                    })
            };
            let dotted = bytes.get(end) == Some(&b'.')
                && text[end + 1..]
                    .chars()
                    .next()
                    .is_some_and(char::is_alphanumeric);
            let is_name = !glued(start, true) && !glued(end, false) && !dotted && {
                let word = &text[start..end];
                is_name_word(word)
            };
            if is_name && (run_open || run.is_empty()) {
                run.push(Token { start, end });
            } else {
                flush(text, &mut run, &mut found);
                if is_name {
                    run.push(Token { start, end });
                }
            }
            pos = end;
            // Possessive `'s` / `’s` ends the run after this word.
            let rest = &text[pos..];
            let possessive = ["'s", "’s"].iter().find(|p| {
                rest.starts_with(**p) && !rest[p.len()..].chars().next().is_some_and(is_word_char)
            });
            if let Some(p) = possessive {
                pos += p.len();
                run_open = false;
                flush(text, &mut run, &mut found);
                continue;
            }
            run_open = match text[pos..].chars().next() {
                Some(' ') | Some(NBSP) => {
                    let sep = text[pos..].chars().next().unwrap().len_utf8();
                    let next = text[pos + sep..].chars().next();
                    if next.is_some_and(is_word_char) {
                        pos += sep;
                        true
                    } else {
                        false
                    }
                }
                _ => false,
            };
            if !run_open {
                flush(text, &mut run, &mut found);
            }
        } else {
            flush(text, &mut run, &mut found);
            run_open = false;
            pos += c.len_utf8();
        }
    }
    flush(text, &mut run, &mut found);
}

/// End of the word starting at `pos`: letters and marks, with single inner
/// hyphens or apostrophes between letters (`Nagorno-Karabakh`, `O’Neill`).
fn word_end(text: &str, pos: usize) -> usize {
    let mut end = pos;
    let mut chars = text[pos..].char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        if is_word_char(c) {
            end = pos + i + c.len_utf8();
            continue;
        }
        let joins = matches!(c, '-' | '\'' | '’');
        let next_is_letter = chars.peek().is_some_and(|&(_, n)| is_word_char(n));
        if joins && next_is_letter {
            // `Blair's`: a possessive is not part of the word.
            if c != '-' {
                let after = &text[pos + i + c.len_utf8()..];
                let s_end =
                    after.starts_with('s') && !after[1..].chars().next().is_some_and(is_word_char);
                if s_end {
                    break;
                }
            }
            continue;
        }
        break;
    }
    end
}

/// A word that can be part of a name: it starts with a capital letter and is
/// not all capitals (`BBC`, headings), or it is a particle (`bin`, `al-Assad`).
fn is_name_word(word: &str) -> bool {
    let letters = word.chars().filter(|c| c.is_alphabetic()).count();
    let upper = word.chars().filter(|c| c.is_uppercase()).count();
    if letters > 1 && upper == letters {
        return false;
    }
    let first_part = word.split('-').next().unwrap_or(word);
    if is_particle(first_part) {
        // `bin`, `al-Assad`, `de`: a particle joined to a capitalised word, or a
        // lone particle between two capitalised words (checked at flush).
        return word.split('-').skip(1).all(starts_upper) || !word.contains('-');
    }
    starts_upper(word)
}

fn starts_upper(word: &str) -> bool {
    word.chars().next().is_some_and(char::is_uppercase)
}

/// Whether the word is a lone particle (`bin`, `de`), which can be inside a
/// name but neither begin nor end one.
fn lone_particle(word: &str) -> bool {
    !word.contains('-') && is_particle(word) && !starts_upper(word)
}

/// Capitalised words that open a sentence or stand before a name without
/// being part of it: a candidate never starts with one (`The Labour`,
/// `Mr Johnson`), the sub-run after it is taken instead.
const NOT_FIRST: &[&str] = &[
    "A",
    "About",
    "According",
    "After",
    "Again",
    "All",
    "Also",
    "Although",
    "An",
    "And",
    "Another",
    "Any",
    "As",
    "At",
    "Because",
    "Before",
    "Both",
    "But",
    "By",
    "Despite",
    "Do",
    "During",
    "Each",
    "Even",
    "Every",
    "Ex",
    "Following",
    "For",
    "Former",
    "From",
    "He",
    "Her",
    "Here",
    "His",
    "How",
    "However",
    "I",
    "If",
    "In",
    "Into",
    "It",
    "Its",
    "Last",
    "Like",
    "Many",
    "Meanwhile",
    "Miss",
    "Most",
    "Mr",
    "Mrs",
    "Ms",
    "My",
    "No",
    "Not",
    "Now",
    "Of",
    "On",
    "Once",
    "One",
    "Only",
    "Or",
    "Our",
    "Over",
    "Said",
    "She",
    "Since",
    "So",
    "Some",
    "Such",
    "That",
    "The",
    "Their",
    "Then",
    "There",
    "These",
    "They",
    "This",
    "Those",
    "To",
    "Under",
    "Unlike",
    "Until",
    "Was",
    "We",
    "What",
    "When",
    "Where",
    "Whether",
    "Which",
    "While",
    "Who",
    "Why",
    "With",
    "Without",
    "Yet",
    "You",
    "Your",
];

fn flush(text: &str, run: &mut Vec<Token>, found: &mut impl FnMut(Candidate)) {
    if run.is_empty() {
        return;
    }
    if run.len() <= MAX_RUN_WORDS {
        let word = |t: &Token| &text[t.start..t.end];
        for i in 0..run.len() {
            if lone_particle(word(&run[i])) || NOT_FIRST.contains(&word(&run[i])) {
                continue;
            }
            let t = &run[i];
            let w = word(t);
            let sentence_start = starts_sentence(text, t.start);
            // A hyphenated capitalised word is a candidate on its own.
            if w.contains('-') && w.split('-').filter(|p| starts_upper(p)).count() >= 1 {
                let parts = w.split('-').count();
                let capitalised_after = w.split('-').skip(1).all(starts_upper);
                if parts >= 2 && capitalised_after {
                    found(Candidate {
                        start: t.start,
                        end: t.end,
                        sentence_start,
                    });
                }
            }
            for j in i + 1..run.len().min(i + MAX_PHRASE_WORDS) {
                // A name ends its run: it stands after a title (`President
                // Vladimir Putin`, `New York Attorney General Eliot Spitzer`),
                // rarely before another capitalised word; a window cut short
                // inside a longer run (`Russian Foreign Minister Sergey`) would
                // be half a name.
                if lone_particle(word(&run[j])) || j != run.len() - 1 {
                    continue;
                }
                found(Candidate {
                    start: run[i].start,
                    end: run[j].end,
                    sentence_start,
                });
            }
        }
    }
    run.clear();
}

/// Whether `start` opens a sentence, a line or the text (skipping opening
/// quotes and brackets).
fn starts_sentence(text: &str, start: usize) -> bool {
    for c in text[..start].chars().rev() {
        match c {
            '\n' | '\r' => return true,
            c if c.is_whitespace() => {}
            '"' | '\'' | '“' | '‘' | '(' | '[' | '«' | '-' | '–' | '—' => {}
            '.' | '!' | '?' | '…' | ':' => return true,
            _ => return false,
        }
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    fn all(text: &str) -> Vec<&str> {
        let mut out = Vec::new();
        candidates(text, |c| out.push(&text[c.start..c.end]));
        out
    }

    #[test]
    fn runs_of_capitalised_words_and_their_ends() {
        assert_eq!(
            all("Kremlin spokesman Dmitry Peskov said."),
            vec!["Dmitry Peskov"]
        );
        assert_eq!(
            all("But President Vladimir Putin's aide"),
            vec!["President Vladimir Putin", "Vladimir Putin"]
        );
    }

    #[test]
    fn particles_inside_and_hyphenated_words() {
        assert_eq!(all("said Osama bin Laden today"), vec!["Osama bin Laden"]);
        assert_eq!(all("in Nagorno-Karabakh now"), vec!["Nagorno-Karabakh"]);
        assert_eq!(
            all("Bashar al-Assad spoke"),
            vec!["Bashar al-Assad", "al-Assad"]
        );
    }

    #[test]
    fn line_breaks_punctuation_caps_and_urls_break_runs() {
        assert!(all("Nagorno\nKarabakh").is_empty());
        assert!(all("Nagorno, Karabakh").is_empty());
        assert!(all("BBC NEWS TODAY").is_empty());
        assert!(all("see www.Dmitry Peskov").is_empty());
        assert_eq!(all("Tony Blair's aide"), vec!["Tony Blair"]);
    }

    #[test]
    fn a_long_run_gives_its_ends_only() {
        assert_eq!(
            all("by New York Attorney General Eliot Spitzer today"),
            vec![
                "Attorney General Eliot Spitzer",
                "General Eliot Spitzer",
                "Eliot Spitzer"
            ]
        );
    }

    #[test]
    fn long_title_case_runs_are_skipped() {
        assert!(all("How The Tories Plan To Win The Next Election").is_empty());
    }
}
