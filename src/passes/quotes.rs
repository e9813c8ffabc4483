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
//! - `quotes.apostrophe-as-quote` (flag): a `"` inside a contraction
//!   (`they"re`), reported at that mark and not paired.
//! - `quotes.opener-as-closer` (flag): a `“` where the closer belongs
//!   (`it was hard,“ she said`), reported at that mark; it closes the open
//!   quotation for pairing.
//! - `quotes.wordpress-prime` (safe): `1970′s` → `1970’s`, and a `″` after a
//!   number that closes a `“` with no other closer → `”`.
//!
//! A flag stands where the defect is: an opener whose only closer belongs to
//! a quotation opened on a later line (hard-wrapped text) is reported at its
//! own opener, not at the later, correct one.
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
//! - Inch marks and primes are not quotes: `6.1"`, `20" wide`, `a 10” pan`,
//!   `8 ½”`, `6′2″`. A `"` or `”` after a digit or fraction closes an open
//!   quotation only when nothing else can (`"The screen is 20" wide."`,
//!   `the “250” series`).
//! - Other conventions are correct as they are: British `‘…“…”…’`, French
//!   `« … »` with (narrow) no-break spaces, German `„…“` and `‚…‘` (there `“`
//!   and `‘` close), reversed `»…«`, Swedish `»…»` and `”…”`, Russian `«…„…“…»`, and
//!   balanced same-kind nesting (`“said “no” to”`) is not reported.
//! - HTML entities (`&ldquo;`) are text, not marks; quotes inside HTML tags
//!   (`<a href="…">`, also over several lines), entity-escaped tags
//!   (`&lt;span class="lead"&gt;`) and Markdown code spans (`` `"` ``) are
//!   not paired.
//! - Brackets are not paired: that is not a quotation problem.

use std::borrow::Cow;
use std::ops::Range;
use std::sync::{LazyLock, OnceLock};

use memchr::memchr;
use memchr::memmem::Finder;

use crate::byteset::{ByteClass, ByteSet, Positions};
use crate::finding::{Edit, Finding, Fix};
use crate::pass::{Pass, Resume};
use crate::passes::punctuation::is_cjk;

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

/// `quotes.apostrophe-as-quote` (flag)
///
/// **What it does**: flags a straight `"` between a letter and the rest of a
/// contraction or possessive (`they"re`, `it"s`, `don"t`, `Anna"s`).
///
/// **Why is this bad?** It is an apostrophe keyed as a double quote; read as
/// a quote it unbalances the quotation around it and sends the reviewer to
/// some other, correct mark.
///
/// **Example**: `I think they"re right.`
///
/// **Fix safety**: no fix (quotes are never converted); the mark is not
/// paired, and the flag stands on it.
pub const APOSTROPHE_AS_QUOTE: &str = "quotes.apostrophe-as-quote";

/// `quotes.opener-as-closer` (flag)
///
/// **What it does**: flags an opening `“` typed where the closing mark
/// belongs: after the quoted words and before a space, punctuation or the
/// end (`it was hard,“ she said`), when no German `„` is open (there `“`
/// is the correct closer).
///
/// **Why is this bad?** The quotation looks unclosed and a new one looks
/// opened; the flag belongs on the mark that is wrong.
///
/// **Example**: `“It was hard,“ she said.`
///
/// **Fix safety**: no fix (never rewritten); the mark closes the open
/// quotation for pairing, so nothing else is reported for it.
pub const OPENER_AS_CLOSER: &str = "quotes.opener-as-closer";

/// `quotes.closer-as-opener` (flag)
///
/// **What it does**: flags a closing `”` typed where the opener belongs:
/// glued to the word it opens (`slaughter.”What are you protecting
/// anyway?” asked`, `images”Tower of Perestroika”`) while no `“` quotation
/// is open and a closer follows on the line.
///
/// **Why is this bad?** Read as a closer it has nothing to close, and the
/// real closer after the quoted words then looks stray: the reviewer is sent
/// to a correct mark.
///
/// **Example**: `he wrote.”Why now?” she asked.`
///
/// **Fix safety**: no fix (never rewritten); the mark opens the quotation for
/// pairing, so its closer is not reported. A `”` after a space (`”…”`, the
/// Swedish and Finnish style) or after CJK text is not flagged.
pub const CLOSER_AS_OPENER: &str = "quotes.closer-as-opener";

/// `quotes.mismatched-pair` (flag)
///
/// **What it does**: flags a straight `'` that closes a straight `"`
/// quotation (`the "free', citizen`, `"You Don't Know Me' at the piano`):
/// no `'` quotation is open, and the next `"` on the line opens another
/// quotation rather than closing this one.
///
/// **Why is this bad?** One of the two marks is the wrong kind; read as an
/// apostrophe, the `"` stays open and the next, correct quotation looks
/// nested in it.
///
/// **Example**: `the "free', citizen`
///
/// **Fix safety**: no fix (which mark is wrong is not known); the `'` closes
/// the `"` quotation for pairing. Not after `s` (`the boys'`) or `in`
/// (`goin'`), where `'` is an apostrophe.
pub const MISMATCHED_PAIR: &str = "quotes.mismatched-pair";

/// `quotes.wordpress-prime`
///
/// **What it does**: repairs what WordPress's `wptexturize` does to quotes
/// after a number: a prime for an apostrophe (`the 1970′s` → `the 1970’s`),
/// and a double prime that closes a `“` quotation (`the “250″ series` →
/// `the “250” series`), or a prime that closes a `‘` one (`‘World War 2′` →
/// `‘World War 2’`).
///
/// **Why is this bad?** A prime is a measurement mark (`6′2″`); here it is a
/// mis-converted apostrophe or closing quote.
///
/// **Fix safety**: safe. The apostrophe fix needs `′s` after a digit and
/// before a non-letter; the double prime is replaced only when the `“` it
/// closes is the innermost open quotation and has no other closer before
/// the next opener. Primes in measurements (`6′2″`, `5′ 10″`) stay.
pub const WORDPRESS_PRIME: &str = "quotes.wordpress-prime";

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
    // Word edits are seen (the default): besides the marks and the class of
    // their neighbours, a quotation running over short lines reads the
    // lines' lengths (`is_short`), and a names fix (`Dimitri` → `Dmitry`)
    // can move a line across that bound.

    fn name(&self) -> &'static str {
        "quotes"
    }

    /// A safe cut (see [`crate::chunks`]) holds nothing the pairing carries
    /// over it: a quotation open at the empty line before it is reported
    /// unclosed there, whether the next paragraph (which starts with a
    /// letter or digit, so it re-opens nothing) or the text's end follows
    /// (only the message differs); no tag or ``…'' quotation that reads
    /// ahead ([`TAG_LIMIT`]) begins in the window before it; no line before
    /// it ends a code line with `\`; quotations over short lines stop at an
    /// empty line; and each part, like the whole, separates paragraphs with
    /// blank lines. Nothing after the cut reads back across the empty line
    /// (the look-backs of a mark stay on its line).
    fn splits_at_safe_cuts(&self) -> bool {
        true
    }

    fn check(&self, text: &str, findings: &mut Vec<Finding>) {
        pair_text(text, findings, None);
    }

    fn check_resumable(
        &self,
        text: &str,
        findings: &mut Vec<Finding>,
        take: &mut dyn FnMut(&mut Vec<Finding>),
    ) -> Option<Resume> {
        let _ = take;
        let mut points = Vec::new();
        let document = pair_text(text, findings, Some(&mut points));
        Some(Resume { points, document })
    }

    /// Pairs again from a place before each edit where the last pairing was
    /// fresh and what it had decided before read nothing the edit wrote
    /// (a resume point whose reach is at most the edit's start), on past the
    /// edits to a resume point where the new pairing is fresh too: from
    /// there the two pairings are the same (a fresh state holds nothing that
    /// reaches past a line, and nothing after a fresh line start reads
    /// before it), so the window ends there; or at the text's end, paired
    /// to it. Declines when the edits changed whether paragraphs are
    /// separated by blank lines.
    fn recheck_near(
        &self,
        text: &str,
        edited: &[Range<usize>],
        resume: &Resume,
        findings: &mut Vec<Finding>,
    ) -> Option<Vec<Range<usize>>> {
        let bytes = text.as_bytes();
        let blank_lines = OnceLock::new();
        if let Some(before) = resume.document {
            let now = has_blank_line_between_content(bytes);
            if now != before {
                return None;
            }
            let _ = blank_lines.set(now);
        }
        let points = &resume.points;
        let mut windows = Vec::new();
        // Where the last window ended: both pairings fresh there, or the
        // text read anew from there on.
        let mut floor = 0;
        let mut i = 0;
        while let Some(edit) = edited.get(i) {
            // Points whose reach is at most the edit's start and that lie
            // before it are a prefix (both are sorted). A point moved onto
            // an edit's start from inside it is never taken.
            let k = points.partition_point(|p| p.start < edit.start && p.end <= edit.start);
            let from = points[..k].last().map_or(floor, |p| p.start.max(floor));
            if from > 0 && bytes.get(from - 1) != Some(&b'\n') {
                return None; // not a line start: a point moved by an edit
            }
            let mut pairing = Pairing::new(text, std::mem::take(findings), &blank_lines, from);
            // Edits passed so far (`edited[..j]`) and the furthest end of them.
            let (mut j, mut passed_end, mut next_point) = (i, 0, k);
            let met = pairing.run_lines(from, usize::MAX, &mut |fresh| {
                while let Some(e) = edited.get(j).filter(|e| e.start < fresh.at) {
                    passed_end = passed_end.max(e.end);
                    j += 1;
                }
                if j == i || fresh.at <= passed_end {
                    return false;
                }
                while points.get(next_point).is_some_and(|p| p.start < fresh.at) {
                    next_point += 1;
                }
                points.get(next_point).is_some_and(|p| p.start == fresh.at)
            });
            let to = met.unwrap_or_else(|| {
                pairing.report_unclosed(0, Ending::Text);
                text.len()
            });
            *findings = pairing.findings;
            windows.push(from..to);
            if met.is_none() {
                break;
            }
            floor = to;
            i = j;
        }
        Some(windows)
    }
}

/// Pairs `text`, adding to `findings` and, when given, where the pairing was
/// fresh to `points` (see [`Resume`]); returns whether paragraphs are
/// separated by blank lines, if the pairing asked.
fn pair_text(
    text: &str,
    findings: &mut Vec<Finding>,
    points: Option<&mut Vec<Range<usize>>>,
) -> Option<bool> {
    let bytes = text.as_bytes();
    // Every mark starts with one of these bytes: text without them (most
    // headlines, most lines of figures) costs two memchr scans.
    if memchr::memchr3(b'"', b'\'', 0xE2, bytes).is_none() && memchr(0xC2, bytes).is_none() {
        return None;
    }
    if let Some(part) = crate::parts::split_part(text.len()) {
        return pair_in_parts(text, findings, part, points);
    }
    let blank_lines = OnceLock::new();
    let mut pairing = Pairing::new(text, std::mem::take(findings), &blank_lines, 0);
    pairing.run(points);
    *findings = pairing.findings;
    blank_lines.get().copied()
}

/// How far apart (at least, in bytes) the resume points of a pairing are:
/// close enough that a window near an edit ends soon after it, few enough
/// that moving them with every edit costs little (at most one per this
/// many bytes).
#[cfg(not(test))]
const POINT_GAP: usize = 256;
/// Every fresh line start, in the pass's own tests of short texts.
#[cfg(test)]
const POINT_GAP: usize = 1;

/// Keeps every fresh line start at least [`POINT_GAP`] after the last one
/// kept, as a resume point.
struct PointRecorder<'p> {
    points: &'p mut Vec<Range<usize>>,
}

impl<'p> PointRecorder<'p> {
    fn new(points: &'p mut Vec<Range<usize>>) -> Self {
        PointRecorder { points }
    }

    fn fresh(&mut self, fresh: Fresh) {
        if self
            .points
            .last()
            .is_none_or(|p| fresh.at >= p.start + POINT_GAP)
        {
            self.points.push(fresh.at..fresh.reach);
        }
    }
}

/// The most places a part remembers where its pairing state is fresh (see
/// [`pair_in_parts`]): the state carried into a part almost always matches
/// within its first lines, and memory stays bounded.
const FRESH_POINTS: usize = 4096;

/// Pairs `text` in parts of about `part` bytes (cut at line starts) on every
/// thread, with the findings of one pairing of the whole text, in its order,
/// and its resume points when `points` is given; returns whether paragraphs
/// are separated by blank lines, if a part asked.
///
/// Every part after the first is paired from a fresh state (nothing open, no
/// tag or code line carried in) as if the text began there, remembering the
/// line starts where its state was fresh again, and where its findings stood
/// then. Then, in order, the true state at the end of the text before a part
/// is carried into it: it is paired on until a line start where the true
/// state is fresh and the part's was too. From there the two pairings are
/// the same (a fresh state holds nothing that reaches past a line), so the
/// part's own findings from that line on, and its state at its end, are
/// taken. Most quotations close within their paragraph, so the true state
/// matches within a few lines; when it never does (every quotation left
/// open), the part is paired on to its end, which costs its length once
/// more but stays linear. The resume points are the carried pairing's, then
/// the part's own from where they met; a point's reach is the furthest of
/// those before it (a part's own pairing read no less than the true one
/// after they met).
fn pair_in_parts(
    text: &str,
    findings: &mut Vec<Finding>,
    part: usize,
    mut points: Option<&mut Vec<Range<usize>>>,
) -> Option<bool> {
    use rayon::prelude::*;
    let starts = crate::parts::line_part_starts(text.as_bytes(), part);
    let end_of = |k: usize| starts.get(k + 1).copied().unwrap_or(usize::MAX);
    let blank_lines = OnceLock::new();
    let record = points.is_some();
    type Part<'a> = (Pairing<'a>, Vec<(usize, usize)>, Vec<Range<usize>>);
    let parts: Vec<Part> = (0..starts.len())
        .into_par_iter()
        .map(|k| {
            let from = starts[k];
            let mut pairing = Pairing::new(text, Vec::new(), &blank_lines, from);
            let mut fresh = Vec::new();
            let mut own_points = Vec::new();
            let mut recorder = PointRecorder::new(&mut own_points);
            pairing.run_lines(from, end_of(k), &mut |at| {
                if k > 0 && fresh.len() < FRESH_POINTS {
                    fresh.push((at.at, at.found));
                }
                if record {
                    recorder.fresh(at);
                }
                false
            });
            (pairing, fresh, own_points)
        })
        .collect();
    let mut parts = parts.into_iter().enumerate();
    let (_, (mut pairing, _, first_points)) = parts.next()?;
    let mut out = std::mem::take(findings);
    out.append(&mut pairing.findings);
    if let Some(points) = points.as_deref_mut() {
        points.extend(first_points);
    }
    for (k, (mut own, fresh, own_points)) in parts {
        let mut next = 0;
        let mut carried_points = Vec::new();
        let mut recorder = PointRecorder::new(&mut carried_points);
        // What the carried pairing had read when the two met.
        let mut met_reach = 0;
        let met = pairing.run_lines(starts[k], end_of(k), &mut |at| {
            while fresh.get(next).is_some_and(|&(f, _)| f < at.at) {
                next += 1;
            }
            let met = fresh.get(next).is_some_and(|&(f, _)| f == at.at);
            if met {
                met_reach = at.reach;
            } else if record {
                recorder.fresh(at);
            }
            met
        });
        out.append(&mut pairing.findings);
        if let Some(points) = points.as_deref_mut() {
            points.extend(carried_points);
            let from = met.unwrap_or(usize::MAX);
            let own = own_points.into_iter().filter(|p| p.start >= from);
            points.extend(own.map(|p| p.start..p.end.max(met_reach)));
        }
        if let Some(at) = met {
            let i = fresh.partition_point(|&(f, _)| f < at);
            out.extend(own.findings.drain(fresh[i].1..));
            own.findings.clear();
            pairing = own;
        }
    }
    pairing.report_unclosed(0, Ending::Text);
    out.append(&mut pairing.findings);
    *findings = out;
    if let Some(points) = points {
        // Each point's reach is the furthest of those before it.
        let mut reach = 0;
        for p in points.iter_mut() {
            reach = reach.max(p.end);
            p.end = reach;
        }
    }
    blank_lines.get().copied()
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
    /// A straight `"` between a letter and a contraction's rest (`they"re`):
    /// an apostrophe keyed as `"`. Not paired; flagged where it stands.
    ApostropheAsQuote,
    /// A `“` shaped like a closer (after a word or punctuation, before a
    /// space, punctuation or the end): closes German `„…“`, otherwise closes
    /// the open `“` quotation and is flagged as a reversed mark.
    OpenerAsCloser,
    /// `′` after a digit and before `s` + non-letter (`1970′s`): a prime
    /// keyed by WordPress for an apostrophe; repaired, not paired.
    PrimeApostrophe,
    /// `”` glued after a word or punctuation and before a word (`.”What`):
    /// closes an open quotation; with none open and a closer following on
    /// the line it is an opener typed as a closer (flagged, then paired as an
    /// opener); otherwise a stray closer.
    CloserBeforeWord,
    /// `″` (`′`) after a digit: closes the innermost open `“` (`‘`) quotation
    /// when that has no other closer (then it is repaired to `”`, `’`);
    /// otherwise a measurement mark.
    DoublePrime,
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
    /// The next double-quote mark on the line opens a quotation (decides
    /// whether a `'` closes a `"` quotation, [`MISMATCHED_PAIR`]).
    double_opener_follows: bool,
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
    /// Where the opener's line starts.
    line: usize,
    /// Where the first child's line starts.
    first_child_line: usize,
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
    findings: Vec<Finding>,
    stack: Vec<Opened>,
    /// Per [`Kind`], the index of the innermost open quotation of that kind.
    last_of_kind: [Option<usize>; 4],
    /// End and glyph of the last mark that closed a quotation.
    last_close: Option<(usize, char)>,
    marks: Vec<Mark>,
    /// Lazily computed: whether the text separates paragraphs by blank lines
    /// (shared by the pairings of the parts of one text).
    blank_line_paragraphs: &'a OnceLock<bool>,
    /// Whether a blank line came since the last non-blank line.
    saw_blank: bool,
    /// Marks before this byte are inside a tag that began on an earlier line.
    skip_until: usize,
    /// Where the current line starts.
    line: usize,
    /// Where the last non-blank line ends.
    prev_line_end: usize,
    /// The document's trigger bytes not yet reached.
    triggers: Triggers<'a>,
    /// Where the line starts that continues a line of script or data ending
    /// with a `\` (so it is code too).
    code_continues_at: Option<usize>,
    /// No decision so far read a byte at or after this (see [`Resume`]):
    /// the pairing reads each line it visits through its line feed, and
    /// looks further ahead only for tags, `` ``…'' `` quotations and
    /// quotations running over short lines, which move this on.
    reach: usize,
}

/// A line start where a pairing is fresh ([`Pairing::is_fresh`]).
#[derive(Debug, Clone, Copy)]
struct Fresh {
    /// The line start.
    at: usize,
    /// How many findings the pairing had there.
    found: usize,
    /// What it decided before `at` read no byte at or after this
    /// ([`Pairing::reach`], at least `at`).
    reach: usize,
}

impl<'a> Pairing<'a> {
    /// A fresh pairing of `text` from the line start `from`, adding to
    /// `findings`.
    fn new(
        text: &'a str,
        findings: Vec<Finding>,
        blank_line_paragraphs: &'a OnceLock<bool>,
        from: usize,
    ) -> Self {
        Pairing {
            text,
            findings,
            stack: Vec::new(),
            last_of_kind: [None; 4],
            last_close: None,
            marks: Vec::new(),
            blank_line_paragraphs,
            saw_blank: false,
            skip_until: 0,
            line: 0,
            prev_line_end: 0,
            triggers: Triggers::starting_at(text.as_bytes(), from),
            code_continues_at: None,
            reach: from,
        }
    }

    /// Pairs the whole text and reports what is left open at its end,
    /// adding where it was fresh to `points` (see [`Resume`]) when given.
    fn run(&mut self, points: Option<&mut Vec<Range<usize>>>) {
        let mut record = points.map(PointRecorder::new);
        self.run_lines(0, usize::MAX, &mut |fresh| {
            if let Some(record) = record.as_mut() {
                record.fresh(fresh);
            }
            false
        });
        self.report_unclosed(0, Ending::Text);
    }

    /// Whether nothing of what came before the line starting at `line`
    /// reaches into it: no quotation is open, no tag goes on into it and it
    /// does not continue a code line. (The other state is set anew by the
    /// lines before it is read: the end of the last non-blank line and
    /// whether a blank line came are read only while a quotation is open,
    /// and the last closer is compared only with marks on its own line.)
    fn is_fresh(&self, line: usize) -> bool {
        self.stack.is_empty() && self.skip_until <= line && self.code_continues_at != Some(line)
    }

    /// Pairs the lines that start in `from..to` (`from` a line start; the
    /// first lines without a mark may be skipped), calling `fresh_at` with
    /// each line start it comes to in a fresh state ([`is_fresh`]). Stops
    /// before that line, returning it, when `fresh_at` says so; else returns
    /// `None` at `to` or the text's end.
    fn run_lines(
        &mut self,
        from: usize,
        to: usize,
        fresh_at: &mut dyn FnMut(Fresh) -> bool,
    ) -> Option<usize> {
        let bytes = self.text.as_bytes();
        let mut line_start = from;
        loop {
            if self.stack.is_empty() {
                // Nothing is open: a line without a trigger byte changes no
                // state, so go straight to the line of the next trigger. (The
                // lines skipped would only set `saw_blank` and
                // `prev_line_end`, which are read only while a quotation is
                // open, and the next non-blank line sets them anew.)
                let next = self.triggers.peek()?;
                if next > line_start {
                    line_start = memchr::memrchr(b'\n', &bytes[line_start..next])
                        .map_or(line_start, |p| line_start + p + 1);
                }
            }
            if line_start >= to {
                return None;
            }
            if self.is_fresh(line_start) {
                let fresh = Fresh {
                    at: line_start,
                    found: self.findings.len(),
                    reach: self.reach.max(line_start),
                };
                if fresh_at(fresh) {
                    return Some(line_start);
                }
            }
            let line_end =
                memchr(b'\n', &bytes[line_start..]).map_or(bytes.len(), |p| line_start + p);
            // What is decided on this line may read the character after it.
            self.reach = self.reach.max(line_end + 1);
            let content = content_start(bytes, line_start, line_end);
            if content == line_end {
                self.saw_blank = true;
                self.triggers.skip_before(line_end); // spaces such as U+00A0
            } else {
                self.line = line_start;
                self.collect_marks(content, line_end);
                let consumed = if self.stack.is_empty() {
                    0
                } else {
                    self.paragraph_start(content, self.saw_blank)
                };
                for i in consumed..self.marks.len() {
                    let mark = self.marks[i];
                    self.resolve(mark);
                }
                self.saw_blank = false;
                self.prev_line_end = line_end;
            }
            if line_end == bytes.len() {
                return None;
            }
            line_start = line_end + 1;
        }
    }

    /// Collects the marks of one line, with their classes and look-ahead,
    /// visiting only its trigger bytes, taken off the document's stream.
    fn collect_marks(&mut self, start: usize, end: usize) {
        self.marks.clear();
        if self.triggers.peek().is_none_or(|at| at >= end) {
            return; // no mark, no tag, no code span
        }
        let bytes = self.text.as_bytes();
        let skip_before = self.skip_until;
        // A tag that began on an earlier line may still be open.
        let mut i = start.max(self.skip_until);
        // Script or JSON left in scraped text: its quotes are code. Every code
        // marker holds a straight quote or needs one in the line, and every
        // straight quote is a trigger: the markers at a quote are checked
        // there, the others only in a line with a straight quote (below).
        let mut straight = false;
        let mut code = false;
        // A line continuing a code line that ended with `\` (JSON wrapped in
        // an RFC), and curled attribute quotes (`[button link=”…”]`).
        let continued = self.code_continues_at == Some(self.line);
        let mut curled_attribute = false;
        // Found when a trigger needs them: most lines have none.
        let mut escaped = None;
        let mut next_escaped = 0;
        while let Some(at) = self.triggers.next_before(end) {
            if at < start {
                continue; // in the line's leading whitespace
            }
            if matches!(bytes[at], b'"' | b'\'') {
                straight = true;
                code = code || is_code_at_quote(&bytes[start..end], at - start);
            } else if bytes[at] == 0xE2 && at > start && bytes[at - 1] == b'=' {
                curled_attribute =
                    curled_attribute || matches!(decode_mark(bytes, at), Some(('“' | '”', 3)));
            }
            if at < i {
                continue; // inside a code span, a tag or a mark already taken
            }
            i = at;
            let b = bytes[i];
            // The apostrophe of `don't` or `don’t` (most marks in English
            // text) between two ASCII letters or digits: `classify` would
            // call it `Ignore`, which pairs nothing and stops no look-ahead,
            // so it is not collected at all (nor would it be in a tag).
            let len = match b {
                b'\'' => 1,
                0xE2 if bytes.get(i + 1..i + 3) == Some(&[0x80, 0x99]) => 3,
                _ => 0,
            };
            if len > 0
                && i > start
                && bytes[i - 1].is_ascii_alphanumeric()
                && bytes.get(i + len).is_some_and(u8::is_ascii_alphanumeric)
            {
                i += len;
                continue;
            }
            // Inside an entity-escaped tag (`&lt;span class="lead"&gt;`).
            let escaped = escaped.get_or_insert_with(|| escaped_tags(bytes, start, end));
            while escaped.get(next_escaped).is_some_and(|r| r.end <= i) {
                next_escaped += 1;
            }
            if let Some(r) = escaped.get(next_escaped).filter(|r| r.start <= i) {
                i = r.end;
                continue;
            }
            match b {
                b'`' if {
                    // It may look for its `''` over the next lines.
                    self.reach = self.reach.max(bytes.len().min(i + 2 + TAG_LIMIT));
                    is_double_backtick_quote(bytes, i, end)
                } =>
                {
                    // ``…'' (LaTeX and old wire copy): an opening double quote.
                    self.marks.push(Mark {
                        start: i,
                        end: i + 2,
                        glyph: '"',
                        kind: Kind::Double,
                        class: Class::Open,
                        closer_follows: false,
                        double_opener_follows: false,
                    });
                    i += 2;
                    continue;
                }
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
                    if next.is_ascii_alphabetic() || next == b'/' || next == b'!' {
                        // The tag may go on over the next lines.
                        self.reach = self.reach.max(bytes.len().min(i + TAG_LIMIT));
                        match tag_end(bytes, i, end) {
                            Some(gt) if gt < end => {
                                i = gt + 1;
                                continue;
                            }
                            Some(gt) => {
                                // The tag goes on over the next lines
                                // (`<img\n  alt="…">`): skip to its end
                                // (the rest of this line's triggers are
                                // only looked at for code markers).
                                self.skip_until = gt + 1;
                                i = end;
                                continue;
                            }
                            None => {}
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
                double_opener_follows: false,
            });
            i += len;
        }
        let quoted = straight || !self.marks.is_empty();
        let continues = bytes[start..end].trim_ascii_end().ends_with(b"\\");
        // Taking the line for code below changes nothing when it has no
        // mark, no tag began on it and it does not end with a `\`: then
        // the markers without a quote (several searches) are not looked for.
        let code_matters = !self.marks.is_empty() || self.skip_until != skip_before || continues;
        if continued
            || curled_attribute
            || (straight
                && (code || (code_matters && has_code_marker_without_quote(&bytes[start..end]))))
        {
            if quoted && continues {
                self.code_continues_at = Some(end + 1);
            }
            self.marks.clear();
            self.skip_until = skip_before;
            return;
        }
        // Backwards: for each mark, is the next mark of its kind a closer?
        let mut next_is_closer = [false; 4];
        let mut next_double_opens = false;
        for mark in self.marks.iter_mut().rev() {
            let k = mark.kind.index();
            mark.closer_follows = next_is_closer[k];
            mark.double_opener_follows = next_double_opens;
            if mark.kind == Kind::Double && mark.class != Class::Ignore {
                next_double_opens = matches!(mark.class, Class::Open | Class::HighDouble);
            }
            match mark.class {
                Class::Close
                | Class::WeakClose
                | Class::OpenerAsCloser
                | Class::CloserBeforeWord => next_is_closer[k] = true,
                Class::Ignore
                | Class::ApostropheAsQuote
                | Class::PrimeApostrophe
                | Class::DoublePrime => {}
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
        if reopened == 0
            && !saw_blank
            && (self.blank_line_paragraphs()
                || self.looks_wrapped(content)
                || self.closes_in_short_lines(content))
        {
            return 0; // a hard-wrapped line inside one paragraph
        }
        // A paragraph break: straight `'` openers end silently, re-opened
        // levels take their new opener, the others are unclosed.
        self.stack.retain(|o| !o.weak);
        for (level, mark) in self.marks[..reopened].iter().enumerate() {
            let o = &mut self.stack[level];
            o.start = mark.start;
            o.line = self.line;
            o.end = mark.end;
            o.closed_children = 0;
            o.reopened = true;
        }
        self.rebuild_index();
        self.report_unclosed(reopened, Ending::Paragraph);
        reopened
    }

    /// Whether the line starting at `content` continues the line before it
    /// (hard-wrapped text in a file without blank lines, such as a mailing
    /// list or an RFC kept in `<pre>`): that line ends mid-sentence (a letter,
    /// digit, comma, colon, semicolon or hyphen, not a sentence end; also
    /// behind a closing quote, `THOSE ‘IN CHARGE’`) and this one starts with a
    /// letter or digit; or this one starts with a lower-case letter and that
    /// one did not end a sentence (`Revolution …` / `or you’re Toast.”`); or
    /// that one ends with a `\` line continuation (JSON wrapped in an RFC).
    fn looks_wrapped(&self, content: usize) -> bool {
        let before = self.text[..self.prev_line_end].trim_end();
        if before.ends_with('\\') {
            return true;
        }
        let last = before
            .trim_end_matches(['’', '”', '\'', '"', '»', '›'])
            .chars()
            .next_back();
        let ends_mid_sentence =
            last.is_some_and(|c| c.is_alphanumeric() || matches!(c, ',' | '-' | ';' | ':'));
        let first = self.text[content..].chars().next();
        let ends_sentence = last.is_some_and(|c| matches!(c, '.' | '!' | '?'));
        (ends_mid_sentence && first.is_some_and(|c| c.is_alphanumeric() || matches!(c, '[' | '(')))
            || (!ends_sentence && first.is_some_and(char::is_lowercase))
    }

    /// Whether the innermost open quotation goes on over a run of short lines
    /// and closes in them (verse, a hard-wrapped list or letter in a file
    /// without blank lines: `"We will not have great questions decided…` /
    /// `For caresses and applause.` / `Our sons shall not…theirs."`): the
    /// line that ended inside it and the next lines, up to the one with its
    /// closer, are at most [`SHORT_LINE`] characters, no blank line comes
    /// between, the first mark of its kind in them closes it, and it spans
    /// three lines or more (two lines are judged as two paragraphs). Looks at
    /// most [`SHORT_RUN`] lines ahead.
    fn closes_in_short_lines(&mut self, content: usize) -> bool {
        let Some(open) = self.stack.iter().rev().find(|o| !o.weak).copied() else {
            return false;
        };
        let bytes = self.text.as_bytes();
        let prev_start = memchr::memrchr(b'\n', &bytes[..self.prev_line_end]).map_or(0, |p| p + 1);
        if !is_short(&self.text[prev_start..self.prev_line_end]) {
            return false;
        }
        let mut start = content;
        for n in 0..SHORT_RUN {
            let end = memchr(b'\n', &bytes[start..]).map_or(bytes.len(), |p| start + p);
            self.reach = self.reach.max(end + 1);
            let from = content_start(bytes, start, end);
            if from == end || !is_short(&self.text[from..end]) {
                return false;
            }
            let mut next = from;
            for at in Triggers::new(&bytes[from..end]).map(|p| from + p) {
                if at < next {
                    continue;
                }
                let Some((glyph, len)) = decode_mark(bytes, at) else {
                    continue;
                };
                next = at + len;
                let (kind, class) = classify(self.text, at, at + len, glyph);
                if kind != open.kind || matches!(class, Class::Ignore | Class::ApostropheAsQuote) {
                    continue;
                }
                let closes = matches!(
                    class,
                    Class::Close
                        | Class::Either
                        | Class::CloserBeforeWord
                        | Class::OpenerAsCloser
                        | Class::Guillemet {
                            right_flanking: true,
                            ..
                        }
                );
                return closes && (n > 0 || open.line < prev_start);
            }
            if end == bytes.len() {
                return false;
            }
            start = end + 1;
        }
        false
    }

    fn blank_line_paragraphs(&mut self) -> bool {
        *self
            .blank_line_paragraphs
            .get_or_init(|| has_blank_line_between_content(self.text.as_bytes()))
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
            Class::ApostropheAsQuote | Class::PrimeApostrophe => self.report_misused(mark),
            Class::OpenerAsCloser => match nearest {
                Some(k) if self.stack[k].glyph == '„' => self.pop_to(k, mark),
                Some(k) => {
                    self.report_misused(mark);
                    self.pop_to(k, mark);
                }
                None => self.report_misused(mark),
            },
            Class::DoublePrime => {
                let top = self.stack.len().checked_sub(1);
                let opener = if mark.glyph == '′' { '‘' } else { '“' };
                if top.is_some()
                    && top == nearest
                    && self.stack[top.unwrap_or(0)].glyph == opener
                    && !mark.closer_follows
                {
                    self.report_misused(mark);
                    self.pop_to(top.unwrap_or(0), mark);
                }
            }
            Class::Open => self.push(mark, false),
            Class::WeakOpen => self.push(mark, true),
            Class::Close if nearest.is_none() && self.closes_double_quotation(mark) => {
                self.report_mismatched(mark)
            }
            Class::Close => self.close(mark),
            Class::CloserBeforeWord => match nearest {
                Some(k) => self.pop_to(k, mark),
                None if mark.closer_follows => {
                    self.findings.push(Finding::flag(
                        CLOSER_AS_OPENER,
                        mark.start,
                        mark.end,
                        "`”` stands where the opening mark belongs (before the quoted words, \
                         with nothing open): it probably should be `“`",
                    ));
                    self.push(mark, false);
                }
                None => self.stray(mark),
            },
            Class::SwedishOpen => match nearest {
                Some(k) => self.pop_to(k, mark),
                None => self.push(mark, false),
            },
            Class::WeakClose if nearest.is_none() && self.closes_double_quotation(mark) => {
                self.report_mismatched(mark)
            }
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
                Some(k) if after_word && self.closes_single_quotation(k, mark) => {
                    self.findings.push(Finding::flag(
                        OPENER_AS_CLOSER,
                        mark.start,
                        mark.end,
                        "`‘` stands where the closing mark belongs (after the quoted words): \
                         it probably should be `’`",
                    ));
                    self.pop_to(k, mark);
                }
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

    /// Whether a straight `'` in closing position closes the innermost open
    /// quotation although that one was opened with a straight `"` on this
    /// line ([`MISMATCHED_PAIR`]) at most [`TAG_LIMIT`] bytes before: no `'`
    /// quotation is open (the caller checks), the next `"` on the line opens
    /// another quotation, no
    /// backtick stands between (`` `Erebus' `` is a quotation of its own),
    /// and the `'` does not end a plural possessive (`boys'`) or a dropped g
    /// (`goin'`).
    fn closes_double_quotation(&self, mark: Mark) -> bool {
        let Some(top) = self.stack.last() else {
            return false;
        };
        let word = self.text[..mark.start]
            .rsplit(|c: char| !c.is_alphabetic())
            .next()
            .unwrap_or("");
        mark.glyph == '\''
            && top.glyph == '"'
            && !top.weak
            && top.line == self.line
            && mark.double_opener_follows
            && !word.ends_with(['s', 'S'])
            && !word.to_lowercase().ends_with("in")
            // Bounded, so that many `'` after one `"` cost linear time.
            && mark.start - top.end <= TAG_LIMIT
            && memchr(b'`', &self.text.as_bytes()[top.end..mark.start]).is_none()
    }

    /// Whether the opener at `start` follows a colon (`…stern judgment: "They
    /// that…"`): a colon introduces a complete quotation.
    fn introduced_by_colon(&self, start: usize) -> bool {
        self.text[..start]
            .trim_end_matches([' ', '\u{a0}'])
            .ends_with(':')
    }

    /// Whether a `‘` typed after a word closes the `‘` quotation at `k`
    /// (`‘The Medium is the Message‘, the famous`): that quotation is the
    /// innermost, the mark follows a letter and stands before a space,
    /// punctuation or the end, and no other closer of the kind follows on
    /// the line before the next opener.
    fn closes_single_quotation(&self, k: usize, mark: Mark) -> bool {
        let prev = self.text[..mark.start].chars().next_back();
        let next = self.text[mark.end..].chars().next();
        k + 1 == self.stack.len()
            && self.stack[k].glyph == '‘'
            && is_alnum(prev)
            && closes_before(next)
            && !is_alnum(next)
            && !mark.closer_follows
    }

    /// Reports a `'` that closes a `"` quotation and closes it.
    fn report_mismatched(&mut self, mark: Mark) {
        self.findings.push(Finding::flag(
            MISMATCHED_PAIR,
            mark.start,
            mark.end,
            "`'` closes a quotation opened with `\"`: one of the two marks is the wrong kind",
        ));
        let top = self.stack.len() - 1;
        self.pop_to(top, mark);
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
                top.line = self.line;
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
            line: self.line,
            first_child_line: 0,
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
            None => {
                let flagged = self.findings.len();
                self.stray(mark);
                // `…concessions." Excluding … accepted," Erekat said`: a stray
                // straight `"` before a space, followed by another closer on
                // the line, is an opener with its space on the wrong side
                // (a straight quote's direction is read from its spacing). It
                // is reported here, and opens for pairing so the later,
                // correct closer is not reported too. A curly `”` says its
                // direction itself: each stray one is reported.
                let reported = self
                    .findings
                    .get(flagged)
                    .is_some_and(|f| f.rule == UNOPENED && f.fix.is_none());
                let prev = self.text[..mark.start].chars().next_back();
                let next = self.text[mark.end..].chars().next();
                if reported
                    && mark.glyph == '"'
                    && mark.end - mark.start == 1
                    && !prev.is_some_and(is_quote)
                    && next.is_some_and(char::is_whitespace)
                    && mark.closer_follows
                {
                    self.push(mark, false);
                }
            }
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
                    parent.first_child_line = closed.line;
                    parent.first_child_reopened = closed.reopened;
                }
                parent.closed_children += 1;
            }
        }
        self.last_close = Some((mark.end, mark.glyph));
    }

    /// Whether the guillemet at `start..end` is a navigation arrow.
    ///
    /// A spaced `«` or `‹` after a colon glued to its word (`Previous Post: «
    /// Almond Cookies`) is an arrow too: French, whose quotations are spaced
    /// inside the guillemets, also spaces the colon (`dit : « Je…`).
    fn is_arrow_at(&self, start: usize, end: usize, glyph: char) -> bool {
        let prev = self.text[..start].chars().next_back();
        let next = self.text[end..].chars().next();
        let after_english_colon = || {
            let before = self.text[..start].trim_end_matches([' ', '\u{a0}', '\u{202f}']);
            before.len() < start
                && before
                    .strip_suffix(':')
                    .is_some_and(|b| b.chars().next_back().is_some_and(char::is_alphanumeric))
        };
        matches!(glyph, '«' | '»' | '‹' | '›')
            && (is_arrow(glyph, prev, next)
                || (matches!(glyph, '«' | '‹') && is_space(next) && after_english_colon()))
    }

    /// A mark whose kind of use is wrong where it stands: an apostrophe keyed
    /// as `"`, a `“` typed for a closer, a WordPress prime.
    fn report_misused(&mut self, mark: Mark) {
        let finding = match mark.class {
            Class::ApostropheAsQuote => Finding::flag(
                APOSTROPHE_AS_QUOTE,
                mark.start,
                mark.end,
                "`\"` inside a word is probably an apostrophe keyed as a double quote \
                 (`they\"re` → `they're`); not treated as a quotation mark",
            ),
            Class::OpenerAsCloser => Finding::flag(
                OPENER_AS_CLOSER,
                mark.start,
                mark.end,
                "`“` stands where the closing mark belongs (after the quoted words): \
                 it probably should be `”`",
            ),
            Class::PrimeApostrophe => Finding::fixed(
                WORDPRESS_PRIME,
                mark.start,
                mark.end,
                "prime `′` after a number where an apostrophe belongs (WordPress \
                 texturize damage): `′` → `’`",
                Fix::safe([Edit::replace(mark.start, mark.end, "’")]),
            ),
            _ if mark.glyph == '′' => Finding::fixed(
                WORDPRESS_PRIME,
                mark.start,
                mark.end,
                "prime `′` after a number closes a `‘` quotation (WordPress texturize \
                 damage): `′` → `’`",
                Fix::safe([Edit::replace(mark.start, mark.end, "’")]),
            ),
            _ => Finding::fixed(
                WORDPRESS_PRIME,
                mark.start,
                mark.end,
                "double prime `″` after a number closes a `“` quotation (WordPress \
                 texturize damage): `″` → `”`",
                Fix::safe([Edit::replace(mark.start, mark.end, "”")]),
            ),
        };
        self.findings.push(finding);
    }

    /// A closer with nothing of its kind open.
    fn stray(&mut self, mark: Mark) {
        if mark.kind == Kind::Single || self.is_arrow_at(mark.start, mark.end, mark.glyph) {
            return; // indistinguishable from an apostrophe, or an arrow
        }
        // `””` right after a close: the second has no partner. Not in a longer
        // run (`”””` has two extras; collapsing one would not restore balance).
        if mark.glyph == '”'
            && mark.end - mark.start == 3
            && self.text[..mark.start].ends_with('”')
            && self.last_close == Some((mark.start, '”'))
            && !self.text[mark.end..].starts_with('”')
        {
            self.findings.push(Finding::fixed(
                KEYING_DOUBLE,
                mark.start,
                mark.end,
                "doubled closing quotation mark `””` with only one opener: keep one",
                Fix::safe([Edit::delete(mark.start, mark.end)]),
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
            let arrow = ending != Ending::Outer && self.is_arrow_at(o.start, o.end, o.glyph);
            if o.weak || shadowed[i - from] || arrow {
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
            } else if o.closed_children == 1
                && (o.first_child_line != o.line || self.introduced_by_colon(o.first_child.0))
            {
                // The one closer closed a quotation opened on a later line, or
                // one a colon introduced (`Franklin's judgment: "They that…"`):
                // that one is complete, the outer one is the unclosed one.
                Finding::flag(
                    UNCLOSED,
                    o.start,
                    o.end,
                    format!(
                        "`{}` is never closed: the one closer that follows closes {}",
                        o.glyph,
                        if o.first_child_line != o.line {
                            "a quotation opened on a later line"
                        } else {
                            "the quotation a colon introduces after it"
                        }
                    ),
                )
            } else if o.closed_children == 1 {
                let (cs, ce) = o.first_child;
                if o.glyph == '“'
                    && o.end - o.start == 3
                    && o.end == cs
                    && &self.text[cs..ce] == "“"
                    && !o.first_child_reopened
                {
                    Finding::fixed(
                        KEYING_DOUBLE,
                        cs,
                        ce,
                        "doubled opening quotation mark `““` with only one closer: keep one",
                        Fix::safe([Edit::delete(cs, ce)]),
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

/// The bytes that start a mark (`"`, `'`, the lead bytes 0xE2 of `“”‘’„‚‹›`
/// and 0xC2 of `«»`) or a span whose marks are skipped (`` ` ``, `<`).
static TRIGGER_BYTES: ByteSet<6> = ByteSet::new([b'"', b'\'', 0xE2, b'`', b'<', 0xC2]);

/// The positions, in order, of the [`TRIGGER_BYTES`]: text between triggers
/// is never looked at byte by byte. They are found 64 bytes at a time (see
/// [`ByteSet`]), a block only when the triggers before it are taken: a
/// pairing that stops early (a window of [`Pass::recheck_near`]) has read at
/// most a block past its last trigger.
struct Triggers<'h> {
    positions: Positions<'h, ByteSet<6>>,
    /// Test builds: yield every byte of a text this long instead (the
    /// per-byte scan the jumps are checked against), the next from here.
    #[cfg(test)]
    every_byte: Option<(usize, usize)>,
}

impl<'h> Triggers<'h> {
    fn new(haystack: &'h [u8]) -> Self {
        Self::starting_at(haystack, 0)
    }

    /// The triggers of `haystack` at or after `offset`.
    fn starting_at(haystack: &'h [u8], offset: usize) -> Self {
        Triggers {
            positions: TRIGGER_BYTES.positions(haystack, offset),
            #[cfg(test)]
            every_byte: None,
        }
    }

    /// Every byte of `haystack` as a trigger: the reference for tests.
    #[cfg(test)]
    fn every_byte(haystack: &'h [u8]) -> Self {
        let mut triggers = Self::new(haystack);
        triggers.every_byte = Some((0, haystack.len()));
        triggers
    }
}

impl Triggers<'_> {
    /// The next trigger, without taking it.
    #[inline]
    fn peek(&mut self) -> Option<usize> {
        #[cfg(test)]
        if let Some((next, len)) = self.every_byte {
            return (next < len).then_some(next);
        }
        self.positions.peek()
    }

    /// Takes the next trigger if it lies before `end`.
    fn next_before(&mut self, end: usize) -> Option<usize> {
        if self.peek()? < end {
            self.next()
        } else {
            None
        }
    }

    /// Drops the triggers before `end`.
    fn skip_before(&mut self, end: usize) {
        while self.next_before(end).is_some() {}
    }
}

impl Iterator for Triggers<'_> {
    type Item = usize;

    #[inline]
    fn next(&mut self) -> Option<usize> {
        #[cfg(test)]
        if let Some((next, len)) = self.every_byte.as_mut() {
            let at = (*next < *len).then_some(*next)?;
            *next += 1;
            return Some(at);
        }
        self.positions.next()
    }
}

/// Whether a line is script or data left in scraped text
/// (`document.write(", ")`, `hbx.mlc="/News";`, `{"url":"/x"}`): its quotes
/// are string delimiters, not quotation marks. It has a straight quote and one
/// of the markers `":"`, `","`, `":{`, `":[`, `");`, `"""`, `="`, `='`
/// (found at a quote by [`is_code_at_quote`]) or `=>`, `>>> `, `function(`,
/// `function (`, `document.write` ([`has_code_marker_without_quote`]).
/// The pass checks the first kind at the quotes it visits anyway, so a line
/// costs at most two SIMD scans more, and only when it has a straight quote.
#[cfg(test)]
fn looks_like_code(line: &[u8]) -> bool {
    let mut quotes = memchr::memchr2_iter(b'"', b'\'', line).peekable();
    quotes.peek().is_some()
        && (quotes.any(|q| is_code_at_quote(line, q)) || has_code_marker_without_quote(line))
}

/// Whether a code marker that holds a quote holds the straight quote at `q`
/// of `line`: `":"`, `","`, `":{`, `":[`, `");`, `"""` start there, `="`
/// and `='` end there.
fn is_code_at_quote(line: &[u8], q: usize) -> bool {
    if q > 0 && line[q - 1] == b'=' {
        return true;
    }
    let (Some(b'"'), Some(second), Some(third)) = (line.get(q), line.get(q + 1), line.get(q + 2))
    else {
        return false;
    };
    match second {
        b':' => matches!(third, b'"' | b'{' | b'['),
        b',' | b'"' => *third == b'"',
        b')' => *third == b';',
        _ => false,
    }
}

/// Whether `line` holds a code marker without a quote: `=>`, `>>> `,
/// `function(`, `function (` (found from their `=`, `>` or `(`, rare in
/// prose) or `document.write`.
fn has_code_marker_without_quote(line: &[u8]) -> bool {
    memchr::memchr3_iter(b'=', b'>', b'(', line).any(|p| match line[p] {
        b'=' => line.get(p + 1) == Some(&b'>'),
        b'>' => line[p..].starts_with(b">>> "),
        _ => line[..p].ends_with(b"function") || line[..p].ends_with(b"function "),
    }) || DOCUMENT_WRITE.find(line).is_some()
}

/// `document.write`, for [`has_code_marker_without_quote`], and `''`, `&lt;`,
/// `&gt;`: each searched with one searcher built once (building one costs
/// more than searching a line).
static DOCUMENT_WRITE: LazyLock<Finder<'static>> = LazyLock::new(|| Finder::new("document.write"));
static TWO_SINGLE_QUOTES: LazyLock<Finder<'static>> = LazyLock::new(|| Finder::new("''"));
static ESCAPED_LT: LazyLock<Finder<'static>> = LazyLock::new(|| Finder::new("&lt;"));
static ESCAPED_GT: LazyLock<Finder<'static>> = LazyLock::new(|| Finder::new("&gt;"));

/// Whether a guillemet between `prev` and `next` is a navigation arrow
/// rather than a quotation mark: web pages use `»`, `›`, `«`, `‹` for "more",
/// "back" and sub-menus (`Sports›‹`, `Miner miracle»`, `login «`, `[«]`,
/// `« Back to Home`). An unpaired one is not reported when it stands apart
/// (a `»`/`›` followed by a space, bracket, guillemet or the line's end; a
/// `«`/`‹` at the line's edge or against a bracket or guillemet; French
/// `dit : « Je` is a quotation). Glued into prose (`This is »not correct.`,
/// `not correct«`) it is still reported.
fn is_arrow(glyph: char, prev: Option<char>, next: Option<char>) -> bool {
    let apart = |c: Option<char>| {
        c.is_none_or(|c| c.is_whitespace() || matches!(c, '[' | ']' | '(' | ')' | '|'))
            || c.is_some_and(|c| matches!(c, '«' | '»' | '‹' | '›'))
    };
    if matches!(glyph, '»' | '›') {
        return apart(next);
    }
    // `«`, `‹`: French spacing (`dit : « Je …`) is a quotation; only at the
    // line's edge (`« Back`, `login «`) or against a bracket or another
    // guillemet (`[«]`, `›‹`) is it an arrow.
    let edge = |c: Option<char>| c.is_none_or(|c| c == '\n' || c == '\r');
    let space = |c: Option<char>| c.is_some_and(char::is_whitespace);
    let bracket = |c: Option<char>| {
        c.is_some_and(|c| matches!(c, '[' | ']' | '(' | ')' | '|' | '«' | '»' | '‹' | '›'))
    };
    (edge(prev) && space(next)) || (edge(next) && space(prev)) || bracket(prev) || bracket(next)
}

/// Whether the backtick at `i` starts ``…'' (two backticks, not three)
/// and a `''` follows on its line, or on the next lines before a blank line
/// (a quotation of several lines), within [`TAG_LIMIT`] bytes (so a line of
/// many backticks costs linear time), rather than a Markdown code span.
fn is_double_backtick_quote(bytes: &[u8], i: usize, end: usize) -> bool {
    if bytes.get(i + 1) != Some(&b'`')
        || bytes.get(i + 2).is_none_or(|b| *b == b'`')
        || (i > 0 && bytes[i - 1] == b'`')
    {
        return false;
    }
    let limit = bytes.len().min(i + 2 + TAG_LIMIT);
    if TWO_SINGLE_QUOTES
        .find(&bytes[i + 2..end.min(limit)])
        .is_some()
    {
        return true;
    }
    let window = &bytes[end.min(limit)..limit];
    TWO_SINGLE_QUOTES.find(window).is_some_and(|q| {
        let lines = &window[..q];
        memchr::memmem::find(lines, b"\n\n").is_none()
            && memchr::memmem::find(lines, b"\n\r\n").is_none()
    })
}

/// How far (in bytes) a tag may run past its first line.
pub(crate) const TAG_LIMIT: usize = 4096;

/// The longest line (in characters) of verse or hard-wrapped text that a
/// quotation may run over ([`Pairing::closes_in_short_lines`]).
const SHORT_LINE: usize = 120;

/// How many lines ahead a quotation running over short lines may close.
const SHORT_RUN: usize = 12;

/// Whether `line` has at most [`SHORT_LINE`] characters.
fn is_short(line: &str) -> bool {
    line.trim_end().chars().nth(SHORT_LINE).is_none()
}

/// The `>` that ends the HTML tag whose `<` is at `lt` (the line ends at
/// `line_end`): the first `>` before any other `<`. A tag may go on over
/// the next lines (`<img\n alt="…">`) when its first line has an attribute
/// (`=`), up to [`TAG_LIMIT`] bytes and never across a blank line. Each search
/// stops at the next `<`, so the searches of one text never overlap: linear.
fn tag_end(bytes: &[u8], lt: usize, line_end: usize) -> Option<usize> {
    let limit = bytes.len().min(lt + TAG_LIMIT);
    let mut from = lt + 1;
    while let Some(p) = memchr::memchr3(b'>', b'<', b'\n', &bytes[from..limit]) {
        let at = from + p;
        match bytes[at] {
            b'>' => return Some(at),
            b'<' => return None,
            _ => {
                if at == line_end && memchr(b'=', &bytes[lt..line_end]).is_none() {
                    return None;
                }
                let next_line = at + 1;
                let next_end =
                    memchr(b'\n', &bytes[next_line..limit]).map_or(limit, |q| next_line + q);
                if content_start(bytes, next_line, next_end) == next_end {
                    return None; // a blank line: no tag runs across paragraphs
                }
                from = next_line;
            }
        }
    }
    None
}

/// The entity-escaped tags of one line (`&lt;span class="lead"&gt;`, as
/// scraped pages show markup): from `&lt;` + a tag name (or `/`, `!`) to the
/// next `&gt;` before any other `&lt;`. Their quotes are markup, not prose.
fn escaped_tags(bytes: &[u8], start: usize, end: usize) -> Vec<std::ops::Range<usize>> {
    let line = &bytes[start..end];
    let mut tags = Vec::new();
    // Most lines have no `&` at all: one byte is found faster than the word.
    if memchr(b'&', line).is_none() || ESCAPED_LT.find(line).is_none() {
        return tags;
    }
    let opens: Vec<usize> = ESCAPED_LT.find_iter(line).collect();
    let mut closes = ESCAPED_GT.find_iter(line).peekable();
    for (n, &lt) in opens.iter().enumerate() {
        let name = line.get(lt + 4).copied().unwrap_or(b' ');
        if !(name.is_ascii_alphabetic() || name == b'/' || name == b'!') {
            continue;
        }
        while closes.peek().is_some_and(|&gt| gt < lt) {
            closes.next();
        }
        let next_open = opens.get(n + 1).copied().unwrap_or(line.len());
        if let Some(&gt) = closes.peek().filter(|&&gt| gt < next_open) {
            tags.push(start + lt..start + gt + 4);
        }
    }
    tags
}

/// The quotation mark at `i`, if any, and its length in bytes.
fn decode_mark(bytes: &[u8], i: usize) -> Option<(char, usize)> {
    match bytes[i] {
        b'"' => Some(('"', 1)),
        // Two straight single quotes for a double one (`said. ''I …''`, as
        // old wire copy and LaTeX-trained writers type it).
        b'\'' if bytes.get(i + 1) == Some(&b'\'') => Some(('"', 2)),
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
                0xB2 => '′',
                0xB3 => '″',
                _ => return None,
            };
            // `‘‘…’’`: two curly single quotes for a double one (`‘‘Miami
            // Vice’’`, `“uncalled for’’`), as some newspapers set them.
            // Not before another mark (`‘…‘…’’”` closes two single quotations).
            let next_is_mark = bytes.get(i + 6).is_some_and(|b| matches!(b, b'"' | b'\''))
                || (bytes.get(i + 6) == Some(&0xE2) && decode_mark(bytes, i + 6).is_some());
            if matches!(c, '‘' | '’')
                && bytes.get(i + 3..i + 6) == bytes.get(i..i + 3)
                && !next_is_mark
            {
                return Some((if c == '‘' { '“' } else { '”' }, 6));
            }
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

fn is_alpha(c: Option<char>) -> bool {
    c.is_some_and(char::is_alphabetic)
}

/// A vulgar fraction (`½`, `¾`, `⅜`): `8 ½”` is eight and a half inches.
fn is_fraction(c: Option<char>) -> bool {
    c.is_some_and(|c| matches!(c, '¼' | '½' | '¾' | '\u{2150}'..='\u{215E}'))
}

/// Whether a `"` or `”` between `prev` and `next` is an inch mark: right
/// after a digit or a fraction (`a 10” pan`, `2-3” thick`, `8 ½”`), and not
/// followed by a letter or digit, except the `x` of a size (`12"x18"`).
fn is_inch_mark(prev: Option<char>, next: Option<char>) -> bool {
    (is_digit(prev) || is_fraction(prev))
        && next.is_none_or(|n| !n.is_alphanumeric() || matches!(n, 'x' | '×'))
}

/// A `"` after a digit and before a dimension letter (`30"H x 21"D`, `12"W`)
/// that ends its word: an inch mark too.
fn is_inch_before_dimension(text: &str, start: usize, end: usize) -> bool {
    let prev = text[..start].chars().next_back();
    let mut rest = text[end..].chars();
    is_digit(prev) && matches!(rest.next(), Some('H' | 'W' | 'D' | 'L')) && !is_alnum(rest.next())
}

/// Whether `rest` (the text after a mark inside a word) is the rest of an
/// English contraction or possessive: `s`, `t`, `re`, `ve`, `ll`, `d`, `m`,
/// then a non-letter.
fn is_contraction_rest(rest: &str) -> bool {
    let len = rest
        .char_indices()
        .find(|(_, c)| !c.is_alphabetic())
        .map_or(rest.len(), |(i, _)| i);
    let word = &rest[..len];
    ["s", "t", "re", "ve", "ll", "d", "m"]
        .iter()
        .any(|w| word.eq_ignore_ascii_case(w))
}

/// Whether `rest` is a lone `s` ending a word (`1970′s`, `80′s,`).
fn is_plural_s(rest: &str) -> bool {
    rest.starts_with('s') && !is_alnum(rest[1..].chars().next())
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
                        | '['
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
    if matches!(end - start, 2 | 6) && is_alnum(prev) && is_alnum(next) {
        return (Kind::Single, Class::Ignore); // `'Musical''s`: a quote and an apostrophe
    }
    match glyph {
        // `â€"`: a dash (`—`, `–`) garbled by an encoding error whose last
        // byte became a straight quote; not a quotation mark.
        '"' if text[..start].ends_with("â€") => (Kind::Double, Class::Ignore),
        '"' => {
            let class = if is_inch_mark(prev, next) || is_inch_before_dimension(text, start, end) {
                Class::WeakClose // 6.1", 20" wide: an inch mark unless it must close
            } else if is_alpha(prev) && is_contraction_rest(&text[end..]) {
                Class::ApostropheAsQuote
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
        // Korean particles and Chinese text follow a closing quote with no
        // space (`‘데이트 폭력’이라고`): there `’` closes, it is no apostrophe.
        '’' if !is_space(prev) && next.is_some_and(is_cjk) => (Kind::Single, Class::WeakClose),
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
        '“' if !opens_after(prev) && closes_before(next) && !is_alnum(next) => {
            (Kind::Double, Class::OpenerAsCloser)
        }
        '“' | '‟' => (Kind::Double, Class::HighDouble),
        '”' if is_inch_mark(prev, next) || is_inch_before_dimension(text, start, end) => {
            (Kind::Double, Class::WeakClose)
        }
        // `”…”` in Swedish and Finnish, and in Chinese text (`的”恐山症”竟然`,
        // where no space separates words).
        '”' if (opens_after(prev) || prev.is_some_and(is_cjk)) && is_alnum(next) => {
            (Kind::Double, Class::SwedishOpen)
        }
        '”' if is_alnum(next) => (Kind::Double, Class::CloserBeforeWord),
        '”' => (Kind::Double, Class::Close),
        '„' => (Kind::Double, Class::Open),
        '′' if is_digit(prev) && is_plural_s(&text[end..]) => {
            (Kind::Single, Class::PrimeApostrophe)
        }
        '″' if is_digit(prev) && !is_alnum(next) => (Kind::Double, Class::DoublePrime),
        // `‘Anything Past World War 2′ –`: the single prime may close a `‘`.
        '′' if is_digit(prev) && !is_alnum(next) => (Kind::Single, Class::DoublePrime),
        '′' | '″' => (Kind::Double, Class::Ignore),
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
    use proptest::prelude::*;

    use super::*;
    use crate::finding::apply_edits;
    use crate::passes::random_text;
    use crate::pipeline::EditShift;

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
    fn navigation_arrows_are_not_quotes() {
        assert_clean("Weather›‹\nBack To Main Menu");
        assert_clean("Transfer news»\nMatch reports»");
        assert_clean("sign in «\n« Older posts\nNext: [»] page two");
        // French spacing mid-line is a quotation, and an unclosed one is reported.
        assert_one("Paul a dit : « Je viendrai demain.", UNCLOSED, "«", 0);
        // Glued into prose they are still quotation marks.
        assert_one("It was »not fine.", UNCLOSED, "»", 0);
        assert_one("It was not fine«", UNOPENED, "«", 0);
    }

    #[test]
    fn two_single_quotes_are_a_double_quote() {
        assert_clean("''I saw the waves,'' he said. ''They were huge.''");
        assert_clean("a language called ``KiddiKomp'' (later ``miniCOM'') and `code`.");
        assert_clean("`` Object programming: a model of the world.'' [Madsen88]");
        assert_clean("the 'High School Musical''s star");
        assert_clean("the \"mental\" and \"physical'' aspects");
        assert_one("He said ''we will win.", UNCLOSED, "''", 0);
    }

    #[test]
    fn inch_marks_before_dimension_letters() {
        assert_clean("Bird bath, 30\"H x 21\"D, copper.");
        assert_clean("A 12”W shelf.");
    }

    #[test]
    fn wrapped_lines_that_stop_mid_sentence_continue() {
        assert_clean("I say “Tell it to Dell. Tell it to\nMicrosoft.” That was the slogan.");
        assert_clean(
            "   M. Jones, \"The OAuth 2.0 Framework:\n      Bearer Token Usage\", RFC 6750.",
        );
    }

    #[test]
    fn script_and_data_lines_are_not_prose() {
        assert_clean(">>> s = \"\"\" x = 1 \"\"");
        assert_clean("document.write(m + \", \") document.write(y)");
        assert_clean("s.page=\"News/Sport\";s.ch=\"x");
        assert_clean("{\"title\":\"A \"big\" day\",\"url\":\"/x");
        // An unclosed quotation in prose is still reported.
        assert_one("He said \"we won, 3-1.", UNCLOSED, "\"", 0);
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
    fn inch_marks_after_digits_and_fractions_are_neither_paired_nor_flagged() {
        assert_clean("A 13” laptop fits in a 15” sleeve.");
        assert_clean("Cut the boards 4-6” long and 7 ½” wide.");
        assert_clean("The 40\" set and the 50\"x30\" rug.");
        assert_clean("Frames: 8”x10”, 11×14”.");
        // An inch mark inside a quotation does not close it early.
        assert_clean("“My old 27” monitor died,” he wrote.");
        // They still close a quotation opened earlier in the paragraph.
        assert_clean("The “1812” overture and the \"99\" jersey.");
        // A stray curly closer after a word is still reported.
        assert_one("Sold out” the sign said 24”.", UNOPENED, "”", 0);
    }

    #[test]
    fn quotes_in_escaped_or_multi_line_markup_are_not_prose() {
        assert_clean("Shown as &lt;p class=\"note\"&gt;Hi&lt;/p&gt; in the feed.");
        assert_clean("&lt;a href='x' title=\"He said \"no\"\"&gt;link&lt;/a&gt;");
        assert_clean("Text.\n<a href=\"/one\"\n   title='Two \"three'>link</a>\nEnd.");
        // `&lt;` that starts no tag hides nothing.
        assert_one("if a &lt; b \"then", UNCLOSED, "\"", 0);
        // A tag never runs across a blank line, nor without an attribute.
        assert_one("a <b\n\nHe said \"hi.\n\nx>", UNCLOSED, "\"", 0);
        assert_one("use <T\nand \"more\nof it>", UNCLOSED, "\"", 0);
    }

    #[test]
    fn an_apostrophe_typed_as_a_double_quote_is_flagged_where_it_stands() {
        assert_one("We know it\"s late.", APOSTROPHE_AS_QUOTE, "\"", 0);
        // Not paired: the quotation around it is balanced.
        assert_one(
            "Tom said \"we\"ll see\" and left.",
            APOSTROPHE_AS_QUOTE,
            "\"",
            1,
        );
        assert_one("Ask Maria\"s brother.", APOSTROPHE_AS_QUOTE, "\"", 0);
        // Other letters after it are no contraction: ordinary pairing.
        assert_clean("the 5\"s and 6\"s");
    }

    #[test]
    fn an_opener_typed_for_a_closer_is_flagged_where_it_stands() {
        let text = "“We lost the toss,“ the captain said. “Then the match.”";
        assert_one(text, OPENER_AS_CLOSER, "“", 1);
        assert_one("He called it “a farce“.", OPENER_AS_CLOSER, "“", 1);
        assert_one("Nothing open here“ at all.", OPENER_AS_CLOSER, "“", 0);
        // German closers and ordinary openers are correct.
        assert_clean("Sie rief „Hilfe“ und lief.");
        assert_clean("He said: “Yes.” Then “no”.");
    }

    #[test]
    fn an_unclosed_quotation_is_reported_at_its_own_opener() {
        // Hard-wrapped paragraph: the later quotation is complete.
        let text = "Head\n\nShe said “the plan is dead\nand the “reform” is over.\n\nEnd.";
        assert_one(text, UNCLOSED, "“", 0);
        // On one line the inner opener is the questionable one (the seed's shape).
        assert_one("“We urge, taking “accounts for 1991.”", NESTED, "“", 1);
    }

    #[test]
    fn wordpress_primes_are_repaired() {
        assert_eq!(fixed("In the 1990′s, prices"), "In the 1990’s, prices");
        assert_eq!(fixed("the ’60′s."), "the ’60’s.");
        assert_eq!(fixed("the “737″ jet"), "the “737” jet");
        assert_clean(&fixed("the “737″ jet"));
        assert_eq!(fixed("He said “buy 2″ now”"), "He said “buy 2″ now”");
        // Measurements stay.
        for text in ["He is 6′1″.", "a 3′ x 5′ rug", "at 40° 26′ 46″ N"] {
            assert_eq!(fixed(text), text, "{text}");
        }
        let mut findings = Vec::new();
        Quotes::new().check("the 80′s", &mut findings);
        assert_eq!(findings[0].rule, WORDPRESS_PRIME);
        assert_eq!(
            findings[0].applicability(),
            crate::finding::Applicability::Safe
        );
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
    fn hard_wrapped_lines_continue_where_blank_lines_separate_paragraphs_or_mid_sentence() {
        assert_clean("Title\n\nHe said “this is a long\nquotation” today.\n\nNext paragraph.");
        // No blank lines: a line that ends mid-sentence and a next line that
        // starts in lowercase are one wrapped paragraph.
        assert_clean("He said “this is a long\nquotation” today.");
        assert_clean("The list said \"reply to all,\n2 days\" at most.");
        // A full stop and a capital make a new paragraph.
        let text = "He said “this is a long sentence.\nQuotation” today.";
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
    fn a_closer_typed_for_an_opener_is_flagged_where_it_stands() {
        let text = "The crowd went quiet.”Where is the bus?” shouted a man at the back.";
        assert_one(text, CLOSER_AS_OPENER, "”", 0);
        let glued = "the posters”Come Home Soon” hung in every window";
        assert_one(glued, CLOSER_AS_OPENER, "”", 0);
        // A closer glued to the next sentence closes the open quotation.
        assert_clean("“We are ready.”Then the doors opened.");
        // With no later closer it is a stray closer, reported as before.
        assert_one("It rained all night.”Nobody slept.", UNOPENED, "”", 0);
        // Spaced Swedish `”…”` and Chinese `”…”` are conventions, not defects.
        assert_clean("Han sa ”hej” och gick.");
        assert_clean("我最喜歡的”牛肉麵”真的很好吃");
    }

    #[test]
    fn a_single_quote_closing_a_double_quotation_is_flagged_there() {
        let text = "She sang \"Moon River' twice, then \"Blue Moon\" once.";
        assert_one(text, MISMATCHED_PAIR, "'", 0);
        // Plural possessives, dropped g's and backtick quotations are not
        // closers of the `"`; nor is a `'` when the next `"` closes.
        let possessive = "He said \"the players' kit\" was new, and \"fine\" too.";
        assert_clean(possessive);
        assert_clean("\"It's the boys' turn,\" he said.");
        let g = "\"We were goin' home and \"singing\" loud.";
        assert!(check(g).iter().all(|(r, _)| r != MISMATCHED_PAIR), "{g:?}");
        let tick = "\"They said `no way' and \"left\" early.";
        assert!(
            check(tick).iter().all(|(r, _)| r != MISMATCHED_PAIR),
            "{tick:?}"
        );
    }

    #[test]
    fn a_single_opener_typed_for_a_closer_is_flagged_there() {
        let text = "The show, called ‘Light and Shadow‘, opens in May.";
        assert_one(text, OPENER_AS_CLOSER, "‘", 1);
        // A mis-curled apostrophe with the real closer later is not.
        assert_clean("‘We were runnin‘ late,’ she said.");
    }

    #[test]
    fn korean_and_chinese_quotes_close_before_a_particle() {
        assert_clean("그는 ‘소확행’이라는 말을 자주 쓴다.");
        assert_clean("他说‘不忘初心’很重要。");
    }

    #[test]
    fn a_dash_garbled_into_a_quote_is_not_a_quotation_mark() {
        assert_clean("She was late\u{e2}\u{20ac}\"again\u{e2}\u{20ac}\"and nobody minded.");
        assert_clean("He said \"stop\u{e2}\u{20ac}\"now\" and left.");
    }

    #[test]
    fn curled_attribute_quotes_of_shortcodes_are_markup() {
        assert_clean("[gallery ids=”12,13” size=”large”] Photos from the day");
    }

    #[test]
    fn two_curly_single_quotes_are_a_double_quote() {
        assert_clean("The minister called it ‘‘a disgrace’’ and left.");
        assert_clean("It was “unfortunate’’, he said.");
        // Before another mark they close two single quotations: nothing is
        // collapsed as a keying double.
        let nested = "“He wrote ‘a ‘small’’”";
        assert_eq!(fixed(nested), nested);
        assert!(check(nested).iter().all(|(r, _)| r != KEYING_DOUBLE));
    }

    #[test]
    fn a_colon_introduces_a_complete_quotation_inside_an_unclosed_one() {
        let text = "\"We listened. Then she said: \"Enough.\"";
        assert_one(text, UNCLOSED, "\"", 0);
        // Without a colon the inner opener is the one reported (POLICY).
        let inner = "“We urge everyone, taking into account “new realities.”";
        assert_one(inner, NESTED, "“", 1);
    }

    #[test]
    fn a_straight_closer_with_its_space_on_the_wrong_side_is_reported_once() {
        let text = "No deal was made.\" We will not sign it,\" the minister said.";
        assert_one(text, UNOPENED, "\"", 0);
        // Curly closers say their direction: both are reported.
        let curly = "No deal was made.” We will not sign it,” the minister said.";
        assert_eq!(check(curly).len(), 2);
    }

    #[test]
    fn a_closing_quote_before_a_footnote_closes() {
        assert_clean("\"He called it 'a step forward.'\"[3] Then he left.");
        assert_clean("Her words were \"never again\"[12] and the hall fell silent.");
    }

    #[test]
    fn a_prime_closing_a_single_quotation_after_a_number_is_repaired() {
        let text = "He wrote a book, ‘Lessons of 1968′ – and it sold.";
        assert_eq!(
            fixed(text),
            "He wrote a book, ‘Lessons of 1968’ – and it sold."
        );
        let feet = "‘The wall is 6′ high,’ he said.";
        assert_eq!(fixed(feet), feet, "another closer follows: a measurement");
    }

    #[test]
    fn quotations_over_verse_and_wrapped_lines_continue() {
        let verse = "She read aloud:\n\"The wind was cold.\nThe sea was grey.\nWe sailed at dawn.\"\nThen she closed the book.";
        assert_clean(verse);
        // Two one-line paragraphs are two paragraphs.
        let two = "He said: \"We will win.\nThen the crowd went home.\"";
        assert_eq!(check(two).len(), 2);
        // A long line is a paragraph, not verse.
        let long = format!(
            "\"{}.\nNext paragraph.\nEnd of it.\"",
            "a very long sentence that goes on ".repeat(5)
        );
        assert_eq!(check(&long).len(), 2);
        // A line ending behind a closing quote, a line continuing in lower
        // case, a `\` continuation.
        assert_clean("I say “THEY TOLD THOSE ‘IN CHARGE’\nTO STOP.”\nDone.");
        assert_clean("He wrote “the end is near …\nor so we hope.”\nDone.");
        assert_clean("\"url\": \"https\\\n://example.org/a\",\nDone.");
        assert_clean("{\"a\":\"b\",\"c\":\"http://example.org/x\\\n/y\"}\nDone.");
    }

    #[test]
    fn a_spaced_guillemet_after_an_english_colon_is_an_arrow() {
        assert_clean("Share this recipe\nOlder: « Lemon Tart\nComments (3)");
        // French spaces its colon: an unclosed quotation there is reported.
        let french = "Elle a répondu : « Nous partirons demain.\nPuis elle est sortie.";
        assert_one(french, UNCLOSED, "«", 0);
    }

    #[test]
    fn a_double_backtick_quotation_may_run_over_lines() {
        let text = "`` The rules are:\nfirst, be kind.\nSecond, be brief.'' [Author]\nNext.";
        assert_clean(text);
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
        // 50,000 `'` after one `"` (and a backtick): each looks back a bounded
        // distance for a mismatched pair.
        let singles = format!("\"` {}\"b", "a' ".repeat(50_000));
        assert!(check(&singles).len() <= 2);
        // An unclosed quotation over 20,000 hard-wrapped lines.
        let wrapped = format!("Title\n\n{}{}", "“a ".repeat(20_000), "b\n".repeat(20_000));
        assert_eq!(check(&wrapped).len(), 1);
    }

    /// The pass's findings, from the trigger jumps or (`reference`) from a
    /// scan that visits every line and every byte, as the pass once did.
    fn findings_of(text: &str, reference: bool) -> Vec<Finding> {
        let blank_lines = OnceLock::new();
        let mut pairing = Pairing::new(text, Vec::new(), &blank_lines, 0);
        if reference {
            pairing.triggers = Triggers::every_byte(text.as_bytes());
        }
        pairing.run(None);
        pairing.findings
    }

    /// [`looks_like_code`] as a search for each marker in turn.
    fn looks_like_code_by_search(line: &[u8]) -> bool {
        const CODE: &[&[u8]] = &[
            b"\":\"",
            b"\",\"",
            b"\":{",
            b"\":[",
            b"\");",
            b"=\"",
            b"='",
            b"function(",
            b"function (",
            b"document.write",
            b"=>",
            b"\"\"\"",
            b">>> ",
        ];
        memchr::memchr2(b'"', b'\'', line).is_some()
            && CODE.iter().any(|p| memchr::memmem::find(line, p).is_some())
    }

    #[test]
    fn code_markers_at_line_edges() {
        for (line, code) in [
            ("x=\"", true),
            ("=", false),
            ("\"a\" =>", true),
            ("'a' >>>", false),
            ("'a' >>> ", true),
            ("function ('a')", true),
            ("'function'(", false),
            ("a function(", false),
            ("document.write'", true),
            ("\"\"\"", true),
            ("\"\"", false),
        ] {
            assert_eq!(looks_like_code(line.as_bytes()), code, "{line:?}");
            assert_eq!(looks_like_code_by_search(line.as_bytes()), code, "{line:?}");
        }
    }

    /// Pieces for the scan properties: every mark and trigger byte, spaces
    /// that make a line blank, tags, code spans and code markers.
    const SCAN_PIECES: &[&str] = &[
        "“",
        "”",
        "‘",
        "’",
        "\"",
        "'",
        "''",
        "``",
        "`",
        "«",
        "»",
        "‹",
        "›",
        "„",
        "‚",
        "‟",
        "′",
        "″",
        "a",
        "word",
        "Word",
        "9",
        "s",
        " ",
        " ",
        "\n",
        "\n",
        "\n\n",
        "\r\n",
        "> ",
        ".",
        ",",
        "?",
        ":",
        "(",
        "<a href=\"",
        "<img\n alt=",
        ">",
        "&lt;b class=",
        "&gt;",
        "=",
        "=>",
        ">>> ",
        "function",
        "document.write",
        "{",
        "[",
        ";",
        ")",
        "\u{a0}",
        "\u{2003}",
        "\u{202f}",
        "—",
        "…",
        "é",
        "½",
    ];

    proptest! {
        #![proptest_config(random_text::config())]

        #[test]
        fn jumping_between_triggers_finds_what_a_per_byte_scan_finds(
            text in random_text::texts(SCAN_PIECES, 60)
        ) {
            prop_assert_eq!(findings_of(&text, false), findings_of(&text, true), "{:?}", text);
        }

        /// Pairing in parts on several threads, each part from a fresh
        /// state and the true state carried in until the two meet, gives
        /// the findings of one pairing, in order, at any part size: parts
        /// that start inside a quotation, a tag over several lines or a
        /// continued code line.
        #[test]
        fn pairing_in_parts_finds_what_one_pairing_finds(
            text in random_text::texts(SCAN_PIECES, 60),
            part in 1usize..48,
        ) {
            let pool = random_text::pool();
            let mut parts = Vec::new();
            pool.install(|| pair_in_parts(&text, &mut parts, part, None));
            prop_assert_eq!(parts, findings_of(&text, false), "{:?}", text);
        }

        #[test]
        fn code_markers_are_found_as_by_a_search_for_each(
            text in random_text::texts(SCAN_PIECES, 30)
        ) {
            for line in text.split('\n') {
                prop_assert_eq!(
                    looks_like_code(line.as_bytes()),
                    looks_like_code_by_search(line.as_bytes()),
                    "{:?}", line
                );
            }
        }
    }

    /// Each state that reaches past a line start, cut there at every part
    /// size: a quotation open over lines (it meets the part's state when it
    /// closes), a tag over lines (its quotes are not marks), a code line
    /// continued by `\` (nor are the next line's), every quotation left
    /// open (the two never meet).
    #[test]
    fn pairing_in_parts_carries_each_state_over_a_part_edge() {
        let pool = random_text::pool();
        let texts = [
            "Title\n\n“It went on\nover lines,” he said. “Then\nmore” and “open.\n\nEnd.\n",
            "Intro.\n<img src=x\n“stray\n”> done.\nHe said “hi.\n",
            "{\"a\":\"b\", \\\nHe said “hello\n\nEnd “open.\n",
            "“a\n“b\n“c\n“d\n‘e\n“f\n",
        ];
        for text in texts {
            let one = findings_of(text, false);
            assert!(!one.is_empty(), "{text:?}");
            for part in 1..text.len() {
                let mut parts = Vec::new();
                pool.install(|| pair_in_parts(text, &mut parts, part, None));
                assert_eq!(parts, one, "{text:?} in parts of {part}");
            }
        }
    }

    /// `text` with `edits` (sorted, apart) applied, `points` moved as the
    /// pipeline moves them (its own [`EditShift`]), and where the
    /// replacements lie.
    fn edited(
        text: &str,
        edits: &[(Range<usize>, &str)],
        points: &mut [Range<usize>],
    ) -> (String, Vec<Range<usize>>) {
        let edits: Vec<Edit> = edits
            .iter()
            .map(|(r, with)| Edit::replace(r.start, r.end, *with))
            .collect();
        let edits: Vec<&Edit> = edits.iter().collect();
        let moved = EditShift::new(&edits);
        moved.move_sorted(points);
        (apply_edits(text, &edits), moved.replacements().collect())
    }

    /// What a check near edits found (with the earlier check's findings
    /// outside its windows), what a whole check finds, and the windows.
    type Rechecked = (Vec<String>, Vec<String>, Vec<Range<usize>>);

    /// Re-checking near edits gives a whole check's findings: those the
    /// windows report, and the earlier check's outside them (moved).
    /// `None` when the pass declines.
    fn recheck_equals_whole(
        text: &str,
        resume: &Resume,
        before: &[Finding],
        edits: &[(Range<usize>, &str)],
    ) -> Option<Rechecked> {
        let mut points = resume.points.clone();
        let (changed, ranges) = edited(text, edits, &mut points);
        let resume = Resume {
            points,
            document: resume.document,
        };
        let mut near = Vec::new();
        let windows = Quotes::new().recheck_near(&changed, &ranges, &resume, &mut near)?;
        // The last window may end at the text's end: it holds what was
        // after it too.
        let inside = |at: usize| {
            windows
                .iter()
                .any(|w| w.start <= at && (at < w.end || w.end == changed.len()))
        };
        let key = |f: &Finding, delta: isize| {
            let fix: Vec<String> = f
                .fix
                .iter()
                .flat_map(|x| x.edits.iter())
                .map(|e| {
                    format!(
                        "{}..{}={}",
                        e.start.wrapping_add_signed(delta),
                        e.end.wrapping_add_signed(delta),
                        e.replacement
                    )
                })
                .collect();
            let (start, end) = (
                f.start.wrapping_add_signed(delta),
                f.end.wrapping_add_signed(delta),
            );
            format!("{} {start}..{end} {fix:?} {}", f.rule, f.message)
        };
        let mut got: Vec<String> = near.iter().map(|f| key(f, 0)).collect();
        for f in before {
            // Outside the windows no edit lies: shifted by those before. A
            // finding in an edited range stands where the edit starts now,
            // which a window holds.
            let delta: isize = edits
                .iter()
                .filter(|(r, _)| r.end <= f.start && r.start < f.start)
                .map(|(r, with)| with.len() as isize - r.len() as isize)
                .sum();
            let now = edits
                .iter()
                .find(|(r, _)| r.start <= f.start && f.start < r.end)
                .map_or(f.start, |(r, _)| r.start)
                .wrapping_add_signed(delta);
            if !inside(now) {
                got.push(key(f, delta));
            }
        }
        let mut whole = Vec::new();
        Quotes::new().check(&changed, &mut whole);
        let mut want: Vec<String> = whole.iter().map(|f| key(f, 0)).collect();
        got.sort();
        want.sort();
        Some((got, want, windows))
    }

    /// Sorted, apart edits of `text` from random picks: each a range
    /// between two character boundaries (picked by `a`, `b`) replaced by a
    /// piece, or deleted.
    fn random_edits<'p>(
        text: &str,
        picks: &[(prop::sample::Index, prop::sample::Index, Option<&'p str>)],
    ) -> Vec<(Range<usize>, &'p str)> {
        let bounds: Vec<usize> = text
            .char_indices()
            .map(|(i, _)| i)
            .chain([text.len()])
            .collect();
        let mut edits: Vec<(Range<usize>, &str)> = picks
            .iter()
            .map(|(a, b, with)| {
                let a = *a.get(&bounds);
                let b = *b.get(&bounds);
                // Mostly short ranges: edits as passes make them.
                let end = if b > a && b - a <= 8 { b } else { a };
                (a..end, with.unwrap_or(""))
            })
            .filter(|(r, with)| !(r.is_empty() && with.is_empty()))
            .collect();
        edits.sort_by_key(|(r, _)| (r.start, r.end));
        let mut apart: Vec<(Range<usize>, &str)> = Vec::new();
        for e in edits {
            if apart.last().is_none_or(|(last, _)| e.0.start > last.end) {
                apart.push(e);
            }
        }
        apart
    }

    proptest! {
        #![proptest_config(random_text::config())]

        /// The check near edits, taken up from a whole check's resume
        /// points (of one pairing, or of a pairing in parts on several
        /// threads), gives the findings of a whole check of the edited
        /// text: each window starts where the old pairing was fresh and had
        /// read nothing edited, and ends where both pairings are fresh.
        #[test]
        fn recheck_near_edits_equals_a_whole_check(
            text in random_text::texts(SCAN_PIECES, 60),
            picks in prop::collection::vec(
                (any::<prop::sample::Index>(), any::<prop::sample::Index>(),
                 prop::option::of(prop::sample::select(SCAN_PIECES))),
                1..5,
            ),
            part in prop::option::of(1usize..48),
        ) {
            let mut before = Vec::new();
            let mut points = Vec::new();
            let document = match part {
                None => pair_text(&text, &mut before, Some(&mut points)),
                Some(part) => random_text::pool().install(|| {
                    pair_in_parts(&text, &mut before, part, Some(&mut points))
                }),
            };
            let resume = Resume { points, document };
            let edits = random_edits(&text, &picks);
            if let Some((got, want, _)) = recheck_equals_whole(&text, &resume, &before, &edits) {
                prop_assert_eq!(got, want, "{:?} edited {:?}", text, edits);
            }
        }
    }

    /// Hand-picked edits near each state that reaches past a line: a
    /// quotation open over lines, a tag over lines, a continued code line,
    /// a quotation running over short lines whose line an edit lengthens,
    /// and a keying double beside the edit; each re-checked in windows
    /// shorter than the text, with a whole check's findings. An edit that
    /// makes a blank line (so paragraphs are now separated by blank lines)
    /// is declined.
    #[test]
    fn recheck_near_edits_around_each_state_that_reaches_past_a_line() {
        let long = "and applause and more ".repeat(6);
        let cases: &[(&str, &str, &str, bool)] = &[
            ("Title\n\n“It went on\nover lines,” he said.\n\nMore “text” here.\n\nEnd “x”.\n", "over", "under the", true),
            ("Intro.\n\n<img src=x\n“stray\n”> done.\n\nHe said “hi.\n\nEnd “x”.\n\nLast “y”.\n", "stray", "s", true),
            ("Pre.\n\n{\"a\":\"b\", \\\nHe said “hello\n\nEnd “open.\n\nLast “x”.\n", "hello", "hi", true),
            ("Verse:\n\"We will not\nhave great questions\nfor caresses\nour sons.\"\nDone “x”.\nMore “y”.\n", "caresses", &long, true),
            ("One “a”.\n\nThe sign said ““Keep out” in red.\n\nThree “c”.\n\nFour “d”.\n", "sign", "notice", true),
            ("One “a”.\nTwo “b.\nThree\nFour “c”.\n", "Three", "", false),
        ];
        for &(text, word, with, answers) in cases {
            let at = text.find(word).expect("the word is in the text");
            let mut before = Vec::new();
            let mut points = Vec::new();
            let document = pair_text(text, &mut before, Some(&mut points));
            let resume = Resume { points, document };
            let edits = [(at..at + word.len(), with)];
            let answer = recheck_equals_whole(text, &resume, &before, &edits);
            assert_eq!(answer.is_some(), answers, "{text:?}");
            if let Some((got, want, windows)) = answer {
                assert_eq!(got, want, "{text:?}");
                let covered: usize = windows.iter().map(|w| w.len()).sum();
                assert!(
                    covered < text.len() - word.len() + with.len(),
                    "{text:?}: {windows:?}"
                );
            }
        }
    }

    const PIECES: &[&str] = &[
        "“", "”", "‘", "’", "\"", "'", "«", "»", "‹", "›", "„", "‚", "‟", "a", "word", "9", " ",
        " ", "\n", "\n\n", "\r\n", "> ", ".", ",", "?", "`", "<a ", ">", "(", "\u{a0}", "\u{202f}",
        "é", "…",
    ];

    proptest! {
        #![proptest_config(random_text::config())]

        #[test]
        fn random_texts_give_valid_spans_and_settling_fixes(text in random_text::texts(PIECES, 40)) {
            let mut findings = Vec::new();
            Quotes::new().check(&text, &mut findings);
            for f in &findings {
                prop_assert!(f.start < f.end && f.end <= text.len(), "{:?} {:?}", text, f);
                prop_assert!(text.is_char_boundary(f.start) && text.is_char_boundary(f.end));
                if let Some(fix) = &f.fix {
                    prop_assert_eq!(&*f.rule, KEYING_DOUBLE);
                    for e in &fix.edits {
                        prop_assert!(e.replacement.is_empty(), "{:?}", text);
                        prop_assert!(matches!(&text[e.start..e.end], "“" | "”"), "{:?}", text);
                    }
                }
            }
            let once = fixed(&text);
            prop_assert_eq!(fixed(&once), once, "fixes settle: {:?}", text);
        }
    }
}
