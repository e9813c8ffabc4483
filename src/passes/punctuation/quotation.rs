//! Does a quotation mark really close an open quotation of its own kind?
//!
//! The stop-after-quote rules delete a mark only where the quote before it
//! closes something: `John said "Hello World!'.` is left alone because that
//! `'` closes no `'`. This module answers that question per paragraph (a line:
//! corpora store one paragraph per line, and multi-paragraph quotations re-open
//! on every paragraph), counting openers and closers of one kind at a time.
//!
//! It deliberately does not judge balance (that is the `quotes` pass): it is
//! generous where an unbalanced paragraph leaves a quotation open, and it
//! ignores closers with nothing open (a stray `”` never makes depth negative).
//! Apostrophes are not closers: `don’t`, `’90s`, and the ambiguous `players’
//! union` are skipped, so a possessive never hides an open `‘`.

use memchr::memrchr;

use super::context::char_at;

/// The kinds of quotation, each with its own count.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Kind {
    /// `“…”` (also Polish/Hungarian `„…”`).
    CurlyDouble,
    /// German `„…“`.
    LowDouble,
    /// `‘…’` (also `‚…’`).
    CurlySingle,
    /// `"…"`.
    StraightDouble,
    /// `'…'`.
    StraightSingle,
    /// French `«…»`.
    Guillemet,
}

const KINDS: usize = 6;

impl Kind {
    /// The kind a closing mark closes, if `mark` can close at all.
    pub(super) fn closed_by(mark: char) -> Option<Kind> {
        Some(match mark {
            '”' => Kind::CurlyDouble,
            '“' => Kind::LowDouble,
            '’' => Kind::CurlySingle,
            '"' => Kind::StraightDouble,
            '\'' => Kind::StraightSingle,
            '»' => Kind::Guillemet,
            _ => return None,
        })
    }
}

/// Whether a mark between `prev` and `next` looks like an opening quote: at the
/// start of the paragraph or after a space, bracket, dash, colon (`said:"No`)
/// or other quote, and followed by text.
fn opens(prev: Option<char>, next: Option<char>) -> bool {
    let after_gap = prev.is_none_or(|p| {
        p.is_whitespace()
            || matches!(
                p,
                '(' | '[' | '{' | '—' | '–' | '-' | '/' | ':' | '“' | '‘' | '"' | '\'' | '«' | '„'
            )
    });
    after_gap && next.is_some_and(|n| !n.is_whitespace())
}

/// Whether a single-quote mark between `prev` and `next` certainly closes: it
/// follows text and is not inside a word, and either follows punctuation
/// (`rebuild.’`) or is followed by punctuation or the end (`shambles’,`). A
/// mark between a letter and a space (`players’ union`) may be a possessive
/// apostrophe, so it is not counted.
fn certainly_closes_single(prev: Option<char>, next: Option<char>) -> bool {
    let Some(p) = prev else { return false };
    if p.is_whitespace() || next.is_some_and(char::is_alphanumeric) {
        return false;
    }
    !p.is_alphanumeric() || next.is_none_or(|n| !n.is_whitespace())
}

/// Counts open quotations of every kind along one paragraph, moving forward
/// only; candidates arrive in text order, so one document costs one scan
/// (each line is read at most twice: once as the current line, once as the
/// line before the next one).
///
/// A quotation may run across a single line break (hard-wrapped text, POLICY
/// "Quotes"): what the line before leaves open, counted from that line's own
/// start, is still open on the current line. Nothing older is carried, so a
/// line's answers depend on that line and the one before it only (the pass's
/// [`crate::pass::Locality::LineAndPrevious`]); a blank line carries nothing.
#[derive(Debug, Default)]
pub(super) struct Tracker {
    /// Where counting has reached (the start of the current line at most).
    pos: usize,
    /// Where the current line starts.
    line_start: usize,
    prev: Option<char>,
    /// Open quotations on the current line, the carried ones included.
    depth: [u32; KINDS],
    /// Open quotations counted from the current line's start alone: what
    /// the next line inherits.
    own: [u32; KINDS],
}

impl Tracker {
    /// Whether the closing `mark` at byte `at` closes an open quotation of its
    /// kind in its paragraph.
    pub(super) fn closes(&mut self, text: &str, at: usize, mark: char) -> bool {
        let Some(kind) = Kind::closed_by(mark) else {
            return false;
        };
        let bytes = text.as_bytes();
        if at < self.pos {
            // Never happens in text order; start the line over.
            *self = Tracker::default();
        }
        // Only the stretch since the last candidate is searched, so a long
        // paragraph is not rescanned for every candidate.
        if let Some(i) = memrchr(b'\n', &bytes[self.pos..at]) {
            self.start_line(text, self.pos + i);
        }
        self.advance(text, at);
        // A curly `”` or `’` right after a stop is a closing mark by its shape
        // (POLICY's `sale.”.`, `rebuild.’.`): with no quotation open at all in
        // the paragraph (it opened in an earlier one, or the text is an
        // excerpt) it still ends one. When another kind is open, it closes
        // nothing of its own (like `"Hello World!'.`) and the text is left alone.
        self.depth[kind as usize] > 0
            || (matches!(mark, '”' | '’') && self.depth.iter().all(|&d| d == 0))
    }

    /// Steps every character from `pos` up to `to` (on the current line).
    /// Only quotation marks change the counts, so the walk goes from one byte
    /// that can begin a mark (`"`, `'`, and the lead bytes of `“”„‘‚’` and
    /// `«»`) to the next, and reads the characters on either side of each as
    /// its context: a character at a time, a paragraph of many megabytes with
    /// a stop after a quotation mark near its end cost more than the rest of
    /// the pass.
    fn advance(&mut self, text: &str, to: usize) {
        let bytes = text.as_bytes();
        let mut at = self.pos;
        let may_begin_a_mark = |b: &u8| matches!(b, b'"' | b'\'' | 0xC2 | 0xE2);
        while let Some(i) = bytes[at..to].iter().position(may_begin_a_mark) {
            let i = at + i;
            let c = char_at(text, i).expect("a byte that begins a character");
            let prev = if i == self.pos {
                self.prev
            } else {
                text[..i].chars().next_back()
            };
            let next = char_at(text, i + c.len_utf8());
            step(&mut self.depth, prev, c, next);
            step(&mut self.own, prev, c, next);
            at = i + c.len_utf8();
        }
        if to > self.pos {
            self.prev = text[..to].chars().next_back();
        }
        self.pos = to;
    }

    /// Moves to the line after the line feed at `newline`, carrying what the
    /// line before it leaves open.
    fn start_line(&mut self, text: &str, newline: usize) {
        let bytes = text.as_bytes();
        let prev_start = memrchr(b'\n', &bytes[..newline]).map_or(0, |i| i + 1);
        let carried = if is_blank(&text[prev_start..newline]) {
            [0; KINDS]
        } else if self.line_start == prev_start && self.pos <= newline {
            // Already counting that line from its start: finish it.
            self.advance(text, newline);
            self.own
        } else {
            let mut own = [0; KINDS];
            let mut prev = None;
            for (i, c) in text[prev_start..newline].char_indices() {
                let next = char_at(text, prev_start + i + c.len_utf8());
                step(&mut own, prev, c, next);
                prev = Some(c);
            }
            own
        };
        *self = Tracker {
            pos: newline + 1,
            line_start: newline + 1,
            prev: None,
            depth: carried,
            own: [0; KINDS],
        };
    }
}

fn is_blank(line: &str) -> bool {
    line.chars().all(char::is_whitespace)
}

/// Applies one character to the open-quotation counts `d`.
fn step(d: &mut [u32; KINDS], prev: Option<char>, c: char, next: Option<char>) {
    let close = |d: &mut [u32; KINDS], k: Kind| d[k as usize] = d[k as usize].saturating_sub(1);
    match c {
        '“' => {
            // Closes German `„…“` when one is open, else opens English `“…”`.
            if d[Kind::LowDouble as usize] > 0 {
                close(d, Kind::LowDouble);
            } else {
                d[Kind::CurlyDouble as usize] += 1;
            }
        }
        '”' => close(d, Kind::CurlyDouble),
        '„' => d[Kind::LowDouble as usize] += 1,
        '‘' | '‚' if !prev.is_some_and(char::is_alphanumeric) => {
            // Not after a letter: `Hawai‘i` is an ʻokina.
            d[Kind::CurlySingle as usize] += 1;
        }
        '’' if certainly_closes_single(prev, next) => close(d, Kind::CurlySingle),
        '"' => {
            if opens(prev, next) {
                d[Kind::StraightDouble as usize] += 1;
            } else if prev.is_some_and(|p| !p.is_whitespace()) {
                close(d, Kind::StraightDouble);
            }
        }
        '\'' => {
            if opens(prev, next) {
                d[Kind::StraightSingle as usize] += 1;
            } else if certainly_closes_single(prev, next) {
                close(d, Kind::StraightSingle);
            }
        }
        '«' => d[Kind::Guillemet as usize] += 1,
        '»' => close(d, Kind::Guillemet),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The walk `advance` replaced: every character stepped in turn.
    fn advance_by_characters(t: &mut Tracker, text: &str, to: usize) {
        for (i, c) in text[t.pos..to].char_indices() {
            let next = char_at(text, t.pos + i + c.len_utf8());
            step(&mut t.depth, t.prev, c, next);
            step(&mut t.own, t.prev, c, next);
            t.prev = Some(c);
        }
        t.pos = to;
    }

    #[test]
    fn advancing_from_mark_to_mark_counts_as_every_character_does() {
        // Random lines of every quotation mark, letters, no-break spaces and
        // other characters whose UTF-8 starts like a mark's, advanced in
        // random steps: the counts and the character before are the same.
        let pieces = [
            "a", " ", "\"", "'", "“", "”", "„", "‘", "‚", "’", "«", "»", "\u{a0}", "é", "—", "…",
            "x.", "Hawai", "don",
        ];
        let mut next = crate::passes::random_text::numbers(29);
        for _ in 0..3_000 {
            let text: String = (0..next(40)).map(|_| pieces[next(pieces.len())]).collect();
            let (mut fast, mut slow) = (Tracker::default(), Tracker::default());
            let mut to = 0;
            while to < text.len() {
                to = (to + next(12)).min(text.len());
                while !text.is_char_boundary(to) {
                    to += 1;
                }
                fast.advance(&text, to);
                advance_by_characters(&mut slow, &text, to);
                assert_eq!(
                    (fast.pos, fast.prev, fast.depth, fast.own),
                    (slow.pos, slow.prev, slow.depth, slow.own),
                    "{text:?} to {to}"
                );
            }
        }
    }

    fn closes(text: &str, needle: &str) -> bool {
        let at = text.find(needle).expect("needle") + needle.len();
        let mark = text[at..].chars().next().unwrap();
        Tracker::default().closes(text, at, mark)
    }

    #[test]
    fn curly_double_closes_only_an_open_quotation() {
        assert!(closes("He said “stop.”.", "stop."));
        // nothing open at all: the curly closer still ends a quotation
        assert!(closes("He said stop.”.", "stop."));
        assert!(closes("rebuild.’.", "rebuild."));
        // another kind is open: `’` closes nothing of its own
        assert!(!closes("He said “stop.’.", "stop."));
        // straight marks need an opener
        assert!(!closes("He said stop.\".", "stop."));
    }

    #[test]
    fn unbalanced_paragraph_keeps_a_quotation_open() {
        assert!(closes("“We urge “accounts in 1991.” and x.”.", "x."));
    }

    #[test]
    fn paragraph_is_a_line_plus_what_the_line_before_leaves_open() {
        assert!(closes("He said “stop\nnow.”.", "now."));
        assert!(closes("“a\n“now.”.", "now."));
        // a `“` open on this line: `’` closes nothing of its own kind
        assert!(!closes("He said stop\n“now.’.", "now."));
        // a straight quotation opened on the line before closes here
        assert!(closes(
            "The mayor said \"we will\nrebuild the pier.\".",
            "pier."
        ));
        assert!(closes(
            "x\r\nShe wrote 'the ferry\r\nleaves at ten.'.",
            "ten."
        ));
        // but not across a blank line, nor from two lines up
        assert!(!closes("The mayor said \"we will\n\nrebuild it.\".", "it."));
        assert!(!closes("He said \"we\nwill\nrebuild it.\".", "it."));
        // a `“` left open on the line before: `’` closes nothing of its own
        assert!(!closes("He said “stop\nnow.’.", "now."));
    }

    #[test]
    fn a_line_before_is_carried_whether_or_not_it_was_counted() {
        // Candidates on both lines (the first line is finished, not rescanned)
        // and on the second only (it is scanned from its start) agree.
        let text = "He said “one.”. And \"two\nthree.\". End";
        let mut t = Tracker::default();
        let first = text.find('”').unwrap();
        assert!(t.closes(text, first, '”'));
        let second = text.rfind('"').unwrap();
        assert!(t.closes(text, second, '"'));
        assert!(Tracker::default().closes(text, second, '"'));
    }

    #[test]
    fn straight_single_after_straight_double_closes_nothing() {
        assert!(!closes("John said \"Hello World!'.", "World!"));
        assert!(closes("John said 'Hello World!'.", "World!"));
    }

    #[test]
    fn straight_double_counts_openers_by_position() {
        assert!(closes("\"stop.\".", "stop."));
        assert!(!closes("a 6.1\" screen. He said stop.\".", "stop."));
        assert!(closes("a 6.1\" screen. He said \"stop.\".", "stop."));
    }

    #[test]
    fn apostrophes_do_not_close_single_quotes() {
        assert!(closes("‘The Joneses’ dog barked.’.", "barked."));
        assert!(closes("‘Don’t rebuild.’.", "rebuild."));
        // apostrophes open and close nothing: the final `’` ends a quotation
        assert!(closes("The players’ union rebuild.’.", "rebuild."));
        assert!(closes("‘a shambles’, he said. Rebuild.’.", "Rebuild."));
        assert!(closes("Hawai‘i is nice.’.", "nice."));
        // but inside an open double quotation it closes nothing of its own
        assert!(!closes("“The players’ union rebuild.’.", "rebuild."));
    }

    #[test]
    fn german_and_french_quotations() {
        assert!(closes("Er sagte „Halt.“.", "Halt."));
        assert!(!closes("He said “Halt.“.", "Halt."));
        assert!(closes("Il a dit « Stop. ».", "Stop. "));
    }

    #[test]
    fn tracker_moves_forward_across_candidates() {
        let text = "“a.”. “b.”. “c ‘d.”.";
        let mut t = Tracker::default();
        let mut got = Vec::new();
        for (i, _) in text.match_indices('”') {
            got.push(t.closes(text, i, '”'));
        }
        assert_eq!(got, [true, true, true]);
        let text = "“a.”. ‘b.’. c “d.’.";
        let mut t = Tracker::default();
        let got: Vec<bool> = text
            .match_indices('’')
            .map(|(i, _)| t.closes(text, i, '’'))
            .collect();
        assert_eq!(got, [true, false]);
    }
}
