//! The pipeline's one trigger scan: which lines a line-local pass can fire on.
//!
//! A clean news corpus has a finding on well under 1% of its lines, yet every
//! pass used to read the whole text. Each line-local pass now declares
//! [`Triggers`]: what a line must contain for the pass to find anything there
//! (a byte pair such as `..`, a non-ASCII character other than the dashes,
//! curly quotes and ellipsis of news text, a C0 control). Before round 1
//! the pipeline scans the document once for the union of all passes' triggers
//! and gives each pass the lines holding one of *its* triggers; the pass then
//! checks only those lines (and the line before, as context, where it needs
//! it). Lines that other passes edit are added as before (see `pipeline`).
//!
//! The scan searches for byte *sequences*, not single bytes: `.` and `,` are on
//! almost every line, `..`, `,,` or a stop right after a closing quote on few.
//! Pairs are found with Aho-Corasick, whose Teddy prefilter compares 16 or 32
//! bytes at a time; non-ASCII bytes and controls as a bit mask of every byte
//! outside printable ASCII, 64 bytes at a time (see [`crate::byteset`]). A
//! line already marked for every pass is skipped to its end.
//!
//! Soundness is each pass's promise (a line without its triggers yields no
//! finding); `tests/triggers.rs` and the pipeline's property test check it by
//! comparing a run that uses the scan with one that checks every line.

use std::ops::Range;

use aho_corasick::{packed, AhoCorasick, Input, MatchKind};

use crate::byteset::{ByteClass, NotPrintable};
use crate::passes::is_junk_control;

/// What a line must contain for a line-local pass to find anything on it.
#[derive(Debug, Clone, Copy, Default)]
pub struct Triggers {
    /// Byte sequences (at least one byte each). A sequence may start with a
    /// UTF-8 continuation byte: `[0x9D, b'.']` is the end of `”` and a stop.
    pub sequences: &'static [&'static [u8]],
    /// A non-ASCII character other than the dashes, curly quotes and
    /// ellipsis of news text ([`is_common_punctuation`]: a third of the
    /// lines of the dirty benchmark file hold no other). A pass that asks
    /// for these promises, as for every trigger, that a line whose only
    /// non-ASCII characters are those yields no finding.
    pub non_ascii: bool,
    /// With `non_ascii`: characters of U+0080–U+00FF (bit `k` stands for
    /// U+0080 + `k`) that the pass passes over as it does the common
    /// punctuation: it promises that a line whose only non-ASCII characters
    /// are common punctuation and these yields no finding. No-break spaces
    /// are on a third of the dirty benchmark file's lines with a non-ASCII
    /// character, and no other; Latin-1 letters (`café`, `£5`) on many lines
    /// of news.
    pub quiet_latin1: u128,
    /// A C0 control other than tab, line feed, form feed and carriage return,
    /// or DEL.
    pub controls: bool,
}

/// The combined scanner of a pipeline's passes, built once.
pub struct TriggerScan {
    /// Per pass: its triggers, or `None` when it reads the whole text.
    passes: Vec<Option<Triggers>>,
    /// Every pass's sequences, de-duplicated, and their matcher.
    patterns: Vec<&'static [u8]>,
    sequences: Option<Sequences>,
    /// Pattern id → the passes (bit per pass index) that declared it.
    pattern_passes: Vec<u64>,
    /// Bit per pass index: passes with sequences.
    sequence_passes: u64,
    /// Bit per pass index: passes that want lines with a non-ASCII byte.
    non_ascii_passes: u64,
    /// The distinct [`Triggers::quiet_latin1`] sets of those passes, each
    /// with its passes (bit per pass index): the scan finds the lines of
    /// each set once.
    quiet_sets: Vec<(u128, u64)>,
    /// Bit per pass index: passes that want lines with a junk control.
    control_passes: u64,
}

/// The passes that can hold more bits than this read the whole text.
const MAX_PASSES: usize = 64;

impl TriggerScan {
    /// A scanner for passes with these triggers (`None`: the pass is not
    /// line-local or declares none, and reads the whole text).
    pub fn new(passes: Vec<Option<Triggers>>) -> Self {
        let mut patterns: Vec<&'static [u8]> = Vec::new();
        let mut pattern_passes: Vec<u64> = Vec::new();
        let mut sequence_passes = 0u64;
        let (mut non_ascii_passes, mut control_passes) = (0u64, 0u64);
        let mut quiet_sets: Vec<(u128, u64)> = Vec::new();
        for (index, triggers) in passes.iter().enumerate().take(MAX_PASSES) {
            let Some(triggers) = triggers else { continue };
            if triggers.non_ascii {
                non_ascii_passes |= 1 << index;
                let quiet = triggers.quiet_latin1;
                match quiet_sets.iter_mut().find(|(set, _)| *set == quiet) {
                    Some((_, bits)) => *bits |= 1 << index,
                    None => quiet_sets.push((quiet, 1 << index)),
                }
            }
            if triggers.controls {
                control_passes |= 1 << index;
            }
            for &sequence in triggers.sequences {
                assert!(!sequence.is_empty(), "an empty trigger matches everywhere");
                assert!(
                    !sequence.contains(&b'\n'),
                    "a trigger lies inside a line: no line feed"
                );
                sequence_passes |= 1 << index;
                match patterns.iter().position(|p| *p == sequence) {
                    Some(i) => pattern_passes[i] |= 1 << index,
                    None => {
                        patterns.push(sequence);
                        pattern_passes.push(1 << index);
                    }
                }
            }
        }
        let sequences = (!patterns.is_empty()).then(|| Sequences::new(&patterns));
        let passes = passes
            .into_iter()
            .enumerate()
            .map(|(i, t)| t.filter(|_| i < MAX_PASSES))
            .collect();
        TriggerScan {
            passes,
            patterns,
            sequences,
            pattern_passes,
            sequence_passes,
            non_ascii_passes,
            quiet_sets,
            control_passes,
        }
    }

    /// Whether pass `index` is checked only on its trigger lines.
    pub fn covers(&self, index: usize) -> bool {
        self.passes.get(index).is_some_and(Option::is_some)
    }

    /// Per pass: sorted ranges of `text`, each a whole line (without its line
    /// feed) that holds one of the pass's triggers (empty for passes not [covered](Self::covers)).
    ///
    /// A long text is scanned in parts on every thread of the current pool
    /// when it has more than one (same lines; see [`scan_in_parts`](Self::scan_in_parts)).
    pub fn scan(&self, text: &str) -> Vec<Vec<Range<usize>>> {
        if let Some(part) = crate::parts::split_part(text.len()) {
            return self.scan_in_parts(text, part);
        }
        self.scan_whole(text)
    }

    /// [`scan`](Self::scan) in parts of about `part` bytes, cut after line
    /// feeds, on every thread. No trigger holds a line feed and every range
    /// is one line, so each part's lines are found as a scan of the whole
    /// text finds them, and the parts' lists, in order, are its lists.
    fn scan_in_parts(&self, text: &str, part: usize) -> Vec<Vec<Range<usize>>> {
        use rayon::prelude::*;
        let mut starts = crate::parts::line_part_starts(text.as_bytes(), part);
        starts.push(text.len());
        let parts: Vec<Vec<Vec<Range<usize>>>> = starts
            .par_windows(2)
            .map(|w| {
                let mut hits = self.scan_whole(&text[w[0]..w[1]]);
                for range in hits.iter_mut().flatten() {
                    *range = range.start + w[0]..range.end + w[0];
                }
                hits
            })
            .collect();
        let mut hits: Vec<Vec<Range<usize>>> = vec![Vec::new(); self.passes.len()];
        for part in parts {
            for (all, own) in hits.iter_mut().zip(part) {
                all.extend(own);
            }
        }
        hits
    }

    /// [`scan`](Self::scan) on this thread.
    fn scan_whole(&self, text: &str) -> Vec<Vec<Range<usize>>> {
        let bytes = text.as_bytes();
        let mut hits: Vec<Vec<Range<usize>>> = vec![Vec::new(); self.passes.len()];
        if let Some(matcher) = &self.sequences {
            scan_sequences(
                bytes,
                matcher,
                &self.patterns,
                &self.pattern_passes,
                self.sequence_passes,
                &mut hits,
            );
        }
        if self.non_ascii_passes | self.control_passes != 0 {
            // After a non-ASCII byte the rest of its line matters only to a
            // pass that wants controls but not non-ASCII bytes.
            let controls_alone = self.control_passes & !self.non_ascii_passes != 0;
            let quiet: Vec<u128> = self.quiet_sets.iter().map(|&(set, _)| set).collect();
            let (high, low) = scan_bytes(bytes, controls_alone, &quiet);
            for (index, list) in hits.iter_mut().enumerate() {
                let bit = 1u64 << index;
                let own = self
                    .quiet_sets
                    .iter()
                    .position(|&(_, passes)| passes & bit != 0);
                let lines = match (own, self.control_passes & bit != 0) {
                    (Some(set), true) => merge_positions(&high[set], &low),
                    (Some(set), false) => high[set].clone(),
                    (None, true) => low.clone(),
                    (None, false) => continue,
                };
                *list = if list.is_empty() {
                    lines
                } else {
                    merge_positions(list, &lines)
                };
            }
        }
        hits
    }
}

/// The search for the trigger sequences.
///
/// The packed (Teddy) searcher compares a pattern's first bytes at 16 or 32
/// positions at once, so it stops only where a whole pair such as `..` may
/// stand. The automaton's own prefilter picks the patterns' rarest bytes to
/// stop at, which for the punctuation pairs are `.` and `,` themselves, on
/// every sentence: it stays as the fallback where Teddy cannot be built
/// (too many patterns, or no SIMD). Both report the leftmost start, and only
/// starts are used.
enum Sequences {
    Packed(packed::Searcher),
    Automaton(AhoCorasick),
}

impl Sequences {
    fn new(patterns: &[&[u8]]) -> Self {
        let mut packed = packed::Config::new()
            .match_kind(packed::MatchKind::LeftmostFirst)
            .builder();
        packed.extend(patterns);
        match packed.build() {
            Some(searcher) => Sequences::Packed(searcher),
            None => Sequences::Automaton(Self::automaton(patterns)),
        }
    }

    fn automaton(patterns: &[&[u8]]) -> AhoCorasick {
        AhoCorasick::builder()
            .match_kind(MatchKind::LeftmostFirst)
            .build(patterns)
            .expect("trigger sequences are plain bytes")
    }

    /// Where the first sequence at or after `from` starts.
    fn find_start(&self, bytes: &[u8], from: usize) -> Option<usize> {
        match self {
            Sequences::Packed(searcher) => searcher
                .find_in(bytes, aho_corasick::Span::from(from..bytes.len()))
                .map(|m| m.start()),
            Sequences::Automaton(matcher) => matcher
                .find(Input::new(bytes).span(from..bytes.len()))
                .map(|m| m.start()),
        }
    }
}

/// Finds the trigger sequences, recording each line that holds one, once per
/// pass, as the whole line with its line feed.
fn scan_sequences(
    bytes: &[u8],
    matcher: &Sequences,
    patterns: &[&[u8]],
    pattern_passes: &[u64],
    all: u64,
    hits: &mut [Vec<Range<usize>>],
) {
    let mut pos = 0;
    // The line being marked: where it starts and ends and which passes it
    // holds so far.
    let mut line = 0..0;
    let mut marked = 0u64;
    while pos < bytes.len() {
        let Some(found) = matcher.find_start(bytes, pos) else {
            break;
        };
        if found >= line.end {
            // Back only to where the last line ended or the search started
            // (both line starts): every byte is searched back over once.
            let floor = pos.max(line.end);
            let start =
                memchr::memrchr(b'\n', &bytes[floor..found]).map_or(floor, |i| floor + i + 1);
            let end = memchr::memchr(b'\n', &bytes[found..]).map_or(bytes.len(), |i| found + i + 1);
            line = start..end;
            marked = 0;
        }
        // The matcher reports one pattern per start; others may start there
        // too (`".` and `".x` of two passes).
        let at = &bytes[found..];
        let passes = patterns
            .iter()
            .zip(pattern_passes)
            // Compared byte by byte: sequences are two to four bytes, where
            // a call to `memcmp` costs more than the comparison.
            .filter(|(p, _)| p.len() <= at.len() && p.iter().zip(at).all(|(a, b)| a == b))
            .fold(0, |acc, (_, &bits)| acc | bits)
            & !marked;
        for (index, list) in hits.iter_mut().enumerate() {
            if passes & (1 << index) != 0 {
                list.push(without_line_feed(bytes, &line));
            }
        }
        marked |= passes;
        // Sequences may overlap (`.”.`): go on one byte later, unless the line
        // already holds every pass's trigger.
        pos = if marked & all == all {
            line.end
        } else {
            found + 1
        };
    }
}

/// Per set of `quiet` characters (see [`Triggers::quiet_latin1`]; at most
/// 64 sets), the lines (each whole, with its line feed) holding a non-ASCII
/// character other than common punctuation ([`is_common_punctuation`]) and
/// that set's characters; and the lines holding a junk control (after such
/// a character, looked for only when `controls_alone`). A line's scan stops
/// once every set has it, so a line is read once whatever it holds.
fn scan_bytes(
    bytes: &[u8],
    controls_alone: bool,
    quiet: &[u128],
) -> (Vec<Vec<Range<usize>>>, Vec<Range<usize>>) {
    assert!(quiet.len() <= 64, "a bit per set");
    let mut high: Vec<Vec<Range<usize>>> = vec![Vec::new(); quiet.len()];
    let mut low: Vec<Range<usize>> = Vec::new();
    // No set: a non-ASCII character only ends the line's scan.
    let every_set = match quiet.len() {
        0 => 0,
        n => u64::MAX >> (64 - n),
    };
    let line_end = |i: usize| memchr::memchr(b'\n', &bytes[i..]).map_or(bytes.len(), |j| i + j + 1);
    // The sets that do not pass over the character at `i` (not common
    // punctuation), and its length when some set does.
    let sets_of = |i: usize| -> (u64, usize) {
        match latin1_bit(bytes, i) {
            Some(bit) => {
                let sets = quiet
                    .iter()
                    .enumerate()
                    .filter(|(_, &set)| set & bit == 0)
                    .fold(0u64, |acc, (k, _)| acc | 1 << k);
                (sets, 2)
            }
            None => (every_set, 1),
        }
    };
    // Gives `line` to the sets in `new` that do not have it yet.
    let mark = |high: &mut [Vec<Range<usize>>], marked: &mut u64, new: u64, line: &Range<usize>| {
        let new = new & every_set & !*marked;
        for (k, list) in high.iter_mut().enumerate() {
            if new & (1 << k) != 0 {
                list.push(line.clone());
            }
        }
        *marked |= new;
    };
    let mut line_start = 0;
    // The sets that have the current line already.
    let mut marked = 0u64;
    // Printable ASCII changes nothing below: go from one other byte to the
    // next, found 64 bytes at a time.
    let mut stops = NotPrintable.positions(bytes, 0);
    let mut i = 0;
    while i < bytes.len() {
        let Some(stop) = stops.seek(i) else { break };
        i = stop;
        let b = bytes[i];
        if b == b'\n' {
            line_start = i + 1;
            marked = 0;
        } else if b >= 0x80 && is_common_punctuation(bytes, i) {
            i += 3;
            continue;
        } else if b >= 0x80 {
            let (sets, len) = sets_of(i);
            if sets & every_set & !marked != 0 {
                let line = without_line_feed(bytes, &(line_start..line_end(i)));
                mark(&mut high, &mut marked, sets, &line);
            }
            if marked & every_set != every_set {
                i += len; // quiet to some set: the rest of the line matters
                continue;
            }
            let end = line_end(i);
            if controls_alone && bytes[i..end].iter().any(|&c| is_junk_control(c)) {
                low.push(without_line_feed(bytes, &(line_start..end)));
            }
            i = end;
            line_start = end;
            marked = 0;
            continue;
        } else if is_junk_control(b) {
            let end = line_end(i);
            let line = without_line_feed(bytes, &(line_start..end));
            low.push(line.clone());
            // The rest of the line may still hold a non-ASCII character for
            // the sets that do not have the line yet.
            let mut from = i;
            while marked & every_set != every_set {
                let Some(at) = next_rare_non_ascii(&bytes[..end], from) else {
                    break;
                };
                let (sets, len) = sets_of(at);
                mark(&mut high, &mut marked, sets, &line);
                from = at + len;
            }
            i = end;
            line_start = end;
            marked = 0;
            continue;
        }
        i += 1;
    }
    (high, low)
}

/// For a character of U+0080–U+00FF at `i` (two bytes, lead 0xC2 or
/// 0xC3), its bit in a [`Triggers::quiet_latin1`] set.
fn latin1_bit(bytes: &[u8], i: usize) -> Option<u128> {
    let lead = *bytes.get(i)?;
    let next = *bytes.get(i + 1)?;
    if !matches!(lead, 0xC2 | 0xC3) || !(0x80..=0xBF).contains(&next) {
        return None;
    }
    let cp = (u32::from(lead & 0x1F) << 6) | u32::from(next & 0x3F);
    Some(1u128 << (cp - 0x80))
}

/// A line without its line feed: the pipeline takes a range that ends after
/// a line feed to touch the next line too (an edit there may join them).
fn without_line_feed(bytes: &[u8], line: &Range<usize>) -> Range<usize> {
    let end = if line.end > line.start && bytes[line.end - 1] == b'\n' {
        line.end - 1
    } else {
        line.end
    };
    line.start..end
}

/// The characters [`is_common_punctuation`] passes over: a pass that
/// reasons about what the scan skips (mojibake's quiet set) takes them from
/// here.
pub(crate) const COMMON_PUNCTUATION: [char; 7] = ['–', '—', '‘', '’', '“', '”', '…'];

/// Whether `bytes[i..]` starts with `–`, `—`, `‘`, `’`, `“`, `”` or `…`
/// (U+2013, U+2014, U+2018, U+2019, U+201C, U+201D, U+2026): NFC as they
/// are and visible, so Unicode normalisation leaves them alone; and never
/// mojibake on their own, since mojibake of a UTF-8 character holds what
/// its lead byte (0xC2 and up) became, and no legacy code page the
/// mojibake pass knows turns a lead byte into one of these and a
/// continuation byte (0x80–0xBF) into another (windows-1252 gives them
/// only for continuation bytes, MacRoman only for lead bytes).
fn is_common_punctuation(bytes: &[u8], i: usize) -> bool {
    bytes.get(i) == Some(&0xE2)
        && bytes.get(i + 1) == Some(&0x80)
        && matches!(
            bytes.get(i + 2),
            Some(0x93 | 0x94 | 0x98 | 0x99 | 0x9C | 0x9D | 0xA6)
        )
}

/// The first non-ASCII byte at or after `from` that does not start one of
/// the [`is_common_punctuation`] characters.
fn next_rare_non_ascii(bytes: &[u8], mut from: usize) -> Option<usize> {
    loop {
        let at = crate::passes::next_non_ascii(bytes, from)?;
        if !is_common_punctuation(bytes, at) {
            return Some(at);
        }
        from = at + 3;
    }
}

/// Merges two sorted lists of ranges into one sorted list (kept apart: the
/// pipeline merges touching ranges itself).
fn merge_positions(a: &[Range<usize>], b: &[Range<usize>]) -> Vec<Range<usize>> {
    let mut out = Vec::with_capacity(a.len() + b.len());
    let (mut i, mut j) = (0, 0);
    while i < a.len() || j < b.len() {
        let take_a = j == b.len() || (i < a.len() && a[i].start <= b[j].start);
        if take_a {
            out.push(a[i].clone());
            i += 1;
        } else {
            out.push(b[j].clone());
            j += 1;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines_of(text: &str, ranges: &[Range<usize>]) -> Vec<usize> {
        let mut lines: Vec<usize> = ranges
            .iter()
            .map(|r| text[..r.start].matches('\n').count())
            .collect();
        lines.dedup();
        lines
    }

    #[test]
    fn each_pass_gets_the_lines_with_its_own_triggers() {
        let scan = TriggerScan::new(vec![
            Some(Triggers {
                non_ascii: true,
                ..Triggers::default()
            }),
            None,
            Some(Triggers {
                sequences: &[b"..", b",,"],
                ..Triggers::default()
            }),
            Some(Triggers {
                non_ascii: true,
                controls: true,
                ..Triggers::default()
            }),
        ]);
        let text = "plain line.\nend.. here,, too\ncafé\nbell \u{7} rings\n\ttabs, ok\nlast..";
        let hits = scan.scan(text);
        assert_eq!(lines_of(text, &hits[0]), vec![2]);
        assert!(hits[1].is_empty(), "a pass without triggers gets none");
        assert_eq!(lines_of(text, &hits[2]), vec![1, 5]);
        assert_eq!(lines_of(text, &hits[3]), vec![2, 3]);
        assert!(scan.covers(0) && !scan.covers(1));
    }

    /// The byte check passes over exactly the listed characters, so what
    /// other passes derive from the list (mojibake's quiet set) is what the
    /// scan does.
    #[test]
    fn common_punctuation_is_exactly_the_listed_characters() {
        for c in ('\u{80}'..='\u{ffff}').filter(|c| !c.is_ascii()) {
            let mut buf = [0; 4];
            let bytes = c.encode_utf8(&mut buf).as_bytes();
            assert_eq!(
                is_common_punctuation(bytes, 0),
                COMMON_PUNCTUATION.contains(&c),
                "{c:?}"
            );
        }
    }

    proptest::proptest! {
        #![proptest_config(crate::passes::random_text::config())]

        /// Each pass gets the lines with a non-ASCII character that is
        /// neither common punctuation nor in its quiet set (or, when it asks,
        /// a junk control), as a line-by-line reference finds them, whatever
        /// order the characters come in.
        #[test]
        fn quiet_latin1_characters_are_passed_over_per_pass(
            text in crate::passes::random_text::texts(
                &["\u{a0}", "é", "Â", "\u{ad}", "“", "—", "\u{7}", "\t", "word ", "x", "\n", "日"],
                16,
            )
        ) {
            let bit = |c: char| 1u128 << (u32::from(c) - 0x80);
            let passes = [
                (bit('\u{a0}'), false),
                (!bit('\u{ad}'), true),
                (0, false),
                (bit('\u{a0}') | bit('é'), true),
            ];
            let scan = TriggerScan::new(
                passes
                    .iter()
                    .map(|&(quiet, controls)| {
                        Some(Triggers {
                            non_ascii: true,
                            quiet_latin1: quiet,
                            controls,
                            ..Triggers::default()
                        })
                    })
                    .collect(),
            );
            let hits = scan.scan(&text);
            for (k, &(quiet, controls)) in passes.iter().enumerate() {
                let expected: Vec<usize> = text
                    .split('\n')
                    .enumerate()
                    .filter(|(_, line)| {
                        line.chars().any(|c| {
                            let common = COMMON_PUNCTUATION.contains(&c);
                            let quiet_here =
                                ('\u{80}'..='\u{ff}').contains(&c) && quiet & bit(c) != 0;
                            let control = c.is_ascii() && is_junk_control(c as u8);
                            (!c.is_ascii() && !common && !quiet_here) || (controls && control)
                        })
                    })
                    .map(|(n, _)| n)
                    .collect();
                proptest::prop_assert_eq!(lines_of(&text, &hits[k]), expected, "pass {}", k);
            }
        }
    }

    #[test]
    fn overlapping_sequences_of_two_passes_are_both_found() {
        let scan = TriggerScan::new(vec![
            Some(Triggers {
                sequences: &[b".\"."],
                ..Triggers::default()
            }),
            Some(Triggers {
                sequences: &[b"\".", b"x"],
                ..Triggers::default()
            }),
        ]);
        let hits = scan.scan("said.\". then\nnothing\n");
        assert_eq!(hits[0], vec![0..12]);
        assert_eq!(hits[1], vec![0..12]);
        // Two passes' sequences starting at the same byte.
        let scan = TriggerScan::new(vec![
            Some(Triggers {
                sequences: &[b"\"."],
                ..Triggers::default()
            }),
            Some(Triggers {
                sequences: &[b"\". t"],
                ..Triggers::default()
            }),
        ]);
        let hits = scan.scan("a\nx\". then\n");
        assert_eq!(hits[0], vec![2..10]);
        assert_eq!(hits[1], vec![2..10]);
    }

    /// A scan for two passes: 0 wants non-ASCII lines, 1 lines with controls.
    fn non_ascii_and_controls() -> TriggerScan {
        TriggerScan::new(vec![
            Some(Triggers {
                non_ascii: true,
                ..Triggers::default()
            }),
            Some(Triggers {
                controls: true,
                ..Triggers::default()
            }),
        ])
    }

    #[test]
    fn controls_after_non_ascii_are_found_for_a_pass_that_wants_only_controls() {
        let scan = non_ascii_and_controls();
        let text = "é then \u{1} and \u{7f}\nok\nbell\u{7} é\n";
        let hits = scan.scan(text);
        assert_eq!(hits[1], vec![0..15, 19..27]);
        assert_eq!(hits[0], vec![0..15, 19..27]);
    }

    /// The default pipeline's passes' triggers, and lines made of their
    /// pieces: the scan in parts gives the lines of the whole scan at every
    /// part size, and the packed search those of the automaton.
    #[test]
    fn scanning_in_parts_finds_the_lines_of_one_scan() {
        let scan = TriggerScan::new(vec![
            Some(crate::passes::punctuation::Punctuation::new(
                &crate::config::RuleSet::load(&[]).expect("built-in rules"),
            ))
            .and_then(|p| crate::pass::Pass::triggers(&p)),
            Some(Triggers {
                non_ascii: true,
                controls: true,
                ..Triggers::default()
            }),
            Some(Triggers {
                controls: true,
                ..Triggers::default()
            }),
            Some(Triggers {
                sequences: &[b"\".", b"\". t", b"x."],
                ..Triggers::default()
            }),
        ]);
        let pool = crate::passes::random_text::pool();
        const PIECES: &[&str] = &[
            "a", "word ", ". ", "..", ",,", "\".", "”.", "?.", "!.", "é", "\u{1}", "\u{7f}", "\n",
            "\n", "\n\n", "\r\n", "x", " t",
        ];
        // The same scan with the automaton in place of the packed search.
        let mut automaton = TriggerScan::new(scan.passes.clone());
        assert!(matches!(automaton.sequences, Some(Sequences::Packed(_))));
        automaton.sequences = Some(Sequences::Automaton(Sequences::automaton(
            &automaton.patterns,
        )));
        let mut below = crate::passes::random_text::numbers(7);
        for _ in 0..400 {
            let text: String = (0..below(60))
                .map(|_| PIECES[below(PIECES.len())])
                .collect();
            let whole = scan.scan_whole(&text);
            assert_eq!(automaton.scan_whole(&text), whole, "{text:?}");
            for part in 1..24 {
                let parts = pool.install(|| scan.scan_in_parts(&text, part));
                assert_eq!(parts, whole, "{text:?} in parts of {part}");
            }
        }
    }

    /// Dashes, curly quotes and the ellipsis are passed over; any other
    /// non-ASCII character (the same bytes' neighbours `‚`, `„`, `†`, `•`,
    /// `€`, a no-break space, a zero-width space) marks its line, also after
    /// them, and a control after them still marks the line for controls.
    #[test]
    fn common_punctuation_alone_does_not_mark_a_line() {
        let scan = non_ascii_and_controls();
        let quiet = "He said “no” – and ‘yes’ — then… it’s over";
        for other in ["‚", "„", "†", "•", "€", "\u{a0}", "\u{200b}", "é", "â€œ"] {
            let text = format!("{quiet}\n{quiet}{other}\n{quiet}\u{7}\n{other}{quiet}");
            let hits = scan.scan(&text);
            let line = |n: usize| {
                let start: usize = text.split('\n').take(n).map(|l| l.len() + 1).sum();
                start..start + text.split('\n').nth(n).map_or(0, str::len)
            };
            assert_eq!(hits[0], vec![line(1), line(3)], "{other:?}");
            assert_eq!(hits[1], vec![line(2)], "{other:?}");
        }
    }

    proptest::proptest! {
        #![proptest_config(crate::passes::random_text::config())]

        /// The promise of the passes that ask for non-ASCII lines: a text of
        /// ASCII and the common punctuation alone, in any mix, yields
        /// nothing in the unicode and mojibake passes.
        #[test]
        fn lines_of_ascii_and_common_punctuation_yield_no_unicode_or_mojibake_finding(
            text in crate::passes::random_text::texts(&[
                "–", "—", "‘", "’", "“", "”", "…", "a", "A", "word", " ", ".", ",", "'",
                "\"", "1", "-", "\t",
            ], 40)
        ) {
            use crate::pass::Pass;
            let mut found = Vec::new();
            crate::passes::unicode::Unicode::new().check(&text, &mut found);
            crate::passes::mojibake::Mojibake::new().check(&text, &mut found);
            proptest::prop_assert!(found.is_empty(), "{:?}: {:?}", text, found);
        }
    }

    #[test]
    fn long_texts_are_scanned_word_by_word_without_missing_a_byte() {
        // A trigger at every offset modulo 8 of a long line.
        for offset in 0..16 {
            let mut text = "a".repeat(100 + offset);
            text.push('é');
            text.push_str(&"b".repeat(50));
            text.push('\u{2}');
            let scan = non_ascii_and_controls();
            let text = format!("x\n{text}\ny");
            let hits = scan.scan(&text);
            let line = 2..text.len() - 2;
            assert_eq!(hits[0], vec![line.clone()]);
            assert_eq!(hits[1], vec![line]);
        }
    }
}
