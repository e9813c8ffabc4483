//! The `unicode` pass: canonical composition (NFC) and invisible junk characters.
//!
//! What it does:
//! - `unicode.nfc` (safe): composes text to NFC. Decomposed accents (`Cafe` + U+0301),
//!   Vietnamese stacked marks, Cyrillic `и` + U+0306, Hangul jamo and NFC's singleton
//!   mappings (OHM SIGN → `Ω`, ANGSTROM SIGN → `Å`) become their canonical composed
//!   form. Each changed run (the characters between two composition boundaries,
//!   trimmed to what actually changes) is its own finding, so a diff shows exactly
//!   which characters moved.
//! - `unicode.invisible` (safe): removes ZERO WIDTH SPACE (U+200B), ZERO WIDTH NO-BREAK
//!   SPACE / byte-order mark (U+FEFF, at the start or inside the text) and SOFT HYPHEN
//!   (U+00AD). A soft hyphen right after `Ã`, `Â` or `Ă` is only flagged: there it
//!   is almost always a byte of mojibake (`Ã` + U+00AD is `í` read as Windows-1252)
//!   that the `mojibake` pass declined to repair, and deleting it would make the
//!   text impossible to repair later.
//!   A soft hyphen with a space on both sides (`rates \u{AD} and fees`) stands
//!   for a dash: `unicode.spaced-soft-hyphen` flags it with a review fix to `–`
//!   instead of deleting it (which would leave a double space and no dash).
//! - `unicode.invisible-extra` (safe, off by default): removes other invisible
//!   format and control characters that have no business in article text: WORD
//!   JOINER (U+2060), MONGOLIAN VOWEL SEPARATOR (U+180E, outside Mongolian), the
//!   deprecated format characters U+206A–U+206F, the interlinear annotation marks
//!   U+FFF9–U+FFFB, OBJECT REPLACEMENT CHARACTER (U+FFFC), C0 control characters other
//!   than tab, line feed, form feed and carriage return, DEL, and tag characters that
//!   are not part of an emoji tag sequence (a subdivision flag such as Scotland's).
//!
//! What it deliberately does not do:
//! - NFKC, ever: `km²`, fullwidth `ＮＨＫ` and ligatures such as `ﬁ` are kept.
//! - Touch ZERO WIDTH JOINER (U+200D), ZERO WIDTH NON-JOINER (U+200C), variation
//!   selectors, tag characters inside emoji flags, LRM/RLM and other bidi marks,
//!   NO-BREAK SPACE (U+00A0) or NARROW NO-BREAK SPACE (U+202F): they carry meaning
//!   (emoji sequences, Persian orthography, bidi, French typography).
//! - Line endings, trailing whitespace, C1 controls (U+0080–U+009F are mojibake
//!   evidence and belong to the `mojibake` pass) or anything else.

use std::borrow::Cow;
use std::fmt::Write as _;

use unicode_normalization::char::canonical_combining_class;
use unicode_normalization::{is_nfc_quick, IsNormalized, UnicodeNormalization};

use crate::byteset::{ByteClass, NotPrintable};
use crate::finding::{Edit, Finding, Fix};
use crate::pass::Pass;
use crate::passes::is_junk_control;

/// Rule id of the NFC composition.
pub const RULE_NFC: &str = "unicode.nfc";
/// Rule id of the removal of ZWSP, BOM and soft hyphen.
pub const RULE_INVISIBLE: &str = "unicode.invisible";
/// `unicode.spaced-soft-hyphen`
///
/// **What it does**: flags a SOFT HYPHEN (U+00AD) with a space on both sides
/// (`rates \u{AD} and fees`), offering `–` as a review fix.
///
/// **Why**: there it stands for a dash (a word processor's or CMS's
/// substitution), not a hyphenation point. Deleting it, as inside a word,
/// would leave a double space and lose the punctuation.
///
/// **Fix safety**: review; the dash the author meant may be `–` or `—`.
pub const RULE_SPACED_SOFT_HYPHEN: &str = "unicode.spaced-soft-hyphen";
/// Rule id of the removal of other invisible format and control characters (off by
/// default).
pub const RULE_INVISIBLE_EXTRA: &str = "unicode.invisible-extra";

/// The `unicode` pass: NFC composition and removal of invisible junk characters.
#[derive(Debug, Default)]
pub struct Unicode {}

impl Unicode {
    /// Builds the pass.
    pub fn new() -> Self {
        Unicode {}
    }
}

impl Pass for Unicode {
    fn locality(&self) -> crate::pass::Locality {
        crate::pass::Locality::Line
    }

    fn sees_ascii_edits(&self) -> bool {
        // Only non-ASCII sequences matter here; an ASCII edit between ASCII
        // neighbours cannot create or join one.
        false
    }

    fn name(&self) -> &'static str {
        "unicode"
    }

    fn triggers(&self) -> Option<crate::triggers::Triggers> {
        // ASCII lines can only hold C0 controls and DEL; everything else this
        // pass fixes is a non-ASCII character, and never the dashes, curly
        // quotes or ellipsis the scan passes over (NFC and visible), nor a
        // character of U+0080–U+00FF but the soft hyphen (below U+0300 NFC
        // composes nothing without a combining mark, itself a trigger; the
        // rest are visible, or C1 controls, which this pass leaves alone).
        Some(crate::triggers::Triggers {
            non_ascii: true,
            quiet_latin1: !(1 << (0xAD - 0x80)),
            controls: true,
            ..Default::default()
        })
    }

    fn describe(&self, text: &str, finding: &Finding) -> Option<String> {
        // Flags and the soft-hyphen fixes wrote their messages in `check`.
        if !finding.message.is_empty() {
            return None;
        }
        let found = &text[finding.start..finding.end];
        Some(if finding.rule == RULE_NFC {
            nfc_message(found, finding.replacement())
        } else {
            // Removals: `text` is the whole document, so offset 0 begins it.
            removal_message(found, finding.start == 0)
        })
    }

    fn line_cut(&self, text: &str, at_least: usize) -> Option<usize> {
        // Before a printable ASCII character: it is a composition boundary
        // for NFC and no character this pass removes, so no run of invisible
        // characters spans the cut; the rules for such runs look at the one
        // character on each side, and only a soft hyphen's rule looks at the
        // character after it (is it between spaces?), so the cut is not
        // made right after a soft hyphen.
        let bytes = text.as_bytes();
        let printable = |b: u8| (0x20..0x7f).contains(&b);
        (at_least.max(1)..bytes.len())
            .take_while(|&i| bytes[i - 1] != b'\n')
            .find(|&i| printable(bytes[i]) && !bytes[..i].ends_with("\u{AD}".as_bytes()))
    }

    fn check(&self, text: &str, findings: &mut Vec<Finding>) {
        // ASCII text is NFC and can only hold C0 controls; skip the UTF-8 work.
        if text.is_ascii() {
            check_ascii_controls(text, findings);
            return;
        }
        check_invisible(text, findings);
        check_nfc(text, findings);
    }
}

// ---------------------------------------------------------------------------
// NFC
// ---------------------------------------------------------------------------

/// Every character below U+0300 is NFC_QC=Yes with combining class 0, and its
/// UTF-8 lead byte is below 0xCC: a line without a byte >= 0xCC is NFC as it is.
/// (Continuation bytes are below 0xC0, so they never match.)
const FIRST_NON_TRIVIAL_LEAD: u8 = 0xCC;

fn check_nfc(text: &str, findings: &mut Vec<Finding>) {
    // Lines are independent for NFC (a line feed is a boundary), so only lines
    // that hold a character at or above U+0300 need the quick check, and only
    // those that fail it need the segment-by-segment work.
    let bytes = text.as_bytes();
    let mut line_start = 0;
    while line_start < bytes.len() {
        let line_end =
            memchr::memchr(b'\n', &bytes[line_start..]).map_or(bytes.len(), |i| line_start + i + 1);
        let line = &text[line_start..line_end];
        if may_change_under_nfc(line.as_bytes()) && is_nfc_quick(line.chars()) != IsNormalized::Yes
        {
            check_line(text, line_start, line_end, findings);
        }
        line_start = line_end;
    }
}

/// Whether a line holds a character that NFC might change: one at or above
/// U+0300, except General Punctuation (U+2000–U+207F: curly quotes, dashes,
/// ellipsis), which is NFC_QC=Yes with combining class 0 and common in news.
fn may_change_under_nfc(line: &[u8]) -> bool {
    let mut i = 0;
    while let Some(at) = crate::passes::next_non_ascii(line, i) {
        let b = line[at];
        if b < FIRST_NON_TRIVIAL_LEAD {
            i = at + 1;
        } else if b == 0xE2 && matches!(line.get(at + 1), Some(0x80 | 0x81)) {
            i = at + 3;
        } else {
            return true;
        }
    }
    false
}

fn check_line(text: &str, start: usize, end: usize, findings: &mut Vec<Finding>) {
    let mut seg_start = start;
    // Whether the segment holds a character NFC might change (one at or above
    // U+0300): most segments are a single ASCII letter, NFC as they are.
    let mut may_change = false;
    let mut normalized = String::new();
    for (offset, c) in text[start..end].char_indices() {
        let i = start + offset;
        if i > seg_start && is_composition_boundary_before(c) {
            if may_change {
                check_segment(text, seg_start, i, &mut normalized, findings);
            }
            seg_start = i;
            may_change = false;
        }
        may_change |= c >= '\u{300}';
    }
    if may_change {
        check_segment(text, seg_start, end, &mut normalized, findings);
    }
}

/// Whether NFC can never combine `c` with what precedes it, so text can be split
/// before `c` and each side normalized alone: a starter (combining class 0) that is
/// NFC_QC=Yes (neither a composition exclusion nor a character that composes
/// backwards, like a Hangul vowel jamo).
fn is_composition_boundary_before(c: char) -> bool {
    c.is_ascii()
        || (canonical_combining_class(c) == 0
            && is_nfc_quick(std::iter::once(c)) == IsNormalized::Yes)
}

/// Checks one segment between composition boundaries; `normalized` is a
/// buffer for its NFC form, kept from one segment to the next.
fn check_segment(
    text: &str,
    start: usize,
    end: usize,
    normalized: &mut String,
    findings: &mut Vec<Finding>,
) {
    let segment = &text[start..end];
    match is_nfc_quick(segment.chars()) {
        IsNormalized::Yes => return,
        // Scripts such as Tamil or Bengali are full of NFC_QC=Maybe vowel signs
        // that almost never compose: compare without allocating.
        IsNormalized::Maybe if segment.chars().nfc().eq(segment.chars()) => return,
        _ => {}
    }
    normalized.clear();
    normalized.extend(segment.nfc());
    // Trim what NFC left alone at either end, so the edit covers only the
    // characters that change (`ą` + U+0301: only `a` + U+0328 becomes `ą`).
    let prefix: usize = segment
        .chars()
        .zip(normalized.chars())
        .take_while(|(a, b)| a == b)
        .map(|(a, _)| a.len_utf8())
        .sum();
    let suffix: usize = segment[prefix..]
        .chars()
        .rev()
        .zip(normalized[prefix..].chars().rev())
        .take_while(|(a, b)| a == b)
        .map(|(a, _)| a.len_utf8())
        .sum();
    let to = &normalized[prefix..normalized.len() - suffix];
    let (s, e) = (start + prefix, end - suffix);
    // The message is written by `describe`, only when it is shown.
    findings.push(Finding::fixed(
        RULE_NFC,
        s,
        e,
        "",
        Fix::safe([Edit::replace(s, e, to)]),
    ));
}

/// The message of an NFC fix replacing `from` by `to`.
fn nfc_message(from: &str, to: &str) -> String {
    format!(
        "not in NFC: {} is canonically equivalent to {} `{}`; composed",
        code_points(from),
        code_points(to),
        to
    )
}

fn code_points(s: &str) -> String {
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 {
            out.push(' ');
        }
        let _ = write!(out, "U+{:04X}", c as u32);
    }
    out
}

// ---------------------------------------------------------------------------
// Invisible characters
// ---------------------------------------------------------------------------

/// Bytes that may start a character this pass removes.
const fn trigger_table() -> [bool; 256] {
    let mut t = [false; 256];
    let mut b = 0;
    while b < 0x20 {
        t[b] = !matches!(b as u8, b'\t' | b'\n' | 0x0C | b'\r');
        b += 1;
    }
    t[0x7F] = true;
    t[0xC2] = true; // U+00AD
    t[0xE1] = true; // U+180E
    t[0xE2] = true; // U+200B, U+2060, U+206A–U+206F
    t[0xEF] = true; // U+FEFF, U+FFF9–U+FFFC
    t[0xF3] = true; // tag characters U+E0000–U+E007F
    t
}

static TRIGGER: [bool; 256] = trigger_table();

fn check_ascii_controls(text: &str, findings: &mut Vec<Finding>) {
    let bytes = text.as_bytes();
    let mut i = 0;
    while let Some(off) = bytes[i..].iter().position(|&b| is_junk_control(b)) {
        let start = i + off;
        let end = run_end(bytes, start, 1);
        push_removal(findings, RULE_INVISIBLE_EXTRA, start, end);
        i = end;
    }
}

fn check_invisible(text: &str, findings: &mut Vec<Finding>) {
    let bytes = text.as_bytes();
    // Printable ASCII (most of any text) is passed over 64 bytes at a time.
    let mut stops = NotPrintable.positions(bytes, 0);
    let mut i = 0;
    while i < bytes.len() {
        let Some(stop) = stops.seek(i) else { break };
        i = stop;
        let b = bytes[i];
        if !TRIGGER[b as usize] {
            i += 1;
            continue;
        }
        let rest = &bytes[i..];
        let hit: Option<(&'static str, usize)> = if b < 0x80 {
            Some((RULE_INVISIBLE_EXTRA, 1))
        } else if rest.starts_with("\u{00AD}".as_bytes()) {
            if let Some(lead) = mojibake_lead_before(text, i) {
                let message = format!(
                    "U+00AD SOFT HYPHEN after `{lead}` looks like a byte of mojibake \
                     (`Ã` + U+00AD is `í` read as Windows-1252), not a hyphenation \
                     point; left in place for the mojibake repair or a person"
                );
                findings.push(Finding::flag(RULE_INVISIBLE, i, i + 2, message));
                i += 2;
                continue;
            }
            let end = run_end(bytes, i, 2);
            if is_spaced(text, i, end) {
                push_spaced_soft_hyphen(findings, i, end);
                i = end;
                continue;
            }
            Some((RULE_INVISIBLE, 2))
        } else if rest.starts_with("\u{200B}".as_bytes()) || rest.starts_with("\u{FEFF}".as_bytes())
        {
            Some((RULE_INVISIBLE, 3))
        } else if rest.starts_with("\u{180E}".as_bytes()) {
            (!follows_mongolian(text, i)).then_some((RULE_INVISIBLE_EXTRA, 3))
        } else if rest.len() >= 3
            && ((rest[0] == 0xE2
                && rest[1] == 0x81
                && (rest[2] == 0xA0 || (0xAA..=0xAF).contains(&rest[2])))
                || (rest[0] == 0xEF && rest[1] == 0xBF && (0xB9..=0xBC).contains(&rest[2])))
        {
            Some((RULE_INVISIBLE_EXTRA, 3))
        } else if is_tag(rest) {
            let end = tag_run_end(bytes, i);
            if !is_emoji_tag_sequence(text, i, end) {
                push_removal(findings, RULE_INVISIBLE_EXTRA, i, end);
            }
            i = end;
            continue;
        } else {
            None
        };
        match hit {
            Some((rule, len)) => {
                let end = run_end(bytes, i, len);
                push_removal(findings, rule, i, end);
                i = end;
            }
            None => i += 1,
        }
    }
}

/// Whether `text[start..end]` has a space (a space, tab or no-break space,
/// not a line break: alone on its line a soft hyphen is junk) on both sides.
fn is_spaced(text: &str, start: usize, end: usize) -> bool {
    let space = |c: Option<char>| matches!(c, Some(' ' | '\t' | '\u{a0}' | '\u{202f}'));
    space(text[..start].chars().next_back()) && space(text[end..].chars().next())
}

/// A soft hyphen (or a run of them) between two spaces stands for a dash.
fn push_spaced_soft_hyphen(findings: &mut Vec<Finding>, start: usize, end: usize) {
    findings.push(Finding::fixed(
        RULE_SPACED_SOFT_HYPHEN,
        start,
        end,
        "U+00AD SOFT HYPHEN between two spaces stands for a dash: not removed (that would \
         leave a double space); review the fix to `–`",
        Fix::review([Edit::replace(start, end, "–")]),
    ));
}

/// The end of the run of copies of the `len`-byte character at `start`.
fn run_end(bytes: &[u8], start: usize, len: usize) -> usize {
    let ch = &bytes[start..start + len];
    let mut end = start + len;
    while bytes[end..].starts_with(ch) {
        end += len;
    }
    end
}

fn is_tag(bytes: &[u8]) -> bool {
    // U+E0000–U+E007F: F3 A0 80 80 – F3 A0 81 BF.
    bytes.len() >= 4 && bytes[0] == 0xF3 && bytes[1] == 0xA0 && matches!(bytes[2], 0x80 | 0x81)
}

fn tag_run_end(bytes: &[u8], start: usize) -> usize {
    let mut end = start;
    while is_tag(&bytes[end..]) {
        end += 4;
    }
    end
}

/// A run of tag characters is an emoji tag sequence (a subdivision flag such as
/// 🏴 + `gbsct` + CANCEL TAG) when it follows an emoji and ends with CANCEL TAG.
fn is_emoji_tag_sequence(text: &str, start: usize, end: usize) -> bool {
    let ends_with_cancel = text[start..end].ends_with('\u{E007F}');
    let base = text[..start].chars().next_back();
    ends_with_cancel && base.is_some_and(|c| ('\u{1F000}'..='\u{1FAFF}').contains(&c))
}

/// `Ã`, `Â` (UTF-8 lead bytes 0xC3, 0xC2 read as Windows-1252 or Latin-1) or `Ă`
/// (0xC3 read as Windows-1250) right before `at`.
fn mojibake_lead_before(text: &str, at: usize) -> Option<char> {
    text[..at]
        .chars()
        .next_back()
        .filter(|c| matches!(c, 'Ã' | 'Â' | 'Ă'))
}

fn follows_mongolian(text: &str, at: usize) -> bool {
    text[..at]
        .chars()
        .next_back()
        .is_some_and(|c| ('\u{1800}'..='\u{18AF}').contains(&c))
}

fn push_removal(findings: &mut Vec<Finding>, rule: &'static str, start: usize, end: usize) {
    // The message is written by `describe` (`removal_message`), only when it
    // is shown; a byte-order mark is told apart there by its offset 0 in the
    // document.
    findings.push(Finding::fixed(
        rule,
        start,
        end,
        "",
        Fix::safe([Edit::delete(start, end)]),
    ));
}

/// The message of a removal of `removed` (a run of one invisible character);
/// `starts_document`: whether it begins the document.
fn removal_message(removed: &str, starts_document: bool) -> String {
    let first = removed.chars().next().unwrap_or('\0');
    let count = removed.chars().count();
    let name: Cow<'static, str> = if first == '\u{FEFF}' && starts_document {
        "U+FEFF BYTE ORDER MARK".into()
    } else if ('\u{E0000}'..='\u{E007F}').contains(&first) {
        "tag characters outside an emoji flag".into()
    } else {
        format!("U+{:04X} {}", first as u32, char_name(first)).into()
    };
    if count == 1 || name.starts_with("tag") {
        format!("removes {name} (invisible)")
    } else {
        format!("removes {count} × {name} (invisible)")
    }
}

/// The Unicode name (or control-character alias) of every character this pass
/// removes.
fn char_name(c: char) -> &'static str {
    const C0: [&str; 32] = [
        "NULL",
        "START OF HEADING",
        "START OF TEXT",
        "END OF TEXT",
        "END OF TRANSMISSION",
        "ENQUIRY",
        "ACKNOWLEDGE",
        "BELL",
        "BACKSPACE",
        "CHARACTER TABULATION",
        "LINE FEED",
        "LINE TABULATION",
        "FORM FEED",
        "CARRIAGE RETURN",
        "SHIFT OUT",
        "SHIFT IN",
        "DATA LINK ESCAPE",
        "DEVICE CONTROL ONE",
        "DEVICE CONTROL TWO",
        "DEVICE CONTROL THREE",
        "DEVICE CONTROL FOUR",
        "NEGATIVE ACKNOWLEDGE",
        "SYNCHRONOUS IDLE",
        "END OF TRANSMISSION BLOCK",
        "CANCEL",
        "END OF MEDIUM",
        "SUBSTITUTE",
        "ESCAPE",
        "INFORMATION SEPARATOR FOUR",
        "INFORMATION SEPARATOR THREE",
        "INFORMATION SEPARATOR TWO",
        "INFORMATION SEPARATOR ONE",
    ];
    match c {
        '\0'..='\u{1F}' => C0[c as usize],
        '\u{7F}' => "DELETE",
        '\u{AD}' => "SOFT HYPHEN",
        '\u{180E}' => "MONGOLIAN VOWEL SEPARATOR",
        '\u{200B}' => "ZERO WIDTH SPACE",
        '\u{2060}' => "WORD JOINER",
        '\u{206A}' => "INHIBIT SYMMETRIC SWAPPING",
        '\u{206B}' => "ACTIVATE SYMMETRIC SWAPPING",
        '\u{206C}' => "INHIBIT ARABIC FORM SHAPING",
        '\u{206D}' => "ACTIVATE ARABIC FORM SHAPING",
        '\u{206E}' => "NATIONAL DIGIT SHAPES",
        '\u{206F}' => "NOMINAL DIGIT SHAPES",
        '\u{FEFF}' => "ZERO WIDTH NO-BREAK SPACE (stray byte-order mark)",
        '\u{FFF9}' => "INTERLINEAR ANNOTATION ANCHOR",
        '\u{FFFA}' => "INTERLINEAR ANNOTATION SEPARATOR",
        '\u{FFFB}' => "INTERLINEAR ANNOTATION TERMINATOR",
        '\u{FFFC}' => "OBJECT REPLACEMENT CHARACTER",
        _ => "invisible character",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::finding::apply_edits;

    /// The pass's findings on `text` as a whole document, with their
    /// messages written (as the pipeline writes them).
    fn findings(text: &str) -> Vec<Finding> {
        let pass = Unicode::new();
        let mut out = Vec::new();
        pass.check(text, &mut out);
        for f in &mut out {
            if let Some(message) = pass.describe(text, f) {
                f.message = message.into();
            }
        }
        out
    }

    /// Applies every fix of `rules` (all findings must be non-overlapping).
    fn fix_with(text: &str, rules: &[&str]) -> String {
        let found = findings(text);
        let mut edits: Vec<&Edit> = found
            .iter()
            .filter(|f| rules.contains(&f.rule.as_ref()))
            .flat_map(|f| f.fix.iter().flat_map(|x| x.edits.iter()))
            .collect();
        edits.sort_by_key(|e| e.start);
        apply_edits(text, &edits)
    }

    /// The default rules.
    fn fix(text: &str) -> String {
        fix_with(text, &[RULE_NFC, RULE_INVISIBLE])
    }

    fn rules(text: &str) -> Vec<String> {
        findings(text).iter().map(|f| f.rule.to_string()).collect()
    }

    #[test]
    fn general_punctuation_alone_needs_no_nfc_work() {
        assert!(!super::may_change_under_nfc("“quoted” — x…".as_bytes()));
        assert!(!super::may_change_under_nfc("Café ÃŸ\u{a0}".as_bytes()));
        assert!(super::may_change_under_nfc("e\u{301}".as_bytes()));
        assert!(
            super::may_change_under_nfc("\u{2126}".as_bytes()),
            "OHM SIGN"
        );
        assert!(
            super::may_change_under_nfc("\u{212B}".as_bytes()),
            "ANGSTROM SIGN"
        );
        // The same after ASCII of every length (the eight-byte skip must not
        // step over a character that straddles a word's edge).
        for k in 0..24 {
            let pad = "x".repeat(k);
            let changing = format!("{pad}e\u{301} and more ascii text");
            assert!(super::may_change_under_nfc(changing.as_bytes()), "{k}");
            let quiet = format!("{pad}“quoted” — x… and more ascii text");
            assert!(!super::may_change_under_nfc(quiet.as_bytes()), "{k}");
        }
    }

    #[test]
    fn decomposed_accent_composes() {
        assert_eq!(fix("Cafe\u{301} au lait"), "Café au lait");
        let f = findings("Cafe\u{301}");
        assert_eq!(f.len(), 1);
        assert_eq!((f[0].start, f[0].end), (3, 6));
        assert!(f[0].message.contains("U+0065 U+0301"), "{}", f[0].message);
        assert!(f[0].message.contains("U+00E9"), "{}", f[0].message);
    }

    #[test]
    fn vietnamese_cyrillic_and_hangul_compose() {
        // `Tiếng Việt` fully decomposed.
        let viet = "Tie\u{302}\u{301}ng Vie\u{323}\u{302}t";
        assert_eq!(fix(viet), "Tiếng Việt");
        assert_eq!(rules(viet), vec![RULE_NFC, RULE_NFC]);
        assert_eq!(fix("Ии\u{306}"), "Ий");
        // Hangul jamo (L V T) become one syllable.
        assert_eq!(
            fix("\u{1112}\u{1161}\u{11AB}\u{1100}\u{1173}\u{11AF}"),
            "한글"
        );
    }

    #[test]
    fn singletons_map_to_their_canonical_character() {
        assert_eq!(fix("10 \u{2126}"), "10 \u{3A9}");
        assert_eq!(fix("1 \u{212B}"), "1 \u{C5}");
        assert_eq!(fix("\u{212A}elvin"), "Kelvin");
    }

    #[test]
    fn compatibility_characters_are_kept() {
        for text in ["40 km²", "ＮＨＫ", "ﬁnal", "½ price", "Ⅻ", "㎞", "x⁹"] {
            assert!(findings(text).is_empty(), "{text}");
        }
    }

    #[test]
    fn misordered_marks_are_reordered_with_a_minimal_edit() {
        // a + dot below (220) after acute (230): canonical order puts 220 first.
        let text = "xa\u{301}\u{323}y";
        let f = findings(text);
        assert_eq!(f.len(), 1);
        assert_eq!(fix(text), "x\u{1EA1}\u{301}y");
        // `ą` + acute has no precomposed form: only `a` + ogonek changes.
        let text = "ka\u{328}\u{301}s";
        let f = findings(text);
        assert_eq!(f.len(), 1);
        assert_eq!((f[0].start, f[0].end), (1, 4));
        assert_eq!(fix(text), "k\u{105}\u{301}s");
    }

    #[test]
    fn each_changed_run_is_its_own_finding() {
        let text = "Cafe\u{301} and re\u{301}sume\u{301}, unchanged middle";
        let f = findings(text);
        assert_eq!(f.len(), 3);
        for finding in &f {
            assert_eq!(finding.end - finding.start, 3, "{finding:?}");
        }
        assert_eq!(fix(text), "Café and résumé, unchanged middle");
    }

    #[test]
    fn segment_wise_nfc_equals_whole_text_nfc() {
        let samples = [
            "e\u{301}\u{301}\u{327}",
            "\u{301}leading mark",
            "\u{1100}\u{1161}\u{11A8}\u{AC00}\u{11A8}",
            "\u{F73}\u{F75}\u{F81} tibetan",
            "\u{344}\u{958}\u{2ADC}",
            "o\u{308}\u{304}\u{FB01}\u{212B}\u{301}",
            "\u{1D15E}\u{1D165}",
            "ﬁ\u{301}e\u{200B}\u{301}",
        ];
        for text in samples {
            let expected: String = text.nfc().collect();
            assert_eq!(fix_with(text, &[RULE_NFC]), expected, "{text:?}");
        }
        // Every sequence of four pieces from an alphabet of starters, marks in and
        // out of order, Hangul jamo, singletons and composition exclusions.
        let pieces = [
            "e", "\u{301}", "\u{323}", "\u{30A}", "\u{1100}", "\u{1161}", "\u{11A8}", "\u{AC00}",
            "\u{F71}", "\u{F73}", "\u{212B}", "\u{344}", "\u{93C}",
        ];
        let n = pieces.len();
        for i in 0..n * n * n * n {
            let text: String = [i % n, i / n % n, i / (n * n) % n, i / (n * n * n)]
                .iter()
                .map(|&k| pieces[k])
                .collect();
            let expected: String = text.nfc().collect();
            assert_eq!(fix_with(&text, &[RULE_NFC]), expected, "{text:?}");
        }
    }

    #[test]
    fn nfc_text_and_ascii_have_no_finding() {
        assert!(findings("plain ASCII text.\r\n  \t\n").is_empty());
        assert!(findings("Erdoğan, Zürich, Naïve, Việt, 한글, Дмитрий Песков").is_empty());
        assert!(findings("").is_empty());
    }

    #[test]
    fn zero_width_space_bom_and_soft_hyphen_are_removed() {
        assert_eq!(fix("zero\u{200B}width"), "zerowidth");
        assert_eq!(fix("\u{FEFF}Headline\n"), "Headline\n");
        assert_eq!(fix("in\u{FEFF}side"), "inside");
        assert_eq!(fix("Bun\u{AD}des\u{AD}tag"), "Bundestag");
        assert_eq!(rules("Bun\u{AD}des\u{AD}tag"), vec![RULE_INVISIBLE; 2]);
    }

    #[test]
    fn a_byte_order_mark_is_only_at_the_start_of_the_document() {
        // A later line starts with U+FEFF too: it is stray there, also when
        // the pipeline checks that line alone after another pass's edit.
        let engine = crate::Engine::default_config();
        let text = "\u{FEFF}Head\nIt ended..\n\u{FEFF}x\n";
        let found = engine.check(text);
        let boms: Vec<&str> = found
            .iter()
            .filter(|f| f.rule == RULE_INVISIBLE)
            .map(|f| f.message.as_str())
            .collect();
        assert_eq!(boms.len(), 2, "{found:?}");
        assert!(boms[0].contains("U+FEFF BYTE ORDER MARK"), "{}", boms[0]);
        assert!(boms[1].contains("stray byte-order mark"), "{}", boms[1]);
        assert_eq!(engine.clean(text), "Head\nIt ended.\nx\n");
    }

    #[test]
    fn messages_name_the_character() {
        let f = findings("a\u{200B}b");
        assert_eq!(f[0].message, "removes U+200B ZERO WIDTH SPACE (invisible)");
        let f = findings("\u{FEFF}x");
        assert!(
            f[0].message.contains("U+FEFF BYTE ORDER MARK"),
            "{}",
            f[0].message
        );
        let f = findings("x\u{FEFF}");
        assert!(f[0].message.contains("U+FEFF ZERO WIDTH NO-BREAK SPACE"));
        let f = findings("x\u{AD}y");
        assert!(f[0].message.contains("U+00AD SOFT HYPHEN"));
    }

    #[test]
    fn a_run_of_one_character_is_one_finding() {
        let f = findings("a\u{200B}\u{200B}\u{200B}b");
        assert_eq!(f.len(), 1);
        assert_eq!((f[0].start, f[0].end), (1, 10));
        assert!(f[0].message.contains("3 × U+200B"), "{}", f[0].message);
        assert_eq!(fix("a\u{200B}\u{200B}\u{200B}b"), "ab");
    }

    #[test]
    fn meaningful_invisibles_are_kept() {
        for text in [
            "👩\u{200D}🔬",
            "🏳\u{FE0F}\u{200D}🌈",
            "🧑🏽\u{200D}⚕\u{FE0F}",
            "🏴\u{E0067}\u{E0062}\u{E0073}\u{E0063}\u{E0074}\u{E007F}",
            "🏴\u{E0067}\u{E0062}\u{E0077}\u{E006C}\u{E0073}\u{E007F} and 🏴\u{E0075}\u{E0073}\u{E006F}\u{E0068}\u{E007F} 🇺🇸",
            "می\u{200C}خواهم",
            "abc \u{200F}שלום\u{200E} def \u{202B}x\u{202C}",
            "10\u{A0}km, «\u{202F}oui\u{202F}»",
            "क्\u{200D}ष",
            "葛\u{E0100}城",
        ] {
            assert!(findings(text).is_empty(), "{text:?}: {:?}", findings(text));
        }
    }

    #[test]
    fn line_endings_and_trailing_whitespace_survive() {
        let text = "one\u{200B} \r\ntwo\t\n\nthree e\u{301}  \r\n";
        assert_eq!(fix(text), "one \r\ntwo\t\n\nthree é  \r\n");
    }

    #[test]
    fn soft_hyphen_between_spaces_is_a_dash_for_review() {
        let text = "bonds \u{AD} and gilts";
        let f = findings(text);
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].rule, RULE_SPACED_SOFT_HYPHEN);
        assert_eq!(f[0].applicability(), crate::finding::Applicability::Review);
        assert_eq!(fix(text), text, "not deleted by the safe rules");
        assert_eq!(
            fix_with(text, &[RULE_SPACED_SOFT_HYPHEN]),
            "bonds – and gilts"
        );
        assert_eq!(
            fix_with("x\u{a0}\u{AD}\u{AD}\ty", &[RULE_SPACED_SOFT_HYPHEN]),
            "x\u{a0}–\ty"
        );
        // Alone on its line, at a word's edge or inside a word it is junk.
        assert_eq!(fix("Share\n\u{AD}\nNext"), "Share\n\nNext");
        assert_eq!(fix("co\u{AD} operate"), "co operate");
        assert_eq!(fix("pre \u{AD}war"), "pre war");
        assert_eq!(rules("pre \u{AD}war"), vec![RULE_INVISIBLE]);
    }

    #[test]
    fn soft_hyphen_inside_mojibake_is_only_flagged() {
        let f = findings("antÃ\u{AD}geno");
        assert_eq!(f.len(), 1);
        assert!(f[0].fix.is_none());
        assert_eq!(f[0].rule, RULE_INVISIBLE);
        assert_eq!(fix("antÃ\u{AD}geno"), "antÃ\u{AD}geno");
        // After an ordinary letter it goes.
        assert_eq!(fix("Mä\u{AD}dchen"), "Mädchen");
    }

    #[test]
    fn extra_invisibles_are_reported_under_their_own_rule() {
        let text = "a\u{2060}b\u{180E}c\u{206A}d\u{FFF9}e\u{FFFB}f\u{FFFC}g\u{1A}h\u{7F}i\u{B}j";
        assert!(
            rules(text).iter().all(|r| r == RULE_INVISIBLE_EXTRA),
            "{:?}",
            rules(text)
        );
        assert_eq!(findings(text).len(), 9);
        assert_eq!(
            fix(text),
            text,
            "off by default: the default rules change nothing"
        );
        assert_eq!(fix_with(text, &[RULE_INVISIBLE_EXTRA]), "abcdefghij");
        let f = findings("a\u{2060}b");
        assert_eq!(f[0].message, "removes U+2060 WORD JOINER (invisible)");
        let f = findings("a\u{7}b");
        assert_eq!(f[0].message, "removes U+0007 BELL (invisible)");
    }

    #[test]
    fn extra_rule_keeps_tab_newlines_form_feed_mongolian_and_flags() {
        assert!(findings("a\tb\r\nc\u{C}d\n").is_empty());
        assert!(findings("ᠬᠠᠳ\u{180E}ᠠ").is_empty());
        // A stray tag run (no emoji base, no CANCEL TAG) is junk.
        let text = "x\u{E0001}\u{E0065}\u{E006E}y";
        assert_eq!(rules(text), vec![RULE_INVISIBLE_EXTRA]);
        assert_eq!(fix_with(text, &[RULE_INVISIBLE_EXTRA]), "xy");
    }

    #[test]
    fn ftfy_control_chars_example_with_the_extra_rule() {
        let text = "\u{FEFF}Sometimes, \u{FFFC}bad ideas \u{7F}\u{FFFA}like these characters\u{FFFB} \u{206A}get standardized.\r\n";
        assert_eq!(
            fix_with(text, &[RULE_NFC, RULE_INVISIBLE, RULE_INVISIBLE_EXTRA]),
            "Sometimes, bad ideas like these characters get standardized.\r\n"
        );
    }
}
