//! The `quotes` pass: pairs quotation marks across a document and reports the
//! ones that are genuinely unbalanced.
//!
//! # What it does
//! Every quotation mark (curly `“ ” ‘ ’`, straight `"` `'`, guillemets `« » ‹ ›`,
//! low marks `„ ‚`, `‟`) is given a role from its neighbours (opens, closes, may
//! close, apostrophe, inch mark) and paired with a stack, one document at a
//! time, in one linear scan. What is left over is reported:
//!
//! - `quotes.unbalanced` (flag; the message says which case):
//!   an opener whose paragraph ends without a closer and whose next paragraph
//!   does not re-open it (or the text ends); a closing `”`, `"`, `»`, `«`, `›`,
//!   `‹` with nothing of its kind open; a same-kind opener inside an open
//!   quotation with no closer or only one closer for the two (`“We urge …
//!   “accounts for … 1991.”` and the paragraph ends);
//! - `quotes.keying-double` (safe): `““` → `“` and `””` → `”`, only when the
//!   doubled mark has no partner, so that dropping it restores the balance.
//!
//! # Paragraphs
//! Corpora store a paragraph either per line or between blank lines, and the
//! multi-paragraph convention (every paragraph of a quotation opens with `“`,
//! only the last closes; a continued nested quotation re-opens both, `“‘`) has to
//! hold in both. So every line break is a possible paragraph break, and a line
//! that ends inside a quotation is judged by the next non-blank line:
//!
//! - it starts (after whitespace and Markdown `>` markers) with marks of the open
//!   kinds, outermost first: those levels continue, the rest are unclosed;
//! - it does not, and a blank line came between (or the text ends): unclosed;
//! - it does not, and it follows directly: in a text that separates paragraphs
//!   with blank lines somewhere this is a hard-wrapped line and the quotation
//!   simply goes on; in a text without blank lines every line is a paragraph, so
//!   the quotation is unclosed.
//!
//! CRLF is whitespace at the line end; a line of only `>` markers is blank.
//! Corpora that store a paragraph per line often join the paragraphs of a long
//! quotation into one line and keep their re-opening marks (`… in that
//! direction. "If the …"`): an opener of the innermost open kind right after a
//! sentence end re-opens that quotation instead of nesting in it.
//!
//! All three flags share the prefix `quotes.unbalanced`, so
//! `--disable quotes.unbalanced` switches them off together.
//!
//! # What it deliberately does not do
//! - It never curls straight quotes, never converts apostrophes and never adds,
//!   moves or removes a mark except the keying double above: an unbalanced
//!   quotation is a question for a person (which mark is missing, where?).
//! - Apostrophes are not quotes: `don’t`, `Côte d’Ivoire`, `Ma’am`, `’90s`,
//!   `’22`, `’Tis`, `’em`, `rock ’n’ roll`, `the Joneses’ house`, the ʻokina in
//!   `Hawai‘i`. A `’` or `'` after a letter closes an open single quotation only
//!   when no other closer follows before the next opener (`‘The Joneses’ dog
//!   barked…,’` closes at the end), so a stray `’` or `'` is never reported.
//!   Likewise a straight `'` that opens is never reported unclosed (it may be an
//!   elision such as `'Allo`).
//! - Inch marks and primes are not quotes: `6.1"`, `20" wide`, `6′2″`. A `"`
//!   after a digit closes an open quotation only when nothing else can
//!   (`"The screen is 20" wide."`).
//! - Other conventions are correct as they are: British `‘…“…”…’`, French
//!   `« … »` with (narrow) no-break spaces, German `„…“` and `‚…‘` (there `“`
//!   and `‘` close), reversed `»…«`, Swedish `»…»` and `”…”`, Russian `«…„…“…»`, and
//!   balanced same-kind nesting (`“said “no” to”`) is not reported.
//! - HTML entities (`&ldquo;`) are text, not marks; quotes inside HTML tags
//!   (`<a href="…">`) and Markdown code spans (`` `"` ``) are not paired.
//! - Brackets are not paired: that is not a quotation problem.

use std::borrow::Cow;

use memchr::memchr;

use crate::finding::{Edit, Finding, Fix};
use crate::pass::Pass;

/// `quotes.unbalanced` (an opener never closed)
///
/// **What it does**: flags an opening mark whose paragraph ends without its
/// closer while the next paragraph does not re-open it, a last paragraph that
/// never closes, and a nested opener that an outer closer shuts around.
///
/// **Why is this bad?** The reader cannot tell where the quoted words end, and
/// a corpus user cannot separate quotation from reporting.
///
/// **Example**: `He said: “We will win.` followed by `Then he left.`
///
/// **Fix safety**: no fix. Where the closer belongs is a question for a person.
pub const UNCLOSED: &str = "quotes.unbalanced";

/// `quotes.unbalanced` (a closer with no opener)
///
/// **What it does**: flags a closing `”`, `"`, `»`, `«`, `›` or `‹` with
/// nothing of its kind open. Never a `’` or `'`: those are apostrophes as often.
///
/// **Why is this bad?** The opener was lost, often with a paragraph break.
///
/// **Example**: `He left early.” Then the meeting ended.`
///
/// **Fix safety**: no fix; deleting the mark could delete the evidence of a
/// lost opener.
pub const UNOPENED: &str = "quotes.unbalanced";

/// `quotes.unbalanced` (a same-kind opener inside an open quotation)
///
/// **What it does**: flags a second opener of the kind already open (`“…“`)
/// when the paragraph has only one closer for the two, or none.
///
/// **Why is this bad?** Either the outer quotation lost its closer or the
/// inner opener is a keying slip; both leave the quotation unbalanced.
///
/// **Example**: `“We urge everyone, taking into account “accounts for new
/// realities.”` and the paragraph ends.
///
/// **Fix safety**: no fix, except the adjacent `““` of
/// [`KEYING_DOUBLE`]: which of the two marks is wrong is not known.
pub const NESTED: &str = "quotes.unbalanced";

/// `quotes.keying-double`
///
/// **What it does**: removes the extra mark of `““` (two openers, one closer)
/// or `””` (one opener, two closers).
///
/// **Why is this bad?** A doubled keystroke that leaves the quotation
/// unbalanced.
///
/// **Example**: `The sign said ““Keep out” in red.` → `The sign said “Keep
/// out” in red.`
///
/// **Fix safety**: safe. It applies only when the extra mark has no partner,
/// so the result is balanced; balanced `“…“Keep out””`, a `’”` double close,
/// straight `""` and longer runs (`”””`) are never touched.
pub const KEYING_DOUBLE: &str = "quotes.keying-double";

/// The `quotes` pass. It has no configuration: the pairing rules are the policy.
#[derive(Debug, Default)]
pub struct Quotes {}

impl Quotes {
    /// Builds the pass.
    pub fn new() -> Self {
        Quotes {}
    }
}

impl Pass for Quotes {
    fn sees_word_edits(&self) -> bool {
        // Only marks and the class (letter, space, punctuation) of their
        // neighbours matter here; a word edit keeps letters at both ends.
        false
    }

    fn name(&self) -> &'static str {
        "quotes"
    }

    fn check(&self, text: &str, findings: &mut Vec<Finding>) {
        let bytes = text.as_bytes();
        // Every mark starts with one of these bytes: text without them (most
        // headlines, most lines of figures) costs two memchr scans.
        if memchr::memchr3(b'"', b'\'', 0xE2, bytes).is_none() && memchr(0xC2, bytes).is_none() {
            return;
        }
        Pairing::new(text, findings).run();
    }
}

/// Which marks can pair with which: a closer closes an opener of its kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// `“ ” „ ‟ "`
    Double,
    /// `‘ ’ ‚ '`
    Single,
    /// `« »`
    Guillemet,
    /// `‹ ›`
    SingleGuillemet,
}

impl Kind {
    fn index(self) -> usize {
        self as usize
    }
}

/// The role a mark's neighbours give it, before the open quotations are known.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Class {
    /// Not a quotation mark here (apostrophe, inch mark, comma look-alike).
    Ignore,
    /// Opens a quotation.
    Open,
    /// A straight `'` that opens, or is an elision: never reported unclosed.
    WeakOpen,
    /// Closes a quotation; reported when nothing of its kind is open.
    Close,
    /// Closes the innermost quotation if it is of its kind and no other closer
    /// of the kind follows before the next opener; otherwise an apostrophe or
    /// an inch mark. Never reported.
    WeakClose,
    /// `”` before a word: closes an open quotation, otherwise opens one (the
    /// Swedish and Finnish `”…”`).
    SwedishOpen,
    /// A straight `"` with the same thing on both sides: closes an open `"`
    /// quotation, opens otherwise.
    Either,
    /// `“` or `‟`: closes a quotation opened with `„` (German), opens otherwise.
    HighDouble,
    /// `‘`: closes a quotation opened with `‚`; otherwise opens, unless it
    /// follows a word (`goin‘ `, a mis-curled apostrophe).
    HighSingle {
        /// Follows a word, or is followed by a space.
        after_word: bool,
    },
    /// `« » ‹ ›`: the direction depends on the open quotation (French `« »`,
    /// German `» «`, Swedish `» »`).
    Guillemet {
        /// Attached to the preceding word and followed by space or punctuation.
        right_flanking: bool,
        /// Spaces on both sides (French spacing, or a breadcrumb `Home » News`).
        spaced: bool,
    },
}

/// One quotation mark in the current line.
#[derive(Debug, Clone, Copy)]
struct Mark {
    start: usize,
    end: usize,
    glyph: char,
    kind: Kind,
    class: Class,
    /// Another closer of the same kind follows in the line before any opener of
    /// the kind (decides [`Class::WeakClose`]).
    closer_follows: bool,
}

/// An open quotation.
#[derive(Debug, Clone, Copy)]
struct Opened {
    start: usize,
    end: usize,
    glyph: char,
    kind: Kind,
    /// Opened by a straight `'`: dropped silently when left open.
    weak: bool,
    /// Index of the nearest open quotation of the same kind below this one.
    below: Option<usize>,
    /// Opened while a quotation of the same kind was innermost (`“… “`).
    direct_same_kind: bool,
    /// How many directly nested same-kind quotations were closed inside it.
    closed_children: u32,
    /// The first of them: (start, end) of its opener.
    first_child: (usize, usize),
    /// Its opener re-opens a quotation continued from an earlier paragraph.
    reopened: bool,
    /// The first closed child's opener was such a re-opening mark: then the
    /// two are not a keying double (dropping one would change which levels
    /// continue, and the next run would judge the paragraph above anew).
    first_child_reopened: bool,
}

/// Why an open quotation is being reported.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Ending {
    /// Its paragraph ended and the next one does not re-open it.
    Paragraph,
    /// The text ended.
    Text,
    /// An outer quotation closed around it.
    Outer,
}

/// The pairing state for one document.
struct Pairing<'a> {
    text: &'a str,
    findings: &'a mut Vec<Finding>,
    stack: Vec<Opened>,
    /// Per [`Kind`], the index of the innermost open quotation of that kind.
    last_of_kind: [Option<usize>; 4],
    /// End and glyph of the last mark that closed a quotation.
    last_close: Option<(usize, char)>,
    marks: Vec<Mark>,
    /// Lazily computed: whether the text separates paragraphs by blank lines.
    blank_line_paragraphs: Option<bool>,
}

impl<'a> Pairing<'a> {
    fn new(text: &'a str, findings: &'a mut Vec<Finding>) -> Self {
        Pairing {
            text,
            findings,
            stack: Vec::new(),
            last_of_kind: [None; 4],
            last_close: None,
            marks: Vec::new(),
            blank_line_paragraphs: None,
        }
    }

    fn run(mut self) {
        let bytes = self.text.as_bytes();
        let mut line_start = 0;
        let mut saw_blank = false;
        loop {
            let line_end =
                memchr(b'\n', &bytes[line_start..]).map_or(bytes.len(), |p| line_start + p);
            let content = content_start(bytes, line_start, line_end);
            if content == line_end {
                saw_blank = true;
            } else {
                self.collect_marks(content, line_end);
                let consumed = if self.stack.is_empty() {
                    0
                } else {
                    self.paragraph_start(content, saw_blank)
                };
                for i in consumed..self.marks.len() {
                    let mark = self.marks[i];
                    self.resolve(mark);
                }
                saw_blank = false;
            }
            if line_end == bytes.len() {
                break;
            }
            line_start = line_end + 1;
        }
        self.report_unclosed(0, Ending::Text);
    }

    /// Collects the marks of one line, with their classes and look-ahead.
    fn collect_marks(&mut self, start: usize, end: usize) {
        self.marks.clear();
        let bytes = self.text.as_bytes();
        let mut i = start;
        let mut no_tag_end_before = 0;
        for at in Triggers::new(&bytes[start..end]).map(|p| start + p) {
            if at < i {
                continue; // inside a code span, a tag or a mark already taken
            }
            i = at;
            let b = bytes[i];
            match b {
                b'`' => {
                    // A Markdown code span: its quotes are code, not prose.
                    match memchr(b'`', &bytes[i + 1..end]) {
                        Some(p) => i += p + 2,
                        None => i += 1,
                    }
                    continue;
                }
                b'<' => {
                    let next = bytes.get(i + 1).copied().unwrap_or(b' ');
                    if (next.is_ascii_alphabetic() || next == b'/' || next == b'!')
                        && i >= no_tag_end_before
                    {
                        let limit = end.min(i + 1024);
                        match memchr::memchr2(b'>', b'<', &bytes[i + 1..limit]) {
                            Some(p) if bytes[i + 1 + p] == b'>' => {
                                i += p + 2;
                                continue;
                            }
                            Some(_) => {}
                            None => no_tag_end_before = limit,
                        }
                    }
                    i += 1;
                    continue;
                }
                _ => {}
            }
            let Some((glyph, len)) = decode_mark(bytes, i) else {
                i += 1;
                continue;
            };
            let (kind, class) = classify(self.text, i, i + len, glyph);
            self.marks.push(Mark {
                start: i,
                end: i + len,
                glyph,
                kind,
                class,
                closer_follows: false,
            });
            i += len;
        }
        // Backwards: for each mark, is the next mark of its kind a closer?
        let mut next_is_closer = [false; 4];
        for mark in self.marks.iter_mut().rev() {
            let k = mark.kind.index();
            mark.closer_follows = next_is_closer[k];
            match mark.class {
                Class::Close | Class::WeakClose => next_is_closer[k] = true,
                Class::Ignore => {}
                _ => next_is_closer[k] = false,
            }
        }
    }

    /// A line starts while quotations are open: decides whether they continue
    /// (re-opened, or a hard-wrapped line) and reports the ones that do not.
    /// Returns how many leading marks were consumed as re-openers.
    fn paragraph_start(&mut self, content: usize, saw_blank: bool) -> usize {
        // Compare the line's leading marks with the open levels, outermost
        // first (straight `'` levels do not count): bounded by the line.
        let mut levels = self.stack.iter().filter(|o| !o.weak);
        let mut reopened = 0;
        let mut prev_end = content;
        for mark in &self.marks {
            if !is_blank(&self.text[prev_end..mark.start]) {
                break;
            }
            match levels.next() {
                Some(level) if level.kind == mark.kind => {}
                _ => break,
            }
            reopened += 1;
            prev_end = mark.end;
        }
        if reopened == 0 && !saw_blank && self.blank_line_paragraphs() {
            return 0; // a hard-wrapped line inside one paragraph
        }
        // A paragraph break: straight `'` openers end silently, re-opened
        // levels take their new opener, the others are unclosed.
        self.stack.retain(|o| !o.weak);
        for (level, mark) in self.marks[..reopened].iter().enumerate() {
            let o = &mut self.stack[level];
            o.start = mark.start;
            o.end = mark.end;
            o.closed_children = 0;
            o.reopened = true;
        }
        self.rebuild_index();
        self.report_unclosed(reopened, Ending::Paragraph);
        reopened
    }

    fn blank_line_paragraphs(&mut self) -> bool {
        *self
            .blank_line_paragraphs
            .get_or_insert_with(|| has_blank_line_between_content(self.text.as_bytes()))
    }

    fn rebuild_index(&mut self) {
        self.last_of_kind = [None; 4];
        for i in 0..self.stack.len() {
            let k = self.stack[i].kind.index();
            let direct = i > 0 && self.stack[i - 1].kind == self.stack[i].kind;
            self.stack[i].below = self.last_of_kind[k];
            self.stack[i].direct_same_kind = direct && !self.stack[i - 1].weak;
            self.last_of_kind[k] = Some(i);
        }
    }

    /// Applies one mark to the open quotations.
    fn resolve(&mut self, mark: Mark) {
        let nearest = self.last_of_kind[mark.kind.index()];
        match mark.class {
            Class::Ignore => {}
            Class::Open => self.push(mark, false),
            Class::WeakOpen => self.push(mark, true),
            Class::Close => self.close(mark),
            Class::SwedishOpen => match nearest {
                Some(k) => self.pop_to(k, mark),
                None => self.push(mark, false),
            },
            Class::WeakClose => {
                let top = self.stack.len().checked_sub(1);
                if top.is_some() && top == nearest && !mark.closer_follows {
                    self.pop_to(top.unwrap_or(0), mark);
                }
            }
            Class::Either => match nearest {
                Some(k) if self.only_weak_above(k) => self.pop_to(k, mark),
                _ => self.push(mark, false),
            },
            Class::HighDouble => match nearest {
                Some(k) if self.stack[k].glyph == '„' => self.pop_to(k, mark),
                _ => self.push(mark, false),
            },
            Class::HighSingle { after_word } => match nearest {
                Some(k) if self.stack[k].glyph == '‚' => self.pop_to(k, mark),
                _ if after_word => {}
                _ => self.push(mark, false),
            },
            Class::Guillemet {
                right_flanking,
                spaced,
            } => match nearest {
                Some(k) if mark.glyph != self.stack[k].glyph || right_flanking => {
                    self.pop_to(k, mark)
                }
                Some(_) => self.push(mark, false),
                None if right_flanking => self.stray(mark),
                None if spaced => {
                    let french_open = mark.glyph == '«';
                    let nested = mark.kind == Kind::SingleGuillemet
                        && self.last_of_kind[Kind::Guillemet.index()].is_some();
                    if french_open || nested {
                        self.push(mark, false);
                    }
                }
                None => self.push(mark, false),
            },
        }
    }

    fn only_weak_above(&self, k: usize) -> bool {
        let above = &self.stack[k + 1..];
        above.len() <= 8 && above.iter().all(|o| o.weak)
    }

    fn push(&mut self, mark: Mark, weak: bool) {
        let k = mark.kind.index();
        if !weak && self.is_joined_paragraph(mark) {
            // `…in that direction. "If the…`: paragraphs of one quotation joined
            // on one line. The mark re-opens the open quotation, it does not nest.
            if let Some(top) = self.stack.last_mut() {
                top.start = mark.start;
                top.end = mark.end;
                top.closed_children = 0;
                top.reopened = true;
            }
            return;
        }
        let direct = self
            .stack
            .last()
            .is_some_and(|t| t.kind == mark.kind && !t.weak);
        self.stack.push(Opened {
            start: mark.start,
            end: mark.end,
            glyph: mark.glyph,
            kind: mark.kind,
            weak,
            below: self.last_of_kind[k],
            direct_same_kind: direct,
            closed_children: 0,
            first_child: (0, 0),
            reopened: false,
            first_child_reopened: false,
        });
        self.last_of_kind[k] = Some(self.stack.len() - 1);
    }

    /// Whether an opener continues the innermost quotation of its kind after a
    /// sentence end (`… direction. "If …`): corpora that store one paragraph per
    /// line often join the paragraphs of a long quotation into one line and keep
    /// each paragraph's re-opening mark.
    fn is_joined_paragraph(&self, mark: Mark) -> bool {
        let Some(top) = self.stack.last() else {
            return false;
        };
        if top.kind != mark.kind || top.weak {
            return false;
        }
        let before = self.text[..mark.start].trim_end_matches([' ', '\u{a0}']);
        // The sentence may end inside a nested quotation: `… about it?' "To …`.
        let sentence = before.trim_end_matches(['\'', '’', '›', '»']);
        before.len() < mark.start && sentence.ends_with(['.', '?', '!', '…'])
    }

    fn close(&mut self, mark: Mark) {
        match self.last_of_kind[mark.kind.index()] {
            Some(k) => self.pop_to(k, mark),
            None => self.stray(mark),
        }
    }

    /// Closes the quotation at `k`; the ones inside it were never closed.
    fn pop_to(&mut self, k: usize, mark: Mark) {
        self.report_unclosed(k + 1, Ending::Outer);
        let Some(closed) = self.stack.pop() else {
            return;
        };
        self.last_of_kind[closed.kind.index()] = closed.below;
        if closed.direct_same_kind {
            if let Some(parent) = self.stack.last_mut() {
                if parent.closed_children == 0 {
                    parent.first_child = (closed.start, closed.end);
                    parent.first_child_reopened = closed.reopened;
                }
                parent.closed_children += 1;
            }
        }
        self.last_close = Some((mark.end, mark.glyph));
    }

    /// A closer with nothing of its kind open.
    fn stray(&mut self, mark: Mark) {
        if mark.kind == Kind::Single {
            return; // indistinguishable from an apostrophe
        }
        // `””` right after a close: the second has no partner. Not in a longer
        // run (`”””` has two extras; collapsing one would not restore balance).
        if mark.glyph == '”'
            && self.last_close == Some((mark.start, '”'))
            && !self.text[mark.end..].starts_with('”')
        {
            self.findings.push(Finding::fixed(
                KEYING_DOUBLE,
                mark.start,
                mark.end,
                "doubled closing quotation mark `””` with only one opener: keep one",
                Fix::safe(vec![Edit::delete(mark.start, mark.end)]),
            ));
            return;
        }
        self.findings.push(Finding::flag(
            UNOPENED,
            mark.start,
            mark.end,
            format!(
                "`{}` closes a quotation that was never opened in this paragraph",
                mark.glyph
            ),
        ));
    }

    /// Reports the open quotations `stack[from..]` (except straight `'`) and
    /// removes them.
    fn report_unclosed(&mut self, from: usize, ending: Ending) {
        if from >= self.stack.len() {
            return;
        }
        // Backwards first: an opener with an unclosed same-kind opener inside
        // it is reported through that inner one.
        let mut seen_above = [false; 4];
        let mut shadowed = vec![false; self.stack.len() - from];
        for i in (from..self.stack.len()).rev() {
            let o = &self.stack[i];
            if o.weak {
                continue;
            }
            shadowed[i - from] = seen_above[o.kind.index()];
            seen_above[o.kind.index()] = true;
        }
        for i in from..self.stack.len() {
            let o = self.stack[i];
            if o.weak || shadowed[i - from] {
                continue;
            }
            let inside_same_kind = o.below.is_some_and(|b| b >= from && !self.stack[b].weak);
            let finding = if inside_same_kind {
                Finding::flag(
                    NESTED,
                    o.start,
                    o.end,
                    format!(
                        "`{}` opens a quotation inside an open quotation of the same kind, \
                         and neither is closed",
                        o.glyph
                    ),
                )
            } else if o.closed_children == 1 {
                let (cs, ce) = o.first_child;
                if o.glyph == '“'
                    && o.end == cs
                    && &self.text[cs..ce] == "“"
                    && !o.first_child_reopened
                {
                    Finding::fixed(
                        KEYING_DOUBLE,
                        cs,
                        ce,
                        "doubled opening quotation mark `““` with only one closer: keep one",
                        Fix::safe(vec![Edit::delete(cs, ce)]),
                    )
                } else {
                    Finding::flag(
                        NESTED,
                        cs,
                        ce,
                        format!(
                            "`{}` opens a quotation inside an open quotation of the same kind, \
                             but only one closer follows for the two",
                            &self.text[cs..ce]
                        ),
                    )
                }
            } else {
                let why = match ending {
                    Ending::Paragraph => {
                        "the paragraph ends and the next paragraph does not re-open it"
                    }
                    Ending::Text => "the text ends",
                    Ending::Outer => "an outer quotation closes around it",
                };
                Finding::flag(
                    UNCLOSED,
                    o.start,
                    o.end,
                    Cow::Owned(format!("`{}` is never closed: {why}", o.glyph)),
                )
            };
            self.findings.push(finding);
        }
        // The innermost open quotation per kind: follow the removed entries'
        // links down (amortised against their pushes, so pairing stays linear).
        for slot in &mut self.last_of_kind {
            while let Some(i) = *slot {
                if i < from {
                    break;
                }
                *slot = self.stack[i].below;
            }
        }
        self.stack.truncate(from);
    }
}

/// The positions, in order, of the bytes that start a mark (`"`, `'`, the lead
/// bytes 0xE2 of `“”‘’„‚‹›` and 0xC2 of `«»`) or a span whose marks are skipped
/// (`` ` ``, `<`). `memchr` finds at most three bytes in one SIMD scan, so two
/// scans run side by side and are merged; text between triggers is never
/// looked at byte by byte.
struct Triggers<'h> {
    common: memchr::Memchr3<'h>,
    rare: memchr::Memchr3<'h>,
    next_common: Option<usize>,
    next_rare: Option<usize>,
}

impl<'h> Triggers<'h> {
    fn new(haystack: &'h [u8]) -> Self {
        let mut common = memchr::memchr3_iter(b'"', b'\'', 0xE2, haystack);
        let mut rare = memchr::memchr3_iter(b'`', b'<', 0xC2, haystack);
        Triggers {
            next_common: common.next(),
            next_rare: rare.next(),
            common,
            rare,
        }
    }
}

impl Iterator for Triggers<'_> {
    type Item = usize;

    fn next(&mut self) -> Option<usize> {
        match (self.next_common, self.next_rare) {
            (Some(c), Some(r)) if r < c => {
                self.next_rare = self.rare.next();
                Some(r)
            }
            (Some(c), _) => {
                self.next_common = self.common.next();
                Some(c)
            }
            (None, Some(r)) => {
                self.next_rare = self.rare.next();
                Some(r)
            }
            (None, None) => None,
        }
    }
}

/// The quotation mark at `i`, if any, and its length in bytes.
fn decode_mark(bytes: &[u8], i: usize) -> Option<(char, usize)> {
    match bytes[i] {
        b'"' => Some(('"', 1)),
        b'\'' => Some(('\'', 1)),
        0xC2 => match bytes.get(i + 1)? {
            0xAB => Some(('«', 2)),
            0xBB => Some(('»', 2)),
            _ => None,
        },
        0xE2 if bytes.get(i + 1) == Some(&0x80) => {
            let c = match bytes.get(i + 2)? {
                0x98 => '‘',
                0x99 => '’',
                0x9A => '‚',
                0x9C => '“',
                0x9D => '”',
                0x9E => '„',
                0x9F => '‟',
                0xB9 => '‹',
                0xBA => '›',
                _ => return None,
            };
            Some((c, 3))
        }
        _ => None,
    }
}

fn is_space(c: Option<char>) -> bool {
    c.is_none_or(char::is_whitespace)
}

fn is_alnum(c: Option<char>) -> bool {
    c.is_some_and(char::is_alphanumeric)
}

fn is_digit(c: Option<char>) -> bool {
    c.is_some_and(|c| c.is_ascii_digit())
}

fn is_quote(c: char) -> bool {
    matches!(
        c,
        '"' | '\'' | '“' | '”' | '‘' | '’' | '„' | '‚' | '‟' | '«' | '»' | '‹' | '›'
    )
}

/// Before an opener: start, space, opening bracket, dash, slash or a quote.
fn opens_after(c: Option<char>) -> bool {
    match c {
        None => true,
        Some(c) => {
            c.is_whitespace() || is_quote(c) || matches!(c, '(' | '[' | '{' | '-' | '–' | '—' | '/')
        }
    }
}

/// After a closer: end, space, punctuation, closing bracket, dash or a quote.
fn closes_before(c: Option<char>) -> bool {
    match c {
        None => true,
        Some(c) => {
            c.is_whitespace()
                || is_quote(c)
                || matches!(
                    c,
                    '.' | ','
                        | ';'
                        | ':'
                        | '!'
                        | '?'
                        | '…'
                        | ')'
                        | ']'
                        | '}'
                        | '-'
                        | '–'
                        | '—'
                        | '/'
                )
        }
    }
}

/// A word after a single quote that makes it an elision, not an opener:
/// `’90s`, `’22`, `’em`, `’Tis`, `’n’`.
fn is_elision(rest: &str) -> bool {
    let word_len = rest
        .char_indices()
        .find(|(_, c)| !c.is_alphanumeric())
        .map_or(rest.len(), |(i, _)| i);
    let word = &rest[..word_len];
    let b = word.as_bytes();
    if b.len() >= 2 && b[0].is_ascii_digit() && b[1].is_ascii_digit() {
        return b.len() == 2 || (b.len() == 3 && b[2] == b's');
    }
    const ELISIONS: &[&str] = &[
        "em", "n", "tis", "twas", "til", "cause", "cos", "bout", "nuff", "twere",
    ];
    ELISIONS.iter().any(|e| word.eq_ignore_ascii_case(e))
}

/// Gives the mark at `start..end` its kind and class from its neighbours.
fn classify(text: &str, start: usize, end: usize, glyph: char) -> (Kind, Class) {
    let prev = text[..start].chars().next_back();
    let next = text[end..].chars().next();
    match glyph {
        '"' => {
            let class = if is_digit(prev) && !is_alnum(next) {
                Class::WeakClose // 6.1", 20" wide: an inch mark unless it must close
            } else {
                let left = opens_after(prev) && !is_space(next);
                let right = !is_space(prev) && closes_before(next);
                match (left, right) {
                    (true, false) => Class::Open,
                    (false, true) => Class::Close,
                    _ => Class::Either,
                }
            };
            (Kind::Double, class)
        }
        '\'' => {
            let class = match (is_alnum(prev), is_alnum(next)) {
                (true, true) => Class::Ignore,
                (false, true) if opens_after(prev) && !is_elision(&text[end..]) => Class::WeakOpen,
                (false, true) => Class::Ignore,
                (true, false) => Class::WeakClose,
                (false, false) if !is_space(prev) && closes_before(next) => Class::Close,
                (false, false) => Class::Ignore,
            };
            (Kind::Single, class)
        }
        '’' => {
            let class = match (is_alnum(prev), is_alnum(next)) {
                (true, true) | (false, true) => Class::Ignore,
                (true, false) => Class::WeakClose,
                (false, false) if !is_space(prev) => Class::Close,
                (false, false) => Class::Ignore,
            };
            (Kind::Single, class)
        }
        '‘' => {
            let class = if is_alnum(prev) && is_alnum(next) {
                Class::Ignore // the ʻokina in Hawai‘i
            } else if is_alnum(prev) || is_space(next) {
                Class::HighSingle { after_word: true }
            } else if is_elision(&text[end..]) {
                Class::Ignore
            } else {
                Class::HighSingle { after_word: false }
            };
            (Kind::Single, class)
        }
        '‚' => {
            // Often a mis-keyed comma (`1‚000`, `yes‚ but`).
            let class = if is_space(next) || is_digit(next) || is_digit(prev) {
                Class::Ignore
            } else {
                Class::Open
            };
            (Kind::Single, class)
        }
        '“' | '‟' => (Kind::Double, Class::HighDouble),
        '”' if opens_after(prev) && is_alnum(next) => (Kind::Double, Class::SwedishOpen),
        '”' => (Kind::Double, Class::Close),
        '„' => (Kind::Double, Class::Open),
        '«' | '»' | '‹' | '›' => {
            let kind = if matches!(glyph, '«' | '»') {
                Kind::Guillemet
            } else {
                Kind::SingleGuillemet
            };
            let class = Class::Guillemet {
                right_flanking: !is_space(prev) && closes_before(next),
                spaced: is_space(prev) && is_space(next),
            };
            (kind, class)
        }
        _ => (Kind::Double, Class::Ignore),
    }
}

/// Where a line's text starts: after whitespace and Markdown blockquote `>`
/// markers. Equal to `end` for a blank line.
fn content_start(bytes: &[u8], start: usize, end: usize) -> usize {
    let mut i = start;
    while i < end {
        match bytes[i] {
            b' ' | b'\t' | b'\r' | b'>' | 0x0B | 0x0C => i += 1,
            0xC2 if bytes.get(i + 1) == Some(&0xA0) => i += 2,
            0xE2 if bytes.get(i + 1) == Some(&0x80)
                && matches!(bytes.get(i + 2), Some(0x80..=0x8A | 0xAF)) =>
            {
                i += 3
            }
            _ => return i,
        }
    }
    end
}

fn is_blank(s: &str) -> bool {
    s.chars().all(char::is_whitespace)
}

/// Whether some blank line separates two non-blank lines.
fn has_blank_line_between_content(bytes: &[u8]) -> bool {
    let mut seen_content = false;
    let mut blank_after_content = false;
    let mut start = 0;
    loop {
        let end = memchr(b'\n', &bytes[start..]).map_or(bytes.len(), |p| start + p);
        if content_start(bytes, start, end) == end {
            blank_after_content |= seen_content;
        } else if blank_after_content {
            return true;
        } else {
            seen_content = true;
        }
        if end == bytes.len() {
            return false;
        }
        start = end + 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::finding::apply_edits;

    /// The pass's findings as (rule, byte offset).
    fn check(text: &str) -> Vec<(String, usize)> {
        let mut findings = Vec::new();
        Quotes::new().check(text, &mut findings);
        findings
            .iter()
            .map(|f| (f.rule.to_string(), f.start))
            .collect()
    }

    /// Asserts exactly one finding of `rule`, on the `nth` (0-based) occurrence
    /// of `mark` in `text`.
    fn assert_one(text: &str, rule: &str, mark: &str, nth: usize) {
        let at = text.match_indices(mark).nth(nth).expect("mark in text").0;
        assert_eq!(check(text), vec![(rule.to_string(), at)], "{text:?}");
    }

    fn assert_clean(text: &str) {
        assert_eq!(check(text), vec![], "{text:?}");
    }

    #[test]
    fn triggers_are_every_trigger_byte_in_order() {
        let text = "a `b` <i>“c” «d» 'e' \"f\" — x".as_bytes();
        let want: Vec<usize> = text
            .iter()
            .enumerate()
            .filter(|(_, b)| b"\"'`<\xE2\xC2".contains(b))
            .map(|(i, _)| i)
            .collect();
        assert_eq!(Triggers::new(text).collect::<Vec<_>>(), want);
        assert_eq!(Triggers::new(b"plain text").next(), None);
    }

    /// Applies the pass's fixes once.
    fn fixed(text: &str) -> String {
        let mut findings = Vec::new();
        Quotes::new().check(text, &mut findings);
        let edits: Vec<&Edit> = findings
            .iter()
            .flat_map(|f| f.fix.iter().flat_map(|x| x.edits.iter()))
            .collect();
        apply_edits(text, &edits)
    }

    #[test]
    fn text_without_marks_has_no_findings() {
        assert_clean("");
        assert_clean("No quotation marks here at all.\n\nNone.");
        assert_clean("Prices rose 5% to £3.2bn – a record.");
    }

    #[test]
    fn straight_quotes_are_never_curled_or_fixed() {
        let text = "He said \"hello\" and 'bye'.";
        assert_clean(text);
        assert_eq!(fixed(text), text);
        // A doubled straight mark is reported, never collapsed.
        let text = "to pay an \"\"unfair\" sum";
        assert_one(text, NESTED, "\"", 1);
        assert_eq!(fixed(text), text);
    }

    #[test]
    fn apostrophes_are_not_quotes() {
        for text in [
            "rock ’n’ roll",
            "the ’90s",
            "’Tis the season",
            "kill ’em all",
            "Yes, Ma’am.",
            "the class of ’22",
            "the Joneses’ house",
            "the players’ union",
            "Côte d’Ivoire",
            "I don’t know.",
            "Hawai‘i and O‘ahu",
            "Kill 'em all, the '49 team, the '30s, Texas' cities, Dunkin' Donuts",
            "Burkes' home in Wayne",
            "rock ‘n’ roll in the ‘90s",
        ] {
            assert_clean(text);
        }
    }

    #[test]
    fn a_possessive_inside_a_single_quotation_is_not_an_early_close() {
        assert_clean("‘The Joneses’ dog barked all night,’ she said.");
        assert_clean("‘a’ and ‘b’ and ‘rock ’n’ roll’");
        // The open quotation still needs its closer.
        assert_one("‘The dog barked all night, she said.", UNCLOSED, "‘", 0);
    }

    #[test]
    fn a_stray_single_closer_is_never_reported() {
        assert_clean("Mismatched closing’ quotes.");
        assert_clean("“This text has a’ secondary quote inside”");
        assert_clean("John said \"Hello World!\".");
    }

    #[test]
    fn a_straight_single_opener_is_never_reported_unclosed() {
        assert_clean("'Allo 'Allo! was a sitcom.");
        assert_clean("“This has an 'ambiguous quote”");
    }

    #[test]
    fn multi_paragraph_quotations_are_correct() {
        assert_clean("“The first paragraph.\n“The second.\n“The last,” he said.");
        assert_clean("“The first paragraph.\n\n“The last.”\n");
        assert_clean("“The first paragraph.\r\n\r\n“The last.”\r\n");
        assert_clean("“The first paragraph.\r\n“The last.”");
        assert_clean("> “The first paragraph.\n>\n> “The last.”");
        assert_clean("> > “The first paragraph.\n> > “The last.”");
        assert_clean("\"The first paragraph.\n\n\"The last.\"");
        assert_clean("»Correct«\n\n»And ›here‹ it ends.«\n\nMore text.");
        assert_clean("« Il a dit :\n\n« Je viendrai demain. »");
    }

    #[test]
    fn a_continued_nested_quotation_reopens_both_levels() {
        assert_clean("“He told me, ‘Go home.\n“‘Now,’ he said.”");
        assert_clean("“He told me, ‘Go home.\n\n“‘Now,’ he said.”");
        // Spanish-style continuers re-open with the closing marks.
        assert_clean("“This text, ‘contains well-formed\n”’Quote continuers’”");
        // Only the outer level re-opened: the nested one is unclosed.
        assert_one("“He told me, ‘Go home.\n“Now,” he said.", UNCLOSED, "‘", 0);
    }

    #[test]
    fn an_opener_whose_next_paragraph_does_not_reopen_is_unclosed() {
        let text = "He said: “We will win.\nThen he left.";
        assert_one(text, UNCLOSED, "“", 0);
        let text = "He said: “We will win.\n\nThen he left.";
        assert_one(text, UNCLOSED, "“", 0);
        let text = "He said: “We will win.\r\n\r\nThen he left.\r\n";
        assert_one(text, UNCLOSED, "“", 0);
        let text = "> He said: “We will win.\n>\n> Then he left.";
        assert_one(text, UNCLOSED, "“", 0);
    }

    #[test]
    fn a_last_paragraph_that_never_closes_is_reported_at_its_opener() {
        let text = "“The first paragraph.\n“The second.\n“The last.";
        assert_one(text, UNCLOSED, "“", 2);
        assert_one("This is »not correct.", UNCLOSED, "»", 0);
        assert_one("\"He is making them feel comfortable.", UNCLOSED, "\"", 0);
        assert_one("This.\nSome stuff.\nIt »is a test.", UNCLOSED, "»", 0);
    }

    #[test]
    fn a_stray_closer_is_reported() {
        assert_one("He left early.” Then it ended.", UNOPENED, "”", 0);
        assert_one("comfortable all along.\"", UNOPENED, "\"", 0);
        assert_one("This is not correct«", UNOPENED, "«", 0);
        assert_one("“Sample text” more text”", UNOPENED, "”", 1);
        // A `”` before a word opens (Swedish `”…”`): here it is left open.
        assert_one("“Sample text” ”with more text", UNCLOSED, "”", 1);
    }

    #[test]
    fn a_same_kind_opener_with_only_one_closer_is_reported_at_the_inner_opener() {
        let text = "progress: “We urge everyone, taking into account “accounts for new \
                    realities in 1991.”\nArmenia has criticized it.";
        assert_one(text, NESTED, "“", 1);
        assert_one("“Sample text with “More sample text”", NESTED, "“", 1);
    }

    #[test]
    fn a_same_kind_opener_with_no_closer_is_reported_once() {
        assert_one("“Sample text with “more sample text", NESTED, "“", 1);
        assert_one("The sign said ““Keep out in red.", NESTED, "“", 1);
    }

    #[test]
    fn the_seed_article_is_flagged_on_line_six_only() {
        let seed = include_str!("../../seeds/000_29d52f79e9dff851.txt");
        let mut findings = Vec::new();
        Quotes::new().check(seed, &mut findings);
        assert_eq!(findings.len(), 1, "{findings:?}");
        let f = &findings[0];
        assert_eq!(f.rule, NESTED);
        assert!(f.fix.is_none(), "flagged, not repaired");
        assert_eq!(&seed[f.start..f.end], "“");
        assert_eq!(seed[..f.start].matches('\n').count() + 1, 6);
        assert!(seed[..f.start].ends_with("taking into account "));
    }

    #[test]
    fn keying_double_opener_is_collapsed_when_it_has_no_partner() {
        let text = "The sign said ““Keep out” in red.";
        let mut findings = Vec::new();
        Quotes::new().check(text, &mut findings);
        assert_eq!(findings.len(), 1);
        assert_eq!(findings[0].rule, KEYING_DOUBLE);
        assert_eq!(
            findings[0].applicability(),
            crate::finding::Applicability::Safe
        );
        let out = fixed(text);
        assert_eq!(out, "The sign said “Keep out” in red.");
        assert_clean(&out);
    }

    #[test]
    fn keying_double_closer_is_collapsed_when_it_has_no_partner() {
        let out = fixed("The sign said “Keep out”” in red.");
        assert_eq!(out, "The sign said “Keep out” in red.");
        assert_clean(&out);
    }

    #[test]
    fn re_opening_marks_of_a_continued_paragraph_are_not_a_keying_double() {
        // Found by the property soak: line 2 leaves two levels open, line 3
        // re-opens both (`““`) and closes the inner one with `"`. Collapsing
        // that `““` made line 3 re-open one level only, so the next run
        // collapsed a double in line 2: not idempotent.
        for text in ["““““””\n““x\"", ".\n\n““““””\n““™\""] {
            assert!(
                check(text).iter().all(|(rule, _)| rule != KEYING_DOUBLE),
                "{text:?}: {:?}",
                check(text)
            );
        }
        // A fresh double after a re-opening mark is still one.
        assert_eq!(fixed("“Go.\n““x” he said."), "“Go.\n“x” he said.");
    }

    #[test]
    fn balanced_doubles_and_mixed_double_closes_are_left_alone() {
        assert_clean("“The sign said “Keep out”” in red.");
        assert_clean("““Keep out,” it said,” he said.");
        assert_clean("“He said ‘stop’” and left.");
        assert_clean("“He said “no” to the deal,” she said.");
        assert_clean("A sentence with “nested “quotes””.");
        // A doubled opener continued into the next paragraph has its partner there.
        assert_clean("““Keep out” was the sign.\n“And more.”");
    }

    #[test]
    fn other_conventions_are_correct() {
        assert_clean("‘He said “no” to the deal,’ she said.");
        assert_clean("Il a dit\u{a0}: «\u{202f}Je viendrai demain\u{202f}».");
        assert_clean("Paul a dit : « Je viendrai demain » .");
        assert_clean("Elle a écrit: « L’article est intitulé ‹ La technologie › » .");
        assert_clean("Er sagte: „Das ist ‚gut‘ so“, und ging.");
        assert_clean("Polish „cudzysłów” style.");
        assert_clean("Он сказал: «Это „правда“ вчера».");
        assert_clean("Das ist »richtig« und ›auch‹ so.");
        assert_clean("Han sa »hej» och gick.");
        assert_clean("”Hej”, sa han. Han sa ”nej” igen.");
        assert_clean("This is «correct».");
    }

    #[test]
    fn a_nested_guillemet_closed_by_the_outer_one_is_unclosed() {
        let text = "Elle a écrit: « L’article est intitulé ‹ La technologie » .";
        assert_one(text, UNCLOSED, "‹", 0);
        assert_one("“This has an ‘unclosed nested quote”", UNCLOSED, "‘", 0);
    }

    #[test]
    fn breadcrumbs_are_not_quotes() {
        assert_clean("Home » News » World");
        assert_clean("Home › News › World");
    }

    #[test]
    fn inch_marks_and_primes_are_not_quotes() {
        assert_clean("A 6.1\" screen and a 20\" wide board.");
        assert_clean("seat pitch of 31-33\", with a 31\" pitch.");
        assert_clean("\"The screen is 20\" wide.\"");
        assert_clean("\"02\" will sort before \"10\" as expected so it will have size of 10\".");
        assert_clean("He is 6′2″ tall, or 6'2\".");
    }

    #[test]
    fn html_entities_tags_and_code_spans_are_not_quotes() {
        assert_clean("He said &ldquo;hello&rdquo;. And &ldquo;bye.");
        assert_clean("<a href=\"https://example.com/\">link</a> <img alt='x>");
        assert_clean("Use `\"` or `'` for strings.");
        assert_clean("test {\"{ABC`{\"{ABC}\"}`}\"} ok.");
        // A `<` that opens no tag does not hide the quotes after it.
        assert_one("if a < b \"then", UNCLOSED, "\"", 0);
    }

    #[test]
    fn paragraphs_joined_on_one_line_keep_their_reopening_marks() {
        assert_clean("He said: \"We will win. \"It is certain.\" Then he left.");
        assert_clean("He said: \"Ask him 'what is it?' \"He did.\"");
        assert_clean("He said: “We will win. “It is certain.” Then he left.");
        // Still unclosed when the last joined paragraph never closes.
        assert_one(
            "He said: \"We will win. \"It is certain.",
            UNCLOSED,
            "\"",
            1,
        );
    }

    #[test]
    fn hard_wrapped_lines_continue_only_where_blank_lines_separate_paragraphs() {
        assert_clean("Title\n\nHe said “this is a long\nquotation” today.\n\nNext paragraph.");
        let text = "He said “this is a long\nquotation” today.";
        let got = check(text);
        assert_eq!(
            got,
            vec![
                (UNCLOSED.to_string(), text.find('“').unwrap()),
                (UNOPENED.to_string(), text.find('”').unwrap()),
            ]
        );
    }

    #[test]
    fn blank_line_detection() {
        assert!(has_blank_line_between_content(b"a\n\nb"));
        assert!(has_blank_line_between_content(b"a\r\n \r\nb"));
        assert!(has_blank_line_between_content(b"> a\n>\n> b"));
        assert!(!has_blank_line_between_content(b"a\nb\n\n"));
        assert!(!has_blank_line_between_content(b"\n\na\nb"));
    }

    #[test]
    fn elisions() {
        for word in ["90s", "22", "em", "Tis", "n’ roll", "cause"] {
            assert!(is_elision(word), "{word}");
        }
        for word in ["Hello", "2022", "host"] {
            assert!(!is_elision(word), "{word}");
        }
    }

    #[test]
    fn pairing_is_linear_on_pathological_input() {
        // 50,000 unclosed openers on one line (reported once, through the
        // innermost), then 50,000 stray closers, each reported: one pass.
        let text = format!("{}\n\n{}", "“a ".repeat(50_000), "b” ".repeat(50_000));
        let got = check(&text);
        assert_eq!(got.iter().filter(|(r, _)| r == NESTED).count(), 50_001);
        // the one for the openers points into the first line, the rest into the second
        let second_line = text.find("\n\n").unwrap();
        assert_eq!(got.iter().filter(|(_, at)| *at < second_line).count(), 1);
        let tags = format!("{}\"", "<a ".repeat(100_000));
        assert_eq!(check(&tags).len(), 1);
        // Pop-throughs under 20,000 open quotations.
        let deep = format!("{}{}", "“a ".repeat(20_000), "‘b ”".repeat(20_000));
        assert_eq!(check(&deep).len(), 20_000);
        // An unclosed quotation over 20,000 hard-wrapped lines.
        let wrapped = format!("Title\n\n{}{}", "“a ".repeat(20_000), "b\n".repeat(20_000));
        assert_eq!(check(&wrapped).len(), 1);
    }

    #[test]
    fn random_texts_give_valid_spans_and_settling_fixes() {
        const PIECES: &[&str] = &[
            "“", "”", "‘", "’", "\"", "'", "«", "»", "‹", "›", "„", "‚", "‟", "a", "word", "9",
            " ", " ", "\n", "\n\n", "\r\n", "> ", ".", ",", "?", "`", "<a ", ">", "(", "\u{a0}",
            "\u{202f}", "é", "…",
        ];
        let mut seed: u64 = 0x2545_F491_4F6C_DD1D;
        let mut next = move || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        for _ in 0..3_000 {
            let len = (next() % 40) as usize;
            let text: String = (0..len)
                .map(|_| PIECES[(next() % PIECES.len() as u64) as usize])
                .collect();
            let mut findings = Vec::new();
            Quotes::new().check(&text, &mut findings);
            for f in &findings {
                assert!(f.start < f.end && f.end <= text.len(), "{text:?} {f:?}");
                assert!(text.is_char_boundary(f.start) && text.is_char_boundary(f.end));
                if let Some(fix) = &f.fix {
                    assert_eq!(f.rule, KEYING_DOUBLE);
                    for e in &fix.edits {
                        assert!(e.replacement.is_empty(), "{text:?}");
                        assert!(matches!(&text[e.start..e.end], "“" | "”"), "{text:?}");
                    }
                }
            }
            let once = fixed(&text);
            assert_eq!(fixed(&once), once, "fixes settle: {text:?}");
        }
    }
}
