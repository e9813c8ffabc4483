//! The names prefilter: a cheap search that finds every place where a
//! variants key *could* start, so that the exact Aho-Corasick matcher runs only
//! in short windows around those places instead of over every byte.
//!
//! # Why it cannot miss a key
//!
//! For every pattern of the automaton (each key and kept phrase in each of its
//! space / no-break-space forms) [`Prefilter::new`] picks a *fragment*: 4
//! bytes (3 or 2 for short words) taken from inside one of its words,
//! ASCII-lower-cased. Fragments never contain a separator, so one fragment
//! serves all separator forms of a phrase. The automaton matches ASCII case-insensitively and nothing else (non-ASCII
//! bytes match as written), so wherever a pattern occurs in the text, the
//! ASCII-lower-cased text has that pattern's fragment at the same offset `o`
//! inside the occurrence. The search runs over an ASCII-lower-cased copy of the
//! text (in chunks that overlap by the longest fragment less one byte, so a
//! fragment across a chunk edge is still seen) and reports *every* position
//! where some fragment starts (after each hit it resumes one byte further on,
//! so overlapping fragments are all seen). An occurrence of a pattern at `s`
//! therefore yields a hit at `h = s + o` (`o` the fragment's first offset in
//! the pattern), and `o` is at most the fragment's `back` (the largest first
//! offset of the fragment in any pattern that contains it): every occurrence starts in
//! `[h - back, h]` for some hit `h`. Those ranges, merged, are the *regions*; a
//! match starting in a region ends at most `longest pattern` bytes after the
//! region's last start. `Variants::check` uses this to skip text where no
//! pattern can start, which leaves the leftmost-longest matches it sees, and so
//! its findings, exactly those of a scan over the whole text.
//!
//! When the keys are too many or too varied for a selective set of at most
//! [`MAX_FRAGMENTS`] fragments (the US→UK map's thousands of words share common
//! fragments such as `or` and `er`, which occur every few dozen bytes), no
//! prefilter is built and the pass scans the whole text as before.

use std::collections::{BTreeMap, BTreeSet};

use aho_corasick::packed::{Config, MatchKind, Searcher};
use aho_corasick::Span;
use rayon::prelude::*;

/// The most fragments searched for: beyond 64 the packed (Teddy) searcher
/// declines to build (too many for its buckets to stay selective).
const MAX_FRAGMENTS: usize = 64;
/// Fragment lengths tried, longest first: four bytes let the searcher test
/// four bytes before verifying a candidate, which keeps false candidates rare.
/// A phrase whose words are all shorter gets three- or two-byte fragments.
const FRAGMENT_LENGTHS: [usize; 3] = [4, 3, 2];
/// Phrases beyond this many are not worth a fragment search: so many keys need
/// common fragments (and choosing them would cost more than it saves).
const MAX_PHRASES: usize = 2_000;
/// A fragment set expected to hit more often than once per this many bytes of
/// English text leaves little to skip; the plain scan is then as fast.
const MIN_BYTES_PER_HIT: f64 = 256.0;
/// The costs of one more fragment in the search, in expected hits per million
/// bytes, tried in turn until the fragments fit in [`MAX_FRAGMENTS`]: the
/// higher, the more the choice favours fragments shared by several keys.
const FRAGMENT_COSTS: [f64; 8] = [1.0, 10.0, 30.0, 100.0, 150.0, 300.0, 1e3, 1e5];
/// Bytes of text lower-cased and searched at a time.
const CHUNK: usize = 64 * 1024;
/// Bytes of text one thread searches for hits at a time when a long text's
/// hits are found on every thread (see [`Regions::next_hit_until`]: the search is
/// most of the pass, and the pass runs on the whole document); a window of a
/// few parts per thread is searched ahead of the scan.
const PARALLEL_PART: usize = 256 * 1024;

/// How often each byte occurs in English news text, per million bytes,
/// ASCII-lower-cased (counted over the BBC news corpus; at least 1, and at
/// least 50 for bytes of non-ASCII characters). A fragment's expected frequency
/// is taken as the product of its bytes' frequencies.
#[rustfmt::skip]
const BYTE_FREQUENCY: [u32; 256] = [
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 4666, 1, 1, 1, 1, 1,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    167003, 39, 4051, 6, 246, 390, 47, 2726, 442, 442, 1, 2, 7257, 2567, 8672, 45,
    2539, 1348, 1281, 641, 613, 703, 446, 416, 394, 550, 336, 95, 1, 1, 1, 96,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 22, 1, 22, 1, 1,
    1, 65992, 14299, 25275, 31092, 95680, 16684, 16750, 37201, 58177, 1599, 6396, 33765, 21198, 55739, 58785,
    17183, 663, 50173, 54223, 69702, 21603, 8660, 15144, 1666, 13124, 566, 1, 1, 1, 1, 1,
    50, 50, 50, 50, 50, 50, 50, 50, 50, 50, 50, 50, 50, 50, 50, 50,
    50, 50, 50, 50, 50, 50, 50, 50, 50, 50, 50, 50, 50, 50, 50, 50,
    50, 50, 50, 278, 50, 50, 50, 50, 50, 50, 50, 50, 50, 50, 50, 50,
    50, 50, 50, 50, 50, 50, 50, 50, 50, 50, 50, 50, 50, 50, 50, 50,
    50, 50, 278, 50, 50, 50, 50, 50, 50, 50, 50, 50, 50, 50, 50, 50,
    50, 50, 50, 50, 50, 50, 50, 50, 50, 50, 50, 50, 50, 50, 50, 50,
    50, 50, 50, 50, 50, 50, 50, 50, 50, 50, 50, 50, 50, 50, 50, 50,
    50, 50, 50, 50, 50, 50, 50, 50, 50, 50, 50, 50, 50, 50, 50, 50,
];

/// A search for the fragments, with how far back of each hit a pattern can
/// start.
#[derive(Debug)]
pub(super) struct Prefilter {
    searcher: Searcher,
    /// Fragment id → the largest offset at which a pattern containing it
    /// starts before the fragment (its first occurrence in that pattern).
    back: Vec<usize>,
    /// The longest fragment, in bytes.
    longest_fragment: usize,
    /// The largest of `back`.
    max_back: usize,
    /// Bytes lower-cased and searched at a time ([`CHUNK`]; tests make it
    /// small to put many keys across chunk edges).
    pub(super) chunk: usize,
}

/// The expected occurrences of `fragment` per million bytes of English text.
fn expected_hits(fragment: &[u8]) -> f64 {
    fragment
        .iter()
        .map(|&b| f64::from(BYTE_FREQUENCY[usize::from(b)]) / 1e6)
        .product::<f64>()
        * 1e6
}

impl Prefilter {
    /// Chooses fragments for `patterns` (the automaton's patterns, any case)
    /// and builds their search, or `None` when a fragment search would not pay
    /// (see the module documentation) or a pattern has no word of two bytes.
    pub(super) fn new(patterns: &[String]) -> Option<Prefilter> {
        Self::build(patterns, true)
    }

    /// [`Prefilter::new`], or with `limits` off a prefilter however unselective
    /// (fragments of any length, as long as at most [`MAX_FRAGMENTS`] cover
    /// the keys), so tests can put other maps behind one.
    pub(super) fn build(patterns: &[String], limits: bool) -> Option<Prefilter> {
        let phrases: BTreeSet<Vec<u8>> = patterns
            .iter()
            .map(|p| p.as_bytes().to_ascii_lowercase())
            .collect();
        if limits && phrases.len() > MAX_PHRASES {
            return None;
        }
        let phrases: Vec<Vec<u8>> = phrases.into_iter().collect();
        // Without limits every length competes, for the fewest fragments.
        let tiers: &[&[usize]] = if limits {
            &[
                &[FRAGMENT_LENGTHS[0]],
                &[FRAGMENT_LENGTHS[1]],
                &[FRAGMENT_LENGTHS[2]],
            ]
        } else {
            &[&FRAGMENT_LENGTHS]
        };
        // Fragment → the phrases that contain it (inside a word).
        let mut holders: BTreeMap<Vec<u8>, Vec<usize>> = BTreeMap::new();
        for (i, phrase) in phrases.iter().enumerate() {
            let mut own = BTreeSet::new();
            for lengths in tiers {
                for (word, &len) in words(phrase)
                    .iter()
                    .flat_map(|w| lengths.iter().map(move |l| (w, l)))
                {
                    own.extend(word.windows(len).map(<[u8]>::to_vec));
                }
                if !own.is_empty() {
                    break;
                }
            }
            if own.is_empty() {
                return None; // e.g. a one-letter key: nothing to search for
            }
            for fragment in own {
                holders.entry(fragment).or_default().push(i);
            }
        }
        let limit = MAX_FRAGMENTS;
        let chosen = FRAGMENT_COSTS
            .iter()
            .find_map(|&cost| cover(phrases.len(), &holders, cost, limit))?;
        let per_million: f64 = chosen.iter().map(|f| expected_hits(f)).sum();
        if limits && per_million > 1e6 / MIN_BYTES_PER_HIT {
            return None;
        }
        // How far before a fragment any phrase containing it can start.
        let back: Vec<usize> = chosen
            .iter()
            .map(|fragment| {
                phrases
                    .iter()
                    .filter_map(|p| p.windows(fragment.len()).position(|w| w == &fragment[..]))
                    .max()
                    .unwrap_or(0)
            })
            .collect();
        let mut builder = Config::new().match_kind(MatchKind::LeftmostFirst).builder();
        builder.extend(&chosen);
        let searcher = builder.build()?;
        let longest_fragment = chosen.iter().map(Vec::len).max().unwrap_or(1);
        let max_back = back.iter().copied().max().unwrap_or(0);
        Some(Prefilter {
            searcher,
            back,
            longest_fragment,
            max_back,
            chunk: CHUNK,
        })
    }

    /// The regions of `text` where a pattern can start, in order. A long text
    /// has its hits found ahead on every thread of the current pool when it
    /// has more than one (same regions).
    pub(super) fn regions<'t>(&'t self, text: &'t [u8]) -> Regions<'t> {
        let split = crate::parts::split_part(text.len());
        self.regions_ahead(text, split.map(|_| PARALLEL_PART))
    }

    /// [`regions`](Self::regions), with hits found ahead in parts of `part`
    /// bytes on the current pool's threads, or (`None`) by this thread as
    /// the scan goes.
    pub(super) fn regions_ahead<'t>(&'t self, text: &'t [u8], part: Option<usize>) -> Regions<'t> {
        Regions {
            prefilter: self,
            text,
            lower: Vec::new(),
            chunk_start: 0,
            ahead: part.map(|part| HitsAhead {
                part: part.max(1),
                ..HitsAhead::default()
            }),
            cursor: 0,
            current: None,
            pending: None,
            current_until: usize::MAX,
            merge_gap: 0,
            chunk: self.chunk,
        }
    }

    /// The hits (as [`Regions::next_hit_until`] gives them) whose fragment starts
    /// in `from..to`, in order, found by one thread.
    fn hits_in(&self, text: &[u8], from: usize, to: usize) -> Vec<(usize, usize)> {
        let mut regions = self.regions_ahead(text, None);
        let mut hits = Vec::new();
        let mut at = from;
        while let Some(hit) = regions.next_hit_until(at, to) {
            hits.push(hit);
            at = hit.1 + 1;
        }
        hits
    }
}

/// Hits found ahead of the scan, on every thread: those whose fragment
/// starts before `to` (and at or after where the window began), from `next`
/// on not yet reported.
#[derive(Default)]
struct HitsAhead {
    /// Bytes one thread searches.
    part: usize,
    hits: Vec<(usize, usize)>,
    next: usize,
    to: usize,
}

/// A greedy weighted set cover: each round takes the fragment with the fewest
/// expected hits (plus `fragment_cost`) per phrase it newly covers, until every
/// one of `phrases` phrases has one; `None` beyond `limit` fragments.
fn cover(
    phrases: usize,
    holders: &BTreeMap<Vec<u8>, Vec<usize>>,
    fragment_cost: f64,
    limit: usize,
) -> Option<Vec<Vec<u8>>> {
    let mut covered = vec![false; phrases];
    let mut left = phrases;
    let mut chosen: Vec<Vec<u8>> = Vec::new();
    while left > 0 {
        if chosen.len() == limit {
            return None;
        }
        let mut best: Option<(f64, &Vec<u8>)> = None;
        for (fragment, who) in holders {
            let new = who.iter().filter(|&&i| !covered[i]).count();
            if new == 0 {
                continue;
            }
            let cost = (expected_hits(fragment) + fragment_cost) / new as f64;
            if best.is_none_or(|(b, _)| cost < b) {
                best = Some((cost, fragment));
            }
        }
        let (_, fragment) = best.expect("every phrase has a fragment");
        for &i in &holders[fragment] {
            if !covered[i] {
                covered[i] = true;
                left -= 1;
            }
        }
        chosen.push(fragment.clone());
    }
    Some(chosen)
}

/// The words of a lower-cased phrase: split at spaces and no-break spaces.
fn words(phrase: &[u8]) -> Vec<&[u8]> {
    let mut out = Vec::new();
    let mut from = 0;
    let mut i = 0;
    while i < phrase.len() {
        let sep = if phrase[i] == b' ' {
            1
        } else if phrase[i..].starts_with("\u{a0}".as_bytes()) {
            2
        } else {
            0
        };
        if sep > 0 {
            out.push(&phrase[from..i]);
            i += sep;
            from = i;
        } else {
            i += 1;
        }
    }
    out.push(&phrase[from..]);
    out
}

/// The regions of possible pattern starts in one text, found lazily.
pub(super) struct Regions<'t> {
    prefilter: &'t Prefilter,
    text: &'t [u8],
    /// `text[chunk_start..chunk_start + lower.len()]`, ASCII-lower-cased.
    lower: Vec<u8>,
    chunk_start: usize,
    /// For a long text on more than one thread: the hits of the window
    /// ahead, found in parallel (then `lower` is unused).
    ahead: Option<HitsAhead>,
    /// Every fragment that starts before `cursor` (and at or after the
    /// positions asked for) has been reported.
    cursor: usize,
    /// The region last returned.
    current: Option<(usize, usize)>,
    /// A region found while looking whether the current one continues.
    pending: Option<(usize, usize)>,
    /// How far hits were searched for when the current region was merged
    /// (`usize::MAX` once the next region was found).
    current_until: usize,
    /// Regions closer than this are merged into one.
    merge_gap: usize,
    /// Bytes lower-cased and searched at a time.
    chunk: usize,
}

impl Regions<'_> {
    /// Merges regions whose gap is at most `gap` bytes (the caller's window
    /// reaches that far past a region anyway).
    pub(super) fn with_merge_gap(mut self, gap: usize) -> Self {
        self.merge_gap = gap;
        self
    }

    /// Lower-cases and searches `chunk` bytes at a time instead of the
    /// prefilter's chunk: less for a scan that jumps between short windows
    /// of a text (and lower-cases little more than them).
    pub(super) fn with_chunk(mut self, chunk: usize) -> Self {
        self.chunk = chunk;
        self
    }

    /// The first region `(first, last)` (inclusive) of possible pattern starts
    /// whose last start is at or after `from`, or `None` when no pattern can
    /// start at or after `from`.
    #[cfg(test)]
    pub(super) fn next_from(&mut self, from: usize) -> Option<(usize, usize)> {
        self.next_from_until(from, usize::MAX)
    }

    /// [`next_from`](Self::next_from) for a scan that wants only the
    /// possible starts up to `until` (a window near edits): the search for
    /// hits stops past the last that can allow a start there, so that a
    /// window does not search the text after it for the next hit (the
    /// windows of a check near edits, a tenth of a chunk, searched four
    /// times as much). `None` when no pattern can start in `from..=until`;
    /// a region may then end early (the union of regions is the same). The
    /// hits found ahead on several threads are not limited.
    pub(super) fn next_from_until(&mut self, from: usize, until: usize) -> Option<(usize, usize)> {
        // A hit allows starts up to `back` bytes before it.
        let hits_until = until.saturating_add(self.prefilter.max_back + 1);
        let mut region = match self.current.filter(|r| r.1 >= from) {
            Some(current) if self.current_until >= hits_until => return Some(current),
            // Its merging stopped at a nearer limit, and a later hit may
            // allow earlier starts (`back` differs from hit to hit): go on.
            Some(current) => current,
            None => match self.pending.take() {
                Some(r) if r.1 >= from => r,
                _ => self.next_hit_until(from, hits_until)?,
            },
        };
        self.current_until = hits_until;
        while let Some(next) = self.next_hit_until(region.1 + 1, hits_until) {
            if next.0 <= region.1 + 1 + self.merge_gap {
                region = (region.0.min(next.0), next.1);
            } else {
                self.pending = Some(next);
                // The next region is found: this one is whole.
                self.current_until = usize::MAX;
                break;
            }
        }
        self.current = Some(region);
        Some(region)
    }

    /// The next fragment hit at or after `from` (and after every hit already
    /// reported) whose fragment starts before `until`, as the range of
    /// pattern starts it allows; `None` when there is none, having searched
    /// no further than a fragment starting there reaches (see
    /// [`next_from_until`](Self::next_from_until); the hits found ahead on
    /// several threads are not limited).
    ///
    /// A hit is a function of its position (the leftmost-first fragment that
    /// starts there, seen in a chunk that holds it whole), so hits found part
    /// by part on several threads, each part from its start, are the hits
    /// one search finds.
    fn next_hit_until(&mut self, from: usize, until: usize) -> Option<(usize, usize)> {
        let mut at = from.max(self.cursor);
        if let Some(ahead) = &mut self.ahead {
            let prefilter = self.prefilter;
            let text = self.text;
            loop {
                if at >= text.len() {
                    self.cursor = text.len();
                    return None;
                }
                if at >= ahead.to {
                    let part = ahead.part;
                    let window =
                        part * crate::parts::PARTS_PER_THREAD * rayon::current_num_threads();
                    let to = (at + window).min(text.len());
                    let starts: Vec<usize> = (at..to).step_by(part).collect();
                    let parts: Vec<Vec<(usize, usize)>> = starts
                        .par_iter()
                        .map(|&from| prefilter.hits_in(text, from, (from + part).min(to)))
                        .collect();
                    ahead.hits.clear();
                    parts.into_iter().for_each(|p| ahead.hits.extend(p));
                    (ahead.next, ahead.to) = (0, to);
                }
                while ahead.hits.get(ahead.next).is_some_and(|hit| hit.1 < at) {
                    ahead.next += 1;
                }
                if let Some(&hit) = ahead.hits.get(ahead.next) {
                    self.cursor = hit.1 + 1;
                    return Some(hit);
                }
                at = ahead.to;
            }
        }
        let keep = self.prefilter.longest_fragment - 1;
        loop {
            if at >= self.text.len() {
                self.cursor = self.text.len();
                return None;
            }
            if at >= until {
                self.cursor = at;
                return None;
            }
            let chunk_end = self.chunk_start + self.lower.len();
            if at < self.chunk_start || at + keep >= chunk_end && chunk_end < self.text.len() {
                self.load(at);
            }
            let chunk_end = self.chunk_start + self.lower.len();
            // A fragment that starts before `until` ends by `until + keep`.
            let limited = until.saturating_add(keep) < chunk_end;
            let search_end = if limited { until + keep } else { chunk_end };
            let span = Span::from(at - self.chunk_start..search_end - self.chunk_start);
            let found = self.prefilter.searcher.find_in(&self.lower, span);
            if limited && found.is_none_or(|m| self.chunk_start + m.start() >= until) {
                // No fragment starts in `at..until`.
                self.cursor = until;
                return None;
            }
            // A hit in the chunk's last `keep` bytes may come after a fragment
            // that starts there but does not fit: search again from there.
            let last_whole = chunk_end.saturating_sub(keep);
            if let Some(m) = found.filter(|m| {
                chunk_end >= self.text.len() || self.chunk_start + m.start() < last_whole
            }) {
                let hit = self.chunk_start + m.start();
                self.cursor = hit + 1;
                let back = self.prefilter.back[m.pattern().as_usize()];
                return Some((hit.saturating_sub(back), hit));
            }
            if chunk_end >= self.text.len() {
                self.cursor = self.text.len();
                return None;
            }
            // A fragment may straddle the chunk's end: search again from the
            // last bytes that could start one.
            at = last_whole;
            self.load(at);
        }
    }

    /// Lower-cases the chunk of text starting at `at`.
    fn load(&mut self, at: usize) {
        // Longer than a fragment, so that searching again from the last
        // `keep` bytes moves on.
        let len = self.chunk.max(2 * self.prefilter.longest_fragment);
        let end = (at + len).min(self.text.len());
        self.lower.clear();
        // Copied and lower-cased in one go (one read of the text, not two).
        self.lower
            .extend(self.text[at..end].iter().map(u8::to_ascii_lowercase));
        self.chunk_start = at;
    }
}
