//! Random texts for the passes' property tests (test builds only).
//!
//! A text is a run of pieces drawn from a list the test gives: the characters
//! and fragments its pass reacts to (`.`, `”`, `http://`, `<a `…), so that the
//! interesting neighbourhoods (`.”.`, `?..`, `““`) come up often, which they
//! almost never do in uniformly random strings. The strategy is proptest's: a
//! failing text is shrunk to a small one and recorded under
//! `proptest-regressions/` so the next run tries it first.

use proptest::prelude::*;

/// How many random texts each property test checks.
pub(crate) const CASES: u32 = 3_000;

/// Texts of fewer than `max_pieces` pieces, each drawn from `pieces` with equal
/// chance (list a piece twice to make it twice as frequent).
pub(crate) fn texts(
    pieces: &'static [&'static str],
    max_pieces: usize,
) -> impl Strategy<Value = String> {
    proptest::collection::vec(proptest::sample::select(pieces), 0..max_pieces)
        .prop_map(|pieces| pieces.concat())
}

/// The configuration of those tests: [`CASES`] texts each.
pub(crate) fn config() -> ProptestConfig {
    ProptestConfig::with_cases(CASES)
}

/// A pool of three threads, built once for all tests, for those that
/// compare a text split over several threads with one thread's answer
/// (more threads than parts of work is fine; one thread would not split).
pub(crate) fn pool() -> &'static rayon::ThreadPool {
    static POOL: std::sync::OnceLock<rayon::ThreadPool> = std::sync::OnceLock::new();
    POOL.get_or_init(|| {
        rayon::ThreadPoolBuilder::new()
            .num_threads(3)
            .build()
            .expect("a pool")
    })
}

/// A small deterministic generator for the tests that sweep many cases
/// against a reference without shrinking: each call gives a number below `n`.
pub(crate) fn numbers(seed: u64) -> impl FnMut(usize) -> usize {
    let mut state = seed;
    move |n| {
        state = state
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (state >> 33) as usize % n
    }
}
