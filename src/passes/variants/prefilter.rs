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
//! `[h - back, h]` for some hit `h`. Where two fragments start at the same
//! place (one is a prefix of the other) the search reports one of them, so a
//! hit's `back` is the largest of every fragment it may stand for. The order
//! the fragments are searched in is chosen for speed ([`bucket_order`]) and
//! changes no region. Those ranges, merged, are the *regions*; a
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
        let (phrases, chosen) = choose_fragments(patterns, limits)?;
        // In the order that puts them in the searcher's buckets as chosen.
        let buckets = teddy_buckets(chosen.len());
        Self::with_fragments(&phrases, bucket_order(chosen, buckets))
    }

    /// The search for `fragments` (lower-cased, each inside a word of one of
    /// `phrases`, every phrase holding one), in that order.
    fn with_fragments(phrases: &[Vec<u8>], fragments: Vec<Vec<u8>>) -> Option<Prefilter> {
        // How far before a fragment any phrase containing it can start.
        let own_back: Vec<usize> = fragments
            .iter()
            .map(|fragment| {
                phrases
                    .iter()
                    .filter_map(|p| memchr::memmem::find(p, fragment))
                    .max()
                    .unwrap_or(0)
            })
            .collect();
        // Fragments that match at the same place are prefixes of one another,
        // and the searcher reports the one it tries first (which depends on
        // the order): a hit allows the starts of every fragment it may stand
        // for.
        let back: Vec<usize> = fragments
            .iter()
            .map(|fragment| {
                fragments
                    .iter()
                    .zip(&own_back)
                    .filter(|(other, _)| other.starts_with(fragment) || fragment.starts_with(other))
                    .map(|(_, &b)| b)
                    .max()
                    .unwrap_or(0)
            })
            .collect();
        let mut builder = Config::new().match_kind(MatchKind::LeftmostFirst).builder();
        builder.extend(&fragments);
        let searcher = builder.build()?;
        let longest_fragment = fragments.iter().map(Vec::len).max().unwrap_or(1);
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

/// A pattern, ASCII-lower-cased.
type Phrase = Vec<u8>;
/// A fragment of a phrase's word, ASCII-lower-cased.
type Fragment = Vec<u8>;

/// The lower-cased, distinct `patterns` and the fragments chosen for them
/// (see [`Prefilter::build`] for `limits`), in the order chosen; `None` when
/// a fragment search would not pay or a pattern has no word of two bytes.
pub(super) fn choose_fragments(
    patterns: &[String],
    limits: bool,
) -> Option<(Vec<Phrase>, Vec<Fragment>)> {
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
    Some((phrases, chosen))
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

/// The buckets the packed (Teddy) searcher of aho-corasick 1.1 uses for
/// `fragments` fragments: 16 (its fat form, 16 bytes a step) for more than
/// 32 where the processor has AVX2, else 8 (slim). Only a hint for
/// [`bucket_order`]: a wrong guess costs speed, never a hit.
fn teddy_buckets(fragments: usize) -> usize {
    #[cfg(target_arch = "x86_64")]
    if fragments > 32 && std::arch::is_x86_feature_detected!("avx2") {
        return 16;
    }
    let _ = fragments;
    8
}

/// Orders `fragments` so that the packed (Teddy) searcher puts them in
/// buckets that stop it rarely where no fragment stands.
///
/// Teddy tests each position against every bucket at once: a position is a
/// candidate for a bucket when, at each of the first `mask` bytes, the
/// byte's low half and its high half each occur at that place in *some*
/// fragment of the bucket, and every candidate is then compared with the
/// bucket's fragments. Fragments whose letters share their low halves make
/// a selective bucket; three unrelated ones accept many byte combinations.
/// With the fragments dealt out in the order they were chosen, the names
/// map's 49 fragments stopped the search once per 130 bytes of news text;
/// grouped this way, once per 700 (a simulation of the masks on the dirty
/// corpus, 3 MB).
///
/// The searcher (aho-corasick 1.1) gives the fragment with id `i` bucket
/// `buckets - 1 - i % buckets` unless a fragment with the same low halves
/// (over the mask) came before it, whose bucket it joins. So fragments with
/// the same low halves form one unit; units are dealt round-robin into
/// `buckets` groups (sizes differ by at most one, larger first), pairs are
/// swapped between groups while that lowers the expected candidates (each
/// group's product over the mask of the chance that a byte of English text
/// passes it, from [`BYTE_FREQUENCY`]), and the order lists each group's
/// units at ids of its residue, a unit's other fragments last. Which
/// fragment comes first never changes what is found: see the `back` of a
/// hit in [`Prefilter::build`].
pub(super) fn bucket_order(fragments: Vec<Vec<u8>>, buckets: usize) -> Vec<Vec<u8>> {
    let mask = fragments.iter().map(Vec::len).min().unwrap_or(1).min(4);
    // Units in the order of their first fragment, keyed by the low halves.
    let mut keys: Vec<Vec<u8>> = Vec::new();
    let mut units: Vec<Vec<Vec<u8>>> = Vec::new();
    for fragment in fragments {
        let key: Vec<u8> = fragment[..mask].iter().map(|b| b & 0xF).collect();
        match keys.iter().position(|k| *k == key) {
            Some(unit) => units[unit].push(fragment),
            None => {
                keys.push(key);
                units.push(vec![fragment]);
            }
        }
    }
    // Per unit and place, the low and high halves of its fragments' bytes.
    let halves: Vec<[(u16, u16); 4]> = units
        .iter()
        .map(|unit| {
            let mut halves = [(0, 0); 4];
            for fragment in unit {
                for (at, &byte) in fragment[..mask].iter().enumerate() {
                    halves[at].0 |= 1 << (byte & 0xF);
                    halves[at].1 |= 1 << (byte >> 4);
                }
            }
            halves
        })
        .collect();
    // `share[high][half][set]`: the share of English text's bytes with that
    // high half and a low half in `set` (the low eight low halves when
    // `half` is 0, the high eight when 1), so that a mask's share is two
    // look-ups per high half it allows.
    let total: f64 = BYTE_FREQUENCY.iter().map(|&f| f64::from(f)).sum();
    let share: Vec<[[f64; 256]; 2]> = (0..16)
        .map(|high| {
            let mut share = [[0.0; 256]; 2];
            for (half, share) in share.iter_mut().enumerate() {
                // A set's share is that of the set without its lowest low
                // half, plus that half's.
                for set in 1..256usize {
                    let low = set.trailing_zeros() as usize;
                    let byte = high << 4 | half << 3 | low;
                    share[set] = share[set & (set - 1)] + f64::from(BYTE_FREQUENCY[byte]) / total;
                }
            }
            share
        })
        .collect();
    // The chance that a position passes a group's masks (places taken as
    // independent).
    let cost = |group: &[usize]| -> f64 {
        let mut masks = [(0u16, 0u16); 4];
        for &unit in group {
            for (mask, half) in masks.iter_mut().zip(&halves[unit]) {
                (mask.0, mask.1) = (mask.0 | half.0, mask.1 | half.1);
            }
        }
        let mut chance = 1.0;
        for &(low, high) in &masks[..mask] {
            let (low_eight, high_eight) = (usize::from(low & 0xFF), usize::from(low >> 8));
            chance *= bits(high)
                .map(|h| share[h][0][low_eight] + share[h][1][high_eight])
                .sum::<f64>();
        }
        chance
    };
    let mut groups: Vec<Vec<usize>> = vec![Vec::new(); buckets];
    for unit in 0..units.len() {
        groups[unit % buckets].push(unit);
    }
    let mut costs: Vec<f64> = groups.iter().map(|g| cost(g)).collect();
    // Each accepted swap lowers the total, so this ends; the bound keeps a
    // pathological map from spending long here.
    for _ in 0..64 {
        let mut improved = false;
        for a in 0..buckets {
            for b in a + 1..buckets {
                for i in 0..groups[a].len() {
                    for j in 0..groups[b].len() {
                        let (ua, ub) = (groups[a][i], groups[b][j]);
                        groups[a][i] = ub;
                        groups[b][j] = ua;
                        let (ca, cb) = (cost(&groups[a]), cost(&groups[b]));
                        if ca + cb < (costs[a] + costs[b]) * (1.0 - 1e-9) {
                            (costs[a], costs[b]) = (ca, cb);
                            improved = true;
                        } else {
                            groups[a][i] = ua;
                            groups[b][j] = ub;
                        }
                    }
                }
            }
        }
        if !improved {
            break;
        }
    }
    // Id `i` goes to bucket `buckets - 1 - i % buckets`: group `i % buckets`.
    let mut order = Vec::new();
    let mut rest = Vec::new();
    for round in 0.. {
        let before = order.len();
        for group in &groups {
            if let Some(&unit) = group.get(round) {
                order.push(units[unit][0].clone());
                rest.extend(units[unit][1..].iter().cloned());
            }
        }
        if order.len() == before {
            break;
        }
    }
    order.extend(rest);
    order
}

/// The set bits of `set`, lowest first.
fn bits(mut set: u16) -> impl Iterator<Item = usize> {
    std::iter::from_fn(move || {
        let bit = set.trailing_zeros() as usize;
        set &= set.wrapping_sub(1);
        (bit < 16).then_some(bit)
    })
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

#[cfg(test)]
pub(super) mod tests {
    use super::*;

    /// How often the packed (Teddy) searcher of aho-corasick 1.1 would stop
    /// in `text` (ASCII-lower-cased) with `fragments` added in that order:
    /// the (position, bucket) pairs that pass a bucket's masks, with the
    /// buckets given as that searcher gives them (fragment `i` to bucket
    /// `buckets - 1 - i % buckets` unless one with the same low halves over
    /// the mask came first) and its masks (each byte's low half and high
    /// half looked up apart).
    pub(in crate::passes::variants) fn teddy_stops(
        fragments: &[Vec<u8>],
        buckets: usize,
        text: &str,
    ) -> usize {
        let mask = fragments.iter().map(Vec::len).min().unwrap().min(4);
        let mut bucket_of: BTreeMap<Vec<u8>, usize> = BTreeMap::new();
        let (mut low, mut high) = (vec![[0u16; 16]; mask], vec![[0u16; 16]; mask]);
        for (id, fragment) in fragments.iter().enumerate() {
            let halves: Vec<u8> = fragment[..mask].iter().map(|b| b & 0xF).collect();
            let bucket = *bucket_of
                .entry(halves)
                .or_insert(buckets - 1 - id % buckets);
            for (at, &byte) in fragment[..mask].iter().enumerate() {
                low[at][usize::from(byte & 0xF)] |= 1 << bucket;
                high[at][usize::from(byte >> 4)] |= 1 << bucket;
            }
        }
        let text = text.as_bytes().to_ascii_lowercase();
        text.windows(mask)
            .map(|window| {
                window
                    .iter()
                    .enumerate()
                    .fold(u16::MAX, |passes, (at, &byte)| {
                        passes & low[at][usize::from(byte & 0xF)] & high[at][usize::from(byte >> 4)]
                    })
            })
            .map(|passes| passes.count_ones() as usize)
            .sum()
    }

    fn lower(words: &[&str]) -> Vec<Vec<u8>> {
        words.iter().map(|w| w.as_bytes().to_vec()).collect()
    }

    /// A key whose only fragment also begins a longer fragment: where the
    /// searcher reports the longer one, the hit still allows the key's start,
    /// whichever order the fragments are searched in.
    #[test]
    fn a_hit_allows_the_starts_of_every_fragment_it_may_stand_for() {
        let phrases = lower(&["xx ab", "abcd efgh"]);
        for fragments in [lower(&["abcd", "ab"]), lower(&["ab", "abcd"])] {
            let prefilter = Prefilter::with_fragments(&phrases, fragments.clone()).unwrap();
            for (text, start) in [
                ("xx abcd", 0),
                ("xx ab", 0),
                ("abcd efgh", 0),
                ("q xx abcd", 2),
            ] {
                let region = prefilter.regions(text.as_bytes()).next_from(0);
                assert!(
                    region.is_some_and(|(first, last)| first <= start && start <= last),
                    "{text:?} with {fragments:?}: {region:?} must allow a start at {start}"
                );
            }
        }
    }

    #[test]
    fn bucket_order_keeps_every_fragment_and_puts_a_units_others_last() {
        // `ab`, `qr` share their low halves (1, 2): one unit, whose bucket
        // the searcher gives by its first fragment; the other comes last,
        // so the first five take one id each of five residues.
        let fragments = lower(&["ab", "cd", "qr", "ef", "gh", "ij"]);
        let mut ordered = bucket_order(fragments.clone(), 8);
        assert_eq!(ordered.len(), fragments.len());
        let low = |f: &[u8]| f.iter().map(|b| b & 0xF).collect::<Vec<u8>>();
        let leads: BTreeSet<Vec<u8>> = ordered[..5].iter().map(|f| low(f)).collect();
        assert_eq!(leads.len(), 5, "{ordered:?}");
        assert_eq!(low(&ordered[5]), low(b"ab"), "{ordered:?}");
        ordered.sort();
        let mut expected = fragments;
        expected.sort();
        assert_eq!(ordered, expected);
    }

    /// Fragments that share no low halves cannot lower each other's stops:
    /// dealt out one per bucket, the order changes nothing.
    #[test]
    fn bucket_order_of_few_fragments_is_one_per_bucket() {
        let fragments = lower(&["abcd", "efgh", "ijkl"]);
        let text = "abcd efgh ijkl mnop, a quick brown fox";
        let ordered = bucket_order(fragments.clone(), 8);
        assert_eq!(
            teddy_stops(&ordered, 8, text),
            teddy_stops(&fragments, 8, text)
        );
        assert_eq!(teddy_stops(&ordered, 8, text), 3);
    }
}
