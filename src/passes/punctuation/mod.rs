//! The `punctuation` pass: duplicated punctuation that is a keying error.
//!
//! What it fixes (all `safe`, each a single deletion):
//!
//! - `punct.double-period`: `..` that ends a word (after a letter, digit,
//!   closing quote or bracket, or HTML tag) and is followed by whitespace, the
//!   end of the text, a closing quote or bracket, or a closing tag:
//!   `conflict.. Azerbaijan`, `U.S.. Allies`, `9 a.m..`, `</a>..`, `D.C..”`.
//! - `punct.double-comma`: `,,` (and longer runs) anywhere, figures included:
//!   `1,,204,000`.
//! - `punct.stop-after-terminal`: a single `.` after `?`, `!` or a run of them:
//!   `this?.`, `Yahoo!.`, `?!.`.
//! - `punct.stop-after-quote`: a `.` after a closing quote whose quotation
//!   already ends with `.`, `?`, `!` or `…`: `sale.”.`, `Resign!”.`, `know...”.`.
//! - `punct.comma-after-quote`: a `,` after a closing quote whose quotation
//!   already ends with `,`: `,”,`.
//!
//! What it flags without fixing: `punct.period-quote-comma`, `.”,` (`“We will
//! win.”, he said`), because the right edit changes the quoted text.
//!
//! What it deliberately leaves alone: runs of three or more dots (`...`,
//! `....`, `. . .`, `…`, `….`), Slavic `?..` and `!..`, `?!`, `!?`, `!!`, `??`,
//! logical punctuation (`“unworkable”.`), `.,` after an abbreviation, paths and
//! ranges (`../archive`, `1..10`, `x[1..]`), dots inside URLs, anything inside HTML tags
//! (attribute values), entities (`&rdquo;.` is not a quote), and whitespace
//! (two spaces after a stop stay). The quote rules delete a mark only where the
//! quote really closes an open quotation of its kind in the paragraph (see
//! `quotation`); nothing is moved across a quote. Markdown is ordinary text.

mod context;
mod informal;
mod quotation;

use std::collections::HashSet;

use crate::byteset::{ByteClass, ByteSet};
use crate::config::RuleSet;
use crate::finding::{Edit, Finding, Fix};
use crate::pass::{HandOver, Pass};

use context::{
    before_emphasis, char_before, closes_code_bracket, ends_tag, in_address,
    in_stop_after_quote_language, in_tag, in_url, is_boundary_at, is_closing_bracket,
    is_closing_quote, is_initialism, word_ending_at, CodeLines,
};
pub(crate) use informal::is_cjk;
use informal::TwoDotEllipsis;
use quotation::Tracker;

/// `punct.double-period`.
///
/// **What it does**: removes the second of two full stops that end a word.
/// **Why**: `conflict.. Azerbaijan` is a keying error; a path (`../x`), a range
/// (`1..10`) or an ellipsis (`...`) is not, so the dots must follow a letter,
/// digit, closing quote, bracket or tag and precede whitespace, the end, or a
/// closing quote or bracket (only whitespace or the end inside a URL).
/// Not where the dots mark text cut short rather than a finished sentence
/// (`Wedding Dresses & Brida..` ending a title line, `Another Day [Su..`,
/// `(Vim, Emacs..) out of the box`): that is an ellipsis, with no full stop
/// to double.
/// **Example**: `U.S.. Allies` → `U.S. Allies`; `D.C..”` → `D.C.”`.
/// **Fix safety**: safe; one `.` is deleted.
pub const DOUBLE_PERIOD: &str = "punct.double-period";
/// `punct.double-comma`.
///
/// **What it does**: collapses a run of commas to one, anywhere outside tags.
/// **Why**: no English text needs `,,`; in figures it is a typo (`1,,204,000`).
/// **Example**: `This,, is` → `This, is`.
/// **Fix safety**: safe; the extra commas are deleted.
pub const DOUBLE_COMMA: &str = "punct.double-comma";
/// `punct.stop-after-terminal`.
///
/// **What it does**: removes a single `.` right after `?`, `!` or a run of them.
/// **Why**: the question or exclamation mark already ends the sentence. Two
/// dots (`?..`, `!..`) are the Slavic question-plus-ellipsis and are kept, as
/// are `?!`, `!?`, `!!` and `??` themselves (the author's emphasis).
/// **Example**: `this?.` → `this?`; `Yahoo!.` → `Yahoo!`.
/// **Fix safety**: safe; the `.` is deleted (never inside a URL or code such as
/// `user?.name`).
pub const STOP_AFTER_TERMINAL: &str = "punct.stop-after-terminal";
/// `punct.stop-after-quote`.
///
/// **What it does**: removes a `.` after a closing quote whose quotation
/// already ends with `.`, `?`, `!` or `…`.
/// **Why**: the sentence would end twice. Only where the quote really closes
/// an open quotation of its kind in the paragraph: `"Hello World!'.` is left
/// alone. Logical punctuation (`“unworkable”.`) has no inner stop and stays.
/// **Example**: `sale.”.` → `sale.”`; `Resign!”.` → `Resign!”`.
/// **Fix safety**: safe; the outer `.` is deleted, nothing moves across the quote.
pub const STOP_AFTER_QUOTE: &str = "punct.stop-after-quote";
/// `punct.comma-after-quote`.
///
/// **What it does**: removes a `,` after a closing quote whose quotation
/// already ends with `,` (same "really closes" condition as above).
/// **Example**: `“Yes,”, he said` → `“Yes,” he said`.
/// **Fix safety**: safe; the outer `,` is deleted.
pub const COMMA_AFTER_QUOTE: &str = "punct.comma-after-quote";
/// `punct.period-quote-comma` (flag).
///
/// **What it does**: reports `.”,` (`“We will win.”, he said`).
/// **Why**: the quotation should end with a comma (`win,”`), but that edit
/// changes the quoted text, so it is left to a person. Not reported after an
/// abbreviation (`Acme Inc.”,`) or an ellipsis (`know...”,`).
/// **Fix safety**: no fix.
pub const PERIOD_QUOTE_COMMA: &str = "punct.period-quote-comma";

/// What a line must hold for any rule here to fire: `..` (a run of exactly
/// two is one), `,,`, `?.` or `!.`, or a `.` or `,` right after a closing
/// quote or `“` (see `closed_quotation`: the mark must touch the quote). The
/// non-ASCII quotes are matched by their last UTF-8 byte (`”` E2 80 9D, `’` E2
/// 80 99, `“` E2 80 9C, `»` C2 BB). A new rule must add its own sequences
/// here; `tests/triggers.rs` compares the pass on trigger lines with the pass
/// on every line.
const TRIGGERS: &[&[u8]] = &[
    b"..", b",,", b"?.", b"!.", b"\".", b"\",", b"'.", b"',", b"\x9D.", b"\x9D,", b"\x99.",
    b"\x99,", b"\x9C.", b"\x9C,", b"\xBB.", b"\xBB,",
];

/// The marks every rule removes one of.
static MARKS: ByteSet<2> = ByteSet::new([b'.', b',']);

/// Whether a lone `.` or `,` (`mark`) right after the byte `before` can
/// need a fix: only where the two bytes are one of the pass's [`TRIGGERS`]
/// (a stop after `?` or `!`, a mark after a quotation mark). The promise the
/// triggers make for a line holds for each mark: after a letter, a digit, a
/// space or a bracket (most marks) no rule fires.
fn may_need_a_fix_after(before: u8, mark: u8) -> bool {
    LONE_MARK_AFTER[usize::from(before)] & (1 << u8::from(mark == b',')) != 0
}

/// Per byte, whether a lone `.` (bit 0) or `,` (bit 1) after it is a
/// trigger pair: [`TRIGGERS`] as a table, for [`may_need_a_fix_after`].
static LONE_MARK_AFTER: [u8; 256] = {
    let mut table = [0u8; 256];
    let mut i = 0;
    while i < TRIGGERS.len() {
        if let [before, mark] = *TRIGGERS[i] {
            match mark {
                b'.' => table[before as usize] |= 1,
                b',' => table[before as usize] |= 2,
                _ => {}
            }
        }
        i += 1;
    }
    table
};

/// The most closing quotes in a row that a stop-after-quote check looks
/// through (`.’”.` has two).
const MAX_STACKED_QUOTES: usize = 3;

/// The `punctuation` pass. See the module documentation for what it fixes.
#[derive(Debug)]
pub struct Punctuation {
    /// Abbreviations with their final dot, lower-cased (`inc.`, `etc.`).
    abbreviations: HashSet<String>,
    /// How many findings it holds before handing them over:
    /// [`HAND_OVER`](crate::pass::HAND_OVER) (tests make it small).
    hand_over: usize,
    /// Whether a lone mark that [`may_need_a_fix_after`] rules out is passed
    /// over (always, except in the test that checks every mark).
    skip_lone_marks: bool,
}

impl Punctuation {
    /// Builds the pass, reading the abbreviations list from the built-in
    /// punctuation rule file(s).
    pub fn new(rules: &RuleSet) -> Self {
        let abbreviations = rules
            .files
            .iter()
            .filter(|f| f.data.pass == "punctuation")
            .flat_map(|f| &f.data.abbreviations)
            .map(|a| a.to_lowercase())
            .collect();
        Punctuation {
            abbreviations,
            hand_over: crate::pass::HAND_OVER,
            skip_lone_marks: true,
        }
    }

    /// Whether `word` (ending in its own `.`) is an abbreviation: an
    /// initialism (`U.S.`, `a.m.`) or a listed word (`Inc.`, `etc.`).
    fn is_abbreviation(&self, word: &str) -> bool {
        is_initialism(word) || self.abbreviations.contains(&word.to_lowercase())
    }

    fn double_period(
        &self,
        text: &str,
        p: usize,
        informal: &mut TwoDotEllipsis,
        findings: &mut Vec<Finding>,
    ) {
        let word_end = before_emphasis(text, p);
        let Some(before) = char_before(text, word_end) else {
            return;
        };
        let ends_word = before.is_alphanumeric()
            || is_closing_bracket(before)
            || matches!(before, '”' | '’' | '»')
            // A straight quote closes only when glued to the text before it.
            || (matches!(before, '"' | '\'')
                && char_before(text, word_end - 1).is_some_and(|c| !c.is_whitespace()))
            || (before == '>' && ends_tag(text, word_end - 1));
        // After CJK text, also behind a closing quote (`‘청춘시대3’..`).
        let cjk = informal::cjk_word_before(text, word_end);
        if !ends_word || cjk {
            return;
        }
        // Inside a URL a quote or bracket after the dots may belong to the
        // address: only whitespace or the end marks a doubled stop there.
        if !is_boundary_at(text, p + 2, false)
            || (in_url(text, p) && !is_boundary_at(text, p + 2, true))
            || closes_code_bracket(text, p + 2)
            || in_tag(text, p)
        {
            return;
        }
        let after_abbreviation =
            before.is_alphabetic() && self.is_abbreviation(word_ending_at(text, p));
        // The abbreviation's own dot stays whatever follows (`Ltd.. shares`);
        // any other `..` in a paragraph that uses `..` as an ellipsis is the
        // author's (`ok.. see you there..`).
        if !after_abbreviation
            && (informal.in_paragraph_of(text, p, |word| self.is_abbreviation(word))
                || informal::ends_unfinished_text(text, p))
        {
            return;
        }
        let message = if after_abbreviation {
            "doubled full stop after an abbreviation: its own `.` already ends the sentence, \
             so the second `.` is removed"
        } else {
            "doubled full stop: the second `.` is removed"
        };
        findings.push(Finding::fixed(
            DOUBLE_PERIOD,
            p,
            p + 2,
            message,
            Fix::safe([Edit::delete(p + 1, p + 2)]),
        ));
    }

    fn single_stop(
        &self,
        text: &str,
        p: usize,
        quotes: &mut Tracker,
        code: &mut CodeLines,
        findings: &mut Vec<Finding>,
    ) {
        let bytes = text.as_bytes();
        if p == 0 {
            return;
        }
        if matches!(bytes[p - 1], b'?' | b'!') {
            stop_after_terminal(text, p, findings);
            return;
        }
        let Some((inner_at, inner, _)) = closed_quotation(text, p, quotes) else {
            return;
        };
        if !matches!(inner, '.' | '?' | '!' | '…')
            || !is_boundary_at(text, p + 1, false)
            || in_tag(text, p)
            || code.contains(text, p)
            || (matches!(inner, '?' | '!') && in_stop_after_quote_language(text, p))
        {
            return;
        }
        // The message is written by `describe`, only when it is shown.
        findings.push(Finding::fixed(
            STOP_AFTER_QUOTE,
            inner_at,
            p + 1,
            "",
            Fix::safe([Edit::delete(p, p + 1)]),
        ));
    }

    fn single_comma(
        &self,
        text: &str,
        p: usize,
        quotes: &mut Tracker,
        code: &mut CodeLines,
        findings: &mut Vec<Finding>,
    ) {
        let Some((inner_at, inner, quote)) = closed_quotation(text, p, quotes) else {
            return;
        };
        match inner {
            ',' if !in_tag(text, p) => findings.push(Finding::fixed(
                COMMA_AFTER_QUOTE,
                inner_at,
                p + 1,
                "comma after a closing quote whose quotation already ends with `,`: \
                 the outer `,` is removed",
                Fix::safe([Edit::delete(p, p + 1)]),
            )),
            '.' if !text[..inner_at].ends_with('.')
                && !self.is_abbreviation(word_ending_at(text, inner_at))
                && !in_tag(text, p)
                && !code.contains(text, p) =>
            {
                findings.push(Finding::flag(
                    PERIOD_QUOTE_COMMA,
                    inner_at,
                    p + 1,
                    format!(
                        "full stop inside the quote and a comma after it (`.{quote},`): the \
                         quotation probably should end with a comma (`,{quote}`); not fixed, \
                         because that changes the quoted text"
                    ),
                ));
            }
            _ => {}
        }
    }
}

/// `?.` / `!.` / `?!.`: the `.` at `p` follows a run of `?` and `!`.
fn stop_after_terminal(text: &str, p: usize, findings: &mut Vec<Finding>) {
    let bytes = text.as_bytes();
    let start = bytes[..p]
        .iter()
        .rposition(|b| !matches!(b, b'?' | b'!'))
        .map_or(0, |i| i + 1);
    // The marks must end a word (`this?.`), not stand alone (`the ?. operator`),
    // and the stop must end the sentence (`user?.name` is code).
    if char_before(text, start).is_none_or(char::is_whitespace)
        || !is_boundary_at(text, p + 1, false)
        || in_url(text, p)
        || in_tag(text, p)
    {
        return;
    }
    // The message is written by `describe`, only when it is shown.
    findings.push(Finding::fixed(
        STOP_AFTER_TERMINAL,
        start,
        p + 1,
        "",
        Fix::safe([Edit::delete(p, p + 1)]),
    ));
}

/// The message of a fix that `check` left to [`Pass::describe`]: the two
/// stop rules, whose span runs from the marks before the removed `.` to it.
fn stop_message(text: &str, finding: &Finding) -> Option<String> {
    let before_stop = &text[finding.start..finding.end - 1];
    match finding.rule.as_ref() {
        STOP_AFTER_TERMINAL => Some(format!(
            "full stop after `{before_stop}`, which already ends the sentence: the `.` is removed"
        )),
        STOP_AFTER_QUOTE => {
            let inner = before_stop.chars().next()?;
            let ending = if inner == '.' && text[..finding.start].ends_with("..") {
                "..."
            } else {
                &before_stop[..inner.len_utf8()]
            };
            Some(format!(
                "full stop after a closing quote whose quotation already ends with `{ending}`: \
                 the outer `.` is removed"
            ))
        }
        _ => None,
    }
}

/// For a mark at `p` right after one or more closing quotes that each really
/// close an open quotation: the position and character of the mark inside
/// the quotes, and the outermost quote. `None` when there is no such quote.
fn closed_quotation(text: &str, p: usize, quotes: &mut Tracker) -> Option<(usize, char, char)> {
    let mut marks = [(0usize, ' '); MAX_STACKED_QUOTES];
    let mut n = 0;
    let mut i = p;
    while n < MAX_STACKED_QUOTES {
        match char_before(text, i) {
            Some(c) if is_closing_quote(c) || c == '“' => {
                i -= c.len_utf8();
                marks[n] = (i, c);
                n += 1;
                // French spacing: `« Stop. »` has a (narrow) no-break space
                // or a space inside the guillemet.
                if c == '»' {
                    if let Some(s @ (' ' | '\u{a0}' | '\u{202f}')) = char_before(text, i) {
                        i -= s.len_utf8();
                    }
                }
            }
            _ => break,
        }
    }
    if n == 0 {
        return None;
    }
    let inner = char_before(text, i)?;
    // Only a quotation that ends with punctuation matters to the callers; skip
    // the quote scan otherwise (`“unworkable”.` is logical punctuation).
    if !matches!(inner, '.' | '?' | '!' | '…' | ',') {
        return None;
    }
    // Innermost first, so the tracker only moves forward.
    for &(at, c) in marks[..n].iter().rev() {
        if !quotes.closes(text, at, c) {
            return None;
        }
    }
    Some((i - inner.len_utf8(), inner, marks[0].1))
}

/// `,,` (or a longer run) at `p`: keep the first comma.
fn double_comma(text: &str, p: usize, run: usize, findings: &mut Vec<Finding>) {
    if in_tag(text, p) || in_address(text, p, p + run) {
        return;
    }
    let message = if run == 2 {
        "doubled comma: the second `,` is removed"
    } else {
        "run of commas: all but the first `,` are removed"
    };
    findings.push(Finding::fixed(
        DOUBLE_COMMA,
        p,
        p + run,
        message,
        Fix::safe([Edit::delete(p + 1, p + run)]),
    ));
}

impl Pass for Punctuation {
    fn locality(&self) -> crate::pass::Locality {
        // A stop after a quote may close a quotation opened on the line before
        // (hard-wrapped text); nothing else looks beyond its own line.
        crate::pass::Locality::LineAndPrevious
    }

    fn describe(&self, text: &str, finding: &Finding) -> Option<String> {
        stop_message(text, finding)
    }

    // Word edits are seen (the default): the informal two-dot rules read
    // whole words and lines (a title-case line of a list, a cut last word,
    // a paragraph that uses `..` as an ellipsis), and a names fix such as
    // `Nagorno Karabakh` → `Nagorno-Karabakh` changes what they see.

    fn name(&self) -> &'static str {
        "punctuation"
    }

    fn triggers(&self) -> Option<crate::triggers::Triggers> {
        Some(crate::triggers::Triggers {
            sequences: TRIGGERS,
            ..Default::default()
        })
    }

    fn check(&self, text: &str, findings: &mut Vec<Finding>) {
        self.check_in_parts(text, findings, &mut |_| {});
    }

    fn check_in_parts(
        &self,
        text: &str,
        findings: &mut Vec<Finding>,
        take: &mut dyn FnMut(&mut Vec<Finding>),
    ) {
        let bytes = text.as_bytes();
        let mut quotes = Tracker::default();
        let mut code = CodeLines::default();
        let mut informal = TwoDotEllipsis::default();
        let mut next = 0;
        let mut hand_over = HandOver::new(self.hand_over, findings);
        // Every rule removes a `.` or a `,`; look only at runs of those.
        for p in MARKS.positions(bytes, 0) {
            if p < next {
                continue;
            }
            let mark = bytes[p];
            let run = bytes[p..].iter().take_while(|&&b| b == mark).count();
            next = p + run;
            // Most marks stand alone after a letter: no rule can fire there,
            // and none of the state below is needed for them.
            if run == 1
                && self.skip_lone_marks
                && (p == 0 || !may_need_a_fix_after(bytes[p - 1], mark))
            {
                continue;
            }
            // Findings are handed over before the next run of marks at `p`:
            // every one so far sorts before `p` (each at or before the last
            // mark of its run, and runs end before `p`), and every later one
            // at or after it (a mark at `q >= p` reports from `q`, or from the
            // mark inside the closing quotes before `q`, which is `p` itself
            // or after it: quotes and the space after `»` are not marks).
            hand_over.now(findings, take);
            match (mark, run) {
                (b'.', 1) => self.single_stop(text, p, &mut quotes, &mut code, findings),
                (b'.', 2) => self.double_period(text, p, &mut informal, findings),
                (b',', 1) => self.single_comma(text, p, &mut quotes, &mut code, findings),
                (b',', _) => double_comma(text, p, run, findings),
                // Three or more dots are an ellipsis, or an ellipsis and a stop.
                _ => {}
            }
        }
    }
}

#[cfg(test)]
mod tests;
